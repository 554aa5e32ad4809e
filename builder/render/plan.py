"""The page plan: every output file of the site, not yet rendered, with the articles it depends on."""
from __future__ import annotations

import contextlib
import functools
import os
import pickle
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from .. import __version__, native
from ..errors import Problem, ProblemError
from ..linking import by_flag, by_tag, related
from ..markdown import markdown_texts, numbered_tables, ready
from ..model import Site
from ..read.config import english_label
from ..slugs import alphabetical
from .feeds import atom, sitemap
from .jsonld import jsonld
from .pager import FEED_ENTRIES, chunks, page_path, pager
from .pages import LazyPassage, article_page, flags_page, index_page, passages_with
from .graph import article_node, claim_graph, graph_pages, page_path as graph_page
from .search import search_hooks, search_page
from . import runtime
from .templates import environment, template_error, warm
from .views import SiteView
from .bidi import direction, english


@dataclass(frozen=True, slots=True)
class PageJob:
    """One output file, not yet made."""

    path: str  # relative to the output folder
    depends: object  # `deps`, or () -> an iterable of them, worked out when asked (serve asks; a build never does)
    make: object  # () -> bytes: renders it
    leaves: object = None  # () -> dict: made right after `make`, where it ran: what it leaves to `memo` for later pages
    memo: Memo | None = None  # where the parent keeps what `leaves` gave, and hands it to the workers of the later pages
    later: bool = False  # made after the others: it reuses what they left

    @property
    def deps(self) -> frozenset:
        """Slugs of the articles whose data it shows (ALL: every article), and "#…" tokens of what it lists."""
        return self.depends if isinstance(self.depends, frozenset) else frozenset(self.depends())


# Control characters HTML forbids (a raw file or a YAML escape can hold them): shown as U+FFFD.
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# the same in UTF-8: the ASCII ones are bytes no other character's UTF-8 holds (all but them deleted,
# what is left is them); the C1 controls and the noncharacters, each found by its lead byte
_BUT_ASCII_CONTROLS = bytes(b for b in range(256) if b >= 0x80 or not _NOT_HTML.match(chr(b)))
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_NONCHARACTER_UTF8 = re.compile(b"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])")


_NATIVE = native.load("_htmlbytes")  # builder/_htmlbytes.c: the encoding and the looking in one pass (None where not built)
MADE = [None, None]  # the bytes of the last page html_bytes made in this process, and the text they are exactly


def text_of(data: bytes) -> str | None:
    """The text of a page html_bytes just made (`data`, that very object), without decoding it; else None."""
    return MADE[1] if data is MADE[0] else None


def html_bytes(page: str) -> bytes:
    """The page in UTF-8 (a lone surrogate as "?"), what HTML forbids as U+FFFD: looked for in the bytes
    (0.06 ms a page, against 0.27 for `_NOT_HTML` over the text), replaced in the text where found."""
    if _NATIVE is not None and (data := _NATIVE.encode(page)) is not None:  # (None: a page with one of those)
        MADE[:] = data, page
        return data
    data = page.encode("utf-8", "replace")
    if data.translate(None, _BUT_ASCII_CONTROLS) or _c1(data) or (b"\xef" in data and _NONCHARACTER_UTF8.search(data)):
        return _NOT_HTML.sub("\ufffd", page).encode("utf-8", "replace")
    return data


def _c1(data: bytes) -> bool:
    """Whether UTF-8 holds a C1 control (\xc2 and a byte below \xa0): the \xc2s are found by find, where
    a regex reads every byte (13 us a page), and a page has a few dozen (the "·" of its title, two or three
    in each note's byline); past 64 (about what the regex costs: a text that puts a no-break space before
    each colon), the regex reads the rest."""
    at = data.find(b"\xc2")
    for _ in range(64):
        if at == -1:
            return False
        if data[at + 1] < 0xA0:  # (a continuation byte: 0x80 and up)
            return True
        at = data.find(b"\xc2", at + 2)
    return at != -1 and _C1_UTF8.search(data, at) is not None


ALL = "*"  # in a page's deps: it shows something of every article
EVERYTHING = frozenset({ALL})


