"""`glossator serve`: a live preview that rebuilds what changed and survives bad saves.

The server runs on a free loopback port in a thread (or, for Ctrl-C, a subprocess); the tests edit,
break and fix files and look at the pages served over HTTP. Every wait polls with a timeout.
"""
from __future__ import annotations

import asyncio
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from builder.read.load import load_site
from builder.render import render_site
from builder.serve.engine import Preview
from builder.serve.server import PreviewServer
from builder.serve.overlay import decorate

SLUGS = [f"a{i}" for i in range(1, 9)]


def article(i: int) -> str:
    return f"Article number {i}\n\nThe council met on day {i} and approved the budget {i} in full.\n\nA second paragraph {i}.\n"


def layer(i: int, note: str | None = None, extra: str = "") -> str:
    tag = "budget" if i % 2 else "council"
    return (
        "article:\n"
        f"  published: 2024-01-{i:02d}\n"
        "annotations:\n"
        f"  - id: claim-{i}\n"
        f'    quote: "approved the budget {i}"\n'
        f"    flags: [{'anonymous-source' if i % 3 == 0 else 'rebuttal'}]\n"
        f"    tags: [{tag}]\n"
        f"    note: {note or f'First note on article {i}.'}\n" + extra
    )


def site_files(**overrides) -> dict[str, str]:
    files = {"site.toml": 'title = "Serve test"\nbase_url = "https://example.org/sub/"\nsearch = false  # the index has tests of its own (test_serve_search.py)\n'}
    for i, slug in enumerate(SLUGS, 1):
        files[f"content/{slug}.txt"] = article(i)
        files[f"annotations/{slug}.yaml"] = layer(i)
    files.update(overrides)
    return files


def get(server: PreviewServer, path: str = "") -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=5) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8"), dict(e.headers)


def wait_until(condition, timeout: float = 4.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def page_with(server: PreviewServer, path: str, text: str) -> str | None:
    page = get(server, path)[1]
    return page if text in page else None


def settled(server: PreviewServer, after: int) -> bool:
    s = server.status()
    return s["generation"] > after and not s["busy"]


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def serve(tmp_path, make_site):
    """serve(files) -> a running server on a free port; stopped at the end of the test."""
    servers = []

    def start(files: dict, site: Path | None = None) -> PreviewServer:
        site = make_site(site or tmp_path / "site", files)
        lines: list[str] = []
        server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: lines.append(m))
        server.lines = lines
        servers.append(server)
        server.start()
        wait_until(lambda: server.status()["generation"] >= 1 and not server.status()["busy"], 10, "the first build")
        return server

    yield start
    for server in servers:
        server.stop()


# ---------------------------------------------------------------------- serving


def test_serves_at_root_whatever_base_url_with_the_reload_script(serve):
    server = serve(site_files())
    assert server.status()["state"] == "ok"
    code, page, headers = get(server, "articles/a3/")
    assert code == 200 and headers["Content-Type"].startswith("text/html")
    assert 'href="/articles/a2/"' in page or 'href="/articles/a4/"' in page  # served at /, not /sub/
    assert "/sub/" not in page
    # livereload's script as an external file (the CSP forbids inline script), before </head>, told where
    # its websocket is (the page's own host and serve's port)
    script = f'<script src="/__glossator/livereload.js?host=127.0.0.1&amp;port={server.port}"></script>'
    assert page.count(script) == 1
    assert page.index(script) < page.lower().index("</head>")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "no inline script may be injected"
    code, js, headers = get(server, "__glossator/livereload.js")
    assert code == 200 and "LiveReload" in js
    assert get(server, "articles/a3")[0] == 200  # redirected to the folder
    code, page, _ = get(server, "no/such/page/")
    assert code == 404 and "Not found" in page
    assert get(server, "feed.xml")[1].startswith("<?xml")
    assert get(server, "../site.toml")[0] == 404
    # the served folder is serve's own, never the site's _site
    assert not (Path(server.site) / "_site").exists() and server.out.is_dir()


def test_annotation_edit_shows_at_once_and_rerenders_only_affected_pages(serve):
    server = serve(site_files())
    total = server.status()["pages"]
    gen = server.status()["generation"]
    edit(server.site / "annotations/a5.yaml", layer(5, note="A revised note, version two."))
    wait_until(lambda: "A revised note, version two." in get(server, "articles/a5/")[1], what="the new note")
    wait_until(lambda: settled(server, gen), what="the rebuild")
    last = server.status()["last"]
    rendered = set(last["rendered"])
    assert last["ok"] and last["kind"] == "articles"
    assert last["first"] == ["articles/a5/annotations.jsonld", "articles/a5/index.html"]
    # its own page, its neighbours (newer, older), the lists it appears on, the site-wide pages
    assert {"articles/a5/index.html", "articles/a4/index.html", "articles/a6/index.html", "index.html",
            "feed.xml", "flags/rebuttal/index.html", "tags/budget/index.html"} <= rendered
    # and nothing else
    assert not rendered & {"articles/a1/index.html", "articles/a8/index.html", "tags/council/index.html",
                           "flags/anonymous-source/index.html"}
    assert len(rendered) < total / 2 and last["rendered_count"] == len(rendered)
    assert any(re.search(r"rebuilt \d+ pages in \d+ ms", line) for line in server.lines)
    assert "A revised note, version two." in get(server, "flags/rebuttal/")[1]
    assert "A revised note, version two." in get(server, "tags/budget/")[1]


def test_broken_save_shows_the_errors_over_the_last_good_page_then_recovers(serve):
    server = serve(site_files())
    path = server.site / "annotations/a2.yaml"
    good = get(server, "articles/a2/")[1]
    assert "glossator-problems" not in good
    # a YAML syntax error, then an annotation whose quote is not in the article
    edit(path, layer(2).replace("  - id: claim-2\n", "  - id: claim-2\n   bad-indent: [\n"))
    page = wait_until(lambda: page_with(server, "articles/a2/", "glossator-problems"), what="the panel")
    assert re.search(r"<code>annotations/a2\.yaml:\d+:\d+: error: [^<]+</code>", page)
    assert "First note on article 2." in page  # the last good page, underneath
    assert 'href="/__glossator/overlay.css"' in page
    assert "glossator-problems" in get(server, "articles/a7/")[1]  # on every page
    assert "glossator-problems" in get(server, "")[1]
    assert server.status()["state"] == "broken"
    assert any(re.match(r"annotations/a2\.yaml:\d+:\d+: error: ", line) for line in server.lines)

    gen = server.status()["generation"]
    edit(path, layer(2).replace('"approved the budget 2"', '"approved the budget 22"'))
    wait_until(lambda: settled(server, gen), what="the second broken save")
    page = get(server, "articles/a2/")[1]
    assert re.search(r"annotations/a2\.yaml:5:\d+: error: [^<]*approved the budget 22", page), page[:2000]
    assert "First note on article 2." in page

    edit(path, layer(2, note="Fixed and improved."))
    page = wait_until(lambda: page_with(server, "articles/a2/", "Fixed and improved."), what="the fix")
    wait_until(lambda: "glossator-problems" not in get(server, "articles/a7/")[1], what="the panel to go")
    assert "glossator-problems" not in page
    assert server.status()["state"] == "ok"


def test_server_stays_alive_on_bad_input(serve, tmp_path):
    server = serve(site_files())
    site = server.site
    bad = {
        "annotations/a1.yaml": b"\xff\xfe not utf-8",
        "content/a3.txt": b"\xff\xfe not utf-8",
        "annotations/a4.yaml": layer(4, extra="    rebuts: no-such-article#nothing\n").encode(),
        "site.toml": b"title = [unclosed\n",
        "content/Bad Name.txt": b"text",
        "annotations/orphan.yaml": b"annotations: []\n",
    }
    for rel, data in bad.items():
        gen = server.status()["generation"]
        (site / rel).write_bytes(data)
        wait_until(lambda: settled(server, gen), what=f"the rebuild after {rel}")
        code, page, _ = get(server, "articles/a2/")
        assert code == 200 and "glossator-problems" in page and "First note on article 2." in page
    problems = "\n".join(server.status()["problems"])
    assert "site.toml:1:" in problems
    # folders vanish and come back
    gen = server.status()["generation"]
    os.rename(site / "annotations", tmp_path / "moved-away")
    wait_until(lambda: settled(server, gen), what="the rebuild after removing annotations/")
    assert get(server, "")[0] == 200
    os.rename(tmp_path / "moved-away", site / "annotations")
    # recover: every file good again
    for rel in bad:
        (site / rel).unlink(missing_ok=True)
    for rel, text in site_files().items():
        edit(site / rel, text)
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="recovery")
    code, page, _ = get(server, "articles/a1/")
    assert code == 200 and "glossator-problems" not in page and "First note on article 1." in page


