"""The preview web server: serves the engine's output folder, reloads open pages, runs the builder thread."""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import queue
import re
import shutil
import signal
import stat
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import quote

from ..errors import printable
from ..output import safe_relative
from ..cache import serve_folder
from . import hosts
from .engine import Preview
from ..search import FOLDER as search_folder
from .searchindex import SearchRefresher
from .overlay import (KEEP_QUERY_JS, LIVE_JS, MISSED_JS, MISSED_JS_PATH, OVERLAY_CSS, SEARCH_PAGE, content_type,
                      decorate, misdirected, page_of, path_of, placeholder)

MISSED_KEPT = 100  # reloads remembered for a tab that asks whether it missed one (older: it reloads to be sure)


def _handlers(server: "PreviewServer"):
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    def refuse_foreign(handler) -> None:
        """Every request: one for another Host is DNS rebinding (a page of another site), or a writer who typed
        another name for this machine (told which address to open); one whose Origin is another site's is that
        site's page asking (a browser sends none, or its own, for the site's own pages)."""
        request = handler.request
        if not server.trusted_host(request.host):
            handler.set_status(421, reason="Misdirected Request: unknown Host")
            handler.set_header("Content-Type", "text/html; charset=utf-8")
            handler.finish(misdirected(request.host, server.url, server.port, hosts.everywhere(server.host)))
            return
        origin = request.headers.get("Origin")
        if origin is not None and not server.trusted_origin(origin):
            raise web.HTTPError(403, reason="Forbidden: request from another site")

    class LiveReload(LiveReloadHandler):
        """livereload's websocket handler, remembering which page each tab shows."""

        owner = server

        page_url = None

        def check_origin(self, origin):
            return server.trusted_origin(origin)

        def prepare(self):
            refuse_foreign(self)  # at the handshake, as a page is

        def open(self, *args, **kwargs):
            if not server.trusted_host(self.request.host):
                self.close(1008, "unknown host")
                return
            return super().open(*args, **kwargs)

        def on_message(self, message):
            if self.ws_connection is None or self.close_code is not None:
                return  # closed by open() (a foreign host): livereload's answer would fail, with a traceback
            try:
                data = json.loads(message)
            except (TypeError, ValueError):
                return  # not livereload's protocol: ignored
            if not isinstance(data, dict):
                return
            super().on_message(message)
            if data.get("command") == "info" and "url" in data:
                self.page_url = str(data["url"])

    class Base(web.RequestHandler):
        def set_default_headers(self):
            self.set_header("Cache-Control", "no-store")

        def prepare(self):
            refuse_foreign(self)

    class Overlay(Base):
        def get(self):
            self.set_header("Content-Type", "text/css; charset=utf-8")
            self.finish(OVERLAY_CSS)

    class KeepQuery(Base):
        def get(self):
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(KEEP_QUERY_JS)

    class MissedJS(Base):
        def get(self):
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(MISSED_JS)

    class Missed(Base):
        def get(self):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            try:
                since = int(self.get_argument("since"))
            except ValueError:
                since = -1
            self.finish(json.dumps(server.missed(since, self.get_argument("url", ""))))

    class Status(Base):
        def get(self):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(server.status()))

    class Pages(Base):
        def head(self, path):
            self.get(path, head=True)

        def decode_argument(self, value, name=None):
            """The path, its bytes not in UTF-8 (`%ff`) replaced: no page is there, and the site's 404 page says so
            (tornado answered its own bare 400 page)."""
            return value.decode("utf-8", "replace")

        def get(self, path, head=False):
            engine = server.engine
            self.since = server.reloads  # before the page is read: a reload after it is one the page did not see
            rel = _page_path(path)
            target = server.out / rel if rel is not None else None
            kind = _kind(target) if target is not None else None
            if not engine.has_site and (rel is None or rel.endswith(".html") or kind != "file"):
                self.set_header("Retry-After", "1")  # the page reloads itself once there is a site
                return self._send(503, "index.html", self._decorate(placeholder(engine.state), last_good=False), head)
            if kind == "dir":
                query = f"?{self.request.query}" if self.request.query else ""
                return self.redirect(f"/{quote(rel)}/{query}", permanent=False)  # a name in static/ may hold a line break
            status = 200
            try:
                if kind != "file" or not target.resolve().is_relative_to(server.out.resolve()):  # a link out of the output
                    raise FileNotFoundError(rel)
                data = target.read_bytes()
            except OSError:
                status, rel = 404, "404.html"
                try:
                    data = (server.out / "404.html").read_bytes()
                except OSError:
                    data = b"<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
            if rel.endswith((".html", ".htm")):  # the problems as they are once the page is read: a rebuild clears
                # them before it writes the page it fixed
                data = self._decorate(data, search=rel == SEARCH_PAGE, warnings=engine.warnings, rel=rel)
            self._send(status, rel, data, head)

        def _decorate(self, page: bytes, **how) -> bytes:
            return decorate(page, server.engine.problems, host=self.request.host, port=server.port, since=self.since,
                            **how)

        def _send(self, status, rel, data, head):
            self.set_status(status)
            self.set_header("Content-Type", content_type(rel))
            if head:  # the headers GET gives: its length, and its Etag (tornado's, of no body, told a cache nothing)
                self.set_header("Content-Length", str(len(data)))
                if status == 200:
                    self.set_header("Etag", f'"{hashlib.sha1(data).hexdigest()}"')
                return self.finish()
            self.finish(data)

    class LiveReloadJS(LiveReloadJSHandler):
        def prepare(self):
            refuse_foreign(self)

    return [
        (r"/livereload", LiveReload),
        (re.escape(LIVE_JS), LiveReloadJS),
        (r"/__glossator/overlay\.css", Overlay),
        (r"/__glossator/status", Status),
        (re.escape(MISSED_JS_PATH), MissedJS),
        (r"/__glossator/missed", Missed),
        (r"/__glossator/keep-query\.js", KeepQuery),
        (r"/(.*)", Pages),
    ]