def checked_links(view: SiteView, cfg, tags) -> dict:
    """flag_url, tag_url and article_url that refuse a name with no page (a dead link a site template
    would otherwise publish in silence), as a template error at the line that asked. `tags`: the
    slugs of the tags that have a page (linking.by_tag)."""
    from ..slugs import tag_slug

    def flag_url(name):
        if name not in cfg.flags:
            raise ValueError(f"flag_url({name!r}): no flag of that name (the flags are {', '.join(sorted(cfg.flags))})")
        return view.urls.flag(name)

    def tag_url(tag):
        if not isinstance(tag, str) or tag_slug(tag) not in tags:
            raise ValueError(f"tag_url({tag!r}): no passage has that tag, so it has no page")
        return view.urls.tag(tag)

    def article_url(slug, ann_id=None):
        if slug not in view.by_slug or (ann_id is not None and (slug, ann_id) not in view.annotation):
            raise ValueError(f"article_url({slug!r}{', ' + repr(ann_id) if ann_id is not None else ''}): no such "
                             f"{'article' if slug not in view.by_slug else 'annotation'}")
        return view.urls.article(slug, ann_id)

    return {"flag_url": flag_url, "tag_url": tag_url, "article_url": article_url}


# on an element of the interface's (English) words inside a part that reads right to left (a page's `ui`)
_UI = {"rtl": Markup(' dir="ltr"'), "ltr": Markup("")}
# on an element of the interface's (English) words on a site in another language, so that a screen reader reads them
# as English (WCAG's language of parts); a site's own words inside such an element say the site's language (`own`)
_EN = Markup(' lang="en"')
_NO_HISTORY = Markup("")  # (made once: Markup's constructor is Python code, and every note of a site without git asks)
FOLD_FLAGS = 120  # the header's flag labels, joined by ", ", past this many characters: about a line at 1280 px (base.html)


