"""Linking: builder.linking (relations at both ends, implied flags, reading order, incremental relink), through load_site."""
from __future__ import annotations

import pytest

from builder.read.load import load_site
from builder.model import Relation

CLAIM = "Officials say the gangs are allies. Sources say so too.\n"
ANSWER = "The gangs are rivals. We withdraw the story.\n"


def load(tmp_path, make_site, answer_yaml: str, claim_yaml: str | None = None, extra: dict | None = None):
    files = {
        "content/claim.txt": CLAIM,
        "content/answer.txt": ANSWER,
        "annotations/claim.yaml": claim_yaml or (
            "annotations:\n"
            "  - id: allies\n    quote: the gangs are allies\n    flags: [anonymous-source]\n"
            "  - id: sources\n    quote: Sources say so too\n    note: Which sources?\n"
        ),
        "annotations/answer.yaml": answer_yaml,
        **(extra or {}),
    }
    model, problems = load_site(make_site(tmp_path, files))
    assert problems.errors == [], [p.text() for p in problems.errors]
    return model


def test_rebuts_is_shown_at_both_ends_and_flags_both(tmp_path, make_site):
    model = load(tmp_path, make_site, "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: claim#allies\n")
    relation = Relation("rebuts", ("answer", "rivals"), ("claim", "allies"))
    assert model.relations() == (relation,)
    assert model.outgoing[("answer", "rivals")] == (relation,)
    assert model.incoming[("claim", "allies")] == (relation,)
    assert model.flags_of[("answer", "rivals")] == ("rebuttal",)
    assert model.flags_of[("claim", "allies")] == ("anonymous-source", "rebuttal")  # in site.toml order
    assert "rebuttal" not in model.flags_of[("claim", None)]


def test_retracts_gives_both_ends_the_retraction_flag(tmp_path, make_site):
    model = load(tmp_path, make_site, "annotations:\n  - id: withdraw\n    quote: We withdraw the story\n    retracts: [claim#allies, claim#sources]\n")
    assert model.flags_of[("answer", "withdraw")] == ("retraction",)
    assert "retraction" in model.flags_of[("claim", "allies")]
    assert "retraction" in model.flags_of[("claim", "sources")]
    assert len(model.incoming[("claim", "sources")]) == 1


def test_supports_and_see_imply_no_flag(tmp_path, make_site):
    model = load(tmp_path, make_site, (
        "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n"
        "    supports: claim#sources\n    see: [claim#allies, https://example.org/more]\n"
    ))
    kinds = sorted((r.kind, r.target) for r in model.relations())
    assert kinds == [("see", ("claim", "allies")), ("supports", ("claim", "sources"))]  # the URL is no relation
    assert model.flags_of[("answer", "rivals")] == ()
    assert model.flags_of[("claim", "sources")] == ()


def test_whole_article_target_gets_an_article_flag(tmp_path, make_site):
    model = load(tmp_path, make_site, (
        "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: claim\n"
        "  - id: withdraw\n    quote: We withdraw the story\n    retracts: claim\n"
    ))
    assert model.flags_of[("claim", None)] == ("retraction", "rebuttal")
    assert {r.target for r in model.incoming[("claim", None)]} == {("claim", None)}
    assert [r.kind for r in model.incoming[("claim", None)]] == ["rebuts", "retracts"]
    assert "rebuttal" not in model.flags_of[("claim", "allies")]  # the passages keep their own flags


def test_article_retracted_carries_the_retraction_flag(tmp_path, make_site):
    model = load(tmp_path, make_site, "annotations:\n  - id: withdraw\n    quote: We withdraw the story\n    note: The notice.\n",
                 claim_yaml=(
                     "article:\n  flags: [anonymous-source]\n  retracted:\n    date: 2013-01-05\n"
                     "    reason: Could not be confirmed.\n    notice: answer#withdraw\n"
                 ))
    assert model.flags_of[("claim", None)] == ("anonymous-source", "retraction")
    retracted = model.article("claim").meta.retracted
    assert retracted.notice.slug == "answer" and retracted.notice.id == "withdraw"
    assert str(retracted.date) == "2013-01-05"


def test_local_reference_resolves_in_the_same_file(tmp_path, make_site):
    model = load(tmp_path, make_site, (
        "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    note: x\n"
        "  - quote: We withdraw the story\n    supports: '#rivals'\n"
    ))
    (relation,) = model.relations()
    assert relation.target == ("answer", "rivals") and relation.source[0] == "answer"


def test_a_relation_declared_twice_counts_once(tmp_path, make_site):
    model = load(tmp_path, make_site, "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: [claim#allies, claim#allies]\n")
    assert len(model.relations()) == 1
    assert len(model.incoming[("claim", "allies")]) == 1


