"""Glossator's Jinja environment compiles templates its own quicker way (escape, attribute reads,
globals): the output must be what stock Jinja gives for the same template and data."""
import datetime as dt
from pathlib import Path

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from builder.model import FlagDef
from builder.render.runtime import escape
from builder.render.templates import environment


class Html:
    def __html__(self):
        return "<i>safe</i>"

    def __repr__(self):  # (a test's id: the same in every process, as pytest-xdist's workers need)
        return "Html()"


class Text(str):
    pass


VALUES = ["", "plain", "<a href=\"x\">&amp; 'q'</a>", "“curly” — ünïcode <>", Markup("<b>&amp;</b>"), 0, 42, -7,
          True, False, None, 3.5, dt.date(2026, 11, 30), Html(), Text("<sub>"), ["<", 1], {"k": "<v>"}]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_as_markupsafe(value):
    ours, theirs = escape(value), markupsafe.escape(value)
    assert type(ours) is Markup and ours == theirs


def test_templates_escape_what_they_show(tmp_path: Path):
    env = environment(tmp_path)
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}")
    assert template.render(a="<x & \"y\">", b=Markup("<b>"), c=3, d=Html()) == \
        "&lt;x &amp; &#34;y&#34;&gt;|<b>|3|<i>safe</i>"


class Number(int):
    def __str__(self):
        return "<number>"


@pytest.mark.parametrize("value", VALUES + [Number(3), float("nan"), 10**30], ids=repr)
def test_each_value_shown_as_stock_jinja(tmp_path: Path, value):
    """`{{ v }}` in a run of text (plain text and whole numbers escaped in place), alone, and marked `safe`;
    and in a buffer (a macro, a recursive loop, a `set`, `filter` or `call` block), joined and marked safe whole."""
    ours = environment(tmp_path)
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    for source in ("<p>{{ v }}</p>", "{{ v }}", "<p>{{ v|safe }}|{{ (v|safe)|length }}|{{ v|safe|e }}</p>", BUFFERED, "{% autoescape false %}" + BUFFERED + "{% endautoescape %}",
                   BUFFERED + "{% autoescape false %}{{ m() }} {{ m()|e }}{% endautoescape %}"):
        assert ours.from_string(source).render(v=value) == stock.from_string(source).render(v=value)
    assert "_t :=" in ours.compile("<p>{{ v }}</p>", raw=True)
    assert "(escaped_text(_v) if (_t :=" in ours.compile("{% macro m() %}{{ v }}{% endmacro %}", raw=True)


BUFFERED = """{% macro m() %}<{{ v }}>{% endmacro %}{% macro w() %}[{{ caller() }}]{% endmacro -%}
{{ m() }} {{ m()|e }} {{ m()|length }} {{ [m(), '<b>'|safe]|join|length }}
{% for x in [[v], []] recursive %}({{ x }}{{ v }}{% if x %}{{ loop([]) }}{% endif %}){% endfor %}
{% set s %}<{{ v }}>{% endset %}{{ s }} {{ s|e }} {{ s|length }}
{% filter upper %}<{{ v }}>{% endfilter %} {% call w() %}<{{ v }}>{% endcall %}"""


KITCHEN_SINK = """{% macro m(x, y=a.b) %}[{{ x.k }}|{{ y }}]{% endmacro %}
{%- macro wrap() %}<{{ caller() }}>{% endmacro -%}
{{ a.b }} {{ a.n.deep.er }} {{ obj.name }} {{ obj.real }} {{ a.missing is defined }}
{% for k, v in a.pairs.items() %}{{ k }}={{ v.x }};{% endfor %}
{% for x in tree recursive %}({{ x.name }}{% if x.kids %}{{ loop(x.kids) }}{% endif %}){% endfor %}
{{ m({'k': 1}) }}{{ m({'k': a.b}, obj.name) }}{% call wrap() %}{{ a.b|upper }}{% endcall %}
{% set ns = namespace(total=0) %}{% for x in a.list %}{% set ns.total = ns.total + x.v %}{% endfor %}{{ ns.total }}
{{ a.b if a.flag else obj.name }} {{ [a.b, {'k': obj.name}] }} {{ a.list[1:2] }} {{ a.b ~ obj.name }}
{{ a.list|map(attribute='v')|join(',') }} {{ a.list|selectattr('v', 'gt', 1)|list|length }}
{% with q = a.n %}{{ q.deep.er }}{% endwith %}{% filter upper %}{{ obj.name }}{% endfilter %}
{{ a.missing|default('none') }} {{ obj.method() }} {{ a.n['deep'].er }} {{ loop_free.x is none }}"""


class Obj:
    name = "<obj>"
    real = "attr"

    def method(self):
        return "called & done"


class Keyed(Obj):
    """An object with items and attributes of the same names: Jinja's getitem reads the item."""

    def __getitem__(self, key):
        return f"<item {key}>"


def test_output_as_stock_jinja(tmp_path: Path):
    data = {"a": {"b": "<b>", "n": {"deep": {"er": "&"}}, "pairs": {"p": {"x": 1}, "q": {"x": "<2>"}}, "flag": False,
                  "list": [{"v": 1}, {"v": 2}, {"v": 3}]},
            "obj": Obj(), "loop_free": {"x": None},
            "tree": [{"name": "r", "kids": [{"name": "c1", "kids": []}, {"name": "<c2>", "kids": [{"name": "g", "kids": []}]}]}]}
    ours = environment(tmp_path)
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    got = ours.from_string(KITCHEN_SINK).render(**data)
    assert got == stock.from_string(KITCHEN_SINK).render(**data)
    assert "[1|&lt;b&gt;]" in got and "(r(c1)(&lt;c2&gt;(g)))" in got  # it did render what it should


