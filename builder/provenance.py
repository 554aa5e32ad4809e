"""Provenance from git (SPEC 9): when each annotation was first written and last changed, and by
whom, from the history of its own lines; and the changes to each article's annotations and text,
with the passages they touched. Without git there is none, and nothing fails."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .history import UNCOMMITTED, Commit, Files, History
from .model import Article


@dataclass(frozen=True, slots=True)
class Stamp:
    """One commit as a note or a change list shows it."""

    sha: str  # the full commit id
    short: str  # its first 7 characters
    date: object  # the author date (datetime.date, UTC)
    iso: str  # that date as YYYY-MM-DD, for <time datetime>
    long: str  # that date as a reader reads it: "20 November 2026"
    author: str  # the author's name
    message: str  # the first line of the commit message


@dataclass(frozen=True, slots=True)
class NoteHistory:
    """An annotation's first and last commit (the same one when it never changed)."""

    first: Stamp
    last: Stamp
    changed: bool  # whether a later commit changed its lines


@dataclass(frozen=True, slots=True)
class Change:
    """A commit that changed an article's annotation file or text, newest first on the page."""

    stamp: Stamp
    annotations: bool  # it changed the annotation file
    text: bool  # it changed the article's text
    passages: tuple[str, ...]  # ids of the annotations whose lines (or passages' text lines) it last touched


@dataclass(frozen=True, slots=True)
class SiteHistory:
    """Provenance of a whole site, looked up by the renderer."""

    notes: dict = field(default_factory=dict)  # (slug, id) -> NoteHistory
    changes: dict = field(default_factory=dict)  # slug -> tuple[Change, ...]


_STAMPS: dict[str, Stamp] = {}


def _stamp(c: Commit) -> Stamp:
    """The stamp of a commit, made once (many notes share a commit)."""
    if c.sha not in _STAMPS:
        d = c.date
        _STAMPS[c.sha] = Stamp(c.sha, c.sha[:7], d, d.isoformat(), f"{d.day} {d.strftime('%B')} {d.year}", c.author, c.message)
    return _STAMPS[c.sha]


def _lines(per_line: list[str], first: int, last: int) -> set[str]:
    """The commits of lines first to last (1-based, those the file has), but UNCOMMITTED."""
    found = set(per_line[max(first, 1) - 1 : max(last, 0)])  # (lines past the end are not in the slice)
    found.discard(UNCOMMITTED)
    return found


def line_files(article: Article, history: History) -> tuple[str | None, str | None]:
    """The files whose lines `of_article` reads (None: not read): the annotation file of an annotated article,
    and its text where git has history for it."""
    if not article.annotations:
        return None, None
    return article.annotation_path, (article.path if history.touched.get(article.path) else None)


def of_article(site: Path, article: Article, history: History, files: Files | None = None) -> tuple[dict, tuple[Change, ...]]:
    """({(slug, id): NoteHistory}, changes newest first) of one article. `files`: its files, where the caller
    has read them already."""
    files = files or Files(site)
    notes: dict = {}
    touched_by: dict[str, set[str]] = {}
    commits = history.commits
    layer_rel, text_rel = line_files(article, history)
    if layer_rel:
        per_line = history.lines_of(layer_rel, *files.get(layer_rel))
        for ann in article.annotations:
            shas = _lines(per_line, ann.loc.line, max(ann.last_line, ann.loc.line))
            known = [commits[s] for s in shas if s in commits]
            if len(known) > 1:
                known.sort(key=lambda c: (c.time, -history.order.get(c.sha, 0)))
            if known:
                notes[(article.slug, ann.id)] = NoteHistory(_stamp(known[0]), _stamp(known[-1]), len(known) > 1)
            for s in shas:
                touched_by.setdefault(s, set()).add(ann.id)
    text_shas = history.touched.get(article.path, [])
    if text_rel:
        per_line = history.lines_of(text_rel, *files.get(text_rel))
        for ann in article.annotations:
            first, last = article.flow.line_at(ann.start), article.flow.line_at(max(ann.end - 1, ann.start))
            for s in _lines(per_line, first, last):
                touched_by.setdefault(s, set()).add(ann.id)
    layer_shas = set(history.touched.get(article.annotation_path or "", []))
    order = [a.id for a in article.annotations]
    changes = []
    for sha in sorted(layer_shas | set(text_shas), key=lambda s: (-commits[s].time, history.order.get(s, 0))):
        ids = touched_by.get(sha, set())
        changes.append(Change(_stamp(commits[sha]), sha in layer_shas, sha in text_shas,
                              tuple(i for i in order if i in ids)))
    return notes, tuple(changes)


def of_site(site: Path, articles, history: History | None, previous: SiteHistory | None = None,
            only: set[str] | None = None) -> SiteHistory | None:
    """The provenance of every article (or, given `previous`, of the articles in `only`, the rest kept
    from it), or None without git."""
    if history is None:
        return None
    notes, changes = {}, {}
    if previous is not None and only is not None:
        notes = {k: v for k, v in previous.notes.items() if k[0] not in only}
        changes = {k: v for k, v in previous.changes.items() if k not in only}
        articles = [a for a in articles if a.slug in only]
    for article in articles:
        n, c = of_article(site, article, history)
        notes.update(n)
        if c:
            changes[article.slug] = c
    return SiteHistory(notes, changes)
