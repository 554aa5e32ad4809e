"""Reading the repo's own site in chromium: links land, keys reach, layouts hold, hooks keep their word."""
from __future__ import annotations

import json
import re
import unicodedata

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 375, "height": 740}


def poll(page, expression: str, until, timeout: float = 15.0):
    """Evaluate `expression` until `until(value)` holds (wait_for_function's in-page eval is subject
    to the page's CSP; evaluate is not)."""
    import time

    end = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if until(value):
            return value
        assert time.monotonic() < end, f"timed out waiting for {expression}: {value!r}"
        page.wait_for_timeout(50)


def rebuttal_links(page) -> list[dict]:
    """The cross-links in notes that read "Rebuts …" or "Rebutted by …": their page-relative hrefs."""
    return page.eval_on_selector_all(
        ".note li.xlink, .passage-item li.xlink",
        """items => items
             .filter(li => /^(Rebuts|Rebutted by)\\b/.test(li.textContent.trim()) && li.querySelector('a'))
             .map(li => ({text: li.textContent.trim().replace(/\\s+/g, ' '),
                          href: li.querySelector('a').getAttribute('href')}))""",
    )


def landed_state(page) -> dict:
    """What the reader sees after following a link: the :target, where it is, how it is drawn."""
    return page.evaluate(
        """() => {
            const t = document.querySelector(':target');
            if (!t) return {target: null, hash: location.hash};
            const r = t.getBoundingClientRect();
            const s = getComputedStyle(t);
            const other = document.querySelector('mark[data-annotation]:not(:target)');
            return {
              hash: decodeURIComponent(location.hash.slice(1)), target: t.tagName.toLowerCase(), id: t.id,
              annotation: t.getAttribute('data-annotation'),
              top: r.top, bottom: r.bottom, left: r.left, right: r.right,
              vh: innerHeight, vw: innerWidth,
              outline: s.outlineStyle + ' ' + s.outlineWidth, outlineColor: s.outlineColor,
              otherOutline: other ? getComputedStyle(other).outlineStyle : 'none',
            };
        }"""
    )


def test_rebuttal_links_land_on_the_passage_in_view_and_highlighted(page, site_url, pages):
    page.set_viewport_size(WIDE)
    sources = [p for p in pages if p.startswith("/articles/")] + ["/flags/rebuttal/"]
    checked = 0
    for source in sources:
        page.goto(site_url + source)
        for link in rebuttal_links(page):
            page.goto(site_url + source)
            anchor = page.locator(f'li.xlink a[href="{link["href"]}"]').first
            if not anchor.is_visible():  # in a folded note: the reader opens it first
                anchor.locator("xpath=ancestor::aside[1]//summary").click()
            anchor.click()
            target_id = link["href"].split("#", 1)[1]
            poll(page, "() => location.hash.slice(1)", lambda h: h == target_id)
            page.wait_for_load_state("load")
            poll(page, "() => document.querySelector(':target') !== null", bool)
            # let the notes be placed (requestAnimationFrame) before measuring
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            state = landed_state(page)
            where = f'{source}: "{link["text"][:60]}" -> {link["href"]}'
            assert state["target"] == "mark", f"{where}: :target is {state}"
            assert state["id"] == target_id and state["annotation"] == target_id, f"{where}: {state}"
            assert 0 <= state["top"] < state["vh"] * 0.75 and state["bottom"] > 0, f"{where}: not in view: {state}"
            assert state["outline"].split()[0] != "none" and state["outline"].split()[1] != "0px", \
                f"{where}: the passage is not highlighted: {state}"
            assert state["outline"].split()[0] != state["otherOutline"], f"{where}: looks like any passage"
            checked += 1
    assert checked >= 4, "the repo's site should have rebuttal links to follow"


def test_hover_or_focus_on_a_passage_lights_its_note_and_back(page, site_url, one_of_each):
    page.set_viewport_size(WIDE)
    page.goto(site_url + one_of_each["article"])
    ann = page.locator("mark[data-annotation][id]").nth(2).get_attribute("id")
    lit = "() => [...document.querySelectorAll('.lit')].map(e => e.id || e.getAttribute('data-annotation'))"
    page.locator(f'[id="{ann}"]').hover()
    assert set(page.evaluate(lit)) >= {ann, f"note-{ann}"}
    page.mouse.move(0, 0)
    assert page.evaluate(lit) == []
    page.locator(f'[id="note-{ann}"] summary').focus()
    assert set(page.evaluate(lit)) >= {ann, f"note-{ann}"}
    page.locator(f'[id="ref-{ann}"]').focus()
    assert set(page.evaluate(lit)) >= {ann, f"note-{ann}"}


