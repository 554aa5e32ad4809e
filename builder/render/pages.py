"""The article page and the passage lists of flag and tag pages, as view dicts."""
from __future__ import annotations

import re
from collections.abc import Mapping

from ..markdown import safe_url
from ..model import Article, fast_made
from ..read.text import BR, SEP, clip
from ..excerpts import excerpt_blocks, excerpts_only, windows
from .claimreview import claim_reviews, script_json
from .views import DIRECTION, IN_LABEL, OUT_LABEL, SiteView, label_in_sentence
from .bidi import english
from .weave import VERDICT_LINE_WIDE, Span, row_lines, shown_flags, verdict_lines, weave


ANSWERS = {"rebuttal": ("rebuts another", "rebut others"), "retraction": ("retracts another", "retract others")}


def changes_view(view: SiteView, article: Article, numbers: dict) -> list[dict]:
    """The changes to an article's annotations and text, newest first (empty without git)."""
    history = view.site.history
    out = []
    for c in history.changes.get(article.slug, ()) if history else ():
        what = " and ".join(w for w, on in (("annotations", c.annotations), ("text", c.text)) if on)
        out.append({"date": c.stamp.date, "author": c.stamp.author, "message": c.stamp.message, "commit": c.stamp.short,
                    "what": what, "passages": [{"id": i, "number": numbers[i]} for i in c.passages if i in numbers]})
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _targets(relations) -> str:
    """What relations out of an article reach, in words: passages (in how many articles) and whole articles
    apart ("2 passages in 1 other article, and 1 whole article"), never a whole article counted as a passage."""
    passages = [r for r in relations if r.target[1] is not None]
    wholes = {r.target[0] for r in relations if r.target[1] is None}
    parts = []
    if passages:
        parts.append(f"{_plural(len({r.target for r in passages}), 'passage')} in {_plural(len({r.target[0] for r in passages}), 'other article')}")
    if wholes:
        parts.append(f"{len(wholes)} whole {'article' if len(wholes) == 1 else 'articles'}" if passages
                     else _plural(len(wholes), "other article"))
    return ", and ".join(parts)


def _merge_relations(summary: list[dict], relations: list[dict]) -> None:
    """A rebuttal (or retraction) said once: where the passages flagged "rebutted" are those another
    article's passages rebut, the flag's line says by whom ("2 passages rebutted" and "Rebutted by 2
    passages in 1 other article" said it twice), in the flag's colour."""
    for item in summary:
        kind = DIRECTION.get(item["flag"].name, (None,))[0]
        same = next((r for r in relations if (r["kind"], r["end"]) == (kind, item["end"]) and r["passages"] == item["passages"]), None)
        if same is not None:  # (a flag's own line, end None, is never a relation's)
            item["text"], item["short"] = same["text"][:1].upper() + same["text"][1:], same["short"]
            relations.remove(same)


def link_groups(links: list[dict]) -> list[dict]:
    """What answers a whole article, one line per relation and article ("Rebutted by <title>, 2 passages"),
    in reading order: eleven passages of six articles were eleven lines, alike on a phone (audit read18)."""
    groups: dict[tuple, dict] = {}
    for link in links:
        key = (link["label"], link["kind"], link["title"], link["url"].split("#")[0])
        groups.setdefault(key, {"label": link["label"], "kind": link["kind"], "title": link["title"], "links": []})["links"].append(link)
    return list(groups.values())


def links_digest(groups: list[dict]) -> str:
    """The folded list of groups in one line: "Whole article: rebutted by 11 passages in 6 articles"."""
    parts: dict[str, list[dict]] = {}
    for g in groups:
        parts.setdefault(g["label"], []).append(g)
    return "Whole article: " + " · ".join(f"{label.lower()} {_plural(sum(len(g['links']) for g in gs), 'passage')} in {_plural(len(gs), 'article')}"
                      for label, gs in parts.items())


