"""Content files: builder.articles and builder.flow (decoding, paragraphs, visible text, front matter, titles)."""
from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.read.content import KINDS, decode, discover, load_source
from builder.slugs import propose_slug
from builder.errors import Problems
from builder.read.text import BR, SEP, markdown_flow, text_flow
from builder.read.load import load_site


def source_of(tmp_path, name: str, content: str | bytes):
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    problems = Problems()
    return load_source(tmp_path, path.stem, path, problems), problems.items


# decoding

def test_bom_is_dropped():
    assert decode(b"\xef\xbb\xbfHello\n", "a.txt", Problems()) == "Hello\n"


def test_crlf_and_lone_cr_read_as_lf():
    assert decode(b"one\r\ntwo\rthree\n", "a.txt", Problems()) == "one\ntwo\nthree\n"


@pytest.mark.parametrize("data, line, col, byte", [
    (b"\xff", 1, 1, 0xFF),
    (b"ok\nbad \xe9 here", 2, 5, 0xE9),
    ("ligne 1\ncafé é ".encode() + b"\xe9", 2, 8, 0xE9),  # columns count characters, not bytes
    (b"\xef\xbb\xbfab\xc3", 1, 3, 0xC3),  # the BOM is not a column
    (b"abc\r\n\xfe", 2, 1, 0xFE),
])
def test_bad_utf8_is_located(data, line, col, byte):
    problems = Problems()
    assert decode(data, "content/a.txt", problems) is None
    (p,) = problems.items
    assert (p.file, p.line, p.col) == ("content/a.txt", line, col)
    assert "UTF-8" in p.message and f"0x{byte:02x}" in p.message


# raw text

def test_raw_text_is_matched_as_it_is_in_the_file(tmp_path):
    source, problems = source_of(tmp_path, "a.txt", b"\xef\xbb\xbfTitle\r\n\r\nBody <b>bold</b>\r\n")
    assert problems == []
    assert source.flow.text == "Title\n\nBody <b>bold</b>\n"
    assert source.kind == "txt" and source.front is None


def test_blank_lines_separate_paragraphs_and_single_breaks_stay():
    flow = text_flow("First line\nsecond line\n\n \t\nThird para\n")
    assert len(flow.blocks) == 2
    first, second = flow.blocks
    texts = [p for p in first if p[0] == "text"]
    assert texts[0][1:] == (0, len("First line\nsecond line"), BR)  # the line break is kept, shown as <br>
    assert texts[-1][3] == SEP
    assert [p for p in second if p[0] == "text"][0][1:3] == (flow.text.index("Third"), flow.text.index("Third") + 10)


def test_markup_in_raw_text_is_text():
    flow = text_flow("A <b>bold</b> & <script>x</script> claim.\n")
    tags = [p[1] for block in flow.blocks for p in block if p[0] == "tag"]
    assert tags == ["<p>", "</p>\n"]


def test_bare_urls_become_links_without_their_trailing_punctuation():
    text = "See https://example.org/report.\n"
    flow = text_flow(text)
    tags = [p[1] for block in flow.blocks for p in block if p[0] == "tag"]
    assert '<a href="https://example.org/report" rel="nofollow">' in tags
    linked = [p for block in flow.blocks for p in block if p[0] == "text"][1]
    assert text[linked[1]:linked[2]] == "https://example.org/report"


def test_a_bare_url_keeps_a_closing_bracket_it_opened():
    """"…/Mercury_(planet)" is linked whole; "(see …/a)." without the bracket and full stop that close the sentence."""
    text = "See https://en.wikipedia.org/wiki/Mercury_(planet). Or (see https://example.org/a).\n"
    tags = [p[1] for block in text_flow(text).blocks for p in block if p[0] == "tag"]
    assert [t for t in tags if t.startswith("<a ")] == [
        '<a href="https://en.wikipedia.org/wiki/Mercury_(planet)" rel="nofollow">', '<a href="https://example.org/a" rel="nofollow">']


def test_text_that_only_looks_like_a_url_stays_text():
    """Typos as published (a bad "%" escape, two "#", an empty host label) are not made links whose
    href is invalid; a valid URL with characters browsers repair is linked with them encoded."""
    text = "See https://example.org/a%zz and https://example.org/a#b#c and http://a..b/ or https://example.org/a|b[1]/c.\n"
    tags = [p[1] for block in text_flow(text).blocks for p in block if p[0] == "tag"]
    assert [t for t in tags if t.startswith("<a ")] == ['<a href="https://example.org/a%7Cb%5B1%5D/c" rel="nofollow">']


