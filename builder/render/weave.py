"""Weave passage marks into an article's flow.

Each annotation's span becomes one or more `<mark data-annotation="id">` pieces: marks nest where
passages overlap, and are closed and reopened around every tag so the HTML stays well formed.
The text inside an annotation's pieces, joined, is its quote. Right before a passage's first piece
comes its note reference: the note's number and the passage's flag words, as real text (its
accessible name is that text after a hidden "Note", so it always holds what is seen). Every mark
open there is closed first and reopened after, so the reference is inside no passage's pieces; those that go on
after it are drawn around it by a `<span class="in-passage">` each (no data-annotation: not a piece), so that a
passage with smaller ones inside it is not cut in pieces by their references.
After the reference, an empty slot: on narrow screens the folded note is laid into it, under the
line where the passage starts (see glossator.css); in a code block, after that line, which stays whole; for
a passage starting inside a link, whose reference comes before the link, with the passage's first word.
No line breaks between the reference and the passage's first word (a <wbr> there let a phone's line
end after the reference, and the note fell under that line, above its passage): the line breaks before
the reference, or inside it between flag words.
"""
from __future__ import annotations

import bisect
import heapq
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from unicodedata import east_asian_width

from ..model import fast_made
from ..read.text import BR, SEP, TABLE


@dataclass(frozen=True, slots=True)
class Span:
    """A passage to mark in the text."""

    id: str  # the annotation's id
    start: int  # offsets in the visible text
    end: int
    number: int  # the note's number in reading order
    flags: tuple[str, ...]
    words: tuple[tuple[str, str, str | None, bool], ...] = ()  # (flag name, word as shown: "Rebutted", end: "in", "out"
    # or None, whether the word is the interface's English: SiteView.words' en), ends first
    lines: int = 1  # how many lines its folded note takes on a narrow screen (verdict_lines), and so its slot
    wide: int = 1  # the same on a phone 375 px wide or more (verdict_lines at VERDICT_LINE_WIDE), and so its slot there
    row: int = 1  # ... and over a table's row, where its note shows its flag words (row_lines)
    row_wide: int = 1
    en: bool = False  # on a site in another language: its end words ("Rebutted") say lang="en" (bidi.english)


@dataclass(frozen=True, slots=True)
class WovenBlock:
    html: str
    notes: tuple[str, ...]  # ids of the annotations whose passage starts in this block


def _render_text(text: str, mode: str) -> str:
    if mode == SEP:
        return "\n" if text else ""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # escape(text, quote=False)
    return out.replace("\n", "<br>\n") if mode == BR else out


_LINK = re.compile(r"<a[\s>]", re.I)
_CELL = re.compile(r"<t[rdh][\s>]")  # a table's row or cell opens
LONG = 24  # characters: a flag word longer than this may wrap inside (glossator.css, .fw.long)
CROWDED = 34  # characters: flag words longer than this, joined, show as the first and "+N" (crowded)
LONG_VERDICT = 20  # characters: a verdict longer than this has lines of a phone's folded note to itself (glossator.css, .verdict-word.long)
VERDICT_LINE = 22  # characters: about what one of those lines holds at 320 px
VERDICT_LINE_WIDE = 29  # ... and at 375 px and wider (glossator.css, .slot.tall): sized at 320 px, a slot there was a line
# too tall; at 27, so was one under a verdict of 28 or 29 ("MOSTLY ACCURATE, WITH CAVEATS": 256 of 261 px, page52)


