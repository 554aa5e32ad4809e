"""Writing the site, the only writer of output: single files atomically, whole folders by a swap.

A build writes a complete new folder beside the old one, then exchanges the two in one atomic
step (Linux's renameat2 RENAME_EXCHANGE; two renames where the system lacks it), so readers see
the old site or the new one, never none. Glossator marks every folder it makes with MARKER, and
never deletes or replaces a folder without it; leftovers of killed builds (marked, named by us)
are tidied on the next build.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
import time
import contextlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import orjson

from .errors import Problem, ProblemError
from .parallel import checkpoint, held, too_late_to_stop, undone_on_terminate
from .read.files import OUTPUT_MARKER as MARKER, SOURCES, real

MARKER_TEXT = "This folder is written by Glossator; it replaces it whole on every build.\n"
LISTED = "Its files, which the next build replaces (a file it does not list stops that build, which deletes nothing it did not write):\n"


class OutputRefused(Exception):
    """The output folder is not ours to replace; the message says why."""


class Busy(OutputRefused):
    """Another build holds the output folder's lock."""


def check_target(site: Path, out: Path, named: bool = True) -> None:
    """Refuse an output folder that would replace what is not the build's to replace. `named`: the
    user gave it on the command line; site.toml's `output` must be a real folder inside the site,
    never a link (a site copied with its `_site -> /var/www` link would replace another site)."""
    out = check_place(site, out, named)
    if out.is_dir() and any(out.iterdir()) and _marker(out) is None:
        raise OutputRefused(f"{out} is not empty and was not made by Glossator (no {MARKER} in it): refusing to replace it")
    if out.is_dir() and (foreign := _not_written(out)):
        named = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputRefused(f"{out} holds {named}, which Glossator did not write: a build replaces the folder "
                            "whole, and deletes nothing it did not write. Put what should be published in the site's "
                            "static/ folder (copied into every build), or remove it from the output")


def check_place(site: Path, out: Path, named: bool = True) -> Path:
    """`check_target`'s look at where the output folder is, not at what is in it (a link, the site's own
    folders, a file); the folder, its links followed."""
    if not named:
        step = site
        for part in out.relative_to(site).parts:
            step = step / part
            if step.is_symlink():
                raise OutputRefused(f"{step.relative_to(site).as_posix()} is a link (to {os.readlink(step)}): the output "
                                    "folder in site.toml must be a folder inside the site; to build elsewhere, name it "
                                    "with --out")
    site, out = real(site), real(out)  # OSError when links loop
    if out == site or site.is_relative_to(out):
        raise OutputRefused(f"{out} holds the site's sources: choose an output folder inside or beside the site")
    for name in SOURCES:
        try:
            held = {site / name, real(site / name)}  # (`static -> static2`: static2 is the site's static/ too)
        except OSError:
            held = {site / name}
        if any(out == folder or out.is_relative_to(folder) for folder in held):
            raise OutputRefused(f"{out} is inside the site's {name}: choose another output folder")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a folder")
    if _file_on_the_way(out.parent) is not None:  # as making the folder would fail (`output_problem` names the file):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out))  # said by check as by build
    if (locked_out := _not_writable(site, out)) is not None:  # said by check, and by build before it renders anything
        raise locked_out
    return out


class Unwritable(OutputRefused):
    """The folder a build would write the new site in cannot be written; `whole`: it is the site's folder or one
    above it (a checkout mounted read-only), which no file of the site can change: `check` says it as a warning."""

    def __init__(self, message: str, whole: bool):
        super().__init__(message)
        self.whole = whole


