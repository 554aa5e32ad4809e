"""Safe YAML with positions: compose to nodes, report duplicate keys, cap alias expansion.

Values come out as plain Python (str, int, float, bool, None, list, dict); timestamps stay
text, so that dates are checked by us and reported where they are written.
"""
from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import native
from ..errors import Problems

try:  # libyaml is 5-10x faster; the pure loader behaves the same (but for `_lone_surrogate`)
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _BaseLoader = yaml.SafeLoader
_SURROGATE = re.compile("[\ud800-\udfff]")


_STR, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"
_plain_tags: dict[str, str] = {}  # the tag of each short plain scalar met: keys, mostly (resolving is pure)


class _Loader(_BaseLoader):
    """SafeLoader without the timestamp resolver: `2012-10-24` stays the text we check."""

    def resolve(self, kind, value, implicit):
        """BaseResolver's tag, found at once for most nodes (this loader has no path resolvers): a mapping's or
        list's is the default, a quoted scalar is text, and so is a plain one that no implicit resolver looks
        at (they are chosen by its first character); other plain ones are remembered."""
        if kind is MappingNode:
            return self.DEFAULT_MAPPING_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if not implicit[0] or value[:1] not in _Loader.yaml_implicit_resolvers:
            return _STR
        return _plain_tag(value)

    def descend_resolver(self, current_node, current_index):
        """Nothing: this loader has no path resolvers, and BaseResolver's only looks for them (at every node)."""

    def ascend_resolver(self):
        """Nothing to do, as for descend_resolver."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar (`42`, `yes`, `~`, `note`): BaseResolver.resolve's rule (the first implicit
    resolver of its first character that matches it, else text), remembered for short values."""
    tag = _plain_tags.get(value)
    if tag is None:
        resolvers = _Loader.yaml_implicit_resolvers
        tag = next((tag for tag, rx in [*resolvers.get(value[:1], ()), *resolvers.get(None, ())] if rx.match(value)), _STR)
        if len(value) <= 16 and len(_plain_tags) < 4096:
            _plain_tags[value] = tag
    return tag


# builder/_yamlnodes.c: the same nodes as yaml.compose with _Loader, made in C (None where it is not built; not
# used by the pure loader, nor where a resolver looks at every plain scalar)
_NATIVE = native.load("_yamlnodes") if _BaseLoader is not yaml.SafeLoader and None not in _Loader.yaml_implicit_resolvers else None
if _NATIVE is not None:
    _NATIVE.setup(ScalarNode, SequenceNode, MappingNode, _plain_tag, _plain_tags,
                  "".join(first or "\0" for first in _Loader.yaml_implicit_resolvers))


def _compose(text: str) -> Node | None:
    """yaml.compose(text, Loader=_Loader): by builder/_yamlnodes.c where it is built and takes the text."""
    root = NotImplemented if _NATIVE is None else _NATIVE.compose(text)
    return yaml.compose(text, Loader=_Loader) if root is NotImplemented else root


MAX_ALIASED = 200_000  # values reached again through aliases: a bomb goes far beyond, a real file never near
# characters of text reached again through aliases: a few aliases of one long text are a bomb too (a 1 MB
# text aliased 7,000 times, a 1 MB file, took 20 GB to check); `quote: *q` on a thousand notes stays far below
MAX_ALIASED_TEXT = 10_000_000
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")}
_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML, not to editors


class YamlTooLarge(Exception):
    pass


MAX_DEPTH = 1000  # levels of nesting: libyaml's composer recurses in C and crashes the process near 20,000
_OPENERS = "[{-:?"  # the characters that can open a level: fewer of them than MAX_DEPTH, no need to look
_DEEPER = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_SHALLOWER = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _too_deep(text: str):
    """The mark where nesting passes MAX_DEPTH, or None. Read with the scanner, which does not recurse."""
    if sum(text.count(c) for c in _OPENERS) <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, _DEEPER):
                depth += 1
                if depth > MAX_DEPTH:
                    return token.start_mark
            elif isinstance(token, _SHALLOWER):
                depth -= 1
    except yaml.YAMLError:  # no deeper up to there; and the parser stops there or sooner, where its error is said
        return None
    return None


