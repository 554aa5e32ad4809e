"""Links in a user's Markdown that do not lead where they were meant to.

Site-absolute links (`/img/x.png`, `/articles/foo/`), under a base_url with a path:

Every link Glossator makes starts with base_url's path (`/news/articles/foo/`); a link the user writes
as `/articles/foo/` is left as written (`/about` may mean the domain's own page), so it works under
`serve`, which serves the site at `/`, and leads out of the site once it is published under `/news/`.
When such a link names a page or a file of the site, it is said, where it is written, with the form
that works in both places: relative to the article's page. Relative links in annotators' Markdown are
resolved against the article's page wherever they are shown (markdown.rebased), so that form holds on
flag and tag pages, the index and the feed too.

Relative links that lead to no page or file of the site (`../zetas-reprot/`): said where they are
written, with the nearest page's link as a suggestion. So is a link to an article's passage whose id is
mistyped (`../police/#violet` for `#violent`, or `#violet` on the note's own page).
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from .errors import Problem, did_you_mean
from .markdown import SCHEME, render_note, safe_url
from .model import Article

_ROOTED = re.compile(r'\b(?:href|src)="(/(?!/)[^"]*)"')  # in HTML Glossator made: a site-absolute target
_RELATIVE = re.compile(r'\b(?:href|src)="([^"#/?][^"]*)"')  # a relative target (not a fragment or query alone)
_FRAGMENT = re.compile(r'\bhref="(#[^"]+)"')  # a place on the same page
_WRITTEN = re.compile(r"\](?:\([ \t\n]*|:[ \t]*)<?([^\s<>()]+(?:\([^\s<>()]*\))?)")  # in Markdown: a link's target, inline or defined
_PARTS = re.compile(r"^(?:note-|ref-)|\.(?:end|head)$")  # the ids an article page derives from a passage's id
# what every site has at its root, beside the articles', flags' and tags' pages and static/'s files
FOLDERS = frozenset({"articles", "flags", "tags", "search", "graph", "assets"})
FILES = frozenset({"index.html", "feed.xml", "sitemap.xml", "404.html"})


def rooted_link_problems(root: Path, articles: Iterable[Article], base_url: str, static: set[str]) -> list[Problem]:
    """A warning for each site-absolute link to this site's pages or files (`static`: the paths of
    static/'s files in the output) in the articles' notes, summaries, retraction reasons and Markdown;
    none when base_url's path is `/`, where such links work."""
    base = urlsplit(base_url).path or "/"
    if base == "/":
        return []
    found: list[Problem] = []
    texts: dict[str, str | None] = {}  # each file read once, however many links it holds
    for article in articles:
        for file, line, made in _pieces(article):
            for m in _ROOTED.finditer(made):
                target = html.unescape(m.group(1))
                if names_the_site(target, static):
                    at_line, col = _find(_text(root, file, texts), line, target)
                    found.append(Problem(file, at_line, col, _leaves_base(target, article, base_url), "warning"))
    return found


