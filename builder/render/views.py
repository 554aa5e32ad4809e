"""View data for templates: plain dicts built from the linked site, memoised per build."""
from __future__ import annotations

import html
import re
from functools import lru_cache

from ..markdown import rebased, render_note, safe_url
from ..model import Annotation, Article, Site
from ..read.config import BUILTIN_FLAGS, english_label
from ..excerpts import window_of
from ..linking import seen_back
from .bidi import direction, text_direction, text_language
from .fragments import fragment_link
from .weave import FLAGS_BESIDE, crowded, lead, shown_flags, verdict_lines
from .urls import Urls

OUT_LABEL = {"rebuts": "Rebuts", "retracts": "Retracts", "supports": "Supports", "see": "See also"}
IN_LABEL = {"rebuts": "Rebutted by", "retracts": "Retracted by", "supports": "Supported by", "see": "See also"}
# SPEC 6: which end of a relation a flagged passage is: (relation, word on the claim, word on its answer)
DIRECTION = {"rebuttal": ("rebuts", "Rebutted", "Rebuts"), "retraction": ("retracts", "Retracted", "Retracts")}


# languages that capitalise every noun: a flag label inside a sentence keeps its capitals there
NOUN_CAPITALS = {"de", "lb"}


def label_in_sentence(flag, language: str) -> str:
    """A flag's label inside the interface's (English) sentences, "3 passages flagged anonymous sourcing".
    A built-in label is the interface's English: lowered. A site's own label is lowered too, word by word
    (a capitalised word only: "EU" or "McKinsey" keeps its capitals), unless the site's language
    capitalises nouns (German: "flagged Anonyme Quelle"); French and Spanish lower theirs ("source anonyme")."""
    builtin = BUILTIN_FLAGS.get(flag.name)
    if language.split("-")[0].lower() in NOUN_CAPITALS and not (builtin and builtin.label == flag.label):
        return flag.label
    return " ".join(w[:1].lower() + w[1:] if w[1:] == w[1:].lower() else w for w in flag.label.split(" "))


def excerpt(text: str, limit: int = 160) -> str:
    return shortened(" ".join(text.split()), limit)


def shortened(text: str, limit: int) -> str:
    """`excerpt` of a text whose white space is single spaces already."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# tags that end a word as a block does (a paragraph, a list item, a line break): the others (emphasis,
# a link, code) sit inside a word's run, "*board minutes*." reading "board minutes."
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|hr|br|div|img)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=65536)
def plain_text(markdown: str) -> str:
    """A note's Markdown as one line of plain text (for its first words, folded, and previews)."""
    return html.unescape(" ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", render_note(markdown))).split()))


_RUN = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # a run of white space (no line break) but a lone " "
_BREAK = re.compile(r" ?\n\s*")


def _squash(text: str) -> str:
    """Runs of spaces as one space; a run of whitespace holding a line break as one line break."""
    if "  " not in text and text.isprintable():  # the common case: no white space but lone " " (the one printable)
        return text
    text = _RUN.sub(" ", text)
    return _BREAK.sub("\n", text) if "\n" in text else text


def context_around(article: Article, ann: Annotation, bounds: tuple[int, int], width: int = 90) -> tuple[str, str, str]:
    """The quote with a little of the text before and after it, inside `bounds` (the published text);
    line breaks are kept (as "\n"), so a title, a byline and the passage do not run together. An
    ellipsis where text is left out: cut for width, or outside an excerpt's window (SPEC 12)."""
    lo, hi = bounds
    text, start, end = article.text, ann.start, ann.end
    cut_before, cut_after = start - width > lo, end + width < hi
    before = text[start - width : start].partition(" ")[2] if cut_before else text[lo:start]  # from the first whole word
    after = text[end : end + width].rpartition(" ")[0] if cut_after else text[end:hi]  # to the last whole word
    left_before = cut_before or bool(text[article.body[0] : lo].strip())
    left_after = cut_after or bool(text[hi : article.body[1]].strip())
    return (("…" if left_before else "") + _squash(before).lstrip(),
            _squash(text[start:end]).strip(),
            _squash(after).rstrip() + ("…" if left_after else ""))


