"""`glossator init DIR`: a new site that checks clean and builds at once, showing every feature."""
from __future__ import annotations

import json

import pytest
import yaml

from builder.read.load import load_site

SLUG = "harbour-ferry-contract"


def test_writes_a_site_that_checks_and_builds(tmp_path, run_cli):
    site = tmp_path / "new-site"
    code, out, err = run_cli("init", site)
    assert code == 0, err
    for rel in ("site.toml", f"content/{SLUG}.txt", f"annotations/{SLUG}.yaml", "schema/annotations.schema.json", ".gitignore"):
        assert (site / rel).is_file(), rel
        assert f"wrote {rel}" in out
    assert "glossator serve" in out

    code, out, err = run_cli("check", site)
    assert code == 0 and "error" not in err.replace("0 error", ""), err
    model, problems = load_site(site)
    assert problems.errors == []
    assert [a.slug for a in model.articles] == [SLUG]

    code, out, err = run_cli("build", site)
    assert code == 0, err
    page = (site / "_site" / "articles" / SLUG / "index.html").read_text("utf-8")
    assert "Harbour council approves ferry contract" in page
    assert "Sign up for our morning newsletter" not in page  # outside the body bounds
    assert "Rebutted by" in page and "Rebuts" in page
    assert (site / "_site" / "flags" / "sponsored" / "index.html").is_file()
    assert (site / "_site" / "tags" / "harbour-council" / "index.html").is_file()


def test_the_annotation_file_shows_each_feature_with_comments(tmp_path, run_cli):
    site = tmp_path / "s"
    assert run_cli("init", site)[0] == 0
    text = (site / "annotations" / f"{SLUG}.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/annotations.schema.json\n")
    assert text.count("\n#") + text.count("  # ") >= 10  # explained as it goes
    data = yaml.safe_load(text)
    assert set(data["article"]) >= {"title", "author", "publication", "published", "url", "summary", "body"}
    annotations = data["annotations"]
    fields = {key for ann in annotations for key in ann}
    assert fields >= {"id", "quote", "flags", "note", "by", "date", "tags", "sources", "prefix", "occurrence", "rebuts", "see"}
    assert any(isinstance(s, dict) and {"url", "title"} <= set(s) for ann in annotations for s in ann.get("sources", []))
    flags = {f for ann in annotations for f in ann.get("flags", [])}
    assert "anonymous-source" in flags and "sponsored" in flags
    assert "[flags.sponsored]" in (site / "site.toml").read_text("utf-8")
    # the file matches the schema editors are pointed at
    import jsonschema

    schema = json.loads((site / "schema" / "annotations.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    # both repeats of "the timetable" are anchored, each to its own place
    model, _ = load_site(site)
    spans = {a.id: (a.start, a.end) for a in model.article(SLUG).annotations}
    assert spans["timetable-cut"] != spans["timetable-review"]


def test_an_existing_empty_folder_is_fine(tmp_path, run_cli):
    site = tmp_path / "empty"
    site.mkdir()
    assert run_cli("init", site)[0] == 0
    assert (site / "site.toml").is_file()


def test_refuses_a_folder_that_is_not_empty(tmp_path, run_cli):
    site = tmp_path / "busy"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    code, out, err = run_cli("init", site)
    assert code == 2  # DIR is the mistake: wrong usage
    assert "not empty" in err and "Traceback" not in err
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / ".git").mkdir()
    assert run_cli("init", hidden)[0] == 2


def test_refuses_a_file_as_wrong_usage(tmp_path, run_cli):
    target = tmp_path / "file"
    target.write_text("x")
    code, out, err = run_cli("init", target)
    assert code == 2 and f"{target}:1:1: error: is a file, not a folder" in err
    assert target.read_text() == "x"


@pytest.mark.parametrize("points_to, why", [("loop-b", "loops back on itself"), ("gone/site", "is not there")])
def test_a_link_that_leads_to_no_folder_is_said_as_one(tmp_path, run_cli, points_to, why):
    """DIR (or a folder above it) a link that loops, or to a folder not there: init said "cannot write: File
    exists", naming a file that is not there."""
    (tmp_path / "loop-a").symlink_to(points_to)
    (tmp_path / "loop-b").symlink_to("loop-a")
    for target in (tmp_path / "loop-a", tmp_path / "loop-a/sub"):
        code, out, err = run_cli("init", target)
        assert code == 2 and err.startswith(f"{tmp_path / 'loop-a'}:1:1: error: is a link to {points_to}, which {why}"), err
    assert not (tmp_path / "gone").exists()


def test_a_folder_above_that_this_user_may_not_look_in_is_said_without_a_traceback(tmp_path):
    """`glossator init locked/inner/site`, `locked` not searchable for the user: a PermissionError's traceback."""
    from tests.test_hostile_setup import run_without_privilege

    (tmp_path / "locked/inner").mkdir(parents=True)
    (tmp_path / "locked").chmod(0)
    try:
        done = run_without_privilege("init", tmp_path / "locked/inner/site")
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"{tmp_path / 'locked/inner/site'}:1:1: error: cannot be reached: Permission denied")
    assert not (tmp_path / "locked/inner/site").exists()


def test_usage_without_dir_is_exit_2(run_cli):
    assert run_cli("init")[0] == 2


