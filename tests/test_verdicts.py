"""Verdicts (SPEC 6): shown beside flags, on flag pages and in the index; ClaimReview JSON-LD in the page."""
from __future__ import annotations

import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from builder.cli import main

HERE = Path(__file__).parent
EXPORT = HERE / "sites" / "export"
SCHEMA = json.loads((HERE / "schemas" / "claimreview.schema.json").read_text())


class Scripts(HTMLParser):
    """The JSON-LD blocks of a page, and its element ids."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.ids: set[str] = set()
        self._in = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        self._in = tag == "script" and a.get("type") == "application/ld+json"
        if self._in:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def build(site: Path, out: Path):
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(out), "--no-cache"])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    target = tmp_path_factory.mktemp("verdicts") / "site"
    assert build(EXPORT, target).exit_code == 0
    return target


def reviews(page: Path) -> list[dict]:
    return [json.loads(b) for b in Scripts(page.read_text()).blocks]


def test_claimreview_for_every_verdict_meets_the_schema(out):
    page = out / "articles/claims/index.html"
    found = reviews(page)
    assert [r["claimReviewed"] for r in found] == [
        "The two gangs formed an alliance last year.", "The gangs sealed their alliance in a prison.",
        "Officials say the routes north are closed for the season."]
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    ids = Scripts(page.read_text()).ids
    for review in found:
        assert list(validator.iter_errors(review)) == []
        rating = review["reviewRating"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["url"].startswith("https://desk.example.org/articles/claims/#")
        assert review["url"].rpartition("#")[2] in ids  # the permalink leads to the passage
        assert review["itemReviewed"]["appearance"]["url"] == "https://news.example.com/2024/border-gangs?ref=home#top"
        # the article's byline and date are the appearance's: the claim may be someone else's, made earlier
        assert review["itemReviewed"]["appearance"]["author"] == [{"@type": "Person", "name": "C. Reporter"}]
        assert review["itemReviewed"]["appearance"]["datePublished"] == "2024-03-01"
        assert "author" not in review["itemReviewed"] and "datePublished" not in review["itemReviewed"]
        assert review["author"] == {"@type": "Organization", "name": "Export fixture", "url": "https://desk.example.org/"}
    assert [(r["reviewRating"]["alternateName"], r["reviewRating"]["ratingValue"]) for r in found] == [
        ("Unproven", 3), ("False", 1), ("Misleading", 2)]
    assert {(r["reviewRating"]["worstRating"], r["reviewRating"]["bestRating"]) for r in found} == {(1, 4)}


def test_without_the_original_url_the_claim_has_no_appearance(out):
    (review,) = reviews(out / "articles/answer/index.html")
    assert "appearance" not in review["itemReviewed"]
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(review)) == []


def _note(html: str, note_id: str) -> str:
    m = re.search(rf'<aside class="note" id="note-{note_id}".*?</aside>', html, re.S)
    assert m, note_id
    return m.group(0)


def test_the_verdict_shows_beside_the_flags_with_its_claim(out):
    html = (out / "articles/claims/index.html").read_text()
    summary = re.search(r"<summary.*?</summary>", _note(html, "unnamed"), re.S).group(0)
    shown = re.sub(r'<span class="more" aria-hidden="true">[^<]*</span>', "", summary)  # "+3" folded: not in its name
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", shown)).split())
    # flag words say which end of a relation the passage is (SPEC 6); the note's first words follow
    assert text.startswith("1 Retracted Rebutted Anonymous sourcing Sponsored Verdict: Unproven ")  # the ends first
    assert "Claim rated <strong" in _note(html, "unnamed")
    assert "“The two gangs formed an alliance last year.”" in unescape(_note(html, "unnamed"))
    assert "data-verdict" not in _note(html, "disowned")


def test_flag_pages_and_the_index_show_verdicts(out):
    flag_page = (out / "flags/anonymous-source/index.html").read_text()
    items = re.findall(r'<li class="passage-item">.*?</li>', flag_page, re.S)
    words = [re.findall(r'data-verdict="([a-z-]+)"', item) for item in items]
    assert words == [["unproven"], ["misleading"]]
    index = (out / "index.html").read_text()
    assert '<th scope="col" rowspan="2" class="verdicts">Verdicts</th>' in index
    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/articles/claims/\">.*?</tr>", index, re.S).group(0)
    cell = re.search(r'<td class="verdicts">(.*?)</td>', row).group(1)
    assert re.sub(r"<[^>]+>", "", cell) == "False, Misleading, Unproven"


def _site(tmp_path: Path, toml_extra: str, verdict: str) -> Path:
    site = tmp_path / "site"
    shutil.copytree(EXPORT, site)
    (site / "site.toml").write_text((site / "site.toml").read_text() + toml_extra)
    (site / "annotations/answer.yaml").write_text((site / "annotations/answer.yaml").read_text().replace(
        "verdict: accurate", f"verdict: {verdict}"))
    for name in ("claims.yaml",):
        path = site / "annotations" / name
        path.write_text(re.sub(r"\n    verdict: .*\n    claim: .*", "", path.read_text()))
    return site


def test_a_site_relabels_the_builtin_scale(tmp_path):
    site = _site(tmp_path, '\n[verdicts.accurate]\nlabel = "Checks out"\n', "accurate")
    assert build(site, tmp_path / "out").exit_code == 0
    (review,) = reviews(tmp_path / "out/articles/answer/index.html")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Checks out", "ratingValue": 4,
                                      "bestRating": 4, "worstRating": 1}


def test_a_site_replaces_the_scale_with_its_own(tmp_path):
    extra = ('\n[verdicts.wrong]\nlabel = "Wrong"\nrating = 1\n\n[verdicts.unsupported]\nlabel = "Unsupported"\nrating = 2\n'
             '\n[verdicts.right]\nlabel = "Right"\nrating = 3\n')
    site = _site(tmp_path, extra, "unsupported")
    assert build(site, tmp_path / "out").exit_code == 0
    (review,) = reviews(tmp_path / "out/articles/answer/index.html")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unsupported", "ratingValue": 2,
                                      "bestRating": 3, "worstRating": 1}
    # the built-in names are gone from that scale
    site2 = _site(tmp_path / "two", extra, "accurate")
    result = build(site2, tmp_path / "out2")
    assert result.exit_code == 1
    assert 'annotations/answer.yaml:6:14: error: unknown verdict "accurate"' in result.stderr
    assert "the site's scale is wrong, unsupported, right" in result.stderr


def test_a_scale_of_one_verdict_rates_from_1_the_worst(tmp_path):
    """SPEC 7's own example, `[verdicts.unsupported] rating = 2` alone: the scale is 1 (the worst, SPEC 6) to 2.
    Before, ClaimReview said worstRating 2 and bestRating 2, a rating that cannot tell bad from good."""
    site = _site(tmp_path, '\n[verdicts.unsupported]\nlabel = "Unsupported"\nrating = 2\n', "unsupported")
    assert build(site, tmp_path / "out").exit_code == 0
    (review,) = reviews(tmp_path / "out/articles/answer/index.html")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unsupported", "ratingValue": 2,
                                      "bestRating": 2, "worstRating": 1}


def test_claimreview_json_cannot_end_its_script(tmp_path):
    site = _site(tmp_path, "", "accurate")
    path = site / "annotations/answer.yaml"
    path.write_text(path.read_text().replace(
        "claim: There is no credible evidence of an alliance between the gangs.",
        'claim: "</script><script>alert(1)</script> & more"'))
    assert build(site, tmp_path / "out").exit_code == 0
    html = (tmp_path / "out/articles/answer/index.html").read_text()
    assert "<script>alert(1)" not in html
    (review,) = reviews(tmp_path / "out/articles/answer/index.html")
    assert review["claimReviewed"] == "</script><script>alert(1)</script> & more"


def test_a_claim_without_a_verdict_is_a_warning_not_dropped_in_silence(tmp_path, make_site, run_cli):
    """`claim` is what a verdict rates (SPEC 3); alone it reached no page and no JSON-LD, and check
    said nothing, so a forgotten verdict went unnoticed."""
    site = make_site(tmp_path, {
        "content/a.txt": "The minister said the port was sold.\n",
        "annotations/a.yaml": "annotations:\n  - quote: the port was sold\n    note: N.\n    claim: The port was sold.\n",
    })
    code, out, err = run_cli("check", site)
    assert code == 0
    assert ('annotations/a.yaml:4:12: warning: a "claim" is shown only with the "verdict" that rates it: '
            'add one (verdict: false, misleading, unproven, accurate) or remove the claim') in err


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_claim_of_120_accented_characters_is_short_enough_however_its_accents_are_stored(tmp_path, make_site, run_cli, form):
    """A claim pasted from a Mac (accents stored apart, `e` + U+0301) counted each accent as a character:
    "Émigré" counted 8 characters, and a French claim of 120 was refused as 142 characters long."""
    import unicodedata

    claim = unicodedata.normalize(form, "L'émigré a été arrêté à la frontière, a déclaré le préfet. " * 2 + "Ah!")
    assert len(unicodedata.normalize("NFC", claim)) == 121 and len(claim[:-1]) == (120 if form == "NFC" else 142)
    site = make_site(tmp_path, {
        "content/a.txt": "The minister said the port was sold.\n",
        "annotations/a.yaml": f'annotations:\n  - quote: the port was sold\n    verdict: false\n    claim: "{claim[:-1]}"\n',
    })
    code, out, err = run_cli("check", site)
    assert code == 0, err
    too_long = make_site(tmp_path / "long", {
        "content/a.txt": "The minister said the port was sold.\n",
        "annotations/a.yaml": f'annotations:\n  - quote: the port was sold\n    verdict: false\n    claim: "{claim}"\n',
    })
    code, out, err = run_cli("check", too_long)
    assert code == 1 and '"claim" is 121 characters long' in err


def test_ratings_written_wrong_are_not_also_said_to_share_a_rating(tmp_path, make_site, run_cli):
    """`rating = 0`, `rating = 4.5` and `rating = true`: three errors, each at its line. Each was also read as rating 1 while the
    check went on, and a warning followed, "verdicts.true has rating 1, as verdicts.pants-on-fire does", of a
    rating no one wrote."""
    site = make_site(tmp_path, {"site.toml": '[verdicts.pants-on-fire]\nlabel = "Pants on fire"\nrating = 0\n\n'
                                             '[verdicts.true]\nlabel = "True"\nrating = 4.5\n\n'
                                             '[verdicts.meh]\nlabel = "Meh"\nrating = 1\n\n[verdicts.yes]\nlabel = "Yes"\nrating = true\n',
                                "content/a.txt": "Text.\n"})
    code, _, err = run_cli("check", site)
    assert code == 1
    assert [line.split(": ")[1] for line in err.splitlines() if line.startswith("site.toml:")] == ["error", "error", "error"], err
