"""Reaching a site's files: one rule for links, and the system's refusals as located problems.

The rule, for every input (site.toml, content/, annotations/, templates/, static/): nothing
outside the site's folder is read or published through a link. A symbolic link, to a file or to
a folder (static/ itself, say), is followed when it leads to something inside the site; one that
leads outside it, to nothing, or round in a loop is an error at the link, and what it points to
is never read. Anything that is not a plain file or folder (a pipe, a device) is an error too.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from ..errors import Problems

FILE, FOLDER = "file", "folder"
OUTPUT_MARKER = ".glossator-output"  # the file a build leaves in every output folder it writes
# the site's own files and folders, never an output folder nor inside one (the repository's own tool is in
# `builder`; git's and the cache's folders hold what no build may replace)
SOURCES = ("content", "annotations", "templates", "static", "site.toml", "schema", "builder", ".git", ".glossator-cache")
MAX_FOLDERS = 100_000  # folders walked in one input folder, links followed: more is a trap, not a site
MAX_NAMES = 8  # names one folder may be published under, through links
MAX_BYTES = 64 * 2**20  # an article or annotation file larger than this is not one: it is refused, never read whole
MAX_LAYER = 4 * 2**20  # an annotation file: 4,000 notes of 1 KB, and about 2 s a megabyte to check; 8 MB took 16 s to refuse
MAX_MARKDOWN = 16 * 2**20  # a Markdown article: its parse takes about 65 times its size in memory (10 MB: 650 MB)
MAX_CONFIG = 2**20  # site.toml: a site's settings take a few kilobytes (5 million numbers, 10 MB, took 45 s to read)


def hidden(name: str) -> bool:
    """Files no one means as input: dot files, and editors' backups (`x.txt~`, `#x.txt#`)."""
    return name.startswith(".") or name.endswith("~") or _autosave(name)


def _autosave(name: str) -> bool:
    """Emacs's copy of a file with unsaved changes, `#x.txt#`: a name that only starts with "#" is a user's."""
    return len(name) > 1 and name.startswith("#") and name.endswith("#")


def _root(site: Path) -> Path:
    return site.resolve()


def real(path: Path) -> Path:
    """`path` with its links followed, as far as it exists; OSError (ELOOP) when they loop (where
    Python's own resolve() raises RuntimeError, before 3.13, or leaves the loop in the path)."""
    found = Path(os.path.realpath(path))
    try:
        os.stat(found)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise
    return found


def inspect(site: Path, path: Path, rel: str, problems: Problems, in_checked_folder: bool = False) -> str | None:
    """FILE or FOLDER when `path` may be read under the rule; otherwise None, and the reason
    reported at `rel` (a path that does not exist at all is None and not reported).
    `in_checked_folder`: `path` is an entry of a folder this rule has let through, so an entry that
    is not a link is inside the site too (one lstat, not one per component of its path and the site's)."""
    if in_checked_folder:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = 0
        if stat.S_ISREG(mode):
            return FILE
        if stat.S_ISDIR(mode):
            return FOLDER
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            problems.error(rel, 1, 1, f'is a link that points to nothing ("{_target(path)}"): remove it or point it at a file in the site')
        return None
    except (RuntimeError, OSError) as exc:  # a loop of links (RuntimeError before Python 3.13), or ELOOP
        if isinstance(exc, OSError) and exc.errno not in (None, errno.ELOOP):
            problems.error(rel, 1, 1, f"cannot be reached: {exc.strerror or exc}")
        else:
            problems.error(rel, 1, 1, "is a link that loops back on itself: remove it")
        return None
    if not real.is_relative_to(_root(site)):
        problems.error(rel, 1, 1, f'is a link to "{_target(path)}", outside the site\'s folder: nothing outside the site '
                                  "is read or published through a link (copy what you need into the site)")
        return None
    if any(part.startswith(".") for part in real.relative_to(_root(site)).parts):  # only a link leads there
        problems.error(rel, 1, 1, f'is a link to "{_target(path)}", a hidden file of the site: the site\'s own sources and '
                                  "hidden files (git's, the cache's) are never read or published through a link (copy "
                                  "what you need into the site)")
        return None
    if real != _root(site) / rel and (built := _built_site(_root(site), real)) is not None:  # (only a link leads there)
        problems.error(rel, 1, 1, f'is a link to "{_target(path)}", into a built site ({built.as_posix()}/): '
                                  "each build would read the last one's output; link to the source instead, or copy "
                                  "what you need into the site")
        return None
    try:
        mode = real.stat().st_mode
    except OSError as exc:
        problems.error(rel, 1, 1, f"cannot be reached: {exc.strerror or exc}")
        return None
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISREG(mode):
        return FILE
    problems.error(rel, 1, 1, "is not a plain file or folder (a pipe, socket or device?): remove it")
    return None


