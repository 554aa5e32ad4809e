"""Annotation files (and Markdown front matter): read with positions, checked beyond the schema, parsed."""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems, did_you_mean
from ..markdown import brackets_line, brackets_message
from ..model import (
    RELATIONS,
    Annotation,
    ArticleMeta,
    Loc,
    Quote,
    Reference,
    Retraction,
    SiteConfig,
    SourceLink,
)
from ..slugs import PAGE_IDS, derive_id, free_id, id_base, is_slug, page_clash, page_ids, tag_slug
from ..weburl import url_problem
from . import conflicts, yamlsrc
from .config import BUILTIN_VERDICTS
from .content import decode
from .salvage import salvage
from .schema import URL, schema, schema_problems


@dataclass(frozen=True, slots=True)
class Parsed:
    """One annotation file (or front matter) after checking: what could be read of it."""

    meta: dict  # article fields, as ArticleMeta keyword arguments
    annotations: tuple[Annotation, ...]
    partial: bool = False  # a YAML syntax error (said) left part of the file unread: its ids are not all known


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(f: yamlsrc.Fields, key: str, file: str, problems: Problems) -> dt.date | None:
    text = f.text(key)
    if text is None or not _DATE.match(text):
        return None  # the schema reported it
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        problems.error(file, *f.where(key), f'"{text}" is not a date that exists{_why_no_date(text)}')
        return None
    today = dt.date.today()
    if date > today + dt.timedelta(days=1):  # (a day's grace: where the writer is, it may be tomorrow already)
        # (a warning: the same files build the same site whatever the clock says, SPEC 8; `dated` keeps the load
        # out of the cache, whose entry would say it again once the date has come)
        problems.warning(file, *f.where(key), f'"{text}" is later than today ({today.isoformat()}): a date says when '
                         f'something happened; check the {"year" if date.year != today.year else "month and day"}')
        problems.dated = True
    return date


