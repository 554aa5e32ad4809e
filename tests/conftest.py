"""Shared helpers: write a small site, run the command line in-process.

Both are fixtures that hand back a plain function:
    site = make_site(tmp_path, {"content/a.txt": "…", "annotations/a.yaml": "…"})
    code, out, err = run_cli("check", site, "--format", "json")
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main


def _temporary_files_in_memory(shm: Path = Path("/dev/shm")) -> None:
    """Put the tests' temporary folders (tmp_path, tempfile's, those of the programs they run: git, glossator,
    chromium) in memory, where /dev/shm is a writable folder with 4 GB free and TMPDIR is not set. The suite
    writes and deletes thousands of small sites and git repositories; on a disk mounted with `discard` (ext4 on
    this CI's machines) creating small files after a large delete stalls for seconds, and the suite waited on the
    disk more than it ran (the 155 git cases of reanchor/adversarial.yaml: 118 s in /tmp, 28 s in /dev/shm, 16 s of CPU both)."""
    if "TMPDIR" in os.environ or not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return
    room = os.statvfs(shm)
    if room.f_bavail * room.f_frsize < 4 << 30:  # a container's /dev/shm (64 MB in Docker): a unit run writes 1.4 GB
        return
    os.environ["TMPDIR"] = str(shm)
    tempfile.tempdir = str(shm)


_temporary_files_in_memory()


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
