"""Load a whole site: config, content, annotation layers, anchored and linked."""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from pathlib import Path

from .. import parallel
from ..anchoring import anchor_article
from ..cache import ArticleCache, tidy as tidy_cache
from ..errors import Problems, command_arg, did_you_mean
from ..excerpts import excerpts_only, windows
from ..linking import link
from ..model import Article, Site, replaced
from . import files
from .config import load_config
from .content import KINDS, discover, load_source, unread_article
from .relocated import holders
from .layer import article_meta, load_annotation_file, parse_front_matter
from .text import first_line_of

ANNOTATION_SUFFIXES = {".yaml": "yaml", ".yml": "yaml"}


def load_article(site: Path, slug: str, content: Path, layer: Path | None, config, problems: Problems) -> Article | None:
    """One article: its content file and annotation file, parsed and anchored."""
    source = load_source(site, slug, content, problems)
    if source is None:
        if layer is not None:  # still report the annotation file's own mistakes
            load_annotation_file(layer, layer.relative_to(site).as_posix(), slug, config, problems)
        return None
    front = {}
    if source.front is not None:
        front = parse_front_matter(source.front, source.front_node, source.path, slug, source.front_line, config, problems)
    meta, annotations, layer_rel, parsed = {}, (), None, None
    if layer is not None:
        layer_rel = layer.relative_to(site).as_posix()
        parsed = load_annotation_file(layer, layer_rel, slug, config, problems)
        if parsed is not None:
            meta, annotations = parsed.meta, parsed.annotations
    article = anchor_article(Article(slug, source.path, source.kind, source.flow, article_meta(front, meta),
                                     annotations, layer_rel, unread=layer is not None and (parsed is None or parsed.partial)),
                             problems)
    if article.meta.title is None:
        article = replaced(article, meta=replaced(article.meta, title=last_resort_title(article, config, problems)))
    return article


def last_resort_title(article: Article, config, problems: Problems) -> str:
    """The title when none is written (SPEC 2): the first non-blank line of the file, as `glossator new`
    writes it, even where a `body` leaves it out: text as published puts its headline there, above
    the body an annotator marks (the body's first line is a paragraph, which as a heading would fill a
    phone's first screen and leave the text). On a page of excerpts (SPEC 12) nothing else of the text
    may be published: that line only if an excerpt shows it whole, else the slug, and a warning."""
    line = first_line_of(article.flow)
    if line is None:
        return article.slug
    at, to, title = line
    if excerpts_only(article, config) and not any(s <= at and to <= e for s, e in windows(article, config)):
        if article.unread:  # its title may well be in the file that could not be read: that error says it
            return article.slug
        problems.warning(article.annotation_path or article.path, 1, 1,
                         f'no title: this article is published as excerpts and its first line is not in one, '
                         f'so it is titled by its slug ("{article.slug}"); set article.title')
        return article.slug
    return title


def discover_site(site: Path, problems: Problems) -> tuple[dict[str, Path], dict[str, Path]]:
    """The content files and annotation files by slug; an annotation file with no article is an error,
    and so is a link out of the site anywhere in the inputs (read/files.py)."""
    before = len(problems.items)
    renamed: dict[str, str] = {}
    contents = discover(site, "content", KINDS, problems, renamed)
    unread = [p for p in problems.items[before:] if p.severity == "error"]  # content/ or its files, not read
    layers = discover(site, "annotations", ANNOTATION_SUFFIXES, problems, follow=renamed)
    for folder in ("templates", "static"):  # read or copied later: the rule on links is checked now
        files.walk(site, folder, problems)
    no_article(site, contents, layers, unread, problems)
    misnamed(site, problems)
    return contents, layers


def no_article(site: Path, contents: dict[str, Path], layers: dict[str, Path], unread, problems: Problems) -> None:
    """An annotation file with no article (but for one whose article is there and could not be read: that error
    says it) is an error, naming the article it was left behind by when that one was renamed."""
    for slug, path in layers.items():
        if slug not in contents and not unread_article(unread, slug):
            rel = path.relative_to(site).as_posix()
            problems.error(rel, 1, 1, f'no article "{slug}" in content/ for this annotation file{_went(site, path, contents, layers)}')


def _went(site: Path, layer: Path, contents: dict[str, Path], layers: dict[str, Path]) -> str:
    """The suggestion for an annotation file left without its article: the article holding its quotes (renamed), else
    the slug spelt nearly as its own."""
    held = holders(site, layer, {s: p for s, p in contents.items() if s not in layers})
    if not held or len(held) > 3:  # (words every article has, "Article 12.": no rename told)
        return did_you_mean(layer.stem, contents)
    named = " and ".join(contents[s].relative_to(site).as_posix() for s in held)
    if len(held) > 1:
        return f": its quotes stand in {named}, which have no annotation file; rename it after the one it annotates"
    return f": its quotes stand in {named}, which has no annotation file: rename it annotations/{held[0]}{layer.suffix}"


