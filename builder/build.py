"""`glossator build`, the whole story: load, anchor and link every article, plan the pages, publish."""
from __future__ import annotations

import contextlib
import gc
import os
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .cache import ArticleCache, BuildRecord, digest, tree_digest
from .errors import Problem, ProblemError, Problems
from .history import head
from .parallel import too_late_to_stop
from .output import Busy, OutputRefused, Unwritable, check_target, output_problem, publish, reserved, restore, static_files
from .read.config import load_config
from .read.files import folder
from .read.load import load_site
from .rootlinks import dead_link_problems, passage_ids, rooted_link_problems
from .searchpage import has_body
from .slugs import accents_written
from .markdown import markdown_texts, ready
from . import search


@dataclass
class BuildResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    annotations: int = 0
    flags: int = 0  # flags in use
    pages: int = 0
    seconds: float = 0.0
    out: Path | None = None
    unchanged: bool = False  # the output was already built from these same inputs
    search_seconds: float = 0.0  # time the search index took (0 with search off)
    search_bytes: int = 0  # size of the search index


@contextlib.contextmanager
def collector_paused():
    """The cycle collector off while the site is loaded (its objects live to the end of the build
    anyway), and out of the collector's sight once loaded; see `collect_while_rendering`. At the
    end the build's objects go to the oldest generation without being walked (freeze, unfreeze)."""
    enabled, frozen, threshold = gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold()
    gc.disable()
    try:
        yield lambda: collect_while_rendering(enabled)
    finally:
        if not frozen:  # serve keeps its own objects frozen: leave those be
            gc.freeze()
            gc.unfreeze()
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


YOUNG = 10_000  # objects made before the collector looks for cycles among the newest (Python's default: 700)


def collect_while_rendering(enabled: bool = True) -> None:
    """Before rendering: the loaded site frozen (never walked, here or in the forked workers, whose
    pages then stay shared), the collector back on for the short-lived cycles that rendering makes
    (without it, a worker's memory grows by a third), less often than by default: its pauses took
    0.4 ms per article, 0.06 at this threshold, for a few MB more in each worker."""
    gc.freeze()
    if enabled:
        gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
        gc.enable()


def build(site: Path, out: Path | None = None, base_url: str | None = None, use_cache: bool = True,
          progress=None) -> BuildResult:
    """Build the site into `out`; on any error, the old output stays exactly as it was."""
    too_late_to_stop(False)  # (until this build's new site is out)
    with collector_paused() as rendering:
        return _build(site, out, base_url, use_cache, progress, rendering)


def _build(site: Path, out: Path | None, base_url: str | None, use_cache: bool, progress, rendering) -> BuildResult:
    started = time.perf_counter()
    config = load_config(site, Problems())
    target = out if out is not None else site / config.output
    try:
        with reserved(site, target, named=out is not None) as held:  # another build into it: said now, not after all the work
            return _build_held(site, out, base_url, use_cache, progress, rendering, started, config, target, held)
    except Busy as exc:
        return BuildResult(False, [output_problem(site, target, exc)], out=target)


