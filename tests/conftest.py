"""Shared helpers: write a small site, run the command line in-process.

Both are fixtures that hand back a plain function:
    site = make_site(tmp_path, {"content/a.txt": "…", "annotations/a.yaml": "…"})
    code, out, err = run_cli("check", site, "--format", "json")
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (path relative to root -> text or bytes) and return root.

    Text is written as UTF-8 exactly as given (no newline translation)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def invoke(*args) -> tuple[int, str, str]:
    """`glossator ARGS…` in-process: (exit code, stdout, stderr). An uncaught exception is re-raised."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def make_site():
    return write_site


@pytest.fixture
def run_cli():
    return invoke
