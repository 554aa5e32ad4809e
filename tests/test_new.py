"""`glossator new SLUG`: a starting annotation file, never over an existing one."""
from __future__ import annotations

import json

from builder.read.load import load_site

SITE = {
    "content/zetas-report.txt": "\n\n  Los Zetas And MS-13: Allies  \n\nBody text.\n",
    "content/front.md": '---\ntitle: "The \\"front\\" title: yes"\n---\n# Heading\n',
}


def test_writes_the_file_with_title_and_schema_line(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, SITE)
    code, out, err = run_cli("new", "zetas-report", "--site", site)
    assert code == 0, err
    text = (site / "annotations" / "zetas-report.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert '  title: "Los Zetas And MS-13: Allies"\n' in text
    assert "wrote annotations/zetas-report.yaml" in out
    schema_ref = text.splitlines()[0].split("$schema=", 1)[1]
    schema = (site / "annotations" / schema_ref).resolve()
    assert schema.is_file() and json.loads(schema.read_text("utf-8"))["type"] == "object"


def test_a_first_line_that_reads_as_a_paragraph_is_said_where_the_title_is(tmp_path, make_site, run_cli):
    """An article with no title line: its first line, a whole paragraph, becomes the title (SPEC 2); the new
    file says so under it, so the annotator writes the headline there; a headline-long first line says nothing."""
    para = ("Officials said on Monday that the ferry contract, signed in 2019 without a public tender, would be "
            "reviewed by an independent panel before the end of the year.")
    site = make_site(tmp_path, {**SITE, "content/no-title.txt": f"{para}\n\nA second paragraph.\n"})
    assert run_cli("new", "no-title", "--site", site)[0] == 0
    lines = (site / "annotations" / "no-title.yaml").read_text("utf-8").splitlines()
    assert lines[2] == f'  title: "{para}"'
    assert lines[3] == (f"  # (the article's first line, {len(para)} characters: if it is a paragraph, not a title, "
                        "write the title above)")
    assert run_cli("check", site)[0] == 0
    assert run_cli("new", "zetas-report", "--site", site)[0] == 0
    assert "first line" not in (site / "annotations" / "zetas-report.yaml").read_text("utf-8")


def test_every_file_written_is_said_and_the_schema_only_once(tmp_path, make_site, run_cli):
    """`new` also wrote schema/annotations.schema.json into the site without a word."""
    site = make_site(tmp_path, {**SITE, "content/second.txt": "Another article.\n"})
    code, out, err = run_cli("new", "zetas-report", "--site", site)
    assert code == 0, err
    assert out.splitlines() == ["wrote annotations/zetas-report.yaml",
                                "wrote schema/annotations.schema.json (for editors: its first line points there)"]
    code, out, err = run_cli("new", "second", "--site", site)
    assert code == 0 and out.splitlines() == ["wrote annotations/second.yaml"]


def test_the_new_file_checks_clean_and_keeps_the_title(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, SITE)
    assert run_cli("new", "front", "--site", site)[0] == 0
    assert run_cli("new", "zetas-report", "--site", site)[0] == 0
    model, problems = load_site(site)
    assert problems.items == []
    assert model.article("front").title == 'The "front" title: yes'
    assert model.article("zetas-report").title == "Los Zetas And MS-13: Allies"


def test_a_title_the_front_matter_gives_stays_in_the_front_matter(tmp_path, make_site, run_cli):
    """Audit spec10: `new` copied the front matter's title into the annotation file, which wins: a later edit of
    the front matter's title changed nothing, silently. The file now says it in a comment only."""
    site = make_site(tmp_path, SITE)
    assert run_cli("new", "front", "--site", site)[0] == 0
    assert "\n  title:" not in (site / "annotations" / "front.yaml").read_text("utf-8")
    (site / "content" / "front.md").write_text('---\ntitle: "A corrected title"\n---\n# Heading\n')
    model, problems = load_site(site)
    assert problems.items == [] and model.article("front").title == "A corrected title"


def test_fields_the_front_matter_gives_are_said_not_offered_blank(tmp_path, make_site, run_cli):
    """`new` offered `author:` and `published:` to fill in, blank, for an article whose front matter gives them:
    filled in, they win over the front matter. It now says what the front matter gives and offers the rest."""
    site = make_site(tmp_path, {
        "content/lunch.md": '---\ntitle: Lunch prices cut\nauthor: Dana Reyes\npublished: 2025-03-04\n---\nText.\n',
        "content/untitled.md": "---\nauthor: [A B, C D]\n---\nFirst line\n"})
    assert run_cli("new", "lunch", "--site", site)[0] == 0 and run_cli("new", "untitled", "--site", site)[0] == 0
    lunch = (site / "annotations" / "lunch.yaml").read_text("utf-8")
    assert ('# article:  (the front matter gives title "Lunch prices cut", author "Dana Reyes", published "2025-03-04"; '
            "a field here would replace it)\n#   publication: \n\nannotations:") in lunch
    untitled = (site / "annotations" / "untitled.yaml").read_text("utf-8")
    assert ('article:\n  title: "First line"\n  # (the front matter gives author ["A B", "C D"]; a field here would '
            'replace it)\n  # publication: \n  # published: YYYY-MM-DD\n') in untitled
    model, problems = load_site(site)
    assert problems.items == [] and model.article("lunch").meta.authors == ("Dana Reyes",)


def test_site_defaults_to_the_current_folder(tmp_path, make_site, run_cli, monkeypatch):
    monkeypatch.chdir(make_site(tmp_path, SITE))
    code, out, err = run_cli("new", "front")
    assert code == 0 and (tmp_path / "annotations" / "front.yaml").is_file()


def test_never_overwrites(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {**SITE, "annotations/zetas-report.yaml": "annotations: []\n# mine\n"})
    code, out, err = run_cli("new", "zetas-report", "--site", site)
    assert code == 1
    assert "annotations/zetas-report.yaml:1:1: error: already exists" in err
    assert (site / "annotations" / "zetas-report.yaml").read_text() == "annotations: []\n# mine\n"


def test_never_writes_beside_an_existing_yml(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, {**SITE, "annotations/front.yml": "annotations: []\n"})
    code, out, err = run_cli("new", "front", "--site", site)
    assert code == 1 and "already exists" in err
    assert not (site / "annotations" / "front.yaml").exists()


def test_unknown_slug_proposes_the_nearest(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, SITE)
    code, out, err = run_cli("new", "zetas-reprot", "--site", site)
    assert code == 1
    assert 'no article "zetas-reprot" in content/ (did you mean "zetas-report"?)' in err
    assert not (site / "annotations").exists()


def test_a_slug_that_is_a_path_writes_nothing(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", SITE)
    code, out, err = run_cli("new", "../zetas-report", "--site", site)
    assert code == 2 and "'../zetas-report' is a path: give an article's slug" in err
    assert not (tmp_path / "zetas-report.yaml").exists()


def test_an_article_s_path_is_wrong_usage_that_names_its_slug(tmp_path, make_site, run_cli):
    site = make_site(tmp_path / "site", SITE)
    code, out, err = run_cli("new", "content/zetas-report.txt", "--site", site)
    assert code == 2 and "'content/zetas-report.txt' is a path" in err and '(did you mean "zetas-report"?)' in err
    assert not (site / "annotations").exists()


def test_a_name_that_is_not_a_slug_is_wrong_usage_and_names_the_slug_meant(tmp_path, make_site, run_cli):
    site = make_site(tmp_path, SITE)
    code, out, err = run_cli("new", "Zetas Report", "--site", site)
    assert code == 2
    assert '"Zetas Report" is not a slug' in err and '(did you mean "zetas-report"?)' in err
    assert not (site / "annotations").exists()


def test_nonexistent_site_is_wrong_usage(tmp_path, run_cli):
    code, out, err = run_cli("new", "x", "--site", tmp_path / "missing")
    assert code == 2


def test_uncommenting_the_example_gives_a_working_annotation(tmp_path, make_site, run_cli):
    """The scaffold's example is the obvious first step: uncommented, it must parse (and only ask
    for a quote that is really in the article)."""
    site = make_site(tmp_path, {**SITE, "content/zetas-report.txt": "Body with a passage copied from the article.\n"})
    assert run_cli("new", "zetas-report", "--site", site)[0] == 0
    path = site / "annotations" / "zetas-report.yaml"
    path.write_text(path.read_text().replace("  # - ", "  - ").replace("  #   ", "    "))
    model, problems = load_site(site)
    assert problems.items == []
    assert [a.id for a in model.article("zetas-report").annotations] == ["first-claim"]


def test_new_in_a_folder_that_is_no_site_says_so(tmp_path, make_site, run_cli, monkeypatch):
    """`glossator new a` from the repository's root, the site in site/: it said 'no article "a" in content/',
    as if the site had lost the article; now it says the folder is no site, as check and build do."""
    make_site(tmp_path / "repo" / "site", {"content/a.txt": "A\n\nText.\n"})
    monkeypatch.chdir(tmp_path / "repo")
    code, out, err = run_cli("new", "a")
    assert code == 1
    assert err.startswith("site.toml:1:1: error: no site here: . has neither site.toml nor content/"), err
    assert not (tmp_path / "repo" / "annotations").exists()
    assert run_cli("new", "a", "--site", "site")[0] == 0


def test_a_file_name_given_for_the_slug_names_the_slug_meant(tmp_path, make_site, run_cli):
    """SPEC 8 (`glossator new SLUG`): `glossator new a.txt` for content/a.txt is wrong usage (exit 2); a slug that
    short was too far from "a-txt" for a proposal, so the error named none. It now proposes "a"."""
    site = make_site(tmp_path, {"content/a.txt": "Officials say so.\n", "content/b.md": "# B\n"})
    for written, meant in (("a.txt", "a"), ("b.md", "b"), ("A.TXT", "a")):
        code, out, err = run_cli("new", written, "--site", site)
        assert code == 2 and f'"{written}" is not a slug' in err and f'(did you mean "{meant}"?)' in err, err
    assert not (site / "annotations").exists()


def test_a_title_with_characters_yaml_does_not_allow_raw_checks_clean(tmp_path, make_site, run_cli):
    """Judge63: an article's first line holding a control character (DEL, or the C1 codes a Windows-1252 text
    read as Latin-1 carries: \\x93 for a curly quote) made `new` write it raw, and `check` then refused the file
    ("YAML does not allow the character U+0093"); a line separator (U+2028) in a front matter's title, said in a
    comment, ended the comment: a syntax error. The new file checks clean, its title without the control
    characters (pages show them as U+FFFD)."""
    site = make_site(tmp_path, {"content/odd.txt": "Caf\u00e9 \x93menu\x94 \x7f cut\u2028again \x85 now\n\nBody.\n",
                                "content/odd-front.md": '---\ntitle: "A \\u2028C \\u2029D"\n---\nText.\n'})
    before, problems = load_site(site)
    assert problems.items == []
    assert run_cli("new", "odd", "--site", site)[0] == 0 and run_cli("new", "odd-front", "--site", site)[0] == 0
    model, problems = load_site(site)
    assert problems.items == []
    assert model.article("odd").title == "Caf\u00e9 menu cut again now"
    assert model.article("odd-front").title == before.article("odd-front").title == "A C D"
