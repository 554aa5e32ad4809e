"""The annotation stage: builder.annotations (ids, fields, merging with front matter)."""
from __future__ import annotations

import json

import pytest

from builder.slugs import derive_id, tag_slug
from builder.read.load import load_site

TEXT = "Sources say the gangs are allies. Sources say the gangs are allies. Officials deny it.\n"


def annotations_of(tmp_path, make_site, yaml: str, text: str = TEXT, toml: str = ""):
    site = make_site(tmp_path, {"site.toml": toml, "content/a.txt": text, "annotations/a.yaml": yaml})
    model, problems = load_site(site)
    assert problems.errors == [], [p.text() for p in problems.errors]
    return {a.quote.loc.line: a for a in model.article("a").annotations}


# derived ids

def test_derive_id_from_the_first_words():
    assert derive_id("Sources say the gangs are allies, and more words follow", set()) == "sources-say-the-gangs-are-allies"
    assert derive_id("Ça, c'est « la » vérité !", set()) == "ca-c-est-la-verite"
    # no Latin letter or digit: named by the quote's hash, so another id-less passage before it changes nothing
    assert derive_id("…", set()) == derive_id("…", {"passage-x"}) != derive_id("…!", set())
    assert derive_id("知情人士", set()).startswith("passage-") and derive_id("知情人士", set()) != derive_id("水库", set())
    assert derive_id("مصادر مطلعة", set()) == derive_id(" مصادر  مطلعة ", set())
    assert len(derive_id("Supercalifragilistic expialidocious antidisestablishmentarianism words", set())) <= 40


def test_a_quote_in_another_script_is_not_named_by_its_digits_alone():
    """heldout63, a Ukrainian site: «лише 9 %», "9 % — це порівняно…" were ids "9" and "9-2" (their Cyrillic words
    dropped, numbered by their order in the file, with a warning that they "begin alike"); "вітаміну C" was "c"."""
    ids = {q: derive_id(q, set()) for q in ("«лише 9 %»", "9 % — це порівняно з тарифом", "«добову норму вітаміну C»")}
    assert all(i.startswith("passage-") for i in ids.values()) and len(set(ids.values())) == 3
    assert derive_id("38 ± 4 µg/m³", set()) == "38-4-g-m3"  # mostly Latin, as before
    assert derive_id("Αθήνα 2004", set()).startswith("passage-")
    assert derive_id("9 %", set()) == "9"  # no letters at all: its digits are its words
    # a vulgar fraction is its digits apart: "¾ cup" was "34-cup", thirty-four
    assert derive_id("¾ cup of flour", set()) == "3-4-cup-of-flour"


def test_derive_id_is_a_pure_function_of_quote_and_taken_ids():
    assert derive_id("Officials deny it", set()) == derive_id("Officials deny it", set())
    assert derive_id("Officials deny it", {"officials-deny-it"}) == "officials-deny-it-2"
    assert derive_id("Officials deny it", {"officials-deny-it", "officials-deny-it-2"}) == "officials-deny-it-3"


def test_derived_ids_are_unique_and_never_take_an_explicit_one(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n"
        "  - quote: Sources say the gangs are allies\n    occurrence: 1\n    note: a\n"   # line 2
        "  - quote: Sources say the gangs are allies\n    occurrence: 2\n    note: b\n"   # line 5
        "  - id: officials-deny-it\n    quote: Officials\n    note: c\n"                  # line 9
        "  - quote: Officials deny it\n    note: d\n"                                     # line 11
        "  - id: sources-say-the-gangs-are-allies-2\n    quote: allies. Sources\n    note: e\n"  # line 14
    ))
    ids = [anns[line].id for line in sorted(anns)]
    assert len(set(ids)) == len(ids)
    assert anns[2].id == "sources-say-the-gangs-are-allies"
    assert anns[5].id == "sources-say-the-gangs-are-allies-3"
    assert anns[9].id == "officials-deny-it" and anns[9].explicit_id
    assert anns[11].id == "officials-deny-it-2" and not anns[11].explicit_id


