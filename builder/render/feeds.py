"""Atom feeds and the sitemap."""
from __future__ import annotations

import datetime as dt
import html
import os
import re

# Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE and U+FFFF): a TOML or
# YAML escape or a raw file can hold them, and one makes a whole feed unreadable. (Named as they
# are, not as what XML allows: that class took 6 ms to compile, at every start.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile("[\x0b\x0c]")


def xml_text(text: str) -> str:
    """Any text as XML character data or an attribute value: the one way text enters feeds and the
    sitemap. Vertical tab and form feed read as spaces; other characters XML forbids are dropped."""
    text = _NOT_XML.sub("", _SPACES.sub(" ", text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

from .. import __version__
from ..markdown import rebased
from .views import DIRECTION, SiteView


def _stamp(view: SiteView, articles) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = [d for a in articles for d in (a.meta.published, a.meta.retracted and a.meta.retracted.date,
                                           *(n.date for n in a.annotations)) if d]  # a retraction is news
    history = view.site.history
    if not dates and history is not None:  # undated: when git last saw its text or annotations change
        dates = [c.stamp.date for a in articles for c in history.changes.get(a.slug, ())[:1]]
    if not dates and len(articles) == 1 < len(view.order):  # undated and not in git: when the site was last dated
        return _stamp(view, view.order)
    if not articles and view.order:  # a flag's feed with no entry yet: as new as the site, not 1970
        return _stamp(view, view.order)
    return (max(dates).isoformat() if dates else "1970-01-01") + "T00:00:00Z"


def end_word(view, key: str) -> str:
    """"rebuttal:in" -> "Rebutted", "rebuttal:out" -> "Rebuts", "anonymous-source:" -> its label (SPEC 6)."""
    name, end = key.split(":")
    return DIRECTION[name][1 if end == "in" else 2] if end else view.config.flags[name].label


def atom(view: SiteView, title: str, self_path: str, articles) -> bytes:
    """An Atom feed of these articles. Ids are IRIs, as Atom requires: without a host in base_url, tag: URIs
    (Urls.iri), while links stay path-absolute."""
    cfg = view.config
    stamps = [_stamp(view, [a]) for a in articles]  # (the feed's own: never before its newest entry's)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{cfg.language}">',  # (the language: a checked tag)
           f"  <title>{xml_text(title)}</title>", f"  <id>{xml_text(view.urls.iri(self_path))}</id>",
           f'  <link rel="self" href="{xml_text(view.urls.absolute(self_path))}"/>',
           f'  <link href="{xml_text(view.urls.absolute(""))}"/>', f"  <updated>{max([_stamp(view, articles), *stamps])}</updated>",
           f"  <author><name>{xml_text(cfg.default_annotator or cfg.title)}</name></author>",
           f'  <generator version="{__version__}">Glossator</generator>']
    if cfg.description:
        out.append(f"  <subtitle>{xml_text(cfg.description)}</subtitle>")
    for a, stamp in zip(articles, stamps, strict=True):
        row = view.summary_row(a)
        url = view.urls.absolute(f"articles/{a.slug}/")
        out += ["  <entry>", f"    <title>{xml_text(a.title)}</title>", f"    <id>{xml_text(view.urls.iri(f'articles/{a.slug}/'))}</id>",
                f'    <link href="{xml_text(url)}"/>', f"    <updated>{stamp}</updated>"]
        if a.meta.published:  # when the article appeared; an undated article says nothing rather than guess
            out.append(f"    <published>{a.meta.published.isoformat()}T00:00:00Z</published>")
        for name in a.meta.authors:
            out.append(f"    <author><name>{xml_text(name)}</name></author>")
        for flag in row["words"]:  # which end a whole article is: "Rebutted", "Retracted" (SPEC 6)
            out.append(f'    <category term="{xml_text(flag["name"])}" label="{xml_text(flag["word"])}"/>')
        counts = ", ".join(f"{n} {end_word(view, k).lower()}" for k, n in row["ends"].items())
        n = len(a.annotations)
        text = f"{n} annotation{'' if n == 1 else 's'}" + (f" ({counts})" if counts else "")
        if row["summary_html"]:  # HTML: the counts (a site's flag labels) escaped as text in it
            summary = rebased(row["summary_html"], url) if view.urls.origin else row["summary_html"]
            out.append(f'    <summary type="html">{xml_text(summary + "<p>" + html.escape(text) + "</p>")}</summary>')
        else:
            out.append(f"    <summary>{xml_text(text)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def sitemap(view: SiteView, paths) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        lines.append(f"  <url><loc>{xml_text(view.urls.absolute(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
