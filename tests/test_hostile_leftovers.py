"""What the last audit of hostile setups left: each case as a user meets it."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_hostile_setup import ARTICLE, LAYER, located, run_without_privilege, tmpfs


def test_init_on_a_full_disk_says_which_file_and_leaves_the_folder_empty(tmp_path, run_cli):
    """A disk with room for three small files: the fourth fails; init names it, as `path:1:1: error:`,
    and takes back what it wrote, so that a second try (with room) is not refused as "not empty"."""
    with tmpfs(tmp_path / "disk", "12k") as disk:
        code, out, err = run_cli("init", disk / "site")
        assert code == 1
        assert err.startswith(f"{disk / 'site'}/"), err
        assert ":1:1: error: cannot write: No space left on device" in err
        assert list(disk.iterdir()) == []


def test_init_on_a_disk_with_no_room_at_all_names_the_folder_asked_for_and_what_to_do(tmp_path, run_cli):
    """The first file init writes is its own marker (.glossator-init-unfinished): on a disk with no room at all
    that write fails, and the error named the marker, a file the user never asked for, and said nothing to do."""
    with tmpfs(tmp_path / "disk", "4k") as disk:
        (disk / "fill").write_bytes(b"x" * 4096)
        code, out, err = run_cli("init", disk / "site")
        assert code == 1 and "Traceback" not in err
        assert err.startswith(f"{disk / 'site'}:1:1: error: cannot write: No space left on device (the disk is full: "), err
        assert "unfinished" not in err and "make room" in err
        assert sorted(p.name for p in disk.iterdir()) == ["fill"]


def test_init_errors_name_the_folder(tmp_path, run_cli):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    code, _, err = run_cli("init", busy)
    assert code == 2 and err.startswith(f"{busy}:1:1: error: is not empty"), err  # DIR is the mistake: wrong usage
    (tmp_path / "file").write_text("x")
    code, _, err = run_cli("init", tmp_path / "file" / "site")
    assert code == 1 and err.startswith(f"{tmp_path / 'file' / 'site'}:1:1: error: cannot write: Not a directory"), err


def test_init_into_a_read_only_folder(tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o555)
    result = run_without_privilege("init", tmp_path / "ro" / "site")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'ro' / 'site'}:1:1: error: cannot write: Permission denied"), result.stderr


def test_json_gives_a_file_name_as_it_is(tmp_path, make_site, run_cli):
    """A line break, an escape character or bytes that are not UTF-8 in a file's name: JSON carries the
    true name (a tool opens the file with it), while the text line shows them as escapes."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    names = ["a\nb.txt", "\x1b[31m.txt", "\udcff.txt"]
    for name in names:
        (site / "content" / name).write_bytes(b"Hello.\n")
    code, out, err = run_cli("check", site, "--format", "json")
    assert code == 1
    files = [p["file"] for p in json.loads(out) if p["file"].startswith("content/")]
    assert sorted(files) == sorted(f"content/{n}" for n in names)
    assert all((site / f).is_file() for f in files)
    code, out, err = run_cli("check", site)
    assert "content/a\\nb.txt:1:1: error:" in err and "content/\\x1b[31m.txt:1:1: error:" in err
    assert "\x1b" not in err and "content/a\nb" not in err


@pytest.mark.parametrize("template", [
    '{{ "x"|center(10**10) }}', '{{ "%10000000000s"|format(1) }}', '{{ "%*s"|format(10**10, "x") }}',
    '{{ "x".ljust(10**10) }}', '{{ "{:>10000000000}".format(1) }}', '{{ "%10000000000d" % 1 }}',
    '{{ [1]|batch(10**9, 0)|list }}', '{{ "a"|indent(10**10, true) }}',
    '{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
    '{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}',
    '{% for i in range(40) %}{% set ns.s = ns.s|replace("x", "xx") %}{% endfor %}{{ ns.s|length }}',
])
def test_a_site_template_cannot_make_gigabytes_with_widths_or_doubling(tmp_path, make_site, run_cli, template):
    """Widths given to `center`, `format`, `%`, text methods, and text doubled in a loop: each a
    template error at its line, at once, as `"x" * 10**10` is (a plain width stays fine)."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER, "templates/404.html":
                                         '{% set ns = namespace(s="xxxxxxxx") %}\n<p>{{ "x"|center(80) }}</p>\n' + template + "\n"})
    code, out, err = run_cli("check", site)
    assert code == 1
    located(err, "templates/404.html:3:1", "a template may not")


def test_reanchor_write_tidies_what_a_killed_write_left(tmp_path):
    """A `reanchor --write` killed between writing its temporary file and renaming it leaves
    `.story.yaml.<8 characters>.glossator-tmp`; the next `--write` removes it. It leaves alone a
    newer one (a write in progress elsewhere), a link of that name and the user's own hidden files."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, glossator, site_with

    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, CLAIMS_AFTER)
    folder = site / "annotations"
    left = folder / ".story.yaml.k3j9x_2q.glossator-tmp"
    left.write_text(SHIFT_LAYER[:40])
    os.utime(left, (time.time() - 600, time.time() - 600))
    kept = [folder / ".story.yaml.b7c1m0zz.glossator-tmp", folder / ".story.yaml.notes", folder / ".x.yaml.aaaaaaaa.glossator-tmp"]
    kept[0].write_text("in progress")
    kept[1].write_text("mine")
    kept[2].symlink_to(site / "site.toml")
    os.utime(kept[1], (time.time() - 600, time.time() - 600))
    os.utime(kept[2], (time.time() - 600, time.time() - 600), follow_symlinks=False)
    assert glossator("reanchor", site).returncode == 0
    assert left.exists(), "only --write tidies"
    done = glossator("reanchor", site, "--write")
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert all(p.is_symlink() or p.exists() for p in kept)
    assert (site / "site.toml").exists()