def _not_writable(site: Path, out: Path) -> Unwritable | None:
    """Why this user cannot swap a new site in at `out`, or None: the build makes it beside `out` (in the first
    folder above it that is there) and renames it over (`out` itself may be read-only: it keeps its mode)."""
    folder = next(p for p in out.parents if os.path.isdir(p))
    if os.access(folder, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        return None
    try:
        readonly = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # (no statvfs on Windows)
        readonly = False
    shown = "the site's folder" if folder == site else _shown(site, folder)
    return Unwritable(f"{shown} is {'on a read-only file system' if readonly else 'read-only for this user'}: a "
                      "build writes the new site beside the output folder, then swaps it in; make that folder writable, "
                      "or choose another output folder", site.is_relative_to(folder))


def _not_written(out: Path) -> list[str]:
    """The files and folders in an output folder of ours that the build which wrote it did not write (its
    marker lists them: what a user added since, a CNAME, a folder of images), sorted; none for a folder
    marked before markers listed files, or whose list does not read."""
    text = _marker(out) or b""
    _, found, listing = text.partition(LISTED.encode())
    written = None
    for loads in (orjson.loads, json.loads) if found else ():  # (json: names that are not UTF-8, which orjson refuses)
        try:
            written = set(loads(listing))
            break
        except (ValueError, TypeError):  # (a marker edited by hand: what it lists is not known)
            continue
    if not written:
        return []
    folders = set()
    for rel in written:
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[: n + 1]) + "/" for n in range(len(parts)))
    try:
        return sorted(rel for rel in _entries(out, folders) if rel not in written and rel != MARKER)
    except OSError as exc:  # a folder in it that cannot be listed (chmod 000): what is in it is not known
        where = os.path.relpath(os.fsdecode(exc.filename), out) if exc.filename else "a folder"
        raise OutputRefused(f"{out} holds {where}, which cannot be looked into ({exc.strerror or exc}): a build "
                            "replaces the folder whole, and deletes nothing it did not write; make it readable "
                            "(chmod u+rwx) or remove it") from None


def _marker(out: Path) -> bytes | None:
    """The bytes of `out`'s marker, b"" where it cannot be read; None where there is no marker: nothing, or
    not a plain file (a pipe put in its place would hang the build that read it, a link lead anywhere)."""
    try:
        fd = os.open(out / MARKER, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except PermissionError:
        return b"" if (out / MARKER).is_file() and not (out / MARKER).is_symlink() else None
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    except OSError:
        return b""
    finally:
        os.close(fd)


def _entries(top: Path, folders: set[str] | None = None, empty: bool = False) -> list[str]:
    """The files under `top`, as paths relative to it; a folder not in `folders` (where given) is one
    entry, "name/", not looked into; with `empty`, an empty folder is one entry "name/" too."""
    found, todo = [], [(os.fspath(top), "")]
    while todo:
        folder, rel = todo.pop()
        with os.scandir(folder) as entries:
            held = False
            for entry in entries:
                held = True
                inner = rel + entry.name
                if not entry.is_dir(follow_symlinks=False):
                    found.append(inner)
                elif folders is None or inner + "/" in folders:
                    todo.append((entry.path, inner + "/"))
                else:
                    found.append(inner + "/")
            if empty and not held and rel:
                found.append(rel)
    return found


def _listing(folder: Path) -> bytes:
    """The marker for a complete new output folder: MARKER_TEXT, then the paths of every file in it, and of
    every empty folder ("search/data/t/" of an empty index, an empty folder of static/: without them the
    next build took them for a user's and stopped), as a JSON list (a static file's name may hold a line
    break, or bytes that are not UTF-8)."""
    files = sorted(rel for rel in _entries(folder, empty=True) if rel != MARKER)
    try:
        listed = orjson.dumps(files)
    except TypeError:  # (a name with bytes that are not UTF-8: Python's json escapes what they became)
        listed = json.dumps(files).encode()
    return (MARKER_TEXT + LISTED).encode() + listed + b"\n"


def published(out: Path) -> bool:
    """Whether `out` holds a site a build published (its marker): what a failed build leaves as it was."""
    return os.path.isfile(os.path.join(out, MARKER))  # (os.path: no OSError)


def output_problem(site: Path, out: Path, exc: Exception) -> Problem:
    """Why the site could not be written, located at the output folder (as the user named it)."""
    shown = _shown(site, out)
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc)
        if exc.errno == errno.EBUSY:  # rename(2) on a mount point: the folder cannot be swapped as a whole
            what += " (it is a mount point, which a build cannot replace: build into a folder inside it)"
        elif exc.errno in (errno.EEXIST, errno.ENOTDIR) and (blocker := _file_on_the_way(out)) is not None:
            what = f"{_shown(site, blocker)} is a file, not a folder"  # (mkdir's "File exists" names neither)
        elif exc.errno == errno.EFBIG:  # a file past the size this process may write (`ulimit -f`) or the disk holds
            what += " (a file of the site is larger than this process may write, `ulimit -f`, or this disk may hold)"
        kept = published(out)
        if kept and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            what += (" (the new site is written whole beside the previous one, then swapped in: the disk needs"
                     " room for both)")
        message = f"cannot write the site here: {what}; " + ("the previous output is unchanged" if kept
                                                              else "nothing was written")
    else:
        message = str(exc)
    return Problem(shown, 1, 1, message)


