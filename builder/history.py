"""The site's git history, read with the `git` command in a few batched calls.

One `git log` gives every commit that touched content/ or annotations/; one `git ls-tree` gives
the blob of each file at HEAD (a working file whose bytes hash to another blob has uncommitted
changes). A file touched by a single commit and unchanged since needs nothing more: every line
comes from that commit. Only the other files are blamed, one `git blame` each. Blobs of old
versions come from one `git cat-file --batch`. Without git, or outside a work tree, `open`
gives None and everything that uses history is left out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNCOMMITTED = "0" * 40


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, as a page shows it."""

    sha: str  # full id
    time: int  # author time, seconds since the epoch
    author: str  # author name
    message: str  # the first line of the message

    @property
    def date(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.time, dt.timezone.utc).date()


def blob_id(data: bytes) -> str:
    """The git blob id of these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], input=stdin, capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def head(site: Path) -> str:
    """The commit checked out in the site's work tree ("" outside git)."""
    if shutil.which("git") is None:
        return ""
    out = _git(site, "rev-parse", "-q", "--verify", "HEAD")
    return out.decode().strip() if out else ""


class History:
    """What git knows of a site's content and annotation files (paths relative to the site)."""

    def __init__(self, site: Path, prefix: str):
        self.site = site
        self.prefix = prefix  # the site folder relative to the repository's top, "" or "x/y/"
        self.commits: dict[str, Commit] = {}
        self.touched: dict[str, list[str]] = {}  # file -> commits that changed it, newest first
        self.head: dict[str, str] = {}  # file -> blob id at HEAD
        self.order: dict[str, int] = {}  # commit -> its place in the log, 0 the newest
        self._lines: dict[str, list[str]] = {}
        self._blobs: dict[str, bytes] = {}

    @classmethod
    def open(cls, site: Path) -> "History | None":
        """The history of the site, or None when it is not in a git work tree (or git is missing)."""
        if shutil.which("git") is None or not (site / "content").is_dir():
            return None
        out = _git(site, "rev-parse", "--is-inside-work-tree", "--show-prefix")
        if out is None or not out.startswith(b"true"):
            return None
        history = cls(site, out.decode().split("\n")[1].strip())
        history._read_log()
        return history

    def _rel(self, repo_path: str) -> str | None:
        return repo_path[len(self.prefix):] if repo_path.startswith(self.prefix) else None

    def _read_log(self) -> None:
        out = _git(self.site, "log", "--no-renames", "--format=%x1e%H%x1f%at%x1f%an%x1f%s", "--name-only",
                   "--", "content", "annotations")
        for record in (out or b"").decode("utf-8", "replace").split("\x1e")[1:]:
            head, _, names = record.partition("\n")
            sha, time, author, message = (head.split("\x1f") + ["", "", ""])[:4]
            self.commits[sha] = Commit(sha, int(time or 0), author, message)
            self.order[sha] = len(self.order)
            for name in names.split("\n"):
                rel = self._rel(name.strip()) if name.strip() else None
                if rel:
                    self.touched.setdefault(rel, []).append(sha)
        tree = _git(self.site, "ls-tree", "-r", "--full-name", "HEAD", "--", "content", "annotations") or b""
        for line in tree.decode("utf-8", "replace").splitlines():
            meta, _, name = line.partition("\t")
            rel = self._rel(name)
            if rel and meta.split(" ")[1:2] == ["blob"]:
                self.head[rel] = meta.split(" ")[2]

    def clean(self, rel: str, data: bytes) -> bool:
        """Whether the working file is as committed at HEAD."""
        return self.head.get(rel) == blob_id(data)

    def line_commits(self, rel: str, data: bytes) -> list[str]:
        """The commit each line of the file was last changed in (UNCOMMITTED for working changes)."""
        if rel in self._lines:
            return self._lines[rel]
        count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        commits = self.touched.get(rel, [])
        if not commits:
            found = [UNCOMMITTED] * count
        elif len(commits) == 1 and self.clean(rel, data):
            found = [commits[0]] * count
        else:
            found = self._blame(rel, count)
        self._lines[rel] = found
        return found

    def _blame(self, rel: str, count: int) -> list[str]:
        out = _git(self.site, "blame", "--porcelain", "--", rel)
        found = [UNCOMMITTED] * count
        if out is None:
            return found
        sha, pending = None, {}
        for line in out.decode("utf-8", "replace").split("\n"):
            if line.startswith("\t"):
                continue
            parts = line.split(" ")
            if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit() and parts[2].isdigit():
                sha = parts[0]
                final = int(parts[2])
                if final <= count:
                    found[final - 1] = sha
                pending.setdefault(sha, {})
            elif sha is not None and sha not in self.commits and sha != UNCOMMITTED:
                key, _, value = line.partition(" ")
                pending[sha][key] = value
                info = pending[sha]
                if "author" in info and "author-time" in info and "summary" in info:
                    self.commits[sha] = Commit(sha, int(info["author-time"]), info["author"], info["summary"])
        return found

    def blobs_at(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """{(commit, file): blob id of the file in that commit, or None} in one call."""
        todo = [w for w in dict.fromkeys(wanted) if w[0] != UNCOMMITTED]
        found: dict[tuple[str, str], str | None] = {w: None for w in wanted}
        if not todo:
            return found
        query = "".join(f"{sha}:{self.prefix}{rel}\n" for sha, rel in todo).encode()
        out = _git(self.site, "cat-file", "--batch-check", stdin=query) or b""
        for w, line in zip(todo, out.decode().splitlines()):
            parts = line.split(" ")
            found[w] = parts[0] if len(parts) == 3 and parts[1] == "blob" else None
        return found

    def read_blobs(self, ids) -> dict[str, bytes]:
        """The bytes of these blobs, in one call (remembered)."""
        todo = [i for i in dict.fromkeys(ids) if i and i not in self._blobs]
        if todo:
            out = _git(self.site, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in todo).encode()) or b""
            pos = 0
            while pos < len(out):
                end = out.index(b"\n", pos)
                header = out[pos:end].split(b" ")
                if len(header) != 3:
                    pos = end + 1
                    continue
                size = int(header[2])
                self._blobs[header[0].decode()] = out[end + 1 : end + 1 + size]
                pos = end + 1 + size + 1
        return {i: self._blobs[i] for i in ids if i in self._blobs}
