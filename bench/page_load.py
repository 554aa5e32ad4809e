#!/usr/bin/env python3
"""How long an article page takes to load and lay out in Debian's chromium, by width, with and without script.

    python3 bench/page_load.py SITE [PATH ...] [--repeat 3]      # PATH: /articles/<slug>/ (default: every article)
    python3 bench/page_load.py --dense 200x2 [--repeat 3]         # a generated article: 200 paragraphs, 2 notes each

Builds SITE into a scratch folder (served at its root), then loads each page at 1280 and 375 px, with
JavaScript off and on, and prints the median of the repeats: seconds to the `load` event (style and layout
included), and with script the time to the next two frames after it (the script's own placing of notes).
A reader's phone is several times slower than this machine: a page that takes a second here takes seconds
there. `--dense PxN` writes a site of one article of P paragraphs with N annotated sentences each (notes of a
line or two, flags in turn) to measure how the page grows with its notes.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from browserkit import CHROMIUM, CHROMIUM_ARGS, SKIP_REASON, build, html_pages, serve  # noqa: E402

WIDTHS = (1280, 375)
WORDS = "the council said mayor contract ferry harbour officials denied claimed report sources according residents vote".split()


def dense_site(folder: Path, paragraphs: int, notes: int) -> Path:
    """One article of `paragraphs` paragraphs of five sentences, `notes` of them annotated in each."""
    rng = random.Random(7)
    (folder / "content").mkdir(parents=True)
    (folder / "annotations").mkdir()
    text, quotes = [], []
    for p in range(paragraphs):
        sentences = []
        for s in range(5):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            words.insert(rng.randint(0, len(words)), f"P{p}S{s}")  # (each sentence once in the article)
            sentences.append(" ".join(words).capitalize() + ".")
        text.append(" ".join(sentences))
        quotes += [sentences[s][:-1] for s in rng.sample(range(5), notes)]
    (folder / "content" / "dense.txt").write_text("A densely annotated article\n\n" + "\n\n".join(text) + "\n", "utf-8")
    flags = ["anonymous-source", "rebuttal", "retraction"]
    (folder / "annotations" / "dense.yaml").write_text("annotations:\n" + "".join(
        f'  - quote: "{q}"\n    flags: [{flags[i % 3]}]\n    note: Note {i} says something about this claim, at some '
        f"length, with a [link](https://example.org/{i}).\n" for i, q in enumerate(quotes)), "utf-8")
    (folder / "site.toml").write_text('title = "Dense"\nbase_url = "https://example.org/"\n', "utf-8")
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", type=Path)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--dense", help="PxN: a generated article of P paragraphs with N notes each")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if SKIP_REASON:
        print(SKIP_REASON, file=sys.stderr)
        return 2
    if bool(args.site) == bool(args.dense):
        ap.error("give SITE or --dense PxN")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if args.dense:
            paragraphs, notes = map(int, args.dense.lower().split("x"))
            site = dense_site(Path(tmp) / "site", paragraphs, notes)
        out = build(site.resolve(), Path(tmp) / "out", base_url="/")
        paths = args.paths or [p for p in html_pages(out) if p.startswith("/articles/")]
        server, url = serve(out)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            print("| page | notes | width | JS off: load s | JS on: load s | then script s |\n|---|---:|---:|---:|---:|---:|")
            for path in paths:
                for width in WIDTHS:
                    times: dict[bool, list] = {False: [], True: []}
                    placed, notes_on_page = [], 0
                    for _ in range(args.repeat):
                        for js in (False, True):
                            context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
                            page = context.new_page()
                            began = time.perf_counter()
                            page.goto(url + path, wait_until="load", timeout=300_000)
                            times[js].append(time.perf_counter() - began)
                            if js:
                                began = time.perf_counter()
                                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                                placed.append(time.perf_counter() - began)
                            notes_on_page = page.locator("aside.note").count()
                            context.close()
                    med = statistics.median
                    print(f"| {path} | {notes_on_page} | {width} | {med(times[False]):.2f} | {med(times[True]):.2f} | {med(placed):.2f} |",
                          flush=True)
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
