"""`glossator check`: exit codes, output formats, the repository's own site."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

GOOD = {
    "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n\n[flags.sponsored]\nlabel = "Sponsored"\n',
    "content/a.txt": "Officials say the gangs are allies.\n",
    "content/b.md": "---\ntitle: B\n---\nThe *gangs* are rivals.\n",
    "annotations/a.yaml": (
        "article:\n  flags: [sponsored]\nannotations:\n"
        "  - id: allies\n    quote: the gangs are allies\n    flags: [anonymous-source]\n"
    ),
    "annotations/b.yml": "annotations:\n  - quote: gangs are rivals\n    rebuts: a#allies\n",
}
BAD = {**GOOD, "annotations/a.yaml": (
    "annotations:\n  - quote: not there\n    flags: [anonymous-source]\n"
    "  - id: allies\n    quote: the gangs are allies\n    flags: [anonymous-source]\n"
)}


def test_clean_site_exits_0(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, GOOD))
    assert code == 0
    assert out == ""
    assert "check: ok: 2 articles, 2 annotations" in err
    assert "error" not in err


def test_clean_site_json_is_an_empty_array(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, GOOD), "--format", "json")
    assert code == 0
    assert json.loads(out) == []
    assert out.strip() == "[]"


def test_clean_site_github_prints_nothing(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, GOOD), "--format", "github")
    assert (code, out) == (0, "")


def test_problems_exit_1_text_on_stderr(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, BAD))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("annotations/a.yaml:2:12: error: quote not found in content/a.txt")
    assert lines[-1].startswith("check: 1 error(s)")


def test_problems_json_on_stdout(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, BAD), "--format", "json")
    assert code == 1
    (problem,) = json.loads(out)
    assert {k: problem[k] for k in ("file", "line", "col", "severity")} == {
        "file": "annotations/a.yaml", "line": 2, "col": 12, "severity": "error"}
    assert problem["message"].startswith("quote not found")
    assert "error:" not in err


def test_problems_github_annotations(tmp_path, make_site, run_cli):
    code, out, err = run_cli("check", make_site(tmp_path, BAD), "--format", "github")
    assert code == 1
    assert out.startswith("::error file=annotations/a.yaml,line=2,col=12::quote not found")


def test_github_annotations_of_a_site_in_a_sub_folder_name_the_file_from_the_checkout(tmp_path, make_site, run_cli,
                                                                                     monkeypatch):
    # A repository with its site in site/, checked in CI from the checkout's root: GitHub places an annotation
    # on the file its path names from there, so `annotations/a.yaml` alone would land on no file of the PR.
    site = make_site(tmp_path / "repo" / "site", BAD)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path / "repo")
    code, out, err = run_cli("check", "site", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=site/annotations/a.yaml,line=2,col=12::quote not found")
    monkeypatch.chdir(site / "annotations")  # run from inside the site: its paths are the site's own
    assert run_cli("check", "..", "--format", "github")[1].startswith("::error file=annotations/a.yaml,")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))  # a step's working-directory: the checkout still rules
    monkeypatch.chdir(site)
    assert run_cli("check", ".", "--format", "github")[1].startswith("::error file=repo/site/annotations/a.yaml,")


def test_github_messages_escape_newlines_and_percent():
    from builder.errors import Problem

    problem = Problem("a.yaml", 1, 2, "50% done\nnext")
    assert problem.github() == "::error file=a.yaml,line=1,col=2::50%25 done%0Anext"  # one line, as GitHub escapes it
    assert problem.text() == "a.yaml:1:2: error: 50% done\\nnext"  # one line: the newline is shown, not obeyed


def test_site_defaults_to_the_current_folder(tmp_path, make_site, run_cli, monkeypatch):
    monkeypatch.chdir(make_site(tmp_path, BAD))
    code, out, err = run_cli("check")
    assert code == 1 and "annotations/a.yaml:2:12" in err


def test_paths_are_relative_to_the_site_whatever_the_current_folder(tmp_path, make_site, run_cli, monkeypatch):
    site = make_site(tmp_path / "deep" / "site", BAD)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("check", "deep/site")
    assert code == 1 and err.startswith("annotations/a.yaml:2:12:")


def test_a_folder_with_no_site_toml_and_no_content_is_no_site(tmp_path, run_cli):
    """Run in the wrong folder (a home folder, say), a build must not write _site there."""
    code, out, err = run_cli("check", tmp_path, "--format", "json")
    assert code == 1
    assert [(p["file"], p["line"], p["col"], p["severity"]) for p in json.loads(out)] == [("site.toml", 1, 1, "error")]
    assert json.loads(out)[0]["message"].startswith("no site here:")


def test_an_empty_content_folder_is_an_empty_site_with_a_warning(tmp_path, run_cli):
    (tmp_path / "content").mkdir()
    code, out, err = run_cli("check", tmp_path, "--format", "json")
    assert code == 0
    assert [(p["file"], p["severity"]) for p in json.loads(out)] == [(".", "warning"), ("content", "warning")]


@pytest.mark.parametrize("args", [
    ["check", "--format", "xml"],
    ["check", "--colour"],
    ["check", "a", "b"],
    ["chek"],
])
def test_wrong_usage_exits_2(tmp_path, run_cli, args):
    code, out, err = run_cli(*args)
    assert code == 2
    assert "Usage" in err or "Error" in err


@pytest.mark.parametrize("args", [["build"], ["build", ".", "--out"], ["check"], ["init"], ["new", "a", "--site"]])
def test_an_empty_folder_name_is_wrong_usage_not_the_current_folder(tmp_path, run_cli, args, monkeypatch):
    """`--out "$OUT"` with OUT unset read as the current folder: a build into the site itself, or `init ""` making a
    site in whatever folder the shell was in. An empty name is wrong usage, said as such."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*args, "")
    assert code == 2
    assert "it is empty: name a folder" in err and not any(tmp_path.iterdir())