def test_derived_ids_avoid_the_ids_the_article_page_has(tmp_path, make_site):
    """A quote reading "main", or "note" and another annotation's id, does not give the page an id twice;
    a quote that clashes with nothing keeps the id it always had."""
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n"
        "  - quote: main\n    note: a\n"                   # line 2
        "  - id: deny\n    quote: Officials\n    note: b\n"  # line 4
        "  - quote: ref deny\n    note: c\n"                # line 7
        "  - quote: note-deny\n    note: d\n"               # line 9
        "  - quote: gangs\n    note: e\n"                   # line 11
        "  - id: note-allies\n    quote: are\n    note: f\n"  # line 13
        "  - quote: allies\n    note: g\n"                  # line 16
    ), text="the main point: Officials deny it. ref deny, note-deny. Sources say the gangs are allies.\n")
    assert [anns[line].id for line in sorted(anns)] == ["main-2", "deny", "ref-deny-2", "note-deny-2", "gangs",
                                                         "note-allies", "allies-2"]


def test_the_ids_an_article_page_has_are_known():
    """Every fixed id in the templates an article page is made of is one that annotations avoid."""
    import re
    from pathlib import Path
    from builder.slugs import PAGE_IDS
    templates = Path(__file__).parent.parent / "templates"
    names = ["base.html", "article.html"] + [p.name for p in templates.glob("_*.html")]
    fixed = {i for name in names for i in re.findall(r'\bid="([^"{}]+)"', (templates / name).read_text())}
    assert fixed and fixed <= set(PAGE_IDS)
    # the ids a note makes from its annotation's id: `note-<id>`, and others that no slug can equal
    made = re.findall(r'\bid="([^"]*\{\{ note\.id \}\}[^"]*)"', (templates / "_note.html").read_text())
    assert made and all(i == "note-{{ note.id }}" or "." in i.replace("note.id", "") for i in made), made


def test_derived_ids_are_stable_while_the_quote_is_unchanged(tmp_path, make_site):
    first = annotations_of(tmp_path / "1", make_site, (
        "annotations:\n  - quote: Officials deny it\n    note: a\n"
        "  - quote: the gangs are allies\n    occurrence: 2\n    note: b\n"
    ))
    again = annotations_of(tmp_path / "2", make_site, (
        "annotations:\n  - quote: Sources say\n    occurrence: 1\n    flags: [anonymous-source]\n"
        "  - quote: the gangs are allies\n    occurrence: 2\n    note: b, edited\n"
        "  - quote: Officials deny it\n    note: a, edited\n    flags: [rebuttal]\n"
    ))
    before = {a.quote.text: a.id for a in first.values()}
    after = {a.quote.text: a.id for a in again.values()}
    assert after["Officials deny it"] == before["Officials deny it"] == "officials-deny-it"
    assert after["the gangs are allies"] == before["the gangs are allies"] == "the-gangs-are-allies"


def test_quotes_that_begin_alike_without_ids_are_warned_where_each_is(tmp_path, make_site):
    """Their derived ids are numbered: adding one before the other moves a permalink to another passage
    (SPEC 3's "stable while the quote is unchanged" cannot hold for both). Said at each quote, with the fix."""
    site = make_site(tmp_path, {"content/a.txt": TEXT, "annotations/a.yaml": (
        "annotations:\n"
        "  - quote: Sources say the gangs are allies\n    occurrence: 1\n    note: a\n"   # line 2
        "  - quote: Sources say the gangs are allies\n    occurrence: 2\n    note: b\n"   # line 5
        "  - id: deny\n    quote: Officials deny it\n    note: c\n"                        # written id: not numbered
        "  - quote: Officials deny\n    note: d\n")})
    model, problems = load_site(site)
    said = [(p.file, p.line, p.col, p.severity) for p in problems.items]
    assert said == [("annotations/a.yaml", 2, 12, "warning"), ("annotations/a.yaml", 5, 12, "warning")], said
    assert ("(this one is #sources-say-the-gangs-are-allies; the others #sources-say-the-gangs-are-allies-2)"
            in problems.items[0].message)
    assert ("(this one is #sources-say-the-gangs-are-allies-2; the others #sources-say-the-gangs-are-allies)"
            in problems.items[1].message)
    assert problems.items[0].message.endswith("give each an id")


