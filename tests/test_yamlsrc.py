"""Safe YAML with positions: builder.yamlsrc, and text read as written through the annotation stage."""
from __future__ import annotations


import pytest

from builder.read import yamlsrc
from builder.read.salvage import MAX_READ_AGAIN, salvage
from builder.errors import Problems
from builder.read.load import load_site


def load(text: str, line_offset: int = 0):
    """The data of `text` (None where it has a syntax error) and every problem said, as an annotation file's
    loading says them: after a syntax error, those of the rest of the file too (salvage)."""
    problems = Problems()
    root = yamlsrc.compose_once(text, "f.yaml", problems, line_offset)
    if isinstance(root, int):
        if not line_offset:
            salvage(text, root, "f.yaml", problems)
        root = None
    data = yamlsrc.to_python(root, "f.yaml", problems, line_offset) if root is not None else None
    return data, [(p.line, p.col, p.message) for p in problems.items]


def test_plain_values():
    data, problems = load("a: text\nb: 3\nc: 2.5\nd: true\ne: ~\nf: [x, y]\ng: {h: 1}\n")
    assert problems == []
    assert data == {"a": "text", "b": 3, "c": 2.5, "d": True, "e": None, "f": ["x", "y"], "g": {"h": 1}}


def test_duplicate_key_is_an_error_at_the_second_key():
    data, problems = load("note: first\nflags: []\nnote: second\n")
    assert problems == [(3, 1, 'duplicate key "note": it is already set above in this mapping, on line 1')]
    assert data["note"] == "first"


def test_duplicate_key_in_a_nested_mapping():
    _, problems = load("annotations:\n  - quote: a\n    quote: b\n")
    assert [(line, col) for line, col, _ in problems] == [(3, 5)]


def test_same_key_in_different_mappings_is_fine():
    _, problems = load("- quote: a\n- quote: b\n")
    assert problems == []


@pytest.mark.parametrize("written", ["2012-10-24", "2012-10-24T10:00:00Z", "2012-10-24 10:00:00"])
def test_no_timestamps(written):
    data, problems = load(f"date: {written}\n")
    assert problems == []
    assert data == {"date": written}


@pytest.mark.parametrize("written, text", [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("true", "true"), ("42", "42"), ("0042", "0042"),
    ("3.10", "3.10"), ("1e3", "1e3"), ("0x1F", "0x1F"), ("1_000", "1_000"), ("2012-10-24", "2012-10-24"),
])
def test_raw_text_is_the_scalar_as_written(written, text):
    root = yamlsrc.compose(f"note: {written}\n", "f.yaml", Problems())
    assert yamlsrc.raw_text(yamlsrc.node_at(root, ["note"])) == text


def test_raw_text_of_null_and_of_collections():
    root = yamlsrc.compose("a: ~\nb:\nc: []\nd: ''\n", "f.yaml", Problems())
    assert yamlsrc.raw_text(yamlsrc.node_at(root, ["a"])) is None
    assert yamlsrc.raw_text(yamlsrc.node_at(root, ["b"])) is None
    assert yamlsrc.raw_text(yamlsrc.node_at(root, ["c"])) is None
    assert yamlsrc.raw_text(yamlsrc.node_at(root, ["d"])) == ""


def test_text_fields_keep_their_text_through_the_annotation_stage(tmp_path, make_site):
    """`note: yes` is the text "yes"; `quote: 42` the text "42"; tags and by too."""
    site = make_site(tmp_path, {
        "content/a.txt": "In 42 cases the answer was yes, said 3.10 officials.\n",
        "annotations/a.yaml": (
            "annotations:\n"
            "  - quote: 42\n    note: yes\n    by: no\n    tags: [2012, on]\n"
            "  - quote: 3.10\n    note: 1e3\n"
        ),
    })
    model, problems = load_site(site)
    assert problems.errors == []
    first, second = model.article("a").annotations
    assert (first.quote.text, first.note, first.by, first.tags) == ("42", "yes", "no", ("2012", "on"))
    assert (second.quote.text, second.note) == ("3.10", "1e3")
    assert model.article("a").text[first.start:first.end] == "42"


