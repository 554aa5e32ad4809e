"""Content files: find them, check their names, decode them, and read Markdown front matter."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Problems
from ..slugs import accents_written, is_slug, propose_slug
from . import conflicts, files, yamlsrc
from ..markdown import MAX_NESTING, brackets_message
from .text import Flow, first_line_of, markdown_flow, text_flow

KINDS = {".txt": "txt", ".md": "md"}
_UNCLOSED = re.compile(r"---[ \t]*\n[A-Za-z_][\w-]*:[ \t]")  # `---` then a `key: value` line, and no closing `---`
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TOML_FRONT = re.compile(r"\+\+\+[ \t]*\n(?:[A-Za-z_][\w-]*[ \t]*=.*\n|[ \t]*\n|#.*\n|\[.*\]\n)+\+\+\+[ \t]*(?:\n|\Z)")  # Hugo's
_LATE_FRONT = re.compile(r"(?:[ \t]*\n)+" + _UNCLOSED.pattern)  # front matter after blank lines


@dataclass(frozen=True, slots=True)
class Source:
    """A content file as loaded: its flow (visible text and blocks) and its front matter."""

    slug: str
    path: str  # relative to the site
    kind: str  # "txt" or "md"
    flow: Flow
    first_line: str  # the first non-blank line, the title of last resort
    front: dict | None = None
    front_node: object = None  # the YAML node tree of the front matter, for positions
    front_line: int = 0  # lines before the front matter's YAML text


_LFS_POINTER = b"version https://git-lfs.github.com/spec/"  # what a clone without git-lfs checks out


def encoding_hint(data: bytes, at: int) -> str:
    """What a file that is not UTF-8 most likely is, as the editors that save so name it: UTF-16 (a BOM, or
    a NUL beside each ASCII letter), UTF-32 or Windows-1252 / Latin-1 (any other file that decodes so); '' if neither."""
    head = data[:200]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) or (len(head) >= 8 and head.count(b"\x00") * 4 >= len(head) * 3):
        return ": it is UTF-32"  # (three NULs beside each ASCII letter; its BOM starts as UTF-16's does)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and head.count(b"\x00") * 3 >= len(head)):
        return ': it is UTF-16 ("Unicode" in Windows\' Notepad)'
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    shown = data[at:at + 1].decode("cp1252")
    return (f': it reads as Windows-1252 or Latin-1 ("ANSI" in Windows\' Notepad), in which byte 0x{data[at]:02x} is "{shown}"'
            if shown.isprintable() else "")


def decode(data: bytes, path: str, problems: Problems) -> str | None:
    """UTF-8 with the BOM dropped and CRLF (or a lone CR) read as LF; bad bytes, and NULs, are located. A Git LFS
    pointer is said as one (the text is elsewhere), never read as the file's text."""
    if data.startswith(_LFS_POINTER) and len(data) < 1024:
        problems.error(path, 1, 1, "this is a Git LFS pointer, not the file itself: fetch the files with "
                                   "`git lfs install && git lfs pull` (in CI, check out with `lfs: true`)")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # lines as the text has them
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :].decode("utf-8")  # valid: the first bad byte is later
        col = len(line_start.removeprefix("\ufeff") if line == 1 else line_start) + 1  # in characters
        problems.error(path, line, col, f"not valid UTF-8: byte 0x{data[exc.start]:02x} (save the file as UTF-8)"
                       + encoding_hint(data, exc.start))
        return None
    text = text.lstrip("\ufeff")  # (two, where a tool added its own to a file that had one: it was the title's first letter)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    at = text.find("\x00")
    if at >= 0:  # valid UTF-8, but no text: UTF-16 saved with no BOM (a NUL beside each letter), a binary file,
        # or the NULs a crash or a full disk leaves of a file that was being written
        why = ("it holds nothing but NUL bytes, as a crash or a full disk leaves a file that was being written: "
               "restore it from git or a copy" if not data.strip(b"\x00") else
               "a NUL byte, which text never holds (save the file as UTF-8)" + encoding_hint(data, data.find(b"\x00")))
        problems.error(path, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at), "not text: " + why)
        return None
    return text


EXTENSIONS = (".txt", ".md", ".yaml", ".yml")


def _renamed(path: Path, taken: set[str], tried: dict[str, int]) -> tuple[str, str]:
    """The slug and extension to propose for a file whose stem is not a slug. A name with an article's or
    annotation file's extension left in it (`report.txt.yaml`, named after its article) is proposed without it,
    and a Markdown file that Notepad saved as `report.md.txt` its own name, `report.md`."""
    inner = Path(path.stem)
    if inner.suffix.lower() in EXTENSIONS and is_slug(inner.stem) and inner.stem not in taken:
        notepad = path.suffix == ".txt" and inner.suffix.lower() == ".md"
        return inner.stem, ".md" if notepad else path.suffix
    return propose_slug(path.stem, taken, tried), path.suffix