MAX_VALUES = 1_000_000  # values in one YAML text: 5,000 notes hold about 50,000; 10 million (a 20 MB file) took 3 GB
_VALUE = (yaml.ScalarToken, yaml.AliasToken, *_DEEPER)  # a value's first token (after its anchor or tag)
_PLACE = (yaml.BlockEntryToken, yaml.KeyToken, yaml.ValueToken)  # a place for a value: an empty one if none follows


def _too_many(text: str):
    """The mark where the values pass MAX_VALUES, or None. Read with the scanner, which builds nothing. Each
    value takes a character at least: a shorter text is not read."""
    if len(text) <= MAX_VALUES:
        return None
    count, empty = 0, False
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, _VALUE):
                count, empty = count + 1, False
            elif not isinstance(token, (yaml.AnchorToken, yaml.TagToken)):
                count, empty = count + empty, isinstance(token, _PLACE)
            if count > MAX_VALUES:
                return token.start_mark
    except yaml.YAMLError:  # (as in _too_deep)
        return None
    return None


def _place(text: str, index: int) -> tuple[int, int]:
    """0-based line and column of a character offset, counting only "\n" as a line break."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index), index - line_start


def _remark(mark, text: str):
    """The same place, its line and column counted as editors count them."""
    if mark is None:
        return None
    return yaml.Mark(mark.name, mark.index, *_place(text, mark.index), None, None)


def _fix_marks(root: Node, text: str) -> None:
    """YAML counts U+0085, U+2028 and U+2029 as line breaks, editors do not: recount every node's
    line and column from its character offset, so that later errors point at the right line."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark, node.end_mark = _remark(node.start_mark, text), _remark(node.end_mark, text)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for pair in node.value:
                stack.extend(pair)


def where(node: Node) -> tuple[int, int]:
    """1-based line and column of a node."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _twice_hint(key, key_node: Node) -> str:
    """What to do with a key of an annotation file given twice at its left edge (a second list pasted below)."""
    if key_node.start_mark.column == 0 and key in ("annotations", "article"):
        what = ('every annotation goes in the one "annotations:" list: move the items below it up into the first'
                if key == "annotations" else 'the article\'s fields go in the one "article:" block: move them up into the first')
        return f"; {what}"
    return ""


def last_line(node: Node, lines: list[str] | None = None) -> int:
    """1-based line of the last line a node is written on. A block mapping or list ends with its last value:
    its own end mark is where the next entry starts, on that entry's line (`- id: next`), so it is not used;
    an alias (written elsewhere, before it) stops the descent at its parent, whose end mark then stands. Given
    the file's `lines`, the blank lines a block scalar (`note: |`) takes after its text are left out."""
    first = node.start_mark.line + 1
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
        if last.start_mark.index < node.start_mark.index:
            break
        node = last
    end = node.end_mark
    line = end.line + 1 if end.column else end.line
    while lines is not None and first < line <= len(lines) and not lines[line - 1].strip():
        line -= 1
    return line


def value_where(key: Node, value: Node) -> tuple[int, int]:
    """1-based line and column of a key's value where this key gives it: for an alias (`quote: *q`: the node
    `&q` names, written before its key), just after the key (where `*q` usually stands), not the anchor's place."""
    if value.start_mark.index < key.end_mark.index:
        return key.end_mark.line + 1, key.end_mark.column + 3
    return where(value)


def _nodes(root: Node):
    """Every node of a tree, once each (an alias shares its anchor's node), in the order they are written."""
    seen: set[Node] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))


def _lone_surrogate(root: Node) -> Node | None:
    """The first scalar that holds a lone surrogate (`"\\ud800"`), which libyaml refuses as a syntax error
    and PyYAML's pure loader lets through: no page, feed or JSON could be written with it."""
    return next((n for n in _nodes(root) if isinstance(n, ScalarNode) and _SURROGATE.search(n.value)), None)