KEPT_PIECES = """{% set x %}<{{ a }}>{{ b }}{{ c }}{% endset %}{{ x }}|{{ x|length }}|{{ x|e }}
{% autoescape false %}{{ a }}{% endautoescape %}|{{ a ~ b }}|{{ self.t() }}{% block t %}[{{ a }}{{ c }}]{% endblock %}
{% macro m() %}{{ a }}{{ b }}{% endmacro %}{% set y = m() %}{{ y }}{{ y|length }}|{{ x is string }}"""


def test_pieces_kept_in_a_set_block_a_macro_or_a_block_are_escaped_once_as_stock_jinja(tmp_path: Path):
    """A yielded `{{ … }}` is escaped to plain text (joined into the page at once); one kept in a
    buffer stays Markup, so that it is not escaped again where it is shown."""
    data = {"a": "<&>", "b": Markup("<b>"), "c": 7}
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    got = environment(tmp_path).from_string(KEPT_PIECES).render(**data)
    assert got == stock.from_string(KEPT_PIECES).render(**data)
    assert got.startswith("<&lt;&amp;&gt;><b>7|") and "[&lt;&amp;&gt;7]" in got


def test_a_key_wins_over_a_dict_method(tmp_path: Path):
    """Views are dicts: `x.items` is the key "items" when there is one (stock Jinja gives the method)."""
    template = environment(tmp_path).from_string("{{ d.items }}|{{ e.items is callable }}")
    assert template.render(d={"items": "<3>"}, e={}) == "&lt;3&gt;|True"


ATTRIBUTES = """{{ d.k }}|{{ d.items }}|{{ e.items is callable }}|{{ e.gone is defined }}|{{ e.gone|default('-') }}
{{ sub.items is callable }}|{{ sub.k }}|{{ obj.name }}|{{ obj.method() }}|{{ lazy.quote }}|{{ lazy.items }}|{{ lazy.keys is callable }}
{{ a.n.deep.er }}|{{ a.list[a.i].v }}|{{ a.list[1:] |map(attribute='v')|join }}|{{ (a.n).deep.er ~ a.b }}|{{ a.b if a.flag.x is defined else obj.name }}
{% macro m(x, y=a.b) %}[{{ x.k }}|{{ y }}]{% endmacro %}{{ m(d) }}{{ m(d, sub.k) }}
{% for x in a.list if x.v > 1 %}{{ loop.index }}:{{ x.v }}:{{ loop.length }};{% endfor %}
{% for x in tree recursive %}({{ x.name }}{% if x.kids %}{{ loop(x.kids) }}{% endif %}){% endfor %}
{% set ns = namespace(total=0) %}{% for x in a.list %}{% set ns.total = ns.total + x.v %}{% endfor %}{{ ns.total }}
{{ self.t() }}{% block t %}<{{ d.k }}>{% endblock %}"""


class _Passages:
    by_slug, annotation = {"s": "article"}, {("s", "n1"): "note"}

    def passage(self, article, annotation):
        return {"quote": "<q>", "items": "kept"}


def _with_jinjas_getattr(env):
    """The same environment, its `x.name` compiled as Jinja's `environment.getattr(x, 'name')`."""
    class Generator(type(env).code_generator_class):
        visit_Getattr = jinja2.compiler.CodeGenerator.visit_Getattr

    class Env(type(env)):
        code_generator_class = Generator

    env.__class__, env.bytecode_cache = Env, None
    return env


def test_attribute_reads_as_environment_getattr(tmp_path: Path):
    """`x.name` is read in place for a plain dict with that key: the same as `environment.getattr` (a key
    first, then an attribute; a dict subclass, a LazyPassage, an object, a missing key, a loop or a namespace)."""
    from collections import OrderedDict

    from builder.render.pages import LazyPassage

    data = {"d": {"k": "<k>", "items": "<3>"}, "e": {}, "sub": OrderedDict(k="sub", items="a key"), "obj": Obj(),
            "lazy": LazyPassage(_Passages(), ("s", "n1")), "tree": [{"name": "r", "kids": [{"name": "<c>", "kids": []}]}],
            "a": {"b": "<b>", "i": 2, "flag": {}, "n": {"deep": {"er": "&"}}, "list": [{"v": 1}, {"v": 2}, {"v": 3}]}}
    ours = environment(tmp_path)
    assert "_o :=" in ours.compile(ATTRIBUTES, raw=True)  # (it is the fast path that is tested)
    got = ours.from_string(ATTRIBUTES).render(**data)
    assert got == _with_jinjas_getattr(environment(tmp_path)).from_string(ATTRIBUTES).render(**data)
    assert got.startswith("&lt;k&gt;|&lt;3&gt;|True|False|-\nTrue|sub|&lt;obj&gt;|called &amp; done|&lt;q&gt;|kept|True"), got