def test_syntax_error_is_located_where_the_block_started():
    """A "[" never closed is said at the "[" (the line to mend), like a quote never closed, and names where YAML gave up."""
    _, problems = load('annotations:\n  - quote: "a"\n    flags: [a, b\n    note: x\n')
    (line, col, message), = problems
    assert (line, col) == (3, 12)
    assert message.startswith("YAML syntax: ")
    assert 'this "[" is not closed on its line: end it with "]" (YAML read on to line 4' in message
    _, problems = load('annotations:\n  - quote: "a"\n    flags: [a, b\n')
    assert problems[0][:2] == (3, 12) and "to the end of the file" in problems[0][2]


@pytest.mark.parametrize("text, where, says", [
    # never closed: at its opening quote, not where YAML gave up (line 4, or the end of the file)
    ('annotations:\n  - quote: "open\n    note: x\n  - quote: "b"\n', (2, 12), 'its " runs on to line 4'),
    ("annotations:\n  - quote: 'open\n    note: x\n  - quote: 'b'\n    note: y\n", (2, 12), "its ' runs on to line 4"),
    ('annotations:\n  - quote: "a"\n    note: "open\n', (3, 11), 'no closing " before the end of the file'),
    # a quote mark inside a value quoted with the same mark
    ("annotations:\n  - quote: 'a'\n    note: 'the mayor's claim'\n", (3, 22), "write '' for a ' inside"),
    ('annotations:\n  - quote: "a"\n    note: "she said "no" twice"\n', (3, 22), 'write \\" for a " inside'),
    # "#" in a flow list starts a comment: the list is never closed
    ('annotations:\n  - quote: "a"\n    rebuts: [#b]\n', (3, 14), 'write "#b" in quotes'),
    ('annotations:\n  - quote: "a"\n    rebuts: [x, #b]\n    note: y\n', (3, 17), 'write "#b" in quotes'),
    # a field indented unlike the one above it: said as such, at the line, not as ": " or a missing "-"
    ('annotations:\n  - quote: "a"\n      note: x\n', (3, 7), "indented 6 spaces and the field above it 4"),
    ('annotations:\n  - quote: a\n      note: x\n', (3, 7), "indented 6 spaces and the field above it 4"),
    ('annotations:\n  - quote: "a"\n   note: x\n', (3, 4), "indented 3 spaces and the field above it 4"),
    # ": " in a plain value
    ('annotations:\n  - quote: "a"\n    note: Note: this\n', (3, 15), 'a value with ": " in it needs quotes (note: "Note: this")'),
    ('annotations:\n  - quote: The police said: no\n', (2, 27), 'needs quotes (quote: "The police said: no")'),
    # a list item's dash glued to its field: said at the dash, whether YAML fails further down or not
    ('annotations:\n  -quote: a\n    note: x\n', (2, 3), 'a "-" that starts a list item needs a space after it: write "- quote:"'),
    ('annotations:\n  - quote: a\n    note: x\n  -quote: b\n    note: y\n', (4, 3), 'write "- quote:"'),
    ('annotations:\n  -quote: a\n  note: x\n', (2, 3), 'write "- quote:"'),
    # a line indented with a no-break space (pasted): YAML reads it as text, whether it fails or not
    ('annotations:\n  - quote: a\n\u00a0   note: x\n', (3, 1), "indented with a no-break space (U+00A0)"),
    ('annotations:\n  - quote: a\n  \u00a0 note: x\n', (3, 3), "indented with a no-break space (U+00A0)"),
    ('annotations:\n\u2003 - quote: a\n    note: x\n', (2, 1), "indented with a no-break space (U+2003)"),
    # a field without its ":": at its line, not at the next one
    ('annotations:\n  - quote: a\n    note x\n  - quote: b\n', (3, 5), '"note x" is neither a field nor part of a value'),
    # "*" or "&" where a value starts without its key on the line: a list item, an item in brackets, a line below
    ('annotations:\n  - quote: a\n    tags:\n      - *important\n', (4, 9),
     'a value that starts with "*" needs quotes in YAML ("*" starts an alias): write - "*important"'),
    ('annotations:\n  - quote: a\n    tags: [a, *important ]\n', (3, 15), 'starts an alias): write "*important"'),
    ('annotations:\n  - quote: a\n    note:\n      *Important*: this\n', (4, 7), 'starts an alias): put the value in quotes'),
    ('annotations:\n  - quote: a\n    tags:\n      - &\n', (4, 9), 'starts an anchor): write - "&"'),
    # a field whose colon has no space after it, or is full-width: YAML reads the line as text, said at the colon
    ('annotations:\n  - quote:"The police said"\n    note: x\n', (2, 10),
     'the colon after "quote" needs a space after it, so YAML reads the line as text: write quote: "The police said"'),
    ('annotations:\n  - quote\uff1a The police said\n    note: x\n', (2, 10),
     'the colon after "quote" is not one YAML knows (U+FF1A, a full-width colon), so YAML reads the line as text: '
     'write quote: "The police said"'),
    ('annotations:\n  - quote: a\n    note:x\n', (3, 9), 'the colon after "note" needs a space after it'),
    # a backslash in "…"; a value in curly quotes
    ('annotations:\n  - quote: "C:\\path"\n', (2, 15), "write \\\\ for a backslash, or put the value in '…'"),
    ('annotations:\n  - quote: \u201cThe police said: no.\u201d\n', (2, 12), 'curly quotes (\u201c…\u201d) do not quote a value in YAML'),
])
def test_quoting_mistakes_are_said_where_they_are(text, where, says):
    _, problems = load(text)
    (line, col, message), = problems
    assert (line, col) == where and says in message, message