# An escape that makes a control character (not a tab or a line break), in "…": `"C:\bin"` is a backspace and "in".
_CONTROL_ESCAPE = re.compile(r"\\(?:[0abefrv]|x(?:[01][0-9A-Fa-f]|7[fF]|[89][0-9A-Fa-f])|u00(?:[01][0-9A-Fa-f]|7[fF]|[89][0-9A-Fa-f]))")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _control_escapes(root: Node, text: str, path: str, problems: Problems, line_offset: int) -> None:
    """Warn at each value in "…" that an escape turned into a control character, most often a Windows path
    or a backslash meant as itself (`"C:\bin"`, `"\a"`): pages show it as U+FFFD, never as written."""
    for node in _nodes(root):
        if isinstance(node, ScalarNode) and node.style == '"' and _CONTROL.search(node.value):
            escape = _CONTROL_ESCAPE.search(text, node.start_mark.index, node.end_mark.index)
            if escape is not None:
                line, col = _place(text, escape.start())
                char = node.value[_CONTROL.search(node.value).start()]
                problems.warning(path, line + 1 + line_offset, col + 1,
                                 f'"{escape.group()}" in a value quoted with "…" is the control character '
                                 f"U+{ord(char):04X}, not a backslash and \"{escape.group()[1:]}\": write \\\\ "
                                 "for a backslash, or put the value in '…'")


# A line `  -quote: …`: the first line, or one after a line break (a pattern starting with "\n" is searched
# for as a literal first: five times faster than "^" in multiline mode, on every annotation file)
_GLUED_FIRST = re.compile(r"[ \t]*-[^\s\-#'\"\[{][^:\s]*:(?:[ \t]|$)", re.M)
_GLUED_LATER = re.compile(r"\n[ \t]*-[^\s\-#'\"\[{][^:\s]*:(?:[ \t]|$)", re.M)


def _layout_slip(root: Node, text: str) -> tuple[int, int, str] | None:
    """(line, col, message) of a layout slip that still parses, into a structure no one meant: a line indented
    with a no-break space (its field becomes a key "\u00a0   note" of the mapping above), or a list item
    written `-quote:` (a key "-quote"). Only keys are looked at, and only when the text has either at all."""
    from .yamlhints import _SPACES, dash_glued_message, glued_dash, odd_indent, odd_indent_message

    odd = any(c in text for c in _SPACES)
    if not odd and not (_GLUED_FIRST.match(text) or _GLUED_LATER.search(text)):  # (most files: one regular expression, no walk)
        return None
    for node in _nodes(root):
        for key, _ in node.value if isinstance(node, MappingNode) else ():
            if isinstance(key, ScalarNode) and not key.style:  # plain ("" from libyaml, None from PyYAML)
                row = text[key.start_mark.index - key.start_mark.column:].split("\n", 1)[0]
                if odd and (at := odd_indent(row)) is not None and row[:at + 1].strip(" ") and \
                        key.start_mark.column <= at:
                    return key.start_mark.line + 1, at + 1, odd_indent_message(row[at])
                if key.value.startswith("-") and glued_dash(key.value):
                    return key.start_mark.line + 1, key.start_mark.column + 1, dash_glued_message(f"{key.value[1:]}:")
    return None


def compose(text: str, path: str, problems: Problems, line_offset: int = 0) -> Node | None:
    """Parse text into a node tree; a syntax error becomes a located problem and None (an annotation file's
    loading reads the rest of it around the error: salvage)."""
    root = compose_once(text, path, problems, line_offset)
    return None if isinstance(root, int) else root