def dead_link_problems(root: Path, articles: Iterable[Article], written: set[str],
                       ids: dict[str, set[str]] | None = None) -> list[Problem]:
    """A warning for each relative link in the articles' Markdown to no page or file the build writes
    (`written`: the pages' paths and static/'s files), or to a passage id spelt near one of the page's
    (`ids`: every article's passage ids by slug). One that climbs out of the site's folder
    (`../../../about`) may mean another page of the domain, and is left alone."""
    folders = {path.removesuffix("/index.html") for path in written if path.endswith("/index.html")}
    found: list[Problem] = []
    texts: dict[str, str | None] = {}
    for article in articles:
        page = f"articles/{article.slug}"
        for file, line, target in _unsafe_targets(article):
            at_line, col = _find(_text(root, file, texts), line, target)
            why = (f'names another site without saying how to reach it: write "https:{target}"' if target.startswith("//")
                   else "notes link only to http(s), mailto and relative addresses")
            found.append(Problem(file, at_line, col, f'the link "{target}" is shown as written, not made a link: {why}',
                                 "warning"))
        for file, line, made in _pieces(article):
            for m in _FRAGMENT.finditer(made):
                target = html.unescape(m.group(1))
                if meant := _mistyped_passage(target[1:], (ids or {}).get(article.slug)):
                    at_line, col = _find(_text(root, file, texts), line, target)
                    found.append(Problem(file, at_line, col, f'the link "{target}" leads to no passage of this page; '
                                         f'did you mean "#{meant}"?', "warning"))
            for m in _RELATIVE.finditer(made):
                target = html.unescape(m.group(1))
                path = posixpath.normpath(posixpath.join(page, unquote(urlsplit(target).path)))
                if SCHEME.match(target) or path.startswith("../") or path in (".", ".."):
                    continue
                if path in written or path in folders:
                    fragment = urlsplit(target).fragment
                    if path.startswith("articles/") and (meant := _mistyped_passage(fragment, (ids or {}).get(
                            path.removeprefix("articles/").removesuffix("/index.html")))):
                        at_line, col = _find(_text(root, file, texts), line, target)
                        found.append(Problem(file, at_line, col, f'the link "{target}" leads to no passage of '
                                             f'{path}/; did you mean "{target.partition("#")[0]}#{meant}"?', "warning"))
                    continue
                fragment = urlsplit(target).fragment
                reference = _as_a_reference(target, folders)
                near = reference or _nearest(path, page, folders, written)
                hint = (f'; did you mean "{posixpath.relpath(near, page)}{"/" if near in folders else ""}'
                        f'{"#" + fragment if fragment else ""}"?' if near else _beside_the_article(root, file, article, target))
                if reference:  # (written as rebuts, see… name a passage: say why it is not one here)
                    hint += " (a passage is named slug#id in rebuts, retracts, supports, see and sources; a link takes its address)"
                at_line, col = _find(_text(root, file, texts), line, target)
                found.append(Problem(file, at_line, col, f'the link "{target}" leads to no page or file of the site '
                                     f"({path}){hint}", "warning"))
    return found


def passage_ids(articles: Iterable[Article]) -> dict[str, set[str]]:
    """Every article's passage ids by slug: the places a link's fragment may name on its page."""
    return {article.slug: {ann.id for ann in article.annotations} for article in articles}


def _mistyped_passage(fragment: str, known: set[str] | None) -> str:
    """The passage id a link's fragment most likely meant, where it names no passage of the page but is spelt
    near one ("violent" for "violet"); else "": a fragment may name another part of the page ("main")."""
    core = _PARTS.sub("", unquote(fragment))
    if not core or not known or core in known or unquote(fragment) in known:
        return ""
    return did_you_mean(core, known, cutoff=0.7).removeprefix(' (did you mean "').removesuffix('"?)')


def _as_a_reference(target: str, folders: set[str]) -> str:
    """The article page a link names when it is written as a reference is (`kalte-wohnungen#gesamt-29`, `slug`):
    from the note's page, that address leads nowhere; "" for any other link."""
    parts = urlsplit(target)
    slug = unquote(parts.path)
    return f"articles/{slug}" if slug and "/" not in slug and not parts.query and f"articles/{slug}" in folders else ""


def _nearest(path: str, page: str, folders: set[str], written: set[str]) -> str:
    """What a dead link most likely meant: the site's one file of the same name (`pic.png` written in an
    article whose picture is static/pic.png), else the nearest path by spelling, its name near too (not
    "annotations.jsonld" for "chart.png", whose paths share their folder), but never the page the link is on
    ("./" would not help); "" when nothing is near."""
    name = posixpath.basename(path)
    same = [p for p in written if posixpath.basename(p) == name and name != "index.html"]
    if len(same) == 1:
        return same[0]
    near = did_you_mean(path, (folders | written) - {page, f"{page}/index.html"}).removeprefix(' (did you mean "').removesuffix('"?)')
    return near if near and did_you_mean(name, [posixpath.basename(near)]) else ""


def _beside_the_article(root: Path, file: str, article: Article, target: str) -> str:
    """Where an article's Markdown names a file kept beside it in content/ (`![chart](chart.png)`), which is not
    published (content/ holds the articles): say so, and what to do. "" for any other link."""
    if file != article.path:
        return ""
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(file), unquote(urlsplit(target).path)))
    if not rel.startswith("content/") or not (root / rel).is_file():
        return ""
    moved = rel.removeprefix("content/")
    return (f"; {rel} is not published: content/ holds the articles only. Put it in static/, which is copied as "
            f'it is, as static/{moved}, and link it as "{posixpath.relpath(moved, f"articles/{article.slug}")}"')


