"""`glossator new` and `glossator init`: files that start a user off, never over theirs."""
from __future__ import annotations

import json
import errno
import os
import re
import socket
from pathlib import Path

from .cache import running
from .errors import Problem, Problems, did_you_mean, printable
from .read import files
from .read.content import KINDS, discover, load_source, unread_article
from .read.load import no_site_here
from .slugs import slug_like

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/annotations.schema.json\n"


def not_a_slug(site: Path, name: str) -> str:
    """Why `glossator new NAME` is wrong usage when NAME is a path (`content/x.md`) or not a slug, with the
    article meant if one is close."""
    contents = discover(site, "content", KINDS, Problems())
    if "/" in name or "\\" in name or name.startswith("."):
        stem = name.replace("\\", "/").rstrip("/").rpartition("/")[2].lstrip(".").partition(".")[0]
        return (f"{name!r} is a path: give an article's slug, its file name in content/ without the extension"
                f"{did_you_mean(slug_like(stem) or stem, contents) if stem else ''}")
    stem = name.rpartition(".")[0] if name.lower().endswith((".txt", ".md", ".yaml", ".yml")) else name  # `new a.txt`
    return (f'"{name}" is not a slug: give the article\'s file name in content/ without its extension '
            f'(lowercase letters, digits, "-" and "_"){did_you_mean(slug_like(stem) or stem, contents)}')


def new_annotation_file(site: Path, slug: str) -> list[Problem]:
    problems = Problems()
    if no_site_here(site, problems):
        return problems.items
    contents = discover(site, "content", KINDS, problems)
    target = site / "annotations" / f"{slug}.yaml"
    rel = f"annotations/{slug}.yaml"
    if len(f"{slug}.yaml".encode()) > 255:  # the longest file name most systems allow
        problems.error(contents[slug].relative_to(site).as_posix() if slug in contents else rel, 1, 1,
                       f"the slug is too long for its annotation file's name ({len(slug.encode())} bytes, at most 250): "
                       "rename the article")
        return problems.items
    if slug not in contents:
        if not unread_article(problems.errors, slug):
            problems.error(rel, 1, 1, f'no article "{slug}" in content/{did_you_mean(slug, contents)}')
        return problems.items  # (else it may be there: why it cannot be read is said)
    for folder in ("annotations", "schema"):  # a file, or a link out of the site, in the way
        if ((site / folder).exists() or (site / folder).is_symlink()) and files.folder(site, folder, problems) is None:
            return problems.items
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists() or existing.is_symlink():
            problems.error(f"annotations/{existing.name}", 1, 1, "already exists: glossator new never overwrites a file")
            return problems.items
    source = load_source(site, slug, contents[slug], problems)
    if source is None:
        return problems.items
    writing = rel
    try:
        writing = "schema/annotations.schema.json"
        schema_written = _write_schema(site)
        writing = rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _create(target, _new_layer(source.first_line, source.front if isinstance(source.front, dict) else {}))
    except OSError as exc:
        problems.error(writing, 1, 1, f"cannot write this file: {exc.strerror or exc}")
        return problems.items
    print(f"wrote {rel}")
    if schema_written:  # every file written is said
        print("wrote schema/annotations.schema.json (for editors: its first line points there)")
    return []


LONG_TITLE = 120  # characters: a first line longer than this is more likely a paragraph than a headline


def _new_layer(first_line: str, front: dict) -> str:
    """A new annotation file. The article fields an article's front matter gives stay there, said in a
    comment: written here too, they would win, and a later edit of the front matter would change nothing."""
    given = {key: front[key] for key in ("title", *BLANKS) if front.get(key) not in (None, "", [])}
    said = ", ".join(f"{key} {_shown(value)}" for key, value in given.items())
    blanks = "".join(f"#   {key}: {BLANKS[key]}\n" for key in BLANKS if key not in given)
    if "title" in given:
        article = f"# article:  (the front matter gives {said}; a field here would replace it)\n{blanks}\n"
    else:
        article = (f"article:\n  title: {_shown(first_line)}\n"
                   + (f"  # (the article's first line, {len(first_line)} characters: if it is a paragraph, not a title, "
                      "write the title above)\n" if len(first_line) > LONG_TITLE else "")
                   + (f"  # (the front matter gives {said}; a field here would replace it)\n" if given else "")
                   + blanks.replace("#   ", "  # ") + "\n")
    return (
        SCHEMA_LINE
        + article
        + "annotations:  # none yet: uncomment the example below and make it yours\n"
        + "  # - id: first-claim\n"
        + "  #   quote: \"a passage copied from the article\"\n"
        + "  #   flags: [anonymous-source]\n"
        + "  #   note: Why this passage deserves a note.\n"
    )


