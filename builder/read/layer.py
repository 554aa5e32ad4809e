"""Annotation files (and Markdown front matter): read with positions, checked beyond the schema, parsed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems, did_you_mean
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
from ..slugs import derive_id, is_slug, tag_slug
from . import yamlsrc
from .content import decode
from .schema import URL, schema_problems


@dataclass(frozen=True, slots=True)
class Parsed:
    """One annotation file (or front matter) after checking: what could be read of it."""

    meta: dict  # article fields, as ArticleMeta keyword arguments
    annotations: tuple[Annotation, ...]


def _date(node, file: str, line_offset: int, problems: Problems) -> dt.date | None:
    text = yamlsrc.raw_text(node)
    if text is None or not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return None  # the schema reported it
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        line, col = yamlsrc.where(node)
        problems.error(file, line + line_offset, col, f'"{text}" is not a date that exists')
        return None


def _text(root, path) -> str | None:
    return yamlsrc.raw_text(yamlsrc.node_at(root, path))


def _strings(root, path) -> tuple[str, ...]:
    """A text or list of texts, each as written."""
    node = yamlsrc.node_at(root, path)
    items = node.value if isinstance(node, yamlsrc.SequenceNode) else [node]
    return tuple(t for t in (yamlsrc.raw_text(n) for n in items) if t is not None and t.strip())


def parse_reference(text: str, slug: str, loc: Loc) -> Reference:
    if URL.match(text):
        return Reference(None, None, text, loc)
    target, _, anchor = text.partition("#")
    return Reference(target or slug, anchor or None, None, loc)


def check_flags(root, path, file: str, line_offset: int, config: SiteConfig, problems: Problems) -> tuple[str, ...]:
    node = yamlsrc.node_at(root, path)
    out = []
    if isinstance(node, yamlsrc.SequenceNode):
        for item in node.value:
            name = yamlsrc.raw_text(item)
            if name is None or not isinstance(item, yamlsrc.ScalarNode):
                continue
            if name not in config.flags:
                line, col = yamlsrc.where(item)
                problems.error(file, line + line_offset, col,
                               f'unknown flag "{name}"{did_you_mean(name, config.flags)}; flags are defined in site.toml')
            elif name not in out:
                out.append(name)
    return tuple(out)


CLAIM_MAX = 120  # characters: a claim is one short sentence (SPEC 3)


def check_verdict(node, item: dict, file: str, config: SiteConfig, problems: Problems) -> tuple[str | None, str | None]:
    """(verdict, claim) of an annotation: a verdict of the site's scale, and the claim it rates."""
    verdict = claim = None
    if "claim" in item:
        text = yamlsrc.raw_text(yamlsrc.node_at(node, ["claim"]))
        claim = " ".join(text.split()) if text is not None else None
        if claim and len(claim) > CLAIM_MAX:
            problems.error(file, *yamlsrc.where(yamlsrc.node_at(node, ["claim"])),
                           f'"claim" is {len(claim)} characters long: say the claim in one short sentence of at most {CLAIM_MAX}')
    vnode = yamlsrc.node_at(node, ["verdict"]) if "verdict" in item else None
    name = yamlsrc.raw_text(vnode) if isinstance(vnode, yamlsrc.ScalarNode) else None  # as written: `false` is text
    if name is not None:
        name = name.strip()
        if name not in config.verdicts:
            hint = did_you_mean(name, config.verdicts) or did_you_mean(name.lower(), config.verdicts)
            problems.error(file, *yamlsrc.where(vnode), f'unknown verdict "{name}"{hint}; the scale is '
                           + ", ".join(config.verdicts) + " (verdicts are defined in site.toml)")
        else:
            verdict = name
        if not claim:
            problems.error(file, *yamlsrc.where(vnode),
                           'a "verdict" needs a "claim": the claim it rates, in one short sentence (claim: …)')
    return verdict, claim or None


