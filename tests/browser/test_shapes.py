"""Article shapes unlike the fixtures (audit read12): a code block scrolled to its passage, long flag words in
a folded note at 1280 px. Each test builds a small site of its own."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .layout import PHONE, WIDE, measure  # noqa: E402
from .test_layout import _site  # noqa: E402

CODE = ("```python\ndef f(x):\n    return x\n"
        "total = compute_the_total_of_every_invoice_in_the_ledger(year=2025, region=\"north\", refunds=True)  # counted twice\n"
        "print(total)\n```\n")

# the left edge of the code box, on its first line (short: "def f(x):", blank once the box is scrolled right)
EDGE = """() => { const pre = document.querySelector('.article-body pre'), r = pre.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(pre).lineHeight) || 20;
  return {x: r.left + 1, y: r.top + parseFloat(getComputedStyle(pre).paddingTop) + 2, width: 8, height: line - 4, scrolled: pre.scrollLeft}; }"""


def test_a_code_block_scrolled_to_its_passage_shows_that_it_is_scrolled(browser, serve_site, tmp_path):
    """Audit read11: a code block whose only passage ends a long line starts scrolled right (to show the
    passage, closing note 11), and its short lines then looked blank, as if the code were missing. The box's
    left edge now bears a shade while there is code out of sight to its left: the same strip of the page,
    scrolled and at the start, no longer looks the same."""
    site = _site(tmp_path / "code", 'title = "T"\nsearch = false\n', {
        "content/ledger.md": "# Ledger\n\nA paragraph before the code.\n\n" + CODE + "\nA paragraph after the code.\n",
        "annotations/ledger.yaml": "annotations:\n  - quote: counted twice\n    note: The refunds are counted twice.\n"})
    url = serve_site(site)[0]
    for viewport in (PHONE, WIDE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url + "/articles/ledger/")
        measure(page)
        edge = page.evaluate(EDGE)
        assert edge["scrolled"] > 100, f"{viewport['width']}px: the box did not start at its passage: {edge}"
        clip = {k: edge[k] for k in ("x", "y", "width", "height")}
        scrolled = page.screenshot(clip=clip)
        page.evaluate("() => { document.querySelector('.article-body pre').scrollLeft = 0; }")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        start = page.screenshot(clip=clip)
        context.close()
        assert scrolled != start, f"{viewport['width']}px: nothing at the code's left edge says it is scrolled"


def test_a_link_inside_a_passage_keeps_its_contrast_in_the_dark(browser, serve_site, tmp_path, axe_source):
    """Audit read12: a bare URL (made a link) inside a passage of a site's own flag: in the dark theme the
    link's light blue on the flag's green tint measured 4.12:1, under AA's 4.5. A link in a passage takes the
    text's colour there (the underline still says it is a link)."""
    from .test_a11y import describe, run_axe

    site = _site(tmp_path / "link", 'title = "T"\nsearch = false\n[flags.conflict]\nlabel = "Conflict of interest"\n'
                 'description = "A stake."\n[flags.unverified]\nlabel = "Unverified"\ndescription = "Unchecked."\n', {
                     "content/links.txt": "Links\n\nThe data are at https://example.org/data/2025 for anyone.\n\n"
                                          "The funder is at https://example.org/funder as disclosed.\n",
                     "annotations/links.yaml": "annotations:\n  - quote: at https://example.org/data/2025\n    flags: [unverified]\n"
                                               "  - quote: at https://example.org/funder\n    flags: [conflict]\n"})
    url = serve_site(site)[0]
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=WIDE, color_scheme=scheme)
        page = context.new_page()
        page.goto(url + "/articles/links/")
        assert page.locator("mark.passage a, a mark.passage").count() == 2
        bad = run_axe(page, axe_source, ["wcag2aa"])
        context.close()
        assert not [v for v in bad if v["id"] == "color-contrast"], f"{scheme}: " + describe(bad)
