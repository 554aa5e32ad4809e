"""Valid HTML: the Nu HTML Checker (vnu.jar, run with the machine's Java) on every page of the built site."""
from __future__ import annotations

import json
import subprocess

import pytest

from .browserkit import HERE, REPO, VNU, build, html_pages, java, page_type

NEEDS_BROWSER = False  # only Java and vnu.jar: see conftest.py
pytestmark = pytest.mark.skipif(not java(), reason="no Java: the Nu HTML Checker needs it (apt-get install default-jre-headless)")


def vnu(directory) -> list[dict]:
    """Every message of one checker run over a folder: one JVM for all pages."""
    if not VNU.is_file():
        pytest.skip(f"the Nu HTML Checker is not installed: cd {HERE.relative_to(REPO)} && npm install")
    result = subprocess.run([java(), "-jar", str(VNU), "--format", "json", "--skip-non-html", str(directory)],
                            capture_output=True, text=True, timeout=600)
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar said something else (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


def errors_by_page(messages, root) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in messages:
        if m.get("type") == "error" or (m.get("type") == "non-document-error"):
            page = m.get("url", "?").removeprefix("file:").removeprefix(str(root))
            found.setdefault(page, []).append(f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('message')}"
                                               f"  [{(m.get('extract') or '').strip()[:80]}]")
    return found


@pytest.fixture(scope="module")
def checked_sites(tmp_path_factory):
    """The repo's site and the hostile fixture site, built and checked in one run of the checker."""
    root = tmp_path_factory.mktemp("vnu")
    repo = build(REPO, root / "repo")
    hostile = build(REPO / "tests" / "sites" / "hostile", root / "hostile")
    export = build(REPO / "tests" / "sites" / "export", root / "export")  # verdicts, ClaimReview, text fragments
    excerpts = build(REPO / "tests" / "sites" / "excerpts", root / "excerpts")  # an excerpts-only article
    furniture = build(REPO / "tests" / "sites" / "furniture", root / "furniture")  # tables, lists, headings, a retraction
    layered = build(REPO / "tests" / "sites" / "layered", root / "layered")  # references drawn inside passages (.in-passage)
    explainer = build(REPO / "tests" / "sites" / "explainer", root / "explainer")  # held-out shapes (audit page4)
    arabic = build(REPO / "tests" / "sites" / "arabic", root / "arabic")  # right to left
    heldout45 = build(REPO / "tests" / "sites" / "heldout45", root / "heldout45")  # "# Title" then "## sections" (audit page45)
    heldout46 = build(REPO / "tests" / "sites" / "heldout46", root / "heldout46")  # 40 notes, nested passages, mixed scripts (audit page46)
    heldout47 = build(REPO / "tests" / "sites" / "heldout47", root / "heldout47")  # an interview, a listicle, long words (page47)
    heldout48 = build(REPO / "tests" / "sites" / "heldout48", root / "heldout48")  # Markdown furniture, Hebrew, long labels (page48)
    heldout49 = build(REPO / "tests" / "sites" / "heldout49", root / "heldout49")  # CJK, long tokens, sixty notes, emoji (page49)
    heldout57 = build(REPO / "tests" / "sites" / "heldout57", root / "heldout57")  # legal citations, French, 42 notes (page57b)
    heldout58 = build(REPO / "tests" / "sites" / "heldout58", root / "heldout58")  # indented verse, nested quotes, a rebuttal cycle (page58)
    heldout59 = build(REPO / "tests" / "sites" / "heldout59", root / "heldout59")  # a numbered ruling, Arabic Markdown, 12,000 words (page59)
    heldout60 = build(REPO / "tests" / "sites" / "heldout60", root / "heldout60")  # a transcript, units and statistics, Chinese Markdown (heldout60)
    heldout61 = build(REPO / "tests" / "sites" / "heldout61", root / "heldout61")  # German, footnotes and a table, posts with emoji (heldout61)
    heldout62 = build(REPO / "tests" / "sites" / "heldout62", root / "heldout62")  # Turkish, units and signs, a table, code (heldout62)
    heldout63 = build(REPO / "tests" / "sites" / "heldout63", root / "heldout63")  # Ukrainian, «„…“» quotes, a Markdown FAQ, a table (heldout63)
    messages = vnu(root)
    return {"repo": (repo, messages), "hostile": (hostile, messages), "export": (export, messages),
            "excerpts": (excerpts, messages), "furniture": (furniture, messages), "layered": (layered, messages),
            "explainer": (explainer, messages), "arabic": (arabic, messages),
            "heldout45": (heldout45, messages), "heldout46": (heldout46, messages),
            "heldout47": (heldout47, messages), "heldout48": (heldout48, messages), "heldout49": (heldout49, messages),
            "heldout57": (heldout57, messages), "heldout58": (heldout58, messages),
            "heldout59": (heldout59, messages), "heldout60": (heldout60, messages), "heldout61": (heldout61, messages),
            "heldout62": (heldout62, messages), "heldout63": (heldout63, messages)}


def test_every_page_type_is_checked(checked_sites):
    out, _ = checked_sites["repo"]
    kinds = {page_type(p) for p in html_pages(out)}
    assert kinds == {"index", "article", "flag", "flags", "tag", "tags", "404", "search", "graph"}, kinds


@pytest.mark.parametrize("site", ["repo", "hostile", "export", "excerpts", "furniture", "layered", "explainer", "arabic", "heldout45", "heldout46", "heldout47", "heldout48", "heldout49", "heldout57", "heldout58", "heldout59", "heldout60", "heldout61", "heldout62", "heldout63"])
def test_nu_html_checker_finds_no_errors(checked_sites, site):
    out, messages = checked_sites[site]
    found = {page: errs for page, errs in errors_by_page(messages, out.parent).items() if page.startswith(f"/{site}/")}
    report = "\n".join(f"{page}\n  " + "\n  ".join(errs[:10]) + (f"\n  … {len(errs) - 10} more" if len(errs) > 10 else "")
                       for page, errs in sorted(found.items()))
    assert not found, f"{sum(map(len, found.values()))} HTML errors:\n{report}"


def test_the_checker_sees_errors(tmp_path):
    """A page with a known error is reported, so that silence above means something."""
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    assert errors_by_page(vnu(tmp_path), tmp_path)
