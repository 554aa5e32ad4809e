"""The annotation file's JSON Schema: a compiled check first, then every error located and worded for annotators."""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import json
import marshal
import re
import sys
from functools import lru_cache
from pathlib import Path

from .. import kept
from ..errors import Problems, did_you_mean, printable
from ..slugs import is_slug, slug_like
from . import yamlsrc
from .yamlhints import colon_glued, dash_glued_message

URL = re.compile(r"^https?://\S+\Z", re.I)

TEXTS = ("quote", "prefix", "suffix", "note", "claim", "title", "summary", "publication", "reason", "by", "start", "end")
HELP = {
    "quote": "the passage's text", "prefix": "text", "suffix": "text", "note": "Markdown text",
    "by": "a name", "title": "text", "publication": "text", "summary": "Markdown text", "reason": "Markdown text",
    "id": 'a lowercase slug (letters, digits, "-" and "_", starting with a letter or digit)',
    "date": "a date written YYYY-MM-DD", "published": "a date written YYYY-MM-DD",
    "url": "an absolute http(s) URL", "occurrence": "a whole number, 1 or more",
    "flags": "a list of flag names", "tags": "a list of tags", "author": "a name or a list of names",
    "sources": "a list of http(s) URLs, references (slug, slug#id or #id) or {url, title} mappings",
    "rebuts": "a reference (slug, slug#id or #id) or a list of them",
    "retracts": "a reference (slug, slug#id or #id) or a list of them",
    "supports": "a reference (slug, slug#id or #id) or a list of them",
    "see": "a reference (slug, slug#id or #id), an http(s) URL, or a list of them",
    "notice": "an http(s) URL or a reference (slug, slug#id or #id)",
    "body": "a mapping with start and end quotes", "retracted": "a mapping with date, reason and notice",
    "article": "a mapping of article fields", "annotations": "a list of annotations",
    "start": "a quote", "end": "a quote",
    "verdict": "a verdict name", "claim": "one short sentence", "publish": '"full" or "excerpts"',
}


@lru_cache(maxsize=None)
def schema() -> dict:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "schema" / "annotations.schema.json", here.parent / "schema" / "annotations.schema.json"):
        if candidate.exists():
            return json.loads(candidate.read_text("utf-8"))
    raise FileNotFoundError("annotations.schema.json is missing from the installation")


@lru_cache(maxsize=None)
def _validator(part: str | None):
    import jsonschema  # slow to import: only needed once a file has schema errors

    root = schema()
    sub = root if part is None else {**root["$defs"][part], "$defs": root["$defs"]}
    return jsonschema.Draft202012Validator(sub)


# The compiled check names each list item for its error message (`".tags[{data__tags_x}]".format(**locals())`),
# valid or not: copying the locals took half its time, and its messages are never read (see schema_problems).
_UNFORMATTED = ".format(**locals())"


@lru_cache(maxsize=None)
def _fast_validator(part: str | None):
    """A compiled validator (fastjsonschema): 50x faster; only when it fails do we ask jsonschema
    for every error with its path. Its code is made once per installation and kept (`kept`):
    making it took 0.03 s of every build, in each worker."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - a dependency; without it the full validator does all
        return None
    root = schema()
    sub = root if part is None else {**root["$defs"][part], "$defs": root["$defs"]}
    local = {k: v for k, v in sub.items() if k != "$id"}  # refs stay local: nothing is ever fetched
    definition = {**local, "$schema": "http://json-schema.org/draft-07/schema#"}
    source = json.dumps(definition, sort_keys=True).encode() + _UNFORMATTED.encode()
    name = f"schema-{hashlib.sha256(source + fastjsonschema.VERSION.encode() + sys.version.encode()).hexdigest()[:32]}.marshal"
    data = kept.read(name)
    if data is not None:
        with contextlib.suppress(Exception):  # damaged (cut short by a full disk, or not ours): made again
            return _validate(marshal.loads(data))
    text = fastjsonschema.compile_to_code(definition).replace(_UNFORMATTED, "")
    code = compile(text, f"<schema {part or 'file'}>", "exec")
    kept.write(name, marshal.dumps(code))
    return _validate(code)


def _validate(code):
    """The `validate` function that the compiled check's code defines."""
    namespace: dict = {}
    exec(code, namespace)
    return namespace["validate"]


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 60 else f'"{value[:57]}…"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_of(path) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "annotations"