def test_a_relation_needs_declaring_at_one_end_only(tmp_path, make_site):
    """The target's annotation file says nothing about the rebuttal, yet knows of it."""
    model = load(tmp_path, make_site, "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: claim#allies\n")
    claim = model.article("claim")
    assert all(not ann.relations for ann in claim.annotations)
    assert model.incoming[("claim", "allies")][0].source == ("answer", "rivals")


def test_annotations_are_in_reading_order(tmp_path, make_site):
    model = load(tmp_path, make_site, "annotations: []\n", claim_yaml=(
        "annotations:\n"
        "  - id: later\n    quote: Sources say\n    note: x\n"
        "  - id: outer\n    quote: Officials say the gangs\n    note: x\n"
        "  - id: inner\n    quote: Officials say\n    note: x\n"
    ))
    assert [a.id for a in model.article("claim").annotations] == ["outer", "inner", "later"]


def test_relink_after_an_edit_equals_a_full_link(tmp_path, make_site):
    """serve re-links only what an edit touches; the result is what a full link gives."""

    from builder.errors import Problems
    from builder.linking import relink
    from builder.read.load import load_article

    site = make_site(tmp_path, {
        "content/claim.txt": CLAIM, "content/answer.txt": ANSWER,
        "annotations/claim.yaml": "article:\n  published: 2020-01-01\nannotations:\n  - id: allies\n    quote: the gangs are allies\n",
        "annotations/answer.yaml": "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: claim#allies\n",
    })
    model, _ = load_site(site)
    edits = [
        "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    supports: claim#allies\n",
        "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    retracts: claim\n    flags: [anonymous-source]\n",
        "article:\n  published: 2024-05-05\nannotations:\n  - id: rivals\n    quote: The gangs are rivals\n    see: claim#allies\n",
    ]
    for text in edits:
        (site / "annotations/answer.yaml").write_text(text)
        fresh = load_article(site, "answer", site / "content/answer.txt", site / "annotations/answer.yaml", model.config, Problems())
        incremental, flagged = relink(model, {"answer": fresh}, Problems())
        full, _ = load_site(site)
        for name in ("flags_of", "incoming", "outgoing", "articles", "order"):
            assert getattr(incremental, name) == getattr(full, name), (text, name)
        assert "claim" in flagged or incremental.flags_of == model.flags_of
        model = incremental


@pytest.mark.parametrize("answer, slug, edited", [
    # its own reference edited to name no annotation
    ("rebuts: claim#allies", "answer", "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    rebuts: claim#nowhere\n"),
    # the passage another note names in its `sources` (SPEC 5) removed: an error, as in a full link
    ("note: x\n    sources: [claim#allies]", "claim", "annotations:\n  - id: sources\n    quote: Sources say so too\n    note: Which?\n"),
], ids=["reference", "source"])
def test_relink_gives_up_on_a_reference_that_no_longer_resolves(tmp_path, make_site, answer, slug, edited):
    """serve relinks only what an edit changed: where a reference no longer resolves, it gives up (a full link says why)."""
    from builder.errors import Problems
    from builder.linking import relink
    from builder.read.load import load_article

    model = load(tmp_path, make_site, f"annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    {answer}\n")
    (tmp_path / f"annotations/{slug}.yaml").write_text(edited)
    fresh = load_article(tmp_path, slug, tmp_path / f"content/{slug}.txt", tmp_path / f"annotations/{slug}.yaml", model.config, Problems())
    assert relink(model, {slug: fresh}, Problems()) is None


def test_a_see_url_that_is_a_page_of_this_site_is_warned_with_its_reference(tmp_path, make_site, run_cli):
    """Audit valid4: `see:` takes URLs, so a permalink of this site's own passage copied there (from the
    published site or from glossator serve) was a plain outside link: the passage it names did not show
    "See also" back. It is now a warning that proposes the reference."""
    site = make_site(tmp_path / "s", {
        "site.toml": 'title = "T"\nbase_url = "https://reading.example.org/desk/"\n',
        "content/a.txt": "Officials say the gangs are allies.\n\nThe minister denied it.\n",
        "content/b.txt": "A statement.\n",
        "annotations/a.yaml": ("annotations:\n  - id: allies\n    quote: Officials say\n    note: x\n"
                               "  - quote: The minister denied it\n    note: y\n"
                               "    see: [https://reading.example.org/desk/articles/a/#allies, http://127.0.0.1:8000/articles/b/,\n"
                               "          https://other.example.org/articles/b/]\n")})
    code, _, err = run_cli("check", site)
    assert code == 0, err
    warned = [row for row in err.splitlines() if "warning: " in row and "see" in row]
    assert warned == [
        'annotations/a.yaml:7:11: warning: "see" links to a page of this site by its URL: write it as a reference, "#allies", '
        "so that the passage it names shows this one too",
        'annotations/a.yaml:7:64: warning: "see" links to a page of this site by its URL: write it as a reference, "b", '
        "so that the article it names shows this one too"], err


