"""annotations.jsonld against the W3C Web Annotation test suite's MUST assertions (tests/w3c)."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.w3c_suite import exported, failures, uri_format_is_checked

HERE = Path(__file__).parent
SITES = {
    "repo": HERE.parent,
    "small": HERE / "sites" / "small",
    "hostile": HERE / "sites" / "hostile",
    "export": HERE / "sites" / "export",
    "excerpts": HERE / "sites" / "excerpts",
    "heldout61": HERE / "sites" / "heldout61",  # German, Markdown with emoji and a table, a relation of every kind
    "heldout62": HERE / "sites" / "heldout62",  # Turkish, units and signs (µg/m³, ‰, §, ¶), a table, code, a retraction
    "heldout63": HERE / "sites" / "heldout63",  # Ukrainian, ids from Cyrillic quotes, scores and fractions, retractions
}
HOST = "https://annotations.example.net/reading/"  # sites whose site.toml sets no host are built with one


def _hostless(site) -> bool:
    return "://" not in tomllib.loads((site / "site.toml").read_text()).get("base_url", "/")


# each site as a publisher builds it (with a host), and a site with no host in base_url also as it is
BUILDS = [name for name in SITES] + [f"{name} (no host)" for name, site in SITES.items() if _hostless(site)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = {}
    for name in BUILDS:
        site = SITES[name.removesuffix(" (no host)")]
        target = tmp_path_factory.mktemp("site")
        args = ["build", str(site), "--out", str(target / "site"), "--no-cache"]
        if _hostless(site) and not name.endswith("(no host)"):
            args += ["--base-url", HOST]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        out[name] = target / "site"
    return out


def test_the_suite_checks_uri_formats():
    assert uri_format_is_checked(), "install rfc3987 (the test extra): without it any string passes as a URI"


@pytest.mark.parametrize("name", BUILDS)
def test_every_exported_annotation_meets_every_must(built, name):
    annotations = exported(built[name])
    assert annotations
    failed = {where: failures(item) for where, item in annotations}
    assert {k: v for k, v in failed.items() if v} == {}


def test_the_suite_rejects_what_the_old_export_wrote():
    """The assertions do fail on the two mistakes the export used to make."""
    base = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://example.org/a/#x", "type": "Annotation",
            "target": {"source": "https://example.org/a/", "selector": {"type": "TextQuoteSelector", "exact": "x"}}}
    with_value = {**base, "body": [{"type": "SpecificResource", "purpose": "linking",
                                    "source": "https://example.org/b/", "value": "supports"}]}
    assert "4-bodySpecificResourceNoValue" in failures(with_value)
    assert failures({**base, "body": []})
    assert failures({**base, "id": "/a/#x"})  # path-absolute: not an IRI
    assert failures(base) == []


def _items(folder: Path, slug: str) -> dict[str, dict]:
    doc = json.loads((folder / f"articles/{slug}/annotations.jsonld").read_text())
    return {item["id"].rpartition("#")[2]: item for item in doc["first"]["items"]}


def test_relations_are_linking_specific_resources_that_say_their_kind(built):
    items = _items(built["export"], "claims")
    links = [b for b in items["rivals"]["body"] if b.get("purpose") == "linking"]
    base = "https://desk.example.org/articles/"
    assert links == [
        {"type": "SpecificResource", "purpose": "linking", "relation": "rebuts", "source": base + "claims/#sealed"},
        {"type": "SpecificResource", "purpose": "linking", "relation": "supports", "source": base + "claims/#disowned"},
        {"type": "SpecificResource", "purpose": "linking", "relation": "see", "source": base + "answer/"},
        {"type": "SpecificResource", "purpose": "linking", "relation": "see", "source": base + "answer/#no-evidence"},
    ]
    context = items["rivals"]["@context"]
    assert context[0] == "http://www.w3.org/ns/anno.jsonld" and context[1]["relation"]["@id"] == "glossator:relation"


def test_a_note_s_sources_are_linking_bodies_that_cite_them(built):
    """judge56: the URLs and passages that back a note (`sources`) were left out of the export."""
    links = [b for b in _items(built["export"], "claims")["unnamed"]["body"] if b.get("purpose") == "linking"]
    assert links == [
        {"type": "SpecificResource", "purpose": "linking", "relation": "cites", "source": "https://example.org/ministry"},
        {"type": "SpecificResource", "purpose": "linking", "relation": "cites", "source": "https://example.org/ministry2"},
        {"type": "SpecificResource", "purpose": "linking", "relation": "cites",
         "source": "https://desk.example.org/articles/answer/#no-evidence"}]
    assert _items(built["export"], "claims")["unnamed"]["@context"][1]["cites"] == "glossator:cites"


def test_a_see_url_keeps_its_url_and_no_body_is_empty(built):
    items = _items(built["export"], "claims")
    assert items["background"]["body"] == [
        {"type": "SpecificResource", "purpose": "linking", "relation": "see", "source": "https://example.org/background"}]
    assert items["background"]["motivation"] == "linking"
    for folder in built.values():
        for _, item in exported(folder):
            assert item.get("body", None) != []


def test_the_original_is_a_second_target_with_a_quote_alone(built):
    item = _items(built["export"], "claims")["unnamed"]
    ours, original = item["target"]
    assert ours["source"] == "https://desk.example.org/articles/claims/"
    assert [s["type"] for s in ours["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]
    assert original == {"source": "https://news.example.com/2024/border-gangs?ref=home",
                        "selector": ours["selector"][0]}
    assert original["selector"]["exact"] == "Officials who asked not to be named said the two gangs formed an alliance"
    # without article.url there is one target, ours
    assert isinstance(_items(built["export"], "answer")["no-evidence"]["target"], dict)


def test_a_url_check_accepts_is_exported_as_a_valid_uri(tmp_path, make_site, run_cli):
    """Characters browsers repair in a URL ("[" after the host, "|", non-ASCII letters) are encoded."""
    url = "https://example.org/a[1]|b/é?q={x}#top"
    site = make_site(tmp_path / "site", {
        "site.toml": 'base_url = "https://desk.example.org/"\nsearch = false\n',
        "content/a.txt": "The mayor cited unnamed officials.\n",
        "annotations/a.yaml": f'article:\n  url: "{url}"\nannotations:\n  - quote: unnamed officials\n    see: "{url}"\n',
    })
    assert run_cli("build", site, "--out", tmp_path / "out")[0] == 0
    [(where, item)] = exported(tmp_path / "out")
    assert failures(item) == []
    assert item["body"][0]["source"] == "https://example.org/a%5B1%5D%7Cb/%C3%A9?q=%7Bx%7D#top"


def test_a_verdict_alone_is_an_assessment(tmp_path, make_site, run_cli):
    """An annotation that only rates a claim has the model's `assessing` motivation; with a flag it classifies."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'base_url = "https://desk.example.org/"\nsearch = false\n',
        "content/a.txt": "The mayor said the bridge will close. Officials agree.\n",
        "annotations/a.yaml": ("annotations:\n  - id: rated\n    quote: the bridge will close\n    verdict: false\n"
                               "    claim: The bridge will close.\n  - id: flagged\n    quote: Officials agree\n"
                               "    flags: [anonymous-source]\n    verdict: unproven\n    claim: Officials agree.\n"),
    })
    assert run_cli("build", site, "--out", tmp_path / "out")[0] == 0
    items = _items(tmp_path / "out", "a")
    assert items["rated"]["motivation"] == "assessing"
    assert items["rated"]["body"] == [{"type": "TextualBody", "value": "false", "purpose": "assessing"}]
    assert items["flagged"]["motivation"] == "classifying"
    assert [failures(item) for item in items.values()] == [[], []]
