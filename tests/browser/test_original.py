"""With JavaScript off, as a reader meets them: verdicts beside the flags, the links into the original,
ClaimReview in the page, an excerpts-only article; and axe-core finds nothing serious on those pages."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .browserkit import REPO  # noqa: E402
from .test_a11y import BAD, describe, run_axe  # noqa: E402

SITES = REPO / "tests" / "sites"


@pytest.fixture(scope="module")
def export_url(serve_site):
    return serve_site(SITES / "export")[0]


@pytest.fixture(scope="module")
def excerpts_url(serve_site):
    return serve_site(SITES / "excerpts")[0]


@pytest.fixture
def no_js(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_verdicts_and_links_into_the_original_without_javascript(no_js, export_url):
    page = no_js
    page.goto(export_url + "/articles/claims/")
    note = page.locator("#note-unnamed")
    verdict = note.locator("summary .verdict-word")
    assert verdict.is_visible() and " ".join(verdict.inner_text().split()).lower() == "verdict: unproven"
    link = note.get_by_role("link", name="This passage in the original")
    assert link.is_visible()
    assert link.get_attribute("href") == "https://news.example.com/2024/border-gangs?ref=home#:~:text=Officials,an%20alliance"
    assert page.locator("a.noteref").count() == page.locator("p.original-link a").count() == 7
    assert page.get_by_role("link", name="Original", exact=True).get_attribute("href").startswith("https://news.example.com/")
    reviews = [json.loads(s) for s in page.locator('script[type="application/ld+json"]').all_text_contents()]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["Unproven", "False", "Misleading"]
    page.goto(export_url)
    assert page.locator("td.verdicts").first.is_visible()


def test_an_excerpts_only_article_reads_without_javascript(no_js, excerpts_url):
    page = no_js
    page.goto(excerpts_url + "/articles/harbour/")
    assert page.locator(".excerpts-notice").is_visible()
    paragraphs = page.locator(".article-body p.excerpt")
    assert paragraphs.count() == 3
    assert "The mayor praised" not in page.locator("main").inner_text()
    assert page.locator("mark.passage").count() == 2


def test_axe_finds_nothing_serious_on_these_pages(page, export_url, excerpts_url, axe_source):
    found = {}
    for url in (export_url, export_url + "/articles/claims/", export_url + "/flags/anonymous-source/",
                excerpts_url + "/articles/harbour/"):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(url)
            bad = [v for v in run_axe(page, axe_source) if v["impact"] in BAD]
            if bad:
                found[f"{url} {scheme}"] = describe(bad)
    assert not found, "\n".join(f"{k}\n{v}" for k, v in found.items())
