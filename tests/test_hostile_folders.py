"""Hostile folders met by an outside audit (session 33): links, odd entries and output folders, each a
located `path:line:col: error:`, never a traceback nor a file read or written where it must not be."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = "Officials say the two gangs are now allies.\n"
LAYER = 'annotations:\n  - quote: "the two gangs"\n    note: Which gangs?\n'


@pytest.fixture
def site(tmp_path, make_site):
    return make_site(tmp_path / "site", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
                                         "content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})


def test_check_says_what_build_says_of_an_output_folder_that_cannot_be_written_beside(site):
    """site.toml's `output` in a folder read-only for the user: check said ok, and build then failed (having read
    and rendered everything) with "Permission denied". Both say it, in the same words, and build writes nothing."""
    from tests.test_hostile_setup import located, run_without_privilege

    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\noutput = "pub/www"\n')
    (site / "pub").mkdir(mode=0o555)
    try:
        for command in ("check", "build"):
            done = run_without_privilege(command, site)
            assert done.returncode == 1 and done.stderr.count("error:") == 1, (command, done.stderr)
            located(done.stderr, "pub/www:1:1", "pub is read-only for this user")
    finally:
        (site / "pub").chmod(0o755)
    assert list((site / "pub").iterdir()) == []
    assert run_without_privilege("build", site).returncode == 0


def test_check_of_a_site_that_is_read_only_whole_warns_and_passes(site):
    """Judge63: a site folder read-only as a whole (a checkout mounted read-only into a CI container, `docker run
    -v "$PWD":/site:ro`): `check` failed, exit 1, "the site's folder is on a read-only file system", though no file
    of the site was wrong and check writes nothing. It warns, exit 0; build, which must write there, still refuses."""
    from tests.test_hostile_setup import run_without_privilege

    site.chmod(0o555)
    try:
        done = run_without_privilege("check", site)
        assert done.returncode == 0, done.stderr
        assert "_site:1:1: warning: the site's folder is read-only for this user" in done.stderr, done.stderr
        done = run_without_privilege("build", site)
        assert done.returncode == 1 and "_site:1:1: error: the site's folder is read-only" in done.stderr
    finally:
        site.chmod(0o755)
    assert not (site / "_site").exists()


def test_a_link_in_templates_to_the_site_itself_is_one_error_at_the_link(site, run_cli):
    """`templates/up -> ..` was walked as templates: the whole site read again under templates/up/ (every
    problem of content/ said twice, the built pages loaded as templates), and the loop caught only one
    level down, at templates/up/templates, "a link to ?" (which is no link)."""
    assert run_cli("build", site)[0] == 0  # (built pages, to be read through the link)
    (site / "templates").mkdir()
    (site / "templates/up").symlink_to("..")
    code, _, err = run_cli("check", site)
    assert code == 1
    assert [line for line in err.splitlines() if "templates/" in line] == [
        'templates/up:1:1: error: is a link to "..", a folder that holds it: it would nest itself for ever (remove the link)']



def test_a_cache_folder_that_cannot_be_looked_into_costs_only_time(site):
    """`chmod 000 .glossator-cache` (or a cache left by another user): the build ended in a PermissionError
    traceback from the cache's look at its own folder, and serve said "cannot serve on 127.0.0.1:8000:
    Permission denied (choose a --host of this machine)". The cache is not used; the site is built, and served."""
    from tests.test_hostile_setup import run_without_privilege

    assert run_without_privilege("build", site).returncode == 0  # (the cache made)
    (site / "content/a.txt").write_text(ARTICLE + "\nA second paragraph.\n")
    (site / ".glossator-cache").chmod(0)
    try:
        done = run_without_privilege("build", site)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "A second paragraph." in (site / "_site/articles/a/index.html").read_text()
        served = subprocess.run(["timeout", "-s", "INT", "8", *without_privilege("serve", site, "--port", "0")],
                                capture_output=True, text=True, timeout=60)
        assert "serving " in served.stderr + served.stdout and "cannot serve" not in served.stderr, served.stderr
    finally:
        (site / ".glossator-cache").chmod(0o755)


