"""serve's engine: the site in memory, kept up to date one change at a time, with the build's own pieces.

It keeps each article loaded on its own (with its own problems), the last good linked model, and
the last page plan (which articles each page depends on). A change to an article or annotation
file re-loads that article only and re-renders only the pages whose dependencies, in the old plan
or the new one, include a changed article, plus the site-wide pages. A template or site.toml
change re-renders everything; a static file is only copied.

A rebuild runs in two steps. First the edited article's own page (and its annotations.jsonld) is
rendered from `linking.relink` and a small sub-site (the articles that page depends on), written,
and the browser told: this is what a writer looks at, ready in tens of milliseconds whatever the
size of the site. Then every other page that depends on the change is re-rendered, the site-wide
lists last. That second step stops between two pages when a new save arrives; what it had left is
carried into the next rebuild.
"""
from __future__ import annotations

import gc
import os
import stat
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..build import host_warning, static_problems
from ..errors import Problem, ProblemError, Problems
from ..linking import link, related, relink
from ..model import Article, Site
from ..output import remove_file
from ..read.config import load_config, repo_url_warning
from ..read.content import KINDS
from ..read.load import ANNOTATION_SUFFIXES, discover_site, no_site_here
from ..render import ALL, environment, only_in_templates, own_template_errors, plan, render_despite, template_problems
from ..render.plan import in_sitemap
from ..rootlinks import dead_link_problems, passage_ids, rooted_link_problems
from .folder import ServeFolder
from .gitview import GitView
from .rebuild import Rebuild
from .watch import GIT_MARK

SITEMAP = "sitemap.xml"
FIRST_STEP_MAX_ARTICLES = 4  # more articles changed at once (a checkout, a search-and-replace): one step


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