def parse_article_block(data, root, base: list, file: str, slug: str, line_offset: int,
                        config: SiteConfig, problems: Problems) -> dict:
    """The fields of an `article:` block (or front matter) that are present and well formed."""
    if not isinstance(data, dict):
        return {}

    def loc(*steps) -> Loc:
        line, col = yamlsrc.where(yamlsrc.node_at(root, base + list(steps)))
        return Loc(file, line + line_offset, col)

    meta: dict = {}
    for key in ("title", "publication", "summary"):
        if key in data and _text(root, base + [key]):
            meta[key] = _text(root, base + [key])
    if "author" in data:
        meta["authors"] = _strings(root, base + ["author"])
    if data.get("publish") in ("full", "excerpts"):
        meta["publish"] = data["publish"]
    if "url" in data and isinstance(data["url"], str) and URL.match(data["url"]):
        meta["url"] = data["url"]
    if "published" in data:
        meta["published"] = _date(yamlsrc.node_at(root, base + ["published"]), file, line_offset, problems)
    if "flags" in data:
        meta["flags"] = check_flags(root, base + ["flags"], file, line_offset, config, problems)
    body = data.get("body")
    if isinstance(body, dict):
        for key in ("start", "end"):
            text = _text(root, base + ["body", key])
            if text is not None:
                meta[f"body_{key}"] = Quote(text, loc=loc("body", key))
    retracted = data.get("retracted")
    if isinstance(retracted, dict):
        notice = None
        if isinstance(retracted.get("notice"), str):
            notice = parse_reference(retracted["notice"], slug, loc("retracted", "notice"))
        date = _date(yamlsrc.node_at(root, base + ["retracted", "date"]), file, line_offset, problems) if "date" in retracted else None
        meta["retracted"] = Retraction(date, _text(root, base + ["retracted", "reason"]), notice)
    return meta


