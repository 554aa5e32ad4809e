"""An article's annotations as W3C Web Annotations (annotations.jsonld).

Every annotation meets the MUSTs of the W3C Web Annotation Data Model (tests/w3c runs the W3C's
own assertions). A relation is a `linking` body: a SpecificResource whose `source` is the other
end; its kind (rebuts, retracts, supports, see, and cites for each of the note's `sources`) is said by
`relation`, a term of our own context (RELATION_CONTEXT), since the model has no term for it and a
SpecificResource may not carry `value`.
"""
from __future__ import annotations

import orjson

from ..model import Annotation, Article
from ..excerpts import window_of
from ..markdown import safe_url
from ..weburl import as_uri
from .views import SiteView

ANNO = "http://www.w3.org/ns/anno.jsonld"
NS = "https://glossator.invalid/ns#"  # not dereferenceable: names our terms, as the schema's $id does
RELATION_CONTEXT = {"glossator": NS, "relation": {"@id": "glossator:relation", "@type": "@vocab"},
                    "rebuts": "glossator:rebuts", "retracts": "glossator:retracts",
                    "supports": "glossator:supports", "see": "glossator:see", "cites": "glossator:cites"}
CONTEXT = [ANNO, RELATION_CONTEXT]
AROUND = 32  # characters of prefix and suffix in a TextQuoteSelector


def _relations(view: SiteView, key, ann: Annotation) -> list[dict]:
    """One linking body per relation this annotation declares, in the order written, then one per source."""
    out = []
    for r in view.site.outgoing.get(key, ()):
        slug, target = r.target
        out.append((r.kind, view.urls.iri(f"articles/{slug}/") + (f"#{target}" if target else "")))
    out += [(kind, as_uri(ref.url)) for kind, ref in ann.relations if ref.url]
    for source in ann.sources:  # what backs the note: a URL (one a page would link), or a passage or article here
        if source.ref is not None:
            out.append(("cites", view.urls.iri(f"articles/{source.ref.slug}/") + (f"#{source.ref.id}" if source.ref.id else "")))
        elif safe_url(source.url):
            out.append(("cites", as_uri(source.url)))
    return [{"type": "SpecificResource", "purpose": "linking", "source": source, "relation": kind}
            for kind, source in out]


def quote_selector(view: SiteView, article: Article, ann: Annotation) -> dict:
    """The passage's TextQuoteSelector; prefix and suffix never leave the published text."""
    lo, hi = window_of(article, view.config, ann.start, ann.end)
    text = article.text
    selector = {"type": "TextQuoteSelector", "exact": text[ann.start : ann.end]}
    prefix, suffix = text[max(lo, ann.start - AROUND) : ann.start], text[ann.end : min(hi, ann.end + AROUND)]
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return selector


def _motivation(ann: Annotation, links: list, flagged: bool) -> str:
    """Why the annotation was made, by what it says first: a note comments, a relation links, flags
    classify, a verdict alone assesses (the model's `assessing`)."""
    if ann.note:
        return "commenting"
    if links:
        return "linking"
    return "assessing" if ann.verdict and not flagged else "classifying"


def annotation(view: SiteView, article: Article, ann: Annotation, page: str, original: str | None) -> dict:
    """One Web Annotation; `page`: the article page's IRI, `original`: the original's URI (article.url), or None."""
    key = (article.slug, ann.id)
    body = []
    if ann.note:
        body.append({"type": "TextualBody", "value": ann.note, "format": "text/markdown", "purpose": "commenting"})
    flagged = False
    for flag in view.flags(key):
        flagged = True
        body.append({"type": "TextualBody", "value": flag, "purpose": "classifying"})
    if ann.verdict:
        body.append({"type": "TextualBody", "value": ann.verdict, "purpose": "assessing"})
    for tag in ann.tags:
        body.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    links = _relations(view, key, ann)
    body += links
    quote = quote_selector(view, article, ann)
    targets = [{"source": page, "selector": [quote, {"type": "TextPositionSelector", "start": ann.start, "end": ann.end}]}]
    if original is not None:  # the original, for clients such as Hypothesis: a quote alone, positions are ours
        targets.append({"source": original, "selector": quote})
    item = {
        "@context": CONTEXT,
        "id": f"{page}#{ann.id}",
        "type": "Annotation",
        "motivation": _motivation(ann, links, flagged),
        "target": targets if len(targets) > 1 else targets[0],
    }
    if body:  # never an empty list: an annotation says something, but say nothing rather than []
        item["body"] = body
    if ann.by:
        item["creator"] = {"type": "Person", "name": ann.by}
    if ann.date:
        item["created"] = ann.date.isoformat() + "T00:00:00Z"
    return item


def jsonld(view: SiteView, article: Article) -> bytes:
    page = view.urls.iri(f"articles/{article.slug}/")
    original = as_uri(article.meta.url.split("#")[0]) if article.meta.url else None
    items = [annotation(view, article, ann, page, original) for ann in article.annotations]
    doc = {
        "@context": CONTEXT,
        "id": view.urls.iri(f"articles/{article.slug}/annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"Annotations of {article.title}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": view.urls.iri(f"articles/{article.slug}/annotations.jsonld#page1"), "items": items},
    }
    # the same bytes as json.dumps(ensure_ascii=False, sort_keys=True, separators=(",", ":")), faster
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) + b"\n"