KILLED_BETWEEN_RENAMES = """
import os, sys
from builder import cli, output
output._exchange = lambda a, b: False  # a file system without RENAME_EXCHANGE (NFS, vfat)
rename = os.rename
os.rename = lambda a, b: os._exit(9) if ".new-" in str(a) else rename(a, b)  # killed between the renames
sys.argv = ["glossator", "build", *sys.argv[1:]]
cli.run()
"""


def test_a_build_killed_between_two_renames_is_undone_by_the_next(tmp_path, make_site, run_cli):
    """Without an atomic exchange a build renames the old site aside, then the new one in; killed
    between the two, the published site is missing. The next build puts the old one back, so that,
    if it fails, what was published is published still."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    out = tmp_path / "out"
    assert run_cli("build", site, "--out", out)[0] == 0
    published = (out / "articles" / "a" / "index.html").read_bytes()
    (site / "annotations" / "a.yaml").write_text(LAYER.replace("Which gangs?", "Which two gangs?"))
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(site), "--out", str(out)],
                            capture_output=True, text=True)
    assert killed.returncode == 9 and not out.exists(), killed.stderr
    (site / "annotations" / "a.yaml").write_text(LAYER.replace("the two gangs", "the three gangs"))  # a mistake
    code, _, err = run_cli("build", site, "--out", out)
    assert code == 1 and "previous output is unchanged" in err
    assert (out / "articles" / "a" / "index.html").read_bytes() == published
    (site / "annotations" / "a.yaml").write_text(LAYER)
    assert run_cli("build", site, "--out", out)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_second_rename_that_fails_puts_the_old_site_back(tmp_path, make_site, run_cli, monkeypatch):
    from builder import output

    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    out = tmp_path / "out"
    assert run_cli("build", site, "--out", out)[0] == 0
    published = (out / "index.html").read_bytes()
    rename = os.rename

    def refused(a, b):
        if ".new-" in str(a):
            raise OSError(errno.EIO, "Input/output error", str(b))
        return rename(a, b)

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", refused)
    code, _, err = run_cli("build", site, "--out", out, "--no-cache")
    monkeypatch.undo()
    assert code == 1, err
    assert (out / "index.html").read_bytes() == published


def test_a_cache_write_killed_midway_is_tidied_by_the_next_build(tmp_path, make_site, run_cli):
    """kill -9 of a build while it wrote a cache entry left its temporary file in .glossator-cache
    (`.a.pickle.k3j9x_2q.tmp`, as large as the entry) for ever: no build removed it, and every killed
    build could add one per worker. The next build removes those untouched for a minute, and nothing else."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    cache = site / ".glossator-cache"
    old = time.time() - 600
    left = [cache / "articles" / ".a.pickle.k3j9x_2q.tmp", cache / "builds" / ".0123456789abcdef.json.aaaa_bbb.tmp"]
    kept = [cache / "articles" / ".a.pickle.b7c1m0zz.tmp", cache / "articles" / ".notes"]  # in progress; not ours
    for path in left + kept:
        path.write_bytes(b"\x80\x05partial")
    for path in left + kept[1:]:
        os.utime(path, (old, old))
    (site / "content" / "a.txt").write_text(ARTICLE + "\nOne more line.\n")
    code, out, err = run_cli("build", site)
    assert code == 0, err
    assert not any(p.exists() for p in left)
    assert all(p.exists() for p in kept)


