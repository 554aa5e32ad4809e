"""Excerpts-only publishing (SPEC 12): only the annotated passages and their context reach the output."""
from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from builder.cli import main

HERE = Path(__file__).parent
SITE = HERE / "sites" / "excerpts"
ARTICLE = (SITE / "content" / "harbour.txt").read_text()

# Sentences the page may show, whole or in part: those that hold a passage or its 8 words of context.
QUOTED = [
    "The contract runs for thirty years and covers every berth.",
    "Insiders said the buyer had paid twice the asking price.",
    "Nobody at the authority would confirm the figure on the record.",
    "The harbour master declined to comment on the berth schedule.",
    "Critics noted that the tender was open for only nine days.",
    "Rival bidders said they never saw the final terms.",
]
TITLE = "Harbour Deal Signed At Dawn"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def flat(text: str) -> str:
    return " ".join(text.split()).lower()


def readings(path: Path) -> list[str]:
    """A file as every reader of it could see it: raw, as page text, as JSON strings, URL-decoded."""
    raw = path.read_bytes().decode("utf-8", "replace")
    out = [raw, unescape(re.sub(r"<[^>]+>", " ", raw)), unquote(raw)]
    if path.suffix in (".jsonld", ".json"):
        out.append(" ".join(_strings(json.loads(raw))))
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S):
        out.append(" ".join(_strings(json.loads(block))))
    return [flat(r) for r in out]


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def leaks(out: Path, text: str, allowed: list[str]) -> list[tuple[str, str]]:
    """(file, sentence) for every sentence of `text` outside `allowed` that some output file holds:
    the whole sentence, or its first or last six words."""
    files = {p.relative_to(out).as_posix(): readings(p) for p in sorted(out.rglob("*")) if p.is_file()}
    found = []
    for sentence in sentences(text):
        if sentence in allowed:
            continue
        words = sentence.rstrip(".").split()
        probes = {flat(" ".join(words)), flat(" ".join(words[:6])), flat(" ".join(words[-6:]))}
        for name, variants in files.items():
            if any(probe in variant for probe in probes for variant in variants):
                found.append((name, sentence))
    return found


def build_into(site: Path, out: Path) -> Path:
    """`glossator build SITE --out OUT --no-cache`, checked to succeed; OUT (tests/test_judge49.py's build too)."""
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_into(SITE, tmp_path_factory.mktemp("excerpts") / "site")


def test_no_sentence_outside_the_excerpts_reaches_any_output_file(out):
    kinds = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert {".html", ".xml", ".jsonld"} <= kinds  # pages, feeds and sitemap, the W3C export
    assert leaks(out, ARTICLE, QUOTED + [TITLE]) == []


