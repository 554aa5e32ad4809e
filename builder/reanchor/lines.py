"""Which source lines of two versions of an article are the same line: kept, or rewritten where it stands.

The word alignment (longest common runs first) knows no lines. Two things it cannot see, a line edit can:
- a paragraph copied elsewhere while the original is edited reads two ways: the word alignment pairs the
  old paragraph with the unchanged copy, a line edit reads it as git does (the copy added, the original
  changed). Either fits, so a passage carried into such a copy is orphaned (`copy_of_rewritten`);
- a line that every cheapest line edit keeps as it was, its text once in either version, is that line
  for sure: a repeated quote in it stays where it stands, whatever changed beside it (`surely_kept`).
The line edit is the cheapest, where keeping a line costs nothing, adding or dropping one costs one, and
rewriting one costs one: a line still alike, and no copy of an old line (that is a line moved, or
look-alike lines swapped). Between edits of as many steps, the one whose rewrites pair closer lines wins.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from ..anchoring import NormText, normalise
from ..read.content import decode
from ..errors import Problems

ALIKE = 70  # rapidfuzz's ratio (0..100) at which a line is read as rewritten, not replaced by another
CELLS = 40_000  # beyond this many pairs of changed lines, only the longest common lines are paired (no rewrites,
# nothing sure): the two tables of a cheapest edit stay under a tenth of a second


@dataclass(frozen=True, slots=True)
class Lines:
    """A version's source lines, as the alignment reads them."""

    texts: tuple[str, ...]  # each line of the file, normalised (curly quotes straight, white space as one space)
    starts: tuple[int, ...]  # the normalised offset in the visible text where each line's words begin (ascending)

    def line_of(self, offset: int) -> int:
        """The index of the line holding the word that starts at this normalised offset."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def source_lines(data: bytes, flow, norm: NormText) -> Lines | None:
    """The lines of a content file's bytes, placed in its normalised visible text (None when unreadable)."""
    text = decode(data, "", Problems())
    if text is None:
        return None
    raw = text.split("\n")
    starts, k = [], 0
    marks = [(norm.norm_offset(off), line) for off, line in flow.lines]
    for line in range(1, len(raw) + 1):  # a line with no breakpoint of its own holds no words: it starts where the next does
        while k < len(marks) and marks[k][1] < line:
            k += 1
        starts.append(marks[k][0] if k < len(marks) else len(norm.text))
    for i in range(len(starts) - 2, -1, -1):  # ascending, whatever the flow's breakpoints say
        starts[i] = min(starts[i], starts[i + 1])
    return Lines(tuple(normalise(r).strip(" ") for r in raw), tuple(starts))


class LineEdit:
    """The cheapest line edit from one version's source lines to another's (worked out when first asked)."""

    def __init__(self, old: Lines, new: Lines):
        self.old, self.new = old, new  # the source lines of either version
        self._rewritten: dict[int, int] | None = None  # old line -> the new line it was rewritten into
        self._sure: dict[int, int] = {}  # old line -> the new line every cheapest edit keeps it as
        self._sure_rewritten: dict[int, int] = {}  # old line -> the new line every cheapest edit rewrites it into
        self._made_of: dict[int, int] = {}  # new line -> the old line every cheapest edit keeps or rewrites into it
        self._kept: dict[int, int] = {}  # old line -> the new line it was kept as

    def copy_of_rewritten(self, old_offset: int, new_offset: int) -> bool:
        """Whether the old line holding a word (at this normalised offset) was rewritten where it stood, while the new
        line holding another is a verbatim copy of that old line elsewhere: the paragraph was copied and the original
        edited (or edited, and its old words put back elsewhere). Either fits the text."""
        self._pair()
        line, there = self.old.line_of(old_offset), self.new.line_of(new_offset)
        return line in self._rewritten and self._rewritten[line] != there and self.new.texts[there] == self.old.texts[line]

    def rewritten_into(self, old_offset: int) -> int | None:
        """The new line that the old line holding this word was rewritten into where it stood; None when it was kept,
        dropped or replaced."""
        self._pair()
        return self._rewritten.get(self.old.line_of(old_offset))

    def replaced_in_place(self, old_offset: int) -> int | None:
        """The new line that took the place of the old line holding this word, when that line was replaced: dropped,
        and one line, new, put in alone between the lines kept on either side of it (or the text's edge), where it stood
        alone. None otherwise (kept, rewritten, or lines taken out or put in around it)."""
        self._pair()
        line = self.old.line_of(old_offset)
        if line in self._rewritten or line in self._kept:
            return None
        olds, news = [i for i, t in enumerate(self.old.texts) if t], [j for j, t in enumerate(self.new.texts) if t]
        before = [i for i in olds if i < line]
        after = [i for i in olds if i > line]
        if before and before[-1] not in self._kept or after and after[0] not in self._kept:
            return None
        lo = self._kept[before[-1]] if before else -1
        hi = self._kept[after[0]] if after else len(self.new.texts)
        between = [j for j in news if lo < j < hi]
        return between[0] if len(between) == 1 and between[0] not in self._made_of else None

    def surely_kept(self, old_offset: int) -> int | None:
        """The new line that the old line holding this word (normalised offset) surely is: every cheapest line edit
        keeps it as it was, and its text stands once in either version. None when not sure."""
        self._pair()
        return self._sure.get(self.old.line_of(old_offset))

    def surely_rewritten(self, old_offset: int) -> int | None:
        """The new line that every cheapest line edit rewrites the old line holding this word into; None when not sure."""
        self._pair()
        return self._sure_rewritten.get(self.old.line_of(old_offset))

    def made_of(self, new_offset: int) -> int | None:
        """The old line that every cheapest line edit keeps as, or rewrites into, the new line holding this word."""
        self._pair()
        return self._made_of.get(self.new.line_of(new_offset))

    def span(self, line: int, old: bool, end: int) -> tuple[int, int]:
        """The normalised offsets of a line's words in the old text or the new (`end`: that text's length)."""
        starts = (self.old if old else self.new).starts
        return starts[line], starts[line + 1] if line + 1 < len(starts) else end

    def _pair(self) -> None:
        if self._rewritten is None:
            kept, rewritten, sure = paired_lines(list(self.old.texts), list(self.new.texts))
            self._rewritten = dict(rewritten)
            once_old, once_new = Counter(self.old.texts), Counter(self.new.texts)
            self._sure = {i: j for i, j in sure if once_old[self.old.texts[i]] == 1 and once_new[self.new.texts[j]] == 1
                          and self.old.texts[i] == self.new.texts[j]}
            self._sure_rewritten = {i: j for i, j in sure if self.old.texts[i] != self.new.texts[j]}
            self._made_of = {j: i for i, j in sure}
            self._kept = dict(kept)


