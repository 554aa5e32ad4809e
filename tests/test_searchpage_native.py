"""builder/_searchpage.c reads an article page's body as searchpage._visible does (the rule), or declines the
page (None) and leaves it to _visible: on every article page of built sites, on random HTML-ish text, and on
each construct whose exact reading is awkward. Without the compiled module these tests skip (the builder
then reads with _visible alone), except the one that asks why it is missing where a C compiler is at hand."""
from __future__ import annotations

import random
import unicodedata
from collections import Counter
from pathlib import Path

import orjson
import pytest

from builder import native, search, searchpage
from builder.build import build

ROOT = Path(__file__).resolve().parents[1]
NATIVE = searchpage._NATIVE
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_searchpage.c is not built here (pip install -e . "
                                                          "builds it where a C compiler is); the Python reader is used")


def test_the_compiled_reader_is_built_wherever_a_c_compiler_is():
    """A failed build at install only warns (the builder works without it): this is where CI notices."""
    if native.compiler() is None:
        pytest.skip("no C compiler here: the Python reader is used")
    assert NATIVE is not None, ("builder._searchpage is not importable, or was built from another builder/_searchpage.c: "
                                "`pip install -e .` builds it (`pip install -v -e .` says why it could not)")


def test_a_module_built_from_another_source_is_not_used(tmp_path, monkeypatch):
    """A module left from an older _searchpage.c (its SOURCE_SHA256 differs) is ignored, never run."""
    if NATIVE is None:
        pytest.skip("builder/_searchpage.c is not built here")
    monkeypatch.setattr(native, "HERE", tmp_path)
    (tmp_path / "_searchpage.c").write_text("/* another version */\n")
    assert native.load("_searchpage") is None
    (tmp_path / "_searchpage.c").write_bytes((ROOT / "builder" / "_searchpage.c").read_bytes())
    assert native.load("_searchpage") is NATIVE


def both(page: str, position: int = 0):
    """What the compiled reader and _visible read (the former None where it declines)."""
    return NATIVE.visible(page, position), searchpage._visible(page, position)


def article_pages(out: Path):
    for path in sorted(out.glob("articles/**/*.html")):
        page = path.read_text(encoding="utf-8")
        body = searchpage._body(page)
        if body is not None:
            yield path, page, body.start()


SITES = [ROOT, *sorted(path for path in (ROOT / "tests" / "sites").iterdir() if (path / "site.toml").exists())]


@needs_native
@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name if site != ROOT else "repository")
def test_every_article_page_of_the_built_in_templates_is_read_the_same_and_never_declined(site, tmp_path):
    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    pages = list(article_pages(tmp_path / "out"))
    assert pages
    for path, page, position in pages:
        compiled, rule = both(page, position)
        assert compiled is not None, f"{path}: declined"
        assert compiled == rule, path
        texts, _, ends = rule
        assert NATIVE.content(texts, ends) == joined_words(texts, ends), path
        content = searchpage.read_page(page)[0]["content"]
        assert pieces(content) == (rule := rule_pieces(content)) and rule[0], path
        assert hooks(page) == rule_hooks(page), path


def test_the_golden_pages_are_read_the_same():
    pages = list(article_pages(ROOT / "tests" / "golden" / "small"))
    assert pages
    if NATIVE is None:
        pytest.skip("builder/_searchpage.c is not built here")
    for path, page, position in pages:
        assert both(page, position) == (searchpage._visible(page, position),) * 2, path
        texts, _, ends = searchpage._visible(page, position)
        assert NATIVE.content(texts, ends) == joined_words(texts, ends), path


# ---- hand-written cases: each construct whose reading is awkward, and each rule that declines ----

