"""Inputs whose shape, not their size alone, could stall a build: a few hundred kilobytes that a rule
reads once per character (a regular expression that rescans the rest of a line or a note from every
position) would take minutes. Each runs `glossator build` in a child with a time limit, since a
stalled regular expression cannot be interrupted in-process."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_hostile_setup import ARTICLE, LAYER

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 30  # seconds; each of these builds takes well under 2 s, and took minutes before


def build_within_limit(site: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-m", "builder", "build", str(site)], capture_output=True, text=True,
                              timeout=LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"glossator build took more than {LIMIT} s")


@pytest.mark.parametrize("note", [
    "A" * 200_000,                       # one long word: a pasted data: URI or base64 blob, a run of dashes
    "|\n" + "\n" * 100_000 + "      x",  # a block of blank lines before its text
], ids=["one-long-word", "many-blank-lines"])
def test_a_note_of_a_long_word_or_many_blank_lines_builds_in_seconds(tmp_path, make_site, note):
    site = make_site(tmp_path, {"content/a.txt": "Two gangs met.\n",
                                "annotations/a.yaml": f"annotations:\n  - quote: Two gangs\n    note: {note}\n"})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_an_article_that_opens_with_a_long_line_of_spaces_builds_in_seconds(tmp_path, make_site):
    """Its title is its first non-blank line (SPEC 2), found past the spaces."""
    site = make_site(tmp_path, {"content/a.txt": " " * 200_000 + "\nTwo gangs met.\n"})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr
    assert "<title>Two gangs met." in (site / "_site" / "articles" / "a" / "index.html").read_text()


def test_quotes_that_match_half_a_million_places_each_are_checked_in_seconds(tmp_path, make_site):
    """A 2.5 MB article of one word said again, and 100 notes that each pick one place with `occurrence`:
    each quote matches half a million places, and each place was mapped back to the file's offsets (2.7 s a quote)
    though one is used and a few are listed."""
    site = make_site(tmp_path, {"content/a.txt": "Two gangs met. " + "word " * 500_000 + "\n",
                                "annotations/a.yaml": "annotations:\n" + "".join(
                                    f"  - quote: word word word\n    occurrence: {i}\n    note: n\n" for i in range(1, 1000, 10))})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr


def test_markdown_with_a_hundred_thousand_brackets_builds_in_seconds_and_says_where(tmp_path, make_site):
    """For each "[" the Markdown parser looks for its "]" through up to 100 "[" after it: 100 KB of "[" in an
    article took 12 s, and 150,000 "![" in an article and a note took over a minute. Past 2 of its steps a
    character, "[" opens no link for the rest of the text, and the build says from where; the text before keeps
    its Markdown. (60,000 links in one paragraph keep theirs: test_hostile_setup.)"""
    site = make_site(tmp_path, {
        "content/a.md": "# Brackets\n\nTwo *gangs* met.\n\n" + "![" * 150_000 + "\n",
        "content/b.txt": "Two gangs met.\n",
        "annotations/b.yaml": "annotations:\n  - quote: Two gangs\n    note: |\n      A [link](https://example.com/).\n\n      "
                              + "![" * 150_000 + "\n"})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr
    assert 'content/a.md:5:1: warning: too many "[" inside other "[" in this article' in done.stderr
    assert 'annotations/b.yaml:3:11: warning: too many "[" inside other "[" in this note' in done.stderr and "its line 3 on" in done.stderr
    page = (site / "_site" / "articles" / "a" / "index.html").read_text()
    assert "<em>gangs</em>" in page and "![![![" in page
    note_page = (site / "_site" / "articles" / "b" / "index.html").read_text()
    assert '<a href="https://example.com/"' in note_page and "![![![" in note_page


def test_five_thousand_annotations_on_one_passage_build_in_seconds(tmp_path, make_site):
    """Annotations without an id whose quotes begin alike are numbered #two-gangs, #two-gangs-2, …: each was
    numbered from 2 again, past every id before it, and each one's warning listed all the others (2,000 took
    14 s, 10,000 over two minutes). The ids are the same, each warning names five others."""
    site = make_site(tmp_path, {"content/a.txt": "Two gangs met in the city.\n",
                                "annotations/a.yaml": "annotations:\n" + "".join(
                                    f"  - quote: Two gangs\n    note: note {i}\n" for i in range(5000))})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr
    assert ("(this one is #two-gangs-3; the others #two-gangs, #two-gangs-2, #two-gangs-4, #two-gangs-5, #two-gangs-6 "
            "and 4994 more)") in done.stderr
    page = (site / "_site" / "articles" / "a" / "index.html").read_text()
    assert 'id="two-gangs-5000"' in page and 'id="two-gangs-5001"' not in page


def test_a_chain_of_four_hundred_rebuttals_builds_and_lists_every_one(tmp_path, make_site):
    """The claim graph's list nested each answer inside what it answers, in Python and in the template: a chain
    of 400 rebuttals failed the build ("templates/?:1:1: error: template error: maximum recursion depth
    exceeded"). Past 40 levels a claim's answers are listed again from the left, below."""
    n = 400
    site = make_site(tmp_path, {
        "content/a.txt": "\n\n".join(f"Sentence number {i} says thing {i}." for i in range(n)) + "\n",
        "annotations/a.yaml": "annotations:\n" + "".join(f'  - id: s{i}\n    quote: "number {i} says"\n    note: n{i}\n'
                                                          + (f"    rebuts: a#s{i - 1}\n" if i else "") for i in range(n))})
    done = build_within_limit(site)
    assert done.returncode == 0, done.stderr
    page = (site / "_site" / "graph" / "index.html").read_text()
    listed = page[page.index('<ul class="claim-tree">'):]
    assert all(f"number {i} says" in listed for i in range(n))
    assert listed.count("(its answers are listed below)") == (n - 1) // 41
    depth = deepest = 0
    for tag in re.findall(r"</?ul\b", listed):
        depth += 1 if tag == "<ul" else -1
        deepest = max(deepest, depth)
    assert deepest == 41


@pytest.mark.parametrize("name, made", [
    ("annotations/a.yaml", lambda: LAYER + "    tags: [" + "a," * 1_500_000 + "a]\n"),  # (annotation files: 4 MB at most)
    ("content/b.md", lambda: "---\ntitle:\n" + "  -\n" * 1_200_000 + "---\nText.\n"),  # empty values: no text at all
    ("content/b.md", lambda: "---\ntitle: [" + "1," * 6_000_000 + "1]\n---\nText.\n"),  # (Markdown: 16 MB at most)
], ids=["flow-list", "empty-block-items", "front-matter"])
def test_ten_million_yaml_values_are_refused_in_seconds_and_little_memory(tmp_path, make_site, name, made):
    """A 20 MB annotation file of ten million values (far below the 64 MB a file could be, and no alias in it) took a
    minute and 3 GB to check, then ended in a MemoryError traceback where memory was limited. Refused, located,
    before a value is made; here under a limit of 1 GB. (Annotation files are now refused past 4 MB, unread: the
    values' limit still holds within them, and in front matter.)"""
    import resource

    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    (site / name).write_text(made())
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))  # noqa: E731
    try:
        done = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True,
                              timeout=LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"glossator check took more than {LIMIT} s")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-800:]
    assert re.search(rf"^{re.escape(name)}:\d+:\d+: error: YAML holds more than 1,000,000 values by here", done.stderr, re.M), done.stderr