ITEM_HELP = {
    "flags": "a flag name", "tags": "text", "author": "a name",
    "rebuts": "a reference (slug, slug#id or #id)", "retracts": "a reference (slug, slug#id or #id)",
    "supports": "a reference (slug, slug#id or #id)", "see": "a reference (slug, slug#id or #id) or an http(s) URL",
    "sources": "an http(s) URL, a reference (slug, slug#id or #id) or a {url, title} mapping", "annotations": "a mapping with at least a quote (quote: …)",
}
REFERENCE_ONLY = ("rebuts", "retracts", "supports")  # a URL here is reported where references are read
REFERENCES = REFERENCE_ONLY + ("see", "notice", "sources")  # fields that take references (SPEC 5)


def _type_mismatch(err, path) -> bool:
    """An error that only says the value at `path` is not of a branch's type."""
    if err.absolute_path != path:
        return False
    if err.validator in ("oneOf", "anyOf") and err.context:
        return all(_type_mismatch(c, path) for c in err.context)
    return err.validator == "type"


def _refined(err):
    """The errors that say what is wrong: inside a oneOf/anyOf, those of the branch whose type fits."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        subs = [c for c in err.context if not _type_mismatch(c, err.absolute_path)]
        if subs and all(len(c.absolute_path) > len(err.absolute_path)
                        or c.validator in ("required", "additionalProperties", "minItems", "oneOf", "anyOf") for c in subs):
            refined = [r for c in subs for r in _refined(c)]
            if all(len(r.absolute_path) > len(err.absolute_path)
                   or r.validator in ("required", "additionalProperties", "minItems") for r in refined):
                return refined
    return [err]


def _comment_hint(text: str | None, node, field: str, item: bool = False) -> str:
    """`rebuts: #claim` (or a list item `- #claim`) is a key and a comment in YAML: the value is empty. Say so."""
    at = node.start_mark.index if text is not None else -1
    written = re.match(r"[ \t]*(#[^\s,\]}]+)", text[at:at + 200]) if 0 <= at < len(text) else None
    fix = f'- "{written[1]}"' if written and item else f'{field}: "{written[1]}"' if written else ""
    return f' ("#" starts a comment in YAML: write it in quotes, {fix})' if written else ""


_REFERENCE = re.compile(r"([a-z0-9][a-z0-9_-]*(#[a-z0-9][a-z0-9_-]*)?|#[a-z0-9][a-z0-9_-]*)\Z")


def reference_like(written: str) -> str | None:
    """The reference a malformed one most likely means: `Report#A`, ` #abc `, `report.txt`,
    `content/report.md`, `articles/report/#abc`, `report##abc`, `report#` as `report#a`, `#abc`, `report`, `report#abc`,
    `report#abc`, `report`; None if none."""
    slug, _, anchor = written.strip().partition("#")
    slug = re.sub(r"^(?:\.\.?/)*(?:content/|annotations/|articles/)?", "", slug.strip())
    slug = re.sub(r"(?:/index\.html|/)$", "", slug)
    slug = re.sub(r"\.(?:txt|md|ya?ml|html?)$", "", slug, flags=re.I).lower()
    anchor = anchor.strip().lstrip("#").lower()  # (`report##a`; `report#`, its id left out, is the whole article)
    meant = slug + (f"#{anchor}" if anchor else "")
    return meant if meant != written and _REFERENCE.match(meant) else None


LISTS = ("flags", "tags", "sources")  # fields that take a list: a text there is most often the list without brackets


def url_like(written: str) -> str | None:
    """`www.example.com/x` or `example.org` as the http(s) URL it most likely means; None if not one."""
    value = written.strip()
    if re.match(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?\Z", value) and "@" not in value:
        return "https://" + value
    return None


def date_like(written: str) -> str | None:
    """The YYYY-MM-DD date that a date written otherwise most likely means (`2026/11/20`, `2026-1-5`, `20.11.2026`,
    `11/20/2026`, `2026-11-20T10:00`, `2026-11-20 10:00 CET`: a time and its zone are dropped); None when day and
    month cannot be told apart (`05/06/2026`), or for no date."""
    value = written.strip()
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\S.*)?", value):
        year, month, day = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value):
        first, second, year = m.groups()
        if first != second and max(int(first), int(second)) <= 12:
            return None
        day, month = (first, second) if int(first) > 12 or first == second else (second, first)
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def date_readings(written: str) -> tuple[str, str] | None:
    """The two dates a date with day and month in either order may be (`05/12/2026`: 5 December, or 12 May,
    as written in the United States), the one read day first first; None when date_like can tell."""
    if not (m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", written.strip())) or date_like(written):
        return None
    first, second, year = map(int, m.groups())
    try:
        return dt.date(year, second, first).isoformat(), dt.date(year, first, second).isoformat()
    except ValueError:
        return None


def _misspelt(err) -> set[str]:
    """The known fields that an unknown field of the mapping is the near miss of (`qoute:` for quote), or
    another name for (`citation:`): each is reported once, as the unknown field with the field it means, not
    also as a missing one."""
    allowed = list(err.schema.get("properties", {}))
    if err.schema.get("additionalProperties") is not False or not isinstance(err.instance, dict):
        return set()
    return {close for key in err.instance if key not in allowed
            for close in difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)} | {
        SYNONYMS[str(key).lower()] for key in err.instance
        if key not in allowed and SYNONYMS.get(str(key).lower()) in allowed}


# Other names for an annotation's fields, as other annotation tools, or newsrooms, call them
SYNONYMS = {**dict.fromkeys(("citation", "excerpt", "passage", "text", "selection", "extract", "quotation", "exact"), "quote"),
            **dict.fromkeys(("comment", "comments", "explanation", "remark", "remarks", "annotation", "body"), "note"),
            **dict.fromkeys(("author", "annotator", "editor", "reviewer", "who"), "by"),
            **dict.fromkeys(("rating", "ruling", "assessment"), "verdict"),
            **dict.fromkeys(("link", "links", "url", "urls", "evidence", "references"), "sources"),
            **dict.fromkeys(("label", "labels", "topic", "topics", "keyword", "keywords", "category", "categories",
                             "subject"), "tags"),
            **dict.fromkeys(("refutes", "contradicts", "rebuttal", "answers", "disputes", "debunks", "counters"), "rebuts"),
            **dict.fromkeys(("withdraws", "retraction"), "retracts"),
            **dict.fromkeys(("confirms", "corroborates"), "supports"),
            **dict.fromkeys(("related", "see_also", "seealso", "also"), "see"),
            **dict.fromkeys(("published", "created", "when"), "date"),
            **dict.fromkeys(("before",), "prefix"), **dict.fromkeys(("after",), "suffix")}


# A relation named from the other end (`rebutted_by: #x`): written on the passage that does it, it shows at both
INVERSES = {**dict.fromkeys(("rebutted_by", "refuted_by", "contradicted_by", "disputed_by", "answered_by", "rebuttals",
                             "debunked_by", "countered_by", "challenged_by"), "rebuts"),
            **dict.fromkeys(("retracted_by", "withdrawn_by"), "retracts"),
            **dict.fromkeys(("supported_by", "confirmed_by", "corroborated_by", "backed_by"), "supports")}


def _inverse(key, annotation: dict, file: str) -> str:
    """For a relation named from the other end: which annotation to write it on, and how."""
    relation = INVERSES.get(re.sub(r"[-\s]", "_", str(key).strip().lower()))
    if relation is None:
        return ""
    written = annotation[key] if isinstance(annotation[key], list) else [annotation[key]]
    others = [str(w).strip() for w in written if isinstance(w, str) and w.strip()]
    own = annotation.get("id")
    here, there = (f"#{own}", f"{Path(file).stem}#{own}") if isinstance(own, str) else \
        ("#<its id>", f"{Path(file).stem}#<its id>")
    by = f" ({', '.join(others)})" if others else ""
    if all(o.startswith("#") for o in others):
        write = f'"{here}"'
    elif all("#" in o for o in others):
        write = f'"{there}"'
    else:
        write = f'"{here}" (from another article\'s file, "{there}")'
    return (f"; a relation is written on the passage that does it, and shown at both ends: on the annotation that "
            f"{relation} this one{by}, write {relation}: {write}")


def _synonym(key, allowed) -> str:
    meant = SYNONYMS.get(str(key).lower())
    return f' (did you mean "{meant}"?)' if meant in allowed else ""


def _misplaced(key: str, path: list, part: str | None) -> str:
    """Where a field that belongs elsewhere goes: an annotation's field in the article's fields, `annotations:`
    indented under `article:` or in a Markdown article's front matter."""
    if (part == "article" and not path or path == ["article"]) and key in ("date", "author_name", "authors", "source"):
        meant = {"date": "published", "author_name": "author", "authors": "author", "source": "publication"}[key]
        return f' (did you mean "{meant}"?)'
    if part == "article" and not path and key in ("annotations", "quote", "note"):
        return "; annotations go in the article's annotation file, annotations/<slug>.yaml, not in its front matter"
    if (path == ["article"] or part == "article" and not path) and key in schema()["$defs"]["annotation"]["properties"]:
        where = 'under "annotations:"' if path else "in the article's annotation file, annotations/<slug>.yaml"
        return f'; "{key}" is a field of each annotation ({where}), not of the whole article'
    if not path and key in schema()["$defs"]["annotation"]["properties"]:
        return '; an annotation\'s fields go under "annotations:", each annotation a list item ("  - quote: …")'
    if path == ["article"] and key == "annotations":
        return '; "annotations:" starts at the beginning of its line, not indented under "article:"'
    return ""