def plan(site: Site, base_url: str | None = None, env: jinja2.Environment | None = None, static=()) -> list[PageJob]:
    """Every page of the site, not yet rendered, with what each depends on. `static`: the output paths of
    static/'s files, whose pages (`about/index.html`, `contact.html`) the sitemap lists too."""
    root = Path(site.root)
    view = SiteView(site, base_url or site.config.base_url)
    env = env if env is not None else environment(root)  # serve, build and check pass the one they keep
    warm(env)  # (a fraction of a millisecond once compiled)
    ready(markdown_texts(site.articles))
    cfg = site.config
    common = {
        "site": {"title": cfg.title, "description": cfg.description, "language": cfg.language, "base_url": view.urls.root,
                 "repo_url": cfg.repo_url, "direction": direction(cfg.language)},
        # on an element of the interface's (English) words inside a right-to-left article: they read left to right
        "ui": _UI[direction(cfg.language)],
        "en": Markup("") if english(cfg.language) else _EN,
        # on a flag's or verdict's label that is Glossator's own (English) one, on a site in another language
        "en_of": (lambda defn: Markup("")) if english(cfg.language) else (lambda defn: _EN if english_label(defn) else Markup("")),
        "en_verdict": (lambda name: Markup("")) if english(cfg.language) else (
            lambda name: _EN if name in cfg.verdicts and english_label(cfg.verdicts[name]) else Markup("")),
        # (the language is a checked tag: letters, digits and "-")
        "own": Markup("") if english(cfg.language) else Markup(f' lang="{cfg.language}"'),
        "flags": list(cfg.flags.values()), "root": view.urls.root, "version": __version__,
        "asset": lambda p: view.urls.page(f"assets/{p}"), "url": view.urls.page,
        "flag_url": view.urls.flag, "tag_url": view.urls.tag, "article_url": view.urls.article,
    }
    common["site"]["search"] = cfg.search
    common["site"]["fold_flags"] = len(", ".join(f.label for f in cfg.flags.values())) > FOLD_FLAGS

    # the built-in templates only (a site's own are sandboxed): they read `p` as its plain dict (each `p.quote`
    # of a LazyPassage is three Python calls, where a dict's is none); a site's own are given the LazyPassage
    # they always had
    plain = not isinstance(env, jinja2.sandbox.SandboxedEnvironment)
    history_macro = []  # the macro, and whether it takes `ui`: looked up once

    def note_history(history, ui=None) -> Markup:
        """_note_history.html's macro, given to every page: importing it in each note cost a module per note.
        Given `ui` too where it takes it (the page's, passed by _note.html, else the site's; a site's own
        macro made before it did takes `h` alone). The
        built-in one says nothing of no history (every note of a site without git): not called for it."""
        if not history and plain:
            return _NO_HISTORY
        if not history_macro:
            macro = env.get_template("_note_history.html").module.note_history
            history_macro[:] = macro, "ui" in getattr(macro, "arguments", ())
        macro, takes_ui = history_macro
        return macro(history, ui=common["ui"] if ui is None else ui) if takes_ui else macro(history)

    common["note_history"] = note_history
    jobs: list[PageJob] = []
    # (slug, id) -> the passage as flag and tag pages show it, in UTF-8: a str with one curly quote takes
    # two bytes a character, and these stay in memory while the listing pages are made (40,000 at 4,000 articles)
    passage_html = Memo()
    merged: dict[str, dict] = {}  # a built-in template's globals and `common`, merged once: each page's names start as a copy

    def names_of(template) -> dict:
        if template.name not in merged:
            merged[template.name] = {**template.globals, **common}
        return merged[template.name]

    def passage_text(key: tuple[str, str]) -> bytes:
        """Each passage is rendered once, however many flag and tag pages list it: by the worker that
        made its article page (whose notes are computed already), which leaves it for the listing pages."""
        found = passage_html.get(key)
        if found is None:
            template = env.get_template("_passage.html")
            passage_html[key] = found = (runtime.render(template, {**names_of(template), "p": view.passage(
                view.by_slug[key[0]], view.annotation[key])}, True) if plain else
                template.render(**common, p=LazyPassage(view, key))).encode("utf-8", "surrogatepass")
        return found

    common["render_passage"] = lambda p: runtime.mark_safe(passage_text(p.key).decode("utf-8", "surrogatepass"))
    flagged_keys = by_flag(site)
    tags = by_tag(site)
    if isinstance(env, jinja2.sandbox.SandboxedEnvironment):  # a site's own templates: a link to no page is an error
        common.update(checked_links(view, cfg, tags))
    on_lists = {key for keys in flagged_keys.values() for key in keys} | {key for t in tags.values() for key in t["keys"]}

    def passages_left(article) -> dict:
        keys = ((article.slug, a.id) for a in article.annotations)
        try:
            left = {k: passage_text(k) for k in keys if k in on_lists}
        except Exception as exc:  # a site's _passage.html that fails: the template's error, never a crash
            raise ProblemError(template_error(exc, root)) from None
        view.forget(article)
        return left

    def html(path: str, deps, template: str, context, later: bool = False, leaves=None) -> None:
        def make() -> bytes:
            try:
                if plain:
                    made = env.get_template(template)
                    out = runtime.render(made, {**names_of(made), "page_path": path, **context()}, True)
                else:
                    out = env.get_template(template).render({**common, "page_path": path, **context()})
            except Exception as exc:  # any template error is reported as the template's, never a crash
                raise ProblemError(template_error(exc, root, template)) from None
            return html_bytes(numbered_tables(out))

        jobs.append(PageJob(path, deps, make, leaves, passage_html if leaves else None, later))

    html("index.html", EVERYTHING, "index.html", lambda: {**index_page(view), "tag_count": len(tags)})
    tag_names = {slug: entry["name"] for slug, entry in tags.items()}  # one name per tag page
    graph = graph_pages(site)
    graph_page_of = {k: n for n, parts in enumerate(graph, 1) for part in parts for k in part}

    @functools.cache
    def related_of() -> dict[str, set[str]]:
        return related(site)

    def reach(slugs) -> set[str]:
        """Pages listing these articles' passages or rows also show what their relations reach."""
        return set().union(*(related_of().get(s, {s}) for s in slugs)) if slugs else set()

    def listing(keys, count: int, whole=()):
        """A page that lists passages (flag, tag, graph) depends on the articles it lists, what their relations
        reach, and on which passages it lists: a token that changes when an edit elsewhere shifts them
        (serve re-renders a page whose dependencies changed). Worked out when asked."""
        return lambda: reach({slug for slug, _ in keys} | {a.slug for a in whole}) | {f"#{count}:{hash(tuple(keys))}"}

    def article_names(article) -> dict:
        page = article_page(view, article)
        page["graph_url"] = article_node(view, article.slug, graph_page_of)
        page["search"] = cfg.search and search_hooks(view, article, tag_names)
        if page["article"]["direction"] != common["site"]["direction"]:  # an article in the other direction than its site's
            page["ui"] = _UI[page["article"]["direction"]]
        return page

    # article pages before the flag and tag pages: each article's notes are computed together there
    # (and memoised), so per-article work such as the text-fragment haystack is done once
    for i, article in enumerate(view.order):
        neighbours = view.order[max(i - 1, 0) : i + 2]
        html(f"articles/{article.slug}/index.html", lambda neighbours=neighbours: reach({a.slug for a in neighbours}), "article.html",
             lambda article=article: article_names(article),
             leaves=lambda article=article: passages_left(article))
        jobs.append(PageJob(f"articles/{article.slug}/annotations.jsonld", lambda slug=article.slug: related_of()[slug],
                            lambda article=article: jsonld(view, article), later=True))
    whole_of: dict[str, list] = {}  # flag -> the articles it marks as a whole (its page lists them, flags/ counts them)
    for name, defn in cfg.flags.items():
        flagged = {slug for slug, _ in flagged_keys[name]}
        having = [a for a in view.order if a.slug in flagged or name in view.flags((a.slug, None))]
        deps = lambda having=having: reach({a.slug for a in having})  # noqa: E731
        whole = whole_of[name] = [a for a in view.order if name in view.flags((a.slug, None))]
        pages = chunks(flagged_keys[name])
        for number, keys in enumerate(pages, 1):
            page_deps = listing(keys, len(pages), whole if number == 1 else ())
            html(page_path(f"flags/{name}", number), page_deps, "flag.html", lambda defn=defn, whole=whole, keys=keys, number=number, count=len(pages), name=name: {
                "flag": defn, "groups": passages_with(view, keys),
                "articles": [view.summary_row(a) for a in whole] if number == 1 else [],
                "pager": pager(view.urls, f"flags/{name}", number, count)}, later=True)
        # an empty feed is as new as the site (feeds._stamp): any article's change may change it
        jobs.append(PageJob(f"flags/{name}/feed.xml", deps if having else EVERYTHING, lambda name=name, defn=defn, having=having: atom(
            view, f"{cfg.title}: {defn.label}", f"flags/{name}/feed.xml", having[:FEED_ENTRIES])))
    html("flags/index.html", EVERYTHING, "flags.html", lambda: flags_page(
        view, {name: len(flagged_keys[name]) for name in cfg.flags}, {name: len(whole_of[name]) for name in cfg.flags}))
    if tags:  # (a reader who shortens a tag page's address to tags/ finds them all)
        html("tags/index.html", EVERYTHING, "tags.html", lambda: {"tags": [
            {"name": entry["name"], "url": view.urls.tag(entry["name"]), "passages": len(entry["keys"]), "articles": len(entry["slugs"])}
            for _, entry in sorted(tags.items(), key=lambda item: (alphabetical(item[1]["name"]), item[0]))]})
    for slug, entry in sorted(tags.items()):
        pages = chunks(entry["keys"])
        for number, keys in enumerate(pages, 1):
            html(page_path(f"tags/{slug}", number), listing(keys, len(pages)), "tag.html", lambda slug=slug, entry=entry, keys=keys, number=number, count=len(pages): {
                "tag": {"slug": slug, "name": entry["name"], "names": entry["names"]},
                "groups": passages_with(view, keys), "pager": pager(view.urls, f"tags/{slug}", number, count)}, later=True)
    if cfg.search:
        html("search/index.html", EVERYTHING, "search.html", lambda: search_page(view, tags))
    for n, parts in enumerate(graph, 1):
        keys = [k for part in parts for k in part]
        html(graph_page(n), listing(keys, len(graph)), "graph.html", lambda n=n, parts=parts: {
            "graph": claim_graph(view, parts), "pager": pager(view.urls, "graph", n, len(graph))}, later=True)
    html("404.html", EVERYTHING, "404.html", dict)
    jobs.append(PageJob("feed.xml", EVERYTHING, lambda: atom(view, cfg.title, "feed.xml", view.order[:FEED_ENTRIES])))
    listed = {path for path in [j.path for j in jobs] + list(static) if in_sitemap(path)}
    jobs.append(PageJob("sitemap.xml", EVERYTHING, lambda: sitemap(
        view, [p[: -len("index.html")] if p.endswith("index.html") else p for p in listed])))
    return jobs


