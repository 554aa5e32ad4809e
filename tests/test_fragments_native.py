"""builder/_fragments.c writes a passage's fragment as fragments.directive does (the rule), or declines (None)
and leaves it to the Python code: the same `text=…` for every passage of the repository's site and of tests/sites, and of
seeded random texts (repeats, punctuation, Unicode white space and case rules, combining marks, CJK, astral
characters, passages at the text's edges and across paragraphs). Without the compiled module these tests skip
(the builder then uses the Python code alone), except the one that asks why a module is missing where a C
compiler is at hand."""
from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder import native
from builder.read.load import load_site
from builder.render import fragments as F

ROOT = Path(__file__).resolve().parents[1]
NATIVE = F._NATIVE
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_fragments.c is not built here (pip install -e . "
                                                          "builds it where a C compiler is); the Python search is used")


@pytest.mark.parametrize("name", native.SOURCES)
def test_every_compiled_module_is_built_wherever_a_c_compiler_is(name):
    """A failed build at install only warns (the builder works without them): this is where CI notices."""
    if native.compiler() is None:
        pytest.skip("no C compiler here: the Python code is used")
    assert native.load(name) is not None, (f"builder.{name} is not importable, or was built from another "
                                           f"builder/{name}.c: `pip install -e .` builds it (`pip install -v -e .` "
                                           "says why it could not)")


class Spy:
    """The compiled module, counting its searches and declines."""

    def __init__(self):
        self.calls = self.declined = 0
        self.haystack = NATIVE.haystack

    def directive(self, *args):
        found = NATIVE.directive(*args)
        self.calls += 1
        self.declined += found is None
        return found


def outcome(article, config, ann):
    """directive's fragment, or the kind of exception it raises."""
    F._haystack.cache_clear()
    try:
        return F.directive(article, config, ann)
    except Exception as error:  # (the rule's own failure must be the compiled path's too)
        return type(error)


def compare(monkeypatch, passages) -> Spy:
    """Each (article, config, annotation)'s directive with the compiled module and without: equal."""
    spy = Spy()
    for article, config, ann in passages:
        monkeypatch.setattr(F, "_NATIVE", spy)
        compiled = outcome(article, config, ann)
        monkeypatch.setattr(F, "_NATIVE", None)
        rule = outcome(article, config, ann)
        assert compiled == rule, (article.text[max(ann.start - 80, 0) : ann.end + 80], ann.start, ann.end)
    return spy


SITES = [ROOT, *sorted(path for path in (ROOT / "tests" / "sites").iterdir() if (path / "site.toml").exists())]


@needs_native
@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name if site != ROOT else "repository")
def test_every_passage_of_the_sites_gets_the_same_fragment_and_is_never_declined(site, monkeypatch):
    loaded, _ = load_site(site)
    passages = [(article, loaded.config, ann) for article in loaded.articles for ann in article.annotations]
    assert passages
    spy = compare(monkeypatch, passages)
    assert spy.calls and not spy.declined


# words of the random texts: each a case whose exact reading is awkward
VOCAB = [
    "the", "The", "THE", "the,", "the.", "plan", "Plan", "was", "dead.", "alive,", "a-b", "a", "x", "&", "-", "—",
    "“the", "plan”", "(the)", "1,000", "3.5", "l'été", "ÉTÉ", "été", "e\u0301te\u0301", "cafe\u0301", "naïve",
    "東京", "京都", "東京都", "日本語", "٣٤", "ΟΔΟΣ", "οδος", "Σ", "σ", "ΣΑΣ", "İstanbul", "i̇stanbul", "I", "ı",
    "ß", "SS", "\u212a", "k", "ǅ", "😀", "𝐀𝐁", "a😀b", "\U00010400", "\u0301", "x\u200dy", "_", "a_b", "~", "%",
]
SPACES = [" "] * 12 + ["  ", "   ", "\n", "\t", "\xa0", "\u3000", "\u2028", "\x85", "\x1c", " \n ", "\r\n"]
BREAKS = ["\n\n"] * 4 + ["\n \n", "\n\t\n", "\n\u3000\n\n", "\n\x85\n", " \n\n ", "\n\n\n", "\r\n\r\n", "\n\u2028\n"]


def random_text(rng: random.Random) -> str:
    vocab = rng.sample(VOCAB, rng.randint(2, 12))  # few words: repeats everywhere
    paragraphs = []
    for _ in range(rng.randint(1, 5)):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 16))]
        paragraphs.append("".join(word + rng.choice(SPACES) for word in words).rstrip())
    text = paragraphs[0]
    for paragraph in paragraphs[1:]:
        text += rng.choice(BREAKS) + paragraph
    return rng.choice(["", " ", "\n", "\n\n"]) + text + rng.choice(["", "\n", " ", "\n\n"])