def at_top(key: str, item: tuple[int, int] | None) -> str | None:
    """What a field of an annotation or of the article is, written at the top level of an annotation file (a
    line dedented by mistake), and where it belongs: under the annotation at `item` (line, column) when one
    is written above it; None for any other field."""
    if key in schema()["$defs"]["annotation"]["properties"]:
        what = f'"{key}" is a field of an annotation, written at the top level of the file'
        if item is not None:
            return (f'{what}: it belongs to the annotation on line {item[0]}, indented like its other fields '
                    f'("{" " * (item[1] - 1)}{key}: …")')
        return f'{what}: an annotation\'s fields go under "annotations:", each annotation a list item ("  - quote: …")'
    if key in schema()["$defs"]["article"]["properties"]:
        return f'"{key}" is a field of the article, written at the top level of the file: write it under "article:", indented ("  {key}: …")'
    return None


def _item_above(root, key: str) -> tuple[int, int] | None:
    """(line, column) of the annotation a top-level field that is one of an annotation's fields belongs to: the one
    written just above it (`note:` dedented to column 1 under an annotation), else, above the first, the only one
    without that field; else None."""
    if not isinstance(root, yamlsrc.MappingNode):
        return None
    at = yamlsrc.key_node_at(root, [key]).start_mark.line
    items = yamlsrc.node_at(root, ["annotations"])
    if not isinstance(items, yamlsrc.SequenceNode):
        return None
    items = [i for i in items.value if isinstance(i, yamlsrc.MappingNode)]
    above = [i for i in items if i.start_mark.line < at]
    lacking = [i for i in items if yamlsrc.entry(i, key) is None]
    return yamlsrc.where(above[-1]) if above else yamlsrc.where(lacking[0]) if len(lacking) == 1 else None


