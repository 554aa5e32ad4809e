"""Links into the original: each passage as a text fragment (`url#:~:text=[prefix-,]start[,end][,-suffix]`).

The fragment is the shortest one that matches the passage and nothing else in the article, as a
browser matches it: case-insensitively, white space collapsed, whole words at each edge, `end` the
first match after `start`, `prefix` and `suffix` right next to the text they flank. Each part is
percent-encoded as the Text Fragments spec asks (including `-`, `,` and `&`). The words come from
the published text only: in excerpts mode, from the passage's excerpt.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from ..model import Annotation, Article, SiteConfig
from .excerpts import window_of
from .urls import as_uri

MAX_WORDS = 6  # words taken from each edge of a passage, and of context, before giving up on shorter forms
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def encode(part: str) -> str:
    """A fragment part: everything but unreserved letters percent-encoded, `-` included."""
    return quote(part, safe="").replace("-", "%2D").replace("~", "%7E")


_PARAGRAPH = re.compile(r"\n\s*\n")


class Haystack:
    """An article's text as a browser searches it: lowercase, white space collapsed to one space."""

    def __init__(self, text: str):
        self.text = _SPACE.sub(" ", text).lower()

    def _bounded(self, at: int, end: int) -> bool:
        before = self.text[at - 1] if at > 0 else " "
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isalnum() and self.text[at].isalnum()) and not (after.isalnum() and self.text[end - 1].isalnum())

    def find_all(self, needle: str, lo: int = 0):
        at = self.text.find(needle, lo)
        while at != -1:
            if self._bounded(at, at + len(needle)):
                yield at
            at = self.text.find(needle, at + 1)

    def matches(self, prefix: str, start: str, end: str, suffix: str) -> list[tuple[int, int]]:
        """Every range the fragment could select, one per match of `start`, as the spec's search
        finds it (with a suffix, `end` is the first match after `start` that the suffix follows)."""
        prefix, start, end, suffix = prefix.lower(), start.lower(), end.lower(), suffix.lower()
        found = []
        for at in self.find_all(start):
            if prefix and not self.text[max(0, at - len(prefix) - 1) : at].rstrip(" ").endswith(prefix):
                continue
            stop = at + len(start)
            if not end:
                if self._followed(stop, suffix):
                    found.append((at, stop))
                continue
            for nxt in self.find_all(end, stop):
                if self._followed(nxt + len(end), suffix):
                    found.append((at, nxt + len(end)))
                    break
        return found

    def _followed(self, stop: int, suffix: str) -> bool:
        return not suffix or self.text[stop : stop + len(suffix) + 1].lstrip(" ").startswith(suffix)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _forms(quote: str, before: str, after: str):
    """Every fragment that could name the passage, as (prefix, start, end, suffix). A term never
    crosses a paragraph break (browsers match each term inside one block)."""
    paragraphs = _PARAGRAPH.split(quote)
    first, last = _words(paragraphs[0]), _words(paragraphs[-1])
    before_words = _words(_PARAGRAPH.split(before)[-1])[-MAX_WORDS:]
    after_words = _words(_PARAGRAPH.split(after)[0])[:MAX_WORDS]
    shapes = []
    if len(paragraphs) == 1:
        shapes.append((" ".join(first), ""))
    single = len(paragraphs) == 1
    for a in range(1, min(len(first), MAX_WORDS) + 1):
        for b in range(1, min(len(last) - (a if single else 0), MAX_WORDS) + 1):
            shapes.append((" ".join(first[:a]), " ".join(last[len(last) - b :])))
    for start, end in shapes:
        for p in range(len(before_words) + 1):
            for s in range(len(after_words) + 1):
                yield (" ".join(before_words[len(before_words) - p :]) if p else "", start, end, " ".join(after_words[:s]))


def _form(prefix: str, start: str, end: str, suffix: str) -> str:
    return ",".join(([encode(prefix) + "-"] if prefix else []) + [encode(start)] + ([encode(end)] if end else [])
                    + (["-" + encode(suffix)] if suffix else []))


def directive(article: Article, config: SiteConfig, ann: Annotation) -> str:
    """`text=…` for the passage: the shortest form that selects it and nothing else in the article."""
    lo, hi = window_of(article, config, ann.start, ann.end)
    text, (b0, b1) = article.text, article.body
    hay = Haystack(text[b0:b1])
    at = len(_SPACE.sub(" ", text[b0 : ann.start]).lower())
    quote = text[ann.start : ann.end]
    wanted = (at, at + len(_SPACE.sub(" ", quote).strip(" ").lower()))
    forms = ((_form(*parts), parts) for parts in _forms(quote, text[lo : ann.start], text[ann.end : hi]))
    candidates = sorted((len(form), form, parts) for form, parts in forms)
    for _, form, parts in candidates:
        if hay.matches(*parts) == [wanted]:
            return "text=" + form
    return "text=" + _form("", *(candidates[0][2][1:3]), "") if candidates else "text="


def fragment_link(article: Article, config: SiteConfig, ann: Annotation) -> str | None:
    """The passage in the original (`article.url`), or None when the article has no URL."""
    if not article.meta.url:
        return None
    return as_uri(article.meta.url.split("#")[0]) + "#:~:" + directive(article, config, ann)
