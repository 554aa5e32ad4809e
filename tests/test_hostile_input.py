"""Mistakes and oddities in a site's files that were skipped in silence or misreported."""
from __future__ import annotations

import json

import pytest

from tests.test_serve import serve  # noqa: F401 (a fixture)

ARTICLE = "Officials say the two gangs are now allies.\nA second line.\nA third line says the gangs.\n"
LAYER = 'annotations:\n  - quote: "the two gangs"\n    note: Which gangs?\n'


def errors(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if ": error: " in line]


@pytest.mark.parametrize("value", [
    "https://", "http:///path", "https://exa mple.org/", "https://example.org/a b/", "https://example.org/?q=1",
    "https://example.org/#top", "//evil.example/", "/a\tb/", "https://exa\"mple.org/", "https://example.org:99999/",
    "https://user:pass@example.org/", "javascript:alert(1)//", "/<script>/", "https://example.org/\\..\\",
    "https://example.org/a%zz/", "/a%/", "https://[zz]/", "http://a..b/",
    "https://example.org//reading/", "https://example.org/reading/index.html", "/reading/../", "/a//",
])
def test_garbage_base_url_is_refused(tmp_path, make_site, run_cli, value):
    site = make_site(tmp_path, {"site.toml": f"base_url = {json.dumps(value)}\n", "content/a.txt": ARTICLE})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert any(line.startswith("site.toml:1:1: error: base_url") for line in errors(err)), err
    code, out, err = run_cli("build", site, "--out", tmp_path / "out", "--base-url", value)
    assert code == 2 and "--base-url" in err


@pytest.mark.parametrize("value", ["https://example.org/", "http://localhost:8000/x/", "/reading/", "https://例え.jp/読む/",
                                   "https://example.org", "https://example.org/reading", "https://example.org/v1.2/"])
def test_good_base_urls_pass(tmp_path, make_site, run_cli, value):
    site = make_site(tmp_path, {"site.toml": f'base_url = "{value}"\n', "content/a.txt": ARTICLE})
    code, out, err = run_cli("check", site)
    assert code == 0, err


@pytest.mark.parametrize("tags", [["Лос Сетас", "мс-13"], ["洛斯哲塔斯"], ["لوس زيتاس"], ["Ζήτας"], ["हिन्दी"]])
def test_tags_in_any_script_get_pages(tmp_path, make_site, run_cli, tags):
    from xml.etree import ElementTree as ET

    listed = ", ".join(f'"{t}"' for t in tags)
    site = make_site(tmp_path, {"site.toml": 'base_url = "https://example.org/"\n', "content/a.txt": ARTICLE,
                                "annotations/a.yaml": LAYER + f"    tags: [{listed}]\n"})
    out = tmp_path / "out"
    code, stdout, err = run_cli("build", site, "--out", out)
    assert code == 0, err
    pages = sorted((out / "tags").glob("*/index.html"))
    assert len(pages) == len(tags)
    for page, tag in zip(pages, tags):
        assert tag in page.read_text()
    locs = [e.text for e in ET.fromstring((out / "sitemap.xml").read_bytes()).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(loc.isascii() for loc in locs), locs  # percent-encoded, as sitemaps require
    article = (out / "articles" / "a" / "index.html").read_text()
    for page in pages:
        from urllib.parse import quote

        assert f'/tags/{quote(page.parent.name)}/"' in article


def test_tags_without_letters_are_still_refused(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER + '    tags: ["--", "%%"]\n'})
    code, out, err = run_cli("check", site)
    assert code == 1 and len(errors(err)) == 2


@pytest.mark.parametrize("name, fix", [("a.YAML", "a.yaml"), ("a.Yml", "a.yml")])
def test_an_annotation_file_with_an_uppercase_suffix(tmp_path, make_site, run_cli, name, fix):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, f"annotations/{name}": LAYER})
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 1
    assert any(line.startswith(f"annotations/{name}:1:1: error:") and fix in line for line in errors(err)), err


