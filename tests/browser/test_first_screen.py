"""The first screen of heavily annotated articles (audit read18): a retracted article that six other articles
answer as a whole, and an article with ten site flags and no summary paragraph. Each test builds its site."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .browserkit import REPO  # noqa: E402
from .layout import PHONE, WIDE, measure  # noqa: E402
from .test_layout import _site  # noqa: E402

TABLET = {"width": 700, "height": 900}

SENTENCE = "Councillor {n} told reporters that the stadium lease would cost taxpayers ${n}.5 million over ten years."
FLAGS = ["Undisclosed conflict of interest", "Unverified statistical extrapolation", "Single uncorroborated source",
         "Misattributed or altered quotation", "Outdated figure presented as current", "Press release reproduced without attribution",
         "Missing essential context", "Loaded or emotionally charged language", "Correction requested, not yet published"]
TOML = 'title = "The City Desk"\nsearch = false\n' + "".join(
    f'[flags.f{i}]\nlabel = "{label}"\ndescription = "One sentence."\n' for i, label in enumerate(FLAGS))
REASON = ("The paper retracted this article after an internal review found that the two documents on which it relied, "
          "a draft lease and a memo attributed to the Treasurer's office, could not be authenticated, that the figure of "
          "$410 million was an extrapolation by a source with a financial interest in a rival bid, and that three of the "
          "people quoted as council insiders had not spoken to the reporters. The editors apologised to the Treasurer, "
          "to the stadium trust and to readers; the review's findings are published in the notice.")


def _paragraphs(first: int, count: int) -> str:
    return "\n\n".join(" ".join(SENTENCE.format(n=first + 4 * p + s) for s in range(4)) for p in range(count)) + "\n"


@pytest.fixture(scope="module")
def heavy(serve_site, tmp_path_factory):
    """A retracted article, rebutted as a whole by 11 passages of 6 articles (two from each but the last) and at
    its passages by others; and an article whose ten passages carry ten flags, with no summary paragraph."""
    files = {"content/deal.txt": _paragraphs(100, 8),
             "annotations/deal.yaml": "article:\n  title: Secret Stadium Deal Will Bankrupt the City, Insiders Say\n"
                                      "  summary: An exclusive alleging a secret lease; retracted a month later.\n"
                                      f"  retracted:\n    date: 2025-03-03\n    reason: \"{REASON}\"\n"
                                      "    notice: https://example.com/notice\nannotations:\n"
                                      + "".join(f"  - id: c{i}\n    quote: Councillor {100 + 4 * i} told\n    flags: [anonymous-source]\n"
                                                for i in range(8))}
    for a in range(6):
        files[f"content/answer-{a}.txt"] = _paragraphs(1000 + 100 * a, 2)
        anns = [f"  - quote: Councillor {1000 + 100 * a + n} told\n    rebuts: deal\n    note: The records say otherwise.\n"
                for n in range(2 if a < 5 else 1)]
        anns += [f"  - quote: Councillor {1000 + 100 * a + 4 + n} told\n    rebuts: deal#c{(a + n) % 8}\n" for n in range(2)]
        files[f"annotations/answer-{a}.yaml"] = f"article:\n  title: Answer number {a}\nannotations:\n" + "".join(anns)
    files["content/flags.txt"] = _paragraphs(5000, 3)
    files["annotations/flags.yaml"] = ("article:\n  title: \"The Budget Review Nobody Read: 110 Claims From the Spring Session\"\n"
                                       "  author: Tom Reyes\n  flags: [f5, f8]\nannotations:\n" + "".join(
        f"  - quote: Councillor {5000 + i} told\n    flags: [{'anonymous-source' if i == 9 else f'f{i}'}]\n" for i in range(10)))
    return serve_site(_site(tmp_path_factory.mktemp("heavy"), TOML, files))[0]


@pytest.mark.parametrize("slug", ["deal", "flags"])
def test_the_text_starts_on_the_first_screen_under_a_heavy_header(browser, heavy, slug):
    """Audit read18. deal: the retraction's 90-word reason stood whole beside the title at 1280 px, and eleven
    "Rebutted by <title> →" lines stood in the summary box, so its text started at 1221 px on an 800 px screen
    (1019 px on a 667 px phone). flags: ten counts with no summary paragraph stood in two columns in the
    measure, not three across the margin: the text at 792 px. At least two lines of text now show."""
    found = []
    for js in (True, False):
        for viewport in (WIDE, PHONE):
            context = browser.new_context(viewport=viewport, java_script_enabled=js)
            page = context.new_page()
            page.goto(f"{heavy}/articles/{slug}/")
            first = measure(page, js)["firstText"]
            wide = page.evaluate("document.documentElement.scrollWidth")
            context.close()
            if first + 56 > viewport["height"] or wide > viewport["width"]:
                found.append(f"{viewport['width']}px JS {'on' if js else 'off'}: text at {first} px, page {wide} px wide")
    assert not found, "\n".join(found)


def test_what_answers_a_whole_article_says_each_article_once_and_reaches_every_passage(browser, heavy):
    """Audit read18: on a phone (where quotes are left out) the eleven lines read "Rebutted by Answer number 0 →"
    twice, "… 1 →" twice, and so on: alike lines with different targets. Now one line per article, each of its
    passages quoted (a line each on a phone), folded to "Whole article: rebutted by 11 passages in 6 articles"."""
    for viewport in (PHONE, WIDE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{heavy}/articles/deal/")
        fold = page.locator(".summary-box details.links-fold")
        assert fold.locator("summary").inner_text().strip() == "Whole article: rebutted by 11 passages in 6 articles"
        fold.locator("summary").click()
        lines = [t.strip() for t in page.locator(".article-xlinks > li").all_inner_texts()]
        hrefs = page.locator(".article-xlinks a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        names = page.locator(".article-xlinks a").all_inner_texts()
        context.close()
        assert len(lines) == len(set(lines)) == 6, lines
        assert len(set(hrefs)) == 11 and all("/articles/answer-" in h for h in hrefs), hrefs
        assert len(set(names)) == 11, f"{viewport['width']}px: links that read alike: {names}"


def test_the_ledger_s_caption_keeps_to_its_box_when_the_table_scrolls(browser, heavy):
    """Audit read18: with twelve flag columns (or verdicts, on a phone) the index's table is wider than its box and scrolls; its caption
    took the table's width, so its sentence ran past the box's edge, cut mid-word ("(Rebutted, Ret"), at 1280
    px and on a phone. It now wraps within the box and stays in view while the table scrolls. (At 1280 px the
    table fits now, below: a tablet's 700 px is where it still scrolls.)"""
    for viewport in (TABLET, PHONE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{heavy}/")
        box = page.evaluate("""() => { const w = document.querySelector('.ledger-wrap'), c = w.querySelector('caption');
          const cut = () => c.getBoundingClientRect().right - w.getBoundingClientRect().right;
          const before = cut(); w.scrollLeft = 200; return {scrolls: w.scrollWidth > w.clientWidth, before, after: cut(),
          left: c.getBoundingClientRect().left - w.getBoundingClientRect().left}; }""")
        context.close()
        assert box["scrolls"] or viewport is PHONE, "700px: the table fits; nothing is measured"
        assert box["before"] <= 1 and box["after"] <= 1 and box["left"] >= -1, f"{viewport['width']}px: {box}"


def test_at_1280_a_ledger_of_many_flags_fits_its_box_with_every_column_s_header_whole(browser, heavy):
    """Audit read18: fourteen count columns (nine site flags with long labels) made the index's table twice its box's
    width at 1280 px: half the flags' columns were off to the right. Past eight count columns the headers read
    sideways, and the table fits: nothing scrolls, and each header's words lie within its own column, none over
    another's. A site with few flags keeps its headers level (the repo's own index, in test_a11y and the goldens)."""
    for js in (True, False):
        context = browser.new_context(viewport=WIDE, java_script_enabled=js)
        page = context.new_page()
        page.goto(f"{heavy}/")
        got = page.evaluate("""() => { const w = document.querySelector('.ledger-wrap');
          const heads = [...w.querySelectorAll('thead th.num:not([colspan]) > a, thead th.end > .turn')];
          const out = heads.filter(h => { const r = h.getBoundingClientRect(), c = h.closest('th').getBoundingClientRect();
            return r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5; })
            .map(h => h.textContent.trim());
          const sideways = heads.filter(h => h.getBoundingClientRect().height > h.getBoundingClientRect().width).length;
          return {many: w.querySelector('table').classList.contains('many'), scrolls: w.scrollWidth - w.clientWidth,
                  heads: heads.length, out, sideways}; }""")
        context.close()
        assert got["many"] and got["heads"] >= 13, got
        assert got["scrolls"] <= 0 and not got["out"], got  # (the table was 1,974 px wide in a 1,056 px box)
        assert got["sideways"] == got["heads"], got


def test_with_the_browser_s_font_at_24px_the_text_starts_on_a_phone_s_first_screen(browser, site_url, pages):
    """A reader who set their browser's default font to 24 px (chromium's setting, here through the DevTools
    protocol): on a 375 x 667 phone, 667 px is 28 lines of that font, and the header (site title, title, meta, the
    summary box's counts, two lines each) pushed the text to 720 px, 706 px on another article. The header is set
    closer on such a screen (a media query in rem, so the user's font size is what triggers it): the text now
    starts by 440 px, with room to read, and the counts, in a strip that scrolls sideways, are each reachable."""
    found = []
    for js in (True, False):
        for path in [p for p in pages if p.startswith("/articles/")]:
            context = browser.new_context(viewport=PHONE, java_script_enabled=js)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Page.enable")
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 21}})
            page.goto(site_url + path)
            first = measure(page, js)["firstText"]
            size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
            wide = page.evaluate("document.documentElement.scrollWidth")
            links = page.locator(".summary-box > .summary-items > li > a")  # (a fold's, closed on a phone, and the passages' numbers are not shown)
            cut = []
            for k in range(links.count()):
                links.nth(k).focus()
                box = links.nth(k).bounding_box()
                if box["x"] < -1 or box["x"] + box["width"] > PHONE["width"] + 1:
                    cut.append(links.nth(k).inner_text())
            context.close()
            assert size == 24, f"the browser's font is {size} px: nothing is measured"
            if first + 3 * 41 > PHONE["height"] or wide > PHONE["width"] or cut:
                found.append(f"{path} JS {'on' if js else 'off'}: text at {first} px, page {wide} px wide, counts out of view when focused: {cut}")
    assert not found, "\n".join(found)


