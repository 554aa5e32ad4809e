"""`glossator build`: the published site as a reader and a link checker meet it."""
from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import output
from builder.anchoring import normalise
from builder.cli import main

HERE = Path(__file__).parent
SMALL = HERE / "sites" / "small"
REPO = HERE.parent


def build(*args):
    result = CliRunner().invoke(main, ["build", *map(str, args)])
    assert "Traceback" not in (result.output + (result.stderr or ""))
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Page(HTMLParser):
    """Collects what the tests look at: passage pieces, ids, links, scripts and attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.pieces: dict[str, list[str]] = {}
        self.first: dict[str, dict] = {}
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[dict] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("link", "img", "script") and ("href" in a or "src" in a):
            self.links.append(a.get("href") or a.get("src"))
        if tag == "script":
            self.scripts.append(a)
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        ann = a.get("data-annotation")
        if ann:
            self.pieces.setdefault(ann, []).append("")
            self.first.setdefault(ann, a)
        self.open.append(ann)

    def handle_endtag(self, tag):
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        for ann in {a for a in self.open if a}:
            self.pieces[ann][-1] += data

    def quote_of(self, ann: str) -> str:
        return normalise(" ".join(self.pieces[ann])).strip()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small") / "out"
    result = build(SMALL, "--out", out)
    assert result.exit_code == 0, result.output + result.stderr
    return out


def page(out: Path, path: str) -> Page:
    return Page((out / path).read_text("utf-8"))


def test_every_page_of_section_9(small):
    for path in ["index.html", "articles/gangs/index.html", "articles/reply/index.html", "flags/rebuttal/index.html",
                 "flags/sponsored/index.html", "tags/gangs/index.html", "feed.xml", "sitemap.xml",
                 "articles/gangs/annotations.jsonld", "404.html", "flags/retraction/feed.xml"]:
        assert (small / path).is_file(), path


def test_passage_pieces_join_to_the_quote_even_when_nested_and_overlapping(small):
    gangs = page(small, "articles/gangs/index.html")
    assert gangs.quote_of("unnamed") == "Officials who asked not to be named said the two gangs formed an alliance"
    assert gangs.quote_of("alliance") == "the two gangs formed an alliance last year. The alliance was sealed"
    assert gangs.quote_of("inner") == "gangs"
    # the overlap splits it, and so does the note reference of "inner", which starts inside it: a
    # reference (number and flag words, as text) is inside no passage's pieces
    assert len(gangs.pieces["alliance"]) == 3
    assert gangs.first["unnamed"]["id"] == "unnamed"
    assert gangs.first["unnamed"]["data-flags"] == "anonymous-source retraction"
    reply = page(small, "articles/reply/index.html")  # crosses bold and italic markup in Markdown
    assert reply.quote_of("no-evidence") == "no credible evidence of any such alliance, and the prison story cannot"


def test_page_furniture_outside_the_body_is_not_shown(small):
    html = (small / "articles/gangs/index.html").read_text()
    assert "Sign up for our newsletter" not in html
    assert "Officials who asked" in html


def test_cross_links_show_at_both_ends_with_the_other_passage_quoted(small):
    gangs = (small / "articles/gangs/index.html").read_text()
    reply = (small / "articles/reply/index.html").read_text()
    assert re.search(r'Rebutted by\s*<a href="/reading/articles/reply/#no-evidence"[^>]*><cite><bdi>A Reply: \*No\* Alliance</bdi></cite>: “<bdi>no credible evidence', gangs)
    assert re.search(r'Rebuts\s*<a href="/reading/articles/gangs/#alliance"[^>]*><cite><bdi>Gangs Unite, Officials Say</bdi></cite>: “<bdi>the two gangs', reply)
    assert re.search(r'Retracted by\s*<a href="/reading/articles/gangs/#disowned"[^>]*>“<bdi>the official quoted', gangs)
    assert "Supported by" in gangs
    # supporting a retracted passage carries a warning
    assert re.search(r"Warning: that passage was retracted.</strong> Supports", reply)
    # the summary box says who answers this article
    assert "Rebutted by 1 passage in 1 other article" in gangs


def test_index_counts_flags_and_marks_sponsored(small):
    html = (small / "index.html").read_text()
    assert "Gangs Unite, Officials Say" in html and "The Daily Example" in html
    assert 'data-flag="sponsored">Sponsored</span>' in html
    assert "2 articles · 6 annotations" in html


def test_every_internal_link_resolves_under_the_sub_path(small):
    pages = [p for p in small.rglob("*.html")]
    assert len(pages) >= 10
    for p in pages:
        parsed = Page(p.read_text("utf-8"))
        for href in parsed.links:
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            if href.startswith("#"):
                assert href[1:] in parsed.ids, f"{p}: {href}"
                continue
            assert href.startswith("/reading/"), f"{p}: {href} ignores the sub-path"
            path, _, fragment = href[len("/reading/"):].partition("#")
            target = small / path
            if path == "" or path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{p}: {href}"
            if fragment:
                assert fragment in Page(target.read_text("utf-8")).ids, f"{p}: {href}"


def test_feeds_and_sitemap_use_absolute_urls(small):
    feed = (small / "feed.xml").read_text()
    assert "<id>https://example.org/reading/articles/gangs/</id>" in feed
    sitemap = (small / "sitemap.xml").read_text()
    assert "<loc>https://example.org/reading/articles/reply/</loc>" in sitemap
    assert "<loc>https://example.org/reading/</loc>" in sitemap


def test_base_url_flag_overrides_site_toml(tmp_path):
    out = tmp_path / "out"
    assert build(SMALL, "--out", out, "--base-url", "https://other.example/x").exit_code == 0
    html = (out / "articles/gangs/index.html").read_text()
    assert 'href="/x/articles/reply/#no-evidence"' in html
    assert "https://other.example/x/feed.xml" in (out / "feed.xml").read_text()


def test_same_inputs_give_byte_identical_output(tmp_path):
    assert build(SMALL, "--out", tmp_path / "a").exit_code == 0
    assert build(SMALL, "--out", tmp_path / "b", "--no-cache").exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_no_dates_unless_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(SMALL, "--out", tmp_path / "a").exit_code == 0
    assert "<updated>2023-11-14T22:13:20Z</updated>" in (tmp_path / "a/feed.xml").read_text()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build(SMALL, "--out", tmp_path / "b").exit_code == 0
    assert "2023-11-14" not in (tmp_path / "b/feed.xml").read_text()


def copy_site(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SMALL, site)
    return site


def test_failed_build_leaves_the_previous_output_exactly(tmp_path):
    site = copy_site(tmp_path)
    out = site / "_site"
    assert build(site).exit_code == 0
    before = tree(out)
    layer = site / "annotations/gangs.yaml"
    layer.write_text(layer.read_text().replace("flags: [anonymous-source]", "flags: [anonymous]"))
    result = build(site)
    assert result.exit_code == 1
    assert "annotations/gangs.yaml:13:13: error: unknown flag" in result.stderr
    assert tree(out) == before


def test_interrupted_build_leaves_the_old_output_intact(tmp_path, monkeypatch):
    """The real writer, killed while rendering the fourth page: the old output stays, nothing is left over."""
    from builder.read.load import load_site
    from builder.render import ASSETS, PageJob, plan

    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    site = copy_site(tmp_path)
    out = site / "_site"
    assert build(site).exit_code == 0
    before = tree(out)
    (site / "content/gangs.txt").write_text((site / "content/gangs.txt").read_text() + "\nMore text.\n")
    model, _ = load_site(site)
    jobs = plan(model)

    def killed():
        raise KeyboardInterrupt

    jobs[3] = PageJob(jobs[3].path, jobs[3].deps, killed)
    with pytest.raises(KeyboardInterrupt):
        output.publish(site, out, jobs, output.static_files(site, ASSETS))
    assert tree(out) == before
    assert [p.name for p in site.iterdir() if p.name.startswith("._site.")] == []  # no lock file left either


def test_leftovers_of_a_killed_build_are_tidied_and_only_ours(tmp_path):
    site = copy_site(tmp_path)
    assert build(site).exit_code == 0
    ours = site / "._site.new-abc123_x"  # what a build killed with SIGKILL leaves: marked, named by us
    ours.mkdir()
    (ours / output.MARKER).write_text("")
    (ours / "index.html").write_text("half")
    foreign = site / "._site.new-mine0000"  # same name pattern, not marked: not ours to delete
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    backup = site / "._site.old-2026"  # marked (a copy of the output the user made), not named by us
    shutil.copytree(site / "_site", backup)
    (site / "content/gangs.txt").write_text((site / "content/gangs.txt").read_text() + "\nMore.\n")
    assert build(site).exit_code == 0
    assert not ours.exists()
    assert (foreign / "notes.txt").read_text() == "keep"
    assert (backup / output.MARKER).exists() and (backup / "index.html").exists()


def test_a_lock_file_the_build_did_not_make_is_kept(tmp_path):
    site = copy_site(tmp_path)
    lock = site / "._site.lock"
    lock.write_text("the user's\n")
    assert build(site).exit_code == 0
    assert lock.read_text() == "the user's\n"
    lock.unlink()
    lock.write_bytes(output.LOCK_TEXT)  # a build's, killed before it could remove it
    assert build(site, "--no-cache").exit_code == 0
    assert not lock.exists()


def test_the_swap_exchanges_old_and_new_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not output._exchange(a, b):
        pytest.skip("this file system has no RENAME_EXCHANGE; the build falls back to two renames")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_an_empty_folder_the_user_made_keeps_its_mode(tmp_path):
    site = copy_site(tmp_path)
    target = tmp_path / "www"
    target.mkdir()
    os.chmod(target, 0o750)
    assert build(site, "--out", target).exit_code == 0
    assert (target / "index.html").exists()
    assert target.stat().st_mode & 0o7777 == 0o750


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o077, 0o700), (0o002, 0o775)])
def test_a_new_output_folder_follows_the_umask_as_the_files_in_it_do(tmp_path, umask, mode):
    """Under umask 077 the pages were 0600 in a folder made 0755: private files in a folder that said otherwise."""
    site = copy_site(tmp_path)
    before = os.umask(umask)
    try:
        assert build(site, "--out", tmp_path / "www").exit_code == 0
    finally:
        os.umask(before)
    assert (tmp_path / "www").stat().st_mode & 0o7777 == mode
    assert (tmp_path / "www/index.html").stat().st_mode & 0o777 == 0o666 & ~umask


def test_two_builds_into_one_output_at_once_the_second_is_refused(tmp_path):
    site = copy_site(tmp_path)
    out = site / "_site"
    with output.locked(out.resolve()):
        result = build(site, "--no-cache")
    assert result.exit_code == 1
    assert "another build is writing" in result.stderr
    assert not out.exists()
    assert build(site, "--no-cache").exit_code == 0
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("._site")) == []  # no lock file left beside it


def test_a_lock_whose_file_was_removed_is_taken_again_on_a_new_file(tmp_path):
    out = (tmp_path / "out").resolve()
    with output.locked(out):
        lock = tmp_path / ".out.lock"
        assert lock.exists()
        fd = os.open(lock, os.O_RDWR)  # another build opened it just before the holder removed it
    try:
        with output.locked(out):  # taken on a new file, and the one that holds the old inode cannot also win
            assert (tmp_path / ".out.lock").exists()
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the old inode is free: holding it locks nothing
            assert os.stat(tmp_path / ".out.lock").st_ino != os.fstat(fd).st_ino
    finally:
        os.close(fd)
    assert not (tmp_path / ".out.lock").exists()


def test_refuses_a_folder_it_did_not_create(tmp_path):
    site = copy_site(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = build(site, "--out", precious)
    assert result.exit_code == 1
    assert "not made by Glossator" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"
    for target in (site, site / "content", tmp_path):
        assert build(site, "--out", target).exit_code == 1
    assert (site / "content/gangs.txt").exists()


def test_rebuild_replaces_only_its_own_output(tmp_path):
    site = copy_site(tmp_path)
    assert build(site).exit_code == 0
    assert (site / "_site" / output.MARKER).exists()
    assert build(site).exit_code == 0  # its own folder: replaced
    assert (site / "_site/index.html").exists()


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)'


def test_hostile_text_reaches_the_page_as_text(tmp_path):
    site = tmp_path / "evil"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text(f'title = {HOSTILE!r}\ndescription = {HOSTILE!r}\n'.replace("'", '"', 0))
    (site / "content/evil.txt").write_text(f"Intro {HOSTILE} text javascript:alert(4) here.\n")
    (site / "content/md.md").write_text(
        f"---\ntitle: '{HOSTILE}'\nsummary: '[x](javascript:alert(5))'\n---\n{HOSTILE}\n\n[link](javascript:alert(6)) "
        "[ok](JaVaScRiPt:alert(7)) <a href='javascript:alert(8)'>a</a> ![i](javascript:alert(9))\n")
    (site / "annotations/evil.yaml").write_text(
        "article:\n"
        f"  title: '{HOSTILE}'\n  author: '{HOSTILE}'\n  publication: '{HOSTILE}'\n"
        "  summary: '[x](javascript:alert(10)) <script>alert(11)</script>'\n"
        "annotations:\n"
        "  - quote: 'text javascript:alert(4)'\n"
        f"    note: '{HOSTILE} [y](javascript:alert(12)) [z](vbscript:x) [d](data:text/html,x)'\n"
        f"    by: '{HOSTILE}'\n"
        f"    tags: ['{HOSTILE}']\n"
        "    flags: [anonymous-source]\n")
    result = build(site, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    for p in (tmp_path / "out").rglob("*.html"):
        parsed = Page(p.read_text("utf-8"))
        own = ["/assets/glossator.js"] + (["/assets/search.js"] if p.parent.name == "search" else [])
        assert [s.get("src") for s in parsed.scripts] == own, p
        for tag, name, value in parsed.attrs:
            assert not name.startswith("on"), (p, tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (p, tag, name, value)
    article = (tmp_path / "out/articles/evil/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


def test_a_site_template_overrides_the_built_in_one(tmp_path):
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "base.html" %}{% block content %}<p>Lost at sea</p>{% endblock %}')
    assert build(site).exit_code == 0
    assert "Lost at sea" in (site / "_site/404.html").read_text()
    assert "Lost at sea" not in (site / "_site/index.html").read_text()


def test_a_misspelt_template_override_is_a_warning(tmp_path):
    """templates/articel.html overrides nothing and nothing includes it: the page stays the built-in
    one, and the build said nothing about why. A partial the site's own template includes is used."""
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/articel.html").write_text('{% extends "base.html" %}{% block content %}Mine{% endblock %}')
    (site / "templates/404.html").write_text('{% extends "base.html" %}{% block content %}{% include "lost.html" %}{% endblock %}')
    (site / "templates/lost.html").write_text("<p>Lost at sea</p>")
    (site / "templates/parts").mkdir()
    (site / "templates/parts/old.html").write_text("<p>Old</p>")
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 0
    assert ('templates/articel.html:1:1: warning: no page uses this template: it overrides no built-in template '
            '(did you mean "article.html"?) and no template extends, includes or imports it') in result.stderr
    assert ("templates/parts/old.html:1:1: warning: no page uses this template: it overrides no built-in template "
            "and no template extends, includes or imports it") in result.stderr  # a partial: no built-in is near it
    assert "lost.html" not in result.stderr and "404.html" not in result.stderr


