"""judge61: what an outside judge met that was accepted in silence or said in YAML's words (broken sites for the
errors are in tests/broken/; warnings, which let a build go on, are tested here)."""
from __future__ import annotations

import pytest

ARTICLE = "Officials say the gangs are allies.\n"


@pytest.mark.parametrize("layer, what", [
    ("", "is empty"),
    ("\n  \n", "is empty"),
    ("# to do: annotate\n", "holds only comments"),
])
def test_an_annotation_file_that_says_nothing_is_a_warning_that_names_it(tmp_path, make_site, run_cli, layer, what):
    """A file saved empty by mistake was passed in silence; an article waiting for its annotations still builds."""
    site = make_site(tmp_path, {"content/report.txt": ARTICLE, "annotations/report.yaml": layer})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    assert (f'annotations/report.yaml:1:1: warning: this annotation file {what}: article "report" is published with no '
            'annotations; write them under "annotations:"') in err, err
    assert 'glossator new report' in err


@pytest.mark.parametrize("content", ["content/report.txt", "content/report.md"])
def test_the_file_glossator_new_writes_is_no_warning(tmp_path, make_site, run_cli, content):
    """Its `annotations:` says the article waits for them (for a Markdown article whose front matter has its
    title, the file holds nothing else)."""
    site = make_site(tmp_path, {content: "---\ntitle: Gangs\n---\n" + ARTICLE if content.endswith(".md") else ARTICLE})
    assert run_cli("new", "report", "--site", site)[0] == 0
    code, out, err = run_cli("check", site)
    assert code == 0 and "annotation file" not in err, err


def test_a_date_of_tomorrow_is_allowed_the_day_after_is_not(tmp_path, make_site, run_cli):
    """Where the annotator is, it may already be tomorrow: a day's grace, no more."""
    import datetime as dt

    tomorrow, after = (dt.date.today() + dt.timedelta(days=n) for n in (1, 2))
    layer = ("annotations:\n  - quote: Officials say\n    note: Which?\n    date: {}\n"
             "  - quote: the gangs\n    note: Which?\n    date: {}\n").format(tomorrow, after)
    site = make_site(tmp_path, {"content/report.txt": ARTICLE, "annotations/report.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        f'annotations/report.yaml:7:11: error: "{after}" is later than today ({dt.date.today()}): a date says when '
        f'something happened; check the {"year" if after.year != dt.date.today().year else "month and day"}']


def test_pasted_twice_the_page_is_built_once_the_repeat_is_removed(tmp_path, make_site, run_cli):
    one = "  - quote: Officials say\n    flags: [anonymous-source]\n    note: Which officials?\n"
    site = make_site(tmp_path, {"content/report.txt": ARTICLE, "annotations/report.yaml": "annotations:\n" + one + one})
    code, out, err = run_cli("build", site)
    assert code == 1 and "annotations/report.yaml:5:5: error: this annotation repeats the one on line 2" in err, err
    assert "quote words that begin alike" not in err
    (site / "annotations/report.yaml").write_text("annotations:\n" + one)
    code, out, err = run_cli("build", site)
    assert code == 0, err
    page = (site / "_site/articles/report/index.html").read_text()
    assert 'id="officials-say"' in page and "officials-say-2" not in page
