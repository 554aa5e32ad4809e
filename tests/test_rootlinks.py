"""Links a user writes in Markdown under a base_url with a path (https://example.org/news/).

A site-absolute link (`/articles/b/`) is left as written, since `/about` may mean the domain's own page:
it works under `serve` (at `/`) and leads out of the site once published under `/news/`. When it names a
page or file of the site, check and build say so where it is written, with the relative form; and that
form works everywhere the text is shown (a note is on its article's page, and on flag and tag pages).
"""
from __future__ import annotations

import json

from builder.build import build

SITE = {
    "site.toml": 'title = "Desk"\nbase_url = "https://example.org/news/"\n',
    "static/img/map.png": b"\x89PNG\r\n",
    "content/a.txt": "The port was sold in secret, officials said.\n",
    "content/b.md": "# B\n\nThe sale was public: see [the minutes](/feed.xml) and ![map](/img/map.png).\n",
    "annotations/a.yaml": (
        "article:\n"
        "  summary: See [the answer](../b/).\n"
        "annotations:\n"
        "  - id: sold\n"
        "    quote: sold in secret\n"
        "    flags: [anonymous-source]\n"
        "    tags: [Port]\n"
        "    note: |\n"
        "      Unnamed officials. [Our policy](/about) and\n"
        "      [the answer](/articles/b/#public); [relative](../b/#public) and [here](#sold).\n"
    ),
    "annotations/b.yaml": "annotations:\n  - id: public\n    quote: The sale was public\n    rebuts: a#sold\n",
}