def test_raw_text_lines():
    flow = text_flow("one\ntwo\n\nthree\n")
    assert [flow.line_at(flow.text.index(w)) for w in ("one", "two", "three")] == [1, 2, 4]


# markdown

def test_markdown_visible_text_has_no_markup():
    flow = markdown_flow("# A *title*\n\nSome **bold**, a [link](https://x.org) and `code`.\n\n- one\n- two\n")
    assert flow.text == "A title\n\nSome bold, a link and code.\n\none\n\ntwo\n\n"


def test_markdown_raw_html_is_text_not_markup():
    flow = markdown_flow("A <b>bold</b> claim.\n\n<div>block</div>\n")
    assert "<b>bold</b>" in flow.text and "<div>block</div>" in flow.text
    tags = "".join(p[1] for block in flow.blocks for p in block if p[0] == "tag")
    assert "<b>" not in tags and "<div>" not in tags


def test_a_remote_image_s_words_are_text_a_quote_can_match(tmp_path, run_cli):
    """A picture from another site is shown as a link named by its alt text (nothing is loaded from
    elsewhere): those words are what a reader sees (SPEC 4), so a quote may hold them; a local image's
    alt text is not shown, and is not text."""
    flow = markdown_flow("Crowds ![Remote pic](https://cdn.example/r.png) and ![](https://cdn.example/s.png) "
                         "and ![Local](pic.png) left.\n")
    assert flow.text == "Crowds Remote pic and image and  left.\n\n"
    site = tmp_path / "site"
    for name, text in {"content/a.md": "Crowds ![Remote pic](https://cdn.example/r.png) and more.\n",
                       "annotations/a.yaml": "annotations:\n  - id: crowd\n    quote: Crowds Remote pic and\n    note: Whose?\n"}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out/articles/a/index.html").read_text()
    pieces = re.findall(r'<mark class="passage" data-annotation="crowd"[^>]*>([^<]*)</mark>', page)
    assert "".join(pieces) == "Crowds Remote pic and"
    assert '<a class="remote-image" href="https://cdn.example/r.png" rel="nofollow"><mark' in page


def test_a_remote_image_inside_a_link_is_the_link_s_words_never_a_link_in_a_link():
    """`[![Chart](https://cdn/x.png)](https://example.org/big)`, a picture linked to its large copy, as
    newsrooms write it: the picture became a link of its own inside the author's link, which HTML does
    not allow (the Nu checker: "Start tag a seen but an element of the same type was already open"; a
    browser closes the author's link there). Inside a link its alt text is the link's words, in the text
    and in a note; alone it is still a link to the picture."""
    from builder.markdown import render_note
    source = "See [![Big chart](https://cdn.example/c.png)](https://example.org/big) and ![Alone](https://cdn.example/a.png).\n"
    flow = markdown_flow(source)
    assert flow.text == "See Big chart and Alone.\n\n"
    tags = [p[1] for block in flow.blocks for p in block if p[0] == "tag"]
    assert tags.count('<a class="remote-image" href="https://cdn.example/a.png" rel="nofollow">') == 1
    assert not any("cdn.example/c.png" in tag for tag in tags)
    note = render_note.__wrapped__(source)
    assert note == ('<p>See <a href="https://example.org/big">Big chart</a> and '
                    '<a class="remote-image" href="https://cdn.example/a.png" rel="nofollow">Alone</a>.</p>\n')


def test_markdown_unsafe_links_are_not_links():
    flow = markdown_flow("[click](javascript:alert(1)) and [ok](https://example.org)\n")
    tags = "".join(p[1] for block in flow.blocks for p in block if p[0] == "tag")
    assert "javascript:" not in tags and 'href="https://example.org"' in tags


def test_markdown_links_that_are_not_valid_urls_are_not_links():
    flow = markdown_flow("[a](https://example.org/a#b#c) [b](http://a..b/) [c](<https://ex ample.org/>) [d](#x#y) "
                         "[ok](https://example.org/a[1]) [m](mailto:desk@example.org) [p](/page#top)\n")
    tags = "".join(p[1] for block in flow.blocks for p in block if p[0] == "tag")
    assert re.findall(r'href="([^"]*)"', tags) == ["https://example.org/a%5B1%5D", "mailto:desk@example.org", "/page#top"]


def test_markdown_tables_and_strikethrough_are_on():
    flow = markdown_flow("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n")
    tags = "".join(p[1] for block in flow.blocks for p in block if p[0] == "tag")
    assert "<table>" in tags and "<s>" in tags
    assert "gone" in flow.text and "~" not in flow.text


