"""Anchoring: from a quote to the one span of the article's text it names. Pure functions.

Both sides are normalised the same way (NFC, white-space runs as one space, curly quotes as
straight ones); matches are found in the normalised text and mapped back to offsets in the
original text.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_ODD_SPACE = re.compile(r"[^\S ]")  # white space other than " "
_ASCII_ODD_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # the same, of ASCII
_TWO_SPACES = re.compile("  ")


def _unusual_spaces(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of white space that normalising changes: one of two characters or more, or
    one character other than " ". Found from where such runs must be (white space other than " ", and "  "):
    a pattern for the runs themselves is tried at every space of the text, and in ASCII text (known at once)
    str.find looks for each character 20x faster than re scans for them all. But "  ": str.find crawls
    through a text full of single spaces (a needle of two equal characters), re's literal search is 5x faster."""
    seeds = []
    if text.isascii():
        for c in _ASCII_ODD_SPACE:
            at = text.find(c)
            while at != -1:
                seeds.append(at)
                at = text.find(c, at + 1)
    else:
        seeds = [m.start() for m in _ODD_SPACE.finditer(text)]
    found = _TWO_SPACES.search(text)
    while found:
        seeds.append(found.start())
        found = _TWO_SPACES.search(text, found.start() + 2)
    seeds.sort()
    runs, end, n = [], 0, len(text)
    for at in seeds:
        if at < end:
            continue  # in the run before
        start, end = at, at + 1
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while end < n and text[end].isspace():
            end += 1
        runs.append((start, end))
    return runs


def straighten(text: str) -> str:
    """Curly quotes as straight ones (str.replace is 20x faster than str.translate here)."""
    return text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def collapse(text: str) -> str:
    """Each run of white space as one space (`\\s+` -> " "): str.split cuts at the same characters
    (str.isspace), 5x faster than re.sub."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def normalise(text: str) -> str:
    """The comparison form of a short string (a quote, prefix or suffix)."""
    return collapse(text if text.isascii() else straighten(unicodedata.normalize("NFC", text)))


_LIGATURES = {c: unicodedata.normalize("NFKC", c) for c in "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"}  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ


def seen(text: str) -> str:
    """The text as a reader sees its words: without invisible format characters (a soft hyphen, a zero-width space or
    joiner: "co\u00adoperation" is "cooperation") and with a typesetter's ligatures spelt out ("\ufb01nancial" is
    "financial"; a PDF copied puts them in). Quotes do not match through them (SPEC 4); hints and re-anchoring see
    through them."""
    return "".join(_LIGATURES.get(c, c) for c in text if unicodedata.category(c) != "Cf")


@dataclass(frozen=True, slots=True)
class NormText:
    """An article's text in comparison form, with a map back to the original offsets.

    `marks` and `shifts` are parallel: from normalised offset marks[k] on, the original
    offset is the normalised one plus shifts[k]. Where NFC changed the text, `nfc_map`
    maps each NFC offset to the original one.
    """

    text: str
    marks: tuple[int, ...]
    shifts: tuple[int, ...]
    nfc_map: tuple[int, ...] | None = None

    def _to_nfc(self, i: int) -> int:
        k = bisect.bisect_right(self.marks, i) - 1
        return i + self.shifts[k]

    def start(self, i: int) -> int:
        """Original offset of normalised offset i."""
        j = self._to_nfc(i)
        return self.nfc_map[j] if self.nfc_map else j

    def end(self, i: int) -> int:
        """Original offset just after the normalised character at i - 1."""
        j = self._to_nfc(i - 1) + 1
        return self.nfc_map[j] if self.nfc_map else j

    def norm_offset(self, original: int) -> int:
        """The normalised offset of an original one (first at or after it)."""
        lo, hi = 0, len(self.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.start(mid) < original:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _nfc_with_map(text: str) -> tuple[str, tuple[int, ...] | None]:
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out, mapping, i = [], [], 0
    n = len(text)
    while i < n:  # normalise each starter with what composes onto it, mapping every output char
        j = i + 1
        while j < n:  # combining marks belong to the segment; so does a starter that composes
            c = text[j]  # onto it (Hangul jamo, some Indic vowel signs); an ASCII one never does
            if c < "\x80" or not unicodedata.combining(c) and (
                len(unicodedata.normalize("NFC", text[i : j + 1])) > len(unicodedata.normalize("NFC", text[i:j]))
            ):
                break
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        mapping.extend([i] * len(piece))
        i = j
    mapping.append(n)
    return "".join(out), tuple(mapping)


def norm_text(text: str) -> NormText:
    straight = straighten(text)
    if straight.isascii():  # ASCII and curly quotes: NFC already (none composes), and checking it took a tenth of anchoring
        nfc, nfc_map = straight, None
    else:
        nfc, nfc_map = _nfc_with_map(text)
        nfc = straighten(nfc)
    parts, marks, shifts = [], [0], [0]
    last, shift = 0, 0
    for start, end in _unusual_spaces(nfc):
        parts.append(nfc[last:start])
        parts.append(" ")
        last = end
        if end - start > 1:
            marks.append(start - shift + 1)
            shift += end - start - 1
            shifts.append(shift)
    parts.append(nfc[last:])
    return NormText("".join(parts), tuple(marks), tuple(shifts), nfc_map)


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # original offsets
    end: int


class Spans(Sequence):
    """The matches of a quote, each mapped back to the file's offsets only when read: a quote may match a
    million places (a word said again through a 5 MB file), of which one is used and a few are listed."""

    __slots__ = ("norm", "starts", "length")

    def __init__(self, norm: "NormText", starts: list[int], length: int):
        self.norm, self.starts, self.length = norm, starts, length

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self.starts)))]
        s = self.starts[k]
        return Match(self.norm.start(s), self.norm.end(s + self.length))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The one match, or why there is none: "missing", "ambiguous", "occurrence", "empty"."""

    match: Match | None
    problem: str | None = None
    candidates: Sequence[Match] = ()
    count: int = 0


