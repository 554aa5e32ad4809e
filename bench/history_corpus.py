#!/usr/bin/env python3
"""A generated corpus as a git repository with a few hundred commits, for timing provenance and drift.

    history_corpus.py N OUTDIR [--seed S]

Runs generate.py, then commits the site as annotators would: 40% of the articles in a first
commit, the rest five at a time, then edits by several authors: notes reworded (three annotation
files a commit) and editor's notes added at the top of articles (two content files a commit), which
moves every passage but leaves every annotation anchored where it was written to. Deterministic
apart from commit ids (dates are fixed). Needs git.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTHORS = ["Maria Ruiz", "Li Wei", "Sam Okafor", "Ana Costa", "Desk"]


def git(site: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, env=env)


def commit(site: Path, n: int, message: str, paths: list[str]) -> None:
    author = AUTHORS[n % len(AUTHORS)]
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "desk@example.org",
           "GIT_AUTHOR_DATE": f"{1767225600 + n * 3600} +0000", "GIT_COMMITTER_DATE": f"{1767225600 + n * 3600} +0000"}
    git(site, "add", "--", *paths, env=env)
    git(site, "commit", "-q", "-m", message, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    site = args.outdir
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.n), str(site), "--seed", str(args.seed)],
                   check=True, capture_output=True)
    rng = random.Random(args.seed)
    slugs = sorted(p.stem for p in (site / "content").glob("*.txt"))
    git(site, "init", "-q")
    (site / ".gitignore").write_text("_site/\n._site.lock\n.glossator-cache/\n")
    first = int(len(slugs) * 0.4)
    n = 0
    commit(site, n, "Import the first articles and their annotations",
           [".gitignore", "site.toml"] + [f"content/{s}.txt" for s in slugs[:first]] + [f"annotations/{s}.yaml" for s in slugs[:first]])
    for i in range(first, len(slugs), 5):
        n += 1
        batch = slugs[i : i + 5]
        commit(site, n, f"Annotate {batch[0]} to {batch[-1]}", [f"content/{s}.txt" for s in batch] + [f"annotations/{s}.yaml" for s in batch])
    for k in range(100):  # notes reworded
        n += 1
        chosen = rng.sample(slugs, 3)
        for s in chosen:
            path = site / "annotations" / f"{s}.yaml"
            lines = path.read_text("utf-8").split("\n")
            notes = [j for j, line in enumerate(lines) if line.startswith("    note: \"")]
            if notes:
                j = rng.choice(notes)
                lines[j] = lines[j][:-1] + f" (Revised {k}.)\""
            path.write_text("\n".join(lines), "utf-8")
        commit(site, n, f"Reword notes in {', '.join(chosen)}", [f"annotations/{s}.yaml" for s in chosen])
    for k in range(50):  # editor's notes at the top of articles
        n += 1
        chosen = rng.sample(slugs, 2)
        for s in chosen:
            path = site / "content" / f"{s}.txt"
            title, _, rest = path.read_text("utf-8").partition("\n")
            path.write_text(f"{title}\nEditor's note, revision {k}: this article was updated.\n\n{rest}", "utf-8")
        commit(site, n, f"Publisher's update of {', '.join(chosen)}", [f"content/{s}.txt" for s in chosen])
    print(f"history_corpus: {len(slugs)} articles, {n + 1} commits in {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