def verdict_lines(label: str, flags: str | None = None, line: int = VERDICT_LINE) -> int:
    """How many lines a phone's folded note with a verdict takes, and so its slot. With words of its own: one beside
    its first words, or the verdict's own then its first words. Beside them on one line, "MOSTLY ACCURATE, WITH
    CAVEATS" was cut at 375 px, and "SUBSTANTIALLY MISLEADING" in a quotation's narrower line (page48, page49).
    Without (`flags`: its flag words, joined): one beside its flag words where both fit, else the flag words' lines
    then the verdict's, from the line's start as over a table's row (ROW_VERDICT): beside "SUBSTANTIALLY MISLEADING",
    "UNDISCLOSED CONFLICT OF INTEREST" was cut to "UN…" (page50); counted as beside the number, heldout50's ballad had a
    slot of four lines under a note of three at 375 px, a hole of 80 px in the verse without script (page61). `line`: the
    characters a line holds."""
    if flags is not None:
        if len(flags) + 1 + len(label) <= LONG_VERDICT:
            return 1
        return math.ceil(len(flags) / line) + math.ceil(len(label) / (line + ROW_VERDICT))
    return 1 if len(label) <= LONG_VERDICT else 1 + math.ceil(len(label) / line)


FLAGS_BESIDE = 14  # characters: flag words a folded note over a table's row shows beside its first words on a phone
ROW_VERDICT = 3  # characters: a verdict's line under flag words (over a table's row, or in the text) holds this many more
# than one beside the number (34 px): counted as in the text, a slot at 320 px was a line too tall (77 px under 57, page53)


def shown_flags(words: list[str], ends: list) -> str:
    """The flag words a folded note shows on a phone where its passage's reference does not (_note.html), joined:
    crowded ones as the leading words and "+N"; none, "Note"."""
    if crowded(words):
        n = lead(ends)
        words = words[:n] + [f"+{len(words) - n}"]
    return " ".join(words) or "Note"


def row_lines(flags: str, line: int = VERDICT_LINE, verdict: str | None = None) -> int | None:
    """How many lines a folded note over a table's row takes on a phone (`flags`: shown_flags): one, its flag words
    beside its first words, or where they are longer than FLAGS_BESIDE, the flag words alone, wrapped beside its
    number (its first words show once it opens), and a verdict's lines under them, from the number's edge. Cut
    at 60 % of the line, "FIGURE WITH NO TRA…" hid what the desk found (heldout46, page51); above them, a row of
    three notes took six lines (tests/sites/labels' water); beside a verdict, "UNDISCLOSED CONFLICT OF INTEREST"
    stood a few letters a line in seven lines, over a slot of two (page52). None: a verdict beside flag words that
    fit, as in the text (verdict_lines)."""
    if len(flags) <= FLAGS_BESIDE:
        return None if verdict else 1
    return math.ceil(len(flags) / line) + (math.ceil(len(verdict) / (line + ROW_VERDICT)) if verdict else 0)


def _link_text(block, k: int) -> list[tuple[int, int]]:
    """The text ranges inside the link whose opening tag is block[k]. (Read by index: a copy of the rest of
    the block for each link made a paragraph of 5,000 links quadratic, 10 MB of Markdown took 10 minutes.)"""
    out, depth = [], 0
    for i in range(k + 1, len(block)):
        piece = block[i]
        if piece[0] == "tag":
            if piece[1].lower().startswith("</a"):
                if depth == 0:
                    break
                depth -= 1
            elif _LINK.match(piece[1]):
                depth += 1
        else:
            out.append((piece[1], piece[2]))
    return out


class _Active:
    """The spans that cover a point, in nesting order, kept up to date as the point moves forward:
    each span enters once and leaves once, so a whole article costs O(n log n), not O(n²)."""

    def __init__(self, spans: list[Span], order: dict[str, int]):
        self.spans, self.order = spans, order
        self.reset()

    def reset(self) -> None:
        self.by_start = sorted(self.spans, key=lambda s: s.start)
        self.next = 0  # the first span of by_start not yet entered
        self.keys: list[int] = []  # order of each active span, sorted
        self.active: list[Span] = []  # parallel to keys
        self.ends: list[tuple[int, int]] = []  # heap of (end, order) of active spans
        self.point = -1
        self.due = -1  # where the spans covering a point next change: `active` holds for point <= p < due

    def at(self, point: int) -> list[Span]:
        """Spans with start <= point < end, ordered as nesting requires."""
        if point < self.point:  # a flow that goes back (never in practice): start over
            self.reset()
        self.point = point
        while self.next < len(self.by_start) and self.by_start[self.next].start <= point:
            span = self.by_start[self.next]
            self.next += 1
            key = self.order[span.id]
            i = bisect.bisect_left(self.keys, key)
            self.keys.insert(i, key)
            self.active.insert(i, span)
            heapq.heappush(self.ends, (span.end, key))
        while self.ends and self.ends[0][0] <= point:
            _, key = heapq.heappop(self.ends)
            i = bisect.bisect_left(self.keys, key)
            del self.keys[i], self.active[i]
        entering = self.by_start[self.next].start if self.next < len(self.by_start) else math.inf
        leaving = self.ends[0][0] if self.ends else math.inf
        self.due = entering if entering < leaving else leaving
        return self.active


