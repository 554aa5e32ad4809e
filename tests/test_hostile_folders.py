"""Hostile folders met by an outside audit (session 33): links, odd entries and output folders, each a
located `path:line:col: error:`, never a traceback nor a file read or written where it must not be."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTICLE = "Officials say the two gangs are now allies.\n"
LAYER = 'annotations:\n  - quote: "the two gangs"\n    note: Which gangs?\n'


@pytest.fixture
def site(tmp_path, make_site):
    return make_site(tmp_path / "site", {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
                                         "content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})


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
