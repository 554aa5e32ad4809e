#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus for benchmarking Glossator.

    generate.py N OUTDIR [--seed S]               annotated Glossator site, raw .txt articles
    generate.py N OUTDIR [--seed S] --markdown    the same site with .md articles + front matter
    generate.py N OUTDIR --markdown --markup      ... each article with a heading, a block quote and a list
    generate.py N OUTDIR [--seed S] --note-links  the same site, each note citing two links (one to
                                                  another article of the corpus)
    generate.py N OUTDIR [--seed S] --peers       the same N articles for Hugo, Eleventy,
                                                  Pelican and MkDocs (OUTDIR/hugo, ...)

Everything comes from a seeded RNG: the same N, seed and mode give byte-identical files. Article
i and its annotations do not depend on N, except where its cross-links point, so a corpus of 1000
is the first 1000 articles of a corpus of 4000.

Each sentence carries a token "<article>.<sentence:03d>" (e.g. "17.042"), and every quote contains
one token followed by a non-digit, so every quote occurs exactly once in its article. Quotes are
copied from the text a reader sees: curly quotes in the text may appear straightened in the quote
(SPEC section 4 treats them as equal), and some quotes run across a sentence or paragraph end.

Standard library only (the YAML is written by hand as JSON-style double-quoted scalars).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from dataclasses import dataclass, field

ANNOTATIONS_PER_ARTICLE = 10
TARGET_BYTES = 5700  # a paragraph is added while below this: articles average about 6 KB
BUILTIN_FLAGS = ["anonymous-source", "rebuttal", "retraction"]
SITE_FLAGS = ["sponsored"]
LAST_DAY = dt.date(2025, 12, 31)  # no date after it: a date later than the day of the build is said (a warning)

# --------------------------------------------------------------------------- vocabulary
ADJECTIVES = """
quiet sudden formal secret public local federal regional coastal rural urban northern southern
eastern western former acting interim senior junior rival armed unarmed private official
unofficial disputed alleged reported confirmed unconfirmed partial complete rapid slow costly
modest vast narrow broad bitter careful reckless loyal divided united hidden open early late
""".split()
NOUNS = """
council ministry harbor border agency committee cartel gang network tribunal court police
prosecutor governor mayor senator journalist witness informant officer commander militia union
company bank port prison village district province convoy shipment contract treaty alliance
investigation inquiry report audit budget election campaign protest strike ceasefire raid
operation program registry archive bulletin memo statement interview hearing verdict appeal
""".split()
VERBS = """
approved rejected signed denied confirmed disputed announced delayed funded blocked questioned
investigated reported leaked withdrew revised published ignored praised criticised challenged
defended expanded reduced suspended resumed ordered cancelled audited reviewed examined
""".split()
ADVERBS = """
quietly openly reluctantly abruptly cautiously repeatedly formally privately publicly briefly
eventually promptly narrowly firmly
""".split()
TOKEN_PHRASES = [
    "in docket {t}", "according to record {t}", "under item {t}", "as noted in file {t}",
    "in exhibit {t}", "per bulletin {t}", "in entry {t}", "under clause {t}",
]
TAILS = [
    "after weeks of debate", "before the end of the session", "despite objections from residents",
    "without a public vote", "amid growing pressure", "according to people familiar with the matter",
    "while the inquiry continued", "as the deadline approached", "for the second time this year",
    "with little explanation", "in a brief written statement", "after a closed meeting",
    "following the latest raid", "during a heated hearing", "as critics had predicted",
]
SPEECH_VERBS = ["said", "told reporters", "wrote", "insisted", "claimed", "added"]
SYLLABLES = """
va lo mer ka dri sen to ra vel mon ta gri os ul ben ne ci dar fa lu qui ro zel an ti mar esc
""".split()
TAG_POOL = [
    "Los Zetas", "MS-13", "border security", "corruption", "elections", "courts", "police",
    "ports", "budget", "human rights", "press freedom", "trade", "migration", "energy", "health",
]
PUBLICATIONS = ["The Harbor Ledger", "Northern Courier", "Daily Sentinel", "Examiner.com",
                "The Provincial Times", "Coastal Post"]