def test_on_a_phone_the_home_page_s_first_screen_shows_the_first_article(browser, serve_site):
    """Audit page48 (heldout48: eleven flags): on a 375 x 667 phone, the home page's first screen was the site's title,
    its description, eight lines of counts per flag and the table's six-line caption: the first article's title
    started at 798 px, no article in sight, script on or off. The counts now fold to two lines (every one a tap away)
    and the caption goes under the table there: the first title shows whole. At 1280 px the counts stay on the line."""
    url = serve_site(REPO / "tests" / "sites" / "heldout48")[0]
    found = []
    for js in (True, False):
        for viewport in (PHONE, WIDE):
            context = browser.new_context(viewport=viewport, java_script_enabled=js)
            page = context.new_page()
            page.goto(url + "/")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            got = page.evaluate("""() => { const a = document.querySelector('.ledger tbody th > a'), r = a.getClientRects();
              const counts = [...document.querySelectorAll('.corpus-line a[href*="/flags/"]')];
              return {title: Math.round(r[0].bottom), counts: counts.length,
                      shown: counts.filter(c => c.getClientRects().length).length, wide: document.documentElement.scrollWidth}; }""")
            if viewport is PHONE and not got["shown"]:
                page.locator(".corpus-fold > summary").click()  # folded: a tap shows every count
                got["shown"] = page.locator(".corpus-line a[href*='/flags/']").evaluate_all("as => as.filter(a => a.getClientRects().length).length")
            context.close()
            if got["title"] > viewport["height"] or got["counts"] != 11 or got["shown"] != 11 or got["wide"] > viewport["width"]:
                found.append(f"{viewport['width']}px JS {'on' if js else 'off'}: {got}")
    assert not found, "\n".join(found)