def without_privilege(*args) -> list[str]:
    """The command line of `glossator ARGS` as a user whom file permissions bind (see run_without_privilege)."""
    cmd = [sys.executable, "-m", "builder", *map(str, args)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a folder unreadable")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    return cmd


def test_a_folder_of_the_output_that_cannot_be_looked_into_is_refused_not_left_beside_it(site):
    """`chmod 000 _site/articles`: the build swapped its new site in, then could not remove the old one, and
    left `._site.new-xxxxxxxx` beside the output for good (unmarked: no later build tidied it), holding
    whatever was in the folder it could not look into. It now refuses, at the output folder, changing nothing."""
    from tests.test_hostile_setup import located, run_without_privilege

    assert run_without_privilege("build", site).returncode == 0
    (site / "content/a.txt").write_text(ARTICLE + "\nA second paragraph.\n")
    (site / "_site/articles").chmod(0)
    try:
        for command in ("check", "build"):
            done = run_without_privilege(command, site)
            assert done.returncode == 1
            located(done.stderr, "_site:1:1", "articles, which cannot be looked into")
    finally:
        (site / "_site/articles").chmod(0o755)
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("._site")) == []
    assert run_without_privilege("build", site).returncode == 0
    assert "A second paragraph." in (site / "_site/articles/a/index.html").read_text()


def test_an_old_site_that_will_not_all_go_stays_marked_for_the_next_build_to_tidy(site, run_cli, monkeypatch):
    """What `discard` cannot remove (a folder made read-only meanwhile, a file the system holds) was left
    unmarked, so no build ever removed it; it stays marked as ours, and the next build removes it."""
    from builder import output

    assert run_cli("build", site)[0] == 0
    (site / "content/a.txt").write_text(ARTICLE + "\nA second paragraph.\n")
    with monkeypatch.context() as patched:
        patched.setattr(output.shutil, "rmtree", lambda *a, **k: None)  # every folder stays
        assert run_cli("build", site)[0] == 0
    left = [p for p in site.iterdir() if p.name.startswith("._site.")]
    assert len(left) == 1 and (left[0] / ".glossator-output").is_file()
    (site / "content/a.txt").write_text(ARTICLE)
    assert run_cli("build", site)[0] == 0
    assert [p for p in site.iterdir() if p.name.startswith("._site.")] == []


LONG = "x" * 300  # a name longer than any system takes (255 bytes)


def test_an_output_name_too_long_in_site_toml_is_said_at_its_line(site, run_cli):
    """A traceback (OSError: File name too long) from the look at the output folder, by check and build."""
    (site / "site.toml").write_text(f'title = "T"\nbase_url = "https://example.org/"\noutput = "{LONG}"\n')
    for command in ("check", "build"):
        code, _, err = run_cli(command, site)
        assert code == 1 and "Traceback" not in err
        assert err.startswith('site.toml:3:1: error: output "xxx') and "name too long for a folder" in err, err


def test_an_out_name_too_long_is_a_located_error(site, run_cli, tmp_path):
    code, _, err = run_cli("build", site, "--out", tmp_path / LONG)
    assert code == 1
    assert err.startswith(str(tmp_path)) and "error: cannot write the site here: File name too long; nothing was written" in err
    assert err.splitlines()[-1] == "build failed: 1 error(s); nothing was written"


@pytest.mark.parametrize("out", ["notes.txt/site", "notes.txt/site/deeper"])
def test_an_out_folder_under_a_file_names_the_file(site, run_cli, out):
    """`--out notes.txt/site`, notes.txt a file: "cannot write the site here: File exists" (mkdir's words),
    which named neither the file nor why."""
    (site / "notes.txt").write_text("mine\n")
    code, _, err = run_cli("build", site, "--out", site / out)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [f"{out}:1:1: error: cannot write the site here: notes.txt is a file, not a folder;"
                                " nothing was written", "build failed: 1 error(s); nothing was written"]
    assert (site / "notes.txt").read_text() == "mine\n"