def _why_no_date(text: str) -> str:
    """Why a YYYY-MM-DD date does not exist, and the date meant where it shows: month and day swapped."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        swapped = f"{year:04}-{day:02}-{month:02}"
        fits = 1 <= day <= 12 and _exists(swapped)
        return f": there is no month {month}" + (f' (dates are YYYY-MM-DD: did you mean "{swapped}"?)' if fits else "")
    if year == 0:
        return ": there is no year 0"
    if day == 0:
        return ": days start at 01"
    return f": {calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def _exists(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _strings(f: yamlsrc.Fields, key: str) -> tuple[str, ...]:
    """A text or list of texts, each as written."""
    return tuple(t for t in (yamlsrc.raw_text(node) for _, node in f.items(key)) if t is not None and t.strip())


def _valid_url(text: str, file: str, where: tuple[int, int], problems: Problems) -> bool:
    """Whether an http(s) URL that the schema let through is a valid one; if not, said where it is written."""
    problem = url_problem(text)
    if problem:
        problems.error(file, *where, f'URL "{text}" {problem}')
    return problem is None


def parse_reference(text: str, slug: str, loc: Loc) -> Reference:
    if URL.match(text):
        return Reference(None, None, text, loc)
    target, _, anchor = text.partition("#")
    return Reference(target or slug, anchor or None, None, loc)


_PERMALINK = re.compile(r"https?://[^/#?]+(?:/[^#?]*)?/articles/([a-z0-9][a-z0-9_-]*)/(?:index\.html)?(?:#([a-z0-9][a-z0-9_-]*))?\Z")


def _reference_in(url: str, here: str) -> str | None:
    """The reference ("report#allies", "#allies" in its own article, "report") that a URL of a Glossator site's
    article or passage stands for, whatever its host; None for any other URL."""
    m = _PERMALINK.match(url)
    if not m:
        return None
    slug, ann = m.groups()
    return f'{"" if slug == here else slug}#{ann}' if ann else slug


def _own_page(url: str, base_url: str, here: str) -> str | None:
    """_reference_in for a URL of this site's own article or passage (under base_url when it has a host, or served
    by glossator serve on this machine); None for any other URL."""
    ours = base_url.startswith(("http://", "https://")) and url.startswith(base_url.rstrip("/") + "/articles/")
    host = re.match(r"https?://([^/:#?]+)", url)
    if not ours and (host is None or host.group(1) not in ("127.0.0.1", "localhost", "::1")):
        return None
    return _reference_in(url, here)


def _permalink_of(url: str, here: str) -> str:
    """' (did you mean "report#allies"? …)' for a URL that is a page or passage of a Glossator site (copied from the
    published site, or from glossator serve), whatever its host; '' for any other URL."""
    ref = _reference_in(url, here)
    if ref is None:
        return ""
    what = "that passage's permalink" if "#" in ref else "that article's page"
    return f' (did you mean "{ref}"? the URL is {what})'


def check_flags(f: yamlsrc.Fields, file: str, config: SiteConfig, problems: Problems) -> tuple[str, ...]:
    """The flags named under `flags:`, each once; an unknown one is reported where it is written."""
    out = []
    if not isinstance(f.get("flags"), list):
        return ()  # the schema reported it
    for _, item in f.items("flags"):
        name = yamlsrc.raw_text(item)
        if name is None or not isinstance(item, yamlsrc.ScalarNode):
            continue
        if name not in config.flags:
            if not config.unread:  # else site.toml's own error says why its flags are unknown
                near = did_you_mean(name, config.flags)
                how = (f'; the flags defined are {", ".join(config.flags)}; a site defines its own in site.toml: '
                       f'[flags.{name}], with a label and a description') if not near and is_slug(name) \
                    else "; flags are defined in site.toml"
                problems.error(file, *f.where(node=item), f'unknown flag "{name}"{near}{how}')
        elif name in out:  # harmless, but a slip for another flag, perhaps
            problems.warning(file, *f.where(node=item), f'flag "{name}" is given twice: remove one (or name the flag meant)')
        else:
            out.append(name)
    return tuple(out)


CLAIM_MAX = 120  # characters: a claim is one short sentence (SPEC 3)


def _claim_misspelt(f: yamlsrc.Fields) -> bool:
    """Whether the annotation has an unknown field that is a near miss of "claim" (the schema reports it)."""
    known = schema()["$defs"]["annotation"]["properties"]
    return any(key not in known and difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6) == ["claim"]
               for key in f.data)


def check_verdict(f: yamlsrc.Fields, file: str, config: SiteConfig, problems: Problems) -> tuple[str | None, str | None]:
    """(verdict, claim) of an annotation: a verdict of the site's scale, and the claim it rates."""
    verdict = claim = None
    if "claim" in f:
        text = f.text("claim")
        claim = " ".join(text.split()) if text is not None else None
        length = len(unicodedata.normalize("NFC", claim)) if claim else 0  # "é" is one character, typed or pasted as e + ◌́
        if length > CLAIM_MAX:
            problems.error(file, *f.where("claim"),
                           f'"claim" is {length} characters long: say the claim in one short sentence of at most {CLAIM_MAX}')
    if claim and "verdict" not in f:
        problems.warning(file, *f.where("claim"), 'a "claim" is shown only with the "verdict" that rates it: '
                         'add one (verdict: ' + (", ".join(config.verdicts) or "…") + ') or remove the claim')
    vnode = f.node_of("verdict") if "verdict" in f else None
    name = yamlsrc.raw_text(vnode) if isinstance(vnode, yamlsrc.ScalarNode) else None  # as written: `false` is text
    if name is not None:
        name = name.strip()
        if name not in config.verdicts:
            hint = did_you_mean(name, config.verdicts) or did_you_mean(name.lower(), config.verdicts)
            scale = ", ".join(config.verdicts)
            if config.unread:
                pass  # site.toml's own error says why its scale is unknown
            elif name in BUILTIN_VERDICTS:  # site.toml named a scale of its own, without it
                problems.error(file, *f.where("verdict"), f'unknown verdict "{name}"{hint}: site.toml\'s [verdicts] names '
                               f"a scale of its own, which replaces the built-in one ({', '.join(BUILTIN_VERDICTS)}); the "
                               f'site\'s scale is {scale}. To keep "{name}", add [verdicts.{name}] with its label and rating to site.toml')
            else:
                problems.error(file, *f.where("verdict"), f'unknown verdict "{name}"{hint}; the scale is {scale} '
                               "(verdicts are defined in site.toml)")
        else:
            verdict = name
        if not claim and not (claim is None and _claim_misspelt(f)):  # `claime:` is said as an unknown field, once
            problems.error(file, *f.where("verdict"),
                           'a "verdict" needs a "claim": the claim it rates, in one short sentence (claim: …)')
    return verdict, claim or None


