"""site.toml: read, check every key, fill defaults."""
from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem, Problems, did_you_mean, printable
from ..model import FlagDef, SiteConfig, VerdictDef
from ..slugs import is_slug, slug_like
from ..weburl import url_problem
from . import conflicts, files
from .content import decode

BUILTIN_FLAGS = {
    "anonymous-source": FlagDef(
        "anonymous-source", "Anonymous sourcing", "The passage rests on sources who are not named.", True
    ),
    "retraction": FlagDef(
        "retraction", "Retraction",
        "The claim was withdrawn or officially denied, or the passage withdraws another.", True,
    ),
    "rebuttal": FlagDef(
        "rebuttal", "Rebuttal", "The claim is argued against, or the passage argues against another.", True
    ),
}
BUILTIN_VERDICTS = {  # worst first (SPEC 6)
    "false": VerdictDef("false", "False", 1),
    "misleading": VerdictDef("misleading", "Misleading", 2),
    "unproven": VerdictDef("unproven", "Unproven", 3),
    "accurate": VerdictDef("accurate", "Accurate", 4),
}


def english_label(defn: FlagDef | VerdictDef) -> bool:
    """Whether a flag's or verdict's label is Glossator's own English one (not relabelled in site.toml): on a site in
    another language it is the interface's word, said lang="en" (heldout62: on a Turkish page, the capitals of
    "Anonymous sourcing" read "ANONYMOUS SOURCİNG", Turkish's dotted capital i)."""
    own = (BUILTIN_FLAGS if isinstance(defn, FlagDef) else BUILTIN_VERDICTS).get(defn.name)
    return own is not None and own.label == defn.label


KEYS = ("title", "description", "base_url", "language", "default_annotator", "output", "repo_url", "flags",
        "verdicts", "publish", "excerpt_words", "search")
TABLES = ("flags", "verdicts")
MAX_OUTPUT_NAME = 240  # bytes in a name of the output path: 255 on most systems, less `.NAME.new-xxxxxxxx` beside it
BOOLEAN_KEYS = ("search",)
FLAG_KEYS = ("label", "description")
VERDICT_KEYS = ("label", "rating")
FILE = "site.toml"


MAX_NAME = 100  # characters in a flag name, which names a folder: file systems allow 255 bytes
_URL_BAD = re.compile(r"[\x00-\x20\x7f<>\"'`{}|\\^?#]")


def base_url_problem(value: str) -> str | None:
    """Why a base_url (site.toml's or --base-url's) is not usable, or None: a valid http(s) URL
    (weburl's rule), or a path starting with one "/"; no quotes, query or fragment."""
    expected = 'should be an http(s) URL or a path starting with "/"'
    if _URL_BAD.search(value):
        return f"{expected}, without spaces, control characters, quotes, backslashes, \"?\" or \"#\""
    if value.startswith("//") or not (value.startswith("/") or re.match(r"^https?://", value, re.I)):
        # a host written without its scheme ("example.org/reading", "www.example.org"): propose it whole
        if (re.match(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:/|\Z)", value)
                and not url_problem("https://" + value)):
            return f'{expected}: did you mean "{_folder("https://" + value)}"?'
        return expected
    problem = url_problem(value, absolute=not value.startswith("/"))
    if problem:
        return f"{expected}: it {problem}"
    folder = _folder(value)
    if folder != value and folder != value + "/":
        return f'should be the address of the site\'s folder: did you mean "{folder}"?'
    return None


# forges whose page of a file is at <repository>/<route>/<branch>/<path>: the route, and the URL a repository's own is
_FORGE_ROUTES = {"github.com": "blob/main/", "gitlab.com": "-/blob/main/", "codeberg.org": "src/branch/main/"}


def repo_url_problem(value: str) -> str | None:
    """Why an http(s) repo_url cannot lead to a file, or None: each edit link is repo_url + the file's path +
    "#L<line>", so a query or fragment breaks them all, and on a forge the repository's own address (what a
    browser shows, or a clone URL) leads to no file."""
    if "?" in value or "#" in value:
        return 'should be the address of a folder, without "?" or "#": each edit link adds a file\'s path and "#L<line>"'
    parts = urlsplit(value)
    route = _FORGE_ROUTES.get((parts.hostname or "").lower())
    names = [name for name in parts.path.split("/") if name]
    if route is None or not names or len(names) > 2 and not names[-1].endswith(".git"):
        return None
    names[-1] = names[-1].removesuffix(".git")
    if len(names) == 1:
        return (f'is an account, not a folder of a repository\'s files: write it as '
                f'"{parts.scheme}://{parts.netloc}/{names[0]}/<repository>/{route}" (with your branch for main)')
    meant = f"{parts.scheme}://{parts.netloc}/{'/'.join(names)}/{route}"
    return (f"is the repository, not a folder of its files: edit links such as {value.rstrip('/')}/content/x.txt "
            f'lead nowhere; did you mean "{meant}" (with your branch for main, and the site\'s folder after it if it '
            "is not at the repository's top)?")