def test_template_change_rebuilds_everything_and_template_errors_are_located(serve):
    custom = '{% extends "base.html" %}\n{% block content %}<h1>Lost, version {{ 1 }}</h1>{% endblock %}\n'
    server = serve(site_files(**{"templates/404.html": custom}))
    total = server.status()["pages"]
    assert "Lost, version 1" in get(server, "nowhere")[1]
    gen = server.status()["generation"]
    edit(server.site / "templates/404.html", custom.replace("{{ 1 }}", "{{ 2 }}"))
    wait_until(lambda: settled(server, gen), what="the rebuild")
    last = server.status()["last"]
    assert last["kind"] == "templates" and len(set(last["rendered"])) == total
    assert "Lost, version 2" in get(server, "nowhere")[1]

    edit(server.site / "templates/404.html", "{% extends \"base.html\" %}\n\n{% block content %}{{ }}{% endblock %}\n")
    page = wait_until(lambda: page_with(server, "articles/a1/", "glossator-problems"), what="the panel")
    assert re.search(r"templates/404\.html:3:\d+: error: template error", page)
    edit(server.site / "templates/404.html", custom.replace("{{ 1 }}", "{{ 3 }}"))
    wait_until(lambda: "Lost, version 3" in get(server, "nowhere")[1], what="the fix")
    assert "glossator-problems" not in get(server, "articles/a1/")[1]


def test_site_toml_change_rebuilds_everything(serve):
    server = serve(site_files())
    gen = server.status()["generation"]
    edit(server.site / "site.toml", 'title = "A new title"\n')
    wait_until(lambda: settled(server, gen), what="the rebuild")
    last = server.status()
    assert last["last"]["kind"] == "config" and last["last"]["ok"]
    assert last["last"]["rendered_count"] == last["pages"]  # every page, not only those of one article
    for page in ["", "articles/a1/", "articles/a8/", "flags/rebuttal/", "tags/budget/"]:
        assert "A new title" in get(server, page)[1], page


def test_articles_come_and_go(serve):
    server = serve(site_files())
    site = server.site
    edit(site / "content/z9.md", "---\ntitle: A brand new article\n---\nSome *new* text.\n")
    wait_until(lambda: get(server, "articles/z9/")[0] == 200, what="the new page")
    wait_until(lambda: "A brand new article" in get(server, "")[1], what="the index to list it")
    (site / "annotations/a8.yaml").unlink()
    (site / "content/a8.txt").unlink()
    wait_until(lambda: get(server, "articles/a8/")[0] == 404, what="the page to go")
    wait_until(lambda: "Article number 8" not in get(server, "")[1], what="the index to forget it")
    assert server.status()["state"] == "ok"


def test_quick_saves_coalesce_into_one_rebuild(serve):
    server = serve(site_files())
    gen = server.status()["generation"]
    path = server.site / "annotations/a6.yaml"
    texts = [layer(6, note=f"Save number {n}.") for n in range(5)]
    started = time.monotonic()
    for text in texts:  # five saves within a few milliseconds
        edit(path, text)
    spread = time.monotonic() - started
    wait_until(lambda: "Save number 4." in get(server, "articles/a6/")[1], what="the last save")
    wait_until(lambda: settled(server, gen), what="the rebuild")
    time.sleep(0.2)  # room for a second rebuild, if one were (wrongly) coming
    rebuilds = server.status()["generation"] - gen
    # one rebuild; on a machine loaded enough that the saves (or the watcher's thread) were held up past serve's
    # 50 ms of quiet, the saves after the pause make a second one (a clean-clone CI run saw it once): never one a save
    assert rebuilds == 1 or (rebuilds == 2 and (spread > 0.02 or os.getloadavg()[0] > 1)), (rebuilds, spread)


def test_head_gives_the_headers_get_gives(serve):
    """HEAD answered with the Etag of an empty body (tornado's, of what it wrote): not the page's."""
    server = serve(site_files(**{"static/extra.css": "body{color:red}\n"}))
    for path in ("", "articles/a1/", "extra.css"):
        heads = []
        for method in ("GET", "HEAD"):
            with urllib.request.urlopen(urllib.request.Request(server.url + path, method=method), timeout=5) as r:
                heads.append((r.status, r.headers["Etag"], r.headers["Content-Length"], r.headers["Content-Type"]))
        assert heads[0] == heads[1], path


def test_static_files_are_copied(serve):
    server = serve(site_files(**{"static/extra.css": "body{color:red}\n"}))
    assert get(server, "extra.css")[1] == "body{color:red}\n"
    gen = server.status()["generation"]
    edit(server.site / "static/extra.css", "body{color:blue}\n")
    wait_until(lambda: get(server, "extra.css")[1] == "body{color:blue}\n", what="the new file")
    wait_until(lambda: settled(server, gen), what="the rebuild")
    assert server.status()["last"]["kind"] == "static" and server.status()["last"]["rendered"] == []
    assert server.lines[-1].startswith("copied 1 static file(s)"), server.lines[-1]
    gen = server.status()["generation"]
    (server.site / "static/extra.css").unlink()  # deleted: said so, not "copied"
    wait_until(lambda: get(server, "extra.css")[0] == 404, what="the file gone")
    wait_until(lambda: settled(server, gen), what="the rebuild")
    assert server.lines[-1].startswith("removed 1"), server.lines[-1]


def test_open_tabs_are_told_to_reload_only_when_their_page_changed(serve):
    from livereload.handlers import LiveReloadHandler
    from tornado.websocket import websocket_connect

    server = serve(site_files())
    base = f"ws://127.0.0.1:{server.port}/livereload"

    async def tab(url):
        ws = await websocket_connect(base)
        await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(await asyncio.wait_for(ws.read_message(), 3))["command"] == "hello"
        await ws.write_message(json.dumps({"command": "info", "plugins": {}, "url": url}))
        return ws

    async def scenario():
        edited = await tab(server.url + "articles/a5/#claim-5")
        elsewhere = await tab(server.url + "articles/a1/")
        end = time.monotonic() + 3
        while len([w for w in LiveReloadHandler.waiters if getattr(w, "owner", None) is server]) < 2:
            assert time.monotonic() < end
            await asyncio.sleep(0.01)
        gen = server.status()["generation"]
        edit(server.site / "annotations/a5.yaml", layer(5, note="Reload me."))
        message = json.loads(await asyncio.wait_for(edited.read_message(), 4))
        assert message["command"] == "reload"
        while not settled(server, gen):
            await asyncio.sleep(0.01)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(elsewhere.read_message(), 0.3)
        # a broken save reloads every tab (to show the panel)
        gen = server.status()["generation"]
        edit(server.site / "annotations/a1.yaml", "annotations: [\n")
        assert json.loads(await asyncio.wait_for(elsewhere.read_message(), 4))["command"] == "reload"
        edited.close()
        elsewhere.close()

    asyncio.run(scenario())


def test_a_tab_on_an_article_that_is_deleted_reloads_to_the_not_found_page(serve):
    """The tab's page is gone: it was never told (it showed "404.html" to the check, never the removed page)."""
    from livereload.handlers import LiveReloadHandler
    from tornado.websocket import websocket_connect

    server = serve(site_files(**{"content/gone.txt": "Gone\n\nThis article will be deleted.\n"}))
    base = f"ws://127.0.0.1:{server.port}/livereload"

    async def scenario():
        ws = await websocket_connect(base)
        await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(await asyncio.wait_for(ws.read_message(), 3))["command"] == "hello"
        await ws.write_message(json.dumps({"command": "info", "plugins": {}, "url": server.url + "articles/gone/"}))
        end = time.monotonic() + 3
        while not [w for w in LiveReloadHandler.waiters if getattr(w, "owner", None) is server]:
            assert time.monotonic() < end
            await asyncio.sleep(0.01)
        (server.site / "content/gone.txt").unlink()
        assert json.loads(await asyncio.wait_for(ws.read_message(), 4))["command"] == "reload"
        ws.close()

    asyncio.run(scenario())


# ---------------------------------------------------------------------- the engine, without a server


RELATED = {
    "site.toml": '[flags.sponsored]\nlabel = "Sponsored"\n',
    "content/one.txt": "One\n\nAlpha claims the port was sold. Beta denies it.\n",
    "content/two.txt": "Two\n\nGamma says the port was never sold. Delta agrees.\n",
    "content/three.md": "---\ntitle: Three\npublished: 2024-02-02\n---\nEpsilon repeats the claim. Zeta asks why.\n",
    "annotations/one.yaml": (
        "annotations:\n  - id: sold\n    quote: the port was sold\n    flags: [anonymous-source]\n"
        "  - id: denies\n    quote: Beta denies it\n    rebuts: \"#sold\"\n"
    ),
    "annotations/two.yaml": (
        "annotations:\n  - id: never\n    quote: the port was never sold\n    rebuts: one#sold\n    tags: [port]\n"
        "  - id: agrees\n    quote: Delta agrees\n    supports: two#never\n"
    ),
    "annotations/three.yaml": "annotations:\n  - id: repeat\n    quote: Epsilon repeats the claim\n    see: one#sold\n    flags: [sponsored]\n",
}


def folder(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith("assets/")}


