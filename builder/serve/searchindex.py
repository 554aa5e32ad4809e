"""`serve`'s search index: built after the first good build and refreshed after saves, on its own
thread, so that the page being written reloads without waiting for it.

The index is written into a fresh folder beside the served one, which is then swapped in whole: a
search page open during a refresh reads the old index or the new one, never half of each."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from pathlib import Path

from .. import search
from .rebuild import duration


class SearchRefresher:
    """One background thread; `request()` asks for a refresh (several asks while one runs: one more)."""

    def __init__(self, out: Path, log, changed=lambda: None):
        self.out = Path(out)
        self.log = log
        self.changed = changed  # called once a new index is swapped in (the search pages open reload)
        self.runs = 0  # refreshes done (tests and the status line read it)
        self.last_problem = None  # the text of the last problem reported (said once, not at every save)
        self.language = "en"
        self.known: dict = {}  # what the last index read of each page: unchanged pages are not read again
        self._wanted = threading.Event()
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # request() and stop() come from different threads

    def request(self, language: str | None) -> None:
        """A refresh for a site in `language` (site.toml's); None: no index (search = false), the one
        served is removed."""
        with self._lock:
            self.language = language
            if self._stopping:
                return
            self._idle.clear()
            self._wanted.set()
            if self._thread is None:
                thread = threading.Thread(target=self._run, name="glossator-search", daemon=True)
                thread.start()
                self._thread = thread

    def wait(self, timeout: float | None = None) -> bool:
        """Until no refresh is asked for or running (tests)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._wanted.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping:
                self._idle.set()
                return
            self._wanted.clear()
            if self.language is None:
                self._remove()
            else:
                self._refresh()
            if not self._wanted.is_set():
                self._idle.set()

    def _remove(self) -> None:
        """search = false: the index of when it was true is not served (it went on answering /search/data/)."""
        served = self.out / search.FOLDER
        if served.exists():
            gone = Path(tempfile.mkdtemp(prefix=".search-", dir=self.out))
            served.rename(gone / "old")
            shutil.rmtree(gone, ignore_errors=True)
            self.known.clear()
            self.runs = 0  # turned on again: built and said as the first time

    def _refresh(self) -> None:
        served = self.out / search.FOLDER
        fresh = Path(tempfile.mkdtemp(prefix=".search-", dir=self.out))
        try:
            try:
                written = search.index(self.out, self.language, bundle=fresh / "bundle", known=self.known)
            except OSError as exc:  # a full disk, a page removed while it was read: the next save tries again
                self.known.clear()
                said = f"site.toml:1:1: warning: the search index could not be built: {exc}"
                if said != self.last_problem:
                    self.last_problem = said
                    self.log(said + "; the site is served without it", err=True)
                return
            served.parent.mkdir(parents=True, exist_ok=True)
            same = _digest(fresh / "bundle") == _digest(served)
            if not same:
                old = fresh / "old"
                if served.exists():
                    served.rename(old)
                (fresh / "bundle").rename(served)
            said = written.problem()
            if said is not None and said.text() != self.last_problem:
                self.log(said.text(), err=True)
            elif said is None and (self.last_problem is not None or self.runs == 0):
                self.log(f"search index built in {duration(written.seconds)}")
            self.last_problem = said.text() if said is not None else None
            self.runs += 1
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        if not same:  # (a search page loads the index once: open, it kept the old one until reloaded by hand)
            self.changed()


def _digest(folder: Path) -> bytes | None:
    """The index's files and bytes, as one digest (None: no index there)."""
    if not folder.is_dir():
        return None
    whole = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            whole.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return whole.digest()