def _build_held(site: Path, out: Path | None, base_url: str | None, use_cache: bool, progress, rendering, started: float,
                config, target: Path, held: Path | None) -> BuildResult:
    """`_build`, with the output folder's lock held (`held`, where it could be taken before the work)."""
    restore(target, held)
    host = host_warning(site, config, base_url)  # said on every build, cached or not
    inputs = _fingerprint(site, base_url) if use_cache else None  # (without the cache, nothing reads it)
    record = BuildRecord(site, target) if use_cache else None
    if use_cache and inputs is not None:
        cached = record.counts(inputs)
        if cached is not None:
            counts, said = cached  # its warnings are said again
            return BuildResult(True, host + said, *counts, seconds=time.perf_counter() - started, out=target, unchanged=True)
    refused = output_problems(site, target, named=out is not None)  # (`publish` looks again: what is in it may change)
    if refused or (out is None and config.output_refused):  # (site.toml's refused output: said by loading the site)
        # the disk left as it was: the site loaded as `check` loads it, no cache written
        _, problems = load_site(site, None, progress)
        return BuildResult(False, host_said(host, problems) + problems.sorted() + refused, out=target)
    made: dict = {}

    def meanwhile(articles) -> bool:
        """While workers load articles, what `plan` would do next with them idle, done here: the templates
        compiled, and the Markdown parser made if the notes this process loaded need it."""
        if "env" not in made:
            from .render.templates import environment, warm  # (Jinja and the templates: imported here, while the workers load)

            made["env"] = environment(site)
            warm(made["env"])
        made["looked"] = ready(markdown_texts(articles), made.get("looked", 0))
        return made["looked"] is None

    model, problems = load_site(site, ArticleCache(site) if use_cache else None, progress, meanwhile,
                                "write" if use_cache else None)
    from .render import (ASSETS, environment, only_in_templates, own_template_errors, plan, render_despite, render_problems,
                         template_problems)
    from .render.plan import BESIDE

    env = made.get("env") or environment(site)  # one for both: a site's templates are compiled once
    problems.items.extend(template_problems(site, env))  # as check does: unused templates must compile too
    if problems.errors:
        if only_in_templates(problems.errors):  # as check does: what rendering the pages finds, too
            problems.items.extend(render_problems(model, base_url, env, known=problems.items))
        elif render_despite(site, model.config):
            problems.items.extend(own_template_errors(render_problems(model, base_url, env, known=problems.items)))
        return BuildResult(False, host_said(host, problems) + problems.sorted(), out=target)
    copies = static_files(site, ASSETS)
    jobs = plan(model, base_url, env, copies)
    rendering()
    used_flags = {f for flags in model.flags_of.values() for f in flags}
    counts = (len(model.articles), sum(len(a.annotations) for a in model.articles), len(used_flags), len(jobs))
    problems.items.extend(static_problems(copies, jobs))
    problems.items.extend(rooted_link_problems(site, model.articles, base_url or config.base_url, set(copies)))
    problems.items.extend(dead_link_problems(site, model.articles, {job.path for job in jobs} | set(copies),
                                             passage_ids(model.articles)))
    indexed = {"seconds": 0.0, "bytes": 0}
    indexing = search.Indexing.of(model.config.language, [job.path for job in jobs], copies) if model.config.search else None

    def finish(folder: Path, read: dict) -> None:
        """The search index, over the complete new folder (made beside the last pages where static/ has
        nothing of it: Indexing.early): if it fails, nothing is published."""
        written = read.pop(BESIDE, None) or indexing.finish(folder, read)
        indexed["bytes"], indexed["seconds"] = written.size, written.seconds
        problems.items.extend(filter(None, [written.problem(copies)]))

    if not model.config.search:
        copies.pop("assets/search.js", None)
    written: dict | None = {} if record is not None else None  # each page's digest, for the record
    try:
        publish(site, target, jobs, copies, progress("writing", len(jobs)) if progress else None,
                finish if indexing else None, named=out is not None, reader=indexing and indexing.reader,
                beside=indexing.finish if indexing and indexing.early else None, digests=written, held=held)
    except ProblemError as exc:  # (every page's template error: each said once)
        return BuildResult(False, host + problems.sorted() + Problems(exc.problems).sorted(), out=target)
    except (OutputRefused, OSError) as exc:  # a folder not ours, a full disk, a path the system refuses
        return BuildResult(False, host + problems.sorted() + [output_problem(site, target, exc)], out=target)
    try:  # (the new site is published: a Ctrl-C from here on, a second with 50,000 static files, only leaves it unrecorded)
        if use_cache and inputs is not None and _fingerprint(site, base_url) == inputs:  # a file saved meanwhile: build again
            record.save(inputs, counts, [p for p in problems.items if p.severity == "warning"], written)
    except KeyboardInterrupt:
        pass
    return BuildResult(True, host + problems.sorted(), *counts, time.perf_counter() - started, target,
                       search_seconds=indexed["seconds"], search_bytes=indexed["bytes"])


def output_problems(site: Path, out: Path, named: bool = False, checking: bool = False) -> list[Problem]:
    """What `build` refuses about its output folder (not ours, a link, a file), said by `check` of site.toml's
    (`checking`: a site read-only as a whole, as a warning). `named`: given with --out."""
    try:
        check_target(site, out, named)
    except (OutputRefused, OSError) as exc:
        problem = output_problem(site, out, exc)
        if checking and isinstance(exc, Unwritable) and exc.whole:
            problem = replace(problem, severity="warning")
        return [problem]
    return []


UNMARKED = "search would leave this page out"  # one page's; said as one warning by search_body_problem


def look_for_search_body(job, data: bytes) -> Problem | None:
    """`check`'s look at each page it makes: an article page without `data-search-body`, which the
    build's search index leaves out (and says so, search.Written.problem)."""
    if search.is_page(job.path) and not has_body(data.decode("utf-8", "replace")):
        return Problem(job.path, 1, 1, UNMARKED, "warning")
    return None


def search_body_problem(found: list[Problem], copies: dict[str, Path]) -> list[Problem]:
    """`found` with the pages `look_for_search_body` marked said as the build says them: one warning."""
    unmarked = tuple(p.file.removesuffix("index.html") for p in found if p.message == UNMARKED)
    said = search.Written(0, 0.0, unmarked).problem(copies)
    return [p for p in found if p.message != UNMARKED] + ([said] if said else [])