# a forge's folder at the top of a repository, on a branch: what repo_url is when the site is the whole repository
_FORGE_TOPS = {"github.com": r"/[^/]+/[^/]+/(?:blob|tree)/[^/]+/", "gitlab.com": r"/(?:[^/]+/)+-/(?:blob|tree)/[^/]+/",
               "codeberg.org": r"/[^/]+/[^/]+/src/branch/[^/]+/"}


def repo_url_warning(config: SiteConfig, prefix: str | None) -> list[Problem]:
    """Where the site is a folder of its git repository (`prefix`: "docs/reading/", as `history.repo` says it) and
    repo_url names the top of that repository on a forge (…/blob/main/), every edit link misses the folder."""
    parts = urlsplit(config.repo_url)
    top = _FORGE_TOPS.get((parts.hostname or "").lower())
    if not prefix or top is None or not re.fullmatch(top, parts.path):
        return []
    line, col = config.repo_url_at or (1, 1)
    return [Problem(FILE, line, col, f'repo_url "{config.repo_url}" is the top of the repository, but the site is its '
                    f'folder "{prefix}": edit links such as {config.repo_url}content/x.txt lead nowhere; did you mean '
                    f'"{config.repo_url}{prefix}"?', "warning")]


def _folder(base_url: str) -> str:
    """A base_url's folder written plainly: the path's "//" as "/", "." and ".." resolved, a page's name
    left out (`https://example.org//reading/index.html` -> `https://example.org/reading/`). Every link
    starts with base_url's path, and a browser reads `//reading/…` as another host, `…/index.html/` as
    no page."""
    start = base_url.find("/", base_url.find("//") + 2) if "://" in base_url else 0
    head, path = (base_url[:start], base_url[start:]) if start >= 0 else (base_url, "/")
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part not in ("", "."):
            parts.append(part)
    if parts and re.search(r"\.(?:html?|php)\Z", parts[-1], re.I):
        parts.pop()
    return head + "/" + "".join(p + "/" for p in parts)


def _key(parts: tuple[str, ...]) -> str:
    """A pattern for a dotted TOML key, each part written bare or quoted (`flags."Bad Name"`)."""
    forms = []
    for part in parts:
        written = [json.dumps(part, ensure_ascii=False), f"'{part}'"] + ([part] if re.fullmatch(r"[A-Za-z0-9_-]+", part) else [])
        forms.append("(?:" + "|".join(map(re.escape, written)) + ")")
    return r"\s*\.\s*".join(forms) + r"(?=\s*[\].=])"


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")  # zero-width characters: nothing shows them


def _output_meant(output: str) -> str | None:
    """The folder meant by an output whose name has white space at an end of a part (`"_site "`), or an
    invisible character; None where it has neither (a space inside a name, "my site", is a name)."""
    parts = output.split("/")
    if all(part == part.strip() for part in parts) and not _INVISIBLE.search(output):
        return None
    meant = "/".join(p for p in (_INVISIBLE.sub("", part).strip() for part in parts) if p)
    return meant or "_site"


def _line_of(text: str, key: str | tuple[str, ...], table: tuple[str, ...] | None = None) -> tuple[int, int]:
    """Best-effort position of a key (tomllib keeps none): `key` is one part, or the parts of a dotted key
    (then also looked for as its last part under a table of the others: `[flags]` then `"Bad Name" = {…}`)."""
    parts = (key,) if isinstance(key, str) else key
    lines = text.splitlines()
    start = 0
    if table:
        for i, line in enumerate(lines):
            if re.match(rf"\s*\[\s*{_key(table)}\s*\]", line):
                start = i
                break
    written = re.compile(rf"(\s*)(\[\s*)?{_key(parts)}")
    for i in range(start, len(lines)):
        m = written.match(lines[i])
        if m:
            return i + 1, len(m.group(1)) + 1
    return _line_of(text, parts[-1:], parts[:-1]) if len(parts) > 1 and not table else (1, 1)


def _words(value) -> str | None:
    """Text as a page shows it: runs of white space as one space, none at the ends; blank (or not
    text, reported) as None, so that the default stands in (an empty <title> is invalid HTML, a blank
    flag word an invisible one)."""
    return " ".join(value.split()) or None if isinstance(value, str) else None


WHOLE = re.compile(r"[0-9]+")


def _unquoted(key: str, value, valid) -> str:
    """' (write it without quotes: search = false)' for a value put in quotes that is right without them."""
    if not isinstance(value, str):
        return ""
    bare = value.strip()
    ok = bare in valid if isinstance(valid, tuple) else bool(valid.fullmatch(bare))
    return f" (write it without quotes: {key} = {bare})" if ok else ""


