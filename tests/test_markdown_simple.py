"""Notes with simple emphasis (`*a*`, `**a b**`) and plain links (`[words](https://…)`) are rendered without
the parser: the HTML must be the parser's, byte for byte, whatever else the text holds."""
import random
import re

from markdown_it.common.normalize_url import normalizeLink

from builder.markdown import SCROLLS, TABLE, _LONG_PATH, _breakable, _kept, parser, render_note, simple_inline


def reference(text: str) -> str:
    """The note as the parser renders it (render_note's other branch)."""
    made = parser().render(text).replace("<pre>", SCROLLS).replace("<table>\n", TABLE).replace("</table>\n", "</table></div>\n")
    return _breakable(made) if _LONG_PATH.search(text) else made


def test_simple_emphasis_is_rendered_as_the_parser_does():
    for text, html in [
        ("See the **interview** archive.", "<p>See the <strong>interview</strong> archive.</p>\n"),
        ('*Foreign Policy* (the "**weekly**") says', "<p><em>Foreign Policy</em> (the &quot;<strong>weekly</strong>&quot;) says</p>\n"),
        ("an *em\nacross* two lines", "<p>an <em>em\nacross</em> two lines</p>\n"),
        ("**Verdict:** false. *\"Quoted\"* (**a**).", "<p><strong>Verdict:</strong> false. <em>&quot;Quoted&quot;</em> (<strong>a</strong>).</p>\n"),
    ]:
        assert simple_inline(text) is not None  # the parser is not asked
        assert render_note.__wrapped__(text) == html == reference(text)


def test_other_stars_go_to_the_parser():
    for text in ["**a**b", "a**b**", "** a**", "**a\n\nb**", "* item", "***", "*a**", "2 * 3 * 4", "**a\tb**", "\xa0**a**", "**a**\x00",
                 "a\x00b", "a\xa0\nb", "a\rb", "\xa0",
                 "**Verdict:**False", "a**.b**", "**a.**b", "“*a*”"]:
        assert simple_inline(text) is None
        assert render_note.__wrapped__(text) == reference(text)


WORDS = ["Verdict:", "(a)", "word", "x", "Q9", "7", "é", "naïve", "a.b", "it's", '"q"', "(p)", "x-y", "’s", "$5", "a+b", "50%", "C@d", "{x}", "^", "=", "/", "?", "!"]
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
        simple += "*" in text and simple_inline(text) is not None
        assert render_note.__wrapped__(text) == reference(text), repr(text)
    assert simple > 100  # the fast path was taken


def test_plain_links_are_rendered_as_the_parser_does():
    for text, html in [
        ("The ministry [denied it](https://example.org/statement?id=4&lang=en); see [our piece](../other/#p3).",
         '<p>The ministry <a href="https://example.org/statement?id=4&amp;lang=en">denied it</a>; see '
         '<a href="../other/#p3">our piece</a>.</p>\n'),
        ('AT&T said "no" to [Q&A](mailto:desk@example.org). Wow! #1 in C#.',
         '<p>AT&amp;T said &quot;no&quot; to <a href="mailto:desk@example.org">Q&amp;A</a>. Wow! #1 in C#.</p>\n'),
        ("x *a [b](c) d* y", '<p>x <em>a <a href="c">b</a> d</em> y</p>\n'),
    ]:
        assert simple_inline(text) is not None  # the parser is not asked
        assert render_note.__wrapped__(text) == html == reference(text)


def test_other_links_go_to_the_parser():
    for text in ["[a](b \"title\")", "![a](b.png)", "\\[a](b)", "[*a*](b)", "[a](<b>)", "[a](javascript:x)", "[a](//evil.org/)",
                 "[a](mailto:@x)", "[a](https://x.org/é)", "[a](b) [a]: c", "[a] (b)", "&copy; [a](b)", "# [a](b)", "[a](b&amp;c)"]:
        assert simple_inline(text) is None, text
        assert render_note.__wrapped__(text) == reference(text)


URL_CHARS = "abcXYZ019;/?:@=+$,-_.~'#!&%()*[]<> \"\\é\t"
HEADS = ["", "https://", "http://x.org", "mailto:", "../", "/", "#", "HTTP://", "javascript:", "x:", "https://a.b/", "//"]
WORD_CHARS = "abc XYZ 019 ;/?:@=+$,-.'#!&%()\"é\xa0{}^"
ODD_WORD_CHARS = WORD_CHARS + "*_`<>[]~|\\"


def _url(rnd: random.Random) -> str:
    chars = URL_CHARS if rnd.random() < 0.3 else URL_CHARS[:25]
    return rnd.choice(HEADS) + "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 12)))


def _linked(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.randint(1, 6)):
        if rnd.random() < 0.5:
            chars = ODD_WORD_CHARS if rnd.random() < 0.3 else WORD_CHARS
            words = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 8)))
            out.append(rnd.choice(["", "", "", "", "", "", "!", "\\", "*", "a", "("]) + f"[{words}]({_url(rnd)})" + rnd.choice(["", "", "*", ":", "(x)"]))
        else:
            out.append(rnd.choice(WORDS))
        out.append(rnd.choice(SEPS[:12] + ["", " *a* ", " **b c** "]))
    text = "".join(out)
    if rnd.random() < 0.3:  # emphasis around some of it
        i, j = sorted(rnd.randrange(len(text) + 1) for _ in range(2))
        mark = rnd.choice(["*", "**"])
        text = text[:i] + mark + text[i:j] + mark + text[j:]
    return text


