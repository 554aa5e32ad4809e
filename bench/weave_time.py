#!/usr/bin/env python3
"""How long weaving takes as passages per article grow (a timing script, not a test).

    python3 bench/weave_time.py [--sizes 5000,10000,30000] [--reference]

Builds one raw-text article of N sentences in paragraphs of 20, with N annotations: most quote one
sentence, every tenth spans two sentences across a paragraph break, every seventh nests inside
another. Prints the seconds weave() takes; with --reference, also the old quadratic weaver's time
(tests/weave/reference.py) and whether both give the same bytes.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.read.text import text_flow  # noqa: E402
from builder.render.weave import Span, weave  # noqa: E402


def article(n: int):
    sentences = [f"Sentence {i} says the gangs met on day {i}." for i in range(n)]
    paragraphs = [" ".join(sentences[i : i + 20]) for i in range(0, n, 20)]
    text = "\n\n".join(paragraphs) + "\n"
    starts, pos = [], 0
    for s in sentences:
        pos = text.index(s, pos)
        starts.append(pos)
    spans = []
    for i, start in enumerate(starts):
        end = start + len(sentences[i])
        if i % 10 == 9 and i + 1 < n:
            end = starts[i + 1] + len(sentences[i + 1])  # across the next sentence, maybe a paragraph break
        if i % 7 == 3:
            start, end = start + 9, start + 20  # nested inside the previous passage's span? no: a short one
        spans.append(Span(f"p{i}", start, end, i + 1, ("rebuttal",) if i % 3 else (), f"Note {i + 1}"))
    return text, text_flow(text), spans


def timed(fn, *args) -> tuple[float, list]:
    started = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,10000,30000")
    parser.add_argument("--reference", action="store_true", help="also time the old weaver and compare bytes")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        text, flow, spans = article(n)
        seconds, woven = timed(weave, text, flow.blocks, spans)
        line = f"{n:>6} passages: weave {seconds:.2f}s"
        if args.reference:
            sys.path.insert(0, str(REPO / "tests" / "weave"))
            from reference import weave as old  # noqa: E402

            old_seconds, old_woven = timed(old, text, flow.blocks, spans)
            same = [(w.html, w.notes) for w in woven] == [(w.html, w.notes) for w in old_woven]
            line += f"; reference {old_seconds:.2f}s; same bytes: {same}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
