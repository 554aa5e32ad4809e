"""The reading page for readers the layout figures miss: who print, who use the keyboard alone, who zoom.

Each test builds a small site of its own (held-out shapes: a long verdict, long links, a short article dense
with notes) and checks what such a reader sees in chromium."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .layout import measure  # noqa: E402
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


@pytest.fixture(scope="module")
def mayor(tmp_path_factory, serve_site):
    """A short statement, two paragraphs, ten notes: a line carries up to three passages."""
    root = _site(tmp_path_factory.mktemp("mayor") / "site", 'title = "Mayor"\nsearch = false\n', {
        "content/statement.txt": "Statement from the Mayor's office\n\n"
        "The mayor said on Tuesday that crime fell by a third last year, that the new patrols were the reason, and that "
        "residents told her they feel safer than at any time in a decade. Officials who asked not to be named added that "
        "the budget was balanced without cuts.\n\n"
        "A spokesperson later said the figure of a third referred to burglaries only, and the council's own audit found "
        "the budget balanced by a one-off transfer from reserves. Critics said the patrols began in November, too late "
        "to explain a full year.\n",
        "annotations/statement.yaml": """annotations:
  - {id: a-third, quote: "crime fell by a third last year", verdict: misleading, claim: Crime fell by a third., note: Burglaries only.}
  - {id: patrols, quote: "the new patrols were the reason", flags: [rebuttal], note: The patrols began in November.}
  - {id: residents, quote: "residents told her", flags: [anonymous-source], note: No survey is cited.}
  - {id: decade, quote: "safer than at any time in a decade", note: The survey goes back six years.}
  - {id: officials, quote: "Officials who asked not to be named", flags: [anonymous-source], note: Unnamed.}
  - {id: balanced, quote: "the budget was balanced without cuts", verdict: "false", claim: The budget was balanced., note: A transfer.}
  - {id: burglaries, quote: "referred to burglaries only", retracts: "#a-third", note: The correction.}
  - {id: reserves, quote: "one-off transfer from reserves", rebuts: "#balanced", note: The audit report.}
  - {id: critics, quote: "Critics said", flags: [anonymous-source], note: Which critics?}
  - {id: november, quote: "the patrols began in November", rebuts: "#patrols", note: The police calendar.}
"""})
    return serve_site(root)[0]


def printed(page, url: str, js: bool) -> None:
    """The page at `url` as it prints: its fonts loaded, the script's beforeprint run (with script), print media."""
    page.goto(url)
    page.evaluate("document.fonts.ready.then(() => true)")
    if js:
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")


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
        printed(page, river + "/articles/river/", js)
        verdicts = page.locator("aside.note summary .verdict-word").all_text_contents()
        cut = page.evaluate(CUT)
        context.close()
        assert [" ".join(v.split()) for v in verdicts] == [f"Verdict: {LONG_VERDICT}"], verdicts
        assert cut == [], f"{viewport['width']}px: printed cut: {cut}"


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_printed_note_keeps_its_byline_and_leaves_out_its_links_back_into_the_page(browser, tmp_path, serve_site, js):
    """On paper a note's "Back to the passage · Previous flagged passage · Next flagged passage" lead nowhere: the
    print showed them under every note (audit page45, three lines of them on a five-note brief). Printed, the note's
    foot says who wrote it and when, and nothing else; on screen the links stay."""
    root = _site(tmp_path / "site", 'title = "T"\nsearch = false\n', {
        "content/brief.txt": "Brief\n\nThe minister said no contract was signed, according to an aide. The board has not answered.\n",
        "annotations/brief.yaml": "annotations:\n"
        "  - {quote: no contract was signed, flags: [rebuttal], note: The minutes say it was., by: maria, date: 2026-11-20}\n"
        "  - {quote: according to an aide, flags: [anonymous-source], note: Unnamed.}\n"
        "  - {quote: has not answered, note: As of Tuesday.}\n"})
    url = serve_site(root)[0] + "/articles/brief/"
    FOOT = """() => [...document.querySelectorAll('aside.note .note-foot')].map(p => p.checkVisibility() ? p.innerText.trim() : '')"""
    for viewport in (WIDE, NARROW):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        page.goto(url)
        # (the script places the notes once the fonts are in, folding those that do not fit: opened before that, a
        # note could be folded again before it was read, in a busy CI run)
        page.evaluate("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
                      if js else "document.fonts.ready.then(() => true)")  # (no frame callback runs without script)
        page.evaluate("() => document.querySelectorAll('aside.note details').forEach(d => d.open = true)")
        on_screen = page.evaluate(FOOT)
        printed(page, url, js)
        on_paper = page.evaluate(FOOT)
        links = page.evaluate("() => [...document.querySelectorAll('aside.note .note-foot a')].filter(a => a.checkVisibility()).map(a => a.textContent)")
        context.close()
        assert "Back to the passage" in on_screen[0], on_screen
        assert on_paper == ["maria, 20 November 2026", "", ""], f"{viewport['width']}px: {on_paper}"
        assert links == [], f"{viewport['width']}px: links printed: {links}"