def test_a_title_of_one_long_word_and_a_long_verdict_keep_the_home_page_s_table_in_its_box_at_1280(browser, serve_site):
    """Audit page49 (heldout49): a 199-character title with no space in it (underscores, a German compound, a registry
    reference) stood on one line in the table's first column, and a verdict of six words stood on one line in the
    verdicts column: the table was 2,590 px wide in a 1,056 px box at 1280 px, its counts and verdicts off to the right
    (1,942 px at 375 px, where the table scrolls anyway). Both wrap now; with seven count columns and the verdicts,
    the columns' headers read sideways, and the table fits its box at 1280 px."""
    url = serve_site(REPO / "tests" / "sites" / "heldout49")[0]
    got = {}
    for viewport in (WIDE, PHONE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url + "/")
        got[viewport["width"]] = page.evaluate("""() => { const w = document.querySelector('.ledger-wrap');
          const title = [...w.querySelectorAll('tbody th > a')].find(a => a.textContent.startsWith('Ministry_Of_Housing'));
          return {table: w.scrollWidth, box: w.clientWidth, title: Math.round(title.getBoundingClientRect().width),
                  page: document.documentElement.scrollWidth}; }""")
        context.close()
    assert got[1280]["table"] <= got[1280]["box"] and got[1280]["page"] <= 1280, got
    assert got[375]["title"] <= 260 and got[375]["page"] <= 375, got


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_home_page_s_verdicts_stand_whole_under_each_title_and_the_table_fits(browser, serve_site, js):
    """Audit page50 (heldout50): on a 375 px phone the count columns go under each title, but the verdicts kept a column
    of their own beside the title and the date: the table was 394 px wide in its 335 px box, and "UNSUPPORTED BY THE
    CITED REPORT", one word a line, was cut at the box's edge until the table was scrolled. The verdicts now go under
    the title too, each whole, and the table fits."""
    url = serve_site(REPO / "tests" / "sites" / "heldout50")[0]
    context = browser.new_context(viewport=PHONE, java_script_enabled=js)
    page = context.new_page()
    page.goto(url + "/")
    got = page.evaluate("""() => { const w = document.querySelector('.ledger-wrap'), box = w.getBoundingClientRect();
      const words = [...w.querySelectorAll('.verdict-word')].filter(v => v.getClientRects().length);
      return {table: w.scrollWidth, box: w.clientWidth, shown: words.map(v => v.textContent),
              cut: words.filter(v => { const r = v.getBoundingClientRect();
                                        return r.right > box.right + 1 || v.scrollWidth > v.clientWidth + 1; }).map(v => v.textContent)}; }""")
    context.close()
    assert got["table"] <= got["box"] and not got["cut"], got
    assert "Unsupported by the cited report" in got["shown"], got


