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
        bad = run_axe(page, axe_source, ["color-contrast"])
        context.close()
        assert not bad, f"{scheme}: " + describe(bad)


# each line of the note's text, as drawn (the text of its characters grouped by their line's top)
NOTE_LINES = """(sel) => { const box = document.querySelector(sel + ' .note-text'), r = document.createRange(), lines = {};
  const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT); let t;
  while ((t = walk.nextNode())) for (let i = 0; i < t.length; i++) {
    r.setStart(t, i); r.setEnd(t, i + 1); const rect = r.getClientRects()[0];
    if (rect) { const y = Math.round(rect.top); lines[y] = (lines[y] || '') + t.data[i]; } }
  return Object.keys(lines).sort((a, b) => a - b).map(y => lines[y].trim()).filter(Boolean); }"""


def test_a_long_url_in_a_note_leaves_no_hyphen_alone_on_a_line(browser, serve_site, tmp_path):
    """Audit read12: a long URL in a note ("…/segment1-averyvery…/segment2-…") broke only at its hyphens, and where
    a piece up to the next hyphen was wider than the note chromium cut it just before the hyphen: a "-" alone on
    a line, six times. A line may now end after any slash of a long path."""
    url = "https://example.org/" + "/".join(f"segment{i}-averyveryverylongpathcomponent" for i in range(6))
    site = _site(tmp_path / "url", 'title = "T"\nsearch = false\n', {
        "content/dead.txt": "Dead links\n\nThe data were published once and the page is gone now.\n",
        "annotations/dead.yaml": f"annotations:\n  - id: gone\n    quote: the page is gone\n    note: The link {url} is dead.\n"})
    base = serve_site(site)[0]
    for viewport in (WIDE, PHONE):
        for script in (True, False):
            context = browser.new_context(viewport=viewport, java_script_enabled=script)
            page = context.new_page()
            page.goto(base + "/articles/dead/")
            page.locator("#note-gone summary").click()
            lines = page.evaluate(NOTE_LINES, "#note-gone")
            context.close()
            assert len(lines) > 3, lines
            assert not [line for line in lines if not any(c.isalnum() for c in line)], \
                f"{viewport['width']}px, script {script}: a line of punctuation alone: {lines}"
            assert "".join(lines).replace(" ", "") == f"The link {url} is dead.".replace(" ", "")


# each note's frame, and its text's first line: its box, and whether it is drawn
FIRST_LINES = """() => [...document.querySelectorAll('.article-body aside.note')].map(n => {
  const frame = n.getBoundingClientRect(), text = n.querySelector('.note-text'), walk = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  let t = walk.nextNode(); while (t && !t.data.trim()) t = walk.nextNode();
  if (!t) return null;  // a note of flags alone
  const r = document.createRange(); r.setStart(t, t.data.search(/\\S/)); r.setEnd(t, t.data.search(/\\S/) + 1);
  const line = r.getClientRects()[0];
  return {id: n.id, frame: [frame.top, frame.bottom], line: [line.top, line.bottom],
          shown: getComputedStyle(text.closest('.note-body')).opacity !== '0' && line.top < frame.bottom}; }).filter(Boolean)"""


def test_without_script_a_note_shows_its_first_text_line_whole_or_not_at_all(browser, serve_site, tmp_path):
    """Audit read12: without script, beside a line crowded with passages a note's frame can hold its flag line
    and only the top of a text line, which showed as a faded sliver. Such a note now shows one line folded as the
    script folds it (number, flag words, its first words); hovered or focused, all of it."""
    sentences = [f"Sentence {i} says that the harbour figures were checked by nobody at all." for i in range(14)]
    site = _site(tmp_path / "crowd", 'title = "T"\nsearch = false\n', {
        "content/crowd.txt": "Every sentence doubted\n\n" + " ".join(sentences) + "\n",
        "annotations/crowd.yaml": "annotations:\n" + "".join(
            f"  - id: s{i}\n    quote: \"Sentence {i} says\"\n    flags: [{('anonymous-source', 'rebuttal')[i % 2]}]\n"
            f"    note: The desk compared this figure with the ministry's own ledger and found it twice as large, "
            f"which the report does not explain anywhere.\n" for i in range(14))})
    from .browserkit import REPO

    pages = [(serve_site(site)[0], "/articles/crowd/"), (serve_site(REPO / "tests" / "sites" / "labels")[0], "/articles/hedges/")]  # hedges: halves
    for url, path in pages:
        context = browser.new_context(viewport=WIDE, java_script_enabled=False)
        page = context.new_page()
        page.goto(url + path)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        notes = page.evaluate(FIRST_LINES)
        context.close()
        cut = [n for n in notes if n["shown"] and n["line"][1] > n["frame"][1] + 1]
        assert not cut, f"{path}: a note shows the top of a text line it cannot show whole: {cut}"
        assert any(not n["shown"] for n in notes), notes
        assert path != "/articles/crowd/" or any(n["shown"] for n in notes), notes  # crowd has notes with room for text too


