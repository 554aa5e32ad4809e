"""judge59: what an outsider met that was accepted in silence or said at the wrong place."""
from __future__ import annotations

import pytest

from tests.test_hostile_input import errors
from tests.test_serve import serve  # noqa: F401 (a fixture)

ARTICLE = "The council met on Tuesday for three hours.\n\nThe mayor said cost mattered.\n"
FIRST = "annotations:\n  - &d\n    id: first\n    quote: met on Tuesday\n    note: Which day?\n"


@pytest.mark.parametrize("merge, at", [
    ("<<: *n", "6:9"),  # an alias of a text
    ("<<: by desk", "6:9"),  # a text
    ("<<:", "6:5"),  # nothing
    ("<<: null", "6:5"),
    ("<<: [*n, {by: x}]", "6:9"),  # a list holding a text (its alias: the list)
    ("<<: [{by: x}, desk]", "6:19"),  # a list holding a text
    ("<<: *f", "6:9"),  # an alias of a list of texts
])
def test_a_merge_of_what_is_no_mapping_is_an_error(tmp_path, make_site, run_cli, merge, at):
    """`<<:` merges mappings (YAML's merge key, as docker compose and GitLab CI read it); anything else was
    left out without a word, and the fields the annotator meant to share with it were missing."""
    layer = ("annotations:\n  - quote: met on Tuesday\n    note: &n Which day?\n    flags: &f [anonymous-source]\n"
             f"  - quote: cost mattered\n    {merge}\n    note: How much?\n")
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    (line,) = errors(err)
    assert line.startswith(f"annotations/a.yaml:{at}: error: ") and '"<<"' in line and "mapping" in line, err


def test_a_merge_of_mappings_is_still_fine(tmp_path, make_site, run_cli):
    layer = FIRST + "  - <<: [{flags: [anonymous-source]}, *d]\n    id: second\n    quote: cost mattered\n"
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 0, err


def test_an_id_merged_in_twice_is_said_where_it_is_merged(tmp_path, make_site, run_cli):
    """The second annotation has the first's id through `<<: *d`: said at its `<<`, not at the first's own id
    ("already used on line 3" at line 3)."""
    layer = FIRST + "  - <<: *d\n    quote: cost mattered\n"
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    (line,) = errors(err)
    assert line.startswith('annotations/a.yaml:6:5: error: duplicate id "first"'), err
    assert "line 3" in line and "<<" in line, err


def test_an_unknown_field_merged_in_names_the_merge(tmp_path, make_site, run_cli):
    """`<<: *art` merges the article block's fields into an annotation: said at the field, and where it is merged."""
    layer = ("article: &art\n  title: T\nannotations:\n  - quote: met on Tuesday\n    note: x\n"
             "  - <<: *art\n    quote: cost mattered\n    note: y\n")
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    (line,) = errors(err)
    assert line.startswith('annotations/a.yaml:2:3: error: unknown field "title" in annotation'), err
    assert 'merged in with "<<" on line 6' in line, err


@pytest.mark.parametrize("value, meant", [
    ("_site ", "_site"), (" _site", "_site"), ("public/site\u00a0", "public/site"), ("out /site", "out/site"),
    ("_site\u200b", "_site"), ("\t_site", "_site"),
])
def test_an_output_folder_named_with_white_space_at_an_end_is_an_error(tmp_path, make_site, run_cli, value, meant):
    """`output = "_site "` made a folder "_site " beside the site, which a listing shows as "_site"."""
    import json

    site = make_site(tmp_path, {"site.toml": f'title = "t"\noutput = {json.dumps(value)}\n', "content/a.txt": ARTICLE})
    code, out, err = run_cli("build", site)
    assert code == 1
    (line,) = errors(err)
    assert line.startswith("site.toml:2:1: error: output ") and f'"{meant}"' in line, err
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["content"]


def test_an_output_folder_with_an_inner_space_is_fine(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {"site.toml": 'output = "my site"\n', "content/a.txt": ARTICLE})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    assert (site / "my site" / "index.html").is_file()