@pytest.mark.parametrize("text", [
    "annotations:\n  - quote: a\n    note: |\n      first\n      \u00a0indented in the note\n",
    'annotations:\n  - quote: "a\u00a0b"\n    note: \u00a0x\n    tags: [-x-]\n    by: -5\n',
])
def test_no_break_spaces_and_dashes_inside_values_are_fine(text):
    assert load(text)[1] == []


def test_tab_indentation_gets_a_hint():
    _, problems = load("a:\n\tb: 1\n")
    (line, col, message), = problems
    assert (line, col) == (2, 1)
    assert "tabs" in message


def test_line_offset_shifts_every_position():
    _, problems = load("a: 1\na: 2\n", line_offset=5)
    assert problems[0][:2] == (7, 1)
    _, problems = load("a: [1\n", line_offset=5)
    assert problems[0][0] > 5


def test_empty_document_is_no_problem():
    problems = Problems()
    assert yamlsrc.compose("", "f.yaml", problems) is None
    assert yamlsrc.compose("# only a comment\n", "f.yaml", problems) is None
    assert problems.items == []


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    data, problems = load("\n".join(lines) + "\n")  # 387 million values if expanded
    assert data is None
    assert [(line, col) for line, col, _ in problems] == [(1, 1)]
    assert "alias bomb" in problems[0][2]


def test_a_long_text_aliased_a_few_hundred_times_is_refused_as_a_bomb():
    """Few values, much text: a 1 MB text aliased 7,000 times (a file of 1 MB) took 20 GB to check."""
    data, problems = load('note: &s "' + "x" * 100_000 + '"\nsources: [' + ", ".join(["*s"] * 200) + "]\n")
    assert data is None
    assert problems == [(1, 1, "YAML aliases expand to more than 10,000,000 characters of text (an alias bomb?): refused")]


