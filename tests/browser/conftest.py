"""Browser tests: the built site, served over HTTP, driven by Debian's chromium through Playwright.

Everything here that drives a browser is skipped, with the reason, when chromium or Playwright is
missing. The npm tools
(axe-core, the Nu HTML Checker) live in tests/browser/node_modules (`npm install` in this folder);
the tests that need one skip on their own, with the reason, when it is absent.

Fixtures:
    site_url    the repo's own site, built into a temporary folder and served on 127.0.0.1
    site_dir    that folder
    pages       every HTML page of that site, as server paths ("/", "/articles/x/", …, "/404.html")
    one_of_each one page of each type: {"index": "/", "article": …, "flag": …, "tag": …, "404": …}
    serve_site  a function: serve_site(site_root) -> (url, out_dir), for other fixture sites (own=True: a copy
                to change)
    built       a function: built(site_root) -> out_dir, each state of a site's folder built once in the run
    axe_source  the text of axe.min.js
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from .browserkit import AXE, CHROMIUM, CHROMIUM_ARGS, HAVE_PLAYWRIGHT, HERE, REPO, SKIP_REASON, BuildFailed, build_once, \
    html_pages, page_type, serve


def pytest_runtest_setup(item):
    """Without a browser, each test that drives one is skipped before its fixtures start one, said once for
    them all in the summary (a skip mark on each said the same reason on 51 lines, where a failure is read).
    A module that needs no browser (the HTML checker's) says so with NEEDS_BROWSER = False."""
    if SKIP_REASON is not None and HERE in Path(str(item.path)).resolve().parents and getattr(item.module, "NEEDS_BROWSER", True):
        pytest.skip(SKIP_REASON)


# The tests that measure where lines and notes fall need the shipped face in use; its font-display: optional leaves
# it out of a visit it comes late to, as it may on a busy machine (a CI host's two workers and more: three such tests
# failed once each in three loaded runs, each passing alone). Such a test runs once more before it fails
# (pytest-rerunfailures, where it is installed: README's test install has it).
MEASURING = {"test_layout.py", "test_first_screen.py", "test_readers.py", "test_reading.py", "test_shapes.py"}


def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin("rerunfailures"):
        return
    for item in items:
        if Path(str(item.path)).name in MEASURING and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.flaky(reruns=1))


if HAVE_PLAYWRIGHT:
    from playwright.sync_api import sync_playwright

    @pytest.fixture(scope="session")
    def browser_type_launch_args(browser_type_launch_args):
        return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}

    # pytest-playwright keeps Playwright (and its asyncio loop, "running" in this thread) for the whole
    # session, which breaks any later test that calls asyncio.run(). The same fixtures, scoped to
    # this package, stop it when the browser tests are done.
    @pytest.fixture(scope="package")
    def playwright():
        pw = sync_playwright().start()
        yield pw
        pw.stop()

    @pytest.fixture(scope="package")
    def browser_context_args():
        return {}

    @pytest.fixture(scope="package")
    def browser_type(playwright, browser_name):
        return getattr(playwright, browser_name)

    @pytest.fixture(scope="package")
    def launch_browser(browser_type_launch_args, browser_type):
        def launch(**kwargs):
            return browser_type.launch(**{**browser_type_launch_args, **kwargs})
        return launch

    @pytest.fixture(scope="package")
    def browser(launch_browser):
        browser = launch_browser()
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """built(site_root) -> out: the site built once in the run for each state of its folder, whichever test file or
    xdist worker asks (kept in the run's temporary folder, which the workers share)."""
    base = tmp_path_factory.getbasetemp()
    store = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "builds"
    store.mkdir(exist_ok=True)

    def _built(site_root: Path) -> Path:
        try:
            return build_once(site_root, store)
        except BuildFailed as exc:
            pytest.fail(str(exc))
    return _built


@pytest.fixture(scope="session")
def serve_site(built, tmp_path_factory):
    """serve_site(site_root) -> (url, out), one server per build; own=True: a copy of the build for a test that
    changes its pages."""
    servers, urls = [], {}

    def _serve(site_root: Path, own: bool = False):
        out = built(site_root)
        if own:
            out = Path(shutil.copytree(out, tmp_path_factory.mktemp("site") / "out"))
        if out not in urls:
            server, urls[out] = serve(out)
            servers.append(server)
        return urls[out], out

    yield _serve
    # all at once: each shutdown waits up to serve_forever's poll (0.5 s), one by one 19 s for test_layout's 60 servers
    stopping = [threading.Thread(target=server.shutdown) for server in servers]
    for thread in stopping:
        thread.start()
    for thread in stopping:
        thread.join()
    for server in servers:
        server.server_close()


@pytest.fixture(scope="session")
def built_site(serve_site):
    return serve_site(REPO)


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    return built_site[0]


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    return built_site[1]


@pytest.fixture(scope="session")
def pages(site_dir) -> list[str]:
    return html_pages(site_dir)


@pytest.fixture(scope="session")
def one_of_each(pages) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for path in pages:
        chosen.setdefault(page_type(path), path)
    chosen["article"] = "/articles/zetas-ms13-allies/"  # the most annotated
    assert set(chosen) == {"index", "article", "flag", "flags", "tag", "tags", "404", "search", "graph"}, chosen
    return chosen


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: cd {HERE.relative_to(REPO)} && npm install")
    return AXE.read_text(encoding="utf-8")
