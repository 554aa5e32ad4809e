"""Without git, a site built before an edit remembers what each annotation was written against
(SITE/.glossator-cache/anchored/, builder/reanchor/record.py): `check`, `build` and `reanchor` then see an
occurrence that now lands on another repeat, as they do with git. A record that is not ours, or none, leaves
the text alone to decide, as before; `check` and `--no-cache` write none."""
from __future__ import annotations

import json

BEFORE = "Minutes\n\nItem 4. Play area. The motion was carried.\n\nItem 5. Parking on Mill Lane. The motion was carried.\n"
# a new item above, with another repeat: occurrence 2 is now item 4's
AFTER = ("Minutes\n\nItem 3. Lights. The motion was carried.\n\nItem 4. Play area. The motion was carried.\n\n"
         "Item 5. Parking on Mill Lane. The motion was carried.\n")
LAYER = ("annotations:\n  - quote: The motion was carried.\n    occurrence: 2\n    id: parking\n"
         "    note: The survey was never funded.\n")
SITE = {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n', "content/m.txt": BEFORE, "annotations/m.yaml": LAYER}
RECORD = ".glossator-cache/anchored/m.json"


def built_then_edited(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", SITE)
    code, _, err = run_cli("build", site)
    assert code == 0, err
    (site / "content/m.txt").write_text(AFTER)
    return site


def test_an_occurrence_that_lands_on_another_repeat_fails_check_and_build(tmp_path, make_site, run_cli):
    site = built_then_edited(tmp_path, make_site, run_cli)
    record = (site / RECORD).read_bytes()
    code, _, err = run_cli("check", site)
    assert code == 1
    assert "annotations/m.yaml:2:" in err and "another passage than the one it was written for" in err, err
    assert "glossator reanchor" in err and "when last built" in err, err
    assert (site / RECORD).read_bytes() == record  # (check writes nothing)
    code, _, err = run_cli("build", site)
    assert code == 1 and "another passage" in err, err
    assert (site / RECORD).read_bytes() == record  # (a build that fails keeps the record: the drift is said again)


def test_reanchor_proposes_the_repeat_it_was_written_for_and_a_new_record_follows(tmp_path, make_site, run_cli):
    site = built_then_edited(tmp_path, make_site, run_cli)
    code, out, err = run_cli("reanchor", site, "--format", "json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["status"] == "moved" and row["occurrence"] == 3, row
    code, _, err = run_cli("reanchor", site, "--write")
    assert code == 0, err
    assert "occurrence: 3" in (site / "annotations/m.yaml").read_text()
    code, _, err = run_cli("build", site)
    assert code == 0, err
    assert "Item 3. Lights" in json.loads((site / RECORD).read_text())["text"]  # the annotator re-anchored: a new record
    code, _, err = run_cli("check", site)
    assert code == 0, err


def test_an_article_with_the_longest_slug_has_its_record(tmp_path, make_site, run_cli):
    """A slug may be 250 bytes: its record's name is cut short with a digest ("SLUG.json" and the temporary file
    beside it were too long to write, silently, and reanchor had no record to go by)."""
    slug = "m" * 250
    site = make_site(tmp_path / "site", {"site.toml": SITE["site.toml"], f"content/{slug}.txt": BEFORE,
                                         f"annotations/{slug}.yaml": LAYER})
    code, _, err = run_cli("build", site)
    assert code == 0, err
    (site / f"content/{slug}.txt").write_text(AFTER)
    code, out, err = run_cli("reanchor", site, "--format", "json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["status"] == "moved" and row["occurrence"] == 3, row


def test_a_note_edited_does_not_vouch_for_the_passage(tmp_path, make_site, run_cli):
    """Only the anchoring values say an annotation was looked at again: a note's words changed, it still drifted."""
    site = built_then_edited(tmp_path, make_site, run_cli)
    layer = site / "annotations/m.yaml"
    layer.write_text(layer.read_text().replace("never funded", "never paid for"))
    code, _, err = run_cli("build", site)
    assert code == 1 and "another passage" in err, err


def test_without_a_record_of_ours_the_text_alone_decides(tmp_path, make_site, run_cli):
    """A record changed by hand, planted, or corrupt is no record (signed with the user's own secret): as before."""
    site = built_then_edited(tmp_path, make_site, run_cli)
    assert run_cli("check", site)[0] == 1
    raw = json.loads((site / RECORD).read_text())
    raw["text"] = AFTER.replace("Lights", "Lamps")  # a record that came with a downloaded site would say anything
    (site / RECORD).write_text(json.dumps(raw))
    code, _, err = run_cli("check", site)
    assert code == 0, err
    (site / RECORD).write_bytes(b"\x00not json")
    code, _, err = run_cli("check", site)
    assert code == 0 and "Traceback" not in err, err


def test_no_cache_neither_reads_nor_writes_a_record(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "plain", SITE)
    code, _, err = run_cli("build", site, "--no-cache")
    assert code == 0, err
    assert not (site / ".glossator-cache").exists()
    site = built_then_edited(tmp_path, make_site, run_cli)
    code, _, err = run_cli("build", site, "--no-cache")
    assert code == 0, err  # (the text alone: the occurrence still anchors)


def test_serve_keeps_a_record_as_build_does(tmp_path, make_site):
    """serve loads each article through its GitView: outside git, it reads and writes the record too."""
    from builder.errors import Problems
    from builder.read.config import load_config
    from builder.serve.gitview import GitView

    site = make_site(tmp_path / "site", SITE)
    view = GitView(site)
    view.refresh()
    config = load_config(site, Problems())

    def load() -> Problems:
        problems = Problems()
        view.load_article(site, "m", site / "content/m.txt", site / "annotations/m.yaml", config, problems)
        return problems

    assert not load().errors and (site / RECORD).is_file()
    (site / "content/m.txt").write_text(AFTER)
    assert any("another passage" in p.message for p in load().errors)


def test_a_record_is_the_text_in_utf8_and_goes_with_its_article(tmp_path, make_site, run_cli):
    """About the text's own size (not six bytes a letter), and removed when its article is: a new article given
    the slug later is not checked against the old one's text."""
    text = "会议纪要\n\n" + "第四项。动议获得通过。\n\n" * 200
    site = make_site(tmp_path / "site", {**SITE, "content/m.txt": text,
                                         "annotations/m.yaml": "annotations:\n  - quote: 动议获得通过\n    occurrence: 2\n    note: N.\n"})
    code, _, err = run_cli("build", site)
    assert code == 0, err
    assert (site / RECORD).stat().st_size < len(text.encode()) + 1000
    (site / "content/m.txt").unlink()
    (site / "annotations/m.yaml").unlink()
    (site / "content/other.txt").write_text("Other\n\nText.\n")
    code, _, err = run_cli("build", site)
    assert code == 0, err
    assert not (site / RECORD).exists()


def test_check_on_a_site_never_built_looks_up_no_key(tmp_path, make_site, run_cli, monkeypatch):
    """Without a record to read, `check` neither reads nor makes the key that signs records (in the user's own cache
    folder, outside the site): it writes nothing anywhere."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    site = make_site(tmp_path / "site", SITE)
    code, _, err = run_cli("check", site)
    assert code == 0, err
    assert not (tmp_path / "xdg").exists()
    assert not (site / ".glossator-cache").exists()
