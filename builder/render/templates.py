"""The Jinja environment (site templates over the built-in ones) and template errors as located problems."""
from __future__ import annotations

import datetime
import functools
import os
import re
from pathlib import Path

import jinja2
import jinja2.compiler
import jinja2.meta
import jinja2.nodes
import jinja2.sandbox
import jinja2.visitor

from .. import kept
from ..errors import Problem, did_you_mean
from . import limits, runtime
from .pages import LazyPassage
from .urls import href

PACKAGE = Path(__file__).resolve().parent.parent
ASSETS = PACKAGE / "assets"


def builtin_templates() -> Path:
    for candidate in (PACKAGE / "templates", PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in templates are missing from the installation")


_GENERATION = 17  # of the code below: raised when it changes, so kept compiled templates are compiled again
_JINJA_FIND_UNDECLARED = jinja2.compiler.find_undeclared
_JOINED = "_joined_output"  # a buffer name that visit_Output's code turns into one `yield`
_FROM_MODULE = "yield from template._get_default_module()._body_stream"  # Jinja's include without context


# what `loop.x` reads of a LoopContext (Jinja's loop variable) as an attribute (environment.getattr's first try)
_LOOP = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
                   "previtem", "nextitem", "cycle", "changed"})


class _LoopNames(jinja2.compiler.UndeclaredNameVisitor):
    """Jinja's look for `loop` in a for loop's body (whether it needs a LoopContext), not inside the body of a
    loop nested in it, where `loop` is that loop's own: a template's loop over notes, each with a loop over its
    links (the built-in partials compiled in, see _Inliner), has no LoopContext to make."""

    def visit_For(self, node) -> None:
        if "loop" not in self.names:  # (another name than `loop`: as Jinja looks)
            return self.generic_visit(node)
        for child in (node.iter, node.test, *node.else_):  # (in `else`, said read: as if it were the outer loop's)
            if child is not None:
                self.visit(child)


def _find_undeclared(nodes, names):
    """jinja2.compiler.find_undeclared, with _LoopNames."""
    visitor = _LoopNames(names)
    try:
        for node in nodes:
            visitor.visit(node)
    except jinja2.compiler.VisitorExit:
        pass
    return visitor.undeclared