def _built_site(root: Path, real: Path) -> Path | None:
    """The folder of `real`, relative to the site's `root`, that a build wrote (its marker in it), if any."""
    parts = real.relative_to(root).parts
    for n in range(1, len(parts) + 1):
        try:
            if (root.joinpath(*parts[:n]) / OUTPUT_MARKER).is_file():
                return Path(*parts[:n])
        except OSError:  # (a folder that cannot be looked into: no build wrote it)
            return None
    return None


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def folder(site: Path, name: str, problems: Problems) -> Path | None:
    """The site's input folder `name` when it exists and may be read; a file of that name is an error."""
    kind = inspect(site, site / name, name, problems)
    if kind == FILE:
        problems.error(name, 1, 1, f"{name} is a file, but it should be a folder: rename or remove it")
        return None
    return site / name if kind == FOLDER else None


def unpublished(name: str) -> bool:
    """Files in static/ that are never copied: version control's and the system's, editors' backups, swap and
    lock files (Emacs's `.#x.css`, a link to nowhere while a file has unsaved changes). Other dot files are
    (`.well-known/`, `.nojekyll`): static/ is published as it is."""
    return name in (".git", ".svn", ".hg", ".DS_Store", OUTPUT_MARKER) or name.endswith(("~", ".swp", ".swo")) \
        or name.startswith(".#") or _autosave(name)


def entries(site: Path, rel: str, problems: Problems, published: bool = False) -> list[Path]:
    """The entries of a folder, sorted, without hidden ones (in a `published` folder, without the
    unpublished ones); a folder that cannot be listed is an error."""
    skip = unpublished if published else hidden
    try:
        return sorted(p for p in (site / rel).iterdir() if not skip(p.name))
    except OSError as exc:
        problems.error(rel, 1, 1, f"cannot list this folder: {exc.strerror or exc}")
        return []


PUBLISHED = ("static",)  # input folders copied into the output as they are
PRIVATE = ("content", "annotations", "templates", "site.toml")  # the site's sources: never published through a link