# where a folded note's first words start to show: is their first letter inside the line drawn?
GIST_START = """(sel) => { const s = document.querySelector(sel + ' summary'), g = s.querySelector('.gist'), t = g.firstChild;
  const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 1); const a = r.getBoundingClientRect();
  const clip = g.getBoundingClientRect(), line = s.getBoundingClientRect();
  const box = getComputedStyle(g).overflow === 'hidden' ? clip : line;
  return {first: t.data[0], inside: a.left >= box.left - 0.5 && a.right <= box.right + 0.5 && a.left >= line.left - 0.5 && a.right <= line.right + 0.5}; }"""


def test_a_folded_note_in_the_other_direction_shows_its_first_words_from_their_start(browser, serve_site, tmp_path):
    """Audit read13: on a Hebrew page a note written in English, folded to one line, showed the end of its first
    words ("…me, as registered: Harbour Works Ltd"): the line is right to left, so it was cut at its left end,
    where the English words start. Its first words are now cut at their own end, whatever their direction.
    And the byline sat at the left under a title set at the right: it is now on the title's side; and the English
    note, open, read right to left (".In English"): each paragraph of a note takes its words' direction."""
    site = _site(tmp_path / "rtl", 'title = "הפנקס"\nsearch = false\nlanguage = "he"\n', {
        "content/he.txt": "עלות הנמל\n\nהקבלן, חברת Harbour Works Ltd, לא השיב לפניות. העירייה אומרת שהעבודות יעלו הרבה.\n\n"
                          "הדוח המלא פורסם באתר העירייה בסוף השנה.\n",
        "annotations/he.yaml": "article:\n  author: נועה לוי\n  published: 2025-03-04\nannotations:\n  - id: company\n    quote: חברת Harbour Works Ltd\n"
                               "    note: The company's English name, as registered with the ministry of the economy in 2019.\n"
                               "  - id: cost\n    quote: יעלו הרבה\n    note: הנתון לקוח מטיוטה שלא אושרה, והתקציב המאושר נמוך בהרבה ממנו.\n"
                               "  - id: report\n    quote: הדוח המלא\n    note: In English.\n"})
    url = serve_site(site)[0]
    for script in (True, False):
        context = browser.new_context(viewport=PHONE, java_script_enabled=script)
        page = context.new_page()
        page.goto(url + "/articles/he/")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        got = {n: page.evaluate(GIST_START, f"#note-{n}") for n in ("company", "cost")}
        context.close()
        assert all(g["inside"] for g in got.values()), f"script {script}: {got}"
    # the line under the title (its author and date, in the interface's English) is on the title's side; the
    # English note, shown open, reads left to right: its full stop after its last word, not before its first
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/articles/he/")
    sides = page.evaluate("""() => { const h = document.querySelector('h1').getBoundingClientRect(), r = document.createRange();
      r.selectNodeContents(document.querySelector('.article-head .meta')); const m = r.getBoundingClientRect();
      return {title: h.right, meta_right: m.right, meta_left: m.left, head_left: h.left}; }""")
    order = page.evaluate("""() => { const t = document.querySelector('#note-report .note-text p').firstChild, r = document.createRange();
      const at = i => { r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect(); };
      const first = at(t.data.indexOf('I')), stop = at(t.data.lastIndexOf('.'));
      return {first: first.left, stop: stop.left, same_line: Math.abs(first.top - stop.top) < 2}; }""")
    context.close()
    assert abs(sides["meta_right"] - sides["title"]) < 2 and sides["meta_left"] > sides["head_left"] + 200, sides
    assert order["stop"] > order["first"], order