def test_many_quotes_that_begin_alike_are_warned_in_words_that_do_not_grow_with_their_number(tmp_path, make_site):
    """Each of n warnings named all n ids: 130 such annotations printed 730 KB of warnings. Each names its own
    id and a few others."""
    text = "".join(f"The council met in secret, time {i}.\n\n" for i in range(60))
    layer = "annotations:\n" + "".join(f"  - quote: The council met in secret, time {i}.\n    note: n\n" for i in range(60))
    site = make_site(tmp_path, {"content/a.txt": text, "annotations/a.yaml": layer})
    model, problems = load_site(site)
    ids = [a.id for a in sorted(model.article("a").annotations, key=lambda a: a.loc.line)]
    assert len(problems.items) == 60
    for ann_id, p in zip(ids, problems.items):
        assert p.message.startswith(f"60 annotations here quote words that begin alike and have no id (this one is #{ann_id}; ")
        assert " and 54 more)" in p.message and len(p.message) < 600  # all 60 ids: over 2,000


# fields

def test_by_defaults_to_the_sites_default_annotator(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n  - quote: Officials\n    note: a\n  - quote: deny\n    note: b\n    by: maria\n"
    ), toml='default_annotator = "desk"\n')
    assert anns[2].by == "desk" and anns[4].by == "maria"


def test_flags_and_tags_are_deduplicated_and_tags_trimmed(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n  - quote: Officials\n    flags: [rebuttal, rebuttal, anonymous-source]\n"
        "    tags: [Los Zetas, 'Los Zetas ', MS-13]\n"
    ))
    assert anns[2].flags == ("rebuttal", "anonymous-source")
    assert anns[2].tags == ("Los Zetas", "MS-13")


def test_a_flag_given_twice_is_said_where_it_is_written_again(tmp_path, make_site):
    """`flags: [rebuttal, rebuttal]` (a slip, perhaps for another flag) was taken in silence: a warning now says it."""
    site = make_site(tmp_path, {"content/a.txt": TEXT, "annotations/a.yaml":
                                "annotations:\n  - quote: Officials\n    flags: [rebuttal, rebuttal]\n"})
    _, problems = load_site(site)
    assert [p.text() for p in problems.sorted() if p.severity == "warning"] == [
        'annotations/a.yaml:3:23: warning: flag "rebuttal" is given twice: remove one (or name the flag meant)']


@pytest.mark.parametrize("tag, slug", [
    ("Los Zetas", "los-zetas"), ("los-zetas", "los-zetas"), ("MS-13", "ms-13"), ("Ñandú", "nandu"),
    ("  C++ / C#  ", "c-plus-plus-c-sharp"), ("--", ""), ("?!", ""), ("++", ""),
    # "+" after a letter or digit and "#" closing a word are spelt out: C, C++ and C# are three tags;
    # a hashtag's "#" is dropped
    ("C", "c"), ("C++", "c-plus-plus"), ("c++", "c-plus-plus"), ("C#", "c-sharp"), ("A+", "a-plus"),
    ("C++11", "c-plus-plus-11"), ("#MeToo", "metoo"), ("issue#5", "issue-5"),
    # Ukrainian's apostrophe, ʼ (a letter to Unicode), as a keyboard's "'": one page (heldout63)
    ("Здоровʼя", "здоров-я"), ("Здоров'я", "здоров-я"), ("Історія", "історія"),
    # one page for what a reader takes as one tag: case folded, accents and vowel marks left out where
    # writers leave them out; letters of other scripts kept whole
    ("Straße", "strasse"), ("STRASSE", "strasse"), ("İklim", "iklim"), ("Υγεία", "υγεια"), ("ΥΓΕΙΑ", "υγεια"),
    ("مصادر مُطّلعة", "مصادر-مطلعة"), ("Йогурт", "йогурт"), ("हिंदी", "हिंदी"), ("检测报告", "检测报告"),
    # Latin letters with no accent to drop are spelt plain too, as search folds them (heldout62: "Iğdır" had the page
    # "igdır/", its "ğ" made plain and its dotless "ı" kept; "Kayapınar", "kayapinar" had two pages)
    ("Iğdır", "igdir"), ("Kayapınar", "kayapinar"), ("kayapinar", "kayapinar"), ("Łódź", "lodz"), ("Ærø", "aero"),
])
def test_tag_slugs(tag, slug):
    assert tag_slug(tag) == slug


