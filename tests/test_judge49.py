"""A judge's site (tests/sites/judge49), written from SPEC alone by an outsider: a civics class reading a mayor's
speech and the pieces that answered it. One build, checked the way a judge checks it: the hooks (SPEC 9), the
excerpts (SPEC 12), the W3C export (SPEC 9) and ClaimReview on a scale of the site's own (SPEC 6).

What the site holds that other fixtures do not, together: a speech saved with a BOM and Windows line ends; a
quote that crosses two paragraphs with a no-break space where the article has a blank line; Markdown with
front matter, a table, strikethrough and a <script> line shown as text; a blog post whose body leaves out its
sign-up box and comment form; an excerpts-only op-ed; a verdict scale that replaces the built-in one; the
built-in `rebuttal` flag relabelled; passages that overlap; relations to whole articles and to passages.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.test_excerpts import build_into, leaks
from tests.w3c_suite import exported, failures

SITE = Path(__file__).parent / "sites" / "judge49"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_into(SITE, tmp_path_factory.mktemp("judge49") / "site")


def same_text(text: str) -> str:
    """SPEC 4's normalisation: NFC, curly quotes as straight ones, any run of white space as one space."""
    text = unicodedata.normalize("NFC", text).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split())


class Pieces(HTMLParser):
    """Per annotation id: the text inside its data-annotation elements, joined; the first piece's attributes."""

    def __init__(self):
        super().__init__()
        self.open: list[str | None] = []
        self.text: dict[str, str] = {}
        self.first: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        name = attrs.get("data-annotation")
        self.open.append(name)
        if name is not None and name not in self.first:
            self.first[name], self.text[name] = attrs, ""

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.open.pop()

    def handle_data(self, data):
        for name in set(filter(None, self.open)):
            self.text[name] += data


def test_a_judges_site_keeps_every_promise_it_checks(out):
    # SPEC 9: every passage's pieces, joined, are its quote; the first piece has the id and the flags
    for path in sorted((SITE / "annotations").glob("*.yaml")):
        pieces = Pieces()
        pieces.feed((out / "articles" / path.stem / "index.html").read_text("utf-8"))
        for ann in yaml.safe_load(path.read_text("utf-8"))["annotations"]:
            if "id" not in ann:
                continue
            assert same_text(pieces.text.get(ann["id"], "")) == same_text(ann["quote"]), (path.stem, ann["id"])
            first = pieces.first[ann["id"]]
            assert first.get("id") == ann["id"]
            assert set(ann.get("flags", [])) <= set(first["data-flags"].split()), (path.stem, ann["id"])
    hooks = Pieces()
    hooks.feed((out / "articles/state-of-the-city/index.html").read_text("utf-8"))
    assert hooks.first["jobs"]["data-flags"].split() == ["retraction", "rebuttal"]  # both implied, one per end

    # SPEC 12: nothing of the excerpts-only op-ed outside its excerpts, anywhere (search index included);
    # SPEC 3: the blog's furniture outside its body is not shown either
    oped = (SITE / "content/national-oped.txt").read_text("utf-8")
    shown = ["Small Cities Are Closing Libraries.", "They Will Regret It.",  # its title, set in article.title
             "Each argument is half true.", "Phones are everywhere, but one household in five in these cities has no "
             "home broadband.", "In Riverside, the mayor promised that a parking garage would create 120 jobs.",
             "Garages of that size typically employ fewer than ten people once built.",
             "Visits are down, but circulation of e-books through the same library cards is up threefold.",
             "Cities that closed branches in the last recession mostly reopened them within eight years, at twice the cost.",
             "The cheapest library is the one you never closed."]
    furniture = "SIGN UP for our newsletter! Never miss a post. Leave a comment."
    assert leaks(out, f"{oped}\n{furniture}", shown) == []
    assert list((out / "search").rglob("*.json")), "the search index is built, and was looked through"

    # SPEC 9: every exported annotation meets the W3C model's MUSTs; the op-ed's also targets its original
    assert [(name, failures(item)) for name, item in exported(out) if failures(item)] == []
    export = json.loads((out / "articles/national-oped/annotations.jsonld").read_text("utf-8"))
    assert all(item["target"][1] == {"source": "https://nrc.example.com/2026/03/small-cities-libraries",
                                     "selector": item["target"][0]["selector"][0]} for item in export["first"]["items"])

    # SPEC 6: ClaimReview rated on the site's own scale (baseless 1, shaky 2, solid 3), which replaced the built-in
    page = (out / "articles/state-of-the-city/index.html").read_text("utf-8")
    reviews = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    ratings = {r["url"].rpartition("#")[2]: r["reviewRating"] for r in reviews if r.get("@type") == "ClaimReview"}
    assert ratings["jobs"] == {"@type": "Rating", "alternateName": "Baseless", "ratingValue": 1, "bestRating": 3,
                               "worstRating": 1}
    assert {r["alternateName"] for r in ratings.values()} == {"Baseless", "Shaky"}
    # the relabelled rebuttal flag: pages still say which end a passage is
    assert "Pushed back on" in html.unescape(page) and "Rebutted by" in page