def weave(text: str, blocks, spans: list[Span]) -> list[WovenBlock]:
    order = {s.id: i for i, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end, s.number)))}
    opened: set[str] = set()
    referenced: set[str] = set()  # spans whose note reference is written
    slot_due: set[str] = set()  # ... before their link, their slot not yet (noterefs)
    out: list[WovenBlock] = []
    bounds = sorted({p for s in spans for p in (s.start, s.end)})  # where a passage starts or ends
    by_start = sorted(spans, key=lambda s: (s.start, order[s.id]))
    starts = [s.start for s in by_start]
    cover = _Active(spans, order)
    for block in blocks:
        html: list[str] = []
        stack: list[Span] = []
        starts_here: list[str] = []

        def close_to(depth: int) -> None:
            while len(stack) > depth:
                stack.pop()
                html.append("</mark>")

        ahead = _near(text, block, by_start, starts)  # a passage's id -> the passages close after it (their slots come with its own)
        shared = {span.id for later in ahead.values() for span in later} if ahead else ()
        in_pre = False
        slots_at: dict[int, list[Span]] = {}  # in a code block: offset -> the slots that come there
        in_table, row_at, row_cells, row_slots = False, 0, 0, []  # in a table: where its row opens in html, its cells so far, the slots of its passages

        def noterefs(spans: list[Span], slots: bool = True) -> None:
            """The references of passages starting at one place, then their slots: a line may break between two
            references, never after the last, so each note lies under the line where its passage starts. A
            reference written before its link (`slots` False) leaves its slot to the passage's first word."""
            for span in spans:
                if span.id not in referenced:
                    referenced.add(span.id)
                    html.append(noteref_html(span, in_pre and bool(text[text.rfind("\n", 0, span.start) + 1 : span.start].strip())))
            if not slots:
                slot_due.update(span.id for span in spans)
                return
            slot_due.difference_update(span.id for span in spans)
            if in_table:  # in a table, which scrolls sideways: the slot comes in a row of its own over the row (below)
                row_slots.extend(_slot(span, row=True) for span in spans)
            elif not in_pre:  # in code, the slot comes after the line (see weave below)
                # no break between the reference and the passage's first word (audit label-split)
                if ahead:
                    html.extend(_slot(span, kind="shared") for span in spans if span.id in shared)
                    html.extend(_slots([span for span in spans if span.id not in shared],
                                       [later for span in spans for later in ahead.get(span.id, ())]))
                else:  # (most paragraphs)
                    html.extend(_slots(spans))

        for k, piece in enumerate(block):
            if piece[0] == "tag":
                tag = piece[1]
                in_pre = tag.startswith("<pre") or (in_pre and "</pre>" not in tag)
                if stack:
                    close_to(0)
                if tag == TABLE or tag.startswith("</table>"):
                    in_table = tag == TABLE
                elif in_table and _CELL.match(tag):
                    if tag[2] == "r":
                        row_at, row_cells = len(html), 0
                    else:
                        row_cells += 1
                if tag[1:2] in "aA" and _LINK.match(tag):
                    # a link may not hold another: the references of passages starting inside it come before it,
                    # their slots with their first words, so that a note lies under the line its passage starts on,
                    # not the link's first (a long URL's last words quoted: 48 px above them on a phone, page63)
                    inside = [s for a, b in _link_text(block, k)
                              for s in by_start[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]]
                    noterefs([span for span in sorted(inside, key=lambda s: order[s.id]) if span.id not in referenced],
                             slots=in_table)
                html.append(tag)
                if row_slots and tag.startswith("</tr"):
                    html.insert(row_at, _slot_row(row_slots, row_cells))
                    row_slots.clear()
                continue
            _, start, end, mode = piece
            if not stack and not cover.active and not slots_at and cover.point <= start and end <= cover.due:
                html.append(_render_text(text[start:end], mode))  # no passage open, starting or ending in it
                continue
            inside = bounds[bisect.bisect_right(bounds, start) : bisect.bisect_left(bounds, end)]
            if in_pre:  # a code line is never broken: a passage's slot comes after the line it starts on
                for span in by_start[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]:
                    line_end = text.find("\n", span.start, end)
                    slots_at.setdefault(end if line_end == -1 else line_end + 1, []).append(span)
                inside = sorted(set(inside) | {o for o in slots_at if start < o < end})
            points = [start, *inside, end] if end > start else [start]
            for a, b in zip(points, points[1:]):
                if a in slots_at:
                    close_to(0)
                    html.extend(_slot(span) for span in slots_at.pop(a))
                # every span covering [a, b): none starts or ends inside it
                active = cover.active if cover.point <= a < cover.due else cover.at(a)
                if not active and not stack:  # most of a text: no passage open or to open
                    html.append(_render_text(text[a:b], mode))
                    continue
                depth = 0
                while depth < len(stack) and depth < len(active) and stack[depth] is active[depth]:
                    depth += 1
                starting = [s for s in active if s.id not in opened and (s.id not in referenced or s.id in slot_due)]
                around = stack[:depth] if starting else []  # passages that go on through the references
                if starting:
                    depth = 0
                while len(stack) > depth:  # (close_to(depth), in place: once or twice a passage)
                    stack.pop()
                    html.append("</mark>")
                if around:  # the references inside them look part of them (glossator.css, .in-passage)
                    html.extend(f'<span class="in-passage" data-flags="{" ".join(s.flags)}">' for s in around)
                noterefs(starting)
                if around:
                    html.append("</span>" * len(around))
                for span in active[depth:]:
                    first = span.id not in opened
                    attrs = f' id="{span.id}" style="--passage: --p{span.number}"' if first else ""
                    if first:
                        opened.add(span.id)
                        starts_here.append(span.id)
                    flags = " ".join(span.flags)
                    html.append(
                        f'<mark class="passage" data-annotation="{span.id}" data-flags="{flags}"{attrs} '
                        f'aria-details="note-{span.id}">'
                    )
                    stack.append(span)
                html.append(_render_text(text[a:b], mode))
            if end in slots_at:
                close_to(0)
                html.extend(_slot(span) for span in slots_at.pop(end))
        close_to(0)
        out.append(fast_made(WovenBlock, ("".join(html), tuple(starts_here))))
    return out


