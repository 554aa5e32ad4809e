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
        self._found: dict[str, list[int]] = {}
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

    def _bounded(self, at: int, end: int) -> bool:
        before = self.text[at - 1] if at > 0 else " "
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isalnum() and self.text[at].isalnum()) and not (after.isalnum() and self.text[end - 1].isalnum())

    def find_all(self, needle: str) -> list[int]:
        """Where `needle` occurs as whole words, in order (memoised: the forms tried for one passage,
        and the passages of one article, search for the same words again and again)."""
        found = self._found.get(needle)
        if found is None:
            found, find, bounded, at = [], self.text.find, self._bounded, self.text.find(needle)
            while at != -1:
                if bounded(at, at + len(needle)):
                    found.append(at)
                at = find(needle, at + 1)
            self._found[needle] = found
        return found

    def matches(self, prefix: str, start: str, end: str, suffix: str):
        """Every range the fragment could select, one per match of `start`, as the spec's search
        finds it (with a suffix, `end` is the first match after `start` that the suffix follows)."""
        prefix, start, end, suffix = prefix.lower(), start.lower(), end.lower(), suffix.lower()
        ends = self.find_all(end) if end else None
        for at in self.find_all(start):
            if prefix and not self.text[max(0, at - len(prefix) - 1) : at].rstrip(" ").endswith(prefix):
                continue
            stop = at + len(start)
            if ends is None:
                if self._followed(stop, suffix):
                    yield at, stop
                continue
            for k in range(bisect.bisect_left(ends, stop), len(ends)):
                if self._followed(ends[k] + len(end), suffix):
                    yield at, ends[k] + len(end)
                    break

    def selects_only(self, parts: tuple[str, str, str, str], wanted: tuple[int, int]) -> bool:
        found = self.matches(*parts)
        return next(found, None) == wanted and next(found, None) is None

    def _followed(self, stop: int, suffix: str) -> bool:
        return not suffix or self.text[stop : stop + len(suffix) + 1].lstrip(" ").startswith(suffix)


@lru_cache(maxsize=8)
def _haystack(text: str, lo: int, hi: int) -> Haystack:
    return Haystack(text, lo, hi)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _form(prefix: str, start: str, end: str, suffix: str) -> str:
    return ",".join(([encode(prefix) + "-"] if prefix else []) + [encode(start)] + ([encode(end)] if end else [])
                    + (["-" + encode(suffix)] if suffix else []))


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
        parts = (prefixes[p], starts[a], ends[b] if a else "", suffixes[s])
        form = _form(*parts)
        heapq.heappush(heap, (len(form), form, key, parts))

    push(0, 0, 0, 0)
    push(1, 1, 0, 0)
    while heap:
        _, form, (a, b, p, s), parts = heapq.heappop(heap)
        if hay.selects_only(parts, wanted):
            return "text=" + form
        push(a, b, p + 1, s)
        push(a, b, p, s + 1)
        if a:
            push(a + 1, b, p, s)
            push(a, b + 1, p, s)
    # repeated word for word, context and all: the whole passage, whose first copy browsers show
    return "text=" + _form("", whole, "", "") if single else "text=" + _form("", starts[1], ends[1], "")


def fragment_link(article: Article, config: SiteConfig, ann: Annotation) -> str | None:
    """The passage in the original (`article.url`), or None when the article has no URL."""
    if not article.meta.url:
        return None
    return as_uri(article.meta.url.split("#")[0]) + "#:~:" + directive(article, config, ann)
