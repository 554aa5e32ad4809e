"""Surgical edits of an annotation file: change, add or remove a few fields of one annotation, every
other byte of the file left as it was. Positions come from the YAML node tree; each edit is checked
by reading the result back.
"""
from __future__ import annotations

import json
import re

import yaml

from ..anchorhints import INVISIBLE
from ..read import yamlsrc
from ..errors import Problems

_PLAIN_INT = re.compile(r"^[1-9][0-9]*$")


class EditRefused(Exception):
    """The file's layout does not allow a safe in-place edit (said why)."""


def _item(root, line: int, col: int):
    """The annotation mapping whose quote is written at (line, col)."""
    seq = yamlsrc.node_at(root, ["annotations"])
    found = [item for item in (seq.value if isinstance(seq, yamlsrc.SequenceNode) else ())
             if isinstance(item, yamlsrc.MappingNode) and (pair := yamlsrc.entry(item, "quote"))
             and yamlsrc.value_where(*pair) == (line, col)]
    if len(found) > 1 and any(yamlsrc.merged_by(item, "quote") for item in found):  # (the annotation that writes it
        # was edited in its place: the passage of one moved onto the other)
        raise EditRefused('its quote is shared with another annotation through "<<" (written in one, merged into the '
                          "other): write the quote out in the annotation that merges it, then run reanchor again")
    if len(found) > 1:  # `quote: *q`: an alias is the node it names, written once for several annotations
        raise EditRefused("its quote is a YAML alias that other annotations share: write it out, then edit it by hand")
    if found:
        return found[0]
    raise EditRefused("the annotation is no longer where it was read")


def _not_shared(root, item, entries: dict, changes: dict) -> None:
    """Refuse to edit a value written through an alias (`quote: *q`), or one that an alias elsewhere names: the edit
    would change the value `&q` names, for every annotation that uses it."""
    seq = yamlsrc.node_at(root, ["annotations"])
    others = {id(v) for other in (seq.value if isinstance(seq, yamlsrc.SequenceNode) else ()) if other is not item
              and isinstance(other, yamlsrc.MappingNode) for _, v in other.value}
    for name in changes:
        if name in entries:
            key, value = entries[name]
            if id(value) in others:
                raise EditRefused(f"its {name} is a YAML alias that other annotations share: write it out, then edit it by hand")
            if yamlsrc.value_where(key, value) != yamlsrc.where(value):
                raise EditRefused(f"its {name} is a YAML alias (`*name`), whose value is written where `&name` stands, for "
                                  "whatever else uses it too: write the value out here, then run reanchor again")


def _not_merged(item, changes: dict) -> None:
    """Refuse to remove a field merged in with `<<:` (`occurrence` from `<<: *d`): it would stay, merged in still."""
    for name, value in changes.items():
        if value is None and (merge := yamlsrc.merged_by(item, name)) is not None:
            raise EditRefused(f'its {name} is merged in with "<<" (line {yamlsrc.where(merge)[0]}), and would stay: write '
                              "the fields it merges out in this annotation, then run reanchor again")


def _body(root, line: int, col: int):
    body = yamlsrc.node_at(root, ["article", "body"])
    if isinstance(body, yamlsrc.MappingNode):
        return body
    raise EditRefused("the body bound is no longer where it was read")


def scalar(value, old: yaml.Node | None) -> str:
    """A value written as YAML: a whole number plain, text in the style it had where that is safe."""
    if isinstance(value, int):
        return str(value)
    style = getattr(old, "style", None) if old is not None else '"'
    if INVISIBLE.search(value):
        return double_quoted(value)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not style and _plain_ok(value):
        return value
    return double_quoted(value)