def test_a_quote_shared_by_a_thousand_annotations_through_an_alias_is_fine():
    data, problems = load('q: &q "' + "a quote of some length " * 40 + '"\nannotations:\n' + "  - quote: *q\n" * 1000)
    assert problems == [] and len(data["annotations"]) == 1000


def test_a_few_aliases_are_fine():
    data, problems = load("base: &b {x: 1}\nother: *b\n")
    assert problems == [] and data == {"base": {"x": 1}, "other": {"x": 1}}


def test_merge_keys_fill_in_without_overriding():
    data, problems = load("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert problems == []
    assert data["other"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.system", "!custom", "!include"])
def test_object_tags_are_refused(tag):
    """Reported, and read as the plain value written (never an object), so the rest is checked too."""
    data, problems = load(f"note: {tag} [x]\n")
    assert data == {"note": ["x"]}
    (line, col, message), = problems
    assert (line, col) == (1, 7)
    assert tag in message and "not allowed" in message


@pytest.mark.parametrize("text, fix", [
    ("note: !!! This is false\n", 'write note: "!!! This is false"'),
    ("tags:\n  - !wow\n", 'write - "!wow"'),  # a list item's, as it is written
])
def test_a_refused_tag_on_a_one_line_text_shows_it_quoted(text, fix):
    problems = Problems()
    root = yamlsrc.compose(text, "f.yaml", problems)
    yamlsrc.to_python(root, "f.yaml", problems, text=text)
    (message,) = [p.message for p in problems.items]
    assert message.endswith(fix), message


def test_standard_tags_are_plain_values():
    data, problems = load("a: !!str 42\nb: !!int '7'\n")
    assert problems == []
    assert data == {"a": "42", "b": 7}


def test_non_text_keys_are_reported():
    data, problems = load("? [a, b]\n: 1\n")
    assert [(line, col) for line, col, _ in problems] == [(1, 3)]


def test_node_at_and_key_node_at():
    root = yamlsrc.compose("annotations:\n  - quote: a\n    flags: [x, y]\n", "f.yaml", Problems())
    assert yamlsrc.where(yamlsrc.node_at(root, ["annotations", 0, "flags", 1])) == (3, 16)
    assert yamlsrc.where(yamlsrc.key_node_at(root, ["annotations", 0, "flags"])) == (3, 5)
    assert yamlsrc.where(yamlsrc.node_at(root, ["annotations", 0, "missing"])) == (2, 5)  # stops where it can
    assert yamlsrc.where(yamlsrc.node_at(root, ["annotations", 9])) == (2, 3)


def test_merged_fields_are_read_like_written_ones(tmp_path, make_site):
    """An anchor shared with `<<:` gives its flags and note to the annotation that merges it."""
    site = make_site(tmp_path, {
        "content/a.txt": "Officials say so. Sources say so.\n",
        "annotations/a.yaml": (
            "annotations:\n"
            "  - &first\n    quote: Officials say\n    flags: [anonymous-source]\n    note: Which officials?\n"
            "  - <<: *first\n    quote: Sources say\n"
        ),
    })
    model, problems = load_site(site)
    assert problems.errors == []
    second = model.article("a").annotations[1]
    assert second.quote.text == "Sources say"
    assert second.flags == ("anonymous-source",) and second.note == "Which officials?"


def test_characters_yaml_refuses_are_located_on_one_line():
    _, problems = load("a: ok\nb: caf\u00e9 \x07 bell\n")
    assert problems == [(2, 9, "YAML does not allow the character U+0007 (control characters are not allowed): remove it")]


def test_two_documents_are_an_error():
    _, problems = load("a: 1\n---\nb: 2\n")
    assert [(line, col) for line, col, _ in problems] == [(2, 1)]
    assert "single document" in problems[0][2]


def test_loading_leaves_nothing_for_the_cycle_collector(monkeypatch):
    """A build pauses the cycle collector while it loads the site (build.collector_paused), then freezes
    what is left: reading each annotation file left a cycle (to_python's walker, with a set of ~150 ids),
    13 MB for 1,000 articles kept to the end of the build. Loading must free all it made by itself."""
    import gc
    from pathlib import Path

    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    site = Path(__file__).parent / "sites" / "small"
    load_site(site)  # caches filled, modules imported
    gc.collect()
    gc.disable()
    try:
        model, problems = load_site(site)
        assert model.articles and problems.errors == []
        del model, problems
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_lone_surrogate_is_a_located_error_with_pyyamls_pure_loader_too(tmp_path):
    """libyaml refuses `"\\ud800"` as a syntax error; PyYAML's pure loader (a PyYAML built without libyaml)
    let it through, and the build crashed writing JSON-LD with a traceback. Now both report it."""
    import subprocess
    import sys
    from pathlib import Path

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "S"\n')
    (site / "content" / "a.txt").write_text("Headline\n\nThe mayor said the budget was fine.\n")
    (site / "annotations" / "a.yaml").write_text(
        'article:\n  url: https://example.com/a\nannotations:\n  - quote: "The mayor"\n    note: "Broken \\ud800 here"\n')
    for loader in ("CSafeLoader", "SafeLoader"):  # as installed here, and as without libyaml (no cache: each parses)
        script = (f"import sys, yaml; yaml.CSafeLoader = yaml.{loader}; sys.argv = ['glossator', 'build', '--no-cache', {str(site)!r}]; "
                  "from builder.cli import run; run()")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[1])
        assert done.returncode == 1, (loader, done.stderr)
        assert "Traceback" not in done.stderr, (loader, done.stderr)
        assert "annotations/a.yaml:5:" in done.stderr and "invalid Unicode character escape" in done.stderr, (loader, done.stderr)


def _mappings(root):
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yamlsrc.MappingNode):
            yield node
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yamlsrc.SequenceNode):
            stack.extend(node.value)


