"""Excerpts-only publishing (SPEC 12): which stretches of an article's text may reach any output.

In `full` mode that is the article's body. In `excerpts` mode it is each passage with up to
`excerpt_words` words on either side (inside the body), overlapping stretches merged. Every
renderer that shows article text (page, passage lists, JSON-LD, text fragments) asks `window_of`
for the stretch a passage lies in and never reads past it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .anchoring import UNSPACED
from .model import Article, SiteConfig
from .read.text import SEP, Flow, clip


@lru_cache(maxsize=1)
def _word() -> re.Pattern:
    """A word; a character of a script without spaces is one. Compiled when first needed (only a site that
    publishes excerpts does): listing those scripts' characters took 2.5 ms of every run."""
    return re.compile(f"[{UNSPACED}]|[^\\s{UNSPACED}]+")


def excerpts_only(article: Article, config: SiteConfig) -> bool:
    return (article.meta.publish or config.publish) == "excerpts"


def _around(text: str, lo: int, hi: int, start: int, end: int, words: int) -> tuple[int, int]:
    """[start, end) widened by `words` words each way, never past [lo, hi). Punctuation or part of
    a word touching the passage belongs to it and is not counted."""
    if not words:
        return start, end
    before = [m.start() for m in _word().finditer(text, lo, start)]
    glued_before = start > lo and not text[start - 1].isspace()
    before = before[-(words + glued_before):]
    after = [m.end() for m in _word().finditer(text, end, hi)]
    glued_after = end < hi and not text[end].isspace()
    after = after[: words + glued_after]
    return (before[0] if before else start), (after[-1] if after else end)


def windows(article: Article, config: SiteConfig) -> tuple[tuple[int, int], ...]:
    """The stretches of the text that may be published, in reading order."""
    if not excerpts_only(article, config):
        return (article.body,)
    return _merged(article.text, article.body, tuple((a.start, a.end) for a in article.annotations), config.excerpt_words)


@lru_cache(maxsize=256)
def _merged(text: str, body: tuple[int, int], passages: tuple, words: int) -> tuple[tuple[int, int], ...]:
    """Each passage widened by `words` words, stretches that overlap or touch (only white space
    between them: no text left out, so no ellipsis) merged (asked once per passage)."""
    merged: list[list[int]] = []
    for s, e in sorted(_around(text, *body, start, end, words) for start, end in passages):
        if merged and (s <= merged[-1][1] or not text[merged[-1][1] : s].strip()):
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


GAP = '<span class="gap" title="text left out">…</span>'


def excerpt_blocks(flow: Flow, spans: tuple[tuple[int, int], ...], body: tuple[int, int]) -> list[tuple]:
    """The blocks of an excerpts-only page: each stretch as plain paragraphs (no markup from the
    article, so no link or image from text left out), with an ellipsis wherever text is left out."""
    out = []
    for s, e in spans:
        # the text of each block, with its separators (the white space between list items, or the end of a
        # paragraph a passage runs on from: the passage's pieces, joined, are still its quote)
        paragraphs = [tuple(p for p in block if p[0] == "text") for block in clip(flow, s, e)]
        paragraphs = [p for p in paragraphs if any(piece[3] != SEP for piece in p)]
        for i, pieces in enumerate(paragraphs):
            head = [("tag", GAP + " ")] if i == 0 and flow.text[body[0] : s].strip() else []
            tail = [("tag", " " + GAP)] if i == len(paragraphs) - 1 and flow.text[e : body[1]].strip() else []
            out.append((("tag", '<p class="excerpt">'), *head, *pieces, *tail, ("tag", "</p>\n")))
    return out