def compose_once(text: str, path: str, problems: Problems, line_offset: int = 0) -> Node | int | None:
    """The node tree (None for an empty text), or the 0-based line YAML failed on, its
    error reported."""
    breaks = any(b in text for b in _BREAKS)
    try:
        deep = _too_deep(text)
        if deep is not None:
            line, col = _place(text, deep.index)
            problems.error(path, line + 1 + line_offset, col + 1,
                           f"YAML nests more than {MAX_DEPTH:,} levels deep here: refused (annotations and front matter need a few)")
            return None
        many = _too_many(text)
        if many is not None:
            line, col = _place(text, many.index)
            problems.error(path, line + 1 + line_offset, col + 1, f"YAML holds more than {MAX_VALUES:,} values by here: "
                           "refused (an annotation file of 5,000 notes holds about 50,000)")
            return None
        root = _compose(text)
        if breaks and root is not None:
            _fix_marks(root, text)
        if root is not None and (slip := _layout_slip(root, text)) is not None:
            line, col, message = slip
            problems.error(path, line + line_offset, col, f"YAML syntax: {message}")
            return line - 1
        if root is not None:
            from .yamlhints import lost_text

            for line, col, message in lost_text(root, text):
                problems.warning(path, line + line_offset, col, message)
        if root is not None and "\\" in text and _CONTROL_ESCAPE.search(text):
            _control_escapes(root, text, path, problems, line_offset)
        if _BaseLoader is yaml.SafeLoader and root is not None and (lone := _lone_surrogate(root)) is not None:
            line, col = where(lone)
            problems.error(path, line + line_offset, col, "YAML syntax: found invalid Unicode character escape code "
                           "(a lone surrogate, \\ud800 to \\udfff, is no character)")
            return line - 1
        return root
    except yaml.MarkedYAMLError as exc:
        if breaks:
            exc.problem_mark, exc.context_mark = _remark(exc.problem_mark, text), _remark(exc.context_mark, text)
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = str(exc.problem or exc.context or "not valid YAML")
        ctx = exc.context_mark
        if exc.context and exc.problem and exc.problem.startswith("but "):
            message = f"{exc.context}, {exc.problem}"
        elif exc.context and exc.problem and ctx is not None and (ctx.line, ctx.column) != (line - 1, col - 1):
            message += f" ({exc.context} that starts at line {ctx.line + 1 + line_offset}, column {ctx.column + 1})"
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message += " (YAML does not allow tabs for indentation: use spaces)"
        elif mark is not None:
            from .yamlhints import usual_cause

            line, col, message = usual_cause(text, exc, mark, line, col, message, line_offset)
        problems.error(path, line + line_offset, col, f"YAML syntax: {message}")
        return line - 1  # (said at its cause, an unclosed quote's opening, the next annotation is after it)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else 1
        problems.error(path, line + line_offset, col,
                       f"YAML does not allow the character U+{exc.character:04X} ({exc.reason}): remove it")
        return line - 1
    except yaml.YAMLError as exc:  # pragma: no cover - every other error carries a mark
        problems.error(path, 1 + line_offset, 1, "YAML: " + " ".join(str(exc).split()))
    return None


def _scalar(node: ScalarNode):
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on", "y")
    if node.tag == "tag:yaml.org,2002:int":
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    if node.tag == "tag:yaml.org,2002:float":
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return node.value
    return node.value


