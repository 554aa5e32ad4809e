"""What serve adds to the pages it serves: the livereload script, the problems panel, the page shown before the first build."""
from __future__ import annotations

import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem
from ..output import safe_relative
from . import hosts

OVERLAY_CSS = """\
.glossator-problems{position:sticky;z-index:2147483647;top:0;max-height:60vh;overflow:auto;
margin:0;padding:.75rem 1rem;background:#fff3f2;color:#5c0b06;border-bottom:3px solid #c62828;
box-shadow:0 4px 16px rgba(0,0,0,.25);font:15px/1.45 system-ui,sans-serif;text-align:left}
.glossator-problems summary{cursor:pointer;font-weight:600}
.glossator-problems ul{margin:.5rem 0 0;padding:0 0 0 1.2rem}
.glossator-problems li{margin:.2rem 0}
.glossator-problems code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;
word-break:break-word;color:#3b0000;background:none}
@media (prefers-color-scheme:dark){.glossator-problems{background:#2b1211;color:#ffd9d6}
.glossator-problems code{color:#ffe9e7}}
.glossator-problems.glossator-warnings{position:static;box-shadow:none;background:#fff8e1;color:#4a3300;
border-bottom-color:#e0a800;padding:.4rem 1rem}
.glossator-warnings code{color:#3a2800}
@media (prefers-color-scheme:dark){.glossator-problems.glossator-warnings{background:#2b2410;color:#ffe8b0}
.glossator-warnings code{color:#fff1cc}}
"""

SEARCH_PAGE = "search/index.html"
# on the search page, the words typed are kept in the URL (?q=, which the page reads when it loads), so that
# a reload after the index changed shows the results for the same words
KEEP_QUERY_JS = """\
(function () {
  var input = document.getElementById("search-q");
  if (!input) return;
  input.addEventListener("input", function () {
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    history.replaceState(history.state, "", url);
  });
})();
"""
KEEP_QUERY = b'<script src="/__glossator/keep-query.js" defer></script>'
# A reload sent while a tab was between pages (the old page's websocket closed, the new one's not yet open) would be
# lost, and the tab would show a page one save behind: once connected, the page asks whether it missed one since
# the reload count it was served at (a second save within a rebuild's time of the first, say).
MISSED_JS = """\
(function () {
  var since = new URL(document.currentScript.src).searchParams.get("since");
  document.addEventListener("LiveReloadConnect", function () {
    fetch("/__glossator/missed?since=" + since + "&url=" + encodeURIComponent(location.href))
      .then(function (r) { return r.json(); })
      .then(function (missed) { if (missed) location.reload(); }, function () {});
  });
})();
"""
MISSED_JS_PATH = "/__glossator/missed.js"
# At a path of serve's own, not /livereload.js, which is the site's if its static/ has one; a script away from
# the root finds its websocket by the host and port in its query (livereload.js's Options.extract).
LIVE_JS = "/__glossator/livereload.js"
OVERLAY_LINK = b'<link rel="stylesheet" href="/__glossator/overlay.css">'
HEAD_END = re.compile(rb"</head\s*>", re.I)
BODY_START = re.compile(rb"<body\b[^>]*>", re.I)
MAX_LISTED = 100


def problems_panel(problems: list[Problem], last_good: bool = True) -> bytes:
    n = len(problems)
    items = "".join(f"<li><code>{html.escape(p.text())}</code></li>" for p in problems[:MAX_LISTED])
    if n > MAX_LISTED:
        items += f"<li>… and {n - MAX_LISTED} more (see the terminal)</li>"
    panel = (
        '<aside id="glossator-problems" class="glossator-problems" role="alert" aria-label="Problems in the site\'s files">'
        f"<details open><summary>Glossator: {n} error{'s' if n != 1 else ''} in the site's files. "
        f"{'The page below is the last good version; save' if last_good else 'Save'} a fix and it reloads.</summary>"
        f"<ul>{items}</ul></details></aside>"
    )
    return panel.encode("utf-8")


def warnings_panel(warnings: list[Problem], rel: str) -> bytes:
    """The warnings, for a good site's page `rel`: above the page, scrolling with it; folded to one line
    unless one is about the article the page shows (its text or its annotation file)."""
    n = len(warnings)
    slug = rel.split("/")[1] if rel.startswith("articles/") and rel.count("/") >= 2 else None
    own = slug is not None and any(p.file.split("/")[0] in ("content", "annotations") and p.file.count("/") == 1
                                   and p.file.split("/")[1].rsplit(".", 1)[0] == slug for p in warnings)
    items = "".join(f"<li><code>{html.escape(p.text())}</code></li>" for p in warnings[:MAX_LISTED])
    if n > MAX_LISTED:
        items += f"<li>… and {n - MAX_LISTED} more (see the terminal)</li>"
    return (
        '<aside id="glossator-warnings" class="glossator-problems glossator-warnings" role="status" '
        'aria-label="Warnings about the site\'s files">'
        f"<details{' open' if own else ''}><summary>Glossator: {n} warning{'s' if n != 1 else ''} about the site's files "
        "(the site builds; check says them too).</summary>"
        f"<ul>{items}</ul></details></aside>"
    ).encode("utf-8")


