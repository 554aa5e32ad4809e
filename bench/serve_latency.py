#!/usr/bin/env python3
"""Save-to-updated-page latency of `glossator serve`, for one annotation edit.

    python bench/serve_latency.py                     the repo's site and a generated 4,000-article site
    python bench/serve_latency.py --articles 1000     a smaller generated site
    python bench/serve_latency.py --skip-large        the repo's site only
    python bench/serve_latency.py --json              one JSON object on stdout as well

For each site: copy it (or generate it with bench/generate.py) into a temporary folder, start
`glossator serve --port 0` there as a subprocess, wait for the first build, then repeat: insert a
new word into one annotation's note, save, and poll the article's page over HTTP until the word is
served. The time from the end of the save to that response is the latency. Between two edits the
script waits until the server is idle (the rest of the dependent pages re-rendered), and reads from
/__glossator/status how many pages that rebuild rendered, how long the whole rebuild took, and its
slowest pages.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPO_ARTICLE = "zetas-ms13-allies"


def fetch(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8")


def status(base: str) -> dict:
    return json.loads(fetch(base + "__glossator/status"))


def with_marker(text: str, marker: str) -> str:
    """The annotation file with `marker` put at the start of its first note."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("annotations:"))
    for i in range(start, len(lines)):
        m = re.match(r"^(\s+(?:- )?)note:\s*(.*)$", lines[i])
        if not m:
            continue
        lead, value = m.groups()
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            indent = re.match(r"^(\s*)", lines[i + 1]).group(1)
            lines[i + 1] = indent + marker + " " + lines[i + 1][len(indent):]
        elif value[:1] in ('"', "'"):
            lines[i] = f"{lead}note: {value[0]}{marker} {value[1:]}"
        else:
            lines[i] = f"{lead}note: {marker} {value}"
        return "\n".join(lines)
    raise SystemExit("no note to edit in the annotation file")


