"""The data every stage passes on: plain dataclasses, no I/O."""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields

from . import native
from .read.text import Flow


@dataclass(frozen=True, slots=True)
class Loc:
    """Where something is written: a file relative to the site, 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class FlagDef:
    """A flag a site may put on passages (SPEC 6)."""

    name: str  # the name written in annotation files, e.g. "anonymous-source"
    label: str  # what pages show, e.g. "Anonymous sourcing"
    description: str  # one sentence, shown on the flag's page and in the index legend
    builtin: bool = False  # one of Glossator's own flags (perhaps relabelled)


@dataclass(frozen=True, slots=True)
class VerdictDef:
    """One step of the site's verdict scale (SPEC 6)."""

    name: str  # as annotations write it: `verdict: misleading`
    label: str  # as pages show it, and ClaimReview's alternateName
    rating: int  # 1 the worst; ClaimReview's ratingValue


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """site.toml, checked (SPEC 7)."""

    title: str = "Glossator site"
    description: str = ""  # one line for the index and the feed
    base_url: str = "/"  # where the site is served; pages link under its path
    base_url_at: tuple[int, int] | None = None  # where site.toml sets base_url (line, column); None: it does not
    language: str = "en"  # the pages' lang
    default_annotator: str = ""  # `by` of annotations that do not say
    output: str = "_site"  # the output folder, relative to the site
    output_refused: bool = False  # site.toml's `output` was refused (said at its line; `output` is then "_site")
    repo_url: str = ""  # where "edit this annotation" links point: repo_url + the file's path (SPEC 7)
    repo_url_at: tuple[int, int] | None = None  # where site.toml sets repo_url (line, column); None: it does not
    flags: dict[str, FlagDef] = field(default_factory=dict)  # built-in flags then the site's, by name
    verdicts: dict[str, VerdictDef] = field(default_factory=dict)  # the scale, worst first
    publish: str = "full"  # "full" or "excerpts" (SPEC 12): the default of every article
    excerpt_words: int = 40  # words of context kept on each side of a passage in excerpts
    search: bool = True  # build the search index and page (SPEC 11)
    unread: bool = False  # site.toml is there but could not be read, or not all of it: the site's flags and verdicts
    # are unknown, not wrong


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage and what chooses among its repeats."""

    text: str  # the passage as the annotator copied it
    prefix: str | None = None  # text just before it, to choose among repeats
    suffix: str | None = None  # text just after it
    occurrence: int | None = None  # 1-based: which of the repeats left
    loc: Loc = Loc("")  # where the quote is written
    occurrence_unread: bool = False  # an `occurrence` was written but is no whole number from 1 (reported where it
    # stands): which repeat is meant is unknown, so its repeats are no error of their own


@dataclass(frozen=True, slots=True)
class Reference:
    """`slug`, `slug#id`, `#id` (slug filled in), or an absolute URL."""

    slug: str | None  # the article named (None for a URL)
    id: str | None  # the annotation named, or None for the whole article
    url: str | None  # an absolute http(s) URL, where one is allowed
    loc: Loc  # where the reference is written


@dataclass(frozen=True, slots=True)
class SourceLink:
    """One of an annotation's `sources`: a URL, or a passage or article of the site (SPEC 5: `sources` takes
    references too), linked to but no relation: the passage it names does not link back."""

    url: str | None  # an http(s) URL, or None for a reference
    title: str | None = None  # shown instead of the URL
    ref: Reference | None = None  # `slug`, `slug#id` or `#id`: shown as that passage's or article's link


@dataclass(frozen=True, slots=True)
class Retraction:
    """The article's `retracted:` block."""

    date: dt.date | None  # when it was retracted
    reason: str | None  # Markdown
    notice: Reference | None  # the retraction notice: a URL or a reference


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The `article:` block (front matter merged in, the annotation file winning)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: dt.date | None = None
    url: str | None = None  # the original, http(s)
    summary: str | None = None  # Markdown, shown on the index
    flags: tuple[str, ...] = ()  # flags on the whole article
    body_start: Quote | None = None  # the first words of the article proper (inclusive)
    body_end: Quote | None = None  # its last words (inclusive)
    retracted: Retraction | None = None
    publish: str | None = None  # "full" or "excerpts"; None: the site's default


RELATIONS = ("rebuts", "retracts", "supports", "see")


@dataclass(frozen=True, slots=True)
class Annotation:
    """One entry of `annotations:`. Parsed with no span; anchoring returns it with `start` and `end`
    set, and only anchored annotations reach an Article."""

    id: str  # written, or derived from the quote
    quote: Quote
    flags: tuple[str, ...]  # as written; linking adds the implied ones (Site.flags_of)
    note: str | None  # Markdown
    by: str | None  # the annotator (default_annotator when not written)
    date: dt.date | None
    tags: tuple[str, ...]  # as written (pages group them by tag slug)
    sources: tuple[SourceLink, ...]
    relations: tuple[tuple[str, Reference], ...]  # (kind, reference), kind one of RELATIONS, in file order
    loc: Loc  # where the entry starts
    explicit_id: bool = True  # the id is written, not derived
    start: int | None = None  # the passage's span in the article's text (code points), once anchored
    end: int | None = None
    verdict: str | None = None  # a verdict name of the site's scale (SPEC 6)
    claim: str | None = None  # the claim the verdict rates, one short sentence
    last_line: int = 0  # the last line of its entry in the annotation file (its history is these lines')


