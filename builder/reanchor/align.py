"""Where a passage went when its article changed: pure functions on normalised texts.

Two ways to look, used in this order:
- `carry`: with the article as it was when the annotation was written (git), align the old text
  with the new one word by word and carry the passage across the alignment;
- `search`: the quote in the new text alone, each candidate scored apart on the quote, the text
  before, the text after and (with history) the position. A candidate wins only with context that
  agrees and a clear margin over the runner-up; short quotes must match exactly.

Both give a `Resolution` in normalised offsets of the new text; `propose` then finds the smallest
change of `prefix`, `suffix` and `occurrence` that makes the quote anchor exactly there.
"""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel, Levenshtein

from ..anchoring import UNSPACED, NormText, anchor, find_all, normalise
from .lines import LineEdit

CONTEXT = 40  # characters of context compared on each side of a passage
NEAR = 4  # words next to a passage that must still be its neighbours for a carried edit
RIVAL_WORDS = 10  # look-alike places are told apart by this many words on a side, at most
SHORT = 20  # a quote shorter than this (characters), or of fewer than 4 words, is matched strictly
KEEP = 0.5  # an edited passage keeps at least this share of its words
QUOTE_MIN = 0.8  # a fuzzy candidate's quote similarity, at least
RESPELT = 0.85  # a quote respelt where it stands (its neighbours unchanged) is this alike, at least
CONTEXT_MIN = 0.6  # the context of a winner agrees at least this much (where context is known)
CARRIED = 0.9  # a passage found only in new text moved there when the text on one side of it came along this much
MARGIN = 0.15  # the winner's score over the runner-up's, at least
LOOKALIKE = 0.75  # without context, no other place may be this close to the quote
PLAIN_WORDS = 0.8  # and keep at least this share of the quote's words (a near twin changes more)
NAME_RESPELT = 85  # a name changed this little (rapidfuzz's ratio, 0..100), by one letter, is respelt, not another name
# (two letters next to each other swapped, the same letters, is respelt too: see `_respelt`)
PLAIN_MIN = 0.85  # a fuzzy candidate's quote similarity when no context can confirm it
_SENTENCE_END = (".", "!", "?", ":", ";", "。", "！", "？")
_CLOSING = "\"'”’)]»"
LOOK_ALIKE_BEHIND = 85  # rapidfuzz's partial ratio (0..100) at which what follows a passage's old left neighbour reads like it
SLACK = 50  # words of the common start and end still aligned by longest runs (a twin may sit there)
_WORD = re.compile(f"[{UNSPACED}]|[^\\s{UNSPACED}]+")  # a run of non-space characters; in a script written
# without spaces (Chinese, Japanese, Thai…) each character is one (a character there carries about a word)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What became of a passage: `same` (the fields still anchor there), `moved`, `edited` or `orphaned`."""

    status: str
    start: int = -1  # normalised offsets in the new text; -1 when orphaned
    end: int = -1
    kept: float = 0.0  # share of the quote's words that are unchanged at the new place
    runner_up: str = ""  # the next best place, said in words (for the reason)
    how: str = ""  # "history" or "text": which way found it
    scores: str = ""  # quote, prefix, suffix, position scores of the winner, said in words
    final: bool = False  # orphaned for a reason a search of the text would meet too: do not search


@dataclass(frozen=True, slots=True)
class Fields:
    """The fields of an annotation that choose its passage."""

    quote: str
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None


_PUNCT = ".,;:!?\"'()[]{}…—–-"  # what may stand around a word without changing it


_UNSPACED_CHAR = re.compile(f"[{UNSPACED}]")