BODY = "<div data-search-body>{}</div><p>after</p>"
SAME = [
    "plain words<p>a block</p>in<em>side</em>word",
    "<p>unclosed <em tag and no more",                         # "<em" without ">": text
    "a < b and c<d <1 </ <> <!-> </1",                         # "<" not starting a tag
    "<!-- a <p>comment</p> -->after<!-- unclosed <p>x</p>",    # comments, one never closed
    "<!---->x<!--->y-->z",
    "<br/>a<br>b</br>c<img src=x/>d<hr / >e<wbr>f<p/>g</p>",    # void, "/" at the end, </br>
    "<div data-search-ignore><div>in</div><div>in</div>still in</div>out",  # nested of the same name
    "<span data-search-ignore=\"\">a</span>b<span data-search-ignore/>c</span>d",
    "<span title=\"x\" data-search-ignore>a</span>b<span title='x' data-search-ignore>c</span>d",
    "<span title=\"x\"data-search-ignore>a</span>b<span a=b/c data-search-ignore>c</span>d",
    "<span title=\" data-search-ignore\">a</span>b<span data-search-ignored>c</span>d",
    "<a class=\"noteref\">1</a>x<a class=\"noteref x\">2</a>y<a class=\"noterefs\">3</a>z<a class=\"note-history\">h</a>",
    "<a class='noteref'>1</a>x<a id=a class=\"note-history\">2</a>y<a\tclass=\"noteref\">3</a>",
    "<DIV DATA-SEARCH-IGNORE>a</DIV>b<Div data-search-ignore>c</dIV>d<SCRIPT>e</script>f",
    "<script>if (a<b) {}</script>x<style>p{}</STYLE >y<template><p>t</p></template>z<script/>w</script>v",
    "<section data-search-ignore><section>a</section>b<section >c</section>d</section>e</section>f",
    "<p id=\"a\">x</p><p\tid=\"b\">y</p><p title=\"t\" id=\"c\">z</p><p title=' id=\"d\"'>w</p>",
    "<p id=\"e\" id=\"f\">x</p><p data-id=\"g\">y</p><p  id=\"h&amp;i\">z</p><p id=\"unclosed>q</p><p id='j'>k</p>",
    "<p\tid=\"k\" id=\"l\">x</p><p\nid=\"m\">y</p>wo<em id=\"n\">rd</em><H2 ID=\"o\">p</H2>",
    "&#34;q&#34; &#39;s&#39; &lt;t&gt; &amp;amp; &quot;u&quot; &copy; &amp &#x27; &nbsp;end&",
    "<p id=\"&#34;&copy;\">x</p>&notin; &notit; &amp;lt;",
    "a\u00a0<p>b\u2003</p>c\x1c<p>d\x85</p>e<p>\u3000</p>",    # Unicode whitespace ends a word or not
    "<p\u00a0id=\"a\">x</p><span\u2003data-search-ignore>y</span>z<span\x1cdata-search-ignore>w</span>v",
    "caf\u00e9 \u201cquoted\u201d \U0001F600 <em>\u017f</em>",  # the page's kind: 1, 2 and 4 bytes
    "<custom-tag>a</custom-tag><x1>b</x1><averyveryverylongelementname>c</averyveryverylongelementname>",
    "</div>after the body's end",
]
DECLINED = [  # re.I in _end_of: "\u017f" is "s", "\u212a" is "k" there
    "<script>a</\u017fcript>b</script>c",
    "<template>a<\u017fcript>b</template>c",
    "<span data-search-ignore>a</\u212a>b</span>c",
]


@needs_native
@pytest.mark.parametrize("inner", SAME)
def test_awkward_constructs_are_read_as_the_rule_reads_them(inner):
    page = BODY.format(inner)
    compiled, rule = both(page)
    assert compiled is not None and compiled == rule
    assert both(inner) == (rule := searchpage._visible(inner, 0), rule)  # (no body element: from the start)


@needs_native
@pytest.mark.parametrize("inner", DECLINED)
def test_a_non_ascii_character_where_re_i_folds_case_declines_the_page(inner):
    assert NATIVE.visible(BODY.format(inner), 0) is None


@needs_native
def test_a_replaced_article_page_and_any_position_are_read_the_same():
    page = '<!DOCTYPE html><title>b</title><main data-search-body><h1>Bee</h1><p>An added page.</p></main>\n'
    for position in range(len(page) + 3):
        assert both(page, position) == (searchpage._visible(page, position),) * 2
    assert NATIVE.visible(page, -1) is None  # (_visible slices from the end there)


# ---- random HTML-ish text ----

NAMES = ["p", "div", "em", "span", "a", "br", "hr", "img", "script", "style", "template", "li", "h2", "section",
         "x1", "wbr", "mark", "s", "k", "sk"]
ATTRIBUTES = [' id="a"', '\tid="b"', " id='c'", ' id="d', " data-search-ignore", ' class="noteref"',
              ' class="note-history x"', ' class="notes"', ' title="a id=\\"e\\""', " title='x id=\"f\"'", " a=b",
              ' data-search-ignore=""', " data-search-body", " /", "/", " x=", ' y="', "\u00a0id=\"g\"",
              ' id="h&amp;&copy;"', " \u017f", " data-search-ignorex", '\u2003data-search-ignore']