@pytest.mark.parametrize("word, line", [
    ("Para", 1), ("start", 3), ("of para", 4), ("code", 6), ("here", 8), ("Head", 10), ("item", 12),
])
def test_markdown_lines_are_those_of_the_file(word, line):
    """Every block knows its line, whether it starts with text or with markup."""
    flow = markdown_flow("Para one.\n\n*Em* start\nof para two.\n\n`code` first\n\n[link](http://x) here\n\n"
                         "# Head\n\n- item\n")
    assert flow.line_at(flow.text.index(word)) == line


# front matter and titles

def test_front_matter_is_read_and_not_shown(tmp_path):
    source, problems = source_of(tmp_path, "a.md", "---\ntitle: From front matter\nauthor: [A, B]\n---\n# Heading\n\nText.\n")
    assert problems == []
    assert source.front == {"title": "From front matter", "author": ["A", "B"]}
    assert source.flow.text.startswith("Heading")
    assert source.flow.line_at(source.flow.text.index("Text")) == 7


def test_front_matter_may_end_with_dots_and_be_empty(tmp_path):
    source, problems = source_of(tmp_path, "a.md", "---\ntitle: T\n...\nBody.\n")
    assert problems == [] and source.front == {"title": "T"} and source.flow.text.startswith("Body")
    source, problems = source_of(tmp_path, "b.md", "---\n---\nBody.\n")
    assert problems == [] and source.flow.text.startswith("Body")


def test_dashes_later_in_the_file_are_not_front_matter(tmp_path):
    source, problems = source_of(tmp_path, "a.md", "Intro.\n\n---\ntitle: x\n---\n")
    assert problems == [] and source.front is None


def test_front_matter_never_closed_is_a_warning(tmp_path):
    source, problems = source_of(tmp_path, "a.md", "---\ntitle: x\n\nBody.\n")
    assert [(p.line, p.col, p.severity) for p in problems] == [(1, 1, "warning")]
    assert "never closed" in problems[0].message
    source, problems = source_of(tmp_path, "b.md", "---\n\nA rule, then text: fine.\n")
    assert problems == []


def test_front_matter_in_a_txt_file_is_text(tmp_path):
    source, problems = source_of(tmp_path, "a.txt", "---\ntitle: x\n---\nBody\n")
    assert source.front is None and source.flow.text.startswith("---")


def test_front_matter_that_is_not_a_mapping(tmp_path):
    source, problems = source_of(tmp_path, "a.md", "---\n- a\n- b\n---\nBody.\n")
    assert source.front is None
    assert [(p.line, p.col) for p in problems] == [(2, 1)]


@pytest.mark.parametrize("name, content, title", [
    ("a.txt", "\n\n   First real line  \nSecond\n", "First real line"),
    ("a.md", "# A *Markdown* title\n\nBody.\n", "A Markdown title"),
    # a table's header row is one line of the file: it was titled by its first cell alone ("Year", an outside audit)
    ("a.md", "| Year | Contracts *signed* |\n|---|---|\n| 2019 | 4 |\n\nThe harbour board met.\n", "Year | Contracts signed"),
    ("a.md", "|  | Contracts |\n|---|---|\n| 2019 | 4 |\n", "Contracts"),
    ("a.md", "Para one\nline two\n\n| a | b |\n|-|-|\n", "Para one"),
])
def test_title_falls_back_to_the_first_non_blank_line(tmp_path, make_site, name, content, title):
    """As `glossator new` writes it, and as the build titles the article."""
    source, _ = source_of(tmp_path / "one", name, content)
    assert source.first_line == title
    model, _ = load_site(make_site(tmp_path / "site", {f"content/{name}": content}))
    assert model.articles[0].title == title


def test_title_precedence(tmp_path, make_site):
    """article.title in the annotation file, else the front matter's, else the first non-blank line."""
    site = make_site(tmp_path, {
        "content/plain.txt": "\nLine one\n",
        "content/front.md": "---\ntitle: Front title\npublication: Front pub\n---\nLine one\n",
        "content/both.md": "---\ntitle: Front title\npublication: Front pub\n---\nLine one\n",
        "annotations/both.yaml": "article:\n  title: Layer title\n",
    })
    model, problems = load_site(site)
    assert problems.errors == []
    assert model.article("plain").title == "Line one"
    assert model.article("front").title == "Front title"
    both = model.article("both")
    assert both.title == "Layer title"
    assert both.meta.publication == "Front pub"  # fields the layer does not set come from the front matter