_OTHER = {"content": ("annotations", (".yaml", ".yml"), "an annotation file"), "annotations": ("content", (".txt", ".md"), "an article")}
_ALSO = {".markdown": ".md", ".mdown": ".md", ".mkd": ".md", ".mkdn": ".md", ".text": ".txt"}  # other editors' names for .md, .txt


def _goes(folder: str, path: Path, suffixes, paths) -> str:
    """What to do with a file of `folder` that is not read: a name with ".txt" added (Notepad's `report.yaml.txt`)
    or Markdown named `.markdown` is renamed, a file of the other folder (an annotation file in content/, an
    article in annotations/) moved."""
    inner = Path(path.stem)
    if path.suffix.lower() == ".txt" and inner.suffix in suffixes and is_slug(inner.stem):
        return f' (rename it "{inner.name}")'
    also = _ALSO.get(path.suffix.lower())
    if also in suffixes and is_slug(path.stem) and not any(p.stem == path.stem and p.suffix in suffixes for p in paths):
        return f' (rename it "{path.stem}{also}")'
    other = _OTHER.get(folder)
    if other and path.suffix in other[1] and is_slug(path.stem):
        return f" ({other[2]} goes in {other[0]}/: move it to {other[0]}/{path.name})"
    if folder == "content" and path.suffix.lower() in _PUBLISHED_AS_IS:
        return f" (a picture or a document an article shows goes in static/, which is copied as it is: move it to static/{path.name})"
    return ""


# files an article may show or link to, which static/ publishes as they are
_PUBLISHED_AS_IS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".pdf", ".mp3", ".mp4", ".webm", ".csv"}


def discover(site: Path, folder: str, suffixes: dict, problems: Problems, renamed: dict[str, str] | None = None,
             follow: dict[str, str] | None = None) -> dict[str, Path]:
    """slug -> file for every file of these suffixes; bad names, clashes, links out of the site,
    sub-folders and files of other kinds are reported, never skipped in silence. `renamed`, where given, gets
    the slug proposed for each name that is not one (content/'s); `follow` is content/'s for annotations/: a
    file there is proposed its article's new name, and never another article's (its own proposal, made apart,
    could be: "Zetas-Report.yaml" proposed "zetas-report", the new name of content/Zetas Report.txt, not of
    its own article Zetas-Report.txt, and renamed as told it went to the wrong article)."""
    found: dict[str, Path] = {}
    if files.folder(site, folder, problems) is None:
        return found
    kinds = " or ".join(sorted(suffixes))
    paths = files.entries(site, folder, problems)
    taken = {path.stem for path in paths if is_slug(path.stem)}  # a proposed name never clashes with a file, or another proposal
    own, follow = set(taken), follow or {}
    taken |= set(follow.values())
    tried: dict[str, int] = {}
    twins: dict[str, list[Path]] = {}  # names that differ only in how their accents are written look the same
    for path in paths:
        twins.setdefault(unicodedata.normalize("NFC", path.name), []).append(path)

    def proposed(path: Path) -> tuple[str, str]:
        slug = follow.get(path.stem)
        slug, suffix = (slug, path.suffix) if slug is not None and slug not in own else _renamed(path, taken, tried)
        own.add(slug)
        taken.add(slug)
        if renamed is not None:
            renamed[path.stem] = slug
        return slug, suffix

    def twin(path: Path) -> str:
        other = next((p for p in twins[unicodedata.normalize("NFC", path.name)] if p != path), None)
        return "" if other is None else (f" (its accented letters written {accents_written(path.name)}: "
                                         f"{folder}/{other.name} is the same name, with them written {accents_written(other.name)})")

    for path in paths:
        rel = f"{folder}/{path.name}"
        kind = files.inspect(site, path, rel, problems, in_checked_folder=True)
        if kind == files.FOLDER:
            problems.error(rel, 1, 1, f"{folder}/ holds no sub-folders (its files are {folder}/<slug>{kinds}): move this folder out of {folder}/")
            continue
        if kind is None:
            continue
        if path.suffix not in suffixes:
            if path.suffix.lower() in suffixes:
                stem = path.stem if is_slug(path.stem) else proposed(path)[0]
                problems.error(rel, 1, 1, f'"{path.suffix}" should be lowercase: rename it "{stem}{path.suffix.lower()}"')
            else:
                problems.warning(rel, 1, 1, f"not read: the files of {folder}/ end in {kinds}{_goes(folder, path, suffixes, paths)}")
            continue
        if not is_slug(path.stem):
            slug, suffix = proposed(path)
            problems.error(rel, 1, 1, f'"{path.stem}" is not a valid slug (lowercase ASCII letters, digits, "-" and "_"): '
                                      f'rename it "{slug}{suffix}"{twin(path)}')
            continue
        if path.stem in found:
            other = f"{folder}/{found[path.stem].name}"
            problems.error(rel, 1, 1, f'slug "{path.stem}" is used twice: {other} and {rel}; keep one file per slug '
                           f'(until then {other} is the one read)')
            continue
        found[path.stem] = path
    return found



