"""Search and the claim graph in chromium: words found in the text and in notes, never in page
furniture; filters; results that lead to their passage; the graph by keyboard and at 375 px; axe."""
from __future__ import annotations

import time

import pytest

from .browserkit import REPO, build, serve
from .test_a11y import BAD, describe, run_axe
from .test_layout import _site

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

RELATIONS = REPO / "tests" / "sites" / "relations"  # base_url ends in /relations/: served from the folder above


@pytest.fixture(scope="module")
def relations_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("relations")
    build(RELATIONS, root / "relations")
    server, url = serve(root)
    yield url + "/relations/"
    server.shutdown()
    server.server_close()


def settle(page, selector: str, until, seconds: float = 5.0) -> str:
    """Poll an element's text until `until(text)` (the CSP forbids wait_for_function's eval)."""
    end = time.monotonic() + seconds
    while True:
        text = page.locator(selector).inner_text()
        if until(text) or time.monotonic() > end:
            return text
        time.sleep(0.05)


def search_for(page, words: str) -> str:
    page.fill("#search-q", words)
    return settle(page, ".search-status", lambda t: words in t)


def open_search(page, root: str) -> list[str]:
    """The search page of the site served at `root`, its filters shown; the page's script errors, as they come."""
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(root + "/search/")
    settle(page, ".search-filters", lambda t: "Flags" in t)
    return errors


def found_typed_either_way(page, written: str, typed: str, said: str) -> None:
    """`typed` (as a keyboard without its letters writes `written`) finds what `written` finds, which the status
    line starts with `said`, and the word found is marked as written."""
    status = search_for(page, written)
    assert status.startswith(said), status
    assert search_for(page, typed) == status.replace(written, typed)
    assert written in page.locator(".search-result mark").all_inner_texts()


@pytest.fixture
def search_page(page, relations_url):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))  # a red line in the console
    page.goto(relations_url + "search/")
    settle(page, ".search-filters", lambda t: "Flags" in t)
    yield page
    assert not errors, errors


def test_a_word_of_the_text_finds_its_article(search_page):
    status = search_for(search_page, "Sonoran")
    assert status == "1 article matches “Sonoran”."
    result = search_page.locator(".search-result")
    assert result.locator("h2").inner_text() == "Cartels Form a Pact"
    assert result.locator(".search-sub[data-region=text] mark").inner_text() == "Sonoran"


def test_a_word_of_a_note_finds_the_note_and_names_its_passage(search_page):
    search_for(search_page, "ledger")
    sub = search_page.locator(".search-sub[data-region=note]")
    assert sub.count() == 1
    assert sub.locator("a").inner_text() == "In the note on “the cartels formed a pact” →"
    assert sub.locator("a").get_attribute("href") == "/relations/articles/claim/#note-pact"


def test_words_outside_the_body_and_page_furniture_are_not_found(search_page):
    for words in ("quizzical", "closed", "Glossator", "Skip", "zyzzyva"):  # outside the body; the site's footer and
        # skip link; a word no page has, whose index file does not exist (asked for, it was a 404 in the console)
        assert search_for(search_page, words) == f"No article matches “{words}”."
        assert search_page.locator(".search-result").count() == 0