def live_script(host: str, port: int) -> bytes:
    """The reload script's tag for a page asked for as `host` (the request's Host, trusted: with or
    without its port), whose websocket is on `port`."""
    return f'<script src="{LIVE_JS}?host={html.escape(hosts.split(host)[0])}&amp;port={port}"></script>'.encode()


def decorate(page: bytes, problems: list[Problem], *, host: str, port: int, last_good: bool = True,
             search: bool = False, since: int = 0, warnings: list[Problem] = (), rel: str = "") -> bytes:
    """Add the livereload script (and, while the site is broken, the problems panel; while it has warnings
    alone, the warnings panel) to a page asked for as `host` from serve on `port`; `last_good`: the page is the
    last good version of the site (not a placeholder); `search`: the search page (the words typed are kept in
    its URL across reloads); `since`: how many reloads serve had sent when the page was read (MISSED_JS);
    `rel`: the page's path in the site."""
    missed = f'<script src="{MISSED_JS_PATH}?since={since}" defer></script>'.encode()
    warnings = [] if problems or not last_good else warnings
    head = (live_script(host, port) + missed + (KEEP_QUERY if search else b"")
            + (OVERLAY_LINK if problems or warnings else b""))
    m = HEAD_END.search(page)
    if m:
        page = page[: m.start()] + head + page[m.start():]
    else:
        b = BODY_START.search(page)
        at = b.end() if b else 0
        page = page[:at] + head + page[at:]
    if problems or warnings:
        panel = problems_panel(problems, last_good) if problems else warnings_panel(warnings, rel)
        b = BODY_START.search(page)
        page = page[: b.end()] + panel + page[b.end():] if b else page + panel
    return page


def placeholder(state: str) -> bytes:
    if state == "building":
        title, text = "Building…", "Glossator is building the site; this page reloads when it is ready."
    else:
        title, text = "The site has errors", "There is no good version of the site to show yet: fix the errors listed above and this page reloads."
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        + ('<meta http-equiv="refresh" content="2">\n' if state == "building" else "")  # reloads without JavaScript too
        + f"<title>{title}</title>\n</head>\n<body>\n<main style=\"font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:6rem auto;padding:0 1rem\">\n"
        f"<h1>{title}</h1>\n<p>{text}</p>\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def misdirected(host: str | None, url: str, port: int, everywhere: bool) -> bytes:
    """The page for a request by a name serve does not answer to (421): which address to open instead.
    `everywhere`: serve was started on a wildcard address (0.0.0.0), for other devices too."""
    if everywhere:
        where = (f'open <a href="http://localhost:{port}/">http://localhost:{port}/</a> on this machine, or this '
                 f"machine's IP address with port {port} from another device.")
    else:
        where = (f'open <a href="{html.escape(url)}">{html.escape(url)}</a>. To preview from another device, start '
                 "<code>glossator serve --host 0.0.0.0</code> and open this machine's IP address with the port.")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Glossator: open the preview at '
        'its own address</title>\n</head>\n<body>\n<main style="font:18px/1.5 system-ui,sans-serif;max-width:40rem;'
        'margin:6rem auto;padding:0 1rem">\n<h1>Open the preview at its own address</h1>\n'
        f"<p>This is Glossator's preview, asked for by the name <code>{html.escape(host or '(none)')}</code>. It "
        f"answers only to its own addresses (any other name might be another site's, pointed at this machine so that "
        f"its pages can read the drafts): {where}</p>\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def content_type(path: str) -> str:
    if path.endswith((".html", ".htm")):
        return "text/html; charset=utf-8"
    if path.endswith(".jsonld"):
        return "application/ld+json; charset=utf-8"
    if path.endswith(".xml"):
        return "application/xml; charset=utf-8"
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        guessed += "; charset=utf-8"
    return guessed


def path_of(url: str) -> str:
    """The output path a browser tab's URL names (whether or not the file is there)."""
    path = urlsplit(url).path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def page_of(url: str, out: Path) -> str:
    """The output path a browser tab shows, from its URL."""
    path = path_of(url)
    try:
        exists = (out / safe_relative(path)).is_file()
    except ValueError:
        exists = False
    return path if exists else "404.html"