def _shown(site: Path, path: Path) -> str:
    """`path` relative to the site where it is inside it, else as the user named it."""
    try:  # (as absolute paths: a site given as "site" and an output as "/home/me/site/content" compare)
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(site)).as_posix()
    except ValueError:
        return str(path)


def _file_on_the_way(out: Path) -> Path | None:
    """The first of `out` and the folders above it that is there but is no folder (it stops the build making
    `out`); None when there is none."""
    for path in reversed([out, *out.parents]):
        if os.path.exists(path) and not os.path.isdir(path):  # (os.path: no OSError)
            return path
    return None


def safe_relative(path: str) -> PurePosixPath:
    """A page path that stays inside the output folder."""
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise ValueError(f"unsafe output path: {path}")
    return p


_FRESH = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_written = itertools.count()


def _fresh(path: Path, suffix: str) -> tuple[int, str]:
    """A new temporary file beside `path`, open for writing (mode 0600), and its name: `.name.xxxxxxxx<suffix>`,
    as tempfile.mkstemp names them (tidy_in_place knows them), its eight characters from this process's id
    and a count, where mkstemp draws them at random (16 us a file, a fifth of a cache entry's write). O_EXCL:
    a file or a link already there is never opened; then mkstemp finds a free name."""
    tmp = os.path.join(path.parent, f".{path.name}.{(os.getpid() * 1000003 + next(_written)) & 0xFFFFFFFF:08x}{suffix}")
    try:
        return os.open(tmp, _FRESH, 0o600), tmp
    except FileExistsError:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)


def _stage(path: Path, data: bytes, suffix: str, keep_mode: bool, staged: list[str]) -> str:
    """Write `data` into a temporary file beside `path` (`_fresh`), named in `staged` as soon as it exists (for
    the caller to remove if it is not renamed over `path`). Its mode: the file's own (`keep_mode`, a user's own
    file, where it can be read), else 0644. A user's own file is also flushed to the disk (fsync) before it may
    replace the only copy: a power cut after a rename of what the disk had not yet stored left the file empty.
    `keep_mode`: Ctrl-C or SIGTERM come no sooner than the temporary file is named in `staged`."""
    with held() if keep_mode else contextlib.nullcontext():
        fd, tmp = _fresh(path, suffix)
        staged.append(tmp)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if keep_mode:
            os.fsync(fd)
        elif hasattr(os, "fchmod"):
            os.fchmod(fd, 0o644)
        else:  # (Windows before Python 3.13)
            os.chmod(tmp, 0o644)
    finally:
        os.close(fd)
    if keep_mode:
        try:
            shutil.copymode(path, tmp)
            st = os.stat(path)
            if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                os.chown(tmp, st.st_uid, st.st_gid)  # and its owner, where we may (`sudo glossator reanchor --write`)
        except OSError:
            pass
    return tmp


def _replace(path: Path, data: bytes, suffix: str) -> None:
    """Write `path` by a temporary file beside it (`_stage`), renamed over: a reader sees old or new, never half.
    FileNotFoundError: no folder there."""
    staged: list[str] = []
    try:
        os.replace(_stage(path, data, suffix, False, staged), path)
    except BaseException:
        for tmp in staged:
            _unlink(tmp)
        raise


