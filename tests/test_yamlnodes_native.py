"""The compiled `compose` (builder/_yamlnodes.c) against its rule, yaml.compose with yamlsrc's _Loader: the same
node tree (classes, tags, values, styles, marks) for every YAML file of the repository and its tests, for the
front matter of every Markdown article, and for texts made to cover each kind of scalar and collection; and
NotImplemented (the text left to PyYAML) for what it does not make itself. The tests that need the module
skip where it is not built, except the one that asks why it is missing where a C compiler and libyaml are."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder import native
from builder.errors import Problems
from builder.read import yamlsrc

ROOT = Path(__file__).resolve().parents[1]
NATIVE = native.load("_yamlnodes")
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_yamlnodes.c is not built here (pip install -e . "
                                                          "builds it where a C compiler and libyaml-dev are)")


def test_the_compiled_composer_is_built_and_used_wherever_a_c_compiler_and_libyaml_are():
    """A failed build at install only warns (the builder works without it): this is where CI notices."""
    if native.compiler() is None or not Path("/usr/include/yaml.h").exists():
        pytest.skip("no C compiler or no libyaml headers here: PyYAML composes")
    assert NATIVE is not None, ("builder._yamlnodes is not importable, or was built from another builder/_yamlnodes.c: "
                                "`pip install -e .` builds it (`pip install -v -e .` says why it could not)")
    assert yamlsrc._NATIVE is NATIVE


def shape(node, seen=None):
    """Everything a node tree holds, recursively: its class, tag, value, style, and both marks in full."""
    if node is None:
        return None
    marks = tuple((m.name, m.index, m.line, m.column, m.buffer, m.pointer, str(m), m.get_snippet()) if m is not None else None
                  for m in (node.start_mark, node.end_mark))
    attributes = [name for name in vars(node) if name not in ("written", "plain")]  # (to_python's: below)
    if isinstance(node, yaml.ScalarNode):
        return type(node), node.tag, node.value, node.style, marks, attributes
    if isinstance(node, yaml.SequenceNode):
        items = [shape(item) for item in node.value]
    else:
        items = [(shape(key), shape(value)) for key, value in node.value]
    return type(node), node.tag, items, node.flow_style, marks, attributes


def texts():
    """(name, text) of every YAML file here, and of each Markdown article's front matter."""
    for path in sorted(ROOT.rglob("*")):
        if "node_modules" in path.parts or ".git" in path.parts or not path.is_file():
            continue
        if path.suffix in (".yaml", ".yml"):
            data = path.read_bytes()
        elif path.suffix == ".md" and path.read_bytes().startswith(b"---\n"):
            data = path.read_bytes().split(b"\n---\n", 1)[0][4:]
        else:
            continue
        try:
            yield path.relative_to(ROOT).as_posix(), data.decode("utf-8")
        except UnicodeDecodeError:
            continue


MADE = {
    "scalars": "a: plain\nb: 'single ''q'''\nc: \"double \\u00e9 \\\"q\\\"\"\nd: |\n  literal\n   kept\n\ne: >-\n  folded\n  text\n",
    "resolved": "- 42\n- -1.5\n- 0x1F\n- yes\n- No\n- ~\n- null\n-\n- ''\n- 2024-01-02\n- .inf\n- <<\n- =\n- on\n- 1_000\n- '42'\n",
    "keys": "? complex\n: value\n42: n\ntrue: t\nnote: x\nflags: [a, b]\n",
    "flow": "a: {b: [1, {c: d}], e: []}\nf: {}\ng: [x, 'y', \"z\"]\n",
    "nested": "annotations:\n  - quote: \"x\"\n    note: >\n      one\n      two\n    tags:\n      - t\n      -\n        - deep\n",
    "empty": "",
    "comments only": "# nothing\n\n# here\n",
    "document marks": "---\na: 1\n...\n",
    "bare scalar": "just text\n",
    "unicode": "q: «Éléphant» — “quoted” ✓ 𝒳\n\"ключ\": значение\nemoji: 🙂\n",
    "odd breaks": "a: one\u2028two\nb: \"x\u0085y\"\n",
    "windows": "a: 1\r\nb:\r\n  - x\r\n",
    "bom": "\ufeffa: 1\n",
}