def test_tags_whose_slugs_coincide_are_one_tag_of_an_annotation_as_first_written(tmp_path, make_site):
    """Audit spec22: `[Los Zetas, los-zetas, Los  Zetas]` on one passage showed three links to the one page
    they share in its note (and three filter values in search). They are one tag, as first written."""
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n  - quote: Officials\n    note: a\n    tags: [Los Zetas, los-zetas, MS-13, Los  Zetas, ms 13]\n"))
    (a,) = anns.values()
    assert a.tags == ("Los Zetas", "MS-13")


def test_a_shared_tag_page_is_named_as_most_passages_write_the_tag(tmp_path, make_site, run_cli):
    """Three passages tagged `México` and one `MEXICO`: the page, its heading and the search filter
    were named `MEXICO`, the spelling that sorts first, however rarely used."""
    layer = "".join(f"  - quote: '{w}'\n    note: n\n    tags: [{t}]\n"
                    for w, t in (("One", "México"), ("Two", "MEXICO"), ("Three", "México"), ("Four", "México")))
    site = make_site(tmp_path / "site", {"content/a.txt": "One. Two. Three. Four.\n", "annotations/a.yaml": "annotations:\n" + layer})
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out/tags/mexico/index.html").read_text()
    assert "<title>México · " in page and "<h1>Tag: México</h1>" in page
    assert "“MEXICO”, “México”" in page  # every spelling it gathers is still said
    meta = json.loads((tmp_path / "out/search/data/meta.json").read_text())
    assert list(meta["filters"]["tag"]) == ["México"]
    assert '>México</a>' in (tmp_path / "out/search/index.html").read_text()


def test_c_cplusplus_and_csharp_have_a_page_each(tmp_path, make_site, run_cli):
    """`C`, `C++` and `C#` all had the slug `c`: one page, "Tag: C++", listed the passages of all three."""
    layer = "".join(f"  - quote: '{w}'\n    note: n\n    tags: ['{t}']\n" for w, t in (("One", "C"), ("Two", "C++"), ("Three", "C#")))
    site = make_site(tmp_path / "site", {"content/a.txt": "One. Two. Three.\n", "annotations/a.yaml": "annotations:\n" + layer})
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    for folder, title, quote in (("c", "C", "One"), ("c-plus-plus", "C++", "Two"), ("c-sharp", "C#", "Three")):
        page = (tmp_path / f"out/tags/{folder}/index.html").read_text()
        assert f"<h1>Tag: {title}</h1>" in page
        assert [w for w in ("One", "Two", "Three") if f"<mark>{w}</mark>" in page] == [quote]  # its passage, no other
    html = (tmp_path / "out/articles/a/index.html").read_text()
    assert 'href="/tags/c-plus-plus/"' in html and 'href="/tags/c-sharp/"' in html


def test_sources_and_dates(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n  - quote: Officials\n    note: a\n    date: 2026-11-20\n"
        "    sources:\n      - https://example.org/a\n      - url: HTTPS://example.org/b\n        title: B\n"
    ))
    (a,) = anns.values()
    assert [(s.url, s.title) for s in a.sources] == [("https://example.org/a", None), ("HTTPS://example.org/b", "B")]
    assert str(a.date) == "2026-11-20"


def test_a_blank_source_title_shows_the_url_not_an_empty_link(tmp_path, make_site, run_cli):
    """`{url, title: "  "}` made a link whose text was blank: invisible, and nameless to a screen reader."""
    site = make_site(tmp_path / "site", {
        "content/a.txt": "Officials said so.\n",
        "annotations/a.yaml": 'annotations:\n  - quote: Officials\n    note: a\n'
                              '    sources: [{url: "https://example.org/a", title: "  "}, {url: "https://example.org/b", title: " B\n c "}]\n',
    })
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    html = (tmp_path / "out/articles/a/index.html").read_text()
    assert '<a href="https://example.org/a" rel="nofollow">https://example.org/a</a>' in html
    assert '<a href="https://example.org/b" rel="nofollow">B c</a>' in html


