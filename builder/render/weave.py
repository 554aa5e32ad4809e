"""Weave passage marks into an article's flow.

Each annotation's span becomes one or more `<mark data-annotation="id">` pieces: marks nest where
passages overlap, and are closed and reopened around every tag so the HTML stays well formed.
The text inside an annotation's pieces, joined, is its quote. After a passage's last piece
comes a note reference (its visible text is drawn by CSS, so it adds nothing to any passage's
text).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..read.text import BR, SEP


@dataclass(frozen=True, slots=True)
class Span:
    """A passage to mark in the text."""

    id: str  # the annotation's id
    start: int  # offsets in the visible text
    end: int
    number: int  # the note's number in reading order
    flags: tuple[str, ...]
    label: str  # the accessible name of the note reference: "Note 3: Anonymous sourcing"


@dataclass(frozen=True, slots=True)
class WovenBlock:
    html: str
    notes: tuple[str, ...]  # ids of the annotations whose passage starts in this block


def _render_text(text: str, mode: str) -> str:
    if mode == SEP:
        return "\n" if text else ""
    out = escape(text, quote=False)
    return out.replace("\n", "<br>\n") if mode == BR else out


def weave(text: str, blocks, spans: list[Span]) -> list[WovenBlock]:
    order = {s.id: i for i, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end, s.number)))}
    opened: set[str] = set()
    done: set[str] = set()  # spans whose note reference is written
    out: list[WovenBlock] = []
    for block in blocks:
        html: list[str] = []
        stack: list[Span] = []
        starts_here: list[str] = []

        def close_to(depth: int) -> None:
            while len(stack) > depth:
                stack.pop()
                html.append("</mark>")

        def noterefs(point: int) -> None:
            for span in spans:
                if span.end == point and span.id in opened and span.id not in done:
                    done.add(span.id)
                    flagword = " ".join(span.flags)
                    html.append(
                        f'<a class="noteref" href="#note-{span.id}" id="ref-{span.id}" role="doc-noteref" '
                        f'data-n="{span.number}" data-flags="{flagword}" aria-label="{escape(span.label)}"></a>'
                    )

        for piece in block:
            if piece[0] == "tag":
                close_to(0)
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
                close_to(depth)
                noterefs(a)
                for span in active[depth:]:
                    first = span.id not in opened
                    attrs = f' id="{span.id}"' if first else ""
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
            if end == start:
                continue
            # close what ends here, so its note reference follows the passage at once
            ending = [i for i, s in enumerate(stack) if s.end == end]
            if ending:
                close_to(ending[0])
                noterefs(end)
        close_to(0)
        out.append(WovenBlock("".join(html), tuple(starts_here)))
    return out