def test_a_title_of_last_resort_is_the_files_first_line_even_above_the_body(tmp_path, make_site):
    """SPEC 2: with no title written, the title is the first non-blank line of the file, as `glossator
    new` writes it. Text as published has its headline there and the annotator's `body` starts at the
    first paragraph: that paragraph used to become the heading (a screen tall on a phone) and leave the text."""
    lede = "The harbour reopened today after " + "a long and costly closure, " * 8 + "officials said."
    site = make_site(tmp_path, {
        "content/a.txt": f"Harbour reopens after the storm\n\nSubscribe for one pound a month!\n\n{lede}\n\nMore text.\n",
        "annotations/a.yaml": 'article:\n  body:\n    start: "The harbour reopened today"\n    end: "More text."\n'
                              'annotations:\n  - quote: officials said\n    note: N.\n',
    })
    model, problems = load_site(site)
    assert problems.errors == []
    assert model.article("a").title == "Harbour reopens after the storm"
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(site), "--out", str(out)]).exit_code == 0
    page = (out / "articles/a/index.html").read_text()
    assert re.search(r"<h1[^>]*>Harbour reopens after the storm</h1>", page)
    assert "officials said" in page.split("</h1>", 1)[1]  # the first paragraph is in the text, not the heading
    assert "Subscribe for one pound" not in page  # furniture outside the body stays unshown


def test_blank_article_fields_are_unset(tmp_path, make_site):
    """`title: "  "` gave the page an empty <h1>, `publication: " "` and `by: " "` blank words; blank is
    unset: the title falls back (to the front matter's, then the first line), the byline to the site's annotator."""
    site = make_site(tmp_path, {
        "site.toml": 'default_annotator = "desk"\n',
        "content/a.md": "---\ntitle: Front title\n---\nLine one\n",
        "content/b.txt": "Line one\n",
        "annotations/a.yaml": 'article:\n  title: "  "\n',
        "annotations/b.yaml": 'article:\n  title: "\\t"\n  publication: " "\n  summary: " "\n'
                              'annotations:\n  - quote: Line\n    note: N.\n    by: "  "\n',
    })
    model, problems = load_site(site)
    assert problems.errors == []
    assert model.article("a").title == "Front title"
    b = model.article("b")
    assert (b.title, b.meta.publication, b.meta.summary) == ("Line one", None, None)
    assert b.annotations[0].by == "desk"


def test_front_matter_errors_are_located_in_the_md_file(tmp_path, make_site):
    site = make_site(tmp_path, {"content/a.md": "---\ntitle: A\nflags: [sponsord]\npublished: 2020-02-30\n---\nText.\n"})
    _, problems = load_site(site)
    assert [(p.file, p.line, p.col) for p in problems.sorted()] == [("content/a.md", 3, 9), ("content/a.md", 4, 12)]


# discovering files

def test_discover_slugs(tmp_path, make_site):
    make_site(tmp_path, {
        "content/a-1.txt": "x", "content/b_2.md": "x", "content/.hidden.txt": "x",
        "content/notes.rst": "x", "content/sub/c.txt": "x",
    })
    problems = Problems()
    found = discover(tmp_path, "content", KINDS, problems)
    assert sorted(found) == ["a-1", "b_2"]
    # nothing is skipped in silence: another kind of file is a warning, a sub-folder an error
    assert [(p.file, p.severity) for p in problems.sorted()] == [("content/notes.rst", "warning"), ("content/sub", "error")]


def test_discover_reports_bad_names_and_clashes(tmp_path, make_site):
    make_site(tmp_path, {"content/Bad Name.txt": "x", "content/x.md": "x", "content/x.txt": "x", "content/-x.txt": "x"})
    problems = Problems()
    found = discover(tmp_path, "content", KINDS, problems)
    assert list(found) == ["x"]
    messages = {p.file: p.message for p in problems.items}
    assert 'rename it "bad-name.txt"' in messages["content/Bad Name.txt"]
    assert 'rename it "x-2.txt"' in messages["content/-x.txt"]  # "x.txt" is taken: proposing it would clash
    assert "used twice" in messages["content/x.txt"]


@pytest.mark.parametrize("stem, slug", [
    ("Zetas Report", "zetas-report"), ("Ça va", "ca-va"), ("__x__", "x"), ("---", "article"),
    ("Los_Zetas 2012", "los_zetas-2012"), ("MS-13!", "ms-13"),
])
def test_propose_slug(stem, slug):
    assert propose_slug(stem) == slug


