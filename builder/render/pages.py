"""The article page and the passage lists of flag and tag pages, as view dicts."""
from __future__ import annotations

from ..markdown import render_note, safe_url
from ..model import Article
from ..read.text import clip
from .excerpts import excerpt_blocks, excerpts_only, windows
from .claimreview import claim_reviews, script_json
from .views import IN_LABEL, OUT_LABEL, SiteView
from .weave import Span, weave


def article_page(view: SiteView, article: Article) -> dict:
    anns = article.annotations
    numbers = {a.id: i + 1 for i, a in enumerate(anns)}
    labels = {}
    for a in anns:
        names = [d.label for d in view.flag_defs((article.slug, a.id))]
        labels[a.id] = f"Note {numbers[a.id]}" + (f": {', '.join(names)}" if names else "")
    spans = [Span(a.id, a.start, a.end, numbers[a.id], view.flags((article.slug, a.id)), labels[a.id]) for a in anns]
    lo, hi = article.body
    blocks = []
    excerpts = excerpts_only(article, view.config)
    shown = excerpt_blocks(article.flow, windows(article, view.config), article.body) if excerpts else clip(article.flow, lo, hi)
    for woven in weave(article.text, shown, spans):
        notes = [view.note(article, view.annotation[(article.slug, i)], numbers[i]) for i in woven.notes]
        blocks.append({"html": woven.html, "notes": notes})
    key = (article.slug, None)
    summary = []
    for flag, defn in view.config.flags.items():
        hits = [a for a in anns if flag in view.flags((article.slug, a.id))]
        if hits:
            summary.append({"flag": defn, "count": len(hits), "url": f"#{hits[0].id}",
                            "text": f"{len(hits)} {'passage' if len(hits) == 1 else 'passages'} flagged {defn.label.lower()}"})
    relations = []
    for kind in ("rebuts", "retracts", "supports", "see"):
        incoming = [r for a in anns for r in view.site.incoming.get((article.slug, a.id), ()) if r.kind == kind and r.source[0] != article.slug]
        if incoming:
            arts = {r.source[0] for r in incoming}
            relations.append({"kind": kind, "url": f"#{next(a.id for a in anns if any(r.target == (article.slug, a.id) for r in incoming))}",
                              "text": f"{IN_LABEL[kind].lower()} {len(incoming)} {'passage' if len(incoming) == 1 else 'passages'} in {len(arts)} other {'article' if len(arts) == 1 else 'articles'}"})
        outgoing = [r for a in anns for r in view.site.outgoing.get((article.slug, a.id), ()) if r.kind == kind and r.target[0] != article.slug]
        if outgoing and kind != "see":
            arts = {r.target[0] for r in outgoing}
            relations.append({"kind": kind, "url": f"#{outgoing[0].source[1]}",
                              "text": f"{OUT_LABEL[kind].lower()} {len(outgoing)} {'passage' if len(outgoing) == 1 else 'passages'} in {len(arts)} other {'article' if len(arts) == 1 else 'articles'}"})
    position = view.position[article.slug]
    newer = view.order[position - 1] if position > 0 else None
    older = view.order[position + 1] if position + 1 < len(view.order) else None
    retracted = article.meta.retracted
    notice = None
    if retracted and retracted.notice:
        n = retracted.notice
        notice = n.url if n.url else view.urls.article(n.slug, n.id)
    length = max(hi - lo, 1)
    return {
        "article": {
            **view.summary_row(article), "kind": article.kind, "source_url": article.meta.url if article.meta.url and safe_url(article.meta.url) else None,
            "path": article.path, "annotation_path": article.annotation_path or f"annotations/{article.slug}.yaml",
        },
        "blocks": blocks,
        "summary": summary,
        "relations": relations,
        "article_links": view.cross_links(key),
        "retraction": {"date": retracted.date, "reason_html": render_note(retracted.reason), "notice": notice} if retracted else None,
        "minimap": [{"id": a.id, "top": round(100 * (a.start - lo) / length, 1), "flags": view.flag_defs((article.slug, a.id)),
                     "label": labels[a.id]} for a in anns],
        "newer": view.summary_row(newer) if newer else None,
        "older": view.summary_row(older) if older else None,
        "jsonld": view.urls.article(article.slug) + "annotations.jsonld",
        "claim_reviews": [script_json(r) for r in claim_reviews(view, article)],
        "excerpts": excerpts,
    }


def passages_with(view: SiteView, keys) -> list[dict]:
    """The passages named by `keys` ((slug, id) pairs, in reading order, each once), quoted in
    context, grouped by article."""
    groups = []
    for slug, ann_id in keys:
        article = view.by_slug[slug]
        if not groups or groups[-1]["article"]["slug"] != slug:
            groups.append({"article": view.summary_row(article), "passages": []})
        groups[-1]["passages"].append(view.passage(article, view.annotation[(slug, ann_id)]))
    return groups
