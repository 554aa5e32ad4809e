"""Paired runs: Glossator and Hugo alternated round by round, ratios taken within each round.

`run.py --paired` calls `paired(args)`. A shared machine's load drifts over minutes; alternating
the tools and dividing within a round cancels most of it, and the median over rounds drops the
rounds that a burst of other work hit. Each round prints the machine's load average and the CPU
share other processes used during each build, so a reader can judge the numbers.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys

import run  # bench/run.py: corpora, tools, run_once

PLAIN = ["--disableKinds", "taxonomy,term,rss,sitemap"]  # Hugo with minimal output: the yardstick


def _commands(args, work: str, corpus: dict, out: str) -> dict:
    """name -> (argv, cwd, env, reset) for every tool of the comparison."""
    hugo = run.find_hugo(work)
    site = os.path.join(corpus["peers"], "hugo")
    tools = {
        "hugo-plain": ([hugo, "--quiet", "-s", site, "-d", out, *PLAIN], corpus["peers"], {}),
        "hugo": ([hugo, "--quiet", "-s", site, "-d", out], corpus["peers"], {}),
    }
    glossators = {"glossator": args.glossator_repo or run.REPO}
    if args.baseline:
        glossators["baseline"] = args.baseline
    for name, repo in glossators.items():
        # its modules compiled once, as `pip install` does: where PYTHONDONTWRITEBYTECODE is set (as on
        # this machine) every run would compile them again, about 0.05 s that no installed copy pays
        subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(repo, "builder")], check=False,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
        tools[name] = ([sys.executable, "-m", "builder", "build", corpus["txt"], "--out", out, "--no-cache"],
                       repo, {"PYTHONPATH": repo})
        if args.cache:  # the default command, on a checkout with no cache yet: it writes one (removed each round)
            tools[f"{name} (cache on)"] = (tools[name][0][:-1], repo, {"PYTHONPATH": repo})
        if args.git:  # the same, on the articles in a git repository
            tools[f"{name} (in git, cache on)"] = ([*tools[name][0][:4], corpus["git"], "--out", out], repo, {"PYTHONPATH": repo})
    return tools


def paired(args, sizes: list[int], work: str) -> int:
    print(f"Paired runs: {args.repeat} rounds per size, tools alternated (the order rotates each "
          f"round, reversed every other round); ratios are medians of per-round ratios. {os.cpu_count()} CPUs.")
    for n in sizes:
        corpus = {k: run.ensure_corpus(work, k, n, args.seed) for k in ("txt", "peers", *(["git"] if args.git else []))}
        if args.markup:  # (Glossator's "txt" and Hugo's "peers": the same articles with markup, in Markdown)
            corpus.update(txt=run.ensure_corpus(work, "md-markup", n, args.seed), peers=run.ensure_corpus(work, "peers-markup", n, args.seed))
        out = os.path.join(work, "out", "paired", f"n{n}")
        try:
            tools = _commands(args, work, corpus, out)
        except run.Unavailable as e:
            print(f"hugo: {e}")
            return 1
        names = list(tools)
        runs = {t: [] for t in names}
        for i in range(args.repeat):
            # rotated every second round, reversed every other round: each tool runs right after each other one
            # as often as right before it (rotated only, Glossator came right before the baseline in three rounds
            # of four, and an effect of the order could not be told from one of the change measured)
            order = names[(i // 2) % len(names):] + names[: (i // 2) % len(names)]
            order = order[::-1] if i % 2 else order
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            line = []
            for t in order:
                argv, cwd, env = tools[t]
                shutil.rmtree(out, ignore_errors=True)
                for kind in ("txt", "git"):
                    if kind in corpus:
                        shutil.rmtree(os.path.join(corpus[kind], ".glossator-cache"), ignore_errors=True)
                r = run.run_once(argv, cwd, env, args.timeout, os.path.join(work, "logs", "paired", t))
                if not r["ok"]:
                    print(f"N={n} {t}: {r['error']}")
                    return 1
                runs[t].append(r)
                line.append(f"{t} {r['seconds']:.2f} s ({r['others_cpu_pct']:.0f}% others)")
            print(f"N={n} round {i + 1}: load {load}: " + ", ".join(line), file=sys.stderr, flush=True)
        shutil.rmtree(out, ignore_errors=True)
        print(f"\n### N={n}, load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        print("| tool | median s | ms/article | × hugo-plain | × hugo | peak MiB | tree MiB | CPU s | CPU × hugo-plain | others % max |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for t in names:
            rs = runs[t]
            ratio = {h: statistics.median(r["seconds"] / q["seconds"] for r, q in zip(rs, runs[h]))
                     for h in ("hugo-plain", "hugo")}
            med = statistics.median(r["seconds"] for r in rs)
            peak = max((r["maxrss_kib"] or 0) for r in rs) / 1024
            tree = max(r["tree_rss_kib"] for r in rs) / 1024
            cpu = statistics.median(r["cpu_seconds"] or 0 for r in rs)
            others = max(r["others_cpu_pct"] for r in rs)
            cpu_ratio = statistics.median((r["cpu_seconds"] or 0) / max(q["cpu_seconds"] or 0.01, 0.01)
                                          for r, q in zip(rs, runs["hugo-plain"]))
            print(f"| {t} | {med:.2f} | {med * 1000 / n:.2f} | {ratio['hugo-plain']:.2f} | {ratio['hugo']:.2f} "
                  f"| {peak:.0f} | {tree:.0f} | {cpu:.2f} | {cpu_ratio:.2f} | {others:.0f} |")
    print("\npeak MiB: largest single process (GNU time %M); tree MiB: sampled sum over the process "
          "tree (an upper bound: shared pages count once per process). hugo-plain: "
          f"hugo {' '.join(PLAIN)}.")
    return 0