def test_an_override_with_another_ending_than_html_is_a_warning(tmp_path):
    """templates/index.htm (or article.jinja) is no template: the page stayed the built-in one, and neither
    check nor build said a word. Other files (a README, a backup) are left alone."""
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    for name in ("index.htm", "article.jinja", "README.md", "index.html.bak"):
        (site / "templates" / name).write_text('{% extends "base.html" %}{% block content %}Mine{% endblock %}')
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 0
    said = [line for line in result.stderr.splitlines() if line.startswith("templates/")]
    assert said == ['templates/article.jinja:1:1: warning: not read: a template\'s name ends in .html (did you mean '
                    '"article.html"?)',
                    'templates/index.htm:1:1: warning: not read: a template\'s name ends in .html (did you mean '
                    '"index.html"?)'], said


def test_a_block_the_extended_template_does_not_have_is_a_warning(tmp_path):
    """A 404.html filling {% block main %}, which base.html does not have: Jinja drops it, and the page was empty
    without a word. A block inside another block of the template is its own, and shown: no warning."""
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "base.html" %}\n{% block title %}Lost{% endblock %}\n'
                                             '{% block main %}<p>Nothing here</p>{% endblock %}\n')
    (site / "templates/tag.html").write_text('{% extends "base.html" %}\n{% block contnet %}x{% endblock %}\n'
                                             '{% block content %}{% block inner %}y{% endblock %}{% endblock %}\n')
    # on a line after another tag: located at its own tag (it was said at column 1)
    (site / "templates/flag.html").write_text('{% extends "base.html" %}{% block contnt %}x{% endblock %}\n')
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "is not a block" in line]
    assert lines[0].startswith("templates/404.html:3:1: warning: {% block main %} is not a block of base.html or the "
                               "templates it extends, so what it holds is never shown (their blocks: "), lines
    assert "content" in lines[0]
    assert lines[2].startswith("templates/tag.html:2:1: warning: {% block contnet %} is not a block of base.html") and \
        '(did you mean "content"?)' in lines[2], lines
    assert lines[1].startswith("templates/flag.html:1:26: warning: {% block contnt %} is not a block of base.html"), lines
    assert len(lines) == 3 and "inner" not in result.stderr