GRAM = 8  # characters in each key of a GramIndex
INDEX_FROM = 64  # annotations in an article from which anchor_article indexes its text


class GramIndex:
    """Where each GRAM-character string of a text starts: with it, finding a quote costs the
    places its rarest GRAM occurs, not a scan of the whole text. Built once for an article with
    many annotations, so that anchoring them is near-linear rather than quotes x text."""

    def __init__(self, text: str, gram: int = GRAM):
        self.text, self.gram = text, gram
        self.at: dict[str, list[int]] = {}
        setdefault = self.at.setdefault
        for i in range(len(text) - gram + 1):
            setdefault(text[i : i + gram], []).append(i)
        self.found: dict[tuple[str, int, int], list[int]] = {}  # the last few answers: quotes said again

    FOUND_KEPT = 16  # answers kept: notes on one phrase said many times, each with its `occurrence`, come together

    def find_all(self, needle: str, lo: int, hi: int) -> list[int]:
        """The same as find_all on the text (needle at least `gram` long); the list is shared: not to be changed."""
        key = (needle, lo, hi)
        found = self.found.get(key)
        if found is None:
            if len(self.found) >= self.FOUND_KEPT:
                del self.found[next(iter(self.found))]
            found = self.found[key] = self._find_all(needle, lo, hi)
        return found

    def _find_all(self, needle: str, lo: int, hi: int) -> list[int]:
        best, offset, gram = None, 0, self.gram
        for j in range(len(needle) - gram + 1):
            places = self.at.get(needle[j : j + gram])
            if places is None:
                return []
            if best is None or len(places) < len(best):
                best, offset = places, j
                if len(best) == 1:
                    break
        text, n = self.text, len(needle)
        return [p - offset for p in best
                if lo <= p - offset and p - offset + n <= hi and text.startswith(needle, p - offset)]


def find_all(norm: NormText, needle: str, lo: int, hi: int, index: GramIndex | None = None) -> list[int]:
    """Normalised start offsets of every (possibly overlapping) match inside [lo, hi)."""
    if index is not None and len(needle) >= GRAM:
        return index.find_all(needle, lo, hi)
    found, i = [], norm.text.find(needle, lo, hi)
    while i != -1:
        found.append(i)
        i = norm.text.find(needle, i + 1, hi)
    return found