def static_problems(copies: dict[str, Path], jobs) -> list[Problem]:
    """What the files of static/ do to the pages made (said by build and check alike)."""
    return replaced_pages(copies, jobs) + case_clashes([job.path for job in jobs], copies)


def case_clashes(pages: list[str], copies: dict[str, Path]) -> list[Problem]:
    """Files of static/ whose paths differ only in case from a page's or from each other's, or only in how an
    accented letter is encoded ("é" as one character or as "e" and an accent, NFC or NFD): one file where
    case is ignored (macOS, Windows) or the two encodings are one name (macOS), the other lost without a word."""
    said, first, made = [], {}, set(pages)
    for rel in [*pages, *(r for r in copies if not r.startswith("assets/"))]:
        other = first.setdefault(unicodedata.normalize("NFC", rel).casefold(), rel)
        if other != rel:
            what = f"the page Glossator makes at {other}" if other in made and other not in copies else f"static/{other}"
            how = ("only in case", "ignores case (macOS, Windows)") if unicodedata.normalize("NFC", rel) != (
                unicodedata.normalize("NFC", other)) else (f"only in how its accented letters are encoded (here {accents_written(rel)}, "
                f"there {accents_written(other)})", "takes both for one name (macOS)")
            said.append(Problem(f"static/{rel}", 1, 1, f"differs {how[0]} from {what}: where a file system "
                                f"{how[1]} one replaces the other; rename one", "warning"))
    return said


def replaced_pages(copies: dict, jobs) -> list[Problem]:
    """A page of the same path in static/ wins, as it is; said, since it hides the page made. Only the
    .html pages come from templates: a feed, the sitemap, an export or the search index does not."""
    return [Problem(f"static/{job.path}", 1, 1, f"replaces the page Glossator makes at {job.path} " + (
                    "(to change that page, override its template in templates/)" if job.path.endswith(".html") else
                    "(no template makes that file: remove it from static/ to publish the one Glossator makes)"),
                    "warning")
            for job in jobs if job.path in copies and not job.path.startswith("assets/")]


def config_in_error(problems: Problems) -> bool:
    """Whether site.toml has an error: then its base_url and output are not known, and nothing is said of them."""
    return any(p.file == "site.toml" and p.severity == "error" for p in problems.items)


def host_said(host: list[Problem], problems: Problems) -> list[Problem]:
    """host_warning's, on a failed build as on one that worked (and as check says it), unless config_in_error."""
    return [] if config_in_error(problems) else host


def host_warning(site: Path, config, given: str | None = None) -> list[Problem]:
    """Feeds, the sitemap and the W3C export need absolute URLs: without a host they cannot have them. `given`:
    --base-url's, which stands for site.toml's. Said where the user sets it: at site.toml's base_url, or in
    site.toml, or (a site without one) at the site's folder, never at a file that is not there."""
    if urlsplit(given or config.base_url).netloc:
        return []
    toml = os.path.isfile(site / "site.toml")
    line, col = config.base_url_at if toml and config.base_url_at and not given else (1, 1)
    if given:
        what, fix = "--base-url", "give --base-url https://…/"
    elif config.base_url_at:
        what, fix = "base_url", 'set base_url = "https://…/"'
    else:
        what, fix = "base_url", ('add base_url = "https://…/" to site.toml' if toml else
                                 'create site.toml in the site\'s folder with base_url = "https://…/"')
    return [Problem("site.toml" if toml else ".", line, col,
                    f"{what} has no host: feed.xml and sitemap.xml use path-absolute URLs and annotations.jsonld "
                    f"tag: identifiers, which feed readers and annotation tools cannot fetch; {fix}", "warning")]


def _fingerprint(site: Path, base_url: str | None) -> str | None:
    """`fingerprint`, or None when an input cannot be read (loading the site says which) or nests too deep."""
    try:
        return fingerprint(site, base_url)
    except (OSError, RecursionError):
        return None


def fingerprint(site: Path, base_url: str | None) -> str:
    """A digest of every input of a build, by content: the site's files, the built-in templates and
    assets, the options and the environment that changes output (a changed file changes its digest)."""
    from .render import ASSETS, builtin_templates

    parts = [repr(base_url).encode(), os.environ.get("SOURCE_DATE_EPOCH", "-").encode()]
    for name in ("content", "annotations", "templates", "static"):  # one linked out of the site is never walked
        parts.append(tree_digest(site / name, site).encode() if folder(site, name, Problems()) else b"refused")
    for built_in in (builtin_templates(), ASSETS):
        parts.append(tree_digest(built_in).encode())
    config = site / "site.toml"
    parts.append(config.read_bytes() if config.is_file() else b"-")
    parts.append(head(site).encode())  # a commit changes provenance, not files
    return digest(*parts)