def test_a_missing_attribute_is_an_error_at_its_line(tmp_path: Path):
    """A read from something undefined fails as Jinja's would, at its template line."""
    from builder.render.templates import template_error

    source = "<p>{{ a.b }}\n{{ a.b }} and\nthen {{ a.nothing.deeper }}</p>\n"
    for env in environment(tmp_path), _with_jinjas_getattr(environment(tmp_path)):
        template = env.from_string(source)
        template.filename = str(tmp_path / "t.html")
        with pytest.raises(jinja2.UndefinedError) as caught:
            template.render(a={"b": "x"})
        assert str(caught.value) == "'dict object' has no attribute 'nothing'"
        assert template_error(caught.value, tmp_path).line == 3


def test_a_sites_own_templates_read_attributes_through_the_sandbox(tmp_path: Path):
    """The fast path is the built-in templates' only: a site's template reads every `x.name` through the
    sandbox's `getattr`, which refuses what is unsafe."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/article.html").write_text('{% extends "base.html" %}')
    sandboxed = environment(tmp_path)
    assert isinstance(sandboxed, jinja2.sandbox.SandboxedEnvironment)
    code = sandboxed.compile("{{ d.k }}{{ obj.method.__func__ }}", raw=True)
    assert "_o :=" not in code and "environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'k')" in code
    assert sandboxed.from_string("{{ d.k }}").render(d={"k": "<k>"}) == "&lt;k&gt;"
    with pytest.raises(jinja2.sandbox.SecurityError):
        sandboxed.from_string("{{ obj.method.__func__.__globals__ }}").render(obj=Obj())


def test_a_templates_folder_of_copies_is_the_built_in_templates(tmp_path: Path):
    """templates/ holding only byte-for-byte copies of built-in ones (this repository's own site, or copies kept
    to edit later) renders as a site without templates/: the built-in templates' fast path, not the sandbox;
    one copy edited brings the sandbox back for all."""
    from builder.render.templates import builtin_templates

    (tmp_path / "templates").mkdir()
    for name in ("article.html", "base.html"):
        (tmp_path / "templates" / name).write_bytes((builtin_templates() / name).read_bytes())
    assert not isinstance(environment(tmp_path), jinja2.sandbox.SandboxedEnvironment)
    with (tmp_path / "templates/base.html").open("a") as f:
        f.write("\n")
    assert isinstance(environment(tmp_path), jinja2.sandbox.SandboxedEnvironment)


# --- built-in templates compiled once per installation (render/templates.py: _CompiledOnce) ---

def _kept_env(tmp_path: Path, monkeypatch, site: Path | None = None):
    from builder import kept

    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    site = site or tmp_path / "site"
    site.mkdir(exist_ok=True)
    env = environment(site)
    return env, tmp_path / "kept" / env.bytecode_cache.folder


def test_a_built_in_template_is_compiled_once_and_renders_the_same(tmp_path: Path, monkeypatch):
    env, folder = _kept_env(tmp_path, monkeypatch)
    first = env.get_template("_pager.html")
    assert len(list(folder.glob("*.cache"))) == 1
    again, _ = _kept_env(tmp_path, monkeypatch)
    monkeypatch.setattr(type(again), "compile", lambda *a, **k: pytest.fail("compiled again"))
    kept = again.get_template("_pager.html")
    pager = {"number": 2, "count": 3, "prev": "page/1/", "next": "page/3/",
             "pages": [{"gap": False, "number": n, "url": f"page/{n}/", "current": n == 2} for n in (1, 2, 3)]}
    shown = first.render(pager=pager, root="../", en="")
    assert "Page 2 of 3" in shown and kept.render(pager=pager, root="../", en="") == shown


def test_a_damaged_or_unwritable_keep_is_compiled_again_without_a_problem(tmp_path: Path, monkeypatch):
    env, folder = _kept_env(tmp_path, monkeypatch)
    env.get_template("_pager.html")
    kept = next(folder.glob("*.cache"))
    kept.write_bytes(kept.read_bytes()[:40])  # cut short, as by a full disk
    again, _ = _kept_env(tmp_path, monkeypatch)
    assert again.get_template("_pager.html") is not None
    assert kept.stat().st_size > 40  # written again whole
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("a file where the folder goes")
    third, _ = _kept_env(tmp_path, monkeypatch)
    assert third.get_template("_pager.html") is not None


def test_what_install_keeps_spares_the_first_build_all_compiling_wherever_the_templates_lie(tmp_path: Path, monkeypatch):
    """hatch_build.py runs kept.make_all with the source tree's templates; the first build reads them where pip
    installed them (another path): every template it asks for is found kept, none is compiled."""
    import shutil

    from builder import kept
    from builder.render import templates

    source = tmp_path / "source" / "templates"
    shutil.copytree(templates.builtin_templates(), source)
    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    monkeypatch.setattr(templates, "builtin_templates", lambda: source)
    kept.make_all()
    made = sorted(path.name for path in (tmp_path / "kept").rglob("*") if path.is_file())
    assert len([name for name in made if name.endswith(".cache")]) == len(list(source.glob("*.html")))
    assert any(name.startswith("schema-") for name in made)
    monkeypatch.undo()
    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    site = tmp_path / "site"
    site.mkdir()
    env = environment(site)
    monkeypatch.setattr(type(env), "compile", lambda *a, **k: pytest.fail("compiled at the first build"))
    templates.warm(env)
    assert len(env._got) == len(made) - 3  # (every template: the two schema checks and the marks are not templates)
    assert "<nav" in env.get_template("_pager.html").render(pager={"number": 1, "count": 2, "prev": None, "next": "page/2/",
        "pages": [{"gap": False, "number": n, "url": f"page/{n}/", "current": n == 1} for n in (1, 2)]}, root="../", en="")


def test_a_sites_own_template_is_never_kept(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "templates" / "own.html").write_text("{{ 1 + 1 }}")
    env, folder = _kept_env(tmp_path, monkeypatch, site)
    assert env.get_template("own.html").render() == "2"
    assert not folder.exists() or not list(folder.iterdir())


def test_an_error_inside_a_run_of_text_names_its_own_line(tmp_path: Path):
    """A run of text and `{{ … }}` over several lines is yielded as one string; an error in its third
    line is still reported at the third line."""
    from builder.render.templates import template_error

    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "templates" / "own.html").write_text("<p>{{ a.b }}\n{{ a.b }} and\nthen {{ a.nothing.deeper }}</p>\n")
    env = environment(site)
    with pytest.raises(jinja2.UndefinedError) as caught:
        env.get_template("own.html").render(a={"b": "x"})
    problem = template_error(caught.value, site)
    assert (problem.file, problem.line) == ("templates/own.html", 3), problem


# --- calls: `call` takes a plain function or a macro without Context.call's look-ups ---

def _stops():
    raise StopIteration


class Callable:
    def __call__(self, x):
        return f"<called {x}>"


class ContextCallable:
    @jinja2.pass_context
    def __call__(self, context, x):
        return f"{context['who']} {x}"


def _flagged(env, x):
    return x


_flagged.jinja_pass_arg = jinja2.utils._PassArg.environment  # (set after the function is made, as pass_environment does)

class Methods:
    """Bound methods handed to a template (as Urls's `flag_url`): one plain, one that asks for the context."""

    def plain(self, x):
        return f"m({x})"

    @jinja2.pass_context
    def with_context(self, c, x):
        return f"{c['who']}/{x}"


CALLS = """{% macro m(x, y=1) %}[{{ x }}|{{ y }}|{{ caller() if caller is defined else '' }}]{% endmacro %}
{{ f(a) }} {{ f(x=a) }} {{ ctx(a) }} {{ ev(a) }} {{ en(a) }} {{ flagged(a) is string }} {{ stops() is defined }}
{{ m(a) }} {{ m(a, y=2) }}{% call m(a) %}in {{ a }}{% endcall %} {{ obj.method() }} {{ callable(a) }} {{ cc(a) }}
{{ bound(a) }} {{ bound_ctx(a) }}
{{ range(3)|list }} {{ dict(k=a) }} {{ "%s-%s"|format(a, 1) }} {{ a.upper() }}
{% for i in [1, 2] %}{{ f(i) }}{{ ctx(i) }}{{ m(i) }}{% set who = 'loop' %}{{ ctx(i) }}{% endfor %}
{% block b %}{{ f(a) }}{{ ctx(a) }}{% endblock %}{% autoescape false %}{{ m(a)|e }}{{ m(a) }}{% endautoescape %}
{% set d = {} %}{% set _ = d.update({'k': a}) %}{{ d }} {{ nxt(empty) is defined }} {{ len(a) }}
{% for i in [1, 2] %}{{ a.startswith('<') }}{% set _ = d.update(i=i) %}{% endfor %}{{ d }}{% block c %}{{ d.get('i') }}{% endblock %}"""


def test_calls_as_stock_jinja(tmp_path: Path):
    data = {"a": "<a>", "who": "<w>", "f": lambda x: f"f({x})", "ctx": jinja2.pass_context(lambda c, x: f"{c['who']}:{x}"),
            "ev": jinja2.pass_eval_context(lambda e, x: f"{e.autoescape}:{x}"),
            "en": jinja2.pass_environment(lambda e, x: f"{e.autoescape is True}:{x}"), "flagged": _flagged,
            "stops": _stops, "nxt": next, "empty": iter([]), "len": len, "obj": Obj(), "callable": Callable(), "cc": ContextCallable(),
            "bound": Methods().plain, "bound_ctx": Methods().with_context}
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    got = environment(tmp_path).from_string(CALLS).render(**data)
    assert got == stock.from_string(CALLS).render(**data)
    assert "f(&lt;a&gt;) f(&lt;a&gt;) &lt;w&gt;:&lt;a&gt;" in got and "False" in got and "loop:1" in got  # it ran
    assert "[&amp;lt;a&amp;gt;|1|][&lt;a&gt;|1|]" in got  # a macro's text is plain where autoescape is off
    assert got.endswith("&lt;a&gt;&#39;} False 3\nTrueTrue{&#39;k&#39;: &#39;&lt;a&gt;&#39;, &#39;i&#39;: 2}2")  # built-in functions


def test_an_error_in_a_called_function_names_the_template_line(tmp_path: Path):
    def fails(x):
        raise ValueError(x)

    template = environment(tmp_path).from_string("a\n{% for i in [1] %}\n{{ f(i) }}{% endfor %}")
    with pytest.raises(ValueError) as caught:
        template.render(f=fails)
    lines = [tb.tb_lineno for tb in _frames(caught.value.__traceback__) if tb.tb_frame.f_code.co_filename == "<template>"]
    assert lines and lines[-1] == 3


def _frames(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


# --- `map` and `join` over plain lists of dicts and text, read without Jinja's general machinery ---

JOINS = """{{ a|map(attribute='n')|join(' ') }}|{{ a|map(attribute='n')|join(m) }}|{{ a|join(', ', attribute='n') }}
{{ mixed|join(' ') }}|{{ mixed|join(m) }}|{{ nums|join }}|{{ nums|join(1) }}|{{ texts|join }}|{{ texts|join(m) }}|{{ empty|join(',') }}
{{ objs|map(attribute='name')|join(',') }}|{{ deep|map(attribute='x.y')|join(',') }}|{{ rows|map(attribute='0')|join(',') }}
{{ partly|map(attribute='n', default='-')|join(',') }}|{{ texts|map('upper')|join(',') }}|{{ gen|join('/') }}|{{ subs|join('+') }}
{{ dicts_and_objs|map(attribute='name')|join(',') }}|{{ methods|map(attribute='items')|list|length }}|{{ ''|map(attribute='n')|list }}
{{ keyed|map(attribute='name')|join(',') }}|{{ flagdefs|map(attribute='label')|join(',') }}|{{ objs|map(attribute='nope')|list|length }}
{{ numd|map(attribute='n')|join(',') }}|{{ tup|map(attribute='n')|join(',') }}|{{ marked|map(attribute='n')|join(',') }}
{{ subd|map(attribute='n')|join(',') }}|{{ ()|map(attribute='n')|join(',') }}|{{ flagdefs|map(attribute='name')|join('<') }}
{% autoescape false %}{{ texts|join(' ') }}|{{ a|map(attribute='n')|join('&') }}{% endautoescape %}"""


def test_map_and_join_as_stock_jinja(tmp_path: Path):
    data = {"a": [{"n": "<x>"}, {"n": "y&"}], "m": Markup("<br>"), "mixed": ["<a>", Markup("<b>"), 3], "nums": [1, 2.5, None],
            "texts": ["<p>", "q"], "empty": [], "objs": [Obj(), Obj()], "deep": [{"x": {"y": "<d>"}}], "rows": [["<r0>", 1], ("t", 2)],
            "partly": [{"n": "<1>"}, {}], "gen": (t for t in ["<g>", "h"]), "subs": [Text("<s>"), "t"],
            "dicts_and_objs": [{"name": "<d>"}, Obj()], "methods": [{}, {"items": 1}], "keyed": [Keyed(), Keyed()],
            "flagdefs": [FlagDef("a", "<A>", ""), FlagDef("b", "B&", "")], "numd": [{"n": 1}, {"n": "<2>"}],
            "tup": ({"n": "<t>"}, {"n": "u"}), "marked": [{"n": Markup("<m>")}, {"n": "<x>"}], "subd": [{"n": Text("<s>")}]}
    assert "map_join(" in environment(tmp_path).compile(JOINS, raw=True)  # (`|map(attribute=…)|join(…)` as one call)
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    got = environment(tmp_path).from_string(JOINS).render(**data)
    data["gen"] = (t for t in ["<g>", "h"])
    assert got == stock.from_string(JOINS).render(**data)
    assert got.startswith("&lt;x&gt; y&amp;|&lt;x&gt;<br>y&amp;|") and "<p> q|<x>&y&" in got  # it ran


# --- `{% include %}`: `yield ''.join(included(…))`, a Context made without Jinja's constructors ---

INCLUDES = {
    "page.html": """{% set top = '<T>' %}{% macro m() %}<{{ caller() }}>{% endmacro %}
{% include "part.html" %}
{% for i in items %}{% set inloop = i %}{% include "part.html" %}{% endfor %}
{% with w = '<w>' %}{% include "part.html" %}{% endwith %}{% include "part.html" without context %}
{% include "nope.html" ignore missing %}[{% include ["nope.html", "part.html"] %}]{% include name %}{% include ["nope.html"] ignore missing %}
{% call m() %}{% include "part.html" %}{% endcall %}{% set kept %}{% include "part.html" %}{% endset %}{{ kept }}
{% block b %}{% set inblock = 'B' %}{% include "part.html" %}{% endblock %}
{{ leaked is defined }} {% autoescape false %}{% include "esc.html" %}{% endautoescape %} {% include "deep.html" %}
{% for x in tree recursive %}{% include "part.html" %}{{ loop(x.kids) }}{% endfor %}""",
    "part.html": """(top={{ top is defined }};inloop={{ inloop is defined }};{{ w is defined }};{{ inblock is defined }};dv={{ dv is defined }}
{{ a is defined }};{{ caller is defined }};{{ x is defined }};{{ leaked is defined }};i={{ i is defined }};{{ kept is defined }}|{{ names() if names is defined }}|{{ top if top is defined }}{{ inloop if inloop is defined }}{{ w if w is defined }}{{ a if a is defined }}{{ x.name if x is defined }}){% set leaked = 1 %}""",
    "esc.html": "{{ a }}{{ [a, '<b>'|safe]|join|length }}{% include 'plain.html' %}",
    "plain.html": "{% for i in [1] %}{% include 'part.html' %}{% endfor %}{% include 'part.html' %}",
    "deep.html": "{% set dv = 'D' %}{% for j in [1] %}{% include 'part.html' %}{% endfor %}{{ leaked is defined }}",
    "sub.html": "{% extends 'page.html' %}{% block b %}[sub]{% include 'part.html' %}{{ super() }}{% endblock %}",
}


def _stock(loader):
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


@pytest.mark.parametrize("name", ["page.html", "sub.html"])
def test_includes_as_stock_jinja(tmp_path: Path, name: str):
    """With and without context, ignore missing, a list of names, a computed name, in loops, `with`,
    blocks, a `call` and a `set` block, recursion: the same names seen, none leaking out, as escaped."""
    data = {"items": ["<1>", 2], "a": "<a>", "name": "esc.html", "names": jinja2.pass_context(lambda c: ",".join(sorted(set(c.get_all()) - {"href"}))),
            "tree": [{"name": "r", "kids": [{"name": "<k>", "kids": []}]}]}
    ours = environment(tmp_path)
    ours.loader = jinja2.DictLoader(INCLUDES)
    got = ours.get_template(name).render(**data)
    assert got == _stock(jinja2.DictLoader(INCLUDES)).get_template(name).render(**data)
    assert "(top=True;inloop=True;" in got and "dv=True" in got and "&lt;k&gt;" in got and "False" in got  # it ran


def test_an_error_in_an_included_template_names_its_lines_as_stock_jinja(tmp_path: Path):
    from builder.render.templates import template_error

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "outer.html").write_text("a\n{% for i in [1] %}\n{% include 'inner.html' %}{% endfor %}\n")
    (folder / "inner.html").write_text("b\n\n{{ a.nothing.deeper }}\n")
    ours = environment(tmp_path)
    ours.loader = jinja2.FileSystemLoader(folder)
    lines = []
    for env in (ours, _stock(jinja2.FileSystemLoader(folder))):
        with pytest.raises(jinja2.UndefinedError) as caught:
            env.get_template("outer.html").render(a={})
        lines.append([(Path(tb.tb_frame.f_code.co_filename).name, tb.tb_lineno) for tb in _frames(caught.value.__traceback__)
                      if tb.tb_frame.f_code.co_filename.endswith(".html")])
        problem = template_error(caught.value, tmp_path)
        assert (problem.file, problem.line) == ("t/inner.html", 3), problem
    assert lines[0] == lines[1] == [("outer.html", 3), ("inner.html", 3)]


def test_the_flag_colours_rendered_once_are_those_of_the_flags_in_use(tmp_path: Path):
    """`_flag_colours.html` is rendered once while `flags` is the same object (runtime.ONCE): flags of
    another site (serve, one environment, site.toml edited), or `flags` set in a template, have their own."""
    from builder.model import FlagDef
    from builder.render.templates import builtin_templates

    one = [FlagDef("retraction", "Retracted", "", True), FlagDef("paid", "Paid", "")]
    other = [FlagDef("paid", "Paid", ""), FlagDef("rebuttal", "Rebutted", "", True), FlagDef("x", "X", "")]
    source = ("{% include '_flag_colours.html' %}|{% for flags in [flags[:1], flags] %}{% include '_flag_colours.html' %}"
              "{% endfor %}|{% with flags = [] %}{% include '_flag_colours.html' %}{% endwith %}")
    ours = environment(tmp_path)
    stock = _stock(jinja2.FileSystemLoader(builtin_templates()))
    for flags in (one, other, one, list(one)):
        got = ours.from_string(source).render(flags=flags)
        assert got == stock.from_string(source).render(flags=flags)
        assert got.count(f'[data-flag="{flags[-1].name}"]') == 2 and got.count("<style>") == 4


# --- a block's, a parent template's and an include's output yielded joined, as one string ---

BLOCKS = {
    "base.html": """<{% block head required %}{% endblock %}>{% for i in items %}{% block row scoped %}[{{ i }}]{% endblock %}{% endfor %}
{{ self.row() if false }}{% block tail %}tail {{ a }}{% endblock %}|{{ self.tail() }}|{% include "part.html" %}""",
    "child.html": """{% extends "base.html" %}{% block head %}{{ a }}{% endblock %}{% block row %}({{ i }}{{ super() }}){% endblock %}
{% block tail %}{% for j in [1, 2] %}{{ j }}{% include "part.html" %}{% endfor %}{{ super() }}{% endblock %}""",
    "part.html": "{% set x = a %}<{{ x }}>",
    "only.html": "{% extends 'base.html' %}",
}


@pytest.mark.parametrize("name", ["child.html", "only.html"])
def test_blocks_and_parents_as_stock_jinja(tmp_path: Path, name: str):
    """Required and scoped blocks, super(), self.block(), a parent template, includes in blocks and loops:
    the same text as stock Jinja's, the same error for a required block left out."""
    data = {"items": ["<1>", 2], "a": "<a>"}
    ours = environment(tmp_path)
    ours.loader = jinja2.DictLoader(BLOCKS)
    assert "yield ''.join(context.blocks[" in ours.compile(BLOCKS["base.html"], raw=True)
    stock = _stock(jinja2.DictLoader(BLOCKS))
    if name == "only.html":
        for env in (ours, stock):
            with pytest.raises(jinja2.TemplateRuntimeError, match="Required block 'head' not found"):
                env.get_template(name).render(**data)
        return
    got = ours.get_template(name).render(**data)
    assert got == stock.get_template(name).render(**data)
    assert got.startswith("<&lt;a&gt;>(&lt;1&gt;[&lt;1&gt;])(2[2])") and "|<&lt;a&gt;>" in got  # it ran


def test_render_as_template_render(tmp_path: Path):
    """runtime.render (pages and passages, the Context made without Jinja's constructors): the text of
    Template.render, and an error raised at its template line, as Template.render raises it."""
    from builder.render.runtime import render

    ours = environment(tmp_path)
    ours.loader = jinja2.DictLoader({**BLOCKS, "fails.html": "a\n{% for i in [1] %}\n{{ a.nothing.deeper }}{% endfor %}\n"})
    data = {"items": ["<1>", 2], "a": "<a>"}
    for name in ("child.html", "part.html"):
        template = ours.get_template(name)
        assert render(template, dict(data)) == template.render(**data)
    lines = []
    for make in (lambda t: render(t, dict(data)), lambda t: t.render(**data)):
        with pytest.raises(jinja2.UndefinedError) as caught:
            make(ours.get_template("fails.html"))
        lines.append([tb.tb_lineno for tb in _frames(caught.value.__traceback__) if tb.tb_frame.f_code.co_filename == "<template>"])
    assert lines[0] == lines[1] and lines[0][-1] == 3


@pytest.mark.parametrize("name", ["relations", "stress", "excerpts"])
def test_built_in_partials_compiled_into_their_includers_give_the_same_pages(tmp_path: Path, name: str):
    """Without templates of its own, a site's pages are rendered with the built-in partials compiled
    into the templates that include them (templates._Inliner): every page as with each included."""
    from builder.read.load import load_site
    from builder.render.plan import plan

    root = Path(__file__).parent / "sites" / name
    model, _ = load_site(root, None, None)
    inlined, included = environment(root), environment(root)
    included.inlines, included.bytecode_cache = False, None
    assert "'_note.html'" not in inlined.compile(inlined.loader.get_source(inlined, "article.html")[0], "article.html",
                                                 inlined.get_template("article.html").filename, raw=True)
    pages = [{job.path: job.make() for job in plan(model, None, env)} for env in (inlined, included)]
    assert pages[0] == pages[1] and any(path.startswith("articles/") for path in pages[0])


def test_loop_attributes_as_stock_jinja(tmp_path: Path):
    """`loop.x` is read as the LoopContext's attribute in place: the same values as stock Jinja's, in nested
    and recursive loops, and a `loop` that is not a loop's (set by `with`) read as any other value."""
    source = ("{% for i in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
              "{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.previtem if not loop.first }}{{ loop.nextitem is defined }}"
              "{{ loop.cycle('a', '<b>') }}"
              "{{ loop.changed(i) }}{% for j in [i, i] %}[{{ loop.index }}{{ loop.last }}{{ loop.depth }}]{% endfor %};{% endfor %}"
              "{% for x in tree recursive %}{{ loop.depth }}{{ loop.depth0 }}{{ x.name }}{{ loop(x.kids) }}{% endfor %}"
              "{% with loop = {'last': '<L>', 'index': 7} %}{{ loop.last }}{{ loop.index }}{% endwith %}"
              "{% for t in tup %}{{ loop.last }}{{ loop.nextitem if not loop.last }}{{ loop.revindex }}{% endfor %}"
              "{% for g in gen %}{{ loop.last }}{{ loop.index }}{{ loop.previtem if not loop.first }}{% endfor %}"
              "{% for i in grows %}{% if loop.first %}{{ grows.append('<n>') }}{% endif %}{{ i }}{{ loop.last }}{% endfor %}")
    data = {"items": ["<1>", 2, 2], "tree": [{"name": "r", "kids": [{"name": "<k>", "kids": []}]}], "tup": ("<t>", "u"),
            "gen": (g for g in "ab"), "grows": ["<g>"]}
    theirs = _stock(jinja2.DictLoader({})).from_string(source).render(**{**data, "gen": (g for g in "ab"), "grows": ["<g>"]})
    got = environment(tmp_path).from_string(source).render(**data)
    assert got == theirs
    assert "&lt;L&gt;7" in got and "[2True1];" in got and "10r21&lt;k&gt;" in got


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2", 'https://example.org/"x" <y>|{z}', "https://ex.org/é#:~:text=a%20b",
                                 Markup("https://example.org/?a=1&amp;b"), "", "https://[::1]/[x]"])
