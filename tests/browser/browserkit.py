"""Plain helpers for the browser tests (no fixtures here): where things are, build, serve, list pages."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = Path(os.environ.get("GLOSSATOR_CHROMIUM", "/usr/bin/chromium"))  # Debian's; override for elsewhere
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


HAVE_PLAYWRIGHT = _importable("playwright") and _importable("pytest_playwright")
if not HAVE_PLAYWRIGHT:
    SKIP_REASON = "Playwright is not installed: pip install -e '.[test]'"
elif not CHROMIUM.exists():
    SKIP_REASON = f"no browser: {CHROMIUM} is missing (apt-get install chromium, or set GLOSSATOR_CHROMIUM)"
else:
    SKIP_REASON = None


class BuildFailed(Exception):
    pass


def build(site_root: Path, out: Path, base_url: str | None = None) -> Path:
    """`glossator build SITE --out OUT --no-cache`, as a user runs it (writing nothing into SITE);
    `base_url="/"` for pages served at the root whatever the site's base_url says."""
    extra = ["--base-url", base_url] if base_url else []
    # this checkout's builder, not the one installed (an editable install of another worktree is on sys.path too)
    path = os.pathsep.join(p for p in [str(REPO), os.environ.get("PYTHONPATH", "")] if p)
    result = subprocess.run([sys.executable, "-m", "builder", "build", str(site_root), "--out", str(out), "--no-cache", *extra],
                            capture_output=True, text=True, cwd=site_root, env={**os.environ, "PYTHONPATH": path})
    if result.returncode != 0:
        raise BuildFailed(f"glossator build {site_root} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return out


UNREAD = {"node_modules", "__pycache__", ".venv", ".pytest_cache"}
GIT_UNREAD = {"objects", "logs"}  # (its refs and index say what changed)


def fingerprint(site_root: Path) -> str:
    """A key for what a build of this folder reads: its path, and the name and bytes of each file under it (a site's
    .glossator-cache/ too: a build reads its records), so that a site written again, edited or committed to is a new
    key. (The repo's 1,400 files: 0.15 s.)"""
    root = site_root.resolve()
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape"))
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in (GIT_UNREAD if os.path.basename(folder) == ".git" else UNREAD))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if not os.path.isfile(path):  # (a pipe or a socket would not be read)
                continue
            try:
                with open(path, "rb") as file:
                    data = file.read()
            except OSError:
                continue
            digest.update(b"\0%s\0%d\0" % (os.path.relpath(path, root).encode("utf-8", "surrogateescape"), len(data)) + data)
    return digest.hexdigest()[:24]


def build_once(site_root: Path, store: Path) -> Path:
    """The site built into store/<fingerprint>, unless a build of the same folder as it stands is there already
    (from this test file, another, or another xdist worker: builds are byte-identical). A build is made aside and
    renamed in, so a worker never sees half of one. The folder is shared: a test that changes pages copies it."""
    out = store / fingerprint(site_root)
    if not out.is_dir():
        aside = Path(tempfile.mkdtemp(dir=store, prefix=".building-"))
        try:
            try:
                os.rename(build(site_root, aside / "out"), out)
            except OSError:  # (another worker renamed its build in first)
                if not out.is_dir():
                    raise
        finally:
            shutil.rmtree(aside, ignore_errors=True)
    return out


class _Handler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's own 404.html with status 404, as a host would."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".jsonld": "application/ld+json",
                      ".xml": "application/xml", ".js": "text/javascript", ".css": "text/css"}

    def log_message(self, format, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a request the browser gave up (a page left)
            super().handle_error(request, client_address)


def serve(directory: Path):
    """A threaded HTTP server for `directory` on a free port of 127.0.0.1: (server, base URL)."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def html_pages(out: Path) -> list[str]:
    """Every HTML page of a built site, as the path a browser asks for ("/", "/articles/x/", "/404.html")."""
    paths = []
    for file in sorted(out.rglob("*.html")):
        rel = file.relative_to(out).as_posix()
        paths.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return paths


def page_type(path: str) -> str:
    """index, article, flag, flags (their list), tag, tags, search, graph or 404."""
    if path == "/":
        return "index"
    if path in ("/flags/", "/tags/"):
        return path.strip("/")
    if path == "/404.html":
        return "404"
    return path.strip("/").split("/")[0].removesuffix("s")


def java() -> str | None:
    return shutil.which("java") or ("/usr/bin/java" if Path("/usr/bin/java").exists() else None)
