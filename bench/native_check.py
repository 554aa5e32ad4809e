#!/usr/bin/env python3
"""The compiled page reader (builder/_searchpage.c) against its rules (searchpage._visible, searchpage._words,
searchpage._hooks, search._pieces and search.numbers, search._post), on built sites; and the compiled fragment search (builder/_fragments.c) against fragments._best.

    python3 bench/native_check.py OUT [OUT ...] [--sanitize] [--fuzz N]

For every article page of the output folders OUT (built with `glossator build`): the same result, or a
decline (counted); and the milliseconds per page of each (of `visible`); the same words and pieces of its
text, the same search hooks, and the same postings of all the pages' terms. With --sanitize, the module is built again with AddressSanitizer and UndefinedBehaviorSanitizer into a
temporary folder and all of it (with N of tests/test_searchpage_native.py's random pages, N of its random
texts and N of its random hooks, 30,000 each by default) runs under it: any read out of bounds
or undefined behaviour stops the run with the sanitizer's report. builder/_fragments.c is built so too and gives
the same fragment for every passage of the repository's site, of tests/sites and of N/30 of
tests/test_fragments_native.py's random texts (about 7 passages each). Exit 0 when all agree, else 1.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from builder import native, search, searchpage  # noqa: E402

SANITIZE = ("-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer", "-O1")


def module_at(path: Path):
    """The extension module built at `path`, configured as searchpage.py configures its own."""
    spec = importlib.util.spec_from_file_location("_searchpage", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.configure(searchpage.BLOCKS, searchpage.VOID, searchpage.RAW, searchpage.unescape)
    return module


def same_words(compiled, texts: list[str], ends: list[int]) -> bool:
    """Whether the compiled `content` and `count_pieces` agree with searchpage._words, search._pieces and search.numbers."""
    parts, before = searchpage._words(texts, ends)
    content = " ".join(parts)
    if compiled.content(texts, ends) != (content, len(parts), before):
        return False
    fast, rule = Counter(), Counter()
    found = compiled.count_pieces(content, search._BETWEEN, True, fast)  # (None: a letter for str.lower())
    if found is None and not fast:
        found = compiled.count_pieces(content.lower(), search._BETWEEN, True, fast)
    odd, changing, numbers = found
    return ((odd, changing) == search._pieces(content, True, rule) and list(fast.items()) == list(rule.items())
            and numbers in (None, search.numbers(content)))  # (None: search.numbers finds them)


def fragments_differ(path: Path, texts: int) -> int:
    """How many passages get another fragment with the compiled search at `path` than with fragments._best alone:
    every passage of the repository's site and of tests/sites, and of `texts` random texts."""
    from test_fragments_native import random_article, random_passages, random_text

    from builder.read.load import load_site
    from builder.render import fragments

    spec = importlib.util.spec_from_file_location("_fragments", path)
    compiled = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compiled)
    passages = []
    for site in [REPO, *sorted(p for p in (REPO / "tests" / "sites").iterdir() if (p / "site.toml").exists())]:
        loaded, _ = load_site(site)
        passages += [(article, loaded.config, ann) for article in loaded.articles for ann in article.annotations]
    rng = random.Random(25)
    for _ in range(texts):
        text = random_text(rng)
        anns = random_passages(rng, text)
        article, config = random_article(rng, text, anns, rng.random() < 0.2)
        passages += [(article, config, ann) for ann in anns]
    differ = 0
    for article, config, ann in passages:
        found = []
        for module in (compiled, None):
            fragments._NATIVE = module
            fragments._haystack.cache_clear()
            try:
                found.append(fragments.directive(article, config, ann))
            except Exception as error:  # (the rule's own failure, the compiled path's too)
                found.append(type(error))
        if found[0] != found[1]:
            differ += 1
            print(f"fragment differs: {article.text[ann.start : ann.end]!r} in {article.text!r}: {found}")
    print(f"{len(passages)} passages' fragments (sites' and random) under the sanitizers: {differ} differ")
    return differ


def same_hooks(compiled, page: str) -> bool:
    """Whether the compiled `hooks` fills the dicts as searchpage._hooks does (their order too)."""
    fast, rule = ({}, {}), ({}, {})
    compiled.hooks(page, *fast)
    searchpage._hooks(page, *rule)
    return fast == rule and [list(d) for d in fast] == [list(d) for d in rule]