def words(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every run of non-space characters in text[lo:hi]."""
    return [m.span() for m in _WORD.finditer(text, lo, len(text) if hi is None else hi)]


def short(quote: str) -> bool:
    """Whether a quote is too short to be matched but exactly (a character of a script written without
    spaces counts as two and a half: about a word's worth)."""
    q = normalise(quote).strip(" ")
    tokens = _WORD.findall(q)
    unspaced = sum(len(t) == 1 and _UNSPACED_CHAR.match(t) is not None for t in tokens)
    return len(q) + 1.5 * unspaced < SHORT or len(tokens) < 4


def tokens(text: str) -> list[str]:
    """The words of a text as `words` splits it."""
    return _WORD.findall(text)


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _side_scores(text: str, s: int, e: int, before: str | None, after: str | None) -> tuple[float | None, float | None]:
    """How much the text before and after [s, e) agrees with the known context (None: unknown)."""
    pre = suf = None
    if before and before.strip(" "):  # no text at all on a side (the start or end): that side is unknown
        want = before.strip(" ")
        got = text[max(0, s - len(want) - 1) : s].rstrip(" ")[-len(want) :]
        pre = similarity(want, got) if got else None
    if after and after.strip(" "):
        want = after.strip(" ")
        got = text[e : e + len(want) + 1].lstrip(" ")[: len(want)]
        suf = similarity(want, got) if got else None
    return pre, suf


def context_score(text: str, s: int, e: int, before: str | None, after: str | None) -> float | None:
    """How well the text around [s, e) agrees with the context known (None: no context known)."""
    return _context(*_side_scores(text, s, e, before, after))


def _context(pre: float | None, suf: float | None) -> float | None:
    known = [x for x in (pre, suf) if x is not None]
    return sum(known) / len(known) if known else None


# ---------------------------------------------------------------- carrying a passage across an edit


class Alignment:
    """The old text's words matched to the new text's, longest common runs first."""

    def __init__(self, old: str, new: str, lines: LineEdit | None = None):
        self.old, self.new = old, new
        self.lines = lines  # the line edit between the source lines of either version (None: unknown)
        self.ow, self.nw = words(old), words(new)
        self.forward: dict[int, int] = {}  # old word -> new word, for words kept
        self.groups: list[tuple[int, int, int, int]] = []  # (old from, old to, new from, new to) of changed runs
        run = None
        # difflib matches the longest common run of words first, then recurses on either side: with
        # repeated phrases it keeps a sentence whole where a shortest edit script would interleave copies
        a, b = [old[s:e] for s, e in self.ow], [new[s:e] for s, e in self.nw]
        head = 0  # the words both texts start and end with are matched as they are: most edits are local
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        head, tail = max(0, head - SLACK), max(0, tail - SLACK)  # near the edit, longest runs decide
        middle = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
        ops = [("equal", 0, head, 0, head)] if head else []
        ops += [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in middle.get_opcodes()]
        ops += [("equal", len(a) - tail, len(a), len(b) - tail, len(b))] if tail else []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                if run:
                    self.groups.append(tuple(run))
                    run = None
                for d in range(i2 - i1):
                    self.forward[i1 + d] = j1 + d
            elif run is None:
                run = [i1, i2, j1, j2]
            else:
                run[1], run[3] = max(run[1], i2), max(run[3], j2)
        if run:
            self.groups.append(tuple(run))
        self.backward = {v: k for k, v in self.forward.items()}

    def word_range(self, s: int, e: int, old: bool) -> tuple[int, int] | None:
        """First and last word index touching the character span [s, e)."""
        ws = self.ow if old else self.nw
        i = next((k for k, (a, b) in enumerate(ws) if b > s), None)
        j = next((k for k in range(len(ws) - 1, -1, -1) if ws[k][0] < e), None)
        return None if i is None or j is None or j < i else (i, j)

    def _place(self, k: int, at_end: bool) -> int | None:
        """The new word index of old word k: its match, else its place inside a changed run."""
        if k in self.forward:
            return self.forward[k]
        for a, b, c, d in self.groups:
            if a <= k < b and d > c:
                frac = (k - a + (1 if at_end else 0)) / (b - a)
                idx = c + int(round(frac * (d - c))) - (1 if at_end else 0)
                return min(max(idx, c), d - 1)
        return None

    def foreign(self, s: int, e: int, qi: int, qj: int) -> bool:
        """Whether most words of the new span [s, e) were already in the old text outside words qi..qj
        (then it is another passage that was there all along, not this one moved)."""
        span = self.word_range(s, e, False)
        if span is None:
            return False
        elsewhere = sum(1 for k in range(span[0], span[1] + 1) if k in self.backward and not qi <= self.backward[k] <= qj)
        return elsewhere * 2 > span[1] - span[0] + 1

    def added(self, s: int, e: int) -> bool:
        """Whether most words of the new span [s, e) were not in the old text at all (the edit wrote them)."""
        span = self.word_range(s, e, False)
        if span is None:
            return False
        new = sum(1 for k in range(span[0], span[1] + 1) if k not in self.backward)
        return new * 2 > span[1] - span[0] + 1

    def _same_neighbours(self, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether the word just before old words qi..qj and the one just after are the same words
        just before and after new words ni..nj."""
        ow, nw, old, new = self.ow, self.nw, self.old, self.new

        def word(ws, text, k):
            return text[ws[k][0] : ws[k][1]] if 0 <= k < len(ws) else None

        return word(ow, old, qi - 1) == word(nw, new, ni - 1) and word(ow, old, qj + 1) == word(nw, new, nj + 1)

    def _rival(self, quote: str, qi: int, qj: int, ni: int, nj: int, near: int = 3) -> bool:
        """Whether another copy of the quote in the new text has the passage's old `near` words on one
        side, where the place carried to has not: sentences that share the word beside the quote (", the
        first officer" and ", the second officer") changed places, and the history cannot tell them apart.
        (Asked of 3 words and of RIVAL_WORDS: paragraphs alike up to the sixth word before the quote.)"""
        ow, nw, old, new = self.ow, self.nw, self.old, self.new

        def side(ws, text, i, j, step):
            ks = [i - d for d in range(1, near + 1)] if step < 0 else [j + d for d in range(1, near + 1)]
            return tuple(text[ws[k][0] : ws[k][1]] if 0 <= k < len(ws) else None for k in ks)

        wanted = (side(ow, old, qi, qj, -1), side(ow, old, qi, qj, 1))
        here = (side(nw, new, ni, nj, -1), side(nw, new, ni, nj, 1))
        at = new.find(quote)
        while at != -1:
            span = self.word_range(at, at + len(quote), False)
            if span is not None and span != (ni, nj):
                there = (side(nw, new, *span, -1), side(nw, new, *span, 1))
                if any(there[k] == wanted[k] != here[k] and None not in wanted[k] for k in (0, 1)):
                    return True
            at = new.find(quote, at + 1)
        return False

    def _same_word(self, k: int, candidates) -> int | None:
        """The first new word among `candidates` that is old word k with other punctuation around it."""
        core = self.old[self.ow[k][0] : self.ow[k][1]].strip(_PUNCT)
        for c in candidates:
            if core and self.new[self.nw[c][0] : self.nw[c][1]].strip(_PUNCT) == core:
                return c
        return None

    def _look_alike_behind(self, quote: str, qi: int, qj: int, ni: int, nj: int, scattered: bool) -> bool:
        """Whether the word that came before old words qi..qj, in the passage's sentence, now leads to a place
        that reads almost like the quote, other than the place new words ni..nj carried to. Text is read forward:
        when the old left neighbour is followed by a near copy of the passage (edited, say), a copy of its old words further
        on (a pull quote, a correction quoting the old wording) that took the alignment, or that a search
        of the text would find, is a look-alike. (`scattered`: the passage's words went to two places; then
        it counts only where its old words stand whole elsewhere, which a search would pick.)"""
        pb = self.forward.get(qi - 1)
        n = qj - qi + 1
        if pb is None or (ni == pb + 1 and not scattered):
            return False
        left = self.old[self.ow[qi - 1][0] : self.ow[qi - 1][1]].rstrip(_CLOSING)
        if left.endswith(_SENTENCE_END) or self.old[self.ow[qi][0]].isupper():
            return False  # the passage began a sentence (or a heading's line): a near twin inserted before it is no sign
        if scattered:
            lo, hi = pb + 1, min(pb + n, len(self.nw) - 1)  # as many words as it had
        elif ni > pb:
            lo, hi = pb + 1, ni - 1
        else:  # carried to before its old neighbour: what the neighbours now hold
            pa = self.forward.get(qj + 1)
            if pa is None:
                return False
            lo, hi = pb + 1, pa - 1
        if hi < lo or hi - lo + 1 > 2 * n + 6:
            return False
        start, end = self.nw[lo][0], self.nw[hi][1]
        if scattered and not any(not start <= at < end for at in _occurrences(self.new, quote)):
            return False
        there = self.new[start:end]
        return len(there) >= 0.75 * len(quote) and fuzz.partial_ratio(quote.lower(), there.lower()) >= LOOK_ALIKE_BEHIND

    def _in_a_kept_line(self, os: int, oe: int, qi: int, qj: int) -> Resolution | None:
        """The passage [os, oe) (old words qi..qj) where it stands in its source line, when that line is surely kept
        as it was (every cheapest line edit keeps it, and its text stands once in either version); else None."""
        if self.lines is None:
            return None
        old_lines, new_lines = self.lines.old, self.lines.new
        line = old_lines.line_of(self.ow[qi][0])
        there = self.lines.surely_kept(self.ow[qi][0])
        if there is None or old_lines.line_of(self.ow[qj][0]) != line:
            return None
        starts_o, starts_n = [w[0] for w in self.ow], [w[0] for w in self.nw]
        o0, o1 = bisect.bisect_left(starts_o, old_lines.starts[line]), qj + 1
        n0 = bisect.bisect_left(starts_n, new_lines.starts[there])
        ni, nj = n0 + qi - o0, n0 + qj - o0
        if nj >= len(self.nw) or any(self.old[slice(*self.ow[k])] != self.new[slice(*self.nw[n0 + k - o0])] for k in range(o0, o1)):
            return None
        ns, ne = self.nw[ni][0] + os - self.ow[qi][0], self.nw[nj][1] - (self.ow[qj][1] - oe)
        return Resolution("moved", ns, ne, 1.0, how="history", scores="its line is kept as it was")

    def carry(self, os: int, oe: int) -> Resolution:
        """The passage [os, oe) of the old text, carried to the new text."""
        old, new, ow, nw, fwd = self.old, self.new, self.ow, self.nw, self.forward
        span = self.word_range(os, oe, True)
        if span is None:
            return Resolution("orphaned", how="history")
        qi, qj = span
        sure = self._in_a_kept_line(os, oe, qi, qj)
        if sure is not None:
            return sure
        kept = sum(1 for k in range(qi, qj + 1) if k in fwd) / (qj - qi + 1)
        ni, nj = self._place(qi, False), self._place(qj, True)
        if ni is None or nj is None or nj < ni:
            inside = [fwd[k] for k in range(qi, qj + 1) if k in fwd]
            if not inside:
                return Resolution("orphaned", how="history")
            ni, nj = min(inside), max(inside)
        if qj not in fwd:  # its last word changed: where only punctuation after it did ("work." -> "work; and"),
            nj = self._same_word(qj, range(nj, ni - 1, -1)) or nj  # end on that word, not on "and" (nor on words appended)
        if qi not in fwd:
            ni = self._same_word(qi, range(ni, min(nj, ni + 3) + 1)) or ni
        before = range(max(0, qi - NEAR), qi)
        after = range(qj + 1, min(len(ow), qj + 1 + NEAR))
        near_ok = sum(1 for k in before if fwd.get(k) == ni - (qi - k)) + sum(1 for k in after if fwd.get(k) == nj + (k - qj))
        near_all = len(before) + len(after)
        near = near_ok / near_all if near_all else 1.0
        # a quote may begin or end inside a word: leave out what it left out (a word kept, or the same
        # punctuation on a word that changed)
        cut_head, cut_tail = old[ow[qi][0] : os], old[oe : ow[qj][1]]
        head = len(cut_head) if qi in fwd or new[nw[ni][0] : nw[ni][1]].startswith(cut_head) else 0
        tail = len(cut_tail) if qj in fwd or new[nw[nj][0] : nw[nj][1]].endswith(cut_tail) else 0
        # an end word that only gained other punctuation ("work." quoted as "work", now "work;"): as quoted
        quoted, now = old[ow[qj][0] : oe], new[nw[nj][0] : nw[nj][1]]
        if qj not in fwd and quoted and now.startswith(quoted) and now.strip(_PUNCT) == quoted.strip(_PUNCT):
            tail = len(now) - len(quoted)
        quoted, now = old[os : ow[qi][1]], new[nw[ni][0] : nw[ni][1]]
        if qi not in fwd and quoted and now.endswith(quoted) and now.strip(_PUNCT) == quoted.strip(_PUNCT):
            head = len(now) - len(quoted)
        ns, ne = nw[ni][0] + head, nw[nj][1] - tail
        if ne <= ns:
            return Resolution("orphaned", kept=kept, how="history")
        quote = old[os:oe]
        if old.count(quote) > 1 and (not self._same_neighbours(qi, qj, ni, nj) or self._rival(quote, qi, qj, ni, nj)
                                     or self._rival(quote, qi, qj, ni, nj, RIVAL_WORDS)):
            # look-alikes (a list of the same line, say), and the words right beside this one changed:
            # the alignment may have paired it with a look-alike, so the history cannot tell which one
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up=f"its words occurred {old.count(quote)} times and the words beside it changed, "
                                        "so the history cannot tell which one it is")
        if self.lines is not None and self.lines.copy_of_rewritten(ow[qi][0], nw[ni][0]):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its paragraph was copied elsewhere and the original rewritten (or rewritten, with its "
                                        "old words put back elsewhere): either place fits, so the history cannot tell which it is")
        scattered = nj - ni > 1.5 * (qj - qi + 1) + 2  # its words spread over a longer stretch: not a place
        if self._look_alike_behind(quote, qi, qj, ni, nj, scattered):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="the words that came before it now lead to a place that reads almost like it, "
                                        "and a copy of its old words stands elsewhere (a pull quote, or a correction quoting "
                                        "the old wording), so the history cannot tell which one it is")
        if scattered:
            return Resolution("orphaned", kept=kept, how="history", runner_up="its words are scattered in the new text")
        if new[ns:ne] != quote and old.count(new[ns:ne]) > 1:
            # what is left at the place stood more than once before ("Officials said the minister was lying."
            # deleted from a list of "… said the minister was lying."): the alignment may have kept another copy
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up=f"what is left of it at the place (\"{new[ns:ne]}\") stood {old.count(new[ns:ne])} "
                                        "times in the old text, so the history cannot tell which one it was")
        if new[ns:ne] == quote and kept == 1.0 and nj - ni == qj - qi:
            return Resolution("moved", ns, ne, 1.0, how="history", scores=f"neighbours kept {near:.0%}")
        # its neighbours still beside it, or (when they were rewritten too) most of its own words, in
        # order and close together, where the alignment puts them
        compact = kept >= 0.75 and nj - ni <= qj - qi + 2
        alike = similarity(quote, new[ns:ne])
        if near == 1.0 and near_all >= 2 * NEAR and (kept < KEEP or alike < KEEP):
            if alike >= RESPELT and nj - ni == qj - qi and new[ns:ns + 2] == quote[:2]:
                # the same number of words, spelt almost the same and starting the same, between the same words:
                # a spelling fixed ("Kowalsky" -> "Kowalski"), which a short quote cannot survive any other way
                # ("Tuesday" -> "Thursday", "legal" -> "illegal" are other words: orphaned below)
                return Resolution("edited", ns, ne, kept, how="history", scores="neighbours kept 100%, the words respelt")
            # rewritten where it stands, between the same words: the passage is gone, whatever else now
            # quotes its old words (a correction, a denial) is another passage
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up=f"it was rewritten where it stood ({kept:.0%} of its words are left there, "
                                        "between the same words): the passage it was written for is gone")
        if kept < KEEP or alike < KEEP or (near < 0.5 and not compact) or (short(quote) and near < 1.0):
            return Resolution("orphaned", kept=kept, how="history",
                              runner_up=f"{kept:.0%} of its words are left at the place, {near:.0%} of its neighbours")
        return Resolution("edited", ns, ne, kept, how="history", scores=f"neighbours kept {near:.0%}")


# ---------------------------------------------------------------- searching the new text alone


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _windows(text: str, lo: int, hi: int, needle: str) -> list[tuple[float, int, int, float]]:
    """(similarity, start, end, rank) of the best word-bounded window at each word start (rank: the
    similarity, and a little more for ending and starting as the quote does)."""
    toks = words(text, lo, hi)
    parts = tokens(needle)
    n, first, last = len(parts), parts[0], parts[-1]
    out = []
    for i in range(len(toks)):
        best, rank = None, -1.0
        for size in range(max(1, n - 2), n + 3):
            j = i + size - 1
            if j >= len(toks):
                break
            s, e = toks[i][0], toks[j][1]
            while e > s + 1 and needle[-1].isalnum() and not text[e - 1].isalnum():
                e -= 1  # punctuation the quote does not end with
            while s < e - 1 and needle[0].isalnum() and not text[s].isalnum():
                s += 1
            score = similarity(needle, text[s:e])
            # among near-equal windows, the one that ends (starts) on the quote's own last (first) word:
            # "summer, officials said." is "summer, a department spokesperson said.", not "summer, a"
            edges = 0.04 * (text[s:e].endswith(last)) + 0.04 * (text[s:e].startswith(first)) + \
                0.1 * (needle[-1] in ".!?" and text[e - 1] == needle[-1])  # a quoted sentence ends as one
            if score + edges > rank:
                best, rank = (score, s, e, score + edges), score + edges
        if best and best[0] >= QUOTE_MIN - 0.2:
            out.append(best)
    return out


def _places(windows: list[tuple[float, int, int, float]]) -> list[tuple[float, int, int]]:
    """One window per place: the most quote-like of those that overlap (its ends are the quote's
    ends; the context then scores the place, never the choice of its ends)."""
    out: list[tuple[float, int, int]] = []
    for w in sorted(windows, key=lambda w: (-w[3], w[1])):
        if all(w[2] <= o[1] or w[1] >= o[2] for o in out):
            out.append(w[:3])
    return out


def search(norm: NormText, lo: int, hi: int, quote: str, before: str | None, after: str | None,
           where: float | None = None, foreign=None, was_repeated: bool = False) -> Resolution:
    """The one place in [lo, hi) that is clearly the passage, or orphaned.

    `before`/`after`: the context known (the old text around the passage, or prefix/suffix);
    `where`: the passage's old relative position (0..1), a tie-breaker only; `foreign(s, e)`: with
    history, whether a place is another passage that was already there (never a candidate);
    `was_repeated`: the quote had repeats when written (then, without context, nothing is certain)."""
    text = norm.text
    needle = normalise(quote).strip(" ")
    if not needle:
        return Resolution("orphaned", how="text")
    how = "text" if foreign is None else "history"
    exact = [(1.0, s, s + len(needle)) for s in find_all(norm, needle, lo, hi)]
    candidates = exact
    if not exact:
        if short(needle):
            return Resolution("orphaned", how=how, runner_up="the quote is not in the text, and a short quote is only matched exactly")
        candidates = _places(_windows(text, lo, hi, needle))
    if foreign is not None:
        candidates = [c for c in candidates if not foreign(c[1], c[2])]
    scored = []
    span = max(hi - lo, 1)
    for q, s, e in candidates:
        pre, suf = _side_scores(text, s, e, before, after)
        ctx = _context(pre, suf)
        pos = None if where is None else 1.0 - min(1.0, abs((s - lo) / span - where))
        total = (q if ctx is None else 0.5 * q + 0.5 * ctx) + 0.02 * (pos or 0.0)
        scored.append((total, q, pre, suf, pos, s, e))
    scored.sort(key=lambda t: (-t[0], t[5]))
    if not scored:
        return Resolution("orphaned", how=how, runner_up="no place in the text is close to the quote")
    best = scored[0]
    rivals = [t for t in scored[1:] if t[6] <= best[5] or t[5] >= best[6]]  # places apart from the winner
    second = rivals[0] if rivals else None
    total, q, pre, suf, pos, s, e = best
    runner = f"runner-up: {_say(second)}" if second else "no runner-up"
    ctx = _context(pre, suf)
    # the same words, once, in text that is new: the passage moved there, when the text that stood on one
    # side of it came along (a copy in a new sentence, a correction quoting the old words, is not it)
    identity = (foreign is not None and q == 1.0 and len(exact) == 1 and second is None and not short(needle)
                and max(pre or 0.0, suf or 0.0) >= CARRIED)
    reason = None
    if q < QUOTE_MIN:
        reason = "nothing in the text is close enough to the quote"
    elif q < 1.0 and short(needle):
        reason = "a short quote is only matched exactly"
    elif identity:
        reason = None  # the same words, once, and not a passage that was there before: this one, moved
    elif ctx is None and (was_repeated or len(exact) > 1):
        reason = "nothing tells the repeats apart (no prefix, suffix or history)"
    elif ctx is None and second is not None and second[1] >= LOOKALIKE:
        reason = "another place reads almost the same, and nothing around them tells them apart"
    elif ctx is None and (q < PLAIN_MIN or _kept_words(needle, text[s:e]) < PLAIN_WORDS):
        reason = "the words changed, and nothing around them confirms the place (no prefix, suffix or history)"
    elif ctx is None and (changed := _names_changed(needle, text[s:e])):
        reason = (f"a name or number differs ({changed}), and nothing around it confirms the place (no prefix, "
                  "suffix or history): it may be another event told in the same words")
    elif ctx is not None and ctx < CONTEXT_MIN:
        reason = "the text around it is not the text around the passage"
    elif second is not None and total - second[0] < MARGIN:
        reason = "two places fit almost equally well"
    if reason:
        return Resolution("orphaned", kept=q, runner_up=f"{reason}; best: {_say(best)}; {runner}", how=how, scores=_say(best))
    status = "moved" if q == 1.0 else "edited"
    return Resolution(status, s, e, _kept_words(needle, text[s:e]), runner, how, _say(best))


_TOKEN = re.compile(r"[$£€¥%]|\w+(?:[.,'’-]\w+)*")
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy "
                                                                                "eighty ninety".split(), 2)}
_ORDINALS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                                         "twelfth".split(), 1)}
_SAME = ({m[:3]: m for m in "january february march april may june july august september october november december".split()}
         | {d[:3]: d for d in "monday tuesday wednesday thursday friday saturday sunday".split()}
         | {"sept": "september", "tues": "tuesday", "thur": "thursday", "thurs": "thursday", "st": "saint", "mt": "mount",
            "million": "e6", "m": "e6", "mn": "e6", "billion": "e9", "bn": "e9", "b": "e9", "thousand": "e3", "k": "e3",
            "trillion": "e12", "tn": "e12", "percent": "%", "cent": "%"})
_TITLES = frozenset("mr mrs ms mx miss dr prof sir dame rev gen sen rep gov lt col capt sgt".split())  # "Mr Smith" is "Smith"
# a number written with "hundred" or "thousand" ("a hundred", "two thousand") is that figure ("100", "2000"); "a
# million" is "1 million" (as "5 million" is "5", "million"); country names in full are their initials
_MULTIPLE = re.compile(r"(?<![\w'’-])(a|an|%s|\d+)[ -](hundred|thousand|million|billion|trillion)\b" % "|".join(
    w for w in _NUMBER_WORDS if w != "zero"), re.IGNORECASE)
_INITIALS = re.compile(r"\bUnited (States|Kingdom|Nations)\b")
_NUMERALS = "〇零一二三四五六七八九十百千万萬两兩"
_NUMERAL_RUN = re.compile(f"[{_NUMERALS}]+")
_UNIT = re.compile(r"(\d[\d,.]*)([a-z]+)$")


def _canonical(word: str) -> list[str]:
    """A word as the names-and-numbers rule compares it, in one piece or two: lower-cased, numbers as digits
    without separators ("forty-one", "41"; "1,400", "1400"), ordinals alike ("third", "3rd"), a number and
    its unit apart ("5km": "5", "km"), short names in full ("Jan", "january"; "St", "saint"; "m", "million")."""
    w = word.lower()
    if not w[:1].isdigit():
        w = w.replace(".", "")  # "U.S." is "US"
    else:
        w = w.replace("'", "").replace("’", "")  # "1990's" is "1990s"
    parts = w.split("-")
    if all(p in _NUMBER_WORDS for p in parts) and len(parts) <= 2:
        return [str(sum(_NUMBER_WORDS[p] for p in parts))]
    if len(parts) > 1:  # "Saint-Denis" is "Saint Denis", "2019-20" is "2019–20"
        return [c for p in parts if p for c in _canonical(p)]
    if w in _ORDINALS:
        return [str(_ORDINALS[w])]  # "third", "3rd" and "3" are one figure ("3rd May", "3 May")
    ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    if ordinal:
        return [str(int(ordinal.group(1)))]
    if re.fullmatch(r"\d*0s", w):  # a decade ("90s", "1990s"), not a number and its unit
        return [w]
    unit = _UNIT.match(w)
    if unit:
        return [unit.group(1).replace(",", ""), _SAME.get(unit.group(2), unit.group(2))]
    if w[:1].isdigit():
        return [w.replace(",", "")]
    return [_SAME.get(w, w)]


def _spelled(text: str) -> str:
    """Figures said with "hundred" or "thousand" as digits ("a hundred": "100"), "a million" as "1 million";
    "United States", "United Kingdom", "United Nations" as "US", "UK", "UN" (as "U.S." reads)."""
    def figure(m: re.Match) -> str:
        count, scale = m.group(1).lower(), m.group(2).lower()
        n = 1 if count in ("a", "an") else _NUMBER_WORDS.get(count) or int(count)
        return str(n * (100 if scale == "hundred" else 1000)) if scale in ("hundred", "thousand") else f"{n} {scale}"

    text = _MULTIPLE.sub(figure, text)
    return _INITIALS.sub(lambda m: "U" + m.group(1)[0].upper(), text)


def _respelt(a: str, b: str) -> bool:
    """Whether name b is name a respelt, not another name: one letter added, dropped or changed in a name long
    enough that it is still most of it ("Jon", "John"; not "Iraq", "Iran"), or two letters next to each other
    swapped ("Jonh", "John": the same letters, a slip of the fingers; not "Austria", "Australia"). Never a figure
    ("1950", "1905")."""
    if any(c.isdigit() for c in a + b):
        return False
    if Levenshtein.distance(a, b) <= 1:
        return fuzz.ratio(a, b) >= NAME_RESPELT
    return len(a) >= 4 and sorted(a) == sorted(b) and OSA.distance(a, b) == 1


def _decade(short: str, full: str) -> bool:
    """Whether a decade written short is the one written in full ("'90s", "1990s"): house style, not another figure."""
    return re.fullmatch(r"\d0s", short) is not None and re.fullmatch(r"1\d\d0s|20\d0s", full) is not None and full[2:] == short


def _arabic(text: str) -> str:
    """Chinese numerals written as digits (十四: 14, 二十: 20), full-width digits as plain ones."""
    def value(run: str) -> str:
        digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "兩": 2}
        if all(c in digits for c in run):  # 二〇二四: 2024
            return "".join(str(digits[c]) for c in run)
        total, current = 0, 0
        for c in run:
            if c in digits:
                current = digits[c]
            else:
                unit = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}[c]
                total += (current or 1) * unit
                current = 0
        return str(total + current)
    return _NUMERAL_RUN.sub(lambda m: value(m.group()), unicodedata.normalize("NFKC", text))


def _names_changed(quote: str, passage: str) -> str:
    """The names and numbers that one of the two has and the other lacks, or has in another order, said
    "41 for 14"; "" when none, or when each changed one is only respelt ("Jon" for "John"). Names are
    words with a capital that does not start a sentence ("Leeds", "Friday", "iPod"; not "Mr"), numbers
    those with a digit, a currency or written in words ("fourteen" is "14", so "five" for "5" is no
    change). In a script written without spaces, where nothing is capitalised, any character changed
    (but numerals written otherwise). A fuzzy match without context that changed one of those may be
    another event told in the same words."""
    if _UNSPACED_CHAR.search(quote):
        a, b = _arabic(quote), _arabic(passage)
        ops = [op for op in Indel.opcodes(a, b) if op.tag != "equal"]
        gone = "".join(a[op.src_start : op.src_end] for op in ops)
        came = "".join(b[op.dest_start : op.dest_end] for op in ops)
        return f"{came or 'nothing'} for {gone or 'nothing'}" if gone.strip() or came.strip() else ""

    def keys(text: str) -> tuple[list, list, set]:  # (names, names starting a sentence, every word), canonical
        names, firsts, words = [], [], set()
        for m in _TOKEN.finditer(text):
            word = m.group()
            starts = text[: m.start()].rstrip(" \"'“‘(").rstrip()[-1:] in ("", ".", "!", "?", ":")
            for canon in _canonical(word):
                words.add(canon)
                if canon[:1].isdigit() or canon[:1] in "$£€¥" or canon[:1] == "e" and canon[1:].isdigit() or canon == "%":
                    names.append((canon, word))
                elif any(c.isupper() for c in word) and canon not in _TITLES:
                    (firsts if starts and word[0].isupper() else names).append((canon, word))
        return names, firsts, words

    names_a, firsts_a, words_a = keys(_spelled(quote))
    names_b, firsts_b, words_b = keys(_spelled(passage))
    set_a, set_b = {k for k, _ in names_a}, {k for k, _ in names_b}
    gone = {k: w for k, w in names_a if k not in set_b}
    new = {k: w for k, w in names_b if k not in set_a}
    if not (gone and new):  # a name that became a plain word ("the Government", "the government") is no change,
        gone = {k: w for k, w in gone.items() if k not in words_b}  # unless another name took its place
        new = {k: w for k, w in new.items() if k not in words_a}  # ("may" does not hide "March" for "May")
    # a capital that starts a sentence may be no name ("Some officials" for "Officials"); one put for
    # another there is ("Iraq said" for "Iran said")
    gone_first = {k: w for k, w in firsts_a if k not in words_b}
    new_first = {k: w for k, w in firsts_b if k not in words_a}
    if gone_first and new_first:
        gone |= gone_first
        new |= new_first
    respelt = {(g, n) for g in gone for n in new if _respelt(g, n) or _decade(g, n) or _decade(n, g)}
    for g, n in respelt:
        gone.pop(g, None)
        new.pop(n, None)
    if gone or new:
        return f"{', '.join(sorted(new.values())) or 'nothing'} for {', '.join(sorted(gone.values())) or 'nothing'}"
    order_a, order_b = [k for k, _ in names_a if k in set_b], [k for k, _ in names_b if k in set_a]
    if order_a != order_b:  # the same figures, swapped ("14 injured and 41 arrested")
        return f"{', '.join(w for k, w in names_b if k in set_a)} for {', '.join(w for k, w in names_a if k in set_b)}"
    return ""


def _say(t) -> str:
    """Scores of a candidate, in words: quote, before, after, position."""
    parts = [f"quote {t[1]:.0%}"]
    parts += [f"{name} {v:.0%}" for name, v in (("before", t[2]), ("after", t[3]), ("position", t[4])) if v is not None]
    return ", ".join(parts)


def _same_words(ta: list[str], tb: list[str]) -> int:
    return sum(op.src_end - op.src_start for op in Indel.opcodes(ta, tb) if op.tag == "equal")


def _kept_words(a: str, b: str) -> float:
    ta = tokens(a)
    return _same_words(ta, tokens(b)) / max(len(ta), 1)


def word_changes(quote: str, passage: str) -> str:
    """How a passage's words compare with the quote's: "90% of the quote's words are unchanged, 2 words
    added" (words added count too: all of the quote kept can still be a longer, other sentence)."""
    ta, tb = tokens(quote), tokens(passage)
    same = _same_words(ta, tb)
    added = len(tb) - same
    return f"{same / max(len(ta), 1):.0%} of the quote's words are unchanged" + \
        (f", {added} word{'s' if added != 1 else ''} added" if added else "")


# ---------------------------------------------------------------- the smallest change that anchors there


def _grow(text: str, at: int, limit: int, backwards: bool) -> list[str]:
    """Context of 1, 2, ... 8 words next to offset `at`, not past `limit`."""
    out = []
    if backwards:
        toks = words(text, max(limit, at - 400), at)
        for n in range(1, min(8, len(toks)) + 1):
            out.append(text[toks[-n][0] : at].strip(" "))
    else:
        toks = words(text, at, min(limit, at + 400))
        for n in range(1, min(8, len(toks)) + 1):
            out.append(text[at : toks[n - 1][1]].strip(" "))
    return out


def propose(norm: NormText, s: int, e: int, old: Fields, bounds: tuple[int, int], keep_quote: bool) -> Fields | None:
    """Fields that anchor exactly on [s, e) (normalised), changing as few of `old`'s as possible.

    The quote stays as written when `keep_quote` (it still reads the same); otherwise it becomes
    the text at the place."""
    text = norm.text
    lo, hi = bounds
    quote = old.quote if keep_quote else text[s:e]
    target = (norm.start(s), norm.end(e))

    def hits(f: Fields) -> bool:
        out = anchor(norm, f.quote, f.prefix, f.suffix, f.occurrence, bounds)
        return out.match is not None and (out.match.start, out.match.end) == target

    options: list[Fields] = [Fields(quote, old.prefix, old.suffix, old.occurrence),
                             Fields(quote, old.prefix, old.suffix, None)]
    plain = anchor(norm, quote, old.prefix, old.suffix, None, bounds)
    for k, c in enumerate(plain.candidates, 1):
        if (c.start, c.end) == target:
            options.append(Fields(quote, old.prefix, old.suffix, k))
    befores, afters = _grow(text, s, lo, True), _grow(text, e, hi, False)
    for p in befores:
        options.append(Fields(quote, p, old.suffix, None))
        options.append(Fields(quote, p, None, None))
    for x in afters:
        options.append(Fields(quote, old.prefix, x, None))
        options.append(Fields(quote, None, x, None))
    for p, x in zip(befores, afters):
        options.append(Fields(quote, p, x, None))
    bare = anchor(norm, quote, None, None, None, bounds)
    for k, c in enumerate(bare.candidates, 1):
        if (c.start, c.end) == target:
            options.append(Fields(quote, None, None, k))

    def cost(f: Fields) -> tuple:
        changed = sum(1 for a, b in ((f.prefix, old.prefix), (f.suffix, old.suffix), (f.occurrence, old.occurrence)) if a != b)
        return (changed, f.occurrence is not None, len(f.prefix or "") + len(f.suffix or ""))

    good = [f for f in options if hits(f)]
    return min(good, key=cost) if good else None