def test_nonexistent_site_exits_2(tmp_path, run_cli):
    code, out, err = run_cli("check", tmp_path / "missing")
    assert code == 2
    assert "missing" in err


@pytest.mark.parametrize("args", [["check", "{f}"], ["build", "{f}"], ["reanchor", "{f}"], ["new", "a", "--site", "{f}"]])
def test_site_that_is_a_file_exits_2(tmp_path, run_cli, args):
    """Said as a missing site is ("SITE: … is not a folder"), not in click's words ("Directory … is a file");
    `new` names its option, --site."""
    (tmp_path / "site.toml").write_text("")
    code, out, err = run_cli(*[a.format(f=tmp_path / "site.toml") for a in args])
    assert code == 2
    named = "'--site'" if args[0] == "new" else "SITE"
    assert f"Invalid value for {named}: {tmp_path / 'site.toml'} is not a folder" in err


def test_check_writes_nothing(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, GOOD)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    run_cli("check", site)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_the_repository_site_checks_clean(run_cli):
    """Clean but for the warning every build of it gives: its base_url has no host yet."""
    code, out, err = run_cli("check", REPO, "--format", "json")
    assert code == 0, out
    assert [(p["file"], p["severity"], p["message"][:21]) for p in json.loads(out)] == [
        ("site.toml", "warning", "base_url has no host:")]


@pytest.mark.parametrize("toml, warned, fix", [
    (None, ".:1:1: warning: base_url has no host", "create site.toml in the site's folder with base_url"),  # never a
    ("", "site.toml:1:1: warning: base_url has no host", 'add base_url = "https://…/" to site.toml'),  # file not there
    ('title = "T"\n\n  base_url = "/reading/"\n', "site.toml:3:3: warning: base_url has no host", 'set base_url = "https'),
    ('base_url = "https://example.org/"\n', None, None),
    ('base_url = "example.org"\n', None, None)])  # an error says what is wrong
def test_check_warns_of_a_base_url_without_a_host_as_build_does(tmp_path, make_site, run_cli, toml, warned, fix):
    """Said where the user sets it, and how: at base_url in site.toml, or to add it there, or to make site.toml."""
    site = make_site(tmp_path / "site", {"content/a.txt": "Text.\n", **({"site.toml": toml} if toml is not None else {})})
    for command in (["check", site], ["build", site, "--out", tmp_path / "out"]):
        code, out, err = run_cli(*command)
        if warned and code == 0:
            assert warned in err and fix in err, err
        else:
            assert "has no host" not in err, err