ODD_MAPPINGS = [
    "a: 1\na: 2\nb: 3\n",  # a duplicate key: the first is the one read
    "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",  # merged keys are found through the merge
    "m:\n  <<: {x: 1}\n  <<: {z: 2}\n  w: 0\n",  # a second merge, reported
    "? [a, b]\n: 1\nc: 2\n",  # a key that is not text
    "~: 1\n'': 2\n3: x\ntrue: y\n!!binary QQ==: z\n",  # keys that read as null, a number, a bool, a tag
    '"<<": quoted\nk: v\n',  # "<<" in quotes is text, not a merge
    "a: &m {k: 1}\nb: *m\nc: [*m, *m]\n",  # one mapping reached three times
]


@pytest.mark.parametrize("text", ODD_MAPPINGS)
def test_the_keys_to_python_leaves_on_a_mapping_are_those_found_by_reading_it(text):
    """Fields finds a key's nodes in the index to_python leaves on each mapping (`written`): it must hold what
    reading the mapping itself finds, whatever its keys (duplicated, merged, not text)."""
    root = yamlsrc.compose(text, "f.yaml", Problems())
    yamlsrc.to_python(root, "f.yaml", Problems())
    assert root.written == yamlsrc._written(root)
    for node in _mappings(root):  # (a mapping to_python does not read, the second merge's, has none: made by Fields)
        assert getattr(node, "written", yamlsrc._written(node)) == yamlsrc._written(node)
        fields = yamlsrc.Fields({}, node)
        for key_node, _ in node.value:
            if isinstance(key_node, yamlsrc.ScalarNode):
                assert fields._pair(key_node.value) == yamlsrc.entry(node, key_node.value)


def test_every_yaml_file_of_the_tests_and_the_site_gives_the_same_index():
    from pathlib import Path

    root_dir = Path(__file__).resolve().parents[1]
    paths = sorted(root_dir.glob("tests/**/*.yaml")) + sorted(root_dir.glob("annotations/*.yaml"))
    assert len(paths) > 50
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        root = yamlsrc.compose(text, "f.yaml", Problems())
        if root is None or yamlsrc.to_python(root, "f.yaml", Problems()) is None:
            continue
        for node in _mappings(root):
            assert getattr(node, "written", yamlsrc._written(node)) == yamlsrc._written(node), path