def test_the_leak_check_would_see_a_leak(out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    page = copy / "flags/anonymous-source/index.html"
    page.write_text(page.read_text().replace("</main>", "<p>The mayor praised the deal as a fresh start for the waterfront.</p></main>"))
    assert leaks(copy, ARTICLE, QUOTED + [TITLE]) == [
        ("flags/anonymous-source/index.html", "The mayor praised the deal as a fresh start for the waterfront.")]


def page_text(path: Path) -> str:
    return flat(unescape(re.sub(r"<[^>]+>", " ", path.read_text())))


def test_the_page_shows_each_passage_with_its_context_ellipses_and_the_original(out):
    html = (out / "articles/harbour/index.html").read_text()
    # the article's words only: a note reference (number and flag words) is not the article's text
    html = re.sub(r'<a class="noteref"[^>]*>.*?</a>', "", html)
    excerpts = [flat(unescape(re.sub(r"<[^>]+>", "", p))) for p in re.findall(r'<p class="excerpt">(.*?)</p>', html, re.S)]
    assert excerpts == [
        "… runs for thirty years and covers every berth. insiders said the buyer had paid twice the asking price. "
        "nobody at the authority would confirm the figure …",
        "… comment on the berth schedule.",
        "critics noted that the tender was open for only nine days. rival bidders said they never saw the final …",
    ]
    assert re.search(r'<p class="excerpts-notice" role="note">Excerpts only:.*?<a href="https://courier\.example\.com/harbour-deal" '
                     r'rel="nofollow">Read the whole article at the original</a>', html, re.S)
    assert html.count('data-annotation="price"') == 1 and html.count('data-annotation="nine-days"') == 1
    assert 'href="https://courier.example.com/harbour-deal#:~:text=' in html  # each note still links into the original


def test_the_export_keeps_prefix_and_suffix_inside_the_excerpt(out):
    doc = json.loads((out / "articles/harbour/annotations.jsonld").read_text())
    html = re.sub(r'<a class="noteref"[^>]*>.*?</a>', "", (out / "articles/harbour/index.html").read_text())  # not the article's words
    shown = " ".join(flat(unescape(re.sub(r"<[^>]+>", "", p))) for p in re.findall(r'<p class="excerpt">(.*?)</p>', html, re.S))
    for item in doc["first"]["items"]:
        ours, original = item["target"]
        quote = ours["selector"][0]
        assert original["selector"] == quote
        assert flat(quote.get("prefix", "") + quote["exact"] + quote.get("suffix", "")) in shown


def test_one_article_in_excerpts_on_a_full_site(tmp_path):
    site = tmp_path / "small"
    shutil.copytree(HERE / "sites" / "small", site)
    (site / "site.toml").write_text((site / "site.toml").read_text().replace(
        'default_annotator = "desk"', 'default_annotator = "desk"\nexcerpt_words = 2'))
    layer = site / "annotations/gangs.yaml"
    layer.write_text(layer.read_text().replace("  flags: [sponsored]\n", "  flags: [sponsored]\n  publish: excerpts\n"))
    layer.write_text(re.sub(r"  - id: disowned\n(    .*\n|      .*\n)*", "", layer.read_text()))
    reply = site / "annotations/reply.yaml"
    reply.write_text(reply.read_text().replace("    supports: gangs#unnamed\n", ""))
    out = build_into(site, tmp_path / "out")
    gangs = (site / "content/gangs.txt").read_text()
    body = gangs[gangs.index("Officials who asked") : gangs.index("Sign up")]
    allowed = ["Officials who asked not to be named said the two gangs formed an alliance last year.",
               "The alliance was sealed in a prison, they said."]
    assert leaks(out, body, allowed) == []
    assert "a ministry spokesperson" not in page_text(out / "articles/gangs/index.html")
    # the other article is published in full
    assert "see the original for the claim" in page_text(out / "articles/reply/index.html")


def built(make_site, tmp_path, files: dict) -> Path:
    """A small site of these files, built with the command line; its output folder."""
    return build_into(make_site(tmp_path / "site", files), tmp_path / "out")


def test_excerpts_of_text_written_without_spaces_count_characters(tmp_path, make_site):
    """In Chinese (or Japanese, Thai) a run without spaces is a paragraph, not a word: each character
    counts, or `excerpt_words` would let whole paragraphs through."""
    far = "秘密段落：这一整段都与注释无关，它离任何注释都很远。"
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nexcerpt_words = 5\nlanguage = "zh"\nsearch = false\n',
        "content/a.txt": f"评论\n\n报道的主要依据是一位不愿透露姓名的知情人士，而管理处随后发布声明予以否认。\n\n{far}\n\n结尾。\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "知情人士"\n    flags: [anonymous-source]\n    tags: [消息源]\n'})
    shown = [p for p in out.rglob("*") if p.is_file() and far[:4] in p.read_bytes().decode("utf-8", "replace")]
    assert shown == []
    page = page_text(out / "articles/a/index.html")
    assert "透露姓名的" in page and "而管理处随" in page and "主要依据" not in page  # 5 characters each side


def test_two_excerpts_that_touch_read_as_one_without_an_ellipsis(tmp_path, make_site):
    """Two passages whose contexts meet with only a space between them leave nothing out there: one
    stretch, no "…" in the middle (a false gap would tell the reader text was withheld)."""
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nexcerpt_words = 2\nsearch = false\n',
        "content/a.txt": "Title\n\nOne two three four five six seven eight nine ten eleven twelve thirteen.\n",
        "annotations/a.yaml": "annotations:\n  - quote: four\n    note: A.\n  - quote: nine\n    note: B.\n"})
    html = (out / "articles/a/index.html").read_text()
    excerpts = [flat(unescape(re.sub(r"<[^>]+>", "", p))) for p in re.findall(r'<p class="excerpt">(.*?)</p>', html, re.S)]
    # "two three [four] five six" and "seven eight [nine] ten eleven" touch: one stretch, "…" only at its ends
    assert len(excerpts) == 1 and excerpts[0].count("…") == 2 and re.search(r"six\s+seven", excerpts[0]), excerpts


