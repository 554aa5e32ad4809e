"""Writing the site: a complete new folder beside the old one, then a swap.

Glossator marks every output folder it makes with MARKER, and never deletes or replaces a
folder without it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from . import parallel
from .errors import ProblemError

MARKER = ".glossator-output"
SOURCES = ("content", "annotations", "templates", "static", "site.toml", "schema", "builder")


class OutputRefused(Exception):
    """The output folder is not ours to replace; the message says why."""


def check_target(site: Path, out: Path) -> None:
    site, out = site.resolve(), out.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputRefused(f"{out} holds the site's sources: choose an output folder inside or beside the site")
    for name in SOURCES:
        if out == site / name or out.is_relative_to(site / name):
            raise OutputRefused(f"{out} is inside the site's {name}: choose another output folder")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(f"{out} is not empty and was not made by Glossator (no {MARKER} in it): refusing to replace it")


def safe_relative(path: str) -> PurePosixPath:
    """A page path that stays inside the output folder."""
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise ValueError(f"unsafe output path: {path}")
    return p


def write_tree(folder: Path, pages, copies: dict[str, Path], progress=None) -> None:
    """Write pages ({path: bytes}, or page jobs rendered here, across cores) and copy files."""
    if isinstance(pages, dict):
        for rel, data in pages.items():
            write_file(folder, rel, data)
    else:
        def task(i: int):
            job = pages[i]
            try:
                write_file(folder, job.path, job.make())
            except Exception as exc:  # a template problem: hand it back to the parent
                return getattr(exc, "problem", None) or exc
            return None

        for failure in parallel.run(task, len(pages), progress=progress):
            if failure is not None:
                raise failure if isinstance(failure, Exception) else ProblemError(failure)
    for rel, source in copies.items():
        target = folder / safe_relative(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def write_file(folder: Path, rel: str, data: bytes) -> None:
    target = folder / safe_relative(rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def publish(site: Path, out: Path, pages, copies: dict[str, Path], progress=None) -> None:
    """Write everything into a fresh folder next to `out`, then swap it in."""
    check_target(site, out)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        if progress is None:
            write_tree(fresh, pages, copies)
        else:
            write_tree(fresh, pages, copies, progress)
        (fresh / MARKER).write_text("This folder is written by Glossator; it replaces it whole on every build.\n")
        os.chmod(fresh, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
            os.rename(fresh, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def static_files(site: Path, assets: Path) -> dict[str, Path]:
    """Built-in assets under assets/, then the site's static/ copied as it is (it may override them)."""
    copies = {f"assets/{p.name}": p for p in sorted(assets.iterdir()) if p.is_file()}
    static = site / "static"
    if static.is_dir():
        for p in sorted(static.rglob("*")):
            if p.is_file() and not p.is_symlink():
                copies[p.relative_to(static).as_posix()] = p
    return copies


def write_in_place(path: Path, data: bytes) -> None:
    """Replace one file atomically (a temporary file beside it, then a rename), keeping its mode."""
    tmp = path.with_name(f".{path.name}.glossator-tmp")
    tmp.write_bytes(data)
    try:
        shutil.copymode(path, tmp)
    except OSError:
        pass
    os.replace(tmp, path)