@pytest.mark.parametrize("folder", ["annotations", "content"])
def test_a_source_folder_replaced_while_serving_is_read_again(serve, tmp_path, folder):
    """A folder swapped for another with the same file names (`mv annotations old && mv new annotations`, a
    checkout tool, a sync): its files' paths were unchanged, so serve read nothing again and kept the old pages."""
    import shutil

    from tests.test_serve import get, site_files, wait_until

    server = serve(site_files())
    site = server.engine.site
    new = tmp_path / "new"
    shutil.copytree(site / folder, new)
    name = "a1.yaml" if folder == "annotations" else "a1.txt"
    text = (new / name).read_text()
    (new / name).write_text(text.replace("First note on article 1.", "A note from the new folder.") if folder == "annotations"
                            else text + "\nA paragraph of the new folder.\n")
    (site / folder).rename(tmp_path / "old")
    new.rename(site / folder)
    wanted = "A note from the new folder." if folder == "annotations" else "A paragraph of the new folder."
    wait_until(lambda: wanted in get(server, "articles/a1/")[1], 10, "the new folder's text")
    assert server.status()["problems"] == []


@pytest.mark.parametrize("by, at", [("[maria, joe]", "4:9"), ("\n      - maria\n      - joe", "5:7")])
def test_two_writers_in_by_are_told_how_to_name_both(tmp_path, make_site, run_cli, by, at):
    """`by: [maria, joe]` was told to quote the brackets, `by: "[maria, joe]"`: a name with brackets on the page."""
    layer = f"annotations:\n  - quote: met on Tuesday\n    note: Which day?\n    by: {by}\n"
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": layer})
    code, out, err = run_cli("check", site)
    assert code == 1
    (line,) = errors(err)
    assert line.startswith(f"annotations/a.yaml:{at}: error: ") and line.endswith("by: maria and joe)"), err


def test_reanchor_never_writes_a_merged_quote_into_the_annotation_it_comes_from(tmp_path):
    """`review` takes its quote from `cut` with `<<: *d`: its proposal rewrote `cut`'s own quote (the one written
    at that place), moving `cut` off its passage, and said "written". Refused now, said why, the file unchanged."""
    from tests.test_reanchor_cli import git, glossator, site_with

    before = "Fares\n\nResidents said the timetable had been cut.\n\nThe council said the timetable would be reviewed.\n"
    layer = ("annotations:\n  - &d\n    id: cut\n    quote: the timetable\n    suffix: had been cut\n    note: Whose account?\n"
             "  - <<: *d\n    id: review\n    suffix: would be reviewed\n    note: When?\n")
    site = site_with(tmp_path, before, layer, before.replace("the timetable would", "the schedule would"))
    done = glossator("reanchor", site, "--write")
    assert done.returncode == 1
    assert ('annotations/story.yaml:4:12: error: this proposal cannot be written: review: its quote is shared with another '
            'annotation through "<<"' in done.stderr), done.stderr
    assert (site / "annotations" / "story.yaml").read_text() == layer


@pytest.mark.parametrize("item, changes, refused", [
    ("  - <<: *d\n    quote: the timetable\n    suffix: would be reviewed\n", {"occurrence": None}, "its occurrence is merged in"),
    ("  - <<: {quote: the timetable, occurrence: 2}\n", {"prefix": "council said"}, "its quote is merged in"),
])
def test_a_field_merged_in_is_not_removed_or_added_to_in_silence(item, changes, refused):
    """Removing `occurrence` that `<<` merges in left it merged in (the proposal said written, nothing changed);
    a quote merged in from a mapping written in place was "no longer where it was read"."""
    from builder.reanchor.yamledit import EditRefused, edit_fields

    text = "annotations:\n  - &d\n    id: cut\n    quote: had been cut\n    occurrence: 1\n" + item
    line = 7 if "suffix" in item else 6  # where the quote is read: the annotation's own, or in the mapping merged
    with pytest.raises(EditRefused, match=refused):
        edit_fields(text, line, text.split("\n")[line - 1].index("the timetable") + 1, changes)


def test_a_field_merged_in_and_changed_is_written_in_the_annotation_that_merges_it():
    """(As before: a field of its own, written after its quote, wins over the one merged in.)"""
    from builder.read.yamlsrc import Problems, compose, to_python
    from builder.reanchor.yamledit import edit_fields

    text = ("annotations:\n  - &d\n    id: cut\n    quote: had been cut\n    suffix: twice\n"
            "  - <<: *d\n    id: other\n    quote: the timetable\n")
    edited = edit_fields(text, 8, 12, {"suffix": "would be"})
    data = to_python(compose(edited, "f", Problems()), "f", Problems())
    assert [a["suffix"] for a in data["annotations"]] == ["twice", "would be"]