def test_filter_by_flag_with_its_direction(search_page):
    assert search_for(search_page, "pact") == "2 articles match “pact”."
    search_page.get_by_label("Rebuts (1)").check()
    settle(search_page, ".search-status", lambda t: t.startswith("1 "))
    assert search_page.locator(".search-result h2").all_inner_texts() == ["No Pact, Say the Records"]
    # the article's hits narrow to the passage that rebuts (and its note), not its other passage
    hrefs = search_page.locator(".search-sub a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.endswith(("#no-pact", "#note-no-pact")) for h in hrefs), hrefs
    # a filter alone, without words, lists the passages it names
    search_page.fill("#search-q", "")
    # the status with words also names "the filters": wait until the words have left it
    settle(search_page, ".search-status", lambda t: "the filters" in t and "pact" not in t)
    assert search_page.locator(".search-result h2").all_inner_texts() == ["No Pact, Say the Records"]
    listed = search_page.locator(".search-sub a")
    assert listed.count() == 1 and listed.get_attribute("href") == "/relations/articles/answer/#no-pact"
    assert search_page.locator(".search-status").inner_text() == "1 article matches the filters, with 1 passage."
    assert listed.inner_text().startswith("The passage “")
    search_page.get_by_label("Rebuts (1)").uncheck()
    search_page.get_by_label("Rebutted (1)").check()
    # the status reads the same before and after: wait for the result itself
    settle(search_page, ".search-results", lambda t: t.startswith("Cartels Form a Pact"))
    assert search_page.locator(".search-result h2").all_inner_texts() == ["Cartels Form a Pact"]


def test_filter_by_tag_and_by_verdict(search_page):
    assert search_for(search_page, "records") == "1 article matches “records”."
    search_page.fill("#search-q", "")
    search_page.get_by_label("Cartels (2)").check()
    settle(search_page, ".search-status", lambda t: t.startswith("2 articles"))
    search_page.get_by_label("False (1)").check()  # the verdict: tag and verdict both hold
    settle(search_page, ".search-status", lambda t: t.startswith("1 article"))
    assert search_page.locator(".search-result h2").all_inner_texts() == ["Cartels Form a Pact"]
    assert search_page.locator("fieldset[data-filter=verdict] legend").inner_text() == "Verdicts"


def test_a_result_leads_to_its_passage_by_keyboard(search_page):
    search_page.keyboard.type("evidence")  # the field has the focus when the page opens
    settle(search_page, ".search-status", lambda t: "evidence" in t)
    link = search_page.locator(".search-sub[data-region=passage] a")
    assert link.inner_text() == "In the passage “There is no evidence of any pact” →"
    link.focus()
    search_page.keyboard.press("Enter")
    search_page.wait_for_url("**/articles/answer/#no-pact")
    target = search_page.locator(":target")
    assert target.get_attribute("data-annotation") == "no-pact"
    assert target.is_visible()


def test_without_javascript_the_search_page_explains_and_links(browser, relations_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(relations_url + "search/")
    assert "needs JavaScript" in page.locator(".search-nojs").inner_text()
    assert page.locator(".search-browse a[href='/relations/flags/rebuttal/']").is_visible()
    assert page.locator(".search-browse a[href='/relations/tags/cartels/']").is_visible()
    assert not page.locator("#search-q").is_visible()
    context.close()


def test_graph_nodes_are_reached_by_keyboard_and_lead_to_their_passage(page, relations_url):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(relations_url + "graph/")
    nodes = page.locator("a.graph-node")
    assert nodes.count() == 5
    # the drawing scrolls sideways inside its frame; the page itself does not
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    wrap = page.locator(".graph-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    first = nodes.first.get_attribute("href")
    page.locator(".graph-skip a").focus()
    for _ in range(3):  # the skip link, the scrolling frame, then the first node
        if page.evaluate("() => document.activeElement.classList.contains('graph-node')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url("**" + first)
    assert page.locator(":target").is_visible()


def test_an_article_page_leads_to_its_node_in_the_graph(page, relations_url):
    page.goto(relations_url + "articles/answer/")
    page.locator(".graph-link a").click()
    page.wait_for_url("**/graph/#g-answer.no-pact")
    assert page.locator(":target").get_attribute("data-node") == "answer#no-pact"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_search_with_results_and_on_the_graph(page, relations_url, axe_source, scheme):
    page.emulate_media(color_scheme=scheme)
    found = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(relations_url + "search/")
        settle(page, ".search-filters", lambda t: "Flags" in t)
        search_for(page, "pact")
        if page.locator(".search-filter-box").evaluate("d => !d.open"):  # folded on a phone: open it as a reader would
            page.locator(".search-filter-box summary").click()
        page.get_by_label("Rebuts (1)").check()
        settle(page, ".search-status", lambda t: t.startswith("1 "))
        for where in ("search", "graph"):
            if where == "graph":
                page.goto(relations_url + "graph/")
            bad = [v for v in run_axe(page, axe_source) if v["impact"] in BAD]
            if bad:
                found[f"{where} @{width}px"] = describe(bad)
    assert not found, "axe-core, serious or critical:\n" + "\n".join(f"{k}\n{v}" for k, v in found.items())


def test_words_found_outside_the_filtered_passages_are_no_match(search_page):
    """With a filter, an article counts only when the words are in a passage (or note) the filter names:
    a result with nothing to follow but its title is not shown, and not counted."""
    search_page.get_by_label("Rebutted (1)").check()
    settle(search_page, ".search-status", lambda t: "the filters" in t)
    status = search_for(search_page, "Sonoran")  # in the rebutted article's text, not in its rebutted passage
    assert status == "No article matches “Sonoran” in a passage (or its note) with the filters chosen.", status
    assert search_page.locator(".search-result").count() == 0


def test_on_a_phone_the_filters_start_folded_under_the_words(search_page):
    """At 375 px the results come right under the box: the filters fold into one line that opens them."""
    search_page.set_viewport_size({"width": 375, "height": 740})
    search_page.reload()
    settle(search_page, ".search-filters", lambda t: "Flags" in t)
    box = search_page.locator(".search-filter-box")
    assert box.evaluate("d => !d.open")
    search_for(search_page, "pact")
    top = search_page.locator(".search-result").first.bounding_box()["y"]
    assert top < 740, f"the first result starts at {top} px, below the first screen"
    box.locator("summary").click()
    search_page.get_by_label("Rebuts (1)").check()
    settle(search_page, ".search-status", lambda t: t.startswith("1 "))


def test_words_and_a_filter_find_a_passage_in_an_article_ranked_past_the_first_fifty(page, serve_site, tmp_path):
    """Sixty articles say "inflation" often, each with a sponsored passage whose note does not; one says it
    only in its sponsored passage's note, so it ranks last. Words and the filter still find it (only the
    first 50 articles were read before)."""
    site = tmp_path / "many"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "Many"\n[flags.sponsored]\nlabel = "Sponsored"\n')
    for i in range(60):
        (site / "content" / f"s{i:02}.txt").write_text(
            f"Story {i}\n\nInflation inflation inflation inflation rose again, said the minister.\n\nA quiet paragraph.\n")
        (site / "annotations" / f"s{i:02}.yaml").write_text(
            "annotations:\n  - quote: A quiet paragraph.\n    flags: [sponsored]\n    note: Nothing here.\n")
    (site / "content" / "s99.txt").write_text("Story 99\n\nThe minister spoke.\n\nA quiet paragraph.\n")
    (site / "annotations" / "s99.yaml").write_text(
        "annotations:\n  - id: sponsor\n    quote: A quiet paragraph.\n    flags: [sponsored]\n    note: Inflation is the sponsor.\n")
    errors = open_search(page, serve_site(site)[0])
    page.get_by_label("Sponsored (61)").check()
    status = search_for(page, "inflation")
    assert status.startswith("1 article matches"), status
    hrefs = page.locator(".search-sub a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == ["/articles/s99/#note-sponsor"], hrefs
    assert not errors, errors


def test_a_singular_finds_its_plural_and_a_word_begun_finds_the_word(search_page):
    """English plurals are one term ("pact" finds "pacts" and "pact."); as one types, a word begun finds
    the words it begins ("ledg" finds "ledger", in a note)."""
    plural = search_results_for(search_page, "pacts")
    assert plural and plural == search_results_for(search_page, "pact") == ["Cartels Form a Pact", "No Pact, Say the Records"]
    search_for(search_page, "ledg")
    sub = search_page.locator(".search-sub[data-region=note]")
    assert sub.count() == 1 and sub.locator("mark").all_inner_texts() == ["ledger"]


def search_results_for(page, words: str) -> list[str]:
    search_for(page, words)
    return page.locator(".search-result h2").all_inner_texts()


def test_words_in_scripts_without_spaces_are_found(page, serve_site, tmp_path):
    """Japanese and Thai have no spaces between words: two characters in a row are looked for, and a word
    of the text is found in the middle of its sentence; a word not in the text is not."""
    site = tmp_path / "ja"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "日本語"\nlanguage = "ja"\n')
    (site / "content" / "tokyo.txt").write_text("東京の話\n\n東京都の人口は約1400万人であると市の統計は伝えている。\n")
    (site / "content" / "thai.txt").write_text("ข่าว\n\nกรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย\n")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(serve_site(site)[0] + "/search/")
    settle(page, ".search-status", lambda t: t == "")
    assert search_for(page, "人口") == "1 article matches “人口”."
    assert page.locator(".search-result h2").all_inner_texts() == ["東京の話"]
    assert search_for(page, "統計") == "1 article matches “統計”."
    assert search_for(page, "大阪") == "No article matches “大阪”."
    assert search_for(page, "เมืองหลวง") == "1 article matches “เมืองหลวง”."
    assert not errors, errors


def test_in_a_script_without_spaces_only_the_words_found_are_marked(page, serve_site, tmp_path):
    """heldout60: searching a Chinese report for "客流" (footfall) marked the whole clause it stands in, a line and more
    ("西沼市议会将于下月…商铺客流减少了三成"): the index's word is the run of text between spaces, and the mark was the
    word. Now only the characters found are marked, in the text and in the title; a number or a Latin word inside
    the run ("46.2", "PM2.5") is marked whole, without the full-width bracket around it."""
    site = tmp_path / "zh"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "中文"\n')
    (site / "content" / "report.md").write_text(
        "---\ntitle: 西沼空气区扩建之争\n---\n\n"
        "市议会将于下月表决。反对者则说，商铺客流减少了三成。二氧化氮浓度从每立方米46.2微克降至35.6微克，细颗粒物（PM2.5）没有显著变化。\n")
    errors = open_search(page, serve_site(site)[0])
    for typed, marks in [("客流", ["客流"]), ("二氧化氮", ["二氧化氮"]), ("46.2", ["46.2"]), ("PM2.5", ["PM2.5"]),
                         ("客流 微克", ["客流", "微克", "微克"])]:
        assert search_for(page, typed) == f"1 article matches “{typed}”.", typed
        assert page.locator(".search-excerpt mark").all_inner_texts() == marks, typed
    assert search_for(page, "扩建") == "1 article matches “扩建”."
    assert page.locator(".search-result h2 mark").all_inner_texts() == ["扩建"]
    assert page.locator(".search-result h2").all_inner_texts() == ["西沼空气区扩建之争"]
    assert not errors, errors


def test_in_a_long_address_only_the_parts_found_are_marked(page, serve_site, tmp_path):
    """heldout60: searching an explainer for "utm_source" or "consultation" marked its whole 300-character address, a
    highlighted block of four lines, and "10.5555" all of "doi:10.5555/juaq.2026.0411". Now only the parts found are (a
    number with its point one part); a short word ("WM-03", "46.2") is still marked whole."""
    site = tmp_path / "long"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Addresses"\n')
    address = ("https://consult.westmoor.example.gov.uk/transport/clean-air-zone/extension-2027/documents/"
               "CAZ-EXT-2027-consultation-document-final-v3.pdf?utm_source=radio&utm_medium=explainer&session=8f2c9d41")
    (site / "content" / "explainer.txt").write_text(
        f"Read more\n\nMonitor WM-03 read 46.2 µg/m³. The consultation document is at {address} until January; "
        "the study is doi:10.5555/juaq.2026.0411 in the journal.\n")
    errors = open_search(page, serve_site(site)[0])
    for typed, marks in [("utm_source", ["utm", "source", "utm"]), ("westmoor", ["westmoor"]), ("WM-03", ["WM-03"]),
                         ("46.2", ["46.2"]), ("consultation", ["consultation", "consultation"]), ("10.5555", ["10.5555"]),
                         ("juaq", ["juaq"])]:
        assert search_for(page, typed) == f"1 article matches “{typed}”.", typed
        assert page.locator(".search-excerpt mark").all_inner_texts() == marks, typed
    assert not errors, errors


def test_accents_typed_or_left_out_find_the_word_and_mark_it(page, serve_site, tmp_path):
    """"cafe" finds "Café", and "naïve" typed with its accent finds it as well as "naive" does; a Hindi word with
    vowel signs is one word; an Arabic word with vowel points is found by the word without them; a word inside an
    underscored name is found, as is the name."""
    site = tmp_path / "fr"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Accents"\n')
    (site / "content" / "cafe.txt").write_text("Le Café\n\nA naïve owner ran the café for years in नई दिल्ली में and spoke "
                                               "الْعَرَبِيَّة too, licensed by the Ministry_Of_Housing.\n")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(serve_site(site)[0] + "/search/")
    settle(page, ".search-status", lambda t: t == "")
    for typed, marked in [("cafe", "café"), ("CAFÉ", "café"), ("naive", "naïve"), ("naïve", "naïve"),
                          ("दिल्ली", "दिल्ली"), ("العربية", "الْعَرَبِيَّة"), ("too", "too"),
                          ("Housing", "Ministry_Of_Housing"), ("Ministry_Of_Housing", "Ministry_Of_Housing")]:
        assert search_for(page, typed) == f"1 article matches “{typed}”.", typed
        marks = page.locator(".search-result mark").all_inner_texts()
        assert marked in marks, (typed, marks)
        assert not [m for m in marks if m[-1] in ".,;:!?"], marks  # "too." marked "too": the word, not its full stop
    assert not errors, errors


def test_a_word_of_the_title_alone_finds_the_article_and_is_marked_in_it(page, serve_site, tmp_path):
    """heldout59: a word of a ruling's headline ("dismisses") or of an Arabic report's ("رصيف"), in no sentence of
    the text, found no article. It finds it now, the word marked in the result's title (without its comma)."""
    site = tmp_path / "titles"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Titles"\n')
    (site / "content" / "ruling.txt").write_text("Tribunal dismisses appeal, again\n\nThe appeal fails on all grounds.\n")
    (site / "content" / "marfa.md").write_text("---\ntitle: سكان رصيف سان إيلوا\n---\n\nخسرت جمعية السكان طعنها.\n")
    errors = open_search(page, serve_site(site)[0])
    assert search_for(page, "dismisses") == "1 article matches “dismisses”."
    assert page.locator(".search-result h2").all_inner_texts() == ["Tribunal dismisses appeal, again"]
    assert page.locator(".search-result h2 mark").all_inner_texts() == ["dismisses"]
    assert search_for(page, "again") == "1 article matches “again”."
    assert page.locator(".search-result h2 mark").all_inner_texts() == ["again"]
    assert search_for(page, "رصيف") == "1 article matches “رصيف”."
    assert page.locator(".search-result h2 mark").all_inner_texts() == ["رصيف"]
    assert not errors, errors


def test_an_arabic_word_typed_without_its_article_finds_it_and_is_marked(page, serve_site, tmp_path):
    """heldout59: "مجلس" (council) found no article in a report that writes "المجلس", its article joined to it as
    Arabic writes it. It finds the report now, and "المجلس", "والمجلس" are marked; typed with its article, it
    still finds only the words with it."""
    site = tmp_path / "ar"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Arabic"\n')
    (site / "content" / "marfa.txt").write_text("تقرير\n\nقال المجلس إن الرصيف قديم، والمجلس البلدي يوافق.\n")
    (site / "content" / "other.txt").write_text("آخر\n\nمجلس الأمن لا شأن له بهذا.\n")
    errors = open_search(page, serve_site(site)[0])
    assert search_for(page, "مجلس") == "2 articles match “مجلس”."
    assert sorted(page.locator(".search-result mark").all_inner_texts()) == sorted(["المجلس", "والمجلس", "مجلس"])
    assert search_for(page, "المجلس") == "1 article matches “المجلس”."
    assert search_for(page, "رصيف") == "1 article matches “رصيف”."
    assert page.locator(".search-result mark").all_inner_texts() == ["الرصيف"]
    assert not errors, errors


def test_an_article_rebutted_as_a_whole_is_found_by_the_rebutted_filter(page, serve_site, tmp_path):
    """A passage that rebuts a whole article makes that article "Rebutted": the filter offered it, but found
    none of its words ("No article matches"), since it narrowed each article to its passages that carry
    the filter, and the rebutted article has none. Its whole text carries it."""
    site = tmp_path / "whole"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "Whole"\n')
    (site / "content" / "claim.txt").write_text("The mayor's claim\n\nThe mayor said crime fell by half and gave no figures.\n")
    (site / "content" / "answer.txt").write_text("The answer\n\nPolice records show crime rose.\n")
    (site / "annotations" / "answer.yaml").write_text("annotations:\n  - quote: Police records show crime rose\n"
                                                      "    note: The records.\n    rebuts: claim\n")
    errors = open_search(page, serve_site(site)[0])
    page.get_by_label("Rebutted (1)").check()
    assert settle(page, ".search-status", lambda t: "match" in t) == "1 article matches the filters."
    assert page.locator(".search-sub a").all_inner_texts() == ["The whole article (Rebutted) →"]
    assert search_for(page, "figures").startswith("1 article matches “figures”")
    assert page.locator(".search-result h2").all_inner_texts() == ["The mayor's claim"]
    assert page.locator(".search-result mark").all_inner_texts() == ["figures"]
    assert search_for(page, "records").startswith("No article matches “records”")  # the rebuttal itself is not rebutted
    assert not errors, errors


def test_a_word_of_the_running_text_leads_to_its_place_not_the_top(page, site_url):
    """A hit in the text outside passages and notes has no anchor of its own: its link carries a text fragment
    (the word and the words beside it), so the article opens where the word is."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "/search/")
    settle(page, ".search-filters", lambda t: "Flags" in t)
    search_for(page, "intermediary")
    link = page.locator(".search-sub[data-region=text] a")
    assert link.get_attribute("href").endswith("#:~:text=The-,intermediary,-was"), link.get_attribute("href")
    link.click()
    page.wait_for_url("**/articles/us-infiltrates-mexican-cartels/**")
    page.wait_for_timeout(300)
    top = page.evaluate("""() => { const r = document.createRange(); const w = document.evaluate(
        "//text()[contains(., 'intermediary')]", document, null, 9, null).singleNodeValue;
        r.selectNodeContents(w); return r.getBoundingClientRect().top; }""")
    assert 0 <= top <= 800, f"the word is {top} px from the top of the window, out of sight"


def test_on_a_phone_long_flag_labels_in_the_filters_wrap_and_never_widen_the_page(browser, serve_site, tmp_path):
    """Audit read18: a site's own flags with long labels ("Press release reproduced without attribution (2)")
    stood unbroken in the filters, and at 375 px the page was 460 px wide. Each label now wraps beside its box."""
    labels = ["Press release reproduced without attribution", "Correction requested, not yet published"]
    site = _site(tmp_path / "labels", 'title = "Labels"\n' + "".join(
        f'[flags.f{i}]\nlabel = "{label}"\ndescription = "One sentence."\n' for i, label in enumerate(labels)), {
        "content/story.txt": "Story\n\nThe council approved the bond. The mayor said it was cheap.\n",
        "annotations/story.yaml": "annotations:\n  - quote: approved the bond\n    flags: [f0]\n  - quote: it was cheap\n    flags: [f1]\n"})
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(serve_site(site)[0] + "/search/")
    settle(page, ".search-filters", lambda t: "Flags" in t)
    page.locator(".search-filter-box summary").click()
    wide = page.evaluate("document.documentElement.scrollWidth")
    boxes = page.locator(".search-choice").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
    context.close()
    assert wide <= 375 and max(boxes) <= 375, f"the page is {wide} px wide, a choice ends at {max(boxes)} px"


def test_a_paragraph_number_or_a_one_letter_clause_typed_finds_the_paragraph(page, serve_site):
    """heldout59: "3.3" found nothing in a ruling of numbered paragraphs, and "X" or "(b)" did not even search (one
    character). Now "3.3" finds the ruling alone (not the minutes, which hold "3" and "33"), its paragraph marked in the
    sub-result that leads to its passage; "Ground (b)" lists the place where the two words stand together, not every
    "b"; "X" finds Mr X."""
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(serve_site(REPO / "tests" / "sites" / "numbered")[0] + "/search/")
    settle(page, ".search-status", lambda t: t == "")
    assert search_for(page, "3.3") == "1 article matches “3.3”."
    assert page.locator(".search-result h2").all_inner_texts() == ["Tribunal decides the harbour appeal"]
    assert page.locator(".search-result mark").all_inner_texts() == ["3.3"]
    assert search_for(page, "caused no prejudice") == "1 article matches “caused no prejudice”."
    assert page.locator(".search-sub a").first.get_attribute("href").endswith("#no-prejudice")
    assert search_for(page, "4,200") == "1 article matches “4,200”."
    assert page.locator(".search-result h2").all_inner_texts() == ["The barrier in numbers"]
    # a whole number typed with its thousands grouped or not finds it written either way ("4200" found nothing)
    assert search_for(page, "4200") == "1 article matches “4200”."
    assert page.locator(".search-result mark").all_inner_texts() == ["4,200"]
    assert search_for(page, "1,887") == "1 article matches “1,887”."
    assert page.locator(".search-result mark").all_inner_texts() == ["1887"]
    assert search_for(page, "Ground (b)") == "1 article matches “Ground (b)”."
    assert page.locator(".search-result mark").all_inner_texts() == ["GROUND", "b"]
    assert search_for(page, "1.2(a)") == "1 article matches “1.2(a)”."
    assert page.locator(".search-result mark").all_inner_texts() == ["1.2"]  # (not every "a" of the ruling)
    assert search_for(page, "X") == "1 article matches “X”."
    assert page.locator(".search-result h2").all_inner_texts() == ["Minutes of the residents' meeting"]
    assert page.locator(".search-result mark").all_inner_texts() == ["X"]
    assert not errors, errors


def test_on_a_german_site_ae_oe_ue_typed_find_the_umlauts(page, serve_site):
    """heldout61, a German site: "Fernwaerme" (how a keyboard without umlauts writes "Fernwärme") found nothing, as the
    index holds "fernwarme"; on a German page (its lang) "ae", "oe" and "ue" are looked up as the umlauts too, and as
    one types ("Fernwaer"). The found word is marked as written."""
    errors = open_search(page, serve_site(REPO / "tests" / "sites" / "heldout61")[0])
    found_typed_either_way(page, "Fernwärme", "Fernwaerme", "4 articles match")
    assert search_for(page, "fernwaer").startswith("4 articles match")
    assert not errors, errors


def test_ug_finds_micro_grams_and_section_signs_are_words_heldout62(page, serve_site):
    """heldout62, a Turkish science release: "ug" (how a keyboard without µ writes "µg") found nothing, and "§ 14"
    marked every "14" and "140" while "§", "¶" and "‰" found nothing. The unit is found typed either way and marked
    as written; a citation's signs are found and marked with their numbers."""
    errors = open_search(page, serve_site(REPO / "tests" / "sites" / "heldout62")[0])
    found_typed_either_way(page, "µg/m³", "ug/m3", "6 articles match")
    assert search_for(page, "§ 14").startswith("1 article matches")
    marks = page.locator(".search-result mark").all_inner_texts()
    assert "§" in marks and "14" in marks and "140" not in marks, marks
    assert search_for(page, "‰").startswith("2 articles match")
    assert set(page.locator(".search-result mark").all_inner_texts()) == {"‰"}
    assert not errors, errors


def test_search_js_splits_a_query_into_the_terms_the_index_holds(page):
    """search.js's terms() (stem, fold, the Arabic article, unspaced scripts, numbers) is builder/search.py's terms with
    query=True: the same terms for the queries readers type and for random texts of every kind of character it
    treats apart (run in chromium; the functions from `function stem` to `function shardOf` of search.js)."""
    import json
    import random

    from builder import search

    source = (REPO / "builder" / "assets" / "search.js").read_text(encoding="utf-8")
    functions = source[source.index("function stem(") : source.index("function shardOf(")]
    samples = ["3.3", "1.2(a)", "§ 4", "Art. 5", "para 12", "2.4%", "1,200", "$3.5bn", "10⁻³", "5G", "X", "Q3", "B-52",
               "COVID-19", "第3.3条", "The Cartels' stories, a 2nd look", "Café naïve", "والمجلس بالمجلس", "東京都の人口",
               "भारत की", "infra\u00adstructure", "Ministry_Of_Housing", "١٢٫٥ ١٢.٥", "𝟑.𝟑 x²",
               "NO₂ at 46 µg/m³", "PM₂.₅", "ＰＭ２．５ 客流", "ﬁnance ℌ ½", "ﾃｽﾄ",
               "Bahnhofstraße STRASSE ẞ", "Dilek Aydın", "Łódź, København, Cæsar, ŒUVRE, Đakovo, Ħamrun",
               "§ 14 ¶ 2, §12, ‰ 22,4", "0,018 mg/L µg/m³ μL μπλε Μg",
               "2:1 (0:1), 90+4, 1:45.32, 14:00, ½ склянки, 1½ л, 24/7, 3/11/2026, 1⁄2",
               "Здоровʼя, здоров'я, Зеленогірʼя"]
    alphabet = list("aAsS xi_1 3.,-'’") + ["3.3", "4,2", "\u0301", "\u00ad", "中", "の", "ไ", "İ", "é", "ال", "و", "ب",
                                            "\u0663", "\U0001D7D1", "²", "ies", "₂", "µ", "．", "Ａ", "ﬁ", "ß", "ı", "Ø", "æ",
                                            "μ", "§", "¶", "‰", ":", "/", "½", "\u2044", "\u02bc", "я"]
    chance = random.Random(60)
    samples += ["".join(chance.choices(alphabet, k=chance.randrange(1, 25))) for _ in range(400)]
    found = page.evaluate(f"""samples => {{ const meta = {{stem: "en"}}; {functions}
        return samples.map((s) => terms(s).map(([, own]) => own)); }}""", samples)
    for sample, terms in zip(samples, found):
        assert terms == search.terms(sample, english=True, query=True), json.dumps(sample)