def test_check_says_what_build_says_of_an_output_folder_under_a_file(site, run_cli):
    """site.toml's `output` under a file: check said ok, where build fails (check checks everything a build
    checks); each says it once, in the same words."""
    (site / "notes.txt").write_text("mine\n")
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\noutput = "notes.txt/site"\n')
    said = "notes.txt/site:1:1: error: cannot write the site here: notes.txt is a file, not a folder; nothing was written"
    for command in ("check", "build"):
        code, _, err = run_cli(command, site)
        assert code == 1 and err.splitlines()[0] == said and err.count("error:") == 1, (command, err)
    assert run_cli("check", site, "--format", "json")[1].count('"notes.txt/site"') == 1
    assert (site / "notes.txt").read_text() == "mine\n"


@pytest.mark.parametrize("command", [("check", "SITE"), ("build", "SITE"), ("reanchor", "SITE"),
                                     ("new", "a", "--site", "SITE"), ("init", "SITE")])
def test_a_site_folder_name_too_long_is_wrong_usage(tmp_path, run_cli, command):
    code, _, err = run_cli(*(str(tmp_path / LONG) if arg == "SITE" else arg for arg in command))
    assert code == 2 and "Traceback" not in err
    assert "File name too long" in err, err


def test_a_pipe_in_place_of_the_output_marker_never_hangs_check_or_build(site, run_cli):
    """`mkfifo _site/.glossator-output`: check and build read the marker to learn what the last build wrote,
    and waited for ever on the pipe. A marker that is not a plain file is no marker: the folder is refused."""
    assert run_cli("build", site)[0] == 0
    (site / "_site/.glossator-output").unlink()
    os.mkfifo(site / "_site/.glossator-output")
    for command in ("check", "build"):
        done = subprocess.run([sys.executable, "-m", "builder", command, str(site)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 1, done.stderr
        assert "_site:1:1: error: " in done.stderr and "not made by Glossator" in done.stderr
    assert (site / "_site/index.html").is_file()


def test_the_summary_line_is_one_line_whatever_the_out_folder_is_named(site, run_cli, tmp_path):
    """`--out $'www\\n\\x1b[2J'`: the summary printed the name as it is, a line break (two lines for a log's
    parser) and a terminal's escape obeyed; it is shown escaped, as problems are."""
    for said in ("built", "unchanged"):
        code, out, _ = run_cli("build", site, "--out", tmp_path / "www\n\x1b[2J")
        assert code == 0 and out.startswith(said)
        assert out.count("\n") == 1 and "\x1b" not in out and out.rstrip().endswith("www\\n\\x1b[2J" + (" is up to date" if said == "unchanged" else "")), out


@pytest.mark.parametrize("mode, rel", [(0o000, "content"), (0o600, "content/a.txt")], ids=["000", "600"])
def test_an_article_that_cannot_be_read_is_not_also_said_missing(site, rel, mode):
    """`chmod 000 content`: besides "cannot list this folder", every annotation file was said to have "no
    article in content/" (a second, wrong error per article, as if the user had deleted them)."""
    from tests.test_hostile_setup import run_without_privilege

    (site / "content").chmod(mode)  # (600: listed, but no file in it reached)
    try:
        done = run_without_privilege("check", site)
    finally:
        (site / "content").chmod(0o755)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{rel}:1:1: error: "), done.stderr


def test_new_for_an_article_that_is_a_pipe_says_so_once(site, run_cli):
    """`glossator new b` where content/b.txt is a pipe: it said so, and also that there is "no article b"."""
    os.mkfifo(site / "content/b.txt")
    code, _, err = run_cli("new", "b", "--site", site)
    assert code == 1
    assert err.splitlines() == ["content/b.txt:1:1: error: is not a plain file or folder (a pipe, socket or device?): remove it"]
    assert not (site / "annotations/b.yaml").exists()


def test_init_says_where_the_new_site_is_in_one_line_whatever_its_name(tmp_path, run_cli):
    code, out, _ = run_cli("init", tmp_path / "new\n\x1b[2Jsite")
    assert code == 0
    said = [line for line in out.splitlines() if line.startswith("a new site is in")]
    assert len(said) == 1 and "\x1b" not in out and "new\\n\\x1b[2Jsite: try `glossator serve " in said[0], out


def test_a_folder_named_like_an_option_is_suggested_as_a_path_that_works(tmp_path, run_cli, monkeypatch):
    """`glossator init -- -mysite` said "try `glossator serve -mysite`", which click reads as options
    ("No such option '-m'"); so did the "make one with: glossator init …" of a folder that is no site."""
    import shlex

    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("init", "--", "-mysite")
    said = next(line for line in out.splitlines() if line.startswith("a new site is in"))
    suggested = shlex.split(said.split("`")[1])
    assert suggested[:2] == ["glossator", "serve"], said
    code, _, err = run_cli("check", *suggested[2:])
    assert code == 0, err
    (tmp_path / "-empty").mkdir()
    code, _, err = run_cli("check", "--", "-empty")
    suggested = shlex.split(err.split("make one with: ")[1].split(")")[0])
    assert suggested[:2] == ["glossator", "init"], err
    code, out, err = run_cli(*suggested[1:])
    assert code == 0 and (tmp_path / "-empty" / "site.toml").is_file(), err


def test_an_output_folder_that_is_a_source_folder_behind_a_link_is_refused(site, run_cli):
    """`static -> assets-src` (a link inside the site, allowed) and `output = "assets-src"`: check said ok, and
    the first build replaced the empty static folder by the built site, which every later build then
    published inside itself. The folder a source link leads to is the site's own, as the link is."""
    (site / "assets-src").mkdir()
    (site / "static").symlink_to("assets-src")
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\noutput = "assets-src"\n')
    for command in ("check", "build"):
        code, _, err = run_cli(command, site)
        assert code == 1
        assert "assets-src:1:1: error: " in err and "is inside the site's static" in err, err
    assert list((site / "assets-src").iterdir()) == []


@pytest.mark.parametrize("name", ["99999999999999999999999", "0"])
def test_serve_with_a_cache_folder_named_as_no_process_could_be(site, name):
    """`.glossator-cache/serve/99999999999999999999999` (a cache that came with a downloaded site): serve asked
    the system whether that process runs, and ended in an OverflowError traceback; `0` read as running for ever."""
    from builder import cache

    (site / ".glossator-cache/serve" / name).mkdir(parents=True)
    folder = cache.serve_folder(site)
    assert folder.is_dir() and folder.parent == site / ".glossator-cache/serve"
    assert not (site / ".glossator-cache/serve" / name).exists()


def test_init_over_an_unfinished_init_of_a_process_no_system_has(tmp_path, run_cli):
    """The note an interrupted init leaves names its process: one naming a number no process can have was an
    OverflowError traceback; it is an init that no longer runs, finished now."""
    import socket

    from builder.scaffold import UNFINISHED, UNFINISHED_TEXT

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / UNFINISHED).write_text(f"{UNFINISHED_TEXT}pid 99999999999999999999999 on {socket.gethostname()}\n")
    code, _, err = run_cli("init", tmp_path / "site")
    assert code == 0, err
    assert (tmp_path / "site/site.toml").is_file() and not (tmp_path / "site" / UNFINISHED).exists()


def test_a_build_record_that_came_with_a_downloaded_site_never_passes_its_output_as_up_to_date(site, run_cli, tmp_path):
    """A site shared with its .glossator-cache and a _site built from other inputs (a page changed by hand,
    the record written to match it: nothing in it was secret): `glossator build` said "unchanged" and left
    that output published. Records are signed with the user's own secret, as the articles' entries are."""
    import json

    from builder.build import fingerprint
    from builder.cache import BuildRecord, tree_digest

    assert run_cli("build", site)[0] == 0
    page = site / "_site/index.html"
    page.write_text(page.read_text().replace("</body>", "<script src=https://evil.example/x.js></script></body>"))
    record = BuildRecord(site, site / "_site")
    planted = {"inputs": fingerprint(site, None), "counts": [1, 1, 0, 20], "output": tree_digest(site / "_site"),
               "warnings": []}
    record.path.write_text(json.dumps(planted))
    code, out, _ = run_cli("build", site)
    assert code == 0 and out.startswith("built "), out
    assert "evil.example" not in page.read_text()
    assert run_cli("build", site)[1].startswith("unchanged:")  # (its own record is trusted)


def test_a_site_published_read_only_leaves_no_copy_of_itself_beside_the_new_one(site, tmp_path):
    """`chmod -R a-w _site` (a site kept read-only between builds): the next build published the new site,
    but the old one, swapped out, could not be emptied and stayed beside it as a hidden `._site.new-…`
    folder that no later build removed. It goes now; the output folder keeps the mode its owner gave it."""
    from tests.test_hostile_setup import run_without_privilege

    assert run_without_privilege("build", site).returncode == 0
    (site / "content/a.txt").write_text(ARTICLE + "\nA second paragraph.\n")
    for folder, _, _ in os.walk(site / "_site"):
        os.chmod(folder, 0o555)
    result = run_without_privilege("build", site)
    assert result.returncode == 0, result.stderr
    assert "A second paragraph." in (site / "_site/articles/a/index.html").read_text()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".glossator-cache"]
    assert (site / "_site").stat().st_mode & 0o777 == 0o555


