"""Slugs: the one rule for names in URLs and files (article slugs, ids, flag names), and how to make them."""
from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")  # lowercase ASCII letters, digits, "-" and "_", starting with a letter or digit


def is_slug(text: str) -> bool:
    return SLUG.match(text) is not None


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def propose_slug(stem: str) -> str:
    """A slug to propose for a file whose stem is not one."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", _ascii_lower(stem)).strip("-_")
    return slug or "article"


def tag_slug(tag: str) -> str:
    """A tag's page name: `Los Zetas` and `los-zetas` share `los-zetas`."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii_lower(tag)).strip("-")


def derive_id(quote: str, taken: set[str]) -> str:
    """A readable id from the quote's first words: stable while the quote is unchanged."""
    words = re.findall(r"[a-z0-9]+", _ascii_lower(quote))
    base = "-".join(words[:6])[:40].strip("-") or "passage"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
