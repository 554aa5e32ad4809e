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


_FILE_SECONDS: dict[str, float] = {}  # test file -> the seconds its tests took (setup, call and teardown)


def pytest_runtest_logreport(report) -> None:
    """Each test's time, added to its file's (in the main process: xdist's workers report there)."""
    path = report.nodeid.split("::", 1)[0]
    _FILE_SECONDS[path] = _FILE_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    """The ten test files that took longest, with their share of the whole: CI must end within 30 minutes, and
    with `--dist loadfile` a file runs whole in one process."""
    total = sum(_FILE_SECONDS.values())
    if total < 60:
        return
    terminalreporter.section("slowest test files")
    for path, seconds in sorted(_FILE_SECONDS.items(), key=lambda item: -item[1])[:10]:
        terminalreporter.write_line(f"{seconds:8.1f}s {100 * seconds / total:5.1f}%  {path}")
    terminalreporter.write_line(f"{total:8.1f}s in all test files, over every process")