def _flush_folder(folder: Path) -> None:
    """Flush a folder's entries to the disk (fsync), so that a rename in it survives a power cut. Where a
    system cannot (Windows opens no folder; some file systems refuse), the renames are done all the same."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(folder: Path, rel: str, data: bytes) -> None:
    """Write `folder/rel` atomically (serve's pages, the cache's files), its folder made if need be (when the
    first try finds none: a cache entry's write took a third longer asking first)."""
    path = folder / safe_relative(rel)
    try:
        _replace(path, data, ".tmp")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, data, ".tmp")


def remove_file(folder: Path, rel: str) -> None:
    """Remove a page written earlier, and the folders it leaves empty (up to `folder`)."""
    target = folder / safe_relative(rel)
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _target(top: str, folder: Path, path: str) -> str:
    """os.fspath(folder / safe_relative(path)) (`top`: folder as text), joined as text where `path` is
    already names joined by "/" (9,000 pathlib joins took 0.04 s of a 4,000-article build, before any page)."""
    parts = path.split("/")
    if "" in parts or "." in parts or ".." in parts or top.endswith("/"):
        return os.fspath(folder / safe_relative(path))
    return f"{top}/{path}"


def write_page(path: str, data: bytes) -> None:
    """Bytes into a new file of a fresh output folder (pages, search fragments): a plain write, by a path as text."""
    with open(path, "wb") as f:
        f.write(data)


_READ = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def copy_file(source: Path, target: str) -> None:
    """A file of static/ into the output (replacing a page at its path): shutil.copyfile's work in two opens and a
    stat, where it asks the system three times as often. A source that is not a plain file (one swapped for a pipe
    since it was listed: opening it waits for no writer) is refused, named by its path."""
    fd = os.open(source, _READ)
    with open(fd, "rb") as src:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a plain file", os.fspath(source))
        with open(target, "wb") as dst:
            if st.st_size <= 1 << 20:
                dst.write(src.read())
            else:
                shutil.copyfileobj(src, dst, 1 << 20)


