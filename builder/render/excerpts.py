"""Excerpts-only publishing (SPEC 12): which stretches of an article's text may reach any output.

In `full` mode that is the article's body. In `excerpts` mode it is each passage with up to
`excerpt_words` words on either side (inside the body), overlapping stretches merged. Every
renderer that shows article text (page, passage lists, JSON-LD, text fragments) asks `window_of`
for the stretch a passage lies in and never reads past it.
"""
from __future__ import annotations

import re

from ..model import Article, SiteConfig

_WORD = re.compile(r"\S+")


def excerpts_only(article: Article, config: SiteConfig) -> bool:
    return (article.meta.publish or config.publish) == "excerpts"


def _around(text: str, lo: int, hi: int, start: int, end: int, words: int) -> tuple[int, int]:
    """[start, end) widened by `words` words each way, never past [lo, hi)."""
    before = [m.start() for m in _WORD.finditer(text, lo, start)][-words:] if words else []
    left = before[0] if before else start
    right = end
    for count, m in enumerate(_WORD.finditer(text, end, hi)):
        if count >= words:
            break
        right = m.end()
    return min(left, start), max(right, end)


def windows(article: Article, config: SiteConfig) -> tuple[tuple[int, int], ...]:
    """The stretches of the text that may be published, in reading order."""
    lo, hi = article.body
    if not excerpts_only(article, config):
        return ((lo, hi),)
    spans = sorted(_around(article.text, lo, hi, a.start, a.end, config.excerpt_words) for a in article.annotations)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


def window_of(article: Article, config: SiteConfig, start: int, end: int) -> tuple[int, int]:
    """The published stretch that holds [start, end) (every passage lies in one)."""
    for s, e in windows(article, config):
        if s <= start and end <= e:
            return s, e
    return start, end
