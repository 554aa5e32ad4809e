"""How an article page holds up, measured in the browser (issue 10's yardstick).

    python tests/browser/layout.py [SITE]     # build SITE (default: the repo's), print the figures

For each note: how far its first line is from its passage's first line, and whether it is level
(within 48 px; a note of a passage in a table, on a narrow screen, in its slot right above the passage's row)
or stacked tight under the level note of a passage on the same line. For the text:
the largest vertical gap between two lines of the article's text. On a phone: where the first line
of the article's text starts. test_layout.py asserts the same figures on the repo's site and on
tests/sites/stress.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

LEVEL = 48      # px: a note's first line at most this far from its passage's first line
TIGHT = 16      # px: a stacked note starts at most this far under the note above it
HOLE = 120      # px: the largest gap allowed between two lines of the article's text
PHONE = {"width": 375, "height": 667}  # a small phone's first screen (iPhone SE)
WIDE = {"width": 1280, "height": 800}

MEASURE = """() => {
  const body = document.querySelector('.article-body');
  if (!body) return null;
  const Y = scrollY;
  const first = el => { const r = el.getClientRects(); return r.length ? r[0] : null; };
  // notes, in reading order: the top of their first line against their passage's first line
  const notes = [...document.querySelectorAll('aside.note[data-note]')].map(n => {
    const mark = document.getElementById(n.dataset.note);
    const head = n.querySelector('summary') || n;
    const m = mark && first(mark), h = first(head), box = n.getBoundingClientRect();
    // on a narrow screen the notes of a table's passages stand in their slots right above the passage's row
    const row = mark && mark.closest('.table-scroll tr'), slots = row && row.previousElementSibling;
    const above = slots && slots.classList.contains('slot-row') && slots.getBoundingClientRect();
    const held = !!(above && above.height && h && h.top >= above.top - 1 && h.top <= above.bottom + 1);
    return {id: n.dataset.note, passage: m ? m.top + Y : null, top: h ? h.top + Y : null, held,
            bottom: box.height ? box.bottom + Y : null, lineHeight: mark ? parseFloat(getComputedStyle(mark).lineHeight) || 24 : 24};
  });
  notes.forEach((n, i) => {
    n.off = n.top === null || n.passage === null ? null : Math.round(n.top - n.passage);
    n.level = n.off !== null && (Math.abs(n.off) <= %(level)d || n.held);
    // or stacked: right under the note above, whose passage is on the same line and which is itself level or stacked
    const above = notes[i - 1];
    n.stacked = !n.level && n.off !== null && !!above && above.ok && above.passage !== null && above.bottom !== null
      && Math.abs(above.passage - n.passage) <= n.lineHeight / 2 && n.top >= above.bottom - 1 && n.top - above.bottom <= %(tight)d;
    n.ok = n.level || n.stacked;
  });
  // lines of the article's text (not of the notes): one row per line box
  const skip = 'aside.note, .minimap, .slot';
  const rects = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.data.trim() || (t.parentElement && t.parentElement.closest(skip))) continue;
    range.selectNodeContents(t);
    for (const r of range.getClientRects()) if (r.height > 0 && r.width > 0) rects.push([r.top + Y, r.bottom + Y]);
  }
  // an image, a figure drawn in SVG, a video: what the text shows there is not a hole
  for (const el of body.querySelectorAll('img, svg, video, canvas, picture, iframe, object')) {
    if (el.closest(skip)) continue;
    const r = el.getBoundingClientRect();
    if (r.height > 0 && r.width > 0) rects.push([r.top + Y, r.bottom + Y]);
  }
  // a note never covers a line of the text, nor another note
  const boxes = [...document.querySelectorAll('aside.note[data-note]')].map(n => n.getBoundingClientRect())
    .filter(r => r.height).map(r => [r.left, r.top + Y, r.right, r.bottom + Y]);
  const lineBoxes = [];
  // what a reader sees of a line: text scrolled out of a box that scrolls sideways (code, a wide table) is not there
  const clipOf = el => { for (let e = el; e && e !== body; e = e.parentElement)
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) { const c = e.getBoundingClientRect(); return [c.left, c.right]; }
    return [-Infinity, Infinity]; };
  walker.currentNode = body;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.data.trim() || (t.parentElement && t.parentElement.closest(skip))) continue;
    if (t.parentElement.getBoundingClientRect().width <= 1) continue;  // visually hidden (for screen readers alone)
    range.selectNodeContents(t);
    const [cl, cr] = clipOf(t.parentElement);
    for (const r of range.getClientRects()) {
      const left = Math.max(r.left, cl), right = Math.min(r.right, cr);
      if (r.height > 0 && right > left) lineBoxes.push([left, r.top + Y, right, r.bottom + Y]);
    }
  }
  const meets = (a, b) => a[0] < b[2] - 1 && b[0] < a[2] - 1 && a[1] < b[3] - 1 && b[1] < a[3] - 1;
  const covered = lineBoxes.filter(l => boxes.some(b => meets(l, b))).length;
  const overlaps = boxes.filter((b, i) => boxes.some((c, j) => j < i && meets(b, c))).length;
  const offscreen = boxes.filter(b => b[0] < -1 || b[2] > innerWidth + 1).length;
  rects.sort((a, b) => a[0] - b[0]);
  let hole = 0, bottom = null, at = null;
  for (const [top, bot] of rects) {
    if (bottom !== null && top > bottom && top - bottom > hole) { hole = top - bottom; at = bottom; }
    bottom = bottom === null ? bot : Math.max(bottom, bot);
  }
  return {notes, hole: Math.round(hole), holeAt: at === null ? null : Math.round(at),
          firstText: rects.length ? Math.round(rects[0][0]) : null, lines: rects.length, covered, overlaps, offscreen};
}""" % {"level": LEVEL, "tight": TIGHT}

SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def measure(page, js: bool = True) -> dict:
    """The figures of the article page loaded in `page` (after the fonts and any layout settle)."""
    page.wait_for_load_state("load")
    # (the shipped faces, preloaded, are there before the first layout or left out: this waits for a site's own)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    if js:
        page.evaluate(SETTLE)  # let the script place the notes first
    return page.evaluate(MEASURE)


def summary(m: dict) -> str:
    notes = m["notes"]
    level = sum(n["level"] for n in notes)
    stacked = sum(n["stacked"] for n in notes)
    worst = max((abs(n["off"]) for n in notes if n["off"] is not None and not n["ok"]), default=0)
    most = max((abs(n["off"]) for n in notes if n["off"] is not None and n["level"]), default=0)
    hidden = sum(n["off"] is None for n in notes)
    trouble = "".join(f", {m[k]} {k}" for k in ("covered", "overlaps", "offscreen") if m[k])
    return (f"{level}/{len(notes)} level (within {most} px), {stacked} stacked, {len(notes) - level - stacked} off (worst {worst} px"
            f"{f', {hidden} not shown' if hidden else ''}), largest hole {m['hole']} px, first text at {m['firstText']} px{trouble}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="the site to build and measure (default: this repository's)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if __package__:
        from .browserkit import CHROMIUM, CHROMIUM_ARGS, REPO, build, html_pages, serve
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from browserkit import CHROMIUM, CHROMIUM_ARGS, REPO, build, html_pages, serve
    site = args.site or REPO
    if not (site / "content").is_dir():
        parser.error(f"{site}: not a site (no content/ folder)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = build(site.resolve(), Path(tmp) / "out", base_url="/")  # served at the root, whatever site.toml says
        server, url = serve(out)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in [x for x in html_pages(out) if x.startswith("/articles/")]:
                for js in (True, False):
                    for vp in (WIDE, PHONE):
                        context = browser.new_context(viewport=vp, java_script_enabled=js)
                        page = context.new_page()
                        page.goto(url + path)
                        m = measure(page, js)
                        print(f"{path} {vp['width']}px JS {'on ' if js else 'off'}: {summary(m)}")
                        context.close()
        finally:
            browser.close()
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