@pytest.mark.parametrize("where", ["site", "parent", "content"])
def test_a_refused_output_folder_that_is_no_site_is_not_called_the_previous_output(site, run_cli, where):
    """`--out` at the site itself, a folder that holds it, or its content/: refused, as it should be, but
    the build ended "the previous output is unchanged", as if a site had been published there."""
    out = {"site": site, "parent": site.parent, "content": site / "content"}[where]
    code, _, err = run_cli("build", site, "--out", out)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[-1] == "build failed: 1 error(s); nothing was written", err
    assert run_cli("build", site)[0] == 0
    (site / "content/a.txt").write_text("Officials say the three gangs are now allies.\n")  # the quote is lost
    code, _, err = run_cli("build", site)
    assert code == 1 and err.splitlines()[-1] == "build failed: 1 error(s); the previous output is unchanged", err


def tree(top: Path) -> dict[str, tuple]:
    """Every path under `top` (links not followed) with its kind, mode and bytes: what a refused build must leave."""
    found = {}
    for p in [top, *top.rglob("*")]:
        st = p.lstat()
        found[p.relative_to(top).as_posix()] = (st.st_mode, os.readlink(p) if p.is_symlink() else
                                                p.read_bytes() if p.is_file() else None)
    return found


@pytest.mark.parametrize("where", ["site", "parent", "content", "a-file", "not-ours", "not-ours-inside", "a-loop",
                                   "site.toml-content", "site.toml-link"])