def parse_article_block(f: yamlsrc.Fields | None, file: str, slug: str, config: SiteConfig, problems: Problems) -> dict:
    """The fields of an `article:` block (or front matter) that are present and well formed."""
    if f is None:
        return {}
    meta: dict = {}
    for key in ("title", "publication"):  # one line each; blank is unset (the title falls back)
        if " ".join((f.text(key) or "").split()):
            meta[key] = " ".join(f.text(key).split())
    if (f.text("summary") or "").strip():
        meta["summary"] = f.text("summary")
    if "author" in f:
        meta["authors"] = _strings(f, "author")
    if f.get("publish") in ("full", "excerpts"):
        meta["publish"] = f.get("publish")
    if isinstance(f.get("url"), str) and URL.match(f.get("url")) and _valid_url(f.get("url"), file, f.where("url"), problems):
        meta["url"] = f.get("url")
    if "published" in f:
        meta["published"] = _date(f, "published", file, problems)
    if "flags" in f:
        meta["flags"] = check_flags(f, file, config, problems)
    body = f.fields("body")
    if body is not None:
        for key in ("start", "end"):
            text = body.text(key)
            if text is not None:
                meta[f"body_{key}"] = Quote(text, loc=Loc(file, *body.where(key)))
    retracted = f.fields("retracted")
    if retracted is not None:
        notice = None
        written = retracted.text("notice")  # as written: `notice: 2024` names the article 2024
        if written is not None and (isinstance(retracted.get("notice"), str) or is_slug(written)):
            notice = parse_reference(written, slug, Loc(file, *retracted.where("notice")))
            if notice.url and not _valid_url(notice.url, file, retracted.where("notice"), problems):
                notice = None
            elif notice.url is None and not (is_slug(notice.slug or "") and (notice.id is None or is_slug(notice.id))):
                notice = None  # the schema reported it (javascript:…, a stray word)
        date = _date(retracted, "date", file, problems) if "date" in retracted else None
        meta["retracted"] = Retraction(date, retracted.text("reason"), notice)
    return meta


def _occurrence(value) -> int | None:
    """`occurrence` as read: a whole number from 1 (2.0 too: JSON Schema's integer), else None (the schema reports it)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def _annotation_items(doc: yamlsrc.Fields) -> tuple[list[yamlsrc.Fields], list[str | None], list[str | None]]:
    """The mappings of `annotations:`, the id of each, and the id written (a slug, else None). The id is the
    one written, or one derived from its quote (None without a quote). Derived ids never take a written one,
    and those derived from the same words are numbered in the order of their anchoring values (occurrence,
    prefix, suffix), not of the file: re-ordering the items leaves each passage its permalink (SPEC 3:
    stable while the quote is unchanged)."""
    if not isinstance(doc.get("annotations"), list):
        return [], [], []
    items = [yamlsrc.Fields(value, node) for value, node in doc.items("annotations") if isinstance(value, dict)]
    written = [i if (i := f.text("id")) is not None and is_slug(i) else None for f in items]  # as written: `id: 2024`
    ids = list(written)

    def values(i: int) -> tuple:
        f = items[i]
        return (" ".join(f.text("quote").split()), _occurrence(f.get("occurrence")) or 0, f.text("prefix") or "", f.text("suffix") or "", i)

    quoted = [i for i, f in enumerate(items) if ids[i] is None and f.text("quote") is not None and f.text("quote").strip()]
    if quoted:
        used = set(PAGE_IDS).union(*(page_ids(i) for i in written if i))  # a derived id gives the page no id twice
        reached: dict[str, int] = {}
        for i in sorted(quoted, key=values):
            ids[i] = derive_id(items[i].text("quote"), used, reached)
            used.update(page_ids(ids[i]))
    return items, ids, written


def anchors_in(text: str) -> dict[str, tuple]:
    """{id: (quote, prefix, suffix, occurrence)} of each annotation of an annotation file's text, and of
    its body bounds ("body.start", "body.end": (quote, None, None, None)), read as loading reads them;
    {} when the text does not read. What says where each one anchors, whatever its layout."""
    problems = Problems()
    root = yamlsrc.compose(text, "", problems)
    data = yamlsrc.to_python(root, "", problems) if root is not None else None
    if not isinstance(data, dict):
        return {}
    doc = yamlsrc.Fields(data, root)
    out: dict[str, tuple] = {}
    body = doc.fields("article").fields("body") if doc.fields("article") is not None else None
    for key in ("start", "end"):
        if body is not None and body.text(key) is not None:
            out[f"body.{key}"] = (body.text(key), None, None, None)
    items, ids, _ = _annotation_items(doc)
    for f, ann_id in zip(items, ids):
        quote = f.text("quote")
        if ann_id is not None and quote is not None and quote.strip():
            out.setdefault(ann_id, (quote, f.text("prefix"), f.text("suffix"), _occurrence(f.get("occurrence"))))
    return out


def _same(value):
    """A value of an annotation as compared for a repeat: texts with their white space as one space."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return tuple(_same(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _same(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _unnamed(data: dict):
    return _same({k: v for k, v in data.items() if k != "id"})