def test_a_flag_alone_a_note_alone_or_a_relation_alone_is_enough(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, (
        "annotations:\n  - id: one\n    quote: Officials\n    flags: [rebuttal]\n"
        "  - quote: deny\n    note: Why.\n"
        "  - quote: it.\n    see: https://example.org/more\n"
    ))
    assert len(anns) == 3


def test_the_annotation_file_wins_over_front_matter_field_by_field(tmp_path, make_site):
    site = make_site(tmp_path, {
        "content/a.md": "---\ntitle: Front\nauthor: [A, B]\npublished: 2012-01-01\n---\nText.\n",
        "annotations/a.yaml": "article:\n  published: 2013-02-02\n  author: C\n",
    })
    model, problems = load_site(site)
    assert problems.errors == []
    meta = model.article("a").meta
    assert (meta.title, meta.authors, str(meta.published)) == ("Front", ("C",), "2013-02-02")


def test_an_empty_annotation_file_is_no_error_but_a_warning(tmp_path, make_site):
    site = make_site(tmp_path, {"content/a.txt": "Text.\n", "annotations/a.yaml": "# nothing yet\n"})
    model, problems = load_site(site)
    assert problems.errors == [] and model.article("a").annotations == ()
    assert [(p.file, p.line, p.severity) for p in problems.items] == [("annotations/a.yaml", 1, "warning")]


def test_a_body_bounds_the_article(tmp_path, make_site):
    text = "Subscribe!\n\nStart here. The text. End here.\n\nComments.\n"
    site = make_site(tmp_path, {
        "content/a.txt": text,
        "annotations/a.yaml": "article:\n  body:\n    start: Start here.\n    end: End here.\nannotations:\n  - quote: The text.\n    note: x\n",
    })
    model, problems = load_site(site)
    assert problems.errors == []
    article = model.article("a")
    assert text[article.body[0]:article.body[1]] == "Start here. The text. End here."


# how schema errors are worded and placed: one problem per mistake, at the value that is wrong

ONE = "annotations:\n  - quote: Officials\n    note: x\n"


@pytest.mark.parametrize("yaml, line, col, message", [
    (ONE + "    flags: [yes]\n", 4, 13, 'unknown flag "yes"'),
    (ONE + "    sources:\n      - {url: 'https://a.org', title: [x]}\n", 5, 39, '"title" should be text, not a list'),
    (ONE + "    sources:\n      - {title: T}\n", 5, 9, 'an item of "sources" is missing "url"'),
    (ONE + "    rebuts: [{a: b}]\n", 4, 14, 'an item of "rebuts" should be a reference (slug, slug#id or #id), not a mapping'),
    (ONE + "    see: [https://example.org/, 3]\n", 4, 33, 'unknown article "3"'),  # as written: the slug "3" (SPEC 3)
    (ONE + "    see: [https://example.org/, 3.5]\n", 4, 33, 'an item of "see" should be a reference (slug, slug#id or #id) or an http(s) URL, not the number 3.5'),
    (ONE + "    see: []\n", 4, 10, '"see" should not be an empty list'),
    (ONE + "    rebuts: [a, https://x.org]\n", 4, 17, '"rebuts" takes a reference to a passage or article'),
    ("article:\n  author: [A, {b: c}]\n", 2, 15, 'an item of "author" should be a name, not a mapping'),
    ("article:\n  retracted:\n    notice: [a]\n", 3, 13, '"notice" should be an http(s) URL or a reference'),
    ("article:\n  body: {start: Officials}\n", 2, 9, '"body" is missing "end"'),
    (ONE + "    occurrence: '1'\n", 4, 17, '"occurrence" should be a whole number, 1 or more, not "1" (write it without '
                                       'quotes: occurrence: 1)'),
    ("article:\n  retracted: 2013-01-05\n", 2, 14, '"retracted" should be a mapping with date, reason and notice, not '
     '"2013-01-05" (the retraction\'s date and reason go under it: retracted: {date: 2013-01-05, reason: …})'),
    ("article:\n  retracted: true\n", 2, 14, "not true/false (the retraction's date and reason go under it: retracted: "
                                           "{date: YYYY-MM-DD, reason: …})"),
    ("article: {}\nannotation: []\n", 2, 1, 'unknown field "annotation" in the annotation file (did you mean "annotations"?)'),
    ("article: {}\nnotes: []\n", 2, 1, 'unknown field "notes" in the annotation file; it takes article, annotations'),
    ("annotations:\n  - Officials\n", 2, 5, "an annotation should be a mapping with at least a quote"),
])
def test_schema_problems_are_worded_for_annotators(tmp_path, make_site, yaml, line, col, message):
    site = make_site(tmp_path, {"content/a.txt": "Officials say the gangs are allies.\n", "annotations/a.yaml": yaml})
    _, problems = load_site(site)
    found = [(p.line, p.col, p.message) for p in problems.sorted()]
    assert len(found) == 1, found
    assert found[0][:2] == (line, col) and message in found[0][2], found


