"""schema.org ClaimReview for each passage with a verdict (SPEC 6), as JSON-LD for the article page.

The properties are those schema.org defines for ClaimReview, Rating and Claim, with what Google's
fact-check documentation requires (claimReviewed, reviewRating, url, author) and recommends
(itemReviewed with appearance, author and datePublished; datePublished). The claim's author and date are
left out: the article's authors may quote someone, whose claim may be older; they are the appearance's. tests/schemas holds the
JSON Schema the tests check them against.
"""
from __future__ import annotations

import json

from markupsafe import Markup

from ..model import Article
from ..weburl import as_uri
from .views import SiteView


def claim_reviews(view: SiteView, article: Article) -> list[dict]:
    scale = view.config.verdicts
    if not scale:
        return []
    best, worst = max(v.rating for v in scale.values()), 1  # 1 is the worst of every scale (SPEC 6), used or not
    # The claim's own author and date are not known: the article may quote someone else's claim, made earlier.
    # Its authors and date are the article's, where the claim appears (`appearance`), and are said there only.
    claim: dict = {"@type": "Claim"}
    if article.meta.url:
        appearance = {"@type": "CreativeWork", "url": as_uri(article.meta.url), "headline": article.title}
        if article.meta.authors:
            appearance["author"] = [{"@type": "Person", "name": name} for name in article.meta.authors]
        if article.meta.published:
            appearance["datePublished"] = article.meta.published.isoformat()
        if article.meta.publication:
            appearance["publisher"] = {"@type": "Organization", "name": article.meta.publication}
        claim["appearance"] = appearance
    out = []
    for ann in article.annotations:
        verdict = scale.get(ann.verdict) if ann.verdict else None
        if verdict is None or not ann.claim:
            continue
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": view.urls.absolute(f"articles/{article.slug}/#{ann.id}"),
            "claimReviewed": ann.claim,
            "author": {"@type": "Organization", "name": view.config.title, "url": view.urls.absolute("")},
            "reviewRating": {"@type": "Rating", "ratingValue": verdict.rating, "bestRating": best,
                             "worstRating": worst, "alternateName": verdict.label},
            "itemReviewed": claim,
        }
        if ann.date:
            review["datePublished"] = ann.date.isoformat()
        out.append(review)
    return out


def script_json(data: dict) -> Markup:
    """JSON safe inside <script>: no `<`, `>` or `&` that could end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