def _repeats_title(article: Article, block: tuple) -> str | None:
    """Whether the text's first block is its title line again (the page's heading already shows it):
    "plain" with no passage in it (then it is not shown twice), "annotated" when it carries passages (it
    stays, to carry its notes, labelled as the headline so that it does not read as a repeat), else None."""
    pieces = [p for p in block if p[0] == "text" and p[3] != SEP]
    if not pieces:
        return None
    start, end = pieces[0][1], pieces[-1][2]
    if " ".join(article.text[start:end].split()) != " ".join(article.title.split()):
        return None
    return "annotated" if any(a.start < end and a.end > start for a in article.annotations) else "plain"


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"br", "img", "hr", "wbr"}


def _balanced(pieces: list) -> bool:
    """Whether the tags among `pieces` close what they open (a line cut out whole leaves no half of an element)."""
    depth: list[str] = []
    for piece in pieces:
        for closing, name in _TAG.findall(piece[1]) if piece[0] == "tag" else ():
            if name.lower() in _VOID:
                continue
            if not closing:
                depth.append(name.lower())
            elif not depth or depth.pop() != name.lower():
                return False
    return not depth


def _title_line_apart(article: Article, blocks: tuple) -> tuple:
    """The text's blocks with the first paragraph's first line made a paragraph of its own when it is the title
    line again, on a line of its own as published ("Tide Table, Estuary Ward" then a line break and "a poem read
    at…"): then _repeats_title leaves out that line alone, or labels it the headline, never the lines under it.
    Any other first block is as it was."""
    if not blocks:
        return blocks
    block = blocks[0]
    if not (block[0][0] == "tag" and re.match(r"<p[ >]", block[0][1]) and block[-1] == ("tag", "</p>\n")):
        return blocks
    text, start = article.text, None
    for k, piece in enumerate(block):
        if piece[0] != "text" or piece[3] == SEP:
            continue
        start = piece[1] if start is None else start
        nl = text.find("\n", piece[1], piece[2])
        if nl < 0:
            continue
        if piece[3] != BR or " ".join(text[start:nl].split()) != " ".join(article.title.split()):
            return blocks  # (a soft break in Markdown is no line of its own: it shows as a space)
        head = [*block[1:k], ("text", piece[1], nl, BR)]
        if not _balanced(head):
            return blocks
        tail = [("text", nl + 1, piece[2], BR)] if nl + 1 < piece[2] else []
        return ((block[0], *head, block[-1]), (block[0], *tail, *block[k + 1:]), *blocks[1:])
    return blocks


_HEADING = re.compile(r"(</?h)([2-6])>")


def _raised(blocks: list) -> list:
    """The text's blocks after its title line, left out: their headings one level up when the title line held the
    only h2 ("# Title" then "## Part one"), so that the sections start at h2 under the page's h1, not at h3."""
    tags = [p[1] for block in blocks for p in block if p[0] == "tag"]
    levels = [int(m.group(2)) for tag in tags for m in _HEADING.finditer(tag) if m.group(1) == "<h"]
    if not levels or min(levels) <= 2:
        return blocks
    up = min(levels) - 2
    fix = lambda tag: _HEADING.sub(lambda m: f"{m.group(1)}{int(m.group(2)) - up}>", tag)
    return [tuple(("tag", fix(p[1])) if p[0] == "tag" else p for p in block) for block in blocks]


def _slot_lines(verdict: dict | None, note: str | None, words: list[dict]) -> tuple[int, int, int, int]:
    """How many lines a note folded in its slot on a phone takes (weave.verdict_lines), at 320 px and at 375 px: one
    but beside a long verdict. Without words of its own, the note shows its flag words there, crowded ones as the
    first and "+N" (_note.html). Then the same over a table's row (weave.row_lines)."""
    flags = shown_flags([w["word"] for w in words], [w["end"] for w in words])
    label = verdict["label"] if verdict else None
    if not verdict:
        lines = wide = 1
    elif note:
        lines, wide = verdict["lines"], verdict_lines(label, line=VERDICT_LINE_WIDE)
    else:
        lines, wide = verdict_lines(label, flags), verdict_lines(label, flags, VERDICT_LINE_WIDE)
    row, row_wide = row_lines(flags, verdict=label), row_lines(flags, VERDICT_LINE_WIDE, label)
    return lines, wide, lines if row is None else row, wide if row_wide is None else row_wide


MINIMAP_STEP = 4  # percent of the strip: marks nearer than this to the first of a run are drawn as one, with a count


