#!/usr/bin/env python3
"""The cost of search and of the claim graph: index time and size beside the build, and the graph's size.

    python3 bench/search_cost.py --sizes 1000,4000 [--work /dev/shm/glossator-search] [--json FILE]

For each size: a corpus from generate.py (on tmpfs by default: see FIELD-NOTES on ext4 `discard`),
built twice with `--no-cache`, once with `search = false` and once with search on. Reported: both
build times, the time the search index took and its size (from the build's summary line), the
size of the whole output, and the graph page: nodes, edges, bytes, and the time to lay it out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(cmd, env=None) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{done.stdout}{done.stderr}")
    return seconds, done.stdout + done.stderr


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def graph_size(site: Path) -> dict:
    """Nodes, edges and the time to lay out and render the graph page, in-process."""
    sys.path.insert(0, str(REPO))
    from builder.read.load import load_site
    from builder.render.graph import claim_graph, graph_pages
    from builder.render.views import SiteView

    model, _ = load_site(site)
    view = SiteView(model, model.config.base_url)
    began = time.perf_counter()
    pages = [claim_graph(view, parts) for parts in graph_pages(model)]
    return {"nodes": sum(len(g["nodes"]) for g in pages), "edges": sum(len(g["edges"]) for g in pages),
            "pages": len(pages), "width": max(g["width"] for g in pages), "height": max(g["height"] for g in pages),
            "layout_s": round(time.perf_counter() - began, 2)}


def measure(n: int, work: Path, repeat: int) -> dict:
    site = work / f"site-{n}"
    if not (site / "site.toml").exists():
        shutil.rmtree(site, ignore_errors=True)
        run([sys.executable, str(REPO / "bench/generate.py"), str(n), str(site)])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    config = (site / "site.toml").read_text()
    config = re.sub(r"(?m)^search = .*\n", "", config)
    row = {"articles": n}
    for label, extra in (("off", "search = false\n"), ("on", "")):
        (site / "site.toml").write_text(extra + config)  # before any [table]
        out = work / f"out-{n}-{label}"
        times, said = [], ""
        for _ in range(repeat):
            seconds, said = run([sys.executable, "-m", "builder", "build", str(site), "--out", str(out), "--no-cache"], env)
            times.append(seconds)
        row[f"build_{label}_s"] = round(min(times), 2)
        row[f"output_{label}_mb"] = round(tree_bytes(out) / 1e6, 1)
        if label == "on":
            m = re.search(r"search index ([\d.]+) MB in ([\d.]+)s", said)
            row["index_mb"], row["index_s"] = float(m.group(1)), float(m.group(2))
            sizes = [p.stat().st_size for p in (out / "graph").rglob("index.html")]
            row["graph_page_kb"] = round(max(sizes) / 1e3)  # the largest page
            row["graph_all_kb"] = round(sum(sizes) / 1e3)
        shutil.rmtree(out)
    (site / "site.toml").write_text(config)
    row.update({f"graph_{k}": v for k, v in graph_size(site).items()})
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,4000")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/glossator-search"))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [measure(int(n), args.work, args.repeat) for n in args.sizes.split(",")]
    print("| articles | build, search off | build, search on | of which the index | index size | output, off / on "
          "| graph: nodes, edges | graph pages | largest page | graph layout |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']} | {r['build_off_s']} s | {r['build_on_s']} s | {r['index_s']} s | {r['index_mb']} MB "
              f"| {r['output_off_mb']} / {r['output_on_mb']} MB | {r['graph_nodes']}, {r['graph_edges']} "
              f"| {r['graph_pages']} ({r['graph_all_kb']} kB) | {r['graph_page_kb']} kB, {r['graph_width']}×{r['graph_height']} px "
              f"| {r['graph_layout_s']} s |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
