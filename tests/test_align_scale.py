"""The re-anchoring aligner on a text that repeats itself: it must answer in seconds, not hang a build.

difflib looks at every pair of equal words, one in either version: one sentence pasted 10,000 times is 800
million pairs (minutes; a `build` without git, comparing the article with its record, hung on it)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
from builder.reanchor.align import Alignment
s = "The council met on Tuesday and agreed nothing. "
alignment = Alignment(s * 10000, "Update: " + s * 10002 + " The end.")
print(len(alignment.ow), len(alignment.nw))
"""


def test_a_sentence_pasted_ten_thousand_times_and_edited_at_both_ends_is_aligned_in_seconds():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["80000", "80019"]