def _shown(value) -> str:
    """A TOML value as a message names it: `"40"` (text, quoted), `true`, `the number 5`, `a list`."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.time)):
        return f"the date {value.isoformat()}"
    return "a list" if isinstance(value, list) else "a table"


_BARE_KEY = r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'"
_ASSIGN = re.compile(rf"\s*((?:{_BARE_KEY})(?:\s*\.\s*(?:{_BARE_KEY}))*)\s*=\s*")
_HEADER = re.compile(r"\s*\[\s*([^\]\[]+?)\s*\]")


def _toml_cause(text: str, line: int, col: int, message: str) -> tuple[int, int, str]:
    """(line, col, message) of a TOML syntax error, said as the usual slip it is where one is seen: a key
    set twice, a table declared twice, text without quotes, True or yes for true, a string never closed,
    `key: value`. Otherwise tomllib's own."""
    rows = text.split("\n")
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    assign = _ASSIGN.match(row)
    if message == "Cannot overwrite a value" and assign:
        key = assign.group(1)
        first = None
        for i in range(line - 2, -1, -1):  # within its table
            if _HEADER.match(rows[i]):
                break
            if (a := _ASSIGN.match(rows[i])) and a.group(1) == key:
                first = i + 1
                break
        above = f" (first on line {first})" if first else ""
        return line, len(row) - len(row.lstrip()) + 1, f'"{key}" is set twice{above}: keep one'
    if message.startswith("Cannot declare") and (header := _HEADER.match(row)):
        name = header.group(1)
        first = next((i + 1 for i in range(line - 1) if (h := _HEADER.match(rows[i])) and h.group(1) == name), None)
        above = f" (first on line {first})" if first else ""
        return line, len(row) - len(row.lstrip()) + 1, f"[{name}] is declared twice{above}: put its keys under one"
    if message == "Invalid value" and assign:
        value = row[assign.end():].split(" #", 1)[0].strip()
        if value in ("True", "False", "TRUE", "FALSE", "yes", "no", "Yes", "No", "on", "off"):
            word = "true" if value.lower() in ("true", "yes", "on") else "false"
            return line, col, f"{value} is not a TOML value: write {assign.group(1)} = {word} (lowercase, no quotes)"
        if not value:
            return line, col, f"{assign.group(1)} has no value: give it one, or remove the line"
        if value[0] not in "\"'[{0123456789+-":
            shown = value.replace("\\", "\\\\").replace('"', '\\"')
            return line, col, f'text needs quotes: {assign.group(1)} = "{shown}"'
    if message == "Illegal character '\\n'" and assign and row[assign.end():assign.end() + 1] in ("\"", "'"):
        q = row[assign.end()]
        return line, assign.end() + 1, f"this text is never closed: end it with {q} on its line"
    if message in ("Unterminated string", "Expected \"'\"") and line == len(text.rstrip("\n").split("\n")):
        # (a text still open where the file ends: at its opening, a '''/""" one's on a line above)
        for i in range(line - 1, -1, -1):
            for q3 in ('"""', "'''"):
                if rows[i].count(q3) % 2:
                    return i + 1, rows[i].rindex(q3) + 1, f"this text is never closed: end it with {q3}"
        if assign and row[assign.end():assign.end() + 1] in ("\"", "'"):
            q = row[assign.end()]
            return line, assign.end() + 1, f"this text is never closed: end it with {q} on its line"
    if message.startswith("Unescaped '\\'"):
        return line, col, f"{message}: in \"…\" a backslash starts an escape; write \\\\ for a backslash, or put the text in '…'"
    if message.startswith("Expected newline or end of document") and assign and 1 < col <= len(row) + 1 \
            and row[col - 2] in ("'", '"') and row[assign.end():assign.end() + 1] == row[col - 2]:
        q = row[col - 2]
        other = '"' if q == "'" else "'"
        return line, col, f"the text goes on after its closing {q}: put text with {q} in it in {other}…{other}"
    if message.startswith("Expected '=' after a key") and re.match(r"\s*[A-Za-z0-9_.-]+\s*:", row):
        key = row.split(":", 1)[0].strip()
        return line, col, f"{message}: site.toml is TOML, written {key} = value (not {key}: value)"
    return line, col, message


_TABLE = re.compile(rf"\s*\[\s*((?:{_BARE_KEY})(?:\s*\.\s*(?:{_BARE_KEY}))*)\s*\][ \t]*(?:#.*)?")  # a whole header line
_KEY_START = re.compile(rf"\s*((?:{_BARE_KEY})(?:\s*\.\s*(?:{_BARE_KEY}))*)")
_KEY_ALONE = re.compile(rf"{_KEY_START.pattern}\s*(?:#.*)?")
_STATEMENT = re.compile(rf"{_ASSIGN.pattern}|\s*\[")  # a line that starts a statement: `key =`, or a header