def _notes(article: Article):
    """(file, line, Markdown) of each of an article's texts written in annotations/: its notes, its summary and its
    retraction's reason (the last two placed at line 1)."""
    for ann in article.annotations:
        if ann.note:
            yield article.annotation_path, ann.loc.line, ann.note
    for text in (article.meta.summary, article.meta.retracted and article.meta.retracted.reason):
        if text:
            yield article.annotation_path or article.path, 1, text


def _unsafe_targets(article: Article):
    """(file, line, target) of each link in the article's notes, summary and retraction reason that Markdown leaves
    as text, its address neither http(s), mailto nor relative (`javascript:…`, `//host/…`: markdown.safe_url)."""
    for file, line, text in _notes(article):
        if "]" in text:
            for m in _WRITTEN.finditer(text):
                if not safe_url(m.group(1)):
                    yield file, line, m.group(1)


def _pieces(article: Article):
    """(file, line, HTML) of each piece of an article's Markdown that may hold links: its notes, its
    summary, its retraction's reason, and its own text when it is Markdown."""
    for file, line, text in _notes(article):
        if "](" in text or "]:" in text:  # (rendered only when it may link)
            yield file, line, render_note(text)
    if article.kind == "md":
        yield article.path, 1, "".join(p[1] for block in article.flow.blocks for p in block if p[0] == "tag")


def names_the_site(target: str, static: set[str]) -> bool:
    """Whether a site-absolute path names one of the site's pages or files (`/articles/x/`, `/feed.xml`,
    a file of static/), rather than another page of the domain (`/about`)."""
    path = unquote(urlsplit(target).path).lstrip("/")
    first = path.split("/", 1)[0]
    return ("/" in path and first in FOLDERS) or path in FILES or path in static or (path.rstrip("/") + "/index.html") in static


def relative_form(target: str, slug: str) -> str:
    """`target` (site-absolute) as a link relative to the article's page, `articles/<slug>/`."""
    parts = urlsplit(target)
    rel = posixpath.relpath(parts.path.lstrip("/") or ".", f"articles/{slug}")
    rel += "/" if parts.path.endswith("/") and rel != "." else ""
    if rel == "." and parts.fragment and not parts.query:
        return f"#{parts.fragment}"  # a passage of the article's own page
    rel = "./" if rel == "." else rel
    return rel + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _text(root: Path, file: str, texts: dict[str, str | None]) -> str | None:
    """A user's file as read for finding a link in it (each file read once: `texts`)."""
    if file not in texts:
        try:
            texts[file] = (root / file).read_text("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n")
        except OSError:
            texts[file] = None
    return texts[file]


def _leaves_base(target: str, article: Article, base_url: str) -> str:
    origin = urlsplit(base_url)
    published = f"{origin.scheme}://{origin.netloc}{target}" if origin.netloc else target
    return (f'the link "{target}" leaves out base_url\'s path ("{origin.path}"): published, it '
            f'leads to {published}, outside the site (it works only under `glossator serve`); write it relative '
            f'to the article\'s page: "{relative_form(target, article.slug)}"')


def _find(text: str | None, from_line: int, target: str) -> tuple[int, int]:
    """Where `target` is written in the file's `text`, at or after `from_line` (the link as Markdown spelled
    it: percent-encoding may differ); `from_line`, column 1, if it cannot be found (or the file not read)."""
    if text is None:
        return from_line, 1
    start = 0
    for _ in range(from_line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return from_line, 1
    for spelled in (target, unquote(target)):
        whole = re.compile(f"(?<=[(<\\s]){re.escape(spelled)}(?=[)>\\s\"']|$)")  # as a link's whole target,
        found = whole.search(text, start)  # not inside another: "img/a.png" in "/img/a.png"
        at = found.start() if found else text.find(spelled, start)
        if at >= 0:
            return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return from_line, 1
