"""`serve` and the search index: built after the first build, refreshed in the background after a
save without delaying the reload of the page being written; an index that cannot be written is one warning."""
from __future__ import annotations

import errno
import json
import re
import threading
import time

import pytest

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
    said = [line for line in server.lines if "search index built in" in line]
    assert said and re.search(r"built in (\d+ ms|\d+\.\d\d s)$", said[0]), said  # as the rebuild line says time
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


def test_an_open_search_page_reloads_when_the_index_changes_and_keeps_its_words(serve):
    """The search page reads the index once: a tab left open on it searched the old index after every save
    (a word just written: no result). It reloads once a changed index is in place, and the words typed
    are kept in its URL (?q=, read when it loads) by a script serve adds to that page alone."""
    import asyncio

    from livereload.handlers import LiveReloadHandler
    from tornado.websocket import websocket_connect

    server = serve(site_files())
    wait_until(lambda: server.search.runs >= 1 and server.search.wait(0), 30, "the first index")
    page = get(server, "search/")[1]
    assert '<script src="/__glossator/keep-query.js" defer></script>' in page
    assert "keep-query" not in get(server, "articles/a1/")[1]
    code, script, _ = get(server, "__glossator/keep-query.js")
    assert code == 200 and "replaceState" in script

    async def tab(url):
        ws = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
        await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        await asyncio.wait_for(ws.read_message(), 3)
        await ws.write_message(json.dumps({"command": "info", "plugins": {}, "url": url}))
        return ws

    async def scenario():
        searching = await tab(server.url + "search/?q=zebrafinches")
        end = time.monotonic() + 5
        while not any(getattr(w, "page_url", None) for w in LiveReloadHandler.waiters if getattr(w, "owner", None) is server):
            assert time.monotonic() < end, "the tab known"
            await asyncio.sleep(0.01)
        runs = server.search.runs
        edit(server.site / "annotations/a5.yaml", layer(5, note="A note about zebrafinches."))  # the search page is unchanged
        message = json.loads(await asyncio.wait_for(searching.read_message(), 20))
        assert message["command"] == "reload"
        assert server.search.runs > runs and "zebrafinches" in indexed_text(server)  # reloaded onto the new index
        server.search.wait(10)
        runs = server.search.runs
        edit(server.site / "annotations/a5.yaml", layer(5, note="A note about *zebrafinches*."))  # same words
        end = time.monotonic() + 20
        while server.search.runs == runs or not server.search.wait(0):
            assert time.monotonic() < end, "the index refreshed after the page changed"
            await asyncio.sleep(0.01)
        with pytest.raises(asyncio.TimeoutError):  # the same index: no reload
            await asyncio.wait_for(searching.read_message(), 0.5)
        searching.close()

    asyncio.run(scenario())


def test_search_turned_off_in_site_toml_no_longer_serves_the_old_index(serve):
    """With search = false the search page goes, and so does its index (it was still answered at
    /search/data/, with the text of every article as it was); turned on again, it is built again."""
    server = serve(site_files())
    wait_until(lambda: server.search.runs >= 1 and get(server, "search/data/meta.json")[0] == 200, 30, "the first index")
    edit(server.site / "site.toml", 'title = "Serve test"\nsearch = false\n')
    wait_until(lambda: get(server, "search/")[0] == 404, 10, "the search page gone")
    wait_until(lambda: get(server, "search/data/meta.json")[0] == 404, 10, "the index gone")
    edit(server.site / "site.toml", 'title = "Serve test"\nsearch = true\n')
    wait_until(lambda: get(server, "search/data/meta.json")[0] == 200, 30, "the index back")
    assert get(server, "search/")[0] == 200
