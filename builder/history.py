"""The site's git history, read with the `git` command in a few batched calls.

One `git log` gives every commit that touched content/ or annotations/ (a file renamed keeps the
history of its old name: `path_at` finds its name in an older commit); one `git ls-tree` gives
the blob of each file at HEAD (a working file whose bytes hash to another blob has uncommitted
changes). A file touched by a single commit and unchanged since needs nothing more: every line
comes from that commit. Only the other files are blamed, one `git blame` each (blame follows renames). Blobs of old
versions come from one `git cat-file --batch`. Without git, or outside a work tree, `open`
gives None and everything that uses history is left out.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Problem

UNCOMMITTED = "0" * 40
PATCH = ("--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative")  # whatever the user's git config says


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


class Files:
    """A site's files as one build asks git about them: each one's blob id and count of lines, read once (a
    build read each file three times, and hashed it as often, for its cache key, drift and provenance).
    Made per build: serve's files change between its questions."""

    def __init__(self, site: Path):
        self.site = site
        self._got: dict[str, tuple[str, int]] = {}

    def get(self, rel: str) -> tuple[str, int]:
        """(blob id, lines) of the file `rel` (relative to the site). Raises OSError."""
        got = self._got.get(rel)
        if got is None:
            data = (self.site / rel).read_bytes()
            got = self._got[rel] = (blob_id(data), _line_count(data))
        return got