ANNOTATORS = ["maria", "desk", "tomas", "li", "aisha"]
NOTE_TEMPLATES = [
    "The only source named here is *{src}*, who is not identified.",
    "No public record backs this claim; see the **{org}** archive.",
    "The {org} later issued a correction: the figure was revised.",
    "This passage repeats an earlier claim without a new source.",
    "The wording suggests an official confirmation that never came.",
    "Compare with the court filing, which says the opposite.",
    "An *unnamed* official is the sole basis for this sentence.",
    "The {org} denied this in a statement the next day.",
    "Context: the {org} had announced the same plan in an earlier year.",
    "Paid placement: the {org} funded this section of the report.",
]
FURNITURE_TOP = "Subscribe to our newsletter for the morning briefing."
FURNITURE_BOTTOM = "Comments are closed. Share this story with a friend."


def slug_of(i: int) -> str:
    return f"a{i:05d}"


def an(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


# --------------------------------------------------------------------------- articles
@dataclass
class Sentence:
    text: str          # as it appears in the article (may contain curly quotes / apostrophes)
    token_at: int      # index in text where the token phrase starts
    token_end: int     # index just after the token itself


@dataclass
class Article:
    i: int
    slug: str
    title: str
    published: dt.date
    author: str
    publication: str
    paragraphs: list[list[Sentence]]
    furniture: bool
    names: list[str]
    annotations: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p]

    def body_paragraphs(self) -> list[str]:
        return [" ".join(s.text for s in p) for p in self.paragraphs]

    def txt(self) -> str:
        parts = [self.title]
        if self.furniture:
            parts.append(FURNITURE_TOP)
        parts += self.body_paragraphs()
        if self.furniture:
            parts.append(FURNITURE_BOTTOM)
        return "\n\n".join(parts) + "\n"

    def markdown_body(self, markup: bool = False) -> str:
        """The Markdown text; `markup`: a heading first, the third paragraph a block quote and the fifth a list of its
        sentences (the same words: the quotes anchor as in the plain text), as real Markdown articles have."""
        parts = []
        if self.furniture:
            parts.append(FURNITURE_TOP)
        paragraphs = self.body_paragraphs()
        if markup:
            parts.append("## What the record shows")
            if len(paragraphs) > 2:
                paragraphs[2] = "> " + paragraphs[2]
            if len(paragraphs) > 4:
                paragraphs[4] = "\n".join("- " + s.text for s in self.paragraphs[4])
        parts += paragraphs
        if self.furniture:
            parts.append(FURNITURE_BOTTOM)
        return "\n\n".join(parts) + "\n"

    def tags(self) -> list[str]:
        seen: list[str] = []
        for a in self.annotations:
            for t in a.get("tags", []):
                if t not in seen:
                    seen.append(t)
        return seen


def make_sentence(rng: random.Random, i: int, n: int, names: list[str]) -> Sentence:
    token = f"{i}.{n:03d}"
    phrase = rng.choice(TOKEN_PHRASES).format(t=token)
    kind = rng.random()
    adj, noun, verb = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(VERBS)
    obj = f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    tail = rng.choice(TAILS)
    if kind < 0.15:
        # reported speech with curly quotes
        who = rng.choice(names)
        head = (f"{who} {rng.choice(SPEECH_VERBS)} that the {noun} had {verb} {obj} "
                f"{phrase}, calling it \u201c{rng.choice(ADJECTIVES)} and "
                f"{rng.choice(ADJECTIVES)}\u201d")
        text = head + f" {tail}."
    elif kind < 0.30:
        # possessive with a curly apostrophe
        who = rng.choice(names)
        head = (f"The {noun}\u2019s {adj} {rng.choice(NOUNS)} {rng.choice(ADVERBS)} {verb} "
                f"{obj} {phrase}")
        text = head + f", {who} noted, {tail}."
    else:
        subj = rng.choice([f"The {adj} {noun}", f"{rng.choice(names)} of the {noun}",
                           f"Officials at the {noun}", f"{an(adj).capitalize()} {adj} {noun}"])
        head = f"{subj} {rng.choice(ADVERBS)} {verb} {obj} {phrase}"
        text = head + f" {tail}."
    token_at = text.index(phrase)
    token_end = token_at + len(phrase)
    return Sentence(text, token_at, token_end)


