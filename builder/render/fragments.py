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

from ..model import Annotation, Article, SiteConfig
from .excerpts import window_of
from .urls import as_uri

MAX_WORDS = 6  # words taken from each edge of a passage, and of context, before giving up on shorter forms
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s{2,}")


@lru_cache(maxsize=65536)
def encode(part: str) -> str:
    """A fragment part: everything but unreserved letters percent-encoded, `-` included."""
    return quote(part, safe="").replace("-", "%2D").replace("~", "%7E")


_PARAGRAPH = re.compile(r"\n\s*\n")


class Haystack:
    """An article's body as a browser searches it: lowercase, white space collapsed to one space."""

    def __init__(self, text: str, lo: int, hi: int):
        body = text[lo:hi]
        collapsed = _SPACE.sub(" ", body)
        self.text = collapsed.lower()
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

    def find_all(self, needle: str) -> list[int]:
        """Where `needle` occurs as whole words (no letter or digit joined on at either edge), in order."""
        found = self._found.get(needle)
        if found is None:
            found, text, find, n = [], self.text, self.text.find, len(needle)
            check_before, check_after, size = needle[0].isalnum(), needle[-1].isalnum(), len(self.text)
            at = find(needle)
            while at != -1:
                if not (check_before and at > 0 and text[at - 1].isalnum()) and \
                        not (check_after and at + n < size and text[at + n].isalnum()):
                    found.append(at)
                at = find(needle, at + 1)
            self._found[needle] = found
        return found

    def _starts(self, prefix: str, start: str) -> list[int]:
        """Where `start` occurs as whole words right after `prefix` (if any), in order (memoised)."""
        key = ("start", prefix, start)
        if key not in self._kept:
            self._kept[key] = [at for at in self.find_all(start) if self._preceded(at, prefix)]
        return self._kept[key]

    def _ends(self, end: str, suffix: str) -> list[int]:
        """Where `end` occurs as whole words right before `suffix` (if any), in order (memoised)."""
        key = ("end", end, suffix)
        if key not in self._kept:
            self._kept[key] = [at for at in self.find_all(end) if self._followed(at + len(end), suffix)]
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

    def _preceded(self, at: int, prefix: str) -> bool:
        return not prefix or self.text[max(0, at - len(prefix) - 1) : at].rstrip(" ").endswith(prefix)

    def _followed(self, stop: int, suffix: str) -> bool:
        return not suffix or self.text[stop : stop + len(suffix) + 1].lstrip(" ").startswith(suffix)


@lru_cache(maxsize=8)
def _haystack(text: str, lo: int, hi: int) -> Haystack:
    return Haystack(text, lo, hi)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def directive(article: Article, config: SiteConfig, ann: Annotation) -> str:
    """`text=…` for the passage: the shortest form that selects it and nothing else in the article.

    Forms are tried shortest first (best-first over how many words each part takes: every added
    word makes a form longer, so the first that selects only the passage is a shortest one). A term
    never crosses a paragraph break, since browsers match each term inside one block."""
    lo, hi = window_of(article, config, ann.start, ann.end)
    text = article.text
    hay = _haystack(text, *article.body)
    wanted = (hay.position(ann.start), hay.position(ann.end))
    paragraphs = _PARAGRAPH.split(text[ann.start : ann.end])
    first, last, single = _words(paragraphs[0]), _words(paragraphs[-1]), len(paragraphs) == 1
    before = _words(_PARAGRAPH.split(text[lo : ann.start])[-1])[-MAX_WORDS:]
    after = _words(_PARAGRAPH.split(text[ann.end : hi])[0])[:MAX_WORDS]

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