def minimap_drawn(marks: list[dict], names: Mapping[str, list[str]]) -> list[dict]:
    """The minimap's marks as drawn: a run of marks each nearer than MINIMAP_STEP to the run's first is one mark,
    linking to the run's first passage, with how many it stands for, the flags of all and a label naming the notes
    ("Notes 5 to 8: Unsourced, Disputed"). 160 marks of 10 px on a strip of 760 px read as one solid bar (heldout54)."""
    runs: list[list[dict]] = []
    for mark in marks:
        if runs and mark["top"] - runs[-1][0]["top"] < MINIMAP_STEP:
            runs[-1].append(mark)
        else:
            runs.append([mark])
    drawn = []
    for run in runs:
        if len(run) == 1:
            drawn.append({**run[0], "count": 1})
            continue
        flags = list({f.name: f for m in run for f in m["flags"]}.values())
        words = list(dict.fromkeys(w for m in run for w in names[m["id"]]))
        joint = "and" if len(run) == 2 else "to"
        label = f"Notes {run[0]['number']} {joint} {run[-1]['number']}" + (f": {', '.join(words)}" if words else "")
        drawn.append({"id": run[0]["id"], "top": run[0]["top"], "number": run[0]["number"], "flags": flags, "label": label,
                      "count": len(run)})
    return drawn