PIECES = ["<", ">", "</", "/", "<!--", "-->", "--", "!", "=", '"', "'", "&", "&amp;", "&#34;", "&#39;", "&lt;",
          "&gt;", "&quot;", "&copy;", "&#x27;", "&nbsp", " ", "  ", "\t", "\n", "\x1c", "\u00a0", "\u2003", "\x85",
          "word", "w", "\u00e9", "\u201c", "\U0001F600", "\u017f", "\u212a", "S", "K", "id", " id=\"", "0"]


def random_html(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randrange(1, 40)):
        roll = rng.random()
        if roll < 0.45:
            name = rng.choice(NAMES)
            name = name.upper() if rng.random() < 0.15 else name
            if rng.random() < 0.4:
                out.append(f"</{name}{rng.choice(['', ' ', 'x'])}>")
            else:
                attrs = "".join(rng.choice(ATTRIBUTES) for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))
                out.append(f"<{name}{attrs}{rng.choice(['>', '>', '/>', ''])}")
        elif roll < 0.5:
            out.append(f"<!--{rng.choice(PIECES)}-->")
        else:
            out.append(rng.choice(PIECES))
    page = "".join(out)
    return f"<div data-search-body>{page}" if rng.random() < 0.7 else page


@needs_native
def test_random_html_is_read_the_same_unless_declined():
    rng = random.Random(24)
    declined = 0
    for case in range(30000):
        page = random_html(rng)
        position = 0 if rng.random() < 0.8 else rng.randrange(0, len(page) + 2)
        compiled, rule = both(page, position)
        if compiled is None:
            declined += 1
        else:
            assert compiled == rule, (case, page, position)
    assert declined < 30000 // 20  # (declining is for the rare page)


# ---- the words of the texts (searchpage._words, joined) and the pieces search.term_counts counts ----

def joined_words(texts: list[str], ends: list[int]):
    """What the compiled `content` returns, by the rule: (" ".join(parts), len(parts), before)."""
    parts, before = searchpage._words(texts, ends)
    return " ".join(parts), len(parts), before


def pieces(text: str, english: bool = True):
    """The compiled `count_pieces`: the pieces counted, in order, the odd ones and those that may change."""
    counts = Counter()
    found = NATIVE.count_pieces(text, search._BETWEEN, english, counts)
    if found is None:  # (a letter str.lower() changes, other than ASCII: as term_counts does)
        assert not counts and text.lower() != text.translate(ASCII_LOWER)
        found = NATIVE.count_pieces(text.lower(), search._BETWEEN, english, counts)
    odd, changing, numbers = found
    assert numbers is None or numbers == search.numbers(text), text  # (None: search.numbers finds them)
    return list(counts.items()), odd, changing


ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@needs_native
def test_count_pieces_lowers_a_text_itself_exactly_where_str_lower_changes_only_ascii_letters():
    """It lowers ASCII letters and declines (None) a text with any other character str.lower() changes: every
    code point, alone and after a capital."""
    for c in range(128, 0x110000):
        char = chr(c)
        for text in (char, "A" + char):
            declined = NATIVE.count_pieces(text, search._BETWEEN, True, Counter()) is None
            assert declined == (text.lower() != text.translate(ASCII_LOWER)), hex(c)


@needs_native
def test_count_pieces_finds_the_numbers_as_the_rule_does_or_leaves_them_to_it_only_where_fold_may_drop_a_character():
    """Its numbers ("3.3", "4,200": search.numbers) are the rule's for every code point between digits and points, or
    None (the rule finds them) for a text with a character of U+0300..U+06FF or a break hint, which fold may drop.
    Every code point below U+3000, every decimal digit, and one in 61 of the others."""
    points = {*range(0x3000), *range(0x3000, 0x110000, 61), *(c for c in range(0x110000) if chr(c).isdecimal())}
    for c in sorted(points):
        char = chr(c)
        text = f"1{char}.2 1.{char}2 3{char}4.5,6{char} {char}7,8 {char}.9"
        found = NATIVE.count_pieces(text, search._BETWEEN, True, Counter()) or NATIVE.count_pieces(
            text.lower(), search._BETWEEN, True, Counter())
        if found[2] is None:
            assert 0x300 <= c < 0x700 or char in "\u00ad\u200b\u2060\ufeff" or char.lower() != char, hex(c)
        else:
            assert found[2] == search.numbers(text), (hex(c), text)
    assert NATIVE.count_pieces("1.2 x 3,4.5, 6. 7.8.9", search._BETWEEN, True, Counter())[2] == ["1.2", "3,4.5", "7.8.9"]


