"""Pages of passages: flag and tag pages hold at most PER_PAGE passages, then `page/2/` and on."""
from __future__ import annotations

from .urls import Urls

PER_PAGE = 100  # passages on one flag or tag page (SPEC 9)
FEED_ENTRIES = 50  # entries an Atom feed keeps, the newest
WINDOW = 2  # page numbers shown on each side of the current one; the first and last are always shown


def page_path(folder: str, number: int) -> str:
    """`flags/x/index.html` for the first page, `flags/x/page/2/index.html` for the others."""
    return f"{folder}/index.html" if number == 1 else f"{folder}/page/{number}/index.html"


def chunks(keys: list, size: int = PER_PAGE) -> list[list]:
    """The keys cut into pages; an empty list still makes one (empty) page."""
    return [keys[i : i + size] for i in range(0, len(keys), size)] or [[]]


def pager(urls: Urls, folder: str, number: int, count: int) -> dict | None:
    """What _pager.html shows: previous, next and nearby page links; None for a single page."""
    if count <= 1:
        return None

    def url(n: int) -> str:
        return urls.page(page_path(folder, n)[: -len("index.html")])

    shown = sorted({1, count} | set(range(max(1, number - WINDOW), min(count, number + WINDOW) + 1)))
    pages, last = [], 0
    for n in shown:
        if n > last + 1:
            pages.append({"gap": True})
        pages.append({"gap": False, "number": n, "url": url(n), "current": n == number})
        last = n
    return {"number": number, "count": count, "pages": pages,
            "prev": url(number - 1) if number > 1 else None, "next": url(number + 1) if number < count else None}
