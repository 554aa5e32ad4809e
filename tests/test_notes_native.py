"""The compiled note (builder/_notes.c) against its rule, templates/_note.html: every note of the test sites, of
this repository's site and of a generated bench corpus comes out the same from both, byte for byte, and whole
article pages too. Where the C meets a value it does not expect it declines, and the template renders the note.
The tests that need the module skip where it is not built, except the ones that ask why it is missing or stale
where a C compiler is at hand."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from builder import native
from builder.read.load import load_site
from builder.render import pages, templates
from builder.render.plan import direction
from builder.render.views import SiteView

ROOT = Path(__file__).resolve().parents[1]
NATIVE = native.load("_notes")
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_notes.c is not built here (pip install -e . builds "
                                                          "it where a C compiler is); Jinja renders every note")
SITES = [ROOT, *sorted(path for path in (ROOT / "tests" / "sites").iterdir() if (path / "site.toml").exists())]


def test_the_compiled_note_is_built_and_mirrors_the_templates_wherever_a_c_compiler_is():
    """A failed build at install only warns, and a changed template quietly turns the C off: this is where CI
    notices either."""
    if native.compiler() is None:
        pytest.skip("no C compiler here: Jinja renders every note")
    assert NATIVE is not None, ("builder._notes is not importable, or was built from another builder/_notes.c: "
                                "`pip install -e .` builds it (`pip install -v -e .` says why it could not)")
    joined = b"".join((templates.builtin_templates() / name).read_bytes() for name in templates.NOTE_PARTIALS)
    assert hashlib.sha256(joined).hexdigest() == NATIVE.MIRRORS, (
        f"{', '.join(templates.NOTE_PARTIALS)} changed since builder/_notes.c was written: bring the C level with "
        "them, then set its MIRRORS to the new hash (until then Jinja renders every note)")
    assert templates.compiled_note() is NATIVE.note


def notes_of(site_root: Path):
    """(names a note is rendered with, the note's view) for every note of a site, as its article page shows it."""
    site, _ = load_site(site_root)
    view = SiteView(site, site.config.base_url)
    env = templates.environment(site_root / "no-such-folder")  # the built-in templates
    names = {"site": {"direction": direction(site.config.language)},
             "ui": Markup(' dir="ltr"') if direction(site.config.language) == "rtl" else Markup(""),
             "href": env.globals["href"], "note_history": note_history(env)}
    for article in site.articles:
        for block in pages.article_page(view, article)["blocks"]:
            for note in block["notes"]:
                yield names, note


def note_history(env):
    macro = env.get_template("_note_history.html").module.note_history
    return lambda history: macro(history, ui=Markup("")) if history else Markup("")


def by_template(names: dict, note: dict) -> str:
    env = templates.environment(ROOT / "no-such-folder")
    return env.get_template("_note.html").render(**names, note=note)


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory) -> Path:
    """A generated corpus (bench/generate.py): notes with every kind of relation, verdicts, sources, tags."""
    out = tmp_path_factory.mktemp("bench") / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "60", str(out), "--seed", "3"], check=True,
                   capture_output=True)
    return out


@needs_native
@pytest.mark.parametrize("site_root", SITES, ids=lambda p: p.name)
def test_every_note_of_the_sites_is_the_same_from_c_and_from_the_template(site_root):
    setup = templates.compiled_note()
    assert setup is not None
    seen = 0
    for names, note in notes_of(site_root):
        made = NATIVE.note(note, names["site"], names["ui"], names["href"], names["note_history"])
        assert made is not None, f"declined {note['id']}"
        assert made == by_template(names, note), note["id"]
        seen += 1
    assert seen or site_root.name in {"excerpts"}


@needs_native
def test_every_note_of_a_bench_corpus_is_the_same_from_c_and_from_the_template(bench_site):
    seen = 0
    for names, note in notes_of(bench_site):
        assert NATIVE.note(note, names["site"], names["ui"], names["href"], names["note_history"]) == by_template(names, note)
        seen += 1
    assert seen >= 300


SETUP = (Markup, templates.iso_date, templates.long_date)  # what templates.compiled_note gives _notes.setup


