"""A fresh round of hostile setups (git oddities, locales, permissions, look-alike names, CI): each
as a user meets it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.test_hostile_setup import ARTICLE, LAYER, git_env, located, no_program_runs

LFS_POINTER = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")


@pytest.fixture
def site(tmp_path, make_site):
    return make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})


def test_a_git_lfs_pointer_is_said_as_one(site, run_cli):
    """A clone made without git-lfs has pointers where the articles should be: one error per file that
    says so and how to fetch them, not "quote not found" for every annotation."""
    (site / "content" / "a.txt").write_text(LFS_POINTER)
    (site / "content" / "b.txt").write_text(ARTICLE)
    (site / "annotations" / "b.yaml").write_text(LFS_POINTER)
    for args in (("check", site), ("build", site)):
        code, out, err = run_cli(*args)
        assert code == 1
        located(err, "content/a.txt:1:1", "Git LFS pointer")
        located(err, "annotations/b.yaml:1:1", "git lfs pull")
        assert "quote not found" not in err
    assert not (site / "_site").exists()


def test_an_output_encoding_short_of_unicode_never_ends_in_a_traceback(site):
    """A Windows console's code page or an old locale (here latin-1): JSON comes with JSON's own escapes
    (valid, and the same data once read), text with `\\u2014` escapes; exit 1 for the problem, as ever."""
    (site / "annotations" / "a.yaml").write_text('annotations:\n  - quote: "the three gangs — “allies”"\n    note: Which?\n')
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    for fmt in ("json", "github", "text"):
        done = subprocess.run([sys.executable, "-m", "builder", "check", site, "--format", fmt], capture_output=True, env=env)
        assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode("latin-1")
        if fmt == "json":
            [problem] = [p for p in json.loads(done.stdout) if p["severity"] == "error"]
            assert '"the three gangs — “allies”"' in problem["message"]
        else:
            assert b"the three gangs \\u2014 \\u201callies\\u201d" in done.stdout + done.stderr


def test_static_files_that_differ_only_in_case_are_said(site, run_cli):
    """Built on macOS or Windows, `static/Feed.xml` replaces the feed and `logo.PNG` one of the logos,
    without a word; said wherever the build runs."""
    for rel in ("static/Feed.xml", "static/logo.PNG", "static/logo.png", "static/Articles/a/Index.html", "static/ok.txt"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x\n")
    code, out, err = run_cli("build", site)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "differs only in case" in line]
    assert [line.split(": warning:")[0] for line in warned] == [
        "static/Articles/a/Index.html:1:1", "static/Feed.xml:1:1", "static/logo.png:1:1"], err
    assert "the page Glossator makes at feed.xml" in warned[1] and "static/logo.PNG" in warned[2]


class _Ran:
    """What a forged cache entry would run when unpickled: it touches a file."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("secret", [b"", b"\x00" * 5])