def article_page(view: SiteView, article: Article) -> dict:
    anns = article.annotations
    numbers = {a.id: i + 1 for i, a in enumerate(anns)}
    labels, words, defs = {}, {}, {}
    for a in anns:
        defs[a.id] = view.flag_defs((article.slug, a.id))
        words[a.id] = view.words((article.slug, a.id))
        names = [w["word"] for w in words[a.id]]
        labels[a.id] = f"Note {numbers[a.id]}" + (f": {', '.join(names)}" if names else "")
    en = not english(view.config.language)
    spans = [fast_made(Span, (a.id, a.start, a.end, numbers[a.id], view.flags((article.slug, a.id)),
                              tuple((w["name"], w["word"], w["end"], w["en"]) for w in words[a.id]),
                              *_slot_lines(view.verdict(a), a.note, words[a.id]), en)) for a in anns]
    lo, hi = article.body
    blocks = []
    flagged = [a.id for a in sorted(anns, key=lambda a: (a.start, -a.end)) if words[a.id]]
    place = {ann_id: k for k, ann_id in enumerate(flagged)}
    previous = None
    excerpts = excerpts_only(article, view.config)
    shown = (excerpt_blocks(article.flow, windows(article, view.config), article.body) if excerpts
             else _title_line_apart(article, clip(article.flow, lo, hi)))
    echo = _repeats_title(article, shown[0]) if shown else None
    headline = echo if len(shown) > 1 else None  # (a text of one line stays whole; an excerpt too, audit read9)
    if headline == "plain":
        shown = _raised(shown[1:])
    for woven in weave(article.text, shown, spans):
        notes = []
        for i in woven.notes:
            k = place.get(i)
            notes.append({**view.note_fields(article, view.annotation[(article.slug, i)]), "number": numbers[i], "prev": previous, "next": None, "after_next": None,
                          "prev_flagged": flagged[k - 1] if k else None,
                          "next_flagged": flagged[k + 1] if k is not None and k + 1 < len(flagged) else None})
            previous = numbers[i]
        blocks.append({"html": woven.html, "notes": notes, "headline": headline == "annotated" and not blocks})
    chain = [note for block in blocks for note in block["notes"]]
    for note, following in zip(chain, chain[1:]):
        note["next"] = following["number"]
    for note, later in zip(chain, chain[2:]):
        note["after_next"] = later["number"]  # (without script, a half of the margin's frame may reach its passage)
    key = (article.slug, None)
    summary = []
    def passage_links(hits) -> list[dict]:
        return [{"url": f"#{a.id}", "number": numbers[a.id]} for a in sorted(hits, key=lambda a: numbers[a.id])]

    hits_of: dict[tuple, list] = {}  # (flag, end) -> the passages whose words say it, in order
    for a in anns:
        for w in words[a.id]:
            hits_of.setdefault((w["name"], w["end"]), []).append(a)
    for flag, defn in view.config.flags.items():
        for end in (None, "in", "out"):
            hits = hits_of.get((flag, end))
            if not hits:
                continue
            one = len(hits) == 1
            if end is None:
                short = label_in_sentence(defn, view.config.language)
                phrase = f"flagged {short}"
            elif end == "in":
                phrase = short = next(w["word"] for w in words[hits[0].id] if w["name"] == flag and w["end"] == end).lower()
            else:
                phrase = short = ANSWERS.get(flag, ("answers another", "answer others"))[0 if one else 1]
            summary.append({"flag": defn, "end": end, "count": len(hits), "url": f"#{hits[0].id}", "passages": passage_links(hits),
                            "text": f"{len(hits)} {'passage' if one else 'passages'} {phrase}",
                            "short": f"{len(hits)} {short}"})
    relations = []
    into = [r for a in anns for r in view.site.incoming.get((article.slug, a.id), ()) if r.source[0] != article.slug]
    out_of = [r for a in anns for r in view.site.outgoing.get((article.slug, a.id), ()) if r.target[0] != article.slug]
    for kind in ("rebuts", "retracts", "supports", "see"):
        incoming = [r for r in into if r.kind == kind]
        if incoming:
            arts, answers = {r.source[0] for r in incoming}, len({r.source for r in incoming})  # passages, not relations
            answered = {r.target[1] for r in incoming}
            targets = [a for a in anns if a.id in answered]
            relations.append({"kind": kind, "end": "in", "url": f"#{targets[0].id}", "passages": passage_links(targets),
                              "text": f"{IN_LABEL[kind].lower()} {_plural(answers, 'passage')} in {len(arts)} other {'article' if len(arts) == 1 else 'articles'}",
                              "short": f"{IN_LABEL[kind].lower()} {_plural(len(arts), 'article')}"})
        outgoing = [r for r in out_of if r.kind == kind]
        if outgoing and kind != "see":
            answering = {r.source[1] for r in outgoing}
            sources = [a for a in anns if a.id in answering]
            relations.append({"kind": kind, "end": "out", "url": f"#{outgoing[0].source[1]}", "passages": passage_links(sources),
                              "text": f"{OUT_LABEL[kind].lower()} {_targets(outgoing)}",
                              "short": f"{OUT_LABEL[kind].lower()} {_plural(len({r.target[0] for r in outgoing}), 'article')}"})
    _merge_relations(summary, relations)
    position = view.position[article.slug]
    newer = view.order[position - 1] if position > 0 else None
    older = view.order[position + 1] if position + 1 < len(view.order) else None
    retracted = article.meta.retracted
    notice = None
    if retracted and retracted.notice:
        n = retracted.notice
        notice = n.url if n.url else view.urls.article(n.slug, n.id)
    length = max(hi - lo, 1)
    minimap = [{"id": a.id, "top": round(100 * (a.start - lo) / length, 1), "flags": defs[a.id], "number": numbers[a.id],
                "label": labels[a.id]} for a in anns]
    article_links = view.cross_links(key)
    groups = link_groups(article_links)
    return {
        "article": {
            **view.summary_row(article), "kind": article.kind, "source_url": article.meta.url if article.meta.url and safe_url(article.meta.url) else None,
            "path": article.path, "annotation_path": article.annotation_path or f"annotations/{article.slug}.yaml",
            "annotated": article.annotation_path is not None,  # (no file: annotation_path is where `glossator new` writes it)
            "echoed": echo is not None and headline != "plain",  # the text's first block, shown, is the title again
        },
        "blocks": blocks,
        "summary": summary,
        "relations": relations,
        "article_links": article_links,
        "article_link_groups": groups,
        "article_links_digest": links_digest(groups),
        "changes": changes_view(view, article, numbers),
        "retraction": {"date": retracted.date, "reason_html": view.markdown(article.slug, retracted.reason), "notice": notice} if retracted else None,
        "minimap": minimap,
        "minimap_drawn": minimap_drawn(minimap, {a.id: [w["word"] for w in words[a.id]] for a in anns}),
        "newer": view.summary_row(newer) if newer else None,
        "older": view.summary_row(older) if older else None,
        "jsonld": view.urls.article(article.slug) + "annotations.jsonld",
        "claim_reviews": [script_json(r) for r in claim_reviews(view, article)],
        "excerpts": excerpts,
    }