def odd_notes():
    """Notes the sites may lack: right to left, text to escape, a verdict, a date, history, a retracted link, and
    values of other types than a view's (each rendered as the template does, or declined)."""
    env = templates.environment(ROOT / "no-such-folder")
    names = {"site": {"direction": "rtl"}, "ui": Markup(' dir="ltr"'), "href": env.globals["href"],
             "note_history": lambda h: Markup(f"<p>{h}</p>\n") if h else Markup("")}
    flag = {"name": "rebuttal", "label": "Rebuttal", "word": "Rebuts", "end": "out"}
    note = {
        "verdict": {"name": "false", "label": "False & <wrong>", "rating": 1, "claim": "It's \"so\""},
        "original": "https://example.com/a b?x=<1>#:~:text=a%20b", "id": "x'1", "flags": [], "words": [flag, dict(flag, word="Rebutted")],
        "crowded": True, "html": "<p>A <em>note</em> &amp; more</p>\n", "gist": "A note & more", "by": "ana <b>", "date": dt.date(2024, 3, 5),
        "tags": [{"name": "a&b", "url": "/tags/a-b/"}, {"name": "c", "url": "/tags/c/"}],
        "sources": [{"url": "https://example.com/s?a=1&b=2", "title": "S <1>"}, {"url": "mailto:x@y.z", "title": "mail"}],
        "permalink": "/articles/a/#x'1", "quote": "“quoted” <text> ’", "history": "h", "number": 3, "prev": 2, "next": None,
        "prev_flagged": "x0", "next_flagged": None,
        "links": [
            {"label": "Rebuts", "kind": "rebuts", "direction": "out", "title": "T & t", "quote": "q <q>", "url": "/articles/b/#y",
             "flags": [], "retracted": True, "whole": True, "words": [flag], "gist": "g & g", "warning": True, "external": False,
             "same_article": False},
            {"label": "See also", "kind": "see", "direction": "in", "title": "Here", "quote": "same", "url": "#z", "flags": [],
             "retracted": False, "whole": False, "words": [], "gist": None, "warning": False, "external": False, "same_article": True},
            {"label": "See also", "kind": "see", "direction": "out", "title": "https://e.com/<x>", "quote": None,
             "url": "https://e.com/<x>", "flags": [], "words": [], "gist": None, "retracted": False, "warning": False,
             "external": True, "same_article": False},
        ],
    }
    yield names, note
    for change in OTHER_TYPES:
        yield names, {**note, **change}
    missing = dict(note)
    del missing["permalink"]
    yield names, missing


# values of other types than a view's: each one the C renders as Jinja does (a Markup, a tuple, a float) or declines
OTHER_TYPES = [{"by": 5}, {"by": b"bytes"}, {"gist": Markup("<i>safe</i>")}, {"words": ({"name": "a", "word": "A"},)},
               {"quote": "lone \ud800 surrogate"}, {"number": 1.5}, {"number": True}, {"id": None}, {"flags": "ab"},
               {"html": Markup("<p>m</p>")}, {"verdict": {"name": "v"}}, {"links": [{"kind": "see"}]}, {"tags": [["a"]]}]


@needs_native
def test_a_note_of_a_right_to_left_site_with_odd_text_and_every_part():
    templates.compiled_note()
    names, note = next(odd_notes())
    made = NATIVE.note(note, names["site"], names["ui"], names["href"], names["note_history"])
    assert made == by_template(names, note)
    assert 'dir="auto"' in made and "&amp; more" in made and "Warning: that article was retracted." in made


@needs_native
def test_a_value_of_another_type_is_declined_or_rendered_as_the_template_does():
    """Never a different page: the note as Jinja renders it, or None (then Jinja renders it). A missing key is declined."""
    templates.compiled_note()
    made = [NATIVE.note(note, names["site"], names["ui"], names["href"], names["note_history"]) for names, note in odd_notes()]
    for (names, note), got in zip(odd_notes(), made):
        if got is not None:
            assert got == by_template(names, note)
    assert made[-1] is None
    assert sum(got is None for got in made) >= 5 and sum(got is not None for got in made) >= 5


@needs_native
def test_article_pages_are_the_same_with_and_without_the_compiled_note(tmp_path, monkeypatch):
    """Whole pages: the note compiled into article.html (with the template kept for what the C declines) against
    article.html as Jinja renders it alone."""
    from builder.build import build

    site = ROOT / "tests" / "sites" / "small"
    assert build(site, tmp_path / "with", use_cache=False).ok
    monkeypatch.setattr(templates, "_NOTES", None)
    templates.compiled_note.cache_clear()
    try:
        assert templates.compiled_note() is None
        assert build(site, tmp_path / "without", use_cache=False).ok
    finally:
        monkeypatch.undo()
        templates.compiled_note.cache_clear()
    pages_with = sorted((tmp_path / "with").rglob("*.html"))
    assert len(pages_with) > 5
    for page in pages_with:
        assert page.read_bytes() == (tmp_path / "without" / page.relative_to(tmp_path / "with")).read_bytes(), page
