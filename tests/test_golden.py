"""The small fixture site builds exactly as recorded in tests/golden/small (see tests/golden.py)."""
import difflib

from tests.golden import GOLDEN, build_small


def test_output_matches_the_golden_files(tmp_path):
    built = build_small(tmp_path / "out")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(golden), "pages added or removed: run python tests/golden.py and review"
    changed = [path for path in built if built[path] != golden[path]]
    diff = "".join(line for path in changed[:3] for line in difflib.unified_diff(
        golden[path].decode("utf-8", "replace").splitlines(keepends=True),
        built[path].decode("utf-8", "replace").splitlines(keepends=True), f"golden/{path}", f"built/{path}", n=2))
    assert not changed, f"pages differ from the golden output: {changed}\n{diff[:6000]}\nrun python tests/golden.py and review"
