"""The data every stage passes on: plain dataclasses, no I/O."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .read.text import Flow


@dataclass(frozen=True, slots=True)
class Loc:
    """Where something is written: a file relative to the site, 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class FlagDef:
    name: str
    label: str
    description: str
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Glossator site"
    description: str = ""
    base_url: str = "/"
    base_url_set: bool = False
    language: str = "en"
    default_annotator: str = ""
    output: str = "_site"
    flags: dict[str, FlagDef] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage and what chooses among its repeats."""

    text: str
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None
    loc: Loc = Loc("")


@dataclass(frozen=True, slots=True)
class Reference:
    """`slug`, `slug#id`, `#id` (slug filled in), or an absolute URL."""

    slug: str | None
    id: str | None
    url: str | None
    loc: Loc

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.slug or "", self.id)


@dataclass(frozen=True, slots=True)
class SourceLink:
    url: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Retraction:
    date: dt.date | None
    reason: str | None
    notice: Reference | None


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The `article:` block (front matter merged in, the annotation file winning)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: dt.date | None = None
    url: str | None = None
    summary: str | None = None
    flags: tuple[str, ...] = ()
    body_start: Quote | None = None
    body_end: Quote | None = None
    retracted: Retraction | None = None


RELATIONS = ("rebuts", "retracts", "supports", "see")


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    quote: Quote
    flags: tuple[str, ...]
    note: str | None
    by: str | None
    date: dt.date | None
    tags: tuple[str, ...]
    sources: tuple[SourceLink, ...]
    relations: tuple[tuple[str, Reference], ...]
    loc: Loc
    explicit_id: bool = True
    start: int = -1  # span in the article's text, once anchored
    end: int = -1
    last_line: int = 0  # the last line of its item in the annotation file (its history is these lines')


@dataclass(frozen=True, slots=True)
class Article:
    """An article and its annotation layer. `flow.text` is what quotes are matched against."""

    slug: str
    path: str  # content file, relative to the site
    kind: str  # "txt" or "md"
    flow: Flow
    meta: ArticleMeta
    annotations: tuple[Annotation, ...] = ()
    annotation_path: str | None = None
    body: tuple[int, int] = (0, 0)
    declared_ids: frozenset = frozenset()  # every id the layer declares, anchored or not

    @property
    def text(self) -> str:
        return self.flow.text

    @property
    def title(self) -> str:
        return self.meta.title or self.slug


@dataclass(frozen=True, slots=True)
class Relation:
    """`source` (an annotation) rebuts/retracts/supports/sees `target` (annotation or article)."""

    kind: str
    source: tuple[str, str]
    target: tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything loaded, anchored and linked: what the renderer needs, nothing more."""

    root: str
    config: SiteConfig
    articles: tuple[Article, ...]
    relations: tuple[Relation, ...] = ()
    flags_of: dict = field(default_factory=dict)  # (slug, id) -> flags; (slug, None) -> article flags
    incoming: dict = field(default_factory=dict)  # target (slug, id | None) -> relations pointing at it
    outgoing: dict = field(default_factory=dict)  # source (slug, id) -> relations it declares
    history: object = None  # provenance from git (provenance.SiteHistory); None without git

    def article(self, slug: str) -> Article:
        return next(a for a in self.articles if a.slug == slug)
