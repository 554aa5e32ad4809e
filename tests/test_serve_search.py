"""`serve` and the search index: built after the first build, refreshed in the background after a
save without delaying the reload of the page being written; an index that cannot be written is one warning."""
from __future__ import annotations

import errno
import json
import threading

from builder import search
from tests.test_serve import edit, get, layer, serve, wait_until  # noqa: F401 (serve: a fixture)
from tests.test_serve import site_files as serve_files


def site_files() -> dict[str, str]:
    """test_serve's site, with the search index on (its default)."""
    return serve_files(**{"site.toml": 'title = "Serve test"\nbase_url = "https://example.org/sub/"\n'})


def indexed_text(server) -> str:
    folder = server.out / search.FOLDER / "f"
    return " ".join(json.loads(p.read_text(encoding="utf-8"))["content"] for p in folder.iterdir())


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
    assert get(server, "search/data/meta.json")[0] == 200
    assert "First note on article 5." in indexed_text(server)
    assert "search index built in" in " ".join(server.lines)
    slow["on"] = True
    edit(server.site / "annotations/a5.yaml", layer(5, note="A note about zebrafinches."))
    wait_until(lambda: "zebrafinches" in get(server, "articles/a5/")[1], 20, "the edited page, before the index")
    assert server.search.runs == 1  # the refreshed index is still held back
    release.set()
    wait_until(lambda: server.search.runs >= 2, 30, "the refreshed index")
    assert "zebrafinches" in indexed_text(server) and "First note on article 5." not in indexed_text(server)


def test_an_index_that_cannot_be_written_is_one_warning_and_the_site_is_served(serve, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search, "index", full)
    server = serve(site_files())
    wait_until(lambda: any("search index" in line for line in server.lines), 10, "the warning")
    edit(server.site / "annotations/a5.yaml", layer(5, note="Another note."))
    wait_until(lambda: "Another note." in get(server, "articles/a5/")[1], 5, "the edited page")
    assert server.search.wait(10)
    warnings = [line for line in server.lines if "search index" in line]
    assert warnings == ["site.toml:1:1: warning: the search index could not be built: [Errno 28] No space left on "
                        "device; the site is served without it"]
    assert server.status()["state"] == "ok" and get(server, "articles/a1/")[0] == 200


def test_an_article_template_without_the_mark_is_said_once_and_the_site_served(serve):
    files = {**site_files(), "templates/article.html": '{% extends "base.html" %}\n{% block content %}<h1>{{ article.title }}</h1>{% endblock %}\n'}
    server = serve(files)
    wait_until(lambda: server.search.runs >= 1, 30, "the first index")
    said = [line for line in server.lines if "data-search-body" in line]
    assert len(said) == 1 and said[0].startswith("templates/article.html:1:1: warning: "), said
    assert get(server, "articles/a1/")[0] == 200