def test_random_texts_with_links_render_as_the_parser_does():
    rnd = random.Random(54)
    linked = 0
    for _ in range(4000):
        text = _linked(rnd)
        made = simple_inline(text)
        linked += made is not None and "<a " in made
        assert render_note.__wrapped__(text) == reference(text), repr(text)
    assert linked > 100  # the fast path was taken


def test_addresses_kept_as_the_parser_keeps_them():
    rnd = random.Random(7)
    compared = kept = 0
    for _ in range(5000):
        url = _url(rnd) + rnd.choice(["", "", "@x", ":80", "%41", "%4", "&amp;"])
        if re.fullmatch(r"(?:[A-Za-z0-9;/?:@=+$,\-_.~'#!&]|%[0-9A-Fa-f]{2})+", url):  # a plain link's address
            compared += 1
            kept += _kept(url)
            assert _kept(url) == (normalizeLink(url) == url), url
    assert compared > 2000 and 0 < kept < compared


# Markdown articles of paragraphs and headings are read without the parser (read.text._simple_flow): the same Flow.
ARTICLE_LINES = ["", "", " ", "# Title", "## Sub *em*", "### x ###", "#### C# rules", "#", "#hashtag", "####### seven",
                 "  # indented", "Title", "===", "---", "- item", "1. one", "> quote", "    code", "```", "| a | b |",
                 "\xa0", "\t", "a\\", "line two  ", "line three ", " lead", "**Verdict:** false", "[a](b)"]


def _article(rnd: random.Random) -> str:
    lines = [(_linked(rnd) if rnd.random() < 0.5 else f"{rnd.choice(WORDS)} {rnd.choice(WORDS)}")
             if rnd.random() < 0.5 else rnd.choice(ARTICLE_LINES) for _ in range(rnd.randint(0, 8))]
    return "\n".join(lines) + rnd.choice(["", "\n", "\n\n"])


# block quotes and lists, well formed and not: "> " and "- " lines, and what may continue or break them
BLOCK_LINES = ["> A quoted line.", "> **Verdict:** a *quote*", "> [a](https://example.org/a) said", ">", "> ", ">  two", "> > nested",
               "> - item", "> # head", "- An item.", "- **Bold** item", "- [link](https://example.org/)", "- ", "-", "-  two",
               "- - -", "- # head", "- > quote", "- 1. one", "+ plus", "* star", "  indented", "    code", "lazy line", "===",
               "# Heading", "", "", "", "- item  ", "> end ", "1. First.", "2. Second *one*", "3. [c](https://example.org/c)",
               "10. ten", "1) paren", "0. zero", "01. lead", "1.", "1.  two", "* Star item.", "* * *", "***", "* - x",
               "2024. A year", "1234567890. long"]


def _blocks_article(rnd: random.Random) -> str:
    """Lines at random, or (half the time) blocks: paragraphs, quotes of a few lines, lists of a few items, between
    blank lines or not, now and then a line of BLOCK_LINES among them."""
    def words() -> str:
        return _linked(rnd) if rnd.random() < 0.5 else " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4)))
    if rnd.random() < 0.5:
        lines = [rnd.choice(BLOCK_LINES) if rnd.random() < 0.7 else words() for _ in range(rnd.randint(1, 10))]
    else:
        lines = []
        for _ in range(rnd.randint(1, 5)):
            mark = rnd.choice(["", "> ", "- ", "* ", "> ", "1. ", "7. "])
            lines += [mark + words() for _ in range(rnd.randint(1, 3))]
            if rnd.random() < 0.15:
                lines.append(rnd.choice(BLOCK_LINES))
            lines += [""] * rnd.choice([0, 1, 1, 1, 2])
    return "\n".join(lines) + rnd.choice(["", "\n", "\n\n"])


def test_simple_quotes_and_lists_read_as_the_parser_reads_them(monkeypatch):
    """One-paragraph block quotes and tight lists of one-line items ("- ", "* ", "1. ") are read without the parser too (a 6 KB article
    with one of each took 0.8 ms in the parser, 0.27 without): the same Flow, line for line; anything else (a lazy
    line, a loose list, a nested block) goes to the parser."""
    from builder.read import text

    rnd = random.Random(61)
    made, kinds = [], set()
    for _ in range(6000):
        source, first = _blocks_article(rnd), rnd.choice([1, 5])
        if (flow := text._simple_flow(source, first)) is not None:
            made.append((source, first, flow))
            kinds.update(p[1][:3] for block in flow.blocks for p in block if p[0] == "tag" and p[1][:3] in ("<ul", "<ol", "<bl"))
    monkeypatch.setattr(text, "_simple_flow", lambda source, first: None)
    for source, first, flow in made:
        assert flow == text.markdown_flow(source, first), repr(source)
    assert len(made) > 300 and kinds == {"<ul", "<ol", "<bl"}  # the fast path was taken, for each kind


def test_simple_markdown_articles_read_as_the_parser_reads_them(monkeypatch):
    from builder.read import text

    rnd = random.Random(54)
    made = []
    for _ in range(2500):
        source, first = _article(rnd), rnd.choice([1, 5])
        if (flow := text._simple_flow(source, first)) is not None:
            made.append((source, first, flow))
    monkeypatch.setattr(text, "_simple_flow", lambda source, first: None)
    for source, first, flow in made:
        assert flow == text.markdown_flow(source, first), repr(source)
    assert len(made) > 300  # the fast path was taken
