"""What usually causes a YAML syntax error in an annotation file, said where the mistake is: quoting
(a quoted value never closed, a quote mark inside a value quoted with it, a `#` left unquoted), a
field indented unlike the one above it, `: ` in a plain value. Asked only once a file fails to parse."""
from __future__ import annotations

import re

import yaml

from .yamlsrc import _Loader, _place

_KEY_LINE = re.compile(r"\s*(?:-\s+)?[^\s#'\"-][^:#]*:(?:\s|$)")
_FLOW_COMMENT = re.compile(r"[\[{,][ \t]*(#[^\s,\]}]+)")
_ESCAPE = {'"': 'write \\" for a " inside "…", or put the value in \'…\'',
           "'": "write '' for a ' inside '…', or put the value in \"…\""}


def usual_cause(text: str, exc, mark, line: int, col: int, message: str) -> tuple[int, int, str]:
    """(line, col, message) of a syntax error at `mark` (YAML's own `line`, `col`, `message` when no usual
    cause is seen). A quoted value never closed is placed at its opening quote, not where YAML gave up."""
    ctx = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and ctx is not None:
        q = text[ctx.index]
        return ctx.line + 1, ctx.column + 1, f"this quoted value is never closed: no closing {q} before the end of the file"
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
                                                f"line {end[0] + 1}, taking the lines between as its text; close it with {q}")
    if quoted and quoted[-1].end_mark.index <= mark.index and not text[quoted[-1].end_mark.index:mark.index].strip(" \t"):
        q = quoted[-1].style
        return line, col, f"the value goes on after its closing {q}: {_ESCAPE[q]}"
    since = text.rfind("\n", 0, max(text.rfind("\n", 0, mark.index), 0)) + 1  # the line before the mark's, or the
    since = min(since, ctx.index) if ctx is not None else since  # collection's start if earlier
    if hidden := _FLOW_COMMENT.search(text, since, mark.index + 1):  # `rebuts: [#a]`
        at = _place(text, hidden.start(1))
        return at[0] + 1, at[1] + 1, f'"#" starts a comment in YAML, which hides the rest of the line: write "{hidden[1]}" in quotes'
    rows = text[:mark.index].split("\n")
    above = next((r for r in reversed(rows[:-1]) if r.strip() and not r.lstrip().startswith("#")), None)
    here = text[mark.index - len(rows[-1]):].split("\n", 1)[0]
    if above is not None and _KEY_LINE.match(here) and _KEY_LINE.match(above) and not above.rstrip().endswith((":", "|", ">", "-")):
        indent = lambda row: len(row) - len(row.lstrip(" ")) + (2 if row.lstrip(" ").startswith("- ") else 0)
        if indent(here) != indent(above):  # `   note:` under `    quote: …`
            return line, indent(here) + 1, (f"this line is indented {indent(here)} spaces and the field above it {indent(above)}: "
                                            "the fields of one annotation, or of article:, line up")
    if str(exc.problem).startswith("mapping values are not allowed"):
        return line, col, f'{message}: a value with ": " in it needs quotes (note: "Note: this")'
    return line, col, message
