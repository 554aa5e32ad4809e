"""An article as a flow: its visible text, and top-level blocks of HTML tags and text pieces.

A text piece is ("text", start, end, mode), an offset range of the visible text; a tag is
("tag", html). Raw text and Markdown both become flows, so one weaver highlights passages in
either. The visible text is what quotes are matched against.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import escape

from ..anchoring import BREAK_HINTS
from ..markdown import (MAX_NESTING, SCROLLS, TABLE, brackets_line, image_html, parser, remote_image, remote_name, safe_url,
                        simple_inline)
from ..weburl import for_attribute, url_problem

BR, PLAIN, SEP = "br", "plain", "sep"  # text modes: newlines as <br>, as they are, or one "\n"
_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_URL = re.compile(r"https?://[^\s<>\"]+")
_BREAK_HINTS = dict.fromkeys(map(ord, BREAK_HINTS))  # no part of the address a bare URL links to


@dataclass(frozen=True, slots=True)
class Flow:
    """An article's visible text and how it is laid out."""

    text: str  # the visible text: what quotes are matched against, what positions count in
    blocks: tuple[tuple[tuple, ...], ...]  # top-level blocks, each a run of text pieces and tags
    lines: tuple[tuple[int, int], ...]  # (text offset, line in the file) breakpoints

    def line_at(self, offset: int) -> int:
        k = bisect.bisect_right(self.lines, (offset, float("inf"))) - 1
        return self.lines[max(k, 0)][1]


# The first line with a character that is not white space, tried only at lines' starts: tried from every
# character, a line of 200,000 spaces above the title took minutes.
_FIRST_LINE = re.compile(r"^[^\S\n]*\S[^\n]*", re.M)


def first_line_of(flow: Flow) -> tuple[int, int, str] | None:
    """The title of last resort (SPEC 2): the visible text of the file's first non-blank line, with where it
    is in the text (from, to); None for an article with no text. A Markdown table's header row is one line
    of the file, but each of its cells a paragraph of the text: the title is all of them ("Year | Contracts"),
    never the first cell alone."""
    line = _FIRST_LINE.search(flow.text)
    if line is None:
        return None
    at, to, cells = line.start(), line.end(), [line.group().strip()]
    for cell in _FIRST_LINE.finditer(flow.text, to):
        if flow.line_at(cell.start()) != flow.line_at(at):
            break
        to = cell.end()
        cells.append(cell.group().strip())
    return at, to, " | ".join(cells)


