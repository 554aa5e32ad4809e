"""Linking: resolve references, know both ends of every relation, add the implied flags, order the site.

Each rule is written once here and used by the build (`link`) and by serve's incremental
re-link (`relink`), which re-does only the articles that changed and those whose references
into them may have changed.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import replace
from functools import lru_cache

from .errors import Problems, did_you_mean
from .model import Article, Reference, Relation, Site, SiteConfig
from .slugs import tag_slug

IMPLIED = {"rebuts": "rebuttal", "retracts": "retraction"}

Key = tuple  # (slug, annotation id), or (slug, None) for the whole article


def reading_key(article: Article):
    """The site's reading order (index, feeds, previous/next): newest first, then by slug."""
    return (article.meta.published or dt.date.min, article.slug)


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=reading_key, reverse=True)


def ordered(flags, config: SiteConfig) -> tuple[str, ...]:
    """Flags in the order site.toml defines them (built-in ones first)."""
    return _ordered(frozenset(flags), tuple(config.flags))


@lru_cache(maxsize=4096)
def _ordered(flags: frozenset, order: tuple[str, ...]) -> tuple[str, ...]:
    """(memoised: a site has few sets of flags, and `link` orders one for every annotation)"""
    rank = {name: i for i, name in enumerate(order)}
    return tuple(sorted(flags, key=lambda f: rank.get(f, len(rank))))


def resolve(ref: Reference, ids: dict[str, dict[str, bool] | None], problems: Problems, here: str | None = None) -> bool:
    """True when the reference names an existing article or annotation; otherwise say why. An article
    whose files could not be read (`ids` None: that is said where it happens) is not looked into: its
    ids are unknown, and "unknown article" or "no annotation with id" would send its reader astray.
    `here`: the slug of the article the reference is written in."""
    if ref.url:
        return True
    loc = ref.loc
    if ref.slug not in ids:
        bare = ref.id is None  # `rebuts: allies`: perhaps an annotation's id, its "#" left out; not `rebuts: allies#claim`
        hint = (_id_as_slug(ref.slug, ids, here) if bare else "") or did_you_mean(ref.slug, ids) or (
            _id_as_slug(ref.slug, ids, here, close=True) if bare else _holding(ref.id, ids)) or _nearest(
            ref.slug, ids, "the articles")
        problems.error(loc.file, loc.line, loc.col, f'unknown article "{ref.slug}"{hint}')
        return False
    if ids[ref.slug] is None:
        return False
    if ref.id is not None and ref.id not in ids[ref.slug]:
        hint = did_you_mean(ref.id, ids[ref.slug])
        if not hint:
            elsewhere = sorted(slug for slug, known in ids.items() if known and ref.id in known)
            hint = f' (did you mean "{elsewhere[0]}#{ref.id}"?)' if elsewhere else _nearest(
                ref.id, [id_ for id_, own in ids[ref.slug].items() if own], f'the ids in "{ref.slug}"')
        problems.error(loc.file, loc.line, loc.col, f'no annotation with id "{ref.id}" in article "{ref.slug}"{hint}')
        return False
    if ref.id is not None and not ids[ref.slug][ref.id]:  # SPEC 3: an annotation referred to has an id of its own
        problems.error(loc.file, loc.line, loc.col, f'"{ref.id}" is the id derived from that annotation\'s quote, which '
                       f'changes when the quote does: give the annotation `id: {ref.id}` in annotations/{ref.slug}.yaml')
        return False
    return True


def _id_as_slug(name: str, ids: dict[str, dict[str, bool] | None], here: str | None, close: bool = False) -> str:
    """' (did you mean "#allies"? …)' for an unknown article's name that is an annotation's id (`rebuts: allies`,
    its "#" left out), in the article it is written in first, else in another; '' if none has it. `close`: the
    id, written in its file, spelt most nearly so (`rebuts: alies`), asked once no article's name is near."""
    if close:
        written = sorted({id_ for known in ids.values() if known for id_, own in known.items() if own})
        near = difflib.get_close_matches(name, written, n=1, cutoff=0.6)
        if not near:
            return ""
        name = near[0]
    if here is not None and name in (ids.get(here) or ()):
        return f' (did you mean "#{name}"? "#{name}" is an annotation of this article; "{name}" alone names an article)'
    elsewhere = sorted(slug for slug, known in ids.items() if known and name in known)
    return f' (did you mean "{elsewhere[0]}#{name}"?)' if elsewhere else ""