def _skip_spaces_back(text: str, i: int, lo: int) -> int:
    """i moved back over spaces (not below lo): text[lo:result] is text[lo:i].rstrip(" "), uncopied."""
    while i > lo and text[i - 1] == " ":
        i -= 1
    return i


def _skip_spaces(text: str, i: int, hi: int) -> int:
    while i < hi and text[i] == " ":
        i += 1
    return i


def anchor(norm: NormText, quote: str, prefix: str | None = None, suffix: str | None = None,
           occurrence: int | None = None, bounds: tuple[int, int] | None = None, index: GramIndex | None = None) -> Outcome:
    """Find the single span a quote names; bounds are normalised offsets of the body."""
    needle = normalise(quote).strip(" ")
    if not needle:
        return Outcome(None, "empty")
    lo, hi = bounds or (0, len(norm.text))
    starts = find_all(norm, needle, lo, hi, index)
    if prefix is not None:
        p = normalise(prefix).strip(" ")
        starts = [s for s in starts if norm.text.endswith(p, lo, _skip_spaces_back(norm.text, s, lo))]
    if suffix is not None:
        sfx = normalise(suffix).strip(" ")
        starts = [s for s in starts if norm.text.startswith(sfx, _skip_spaces(norm.text, s + len(needle), hi), hi)]
    spans = Spans(norm, starts, len(needle))
    if occurrence is not None:
        if occurrence > len(spans) or occurrence < 1:
            return Outcome(None, "occurrence" if spans else "missing", spans, len(spans))
        return Outcome(spans[occurrence - 1], None, spans, len(spans))
    if not spans:
        return Outcome(None, "missing")
    if len(spans) > 1:
        return Outcome(None, "ambiguous", spans, len(spans))
    return Outcome(spans[0], None, spans, 1)


def runs_on(text: str, s: int, e: int, norm: NormText | None = None) -> bool:
    """Whether the words of text[s:e] (normalised) run on into a word right after or before them, with no punctuation
    between: a stretch with fewer words than a quote that does so has left out the word that changed ("… close the"
    of "… close the pool", for "… close the library"), and is no place to propose nor to suggest."""
    return joined(text, e, norm) or joined(text, s - 1, norm)


def joined(text: str, at: int, norm: NormText | None = None) -> bool:
    """Whether the space at normalised offset `at` runs the word before it on into the word after it: no punctuation
    between, and (with `norm`, the text's map back to the article) no paragraph break, which normalised is one space
    like any other: a heading's last word ("Planning") does not run on into the paragraph after it."""
    return (0 < at < len(text) - 1 and text[at] == " " and text[at - 1].isalnum() and text[at + 1].isalnum()
            and not (norm is not None and norm.start(at + 1) - norm.start(at) > 1))


