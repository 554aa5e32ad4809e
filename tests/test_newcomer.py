"""What a newcomer meets first: the README's quick start, and the skip messages of the tests."""
from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def quick_start() -> str:
    text = (REPO / "README.md").read_text("utf-8")
    return text[text.index("## Quick start"): text.index("\n## ", text.index("## Quick start") + 1)]


def test_quick_start_keeps_its_two_commands_and_says_how_to_look():
    section = quick_start()
    assert "python3 -m pip install . && python3 -m builder build ." in section
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in section
    assert re.search(r"serve \.", section) and "http://127.0.0.1:8000/" in section


def test_quick_start_says_the_warning_its_first_build_prints(tmp_path):
    """A newcomer's first build of this repository prints a warning: the quick start says it is
    expected and what to do when publishing, and how to start a site of one's own."""
    from builder.build import build

    result = build(REPO, tmp_path / "out", None, use_cache=False)
    warnings = [p.message for p in result.problems if p.severity == "warning"]
    assert result.ok and len(warnings) == 1 and warnings[0].startswith("base_url has no host")
    section = quick_start()
    assert "`base_url has no host`" in section and "--base-url" in section
    assert "glossator init" in section and "glossator new" in section and "glossator check" in section


def test_readme_states_the_rule_on_links():
    text = (REPO / "README.md").read_text("utf-8")
    assert "## Files outside the site are never read" in text


def test_the_nu_checker_skip_names_the_folder_to_run_npm_in(monkeypatch):
    spec = importlib.util.find_spec("tests.browser.test_html_valid")
    if spec is None:
        pytest.skip("tests.browser is not importable here")
    module = importlib.import_module("tests.browser.test_html_valid")
    monkeypatch.setattr(module, "VNU", REPO / "nowhere" / "vnu.jar")
    with pytest.raises(pytest.skip.Exception) as skipped:
        module.vnu(REPO)
    assert "cd tests/browser && npm install" in str(skipped.value)


def test_help_lists_every_command_whole_and_says_the_exit_codes(run_cli):
    """`glossator --help` is where a newcomer looks first: no summary cut short with "...", SITE and
    the exit codes of SPEC 8 said; every option with choices says what each choice does."""
    code, out, _ = run_cli("--help")
    assert code == 0
    commands = out[out.index("Commands:"):]
    for name in ("build", "check", "init", "new", "reanchor", "serve"):
        row = next(line for line in commands.splitlines() if line.strip().startswith(name + " "))
        assert not row.rstrip().endswith("..."), row
    assert "0 done, 1 problems in the site's files, 2 wrong usage" in " ".join(out.split())
    assert "current folder" in out
    _, check_help, _ = run_cli("check", "--help")
    assert all(choice + ":" in check_help for choice in ("text", "json", "github"))
    _, reanchor_help, _ = run_cli("reanchor", "--help")
    assert all(choice + ":" in reanchor_help for choice in ("text", "json"))
