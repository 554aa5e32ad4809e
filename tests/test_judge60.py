"""judge60: what an outsider met that was accepted in silence or said as another mistake (merge conflicts git
left in a site's files; the broken sites tests/broken/merge-conflict-* hold one per kind of file)."""
from __future__ import annotations

from builder.read.conflicts import conflicts

ARTICLE = "Officials say the bridge will close.\n"
LAYER = "annotations:\n  - quote: Officials say the bridge will close.\n    flags: [anonymous-source]\n"


def test_a_conflict_shown_in_a_markdown_code_block_is_the_articles_own_text(tmp_path, make_site, run_cli):
    """An article about git may show a conflict: in a fenced code block it is text, published as it is."""
    essay = ("# Merging\n\nA conflict looks so:\n\n```text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n```\n\n"
             "~~~~\n<<<<<<< HEAD\n```\n=======\n>>>>>>> b\n~~~~\n\nOfficials say the bridge will close.\n")
    site = make_site(tmp_path, {"content/a.md": essay, "annotations/a.yaml": LAYER})
    code, out, err = run_cli("build", site)
    assert code == 0, err
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; HEAD" in (site / "_site/articles/a/index.html").read_text()


def test_a_conflict_outside_the_code_block_of_a_markdown_article_is_said(tmp_path, make_site, run_cli):
    essay = "```\n<<<<<<< HEAD\n```\n\n<<<<<<< HEAD\nOfficials say the bridge will close.\n=======\nOfficials say.\n>>>>>>> b\n"
    site = make_site(tmp_path, {"content/a.md": essay, "annotations/a.yaml": LAYER})
    code, out, err = run_cli("check", site)
    assert code == 1
    assert "content/a.md:5:1: error: a git merge conflict is left here (lines 5-9," in err, err


def test_markers_that_make_no_conflict_are_text():
    """Only a whole conflict, `<<<<<<<` then `=======` then `>>>>>>>`, each at a line's start, as git writes it:
    a heading underlined with "=======", a quoted e-mail's ">>>>>>>" or eight "<" are no conflict."""
    assert conflicts("Title\n=======\n\n>>>>>>> forwarded\n") == []
    assert conflicts("<<<<<<<< HEAD\nx\n========\n>>>>>>>> b\n") == []
    assert conflicts("  <<<<<<< HEAD\nx\n=======\n>>>>>>> b\n") == []
    assert conflicts("<<<<<<< HEAD\nx\n>>>>>>> b\n") == []  # (no middle)
    assert conflicts("a\n<<<<<<<\nx\n=======\ny\n>>>>>>>\n<<<<<<< HEAD\n=======\n>>>>>>> b") == [
        (2, 6, "<<<<<<<", ">>>>>>>"), (7, 9, "<<<<<<< HEAD", ">>>>>>> b")]


def test_a_conflict_in_an_annotation_file_keeps_the_published_site_and_the_fix_builds(tmp_path, make_site, run_cli):
    """Said by build as by check, the published page kept as it was, and the resolved file built."""
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    assert run_cli("build", site)[0] == 0
    page = (site / "_site/articles/a/index.html").read_bytes()
    (site / "annotations/a.yaml").write_text(LAYER + "<<<<<<< HEAD\n    note: Ours.\n=======\n    note: Theirs.\n>>>>>>> b\n")
    code, out, err = run_cli("build", site)
    assert code == 1 and "annotations/a.yaml:4:1: error: a git merge conflict is left here" in err, err
    assert (site / "_site/articles/a/index.html").read_bytes() == page
    (site / "annotations/a.yaml").write_text(LAYER + "    note: Ours.\n")
    assert run_cli("build", site)[0] == 0
    assert "Ours." in (site / "_site/articles/a/index.html").read_text()


def test_an_article_that_is_a_link_into_the_built_site_is_refused(tmp_path, make_site, run_cli):
    """`content/home.txt -> ../_site/index.html` was read as an article: each build published the last one's page
    inside the next (never the same output twice from the same files), as static/ may not link a built site."""
    site = make_site(tmp_path, {"content/a.txt": ARTICLE, "annotations/a.yaml": LAYER})
    assert run_cli("build", site)[0] == 0
    (site / "content/home.txt").symlink_to("../_site/index.html")
    code, out, err = run_cli("check", site)
    assert code == 1
    assert 'content/home.txt:1:1: error: is a link to "../_site/index.html", into a built site (_site/)' in err, err