def rule_pieces(text: str, english: bool = True):
    counts = Counter()
    odd, changing = search._pieces(text, english, counts)
    return list(counts.items()), odd, changing


# text pieces: Unicode whitespace (str.split's, and not: U+200B), combining marks, _BETWEEN, other scripts
WORDS = ["a", "Word", "x1", "_", "caf\u00e9", "cafe\u0301", "\u0301", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85",
         "\u200b", "\u2028", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", *search._BETWEEN, "\u2014", "\u201e", "--",
         "\u4e2d\u6587", "\u0e44\u0e17\u0e22", "\U0001F600", "\U00010400", "\u0130", "\u1e9e", "\u00c9", "stories",
         "cats", "is", "s", "\u017f", "\ufb01", "CATS", "x\u00b2", "\u2160", "0", "12", "\u0663"]


def random_texts(rng: random.Random) -> list[str]:
    return ["".join(rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 3, 6]))) for _ in range(rng.randrange(0, 12))]


@needs_native
def test_the_words_of_random_texts_are_counted_and_joined_as_the_rule_does():
    rng = random.Random(2424)
    for case in range(30000):
        texts = random_texts(rng)
        ends = sorted(rng.randrange(0, len(texts) + 1) for _ in range(rng.choice([0, 1, 2, 5])))
        if rng.random() < 0.1:
            rng.shuffle(ends)  # (read_page's are in order; the rule takes any)
        assert NATIVE.content(texts, ends) == joined_words(texts, ends), (case, texts, ends)


@needs_native
def test_the_words_decline_an_empty_text_and_an_end_out_of_the_texts():
    assert NATIVE.content(["a", "", "b"], [1]) is None
    assert NATIVE.content(["a", "b"], [3]) is None
    assert NATIVE.content(["a", "b"], [-1]) is None
    assert NATIVE.content(["a", "b"], [2 ** 70]) is None
    assert NATIVE.content([], []) == ("", 0, [0])


@needs_native
def test_the_pieces_of_random_texts_are_counted_in_the_rules_order_and_so_are_the_terms():
    with pytest.raises(TypeError):  # (into an empty dict only)
        NATIVE.count_pieces("a", search._BETWEEN, True, {"a": 1})
    long = " ".join(f"w{i % 5000}" for i in range(40000))  # (the table grows, many times)
    assert pieces(long) == rule_pieces(long)
    rng = random.Random(2425)
    for case in range(20000):
        text = "".join(random_texts(rng))
        english = rng.random() < 0.7
        assert pieces(text, english) == rule_pieces(text, english), (case, text)
        ascii = text.encode("ascii", "ignore").decode()  # (lowered in C)
        assert pieces(ascii, english) == rule_pieces(ascii, english), (case, ascii)
        counts = search.term_counts(text, english)
        assert type(counts) is Counter and counts == Counter(search.terms(text, english)), (case, text)


@needs_native
def test_term_counts_write_the_same_index_bytes_with_and_without_the_compiled_pieces(monkeypatch):
    """The index's shards take the counts in their order: the same keys in the same order, the same bytes."""
    rng = random.Random(2426)
    texts = ["".join(random_texts(rng)) for _ in range(3000)]
    texts += [" ".join(rng.choice(["cats", "cat", "is", "a", "x", "stories", "story", "boss", "d\u00e9j\u00e0s", "\u017fs"])
                       for _ in range(rng.randrange(1, 300))) for _ in range(2000)]  # (many the same: the table grows)
    texts += [searchpage.read_page(page)[0]["content"] for _, page, _ in article_pages(ROOT / "tests" / "golden" / "small")]
    compiled = [search.term_counts(text, english) for text in texts for english in (True, False)]
    monkeypatch.setattr(search, "_NATIVE", None)
    rule = [search.term_counts(text, english) for text in texts for english in (True, False)]
    assert [orjson.dumps(c) for c in compiled] == [orjson.dumps(c) for c in rule]