def crowded(words) -> bool:
    """Whether a passage's flag words are too many to show whole (joined, longer than CROWDED): its
    note reference and its folded note then show its leading words (lead), and "+N" for the rest."""
    return len(words) > 1 and sum(map(len, words)) + len(words) - 1 > CROWDED


def lead(ends) -> int:
    """How many of a passage's flag words (given by their ends: "in", "out", None) show wherever they are
    folded to a few and "+N": its relation's ends, which SiteView.words puts first ("Rebutted", "Rebuts";
    SPEC 6: which side a passage is on is always seen), or else its first word."""
    n = 0
    while n < len(ends) and ends[n]:
        n += 1
    return max(n, 1)


def noteref_html(span: Span, mid_code: bool = False) -> str:
    """The note reference: `Note` (hidden), the number, the flag words. Crowded, only the leading words
    show (lead): the rest stay in the text, hidden but read, behind a "+N", so that four long site labels
    do not fill a phone's lines. `mid_code`: in a code line, after its first non-blank character (the
    number takes room there, glossator.css).
    Not a Tab stop (tabindex -1) until the script makes it one: without script on a phone each note stands under
    its passage's line but comes after the whole paragraph in the page, and Tab went through a paragraph's numbers,
    then back up to its notes. There Tab goes from note to note (each note's summary, with the same number and flag
    words), down the page; the link is still a link, named and heard, and a tap or a click on it still leads to its
    note. The script puts the numbers back in Tab's order, which it orders itself (glossator.js)."""
    first, tail = _words_html(span.words, span.en)  # (one piece on a phone's line with the number)
    return (f'<a class="noteref{" mid" if mid_code else ""}" href="#note-{span.id}" id="ref-{span.id}" tabindex="-1" role="doc-noteref" '
            f'data-n="{span.number}" data-flags="{" ".join(span.flags)}">'
            f'<span class="vh">Note </span><span class="lead"><span class="n">{span.number}</span>{first}</span>{tail}</a>')


