"""Where pages live: links path-absolute under base_url's path; feeds use absolute URLs."""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner  # markupsafe 3: the function behind escape()
except ImportError:  # an older markupsafe: escape() as it is
    _escape_inner = None

from ..slugs import tag_slug
from ..weburl import for_attribute

_str_new = str.__new__
_SAFE = "/:@!$&'()*+,;=-._~%#"  # what a URL path may hold as it is: the rest (non-ASCII letters) is percent-encoded
_AS_IS = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=\-._~%#]*")  # what quote(…, safe=_SAFE) leaves as it is (_SAFE, letters, digits)


def _quoted(path: str) -> str:
    """quote(path, safe=_SAFE); most paths are returned as they are, known at once (urllib's quote is Python code)."""
    return path if _AS_IS.fullmatch(path) else quote(path, safe=_SAFE)


class Urls:
    """Where pages live. Links are path-absolute under base_url's path; feeds use absolute URLs."""

    __slots__ = ("base_url", "root", "origin")

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.root = quote(parts.path, safe=_SAFE) or "/"  # every link starts with it: `/lés/` as `/l%C3%A9s/`
        self.origin = f"{parts.scheme}://{_ascii_host(parts.netloc)}" if parts.scheme else ""  # "" for a bare path

    def page(self, path: str) -> str:
        return self.root + path

    def absolute(self, path: str) -> str:
        return self.origin + self.root + _quoted(path)

    def iri(self, path: str) -> str:
        """An absolute identifier for the W3C export, which must have one: the page's absolute URL, or,
        without a host in base_url, a tag: URI (RFC 4151) naming the same path (tools cannot fetch it,
        but it is stable, unique to the path, and valid)."""
        if self.origin:
            return self.absolute(path)
        return "tag:glossator,2026:" + _quoted(self.root + path)

    def article(self, slug: str, ann_id: str | None = None) -> str:
        return self.page(f"articles/{slug}/") + (f"#{ann_id}" if ann_id else "")

    def flag(self, name: str) -> str:
        return self.page(f"flags/{name}/")

    def tag(self, tag: str) -> str:
        return self.page(f"tags/{quote(tag_slug(tag), safe='')}/")


def _ascii_host(netloc: str) -> str:
    """A host as URLs in feeds and the sitemap must give it: `exämple.org` in IDNA (`xn--exmple-cua.org`)."""
    if netloc.isascii():
        return netloc
    try:
        return netloc.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can spell: left as written, an IRI
        return netloc


def href(url) -> Markup:
    """A URL from the user's files as a valid `href` value (templates' `href(url)`); `check` lets
    through only valid http(s) URLs, so nothing else needs doing."""
    if url.__class__ is str and _escape_inner is not None:  # (most: escape's result, without its Python-level calls)
        return _str_new(Markup, _escape_inner(for_attribute(url)))
    if hasattr(url, "__html__"):
        return Markup(for_attribute(str(url.__html__())))
    return escape(for_attribute(str(url)))