def test_occurrence_written_as_a_whole_float_counts(tmp_path, make_site):
    anns = annotations_of(tmp_path, make_site, "annotations:\n  - quote: Sources say\n    occurrence: 2.0\n    note: x\n")
    (a,) = anns.values()
    assert a.quote.occurrence == 2 and a.start == TEXT.index("Sources say", 1)


def test_derived_ids_follow_the_anchoring_values_not_the_file_order(tmp_path, make_site):
    """Two annotations without ids on the same quote: swapping them in the file leaves each passage its
    permalink (SPEC 3: a derived id is stable while the quote is unchanged)."""
    from builder.read.load import load_site

    first = '  - quote: Barr\n    occurrence: 1\n    note: First.\n'
    second = '  - quote: Barr\n    occurrence: 2\n    note: Second.\n'
    ids = []
    for order in ((first, second), (second, first)):
        site = make_site(tmp_path / f"site{len(ids)}", {
            "content/a.txt": "Barr spoke first. Later Barr spoke again.\n",
            "annotations/a.yaml": "annotations:\n" + "".join(order)})
        model, problems = load_site(site)
        assert not problems.errors
        ids.append({a.id: a.note for a in model.article("a").annotations})
    assert ids[0] == ids[1] == {"barr": "First.", "barr-2": "Second."}


def test_the_schema_check_is_made_once_per_installation_and_checks_the_same(tmp_path, monkeypatch):
    """read/schema.py keeps the compiled check's code (`builder/kept.py`); kept, damaged or unwritable,
    the check passes a valid file and fails an invalid one alike."""
    import fastjsonschema
    from builder import kept
    from builder.read import schema

    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    good = {"annotations": [{"quote": "Officials say", "note": "Who?"}]}
    bad = {"annotations": [{"quote": "Officials say", "occurrence": 0}]}

    def fresh():
        schema._fast_validator.cache_clear()
        check = schema._fast_validator(None)
        check(good)
        with pytest.raises(Exception):
            check(bad)

    fresh()
    (made,) = (tmp_path / "kept").glob("schema-*.marshal")
    monkeypatch.setattr(fastjsonschema, "compile_to_code", lambda *a: pytest.fail("made again"))
    fresh()  # from the kept code
    monkeypatch.undo()
    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    made.write_bytes(made.read_bytes()[:50])  # cut short, as by a full disk
    fresh()
    assert made.stat().st_size > 50  # made again, and kept whole
    made.unlink()
    (tmp_path / "kept").rmdir()
    (tmp_path / "kept").write_text("a file where the folder goes")
    fresh()
    schema._fast_validator.cache_clear()


def test_an_id_yaml_reads_as_a_number_or_a_boolean_is_the_id_as_written(tmp_path, make_site, run_cli):
    """SPEC 3: a text field takes its value as written. `id: 2024` and `id: yes` were refused (YAML reads a
    number and a boolean; "write it in quotes"), while `id: 2026-01-01` and `id: 1e3` were taken as written.
    Each is now the id as written, its permalink #2024, and a reference to it resolves; `id: Yes` is said as
    written, with the slug it likely means, not as "true/false"."""
    site = make_site(tmp_path / "site", {"content/a.txt": TEXT, "content/b.txt": "Read on.\n", "annotations/a.yaml": (
        "annotations:\n  - id: 2024\n    quote: Officials deny it\n    note: n\n"
        "  - id: yes\n    quote: the gangs\n    occurrence: 2\n    note: m\n"),
        "annotations/b.yaml": "annotations:\n  - quote: Read on\n    see: [a#2024, a#yes]\n"})
    model, problems = load_site(site)
    assert [p.text() for p in problems.items] == []
    assert sorted(ann.id for ann in model.articles[0].annotations) == ["2024", "yes"]
    code, _, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out" / "articles" / "a" / "index.html").read_text()
    assert 'data-annotation="2024"' in page and 'id="2024"' in page and 'data-annotation="yes"' in page

    (site / "annotations/b.yaml").unlink()
    (site / "annotations/a.yaml").write_text("annotations:\n  - id: Yes\n    quote: Officials deny it\n    note: n\n")
    model, problems = load_site(site)
    assert [p.text() for p in problems.items] == [
        'annotations/a.yaml:2:9: error: "id" should be a lowercase slug (letters, digits, "-" and "_", starting with a '
        'letter or digit), not "Yes" (did you mean "yes"?)']