def _nearest(name: str, names, what: str, shown: int = 6) -> str:
    """' (the ids in "report", nearest first: a, b, and 3 more)' when no name is spelt nearly so: a reference
    to an id or article that was renamed or deleted still gets the nearest existing names (SPEC 5), those
    that share most of its words first (`jobs` for `garage-jobs-claim`), then those spelt most alike. Of
    many names, only those sharing a word are worth naming, and spelling is compared among a few hundred
    at most: a site of thousands of articles with many broken references still checks in moments."""
    words = set(_words(name))
    shared = {n: len(words & set(_words(n))) for n in set(names)}
    if len(shared) > 40:
        shared = {n: k for n, k in shared.items() if k}
    alike = difflib.SequenceMatcher(None, b=name)

    def spelt(n: str) -> float:
        alike.set_seq1(n)
        return alike.ratio() if len(shared) <= 200 else 0.0

    ranked = sorted(shared, key=lambda n: (-shared[n], -spelt(n), n))
    if not ranked:
        return ""
    more = f", and {len(ranked) - shown} more" if len(ranked) > shown else ""
    return f' ({what}, nearest first: {", ".join(ranked[:shown])}{more})'


def _words(name: str) -> list[str]:
    """The words of a slug or id that say something (`garage-jobs-claim`: garage, jobs, claim)."""
    return [w for w in re.split(r"[-_]+", name) if len(w) > 2 and w not in ("the", "and", "for")]


def _holding(id_: str, ids: dict[str, dict[str, bool] | None]) -> str:
    """' (did you mean "report#figures"?)' for `unknown-slug#figures`, where an article has that id written."""
    holding = sorted(slug for slug, known in ids.items() if known and known.get(id_))
    return f' (did you mean "{holding[0]}#{id_}"?)' if holding else ""


def known_ids(article: Article) -> dict[str, bool] | None:
    """Every id a reference may name in this article (declared ones, anchored or not), and whether it is
    written in the file (False: derived from the quote); None when its annotation file could not be read."""
    if article.unread:
        return None
    ids = dict.fromkeys(article.declared_ids, True)
    ids.update((ann.id, ann.explicit_id) for ann in article.annotations)
    return ids


def references(article: Article) -> set[str]:
    """The slugs this article's references name (resolved or not)."""
    relations = [r for ann in article.annotations for r in ann.relations] + list(article.loose_relations)
    slugs = {ref.slug for _, ref in relations if not ref.url and ref.slug}
    slugs.update(s.ref.slug for ann in article.annotations for s in ann.sources if s.ref is not None)
    notice = article.meta.retracted.notice if article.meta.retracted else None
    if notice is not None and not notice.url and notice.slug:
        slugs.add(notice.slug)
    return slugs


def article_relations(article: Article, ids: dict[str, dict[str, bool]], anchored: set, problems: Problems) -> list[Relation]:
    """One article's references resolved and its relations, in file order, each once."""
    notice = article.meta.retracted.notice if article.meta.retracted else None
    if notice:
        resolve(notice, ids, problems)
    for ann in article.annotations:  # a source that names a passage links to it, and nothing links back
        for source in ann.sources:
            if source.ref is not None:
                resolve(source.ref, ids, problems, article.slug)
    for _, ref in article.loose_relations:  # its passage is not found (reported), but its references are read
        if not ref.url:
            resolve(ref, ids, problems, article.slug)
    relations: list[Relation] = []
    seen = set()
    for ann in article.annotations:
        for kind, ref in ann.relations:
            if ref.url or not resolve(ref, ids, problems, article.slug):
                continue
            source, target = (article.slug, ann.id), (ref.slug, ref.id)
            if target == (article.slug, None):
                _own_article(kind, ref, ids[article.slug] or {}, problems)
            if ref.id is not None and target not in anchored:
                continue  # its quote did not anchor, and that is reported already
            if source == target:
                problems.error(ref.loc.file, ref.loc.line, ref.loc.col, f'an annotation cannot {kind.rstrip("s")} itself')
                continue
            relation = Relation(kind, source, target)
            if relation not in seen:
                seen.add(relation)
                relations.append(relation)
    return relations


def _own_article(kind: str, ref: Reference, own_ids: dict, problems: Problems) -> None:
    """A warning on a relation to the whole article it is written in, when it is likely a slip: its name is also an
    annotation's id here (`rebuts: allies` for "#allies"), or it is a `see` (a link from the page to itself). A passage
    that rebuts, retracts or supports its own article (a correction) is as meant."""
    loc = ref.loc
    if ref.slug in own_ids:
        problems.warning(loc.file, loc.line, loc.col, f'"{kind}: {ref.slug}" names this whole article, not the annotation '
                                                      f'"{ref.slug}" of it: write "#{ref.slug}" for the annotation')
    elif kind == "see":
        problems.warning(loc.file, loc.line, loc.col, f'"see: {ref.slug}" names the article it is written in: the page '
                                                      'would link to itself; write "#id" for one of its annotations')


