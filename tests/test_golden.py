"""The small fixture site builds exactly as recorded in tests/golden/small (see tests/golden.py)."""
from tests.golden import GOLDEN, build_small


def test_output_matches_the_golden_files(tmp_path):
    built = build_small(tmp_path / "out")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(golden), "pages added or removed: run python tests/golden.py and review"
    changed = [path for path in built if built[path] != golden[path]]
    assert not changed, f"pages differ from the golden output: {changed}; run python tests/golden.py and review"
