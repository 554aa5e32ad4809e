"""What usually causes a YAML syntax error in an annotation file, said where the mistake is: quoting
(a quoted value never closed, a quote mark inside a value quoted with it, a `#` left unquoted), a
field indented unlike the one above it, `: ` in a plain value. Asked once a file fails to parse; and, of a file
that parses, what a plain value lost to YAML's syntax (`lost_text`)."""
from __future__ import annotations

import re

import yaml

from .yamlsrc import _Loader, _place

_KEY_LINE = re.compile(r"\s*(?:-\s+)?[^\s#'\"-][^:#]*:(?:\s|$)")
_FLOW_COMMENT = re.compile(r"[\[{,][ \t]*(#[^\s,\]}]+)")
_ESCAPE = {'"': 'write \\" for a " inside "…", or put the value in \'…\'',
           "'": "write '' for a ' inside '…', or put the value in \"…\""}


def _the_end(line_offset: int) -> str:
    """Where the YAML read ends: a Markdown file's front matter (which starts below its first line) ends at its
    closing `---`, not at the end of the file."""
    return 'the end of the front matter (the "---" line)' if line_offset else "the end of the file"


def _open_flow(text: str, mark):
    """The mark of the first "[" or "{" still open where YAML stopped (at `mark`), or None."""
    opened = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token.start_mark)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[0] if opened else None


def _dedented(rows: list[str], above: str) -> tuple[int, int, str] | None:
    """An annotation's field written at column 1 (the last of `rows`, the lines before the error's), under an
    annotation of `annotations:` (said at that field, with the annotation it belongs to), or under `annotations:`
    with no annotation above it (its "- " lost)."""
    from .schema import at_top  # (schema words its errors with this module's hints)

    at = max(i for i, row in enumerate(rows) if row == above)
    items = [(i, m) for i, row in enumerate(rows[:at]) if (m := re.match(r"( *)- +(?=[^\s#])", row))]
    head = next((i for i, row in enumerate(rows[:at]) if re.match(r"annotations\s*:", row)), at)  # `annotations:`
    if items and head < items[-1][0]:
        said = at_top(above.split(":", 1)[0].strip(), (items[-1][0] + 1, items[-1][1].end() + 1))
    elif not items and head < at:  # the first annotation's "- " lost: `quote:` at column 1 under `annotations:`
        said = at_top(above.split(":", 1)[0].strip(), None)
    else:
        return None
    return (at + 1, 1, said) if said else None


