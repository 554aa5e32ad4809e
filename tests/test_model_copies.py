"""model.replaced: the fast copy anchoring makes of each annotation is dataclasses.replace's, field for field."""
from __future__ import annotations

import dataclasses

import pytest

from builder.model import _BY_FIELDS, replaced


@pytest.mark.parametrize("cls", sorted(_BY_FIELDS, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_a_copy_with_changes_is_the_one_replace_makes(cls):
    names = [f.name for f in dataclasses.fields(cls)]
    obj = cls(*(f"value of {name}" for name in names))  # every field distinct: one put in the wrong place shows
    for changed in (names[:1], names[-2:], names):
        changes = {name: f"new {name}" for name in changed}
        copy = replaced(obj, **changes)
        assert type(copy) is cls
        assert copy == dataclasses.replace(obj, **changes)
        assert [getattr(copy, n) for n in names] == [changes.get(n, f"value of {n}") for n in names]
    assert replaced(obj) == obj


def test_an_unknown_field_is_refused():
    cls = next(iter(_BY_FIELDS))
    obj = cls(*(None for _ in dataclasses.fields(cls)))
    with pytest.raises(KeyError):
        replaced(obj, no_such_field=1)
