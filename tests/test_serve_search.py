"""`serve` and the search index: built after the first build, refreshed in the background after a
save without delaying the reload of the page being written; a missing Pagefind is one warning."""
from __future__ import annotations

import gzip
import json
import threading

from builder import search
from tests.test_serve import edit, get, layer, serve, wait_until  # noqa: F401 (serve: a fixture)
from tests.test_serve import site_files as serve_files


def site_files() -> dict[str, str]:
    """test_serve's site, with the search index on (its default)."""
    return serve_files(**{"site.toml": 'title = "Serve test"\nbase_url = "https://example.org/sub/"\n'})


def indexed_text(server) -> str:
    folder = server.out / search.FOLDER / "fragment"
    return " ".join(json.loads(gzip.decompress(p.read_bytes())[len(search.SIGNATURE):])["content"]
                    for p in folder.iterdir())


def test_the_index_follows_saves_in_the_background(serve, monkeypatch):
    real = search.index
    slow = {"on": False}
    release = threading.Event()

    def slow_index(*args, **kwargs):  # a large site's index: it must not hold back the edited page
        if slow["on"]:
            release.wait(60)  # held until the edited page has been served
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "index", slow_index)
    server = serve(site_files())
    wait_until(lambda: server.search.runs >= 1, 30, "the first index")
    assert get(server, "search/pagefind/pagefind.js")[0] == 200
    assert "First note on article 5." in indexed_text(server)
    assert "search index built in" in " ".join(server.lines)
    slow["on"] = True
    edit(server.site / "annotations/a5.yaml", layer(5, note="A note about zebrafinches."))
    wait_until(lambda: "zebrafinches" in get(server, "articles/a5/")[1], 20, "the edited page, before the index")
    assert server.search.runs == 1  # the refreshed index is still held back
    release.set()
    wait_until(lambda: server.search.runs >= 2, 30, "the refreshed index")
    assert "zebrafinches" in indexed_text(server) and "First note on article 5." not in indexed_text(server)


def test_without_pagefind_serve_warns_once_and_serves_the_site(serve, monkeypatch):
    monkeypatch.setattr(search, "available", lambda: "the search index needs Pagefind, which is not installed")
    server = serve(site_files())
    wait_until(lambda: any("needs Pagefind" in line for line in server.lines), 10, "the warning")
    edit(server.site / "annotations/a5.yaml", layer(5, note="Another note."))
    wait_until(lambda: "Another note." in get(server, "articles/a5/")[1], 5, "the edited page")
    assert server.search.wait(10)
    warnings = [line for line in server.lines if "needs Pagefind" in line]
    assert warnings == ["site.toml:1:1: warning: the search index needs Pagefind, which is not installed: install it "
                        "with: pip install 'pagefind[bin]' (or set search = false in site.toml); "
                        "the site is served without it"]
    assert server.status()["state"] == "ok" and get(server, "articles/a1/")[0] == 200