def test_right_to_left_notes_of_one_line_stand_under_it_in_reading_order(browser, serve_site):
    """Audit page6: on a narrow screen, an Arabic line with two passages (notes 2 and 3) showed note 3 right under
    the line and note 2 under it, 56 px from its passage: chromium stacks a line's slots in the order the line shows
    them, right to left the last passage's first. The notes now take their line's slots in reading order, with
    script or without, and a note opened there keeps its first line in its place and covers no text."""
    from .browserkit import REPO

    url = serve_site(REPO / "tests" / "sites" / "rtl")[0]
    for width, js in [(1024, True), (600, True), (1024, False), (600, False)]:
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
        page = context.new_page()
        page.goto(url + "/articles/budget/")
        notes = measure(page, js)["notes"]
        tops = [n["top"] for n in notes]
        where = f"{width}px, script {'on' if js else 'off'}"
        assert tops == sorted(tops), f"{where}: the notes are not in reading order down the page: {tops}"
        assert all(n["ok"] for n in notes), f"{where}: a note away from its passage: {notes}"
        page.locator("aside.note").nth(1).locator("summary").click()
        m = measure(page, js)
        tops = [n["top"] for n in m["notes"]]
        context.close()
        assert tops == sorted(tops), f"{where}, note 2 opened: the notes' first lines are out of order: {tops}"
        assert m["notes"][1]["level"] and not m["covered"] and not m["overlaps"], f"{where}, note 2 opened: {m}"


def test_right_to_left_without_script_a_half_opened_stays_on_the_page(browser, serve_site):
    """Audit page6: without script, at 1280 px, an Arabic page's note folded to a half (its passage shares a line with
    the next) stood at the margin's right, not its left, and opened, it widened to the right: 186 px of it off the
    page, which then scrolled sideways. Right to left, the half's left inset gave way to the note's right one."""
    from .browserkit import REPO

    url = serve_site(REPO / "tests" / "sites" / "rtl")[0]
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/articles/budget/")
    measure(page, js=False)
    page.locator("aside.note").nth(1).locator("summary").click()
    m = measure(page, js=False)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    right = page.evaluate("() => document.querySelector('aside.note:nth-of-type(2) > details').getBoundingClientRect().right")
    context.close()
    assert widths[0] <= widths[1] and right <= widths[1], f"the opened note runs off the page: {widths}, its right {right}"
    assert not m["covered"] and not m["overlaps"], m


