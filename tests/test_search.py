"""Search (SPEC 11): the Pagefind index a build writes, what it holds and leaves out, its filters,
`search = false`, and a missing or failing Pagefind reported as a located problem.

What the index gives a reader in a browser is tested in tests/browser/test_search_graph.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder import search
from builder.build import build

HERE = Path(__file__).resolve().parent
RELATIONS = HERE / "sites" / "relations"


def cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m builder ARGS` in a subprocess (optionally with more environment variables)."""
    paths = [str(HERE.parent)] + os.environ.get("PYTHONPATH", "").split(os.pathsep)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p), **(env or {})}
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True, env=env)


def fragments(out: Path) -> dict[str, dict]:
    """The indexed pages, by URL: Pagefind's fragment files read back."""
    found = {}
    for path in sorted((out / search.FOLDER / "fragment").iterdir()):
        import gzip
        import json

        data = json.loads(gzip.decompress(path.read_bytes())[len(search.SIGNATURE):])
        found[data["url"]] = data
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search") / "out"
    result = build(RELATIONS, out, use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    assert result.search_bytes > 0 and result.search_seconds > 0
    return out


def test_only_article_pages_are_indexed_with_their_text_and_notes(built):
    pages = fragments(built)
    assert sorted(pages) == ["/articles/answer/", "/articles/claim/"]
    claim = pages["/articles/claim/"]
    assert claim["meta"]["title"] == "Cartels Form a Pact"
    assert "Sonoran border" in claim["content"]  # the text
    assert "No ledger of the pact was ever shown." in claim["content"]  # a note
    everything = " ".join(p["content"] for p in pages.values())
    for furniture in ("quizzical", "Comments are closed",  # outside the article's body
                      "Claim graph", "Atom feed", "Every relation",  # the site's header and footer
                      "Back to the passage", "Tags:", "Rebutted by",  # a note's own furniture
                      "Anonymous sourcing"):  # a note reference's flag words

        assert furniture not in everything, furniture


def test_flags_with_their_direction_tags_and_verdicts_are_filters(built):
    pages = fragments(built)
    claim, answer = pages["/articles/claim/"], pages["/articles/answer/"]
    assert claim["filters"] == {"flag": ["Anonymous sourcing", "Rebutted", "Retracted", "Retracts"], "tag": ["Cartels"],
                                "verdict": ["False"]}
    assert answer["filters"] == {"flag": ["Rebuts"], "tag": ["Cartels", "Records"]}


def test_every_passage_and_note_is_an_anchor_for_its_sub_result(built):
    claim = fragments(built)["/articles/claim/"]
    at = {a["id"]: a["location"] for a in claim["anchors"]}
    words = claim["content"].split()
    # a passage runs from its mark for as many words as the page's metadata says; a note from its
    # aside to its end marker
    assert claim["meta"]["passages"] == "pact:5 withdrawn:6"
    assert " ".join(words[at["pact"] : at["pact"] + 5]) == "the cartels formed a pact."
    assert " ".join(words[at["note-pact"] : at["pact.end"]]) == (
        "No ledger of the pact was ever shown. Claim rated False: “The cartels formed a pact.”")


def test_the_search_page_explains_itself_and_is_the_only_one_allowed_webassembly(built):
    page = (built / "search/index.html").read_text()
    assert "needs JavaScript" in page
    assert 'href="/relations/flags/rebuttal/"' in page and 'href="/relations/tags/cartels/"' in page
    assert 'data-index="/relations/search/pagefind/"' in page
    for html in built.rglob("*.html"):
        wasm = "'wasm-unsafe-eval'" in html.read_text()
        assert wasm == (html == built / "search/index.html"), html
    # nothing is loaded from elsewhere: the index and its code are in the output
    assert (built / search.FOLDER / "pagefind.js").is_file()
    assert not list((built / search.FOLDER).glob("pagefind-ui*"))
    assert "https://example.org/relations/search/" in (built / "sitemap.xml").read_text()
    assert 'href="/relations/search/"' in (built / "index.html").read_text()


def test_search_false_builds_no_index_no_page_no_link(tmp_path):
    site = tmp_path / "site"
    import shutil

    shutil.copytree(RELATIONS, site)
    with (site / "site.toml").open("a") as f:
        f.write("search = false\n")
    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok and result.search_bytes == 0
    out = tmp_path / "out"
    assert not (out / "search").exists() and not (out / "assets/search.js").exists()
    assert "/search/" not in (out / "index.html").read_text()
    assert "/search/" not in (out / "sitemap.xml").read_text()
    assert (out / "graph/index.html").is_file()


def test_search_must_be_true_or_false(tmp_path, make_site):
    site = make_site(tmp_path / "site", {"site.toml": 'title = "x"\nsearch = "no"\n', "content/a.txt": "Text.\n"})
    result = cli("check", site)
    assert result.returncode == 1
    assert 'site.toml:2:1: error: "search" should be true or false, not str' in result.stderr


def test_a_missing_pagefind_is_a_located_error_and_publishes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(RELATIONS, out, use_cache=False).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(search, "available", lambda: "the search index needs Pagefind, which is not installed")
    result = build(RELATIONS, out, use_cache=False)
    assert not result.ok
    assert [p.text() for p in result.problems] == [
        "site.toml:1:1: error: the search index needs Pagefind, which is not installed: "
        "install it with: pip install 'pagefind[bin]' (or set search = false in site.toml)"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_failing_pagefind_is_reported_without_a_traceback(tmp_path):
    fake = tmp_path / "pagefind"  # run as Pagefind's own wrapper would run it: PAGEFIND_BINARY_PATH first
    fake.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n")
    fake.chmod(0o755)
    out = tmp_path / "out"
    result = cli("build", RELATIONS, "--out", out, "--no-cache", env={"PAGEFIND_BINARY_PATH": str(fake)})
    assert result.returncode == 1
    assert "site.toml:1:1: error: the search index could not be built: Pagefind exited with 3: " \
           "Error: the disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_excerpts_only_site_indexes_only_its_excerpts(tmp_path):
    """SPEC 12: no other part of the text reaches the search index."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(RELATIONS, site)
    config = (site / "site.toml").read_text()
    (site / "site.toml").write_text('publish = "excerpts"\nexcerpt_words = 1\n' + config)
    out = tmp_path / "out"
    assert build(site, out, use_cache=False).ok
    claim = fragments(out)["/articles/claim/"]["content"]
    assert "the cartels formed a pact" in claim and "No ledger of the pact" in claim
    assert "Sonoran" not in claim and "covers" not in claim  # between the excerpts: not on the page, not in the index


def test_a_build_that_fails_while_the_index_is_made_leaves_nothing_behind(tmp_path, monkeypatch):
    """The index starts on the article pages while the tag pages are made; a tag page that fails
    stops it before the unfinished folder is removed: nothing new is published, nothing is left over."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(RELATIONS, site, ignore=shutil.ignore_patterns(".glossator-cache", "_site"))
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "tag.html").write_text('{% extends "base.html" %}\n{% block content %}{{ nope }}{% endblock %}\n')
    stopped = []
    real = search.Indexing.stop
    monkeypatch.setattr(search.Indexing, "stop", lambda self: (stopped.append(self.process.poll()), real(self)))
    out = tmp_path / "out"
    result = build(site, out, use_cache=False)
    assert not result.ok and [p.text() for p in result.problems if p.severity == "error"] == [
        "templates/tag.html:2:1: error: template error: 'nope' is undefined"]
    assert stopped, "the index was never started beside the failing page, or never stopped"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing beside it, not even the lock file


def test_a_killed_build_leaves_no_pagefind_running(tmp_path):
    """Pagefind dies with the build that started it: a build killed mid-index leaves nothing writing."""
    import signal
    import time

    fake, marker = tmp_path / "pagefind", tmp_path / "pagefind.pid"
    fake.write_text(f"#!/bin/sh\necho $$ > '{marker}'\nexec sleep 60\n")  # exec: the pid written is the sleeper's
    fake.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "PAGEFIND_BINARY_PATH": str(fake)}
    build_process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(RELATIONS), "--out", str(tmp_path / "out"),
                                      "--no-cache"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def alive(pid: int) -> bool:
        try:
            return not open(f"/proc/{pid}/stat").read().split(") ", 1)[1].startswith("Z")  # a zombie is dead
        except OSError:
            return False

    deadline = time.monotonic() + 60
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the build never started Pagefind"
    pid = int(marker.read_text())
    build_process.send_signal(signal.SIGKILL)
    build_process.wait()
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid), "Pagefind still runs after its build was killed"


def test_pagefind_is_found_as_its_own_wrapper_finds_it(tmp_path, monkeypatch):
    """The binary is run directly (no second Python): PAGEFIND_BINARY_PATH wins, then the installed
    wheel's binary; with neither, and none on PATH, search says it is missing."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "mine"))
    assert search.executable() == tmp_path / "mine"
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    found = search.executable()
    assert found is not None and found.is_file() and os.access(found, os.X_OK)
    monkeypatch.setattr(search.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert search.executable() is None
    assert search.available() == "the search index needs Pagefind's binary, which is not installed"