def test_an_escape_that_makes_a_control_character_is_warned_where_it_is_written():
    """`"C:\\bin"` in "…" is a backspace and "in": a warning at the backslash (the value still loads, its
    control character shown as U+FFFD on pages); `\\n`, `\\t`, a backslash in '…' or plain text are as meant."""
    problems = Problems()
    text = 'annotations:\n  - quote: "a"\n    note: "See C:\\bin and \\\\ok"\n    by: \'C:\\bin\'\n    tags: ["a\\tb\\n"]\n'
    root = yamlsrc.compose(text, "f.yaml", problems)
    assert root is not None
    assert [(p.severity, p.line, p.col) for p in problems.items] == [("warning", 3, 18)]
    assert '"\\b" in a value quoted with "…" is the control character U+0008' in problems.items[0].message


def test_an_anchor_that_starts_a_plain_value_is_warned_where_it_is_written_with_the_value_quoted():
    """`note: &x text` is the note "text": YAML takes "&x" for an anchor and drops it. Said where it starts, with
    the value in quotes; an anchor that an alias uses, or "&" inside quotes or inside a word, is as meant."""
    data, problems = load('annotations:\n  - quote: Q&A\n    note: &x text of the note\n    by: &m maria\n'
                          '  - quote: "&b"\n    by: *m\n    tags: [&t]\n')
    assert data["annotations"][0]["note"] == "text of the note"
    assert problems == [
        (3, 11, '"&x" at the start of a value is a YAML anchor, not text, and is dropped: this value reads '
                '"text of the note"; to keep it, write note: "&x text of the note"'),
        (7, 12, '"&t" at the start of a value is a YAML anchor, not text, and is dropped: this value is empty; '
                'to keep it, write "&t"'),
    ]


def test_a_comment_after_one_space_that_cuts_a_plain_value_is_warned_at_the_hash():
    """`note: claim #2 of 5` is the note "claim": " #" starts a comment. Said at the "#", with the whole line quoted;
    a comment set apart (`  # …`, `# …`) or a "#" in quotes or glued to a word is as meant."""
    data, problems = load('annotations:\n  - quote: Sources deny #it\n    note: claim #2 of 5  # a comment\n'
                          '    by: maria  # me\n    claim: "a #b" #TODO\n    tags:\n      - C#\n      - x #y\n')
    assert data["annotations"][0]["quote"] == "Sources deny"
    assert problems == [
        (2, 25, '"#" after a space starts a comment in YAML, which hides the rest of the line: this value reads '
                '"Sources deny"; to keep the rest, write quote: "Sources deny #it"'),
        (3, 17, '"#" after a space starts a comment in YAML, which hides the rest of the line: this value reads '
                '"claim"; to keep the rest, write note: "claim #2 of 5  # a comment"'),
        (8, 11, '"#" after a space starts a comment in YAML, which hides the rest of the line: this value reads '
                '"x"; to keep the rest, write "x #y"'),
    ]


def test_a_line_below_a_plain_value_that_yaml_drops_or_joins_is_warned_where_it_starts():
    """A line indented under `note: text` that starts "#2" is a comment, dropped; lines that start as a Markdown list
    are joined to the text with spaces. Said at the line, with "|" as the fix; a text after "|", a YAML list, a
    comment set apart (`# …`) or a comment at the key's own indentation are as meant."""
    data, problems = load('annotations:\n  - quote: a\n    note: Some text\n      #2 is the claim\n'
                          '  - quote: b\n    note:\n      Reasons\n      - first\n      - second\n'
                          '    tags:\n      - x\n      - y\n    # note: left out\n'
                          '  - quote: c\n    note: |\n      Reasons\n      - first\n      #2\n    by: m\n      # me\n')
    assert [a["note"] for a in data["annotations"]] == ["Some text", "Reasons - first - second", "Reasons\n- first\n#2\n"]
    assert problems == [
        (4, 7, '"#" at the start of a line starts a comment in YAML, which hides the line: this value reads "Some text"; '
               'to keep that line, write "note: |" and the text below it, indented'),
        (8, 7, 'YAML joins the lines of a plain value with spaces: this value reads "Reasons - first - second"; for a list '
               'in the note, write "note: |" and its lines below it, indented'),
    ]