def _page_path(path: str) -> str | None:
    """The output file a request's path names (a folder: its index.html), or None where none can be: a path with a
    NUL or a backslash, or one out of the output (`/..%2f`, `//etc/passwd`): those get the site's 404 page too."""
    if "\\" in path or "\x00" in path:
        return None
    try:
        rel = safe_relative(path).as_posix() if path.strip("/") else ""
    except ValueError:
        return None
    if rel and path.endswith("/"):
        rel += "/"
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _kind(path: Path) -> str | None:
    """"file", "dir" or None (nothing there, or a name the system refuses: too long for it, say)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else None


class PreviewServer:
    """The engine, the watcher, a builder thread and the tornado server around them.

    `start()` runs the web server in a thread (tests, benchmarks); `run()` runs it in the calling
    thread until Ctrl-C (the command line)."""

    def __init__(self, site: Path, host: str = "127.0.0.1", port: int = 8000, log=None,
                 debounce_ms: int = 50, step_ms: int = 10):
        from tornado.netutil import bind_sockets

        self.site = Path(site).resolve()
        self.host = host
        self.log = log or (lambda message, err=False: print(message, file=sys.stderr if err else sys.stdout, flush=True))
        self.sockets = bind_sockets(port, host)  # OSError when the port is taken: before anything else
        self.port = self.sockets[0].getsockname()[1]
        self.out = serve_folder(self.site)
        self.engine = Preview(self.site, self.out, log=self._said, notify=self._notify, viewed=self._viewed)
        self.search = SearchRefresher(self.out, self._said, changed=lambda: self._notify({SEARCH_PAGE}))
        self.queue: queue.Queue = queue.Queue()
        self.watcher = None
        self.step_ms = step_ms  # watchfiles reports a change after this much quiet
        self.debounce_ms = debounce_ms  # a rebuild starts after this much quiet (saves within it: one rebuild)
        self.loop = None
        self.reloads = 0  # reloads sent to the open tabs; the last MISSED_KEPT of them, with the paths each was for:
        self.sent: list[tuple[int, set | None]] = []  # (both kept and read in the web server's thread)
        self._stopping = False
        self._threads: list[threading.Thread] = []
        self._http = None

    def _said(self, message: str, err: bool = False) -> None:
        """The builder's and the index's lines, until Ctrl-C: a rebuild cut short by it is no news (it said
        "change: 0 page(s) updated; the rest is left for the next rebuild" before "stopped")."""
        if not self._stopping:
            self.log(message, err=err)

    def trusted_host(self, host_header: str | None) -> bool:
        return hosts.trusted_host(host_header, self.host, self.port)

    def trusted_origin(self, origin: str | None) -> bool:
        """A websocket opened by one of this server's own pages."""
        return hosts.trusted_origin(origin, self.host, self.port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def status(self) -> dict:
        # busy and generation first: a rebuild's record is in the history before its generation
        # counts, so `last` is never older than `generation` says (it may be newer)
        busy = self.engine.busy or not self.queue.empty()
        generation = self.engine.generation
        last = self.engine.history[-1].as_dict() if self.engine.history else None
        if last is not None:  # counts in full, lists cut short (a first build renders every page)
            for key in ("rendered", "written", "removed"):
                last[f"{key}_count"] = len(set(last[key]))
                del last[key][500:]
        return {
            "state": self.engine.state, "busy": busy, "generation": generation,
            "problems": [p.text() for p in self.engine.problems], "warnings": [p.text() for p in self.engine.warnings],
            "pages": len(self.engine.deps), "last": last,
        }

    # ------------------------------------------------------------------ threads

    def _build_forever(self) -> None:
        try:
            self._guarded(None)
            while True:
                batch = self.queue.get()
                if batch is None:
                    return
                self.engine.busy = True  # from now: the status never shows idle with a change in hand
                paths = set(batch)
                # debounce: wait until no change has come for debounce_ms (watchfiles waited step_ms
                # already), so that saves in quick succession make one rebuild; at most one second
                quiet = max(self.debounce_ms - self.step_ms, 0) / 1000
                give_up = time.monotonic() + 1.0
                while True:
                    try:
                        more = self.queue.get(timeout=min(quiet, max(give_up - time.monotonic(), 0)))
                    except queue.Empty:
                        break
                    if more is None:
                        return
                    paths |= more
                self._guarded(paths)
        finally:
            self.engine.busy = False

    def _guarded(self, paths) -> None:
        try:
            engine = self.engine
            # a save cuts a rebuild short (what it leaves is done next), but not before there is a whole site: were
            # the save a typo, there would be no good site to serve under it, static/'s pages included
            rebuild = engine.update(paths, interrupted=lambda: self._stopping or (engine.has_site and not self.queue.empty()))
            if (rebuild is not None and rebuild.ok and not rebuild.interrupted and engine.state == "ok"
                    and engine.config is not None and engine.config.search
                    and (rebuild.written or rebuild.removed or self.search.runs == 0)):
                self.search.request(engine.config.language)  # in the background: this rebuild's pages are written and reloading
            elif (rebuild is not None and rebuild.ok and engine.config is not None and not engine.config.search
                    and (self.out / search_folder).exists()):
                self.search.request(None)  # search turned off in site.toml: the old index goes
        except Exception as exc:  # a bug, not bad input: say so and keep serving
            if self._stopping:
                return
            self.log(f"glossator serve: internal error while rebuilding ({exc.__class__.__name__}: {exc}); "
                     "still serving the last good site", err=True)
            self.log("".join(traceback.format_exception(exc)).rstrip(), err=True)

    def _on_changes(self, paths: set[Path]) -> None:
        if not self._stopping:
            self.queue.put(paths)

    def _notify(self, paths) -> None:
        loop = self.loop
        if loop is not None and not self._stopping:
            loop.add_callback(self._reload, paths)

    def _viewed(self) -> set[str]:
        """The output paths the open browser tabs show (their livereload connections said which)."""
        from livereload.handlers import LiveReloadHandler

        try:
            urls = [getattr(w, "page_url", None) for w in list(LiveReloadHandler.waiters)]
        except RuntimeError:  # (the set changed size as the server's thread took a tab in or out)
            return set()
        return {path_of(url) for url in urls if url}

    def missed(self, since: int, url: str) -> bool:
        """Whether the tab showing `url`, served when `since` reloads had been sent, missed one meant for it."""
        if since < self.reloads - len(self.sent) or since > self.reloads:  # older than those kept, or not ours
            return since != self.reloads
        return any(self._shows(url, paths) for n, paths in self.sent if n > since)

    def _shows(self, url: str | None, paths: set | None) -> bool:
        """Whether a reload for `paths` (None: every page) is for the tab showing `url` (None: not said yet)."""
        # the page it shows changed, or the page it asked for did (removed: it now shows the 404 page)
        return paths is None or url is None or page_of(url, self.out) in paths or path_of(url) in paths

    def _reload(self, paths) -> None:
        from livereload.handlers import LiveReloadHandler

        if paths is not None and not paths:
            return
        self.reloads += 1
        self.sent = (self.sent + [(self.reloads, paths)])[-MISSED_KEPT:]
        if paths is None:
            LiveReloadHandler.reload_waiters()
            return
        if all(p.endswith(".css") for p in paths):
            for p in sorted(paths):  # livereload.js swaps stylesheets in place
                LiveReloadHandler.reload_waiters("/" + p)
            return
        message = {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
        for waiter in list(LiveReloadHandler.waiters):
            if self._shows(getattr(waiter, "page_url", None), paths):
                try:
                    waiter.write_message(message)
                except Exception:
                    LiveReloadHandler.waiters.discard(waiter)

    def _begin(self) -> None:
        """Watcher first (no change is missed), then the builder (the first build)."""
        from .watch import SiteWatcher

        self.watcher = SiteWatcher(self.site, self._on_changes, self.step_ms)
        self.watcher.start()
        builder = threading.Thread(target=self._build_forever, name="glossator-builder", daemon=True)
        builder.start()
        self._threads.append(builder)

    def _listen(self) -> None:
        from livereload.handlers import LiveReloadHandler
        from tornado import httpserver, ioloop, web

        class Quiet:  # reload_waiters() logs watcher.filepath; no livereload watcher runs here
            filepath = None

        LiveReloadHandler.watcher = Quiet()
        LiveReloadHandler.live_css = True
        self.loop = ioloop.IOLoop.current()
        app = web.Application(_handlers(self), log_function=lambda handler: None, websocket_ping_interval=None)
        # a request the server refuses (a malformed URL, which any page can make a browser send) is no news for the
        # writer: tornado said each in full, 9 KB a line (an outside audit); its errors are still said
        logging.getLogger("tornado.general").setLevel(logging.ERROR)
        self._http = httpserver.HTTPServer(app)
        self._http.add_sockets(self.sockets)

    def start(self) -> "PreviewServer":
        """Serve from a background thread; returns once the server listens."""
        import asyncio

        ready = threading.Event()

        def serve():
            asyncio.set_event_loop(asyncio.new_event_loop())
            self._listen()
            ready.set()
            self.loop.start()
            self._http.stop()
            self.loop.close(all_fds=True)

        thread = threading.Thread(target=serve, name="glossator-http", daemon=True)
        thread.start()
        self._threads.append(thread)
        ready.wait(10)
        self._begin()
        return self

    def run(self) -> None:
        """Serve from this thread until Ctrl-C (SIGINT) or SIGTERM; then stop cleanly."""
        self._listen()
        loop = self.loop
        aloop = getattr(loop, "asyncio_loop", None)
        signals = tuple(s for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # one the caller ignores stays so
                        if signal.getsignal(s) != signal.SIG_IGN)

        def stop(*_):
            for s in signals:  # a second Ctrl-C ends at once
                try:
                    aloop.remove_signal_handler(s)
                except (AttributeError, NotImplementedError, RuntimeError):
                    signal.signal(s, signal.SIG_DFL)
            loop.add_callback(loop.stop)

        # asyncio's handlers wake the loop through its wakeup fd even when the signal lands on
        # another thread (the watchers'); a plain signal.signal handler might wait for the next event
        try:
            for s in signals:
                aloop.add_signal_handler(s, stop)
        except (AttributeError, NotImplementedError, RuntimeError):
            for s in signals:
                signal.signal(s, stop)
        try:
            self._begin()
            self.log(f"serving {printable(str(self.site), 300)} at {self.url} (Ctrl-C to stop)")
            if not hosts.loopback_only(self.host):
                self.log(f"warning: on {self.host}, anyone who can reach this machine can read the drafts; "
                         "serve on 127.0.0.1 (the default) to keep them to yourself")
            loop.start()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for s in signals:
                signal.signal(s, signal.default_int_handler if s == signal.SIGINT else signal.SIG_DFL)
            self._http.stop()
            self.stop()
            self.log("stopped")

    def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        self.queue.put(None)
        self.search.stop()
        if self.watcher is not None:
            self.watcher.stop()
        loop = self.loop
        if loop is not None:
            try:
                loop.add_callback(loop.stop)
            except RuntimeError:
                pass
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass
        from livereload.handlers import LiveReloadHandler

        for waiter in list(LiveReloadHandler.waiters):  # this server's tabs: their connections are gone
            if getattr(waiter, "owner", None) is self:
                LiveReloadHandler.waiters.discard(waiter)
        shutil.rmtree(self.out, ignore_errors=True)


def run(site: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """`glossator serve`: exit code."""
    try:
        server = PreviewServer(site, host, port)
    except OSError as exc:  # a usage problem (exit 2, as click's): the port taken, or a --host not of this machine
        if exc.errno == errno.EADDRINUSE:
            fix = "choose another --port"
        elif exc.errno == errno.EACCES and 0 < port < 1024:  # (bind's EACCES: a port the system keeps for its administrator)
            fix = "ports below 1024 are the system administrator's: choose a --port above 1023, such as 8000"
        else:
            fix = "choose a --host of this machine, such as 127.0.0.1"
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc} ({fix})", file=sys.stderr)
        return 2
    server.run()
    return 0
