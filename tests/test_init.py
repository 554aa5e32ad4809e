"""`glossator init DIR`: a new site that checks clean and builds at once, showing every feature."""
from __future__ import annotations

import json

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
    assert code == 1
    assert "not empty" in err and "Traceback" not in err
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / ".git").mkdir()
    assert run_cli("init", hidden)[0] == 1


def test_refuses_a_file(tmp_path, run_cli):
    target = tmp_path / "file"
    target.write_text("x")
    code, out, err = run_cli("init", target)
    assert code == 1 and "is a file" in err
    assert target.read_text() == "x"


def test_usage_without_dir_is_exit_2(run_cli):
    assert run_cli("init")[0] == 2