def test_a_refused_output_folder_leaves_the_disk_exactly_as_it_was(site, run_cli, tmp_path, where):
    """`build --out .` (the site's own folder), or any output refused, wrote SITE/.glossator-cache all the same,
    loading the site before it looked at the output (an outside audit): a refused build now writes nothing at all,
    and still says the site's own problems with it."""
    assert run_cli("build", site, "--out", tmp_path / "built")[0] == 0  # (a folder of ours, for "not-ours-inside")
    shutil.rmtree(site / ".glossator-cache")
    (site / "annotations/b.yaml").write_text(LAYER)  # a problem of the site's, said as well
    (tmp_path / "a-file").write_text("mine")
    (tmp_path / "not-ours").mkdir()
    (tmp_path / "not-ours/notes.txt").write_text("mine")
    (tmp_path / "built/CNAME").write_text("example.org")
    (tmp_path / "a-loop").symlink_to("a-loop")
    if where == "site.toml-link":
        (tmp_path / "elsewhere").mkdir()
        (site / "_site").symlink_to(tmp_path / "elsewhere")
    if where.startswith("site.toml"):
        output = {"site.toml-content": "content/out", "site.toml-link": "_site"}[where]
        (site / "site.toml").write_text(f'title = "T"\nbase_url = "https://example.org/"\noutput = "{output}"\n')
        args = ()
    else:
        args = ("--out", {"site": site, "parent": tmp_path, "content": site / "content",
                          "not-ours-inside": tmp_path / "built"}.get(where, tmp_path / where))
    before = tree(tmp_path)
    code, _, err = run_cli("build", site, *args)
    assert "Traceback" not in err and tree(tmp_path) == before, err
    if where == "a-file":  # (click's own look at --out: wrong usage)
        assert code == 2 and "is a file" in err, err
    else:
        assert code == 1 and "annotations/b.yaml:1:1: error: " in err, err
        assert err.splitlines()[-1].startswith("build failed: 2 error(s)"), err