# where a paragraph's last full stop stands against the letter before it, in the line a reader sees
STOP_SIDE = """(sel) => { const p = document.querySelector(sel), w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let last = null; for (let t = w.nextNode(); t; t = w.nextNode()) if (t.data.includes('.') && !t.parentElement.closest('.noteref')) last = t;
  const i = last.data.lastIndexOf('.'), r = document.createRange(), at = k => { r.setStart(last, k); r.setEnd(last, k + 1); return r.getBoundingClientRect(); };
  const stop = at(i), letter = at(i - 1);
  return {direction: getComputedStyle(p).direction, stop_left_of_letter: stop.right <= letter.left + 1, same_line: Math.abs(stop.top - letter.top) < 2}; }"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_article_reads_in_its_own_script_s_direction_whatever_the_site_s_language(browser, serve_site, tmp_path, language):
    """Session 38's open defect: an Arabic (or Hebrew) article on a site whose language is "en" got no dir: its text
    ran left to right, each sentence's full stop before its first word, its notes under a phone's line in the
    wrong order. An article now takes the direction of most of its letters (render/bidi.py): the Arabic one reads
    right to left on an English site, the English one left to right on an Arabic site, at 1280 and 375 px, with
    script and without, its notes level with their passages and in reading order down the page."""
    site = _site(tmp_path / language, f'title = "T"\nlanguage = "{language}"\nsearch = false\n', {
        "content/ar.txt": "سطر مزدحم\n\nقال من في عن لا هو إن المشروع سيكتمل في الموعد المحدد وإن التكلفة لن تتجاوز الميزانية "
                          "المعلنة، لكن مصادر مطلعة قالت إن الأعمال متأخرة بأكثر من عام.\n\nوقال سكان الحي إنهم لم يروا أي عمال.\n",
        "annotations/ar.yaml": "annotations:\n" + "".join(f'  - quote: "{w}"\n    prefix: "قال {pre}"\n    note: ملاحظة عن هذا الموضع.\n'
                                                          for w, pre in (("من", ""), ("في", "من"), ("عن", "من في")))
                               + '  - quote: "مصادر مطلعة"\n    flags: [anonymous-source]\n    note: "Who? In English."\n',
        "content/en.txt": "The harbour\n\nThe contractor did not answer. The council says the works will cost a great deal, "
                          "and will be finished by the end of 2026.\n\nSources at the council said the schedule is not realistic.\n",
        "annotations/en.yaml": "annotations:\n  - {quote: The contractor, note: ملاحظة بالعربية.}\n"
                               "  - {quote: Sources at the council, flags: [anonymous-source], note: Who are they?}\n"})
    url = serve_site(site)[0]
    problems = []
    for js in (True, False):
        for viewport in (WIDE, PHONE):
            context = browser.new_context(viewport=viewport, java_script_enabled=js)
            page = context.new_page()
            for slug, rtl in (("ar", True), ("en", False)):
                page.goto(f"{url}/articles/{slug}/")
                m = measure(page, js)
                where = f"{slug} on a {language} site, {viewport['width']}px, script {'on' if js else 'off'}"
                side = page.evaluate(STOP_SIDE, ".article-body > p:nth-of-type(1)")
                title = page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
                if side["direction"] != ("rtl" if rtl else "ltr") or title != side["direction"]:
                    problems.append(f"{where}: the text reads {side['direction']}, its title {title}")
                if side["same_line"] and side["stop_left_of_letter"] != rtl:
                    problems.append(f"{where}: the full stop is on the wrong side of the last word")
                tops = [n["top"] for n in m["notes"]]
                if not all(n["ok"] for n in m["notes"]) or m["covered"] or m["overlaps"] or tops != sorted(tops):
                    problems.append(f"{where}: {[(n['id'], n['off']) for n in m['notes']]} covered {m['covered']} overlaps {m['overlaps']}")
            context.close()
    assert not problems, "\n".join(problems)


HEAD_SIDES = """() => { const text = document.querySelector('.article-body > p').getBoundingClientRect(), h = document.querySelector('h1');
  const r = document.createRange(); r.selectNodeContents(h); const t = r.getBoundingClientRect(), b = document.querySelector('.article-head > .banner');
  return {text_left: text.left, text_right: text.right, title_left: t.left, title_right: t.right, banner_left: b ? b.getBoundingClientRect().left : null}; }"""


def test_at_1280_a_right_to_left_title_stands_over_the_text(browser, serve_site, tmp_path):
    """Session 38: at 1280 px the title of a right-to-left article stood at the right of the notes' margin, its first
    word 430 px right of the text's, as if it belonged to the notes; with a retraction, the banner stood over the text
    and the title over the margin. The title now ends where the text's lines do (its first word over the text's), and
    the banner stands in the margin, as on a left-to-right page, mirrored."""
    from .browserkit import REPO

    banner = _site(tmp_path / "banner", 'title = "T"\nsearch = false\n', {
        "content/a.txt": "الحكومة ترفع أسعار المياه\n\nأعلنت وزارة المياه يوم الأحد أنها سترفع أسعار المياه للمنازل بنسبة عشرين في المئة "
                         "اعتباراً من الشهر المقبل، وقالت إن الزيادة ضرورية لتمويل إصلاح الشبكة القديمة.\n",
        "annotations/a.yaml": "article:\n  retracted:\n    date: 2025-01-05\n    reason: سحبت الصحيفة التقرير.\nannotations:\n"
                              "  - quote: بنسبة عشرين في المئة\n    note: الرقم غير مؤكد.\n"})
    problems = []
    for url, path in ((serve_site(REPO / "tests" / "sites" / "arabic")[0], "/articles/water-prices/"), (serve_site(banner)[0], "/articles/a/")):
        context = browser.new_context(viewport=WIDE, java_script_enabled=False)
        page = context.new_page()
        page.goto(url + path)
        measure(page, js=False)
        sides = page.evaluate(HEAD_SIDES)
        context.close()
        if abs(sides["title_right"] - sides["text_right"]) > 2 or sides["title_left"] < sides["text_left"] - 2:
            problems.append(f"{path}: the title is not over the text: {sides}")
        if sides["banner_left"] is not None and sides["banner_left"] < sides["text_right"]:
            problems.append(f"{path}: the banner stands over the text: {sides}")
    assert not problems, "\n".join(problems)