BLANKS = {"author": "", "publication": "", "published": "YYYY-MM-DD"}  # the article fields a new file offers


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # refused raw by YAML (NEL: a line break), U+FFFD on a page
_BREAK = re.compile("[\u2028\u2029]")  # read by YAML as a line break (a comment ends there)


def _shown(value) -> str:
    """A value as YAML reads it back: a string quoted, a list in brackets, a date as it is. A control character
    (a Windows-1252 quote read as Latin-1, \\x93) is left out and a line separator written as its escape: raw,
    the first made the file unreadable, the second ended a comment or was read as a space."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if not isinstance(value, str):
        return str(value)
    text = json.dumps(_CONTROL.sub("", value), ensure_ascii=False)  # (json escapes the tab and the line breaks)
    return _BREAK.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _write_schema(site: Path) -> bool:
    """Put the schema where the `$schema=` line of annotation files points, for editors, unless a
    file (or a link) is there already; whether it was written."""
    from .read.schema import schema

    path = site / "schema" / "annotations.schema.json"
    if not path.exists() and not path.is_symlink():  # a link (even to nothing) is never written through
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, _schema_text())
        return True
    return False


def _create(path: Path, text: str) -> None:
    """Write a new file ("x": never over a file, nor through a link); one that cannot be written whole
    (a full disk) is removed, so that it is neither taken for complete nor in the way of the next try."""
    with path.open("x", encoding="utf-8") as f:
        try:
            f.write(text)
            f.flush()
        except OSError:
            path.unlink()
            raise


def _schema_text() -> str:
    from .read.schema import schema

    return json.dumps(schema(), indent=2) + "\n"


# ---------------------------------------------------------------------- glossator init


class InitRefused(Exception):
    """`glossator init` will not write here: `path` (as the user named it) and why; `usage` when DIR
    itself is the mistake (a file, a folder in use), not a write that failed."""

    def __init__(self, path: Path, message: str, usage: bool = False):
        super().__init__(message)
        self.path = path
        self.message = message
        self.usage = usage


INIT_SLUG = "harbour-ferry-contract"

INIT_SITE_TOML = '''\
# site.toml: the site's settings. Every key is optional.
title = "An annotated reading"
description = "Articles read closely: who the sources are, what was denied, and which passages answer which."

# Where the published site will live. Feeds, the sitemap and the annotations export need it
# for full URLs, so `glossator build` warns until it has a host. `glossator serve` ignores it:
# it serves at http://127.0.0.1:8000/ whatever it says.
# base_url = "https://example.org/reading/"

language = "en"
default_annotator = "desk"   # who wrote a note that has no `by:`
output = "_site"             # where `glossator build` writes the site
# publish = "excerpts"       # quote only the annotated passages, with context (default: "full")
# excerpt_words = 40         # words of context on each side of a passage, in excerpts

# Flags mark passages. Three are built in: anonymous-source, retraction and rebuttal (relabel
# them here with [flags.NAME] if you like). A site may add its own:
[flags.sponsored]
label = "Sponsored"
description = "Someone named on the page paid for the work."

# Verdicts rate the claim in a passage (`verdict:` and `claim:` in an annotation). Built in, worst
# first: false, misleading, unproven, accurate. Relabel one with [verdicts.NAME] label = "…", or
# give a scale of your own: each verdict with a label and a rating (1 the worst).
# [verdicts.false]
# label = "Pants on fire"
'''

INIT_ARTICLE = '''\
Harbour council approves ferry contract after closed session

Sign up for our morning newsletter

By Jane Example | The Example Gazette | 3 March 2025

The harbour council approved a ten-year ferry contract on Tuesday night, after a closed session that lasted more than three hours.

According to a council official who asked not to be named, the winning bid was the most expensive of the three submitted.

The mayor said the contract "secures the island's lifeline for a decade" and denied that cost had been ignored. "Cost was one of five criteria," she said.

Residents who spoke at the public meeting before the vote said the timetable had been cut twice in two years. The council said the timetable would be reviewed "in due course".

A spokesperson for Bluewater Ferries, which won the contract, said the company had met every requirement in the tender. The tender documents have not been published.

This article was produced with support from the Example Civic Fund, which had no say over its content.

Comments (2)
Share this article
'''

INIT_ANNOTATIONS = SCHEMA_LINE + '''\
# annotations/harbour-ferry-contract.yaml: the annotation layer of content/harbour-ferry-contract.txt.
# The article file stays exactly as published; everything said about it lives here.
# The first line lets editors (VS Code's YAML extension) check this file as you type.

article:
  # Where the annotation file and the article both give a field, this file wins.
  title: "Harbour council approves ferry contract after closed session"
  author: Jane Example            # a name or a list of names
  publication: The Example Gazette
  published: 2025-03-03           # YYYY-MM-DD
  url: https://example.com/news/harbour-ferry-contract
  summary: |
    An example article, made up for this site. Its key claim rests on an unnamed official;
    the mayor answers it without the tender documents, which are unpublished.
  # Body bounds: the part of the raw file that is the article. Text outside (the sign-up box
  # at the top, the comment links at the bottom) stays in the file but is not shown.
  body:
    start: "The harbour council approved a ten-year ferry contract"
    end: "which had no say over its content."
  # flags: [sponsored]            # flags on the whole article
  # retracted:                    # if the whole article was withdrawn
  #   date: 2025-04-01
  #   reason: Why, in Markdown.
  #   notice: https://example.com/notice

annotations:
  # Each annotation quotes a passage, copied from the article (line breaks, curly or straight
  # quotes do not matter), and says something about it: a flag, a note or a relation.
  - id: unnamed-official          # optional; the passage's permalink is articles/<slug>/#<id>
    quote: "According to a council official who asked not to be named"
    flags: [anonymous-source]     # built-in flags: anonymous-source, retraction, rebuttal
    note: |
      The article's central claim rests on **one unnamed official**. The article does not say
      why the official needed anonymity, or whether anyone else confirmed the ranking of bids.
    by: desk                      # who wrote the note (default: default_annotator)
    date: 2025-03-05
    tags: [Harbour council, ferries]    # free text; each tag gets a page
    sources:                      # URLs, {url, title}, or passages (slug#id) that back the note
      - https://example.org/council/minutes-2025-03-04
      - url: https://example.org/tender-rules
        title: "Harbour council: how tenders are scored"

  - id: most-expensive
    quote: "the winning bid was the most expensive of the three submitted"
    note: Not verifiable until the tender documents are published.
    tags: [ferries]

  - id: mayor-denial
    quote: "Cost was one of five criteria"
    # A relation: rebuts, retracts, supports or see. A reference is `slug` (an article),
    # `slug#id` (a passage in another article) or `#id` (a passage in this file); `see` also
    # takes a URL. Both ends show it, and `rebuts` gives both the rebuttal flag.
    rebuts: "#most-expensive"
    see: https://example.org/tender-rules
    note: The mayor answers the claim about cost without saying how the bids were scored.

  # "the timetable" appears twice in the article. `prefix` (or `suffix`) picks a repeat by the
  # text just before (after) it; `occurrence` picks the n-th repeat (1-based).
  - id: timetable-cut
    quote: "the timetable"
    prefix: "before the vote said"
    note: Residents' account; the council's published timetables would confirm or refute it.
  - id: timetable-review
    quote: "the timetable"
    occurrence: 2
    note: No date is given for the review.

  - id: civic-fund
    quote: "This article was produced with support from the Example Civic Fund"
    flags: [sponsored]            # a flag this site defines in site.toml
    note: The funder is named, and the article says it had no say over the content.
'''

INIT_GITIGNORE = "_site/\n._site.*\n.glossator-cache/\n"  # (._site.*: the lock, and what a killed build left)
# git must keep articles byte for byte (no line-ending conversion): drift checks and provenance
# compare the files with git's copies
INIT_GITATTRIBUTES = "# articles stay byte for byte as published: no line-ending conversion\ncontent/** -text\n"


# written first and removed last: while it is there, the folder holds an unfinished init (one that was
# killed, or the machine stopped), which the next `glossator init` clears and does again
UNFINISHED = ".glossator-init-unfinished"
UNFINISHED_TEXT = ("glossator init was writing this site and did not finish: run `glossator init` on this folder "
                   "again (it removes what it wrote, and only that, and starts over)\n")


def init_files() -> dict[str, str]:
    """What `glossator init` writes: path relative to the site -> text, in the order written."""
    return {
        "site.toml": INIT_SITE_TOML,
        f"content/{INIT_SLUG}.txt": INIT_ARTICLE,
        f"annotations/{INIT_SLUG}.yaml": INIT_ANNOTATIONS,
        ".gitignore": INIT_GITIGNORE,
        ".gitattributes": INIT_GITATTRIBUTES,
        "schema/annotations.schema.json": _schema_text(),
    }


def _why_broken(link: Path) -> str:
    """Why a link leads to no folder: it loops, or what it names is not there."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "loops back on itself: name another folder"
    return "is not there: make that folder first, or name another one"


