"""Notes with simple emphasis (`*a*`, `**a b**`) are rendered without the parser: the HTML must be the
parser's, byte for byte, whatever else the text holds."""
import random

from builder.markdown import _simple, parser, render_note


def reference(text: str) -> str:
    return parser().render(text)


def test_simple_emphasis_is_rendered_as_the_parser_does():
    for text, html in [
        ("See the **interview** archive.", "<p>See the <strong>interview</strong> archive.</p>\n"),
        ('*Foreign Policy* (the "**weekly**") says', "<p><em>Foreign Policy</em> (the &quot;<strong>weekly</strong>&quot;) says</p>\n"),
        ("an *em\nacross* two lines", "<p>an <em>em\nacross</em> two lines</p>\n"),
    ]:
        assert _simple(text) is not None  # the parser is not asked
        assert render_note.__wrapped__(text) == html == reference(text)


def test_other_stars_go_to_the_parser():
    for text in ["**a**b", "a**b**", "** a**", "**a\n\nb**", "* item", "***", "*a**", "2 * 3 * 4", "**a\tb**", "\xa0**a**", "**a**\x00"]:
        assert _simple(text) is None
        assert render_note.__wrapped__(text) == reference(text)


WORDS = ["word", "x", "Q9", "7", "é", "naïve", "a.b", "it's", '"q"', "(p)", "x-y", "’s", "$5", "a+b", "50%", "C@d", "{x}", "^", "=", "/", "?", "!"]
SEPS = [" ", " ", " ", "\n", " \n", "\n ", "\n\n", ", ", ". ", "; ", ": ", " (", ") ", ' "', '" ', " '", "' ", "-", "", "/", "\t", "\xa0", " \n\n "]
MARKS = ["*", "**", "*", "**", "***", ""]


def _text(rnd: random.Random) -> str:
    def span() -> str:
        mark = rnd.choice(MARKS)
        inner = rnd.choice(WORDS) + "".join(rnd.choice(SEPS) + rnd.choice(WORDS) for _ in range(rnd.randint(0, 3)))
        if rnd.random() < 0.1:
            inner = rnd.choice([" ", "\n", ".", "("]) + inner
        if rnd.random() < 0.1:
            inner += rnd.choice([" ", "\n", ".", ")"])
        return mark + inner + (mark if rnd.random() < 0.85 else rnd.choice(MARKS))
    return "".join((span() if rnd.random() < 0.5 else rnd.choice(WORDS)) + rnd.choice(SEPS) for _ in range(rnd.randint(1, 6)))


def test_random_texts_with_stars_render_as_the_parser_does():
    rnd = random.Random(15)
    simple = 0
    for _ in range(4000):
        text = _text(rnd)
        simple += "*" in text and _simple(text) is not None
        assert render_note.__wrapped__(text) == reference(text), repr(text)
    assert simple > 100  # the fast path was taken