def to_python(root: Node, path: str, problems: Problems, line_offset: int = 0, text: str | None = None):
    """Plain data from a node tree. Duplicate keys and unknown tags are reported.

    No tag ever builds an object: a tag that would (`!!python/…`, `!!binary`, `!custom`) is reported,
    and its node read as plain text, list or mapping, so that the file's other problems are found too.
    `text`, the YAML the tree was composed from, lets a tag on a text be shown quoted (`note: "!!! False"`)."""
    plain = root.__dict__.pop("plain", None) if root is not None else None  # (data, ): builder/_yamlnodes.c's
    if plain is not None:
        return plain[0]
    aliased = aliased_text = 0
    seen: set[Node] = set()  # nodes hash by identity: cheaper than a set of id()s
    add = seen.add  # returns None

    def walk(node: Node):
        nonlocal aliased, aliased_text
        if node in seen:  # reached again through an alias
            aliased += 1
            if node.__class__ is ScalarNode:
                aliased_text += len(node.value)
            if aliased > MAX_ALIASED:
                raise YamlTooLarge(f"{MAX_ALIASED:,} values")
            if aliased_text > MAX_ALIASED_TEXT:
                raise YamlTooLarge(f"{MAX_ALIASED_TEXT:,} characters of text")
        seen.add(node)
        if node.tag == _STR and node.__class__ is ScalarNode:  # most nodes: text
            return node.value
        if node.tag not in PLAIN_TAGS:
            line, col = where(node)
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            hint = ""
            if text is not None and isinstance(node, ScalarNode):
                from .yamlhints import tag_as_text

                hint = tag_as_text(node, text)
            problems.error(path, line + line_offset, col, f"YAML tag {shown} is not allowed: write plain values{hint}")
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):  # text items read inline, as walk reads them: most of a file is text
            return [item.value if item.tag == _STR and item.__class__ is ScalarNode and item not in seen and not add(item)
                    else walk(item) for item in node.value]
        if isinstance(node, MappingNode):
            out, inherited = {}, {}  # keys written here win over keys merged in with `<<:`
            written = {}  # each key's (key node, value node), as `entry` finds it: kept on the node for Fields
            merges = 0
            for pair in node.value:
                key_node, value_node = pair
                if isinstance(key_node, ScalarNode) and key_node.tag == "tag:yaml.org,2002:merge":
                    merges += 1
                    if merges > 1:
                        line, col = where(key_node)
                        problems.error(path, line + line_offset, col, 'duplicate key "<<": merge several mappings with one key, <<: [*a, *b]')
                        continue
                    merged = walk(value_node)
                    if (wrong := _not_merged(key_node, value_node)) is not None:
                        problems.error(path, wrong[0] + line_offset, wrong[1], wrong[2])
                    for item in merged if isinstance(merged, list) else [merged]:
                        if isinstance(item, dict):
                            for k, v in item.items():
                                inherited.setdefault(k, v)
                    continue
                if key_node.tag == _STR and key_node.__class__ is ScalarNode and key_node not in seen:
                    seen.add(key_node)  # walk's first step, inline: keys are text
                    key = key_node.value
                else:
                    key = walk(key_node)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    line, col = where(key_node)
                    problems.error(path, line + line_offset, col, "a mapping key must be plain text")
                    continue
                key = key_node.value if isinstance(key_node, ScalarNode) else key
                if key in out:
                    line, col = where(key_node)
                    problems.error(path, line + line_offset, col, f'duplicate key "{key}": it is already set above in this '
                                   f'mapping, on line {where(written[key][0])[0] + line_offset}{_twice_hint(key, key_node)}')
                    continue
                written[key] = pair
                if value_node.tag == _STR and value_node.__class__ is ScalarNode and value_node not in seen:
                    seen.add(value_node)
                    out[key] = value_node.value
                else:
                    out[key] = walk(value_node)
            for k, v in inherited.items():
                out.setdefault(k, v)
            node.written = written, merges > 0
            return out
        return None  # pragma: no cover

    try:
        return walk(root)
    except YamlTooLarge as too_large:
        problems.error(path, 1 + line_offset, 1, f"YAML aliases expand to more than {too_large} (an alias bomb?): refused")
        return None
    except RecursionError:
        problems.error(path, 1 + line_offset, 1, "YAML nests too deeply (hundreds of levels): refused")
        return None
    finally:  # `walk` refers to itself: a cycle, which the build leaves to the end (its collector is paused
        walk = None  # while loading), and which held a set of ~150 nodes per file (5 MB for 1,000 files)


def _not_merged(key: Node, value: Node) -> tuple[int, int, str] | None:
    """(line, col, message) where a merge key's value is not a mapping or a list of mappings: PyYAML's own
    loaders refuse it; read as nothing, the fields an annotator meant to share went missing without a word."""
    usage = "<<: *name, where &name marks a mapping of fields, or <<: [*a, *b]"
    if isinstance(value, MappingNode):
        return None
    if isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:null":  # `<<:`, `<<: ~`
        return (*where(key), f'"<<" is given nothing to merge: write {usage}, or remove it')
    if isinstance(value, ScalarNode):
        return (*value_where(key, value), f'"<<" merges mappings of fields ({usage}), not a text: write the fields themselves')
    item = next((item for item in value.value if not isinstance(item, MappingNode)), None)
    if item is None:
        return None
    what = "a text" if isinstance(item, ScalarNode) else "a list"
    line, col = where(item) if item.start_mark.index > key.end_mark.index else value_where(key, value)
    return line, col, f'"<<" merges mappings of fields ({usage}), not a list holding {what}: write the fields themselves'


def merged_by(mapping: Node, key: str) -> Node | None:
    """The `<<` key node that brings `key` into a mapping, or None where the key is written in it, or is not in it."""
    if not isinstance(mapping, MappingNode):
        return None
    merge = None
    for key_node, _ in mapping.value:
        if key_node.tag == _MERGE and isinstance(key_node, ScalarNode):
            merge = merge or key_node
        elif key_node.value == key:
            return None
    return merge if merge is not None and entry(mapping, key) is not None else None


def entry(mapping: MappingNode, key: str, depth: int = 0) -> tuple[Node, Node] | None:
    """(key node, value node) of a key: written in the mapping, else merged into it with `<<:`."""
    for pair in mapping.value:
        if pair[0].value == key and pair[0].tag != _MERGE:  # only a scalar's value is text
            return pair
    merges = []
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
            merges.extend(value_node.value if isinstance(value_node, SequenceNode) else [value_node])
    for source in merges if depth < 20 else ():
        if isinstance(source, MappingNode):
            found = entry(source, key, depth + 1)
            if found:
                return found
    return None