def test_a_written_id_that_takes_another_annotations_derived_id_is_warned(tmp_path, make_site):
    """Audit valid4: an annotation without an id was #officials-say; another one given `id: officials-say`
    (for another passage) took that id silently, and the first became #officials-say-2: its permalink, in
    links already shared, led to the other passage. Said at the quote that lost its id, with the fix."""
    site = make_site(tmp_path, {"content/a.txt": "Officials say the gangs are allies.\n\nThe minister denied it.\n",
                                "annotations/a.yaml": (
        "annotations:\n"
        "  - quote: Officials say\n    note: a\n"                                   # line 2
        "  - id: officials-say\n    quote: The minister denied it\n    note: b\n")})  # line 4
    model, problems = load_site(site)
    said = [(p.file, p.line, p.col, p.severity, p.message) for p in problems.items if p.file.startswith("annotations/")]
    assert [s[:4] for s in said] == [("annotations/a.yaml", 2, 12, "warning")], said
    assert ('its quote gives the id "officials-say", which the annotation on line 4 has as its id: this one is '
            '#officials-say-2') in said[0][4], said
    assert said[0][4].endswith("give it an id"), said


def test_one_annotation_naming_a_target_again_is_warned_where_it_does(tmp_path, make_site):
    """Relations that contradict each other (rebuts or retracts, and supports) on the same target, the same target
    twice in one relation (written alike or not), a `see` beside another relation to the same target: each said
    once, at the later reference, or at the `see`. Different annotations, or rebuts with retracts, are as meant."""
    site = make_site(tmp_path, {"content/a.txt": TEXT, "content/b.txt": TEXT, "annotations/b.yaml": "annotations: []\n",
                                "annotations/a.yaml": (
        "annotations:\n"
        "  - id: deny\n    quote: Officials deny it\n    note: a\n"                 # 2
        "  - quote: allies. Sources\n    supports: '#deny'\n    rebuts: a#deny\n"    # 5: contradicts, line 7
        "  - quote: the gangs are allies. Officials\n    retracts: '#deny'\n"        # 8
        "    supports:\n      - '#deny'\n      - b\n      - b\n"                     # 11: contradicts; 13: b twice
        "  - quote: Sources say the gangs are allies. Sources\n"                     # 14
        "    see: [b, '#deny', https://x.org/, https://x.org/]\n"                     # 15: see dup twice; URL twice
        "    rebuts: [b, '#deny']\n    retracts: '#deny'\n"
    )})
    model, problems = load_site(site)
    said = sorted((p.file, p.line, p.col, p.severity, p.message) for p in problems.items)  # as check prints them
    assert said == [
        ("annotations/a.yaml", 7, 13, "warning", '"rebuts: #deny" contradicts "supports: #deny" on line 6: a passage '
                                                 'cannot both support and rebut the same passage; keep the one meant'),
        ("annotations/a.yaml", 11, 9, "warning", '"supports: #deny" contradicts "retracts: #deny" on line 9: a passage '
                                                 'cannot both retract and support the same passage; keep the one meant'),
        ("annotations/a.yaml", 13, 9, "warning", '"supports" names b twice (also on line 12): remove one'),
        ("annotations/a.yaml", 15, 11, "warning", '"see" names b, which "rebuts" names too: the page would link the '
                                                  'article twice; remove it from "see"'),
        ("annotations/a.yaml", 15, 14, "warning", '"see" names #deny, which "rebuts" names too: the page would link the '
                                                  'passage twice; remove it from "see"'),
        ("annotations/a.yaml", 15, 39, "warning", '"see" names https://x.org/ twice: remove one'),
    ], said
    assert len(model.article("a").annotations) == 4


