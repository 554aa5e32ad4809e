"""A disk that fills during a build, `new` or `reanchor --write`: each says where the room ran out,
and leaves nothing half-written that the next try would take for whole; and what the builder keeps
between runs, damaged or not its own, is made again."""
from __future__ import annotations

import errno
import json
import marshal
from pathlib import Path

import pytest

from tests.test_hostile_setup import ARTICLE, LAYER, located, tmpfs
from tests.test_reanchor_cli import glossator


def fill(disk: Path) -> Path:
    """Take every byte left on `disk`."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_disk_that_fills_while_static_files_are_copied_blames_the_disk_not_the_file(make_site, run_cli, tmp_path):
    """copyfile's sendfile names the source in its error even when the target found no room: a full
    disk used to read `static/big.bin:1:1: error: could not be copied: No space left on device (was it
    removed or changed during the build?)`, sending the user to a file that is fine."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    (site / "static").mkdir()
    (site / "static" / "big.bin").write_bytes(b"\1" * 3_000_000)
    with tmpfs(tmp_path / "disk", "2m") as disk:
        code, out, err = run_cli("build", site, "--out", disk / "out", "--no-cache")
        assert code == 1
        located(err, f"{disk / 'out'}:1:1", "No space left on device")
        assert "static/big.bin" not in err, err
        assert list(disk.iterdir()) == []


def test_a_rebuild_on_a_disk_with_room_for_one_site_says_it_needs_room_for_two(make_site, run_cli, tmp_path):
    """A site that fills more than half its disk builds once, then every rebuild, however small the edit,
    met a bare `No space left on device` with free space on the disk: the new site is written whole beside
    the previous one before it is swapped in, which the user had no way to know."""
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    (site / "static").mkdir()
    (site / "static" / "big.bin").write_bytes(b"\1" * 1_500_000)
    with tmpfs(tmp_path / "disk", "2500k") as disk:
        code, out, err = run_cli("build", site, "--out", disk / "out", "--no-cache")
        assert code == 0, err
        before = (disk / "out" / "index.html").read_bytes()
        with (site / "content" / "a.txt").open("a") as f:
            f.write("\nOne more sentence.\n")
        code, out, err = run_cli("build", site, "--out", disk / "out", "--no-cache")
        assert code == 1
        located(err, f"{disk / 'out'}:1:1", "No space left on device (the new site is written whole beside the"
                " previous one, then swapped in: the disk needs room for both); the previous output is unchanged")
        assert (disk / "out" / "index.html").read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == ["out"]