def init_site(target: Path) -> list[str]:
    """Write a new site into `target` (created, or empty); the files written, relative to it. When
    a write fails (a full disk, a read-only folder), what it wrote and the folders it made are
    removed again, so that the folder stays new or empty for the next try. An init that was stopped
    before the end (killed: nothing could be removed) left UNFINISHED behind: what it wrote is cleared
    and written again."""
    target = Path(target)
    try:
        os.stat(target)
    except OSError as exc:  # a name too long for the system (which Path.exists raises): DIR is the mistake
        if exc.errno == errno.ENAMETOOLONG:
            raise InitRefused(target, f"cannot be used: {exc.strerror or exc}", usage=True) from None
        if exc.errno in (errno.EACCES, errno.EPERM):  # a folder above it this user may not look in (as SITE is said)
            raise InitRefused(target, f"cannot be reached: {exc.strerror or exc}", usage=True) from None
        broken = next((p for p in reversed([target, *target.parents]) if p.is_symlink() and not p.exists()), None)
        if broken is not None:  # (mkdir then said "File exists", of a name that is not there)
            raise InitRefused(broken, f"is a link to {printable(os.readlink(broken), 200)}, which {_why_broken(broken)}",
                              usage=True) from None
    if target.exists() and not target.is_dir():
        raise InitRefused(target, "is a file, not a folder", usage=True)
    files = init_files()
    if target.is_dir() and any(target.iterdir()):
        if not (target / UNFINISHED).is_file() or (target / UNFINISHED).is_symlink():
            raise InitRefused(target, "is not empty: glossator init writes a new site into a new or empty folder", usage=True)
        _clear_unfinished(target, files)
    made: list[Path] = []  # folders and files this run created, in order
    writing = target  # what is being made (a failed write names no file of its own)
    try:
        for folder in reversed([target, *target.parents]):
            if not folder.exists():
                writing = folder
                folder.mkdir()
                made.append(folder)
        for rel, text in {UNFINISHED: f"{UNFINISHED_TEXT}pid {os.getpid()} on {socket.gethostname()}\n", **files}.items():
            path = target / rel
            if not path.parent.exists():
                writing = path.parent
                path.parent.mkdir()
                made.append(path.parent)
            writing = path
            with path.open("x", encoding="utf-8") as f:  # "x": nothing put there meanwhile is written over
                made.append(path)
                f.write(text)
        (target / UNFINISHED).unlink()
    except OSError as exc:
        _undo(made)
        failed = Path(exc.filename) if exc.filename else writing
        if failed == target / UNFINISHED:  # init's own marker, written first: the user knows only the folder they named
            failed = target
        message = f"cannot write: {exc.strerror or exc}"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            message += " (the disk is full: make room on it, or name a folder on another disk, and run glossator init again)"
        raise InitRefused(failed, message) from None
    return list(files)


