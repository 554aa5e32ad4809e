"""The whole build as one story: load, anchor, link, render, write."""
from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .read.load import load_site
from .cache import FOLDER, ArticleCache, digest
from .errors import ProblemError
from .output import MARKER, publish, static_files
from .render import ASSETS, builtin_templates, plan


@dataclass
class BuildResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    annotations: int = 0
    flags: int = 0
    pages: int = 0
    seconds: float = 0.0
    out: Path | None = None
    unchanged: bool = False


def output_folder(site: Path, out: Path | None, config_output: str) -> Path:
    return out if out is not None else site / config_output


@contextlib.contextmanager
def collector_paused():
    """The cycle collector off while building (about 7% of a cold build: the build's objects live
    until its end anyway). At the end they are handed to the oldest generation (freeze, then
    unfreeze) so that turning the collector back on does not walk them all at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # serve keeps its own objects frozen: leave those be
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def build(site: Path, out: Path | None = None, base_url: str | None = None, use_cache: bool = True,
          progress=None) -> BuildResult:
    """Build the site into `out`; on any error, the old output stays exactly as it was."""
    with collector_paused():
        return _build(site, out, base_url, use_cache, progress)


def _build(site: Path, out: Path | None, base_url: str | None, use_cache: bool, progress) -> BuildResult:
    started = time.perf_counter()
    inputs = fingerprint(site, base_url)
    if use_cache:
        previous = unchanged(site, out, inputs)
        if previous is not None:
            counts, target = previous
            return BuildResult(True, [], *counts, seconds=time.perf_counter() - started, out=target, unchanged=True)
    model, problems = load_site(site, ArticleCache(site) if use_cache else None, progress)
    if base_url is None and not model.config.base_url_set:
        problems.warning("site.toml", 1, 1, 'base_url is not set: feed.xml and sitemap.xml use path-absolute URLs; set base_url = "https://…/"')
    if problems.errors:
        return BuildResult(False, problems.sorted())
    jobs = plan(model, base_url)
    target = output_folder(site, out, model.config.output)
    used_flags = {f for flags in model.flags_of.values() for f in flags}
    counts = (len(model.articles), sum(len(a.annotations) for a in model.articles), len(used_flags), len(jobs))
    try:
        publish(site, target, jobs, static_files(site, ASSETS), progress("writing", len(jobs)) if progress else None)
    except ProblemError as exc:
        return BuildResult(False, problems.sorted() + [exc.problem])
    if use_cache and not any(p.severity == "warning" for p in problems.items):
        record_build(site, target, inputs, counts)
    return BuildResult(True, problems.sorted(), *counts, time.perf_counter() - started, target)


def fingerprint(site: Path, base_url: str | None) -> str:
    """A digest of what every input of a build is: path, size and modification time of the site's
    files, the built-in templates and assets, and the options (a changed file changes its mtime)."""
    parts = [repr(base_url).encode()]
    for folder in (site / "content", site / "annotations", site / "templates", site / "static",
                   builtin_templates(), ASSETS):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    st = path.stat()
                    parts.append(f"{path.relative_to(folder).as_posix()}:{st.st_size}:{st.st_mtime_ns}".encode())
        parts.append(b"/")
    config = site / "site.toml"
    parts.append(config.read_bytes() if config.exists() else b"")
    return digest(*parts)


def _record_path(site: Path, target: Path) -> Path:
    return site / FOLDER / "builds" / (digest(str(target.resolve()).encode())[:16] + ".json")


def record_build(site: Path, target: Path, inputs: str, counts) -> None:
    """Remember what the output folder was built from (in the cache: deleting it costs a build)."""
    record = {"inputs": inputs, "counts": list(counts), "files": _files(target),
              "marker": (target / MARKER).stat().st_mtime_ns}
    path = _record_path(site, target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))
    except OSError:
        pass


def unchanged(site: Path, out: Path | None, inputs: str):
    """(counts, target) of the last build when its output is in place, untouched, from these same inputs."""
    from .read.config import load_config
    from .errors import Problems

    target = output_folder(site, out, load_config(site, Problems()).output)
    try:
        record = json.loads(_record_path(site, target).read_text())
        same = (record["inputs"] == inputs and record["marker"] == (target / MARKER).stat().st_mtime_ns
                and record["files"] == _files(target) and len(record["counts"]) == 4)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (tuple(record["counts"]), target) if same else None


def _files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))