def same_postings(compiled, pages: list[dict]) -> bool:
    """Whether the compiled `post` makes the postings of the pages' counts as search._post does."""
    fast, rule = {}, {}
    for doc, counts in enumerate(pages):
        compiled.post(fast, doc, counts)
        search._post(rule, doc, counts)
    return fast == rule and list(fast) == list(rule)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="+", type=Path)
    ap.add_argument("--sanitize", action="store_true")
    ap.add_argument("--fuzz", type=int, default=30000)
    ap.add_argument("--module", type=Path, help=argparse.SUPPRESS)  # (the run under the sanitizers)
    args = ap.parse_args(argv)
    if args.sanitize:
        scratch = Path(tempfile.mkdtemp())
        built = native.build(REPO / "builder" / "_searchpage.c", scratch, SANITIZE)
        native.build(REPO / "builder" / "_fragments.c", scratch, SANITIZE)
        preload = " ".join(subprocess.run(["gcc", f"-print-file-name={lib}"], capture_output=True, text=True,
                                          check=True).stdout.strip() for lib in ("libasan.so", "libubsan.so"))
        # (PYTHONMALLOC=malloc: every str in memory of its own, guarded, not in pymalloc's arenas)
        env = {**os.environ, "LD_PRELOAD": preload, "ASAN_OPTIONS": "detect_leaks=0", "PYTHONMALLOC": "malloc"}
        command = [sys.executable, __file__, *map(str, args.out), "--fuzz", str(args.fuzz), "--module", str(built)]
        return subprocess.run(command, env=env).returncode
    compiled = module_at(args.module) if args.module else searchpage._NATIVE
    if compiled is None:
        print("builder/_searchpage.c is not built here (pip install -e . builds it)")
        return 1
    pages = declined = differ = 0
    counts = []
    seconds = [0.0, 0.0]
    for out in args.out:
        for path in sorted(out.glob("articles/**/*.html")):
            page = path.read_text(encoding="utf-8")
            if (body := searchpage._body(page)) is None:
                continue
            pages += 1
            start = time.perf_counter()
            fast = compiled.visible(page, body.start())
            middle = time.perf_counter()
            rule = searchpage._visible(page, body.start())
            seconds[0] += middle - start
            seconds[1] += time.perf_counter() - middle
            declined += fast is None
            if fast is not None and fast != rule:
                differ += 1
                print(f"{path}: differs")
            if not same_words(compiled, rule[0], rule[2]):
                differ += 1
                print(f"{path}: its words or their pieces differ")
            if not same_hooks(compiled, page):
                differ += 1
                print(f"{path}: its search hooks differ")
            counts.append(search.term_counts(searchpage.read_page(page)[0]["content"], True))
    if not same_postings(compiled, counts):
        differ += 1
        print("the postings of the pages' terms differ")
    print(f"{pages} article pages: {differ} differ, {declined} declined; "
          f"{seconds[0] * 1e3 / max(pages, 1):.3f} ms a page compiled, {seconds[1] * 1e3 / max(pages, 1):.3f} in Python")
    if args.module:
        from test_searchpage_native import random_html
        rng = random.Random(24)
        for _ in range(args.fuzz):
            page = random_html(rng)
            fast = compiled.visible(page, 0)
            if fast is not None and fast != searchpage._visible(page, 0):
                differ += 1
                print(f"differs: {page!r}")
        from test_searchpage_native import random_texts
        for _ in range(args.fuzz):
            texts = random_texts(rng)
            ends = sorted(rng.randrange(0, len(texts) + 1) for _ in range(rng.choice([0, 1, 2, 5])))
            if not same_words(compiled, texts, ends):
                differ += 1
                print(f"words or pieces differ: {texts!r} {ends!r}")
        from test_searchpage_native import random_hooks
        for _ in range(args.fuzz):
            page = random_hooks(rng)
            if not same_hooks(compiled, page):
                differ += 1
                print(f"hooks differ: {page!r}")
        print(f"{args.fuzz} random pages, {args.fuzz} random texts (their words and pieces) and {args.fuzz} random "
              "hooks under "
              "AddressSanitizer and UndefinedBehaviorSanitizer: done")
        differ += fragments_differ(args.module.parent / args.module.name.replace("_searchpage", "_fragments"),
                                   args.fuzz // 30)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