@pytest.mark.parametrize("step", [
    ("annotations/two.yaml", lambda t: t.replace("rebuts: one#sold", "supports: one#sold")),
    ("annotations/one.yaml", lambda t: t.replace("id: sold", "id: sold-port").replace('"#sold"', '"#sold-port"')),
    ("annotations/three.yaml", lambda t: t.replace("see: one#sold", "retracts: two#never")),
    ("annotations/one.yaml", lambda t: t.replace("flags: [anonymous-source]", "flags: [sponsored]")),
    ("content/three.md", lambda t: t.replace("2024-02-02", "2020-01-01")),
    ("content/two.txt", lambda t: t.replace("Delta agrees.", "Delta agrees, loudly.")),
    ("annotations/three.yaml", lambda t: t.replace("annotations:", "article:\n  retracted:\n    date: 2024-03-01\n"
                                                   "    reason: Withdrawn.\n    notice: one#sold\nannotations:")),
    ("annotations/one.yaml", lambda t: t + "  - id: extra\n    quote: Alpha claims\n    supports: two\n    tags: [harbour]\n"),
    ("annotations/two.yaml", lambda t: t.replace("    tags: [port]\n", "")),
])
def test_incremental_rebuild_gives_what_a_full_build_gives(tmp_path, make_site, step):
    """After an edit, the served folder equals a full render, and the model equals load_site's."""
    site = make_site(tmp_path / "site", RELATED)
    out = tmp_path / "out"
    lines = []
    engine = Preview(site, out, log=lambda m, err=False: lines.append(m))
    engine.update(None)
    assert engine.state == "ok", lines
    rel, change = step
    if rel == "annotations/one.yaml" and "sold-port" in change("id: sold"):
        # the id another file refers to goes away: an error in two.yaml, then fixed there
        (site / rel).write_text(change((site / rel).read_text()))
        engine.update({site / rel})
        assert engine.state == "broken"
        assert {p.file for p in engine.problems} == {"annotations/two.yaml", "annotations/three.yaml"}
        for other in (site / "annotations/two.yaml", site / "annotations/three.yaml"):
            other.write_text(other.read_text().replace("one#sold", "one#sold-port"))
        rebuild = engine.update({site / "annotations/two.yaml", site / "annotations/three.yaml"})
    else:
        (site / rel).write_text(change((site / rel).read_text()))
        rebuild = engine.update({site / rel})
    assert rebuild.ok and engine.state == "ok", lines
    assert rebuild.first, "the edited article's page comes first"
    assert not any("differed" in line for line in lines), lines
    model, problems = load_site(site)
    assert not problems.errors
    for name in ("flags_of", "incoming", "outgoing", "articles", "order"):
        assert getattr(engine.model, name) == getattr(model, name), name
    assert folder(out) == {k: v for k, v in render_site(model, "/").items()}


def test_a_rebuild_cut_short_by_a_new_save_leaves_the_rest_to_the_next(tmp_path, make_site):
    site = make_site(tmp_path / "site", RELATED)
    out = tmp_path / "out"
    engine = Preview(site, out, log=lambda m, err=False: None)
    engine.update(None)
    one, two = site / "annotations/one.yaml", site / "annotations/two.yaml"
    one.write_text(one.read_text().replace("flags: [anonymous-source]", "flags: [anonymous-source, sponsored]"))
    calls = []
    cut = engine.update({one}, interrupted=lambda: len(calls.append(1) or calls) > 3)
    assert cut.interrupted and engine.dirty and cut.first
    two.write_text(two.read_text().replace("tags: [port]", "tags: [port, ports and harbours]"))
    rest = engine.update({two})
    assert not rest.interrupted and not engine.dirty
    model, _ = load_site(site)
    assert folder(out) == render_site(model, "/")


def test_a_rebuild_cut_short_by_a_broken_save_still_serves_one_version_of_the_site(tmp_path, make_site):
    """A site.toml edit, its rebuild cut short by a second save with a typo: the pages it had left kept the old
    title under the error panel (half the site one version, half the other) until the typo was fixed."""
    site = make_site(tmp_path / "site", site_files())
    out = tmp_path / "out"
    engine = Preview(site, out, log=lambda m, err=False: None)
    engine.update(None)
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace('title = "Serve test"', 'title = "Renamed desk"'))
    calls = []
    cut = engine.update({toml}, interrupted=lambda: len(calls.append(1) or calls) > 3)
    assert cut.interrupted and engine.dirty
    toml.write_text(toml.read_text().replace('title = "Renamed desk"', 'title = "Renamed desk'))  # the quote left open
    broken = engine.update({toml})
    assert not broken.ok and engine.state == "broken"
    pages = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.html")}
    assert pages and not engine.dirty
    assert [path for path, text in pages.items() if "Serve test" in text] == []
    assert all("Renamed desk" in text for text in pages.values())


def test_after_a_config_edit_the_open_page_is_rendered_and_reloaded_first(tmp_path, make_site):
    """A site.toml edit re-renders every page: the page a browser tab shows comes first and reloads at
    once, not after the rest of the site (on a large site, many seconds later)."""
    site = make_site(tmp_path / "site", site_files())
    open_page = "articles/a7/index.html"
    notified = []
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None, notify=notified.append,
                     viewed=lambda: {open_page, "not/a/page.html"})
    engine.update(None)
    notified.clear()
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace('title = "Serve test"', 'title = "Serve test, renamed"'))
    rebuild = engine.update({toml})
    assert rebuild.ok and rebuild.kind == "config"
    assert rebuild.rendered[0] == open_page and len(rebuild.rendered) > 10
    assert notified[0] == {open_page}, "the open page reloads before the rest is rendered"
    assert open_page not in notified[-1] and "articles/a1/index.html" in notified[-1]
    assert "Serve test, renamed" in (tmp_path / "out" / open_page).read_text()


@pytest.mark.parametrize("how", ["git-mv", "mv"])
def test_a_rename_not_yet_committed_while_serving_does_not_hide_drift(tmp_path, how):
    """An article updated in a commit moved its note's passage (check reports it); while serve runs, the
    article and its notes get a new slug, not committed: serve still reports the drift, as check does."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, git, site_with

    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, CLAIMS_AFTER)
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "broken" and "now anchors on another passage" in engine.problems[0].text()
    moves = (("content/story.txt", "content/report.txt"), ("annotations/story.yaml", "annotations/report.yaml"))
    for old, new in moves:
        git(site, "mv", old, new) if how == "git-mv" else (site / old).rename(site / new)
    engine.update({site / p for move in moves for p in move})
    assert [p.text().split(": error: ")[0] for p in engine.problems] == ["annotations/report.yaml:4:12"]
    assert "now anchors on another passage" in engine.problems[0].text()


# one of each stage: config, discovery, a file, anchoring, linking
BROKEN = [Path(__file__).parent / "broken" / name for name in (
    "toml-syntax-error", "orphan-annotation-file", "invalid-slug", "yaml-syntax-error", "quote-ambiguous",
    "reference-missing-id", "self-reference")]


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_reports_what_check_reports(case, tmp_path):
    """serve loads article by article (to reload one), with the build's own pieces; it gathers the
    problems of every stage as load_site does."""
    engine = Preview(case, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    _, problems = load_site(case)
    assert engine.state == "broken"
    assert [p.text() for p in engine.problems] == [p.text() for p in problems.sorted() if p.severity == "error"]
    assert not any(tmp_path.joinpath("out").rglob("*.html"))


def test_decorate_handles_any_head():
    script = (b'<script src="/__glossator/livereload.js?host=localhost&amp;port=8000"></script>'
              b'<script src="/__glossator/missed.js?since=0" defer></script>')
    assert decorate(b"<html><HEAD><title>x</title></HEAD><BODY class=a>hi</BODY></html>", [], host="localhost:8000", port=8000) == (
        b'<html><HEAD><title>x</title>' + script + b'</HEAD><BODY class=a>hi</BODY></html>')
    assert decorate(b"<p>no head</p>", [], host="localhost:8000", port=8000).startswith(script + b'<p>')


def test_the_reload_script_finds_its_websocket_by_the_name_the_page_was_asked_by():
    """The script, away from the root, is told the host and port its websocket is on: the Host the page was
    asked for by (an IPv6 address in its brackets; port 80 left out), and serve's port."""
    for host, port, said in (("127.0.0.1:8000", 8000, b"host=127.0.0.1&amp;port=8000"),
                             ("[::1]:8123", 8123, b"host=[::1]&amp;port=8123"), ("localhost", 80, b"host=localhost&amp;port=80")):
        assert said in decorate(b"<head></head>", [], host=host, port=port), host


def test_a_sites_own_livereload_js_is_served_as_the_build_publishes_it(serve):
    """serve's reload script has a path of its own: a site's static/livereload.js was hidden by it (the build
    published the site's file; serve answered its own script in its place)."""
    server = serve(site_files(**{"static/livereload.js": "/* the site's own */\n"}))
    assert get(server, "livereload.js")[:2] == (200, "/* the site's own */\n")
    assert "LiveReload" in get(server, "__glossator/livereload.js")[1]


# ---------------------------------------------------------------------- the command line


def test_cli_serves_and_ctrl_c_stops_cleanly(tmp_path, make_site):
    site = make_site(tmp_path / "site", site_files())
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,  # Ctrl-C as in a terminal, even
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # in a background job
    try:
        first = proc.stdout.readline()
        m = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
        assert m, first
        assert re.match(r"built \d+ pages in ", proc.stdout.readline())
        with urllib.request.urlopen(m.group(1), timeout=5) as r:
            assert r.status == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_cli_started_with_ctrl_c_ignored_keeps_serving_through_one(tmp_path, make_site):
    """`glossator serve &` in a shell script starts with SIGINT ignored (a Ctrl-C is for the script's
    foreground command): serve took it back and stopped at the first Ctrl-C meant for another program."""
    site = make_site(tmp_path / "site", site_files())
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        url = re.search(r"at (http://127\.0\.0\.1:\d+/)", proc.stdout.readline()).group(1)
        assert re.match(r"built \d+ pages in ", proc.stdout.readline())
        proc.send_signal(signal.SIGINT)
        time.sleep(1)
        with urllib.request.urlopen(url, timeout=5) as r:
            assert r.status == 200
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "stopped" in out and "Traceback" not in err