def _repeats(items: list, file: str, problems: Problems) -> dict[int, int]:
    """{index: index of the first} of annotations that repeat an earlier one field for field (its id aside; the
    same quote, and white space elsewhere as one space): pasted twice, the page would show one note twice over its
    passage. Said once, at the repeat, naming the first's line."""
    seen: dict = {}  # quote as read -> the first annotation with it: the rest is compared only where quotes are the same
    wholes: dict = {}  # an annotation as compared (_unnamed) -> the first so, of those whose quote is written twice or more
    out = {}
    for i, f in enumerate(items):
        quote = f.data.get("quote")
        if type(quote) is not str or (j := seen.setdefault(quote, i)) == i:
            continue  # (most quotes are written once)
        try:  # (looked up, not compared with each before it: 5,000 notes on one quote took minutes)
            if j >= 0:
                wholes.setdefault(_unnamed(items[j].data), j)
                seen[quote] = -1  # (its first is in `wholes`)
            first = wholes.setdefault(_unnamed(f.data), i)
        except TypeError:  # (a value YAML gives that cannot be a key: not compared)
            continue
        if first != i:
            out[i] = first
            line = items[first].where()[0]
            problems.error(file, *items[i].where(), f"this annotation repeats the one on line {line}: the same quote, "
                           "note and fields, pasted twice; remove one (the page would show its note twice)")
    return out


NAMED = 5  # ids a warning names: said once per annotation, a list of all made the output grow as the square


def _shared_derived_ids(items: list, ids: list, written: list, file: str, problems: Problems, repeats=()) -> None:
    """A warning on annotations without an `id:` whose quotes begin alike: their derived ids are numbered
    (#the-deal, #the-deal-2) in the order of their anchoring values, so adding, removing or re-anchoring
    one of them can give another's permalink to a different passage."""
    alike: dict[str, list[int]] = {}
    for i, f in enumerate(items):
        if ids[i] is not None and written[i] is None and i not in repeats:
            alike.setdefault(id_base(f.text("quote")), []).append(i)
    for group in (g for g in alike.values() if len(g) > 1):
        for i in group:
            others = [f"#{ids[j]}" for j in group[:NAMED + 1] if j != i][:NAMED]  # (not all: a list per annotation, the square)
            named = ", ".join(others) + (f" and {len(group) - 1 - NAMED} more" if len(group) - 1 > NAMED else "")
            problems.warning(file, *items[i].where("quote"), f"{len(group)} annotations here quote words that begin "
                             f"alike and have no id (this one is #{ids[i]}; the others {named}): their ids are numbered, "
                             "and adding or removing one can move another's permalink; give each an id")


def _derived_id_taken(items: list, ids: list, written: list, file: str, problems: Problems) -> None:
    """A warning on an annotation without an `id:` whose quote gives an id that another annotation has written
    as its own: it is numbered (#officials-say-2), and its permalink moves whenever that id is added or changed."""
    owner = {w: j for j, w in enumerate(written) if w}
    for i, f in enumerate(items):
        if written[i] is not None or ids[i] is None:
            continue
        base = id_base(f.text("quote"))
        if base != ids[i] and base in owner:
            line = items[owner[base]].where("id")[0]
            problems.warning(file, *f.where("quote"), f'this annotation has no id, and its quote gives the id "{base}", '
                             f"which the annotation on line {line} has as its id: this one is #{ids[i]}, and its "
                             "permalink moves whenever that id changes; give it an id")


