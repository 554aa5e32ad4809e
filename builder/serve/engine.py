"""`glossator serve`: build, serve, watch, rebuild what changed, reload the open pages.

Three parts:

- `Preview`, the engine. It keeps the model in memory (each article loaded on its own, with its own
  problems) and the last page plan (which articles each page depends on). A change to an article or
  annotation file re-loads that article only and re-renders only the pages whose dependencies, in
  the old plan or the new one, include a changed article, plus the site-wide pages (deps "*"). A
  template or site.toml change re-renders everything; a static file is only copied.

  A rebuild runs in two steps. First the edited article's own page (and its annotations.jsonld) is
  rendered from an incremental re-link and a small sub-site (just the articles that page depends
  on), written, and the browser told: this is what a writer looks at, and it is ready in tens of
  milliseconds whatever the size of the site. Then the model is re-linked in full with graph.link
  (which also checks the incremental link), re-planned, and every other page that depends on the
  change is re-rendered, the site-wide lists (flag and tag pages) last. That second step stops
  between two pages when a new save arrives; what it had left is carried into the next rebuild.

- `PreviewServer`: a tornado application that serves the engine's output folder (a temporary
  folder it owns, never the user's `_site`), with livereload's websocket handler and script. Pages
  are served by our own handler, which adds `<script src="/livereload.js">` (an external script: the
  pages' CSP forbids inline script, so livereload's own inline snippet would be blocked) and, while
  the site is broken, a panel listing the located errors over the last good page.

- `SiteWatcher` (builder/watch.py): watchfiles events (inotify, not polling); a rebuild starts once
  no change has come for 50 ms (saves in quick succession make one rebuild).
  Reloads go through livereload's `LiveReloadHandler`, bypassing its 3-second throttle.
"""
from __future__ import annotations

import gc
import hashlib
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..errors import Problem, ProblemError, Problems, did_you_mean
from ..linking import IMPLIED, link, ordered, reading_key, resolve
from ..model import Article, Relation, Site
from ..output import safe_relative, static_files
from ..read.config import load_config
from ..read.content import KINDS, discover
from ..read.load import ANNOTATION_SUFFIXES, load_article
from ..render import ASSETS, environment, plan

ALL = "*"
FIRST_STEP_MAX_ARTICLES = 4  # more articles changed at once (a checkout, a search-and-replace): one step


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def write_atomic(path: Path, data: bytes) -> None:
    """Write a temporary file beside `path`, then rename it over: a reader sees old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _references(article: Article) -> set[str]:
    """The slugs an article's references name (resolved or not)."""
    slugs = {ref.slug for ann in article.annotations for _, ref in ann.relations if not ref.url and ref.slug}
    notice = article.meta.retracted.notice if article.meta.retracted else None
    if notice is not None and not notice.url and notice.slug:
        slugs.add(notice.slug)
    return slugs


def _keys(article: Article) -> set:
    return {(article.slug, None)} | {(article.slug, a.id) for a in article.annotations}


def _local_relations(article: Article, ids: dict, problems: Problems) -> list[Relation]:
    """graph.link's part for one article: its references resolved, its relations in file order."""
    notice = article.meta.retracted.notice if article.meta.retracted else None
    if notice:
        resolve(notice, ids, problems)
    relations, seen = [], set()
    for ann in article.annotations:
        for kind, ref in ann.relations:
            if ref.url or not resolve(ref, ids, problems):
                continue
            source, target = (article.slug, ann.id), (ref.slug, ref.id)
            if source == target:
                problems.error(ref.loc.file, ref.loc.line, ref.loc.col, f'an annotation cannot {kind.rstrip("s")} itself')
                continue
            relation = Relation(kind, source, target)
            if relation not in seen:
                seen.add(relation)
                relations.append(relation)
    return relations


@dataclass
class Rebuild:
    """What one rebuild did: the terminal line, the status endpoint and the tests read it."""

    trigger: list[str]  # changed source files, relative to the site ([] for the first build)
    kind: str  # initial | articles | structure | templates | config | static | broken
    ok: bool = True
    rendered: list[str] = field(default_factory=list)  # pages rendered, in order
    written: list[str] = field(default_factory=list)  # pages whose bytes changed
    removed: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)  # pages rendered and served in the first step
    first_ms: float | None = None
    ms: float = 0.0
    interrupted: bool = False
    problems: list[str] = field(default_factory=list)
    slowest: list[tuple[str, float]] = field(default_factory=list)  # the five slowest pages, ms

    def as_dict(self) -> dict:
        return asdict(self)