def node_at(root: Node, steps) -> Node:
    """The node reached by following keys and indexes from the root; stops where it cannot go on."""
    node = root
    for step in steps:
        if isinstance(node, MappingNode):
            found = entry(node, str(step))
            if found is None:
                return node
            node = found[1]
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def key_node_at(root: Node, steps) -> Node:
    """The key node of the last step (for errors about a field name), else the node itself."""
    parent = node_at(root, list(steps)[:-1])
    if isinstance(parent, MappingNode) and steps:
        found = entry(parent, str(steps[-1]))
        if found:
            return found[0]
    return node_at(root, steps)


def raw_text(node: Node) -> str | None:
    """A scalar as written (`yes` stays "yes", `42` stays "42")."""
    if isinstance(node, ScalarNode):
        return None if node.tag == "tag:yaml.org,2002:null" else node.value
    return None



def _written(node: Node) -> tuple[dict[str, tuple[Node, Node]], bool]:
    """The keys written in a mapping, each with its first (key node, value node), as `entry` finds them, and whether
    it merges others in; what `to_python` leaves on each mapping node it reads, as `written`."""
    written, merges = {}, False
    for pair in node.value if isinstance(node, MappingNode) else ():
        key_node = pair[0]
        if key_node.tag == _MERGE:
            merges = merges or isinstance(key_node, ScalarNode)
        elif isinstance(key_node, ScalarNode):  # only a scalar's value is text
            written.setdefault(key_node.value, pair)
    return written, merges


class Fields:
    """A mapping of a YAML file, read one way: each key's plain value (as `to_python` gave it, merges
    applied) together with its node (where it is written, and its text as written). Parsers read
    every field through this, never the plain data on one line and the nodes on the next."""

    __slots__ = ("data", "node", "line_offset", "_written", "_merges")

    def __init__(self, data: dict, node: Node, line_offset: int = 0):
        self.data, self.node, self.line_offset = data, node, line_offset  # line_offset: front matter's first line
        self._written = None  # {key: (key node, value node)} of the keys written here, made at the first look

    def _pair(self, key: str) -> tuple[Node, Node] | None:
        """`entry` of the mapping, its written keys found in an index (a parser looks up each field a few times)."""
        if self._written is None:
            self._written, self._merges = getattr(self.node, "written", None) or _written(self.node)  # to_python's
        found = self._written.get(key)
        if found is None and self._merges:
            return entry(self.node, key)
        return found

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def merged_by(self, key: str) -> Node | None:
        """The `<<` key node that merges `key` into this mapping, None where it is written here (or absent)."""
        return merged_by(self.node, key)

    def node_of(self, key: str) -> Node:
        found = self._pair(key)
        return self.node if found is None else found[1]

    def text(self, key: str) -> str | None:
        """The value as written, if it is a scalar (`yes` stays "yes", `42` stays "42")."""
        if key not in self.data:
            return None
        found = self._pair(key)
        node = self.node if found is None else found[1]
        if isinstance(node, ScalarNode):  # raw_text's rule, inline: fields are read thousands of times
            return None if node.tag == "tag:yaml.org,2002:null" else node.value
        return None

    def where(self, key: str | None = None, node: Node | None = None) -> tuple[int, int]:
        """Line and column of a key's value (or of a node in it, or of the mapping itself); an alias's where it is used."""
        found = self._pair(key) if key is not None and node is None else None
        if found is not None:
            line, col = value_where(*found)
            return line + self.line_offset, col
        line, col = where(node if node is not None else self.node_of(key) if key is not None else self.node)
        return line + self.line_offset, col

    def fields(self, key: str) -> Fields | None:
        """A nested mapping, read the same way."""
        value = self.data.get(key)
        return Fields(value, self.node_of(key), self.line_offset) if isinstance(value, dict) else None

    def items(self, key: str) -> list[tuple[object, Node]]:
        """A list's values with their nodes (a single value counts as a list of one)."""
        if key not in self.data:
            return []
        value, node = self.data[key], self.node_of(key)
        if isinstance(value, list) and isinstance(node, SequenceNode) and len(node.value) == len(value):
            return list(zip(value, node.value))
        return [(value, node)]
