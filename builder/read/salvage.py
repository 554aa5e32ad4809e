"""What an annotation file with a YAML syntax error still says.

YAML stops at the first mistake, and an annotator mending a file needs every mistake at once. So the
`annotations:` list is cut into its items (each starts with "-" at the list's indent), and the file is read
again without the item that holds the syntax error, its lines blanked to spaces: every other line, column
and character offset stays where it is in the file. The next syntax error met is said, and its item left out
in turn (a syntax error outside the list leaves out all of it but the list: `article:`), until the rest reads.
Each item read is read as written, never as a quote or bracket left open above it swallowed it: its
mistakes are its own. Nothing but its syntax error is said of the item left out: YAML says where it stopped,
not where the mistake is, and the lines above that place can be part of it (`quote: Officials say` read
whole, its next line `the gangs are allies: and more` the error), so whatever they seem to say (no flag, a
field unknown, a shorter quote) may be false."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from yaml.nodes import Node

from ..errors import Problems
from . import yamlsrc
from .schema import schema

MAX_READ_AGAIN = 20  # syntax errors said in one file after the first: each costs a reading of the file
_LIST_KEY = re.compile(r"annotations:[ \t]*(?:#.*)?")
_TOP_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)")  # `article:`: a key of the file, after the list
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*([^\s,\[\]{}]+)")


@dataclass(frozen=True, slots=True)
class Salvage:
    """The readable part of an annotation file that does not parse as a whole."""

    root: Node | None  # the file with only the items read (at their own lines); None when no part of it reads
    article_read: bool  # False: the part outside the list has a syntax error, so `article:` (its `body`) is unknown


def items_of(lines: list[str]) -> tuple[int, list[tuple[int, int]]] | None:
    """(0-based line of `annotations:`, each item's lines as [start, end)); None when the file is not
    `annotations:` over a block list (a flow list, a list written elsewhere, tabs)."""
    key = next((n for n, line in enumerate(lines) if _LIST_KEY.fullmatch(line)), None)
    if key is None:
        return None
    first = next((n for n in range(key + 1, len(lines)) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    dash = re.match(r"( *)-(?: |$)", lines[first]) if first is not None else None
    if dash is None:
        return None
    indent = dash.group(1)
    item = re.compile(rf"{indent}-(?: |$)")
    fields = schema()["$defs"]["annotation"]["properties"]
    last = next(n for n in range(len(lines) - 1, first - 1, -1) if item.match(lines[n]))
    starts, end = [], len(lines)
    for n in range(first, len(lines)):
        line = lines[n]
        if item.match(line):
            starts.append(n)
        elif _TOP_KEY.match(line) and not (n < last and line.split(":", 1)[0].strip() in fields):
            end = n  # a key of the file at the left edge: the list ends above it
            break
        # (an annotation's field at the left edge with items below it is a line of the item above, dedented by
        # mistake: said as such, and that item left out whole, not read without it: "missing quote")
    return key, [(s, e) for s, e in zip(starts, starts[1:] + [end])]


def _blanked(lines: list[str], keep) -> str:
    """The text with every line not in `keep` made spaces (so that offsets hold)."""
    return "\n".join(line if n in keep else " " * len(line) for n, line in enumerate(lines))


def salvage(text: str, failed_at: int, path: str, problems: Problems) -> Salvage | None:
    """Read what can be read of `text`, which fails to parse at 0-based line `failed_at` (said already). The
    syntax errors of the other items are said too. None when it cannot be read apart (see items_of)."""
    lines = text.split("\n")
    found = items_of(lines)
    if found is None:
        return None
    key, items = found
    starts = [s for s, _ in items]
    outside = set(range(len(lines))) - set(range(items[0][0], items[-1][1])) - {key}

    def item_at(line: int) -> int | None:
        i = bisect.bisect_right(starts, line) - 1
        return i if i >= 0 and line < items[i][1] else None

    said, bad, article_read = {failed_at}, set(), True
    for _ in range(MAX_READ_AGAIN):
        i = item_at(failed_at)
        if i is None and not article_read:
            return None  # (said where nothing more can be left out)
        if i is None:
            article_read = False
        else:
            bad.add(i)
        good = [n for i in range(len(items)) if i not in bad for n in range(*items[i])]
        keep = set(good) | ({key} if good else set()) | (outside if article_read else set())
        local = Problems()
        got = yamlsrc.compose_once(_blanked(lines, keep), path, local)
        if not isinstance(got, int):
            problems.items.extend(local.items)  # (warnings of the items read, said now that they read)
            return Salvage(got, article_read)
        written = [n for n in keep if n <= got and lines[n].strip()]
        if got in keep and got not in said and not _anchor_elsewhere(lines[got], text):
            problems.items.extend(local.items)
        said.add(got)
        # said on a line left out (the blank lines YAML ran on into, to the end): what ran on is the item above it,
        # and its mistake is the one already said, found at another place
        failed_at = got if got in keep or not written else max(written)
    return Salvage(None, False)  # past MAX_READ_AGAIN syntax errors: no more is read


def _anchor_elsewhere(line: str, text: str) -> bool:
    """Whether the line uses an alias (`quote: *q`) of an anchor written somewhere in the file: read without
    the item or article that holds it, it fails for no mistake of its own."""
    return any(f"&{name}" in text for name in _ALIAS.findall(line))
