"""Merge conflicts that git left in a site's file (`<<<<<<< HEAD` … `=======` … `>>>>>>> theirs`): said at
each, in every file the builder reads as text, where they read as a YAML or TOML mistake, or as the article's
own words, published."""
from __future__ import annotations

import re

from ..errors import Problems

_MARKER = re.compile(r"(<{7}|\|{7}|={7}|>{7})(?: .*)?\Z")  # (as `git diff --check` finds them: seven, then a space or the end)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def conflicts(text: str, markdown: bool = False) -> list[tuple[int, int, str, str]]:
    """(first line, last line, opening marker line, closing marker line) of each whole conflict, 1-based; in
    Markdown, none inside a fenced code block (an article about git may show one)."""
    if "<" * 7 not in text:  # (no conflict opens: every file read is looked through at once)
        return []
    found, start, middle, fence = [], None, False, None
    for number, line in enumerate(text.split("\n"), 1):
        if markdown and (m := _FENCE.match(line)):
            if fence is None:
                fence = m.group(1)
            elif m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            continue
        m = _MARKER.match(line)
        if fence is not None or not m:
            continue
        kind = m.group(1)[0]
        if kind == "<":
            start, middle = (number, line), False
        elif kind == "=" and start:
            middle = True
        elif kind == ">" and start and middle:
            found.append((start[0], number, start[1], line))
            start, middle = None, False
    return found


def report(text: str, rel: str, problems: Problems, markdown: bool = False, then: str = "") -> bool:
    """An error at each merge conflict of the text (`then`: what would follow if it stayed); whether there was one."""
    found = conflicts(text, markdown)
    if not found:
        return False
    lines = text.split("\n")
    for first, last, opening, closing in found:
        base = any(line.startswith("|" * 7) for line in lines[first:last - 1])  # (diff3's common ancestor)
        markers = "<<<<<<<, |||||||, =======" if base else "<<<<<<<, ======="
        markers += " and >>>>>>>"
        problems.error(rel, first, 1, f'a git merge conflict is left here (lines {first}-{last}, from "{opening}" to '
                                      f'"{closing}"): keep the version you want and delete the lines {markers}{then}')
    return bool(found)