def test_site_absolute_links_to_the_site_are_said_where_written_with_the_relative_form(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", SITE)
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0
    said = [(p["file"], p["line"], p["col"], p["severity"]) for p in json.loads(out) if "base_url's path" in p["message"]]
    assert said == [("annotations/a.yaml", 10, 20, "warning"),  # /articles/b/#public (/about is the domain's: not said)
                    ("content/b.md", 3, 40, "warning"),  # /feed.xml
                    ("content/b.md", 3, 62, "warning")]  # /img/map.png, a file of static/
    messages = [p["message"] for p in json.loads(out) if "base_url's path" in p["message"]]
    assert messages[0] == ('the link "/articles/b/#public" leaves out base_url\'s path ("/news/"): published, it leads to '
                           "https://example.org/articles/b/#public, outside the site (it works only under `glossator serve`); "
                           'write it relative to the article\'s page: "../b/#public"')
    assert messages[1].endswith('"../../feed.xml"') and messages[2].endswith('"../../img/map.png"')
    # build says the same, and the link stays as written
    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok
    assert [(p.file, p.line, p.col) for p in result.problems if "base_url's path" in p.message] == [s[:3] for s in said]
    page = (tmp_path / "out" / "articles/a/index.html").read_text("utf-8")
    assert 'href="/about"' in page and 'href="/articles/b/#public"' in page
    # published at the domain's root, the same links work: nothing to say
    result = build(site, tmp_path / "root", base_url="https://example.org/", use_cache=False)
    assert not [p for p in result.problems if "base_url's path" in p.message]


def test_relative_links_in_notes_lead_to_the_same_place_on_every_page_that_shows_them(tmp_path, make_site):
    """A note is shown on its article's page and on flag and tag pages, a summary on the index too: `../b/`
    led to flags/b/ and to the domain's /b/. Relative links are resolved against the article's page."""
    site = make_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert build(site, out, use_cache=False).ok
    for page in ("articles/a/index.html", "flags/anonymous-source/index.html", "tags/port/index.html",
                 "flags/rebuttal/index.html"):
        text = (out / page).read_text("utf-8")
        assert 'href="/news/articles/b/#public">relative</a>' in text, page
        assert 'href="/news/articles/a/#sold">here</a>' in text, page
        assert 'href="../b/#public"' not in text, page
    assert 'href="/news/articles/b/">the answer</a>' in (out / "index.html").read_text("utf-8")


DEAD = {
    "site.toml": 'title = "Desk"\n',
    "static/articles/a/map.png": b"\x89PNG\r\n",
    "content/a.txt": "The port was sold in secret, officials said.\n",
    "content/b.md": "# B\n\nThe sale was public: see [a](../a/), [the paper](../../paper/) and ![map](../a/map.png).\n",
    "annotations/a.yaml": (
        "article:\n"
        "  summary: See [the answer](../b/) and [the map](map.png).\n"
        "annotations:\n"
        "  - id: sold\n"
        "    quote: sold in secret\n"
        "    note: |\n"
        "      Compare [the answer](../bb/#public), [the flag](../../flags/anonymous-sourc/) and\n"
        "      [the search](../../search/), [here](#sold), [the feed](../../feed.xml), [out](../../../about),\n"
        "      [mail](mailto:desk@example.org) and [a picture](mapp.png).\n"
    ),
}


def test_a_relative_link_to_no_page_is_said_where_written_with_the_nearest_page(tmp_path, make_site, run_cli):
    """An annotator's typo in a link (`../bb/`) is a dead link on the published page: check and build say
    where it is written and propose the nearest page; links to real pages, files of static/, the
    page itself and links out of the site's folder are not said."""
    site = make_site(tmp_path / "site", DEAD)
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0  # a warning: the page is still made
    said = [(p["file"], p["line"], p["col"], p["message"]) for p in json.loads(out) if "leads to no page" in p["message"]]
    assert said == [
        ("annotations/a.yaml", 7, 28, 'the link "../bb/#public" leads to no page or file of the site (articles/bb); did you mean "../b/#public"?'),
        ("annotations/a.yaml", 7, 55, 'the link "../../flags/anonymous-sourc/" leads to no page or file of the site '
                                      '(flags/anonymous-sourc); did you mean "../../flags/anonymous-source/"?'),
        ("annotations/a.yaml", 9, 55, 'the link "mapp.png" leads to no page or file of the site (articles/a/mapp.png); '
                                      'did you mean "map.png"?'),
        ("content/b.md", 3, 50, 'the link "../../paper/" leads to no page or file of the site (paper)'),
    ]
    result = build(site, tmp_path / "out")  # build says the same
    assert result.ok
    assert [(p.file, p.line, p.col, p.message) for p in result.problems if "leads to no page" in p.message] == said


def test_a_link_to_a_mistyped_passage_id_is_said_with_the_id_meant(tmp_path, make_site, run_cli):
    """A link whose page exists but whose passage id is mistyped (`../a/#sodl`, `#pubilc`) leads to the top of
    the page, not the passage: check and build say so where it is written and propose the id. Ids of the page's
    own parts (`#main`), of a note (`#note-public`) and fragments near no passage id are not said."""
    said = _said_of_a_note(tmp_path, make_site, run_cli, "leads to no passage",
                           "See [the claim](../a/#sodl), [this](#pubilc), [its note](#note-public), [top](../a/#main),\n"
                           "      [the claim](../a/#sold) and [elsewhere](#somewhere-else).")
    assert said == [
        ("annotations/b.yaml", 4, 27, 'the link "../a/#sodl" leads to no passage of articles/a/; did you mean "../a/#sold"?'),
        ("annotations/b.yaml", 4, 47, 'the link "#pubilc" leads to no passage of this page; did you mean "#public"?'),
    ]


def _said_of_a_note(tmp_path, make_site, run_cli, words: str, note: str) -> list[tuple]:
    """The warnings holding `words` that check says of a site whose one note is `note` (written on line 4 of
    annotations/b.yaml); build must say the same."""
    site = make_site(tmp_path / "site", {**DEAD, "annotations/b.yaml": (
        f"annotations:\n  - id: public\n    quote: The sale was public\n    note: {note}\n")})
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0
    said = [(p["file"], p["line"], p["col"], p["message"]) for p in json.loads(out) if words in p["message"]]
    result = build(site, tmp_path / "out")
    assert [(p.file, p.line, p.col, p.message) for p in result.problems if words in p.message] == said
    return said


def test_a_note_s_link_written_as_a_reference_is_said_with_the_address_of_that_passage(tmp_path, make_site, run_cli):
    """heldout61: an annotator wrote `[the long read](kalte-wohnungen#gesamt-29)` in a note, as rebuts and see name a
    passage: from the note's page that address leads nowhere. The warning proposed "../kalte-wohnungen/", the passage
    left out, and for a longer slug nothing at all. It now gives the passage's address, and says why."""
    said = _said_of_a_note(tmp_path, make_site, run_cli, "leads to no page",
                           "As [the other](a#sold) and [the whole](a) say, and [a stranger](zz#sold).")
    assert [w for w in said if w[0] == "annotations/b.yaml"] == [
        ("annotations/b.yaml", 4, 26, 'the link "a#sold" leads to no page or file of the site (articles/b/a); did you mean '
                                      '"../a/#sold"? (a passage is named slug#id in rebuts, retracts, supports, see and '
                                      'sources; a link takes its address)'),
        ("annotations/b.yaml", 4, 50, 'the link "a" leads to no page or file of the site (articles/b/a); did you mean '
                                      '"../a/"? (a passage is named slug#id in rebuts, retracts, supports, see and '
                                      'sources; a link takes its address)'),
        ("annotations/b.yaml", 4, 75, 'the link "zz#sold" leads to no page or file of the site (articles/b/zz)'),
    ]


def test_a_link_markdown_leaves_as_text_is_said(tmp_path, make_site, run_cli):
    """A note's `[x](javascript:…)` or `[x](//host/…)` is shown as written, not as a link (SPEC: links only
    http(s), mailto and relative): check and build say so where it is written, not silently."""
    said = _said_of_a_note(tmp_path, make_site, run_cli, "not made a link",
                           "See [it](javascript:alert(1)), [there](//evil.example/x), [here](https://example.org/) and\n"
                           "      [mail](mailto:desk@example.org).")
    assert said == [
        ("annotations/b.yaml", 4, 20, 'the link "javascript:alert(1)" is shown as written, not made a link: notes link only to '
                                      "http(s), mailto and relative addresses"),
        ("annotations/b.yaml", 4, 50, 'the link "//evil.example/x" is shown as written, not made a link: names another site '
                                      'without saying how to reach it: write "https://evil.example/x"'),
    ]


def test_a_picture_linked_from_the_wrong_folder_is_said_with_the_path_to_the_file_of_that_name(tmp_path, make_site, run_cli):
    """`![pic](pic.png)` in a Markdown article whose picture is static/pic.png leads to articles/x/pic.png,
    which is not there: the warning proposes the one file of that name ("../../pic.png"), not the
    article's own page ("./"); a misspelt name still gets the nearest page by spelling, never the page itself."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "Desk"\n',
        "static/pic.png": b"\x89PNG\r\n",
        "content/x.md": "# X\n\nA picture: ![pic](pic.png), and [a typo](./zz/).\n",
    })
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0
    said = [(p["line"], p["col"], p["message"]) for p in json.loads(out) if "leads to no page" in p["message"]]
    assert said == [
        (3, 19, 'the link "pic.png" leads to no page or file of the site (articles/x/pic.png); did you mean "../../pic.png"?'),
        (3, 42, 'the link "./zz/" leads to no page or file of the site (articles/x/zz)'),
    ]


def test_a_picture_kept_beside_its_article_in_content_is_said_with_where_it_goes(tmp_path, make_site, run_cli):
    """`![chart](chart.png)` with content/chart.png beside content/report.md (as a page bundle keeps it) is not
    published: content/ holds the articles. Both warnings say to move it to static/, the link's with the path that
    then works; neither proposes a page whose path only shares the folder ("annotations.jsonld" was proposed)."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "Desk"\n',
        "content/chart.png": b"\x89PNG\r\n",
        "content/report.md": "# Report\n\nThe chart: ![chart](chart.png), and [a sheet](data/sheet.csv).\n",
    })
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0
    said = [(p["file"], p["line"], p["col"], p["message"]) for p in json.loads(out) if p["file"].startswith("content/")]
    assert said == [
        ("content/chart.png", 1, 1, "not read: the files of content/ end in .md or .txt (a picture or a document an "
                                    "article shows goes in static/, which is copied as it is: move it to static/chart.png)"),
        ("content/report.md", 3, 21, 'the link "chart.png" leads to no page or file of the site (articles/report/chart.png); '
                                     "content/chart.png is not published: content/ holds the articles only. Put it in static/, "
                                     'which is copied as it is, as static/chart.png, and link it as "../../chart.png"'),
        ("content/report.md", 3, 47, 'the link "data/sheet.csv" leads to no page or file of the site (articles/report/data/sheet.csv)'),
    ]


def test_a_link_that_is_the_end_of_another_is_said_where_it_is_written(tmp_path, make_site, run_cli):
    """`![a](/img/a.png) and ![b](img/a.png)`: the warning for the second pointed at column 18, inside the
    first link, where it reads the same; the editor's cursor landed on a link that was not the one meant."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "Desk"\nbase_url = "https://example.org/reading/"\n',
        "static/img/a.png": b"\x89PNG\r\n",
        "content/x.md": "# X\n\nPictures: ![a](/img/a.png) and ![b](img/a.png).\n",
    })
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 0
    said = sorted((p["line"], p["col"], p["message"].split(":")[0]) for p in json.loads(out) if p["file"] == "content/x.md")
    line = "Pictures: ![a](/img/a.png) and ![b](img/a.png)."
    assert said == [(3, line.index("/img") + 1, 'the link "/img/a.png" leaves out base_url\'s path ("/reading/")'),
                    (3, line.index("(img") + 2, 'the link "img/a.png" leads to no page or file of the site (articles/x/img/a.png); did you mean "../../img/a.png"?')]