CONTRARY = ({"rebuts", "supports"}, {"retracts", "supports"})  # one passage cannot do both to the same target


def _named(ref: Reference, slug: str) -> str:
    """A reference as an annotator writes it: "#id" in its own article, "slug#id", "slug", or the URL."""
    if ref.url:
        return ref.url
    return (f"#{ref.id}" if ref.slug == slug else f"{ref.slug}#{ref.id}") if ref.id else ref.slug


def _relations_named_twice(relations: list, slug: str, problems: Problems) -> None:
    """A warning where one annotation names a target a second time (`_overlap`), once at each place, in file order."""
    earlier: dict = {}  # target -> [(kind, reference)] named before, as written
    warned = set()
    for kind, ref in sorted(relations, key=lambda r: (r[1].loc.line, r[1].loc.col)):
        before = earlier.setdefault(ref.url or (ref.slug, ref.id), [])
        said = _overlap(kind, ref, before, slug)
        if said is not None and said[0].loc not in warned:
            warned.add(said[0].loc)
            problems.warning(said[0].loc.file, said[0].loc.line, said[0].loc.col, said[1])
        before.append((kind, ref))


def _overlap(kind: str, ref: Reference, before: list, slug: str) -> tuple[Reference, str] | None:
    """(where, message) for a reference whose target the same annotation named before: relations that contradict each
    other (said at the later), the same relation twice (shown once; said at the later), or `see` beside another
    relation (linked twice; said at the `see`); None if it names a target for the first time."""
    named = _named(ref, slug)
    what = "page" if ref.url else "passage" if ref.id else "article"
    for other, first in before:
        if {kind, other} in CONTRARY:
            return ref, (f'"{kind}: {named}" contradicts "{other}: {_named(first, slug)}" on line {first.loc.line}: a '
                         f'passage cannot both {other.rstrip("s")} and {kind.rstrip("s")} the same {what}; keep the one meant')
    for other, first in before:
        if other == kind:
            also = f" (also on line {first.loc.line})" if first.loc.line != ref.loc.line else ""
            return ref, f'"{kind}" names {named} twice{also}: remove one'
    for other, first in before:
        if "see" in (kind, other):
            see, shown = (ref, other) if kind == "see" else (first, kind)
            return see, (f'"see" names {_named(see, slug)}, which "{shown}" names too: the page would link the {what} '
                         'twice; remove it from "see"')
    return None


