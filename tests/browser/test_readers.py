"""The reading page for readers the layout figures miss: who print, who use the keyboard alone, who zoom.

Each test builds a small site of its own (held-out shapes: a long verdict, long links, a short article dense
with notes) and checks what such a reader sees in chromium."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .test_layout import _site  # noqa: E402

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 375, "height": 740}

LONG_VERDICT = "Partly accurate but missing essential context that changes its meaning"


@pytest.fixture(scope="module")
def river(tmp_path_factory, serve_site):
    """An article whose first note carries a long verdict and two flags; the others, a flag and a note."""
    root = _site(tmp_path_factory.mktemp("river") / "site", f"""title = "River"
[verdicts.partial]
label = "{LONG_VERDICT}"
rating = 2
""", {
        "content/river.txt": "River quality report\n\n"
        "The river is cleaner than it has been in forty years, the agency says, citing its monitoring stations.\n\n"
        "Fish have returned to the upper reaches, according to anglers interviewed by the agency.\n",
        "annotations/river.yaml": """annotations:
  - id: forty-years
    quote: "The river is cleaner than it has been in forty years"
    flags: [anonymous-source, rebuttal]
    verdict: partial
    claim: The river is cleaner than at any time in forty years.
    note: Phosphate is down; nitrate is not.
  - id: anglers
    quote: "according to anglers interviewed by the agency"
    flags: [anonymous-source]
    note: Not named.
  - id: reaches
    quote: "Fish have returned"
    note: Which fish, the agency does not say.
"""})
    return serve_site(root)[0]


CUT = """() => [...document.querySelectorAll('aside.note summary')].flatMap(s => {
    const note = s.closest('aside.note').getBoundingClientRect();
    return [s, ...s.querySelectorAll('.num, .flag-word, .verdict-word')].filter(e => e.checkVisibility()).flatMap(e => {
        const r = e.getBoundingClientRect();
        const cut = e.scrollWidth > e.clientWidth + 1 || r.right > note.right + 1 || r.left < note.left - 1;
        return cut ? [`${s.closest('aside.note').dataset.note}: ${e.className || e.tagName} "${e.textContent.trim().slice(0, 50)}"`] : [];
    });
})"""


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_printed_note_shows_its_first_line_whole(browser, river, js):
    """Printed without script, a note's first line (its number, flags and verdict) kept the screen's one-line fold:
    a long verdict printed as "PARTLY ACCURATE BUT MISSING ESSENTIA", cut at the page's edge. Printed, nothing of it is cut."""
    for viewport in (WIDE, NARROW):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        page.goto(river + "/articles/river/")
        page.evaluate("document.fonts.ready.then(() => true)")
        if js:
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        verdicts = page.locator("aside.note summary .verdict-word").all_text_contents()
        cut = page.evaluate(CUT)
        context.close()
        assert [" ".join(v.split()) for v in verdicts] == [f"Verdict: {LONG_VERDICT}"], verdicts
        assert cut == [], f"{viewport['width']}px: printed cut: {cut}"


def _focused(page) -> dict:
    return page.evaluate("""() => { const el = document.activeElement, note = el.closest('aside.note');
        return {tag: el.tagName, note: note ? note.dataset.note : null, open: note ? note.querySelector('details').open : null}; }""")


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_escape_closes_the_note_the_keyboard_opened_and_focus_goes_back_to_its_first_line(browser, river, viewport):
    """A keyboard reader opened a note (Enter on its first line), tabbed into it to its links, and pressed Escape:
    nothing happened; the note stayed open over the margin until they found its first line again. Now Escape
    closes it, from its first line or from a link in it, and the focus is on its first line, where Tab goes on."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(river + "/articles/river/")
    page.evaluate("document.fonts.ready.then(() => true)")
    summary = page.locator('[id="note-anglers"] summary')
    summary.focus()
    if not _focused(page)["open"]:
        page.keyboard.press("Enter")
    assert _focused(page) == {"tag": "SUMMARY", "note": "anglers", "open": True}
    page.keyboard.press("Tab")  # into the note: its first link
    assert _focused(page)["note"] == "anglers" and _focused(page)["tag"] == "A", _focused(page)
    page.keyboard.press("Escape")
    assert _focused(page) == {"tag": "SUMMARY", "note": "anglers", "open": False}
    page.keyboard.press("Enter")
    assert _focused(page)["open"] is True
    page.keyboard.press("Escape")
    assert _focused(page) == {"tag": "SUMMARY", "note": "anglers", "open": False}
    box = page.locator('[id="note-anglers"]').bounding_box()
    assert box and box["height"] < 40, f"closed, the note still shows open: {box}"
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_at_320_px_a_focused_flag_in_the_header_shows_whole(browser, river, js):
    """WCAG's reflow (320 CSS px: a 1280 px screen zoomed to 400 %): the header's strip of flags is 144 px wide there,
    and "ANONYMOUS SOURCING" 157 px. Focused, it showed as "ANONYMOUS SOURCIN", cut by the strip, with script (which
    scrolls the strip to it) and without. Focused, each flag now shows whole, inside the strip and the window."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=js)
    page = context.new_page()
    page.goto(river + "/articles/river/")
    page.evaluate("document.fonts.ready.then(() => true)")
    seen = []
    for _ in range(10):
        page.keyboard.press("Tab")
        got = page.evaluate("""() => { const e = document.activeElement, strip = e.closest('.site-head nav:not(.find-nav) ul');
            if (!strip) return null;
            const r = e.getBoundingClientRect(), s = strip.getBoundingClientRect();
            return {text: e.textContent.trim(), whole: e.scrollWidth <= e.clientWidth + 1 || getComputedStyle(e).display === 'inline',
                    inside: r.left >= s.left - 1 && r.right <= s.right + 1 && r.left >= 0 && r.right <= innerWidth,
                    page: document.documentElement.scrollWidth}; }""")
        if got:
            seen.append(got)
    context.close()
    assert "Anonymous sourcing" in [s["text"] for s in seen], seen
    assert all(s["whole"] and s["inside"] and s["page"] <= 320 for s in seen), seen
