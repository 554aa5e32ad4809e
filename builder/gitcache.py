"""Drift and provenance for a loaded site, remembered between builds.

What git says of an article depends only on the checked-out commit and the bytes of its two files:
the results (provenance, drift problems) are kept per article in SITE/.glossator-cache/history/,
with the parsed log of that commit, so a build after an edit asks git nothing about the articles
that did not change. Signed like the article cache; deleting it costs only time.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import parallel
from .cache import ArticleCache, digest
from .errors import Problems
from .history import Files, History, blob_id, refused, repo, shallow_boundary, shallow_gap, unread_gap
from .model import Site
from .provenance import SiteHistory, line_files, of_article
from .read.config import repo_url_warning


class HistoryCache(ArticleCache):
    """One signed entry: the commit, its parsed log, and each article's results."""

    NAME = "history"


def _key(files: Files, article, moved: dict[str, str]) -> str:
    """The files' names and bytes, and the names at HEAD of those renamed since (`History.moved`)."""
    ids = [blob_id(article.path.encode()), files.get(article.path)[0], blob_id(moved.get(article.path, "").encode())]
    if article.annotation_path:
        ids += [blob_id(article.annotation_path.encode()), files.get(article.annotation_path)[0],
                blob_id(moved.get(article.annotation_path, "").encode())]
    return digest(*[i.encode() for i in ids])


def _provenance_files(files: Files, history: History, articles) -> list[tuple[str, str, int]]:
    """(file, blob id, lines) of the files whose lines of_article reads (provenance.line_files; a file that
    cannot be read is left to of_article)."""
    found = []
    for article in articles:
        for rel in filter(None, line_files(article, history)):
            try:
                found.append((rel, *files.get(rel)))
            except OSError:
                pass
    return found


def probe(site: Path) -> tuple[str, str | None, object]:
    """The commit checked out ("" outside git), why git refuses to read the repository (when it is not read),
    and what git said of it (`history.repo`): what `with_history` asks git first, about the site alone (loading
    does it meanwhile)."""
    found = repo(site)
    commit = found.head if found else ""
    return commit, None if commit else refused(site), found


def with_history(site: Path, model: Site, problems: Problems, use_cache: bool = True, probed=None,
                 records: str | None = "read") -> Site:
    """The model with provenance, and drift reported as errors, when the site is in a git work tree (with a
    warning when a shallow clone leaves the history needed out). `probed`: what `probe` said, if asked.
    Outside git, drift from what the last build anchored against, where it kept a record (reanchor/record.py):
    `records` "read" (check), "write" (build, serve: a new record of what anchors cleanly) or None (--no-cache)."""
    commit, why, found = probed or probe(site)
    problems.items.extend(repo_url_warning(model.config, found.prefix if found else None))
    if not commit:
        from .anchorhints import correction_errors, occurrence_warnings

        if records is not None:
            from .reanchor.record import Records, recorded_drift

            recorded_drift(site, model.articles, problems, Records(site), records == "write")
        correction_errors(model.articles, problems)  # (in git, the history tells a corrected passage from one written so,
        occurrence_warnings(model.articles, problems)  # and a copy deleted from the one annotated)
        if why is not None:
            layers = sorted(a.annotation_path for a in model.articles if a.annotation_path)
            problems.warning(layers[0] if layers else "site.toml", 1, 1, why)
        return model
    store = HistoryCache(site) if use_cache else None
    boundary = shallow_boundary(site, found)  # a fetch that deepens a shallow clone keeps the commit, not the log
    entry = digest(commit.encode(), *sorted(b.encode() for b in boundary)) if store is not None else ""  # (the builder's code is in it too)
    saved = store.get("site", entry) if store is not None else None
    history = History.restore(site, saved["log"]) if saved else History.open(site, found)
    if history is None:
        return model
    if not history.read:  # (nothing of it is kept: asked again next time)
        problems.items.extend(unread_gap([a.annotation_path for a in model.articles if a.annotation_path]))
        return model
    before = saved["articles"] if saved else {}
    files = Files(site)  # (each file read once, for the keys, drift and provenance)
    kept, todo = {}, []
    for article in model.articles:
        try:
            key = _key(files, article, history.moved) if store is not None else ""
        except OSError:
            continue
        hit = before.get(article.slug)
        if hit is not None and hit[0] == key:
            kept[article.slug] = hit
        else:
            todo.append((article, key))
    problems.items.extend(shallow_gap(history, [a.annotation_path for a in model.articles if a.annotation_path], boundary))
    from .reanchor.changed import drift_work, report_drift  # here: a site outside git never loads them

    history.prepare(_provenance_files(files, history, [a for a, _ in todo]))  # (drift asks for some of them too)
    work = drift_work(site, [a for a, _ in todo], history, files)
    changed = list(work)
    unread = {path for path, (check, _, _) in work.items() if check.unread}
    problems.items.extend(unread_gap([check.layer_rel for check, _, _ in work.values() if check.unread]))

    def drift_of(i: int) -> list:
        """The drift of a changed article (in a worker: examining its text takes ~5 ms; what git said of it,
        read above in batched calls, shared)."""
        from .reanchor.site import examined

        found = Problems()
        report_drift(examined(*work[changed[i]]), found)
        return found.items

    drift = dict(zip(changed, parallel.share(drift_of, len(changed)), strict=True))
    for article, key in todo:  # (in this process: the results would take as long to send here as to make)
        notes, changes = of_article(site, article, history, files)
        kept[article.slug] = ("" if article.path in unread else key, notes, changes, drift.get(article.path, []))  # (asked again)
    notes, changes = {}, {}
    for slug, (_, n, c, drift) in kept.items():
        notes.update(n)
        if c:
            changes[slug] = c
        problems.items.extend(drift)
    if store is not None and (todo or not saved):
        store.put("site", entry, {"log": history.saved(), "articles": kept})
    return replace(model, history=SiteHistory(notes, changes))
