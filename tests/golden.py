"""Golden output of the small fixture site. Regenerate after an intended change with:

    python tests/golden.py

then review `git diff tests/golden/` like any other change.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "sites" / "small"
GOLDEN = HERE / "golden" / "small"
SKIP = ("assets/", ".glossator-output")  # assets are checked in the browser


def build_small(out: Path) -> dict[str, bytes]:
    from builder.build import build

    with tempfile.TemporaryDirectory() as tmp:  # a copy outside git: the golden output has no history
        site = Path(tmp) / "small"
        shutil.copytree(SITE, site)
        result = build(site, out, use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIP)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = build_small(Path(tmp) / "out")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, data in files.items():
        (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / rel).write_bytes(data)
    print(f"wrote {len(files)} files into {GOLDEN.relative_to(HERE.parent)}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