def test_proposals_for_twenty_thousand_names_that_differ_only_in_case_take_no_time():
    """`check` of a folder of 10,000 names that differ only in case ("Report.txt", "REPORT.txt"…) took 22 s, 15 of
    them proposing names: each went through report-2, report-3… from the start. It goes on from the last."""
    taken: set[str] = set()
    tried: dict[str, int] = {}
    started = time.perf_counter()
    for _ in range(20_000):
        taken.add(propose_slug("Report", taken, tried))
    assert time.perf_counter() - started < 2  # (60 s before)
    assert len(taken) == 20_000 and "report" in taken and "report-20000" in taken


def test_two_articles_named_alike_but_for_how_an_accent_is_written_are_told_apart_and_keep_their_notes(tmp_path, make_site):
    """`café.txt` written with "é" as one character and as "e" and an accent (as a Mac writes names): two files,
    two errors that read the same, and the annotation file (named as the one listed second) proposed the other's new name."""
    one, two = "caf\u00e9", "cafe\u0301"
    site = make_site(tmp_path, {f"content/{one}.txt": "Un caf\u00e9.\n", f"content/{two}.txt": "Un autre.\n",
                                f"annotations/{one}.yaml": "annotations:\n  - quote: Un\n    note: N.\n"})
    _, problems = load_site(site)
    said = {p.file: p.message for p in problems.errors}
    assert "its accented letters written as one character" in said[f"content/{one}.txt"]
    assert "its accented letters written as a letter and an accent" in said[f"content/{two}.txt"]
    proposed = {rel: re.search(r'rename it "([^".]+)', message)[1] for rel, message in said.items()}
    assert proposed[f"annotations/{one}.yaml"] == proposed[f"content/{one}.txt"] != proposed[f"content/{two}.txt"]


@pytest.mark.parametrize("source, levels", [
    ("## What\n\ntext\n\n### Detail\n\nmore\n\n## Then\n", ["h2", "h3", "h2"]),  # sections as ##: no h3 after the page's h1
    ("# One\n\n## Two\n\n### Three\n", ["h2", "h3", "h4"]),
    ("#### Deep only\n\ntext\n", ["h2"]),
    ("## A\n\n#### C\n", ["h2", "h3"]),  # a level the author skipped is not skipped on the page
])
def test_article_headings_start_at_h2_without_skipping_levels(source, levels):
    tags = [piece[1] for block in markdown_flow(source).blocks for piece in block if piece[0] == "tag"]
    assert re.findall(r"<(h\d)>", "".join(tags)) == levels


def test_an_empty_article_is_published_with_a_warning(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", {"content/empty.txt": "\n  \n", "site.toml": ""})
    code, out, err = run_cli("check", site)
    assert code == 0
    assert ('content/empty.txt:1:1: warning: the article has no text: it is published empty, titled by its slug '
            '("empty") unless annotations/empty.yaml sets article.title') in err.splitlines()


def test_an_empty_article_titled_in_its_front_matter_is_not_said_to_be_titled_by_its_slug(tmp_path, make_site, run_cli):
    """A .md of front matter alone was warned "published empty, titled by its slug", and published under
    the title its front matter gives."""
    site = make_site(tmp_path / "site", {"content/empty.md": "---\ntitle: Only front matter\n---\n", "site.toml": ""})
    code, out, err = run_cli("check", site)
    assert code == 0
    assert "content/empty.md:1:1: warning: the article has no text: it is published empty" in err.splitlines(), err


@pytest.mark.parametrize("name, text, says", [
    ("other.md", '+++\ntitle = "Hugo style"\n+++\nBody text here.\n',
     "front matter between +++ lines (TOML, as Hugo writes it) is not read: write it in YAML between --- lines (title: …)"),
    ("other.md", '\n---\ntitle: Late\n---\nBody text here.\n',
     "front matter starts on the file's first line: remove the blank lines above its ---"),
    ("other.txt", '---\ntitle: In a txt\n---\nBody text here.\n',
     'front matter is read in Markdown (.md) files only: in a .txt these lines are the article\'s text; rename the file '
     '"other.md", or set these fields in annotations/other.yaml'),
])
def test_front_matter_written_where_it_is_not_read_is_a_warning(tmp_path, make_site, run_cli, name, text, says):
    """Audit valid4: front matter in TOML (+++), after a blank line, or in a .txt article was read as the
    article's text, silently: its title became "+++", "title: Late" or "---"."""
    site = make_site(tmp_path / "s", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n', f"content/{name}": text})
    code, _, err = run_cli("check", site)
    assert code == 0, err
    assert f"content/{name}:1:1: warning: {says}" in err, err