def _parts(key: str) -> tuple[str, ...]:
    """A dotted key's parts, unquoted (`flags."a b"` -> ("flags", "a b"))."""
    return tuple(part.strip("\"'") for part in re.findall(_BARE_KEY, key))


@dataclass(frozen=True, slots=True)
class Blanked:
    """What a syntax error other than a key or table given twice left out of site.toml (its lines blanked)."""

    tables: frozenset  # the tables, as key parts, a line of which was left out (their required keys may be in it)
    defs_unknown: bool = False  # what was left out may have defined flags or verdicts: they are unknown, not wrong


def _parse(text: str, problems: Problems) -> tuple[dict, str, Blanked]:
    """tomllib's reading of `text`, the text it read, and what was left out of it. Each syntax error is
    reported and its statement blanked out (its lines kept, as blank lines, so that positions hold), and the
    file read again, so that the rest of the file, and the flags and verdicts that annotations are checked
    against, are still checked at once: a key set twice or a table declared twice loses the later one (the
    first is what the site meant); a broken line (a quote never closed, a key with no value) loses that line,
    and a broken table header its whole table. Where the statement cannot be told apart from the rest (a
    value running on over lines, a string open to the end), the error is raised: what follows it cannot be
    read with confidence."""
    tables, defs_unknown = set(), False
    for _ in range(100):
        try:
            return tomllib.loads(text), text, Blanked(frozenset(tables), defs_unknown)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
            if "(at end of document)" in str(exc):  # where the text stops: the last line that has any
                lines = text.rstrip("\n").split("\n")
                line, col = len(lines), len(lines[-1]) + 1
            message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
            line, col, message = _toml_cause(text, line, col, message)
            problems.error(FILE, line, col, f"TOML syntax: {message}")
            rows = text.split("\n")
            row = rows[line - 1] if 0 < line <= len(rows) else ""
            if " is set twice" in message and _single_line(row):
                rows[line - 1] = ""
            elif " is declared twice" in message:
                end = next((i for i in range(line, len(rows)) if _HEADER.match(rows[i])), len(rows))
                rows[line - 1:end] = [""] * (end - line + 1)
            elif not _on_its_own(rows, line):
                raise
            else:
                table = next((_parts(h.group(1)) for i in range(line - 2, -1, -1)
                              if (h := _TABLE.fullmatch(rows[i]))), ())  # the table the line is in
                tables.add(table)  # (a key of the table above, a rating, say, may be on the line)
                if _header_like(row):  # its keys would land in the table above: they go with it
                    end = next((i for i in range(line, len(rows)) if _TABLE.fullmatch(rows[i])), len(rows))
                    if not _single_line("\n".join(rows[line:end])):
                        raise  # (where its table ends is not sure: a line of a value in it may look like a header)
                    rows[line - 1:end] = [""] * (end - line + 1)
                    defs_unknown = True  # (it may be a flag's or a verdict's, or the [flags] table itself)
                else:
                    key = _KEY_START.match(row)  # (`title "A"`, with no "=", names its key too)
                    if not key or (table + _parts(key.group(1)))[:1] in (("flags",), ("verdicts",)) and len(table) < 2:
                        defs_unknown = True  # (a flag or a verdict, or all of them, may be written on that line alone)
                    rows[line - 1] = ""
            text = "\n".join(rows)
    raise tomllib.TOMLDecodeError("too many syntax errors")


def _header_like(row: str) -> bool:
    """Whether a line that does not read may be a table's header: no `key =` (a bracket in it, or a key alone)."""
    return not _ASSIGN.match(row) and bool(re.search(r"[\[\]]", row) or _KEY_ALONE.fullmatch(row))


def _on_its_own(rows: list[str], line: int) -> bool:
    """Whether the statement on `line` (1-based), where a syntax error was found, can be left out alone: the
    file reads up to it (it starts a statement: the error is not inside a value begun above), it opens no
    multi-line string, and the next line that says anything starts another (it does not run on)."""
    if rows[line - 1].count('"""') % 2 or rows[line - 1].count("'''") % 2:
        return False  # (the lines below, up to its end, are text: read as statements, they would say false mistakes)
    try:
        tomllib.loads("\n".join(rows[:line - 1]))
    except tomllib.TOMLDecodeError:
        return False
    after = next((r for r in rows[line:] if r.strip() and not r.lstrip().startswith("#")), None)
    return after is None or bool(_STATEMENT.match(after))


def _single_line(row: str) -> bool:
    """Whether `row` is a whole `key = value` on its own (no value running on to the next lines), or lines
    that read on their own."""
    try:
        tomllib.loads(row)
    except tomllib.TOMLDecodeError:
        return False
    return True


