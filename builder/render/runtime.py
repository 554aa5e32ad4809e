"""What the built-in templates' compiled code calls as it runs (see templates._CodeGenerator): escaping,
calls, includes, and the `map` and `join` filters, each taking its commonest cases at once and the rest to Jinja's own
code, with the same results. A site's own templates (sandboxed) use Jinja's, capped, not these."""
from __future__ import annotations

import functools
import types

import jinja2
import markupsafe
from markupsafe import Markup

try:
    from markupsafe import _escape_inner  # markupsafe 3: the function behind escape(), C when it can be
except ImportError:  # an older markupsafe: its own escape() is used as it is
    _escape_inner = None

_str_new = str.__new__


def escape(value) -> Markup:
    """markupsafe.escape, with its commonest cases (plain text, text already safe, a number) taken
    without its two Python-level calls: every `{{ … }}` of every page goes through here."""
    cls = value.__class__
    if cls is str:
        return _str_new(Markup, _escape_inner(value))
    if cls is Markup:
        return value
    if cls is int or cls is float:  # (their text holds nothing to escape)
        return _str_new(Markup, str(value))
    return markupsafe.escape(value)


def escaped(value) -> str:
    """escape(value) for a piece of a page's output, which is joined into the page at once: plain
    text is escaped without making a Markup of it (the same characters)."""
    cls = value.__class__
    if cls is str:
        return _escape_inner(value)
    if cls is Markup:  # (the `safe` filter's, a macro's, `ui`: as escape returns it)
        return value
    return escape(value)


escaped_text = _escape_inner  # escaped(value) for a value known to be plain text (the compiled code tests it)

_function, _builtin, _method = type(lambda: None), type(len), types.MethodType
_Context, _EvalContext, _missing, _new = jinja2.runtime.Context, jinja2.nodes.EvalContext, jinja2.runtime.missing, object.__new__
_KNOWN_CONTEXT = jinja2.__version__.startswith("3.1.")  # the Jinja whose Context `included` makes as its constructor does


# Built-in templates whose output depends on one variable of the context only, which stays the same object
# for a whole build (plan's `flags`, a list of frozen FlagDefs): `included` renders them once per value.
ONCE = {"_flag_colours.html": "flags"}


def included(context, template, locals):
    """The output of `{% include %}` with context: Jinja's `template.root_render_func(template.new_context(
    context.get_all(), True, locals))`, its Context and EvalContext made without the four calls of their
    constructors (a third of an include's cost; an article page has 45 to 72 of them). The same attributes.
    A template of ONCE is rendered once for as long as its variable is the same object (the style of the
    flags' hues, 723 characters on every page of the bench site, took 0.07 ms a page)."""
    if template.name in ONCE:
        return _once(context, template, locals, ONCE[template.name])
    return _included(context, template, locals)


def _once(context, template, locals, name):
    value = locals.get(name, _missing)
    if value is _missing:
        value = context.resolve_or_missing(name)
    made = template.__dict__.get("_made_once")
    if made is None or made[0] is not value:
        made = template._made_once = (value, "".join(_included(context, template, locals)))
    return (made[1],)


def _included(context, template, locals):
    environment = template.environment
    if not _KNOWN_CONTEXT or environment.context_class is not _Context or callable(environment.autoescape):
        return template.root_render_func(template.new_context(context.get_all(), True, locals))
    parent = context.get_all()
    if locals:
        parent = dict(parent)
        for key, value in locals.items():
            if value is not _missing:
                parent[key] = value
    eval_ctx = _new(_EvalContext)
    eval_ctx.environment, eval_ctx.autoescape, eval_ctx.volatile = environment, environment.autoescape, False
    new = _new(_Context)
    new.parent, new.vars, new.environment, new.eval_ctx = parent, {}, environment, eval_ctx
    new.exported_vars, new.name, new.globals_keys = set(), template.name, set(template.globals)
    new.blocks = {k: [v] for k, v in template.blocks.items()} if template.blocks else {}
    return template.root_render_func(new)


def render(template, names: dict, whole: bool = False) -> str:
    """`template.render(names)`, its Context made as `included` makes an include's (Jinja's new_context
    copies the names twice, and its constructors cost as much again): a page, a passage of a listing.
    `whole`: `names` holds the template's globals already (below the page's own names) and is the
    caller's to give away: the Context reads it as it is, where it would be copied."""
    environment = template.environment
    if not _KNOWN_CONTEXT or environment.context_class is not _Context or callable(environment.autoescape):
        return template.render(names)
    eval_ctx = _new(_EvalContext)
    eval_ctx.environment, eval_ctx.autoescape, eval_ctx.volatile = environment, environment.autoescape, False
    new = _new(_Context)
    new.parent, new.vars, new.environment, new.eval_ctx = names if whole else {**template.globals, **names}, {}, environment, eval_ctx
    new.exported_vars, new.name, new.globals_keys = set(), template.name, set(template.globals)
    new.blocks = {k: [v] for k, v in template.blocks.items()} if template.blocks else {}
    try:
        return "".join(template.root_render_func(new))
    except Exception:
        environment.handle_exception()