def _plain_args(node, count: int) -> bool:
    """Whether a filter node has `count` positional arguments and no `*args` or `**kwargs`."""
    return len(node.args) == count and node.dyn_args is None and node.dyn_kwargs is None


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiled templates take `escape`, `escaped`, `call` and `included` from `runtime` instead of from
    Jinja's (for this environment only: Jinja and markupsafe stay as they are for anything else in the process)."""

    _fast_loops = True  # a loop's LoopContext made by runtime.loop_over
    _single = False  # an output run of one piece is open (see visit_Output)
    _include = None  # the line that ends the include being written (see visit_Include)
    # Each `yield from` of another template's or block's output (the page's parent template, its blocks, its
    # includes) yields that output joined, as one string: each piece of it travelled up through every
    # generator it is nested in, one frame resumed per level (a note's ~40 pieces through four levels)
    _join_streams = True

    def writeline(self, x: str, node=None, extra: int = 0) -> None:
        if x.startswith(_JOINED):  # Jinja's `buffer.append(` or `buffer.extend((`
            self._single = x.endswith("append(")
            x = "yield ''.join(("
        elif x == ")" and self._single:
            self._single, x = False, "))"
        elif x == _FROM_MODULE and self._include:
            x = self._include
        if self._join_streams and x.startswith("yield from "):  # a block, the parent template, an include
            x = f"yield ''.join({x[len('yield from '):]})"
        super().writeline(x, node, extra)
        if x.startswith("from jinja2.runtime import "):
            super().writeline(f"from {runtime.__name__} import SeqLoop, call, escape, escaped, escaped_text, included, loop_over, map_join")

    def write(self, x: str) -> None:
        if x == "context.call(":  # (see `call`; the sandbox has its own)
            x = "call(context, "
        elif self._fast_loops and x.startswith(", ") and x.endswith(" in LoopContext("):  # (see runtime.loop_over)
            x = x[: -len("LoopContext(")] + "loop_over("
        super().write(x)

    def visit_For(self, node, frame) -> None:
        """Jinja's, with `loop` looked for by _LoopNames: exact where Jinja's is cautious, so swapping it in for
        the while is safe even for another environment compiling meanwhile."""
        jinja2.compiler.find_undeclared = _find_undeclared
        try:
            super().visit_For(node, frame)
        finally:
            jinja2.compiler.find_undeclared = _JINJA_FIND_UNDECLARED

    @jinja2.compiler.optimizeconst
    def visit_Filter(self, node, frame) -> None:
        """`x|map(attribute="name")|join(" ")` as one call, runtime.map_join, where the filters are the
        built-in environment's own (see there); anything else as Jinja writes it."""
        inner = node.node
        if (node.name == "join" and isinstance(inner, jinja2.nodes.Filter) and inner.name == "map" and _plain_args(node, 1)
                and _plain_args(inner, 0) and len(inner.kwargs) == 1 and inner.kwargs[0].key == "attribute"
                and isinstance(inner.kwargs[0].value, jinja2.nodes.Const) and type(inner.kwargs[0].value.value) is str
                and isinstance(node.args[0], jinja2.nodes.Const) and type(node.args[0].value) is str
                and self.environment.filters.get("join") is runtime.join_filter
                and self.environment.filters.get("map") is runtime.map_filter
                and not self.environment.is_async and frame.eval_ctx.autoescape is True and not frame.eval_ctx.volatile):
            self.write("map_join(context, ")
            self.visit(inner.node, frame)
            self.write(f", {inner.kwargs[0].value.value!r}, {node.args[0].value!r})")
            return
        jinja2.compiler.CodeGenerator.visit_Filter.__wrapped__(self, node, frame)

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node, frame) -> None:
        """`x.name` reads a plain dict's key in place, with no call (an article page has thousands); anything
        else, and a key that is missing, goes to `environment.getattr` as in Jinja (see `_Environment.getattr`).
        `_o` holds the object between its test and its use: nothing else is evaluated in between."""
        if self.environment.is_async:
            return jinja2.compiler.CodeGenerator.visit_Getattr.__wrapped__(self, node, frame)
        if isinstance(node.node, jinja2.nodes.Name) and node.node.name == "loop" and node.attr in _LOOP:
            self.write(f"(_o.{node.attr} if (_l := type(_o := ")  # `loop.last`: a LoopContext's own, with no call
            self.visit(node.node, frame)
            self.write(f")) is SeqLoop or _l is LoopContext else environment.getattr(_o, {node.attr!r}))")
            return
        self.write(f"(_o[{node.attr!r}] if type(_o := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {node.attr!r} in _o else environment.getattr(_o, {node.attr!r}))")

    def _output_child_pre(self, node, frame, finalize) -> None:
        """A piece yielded or put in a buffer is only ever joined into text (a buffer, of a macro, a recursive
        loop or a `set` block, is then marked safe whole): it is `escaped` (see there), plain text and a whole
        number (or a float, whose text holds nothing to escape) in place, with no call, and anything else through `escaped`, where Jinja makes a Markup of each."""
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            if finalize.src is None:
                self.write("(escaped_text(_v) if (_t := type(_v := ")
            else:
                self.write(f"escaped({finalize.src}")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")) is str else str(_v) if _t is int or _t is float else escaped(_v))" if finalize.src is None else "))")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Output(self, node, frame) -> None:
        """A run of text and `{{ … }}` yields one string, where Jinja yields each piece: every piece
        yielded travels up through each include and block it is in (the graph page renders in 15 to 40%
        less time, an article page 5 to 8%). Pieces are still written one per line, so an error names
        its template line."""
        if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
            return super().visit_Output(node, frame)
        frame.buffer = _JOINED
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None

    def visit_Include(self, node, frame) -> None:
        """`{% include %}` with context (not in a macro or a `set` block) as one line, `yield from
        included(…)` (see `included`; then joined, see _join_streams), where Jinja re-yields each piece in
        a loop of its own. Jinja writes an include without context as one such line: it is written so,
        with the line swapped."""
        if not node.with_context or frame.buffer is not None or self.environment.is_async:
            return super().visit_Include(node, frame)
        self._include = f"yield from included(context, template, {self.dump_local_context(frame)})"
        node.with_context = False
        try:
            super().visit_Include(node, frame)
        finally:
            node.with_context, self._include = True, None


# what a partial compiled into its includer may not hold: names it would set or define in the includer's
# scope (an include's are its own), and what only a template of its own can be
_NOT_INLINED = (jinja2.nodes.Extends, jinja2.nodes.Block, jinja2.nodes.Macro, jinja2.nodes.CallBlock, jinja2.nodes.Import,
                jinja2.nodes.FromImport, jinja2.nodes.Assign, jinja2.nodes.AssignBlock, jinja2.nodes.Scope,
                jinja2.nodes.EvalContextModifier)