# A language tag (BCP 47) as the pages' lang takes it: a language of 2 or 3 letters (ISO 639; the 4- and
# 5-to-8-letter forms are reserved, and the Nu HTML checker rejects lang="English"), then subtags; or a
# private-use ("x-…") or grandfathered ("i-…") tag.
LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}|[xXiI](?:-[A-Za-z0-9]{1,8}){1,6})")
LANGUAGE_NAMES = {  # a language written by its name, in English or in itself (without accents), and its tag
    "english": "en", "french": "fr", "francais": "fr", "spanish": "es", "espanol": "es", "castellano": "es",
    "german": "de", "deutsch": "de", "italian": "it", "italiano": "it", "portuguese": "pt", "portugues": "pt",
    "dutch": "nl", "nederlands": "nl", "arabic": "ar", "hebrew": "he", "russian": "ru", "ukrainian": "uk",
    "polish": "pl", "polski": "pl", "turkish": "tr", "turkce": "tr", "greek": "el", "chinese": "zh",
    "japanese": "ja", "korean": "ko", "hindi": "hi", "persian": "fa", "farsi": "fa", "swedish": "sv",
    "svenska": "sv", "danish": "da", "dansk": "da", "norwegian": "no", "norsk": "no", "finnish": "fi",
    "suomi": "fi", "czech": "cs", "romanian": "ro", "hungarian": "hu", "magyar": "hu", "catalan": "ca",
    "catala": "ca", "basque": "eu", "euskara": "eu", "galician": "gl", "indonesian": "id", "vietnamese": "vi",
    "thai": "th", "urdu": "ur", "bengali": "bn", "swahili": "sw", "kiswahili": "sw",
}


def _tag_meant(language: str) -> str:
    """' (did you mean "en"?)' for a language given by its name ("English", "Français") or as a locale
    ("en_US", "pt_BR.UTF-8"); '' when nothing is likely."""
    locale = re.fullmatch(r"([A-Za-z]{2,3})_([A-Za-z]{2}|[0-9]{3})(?:\.[\w-]+)?(?:@\w+)?", language)
    if locale:
        return f' (did you mean "{locale[1].lower()}-{locale[2].upper()}"?)'
    name = slug_like(language.split("(")[0].strip()) or ""
    if name in LANGUAGE_NAMES:
        return f' (did you mean "{LANGUAGE_NAMES[name]}"?)'
    return ""


_TOML_TOKEN = re.compile(r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[{]|[\]}]', re.S)


def _too_deep(text: str, deepest: int = 100) -> tuple[int, int]:
    """Line and column where brackets and braces first nest `deepest` levels deep, strings and comments
    skipped (1, 1 where they never do): where a site.toml that tomllib cannot follow goes wrong."""
    depth = 0
    for m in _TOML_TOKEN.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth >= deepest:
                return text.count("\n", 0, m.start()) + 1, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        elif token in "]}":
            depth = max(depth - 1, 0)
    return 1, 1