def own_flags(article: Article) -> dict[str | None, set[str]]:
    """Annotation id (None for the article) -> the flags written on it, before relations add theirs."""
    own: dict[str | None, set[str]] = {None: set(article.meta.flags) | ({"retraction"} if article.meta.retracted else set())}
    for ann in article.annotations:
        own.setdefault(ann.id, set()).update(ann.flags)
    return own


def flags_with(own: set[str], relations) -> set[str]:
    """Both ends of a `rebuts` carry `rebuttal`, both ends of a `retracts` carry `retraction`."""
    return own | {IMPLIED[r.kind] for r in relations if r.kind in IMPLIED}


def _sorted_annotations(article: Article) -> Article:
    annotations = tuple(sorted(article.annotations, key=lambda x: (x.start, -x.end, x.id)))
    return article if annotations == article.annotations else replace(article, annotations=annotations)


def _both_ways(relations) -> tuple[dict, dict]:
    into: dict = {}
    out_of: dict = {}
    for r in relations:
        into.setdefault(r.target, []).append(r)
        out_of.setdefault(r.source, []).append(r)
    return {k: tuple(v) for k, v in into.items()}, {k: tuple(v) for k, v in out_of.items()}


def link(root: str, config: SiteConfig, articles: list[Article], problems: Problems, unread=()) -> Site:
    """The site of `articles`, relations resolved; `unread`: the slugs of articles whose content file
    could not be read (said), which references may name but not look into."""
    ids = dict.fromkeys(unread) | {a.slug: known_ids(a) for a in articles}
    anchored = {(a.slug, ann.id) for a in articles for ann in a.annotations}
    relations = [r for a in articles for r in article_relations(a, ids, anchored, problems)]
    incoming, outgoing = _both_ways(relations)
    flags_of = {}
    for article in articles:
        for ann_id, own in own_flags(article).items():
            key = (article.slug, ann_id)
            flags_of[key] = ordered(flags_with(own, incoming.get(key, ()) + outgoing.get(key, ())), config)
    linked = tuple(_sorted_annotations(a) for a in articles)
    return Site(root, config, linked, flags_of, incoming, outgoing, tuple(a.slug for a in newest_first(linked)))


def _keys(article: Article) -> set:
    return {(article.slug, None)} | {(article.slug, a.id) for a in article.annotations}


class _Lazy(dict):
    """slug -> value, computed when first asked for: relink touches a few articles of thousands."""

    def __init__(self, articles: dict[str, Article], make):
        super().__init__()
        self.articles, self.make = articles, make

    def __missing__(self, slug):
        if slug not in self.articles:
            raise KeyError(slug)
        value = self[slug] = self.make(self.articles[slug])
        return value

    def __contains__(self, slug) -> bool:
        return slug in self.articles

    def __iter__(self):
        return iter(self.articles)

    def items(self):
        return ((slug, self[slug]) for slug in self.articles)


class _Anchored:
    """(slug, id) in it when that annotation anchored, looked up lazily."""

    def __init__(self, ids: _Lazy):
        self.ids = ids

    def __contains__(self, key) -> bool:
        return key[0] in self.ids and key[1] in self.ids[key[0]]