def walk(site: Path, name: str, problems: Problems) -> dict[str, Path]:
    """Every file under the input folder `name`, keyed by its path inside it, sorted; links and
    unreadable folders reported. A folder linked from inside the site is walked under each of its
    names (static/ is published as it is), and a link to a folder that holds it is an error (it would
    nest itself for ever). In a folder that is published, a link may not lead to the site's sources
    (`static/src -> ..` would publish articles kept to excerpts, annotation files, .git)."""
    found: dict[str, Path] = {}
    top = folder(site, name, problems)
    if top is None:
        return found
    root = _root(site)
    visits = [0]  # folders walked
    names: dict[Path, int] = {}  # real folder -> the names it was walked under (links that fan out, each folder
    # two links to the next, give the 20th folder a million names)

    def private(path: Path, itself: bool = False) -> bool:
        """Whether a linked path is (or holds) the site's sources or its hidden files (.git, the cache).
        `itself`: the path is the input folder `name` (`static -> content`), not an entry of it."""
        real = path.resolve()
        if not itself and top.resolve().is_relative_to(real) and real != top.resolve():  # the site, or a folder
            return True  # that holds this one (`static/up -> .`, static/ itself, is a loop: `visit` says so)
        if not real.is_relative_to(root):
            return False  # refused already as outside the site
        parts = real.relative_to(root).parts
        if not parts:  # the site's own folder (`static -> .`)
            return True
        if any((root.joinpath(*parts[:n]) / OUTPUT_MARKER).is_file() for n in range(1, len(parts) + 1)):
            return True  # a built site (the last output: each build would nest it once more)
        return parts[0] in PRIVATE or any(part.startswith(".") for part in parts)

    def visit(rel: str, above: frozenset) -> None:
        visits[0] += 1
        if visits[0] > MAX_FOLDERS:
            raise RecursionError
        for path in entries(site, rel, problems, published=name in PUBLISHED):
            inner = f"{rel}/{path.name}"
            if not _utf8(path.name):  # (never opened: serve's watcher stops at a change to it, `_changes`)
                problems.error(inner, 1, 1, "its name is not UTF-8, so no page can link to it and serve cannot "
                                            "watch it: rename it")
                continue
            kind = inspect(site, path, inner, problems, in_checked_folder=True)
            if kind is not None and name in PUBLISHED and path.is_symlink() and private(path):
                sources_linked(inner, path)
                continue
            if kind == FILE and _readable(path, inner, problems):
                found[inner[len(name) + 1:]] = path
            elif kind == FOLDER:
                real = path.resolve()
                names[real] = names.get(real, 0) + 1
                if any(walked.is_relative_to(real) for walked in above):  # (`templates/up -> ..` holds templates/)
                    problems.error(inner, 1, 1, f'is a link to "{_target(path)}", a folder that holds it: it would nest '
                                                "itself for ever (remove the link)")
                elif names[real] > MAX_NAMES:
                    problems.error(inner, 1, 1, f'is a link to "{_target(path)}", a folder that links give {MAX_NAMES} '
                                                "names already: refused (links that lead to links multiply the files; "
                                                "link to the folder itself, or copy it)")
                else:
                    visit(inner, above | {real})

    def sources_linked(rel: str, path: Path) -> None:
        problems.error(rel, 1, 1, f'is a link to "{_target(path)}", the site\'s own sources: {name}/ is published '
                                  "as it is, and a link never publishes articles, annotations, templates, "
                                  "site.toml, hidden files or a built site (copy what you mean to publish into it)")

    if name in PUBLISHED and (site / name).is_symlink() and private(site / name, itself=True):
        sources_linked(name, site / name)  # (`static -> content` published every article whole)
        return found
    try:
        visit(name, frozenset({top.resolve()}))
    except RecursionError:
        problems.error(name, 1, 1, f"{name}/ nests folders hundreds of levels deep, or links reach more than "
                                   f"{MAX_FOLDERS:,} folders in it: Glossator refuses it (flatten it)")
    return dict(sorted(found.items()))


def _utf8(name: str) -> bool:
    """Whether a file name read from the disk is UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _readable(path: Path, rel: str, problems: Problems) -> bool:
    """Whether a file that is copied or read later can be opened: `check` says so now."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        return True
    except OSError as exc:
        problems.error(rel, 1, 1, f"cannot read this file: {exc.strerror or exc}")
        return False


_READ: dict | None = None  # path -> the bytes `read` gave, while `recorded`


@contextlib.contextmanager
def recorded():
    """{path: bytes} of every file `read` reads in this block, as it read them: the article cache keys an
    article by the very bytes it was loaded from, read once, not by a second read that a file saved
    meanwhile could make disagree."""
    global _READ
    outer, _READ = _READ, {}
    try:
        yield _READ
    finally:
        _READ = outer


def read(path: Path, rel: str, problems: Problems, limit: int | None = None) -> bytes | None:
    """A file's bytes; a file the system refuses to read (permissions, a disk error), or one larger
    than `limit` (default MAX_BYTES; MAX_MARKDOWN for a Markdown article, MAX_LAYER for an annotation file,
    MAX_CONFIG for site.toml), is a located problem."""
    limit = MAX_BYTES if limit is None else limit
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(size + 1) if size <= limit else b""  # asking for MAX_BYTES took 4x as long
            if size < len(data) <= limit:  # it grew, or its size is not known (a pipe): read on, to the limit
                data += f.read(limit + 1 - len(data))
    except OSError as exc:
        problems.error(rel, 1, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    if size > limit or len(data) > limit:
        what = ("Markdown articles of at most {} MB (reading Markdown takes about 65 times its size in memory; "
                "a longer text can be published as .txt)" if limit == MAX_MARKDOWN else
                "a site.toml of at most {} MB (a site's settings take a few kilobytes)" if limit == MAX_CONFIG else
                "annotation files of at most {} MB (4,000 notes of a kilobyte each: a layer this large is probably "
                "not one)" if limit == MAX_LAYER else
                "articles of at most {} MB (an article this large is probably not one)")
        mb = max(size, len(data)) / 2**20
        problems.error(rel, 1, 1, f"this file is {mb:,.{0 if mb >= 10 else 1}f} MB: Glossator reads "
                       + what.format(limit // 2**20))
        return None
    if _READ is not None:
        _READ[path] = data
    return data
