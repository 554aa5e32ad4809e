"""One configured Markdown parser: CommonMark with tables and strikethrough, raw HTML off,
links limited to http(s), mailto and relative addresses."""
from __future__ import annotations

import html
import re
from html import escape
from functools import lru_cache
from urllib.parse import urljoin

from .weburl import url_problem

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def _bare(url: str) -> str:
    """A URL as a browser reads it: control characters and spaces left out (`java\tscript:` is `javascript:`)."""
    return re.sub(r"[\x00-\x20\x7f]", "", url)


def safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; false for javascript:, data: and the like, and
    for `//host/…`, which names another site without saying how to reach it."""
    cleaned = _bare(url)
    if cleaned.replace("\\", "/").startswith("//"):
        return False
    m = SCHEME.match(cleaned)
    return m is None or m.group(1).lower() in SAFE_SCHEMES


def valid_link(url: str) -> bool:
    """A link Markdown may make (after it has percent-encoded what needs it): a safe URL that is valid
    (weburl's rule; an invalid one stays text, as a javascript: one does)."""
    if not safe_url(url):
        return False
    scheme = SCHEME.match(url)
    return (scheme is not None and scheme.group(1).lower() == "mailto") or url_problem(url, absolute=scheme is not None) is None


def image_html(src: str, alt: str, linked: bool = False) -> str:
    """An image of the site itself (a relative or site-absolute path); one from elsewhere is a link to
    it, named by its alt text: a page loads nothing from another site (its CSP says so too). Inside a
    link (`linked`) it is that link's words: HTML allows no link in a link."""
    if remote_image(src):
        if linked:
            return escape(remote_name(alt))
        return f'<a class="remote-image" href="{escape(src)}" rel="nofollow">{escape(remote_name(alt))}</a>'
    return f'<img src="{escape(src)}" alt="{escape(alt)}">'


def remote_image(src: str) -> bool:
    return SCHEME.match(_bare(src)) is not None


def remote_name(alt: str) -> str:
    """The words of a remote image's link: its alt text, else "image"."""
    return alt or "image"


def in_link(tokens, idx: int) -> bool:
    """Whether the inline token at `idx` stands inside a link of its siblings `tokens`."""
    return sum((t.type == "link_open") - (t.type == "link_close") for t in tokens[:idx]) > 0


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return image_html(token.attrGet("src") or "", "".join(c.content for c in token.children or []), in_link(tokens, idx))


# Levels of nesting the parser follows (a list item in a list is two). Past them it leaves the rest of the block
# out, without a word: CommonMark's preset stops at 20, so a list ten deep lost its last items and the text after
# it. Loading an article says where it is cut (read.text.markdown_flow); deeper than this is no article.
MAX_NESTING = 100

# Steps the parser may take, per character of a text (an article, a note), looking for the "]" of each "[" (and
# 1,000 more). It looks through the "[" after it, up to MAX_NESTING of them: 100 KB of "[" took 12 s (a million
# steps a 10 KB), and the 16 MB a Markdown article may have would take an hour. A link takes a step or two (60,000
# in one paragraph: 60,000), "[[" a few; past this bound (0.6 µs a step: 1.2 µs a character, less than reading
# YAML takes) "[" opens no link for the rest of the text, and loading the text says where (brackets_line).
STEPS_PER_CHAR = 2
_STEPS, _LINE_NOW, _PLAIN_LINE = "glossator.steps", "glossator.line", "glossator.plain_line"  # env keys


def _inline(state) -> None:
    """The core rule "inline", as markdown-it's, with the steps the text may take and each paragraph's line."""
    state.env[_STEPS] = STEPS_PER_CHAR * len(state.src) + 1000
    for tok in state.tokens:
        if tok.type == "inline":
            state.env[_LINE_NOW] = tok.map[0] if tok.map else state.env.get(_LINE_NOW, 0)
            if tok.children is None:
                tok.children = []
            state.md.inline.parse(tok.content, state.md, state.env, tok.children)


def _bounded(skip_token):
    """markdown-it's skipToken (a step of the search for a "]"), counted: past the text's steps, the search ends there."""
    def step(state) -> None:
        env = state.env
        if _PLAIN_LINE not in env:
            env[_STEPS] = env.get(_STEPS, 1) - 1
            if env[_STEPS] >= 0:
                return skip_token(state)
            env[_PLAIN_LINE] = env.get(_LINE_NOW, 0)
        state.pos = state.posMax
    return step


def brackets_line(text: str, env: dict | None = None) -> int | None:
    """The line (from 0) of `text` from which "[" opens no link, the parser's steps spent; else None.
    `env`: that of a parse already made of `text`."""
    if env is None:
        if text.count("[") < 10 or simple_inline(text) is not None:  # (each "[" takes a step for each token after it at
            return None  # most: too few to spend them; a plain link takes one or two)
        env = {}
        parser().parse(text, env)
    return env.get(_PLAIN_LINE)


def brackets_message(what: str, since: str = "this paragraph") -> str:
    return (f'too many "[" inside other "[" in {what}: Markdown looks for the "]" of each through the rest, which would '
            f'take minutes, so from {since} on "[" opens no link and links are shown as written; remove the brackets '
            'that open no link')


@lru_cache(maxsize=None)
def parser():
    """The MarkdownIt parser (imported when first needed: a site of plain text with plain notes never
    needs it, and importing it took 0.03 s of every build)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.validateLink = valid_link
    md.add_render_rule("image", _image)
    md.core.ruler.at("inline", _inline)
    md.inline.skipToken = _bounded(md.inline.skipToken)
    return md


# Text with none of these is plain paragraphs, perhaps with simple emphasis and plain links, rendered without the
# parser (most notes are). "#" is markup only at a line's start (a heading), "!" only before "[" (an image: "[" left
# over once the plain links are taken is markup), "&" only where it starts what may be an entity (_ENTITY).
# (Leading white space is matched within its line, [^\S\n]*: a \s* that ran on through the lines below
# rescanned them from every line, and a note of many blank lines took minutes.)
# (Characters looked for with `in`, patterns that start from a literal: one pattern of them all tried every
# alternative at every character, 0.2 ms a paragraph of 800 characters.)
_MARKUP_CHARS = "\\`_[]<>|~"
_LINE_MARKUP = r"[^\S\n]*(?:[-+=>#]|\d+[.)])| {4}|\t|[^\S\n]*\n "  # at a line's start
_FIRST_LINE_MARKUP, _LATER_LINE_MARKUP = re.compile(_LINE_MARKUP), re.compile(rf"\n(?:{_LINE_MARKUP})")
_HARD_BREAK = re.compile(r"  (?=\n|\Z)")


def _markup(text: str) -> bool:
    return bool(any(c in text for c in _MARKUP_CHARS) or _FIRST_LINE_MARKUP.match(text) or _LATER_LINE_MARKUP.search(text)
                or _HARD_BREAK.search(text))


_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")
# White space other than spaces at a line's edge, and what the parser reads as another character (a CR as a line
# break, a NUL as U+FFFD): lines here are stripped of any white space, the parser's of spaces and tabs alone.
_ODD = "[\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"  # [^\S \n] (spelt out: faster)
_ODD_CHAR = re.compile(rf"{_ODD}|[\r\x00]")
_ODD_EDGE = re.compile(rf"{_ODD} *(?:\n|\Z)|(?:\A|\n) *{_ODD}|[\r\x00]")
# A plain link: `[words](address)`, its words without markup or line break, its address only of characters a URL
# keeps as they are (the parser percent-encodes others, and reads entities, backslashes and brackets in it), not
# after "!" (an image) or "\\". The parser makes it a link when valid_link says so, else leaves it as text.
_PLAIN_LINK = re.compile(r"\[(?<![!\\]\[)([^\[\]\\`*_<>|~\n]+)\]\(((?:[A-Za-z0-9;/?:@=+$,\-_.~'#!&]|%[0-9A-Fa-f]{2})+)\)")
# Simple emphasis: `*a*`, `**a b**` or `**Verdict:**`, each mark able only to open, or only to close (CommonMark's
# flanking rules), so that each closes the one before it: an opening mark after white space or the start, before a
# letter, digit or punctuation, or after punctuation before a letter or digit; a closing mark the mirror of it; no
# mark inside and no blank line. A note with a star in any other place goes to the parser; so does one with white
# space other than spaces and line breaks (the parser keeps a tab or a no-break space at a line's end, str.strip
# does not). _EDGE is neither white space nor ASCII punctuation ("*" counts as a letter: a mark next to it is left to
# the parser); _PUNCT is ASCII punctuation but "*".
_EDGE = r"""[^ \t\n!"#$%&'()+,\-./:;<=>?@[\\\]^_`{|}~]"""
_PUNCT = r"""[!"#$%&'()+,\-./:;<=>?@[\\\]^_`{|}~]"""
_EMPHASIS = re.compile(
    rf"(?:(?<!\S)(?=\*\*?(?:[A-Za-z0-9]|{_PUNCT}))|(?<={_PUNCT})(?=\*\*?[A-Za-z0-9]))(\*\*?)"  # opening
    rf"((?:[A-Za-z0-9]|{_PUNCT})(?:[^*\n]|\n(?![ \t]*\n))*?(?<=[A-Za-z0-9]|{_PUNCT}))"  # what it holds
    rf"\1(?:(?!\S)|(?<=[A-Za-z0-9]\*)(?!{_EDGE})|(?<=[A-Za-z0-9]\*\*)(?!{_EDGE}))")  # closing
_ODD_SPACE = re.compile(r"[^\S \n]")
_TAGS = {"*": ("<em>", "</em>"), "**": ("<strong>", "</strong>")}
_LINK_SLOT = "\x00"  # where a plain link stands while the rest is read (a text holding a NUL is not simple)


def _emphasis(m: re.Match) -> str:
    start, end = _TAGS[m[1]]
    return start + m[2] + end


# Addresses normalizeLink leaves as they are without a doubt, read with a pattern (mdurl takes 10-20 µs a link): http(s)
# with a host of ASCII labels (no user, no port), or relative, its first part without ":" (else it is a scheme).
_KEPT = re.compile(r"(?:https?://[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?=[/?#]|\Z)|\.{0,2}/(?!/)|[#?]"
                   r"|[A-Za-z0-9._~-]+(?=[/?#]|\Z))(?:[A-Za-z0-9;/?:@=+$,\-_.~'#!&]|%[0-9A-Fa-f]{2})*\Z")


def _kept(url: str) -> bool:
    """Whether the parser's normalizeLink leaves `url`, an address of _PLAIN_LINK's characters, as it is. Past _KEPT,
    that is mdurl's parse, format and encode (normalizeLink's other steps touch only a host that is not ASCII or
    holds a ":"); they drop an empty user name (`mailto:@x`), a host too long, and the like. (mdurl, markdown-it's
    own, is imported alone: importing markdown-it takes 0.03 s.)"""
    if len(url) < 256 and _KEPT.match(url):
        return True
    import mdurl

    parsed = mdurl.parse(url, slashes_denote_host=True)
    return ":" not in (parsed.hostname or "") and mdurl.encode(mdurl.format(parsed)) == url


def _text_html(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace('"', "&quot;") if '"' in text else text


def simple_inline(text: str) -> str | None:
    """`text` as HTML without its paragraphs' tags, when all its Markdown is simple emphasis and plain links; else None.
    Its "<" are those of the tags it made, its "&" those of "&amp;" and "&quot;" (read.text reads it back)."""
    if (_ODD_CHAR.search(text) and _ODD_EDGE.search(text)) or ("&" in text and _ENTITY.search(text)):
        return None
    links = []
    if "[" in text:
        def slot(m: re.Match) -> str:
            links.append(m)
            return _LINK_SLOT
        text = _PLAIN_LINK.sub(slot, text)
        if any(not (_kept(m[2]) and valid_link(m[2])) for m in links):
            return None
    if _markup(text):
        return None
    if "*" in text:
        if _ODD_SPACE.search(text):
            return None
        text = _EMPHASIS.sub(_emphasis, text)
        if "*" in text:
            return None
    text = _text_html(text)
    if links:
        made = iter(f'<a href="{m[2].replace("&", "&amp;")}">{_text_html(m[1])}</a>' for m in links)
        text = re.sub(_LINK_SLOT, lambda _: next(made), text)
    return text


LOOK_AT = 4000  # texts `ready` reads at most (about 5 µs each): past them, making the parser (about 0.03 s) is cheaper


def markdown_texts(articles):
    """The annotators' Markdown of `articles`: summaries, retraction reasons, notes (what `ready` reads)."""
    return (text for a in articles for text in (a.meta.summary, a.meta.retracted and a.meta.retracted.reason,
                                                *(ann.note for ann in a.annotations)))


def ready(texts, looked: int = 0) -> int | None:
    """The parser made now if one of `texts` needs it: the workers forked after this find it made,
    rather than each importing and making its own (0.07 s each, in every wave of pages). A site with
    more texts than LOOK_AT gets it made without reading the rest. Returns None once it is made, else
    how many texts were read (`looked`: read before, by an earlier call on the same site's texts)."""
    if parser.cache_info().currsize:
        return None
    for text in texts:
        if looked == LOOK_AT or (text and simple_inline(text) is None):
            parser()
            return None
        looked += 1
    return looked


@lru_cache(maxsize=65536)
def render_note(text: str | None) -> str:
    """Markdown written by an annotator, as safe HTML."""
    if not text:
        return ""
    simple = simple_inline(text)
    if simple is not None:
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", simple.strip("\n")) if p.strip()]
        made = "".join("<p>" + "\n".join(line.strip() for line in p.strip().split("\n")) + "</p>\n" for p in paragraphs)
    else:
        made = parser().render(text).replace("<pre>", SCROLLS).replace("<table>\n", TABLE).replace("</table>\n", "</table></div>\n")
    return _breakable(made) if _LONG_PATH.search(text) else made


# A long path or URL in a note's text: a line may end after any of its slashes. Without that chromium
# breaks such a string only at its hyphens, and where a piece up to the next hyphen is wider than the
# note it cuts it just before the hyphen, leaving a "-" alone on a line (audit read12/read13).
# Tried only where a run of such characters starts: tried inside one, it rescanned the rest of the run from
# every character, and a note of one long word (a pasted data: URI) took minutes.
_LONG_PATH = re.compile(r"(?<![^\s<>])[^\s<>/]*/[^\s<>]{20,}")
_TAG = re.compile(r"(<[^>]*>)")


def _breakable(made: str) -> str:
    """`made` with a <wbr> after each slash (or run of slashes) of its long paths, in text only, never in a tag."""
    return "".join(part if part.startswith("<") else _LONG_PATH.sub(lambda m: re.sub(r"(?<=/)(?=[^/])", "<wbr>", m.group()), part)
                   for part in _TAG.split(made))


SCROLLS = '<pre tabindex="0">'  # a code block scrolls sideways: the keyboard can reach and scroll it too
# a table wider than the column scrolls sideways in its box (its words never break inside; in the text, the notes in
# the margin stay clear of it; in a note, it never runs past the note nor widens a phone's page); the keyboard can
# reach and scroll the box, as a code block's
TABLE = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n<table>\n'
_REGION = 'role="region" aria-label="Table"'  # (in a page, only TABLE's: a user's quotes are escaped there)


def numbered_tables(page: str) -> str:
    """A page's table boxes named "Table 1", "Table 2", … where it holds more than one: each is a region, a landmark, and
    landmarks named alike are one name for two in a screen reader's list of them (axe-core's landmark-unique: heldout54's
    figures, a table in the text and one in a note)."""
    if page.count(_REGION) < 2:
        return page
    parts = page.split(_REGION)
    return "".join(part + f'role="region" aria-label="Table {n}"' for n, part in enumerate(parts[:-1], 1)) + parts[-1]


_LINK = re.compile(r'\b(href|src)="([^"]*)"')


def rebased(made: str, page: str) -> str:
    """HTML of annotator Markdown (`render_note`) with its relative links and images resolved against
    `page`, the path-absolute URL of the article's page: a note is shown on its article's page and also
    on flag and tag pages (a summary on the index and in the feed), where `../other/` led elsewhere.
    Links with a scheme, site-absolute ones (`/about`, see rootlinks.py) and `//host/` stay as they are;
    unless `page` is an absolute URL (a feed, whose reader shows a summary away from the site: SPEC 7),
    against which those are resolved too."""
    whole = SCHEME.match(page) is not None
    if 'href="' not in made and 'src="' not in made:
        return made

    def resolve(m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if SCHEME.match(_bare(url)) or (not whole and _bare(url).replace("\\", "/").startswith("/")):
            return m.group()
        return f'{m.group(1)}="{escape(urljoin(page, url) if whole else urljoin("http://h" + page, url).removeprefix("http://h"))}"'

    return _LINK.sub(resolve, made)