def make_article(seed: int, i: int) -> Article:
    rng = random.Random(f"glossator-bench:{seed}:{i}")
    names = [name(rng) for _ in range(4)]
    title = (f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} "
             f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {names[0]}")
    published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 10))
    paragraphs: list[list[Sentence]] = []
    n = 0
    size = len(title) + 2
    while size < TARGET_BYTES:
        para = []
        for _ in range(rng.randint(2, 6)):
            s = make_sentence(rng, i, n, names)
            n += 1
            para.append(s)
            size += len(s.text.encode()) + 1
        paragraphs.append(para)
        size += 1
    return Article(
        i=i, slug=slug_of(i), title=title, published=published,
        author=f"{names[1]} {names[2]}", publication=rng.choice(PUBLICATIONS),
        paragraphs=paragraphs, furniture=rng.random() < 0.10, names=names,
    )


def straighten(s: str) -> str:
    return (s.replace("\u2018", "'").replace("\u2019", "'")
            .replace("\u201c", '"').replace("\u201d", '"'))


def make_quote(rng: random.Random, sents: list[Sentence], k: int) -> str:
    s = sents[k]
    r = rng.random()
    if r < 0.35:
        q = s.text                                    # whole sentence
    elif r < 0.60:
        q = s.text[s.token_at:]                       # token phrase to the end
    elif r < 0.85:
        q = s.text[:s.token_end]                      # start of sentence through the token
    else:
        nxt = sents[k + 1].text.split()               # across the sentence (maybe paragraph) end
        q = s.text[s.token_at:] + " " + " ".join(nxt[:4])
    if rng.random() < 0.5:
        q = straighten(q)
    return q


