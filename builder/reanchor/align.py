"""Carrying a passage across an edit: with the article as it was when the annotation was written (git),
the old text is aligned with the new one word by word and the passage carried across the alignment, or
orphaned where the history cannot tell which place it is. Pure functions on normalised texts: the result, a
`Resolution`, is in normalised offsets of the new text (search.py gives one too).
"""
from __future__ import annotations

import bisect
import re
import difflib
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..anchoring import clip, seen
from ..anchorhints import in_a_correction
from .likeness import LIGHT, PUNCT, answers_another_question, bare, elsewhere, gained, left_its_neighbours, occurrences, short, similarity, word_span, words
from .lines import LineEdit, Lines
from .names import figure_word, inflected, names_changed, year_put_in

NEAR = 4  # words next to a passage that must still be its neighbours for a carried edit
RIVAL_WORDS = 10  # look-alike places are told apart by this many words on a side, at most
KEEP = 0.5  # an edited passage keeps at least this share of its words
ALIKE_AS_WELL = 0.05  # a look-alike written elsewhere reads "almost as well" as the place: this much less alike, at most
RESPELT = 0.85  # a quote respelt where it stands (its neighbours unchanged) is this alike, at least
REWORDED_WORDS = 3  # words of weight beside a passage in its sentence, at least, for its sentence to be told reworded
SENTENCE_KEPT = 0.75  # of the rest of its sentence, the share a short quote reworded in its line keeps around it
SENTENCE_REST = 4  # words of its sentence beyond a passage, at least, for what became of them to tell anything
WEIGHTY = 4  # words of weight in a quote, at least, for the share of them kept at a place to tell another subject
_SENTENCE_END = (".", "!", "?", ":", ";", "…", "。", "！", "？")  # ("…": as "...", which ends with ".")
_CLOSING = "\"'”’)]»"
_OPENING = "\"'“‘([«"
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]»]* ")  # (in normalised text: a paragraph break is a space)
LOOK_ALIKE_BEHIND = 85  # rapidfuzz's partial ratio (0..100) at which what follows a passage's old left neighbour reads like it
SIDE = 20  # characters beside a sentence that stands once in either text that came along with it, on one side at least
CLOSED_UP = 90  # rapidfuzz's partial ratio (0..100) at which the text on either side of a sentence taken out stands side by side
REORDERED = 85  # rapidfuzz's token sort ratio (0..100) of a source line and the same line with its sentences re-ordered
LABEL = re.compile(r"\(?(?:[A-Z]?\d{1,3}|[a-z]|[ivx]{1,4})[.)]")  # a list item's label: "2.", "(b)", "iv)", "Q3."
REPLACED = 0.1  # an article keeping less than this share of its words (outside a passage) was replaced by another
EDGE_WRITTEN = 4  # words the edit wrote at a passage's edge, at most, read as standing for words it took out of it
SLACK = 50  # words of the common start and end still aligned by longest runs (a twin may sit there)
# pairs of equal words, one in either text, that difflib would look at (about 8 million a second here): an
# article of 30,000 words has some 10 million; one sentence pasted 3,000 times, 72 million (10 s, and minutes
# as it recurses). Beyond this, the words that make up more than 1% of the new text are not matched on their own
# (difflib's autojunk): seconds, not minutes, and a passage made only of them is orphaned, not placed.
MOST_PAIRS = 20_000_000


def _sentence(text: str, s: int, e: int) -> tuple[int, int, str]:
    """(start, end, text without the spaces at its ends) of the sentence or sentences of a normalised text around [s, e)."""
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, s)), default=0)
    k = e
    while k > s and text[k - 1] in ".!?" + _CLOSING:  # a passage that ends its sentence ('… in a hard year."'): the
        k -= 1  # sentence ends with it, not with the next one
    end = _SENTENCE_BREAK.search(text, k)
    stop = end.start() + 1 if end else len(text)
    return start, stop, text[start:stop].strip(" ")


def _weighty_beside(text: str, lines: Lines, s: int, e: int) -> list[str]:
    """The words of weight (not LIGHT) beside [s, e) in its sentence, read within its source line (a heading before it
    has no full stop), bare."""
    a, b, _ = _sentence(text, s, e)
    k = lines.line_of(s)
    lo, hi = lines.starts[k], lines.starts[k + 1] if k + 1 < len(lines.starts) else len(text)
    out = [bare(t) for t in (text[max(a, lo) : s] + " " + text[e : min(b, hi)]).split()]
    return [w for w in out if any(c.isalnum() for c in w) and w.casefold() not in LIGHT]


def _unshared(a: str, b: str, head: bool) -> tuple[str, str]:
    """a and b without the words they begin with alike (`head`: the text before a passage, whose far end is its
    start), or end with alike (the text after it): "Mayor Lena Ortiz said the", "Councillor Amir Khan said the" of
    "Who said what Mayor Lena Ortiz said the", "Who said what Councillor Amir Khan said the" (a heading runs into
    the sentence of the text compared)."""
    wa, wb = words(a), words(b)
    if not head:
        wa, wb = wa[::-1], wb[::-1]
    same = 0
    while same < min(len(wa), len(wb)) and a[slice(*wa[same])] == b[slice(*wb[same])]:
        same += 1
    rest = [ws[same:] if head else ws[same:][::-1] for ws in (wa, wb)]
    return tuple(text[ws[0][0] : ws[-1][1]] if ws else "" for ws, text in zip(rest, (a, b)))


def _named_apart(a: str, b: str) -> bool:
    """Whether the words that one of two texts has and the other lacks include a name or a figure (a capital or a
    digit: "Tom Reid", "9,800"): "he said" and "she said", "the mayor" and "the council" are told apart by none."""
    wa, wb = ({a[s:e] for s, e in words(a)}, {b[s:e] for s, e in words(b)})
    return any(any(c.isupper() or c.isdigit() for c in w) for w in wa ^ wb)


def _a_name(text: str) -> bool:
    """Whether a text is one word that names something: capitalised, and no word of the kind every sentence has ("City"
    of a table's row "City 22 points", not "The")."""
    ws = words(text)
    return len(ws) == 1 and text[:1].isupper() and bare(text).lower() not in LIGHT


def _stands(text: str, phrase: str, lo: int, hi: int) -> bool:
    """Whether `phrase` stands in `text` as whole words outside [lo, hi)."""
    for at in occurrences(text, phrase):
        end = at + len(phrase)
        whole = (at == 0 or not (text[at - 1].isalnum() and phrase[0].isalnum())) and (
            end == len(text) or not (text[end].isalnum() and phrase[-1].isalnum()))
        if whole and (end <= lo or at >= hi):
            return True
    return False


_HEADING = re.compile(r"#{1,6} ")  # a Markdown heading's source line ("## South")


_MARKS = str.maketrans(dict.fromkeys("'“”‘’„‚", '"'))
_GROUPED = re.compile(r"(?<=\d)[,\u202f\u00a0\u2009](?=\d{3}(?!\d))")  # a thousands separator: "1,500", "12 500"


def _pairs(a: list[str], b: list[str]) -> int:
    """How many pairs of equal words, one in a and one in b, there are (what difflib's matching loops over)."""
    counts = Counter(b)
    return sum(counts[w] for w in a)


def _typed(word: str) -> str:
    """A word as the alignment matches it: its quotation marks all alike and its figures without thousands separators
    (typography a house style changes: '"we' and "'we", "1,500" and "1500" are the same word), and as a reader sees it:
    a soft hyphen or zero-width space a CMS put in ("recon\u00adstruction") leaves it the same word."""
    return _GROUPED.sub("", (word if word.isascii() else seen(word)).translate(_MARKS))


_STAMP = re.compile(r"(?:\*\*|__)?\d{1,2}(?::\d{2}(?: ?[ap]\.?m\.?)?|\.\d{2} ?[ap]\.?m\.?)(?:\*\*|__)?")  # a live blog
# entry's time: "12:48", "**9:05 pm**", "2.10pm" (a point only with am or pm: "12.50" may be a price)


def _unlabelled(line: str) -> str:
    """A source line without the label or bullet of a list item, or the time stamp of an entry, that begins it
    ("2. Rovers …" -> "Rovers …", "12:48 Fuel duty …" -> "Fuel duty …")."""
    return re.sub(r"^(?:[-*+]|" + LABEL.pattern + "|" + _STAMP.pattern + r") +", "", line)


_INITIALS = re.compile(r"(?:\w\.){2,}|(?:Mr|Mrs|Ms|Dr|Prof|Rev|St|Mt|Sgt|Capt|Col|Gen|Lt|Det|Supt|Insp|Gov|Sen|Rep)\.")
# ("D.C.", "U.S.", "Dr.", "Gov.": a title before a name ends no sentence, "Governor" -> "Gov." keeps the passage whole)


def _ends_sentence(word: str) -> bool:
    """Whether a word ends a sentence: its last mark ends one, and it is no initials or title ("D.C. was cleared …")."""
    word = word.rstrip(_CLOSING)
    return word.endswith(_SENTENCE_END) and not (word.endswith(".") and _INITIALS.fullmatch(word.lstrip(_OPENING)))