def test_href_as_escape_of_the_attribute_url(url):
    from builder.render.urls import href
    from builder.weburl import for_attribute

    got = href(url)
    assert type(got) is Markup
    assert got == (Markup(for_attribute(str(url))) if isinstance(url, Markup) else markupsafe.escape(for_attribute(url)))


def test_a_loop_whose_body_reads_only_inner_loops_loop_as_stock_jinja(tmp_path: Path):
    """A loop makes no LoopContext where `loop` is read only inside loops nested in it (their own): the same
    text as stock Jinja's; where it is read in a nested loop's list, its test or its `else`, it makes one."""
    source = ("{% for i in items %}<{% for j in [i, 1] %}{{ loop.index }}{{ j }}{% endfor %}>{% endfor %}|"
              "{% for i in items %}{% for j in range(loop.index) %}{{ loop.index }}{% endfor %}{% endfor %}|"
              "{% for i in items %}{% for j in [] %}{% else %}{{ loop.index }}{% endfor %}{% endfor %}|"
              "{% for i in items %}{% for j in [1, 2] if loop.index > 1 %}{{ j }}{% endfor %}{% endfor %}|"
              "{% for i in items %}{% for j in items recursive %}{{ loop.depth }}{% endfor %}{% endfor %}")
    data = {"items": ["<1>", 2, 3]}
    ours = environment(tmp_path)
    assert ours.from_string(source).render(**data) == _stock(jinja2.DictLoader({})).from_string(source).render(**data)
    code = ours.compile(source.split("|")[0], raw=True)
    assert code.count("loop_over(") == 1  # the inner loop's