def annotate(art: Article, n_articles: int, seed: int, tags_every: int = 0) -> None:
    rng = random.Random(f"glossator-bench-annotations:{seed}:{art.i}")
    # targets of cross-links come from their own RNG, so that only they depend on N
    trng = random.Random(f"glossator-bench-targets:{seed}:{art.i}")
    sents = art.sentences
    # distinct even sentence indices: sentence k+1 is never annotated itself, so a quote that runs
    # into the next sentence never overlaps another annotation
    candidates = list(range(0, len(sents) - 1, 2))
    chosen = sorted(rng.sample(candidates, ANNOTATIONS_PER_ARTICLE))

    def other_article() -> int | None:
        if n_articles < 2:
            return None
        j = trng.randrange(1, n_articles)
        return j + 1 if j >= art.i else j

    def ref(whole_ok: bool, own: int) -> str:
        j = other_article()
        if j is None:
            k = trng.choice([x for x in range(1, ANNOTATIONS_PER_ARTICLE + 1) if x != own])
            return f"#x{k}"
        if whole_ok and trng.random() < 0.25:
            return slug_of(j)
        return f"{slug_of(j)}#x{trng.randint(1, ANNOTATIONS_PER_ARTICLE)}"

    out = []
    for n, k in enumerate(chosen, start=1):
        a: dict = {"id": f"x{n}", "quote": make_quote(rng, sents, k)}
        flags = []
        if rng.random() < 0.35:
            flags.append("anonymous-source")
        if rng.random() < 0.10:
            flags.append("rebuttal")
        if rng.random() < 0.06:
            flags.append("retraction")
        if rng.random() < 0.05:
            flags.append("sponsored")
        # the first article uses every flag, so any corpus does
        if art.i == 1 and n <= 4:
            forced = (BUILTIN_FLAGS[0], BUILTIN_FLAGS[1], BUILTIN_FLAGS[2], SITE_FLAGS[0])[n - 1]
            if forced not in flags:
                flags.append(forced)
        if flags:
            a["flags"] = flags
        a["note"] = rng.choice(NOTE_TEMPLATES).format(
            src=" ".join([an(adj := rng.choice(ADJECTIVES)), adj, rng.choice(NOUNS), "source"]),
            org=rng.choice(NOUNS))
        if rng.random() < 0.4:
            a["by"] = rng.choice(ANNOTATORS)
            a["date"] = min(art.published + dt.timedelta(days=rng.randint(30, 3000)), LAST_DAY)
        if rng.random() < 0.6:
            if tags_every:  # article i draws from the pool plus "topic 1" .. "topic i // tags_every"
                pool = range(len(TAG_POOL) + art.i // tags_every)
                a["tags"] = [TAG_POOL[t] if t < len(TAG_POOL) else f"topic {t - len(TAG_POOL) + 1}"
                             for t in rng.sample(pool, rng.randint(1, 3))]
            else:
                a["tags"] = rng.sample(TAG_POOL, rng.randint(1, 3))
        r = rng.random()
        if r < 0.12:
            a["rebuts"] = ref(False, n)
        elif r < 0.22:
            a["supports"] = ref(False, n)
        elif r < 0.34:
            a["see"] = ref(True, n) if rng.random() < 0.8 else \
                f"https://example.com/background/{art.slug}-{n}"
        elif r < 0.37:
            a["retracts"] = ref(False, n)
        if rng.random() < 0.15:
            a["sources"] = [f"https://example.com/docs/{art.i}/{n}"]
        out.append(a)
    art.annotations = out

    meta: dict = {"author": art.author, "publication": art.publication,
                  "published": art.published,
                  "url": f"https://example.com/news/{art.published.year}/{art.slug}"}
    if rng.random() < 0.3:
        meta["summary"] = (f"A report on the {rng.choice(NOUNS)} in {art.names[0]}, "
                           f"with *{len(out)}* annotated passages.")
    if rng.random() < 0.05:
        meta["flags"] = ["sponsored"]
    if art.furniture:
        first, last = sents[0], sents[-1]
        meta["body"] = {"start": first.text[:first.token_end],
                        "end": last.text[last.token_at:]}
    if rng.random() < 0.02:
        meta["retracted"] = {
            "date": min(art.published + dt.timedelta(days=rng.randint(5, 200)), LAST_DAY),
            "reason": f"The {rng.choice(NOUNS)} named in the article *denied* the account.",
            "notice": f"https://example.com/notices/{art.slug}",
        }
    art.meta = meta


def build_corpus(n: int, seed: int, tags_every: int = 0) -> list[Article]:
    arts = [make_article(seed, i) for i in range(1, n + 1)]
    for a in arts:
        annotate(a, n, seed, tags_every)
    return arts


# --------------------------------------------------------------------------- YAML writer
def yscalar(v) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool) or v is None or isinstance(v, (int, float)):
        raise TypeError(v)
    return json.dumps(str(v), ensure_ascii=False)


