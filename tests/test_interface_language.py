"""A site in another language than English (SPEC 7, `language`; SPEC 9, "the HTML is valid" and complete for every
reader): the interface's own words, which are English, say lang="en", so that a screen reader reads them as English
(WCAG 2 "language of parts"); the site's own words inside them (flag labels, tags, names, claims) keep the site's
language. An English site's pages are as they were (the golden output of tests/sites/small)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.build import build
from conftest import write_site

VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "col"}

SITE = {
    "site.toml": 'title = "Lectures annotées"\nbase_url = "https://example.org/classe/"\nlanguage = "fr"\n'
                 '[flags.figure-de-style]\nlabel = "Figure de style"\ndescription = "Un procédé à nommer."\n',
    "content/hugo.txt": "Discours sur la misère\n\nLa misère est une maladie du corps social.\n\n"
                        "Détruire la misère ! oui, cela est possible.\n",
    "annotations/hugo.yaml": (
        "article:\n  publication: Assemblée nationale\n  author: Victor Hugo\n  published: 1849-07-09\n"
        "  url: https://fr.wikisource.org/wiki/Discours\n"
        "annotations:\n"
        "  - id: maladie\n    quote: \"La misère est une maladie du corps social.\"\n    flags: [figure-de-style]\n"
        "    note: Une métaphore.\n    by: professeure\n    date: 2026-11-20\n    tags: [Rhétorique]\n"
        "    sources: [{url: \"https://fr.wikipedia.org/wiki/M\", title: \"Métaphore\"}]\n"
        "    verdict: unproven\n    claim: La misère est une maladie.\n"
        "  - id: detruire\n    quote: \"Détruire la misère !\"\n    rebuts: \"#maladie\"\n"),
}


class Langs(HTMLParser):
    """Each text of a page (white space folded) with the language it is in: the nearest lang attribute. Hidden
    parts are left out (the search index's filter values, a preview shown on hover, the script's buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            attrs = dict(attrs)
            lang = attrs.get("lang") or (self.stack[-1][1] if self.stack else None)
            self.stack.append((tag, "hidden" if "hidden" in attrs else lang))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        data = " ".join(data.split())
        if data and self.stack and self.stack[-1][0] not in ("script", "style", "title") and self.stack[-1][1] != "hidden":
            self.texts.append((self.stack[-1][1], data))


def langs(path: Path) -> dict[str, set]:
    """A page's texts, each with every language it is in there."""
    parser = Langs()
    parser.feed(path.read_text(encoding="utf-8"))
    found: dict[str, set] = {}
    for lang, data in parser.texts:
        found.setdefault(data, set()).add(lang)
    return found


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    site = write_site(tmp_path_factory.mktemp("fr") / "site", SITE)
    result = build(site, site / "_site", use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    return site / "_site"


# (page, the interface's words there, the site's words there)
PAGES = [
    ("articles/hugo/index.html",
     ["Skip to the text", "Search", "Claim graph", "Original", "Sources:", "Tags:", "Back to the passage",
      "Claim rated", "This passage in the original", "Rebuts", "Rebutted", "1 passage rebutted", "1 passage rebuts another", "These annotations as W3C Web Annotations (JSON-LD)",
      "Atom feed", "made with Glossator", "9 July 1849", "20 November 2026"],
     ["Lectures annotées", "Assemblée nationale", "Victor Hugo", "professeure", "Rhétorique", "Métaphore",
      "Figure de style", "La misère est une maladie.", "Une métaphore."]),
    ("index.html", ["Article", "Published", "Verdicts", "The flags"], ["Figure de style", "Un procédé à nommer."]),
    ("flags/figure-de-style/index.html", ["Follow this flag (Atom feed)", "Read it in place"], ["Une métaphore."]),
    ("flags/rebuttal/index.html", ["Rebuts", "Rebutted"], []),
    ("tags/index.html", ["Tags", "1 passage"], ["Rhétorique"]),
    ("search/index.html", ["Words to find", "Browse instead", "By flag", "By tag"], ["Figure de style", "Rhétorique"]),
    ("graph/index.html", ["Claims and answers, as a list", "Skip to the same as a list"], []),
    ("404.html", ["Not found"], []),
]


@pytest.mark.parametrize("path, interface, own", PAGES, ids=[p[0] for p in PAGES])
def test_the_interface_words_are_english_and_the_sites_are_its_own(out, path, interface, own):
    found = langs(out / path)
    for words in interface:
        assert words in found, (path, words)
        assert found[words] == {"en"}, f"{path}: {words!r} is read as {found[words]}, not as English"
    for words in own:
        assert words in found, (path, words)
        assert found[words] == {"fr"}, f"{path}: {words!r}, the site's own, is read as {found[words]}, not French"


def test_an_english_site_says_no_lang_but_its_own(make_site, tmp_path):
    """On an English site the interface's words need no lang of their own: nothing but <html lang="en">."""
    files = dict(SITE, **{"site.toml": SITE["site.toml"].replace('"fr"', '"en-GB"')})
    site = make_site(tmp_path / "site", files)
    assert build(site, site / "_site", use_cache=False).ok
    html = (site / "_site" / "articles/hugo/index.html").read_text(encoding="utf-8")
    assert re.findall(r'lang="[^"]*"', html) == ['lang="en-GB"']


def test_the_feeds_say_the_sites_language(out):
    """A feed reader learns the entries' language from the feed's xml:lang (RFC 4287, 2): the site's `language`."""
    for feed in [out / "feed.xml", *out.glob("flags/*/feed.xml")]:
        assert ET.parse(feed).getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == "fr", feed


TURKISH = {
    "site.toml": 'title = "Açıklamalı okuma"\nbase_url = "https://example.org/okuma/"\nlanguage = "tr"\n'
                 '[flags.kaynaksiz]\nlabel = "Kaynaksız"\ndescription = "Kaynak gösterilmemiş."\n',
    "content/haber.txt": "Yangın haberi\n\nİsmini vermek istemeyen bir yetkili, depoda 40 ton madde olduğunu söyledi.\n\n"
                         "Vali, risk olmadığını söyledi.\n",
    "annotations/haber.yaml": (
        "annotations:\n"
        "  - id: isimsiz\n    quote: \"İsmini vermek istemeyen bir yetkili\"\n    flags: [anonymous-source]\n"
        "    note: Tek kaynak.\n    verdict: misleading\n    claim: Depoda 40 ton madde vardı.\n"
        "  - id: risk\n    quote: \"risk olmadığını\"\n    flags: [kaynaksiz]\n    verdict: unproven\n    claim: Risk yoktu.\n"),
}


def test_a_built_in_flag_s_or_verdict_s_label_is_english_on_a_site_in_another_language(make_site, tmp_path):
    """heldout62, a Turkish site: the built-in flag's label "Anonymous sourcing" and the built-in verdicts'
    ("Misleading", "Unproven") said no lang of their own, so were read as Turkish, and their capitals (CSS uppercase,
    by the rules of the page's language) read "ANONYMOUS SOURCİNG" and "MİSLEADİNG". They are the interface's English
    words wherever they show; the site's own flag ("Kaynaksız") stays Turkish, and so does a built-in flag relabelled."""
    site = make_site(tmp_path / "site", TURKISH)
    assert build(site, site / "_site", use_cache=False).ok
    out = site / "_site"
    for path, english in [
        ("index.html", ["Anonymous sourcing", "1 Anonymous sourcing", "Misleading", "Unproven"]),
        ("articles/haber/index.html", ["Anonymous sourcing", "Misleading", "Unproven"]),
        ("flags/anonymous-source/index.html", ["Anonymous sourcing", "Misleading"]),
        ("flags/index.html", ["Anonymous sourcing"]),
        ("search/index.html", ["Anonymous sourcing"]),
    ]:
        found = langs(out / path)
        for words in english:
            assert found.get(words) == {"en"}, f"{path}: {words!r} is read as {found.get(words)}, not as English"
        assert found.get("Kaynaksız") == {"tr"}, (path, found.get("Kaynaksız"))
    relabelled = dict(TURKISH, **{"site.toml": TURKISH["site.toml"] + '[flags.anonymous-source]\nlabel = "İsimsiz kaynak"\n'})
    site = make_site(tmp_path / "relabelled", relabelled)
    assert build(site, site / "_site", use_cache=False).ok
    found = langs(site / "_site" / "articles/haber/index.html")
    assert found.get("İsimsiz kaynak") == {"tr"} and "Anonymous sourcing" not in found