def schema_problems(data, root, part: str | None, file: str, line_offset: int, problems: Problems,
                    text: str | None = None) -> None:
    """Every schema error, located at its node, worded for annotators. `text`, the YAML the nodes were
    read from, lets an empty value written as a comment be said as such."""

    fast = _fast_validator(part)
    if fast is not None:
        try:
            fast(data)
            return
        except Exception:  # invalid: find and locate every error below
            pass

    def at(node):
        line, col = yamlsrc.where(node)
        return line + line_offset, col

    errors = [r for e in _validator(part).iter_errors(data) for r in _refined(e)]
    for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        field = _field_of(path)
        item = bool(path) and isinstance(path[-1], int)
        if not path:
            place = "front matter" if part == "article" else "the annotation file"
        elif item:
            place = "annotation" if field == "annotations" else f'an item of "{field}"'
        else:
            place = f'"{field}"'
        if err.validator == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in allowed:
                    node = yamlsrc.key_node_at(root, path + [key])
                    if not path and part is None and (said := at_top(str(key), _item_above(root, str(key)))):
                        problems.error(file, *at(node), said)
                        continue
                    inverse = _inverse(key, err.instance, file) if path and path[0] == "annotations" else ""
                    hint = inverse or _misplaced(key, path, part) or did_you_mean(key, allowed) or _synonym(key, allowed) \
                        or (f"; it takes {', '.join(allowed)}" if not path else "")
                    merge = yamlsrc.merged_by(yamlsrc.node_at(root, path), key)
                    merged = "" if merge is None else f' (merged in with "<<" on line {at(merge)[0]})'
                    problems.error(file, *at(node), f'unknown field "{key}" in {place}{merged}{hint}')
        elif err.validator == "required":
            node = yamlsrc.node_at(root, path)
            for key in [k for k in err.validator_value if k not in err.instance and k not in _misspelt(err)]:
                if part is None and isinstance(root, yamlsrc.MappingNode) and yamlsrc.entry(root, key) is not None \
                        and _item_above(root, key) == yamlsrc.where(node):
                    continue  # its "quote:" is written at the top level of the file: said there, as this one's
                problems.error(file, *at(node), f'{place} is missing "{key}"')
        elif err.validator == "dependentRequired":
            continue  # for editors: check_verdict (layer.py) says it, with what a claim is
        elif err.validator == "minItems":
            problems.error(file, *at(yamlsrc.node_at(root, path)), f'"{field}" should not be an empty list')
        elif field in ("id",) + REFERENCES and isinstance(err.instance, (bool, int, float)) \
                and is_slug(yamlsrc.raw_text(yamlsrc.node_at(root, path)) or ""):
            continue  # `id: 2024`, `see: 2024`: a text field takes its value as written (SPEC 3), here a slug
        elif field in REFERENCE_ONLY and isinstance(err.instance, str) and URL.match(err.instance):
            continue  # parse_annotations says why a URL does not belong here
        elif item and field == "flags" and isinstance(err.instance, (str, int, float, bool)):
            continue  # check_flags reports every name that is not a defined flag, with the nearest one
        else:
            node = yamlsrc.node_at(root, path)
            if item and field in ITEM_HELP:
                what, expected = ("an annotation" if field == "annotations" else place), ITEM_HELP[field]
            else:
                what, expected = f'"{field}"', HELP.get(field, err.message)
            hint = _comment_hint(text, node, field, item) if err.instance is None else ""
            if field == "annotations" and item and isinstance(err.instance, str) and (glued := colon_glued(err.instance)):
                hint = f" ({glued[1]})"  # `- quote:"…"`
            if field in REFERENCES and isinstance(err.instance, str) \
                    and (meant := reference_like(err.instance)):
                hint = f' (did you mean "{meant}"?)'
            elif field in ("url", "see", "notice", "sources") and isinstance(err.instance, str) and (meant := url_like(err.instance)):
                hint = f' (did you mean "{meant}"?)'
            elif field in ("date", "published") and isinstance(err.instance, str) and (meant := date_like(err.instance)):
                hint = f' (did you mean "{meant}"?)'
            elif field in ("date", "published") and isinstance(err.instance, str) and (both := date_readings(err.instance)):
                hint = f' (did you mean "{both[0]}" or "{both[1]}"? Day and month cannot be told apart)'
            elif field == "retracted" and isinstance(err.instance, (str, bool)):  # `retracted: 2013-01-05`, `retracted: true`
                when = date_like(err.instance) if isinstance(err.instance, str) else None
                hint = f" (the retraction's date and reason go under it: retracted: {{date: {when or 'YYYY-MM-DD'}, reason: …}})"
            elif field == "occurrence" and isinstance(err.instance, str) and err.instance.strip().isdigit() and int(err.instance) >= 1:
                hint = f" (write it without quotes: occurrence: {err.instance.strip()})"
            elif field in ITEM_HELP and not item and isinstance(err.instance, str) and re.match(r"-[^\s\-#'\"\[{]", err.instance) \
                    and node.start_mark.line > yamlsrc.key_node_at(root, path).start_mark.line:  # `tags:`, `-ms-13` below it
                hint = f" ({dash_glued_message(err.instance[1:].split(' - ')[0])})"
            elif field in LISTS and not item and isinstance(err.instance, str) and err.instance.strip():
                items = [i.strip() for i in err.instance.split(",") if i.strip()]
                if len(err.instance) <= 120 and all(re.fullmatch(r"[^\[\]{}#'\"]+", i) and ": " not in i for i in items):
                    hint = f" (a list is written in brackets: {field}: [{', '.join(items)}])"
            elif field == "by" and not item and isinstance(err.instance, list) and len(err.instance) > 1 \
                    and all(isinstance(name, str) and name.strip() for name in err.instance):  # `by: [maria, joe]`: two writers
                names = [" ".join(name.split()) for name in err.instance]
                hint = f' (a note has one "by": for several writers, name them in it: by: {", ".join(names[:-1])} and {names[-1]})'
            elif field in TEXTS and not item and isinstance(err.instance, (list, dict)) and node is not None \
                    and getattr(node, "flow_style", False) and node.start_mark.line == node.end_mark.line:
                written = text[node.start_mark.index:node.end_mark.index]  # `note: [citation needed]`
                shape, marks = ("list", "brackets") if isinstance(err.instance, list) else ("mapping", "braces")
                if len(written) <= 120:
                    escaped = written.replace("\\", "\\\\").replace('"', '\\"')
                    hint = (f' (in YAML, "{written[0]}…{written[-1]}" is a {shape}: to write the {marks} as text, put the '
                            f'value in quotes: {field}: "{escaped}")')
            elif field in ("verdict", "publish") and not item and isinstance(err.instance, list) and len(err.instance) == 1 \
                    and node is not None and (one := yamlsrc.raw_text(node.value[0])):  # `verdict: [false]`, as flags are written
                hint = f" (write the one name alone: {field}: {one})"
            elif field in ("note", "summary", "reason") and not item and isinstance(err.instance, list) and node is not None \
                    and not getattr(node, "flow_style", True) and err.instance and isinstance(err.instance[0], str):
                hint = (f' (for a list in the {field}, write "{field}: |" and the list\'s lines below it, indented: '
                        f'"- {printable(err.instance[0], 60)}")')
            written = err.instance
            if field == "id" and isinstance(written, (bool, int, float)) and node is not None:
                written = yamlsrc.raw_text(node)  # as written: `id: Yes` is no true/false to its writer
            if field == "id" and not item and isinstance(written, str) and slug_like(written):
                hint = f' (did you mean "{slug_like(written)}"?)'
            problems.error(file, *at(node), f"{what} should be {expected}, not {_describe(written)}{hint}")
