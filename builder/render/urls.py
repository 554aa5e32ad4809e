"""Where pages live: links path-absolute under base_url's path; feeds use absolute URLs."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from ..read.layer import tag_slug


@dataclass
class Urls:
    """Where pages live. Links are path-absolute under base_url's path; feeds use absolute URLs."""

    base_url: str

    @cached_property
    def root(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def page(self, path: str) -> str:
        return self.root + path

    def absolute(self, path: str) -> str:
        parts = urlsplit(self.base_url)
        prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        return prefix + self.root + path

    def article(self, slug: str, ann_id: str | None = None) -> str:
        return self.page(f"articles/{slug}/") + (f"#{ann_id}" if ann_id else "")

    def flag(self, name: str) -> str:
        return self.page(f"flags/{name}/")

    def tag(self, tag: str) -> str:
        return self.page(f"tags/{tag_slug(tag)}/")
