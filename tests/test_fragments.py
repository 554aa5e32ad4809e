"""Links into the original (SPEC 9): a text fragment per note, the shortest unique one; the page links the original."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from tests.conftest import write_site

HERE = Path(__file__).parent

TEXT = """Alpha-beta, gamma & delta. Alpha-beta, gamma & epsilon.

The mayor said the plan was dead. The mayor said the plan was alive, and the plan was alive.
"""
LAYER = """article:
  url: https://example.com/notes?id=7#comments
annotations:
  - id: amp
    quote: "gamma & epsilon"
    note: one
  - id: dash
    quote: "Alpha-beta, gamma & epsilon"
    note: two
  - id: second
    quote: "the plan was alive"
    occurrence: 2
    note: three
  - id: across
    quote: "The mayor said the plan was dead. The mayor said"
    note: four
"""


def build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output


def links(page: Path) -> dict[str, str]:
    """note id -> href of its "in the original" link."""
    html = page.read_text()
    out = {}
    for m in re.finditer(r'<aside class="note" id="note-([^"]+)".*?</aside>', html, re.S):
        link = re.search(r'<p class="original-link"[^>]*><a href="([^"]+)"', m.group(0))
        out[m.group(1)] = unescape(link.group(1)) if link else None
    return out


def select(text: str, directive: str) -> list[str]:
    """What a browser would select for `text=…` in `text`: every match, case-insensitive, spaces collapsed."""
    parts = directive[len("text="):].split(",")
    prefix = unquote(parts.pop(0)[:-1]) if parts[0].endswith("-") else ""
    suffix = unquote(parts.pop()[1:]) if parts[-1].startswith("-") else ""
    start, end = unquote(parts[0]), unquote(parts[1]) if len(parts) > 1 else ""
    flat = " ".join(text.split())
    term = lambda t: r"(?<!\w)" + re.escape(t) + r"(?!\w)"
    pattern = (re.escape(prefix) + r"\s*" if prefix else "") + "(" + term(start) + (
        r".*?" + term(end) if end else "") + ")" + (r"\s*" + re.escape(suffix) if suffix else "")
    return [m.group(1) for m in re.finditer(pattern, flat, re.I)]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    root = tmp_path_factory.mktemp("frag")
    site = write_site(root / "site", {"content/notes.txt": TEXT, "annotations/notes.yaml": LAYER})
    build(site, root / "out")
    return root / "out/articles/notes/index.html"


def test_each_note_links_its_passage_in_the_original_shortest_and_unique(page):
    found = links(page)
    assert found == {
        "amp": "https://example.com/notes?id=7#:~:text=gamma%20%26%20epsilon",
        "dash": "https://example.com/notes?id=7#:~:text=delta.-,Alpha%2Dbeta%2C,epsilon",
        "second": "https://example.com/notes?id=7#:~:text=and-,the,alive",
        "across": "https://example.com/notes?id=7#:~:text=The%20mayor%20said,said",
    }
    quotes = {"amp": "gamma & epsilon", "dash": "Alpha-beta, gamma & epsilon", "second": "the plan was alive",
              "across": "The mayor said the plan was dead. The mayor said"}
    for note, href in found.items():
        directive = href.partition("#:~:")[2]
        assert select(TEXT, directive) == [quotes[note]], note
        for part in directive[len("text="):].split(","):
            assert not re.search(r"[&\s]|(?<=.)-(?=.)", part.strip("-")), f"{part} is not percent-encoded"


def test_the_page_links_the_original(page):
    html = page.read_text()
    assert '<a href="https://example.com/notes?id=7#comments" rel="nofollow">Original</a>' in html


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "out"
    build(HERE / "sites" / "export", out)
    return out


def test_fragments_in_a_richer_article_select_exactly_their_passage(export):
    text = (HERE / "sites/export/content/claims.txt").read_text()
    found = links(export / "articles/claims/index.html")
    assert found["officials-said"] == "https://news.example.com/2024/border-gangs?ref=home#:~:text=officials%20said,-%2C"
    assert found["closed"] == "https://news.example.com/2024/border-gangs?ref=home#:~:text=and-,officials,season"
    quotes = {a["id"]: a["quote"] for a in yaml.safe_load((HERE / "sites/export/annotations/claims.yaml").read_text())["annotations"]}
    for note, href in found.items():
        assert select(text, href.partition("#:~:")[2]) == [" ".join(quotes[note].split())], note


def test_without_the_original_url_there_is_no_link(export):
    assert set(links(export / "articles/answer/index.html").values()) == {None}
    assert ">Original</a>" not in (export / "articles/answer/index.html").read_text()


def test_every_fragment_of_the_repo_site_selects_exactly_its_passage(tmp_path):
    """The repo's articles with an original URL: each note's link, matched as a browser would, selects its passage."""
    build(HERE.parent, tmp_path / "out")
    checked = 0
    for layer in sorted((HERE.parent / "annotations").glob("*.yaml")):
        data = yaml.safe_load(layer.read_text())
        if not data.get("article", {}).get("url"):
            continue
        slug = layer.stem
        text = (HERE.parent / "content" / f"{slug}.txt").read_text()
        body = data["article"].get("body")
        if body:
            text = text[text.index(body["start"]) : text.index(body["end"]) + len(body["end"])]
        found = links(tmp_path / f"out/articles/{slug}/index.html")
        for item in data["annotations"]:
            if "id" not in item or item.get("occurrence") or item.get("prefix"):
                continue
            (selected,) = select(text, found[item["id"]].partition("#:~:")[2])
            assert selected == " ".join(str(item["quote"]).split()), (slug, item["id"])
            checked += 1
    assert checked >= 20


def test_a_fragment_is_unique_in_the_whole_original_not_only_the_body(tmp_path):
    """The original page has its title and furniture around the body: "deal", unique in the body,
    is also in the title, so the link needs more to land on the passage."""
    text = "Harbour deal signed\n\nSign up for our newsletter.\n\nThe harbour deal was signed at dawn.\n"
    site = write_site(tmp_path / "site", {
        "content/h.txt": text,
        "annotations/h.yaml": 'article:\n  url: https://example.com/h\n  body:\n    start: "The harbour"\n'
                              '    end: "at dawn."\nannotations:\n  - id: deal\n    quote: deal\n    note: Which deal?\n'})
    build(site, tmp_path / "out")
    href = links(tmp_path / "out/articles/h/index.html")["deal"]
    assert select(text, href.split("#:~:")[1]) == ["deal"]  # one match in the whole page
    assert href != "https://example.com/h#:~:text=deal"


@pytest.mark.parametrize("body", ["", " ", "  ", "a", " a ", "a  b", "a\nb", "a\n\nb", "a\tb", "a\xa0b", "a\u3000b",
                                  "a\r\nb", "\n a \n", "İ  Σ\x1cx", "a\u200bb \xad c", "a \n\t b",
                                  # lowered as bytes where only ASCII changes case (quotes, é), else by str.lower
                                  "\u201cThe   PLAN\u201d \n\nÉTÉ été", "ΑΣ ΒΣ\n\nσ", "\u212a  K", "A\x7fB  C", "A \ud800  B"])
def test_the_searched_text_is_the_body_collapsed_and_lowercase(body):
    from builder.render.fragments import Haystack

    hay = Haystack("<" + body + ">", 1, len(body) + 1)
    assert hay.text == re.sub(r"\s+", " ", body).lower()
    assert [hay.position(1 + j) for j in (0, len(body))] == [0, len(hay.text)]


def test_a_part_is_encoded_as_quote_writes_it_with_dash_and_tilde_too():
    from urllib.parse import quote

    from builder.render.fragments import encode

    for part in [chr(c) for c in range(160)] + ["Alpha-beta, gamma & delta.", "50% off~ #1/2?", "“sudden” İ 日本"]:
        assert encode(part) == quote(part, safe="").replace("-", "%2D").replace("~", "%7E"), part


@pytest.mark.parametrize("part", ["", "a", "Alpha-beta, gamma & delta.", "a_b.c~d", "“sudden”", "日本語 ٣", "😀 İ"])
def test_a_parts_length_is_counted_as_it_would_be_encoded(part):
    from builder.render.fragments import _encoded_length, encode

    assert _encoded_length(part) == len(encode(part))
    # a form's length is summed word by word: each added word takes itself and "%20"
    words = part.split()
    assert len(encode(" ".join(words))) == sum(_encoded_length(word) for word in words) + 3 * max(len(words) - 1, 0)


@pytest.mark.parametrize("text", [
    "The other theatre: the end.the end. The END, the.end the",  # a word inside longer ones; glued to a prefix
    "İstanbul istanbul İSTANBUL; İ i̇ İ",  # "İ" lowercases to two characters
    "東京都東京 東京 京都東京",  # an unspaced script: a word is whole only at its edges
    "x-y x - y x-y. x-y.x-y",  # punctuation inside and between words
    "A passage, repeated. A passage, repeated. A passage, repeated.",  # word for word
])
def test_a_word_is_found_whole_right_after_its_prefix_or_before_its_suffix(text):
    """The haystack's matchers against the definition: every place the word occurs with no letter or
    digit joined on at either edge, right after the prefix or before the suffix (one space between, or none)."""
    from builder.render.fragments import Haystack

    hay = Haystack(text, 0, len(text))
    flat = hay.text
    pieces = sorted({w.strip(".,;:") or w for w in flat.split()}
                    | {"the", "end", "end.", "the,", "東京", "京", "i̇", "x", "y", "-"})

    def places(left: str, word: str, right: str) -> list[int]:
        found = set()
        for joint in (" ", ""):
            needle = left + joint + word if left else word + joint + right if right else word
            skip = len(left + joint) if left else 0
            found |= {at + skip for at in range(len(flat)) if flat.startswith(needle, at)}
        edge = lambda i: 0 < i < len(flat) and flat[i - 1].isalnum() and flat[i].isalnum()
        return sorted(at for at in found if not edge(at) and not edge(at + len(word)))

    for word in pieces:
        for left, right in [("", "")] + [(p, "") for p in pieces] + [("", p) for p in pieces]:
            expected = places(left, word, right)
            for at in range(0, len(flat) + 1, 3):
                later = [p for p in expected if p >= at]
                assert hay._next(left, word, right, at) == (later[0] if later else None), (left, word, right, at)
                assert hay._next(left, word, right, at, at + 4) == (later[0] if later and later[0] <= at + 4 else None)
            if not left:
                assert hay._last(word, right) == (expected[-1] if expected else None), (word, right)


@pytest.mark.parametrize("indexed", [False, True])
def test_the_fragment_is_the_shortest_selecting_form_ties_by_string_order(indexed):
    """directive's best-first search against every form written out: the shortest (encoded) of those
    that select only the passage, ties by the string, on random passages of a text full of repeats."""
    import random
    from itertools import product
    from types import SimpleNamespace

    from builder.render import fragments as F

    rng = random.Random(7)
    vocab = ["the", "The", "plan", "was", "dead.", "alive,", "a-b", "x", "&", "é", "mayor"]
    paragraphs = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 14))) for _ in range(8)]
    text = "\n\n".join(paragraphs) + "\n"
    edges = [m.start() for m in re.finditer(r"\S+", text)], [m.end() for m in re.finditer(r"\S+", text)]
    anns = [SimpleNamespace(start=s, end=e) for s in edges[0] for e in edges[1] if s < e and rng.random() < 0.12]
    article = SimpleNamespace(text=text, body=(0, len(text)), meta=SimpleNamespace(publish=None),
                              annotations=anns * (64 if indexed else 1))
    config = SimpleNamespace(publish="full", excerpt_words=40)
    hay = F.Haystack(text, 0, len(text), indexed)
    assert len(anns) > 100
    for ann in anns:
        wanted = (hay.position(ann.start), hay.position(ann.end))
        blocks = F._PARAGRAPH.split(text[ann.start : ann.end])
        first, last = blocks[0].split(), blocks[-1].split()
        words = (F._words_before(text, 0, ann.start), first, last, F._words_after(text, ann.end, len(text)))
        na, nb = min(len(first), F.MAX_WORDS), min(len(last), F.MAX_WORDS)
        keys = [(0, 0, p, s) for p in range(len(words[0]) + 1) for s in range(len(words[3]) + 1)] if len(blocks) == 1 else []
        keys += [(a, b, p, s) for a, b, p, s in product(range(1, na + 1), range(1, nb + 1), range(len(words[0]) + 1), range(len(words[3]) + 1))
                 if len(blocks) > 1 or a + b <= len(last)]
        forms = [F._form(*parts) for key in keys for parts in [F._parts(*words, *key)]
                 if hay.selects_only(*(part.lower() for part in parts), wanted)]
        # none: repeated word for word, context and all; the whole passage (its first and last word if it spans
        # paragraphs), which browsers show at its first copy: where that copy is another one, no fragment
        fallback = F.encode(" ".join(first)) if len(blocks) == 1 else F.encode(first[0]) + "," + F.encode(last[-1])
        start = (" ".join(first) if len(blocks) == 1 else first[0]).lower()
        first_copy = min((at for at in range(len(hay.text)) if hay.text.startswith(start, at) and hay._whole(at, len(start))),
                         default=None)
        expected = (min(forms, key=lambda form: (len(form), form)) if forms
                    else fallback if first_copy == wanted[0] else None)
        got = F.directive(article, config, ann)
        assert got == (expected and "text=" + expected), text[ann.start : ann.end]


def test_a_paragraph_repeated_word_for_word_is_linked_at_its_first_copy_only():
    """No text fragment can select the second of two identical paragraphs (a term never crosses a paragraph break,
    and browsers show the first match): its note gets no link to the original rather than a link to the first copy."""
    from types import SimpleNamespace

    from builder.render import fragments as F

    text = "Alpha beta.\n\nZeta eta.\n\nGamma delta.\n\nZeta eta.\n"
    one, two = text.index("Zeta eta."), text.rindex("Zeta eta.")
    anns = [SimpleNamespace(start=one, end=one + 9), SimpleNamespace(start=two, end=two + 9)]
    article = SimpleNamespace(text=text, body=(0, len(text)), meta=SimpleNamespace(publish=None, url="https://example.com/a"),
                              annotations=anns)
    config = SimpleNamespace(publish="full", excerpt_words=40)
    assert F.fragment_link(article, config, anns[0]) == "https://example.com/a#:~:text=Zeta%20eta."
    assert F.fragment_link(article, config, anns[1]) is None
