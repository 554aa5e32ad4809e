"""Where the article of an annotation file with no article went: an article renamed (`git mv` or a plain `mv`,
`a.txt` to `b.md`) leaves its annotation file behind under the old slug. The article meant is the one, among those
with no annotation file of their own, in whose text its quotes stand. Read only when that error is reported."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..anchoring import normalise, norm_text, seen
from ..errors import Problems
from . import files
from .content import load_source


def _quotes(layer: Path) -> list[str]:
    """The quotes of an annotation file, as compared (an unreadable file, or one over the size limit: none; its own
    errors say why)."""
    data = files.read(layer, layer.name, Problems(), files.MAX_LAYER)
    try:
        doc = yaml.safe_load(data.decode("utf-8")) if data is not None else None
    except (UnicodeError, yaml.YAMLError, RecursionError):  # (a hostile file's nesting: its own errors say it)
        return []
    items = doc.get("annotations") if isinstance(doc, dict) else None
    quotes = [normalise(seen(a["quote"])).strip() for a in items or () if isinstance(a, dict) and isinstance(a.get("quote"), str)]
    return [q for q in quotes if len(q) >= 3]


def holders(site: Path, layer: Path, unpaired: dict[str, Path]) -> list[str]:
    """The slugs of the articles in `unpaired` (slug -> content file) in whose text most of the layer's quotes stand
    (at least half, and more than in any other): one when the rename is certain, several when copies of the text
    tie, none when no article holds them."""
    quotes = _quotes(layer)
    if not quotes or not unpaired:
        return []
    found: dict[str, int] = {}
    for slug, path in sorted(unpaired.items()):
        source = load_source(site, slug, path, Problems())
        if source is None:
            continue
        text = norm_text(seen(source.flow.text)).text
        found[slug] = sum(q in text for q in quotes)
    best = max(found.values(), default=0)
    if best == 0 or 2 * best < len(quotes):
        return []
    return [slug for slug, n in found.items() if n == best]
