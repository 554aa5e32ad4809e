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


def test_dates_later_than_today_are_warnings_at_their_place(tmp_path, make_site, run_cli):
    """A year mistyped (2962 for 2012), in the front matter, the retraction and an annotation: said where it is
    written, as a warning (the same files build the same site whatever the clock says)."""
    site = make_site(tmp_path, {
        "content/report.md": "---\ntitle: Gangs\npublished: 2962-10-24\n---\nOfficials say the gangs are allies.\n",
        "annotations/report.yaml": "article:\n  retracted:\n    date: 3013-01-05\n    reason: Withdrawn.\nannotations:\n"
                                   "  - quote: Officials say\n    flags: [anonymous-source]\n    date: 2999-11-20\n"})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    said = [line.split(" (")[0] for line in err.splitlines() if "is later than today" in line]
    assert said == ['annotations/report.yaml:3:11: warning: "3013-01-05" is later than today',
                    'annotations/report.yaml:8:11: warning: "2999-11-20" is later than today',
                    'content/report.md:3:12: warning: "2962-10-24" is later than today'], err


def test_once_the_date_has_come_the_cache_does_not_say_it_again(tmp_path, make_site, monkeypatch):
    """The cache keeps an article's problems with it, keyed by its files: a date later than today is not
    kept there, or the warning would stay after the day came."""
    import datetime as real
    import types

    from builder.cache import ArticleCache
    from builder.read import layer
    from builder.read.load import load_site

    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    soon = real.date.today() + real.timedelta(days=30)
    site = make_site(tmp_path, {"content/report.txt": ARTICLE, "annotations/report.yaml":
                                f"annotations:\n  - quote: Officials say\n    note: Which?\n    date: {soon}\n"})
    model, problems = load_site(site, ArticleCache(site))
    assert [p.message.split(" (")[0] for p in problems.items] == [f'"{soon}" is later than today']

    class Later:  # the clock a month on (dates read as dates)
        fromisoformat = real.date.fromisoformat
        today = staticmethod(lambda: soon)

    monkeypatch.setattr(layer, "dt", types.SimpleNamespace(date=Later, timedelta=real.timedelta))
    model, problems = load_site(site, ArticleCache(site))
    assert problems.items == [] and model.article("report").annotations[0].date == soon


def test_a_date_of_tomorrow_is_allowed_the_day_after_is_not(tmp_path, make_site, run_cli):
    """Where the annotator is, it may already be tomorrow: a day's grace, no more."""
    import datetime as dt

    today = dt.date.today()
    tomorrow, after = (today + dt.timedelta(days=n) for n in (1, 2))
    layer = ("annotations:\n  - quote: Officials say\n    note: Which?\n    date: {}\n"
             "  - quote: the gangs\n    note: Which?\n    date: {}\n").format(tomorrow, after)
    site = make_site(tmp_path, {"content/report.txt": ARTICLE, "annotations/report.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 0
    assert [line for line in err.splitlines() if "later than today" in line] == [
        f'annotations/report.yaml:7:11: warning: "{after}" is later than today ({today}): a date says when '
        f'something happened; check the {"year" if after.year != today.year else "month and day"}']


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


def test_new_names_its_own_option_for_a_site_that_is_not_a_folder(tmp_path, run_cli):
    """`new` takes the site as --site, not as an argument: the message named SITE, which its usage line does not show."""
    code, out, err = run_cli("new", "report", "--site", tmp_path / "nowhere")
    assert code == 2
    assert f"Invalid value for '--site': {tmp_path / 'nowhere'} is not a folder" in err, err
