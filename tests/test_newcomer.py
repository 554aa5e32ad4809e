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
