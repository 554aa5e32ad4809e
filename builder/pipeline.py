"""The whole build as one story: load, anchor, link, render, write."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .load import load_site
from .output import publish, static_files
from .render import HERE, TemplateProblem, render_site


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


def output_folder(site: Path, out: Path | None, config_output: str) -> Path:
    return out if out is not None else site / config_output


def build(site: Path, out: Path | None = None, base_url: str | None = None, use_cache: bool = True) -> BuildResult:
    """Build the site into `out`; on any error, the old output stays exactly as it was."""
    started = time.perf_counter()
    model, problems = load_site(site)
    if base_url is None and not model.config.base_url_set:
        problems.warning("site.toml", 1, 1, 'base_url is not set: feed.xml and sitemap.xml use path-absolute URLs; set base_url = "https://…/"')
    if problems.errors:
        return BuildResult(False, problems.sorted())
    try:
        pages = render_site(model, base_url)
    except TemplateProblem as exc:
        return BuildResult(False, problems.sorted() + [exc.problem])
    target = output_folder(site, out, model.config.output)
    publish(site, target, pages, static_files(site, HERE / "assets"))
    used_flags = {f for flags in model.flags_of.values() for f in flags}
    return BuildResult(
        True, problems.sorted(), len(model.articles), sum(len(a.annotations) for a in model.articles),
        len(used_flags), len(pages), time.perf_counter() - started, target,
    )