def unread_article(errors, slug: str) -> bool:
    """Whether `discover` of content/ said (in `errors`) that the folder, or a file of this slug in it, could not
    be read: the article may well be there, so "no article" for its annotation file would be a second, wrong error."""
    return any(p.file == "content" or (p.file.startswith("content/") and PurePosixPath(p.file).stem == slug)
               for p in errors)

def load_source(site: Path, slug: str, path: Path, problems: Problems) -> Source | None:
    rel = path.relative_to(site).as_posix()
    kind = KINDS[path.suffix]
    data = files.read(path, rel, problems, files.MAX_MARKDOWN if kind == "md" else None)
    text = None if data is None else decode(data, rel, problems)
    if text is None:
        return None
    conflicts.report(text, rel, problems, kind == "md", " (as it is, the article would be published with them)")
    front = front_node = None
    front_line = 0
    body, first_line = text, 1
    if kind == "md":
        m = _FRONT.match(text)
        if m:
            yaml_text = m.group(1) or ""
            front_line = 1
            node = yamlsrc.compose(yaml_text, rel, problems, line_offset=front_line)
            if node is not None:
                front = yamlsrc.to_python(node, rel, problems, line_offset=front_line, text=yaml_text)
                front_node = node
                if front is not None and not isinstance(front, dict):
                    problems.error(rel, 2, 1, "front matter should be a mapping of article fields (title: …)" + (
                        ': a "---" on the file\'s first line opens front matter, and the next "---" line ends it; a rule '
                        'at the top of the article is written "***"' if isinstance(front, str) else ""))
                    front = None
            body = text[m.end():]
            first_line = text.count("\n", 0, m.end()) + 1
        elif _UNCLOSED.match(text):
            problems.warning(rel, 1, 1, "front matter is never closed: end it with a line of --- (as it is, "
                                        "these lines are read as the article's text)")
        elif _TOML_FRONT.match(text):
            problems.warning(rel, 1, 1, "front matter between +++ lines (TOML, as Hugo writes it) is not read: write it "
                                        "in YAML between --- lines (title: …); as it is, these lines are read as the "
                                        "article's text")
        elif _LATE_FRONT.match(text):
            problems.warning(rel, 1, 1, "front matter starts on the file's first line: remove the blank lines above its "
                                        "--- (as it is, these lines are read as the article's text)")
        cut: list[int] = []
        plain: list[int] = []
        flow = markdown_flow(body, first_line, cut, plain)
        if plain:
            problems.warning(rel, plain[0], 1, brackets_message("this article"))
        if cut:
            problems.error(rel, cut[0], 1, f"lists or quotes nest too deep here (about {MAX_NESTING // 2} lists, or "
                                           f"{MAX_NESTING} quotes, one in another): the Markdown parser leaves out "
                                           "what follows, so readers would not see it; nest them less deeply")
    else:
        flow = text_flow(text)
        if _FRONT.match(text) and _UNCLOSED.match(text):  # (a .txt is the article as published: never front matter)
            problems.warning(rel, 1, 1, "front matter is read in Markdown (.md) files only: in a .txt these lines are the "
                                        f'article\'s text; rename the file "{slug}.md", or set these fields in '
                                        f"annotations/{slug}.yaml")
    first = (first_line_of(flow) or (0, 0, None))[2]
    if first is None:
        titled = isinstance(front, dict) and isinstance(front.get("title"), str) and front["title"].strip()
        problems.warning(rel, 1, 1, "the article has no text: it is published empty" + (
            "" if titled else f', titled by its slug ("{slug}") unless annotations/{slug}.yaml sets article.title'))
    first = first or slug
    return Source(slug, rel, kind, flow, first, front, front_node, front_line)