def test_cli_on_every_address_says_the_drafts_are_visible_to_the_network(tmp_path, make_site):
    """Hostile audit 9's leftover: `--host 0.0.0.0` showed the drafts to the whole network without a word
    (on 127.0.0.1, the default, nothing is said: the test above reads "built" right after "serving")."""
    site = make_site(tmp_path / "site", site_files())
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--host", "0.0.0.0", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "serving" in proc.stdout.readline()
        assert "anyone who can reach this machine can read the drafts" in proc.stdout.readline()
    finally:
        proc.kill()
        proc.communicate(timeout=5)


def test_cli_killed_outright_serves_again_on_the_same_port_and_tidies_what_it_left(tmp_path, make_site):
    """kill -9 of serve just after it answered a page (its port then waits out TIME_WAIT): serve again on that
    port starts and answers, and the folder the killed one served from is removed, not kept beside the new one."""
    site = make_site(tmp_path / "site", site_files())
    port = "0"
    for run in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", port],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = re.search(r"at (http://127\.0\.0\.1:(\d+)/)", proc.stdout.readline())
            assert url, proc.communicate(timeout=5)
            assert re.match(r"built \d+ pages in ", proc.stdout.readline())
            with urllib.request.urlopen(url.group(1), timeout=5) as r:
                assert r.status == 200
            assert port in ("0", url.group(2))
            port = url.group(2)
            served = sorted(p.name for p in (site / ".glossator-cache" / "serve").iterdir())
            assert served == [str(proc.pid)]
        finally:
            proc.kill()
            proc.communicate(timeout=5)


def test_cli_port_in_use_is_an_error_not_a_traceback(tmp_path, make_site, run_cli):
    import socket

    site = make_site(tmp_path / "site", site_files())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, out, err = run_cli("serve", site, "--port", taken.getsockname()[1])
    assert code == 2 and "cannot serve on 127.0.0.1:" in err and "(choose another --port)" in err  # usage, not the site
    code, out, err = run_cli("serve", site, "--host", "192.0.2.1", "--port", "0")  # (a documentation address: no machine's)
    assert code == 2 and "(choose a --host of this machine, such as 127.0.0.1)" in err and "Traceback" not in err
    kept = Path("/proc/sys/net/ipv4/ip_unprivileged_port_start")  # (0 in some containers: any user may take port 80)
    if os.geteuid() == 0 and shutil.which("setpriv") and kept.is_file() and int(kept.read_text()) > 80:
        # a port kept for the administrator: its fix is the port, not the host
        done = subprocess.run(["setpriv", "--bounding-set=-net_bind_service", "--", sys.executable, "-m", "builder", "serve",
                               str(site), "--port", "80"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "choose a --port above 1023" in done.stderr and "--host" not in done.stderr, done.stderr


def test_cli_an_empty_host_is_wrong_usage_not_every_address(tmp_path, make_site, run_cli, monkeypatch):
    """`--host "$HOST"`, HOST not set: the server listened on every address of the machine (the system's reading
    of ""), the drafts open to its networks, and said "serving at http://:8000/". `[::1]`, as a URL writes it, is ::1."""
    import builder.serve

    site = make_site(tmp_path / "site", site_files())
    served = []
    monkeypatch.setattr(builder.serve, "run", lambda site, host, port: served.append(host) or 0)
    for host in ("", " "):
        code, _, err = run_cli("serve", site, "--host", host)
        assert code == 2 and "Invalid value for '--host': it is empty" in err, err
    assert served == []
    assert run_cli("serve", site, "--host", "[::1]")[0] == 0 and served == ["::1"]


# ---------------------------------------------------------------------- trust and tidiness


def raw_get(server: PreviewServer, path: str, host: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


def test_only_its_own_host_names_are_served(serve):
    """A page of another site that rebinds its DNS name to 127.0.0.1 cannot read the drafts."""
    server = serve(site_files())
    port = server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert raw_get(server, "/articles/a1/", host) == 200, host
    for host in (f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", f"localhost.evil.example:{port}", ""):
        assert raw_get(server, "/articles/a1/", host) == 421, host


def test_a_name_it_does_not_answer_to_gets_a_page_that_says_which_address_to_open(serve):
    """A writer who opens the preview by this machine's name (http://mybox:8000/) was refused with a bare
    '421: Misdirected Request: unknown Host' and no hint of what to do; the page now gives the address."""
    import http.client

    server = serve(site_files())
    for path in ("/articles/a1/", "/__glossator/livereload.js"):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", f"mybox:{server.port}")
        conn.endheaders()
        response = conn.getresponse()
        page = response.read().decode("utf-8")
        conn.close()
        assert response.status == 421 and response.getheader("Content-Type").startswith("text/html")
        assert f'open <a href="{server.url}">{server.url}</a>' in page and "<code>mybox:" in page
        assert "First note on article 1" not in page
    from builder.serve.overlay import misdirected

    assert b"<code>&lt;b&gt;x:1</code>" in misdirected("<b>x:1", server.url, 1, False)  # the name said as text
    assert b'<a href="http://localhost:1/">' in misdirected("mybox:1", "http://0.0.0.0:1/", 1, True)  # (0.0.0.0: not a URL to give)


def test_an_address_is_served_only_when_it_is_this_servers(serve):
    """Started on 127.0.0.1: a loopback address is this machine, but another address in Host is no way a
    browser reached it (a proxy's, a scanner's request), and is refused as a foreign name is."""
    server = serve(site_files())
    port = server.port
    for host in (f"127.0.0.2:{port}", f"[::1]:{port}"):
        assert raw_get(server, "/articles/a1/", host) == 200, host
    for host in (f"10.1.2.3:{port}", f"203.0.113.7:{port}", f"[2001:db8::1]:{port}", f"0.0.0.0:{port}"):
        assert raw_get(server, "/articles/a1/", host) == 421, host
        assert raw_get(server, "/__glossator/livereload.js", host) == 421, host


def test_started_on_a_wildcard_any_address_of_this_machine_is_served():
    from builder.serve.hosts import trusted_host

    assert trusted_host("127.0.0.1:8000", "0.0.0.0", 8000)
    assert trusted_host("0.0.0.0:8000", "0.0.0.0", 8000)  # the URL serve prints
    assert not trusted_host("203.0.113.7:8000", "0.0.0.0", 8000)  # a documentation address: no machine's
    assert not trusted_host("evil.example:8000", "0.0.0.0", 8000)
    assert trusted_host("[::1]:8000", "::", 8000)


def test_on_port_80_a_host_without_its_port_is_served():
    """A browser leaves the scheme's own port out of Host: on --port 80, "localhost" is "localhost:80"."""
    from builder.serve.hosts import trusted_host

    assert trusted_host("localhost", "127.0.0.1", 80) and trusted_host("[::1]", "::1", 80)
    assert not trusted_host("localhost", "127.0.0.1", 8000) and not trusted_host("evil.example", "127.0.0.1", 80)


def test_websockets_only_from_its_own_pages_and_garbage_is_ignored(serve):
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    server = serve(site_files())
    url = f"ws://127.0.0.1:{server.port}/livereload"

    async def scenario():
        bad = HTTPRequest(url, headers={"Origin": "http://evil.example"})
        with pytest.raises(HTTPClientError):
            await websocket_connect(bad)
        good = HTTPRequest(url, headers={"Origin": f"http://127.0.0.1:{server.port}"})
        ws = await websocket_connect(good)
        for garbage in ("not json", "[1, 2]", '"text"', "{"):
            await ws.write_message(garbage)
        await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        reply = json.loads(await asyncio.wait_for(ws.read_message(), 3))
        ws.close()
        return reply

    assert asyncio.run(scenario())["command"] == "hello"
    assert not any("Traceback" in line for line in server.lines)


def test_pages_answer_503_until_the_first_build_is_done(tmp_path, make_site):
    site = make_site(tmp_path / "site", site_files())
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: None)
    try:
        server.start()  # the builder starts after the server listens: ask at once
        code, page, headers = get(server, "articles/a1/")
        if code == 200:
            pytest.skip("the first build finished before the first request")
        assert code == 503 and headers.get("Retry-After") == "1"
        assert "livereload.js" in page
        wait_until(lambda: get(server, "articles/a1/")[0] == 200, 10, "the first build")
    finally:
        server.stop()


def test_a_killed_serve_leaves_nothing_the_next_one_keeps(tmp_path, make_site):
    site = make_site(tmp_path / "site", site_files())
    dead = site / ".glossator-cache/serve/999999999"  # no such process
    dead.mkdir(parents=True)
    (dead / "index.html").write_text("stale")
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: None)
    try:
        assert not dead.exists()
        assert server.out.is_relative_to(site / ".glossator-cache/serve")
    finally:
        server.stop()
    assert not server.out.exists()


def test_a_static_folder_linking_outside_the_site_is_not_watched(tmp_path):
    from builder.serve.watch import inside

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "static").symlink_to(tmp_path)
    (site / "templates").symlink_to("/")
    assert inside(site.resolve(), site / "content")
    assert not inside(site.resolve(), site / "static")
    assert not inside(site.resolve(), site / "templates")


def test_a_link_out_of_the_site_added_to_static_is_an_error_in_serve_as_in_check_and_removing_it_recovers(serve, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the web\n")
    server = serve(site_files(**{"static/extra.css": "body{color:red}\n"}))
    gen = server.status()["generation"]
    (server.site / "static/leak.txt").symlink_to(outside)
    wait_until(lambda: settled(server, gen) and server.status()["state"] == "broken", 6, what="the error")
    assert any(p.startswith("static/leak.txt:1:1: error: is a link to") for p in server.status()["problems"]), server.status()
    assert get(server, "leak.txt")[0] == 404
    (server.site / "static/leak.txt").unlink()  # only static/ changes: that alone mends the site
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="recovery")


def test_serve_started_with_a_link_out_of_static_recovers_when_only_the_link_goes(tmp_path, make_site):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the web\n")
    site = make_site(tmp_path / "site", site_files(**{"static/extra.css": "body{color:red}\n"}))
    (site / "static/leak.txt").symlink_to(outside)
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: None)
    server.start()
    try:
        wait_until(lambda: server.status()["state"] == "broken" and not server.status()["busy"], 10, "the first build")
        assert get(server, "")[0] == 503
        (site / "static/leak.txt").unlink()
        wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="recovery")
        assert get(server, "")[0] == 200 and get(server, "extra.css")[1] == "body{color:red}\n"
    finally:
        server.stop()