def test_a_relation_to_its_own_whole_article_is_warned_when_it_is_likely_a_slip(tmp_path, make_site):
    """`rebuts: allies` in an article that has an annotation "allies" (and whose slug is "allies") names the whole
    article, not that annotation: said, with "#allies". A `see` to its own article links the page to itself: said.
    A passage that retracts its own article (a correction) is as meant."""
    site = make_site(tmp_path, {"content/allies.txt": CLAIM, "annotations/allies.yaml": (
        "annotations:\n"
        "  - id: allies\n    quote: the gangs are allies\n    flags: [anonymous-source]\n"
        "  - quote: Officials say\n    rebuts: allies\n")})
    model, problems = load_site(site)
    said = [(p.file, p.line, p.col, p.severity, p.message) for p in problems.items]
    assert said == [("annotations/allies.yaml", 6, 13, "warning", '"rebuts: allies" names this whole article, not the '
                     'annotation "allies" of it: write "#allies" for the annotation')], said
    assert len(model.relations()) == 1  # kept: a warning
    site = make_site(tmp_path / "see", {"content/claim.txt": CLAIM, "annotations/claim.yaml": (
        "annotations:\n  - quote: the gangs are allies\n    see: [claim, https://example.org/]\n"
        "  - quote: Sources say so too\n    retracts: claim\n    note: Withdrawn.\n")})
    model, problems = load_site(site)
    said = [(p.file, p.line, p.col, p.severity, p.message) for p in problems.items]
    assert said == [("annotations/claim.yaml", 3, 11, "warning", '"see: claim" names the article it is written in: the '
                     'page would link to itself; write "#id" for one of its annotations')], said


def test_see_declared_at_both_ends_is_one_link_at_each_end(tmp_path, make_site, run_cli):
    """`see` reads the same either way: two passages that name each other link once each, not twice."""
    site = make_site(tmp_path / "site", {
        "content/claim.txt": CLAIM, "content/answer.txt": ANSWER,
        "annotations/claim.yaml": "annotations:\n  - id: allies\n    quote: the gangs are allies\n    see: answer#rivals\n",
        "annotations/answer.yaml": "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    see: claim#allies\n",
    })
    code, _, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    for slug in ("claim", "answer"):
        page = (tmp_path / "out" / "articles" / slug / "index.html").read_text()
        assert page.count('<li class="xlink" data-kind="see">') == 1, slug
    graph = (tmp_path / "out" / "graph" / "index.html").read_text()  # one edge, as one link in each note
    assert graph.count('marker-end="url(#arrow-see)"') == 1 and "2 passages and 1 relation." in graph


def test_sources_take_references_as_well_as_urls(tmp_path, make_site, run_cli):
    """SPEC 5: "A reference is `slug`, `slug#id` or `#id`; `see`, `sources` and `notice` also take absolute
    http(s) URLs": a note's sources may name a passage or an article of the site. `sources: [claim#allies]`
    was refused ("should be an http(s) URL or a {url, title} mapping"); it is now a link to that passage,
    shown by its quote, and one to a missing id is an error that proposes the nearest."""
    files = {
        "site.toml": 'title = "T"\nbase_url = "https://reading.example.org/desk/"\n',
        "content/claim.txt": CLAIM, "content/answer.txt": ANSWER,
        "annotations/claim.yaml": "annotations:\n  - id: allies\n    quote: the gangs are allies\n    note: Says who?\n"
                                  "  - id: sources\n    quote: Sources say so too\n    note: Which sources?\n",
        "annotations/answer.yaml": "annotations:\n  - id: rivals\n    quote: The gangs are rivals\n    note: As the court found.\n"
                                   "    sources: [claim#allies, claim, '#withdraw', https://example.org/ruling]\n"
                                   "  - id: withdraw\n    quote: We withdraw the story\n    note: Withdrawn.\n",
    }
    site = make_site(tmp_path / "site", files)
    code, _, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out" / "articles" / "answer" / "index.html").read_text()
    sources = page[page.index('<p class="sources"'):].split("</p>")[0]
    assert '<a href="/desk/articles/claim/#allies">“the gangs are allies” (Officials say the gangs are allies. Sources say so too.)</a>' in sources
    assert '<a href="/desk/articles/claim/">Officials say the gangs are allies. Sources say so too.</a>' in sources
    assert '<a href="/desk/articles/answer/#withdraw">“We withdraw the story”</a>' in sources
    assert '<a href="https://example.org/ruling" rel="nofollow">https://example.org/ruling</a>' in sources
    claim = (tmp_path / "out" / "articles" / "claim" / "index.html").read_text()
    assert "/articles/answer/#rivals" not in claim  # a source is no relation: nothing links back

    files["annotations/answer.yaml"] = files["annotations/answer.yaml"].replace("claim#allies", "claim#allys")
    site = make_site(tmp_path / "broken", files)
    code, _, err = run_cli("check", site)
    assert code == 1
    assert 'annotations/answer.yaml:5:15: error: no annotation with id "allys" in article "claim" (did you mean "allies"?)' in err