READ_FOLDERS = ("content", "annotations", "templates", "static")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def misnamed(site: Path, problems: Problems) -> None:
    """A folder or file at the top of the site named almost as one Glossator reads (annotation/, Templates/,
    statics/, site.yaml), which is never read: an error when the one meant is missing (the annotations kept
    there were silently left out), a warning beside it."""
    try:
        names = sorted(entry.name for entry in site.iterdir() if not files.hidden(entry.name))
    except OSError:
        return
    for name in names:
        if name in READ_FOLDERS or name == "site.toml":
            continue
        path = site / name
        if path.is_dir():
            if (path / files.OUTPUT_MARKER).exists():
                continue  # (a build's output, whatever its name)
            close = difflib.get_close_matches(name.lower(), READ_FOLDERS, n=1, cutoff=0.8)
            if close and name.lower().startswith(close[0]) and name[len(close[0]):][:1] in ("-", "_", ".", " ", "~"):
                continue  # a copy kept aside on purpose (templates_old/, content.bak/), not a misspelling
            meant, shown, kind = (close[0], f"{close[0]}/", "folder") if close else (None, "", "")
            written = f"{name}/"
        elif path.is_file() and (Path(name).stem.lower() == "site" and Path(name).suffix.lower() in (".yaml", ".yml", ".json", ".ini", ".tml")
                                 or name.lower() == "site.toml"):
            meant, shown, kind, written = "site.toml", "site.toml", "file", name
        else:
            continue
        if meant is None:
            continue
        missing = not (site / meant).exists()
        if not missing and _same(path, site / meant):
            continue  # (a file system that ignores case: Content/ is content/, and is read)
        message = f"not read: Glossator reads {shown}, not {written}: rename the {kind} {meant}"
        (problems.error if missing else problems.warning)(name, 1, 1, message if missing else
                                                           f"not read: Glossator reads {shown}, not {written}")


def no_site_here(site: Path, problems: Problems) -> bool:
    """A folder with neither site.toml nor content/ is no site (a path mistyped, the repository's root where
    the site is a sub-folder): said, so that no command reports on it as on a site with nothing wrong."""
    if (site / "site.toml").exists() or (site / "content").exists() or (site / "site.toml").is_symlink():
        return False
    near = _site_near(site)
    if near is None:
        hint = f"make one with: glossator init {command_arg(str(site))}"
    else:
        shown = os.path.relpath(near)
        where = "it is inside the site" if near in site.resolve().parents else "there is a site below it,"
        hint = f'{where} "{shown}": give that folder, as in: glossator check {command_arg(shown)}'
    problems.error("site.toml", 1, 1, f"no site here: {site} has neither site.toml nor content/ ({hint})")
    return True


def _site_near(folder: Path) -> Path | None:
    """The site a folder that is none was most likely meant for: the nearest folder above it with a site.toml, or
    with content/ where it is one of the site's folders (a command run in content/); else the one folder one or two
    levels below it with a site.toml (a repository whose site is docs/). None when there is none, or several."""
    try:
        here = folder.resolve()
        for above in here.parents:
            if (above / "site.toml").is_file() or above == here.parent and here.name in files.SOURCES and \
                    (above / "content").is_dir():
                return above
        below = {p.parent for pattern in ("*/site.toml", "*/*/site.toml") for p in here.glob(pattern) if p.is_file()}
    except (OSError, RuntimeError):
        return None
    return below.pop() if len(below) == 1 else None


def load_site(root: Path | str, cache: ArticleCache | None = None, progress=None, meanwhile=None,
              records: str | None = "read") -> tuple[Site, Problems]:
    """Everything a build checks. Problems are collected, never raised.
    `progress(label, total)` may return a function told how many articles are done. `meanwhile(articles)`:
    see parallel.share (given the articles this process loaded, each time). `records`: see gitcache.with_history."""
    site = Path(root)
    problems = Problems()
    if no_site_here(site, problems):
        return Site(str(site), load_config(site, Problems()), ()), problems
    config = load_config(site, problems)
    contents, layers = discover_site(site, problems)
    if not contents and not problems.errors:
        problems.warning("content", 1, 1, "no articles yet: add content/<slug>.txt or content/<slug>.md")
    slugs = list(contents)

    def task(i: int):
        slug = slugs[i]
        layer = layers.get(slug)
        if cache is not None and cache.has(slug):
            key = cache.key(config, site, contents[slug], layer)
            hit = cache.get(slug, key) if key is not None else None
            if hit is not None and not hit[2]:
                return hit
        local = Problems()
        with files.recorded() as read:
            article = load_article(site, slug, contents[slug], layer, config, local)
        result = (article, local.items, local.dated)  # the entry: `dated`, its problems hold only until a day comes
        key = cache.key(config, site, contents[slug], layer, read) if cache is not None else None
        if key is not None:  # (keyed by the bytes loaded: a file saved meanwhile cannot give its entry another's key)
            kept = cache.put(slug, key, result)
            if kept is not None and parallel.in_worker():
                return kept  # (sent to this build's process as the entry's pickle: it unpickles as `result`)
        return result

    articles = []
    tick = progress("loading", len(slugs)) if progress else None
    from ..gitcache import probe, with_history

    probed = []

    def aside(done) -> bool:
        """While the workers load: git asked about the site (its calls wait on a few processes), then the caller's."""
        if not probed:
            probed.append(probe(site))
        return meanwhile is None or meanwhile([article for article, *_ in done if article is not None])

    for article, found, _ in parallel.share(task, len(slugs), progress=tick, meanwhile=aside):
        problems.items.extend(found)
        if article is not None:
            articles.append(article)
    if cache is not None:
        cache.prune(set(slugs))
        tidy_cache(site)
    if records == "write":
        from ..reanchor.record import Records

        Records(site).prune(set(slugs))
    unread = set(slugs) - {a.slug for a in articles}
    linked = link(str(site), config, articles, problems, unread)
    return with_history(site, linked, problems, cache is not None, probed[0] if probed else None, records), problems