def paired_lines(a: list[str], b: list[str]) -> tuple[list, list, set]:
    """(kept, rewritten, sure): (old, new) index pairs of the lines a and b in the cheapest line edit; `sure`, the
    kept or rewritten pairs that every cheapest edit has (when two edits cost the same, lines swapped say, neither is).
    Blank lines are left out: counted, the blank line that goes with a paragraph made moving it past another cost
    more than rewriting it into that one (a template paragraph per region, one moved and edited)."""
    ia, ib = [i for i, t in enumerate(a) if t], [j for j, t in enumerate(b) if t]
    kept, rewritten, sure = _paired([a[i] for i in ia], [b[j] for j in ib])
    return ([(ia[i], ib[j]) for i, j in kept], [(ia[i], ib[j]) for i, j in rewritten], {(ia[i], ib[j]) for i, j in sure})


def _paired(a: list[str], b: list[str]) -> tuple[list, list, set]:
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    kept, rewritten = [(i, i) for i in range(head)], []
    sure = set(kept)
    n, m = len(a) - head - tail, len(b) - head - tail
    if n and m:
        if n * m > CELLS:
            middle = [(op.src_start + k, op.dest_start + k, True) for op in Indel.opcodes(a[head:head + n], b[head:head + m])
                      if op.tag == "equal" for k in range(op.src_end - op.src_start)]
            certain = set()
        else:
            middle, certain = _cheapest(a[head:head + n], b[head:head + m], set(a))
        kept += [(i + head, j + head) for i, j, same in middle if same]
        rewritten += [(i + head, j + head) for i, j, same in middle if not same]
        sure |= {(i + head, j + head) for i, j in certain}
    tail_pairs = [(len(a) - tail + k, len(b) - tail + k) for k in range(tail)]
    return kept + tail_pairs, rewritten, sure | set(tail_pairs)


def _table(a: list[str], b: list[str], step, unit: int = 1) -> tuple[list, list]:
    """Cost and number of cheapest edits of every a[:i] into b[:j]: keep (0), add or drop (`unit`), `step(i, j)` for
    a[i] in place of b[j] (0 kept, about `unit` rewritten, more: not allowed)."""
    n, m = len(a), len(b)
    cost = [[(i + j) * unit if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    ways = [[1 if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        row, up, wr, wu = cost[i], cost[i - 1], ways[i], ways[i - 1]
        for j in range(1, m + 1):
            options = ((up[j] + unit, wu[j]), (row[j - 1] + unit, wr[j - 1]), (up[j - 1] + step(i - 1, j - 1), wu[j - 1]))
            best = min(c for c, _ in options)
            row[j], wr[j] = best, sum(w for c, w in options if c == best)
    return cost, ways


def _cheapest(a: list[str], b: list[str], old: set) -> tuple[list[tuple[int, int, bool]], set]:
    """The (old, new, kept as it was) pairs of a cheapest edit: keep (0), add or drop (1), rewrite an alike line
    that is no copy of an old one (1); and the kept pairs every cheapest edit keeps."""
    n, m = len(a), len(b)
    # a rewrite costs one step and, below any step, how unlike the lines are: of two edits with as many steps, the
    # one that pairs the closer lines is cheaper (a template paragraph per region: one dropped, its look-alike edited)
    unit = (101 - ALIKE) * (n + m) + 1
    big = unit * (n + m + 1)
    alike: dict[tuple[int, int], int] = {}

    def rewrite(i: int, j: int) -> int:
        if a[i] == b[j]:
            return 0
        if (i, j) not in alike:
            alike[(i, j)] = round(fuzz.ratio(a[i], b[j], score_cutoff=ALIKE)) if a[i] and b[j] and b[j] not in old else 0
        return unit + 100 - alike[(i, j)] if alike[(i, j)] else big

    cost, ways = _table(a, b, rewrite, unit)
    back, back_ways = _table(a[::-1], b[::-1], lambda i, j: rewrite(n - 1 - i, m - 1 - j), unit)
    total, count = cost[n][m], ways[n][m]
    certain = {(i, j) for i in range(n) for j in range(m) if rewrite(i, j) < big
               and cost[i][j] + rewrite(i, j) + back[n - 1 - i][m - 1 - j] == total and ways[i][j] * back_ways[n - 1 - i][m - 1 - j] == count}
    pairs, i, j = [], n, m
    while i and j:  # from the end back: a kept line first, then a rewritten one, then a drop, then an addition
        step = rewrite(i - 1, j - 1)
        if cost[i][j] == cost[i - 1][j - 1] + step:
            pairs.append((i - 1, j - 1, step == 0))
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + unit:
            i -= 1
        else:
            j -= 1
    return pairs[::-1], certain
