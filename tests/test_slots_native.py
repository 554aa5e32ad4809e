"""The compiled `made` (builder/_slots.c) against its rule, model.made (`cls(*values)`): the model's objects
pickled (as a parallel load hands articles back, as the cache keeps them) and copied by `replaced` come back
the same with it and without it. The tests that need the module skip where it is not built, except the one
that asks why it is missing where a C compiler is at hand."""
from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from pathlib import Path

import pytest

from builder import model, native
from builder.read.load import load_site
from builder.read.text import Flow

ROOT = Path(__file__).resolve().parents[1]
NATIVE = native.load("_slots")
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_slots.c is not built here (pip install -e . builds "
                                                          "it where a C compiler is); model.made is used")
SITES = [ROOT, *sorted(path for path in (ROOT / "tests" / "sites").iterdir() if (path / "site.toml").exists())]


def test_the_compiled_made_is_built_and_used_wherever_a_c_compiler_is():
    """A failed build at install only warns (the builder works without it): this is where CI notices."""
    if native.compiler() is None:
        pytest.skip("no C compiler here: model.made is used")
    assert NATIVE is not None, ("builder._slots is not importable, or was built from another builder/_slots.c: "
                                "`pip install -e .` builds it (`pip install -v -e .` says why it could not)")
    assert model.fast_made is NATIVE.made


def fields_of(obj):
    """Every field, recursively, with the exact type of each value: equal objects could still differ in those."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return type(obj), tuple((f.name, fields_of(getattr(obj, f.name))) for f in dataclasses.fields(obj))
    if isinstance(obj, (tuple, list, frozenset, set)):
        return type(obj), tuple(map(fields_of, obj if not isinstance(obj, (set, frozenset)) else sorted(obj, key=repr)))
    if isinstance(obj, dict):
        return type(obj), tuple((k, fields_of(v)) for k, v in obj.items())
    return type(obj), obj


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name if site != ROOT else "repository")
def test_every_article_comes_back_from_pickle_the_same_with_and_without_the_compiled_made(site, monkeypatch):
    articles = load_site(site, None)[0].articles
    assert articles
    with_it = [pickle.loads(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)) for a in articles]
    monkeypatch.setattr(model, "fast_made", model.made)
    without = [pickle.loads(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)) for a in articles]
    for article, one, other in zip(articles, with_it, without):
        assert one == article == other
        assert fields_of(one) == fields_of(article) == fields_of(other)
        with pytest.raises(dataclasses.FrozenInstanceError):  # still frozen
            one.slug = "x"


@needs_native
def test_made_sets_each_slot_in_order_and_refuses_what_is_not_a_slotted_class_with_as_many_values():
    loc = NATIVE.made(model.Loc, ("annotations/a.yaml", 3, 7))
    assert loc == model.Loc("annotations/a.yaml", 3, 7) and hash(loc) == hash(model.Loc("annotations/a.yaml", 3, 7))
    flow = NATIVE.made(Flow, ("text", (), ((0, 1),)))
    assert fields_of(flow) == fields_of(Flow("text", (), ((0, 1),)))
    with pytest.raises(TypeError, match="3 slots, 2 values"):
        NATIVE.made(model.Loc, ("a", 1))
    with pytest.raises(TypeError):
        NATIVE.made(model.Loc, ["a", 1, 1])  # a tuple, as pickle gives it
    with pytest.raises(AttributeError):
        NATIVE.made(dt.date, (2024, 1, 1))  # no __slots__
    with pytest.raises(TypeError):
        NATIVE.made(model.Loc, ("a", 1, 1), "more")


def test_replaced_copies_as_dataclasses_replace_does():
    article = load_site(ROOT, None)[0].articles[0]
    ann = article.annotations[0]
    for changed in ({}, {"start": ann.start + 1, "end": ann.end + 2}, {"note": "another"}):
        assert fields_of(model.replaced(ann, **changed)) == fields_of(dataclasses.replace(ann, **changed))
    assert fields_of(model.replaced(article, annotations=())) == fields_of(dataclasses.replace(article, annotations=()))


@needs_native
def test_weaves_span_and_block_made_by_fast_made_equal_their_constructors():
    """weave's Span and WovenBlock (made per passage and per block of every page) by model.fast_made: the same
    objects as their dataclass constructors make, every field set, and still frozen."""
    from builder.render.weave import Span, WovenBlock

    for cls, values in ((Span, ("x1", 3, 9, 1, ("rebuttal",), (("rebuttal", "Rebutted", "in"),), 3, 2, 4, 3, True)),
                        (Span, ("x2", 0, 0, 2, (), (), 1, 1, 1, 1, False)), (WovenBlock, ("<p>a</p>", ("x1", "x2")))):
        made = model.fast_made(cls, values)
        assert fields_of(made) == fields_of(cls(*values))
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, dataclasses.fields(cls)[0].name, "y")
