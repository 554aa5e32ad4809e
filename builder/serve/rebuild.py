"""What one rebuild of serve did: the terminal line, the status endpoint and the tests read it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


def duration(seconds: float) -> str:
    """Seconds as the terminal says them: "103 ms", "2.41 s"."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


@dataclass
class Rebuild:
    """What one rebuild did: the terminal line, the status endpoint and the tests read it."""

    trigger: list[str]  # changed source files, relative to the site ([] for the first build)
    kind: str  # initial | articles | structure | templates | config | static | git | broken
    ok: bool = True
    rendered: list[str] = field(default_factory=list)  # pages rendered, in order
    written: list[str] = field(default_factory=list)  # pages whose bytes changed
    removed: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)  # pages rendered and served in the first step
    first_ms: float | None = None
    ms: float = 0.0
    interrupted: bool = False
    problems: list[str] = field(default_factory=list)
    slowest: list[tuple[str, float]] = field(default_factory=list)  # the five slowest pages, ms

    def as_dict(self) -> dict:
        return asdict(self)

    def trigger_text(self) -> str:
        names = self.trigger
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "change"

    def summary(self, left: int) -> str:
        """The terminal line; `left`: pages an interrupted rebuild leaves for the next."""
        pages = len(set(self.rendered))
        if self.kind == "initial":
            line = f"built {pages} pages in {duration(self.ms / 1000)}"
        else:
            line = f"{self.trigger_text()}: rebuilt {pages} page{'s' if pages != 1 else ''} in {duration(self.ms / 1000)}"
            if self.first_ms is not None:
                shown = ", ".join(p[: -len("index.html")] for p in self.first if p.endswith("index.html"))
                line += f" ({shown} first, in {duration(self.first_ms / 1000)})"
        if self.interrupted:
            line += f"; {left} left for the next rebuild"
        return line