def test_python_dash_m_builder_in_a_real_process(tmp_path, make_site):
    entry = ["-m", "builder"]
    site = make_site(tmp_path, BAD)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, *entry, "check", str(site)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("annotations/a.yaml:2:12: error: quote not found")
    result = subprocess.run([sys.executable, *entry, "check", str(tmp_path / "nope")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    typed = f"{os.path.basename(sys.executable)} -m builder"  # usage errors name the command as it was typed
    assert f"Usage: {typed} check [OPTIONS] [SITE]" in result.stderr and f"Try '{typed} check --help'" in result.stderr
    result = subprocess.run([sys.executable, *entry, "init", str(tmp_path / "new")], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0 and f"try `{typed} serve " in result.stdout, result.stdout


def test_ctrl_c_exits_130_not_1(tmp_path, run_cli, monkeypatch):
    """1 means problems in the site's files; an interrupted command says 130, as shells expect."""
    from builder.read import load

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(load, "load_site", interrupted)
    (tmp_path / "content").mkdir()
    code, out, err = run_cli("check", tmp_path)
    assert code == 130 and "interrupted" in err and "Traceback" not in err


def test_no_progress_bar_on_a_dumb_terminal(monkeypatch):
    """TERM=dumb cannot redraw a line: the bar's carriage returns and cursor codes would litter the log."""
    from builder.cli import progress_bar

    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "dumb")
    assert progress_bar("rendering", 1000) is None


def test_no_progress_bar_in_ci_even_on_a_terminal(monkeypatch):
    """CircleCI and `docker run -t` give a terminal that is a log: a 2,000-article build put 1,070 carriage returns in
    it (an outside audit). CI set: no bar."""
    from builder.cli import progress_bar

    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("CI", "true")
    assert progress_bar("rendering", 1000) is None


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [20, 50, 80])
def test_a_progress_bar_never_wraps_in_a_narrow_terminal(columns):
    """A bar is redrawn with a carriage return, which goes back to the start of the last row only: in a terminal
    of 20 columns its 58-character line wrapped, and each step left a broken bar on a new row (an outside audit).
    The line is kept short of the terminal's width, and left out where a bar would not fit."""
    import fcntl
    import struct
    import termios

    root = Path(__file__).resolve().parent.parent
    terminal, stderr = os.openpty()
    fcntl.ioctl(stderr, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS")} | {"TERM": "xterm", "PYTHONPATH": str(root)}
    steps = "from builder.cli import progress_bar\ntick = progress_bar('writing', 1213)\nfor _ in range(1213 if tick else 0):\n    tick(1)\n"
    run = subprocess.Popen([sys.executable, "-c", steps], stderr=stderr, env=env)
    os.close(stderr)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # (the other end closed)
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert run.wait(60) == 0
    lines = re.sub(r"\x1b\[\?25[lh]", "", shown.decode()).replace("\n", "\r").split("\r")
    assert max(map(len, lines)) < columns, lines[-3:]
    assert ("100%" in shown.decode()) == (columns > 20)


@pytest.mark.parametrize("name, says", [
    ("content/report.yaml", 'not read: the files of content/ end in .md or .txt (an annotation file goes in annotations/: '
                            'move it to annotations/report.yaml)'),
    ("annotations/other.txt", 'not read: the files of annotations/ end in .yaml or .yml (an article goes in content/: '
                              'move it to content/other.txt)'),
    ("annotations/report.yaml.txt", 'not read: the files of annotations/ end in .yaml or .yml (rename it "report.yaml")'),
    ("content/other.md.bak", "not read: the files of content/ end in .md or .txt"),
    ("content/explainer.markdown", 'not read: the files of content/ end in .md or .txt (rename it "explainer.md")'),
    ("content/memo.text", 'not read: the files of content/ end in .md or .txt (rename it "memo.txt")'),
])
def test_a_file_in_the_wrong_folder_or_with_an_extension_added_says_where_it_goes(tmp_path, make_site, run_cli, name, says):
    """Audit valid4: an annotation file saved into content/, an article into annotations/, or an annotation
    file Notepad saved with ".txt" added, were "not read" and no more: the warning now says what to do. So
    does an article named as other editors name Markdown (`.markdown`) or text (`.text`)."""
    body = "annotations:\n  - quote: Officials say\n    note: x\n" if ".yaml" in name else "Hello.\n"
    site = make_site(tmp_path / "s", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
                                      "content/report.txt": "Officials say the gangs are allies.\n", name: body})
    code, _, err = run_cli("check", site)
    assert code == 0, err
    assert f"{name}:1:1: warning: {says}\n" in err, err


@pytest.mark.parametrize("folder", ["templates_old", "content.bak", "static-2024"])
def test_a_copy_of_a_folder_kept_aside_is_not_taken_for_a_misspelling(tmp_path, make_site, run_cli, folder):
    """A folder named almost as templates/ or annotations/ is an error when the one meant is missing (its
    files are never read), but a copy kept aside on purpose, its name the folder's with a suffix, is not one."""
    site = make_site(tmp_path / "s", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
                                      "content/a.txt": "Officials say.\n", f"{folder}/x.html": "x\n"})
    code, _, err = run_cli("check", site)
    assert code == 0 and folder not in err, err


def test_a_folder_that_is_the_one_read_under_another_case_is_not_warned(tmp_path, make_site, run_cli):
    """On a file system that ignores case (macOS, Windows) Content/ is content/ and is read: it is not a
    misnamed folder. (Here the same folder under both names, through a link.)"""
    site = make_site(tmp_path / "s", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
                                      "content/a.txt": "Officials say.\n"})
    (site / "Content").symlink_to(site / "content")
    code, _, err = run_cli("check", site)
    assert code == 0 and "Content" not in err, err


def test_a_github_file_name_cut_for_length_never_splits_an_escape():
    """A file name over 300 characters is cut with a note of how much is left out: cut after it is escaped, the cut
    could fall inside "%0A" (a newline), leaving "%0" or "%" that GitHub's runner reads as something else."""
    from builder.errors import Problem

    for pad in range(250, 262):
        file = Problem("x" * pad + "\n" * 40 + ".yaml", 1, 1, "m").github().split(",line=")[0].removeprefix("::error file=")
        assert "%" not in file.replace("%0A", "").replace("%25", ""), (pad, file)
