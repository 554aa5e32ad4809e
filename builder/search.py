"""The search index (SPEC 11): Pagefind run once over a finished output folder, before it is published.

The whole folder is indexed in one call: feeding pages one by one through Pagefind's Python API is
about twenty times slower. Pagefind only reads pages marked `data-pagefind-body` (article pages), so
flag, tag and index pages, which quote passages again, never show up as results.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from .errors import Problem

FOLDER = "search/pagefind"  # where the index lives in the output, beside search/index.html
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # its own UIs: ours is assets/search.js
GLOB = "articles/*/index.html"  # the pages it indexes: reading the others too (flag, tag pages) costs 40% more CPU
EXCLUDE = "a.noteref, p.note-history"  # a note reference's words (number, flag words), a note's git history
INSTALL = "install it with: pip install 'pagefind[bin]' (or set search = false in site.toml)"


def executable() -> Path | None:
    """Pagefind's binary, found as its Python wrapper finds it (PAGEFIND_BINARY_PATH, the extended
    then the plain wheel, then PATH), without starting the wrapper: run through `python -m pagefind`,
    each build paid for a second interpreter and its imports before indexing began."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    for package, name in (("pagefind_bin_extended", "pagefind_extended"), ("pagefind_bin", "pagefind")):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            if (Path(folder) / name).is_file():
                return Path(folder) / name
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def available() -> str | None:
    """None when Pagefind's binary can run here, else why not."""
    if executable() is None:
        return "the search index needs Pagefind's binary, which is not installed"
    return None


def _child_setup(parent: int, nice: bool) -> None:
    """In Pagefind's process, before it starts: it dies with the build (a killed build leaves no
    Pagefind writing into its folder), and runs at a lower priority for serve's refreshes."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass  # another system: a killed build's Pagefind runs to its end, in a folder the next build tidies
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    if nice and hasattr(os, "nice"):
        os.nice(10)


class Indexing:
    """Pagefind indexing the article pages in `folder` into `bundle` (default folder/search/pagefind),
    started now and running while the caller goes on (the build writes its other pages meanwhile);
    `wait` gives (problem or None, seconds). With `nice`, at a lower CPU priority (serve's refresh)."""

    def __init__(self, folder: Path, severity: str = "error", bundle: Path | None = None, nice: bool = False):
        self.started = time.perf_counter()
        self.severity, self.bundle = severity, bundle or folder / FOLDER
        self.process: subprocess.Popen | None = None
        self.problem: Problem | None = None
        missing = available()
        if missing:
            self.problem = Problem("site.toml", 1, 1, f"{missing}: {INSTALL}", severity)
            return
        command = [str(executable()), "--site", str(folder), "--output-path", str(self.bundle.resolve()),
                   "--glob", GLOB, "--exclude-selectors", EXCLUDE, "--silent"]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            env={**os.environ, "NO_COLOR": "1"},
                                            preexec_fn=lambda parent=os.getpid(): _child_setup(parent, nice))
        except (OSError, subprocess.SubprocessError) as exc:
            self.problem = self._failed(str(exc))

    def _failed(self, why: str) -> Problem:
        return Problem("site.toml", 1, 1, f"the search index could not be built: {why}", self.severity)

    def wait(self) -> tuple[Problem | None, float]:
        if self.process is None:
            return self.problem, 0.0
        try:
            out, err = self.process.communicate(timeout=3600)
        except subprocess.SubprocessError as exc:
            self.stop()
            return self._failed(str(exc)), 0.0
        if self.process.returncode != 0 or not (self.bundle / "pagefind.js").is_file():
            said = " ".join((err or out or "no output").split())[-600:]
            return self._failed(f"Pagefind exited with {self.process.returncode}: {said} ({INSTALL})"), 0.0
        for name in UNUSED:
            (self.bundle / name).unlink(missing_ok=True)
        empty = sorted(p.relative_to(self.bundle).as_posix() for p in self.bundle.rglob("*") if p.is_file() and not p.stat().st_size)
        if empty:  # Pagefind does not notice a write that failed (a full disk): its files come out empty
            return self._failed(f"Pagefind wrote {len(empty)} empty file{'s' if len(empty) > 1 else ''} "
                                f"({', '.join(empty[:3])}): is the disk full?"), 0.0
        try:
            steady(self.bundle)
        except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            return Problem("site.toml", 1, 1, f"the search index could not be read back ({exc}): the disk may be full, or "
                           f"this Pagefind version may write a format Glossator does not know; {INSTALL}", self.severity), 0.0
        return None, time.perf_counter() - self.started

    def stop(self) -> None:
        """Kill it if it still runs (the build failed meanwhile)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def index(folder: Path, severity: str = "error", bundle: Path | None = None,
          nice: bool = False) -> tuple[Problem | None, float]:
    """Index the rendered pages in `folder` and wait for it: (problem or None, seconds)."""
    return Indexing(folder, severity, bundle, nice).wait()


def size(folder: Path) -> int:
    """Bytes of the index in an output folder (0 without one)."""
    root = folder / FOLDER
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0


# Pagefind lists a filter's values in hash-map order, which changes from run to run. So that the
# same inputs give the same bytes (SPEC 8), the filter files are rewritten with their values sorted,
# renamed after their content, and the index's table of contents (pf_meta) and entry file follow.
SIGNATURE = b"pagefind_dcd"


def _load(path: Path):
    import cbor2

    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _dump(obj) -> bytes:
    import cbor2

    return gzip.compress(SIGNATURE + cbor2.dumps(obj), compresslevel=9, mtime=0)


def steady(bundle: Path) -> None:
    """Sort every filter's values and rename what that changes: the same index gives the same bytes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _load(meta_path)
        prefix = language["hash"].split("_")[0]
        filters = meta[3]  # [[filter name, file hash], ...]
        for item in filters:
            old = bundle / "filter" / f"{item[1]}.pf_filter"
            name, values = _load(old)
            data = _dump([name, sorted(([v, sorted(pages)] for v, pages in values), key=lambda v: v[0])])
            item[1] = f"{prefix}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            (bundle / "filter" / f"{item[1]}.pf_filter").write_bytes(data)
        filters.sort(key=lambda item: item[0])
        data = _dump(meta)
        meta_path.unlink()
        language["hash"] = f"{prefix}_{hashlib.sha256(data).hexdigest()[:10]}"
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