def test_absolute_urls_quote_paths_as_urllib():
    """Urls.absolute and iri take most paths as they are: the same text as urllib's quote, every character tried."""
    from urllib.parse import quote

    from builder.render.urls import _SAFE, Urls

    with_host, bare = Urls("https://example.org/site/"), Urls("/site/")
    for path in ["articles/a-b_c.d~e/", "tags/x/#y", "a b/é/'q'/%41/[x]/{y}|^`\"<>\\", *map(chr, range(0xD800))]:
        assert with_host.absolute(path) == "https://example.org/site/" + quote(path, safe=_SAFE)
        assert bare.iri(path) == "tag:glossator,2026:" + quote("/site/" + path, safe=_SAFE)


def test_a_base_html_without_the_blocks_pages_fill_is_warned_where_it_is(tmp_path, make_site, run_cli):
    """Audit valid4: a site's base.html made to change the header, without {% block content %}, built every
    page empty (no article, no passage, no note) with one warning that blamed templates/article.html for
    lacking data-search-body. The warning is now at base.html, and names the block and who fills it."""
    site = make_site(tmp_path / "s", {
        "site.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
        "content/a.txt": "Officials say the gangs are allies.\n",
        "annotations/a.yaml": "annotations:\n  - quote: Officials say\n    note: Who?\n",
        "templates/base.html": "<!DOCTYPE html>\n<html lang=\"en\">\n<title>{% block title %}{% endblock %}</title>\n"
                               "<body><header>My header</header></body>\n</html>\n"})
    code, _, err = run_cli("check", site)
    assert code == 0, err
    said = [row for row in err.splitlines() if row.startswith("templates/base.html:")]
    assert said and said[0].startswith("templates/base.html:1:1: warning: it has no {% block content %}, which "), err
    assert "article.html" in said[0] and "never shown" in said[0], said


