"""`check` and `build` agree about a site's templates: every .html file in templates/ must compile,
and every page must render. Each case is a site with one template mistake."""
from __future__ import annotations

import pytest

ARTICLE = "Officials say the two gangs are now allies.\n"
LAYER = 'annotations:\n  - quote: "the two gangs"\n    flags: [anonymous-source]\n    note: Which gangs?\n'
BASE = '{% extends "base.html" %}\n'

CASES = {
    # an undefined variable in a page template: passes compilation, fails rendering
    "undefined-variable": ("templates/404.html", BASE + "{% block content %}\n<p>{{ no_such_thing }}</p>\n{% endblock %}\n",
                           "templates/404.html:3:7", "no_such_thing"),
    # an include of a template that does not exist
    "missing-include": ("templates/404.html", BASE + '{% block content %}\n{% include "_nowhere.html" %}\n{% endblock %}\n',
                        "templates/404.html:3:1", "_nowhere.html"),
    # the passage partial, which article pages render ahead for the flag and tag pages
    "failing-passage-partial": ("templates/_passage.html", "<li>\n{{ no_such_thing }}</li>\n",
                                "templates/_passage.html:2:4", "no_such_thing"),
    # a partial no page uses, with a syntax error
    "broken-unused-partial": ("templates/_unused.html", "<p>\n{% if %}\n</p>\n", "templates/_unused.html:2:7", "template error"),
    # syntax errors, located at what Jinja stumbled on (they were all said at column 1)
    "print-closed-by-one-brace": ("templates/404.html", BASE + "{% block content %}\n<p>{{ title }</p>\n{% endblock %}\n",
                                  "templates/404.html:3:13", "unexpected '}'"),
    # the same after a tag on its line: the column was the } of that tag's `%}`
    "print-closed-by-one-brace-after-a-tag": ("templates/404.html", BASE + "{% block content %}<p>{{ title }</p>\n{% endblock %}\n",
                                              "templates/404.html:2:32", "unexpected '}'"),
    "end-tag-misspelt": ("templates/404.html", BASE + "{% block content %}\n<p>{% if title %}x{% endfi %}</p>\n{% endblock %}\n",
                         "templates/404.html:3:22", "unknown tag 'endfi'"),
    "unknown-filter": ("templates/404.html", BASE + "{% block content %}\n<p>{{ title | shout }}</p>\n{% endblock %}\n",
                       "templates/404.html:3:15", "No filter named 'shout'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_build_agree(case, tmp_path, make_site, run_cli):
    rel, text, where, words = CASES[case]
    site = make_site(tmp_path / "site", {"site.toml": 'base_url = "https://example.org/"\n',
                                          "content/a.txt": ARTICLE, "annotations/a.yaml": LAYER, rel: text})
    for args in (("check", site), ("build", site, "--out", tmp_path / "out")):
        code, out, err = run_cli(*args)
        assert "Traceback" not in err
        assert code == 1, f"{args[0]} exit {code}:\n{err}"
        line = next((line for line in err.splitlines() if line.startswith(f"{where}: error:")), None)
        assert line is not None and words in line, f"{args[0]}:\n{err}"
    assert not (tmp_path / "out").exists()
    assert not (site / "_site").exists()


def test_a_good_override_passes_both(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", {"site.toml": 'base_url = "https://example.org/"\n', "content/a.txt": ARTICLE,
                                          "annotations/a.yaml": LAYER,
                                          "templates/404.html": BASE + "{% block content %}<p>Gone.</p>{% endblock %}\n"})
    assert run_cli("check", site)[0] == 0
    assert run_cli("build", site, "--out", tmp_path / "out")[0] == 0
    assert "Gone." in (tmp_path / "out" / "404.html").read_text()


def test_every_built_in_template_is_documented_for_site_authors():
    """docs/templates.md is where a site's author learns which templates and partials there are to override:
    each built-in one is named there (two partials were added without a word)."""
    from pathlib import Path

    from builder.render.templates import builtin_templates

    docs = (Path(__file__).resolve().parents[1] / "docs" / "templates.md").read_text("utf-8")
    missing = [p.name for p in sorted(builtin_templates().glob("*.html")) if f"`{p.name}`" not in docs]
    assert not missing, f"not in docs/templates.md: {missing}"
