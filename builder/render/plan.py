"""Rendering: the linked site as pages of bytes. Builds view data, fills templates, writes nothing."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markupsafe import Markup

from . import __version__
from .annotations import tag_slug
from .errors import Problem, ProblemError
from .flow import clip
from .markdown import render_note, safe_url
from .model import Annotation, Article, Relation, Site
from .weave import Span, weave

HERE = Path(__file__).resolve().parent
OUT_LABEL = {"rebuts": "Rebuts", "retracts": "Retracts", "supports": "Supports", "see": "See also"}
IN_LABEL = {"rebuts": "Rebutted by", "retracts": "Retracted by", "supports": "Supported by", "see": "See also"}
TEMPLATES = ("base.html", "index.html", "article.html", "flag.html", "tag.html", "404.html")


def builtin_templates() -> Path:
    for candidate in (HERE / "templates", HERE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in templates are missing from the installation")


class _Environment(jinja2.Environment):
    """Views are plain dicts: look `x.key` up as a key first, skipping Jinja's failing getattr."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(site_root: Path) -> jinja2.Environment:
    loaders = []
    if (site_root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(site_root / "templates"))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.filters["long_date"] = lambda d: f"{d.day} {d.strftime('%B')} {d.year}" if d else ""
    return env


def template_error(exc: Exception, site_root: Path) -> Problem:
    """`templates/x.html:line: error: …` for a template that fails to compile or to render."""
    name, line = None, 1
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name, exc.lineno or 1
    else:
        tb = exc.__traceback__
        while tb is not None:
            fname = tb.tb_frame.f_code.co_filename
            if fname.endswith((".html", ".xml", ".j2")):
                name, line = fname, tb.tb_lineno
            tb = tb.tb_next
    shown = "templates/?"
    if name:
        path = Path(name)
        try:
            shown = path.resolve().relative_to(site_root.resolve()).as_posix()
        except ValueError:
            shown = f"templates/{path.name} (built-in)"
    message = getattr(exc, "message", None) or str(exc)
    return Problem(shown, line, 1, f"template error: {message}")


def template_problems(site_root: Path) -> list[Problem]:
    """Syntax errors in the site's own templates (what `check` can know without rendering)."""
    folder = site_root / "templates"
    if not folder.is_dir():
        return []
    env = environment(site_root)
    found = []
    for path in sorted(folder.rglob("*.html")):
        try:
            env.get_template(path.relative_to(folder).as_posix())
        except jinja2.TemplateSyntaxError as exc:
            found.append(template_error(exc, site_root))
    return found


# ---------------------------------------------------------------- views (plain data for templates)