_EN = ' lang="en"'


@lru_cache(maxsize=4096)
def _words_html(words: tuple[tuple[str, str, str | None, bool], ...], en: bool = False) -> tuple[str, str]:
    """A note reference's flag words as HTML: the first, and the rest (see noteref_html). The same few
    combinations of flags recur on every page: made once each. `en`: the interface's words (the ends', built-in
    labels) say lang="en" (a site in another language)."""
    shown = [f' <span class="fw{" long" if len(word) > LONG else ""}" data-flag="{name}"{_EN if en and english else ""}>'
             f'{escape(word)}</span>' for name, word, _, english in words]
    k = lead([end for _, _, end, _ in words])  # (the hidden words are the hidden span's own text: no box of their own)
    if k >= len(words) or not crowded([word for _, word, _, _ in words]):
        return (shown[0] if shown else ""), "".join(shown[1:])
    rest = [word for _, word, _, _ in words[k:]]
    return shown[0], "".join(shown[1:k]) + (
        f'<span class="vh"> {escape(" ".join(rest))}</span><span class="more" '
        f'aria-hidden="true" title="{escape(", ".join(rest))}"> +{len(rest)}</span>')


def _slot(span: Span, row: bool = False, kind: str = "") -> str:
    """A passage's slot (`row`: over a table's row, where its note shows its flag words: row_lines). `kind`: "ahead",
    a copy standing with an earlier passage's slot without script, or "shared", the one such a passage's own (_near)."""
    lines, wide = (span.row, span.row_wide) if row else (span.lines, span.wide)
    if lines > 1:
        return f'<span class="slot tall" aria-hidden="true" style="--slot: --s{span.number}; --lines: {lines}; --wide: {wide}"></span>'
    return f'<span class="slot{kind and " " + kind}" aria-hidden="true" style="--slot: --s{span.number}"></span>'


SIDE_BY_SIDE = 3  # one-line slots of passages that start at one place, at most this many in one row (5rem each at 320 px)
LINE = 38  # characters: what a line of the text holds on a phone 375 px wide (36 to 42 of the serif: the repo's site, page60)
MARGIN = 2  # characters: how far from an estimated line's ends a passage's first word must be to be taken as on that line ...
DRIFT = .5  # ... and more a line after the first, as the estimate drifts from the lines the browser breaks
LINES_KNOWN = 12  # the lines of a paragraph (or of a list's item) estimated: past them, none taken as shared
REF_CHARS = 2  # characters: what a note reference's number takes in the line (about two letters wide); its flag words, FLAG_CHARS a letter
FLAG_CHARS = .9
_TOKEN = re.compile(r"\S+")
_INLINE = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)[\s>]", re.I)