def test_a_site_toml_of_megabytes_is_refused_unread(tmp_path, make_site):
    """site.toml could be 64 MB, as an article: five million numbers in it (10 MB) took 45 s to read, to say at
    last that their key is unknown; and a file past 64 MB was called "probably not an article or annotation file"."""
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER,
                                "site.toml": 'title = "T"\nnumbers = [' + "1," * 5_000_000 + "1]\n"})
    try:
        done = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True,
                              timeout=LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"glossator check took more than {LIMIT} s")
    assert done.returncode == 1
    assert done.stderr.startswith("site.toml:1:1: error: this file is 9.5 MB: Glossator reads a site.toml of at most 1 MB "
                                  "(a site's settings take a few kilobytes)\n"), done.stderr


def test_an_annotation_file_of_eight_megabytes_is_refused_at_once(tmp_path, make_site):
    """8 MB of well-formed annotations (21,000 notes) took 16 s to check before it was refused; a file larger than
    an annotation layer (files.MAX_LAYER) is refused before it is parsed, at its first line, with its size."""
    import time

    note = "The claim rests on sources who are not named, and nothing in the article says why. " * 4
    layer = "annotations:\n" + "".join(f'  - quote: "number {i} says"\n    flags: [anonymous-source]\n    note: {note}\n'
                                       for i in range(21_000))
    assert len(layer) > 8 * 2**20
    site = make_site(tmp_path, {"content/a.txt": "\n\n".join(f"Sentence number {i} says." for i in range(21_000)) + "\n",
                                "annotations/a.yaml": layer})
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "builder", "check", str(site)], capture_output=True, text=True,
                          timeout=LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    took = time.perf_counter() - start
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(r"^annotations/a\.yaml:1:1: error: this file is 8\.\d MB: Glossator reads annotation files of at most 4 MB",
                     done.stderr, re.M), done.stderr
    assert took < 5, took
