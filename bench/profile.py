#!/usr/bin/env python3
"""Where a cold build's time goes: milliseconds per article per stage, in one process.

    python3 bench/profile.py SITE [--out DIR] [--repeat 3]

Builds SITE with no cache and GLOSSATOR_JOBS=1 (every stage in this process), timing each stage by
wrapping the functions that do it. A stage's time is exclusive: what a wrapped function spends in
another wrapped function counts for the other one. "other" is the rest of the build's CPU time.
The cycle collector's pauses are counted apart (they fall inside the stages). Stages are timed in
CPU seconds of this process (steadier than wall time on a shared machine); the build's wall time is
given too. The median of the repeats is printed per stage, as a Markdown table.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# (module, attribute, stage): the functions timed, patched where the build looks them up
PATCHES = [
    ("builder.read.load", "load_source", "content files"),
    ("builder.read.yamlsrc", "compose_once", "annotation file: compose"),
    ("builder.read.yamlsrc", "to_python", "annotation file: to_python"),
    ("builder.read.layer", "schema_problems", "annotation file: schema"),
    ("builder.read.load", "load_annotation_file", "annotation file: parse"),
    ("builder.read.load", "anchor_article", "anchoring"),
    ("builder.read.load", "link", "linking"),
    ("builder.render", "plan", "plan"),  # (build.py imports it from there as it needs it)
    ("builder.render.plan", "article_page", "article view dicts"),
    ("builder.render.pages", "weave", "article view dicts: weave"),
    ("builder.render.views", "fragment_link", "article view dicts: text fragments"),
    ("builder.render.plan", "passages_with", "flag and tag pages"),
    ("builder.render.plan", "jsonld", "JSON-LD"),
    ("builder.render.plan", "claim_graph", "graph pages"),
    ("builder.render.plan", "search_hooks", "search hooks"),
    ("builder.search", "read_page", "search index: pages read"),
    ("builder.search", "term_counts", "search index: terms"),
    ("builder.build", "fingerprint", "input fingerprint"),
    ("builder.render.plan", "atom", "feeds and sitemap"),
    ("builder.render.plan", "sitemap", "feeds and sitemap"),
    ("builder.render.plan", "index_page", "index page"),
    ("builder.render.plan", "html_bytes", "page encoding"),
    ("builder.render.plan", "make_pages", "page jobs"),
    ("builder.output", "write_tree", "writes"),
    ("builder.output", "safe_relative", "writes"),
    ("builder.output", "write_page", "writes"),
    ("builder.search", "_read", "search index: files"),  # (its fragment's JSON and write)
    ("builder.search", "_merge", "search index: files"),  # (the postings and meta.json, in the build's process)
    ("builder.read.load", "discover_site", "content files"),
    ("builder.build", "rooted_link_problems", "link checks"),
    ("builder.build", "dead_link_problems", "link checks"),
]
# and pathlib.Path.write_bytes ("writes"), jinja2.Template.render and runtime.render (by template, TEMPLATE_STAGE)
TEMPLATE_STAGE = {"article.html": "Jinja article pages", "flag.html": "flag and tag pages",
                  "tag.html": "flag and tag pages", "_passage.html": "flag and tag pages",
                  "_pager.html": "flag and tag pages", "index.html": "index page", "graph.html": "graph pages"}
ORDER = ["Jinja article pages", "flag and tag pages", "article view dicts", "article view dicts: weave",
         "article view dicts: text fragments", "annotation file: compose", "annotation file: to_python",
         "annotation file: schema", "annotation file: parse", "content files", "anchoring", "linking", "JSON-LD", "writes", "plan",
         "index page", "feeds and sitemap", "graph pages", "search hooks", "page encoding", "page jobs",
         "search index: pages read", "search index: terms", "search index: files", "link checks",
         "input fingerprint", "other pages", "other"]


class Clock:
    """Exclusive time per stage, through a stack of the wrapped calls in progress."""

    def __init__(self):
        self.totals: dict[str, float] = {}
        self.stack: list[list] = []  # [stage, time spent in wrapped callees]
        self.gc = 0.0
        self._gc_start = 0.0

    def wrap(self, fn, stage):
        def timed(*args, **kwargs):
            frame = [stage, 0.0]
            self.stack.append(frame)
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - t0
                self.stack.pop()
                self.totals[stage] = self.totals.get(stage, 0.0) + spent - frame[1]
                if self.stack:
                    self.stack[-1][1] += spent
        timed.__wrapped__ = fn
        return timed

    def on_gc(self, phase, info):
        if phase == "start":
            self._gc_start = time.process_time()
        else:
            self.gc += time.process_time() - self._gc_start


def install(clock: Clock) -> list:
    import jinja2

    undo = []
    for module, attr, stage in PATCHES:
        mod = importlib.import_module(module)
        if hasattr(mod, attr):
            original = getattr(mod, attr)
            setattr(mod, attr, clock.wrap(original, stage))
            undo.append((mod, attr, original))
    render = jinja2.Template.render

    by_stage = {stage: clock.wrap(render, stage) for stage in {*TEMPLATE_STAGE.values(), "other pages"}}

    def timed_render(self, *args, **kwargs):
        return by_stage[TEMPLATE_STAGE.get(self.name, "other pages")](self, *args, **kwargs)

    jinja2.Template.render = timed_render
    undo.append((jinja2.Template, "render", render))
    runtime = importlib.import_module("builder.render.runtime")  # the built-in templates' pages, rendered without Template.render
    if hasattr(runtime, "render"):
        fast = runtime.render
        fast_by_stage = {stage: clock.wrap(fast, stage) for stage in by_stage}
        runtime.render = lambda template, names, *whole: fast_by_stage[TEMPLATE_STAGE.get(template.name, "other pages")](template, names, *whole)
        undo.append((runtime, "render", fast))
    write_bytes = pathlib.Path.write_bytes
    pathlib.Path.write_bytes = clock.wrap(write_bytes, "writes")
    undo.append((pathlib.Path, "write_bytes", write_bytes))
    gc.callbacks.append(clock.on_gc)
    return undo


def profile_once(site: Path, out: Path) -> tuple[dict, float, float, int]:
    from builder.build import build

    clock = Clock()
    undo = install(clock)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        result = build(site, out, use_cache=False)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        for obj, attr, original in undo:
            setattr(obj, attr, original)
        gc.callbacks.remove(clock.on_gc)
    if not result.ok:
        raise SystemExit("\n".join(str(p) for p in result.problems[:20]))
    clock.totals["other"] = cpu - sum(clock.totals.values())
    return clock.totals, wall, clock.gc, result.articles, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary folder on /dev/shm)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    os.environ["GLOSSATOR_JOBS"] = "1"
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = Path(tempfile.mkdtemp(prefix="glossator-profile-", dir=base))
    out = args.out or tmp / "out"
    runs = []
    try:
        for _ in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            runs.append(profile_once(args.site, out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = runs[0][3]
    stages = sorted({s for r in runs for s in r[0]}, key=lambda s: ORDER.index(s) if s in ORDER else 99)
    print(f"| stage | ms per article |\n|---|---:|")
    for s in stages:
        print(f"| {s} | {statistics.median(r[0].get(s, 0.0) for r in runs) * 1000 / n:.3f} |")
    wall = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[4] for r in runs)
    print(f"| **total (build CPU)** | **{cpu * 1000 / n:.3f}** |")
    print(f"\n{n} articles, GLOSSATOR_JOBS=1, median of {len(runs)}: {cpu:.2f} s CPU, {wall:.2f} s wall; cycle collector "
          f"{statistics.median(r[2] for r in runs) * 1000 / n:.3f} ms per article (inside the stages); "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
