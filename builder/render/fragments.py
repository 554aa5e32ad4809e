"""Links into the original: each passage as a text fragment (`url#:~:text=[prefix-,]start[,end][,-suffix]`).

The fragment is the shortest one that matches the passage and nothing else in the article, as a
browser matches it: case-insensitively, white space collapsed, whole words at each edge, `end` the
first match after `start`, `prefix` and `suffix` right next to the text they flank. Each part is
percent-encoded as the Text Fragments spec asks (including `-`, `,` and `&`). The words come from
the published text only: in excerpts mode, from the passage's excerpt.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from heapq import heappop, heappush
from urllib.parse import quote

from ..anchoring import GRAM, INDEX_FROM, GramIndex, collapse
from .. import native
from ..model import Annotation, Article, SiteConfig
from ..excerpts import window_of
from ..weburl import as_uri

SHORT_GRAM = 3  # characters in the keys of the index for needles shorter than anchoring's GRAM
MAX_WORDS = 6  # words taken from each edge of a passage, and of context, before giving up on shorter forms
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s\s+")  # not \s{2,}: the same runs, found quicker
_SPACES = re.compile(" +")


_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_."
_UNRESERVED_BYTES = _UNRESERVED.encode()
_ASCII = {chr(c): chr(c) if chr(c) in _UNRESERVED else f"%{c:02X}" for c in range(128)}  # as quote writes each


@lru_cache(maxsize=65536)
def encode(part: str) -> str:
    """A fragment part: everything but unreserved letters percent-encoded, `-` included (ASCII
    from a table, character by character: what quote writes, several times quicker)."""
    if part.isascii():
        return "".join(map(_ASCII.__getitem__, part))
    return quote(part, safe="").replace("-", "%2D").replace("~", "%7E")


_PARAGRAPH = re.compile(r"\n\s*\n")
_NATIVE = native.load("_fragments")  # builder/_fragments.c: directive and Haystack compiled (None where not built)


def _space_runs(flat: str):
    """(start, end) of each run of two or more spaces, found by str.find (a regex tries every character)."""
    at = flat.find("  ")
    while at != -1:
        end = at + 2  # most runs are a paragraph break's two: the regex only for longer ones
        if flat[end : end + 1] == " ":
            end = _SPACES.match(flat, end).end()
        yield at, end
        at = flat.find("  ", end)


_PRINTABLE_ASCII = bytes(range(32, 127))


def _printable_and_lower(flat: str) -> tuple[bool, str | None]:
    """flat.isprintable(), and flat.lower() if no character outside printable ASCII changes case
    (else None), told from its UTF-8 bytes: printable ASCII as bytes, the few others as a short
    string (twice as quick as str's per-character tables). Σ changes case, so the final sigma, which
    depends on its neighbours, never gets past the check."""
    try:
        raw = flat.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return flat.isprintable(), None
    rest = raw.translate(None, _PRINTABLE_ASCII).decode()  # every other character, in order
    return rest.isprintable(), raw.lower().decode() if rest.lower() == rest else None


class Haystack:
    """An article's body as a browser searches it: lowercase, white space collapsed to one space."""

    def __init__(self, text: str, lo: int, hi: int, indexed: bool = False):
        body = text[lo:hi]
        fast = _NATIVE.haystack(body) if _NATIVE is not None else None  # (where it declines: this code)
        if fast is not None:
            self.text, self._run_ends, self._shrunk = fast
            self._exact = True
        else:
            self._exact = self._searched(body)
        # many passages: find without scanning, long needles by 8-character keys, short ones by 3
        self._index = (GramIndex(self.text), GramIndex(self.text, SHORT_GRAM)) if indexed else None
        self.lo = lo
        self._body = body
        self._found: dict[str, list[int]] = {}  # memos: the forms tried for a passage share their words
        self._kept: dict[tuple[str, str, str], list[int]] = {}  # _all's
        self._first: dict[tuple[str, str], int | None] = {}

    def _searched(self, body: str) -> bool:
        """Set text, _run_ends and _shrunk; whether position() may count by them (builder/_fragments.c's
        `haystack` mirrors the route where `lowered`: the pieces cut from the body lowered)."""
        self._run_ends: list[int] = []  # ends of white-space runs, and how much the text shrank up to each
        self._shrunk: list[int] = []
        pieces, total, done = [], 0, 0
        flat = body.replace("\n", " ")
        plain, low = _printable_and_lower(flat)  # plain: " " is its only white space (every other kind is unprintable)
        lowered = plain and low is not None  # then the pieces are cut from flat lowered: the same places
        source = low if lowered else flat
        runs = _space_runs(source) if plain else (m.span() for m in _RUN.finditer(body))
        for start, end in runs:  # only runs of two or more shrink
            pieces.append(source[done:start])
            total += end - start - 1
            done = end
            self._run_ends.append(done)
            self._shrunk.append(total)
        pieces.append(source[done:])
        # the runs as one space each, and lone newlines too: collapse(body) if no other white space is
        # left (all white space but " " is unprintable), found without splitting at every word
        collapsed = " ".join(pieces)
        if not plain and not collapsed.isprintable():
            collapsed = collapse(body)
        self.text = collapsed if lowered else collapsed.lower()
        return lowered or len(self.text) == len(collapsed)  # lower() kept every length (not so for "İ")

    def position(self, offset: int) -> int:
        """Where an offset of the article's text falls in the searched text."""
        j = offset - self.lo
        if not self._exact:
            return len(_SPACE.sub(" ", self._body[:j]).lower())
        k = bisect.bisect_right(self._run_ends, j)
        return j - (self._shrunk[k - 1] if k else 0)

    def _occurrences(self, needle: str) -> list[int]:
        """Every place `needle` starts, in order, words whole or not."""
        if self._index is not None and len(needle) >= SHORT_GRAM:
            return self._index[len(needle) < GRAM].find_all(needle, 0, len(self.text))
        found, find = [], self.text.find
        at = find(needle)
        while at != -1:
            found.append(at)
            at = find(needle, at + 1)
        return found

    def _whole(self, at: int, n: int) -> bool:
        """Whether the n characters at `at` are whole words (no letter or digit joined on at either edge)."""
        text = self.text
        return not (at > 0 and text[at].isalnum() and text[at - 1].isalnum()) and \
            not (at + n < len(text) and text[at + n - 1].isalnum() and text[at + n].isalnum())

    def find_all(self, needle: str) -> list[int]:
        """Where `needle` occurs as whole words, in order (memoised: the forms tried for one passage,
        and the passages of one article, search for the same words again and again)."""
        found = self._found.get(needle)
        if found is None:
            text, n, size = self.text, len(needle), len(self.text)
            # _whole, inlined: one call per occurrence of every word tried is the hot loop here
            head, tail = needle[0].isalnum(), needle[-1].isalnum()
            found = self._found[needle] = [
                at for at in self._occurrences(needle)
                if not (head and at > 0 and text[at - 1].isalnum()) and not (tail and at + n < size and text[at + n].isalnum())]
        return found

    def _needles(self, left: str, word: str, right: str) -> tuple[tuple[str, int], ...]:
        """The strings to find for `word` right after `left` or right before `right` (one of them
        empty), joined with one space or none, each with where the word starts in it. Joined with
        none where letters or digits meet, the word is never whole: not searched."""
        if left:
            glued = () if left[-1:].isalnum() and word[:1].isalnum() else ((left + word, len(left)),)
            return ((left + " " + word, len(left) + 1),) + glued
        if right:
            glued = () if word[-1:].isalnum() and right[:1].isalnum() else ((word + right, 0),)
            return ((word + " " + right, 0),) + glued
        return ((word, 0),)

    def _all(self, left: str, word: str, right: str) -> list[int]:
        """Every place where `word` occurs as whole words right after `left`, or right before
        `right`, in order (memoised). Found as the strings joined: a word as common as "the" is
        never scanned once per prefix."""
        key = (left, word, right)
        if key not in self._kept:
            if not left and not right:
                self._kept[key] = self.find_all(word)
            else:
                places = {pos + skip for needle, skip in self._needles(left, word, right) for pos in self._occurrences(needle)}
                self._kept[key] = sorted(at for at in places if self._whole(at, len(word)))
        return self._kept[key]

    def _next(self, left: str, word: str, right: str, at: int, to: int | None = None) -> int | None:
        """The first place from `at` (up to `to`) where `word` occurs as whole words right after
        `left`, or right before `right`, or None. Unindexed, found by reading on only to it: a
        start as common as "the" is not listed everywhere it occurs."""
        if self._index is not None:
            found = self._all(left, word, right)
            k = bisect.bisect_left(found, at)
            return found[k] if k < len(found) and (to is None or found[k] <= to) else None
        text, first, n = self.text, None, len(word)
        size, find, head, tail = len(text), text.find, word[0].isalnum(), word[-1].isalnum()
        if not left and not right:  # the word alone: _needles' one needle, read on to its first whole match
            stop = size if to is None else max(to + n, 0)
            pos = find(word, max(at, 0), stop)
            while pos != -1:
                if not (head and pos > 0 and text[pos - 1].isalnum()) and not (tail and pos + n < size and text[pos + n].isalnum()):
                    return pos
                pos = find(word, pos + 1, stop)
            return None
        for needle, skip in self._needles(left, word, right):
            stop = size if to is None else max(to - skip + len(needle), 0)
            pos = find(needle, max(at - skip, 0), stop)
            while pos != -1:  # _whole(pos + skip, n), inlined as in find_all
                w = pos + skip
                if not (head and w > 0 and text[w - 1].isalnum()) and not (tail and w + n < size and text[w + n].isalnum()):
                    first = to = w  # the other needle is read only up to here
                    break
                pos = find(needle, pos + 1, stop)
        return first

    def _last(self, word: str, right: str) -> int | None:
        """The last place where `word` occurs as whole words right before `right`, or None."""
        if self._index is not None:
            found = self._all("", word, right)
            return found[-1] if found else None
        rfind, last = self.text.rfind, None
        for needle, _ in self._needles("", word, right):
            after = 0 if last is None else last + 1  # the other needle is read only from here
            pos = rfind(needle, after)
            while pos != -1 and not self._whole(pos, len(word)):
                pos = rfind(needle, after, pos + len(needle) - 1)
            if pos != -1:
                last = pos
        return last

    def first_start(self, prefix: str, start: str) -> int | None:
        """Where `start` first occurs as whole words right after `prefix` (if any; memoised)."""
        key = (prefix, start)
        found = self._first.get(key, -1)  # (-1: not asked yet; None: no match)
        if found == -1:
            found = self._first[key] = self._next(prefix, start, "", 0)
        return found

    def selects_only(self, prefix: str, start: str, end: str, suffix: str, wanted: tuple[int, int]) -> bool:
        """True when the fragment (its parts lowercase) selects `wanted` and nothing else, as the
        spec's search finds it: one range per match of `start` (after `prefix`); with `end`, the range
        runs to the first match of `end` after `start` that `suffix` follows."""
        if not end:
            hits = (at for at in self._all(prefix, start, "") if self._followed(at + len(start), suffix))
            return next(hits, None) == wanted[0] and next(hits, None) is None and wanted[1] == wanted[0] + len(start)
        if self.first_start(prefix, start) != wanted[0]:
            return False  # the first match of start that has an end after it is the one a browser shows
        if self._next("", end, suffix, wanted[0] + len(start)) != wanted[1] - len(end):
            return False  # the range runs to the first match of end after start
        # no later match of start may have an end after it
        return self._next(prefix, start, "", wanted[0] + 1, self._last(end, suffix) - len(start)) is None

    def _followed(self, stop: int, suffix: str) -> bool:
        return not suffix or self.text[stop : stop + len(suffix) + 1].lstrip(" ").startswith(suffix)


@lru_cache(maxsize=8)
def _haystack(text: str, lo: int, hi: int, indexed: bool) -> Haystack:
    return Haystack(text, lo, hi, indexed)


def _words(text: str) -> list[str]:
    return text.split()  # what \S+ finds, quicker: the same white space


def _words_before(text: str, lo: int, at: int) -> list[str]:
    """The last MAX_WORDS words of the paragraph that runs up to `at` (not before lo), read from a
    window that widens until it holds them: never the whole text before every passage."""
    width = 256
    while True:
        start = max(lo, at - width)
        parts = _PARAGRAPH.split(text[start:at])
        words = parts[-1].rsplit(None, MAX_WORDS)  # the last MAX_WORDS words, and the rest unsplit if any
        if len(parts) > 1 or start == lo or len(words) > MAX_WORDS:  # more than MAX_WORDS: a cut first word is not kept
            return words[-MAX_WORDS:]
        width *= 4


def _words_after(text: str, at: int, hi: int) -> list[str]:
    """The first MAX_WORDS words of the paragraph that runs on from `at` (not past hi)."""
    width = 256
    while True:
        end = min(hi, at + width)
        parts = _PARAGRAPH.split(text[at:end], maxsplit=1)
        words = parts[0].split(None, MAX_WORDS)  # the first MAX_WORDS words, and the rest unsplit if any
        if len(parts) > 1 or end == hi or len(words) > MAX_WORDS:  # more than MAX_WORDS: a cut last word is not kept
            return words[:MAX_WORDS]
        width *= 4


@lru_cache(maxsize=65536)
def _encoded_length(part: str) -> int:
    """len(encode(part)), not encoded: each UTF-8 byte but an unreserved one takes three characters."""
    raw = part.encode()
    return len(raw) + 2 * len(raw.translate(None, _UNRESERVED_BYTES))


def _parts(before: list[str], first: list[str], last: list[str], after: list[str], a: int, b: int, p: int, s: int):
    """A form's prefix, start, end and suffix. a = 0: the whole passage as `start`; else its first a
    and last b words as start and end; p and s words of context before and after."""
    return (" ".join(before[len(before) - p :]) if p else "", " ".join(first[:a] if a else first),
            " ".join(last[len(last) - b :]) if b else "", " ".join(after[:s]))


def _form(prefix: str, start: str, end: str, suffix: str) -> str:
    return ((encode(prefix) + "-," if prefix else "") + encode(start) + ("," + encode(end) if end else "")
            + (",-" + encode(suffix) if suffix else ""))


def _push(heap: list, seen: set, key: tuple[int, int, int, int], length: int) -> None:
    if key not in seen:
        seen.add(key)
        heappush(heap, (length, key))


def directive(article: Article, config: SiteConfig, ann: Annotation) -> str | None:
    """`text=…` for the passage: the shortest form that selects it and nothing else in the article (_best's),
    else the whole passage, whose first copy browsers show, where that copy is this one; else None. A term never crosses a paragraph break, since
    browsers match each term inside one block. builder/_fragments.c's `directive` mirrors what follows the
    haystack."""
    lo, hi = window_of(article, config, ann.start, ann.end)
    text = article.text
    # unique in the whole text, not only the body: the original page has its title and furniture too
    hay = _haystack(text, 0, len(text), len(article.annotations) >= INDEX_FROM)
    wanted = (hay.position(ann.start), hay.position(ann.end))
    if _NATIVE is not None and hay._index is None:  # compiled, where built (it reads the text, never the index)
        compiled = _NATIVE.directive(text, lo, hi, ann.start, ann.end, hay.text, *wanted)
        if compiled is not None:
            return compiled or None
    paragraphs = _PARAGRAPH.split(text[ann.start : ann.end])
    single = len(paragraphs) == 1
    first = _words(paragraphs[0])
    last = first if single else _words(paragraphs[-1])
    words = (_words_before(text, lo, ann.start), first, last, _words_after(text, ann.end, hi))
    found = _best(hay, words, wanted, single)
    if found:
        return "text=" + _form(*_parts(*words, *found))
    # repeated word for word, context and all: the whole passage (or its first and last word), which browsers show
    # at its first copy: where that is not this one, no link (a link to another copy would be a wrong one)
    start = " ".join(first) if single else first[0]
    if hay.first_start("", start.lower()) != wanted[0]:
        return None
    return "text=" + (_form("", start, "", "") if single else encode(first[0]) + "," + encode(last[-1]))


def _best(hay: Haystack, words: tuple[list[str], list[str], list[str], list[str]], wanted: tuple[int, int],
          single: bool) -> tuple[int, int, int, int] | tuple[()]:
    """The shortest form (a, b, p, s) (see _parts) that selects `wanted` and nothing else, or () where none does.

    Forms are tried shortest first (best-first over how many words each part takes: every added
    word makes a form longer, so the first that selects only the passage is a shortest one; forms
    of one length in their strings' order). A form's length is its parent's plus what the added
    word takes encoded, with its "%20", or the "-," "," or ",-" of a new part; only forms that tie
    are written out."""
    before, first, last, after = words
    # how many words each part may take (start and end of one paragraph do not overlap)
    n_starts, n_ends, n_prefixes, n_suffixes = min(len(first), MAX_WORDS), min(len(last), MAX_WORDS), len(before), len(after)
    room = len(last) if single else 2 * MAX_WORDS  # words that start and end may take together
    heap: list = []
    seen: set = set()
    alive: dict = {}  # (a, p) -> whether the start after that prefix is first found at the passage
    if single:  # a = 0 comes with b = 0 only: its children add context alone
        _push(heap, seen, (0, 0, 0, 0), _encoded_length(" ".join(first)))
    if first and last and room > 1:
        _push(heap, seen, (1, 1, 0, 0), _encoded_length(first[0]) + 1 + _encoded_length(last[-1]))
    while heap:
        length, tried = heap[0][0], []
        while heap and heap[0][0] == length:
            a, b, p, s = key = heappop(heap)[1]
            if b and (a, p) not in alive:
                prefix = " ".join(before[len(before) - p :]).lower() if p else ""
                alive[a, p] = hay.first_start(prefix, " ".join(first[:a]).lower()) == wanted[0]
            if b and not alive[a, p]:  # a browser shows an earlier match, whatever the end and suffix:
                if a < n_starts and a + b < room:  # more end or suffix words fail too, so only these are tried
                    _push(heap, seen, (a + 1, b, p, s), length + _encoded_length(first[a]) + 3)
                if p < n_prefixes:
                    _push(heap, seen, (a, b, p + 1, s), length + _encoded_length(before[-p - 1]) + (3 if p else 2))
            else:
                tried.append(key)
        if len(tried) > 1:
            tried.sort(key=lambda key: (_form(*_parts(*words, *key)), key))
        for a, b, p, s in tried:
            prefix, start, end, suffix = _parts(*words, a, b, p, s)
            if hay.selects_only(prefix.lower(), start.lower(), end.lower(), suffix.lower(), wanted):
                return a, b, p, s
            if p < n_prefixes:
                _push(heap, seen, (a, b, p + 1, s), length + _encoded_length(before[-p - 1]) + (3 if p else 2))
            if s < n_suffixes:
                _push(heap, seen, (a, b, p, s + 1), length + _encoded_length(after[s]) + (3 if s else 2))
            if a and a < n_starts and a + b < room:
                _push(heap, seen, (a + 1, b, p, s), length + _encoded_length(first[a]) + 3)
            if a and b < n_ends and a + b < room:
                _push(heap, seen, (a, b + 1, p, s), length + _encoded_length(last[-b - 1]) + 3)
    return ()


@lru_cache(maxsize=8)
def _original(url: str) -> str:
    """The original's address without its fragment, as a URI (once per article, not per passage)."""
    return as_uri(url.split("#")[0])


def fragment_link(article: Article, config: SiteConfig, ann: Annotation) -> str | None:
    """The passage in the original (`article.url`), or None when the article has no URL or no text fragment can
    select the passage (it repeats word for word, context and all, after an earlier copy)."""
    if not article.meta.url:
        return None
    found = directive(article, config, ann)
    return _original(article.meta.url) + "#:~:" + found if found else None