def in_sitemap(path: str) -> bool:
    """Whether the sitemap lists the page or static file at output path `path`."""
    return path.endswith(".html") and path != "404.html" and not path.startswith("assets/")


def render_site(site: Site, base_url: str | None = None, wanted=None) -> dict[str, bytes]:
    """Pages as {output path: bytes}; `wanted(job)` picks a subset (for incremental rebuilds)."""
    return {job.path: job.make() for job in plan(site, base_url) if wanted is None or wanted(job)}


BESIDE = object()  # make_pages's key in `kept` for what `beside` gave


def make_pages(jobs: list[PageJob], use, progress=None, kept: dict | None = None, beside=None,
               digests: dict | None = None) -> list:
    """Make every page across cores, `use(job, data)` where it was made (a build writes it, `check`
    looks at it: a Problem it returns is handed back too, anything else into `kept`, by the page's path).
    Pages marked `later` are made after the others have left what they share (PageJob.leaves), by the
    same workers (parallel.kept), which are handed it (Handover). Returns the template problems, in page
    order. `beside(kept)`, given what the other pages handed back, runs in this process while the workers
    make the later pages (the search index's merge, which no page waits for), unless a page failed; what
    it returns goes into `kept` at BESIDE. `digests`, where given, gets each page's cache.file_digest by
    path, taken where the page was made."""
    from .. import parallel
    from ..cache import file_digest

    first = [j for j in jobs if not j.later]
    later = [j for j in jobs if j.later]
    later.reverse()  # the graph, tag and flag pages (the longest to make) first, the light JSON-LD of each
    made = first + later  # article last, so that the workers finish together
    memo = next((j.memo for j in jobs if j.memo is not None), None)
    if memo is not None and not isinstance(memo, Memo):
        raise TypeError("PageJob.memo is a plan.Memo: the later pages' workers read what others left through it")
    problems = []
    with Handover() as handover:
        if memo is not None:
            memo.handover = handover

        def task(i: int):
            job = made[i]
            if i >= len(first) and parallel.in_worker() and handover.index is None:  # (this worker's first later page)
                handover.receive()
            try:
                data = job.make()
                said = use(job, data)
                left = job.leaves() if job.leaves else None
                for key in left or ():  # handed over by the parent (below): in a worker, a copy that would only grow
                    job.memo.pop(key, None)
                return said, left, file_digest(data) if digests is not None else None
            except ProblemError as exc:  # a template problem: hand it back to the parent
                return exc.problem, None, None

        with parallel.kept(task, len(made)) as part:
            for is_later, wave in ((False, range(len(first))), (True, range(len(first), len(made)))):
                meanwhile = None
                if is_later:
                    if part.forked:
                        handover.give()
                    if beside is not None and kept is not None and not problems:
                        meanwhile = lambda: kept.__setitem__(BESIDE, beside(kept))  # noqa: E731
                found = []
                for i, (said, left, digest) in zip(wave, part(wave, progress, meanwhile), strict=True):
                    job = made[i]
                    if digest:
                        digests[job.path] = digest
                    if isinstance(said, Problem):
                        found.append(said)
                    elif said is not None and kept is not None:
                        kept[job.path] = said
                    if left and part.forked:  # (for the workers)
                        handover.add(left)
                    elif left:  # (no workers: for this process's later pages)
                        job.memo.update(left)
                problems.extend(reversed(found) if is_later else found)
        if memo is not None:
            memo.handover = None
    for job in jobs:  # what the pages left for the later ones: no longer needed
        if job.memo:
            job.memo.clear()
    return problems