def index_page(view: SiteView) -> dict:
    """The ledger: a row per article, a column per flag, and for rebuttal and retraction a column
    per end (passages challenged, passages answering); article flags marked in their flag's column."""
    rows = [view.summary_row(a) for a in view.order]
    columns = []
    for name, defn in view.config.flags.items():
        if name in DIRECTION:
            _, passive, active = DIRECTION[name]
            columns.append({"flag": defn, "key": f"{name}:in", "label": passive, "end": "in", "first": True,
                            "title": f"Passages {passive.lower()} (challenged)"})
            columns.append({"flag": defn, "key": f"{name}:out", "label": active, "end": "out", "first": False,
                            "title": f"Passages that {'rebut' if name == 'rebuttal' else 'retract'} another (answering)"})
        else:
            columns.append({"flag": defn, "key": f"{name}:", "label": defn.label, "end": None, "first": True,
                            "title": f"Passages flagged {label_in_sentence(defn, view.config.language)}"})
    for row in rows:
        whole = {f"{w['name']}:{whole_end(w)}" for w in row["words"]}
        row["cells"] = [{"count": row["ends"].get(c["key"], 0), "whole": c["key"] in whole} for c in columns]
    totals = [{"count": sum(r["cells"][i]["count"] for r in rows), "whole": sum(r["cells"][i]["whole"] for r in rows)}
              for i in range(len(columns))]
    return {"articles": rows, "columns": columns, "column_totals": totals,
            "totals": {f: sum(r["counts"].get(f, 0) for r in rows) for f in view.config.flags},
            "annotation_count": sum(r["annotations"] for r in rows)}


def whole_end(word: dict) -> str:
    """The end of rebuttal or retraction an article flagged as a whole stands at ("in", "out"; "" for other
    flags): challenged when rebutted or retracted, else answering: an article that flags itself a rebuttal (a
    fact-check) reads "Rebuttal", not "Rebutted" (SPEC 6), and is counted with the passages that answer."""
    if word["name"] not in DIRECTION:
        return ""
    return word["end"] or "out"


def flags_page(view: SiteView, passages: dict[str, int], whole: dict[str, int]) -> dict:
    """flags/: every flag with the passages and whole articles it marks (`passages`, `whole`: by flag name);
    rebuttal and retraction counted at each end apart, as the index counts them (SPEC 6), so that a
    passage that rebuts is never counted as one rebutted."""
    rows = [view.summary_row(a) for a in view.order]
    out = []
    for name, defn in view.config.flags.items():
        entry = {"flag": defn, "passages": passages[name], "articles": whole[name], "ends": None}
        if name in DIRECTION:
            _, passive, active = DIRECTION[name]
            ends = [{"word": word, "passages": sum(r["ends"].get(f"{name}:{end}", 0) for r in rows),
                     "articles": sum(any(w["name"] == name and whole_end(w) == end for w in r["words"]) for r in rows)}
                    for end, word in (("in", passive), ("out", active))]
            entry["ends"] = [e for e in ends if e["passages"] or e["articles"]]
        out.append(entry)
    return {"flag_counts": out}


class LazyPassage(Mapping):
    """A passage's view dict (`SiteView.passage`), computed when a template first reads it: flag and
    tag pages mostly show a passage already rendered where its article page was made."""

    __slots__ = ("key", "_view", "_data")

    def __init__(self, view: SiteView, key: tuple[str, str]):
        self.key, self._view, self._data = key, view, None

    def _dict(self) -> dict:
        if self._data is None:
            self._data = self._view.passage(self._view.by_slug[self.key[0]], self._view.annotation[self.key])
        return self._data

    def __getitem__(self, name):
        return self._dict()[name]

    def __iter__(self):
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def passages_with(view: SiteView, keys) -> list[dict]:
    """The passages named by `keys` ((slug, id) pairs, in reading order, each once), quoted in
    context, grouped by article."""
    groups = []
    for slug, ann_id in keys:
        if not groups or groups[-1]["article"]["slug"] != slug:
            groups.append({"article": view.summary_row(view.by_slug[slug]), "passages": []})
        groups[-1]["passages"].append(LazyPassage(view, (slug, ann_id)))
    return groups