def test_a_failed_first_build_says_nothing_was_written_not_that_an_output_was_kept(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE,
                                         "annotations/a.yaml": LAYER.replace("the two gangs", "the three gangs")})
    out = tmp_path / "out"
    code, _, err = run_cli("build", site, "--out", out)
    assert code == 1 and "nothing was written" in err and "previous output" not in err
    assert not out.exists()


def test_an_atomic_write_never_writes_through_a_link_planted_at_its_temporary_name(tmp_path, monkeypatch):
    """write_atomic (serve's pages, the cache's entries) names its temporary file from the process id and a
    count, not at random: someone who guesses the next name and plants a link there must not get the write.
    The write goes through another name, the link's target stays as it was, and nothing is left behind; the
    names it makes are those a killed write's tidy_in_place removes."""
    import itertools

    from builder import output

    folder, outside = tmp_path / "cache", tmp_path / "precious.txt"
    folder.mkdir()
    outside.write_text("mine")
    monkeypatch.setattr(output, "_written", itertools.count(7))
    guessed = folder / f".a.pickle.{(os.getpid() * 1000003 + 7) & 0xFFFFFFFF:08x}.tmp"
    guessed.symlink_to(outside)
    output.write_atomic(folder, "a.pickle", b"entry")
    assert (folder / "a.pickle").read_bytes() == b"entry"
    assert outside.read_text() == "mine"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a.pickle", guessed.name])
    output.write_atomic(folder, "b/c.pickle", b"made")  # its folder made on the way
    assert (folder / "b" / "c.pickle").read_bytes() == b"made" and oct((folder / "b" / "c.pickle").stat().st_mode & 0o777) == "0o644"
    fd, left = output._fresh(folder / "d.pickle", ".tmp")  # as a write killed midway leaves it
    os.close(fd)
    os.utime(left, (time.time() - 600,) * 2)
    output.tidy_in_place(folder, ".tmp")
    assert not os.path.exists(left) and guessed.is_symlink()  # (the link is not a file of ours: kept)