def _told_anew(quote: str, passage: str) -> bool:
    """Whether fewer than half the words of weight (not LIGHT) of a quote of WEIGHTY words or more stand in the passage:
    "Police have arrested a 34-year-old man from Leeds." and "… a 43-year-old woman from Bradford." share a frame, not a
    subject (a figure corrected leaves the rest of its words: "At least 12 people were killed …" -> "At least 17 …")."""
    def weighty(text: str) -> list[str]:
        return [w for w in (bare(t).casefold() for t in text.split()) if any(c.isalnum() for c in w) and w not in LIGHT]

    was, now = weighty(seen(quote)), set(weighty(seen(passage)))
    return len(was) >= WEIGHTY and sum(1 for w in was if w in now) * 2 < len(was)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What became of a passage: `moved`, `edited` or `orphaned`."""

    status: str
    start: int = -1  # normalised offsets in the new text; -1 when orphaned
    end: int = -1
    kept: float = 0.0  # share of the quote's words that are unchanged at the new place
    runner_up: str = ""  # the next best place, said in words (for the reason)
    how: str = ""  # "history" or "text": which way found it
    scores: str = ""  # quote, prefix, suffix, position scores of the winner, said in words
    final: bool = False  # orphaned for a reason a search of the text would meet too: do not search
    repeats: bool = False  # orphaned only because its words stand more than once: a sentence that stands once may tell
    sure: bool = False  # its whole sentence (or line), once in either text, tells the place: no look-alike is as
    # much the passage


class Alignment:
    """The old text's words matched to the new text's, longest common runs first."""

    def __init__(self, old: str, new: str, lines: LineEdit | None = None, kept_outside: float | None = None):
        self.old, self.new = old, new
        self.lines = lines  # the line edit between the source lines of either version (None: unknown)
        self.kept_outside = kept_outside  # (one line aligned alone: how much of the article outside it is kept, _replaced)
        self.ow, self.nw = words(old), words(new)
        self.forward: dict[int, int] = {}  # old word -> new word, for words kept
        self.groups: list[tuple[int, int, int, int]] = []  # (old from, old to, new from, new to) of changed runs
        run = None
        # difflib matches the longest common run of words first, then recurses on either side: with
        # repeated phrases it keeps a sentence whole where a shortest edit script would interleave copies
        a, b = [_typed(old[s:e]) for s, e in self.ow], [_typed(new[s:e]) for s, e in self.nw]
        head = 0  # the words both texts start and end with are matched as they are: most edits are local
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        head, tail = max(0, head - SLACK), max(0, tail - SLACK)  # near the edit, longest runs decide
        ma, mb = a[head : len(a) - tail], b[head : len(b) - tail]
        middle = difflib.SequenceMatcher(None, ma, mb, autojunk=_pairs(ma, mb) > MOST_PAIRS)
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
        """First and last word index touching the character span [s, e), in the old text or the new."""
        return word_span(self.ow if old else self.nw, s, e)

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

    def copy_of_reworded(self, s: int, e: int, quote: str, qi: int) -> bool:
        """Whether the new span [s, e) is the quote word for word, out of the line the passage (old word qi) stood in,
        which was reworded where it stood: a pull quote, say, or the passage moved; either fits (`_reworded_in_place`)."""
        span = self.word_range(s, e, False)
        return span is not None and self.new[s:e] == quote and self._reworded_in_place(quote, qi, *span)

    def foreign(self, s: int, e: int, qi: int, qj: int) -> bool:
        """Whether most words of the new span [s, e) were already in the old text outside words qi..qj
        (then it is another passage that was there all along, not this one moved)."""
        span = self.word_range(s, e, False)
        if span is None:
            return False
        outside = sum(1 for k in range(span[0], span[1] + 1) if k in self.backward and not qi <= self.backward[k] <= qj)
        return outside * 2 > span[1] - span[0] + 1

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

    def _one_side_tells(self, quote: str, qi: int, qj: int, ni: int, nj: int, ns: int, ne: int, near: int = 3) -> bool:
        """Whether the quote, one of its look-alikes, stands word for word at new [ns, ne) (words ni..nj), with its old
        `near` words on one side kept there, words that stand beside no other copy of it in either text: a word
        appended or changed on the other side ("owned Westgate Holdings." -> "owned Westgate Holdings Ltd.") leaves the
        history sure which copy it is. Not when the word now on the other side is one that stood there beside another old
        copy: of two sentences that began alike, one deleted and the other reworded, either may be the one kept."""
        if self.new[ns:ne] != quote:
            return False
        ow, nw, old, new = self.ow, self.nw, self.old, self.new

        def side(ws, text, i, j, step):
            ks = [i - d for d in range(1, near + 1)] if step < 0 else [j + d for d in range(1, near + 1)]
            return tuple(bare(text[ws[k][0] : ws[k][1]]) if 0 <= k < len(ws) else None for k in ks)

        def others(text, ws, place, step):
            spans = (word_span(ws, at, at + len(quote)) for at in occurrences(text, quote))
            return [side(ws, text, *sp, step) for sp in spans if sp is not None and sp != place]

        for step in (-1, 1):
            kept = all(self.forward.get(k) == (ni - (qi - k) if step < 0 else nj + (k - qj))
                       for k in (range(qi - near, qi) if step < 0 else range(qj + 1, qj + 1 + near)))
            mine = side(ow, old, qi, qj, step)
            if kept and None not in mine and mine not in others(old, ow, (qi, qj), step) + others(new, nw, (ni, nj), step):
                beside = side(nw, new, ni, nj, -step)[0]
                return beside not in [o[0] for o in others(old, ow, (qi, qj), -step)]
        return False

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

    def _traded(self, quote: str, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether, within its sentence and RIVAL_WORDS words, a word beside the place new words ni..nj carried the
        passage (old words qi..qj) to is not the word that stood as far from the passage, but one that stood as far from
        another old copy of the quote, while the passage's old word now stands so beside another new copy: the two
        traded it ("3 killed in Leeds … 12 killed in York" -> "3 killed in York … 12 killed in Leeds"; speakers, figures).
        Then the edit may as well have moved the passage with its words, and the history cannot tell which copy it is.
        (A figure corrected to one that stands beside another copy is no trade: the old one is gone.)"""
        ow, nw, old, new = self.ow, self.nw, self.old, self.new

        def core(ws, text, k):
            return bare(text[ws[k][0] : ws[k][1]]) if 0 <= k < len(ws) else None

        def copies(text, ws, place):
            spans = (word_span(ws, at, at + len(quote)) for at in occurrences(text, quote))
            return [s for s in spans if s is not None and s != place]

        others_old, others_new = copies(old, ow, (qi, qj)), copies(new, nw, (ni, nj))
        for step in (-1, 1):
            for d in range(1, RIVAL_WORDS + 1):
                o, n = (qi - d, ni - d) if step < 0 else (qj + d, nj + d)
                if not (0 <= o < len(ow) and 0 <= n < len(nw)) or (step < 0 and _ends_sentence(old[ow[o][0] : ow[o][1]])):
                    break
                was, now = core(ow, old, o), core(nw, new, n)
                if was != now and now and was and (
                        any(core(ow, old, (a - d) if step < 0 else (b + d)) == now for a, b in others_old)
                        and any(core(nw, new, (a - d) if step < 0 else (b + d)) == was for a, b in others_new)):
                    return True
                if step > 0 and _ends_sentence(old[ow[o][0] : ow[o][1]]):
                    break
        return False

    def _figure_retold(self, os: int, oe: int, ns: int, ne: int, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether the passage (old [os, oe), words qi..qj), carried word for word to new [ns, ne) (words ni..nj),
        begins or ends with a figure, and what stands right beside that figure changed into more of a figure: digits,
        a sign, a scale glued or written beside it ("up to 3" in "up to 3 million", "500 people" in "1 500 people",
        "5 degrees" in "-5 degrees"; not "1990" in "1990 and is now a museum"). The quote still matches, but it may
        now give another number."""
        old, new = self.old, self.new
        quote = old[os:oe]
        if quote[:1].isdigit():
            if new[self.nw[ni][0] : ns].lstrip(_OPENING) != old[self.ow[qi][0] : os].lstrip(_OPENING):
                return True  # (a sign or digits glued before it)
            if ni > 0 and self.forward.get(qi - 1) != ni - 1 and figure_word(new[slice(*self.nw[ni - 1])]):
                return True
        if quote[-1:].isdigit():
            if new[ne : self.nw[nj][1]].rstrip(PUNCT) != old[oe : self.ow[qj][1]].rstrip(PUNCT) or (
                    new[ne : ne + 1] in ".," and new[ne + 1 : ne + 2].isdigit()):
                return True  # (decimals, a unit or a percent glued after it)
            if nj + 1 < len(self.nw) and self.forward.get(qj + 1) != nj + 1 and figure_word(new[slice(*self.nw[nj + 1])]):
                return True
        return False

    def _same_word(self, k: int, candidates, recased: bool = False) -> int | None:
        """The first new word among `candidates` that is old word k with other punctuation around it (`recased`: or
        another case, a sentence's first word now inside another: "Economists said" -> "why economists said")."""
        fold = str.casefold if recased else str
        core = fold(self.old[self.ow[k][0] : self.ow[k][1]].strip(PUNCT))
        for c in candidates:
            if core and fold(self.new[self.nw[c][0] : self.nw[c][1]].strip(PUNCT)) == core:
                return c
        return None

    def _where_its_line_went(self, os: int, oe: int, qi: int, qj: int) -> Resolution | None:
        """The passage (old [os, oe), words qi..qj) where its source line went, when that line stands word for word once
        in either version, the passage once in it, and nothing that reads like the passage was written where the line
        stood (a paragraph moved, or swapped with another, while a paragraph was put in beside: the word alignment may
        read the new paragraph as the old one rewritten). None otherwise."""
        if self.lines is None:
            return None
        old_lines, new_lines = self.lines.old, self.lines.new
        olds, news = [_unlabelled(t) for t in old_lines.texts], [_unlabelled(t) for t in new_lines.texts]  # (a list
        # item renumbered as one is put in above it: "(b) the applicant is over 18" -> "(c) the applicant is over 18")
        line = old_lines.line_of(self.ow[qi][0])
        text = olds[line]
        if old_lines.line_of(self.ow[qj][0]) != line or not text or olds.count(text) != 1 or news.count(text) != 1:
            return None
        there, quote = news.index(text), self.old[os:oe]
        if left_its_neighbours(olds, line, news, there):
            return None  # (a line of a few words traded with another, or each rewritten where it stood; an answer moved to another question)
        instead = self.lines.rewritten_into(self.ow[qi][0])
        if instead is not None and instead != there and fuzz.partial_ratio(quote, new_lines.texts[instead]) >= LOOK_ALIKE_BEHIND:
            return None  # (a look-alike where it stood: it moved, or was copied and edited; the rules below weigh it)
        (a, b), (c, d) = self.lines.span(line, True, len(self.old)), self.lines.span(there, False, len(self.new))
        if self.old.count(quote, a, b) != 1 or self.new.count(quote, c, d) != 1:
            return None
        at = self.new.index(quote, c, d)
        return Resolution("moved", at, at + len(quote), 1.0, how="history", scores="its paragraph moved whole", sure=True)

    def _look_alike_written_beside(self, quote: str, qi: int, qj: int, ni: int, nj: int, exact: bool = False) -> bool:
        """Whether, between where the words just before and after the passage (old words qi..qj) stand now, the edit
        wrote, besides the place new words ni..nj, a stretch of new words that reads almost like the quote: a sentence
        corrected where it stood with its old words copied beside it ("“… shortly before the fire.”"), which the
        alignment pairs with the copy. `exact`: the place reads as the quote, word for word; then a pull quote of those
        very words (a line of its own, in quotation marks) is a copy of the passage, no rival to it."""
        first = self.forward.get(qi - 1, -1 if qi == 0 else None)  # (the text's start or end: beside either end)
        last = self.forward.get(qj + 1, len(self.nw) if qj + 1 == len(self.ow) else None)
        if first is None or last is None:
            return False
        runs, run = [], []
        for k in range(first + 1, last):
            if ni <= k <= nj or k in self.backward:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append(k)
        runs += [run] if run else []
        for run in runs:
            if len(run) >= 0.6 * (qj - qi + 1):
                there = self.new[self.nw[run[0]][0] : self.nw[run[-1]][1]]
                if exact and self._pull_quote_of(quote, self.nw[run[0]][0]):
                    continue
                if fuzz.partial_ratio(quote, there) >= LOOK_ALIKE_BEHIND and fuzz.ratio(quote, there) >= LOOK_ALIKE_BEHIND:
                    return True
        return False

    def _pull_quote_of(self, quote: str, at: int) -> bool:
        """Whether the new source line holding the word at this offset is the quote alone, word for word, in quotation
        marks (a Markdown block quote's "> " aside): a pull quote of it."""
        if self.lines is None:
            return False
        line = self.lines.new.texts[self.lines.new.line_of(at)].removeprefix(">").strip(" ")
        marks = _OPENING + "\"'”’)]»"
        return len(line) > 2 and line[0] in marks and line[-1] in marks and line.strip(marks).casefold() == quote.strip(marks).casefold()

    def _twin_removed_beside(self, quote: str, qi: int, qj: int, now: str) -> bool:
        """Whether the words right before or after the passage (old words qi..qj), as many as it has, were all removed
        by the edit and read almost like it ("The BMA will hire 2,000 nurses. The NHS will hire 2,000 nurses." made
        "The National Health Service will hire 2,000 nurses."), or read like what now stands at the place (`now`) as
        well as the quote does, or better ("The first hearing was on 5 March. The second hearing was on 9 April." made
        "The second hearing was on 5 March.": the first taken out and the second's date corrected, or the first's
        ordinal changed and the second taken out): which twin was removed and which rewritten, the alignment's pairing
        does not tell."""
        n = qj - qi + 1
        for lo, hi in ((qj + 1, qj + n), (qi - n, qi - 1)):
            if lo < 0 or hi >= len(self.ow) or any(k in self.forward for k in range(lo, hi + 1)):
                continue
            there = self.old[self.ow[lo][0] : self.ow[hi][1]].lower()
            if fuzz.ratio(quote.lower(), there) >= LOOK_ALIKE_BEHIND or (
                    fuzz.ratio(now.lower(), there) >= max(LOOK_ALIKE_BEHIND, fuzz.ratio(now.lower(), quote.lower()) - 100 * ALIKE_AS_WELL)):
                return True
        return False

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
        if scattered and not any(not start <= at < end for at in occurrences(self.new, quote)):
            return False
        there = self.new[start:end]
        return len(there) >= 0.75 * len(quote) and fuzz.partial_ratio(quote.lower(), there.lower()) >= LOOK_ALIKE_BEHIND

    def _reworded_in_place(self, quote: str, qi: int, ni: int, nj: int) -> bool:
        """Whether the source line that held the passage (old word qi) was rewritten where it stood into a line that
        still reads almost like the quote, though not as it, while the quote stands whole elsewhere in the new text and
        new words ni..nj (where the alignment carried it, or a place a search found) are out of that line: a copy,
        a pull quote, say."""
        there = self.lines.rewritten_into(self.ow[qi][0]) if self.lines is not None else None
        if there is None or quote not in self.new or there in (self.lines.new.line_of(self.nw[ni][0]), self.lines.new.line_of(self.nw[nj][0])):
            return False
        line = self.lines.new.texts[there]
        names = {bare(w) for w in quote.split() if any(c.isupper() for c in w)}
        if any(not _stands(line, name, 0, 0) for name in names):
            return False  # (its line now names another: "Rovers, 42 points" -> "United, 43 points", rows re-sorted)
        if all(in_a_correction(self.new, at) for at in occurrences(self.new, quote)):
            return False  # (its old words stand only in a correction that quotes them as withdrawn: no copy of it)
        return quote not in line and fuzz.partial_ratio(quote.lower(), line.lower()) >= LOOK_ALIKE_BEHIND

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

    def _in_a_rewritten_line(self, os: int, oe: int, qi: int, qj: int) -> Resolution | None:
        """The passage [os, oe) where its words stand once in the line that every cheapest line edit rewrites its source
        line into, when they stood once in that line before: a figure corrected beside it in a paragraph of a template
        repeated per region, whose look-alikes cannot have taken it. Else None."""
        there = self.lines.surely_rewritten(os) if self.lines is not None else None
        line = self.lines.old.line_of(self.ow[qi][0]) if there is not None else None
        if there is None or self.lines.old.line_of(self.ow[qj][0]) != line:
            return None
        (a, b), (c, d), quote = self.lines.span(line, True, len(self.old)), self.lines.span(there, False, len(self.new)), self.old[os:oe]
        if not a <= os < oe <= b or self.old.count(quote, a, b) != 1 or self.new.count(quote, c, d) != 1:
            return None
        at = self.new.index(quote, c, d)
        return Resolution("moved", at, at + len(quote), 1.0, how="history", scores="its words stand once in its paragraph, rewritten around them")

    def _in_its_turned_sentence(self, os: int, oe: int) -> Resolution | None:
        """The passage [os, oe) where its words, once in the old text and once in the new, stand in a sentence that keeps
        SENTENCE_KEPT of the words of weight of the sentence they stood in, or more: that sentence turned round them
        ('She called the plan "deeply cynical" and walked out.' -> 'Walking out, she called the plan "deeply cynical".'),
        which the word alignment reads as words removed and others written. Else None."""
        quote = self.old[os:oe]
        if self.old.count(quote) != 1 or self.new.count(quote) != 1:
            return None
        at = self.new.index(quote)

        def weighty(text: str) -> list[str]:
            return [w for w in (bare(t).casefold() for t in text.split()) if any(c.isalnum() for c in w) and w not in LIGHT]

        was, now = weighty(_sentence(self.old, os, oe)[2]), set(weighty(_sentence(self.new, at, at + len(quote))[2]))
        if len(was) < WEIGHTY or sum(1 for w in was if w in now) < SENTENCE_KEPT * len(was):
            return None
        return Resolution("moved", at, at + len(quote), 1.0, how="history", scores="its sentence turned round its words")

    def _within_its_rewritten_line(self, os: int, oe: int, qi: int, qj: int) -> Resolution | None:
        """The passage [os, oe) carried by aligning its source line alone with the line that every cheapest line edit
        rewrites it into, when the alignment of the whole texts scattered it or put it in a look-alike line: lines of a
        template, each edited ("3. The valve of claim 2, wherein …" -> "4. The valve of claim 3, wherein …", a claim put
        in above and the references renumbered), whose words the whole alignment pairs with another line's. Else None."""
        there = self.lines.surely_rewritten(os) if self.lines is not None else None
        line = self.lines.old.line_of(self.ow[qi][0]) if there is not None else None
        if there is None or self.lines.old.line_of(self.ow[qj][0]) != line:
            return None
        (a, b), (c, d) = self.lines.span(line, True, len(self.old)), self.lines.span(there, False, len(self.new))
        out = Alignment(self.old[a:b], self.new[c:d], kept_outside=self._replaced(qi, qj))._carry(os - a, oe - a)
        if out.status == "orphaned":
            return None
        return Resolution(out.status, out.start + c, out.end + c, out.kept, how="history",
                          scores=f"{out.scores}, in the line its line was rewritten into")

    def _once_in_its_rewritten_line(self, os: int, oe: int, qi: int, qj: int) -> Resolution | None:
        """The passage [os, oe) carried within the line every cheapest line edit rewrites its source line into, when its
        words stood once in that line: its look-alikes stand in other lines, which cannot have taken it ("Applications
        close [on 30 April.]" -> "… on 30 April 2025.", while "Appeals close on 30 April." stays). Else None."""
        line = self.lines.old.line_of(self.ow[qi][0]) if self.lines is not None else None
        if line is None or self.lines.surely_rewritten(os) is None or self.lines.old.line_of(self.ow[qj][0]) != line:
            return None
        a, b = self.lines.span(line, True, len(self.old))
        if len(occurrences(self.old[a:b], self.old[os:oe])) != 1:
            return None
        return self._within_its_rewritten_line(os, oe, qi, qj)

    def _others_kept_whole(self, left: str, os: int, oe: int, ni: int, nj: int) -> bool:
        """Whether every place of the old text apart from the passage [os, oe) that read `left` was carried word for word
        to a place apart from new words ni..nj that reads it still: no copy of those words was lost, so the alignment
        cannot have taken another for this one ("Term starts [on 4 September.]" -> "… on 4 September 2025.", while "Term
        ends on 4 September next year" stays)."""
        for at in occurrences(self.old, left):
            if os <= at and at + len(left) <= oe:
                continue  # (its own words)
            span = self.word_range(at, at + len(left), True)
            if span is None or any(k not in self.forward for k in range(span[0], span[1] + 1)):
                return False
            x, y = self.forward[span[0]], self.forward[span[1]]
            if y - x != span[1] - span[0] or ni <= y and x <= nj or left not in self.new[self.nw[x][0] : self.nw[y][1]]:
                return False
        return True

    def _reworded_with_its_line(self, os: int, oe: int, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether a passage (old words qi..qj, new ni..nj) was reworded where it stood, its sentence kept around it: its
        source line is the one every cheapest line edit rewrites into the place's line (or this alignment is of that line
        alone), a word right beside it on one side still stands right beside it, and three in four of the other words of
        its sentence (SENTENCE_REST at least) stand about as far from it as before. A short quote's words changed with
        those before it ("described the rail plan as \"[deeply flawed]\" on Monday" -> "branded the rail plan
        \"[seriously flawed]\" on Monday"): nothing else in the text can be it. (The caller leaves out a name or figure
        changed: look-alike lines trade those, "gusts of 70mph" now the other region's.)"""
        if self.lines is not None:
            there = self.lines.surely_rewritten(os)
            line = self.lines.old.line_of(self.ow[qi][0])
            if there is None or self.lines.old.line_of(self.ow[qj][0]) != line or {
                    self.lines.new.line_of(self.nw[ni][0]), self.lines.new.line_of(self.nw[nj][0])} != {there}:
                return False
        elif self.kept_outside is None:
            return False
        fwd = self.forward
        if not (qi > 0 and fwd.get(qi - 1) == ni - 1 or qj + 1 < len(self.ow) and fwd.get(qj + 1) == nj + 1):
            return False
        a, b, _ = _sentence(self.old, os, oe)
        span = self.word_range(a, b, True)
        rest = [k for k in range(span[0], span[1] + 1) if not qi <= k <= qj] if span else []
        if len(rest) < SENTENCE_REST:
            return False
        lo, hi = ni - (qi - span[0]) - NEAR, nj + (span[1] - qj) + NEAR
        return sum(1 for k in rest if lo <= fwd.get(k, -1) <= hi) >= SENTENCE_KEPT * len(rest)

    def _said_otherwise(self, os: int, oe: int, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether less than KEEP of the words that stood beside the passage old [os, oe) (words qi..qj) in its own
        sentence (SENTENCE_REST of them at least) were carried to beside the place (new words ni..nj), as far from it
        as they stood, give or take NEAR words: "A police source, speaking on condition of anonymity, said the mayor's
        office had been briefed" deleted, "A council source, speaking on condition of anonymity, said the figures were
        wrong" written beside it. A look-alike saying another thing, not the passage corrected: a correction keeps the
        rest of its sentence (split in two, or run on, as may be)."""
        a, b, _ = _sentence(self.old, os, oe)
        span = self.word_range(a, b, True)
        if span is None:
            return False
        rest = [k for k in range(span[0], span[1] + 1) if not qi <= k <= qj]
        if len(rest) < SENTENCE_REST:
            return False
        lo, hi = ni - (qi - span[0]) - NEAR, nj + (span[1] - qj) + NEAR
        return sum(1 for k in rest if lo <= self.forward.get(k, -1) <= hi) < KEEP * len(rest)

    def _old_sentence(self, os: int, oe: int) -> tuple[int, int, str]:
        """(start, end, text without the spaces at its ends) of the old sentence or sentences around [os, oe)."""
        return _sentence(self.old, os, oe)

    def sentence_traded(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether the words beside the passage in its sentence (old [os, oe)) and those beside the place it was carried
        to (new [ns, ne)) traded sentences: on one side, the words now beside it stood, word for word, in another old
        sentence, and the words that stood beside it stand in another new sentence ("Tom Reid, won 9,800 votes" and
        "Sarah Mills, won 12,400 votes" -> "Tom Reid, won 12,400 votes" and "Sarah Mills, won 9,800 votes": the
        figure now belongs to another name). The history cannot tell that the passage stayed rather than moved with
        its sentence."""
        quote = self.old[os:oe].lstrip(_OPENING)
        if quote[:1].isupper() and _ends_sentence(quote):
            return False  # a sentence of its own: what stands before it in its line is a label ("Claim 3:"), not its words
        a, b, _ = _sentence(self.old, os, oe)
        c, d, _ = _sentence(self.new, ns, ne)
        for head, was, now in ((True, self.old[a:os], self.new[c:ns]), (False, self.old[oe:b], self.new[ne:d])):
            was, now = was.strip(" "), now.strip(" ")
            for x, y in dict.fromkeys(((was, now), _unshared(was, now, head))):
                if x != y and (min(len(words(x)), len(words(y))) >= 2 or _a_name(x) and _a_name(y)) and _named_apart(x, y) and \
                        _stands(self.old, y, a, b) and _stands(self.new, x, c, d):
                    return True
        return False

    def _section(self, lines: Lines, i: int, size: int) -> tuple[str, int, int] | None:
        """(heading, start, end) of the Markdown section holding source line i, under the nearest heading above it that
        stands once in either text: from that heading to the next of its level or higher (normalised offsets). None when
        there is none."""
        olds, news = self.lines.old.texts, self.lines.new.texts
        at, level = None, 7
        for k in range(i, -1, -1):  # the headings it stands under, nearest first ("## South", then "# Branches")
            if (m := _HEADING.match(lines.texts[k])) and m.end() - 1 < level:
                level = m.end() - 1
                if olds.count(lines.texts[k]) == 1 and news.count(lines.texts[k]) == 1:
                    at = k
                    break
        if at is None:
            return None
        end = next((k for k in range(at + 1, len(lines.texts)) if (m := _HEADING.match(lines.texts[k])) and m.end() - 1 <= level), None)
        return lines.texts[at], lines.starts[at], lines.starts[end] if end is not None else size

    def under_another_heading(self, os: int, oe: int, ns: int) -> bool:
        """Whether a passage whose words stood more than once (old [os, oe)) would be put, at new offset ns, under another
        Markdown heading than the one it stood under (the nearest that stands once in either text, "## South"): items
        re-ordered in each section read alike, and the copy under the other heading is another passage."""
        if self.lines is None or self.old.count(self.old[os:oe]) < 2:
            return False
        if (was := self._section(self.lines.old, self.lines.old.line_of(os), len(self.old))) is None:
            return False
        now = self._section(self.lines.new, self.lines.new.line_of(ns), len(self.new))
        return now is None or now[0] != was[0]

    def _under_its_heading(self, os: int, oe: int) -> Resolution | None:
        """A passage whose words stood more than once, where they stand now in the section of the same Markdown heading
        (the nearest that stands once in either text), when they stood once in it and stand once in it now: the
        section's items re-ordered, or the sections, do not make it another passage."""
        quote = self.old[os:oe]
        if self.lines is None or self.old.count(quote) < 2:
            return None
        if (was := self._section(self.lines.old, self.lines.old.line_of(os), len(self.old))) is None:
            return None
        heading, a, b = was
        _, c, d = self._section(self.lines.new, self.lines.new.texts.index(heading), len(self.new))
        if len(occurrences(self.old[a:b], quote)) != 1 or len(occurrences(self.new[c:d], quote)) != 1:
            return None
        at = c + self.new[c:d].index(quote)
        return Resolution("moved", at, at + len(quote), 1.0, how="history", sure=True,
                          scores=f"its words stand once under its heading (\"{clip(heading, 40)}\"), as they stood")

    def _sentence_elsewhere(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether a sentence the passage [os, oe) lies in, which stands word for word once in either text, stands now
        apart from the place [ns, ne) it was carried to: the passage's words there are another sentence's (a look-alike
        written where it stood, while it moved on), or it was rewritten and a copy of its old sentence added."""
        start, stop, _ = self._old_sentence(os, oe)
        cuts = [start, *(m.end() for m in _SENTENCE_BREAK.finditer(self.old, start, stop)), stop]
        spans = list(zip(cuts, cuts[1:]))
        if self.lines is not None:  # a heading before it has no full stop: its sentence also read within its line
            lo = self.lines.span(self.lines.old.line_of(os), True, len(self.old))[0]
            if start < lo < oe:
                spans.append((lo, spans[0][1]))
        for n, (a, b) in enumerate(spans):
            sentence = self.old[a:b].strip(" ")
            if not a < oe or not sentence or short(sentence) or self.old.count(sentence) != 1 or self.new.count(sentence) != 1:
                continue
            at = self.new.index(sentence)
            if n == len(cuts) - 1 and (elsewhere(self.old, self.new[ns:ne], os, oe) or in_a_correction(self.new, at) is not None):
                continue  # (read within its line: not where lines were swapped, nor a correction quoting it)
            if at + len(sentence) <= ns or ne <= at:
                return True
        return False

    def _look_alike_added(self, quote: str, ns: int, ne: int) -> bool:
        """Whether, the words at the place [ns, ne) changed and the quote standing nowhere word for word (a copy is
        weighed by the rules above), a stretch the edit wrote elsewhere keeps about as many of its words (one fewer at
        most) and every word the place lost: a sentence moved on and edited, a look-alike written where it stood ("three
        rural schools next year" -> "three rural clinics next year" there, "three rural schools in 2027" in another
        section), or corrected where it stood and a new sentence added: either may be it."""
        there = self.new[ns:ne]
        if there == quote or quote.casefold() in self.new.casefold():
            return False
        qt = [bare(t).casefold() for t in quote.split()]
        here = {bare(t).casefold() for t in there.split()}
        lost = {w for w in qt if w not in here and any(c.isalnum() for c in w)}
        if not lost or len(qt) < 4:
            return False
        kept_here, n, alike = sum(1 for w in qt if w in here), len(qt), similarity(quote, there)
        for i in range(len(self.nw)):
            for size in range(max(1, n - 2), n + 3):
                j = i + size - 1
                if j >= len(self.nw):
                    break
                s, e = self.nw[i][0], self.nw[j][1]
                if not (e <= ns or ne <= s):
                    continue
                ws = {bare(t).casefold() for t in self.new[s:e].split()}
                if lost <= ws and sum(1 for w in qt if w in ws) >= kept_here - 1 and self.added(s, e) \
                        and similarity(quote, self.new[s:e]) >= alike - ALIKE_AS_WELL:
                    return True
        return False

    def _relabelled_elsewhere(self, quote: str, ns: int, ne: int) -> bool:
        """Whether a quote that begins with a list item's label ("2. An end to …") stands, but for that label, in the new
        text outside [ns, ne) too, after another label ("1. An end to …")."""
        label, _, rest = quote.partition(" ")
        if not rest or not LABEL.fullmatch(label):
            return False
        for at in occurrences(self.new, " " + rest):
            before = self.new[:at].rsplit(" ", 1)[-1]  # (the word before the rest: another label?)
            if not ns <= at - len(before) < ne and LABEL.fullmatch(before) and before != label:
                return True
        return False

    def _told_alike(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether every word of weight beside the passage in its old sentence (a name, a subject: "union" of "the union
        says"; not "the", "says") stands in the sentence around new [ns, ne) as well: its sentence moved and was
        reworded around it ("…, according to the union"), not another's that took its words ("The governor said" for
        "The mayor said"). Each sentence is read within its source line (a heading before it has no full stop)."""
        if self.lines is None:
            return False
        was = {w.casefold() for w in _weighty_beside(self.old, self.lines.old, os, oe)}
        return bool(was) and was <= {w.casefold() for w in _weighty_beside(self.new, self.lines.new, ns, ne)}

    def _reworded_around(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether its sentence was reworded around it where it stood: its source line was rewritten (or replaced) where it
        stood by the line of new [ns, ne), and of the words of weight beside it in its old sentence
        (REWORDED_WORDS at least), every name and figure and three in four of all stand in the sentence around the place
        ("Unions called the plan [Q] on Tuesday." -> "The plan was condemned on Tuesday as [Q] by unions."). Another's
        sentence that took its words names another ("Jones said" for "Smith said"), or keeps less of them."""
        if self.lines is None or self.lines.new.line_of(ns) not in (self.lines.rewritten_into(os), self.lines.replaced_in_place(os)):
            return False
        was = _weighty_beside(self.old, self.lines.old, os, oe)
        now = {w.casefold() for w in _weighty_beside(self.new, self.lines.new, ns, ne)}
        names = [w for w in was if w[:1].isupper() or any(c.isdigit() for c in w)]
        kept = [w for w in was if w.casefold() in now]
        return len(was) >= REWORDED_WORDS and all(w.casefold() in now for w in names) and len(kept) >= SENTENCE_KEPT * len(was)

    def _retold_elsewhere(self, os: int, oe: int, qi: int, ni: int, nj: int) -> bool:
        """Whether the passage (old [os, oe), from word qi), carried word for word to new words ni..nj, went into a line
        that its own was not kept or rewritten into (a paragraph the edit wrote, or another), while its old sentence stands
        nowhere in the new text: the words beside it in its sentence changed as it moved ("The mayor said [Q]" deleted,
        "The governor said [Q]" written elsewhere). A sentence moved whole, or edited where it stood, is not; nor a line
        moved whole with only its label changed (a live blog's entry restamped)."""
        if self.lines is None:
            return False
        line = self.lines.old.line_of(self.ow[qi][0])
        a, b = self.lines.span(line, True, len(self.old))  # (a heading has no full stop: the sentence ends at its line)
        start, stop, _ = self._old_sentence(os, oe)
        if self.old[max(start, a) : min(stop, b)].strip(" ") in self.new or self._sentence_moved_alone(os, oe, qi, ni) \
                or self._line_moved_whole(os, oe, ni, nj) or self.laid_out(os, oe, self.nw[ni][0], self.nw[nj][1]):
            return False
        there = self.lines.made_of(self.nw[ni][0])
        return there is None or there != line

    def _carried_alone(self, os: int, oe: int, qi: int, ni: int, nj: int) -> bool:
        """Whether the passage's words (old [os, oe), from word qi), carried to new words ni..nj without any of their old
        neighbours (the caller's test), went into a place that was another passage's: a paragraph that its own was not
        rewritten into and that the line edit does not make of it, or another sentence, whose words beside them stood
        there before. Two speakers' claims traded ("Smith said it would close" / "Jones said it would stay open" ->
        the reverse) read so, or one that took the other's words while that one was rewritten; a passage moved to
        another paragraph reads so too, and is told apart only when its whole sentence went there word for word."""
        start, stop, sentence = self._old_sentence(os, oe)
        if self.lines is not None:  # (read within its source line: a heading before it has no full stop)
            a, b = self.lines.span(self.lines.old.line_of(os), True, len(self.old))
            start, stop = max(start, a), min(stop, b)
            sentence = self.old[start:stop].strip(" ")
        at = self.new.find(sentence) if self.old.count(sentence) == 1 and self.new.count(sentence) == 1 else -1
        if at >= 0 and at <= self.nw[ni][0] and self.nw[nj][1] <= at + len(sentence):
            return False  # (its sentence went there whole)
        if self._line_moved_whole(os, oe, ni, nj):
            return False  # (its line went there whole: a list item re-ordered)
        if self._sentence_moved_alone(os, oe, qi, ni):
            return False  # (its sentence went there whole, and nothing else moved or changed: a sentence moved)
        if self._lines_joined(qi, ni, nj):
            return False  # (its line run together with the lines beside it: a list made a sentence, numbers dropped)
        if self.laid_out(os, oe, self.nw[ni][0], self.nw[nj][1]):
            return False  # (its line laid out anew as lines in its place: a sentence made a list)
        span = word_span(self.ow, start, stop)
        if span is not None and any(k in self.backward and not span[0] <= self.backward[k] <= span[1]
                                    for k in (ni - 1, nj + 1) if 0 <= k < len(self.nw)):
            return True  # (beside it now, words of another old sentence)
        if self._begun_where_it_stood(qi):
            return True  # (its own place is there still, rewritten: its old left neighbour, then its first words)
        if self.lines is None:
            return False
        old_line = self.lines.old.line_of(self.ow[qi][0])
        lines = {self.lines.new.line_of(self.nw[k][0]) for k in (ni, nj)}
        return self.lines.rewritten_into(self.ow[qi][0]) not in lines and any(
            self.lines.made_of(self.nw[k][0]) != old_line for k in (ni, nj))

    def _lines_joined(self, qi: int, ni: int, nj: int) -> bool:
        """Whether the new line holding the place (new words ni..nj) is the passage's source line (old word qi's) run
        together with the lines next to it, and nothing else: the words it kept come from those old lines in their
        order, and every word of theirs is in it but labels ("21.") and words whose punctuation alone changed ("need:"
        of "You will need:" over a list now run into one sentence; numbered paragraphs joined, their numbers dropped).
        A line that another passage's words came into lost that passage's other words, or a speaker's name."""
        if self.lines is None:
            return False
        old_lines, new_lines = self.lines.old, self.lines.new
        line = new_lines.line_of(self.nw[ni][0])
        if new_lines.line_of(self.nw[nj][0]) != line:
            return False
        c, d = self.lines.span(line, False, len(self.new))
        here = [k for k, (s, _) in enumerate(self.nw) if c <= s < d]
        came = [self.backward[k] for k in here if k in self.backward]
        if came != sorted(came):
            return False
        fed = sorted({old_lines.line_of(self.ow[o][0]) for o in came})
        if len(fed) < 2 or old_lines.line_of(self.ow[qi][0]) not in fed or any(
                old_lines.texts[i].strip() for i in range(fed[0], fed[-1]) if i not in fed):
            return False
        a, b = self.lines.span(fed[0], True, len(self.old))[0], self.lines.span(fed[-1], True, len(self.old))[1]
        there = {bare(self.new[s:e]).casefold() for s, e in (self.nw[k] for k in here)}
        lost = [self.old[s:e] for o, (s, e) in enumerate(self.ow)
                if a <= s < b and not (o in self.forward and c <= self.nw[self.forward[o]][0] < d)]
        return all(LABEL.fullmatch(w) or bare(w).casefold() in there for w in lost)

    def laid_out(self, os: int, oe: int, ns: int, ne: int, put_in: bool = False) -> bool:
        """Whether the passage's source line (old [os, oe)), gone from the new text, was laid out anew as the run of new
        lines that holds the place new [ns, ne) (in one line) and nothing else: every word of weight of the old line
        stands in that run, in its order, and the run has no other word but labels ("2.") and the light words its old
        line had ("The plan: new buses, cheaper fares and longer hours." -> "The plan:" over three list items); or the
        run is a table of its names and figures (`_tabled`). Items re-ordered, or a word put in, are not a layout; but
        with `put_in`, words put in at the place itself are left out of the reckoning (the passage edited as it was laid
        out: "extend library hours" -> "- extend library opening hours")."""
        if (run := self._run(os, oe, ns, max(ns, ne - 1))) is None:
            return False
        (a, b), rows = run
        c, d = rows[0][0], rows[-1][1]
        was = [bare(self.old[s:e]).casefold() for s, e in self.ow if a <= s < b]
        now = [(bare(self.new[s:e]).casefold(), s) for s, e in self.nw if c <= s < d and not LABEL.fullmatch(self.new[s:e])]
        now = [w for w, s in now if not (put_in and ns <= s < ne and w not in was)]
        if len(now) < len(was) // 2 or any(w not in was for w in now):
            return self._tabled(a, b, rows) is True
        k = 0  # (the run's words, in its old line's order; every word of weight of the old line among them)
        for w in was:
            if k < len(now) and now[k] == w:
                k += 1
            elif w not in LIGHT and any(c.isalnum() for c in w):
                return False
        return k == len(now)

    def rows_traded(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether new [ns, ne) is in a table that the passage's line (old [os, oe)) was made into, its names and figures
        traded between the rows as it was: "61.4% in Eastfield and 58.9% in Westfield" -> "| Eastfield | 58.9% |"."""
        if (run := self._run(os, oe, ns, max(ns, ne - 1))) is None:
            return False
        return self._tabled(*run[0], run[1]) is False

    def _run(self, os: int, oe: int, ns: int, last: int) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
        """(The span of the source line of old [os, oe), the spans of the new lines around the one holding new offsets
        ns and `last`, which the edit wrote or which hold no word), when the passage's line is gone from the new text and
        the place is in one line. None otherwise."""
        if self.lines is None:
            return None
        old, new = self.lines.old, self.lines.new
        line, to = old.line_of(os), new.line_of(ns)
        if old.line_of(oe - 1) != line or new.line_of(last) != to or old.texts[line] in new.texts:
            return None
        kept = set(old.texts)

        def fresh(k: int) -> bool:  # a line the edit wrote, or one without words (a blank line, a table's rule)
            return new.texts[k] not in kept or not any(c.isalnum() for c in new.texts[k])

        lo, hi = to, to
        while lo > 0 and fresh(lo - 1):
            lo -= 1
        while hi + 1 < len(new.texts) and fresh(hi + 1):
            hi += 1
        rows = [self.lines.span(k, False, len(self.new)) for k in range(lo, hi + 1)]
        return self.lines.span(line, True, len(self.old)), rows

    def _tabled(self, a: int, b: int, rows: list[tuple[int, int]]) -> bool | None:
        """Whether the new lines `rows` (normalised spans) are the old line [a, b) made a table: two rows at least hold
        its names and figures, every one of them stands in a row (as written, or with another ending: "Greens",
        "Green"), each row is mostly names and figures, no other name or figure of the old text stands in one (new words
        may: headings), and what each row holds of them stood together in the old line, no other row's between
        ("Turnout was 61.4% in Eastfield and 58.9% in Westfield." -> "| Eastfield | 61.4% |", "| Westfield | 58.9% |").
        False: such a table, but its names and figures traded between rows; None: no table of it."""
        def named(text: str, s: int, e: int) -> str | None:
            word = bare(text[s:e])
            key = word.casefold()
            return key if key not in LIGHT and any(ch.isdigit() or ch.isupper() for ch in word) else None

        was = [named(self.old, s, e) for s, e in self.ow if a <= s < b]
        cells = [[named(self.new, s, e) for s, e in self.nw if c <= s < d] for c, d in rows]
        if any(2 * sum(k is not None for k in row) < len(row) for row in cells):
            return None  # (a row of cells is mostly names and figures: not a sentence)
        held = [{k for k in row if k is not None} for row in cells]

        def at(key: str) -> list[int]:  # where a row's name stood in the old line
            return [i for i, w in enumerate(was) if w is not None and (w == key or inflected(w, key))]

        spots = [[i for key in row for i in at(key)] for row in held]
        others = {k for s, e in self.ow if not a <= s < b if (k := named(self.old, s, e))}
        if any(not at(key) and key in others for row in held for key in row):
            return None  # (a name or figure of another line of the old text: rows re-ordered, not a line made a table)
        if sum(1 for s in spots if s) < 2 or any(w is not None and not any(i in s for s in spots) for i, w in enumerate(was)
                                                  if w is not None):
            return None
        return all(not any(min(s) < i < max(s) for t in spots if t is not s for i in t if i not in s) for s in spots if s)

    def _sentence_moved_alone(self, os: int, oe: int, qi: int, ni: int) -> bool:
        """Whether the passage's sentence (old [os, oe) within it, read within its source line, after a label such as
        "Results:"), standing once in either text, was taken out of its paragraph and put into another, and nothing else
        changed in either: the paragraph it left reads now as it did without it, and the one it went into read before as
        it does now without it ("Results: [Adherence was 92%.] Side effects were mild." -> "Conclusions: Adherence was
        92%. The regimen …"). Lines traded between speakers, or another's words replaced by it, change more than that."""
        if self.lines is None:
            return False
        olds, news = self.lines.old.texts, self.lines.new.texts
        line, to = self.lines.old.line_of(os), self.lines.new.line_of(self.nw[ni][0])
        a, b = self.lines.span(line, True, len(self.old))
        start, stop, _ = self._old_sentence(os, oe)
        start, stop = max(start, a), min(stop, b)
        while (m := re.match(r" *\S+: ", self.old[start:os])) is not None:
            start += m.end()  # (a label before it is not of its sentence)
        sentence = self.old[start:stop].strip(" ")

        def without(text: str) -> str | None:
            return " ".join(text.replace(sentence, " ", 1).split()) if text.count(sentence) == 1 else None

        if not sentence or self.old.count(sentence) != 1 or self.new.count(sentence) != 1:
            return False
        left, went = without(olds[line]), without(news[to])
        return bool(left and went) and news.count(left) == 1 and olds.count(went) == 1 and news.index(left) != to \
            and olds.index(went) != line

    def _line_moved_whole(self, os: int, oe: int, ni: int, nj: int, labelled: bool = False) -> bool:
        """Whether the old passage [os, oe) lies in one source line that stands word for word once in either version, and new
        words ni..nj in that line now: the line moved (a list item re-ordered, a paragraph moved), passage and all.
        `labelled`: its label too ("2019:", "MR HALE:") stands as it stood, else a label may have changed."""
        if self.lines is None:
            return False
        old, new = self.lines.old, self.lines.new
        line = old.line_of(os)
        olds, news = (old.texts, new.texts) if labelled else ([_unlabelled(t) for t in old.texts], [_unlabelled(t) for t in new.texts])
        # (renumbered: "1." -> "2."; restamped: "12:48" -> "12:52")
        text = olds[line]
        if not text or old.line_of(oe - 1) != line or olds.count(text) != 1 or news.count(text) != 1:
            return False
        there = news.index(text)
        return new.line_of(self.nw[ni][0]) == there == new.line_of(self.nw[nj][0])

    def _written_in_its_place(self, qi: int, qj: int, ni: int, nj: int) -> bool:
        """Whether the passage (old words qi..qj, carried to new ni..nj) has words the edit wrote in its place, and now
        stands among words the edit wrote: a word beside it is kept, and now beside new words, far from it; and the
        other words of the sentence (or line) it went to are mostly words the old text did not have ("… night. [Police are appealing
        for witnesses.]" -> "… night. Police have arrested a man …", the sentence said again in an update further on).
        A sentence moved among words that were there (a paragraph re-ordered, a table re-sorted) is not."""
        if self.lines is None:
            return False
        fwd, back = self.forward, self.backward

        def other(k: int) -> bool:  # new word k is new (or a word of it left behind), more than NEAR words from where
            # it went (not a word or two put in beside it: a dateline, a list number)
            return 0 <= k < len(self.nw) and (k < ni - NEAR or k > nj + NEAR) and qi <= back.get(k, qi) <= qj

        if not (qi > 0 and (k := fwd.get(qi - 1)) is not None and other(k + 1)
                or qj + 1 < len(self.ow) and (k := fwd.get(qj + 1)) is not None and other(k - 1)):
            return False
        ns, ne = self.nw[ni][0], self.nw[nj][1]
        known = {bare(self.old[a:b]).casefold() for a, b in self.ow}
        for c, d in (_sentence(self.new, ns, ne)[:2], self.lines.span(self.lines.new.line_of(ns), False, len(self.new))):
            rest = [bare(self.new[a:b]).casefold() for a, b in self.nw if c <= a < d and not ns <= a < ne]
            if len(rest) >= NEAR:  # (the other words of its sentence; of its line when the sentence is about all it)
                return sum(w not in known for w in rest) * 2 > len(rest)
        return False

    def _begun_where_it_stood(self, qi: int, least: int = 2) -> bool:
        """Whether the word before old word qi is kept, and followed in the new text by the passage's first words (at
        least `least` of them, not all): the passage rewritten where it stood, after its first words."""
        before = self.forward.get(qi - 1)
        if before is None:
            return False
        same = 0
        while same < least and qi + same < len(self.ow) and before + 1 + same < len(self.nw) and (
                self.old[slice(*self.ow[qi + same])] == self.new[slice(*self.nw[before + 1 + same])]):
            same += 1
        return same >= least and self.forward.get(qi) != before + 1

    def _in_a_look_alike_line(self, quote: str, qi: int, qj: int, ni: int) -> bool:
        """Whether new word ni stands in a line that every cheapest line edit makes of another old line than those
        that held old words qi..qj, one that read almost like the quote and held it no fewer times (a look-alike
        paragraph edited into its words, its own paragraph dropped), not the passage moved into it (then it gained a
        copy). A line the passage ran on to is its own ("recom-" / "mended closing …", re-wrapped into one line)."""
        there = self.lines.made_of(self.nw[ni][0]) if self.lines is not None else None
        if there is None or self.lines.old.line_of(self.ow[qi][0]) <= there <= self.lines.old.line_of(self.ow[qj][0]):
            return False
        (a, b), (c, d) = self.lines.span(there, True, len(self.old)), self.lines.span(self.lines.new.line_of(self.nw[ni][0]), False, len(self.new))
        return (self.new.count(quote, c, d) <= max(1, self.old.count(quote, a, b))
                and fuzz.partial_ratio(quote.lower(), self.old[a:b].lower()) >= LOOK_ALIKE_BEHIND)

    def carry(self, os: int, oe: int) -> Resolution:
        """The passage [os, oe) of the old text, carried to the new text."""
        if (withdrawn := self._withdrawn_copies(os, oe)) is not None and (
                out := Alignment(self.old, withdrawn, self.lines).carry(os, oe)).status != "orphaned":
            return out  # (where its words were corrected; else, what the correction's copy says of it)
        out = self._carry(os, oe)
        if out.status == "orphaned" and (out.repeats or not out.final):
            out = self._in_a_moved_sentence(os, oe) or out
        if out.status == "orphaned" and (out.repeats or not out.final) or out.status != "orphaned" and \
                self.under_another_heading(os, oe, out.start):
            out = self._under_its_heading(os, oe) or out
        if (under := self._under_another_question(os, out)) is not None:
            return under
        if out.status != "orphaned" and self.traded(os, oe, out.start, out.end):
            return Resolution("orphaned", kept=out.kept, how="history", final=True, runner_up=(
                "it traded places with the words that stood beside its new place: each now stands where the other "
                "stood, beside words that stayed (a question, a speaker, a row's name), so the history cannot tell "
                "that the note follows its words rather than their place"))
        return self._another_copy_by_its_neighbour(os, oe, out) or out

    def _withdrawn_copies(self, os: int, oe: int) -> str | None:
        """The new text with its copies of the passage's words (old [os, oe), case aside) blanked out where a correction
        quotes them as withdrawn ("an earlier post said [12 people were injured]; the figure is 21"), when it has such
        copies and the passage was no such quote: they are not the passage, which may be where its words were corrected.
        Offsets stay as they are (each character a space). None otherwise."""
        quote = self.old[os:oe].rstrip(".!?")  # (its sentence's stop aside: "… said [the bridge opened in 2018]; it …")
        low, lowered = self.new.lower(), quote.lower()  # (case aside: "An earlier version said [the museum …]")
        hay, needle = (low, lowered) if len(low) == len(self.new) and len(lowered) == len(quote) else (self.new, quote)
        spots = [at for at in occurrences(hay, needle) if in_a_correction(self.new, at) is not None] if quote else []
        if not spots or in_a_correction(self.old, os) is not None:
            return None
        text = self.new
        for at in spots:
            text = text[:at] + " " * len(quote) + text[at + len(quote) :]
        return text

    def left_its_neighbour(self, os: int, oe: int, ns: int) -> str | None:
        """The word that stood before a passage whose words stood more than once (old [os, oe)), when it stands once in
        either text (a time stamp) and is now followed by other words than the place at new offset ns and than the
        passage's: the passage was rewritten after it ("10:00 [No change.]" -> "10:00 Level rising fast."), and a copy
        elsewhere is another ("11:00 No change."). None otherwise."""
        q, n = self.word_range(os, oe, True), self.word_range(ns, ns + 1, False)
        if q is None or n is None or q[0] == 0 or self.old.count(self.old[os:oe]) < 2:
            return None
        stood = self.old[self.ow[q[0] - 1][0] : self.ow[q[0] - 1][1]]
        now = [k for k, (s, e) in enumerate(self.nw) if self.new[s:e] == stood]
        if bare(stood).lower() in LIGHT or len(now) != 1 or sum(self.old[s:e] == stood for s, e in self.ow) != 1:
            return None
        after = now[0] + 1
        first = bare(self.old[self.ow[q[0]][0] : self.ow[q[0]][1]])
        if (after == n[0] or LABEL.fullmatch(stood) and self._relabelled(stood, after)
                or after < len(self.nw) and bare(self.new[self.nw[after][0] : self.nw[after][1]]) == first):
            return None
        # the place still followed by the word that followed the passage (not a light one): a line moved whole, its
        # neighbour above changed by the move ("1 tsp [vanilla]" put first in a list), not a passage rewritten
        m = self.word_range(ns, ns + (oe - os), False)
        if m is not None and q[1] + 1 < len(self.ow) and m[1] + 1 < len(self.nw):
            was = bare(self.old[self.ow[q[1] + 1][0] : self.ow[q[1] + 1][1]])
            if was.lower() not in LIGHT and was == bare(self.new[self.nw[m[1] + 1][0] : self.nw[m[1] + 1][1]]):
                return None
        return bare(stood)

    def _relabelled(self, label: str, k: int) -> bool:
        """Whether the new words from k on (three) stood in the old text after another list label than `label`: the
        list was renumbered ("8. This agreement" -> "9. This agreement" as a clause was put in above), and the
        label now before other words says nothing of the passage that followed it."""
        follow = [self.new[s:e] for s, e in self.nw[k : k + 3]]
        if len(follow) < 3:
            return False
        return any(self.old[s:e] != label and LABEL.fullmatch(self.old[s:e]) and
                   [self.old[a:b] for a, b in self.ow[i + 1 : i + 4]] == follow for i, (s, e) in enumerate(self.ow))

    def _another_copy_by_its_neighbour(self, os: int, oe: int, out: Resolution) -> Resolution | None:
        """Orphaned, when the passage (old [os, oe)) was carried to one copy of its words while the word that stood
        beside it (a time stamp, a name) was not carried with it and now stands beside another copy: the alignment
        matched the words, not the place ("09:00 No change. 10:00 [No change.]" -> "12:00 No change. … 10:00 No
        change." put it on 12:00's). Two copies each with a claim to it: the history cannot tell which."""
        if out.status == "orphaned" or out.sure:
            return None  # (placed for certain: under its heading, say)
        q, n = self.word_range(os, oe, True), self.word_range(out.start, out.end, False)
        if q is None or n is None or len(occurrences(self.new, self.old[os:oe])) < 2:
            return None
        (qi, qj), (ni, nj) = q, n
        ob = [bare(self.old[s:e]) for s, e in self.ow]
        nb = [bare(self.new[s:e]) for s, e in self.nw]
        quote, size = ob[qi : qj + 1], qj - qi + 1
        for step, was, now in ((-1, qi - 1, ni - 1), (1, qj + 1, nj + 1)):
            if not 0 <= was < len(ob) or ob[was].lower() in LIGHT:
                continue
            stood = self.old[self.ow[was][0] : self.ow[was][1]]  # as it stood ("READ:" of a teaser is not "READ")
            once = sum(self.old[s:e] == stood for s, e in self.ow) == 1 and sum(self.new[s:e] == stood for s, e in self.nw) == 1
            if step < 0 and (word := self.left_its_neighbour(os, oe, out.start)):
                return Resolution("orphaned", kept=out.kept, how="history", final=True, runner_up=(
                    f"its words stand more than once, and the word that stood before it (\"{word}\"), once in either "
                    "text, is still there but now before other words: the passage was rewritten there, and the copy "
                    "the alignment paired it with is another"))
            if was in self.forward:
                continue  # (its neighbour carried somewhere: the alignment read the words around it, and chose)
            if step < 0 and LABEL.fullmatch(stood) and self._line_moved_whole(os, oe, ni, nj):
                continue  # (its neighbour was its item's number, and its item went, word for word, where it was
                # carried: the list renumbered as an item was put in above, "3. The valve of claim 1, …" -> "4. …")
            for k in range(len(nb)):
                at = k + 1 if step < 0 else k - size
                if self.new[self.nw[k][0] : self.nw[k][1]] == stood and at != ni and 0 <= at and nb[at : at + size] == quote:
                    start = self.nw[at][0] + os - self.ow[qi][0]
                    # the word on its other side in its sentence, carried beside another copy: the two traded what
                    # stood beside them ("LEE: [Crime has] fallen …" -> "GRANT: Crime has fallen … LEE: Crime has risen")
                    edge = qj if step < 0 else qi - 1  # (the word that ends the sentence, if one ends between)
                    other = None if edge < 0 or _ends_sentence(self.old[slice(*self.ow[edge])]) else \
                        self.forward.get(qj + 1 if step < 0 else qi - 1)
                    other = None if other is None else other - size if step < 0 else other + 1
                    if other is not None and other != at and nb[other : other + size] == quote:
                        return Resolution("orphaned", kept=out.kept, how="history", final=True, runner_up=(
                            f"its words stand more than once, and the word that stood beside it (\"{ob[was]}\") now stands "
                            "beside another copy of them, while the words on its other side stayed with the first (labels "
                            "traded between lines): the history cannot tell which copy is its passage"))
                    if once and self.new.startswith(self.old[os:oe], start):  # (a time stamp that stands once in either
                        # text: the copy beside it is the passage, whatever copy the alignment paired it with)
                        return Resolution("moved", start, start + oe - os, 1.0, how="history", sure=True,
                                          scores=f"beside \"{stood}\", as it stood, which stands once in either text")
                    return Resolution("orphaned", kept=out.kept, how="history", final=True, runner_up=(
                        f"its words stand more than once, and the word that stood beside it (\"{ob[was]}\") now stands "
                        "beside another copy of them: the history cannot tell which copy is its passage"))
        return None

    def traded(self, os: int, oe: int, ns: int, ne: int) -> bool:
        """Whether the passage (old [os, oe)), put at new [ns, ne) (by the alignment or a search), left a word that
        stands still, for a place after (before) a word whose old next words now stand where the passage stood: it and
        those words traded places between two contexts that stayed ("Can I get a refund? [Yes, …] Can I exchange it?
        No, …" -> "… refund? No, … exchange it? [Yes, …]"; "MR HALE: [I never signed it.] MS CROSS: I never signed it
        either." -> "MS CROSS: I never signed it. MR HALE: I never signed it either."; questions, speakers, rows). What
        a passage says, it says of what stands beside it: the history cannot tell that the note follows the words
        rather than their place. A passage that moved alone is no trade."""
        q, n = self.word_range(os, oe, True), self.word_range(ns, ne, False)
        if q is None or n is None:
            return False
        (qi, qj), (ni, nj) = q, n
        if self._line_moved_whole(os, oe, ni, nj, labelled=True):
            return False  # (its line went there word for word, label and all: lines re-sorted, a timeline put in order)
        ob = [bare(self.old[s:e]) for s, e in self.ow]
        nb = [bare(self.new[s:e]) for s, e in self.nw]

        def run(ws, k, step, size=3):  # up to `size` words from word k on, going `step`
            return [ws[i] for i in range(k, k + size * step, step) if 0 <= i < len(ws)]

        def place(k, step, there, here, kept):  # word k of one text in the other: as aligned, else where its last 3
            if k in kept:  # (or 2) words, going towards the passage, stand once in either text
                return kept[k]
            for n in (3, 2):
                seq = here[k - n + 1 : k + 1] if step < 0 else here[k : k + n]
                if len(seq) < n or sum(here[i : i + n] == seq for i in range(len(here))) != 1:
                    continue
                at = [i for i in range(len(there) - n + 1) if there[i : i + n] == seq]
                if len(at) == 1:
                    return at[0] + n - 1 if step < 0 else at[0]
            return None

        def label(ws, text, k):  # a word that ends a question or a label ("Can I cancel?", "MR HALE:", "Q4:")
            return text[ws[k][0] : ws[k][1]].rstrip(" \"')»”’*_").endswith(("?", ":"))

        for step, was, now in ((-1, qi - 1, ni - 1), (1, qj + 1, nj + 1)):
            if not (0 <= was < len(ob) and 0 <= now < len(nb)) or not (
                    label(self.ow, self.old, was) and label(self.nw, self.new, now)):
                continue  # (items of a list re-ordered under one heading traded nothing: only what follows a label does)
            stays = place(was, step, nb, ob, self.forward)  # the old neighbour, where it stands now
            by = place(now, step, ob, nb, self.backward)  # the new neighbour, where it stood
            if stays is None or by is None or stays - step == (ni if step < 0 else nj) or by == was:
                continue
            came = run(nb, stays - step, -step)  # what now stands beside the old neighbour: the words that stood
            # beside the new one, and not the passage itself (its words and one more, "I never signed it either")
            size = qj - qi + 2
            if came and came == run(ob, by - step, -step) and run(nb, stays - step, -step, size) != run(
                    ob, qi if step < 0 else qj, -step, size):
                return True
        return False

    def _under_another_question(self, os: int, out: Resolution) -> Resolution | None:
        """Orphaned, when the passage (from old offset os) was carried to a line that now answers another question than
        its old line did (answers_another_question); None otherwise."""
        if out.status == "orphaned" or self.lines is None:
            return None
        i, j = self.lines.old.line_of(os), self.lines.new.line_of(out.start)
        if (question := answers_another_question(self.lines.old.texts, i, self.lines.new.texts, j)) is None:
            return None
        stood = "which stood elsewhere before" if question in self.lines.old.texts else "while its own still stands elsewhere"
        return Resolution("orphaned", kept=out.kept, how="history", final=True, runner_up=(
            f"it now answers another question (\"{clip(question, 60)}\", {stood}): an answer "
            "says what it says of its question, so the history cannot say the note still holds"))

    def _in_a_moved_sentence(self, os: int, oe: int) -> Resolution | None:
        """The passage where its sentence went, when that sentence stands word for word once in either text: in a paragraph
        (source line) of the same words as its old one, in another order (two sentences that begin alike swapped places,
        which the word alignment reads as one rewritten into the other), or with the text on one side of it come along
        (the first of two sentences that begin alike deleted), its old line not reworded where it stood. Else None."""
        start, stop, sentence = self._old_sentence(os, oe)
        if self.lines is not None:  # (a byline or heading before it has no full stop: a sentence within a paragraph of
            # several is read within its line; a line of one sentence is `_where_its_line_went`'s to weigh)
            lo, hi = self.lines.span(self.lines.old.line_of(os), True, len(self.old))
            within = self.old[max(start, lo) : min(stop, hi)].strip(" ")
            if oe <= hi and start < lo and within != self.old[lo:hi].strip(" "):
                sentence = within
        span = self.word_range(os, oe, True)
        if span is None or short(sentence) or self.old.count(sentence) != 1 or self.new.count(sentence) != 1:
            return None
        was, now = self.old.index(sentence), self.new.index(sentence)
        at = now + os - was
        if self.lines is None:
            return None
        i, j = self.lines.old.line_of(self.ow[span[0]][0]), self.lines.new.line_of(at)
        reordered = fuzz.token_sort_ratio(self.lines.old.texts[i], self.lines.new.texts[j]) >= REORDERED
        carried = any(len(a) >= SIDE and a == b for a, b in (
            (self.old[max(0, was - SIDE) : was], self.new[max(0, now - SIDE) : now]),
            (self.old[was + len(sentence) : was + len(sentence) + SIDE], self.new[now + len(sentence) : now + len(sentence) + SIDE])))
        if not carried and self.lines.surely_rewritten(was) == j:  # (its paragraph rewritten around it: it stayed at the
            # paragraph's start or end, "Residents said nobody listened." after a look-alike before it was deleted)
            (a, b), (c, d) = self.lines.span(i, True, len(self.old)), self.lines.span(j, False, len(self.new))
            carried = (self.old[a:was].strip(" ") == self.new[c:now].strip(" ") == "" or
                       self.old[was + len(sentence) : b].strip(" ") == self.new[now + len(sentence) : d].strip(" ") == "")
        ni, nj = self.word_range(at, at + oe - os, False)
        if self.lines.copy_of_rewritten(self.ow[span[0]][0], self.nw[ni][0]) or not reordered and not (
                carried and not self._reworded_in_place(self.old[os:oe], span[0], ni, nj)) and not self._taken_out_and_put_in(
                was, now, len(sentence)):
            return None  # (elsewhere, with other words around it: a copy, a pull quote say, may be it; a search weighs it)
        return Resolution("moved", at, at + oe - os, 1.0, how="history", scores="its sentence moved whole", sure=True,
                          runner_up="no runner-up: its whole sentence stands once in the old text and once in the new")

    def _taken_out_and_put_in(self, was: int, now: int, n: int) -> bool:
        """Whether a sentence (old[was:was+n], new[now:now+n]) moved to another paragraph whole: taken out of its old place
        (the text on either side of it there now stands side by side: not reworded where it stood, no look-alike written
        there) and put in among text that was there before (the SIDE characters on one side of it now stood in the old
        text), not as a paragraph or a quotation of its own (a pull quote), nor in a correction that quotes it."""
        before, after = self.old[max(0, was - SIDE) : was].strip(" "), self.old[was + n : was + n + SIDE].strip(" ")
        joined = f"{before} {after}".strip(" ")  # (side by side now, or nearly: a name beside it respelt as well)
        if len(joined) < SIDE or in_a_correction(self.new, now) is not None or (
                joined not in self.new and fuzz.partial_ratio(joined, self.new) < CLOSED_UP):
            return False
        if self.new[now - 1 : now] in _OPENING and self.old[was - 1 : was] != self.new[now - 1 : now]:
            return False  # (quoted now as it was not: a pull quote)
        beside = (self.new[max(0, now - SIDE) : now].strip(" "), self.new[now + n : now + n + SIDE].strip(" "))
        return any(len(side) >= SIDE // 2 and side in self.old for side in beside)

    def _reordered_edge(self, qi: int, qj: int, at_end: bool) -> int | None:
        """The new word that ends (begins) the passage (old words qi..qj) when the edit re-ordered the words of a run at
        that edge, the run wholly inside the passage, in one sentence, and no word of it changed but its punctuation ("on 3
        March," -> "on March 3,"): the run's last (first) new word, else None. Cut at the run's word that kept its
        place, the passage would lose the words put on its other side."""
        k = qj if at_end else qi
        for a, b, c, d in self.groups:
            if a <= k < b and b - a == d - c > 1 and (b - 1 == qj if at_end else a == qi) and qi <= a and b - 1 <= qj:
                was = [bare(self.old[slice(*self.ow[i])]).lower() for i in range(a, b)]
                now = [bare(self.new[slice(*self.nw[i])]).lower() for i in range(c, d)]
                if was != now and sorted(was) == sorted(now) and not any(
                        _ends_sentence(self.new[slice(*self.nw[i])]) for i in range(c, d - 1)):
                    return d - 1 if at_end else c
        return None

    def _figure_for_figure(self, qj: int, ni: int, nj: int) -> int:
        """New word nj, or the figure the edit wrote for the passage's last word when that was a figure, and more words
        after it, set apart by a mark ("open in 2026." -> "open in 2027, a year late."): the passage ends on the new figure,
        as it ended on the old one; the words written after the mark are the edit's own (a date restyled, "12/03/2027." ->
        "12 March 2027.", has no mark after its first figure: it is the date whole)."""
        if not figure_word(self.old[slice(*self.ow[qj])]):
            return nj
        for a, b, c, d in self.groups:
            word = self.new[slice(*self.nw[c])] if a == qj and ni <= c < nj and d - c > b - a else ""
            if word and figure_word(word) and word[-1:] in ",;:":
                return c
        return nj

    def _article_put_before(self, qi: int, ni: int) -> int:
        """New word ni, or the start of the light words the edit wrote right before it, when the passage began with a
        capital (old word qi) that new word ni carries lower-cased, and those words open a sentence or line with a capital
        ("Chief executive Mark Ellis said" -> "The chief executive said": the sentence still opens the passage). At most
        two, all light: "Residents were told that the library will …" is another clause put before it."""
        was, now = self.old[slice(*self.ow[qi])].lstrip(_OPENING), self.new[slice(*self.nw[ni])].lstrip(_OPENING)
        if not (was[:1].isupper() and now[:1].islower() and was.casefold() == now.casefold()):
            return ni
        k = ni
        while k > 0 and ni - k < 2 and k - 1 not in self.backward and bare(self.new[slice(*self.nw[k - 1])]).lower() in LIGHT:
            k -= 1
        if k == ni or not self.new[slice(*self.nw[k])][:1].isupper():
            return ni
        opens = k == 0 or _ends_sentence(self.new[slice(*self.nw[k - 1])]) or (
            self.lines is not None and self.lines.new.line_of(self.nw[k][0]) != self.lines.new.line_of(self.nw[k - 1][0]))
        return k if opens else ni

    def _edges_rewritten(self, qi: int, qj: int, ni: int, nj: int) -> tuple[int, int]:
        """New words ni..nj, taking in the words the edit wrote right at an edge, between the passage's kept edge word and
        its kept neighbour, when it took words out of the passage and wrote none in their place: the words it wrote are
        theirs ("Dr Marsh made no such statement" -> "Dr Marsh has made no statement of that kind": "of that kind" is
        the "such" taken out, and the passage without it would drop its qualifier). At most EDGE_WRITTEN words, in one
        sentence."""
        fwd, back = self.forward, self.backward
        taken = {bare(self.old[slice(*self.ow[k])]).lower() for a, b, c, d in self.groups if a > qi and b <= qj and c == d
                 for k in range(a, b)}
        if not taken:
            return ni, nj

        def written(lo: int, hi: int) -> bool:  # new words lo..hi-1, all written by the edit, a few, in one sentence, and
            # none of them a word taken out (those moved: list items re-ordered)
            said = [self.new[slice(*self.nw[k])] for k in range(lo, hi)]
            return 0 < hi - lo <= EDGE_WRITTEN and all(k not in back for k in range(lo, hi)) and not any(
                _ends_sentence(w) or bare(w).lower() in taken - LIGHT for w in said)

        if qj in fwd and fwd[qj] == nj and qj + 1 in fwd and written(nj + 1, fwd[qj + 1]):
            nj = fwd[qj + 1] - 1
        if qi in fwd and fwd[qi] == ni and qi - 1 in fwd and written(fwd[qi - 1] + 1, ni):
            ni = fwd[qi - 1] + 1
        return ni, nj

    def _attribution_moved(self, qi: int, qj: int, ni: int, nj: int) -> tuple[int, int]:
        """New words ni..nj, taking in the words the edit took from one edge of the passage and wrote at its other edge,
        the same words, in its sentence: "Police said the driver had fallen asleep." -> "The driver had fallen asleep,
        police said." (a newsroom's "Y, X said" for "X said Y"); without them the passage would drop who said it. At
        most EDGE_WRITTEN words, none of them aligned elsewhere."""
        fwd, back = self.forward, self.backward
        kept = [k for k in range(qi, qj + 1) if k in fwd]
        if not kept:
            return ni, nj

        def said(ws, text, ks):
            return [bare(text[slice(*ws[k])]).casefold() for k in ks]

        def taken(ks, left) -> list[str]:  # the old words ks but for what is still at the edge (`left`: "The" of "the")
            took = said(self.ow, self.old, ks)
            for w in said(self.nw, self.new, left):
                if w in took:
                    took.remove(w)
            return took

        def moved(took: list[str], lo: int, hi: int, after: bool) -> bool:  # new words lo..hi-1 are `took`, written by
            # the edit, a word of weight among them, in the passage's sentence (`after` it: no sentence ends from the word
            # before them to their last but one; before it: none ends among them)
            ends = range(lo - 1, hi - 1) if after else range(lo, hi)
            return 0 < len(took) == hi - lo <= EDGE_WRITTEN and 0 <= lo and hi <= len(self.nw) and all(
                k not in back for k in range(lo, hi)) and said(self.nw, self.new, range(lo, hi)) == took and any(
                w.isalpha() and w not in LIGHT for w in took) and not any(
                _ends_sentence(self.new[slice(*self.nw[k])]) for k in ends if k >= 0)

        first, last = kept[0], kept[-1]
        took = taken(range(qi, first), range(ni, fwd[first]))
        if moved(took, nj + 1, nj + 1 + len(took), True):
            return ni, nj + len(took)
        took = taken(range(last + 1, qj + 1), range(fwd[last] + 1, nj + 1))
        if moved(took, ni - len(took), ni, False):
            return ni - len(took), nj
        return ni, nj

    def _edges_in_line(self, qi: int, qj: int, ni: int, nj: int) -> tuple[int, int]:
        """New words ni..nj, without an edge word the alignment paired with a copy of it in another source line than the
        rest of the quote, which stood in one line with it ("2." of "2. An end to zero-hours contracts", a list item
        inserted before it and the items renumbered: its "2." paired with the new item's "2.", the passage read on over
        that whole item). The edge is then the word standing in its slot beside the rest, when the edit wrote it (the
        new label "3."), else the first (last) word of the rest."""
        fwd, back, lines = self.forward, self.backward, self.lines
        if lines is None or qj - qi < 2:
            return ni, nj

        def new_line(k: int) -> int:
            return lines.new.line_of(self.nw[k][0])

        def old_line(k: int) -> int:
            return lines.old.line_of(self.ow[k][0])

        nxt = fwd.get(qi + 1)
        if fwd.get(qi) == ni and nxt is not None and nxt > ni + 1 and old_line(qi) == old_line(qi + 1) \
                and new_line(ni) != new_line(nxt):
            ni = nxt - 1 if nxt - 1 not in back and new_line(nxt - 1) == new_line(nxt) else nxt
        prev = fwd.get(qj - 1)
        if fwd.get(qj) == nj and prev is not None and prev < nj - 1 and old_line(qj) == old_line(qj - 1) \
                and new_line(nj) != new_line(prev):
            nj = prev + 1 if prev + 1 not in back and new_line(prev + 1) == new_line(prev) else prev
        return ni, nj

    def _edges_in_sentence(self, qi: int, qj: int, ni: int, nj: int) -> tuple[int, int]:
        """New words ni..nj, not read back (on) past the end of a sentence through changed words at an edge, when no
        sentence ended there in the quote: "which includes a 4.9% rise" of "the budget, which includes …, on Thursday
        night." is "It includes a 4.9% rise", not "Thursday night. It includes …", once the sentence was split. A light
        word ("the") paired on its own amid changed words holds no edge: "Witnesses described the night of the fire." cut
        to "Witnesses …" and a new "Subscribe to read the full story." is not read on to "story." by its "the"."""
        fwd = self.forward

        def held(k: int) -> bool:
            return (bare(self.old[slice(*self.ow[k])]).lower() not in LIGHT
                    or any(fwd.get(k + d) == fwd[k] + d for d in (-1, 1)))

        kept = [k for k in range(qi, qj + 1) if k in fwd and held(k)]
        if not kept:
            return ni, nj

        def ends(ws, text, a, b):  # the words a..b-1 that end a sentence
            return [k for k in range(a, b) if _ends_sentence(text[slice(*ws[k])])]

        first, last = kept[0], kept[-1]
        if first > qi and not ends(self.ow, self.old, qi, first) and (cut := ends(self.nw, self.new, ni, fwd[first])):
            ni = cut[-1] + 1
        if last < qj and not ends(self.ow, self.old, last, qj) and (cut := ends(self.nw, self.new, fwd[last], nj)):
            nj = cut[0]
        return ni, nj

    def _replaced(self, qi: int, qj: int) -> float:
        """The share of the old text's words outside the passage (old words qi..qj) that the new text keeps, light words
        ("a", "in", "was") left out: any story has those."""
        if self.kept_outside is not None:
            return self.kept_outside
        rest = [k for k in range(len(self.ow)) if not qi <= k <= qj and bare(self.old[slice(*self.ow[k])]).lower() not in LIGHT]
        return sum(1 for k in rest if k in self.forward) / len(rest) if rest else 1.0

    def _parted(self, qi: int, qj: int, ni: int, nj: int, least: int = 3) -> bool:
        """Whether `least` words or more of the passage (old words qi..qj), one after another, that are not at the place it
        was carried to (new words ni..nj) stand elsewhere in the new text word for word, kept or written there by the
        edit: parted from it, not removed ("Buses every 10 minutes Trains every 30 minutes", its two list items
        re-ordered, is not "Buses every 10 minutes" edited)."""
        ob = [bare(self.old[s:e]) for s, e in self.ow[qi : qj + 1]]
        nb = [bare(self.new[s:e]) for s, e in self.nw]
        lost = [k for k in range(qi, qj + 1) if not ni <= self.forward.get(k, ni) <= nj or k not in self.forward]
        runs, run = [], []  # every `least` words of it in a row, not at the place
        for k in lost:
            run = run[-least + 1 :] + [k] if run and run[-1] == k - 1 else [k]
            if len(run) == least:
                runs.append(run)
        for run in runs:
            seq = ob[run[0] - qi : run[-1] - qi + 1]
            for at in range(len(nb) - len(seq) + 1):
                if (at + len(seq) <= ni or at > nj) and nb[at : at + len(seq)] == seq and all(
                        self.backward.get(at + d) in (None, run[d]) for d in range(len(seq))):
                    return True
        return False

    def _carry(self, os: int, oe: int) -> Resolution:
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
            if not inside:  # (none of its words carried: the alignment took a look-alike line for its own, say, in a
                # list re-sorted; where its line went word for word, once in either version, is still the place)
                return self._where_its_line_went(os, oe, qi, qj) or Resolution("orphaned", how="history")
            ni, nj = min(inside), max(inside)
        if qj not in fwd:  # its last word changed: where only punctuation after it did ("work." -> "work; and"),
            nj = self._same_word(qj, range(nj, ni - 1, -1)) or nj  # end on that word, not on "and" (nor on words appended)
            nj = self._reordered_edge(qi, qj, True) or nj
            nj = self._figure_for_figure(qj, ni, nj)
            if nj + 1 < len(nw) and year_put_in(old[ow[qj][0] : oe], new[slice(*nw[nj])], new[slice(*nw[nj + 1])]):
                nj += 1  # (a year put in after a date that ended it: "on 4 June." -> "on 4 June 2024.", the date's end)
        if qi not in fwd:
            ni = self._same_word(qi, [c for c in range(ni, min(nj, ni + EDGE_WRITTEN) + 1) if c <= ni + 3 or all(
                k not in self.backward for k in range(ni, c))], recased=True) or ni  # (past words the edit wrote before it:
            # "The library will …" -> "Residents were told that the library will …")
            ni = self._reordered_edge(qi, qj, False) or ni
            ni = self._article_put_before(qi, ni)
            if ni > 0 and ni - 1 in self.backward and self._same_word(qi, [ni - 1], recased=True) is not None and not any(
                    _ends_sentence(old[slice(*ow[k])]) for k in range(self.backward[ni - 1], qi)):
                ni -= 1  # (the words between it and a copy of its first word before it, in its sentence, taken out: "The
                # mayor said the stadium …" -> "The stadium …"; either copy may be the one kept, and the passage opens there)
        # an edge word that is the old neighbour outside it with other punctuation ("per cent. [That is the lowest …]"
        # merged into "per cent, the lowest …"): the neighbour, not a word of the passage
        if qi not in fwd and qi > 0 and qi - 1 not in fwd and ni < nj and self._same_word(qi - 1, [ni]) is not None:
            ni += 1
        if qj not in fwd and qj + 1 < len(ow) and qj + 1 not in fwd and ni < nj and self._same_word(qj + 1, [nj]) is not None:
            nj -= 1
        ni, nj = self._edges_rewritten(qi, qj, ni, nj)
        ni, nj = self._attribution_moved(qi, qj, ni, nj)
        ni, nj = self._edges_in_line(qi, qj, ni, nj)
        ni, nj = self._edges_in_sentence(qi, qj, ni, nj)
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
        # an edge word whose punctuation alone changed ("work" quoted, now "work;"; "2025." quoted, now "2025,"):
        # the word, and what punctuation it kept, not what it gained
        if qj not in fwd:
            tail = gained(old[ow[qj][0] : oe], new[nw[nj][0] : nw[nj][1]], tail)
            if old[oe - 1 : oe].isalnum():  # (a quote that ends on a letter or digit ends so still: "2027" of "2027,")
                tail = max(tail, len(new[nw[nj][0] : nw[nj][1]]) - len(new[nw[nj][0] : nw[nj][1]].rstrip(PUNCT)))
        if qi not in fwd:
            head = gained(old[os : ow[qi][1]][::-1], new[nw[ni][0] : nw[ni][1]][::-1], head)
        ns, ne = nw[ni][0] + head, nw[nj][1] - tail
        if ne <= ns:
            return Resolution("orphaned", kept=kept, how="history")
        quote = old[os:oe]
        if old.count(quote) > 1 and self._traded(quote, qi, qj, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True, repeats=True,
                              runner_up=f"its words occurred {old.count(quote)} times, and words beside it now are words "
                                        "that stood beside another of them (places, names or figures traded between "
                                        "look-alike sentences): the history cannot tell which one it is")
        if old.count(quote) > 1 and (not (self._same_neighbours(qi, qj, ni, nj) or self._one_side_tells(quote, qi, qj, ni, nj, ns, ne))
                                     or self._rival(quote, qi, qj, ni, nj)
                                     or self._rival(quote, qi, qj, ni, nj, RIVAL_WORDS)):
            # look-alikes (a list of the same line, say), and the words right beside this one changed:
            # the alignment may have paired it with a look-alike, so the history cannot tell which one
            return self._in_a_rewritten_line(os, oe, qi, qj) or self._where_its_line_went(os, oe, qi, qj) or \
                self._once_in_its_rewritten_line(os, oe, qi, qj) or Resolution(
                "orphaned", kept=kept, how="history", final=True, repeats=True,
                              runner_up=f"its words occurred {old.count(quote)} times and the words beside it changed, "
                                        "so the history cannot tell which one it is")
        if self.lines is not None and self.lines.copy_of_rewritten(ow[qi][0], nw[ni][0]):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its paragraph was copied elsewhere and the original rewritten (or rewritten, with its "
                                        "old words put back elsewhere): either place fits, so the history cannot tell which it is")
        if self._reworded_in_place(quote, qi, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its sentence was reworded where it stood, and its old words stand whole elsewhere "
                                        "(a pull quote, say): either may be it, so the history cannot tell which one it is")
        if new[ns:ne] != quote and (whole := self._where_its_line_went(os, oe, qi, qj)):
            return whole
        if self._sentence_elsewhere(os, oe, ns, ne):
            return self._in_a_moved_sentence(os, oe) or Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="a sentence of it stands whole elsewhere now, while the words at its place were "
                                        "rewritten (it moved, and a look-alike took its place; or a copy of it was added): "
                                        "the history cannot tell which one it is")
        scattered = nj - ni > 1.5 * (qj - qi + 1) + 2  # its words spread over a longer stretch: not a place
        if kept < 1.0 and self._twin_removed_beside(quote, qi, qj, new[ns:ne]):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="a sentence beside it that read almost like it was removed, and the words left "
                                        "changed: either may be what was rewritten, so the history cannot tell which one it is")
        if self._look_alike_behind(quote, qi, qj, ni, nj, scattered):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="the words that came before it now lead to a place that reads almost like it, "
                                        "and a copy of its old words stands elsewhere (a pull quote, or a correction quoting "
                                        "the old wording), so the history cannot tell which one it is")
        if scattered and kept == 1.0:  # every word of it kept, but parted (a quote across two paragraphs, one moved
            # away): nothing in the new text is it, and a text search would read it on into the words now after its head
            return self._in_a_moved_sentence(os, oe) or Resolution(
                "orphaned", kept=kept, how="history", final=True,
                runner_up="its words are all still in the text, but parted: no place in it is the passage")
        if scattered:
            return self._within_its_rewritten_line(os, oe, qi, qj) or Resolution(
                "orphaned", kept=kept, how="history", runner_up="its words are scattered in the new text")
        if self._look_alike_added(quote, ns, ne):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="the words at its place changed, and a passage the edit wrote elsewhere keeps about "
                                        "as many of its words, the ones its place lost among them (it moved and was edited, "
                                        "and a look-alike took its place; or it was corrected where it stood, and a new "
                                        "passage added): either may be it")
        if new[ns:ne] != quote and quote in new and elsewhere(old, new[ns:ne], os, oe):
            # the place now reads as another passage of the old text did, word for word, and the quote stands whole
            # elsewhere: the two swapped places ("Snape: 9 km" and "Orford: 9 km" re-ordered), not one edited into the other
            return Resolution("orphaned", kept=kept, how="history",
                              runner_up=f"the words now at its place (\"{new[ns:ne]}\") stood elsewhere in the old text, and "
                                        "its own words stand elsewhere now: the passages moved, not edited")
        if new[ns:ne] != quote and old.count(new[ns:ne]) > 1 and not self._others_kept_whole(new[ns:ne], os, oe, ni, nj):
            # what is left at the place stood more than once before ("Officials said the minister was lying."
            # deleted from a list of "… said the minister was lying."): the alignment may have kept another copy
            return Resolution("orphaned", kept=kept, how="history", final=True, repeats=True,
                              runner_up=f"what is left of it at the place (\"{new[ns:ne]}\") stood {old.count(new[ns:ne])} "
                                        "times in the old text, so the history cannot tell which one it was")
        recased = new[ns:ne] != quote and new[ns:ne].casefold() == quote.casefold()  # (its words, a capital put in or taken out)
        if near_ok == 0 and self._carried_alone(os, oe, qi, ni, nj) and not self._told_alike(os, oe, ns, ne) and not (
                (kept == 1.0 or recased) and self._reworded_around(os, oe, ns, ne)):
            if kept < KEEP:  # (a few common words, "the", kept in a text rewritten whole: nothing of it was carried;
                # but its words, once in its line before, stand once in the line that line was rewritten into: a sentence
                # turned round them, 'She called it "deeply cynical" and left.' -> 'Leaving, she called it "deeply cynical".')
                return self._in_its_turned_sentence(os, oe) or Resolution("orphaned", kept=kept, how="history", final=True,
                                  runner_up=(f"only {kept:.0%} of its words are left" if kept else "none of its words are left")
                                            + " at the place the history points to, and none of its neighbours: the passage "
                                            "was rewritten or removed")
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its old words now stand alone in another sentence or paragraph, which was there "
                                        "before and was edited to hold them (another speaker, say, now says them), and its own "
                                        "sentence is not there whole: the history cannot tell that the passage moved there")
        if self.sentence_traded(os, oe, ns, ne):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="the words beside it in its sentence now stand in another sentence, and the words now "
                                        "beside it stood in another sentence before (names, places or figures traded between "
                                        "sentences): the history cannot tell which one is the passage")
        if self._in_a_look_alike_line(quote, qi, qj, ni) and not self._line_moved_whole(os, oe, ni, nj):
            # (its own line moved whole, a label renumbered, is no look-alike edited into its words: the line edit may
            # pair the new line with the old one that stood in its slot, "Q2. … toaster?" with "Q2. … kettle?")
            return self._within_its_rewritten_line(os, oe, qi, qj) or Resolution(
                "orphaned", kept=kept, how="history", final=True,
                runner_up="the place it was carried to is in another paragraph that read almost like it and was "
                          "edited (a template sentence per region, say): the history cannot tell it is the passage")
        if new[ns:ne] == quote and self._figure_retold(os, oe, ns, ne, qi, qj, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="a figure at its edge now reads with other words or signs beside it (\"3\" -> "
                                        "\"3 million\", \"500\" -> \"1 500\", \"5\" -> \"-5\"): the passage may give "
                                        "another number; re-read it and set the quote by hand")
        if new[ns:ne] == quote and kept == 1.0 and near_ok == 0 and self._relabelled_elsewhere(quote, ns, ne):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its words were carried, without a word beside them, into a list item, while they "
                                        "stand in another item too with another label (lists re-ordered or renumbered): "
                                        "either may be it, so the history cannot tell which one it is")
        if new[ns:ne] == quote and kept == 1.0 and nj - ni == qj - qi and near < 0.5 and self._retold_elsewhere(os, oe, qi, ni, nj) \
                and not self._told_alike(os, oe, ns, ne) and not self._reworded_around(os, oe, ns, ne):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="its sentence is gone from where it stood, and its words now stand in a new sentence "
                                        "elsewhere, with other words beside them (another speaker or subject, say): the "
                                        "history cannot tell that the passage moved there")
        if self._look_alike_written_beside(quote, qi, qj, ni, nj, exact=new[ns:ne] == quote and kept == 1.0):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="between the words that stood beside it, the edit wrote, next to the place its words "
                                        "went to, a passage that reads almost like it (corrected where it stood, its old words "
                                        "copied beside it as a pull quote; or moved, a look-alike written in its place): "
                                        "either may be it, so the history cannot tell which one it is")
        if new[ns:ne] == quote and kept == 1.0 and near_ok == 0 and self._written_in_its_place(qi, qj, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="words the edit wrote now stand where it stood, and its words stand elsewhere, "
                                        "among other words (rewritten where it stood, and a copy added; or moved, and "
                                        "other words written in its place): either may be it")
        if new[ns:ne] == quote and kept == 1.0 and nj - ni == qj - qi:
            return Resolution("moved", ns, ne, 1.0, how="history", scores=f"neighbours kept {near:.0%}")
        # its neighbours still beside it, or (when they were rewritten too) most of its own words, in
        # order and close together, where the alignment puts them
        compact = kept >= 0.75 and nj - ni <= qj - qi + 2
        alike = similarity(quote, new[ns:ne])
        respelt = alike >= RESPELT and nj - ni == qj - qi and new[ns:ns + 2] == quote[:2]
        if near == 1.0 and near_all < 2 * NEAR and near_all >= NEAR + 2 and respelt and (kept < KEEP or alike < KEEP):
            # (as below, near the start or end of the text, every neighbour there is kept: "Vote / Councillor Jon
            # Mathres" -> "… Mathers")
            return Resolution("edited", ns, ne, kept, how="history", scores="neighbours kept 100%, the words respelt")
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
        # (a short quote needs all its neighbours, or, keeping most of its words, those right beside it and most of the
        # others: "held on [14 May at 10am]. Registration closes on 7 May." -> "… [15 May at 10am]. … on 14 May.")
        beside = all(fwd.get(k) == ni - (qi - k) for k in before[-1:]) and all(fwd.get(k) == nj + (k - qj) for k in after[:1])
        reworded = short(quote) and not names_changed(quote, new[ns:ne]) and (
            self._reworded_with_its_line(os, oe, qi, qj, ni, nj) or self.laid_out(os, oe, ns, ne, put_in=True)
            or recased and self._reworded_around(os, oe, ns, ne))
        if kept < KEEP or alike < KEEP or not reworded and ((near < 0.5 and not compact) or (short(quote) and near < 1.0 and not (
                compact and beside and near >= 0.75 and near_all >= 2 * NEAR))):
            return Resolution("orphaned", kept=kept, how="history",
                              runner_up=f"{kept:.0%} of its words are left at the place, {near:.0%} of its neighbours")
        if near < 0.5 and (changed := names_changed(quote, new[ns:ne])) and self._replaced(qi, qj) < REPLACED:
            # a name or figure put for another, and next to nothing else of the article kept: another story told in the
            # same words (the article replaced: "Roadworks closed the A38 near Taunton" for "Flooding closed the A38
            # near Exeter"), which nothing around the place tells from this passage corrected
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up=f"a name or figure at the place is another ({changed}), and next to nothing else "
                                        "of the article is kept: it may be another story told in the same words")
        if (changed := names_changed(quote, new[ns:ne])) and _told_anew(quote, new[ns:ne]):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up=f"most of its words of weight are new at the place, a name or figure among them "
                                        f"({changed}): it may be another event told in the same frame (another arrest, "
                                        "another crash), not the passage corrected")
        if self._parted(qi, qj, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="some of its words were not removed but stand elsewhere now, word for word (two "
                                        "list items or sentences it spanned were re-ordered): no place in the text is the "
                                        "passage whole")
        if new[ns:ne] != quote and self._said_otherwise(os, oe, qi, qj, ni, nj):
            return Resolution("orphaned", kept=kept, how="history", final=True,
                              runner_up="the place reads almost like it, but most words of its sentence are not beside it "
                                        "(its sentence removed and another written beside it: a look-alike saying another "
                                        "thing); a correction keeps the rest of its sentence")
        return Resolution("edited", ns, ne, kept, how="history", scores=f"neighbours kept {near:.0%}")