def test_a_passage_across_list_items_keeps_the_space_between_them(tmp_path, make_site):
    """Excerpts left out the separators between blocks: a passage over two list items read "item oneitem two",
    and its pieces, joined, were no longer its quote (SPEC 9's hook)."""
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nsearch = false\n',
        "content/m.md": "# Title\n\n- item one\n- item two\n",
        "annotations/m.yaml": "annotations:\n  - id: cross\n    quote: item one item two\n    note: N.\n"})
    html = (out / "articles/m/index.html").read_text()
    pieces = re.findall(r'<mark[^>]*data-annotation="cross"[^>]*>(.*?)</mark>', html, re.S)
    assert flat(unescape("".join(re.sub(r"<[^>]+>", "", p) for p in pieces))) == "item one item two", pieces


def test_the_title_line_near_a_passage_is_not_shown_twice(tmp_path, make_site):
    """Audit read9: the page's heading is the text's first line; a full page leaves that line out of the text,
    but an excerpt whose context reached back to it showed the title again as the excerpt's first paragraph."""
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nsearch = false\n',
        "content/a.txt": "An excerpted article\n\nFiller one. Filler two. The mayor, who asked not to be named, spoke.\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "who asked not to be named"\n    flags: [anonymous-source]\n'})
    html = (out / "articles/a/index.html").read_text()
    excerpts = [flat(unescape(re.sub(r"<[^>]+>", "", p))) for p in re.findall(r'<p class="excerpt">(.*?)</p>', html, re.S)]
    assert excerpts and not any(e == "an excerpted article" for e in excerpts), excerpts
    assert "filler one" in excerpts[0], excerpts


def test_an_untitled_article_in_excerpts_is_titled_by_its_slug_not_its_first_line(tmp_path, make_site):
    """The title of last resort is the article's first line (SPEC 2), but in excerpts no other part
    of the text may appear anywhere (SPEC 12): it was on the index, the feeds, the graph and every
    page's <title>. The slug stands in, and check says to write a title."""
    first = "Exclusive: the minister's secret diary, part one"
    files = {
        "site.toml": 'publish = "excerpts"\nexcerpt_words = 3\nbase_url = "https://e.example/"\n',
        "content/diary.txt": f"{first}\n\nSomething else entirely, far from any passage. The minister said the port was sold.\n",
        "annotations/diary.yaml": "annotations:\n  - quote: the port was sold\n    flags: [anonymous-source]\n",
    }
    out = built(make_site, tmp_path, files)
    shown = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
             and any("secret diary" in r for r in readings(p))]
    assert shown == []
    assert "<title>diary · " in (out / "articles/diary/index.html").read_text()
    result = CliRunner().invoke(main, ["check", str(tmp_path / "site")])
    assert result.exit_code == 0
    assert "annotations/diary.yaml:1:1: warning: no title: this article is published as excerpts" in result.stderr