def test_a_site_with_its_own_templates_builds_an_article_of_one_long_paragraph(tmp_path, make_site, run_cli):
    """An 11 MB transcript with single line breaks (one paragraph, under the 64 MB an article may be) failed
    to build once the site had a templates/ folder, even an empty one or one holding only 404.html:
    "templates/article.html (built-in):103:1: error: template error: a template may not make text or a
    list of more than 10,000,000 items", the cap on what a site's template makes applied to `|safe`
    passing on the paragraph the build made. A filter that passes on what it is given makes nothing."""
    line = "Officials say the two gangs are now allies, and more words follow on every line.\n"
    site = make_site(tmp_path / "site", {"content/a.txt": "Transcript begins.\n" + line * (11 * 2**20 // len(line)),
                                         "annotations/a.yaml": 'annotations:\n  - quote: "Transcript begins."\n    note: Whose?\n',

                                         "templates/404.html": '{% extends "base.html" %}{% block content %}<p>Gone.</p>{% endblock %}\n'})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    page = (site / "_site/articles/a/index.html").read_text(encoding="utf-8")
    assert page.count(line.strip()) >= 11 * 2**20 // len(line)  # every line of it
    assert "Gone." in (site / "_site/404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "two-renames"])
def test_ctrl_c_while_the_old_site_is_removed_says_built_for_the_new_one_is_published(tmp_path, make_site, run_cli,
                                                                                      monkeypatch, exchange):
    """Once the new site is swapped in, what is left is removing the old one (seconds, with 50,000 static
    files): a Ctrl-C there said "interrupted" and exited 130, the new site published all the same. Now the
    build is done: it says so, and the next build removes what is left of the old one."""
    from builder import output

    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    out = tmp_path / "out"
    assert run_cli("build", site, "--out", out)[0] == 0
    (site / "annotations" / "a.yaml").write_text(LAYER.replace("Which gangs?", "Which two gangs?"))
    discard = output.discard

    def ctrl_c_midway(folder):
        if folder.parent == out.parent and folder.name.startswith(".out."):  # the old site, beside the new
            (folder / "index.html").unlink()
            raise KeyboardInterrupt
        return discard(folder)

    monkeypatch.setattr(output, "discard", ctrl_c_midway)
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    code, out_text, err = run_cli("build", site, "--out", out)
    monkeypatch.undo()
    assert (code, "interrupted" in err) == (0, False), err
    assert "built 1 article" in out_text + err
    assert "Which two gangs?" in (out / "articles" / "a" / "index.html").read_text()
    assert run_cli("build", site, "--out", out)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_ctrl_c_while_the_build_is_recorded_says_built_for_the_new_site_is_published(tmp_path, make_site, run_cli,
                                                                                      monkeypatch):
    """After the swap the build records what it made (a second with 50,000 static files): a Ctrl-C there said
    "interrupted" and exited 130, the new site published. Now it says built; the next build, with no record,
    builds again."""
    from builder import cache

    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    out = tmp_path / "out"
    assert run_cli("build", site, "--out", out)[0] == 0
    (site / "annotations" / "a.yaml").write_text(LAYER.replace("Which gangs?", "Which two gangs?"))

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.BuildRecord, "save", ctrl_c)
    code, out_text, err = run_cli("build", site, "--out", out)
    monkeypatch.undo()
    assert (code, "interrupted" in err) == (0, False), err
    assert "Which two gangs?" in (out / "articles" / "a" / "index.html").read_text()
    code, out_text, err = run_cli("build", site, "--out", out)
    assert code == 0 and "built 1 article" in out_text + err, out_text + err


# Runs `glossator build` and SIGKILLs it at one moment of its swap, chosen by the test rather than hit by a timer
# (test_build's kill test): the new folder filled but not yet listed, just before the exchange, just after it
# (the old site then sits beside the new one), and halfway through removing the old site.
KILLED_AT_THE_SWAP = """
import os, shutil, signal, sys
from builder import cli, output
moment = sys.argv.pop(1)
kill = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
exchange, rmtree = output._exchange, shutil.rmtree
if moment == "filled":
    output._listing = kill
elif moment == "exchange":
    output._exchange = kill
elif moment == "exchanged":
    output._exchange = lambda a, b: exchange(a, b) and kill()
else:
    removed = []
    output.shutil.rmtree = lambda path, *a, **k: kill() if removed.append(path) or len(removed) == 2 else rmtree(path, *a, **k)
sys.argv = ["glossator", "build", *sys.argv[1:]]
cli.run()
"""


def _tree(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """A site whose output holds its old version, and the trees a clean build publishes of each version."""
    import shutil

    from tests.conftest import invoke, write_site

    root = tmp_path_factory.mktemp("swap")
    site = write_site(root / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER,
                                      "content/b.txt": ARTICLE, "annotations/b.yaml": LAYER})
    trees = {}
    for name, text in (("new", LAYER.replace("Which gangs?", "Which two gangs?")), ("old", LAYER)):
        (site / "annotations/a.yaml").write_text(text)
        assert invoke("build", site, "--out", root / "out", "--no-cache")[0] == 0
        trees[name] = _tree(root / "out")
    shutil.rmtree(site / ".glossator-cache", ignore_errors=True)
    return root, trees


@pytest.mark.parametrize("moment, published", [("filled", "old"), ("exchange", "old"), ("exchanged", "new"),
                                               ("removing", "new")])
def test_a_build_killed_at_any_moment_of_its_swap_publishes_one_site_whole_and_the_next_build_tidies(
        tmp_path, two_sites, run_cli, moment, published):
    import shutil

    root, trees = two_sites
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(root / "site", site)
    shutil.copytree(root / "out", out)  # the old site, published
    (site / "annotations/a.yaml").write_text(LAYER.replace("Which gangs?", "Which two gangs?"))
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_THE_SWAP, moment, str(site), "--out", str(out)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert killed.returncode == -9, killed.stderr
    assert _tree(out) == trees[published]
    code, said, err = run_cli("build", site, "--out", out)
    assert code == 0 and "another build" not in err, err
    assert _tree(out) == trees["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # nothing beside it, no lock file
