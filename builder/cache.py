"""SITE/.glossator-cache: everything Glossator keeps between builds. Deleting it costs only time.

- articles/: loaded-and-anchored articles, keyed by the content (and name and kind) of their
  inputs. An entry is used only when its key matches and its signature checks out: the
  signature uses a secret kept in the user's own cache folder, so a cache folder that came
  with a downloaded site is never unpickled. Anything stale, corrupt or foreign is ignored.
- builds/: what each output folder was last built from, so an unchanged site is not rebuilt.
  Inputs and output are compared by the digests of their contents, never by times or sizes.
- anchored/: without git, what each article's annotations last anchored against (reanchor/record.py).
  Deleting it costs what it protects: then the text alone decides where annotations land.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import shutil
import stat
import tempfile
from functools import cache
from pathlib import Path

from . import __version__
from .errors import Problem
from .read.files import MAX_BYTES, real
from .output import tidy_in_place, write_atomic

FOLDER = ".glossator-cache"
# bytes in the name of an article's entry: 255 on most file systems, less the 14 of the temporary file beside it
# (`.NAME.xxxxxxxx.tmp`, output._fresh)
MAX_ENTRY_NAME = 241


def own_folder(site: Path, name: str) -> Path | None:
    """SITE/.glossator-cache/<name>, or None when it, or the cache folder, is a link or not a folder.
    Glossator writes and deletes in there, and a cache folder that came with a downloaded site could
    point anywhere (`serve` -> ~/photos): then the cache is not used, which costs only time."""
    path = site
    for part in (FOLDER, name):
        path = path / part
        try:
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                return None
        except OSError:  # a cache folder that cannot be looked into (chmod 000, another user's): not used
            return None
    return path


def read_plain(path: Path) -> bytes:
    """A cache file's bytes, only if it is a plain file (a pipe put in its place would hang the build,
    a link lead anywhere): OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a plain file: {path}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


SECRET_BYTES = 32