class SiteView:
    """Lookups shared by every page: articles by slug, annotations by key, flags, relations."""

    def __init__(self, site: Site, base_url: str):
        self.site = site
        self.config = site.config
        self.urls = Urls(base_url)
        self.by_slug = {a.slug: a for a in site.articles}
        self.annotation = {(a.slug, n.id): n for a in site.articles for n in a.annotations}
        self.number = {(a.slug, n.id): i for a in site.articles for i, n in enumerate(a.annotations, 1)}  # as on its page
        self.order = site.in_order()
        self.position = {a.slug: i for i, a in enumerate(self.order)}
        self._notes: dict = {}
        self._rows: dict = {}
        self._tag_urls: dict = {}
        self._words: dict = {}

    def tag_url(self, tag: str) -> str:
        if tag not in self._tag_urls:
            self._tag_urls[tag] = self.urls.tag(tag)
        return self._tag_urls[tag]

    def flags(self, key) -> tuple[str, ...]:
        return self.site.flags_of.get(key, ())

    def flag_defs(self, key) -> list:
        flags = self.site.flags_of.get(key)
        if not flags:  # most passages
            return []
        defs = self.config.flags
        return [defs[f] for f in flags if f in defs]

    def words(self, key) -> list[dict]:
        """The flags of a passage (or of an article, id None) with the word a page shows for each:
        the flag's label, or for rebuttal and retraction the end of the relation ("Rebutted",
        "Rebuts"; both when a passage is both). Each: {name, label, word, end, en} (end: "in", "out"; en: the word is
        the interface's English, an end's or a built-in label: config.english_label).
        Memoised: a passage's are asked for by its article's page, its note, the notes it answers
        or that answer it, and its article's search hooks (five times each at n1000)."""
        if key not in self._words:
            self._words[key] = self._words_of(key)
        return self._words[key]

    def _words_of(self, key) -> list[dict]:
        out = []
        for d in self.flag_defs(key):
            if d.name not in DIRECTION:
                out.append({"name": d.name, "label": d.label, "word": d.label, "end": None, "en": english_label(d)})
                continue
            kind, passive, active = DIRECTION[d.name]
            if key[1] is None:  # a whole article: retracted, or rebutted when something rebuts it; else
                # its own flag, said as written (a fact-check that flags itself a rebuttal is not rebutted)
                retracted = d.name == "retraction"
                rebutted = not retracted and any(r.kind == kind for r in self.site.incoming.get(key, ()))
                word = passive if retracted or rebutted else d.label
                out.append({"name": d.name, "label": d.label, "word": word, "end": "in" if word == passive else None,
                            "en": word == passive or english_label(d)})
                continue
            answers = kind in [r.kind for r in self.site.outgoing.get(key, ())]
            # a passage that answers reads as the answer, even where its own file flags it too: it is
            # the claimed end only when something answers it (or nothing it says answers anything)
            claimed = not answers or kind in [r.kind for r in self.site.incoming.get(key, ())]
            if claimed:
                out.append({"name": d.name, "label": d.label, "word": passive, "end": "in", "en": True})
            if answers:
                out.append({"name": d.name, "label": d.label, "word": active, "end": "out", "en": True})
        # which end of a relation a passage is comes first: a reference or a folded note that shows only
        # its first words and "+N" always says "Rebutted" or "Rebuts" (weave.lead); its hue tints the passage
        return sorted(out, key=lambda w: w["end"] is None) if key[1] is not None else out

    def endpoint(self, link: dict, key: tuple[str, str | None]) -> dict:
        """The other end of a relation, as a note shows it (article title, quote, link), added to `link`."""
        slug, ann_id = key
        article = self.by_slug[slug]
        ann = self.annotation[key] if ann_id else None
        link["title"] = article.title
        link["quote"] = excerpt(article.text[ann.start : ann.end], 140) if ann else None
        link["url"] = self.urls.article(slug, ann_id)
        link["same_article"] = False
        link["flags"] = self.flag_defs(key)
        link["words"] = self.words(key)
        # withdrawn: the retracted end ("Retracted"), not a passage that withdraws another ("Retracts")
        link["retracted"] = any(w["name"] == "retraction" and w["end"] == "in" for w in link["words"])
        link["whole"] = ann_id is None
        # its article was retracted as a whole (`retracted:`): the link's sentence says so, with the date
        link["retraction"] = {"date": article.meta.retracted.date} if article.meta.retracted else None
        link["gist"] = excerpt(plain_text(ann.note or ""), 200) if ann else None
        return link

    def cross_links(self, key) -> list[dict]:
        links = []
        for r in self.site.outgoing.get(key, ()):
            link = self.endpoint({"label": OUT_LABEL[r.kind], "kind": r.kind, "direction": "out"}, r.target)
            link["warning"] = r.kind in ("supports", "see") and bool(link["retracted"] or link["retraction"])
            links.append(link)
        for r in self.site.incoming.get(key, ()):
            if seen_back(self.site, r):
                continue  # `see` declared at both ends: one link, "See also" either way (its outgoing one, above)
            links.append(self.endpoint({"label": IN_LABEL[r.kind], "kind": r.kind, "direction": "in", "warning": False}, r.source))
        if key[1] is not None:
            for kind, ref in self.annotation[key].relations:
                if ref.url:
                    links.append({"label": OUT_LABEL[kind], "kind": kind, "direction": "out", "title": ref.url,
                                  "quote": None, "url": ref.url, "flags": [], "words": [], "gist": None, "retracted": False, "retraction": None, "warning": False, "whole": False,
                                  "external": True})
        here = self.urls.article(key[0]) + "#" if links else ""
        for link in links:
            link.setdefault("external", False)
            link["same_article"] = link["url"].startswith(here)
        return links

    def note_fields(self, article: Article, ann: Annotation) -> dict:
        """A note's view but its number, memoised (shared: copied, never changed, by those who add to it)."""
        key = (article.slug, ann.id)
        if key not in self._notes:
            self._notes[key] = self._note(article, ann)
        return self._notes[key]

    def forget(self, article: Article) -> None:
        """Drop the article's memoised notes (and flag words) once its page and passages are made: a worker
        that made a few thousand pages would otherwise hold every note it made (100 MB at 4,000 articles)."""
        self._words.pop((article.slug, None), None)
        for ann in article.annotations:
            self._notes.pop((article.slug, ann.id), None)
            self._words.pop((article.slug, ann.id), None)

    def markdown(self, slug: str, text: str | None) -> str:
        """Annotator Markdown of an article's layer (a note, the summary, a retraction's reason) as HTML,
        its relative links relative to the article's page wherever it is shown."""
        return rebased(render_note(text), self.urls.article(slug))

    def verdict(self, ann: Annotation) -> dict | None:
        """The passage's verdict as pages show it: name, label, rating, and the claim it rates."""
        v = self.config.verdicts.get(ann.verdict) if ann.verdict else None
        return {"name": v.name, "label": v.label, "rating": v.rating, "claim": ann.claim, "lines": verdict_lines(v.label)} if v else None

    def _note(self, article: Article, ann: Annotation) -> dict:
        key = (article.slug, ann.id)
        defs = self.flag_defs(key)
        words = self.words(key)
        return {
            "verdict": self.verdict(ann), "original": fragment_link(article, self.config, ann),
            "id": ann.id, "flags": defs, "words": words, "crowded": len(words) > 1 and crowded([w["word"] for w in words]),
            "lead": lead([w["end"] for w in words]),
            "apart": len(shown_flags([w["word"] for w in words], [w["end"] for w in words])) > FLAGS_BESIDE,  # over a table's row
            "html": self.markdown(article.slug, ann.note),
            "gist": excerpt(plain_text(ann.note or ""), 90),
            "lang": text_language(ann.note or "", self.config.language),  # a note in Hebrew on an English site: "he"
            "by": ann.by, "date": ann.date, "tags": [{"name": t, "url": self.tag_url(t)} for t in ann.tags],
            "sources": [self.source(s, article.slug) for s in ann.sources if s.ref is not None or safe_url(s.url)],
            "permalink": self.urls.article(article.slug, ann.id), "links": self.cross_links(key),
            # with repo_url, "Edit this annotation" leads to the entry's own line (#L: GitHub's, GitLab's, Gitea's)
            "edit": f"{self.config.repo_url}{ann.loc.file}#L{ann.loc.line}" if self.config.repo_url else None,
            "quote": excerpt(article.text[ann.start : ann.end], 100),
            "history": self.site.history.notes.get(key) if self.site.history else None,
        }

    def source(self, source, here: str) -> dict:
        """One of a note's sources as it shows: a URL, or a passage (“its quote”, and its article's title when
        that is another) or an article (its title) of the site; `here`: the slug of the note's article."""
        if source.ref is None:
            return {"url": source.url, "title": source.title or source.url, "internal": False}
        article = self.by_slug[source.ref.slug]
        ann = self.annotation.get((source.ref.slug, source.ref.id)) if source.ref.id else None
        title = article.title
        if ann is not None:
            quoted = f"“{excerpt(article.text[ann.start : ann.end], 80)}”"
            title = quoted if article.slug == here else f"{quoted} ({article.title})"
        return {"url": self.urls.article(source.ref.slug, ann.id if ann else None), "title": title, "internal": True}

    def passage(self, article: Article, ann: Annotation) -> dict:
        before, quote, after = context_around(article, ann, window_of(article, self.config, ann.start, ann.end))
        return {**self.note_fields(article, ann), "number": self.number[article.slug, ann.id],
                "before": before, "quote": quote, "after": after,
                "direction": self.summary_row(article)["direction"], "text_lang": self.summary_row(article)["lang"]}

    def summary_row(self, article: Article) -> dict:
        if article.slug not in self._rows:
            self._rows[article.slug] = self._summary_row(article)
        return self._rows[article.slug]

    def _summary_row(self, article: Article) -> dict:
        counts, ends, verdicts = {}, {}, {}
        for ann in article.annotations:
            key = (article.slug, ann.id)
            for flag in self.site.flags_of.get(key, ()):
                counts[flag] = counts.get(flag, 0) + 1
            for w in self.words(key):
                end = f'{w["name"]}:{w["end"] or ""}'
                ends[end] = ends.get(end, 0) + 1
            if ann.verdict in self.config.verdicts:
                verdicts[ann.verdict] = verdicts.get(ann.verdict, 0) + 1
        return {
            "verdicts": [{"name": v.name, "label": v.label, "count": verdicts[v.name]}
                         for v in self.config.verdicts.values() if v.name in verdicts],
            "slug": article.slug, "title": article.title, "url": self.urls.article(article.slug),
            "publication": article.meta.publication, "published": article.meta.published,
            "authors": list(article.meta.authors), "counts": counts, "ends": ends, "annotations": len(article.annotations),
            "flags": self.flag_defs((article.slug, None)), "retracted": "retraction" in self.flags((article.slug, None)),
            "words": self.words((article.slug, None)),  # its flags as its badges say them: "Rebutted", not "Rebuttal"
            "summary_html": self.markdown(article.slug, article.meta.summary),
            # "rtl" or "ltr", from the letters of its text (an Arabic article on an English site): its title, text and notes
            "direction": text_direction(article.text[article.body[0]:article.body[1]] or article.title, direction(self.config.language)),
            # the language tag of its text and of its title when written in another script than the site's language
            # (a Hebrew or Chinese article on an English site), else None: the page's lang stands
            "lang": text_language(article.text[article.body[0]:article.body[1]] or article.title, self.config.language),
            "title_lang": text_language(article.title, self.config.language),
        }