class _Inliner(jinja2.visitor.NodeTransformer):
    """In a built-in template, `{% include "x.html" %}` of a built-in partial (with context, a constant name)
    replaced by x.html's own nodes, where x.html sets and defines nothing (_NOT_INLINED) and is not rendered
    once (runtime.ONCE): the same output, less a Context made and a template's names and filters looked up
    at each include (an article page had 30 to 50: its article.html renders in a fifth less time). Not in a
    template with `{% autoescape %}`, which an include does not pass on. (An error inside such a partial, a bug of the
    built-in templates, is said at the line of the template that includes it.)"""

    def __init__(self, environment, seen: tuple):
        self.environment, self.seen = environment, seen

    def visit_Include(self, node):
        name = node.template.value if isinstance(node.template, jinja2.nodes.Const) else None
        if (not isinstance(name, str) or not node.with_context or node.ignore_missing or name in runtime.ONCE
                or name in self.seen):
            return node
        try:
            source, filename, _ = self.environment.loader.get_source(self.environment, name)
            tree = self.environment._parse(source, name, filename) if _builtin_file(filename) else None
        except Exception:  # left to the include, which fails where it runs, as it would have
            return node
        if tree is None or tree.find(_NOT_INLINED) is not None:
            return node
        return _Inliner(self.environment, (*self.seen, name)).visit(tree).body


def _builtin_file(filename) -> bool:
    return bool(filename) and os.path.abspath(filename).startswith(os.path.join(os.path.abspath(builtin_templates()), ""))


