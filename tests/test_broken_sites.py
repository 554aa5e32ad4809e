"""A catalog of broken sites, one per kind of mistake: `glossator check` must name each one.

Each folder of tests/broken/ is a tiny site with an `expected.txt`: `#` lines describe the case;
every other line is `path:line:col: severity: message-substring`. The check must exit 1, print no
traceback, and report exactly the expected problems: same file, line and column, and a message
containing the substring; no other problem.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.*)$")


def expected_problems(case: str) -> list[dict]:
    out = []
    for raw in (BROKEN / case / "expected.txt").read_text("utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        m = LINE.match(raw)
        assert m, f"{case}/expected.txt: bad line {raw!r}"
        out.append({**m.groupdict(), "line": int(m["line"]), "col": int(m["col"])})
    assert out, f"{case}/expected.txt lists no problem"
    return out


def reported_problems(stderr: str) -> list[dict]:
    out = []
    for raw in stderr.splitlines():
        m = LINE.match(raw)
        if m:
            out.append({**m.groupdict(), "line": int(m["line"]), "col": int(m["col"])})
    return out


def assert_same(case: str, expected: list[dict], reported: list[dict]) -> None:
    left = list(reported)
    for exp in expected:
        key = (exp["file"], exp["line"], exp["col"], exp["severity"])
        hit = next((r for r in left if (r["file"], r["line"], r["col"], r["severity"]) == key
                    and exp["message"] in r["message"]), None)
        assert hit is not None, (
            f"{case}: expected {key} containing {exp['message']!r}; reported:\n"
            + "\n".join(f"  {r['file']}:{r['line']}:{r['col']}: {r['severity']}: {r['message']}" for r in reported)
        )
        left.remove(hit)
    assert not [r for r in left if r["severity"] == "error"], f"{case}: unexpected problems: {left}"


def copy_case(case: str, tmp_path: Path) -> Path:
    site = tmp_path / case
    shutil.copytree(BROKEN / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    return site


def files_in(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*")}


@pytest.mark.parametrize("case", CASES)
def test_broken_site(case, tmp_path, run_cli):
    site = copy_case(case, tmp_path)
    before = files_in(site)
    code, out, err = run_cli("check", site)
    assert code == 1, f"{case}: exit {code}\n{err}"
    assert "Traceback" not in out + err
    assert_same(case, expected_problems(case), reported_problems(err))
    assert files_in(site) == before, "check must write nothing"


@pytest.mark.parametrize("case", ["unknown-flag", "date-impossible", "bad-utf8-content", "quote-ambiguous"])
def test_broken_site_json(case, tmp_path, run_cli):
    code, out, err = run_cli("check", copy_case(case, tmp_path), "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert isinstance(problems, list)
    for p in problems:
        assert set(p) == {"file", "line", "col", "severity", "message"}
    assert_same(case, expected_problems(case), problems)


@pytest.mark.parametrize("case", ["unknown-field", "date-wrong-format", "front-matter-unknown-field"])
def test_broken_site_github(case, tmp_path, run_cli):
    code, out, err = run_cli("check", copy_case(case, tmp_path), "--format", "github")
    assert code == 1
    rows = [line for line in out.splitlines() if line.strip()]
    pattern = re.compile(r"^::(?P<severity>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+)::(?P<message>.*)$")
    reported = []
    for row in rows:
        m = pattern.match(row)
        assert m, f"not a GitHub annotation: {row!r}"
        reported.append({**m.groupdict(), "line": int(m["line"]), "col": int(m["col"])})
    assert_same(case, expected_problems(case), reported)


def test_alias_bomb_is_refused_before_it_expands(tmp_path):
    """Nine levels of nine aliases: expanded, it would never finish (the subprocess timeout says so)."""
    site = copy_case("yaml-alias-bomb", tmp_path)
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "alias" in result.stderr


def test_python_tag_is_never_run(tmp_path, run_cli, make_site):
    marker = tmp_path / "pwned"
    site = make_site(tmp_path / "site", {
        "content/a.txt": "Officials say so.\n",
        "annotations/a.yaml": f'annotations:\n  - quote: "Officials say"\n    note: !!python/object/apply:os.system ["touch {marker}"]\n',
    })
    code, out, err = run_cli("check", site)
    assert code == 1
    assert "!!python/object/apply:os.system" in err
    assert not marker.exists()


def test_every_problem_at_once(tmp_path, run_cli, make_site):
    """Problems in several files and stages are all reported in one run, sorted by file and line."""
    site = make_site(tmp_path, {
        "site.toml": 'titel = "x"\n',
        "content/a.txt": "Officials say the gangs are allies.\n",
        "content/b.txt": b"bad \xff byte\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "nowhere in the text"\n    flags: [rebutal]\n',
        "annotations/c.yaml": "annotations: []\n",
    })
    code, out, err = run_cli("check", site)
    assert code == 1
    got = [(p["file"], p["line"], p["col"]) for p in reported_problems(err)]
    assert got == [
        ("annotations/a.yaml", 2, 12),  # quote not found
        ("annotations/a.yaml", 3, 13),  # unknown flag
        ("annotations/c.yaml", 1, 1),   # orphan
        ("content/b.txt", 1, 5),        # bad byte
        ("site.toml", 1, 1),            # unknown key
    ]
