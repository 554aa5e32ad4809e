"""Search page data and the hooks an article page gives the index (SPEC 11): filters with direction words."""
from __future__ import annotations

import json

import orjson

from ..model import Article
from ..read.layer import tag_slug
from ..slugs import alphabetical
from .views import SiteView

def flag_words(view: SiteView, key: tuple[str, str | None]) -> list[tuple[str, str]]:
    """The flags of a passage (or of an article, id None) as pages show them, each with its flag's
    name: ("rebuttal", "Rebuts"), ("anonymous-source", "Anonymous sourcing")… (SiteView.words' rule)."""
    return [(w["name"], w["word"]) for w in view.words(key)]


def verdict_label(view: SiteView, ann) -> str | None:
    """The passage's verdict as its label on the site's scale; None without one."""
    defn = view.config.verdicts.get(ann.verdict) if ann.verdict else None
    return defn.label if defn else None


def search_hooks(view: SiteView, article: Article, tag_names: dict[str, str]) -> dict:
    """What the article's page gives the index: every filter value (each list sorted, without
    repeats); each passage's length in words ("id:n id:n …"), and each passage's own filter values
    (JSON: {id: {filter: [values]}}, the article's own flags included; under the id "", the flags of the
    article as a whole, which every word of it carries: "Rebutted" for an article another one rebuts),
    page metadata for search.js, which narrows an article's passages to those the chosen filters name; and its
    authors and publication (the byline), which the index holds as it holds the title."""
    slug = article.slug
    whole = {w["word"] for w in view.words((slug, None))}
    flags, tags, verdicts = set(whole), set(), set()
    each = {"": {"flag": sorted(whole)}} if whole else {}
    for ann in article.annotations:
        mine = {}  # only the filters it has a value for
        words = whole.union(w["word"] for w in view.words((slug, ann.id)))
        if words:
            mine["flag"] = sorted(words)
            flags.update(words)
        if ann.tags:
            mine["tag"] = sorted({tag_names[tag_slug(t)] for t in ann.tags}, key=alphabetical)
            tags.update(mine["tag"])
        verdict = verdict_label(view, ann)
        if verdict:
            mine["verdict"] = [verdict]
            verdicts.add(verdict)
        each[ann.id] = mine
    # how many words each passage spans from its first <mark>: where its search hits end
    passages = " ".join(f"{a.id}:{len(article.text[a.start:a.end].split())}" for a in article.annotations)
    # who wrote it and where it ran, found as its title is (heldout60: a Chinese byline, a publication, "@WestmoorNow")
    byline = " ".join([*article.meta.authors, *([article.meta.publication] if article.meta.publication else [])])
    return {"filters": {"flag": sorted(flags), "tag": sorted(tags, key=alphabetical), "verdict": sorted(verdicts)},
            "passages": passages, "passage_filters": compact_json(each) if each else "", "byline": byline}


def compact_json(data) -> str:
    """`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`, the same text, by orjson (5 times
    quicker); json's own where orjson refuses (a lone surrogate: reading YAML reports those, so this is a last guard)."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def search_page(view: SiteView, tags: dict) -> dict:
    """What the search page lists for readers without JavaScript: the flag and tag pages."""
    return {
        "flag_pages": [{"name": d.name, "label": d.label, "url": view.urls.flag(d.name), "flag": d} for d in view.config.flags.values()],
        "tag_pages": [{"name": entry["name"], "url": view.urls.page(f"tags/{slug}/")}
                      for slug, entry in sorted(tags.items())],
        "index_url": view.urls.page("search/data/"),
    }