def load_config(site: Path, problems: Problems) -> SiteConfig:
    path = site / FILE
    kind = files.inspect(site, path, FILE, problems)
    if kind == files.FOLDER:
        problems.error(FILE, 1, 1, "site.toml is a folder, but it should be a file: rename or remove it")
    data = files.read(path, FILE, problems, files.MAX_CONFIG) if kind == files.FILE else None
    text = None if data is None else decode(data, FILE, problems)
    if text is None or conflicts.report(text, FILE, problems):
        return SiteConfig(flags=dict(BUILTIN_FLAGS), verdicts=dict(BUILTIN_VERDICTS),
                          unread=path.exists() or path.is_symlink())
    try:
        data, text, blanked = _parse(text, problems)
    except tomllib.TOMLDecodeError:
        return SiteConfig(flags=dict(BUILTIN_FLAGS), verdicts=dict(BUILTIN_VERDICTS), unread=True)
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        line, col = _too_deep(text)
        problems.error(FILE, line, col, "site.toml nests arrays or tables hundreds of levels deep here: refused")
        return SiteConfig(flags=dict(BUILTIN_FLAGS), verdicts=dict(BUILTIN_VERDICTS), unread=True)
    except ValueError:  # a number past Python's limit on digits read (4,300): tomllib raises no TOMLDecodeError for it
        m = re.search(r"[0-9][0-9_]{999,}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1 if m else 1
        digits = len(m.group().replace("_", "")) if m else 0
        problems.error(FILE, line, col, f"a number of {digits} digits, longer than any value of site.toml can be: refused"
                       if m else "a number longer than any value of site.toml can be: refused")
        return SiteConfig(flags=dict(BUILTIN_FLAGS), verdicts=dict(BUILTIN_VERDICTS), unread=True)

    values: dict = {}
    for key, value in data.items():
        line, col = _line_of(text, key)
        site_keys = [k for k in value if k in KEYS and k not in TABLES] if isinstance(value, dict) and key not in KEYS else []
        if site_keys:  # `[site]` or `[params]` over base_url, as other generators' files have it
            problems.error(FILE, line, col, f'unknown table [{key}]: the site\'s keys ({", ".join(site_keys)}) are written at '
                                            f'the top of site.toml, in no table: remove the line [{key}] and keep them above '
                                            'any other [table]')
        elif key not in KEYS:
            problems.error(FILE, line, col, f'unknown key "{key}"' + (did_you_mean(key, KEYS) or
                                                                       f' (the keys of site.toml are {", ".join(KEYS)})'))
        elif key in TABLES:
            continue
        elif key in BOOLEAN_KEYS:
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.error(FILE, line, col, f'"{key}" should be true or false, not {_shown(value)}'
                               + _unquoted(key, value, ("true", "false")))
        elif key == "excerpt_words":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                values[key] = value
            else:
                problems.error(FILE, line, col, f'"excerpt_words" should be a whole number, 0 or more, not {_shown(value)}'
                               + _unquoted(key, value, WHOLE))
        elif key == "publish" and value not in ("full", "excerpts"):
            problems.error(FILE, line, col, f'"publish" should be "full" or "excerpts", not {_shown(value)}'
                           + did_you_mean(str(value), ("full", "excerpts")))
        elif not isinstance(value, str):
            problems.error(FILE, line, col, f'"{key}" should be text, not {_shown(value)}')
        else:
            values[key] = value

    base_url = values.get("base_url", "/")
    wrong = base_url_problem(base_url)
    if wrong:
        line, col = _line_of(text, "base_url")
        problems.error(FILE, line, col, f'base_url "{base_url}" {wrong}')
        base_url = "/"
    if not base_url.endswith("/"):
        base_url += "/"
    language = values.get("language", "en")
    if not LANGUAGE_TAG.fullmatch(language):  # it names files, and the pages' lang
        line, col = _line_of(text, "language")
        problems.error(FILE, line, col, f'language "{printable(language, 60)}" should be a language tag such as '
                                        '"en", "pt-BR" or "zh-Hant"' + _tag_meant(language))
        language = "en"
    output = values.get("output", "_site")
    if (meant := _output_meant(output)) is not None:  # a build made a folder "_site " that listings show as "_site"
        line, col = _line_of(text, "output")
        problems.error(FILE, line, col, f"output {json.dumps(output)} has white space at an end of a folder's name, or "
                                        f'an invisible character, which no listing shows: write "{meant}"')
        output = "_site"
    elif re.search(r"[\x00-\x1f\x7f]", output) or Path(output).is_absolute() or ".." in Path(output).parts or output in ("", "."):
        line, col = _line_of(text, "output")
        problems.error(FILE, line, col, f'output "{output}" must be a folder inside the site, its name without control characters')
        output = "_site"
    elif output.startswith(("~", "$")):  # a shell would expand these; a build would make a folder named "~"
        line, col = _line_of(text, "output")
        problems.error(FILE, line, col, f'output "{printable(output, 120)}" must be a folder inside the site: '
                                        f'"{output[0]}" is not expanded here, it would name a folder "{Path(output).parts[0]}" '
                                        'in the site; to build elsewhere, use glossator build --out DIR')
        output = "_site"
    elif any(len(os.fsencode(part)) > MAX_OUTPUT_NAME for part in Path(output).parts):
        line, col = _line_of(text, "output")
        problems.error(FILE, line, col, f'output "{printable(output, 120)}" has a name too long for a folder: at most '
                                        f"{MAX_OUTPUT_NAME} bytes each (a build names folders beside it after it)")
        output = "_site"
    elif Path(output).parts[0] in files.SOURCES:  # what build refuses: said by check as well, at its line
        line, col = _line_of(text, "output")
        problems.error(FILE, line, col, f'output "{output}" is inside the site\'s own {Path(output).parts[0]}: '
                                        'choose a folder of its own, such as "_site"')
        output = "_site"

    repo_url = values.get("repo_url", "")
    if repo_url and (url_problem(repo_url) or not re.match(r"^https?://[^/]+/", repo_url)):
        line, col = _line_of(text, "repo_url")
        problems.error(FILE, line, col, f'repo_url "{repo_url}" should be an http(s) URL, such as '
                       '"https://github.com/org/site/blob/main/"')
        repo_url = ""
    elif repo_url and (wrong := repo_url_problem(repo_url)):
        line, col = _line_of(text, "repo_url")  # (a warning: the site is whole without its edit links, left out)
        problems.warning(FILE, line, col, f'repo_url "{repo_url}" {wrong}; the pages are built without edit links')
        repo_url = ""
    if repo_url and not repo_url.endswith("/"):
        repo_url += "/"

    flags = dict(BUILTIN_FLAGS)
    table = data.get("flags", {})
    if not isinstance(table, dict):
        problems.error(FILE, *_line_of(text, "flags"), '"flags" should be a table: [flags.NAME]')
        table = {}
    for name, spec, _ in _named_tables(text, "flags", "flag", table, FLAG_KEYS, problems):
        for key, value in spec.items():
            if key in FLAG_KEYS and not isinstance(value, str):
                problems.error(FILE, *_line_of(text, key, ("flags", name)), f'flags.{name}.{key} should be text, not {_shown(value)}')
        base = BUILTIN_FLAGS.get(name)
        label = _words(spec.get("label"))
        desc = spec.get("description") if isinstance(spec.get("description"), str) else None
        flags[name] = FlagDef(
            name,
            label or (base.label if base else name.replace("-", " ").capitalize()),
            desc if desc is not None else (base.description if base else ""),
            bool(base),
        )

    return SiteConfig(
        verdicts=load_verdicts(text, data.get("verdicts", {}), problems, blanked),
        publish=values.get("publish", "full"),
        excerpt_words=values.get("excerpt_words", 40),
        title=_words(values.get("title")) or "Glossator site",
        description=values.get("description", ""),
        base_url=base_url,
        base_url_at=_line_of(text, "base_url") if "base_url" in values else None,
        language=language,
        default_annotator=_words(values.get("default_annotator")) or "",
        output=output,
        output_refused=output != values.get("output", "_site"),  # (each refusal above falls back to "_site")
        repo_url=repo_url,
        repo_url_at=_line_of(text, "repo_url") if repo_url else None,
        flags=flags,
        search=values.get("search", True),
        unread=blanked.defs_unknown,
    )


def load_verdicts(text: str, table, problems: Problems,
                  blanked: Blanked = Blanked(frozenset())) -> dict[str, VerdictDef]:
    """The verdict scale, worst first. A [verdicts] table that names only built-in verdicts relabels
    (or re-rates) them; one that names any other verdict is the site's whole scale. `blanked`: what syntax
    errors left out (a rating missing may be there; a verdict left out may have made the scale the site's own,
    so ratings that seem shared are not said)."""
    if not isinstance(table, dict):
        problems.error(FILE, *_line_of(text, "verdicts"), '"verdicts" should be a table: [verdicts.NAME]')
        return dict(BUILTIN_VERDICTS)
    own = any(name not in BUILTIN_VERDICTS for name in table)
    scale = {} if own else dict(BUILTIN_VERDICTS)
    for name, spec, (line, col) in _named_tables(text, "verdicts", "verdict", table, VERDICT_KEYS, problems):
        for key, value in spec.items():
            kline, kcol = _line_of(text, key, ("verdicts", name))
            if key == "label" and not isinstance(value, str):
                problems.error(FILE, kline, kcol, f"verdicts.{name}.label should be text, not {_shown(value)}")
            elif key == "rating" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                problems.error(FILE, kline, kcol, f"verdicts.{name}.rating should be a whole number, 1 (the worst) or more, "
                                                  f"not {_shown(value)}" + _unquoted(key, value, re.compile(r"[1-9][0-9]*")))
        base = BUILTIN_VERDICTS.get(name)
        rating = spec.get("rating")
        if not (isinstance(rating, int) and not isinstance(rating, bool) and rating >= 1):
            misspelt = any(difflib.get_close_matches(str(key), VERDICT_KEYS, 1, 0.6) == ["rating"] for key in spec
                           if key not in VERDICT_KEYS)  # `ratng = 2`: said once, as an unknown key
            if base is None and "rating" not in spec and not misspelt and ("verdicts", name) not in blanked.tables:
                problems.error(FILE, line, col, f'verdicts.{name} needs a "rating": a whole number, 1 the worst')
            rating = base.rating if base else 1
        label = _words(spec.get("label"))
        scale[name] = VerdictDef(name, label or (base.label if base else name.replace("-", " ").capitalize()), rating)
    if not blanked.defs_unknown:
        _same_ratings(text, table, scale, problems)
        if not own:
            _builtin_ends(text, table, scale, problems)
    return dict(sorted(scale.items(), key=lambda kv: (kv[1].rating, kv[0])))


def _builtin_ends(text: str, table: dict, scale: dict[str, VerdictDef], problems: Problems) -> None:
    """An error at each rating site.toml gives a built-in verdict that puts "false" anywhere but at the bottom of
    the built-in scale, or "accurate" anywhere but at the top (`rating = 1` for "accurate", meant as first place):
    pages and ClaimReview would rate a false claim the best. The two between may trade places."""
    worst, best = scale["false"].rating, scale["accurate"].rating
    for name, verdict in scale.items():
        spec = table.get(name) if isinstance(table.get(name), dict) else {}
        if isinstance(spec.get("rating"), bool) or spec.get("rating") != verdict.rating:
            continue  # not re-rated here, or rated wrong (an error of its own)
        if name in ("false", "accurate"):  # the other end when it is passed, else the nearest verdict passed
            other = scale["accurate" if name == "false" else "false"]
            sign = 1 if name == "false" else -1
            passed = [v for v in scale.values() if sign * v.rating < sign * verdict.rating]
            passed = other if other in passed else max(passed, key=lambda v: sign * v.rating, default=None)
        else:
            passed = scale["false"] if verdict.rating < worst else scale["accurate"] if verdict.rating > best else None
        if passed is not None:
            side = "above" if verdict.rating > passed.rating else "below"
            problems.error(FILE, *_line_of(text, "rating", ("verdicts", name)),
                           f'verdicts.{name} has rating {verdict.rating}, {side} "{passed.label}" ({passed.rating}): on the '
                           'built-in scale "false" is the worst and "accurate" the best (ratings go up from 1, the worst); '
                           'rate it in its place, or name verdicts of your own for a scale of your own')


def _same_ratings(text: str, table: dict, scale: dict[str, VerdictDef], problems: Problems) -> None:
    """Warn at each rating site.toml gives that another verdict of the scale has too: pages and ClaimReview
    would show the two as equally good or bad. A rating written wrong (`rating = 0`) is an error of its own, and
    the 1 read in its place while the check goes on is no rating to compare; so is the 1 of a verdict of the
    site's own that gives none (an error too)."""
    first: dict[int, str] = {}
    for name, verdict in scale.items():
        spec = table.get(name) if isinstance(table.get(name), dict) else {}
        if "rating" not in spec and name not in BUILTIN_VERDICTS:
            continue
        written = spec.get("rating", verdict.rating)
        if isinstance(written, bool) or written != verdict.rating:
            continue
        other = first.setdefault(verdict.rating, name)
        if other != name:
            said = name if isinstance(table.get(name), dict) and "rating" in table[name] else other
            problems.warning(FILE, *_line_of(text, "rating", ("verdicts", said)),
                             f"verdicts.{said} has rating {verdict.rating}, as verdicts.{other if said == name else name} "
                             "does: on a scale each verdict has a place of its own (pages and ClaimReview show the two "
                             "as equally good or bad); give one of them another rating")


def _named_tables(text: str, table_name: str, what: str, table: dict, keys, problems: Problems):
    """(name, spec, (line, col)) of each well-formed [<table_name>.<name>] table (a name that is not a slug: the
    slug it was meant to be, so that the rest of the site is checked as if it were fixed); every name that
    is not a slug, every value that is not a table and every unknown key reported."""
    for name, spec in table.items():
        line, col = _line_of(text, (table_name, name))
        if len(name) > MAX_NAME:
            problems.error(FILE, line, col, f'{what} name "{name[:20]}…" is too long ({len(name)} characters; at most {MAX_NAME}): it names a folder of the site')
            continue
        meant = name
        if not is_slug(name):
            meant = slug_like(name)
            hint = f' (did you mean "{meant}"?)' if meant else ""
            problems.error(FILE, line, col, f'{what} name "{name}" should be lowercase letters, digits, "-" or "_"{hint}')
            if not meant or meant in table:
                continue
            # the rest of the site is checked as if the fix were made: an annotation's "Paid Content", or the
            # "paid content" it was meant to be, is then an unknown flag that proposes "paid-content"
        if not isinstance(spec, dict):
            hint = (f' (write it as a table of its own: [{table_name}.{name}] and below it {keys[0]} = "{spec}")'
                    if isinstance(spec, str) and len(spec) <= 80 and '"' not in spec and "\\" not in spec else "")
            problems.error(FILE, line, col, f'{table_name}.{name} should be a table with "{keys[0]}" and "{keys[1]}"{hint}')
            continue
        for key in spec:
            if key not in keys:
                hint, table = did_you_mean(key, keys), f"{table_name}.{name}"
                site_key = key if key in KEYS else next(iter(difflib.get_close_matches(key, KEYS, 1, 0.6)), None)
                if not hint and site_key:  # `search = false` added at the end of the file: TOML gives it to the table
                    hint = (f' (did you mean the site\'s "{site_key}"? a key written below [{table}] belongs to it: '
                            f'put {site_key} above the first [table] of the file)')
                hint = hint or f' (the keys of [{table}] are {" and ".join(keys)})'
                problems.error(FILE, *_line_of(text, key, (table_name, name)), f'unknown key "{key}" in {table}{hint}')
        yield meant, spec, (line, col)