class Preview:
    """The model in memory, the page plan, and the output folder it keeps up to date."""

    def __init__(self, site: Path, out: Path, log=None, notify=None):
        self.site = Path(site).resolve()
        self.out = Path(out)
        self.log = log or (lambda message, err=False: print(message, file=sys.stderr if err else sys.stdout, flush=True))
        self.notify = notify or (lambda paths: None)  # paths: set of output paths changed, or None for all
        # sources
        self.config = None
        self.site_problems: list[Problem] = []
        self.contents: dict[str, Path] = {}
        self.layers: dict[str, Path] = {}
        self.loaded: dict[str, tuple[Article | None, list[Problem]]] = {}
        # the last good linked model, and indexes for re-linking one article
        self.model: Site | None = None
        self.unlinked: dict[str, Article] = {}
        self.position: dict[str, int] = {}
        self.ids: dict[str, set] = {}
        self.rels: dict[str, list[Relation]] = {}
        self.refs_to: dict[str, set] = {}
        self._order: list[str] = []  # slugs in render.SiteView's order (newest first), for neighbours
        self._place: dict[str, int] = {}
        self.since_link: set[str] = set()  # slugs loaded again since `model` was linked
        self.structural = False  # articles came or went since `model`
        # pages
        self._env = None
        self.deps: dict[str, frozenset] = {}  # output path -> articles it depends on, from the last plan
        self.pending: set[str] = set()  # slugs changed since the last plan
        self.everything = True  # re-render every page at the next plan
        self.dirty: set[str] = set()  # pages still to render (left by an interrupted rebuild)
        self.digests: dict[str, bytes] = {}
        self.static_digests: dict[str, bytes] = {}
        # what the server shows
        self.problems: list[Problem] = []  # errors; empty when the site is good
        self.has_site = False  # a complete good site has been written
        self.busy = False
        self.generation = 0
        self.history: list[Rebuild] = []
        self._warned: set[Problem] = set()

    # ------------------------------------------------------------------ public

    @property
    def state(self) -> str:
        if self.problems:
            return "broken"
        return "ok" if self.has_site else "building"

    def update(self, paths: set[Path] | None, interrupted=lambda: False) -> Rebuild | None:
        """Bring the output up to date after `paths` changed (None: build everything)."""
        self.busy = True
        try:
            return self._update(paths, interrupted)
        finally:
            self.busy = False

    # ------------------------------------------------------------------ loading

    def _environment(self):
        if self._env is None:
            self._env = environment(self.site)
        return self._env

    def _discover(self) -> Problems:
        found = Problems()
        self.contents = discover(self.site, "content", KINDS, found)
        self.layers = discover(self.site, "annotations", ANNOTATION_SUFFIXES, found)
        for slug, path in self.layers.items():
            if slug not in self.contents:
                rel = path.relative_to(self.site).as_posix()
                found.error(rel, 1, 1, f'no article "{slug}" in content/ for this annotation file{did_you_mean(slug, self.contents)}')
        return found

    def _load(self, slug: str) -> None:
        problems = Problems()
        try:
            article = load_article(self.site, slug, self.contents[slug], self.layers.get(slug), self.config, problems)
        except OSError as exc:  # the file went away between the event and the read
            path = self.contents[slug].relative_to(self.site).as_posix()
            problems.error(path, 1, 1, f"cannot read the file: {exc.strerror or exc}")
            article = None
        self.loaded[slug] = (article, problems.items)

    def _load_everything(self) -> None:
        found = Problems()
        self.config = load_config(self.site, found)
        found.extend(self._discover())
        self.site_problems = found.items
        self.loaded = {}
        for slug in self.contents:
            self._load(slug)
        self.model, self.since_link, self.structural = None, set(), True

    def _rediscover(self) -> set[str]:
        """Look at the folders again; the slugs whose files came, went or moved."""
        old_contents, old_layers = self.contents, self.layers
        config_problems = [p for p in self.site_problems if p.file == "site.toml"]
        self.site_problems = config_problems + self._discover().items
        moved = {s for s in set(old_contents) | set(self.contents) if old_contents.get(s) != self.contents.get(s)}
        moved |= {s for s in set(old_layers) | set(self.layers) if old_layers.get(s) != self.layers.get(s)}
        if set(old_contents) != set(self.contents):
            self.structural = True
        self.loaded = {s: self.loaded.get(s, (None, [])) for s in self.contents}
        return moved

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
            elif parts[0] == "templates":
                kinds.add("templates")
            elif parts[0] == "static":
                kinds.add("static")
            elif parts[0] in ("content", "annotations"):
                if len(parts) == 1:
                    kinds.add("structure")  # the folder itself came or went
                elif len(parts) == 2:
                    suffixes, known = (KINDS, self.contents) if parts[0] == "content" else (ANNOTATION_SUFFIXES, self.layers)
                    if parts[1].startswith(".") or path.suffix not in suffixes:
                        continue  # an editor's temporary file, or a file a build ignores too
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
        everything = Problems(list(self.site_problems) + [p for _, probs in self.loaded.values() for p in probs] + list(extra))
        return everything.sorted()

    # ------------------------------------------------------------------ linking

    def _index(self, site: Site, articles: list[Article]) -> None:
        """Indexes for re-linking one article, from a full link."""
        self.model = site
        self.unlinked = {a.slug: a for a in articles}
        self.position = {a.slug: i for i, a in enumerate(articles)}
        self.ids = {a.slug: {n.id for n in a.annotations} for a in articles}
        rels: dict[str, list[Relation]] = {}
        for r in site.relations:
            rels.setdefault(r.source[0], []).append(r)
        self.rels = rels
        refs_to: dict[str, set] = {}
        for a in articles:
            for slug in _references(a):
                refs_to.setdefault(slug, set()).add(a.slug)
        self.refs_to = refs_to
        self._order, self._place = [], {}  # the index order, worked out when first needed
        self.since_link, self.structural = set(), False

    def _relink(self, changed: set[str]):
        """graph.link for a few changed articles, reusing the last link for the others.

        Returns (site, problems, indexes, slugs whose flags changed); site is None when a
        reference does not resolve (the full link then reports every problem)."""
        base, cfg = self.model, self.config
        new = {slug: self.loaded[slug][0] for slug in changed}
        old = {slug: self.unlinked[slug] for slug in changed}
        ids = dict(self.ids)
        refs_to = dict(self.refs_to)
        for slug in changed:
            ids[slug] = {a.id for a in new[slug].annotations}
            for target in _references(old[slug]):
                refs_to[target] = refs_to.get(target, set()) - {slug}
            for target in _references(new[slug]):
                refs_to[target] = refs_to.get(target, set()) | {slug}
        current = lambda slug: new.get(slug) or self.unlinked[slug]  # noqa: E731
        again = set(changed)
        for slug in changed:
            if ids[slug] != self.ids[slug]:
                again |= refs_to.get(slug, set())  # their references into it may no longer resolve
        problems = Problems()
        fresh = {slug: _local_relations(current(slug), ids, problems) for slug in sorted(again, key=self.position.get)}
        if problems.errors:
            return None, problems, None, None
        rels = dict(self.rels)
        touched = set()
        for slug, relations in fresh.items():
            for r in self.rels.get(slug, []) + relations:
                touched.update((r.source, r.target))
            if relations:
                rels[slug] = relations
            else:
                rels.pop(slug, None)
        for slug in changed:
            touched |= _keys(old[slug]) | _keys(new[slug])
        incoming, outgoing = dict(base.incoming), dict(base.outgoing)
        for key in touched:
            pool = [r for r in base.incoming.get(key, ()) if r.source[0] not in fresh]
            pool += [r for relations in fresh.values() for r in relations if r.target == key]
            pool.sort(key=lambda r: (self.position[r.source[0]], rels[r.source[0]].index(r)))
            if pool:
                incoming[key] = tuple(pool)
            else:
                incoming.pop(key, None)
            if key[0] in fresh:
                out = tuple(r for r in fresh[key[0]] if r.source == key)
                if out:
                    outgoing[key] = out
                else:
                    outgoing.pop(key, None)
        flags_of = dict(base.flags_of)
        for key in touched:
            slug, ann_id = key
            article = current(slug) if slug in self.position else None
            if article is None or (ann_id is not None and ann_id not in ids[slug]):
                flags_of.pop(key, None)
                continue
            if ann_id is None:
                flags = set(article.meta.flags) | ({"retraction"} if article.meta.retracted else set())
            else:
                flags = set().union(*(a.flags for a in article.annotations if a.id == ann_id))
            for r in incoming.get(key, ()) + outgoing.get(key, ()):
                if r.kind in IMPLIED:
                    flags.add(IMPLIED[r.kind])
            flags_of[key] = ordered(flags, cfg)
        flagged = {key[0] for key in touched if flags_of.get(key) != base.flags_of.get(key)}
        articles = list(base.articles)
        for slug in changed:
            a = new[slug]
            articles[self.position[slug]] = replace(a, annotations=tuple(sorted(a.annotations, key=lambda x: (x.start, -x.end, x.id))))
        relations = tuple(r for a in articles for r in rels.get(a.slug, ()))
        site = Site(base.root, cfg, tuple(articles), relations, flags_of, incoming, outgoing)
        return site, problems, (ids, rels, refs_to), flagged

    def _first_pages(self, site: Site, changed: set[str]) -> dict[str, bytes]:
        """The changed articles' own pages, rendered from a sub-site of the articles they depend on.

        A page's deps are the articles whose data it shows; the neighbours (newer, older) of an
        article in the full order are its neighbours in any subset that holds them."""
        by_slug = {a.slug: a for a in site.articles}
        if any(reading_key(by_slug[slug]) != reading_key(self.unlinked[slug]) for slug in changed) or not self._order:
            self._order = [a.slug for a in sorted(site.articles, key=reading_key, reverse=True)]
            self._place = {slug: i for i, slug in enumerate(self._order)}
        order, place = self._order, self._place
        keep, wanted = set(), set()
        for slug in changed:
            keep.add(slug)
            for key in _keys(by_slug[slug]):
                keep.update(r.source[0] for r in site.incoming.get(key, ()))
                keep.update(r.target[0] for r in site.outgoing.get(key, ()))
            i = place[slug]
            keep.update(order[max(i - 1, 0) : i + 2])
            wanted |= {f"articles/{slug}/index.html", f"articles/{slug}/annotations.jsonld"}
        sub = Site(site.root, site.config, tuple(a for a in site.articles if a.slug in keep), (),
                   site.flags_of, site.incoming, site.outgoing)
        return {job.path: job.make() for job in plan(sub, "/", self._environment()) if job.path in wanted}

    # ------------------------------------------------------------------ writing

    def _write_page(self, path: str, data: bytes) -> bool:
        if path in self.static_digests:  # a static file of the same name wins, as in a build
            return False
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if self.digests.get(path) == digest:
            return False
        write_atomic(self.out / safe_relative(path), data)
        self.digests[path] = digest
        return True

    def _remove(self, path: str) -> None:
        target = self.out / safe_relative(path)
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        parent = target.parent
        while parent != self.out:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    def _copy_statics(self) -> list[str]:
        changed = []
        try:
            copies = static_files(self.site, ASSETS)
        except OSError:
            copies = {}
        for rel, source in copies.items():
            try:
                data = source.read_bytes()
            except OSError:
                continue
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if self.static_digests.get(rel) != digest:
                write_atomic(self.out / safe_relative(rel), data)
                self.static_digests[rel] = digest
                changed.append(rel)
        for rel in set(self.static_digests) - set(copies):
            del self.static_digests[rel]
            if rel not in self.deps:
                self._remove(rel)
            else:
                self.digests.pop(rel, None)
                self.dirty.add(rel)
            changed.append(rel)
        return changed

    # ------------------------------------------------------------------ rebuilding

    def _update(self, paths, interrupted) -> Rebuild | None:
        started = time.perf_counter()
        if paths is None:
            kinds, slugs, trigger = {"config", "static"}, set(), []
            kind = "initial"
        else:
            kinds, slugs, trigger = self._classify(paths)
            if not kinds and not slugs:
                return None
            kind = next((k for k in ("config", "templates", "structure") if k in kinds), "articles" if slugs else "static")
        rebuild = Rebuild(trigger, kind)

        statics = self._copy_statics() if "static" in kinds or "config" in kinds else []
        if "config" in kinds:
            self._load_everything()
            self._env, self.everything = None, True
        else:
            if "templates" in kinds:
                self._env, self.everything = None, True
            if "structure" in kinds:
                moved = self._rediscover()
                slugs |= moved
                self.pending |= moved
                self.since_link |= moved & set(self.contents)
            for slug in sorted(slugs & set(self.contents)):
                self._load(slug)
            self.since_link |= slugs & set(self.contents)
        if kinds <= {"static"} and not slugs:
            return self._static_only(rebuild, statics, started)

        errors = [p for p in self._errors() if p.severity == "error"]
        first = None
        if (not errors and self.model is not None and not self.structural and not self.everything
                and 0 < len(self.since_link) <= FIRST_STEP_MAX_ARTICLES and self.has_site):
            first = self._first_step(rebuild, started)
        if first is None and errors:
            return self._broken(rebuild, started)
        result = self._second_step(rebuild, started, first, interrupted)
        if statics:
            self.notify(None)
        return result

    def _static_only(self, rebuild: Rebuild, statics: list[str], started: float) -> Rebuild:
        rebuild.written = statics
        rebuild.ms = (time.perf_counter() - started) * 1000
        self._finish(rebuild, f"copied {len(statics)} static file(s)")
        if statics:
            self.notify(set(statics) if all(p.endswith(".css") for p in statics) else None)
        return rebuild

    def _first_step(self, rebuild: Rebuild, started: float):
        """The edited articles' own pages, before anything else. None when it does not apply."""
        changed = set(self.since_link)
        site, problems, indexes, flagged = self._relink(changed)
        if site is None:
            return None
        try:
            pages = self._first_pages(site, changed)
        except Exception:  # a template error or a page that reads beyond its deps: the full step will tell
            self._order = []
            return None
        was_broken = bool(self.problems)
        self.problems = []  # before the pages: a page with the fix never carries the old panel
        written = {path for path, data in pages.items() if self._write_page(path, data)}
        old_model = self.model
        self.model = site
        self.ids, self.rels, self.refs_to = indexes
        for slug in changed:
            self.unlinked[slug] = self.loaded[slug][0]
        self.pending |= changed | flagged
        self.since_link = set()
        rebuild.first = sorted(pages)
        rebuild.rendered = sorted(pages)
        rebuild.written = sorted(written)
        rebuild.first_ms = (time.perf_counter() - started) * 1000
        self.notify(None if was_broken else written)
        return {"site": site, "pages": set(pages), "old": old_model, "pages_of": changed}

    def _broken(self, rebuild: Rebuild, started: float, extra=None) -> Rebuild:
        """Report every problem; keep the last good site (and the model it came from)."""
        if extra is None:  # link problems too
            articles = [a for a, _ in self.loaded.values() if a is not None]
            linked = Problems()
            link(str(self.site), self.config, articles, linked)
            extra = linked.items
        problems = self._errors(extra)
        errors = [p for p in problems if p.severity == "error"]
        changed = errors != self.problems
        self.problems = errors
        rebuild.ok, rebuild.kind = False, "broken"
        rebuild.problems = [p.text() for p in errors]
        rebuild.ms = (time.perf_counter() - started) * 1000
        for p in problems:
            self.log(p.text(), err=True)
        what = "the last good site is still served" if self.has_site else "nothing to serve until they are fixed"
        self._finish(rebuild, f"{len(errors)} error(s): {what}; the next good save recovers", err=True)
        if changed:
            self.notify(None)
        return rebuild

    def _second_step(self, rebuild: Rebuild, started: float, first, interrupted) -> Rebuild:
        if interrupted():  # another save is waiting: it is handled next, with what is left of this one
            rebuild.interrupted = True
            rebuild.ms = (time.perf_counter() - started) * 1000
            self._finish(rebuild, f"{self._trigger_text(rebuild)}: {len(rebuild.first)} page(s) updated; "
                                  "the rest is left for the next rebuild")
            return rebuild
        # the full link: the authoritative model (and a check of the incremental one)
        articles = [a for a, _ in self.loaded.values() if a is not None]
        link_problems = Problems()
        full = link(str(self.site), self.config, articles, link_problems)
        problems = self._errors(link_problems.items)
        if any(p.severity == "error" for p in problems):
            return self._broken(rebuild, started, link_problems.items)
        self._warn(problems)
        fresh = set()
        if first is not None:
            if self._same(first["site"], full):
                fresh = first["pages"]
            else:  # should not happen: say so, and render those pages again from the full model
                self.log("note: the incremental link differed from the full link; re-rendering", err=True)
        old = first["old"] if first is not None else self.model
        if old is not None and not self.everything and (first is None or not fresh):
            self.pending |= {k[0] for k in set(old.flags_of) | set(full.flags_of) if old.flags_of.get(k) != full.flags_of.get(k)}
            changed = self.since_link | (first["pages_of"] if first is not None else set())
            self.pending |= changed
        self._index(full, articles)
        was_broken = bool(self.problems)
        self.problems = []

        try:
            jobs = plan(full, "/", self._environment())
        except ProblemError as exc:
            return self._broken(rebuild, started, [exc.problem])
        deps = {job.path: job.deps for job in jobs}
        if rebuild.kind in ("initial", "config"):
            self._settle_memory()
        if self.everything:
            self.dirty = set(deps)
        else:
            p = self.pending
            self.dirty |= {path for path, d in deps.items() if d & p or (p and ALL in d)}
            self.dirty |= {path for path, d in self.deps.items() if d & p}
            self.dirty |= set(deps) - set(self.deps)
        removed = sorted(set(self.deps) - set(deps))
        for path in removed:
            if path not in self.static_digests:
                self._remove(path)
            self.digests.pop(path, None)
        self.deps, self.pending, self.everything = deps, set(), False
        self.dirty = (self.dirty & set(deps)) - fresh
        rebuild.removed = removed

        by_path = {job.path: job for job in jobs}

        def priority(path):
            d = deps[path]
            if path.startswith("articles/"):
                return (0, 0, path)
            return (1, 0 if ALL in d else len(d), path)

        written = set(rebuild.written)
        timings = []
        for path in sorted(self.dirty, key=priority):
            if interrupted():
                rebuild.interrupted = True
                break
            began = time.perf_counter()
            try:
                data = by_path[path].make()
            except ProblemError as exc:
                return self._broken(rebuild, started, [exc.problem])
            timings.append((path, round((time.perf_counter() - began) * 1000, 1)))
            if self._write_page(path, data):
                written.add(path)
            self.dirty.discard(path)
            rebuild.rendered.append(path)
        rebuild.written = sorted(written)
        rebuild.slowest = sorted(timings, key=lambda t: -t[1])[:5]
        rebuild.ms = (time.perf_counter() - started) * 1000
        complete = not self.dirty
        if complete:
            first_time = not self.has_site
            self.has_site = True
            was_broken = was_broken or first_time
        pages = len(set(rebuild.rendered))
        if rebuild.kind == "initial":
            line = f"built {pages} pages in {_ms(rebuild.ms / 1000)}"
        else:
            line = f"{self._trigger_text(rebuild)}: rebuilt {pages} page{'s' if pages != 1 else ''} in {_ms(rebuild.ms / 1000)}"
            if rebuild.first_ms is not None:
                shown = ", ".join(p[: -len("index.html")] for p in rebuild.first if p.endswith("index.html"))
                line += f" ({shown} first, in {_ms(rebuild.first_ms / 1000)})"
        if rebuild.interrupted:
            line += f"; {len(self.dirty)} left for the next rebuild"
        self._finish(rebuild, line)
        if was_broken:
            self.notify(None)
        elif written or removed:
            self.notify((written | set(removed)) - set(rebuild.first))
        return rebuild

    @staticmethod
    def _settle_memory() -> None:
        """After loading everything: move the model out of the garbage collector's sight.

        A full collection walks every object: about 0.3 s with 4,000 articles loaded, and one can
        fall in the middle of a rebuild's first step. Frozen objects are skipped (reference
        counting still frees them); unfreeze first so that an old model can be collected."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @staticmethod
    def _same(a: Site, b: Site) -> bool:
        return (a.flags_of == b.flags_of and a.incoming == b.incoming and a.outgoing == b.outgoing
                and a.relations == b.relations and len(a.articles) == len(b.articles)
                and all(x is y or x == y for x, y in zip(a.articles, b.articles)))

    def _warn(self, problems: list[Problem]) -> None:
        warnings = {p for p in problems if p.severity != "error"}
        for p in sorted(warnings - self._warned, key=lambda p: (p.file, p.line, p.col)):
            self.log(p.text(), err=True)
        self._warned = warnings

    @staticmethod
    def _trigger_text(rebuild: Rebuild) -> str:
        names = rebuild.trigger
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "change"

    def _finish(self, rebuild: Rebuild, line: str, err: bool = False) -> None:
        self.history.append(rebuild)
        del self.history[:-50]
        self.generation += 1
        self.log(line, err=err)
