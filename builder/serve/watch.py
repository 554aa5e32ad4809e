"""Watching a site's sources for `glossator serve`, with watchfiles (inotify/FSEvents, no polling; a site whose
folder's name is not UTF-8, which watchfiles cannot take, is looked at twice a second instead).

Three watchers run in daemon threads and hand batches of changed paths to a callback:

- the site folder itself, not recursively: `site.toml`, and the source folders appearing or going;
- `content/`, `annotations/`, `templates/` and `static/` (those that exist), recursively;
- when the site is in git, the repository's HEAD and refs: a commit (or a reset) changes no source file,
  but it changes the pages' history of each note; it is handed on as `SITE/.git` (GIT_MARK).

Only the source folders are watched recursively, never the site folder, so the output folders
(`_site/`, the serve folder under `.glossator-cache/`) produce no events at all. When a source folder
is created or removed, the recursive watcher restarts with the new list.

watchfiles reports a change after `step_ms` of quiet (the caller debounces further: serve waits
until no change has come for 50 ms, so that saves in quick succession make one rebuild).
"""
from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Callable

import watchfiles

from ..history import git_folders

FOLDERS = ("content", "annotations", "templates", "static")
CONFIG = "site.toml"
POLL_S = 0.5  # outside git, how often the folders above the site are looked at for a .git
GIT_MARK = ".git"  # the name, under the site, of the change a commit, a checkout or a reset makes


class EditorFiles(watchfiles.DefaultFilter):
    """Drops an editor's temporary files (vim's .swp, backups ending in ~, emacs's .#locks) and nothing else.
    watchfiles' default filter also drops every path with a folder named node_modules, .venv, .git, .tox,
    .idea... anywhere in it (a site kept under ~/.venv/ or node_modules/ was never rebuilt) and any file
    named flycheck_* (an article content/flycheck_notes.txt never was either)."""

    ignore_dirs = ()
    ignore_entity_patterns = (r"\.sw.$", "~$", r"^\.\#", r"^\.DS_Store$", r"\.___jb_...___$")


SOURCES = EditorFiles()


def inside(site: Path, folder: Path) -> bool:
    """A source folder to watch: a real folder of the site, not a link to elsewhere (the build
    reports such a link; watching it could mean watching the whole disk)."""
    return folder.is_dir() and not folder.is_symlink() and folder.resolve().is_relative_to(site)