class Memo(dict):
    """What the article pages leave for the later ones (PageJob.memo): (slug, id) -> the HTML of a passage
    as flag and tag pages list it, in UTF-8. Read with `get`: in a worker making later pages, it gives
    what the other workers left too, read from the Handover."""

    handover = None  # Handover | None: set by make_pages

    def get(self, key, default=None):
        found = dict.get(self, key)
        if found is None and self.handover is not None:
            found = self.handover.get(key)
        return default if found is None else found


class Handover:
    """What the article pages left for the later ones, handed by the build's process to its workers, who go
    on to make the later pages once every article page is made (see parallel.kept). A file with no name:
    opened (and unlinked: nothing is left behind, whatever ends the build) before the workers are forked,
    who share it. The build's process writes each passage into it as it comes back from a worker, then,
    once all have, an index of where each is and where that is; a worker reads the index before its
    first later page, then a passage at a time, when a page lists it. Where the file could not be
    written (a full disk), a worker renders the passages it lacks itself: the same pages, more slowly."""

    _HEAD = struct.Struct("<QQ")  # where the index is, and its length in bytes (zeros: nothing handed over)

    def __init__(self):
        self.file = None
        self.at = self._HEAD.size  # where the next passage goes (in the build's process)
        self.written: dict = {}  # (slug, id) -> (offset, length) of each passage written (in the build's process)
        self.index = None  # the same, in a worker: None until received

    def __enter__(self) -> Handover:
        if not hasattr(os, "pread"):  # (Windows: no os.pread, and no fork either: the memo stays in this process)
            return self
        with contextlib.suppress(OSError):
            self.file = tempfile.TemporaryFile()
            os.pwrite(self.file.fileno(), bytes(self._HEAD.size), 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()

    def add(self, left: dict) -> None:
        """In the build's process: what a page left, written down."""
        if self.file is None:
            return
        try:
            _write(self.file.fileno(), b"".join(left.values()), self.at)
        except OSError:
            self.file = None  # (closed by the garbage collector: nothing will be handed over)
            return
        for key, data in left.items():
            self.written[key] = (self.at, len(data))
            self.at += len(data)

    def give(self) -> None:
        """In the build's process, once every article page is made: the index, then where it is."""
        if self.file is None or not self.written:
            return
        with contextlib.suppress(OSError):
            table = pickle.dumps(self.written, pickle.HIGHEST_PROTOCOL)
            _write(self.file.fileno(), table, self.at)
            _write(self.file.fileno(), self._HEAD.pack(self.at, len(table)), 0)
        self.written = {}

    def receive(self) -> None:
        """In a worker, before its first later page: the index read (an empty one where nothing was handed over)."""
        self.index = {}
        if self.file is None:
            return
        fd = self.file.fileno()
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, struct.error):
            at, size = self._HEAD.unpack(os.pread(fd, self._HEAD.size, 0))
            if size:
                self.index = pickle.loads(os.pread(fd, size, at))

    def get(self, key) -> bytes | None:
        """A passage's HTML as handed over, or None (not handed over, or not received in this process)."""
        where = self.index.get(key) if self.index and self.file is not None else None
        if where is None:
            return None
        with contextlib.suppress(OSError):
            data = os.pread(self.file.fileno(), where[1], where[0])
            if len(data) == where[1]:
                return data
        return None


def _write(fd: int, data: bytes, at: int) -> None:
    """All of `data` at offset `at` (os.pwrite may write less: the rest is written after it)."""
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, at)
        view, at = view[done:], at + done


def render_problems(site: Site, base_url: str | None = None, env: jinja2.Environment | None = None,
                    known=(), jobs=None, use=None) -> list:
    """Render every page (`jobs`, if planned already), writing nothing: the template problems a build
    would meet (for `check`), but for those already `known` (a template refused as a link is said once,
    not again per page). `use(job, data)`: as make_pages's."""
    said = {(p.file, p.line, p.message) for p in known}
    return [p for p in make_pages(jobs if jobs is not None else plan(site, base_url, env), use or (lambda job, data: None))
            if (p.file, p.line, p.message.removeprefix("template error: ")) not in said]