@dataclass
class Urls:
    """Where pages live. Links are path-absolute under base_url's path; feeds use absolute URLs."""

    base_url: str

    @cached_property
    def root(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def page(self, path: str) -> str:
        return self.root + path

    def absolute(self, path: str) -> str:
        parts = urlsplit(self.base_url)
        prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        return prefix + self.root + path

    def article(self, slug: str, ann_id: str | None = None) -> str:
        return self.page(f"articles/{slug}/") + (f"#{ann_id}" if ann_id else "")

    def flag(self, name: str) -> str:
        return self.page(f"flags/{name}/")

    def tag(self, tag: str) -> str:
        return self.page(f"tags/{tag_slug(tag)}/")


def excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def context_around(article: Article, ann: Annotation, width: int = 90) -> tuple[str, str, str]:
    """The quote with a little of the text before and after it, inside the body."""
    lo, hi = article.body
    before = article.text[max(lo, ann.start - width) : ann.start]
    after = article.text[ann.end : min(hi, ann.end + width)]
    before = " ".join(before.split(" ")[1:]) if ann.start - width > lo else before
    after = " ".join(after.split(" ")[:-1]) if ann.end + width < hi else after
    return (("…" if ann.start - width > lo else "") + " ".join(before.split()) + (" " if before[-1:].isspace() else ""),
            " ".join(article.text[ann.start : ann.end].split()),
            (" " if after[:1].isspace() else "") + " ".join(after.split()) + ("…" if ann.end + width < hi else ""))


class SiteView:
    """Lookups shared by every page: articles by slug, annotations by key, flags, relations."""

    def __init__(self, site: Site, base_url: str):
        self.site = site
        self.config = site.config
        self.urls = Urls(base_url)
        self.by_slug = {a.slug: a for a in site.articles}
        self.annotation = {(a.slug, n.id): n for a in site.articles for n in a.annotations}
        self.order = sorted(site.articles, key=lambda a: (a.meta.published or dt.date.min, a.slug), reverse=True)
        self.position = {a.slug: i for i, a in enumerate(self.order)}
        self._notes: dict = {}
        self._rows: dict = {}

    def flags(self, key) -> tuple[str, ...]:
        return self.site.flags_of.get(key, ())

    def flag_defs(self, key) -> list:
        return [self.config.flags[f] for f in self.flags(key) if f in self.config.flags]

    def endpoint(self, key: tuple[str, str | None]) -> dict:
        """The other end of a relation, as a note shows it: article title, quote, link."""
        slug, ann_id = key
        article = self.by_slug[slug]
        quote = excerpt(" ".join(article.text[self.annotation[key].start : self.annotation[key].end].split()), 140) if ann_id else None
        return {
            "title": article.title, "quote": quote, "url": self.urls.article(slug, ann_id),
            "same_article": False, "flags": self.flag_defs(key), "retracted": "retraction" in self.flags(key),
        }

    def cross_links(self, key) -> list[dict]:
        links = []
        for r in self.site.outgoing.get(key, ()):
            link = {"label": OUT_LABEL[r.kind], "kind": r.kind, "direction": "out", **self.endpoint(r.target)}
            link["warning"] = (r.kind in ("supports", "see") and link["retracted"])
            links.append(link)
        for r in self.site.incoming.get(key, ()):
            links.append({"label": IN_LABEL[r.kind], "kind": r.kind, "direction": "in", "warning": False, **self.endpoint(r.source)})
        if key[1] is not None:
            for kind, ref in self.annotation[key].relations:
                if ref.url:
                    links.append({"label": OUT_LABEL[kind], "kind": kind, "direction": "out", "title": ref.url,
                                  "quote": None, "url": ref.url, "flags": [], "retracted": False, "warning": False,
                                  "external": True})
        for link in links:
            link.setdefault("external", False)
            link["same_article"] = link["url"].startswith(self.urls.article(key[0]) + "#")
        return links

    def note(self, article: Article, ann: Annotation, number: int) -> dict:
        key = (article.slug, ann.id)
        if key not in self._notes:
            self._notes[key] = self._note(article, ann)
        return {**self._notes[key], "number": number}

    def _note(self, article: Article, ann: Annotation) -> dict:
        key = (article.slug, ann.id)
        return {
            "id": ann.id, "flags": self.flag_defs(key), "html": render_note(ann.note),
            "by": ann.by, "date": ann.date, "tags": [{"name": t, "url": self.urls.tag(t)} for t in ann.tags],
            "sources": [{"url": s.url, "title": s.title or s.url} for s in ann.sources if safe_url(s.url)],
            "permalink": self.urls.article(article.slug, ann.id), "links": self.cross_links(key),
            "quote": excerpt(" ".join(article.text[ann.start : ann.end].split()), 100),
        }

    def passage(self, article: Article, ann: Annotation) -> dict:
        before, quote, after = context_around(article, ann)
        return {**self.note(article, ann, 0), "before": before, "quote": quote, "after": after}

    def summary_row(self, article: Article) -> dict:
        if article.slug not in self._rows:
            self._rows[article.slug] = self._summary_row(article)
        return self._rows[article.slug]

    def _summary_row(self, article: Article) -> dict:
        counts = {}
        for ann in article.annotations:
            for flag in self.flags((article.slug, ann.id)):
                counts[flag] = counts.get(flag, 0) + 1
        return {
            "slug": article.slug, "title": article.title, "url": self.urls.article(article.slug),
            "publication": article.meta.publication, "published": article.meta.published,
            "authors": list(article.meta.authors), "counts": counts, "annotations": len(article.annotations),
            "flags": self.flag_defs((article.slug, None)), "retracted": "retraction" in self.flags((article.slug, None)),
            "summary_html": render_note(article.meta.summary),
        }


# ---------------------------------------------------------------- pages


def article_page(view: SiteView, article: Article) -> dict:
    anns = article.annotations
    numbers = {a.id: i + 1 for i, a in enumerate(anns)}
    labels = {}
    for a in anns:
        names = [d.label for d in view.flag_defs((article.slug, a.id))]
        labels[a.id] = f"Note {numbers[a.id]}" + (f": {', '.join(names)}" if names else "")
    spans = [Span(a.id, a.start, a.end, numbers[a.id], view.flags((article.slug, a.id)), labels[a.id]) for a in anns]
    lo, hi = article.body
    blocks = []
    for woven in weave(article.text, clip(article.flow, lo, hi), spans):
        notes = [view.note(article, view.annotation[(article.slug, i)], numbers[i]) for i in woven.notes]
        blocks.append({"html": woven.html, "notes": notes})
    key = (article.slug, None)
    summary = []
    for flag, defn in view.config.flags.items():
        hits = [a for a in anns if flag in view.flags((article.slug, a.id))]
        if hits:
            summary.append({"flag": defn, "count": len(hits), "url": f"#{hits[0].id}",
                            "text": f"{len(hits)} {'passage' if len(hits) == 1 else 'passages'} flagged {defn.label.lower()}"})
    relations = []
    for kind in ("rebuts", "retracts", "supports", "see"):
        incoming = [r for a in anns for r in view.site.incoming.get((article.slug, a.id), ()) if r.kind == kind and r.source[0] != article.slug]
        if incoming:
            arts = {r.source[0] for r in incoming}
            relations.append({"kind": kind, "url": f"#{next(a.id for a in anns if any(r.target == (article.slug, a.id) for r in incoming))}",
                              "text": f"{IN_LABEL[kind].lower()} {len(incoming)} {'passage' if len(incoming) == 1 else 'passages'} in {len(arts)} other {'article' if len(arts) == 1 else 'articles'}"})
        outgoing = [r for a in anns for r in view.site.outgoing.get((article.slug, a.id), ()) if r.kind == kind and r.target[0] != article.slug]
        if outgoing and kind != "see":
            arts = {r.target[0] for r in outgoing}
            relations.append({"kind": kind, "url": f"#{outgoing[0].source[1]}",
                              "text": f"{OUT_LABEL[kind].lower()} {len(outgoing)} {'passage' if len(outgoing) == 1 else 'passages'} in {len(arts)} other {'article' if len(arts) == 1 else 'articles'}"})
    position = view.position[article.slug]
    newer = view.order[position - 1] if position > 0 else None
    older = view.order[position + 1] if position + 1 < len(view.order) else None
    retracted = article.meta.retracted
    notice = None
    if retracted and retracted.notice:
        n = retracted.notice
        notice = n.url if n.url else view.urls.article(n.slug, n.id)
    length = max(hi - lo, 1)
    return {
        "article": {
            **view.summary_row(article), "kind": article.kind, "source_url": article.meta.url if article.meta.url and safe_url(article.meta.url) else None,
            "path": article.path, "annotation_path": article.annotation_path or f"annotations/{article.slug}.yaml",
        },
        "blocks": blocks,
        "summary": summary,
        "relations": relations,
        "article_links": view.cross_links(key),
        "retraction": {"date": retracted.date, "reason_html": render_note(retracted.reason), "notice": notice} if retracted else None,
        "minimap": [{"id": a.id, "top": round(100 * (a.start - lo) / length, 1), "flags": view.flag_defs((article.slug, a.id)),
                     "label": labels[a.id]} for a in anns],
        "newer": view.summary_row(newer) if newer else None,
        "older": view.summary_row(older) if older else None,
        "jsonld": view.urls.article(article.slug) + "annotations.jsonld",
    }


def passages_with(view: SiteView, keys) -> list[dict]:
    """The passages named by `keys` ((slug, id) pairs), quoted in context, grouped by article."""
    wanted = set(keys)
    groups = []
    for article in view.order:
        items = []
        for ann in article.annotations:
            if (article.slug, ann.id) in wanted:
                items.append(view.passage(article, ann))
        if items:
            groups.append({"article": view.summary_row(article), "passages": items})
    return groups


def jsonld(view: SiteView, article: Article) -> bytes:
    page = view.urls.absolute(f"articles/{article.slug}/")
    items = []
    for ann in article.annotations:
        key = (article.slug, ann.id)
        body = []
        if ann.note:
            body.append({"type": "TextualBody", "value": ann.note, "format": "text/markdown", "purpose": "commenting"})
        for flag in view.flags(key):
            body.append({"type": "TextualBody", "value": flag, "purpose": "classifying"})
        for tag in ann.tags:
            body.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
        for r in view.site.outgoing.get(key, ()):
            body.append({"type": "SpecificResource", "purpose": "linking", "source": view.urls.absolute(f"articles/{r.target[0]}/") + (f"#{r.target[1]}" if r.target[1] else ""), "value": r.kind})
        item = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": f"{page}#{ann.id}",
            "type": "Annotation",
            "motivation": "commenting" if ann.note else ("linking" if ann.relations else "classifying"),
            "body": body,
            "target": {
                "source": page,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": article.text[ann.start : ann.end],
                     "prefix": article.text[max(0, ann.start - 32) : ann.start], "suffix": article.text[ann.end : ann.end + 32]},
                    {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
                ],
            },
        }
        if ann.by:
            item["creator"] = {"type": "Person", "name": ann.by}
        if ann.date:
            item["created"] = ann.date.isoformat() + "T00:00:00Z"
        items.append(item)
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": view.urls.absolute(f"articles/{article.slug}/annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"Annotations of {article.title}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": view.urls.absolute(f"articles/{article.slug}/annotations.jsonld#page1"), "items": items},
    }
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _stamp(view: SiteView, articles) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = [d for a in articles for d in (a.meta.published, *(n.date for n in a.annotations)) if d]
    return (max(dates).isoformat() if dates else "1970-01-01") + "T00:00:00Z"