@pytest.mark.parametrize("target", ["content", "annotations", "templates", "."])
def test_a_static_folder_that_is_a_link_to_the_sites_sources_publishes_none_of_them(site, run_cli, target):
    """`static -> content` published every raw article as a file of the site (an article kept to excerpts
    whole), though a link inside static/ to the same folder was refused: the folder itself is held to the
    same rule. A static/ linked to another folder of the site is still published."""
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\npublish = "excerpts"\n')
    (site / "templates").mkdir()
    (site / "static").symlink_to(target)
    for command in ("check", "build"):
        code, _, err = run_cli(command, site)
        assert code == 1 and "Traceback" not in err
        assert any(line.startswith(f'static:1:1: error: is a link to "{target}", the site\'s own sources')
                   for line in err.splitlines()), err
    assert not (site / "_site").exists()
    (site / "static").unlink()
    (site / "assets").mkdir()
    (site / "assets/logo.txt").write_text("logo")
    (site / "static").symlink_to("assets")
    assert run_cli("build", site)[0] == 0
    assert (site / "_site/logo.txt").read_text() == "logo" and not (site / "_site/a.txt").exists()


def test_a_file_whose_name_starts_with_a_hash_is_published_or_said_not_skipped(site, run_cli):
    """Only editors' backups (Emacs's `#x.css#`) are skipped in silence: a static `#1-logo.svg` was left out of
    the site with no word (a broken image on the page), and `content/#draft.txt` was never read nor said."""
    (site / "static").mkdir()
    (site / "static" / "#1-logo.svg").write_text("<svg/>")
    (site / "static" / "#x.css#").write_text("autosave")
    (site / "content" / "#draft.txt").write_text(ARTICLE)
    (site / "content" / "#b.txt#").write_text(ARTICLE)
    code, _, err = run_cli("check", site)
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        'content/#draft.txt:1:1: error: "#draft" is not a valid slug (lowercase ASCII letters, digits, "-" and "_"): '
        'rename it "draft.txt"']
    (site / "content" / "#draft.txt").unlink()
    assert run_cli("build", site)[0] == 0
    assert (site / "_site" / "#1-logo.svg").read_text() == "<svg/>"
    assert not (site / "_site" / "#x.css#").exists()


def test_a_folder_in_templates_named_as_a_built_in_template_is_said_not_silently_skipped(site, run_cli):
    """templates/base.html/ as a folder (a copy unpacked wrongly, a tool's cache): it overrides nothing, and
    the build said nothing of it, so the user thought their base.html was in use."""
    (site / "templates" / "base.html").mkdir(parents=True)
    (site / "templates" / "base.html" / "base.html").write_text("<p>mine</p>\n")
    for command in ("check", "build"):
        code, _, err = run_cli(command, site)
        assert code == 0 and "Traceback" not in err
        assert ("templates/base.html:1:1: warning: not read: a folder, not a template, so the built-in base.html "
                "is used") in err, err