class SiteWatcher:
    def __init__(self, site: Path, on_changes: Callable[[set[Path]], None], step_ms: int = 10):
        self.site = site.resolve()
        self.on_changes = on_changes
        self.step_ms = step_ms
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._git_again = threading.Event()  # the repository may have changed place: find it again
        self._ready = {"root": threading.Event(), "folders": threading.Event(), "git": threading.Event()}
        self._threads: list[threading.Thread] = []

    def start(self, timeout: float = 5.0) -> None:
        """Start both watchers; return once they are listening (changes from then on are seen)."""
        for target in (self._watch_root, self._watch_folders, self._watch_git):
            thread = threading.Thread(target=target, name=f"glossator-{target.__name__[1:]}", daemon=True)
            thread.start()
            self._threads.append(thread)
        for event in self._ready.values():
            event.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._restart.set()
        self._git_again.set()
        for thread in self._threads:
            thread.join(timeout)

    # ------------------------------------------------------------------ threads

    def _watch_root(self) -> None:
        names = set(FOLDERS) | {CONFIG}
        git = self.site / GIT_MARK
        while not self._stop.is_set():
            gone = False
            for batch in self._changes([self.site], False, self._stop, self._ready["root"]):
                if not self.site.is_dir() or (watchfiles.Change.deleted, str(self.site)) in batch:
                    gone = True  # the site folder itself went: no event comes from it any more
                    break
                if any(Path(p) == git for _, p in batch):
                    self._git_again.set()  # `git init`, or a .git put back: the repository is found again
                paths = {Path(p) for _, p in batch if Path(p).name in names and Path(p).parent == self.site}
                if any(p.name in FOLDERS for p in paths):
                    self._restart.set()  # a source folder came or went: watch the new list
                if paths:
                    self.on_changes(paths)
            if self._stop.is_set() or (not gone and self.site.is_dir()):
                continue  # (a watch that ended otherwise: watched again)
            self.on_changes({self.site})  # said in the page and the terminal (or built anew, if back already)
            while not self.site.is_dir():  # until it is back (a fresh clone, a folder renamed back)
                if self._stop.wait(0.5):
                    return
            self._restart.set()
            self._git_again.set()
            self.on_changes({self.site / CONFIG})  # everything again, in the new folder

    def _watch_folders(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            folders = [self.site / name for name in FOLDERS if inside(self.site, self.site / name)]
            if not folders:
                self._ready["folders"].set()
                self._restart.wait()
                continue
            for batch in self._changes(folders, True, self._restart, self._ready["folders"]):
                self.on_changes({Path(p) for _, p in batch})

    def _watch_git(self) -> None:
        """HEAD and the refs of the repository the site is in; watched anew when the site folder comes back
        or a .git appears in it or in a folder above it (`git init`, a fresh clone)."""
        ready = self._ready["git"]
        found_again = False
        while not self._stop.is_set():
            self._git_again.clear()
            found = git_folders(self.site)
            if found is None:  # not in git (or the folder went): until a .git comes
                ready.set()
                self._await_repository()
                found_again = True
                continue
            if found_again:  # (a commit made with the `git init`, before its refs were watched, is seen too)
                self.on_changes({self.site / GIT_MARK})
            own, common = found
            heads, refs = {own / "HEAD", common / "HEAD"}, common / "refs"
            roots = [common] + ([] if own.is_relative_to(common) else [own])

            def moved(path: Path) -> bool:  # a ref or HEAD written (git writes NAME.lock, then renames it NAME)
                if path.suffix == ".lock":
                    return False
                return path in heads or path == common / "packed-refs" or path.is_relative_to(refs)

            for batch in self._changes(roots, True, self._git_again, ready, only=None):
                if any(moved(Path(p)) for _, p in batch):
                    self.on_changes({self.site / GIT_MARK})
                if not common.is_dir():
                    break  # the repository went (its folder watched no more): until one comes back
            found_again = not common.is_dir()

    def _await_repository(self) -> None:
        """Until a .git comes or goes in the site folder or any folder above it (`git init` in the folder
        that holds the site, which no watcher of the site sees), looked for each POLL_S; or `_git_again`. A change
        counts once seen twice (`git init` makes .git, then what is in it)."""
        def marks():
            return [(folder / ".git").exists() for folder in (self.site, *self.site.parents)]

        before = last = marks()
        while not self._git_again.wait(POLL_S):
            now = marks()
            if now != before and now == last:
                return
            last = now

    def _changes(self, paths, recursive: bool, stop: threading.Event, ready: threading.Event, only=SOURCES):
        """Batches of changes; `ready` is set once the watcher listens (its first empty timeout)."""
        try:
            for batch in watchfiles.watch(
                *paths, recursive=recursive, stop_event=stop, step=self.step_ms, debounce=1600,
                rust_timeout=100, yield_on_timeout=True, raise_interrupt=False, watch_filter=only,
            ):
                ready.set()
                if batch:
                    yield batch
        except UnicodeEncodeError:  # watchfiles takes names in UTF-8 only: a site under a folder named in Latin-1
            yield from self._polled(paths, recursive, stop, ready, only)  # (its watchers died, the site never rebuilt)
        except (FileNotFoundError, OSError):  # a folder went away as the watcher started: try again
            ready.set()
            if not self._stop.is_set():
                stop.wait(0.1)
        except RuntimeError:  # watchfiles' own: a batch it could not hand over, such as "Unable to decode path" (a
            ready.set()  # name not UTF-8, even only read): the thread died and nothing was rebuilt again. What changed
            # is unknown: all of it, then watched anew at once, before that rebuild looks (the build refuses such
            # names and never opens them: no loop)
            yield {(watchfiles.Change.modified, str(path)) for path in paths}

    def _polled(self, paths, recursive: bool, stop: threading.Event, ready: threading.Event, only):
        """`_changes` for folders watchfiles cannot take: what is in them looked at each POLL_S, its changes said
        as watchfiles says them. Git's `objects/` is not looked into (only=None: the repository's watch)."""
        def seen() -> dict:
            found = {}
            for top in paths:
                for folder, subfolders, names in os.walk(top) if recursive else [next(os.walk(top), (top, [], []))]:
                    if only is None and "objects" in subfolders:
                        subfolders.remove("objects")
                    for name in names + subfolders:
                        try:
                            info = os.lstat(os.path.join(folder, name))
                        except OSError:
                            continue
                        found[os.path.join(folder, name)] = (None if stat.S_ISDIR(info.st_mode)
                                                             else (info.st_mtime_ns, info.st_size, info.st_ino))
            return found

        before = seen()
        ready.set()
        while not stop.wait(POLL_S):
            now = seen()
            batch = {(watchfiles.Change.added if path not in before else watchfiles.Change.deleted if path not in now
                      else watchfiles.Change.modified, path)
                     for path in before.keys() | now.keys() if before.get(path, 0) != now.get(path, 0)}
            before = now
            batch = {(change, path) for change, path in batch if only is None or only(change, path)}
            if batch:
                yield batch