def test_the_new_site_is_ready_for_git(tmp_path, run_cli):
    """.gitignore keeps the output and cache out; .gitattributes keeps articles byte for byte; once
    committed, notes say who wrote them."""
    import os
    import subprocess

    site = tmp_path / "s"
    code, out, _ = run_cli("init", site)
    assert code == 0 and "wrote .gitattributes" in out and "keep it in git" in out
    assert "content/** -text" in (site / ".gitattributes").read_text()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "a@e.org",
           "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "a@e.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "A new site"]):
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, env=env)
    assert run_cli("build", site)[0] == 0
    status = subprocess.run(["git", "status", "--porcelain"], cwd=site, capture_output=True, text=True, env=env).stdout
    assert status == "", "the build and its cache stay out of git"
    page = (site / "_site" / "articles" / SLUG / "index.html").read_text("utf-8")
    assert "Written by Ann on" in page and "A new site" in page
    # a build killed outright (SIGKILL, a power cut) leaves its folders beside _site until the next build tidies
    # them: a `git add -A` in between committed a whole copy of the site (judge60)
    from builder.output import _beside

    for kind in ("new", "old"):
        (_beside(site / "_site", kind) / "index.html").write_text("<!doctype html>")
    status = subprocess.run(["git", "status", "--porcelain"], cwd=site, capture_output=True, text=True, env=env).stdout
    assert status == "", "what a killed build left stays out of git"


# Runs `glossator init DIR` and SIGKILLs it halfway through its K-th file write: a real kill (no
# cleanup runs), at a point the test chooses rather than one a timer happens to hit.
KILLED_INIT = """
import os, pathlib, signal, sys
k, calls, real_open = int(sys.argv[1]), [0], pathlib.Path.open

def killing_open(self, mode="r", *args, **kwargs):
    f = real_open(self, mode, *args, **kwargs)
    if "x" in mode or "w" in mode:
        calls[0] += 1
        if calls[0] == k:
            class HalfThenKilled:
                def __enter__(self):
                    return self
                def __exit__(self, *exc):
                    return False
                def write(self, text):
                    f.write(text[: len(text) // 2])
                    f.flush()
                    os.kill(os.getpid(), signal.SIGKILL)
            return HalfThenKilled()
    return f

pathlib.Path.open = killing_open
from builder.cli import main
main(["init", sys.argv[2]], prog_name="glossator")
"""


def _killed_init(site, k: int) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = str(__import__("pathlib").Path(__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", KILLED_INIT, str(k), str(site)], capture_output=True,
                          env={**os.environ, "PYTHONPATH": root})
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_init_again_after_a_killed_init_writes_the_whole_site(tmp_path, run_cli):
    """A SIGKILL anywhere in init (no cleanup can run) left a partial folder, which the next init refused
    as "not empty": it now finishes the job, and the site checks clean."""
    from builder.scaffold import init_files

    for k in range(1, len(init_files()) + 2):  # the marker, then each file, cut halfway
        site = tmp_path / f"killed-{k}"
        _killed_init(site, k)
        assert any(site.iterdir())
        code, out, err = run_cli("init", site)
        assert code == 0, (k, err)
        assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(init_files())
        assert all((site / rel).read_text("utf-8") == text for rel, text in init_files().items())
        code, out, err = run_cli("check", site)
        assert code == 0, (k, err)


def test_init_after_a_killed_init_never_removes_a_users_file(tmp_path, run_cli):
    site = tmp_path / "killed"
    _killed_init(site, 3)
    (site / "notes.txt").write_text("mine")
    (site / "site.toml").write_text("title = 'edited since'\n")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    code, out, err = run_cli("init", site)
    assert code == 1 and "Traceback" not in err
    assert "did not finish" in err and "run glossator init again" in err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_init_never_clears_the_folder_of_an_init_still_running(tmp_path, run_cli):
    """The marker names the process writing: one still running (two inits at once) is let be."""
    import os
    import socket

    from builder.scaffold import UNFINISHED, UNFINISHED_TEXT

    site = tmp_path / "busy"
    site.mkdir()
    (site / UNFINISHED).write_text(f"{UNFINISHED_TEXT}pid {os.getpid()} on {socket.gethostname()}\n")
    (site / "site.toml").write_text("# site.toml")
    code, out, err = run_cli("init", site)
    assert code == 1 and f"another glossator init (process {os.getpid()}) is writing a site here" in err
    assert sorted(p.name for p in site.iterdir()) == sorted([UNFINISHED, "site.toml"])


def test_the_commands_it_proposes_can_be_pasted_into_a_shell(tmp_path, run_cli, monkeypatch):
    """Audit valid4: `glossator init "mon site é"` said "try `glossator serve mon site é`", three arguments for
    serve once pasted; and check on a folder with no site proposed `glossator init` with the name as bare.
    The folder is now quoted as a shell reads it."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("init", "mon site é")
    assert code == 0
    assert "try `glossator serve 'mon site é'`" in out, out
    (tmp_path / "empty room").mkdir()
    code, _, err = run_cli("check", "empty room")
    assert code == 1
    assert "(make one with: glossator init 'empty room')" in err, err
    code, out, _ = run_cli("init", "plain")
    assert "try `glossator serve plain`" in out, out