def _chars(word: str) -> float:
    """A word's width in characters of the text: a letter of Chinese, Japanese or Korean is two."""
    return sum(2 if "\u1100" <= c and east_asian_width(c) in "WF" else 1 for c in word)


def _near(text: str, block, by_start: list[Span], starts: list[int]) -> dict[str, list[Span]]:
    """Without script on a phone, passages that start on one line but not at one word each had a slot under it, one
    under the other: two left a hole of 47 to 50 px in the text (stress's "Gangs met. Cartels paid. Guns moved.",
    71 px, page60). The builder cannot know where a phone's lines break, but it can guess: it breaks the paragraph's
    first lines as a browser does, greedily, at LINE characters, references included, and takes passages whose first
    words end on one such line, clear of its ends by MARGIN (and DRIFT a line after), as sharing it. Their one-line
    slots, SIDE_BY_SIDE at most, stand side by side with the first one's (a copy each, "ahead"), and their own
    ("shared") take no room there. Where the guess was wrong, the later note stands right above its passage's line,
    under the line before (still level). With script, glossator.js knows the lines: the copies are not used.
    Returns the id of each first passage -> the passages whose slots come with its own."""
    first = next((piece for piece in block if piece[0] == "text"), None)
    if first is None:
        return {}
    last = next(piece for piece in reversed(block) if piece[0] == "text")
    here = by_start[bisect.bisect_left(starts, first[1]) : bisect.bisect_left(starts, last[2])]
    if len(here) < 2:
        return {}
    places: list[list[Span]] = []  # the passages starting at each place, in order
    for span in here:
        if places and places[-1][0].start == span.start:
            places[-1].append(span)
        else:
            places.append([span])
    if all(b[0].start - a[0].start >= LINE and len(" ".join(text[a[0].start : b[0].start].split())) >= LINE
           for a, b in zip(places, places[1:])):
        return {}  # (what lies between each two, its white space one space, fills a line of LINE: they never share one)
    if any(piece[0] == "tag" and (piece[1] == TABLE or piece[1].startswith("<pre")) for piece in block):
        return {}
    breaks, pending = [first[1]], False  # where lines start: the block's text, text after markup that is not inline (a list's item)
    for piece in block:
        if piece[0] == "tag":
            pending = pending or not _INLINE.match(piece[1])
        elif pending:
            breaks.append(piece[1])
            pending = False
    where = _lines(text, breaks, places)
    one_line = lambda spans: all(s.lines == s.wide == 1 for s in spans)
    out: dict[str, list[Span]] = {}
    group = None  # (the first place's passages, how many passages, its estimated line)
    for spans, (line, left, right) in zip(places, where):
        sure = line is not None and left >= MARGIN + DRIFT * line[1] and right <= LINE - MARGIN - DRIFT * line[1]
        if group and sure and group[2] == line and one_line(spans) and group[1] + len(spans) <= SIDE_BY_SIDE:
            out.setdefault(group[0][0].id, []).extend(spans)
            group = (group[0], group[1] + len(spans), line)
        else:
            group = (spans, len(spans), line) if sure and one_line(spans) else None
    return out


