"""Browser tests: the built site, served over HTTP, driven by Debian's chromium through Playwright.

Everything here is skipped, with the reason, when chromium or Playwright is missing. The npm tools
(axe-core, the Nu HTML Checker) live in tests/browser/node_modules (`npm install` in this folder);
the tests that need them skip on their own when they are absent.

Fixtures:
    site_url   the repo's own site, built into a temporary folder and served on 127.0.0.1
    site_dir   that folder
    pages      every HTML page of that site, as server paths ("/", "/articles/x/", …, "/404.html")
    serve_site a function: serve_site(site_root) -> (url, out_dir), for other fixture sites
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

HAVE_PLAYWRIGHT = (importlib.util.find_spec("playwright") is not None
                   and importlib.util.find_spec("pytest_playwright") is not None)
SKIP_REASON = None
if not HAVE_PLAYWRIGHT:
    SKIP_REASON = "Playwright is not installed: pip install -e '.[test]'"
elif not CHROMIUM.exists():
    SKIP_REASON = f"no browser: {CHROMIUM} is missing (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    if SKIP_REASON is None:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


if HAVE_PLAYWRIGHT:

    @pytest.fixture(scope="session")
    def browser_type_launch_args(browser_type_launch_args):
        return {
            **browser_type_launch_args,
            "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        }


# ---------------------------------------------------------------- building and serving


def build(site_root: Path, out: Path) -> Path:
    """`glossator build SITE --out OUT`, as a user runs it; fails the test with its output if it fails."""
    result = subprocess.run([sys.executable, "-m", "builder", "build", str(site_root), "--out", str(out)],
                            capture_output=True, text=True, cwd=site_root)
    if result.returncode != 0:
        pytest.fail(f"glossator build {site_root} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return out


class _Handler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's own 404.html with status 404, as a host would."""

    def log_message(self, format, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


_Handler.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".jsonld": "application/ld+json",
                           ".xml": "application/xml", ".js": "text/javascript", ".css": "text/css"}


def serve(directory: Path):
    """A threaded HTTP server for `directory` on a free port of 127.0.0.1: (server, base URL)."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def html_pages(out: Path) -> list[str]:
    """Every HTML page of a built site, as the path a browser asks for."""
    paths = []
    for file in sorted(out.rglob("*.html")):
        rel = file.relative_to(out).as_posix()
        paths.append("/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel)
    return paths


@pytest.fixture(scope="session")
def serve_site(tmp_path_factory):
    servers = []

    def _serve(site_root: Path):
        out = build(site_root, tmp_path_factory.mktemp("site") / "out")
        server, url = serve(out)
        servers.append(server)
        return url, out

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def built_site(serve_site):
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    return serve_site(REPO)


@pytest.fixture(scope="session")
def site_url(built_site):
    return built_site[0]


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    return built_site[1]


@pytest.fixture(scope="session")
def pages(site_dir) -> list[str]:
    return html_pages(site_dir)


def page_type(path: str) -> str:
    if path == "/":
        return "index"
    if path == "/404.html":
        return "404"
    return path.strip("/").split("/")[0].rstrip("s")  # article, flag, tag


@pytest.fixture(scope="session")
def one_of_each(pages) -> dict[str, str]:
    """One page of each type: index, article (the most annotated), flag, tag, 404."""
    chosen: dict[str, str] = {}
    for path in pages:
        chosen.setdefault(page_type(path), path)
    chosen["article"] = "/articles/zetas-ms13-allies/"
    assert set(chosen) == {"index", "article", "flag", "tag", "404"}, chosen
    return chosen


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: cd {HERE.relative_to(REPO)} && npm install")
    return AXE.read_text(encoding="utf-8")


def java() -> str | None:
    return shutil.which("java") or (os.path.exists("/usr/bin/java") and "/usr/bin/java") or None