@needs_native
@pytest.mark.parametrize("name,text", [*MADE.items(), *texts()], ids=lambda v: v if "\n" not in v else None)
def test_the_compiled_composer_makes_the_same_tree_as_pyyaml_or_leaves_it(name, text):
    try:
        expected = yaml.compose(text, Loader=yamlsrc._Loader)
    except yaml.YAMLError:
        assert NATIVE.compose(text) is NotImplemented
        return
    got = NATIVE.compose(text)
    if got is NotImplemented:  # only what it leaves: anchors, aliases, tags, directives
        assert any(c in text for c in "&*!%"), f"{name}: left to PyYAML though it holds no anchor, alias, tag or directive"
        return
    assert shape(got) == shape(expected)
    if expected is None:
        return
    # the plain data it made beside the nodes (where to_python would report nothing), and each mapping's `written`
    problems = Problems()
    data = yamlsrc.to_python(expected, name, problems, text=text)
    made = vars(got).get("plain")
    assert made is not None or problems.items or any(c in text for c in "<=")  # (a merge key or "=": to_python's)
    if made is not None:
        assert repr(made[0]) == repr(data) and [type(v) for v in flat(made[0])] == [type(v) for v in flat(data)]
        assert yamlsrc.to_python(got, name, Problems(), text=text) is made[0]  # taken, not made again
        for mine, theirs in zip(mappings(got), mappings(expected)):
            assert shape_written(mine) == shape_written(theirs)


def flat(data):
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in (k, *flat(v))]
    if isinstance(data, list):
        return [x for v in data for x in flat(v)]
    return [data]


def mappings(node):
    if isinstance(node, yaml.MappingNode):
        yield node
    for item in (node.value if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) else ()):
        for part in item if isinstance(item, tuple) else (item,):
            yield from mappings(part)


def shape_written(node):
    written, merges = node.written
    return [(key, shape(k), shape(v)) for key, (k, v) in written.items()], merges


@needs_native
@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                  # an anchor and an alias
    "a: !!str 1\n",                      # an explicit tag
    "a: !custom x\n",
    "%YAML 1.1\n---\na: 1\n",            # a directive
    "a: 1\n---\nb: 2\n",                 # two documents
    "a: [1, 2\n",                        # a syntax error
    "a:\n\tb: 1\n",                      # a tab
    "a: \"\\ud800\"\n",                  # a lone surrogate, escaped
    "[" * 3000 + "]" * 3000,             # nesting past what it composes
])
def test_what_the_compiled_composer_leaves_to_pyyaml(text):
    assert NATIVE.compose(text) is NotImplemented


@needs_native
def test_plain_tags_are_remembered_as_the_python_loader_remembers_them(monkeypatch):
    monkeypatch.setattr(yamlsrc, "_plain_tags", {})
    NATIVE.setup(yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode, yamlsrc._plain_tag,
                 yamlsrc._plain_tags, "".join(first or "\0" for first in yamlsrc._Loader.yaml_implicit_resolvers))
    try:
        root = NATIVE.compose("a: 12\nnote: yes\nzeta: 3\n" + "n" * 20 + ": 1\n")
        assert [value.tag.rsplit(":", 1)[1] for _, value in root.value] == ["int", "bool", "int", "int"]
        assert yamlsrc._plain_tags == {"12": "tag:yaml.org,2002:int", "note": "tag:yaml.org,2002:str",
                                       "yes": "tag:yaml.org,2002:bool", "3": "tag:yaml.org,2002:int",
                                       "1": "tag:yaml.org,2002:int"}  # ("a", "zeta": no resolver looks; 20 n's: too long)
    finally:
        NATIVE.setup(yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode, yamlsrc._plain_tag,
                     yamlsrc._plain_tags, "".join(first or "\0" for first in yamlsrc._Loader.yaml_implicit_resolvers))


@needs_native
@pytest.mark.parametrize("text", ["a: &x [1, 2]\nb: *x\nc: [3\n", "a: &x [1, 2]\nb: *x\n", "a: 1\n  b: 2\n", "a: !!python/name:os.system x\n"])
def test_a_text_reads_and_its_mistakes_are_said_the_same_with_and_without_the_compiled_composer(text, monkeypatch):
    def read():
        problems = Problems()
        root = yamlsrc.compose(text, "f.yaml", problems)
        data = yamlsrc.to_python(root, "f.yaml", problems, text=text) if root is not None else None
        return data, [(p.line, p.col, p.message) for p in problems.items]

    with_it = read()
    monkeypatch.setattr(yamlsrc, "_NATIVE", None)
    assert with_it == read()