def test_a_content_file_with_an_uppercase_suffix(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "content/b.TXT": ARTICLE})
    code, out, err = run_cli("check", site)
    assert code == 1 and any(line.startswith("content/b.TXT:1:1: error:") and "b.txt" in line for line in errors(err))


def test_a_content_sub_folder_is_reported(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "content/drafts/b.txt": ARTICLE})
    code, out, err = run_cli("check", site)
    assert code == 1 and any(line.startswith("content/drafts:1:1: error:") for line in errors(err))


@pytest.mark.parametrize("folder", ["annotations", "content"])
def test_an_input_folder_that_is_a_file(tmp_path, make_site, run_cli, folder):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE} if folder != "content" else {"site.toml": ""})
    (site / folder).write_text(LAYER)
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 1 and any(line.startswith(f"{folder}:1:1: error:") for line in errors(err)), err


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_separators_in_yaml_do_not_shift_later_lines(tmp_path, make_site, run_cli, char):
    layer = (f'annotations:\n  - quote: "the two gangs"\n    note: "one{char}two{char}three"\n'
             f'  - quote: "not in the text"\n    note: x\n')
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert [line.split(": error:")[0] for line in errors(err)] == ["annotations/a.yaml:4:12"], err


def test_a_large_plain_yaml_file_is_not_called_an_alias_bomb(tmp_path, make_site, run_cli):
    # more values than any alias limit, none aliased, under a key of no use (250,000 tags would also make
    # 250,000 tag pages: 40 s of checking): only that key is said
    values = ", ".join(f"v{i}" for i in range(250_000))
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER + f"extra: [{values}]\n"})
    code, out, err = run_cli("check", site)
    assert "alias bomb" not in err
    assert "Traceback" not in err
    assert [line.split(": error:")[0] for line in errors(err)] == ["annotations/a.yaml:4:1"], err


def test_a_custom_tag_made_with_percent_tag_is_refused(tmp_path, make_site, run_cli):
    layer = "%TAG !e! tag:example.com,2000:app/\n---\n" + LAYER.replace("note: Which gangs?", "note: !e!thing Which gangs?")
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert any(line.startswith("annotations/a.yaml:5:11: error: YAML tag") for line in errors(err)), err


def test_repeated_merge_keys_are_a_duplicate_key(tmp_path, make_site, run_cli):
    layer = ("defaults: &d {note: x}\nmore: &m {by: ann}\nannotations:\n"
             "  - quote: \"the two gangs\"\n    <<: *d\n    <<: *m\n")
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert any(line.startswith("annotations/a.yaml:6:5: error: duplicate key") for line in errors(err)), err


def test_summary_line_is_pluralised(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"site.toml": 'base_url = "https://example.org/"\n', "content/a.txt": ARTICLE,
                                "annotations/a.yaml": LAYER})
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0
    assert "built 1 article, 1 annotation, 0 flags in" in out, out
    code, out, err = run_cli("check", site)
    assert "check: ok: 1 article, 1 annotation" in err, err


@pytest.mark.parametrize("name, text", [
    ("annotations/a.yaml", LAYER + "    sources: " + "[" * 40_000 + "]" * 40_000 + "\n"),  # flow nesting
    ("annotations/a.yaml", LAYER + "    tags:\n" + "      " + "- " * 40_000 + "x\n"),  # block nesting on one line
    ("content/b.md", "---\nsummary: " + "{a: " * 40_000 + "1" + "}" * 40_000 + "\n---\nText.\n"),  # front matter
], ids=["flow", "block", "front-matter"])
def test_yaml_nested_beyond_reason_is_a_located_error_not_a_crash(tmp_path, make_site, name, text):
    """libyaml's composer recurses in C: 40,000 levels crashed the whole process (serve with it)."""
    import subprocess
    import sys

    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER, name: text})
    done = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr[-500:]
    # ours, or libyaml's own limit where the installed libyaml has one ("exceeded maximum nesting depth")
    assert [line[:len(name)] for line in errors(done.stderr) if "nest" in line] == [name], done.stderr[-800:]
    assert "an annotation file needs" not in done.stderr  # (front matter is no annotation file)


