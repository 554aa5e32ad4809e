#!/usr/bin/env python3
"""Where a cold build's time goes across processes: each parallel phase's wall time, the CPU (user and
system) of the build's own process and of its workers, and their page faults; with --pages, the same
by kind of page.

    python3 bench/phases.py SITE [--repeat 3] [--pages]

Builds SITE with no cache, as `glossator build` does (GLOSSATOR_JOBS as set), into a scratch folder (on /dev/shm),
with `parallel.share` and `parallel.each` wrapped. Each row is a stretch of the build: "serial" is what
this process did alone between two parallel phases; `share(N)` (loading: this process works beside the
workers), `each(N)` and `part(N)` (pages: this process only collects; `part`s run in the same workers, see
parallel.kept) are the phases, N their tasks. Workers' CPU and faults are counted when they end (a phase's
workers end with it; those of `kept`'s parts on the row after its last part). A fault is a page of memory a
process touched first, or wrote first after the fork (copy on write): each costs the system some
microseconds, which the "sys" columns show. --pages times each page in the worker that made it (from
one page written to the next), by the page's first folder: articles, flags, tags, graph...; the search
index's merge, made by a worker beside the later pages, counts toward the next page that worker writes.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import importlib
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

COLUMNS = ("wall", "parent usr", "parent sys", "workers usr", "workers sys", "parent faults", "workers faults")


def _usage() -> tuple:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (time.perf_counter(), me.ru_utime, me.ru_stime, children.ru_utime, children.ru_stime,
            me.ru_minflt, children.ru_minflt)


def build_once(site: Path, pages: bool) -> tuple[list, dict]:
    """One cold build: [(phase, deltas of _usage)], and {kind of page: [pages, CPU s, faults]} (with `pages`)."""
    from builder import output, parallel
    from builder.build import build

    rows, last = [], [_usage()]

    def mark(name: str) -> None:
        now = _usage()
        rows.append((name, [b - a for a, b in zip(last[0], now)]))
        last[0] = now

    each, share, kept, write_page = parallel.each, parallel.share, parallel.kept, output.write_page
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None  # (this machine's disk: its writes' system time is not the build's)
    census_dir = Path(tempfile.mkdtemp(prefix="phases-", dir=scratch))
    out = Path(tempfile.mkdtemp(prefix="phases-out-", dir=scratch)) / "out"
    top = str(out.parent)
    since: dict = {}  # each process's CPU and faults when it last wrote a page (this one's: when pages began)
    census: dict = {}  # this process's census file, open

    def timed_each(task, count, progress=None):
        mark("serial")
        yield from each(task, count, progress)
        mark(f"each({count})")

    def timed_share(task, count, progress=None, meanwhile=None):
        mark("serial")
        result = share(task, count, progress, meanwhile)
        mark(f"share({count})")
        return result

    @contextlib.contextmanager
    def timed_kept(task, count):
        with kept(task, count) as part:
            def timed_part(indices, progress=None, meanwhile=None):
                mark("serial")
                yield from part(indices, progress, meanwhile)
                mark(f"part({len(indices)})")
            timed_part.forked = part.forked
            yield timed_part
        mark(f"kept({count}): its workers end")

    def counted_write(path: str, data: bytes) -> None:
        write_page(path, data)
        now = (time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        cpu, faults = since.get(os.getpid(), (0.0, 0))  # (a forked worker's counts start at 0)
        since[os.getpid()] = now
        rel = path[len(top):].split("/", 2)[-1]  # (below the new output folder, which is made beside `out`)
        kind = "JSON-LD" if rel.endswith(".jsonld") else rel.split("/")[0] if "/" in rel else rel
        if os.getpid() not in census:
            census[os.getpid()] = open(census_dir / str(os.getpid()), "a", buffering=1)  # (a worker ends without flushing)
        census[os.getpid()].write(f"{kind}\t{now[0] - cpu}\t{now[1] - faults}\n")

    def counted_pages(*args, **kwargs):
        since[os.getpid()] = (time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        return make_pages(*args, **kwargs)

    plan = importlib.import_module("builder.render.plan")  # (the module: `builder.render.plan` names its function)

    make_pages = plan.make_pages
    parallel.each, parallel.share, parallel.kept = timed_each, timed_share, timed_kept
    if pages:
        output.write_page, plan.make_pages = counted_write, counted_pages
    try:
        result = build(site, out, use_cache=False)
        mark("end")
        if not result.ok:
            sys.exit("the build failed: " + "; ".join(f"{p.file}:{p.line}: {p.message}" for p in result.problems[:3]))
    finally:
        parallel.each, parallel.share, parallel.kept, output.write_page, plan.make_pages = each, share, kept, write_page, make_pages
        shutil.rmtree(out.parent, ignore_errors=True)
    kinds: dict = collections.defaultdict(lambda: [0, 0.0, 0])
    for census in census_dir.iterdir():
        for line in census.read_text().splitlines():
            kind, cpu, faults = line.split("\t")
            kinds[kind][0] += 1
            kinds[kind][1] += float(cpu)
            kinds[kind][2] += int(faults)
    shutil.rmtree(census_dir, ignore_errors=True)
    return rows, dict(kinds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="builds, each in a fresh process (default 1)")
    parser.add_argument("--pages", action="store_true", help="also CPU and faults by kind of page")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one build in this fresh process: its table on stdout
        rows, kinds = build_once(args.site.resolve(), args.pages)
        print(f"| phase | {' | '.join(COLUMNS)} |")
        print("|---|" + "---:|" * len(COLUMNS))
        totals = [0.0] * len(COLUMNS)
        for name, values in rows:
            totals = [t + v for t, v in zip(totals, values)]
            print(f"| {name} | " + " | ".join(_shown(c, v) for c, v in zip(COLUMNS, values)) + " |")
        print("| **total** | " + " | ".join(_shown(c, v) for c, v in zip(COLUMNS, totals)) + " |")
        if kinds:
            print("\n| pages | made | CPU s | ms a page | faults | faults a page |\n|---|---:|---:|---:|---:|---:|")
            for kind, (n, cpu, faults) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
                print(f"| {kind} | {n} | {cpu:.3f} | {1000 * cpu / n:.2f} | {faults} | {faults / n:.1f} |")
        return 0
    print(f"{args.site}: GLOSSATOR_JOBS={os.environ.get('GLOSSATOR_JOBS', '(all cores)')}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for _ in range(args.repeat):  # a fresh process each time: imports and memory as a real build finds them
        command = [sys.executable, __file__, str(args.site), "--child"] + (["--pages"] if args.pages else [])
        done = __import__("subprocess").run(command)
        if done.returncode:
            return done.returncode
        print()
    return 0


def _shown(column: str, value: float) -> str:
    return str(int(value)) if "faults" in column else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