def _line_count(data: bytes) -> int:
    """Lines of a file, a last one without its newline counted."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def _git(cwd: Path, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)) -> bytes | None:
    """What git printed, None where it failed (an exit code not in `ok`) or is not there."""
    try:
        # --no-optional-locks: reading the history never takes the repository's index lock (`git diff` refreshes
        # the index when it may), which made the writer's own `git add` or `git commit`, run meanwhile by serve's
        # side, fail with "Unable to create '.git/index.lock': File exists"
        done = subprocess.run(["git", "-C", str(cwd), "--no-optional-locks", *_unarmed(str(cwd)), *args], input=stdin, capture_output=True,
                              check=False)
    except OSError:
        return None
    return done.stdout if done.returncode in ok else None


PIPE_SAFE = 4096  # bytes of a question to _Batch written at once (a pipe holds 64 KiB; git has read all before)


class _Batch:
    """One `git cat-file --batch` a History asks for objects as it goes, started when first asked: a check asked
    git for old versions two to four times, a process each. A forked worker that asks starts its own."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self._proc: subprocess.Popen | None = None
        self._pid = 0  # the process that started it
        self._lock = threading.Lock()

    def ask(self, names: list[str]) -> bytes | None:
        """What `git cat-file --batch` prints of these names (an object, or `<name> missing`, each); None where git
        failed (it stops at a blob a partial clone cannot fetch: nothing of the question is kept)."""
        with self._lock:
            if self._proc is None or self._pid != os.getpid():
                try:
                    self._proc = subprocess.Popen(["git", "-C", str(self.cwd), "--no-optional-locks",
                                                   *_unarmed(str(self.cwd)), "cat-file", "--batch"],
                                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                except OSError:
                    return None
                self._pid = os.getpid()
            proc, query = self._proc, "".join(f"{n}\n" for n in names).encode()
            writer = None
            try:
                if len(query) <= PIPE_SAFE:
                    _send(proc.stdin, query)
                else:  # (git answers as it reads: written whole first, a long question and its answer would each wait
                    writer = threading.Thread(target=_send, args=(proc.stdin, query), daemon=True)  # for the other)
                    writer.start()
                out = []
                for _ in names:
                    header = proc.stdout.readline()
                    parts = header.split()
                    size = int(parts[2]) + 1 if len(parts) == 3 and parts[2].isdigit() else 0
                    data = proc.stdout.read(size) if size else b""
                    if not header.endswith(b"\n") or len(data) < size:  # git stopped
                        self.close(writer)
                        return None
                    out += [header, data]
                return b"".join(out)
            except BaseException:  # (a signal, say: git is ended, and the writer with it)
                self.close(writer)
                raise
            finally:
                if writer is not None:
                    writer.join()

    def close(self, writer: threading.Thread | None = None) -> None:
        """Ends git (from the process that started it: a forked worker's copy is left alone), and then `writer`."""
        proc, self._proc = self._proc, None
        if proc is not None and self._pid == os.getpid():
            proc.kill()  # (not a wait for it to read the end of its input: a forked worker may hold that open)
            proc.wait()
            if writer is not None:
                writer.join()
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except (OSError, ValueError):  # (what was left to write to git, ended)
                    pass


def _send(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.flush()
    except (OSError, ValueError):  # (git ended)
        pass


@functools.lru_cache(maxsize=64)
def _unarmed(cwd: str) -> tuple[str, ...]:
    """Settings that keep git from running commands named in the repository's own config: a site that came
    as an archive may bring a .git/config (or a .git/config.worktree) whose fsmonitor, or clean filter (run
    on the working files that `diff` and `blame` read), is a program. The user's own config (git-lfs, say)
    is left as it is."""
    unarmed = ["-c", "core.fsmonitor=false"]
    keys: set[str] = set()
    for query in (["--show-scope"], ["--local"]):  # the repository's scopes, local and worktree (git 2.26 on)
        try:
            done = subprocess.run(["git", "-C", cwd, "config", *query, "--includes", "--null", "--name-only",
                                   "--get-regexp", r"^filter\."], capture_output=True, check=False)
        except OSError:
            return tuple(unarmed)
        if done.returncode not in (0, 1):  # 1: no such key; else (an older git): the next query
            continue
        fields = done.stdout.decode("utf-8", "replace").split("\0")
        if query == ["--show-scope"]:
            keys = {key for scope, key in zip(fields[::2], fields[1::2]) if scope in ("local", "worktree")}
        else:
            keys = {key for key in fields if key}
        break
    for key in sorted({k.rpartition(".")[0] for k in keys}):
        for part in ("clean", "smudge", "process"):
            unarmed += ["-c", f"{key}.{part}="]
    return tuple(unarmed)


def head(site: Path) -> str:
    """The commit checked out in the site's work tree ("" outside git)."""
    found = repo(site)
    return found.head if found else ""


@dataclass(frozen=True, slots=True)
class Repo:
    """What one `git rev-parse` says of the repository a site is in (asked once where three calls asked it)."""

    head: str  # the commit checked out ("" before the first commit)
    prefix: str | None  # the site folder relative to the repository's top, "" or "x/y/"; None outside a work tree
    shallow: Path  # the file that lists where a shallow clone's history stops (absent in a full clone)


def _repository_folder(site: Path) -> Path | None:
    """The site's folder or the nearest folder above it that holds a .git, or is a bare repository (HEAD beside
    objects/); None where there is none. Raises OSError (or RuntimeError) where a folder cannot be looked at."""
    start = site.resolve()
    return next((d for d in (start, *start.parents)
                 if (d / ".git").exists() or ((d / "HEAD").is_file() and (d / "objects").is_dir())), None)


def _no_repository(site: Path) -> bool:
    """Whether git would find no repository for the site, told without starting it (three git processes that a
    build or a check outside git asked for nothing): no GIT_DIR in the environment and no `_repository_folder`.
    Where a folder cannot be looked at, git is asked."""
    if "GIT_DIR" in os.environ:
        return False
    try:
        return _repository_folder(site) is None
    except (OSError, RuntimeError):
        return False


_read: set[str] = set()  # the sites whose last `repo` git answered: `refused` then need not ask it again


def repo(site: Path) -> Repo | None:
    """The repository the site is in; None outside git (or without it)."""
    if shutil.which("git") is None or _no_repository(site):
        return None
    out = _git(site, "rev-parse", "--is-inside-work-tree", "--show-prefix", "--git-path", "shallow", "-q", "--verify",
               "HEAD", ok=(0, 1))  # (1: no commit yet; the other lines are said)
    lines = out.decode("utf-8", "surrogateescape").split("\n") if out else []
    if len(lines) < 3 or lines[0] not in ("true", "false"):  # true (or false: in a .git folder), the prefix, the shallow
        _read.discard(str(site))
        return None  # file, HEAD (none before the first commit)
    _read.add(str(site))
    return Repo(lines[3].strip() if len(lines) > 3 else "", lines[1].strip() if lines[0] == "true" else None,
                site / lines[2].strip())


def git_folders(site: Path) -> tuple[Path, Path] | None:
    """The repository's folders that a commit, a checkout or a reset changes, for a watcher: the work
    tree's own git folder (its HEAD) and the common one (refs, packed-refs; the same folder but in a
    `git worktree`); None outside git."""
    if shutil.which("git") is None or _no_repository(site):
        return None
    out = _git(site, "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir")
    lines = os.fsdecode(out).splitlines() if out else []
    if len(lines) != 2:
        return None
    return Path(lines[0]), Path(lines[1])


def refused(site: Path) -> str | None:
    """Why the repository the site is in cannot be read, when it is there: git is not installed (a slim CI
    image), or git refuses it for safety (one that belongs to another user, a container's mounted checkout,
    a CI job's, is not read until the user trusts it). Without a word drift would go unchecked and pages
    would lose who wrote the notes. Where `repo` just read it, git is not asked again (that answer is used once)."""
    if _no_repository(site):
        return None
    if str(site) in _read:
        _read.discard(str(site))
        return None
    if shutil.which("git") is None:
        try:
            top = _repository_folder(site)
        except (OSError, RuntimeError):
            top = None
        if top is None:
            return None
        where = top / ".git" if (top / ".git").exists() else top
        return (f"the `git` program is not installed (not found on PATH), but this site is in a git repository "
                f"({where}): drift cannot be checked, and pages say nothing of who wrote the notes and when; "
                "install git (in a slim CI image, `apt-get install git`)")
    try:
        done = subprocess.run(["git", "-C", str(site), "rev-parse", "--git-dir"], capture_output=True, check=False,
                              env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""})
    except OSError:
        return None
    if done.returncode == 0 or b"dubious ownership" not in done.stderr:
        return None
    top = re.search(r"repository at '(.*)'", done.stderr.decode("utf-8", "replace"))
    return ("git refuses to read this repository, which belongs to another user: drift cannot be checked, and pages "
            "say nothing of who wrote the notes and when; if you trust it, run `git config --global --add "
            f"safe.directory {shlex.quote(top.group(1) if top else str(site.resolve()))}` (in a CI container, after "
            "the checkout)")


def shallow_boundary(site: Path, found: Repo | None = None) -> frozenset[str]:
    """The commits where a shallow clone's history stops (none in a full clone): those whose parents it lacks
    (a root commit in the shallow file has none to lack: the history there is whole). `found`: `repo(site)`, if asked."""
    if found is None:
        out = _git(site, "rev-parse", "--git-path", "shallow")
        if not out:
            return frozenset()
    try:
        ids = (found.shallow if found else site / os.fsdecode(out).strip()).read_text("ascii", "replace").split()
    except OSError:
        return frozenset()
    raw = _git(site, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode()) or b""
    roots, pos = set(), 0
    while pos < len(raw):  # `<id> commit <size>\n<object>\n` each
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split(b" ")
        size = int(header[2]) if len(header) == 3 else 0
        head = raw[end + 1 : end + 1 + size].partition(b"\n\n")[0]
        if header[1:2] == [b"commit"] and not any(line.startswith(b"parent ") for line in head.split(b"\n")):
            roots.add(header[0].decode())
        pos = end + 1 + size + (1 if size else 0)
    return frozenset(ids) - roots


def named(files: list[str]) -> str:
    """Files as a warning names them: "a", "a and b", "a and 3 more"."""
    files = sorted(files)
    return files[0] if len(files) == 1 else f"{files[0]} and {files[1]}" if len(files) == 2 else f"{files[0]} and {len(files) - 1} more"


def shallow_gap(history: "History", files, boundary: frozenset[str]) -> list[Problem]:
    """The warning (none or one) that a shallow clone's history stops before what these annotation files
    need (theirs reaches its boundary: lines set there may have been written against an older text)."""
    short = sorted(f for f in files if history.touched.get(f) and history.touched[f][-1] in boundary)
    if not short:
        return []
    stop = history.touched[short[0]][-1]
    fix = "run `git fetch --unshallow` (in CI, check out with `fetch-depth: 0`)"
    if history.order.get(stop) == 0:  # nothing since: no version to compare with but the text now
        return _warning(short[0], f"drift cannot be checked for {named(short)}: this repository is a shallow clone, and its "
                          "history stops at its last commit, so the version of each article their annotations were "
                          f"written against is unknown; {fix}")
    when = history.commits[stop].date.isoformat() if stop in history.commits else "?"
    return _warning(short[0], f"drift can be checked only from {stop[:7]} ({when}) on for {named(short)}: this repository is "
                      "a shallow clone whose history stops there, so an edit to their articles before it, after "
                      f"their annotations were written, is not seen; {fix}")


def _warning(file: str, message: str) -> list[Problem]:
    return [Problem(file, 1, 1, message, "warning")]


def unread_gap(files) -> list[Problem]:
    """The warning (none or one) that git could not read the old versions these annotation files need."""
    if not files:
        return []
    return _warning(sorted(files)[0], f"drift cannot be checked for {named(files)}: git could not read the versions of their "
                              "articles and annotation files that the annotations were written against (in a partial "
                              "clone, `git clone --filter=…`, git fetches them from the remote, which cannot be "
                              "reached); run where the remote can be reached, or clone without `--filter`")


DENSE = 16  # files asked for in one folder of one commit from which History.blobs_at reads the folder's tree whole
TREES_KEPT = 8  # trees it keeps for later questions (a folder of 4,000 articles: about 1 MB)


def _trees(out: bytes):
    """The entries of each tree in `git cat-file --batch` output, in order: {name: (mode, object id)} (empty
    for an object missing, or not a tree). A tree is entries of `<mode> <name>\\0<id, raw>`."""
    pos = 0
    while pos < len(out):
        end = out.find(b"\n", pos)
        if end == -1:
            return
        header, pos = out[pos:end].split(b" "), end + 1
        if len(header) != 3 or not header[2].isdigit():  # `<what was asked> missing` (or ambiguous)
            yield {}
            continue
        size, width = int(header[2]), len(header[0]) // 2  # (an id is 20 bytes, 32 in a SHA-256 repository)
        data, pos = out[pos : pos + size], pos + size + 1
        entries, at = {}, 0
        while header[1] == b"tree" and at < len(data):
            space = data.index(b" ", at)
            nul = data.index(b"\0", space)
            entries[data[space + 1 : nul]] = (data[at:space], data[nul + 1 : nul + 1 + width].hex())
            at = nul + 1 + width
        yield entries


MOVED_MIN = 20  # letters and digits in a block of lines that a commit moved, to keep its lines' origins (git blame -M's)
MOVED_TRIES = 64  # places a line was removed from that are tried as a moved block's start (a line repeated thousands of times)


def _moved_origins(lines: list[str], hunks: list, sha: str) -> list[list[str]]:
    """The origin of each line each hunk of one commit to an annotation file adds: `sha`, but for a block of two
    lines or more (and MOVED_MIN letters and digits) that the same commit removed elsewhere, word for word: a
    block moved (an annotation put in reading order) keeps the commits that wrote it, as `git blame -M` says.
    (Not for articles: a paragraph moved is a change to its passages, said in the page's list of changes.)"""
    removed = [(text, origin) for at, old_len, _, gone, _ in hunks
               for text, origin in zip(gone, lines[at : at + old_len])]
    texts = [text for text, _ in removed]
    starts: dict[str, list[int]] = {}  # where each line that may start a block was removed (not a blank one)
    for j, text in enumerate(texts):
        if any(c.isalnum() for c in text):
            starts.setdefault(text, []).append(j)
    taken = [False] * len(removed)
    out = []
    for _, _, new_len, _, came in hunks:
        origins, i = [sha] * new_len, 0
        while i < min(new_len, len(came)):
            best, where = 0, -1
            for j in starts.get(came[i], ())[:MOVED_TRIES]:
                n = 0
                while i + n < len(came) and j + n < len(texts) and not taken[j + n] and came[i + n] == texts[j + n]:
                    n += 1
                if n > best:
                    best, where = n, j
                    if i + n == len(came):  # (no longer block can start here)
                        break
            if best >= 2 and sum(c.isalnum() for text in came[i : i + best] for c in text) >= MOVED_MIN:
                origins[i : i + best] = [origin for _, origin in removed[where : where + best]]
                taken[where : where + best] = [True] * best
                i += best
            else:
                i += 1
        out.append(origins)
    return out


class History:
    """What git knows of a site's content and annotation files (paths relative to the site)."""

    def __init__(self, site: Path, prefix: str):
        self.site = site
        self.prefix = prefix  # the site folder relative to the repository's top, "" or "x/y/"
        # as it reads in git's answers, decoded as UTF-8 with U+FFFD: a folder named in Latin-1 matched no path
        self._prefix_read = os.fsencode(prefix).decode("utf-8", "replace")
        self.commits: dict[str, Commit] = {}
        self.touched: dict[str, list[str]] = {}  # file -> commits that changed it, newest first
        self.head: dict[str, str] = {}  # file -> blob id at HEAD
        self.order: dict[str, int] = {}  # commit -> its place in the log, 0 the newest
        self._lines: dict[tuple[str, str], list[str]] = {}  # (file, blob id) -> commit of each line
        self._hunks: dict[str, list] | None = None  # file -> hunks of its modifications, oldest first
        self._merged: set[str] = set()  # files a merge commit changed: blamed instead
        self._added: dict[str, list] = {}  # file -> [(status, commit)] of its additions, deletions and renames, newest first
        self.renames: dict[str, list] = {}  # file -> [(commit, old name)] of the renames that gave it its name, newest first
        self._blob_ids: dict[tuple[str, str], str | None] = {}
        self._changes: dict[str, list[tuple[int, str | None]]] = {}  # file (its name then) -> [(commit's place in the log,
        # blob it gave the file, None: deleted or renamed)], newest first, as the log said
        self._linear = False  # whether the log was read and shows no merge: then `_changes` tell each file in each commit
        self._blobs: dict[str, bytes] = {}
        self._trees: dict[tuple[str, str], dict] = {}  # (commit, folder) -> its entries (`_trees`), the last read
        self.unread: set[str] = set()  # blob ids git could not give, and files it could not blame (a partial clone offline)
        self.moved: dict[str, str] = {}  # file -> its name at HEAD, where renamed and not yet committed (`_uncommitted_renames`)
        self.read = True  # whether git read the log (following renames reads old versions: a partial clone offline may not)
        self._batch = _Batch(site)  # (read_blobs' and blobs_at's questions, one process for all)
        weakref.finalize(self, self._batch.close)

    @classmethod
    def open(cls, site: Path, found: Repo | None = None) -> "History | None":
        """The history of the site, or None when it is not in a git work tree (or git is missing). `found`:
        `repo(site)`, if asked."""
        if shutil.which("git") is None or not (site / "content").is_dir():
            return None
        if found is None:
            out = _git(site, "rev-parse", "--is-inside-work-tree", "--show-prefix")
            found = Repo("", os.fsdecode(out).split("\n")[1].strip(), site) if out and out.startswith(b"true") else None
        if found is None or found.prefix is None:
            return None
        history = cls(site, found.prefix)
        history._read_log()
        history._uncommitted_renames()
        return history

    def saved(self):
        """What the log told, to keep in a cache keyed by the commit (see `restore`): the renames not yet
        committed left out (they are read again each time)."""
        touched, at_head = ({k: v for k, v in d.items() if k not in self.moved} for d in (self.touched, self.head))
        return (self.prefix, self.commits, self.order, touched, at_head, self._added, self.renames, self._changes,
                self._linear)  # (the last two: each file's blob in each commit, which blobs_at then need not ask git)

    @classmethod
    def restore(cls, site: Path, state) -> "History":
        """A history from `saved()` of the same commit: the log is not read again."""
        prefix, commits, order, touched, at_head, added, renames, changes, linear = state
        history = cls(site, prefix)
        history.commits, history.order, history.touched, history.head, history._added = commits, order, touched, at_head, added
        history.renames, history._changes, history._linear = renames, changes, linear
        history._uncommitted_renames()
        return history

    def _uncommitted_renames(self) -> None:
        """Files renamed in the work tree and not yet committed (`git mv`, staged, or a plain `mv`) keep the
        history of their name at HEAD, as a committed rename does: those git status pairs, and a file gone
        from HEAD paired with a new one of the same bytes, or, for an article and its annotation file, of
        the slugs the other was renamed from and to."""
        out = _git(self.site, "-c", "status.renames=true", "-c", "status.relativePaths=false",
                   "status", "--porcelain=v2", "-z", "--untracked-files=all", "--", "content", "annotations")
        fields, gone, came = (out or b"").decode("utf-8", "replace").split("\0"), [], []
        while fields:
            entry = fields.pop(0)
            kind, _, rest = entry.partition(" ")
            if kind == "2":  # `2 XY sub mH mI mW hH hI Xscore path`, then the old path
                self._moved(self._rel(rest.split(" ", 8)[8]), self._rel(fields.pop(0)))
            elif kind == "1":  # `1 XY sub mH mI mW hH hI path`
                state, *_, path = rest.split(" ", 7)
                (gone if "D" in state else came if "A" in state else []).append(self._rel(path))
            elif kind == "?":
                came.append(self._rel(rest))
        gone = [f for f in gone if f and f in self.head]
        for new in filter(None, came):
            try:
                data = (self.site / new).read_bytes()
            except OSError:
                continue
            same = [old for old in gone if old.rpartition("/")[0] == new.rpartition("/")[0] and self.head[old] == blob_id(data)]
            if len(same) == 1:
                self._moved(new, same[0])
        stem = lambda rel: PurePosixPath(rel).stem  # noqa: E731
        slugs = {(stem(old), stem(new)) for new, old in self.moved.items()}
        for new in filter(None, came):
            pair = [old for old in gone if (stem(old), stem(new)) in slugs and old.rpartition("/")[0] == new.rpartition("/")[0]]
            if new not in self.moved and len(pair) == 1:
                self._moved(new, pair[0])

    def _moved(self, new: str | None, old: str | None) -> None:
        if new and old and old in self.touched and new not in self.touched:
            self.moved[new] = old
            self.touched[new] = self.touched[old]
            if old in self.head:
                self.head[new] = self.head[old]

    def _rel(self, repo_path: str) -> str | None:
        return repo_path[len(self._prefix_read):] if repo_path.startswith(self._prefix_read) else None

    def _read_log(self) -> None:
        """The commits, each file's, and the blob each commit gave each file it changed (`--raw`: what `blobs_at`
        is asked next, a `git cat-file` or two of each check, is known from them where no merge is shown)."""
        out = _git(self.site, "-c", "core.quotePath=false", "log", "--find-renames", "--no-color", "--no-show-signature",
                   "--format=%x1e%H%x1f%at%x1f%an%x1f%P%x1f%s",
                   "--raw", "--no-abbrev", "--", "content", "annotations")
        self.read, merged = out is not None, False
        for record in (out or b"").decode("utf-8", "replace").split("\x1e")[1:]:
            head, _, names = record.partition("\n")
            sha, time, author, parents, message = (head.split("\x1f", 4) + ["", "", "", ""])[:5]
            self.commits[sha] = Commit(sha, int(time or 0), author, message)
            self.order[sha] = len(self.order)
            merged = merged or len(parents.split()) > 1
            blobs: dict[str, str | None] = {}  # file -> its blob in this commit (None: gone)
            gone, came = [], []  # annotation files deleted and added in this commit
            for line in names.split("\n"):  # `:<mode> <mode> <blob> <blob> <status>\t<path>[\t<new path>]`
                meta, *paths = line.split("\t")
                _, mode, _, blob, status = (meta.split(" ") + ["", "", "", "", ""])[:5]
                rel = self._rel(paths[-1]) if paths and meta.startswith(":") else None
                if rel:
                    self.touched.setdefault(rel, []).append(sha)
                    blobs[rel] = blob if mode.startswith(("100", "120")) else None  # (D: mode 000000)
                    if status != "M":
                        self._added.setdefault(rel, []).append((status[:1], sha))
                    if status.startswith("R") and len(paths) == 2 and self._rel(paths[0]):
                        self.renames.setdefault(rel, []).append((sha, self._rel(paths[0])))
                        blobs.setdefault(self._rel(paths[0]), None)  # (unless another line of the commit names it)
                    if rel.startswith("annotations/") and status[:1] in "DA":
                        (gone if status[:1] == "D" else came).append(rel)
            self._renamed_by_slug(sha, gone, came)
            for rel, blob in blobs.items():
                self._changes.setdefault(rel, []).append((self.order[sha], blob))
        self._linear = self.read and not merged
        self._follow_renames()
        if self._linear:  # each file's blob at HEAD: that of its newest change (the log's; no `git ls-tree`)
            self.head.update((rel, changes[0][1]) for rel, changes in self._changes.items() if changes[0][1])
            return
        tree = _git(self.site, "ls-tree", "-r", "--full-name", "HEAD", "--", "content", "annotations") or b""
        for line in tree.decode("utf-8", "replace").splitlines():
            meta, _, name = line.partition("\t")
            rel = self._rel(name)
            if rel and meta.split(" ")[1:2] == ["blob"]:
                self.head[rel] = meta.split(" ")[2]

    def _renamed_by_slug(self, sha: str, gone: list[str], came: list[str]) -> None:
        """An annotation file deleted and another added in one commit, of the same slug (a.yaml to a.yml) or
        of the slugs their article was renamed from and to: renamed (git saw two files, the small one having
        changed too much to pair them)."""
        slug = lambda rel: PurePosixPath(rel).stem
        slugs = {(slug(old), slug(new)) for new, found in self.renames.items() for at, old in found
                 if at == sha and new.startswith("content/")}
        for before in gone:
            for after in came:
                if slug(before) == slug(after) or (slug(before), slug(after)) in slugs:
                    self.renames.setdefault(after, []).append((sha, before))

    def _follow_renames(self) -> None:
        """A renamed file inherits the commits of its old name from before the rename (oldest renames
        first, so a file renamed twice inherits both)."""
        steps = sorted(((sha, old, new) for new, found in self.renames.items() for sha, old in found),
                       key=lambda r: -self.order[r[0]])
        for sha, old, new in steps:
            before = [c for c in self.touched.get(old, []) if self.order[c] > self.order[sha]]
            self.touched[new] = sorted(set(self.touched[new]) | set(before), key=self.order.__getitem__)
            self._added[new] = self._added[new] + [a for a in self._added.get(old, []) if self.order[a[1]] > self.order[sha]]

    def path_at(self, rel: str, sha: str) -> str:
        """The name the file `rel` had in commit `sha` (its name now, unless renamed since)."""
        name, bound, when = self.moved.get(rel, rel), -1, self.order.get(sha, -1)
        while True:  # the newest rename into `name` older than the last one followed, if newer than `sha`
            step = next(((r, old) for r, old in self.renames.get(name, []) if self.order[r] > bound), None)
            if step is None or self.order[step[0]] >= when:
                return name
            name, bound = step[1], self.order[step[0]]

    def clean(self, rel: str, data: bytes) -> bool:
        """Whether the working file is as committed at HEAD."""
        return self.head.get(rel) == blob_id(data)

    def line_commits(self, rel: str, data: bytes) -> list[str]:
        """The commit each line of the file was last changed in (UNCOMMITTED for working changes)."""
        return self.lines_of(rel, blob_id(data), _line_count(data))

    def lines_of(self, rel: str, blob: str, count: int) -> list[str]:
        """line_commits of the file, given its blob id and count of lines (Files.get)."""
        if (rel, blob) not in self._lines:  # keyed by content: serve asks again after each save
            self.prepare([(rel, blob, count)])
        return self._lines[(rel, blob)]

    def prepare(self, files: list[tuple[str, str, int]]) -> None:
        """lines_of of many files ((file, blob id, lines) each) at once: the blames of those the replay does not
        cover (a merge changed them) run side by side, a git process per file, as many at a time as the build
        has workers (one after another, 3.5 ms each, they took 1.2 s of a 1,000-article site whose annotations
        came in by a merge)."""
        todo = []
        for rel, blob, count in files:
            if (rel, blob) not in self._lines:
                found = self._unblamed(rel, blob, count)
                if found is None:
                    todo.append((rel, blob, count))
                else:
                    self._lines[(rel, blob)] = found
        todo = list(dict.fromkeys(todo))
        def blame(item) -> bytes | None:  # (a file renamed since HEAD: its bytes, as the file of its name then)
            old = self.moved.get(item[0])
            named = ("--contents", str(self.site.resolve() / item[0]), "--", old) if old else ("--", item[0])
            moves = ("-M",) if item[0].startswith("annotations/") else ()  # (an article's moved paragraph is changed)
            return _git(self.site, "blame", *moves, "--porcelain", "--no-textconv", *named)

        if len(todo) > 1:
            from concurrent.futures import ThreadPoolExecutor

            from .parallel import workers

            with ThreadPoolExecutor(workers()) as pool:  # (the threads wait on git: they end before anything forks)
                outs = list(pool.map(blame, todo))
        else:
            outs = [blame(item) for item in todo]
        for (rel, blob, count), out in zip(todo, outs):  # (read here, in order: reading adds to self.commits)
            self._lines[(rel, blob)] = self._blamed(count, out)
            if out is None:
                self.unread.add(rel)

    def _unblamed(self, rel: str, blob: str, count: int) -> list[str] | None:
        """The commit of each line where the log tells it (no history, one commit, or a replay of the changes);
        None where a blame must."""
        commits = self.touched.get(rel, [])
        clean = self.head.get(rel) == blob
        if not commits:
            return [UNCOMMITTED] * count
        if len(commits) == 1 and clean:
            return [commits[0]] * count
        found = self._replay(rel, count, clean) if rel not in self.moved else None
        return found if found is not None and len(found) == count else None  # (else history the replay does not cover)

    def _replay(self, rel: str, count: int, clean: bool) -> list[str] | None:
        """Line origins from the file's addition and the hunks of each later change, replayed oldest
        first (exact on a first-parent history; None where a merge, a deletion or a rename is involved)."""
        if self._hunks is None:
            self._hunks = self._read_hunks()
        added = self._added.get(rel, [])
        if self._hunks is False or rel in self._merged or len(added) != 1 or added[0][0] != "A":
            return None
        changes = self._hunks.get(rel, [])
        working = [] if clean else self._working_hunks(rel)
        size = count - sum(h[2] - h[1] for h in working) - sum(h[2] - h[1] for _, hunks in changes for h in hunks)
        if size < 0:
            return None
        lines = [added[0][1]] * size
        for sha, hunks in changes + [(UNCOMMITTED, working)]:
            after, pos = [], 0
            made = _moved_origins(lines, hunks, sha) if rel.startswith("annotations/") else [[sha] * h[2] for h in hunks]
            for (at, old_len, _, _, _), origins in zip(hunks, made):
                after.extend(lines[pos:at])
                after.extend(origins)
                pos = at + old_len
            after.extend(lines[pos:])
            lines = after
        return lines

    def _read_hunks(self) -> dict[str, list] | bool:
        """{file: [(commit, [(at, old length, new length, lines removed, lines added)])]} of every modification, oldest first,
        from one `git log -p` along the first-parent chain (additions are known from the log); False when
        git could not read the old versions (a partial clone offline): blamed instead."""
        out = _git(self.site, "-c", "core.quotePath=false", "log", *PATCH, "--no-show-signature", "--reverse", "--first-parent", "--diff-merges=first-parent",
                   "--no-renames", "--no-ext-diff", "--no-textconv", "--diff-filter=M", "-U0", "--format=%x1e%H %P", "-p",
                   "--", "content", "annotations")
        if out is None:
            return False
        found: dict[str, list] = {}
        for record in out.decode("utf-8", "replace").split("\x1e")[1:]:
            head, _, body = record.partition("\n")
            ids = head.split()
            for diff in body.split("\ndiff --git ")[1:]:
                rel, hunks = self._parse_diff(diff)
                if rel is None:
                    continue
                if len(ids) > 2:
                    self._merged.add(rel)
                found.setdefault(rel, []).append((ids[0], hunks))
        return found

    def _parse_diff(self, diff: str) -> tuple[str | None, list]:
        """(file, [(at, old length, new length, lines removed, lines added)]) of one file's -U0 diff; at is a
        0-based line index; the lines are kept for annotation files only (where a block moved keeps its origins)."""
        rel, hunks, keep = None, [], False
        for line in diff.split("\n"):
            if hunks and line[:1] in ("-", "+"):
                if keep:
                    hunks[-1][3 if line[0] == "-" else 4].append(line[1:])
            elif line.startswith("+++ b/") and rel is None:
                rel = self._rel(line[6:])
                keep = bool(rel) and rel.startswith("annotations/")
            elif line.startswith("@@ -"):
                old, new = line.split(" ")[1:3]
                o_start, _, o_len = old[1:].partition(",")
                _, _, n_len = new[1:].partition(",")
                o_len, n_len = int(o_len or 1), int(n_len or 1)
                hunks.append((int(o_start) - 1 if o_len else int(o_start), o_len, n_len, [], []))
        return rel, hunks

    def _working_hunks(self, rel: str) -> list:
        out = _git(self.site, "-c", "core.quotePath=false", "diff", *PATCH, "--no-ext-diff", "--no-textconv", "-U0", "HEAD", "--", rel)
        text = (out or b"").decode("utf-8", "replace")
        return self._parse_diff(text.split("diff --git ", 1)[-1])[1] if text else []

    def _blamed(self, count: int, out: bytes | None) -> list[str]:
        """The commit of each of a file's `count` lines, as `git blame --porcelain` said (`out`; None: it failed)."""
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
        """{(commit, file): blob id of the file in that commit, or None}, in a call or two (remembered). Git reads
        a file's folder (its tree) to find it: where DENSE files or more of one folder in one commit are asked
        for, that tree is read whole, once (`git cat-file --batch` of `commit:folder`), and kept for the next
        questions (the last TREES_KEPT); the other files are asked for one by one (`--batch-check` of
        `commit:file`). One by one, git read a folder of 4,000 articles 4,000 times (4.3 s, where it takes 0.02)."""
        known = self._blob_ids
        if self._linear:  # the blob of the newest change at or before the commit (none: not there yet)
            for sha, rel in wanted:
                if sha in self.order and (sha, rel) not in known:
                    known[(sha, rel)] = next((b for at, b in self._changes.get(rel, ()) if at >= self.order[sha]), None)
        todo = [w for w in dict.fromkeys(wanted) if w[0] != UNCOMMITTED and w not in known]
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for sha, rel in todo:
            groups.setdefault((sha, rel.rpartition("/")[0]), []).append((sha, rel))
        trees = {group: self._trees[group] for group in groups if group in self._trees}

        def read_trees(asked: list[tuple[str, str]]) -> None:
            query = [f"{sha}:{(self.prefix + folder).rstrip('/')}" for sha, folder in asked]
            trees.update(zip(asked, _trees(self._batch.ask(query) or b"")))
            for group in (group for group in asked if group in trees):  # (none where git failed: asked again next time)
                self._trees[group] = trees[group]
                while len(self._trees) > TREES_KEPT:
                    del self._trees[next(iter(self._trees))]

        dense = [group for group, asked in groups.items() if group not in trees and len(asked) >= DENSE]
        if dense:
            read_trees(dense)
        one_by_one = [w for group, asked in groups.items() if group not in trees for w in asked]
        if one_by_one:
            query = os.fsencode("".join(f"{sha}:{self.prefix}{rel}\n" for sha, rel in one_by_one))
            out = _git(self.site, "cat-file", "--batch-check", stdin=query)
            if out is None:  # a blob missing (a partial clone offline): git stops; the trees still name the blobs
                read_trees(list(dict.fromkeys((sha, rel.rpartition("/")[0]) for sha, rel in one_by_one)))
            for w, line in zip(one_by_one, (out or b"").decode().splitlines()):
                parts = line.split(" ")
                known[w] = parts[0] if len(parts) == 3 and parts[1] == "blob" else None
        for group, tree in trees.items():
            for sha, rel in groups[group]:
                mode, blob = tree.get(rel.rpartition("/")[2].encode(), (b"", None))
                known[(sha, rel)] = blob if mode.startswith((b"100", b"120")) else None  # (a file or a link: a blob)
        return {w: known.get(w) for w in wanted}

    def read_blobs(self, ids) -> dict[str, bytes]:
        """The bytes of these blobs, in one call (remembered)."""
        todo = [i for i in dict.fromkeys(ids) if i and i not in self._blobs]
        if todo:
            out = self._batch.ask(todo) or b""
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
            self.unread.update(i for i in todo if i not in self._blobs)
        return {i: self._blobs[i] for i in ids if i in self._blobs}
