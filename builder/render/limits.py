"""What a site's own template may make or ask for (the sandboxed environment checks each): Jinja's
sandbox refuses `range(10**9)`; these refuse the other ways to exhaust the machine."""
from __future__ import annotations

import contextlib
import functools
import re
import threading

import jinja2
import jinja2.sandbox


MAX_MADE = 10_000_000  # items (characters) one operation of a site's template may make
MAX_WIDTH = 100_000  # a width, padding or count a site's template may give a filter or a text method
MAX_STEPS = 10_000_000  # steps a site's template may take for one page (a few seconds of work): an item of a loop
CALL_STEPS = 100  # is one; a call of a macro or of a recursive loop, which costs Jinja about as much, is these
MAX_PAGE = 500_000_000  # characters a site's template may put out for one page, or in its buffers (a macro's output,
# a `set` block's), each counted where it is put: 100,000 times `"x"|center(100000)` would take 10 GB
_SPEC = re.compile(r"%[#0 +\-]*(\d*)(?:\.(\d*))?|\{[^{}:]*:([^{}]*)\}")  # widths in `%` and `{}` formats
SIZED = ("center", "indent", "batch", "slice", "tojson")  # filters whose numbers say how much to make
PADDED = ("center", "ljust", "rjust", "zfill", "expandtabs")  # text methods whose number is a width


def refuse(why: str):
    raise jinja2.sandbox.SecurityError(f"a template may not {why}")


def made(value, given=None):
    """`value`, unless it is text or a list past MAX_MADE (made one doubling at a time, say) and longer than
    `given`, the value a filter was given: a filter that passes on what the build gave it (`|safe` on an
    article's paragraph of millions of characters) makes nothing."""
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_MADE and not (
            isinstance(given, (str, bytes, list, tuple)) and len(value) <= len(given)):
        refuse(f"make text or a list of more than {MAX_MADE:,} items")
    return value


def sizes(args, kwargs=None, fmt=None) -> None:
    """Refuse a number past MAX_WIDTH among `args`, or a width past it written in the format `fmt`."""
    for value in (*args, *(kwargs or {}).values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
            refuse(f"give a width or count above {MAX_WIDTH:,} ({value:,})")
    if isinstance(fmt, str):
        for digits in re.findall(r"\d+", " ".join(" ".join(m.groups("")) for m in _SPEC.finditer(fmt))):
            if len(digits) > 6 or int(digits) > MAX_WIDTH:
                refuse(f"format with a width above {MAX_WIDTH:,} ({digits})")


def replaced(value, old, new, count=None) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        times = value.count(old) if count is None or count < 0 else min(count, value.count(old))
        if len(value) + times * (len(new) - len(old)) > MAX_MADE:
            refuse(f"make text of more than {MAX_MADE:,} characters")


def capped_filter(name: str, f):
    """A built-in filter that checks what a site's template asks of it and what it makes."""
    skip = 2 if hasattr(f, "jinja_pass_arg") else 1  # the context, if passed, then the piped value

    @functools.wraps(f)
    def capped(*args, **kwargs):
        if name in SIZED:
            sizes(args[skip:], kwargs)
        elif name == "format":
            sizes(args[skip:], kwargs, fmt=args[skip - 1])
        elif name == "replace":
            replaced(*args[skip - 1:skip + 3])
        return made(f(*args, **kwargs), args[skip - 1] if len(args) >= skip else None)

    return capped


def capped_markup_join(seq):
    """`~` in a site's template (compiled to call this): `ns.s ~ ns.s` in a loop doubles text each time."""
    return made(jinja2.runtime.markup_join(seq))


def capped_str_join(seq):
    return made(jinja2.runtime.str_join(seq))



_page = threading.local()  # `budget`: [the steps, the characters the page being rendered may still take] (None: no page
# is rendered)


@contextlib.contextmanager
def page_budget():
    """One page's budget of steps (range(10**5) in range(10**5) would run for hours, each within Jinja's limit);
    a render inside a page's (a passage of a listing) spends the page's."""
    if getattr(_page, "budget", None) is not None:
        yield
        return
    _page.budget = [MAX_STEPS, MAX_PAGE]
    try:
        yield
    finally:
        _page.budget = None


def _spent() -> None:
    refuse(f"take more than {MAX_STEPS:,} steps for one page (a loop within a loop, a macro that calls itself twice?)")


def spend(steps: int) -> None:
    """`steps` of the page's budget (a call of a macro or of a recursive loop's `loop`: CALL_STEPS)."""
    budget = getattr(_page, "budget", None)
    if budget is not None:
        budget[0] -= steps
        if budget[0] < 0:
            _spent()


def capped_iter(iterable):
    """What a site's template loops over (each `for`, a recursive loop's every level), a step an item."""
    budget = getattr(_page, "budget", None)
    if budget is None:
        yield from iterable
        return
    for item in iterable:
        budget[0] -= 1
        if budget[0] < 0:
            _spent()
        yield item


def _over(size: int) -> bool:
    """Whether `size` characters more are past the page's budget (spent)."""
    budget = getattr(_page, "budget", None)
    if budget is not None:
        budget[1] -= size
        return budget[1] < 0
    return False


def _too_long() -> str:
    return f"put out more than {MAX_PAGE:,} characters for one page (a loop of long texts?)"


def _put(size: int) -> None:
    if _over(size):
        refuse(_too_long())


def counted(pieces):
    """A page's output as its template puts it out (a generator), a piece at a time, its characters spent; past
    them, refused where the template put out the piece, so that its line is said."""
    for piece in pieces:
        if _over(len(piece)):
            pieces.throw(jinja2.sandbox.SecurityError(f"a template may not {_too_long()}"))
        yield piece


class CappedBuffer(list):
    """A buffer of a site's template (a macro's output, a `set` or `filter` block's): each piece put in it spends the
    page's characters, before the buffer is joined."""

    __slots__ = ()

    def append(self, piece) -> None:
        _put(len(piece))
        super().append(piece)

    def extend(self, pieces) -> None:
        pieces = tuple(pieces)
        _put(sum(map(len, pieces)))
        super().extend(pieces)