def test_a_file_name_not_utf8_in_static_is_an_error_and_serve_keeps_watching(serve):
    """A file named `bad\\xff.css` put in static/ (or only read there): watchfiles raised "Unable to decode path"
    in the watcher's thread, which died with a traceback: serve never rebuilt again, whatever was saved."""
    server = serve(site_files(**{"static/extra.css": "body{color:red}\n"}))
    gen = server.status()["generation"]
    bad = os.path.join(os.fsencode(server.site / "static"), b"bad\xff.css")
    with open(bad, "wb") as f:
        f.write(b"body{}\n")
    wait_until(lambda: settled(server, gen) and server.status()["state"] == "broken", 10, what="the error")
    assert server.status()["problems"] == ["static/bad\\udcff.css:1:1: error: its name is not UTF-8, so no page can "
                                           "link to it and serve cannot watch it: rename it"]
    with open(bad, "rb") as f:
        f.read()
    os.rename(bad, server.site / "static/good.css")
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 10, what="recovery")
    assert get(server, "good.css")[1] == "body{}\n"
    edit(server.site / "annotations/a1.yaml", layer(1, note="Saved after the odd name."))
    wait_until(lambda: page_with(server, "articles/a1/", "Saved after the odd name."), 10, what="the next save")


def test_a_broken_unused_template_is_an_error_in_serve_as_in_check(serve):
    server = serve(site_files())
    gen = server.status()["generation"]
    (server.site / "templates").mkdir()
    edit(server.site / "templates/_unused.html", "{% if %}\n")
    wait_until(lambda: settled(server, gen), what="the rebuild")
    assert server.status()["state"] == "broken"
    assert any(p.startswith("templates/_unused.html:1:") for p in server.status()["problems"]), server.status()
    (server.site / "templates/_unused.html").unlink()
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="recovery")


def test_serve_says_every_template_error_at_once_as_build_does(serve):
    """Two templates that fail as they render (a misspelt field in each): serve names both, not the first
    page's alone; the pages that still render are served new, and the fix of both recovers."""
    server = serve(site_files())
    gen = server.status()["generation"]
    (server.site / "templates").mkdir()
    edit(server.site / "templates/article.html", '{% extends "base.html" %}{% block content %}\n'
                                                 "<h1>{{ article.titel }}</h1>{% endblock %}\n")
    edit(server.site / "templates/tag.html", "ok\n  {{ tag.nmae }}\n")
    wait_until(lambda: settled(server, gen) and len(server.status()["problems"]) == 2, 6, what="both errors")
    status = server.status()
    assert status["state"] == "broken"
    assert status["problems"] == [
        "templates/article.html:2:16: error: template error: 'dict object' has no attribute 'titel' (did you mean \"title\"?)",
        "templates/tag.html:2:10: error: template error: 'dict object' has no attribute 'nmae' (did you mean \"name\"?)"]
    page = get(server, "")[1]
    assert "templates/article.html:2:16" in page and "templates/tag.html:2:10" in page
    shutil.rmtree(server.site / "templates")
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="recovery")
    assert "approved the budget 1" in get(server, "articles/a1/")[1]


def test_a_template_error_stays_said_beside_a_later_annotation_error(serve):
    """SPEC 8: every problem at once, as check says them. A template that fails as it renders, then a
    mistake saved in an annotation file: the page and the terminal name both, not the annotation's alone
    (the template's, still there, was hidden); fixing the annotation leaves the template's said."""
    server = serve(site_files())
    gen = server.status()["generation"]
    (server.site / "templates").mkdir()
    edit(server.site / "templates/article.html", '{% extends "base.html" %}{% block content %}\n'
                                                 "<h1>{{ article.titel }}</h1>{% endblock %}\n")
    wait_until(lambda: settled(server, gen) and server.status()["problems"], 6, what="the template error")
    template = ("templates/article.html:2:16: error: template error: 'dict object' has no attribute 'titel' "
                '(did you mean "title"?)')
    assert server.status()["problems"] == [template]
    gen = server.status()["generation"]
    edit(server.site / "annotations/a2.yaml", layer(2).replace("flags: [rebuttal]", "flags: [rebutal]"))
    wait_until(lambda: settled(server, gen), 6, what="the rebuild")
    status = server.status()
    assert status["state"] == "broken"
    assert template in status["problems"] and any(p.startswith("annotations/a2.yaml:") and "rebutal" in p
                                                  for p in status["problems"]), status["problems"]
    page = get(server, "")[1]
    assert "templates/article.html:2:16" in page and "annotations/a2.yaml:" in page
    gen = server.status()["generation"]
    server.lines.clear()
    edit(server.site / "annotations/a2.yaml", layer(2))
    wait_until(lambda: settled(server, gen), 6, what="the rebuild")
    assert server.status()["problems"] == [template]
    assert template in server.lines


def test_a_save_that_keeps_the_same_mistakes_reloads_the_page_once_or_not_at_all(tmp_path, make_site):
    """The template's error, found by rendering, is said with the annotation's at once: the page is told once
    when the mistakes change, and not at all when a save leaves them as they were."""
    files = site_files(**{"templates/article.html": '{% extends "base.html" %}{% block content %}\n'
                                                    "<h1>{{ article.titel }}</h1>{% endblock %}\n"})
    site = make_site(tmp_path / "site", files)
    told = []
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None, notify=told.append)
    engine.update(None)
    assert [p.file for p in engine.problems] == ["templates/article.html"]
    layer_file = site / "annotations/a2.yaml"
    for note, times in (("First.", 1), ("The same mistake, a note edited.", 0)):
        layer_file.write_text(layer(2, note=note).replace("flags: [rebuttal]", "flags: [rebutal]"))
        told.clear()
        engine.update({layer_file})
        assert [p.file for p in engine.problems] == ["annotations/a2.yaml", "templates/article.html"]
        assert len(told) == times, told


def test_paged_lists_that_shift_after_an_edit_are_rendered_again(tmp_path, make_site):
    """120 passages flagged alike fill two pages of the flag; a passage added to the first article
    shifts page 2, though page 2 lists none of that article's passages."""
    files = {"site.toml": 'title = "Paged"\n'}
    for i in range(12):
        files[f"content/p{i:02d}.txt"] = "T\n\n" + " ".join(f"Claim {i}-{j} is made here." for j in range(11)) + "\n"
        anns = "".join(f'  - quote: "Claim {i}-{j} is made"\n    flags: [rebuttal]\n' for j in range(10))
        files[f"annotations/p{i:02d}.yaml"] = f"article:\n  published: 2024-01-{i + 1:02d}\nannotations:\n{anns}"
    site = make_site(tmp_path / "site", files)
    out = tmp_path / "out"
    engine = Preview(site, out, log=lambda m, err=False: None)
    engine.update(None)
    assert (out / "flags/rebuttal/page/2/index.html").exists()
    newest = site / "annotations/p11.yaml"
    newest.write_text(newest.read_text() + '  - quote: "Claim 11-10 is made"\n    flags: [rebuttal]\n')
    rebuild = engine.update({newest})
    assert rebuild.ok and "flags/rebuttal/page/2/index.html" in rebuild.rendered
    model, _ = load_site(site)
    assert folder(out) == render_site(model, "/")


def test_a_link_in_the_served_folder_never_leads_out_of_it(serve, tmp_path):
    """serve answers from its own output only: a link put there (by hand) to another file is a 404."""
    server = serve(site_files())
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    (server.out / "pw.txt").symlink_to(secret)
    (server.out / "conf.toml").symlink_to(Path(server.site) / "site.toml")
    for rel in ("pw.txt", "conf.toml"):
        code, page, _ = get(server, rel)
        assert code == 404 and "not for the browser" not in page and "base_url" not in page
    assert get(server, "feed.xml")[0] == 200


