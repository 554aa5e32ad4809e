"""Linking: resolve references, know both ends of every relation, add the implied flags."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .errors import Problems, did_you_mean
from .model import Article, Reference, Relation, Site, SiteConfig

IMPLIED = {"rebuts": "rebuttal", "retracts": "retraction"}


def resolve(ref: Reference, ids: dict[str, set[str]], problems: Problems) -> bool:
    """True when the reference names an existing article or annotation; otherwise say why."""
    if ref.url:
        return True
    loc = ref.loc
    if ref.slug not in ids:
        problems.error(loc.file, loc.line, loc.col, f'unknown article "{ref.slug}"{did_you_mean(ref.slug, ids)}')
        return False
    if ref.id is not None and ref.id not in ids[ref.slug]:
        hint = did_you_mean(ref.id, ids[ref.slug])
        if not hint:
            elsewhere = sorted(slug for slug, known in ids.items() if ref.id in known)
            hint = f' (did you mean "{elsewhere[0]}#{ref.id}"?)' if elsewhere else ""
        problems.error(loc.file, loc.line, loc.col, f'no annotation with id "{ref.id}" in article "{ref.slug}"{hint}')
        return False
    return True


def reading_key(article: Article):
    """The site's reading order (index, feeds, previous/next): newest first, then by slug."""
    return (article.meta.published or dt.date.min, article.slug)


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=reading_key, reverse=True)


def ordered(flags, config: SiteConfig) -> tuple[str, ...]:
    order = {name: i for i, name in enumerate(config.flags)}
    return tuple(sorted(set(flags), key=lambda f: order.get(f, len(order))))


def link(root: str, config: SiteConfig, articles: list[Article], problems: Problems) -> Site:
    ids = {a.slug: set(a.declared_ids) | {ann.id for ann in a.annotations} for a in articles}
    anchored = {(a.slug, ann.id) for a in articles for ann in a.annotations}
    relations: list[Relation] = []
    flags: dict[tuple[str, str | None], set[str]] = {}
    for article in articles:
        flags[(article.slug, None)] = set(article.meta.flags)
        if article.meta.retracted:
            flags[(article.slug, None)].add("retraction")
            notice = article.meta.retracted.notice
            if notice:
                resolve(notice, ids, problems)
        for ann in article.annotations:
            flags.setdefault((article.slug, ann.id), set()).update(ann.flags)
    seen = set()
    for article in articles:
        for ann in article.annotations:
            for kind, ref in ann.relations:
                if ref.url or not resolve(ref, ids, problems):
                    continue
                source, target = (article.slug, ann.id), (ref.slug, ref.id)
                if ref.id is not None and target not in anchored:
                    continue  # its quote did not anchor, and that is reported already
                if source == target:
                    problems.error(ref.loc.file, ref.loc.line, ref.loc.col, f'an annotation cannot {kind.rstrip("s")} itself')
                    continue
                relation = Relation(kind, source, target)
                if relation in seen:
                    continue
                seen.add(relation)
                relations.append(relation)
                if kind in IMPLIED:
                    flags[source].add(IMPLIED[kind])
                    flags.setdefault(target, set()).add(IMPLIED[kind])
    flags_of = {key: ordered(value, config) for key, value in flags.items()}
    linked = [
        replace(a, annotations=tuple(sorted(a.annotations, key=lambda x: (x.start, -x.end, x.id)))) for a in articles
    ]
    into: dict = {}
    out_of: dict = {}
    for r in relations:
        into.setdefault(r.target, []).append(r)
        out_of.setdefault(r.source, []).append(r)
    return Site(root, config, tuple(linked), tuple(relations), flags_of,
                {k: tuple(v) for k, v in into.items()}, {k: tuple(v) for k, v in out_of.items()})