def tab_sequence(page, limit: int = 2000) -> list[str]:
    """Press Tab from the top until focus leaves the page or comes round again; the keys of what got focus."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """() => { const e = document.activeElement;
                       if (!e || e === document.body) return null;
                       if (e.matches('a.noteref')) return 'ref:' + e.id.replace(/^ref-/, '');
                       if (e.matches('aside.note > details > summary')) return 'note:' + e.closest('aside').dataset.note;
                       return e.tagName.toLowerCase() + ':' + (e.getAttribute('href') || e.id || ''); }"""
        )
        if key is None or (seen and key == seen[0]):
            break
        seen.append(key)
    return seen


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_tab_reaches_every_passage_and_its_note_in_reading_order(page, site_url, pages, viewport):
    page.set_viewport_size(viewport)
    for path in [p for p in pages if p.startswith("/articles/")]:
        page.goto(site_url + path)
        ids = page.eval_on_selector_all("a.noteref", "els => els.map(e => e.id.replace(/^ref-/, ''))")
        numbers = page.eval_on_selector_all("a.noteref", "els => els.map(e => +e.dataset.n)")
        if not ids:
            continue
        expected = page.eval_on_selector_all(
            "a.noteref, aside.note > details > summary",
            """els => els.map(e => e.matches('a.noteref') ? 'ref:' + e.id.replace(/^ref-/, '')
                                                           : 'note:' + e.closest('aside').dataset.note)""",
        )
        seq = [k for k in tab_sequence(page) if k.startswith(("ref:", "note:"))]
        if viewport == WIDE:  # (on a phone, in the order they show: test_readers.py's test_on_a_phone_tab_goes_through_...)
            assert seq == expected, f"{path}: Tab order of passages and notes differs from the page's order"
        assert sorted(seq) == sorted(expected), f"{path}: Tab misses or repeats a passage or a note"
        for ann in ids:
            assert f"ref:{ann}" in seq and f"note:{ann}" in seq, f"{path}: Tab never reaches {ann}"
            assert seq.index(f"ref:{ann}") < seq.index(f"note:{ann}"), f"{path}: the note {ann} comes before its passage"
        notes = [k[5:] for k in seq if k.startswith("note:")]
        assert [numbers[ids.index(n)] for n in notes] == sorted(numbers), f"{path}: notes out of reading order"


def test_notes_are_readable_without_javascript(browser, site_url, pages):
    articles = [p for p in pages if p.startswith("/articles/")]
    for viewport in (WIDE, NARROW):
        context = browser.new_context(java_script_enabled=False, viewport=viewport)
        page = context.new_page()
        for path in articles:
            page.goto(site_url + path)
            notes = page.locator("aside.note")
            count = notes.count()
            assert count == page.locator("a.noteref").count(), path
            for i in range(count):
                note = notes.nth(i)
                text = note.locator(".note-text:not(:empty), .xlinks, .byline").first
                summary = note.locator("summary")
                if not text.is_visible():
                    # folded to one line behind a disclosure: it must open from the keyboard, without script
                    summary.focus()
                    page.keyboard.press("Enter")
                assert text.is_visible(), f"{path} at {viewport['width']}px: note {i + 1} is hidden"
                box = text.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, \
                    f"{path} at {viewport['width']}px: note {i + 1} is off screen: {box}"
            # the reference in the text leads to its note without script, by a click or a tap (the keyboard goes from
            # note to note there, each note's summary a Tab stop with the same number and flag words: test_readers)
            page.locator("a.noteref").first.locator(".n").click()
            assert page.evaluate("() => document.querySelector(':target')?.matches('aside.note')"), path
        context.close()


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_no_horizontal_scroll(page, site_url, pages, viewport):
    page.set_viewport_size(viewport)
    wide = []
    for path in pages:
        page.goto(site_url + path)
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if sizes[0] > sizes[1]:
            culprits = page.evaluate(
                """w => [...document.querySelectorAll('body *')]
                         .filter(e => e.getBoundingClientRect().right > w + 0.5)
                         .slice(0, 5).map(e => e.tagName + '.' + e.className)""", sizes[1])
            wide.append((path, sizes, culprits))
    assert not wide, f"horizontal scroll at {viewport['width']}px: {wide}"


def test_pages_run_without_script_errors_or_csp_violations(page, site_url, pages):
    problems = []
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{page.url}: {m.type}: {m.text}"))
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        for path in pages:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
    # the 404 page is served with status 404, which chromium reports as a console error
    problems = [p for p in problems if "status of 404" not in p]
    assert not problems, "\n".join(problems)


def luminance(rgb: str) -> float:
    nums = [float(x) for x in re.findall(r"[\d.]+", rgb)[:3]]
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in nums)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


COLOURS = """() => {
  const cs = e => getComputedStyle(e);
  const mark = document.querySelector('mark[data-annotation][data-flags~="anonymous-source"]');
  const note = document.querySelector('aside.note');
  return {bg: cs(document.body).backgroundColor, fg: cs(document.body).color,
          mark: cs(mark).backgroundColor, markText: cs(mark).color,
          note: cs(note).backgroundColor, noteText: cs(note).color};
}"""


def test_dark_mode(page, site_url, one_of_each):
    page.set_viewport_size(WIDE)
    page.emulate_media(color_scheme="light")
    page.goto(site_url + one_of_each["article"])
    light = page.evaluate(COLOURS)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(COLOURS)
    assert luminance(dark["bg"]) < 0.05, f"dark background is not dark: {dark}"
    assert luminance(dark["fg"]) > 0.6, f"dark-mode text is not light: {dark}"
    assert contrast(dark["bg"], dark["fg"]) >= 7, dark
    assert dark["mark"] != dark["bg"] and contrast(dark["mark"], dark["bg"]) >= 1.3, f"passage tint lost in the dark: {dark}"
    assert contrast(dark["mark"], dark["markText"]) >= 4.5, f"passage text unreadable on its tint: {dark}"
    assert dark["mark"] != light["mark"] and dark["bg"] != light["bg"], "nothing changes in dark mode"
    assert contrast(light["mark"], light["bg"]) >= 1.1 and contrast(light["mark"], light["markText"]) >= 4.5, light


def test_print(page, site_url, one_of_each):
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        page.goto(site_url + one_of_each["article"])
        page.emulate_media(media="print")
        state = page.evaluate(
            """() => ({
                nav: [...document.querySelectorAll('nav')].filter(n => n.checkVisibility()).map(n => n.getAttribute('aria-label')),
                notes: document.querySelectorAll('aside.note').length,
                hidden: [...document.querySelectorAll('aside.note .note-text')].filter(n => !n.checkVisibility()).length,
                bg: getComputedStyle(document.body).backgroundColor,
                // a note prints whole: its first words ("gist") not again before its text, no "▸" to open it
                gists: [...document.querySelectorAll('aside.note .gist')].filter(n => n.checkVisibility()).length,
                markers: [...document.querySelectorAll('aside.note summary')].filter(
                    n => getComputedStyle(n, '::before').display !== 'none' &&
                         !['none', 'normal'].includes(getComputedStyle(n, '::before').content)).length,
            })"""
        )
        assert state["gists"] == 0 and state["markers"] == 0, f"a note's first words or its ▸ printed: {state}"
        assert state["nav"] == [], f"navigation printed at {viewport['width']}px: {state}"
        assert state["notes"] > 0 and state["hidden"] == 0, f"notes hidden in print at {viewport['width']}px: {state}"
        assert luminance(state["bg"]) > 0.9, state
        page.emulate_media(media="screen")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    return " ".join(text.split())


def test_spec_hooks_hold_for_every_annotation(page, site_url, site_dir, pages):
    total = 0
    for path in [p for p in pages if p.startswith("/articles/")]:
        doc = json.loads((site_dir / path.strip("/") / "annotations.jsonld").read_text(encoding="utf-8"))
        page.goto(site_url + path)
        for item in doc["first"]["items"]:
            ann_id = item["id"].rsplit("#", 1)[1]
            ours = item["target"][0] if isinstance(item["target"], list) else item["target"]  # then the original, if any
            quote = next(s["exact"] for s in ours["selector"] if s["type"] == "TextQuoteSelector")
            flags = sorted(b["value"] for b in item.get("body", []) if b.get("purpose") == "classifying")
            pieces = page.evaluate(
                """id => [...document.querySelectorAll('[data-annotation]')]
                          .filter(e => e.getAttribute('data-annotation') === id)
                          .map(e => ({id: e.id, text: e.textContent, flags: e.getAttribute('data-flags'), tag: e.tagName}))""",
                ann_id,
            )
            where = f"{path}#{ann_id}"
            assert pieces, f"{where}: no element carries data-annotation"
            assert normalise("".join(p["text"] for p in pieces)) == normalise(quote), where
            assert pieces[0]["id"] == ann_id, f"{where}: the first piece lacks the id"
            assert all(p["id"] in ("", ann_id) for p in pieces[1:]) and [p["id"] for p in pieces].count(ann_id) == 1, where
            for p in pieces:
                assert p["flags"] is not None, f"{where}: a piece has no data-flags"
                assert sorted(p["flags"].split()) == flags, f"{where}: data-flags {p['flags']!r} != {flags}"
            assert page.locator(f'[id="{ann_id}"]').count() == 1, f"{where}: id not unique"
            total += 1
    assert total >= 40


def test_printing_gathers_notes_as_endnotes_and_puts_them_back(page, site_url, one_of_each):
    page.set_viewport_size(WIDE)
    page.goto(site_url + one_of_each["article"])
    total = page.locator(".article-body aside.note").count()
    assert total > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    numbers = page.locator(".endnotes aside.note .num").all_inner_texts()
    assert numbers == [str(n) for n in range(1, total + 1)]
    assert page.locator(".article-body aside.note").count() == 0
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".article-body aside.note").count() == total
    assert page.locator(".endnotes").count() == 0


def test_printing_without_javascript_puts_every_note_after_the_text(browser, site_url, one_of_each):
    """DESIGN: print notes as numbered endnotes after the article, with or without script."""
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + one_of_each["article"])
    page.emulate_media(media="print")
    state = page.evaluate(
        """() => {
            const body = document.querySelector('.article-body');
            const text = [...body.children].filter(e => !e.matches('.notes, .search-hooks') && e.checkVisibility());
            const notes = [...body.querySelectorAll('aside.note')];
            return {lastText: Math.max(...text.map(e => e.getBoundingClientRect().bottom)),
                    firstNote: Math.min(...notes.map(n => n.getBoundingClientRect().top)),
                    order: notes.map(n => +n.querySelector('.num').textContent).sort((a, b) => a - b).join(),
                    tops: notes.map(n => n.getBoundingClientRect().top)};
        }"""
    )
    context.close()
    assert state["firstNote"] > state["lastText"], state
    assert state["tops"] == sorted(state["tops"]), "notes printed out of order"


def test_cross_link_previews_show_on_hover_and_focus_and_escape_dismisses(page, site_url):
    page.set_viewport_size(WIDE)
    page.goto(site_url + "/articles/zetas-ms13-allies/")
    link = page.locator("li.xlink a[aria-describedby]").first
    preview = page.locator(f'[id="{link.get_attribute("aria-describedby")}"]')
    if not link.is_visible():
        link.locator("xpath=ancestor::aside[1]//summary").click()
    assert not preview.is_visible()
    link.hover()
    assert preview.is_visible() and preview.locator("q").inner_text().strip()
    page.mouse.move(0, 0)
    assert not preview.is_visible()
    link.focus()
    assert preview.is_visible()
    page.keyboard.press("Escape")
    assert not preview.is_visible()


def test_on_a_phone_tapping_a_passage_opens_its_note_and_a_link_opens_its_target_note(browser, site_url):
    context = browser.new_context(viewport=NARROW, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "/articles/zetas-ms13-allies/")
    ann = page.locator("mark.passage[id]").nth(3).get_attribute("id")
    note = page.locator(f'[id="note-{ann}"] .note-text')
    assert not note.is_visible()
    page.locator(f'[id="{ann}"]').tap()
    assert note.is_visible()
    # the slot under the line grows with the open note: it covers no text
    box, slot = page.locator(f'[id="note-{ann}"]').bounding_box(), page.locator(f'[id="ref-{ann}"] + .slot').bounding_box()
    assert abs(box["height"] - slot["height"]) <= 1 and abs(box["y"] - slot["y"]) <= 1
    other = page.locator("mark.passage[id]").nth(5).get_attribute("id")
    page.goto(site_url + f"/articles/zetas-ms13-allies/#{other}")
    assert page.locator(f'[id="note-{other}"] .note-text').is_visible()
    context.close()


def test_minimap_comes_after_the_text_out_of_the_tab_order_with_a_you_are_here_band(page, site_url):
    page.set_viewport_size(WIDE)
    page.goto(site_url + "/articles/zetas-ms13-allies/")
    facts = page.evaluate("""() => {
      const map = document.querySelector('.minimap'), body = document.querySelector('.article-body');
      const marks = [...map.querySelectorAll('a')];
      return {after: !!(body.compareDocumentPosition(map) & Node.DOCUMENT_POSITION_FOLLOWING),
              tabbable: marks.filter(a => a.tabIndex >= 0).length, marks: marks.length,
              size: marks.map(a => a.getBoundingClientRect()).map(r => [r.width, r.height]),
              band: !!map.querySelector('.here')};
    }""")
    assert facts["after"] and facts["tabbable"] == 0 and facts["marks"] > 0 and facts["band"], facts
    assert all(w >= 14 and h >= 10 for w, h in facts["size"]), facts
    before = page.evaluate("() => document.querySelector('.minimap .here').style.top")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight / 2)")
    page.wait_for_timeout(50)
    assert page.evaluate("() => document.querySelector('.minimap .here').style.top") != before


MINIMAP_SEEN = """() => { const v = innerHeight, s = document.querySelector('.flag-steps');
  const sr = s && !s.hidden ? s.getBoundingClientRect() : null;
  const marks = [...document.querySelectorAll('.minimap li:not(.here) a')].map(a => a.getBoundingClientRect());
  return {marks: marks.length, below: marks.filter(r => r.bottom > v).length,
          under: sr ? marks.filter(r => r.left < sr.right && sr.left < r.right && r.top < sr.bottom && sr.top < r.bottom).length : 0}; }"""


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_every_minimap_mark_is_in_the_window_from_the_first_screen(page, site_url, pages, viewport):
    """Before the strip pins to the top it starts lower down: with script it is sized to end in the window
    (above the flag steps' buttons on a phone), so no mark is out of sight or under a button, then or later."""
    page.set_viewport_size(viewport)
    for path in [p for p in pages if p.startswith("/articles/")]:
        page.goto(site_url + path)
        for y in (0, 1500):
            page.evaluate(f"() => window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
            seen = page.evaluate(MINIMAP_SEEN)
            assert seen["marks"] and not seen["below"] and not seen["under"], (path, y, seen)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "375"])