def test_a_site_that_overrides_every_template_is_checked_in_one_parse_of_each(tmp_path, make_site, monkeypatch):
    """This repository's own site keeps a copy of every built-in template in templates/: the checks of a site's
    templates (lost blocks, unused overrides) parsed every template again for each override, 624 parses and
    about a second of every build of five articles. Each template is now parsed once, a copy of a built-in one
    not at all, and a real override is still warned about."""
    from builder.render.templates import builtin_templates, template_problems

    builtin = builtin_templates()
    files = {"site.toml": 'title = "T"\n'}
    for name in sorted(p.name for p in builtin.iterdir() if p.suffix == ".html"):
        files[f"templates/{name}"] = (builtin / name).read_text("utf-8")
    files["templates/base.html"] = "<!DOCTYPE html>\n<html lang=\"en\"><title>{% block title %}{% endblock %}</title></html>\n"
    site = make_site(tmp_path / "s", files)
    env = environment(site)
    parses = []
    real_parse = env.parse
    monkeypatch.setattr(env, "parse", lambda source, *a, **k: parses.append(source) or real_parse(source, *a, **k))
    said = [p.message for p in template_problems(site, env)]
    templates = len([n for n in files if n.startswith("templates/")])
    assert len(parses) <= templates + 1, len(parses)  # each template once, and the built-in base.html it overrides
    assert any("no {% block content %}" in m for m in said), said


