"""Valid HTML: the Nu HTML Checker (vnu.jar, run with the machine's Java) on every page of the built site."""
from __future__ import annotations

import json
import subprocess

import pytest

from .browserkit import HERE, REPO, VNU, html_pages, java, page_type

NEEDS_BROWSER = False  # only Java and vnu.jar: see conftest.py
pytestmark = pytest.mark.skipif(not java(), reason="no Java: the Nu HTML Checker needs it (apt-get install default-jre-headless)")


def vnu(*directories) -> list[dict]:
    """Every message of one checker run over folders: one JVM for all pages."""
    if not VNU.is_file():
        pytest.skip(f"the Nu HTML Checker is not installed: cd {HERE.relative_to(REPO)} && npm install")
    result = subprocess.run([java(), "-jar", str(VNU), "--format", "json", "--skip-non-html", *map(str, directories)],
                            capture_output=True, text=True, timeout=600)
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar said something else (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


def errors_by_page(messages, root) -> dict[str, list[str]]:
    """The errors in the pages under `root`, by their path there ("/articles/x/index.html")."""
    found: dict[str, list[str]] = {}
    for m in messages:
        if (m.get("type") == "error" or (m.get("type") == "non-document-error")) \
                and m.get("url", "").removeprefix("file:").startswith(f"{root}/"):
            page = m["url"].removeprefix("file:").removeprefix(str(root))
            found.setdefault(page, []).append(f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('message')}"
                                               f"  [{(m.get('extract') or '').strip()[:80]}]")
    return found


FIXTURES = REPO / "tests" / "sites"
SITES = {  # the folders checked, by name
    "repo": REPO,
    "hostile": FIXTURES / "hostile",
    "export": FIXTURES / "export",  # verdicts, ClaimReview, text fragments
    "excerpts": FIXTURES / "excerpts",  # an excerpts-only article
    "furniture": FIXTURES / "furniture",  # tables, lists, headings, a retraction
    "layered": FIXTURES / "layered",  # references drawn inside passages (.in-passage)
    "explainer": FIXTURES / "explainer",  # held-out shapes (audit page4)
    "arabic": FIXTURES / "arabic",  # right to left
    "heldout45": FIXTURES / "heldout45",  # "# Title" then "## sections" (audit page45)
    "heldout46": FIXTURES / "heldout46",  # 40 notes, nested passages, mixed scripts (audit page46)
    "heldout47": FIXTURES / "heldout47",  # an interview, a listicle, long words (page47)
    "heldout48": FIXTURES / "heldout48",  # Markdown furniture, Hebrew, long labels (page48)
    "heldout49": FIXTURES / "heldout49",  # CJK, long tokens, sixty notes, emoji (page49)
    "heldout57": FIXTURES / "heldout57",  # legal citations, French, 42 notes (page57b)
    "heldout58": FIXTURES / "heldout58",  # indented verse, nested quotes, a rebuttal cycle (page58)
    "heldout59": FIXTURES / "heldout59",  # a numbered ruling, Arabic Markdown, 12,000 words (page59)
    "heldout60": FIXTURES / "heldout60",  # a transcript, units and statistics, Chinese Markdown (heldout60)
    "heldout61": FIXTURES / "heldout61",  # German, footnotes and a table, posts with emoji (heldout61)
    "heldout62": FIXTURES / "heldout62",  # Turkish, units and signs, a table, code (heldout62)
    "heldout63": FIXTURES / "heldout63",  # Ukrainian, «„…“» quotes, a Markdown FAQ, a table (heldout63)
}


@pytest.fixture(scope="module")
def checked_sites(built):
    """Each site built (or its build in this run reused: conftest's `built`) and all checked in one run of the checker."""
    outs = {name: built(root) for name, root in SITES.items()}
    messages = vnu(*outs.values())
    elsewhere = {m["url"] for m in messages if m.get("url") and not any(
        m["url"].removeprefix("file:").startswith(f"{out}/") for out in outs.values())}
    assert not elsewhere, f"the checker named pages in no checked site (a path written otherwise?): {sorted(elsewhere)[:5]}"
    return {name: (out, messages) for name, out in outs.items()}


def test_every_page_type_is_checked(checked_sites):
    out, _ = checked_sites["repo"]
    kinds = {page_type(p) for p in html_pages(out)}
    assert kinds == {"index", "article", "flag", "flags", "tag", "tags", "404", "search", "graph"}, kinds


@pytest.mark.parametrize("site", list(SITES))
def test_nu_html_checker_finds_no_errors(checked_sites, site):
    out, messages = checked_sites[site]
    found = errors_by_page(messages, out)
    report = "\n".join(f"{page}\n  " + "\n  ".join(errs[:10]) + (f"\n  … {len(errs) - 10} more" if len(errs) > 10 else "")
                       for page, errs in sorted(found.items()))
    assert not found, f"{sum(map(len, found.values()))} HTML errors:\n{report}"


def test_the_checker_sees_errors(tmp_path):
    """A page with a known error is reported, so that silence above means something."""
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    assert errors_by_page(vnu(tmp_path), tmp_path)