def test_an_untitled_article_whose_first_line_is_in_an_excerpt_keeps_it_as_its_title(tmp_path, make_site):
    """The first line is published anyway when a passage's context reaches it: then it is the title, as in full."""
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nexcerpt_words = 6\nsearch = false\n',
        "content/a.txt": "Port sold\n\nThe minister said the port was sold. " + "Filler words here. " * 30 + "\n",
        "annotations/a.yaml": "annotations:\n  - quote: the port was sold\n    flags: [anonymous-source]\n",
    })
    assert "<title>Port sold · " in (out / "articles/a/index.html").read_text()


def test_an_excerpted_article_with_no_annotation_says_why_no_text_is_shown(tmp_path, make_site):
    """Audit read12: in excerpts, an article with no annotation shows none of its text, under a notice that
    said "this page quotes the passages the desk annotated": there were none, and the page looked broken."""
    out = built(make_site, tmp_path, {
        "site.toml": 'publish = "excerpts"\nsearch = false\n',
        "content/bare.txt": "A bare article\n\nNobody annotated this sentence.\n",
        "content/noted.txt": "A noted article\n\nThe mayor, who asked not to be named, spoke.\n",
        "annotations/bare.yaml": "article:\n  title: A bare article\n",
        "annotations/noted.yaml": 'annotations:\n  - quote: "who asked not to be named"\n    flags: [anonymous-source]\n'})
    bare, noted = (page_text(out / f"articles/{slug}/index.html") for slug in ("bare", "noted"))
    assert "no passage of this article is annotated yet" in bare and "nobody annotated" not in bare
    assert "quotes the passages the desk annotated" in noted and "no passage of this article" not in noted


def test_a_flag_or_tag_page_quoting_an_excerpt_marks_the_text_left_out(tmp_path, make_site):
    """The passage lists quote a passage with its excerpt's context: where the excerpt stops short of
    the text, an ellipsis says so, as on the article's page; without one, "three" read as where the
    article stops (audit16). A full article's short text keeps no ellipsis."""
    out = built(make_site, tmp_path, {
        "site.toml": 'excerpt_words = 2\nsearch = false\n',
        "content/cut.txt": "Cut\n\nOne two three four five six seven eight nine ten.\n",
        "content/whole.txt": "Whole\n\nOne two three four five.\n",
        "annotations/cut.yaml": "article:\n  publish: excerpts\nannotations:\n"
                                "  - quote: five\n    flags: [anonymous-source]\n    tags: [Cuts]\n",
        "annotations/whole.yaml": "annotations:\n  - quote: three\n    flags: [anonymous-source]\n    tags: [Cuts]\n"})
    for page in ("flags/anonymous-source/index.html", "tags/cuts/index.html"):
        quoted = [flat(unescape(re.sub(r"<[^>]+>", "", q))) for q in re.findall(r"<blockquote[^>]*>(.*?)</blockquote>",
                                                                               (out / page).read_text(), re.S)]
        assert sorted(quoted) == ["whole one two three four five.", "…three four five six seven…"], (page, quoted)


def test_an_annotation_file_that_does_not_parse_is_not_also_said_to_lack_a_title(tmp_path, make_site):
    """A typo in the file that sets the title (a quote left open) made check also say 'no title ...; set
    article.title' at that file's line 1, sending the writer after a title that is there: only the typo is said."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'publish = "excerpts"\nbase_url = "https://e.example/"\n',
        "content/diary.txt": "Exclusive: the diary\n\nFar from any passage. The minister said the port was sold.\n",
        "annotations/diary.yaml": 'article:\n  title: "The diary\nannotations:\n  - quote: the port was sold\n    flags: [anonymous-source]\n',
    })
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert "annotations/diary.yaml:2:10: error: YAML syntax" in result.stderr
    assert "no title" not in result.stderr