def parse_annotations(doc: yamlsrc.Fields, file: str, slug: str, config: SiteConfig, problems: Problems,
                      lines: list[str] | None = None) -> tuple[Annotation, ...]:
    items, ids, written = _annotation_items(doc)
    if not items:
        return ()
    repeats = _repeats(items, file, problems)
    first: dict[str, yamlsrc.Fields] = {}  # where each id written is first written
    all_ids = set(filter(None, ids))
    for i, (f, written_id) in enumerate(zip(items, written)):  # duplicates among the ids written, and ids the article page has already
        if written_id is None or i in repeats:
            continue
        if written_id in first:
            used = first[written_id].where("id")[0]
            if (merge := f.merged_by("id")) is not None:  # (said at its own id, it read "already used on line 3" at line 3)
                problems.error(file, *f.where(node=merge), f'duplicate id "{written_id}": "<<" merges it in from line '
                                                           f'{f.where("id")[0]}, where it is already used: give this annotation an id of its own')
            else:
                problems.error(file, *f.where("id"), f'duplicate id "{written_id}": already used on line {used} of this file')
            continue
        if clash := page_clash(written_id, all_ids):
            free = free_id(written_id, set(PAGE_IDS).union(*(page_ids(i) for i in all_ids - {written_id})))
            problems.error(file, *f.where("id"), f'id "{written_id}" is taken on the article page, by {clash}: '
                                                 f'choose another, such as "{free}"')
        first[written_id] = f
    _shared_derived_ids(items, ids, written, file, problems, repeats)
    _derived_id_taken(items, ids, written, file, problems)
    out = []
    for f, ann_id, written_id in (row for i, row in enumerate(zip(items, ids, written)) if i not in repeats):
        data = f.data  # (its fields looked up here, not through Fields: some ten a note)
        line, col = f.where()
        quote_text = f.text("quote")
        if quote_text is None:
            continue  # the schema reported it
        if not quote_text.strip():
            problems.error(file, *f.where("quote"), '"quote" is empty')
            continue
        occurrence = _occurrence(data.get("occurrence"))
        quote = Quote(quote_text, f.text("prefix"), f.text("suffix"), occurrence, Loc(file, *f.where("quote")),
                      occurrence_unread=occurrence is None and data.get("occurrence") is not None)
        flags = check_flags(f, file, config, problems) if "flags" in data else ()
        relations = []
        for kind in RELATIONS:
            for value, ref_node in f.items(kind) if kind in data else ():
                text = yamlsrc.raw_text(ref_node)  # as written: `see: 2024` names the article 2024
                if text is None or not (isinstance(value, str) or is_slug(text)):
                    continue  # the schema reported it
                rline, rcol = f.where(node=ref_node)
                ref = parse_reference(text, slug, Loc(file, rline, rcol))
                if ref.url and kind != "see":
                    problems.error(file, rline, rcol, f'"{kind}" takes a reference to a passage or article (slug, slug#id or #id), '
                                                      f'not a URL: use "see" or "sources" for links{_permalink_of(ref.url, slug)}')
                    continue
                if ref.url and not _valid_url(ref.url, file, (rline, rcol), problems):
                    continue
                if ref.url and (own := _own_page(ref.url, config.base_url, slug)):
                    what = "passage" if "#" in own else "article"
                    problems.warning(file, rline, rcol, f'"{kind}" links to a page of this site by its URL: write it as a '
                                                        f'reference, "{own}", so that the {what} it names shows this one too')
                if ref.url is None and (text.endswith("#") or not (is_slug(ref.slug or "") and (ref.id is None or is_slug(ref.id)))):
                    continue  # the schema reported it (`report#`, `#`: no id after the "#", not the whole article)
                relations.append((kind, ref))
        _relations_named_twice(relations, slug, problems)
        note = f.text("note")
        if note and (at := brackets_line(note)) is not None:
            problems.warning(file, *f.where("note"), brackets_message("this note", f"its line {at + 1}" if at else "its start"))
        verdict, claim = check_verdict(f, file, config, problems) if "claim" in data or "verdict" in data else (None, None)
        said = (("flags" in data and data.get("flags") != []) or ("note" in data and (note is None or bool(note.strip())))
                or any(k in data for k in RELATIONS) or "verdict" in data)
        # a flag, note or relation that is there but wrong is reported on its own, and so is a misspelt field (`flag:`, `notes:`)
        if not said and all(key in schema()["$defs"]["annotation"]["properties"] for key in data):
            problems.error(file, line, col, "this annotation says nothing: give it a flag, a note, a verdict or a relation (rebuts, retracts, supports, see)")
        tags: dict[str, str] = {}  # slug -> the tag as first written: `Los Zetas` and `los-zetas` are one tag, one page
        for _, t_node in f.items("tags") if isinstance(data.get("tags"), list) else ():
            tag = yamlsrc.raw_text(t_node)
            if tag is None or not isinstance(t_node, yamlsrc.ScalarNode):
                continue
            if not (key := tag_slug(tag)):
                problems.error(file, *f.where(node=t_node), f'tag "{tag}" needs at least one letter or digit')
            else:
                tags.setdefault(key, tag.strip())
        sources = []
        for entry, s_node in f.items("sources") if isinstance(data.get("sources"), list) else ():
            if isinstance(entry, (bool, int, float)) and is_slug(yamlsrc.raw_text(s_node) or ""):
                entry = yamlsrc.raw_text(s_node)  # as written: `sources: [2024]` names the article 2024
            if isinstance(entry, str) and URL.match(entry):
                if _valid_url(entry, file, f.where(node=s_node), problems):
                    sources.append(SourceLink(entry))
            elif isinstance(entry, dict) and isinstance(entry.get("url"), str) and URL.match(entry["url"]):
                source = yamlsrc.Fields(entry, s_node)
                if _valid_url(entry["url"], file, source.where("url"), problems):
                    title = " ".join((source.text("title") or "").split())
                    sources.append(SourceLink(entry["url"], title or None))  # a blank title: the URL is shown
            elif isinstance(entry, str) and (ref := parse_reference(entry, slug, Loc(file, *f.where(node=s_node)))) \
                    and not entry.endswith("#") and is_slug(ref.slug or "") and (ref.id is None or is_slug(ref.id)):
                sources.append(SourceLink(None, ref=ref))  # (else the schema reported it)
        date = _date(f, "date", file, problems) if "date" in data else None
        out.append(Annotation(
            id=ann_id, quote=quote, flags=flags, note=note, by=" ".join((f.text("by") or "").split()) or config.default_annotator or None,
            date=date, tags=tuple(tags.values()), sources=tuple(sources), relations=tuple(relations), loc=Loc(file, line, col),
            explicit_id=written_id is not None, verdict=verdict, claim=claim,
            last_line=yamlsrc.last_line(f.node, lines),
        ))
    return tuple(out)


