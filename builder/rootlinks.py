"""Site-absolute links (`/img/x.png`, `/articles/foo/`) in a user's Markdown, under a base_url with a path.

Every link Glossator makes starts with base_url's path (`/news/articles/foo/`); a link the user writes
as `/articles/foo/` is left as written (`/about` may mean the domain's own page), so it works under
`serve`, which serves the site at `/`, and leads out of the site once it is published under `/news/`.
When such a link names a page or a file of the site, it is said, where it is written, with the form
that works in both places: relative to the article's page. Relative links in annotators' Markdown are
resolved against the article's page wherever they are shown (markdown.rebased), so that form holds on
flag and tag pages, the index and the feed too.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .markdown import render_note
from .model import Article, Site

_ROOTED = re.compile(r'\b(?:href|src)="(/(?!/)[^"]*)"')  # in HTML Glossator made: a site-absolute target
# what every site has at its root, beside the articles', flags' and tags' pages and static/'s files
FOLDERS = frozenset({"articles", "flags", "tags", "search", "graph", "assets"})
FILES = frozenset({"index.html", "feed.xml", "sitemap.xml", "404.html"})


def rooted_link_problems(root: Path, site: Site, base_url: str, static: set[str]) -> list[Problem]:
    """A warning for each site-absolute link to this site's pages or files (`static`: the paths of
    static/'s files in the output) in notes, summaries, retraction reasons and Markdown articles;
    none when base_url's path is `/`, where such links work."""
    base = urlsplit(base_url).path or "/"
    if base == "/":
        return []
    found: list[Problem] = []
    texts: dict[str, str | None] = {}  # each file read once, however many links it holds
    for article in site.articles:
        pieces = [(article.annotation_path, ann.loc.line, render_note(ann.note)) for ann in article.annotations]
        pieces += [(article.annotation_path or article.path, 1, render_note(text))
                   for text in (article.meta.summary, article.meta.retracted and article.meta.retracted.reason)]
        if article.kind == "md":
            pieces.append((article.path, 1, "".join(p[1] for block in article.flow.blocks for p in block if p[0] == "tag")))
        for file, line, made in pieces:
            for m in _ROOTED.finditer(made or ""):
                target = html.unescape(m.group(1))
                if names_the_site(target, static):
                    found.append(_said(root, file, line, target, article, base_url, texts))
    return found


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


def _said(root: Path, file: str, line: int, target: str, article: Article, base_url: str,
          texts: dict[str, str | None]) -> Problem:
    if file not in texts:
        try:
            texts[file] = (root / file).read_text("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n")
        except OSError:
            texts[file] = None
    at_line, col = _find(texts[file], line, target)
    origin = urlsplit(base_url)
    published = f"{origin.scheme}://{origin.netloc}{target}" if origin.netloc else target
    return Problem(file, at_line, col, f'the link "{target}" leaves out base_url\'s path ("{origin.path}"): published, it '
                   f'leads to {published}, outside the site (it works only under `glossator serve`); write it relative '
                   f'to the article\'s page: "{relative_form(target, article.slug)}"', "warning")


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
        at = text.find(spelled, start)
        if at >= 0:
            return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return from_line, 1