def test_a_text_of_one_line_starts_on_a_phone_s_first_screen_under_its_own_words_as_title(browser, serve_site, heldout54):
    """Audit page54 (heldout54's oneline: a text of one 350-character line, twelve notes): its title is its first line,
    so all of it, and the page's heading stood whole above the same line in the text: eleven lines at 375 px, the text
    at 445 px (620 px at 1280). The heading now shows its first three lines, every word still in it for a screen
    reader, as the text right under says them all (printed, the heading is whole); a long title the text does not
    repeat (heldout48's) stays whole."""
    url54, url48 = heldout54, serve_site(REPO / "tests" / "sites" / "heldout48")[0]
    head = """() => { const h = document.querySelector('h1'); return {lines: Math.round(h.getBoundingClientRect().height
      / parseFloat(getComputedStyle(h).lineHeight)), whole: h.scrollHeight <= h.clientHeight + 1, words: h.textContent.trim(),
      text: document.querySelector('.article-body').textContent.replace(/\\s+/g, ' ')}; }"""
    found = []
    for js, viewport in ((True, PHONE), (False, PHONE), (True, WIDE)):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        page.goto(url54 + "/articles/oneline/")
        first, h = measure(page, js)["firstText"], page.evaluate(head)
        if first > (352 if viewport is PHONE else 400) or h["lines"] > 3 or not h["words"].endswith("would be promoted this season."):
            found.append(f"oneline {viewport['width']}px JS {js}: text at {first} px, heading {h['lines']} lines")
        if not ("The chairman said the club" in h["text"] and "be promoted this season." in h["text"]):
            found.append(f"oneline {viewport['width']}px JS {js}: the text does not say the title's words")
        if viewport is WIDE:  # printed, the heading is whole
            page.emulate_media(media="print")
            if not page.evaluate(head)["whole"]:
                found.append("oneline printed: the heading is cut")
        if viewport is PHONE:
            page.goto(url48 + "/articles/title-length/")
            measure(page, js)
            if not page.evaluate(head)["whole"]:
                found.append(f"title-length {viewport['width']}px JS {js}: the heading is cut")
        context.close()
    assert not found, "\n".join(found)