class _Environment(jinja2.Environment):
    """The built-in templates' environment. Views are plain dicts: `x.key` is looked up as a key first.
    Used only where the site has no templates of its own: every partial is the built-in one, so the
    partials an include names are compiled into the template that includes them (see _Inliner)."""

    code_generator_class = _CodeGenerator
    inlines = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._got: dict = {}

    def _generate(self, source, name, filename, defer_init=False):
        if (self.inlines and _builtin_file(filename) and self.autoescape is True
                and source.find(jinja2.nodes.EvalContextModifier) is None):
            source = _Inliner(self, (name,)).visit(source)
        return super()._generate(source, name, filename, defer_init)

    def get_template(self, name, parent=None, globals=None):  # noqa: A002 (Jinja's own names)
        """Jinja's, memoised by name: every include asks again (some 45 times an article page), and
        Jinja's cache takes a lock and reorders its queue each time. The templates of an environment
        never change (auto_reload is off; serve makes a new environment when they do); one that
        fails to load is not kept, and fails again where it is asked for."""
        if globals is None and isinstance(name, str):
            try:
                return self._got[name, parent]
            except KeyError:
                self._got[name, parent] = template = super().get_template(name, parent)
                return template
        return super().get_template(name, parent, globals)

    def make_globals(self, d):
        """A template's globals as one plain dict, where Jinja keeps a ChainMap over the environment's:
        each include and render iterates them, which for a ChainMap is Python code (2 to 4% of an article
        page's time). The environment's globals are all set before a template loads (`environment`)."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj, attribute):
        """A key first, then an attribute (Jinja's order the other way round): for a dict, and for a
        LazyPassage, whose keys are none of its attributes (each `p.quote` would raise an AttributeError
        first, 40% of rendering a passage)."""
        if type(obj) is dict or type(obj) is LazyPassage:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _SandboxCodeGenerator(_CodeGenerator):
    """For a site's templates: `~` goes through the capped joins, each loop through limits.capped_iter; an
    include and `x.name` are Jinja's."""

    visit_Include = jinja2.compiler.CodeGenerator.visit_Include
    visit_Getattr = jinja2.compiler.CodeGenerator.visit_Getattr  # (every read through the sandbox's checks)
    _fast_loops = False
    _join_streams = False

    def writeline(self, x: str, node=None, extra: int = 0) -> None:
        super().writeline(x, node, extra)
        if x.startswith("from jinja2.runtime import "):
            super().writeline(f"from {limits.__name__} import capped_markup_join as markup_join, capped_str_join as str_join, "
                              "capped_iter, CappedBuffer")

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()  # (Jinja's, with a buffer that counts what is put in it)
        self.writeline(f"{frame.buffer} = CappedBuffer()")

    def write(self, x: str) -> None:
        super().write("capped_iter(reciter)" if x == "reciter" else x)  # (a recursive loop's levels; see _Sandboxed)


class _CappedTemplate(jinja2.Template):
    """A site's template: each render is one page's, within limits.page_budget."""

    def render(self, *args, **kwargs) -> str:
        """Jinja's, its output counted as it is put out (limits.counted)."""
        with limits.page_budget():
            ctx = self.new_context(dict(*args, **kwargs))
            try:
                return self.environment.concat(limits.counted(self.root_render_func(ctx)))
            except Exception:
                self.environment.handle_exception()


class _Sandboxed(_Environment, jinja2.sandbox.SandboxedEnvironment):
    """For a site with templates of its own: they are the site's text, not code with the builder's
    rights, so `cycler.__init__.__globals__.os` and the like are refused as a template error, and
    `check` on a stranger's pull request runs nothing. (About 5% slower; the built-in templates
    behave the same in both.) Nor may it make gigabytes to exhaust the machine: `"x" * 10**10`,
    `2 ** 10**9`, `lipsum(10**7)`, `"x"|center(10**10)`, `"%10000000000s"|format(1)`, text doubled in
    a loop, are refused as Jinja's sandbox refuses `range(10**9)`."""

    code_generator_class = _SandboxCodeGenerator
    template_class = _CappedTemplate
    inlines = False  # (a site may replace any partial)
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def _generate(self, source, name, filename, defer_init=False):
        """Each loop's iterable stepped through limits.capped_iter (a recursive loop's first level here, the
        others as the code generator writes them)."""
        for loop in source.find_all(jinja2.nodes.For):
            if not loop.recursive:
                loop.iter = jinja2.nodes.Call(jinja2.nodes.ImportedName(f"{limits.__name__}.capped_iter"), [loop.iter],
                                              [], None, None, lineno=loop.iter.lineno).set_environment(self)
        return super()._generate(source, name, filename, defer_init)

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int) and len(seq) * times > limits.MAX_MADE:
                    limits.refuse(f"repeat text or a list into more than {limits.MAX_MADE:,} items")
            return left * right
        if (operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                and right * max(abs(left).bit_length(), 1) > 8 * limits.MAX_MADE):
            limits.refuse(f"raise a number to a power of more than {limits.MAX_MADE:,} digits")
        if operator == "%" and isinstance(left, str):
            limits.sizes(right if isinstance(right, tuple) else (right,), fmt=left)
        return limits.made(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own names
        """A text method (`"x".ljust(10**10)`, `.zfill`, `.replace`) within the same limits as a filter; a macro's
        or a recursive loop's call spends the page's budget (limits.CALL_STEPS)."""
        if isinstance(__obj, (jinja2.runtime.Macro, jinja2.runtime.LoopContext)):
            limits.spend(limits.CALL_STEPS)
        elif isinstance(getattr(__obj, "__self__", None), str):
            name = getattr(__obj, "__name__", "")
            if name in limits.PADDED:
                limits.sizes(args, kwargs)
            elif name == "replace":
                limits.replaced(__obj.__self__, *args[:3])
        return limits.made(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def capped(*args, **kwargs):
            limits.sizes(args, kwargs, fmt=value.__self__)
            return limits.made(wrapped(*args, **kwargs))

        return capped


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100):  # noqa: A002 (Jinja's own names)
    """Jinja's `lipsum`, within reason in a site's template."""
    if n * max > limits.MAX_MADE // 10:
        raise jinja2.sandbox.SecurityError("lipsum: a template may not make that much placeholder text")
    return jinja2.utils.generate_lorem_ipsum(n, html, min, max)


class _SiteLoader(jinja2.FileSystemLoader):
    """The site's templates/: a template linked outside the site is never read (read/files.py's
    rule), and one that is not UTF-8 is a located template error."""

    def __init__(self, site_root: Path):
        super().__init__(site_root / "templates")
        self.site_root = site_root

    def get_source(self, environment, template):
        from ..errors import Problems
        from ..read.files import FILE, inspect

        path = self.site_root / "templates" / "/".join(jinja2.loaders.split_template_path(template))
        refused = Problems()
        kind = inspect(self.site_root, path, f"templates/{template}", refused)
        if refused.items:
            raise jinja2.TemplateSyntaxError(refused.items[0].message, 1, template, str(path))
        if kind != FILE:
            raise jinja2.TemplateNotFound(template)
        try:
            mtime = os.path.getmtime(path)
            data = path.read_bytes()
        except OSError as exc:
            raise jinja2.TemplateSyntaxError(f"cannot read this file: {exc.strerror or exc}", 1, template, str(path)) from None
        from ..read import conflicts
        from ..read.content import decode

        # as an article is read: bad bytes and NULs located (a template saved as UTF-16 with no BOM is valid UTF-8,
        # a NUL beside each letter, and was published so), the BOM dropped (it was printed at the top of each page)
        text = decode(data, f"templates/{template}", refused)
        if text is None or conflicts.report(text, f"templates/{template}", refused):
            raise jinja2.TemplateSyntaxError(refused.items[0].message, refused.items[0].line, template, str(path))

        def uptodate() -> bool:  # (as FileSystemLoader's)
            try:
                return os.path.getmtime(path) == mtime
            except OSError:
                return False

        return text, str(path), uptodate


class _CompiledOnce(jinja2.BytecodeCache):
    """The built-in templates compiled once per installation (`kept`; at install, see kept.make_all). A site's own templates are
    compiled afresh each time. A kept file that is damaged or stale (another source, Jinja or
    Python) is compiled again."""

    def __init__(self, env_class: type):
        self.builtin = os.path.join(os.path.abspath(builtin_templates()), "")
        self.folder = f"templates-{env_class.code_generator_class.__name__}{_GENERATION}-jinja{jinja2.__version__}"
        self._joined = None

    def get_bucket(self, environment, name, filename, source):
        if getattr(environment, "inlines", False):  # its code holds the partials it includes: theirs count too
            source += self._partials()
        builtin = bool(filename) and os.path.abspath(filename).startswith(self.builtin)
        # (a built-in template keyed by its name alone, not where it lies: kept at install, read where installed)
        key = self.get_cache_key(name, None if builtin else filename)
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        if builtin:
            bucket.kept = f"{self.folder}/{bucket.key}.cache"
            data = kept.read(bucket.kept)
            try:
                if data is not None:
                    bucket.bytecode_from_string(data)
            except Exception:  # cut short (a full disk) or not ours: compiled again, and kept anew
                bucket.reset()
        return bucket

    def _partials(self) -> str:
        """Every built-in template's source, joined (a kept template compiled with an older partial is stale)."""
        if self._joined is None:
            self._joined = "".join(p.read_text("utf-8", "replace") for p in sorted(Path(self.builtin).glob("*.html")))
        return self._joined

    def set_bucket(self, bucket) -> None:
        if getattr(bucket, "kept", None) is not None:
            kept.write(bucket.kept, bucket.bytecode_to_string())


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose error proposes the nearest field a value has: `article.titel` says
    "'dict object' has no attribute 'titel' (did you mean "title"?)"."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        message = super()._undefined_message
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or obj is jinja2.utils.missing or not isinstance(name, str):
            return message
        try:
            fields = list(obj.keys()) if isinstance(obj, dict) else [a for a in dir(obj) if not a.startswith("_")]
        except Exception:  # an object that will not list itself: Jinja's words alone
            return message
        return message + did_you_mean(name, [f for f in fields if isinstance(f, str)])


def own_templates(site_root: Path, files=None) -> list[str]:
    """The files of the site's templates/ (`files`, else all) that are not copies of a built-in one, byte
    for byte: a site whose templates/ holds only copies (this repository's own, or a copy kept to edit later)
    is rendered and checked as one without templates/."""
    from ..errors import Problems
    from ..read.files import walk

    builtin = builtin_templates()
    out = []
    for name, path in (walk(site_root, "templates", Problems()).items() if files is None else files.items()):
        try:
            if "/" in name or path.read_bytes() != (builtin / name).read_bytes():
                out.append(name)
        except OSError:  # no such built-in template; or one that cannot be read, said where it is read
            out.append(name)
    return out


def environment(site_root: Path) -> jinja2.Environment:
    loaders = []
    if own_templates(site_root):  # (none without templates/, as with copies alone)
        loaders.append(_SiteLoader(site_root))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    env_class = _Sandboxed if len(loaders) > 1 else _Environment
    env = env_class(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_CompiledOnce(env_class),
        autoescape=True,
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    if env_class is _Environment:  # (a site's templates keep Jinja's, capped below)
        env.filters.update(map=runtime.map_filter, join=runtime.join_filter, safe=runtime.mark_safe)
    if env_class is _Sandboxed:
        env.globals["lipsum"] = _lipsum
        env.filters.update({name: limits.capped_filter(name, f) for name, f in env.filters.items()})
    env.globals["href"] = env.filters["href"] = href
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.filters["long_date"] = long_date
    return env


def long_date(d) -> str:
    """The `long_date` filter: "5 March 2024"."""
    return (_long_date(d) if d.__class__ is datetime.date else _long_date_of(d)) if d else ""


def _long_date_of(d) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


# (a site's notes share a few hundred dates: each written once, where strftime took a microsecond a note)
_long_date = functools.lru_cache(maxsize=4096)(_long_date_of)


def warm(env: jinja2.Environment) -> None:
    """Every template compiled now, in this process: the workers forked after it find them ready
    instead of each compiling its own copies. One that fails is left for the page that uses it."""
    for name in env.list_templates(extensions=("html", "xml")):
        try:
            env.get_template(name)
        except Exception:  # reported, located, by the page that renders it
            pass


def template_error(exc: Exception, site_root: Path, template: str | None = None) -> Problem:
    """`templates/x.html:line: error: …` for a template that fails to compile or to render; `template`, the one
    compiled or rendered, where the error names none (Python's compiler recursing too deep in it)."""
    name, line, col = None, 1, 1
    own = None  # the innermost frame in the site's own templates: where a site can fix what failed
    own_root = (site_root / "templates").resolve()
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name, exc.lineno or 1
    else:
        tb = exc.__traceback__
        while tb is not None:
            fname = tb.tb_frame.f_code.co_filename
            if fname.endswith((".html", ".xml", ".j2")):
                name, line = fname, tb.tb_lineno
                if Path(fname).resolve().is_relative_to(own_root):
                    own = (fname, tb.tb_lineno)
            tb = tb.tb_next
    if name is None and template is not None:
        own_file = site_root / "templates" / template
        name = str(own_file if own_file.is_file() else Path(builtin_templates()) / template)
    shown, inner = "templates/?", ""
    if name:
        path = Path(name)
        try:  # the path as named (a template refused as a link outside is the site's file, not its target)
            shown = Path(os.path.abspath(path)).relative_to(os.path.abspath(site_root)).as_posix()
        except ValueError:
            shown = f"templates/{path.name} (built-in)"
            if own is not None:  # failed in a built-in partial that a site template included: point there
                inner = f" (in the built-in {path.name}, line {line}, included from here)"
                shown, line = Path(own[0]).resolve().relative_to(site_root.resolve()).as_posix(), own[1]
    message = (getattr(exc, "message", None) or str(exc))
    if isinstance(exc, RecursionError):
        message = ("it goes too deep for Python: an expression or blocks nested hundreds of levels deep, or a template "
                   "that includes, extends or calls itself without end")
    elif isinstance(exc, MemoryError):
        message = "the page it makes takes more memory than there is (a loop within a loop?)"
    if name and not inner:
        col = error_column(message, getattr(exc, "source", None), name, line)
    message += inner
    if isinstance(exc, jinja2.TemplatesNotFound):
        message = f"no template named {', '.join(map(repr, exc.templates))} (in templates/ or built in)"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"no template named {exc.name!r} (in templates/ or built in)"
    return Problem(shown, line, col, f"template error: {message}")


_QUOTED = re.compile(r"'([^']+)'")
_DELIMITERS = {"end of print statement": "}}", "end of statement block": "%}", "begin of print statement": "{{",
               "begin of statement block": "{%"}  # Jinja's names of its delimiters, in its messages


def error_column(message: str, source: str | None, name: str, line: int) -> int:
    """The 1-based column of what a template error found on its line: what its message names after "got"
    (`expected token ')', got 'x'`), else the first thing it names that the line holds (`unexpected '}'`,
    `unknown tag 'endfi'`, `No filter named 'x'`, `'x' is undefined`); else the line's first tag, else its
    first character; 1 where the line cannot be read."""
    try:
        text = (source if source is not None else Path(name).read_text("utf-8")).split("\n")[line - 1]
    except (OSError, TypeError, ValueError, IndexError):
        return 1
    got = message.split(" got ", 1)[1] if " got " in message else ""
    tag = min((i for i in (text.find("{{"), text.find("{%")) if i >= 0), default=-1)
    for named in _QUOTED.findall(got)[:1] + _QUOTED.findall(message):  # (`'dict object' has no attribute 'x'`: x)
        # the name alone (`'a'` is not the a of `<a` or of `article_url`), from the line's first tag on, and
        # not a piece of a delimiter (`unexpected '}'` is not the } of a `%}` before it)
        token = _DELIMITERS.get(named, named)
        for found in re.compile(rf"(?<![\w-]){re.escape(token)}(?![\w-])").finditer(text, max(tag, 0)):
            if token in _DELIMITERS.values() or not _in_delimiter(text, found.start(), found.end()):
                return found.start() + 1
    at = tag if tag >= 0 else len(text) - len(text.lstrip())
    return at + 1


def _in_delimiter(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] overlaps one of Jinja's two-character delimiters."""
    return any(text.startswith(d, i) for i in range(max(start - 1, 0), end) for d in _DELIMITERS.values())


def only_in_templates(errors: list[Problem]) -> bool:
    """Whether every error is in templates/: then rendering the pages can still find more, and `check`
    and `build` both do (with errors in articles or annotations, only what it finds in the site's own
    templates is said: see render_despite)."""
    return all(p.file.startswith("templates/") for p in errors)


def render_despite(site_root: Path, config) -> bool:
    """Whether a site with errors outside templates/ is still rendered, writing nothing, for what its own
    templates do wrong only when rendered (a misspelt field): every problem at once (SPEC 8), not the
    template's after the annotations are fixed. Not when site.toml could not be read: the flags and verdicts
    a template may name are then unknown."""
    return not config.unread and bool(own_templates(site_root))


def own_template_errors(found: list[Problem]) -> list[Problem]:
    """What rendering a site with other errors found in the site's own templates; one a built-in template
    meets there comes from the half of the site that loaded, and is no mistake of the templates."""
    return [p for p in found if p.file.startswith("templates/") and not p.file.endswith("(built-in)")]


def template_problems(site_root: Path, env: jinja2.Environment | None = None) -> list[Problem]:
    """Every .html file of the site's templates/ must compile, used by a page or not: `check` and
    `build` both ask (rendering every page, which they both do too, finds the rest). Given the
    environment that renders the pages, what compiles here is not compiled again there."""
    from ..errors import Problems
    from ..read.files import walk

    env = env if env is not None else environment(site_root)
    found = []
    walked = walk(site_root, "templates", Problems())
    files = list(walked)
    names = [name for name in own_templates(site_root, walked) if name.endswith(".html")]  # (a copy is the built-in one)
    for name in names:
        try:
            env.get_template(name)
        except Exception as exc:  # a syntax error, bad bytes, an unreadable file
            found.append(template_error(exc, site_root, name))
    parsed = _Parsed(env)
    return found + misnamed_templates(files) + template_folders(site_root) + unused_templates(names, parsed) + (lost_blocks(names, parsed) + stray_blocks(names, parsed) if not found else [])


class _Parsed:
    """Each template's syntax tree, parsed once for the checks below (each looks at every template), or
    None for one that fails (reported by template_problems) or is not a template."""

    def __init__(self, env: jinja2.Environment):
        self.env, self.trees = env, {}

    def __call__(self, name: str):
        if name not in self.trees:
            try:
                self.trees[name] = self.env.parse(self.env.loader.get_source(self.env, name)[0])
            except Exception:
                self.trees[name] = None
        return self.trees[name]


def _block_names(tree) -> set[str]:
    return {node.name for node in tree.find_all(jinja2.nodes.Block)}


def lost_blocks(names: list[str], parsed: _Parsed) -> list[Problem]:
    """A warning for a site template that overrides a built-in one that others extend (base.html) without
    a block they fill: what they put in it is never shown ({% block content %} left out: every page empty)."""
    builtin = builtin_templates()
    overrides = {}  # each override that differs from the built-in one: the built-in source
    for name in names:
        try:
            theirs = (builtin / name).read_text("utf-8")
            if theirs != parsed.env.loader.get_source(parsed.env, name)[0]:  # (a copy loses nothing)
                overrides[name] = theirs
        except Exception:  # no such built-in template; or reported above
            continue
    if not overrides:
        return []
    filled: dict[str, dict[str, list[str]]] = {}  # a template extended -> its blocks -> who fills them
    for child in sorted(set(os.listdir(builtin)) | set(names)):
        tree = parsed(child)
        for node in tree.find_all(jinja2.nodes.Extends) if tree is not None else ():
            if isinstance(node.template, jinja2.nodes.Const):
                blocks = filled.setdefault(node.template.value, {})
                for block in tree.find_all(jinja2.nodes.Block):
                    blocks.setdefault(block.name, []).append(child)
    found = []
    for name, source in overrides.items():
        ours = parsed(name)
        if ours is None:  # reported above
            continue
        try:
            theirs = parsed.env.parse(source)
        except Exception:  # not a template
            continue
        lost = sorted((_block_names(theirs) - _block_names(ours)) & set(filled.get(name, ())),
                      key=lambda b: (b != "content", b))  # (content first: every page)
        if lost:
            who = filled[name][lost[0]]
            shown = ", ".join(who[:4]) + (f" and {len(who) - 4} more" if len(who) > 4 else "")
            also = f", nor {', '.join(f'{{% block {b} %}}' for b in lost[1:])}" if lost[1:] else ""
            found.append(Problem(f"templates/{name}", 1, 1, f"it has no {{% block {lost[0]} %}}, which {shown} fill{also}: "
                                 f"what pages put there is never shown (the built-in {name} has {'them' if also else 'it'})",
                                 "warning"))
    return found


def _parent(tree) -> str | None:
    """The template a template extends, when it names one plainly (`{% extends "base.html" %}`)."""
    node = tree.find(jinja2.nodes.Extends)
    return node.template.value if node is not None and isinstance(node.template, jinja2.nodes.Const) else None


def stray_blocks(names: list[str], parsed: _Parsed) -> list[Problem]:
    """A warning for each block of a site template, outside its other blocks, that the templates it extends do not
    have: Jinja shows only the blocks they have, so what it holds is never shown, in silence ({% block main %}
    where base.html has {% block content %}: an empty page)."""
    found = []
    for name in names:
        tree = parsed(name)
        parent = _parent(tree) if tree is not None else None
        if parent is None:
            continue
        have: set[str] = set()
        seen: set[str] = set()
        while parent is not None and parent not in seen:  # (a template extending itself, in a loop: Jinja's to say)
            seen.add(parent)
            above = parsed(parent)
            if above is None:  # missing or broken: rendering says so
                break
            have |= _block_names(above)
            parent = _parent(above)
        if parent is not None or not have:
            continue
        for block in (node for node in tree.body if isinstance(node, jinja2.nodes.Block)):
            if block.name not in have:
                shown = ", ".join(sorted(have))
                row = parsed.env.loader.get_source(parsed.env, name)[0].split("\n")[block.lineno - 1]
                tag = re.search(rf"\{{%[-+]?\s*block\s+{re.escape(block.name)}\b", row)
                found.append(Problem(f"templates/{name}", block.lineno, tag.start() + 1 if tag else 1,
                                     f"{{% block {block.name} %}} is not a block of "
                                     f"{_parent(tree)} or the templates it extends, so what it holds is never shown"
                                     f"{did_you_mean(block.name, have)} (their blocks: {shown})", "warning"))
    return found


def misnamed_templates(files: list[str]) -> list[Problem]:
    """A warning for a file of templates/ named as a built-in template but for its ending (`index.htm`,
    `article.jinja`): only .html files are templates, so it overrides nothing, in silence."""
    builtin = {name.removesuffix(".html") for name in os.listdir(builtin_templates())}
    return [Problem(f"templates/{name}", 1, 1, f'not read: a template\'s name ends in .html (did you mean '
                    f'"{stem}.html"?)', "warning")
            for name in files if not name.endswith(".html") and "/" not in name and name.lower().endswith(_TEMPLATE_LIKE)
            and (stem := name.split(".", 1)[0]) in builtin]


def template_folders(site_root: Path) -> list[Problem]:
    """A warning for a folder of templates/ named as a built-in template (`base.html/`): it overrides nothing,
    in silence, where the user may think it does."""
    return [Problem(f"templates/{name}", 1, 1, f"not read: a folder, not a template, so the built-in {name} is used "
                    "(a template is a file)", "warning")
            for name in sorted(os.listdir(builtin_templates())) if os.path.isdir(site_root / "templates" / name)]  # (False where templates/ cannot be read: said elsewhere)


_TEMPLATE_LIKE = (".htm", ".html", ".jinja", ".jinja2", ".j2")  # endings a template may be given elsewhere


def unused_templates(names: list[str], parsed: _Parsed) -> list[Problem]:
    """A warning for each site template that overrides no built-in one and that no template names
    (extends, include, import): a misspelt override (`articel.html`) changes nothing, in silence."""
    builtin = set(os.listdir(builtin_templates()))
    strays = [name for name in names if name not in builtin]
    if not strays:
        return []
    used: set[str] = set()
    for name in sorted(builtin | set(names)):
        tree = parsed(name)
        if tree is None:  # reported above, or not a template
            continue
        refs = set(jinja2.meta.find_referenced_templates(tree))
        if None in refs:  # a name computed when the page renders: any template may be the one
            return []
        used |= refs
    return [Problem(f"templates/{name}", 1, 1, "no page uses this template: it overrides no built-in template"
                    f"{'' if '/' in name else did_you_mean(name, builtin)} and no template extends, includes or "
                    "imports it", "warning")  # (built-in templates are all at the top: one in a folder is a partial)
            for name in strays if name not in used]