def test_a_site_whose_cache_shares_the_full_disk_keeps_its_published_site_and_leaves_no_temporary_file(make_site, run_cli,
                                                                                                       tmp_path):
    """The site itself on the disk, its cache and output with it: a rebuild that finds no room (for the cache's
    entries of the edited article, then the pages) says so at the output, keeps the published site and every
    cache file as they were, and leaves nothing half-written; with room again, it builds."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        story = "".join(f"Paragraph {i} of the story goes on.\n\n" for i in range(1000))  # cached and published
        site = make_site(disk / "site", {"content/a.txt": ARTICLE + story, "annotations/a.yaml": LAYER})
        code, out, err = run_cli("build", site)
        assert code == 0, err
        before = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
        (site / "content/a.txt").write_text(ARTICLE + story.replace("Paragraph 7 ", "Paragraph 7, edited, "))
        before[site / "content/a.txt"] = (site / "content/a.txt").read_bytes()
        filler = fill(disk)
        code, out, err = run_cli("build", site)
        assert code == 1
        located(err, "_site:1:1", "No space left on device")
        assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == before
        filler.unlink()
        code, out, err = run_cli("build", site)
        assert code == 0, err
        assert "edited" in (site / "_site/articles/a/index.html").read_text()


def test_a_file_past_the_size_limit_says_which_limit(make_site, tmp_path):
    """Under `ulimit -f` (a CI job's, a shared host's), the build said only `cannot write the site here:
    File too large`, with no file larger than a few kilobytes in sight and no word of a limit."""
    import resource
    import subprocess
    import sys

    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    (site / "static").mkdir()
    (site / "static" / "big.bin").write_bytes(b"\1" * 200_000)
    done = subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--out", str(tmp_path / "out"),
                           "--no-cache"], capture_output=True, text=True,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000)))
    assert done.returncode == 1
    located(done.stderr, f"{tmp_path / 'out'}:1:1", "File too large (a file of the site is larger than this process"
            " may write, `ulimit -f`, or this disk may hold); nothing was written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_new_on_a_full_disk_leaves_no_empty_schema_and_the_next_try_writes_it_whole(make_site, run_cli, tmp_path):
    """`new` used to leave an empty schema/annotations.schema.json behind a full disk, blamed on the
    annotation file; the next `new` then kept the empty one, as a file never overwritten."""
    with tmpfs(tmp_path / "disk", "64k") as disk:
        site = make_site(disk / "site", {"content/a.txt": ARTICLE})
        filler = fill(disk)
        code, out, err = run_cli("new", "a", "--site", site)
        assert code == 1
        located(err, "schema/annotations.schema.json:1:1", "No space left on device")
        assert not (site / "schema" / "annotations.schema.json").exists()
        assert not (site / "annotations" / "a.yaml").exists()
        filler.unlink()
        code, out, err = run_cli("new", "a", "--site", site)
        assert code == 0, err
        assert json.loads((site / "schema" / "annotations.schema.json").read_text())["$schema"]
        assert (site / "annotations" / "a.yaml").read_text().startswith("# yaml-language-server")


def test_reanchor_write_on_a_full_disk_says_not_written(tmp_path):
    """The last line used to read "1 moved, 0 edited, 1 orphaned; written" when nothing was: the
    proposal that could not be written was counted as an orphan, and the write as done."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, glossator, site_with

    with tmpfs(tmp_path / "disk", "1m") as disk:
        site = site_with(disk, CLAIMS, SHIFT_LAYER, CLAIMS_AFTER)
        filler = fill(disk)
        done = glossator("reanchor", site, "--write")
        assert done.returncode == 1
        located(done.stderr, "annotations/story.yaml:1:1", "No space left on device")
        assert done.stderr.splitlines()[-1] == "reanchor: 1 moved, 0 edited, 0 orphaned; not written"
        assert (site / "annotations" / "story.yaml").read_text() == SHIFT_LAYER
        filler.unlink()
        done = glossator("reanchor", site, "--write")
        assert done.returncode == 0 and done.stderr.splitlines()[-1].endswith("; written"), done.stderr


@pytest.mark.parametrize("foreign", [42, "x = 1"], ids=["not-code", "other-code"])
def test_a_kept_schema_check_that_is_not_ours_is_made_again(tmp_path, monkeypatch, foreign):
    """A file in the kept folder (builder/__pycache__) under the schema check's name that loads but is
    not its code (another program's, a damaged disk's) made every build end in a traceback (`exec() arg
    1 must be ... code object`, KeyError 'validate') until the folder was deleted by hand."""
    from builder import kept
    from builder.read import schema

    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    schema._fast_validator.cache_clear()
    try:
        schema._fast_validator(None)
        (made,) = (tmp_path / "kept").glob("schema-*.marshal")
        made.write_bytes(marshal.dumps(foreign if isinstance(foreign, int) else compile(foreign, "f", "exec")))
        schema._fast_validator.cache_clear()
        check = schema._fast_validator(None)
        check({"annotations": [{"quote": "Officials say", "note": "Who?"}]})
        with pytest.raises(Exception, match="occurrence"):
            check({"annotations": [{"quote": "Officials say", "occurrence": 0}]})
        assert "validate" in marshal.loads(made.read_bytes()).co_names  # made again, and kept
    finally:
        schema._fast_validator.cache_clear()


