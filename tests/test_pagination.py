"""Flag and tag pages hold at most 100 passages, then page/2/ and on; feeds keep the newest 50."""
from __future__ import annotations

import re

import pytest

ARTICLES = 55  # 55 articles × 3 passages = 165 rebuttal passages: a page of 100 and one of 65


def article_files(i: int) -> dict[str, str]:
    """Article sNN, published on day NN of 2020, with three sentences, each one a passage."""
    slug, day = f"s{i:02d}", f"2020-03-{i % 28 + 1:02d}" if i < 28 else f"2020-04-{i - 27:02d}"
    sentences = [f"Claim {k} of story {i} is disputed." for k in (1, 2, 3)]
    layer = [f"article:\n  published: {day}\nannotations:"]
    for k, sentence in enumerate(sentences, 1):
        layer.append(f"  - id: c{k}\n    quote: \"{sentence}\"\n    flags: [rebuttal]\n    tags: [Police]\n"
                     f"    note: Passage {k} of story {i}.")
    return {f"content/{slug}.txt": f"Story {i}\n\n" + "\n\n".join(sentences) + "\n",
            f"annotations/{slug}.yaml": "\n".join(layer) + "\n"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import invoke, write_site

    files = {"site.toml": 'title = "Paged"\nbase_url = "https://example.org/r/"\n'}
    for i in range(1, ARTICLES + 1):
        files.update(article_files(i))
    site = write_site(tmp_path_factory.mktemp("paged") / "site", files)
    code, out, err = invoke("build", site, "--no-cache")
    assert code == 0, err
    return site / "_site"


def passages(html: str) -> list[str]:
    """The permalinks of the passages a flag or tag page lists, in order."""
    return re.findall(r'<li class="passage-item">.*?<a href="([^"]+)">Read it in place', html, re.S)


@pytest.mark.parametrize("folder", ["flags/rebuttal", "tags/police"])
def test_passages_are_split_100_a_page_and_each_listed_once(built, folder):
    first = (built / folder / "index.html").read_text()
    second = (built / folder / "page/2/index.html").read_text()
    assert not (built / folder / "page/3").exists()
    assert not (built / folder / "page/1").exists()  # the first page is the folder's own index
    one, two = passages(first), passages(second)
    assert (len(one), len(two)) == (100, 65)
    assert len(set(one + two)) == ARTICLES * 3
    # newest first: story 55's passages open the first page, story 1's close the last
    assert one[0] == "/r/articles/s55/#c1" and two[-1] == "/r/articles/s01/#c3"


@pytest.mark.parametrize("folder", ["flags/rebuttal", "tags/police"])
def test_pages_link_both_ways(built, folder):
    first = (built / folder / "index.html").read_text()
    second = (built / folder / "page/2/index.html").read_text()
    assert f'<a rel="next" href="/r/{folder}/page/2/">Older passages' in first
    assert 'rel="prev"' not in first
    assert f'<a rel="prev" href="/r/{folder}/">' in second
    assert 'rel="next"' not in second
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert f'<a aria-current="page" href="/r/{folder}/page/2/">2</a>' in second


@pytest.mark.parametrize("folder, name", [("flags/rebuttal", "Rebuttal"), ("tags/police", "Police")])
def test_title_and_heading_say_which_page(built, folder, name):
    """Two pages of one flag do not share a title: a browser tab, a bookmark or a search result says
    which page it is, and so does the heading a screen reader lands on."""
    for path, number in ((f"{folder}/index.html", 1), (f"{folder}/page/2/index.html", 2)):
        html = (built / path).read_text()
        assert f"<title>{name}, page {number} of 2 · Paged</title>" in html
        heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
        assert heading.endswith(f"{name}, page {number} of 2")


def test_a_flag_on_one_page_has_no_page_number_in_its_title(built):
    html = (built / "flags/anonymous-source/index.html").read_text()
    assert "<title>Anonymous sourcing · Paged</title>" in html


def test_sitemap_lists_every_page(built):
    sitemap = (built / "sitemap.xml").read_text()
    for folder in ("flags/rebuttal", "tags/police"):
        assert f"<loc>https://example.org/r/{folder}/</loc>" in sitemap
        assert f"<loc>https://example.org/r/{folder}/page/2/</loc>" in sitemap


@pytest.mark.parametrize("feed", ["feed.xml", "flags/rebuttal/feed.xml"])
def test_feeds_keep_the_newest_50(built, feed):
    xml = (built / feed).read_text()
    entries = re.findall(r"<id>https://example.org/r/articles/(s\d+)/</id>", xml)
    assert len(entries) == 50
    assert entries[0] == "s55" and entries[-1] == "s06"  # s01 to s05, the oldest, are left out


def test_a_short_list_has_no_pager(built):
    # the anonymous-source flag has no passage at all: one page, no pager, no page/2
    html = (built / "flags/anonymous-source/index.html").read_text()
    assert 'class="pager"' not in html and "No passages yet." in html
    assert not (built / "flags/anonymous-source/page").exists()


def test_a_whole_article_on_a_flag_page_says_which_end_it_is(tmp_path, make_site, run_cli):
    """SPEC 6: pages say which end is which. A whole article rebutted or retracted reads "Rebutted" or
    "Retracted" on the flag's page; one that flags itself a rebuttal (a fact-check) reads as it is."""
    site = make_site(tmp_path / "site", {
        "site.toml": 'title = "T"\n',
        "content/claim.txt": "The bridge will open in May.\n",
        "content/withdrawn.txt": "A story later withdrawn.\n",
        "annotations/withdrawn.yaml": "article:\n  retracted:\n    date: 2025-01-10\n    reason: Wrong.\n",
        "content/check.txt": "Nothing supports the May date.\n",
        "annotations/check.yaml": "article:\n  flags: [rebuttal]\nannotations:\n  - quote: Nothing supports\n    rebuts: claim\n",
    })
    code, _, err = run_cli("build", site, "--out", tmp_path / "out")
    assert code == 0, err

    def whole(flag):
        page = (tmp_path / f"out/flags/{flag}/index.html").read_text()
        section = page.split('id="whole-articles"', 1)[1].split("</section>", 1)[0]
        return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li>(.*?)</li>", section, re.S)]

    assert whole("rebuttal") == ["The bridge will open in May. Rebutted", "Nothing supports the May date."]
    assert whole("retraction") == ["A story later withdrawn. Retracted"]
