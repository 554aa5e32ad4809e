"""Links into the original: each passage as a text fragment (`url#:~:text=[prefix-,]start[,end][,-suffix]`).

The fragment is the shortest one that matches the passage and nothing else in the article, as a
browser matches it: case-insensitively, white space collapsed, whole words at each edge, `end` the
first match after `start`, `prefix` and `suffix` right next to the text they flank. Each part is
percent-encoded as the Text Fragments spec asks (including `-`, `,` and `&`). The words come from
the published text only: in excerpts mode, from the passage's excerpt.
"""
from __future__ import annotations

import bisect
import heapq
import re
from functools import lru_cache
from urllib.parse import quote

from ..anchoring import GRAM, INDEX_FROM, GramIndex
from ..model import Annotation, Article, SiteConfig
from .excerpts import window_of
from .urls import as_uri

SHORT_GRAM = 3  # characters in the keys of the index for needles shorter than anchoring's GRAM
MAX_WORDS = 6  # words taken from each edge of a passage, and of context, before giving up on shorter forms
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s{2,}")


@lru_cache(maxsize=65536)
def encode(part: str) -> str:
    """A fragment part: everything but unreserved letters percent-encoded, `-` included."""
    return quote(part, safe="").replace("-", "%2D").replace("~", "%7E")


_PARAGRAPH = re.compile(r"\n\s*\n")


def _collapse(body: str) -> str:
    """Every run of white space as one space (`\\s+` -> " ", which str.split's white space is too), quicker."""
    inner = " ".join(body.split())
    if not inner:
        return " " if body else ""
    return (" " if body[0].isspace() else "") + inner + (" " if body[-1].isspace() else "")


class Haystack:
    """An article's body as a browser searches it: lowercase, white space collapsed to one space."""

    def __init__(self, text: str, lo: int, hi: int, indexed: bool = False):
        body = text[lo:hi]
        collapsed = _collapse(body)
        self.text = collapsed.lower()
        # many passages: find without scanning, long needles by 8-character keys, short ones by 3
        self._index = (GramIndex(self.text), GramIndex(self.text, SHORT_GRAM)) if indexed else None
        self.lo = lo
        self._body = body
        self._exact = len(self.text) == len(collapsed)  # lower() kept every length (not so for "İ")
        self._found: dict[str, list[int]] = {}  # memos: the forms tried for a passage share their words
        self._kept: dict[tuple[str, str, str], list[int]] = {}
        self._run_ends: list[int] = []  # ends of white-space runs, and how much the text shrank up to each
        self._shrunk: list[int] = []
        total = 0
        for m in _RUN.finditer(body):  # only runs of two or more shrink
            total += len(m.group()) - 1
            self._run_ends.append(m.end())
            self._shrunk.append(total)

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

    def _starts(self, prefix: str, start: str) -> list[int]:
        """Where `start` occurs as whole words right after `prefix` (if any), in order (memoised).
        Found as the two strings joined (with one space or none): a start as common as "the" is
        never scanned once per prefix."""
        key = ("start", prefix, start)
        if key not in self._kept:
            if not prefix:
                self._kept[key] = self.find_all(start)
            else:
                places = {pos + len(joint) for joint in (prefix + " ", prefix) for pos in self._occurrences(joint + start)}
                self._kept[key] = sorted(at for at in places if self._whole(at, len(start)))
        return self._kept[key]

    def _ends(self, end: str, suffix: str) -> list[int]:
        """Where `end` occurs as whole words right before `suffix` (if any), in order (memoised)."""
        key = ("end", end, suffix)
        if key not in self._kept:
            if not suffix:
                self._kept[key] = self.find_all(end)
            else:
                places = {pos for joint in (" ", "") for pos in self._occurrences(end + joint + suffix)}
                self._kept[key] = sorted(at for at in places if self._whole(at, len(end)))
        return self._kept[key]

    def selects_only(self, prefix: str, start: str, end: str, suffix: str, wanted: tuple[int, int]) -> bool:
        """True when the fragment (its parts lowercase) selects `wanted` and nothing else, as the
        spec's search finds it: one range per match of `start` (after `prefix`); with `end`, the range
        runs to the first match of `end` after `start` that `suffix` follows."""
        starts = self._starts(prefix, start)
        if not end:
            hits = (at for at in starts if self._followed(at + len(start), suffix))
            return next(hits, None) == wanted[0] and next(hits, None) is None and wanted[1] == wanted[0] + len(start)
        ends = self._ends(end, suffix)
        if not ends or not starts or starts[0] != wanted[0]:
            return False  # the first match of start that has an end after it is the one a browser shows
        if bisect.bisect_right(starts, ends[-1] - len(start)) != 1:
            return False  # none, or more than one, match of start has an end after it
        k = bisect.bisect_left(ends, wanted[0] + len(start))
        return ends[k] + len(end) == wanted[1]

    def _followed(self, stop: int, suffix: str) -> bool:
        return not suffix or self.text[stop : stop + len(suffix) + 1].lstrip(" ").startswith(suffix)