def clip(text: str, limit: int = 80) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def anchor_article(article, problems) -> "object":
    """The article with its body bounds and every annotation's span set; problems reported."""
    from .anchorhints import as_seen, copied_from_the_page, elided, in_the_title, overlapping_context, suggest
    from .model import replaced

    norm = norm_text(article.text)
    path = article.path
    lo, hi = 0, len(norm.text)
    meta = article.meta
    if meta.body_start or meta.body_end:
        body = [None, None]
        for i, quote in enumerate((meta.body_start, meta.body_end)):
            if quote is None:
                continue
            found = anchor(norm, quote.text)
            name = "body.start" if i == 0 else "body.end"
            if found.match:
                body[i] = found.match
            elif found.problem == "ambiguous":
                problems.error(quote.loc.file, quote.loc.line, quote.loc.col,
                               f"{name} must occur once in {path}, but matches {found.count} places ({_lines(article, found.candidates)}): quote more of it")
            else:
                problems.error(quote.loc.file, quote.loc.line, quote.loc.col,
                               f"{name} not found in {path}: \"{clip(quote.text)}\""
                               + (as_seen(article, norm, quote, (0, len(norm.text))) or suggest(article, norm, quote.text, 0, len(norm.text))))
        if body[0] and body[1] and body[1].end <= body[0].start:
            q = meta.body_end
            problems.error(q.loc.file, q.loc.line, q.loc.col,
                           f"body.end (line {article.flow.line_at(body[1].start)}) comes before body.start (line {article.flow.line_at(body[0].start)}) in {path}")
        else:
            start = body[0].start if body[0] else 0
            end = body[1].end if body[1] else len(article.text)
            lo, hi = norm.norm_offset(start), norm.norm_offset(end)
    anchored, loose, unanchored = [], [], []  # loose: the relations of annotations that did not anchor, checked all the same
    index = GramIndex(norm.text) if len(article.annotations) >= INDEX_FROM else None
    for ann in article.annotations:
        q = ann.quote
        found = anchor(norm, q.text, q.prefix, q.suffix, q.occurrence, (lo, hi), index)
        if found.match:
            anchored.append(replaced(ann, start=found.match.start, end=found.match.end))
            cut = _cut_edge(article.text, found.match.start, found.match.end)
            if cut:
                problems.warning(q.loc.file, q.loc.line, q.loc.col, f"the quote {cut} in the middle of a character "
                                 "(an emoji or a letter with its marks): the page would split it; quote it whole")
            elif cut := cut_word(article.text, found.match.start, found.match.end):
                problems.warning(q.loc.file, q.loc.line, q.loc.col, f"the quote matches only part of {cut} (line "
                                 f"{article.flow.line_at(found.match.start)}): if the article was edited (\"14\" "
                                 "became \"140\"), this may no longer be the passage meant; quote the whole word")
            continue
        where = q.loc
        lines = _lines(article, found.candidates)
        if found.problem == "ambiguous" and q.occurrence_unread:
            message = None  # ("occurrence: 0": which repeat is meant is that error, reported where it is written)
        elif found.problem == "ambiguous":
            message = (f"quote matches {found.count} places in {path} ({lines}): "
                       "add prefix, suffix or occurrence to choose one")
        elif found.problem == "occurrence":
            message = f"occurrence {q.occurrence} is beyond the {found.count} match(es) of this quote in {path} ({lines})"
        elif found.problem == "empty":
            message = '"quote" is empty'
        else:
            outside = anchor(norm, q.text, q.prefix, q.suffix, q.occurrence)
            if outside.match or outside.problem in ("ambiguous", "occurrence"):
                first = outside.match or outside.candidates[0]
                line = article.flow.line_at
                if first.start < norm.start(lo) < first.end:  # copied a line too early, or too far
                    message = (f"quote is outside the article's body: it starts on line {line(first.start)} of {path}, "
                               f"before body.start, and runs into the body on line {line(max(first.end - 1, 0))}")
                elif first.start < norm.end(hi) < first.end:
                    message = (f"quote is outside the article's body: it starts on line {line(first.start)} of {path}, "
                               f"inside the body, and runs past body.end to line {line(max(first.end - 1, 0))}")
                else:
                    side = "before body.start" if first.start < norm.start(lo) else "after body.end"
                    message = (f"quote is outside the article's body: it is on line {line(first.start)} of {path}, "
                               f"{side}, but the body runs from line {line(norm.start(lo))} "
                               f"to line {line(max(norm.start(max(hi - 1, lo)), 0))}")
            else:
                plain = anchor(norm, q.text, bounds=(lo, hi)) if (q.prefix is not None or q.suffix is not None) else None
                if plain is not None and plain.candidates:
                    parts = [f'{name} "{clip(text, 40)}"' for name, text in (("prefix", q.prefix), ("suffix", q.suffix)) if text is not None]
                    message = (f'quote found in {path} ({_lines(article, plain.candidates)}), '
                               f'but never with {" and ".join(parts)}') + overlapping_context(norm, q, (lo, hi))
                else:
                    hint = (as_seen(article, norm, q, (lo, hi)) or in_the_title(article, norm, q, (lo, hi))
                            or copied_from_the_page(article, norm, q, (lo, hi)) or suggest(article, norm, q.text, lo, hi))
                    message = f'quote not found in {path}: "{clip(q.text)}"' + hint + elided(article, q.text, hint)
        if message:
            problems.error(where.file, where.line, where.col, message)
        loose.extend(ann.relations)
        loose.extend(("sources", s.ref) for s in ann.sources if s.ref is not None)  # (a link, checked as one)
        unanchored.append(ann)
    return replaced(article, annotations=tuple(anchored), declared_ids=frozenset(a.id for a in article.annotations),
                   loose_relations=tuple(loose), unanchored=tuple(unanchored), body=(norm.start(lo), norm.end(hi) if hi > lo else norm.start(lo)))