def double_quoted(value: str) -> str:
    """Text written double-quoted, its invisible characters as escapes ("co\\u00adoperation"): seen in a review."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _plain_ok(value: str) -> bool:
    """Whether the text reads back as the same text when written plain."""
    if not value or value != value.strip() or "\n" in value:
        return False
    try:
        node = yaml.compose(f"k: {value}\n", Loader=yamlsrc._Loader)
    except yaml.YAMLError:
        return False
    scalar = node.value[0][1] if isinstance(node, yaml.MappingNode) and len(node.value) == 1 else None
    return isinstance(scalar, yaml.ScalarNode) and scalar.value == value and scalar.tag == "tag:yaml.org,2002:str"


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _after_line(text: str, i: int) -> int:
    """The index just after the line break that ends the line holding i (end of text if none)."""
    j = text.find("\n", i)
    return len(text) if j == -1 else j + 1


def _line_break(text: str, at: int) -> str:
    """The line break the file uses where a line is added at `at`: that of the line before it (a file written on
    Windows ends its lines with CRLF), else the file's first one, else LF."""
    end = text.rfind("\n", 0, at) if at else -1
    if end == -1:
        end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def edit_fields(text: str, line: int, col: int, changes: dict, body: bool = False) -> str:
    """The file with `changes` ({field: value or None to remove}) applied to the annotation whose
    quote (or, with `body`, the body bound) is at (line, col)."""
    root = yamlsrc.compose(text, "", Problems())
    if root is None:
        raise EditRefused("the file is not valid YAML any more")
    item = _body(root, line, col) if body else _item(root, line, col)
    _not_merged(item, changes)  # (a field merged in and changed is written here: it then wins over the merged one)
    if item.flow_style:
        return _edit_flow(text, item, changes)
    entries = {k.value: (k, v) for k, v in item.value if isinstance(k, yamlsrc.ScalarNode)}
    if not body and "quote" not in entries:  # `<<: {quote: …}`: new fields go after the quote, which is not here
        raise EditRefused('its quote is merged in with "<<": write the quote out in this annotation, then run reanchor again')
    _not_shared(root, item, entries, changes)
    anchor_key = "start" if body and "start" in entries and yamlsrc.where(entries["start"][1]) == (line, col) else "end" if body else "quote"
    edits: list[tuple[int, int, str]] = []
    for name, value in changes.items():
        if name in entries:
            key, node = entries[name]
            if value is None:
                start = _line_start(text, key.start_mark.index)
                if text[start : key.start_mark.index].strip(" ") not in ("",):
                    raise EditRefused(f'"{name}" shares its line with another part of the annotation')
                end = node.end_mark.index if node.end_mark.column == 0 else _after_line(text, node.end_mark.index)
                edits.append((start, end, ""))
            else:
                s, e = node.start_mark.index, node.end_mark.index
                new = scalar(value, node)
                new += text[s:e][len(text[s:e].rstrip("\r\n")):]  # a block scalar runs to the next line: its line
                # breaks as they were (CRLF in a file written on Windows)
                edits.append((s, e, new))
        elif value is not None:
            key, node = entries[anchor_key]
            at = node.end_mark.index if node.end_mark.column == 0 and node.end_mark.index > node.start_mark.index else _after_line(text, node.end_mark.index)
            indent = " " * key.start_mark.column
            nl = _line_break(text, at)
            lead = "" if at == 0 or text[at - 1] == "\n" else nl
            edits.append((at, at, f"{lead}{indent}{name}: {scalar(value, None)}{nl}"))
    return _apply(text, edits)


def _edit_flow(text: str, item: yaml.MappingNode, changes: dict) -> str:
    """`changes` applied inside a flow mapping (`{quote: …, note: …}`): values are replaced in place,
    written double-quoted (plain text has more pitfalls inside braces); a removed field takes its
    comma with it; a new field goes before the closing brace."""
    entries = {k.value: (k, v) for k, v in item.value if isinstance(k, yamlsrc.ScalarNode)}
    edits: list[tuple[int, int, str]] = []
    for name, value in changes.items():
        new = str(value) if isinstance(value, int) else double_quoted(value)
        if name in entries:
            key, node = entries[name]
            if value is not None:
                edits.append((node.start_mark.index, node.end_mark.index, new))
                continue
            start, end = key.start_mark.index, node.end_mark.index
            after = re.match(r"\s*,[ \t]*", text[end:])
            if after:
                end += after.end()
                if text[end : end + 1] == "\n":  # the line goes on below: no trailing space here
                    start = len(text[:start].rstrip(" \t"))
            else:  # the last field: the comma before it goes
                before = re.search(r",\s*$", text[: start])
                start = before.start() if before else start
            edits.append((start, end, ""))
        elif value is not None:
            close = item.end_mark.index - 1  # the closing brace
            at = len(text[:close].rstrip())
            edits.append((at, at, f", {name}: {new}"))
    return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end, new) span replaced, from the last one back, so positions hold."""
    for s, e, new in sorted(edits, key=lambda t: (t[0], t[1]), reverse=True):
        text = text[:s] + new + text[e:]
    return text


def read_back(text: str, line_hint: int | None = None) -> object:
    """The plain data of a file (None when it does not parse)."""
    problems = Problems()
    root = yamlsrc.compose(text, "", problems)
    return None if root is None else yamlsrc.to_python(root, "", problems)
