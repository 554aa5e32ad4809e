"""Hostile text: script tags, event handlers and script URLs in every field a user writes.

The fixture site tests/sites/hostile puts them in the site's title, description, annotator and
flag label; in article titles (annotation file and Markdown front matter), authors, publication,
summary, retraction reason; in notes, tags, names, sources and quotes; and in the text of a .txt
and a .md article. It must pass `glossator check`, build, and in chromium show all of it as text:
no dialog opens and no script runs but the site's own, with the Content-Security-Policy on, and
with it bypassed too (so escaping, not only the CSP, is what keeps the page safe).
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .browserkit import REPO, html_pages  # noqa: E402

HOSTILE = REPO / "tests" / "sites" / "hostile"

# Installed before any page script: records what a payload would do if it ever ran.
WATCH = """
(() => {
  window.__glossatorSeen = [];
  const note = what => window.__glossatorSeen.push(what);
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const real = window[name];
    window[name] = function () { note(name + ': ' + [...arguments].join(' ')); return real.apply(this, arguments); };
  }
  document.addEventListener('securitypolicyviolation',
    e => note('csp: ' + e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')), true);
})();
"""

# Anything in the DOM that could run script, or that user text should never have become.
SCAN = """() => {
  const bad = [];
  const scripts = [...document.scripts].map(s => s.getAttribute('src'));
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) bad.push(`${el.tagName} has ${attr.name}=${attr.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(attr.name.toLowerCase())) {
        const v = attr.value.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(v) || (attr.name === 'href' && /^(javascript|vbscript|data)%3a/.test(v)))
          bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, svg, img, form, base, meta[http-equiv="refresh"], style:not(head > style), link:not(head > link)'))
    bad.push('element ' + el.outerHTML.slice(0, 80));
  return {bad, scripts};
}"""


@pytest.fixture(scope="module")
def hostile(serve_site):
    return serve_site(HOSTILE)


def test_the_hostile_site_passes_check():
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(HOSTILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_has_the_csp_meta_first(hostile):
    _, out = hostile
    for file in sorted(out.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert m, f"{file}: no Content-Security-Policy <meta>"
        policy = {d.split()[0]: d.split()[1:] for d in m.group(1).split(";") if d.strip()}
        assert policy.get("script-src") == ["'self'"], f"{file}: script-src {policy.get('script-src')}"
        assert policy.get("object-src") == ["'none'"] and policy.get("base-uri") == ["'none'"], policy
        # it must come before anything a user wrote, or the policy would not cover it
        assert m.start() < head.index("<title>") and "<style" not in head[: m.start()], file


@pytest.mark.parametrize("csp", ["with-csp", "csp-bypassed"])
def test_no_script_runs_but_the_sites_own(browser, hostile, csp):
    url, out = hostile
    context = browser.new_context(bypass_csp=(csp == "csp-bypassed"), viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type}: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    paths = html_pages(out) + ["/no/such/page/"]
    assert len(paths) >= 8
    problems = []
    for path in paths:
        page.goto(url + path)
        found = page.evaluate(SCAN)
        # the site's own: the claim graph's drawing, the search form and its script
        own = {"/search/": 'element <form class="search-form"'}.get(path) or (
            'element <svg class="claim-graph"' if path.startswith("/graph/") else None)
        problems += [f"{path}: {b}" for b in found["bad"] if not (own and b.startswith(own))]
        if found["scripts"] != ["/assets/glossator.js"] + (["/assets/search.js"] if path == "/search/" else []):
            problems.append(f"{path}: scripts {found['scripts']}")
        # focus, then hover, every link, passage and note
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('a, a *, mark, mark *, summary, summary *, [tabindex], td *, th *, h1 *, h2 *')].map(e => {
                 e.focus(); e.scrollIntoView({block: 'center'});
                 const r = e.getBoundingClientRect();
                 return r.width > 0 && r.right > 0 ? [scrollX + r.x + r.width / 2, scrollY + r.y + r.height / 2] : null;
               }).filter(Boolean)""")
        assert len(boxes) > 5, path
        for x, y in boxes:
            page.evaluate("([x, y]) => window.scrollTo(x - innerWidth / 2, y - innerHeight / 2)", [x, y])
            sx, sy = page.evaluate("() => [scrollX, scrollY]")
            page.mouse.move(x - sx, y - sy)
        seen = page.evaluate("() => window.__glossatorSeen")
        problems += [f"{path}: {s}" for s in seen]
    context.close()
    assert not dialogs, dialogs
    assert not errors, errors
    assert not problems, "\n".join(problems)


def test_hostile_text_is_shown_as_text(page, hostile):
    url, _ = hostile
    page.goto(url + "/articles/hostile-text/")
    body = page.locator(".article-body")
    for literal in ("<script>alert('article text')</script>", "<img src=x onerror=alert('img in text')>",
                    "<svg onload=alert('svg')>", "{{ 7*7 }}"):
        assert literal in body.inner_text(), literal
    assert "</title><script>alert('title')</script>" in page.locator("h1").inner_text()
    assert page.title().startswith("</title><script>alert('title')</script>")
    meta = page.locator(".article-head .meta").inner_text()
    assert "<img src=x onerror=alert('author')>" in meta and "<iframe src=javascript:alert('publication')></iframe>" in meta
    page.goto(url + "/articles/hostile-markdown/")
    assert page.locator("h1").first.inner_text().startswith("<script>alert('front matter title')</script>")
    assert "<script>alert('md text')</script>" in page.locator(".article-body").inner_text()
    page.goto(url + "/")
    assert "{{ 7*7 }}" in page.locator("h1").inner_text()
