"""Hostile text in a site's files: it must never inject CI commands, drive the terminal, flood it,
or make the feeds invalid XML."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ARTICLE = "Officials say the two gangs are now allies.\n"
GITHUB = re.compile(r"^::(error|warning) file=[^,:\r\n]+,line=\d+,col=\d+::[^\r\n]*$")


def test_github_format_escapes_file_names_and_messages(tmp_path, make_site, run_cli):
    """A file name with a newline, a colon or a comma cannot end the `file=` property or start a
    workflow command of its own (GitHub's rules: %, CR, LF in data; also : and , in properties), and still names
    the file."""
    site = make_site(tmp_path, {
        "content/a.txt": ARTICLE,
        "content/x\n::set-env name=EVIL::1.txt": "x\n",
        "content/b,c:d.TXT": "x\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "100% sure\\r\\n::error::fake"\n    note: x\n',
    })
    code, out, err = run_cli("check", site, "--format", "github")
    assert code == 1
    rows = out.splitlines()
    assert rows and all(GITHUB.match(row) for row in rows), rows
    assert not any(row.startswith("::set-env") for row in rows)
    assert any("file=content/b%2Cc%3Ad.TXT," in row for row in rows), rows
    # the newline as GitHub's runner reads it back, so the annotation names the file (a visible "\\n" named none)
    assert any("file=content/x%0A%3A%3Aset-env name=EVIL%3A%3A1.txt," in row for row in rows), rows
    assert any("100%25 sure" in row for row in rows), rows


def test_terminal_escapes_in_quotes_and_names_are_neutralised(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {
        "content/a.txt": ARTICLE,
        "content/\x1b]0;owned\x07.txt": "x\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "\\e[2J\\e[31mgangs\\x9b31m \\u202eevil"\n    note: x\n',
    })
    code, out, err = run_cli("check", site)
    assert code == 1
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in err, repr(err)
    assert "\\x1b[2J" in err  # shown, not obeyed


def test_an_ambiguous_quote_in_a_huge_article_prints_a_short_line(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {
        "content/big.txt": "the gangs\n" * 300_000,
        "annotations/big.yaml": 'annotations:\n  - quote: "the gangs"\n    note: which?\n',
    })
    code, out, err = run_cli("check", site)
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith("annotations/big.yaml:2:"))
    assert "300000 places" in line and len(line) < 1200, len(line)


def test_control_characters_keep_feeds_and_sitemap_valid_xml(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {
        "site.toml": 'title = "Bell\\u0007 site\\u001b"\ndescription = "tab\\u000b vt"\nbase_url = "https://example.org/"\n',
        "content/a.txt": "A title with a \x01 control \x0c and \ufffe nonchar\n\n" + ARTICLE,
        "annotations/a.yaml": ('article:\n  author: "Ann\\x08 Other"\n  summary: "sum\\x1f mary"\n'
                               'annotations:\n  - quote: "the two gangs"\n    note: "x\\x00y"\n    tags: ["t\\x02ag"]\n'),
    })
    out = tmp_path / "out"
    code, stdout, err = run_cli("build", site, "--out", out)
    assert code == 0, err
    paths = ["feed.xml", "sitemap.xml", *(p.relative_to(out).as_posix() for p in out.glob("flags/*/feed.xml"))]
    for rel in paths:
        ET.fromstring((out / rel).read_bytes())  # raises on invalid XML
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:title", ns).text == "Bell site"
    assert feed.find("a:entry/a:author/a:name", ns).text == "Ann Other"


def test_a_file_name_that_is_not_utf8(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"content/a.txt": ARTICLE})
    (site / "content" / "b\udcff.txt").write_bytes(ARTICLE.encode())  # the bytes b"b\xff.txt" on disk
    for fmt in ("text", "json", "github"):
        code, out, err = run_cli("check", site, "--format", fmt)
        assert code == 1 and "Traceback" not in err
        assert "\\udcff" in out + err


def test_a_flag_label_is_text_in_the_feeds_html_summary(tmp_path, make_site, run_cli):
    """A feed reader decodes <summary type="html">: a site's flag label inside it stays text."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'base_url = "https://example.org/"\n[flags.evil]\nlabel = "<svg onload=alert(1)>"\n',
        "content/a.txt": ARTICLE,
        "annotations/a.yaml": "article:\n  summary: A summary.\n  flags: [evil]\nannotations:\n  - quote: two gangs\n    flags: [evil]\n"})
    assert run_cli("build", site)[0] == 0
    summary = ET.parse(site / "_site" / "feed.xml").getroot().find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert "<svg" not in summary.text and "&lt;svg onload=alert(1)&gt;" in summary.text
    assert "1 annotation (" in summary.text


