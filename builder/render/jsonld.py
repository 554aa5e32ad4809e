"""An article's annotations as W3C Web Annotations (annotations.jsonld)."""
from __future__ import annotations

import orjson

from ..model import Article
from .views import SiteView


def jsonld(view: SiteView, article: Article) -> bytes:
    page = view.urls.absolute(f"articles/{article.slug}/")
    items = []
    for ann in article.annotations:
        key = (article.slug, ann.id)
        body = []
        if ann.note:
            body.append({"type": "TextualBody", "value": ann.note, "format": "text/markdown", "purpose": "commenting"})
        for flag in view.flags(key):
            body.append({"type": "TextualBody", "value": flag, "purpose": "classifying"})
        for tag in ann.tags:
            body.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
        for r in view.site.outgoing.get(key, ()):
            body.append({"type": "SpecificResource", "purpose": "linking", "source": view.urls.absolute(f"articles/{r.target[0]}/") + (f"#{r.target[1]}" if r.target[1] else ""), "value": r.kind})
        item = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": f"{page}#{ann.id}",
            "type": "Annotation",
            "motivation": "commenting" if ann.note else ("linking" if ann.relations else "classifying"),
            "body": body,
            "target": {
                "source": page,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": article.text[ann.start : ann.end],
                     "prefix": article.text[max(0, ann.start - 32) : ann.start], "suffix": article.text[ann.end : ann.end + 32]},
                    {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
                ],
            },
        }
        if ann.by:
            item["creator"] = {"type": "Person", "name": ann.by}
        if ann.date:
            item["created"] = ann.date.isoformat() + "T00:00:00Z"
        items.append(item)
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": view.urls.absolute(f"articles/{article.slug}/annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"Annotations of {article.title}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": view.urls.absolute(f"articles/{article.slug}/annotations.jsonld#page1"), "items": items},
    }
    # the same bytes as json.dumps(ensure_ascii=False, sort_keys=True, separators=(",", ":")), faster
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) + b"\n"