@pytest.mark.parametrize("written, meant", [
    ("2026/11/20", "2026-11-20"), ("2026-1-5", "2026-01-05"), ("20.11.2026", "2026-11-20"), ("11/20/2026", "2026-11-20"),
    ("5/5/2026", "2026-05-05"), ("2026-11-20T10:00:00", "2026-11-20"),
    ("2026-11-20T10:00:00+01:00", "2026-11-20"), ("2026-11-20 09:00 CET", "2026-11-20"),  # a time zone (judge52)
    ("05/06/2026", None), ("2026/2/30", None), ("20/20/2026", None), ("next week", None), ("2026-11", None),
])
def test_a_date_written_otherwise_proposes_the_date_it_means_only_when_it_can_be_told(written, meant):
    from builder.read.schema import date_like
    assert date_like(written) == meant


@pytest.mark.parametrize("written, both", [
    ("05/12/2026", ("2026-12-05", "2026-05-12")), ("5.6.2026", ("2026-06-05", "2026-05-06")),
    ("24/10/2012", None), ("5/5/2026", None), ("13/13/2026", None), ("2026-05-12", None),
])
def test_a_date_whose_day_and_month_cannot_be_told_apart_proposes_both(written, both):
    """`date: 05/12/2026` said only that it should be YYYY-MM-DD: both dates it may be are now proposed."""
    from builder.read.schema import date_readings
    assert date_readings(written) == both


def test_a_reference_with_nothing_after_its_hash_is_no_relation_to_the_whole_article(tmp_path, make_site):
    """`report#` and `#` are malformed (said by the schema), not the article: they make no relation, and so are
    not also said as naming the article twice."""
    site = make_site(tmp_path, {"content/a.txt": TEXT, "annotations/a.yaml": (
        "annotations:\n  - quote: Officials deny it\n    rebuts: ['a#', '#']\n")})
    model, problems = load_site(site)
    said = [(p.line, p.col, p.severity, p.message) for p in problems.items]
    assert said == [(3, 14, "error", 'an item of "rebuts" should be a reference (slug, slug#id or #id), not "a#" '
                                     '(did you mean "a"?)'),  # (judge58: the article, its "#" dropped, is proposed)
                    (3, 20, "error", 'an item of "rebuts" should be a reference (slug, slug#id or #id), not "#"')], said
    assert model.article("a").annotations[0].relations == ()


@pytest.mark.parametrize("text, why", [
    ("2012-13-01", ': there is no month 13 (dates are YYYY-MM-DD: did you mean "2012-01-13"?)'),  # day and month swapped
    ("2012-13-20", ": there is no month 13"),  # nothing to swap to
    ("2024-02-30", ": February 2024 has 29 days"), ("2012-05-00", ": days start at 01"),
    ("0000-01-01", ": there is no year 0"), ("9999-12-32", ": December 9999 has 31 days"),  # (the last month there is)
])
def test_a_date_that_does_not_exist_says_why(text, why):
    from builder.read.layer import _why_no_date

    assert _why_no_date(text) == why


def test_an_id_with_a_dotless_i_is_proposed_with_a_plain_i(tmp_path, make_site):
    """heldout62: a Turkish annotator wrote `id: artı-eksi-4` ("plus-minus"); the slug proposed was "art-eksi-4", the
    dotless "ı" dropped, a word that is not the one meant. It is spelt "i", as search and tag pages spell it."""
    site = make_site(tmp_path, {"content/a.txt": TEXT, "annotations/a.yaml":
                                "annotations:\n  - id: artı-eksi-4\n    quote: Officials deny it\n    note: n\n"})
    _, problems = load_site(site)
    assert [p.text() for p in problems.items] == [
        'annotations/a.yaml:2:9: error: "id" should be a lowercase slug (letters, digits, "-" and "_", starting with a '
        'letter or digit), not "artı-eksi-4" (did you mean "arti-eksi-4"?)']
