"""Located problems in a user's files, collected so that all are reported at once."""
from __future__ import annotations

import difflib
import json
import re
import shlex
from dataclasses import asdict, dataclass, field

# What a terminal or a log viewer may obey rather than show: C0 and C1 controls (escape sequences,
# bells, carriage returns), the invisible characters that reorder or break lines, and the lone
# surrogates that stand for bytes of a file name that is not UTF-8 (they cannot be printed at all).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_MESSAGE = 1000  # characters: a message quotes the user's text, which may be megabytes


def printable(text: str, limit: int | None = None, lines: bool = False) -> str:
    """Text safe to print on one line: unsafe characters shown as escapes (`\\x1b`), never obeyed;
    cut to `limit` characters with a note of how much was left out. `lines`: CR and LF are left as they are,
    for the caller to escape as its format does."""
    text = _UNSAFE.sub(lambda m: m.group() if lines and m.group() in "\r\n" else
                       m.group().encode("unicode_escape").decode("ascii"), text)
    if limit is not None and len(text) > limit:
        text = f"{text[: limit - 40]}… ({len(text) - limit + 40} more characters)"
    return text


def command_arg(path: str) -> str:
    """A path as it goes in a command we suggest: quoted for the shell, and never taken for an option
    (`./-site`, not `-site`)."""
    return shlex.quote("./" + path if path.startswith("-") else path)


def _github(text: str, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: %, CR and LF in data; also : and , in properties."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, at a place in a file (path relative to the site, 1-based line and column)."""

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __post_init__(self) -> None:  # every way out prints a message that is safe; `file` stays the
        # file's true name for JSON, and is made safe where it is printed; so are the message's line breaks,
        # which each format escapes its own way (JSON as \n, GitHub as %0A, text as a visible \n)
        object.__setattr__(self, "message", printable(self.message, MAX_MESSAGE, lines=True))

    def text(self) -> str:
        return f"{printable(self.file, 300)}:{self.line}:{self.col}: {self.severity}: {printable(self.message)}"

    def github(self, where: str = "") -> str:
        """A workflow command; `where` is the site's folder in the checkout, which GitHub's paths start from. CR
        and LF are escaped as GitHub's runner reads them back (a name with a newline is the file's true name,
        where "\\n" named no file)."""
        kind = "error" if self.severity == "error" else "warning"
        file = _github(printable(where + self.file, 300, lines=True), True)  # (cut first: a cut never splits "%0A")
        return f"::{kind} file={file},line={self.line},col={self.col}::{_github(self.message)}"


@dataclass
class Problems:
    """A collector handed through the stages: each stage adds, none stops at the first."""

    items: list[Problem] = field(default_factory=list)
    dated: bool = False  # a problem said depends on today's date (a date later than today): see read/load.py

    def error(self, file: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(file, line, col, message))

    def warning(self, file: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(file, line, col, message, "warning"))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)
        self.dated = self.dated or other.dated

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def sorted(self) -> list[Problem]:
        """Unique problems in file, line, column order."""
        seen, out = set(), []
        for p in sorted(self.items, key=lambda p: (p.file, p.line, p.col, p.message)):
            if p not in seen:
                seen.add(p)
                out.append(p)
        return out


class ProblemError(Exception):
    """Raised where a located problem (a template that fails, say) must stop the work; `problems` holds
    it and any others found with it (each page's template error, when every page was made)."""

    def __init__(self, problem: Problem, *more: Problem):
        super().__init__(problem.text())
        self.problems = [problem, *more]

    @property
    def problem(self) -> Problem:
        """The first (the one a caller that stops at one says)."""
        return self.problems[0]


def did_you_mean(name: str, candidates, cutoff: float = 0.6) -> str:
    """' (did you mean "x"?)' for the closest candidate, or '' when none is close, or when the closest two are
    equally close: of numbered names (`a00374` among a00001..a00999) a00373, a00375 and a00974 are each one digit
    away, and naming one of them (difflib's pick: the last in order) would be a guess."""
    close = difflib.get_close_matches(str(name), sorted(set(candidates)), n=2, cutoff=cutoff)
    if len(close) == 2:
        first, second = (difflib.SequenceMatcher(None, c, str(name)).ratio() for c in close)
        if first == second:
            return ""
    return f' (did you mean "{close[0]}"?)' if close else ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def as_json(problems: list[Problem]) -> str:
    """One JSON array. `file` is the file's true name, newlines and all (JSON escapes them); the bytes
    of a name that is not UTF-8 come as the escapes of lone surrogates (`\\udcff`), which Python's
    `json.loads` and `os.fsencode` turn back into the name."""
    text = json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