def test_on_a_phone_without_script_an_opened_english_note_on_an_arabic_page_shows_its_first_words(browser, tmp_path, serve_site):
    """Opened without script on a phone, a note shows whole after its paragraph and keeps its first line in the slot
    under its passage, cut to one line. On an Arabic page that line cut an English note's first words at their start
    ("…h budget (Ministry of Works, table 4)", audit page45), where the folded line cuts them at their end."""
    root = _site(tmp_path / "site", 'title = "T"\nsearch = false\n', {
        "content/harbour.txt": "مشروع الميناء\n\nقال الوزير إن مشروع الميناء سيكتمل في عام 2027 وفق تقرير الوزارة.\n",
        "annotations/harbour.yaml": "annotations:\n  - quote: سيكتمل في عام 2027\n    flags: [rebuttal]\n"
        "    note: The completion date moved to 2029 in the March budget (Ministry of Works, table 4).\n"})
    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    page = context.new_page()
    page.goto(serve_site(root)[0] + "/articles/harbour/")
    page.evaluate("document.fonts.ready.then(() => true)")
    FIRST = """() => { const s = document.querySelector('aside.note summary'), g = s.querySelector('.gist'), r = document.createRange();
        r.setStart(g.firstChild, 0); r.setEnd(g.firstChild, 3); const a = r.getBoundingClientRect(), b = s.getBoundingClientRect();
        const clip = g.getBoundingClientRect();
        return {shown: a.left >= Math.max(b.left, clip.left) - 1 && a.right <= Math.min(b.right, clip.right) + 1, word: a.left, line: [b.left, b.right]}; }"""
    folded = page.evaluate(FIRST)
    page.locator("aside.note summary").click()
    opened = page.evaluate(FIRST)
    context.close()
    assert folded["shown"], f"folded: {folded}"
    assert opened["shown"], f"opened, its first words are cut: {opened}"


