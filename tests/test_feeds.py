"""Atom feeds as a feed validator reads them (RFC 4287): absolute ids and links when base_url has a host,
<published> per dated entry."""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from click.testing import CliRunner

from builder.cli import main

HERE = Path(__file__).parent
ATOM = "{http://www.w3.org/2005/Atom}"


def build(site: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(out), "--no-cache", *extra])
    assert result.exit_code == 0, result.output
    return result


def feeds(out: Path) -> list[Path]:
    return [out / "feed.xml", *sorted(out.glob("flags/*/feed.xml"))]


def check_feed(path: Path, host: str) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, (path, required)
    urls = [e.text for e in root.iter(f"{ATOM}id")] + [e.get("href") for e in root.iter(f"{ATOM}link")]
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == host, (path, url)
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, (path, required)
    return entries


def test_ids_and_links_are_absolute_and_entries_say_when_they_were_published(tmp_path):
    out = tmp_path / "out"
    build(HERE / "sites" / "small", out)
    for path in feeds(out):
        check_feed(path, "example.org")
    entries = {e.find(f"{ATOM}id").text: e for e in check_feed(out / "feed.xml", "example.org")}
    published = {k: e.find(f"{ATOM}published").text for k, e in entries.items()}
    assert published == {"https://example.org/reading/articles/reply/": "2012-11-01T00:00:00Z",
                         "https://example.org/reading/articles/gangs/": "2012-10-24T00:00:00Z"}
    for e in entries.values():  # updated is never before published
        assert e.find(f"{ATOM}updated").text >= e.find(f"{ATOM}published").text


def test_the_repo_site_built_with_a_host_has_absolute_feeds(tmp_path):
    out = tmp_path / "out"
    build(HERE.parent, out, "--base-url", "https://reading.example.net/zetas/")
    entries = check_feed(out / "feed.xml", "reading.example.net")
    assert len(entries) == 5
    for path in feeds(out):
        check_feed(path, "reading.example.net")
    assert re.findall(r"<loc>(https://reading\.example\.net/zetas/)</loc>", (out / "sitemap.xml").read_text())


def test_an_undated_article_has_no_published(tmp_path, make_site):
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/undated.txt": "A text with no date.\n",
        "annotations/undated.yaml": "annotations:\n  - quote: no date\n    note: Undated.\n",
    })
    build(site, tmp_path / "out")
    (entry,) = check_feed(tmp_path / "out/feed.xml", "example.org")
    assert entry.find(f"{ATOM}published") is None


def test_an_undated_article_is_updated_when_the_site_last_was_not_in_1970(tmp_path, make_site):
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/undated.txt": "A text with no date.\n",
        "content/dated.txt": "A dated text.\n",
        "annotations/dated.yaml": "article:\n  published: 2024-05-06\nannotations:\n  - quote: dated\n    note: x\n    date: 2024-05-08\n",
    })
    build(site, tmp_path / "out")
    stamps = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text for e in check_feed(tmp_path / "out/feed.xml", "example.org")}
    assert stamps == {"A text with no date.": "2024-05-08T00:00:00Z", "A dated text.": "2024-05-08T00:00:00Z"}


def test_a_retraction_updates_its_entry_and_the_feed(tmp_path, make_site):
    """A reader of the feed learns of a retraction: it is the entry's latest change (RFC 4287 `updated`)."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/withdrawn.txt": "A story later withdrawn.\n",
        "annotations/withdrawn.yaml": "article:\n  published: 2024-05-06\n  retracted:\n    date: 2025-01-10\n    reason: Wrong.\n",
        "content/other.txt": "Another story.\n",
        "annotations/other.yaml": "article:\n  published: 2024-09-01\n",
    })
    build(site, tmp_path / "out")
    root = ET.parse(tmp_path / "out/feed.xml").getroot()
    stamps = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text for e in check_feed(tmp_path / "out/feed.xml", "example.org")}
    assert stamps == {"A story later withdrawn.": "2025-01-10T00:00:00Z", "Another story.": "2024-09-01T00:00:00Z"}
    assert root.find(f"{ATOM}updated").text == "2025-01-10T00:00:00Z"


def test_a_base_url_with_letters_outside_ascii_gives_urls_as_the_sitemap_protocol_asks(tmp_path, make_site):
    """The sitemap protocol (and Atom's ids, for readers that compare them byte for byte) want URLs
    escaped: the path's `é` as `%C3%A9`, the host in IDNA, as the tag slugs already were."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://exämple.org/lés/"\n',
        "content/a.txt": "Text about cartels.\n",
        "annotations/a.yaml": "annotations:\n  - quote: cartels\n    note: x\n    tags: [Лос Сетас]\n",
    })
    build(site, tmp_path / "out")
    locs = re.findall(r"<loc>(.*?)</loc>", (tmp_path / "out/sitemap.xml").read_text("utf-8"))
    assert "https://xn--exmple-cua.org/l%C3%A9s/articles/a/" in locs
    assert all(loc.isascii() for loc in locs), locs
    check_feed(tmp_path / "out/feed.xml", "xn--exmple-cua.org")
    page = (tmp_path / "out/articles/a/index.html").read_text("utf-8")
    assert 'href="/l%C3%A9s/tags/%D0%BB%D0%BE%D1%81-%D1%81%D0%B5%D1%82%D0%B0%D1%81/"' in page
    assert "/lés/" not in page