def test_a_reference_yaml_reads_as_a_number_is_the_reference_as_written(tmp_path, make_site):
    """SPEC 1: a slug may start with a digit (content/2024.txt); SPEC 3: a text field takes its value as written.
    `see: 2024`, `rebuts: [2024]`, `notice: 2024` and `sources: [2024]` were refused ("not the number 2024")
    while `supports: "2024"` resolved. Each now names the article 2024; a number no article has is an unknown
    article, with the nearest proposed."""
    files = {
        "content/2024.txt": "The year in review.\n", "content/b.txt": "One. Two. Three.\n",
        "annotations/2024.yaml": "annotations:\n  - id: 7\n    quote: The year\n    note: x\n",
        "annotations/b.yaml": "article:\n  retracted:\n    notice: 2024\nannotations:\n"
                              "  - quote: One\n    see: 2024\n  - quote: Two\n    rebuts: [2024#7]\n"
                              "  - quote: Three\n    retracts: 2024\n    sources: [2024]\n",
    }
    model, problems = load_site(make_site(tmp_path / "ok", files))
    assert problems.errors == [], [p.text() for p in problems.errors]
    assert {(r.kind, r.target) for r in model.relations()} == {
        ("see", ("2024", None)), ("rebuts", ("2024", "7")), ("retracts", ("2024", None))}
    b = next(a for a in model.articles if a.slug == "b")
    assert b.meta.retracted.notice.slug == "2024"
    assert [s.ref.slug for ann in b.annotations for s in ann.sources] == ["2024"]

    files["annotations/b.yaml"] = "annotations:\n  - quote: One\n    see: 2025\n"
    model, problems = load_site(make_site(tmp_path / "typo", files))
    assert [p.text() for p in problems.errors] == ['annotations/b.yaml:3:10: error: unknown article "2025" (did you mean "2024"?)']


def test_a_source_of_a_passage_not_found_is_checked_all_the_same(tmp_path, make_site, run_cli):
    """Every problem at once (SPEC 8): a note whose quote is not found and whose `sources` names a missing id
    gets both errors in one run, as its relations do."""
    site = make_site(tmp_path, {
        "content/claim.txt": CLAIM, "content/answer.txt": ANSWER,
        "annotations/claim.yaml": "annotations:\n  - id: allies\n    quote: the gangs are allies\n    note: x\n",
        "annotations/answer.yaml": "annotations:\n  - quote: The gangs are friends\n    note: y\n    sources: [claim#allys]\n",
    })
    code, _, err = run_cli("check", site)
    assert code == 1
    assert "annotations/answer.yaml:2:12: error: quote not found in content/answer.txt" in err
    assert 'annotations/answer.yaml:4:15: error: no annotation with id "allys" in article "claim" (did you mean "allies"?)' in err


def test_a_numbered_name_no_article_has_is_not_given_a_look_alike(tmp_path, make_site):
    """Of numbered articles (a00001, a00002, …) a name that none has is one digit from many of them: "did you mean"
    named the last in order among the equally close (a00049 for a00037), a guess a user would trust. Where the
    closest two are equally close nothing is proposed; a name one article is clearly closest to still gets it."""
    files = {f"content/a{i:05d}.txt": f"Article {i}.\n" for i in range(1, 50) if i != 37}
    files["annotations/a00001.yaml"] = "annotations:\n  - quote: Article\n    see: a00037\n  - quote: '1'\n    see: a00o12\n"
    files["annotations/a00037.yaml"] = "annotations:\n  - quote: Article\n    note: x\n"
    model, problems = load_site(make_site(tmp_path, files))
    assert sorted(p.text() for p in problems.errors) == [
        'annotations/a00001.yaml:3:10: error: unknown article "a00037"',
        'annotations/a00001.yaml:5:10: error: unknown article "a00o12" (did you mean "a00012"?)',
        'annotations/a00037.yaml:1:1: error: no article "a00037" in content/ for this annotation file']