def parse_annotations(data, root, file: str, slug: str, config: SiteConfig, problems: Problems) -> tuple[Annotation, ...]:
    items = data.get("annotations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return ()
    explicit: dict[str, int] = {}
    for i, item in enumerate(items):  # explicit ids first, so derived ones never take them
        if isinstance(item, dict) and isinstance(item.get("id"), str) and is_slug(item["id"]):
            node = yamlsrc.node_at(root, ["annotations", i, "id"])
            line, col = yamlsrc.where(node)
            if item["id"] in explicit:
                problems.error(file, line, col, f'duplicate id "{item["id"]}": already used on line {explicit[item["id"]]} of this file')
            else:
                explicit[item["id"]] = line
    taken = set(explicit)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        base = ["annotations", i]
        node = yamlsrc.node_at(root, base)
        line, col = yamlsrc.where(node)
        here = Loc(file, line, col)
        quote_text = _text(node, ["quote"])
        if quote_text is None or "quote" not in item:
            continue  # the schema reported it
        if not quote_text.strip():
            problems.error(file, *yamlsrc.where(yamlsrc.node_at(node, ["quote"])), '"quote" is empty')
            continue
        qline, qcol = yamlsrc.where(yamlsrc.node_at(node, ["quote"]))
        occurrence = item.get("occurrence")
        if isinstance(occurrence, float) and occurrence.is_integer():  # 2.0: JSON Schema's integer too
            occurrence = int(occurrence)
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
            occurrence = None  # the schema reported it
        quote = Quote(quote_text, _text(node, ["prefix"]), _text(node, ["suffix"]), occurrence, Loc(file, qline, qcol))
        flags = check_flags(node, ["flags"], file, 0, config, problems) if "flags" in item else ()
        relations = []
        for kind in RELATIONS:
            if kind not in item:
                continue
            rnode = yamlsrc.node_at(node, [kind])
            values = item[kind] if isinstance(item[kind], list) else [item[kind]]
            nodes = rnode.value if isinstance(rnode, yamlsrc.SequenceNode) else [rnode]
            for value, ref_node in zip(values, nodes):
                text = yamlsrc.raw_text(ref_node)
                if not isinstance(value, str) or text is None:
                    continue  # the schema reported it
                rline, rcol = yamlsrc.where(ref_node)
                ref = parse_reference(text, slug, Loc(file, rline, rcol))
                if ref.url and kind != "see":
                    problems.error(file, rline, rcol, f'"{kind}" takes a reference to a passage or article (slug, slug#id or #id), not a URL: use "see" or "sources" for links')
                    continue
                if ref.url is None and not (is_slug(ref.slug or "") and (ref.id is None or is_slug(ref.id))):
                    continue  # the schema reported it
                relations.append((kind, ref))
        note = _text(node, ["note"])
        verdict, claim = check_verdict(node, item, file, config, problems)
        said = ("flags" in item and item["flags"] != []) or bool(note and note.strip()) or any(k in item for k in RELATIONS) or "verdict" in item
        if not said:  # a flag, note or relation that is there but wrong is reported on its own
            problems.error(file, line, col, "this annotation says nothing: give it a flag, a note, a verdict or a relation (rebuts, retracts, supports, see)")
        tags: dict[str, None] = {}
        for t_node in (yamlsrc.node_at(node, ["tags"]).value if isinstance(item.get("tags"), list) else []):
            tag = yamlsrc.raw_text(t_node)
            if tag is None or not isinstance(t_node, yamlsrc.ScalarNode):
                continue
            if not tag_slug(tag):
                problems.error(file, *yamlsrc.where(t_node), f'tag "{tag}" needs at least one letter or digit')
            else:
                tags[tag.strip()] = None  # a dict keeps order and finds repeats at once
        sources = []
        for j, entry in enumerate(item.get("sources") or [] if isinstance(item.get("sources"), list) else []):
            if isinstance(entry, str) and URL.match(entry):
                sources.append(SourceLink(entry))
            elif isinstance(entry, dict) and isinstance(entry.get("url"), str) and URL.match(entry["url"]):
                sources.append(SourceLink(entry["url"], _text(node, ["sources", j, "title"])))
        date = _date(yamlsrc.node_at(node, ["date"]), file, 0, problems) if "date" in item else None
        explicit_id = isinstance(item.get("id"), str) and is_slug(item["id"])
        if isinstance(item.get("id"), str) and not explicit_id and is_slug(item["id"]):
            problems.error(file, *yamlsrc.where(yamlsrc.node_at(node, ["id"])),
                           '"id" should be a lowercase slug on one line, with nothing after it')
        if explicit_id:
            ann_id = item["id"]
        else:
            ann_id = derive_id(quote_text, taken)
            taken.add(ann_id)
        out.append(Annotation(
            id=ann_id, quote=quote, flags=flags, note=note, by=_text(node, ["by"]) or config.default_annotator or None,
            date=date, tags=tuple(tags), sources=tuple(sources), relations=tuple(relations), loc=here, explicit_id=explicit_id,
            verdict=verdict, claim=claim,
            last_line=node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1,
        ))
    return tuple(out)


def load_annotation_file(path: Path, rel: str, slug: str, config: SiteConfig, problems: Problems) -> Parsed | None:
    from . import files

    data = files.read(path, rel, problems)
    text = None if data is None else decode(data, rel, problems)
    if text is None:
        return None
    before = len(problems.items)
    root = yamlsrc.compose(text, rel, problems)
    if root is None:  # an empty file, or a syntax error already reported
        return Parsed({}, ()) if len(problems.items) == before else None
    data = yamlsrc.to_python(root, rel, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.error(rel, *yamlsrc.where(root), 'an annotation file should be a mapping with "article:" and "annotations:"')
        return None
    schema_problems(data, root, None, rel, 0, problems)
    meta = parse_article_block(data.get("article"), root, ["article"], rel, slug, 0, config, problems)
    return Parsed(meta, parse_annotations(data, root, rel, slug, config, problems))


def parse_front_matter(front: dict, root, rel: str, slug: str, line_offset: int, config: SiteConfig, problems: Problems) -> dict:
    schema_problems(front, root, "article", rel, line_offset, problems)
    return parse_article_block(front, root, [], rel, slug, line_offset, config, problems)


def article_meta(front: dict, layer: dict) -> ArticleMeta:
    """Front matter overridden field by field by the annotation file."""
    return ArticleMeta(**{**front, **layer})