def test_a_full_disk_is_reported_in_the_page_and_the_next_save_recovers(tmp_path, make_site, monkeypatch):
    """Serve cannot write its preview (a full disk): a located problem, not a traceback; the
    placeholder page says so (and never speaks of a last good version there is not)."""
    import errno

    from builder.serve import folder as folder_module
    from builder.serve.overlay import placeholder

    site = make_site(tmp_path / "site", RELATED)
    out = tmp_path / "out"
    lines = []
    engine = Preview(site, out, log=lambda m, err=False: lines.append(m))
    real = folder_module.write_atomic

    def full(folder, rel, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folder_module, "write_atomic", full)
    rebuild = engine.update(None)
    assert not rebuild.ok and engine.state == "broken"
    assert [p.text() for p in engine.problems] == [
        f"{out}:1:1: error: cannot write the preview here: No space left on device (free some space, then save any file)"]
    assert not any("Traceback" in line for line in lines)
    page = decorate(placeholder(engine.state), engine.problems, last_good=False, host="localhost:8000", port=8000).decode()
    assert "No space left on device" in page and "last good version" not in page
    monkeypatch.setattr(folder_module, "write_atomic", real)
    one = site / "annotations/one.yaml"
    one.write_text(one.read_text() + "\n")
    assert engine.update({one}).ok and engine.state == "ok"
    model, _ = load_site(site)
    assert folder(out) == render_site(model, "/")


def test_a_websocket_from_a_foreign_host_is_refused_quietly(serve, caplog):
    """Refused at the handshake (421, as a page is); nothing (no traceback) reaches the terminal."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    server = serve(site_files())
    url = f"ws://127.0.0.1:{server.port}/livereload"

    async def scenario():
        try:
            await websocket_connect(HTTPRequest(url, headers={"Host": f"evil.example:{server.port}",
                                                              "Origin": f"http://127.0.0.1:{server.port}"}))
        except HTTPClientError as exc:
            return exc.code
        return None

    with caplog.at_level("DEBUG"):
        assert asyncio.run(scenario()) == 421
        time.sleep(0.3)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING") or r.exc_info], caplog.text


def test_the_building_placeholder_reloads_itself_without_javascript():
    """Until the first build is done a page without script still comes back by itself; a page that lists
    errors does not (it reloads when a save fixes them, through the reload script)."""
    from builder.serve.overlay import placeholder

    assert b'<meta http-equiv="refresh" content="2">' in placeholder("building")
    assert b"http-equiv" not in placeholder("broken")


def test_a_site_folder_removed_and_put_back_is_served_again(serve, tmp_path):
    """The site folder removed (a fresh clone in its place, a folder renamed away and back): said in the
    page and the terminal; when it is back, serve watches it again and builds everything again, without
    a restart (before, no event ever came from the new folder, and its pages stayed 404)."""
    import shutil

    server = serve(site_files())
    site, copy = server.engine.site, tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".glossator-cache"))
    assert get(server, "articles/a1/")[0] == 200
    site.rename(tmp_path / "away")  # at once (a removal races with the rebuild that the deletions start)
    wait_until(lambda: any("the site folder is gone" in p for p in server.status()["problems"]), 10, "the folder said gone")
    status, page, _ = get(server, "articles/a1/")  # its pages went with it: the page says why, not a bare 404
    assert status == 503 and "the site folder is gone" in page, (status, page[:300])
    shutil.copytree(copy, site)
    wait_until(lambda: not server.status()["problems"] and get(server, "articles/a1/")[0] == 200, 10, "served again")
    (site / "content" / "a1.txt").write_text((copy / "content" / "a1.txt").read_text() + "\nA paragraph added after.\n")
    wait_until(lambda: "A paragraph added after." in get(server, "articles/a1/")[1], 10, "an edit in the new folder")


def test_a_malformed_url_gets_the_sites_not_found_page_without_a_line_in_the_terminal(serve, caplog):
    """A NUL, bytes not in UTF-8 (`%e9` 3,000 times, which any page can make a browser ask for), a backslash, a
    way out of the output, a name too long for the system: each is a page not found, answered with the site's own
    404 page (tornado answered some with its bare 400 or 404 page), and not written out in serve's terminal (9 KB
    a line, an outside audit)."""
    import http.client

    server = serve({"site.toml": 'title = "Serve test"\nsearch = false\n', "content/a1.txt": article(1)})
    for path in ("/" + "%e9" * 3000, "/%00", "/a%00b", "/articles/%00/", "/%ff", "/%ff.html", "/%c0%af", "/%5c", "//x",
                 "///etc/passwd", "/..%2f", "/..%2f..%2fsite.toml", "/%2e%2e/", "/" + "a" * 5000, "/%E2%9C%93/"):
        for method in ("GET", "HEAD"):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request(method, path)  # as written: urllib would quote it again
            response = conn.getresponse()
            page = response.read().decode("utf-8")
            conn.close()
            assert response.status == 404, (method, path[:40])
            assert response.getheader("Content-Type") == "text/html; charset=utf-8", path[:40]
            assert method == "HEAD" or ("Serve test" in page and "Not found" in page), path[:40]
    assert get(server, "?x=1")[0] == 200 and get(server, "articles/a1/")[0] == 200
    assert not [r for r in caplog.records if r.name.startswith("tornado")]


def _git(site: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Ann Editor", "-c", "user.email=ann@example.org", *args], cwd=site,
                   check=True, capture_output=True)


def test_a_commit_while_serving_shows_in_the_pages_history(serve, tmp_path):
    """A commit changes no source file but each page's history of its notes: serve watches git's HEAD and refs
    and renders every page again (before, the pages kept the old history until the next save of a file). A
    branch made (a ref that is not checked out) rebuilds nothing; a reset back shows the history as it was."""
    site = tmp_path / "site"
    files = site_files()
    site.mkdir()
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    _git(site, "init", "-q", "-b", "main")
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "First version")
    server = serve(files, site)
    assert "First version" in get(server, "articles/a1/")[1]
    (site / "annotations" / "a1.yaml").write_text(layer(1, "A second note."))
    wait_until(lambda: page_with(server, "articles/a1/", "A second note."), 10, "the edit")
    wait_until(lambda: not server.status()["busy"], 10, "the rebuild")
    before = server.status()["generation"]
    _git(site, "commit", "-qam", "Second version of the note")
    wait_until(lambda: page_with(server, "articles/a1/", "Second version of the note"), 10, "the commit in the history")
    wait_until(lambda: settled(server, before), 10, "the rebuild after the commit")
    assert server.status()["last"]["kind"] == "git"
    after = server.status()["generation"]
    _git(site, "branch", "elsewhere")
    _git(site, "reset", "-q", "--soft", "HEAD~1")
    wait_until(lambda: "Second version of the note" not in get(server, "articles/a1/")[1], 10, "the reset")
    wait_until(lambda: settled(server, after), 10, "the rebuild after the reset")


def test_git_init_and_a_first_commit_in_the_folder_above_the_site_show_in_the_pages_history(serve, tmp_path):
    """A site not in git when serve starts, then `git init && git add && git commit` in the folder that holds
    it (the repository of a book, the site one folder of it): the pages get the notes' history, as a build
    gives them (before, not until restart). Removing that repository takes the history away again."""
    work = tmp_path / "work"
    server = serve(site_files(), work / "site")
    assert "First version" not in get(server, "articles/a1/")[1]
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "First version")
    wait_until(lambda: page_with(server, "articles/a1/", "First version"), 10, "the first commit in the history")
    wait_until(lambda: not server.status()["busy"], 10, "the rebuild")
    shutil.rmtree(work / ".git")
    wait_until(lambda: "First version" not in get(server, "articles/a1/")[1], 10, "the history gone with the repository")
    _git(work, "init", "-q", "-b", "main")  # and back: the repository is looked for again
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "Second first version")
    wait_until(lambda: page_with(server, "articles/a1/", "Second first version"), 10, "the new repository's history")


@pytest.mark.parametrize("where", ["node_modules", ".venv"])
def test_a_site_under_a_folder_watchfiles_ignores_by_default_is_watched(serve, tmp_path, where):
    """watchfiles' default filter drops every path with a node_modules, .venv, .git... folder in it, and every
    file named flycheck_*: a site kept there was served but never rebuilt, an article content/flycheck_x.txt
    never either."""
    files = site_files(**{"content/flycheck_notes.txt": "Flycheck notes\n\nThe first words.\n"})
    server = serve(files, tmp_path / where / "site")
    site = server.engine.site
    (site / "annotations" / "a1.yaml").write_text(layer(1, "Seen under the folder."))
    wait_until(lambda: page_with(server, "articles/a1/", "Seen under the folder."), 10, "the edit")
    (site / "content" / "flycheck_notes.txt").write_text("Flycheck notes\n\nThe second words.\n")
    wait_until(lambda: page_with(server, "articles/flycheck_notes/", "The second words."), 10, "the flycheck_ edit")


def test_a_site_under_a_folder_named_not_in_utf8_is_watched(serve, tmp_path, monkeypatch):
    """Judge63: a site under a folder named in Latin-1 (b"caf\\xe9", from an old disk): watchfiles takes only
    names in UTF-8, and each of serve's watchers died with a traceback (UnicodeEncodeError): the site was served,
    and never rebuilt again; git's folders, read as UTF-8, were not found. Such a site is looked at in turn instead."""
    died = []
    monkeypatch.setattr("threading.excepthook", lambda info: died.append(info.exc_value))
    server = serve(site_files(), tmp_path / "caf\udce9" / "site")
    site = server.engine.site
    (site / "annotations" / "a1.yaml").write_text(layer(1, "Seen under the Latin-1 folder."))
    wait_until(lambda: page_with(server, "articles/a1/", "Seen under the Latin-1 folder."), 10, "the edit")
    (site / "content" / "a9.txt").write_text(article(9))
    wait_until(lambda: get(server, "articles/a9/")[0] == 200, 10, "the new article")
    (site / "site.toml").write_text('title = "Renamed"\nsearch = false\n')
    wait_until(lambda: page_with(server, "", "Renamed"), 10, "the site.toml edit")
    _git(site, "init", "-q", "-b", "main")  # (git's folders, named by git as bytes, found by the watcher too)
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "Committed under the Latin-1 folder")
    wait_until(lambda: page_with(server, "articles/a1/", "Committed under the Latin-1 folder"), 10, "the commit")
    (site / "annotations" / "a1.yaml").write_text(layer(1, "A second note."))
    wait_until(lambda: page_with(server, "articles/a1/", "A second note."), 10, "the second edit")
    _git(site, "commit", "-qam", "Second commit, of the note alone")  # (no source file changes: git's watch alone)
    wait_until(lambda: page_with(server, "articles/a1/", "Second commit, of the note alone"), 10, "the second commit")
    wait_until(lambda: not server.status()["busy"], 10, "the rebuild")
    settled_at = server.status()["generation"]
    time.sleep(1.0)  # (two looks at the folders: nothing changed, nothing said, no rebuild)
    assert server.status()["generation"] == settled_at and died == []