def _joined(c: str) -> bool:
    """A code point that belongs to the character before it: a combining mark, a zero-width joiner, a
    variation selector, a skin tone."""
    return bool(unicodedata.combining(c)) or c in "\u200d\ufe0e\ufe0f" or "\U0001f3fb" <= c <= "\U0001f3ff"


def _cut_edge(text: str, start: int, end: int) -> str:
    """"starts" or "ends" when a passage's edge falls inside one character as a reader sees it; else ""."""
    if 0 < start < len(text) and (_joined(text[start]) or text[start - 1] == "\u200d"):
        return "starts"
    if 0 < end < len(text) and (_joined(text[end]) or text[end - 1] == "\u200d"):
        return "ends"
    return ""


# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese, and
# their punctuation): each character is a word of its own.
UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff"
            "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff")
_SPACED_WORD = re.compile(f"[^\\W_{UNSPACED}]+")  # letters and digits of a script written with spaces
# Invisible break hints a web page puts in long words and addresses (soft hyphen, zero-width space, word joiner, BOM),
# copied with its text: no part of a word a reader types (search.fold drops them, search.js too) nor of an address
# a bare URL links to (read/text.py). The text keeps them as published.
BREAK_HINTS = "\u00ad\u200b\u2060\ufeff"


# a number goes on across a decimal point or a separator between digits ("2.5", "1,500", "1 500" with a no-break or
# thin space), and a minus glued before it is its own ("-5"; not the hyphen of "COVID-19")
_NUMBER = re.compile(r"(?<![\w.,])[-−]?\d+(?:[.,\u00a0\u202f\u2009]\d+)*")


def cut_word(text: str, start: int, end: int) -> str:
    """`the word “140”` when a passage's edge falls inside a word or a number (the quote "at least 14"
    in "at least 140", "500 people" in "1,500 people", "5 degrees" in "-5 degrees"), else "": the match is no
    longer the words the quote was written for."""
    for edge in (start, end):
        if 0 < edge < len(text) and _SPACED_WORD.match(text, edge - 1, edge) and _SPACED_WORD.match(text, edge):
            lo = edge - 1
            while lo > 0 and _SPACED_WORD.match(text, lo - 1, lo):
                lo -= 1
            word = text[lo : _SPACED_WORD.match(text, edge).end()]
            return f"the {'number' if word.isdigit() else 'word'} “{word}”"
    # a number an edge falls inside has a digit on one side of it (its minus and separators stand before one):
    # most passages have none there, and need no look for numbers around them (a tenth of anchoring's time)
    if not any(0 < edge < len(text) and (text[edge - 1].isdecimal() or text[edge].isdecimal()) for edge in (start, end)):
        return ""
    for m in _NUMBER.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if any(m.start() < edge < m.end() for edge in (start, end)):
            return f"the number “{m.group()}”"
    return ""


_SHOWN = 10  # places listed for an ambiguous quote; the count says how many there are


def _lines(article, matches) -> str:
    """"line 4" or "lines 1, 4, 6": where matches start in the article's file; where two share a line,
    each with the words that follow it ("line 3, before "jumps. The""), which tell them apart (a suffix)."""
    numbers = [str(article.flow.line_at(m.start)) for m in matches[:_SHOWN]]
    more = f" and {len(matches) - _SHOWN} more" if len(matches) > _SHOWN else ""
    if len(set(numbers)) < len(numbers):
        after = [" ".join(article.text[m.end : m.end + 60].split("\n\n")[0].split()[:3]) for m in matches[:_SHOWN]]
        places = [f'line {n}, before "{a}"' if a else f"line {n}, at the paragraph's end" for n, a in zip(numbers, after)]
        if len(set(places)) < len(places):  # a sentence said again word for word: only its number tells them apart
            places = [f"{place} (occurrence {k})" for k, place in enumerate(places, 1)]
        return "; ".join(places) + more
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers) + more