@pytest.fixture(scope="module")
def heldout54(serve_site):
    return serve_site(REPO / "tests" / "sites" / "heldout54")[0]


def test_a_title_of_350_characters_takes_a_few_lines_of_the_index_and_of_the_next_article_link(browser, heldout54):
    """Audit page55 (heldout54's oneline, whose title is its whole 350-character text): at 375 px the title filled 15
    lines of its row on the home page, 14 over its passages on a flag's page and 10 of the link to it under the article
    before. Each now shows its first lines (three, two in the link, its arrow beside them), every word still the link's
    name; no script too."""
    url = heldout54
    title = (REPO / "tests" / "sites" / "heldout54" / "content" / "oneline.txt").read_text().strip()
    lines = """sel => { const a = document.querySelector(sel); return Math.round(a.getBoundingClientRect().height
      / parseFloat(getComputedStyle(a).lineHeight)); }"""
    found = []
    for js, viewport in ((True, PHONE), (False, PHONE)):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        for path, sel, most in (("/", ".ledger a[href$='/oneline/']", 3), ("/articles/spans/", ".article-foot a[href$='/oneline/']", 2),
                                ("/flags/unsourced/", ".group h2 a[href$='/oneline/']", 3)):
            page.goto(url + path)
            page.wait_for_load_state("load")
            shown = page.evaluate(lines, sel)
            named = page.get_by_role("link", name=title, exact=False).count()
            if shown > most or not named:
                found.append(f"{path} {viewport['width']}px JS {js}: the title takes {shown} lines, {named} links named by it")
            if "foot" in sel and not {"←", "→"} & set(page.locator(sel).inner_text()):
                found.append(f"{path} {viewport['width']}px JS {js}: the link lost its arrow")
        context.close()
    assert not found, "\n".join(found)


