"""Located problems in a user's files, collected so that all are reported at once."""
from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, at a place in a file (path relative to the site, 1-based line and column)."""

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def github(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.file},line={self.line},col={self.col}::{message}"


@dataclass
class Problems:
    """A collector handed through the stages: each stage adds, none stops at the first."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(file, line, col, message))

    def warning(self, file: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(file, line, col, message, "warning"))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

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
    """Raised where one located problem (a template that fails, say) must stop the work."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text())
        self.problem = problem


def did_you_mean(name: str, candidates, cutoff: float = 0.6) -> str:
    """' (did you mean "x"?)' for the closest candidate, or ''."""
    close = difflib.get_close_matches(str(name), sorted(set(candidates)), n=1, cutoff=cutoff)
    return f' (did you mean "{close[0]}"?)' if close else ""


def as_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)