@lru_cache(maxsize=8)
def _haystack(text: str, lo: int, hi: int, indexed: bool) -> Haystack:
    return Haystack(text, lo, hi, indexed)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _words_before(text: str, lo: int, at: int) -> list[str]:
    """The last MAX_WORDS words of the paragraph that runs up to `at` (not before lo), read from a
    window that widens until it holds them: never the whole text before every passage."""
    width = 256
    while True:
        start = max(lo, at - width)
        parts = _PARAGRAPH.split(text[start:at])
        words = _words(parts[-1])
        if len(parts) > 1 or start == lo or len(words) > MAX_WORDS:  # more than MAX_WORDS: a cut first word is not kept
            return words[-MAX_WORDS:]
        width *= 4


def _words_after(text: str, at: int, hi: int) -> list[str]:
    """The first MAX_WORDS words of the paragraph that runs on from `at` (not past hi)."""
    width = 256
    while True:
        end = min(hi, at + width)
        parts = _PARAGRAPH.split(text[at:end], maxsplit=1)
        words = _words(parts[0])
        if len(parts) > 1 or end == hi or len(words) > MAX_WORDS:  # more than MAX_WORDS: a cut last word is not kept
            return words[:MAX_WORDS]
        width *= 4


def directive(article: Article, config: SiteConfig, ann: Annotation) -> str:
    """`text=…` for the passage: the shortest form that selects it and nothing else in the article.

    Forms are tried shortest first (best-first over how many words each part takes: every added
    word makes a form longer, so the first that selects only the passage is a shortest one). A term
    never crosses a paragraph break, since browsers match each term inside one block."""
    lo, hi = window_of(article, config, ann.start, ann.end)
    text = article.text
    # unique in the whole text, not only the body: the original page has its title and furniture too
    hay = _haystack(text, 0, len(text), len(article.annotations) >= INDEX_FROM)
    wanted = (hay.position(ann.start), hay.position(ann.end))
    paragraphs = _PARAGRAPH.split(text[ann.start : ann.end])
    first, last, single = _words(paragraphs[0]), _words(paragraphs[-1]), len(paragraphs) == 1
    before, after = _words_before(text, lo, ann.start), _words_after(text, ann.end, hi)

    whole = " ".join(first)
    starts = [whole] + [" ".join(first[:a]) for a in range(1, min(len(first), MAX_WORDS) + 1)]
    ends = [""] + [" ".join(last[len(last) - b :]) for b in range(1, min(len(last), MAX_WORDS) + 1)]
    prefixes = [""] + [" ".join(before[len(before) - p :]) for p in range(1, len(before) + 1)]
    suffixes = [""] + [" ".join(after[:s]) for s in range(1, len(after) + 1)]
    # each part as it is searched: lowercase
    low = [[w.lower() for w in words] for words in (prefixes, starts, ends, suffixes)]
    heap: list = []
    seen: set = set()

    def push(a: int, b: int, p: int, s: int) -> None:
        """a = 0: the whole passage as `start`; else its first a and last b words as start and end;
        p and s words of context before and after."""
        key = (a, b, p, s)
        if key in seen:
            return
        seen.add(key)
        if p >= len(prefixes) or s >= len(suffixes) or a >= len(starts):
            return
        if (not (single and b == 0)) if a == 0 else not (1 <= b <= min(len(last) - (a if single else 0), MAX_WORDS)):
            return
        form = ((encode(prefixes[p]) + "-," if p else "") + encode(starts[a]) + ("," + encode(ends[b]) if b else "")
                + (",-" + encode(suffixes[s]) if s else ""))
        heapq.heappush(heap, (len(form), form, key))

    push(0, 0, 0, 0)
    push(1, 1, 0, 0)
    while heap:
        _, form, (a, b, p, s) = heapq.heappop(heap)
        if hay.selects_only(low[0][p], low[1][a], low[2][b], low[3][s], wanted):
            return "text=" + form
        push(a, b, p + 1, s)
        push(a, b, p, s + 1)
        if a:
            push(a + 1, b, p, s)
            push(a, b + 1, p, s)
    # repeated word for word, context and all: the whole passage, whose first copy browsers show
    return "text=" + (encode(whole) if single else encode(starts[1]) + "," + encode(ends[1]))


def fragment_link(article: Article, config: SiteConfig, ann: Annotation) -> str | None:
    """The passage in the original (`article.url`), or None when the article has no URL."""
    if not article.meta.url:
        return None
    return as_uri(article.meta.url.split("#")[0]) + "#:~:" + directive(article, config, ann)
