"""Weaving is near-linear in passages per article, and gives the same bytes as the old weaver
(tests/weave/reference.py, quadratic, kept as the reference)."""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from builder.read.text import markdown_flow, text_flow
from builder.render.weave import Span, weave

sys.path.insert(0, str(Path(__file__).parent / "weave"))
from reference import weave as reference_weave  # noqa: E402

TEXT = ("Officials said the gangs met. A second sentence follows, with http://example.org/x in it.\n"
        "A line break stays.\n\nA new paragraph about the border. It has *no* markup in raw text.\n\n"
        "Third paragraph: the cartel denied it; sources disagreed.\n")
MARKDOWN = ("# A title\n\nOfficials *said* the gangs **met** at [the border](https://example.org/).\n\n"
            "- a list item\n- another *item* here\n\n> A quote block with `code` in it.\n\nLast paragraph.\n")


def random_spans(rng: random.Random, length: int, n: int) -> list[Span]:
    spans = []
    for i in range(n):
        a = rng.randrange(0, length - 1)
        b = rng.randrange(a + 1, min(length, a + rng.choice([3, 10, 40, 200])) + 1)
        spans.append(Span(f"s{i}", a, b, i + 1, tuple(rng.sample(["rebuttal", "retraction"], rng.randrange(3)))))
    return spans


def as_bytes(woven) -> list:
    return [(w.html, w.notes) for w in woven]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("kind", ["txt", "md"])
def test_same_bytes_as_the_reference(kind, seed):
    flow = text_flow(TEXT) if kind == "txt" else markdown_flow(MARKDOWN)
    rng = random.Random(seed)
    spans = random_spans(rng, len(flow.text), rng.randrange(1, 25))
    assert as_bytes(weave(flow.text, flow.blocks, spans)) == as_bytes(reference_weave(flow.text, flow.blocks, spans))


def big_article(n: int):
    sentences = [f"Sentence {i} says the gangs met on day {i}." for i in range(n)]
    text = "\n\n".join(" ".join(sentences[i : i + 20]) for i in range(0, n, 20)) + "\n"
    spans, pos = [], 0
    for i, s in enumerate(sentences):
        pos = text.index(s, pos)
        end = pos + len(s) + (40 if i % 10 == 9 else 0)  # some run into the next sentence or paragraph
        spans.append(Span(f"p{i}", pos, min(end, len(text)), i + 1, ("rebuttal",)))
    return text, text_flow(text), spans


def test_many_passages_weave_in_near_linear_time():
    """10,000 passages took 9.2 s with the quadratic weaver; near-linear, the 10x larger article
    costs about 10x the smaller one, not 100x."""
    times = {}
    for n in (1_000, 10_000):
        text, flow, spans = big_article(n)
        best = float("inf")
        for _ in range(3):  # the best of three, in CPU time: a busy machine slows a run, never speeds one up
            started = time.process_time()
            weave(text, flow.blocks, spans)
            best = min(best, time.process_time() - started)
        times[n] = best
    assert times[10_000] < 30 * max(times[1_000], 0.005), times  # quadratic would be about 100x


def test_the_big_article_is_the_same_as_the_reference():
    text, flow, spans = big_article(600)
    assert as_bytes(weave(text, flow.blocks, spans)) == as_bytes(reference_weave(text, flow.blocks, spans))


# anchoring many quotes in one article: an index of the text instead of one scan per quote

def test_the_gram_index_finds_what_a_scan_finds():
    from builder.anchoring import GramIndex, find_all, norm_text

    rng = random.Random(7)
    words = ["the", "gangs", "met", "said", "border", "x", "aa", "aaa"]
    text = " ".join(rng.choice(words) for _ in range(3000))
    norm = norm_text(text)
    index = GramIndex(norm.text)
    for _ in range(400):
        a = rng.randrange(len(norm.text) - 30)
        needle = norm.text[a : a + rng.randrange(8, 30)]
        lo = rng.randrange(0, a + 1)
        hi = rng.randrange(a, len(norm.text) + 1)
        assert find_all(norm, needle, lo, hi, index) == find_all(norm, needle, lo, hi), (needle, lo, hi)
    assert index.find_all("not in the text at all", 0, len(norm.text)) == []


def test_many_quotes_anchor_in_near_linear_time(tmp_path, make_site):
    """10,000 quotes in one article: each used to scan the whole text (quotes x text). Near-linear,
    ten times the quotes in a ten times longer article cost about ten times as much, not a hundred."""
    from builder.read.load import load_site

    def anchor_all(n: int, where) -> float:
        sentences = [f"Sentence {i} says the gangs met on day {i}." for i in range(n)]
        text = "\n\n".join(" ".join(sentences[i : i + 20]) for i in range(0, n, 20)) + "\n"
        layer = "annotations:\n" + "".join(f'  - quote: "{s}"\n    prefix: "{i - 1}."\n    note: n\n'
                                           for i, s in enumerate(sentences) if i)
        site = make_site(where, {"content/big.txt": text, "annotations/big.yaml": layer})
        started = time.process_time()
        model, problems = load_site(site)
        elapsed = time.process_time() - started
        assert not problems.errors, problems.errors[:3]
        assert len(model.articles[0].annotations) == n - 1
        return elapsed

    small, large = anchor_all(1_000, tmp_path / "small"), anchor_all(10_000, tmp_path / "large")
    assert large < 30 * max(small, 0.01), (small, large)  # quadratic would be about 100x


def test_many_passages_get_their_text_fragments_in_near_linear_time(tmp_path, make_site):
    """10,000 passages in one article with its original's URL: each text fragment used to cut and
    split the whole text before its passage, and to check every "Sentence" for each prefix tried
    (42 s); near-linear, ten times the passages cost about ten times as much, not a hundred."""
    from builder.read.load import load_site
    from builder.render.fragments import directive

    def fragments_of(n: int, where) -> float:
        sentences = [f"Sentence {i} says the gangs met on day {i}." for i in range(n)]
        text = "\n\n".join(" ".join(sentences[i : i + 20]) for i in range(0, n, 20)) + "\n"
        layer = "article:\n  url: https://example.org/big\nannotations:\n" + "".join(
            f'  - quote: "{s}"\n    note: n\n' for s in sentences[1:])
        model, problems = load_site(make_site(where, {"content/big.txt": text, "annotations/big.yaml": layer}))
        article = model.articles[0]
        started = time.process_time()
        found = [directive(article, model.config, ann) for ann in article.annotations]
        elapsed = time.process_time() - started
        assert len(set(found)) == n - 1  # every passage its own fragment
        return elapsed

    small, large = fragments_of(1_000, tmp_path / "small"), fragments_of(10_000, tmp_path / "large")
    assert large < 30 * max(small, 0.01), (small, large)  # quadratic would be about 100x