def test_next_and_previous_flagged_passage(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/articles/not-so-fast-zetas-ms13/")
    flagged = page.eval_on_selector_all('mark.passage[id]:not([data-flags=""])', "els => els.map(e => e.id)")
    nxt = page.get_by_role("button", name="Next flagged passage")
    seen = []
    for _ in range(3):
        nxt.click()
        poll(page, "() => document.querySelector(':target') !== null", bool)
        seen.append(page.evaluate("() => document.querySelector(':target').id"))
    assert seen == flagged[:3], (seen, flagged)
    page.get_by_role("button", name="Previous flagged passage").click()
    poll(page, "() => location.hash.slice(1)", lambda h: h == flagged[1])
    # the note of the passage stepped to is open
    assert page.locator(f'[id="note-{flagged[1]}"] .note-text').is_visible()


def test_nothing_hidden_shows_on_any_page_with_or_without_javascript(browser, site_url, pages):
    """Elements marked `hidden` (search hooks, previews) take no room and show no text, whatever
    display the stylesheet gives their kind of element."""
    for js in (True, False):
        context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for path in pages:
            page.goto(site_url + path)
            shown = page.evaluate("""() => [...document.querySelectorAll('[hidden]')]
                .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 120))""")
            assert shown == [], f"{path} (JavaScript {'on' if js else 'off'}): {shown}"
        context.close()


def test_without_javascript_on_a_phone_a_link_to_a_passage_opens_its_note_only(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    page.goto(site_url + "/articles/zetas-ms13-allies/")
    ids = page.locator("mark.passage[id]").evaluate_all("els => els.map(e => e.id)")
    target, other = ids[3], ids[4]
    assert not page.locator(f'[id="note-{target}"] .note-text').is_visible()  # folded after its paragraph
    page.goto(site_url + f"/articles/zetas-ms13-allies/#{target}")
    assert page.locator(f'[id="note-{target}"] .note-text').is_visible()
    assert not page.locator(f'[id="note-{other}"] .note-text').is_visible()
    # shown open, in the flow after its paragraph (nothing lies over it, and it lies over no text); its first
    # line stays one line in its slot under the passage's line, to close it
    shown = page.evaluate("""id => { const n = document.querySelector(`[id="note-${id}"]`), t = n.querySelector('.note-text').getBoundingClientRect();
        const hit = document.elementFromPoint(t.left + t.width / 2, t.bottom - 4);
        const para = document.getElementById(id).closest('.article-body > *').getBoundingClientRect();
        return {onTop: !!hit && !!hit.closest(`[id="note-${id}"]`), below: t.top >= para.bottom - 1,
                head: n.querySelector('summary').getBoundingClientRect().height}; }""", target)
    assert shown["onTop"] and shown["below"] and shown["head"] < 30, shown
    context.close()


def test_notes_placed_in_rows_print_as_wide_as_the_others(browser, serve_site, tmp_path):
    """Printing gathers the notes as endnotes; those the script had placed in a row of folded notes (packed, at 1280 px)
    or side by side under a phone's crowded line kept the width of their share: at 1280 px, one note in two of the
    crowded article printed 182 px wide beside 624, its words in a narrow column (on a phone, 78 px beside 335).
    Printed, each note is as wide as the text, and on screen again the rows come back."""
    from .browserkit import REPO
    from .test_layout import _site

    short = ["as", "of", "to", "in", "on", "by", "at"]
    line = _site(tmp_path / "line", 'title = "T"\nsearch = false\n', {
        "content/crowded.txt": "A crowded line\n\nSaid " + " ".join(short) + " the council, the works will be finished on time.\n",
        "annotations/crowded.yaml": "annotations:\n" + "".join(
            f"  - quote: \"{w}\"\n    prefix: \"{' '.join(['Said'] + short[:i])}\"\n    note: Note number {i + 1} on this place in the text.\n"
            for i, w in enumerate(short))})
    for site, viewport in ((REPO / "tests" / "sites" / "crowded", WIDE), (line, NARROW)):
        url = serve_site(site)[0]
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url + "/articles/crowded/")
        page.evaluate("document.fonts.ready")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # the script's
        placed = page.locator("aside.note.packed, aside.note.side").count()  # layout after the fonts (it asks a frame)
        assert placed >= 3, f"{viewport['width']}px: {placed} notes in rows: the fixture does not crowd a line"
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        widths = page.evaluate("() => [...document.querySelectorAll('.endnotes aside.note')].map(n => Math.round(n.getBoundingClientRect().width))")
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        again = page.locator("aside.note.packed, aside.note.side").count()
        context.close()
        assert len(set(widths)) == 1, f"{viewport['width']}px: endnotes printed at widths {sorted(set(widths))}"
        assert again == placed, f"{viewport['width']}px: {placed} notes in rows before printing, {again} after"


def test_text_copied_from_an_article_is_its_text_without_the_note_references(page, site_url, pages):
    """A reader (or an annotator, writing a quote) who selects a paragraph and copies it got "Note1The mayor
    said Note2 Anonymous sourcing…": the note references, the number and the flag words, were copied with the
    text. Each block that holds a passage is selected whole; the copy is its text without them."""
    checked = 0
    for path in [p for p in pages if p.startswith("/articles/")]:
        page.goto(site_url + path)
        blocks = page.evaluate(
            """() => {
                const blocks = new Set([...document.querySelectorAll('mark.passage')]
                    .map(m => m.closest('p, li, td, th, pre, blockquote, h1, h2, h3, h4, h5, h6')).filter(Boolean));
                return [...blocks].map(block => {
                    const range = document.createRange();
                    range.selectNodeContents(block);
                    const selection = getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    const copied = selection.toString();
                    const bare = block.cloneNode(true);
                    bare.querySelectorAll('.noteref').forEach(ref => ref.remove());
                    return {copied, text: bare.textContent};
                });
            }"""
        )
        for block in blocks:
            assert normalise(block["copied"]) == normalise(block["text"]), path
            checked += 1
    assert checked >= 20
