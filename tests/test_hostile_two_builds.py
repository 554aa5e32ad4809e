"""Two builds of one site at once, and a build killed while it holds the output folder: the second is
refused at once, before it loads anything, and a killed build's lock never blocks the next."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import output
import builder.build

from tests.test_hostile_folders import site  # noqa: F401 (a fixture: one article, one note)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("named", [False, True], ids=["site.toml-output", "--out"])
def test_a_second_build_is_refused_before_it_loads_the_site(site, run_cli, monkeypatch, tmp_path, named):
    """The lock was taken only to publish: a second build loaded, anchored and rendered the whole site
    (minutes for a large one), then failed. It now says so before reading a single article."""
    out = tmp_path / "www" if named else site / "_site"
    args = ("build", site, "--no-cache", *(("--out", out) if named else ()))
    assert run_cli(*args)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def load_site(*_, **__):
        raise AssertionError("the site was loaded while another build held the output")

    with output.locked(out.resolve()), monkeypatch.context() as patched:
        patched.setattr(builder.build, "load_site", load_site)
        code, _, err = run_cli(*args)
    assert code == 1, err
    assert "another build is writing" in err and "Traceback" not in err
    assert err.splitlines()[0].startswith(f"{'_site' if not named else out}:1:1: error: ")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert run_cli(*args)[0] == 0
    assert not list(out.parent.glob(f".{out.name}.*"))  # no lock file, no folder left beside it


def test_a_build_killed_outright_while_loading_leaves_no_lock_that_blocks_the_next(site, tmp_path):
    """The lock is held from the start now, so a kill -9 while the site loads leaves its file: the system
    released the lock with the process, and the next build takes it, builds, and removes the file."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    slow = ("import time, builder.build as b; real = b.load_site\n"
            "def load_site(*a, **k):\n    time.sleep(60)\n    return real(*a, **k)\n"
            "b.load_site = load_site\nfrom builder.cli import run; run()\n")
    build = subprocess.Popen([sys.executable, "-c", slow, "build", str(site), "--no-cache"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lock = site / "._site.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.02)
    assert lock.exists(), build.communicate()
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert lock.exists()  # (what a kill -9 leaves)
    done = subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--no-cache"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (site / "_site/index.html").is_file()
    assert not lock.exists()


def test_sigterm_while_multiprocessing_is_being_imported_still_ends_tidily(monkeypatch, tmp_path):
    """SIGTERM that lands while `multiprocessing` is half imported (a build killed early, by `timeout`):
    the handler asked the half-made module for its children, and an AttributeError traceback came out of
    the import, exit 1, the lock file left behind. It now undoes what it must and ends, 143."""
    import types

    from builder import parallel

    monkeypatch.setitem(sys.modules, "multiprocessing", types.ModuleType("multiprocessing"))  # (no active_children)
    undone, ended = [], []

    def exit_(code):
        ended.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(parallel.os, "_exit", exit_)
    monkeypatch.setattr(parallel, "_ENDING", False)  # (set by the handler: put back after the test)
    with parallel.undone_on_terminate(lambda: undone.append(True)), pytest.raises(SystemExit):
        parallel.on_terminate(signal.SIGTERM)
    assert undone == [True] and ended == [128 + signal.SIGTERM]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_reanchor_write_as_root_keeps_the_annotation_files_owner(tmp_path):
    """`sudo glossator reanchor --write` in a user's site: each file it rewrote became root's (a new file
    renamed over), and the user could no longer save it. Its owner is kept, as its mode is."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, glossator, site_with

    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, CLAIMS_AFTER)
    layer = site / "annotations/story.yaml"
    os.chown(layer, 4321, 4322)
    layer.chmod(0o640)
    done = glossator("reanchor", site, "--write")
    assert done.returncode == 0, done.stderr
    assert "occurrence: 2" in layer.read_text()
    st = layer.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (4321, 4322, 0o640)


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_reanchor_write_stopped_midway_leaves_no_temporary_file_beside_the_annotations(tmp_path, ending):
    """`timeout` (SIGTERM) or Ctrl-C while reanchor --write writes: each file stays whole, but the one being
    written left its temporary file (.story.yaml.1a2b3c4d.glossator-tmp) in annotations/, for `git add -A` to
    commit; it went only with a later --write, a minute on. It is removed as the process ends."""
    from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, ENV, SHIFT_LAYER, git

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    for i in range(300):
        (site / f"content/s{i}.txt").write_text(CLAIMS)
        (site / f"annotations/s{i}.yaml").write_text(SHIFT_LAYER)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Annotated")
    for i in range(300):
        (site / f"content/s{i}.txt").write_text(CLAIMS_AFTER)
    git(site, "commit", "-qam", "Updated", author="Desk")
    first = site / "annotations/s0.yaml"
    for attempt in range(5):
        for i in range(300):
            (site / f"annotations/s{i}.yaml").write_text(SHIFT_LAYER)
        run = subprocess.Popen([sys.executable, "-m", "builder", "reanchor", str(site), "--write"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env={**ENV, "PYTHONPATH": str(ROOT)},
                               start_new_session=True, preexec_fn=as_in_a_terminal)
        while run.poll() is None and first.read_text() == SHIFT_LAYER:
            pass
        time.sleep(0.002 * attempt)
        if run.poll() is not None:
            continue
        os.killpg(run.pid, ending)
        err = run.communicate(timeout=60)[1]
        assert "Traceback" not in err, err
        assert all((site / f"annotations/s{i}.yaml").read_text() in (SHIFT_LAYER, first.read_text()) for i in range(300))
        assert [p.name for p in (site / "annotations").iterdir() if p.name.startswith(".")] == []


def as_in_a_terminal() -> None:
    for ending in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(ending, signal.SIG_DFL)


@pytest.mark.parametrize("value, expected", [("100000", 64), ("0", 1), ("٣", None), ("x", None)])
def test_a_number_of_workers_beyond_reason_is_capped(monkeypatch, value, expected):
    """GLOSSATOR_JOBS=100000 asked the pool for 100,000 forked workers (a build that forks until the system
    refuses); an Arabic-Indic digit passed isdigit. Past 64 it is 64; what is no ASCII number is not used."""
    from builder import parallel

    monkeypatch.setenv("GLOSSATOR_JOBS", value)
    assert parallel.workers() == (expected if expected is not None else max(1, min(os.cpu_count() or 1, 8)))