@dataclass(frozen=True, slots=True)
class Article:
    """An article and its annotation layer. `flow.text` is what quotes are matched against."""

    slug: str
    path: str  # content file, relative to the site
    kind: str  # "txt" or "md"
    flow: Flow  # the visible text and its paragraph pieces
    meta: ArticleMeta
    annotations: tuple[Annotation, ...] = ()  # anchored ones only; in reading order once linked
    annotation_path: str | None = None  # the annotation file, relative to the site
    body: tuple[int, int] = (0, 0)  # the span of the text that is the article proper
    declared_ids: frozenset = frozenset()  # every id the layer declares, anchored or not
    loose_relations: tuple = ()  # (kind, Reference) of the annotations that did not anchor, and their sources'
    # references (kind "sources"): still checked
    unanchored: tuple[Annotation, ...] = ()  # the annotations that did not anchor (said): with git, re-anchoring looks
    # at them too, and says what the history knows of their passage
    unread: bool = False  # its annotation file could not be read (said): references into it are not checked

    @property
    def text(self) -> str:
        return self.flow.text

    @property
    def title(self) -> str:
        return self.meta.title or self.slug


@dataclass(frozen=True, slots=True)
class Relation:
    """`source` (an annotation) rebuts/retracts/supports/sees `target` (annotation or article)."""

    kind: str  # rebuts, retracts, supports or see
    source: tuple[str, str]  # (slug, id) of the passage that declares it
    target: tuple[str, str | None]  # (slug, id), or (slug, None) for a whole article


@dataclass(frozen=True, slots=True)
class Site:
    """Everything loaded, anchored and linked: what the renderer needs, nothing more."""

    root: str  # the site's folder
    config: SiteConfig
    articles: tuple[Article, ...]  # in discovery order (sorted by slug)
    flags_of: dict = field(default_factory=dict)  # (slug, id) -> flags; (slug, None) -> article flags
    incoming: dict = field(default_factory=dict)  # target (slug, id | None) -> relations pointing at it
    outgoing: dict = field(default_factory=dict)  # source (slug, id) -> relations it declares
    order: tuple[str, ...] = ()  # slugs in reading order (newest first): index, feeds, previous/next
    history: object = None  # provenance from git (provenance.SiteHistory); None without git

    def article(self, slug: str) -> Article:
        return next(a for a in self.articles if a.slug == slug)

    def relations(self) -> tuple[Relation, ...]:
        """Every relation, once."""
        return tuple(r for declared in self.outgoing.values() for r in declared)

    def in_order(self) -> list[Article]:
        """The articles in reading order."""
        by_slug = {a.slug: a for a in self.articles}
        return [by_slug[s] for s in self.order if s in by_slug]


_BY_FIELDS: dict[type, tuple] = {}  # class -> (its fields' getter, each field's position)


def made(cls, values: tuple):
    """An instance of one of the classes below from its fields' values, in order: what pickle calls to
    make one again. Compiled (builder/_slots.c, where it is built): the same object, its slots set in C,
    without the Python __init__ that sets each field by object.__setattr__ (a third of the time)."""
    return cls(*values)


# `made`, compiled where it is built: for the classes below, and for a frozen slotted dataclass elsewhere made
# many times a page, whose __init__ only sets its fields in order (weave's Span and WovenBlock)
fast_made = getattr(native.load("_slots"), "made", made)


def _pickled_by_fields(cls) -> None:
    """Pickle as `made(cls, fields)`: a slotted dataclass's own __setstate__ is a Python loop over fields(),
    and a parallel load brings some fifty of these back per article to the parent, which unpickles them
    one after another (3x as long)."""
    names = [f.name for f in fields(cls)]
    assert cls.__slots__ == tuple(names), cls  # (the compiled `made` sets the slots in their order)
    get = operator.attrgetter(*names)  # more than one field: a tuple
    cls.__reduce__ = lambda self: (fast_made, (cls, get(self)))
    _BY_FIELDS[cls] = get, {name: i for i, name in enumerate(names)}


def replaced(obj, **changes):
    """`dataclasses.replace(obj, **changes)` for the classes above, in half the time: anchoring
    makes a copy of each annotation (twice the fields' loop of `replace`)."""
    get, position = _BY_FIELDS[type(obj)]
    values = list(get(obj))
    for name, value in changes.items():
        values[position[name]] = value
    return fast_made(type(obj), tuple(values))


for _cls in (Loc, Quote, Reference, SourceLink, Retraction, ArticleMeta, Annotation, Article, Flow):
    _pickled_by_fields(_cls)