def write_tree(folder: Path, jobs, copies: dict[str, Path], progress=None, reader=None, beside=None,
               digests: dict | None = None) -> dict:
    """Render page jobs across cores into `folder` (a fresh one: plain writes), in the order
    `make_pages` gives, then copy files. `reader(folder)`, called once the folders are made, gives a
    function run on each page where it is made, after it is written: (path, data) -> what it hands
    back, or None. Returns what it handed back, by path, and at plan.BESIDE what `beside(folder, that)`
    gave, run beside the later pages (make_pages). `digests`, where given, gets the file_digest of each page
    written (cache.tree_digest's `known`), but of those a file of `copies` replaced."""

    # the folders first, in plan order and in this process: a folder then lists its entries in the
    # same order on every build
    top = os.fspath(folder)
    targets = {job.path: _target(top, folder, job.path) for job in jobs}
    for parent in dict.fromkeys(os.path.dirname(target) for target in targets.values()):
        os.makedirs(parent, exist_ok=True)
    read = reader(folder) if reader is not None else None

    def use(job, data: bytes):
        write_page(targets[job.path], data)
        return read(job.path, data) if read is not None else None

    from .render.plan import make_pages  # (the render stack: see build.py's `meanwhile`)

    kept: dict = {}
    problems = make_pages(jobs, use, progress, kept, beside and (lambda read: beside(folder, read)), digests)
    if problems:
        raise ProblemError(*problems)
    made = set()
    for rel, source in copies.items():
        if digests is not None:
            digests.pop(rel, None)
        target = os.path.join(top, safe_relative(rel))
        parent = os.path.dirname(target)
        if parent not in made:  # (each folder once: static/ may hold thousands of files)
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            copy_file(source, target)
        except OSError as exc:
            if (exc.filename is None or os.fsdecode(exc.filename) != str(source)
                    or exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)):
                # the output's own trouble (a full disk), said at the output folder, whichever file it names
                raise
            # the file in static/ went away (or became unreadable) after it was listed: said at its own path
            raise ProblemError(Problem(f"static/{rel}", 1, 1, f"could not be copied: {exc.strerror or exc} (was it "
                                       "removed or changed during the build?); nothing was published")) from None
    return kept


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def _beside(out: Path, kind: str) -> Path:
    """A new folder beside `out` for a build's `kind` ("new", "old"): `.<out>.<kind>-` and tempfile's
    eight random letters, digits or "_", the names `tidy` knows as ours."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-", dir=out.parent))


def discard(folder: Path) -> None:
    """Remove a folder of ours, its marker last: a removal cut short (a kill, a crash) leaves a folder
    still marked as ours, which `tidy` removes next time. Folders in it that its owner made read-only
    (a site published with `chmod -R a-w`) are made writable first, where we may: so are only folders
    on their way out."""
    for attempt in range(2):
        try:
            entries = [e for e in folder.iterdir() if e.name != MARKER]
        except OSError:
            entries = []
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                try:
                    entry.unlink()
                except OSError:
                    pass
        try:
            if not any(e.name != MARKER for e in folder.iterdir()):
                (folder / MARKER).unlink(missing_ok=True)
                folder.rmdir()
                return
        except OSError:
            pass
        if attempt == 0 and not _writable(folder):
            return  # nothing was read-only: what would not go (a file the system holds) stays marked
    # something would not go: still marked, so the next build's `tidy` tries again


def _writable(top: Path) -> bool:
    """Give the owner write and search permission on every folder under `top` (links not followed) that
    lacks it, so that what is in it can be removed; whether any folder was changed."""
    changed, stack = False, [top]
    while stack:
        folder = stack.pop()
        try:
            mode = folder.lstat().st_mode
            if not stat.S_ISDIR(mode):
                continue
            if mode & 0o700 != 0o700:
                os.chmod(folder, stat.S_IMODE(mode) | 0o700)
                changed = True
            with os.scandir(folder) as listing:
                stack.extend(Path(e.path) for e in listing if e.is_dir(follow_symlinks=False))
        except OSError:
            continue
    return changed


def _named(out: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(out.name)}\.(new|old)-[a-z0-9_]{{8}}")


def _put_back(out: Path) -> None:
    """With `out` missing, the newest old site set aside beside it (ours, named by `_beside`) back as `out`."""
    if out.exists() or out.is_symlink():
        return
    named = _named(out)
    aside = [p for p in out.parent.glob(f".{glob.escape(out.name)}.old-*") if named.fullmatch(p.name) and _ours(p)]
    if aside:
        os.rename(max(aside, key=lambda p: p.stat().st_mtime), out)


def restore(out: Path, held: Path | None = None) -> None:
    """First thing in a build, failed, up to date or not: put back the site that a build killed between its two
    renames left aside, so that what was published is published still, and remove what killed builds left
    beside it (see `tidy`; a build stopped while it removed the old site is up to date). `held`: the output
    folder whose lock this build holds already (`reserved`)."""
    try:
        out = real(out)
        if out.is_symlink() or not out.parent.is_dir():
            return
        with contextlib.nullcontext() if out == held else locked(out):
            tidy(out)  # which puts it back first
    except (OutputRefused, OSError):  # another build holds the folder (it puts it back), or it cannot be
        pass


def tidy(out: Path) -> None:
    """Remove what killed builds left beside `out`: folders marked by us and named exactly as `_beside`
    names them (a copy the user made, `.www.old-2026`, is marked too, but not named so), and empty ones
    of those names (a removal killed between its marker and its folder). Where a build without an
    atomic exchange (NFS, vfat) was killed between its two renames, `out` is missing and the site last
    published is set aside as `old`: it is put back first, as the site published."""
    named = _named(out)
    _put_back(out)
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.*-*"):
        if named.fullmatch(leftover.name) and _ours(leftover):
            discard(leftover)
        elif named.fullmatch(leftover.name) and leftover.is_dir() and not leftover.is_symlink():
            try:
                leftover.rmdir()  # only when empty
            except OSError:
                pass


LOCK_TEXT = b"Glossator holds this lock while it builds the folder beside it; it removes the file when done.\n"


@contextmanager
def locked(out: Path):
    """One build at a time into one output folder: a lock file beside it, held while the build runs
    (released by the system if it crashes) and removed when it ends, so nothing is left beside `out`;
    a file of that name that is not ours (a user's, without LOCK_TEXT) is locked as it is, and kept.
    A lock taken on a file that its holder removed meanwhile is not a lock: taken again, on a new file."""
    path = out.parent / f".{out.name}.lock"
    while True:
        if path.is_symlink():  # never followed: opening it would create a file wherever it points
            raise OutputRefused(f"{path} is a link, where the build keeps its lock file: remove it")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            try:
                os.write(fd, LOCK_TEXT)
            except OSError:  # a full disk: no lock file left behind
                os.close(fd)
                os.unlink(path)
                raise
        except FileExistsError:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
            except FileNotFoundError:  # removed meanwhile by the build that held it
                continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Busy(f"another build is writing {out} right now: try again when it has finished") from None
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)

    def release() -> None:
        try:
            if os.pread(fd, len(LOCK_TEXT) + 1, 0) == LOCK_TEXT:  # ours, or a killed build's
                os.unlink(path)  # while it is still held
        except OSError:
            pass

    try:
        with undone_on_terminate(release):
            yield
    finally:
        release()
        os.close(fd)


@contextmanager
def reserved(site: Path, out: Path, named: bool = True):
    """The output folder's lock, taken before a build does any work and held to its end: a second build
    into the same folder is refused at once (Busy), not once it has loaded and rendered everything. Gives
    the folder held (as `real` gives it), or None where it is not taken here: a folder the build will
    refuse (`check_place`; what is in it, `check_target`, is looked at when it publishes: said with the site's
    other problems), or one whose parent folder is not there yet (made, then locked, by `publish`)."""
    with contextlib.ExitStack() as held:
        try:
            where = check_place(site, out, named)
            if where.parent.is_dir():
                held.enter_context(locked(where))
            else:
                where = None
        except Busy:
            raise
        except (OutputRefused, OSError):  # said where the build publishes, with the site's other problems
            where = None
        yield where


def publish(site: Path, out: Path, jobs, copies: dict[str, Path], progress=None, finish=None,
            named: bool = True, reader=None, beside=None, digests: dict | None = None, held: Path | None = None) -> None:
    """Write everything into a fresh folder next to `out`, then swap it in. `finish(folder, read)` runs on
    the complete new folder before the swap (the search index), given what `reader` read of the pages
    and what `beside` gave (see `write_tree`, and for `digests`): if either raises, nothing is published.
    `held`: the output folder whose lock the build took already (`reserved`)."""
    check_target(site, out, named)
    out = real(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.nullcontext() if out == held else locked(out):
        tidy(out)
        made: list[Path] = []  # the new folder beside `out`, once made: what SIGTERM or SIGHUP removes
        with undone_on_terminate(lambda: made and discard(made[0])):
            _fill_and_swap(out, made, jobs, copies, progress, finish, reader, beside, digests)


def _fill_and_swap(out: Path, made: list, jobs, copies: dict[str, Path], progress, finish, reader, beside, digests) -> None:
    """`publish`'s work, with the output folder locked: a new folder made beside it (into `made`), filled, swapped in."""
    published = False  # the new site is out: what follows is removing the old one, and the build is done
    try:
        # made, marked (a killed build's leftover is known as ours) and known to what undoes it, with no
        # signal between: SIGHUP just after the folder was made left it empty and unmarked, for good
        with held():
            made.append(fresh := _beside(out, "new"))
            (fresh / MARKER).write_text(MARKER_TEXT)
        read = write_tree(fresh, jobs, copies, progress, reader, beside, digests)
        if finish is not None:
            finish(fresh, read)
        (fresh / MARKER).write_bytes(_listing(fresh))  # (what the next build may replace)
        checkpoint()  # a Ctrl-C swallowed on the way publishes nothing
        if out.is_dir():
            mode = out.stat().st_mode & 0o7777  # a folder the user made keeps its mode
        else:  # a new one follows the umask, as the files in it do (the marker was made under it)
            mode = (fresh / MARKER).stat().st_mode & 0o666
            mode |= (mode & 0o444) >> 2
        os.chmod(fresh, mode)
        if out.is_dir():
            st = out.stat()
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(fresh, st.st_uid, st.st_gid)  # and its owner, where we may
                except OSError:
                    pass
        if not out.exists():
            with held():
                os.rename(fresh, out)
                published = True
                too_late_to_stop()
        else:
            with held():  # (a signal that comes during the swap is delivered once `published` says it was made)
                published = _exchange(fresh, out)
                too_late_to_stop(published)
            if published:
                discard(fresh)  # now the old site
            else:
                old = _beside(out, "old")
                os.rmdir(old)
                os.rename(out, old)
                with held():
                    try:
                        os.rename(fresh, out)
                    except BaseException:
                        os.rename(old, out)  # put back: a failed build changes nothing published
                        raise
                    published = True
                    too_late_to_stop()
                discard(old)
    except BaseException as exc:
        if published and isinstance(exc, KeyboardInterrupt):  # Ctrl-C while the old site was removed: the new
            return  # one is published, the build done; what is left of the old one, still marked, goes with the next `tidy`
        if made:
            discard(made[0])
        raise


def static_files(site: Path, assets: Path) -> dict[str, Path]:
    """Built-in assets under assets/, then the site's static/ copied as it is (it may override them).
    Links out of the site are never followed (loading the site reports them: read/files.py)."""
    from .errors import Problems
    from .read.files import walk

    copies = {f"assets/{p.name}": p for p in sorted(assets.iterdir()) if p.is_file()}
    copies.update(walk(site, "static", Problems()))
    return copies


IN_PLACE = ".glossator-tmp"  # the suffix of write_in_place's temporary files (write_atomic's: ".tmp")
STALE = 60  # seconds: a temporary file unchanged this long is no write in progress (one takes milliseconds)


def write_in_place(files: dict[Path, bytes]) -> dict[Path, OSError]:
    """Replace a user's own files (`reanchor --write`), all of them or none: each is written beside itself and
    flushed to the disk (`_stage`), then all are renamed over, then their folders flushed. A power cut leaves
    each file old or new, never empty; one that cannot be written (a full disk, a read-only folder) leaves every
    file as it was. Returns why, for each file that could not be written (empty: all were). Ctrl-C or SIGTERM
    leave no temporary file beside them. A link (one inside the site: loading refuses others) keeps being a
    link: its file is the one replaced."""
    staged: list[str] = []
    failed: dict[Path, OSError] = {}
    with undone_on_terminate(lambda: [_unlink(tmp) for tmp in staged]):
        try:
            ready = []
            for path, data in files.items():
                real = Path(os.path.realpath(path))
                try:
                    ready.append((path, real, _stage(real, data, IN_PLACE, True, staged)))
                except OSError as exc:
                    failed[path] = exc
            if failed:
                return failed
            with held():  # (Ctrl-C, SIGTERM: after the renames, all of them)
                for path, real, tmp in ready:
                    try:
                        os.replace(tmp, real)
                        staged.remove(tmp)
                    except OSError as exc:  # (a rename needs no room: a file or folder made read-only meanwhile)
                        failed[path] = exc
            for folder in {real.parent for _, real, _ in ready}:
                _flush_folder(folder)
        finally:
            for tmp in staged:
                _unlink(tmp)
    return failed


def tidy_in_place(folder: Path, suffix: str = IN_PLACE) -> None:
    """Remove the temporary files that a killed write_in_place (or write_atomic, `suffix` ".tmp") left in
    `folder`: only files of its own naming (`.a.yaml.k3j9x_2q.glossator-tmp`, as tempfile.mkstemp names
    them), plain files of this user, untouched for STALE seconds."""
    left = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(suffix))
    try:
        entries = [e for e in os.scandir(folder) if left.fullmatch(e.name)]
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and time.time() - info.st_mtime > STALE:
                os.unlink(entry.path)
        except OSError:
            pass