def load_annotation_file(path: Path, rel: str, slug: str, config: SiteConfig, problems: Problems) -> Parsed | None:
    from . import files

    data = files.read(path, rel, problems, files.MAX_LAYER)
    text = None if data is None else decode(data, rel, problems)
    if text is None or conflicts.report(text, rel, problems):  # (read on, both sides would be said twice over)
        return None
    before = len(problems.items)
    root = yamlsrc.compose_once(text, rel, problems)
    partial = None
    if isinstance(root, int):  # a syntax error, said: the rest of the file is read around it, for its own mistakes
        partial = salvage(text, root, rel, problems)
        if partial is None:
            return None
        if partial.root is None:
            return Parsed({}, (), partial=True)
        root = partial.root
    if root is None:  # an empty file, or a file refused (said)
        if len(problems.items) != before:
            return None
        _says_nothing("is empty" if not text.strip() else "holds only comments", rel, slug, problems)
        return Parsed({}, ())
    data = yamlsrc.to_python(root, rel, problems, text=text)
    if data is None:
        return None
    if not isinstance(data, dict):
        hint = (': this one is a bare list of annotations: write "annotations:" on a line of its own above it'
                if isinstance(data, list) else "")
        problems.error(rel, *yamlsrc.where(root), f'an annotation file should be a mapping with "article:" and "annotations:"{hint}')
        return None
    schema_problems(data, root, None, rel, 0, problems, text)
    doc = yamlsrc.Fields(data, root)
    meta = parse_article_block(doc.fields("article"), rel, slug, config, problems)
    annotations = parse_annotations(doc, rel, slug, config, problems, text.split("\n"))
    if partial is not None:  # anchored only where the article's `body` is known, else a quote could be said ambiguous
        return Parsed(meta, annotations if partial.article_read else (), partial=True)  # that the body tells apart
    return Parsed(meta, annotations)


def _says_nothing(what: str, rel: str, slug: str, problems: Problems) -> None:
    """A warning on an annotation file with nothing in it, or only comments: not an error, an article may wait for
    its annotations, but a file saved empty by mistake should not pass unseen. (`annotations:` with nothing under
    it, as `glossator new` writes it for an article whose front matter has every field, says it is waiting.)"""
    problems.warning(rel, 1, 1, f'this annotation file {what}: article "{slug}" is published with no annotations; '
                     'write them under "annotations:", each a list item ("  - quote: …" with a flag or a note), '
                     f'or delete the file (then "glossator new {slug}" writes one to start from)')


def parse_front_matter(front: dict, root, rel: str, slug: str, line_offset: int, config: SiteConfig, problems: Problems) -> dict:
    schema_problems(front, root, "article", rel, line_offset, problems)
    fields = yamlsrc.Fields(front, root, line_offset) if isinstance(front, dict) else None
    return parse_article_block(fields, rel, slug, config, problems)


def article_meta(front: dict, layer: dict) -> ArticleMeta:
    """Front matter overridden field by field by the annotation file."""
    return ArticleMeta(**{**front, **layer})