def _clear_unfinished(target: Path, files: dict[str, str]) -> None:
    """Remove what an unfinished init wrote into `target`: its files, each the start of what init
    writes (a write cut short), and its folders. Anything else there (a file of the user's, an edit)
    and nothing is removed: the user is told what stands in the way."""
    writer = re.search(r"\npid (\d+) on (\S+)\n", (target / UNFINISHED).read_text("utf-8", errors="replace"))
    if writer and writer[2] == socket.gethostname() and running(int(writer[1])):
        raise InitRefused(target, f"another glossator init (process {writer[1]}) is writing a site here: let it finish")
    expected = {rel: text.encode("utf-8") for rel, text in files.items()}
    folders = {str(Path(rel).parent) for rel in expected} - {"."}
    found: list[Path] = []
    for path in sorted(target.rglob("*"), key=lambda p: len(p.parts)):
        rel = path.relative_to(target).as_posix()
        ours = (not path.is_symlink()) and (rel == UNFINISHED or
            (path.is_dir() and rel in folders) or
            (path.is_file() and rel in expected and expected[rel].startswith(path.read_bytes())))
        if not ours:
            raise InitRefused(target, f"holds a glossator init that did not finish ({UNFINISHED}), and also {rel}, "
                              "which init did not write as it is: move it out of the folder (or delete the "
                              "folder) and run glossator init again")
        found.append(path)
    _undo(found)


    return True


def _undo(made: list[Path]) -> None:
    """Remove what `init_site` made, newest first; a folder only when it is empty again."""
    for path in reversed(made):
        try:
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            pass