def two_stories_drifted(root: Path, long_note: str) -> Path:
    """A site in git whose two articles were both updated since their notes were written: `reanchor --write`
    rewrites both annotation files (the second's note `long_note`)."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, git, site_with

    site = site_with(root, CLAIMS, SHIFT_LAYER, None)
    (site / "content" / "other.txt").write_text(CLAIMS)
    (site / "annotations" / "other.yaml").write_text(SHIFT_LAYER.replace("Which police force?", long_note))
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Another story")
    for name in ("story", "other"):
        (site / "content" / f"{name}.txt").write_text(CLAIMS_AFTER)
    git(site, "commit", "-qam", "The publisher's update", author="Desk")
    return site


def test_reanchor_write_on_a_disk_with_room_for_one_file_writes_neither(tmp_path):
    """The room ran out after the first file was written: it was rewritten, the second not, and a second run
    proposed only for the second. Every file is now written beside itself first, and renamed over only once all are."""
    with tmpfs(tmp_path / "disk", "1m") as disk:
        site = two_stories_drifted(disk, "A long note. " * 5000)
        before = {p.name: p.read_bytes() for p in (site / "annotations").iterdir()}
        filler = fill(disk)
        with filler.open("r+b") as f:
            f.truncate(filler.stat().st_size - 16384)  # room for the short file, not the long one
        done = glossator("reanchor", site, "--write")
        assert done.returncode == 1
        located(done.stderr, "annotations/other.yaml:1:1", "No space left on device")
        assert done.stderr.splitlines()[-1] == "reanchor: 2 moved, 0 edited, 0 orphaned; not written"
        assert {p.name: p.read_bytes() for p in (site / "annotations").iterdir()} == before
        filler.unlink()
        done = glossator("reanchor", site, "--write")
        assert done.returncode == 0 and done.stderr.splitlines()[-1] == "reanchor: 2 moved, 0 edited, 0 orphaned; written"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files by /proc")
def test_reanchor_write_flushes_each_file_to_the_disk_before_it_replaces_the_old(tmp_path, monkeypatch, run_cli):
    """A power cut just after `reanchor --write` returned could leave an annotation file empty: its new text was
    renamed over the old before the disk had stored it, and the rename itself was not stored. Now each temporary
    file is flushed (fsync) before its rename, and the folder after it, as the system calls show."""
    import os

    site = two_stories_drifted(tmp_path, "Which force?")
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))) or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: calls.append(("rename", str(a), str(b))) or real_replace(a, b))
    code, _, err = run_cli("reanchor", site, "--write")
    assert code == 0, err
    folder = str((site / "annotations").resolve())
    renames = [c for c in calls if c[0] == "rename"]
    assert sorted(Path(c[2]).name for c in renames) == ["other.yaml", "story.yaml"]
    for _, tmp, target in renames:
        assert calls.index(("fsync", tmp)) < calls.index(("rename", tmp, target)), calls
    assert calls[-1] == ("fsync", folder), calls
    assert "armed" in (site / "annotations" / "story.yaml").read_text()


def test_ctrl_c_while_reanchor_write_renames_its_files_leaves_all_of_them_written(tmp_path, monkeypatch, run_cli):
    """Ctrl-C just after the first of two annotation files was renamed into place left the second as it was: half
    the proposals written, the next run proposing the rest. The renames now finish first; then it stops."""
    import os
    import signal

    site = two_stories_drifted(tmp_path, "Which force?")
    real_replace = os.replace

    def replace(a, b):
        real_replace(a, b)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "replace", replace)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # (Python's own, whatever an earlier test left)
    try:
        code, _, err = run_cli("reanchor", site, "--write")
    finally:
        signal.signal(signal.SIGINT, before)
    assert (code, err.splitlines()[-1]) == (130, "interrupted"), err
    monkeypatch.setattr(os, "replace", real_replace)
    code, _, err = run_cli("reanchor", site)
    assert code == 0 and err.splitlines()[-1].endswith("every passage anchors where it was written"), err
    assert [p.name for p in (site / "annotations").iterdir() if p.name.startswith(".")] == []
