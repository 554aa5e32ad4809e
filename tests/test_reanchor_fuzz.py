"""Random edits to the repository's own articles, committed in git, then `reanchor --write`: no annotation
may end on another passage than the one its words went to (bench/reanchor_fuzz.py, a fixed seed; the
bench runs more; with `md`, the articles written as Markdown and edited so; with `steps`, each edit its own commit,
so that reanchor reads the versions between). Orphans are honest and not counted here."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _fuzz():
    spec = importlib.util.spec_from_file_location("reanchor_fuzz", ROOT / "bench" / "reanchor_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("write,md,steps", [(False, False, False), (True, False, False), (True, True, False), (True, False, True)],
                         ids=["check", "reanchor-write", "markdown-reanchor-write", "each-edit-a-commit-reanchor-write"])
def test_random_edits_with_history_never_attach_a_note_elsewhere(write, md, steps):
    fuzz = _fuzz()
    counted, wrong = 0, []
    for n, slug, edits, results, text, errors in fuzz.run_trials(ROOT, 15, 11, True, write, md=md, steps=steps):
        for key, outcome, truth, at, quote, landed in results:
            counted += 1
            if outcome == "wrong":
                wrong.append(f"trial {n} ({slug}, {edits}): {key} {quote!r} landed on {landed!r}")
    assert counted > 120  # the trials did run
    assert wrong == []
