"""What the search index reads of one rendered article page (SPEC 11; search.py indexes it): the visible
text of the element marked `data-search-body`, less what is marked `data-search-ignore`, note references and
notes' git history, with the anchors in it (where each passage and note starts, in words), and the page's
filters and metadata (`data-search-filter`, `data-search-meta`, its h1)."""
from __future__ import annotations

import html
import re
import unicodedata

from . import native

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
# a tag's attributes one by one, so that words inside a quoted value (a link's title) are never taken for one
_ATTRS = r"""(?:\s+[^\s"'>=/]+(?:="[^"]*"|=[^\s"'>]+)?)*?"""
_BODY = re.compile(rf"<([a-zA-Z][a-zA-Z0-9]*){_ATTRS}\s+data-search-body(?=[\s>=/])")
_HOOK = re.compile(r'<span data-search-(filter|meta)="([^"]*)">([^<]*)</span>')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_ANY_TAG = re.compile(r"<[^>]*>")
_SKIPPED = re.compile(rf"""{_ATTRS}\s+(?:data-search-ignore(?=[\s=/]|$)|class="(?:noteref|note-history)[\s"])""")
# elements whose edges separate words (the others, <em>, <mark>, <a>, may sit inside a word)
BLOCKS = frozenset("address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
                   "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
RAW = frozenset({"script", "style", "template"})


_ESCAPES = (("&#34;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # what Jinja writes, "&amp;" last


def unescape(text: str) -> str:
    """html.unescape(text), faster where every "&" begins one of the escapes Jinja writes."""
    if "&" not in text:
        return text
    if text.count("&") != sum(text.count(escape) for escape, _ in _ESCAPES):
        return html.unescape(text)
    for escape, char in _ESCAPES:
        text = text.replace(escape, char)
    return text


def _end_of(page: str, name: str, position: int) -> int:
    """Where the element of tag `name` opened just before `position` ends (after its closing tag)."""
    tags = _tags(name)
    if (match := tags.search(page, position)) is None:
        return len(page)
    if match.group(1):  # (most hold no element of their own name)
        end = page.find(">", match.end() - 1)
        return len(page) if end < 0 else end + 1
    depth = 1
    for match in tags.finditer(page, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = page.find(">", match.end() - 1)
            return len(page) if end < 0 else end + 1
    return len(page)


_TAGS: dict[str, re.Pattern] = {}


def _tags(name: str) -> re.Pattern:
    """Opening and closing tags of one element name."""
    if name not in _TAGS:
        _TAGS[name] = re.compile(rf"<(/?){re.escape(name)}(?=[\s>/])", re.I)
    return _TAGS[name]


_SKIP = 2  # `_kind`'s step of an element whose content is not read (None: a comment)
_KINDS: dict[str, tuple] = {}  # tag -> its `_kind`, for the tags without an id (most are the same tags again)


def _kind(closing: str | None, name: str | None, attrs: str | None) -> tuple[str, bool, int | None, bool]:
    """What the page reader does with one tag: its name (lower case), whether it separates words, how it
    changes the depth (1 opens, -1 closes, 0 void, `_SKIP`, None for a comment), whether it may hold an id."""
    if name is None:
        return "", False, None, False
    name = name.lower()
    block = name in BLOCKS
    if closing:
        return name, block, -1, False
    void = name in VOID or attrs.endswith("/")
    # `_SKIPPED`'s marks looked for first: the notes' own class="note…" elements would fail the regex
    marked = "data-search-ignore" in attrs or 'class="noteref' in attrs or 'class="note-history' in attrs
    if name in RAW or (not void and marked and _SKIPPED.match(attrs)):
        return name, block, _SKIP, False
    return name, block, 0 if void else 1, ' id="' in attrs


def _body(page: str) -> re.Match | None:
    """The start tag of the element marked `data-search-body` (a quick look for the words, then a check
    that they are an attribute's name)."""
    at = page.find("data-search-body")
    while at >= 0:
        found = _BODY.match(page, page.rfind("<", 0, at))
        if found:
            return found
        at = page.find("data-search-body", at + 1)
    return None


def has_body(page: str) -> bool:
    """Whether search would index this article page: it has an element marked `data-search-body`."""
    return _body(page) is not None


def _words(texts: list[str], ends: list[int]) -> tuple[list[str], list[int]]:
    """The words of "".join(texts), and how many of them begin before texts[end] for each of `ends` (in order),
    then how many there are. The rule of builder/_searchpage.c's `content`, which joins the words too."""
    parts: list[str] = []
    before = []
    done = 0
    for end in [*ends, len(texts)]:
        if end > done:
            more = "".join(texts[done:end])
            words = more.split()
            if words and parts and not more[0].isspace() and not texts[done - 1][-1].isspace():
                parts[-1] += words.pop(0)  # a word across the edge
            parts += words
            done = end
        before.append(len(parts))
    return parts, before


def _visible(page: str, position: int) -> tuple[list[str], list[dict], list[int]]:
    """The visible text of the element that opens at `position`, in pieces, its anchors (location: -1 where
    one begins inside a word, else 0) and where in the pieces each anchor is. The rule that
    builder/_searchpage.c mirrors (read_page uses that where it is built, tests hold the two equal)."""
    texts: list[str] = []
    anchors: list[dict] = []
    ends: list[int] = []
    open_word = False  # the text so far ends inside a word (an inline tag may sit inside one)
    depth = 0  # of elements inside the body
    kinds = _KINDS
    while True:  # (a tag after another, until an element is skipped: then again from its end)
        for match in _TAG.finditer(page, position):
            start = match.start()
            if start != position:
                text = page[position:start]
                if "&" in text:
                    text = unescape(text)
                if text:
                    texts.append(text)
                    open_word = not text[-1].isspace()
            position = match.end()
            kind = kinds.get(tag := match.group())
            if kind is None:
                kind = _kind(*match.groups())
                if ' id="' not in tag and len(kinds) < 4096:  # (a tag with an id is seldom seen twice)
                    kinds[tag] = kind
            name, block, step, with_id = kind
            if open_word and block:
                texts.append(" ")
                open_word = False
            if step == 1 or step == 0:
                depth += step
                if with_id and (found := _ID.search(match.group(3))):
                    anchors.append({"element": name, "id": unescape(found.group(1)), "location": -open_word})
                    ends.append(len(texts))
            elif step == -1:
                depth -= 1
                if depth <= 0:
                    return texts, anchors, ends
            elif step == _SKIP:
                position = _end_of(page, name, position)  # what it holds is not read
                break
        else:
            return texts, anchors, ends


def _hooks(page: str, filters: dict[str, list[str]], meta: dict[str, str]) -> None:
    """The page's filters (name -> values) and metadata (name -> value) of its search hooks, into the two dicts.
    The rule of builder/_searchpage.c's `hooks`."""
    for kind, name, value in _HOOK.findall(page):
        if kind == "filter":
            filters.setdefault(unescape(name), []).append(unescape(value))
        else:
            meta[unescape(name)] = unescape(value)


# `_visible`, the words of `_words` (joined) and `_hooks` compiled (builder/_searchpage.c mirrors them, tests hold them
# equal; search.term_counts uses its `count_pieces` too, search._merge its `post`); None where it is not built
_NATIVE = native.load("_searchpage")
if _NATIVE is not None:
    _NATIVE.configure(BLOCKS, VOID, RAW, unescape)


def read_page(page: str) -> tuple[dict, int] | None:
    """The fragment of one article page (without its path) and its word count; None without a body to index.
    An anchor's location is the number of words before it in the content, as search.js splits it."""
    body = _body(page)
    if body is None:
        return None
    # (the compiled reader declines, None, the rare pages whose exact reading it leaves to `_visible`)
    seen = _NATIVE and _NATIVE.visible(page, body.start())
    texts, anchors, ends = seen or _visible(page, body.start())
    if joined := _NATIVE and _NATIVE.content(texts, ends):  # (declined, None: where a text is empty)
        content, words, before = joined
    else:
        parts, before = _words(texts, ends)
        content, words = " ".join(parts), len(parts)
    for anchor, count in zip(anchors, before):
        anchor["location"] += count
    # "Cafe\u0301" as "Café", as a reader types it and search.js reads a query (the compiled check: Latin and punctuation)
    if not content.isascii() and not (_NATIVE and _NATIVE.plainly_nfc(content)):
        content = unicodedata.normalize("NFC", content)
    filters: dict[str, list[str]] = {}
    meta: dict[str, str] = {}
    (_NATIVE.hooks if _NATIVE else _hooks)(page, filters, meta)
    title = _H1.search(page)
    meta["title"] = " ".join(unescape(_ANY_TAG.sub("", title.group(1))).split()) if title else ""
    return {"content": content, "anchors": anchors, "filters": filters, "meta": meta}, words