# ---- the search hooks of a page (searchpage._hooks) and the postings of the index (search._post) ----

def hooks(page: str):
    filters, meta = {}, {}
    assert NATIVE.hooks(page, filters, meta) is None
    return filters, meta, list(filters), list(meta)  # (their order too)


def rule_hooks(page: str):
    filters, meta = {}, {}
    searchpage._hooks(page, filters, meta)
    return filters, meta, list(filters), list(meta)


HOOK_PIECES = ['<span data-search-filter="', '<span data-search-meta="', "<span data-search-", "<span data-search-metax=",
               '<span data-search-filter=', '">', '"', "</span>", "</span", "<", ">", "</spa>", "<b>", "</SPAN>",
               "name", "Tag", "a b", "&amp;", "&#34;", "&#39;", "&lt;", "&gt;", "&quot;", "&copy;", "&", "&#x27;",
               "\n", "\u00e9", "\U0001F600", "\u2003", "<span data-search-meta=\"\">"]


def random_hooks(rng: random.Random) -> str:
    return "".join(rng.choice(HOOK_PIECES) for _ in range(rng.randrange(0, 30)))


@needs_native
def test_the_hooks_of_random_pages_are_read_as_the_rule_reads_them():
    rng = random.Random(25)
    found = 0
    for case in range(30000):
        page = random_hooks(rng)
        assert hooks(page) == (rule := rule_hooks(page)), (case, page)
        found += bool(rule[0] or rule[1])
    assert found > 1000  # (the pieces make hooks often)


@needs_native
def test_the_golden_pages_hooks_are_read_the_same():
    pages = list(article_pages(ROOT / "tests" / "golden" / "small"))
    for path, page, _ in pages:
        assert hooks(page) == rule_hooks(page), path


def postings_of(post, pages):
    postings = {}
    for doc, counts in enumerate(pages):
        post(postings, doc, counts)
    return postings, {term: list(posting) for term, posting in postings.items()}, list(postings)


@needs_native
def test_the_postings_of_random_counts_are_made_as_the_rule_makes_them():
    rng = random.Random(25)
    terms = [f"t{i}" for i in range(300)] + ["\u00e9t\u00e9", "\U0001F600x"]
    for case in range(300):
        pages = [Counter({rng.choice(terms): rng.randrange(1, 9) for _ in range(rng.randrange(0, 60))})
                 if rng.random() < 0.5 else {rng.choice(terms): rng.randrange(1, 2**70) for _ in range(rng.randrange(0, 60))}
                 for _ in range(rng.randrange(0, 20))]
        assert postings_of(NATIVE.post, pages) == postings_of(search._post, pages), case


@needs_native
def test_the_index_of_a_built_site_is_the_same_without_the_compiled_postings(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(ROOT, out, use_cache=False).ok
    index = {path.relative_to(out): path.read_bytes() for path in (out / search.FOLDER).rglob("*.json")}
    monkeypatch.setattr(search, "_NATIVE", None)
    assert build(ROOT, tmp_path / "again", use_cache=False).ok
    again = {path.relative_to(tmp_path / "again"): path.read_bytes()
             for path in (tmp_path / "again" / search.FOLDER).rglob("*.json")}
    assert again == index and len(index) > 10


def test_the_text_plainly_nfc_is_made_of_characters_that_leave_any_text_in_nfc():
    """Each character it passes has NFC_QC=Yes and combining class 0 (a text of such is in NFC): it has no
    canonical decomposition but to itself, no composition takes it second (nor is it a Hangul vowel or final),
    its combining class is 0. Over every code point, by unicodedata."""
    if NATIVE is None:
        pytest.skip("builder/_searchpage.c is not built here")
    second = set()
    for c in range(0x110000):
        decomposition = unicodedata.decomposition(chr(c)).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            second.add(int(decomposition[1], 16))
    passed = [c for c in range(0x110000) if NATIVE.plainly_nfc("\u0100" + chr(c))]
    assert len(passed) > 0x300
    for c in passed:
        char = chr(c)
        assert (c not in second and unicodedata.normalize("NFC", char) == char and not unicodedata.combining(char)
                and not 0x1160 <= c < 0x1200), hex(c)
    assert not NATIVE.plainly_nfc("Cafe\u0301") and NATIVE.plainly_nfc("caf\u00e9 \u201cx\u201d")