def test_a_folder_or_stray_file_in_content_is_said_as_check_says_it_and_its_removal_recovers(serve):
    """A sub-folder made in content/ (an error for check and build) or a file that is no article (a warning)
    was never looked at by serve: no rebuild, nothing said, until some other file came or went."""
    server = serve(site_files())
    site = server.engine.site
    (site / "content" / "drafts").mkdir()
    wait_until(lambda: server.status()["state"] == "broken", 10, "the sub-folder said")
    assert server.status()["problems"] == [
        "content/drafts:1:1: error: content/ holds no sub-folders (its files are content/<slug>.md or .txt): "
        "move this folder out of content/"]
    (site / "content" / "drafts").rmdir()
    wait_until(lambda: server.status()["state"] == "ok", 10, "the removal")
    (site / "annotations" / "notes.txt").write_text("to do\n")
    wait_until(lambda: any("annotations/notes.txt:1:1: warning: not read" in line for line in server.lines), 10, "the warning")
    assert server.status()["state"] == "ok"


def test_stopped_during_the_first_build_it_says_no_rebuild_is_left_for_later(tmp_path, make_site, monkeypatch):
    """Ctrl-C during a build cut the build short and said "...; the rest is left for the next rebuild", a
    rebuild that never comes: the builder's lines end when serve stops."""
    import builder.serve.engine as engine_module

    real = engine_module.plan

    def slow_plan(*args, **kwargs):
        jobs = real(*args, **kwargs)
        for job in jobs:
            make = job.make
            object.__setattr__(job, "make", lambda make=make: (time.sleep(0.05), make())[1])
        return jobs

    monkeypatch.setattr(engine_module, "plan", slow_plan)
    site = make_site(tmp_path / "site", site_files())
    lines: list[str] = []
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: lines.append(m))
    server.start()
    wait_until(lambda: server.engine.busy and server.engine.deps, 10, "the first build under way")
    server.stop()
    assert server.engine.generation <= 1 and not server.engine.has_site
    assert not [line for line in lines if "next rebuild" in line], lines


def test_after_a_commit_only_the_articles_it_changed_are_read_again(tmp_path, make_site, monkeypatch):
    """A commit re-renders every page (each note's history) but reads again only the articles whose files
    it changed (their drift is measured from it): on 1,000 articles a commit took 9.4 s, 4.3 s so."""
    site = make_site(tmp_path / "site", site_files())
    _git(site, "init", "-q", "-b", "main")
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "First version")
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    (site / "annotations" / "a3.yaml").write_text(layer(3, "A later note."))
    engine.update({site / "annotations" / "a3.yaml"})
    _git(site, "commit", "-qam", "The later note")
    loaded = []
    real = Preview._load
    monkeypatch.setattr(Preview, "_load", lambda self, slug: (loaded.append(slug), real(self, slug))[1])
    rebuild = engine.update({site / ".git"})
    assert rebuild.ok and rebuild.kind == "git" and loaded == ["a3"]
    assert "The later note" in (tmp_path / "out" / "articles" / "a3" / "index.html").read_text()
    assert len(set(rebuild.rendered)) == len(engine.deps)


def test_a_file_no_build_reads_coming_and_going_rebuilds_nothing(tmp_path, make_site):
    """An editor's autosave beside an article (emacs's #a1.txt#, which check ignores too) is looked at, and
    when the folders read the same as before nothing is linked or rendered again."""
    site = make_site(tmp_path / "site", site_files())
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    autosave = site / "content" / "#a1.txt#"
    autosave.write_text(article(1) + "half a sentence")
    assert engine.update({autosave}) is None
    autosave.unlink()
    assert engine.update({autosave}) is None
    stray = site / "content" / "a1.txt.bak"
    stray.write_text(article(1))
    rebuild = engine.update({stray})
    assert rebuild is not None and rebuild.ok and engine.state == "ok"


def locs(sitemap: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]*)</loc>", sitemap.decode("utf-8"))


def test_the_sitemap_lists_static_pages_as_the_build_does_and_follows_them(tmp_path, make_site, run_cli):
    """static/about/index.html and static/notes.html are in the build's sitemap: serve's lists them too,
    and one added or removed while serving comes or goes from it (nothing else re-rendered)."""
    page = "<!DOCTYPE html><html><head><title>{0}</title></head><body>{0}</body></html>\n"
    site = make_site(tmp_path / "site", site_files(**{
        "static/about/index.html": page.format("About"), "static/notes.html": page.format("Notes")}))
    assert run_cli("build", site, "--out", tmp_path / "built", "--base-url", "/")[0] == 0
    built = (tmp_path / "built/sitemap.xml").read_bytes()
    assert {"/about/", "/notes.html"} <= set(locs(built))
    out = tmp_path / "out"
    engine = Preview(site, out, log=lambda m, err=False: None)
    engine.update(None)
    assert (out / "sitemap.xml").read_bytes() == built
    (site / "static/contact.html").write_text(page.format("Contact"))
    rebuild = engine.update({site / "static/contact.html"})
    assert rebuild.ok and rebuild.rendered == ["sitemap.xml"]
    assert "/contact.html" in locs((out / "sitemap.xml").read_bytes())
    (site / "static/notes.html").unlink()
    (site / "static/about/index.html").unlink()
    engine.update({site / "static/notes.html", site / "static/about/index.html"})
    assert {"/about/", "/notes.html"}.isdisjoint(locs((out / "sitemap.xml").read_bytes()))
    (site / "static/contact.html").write_text(page.format("Contact, edited"))  # the same pages: nothing rendered
    assert engine.update({site / "static/contact.html"}).rendered == []


def test_a_static_page_in_a_made_pages_place_removed_while_serving_gives_that_page_back(tmp_path, make_site):
    """static/404.html wins over the page Glossator makes, as in a build; deleted while serving, the made
    page is served again (the static file was served on until restart)."""
    site = make_site(tmp_path / "site", site_files(**{"static/404.html": "<!DOCTYPE html><title>Mine</title>My own 404\n"}))
    out = tmp_path / "out"
    engine = Preview(site, out, log=lambda m, err=False: None)
    engine.update(None)
    assert "My own 404" in (out / "404.html").read_text()
    (site / "static/404.html").unlink()
    rebuild = engine.update({site / "static/404.html"})
    assert rebuild.ok and rebuild.rendered == ["404.html"]
    assert (out / "404.html").read_bytes() == render_site(load_site(site)[0], "/")["404.html"]


def test_a_broken_save_during_the_first_build_leaves_the_site_served_under_the_errors(tmp_path, make_site):
    """A typo saved while the first build renders (a large site takes seconds): the build used to stop at
    once for it, then the typo left no good site, so every page, static/'s too, answered 503 "nothing to
    serve" until it was fixed. The first build now finishes, and the typo is shown over the site it made."""
    page = "<!DOCTYPE html><html><head><title>Notes</title></head><body>My notes</body></html>\n"
    site = make_site(tmp_path / "site", site_files(**{"static/notes.html": page}))
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: None)
    render, saved = server.engine._render, []

    def a_save_comes_as_pages_render(*args, **kwargs):
        if not saved:
            saved.append(site / "annotations/a2.yaml")
            saved[0].write_text(layer(2).replace("rebuttal", "rebutal"))
            server.queue.put({saved[0]})
        return render(*args, **kwargs)

    server.engine._render = a_save_comes_as_pages_render
    server.start()
    try:
        wait_until(lambda: server.status()["state"] == "broken" and not server.status()["busy"], 10, "the typo said")
        for path in ("notes.html", "articles/a2/", ""):
            code, text, _ = get(server, path)
            assert code == 200 and "Glossator: 1 error" in text, (path, code)
        assert "My notes" in get(server, "notes.html")[1]
    finally:
        server.stop()