def test_install_compiles_the_modules_where_python_may_not_write_their_bytecode(tmp_path: Path):
    """hatch_build.py compiles the source tree's modules (kept.compile_modules): run from the repository with
    PYTHONDONTWRITEBYTECODE set, Python compiled every module again on each run (0.35 s of a small site's
    0.6 s build). The bytecode is read then (a module's import reads no source), and a module edited since is
    compiled again from its source."""
    import importlib.util
    import os
    import subprocess
    import sys

    from builder import kept

    package = tmp_path / "pkg"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n")
    (package / "inner" / "__init__.py").write_text("")
    (package / "inner" / "deep.py").write_text("VALUE = 2\n")
    assert kept.compile_modules(package)
    for source in (package / "__init__.py", package / "inner" / "deep.py"):
        assert Path(importlib.util.cache_from_source(str(source))).is_file()
    probe = ("import importlib.machinery as m, sys; reads = []; get = m.SourceFileLoader.get_data\n"
             "m.SourceFileLoader.get_data = lambda self, path: reads.append(path) or get(self, path)\n"
             "import pkg.inner.deep; print(pkg.inner.deep.VALUE, sum(p.endswith('.py') for p in reads))")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tmp_path)}
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert ran.stdout.split() == ["2", "0"]  # (no source read: every module from its bytecode)
    (package / "inner" / "deep.py").write_text("VALUE = 33\n")  # (another size: its bytecode is stale)
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert ran.stdout.split() == ["33", "1"]