class Preview:
    """The model in memory, the page plan, and the output folder it keeps up to date."""

    def __init__(self, site: Path, out: Path, log=None, notify=None, viewed=None):
        self.site = Path(site).resolve()
        self.out = Path(out)
        self.log = log or (lambda message, err=False: print(message, file=sys.stderr if err else sys.stdout, flush=True))
        self.notify = notify or (lambda paths: None)  # paths: set of output paths changed, or None for all
        self.viewed = viewed or set  # () -> the output paths open in a browser tab: rendered and reloaded first
        # sources
        self.config = None
        self.config_problems: list[Problem] = []
        self.found_problems: list[Problem] = []  # discovery's
        self.template_problems: list[Problem] = []  # templates that do not compile
        self.rendered: list[Problem] = []  # what the templates did wrong as the last pages rendered (or the last look
        # for it, _template_errors): said again at once beside a new mistake, until a look shows it gone
        self.contents: dict[str, Path] = {}
        self.layers: dict[str, Path] = {}
        self.loaded: dict[str, tuple[Article | None, list[Problem]]] = {}
        self.model: Site | None = None  # the last good linked site (None: link again, the config or history changed)
        self.served: Site | None = None  # the model the pages served were last made from
        self.git = GitView(self.site)  # drift and provenance from git
        self.changed: set[str] = set()  # slugs loaded again since `model` was linked
        self.structural = True  # articles came or went, or the config changed, since `model`
        # pages
        self._env = None
        self.deps: dict[str, frozenset] = {}  # output path -> articles it depends on, from the last plan
        self.pending: set[str] = set()  # slugs whose pages need rendering at the next plan
        self.everything = True  # re-render every page at the next plan
        self.dirty: set[str] = set()  # pages still to render (left by an interrupted rebuild)
        self.serve_folder = ServeFolder(self.site, self.out)  # what is written there, by digest
        # what the server shows
        self.problems: list[Problem] = []  # errors; empty when the site is good
        self.warnings: list[Problem] = []  # the last good rebuild's warnings, as check says them
        self.has_site = False  # a complete good site has been written
        self.busy = False
        self.generation = 0
        self.history: list[Rebuild] = []
        self._redo = False  # a rebuild failed to write: the next one builds everything
        self._warned: set[Problem] = set()
        self._site_said: list[Problem] = []  # those of them `_site_warnings` found
        self._links: dict[str, list[Problem]] = {}  # slug -> the warnings of its links, as `_site_warnings` last found
        self._links_of: tuple = (set(), "", {})  # ... for these pages and static files, base_url and passage ids
        self.failing: set[str] = set()  # the pages whose render failed at the last look for template errors
        self._folder = _identity(self.site)  # the site folder's device and inode: a new one is built anew

    @property
    def state(self) -> str:
        if self.problems:
            return "broken"
        return "ok" if self.has_site else "building"

    def update(self, paths: set[Path] | None, interrupted=lambda: False) -> Rebuild | None:
        """Bring the output up to date after `paths` changed (None: build everything)."""
        self.busy = True
        started = time.perf_counter()
        paths, self._redo = (None if self._redo else paths), False
        try:
            return self._update(paths, interrupted)
        except OSError as exc:  # the preview cannot be written (a full disk): said in the page and the terminal
            if _identity(self.site) != self._folder:  # the site folder went meanwhile, its serve folder with it
                return self._gone(started)
            self._redo = True  # the next save builds everything again
            where = self.out.relative_to(self.site).as_posix() if self.out.is_relative_to(self.site) else str(self.out)
            problem = Problem(where, 1, 1, f"cannot write the preview here: {exc.strerror or exc} (free some space, "
                                           "then save any file)")
            return self._broken(Rebuild([], "broken"), started, [problem])
        finally:
            self.busy = False

    def _gone(self, started: float) -> Rebuild:
        self._folder = None  # whatever folder comes back is built anew
        self.has_site = self.has_site and self.out.is_dir()  # (the serve folder, in the site's cache folder, went with
        # it: pages were a bare 404 while the terminal said "the last good site is still served")
        return self._broken(Rebuild([], "broken"), started, [Problem(str(self.site), 1, 1, "the site folder is gone: "
                            "serve waits for it, and builds it again when it is back")])

    # ------------------------------------------------------------------ sources

    def _environment(self):
        if self._env is None:
            self._env = environment(self.site)
        return self._env

    def _discover(self) -> set[str]:
        """Look at the folders again; the slugs whose files came, went or moved."""
        found = Problems()
        no_site_here(self.site, found)  # (until site.toml or content/ is made there)
        old_contents, old_layers = self.contents, self.layers
        self.contents, self.layers = discover_site(self.site, found)
        self.found_problems = found.items
        if set(old_contents) != set(self.contents):
            self.structural = True
        self.loaded = {s: self.loaded.get(s, (None, [])) for s in self.contents}
        return {s for s in set(old_contents) | set(self.contents) if old_contents.get(s) != self.contents.get(s)} | {
            s for s in set(old_layers) | set(self.layers) if old_layers.get(s) != self.layers.get(s)}

    def _load(self, slug: str) -> None:
        problems = Problems()
        try:
            article = self.git.load_article(self.site, slug, self.contents[slug], self.layers.get(slug), self.config, problems)
        except OSError as exc:  # the file went away between the event and the read
            path = self.contents[slug].relative_to(self.site).as_posix()
            problems.error(path, 1, 1, f"cannot read the file: {exc.strerror or exc}")
            article = None
        self.loaded[slug] = (article, problems.items)
        self.changed.add(slug)

    def _load_everything(self) -> None:
        found = Problems()
        self.config = load_config(self.site, found)
        self.config_problems = found.items
        self.loaded = {}
        self._discover()
        for slug in self.contents:
            self._load(slug)
        self.model, self.structural = None, True

    def _classify(self, paths: set[Path]) -> tuple[set[str], set[str], list[str]]:
        kinds, slugs, trigger = set(), set(), []
        for path in sorted(paths):
            try:
                rel = path.relative_to(self.site)
            except ValueError:
                continue
            parts = rel.parts
            if not parts:
                continue
            if rel.as_posix() == "site.toml":
                kinds.add("config")
            elif rel.as_posix() == GIT_MARK:
                kinds.add("git")  # HEAD or a ref moved: a commit, a checkout, a reset
            elif parts[0] in ("templates", "static"):
                kinds.add(parts[0])
            elif parts[0] in ("content", "annotations"):
                if len(parts) == 1:
                    kinds.add("structure")  # the folder itself came or went: each article read again (a folder put
                    slugs.update(self.contents)  # in its place holds files of the same names, their paths unchanged)
                elif len(parts) == 2:
                    suffixes, known = (KINDS, self.contents) if parts[0] == "content" else (ANNOTATION_SUFFIXES, self.layers)
                    if parts[1].startswith("."):
                        continue  # an editor's temporary file, ignored by a build too
                    if path.suffix not in suffixes or path.is_dir():
                        # a folder (an error) or a stray file (a warning) that came, or one said that went; not
                        # a temporary file already renamed over an article (gone by now, never said)
                        if path.exists() or path.is_symlink() or rel.as_posix() in {p.file for p in self.found_problems}:
                            kinds.add("structure")
                            trigger.append(rel.as_posix())
                        continue
                    if known.get(path.stem) == path and path.is_file():
                        slugs.add(path.stem)
                    else:
                        kinds.add("structure")
                else:
                    continue
            else:
                continue
            trigger.append(rel.as_posix())
        return kinds, slugs, trigger

    def _errors(self, extra=()) -> list[Problem]:
        everything = Problems(self.config_problems + self.found_problems + self.template_problems
                              + [p for _, probs in self.loaded.values() for p in probs] + list(extra))
        return everything.sorted()

    def _articles(self) -> list[Article]:
        return [a for a, _ in self.loaded.values() if a is not None]

    # ------------------------------------------------------------------ rebuilding

    def _update(self, paths, interrupted) -> Rebuild | None:
        started = time.perf_counter()
        folder = _identity(self.site)
        if folder is None:  # removed, or renamed away (a fresh clone in its place, say): nothing to read
            return self._gone(started)
        if folder != self._folder:  # a new folder in its place: everything built and written anew (the serve
            self._folder, paths = folder, None  # folder, in the site's cache folder, went with the old one)
            self.serve_folder.forget()
            self.out.mkdir(parents=True, exist_ok=True)
        if paths is None:
            kinds, slugs, trigger, kind = {"config", "static"}, set(), [], "initial"
        else:
            kinds, slugs, trigger = self._classify(paths)
            if not kinds and not slugs:
                return None
            kind = next((k for k in ("config", "templates", "structure") if k in kinds), "articles" if slugs else
                        "static" if kinds - {"git"} else "git")
        committed = self.git.refresh()
        if kinds == {"git"} and not slugs and not committed and paths is not None:
            return None  # a ref moved that is not the one checked out (a fetch, a branch made): nothing changes
        rebuild = Rebuild(trigger, kind)
        if committed and self.model is not None and "config" not in kinds:
            # after a commit, a checkout or a reset: every page (the history of each note), and the articles
            # whose files the commits changed read again (drift is measured from the commit each annotation
            # was last changed in); all of them when git cannot say which
            moved = self.git.moved_files()
            for slug in self.contents:
                files = {self.contents[slug]} | ({self.layers[slug]} if slug in self.layers else set())
                if moved is None or any(f.relative_to(self.site).as_posix() in moved for f in files):
                    self._load(slug)
            self.model, self.structural = None, True
        self.everything |= committed
        if "structure" in kinds and not committed:  # (a file renamed and not committed keeps its history: its drift is seen)
            self.git.renames()

        statics, came = [], False
        if kinds & {"static", "config"}:
            listed, had = self._static_pages(), set(self.serve_folder.static_digests)
            statics, again = self.serve_folder.copy_statics(self.site, self.deps)
            came = had != set(self.serve_folder.static_digests)  # a static file came or went
            self.dirty |= again
            if self._static_pages() != listed:
                self.dirty.add(SITEMAP)  # it lists static/'s pages too
        if "config" in kinds:
            self._load_everything()
        if kinds & {"config", "templates"}:  # every template must compile, used or not, as in a build
            self._env, self.everything, self.template_problems = None, True, template_problems(self.site)
        if kinds & {"structure", "templates", "static"}:  # (links in templates/ and static/ are checked with the folders)
            said = self.found_problems
            slugs |= self._discover()
            if kinds == {"structure"} and not slugs and not self.structural and self.found_problems == said:
                return None  # a file no build reads came or went (an editor's autosave, #a1.txt#): nothing changed
        for slug in sorted(slugs & set(self.contents)):
            self._load(slug)
        first = None
        if kinds <= {"static", "git"} and not committed and not slugs and not self.problems and not any(p.severity == "error" for p in self.found_problems):
            # (else: a link's error said, or the site mended)
            if not self.dirty:
                return self._static_only(rebuild, statics, started, came)
            first = self.model  # the pages a static file came or went for (the sitemap): from the last model
        if (first is None and self.model is not None and not self.structural and not self.everything and self.has_site
                and 0 < len(self.changed) <= FIRST_STEP_MAX_ARTICLES
                and not any(p.severity == "error" for p in self._errors())):
            first = self._first_step(rebuild, started)
        result = self._second_step(rebuild, started, first, interrupted)
        if statics:
            self.notify(None)
        return result

    def _static_pages(self) -> set[str]:
        return {path for path in self.serve_folder.static_digests if in_sitemap(path)}

    def _static_only(self, rebuild: Rebuild, statics: list[str], started: float, came: bool) -> Rebuild:
        rebuild.written = statics
        rebuild.ms = (time.perf_counter() - started) * 1000
        copied = sum(1 for p in statics if p in self.serve_folder.static_digests)  # the others were deleted (copy_statics)
        said = [f"copied {copied} static file(s)"] if copied else []
        if len(statics) > copied:
            said.append(f"removed {len(statics) - copied}")
        self._finish(rebuild, ", ".join(said) or "no static file changed")
        if statics:
            self.notify(set(statics) if all(p.endswith(".css") for p in statics) else None)
        if came and self.served is not None:  # what a link in a note leads to came or went: its warnings, again
            try:
                jobs = plan(self.served, "/", self._environment(), self.serve_folder.static_digests)
            except ProblemError:
                return rebuild
            if self._warn([*(set(self._warned) - set(self._site_said)), *self._site_warnings(self.served, jobs)]):
                self.notify(None)
        return rebuild

    def _first_step(self, rebuild: Rebuild, started: float) -> Site | None:
        """The edited articles' own pages, before anything else; the re-linked site, or None."""
        changed = {slug: self.loaded[slug][0] for slug in self.changed}
        linked = relink(self.model, changed, Problems())
        if linked is None:
            return None
        site, flagged = self.git.attach(linked[0], self.model, set(changed)), linked[1]  # with provenance
        keep = set().union(*(related(site, only=changed)[slug] for slug in changed))
        for slug in changed:  # the neighbours in reading order (newer, older)
            i = site.order.index(slug)
            keep.update(site.order[max(i - 1, 0) : i + 2])
        sub = replace(site, articles=tuple(a for a in site.articles if a.slug in keep))
        wanted = {f"articles/{slug}/{name}" for slug in changed for name in ("index.html", "annotations.jsonld")}
        try:
            pages = {job.path: job.make() for job in plan(sub, "/", self._environment()) if job.path in wanted}
        except ProblemError:  # a template error: the second step reports it
            return None
        was_broken = bool(self.problems)
        self.problems = []  # before the pages: a page with the fix never carries the old panel
        written = {path for path, data in pages.items() if self.serve_folder.write_page(path, data)}
        self.pending |= set(changed) | flagged
        rebuild.first, rebuild.rendered = sorted(pages), sorted(pages)
        rebuild.written = sorted(written)
        rebuild.first_ms = (time.perf_counter() - started) * 1000
        self.notify(None if was_broken else written)
        return site

    def _link(self) -> tuple[Site, bool, list[Problem]]:
        """A full link of what is loaded: the model, whether it is good (no errors), and every problem."""
        linked = Problems()
        unread = {slug for slug, (article, _) in self.loaded.items() if article is None}
        site = self.git.attach(link(str(self.site), self.config, self._articles(), linked, unread))
        problems = self._errors(linked.items)
        return site, not any(p.severity == "error" for p in problems), problems

    def _template_errors(self, site: Site, problems: list[Problem], interrupted) -> list[Problem] | None:
        """What the templates do wrong only when a page renders (a misspelt field), found as check finds it in a
        site with other errors, by rendering the pages of what loaded (`site`), writing nothing: said beside the
        annotations' mistakes, not hidden by them until they are fixed. None when a new save waiting stopped it
        (the next rebuild looks again)."""
        errors = [p for p in problems if p.severity == "error"]
        if not only_in_templates(errors) and not render_despite(self.site, self.config):
            return []
        said, found = {(p.file, p.line, p.message.removeprefix("template error: ")) for p in problems}, {}
        try:
            jobs = plan(site, "/", self._environment(), self.serve_folder.static_digests)
        except ProblemError as exc:
            jobs, found = [], dict.fromkeys(exc.problems)
        if self.model is not None and not self.everything and self.has_site:
            # only the pages this save (and those since the last good one) can have changed, those left to
            # render and those that failed at the last look: every other page rendered without an error from
            # what it shows now (500 articles: a few pages, not 1,500, at each save while an annotation is broken)
            deps = {job.path: job.deps for job in jobs}
            wanted = self._touched(deps, self._changed(site)) | self.dirty | self.failing
            jobs = [job for job in jobs if job.path in wanted]
        failing = set()
        for job in jobs:
            if interrupted():
                return None
            try:
                job.make()
            except ProblemError as exc:
                found.update(dict.fromkeys(exc.problems))
                failing.add(job.path)
        self.failing = failing
        found = [p for p in found if (p.file, p.line, p.message.removeprefix("template error: ")) not in said]
        return found if only_in_templates(errors) else own_template_errors(found)

    def _broken(self, rebuild: Rebuild, started: float, problems: list[Problem]) -> Rebuild:
        """Report every problem; keep the last good site (and the model it came from)."""
        errors = [p for p in problems if p.severity == "error"]
        for p in problems:  # in the terminal before the page shows them
            self.log(p.text(), err=True)
        changed, self.problems = errors != self.problems, errors
        rebuild.ok, rebuild.kind = False, "broken"
        rebuild.problems = [p.text() for p in errors]
        rebuild.ms = (time.perf_counter() - started) * 1000
        what = "the last good site is still served" if self.has_site else "nothing to serve until they are fixed"
        self._finish(rebuild, f"{len(errors)} error(s): {what}; the next good save recovers", err=True)
        if changed:
            self.notify(None)
        return rebuild

    def _said_again(self, rebuild: Rebuild, errors: list[Problem]) -> None:
        """The errors of a broken rebuild as a closer look found them, after it was said: in the terminal (those
        not said yet) and on the page, when they differ."""
        if errors == self.problems:
            return
        for p in errors:
            if p not in self.problems:
                self.log(p.text(), err=True)
        self.problems = errors
        rebuild.problems = [p.text() for p in errors]
        self.notify(None)

    def _second_step(self, rebuild: Rebuild, started: float, first: Site | None, interrupted) -> Rebuild:
        if first is not None:
            model, problems = first, self._errors()
        else:
            model, good, problems = self._link()
            if not good:  # said at once, with what the templates did wrong as pages last rendered; then looked at again
                rebuild = self._broken(rebuild, started, Problems(problems + self.rendered).sorted())
                found = self._template_errors(model, problems, interrupted)
                if found is not None:
                    self.rendered = found
                    self._said_again(rebuild, [p for p in Problems(problems + found).sorted() if p.severity == "error"])
                self._finish_last_good(interrupted)
                return rebuild
            if self.model is not None and not self.everything:  # what changed, to re-render
                self.pending = self._changed(model)
        self.model, self.served, self.changed, self.structural = model, model, set(), False
        if interrupted():  # another save is waiting: it is handled next, with what is left of this one
            rebuild.interrupted = True
            rebuild.ms = (time.perf_counter() - started) * 1000
            self._finish(rebuild, f"{rebuild.trigger_text()}: {len(rebuild.first)} page(s) updated; "
                                  "the rest is left for the next rebuild")
            return rebuild
        was_broken = bool(self.problems)
        self.problems = []
        try:
            jobs = plan(model, "/", self._environment(), self.serve_folder.static_digests)
        except ProblemError as exc:
            return self._broken(rebuild, started, [exc.problem])
        said = self._warn(problems + self._site_warnings(model, jobs, None if self.everything else self.pending))
        deps = {job.path: job.deps for job in jobs}
        if rebuild.kind in ("initial", "config"):
            self._settle_memory()
        if self.everything:
            self.dirty = set(deps)
        else:
            self.dirty |= self._touched(deps, self.pending)
        removed = sorted(set(self.deps) - set(deps))
        for path in removed:
            if path not in self.serve_folder.static_digests:
                remove_file(self.out, path)
            self.serve_folder.digests.pop(path, None)
        self.deps, self.pending, self.everything = deps, set(), False
        self.dirty = (self.dirty & set(deps)) - set(rebuild.first)
        rebuild.removed = removed
        # (warnings that came or went: every open page reloads, its panel with them)
        return self._render(rebuild, started, {job.path: job for job in jobs}, interrupted, was_broken or said)

    def _changed(self, model: Site) -> set[str]:
        """The articles whose pages may differ between the last good model and `model`: those loaded again,
        those still to render, and those whose flags changed (a relation to them came or went)."""
        old = self.model.flags_of
        flagged = {k[0] for k in set(old) | set(model.flags_of) if old.get(k) != model.flags_of.get(k)}
        return self.pending | self.changed | flagged

    def _touched(self, deps: dict[str, frozenset], changed: set[str]) -> set[str]:
        """The pages of a new plan (`deps`: path -> the articles it shows) that `changed` articles can have
        changed, by the new plan's dependencies or the last one's, and the pages new to it."""
        touched = {path for path, d in deps.items()
                   if d & changed or (changed and ALL in d) or self.deps.get(path, d) != d}
        touched |= {path for path, d in self.deps.items() if d & changed}
        return touched | (set(deps) - set(self.deps))

    def _finish_last_good(self, interrupted) -> None:
        """The pages a rebuild cut short by a save left to do, made from the last good model when that save
        broke the site: the site served under the errors is then one version of it, not two (a site.toml
        edit, then a typo in it saved within a second, showed half the pages with the old title)."""
        if not self.dirty or self.served is None:
            return
        try:
            jobs = {job.path: job for job in plan(self.served, "/", self._environment(), self.serve_folder.static_digests)}
        except ProblemError:
            return  # (a template that no longer compiles: its error is said; the pages wait for the fix)
        written = set()
        for path in sorted(self.dirty & set(jobs)):
            if interrupted():
                break
            try:
                data = jobs[path].make()
            except ProblemError:
                break
            if self.serve_folder.write_page(path, data):
                written.add(path)
            self.dirty.discard(path)
        if written:
            self.notify(written)

    def _render(self, rebuild: Rebuild, started: float, jobs: dict, interrupted, was_broken: bool) -> Rebuild:
        """Render the dirty pages, the edited articles' first, site-wide lists last."""

        viewed = self.viewed() & self.dirty  # (a config edit re-renders every page: the open ones are not left last)

        def priority(path):
            if path in viewed:
                return (-1, 0, path)
            return (0, 0, path) if path.startswith("articles/") else (1, 0 if ALL in self.deps[path] else len(self.deps[path]), path)

        written, timings, shown, failed = set(rebuild.written), [], set(), {}
        early = bool(viewed) and not was_broken and self.has_site  # the open pages reload once made, not after the rest
        for path in sorted(self.dirty, key=priority):
            if interrupted():
                rebuild.interrupted = True
                break
            if early and path not in viewed:
                early, shown = False, written & viewed
                if shown:
                    self.notify(shown)
            began = time.perf_counter()
            try:
                data = jobs[path].make()
            except ProblemError as exc:  # the page keeps its last good version; the other pages go on, so
                failed.update(dict.fromkeys(exc.problems))  # every template error is said at once (as build does)
                continue
            timings.append((path, round((time.perf_counter() - began) * 1000, 1)))
            if self.serve_folder.write_page(path, data):
                written.add(path)
            self.dirty.discard(path)
            rebuild.rendered.append(path)
        rebuild.written = sorted(written)
        if failed or not self.dirty:
            self.rendered = list(failed)
        if failed:
            if written:
                self.notify(written - set(rebuild.first))
            return self._broken(rebuild, started, sorted(failed, key=lambda p: (p.file, p.line, p.col)))
        rebuild.slowest = sorted(timings, key=lambda t: -t[1])[:5]
        rebuild.ms = (time.perf_counter() - started) * 1000
        if not self.dirty:
            was_broken = was_broken or not self.has_site
            self.has_site = True
        self._finish(rebuild, rebuild.summary(len(self.dirty)))
        if was_broken:
            self.notify(None)
        elif written or rebuild.removed:
            self.notify((written | set(rebuild.removed)) - set(rebuild.first) - shown)
        return rebuild

    @staticmethod
    def _settle_memory() -> None:
        """After loading everything: move the model out of the garbage collector's sight (a full
        collection walks every object: 0.3 s with 4,000 articles, maybe in a rebuild's first step).
        Frozen objects are still freed by reference counting; unfreeze first so an old model can go."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _site_warnings(self, model: Site, jobs, changed: set[str] | None = None) -> list[Problem]:
        """What check warns of once it knows the pages made and static/'s files, said by serve too: links in
        notes and Markdown that lead nowhere or out of base_url's path, static files in a page's place, and
        base_url without a host (serve itself serves at /, but the published feeds need one). An article's
        links are looked at again only where it is in `changed` (slugs; None: all), or where the pages,
        static/'s files, base_url or passage ids changed: 4,000 articles whose notes link cost half a second a save."""
        static = self.serve_folder.static_digests
        written = {job.path for job in jobs} | set(static)
        ids = passage_ids(model.articles)  # (a passage id renamed changes the warnings of the links to it)
        if changed is None or (written, self.config.base_url, ids) != self._links_of:
            self._links, self._links_of, changed = {}, (written, self.config.base_url, ids), None
        again = [a for a in model.articles if changed is None or a.slug in changed or a.slug not in self._links]
        found: dict[str, list[Problem]] = {}  # file -> its warnings (each file is one article's)
        # (once for them all: each call reads every page)
        for p in (rooted_link_problems(self.site, again, self.config.base_url, set(static))
                  + dead_link_problems(self.site, again, written, ids)):
            found.setdefault(p.file, []).append(p)
        for article in again:
            self._links[article.slug] = found.get(article.path, []) + found.get(article.annotation_path or "", [])
        for slug in set(self._links) - {a.slug for a in model.articles}:
            del self._links[slug]
        self._site_said = (host_warning(self.site, self.config) + repo_url_warning(self.config, self.git.prefix)
                           + static_problems(static, jobs)
                           + [p for found in self._links.values() for p in found])
        return self._site_said

    def _warn(self, problems: list[Problem]) -> bool:
        """Say the warnings not said yet in the terminal, keep them all for the pages' panel; whether they changed."""
        warnings = {p for p in problems if p.severity != "error"}
        for p in sorted(warnings - self._warned, key=lambda p: (p.file, p.line, p.col)):
            self.log(p.text(), err=True)
        changed, self._warned = warnings != self._warned, warnings
        self.warnings = Problems(list(warnings)).sorted()
        return changed

    def _finish(self, rebuild: Rebuild, line: str, err: bool = False) -> None:
        self.history.append(rebuild)
        del self.history[:-50]
        self.generation += 1
        self.log(line, err=err)
