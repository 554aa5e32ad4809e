"""serve's view of git: drift and provenance as the build has them, read again after a commit."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..anchorhints import correction_errors, occurrence_warnings
from ..history import History, _git, repo
from ..model import Site
from ..provenance import of_site
from ..read.load import load_article
from ..reanchor.changed import drift_problems
from ..reanchor.record import Records, recorded_drift


class GitView:
    """The site's history (None outside git), and the commit it was read at."""

    def __init__(self, site: Path):
        self.site = site
        self.head: str | None = None  # the commit checked out when last read
        self.prefix: str | None = None  # the site's folder in its repository ("" or "x/y/"; None outside a work tree)
        self.before: str | None = None  # the one checked out before it
        self.history: History | None = None
        self.records = Records(site)  # outside git: what each article last anchored against (reanchor/record.py)

    def refresh(self) -> bool:
        """Read git again if the checked-out commit changed; whether it did (every note may change)."""
        found = repo(self.site)
        self.prefix = found.prefix if found else None
        now = found.head if found else ""
        if now == self.head:
            return False
        self.before, self.head, self.history = self.head, now, History.open(self.site, found) if found else None
        return True

    def moved_files(self) -> set[str] | None:
        """The files (relative to the site) that differ between the commit checked out before the last
        refresh and now; None when that cannot be said (no commit before, git failed)."""
        if not self.before or not self.head:
            return None
        out = _git(self.site, "diff", "--name-only", "--relative", "--no-renames", "-z", self.before, self.head)
        if out is None:
            return None
        return {name for name in out.decode("utf-8", "surrogateescape").split("\0") if name}

    def renames(self) -> None:
        """Files came and went: renames not yet committed are read again (git status), the log is kept."""
        if self.history is not None:
            self.history = History.restore(self.site, self.history.saved())

    def load_article(self, site: Path, slug: str, content: Path, layer: Path | None, config, problems):
        """read.load.load_article, and drift reported as check and build report it (outside git, what the text
        alone warns of instead, as gitcache.with_history does)."""
        article = load_article(site, slug, content, layer, config, problems)
        if article is not None and self.history is not None:
            drift_problems(self.site, [article], problems, self.history)
        elif article is not None and not self.head:  # (outside git, or before its first commit)
            recorded_drift(self.site, [article], problems, self.records, write=True)  # (serve keeps records, as build does)
            correction_errors([article], problems)
            occurrence_warnings([article], problems)
        return article

    def attach(self, model: Site, previous: Site | None = None, only: set[str] | None = None) -> Site:
        """The model with provenance: of every article, or of `only` with the rest kept from `previous`."""
        if self.history is None:
            return model
        before = previous.history if previous is not None and only is not None else None
        return replace(model, history=of_site(self.site, model.articles, self.history, before, only))
