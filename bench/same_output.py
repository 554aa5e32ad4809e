#!/usr/bin/env python3
"""Are two output folders byte-identical? Lists what differs; exit 0 when nothing does, else 1.

    python3 bench/same_output.py A B [--ignore GLOB ...]

Used to check that a speed change leaves the built site byte for byte as it was. --ignore skips
paths (relative, fnmatch patterns, e.g. 'flags/*/page/*') that an intended change adds or alters.
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import sys


def files(root: str) -> dict[str, str]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = path
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--ignore", action="append", default=[], metavar="GLOB")
    args = ap.parse_args(argv)
    a, b = files(args.a), files(args.b)
    keep = lambda rel: not any(fnmatch.fnmatch(rel, g) for g in args.ignore)  # noqa: E731
    only_a = sorted(r for r in a.keys() - b.keys() if keep(r))
    only_b = sorted(r for r in b.keys() - a.keys() if keep(r))
    differ = []
    for rel in sorted(a.keys() & b.keys()):
        if keep(rel):
            with open(a[rel], "rb") as fa, open(b[rel], "rb") as fb:
                if fa.read() != fb.read():
                    differ.append(rel)
    for label, items in ((f"only in {args.a}", only_a), (f"only in {args.b}", only_b), ("differ", differ)):
        for rel in items[:50]:
            print(f"{label}: {rel}")
        if len(items) > 50:
            print(f"{label}: … and {len(items) - 50} more")
    same = not (only_a or only_b or differ)
    print(f"{'identical' if same else 'DIFFERENT'}: {len(a.keys() & b.keys())} files in both"
          + (f", {len(only_a)} only in A, {len(only_b)} only in B, {len(differ)} differ" if not same else ""))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