def _trimmed(url: str) -> str:
    """A bare URL without the punctuation that ends the sentence around it, but with a closing bracket it opened
    ("https://en.wikipedia.org/wiki/Mercury_(planet)" whole; "(see https://example.org/a)" without the ")")."""
    while url and url[-1] in ".,;:!?)]}'\"":
        closing = url[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and url.count(opening) >= url.count(closing):
            break
        url = url[:-1]
    return url


def _text_pieces(text: str, start: int, end: int) -> list[tuple]:
    """A paragraph of raw text, with bare http(s) URLs made links; text that only looks like one
    (`https://a..b/`, a bad "%" escape: typos as published) stays text."""
    out, pos = [], start
    for m in _URL.finditer(text, start, end):
        url = _trimmed(m.group())
        if url_problem(url):
            continue
        if m.start() > pos:
            out.append(("text", pos, m.start(), BR))
        out.append(("tag", f'<a href="{escape(for_attribute(url.translate(_BREAK_HINTS)))}" rel="nofollow">'))
        out.append(("text", m.start(), m.start() + len(url), BR))
        out.append(("tag", "</a>"))
        pos = m.start() + len(url)
    if end > pos:
        out.append(("text", pos, end, BR))
    return out


VERSE_LINE = 100  # characters: a paragraph of lines no longer than this, broken as published, reads line by line


def _paragraph_tag(paragraph: str) -> str:
    """`<p class="lines">` for a paragraph of short lines broken as published (verse, an address, a list typed line
    by line: a line too long for the column goes on indented, glossator.css), else `<p>` (prose with a line
    break in it: its wrapped lines indented would read as a list)."""
    lines = paragraph.split("\n")
    return LINES if len(lines) > 1 and max(len(line.strip()) for line in lines) <= VERSE_LINE else "<p>"


LINES = '<p class="lines">'
_INDENT = re.compile(r"^[ \t]+", re.M)


def _indented_pieces(text: str, start: int, end: int) -> list[tuple]:
    """A paragraph of lines broken as published, each line's leading spaces and tabs kept as its indentation (verse
    set out in steps, an indented address): the white space is a tag of its own, shown as it is (glossator.css,
    .indent), outside any passage, so a highlight never runs under the indent. The first line's is counted from
    the start of its line in the file, before the paragraph's own start."""
    line_start = text.rfind("\n", 0, start) + 1
    first = re.match(r"[ \t]*", text[line_start:start]).group() if text[line_start:start].strip(" \t") == "" else ""
    out = [("tag", _indent_tag(first))] if first else []
    pos = start
    for m in _INDENT.finditer(text, start, end):
        if m.start() == start:
            continue
        out.extend(_text_pieces(text, pos, m.start()))
        out.append(("tag", _indent_tag(m.group())))
        pos = m.end()
    out.extend(_text_pieces(text, pos, end))
    return out


def _indent_tag(white: str) -> str:
    return f'<span class="indent">{white}</span>'


def text_flow(text: str, first_line: int = 1) -> Flow:
    """Raw text: blank lines separate paragraphs; a single line break stays a line break."""
    spans, pos = [], 0
    for m in _BLANK.finditer(text):
        spans.append((pos, m.start(), m.end()))
        pos = m.end()
    spans.append((pos, len(text), len(text)))
    blocks = []
    for start, end, after in spans:
        while start < end and text[start].isspace():
            start += 1
        stripped_end = end
        while stripped_end > start and text[stripped_end - 1].isspace():
            stripped_end -= 1
        if stripped_end <= start:
            continue
        tag = _paragraph_tag(text[start:stripped_end])
        body = _indented_pieces if tag == LINES else _text_pieces
        pieces = [("tag", tag), *body(text, start, stripped_end)]
        if after > stripped_end:
            pieces.append(("text", stripped_end, after, SEP))
        pieces.append(("tag", "</p>\n"))
        blocks.append(tuple(pieces))
    lines = [(0, first_line)]
    for i, m in enumerate(re.finditer("\n", text)):
        lines.append((m.end(), first_line + i + 1))
    return Flow(text, tuple(blocks), tuple(lines))


def markdown_flow(source: str, first_line: int = 1, cut: list | None = None, plain: list | None = None) -> Flow:
    """Markdown: the visible text is the text of the inline tokens, blocks joined by blank lines. `cut`, where
    given, gets the line from which the parser left text out, nested too deep (markdown.MAX_NESTING); `plain`
    the line from which "[" opens no link, the parser's steps spent (markdown.STEPS_PER_CHAR)."""
    simple = _simple_flow(source, first_line)
    if simple is not None:
        return simple
    md = parser()
    env: dict = {}
    tokens = md.parse(source, env)
    if plain is not None and (at := brackets_line(source, env)) is not None:
        plain.append(first_line + at)
    if cut is not None:
        mapped = None  # (the line of the last token that has one, for a closing one that has none)
        for tok in tokens:
            mapped = tok.map or mapped
            if tok.level >= MAX_NESTING - 1:
                cut.append(first_line + (mapped[0] if mapped else 0))
                break
    render = md.renderer.renderToken
    options = md.options
    # the page's <h1> is the title: the article's heading levels in use become h2, h3, … in order
    # (an article whose sections are ## and ### gets h2 and h3), and a heading is at most one level
    # below the one before it ("### Key facts" above "## Part one" is h2, as is a setext h2 above an h1)
    used = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    heading = {f"h{level}": min(rank + 2, 6) for rank, level in enumerate(used)}
    shown = 1  # the level of the heading before (the page's h1)
    text: list[str] = []
    size = 0
    lines: list[tuple[int, int]] = [(0, first_line)]
    blocks: list[tuple] = []
    current: list[tuple] = []

    def add(value: str, mode: str, line: int | None = None):
        nonlocal size
        if line is not None:
            lines.append((size, line))
        current.append(("text", size, size + len(value), mode))
        text.append(value)
        size += len(value)

    for i, tok in enumerate(tokens):
        line = first_line + tok.map[0] if tok.map else None
        if tok.type == "inline":
            children = tok.children or []
            if line is not None:  # the block's first line, whatever its first child is
                lines.append((size, line))
            links = 0  # links open around the child (an image in one is its words: no link in a link)
            for j, child in enumerate(children):
                links += (child.type == "link_open") - (child.type == "link_close")
                if child.type == "text":
                    add(child.content, PLAIN)
                elif child.type == "softbreak":
                    add("\n", PLAIN)
                    if line is not None:
                        line += 1
                        lines.append((size, line))
                elif child.type == "hardbreak":
                    add("\n", BR)
                    if line is not None:
                        line += 1
                        lines.append((size, line))
                elif child.type == "code_inline":
                    current.append(("tag", "<code>"))
                    add(child.content, PLAIN)
                    current.append(("tag", "</code>"))
                elif child.type == "image":
                    src, alt = child.attrGet("src") or "", "".join(c.content for c in child.children or [])
                    if safe_url(src) and remote_image(src):  # named by its alt text: words a reader sees
                        if not links:
                            current.append(("tag", f'<a class="remote-image" href="{escape(src)}" rel="nofollow">'))
                        add(remote_name(alt), PLAIN)
                        if not links:
                            current.append(("tag", "</a>"))
                    elif safe_url(src):
                        current.append(("tag", image_html(src, alt)))
                else:
                    current.append(("tag", render(children, j, options, {})))
            add("\n\n", SEP)
        elif tok.type in ("fence", "code_block"):
            info = escape(tok.info.strip().split(" ")[0]) if tok.info else ""
            current.append(("tag", f'{SCROLLS}<code class="language-{info}">' if info else f"{SCROLLS}<code>"))
            add(tok.content, PLAIN, (line + 1 if tok.type == "fence" else line) if line else None)
            add("", SEP)
            current.append(("tag", "</code></pre>\n"))
        elif tok.type in ("table_open", "table_close"):
            current.append(("tag", TABLE if tok.type == "table_open" else "</table></div>\n"))
        else:
            if tok.type == "heading_open":
                shown = min(heading[tok.tag], shown + 1)
            if tok.type in ("heading_open", "heading_close"):
                tok.tag = f"h{shown}"
            current.append(("tag", render(tokens, i, options, {})))
        if tok.level == 0 and tok.nesting <= 0:
            blocks.append(tuple(current))
            current = []
    if current:
        blocks.append(tuple(current))
    return Flow("".join(text), tuple(blocks), tuple(lines))


_ATX = re.compile(r"(#{1,6})(?: +(.*?))? *$")  # a heading's line: its level, and its words (closing "#"s are markup)
_PIECE = re.compile(r"(<[^>]*>|\n)")  # in markdown.simple_inline's HTML: a tag, or a line break


_BLOCK = re.compile(r"(?:(>)|([-*])|([0-9]{1,9})\.) (?=\S)")  # a quote's line, a list item's: its mark, then one space


def _simple_flow(source: str, first_line: int) -> Flow | None:
    """markdown_flow's Flow for Markdown of paragraphs, ATX headings, block quotes of one paragraph ("> " on each of its
    lines) and tight lists of one-line items ("- ", "* " or "1. " each), whose words hold no Markdown but simple emphasis
    and plain links (markdown.simple_inline), made without the parser (most articles are; parsing one of 6 KB took
    0.45 ms, and 1.5 ms with a list and a quote); None for any other Markdown (a line that would continue a quote or an
    item lazily, a list loosened by a blank line, a quote or list that interrupts a block: the parser's)."""
    parts: list[tuple[str, int, list]] = []  # (heading marks, ">", a list's mark ("-", "*", ".") or "" for a paragraph,
    for i, line in enumerate(source.split("\n")):  # its line from 0, its lines (a list's: (line, words, number)))
        kind = parts[-1][0] if parts and parts[-1][2] else None  # the block this line may continue (None after a blank)
        if not line.strip(" "):
            parts.append(("", i, []))
        elif line[0] in _BLOCK_STARTS and (m := _BLOCK.match(line)):
            mark, words = m[1] or m[2] or ".", line[m.end():]
            row = words if mark == ">" else (i, words, m[3])
            if kind == mark:  # the quote's next line, the list's next item
                parts[-1][2].append(row)
            elif kind is not None or (mark != ">" and _after_blank(parts) == mark):
                return None  # (interrupting a block; an item after a blank below a list: a loose list)
            else:
                parts.append((mark, i, [row]))
        elif kind in _BLOCKS or (line[0] == " " and _after_blank(parts) in _BLOCKS):
            return None  # (a lazy continuation of the quote or item; a paragraph of the list's last item)
        elif line.startswith("#") and (m := _ATX.match(line)):
            if (m[2] or "").endswith("#"):
                return None
            parts.append((m[1], i, [m[2] or ""]))
        elif kind == "":
            parts[-1][2].append(line)
        else:
            parts.append(("", i, [line]))
    parts = [part for part in parts if part[2]]
    used = sorted({len(marks) for marks, _, _ in parts if marks[:1] == "#"})
    heading = {level: min(rank + 2, 6) for rank, level in enumerate(used)}
    shown = 1
    text: list[str] = []
    size = 0
    lines: list[tuple[int, int]] = [(0, first_line)]
    blocks: list[tuple] = []
    for marks, at, block in parts:
        if marks in _LISTS:
            start = int(block[0][2]) if marks == "." else 1
            current: list[tuple] = [("tag", "<ul>\n" if marks != "." else "<ol>\n" if start == 1 else f'<ol start="{start}">\n')]
            for row, item, _ in block:
                current += (("tag", "<li>"), ("tag", ""))  # (a tight list's paragraph: its tags hidden)
                size = _simple_inline(item, size, first_line + row, current, text, lines)
                if size is None:
                    return None
                current += (("tag", ""), ("tag", "</li>\n"))
            current.append(("tag", "</ol>\n" if marks == "." else "</ul>\n"))
            blocks.append(tuple(current))
            continue
        if marks[:1] == "#":
            shown = min(heading[len(marks)], shown + 1)
            open_tag, close_tag = f"<h{shown}>", f"</h{shown}>\n"
        else:
            open_tag, close_tag = "<p>", "</p>\n"
        current = [("tag", "<blockquote>\n"), ("tag", open_tag)] if marks == ">" else [("tag", open_tag)]
        size = _simple_inline("\n".join(block), size, first_line + at, current, text, lines)
        if size is None:
            return None
        current.append(("tag", close_tag))
        if marks == ">":
            current.append(("tag", "</blockquote>\n"))
        blocks.append(tuple(current))
    return Flow("".join(text), tuple(blocks), tuple(lines))


_BLOCK_STARTS = frozenset(">-*0123456789")
_LISTS = ("-", "*", ".")
_BLOCKS = (">", "-", "*", ".")


def _after_blank(parts: list) -> str | None:
    """The kind of the block before the blank lines that end `parts` (None: no block before them)."""
    for marks, _, rows in reversed(parts):
        if rows:
            return marks
    return None


def _simple_inline(words: str, size: int, line: int, current: list, text: list, lines: list) -> int | None:
    """A block's words (markdown.simple_inline), from `line` of the file at `size` of the text, as markdown_flow's
    pieces, added to `current`, `text` and `lines`; the text's size after them, or None where they hold other Markdown."""
    made = simple_inline(words)
    if made is None:
        return None
    lines.append((size, line))
    pieces = [piece for piece in _PIECE.split("\n".join(row.strip() for row in made.split("\n"))) if piece]
    for k, piece in enumerate(pieces):
        if piece[0] == "<":
            # the parser reads "**" as two "*", and keeps the one it does not make a tag as an empty text: beside
            # a text it joins it, beside anything else (a tag, a line break, the block's edge) it stays
            if piece == "<strong>" and (k == 0 or pieces[k - 1][0] == "<" or pieces[k - 1] == "\n"):
                current.append(("text", size, size, PLAIN))
            current.append(("tag", piece))
            if piece == "</strong>" and (k + 1 == len(pieces) or pieces[k + 1][0] == "<" or pieces[k + 1] == "\n"):
                current.append(("text", size, size, PLAIN))
            continue
        value = "\n" if piece == "\n" else piece.replace("&quot;", '"').replace("&amp;", "&")
        current.append(("text", size, size + len(value), PLAIN))
        text.append(value)
        size += len(value)
        if piece == "\n":
            line += 1
            lines.append((size, line))
    current.append(("text", size, size + 2, SEP))
    text.append("\n\n")
    return size + 2


def clip(flow: Flow, lo: int, hi: int) -> tuple[tuple[tuple, ...], ...]:
    """The blocks that show text inside [lo, hi), their text pieces cut to it; and those that show no
    text at all (an image alone in its paragraph, a rule) where they stand inside it."""
    out, at = [], 0
    for block in flow.blocks:
        pieces, shown, has_text = [], False, False
        where = next((piece[1] for piece in block if piece[0] == "text"), at)
        for piece in block:
            if piece[0] == "text":
                has_text = has_text or piece[3] != SEP
                at = piece[2]
                s, e = max(piece[1], lo), min(piece[2], hi)
                if s < e:
                    pieces.append(("text", s, e, piece[3]))
                    shown = shown or piece[3] != SEP
            else:
                pieces.append(piece)
        if shown or (not has_text and lo <= where < hi):
            out.append(tuple(pieces))
    return tuple(out)