def test_site_toml_nested_beyond_reason_is_a_located_error(tmp_path, make_site, run_cli):
    """Said where the nesting goes past reason (it was at 1:1 whatever its line), strings and comments
    that hold brackets not counted."""
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER,
                                "site.toml": 'title = "[[[ not nested"  # [[[\n\nx = ' + "[" * 2000 + "]" * 2000 + "\n"})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert "site.toml:3:104: error: site.toml nests arrays or tables hundreds of levels deep here" in err


def test_serve_answers_a_url_too_long_for_a_file_name_with_its_404(serve):
    """A path segment longer than the system's file names (ENAMETOOLONG) is a page not found, never a
    500 with a traceback in the terminal; the site's own 404 page is shown."""
    from tests.test_serve import get, site_files

    server = serve(site_files())
    for path in ("a" * 300 + "/", "articles/" + "b" * 300, "a/" * 3000):
        code, body, _ = get(server, path)
        assert code == 404 and "<html" in body.lower(), path
    assert not any("Traceback" in line for line in server.lines)


def test_serve_answers_no_foreign_host_even_for_the_reload_script(serve):
    """Every path, the reload script and the websocket's handshake included, is refused to a Host not its own."""
    import http.client

    from tests.test_serve import site_files

    server = serve(site_files())
    for path in ("/__glossator/livereload.js", "/livereload", "/__glossator/status", "/"):
        for host, expected in ((f"evil.example:{server.port}", 421), (f"127.0.0.1:{server.port}", None)):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host)
            if path == "/livereload":
                for name, value in (("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                                    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")):
                    conn.putheader(name, value)
            conn.endheaders()
            status = conn.getresponse().status
            conn.close()
            assert status == 421 if expected else status in (101, 200), (path, host, status)


def test_serve_answers_no_request_another_site_made_with_its_origin(serve):
    """A page of another site may have the browser ask serve for the drafts (its Origin says whose page it
    is): refused on every path, as a foreign Host is; the site's own pages (their Origin, or none) are served."""
    import http.client

    from tests.test_serve import site_files

    server = serve(site_files())
    for path in ("/", "/__glossator/livereload.js", "/__glossator/status", "/index.html"):
        for origin, expected in (("http://evil.example", 403), ("null", 403), (f"https://127.0.0.1:{server.port}", 403),
                                 (f"http://127.0.0.1:{server.port}", 200), (None, 200)):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", path, headers={"Origin": origin} if origin else {})
            response = conn.getresponse()
            body = response.read()
            conn.close()
            assert response.status == expected, (path, origin, response.status)
            if expected == 403:
                assert b"<title>" not in body or b"Forbidden" in body, (path, origin)
    assert not any("Traceback" in line for line in server.lines)


def test_serve_redirects_to_a_static_folder_whose_name_holds_a_line_break(serve):
    """static/ is published as it is, odd names too; the redirect to such a folder's slash is a quoted
    URL, never a header tornado refuses (a 500 and a traceback in the terminal)."""
    import urllib.request

    from tests.test_serve import site_files

    files = site_files(**{"static/a\nb/f.txt": "x", "static/sp ace/g.txt": "y"})
    server = serve(files)
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    for path, location in (("a%0Ab", "/a%0Ab/"), ("sp%20ace", "/sp%20ace/")):
        try:
            opener.open(server.url + path, timeout=5)
            raise AssertionError("no redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 302 and e.headers["Location"].endswith(location), (path, e.code, e.headers["Location"])
    assert not any("Traceback" in line for line in server.lines)
