"""Provenance from git (SPEC 9), as a reader sees it on the built page and in serve: who wrote each
note and when, from the history of its own lines, and the article's list of changes; nothing without git."""
from __future__ import annotations

import html
import re
import shutil

import pytest

from builder.build import build
from builder.serve.engine import Preview
from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, git, site_with

STORY = "The story\n\nThe mayor denied any wrongdoing. Critics were not convinced.\n\nThe port was closed for three days.\n"
LAYER = """annotations:
  - id: denied
    quote: The mayor denied any wrongdoing.
    note: He denied it twice.
  - id: port
    quote: The port was closed for three days.
    note: Closed, says who?
"""


def make(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    (site / ".gitignore").write_text("_site/\n.glossator-cache/\n")
    (site / "content" / "story.txt").write_text(STORY)
    (site / "annotations" / "story.yaml").write_text(LAYER)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Annotate the story", author="Ann Otator")
    layer = site / "annotations" / "story.yaml"
    layer.write_text(LAYER.replace("Closed, says who?", "Closed for three days, says the harbour master only."))
    git(site, "commit", "-qam", "Name the source of the closure", author="Bo Editor")
    (site / "content" / "story.txt").write_text(STORY.replace("Critics were not convinced.", "Critics were not convinced at all."))
    git(site, "commit", "-qam", "Publisher's update", author="Desk")
    return site


def notes(page: str) -> dict[str, str]:
    return {m.group(1): re.sub(r"<[^>]+>", "", m.group(2)) for m in
            re.finditer(r'<aside class="note" id="note-([a-z-]+)".*?<p class="note-history">(.*?)</p>', page, re.S)}


def test_each_note_says_who_wrote_and_changed_it(tmp_path):
    site = make(tmp_path)
    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    by_note = notes(page)
    assert re.fullmatch(r"Written by Ann Otator on \d+ \w+ \d{4}\.", by_note["denied"])
    assert re.fullmatch(r"Written by Ann Otator on \d+ \w+ \d{4}; last changed by Bo Editor on \d+ \w+ \d{4}\.", by_note["port"])


def test_an_edit_to_the_next_annotations_first_line_is_not_this_ones(tmp_path):
    """An annotation's lines end with its last field: the first line of the one after it (`- quote: …`, its
    quote re-set by another annotator) is not one of them, neither in its note's history nor in the changes."""
    site = make(tmp_path)
    layer = site / "annotations" / "story.yaml"
    layer.write_text(LAYER.replace("  - id: port\n    quote: The port was closed for three days.\n",
                                   "  - quote: The port was closed for three days.\n    id: port\n"))
    git(site, "commit", "-qam", "Quote first", author="Ann Otator")
    layer.write_text(layer.read_text().replace("quote: The port was closed for three days.", "quote: The port was closed"))
    git(site, "commit", "-qam", "A shorter quote for the port", author="Cy Requoter")
    build(site, tmp_path / "out", use_cache=False)
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    by_note = notes(page)
    assert re.fullmatch(r"Written by Ann Otator on \d+ \w+ \d{4}\.", by_note["denied"]), by_note["denied"]
    assert "last changed by Cy Requoter" in by_note["port"]
    changes = html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<section class="changes"'):]))
    assert re.search(r"A shorter quote for the port \(commit [0-9a-f]{7}, annotations: note 2\)", changes), changes


def test_annotations_put_in_another_order_keep_who_wrote_them(tmp_path):
    """A commit that only moves annotations (into reading order, notes in `|` blocks, a blank line between
    entries) changes no note: each still says who wrote it, and the commit names no passage."""
    site = make(tmp_path)
    entries = ["  - id: denied\n    quote: The mayor denied any wrongdoing.\n    note: |\n      He denied it twice,\n      in writing.\n",
               "  - id: port\n    quote: The port was closed for three days.\n    tags: [harbour, closures]\n    note: Closed, says who?\n"]
    layer = site / "annotations" / "story.yaml"
    layer.write_text("annotations:\n" + "\n".join(entries))
    git(site, "commit", "-qam", "Blocks", author="Cy Blocker")
    build(site, tmp_path / "before", use_cache=False)
    before = notes((tmp_path / "before" / "articles" / "story" / "index.html").read_text())
    assert "last changed by Cy Blocker" in before["denied"] and "last changed by Cy Blocker" in before["port"]
    layer.write_text("annotations:\n" + "\n".join(reversed(entries)))
    git(site, "commit", "-qam", "Reading order, backwards", author="Mo Ver")
    build(site, tmp_path / "out", use_cache=False)
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    assert notes(page) == before
    changes = html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<section class="changes"'):]))
    assert re.search(r"Reading order, backwards \(commit [0-9a-f]{7}, annotations\)", changes), changes


def test_a_paragraph_moved_in_the_article_is_a_change_to_its_passage(tmp_path):
    """Unlike an annotation moved in its file, a paragraph the article moves is edited text: the commit names
    the passage it carried."""
    site = make(tmp_path)
    text = site / "content" / "story.txt"
    mayor = "The mayor denied any wrongdoing.\nCritics were not convinced at all.\nNobody resigned.\n"
    port = "The port was closed for three days.\nShips waited offshore.\n"
    text.write_text(f"The story\n\n{mayor}\n{port}")
    git(site, "commit", "-qam", "Ships", author="Desk")
    text.write_text(f"The story\n\n{port}\n{mayor}")
    git(site, "commit", "-qam", "Port first", author="Desk")
    build(site, tmp_path / "out", use_cache=False)
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    changes = html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<section class="changes"'):]))
    assert re.search(r"Port first \(commit [0-9a-f]{7}, text: note 1\)", changes), changes


def test_the_page_ends_with_the_changes_to_annotations_and_text(tmp_path):
    site = make(tmp_path)
    build(site, tmp_path / "out", use_cache=False)
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    section = page[page.index('<section class="changes"'):page.index("</section>", page.index('<section class="changes"'))]
    items = [html.unescape(re.sub(r"<[^>]+>", "", li)).split(" · ", 1)[1] for li in re.findall(r"<li>(.*?)</li>", section, re.S)]
    assert [re.sub(r"commit [0-9a-f]{7}, ", "", i) for i in items] == [
        "Desk · Publisher's update (text: note 1)",
        "Bo Editor · Name the source of the closure (annotations: note 2)",
        "Ann Otator · Annotate the story (annotations and text: note 1, note 2)",
    ]
    assert page.index('<section class="changes"') < page.index('<footer class="article-foot">')


def test_without_git_nothing_shows_and_nothing_fails(tmp_path):
    site = make(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(site, plain, ignore=shutil.ignore_patterns(".git"))
    result = build(plain, tmp_path / "out", use_cache=False)
    assert result.ok
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    assert "note-history" not in page and 'class="changes"' not in page


def test_uncommitted_edits_are_nobody_s_yet(tmp_path):
    site = make(tmp_path)
    layer = site / "annotations" / "story.yaml"
    layer.write_text(layer.read_text().replace("He denied it twice.", "He denied it three times."))
    build(site, tmp_path / "out", use_cache=False)
    by_note = notes((tmp_path / "out" / "articles" / "story" / "index.html").read_text())
    assert by_note["denied"].startswith("Written by Ann Otator") and "last changed" not in by_note["denied"]


def test_a_commit_alone_rebuilds_the_site(tmp_path):
    site = make(tmp_path)
    out = tmp_path / "out"
    assert build(site, out).ok
    assert build(site, out).unchanged
    (site / "content" / "story.txt").write_text(STORY)
    assert not build(site, out).unchanged
    git(site, "commit", "-qam", "Revert the update", author="Desk")
    again = build(site, out)
    assert not again.unchanged, "a commit changes the page's history"
    assert "Revert the update" in (out / "articles" / "story" / "index.html").read_text()


def test_serve_shows_provenance_and_drift(tmp_path):
    site = make(tmp_path)
    engine = Preview(site, tmp_path / "served", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "ok"
    page = (tmp_path / "served" / "articles" / "story" / "index.html").read_text()
    assert "last changed by Bo Editor" in page and "Publisher" in page
    layer = site / "annotations" / "story.yaml"
    layer.write_text(layer.read_text().replace("He denied it twice.", "He denied it, twice."))
    engine.update({layer})
    page = (tmp_path / "served" / "articles" / "story" / "index.html").read_text()
    assert "He denied it, twice." in page and "Written by Ann Otator" in page

    drifted = tmp_path / "drifted"
    (drifted / "content").mkdir(parents=True)
    (drifted / "annotations").mkdir()
    (drifted / "site.toml").write_text('title = "T"\n')
    (drifted / "content" / "story.txt").write_text(CLAIMS)
    (drifted / "annotations" / "story.yaml").write_text(SHIFT_LAYER)
    git(drifted, "init", "-q")
    git(drifted, "add", "-A")
    git(drifted, "commit", "-qm", "Annotate")
    (drifted / "content" / "story.txt").write_text(CLAIMS_AFTER)
    git(drifted, "commit", "-qam", "Update")
    engine = Preview(drifted, tmp_path / "served2", log=lambda m, err=False: None)
    engine.update(None)
    assert engine.state == "broken"
    assert any("glossator reanchor" in p.message and p.line == 4 for p in engine.problems)


def test_history_results_are_cached_by_commit_and_contents(tmp_path):
    """A second build takes drift and provenance from .glossator-cache/history; an edit or a commit
    is seen at once."""
    site = tmp_path / "drifted"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "T"\n')
    (site / "content" / "story.txt").write_text(CLAIMS)
    (site / "annotations" / "story.yaml").write_text(SHIFT_LAYER)
    git(site, "init", "-q")
    git(site, "add", "site.toml", "content", "annotations")
    git(site, "commit", "-qm", "Annotate")
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER)
    git(site, "commit", "-qam", "Update")
    first = build(site, tmp_path / "out")
    errors = [p for p in first.problems if p.severity == "error"]  # (after base_url's warning: this site sets none)
    assert not first.ok and "glossator reanchor" in errors[0].message
    assert list((site / ".glossator-cache" / "history").glob("*.pickle"))
    again = build(site, tmp_path / "out")
    assert [p.text() for p in again.problems] == [p.text() for p in first.problems]
    layer = site / "annotations" / "story.yaml"
    layer.write_text(layer.read_text().replace("occurrence: 1", "occurrence: 2"))
    fixed = build(site, tmp_path / "out")
    assert fixed.ok, [p.text() for p in fixed.problems]
    git(site, "commit", "-qam", "Reanchor", author="Bo Editor")
    assert build(site, tmp_path / "out").ok
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    assert "last changed by Bo Editor" in page and "Reanchor" in page


def test_a_site_in_a_subfolder_of_a_repository(tmp_path):
    repo = tmp_path / "repo"
    site = make(tmp_path / "x")
    (repo / "sites").mkdir(parents=True)
    shutil.copytree(site, repo / "sites" / "news", ignore=shutil.ignore_patterns(".git"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Import the news site", author="Cy Archivist")
    assert build(repo / "sites" / "news", tmp_path / "out", use_cache=False).ok
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    assert "Written by Cy Archivist" in page and "Import the news site" in page


def test_without_the_git_command_nothing_fails(tmp_path):
    import os
    import subprocess
    import sys

    site = make(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": str(tmp_path / "nowhere")}
    done = subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "note-history" not in (tmp_path / "out" / "articles" / "story" / "index.html").read_text()


def test_the_user_s_git_config_does_not_change_what_is_read(tmp_path):
    import os
    import subprocess
    import sys

    site = make(tmp_path)
    config = tmp_path / "gitconfig"
    config.write_text("[diff]\n\tnoprefix = true\n\tmnemonicPrefix = true\n[color]\n\tui = always\n[log]\n\tshowSignature = false\n")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(config)}
    done = subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--no-cache", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    by_note = notes((tmp_path / "out" / "articles" / "story" / "index.html").read_text())
    assert "last changed by Bo Editor" in by_note["port"] and "last changed" not in by_note["denied"]


@pytest.mark.parametrize("language, arabic, rtl", [("ar", False, False), ("en", True, True), ("ar", True, True)])
def test_in_a_right_to_left_article_a_notes_history_reads_left_to_right(tmp_path, language, arabic, rtl):
    """Its words are the interface's (English): `ui` marks it, as the other interface phrases inside the
    right-to-left article (audit read7 F3), whatever the site's language (an Arabic article on an English
    site); a left-to-right article's is as before, on an Arabic site too."""
    site = make(tmp_path)
    (site / "site.toml").write_text(f'title = "T"\nbase_url = "https://example.org/"\nlanguage = "{language}"\n')
    if arabic:  # most of its letters Arabic: the article reads right to left
        (site / "content" / "story.txt").write_text(STORY + "\n" + "قالت مصادر مطلعة إن الميناء أغلق ثلاثة أيام بسبب العاصفة. " * 4 + "\n")
        git(site, "commit", "-qam", "Arabic")
    build(site, tmp_path / "out", use_cache=False)
    page = (tmp_path / "out" / "articles" / "story" / "index.html").read_text()
    mark = ' dir="ltr"' if rtl else ""
    assert page.count(f'<p class="note-history"{mark}>Written by Ann Otator on') == 2


def test_the_aligner_is_loaded_only_when_an_article_changed_since_it_was_annotated(tmp_path):
    """Drift needs the aligner (and rapidfuzz, 0.035 s to import) only for an article whose text changed
    since its annotations were written: a build of a site in git whose articles have not is spared it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    site = site_with(tmp_path, STORY, LAYER, None)  # in git, as annotated
    probe = ("import sys; from pathlib import Path; from builder.build import build; "
             f"r = build(Path({str(site)!r}), Path({str(tmp_path / 'out')!r}), use_cache=False); assert r.ok, r.problems; "
             "print(sorted(m for m in ('rapidfuzz', 'builder.reanchor.align') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}

    def loaded() -> str:
        return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.strip()

    assert loaded() == "[]"
    (site / "content" / "story.txt").write_text(STORY.replace("Critics were not convinced.", "Critics were not convinced at all."))
    git(site, "commit", "-qam", "Publisher's update", author="Desk")
    assert loaded() == "['builder.reanchor.align', 'rapidfuzz']"


@pytest.mark.parametrize("dense", [1, 1000])
def test_blobs_at_answers_as_git_does_file_by_file(tmp_path, monkeypatch, dense):
    """History.blobs_at reads the tree of a (commit, folder) whole where many of its files are asked for
    (`dense` or more: 1, every folder read whole, and the trees kept answer the second question; 1000, none),
    where asking git for each file by its path read the folder's whole tree again per file (4.3 s for 4,000
    articles in one commit). Its answers are those of `git cat-file --batch-check` file by file: in a site in
    a subfolder of the repository, for a name with spaces, a file renamed or moved into a subfolder since, a
    link, a folder, a file not there."""
    import subprocess

    from builder import history as module
    from builder.history import History

    monkeypatch.setattr(module, "DENSE", dense)

    repo = tmp_path / "repo"
    site = repo / "sites" / "one"
    (site / "content" / "in a folder").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "content" / "a b.txt").write_text("first\n")
    (site / "content" / "old.txt").write_text("second\n")
    (site / "content" / "in a folder" / "c.txt").write_text("third\n")
    (site / "annotations" / "a b.yaml").write_text("annotations: []\n")
    (site / "content" / "link.txt").symlink_to("a b.txt")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    git(site, "mv", "content/old.txt", "content/in a folder/new.txt")
    (site / "content" / "a b.txt").write_text("first, corrected\n")
    git(repo, "commit", "-qam", "two")
    history = History.open(site)
    wanted = [(sha, rel) for sha in history.commits for rel in (
        "content/a b.txt", "content/old.txt", "content/in a folder/new.txt", "content/in a folder/c.txt",
        "content/link.txt", "content/in a folder", "content/none.txt", "nowhere/x.txt", "annotations/a b.yaml")]
    asked = "".join(f"{sha}:sites/one/{rel}\n" for sha, rel in wanted)
    lines = subprocess.run(["git", "cat-file", "--batch-check"], cwd=repo, input=asked, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    expected = {w: (line.split(" ")[0] if line.split(" ")[1:2] == ["blob"] else None) for w, line in zip(wanted, lines)}
    assert history.blobs_at(wanted[:3]) == dict(zip(wanted[:3], list(expected.values())[:3]))  # (then the rest of their folders: kept trees)
    assert history.blobs_at(wanted) == expected
    assert sum(v is not None for v in expected.values()) == 10  # (a b.txt, c.txt, link.txt and the layer in both commits; old.txt, then new.txt)


def test_notes_changed_on_a_merged_branch_say_who_wrote_them_not_who_merged(tmp_path):
    """A merge commit changes, against main, every file its branch changed: those files are blamed (the replay of
    main's changes would name the merge), each by a git process, run side by side (History.prepare). Each note
    names whoever changed it on the branch, in every article."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    for slug in ("one", "two", "three"):
        (site / "content" / f"{slug}.txt").write_text(STORY)
        (site / "annotations" / f"{slug}.yaml").write_text(LAYER)
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Annotate", author="Ann Otator")
    git(site, "checkout", "-qb", "review")
    for slug in ("one", "two", "three"):
        (site / "annotations" / f"{slug}.yaml").write_text(LAYER.replace("Closed, says who?", f"Closed ({slug}), says who?"))
    git(site, "commit", "-qam", "Review the closures", author="Bo Editor")
    git(site, "checkout", "-q", "main")
    git(site, "merge", "-q", "--no-ff", "-m", "Merge the review", "review", author="Mer Ger")
    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    for slug in ("one", "two", "three"):
        by_note = notes((tmp_path / "out" / "articles" / slug / "index.html").read_text())
        assert re.fullmatch(r"Written by Ann Otator on \d+ \w+ \d{4}\.", by_note["denied"])
        assert re.fullmatch(r"Written by Ann Otator on \d+ \w+ \d{4}; last changed by Bo Editor on \d+ \w+ \d{4}\.", by_note["port"])