def test_links_in_a_summary_are_absolute_in_the_feed(tmp_path, make_site):
    """A feed reader shows a summary away from the site: its relative links and images, which pages
    give path-absolute (`/reading/articles/b/`), come as absolute URLs under base_url (audit16)."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/reading/"\n',
        "content/a.txt": "Text about cartels.\n",
        "content/b.txt": "Another text.\n",
        "static/articles/a/map.png": "png",
        "annotations/a.yaml": "article:\n  summary: 'See [the other one](../b/#x), [elsewhere](https://example.net/z) "
                              "and ![a map](map.png).'\nannotations:\n  - quote: cartels\n    note: x\n",
    })
    build(site, tmp_path / "out")
    (entry,) = [e for e in check_feed(tmp_path / "out/feed.xml", "example.org") if e.find(f"{ATOM}summary").get("type") == "html"]
    summary = entry.find(f"{ATOM}summary").text
    assert re.findall(r'(?:href|src)="([^"]*)"', summary) == [
        "https://example.org/reading/articles/b/#x", "https://example.net/z", "https://example.org/reading/articles/a/map.png"]
    index = (tmp_path / "out/index.html").read_text()
    assert 'href="/reading/articles/b/#x"' in index  # pages keep path-absolute links


def test_feed_text_keeps_every_character_xml_allows_and_no_other():
    """XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], over every
    code point (vertical tab and form feed read as spaces)."""
    from builder.render.feeds import xml_text

    def allowed(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF

    text = "".join(map(chr, range(0x110000)))
    expected = "".join(" " if c in (0xB, 0xC) else chr(c) for c in range(0x110000) if allowed(c) or c in (0xB, 0xC))
    escaped = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert xml_text(text) == escaped


def test_the_sitemap_lists_the_pages_of_static_too(tmp_path, make_site):
    """SPEC 9: the sitemap lists every page. An about page kept in static/ (about/index.html,
    contact.html) was published but left out of it; static/'s other files, and 404.html, are not pages."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/r/"\n',
        "content/a.txt": "Text about cartels.\n",
        "static/about/index.html": "<!DOCTYPE html><title>About</title>\n",
        "static/contact us.html": "<!DOCTYPE html><title>Contact</title>\n",
        "static/404.html": "<!DOCTYPE html><title>Lost</title>\n",
        "static/img/logo.png": b"\x89PNG\r\n",
    })
    assert build(site, tmp_path / "out").exit_code == 0
    locs = re.findall(r"<loc>(.*?)</loc>", (tmp_path / "out/sitemap.xml").read_text("utf-8"))
    assert "https://example.org/r/about/" in locs and "https://example.org/r/contact%20us.html" in locs
    assert "https://example.org/r/articles/a/" in locs
    assert not [loc for loc in locs if "404" in loc or "logo" in loc or "assets" in loc]
    assert len(locs) == len(set(locs))


def test_the_feed_is_never_updated_before_its_newest_entry(tmp_path, make_site):
    """In git, an undated article's entry is updated when git last saw it change (today, say), while the feed took
    only the dated articles' dates (a year ago): a reader's feed said it had not changed since before its newest
    entry (RFC 4287: a feed's `updated` is when it last changed). The feed's date is now its newest entry's."""
    import subprocess

    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/undated.txt": "A text with no date.\n",
        "content/dated.txt": "A dated text.\n",
        "annotations/dated.yaml": "article:\n  published: 2024-05-06\nannotations:\n  - quote: dated\n    note: x\n",
    })
    env = {"GIT_AUTHOR_DATE": "2025-03-04T12:00:00Z", "GIT_COMMITTER_DATE": "2025-03-04T12:00:00Z",
           "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=site, env=env, check=True)
    build(site, tmp_path / "out")
    root = ET.parse(tmp_path / "out/feed.xml").getroot()
    stamps = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text for e in check_feed(tmp_path / "out/feed.xml", "example.org")}
    assert stamps == {"A text with no date.": "2025-03-04T00:00:00Z", "A dated text.": "2024-05-06T00:00:00Z"}
    assert root.find(f"{ATOM}updated").text == "2025-03-04T00:00:00Z"


def test_a_whole_article_s_category_says_which_end_it_is_and_an_empty_flag_feed_is_as_new_as_the_site(tmp_path, make_site):
    """SPEC 6: both ends of a `rebuts` carry `rebuttal`, but say which end they are: an article rebutted as a whole
    is categorised "Rebutted", a retracted one "Retracted" (the label was "Rebuttal" for either end). A flag's feed
    with no entry yet was updated in 1970; it is now as new as the site's newest date."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/claim.txt": "The bridge will open in May.\n",
        "annotations/claim.yaml": "article:\n  published: 2024-05-06\n  retracted:\n    date: 2025-01-10\n    reason: Wrong.\n",
        "content/answer.txt": "Nothing supports the May date.\n",
        "annotations/answer.yaml": "article:\n  published: 2024-09-01\nannotations:\n  - quote: Nothing supports\n    rebuts: claim\n",
    })
    build(site, tmp_path / "out")
    entries = {e.find(f"{ATOM}title").text: e for e in check_feed(tmp_path / "out/feed.xml", "example.org")}
    labels = {(c.get("term"), c.get("label")) for c in entries["The bridge will open in May."].iter(f"{ATOM}category")}
    assert labels == {("retraction", "Retracted"), ("rebuttal", "Rebutted")}
    assert not list(entries["Nothing supports the May date."].iter(f"{ATOM}category"))  # its passage rebuts: no article flag
    empty = tmp_path / "out/flags/anonymous-source/feed.xml"
    assert check_feed(empty, "example.org") == []
    assert ET.parse(empty).getroot().find(f"{ATOM}updated").text == "2025-01-10T00:00:00Z"
