"""One rule for links in every input folder: nothing outside the site's folder is read or published.

Each case is a small site in which a link (a file, or a whole folder) points at a secret outside
the site. `check` and `build` must both report it where the link is, exit 1, and publish nothing
of the secret. Links that stay inside the site are followed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SECRET = "SECRET-TOKEN-4242"
ARTICLE = "Officials say the two gangs are now allies.\n"
LAYER = 'annotations:\n  - quote: "the two gangs"\n    note: Which gangs?\n'


@pytest.fixture
def setup(tmp_path, make_site):
    """(site, outside folder holding secrets, output folder)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n")
    (outside / "secret.yaml").write_text(f'annotations:\n  - quote: "{SECRET}"\n    note: x\n')
    (outside / "base.html").write_text(f"<html>{SECRET}</html>\n")
    site = make_site(tmp_path / "site", {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    return site, outside, tmp_path / "out"


def published(out: Path) -> str:
    if not out.exists():
        return ""
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


def refused(run_cli, site: Path, out: Path, where: str, words: str = "outside the site") -> None:
    """Both check and build report the link at `where` (1:1), exit 1, and publish no secret."""
    for args in (("check", site), ("build", site, "--out", out)):
        code, stdout, err = run_cli(*args)
        assert code == 1, f"{args[0]}: exit {code}\n{err}"
        assert "Traceback" not in stdout + err
        assert f"{where}:1:1: error:" in err, err
        line = next(line for line in err.splitlines() if line.startswith(f"{where}:1:1: error:"))
        assert words in line, line
        assert SECRET not in stdout + err
    assert SECRET not in published(out)


def test_content_file_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "content" / "b.txt").symlink_to(outside / "secret.txt")
    refused(run_cli, site, out, "content/b.txt")


def test_content_file_linked_to_proc_environ(setup, run_cli, monkeypatch):
    site, outside, out = setup
    monkeypatch.setenv("CI_TOKEN", SECRET)
    (site / "content" / "env.txt").symlink_to("/proc/self/environ")
    refused(run_cli, site, out, "content/env.txt")


def test_content_folder_itself_linked_outside(setup, run_cli):
    site, outside, out = setup
    elsewhere = outside / "articles"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text(SECRET)
    for p in (site / "content").iterdir():
        p.unlink()
    (site / "annotations" / "a.yaml").unlink()
    (site / "content").rmdir()
    (site / "content").symlink_to(elsewhere)
    refused(run_cli, site, out, "content")


def test_static_folder_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "static").symlink_to(outside)
    refused(run_cli, site, out, "static")


def test_static_file_linked_outside_is_an_error_not_a_skip(setup, run_cli):
    site, outside, out = setup
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "img" / "logo.txt").symlink_to(outside / "secret.txt")
    refused(run_cli, site, out, "static/img/logo.txt")


def test_static_subfolder_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "static").mkdir()
    (site / "static" / "files").symlink_to(outside)
    refused(run_cli, site, out, "static/files")


def test_template_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "templates").mkdir()
    (site / "templates" / "base.html").symlink_to(outside / "base.html")
    refused(run_cli, site, out, "templates/base.html")


def test_templates_folder_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "templates").symlink_to(outside)
    refused(run_cli, site, out, "templates")


def test_annotation_file_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "annotations" / "a.yaml").unlink()
    (site / "annotations" / "a.yaml").symlink_to(outside / "secret.yaml")
    refused(run_cli, site, out, "annotations/a.yaml")


def test_site_toml_linked_outside(setup, run_cli):
    site, outside, out = setup
    (site / "site.toml").symlink_to(outside / "secret.txt")
    refused(run_cli, site, out, "site.toml")


def test_dangling_annotation_link_is_an_error(setup, run_cli):
    site, outside, out = setup
    (site / "annotations" / "a.yaml").unlink()
    (site / "annotations" / "a.yaml").symlink_to(site / "annotations" / "gone.yaml")
    refused(run_cli, site, out, "annotations/a.yaml", "points to nothing")


@pytest.mark.parametrize("name", ["content", "annotations", "templates", "static"])
@pytest.mark.parametrize("cache", [True, False])
def test_looping_links_are_an_error(setup, run_cli, name, cache):
    """A loop of links is reported where it is, by check and by a build with or without its cache
    (whose digest of the inputs met the loop first)."""
    site, outside, out = setup
    (site / name).mkdir(exist_ok=True)
    (site / name / "a.yaml").unlink(missing_ok=True)
    (site / name / "a.yaml").symlink_to("b.yaml")
    (site / name / "b.yaml").symlink_to("a.yaml")
    refused(run_cli, site, out, f"{name}/a.yaml", "loop")
    if not cache:
        code, stdout, err = run_cli("build", site, "--out", out, "--no-cache")
        assert code == 1 and f"{name}/a.yaml:1:1: error: is a link that loops" in err, err


def test_links_inside_the_site_are_followed(setup, run_cli):
    site, outside, out = setup
    shared = site / "shared"
    shared.mkdir()
    (shared / "b.txt").write_text("A shared article about the gangs.\n")
    (site / "content" / "b.txt").symlink_to(Path("..") / "shared" / "b.txt")
    (site / "static").mkdir()
    (site / "static" / "robots.txt").symlink_to(shared / "b.txt")
    code, stdout, err = run_cli("build", site, "--out", out)
    assert code == 0, err
    assert "A shared article" in (out / "articles" / "b" / "index.html").read_text()
    assert (out / "robots.txt").read_text().startswith("A shared article")


def test_a_site_reached_through_a_link_builds(setup, run_cli, tmp_path):
    site, outside, out = setup
    alias = tmp_path / "alias"
    alias.symlink_to(site)
    code, stdout, err = run_cli("build", alias, "--out", out)
    assert code == 0, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_content_pipe_is_refused_without_blocking(setup, run_cli):
    site, outside, out = setup
    os.mkfifo(site / "content" / "pipe.txt")
    code, stdout, err = run_cli("check", site)
    assert code == 1 and "content/pipe.txt:1:1: error:" in err


def test_static_linked_to_the_root_is_refused_at_once(setup, run_cli, monkeypatch):
    """Refused before anything walks it: a build must not read the whole disk to fingerprint it."""
    import os

    site, outside, out = setup
    (site / "static").symlink_to("/")
    walked = []
    real_walk = os.walk

    def walk(top, *args, **kwargs):
        walked.append(os.path.realpath(top))
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    code, stdout, err = run_cli("build", site, "--out", out)
    assert code == 1 and "static:1:1: error:" in err
    assert "/" not in walked and not any(w in ("/proc", "/usr", "/etc") for w in walked), walked