def usual_cause(text: str, exc, mark, line: int, col: int, message: str, line_offset: int = 0) -> tuple[int, int, str]:
    """(line, col, message) of a syntax error at `mark` (YAML's own `line`, `col`, `message` when no usual
    cause is seen). A quoted value never closed is placed at its opening quote, not where YAML gave up. Lines
    the message names count from the file's first line: `text` starts on the file's line 1 + `line_offset`
    (front matter)."""
    ctx = exc.context_mark
    if "nesting depth" in (exc.problem or ""):  # libyaml's own limit (PyYAML 6.0.4's): said as ours is (yamlsrc.MAX_DEPTH)
        return line, col, "YAML nests too deeply here (hundreds of levels): refused (annotations and front matter need a few)"
    if str(exc.problem) == "but found another document":  # yaml.compose's words for a `---` line within the file
        return line, col, (f'{message}: a line "---" starts a second YAML document; remove it: the file is one '
                           'mapping, with one "article:" and one "annotations:" list')
    if (spaced := _odd_space(text, mark)) is not None:
        return spaced
    if (dashed := _dash_glued(text, mark)) is not None:
        return dashed
    if (started := _indicator_start(text, mark)) is not None:
        return started
    if (aliased := _alias_start(text, exc)) is not None:
        return aliased
    if str(exc.problem).startswith("mapping values are not allowed") and (glued := _colon_glued(text, mark)) is not None:
        return glued
    if exc.context == "while scanning a simple key" and ctx is not None and ctx.line < mark.line:
        row = text[ctx.index:].split("\n", 1)[0].rstrip()
        above = next((r for r in reversed(text[:ctx.index - ctx.column].split("\n")[:-1]) if r.strip()), "")
        block = re.match(r"(\s*(?:-\s+)?)([^\s:#][^:#]*):\s*[|>][+-]?[0-9]?\s*(?:#.*)?$", above)
        if re.match(r"-[^\s\-#'\"\[{]", row) and above.lstrip(" ").startswith("- ") and above.index("-") == ctx.column:
            return ctx.line + 1, ctx.column + 1, dash_glued_message(row[1:])
        if block and ctx.column <= len(block.group(1)):
            key = block.group(2)
            return ctx.line + 1, ctx.column + 1, (f'the text of "{key}: {above.split(":", 1)[1].strip()}" goes on the lines '
                                                  f'below it, indented more than "{key}:" (this line is not)')
        if (glued := colon_glued(row)) is not None:  # `note:x`, `note： x`
            return ctx.line + 1, ctx.column + glued[0] + 1, glued[1]
        return ctx.line + 1, ctx.column + 1, (f'"{row[:40]}" is neither a field nor part of a value: a field is written '
                                              'with ":" and a space after its name (name: value)')
    if str(exc.problem) == "found unknown escape character":
        return line, col, (f"{message}: in a value quoted with \"…\", a backslash starts an escape: write \\\\ for a "
                           "backslash, or put the value in '…'")
    if str(exc.problem).startswith("mapping values are not allowed") and (curly := _curly(text, mark)) is not None:
        return curly
    if exc.context == "while scanning a quoted scalar" and ctx is not None:
        q = text[ctx.index]
        return ctx.line + 1, ctx.column + 1, f"this quoted value is never closed: no closing {q} before {_the_end(line_offset)}"
    quoted = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                quoted.append(token)
    except yaml.YAMLError:
        pass
    for token in reversed(quoted):
        start, end = _place(text, token.start_mark.index), _place(text, token.end_mark.index)
        runs = text[token.start_mark.index:token.end_mark.index].split("\n")[1:]
        if any(_KEY_LINE.match(row) for row in runs):
            q = token.style
            return start[0] + 1, start[1] + 1, (f"this quoted value is not closed on its line: its {q} runs on to "
                                                f"line {end[0] + 1 + line_offset}, taking the lines between as its text; close it with {q}")
    if quoted and quoted[-1].end_mark.index <= mark.index and not text[quoted[-1].end_mark.index:mark.index].strip(" \t"):
        q = quoted[-1].style
        return line, col, f"the value goes on after its closing {q}: {_ESCAPE[q]}"
    since = text.rfind("\n", 0, max(text.rfind("\n", 0, mark.index), 0)) + 1  # the line before the mark's, or the
    since = min(since, ctx.index) if ctx is not None else since  # collection's start if earlier
    if hidden := _FLOW_COMMENT.search(text, since, mark.index + 1):  # `rebuts: [#a]`
        at = _place(text, hidden.start(1))
        return at[0] + 1, at[1] + 1, f'"#" starts a comment in YAML, which hides the rest of the line: write "{hidden[1]}" in quotes'
    if exc.context == "while parsing a flow node" and str(exc.problem).startswith(("did not find expected node content",
                                                                                     "expected the node content")):
        ctx = _open_flow(text, mark) or ctx  # `note: [` at a line's end, then the next annotation's "-": said at the "["
    if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping", "while parsing a flow node") \
            and ctx is not None and ctx.line < mark.line and text[ctx.index] in "[{" \
            and str(exc.problem).startswith(("did not find expected", "expected the node content")):
        opened, closer = text[ctx.index], "]" if text[ctx.index] == "[" else "}"
        until = _the_end(line_offset) if not text[mark.index:].strip() else f"line {mark.line + 1 + line_offset}"
        return ctx.line + 1, ctx.column + 1, (f'this "{opened}" is not closed on its line: end it with "{closer}" '
                                              f'(YAML read on to {until} looking for it)')
    rows = text[:mark.index].split("\n")
    above = next((r for r in reversed(rows[:-1]) if r.strip() and not r.lstrip().startswith("#")), None)
    here = text[mark.index - len(rows[-1]):].split("\n", 1)[0]
    bare = lambda row: re.sub(r"\s#.*", "", row).rstrip()  # (a comment's "#<id>" is no block's ">")
    if above is not None and _KEY_LINE.match(here) and _KEY_LINE.match(above) and not bare(above).endswith((":", "|", ">", "-")):
        indent = lambda row: re.match(r" *(?:- +)?", row).end()  # (where the field starts: after "-   " too)
        if indent(above) == 0 and indent(here) > 0 and not line_offset and (said := _dedented(rows[:-1], above)) is not None:
            return said  # `note:` at column 1 under an annotation, the next annotation below it: the `note:` is the slip
        if indent(here) != indent(above):  # `   note:` under `    quote: …`
            wide = re.match(r" *- {2,}([^\s:#]+)", above)  # `-   quote:`: a tab after the dash, made spaces by the editor
            return line, indent(here) + 1, (f"this line is indented {_spaces(indent(here))} and the field above it {indent(above)}: "
                                            "the fields of one annotation, or of article:, line up"
                                            + (f' (write one space after the "-" above: "- {wide[1]}:")' if wide else ""))
    if str(exc.problem) == "did not find expected key" and exc.context == "while parsing a block mapping" and ctx is not None \
            and ctx.column > 0 and _KEY_LINE.match(here) and not here.lstrip(" ").startswith("-") \
            and (at := re.match(r" *", here).end()) != ctx.column:  # `     by:` after a note's text
        return line, at + 1, (f"this line is indented {_spaces(at)} and the fields from line {ctx.line + 1 + line_offset} on {ctx.column}: "
                              "the fields of one annotation, or of article:, line up")
    if str(exc.problem) == "did not find expected key" and not _KEY_LINE.match(here) and (said := _block_text(text, mark, here, line_offset)):
        return said
    if str(exc.problem) == "did not find expected '-' indicator" and ctx is not None and _KEY_LINE.match(here) \
            and not here.lstrip(" ").startswith("-") and (said := _under_item(text, ctx, mark, here, line_offset)) is not None:
        return said
    if str(exc.problem).startswith("mapping values are not allowed") and above is not None and _KEY_LINE.match(here) \
            and (item := re.match(r" *- +", above)) and not _KEY_LINE.match(above) and re.match(r" *", here).end() == item.end():
        first = bare(above)[item.end():]  # `- id x` over `  quote: …`: YAML read the two lines as one text, "id x quote"
        return text[:mark.index].count("\n", 0, text.rfind(above, 0, mark.index)) + 1, item.end() + 1, _neither(first)
    if str(exc.problem).startswith("mapping values are not allowed"):
        return line, col, f'{message}: a value with ": " in it needs quotes ({_quoted_line(text, mark)})'
    return line, col, message


def _neither(row: str) -> str:
    return f'"{row[:40]}" is neither a field nor part of a value: a field is written with ":" and a space after its name (name: value)'


_BLOCK_KEY = re.compile(r"( *(?:- +)?)([^\s:#][^:#]*):[ \t]*[|>][+-]?[0-9]?[ \t]*(?:#.*)?$")


def _block_text(text: str, mark, here: str, line_offset: int) -> tuple[int, int, str] | None:
    """A line of a block of text (`note: |`) indented otherwise than the block's first line, which sets the block's
    indentation: YAML ended the block there and looked for a field; or None."""
    rows, at = text.split("\n"), re.match(r" *", here).end()
    for i in range(mark.line - 1, -1, -1):
        row = rows[i]
        if not row.strip():
            continue
        m = _BLOCK_KEY.match(row)
        if m is None:
            continue
        first = next((j for j in range(i + 1, mark.line) if rows[j].strip()), None)
        if first is None:
            return None
        column = re.match(r" *", rows[first]).end()
        if column <= len(m.group(1)) or at <= len(m.group(1)) or at == column:
            return None
        key = m.group(2)
        return mark.line + 1, at + 1, (f'the text of "{key}: {row.split(":", 1)[1].strip()}" is indented as its first line is '
                                       f"(line {first + 1 + line_offset}, {_spaces(column)}): this line has {at}; line them up")
    return None


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _under_item(text: str, ctx, mark, here: str, line_offset: int) -> tuple[int, int, str] | None:
    """A field under a list item (`  - id: x`) that YAML could not make one of the item's fields: indented otherwise
    than the item's first field, or under an item whose first line is no field (`- id:x`, `- id x`); or None."""
    rows = text.split("\n")
    item = next((i for i in range(mark.line - 1, ctx.line - 1, -1) if re.match(rf" {{{ctx.column}}}- ", rows[i])), None)
    if item is None:
        return None
    fields, at = re.match(r" *- +", rows[item]).end(), re.match(r" *", here).end()
    if at != fields:
        return mark.line + 1, at + 1, (f"this line is indented {_spaces(at)} and the fields of the annotation above it (line "
                                       f"{item + 1 + line_offset}) {fields}: the fields of one annotation, or of article:, line up")
    if (glued := colon_glued(rows[item])) is not None:  # `- id:x`: the item is a text, and this field cannot follow it
        return item + 1, glued[0] + 1, glued[1]
    first = re.sub(r"\s#.*", "", rows[item][fields:]).rstrip()
    if first and not _KEY_LINE.match(first):  # `- id x`
        return item + 1, fields + 1, _neither(first)
    return None


_COLONS = {":": "", "\uff1a": " (U+FF1A, a full-width colon)", "\ufe55": " (U+FE55, a small colon)"}
_GLUED_COLON = re.compile(r"(\s*(?:-\s+)?)([A-Za-z_]+)(:(?=[^\s:/])|[\uff1a\ufe55])[ \t]*(.*)$")


def colon_glued(row: str) -> tuple[int, str] | None:
    """(column, 0-based, of the colon; what to say) of a line that starts as a field but whose colon has no space after
    it (`- quote:"…"`), or is one YAML does not know (`quote： …`): YAML reads the line as text. None for other lines."""
    m = _GLUED_COLON.match(row)
    if m is None:
        return None
    key, colon, value = m.group(2), m.group(3), m.group(4).rstrip()
    fix = f"{key}: {value}" if value[:1] in ("'", '"') or not value else quoted(key, value)
    said = "needs a space after it" if colon == ":" else f"is not one YAML knows{_COLONS[colon]}"
    return m.start(3), f'the colon after "{key}" {said}, so YAML reads the line as text: write {fix}'


def _colon_glued(text: str, mark):
    """colon_glued of the line above the error, which YAML read as text running on into the line of the error."""
    rows = text.split("\n")
    above = next((i for i in range(mark.line - 1, -1, -1) if rows[i].strip() and not rows[i].lstrip().startswith("#")), None)
    said = colon_glued(rows[above]) if above is not None else None
    return None if said is None else (above + 1, said[0] + 1, said[1])


_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LEAD = re.compile(f"[ {_SPACES}]*[{_SPACES}]")  # a line's indentation, with a space YAML does not count as one


def odd_indent(row: str) -> int | None:
    """The column (0-based) of a no-break or other Unicode space in a line's indentation (pasted from a web
    page or a word processor): YAML reads it as text, not as indentation. None if the line has none."""
    m = _LEAD.match(row)
    return m.end() - 1 if m and row[m.end():].strip() else None


def odd_indent_message(char: str) -> str:
    return (f"this line is indented with a no-break space (U+{ord(char):04X}), which YAML reads as text, not as "
            "indentation: indent with plain spaces")


def _odd_space(text: str, mark):
    """A line at or just above the error indented with a no-break space."""
    rows = text.split("\n")
    for i in (mark.line, mark.line - 1):
        if 0 <= i < len(rows) and (at := odd_indent(rows[i])) is not None:
            return i + 1, at + 1, odd_indent_message(rows[i][at])
    return None


_GLUED = re.compile(r"( *)-[^\s\-#'\"\[{][^:\s]*:(?:\s|$)")  # `  -quote: …`


def _dash_glued(text: str, mark):
    """A list item written `-quote:`, without a space after the dash, at or above the error: a plain key
    that YAML read up to there (never words inside a quoted value or a block of text)."""
    if "-" not in text[: mark.index]:
        return None
    try:
        before = None
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index > mark.index:
                break
            key, before = isinstance(before, yaml.KeyToken), token
            if key and isinstance(token, yaml.ScalarToken) and not token.style and token.value.startswith("-") \
                    and glued_dash(token.value):
                at = token.start_mark
                return at.line + 1, at.column + 1, dash_glued_message(f"{token.value[1:]}:")
    except yaml.YAMLError:
        pass
    return None


def dash_glued_message(item: str) -> str:
    """What to say of a list item written with its dash glued on (`-quote:`, `-ms-13`): `item`, the rest of it."""
    return f'a "-" that starts a list item needs a space after it: write "- {item}"'


def glued_dash(key: str) -> bool:
    """Whether a mapping key is a list item's field with its dash glued on (`-quote`)."""
    return bool(_GLUED.match(key + ": "))


_CURLY = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201d", "\u00ab": "\u00bb"}


def _curly(text: str, mark):
    """A value put in curly quotes (“…”), which YAML reads as plain text, not as quoting."""
    row = text.split("\n")[mark.line]
    m = re.match(r"\s*(?:-\s+)?[^\s:#][^:#]*:\s+", row)
    if m and m.end() < len(row) and row[m.end()] in _CURLY:
        return mark.line + 1, m.end() + 1, (f"curly quotes ({row[m.end()]}…{_CURLY[row[m.end()]]}) do not quote a value in "
                                            'YAML: use straight ones ("…")')
    return None


def quoted(key: str | None, value: str) -> str:
    """A value written in "…", after its key (`note: "&x text"`) or alone (a list item's)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"' if key is not None else f'"{escaped}"'


def _quoted_line(text: str, mark) -> str:
    """The line of the error with its value in quotes, as it should be written; or an example."""
    row = text.split("\n")[mark.line].rstrip()
    m = re.match(r"\s*(?:-\s+)?([^\s:#'\"][^:#]*?):\s+([^'\"\s].*)$", row)
    if m and len(row) <= 120:
        return quoted(m.group(1), m.group(2))
    return 'note: "Note: this"'



# What a character at the start of a plain value makes of it in YAML: text copied into a quote or a note often
# starts so (Markdown's *emphasis*, an editor's [brackets], an @handle, a "> " reply), and YAML's own message
# ("found undefined alias", "did not find expected key") says nothing of quoting.
_INDICATORS = {"*": '"*" starts an alias', "&": '"&" starts an anchor', "@": '"@" is reserved',
               "`": '"`" is reserved', "%": '"%" starts a directive', "[": '"[" starts a list',
               "{": '"{" starts a mapping', "|": '"| " starts a block of text on the lines below',
               ">": '"> " starts a block of text on the lines below', "-": '"- " starts a list item',
               "?": '"? " starts a key'}
_LISTS = ("flags", "tags", "sources", "rebuts", "retracts", "supports", "see", "author", "annotations", "article", "body",
          "retracted")  # fields whose value may be a list or a mapping: "[" and "{" there mean one
_FIELD = re.compile(r"(\s*(?:-\s+)?)([^\s:#'\"\[{-][^:#]*?):[ \t]+(\S.*?)\s*$")


def _indicator_start(text: str, mark):
    """A field's plain value, on the line of the error, that starts with a character YAML reads as syntax."""
    rows = text.split("\n")
    if mark.line >= len(rows):
        return None
    m = _FIELD.match(rows[mark.line])
    if not m or m.start(3) > mark.column:
        return None
    key, value = m.group(2).strip(), m.group(3)
    first = value[0]
    if first not in _INDICATORS or first in "[{?|>" and key in _LISTS:
        return None
    if first == "-" and key in _LISTS and value[1:2] in (" ", "\t"):  # `flags: - anonymous-source`: a list item
        item = value[1:].strip()
        flow = f"; or write the list in brackets: {key}: [{item}]" if re.fullmatch(r"[\w .-]+", item) and key != "annotations" else ""
        return mark.line + 1, m.start(3) + 1, (f'a list item ("- …") goes on a line of its own, below "{key}:" and '
                                               f"indented more than it{flow}")
    if first in "|>-?" and value[1:2] not in (" ", "\t", ""):
        return None  # (">5", "-3": plain text that YAML reads as it is; "|2": a block's indentation)
    if first in "|>" and not value[1:].strip():
        return None
    return mark.line + 1, m.start(3) + 1, (f'a value that starts with "{first}" needs quotes in YAML ({_INDICATORS[first]}): '
                                           f'write {quoted(key, value)}')


def _alias_start(text: str, exc):
    """An alias or anchor that YAML could not read where a value starts without a key on its line: a list item
    (`- *important`), an item in brackets (`[a, *b]`), a line of text below its key (`*Important*: …`)."""
    if exc.problem == "found undefined alias":
        mark = exc.problem_mark
    elif exc.context in ("while scanning an alias", "while scanning an anchor"):
        mark = exc.context_mark
    else:
        return None
    if mark is None or text[mark.index:mark.index + 1] not in ("*", "&"):
        return None
    first, row = text[mark.index], text[mark.index:].split("\n", 1)[0]
    before = text[mark.index - mark.column:mark.index].rstrip()
    if before.endswith(("[", ",")):  # in brackets: up to the item's end
        value = re.match(r"[^,\]]*", row).group().rstrip()
        fix = f"write {quoted(None, value)}"
    elif before.lstrip(" ") == "-":
        fix = f"write - {quoted(None, row.rstrip())}"
    else:
        fix = "put the value in quotes"
    return mark.line + 1, mark.column + 1, f'a value that starts with "{first}" needs quotes in YAML ({_INDICATORS[first]}): {fix}'


# What a plain value loses without quotes, in a file that parses: YAML drops an anchor that starts it
# (`note: &x text` reads "text") and a comment (`note: claim #2 of 5` reads "claim", and so does a line below it
# that starts "#2"), and joins its lines with spaces (a Markdown list below `note: Reasons` reads "Reasons - a - b").
_ANCHORED = re.compile(r"[\s\[{,]&[^\s\[\]{},]")
_CUT = re.compile(r"[ \t]#[^\s#]")  # "#" glued to what follows: "claim #2", not "x  # a comment"
_CUT_HERE = re.compile(r"[ \t]#[^\s#]|[ \t]*\n([ \t]+)#[^\s#]")  # just after a value: on its line, or on the next
_LIST_LINE = re.compile(r"\n[ \t]+(?:[-*+]|\d{1,3}[.)])[ \t][^:\n]*(?=\n)")  # a Markdown list item, or a YAML one, without ":"
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")
_NAME = re.compile(r"&[^\s\[\]{},]*")


def lost_text(root, text: str) -> list[tuple[int, int, str]]:
    """(line, col, message), 1-based, of each plain value that lost part of what is written to YAML's syntax: an anchor
    at its start that no alias uses, a comment glued to text, a Markdown list joined into one line. Said as warnings:
    the file means something."""
    anchors = "&" in text and _ANCHORED.search(text) is not None
    comments = (" #" in text or "\t#" in text) and _CUT.search(text) is not None
    joined = any(_below_text(text, m.start()) for m in _LIST_LINE.finditer(text))
    if not (anchors or comments or joined):  # (most files: two regular expressions, no walk: a tenth of composing it)
        return []
    out = []
    for key, node, aliased in _plain_values(root):
        name = key.value if key is not None else None
        if anchors and not aliased and text.startswith("&", node.start_mark.index):
            out.append(_anchor_dropped(name, node, text))
        cut = _CUT_HERE.match(text, node.end_mark.index) if comments and node.value else None
        if cut and (cut[1] is None or key is not None and len(cut[1]) > key.start_mark.column):
            out.append(_comment_cut(name, node, text, cut.end() - 2))
        if joined and key is not None and node.start_mark.line != node.end_mark.line and (said := _list_joined(name, node, text)):
            out.append(said)
    return out


def _below_text(text: str, at: int) -> bool:
    """Whether the line that ends at `at` may be a plain value's text: not a list item, a key alone, a comment."""
    row = text[text.rfind("\n", 0, at) + 1:at].strip()
    return bool(row) and row[0] not in "-#" and row[-1] not in ":|>"


def _plain_values(root) -> list:
    """(key node, value node, aliased) of each plain scalar that is a value (key None: a list item), once each, in the
    order written; aliased: it is also used elsewhere through an alias (`*x`)."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from .yamlsrc import _nodes

    uses: dict = {}
    values = []
    for parent in _nodes(root):
        if isinstance(parent, MappingNode):
            pairs = [(k if isinstance(k, ScalarNode) else None, v) for k, v in parent.value]
        elif isinstance(parent, SequenceNode):
            pairs = [(None, v) for v in parent.value]
        else:
            continue
        for key, node in pairs:
            uses[node] = uses.get(node, 0) + 1
            if uses[node] == 1 and isinstance(node, ScalarNode) and not node.style:  # plain: "" (libyaml) or None
                values.append((key, node))
    return [(key, node, uses[node] > 1) for key, node in values]


def _reads(value: str) -> str:
    if not value:
        return "is empty"
    return f'reads "{value}"' if len(value) <= 60 else f'reads "{value[:57]}…"'


def _fix(key: str | None, written: str) -> str:
    """How to write a value so that all of it is kept: in quotes, shown whole when it is one short line."""
    written = written.rstrip()
    return f"write {quoted(key, written)}" if "\n" not in written and len(written) <= 120 else "put the value in quotes"


def _anchor_dropped(key, node, text: str) -> tuple[int, int, str]:
    at = node.start_mark.index
    name = _NAME.match(text, at).group()
    return (node.start_mark.line + 1, node.start_mark.column + 1,
            f'"{name}" at the start of a value is a YAML anchor, not text, and is dropped: this value '
            f'{_reads(node.value)}; to keep it, {_fix(key, text[at:node.end_mark.index])}')


def _comment_cut(key, node, text: str, at: int) -> tuple[int, int, str]:
    """At the "#" (`at`), on the value's line or on the line below it, indented as the value's text goes on."""
    line, col = _place(text, at)
    if line != node.end_mark.line:  # a line of its own: text after "|" keeps it
        fix = f'write "{key}: |" and the text below it, indented' if key is not None else "put the value in quotes"
        return (line + 1, col + 1, f'"#" at the start of a line starts a comment in YAML, which hides the line: this value '
                                   f'{_reads(node.value)}; to keep that line, {fix}')
    end = text.find("\n", at)
    written = text[node.start_mark.index:end if end >= 0 else len(text)]
    return (line + 1, col + 1, f'"#" after a space starts a comment in YAML, which hides the rest of the line: this value '
                               f'{_reads(node.value)}; to keep the rest, {_fix(key, written)}')


def _list_joined(key: str, node, text: str) -> tuple[int, int, str] | None:
    """At the first line of a plain value, below its first, that starts as a Markdown list item (`- `, `* `, `1. `)."""
    rows = text[node.start_mark.index:node.end_mark.index].split("\n")
    for i, row in enumerate(rows[1:], 1):
        if m := _ITEM.match(row):
            col = len(m.group()) - len(m.group().lstrip(" \t"))
            return (node.start_mark.line + i + 1, col + 1, f'YAML joins the lines of a plain value with spaces: this value '
                    f'{_reads(node.value)}; for a list in the {key}, write "{key}: |" and its lines below it, indented')
    return None


_VALUE_ON = re.compile(r"\s*(?:-\s+)?(?:([^\s:#'\"\[{-][^:#]*?):[ \t]+)?$")  # what comes before a value on its line


def tag_as_text(node, text: str) -> str:
    """'; if "!Important:" is text, write note: "!Important: it is false"' for a plain value whose tag YAML refused, the
    value quoted as written to its line's end (`!` starts a tag: a note that starts "!!!" was taken for one); ''
    for a value not on one line with its tag."""
    at = node.start_mark.index
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    written = text[at:end if end >= 0 else len(text)].split(" #", 1)[0].rstrip()
    before = _VALUE_ON.match(text[start:at])
    if node.style or before is None or node.end_mark.index > at + len(written) or len(written) > 120:
        return ""
    tag, item = written.split()[0], before.group(1) is None and "-" in text[start:at]  # a list item's: `- "!wow"`
    return f'; if "{tag}" is text, write {"- " if item else ""}{quoted(before.group(1), written)}'