def relink(site: Site, changed: dict[str, Article], problems: Problems) -> tuple[Site, set[str]] | None:
    """`link` again after the articles in `changed` (slug -> newly loaded article) were edited, reusing
    the rest of `site`; its cost grows with the edit, not with the site. Articles may not come or go.
    Returns the new site and the slugs whose passages' flags changed, or None when a reference does
    not resolve (a full `link` then reports every problem)."""
    position = {a.slug: i for i, a in enumerate(site.articles)}
    old = {slug: site.articles[position[slug]] for slug in changed}
    current = {a.slug: changed.get(a.slug, a) for a in site.articles}
    ids = _Lazy(current, known_ids)
    again = set(changed)
    for slug in changed:
        if ids[slug] != known_ids(old[slug]):  # references into it may no longer resolve
            again |= {r.source[0] for key in _keys(old[slug]) for r in site.incoming.get(key, ())}
            again |= {a.slug for a in site.articles if slug in references(a)}  # (a notice, a source, a lost passage's)
    found = Problems()
    anchored = _Anchored(_Lazy(current, lambda a: {ann.id for ann in a.annotations}))
    fresh = {slug: article_relations(current[slug], ids, anchored, found) for slug in again}
    if found.errors:
        return None
    problems.extend(found)
    stale = [r for slug in again for key in _keys(old.get(slug, current[slug])) for r in site.outgoing.get(key, ())]
    touched = {end for r in stale + [r for rs in fresh.values() for r in rs] for end in (r.source, r.target)}
    for slug in changed:
        touched |= _keys(old[slug]) | _keys(current[slug])
    incoming, outgoing = dict(site.incoming), dict(site.outgoing)
    fresh_in, fresh_out = _both_ways(r for rs in fresh.values() for r in rs)
    rank = {r: i for rs in fresh.values() for i, r in enumerate(rs)}
    for key in touched:
        pool = [((position[r.source[0]], i), r) for i, r in enumerate(site.incoming.get(key, ())) if r.source[0] not in fresh]
        pool += [((position[r.source[0]], rank[r]), r) for r in fresh_in.get(key, ())]
        _put(incoming, key, [r for _, r in sorted(pool, key=lambda p: p[0])])
        if key[0] in fresh:
            _put(outgoing, key, list(fresh_out.get(key, ())))
    flags_of = dict(site.flags_of)
    own = _Lazy(current, own_flags)
    for key in touched:
        slug, ann_id = key
        if ann_id not in own[slug]:
            flags_of.pop(key, None)
            continue
        flags_of[key] = ordered(flags_with(own[slug][ann_id], incoming.get(key, ()) + outgoing.get(key, ())), site.config)
    flagged = {key[0] for key in touched if flags_of.get(key) != site.flags_of.get(key)}
    articles = tuple(_sorted_annotations(changed[a.slug]) if a.slug in changed else a for a in site.articles)
    reading = site.order
    if any(reading_key(old[s]) != reading_key(changed[s]) for s in changed):
        reading = tuple(a.slug for a in newest_first(articles))
    return Site(site.root, site.config, articles, flags_of, incoming, outgoing, reading), flagged


def _put(index: dict, key, relations: list) -> None:
    if relations:
        index[key] = tuple(relations)
    else:
        index.pop(key, None)


def seen_back(site: Site, r: Relation) -> bool:
    """Whether `r` is a `see` whose target declares `see` back to its source: read either way, the two are
    one relation, shown once (a note's links, the claim graph's edges)."""
    return r.kind == "see" and any(o.kind == "see" and o.target == r.source for o in site.outgoing.get(r.target, ()))


def by_flag(site: Site) -> dict[str, list]:
    """Flag name -> the passages carrying it, in reading order."""
    found: dict[str, list] = {name: [] for name in site.config.flags}
    for article in site.in_order():
        for ann in article.annotations:
            key = (article.slug, ann.id)
            for flag in site.flags_of.get(key, ()):
                found.setdefault(flag, []).append(key)
    return found


def related(site: Site, only=None) -> dict[str, set[str]]:
    """Each article (or each of `only`) and the articles its relations reach, either way: what its
    pages show of others."""
    reach: dict[str, set[str]] = {}
    for article in site.articles:
        if only is not None and article.slug not in only:
            continue
        near = reach[article.slug] = {article.slug}
        for key in [(article.slug, None)] + [(article.slug, a.id) for a in article.annotations]:
            near.update(r.source[0] for r in site.incoming.get(key, ()))
            near.update(r.target[0] for r in site.outgoing.get(key, ()))
        near.update(s.ref.slug for a in article.annotations for s in a.sources if s.ref is not None)  # shown by its notes
    return reach


def by_tag(site: Site) -> dict[str, dict]:
    """Tag slug -> {"name": the page's name, "names": the tag as written, "slugs": articles using it,
    "keys": its passages in reading order}. Tags whose slugs coincide share one page, named by the
    spelling most passages use (`Los Zetas` on thirty, `LOS ZETAS` on one); a tie, by the first in
    code point order."""
    tags: dict[str, dict] = {}
    for article in site.in_order():
        slug = article.slug
        for ann in article.annotations:
            key = None
            for tag in ann.tags:
                entry = tags.get(page := tag_slug(tag))
                if entry is None:
                    entry = tags[page] = {"names": {}, "slugs": set(), "keys": []}
                entry["names"][tag] = entry["names"].get(tag, 0) + 1
                entry["slugs"].add(slug)
                keys = entry["keys"]
                if key is None:
                    key = (slug, ann.id)
                if not keys or keys[-1] != key:
                    keys.append(key)
    for entry in tags.values():
        uses = entry["names"]
        entry["name"] = min(uses, key=lambda name: (-uses[name], name))
        entry["names"] = sorted(uses)
    return tags