def _line_under(page, selector: str) -> list[int]:
    """The lightness of each pixel across the line drawn under the first piece of a passage (its bottom 2 px)."""
    import struct, zlib
    box = page.evaluate("""sel => { const r = document.querySelector(sel).getClientRects()[0];
        return {x: Math.round(r.left) + 2, y: Math.round(r.bottom) - 2, width: Math.round(r.width) - 4, height: 1}; }""", selector)
    png = page.screenshot(clip=box)
    # a PNG of one row, RGB(A), 8 bits: its IDAT data inflated, the row's filter byte then its pixels
    chunks, at = {}, 8
    while at < len(png):
        size, kind = struct.unpack(">I4s", png[at:at + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += png[at + 8:at + 8 + size]
        at += 12 + size
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    step = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(chunks[b"IDAT"])
    row, kind = bytearray(raw[1:1 + width * step]), raw[0]
    # one row: no row above, so Up adds nothing, Paeth adds the pixel to the left (as Sub), Average half of it
    for i in range(step, len(row)) if kind in (1, 3, 4) else ():
        row[i] = (row[i] + (row[i - step] // 2 if kind == 3 else row[i - step])) & 0xFF
    return [sum(row[i:i + 3]) // 3 for i in range(0, len(row), step)]


def test_a_passage_without_a_flag_in_a_heading_is_not_drawn_as_a_link(browser, tmp_path, serve_site):
    """A heading with a passage that has a note and no flag: bold words over a solid line, with a number before
    them, read as a link in the heading (left from the last session, seen again on audit page45's held-out sites).
    There its line is broken (dashes), which no link in the page draws; in the text the line stays solid."""
    root = _site(tmp_path / "site", 'title = "T"\nsearch = false\n', {
        "content/plan.md": "# Port plan\n\nIntro paragraph.\n\n## What the plan promises\n\nThe plan promises twelve thousand new jobs by 2030.\n",
        "annotations/plan.yaml": "annotations:\n  - {id: heading, quote: What the plan promises, note: The authority's framing.}\n"
        "  - {id: jobs, quote: twelve thousand new jobs, note: No source.}\n"})
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(serve_site(root)[0] + "/articles/plan/")
    page.evaluate("document.fonts.ready.then(() => true)")
    gaps = {}
    for name, sel in (("heading", ".article-body h2 mark.passage"), ("text", ".article-body p mark.passage#jobs")):
        line = _line_under(page, sel)
        dark = [v < 200 for v in line]
        gaps[name] = sum(1 for a, b in zip(dark, dark[1:]) if a and not b)  # where the line breaks off
    context.close()
    assert gaps["text"] == 0, gaps
    assert gaps["heading"] >= 5, f"the line under the heading's passage is solid, as a link's: {gaps}"


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_wide_table_in_a_note_scrolls_in_its_box_and_never_widens_the_page(browser, tmp_path, serve_site, js):
    """A note with a table of seven columns (an annotator's figures): the table ran 91 px past the note's edge at
    1280 px, and on a phone it made the page 479 px wide, the whole page scrolling sideways (audit page45). It
    scrolls in a box of its own now, as a table in the text does, which the keyboard can reach."""
    table = ("| Year | Budget | Spent | Difference | Source | Page | Checked |\n|---|---|---|---|---|---|---|\n"
             "| 2021 | 4,000,000 | 4,350,000 | 350,000 | Annual report | 12 | yes |\n")
    root = _site(tmp_path / "site", 'title = "T"\nsearch = false\n', {
        "content/overrun.txt": "Overrun\n\nThe council says the works came in on budget.\n",
        "annotations/overrun.yaml": "annotations:\n  - quote: came in on budget\n    flags: [rebuttal]\n    note: |\n"
        "      The council's own table:\n\n" + "".join("      " + line + "\n" for line in table.splitlines())})
    url = serve_site(root)[0] + "/articles/overrun/"
    for viewport in (WIDE, NARROW):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        page.goto(url)
        page.evaluate("document.fonts.ready.then(() => true)")
        if not page.evaluate("() => document.querySelector('aside.note details').open"):
            page.locator("aside.note summary").click()
        page.wait_for_timeout(100)
        found = page.evaluate("""() => { const note = document.querySelector('aside.note').getBoundingClientRect();
            const box = document.querySelector('aside.note table').parentElement, r = box.getBoundingClientRect();
            return {page: document.documentElement.scrollWidth, screen: innerWidth, right: Math.round(r.right), note: Math.round(note.right),
                    box: ['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.tabIndex >= 0}; }""")
        context.close()
        assert found["page"] <= found["screen"], f"{viewport['width']}px: the page scrolls sideways: {found}"
        assert found["right"] <= found["note"], f"{viewport['width']}px: the table runs past its note: {found}"
        assert found["box"], f"{viewport['width']}px: the table is in no box that scrolls and takes the focus: {found}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_table_and_code_in_a_note_are_drawn_on_the_notes_colour(browser, tmp_path, serve_site, scheme):
    """In a note, the first column of a table (kept in view as the rest scrolls) and the left edge of a code block (the
    cover of the shade that says it is scrolled) were painted in the page's colour: a pale strip down the table and a
    pale square before the code, on the note's tint (audit page45). They take the colour of what they stand on."""
    root = _site(tmp_path / "site", 'title = "T"\nsearch = false\n', {
        "content/overrun.txt": "Overrun\n\nThe council says the works came in on budget.\n",
        "annotations/overrun.yaml": "annotations:\n  - quote: came in on budget\n    flags: [rebuttal]\n    note: |\n"
        "      | Year | Budget |\n      |---|---|\n      | 2021 | 4,000,000 |\n\n      ```\n      SELECT 1;\n      ```\n"})
    context = browser.new_context(viewport=WIDE, color_scheme=scheme)
    page = context.new_page()
    page.goto(serve_site(root)[0] + "/articles/overrun/")
    page.locator("aside.note summary").click()
    found = page.evaluate("""() => { const cell = document.querySelector('aside.note td'), pre = document.querySelector('aside.note pre');
        let under = cell.closest('.table-scroll').parentElement;
        while (getComputedStyle(under).backgroundColor === 'rgba(0, 0, 0, 0)') under = under.parentElement;
        return {cell: getComputedStyle(cell).backgroundColor, note: getComputedStyle(under).backgroundColor,
                code: getComputedStyle(pre).backgroundImage}; }""")
    context.close()
    assert found["cell"] == found["note"], found
    assert found["code"].startswith(f"linear-gradient(to right, {found['note']} 50%"), found


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


def test_without_script_a_focused_half_width_note_shows_its_first_line_whole_and_its_ring_around_it(browser, mayor):
    """Without script, at 1280 px, the notes of a crowded line share a row, half the margin each, their first line set
    small (11 px). Focused, such a note shows itself the margin's width, but its first line stayed small, and the
    focus ring, drawn inside that 11 px line, covered half of it: "3 ANONYMOUS SOURCING" cut across. Focused, the
    line is now at the size of any note's, and the ring goes round it, over none of its words."""
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(mayor + "/articles/statement/")
    page.evaluate("document.fonts.ready.then(() => true)")
    halves = page.evaluate("() => [...document.querySelectorAll('aside.note:not([data-last])')].filter(n => n.offsetWidth < 200).map(n => n.id)")
    assert len(halves) >= 3, f"the fixture crowds no line: {halves}"
    problems = []
    for nid in halves:
        page.focus(f"[id='{nid}'] summary")
        got = page.evaluate("""id => { const s = document.getElementById(id).querySelector('summary'), cs = getComputedStyle(s);
            const o = parseFloat(cs.outlineOffset), inset = o < 0 ? Math.min(-o, parseFloat(cs.outlineWidth)) : 0;
            const b = s.getBoundingClientRect();
            return [...s.querySelectorAll('.num, .flag-word, .verdict-word')].filter(e => e.checkVisibility()).map(e => {
                const r = e.getBoundingClientRect();
                return {word: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize),
                        covered: r.left < b.left + inset - .5 || r.top < b.top + inset - .5 || r.bottom > b.bottom - inset + .5}; }); }""", nid)
        bad = [g for g in got if g["size"] < 12 or g["covered"]]
        if not got or bad:
            problems.append((nid, bad or "no words"))
    context.close()
    assert not problems, problems


def test_in_forced_colours_every_passage_shows_where_it_starts_and_ends(browser, river, serve_site):
    """Forced colours (Windows high contrast) drop box shadows and gradients: a passage without a flag, drawn as a line
    under it (a box shadow), showed as plain text, nothing of where it starts or ends; a passage inside another lost
    its own line (a gradient). There, each passage now has an underline, which forced colours keep, and one inside
    another a double one of its own."""
    from .browserkit import REPO

    layered = serve_site(REPO / "tests" / "sites" / "layered")[0]
    found = {"plain": 0, "nested": 0}
    for url, path in ((river, "/articles/river/"), (layered, "/articles/levee-bond/")):
        context = browser.new_context(viewport=WIDE, forced_colors="active")
        page = context.new_page()
        page.goto(url + path)
        marks = page.evaluate("""() => [...document.querySelectorAll('mark.passage')].map(m => {
            const s = getComputedStyle(m);
            return {id: m.id || m.dataset.annotation, plain: m.dataset.flags === '', nested: !!m.parentElement.closest('mark.passage, .in-passage'),
                    line: s.textDecorationLine, style: s.textDecorationStyle}; })""")
        context.close()
        for m in marks:
            found["plain"] += m["plain"]
            found["nested"] += m["nested"]
        bad = [m for m in marks if m["line"] != "underline" or (m["nested"] and m["style"] != "double")]
        assert not bad, f"{path}: passages with no line of their own in forced colours: {bad}"
    assert found["plain"] and found["nested"], found


@pytest.fixture(scope="module")
def explainer(tmp_path_factory, serve_site):
    """A Markdown explainer: a code block with a line far longer than the column, a passage in it; a wide table."""
    target = "//services/payments/ledger:ledger_reconciliation_integration_test_suite_with_fixtures"
    cells = " | ".join(f"Q{n}&#8209;2025&#8209;revenue&#8209;thousands" for n in range(1, 7))  # no-break hyphens
    root = _site(tmp_path_factory.mktemp("explainer") / "site", 'title = "Explainer"\nsearch = false\n', {
        "content/cache.md": "# How the cache works\n\nThe key is computed from the sources.\n\n"
        f"```\n$ build --explain-cache --target {target}\ncache miss: key 9f2c1e0a7b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6\n```\n\n"
        f"| Team | {cells} |\n|---|{'---|' * 6}\n| Payments | {' | '.join(f'{n} min' for n in range(41, 47))} |\n",
        "annotations/cache.yaml": f"""annotations:
  - {{id: target, quote: "{target}", note: A real target.}}
  - {{id: miss, quote: "46 min", flags: [anonymous-source], note: Measured on a cold machine.}}
"""})
    return serve_site(root)[0]


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_printed_code_and_tables_show_every_character(browser, explainer, js):
    """On paper nothing scrolls: a code block printed as the screen showed it, scrolled to its first passage and cut
    at both ends ("rvices/payments/ledger:…_test_suite_wit"), its second line cut after 60 characters; a wide table
    cut at the page's edge. Printed, code wraps and a table prints whole."""
    context = browser.new_context(viewport={"width": 700, "height": 900}, java_script_enabled=js)
    page = context.new_page()
    printed(page, explainer + "/articles/cache/", js)
    boxes = page.evaluate("""() => { const body = document.querySelector('.article-body').getBoundingClientRect();
        return [...document.querySelectorAll('.article-body pre, .article-body .table-scroll')].map(b => ({
            box: b.tagName + '.' + b.className, hidden: b.scrollWidth - b.clientWidth, scrolled: b.scrollLeft,
            past: Math.round(b.getBoundingClientRect().right - body.right)})); }""")
    context.close()
    assert len(boxes) == 2, boxes
    assert all(b["hidden"] <= 1 and b["scrolled"] == 0 and b["past"] <= 1 for b in boxes), boxes


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_at_320_px_a_folded_note_with_a_long_verdict_keeps_its_first_words(browser, river, js):
    """At 320 px (WCAG's reflow), a folded note's line held its long verdict alone, cut mid-word through its frame
    ("PARTLY ACCURATE BUT MISS"), and none of the note's first words. The verdict then took at most 60 % of the line,
    cut with an ellipsis (audit page49: what the desk found was cut); it now has the note's first lines to itself,
    whole, and the first words the next, in a slot as tall: over no line of the text."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=js)
    page = context.new_page()
    page.goto(river + "/articles/river/")
    covered = measure(page, js)["covered"]
    got = page.evaluate("""() => { const s = document.querySelector('[id="note-forty-years"] summary'), b = s.getBoundingClientRect();
        const w = s.querySelector('.verdict-word'), v = w.getBoundingClientRect(), g = s.querySelector('.gist').getBoundingClientRect();
        return {open: s.parentElement.open, verdictInside: v.right <= b.right + 1 && v.bottom <= b.bottom + 1, whole: w.scrollWidth <= w.clientWidth + 1,
                gist: Math.round(Math.min(g.right, b.right) - g.left), gistShown: g.bottom <= b.bottom + 1}; }""")
    context.close()
    assert not got["open"], got
    assert got["verdictInside"] and got["whole"] and got["gist"] >= 40 and got["gistShown"] and not covered, (got, covered)


ARTICLE = "/articles/zetas-ms13-allies/"  # (the repo's site: site_url)


@pytest.mark.parametrize("when", ["before", "after"], ids=["print-media-from-the-start", "print-media-after-load"])
def test_in_print_media_every_note_shows_whole(browser, site_url, when):
    """Shown in print media without the browser's beforeprint (a print preview, a PDF tool, emulated print media), a
    note the screen's layout had cut to its room (.clipped, a max-height) printed cut under its "…"."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    if when == "before":
        page.emulate_media(media="print")
    page.goto(site_url + ARTICLE)
    page.evaluate("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))")
    if when == "after":
        assert page.locator(".note.clipped").count(), "the article no longer has a clipped note on screen: choose another"
        page.emulate_media(media="print")
    cut = page.evaluate("""() => [...document.querySelectorAll('aside.note')].filter(n => n.scrollHeight > n.clientHeight + 1
        || getComputedStyle(n, '::after').content.includes('…')).map(n => n.dataset.note)""")
    widths = page.evaluate("() => [...new Set([...document.querySelectorAll('aside.note')].map(n => Math.round(n.getBoundingClientRect().width)))]")
    context.close()
    assert not cut, f"notes printed cut: {cut}"
    assert len(widths) == 1, f"notes print at several widths: {widths}"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_on_a_phone_a_link_in_the_folded_summary_shows_whole_when_focused(browser, site_url, pages, js):
    """On a phone the article's summary (and a retraction's reason) is cut to two lines, and shows whole when it has the
    focus; a link in it, reached by Tab, stayed cut to the box: its ring cut (us-infiltrates-mexican-cartels: "New York
    Times report"), and a link past the second line out of sight."""
    context = browser.new_context(viewport=NARROW, java_script_enabled=js)
    page = context.new_page()
    hidden, seen = [], 0
    for path in [p for p in pages if p.startswith("/articles/")]:
        page.goto(site_url + path)
        for i in range(page.locator(":is(.summary-text, .banner-reason) a").count()):
            link = page.locator(":is(.summary-text, .banner-reason) a").nth(i)
            link.focus()  # (as Tab does: a ring is drawn for it)
            seen += 1
            box = link.evaluate("""a => { const r = a.getBoundingClientRect(), s = getComputedStyle(a);
                const ring = (parseFloat(s.outlineWidth) || 0) + (parseFloat(s.outlineOffset) || 0);
                for (let e = a.parentElement; e; e = e.parentElement) {
                  if (getComputedStyle(e).overflow === 'visible') continue;
                  const c = e.getBoundingClientRect();
                  if (r.top - ring < c.top - 1 || r.bottom + ring > c.bottom + 1 || r.left - ring < c.left - 1 || r.right + ring > c.right + 1) return false;
                }
                return s.outlineStyle !== 'none'; }""")
            if not box:
                hidden.append((path, link.inner_text()))
    context.close()
    assert seen, "no article of the repo has a link in its summary any more: choose another"
    assert not hidden, f"links out of their box when focused: {hidden}"


RING_INSIDE = """() => { const a = document.activeElement, r = a.getBoundingClientRect(), s = getComputedStyle(a);
  const ring = (parseFloat(s.outlineWidth) || 0) + (parseFloat(s.outlineOffset) || 0);
  for (let e = a.parentElement; e; e = e.parentElement) {
    if (getComputedStyle(e).overflow === 'visible') continue;
    const c = e.getBoundingClientRect();
    if (r.top - ring < c.top - 1 || r.bottom + ring > c.bottom + 1 || r.left - ring < c.left - 1 || r.right + ring > c.right + 1)
      return a.textContent.trim() + ' cut by ' + e.tagName + '.' + e.className;
  }
  return s.outlineStyle === 'none' ? a.textContent.trim() + ': no ring' : null; }"""


def test_without_script_tabbing_through_the_last_note_keeps_each_ring_whole(browser, site_url):
    """Without script, on a wide screen, the last note is a frame that scrolls (it never runs over the site's footer);
    Tab scrolled each link in it to the frame's very edge, and its focus ring was cut there (zetas-ms13-allies: "Back
    to the passage")."""
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    last = page.locator("aside.note[data-last]")
    last.locator("summary").focus()
    cut = []
    for _ in range(30):
        page.keyboard.press("Tab")
        if not last.evaluate("n => n.contains(document.activeElement)"):
            break
        problem = page.evaluate(RING_INSIDE)
        if problem:
            cut.append(problem)
    context.close()
    assert not cut, cut


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_with_reduced_motion_nothing_moves_by_itself(browser, site_url, viewport):
    """A reader who asks for reduced motion: no transition, no animation, no smooth scrolling on the article page,
    neither on load nor when a note is opened or a passage is followed to. (An animation on a scroll timeline moves
    only as the reader scrolls, not by itself: the fade of the header's strip of flags on a phone.)"""
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    page.locator("aside.note > details > summary").first.click()
    page.locator("a.noteref").nth(1).click()
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => [e, ...['::before', '::after'].map(p => [e, p])])
        .map(x => Array.isArray(x) ? [x[0], getComputedStyle(x[0], x[1])] : [x, getComputedStyle(x)])
        .filter(([e, s]) => s.transitionDuration.split(',').some(d => parseFloat(d) > 0) || (s.animationName !== 'none' && s.animationTimeline === 'auto') || s.scrollBehavior === 'smooth')
        .map(([e]) => e.tagName + '.' + e.className).slice(0, 5)""")
    context.close()
    assert not moving, f"moving by itself: {moving}"


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_the_focus_ring_of_a_number_on_a_code_blocks_first_line_shows_whole(browser, tmp_path_factory, serve_site, viewport, js):
    """A passage at the start of a code block's first line: its number stands in the gutter, raised over the code's
    tops, and the box (it scrolls sideways) cut its focus ring at the top and the left."""
    root = _site(tmp_path_factory.mktemp("code") / "site", 'title = "Code"\nsearch = false\n', {
        "content/cache.md": "# The cache\n\nThe key is computed from the sources.\n\n"
        "```\nannual_charge = base_charge * (1 + cpi)\nif household.social_tariff:\n    annual_charge = base_charge\n```\n",
        "annotations/cache.yaml": "annotations:\n  - {id: charge, quote: annual_charge, occurrence: 1, note: The first line's first word.}\n"})
    context = browser.new_context(viewport=viewport, java_script_enabled=js)
    page = context.new_page()
    page.goto(serve_site(root)[0] + "/articles/cache/")
    ref = page.locator("pre a.noteref")
    assert ref.count() == 1
    ref.focus()
    problem = page.evaluate(RING_INSIDE)
    context.close()
    assert problem is None, problem


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_in_forced_colours_the_minimap_shows_its_marks_filled(browser, site_url, scheme):
    """Forced colours (Windows high contrast) dropped the fills of the minimap: each mark showed as its 3 px bottom
    line alone, on a strip that was not there. Each mark is now a box filled with the link colour, unlike the page's."""
    context = browser.new_context(viewport=WIDE, forced_colors="active", color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    marks = page.evaluate("""() => { const page = getComputedStyle(document.body).backgroundColor;
        return [...document.querySelectorAll('.minimap li > a')].map(a => ({fill: getComputedStyle(a).backgroundColor, page,
            height: a.getBoundingClientRect().height})); }""")
    context.close()
    assert marks
    bad = [m for m in marks if m["fill"] == m["page"] or m["fill"] in ("transparent", "rgba(0, 0, 0, 0)") or m["height"] < 8]
    assert not bad, bad


def test_without_script_a_last_note_that_is_a_half_shows_whole_when_tabbed_through(browser, tmp_path):
    """Without script, at 1280 px, the last note of tests/sites/relations ("records") shares a row with the note before
    it: a half of the margin. Focused, it stayed a 180 x 35 px frame that scrolled, and Tab scrolled each of its
    links past the frame's edges, their rings cut. Now it shows itself the margin's width, as any half does, and
    every link in it shows with its ring."""
    from .browserkit import REPO, build, serve

    server, url = serve(build(REPO / "tests" / "sites" / "relations", tmp_path / "out", base_url="/"))  # (served at the root)
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/articles/answer/")
    last = page.locator("aside.note[data-last]")
    assert last.evaluate("n => n.offsetWidth") < 200, "the fixture's last note is no longer a half"
    last.locator("summary").focus()
    widths, cut = [], []
    for _ in range(12):
        if not last.evaluate("n => n.contains(document.activeElement)"):
            break
        widths.append(last.evaluate("n => n.querySelector('details').getBoundingClientRect().width"))
        problem = page.evaluate(RING_INSIDE)
        if problem:
            cut.append(problem)
        page.keyboard.press("Tab")
    context.close()
    server.shutdown()
    assert len(widths) >= 4, widths  # its summary, two cross-links, "Back to the passage"
    assert min(widths) >= 300, widths
    assert not cut, cut


TAB_KEY = """() => { const e = document.activeElement, r = e.getClientRects()[0] || e.getBoundingClientRect();
  const inside = !!e.closest('.article-body');
  const key = e.matches('a.noteref') ? 'ref:' + e.id.replace(/^ref-/, '') : e.matches('aside.note > details > summary')
    ? 'note:' + e.closest('aside').dataset.note : e.tagName.toLowerCase() + ':' + (e.getAttribute('href') || e.id || '');
  return {key, inside, top: Math.round(r.top + scrollY)}; }"""


@pytest.mark.parametrize("where", ["mayor", "repo", "explainer"])
def test_on_a_phone_tab_goes_through_the_text_and_its_notes_in_the_order_they_show(browser, mayor, site_url, serve_site, where):
    """On a phone each note stands under its passage's line, but in the page it comes after its whole paragraph: Tab
    went through every number of a paragraph, then back up to the paragraph's first note, and a keyboard user heard
    "Note 1, Note 2, Note 3, ..." then the notes. Now Tab goes down the page as the reader sees it: the numbers of a
    line, the notes under it, the next line (in a table, a row's notes stand right over it: they come first); Shift+Tab
    the same way back; every number and every note once."""
    from .browserkit import REPO

    url, path = {"mayor": (mayor, "/articles/statement/"), "repo": (site_url, ARTICLE),
                 "explainer": (serve_site(REPO / "tests" / "sites" / "explainer")[0] if where == "explainer" else None,
                               "/articles/water-explainer/")}[where]
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(url + path)
    page.locator("a.noteref").first.focus()
    forward = [page.evaluate(TAB_KEY)]
    while True:
        page.keyboard.press("Tab")
        now = page.evaluate(TAB_KEY)
        if not now["inside"]:
            break
        forward.append(now)
    back = [forward[-1]]
    page.locator(f"[id='note-{forward[-1]['key'][5:]}'] summary" if forward[-1]["key"].startswith("note:") else "a.noteref >> nth=-1").focus()
    while True:
        page.keyboard.press("Shift+Tab")
        now = page.evaluate(TAB_KEY)
        if not now["inside"]:
            break
        back.append(now)
    expected = page.evaluate("""() => [...document.querySelectorAll('a.noteref, aside.note > details > summary')].map(e =>
        e.matches('a.noteref') ? 'ref:' + e.id.replace(/^ref-/, '') : 'note:' + e.closest('aside').dataset.note)""")
    context.close()
    keys = [f["key"] for f in forward]
    ups = [(a["key"], b["key"], b["top"] - a["top"]) for a, b in zip(forward, forward[1:]) if b["top"] < a["top"] - 4]
    assert not ups, f"Tab went back up the page: {ups}"
    assert sorted(k for k in keys if k[:4] in ("ref:", "note")) == sorted(expected), keys
    assert [b["key"] for b in back] == keys[::-1], "Shift+Tab does not go back the way Tab came"


@pytest.mark.parametrize("slug", ["op-ed", "care-homes"])
def test_on_a_phone_without_script_tab_goes_down_the_page_note_by_note(browser, serve_site, slug):
    """Without script on a phone, Tab went through every number of a paragraph, then back up to its first note (op-ed
    of tests/sites/heldout46b: from "5" 637 px down back up to note 1 at 373 px, three times in three paragraphs). Now
    Tab goes from note to note down the page, each under its passage's line, every note once; the numbers are still
    links, named with their flag words, and a tap on one still leads to its note."""
    from .browserkit import REPO

    url = serve_site(REPO / "tests" / "sites" / "heldout46b")[0]
    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + f"/articles/{slug}/")
    page.locator("h1").first.click()
    forward = []
    for _ in range(400):
        page.keyboard.press("Tab")
        now = page.evaluate(TAB_KEY)
        if now["inside"]:
            forward.append(now)
        elif forward:
            break
    expected = page.evaluate("() => [...document.querySelectorAll('aside.note')].map(n => 'note:' + n.dataset.note)")
    # the number is still a link a screen reader hears, with its flag words, and a tap on it leads to its note
    third = page.locator("a.noteref").nth(2)
    name = third.aria_snapshot()
    words = third.evaluate("a => [...a.querySelectorAll('.fw')].map(w => w.textContent)")
    third.locator(".n").click()
    followed = page.evaluate("() => location.hash")
    context.close()
    assert name.startswith("- link") and words and all(w in name for w in words), name
    ups = [(a["key"], b["key"], b["top"] - a["top"]) for a, b in zip(forward, forward[1:]) if b["top"] < a["top"] - 4]
    assert not ups, f"Tab went back up the page: {ups}"
    assert [f["key"] for f in forward if f["key"].startswith("note:")] == expected
    assert followed == "#note-" + expected[2][5:]


CUT_WORDS = """verdicts => [...document.querySelectorAll('aside.note')].flatMap(n => {
  const box = n.getBoundingClientRect(), words = [...n.querySelectorAll('summary .flag-word')];
  const shown = w => { const r = w.getBoundingClientRect(), s = getComputedStyle(w);
    return r.width > 3 && r.height > 3 && s.display !== 'none' && s.clipPath === 'none'; };
  const more = n.querySelector('summary .more');
  const problems = [...n.querySelectorAll('summary .flag-word:not(:first-child), summary .more' + (verdicts ? ', summary .verdict-word' : ''))].filter(shown)
    .filter(w => { const r = w.getBoundingClientRect();
      return r.bottom > box.bottom + 1 || r.right > box.right + 1 || w.scrollWidth > w.clientWidth + 1; })
    .map(w => n.dataset.note + ': ' + w.textContent + ' cut');
  // a word not shown is said by "+N"
  if (words.some(w => !shown(w)) && !(more && shown(more))) problems.push(n.dataset.note + ': a flag word hidden, no "+N"');
  return problems; })"""


@pytest.mark.parametrize("js", [False, True], ids=["no-script", "script"])
def test_a_crowded_note_shows_its_flag_words_whole_or_folds_them_to_n(browser, serve_site, js):
    """Without script at 1280 px, the crowded notes of heldout46b's nested article cut their second flag word: on a
    line's frame beside a verdict, "REBUTS SINGLE" and "SOURCE" under it, cut across; in a half, "FIGURE NOT VERIFIED
    P…"; a half's verdict ran out of it ("LOADED LANGUAGE |STRET"). Now a frame of one line shows the first flag word
    and "+1", as the script's folded notes do, and a half of one line its flag word alone (its verdict heard, seen
    once the note is opened). With script, two notes packed in a row of heldout47's letter showed every flag word,
    cut: "SPEAKER HAS A STAKE LOAD…"; now a packed note also shows its first and "+2". Every word shown, whole."""
    from .browserkit import REPO

    context = browser.new_context(viewport=WIDE, java_script_enabled=js)
    page = context.new_page()
    problems = []
    for site, slug in [("heldout46b", "nested"), ("heldout46b", "op-ed"), ("heldout46b", "care-homes"),
                       ("heldout47", "letter"), ("heldout47", "every-sentence"), ("heldout47", "listicle")]:
        page.goto(serve_site(REPO / "tests" / "sites" / site)[0] + f"/articles/{slug}/")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        if js:
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        problems += [f"{slug}: {p}" for p in page.evaluate(CUT_WORDS, not js)]
    opened = page.locator("aside.note").filter(has=page.locator("summary .more")).first
    opened.locator("summary").click()
    whole = opened.evaluate("n => [...n.querySelectorAll('summary .flag-word')].every(w => getComputedStyle(w).clipPath === 'none')")
    context.close()
    assert not problems, problems
    assert whole, "an opened note does not show every flag word"


TOGGLES = """() => { window.__toggles = {};
  new MutationObserver(records => records.forEach(r => {
    const note = r.target.closest && r.target.closest('aside.note');
    if (note && r.target.tagName === 'DETAILS') window.__toggles[note.id] = (window.__toggles[note.id] || 0) + 1;
  })).observe(document, {subtree: true, attributes: true, attributeFilter: ['open']}); }"""


def test_on_a_wide_screen_the_script_places_the_notes_again_only_when_something_moved(browser, mayor):
    """The script places the notes (which open, which fold) when it runs, and again at the page's `load`, when its fonts
    are ready and at each resize. Each time it unset and reopened every note, moved or not: a page of 400 notes took 0.5
    to 1 s a time, and loaded in 3.5 to 4.8 s at 1280 px (bench/page_load.py --dense 200x2; 2.5 to 3.1 s now). When
    neither the fonts loaded, the width nor any passage's line moved, the notes now stay as placed: no note opens or
    closes. Resized, they are placed again."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.add_init_script(f"({TOGGLES})()")
    page.goto(mayor + "/articles/statement/", wait_until="load")
    settled = "() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
    page.evaluate(settled)
    page.wait_for_timeout(300)
    placed = page.evaluate("() => window.__toggles")
    assert placed, "no note was opened"
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")  # as `load` and the fonts do: nothing moved
    page.evaluate(settled)
    same = page.evaluate("() => window.__toggles")
    page.set_viewport_size({"width": 1100, "height": 800})
    page.evaluate(settled)
    again = page.evaluate("() => window.__toggles")
    context.close()
    assert same == placed, "the notes were placed again though nothing moved"
    assert sum(again.values()) > sum(placed.values()), "resized, the notes were not placed again"


@pytest.fixture(scope="module")
def bridge(tmp_path_factory, serve_site):
    """An article whose first paragraph carries six notes, two of them with verdicts; a line holds up to three."""
    root = _site(tmp_path_factory.mktemp("bridge") / "site", 'title = "Bridge"\nsearch = false\n', {
        "content/bridge.txt": "Bridge Audit Finds Cracks, Officials Say\n\n"
        "A senior engineer, speaking on condition of anonymity, said the audit found 14 cracks in the main span; the "
        "ministry said 3; the contractor said none; a union official said \"dozens\"; and the mayor, asked twice, said "
        "only that the bridge was \"safe, absolutely safe\" and would stay open.\n\n"
        "The audit itself has not been published. Its summary runs to four pages.\n",
        "annotations/bridge.yaml": """annotations:
  - {id: engineer, quote: "A senior engineer, speaking on condition of anonymity", flags: [anonymous-source], note: Not named.}
  - {id: fourteen, quote: "14 cracks", verdict: unproven, claim: The audit found 14 cracks., note: The summary gives no count.}
  - {id: three, quote: "the ministry said 3", note: From its press office.}
  - {id: none, quote: "the contractor said none", flags: [rebuttal], note: The contractor has a stake.}
  - {id: dozens, quote: "dozens", flags: [anonymous-source], note: Not named either.}
  - {id: safe, quote: "safe, absolutely safe", verdict: misleading, claim: The bridge is safe., note: Two urgent repairs.}
"""})
    return serve_site(root)[0]


def test_without_script_a_verdict_in_a_half_width_note_shows_its_whole_box(browser, bridge):
    """Without script, at 1280 px, the notes of a crowded line share a row, half the margin each, their first line set
    small and close. A verdict's box there lay outside that line, and the line's frame cut its top and foot: it read
    "|UNPROVEN|". Its box now sits within the line."""
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(bridge + "/articles/bridge/")
    page.evaluate("document.fonts.ready.then(() => true)")
    boxes = page.evaluate("""() => [...document.querySelectorAll('aside.note')].filter(n => n.offsetWidth < 200)
        .flatMap(n => [...n.querySelectorAll('summary > .verdict-word')].map(v => {
            const r = v.getBoundingClientRect(), s = v.closest('summary').getBoundingClientRect();
            return {id: n.id, word: v.textContent.trim(), out: Math.max(s.top - r.top, r.bottom - s.bottom)}; }))""")
    context.close()
    assert boxes, "no half-width note of the fixture carries a verdict"
    cut = [b for b in boxes if b["out"] > 0.5]
    assert not cut, cut


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_an_opening_quote_mark_stays_on_the_line_of_the_number_after_it(browser, bridge, js):
    """'a union official said "dozens"': the passage is the word inside the quote marks, so its number comes right
    after the opening mark. Chromium broke the line between the number and the reference's hidden "Note " (out of
    the flow), and the mark ended a line alone, its words under it. Checked at phone widths from 300 to 420 px."""
    found = []
    for width in range(300, 424, 8):
        context = browser.new_context(viewport={"width": width, "height": 740}, java_script_enabled=js)
        page = context.new_page()
        page.goto(bridge + "/articles/bridge/")
        page.evaluate("document.fonts.ready.then(() => true)")
        found += page.evaluate("""(width) => [...document.querySelectorAll('a.noteref')].flatMap(a => {
            const t = a.previousSibling;
            if (!t || t.nodeType !== 3 || !/["“(]$/.test(t.data)) return [];
            const r = document.createRange(); r.setStart(t, t.length - 1); r.setEnd(t, t.length);
            const mark = r.getBoundingClientRect(), n = a.querySelector('.n').getBoundingClientRect();
            return [{width, ref: a.id, mark: Math.round(mark.bottom), number: Math.round(n.bottom)}]; })""", width)
        context.close()
    assert any(f["ref"] == "ref-dozens" for f in found), found
    apart = [f for f in found if abs(f["mark"] - f["number"]) > 12]  # (on one line: the number is raised a little)
    assert not apart, apart