def _lines(text: str, breaks: list[int], places: list[list[Span]]) -> list[tuple]:
    """Where each place's first word would end up, its lines broken greedily at LINE characters from the last line
    break before it: ((that break, the line's number after it), column of its start, of its end), or (None, 0, 0)
    past LINES_KNOWN. A reference's last piece stays with the passage's first word (weave.noteref_html); a word of
    Chinese, Japanese or Korean breaks between its letters."""
    out = []
    start = line = None
    col, pos, left = 0.0, 0, 0.0
    for spans in places:
        at = spans[0].start
        first = max(breaks[bisect.bisect_right(breaks, at) - 1], text.rfind("\n", 0, at) + 1)
        if first != start:
            start, line, col, pos = first, 0, 0.0, first
        if line is not None:
            for m in _TOKEN.finditer(text, pos, at):  # the words before it
                line, col, _ = _lay(line, col, _pieces(m.group()), m.start() > 0 and text[m.start() - 1].isspace())
                if line >= LINES_KNOWN:  # (past them, this place and the rest of the paragraph's: none)
                    break
            ref = []
            for span in spans:  # the references: the number with the first flag word, then the others
                words = [w for _, w, _, _ in span.words]
                ref += [REF_CHARS + FLAG_CHARS * len(words[0]) if words else REF_CHARS, *(FLAG_CHARS * len(w) for w in words[1:])]
            word = _TOKEN.match(text, at)
            pieces = _pieces(word.group()) if word else [(0.0, 0)]
            line, col, _ = _lay(line, col, [(w, 0) for w in ref[:-1]], at > 0 and text[at - 1].isspace(), True)
            line, col, left = _lay(line, col, [(ref[-1] + pieces[0][0], 0)], len(ref) > 1 or (at > 0 and text[at - 1].isspace()))
            pos = at + pieces[0][1]
            if line is not None and line >= LINES_KNOWN:
                line = None
        out.append(((start, line), left, col) if line is not None else (None, 0, 0))
    return out


def _lay(line: int, col: float, pieces, space: bool, apart: bool = False) -> tuple:
    """Pieces (width, letters) laid after column `col` of a line, a space before the first where `space` (and between
    them where `apart`: words, not letters), the line broken before any that does not fit: the line, the column after
    them, and where the last began (how far over the line before it went, where it begins one: as sure)."""
    begin, over = col, float(LINE)  # (a paragraph's first word begins its first line: sure)
    for width, _ in pieces:
        begin = col + (1 if col and space else 0)
        if begin + width > LINE and col:
            line, begin, over = line + 1, 0.0, begin + width - LINE
        col, space = begin + width, apart
    return line, col, begin or over


def _pieces(word: str) -> list[tuple[float, int]]:
    """A word's pieces where a line may break inside it, (width, letters): whole, or a letter each where it is Chinese,
    Japanese or Korean."""
    if word.isascii() or _chars(word) == len(word):
        return [(float(len(word)), len(word))]
    return [(float(_chars(c)), 1) for c in word]


def _slots(spans: list[Span], ahead: list[Span] = ()) -> list[str]:
    """The slots of the passages that start at one place, which a line always shows together: their one-line slots
    side by side in rows of SIDE_BY_SIDE at most (glossator.css, .slots), with copies of those of the passages close
    after them (`ahead`, _near). Without script on a phone, the two notes of such a line stood in slots one under the
    other, a hole of 47 px in the text (heldout54's fifteen, page59); the script puts any line's folded notes side by
    side (glossator.js, side), where .slots is not a box. A passage whose slot came ahead has its own marked "shared"."""
    if ahead:
        return [f'<span class="slots">{"".join(map(_slot, spans))}{"".join(_slot(s, kind="ahead") for s in ahead)}</span>']
    out: list[str] = []
    for span in spans:
        if out and span.lines == span.wide == 1 and out[-1][1] and len(out[-1][1]) < SIDE_BY_SIDE:
            out[-1][1].append(span)
        else:
            out.append((span, [span] if span.lines == span.wide == 1 else None))
    return [f'<span class="slots">{"".join(map(_slot, row))}</span>' if row and len(row) > 1 else _slot(span) for span, row in out]


def _slot_row(slots: list[str], cells: int) -> str:
    """Before a table's row, the slots of the passages that start in it: on a narrow screen their notes stand
    right over the row, in a box that keeps to the table's visible width (glossator.css). A note beside a cell
    would not follow it sideways; the notes of all a table's cells, stacked over the table, stood up to 458 px
    from their passages, a hole of 190 px in the text; under the row, a row of cells of six lines put them
    150 px under their passage's first line (audit page39)."""
    span = f' colspan="{cells}"' if cells > 1 else ""
    return f'<tr class="slot-row" aria-hidden="true"><td{span}><div class="slot-box">{"".join(slots)}</div></td></tr>\n'