@jinja2.utils.internalcode
def call(__context, __obj, *args, **kwargs):
    """`context.call` (`f(x)` in a template), with no look-ups for a context to pass to a plain function
    or a macro that asks for none (a `hasattr` that fails is an exception caught, three of them a call):
    `href(…)`, `note_history(…)`, a method of a plain function (`flag_url(…)` and `url(…)`, Urls's), or
    a built-in one (C: it can carry no `jinja_pass_arg`), `d.update(…)`, a recursive loop's `loop(…)` (a SeqLoop: the graph's list). A macro is given the caller's EvalContext, as Jinja's `Macro.__call__`
    asks (it returns Markup only where the caller autoescapes). Anything else goes through `context.call`."""
    cls = __obj.__class__
    if (cls is _builtin or cls is SeqLoop or (cls is _function or cls is jinja2.runtime.Macro) and "jinja_pass_arg" not in __obj.__dict__
            or cls is _method and type(__obj.__func__) is _function and "jinja_pass_arg" not in __obj.__func__.__dict__):
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            if cls is not jinja2.runtime.Macro:
                return __obj(*args, **kwargs)
            return __obj(__context.eval_ctx, *args, **kwargs)
        except StopIteration:
            return __context.environment.undefined("value was undefined because a callable raised a StopIteration exception")
    return __context.call(__obj, *args, **kwargs)


@jinja2.pass_context
@functools.wraps(jinja2.filters.sync_do_map)
def map_filter(context, value, *args, **kwargs):
    """Jinja's `map`, with `map(attribute='name')` over dicts read in place (Jinja calls a getter of its
    own per item, which calls `environment.getitem`), and over objects that have no items (a flag's
    FlagDef) read as the attribute `environment.getitem` comes to once `item[name]` has raised a
    TypeError (an exception raised and caught per flag of every note). The same items, as lazily."""
    name = kwargs.get("attribute")
    if args or len(kwargs) != 1 or type(name) is not str or "." in name or name.isdigit():
        yield from jinja2.filters.sync_do_map(context, value, *args, **kwargs)
    elif value:
        getitem = context.environment.getitem
        for item in value:
            if type(item) is dict and name in item:
                yield item[name]
            elif not hasattr(type(item), "__getitem__") and (got := getattr(item, name, _missing)) is not _missing:
                yield got
            else:
                yield getitem(item, name)


@jinja2.pass_eval_context
@functools.wraps(jinja2.filters.sync_do_join)
def join_filter(eval_ctx, value, d="", attribute=None):
    """Jinja's `join`, with a list of plain text joined at once (Jinja asks each item for `__html__`,
    a failed look-up for text). `map` and `join` go together: a note's flags, a minimap mark's."""
    if attribute is None and type(d) is str and eval_ctx.autoescape:
        value = list(value)
        for item in value:
            if type(item) is not str:
                break
        else:
            return d.join(value)
    return jinja2.filters.sync_do_join(eval_ctx, value, d, attribute)


def map_join(context, value, name: str, sep: str):
    """`value|map(attribute=name)|join(sep)` in a built-in template (templates._CodeGenerator writes it so
    where its filters are map_filter and join_filter, autoescaping): a list of dicts or of objects with no
    items (FlagDefs), each with text under `name`, joined at once (a note's flags, a minimap mark's);
    anything else as the two filters give it."""
    if type(value) is list or type(value) is tuple:
        got = []
        for item in value:
            if type(item) is dict and name in item:
                part = item[name]
            elif not hasattr(type(item), "__getitem__"):
                part = getattr(item, name, _missing)
            else:
                break
            if type(part) is not str:
                break
            got.append(part)
        else:
            return sep.join(got)
    return join_filter(context.eval_ctx, map_filter(context, value, attribute=name), sep)


class SeqLoop(jinja2.runtime.LoopContext):
    """Jinja's LoopContext (`loop`) over a list or a tuple, as `loop_over` steps it: the item after the current
    one is read by its index, where Jinja's peeks ahead of an iterator (`loop.last`), and no iterator is made.
    The same values: everything else is Jinja's own, over the same fields."""

    def _peek_next(self):
        at = self.index0 + 1
        items = self._iterable
        return items[at] if at < len(items) else _missing

    @property
    def last(self) -> bool:
        return self.index0 + 1 >= len(self._iterable)


def loop_over(iterable, undefined, recurse=None, depth0=0):
    """`LoopContext(iterable, …)` of a for loop that reads `loop` (templates._CodeGenerator writes this call in its
    place): over a list or a tuple (most), a SeqLoop stepped by a generator, where each step of Jinja's is a call
    of its Python `__next__` and each `loop.last` two (a loop over a note's tags, a summary item's passages);
    over anything else, Jinja's."""
    if iterable.__class__ is not list and iterable.__class__ is not tuple:
        return jinja2.runtime.LoopContext(iterable, undefined, recurse, depth0)
    loop = _new(SeqLoop)
    loop._iterable, loop._undefined, loop._recurse, loop.depth0 = iterable, undefined, recurse, depth0
    return _steps(loop, iterable)


def _steps(loop, items):
    for item in items:  # (as LoopContext.__next__ updates its fields)
        loop.index0 += 1
        loop._before = loop._current
        loop._current = item
        yield item, loop


def mark_safe(value) -> Markup:
    """Jinja's `safe` filter (`Markup(value)`), text marked safe without Markup's Python-level `__new__`
    (the note, the woven text: 31 an article page)."""
    return _str_new(Markup, value) if value.__class__ is str else Markup(value)


if _escape_inner is None:
    escape = escaped = escaped_text = markupsafe.escape  # noqa: F811