def test_a_damaged_cache_secret_never_lets_a_downloaded_cache_be_unpickled(site, tmp_path, secret):
    """The secret that signs cache entries, cut short (a first run killed, or a full disk, between creating
    the file and writing it): with an empty key anyone can sign, and a site downloaded with a
    `.glossator-cache/` of its own ran its code on `check`. A secret of the wrong length is replaced."""
    import hashlib
    import hmac
    import pickle

    home = tmp_path / "xdg"
    (home / "glossator").mkdir(parents=True)
    (home / "glossator" / "secret").write_bytes(secret)
    ran = tmp_path / "RAN"
    payload = pickle.dumps(("any key", _Ran(str(ran))))
    (site / ".glossator-cache" / "articles").mkdir(parents=True)
    (site / ".glossator-cache" / "articles" / "a.pickle").write_bytes(hmac.new(secret, payload, hashlib.sha256).digest() + payload)
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    for args in (("check", site), ("build", site)):
        done = subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    assert not ran.exists(), "a forged cache entry was unpickled"
    assert len((home / "glossator" / "secret").read_bytes()) == 32


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_a_sites_worktree_git_config_never_runs_a_program(site, run_cli, tmp_path):
    """As with .git/config, so with .git/config.worktree (read when extensions.worktreeConfig is on):
    its filters are programs that `git diff` would run over the working files; none runs."""
    env = git_env()
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"], ["config", "extensions.worktreeConfig", "true"],
                 ["config", "core.repositoryformatversion", "1"]):
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, env=env)
    ran = tmp_path / "ran"
    (site / ".git" / "config.worktree").write_text(
        f'[filter "evil"]\n\tclean = "touch {ran}-clean; cat"\n\tprocess = "touch {ran}-process"\n'
        f'[core]\n\tfsmonitor = "touch {ran}-fsmonitor; false"\n')
    no_program_runs(site, run_cli, tmp_path)


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_a_repository_git_refuses_to_read_is_said(site, run_cli, tmp_path):
    """A checkout that belongs to another user (a container's mounted volume, a CI job's): git refuses
    it for safety, and drift went unchecked and the notes lost their authors without a word. Now a
    warning says so, with the command that trusts it; nothing bypasses git's refusal."""
    env = git_env()
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, env=env)
    if os.geteuid() != 0:
        pytest.skip("giving the checkout to another user needs root")
    for path in [site, *site.rglob("*")]:
        os.lchown(path, 4321, 4321)
    for args in (("check", site), ("build", site, "--out", tmp_path / "out"), ("reanchor", site)):
        done = subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                              env={**env, "HOME": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        assert ": warning: git refuses to read this repository" in done.stderr, done.stderr
        assert f"safe.directory {site}" in done.stderr


def test_no_home_and_a_user_the_system_does_not_know(site, run_cli, monkeypatch, tmp_path):
    """A container run with a random uid and no HOME (OpenShift does so): Python cannot find a home for
    the cache's secret. The build runs without the cache, as with a home it cannot write."""
    from pathlib import Path

    def nowhere(cls=None):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(nowhere))
    for args in (("check", site), ("build", site, "--out", tmp_path / "out")):
        code, out, err = run_cli(*args)
        assert code == 0, err
    assert (tmp_path / "out" / "articles" / "a" / "index.html").is_file()


@pytest.mark.parametrize("xdg", [".cache", "./.cache"])
def test_a_relative_xdg_cache_home_never_takes_the_secret_from_the_site(site, tmp_path, xdg):
    """XDG_CACHE_HOME=.cache (a CI file's shorthand) made the secret that signs cache entries a file of
    the current folder: run in a downloaded site that brings `.cache/glossator/secret` and a cache
    signed with it, `build` unpickled the site's own code. XDG's rule: a relative path is ignored."""
    import hashlib
    import hmac
    import pickle

    secret = b"k" * 32
    (site / ".cache" / "glossator").mkdir(parents=True)
    (site / ".cache" / "glossator" / "secret").write_bytes(secret)
    ran = tmp_path / "RAN"
    payload = pickle.dumps(("any key", _Ran(str(ran))))
    (site / ".glossator-cache" / "articles").mkdir(parents=True)
    (site / ".glossator-cache" / "articles" / "a.pickle").write_bytes(hmac.new(secret, payload, hashlib.sha256).digest() + payload)
    env = {**os.environ, "XDG_CACHE_HOME": xdg, "HOME": str(tmp_path / "home")}
    for command in ("check", "build"):
        done = subprocess.run([sys.executable, "-m", "builder", command], capture_output=True, text=True, env=env, cwd=site)
        assert done.returncode == 0, done.stderr
    assert not ran.exists(), "a cache entry the site signed itself was unpickled"
    assert len((tmp_path / "home" / ".cache" / "glossator" / "secret").read_bytes()) == 32


def test_static_files_whose_names_differ_only_in_how_an_accent_is_encoded_are_said(site, run_cli):
    """`café.css` written as one character and as "e" and an accent (as a Mac writes names) are two files on
    Linux but one name on macOS: copied there, one replaces the other without a word."""
    for name in ("caf\u00e9.css", "cafe\u0301.css", "Cafe\u0301.js", "caf\u00e9.js"):
        (site / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "static" / name).write_text("x\n")
    code, out, err = run_cli("build", site)
    assert code == 0, err
    warned = sorted(line for line in err.splitlines() if "static/" in line and ": warning:" in line)
    assert len(warned) == 2, err
    css = next(line for line in warned if ".css" in line)
    assert "accented letters are encoded" in css and "macOS" in css, css
    js = next(line for line in warned if ".js" in line)
    assert "only in case" in js, js