def ydump(obj, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict):
                lines.append(f"{pad}{k}:")
                lines += ydump(v, indent + 2)
            elif isinstance(v, list):
                if all(not isinstance(x, (dict, list)) for x in v):
                    lines.append(f"{pad}{k}: [{', '.join(yscalar(x) for x in v)}]")
                else:
                    lines.append(f"{pad}{k}:")
                    lines += ydump(v, indent + 2)
            else:
                lines.append(f"{pad}{k}: {yscalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            sub = ydump(item, indent + 2)
            sub[0] = pad + "- " + sub[0][indent + 2:]
            lines += sub
    else:
        raise TypeError(obj)
    return lines


def annotation_yaml(art: Article) -> str:
    head = f"# annotations/{art.slug}.yaml: generated by bench/generate.py\n"
    return head + "\n".join(ydump({"article": art.meta, "annotations": art.annotations})) + "\n"


# --------------------------------------------------------------------------- writers
def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


SITE_TOML = '''title = "Glossator benchmark: {n} synthetic articles"
description = "A deterministic synthetic corpus (seed {seed}) for timing builds."
base_url = "https://example.org/"
language = "en"
default_annotator = "desk"
output = "_site"

[flags.sponsored]
label = "Sponsored"
description = "Paid for by an organisation that did not review it."
'''


def front_matter(fields: dict) -> str:
    return "---\n" + "\n".join(ydump(fields)) + "\n---\n\n"


def write_site(arts: list[Article], out: str, seed: int, markdown: bool, markup: bool = False) -> None:
    write(os.path.join(out, "site.toml"), SITE_TOML.format(n=len(arts), seed=seed))
    for a in arts:
        if markdown:
            text = front_matter({"title": a.title, "published": a.published}) + a.markdown_body(markup)
            write(os.path.join(out, "content", a.slug + ".md"), text)
        else:
            write(os.path.join(out, "content", a.slug + ".txt"), a.txt())
        write(os.path.join(out, "annotations", a.slug + ".yaml"), annotation_yaml(a))


HUGO_TOML = '''baseURL = "https://example.org/"
title = "Glossator benchmark (Hugo)"
languageCode = "en"
# Hugo defaults are kept: taxonomies (tags, categories), RSS and sitemap are generated, which is
# comparable to Glossator's tag pages, feed.xml and sitemap.xml.
'''
HUGO_BASEOF = '''<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
'''
HUGO_SINGLE = '''{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
{{ with .Params.tags }}<ul>{{ range . }}<li><a href="{{ (printf "/tags/%s/" (. | urlize)) | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
</article>
{{ end }}
'''
HUGO_LIST = '''{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
'''
HUGO_INDEX = '''{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ end }}
'''

ELEVENTY_LAYOUT = '''<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }} | Glossator benchmark (Eleventy)</title></head>
<body>
<header><a href="/">Glossator benchmark (Eleventy)</a></header>
<main>
{{ content | safe }}
</main>
</body>
</html>
'''
ELEVENTY_POST = '''---
layout: layout.njk
---
<article>
<h1>{{ title }}</h1>
<p><time datetime="{{ page.date.toISOString().slice(0, 10) }}">{{ page.date.toISOString().slice(0, 10) }}</time></p>
{{ content | safe }}
</article>
'''
ELEVENTY_INDEX = '''---
layout: layout.njk
title: Glossator benchmark (Eleventy)
---
<h1>{{ title }}</h1>
<ul>
{%- for post in collections.posts %}
<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>
{%- endfor %}
</ul>
'''

PELICAN_CONF = '''# pelicanconf.py: generated by bench/generate.py. Default theme (notmyidea, bundled).
AUTHOR = "Glossator bench"
SITENAME = "Glossator benchmark (Pelican)"
SITEURL = "https://example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
# Pelican defaults are otherwise kept: feeds (all + per category), tag, category, author and
# archive pages are generated.
'''

MKDOCS_YML = '''site_name: Glossator benchmark (MkDocs)
site_url: https://example.org/
# default theme ("mkdocs") and default plugins (search); navigation is built from the files.
'''


def write_peers(arts: list[Article], out: str, markup: bool = False) -> None:
    # Hugo
    h = os.path.join(out, "hugo")
    write(os.path.join(h, "hugo.toml"), HUGO_TOML)
    write(os.path.join(h, "layouts", "_default", "baseof.html"), HUGO_BASEOF)
    write(os.path.join(h, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(h, "layouts", "_default", "list.html"), HUGO_LIST)
    write(os.path.join(h, "layouts", "_default", "index.html"), HUGO_INDEX)
    # Eleventy
    e = os.path.join(out, "eleventy")
    write(os.path.join(e, "_includes", "layout.njk"), ELEVENTY_LAYOUT)
    write(os.path.join(e, "_includes", "post.njk"), ELEVENTY_POST)
    write(os.path.join(e, "index.njk"), ELEVENTY_INDEX)
    write(os.path.join(e, "posts", "posts.json"),
          json.dumps({"layout": "post.njk", "tags": "posts"}, indent=2) + "\n")
    # Pelican
    p = os.path.join(out, "pelican")
    write(os.path.join(p, "pelicanconf.py"), PELICAN_CONF)
    # MkDocs
    m = os.path.join(out, "mkdocs")
    write(os.path.join(m, "mkdocs.yml"), MKDOCS_YML)
    write(os.path.join(m, "docs", "index.md"),
          "# Glossator benchmark (MkDocs)\n\n" + f"{len(arts)} synthetic articles.\n")

    for a in arts:
        body = a.markdown_body(markup)
        tags = a.tags()
        write(os.path.join(h, "content", "posts", a.slug + ".md"),
              front_matter({"title": a.title, "date": a.published, **({"tags": tags} if tags else {})})
              + body)
        write(os.path.join(e, "posts", a.slug + ".md"),
              front_matter({"title": a.title, "date": a.published}) + body)
        pel_meta = [f"Title: {a.title}", f"Date: {a.published.isoformat()}", f"Slug: {a.slug}",
                    f"Author: {a.author}"]
        if tags:
            pel_meta.append("Tags: " + ", ".join(tags))
        write(os.path.join(p, "content", a.slug + ".md"), "\n".join(pel_meta) + "\n\n" + body)
        write(os.path.join(m, "docs", a.slug + ".md"),
              front_matter({"title": a.title}) + f"# {a.title}\n\n" + body)


def cite_sources(arts: list[Article], seed: int) -> None:
    """Two Markdown links at the end of every note, from an RNG of their own (the corpus is otherwise unchanged)."""
    rng = random.Random(f"links-{seed}")
    for art in arts:
        for a in art.annotations:
            k, other = rng.randint(1, 99999), rng.choice(arts).slug
            a["note"] += (f" See [the record](https://example.org/records/{k}?id={k}&v=2) and "
                          f"[the earlier report](../{other}/).")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, metavar="N", help="number of articles")
    ap.add_argument("outdir", metavar="OUTDIR")
    ap.add_argument("--seed", type=int, default=1)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--markdown", action="store_true",
                      help="write content/*.md with YAML front matter instead of content/*.txt")
    mode.add_argument("--peers", action="store_true",
                      help="write the articles for Hugo, Eleventy, Pelican and MkDocs instead")
    ap.add_argument("--growing-tags", type=int, default=0, metavar="K",
                    help="tags that grow with the corpus: article i also draws from i // K "
                         "\"topic N\" tags, about N/K tags in all (default 0: the 15 fixed tags)")
    ap.add_argument("--markup", action="store_true",
                    help="with --markdown or --peers: each article given a heading, a block quote and a list, the same "
                         "words (the bench's Markdown holds none, and takes the builder's fast path)")
    ap.add_argument("--note-links", action="store_true",
                    help="each note cites two sources as Markdown links, one to another article of the corpus "
                         "(as notes citing sources do: the benchmark's notes hold none)")
    args = ap.parse_args(argv)
    if args.n < 1 or args.n > 99999:
        ap.error("N must be between 1 and 99999")
    if os.path.exists(args.outdir) and os.listdir(args.outdir):
        ap.error(f"{args.outdir} exists and is not empty")
    arts = build_corpus(args.n, args.seed, args.growing_tags)
    if args.note_links:
        cite_sources(arts, args.seed)
    if args.markup and not (args.markdown or args.peers):
        ap.error("--markup goes with --markdown or --peers")
    if args.peers:
        write_peers(arts, args.outdir, args.markup)
    else:
        write_site(arts, args.outdir, args.seed, args.markdown, args.markup)
    what = "peer corpora" if args.peers else ("Markdown site" if args.markdown else "site")
    print(f"generate: {args.n} articles, {args.n * ANNOTATIONS_PER_ARTICLE} annotations "
          f"-> {what} in {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