def test_a_folder_that_is_no_site_is_said_until_one_is_made_there(tmp_path, make_site):
    """`glossator serve` in the wrong folder served an empty site of 12 pages without a word, where check and
    build say "no site here"; now serve says it too (in the page and the terminal), and recovers once the
    folder gets a site, as after any broken save."""
    site = tmp_path / "repo"
    site.mkdir()
    lines = []
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: lines.append(m))
    engine.update(None)
    assert engine.state == "broken"
    assert [p.text().split(": no site here")[0] for p in engine.problems] == ["site.toml:1:1: error"]
    assert any("no site here" in line for line in lines)
    made = make_site(site, site_files())
    done = engine.update({made / "site.toml", made / "content", made / "annotations"})
    assert done.ok and engine.state != "broken", engine.problems
    assert (tmp_path / "out" / "index.html").is_file()


def test_outside_git_serve_warns_as_check_does_of_an_occurrence_that_now_chooses_among_one(serve):
    """Outside git, check and build warn of an `occurrence` given to a quote that now stands once (a copy deleted
    from the article: the note may sit on another passage); serve said nothing of it."""
    files = site_files()
    files["annotations/a1.yaml"] = layer(1).replace('    quote: "approved the budget 1"\n',
                                                    '    quote: "approved the budget 1"\n    occurrence: 1\n')
    server = serve(files)
    wait_until(lambda: any("annotations/a1.yaml:5:12: warning: occurrence 1 is given" in line for line in server.lines),
               6, "the warning")


def test_a_broken_save_looks_for_template_errors_only_in_the_pages_it_can_change(tmp_path, make_site, monkeypatch):
    """A site with its own templates: a mistake saved in one annotation file renders, to look for what the
    templates do wrong, the pages that file's article shows on (and those that failed before), not every page
    of the site at each save; a template error those pages meet is still said, as check says it."""
    import dataclasses

    from builder.serve import engine as engine_module

    made = []

    def counting(*args, **kwargs):
        return [dataclasses.replace(job, make=lambda job=job: made.append(job.path) or job.make())
                for job in real_plan(*args, **kwargs)]

    real_plan = engine_module.plan
    monkeypatch.setattr(engine_module, "plan", counting)
    article_template = '{% extends "base.html" %}{% block content %}<h1>{{ article.title }}</h1>{% endblock %}\n'
    site = make_site(tmp_path / "site", site_files(**{"templates/article.html": article_template}))
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "ok"
    total = len(engine.deps)
    a3 = site / "annotations/a3.yaml"
    a3.write_text(layer(3).replace("flags: [anonymous-source]", "flags: [anonymous-sorce]"))
    made.clear()
    engine.update({a3})
    assert engine.state == "broken" and [p.file for p in engine.problems] == ["annotations/a3.yaml"]
    far = {"articles/a1/index.html", "articles/a7/index.html", "articles/a8/index.html"}  # (a3's neighbours are a2, a4)
    assert "articles/a3/index.html" in made and not far & set(made) and len(made) < total / 2, (sorted(made), total)
    a3.write_text(layer(3))
    assert engine.update({a3}).ok
    # a template that fails on a3's page alone, then a mistake saved in a5's file: the look renders a5's pages and
    # a3's, which failed before, and says both mistakes as check says them
    (site / "templates/article.html").write_text(article_template.replace(
        "<h1>", "<h1>{% if article.slug == 'a3' %}{{ article.titel }}{% endif %}"))
    engine.update({site / "templates/article.html"})
    assert [p.file for p in engine.problems] == ["templates/article.html"]
    a5 = site / "annotations/a5.yaml"
    a5.write_text(layer(5).replace("flags: [rebuttal]", "flags: [rebutal]"))
    made.clear()
    engine.update({a5})
    said = [p.text() for p in engine.problems]
    assert [p.file for p in engine.problems] == ["annotations/a5.yaml", "templates/article.html"], said
    assert {"articles/a3/index.html", "articles/a5/index.html"} <= set(made) and not far & set(made), sorted(made)
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True)
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == said


def test_a_save_looks_again_only_at_the_links_of_the_articles_it_changed(tmp_path, make_site, monkeypatch):
    """serve's warnings about links (dead, or leaving base_url's path) are found again, at a save, only in the
    articles it changed, while the site's pages and static files stay the same: every note of 4,000 articles
    rendered and searched again cost half a second a save. The warnings stay those of the whole site."""
    from builder.serve import engine as engine_module

    looked: list[str] = []
    real = engine_module.dead_link_problems

    def counting(root, articles, written, *ids):
        articles = list(articles)
        looked.extend(a.slug for a in articles)
        return real(root, articles, written, *ids)

    monkeypatch.setattr(engine_module, "dead_link_problems", counting)
    site = make_site(tmp_path / "site", site_files(**{"annotations/a1.yaml": layer(1, note='"See [the report](../a9/)."')}))
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "ok" and sorted(looked) == sorted(SLUGS)
    dead = [p.text() for p in engine.warnings if "leads to no page" in p.message]
    assert len(dead) == 1 and dead[0].startswith("annotations/a1.yaml:"), dead
    looked.clear()
    a3 = site / "annotations/a3.yaml"
    a3.write_text(layer(3, note='"See [the other](../a8/) and [nothing](../a10/)."'))
    assert engine.update({a3}).ok
    assert looked == ["a3"], looked
    dead = sorted(p.text() for p in engine.warnings if "leads to no page" in p.message)
    assert [line.split(":")[0] for line in dead] == ["annotations/a1.yaml", "annotations/a3.yaml"], dead
    looked.clear()
    (site / "annotations/a1.yaml").write_text(layer(1))
    assert engine.update({site / "annotations/a1.yaml"}).ok and looked == ["a1"], looked
    assert [p.file for p in engine.warnings if "leads to no page" in p.message] == ["annotations/a3.yaml"]


def test_a_passage_id_renamed_in_one_article_is_said_at_the_links_to_it_from_another(tmp_path, make_site):
    """A note of a1 links to a passage of a2; a2's annotation file is saved with that passage's id renamed: the
    link now leads to the top of a2's page, and serve says so at once, as check would (not only at a1's next save)."""
    site = make_site(tmp_path / "site", site_files(**{"annotations/a1.yaml": layer(1, note='"See [the vote](../a2/#claim-2)."')}))
    engine = Preview(site, tmp_path / "out", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "ok" and not [p for p in engine.warnings if "no passage" in p.message]
    a2 = site / "annotations/a2.yaml"
    a2.write_text(layer(2).replace("id: claim-2", "id: claim-two"))
    assert engine.update({a2}).ok
    said = [p.text() for p in engine.warnings if "no passage" in p.message]
    assert len(said) == 1 and said[0].startswith("annotations/a1.yaml:") and '"../a2/#claim-two"' in said[0], said


def test_serve_says_the_warnings_check_gives_in_the_terminal_and_the_page_without_blocking_it(serve):
    """A dead link in a note and a site-absolute link that leaves base_url's path: check warns of both;
    serve said neither. Now the terminal says them as check does, the pages carry them in a panel (open on
    the page of the article they are about, folded elsewhere) above the page served whole, and a fix takes
    them away."""
    files = site_files()
    files["annotations/a1.yaml"] = layer(1, note='"See [the report](../a9/), [the other](/articles/a2/) and [the map](map.png)."')
    server = serve(files)
    wait_until(lambda: server.status()["state"] == "ok" and not server.status()["busy"], 6, what="the site")
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(server.site)], capture_output=True, text=True)
    warned = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert result.returncode == 0 and len(warned) == 3, result.stderr
    assert server.status()["warnings"] == warned
    assert all(line in server.lines for line in warned), server.lines
    status, page, _ = get(server, "articles/a1/")
    assert status == 200 and "approved the budget 1" in page and "glossator-problems\"" not in page
    assert re.search(r'<aside id="glossator-warnings"[^>]*><details open><summary>Glossator: 3 warnings', page)
    assert all(html.escape(line) in page for line in warned)
    other = get(server, "articles/a2/")[1]
    assert '<aside id="glossator-warnings"' in other and "<details open>" not in other
    (server.site / "static/articles/a1").mkdir(parents=True)
    (server.site / "static/articles/a1/map.png").write_bytes(b"\x89PNG\r\n")  # what the link leads to, put there
    wait_until(lambda: len(server.status()["warnings"]) == 2, 6, what="the map's warning gone")
    assert all("map.png" not in line for line in server.status()["warnings"])
    gen = server.status()["generation"]
    edit(server.site / "annotations/a1.yaml", layer(1))
    wait_until(lambda: settled(server, gen), 6, what="the rebuild")
    assert server.status()["warnings"] == [] and "glossator-warnings" not in get(server, "articles/a1/")[1]
