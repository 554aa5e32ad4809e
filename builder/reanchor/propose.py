"""The smallest change of `prefix`, `suffix` and `occurrence` (and the quote, when edited) that makes an
annotation anchor exactly on a place."""
from __future__ import annotations

from dataclasses import dataclass

from ..anchoring import NormText, anchor
from .likeness import words


@dataclass(frozen=True, slots=True)
class Fields:
    """The fields of an annotation that choose its passage."""

    quote: str
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None


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