def random_passages(rng: random.Random, text: str) -> list[SimpleNamespace]:
    """Passages from word edges to word edges (the text's edges among them), some from anywhere."""
    starts = [0] + [i for i in range(1, len(text)) if not text[i].isspace() and text[i - 1].isspace()]
    ends = [i for i in range(1, len(text)) if text[i].isspace() and not text[i - 1].isspace()] + [len(text)]
    found = []
    for _ in range(rng.randint(1, 12)):
        if rng.random() < 0.9:
            start = rng.choice(starts)
            end = rng.choice([e for e in ends if e > start] or [len(text)])
        else:
            start, end = sorted(rng.sample(range(len(text) + 1), 2)) if len(text) > 1 else (0, len(text))
        found.append(SimpleNamespace(start=start, end=end))
    return found


def random_article(rng: random.Random, text: str, anns: list, excerpts: bool):
    article = SimpleNamespace(text=text, body=(0, len(text)), meta=SimpleNamespace(publish=None), annotations=anns)
    config = SimpleNamespace(publish="excerpts" if excerpts else "full", excerpt_words=rng.choice([1, 3, 40]))
    return article, config


@needs_native
@pytest.mark.parametrize("seed", range(8))
def test_random_texts_get_the_same_fragment(seed, monkeypatch):
    rng = random.Random(seed)
    passages = []
    for _ in range(150):
        text = random_text(rng)
        anns = random_passages(rng, text)
        article, config = random_article(rng, text, anns, rng.random() < 0.2)
        passages += [(article, config, ann) for ann in anns]
    spy = compare(monkeypatch, passages)
    assert spy.calls > 500 and spy.declined < spy.calls // 10


@needs_native
def test_a_lone_surrogate_and_an_empty_passage_are_declined_and_fail_as_the_rule_does(monkeypatch):
    text = "the plan \ud800 was the plan, the plan \ud800 was"
    anns = [SimpleNamespace(start=text.index("\ud800"), end=text.index("\ud800") + 5),
            SimpleNamespace(start=4, end=8), SimpleNamespace(start=3, end=4)]
    article, config = random_article(random.Random(1), text, anns, False)
    spy = compare(monkeypatch, [(article, config, ann) for ann in anns])
    assert spy.declined == 3  # (the second too: a word of its context is not encodable)


@needs_native
def test_an_article_with_many_passages_is_searched_by_its_index_in_python(monkeypatch):
    """The compiled search reads the text, not the index: an indexed haystack is left to the Python code."""
    text = " ".join(f"w{i % 37} x{i % 11}" for i in range(400))
    anns = [SimpleNamespace(start=i * 8, end=i * 8 + 6) for i in range(F.INDEX_FROM)]
    article, config = random_article(random.Random(2), text, anns, False)
    spy = Spy()
    monkeypatch.setattr(F, "_NATIVE", spy)
    made = [F.directive(article, config, ann) for ann in anns]  # (None: no fragment selects it: it starts inside a word)
    assert all(m is None or m.startswith("text=") for m in made) and any(made)
    assert spy.calls == 0


BODIES = ["", " ", "\n", "  \n ", "a", "sixteen and more \x7f plain ASCII", "more than eight \x7f \u201cwide\u201d", "The  plan\n\nwas  dead.\n", " Été \u201cquoted\u201d  日本 😀 ", "x\ty", "a\xa0b",
          "ΟΔΟΣ", "İ", "\u212a", "\x7f", "a\ud800b", "\x85", "a\u2028b", "A" * 300 + "  " + "é" * 3, "ß ǅ ŉ"]


@needs_native
def test_the_searched_text_is_made_as_haystack_makes_it_or_declined(monkeypatch):
    """`haystack(body)` against Haystack's own route (_searched): the same text, runs and every position."""
    rng = random.Random(25)
    bodies = BODIES + [random_text(rng) for _ in range(3000)]
    uncased = [word for word in VOCAB if all(c.isascii() or c.lower() == c for c in word)]
    bodies += [" ".join(rng.choice(uncased) + rng.choice(["", " ", "\n", "  "]) for _ in range(rng.randint(0, 30)))
               for _ in range(3000)]
    for body in bodies[-300:]:  # a character that declines, anywhere (in a long stretch of plain ASCII too)
        at = rng.randint(0, len(body))
        bodies.append(body[:at] + rng.choice(["\x7f", "\x01", "\t", "\x80", "\u2028", "A\u0130", "\ud800"]) + body[at:])
    made = 0
    for body in bodies:
        fast = NATIVE.haystack(body)
        monkeypatch.setattr(F, "_NATIVE", None)
        rule = F.Haystack(body, 0, len(body))
        monkeypatch.undo()
        if fast is None:
            continue
        made += 1
        assert rule._exact and fast == (rule.text, rule._run_ends, rule._shrunk), body
        hay = F.Haystack(body, 0, len(body))
        assert [hay.position(i) for i in range(len(body) + 1)] == [rule.position(i) for i in range(len(body) + 1)]
    assert made > 2000