def atom(view: SiteView, title: str, self_path: str, articles) -> bytes:
    cfg = view.config
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"  <title>{xml_escape(title)}</title>", f"  <id>{xml_escape(view.urls.absolute(self_path))}</id>",
           f'  <link rel="self" href="{xml_escape(view.urls.absolute(self_path))}"/>',
           f'  <link href="{xml_escape(view.urls.absolute(""))}"/>', f"  <updated>{_stamp(view, articles)}</updated>",
           f"  <author><name>{xml_escape(cfg.default_annotator or cfg.title)}</name></author>",
           f'  <generator version="{__version__}">Glossator</generator>']
    if cfg.description:
        out.append(f"  <subtitle>{xml_escape(cfg.description)}</subtitle>")
    for a in articles:
        row = view.summary_row(a)
        url = view.urls.absolute(f"articles/{a.slug}/")
        out += ["  <entry>", f"    <title>{xml_escape(a.title)}</title>", f"    <id>{xml_escape(url)}</id>",
                f'    <link href="{xml_escape(url)}"/>', f"    <updated>{_stamp(view, [a])}</updated>"]
        for name in a.meta.authors:
            out.append(f"    <author><name>{xml_escape(name)}</name></author>")
        for flag in row["flags"]:
            out.append(f'    <category term="{xml_escape(flag.name)}" label="{xml_escape(flag.label)}"/>')
        counts = ", ".join(f"{n} {view.config.flags[f].label.lower()}" for f, n in row["counts"].items())
        text = f"{len(a.annotations)} annotations" + (f" ({counts})" if counts else "")
        if row["summary_html"]:
            out.append(f'    <summary type="html">{xml_escape(row["summary_html"] + "<p>" + text + "</p>")}</summary>')
        else:
            out.append(f"    <summary>{xml_escape(text)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def sitemap(view: SiteView, paths) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        lines.append(f"  <url><loc>{xml_escape(view.urls.absolute(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass(frozen=True)
class PageJob:
    """One output file: its path, the articles its content depends on ("*": all), how to make it."""

    path: str
    deps: frozenset
    make: object  # () -> bytes


EVERYTHING = frozenset({"*"})


def plan(site: Site, base_url: str | None = None, env: jinja2.Environment | None = None) -> list[PageJob]:
    """Every page of the site, not yet rendered, with what each depends on."""
    root = Path(site.root)
    view = SiteView(site, base_url or site.config.base_url)
    env = env if env is not None else environment(root)  # serve passes one it keeps, compiled once
    cfg = site.config
    common = {
        "site": {"title": cfg.title, "description": cfg.description, "language": cfg.language, "base_url": view.urls.root},
        "flags": list(cfg.flags.values()), "root": view.urls.root, "version": __version__,
        "asset": lambda p: view.urls.page(f"assets/{p}"), "url": view.urls.page,
        "flag_url": view.urls.flag, "tag_url": view.urls.tag, "article_url": view.urls.article,
    }
    jobs: list[PageJob] = []
    passage_html: dict[str, Markup] = {}

    def render_passage(p: dict) -> Markup:
        """Each passage is rendered once, however many flag and tag pages list it."""
        if p["permalink"] not in passage_html:
            passage_html[p["permalink"]] = Markup(env.get_template("_passage.html").render(**common, p=p))
        return passage_html[p["permalink"]]

    common["render_passage"] = render_passage
    by_flag: dict[str, list] = {name: [] for name in cfg.flags}
    tags: dict[str, dict] = {}
    for article in view.order:
        for ann in article.annotations:
            key = (article.slug, ann.id)
            for flag in view.flags(key):
                by_flag.setdefault(flag, []).append(key)
            for tag in ann.tags:
                entry = tags.setdefault(tag_slug(tag), {"names": set(), "slugs": set(), "keys": []})
                entry["names"].add(tag)
                entry["slugs"].add(article.slug)
                if key not in entry["keys"][-1:]:
                    entry["keys"].append(key)

    def html(path: str, deps, template: str, context) -> None:
        def make() -> bytes:
            try:
                out = env.get_template(template).render(**common, page_path=path, **context())
            except Exception as exc:  # any template error is reported as the template's, never a crash
                raise ProblemError(template_error(exc, root)) from None
            return out.encode("utf-8")

        jobs.append(PageJob(path, frozenset(deps), make))

    def index_context():
        rows = [view.summary_row(a) for a in view.order]
        totals = {f: sum(r["counts"].get(f, 0) for r in rows) for f in cfg.flags}
        return {"articles": rows, "totals": totals, "annotation_count": sum(r["annotations"] for r in rows)}

    html("index.html", EVERYTHING, "index.html", index_context)
    related_of: dict[str, set[str]] = {}  # an article and those its relations reach, either way
    for article in view.order:
        related = related_of[article.slug] = {article.slug}
        for key in [(article.slug, None)] + [(article.slug, a.id) for a in article.annotations]:
            related.update(r.source[0] for r in site.incoming.get(key, ()))
            related.update(r.target[0] for r in site.outgoing.get(key, ()))

    def reach(slugs) -> set[str]:
        """Pages listing these articles' passages or rows also show what their relations reach."""
        return set().union(*(related_of[s] for s in slugs)) if slugs else set()

    for i, article in enumerate(view.order):
        neighbours = {a.slug for a in view.order[max(i - 1, 0) : i + 2]}
        html(f"articles/{article.slug}/index.html", reach(neighbours), "article.html",
             lambda article=article: article_page(view, article))
        jobs.append(PageJob(f"articles/{article.slug}/annotations.jsonld", frozenset(related_of[article.slug]),
                            lambda article=article: jsonld(view, article)))
    for name, defn in cfg.flags.items():
        flagged = {slug for slug, _ in by_flag[name]}
        having = [a for a in view.order if a.slug in flagged or name in view.flags((a.slug, None))]
        deps = reach({a.slug for a in having})
        html(f"flags/{name}/index.html", deps, "flag.html", lambda name=name, defn=defn: {
            "flag": defn, "groups": passages_with(view, by_flag[name]),
            "articles": [view.summary_row(a) for a in view.order if name in view.flags((a.slug, None))]})
        jobs.append(PageJob(f"flags/{name}/feed.xml", frozenset(deps), lambda name=name, defn=defn, having=having: atom(
            view, f"{cfg.title}: {defn.label}", f"flags/{name}/feed.xml", having)))
    for slug, entry in sorted(tags.items()):
        names = sorted(entry["names"])
        html(f"tags/{slug}/index.html", reach(entry["slugs"]), "tag.html", lambda slug=slug, names=names, entry=entry: {
            "tag": {"slug": slug, "name": names[0], "names": names},
            "groups": passages_with(view, entry["keys"])})
    html("404.html", EVERYTHING, "404.html", dict)
    jobs.append(PageJob("feed.xml", EVERYTHING, lambda: atom(view, cfg.title, "feed.xml", view.order)))
    listed = [j.path for j in jobs if j.path.endswith(".html") and j.path != "404.html"]
    jobs.append(PageJob("sitemap.xml", EVERYTHING, lambda: sitemap(
        view, [p[: -len("index.html")] if p.endswith("index.html") else p for p in listed])))
    return jobs


def render_site(site: Site, base_url: str | None = None, wanted=None) -> dict[str, bytes]:
    """Pages as {output path: bytes}; `wanted(job)` picks a subset (for incremental rebuilds)."""
    return {job.path: job.make() for job in plan(site, base_url) if wanted is None or wanted(job)}
