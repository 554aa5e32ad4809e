"""The reference weaver for tests: the straightforward quadratic version, which the near-linear
builder/render/weave.py must match byte for byte. Weave passage marks into an article's flow.

Each annotation's span becomes one or more `<mark data-annotation="id">` pieces: marks nest where
passages overlap, and are closed and reopened around every tag so the HTML stays well formed.
The text inside an annotation's pieces, joined, is its quote. Right before a passage's first piece
comes its note reference: the note's number and the passage's flag words, as real text. Every mark
open there is closed first and reopened after, so the reference is inside no passage's pieces; those
that go on after it are drawn around the references (and slots) by a `<span class="in-passage">` each.
After the reference, an empty slot: on narrow screens the folded note is laid into it, under the
line where the passage starts (see glossator.css).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from builder.read.text import BR, SEP
from builder.render.weave import _near, _slot, _slots, noteref_html  # the reference's and slots' own HTML, and which slots
# stand together (_near): not what this file checks


@dataclass(frozen=True, slots=True)
class Span:
    """A passage to mark in the text."""

    id: str  # the annotation's id
    start: int  # offsets in the visible text
    end: int
    number: int  # the note's number in reading order
    flags: tuple[str, ...]
    words: tuple[tuple[str, str], ...] = ()  # (flag name, word as shown: "Rebutted"), in flag order


@dataclass(frozen=True, slots=True)
class WovenBlock:
    html: str
    notes: tuple[str, ...]  # ids of the annotations whose passage starts in this block


def _render_text(text: str, mode: str) -> str:
    if mode == SEP:
        return "\n" if text else ""
    out = escape(text, quote=False)
    return out.replace("\n", "<br>\n") if mode == BR else out


_LINK = re.compile(r"<a[\s>]", re.I)


def _link_text(block, k: int) -> list[tuple[int, int]]:
    """The text ranges inside the link whose opening tag is block[k]."""
    out, depth = [], 0
    for piece in block[k + 1 :]:
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


def weave(text: str, blocks, spans: list[Span]) -> list[WovenBlock]:
    order = {s.id: i for i, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end, s.number)))}
    opened: set[str] = set()
    referenced: set[str] = set()  # spans whose note reference is written
    slot_due: set[str] = set()  # ... before their link, their slot not yet
    out: list[WovenBlock] = []
    for block in blocks:
        html: list[str] = []
        stack: list[Span] = []
        starts_here: list[str] = []

        def close_to(depth: int) -> None:
            while len(stack) > depth:
                stack.pop()
                html.append("</mark>")

        by_start = sorted(spans, key=lambda s: (s.start, order[s.id]))
        ahead = _near(text, block, by_start, [s.start for s in by_start])
        shared = {span.id for later in ahead.values() for span in later}

        def noterefs(spans: list[Span], slots: bool = True) -> None:  # the references, then their slots
            html.extend(noteref_html(span) for span in spans if span.id not in referenced)
            referenced.update(span.id for span in spans)
            if not slots:  # references before their link: the slots come with the passages' first words
                slot_due.update(span.id for span in spans)
                return
            slot_due.difference_update(span.id for span in spans)
            html.extend(_slot(span, kind="shared") for span in spans if span.id in shared)
            html.extend(_slots([span for span in spans if span.id not in shared], [later for span in spans for later in ahead.get(span.id, ())]))

        for k, piece in enumerate(block):
            if piece[0] == "tag":
                close_to(0)
                if _LINK.match(piece[1]):
                    # a link may not hold another: the references of passages starting inside it come before it
                    inside = _link_text(block, k)
                    noterefs([span for span in sorted(spans, key=lambda s: order[s.id])
                              if span.id not in referenced and any(a <= span.start < b for a, b in inside)], slots=False)
                html.append(piece[1])
                continue
            _, start, end, mode = piece
            points = sorted({start, end, *(s.start for s in spans if start < s.start < end),
                             *(s.end for s in spans if start < s.end < end)})
            for a, b in zip(points, points[1:]):
                active = sorted((s for s in spans if s.start <= a and s.end >= b), key=lambda s: order[s.id])
                depth = 0
                while depth < len(stack) and depth < len(active) and stack[depth] is active[depth]:
                    depth += 1
                starting = [s for s in active if s.id not in opened and (s.id not in referenced or s.id in slot_due)]
                around = list(stack[:depth]) if starting else []  # going on through the references: drawn around them
                close_to(0 if starting else depth)
                html.extend(f'<span class="in-passage" data-flags="{" ".join(s.flags)}">' for s in around)
                noterefs(starting)
                html.append("</span>" * len(around))
                depth = 0 if starting else depth
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
        close_to(0)
        out.append(WovenBlock("".join(html), tuple(starts_here)))
    return out