def test_the_minimap_of_160_notes_draws_marks_apart_each_a_link_counting_the_notes_it_stands_for(browser, heldout54):
    """Audit page55 (heldout54's report of 160 notes): 160 marks of 13 px on a strip of 770 px read as one solid bar,
    each link under the next. Marks nearer than 4% of the strip are one, showing how many notes it stands for,
    named by them ("Notes 5 to 8: ..."), linking to the first: no mark covers another, and the counts add up to 160."""
    found = []
    for js, viewport in ((True, WIDE), (False, WIDE), (True, PHONE)):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        page = context.new_page()
        page.goto(heldout54 + "/articles/many/")
        page.wait_for_load_state("load")
        got = page.evaluate("""() => [...document.querySelectorAll('.minimap li:not(.here) > a')].map(a => {
          const r = a.getBoundingClientRect(), c = a.querySelector('.count');
          return {top: r.top, bottom: r.bottom, count: c ? +c.textContent : 1, name: a.querySelector('.vh').textContent.trim(),
                  to: a.getAttribute('href'), seen: c ? c.getBoundingClientRect().width > 0 : true}; })""")
        covered = [(a["name"], b["name"]) for a, b in zip(got, got[1:]) if b["top"] < a["bottom"] - 1]
        counted = sum(m["count"] for m in got)
        named = [m["name"] for m in got if m["count"] > 1 and not m["name"].startswith("Notes ")]
        if covered or counted != 160 or named or not all(m["seen"] for m in got):
            found.append(f"{viewport['width']}px JS {js}: {len(got)} marks, {len(covered)} covering the next "
                         f"({covered[:2]}), counts adding to {counted}, unnamed groups {named[:2]}")
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_title_of_over_150_characters_leaves_the_text_on_a_phone_s_first_screen_by_351_px(browser, serve_site, js):
    """Audit page59: on a 375 px phone heldout48's title of 200 characters took eight lines (at 1.15rem, as any title
    over 80 characters) and its text started at 360 px; heldout49's title of 190 characters in long tokens, 361 px.
    A title of over 150 characters is set smaller there: 324 and 326 px."""
    problems = []
    for site, slug in (("heldout48", "title-length"), ("heldout49", "long-tokens")):
        url = serve_site(REPO / "tests" / "sites" / site)[0]
        context = browser.new_context(viewport=PHONE, java_script_enabled=js)
        page = context.new_page()
        page.goto(url + f"/articles/{slug}/")
        m = measure(page, js)
        lines = page.evaluate("() => { const h = document.querySelector('h1'); return Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)); }")
        context.close()
        if m["firstText"] is None or m["firstText"] > 351:
            problems.append(f"{slug}: the text starts at {m['firstText']} px (a title of {lines} lines), not by 351 px")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def retracted(serve_site, tmp_path_factory):
    """A retracted article with a byline and a reason: its one badge is "Retracted"; and a retracted sponsored one."""
    body = _paragraphs(200, 3)
    head = ("publication: The Harbour Post\n  published: 2025-02-01\n  url: https://example.com/a\n"
            "  retracted:\n    date: 2025-03-03\n    reason: The figures could not be checked.\n")
    note = "annotations:\n  - quote: Councillor 200 told reporters\n    note: Which councillor?\n"
    root = _site(tmp_path_factory.mktemp("retracted"), 'title = "The City Desk"\nsearch = false\n'
                 '[flags.sponsored]\nlabel = "Sponsored"\ndescription = "Paid for."\n', {
        "content/lease.txt": "Stadium lease to cost $200 million\n\n" + body,
        "annotations/lease.yaml": "article:\n  " + head + note,
        "content/paid.txt": "Stadium lease to cost $300 million\n\n" + body,
        "annotations/paid.yaml": "article:\n  flags: [sponsored]\n  " + head + note})
    return serve_site(root)[0]


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_on_a_phone_a_retraction_banner_is_not_followed_by_a_retracted_badge(browser, retracted, js):
    """Audit page61: on a 375 px phone a retracted article's "Retracted" badge took a line of its own under the banner
    whose first word says "Retracted" (furniture's retracted-study started its text at 356 px, hostile's at 478 px).
    There it is left out (332 and 454 px; here 238 -> 214 px); another badge stays, and on a wide screen the badge shows
    beside the title."""
    problems = []
    for slug in ("lease", "paid"):
        for viewport in (PHONE, WIDE):
            context = browser.new_context(viewport=viewport, java_script_enabled=js)
            page = context.new_page()
            page.goto(retracted + f"/articles/{slug}/")
            m = measure(page, js)
            shown = sorted(b.get_attribute("data-flag") for b in page.locator(".article-head .badge").all() if b.is_visible())
            banner = page.locator(".retracted-banner").bounding_box()
            context.close()
            want = sorted((["sponsored"] if slug == "paid" else []) + (["retraction"] if viewport is WIDE else []))
            where = f"{slug} at {viewport['width']} px"
            if shown != want:
                problems.append(f"{where}: the badges shown are {shown}, not {want}")
            if viewport is PHONE and not (banner and banner["y"] + banner["height"] <= m["firstText"]):
                problems.append(f"{where}: the banner {banner} is not above the text (at {m['firstText']} px)")
            if viewport is PHONE and slug == "lease" and m["firstText"] > 226:
                problems.append(f"{where}: the text starts at {m['firstText']} px, not by 226 px (238 with the badge)")
    assert not problems, "\n".join(problems)