class Server:
    """`glossator serve SITE --port 0` in a subprocess; its output kept."""

    def __init__(self, site: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", str(site), "--port", "0"], cwd=REPO,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.lines: list[str] = []
        self.url = None
        got_url = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r" at (http://\S+/) ", line)
                if m and not self.url:
                    self.url = m.group(1)
                    got_url.set()
            got_url.set()

        threading.Thread(target=read, daemon=True).start()
        if not got_url.wait(60) or not self.url:
            self.stop()
            raise SystemExit("glossator serve did not start:\n" + "\n".join(self.lines))

    def wait_idle(self, after: int = 0, timeout: float = 3600) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                s = status(self.url)
            except OSError:
                s = None
            if s and s["generation"] > after and not s["busy"]:
                return s
            if self.proc.poll() is not None:
                raise SystemExit("glossator serve exited:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.05)
        raise SystemExit("timed out waiting for the server")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(2)  # Ctrl-C
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def measure(name: str, site: Path, slug: str, edits: int) -> dict:
    print(f"\n== {name}: {site}", flush=True)
    started = time.perf_counter()
    server = Server(site)
    try:
        first = server.wait_idle()
        if first["state"] != "ok":
            raise SystemExit(f"the site does not build: {first['problems'][:5]}")
        print(f"   first build: {first['pages']} pages, ready {time.perf_counter() - started:.1f} s after start", flush=True)
        for line in server.lines:
            print(f"   | {line}")
        seen = len(server.lines)
        layer = site / "annotations" / f"{slug}.yaml"
        original = layer.read_text("utf-8")
        page_url = server.url + f"articles/{slug}/"
        samples = []
        for n in range(edits):
            marker = f"Benchmark{n}x{os.getpid()}"
            generation = status(server.url)["generation"]
            text = with_marker(original, marker)
            with open(layer, "w", encoding="utf-8") as f:
                f.write(text)
            saved = time.perf_counter()
            while marker not in fetch(page_url):
                if time.perf_counter() - saved > 120:
                    raise SystemExit(f"edit {n}: the page never showed the new note")
                time.sleep(0.002)
            latency = (time.perf_counter() - saved) * 1000
            s = server.wait_idle(generation)
            last = s["last"] or {}
            rendered = last.get("rendered_count", len(set(last.get("rendered", []))))
            sample = {
                "latency_ms": round(latency, 1), "pages_rendered": rendered, "pages_total": s["pages"],
                "first_step_ms": last.get("first_ms") and round(last["first_ms"], 1),
                "first_step_pages": len(last.get("first", [])), "rebuild_ms": round(last.get("ms", 0), 1),
                "slowest": last.get("slowest", []), "interrupted": last.get("interrupted"),
            }
            samples.append(sample)
            print(f"   edit {n + 1}: page updated after {latency:.0f} ms (first step {sample['first_step_ms']} ms, "
                  f"{sample['first_step_pages']} pages); whole rebuild {rendered} of {s['pages']} pages in "
                  f"{sample['rebuild_ms'] / 1000:.2f} s", flush=True)
            for line in server.lines[seen:]:
                print(f"   | {line}")
            seen = len(server.lines)
        layer.write_text(original, encoding="utf-8")
        lat = [s["latency_ms"] for s in samples]
        result = {
            "site": name, "articles": len(list((site / "content").iterdir())), "pages": first["pages"],
            "edits": edits, "median_ms": statistics.median(lat), "min_ms": min(lat), "max_ms": max(lat),
            "median_pages_rendered": statistics.median(s["pages_rendered"] for s in samples),
            "median_rebuild_ms": statistics.median(s["rebuild_ms"] for s in samples),
            "first_step_pages": samples[0]["first_step_pages"],
            "slowest_pages_last_edit": samples[-1]["slowest"], "samples": samples,
        }
        return result
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=4000, help="size of the generated site (default 4000)")
    ap.add_argument("--edits", type=int, default=9, help="edits on the repo's site (default 9)")
    ap.add_argument("--large-edits", type=int, default=7, help="edits on the generated site (default 7)")
    ap.add_argument("--skip-repo", action="store_true")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--generated", type=Path, help="use this already generated site (it is copied, not edited)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="glossator-serve-bench-"))
    results = []
    try:
        if not args.skip_repo:
            site = work / "repo"
            site.mkdir()
            for name in ("site.toml", "content", "annotations", "templates", "static"):
                src = REPO / name
                if src.is_dir():
                    shutil.copytree(src, site / name)
                elif src.exists():
                    shutil.copy(src, site / name)
            results.append(measure("repo site", site, REPO_ARTICLE, args.edits))
        if not args.skip_large:
            site = work / f"generated-{args.articles}"
            if args.generated:
                shutil.copytree(args.generated, site, ignore=shutil.ignore_patterns("_site", ".glossator-cache"))
            else:
                print(f"\ngenerating {args.articles} articles with bench/generate.py …", flush=True)
                subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(args.articles), str(site)],
                               check=True, stdout=subprocess.DEVNULL)
            slugs = sorted(p.stem for p in (site / "annotations").glob("*.yaml"))
            results.append(measure(f"generated, {args.articles} articles", site, slugs[len(slugs) // 2], args.large_edits))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\nsave-to-updated-page latency, one annotation edit (`glossator serve`):")
    print(f"  {'site':<28}{'pages':>7}{'median':>9}{'min':>8}{'max':>8}{'re-rendered':>13}{'whole rebuild':>15}")
    for r in results:
        print(f"  {r['site']:<28}{r['pages']:>7}{r['median_ms']:>6.0f} ms{r['min_ms']:>5.0f} ms{r['max_ms']:>5.0f} ms"
              f"{r['median_pages_rendered']:>13.0f}{r['median_rebuild_ms'] / 1000:>13.2f} s")
    for r in results:
        slow = ", ".join(f"{p} {ms:.0f} ms" if ms < 1000 else f"{p} {ms / 1000:.2f} s" for p, ms in r["slowest_pages_last_edit"][:4])
        print(f"  {r['site']}: first step {r['first_step_pages']} pages; slowest pages of the last rebuild: {slow}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