def test_a_template_error_is_located(tmp_path):
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/tag.html").write_text("line one\n{% if %}\n")
    result = build(site)
    assert result.exit_code == 1
    assert "templates/tag.html:2:7: error: template error: Expected an expression" in result.stderr  # at %}
    (site / "templates/tag.html").write_text("ok\n  {{ tag.nothing.deeper }}\n")
    result = build(site)
    assert result.exit_code == 1
    assert "templates/tag.html:2:10: error: template error: 'dict object' has no attribute 'nothing'" in result.stderr


def _misspelt_article_template(site):
    """`site` with an article template of its own that names a field misspelt (article.titel), on line 2."""
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text('{% extends "base.html" %}{% block content %}\n'
                                                 "<h1>{{ article.titel }}</h1>{% endblock %}\n")
    return site


def test_a_build_says_every_template_error_once_with_the_field_meant(tmp_path):
    """Two templates that fail on every page: the build says each error once (not the first alone, nor once
    a page), and a misspelt field proposes the one meant."""
    site = _misspelt_article_template(copy_site(tmp_path))
    (site / "templates/tag.html").write_text("ok\n  {{ tag.nmae }}\n")
    result = build(site)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["templates/article.html:2:16: error: template error: 'dict object' has no attribute 'titel' "
                      '(did you mean "title"?)',
                      "templates/tag.html:2:10: error: template error: 'dict object' has no attribute 'nmae' "
                      '(did you mean "name"?)'], result.stderr
    assert "build failed: 2 error(s)" in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_templates_misspelt_field_is_said_with_the_annotations_mistakes(tmp_path, command):
    """SPEC 8: every problem at once. A site's own template that fails only when rendered (a misspelt field) is
    said in the same run as a mistake in an annotation file, not only once the annotations are fixed; a
    template of the site's that is fine says nothing, whatever half of the site loaded."""
    site = _misspelt_article_template(copy_site(tmp_path))
    (site / "templates/tag.html").write_text('{% extends "base.html" %}{% block content %}{{ tag.name }}{% endblock %}\n')
    layer = site / "annotations/reply.yaml"
    layer.write_text(layer.read_text().replace("rebuts: gangs#alliance", "rebuts: gangs#aliance"))
    result = CliRunner().invoke(main, [command, str(site)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ['annotations/reply.yaml:4:13: error: no annotation with id "aliance" in article "gangs" '
                      '(did you mean "alliance"?)',
                      "templates/article.html:2:16: error: template error: 'dict object' has no attribute 'titel' "
                      '(did you mean "title"?)'], result.stderr
    assert not (site / "_site").exists()


def test_summary_line(small, tmp_path):
    result = build(SMALL, "--out", tmp_path / "o")
    assert re.search(r"built 2 articles, 6 annotations, 4 flags in \d+\.\d+s "
                     r"\(search index \d+\.\d MB in \d+\.\d+s\) into .*o$", result.output.strip())


def test_the_repo_site_builds(tmp_path):
    result = build(REPO, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "site/articles/not-so-fast-zetas-ms13/index.html").read_text()
    assert "Rebuts" in html and "Retracted by" in html
    assert (tmp_path / "site/flags/sponsored/index.html").exists()


def test_check_reports_a_broken_site_template_without_writing(tmp_path):
    site = copy_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/flag.html").write_text("{% extends 'base.html' %}\n{% block content %}{{ }}{% endblock %}\n")
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert "templates/flag.html:2:23: error: template error" in result.stderr  # at the }} that ends nothing
    assert not (site / "_site").exists()


def test_a_retracted_article_is_marked_everywhere_and_links_its_notice(tmp_path):
    site = copy_site(tmp_path)
    layer = site / "annotations/gangs.yaml"
    layer.write_text(layer.read_text().replace("  flags: [sponsored]\n", "  flags: [sponsored]\n  retracted:\n"
                                               "    date: 2013-01-05\n    reason: The *sources* could not be confirmed.\n"
                                               "    notice: https://example.org/notice\n"))
    assert build(site).exit_code == 0
    out = site / "_site"
    article = (out / "articles/gangs/index.html").read_text()
    assert re.search(r"<strong>Retracted</strong> on <time datetime=\"2013-01-05\">", article)
    assert '<a href="https://example.org/notice">' in article
    assert "<em>sources</em> could not be confirmed" in article
    index = (out / "index.html").read_text()
    assert re.search(r'class="is-retracted".*?Gangs Unite.*?>Retracted</span>', index, re.S)
    flag_page = (out / "flags/anonymous-source/index.html").read_text()
    assert re.search(r"Gangs Unite, Officials Say</a>\s*<span class=\"badge\" data-flag=\"retraction\">Retracted</span>", flag_page)
    assert "gangs" in (out / "flags/retraction/feed.xml").read_text()


def test_without_base_url_feeds_are_path_absolute_and_build_warns(tmp_path):
    site = copy_site(tmp_path)
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace('base_url = "https://example.org/reading/"\n', ""))
    result = build(site)
    assert result.exit_code == 0
    assert "site.toml:1:1: warning: base_url has no host" in result.stderr
    assert "site.toml:1:1: warning: base_url has no host" in build(site).stderr  # an unchanged build says it again
    feed = (site / "_site/feed.xml").read_text()
    assert '<link href="/articles/gangs/"/>' in feed  # a reader's link: path-absolute
    assert "<id>tag:glossator,2026:/articles/gangs/</id>" in feed  # Atom's ids are IRIs: a path is none
    assert "<id>tag:glossator,2026:/feed.xml</id>" in feed
    assert "<loc>/articles/reply/</loc>" in (site / "_site/sitemap.xml").read_text()
    (site / "annotations/gangs.yaml").write_text('annotations:\n  - quote: "words it never had"\n    note: x\n')
    failed = build(site)  # a failed build says it too, as check does (it said only the error)
    assert failed.exit_code == 1 and "site.toml:1:1: warning: base_url has no host" in failed.stderr


def test_a_base_url_that_is_only_a_path_warns_too(tmp_path):
    site = copy_site(tmp_path)
    toml = site / "site.toml"
    text = toml.read_text().replace('base_url = "https://example.org/reading/"', 'base_url = "/reading/"')
    toml.write_text(text)
    line = text[: text.index("base_url")].count("\n") + 1
    result = build(site)
    assert result.exit_code == 0 and f"site.toml:{line}:1: warning: base_url has no host" in result.stderr
    assert "warning" not in build(site, "--base-url", "https://example.org/reading/").stderr


def test_a_base_url_option_without_a_host_is_named_as_the_option(tmp_path):
    """`--base-url /sub` on a site whose base_url has a host: the warning told the user to set base_url
    in site.toml, which was right already."""
    result = build(copy_site(tmp_path), "--base-url", "/sub/")
    assert result.exit_code == 0
    assert "site.toml:1:1: warning: --base-url has no host:" in result.stderr
    assert "give --base-url https://…/" in result.stderr and "set base_url" not in result.stderr


def test_control_characters_in_a_users_text_never_reach_a_page(tmp_path, make_site):
    """A raw file or a YAML escape can hold control characters HTML forbids: shown as U+FFFD."""
    site = make_site(tmp_path / "site", {
        "content/a.txt": "Title\x07\n\nThe mayor\x1b[31m said so.\n",
        "annotations/a.yaml": 'annotations:\n  - quote: "The mayor"\n    note: "Bell \\a and escape \\e here"\n',
    })
    assert build(site, "--out", tmp_path / "out").exit_code == 0
    for page in (tmp_path / "out").rglob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", text), page
    assert "Bell \ufffd and escape \ufffd here" in (tmp_path / "out/articles/a/index.html").read_text("utf-8")


def test_the_characters_html_forbids_are_found_in_a_pages_bytes_as_in_its_text():
    """html_bytes looks for them in the UTF-8 (quicker): every code point, alone and between letters, comes
    out as the regex over the text makes it; a lone surrogate as "?"."""
    from builder.render.plan import _NOT_HTML, html_bytes

    for c in map(chr, range(0x110000)):
        page = f"a{c}·“b"
        assert html_bytes(page) == _NOT_HTML.sub("\ufffd", page).encode("utf-8", "replace"), hex(ord(c))
    for n in (*range(30), 62, 63, 64, 65, 70):  # after n no-break spaces (each a \xc2 in UTF-8, as C1 controls are)
        for c in map(chr, range(0x7F, 0x100)):
            page = "a" + "\xa0" * n + c + "·b"
            assert html_bytes(page) == _NOT_HTML.sub("\ufffd", page).encode("utf-8", "replace"), (n, hex(ord(c)))


def test_a_build_killed_at_any_moment_leaves_the_old_output_whole(tmp_path):
    """SIGKILL at several moments of a rebuild (loading, writing pages, the search index, the swap): the
    published folder is always the old output or the new one, never a mix; the next build tidies up."""
    import signal
    import subprocess
    import sys
    import time

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "Killed"\n')
    for i in range(300):
        (site / "content" / f"a{i:03}.txt").write_text(f"Story {i}\n\nThe council met on day {i} and voted. " + "Then it rose. " * 80 + "\n")
        (site / "annotations" / f"a{i:03}.yaml").write_text(
            f"annotations:\n  - quote: met on day {i} and voted\n    flags: [anonymous-source]\n    note: Who says so?\n")
    command = [sys.executable, "-m", "builder", "build", str(site), "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    old = tree(site / "_site")
    started = time.monotonic()
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    took = time.monotonic() - started
    (site / "site.toml").write_text('title = "Killed, then built again"\n')
    for fraction in (0.2, 0.45, 0.7, 0.9):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = tree(site / "_site")
        assert now == old or b"Killed, then built again" in now["index.html"], f"killed at {fraction:.0%}: a mix"
        if now != old:  # it had finished: start again from the old output
            (site / "site.toml").write_text('title = "Killed"\n')
            assert subprocess.run(command, env=env, capture_output=True).returncode == 0
            old = tree(site / "_site")
            (site / "site.toml").write_text('title = "Killed, then built again"\n')
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    assert b"Killed, then built again" in tree(site / "_site")["index.html"]
    assert [p.name for p in site.iterdir() if p.name.startswith("._site")] == []  # leftovers tidied, no lock file


def test_a_site_with_warnings_is_not_built_again_unchanged_and_its_warnings_are_said_again(tmp_path):
    """A warning (here: two annotations whose derived ids are numbered) no longer makes every build a cold
    one: the unchanged build says it again, from the record of the last build."""
    site = copy_site(tmp_path)
    layer = site / "annotations/gangs.yaml"
    quote = re.search(r"quote: (.+)", layer.read_text()).group(1)
    layer.write_text(layer.read_text() + f"  - quote: {quote}\n    note: Said once.\n  - quote: {quote}\n    note: Said twice.\n")
    first = build(site)
    assert first.exit_code == 0 and "warning: 2 annotations here quote words that begin alike" in first.stderr
    again = build(site)
    assert again.exit_code == 0 and "unchanged:" in again.stdout
    warned = [line for line in again.stderr.splitlines() if "warning: 2 annotations" in line]
    assert warned == [line for line in first.stderr.splitlines() if "warning: 2 annotations" in line] and len(warned) == 2


def test_a_pages_file_is_where_pathlib_puts_it_and_an_unsafe_path_is_refused_as_before():
    """write_tree joins plain page paths as text: the same file as pathlib's join, for any path; an
    absolute path or one that climbs out of the output folder is still refused."""
    import random

    from builder.output import _target, safe_relative

    def by_pathlib(folder: Path, path: str):
        try:
            return os.fspath(folder / safe_relative(path))
        except ValueError as exc:
            return str(exc)

    def by_text(folder: Path, path: str):
        try:
            return _target(os.fspath(folder), folder, path)
        except ValueError as exc:
            return str(exc)

    rng = random.Random(5)
    pieces = ["a", "b", "/", ".", "..", "index.html", "é", " ", "//", "./"]
    paths = ["", ".", "..", "/", "a/", "/a", "a//b", "a/./b", "a/../b", "./a", "a/.", "a/..", "a..b/c", "...",
             "articles/x/index.html", *("".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(5000))]
    for folder in (Path("/srv/out"), Path("/"), Path("relative/out")):
        for path in paths:
            assert by_text(folder, path) == by_pathlib(folder, path), (folder, path)
    assert by_text(Path("/srv/out"), "../x") == "unsafe output path: ../x"


def test_static_files_are_copied_whole_and_a_pipe_put_in_place_of_one_is_refused_without_waiting(tmp_path):
    """output.copy_file, which copies static/ into the output (two opens and a stat a file, where shutil.copyfile
    made three times the system calls: a site with 5,000 images spent 0.3 s more): small and large files come out
    byte for byte, replacing what stands at the target, and a file swapped for a pipe after it was listed is an
    error naming it, at once (opening a pipe to read would wait for a writer that never comes)."""
    small, large = tmp_path / "small.css", tmp_path / "large.bin"
    small.write_bytes(b"body{}\n")
    large.write_bytes(os.urandom(3 << 20))
    for source in (small, large):
        target = tmp_path / f"out-{source.name}"
        target.write_bytes(b"a page that stood here")
        output.copy_file(source, str(target))
        assert target.read_bytes() == source.read_bytes()
    pipe = tmp_path / "swapped.css"
    os.mkfifo(pipe)
    with pytest.raises(OSError) as raised:
        output.copy_file(pipe, str(tmp_path / "out-swapped.css"))
    assert raised.value.filename == str(pipe)
