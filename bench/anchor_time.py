#!/usr/bin/env python3
"""How long anchoring and loading take (a timing script, not a test).

    python3 bench/anchor_time.py [--repeat 200] [--site PATH]

Prints the median time to anchor one quote in a 10 KB article (norm_text + anchor, the work done
per quote when an article has a single annotation), the same in a text that is not NFC (the slower
path with an offset map), anchor alone on an already normalised text (the cost of each further
quote), and the median time of load_site on a whole site (the repository's own by default).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.anchoring import anchor, norm_text  # noqa: E402
from builder.read.load import load_site  # noqa: E402

WORDS = ("the gangs officials said alliance cartel sources police report border claim denied "
         "according intelligence members leaders federal agency training weapons drugs city "
         "Mexico Salvador café “formal” it’s whose").split()


def article(size: int = 10_000, seed: int = 1) -> str:
    """About `size` characters of prose: sentences, single line breaks and paragraphs."""
    rng = random.Random(seed)
    out, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."
        sep = rng.choice([" ", " ", " ", "\n", "\n\n", "  "])
        out.append(sentence + sep)
        length += len(sentence) + len(sep)
    return "".join(out)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def unique_quote(text: str) -> str:
    """A passage of about 80 characters from the middle that occurs once."""
    norm = norm_text(text).text
    start = len(text) // 2
    for length in range(60, 400, 20):
        quote = text[start : start + length]
        if norm.count(" ".join(unicodedata.normalize("NFC", quote).split())) == 1:
            return quote
    raise SystemExit("no unique quote found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--site", type=Path, default=REPO)
    args = parser.parse_args()

    text = article()
    quote = unique_quote(text)
    assert anchor(norm_text(text), quote).match is not None
    nfd = unicodedata.normalize("NFD", text)
    assert not unicodedata.is_normalized("NFC", nfd)
    norm = norm_text(text)

    one = median_time(lambda: anchor(norm_text(text), quote), args.repeat)
    one_nfd = median_time(lambda: anchor(norm_text(nfd), quote), args.repeat)
    further = median_time(lambda: anchor(norm, quote), args.repeat)
    print(f"article: {len(text.encode('utf-8'))} bytes, {len(text)} characters; quote: {len(quote)} characters")
    print(f"anchor one quote (norm_text + anchor), NFC text:     median {one * 1e3:8.3f} ms")
    print(f"anchor one quote (norm_text + anchor), NFD text:     median {one_nfd * 1e3:8.3f} ms")
    print(f"each further quote (anchor on a normalised text):    median {further * 1e3:8.3f} ms")

    load_site(args.site)  # warm imports and caches
    site_time = median_time(lambda: load_site(args.site), max(3, args.repeat // 40))
    model, problems = load_site(args.site)
    annotations = sum(len(a.annotations) for a in model.articles)
    print(f"load_site({args.site}): {len(model.articles)} articles, {annotations} annotations, "
          f"{len(problems.errors)} errors: median {site_time * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