def test_a_protocol_relative_link_in_a_note_is_not_made_a_link(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", {
        "content/a.txt": ARTICLE,
        "annotations/a.yaml": 'annotations:\n  - quote: two gangs\n    note: "See [this](//evil.example/x) and [that](/local)."\n'})
    assert run_cli("build", site)[0] == 0
    page = (site / "_site" / "articles" / "a" / "index.html").read_text()
    assert 'href="//evil.example' not in page and "[this](//evil.example/x)" in page


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full to write to")
@pytest.mark.parametrize("fmt", ["json", "github"])
def test_a_report_that_finds_no_room_on_stdout_says_so_in_one_line(tmp_path, make_site, fmt):
    """`glossator check --format json > /dev/full` (a full disk under a CI log): one line on stderr
    and exit 1, never a traceback."""
    site = make_site(tmp_path, {"content/a.txt": "Text.\n"})  # well but for a warning: base_url has no host
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "builder", "check", str(site), "--format", fmt], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the output: No space left on device" in done.stderr


@pytest.mark.parametrize("bom, eol", [("\ufeff", "\n"), ("\ufeff", "\r\n"), ("", "\r\n")])
def test_reanchor_writes_into_an_annotation_file_with_a_bom_or_crlf(tmp_path, make_site, run_cli, bom, eol):
    """Notepad saves UTF-8 with a BOM; check reads such a file, so reanchor must edit it too (it refused:
    'the edit would not read back as YAML'), keeping the BOM, the line ends and the comment."""
    layer = eol.join(["# notes", "annotations:", '  - quote: "the two gangs are now allies"   # keep', "    note: Which?", ""])
    site = make_site(tmp_path, {"content/a.txt": "Officials say the two gangs are now allied with each other.\n",
                                "annotations/a.yaml": (bom + layer).encode("utf-8")})
    code, out, err = run_cli("reanchor", site, "--write")
    assert code == 0, err
    assert (site / "annotations/a.yaml").read_bytes() == (bom + layer.replace("now allies", "now allied")).encode("utf-8")
    assert run_cli("check", site)[0] == 0


def test_markdown_nested_ten_lists_deep_keeps_all_its_text(tmp_path, make_site, run_cli):
    """CommonMark's preset stops following nesting at 20 levels (a list item in a list is two) and leaves the
    rest out without a word: an outline ten lists deep lost its last items and the paragraph after it, and a
    quote of them was "not found". The parser now follows 100 levels."""
    outline = "".join("  " * depth + f"- point {depth}\n" for depth in range(12)) + "\nThe council voted after midnight.\n"
    site = make_site(tmp_path / "site", {"content/minutes.md": "# Minutes\n\n" + outline,
                                         "annotations/minutes.yaml": 'annotations:\n  - quote: "voted after midnight"\n'
                                                                      "    note: Which night?\n"})
    code, _, err = run_cli("build", site)
    assert code == 0, err
    page = (site / "_site/articles/minutes/index.html").read_text()
    assert "point 11" in page and 'data-annotation="' in page


def test_markdown_nested_deeper_than_the_parser_follows_is_said_where(tmp_path, make_site, run_cli):
    """Past what the parser follows, what is left out is said, at its line, not published missing."""
    site = make_site(tmp_path / "site", {"content/thread.md": "# Thread\n\nFirst words.\n\n" + "> " * 150 + "Deep words.\n"})
    code, _, err = run_cli("check", site)
    assert code == 1
    assert re.search("^content/thread.md:5:1: error: lists or quotes nest too deep here", err, re.M), err


def test_a_file_that_starts_with_two_byte_order_marks_reads_as_one_with_one(tmp_path, make_site, run_cli):
    """A tool that adds its own BOM to a file that had one (PowerShell's `Out-File -Encoding utf8`, a concatenation):
    site.toml was "TOML syntax: Invalid statement" at 1:1, and an article's title began with an invisible U+FEFF."""
    bom = "\ufeff\ufeff"
    site = make_site(tmp_path, {"site.toml": bom + 'title = "T"\nbase_url = "https://example.org/"\n',
                                "content/a.txt": bom + "Harbour report\n\n" + ARTICLE,
                                "annotations/a.yaml": bom + 'annotations:\n  - quote: "the two gangs"\n    note: Which gangs?\n'})
    code, out, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err
    page = (tmp_path / "out" / "articles" / "a" / "index.html").read_text()
    assert "<title>Harbour report" in page and "\ufeff" not in page