def test_each_annotation_with_a_syntax_error_is_said_not_only_the_first():
    """YAML stops at the first mistake; the annotations after it are read again on their own, so that an
    annotator sees every broken annotation at once, each where it is."""
    text = ('annotations:\n  - quote: "a"\n    flags: [x\n  - quote: "b"\n    note: fine\n'
            '  - quote: "c\n    note: open\n  - quote: "d"\n    tags: [y\n')
    _, problems = load(text)
    assert [(line, col) for line, col, _ in problems] == [(3, 12), (6, 12), (9, 11)]
    assert all(message.startswith("YAML syntax: ") for _, _, message in problems)


def test_a_control_character_in_two_annotations_is_said_twice():
    _, problems = load('annotations:\n  - quote: "a \x07"\n  - quote: "b"\n  - quote: "c \x07"\n')
    assert [(line, col) for line, col, _ in problems] == [(2, 15), (4, 15)]


def test_the_annotations_after_a_mistake_that_read_well_add_nothing():
    _, problems = load('annotations:\n  - quote: "a"\n    flags: [x\n  - quote: "b"\n  - quote: "c"\n')
    assert [(line, col) for line, col, _ in problems] == [(3, 12)]


@pytest.mark.parametrize("text", [
    "annotations: [\n  - quote: a\n  - quote: b\n",  # (said on the `annotations:` line itself)
    "annotations:\n\t- quote: a\n\t- quote: b\n",  # tab-indented items: no annotation starts where YAML expects one
    'article:\n  title: "open\nannotations:\n  - quote: "b"\n    flags: [x\n',  # a mistake above the list
    'annotations:\n  - quote: "a"\n  - quote: "b\n',  # the last annotation: nothing after it
])
def test_reading_on_after_a_mistake_ends(text):
    _, problems = load(text)
    assert problems and len(problems) == len({(line, col) for line, col, _ in problems}) <= 2


def test_lines_a_message_names_count_from_the_files_first_line():
    """Front matter starts on the file's line 2: "runs on to line N" and "read on to line N" name the file's lines,
    as the error's own line does (they named the front matter's, one line short)."""
    _, problems = load('title: "Unclosed\nauthor: Jane\npublication: "X"\n', line_offset=1)
    assert problems[0][:2] == (2, 8) and 'its " runs on to line 4,' in problems[0][2]
    _, problems = load("title: Fine\nflags: [a, b\nauthor: Jane\n", line_offset=1)
    assert problems[0][:2] == (3, 8) and "(YAML read on to line 4 looking for it)" in problems[0][2]


def test_a_long_file_is_said_where_its_first_mistake_is():
    """A file long enough to be scanned for nesting first (over a thousand "-", ":", "[" and "{"): a quote never closed
    on line 3 was said at the file's last line, where YAML's scanner ran out (the chain of quotes paired wrongly
    down to there); now where the parser stopped, at its cause. Past 20 mistakes a file is not read again."""
    rows = ["annotations:"]
    for i in range(400):
        rows += [f'  - quote: "Sentence {i}"', f'    note: "unclosed {i}', "    by: x"]
    _, problems = load("\n".join(rows) + "\n")
    assert problems[0][:2] == (3, 11) and 'its " runs on to line 5,' in problems[0][2]
    assert [line for line, _, _ in problems] == [3 + 3 * k for k in range(1 + MAX_READ_AGAIN)]