def _secret() -> bytes | None:
    """The key that signs cache entries, in the user's own cache folder: made whole or not at all (a
    temporary file linked into place), and used only at its full length. One cut short (an older
    version killed or out of space between creating it and writing it) would be a key anyone knows,
    and a site downloaded with a cache of its own could run code: it is replaced."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")  # a relative one is no cache folder (XDG's rule): it would be
    try:  # the current folder's, a downloaded site's `.cache/glossator/secret` then signing its own cache
        base = (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "glossator"
    except RuntimeError:  # no HOME, and a user the system does not know (a container's random uid): no cache
        return None
    path = base / "secret"
    try:
        try:
            key = read_plain(path)
        except FileNotFoundError:
            key = None
        if key is not None and len(key) == SECRET_BYTES:
            return key
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".secret.", dir=base)  # 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(SECRET_BYTES))
            if key is not None:
                os.replace(tmp, path)  # damaged: replaced
            else:
                with contextlib.suppress(FileExistsError):  # made by another build meanwhile: theirs is used
                    os.link(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        key = read_plain(path)
        return key if len(key) == SECRET_BYTES else None
    except OSError:
        return None


@cache
def _code_version() -> bytes:
    """The builder's own source: a cache written by other code is never trusted. Read when a digest is
    first wanted (a build without the cache, and `check`, never want one: 4 ms of every start)."""
    h = hashlib.blake2b(__version__.encode(), digest_size=20)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.digest()


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(_code_version())
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def entry_name(slug: str, suffix: str) -> str:
    """The file name of an article's entry in a folder of the cache: `slug` and `suffix`, or, where that is longer
    than a file system allows (a slug may be 250 bytes: content/SLUG.yaml is 255), the slug cut short, a "." and a
    digest of the whole: no slug holds a ".", so no other article's entry is named so. (A write of the long name
    failed, and the entry was never kept: each build loaded the article again.)"""
    name = slug + suffix
    if len(name.encode("utf-8", "surrogateescape")) <= MAX_ENTRY_NAME:
        return name
    return f"{slug[:200]}.{digest(slug.encode('utf-8', 'surrogateescape'))[:16]}{suffix}"


class ArticleCache:
    NAME = "articles"

    def __init__(self, site: Path):
        self.folder = own_folder(site, self.NAME)
        self.secret = _secret() if self.folder is not None else None  # no secret: never read nor written
        self._config = (None, b"")  # the last config `key` was given, and its text (made once: 12 us)
        self._listed = None  # the names in the folder, listed when `has` is first asked

    def key(self, config, site: Path, content: Path, layer: Path | None, read: dict | None = None) -> str | None:
        """What an article's loading depends on: the config, and the names (so the kind) and bytes of
        its two files, read now or, where given, as loading read them (`read`: files.recorded). None when
        a file cannot be read (loading then reports it)."""
        if self._config[0] is not config:
            self._config = (config, repr(config).encode())
        parts = [self._config[1]]
        for path in (content, layer):
            if path is None:
                parts.append(b"-")
                continue
            try:
                if read is not None:
                    data = read.get(path)
                elif path.stat().st_size <= MAX_BYTES:
                    data = path.read_bytes()
                else:
                    data = None  # loading refuses it
            except OSError:
                return None
            if data is None:
                return None
            parts += [path.relative_to(site).as_posix().encode("utf-8", "surrogateescape"), data]
        return digest(*parts)

    def has(self, slug: str) -> bool:
        """Whether an entry is there for the article (a first build finds none: no key is needed before loading).
        Read from one listing of the folder, made by each process at its first question (a look per article
        took 17 us); a name listed is only a hint: `get` reads the entry, and takes nothing but a plain file."""
        if self.secret is None:
            return False
        if self._listed is None:
            try:
                self._listed = frozenset(os.listdir(self.folder))
            except OSError:
                self._listed = frozenset()
        return entry_name(slug, ".pickle") in self._listed

    def _path(self, slug: str) -> Path:
        return self.folder / entry_name(slug, ".pickle")

    def get(self, slug: str, key: str):
        if self.secret is None:
            return None
        try:
            blob = read_plain(self._path(slug))
        except OSError:
            return None
        signature, payload = blob[:32], blob[32:]
        if not hmac.compare_digest(signature, hmac.new(self.secret, payload, "sha256").digest()):
            return None
        try:
            stored_key, value = pickle.loads(payload)
        except Exception:  # corrupt: rebuild
            return None
        return value if stored_key == key else None

    def put(self, slug: str, key: str, value):
        """Keep `value` for `key`; returns it as `Pickled` (None where it was not kept)."""
        if self.secret is None:
            return None
        try:
            payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.folder, entry_name(slug, ".pickle"), hmac.new(self.secret, payload, "sha256").digest() + payload)
        except (OSError, pickle.PicklingError):
            return None
        return Pickled(payload)

    def prune(self, slugs) -> None:
        """Drop entries of articles that no longer exist."""
        if self.folder is None or not self.folder.is_dir():
            return
        kept = {entry_name(slug, ".pickle") for slug in slugs}
        for path in self.folder.glob("*.pickle"):
            if path.name not in kept:
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # cannot be removed (a folder, a read-only cache): never used either
                    pass


class Pickled:
    """A value kept in the cache, as its entry's pickle. A worker hands it to the build's process as it is,
    and it unpickles there as the value itself: pickled once for the cache and the way back, not twice
    (120 us an article)."""

    __slots__ = ("payload",)

    def __init__(self, payload: bytes):
        self.payload = payload  # pickle of (key, value), as ArticleCache.put wrote it

    def __reduce__(self):
        return _kept_value, (self.payload,)


def _kept_value(payload: bytes):
    return pickle.loads(payload)[1]


def tidy(site: Path) -> None:
    """Remove what writes killed midway (kill -9, a crash) left in the cache: their temporary files."""
    for name in (ArticleCache.NAME, "history", "builds", "anchored"):
        folder = own_folder(site, name)
        if folder is not None:
            tidy_in_place(folder, ".tmp")


def file_digest(data: bytes) -> bytes:
    """The digest of one file's bytes, as `tree_digest` takes each file: a build takes those of the pages it
    writes where it writes them (a worker), not by reading the output again."""
    return hashlib.blake2b(data, digest_size=20).digest()


def _read_digest(path: str) -> bytes:
    """file_digest of a file, read in pieces: a huge file (which loading refuses) costs no memory."""
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while piece := f.read(1 << 20):
            h.update(piece)
    return h.digest()


def tree_digest(folder: Path, root: Path | None = None, known: dict[str, bytes] | None = None) -> str:
    """The digest of a folder's files: each one's path and the digest of its contents (file_digest), a
    folder's own files before its subfolders, each in order of name. A link is taken by its target when that
    is inside `root` (a linked article or static folder: an edit there is an edit of the site), else by the
    text of the link (loading the site refuses it; what it points to is never read). `known`: the
    file_digest of files the caller has just written, by path below `folder` ("/" between names), taken
    as they are instead of read again."""
    h = hashlib.blake2b(digest_size=20)
    if not folder.is_dir():
        return "-"
    inside = root.resolve() if root is not None else None
    seen = {folder.resolve()}

    def followed(path: str) -> bool:
        try:
            return inside is not None and os.path.islink(path) and real(Path(path)).is_relative_to(inside)
        except OSError:  # a loop of links: taken by its text (loading the site refuses it)
            return False

    def visit(top: str, prefix: str) -> None:
        try:  # (read by its entries: a plain file's kind and name need no call to the system)
            with os.scandir(top) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:  # a folder that cannot be listed is left out, as os.walk leaves it
            return
        files, folders = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # (through a link)
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(entry)
            elif not entry.is_symlink():
                folders.append(entry.name)
            elif followed(entry.path) and (target := Path(entry.path).resolve()) not in seen:
                seen.add(target)  # a linked folder inside the site, once
                folders.append(entry.name)
            else:
                files.append(entry)  # taken by the text of its link
        for entry in sorted(files, key=lambda e: e.name):
            rel = prefix + entry.name
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if known is not None and rel in known:
                h.update(known[rel] + b"\0")
                continue
            try:
                if entry.is_symlink() and not followed(entry.path):
                    h.update(b"\3" + os.readlink(entry.path).encode("utf-8", "surrogateescape"))
                elif entry.is_file():
                    h.update(_read_digest(entry.path))
                else:  # a pipe is never read (it would block): loading the site refuses it
                    h.update(b"\2special")
            except OSError:
                h.update(b"\1unreadable")
            h.update(b"\0")
        for name in folders:
            visit(os.path.join(top, name), f"{prefix}{name}/")

    visit(os.fspath(folder), "")
    return h.hexdigest()


class BuildRecord:
    """builds/<output>.json: the digests of the inputs and of the output of the last good build."""

    def __init__(self, site: Path, target: Path):
        self.target = target
        builds = own_folder(site, "builds")
        key = os.path.realpath(target)  # a loop of links too (publishing then refuses it)
        self.path = builds / (digest(key.encode("utf-8", "surrogateescape"))[:16] + ".json") if builds else None
        # signed as the articles' entries are: a record that came with a downloaded site (its output planted
        # beside it, built from other inputs) would otherwise say "unchanged" and leave that output published
        self.secret = _secret() if self.path is not None else None

    def counts(self, inputs: str):
        """The last build's counts and warnings (said again) when its output is in place, untouched,
        from these same inputs."""
        if self.path is None or self.secret is None:
            return None
        try:
            record = json.loads(read_plain(self.path))
            if not hmac.compare_digest(str(record.pop("signature", "")).encode(), self._sign(record)):
                return None
            same = record["inputs"] == inputs and record["output"] == tree_digest(self.target)
            if not same or len(record["counts"]) != 4:
                return None
            return tuple(record["counts"]), [Problem(*w, "warning") for w in record["warnings"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # (not a mapping: not ours)
            return None

    def save(self, inputs: str, counts, warnings=(), written: dict[str, bytes] | None = None) -> None:
        """`written`: the file_digest of the pages this build wrote (see tree_digest's `known`)."""
        if self.path is None or self.secret is None:
            return
        record = {"inputs": inputs, "counts": list(counts), "output": tree_digest(self.target, known=written),
                  "warnings": [[w.file, w.line, w.col, w.message] for w in warnings]}
        record["signature"] = self._sign(record).decode()
        try:
            write_atomic(self.path.parent, self.path.name, json.dumps(record).encode())
        except OSError:
            pass

    def _sign(self, record: dict) -> bytes:
        return hmac.new(self.secret, json.dumps(record, sort_keys=True).encode(), "sha256").hexdigest().encode()


def serve_folder(site: Path) -> Path:
    """A folder for `serve` to write its pages to: serve/<pid> in the cache. Folders of serves
    that are no longer running (killed, say) are removed first."""
    base = own_folder(site, "serve")
    try:
        if base is None:
            raise OSError("the cache folder is a link")
        for old in base.iterdir() if base.is_dir() else ():
            if old.name.isdigit() and not old.is_symlink() and not running(int(old.name)):
                shutil.rmtree(old, ignore_errors=True)
        folder = base / str(os.getpid())
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder
    except OSError:  # a read-only site: the system's temporary folder, named for this process
        _tidy_temporary_serve_folders()
        return Path(tempfile.mkdtemp(prefix=f"{TEMPORARY_SERVE}{os.getpid()}-"))


TEMPORARY_SERVE = "glossator-serve-"  # the start of a serve folder's name in the system's temporary folder


def _tidy_temporary_serve_folders() -> None:
    """Remove the serve folders left in the system's temporary folder by serves killed there (a serve that ends
    removes its own): those of this user, named as `serve_folder` names them, whose process no longer runs."""
    try:
        with os.scandir(tempfile.gettempdir()) as entries:
            for entry in entries:
                pid, _, rest = entry.name[len(TEMPORARY_SERVE):].partition("-")
                if entry.name.startswith(TEMPORARY_SERVE) and pid.isdigit() and rest and \
                        entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.geteuid() \
                        and not running(int(pid)):
                    shutil.rmtree(entry.path, ignore_errors=True)
    except (OSError, AttributeError):  # (a temporary folder that cannot be listed, or no os.geteuid: nothing tidied)
        pass


def running(pid: int) -> bool:
    """Whether a process of this number is running on this machine (another user's too)."""
    if not 0 < pid < 2**31:  # (a number no process has, from a name or a note: os.kill would overflow, or 0 signal us)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
