"""Annotations whose passage is not where they were written to point, and where it went.

For each annotation (and `body` bound) of an article: with git, the article as it was when the
annotation's anchoring values last changed (from the history of its own lines, renames followed, the
values compared as read) is compared with the text now, and the
passage carried across; without git, only annotations that no longer anchor are looked at, in the
text alone. `check` and `build` report drift (it anchors, but on another passage) as an error;
`glossator reanchor` reports every finding with a proposal.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from ..anchoring import UNSPACED, NormText, anchor, find_all, norm_text, normalise
from ..read.content import KINDS, decode
from ..read.layer import anchors_in
from ..errors import Problems
from ..read.text import markdown_flow, text_flow
from ..history import UNCOMMITTED, History, blob_id
from ..model import Quote
from .lines import LineEdit, source_lines
from .align import _NUMBER_WORDS, _PUNCT, CONTEXT, CONTEXT_MIN, MARGIN, Alignment, Fields, Resolution, context_score, propose, search, similarity, word_changes, words


@dataclass(frozen=True, slots=True)
class Finding:
    """One annotation (or body bound) to look at, and what is proposed for it."""

    file: str  # the annotation file, relative to the site
    line: int  # where its quote is written
    col: int
    id: str  # the annotation's id, or "body.start" / "body.end"
    status: str  # "moved", "edited" or "orphaned"
    old: Fields  # its fields as written
    new: Fields | None  # the proposal; None when orphaned
    old_line: int | None  # line of the passage in the content file (as it was, with history)
    new_line: int | None  # line of the proposed passage now
    reason: str  # why, in words
    drift: bool = False  # it anchors now, but on another passage than it was written for
    now_line: int | None = None  # where it anchors now (for drift)
    sense: bool = False  # it anchors where it was written for, but words beside it now negate or deny it


@dataclass(frozen=True, slots=True)
class Target:
    """What is anchored: an annotation's fields, where they are written, the lines they span."""

    id: str
    fields: Fields
    line: int
    col: int
    lines: tuple[int, int]  # first and last line of the annotation in its file (1-based)
    body: bool = False  # a body bound: its quote must occur once in the whole text


def visible_text(data: bytes, kind: str):
    """The flow of a content file's bytes (front matter left out), or None when unreadable."""
    from ..read.content import _FRONT

    text = decode(data, "", Problems())
    if text is None:
        return None
    if kind == "md":
        m = _FRONT.match(text)
        first = 1
        if m:
            first = text.count("\n", 0, m.end()) + 1
            text = text[m.end():]
        return markdown_flow(text, first)
    return text_flow(text)


def targets(annotations, body_quotes) -> list[Target]:
    """Targets of an annotation file: its annotations (with the lines of their items) and body bounds."""
    out = []
    for ann in annotations:
        q = ann.quote
        out.append(Target(ann.id, Fields(q.text, q.prefix, q.suffix, q.occurrence), q.loc.line, q.loc.col,
                          (ann.loc.line, max(ann.last_line, q.loc.line))))
    for name, quote in body_quotes:
        if quote is not None:
            out.append(Target(name, Fields(quote.text), quote.loc.line, quote.loc.col, (quote.loc.line, quote.loc.line), True))
    return out


def bounds_of(norm: NormText, start: str | None, end: str | None) -> tuple[int, int]:
    """Normalised body bounds from the body quotes' texts (the whole text where one does not anchor)."""
    lo, hi = 0, len(norm.text)
    if start is not None:
        got = anchor(norm, start)
        lo = norm.norm_offset(got.match.start) if got.match else lo
    if end is not None:
        got = anchor(norm, end)
        hi = norm.norm_offset(got.match.end) if got.match else hi
    return (lo, hi) if hi > lo else (0, len(norm.text))


def article_names(history: History, content_rel: str, kind: str, layer_rel: str, sha: str) -> list[tuple[str, str]]:
    """[(file, kind)] the article may have had in commit `sha`, likeliest first: its name then (renames
    followed), or that name with the other suffix (a .txt replaced by a .md); then the names its annotation
    file had then gives it (git saw that file renamed, but the article, much rewritten in the same commit,
    as deleted and added)."""
    then = history.path_at(content_rel, sha)
    stem, _, suffix = then.rpartition(".")
    names = [(then, KINDS.get("." + suffix, kind))] + [(stem + ext, k) for ext, k in KINDS.items() if ext != "." + suffix]
    layer_then = history.path_at(layer_rel, sha)
    if layer_then != layer_rel:
        folder = content_rel.rpartition("/")[0]
        slug = layer_then.rpartition("/")[2].rpartition(".")[0]
        names += [(f"{folder}/{slug}{ext}", k) for ext, k in KINDS.items() if (f"{folder}/{slug}{ext}", k) not in names]
    return names


def _plain(text: str) -> str:
    return " ".join(text.split())


class ArticleCheck:
    """The findings of one article, with or without its history."""

    def __init__(self, flow, content_rel: str, kind: str, layer_rel: str, history: History | None,
                 content_bytes: bytes, layer_bytes: bytes):
        self.flow, self.content_rel, self.kind, self.layer_rel = flow, content_rel, kind, layer_rel
        self.history, self.content_bytes, self.layer_bytes = history, content_bytes, layer_bytes
        self.norm = norm_text(flow.text)
        self.blob = blob_id(content_bytes)
        self.layer_lines = layer_bytes.decode("utf-8", "replace").splitlines()
        self._old: dict = {}  # (blob, kind) -> (flow, normalised text) of an old version
        self._aligned: dict = {}  # (blob, kind) -> Alignment of that version with the text now
        self._old_lines: dict = {}  # (blob, kind) -> source Lines of that version
        self._line_edits: dict = {}  # (blob, kind) -> LineEdit from that version to the lines now
        self._lines_now = None  # the source Lines now, when first needed
        self._set_in: dict = {}  # target -> the commit that last set its anchoring values
        self._anchors: dict = {}  # blob of an old annotation file -> its anchoring values by id
        self._ids_now: dict[str, tuple] | None = None

    def line(self, s: int) -> int:
        return self.flow.line_at(self.norm.start(s))

    @property
    def ids_now(self) -> dict[str, tuple]:
        """The anchoring values of the annotation file as it is, by id (and body bound)."""
        if self._ids_now is None:
            self._ids_now = anchors_in(self.layer_bytes.decode("utf-8", "replace"))
        return self._ids_now

    def body_at(self, sha: str | None) -> tuple:
        """The body quotes (as read) of the annotation file in commit `sha`; None: as it is now."""
        anchors = self.ids_now if sha is None or sha == UNCOMMITTED else self.anchors_at(sha)
        return tuple(normal(anchors[name][0]) if name in anchors else None for name in ("body.start", "body.end"))

    def last_commit(self, target: Target) -> str | None:
        """The commit that last set the target's anchoring values (quote, prefix, suffix, occurrence, compared as
        read: re-quoting them or a comment beside them is no sign the passage was looked at again); None when
        they are uncommitted changes, or have no history."""
        if target not in self._set_in:
            self._set_in[target] = self._values_set(target, self._lines_changed(target))
        return self._set_in[target]

    def _lines_changed(self, target: Target) -> str | None:
        """The commit that last changed the target's anchoring lines (UNCOMMITTED for working changes)."""
        h = self.history
        if h is None:
            return None
        per_line = h.line_commits(self.layer_rel, self.layer_bytes)
        lines = range(target.lines[0], target.lines[1] + 1) if target.body else anchor_lines(self.layer_lines, *target.lines)
        shas = [per_line[i - 1] for i in lines if 0 < i <= len(per_line)]
        if not shas or UNCOMMITTED in shas:
            return UNCOMMITTED if shas else None
        return max(shas, key=lambda s: (h.commits[s].time if s in h.commits else 0, -h.order.get(s, 0)))

    def _older(self, last: str | None) -> list[str]:
        """The commits of the annotation file before `last`, newest first (all of them before UNCOMMITTED)."""
        lineage = self.history.touched.get(self.layer_rel, []) if last else []
        if last == UNCOMMITTED:
            return lineage
        return lineage[lineage.index(last) + 1 :] if last in lineage else []

    def first_steps(self, found: list[Target]) -> list[tuple[str, str]]:
        """(commit, file) of the annotation file version each target's values are compared with first (to read
        them in one batch)."""
        if self.history is None:
            return []
        return [self.layer_version(sha) for t in found for sha in self._older(self._lines_changed(t))[:1]]

    def _values_set(self, target: Target, last: str | None) -> str | None:
        """From `last` back through the older commits of the annotation file that read the same values: the oldest.
        Versions without the annotation (the file or the item deleted, then restored by a revert or a checkout)
        are looked past: values restored as they were were written against the text of their first time."""
        found, older = (None if last == UNCOMMITTED else last), self._older(last)  # uncommitted values: written against now
        f = target.fields
        want = _as_read((f.quote, f.prefix, f.suffix, f.occurrence))
        if found is not None and (then := self.anchors_at(found).get(target.id)) is not None and _as_read(then) != want:
            # the values differ in the commit that last changed their lines: git paired a line with another
            # annotation's (deleted in the same commit). From the newest version back, then
            found, older = None, self.history.touched.get(self.layer_rel, [])
        for i, sha in enumerate(older):
            anchors = self.anchors_at(sha)
            values = _as_read(anchors[target.id]) if target.id in anchors else None
            if values is None and any(_as_read(v) == want and k not in self.ids_now for k, v in anchors.items()):
                values = want  # the same values under an id that is gone: an `id:` given or renamed since
                # (under one that is still here, they are another annotation's old values)
            if values is None:
                if i == 0:  # a gap to look past: the older versions in one call, not one at a time
                    h = self.history
                    h.read_blobs([b for b in h.blobs_at([self.layer_version(o) for o in older]).values() if b])
                continue
            if values != want:
                break
            found = sha
        return found

    def layer_version(self, sha: str) -> tuple[str, str]:
        """(commit, file) of the annotation file in commit `sha`."""
        return sha, self.history.path_at(self.layer_rel, sha)

    def anchors_at(self, sha: str) -> dict[str, tuple]:
        """The anchoring values of the annotation file in commit `sha`, by id (see `anchors_in`)."""
        h = self.history
        blob = h.blobs_at([self.layer_version(sha)])[self.layer_version(sha)]
        if blob not in self._anchors:
            data = h.read_blobs([blob]).get(blob) if blob else None
            text = decode(data, "", Problems()) if data is not None else None
            self._anchors[blob] = anchors_in(text) if text is not None else {}
        return self._anchors[blob]

    def written_against(self, target: Target):
        """(commit, old flow, old normalised text, (blob, kind)) of the article as the target's last change saw
        it; None when the text is unchanged since, or unknown."""
        last = self.last_commit(target)
        if last is None:
            return None
        h = self.history
        blob, kind = self._article_at(last)
        if blob is None and last != UNCOMMITTED:  # annotated before the article was committed: its first version since
            since = [c for c in h.touched.get(self.content_rel, []) if h.order.get(c, -1) < h.order.get(last, -1)]
            if since:
                last = since[-1]
                blob, kind = self._article_at(last)
        if blob is None or (blob == self.blob and kind == self.kind and self.body_at(last) == self.body_at(None)):
            return None  # (the same text, but other body bounds: what an occurrence counts has changed)
        key = (blob, kind)
        if key not in self._old:
            data = h.read_blobs([blob]).get(blob)
            flow = visible_text(data, kind) if data is not None else None
            self._old[key] = (flow, norm_text(flow.text)) if flow is not None else None
            self._old_lines[key] = source_lines(data, flow, self._old[key][1]) if flow is not None else None
        return (last, *self._old[key], key) if self._old[key] else None

    def _article_at(self, sha: str) -> tuple[str | None, str | None]:
        """(blob, kind) of the article in commit `sha`, or (None, None) when it had none."""
        paths = self.article_paths(sha)
        found = self.history.blobs_at([(sha, rel) for rel, _ in paths])
        return next(((found[(sha, rel)], kind) for rel, kind in paths if found[(sha, rel)]), (None, None))

    def article_paths(self, sha: str) -> list[tuple[str, str]]:
        return article_names(self.history, self.content_rel, self.kind, self.layer_rel, sha)

    def alignment(self, blob: str, old: str) -> Alignment:
        if blob not in self._aligned:
            self._aligned[blob] = Alignment(old, self.norm.text, self.line_edit(blob))
        return self._aligned[blob]

    def line_edit(self, blob) -> LineEdit | None:
        """The line edit from that version's source lines to the lines now (None when either is unreadable)."""
        if blob not in self._line_edits:
            if self._lines_now is None:
                self._lines_now = source_lines(self.content_bytes, self.flow, self.norm)
            old = self._old_lines.get(blob)
            self._line_edits[blob] = LineEdit(old, self._lines_now) if old and self._lines_now else None
        return self._line_edits[blob]

    def bounds_then(self, old_norm: NormText, sha: str, body: tuple[str | None, str | None]) -> tuple[int, int]:
        """The body bounds in the old text, from the body quotes as the annotation file had them in commit
        `sha` (moving a bound changes what an occurrence counts); `body`, the quotes now, when unknown."""
        then = self.anchors_at(sha) if sha != UNCOMMITTED else None
        if then:
            body = tuple(then[name][0] if name in then else None for name in ("body.start", "body.end"))
        return bounds_of(old_norm, *body)

    def examine(self, target: Target, bounds: tuple[int, int], body: tuple[str | None, str | None] = (None, None)) -> Finding | None:
        """A finding for this target, or None when it anchors where it was written to. `bounds`: the body's
        now; `body`: the body quotes' texts now."""
        f = target.fields
        norm = self.norm
        lo, hi = (0, len(norm.text)) if target.body else bounds
        now = anchor(norm, f.quote, f.prefix, f.suffix, f.occurrence, (lo, hi))
        now_span = (norm.norm_offset(now.match.start), norm.norm_offset(now.match.end)) if now.match else None
        past = self.written_against(target)
        res, old_line, origin, then = None, None, "", None
        if past is not None:
            sha, old_flow, old_norm, blob = past
            olo, ohi = (0, len(old_norm.text)) if target.body else self.bounds_then(old_norm, sha, body)
            then = anchor(old_norm, f.quote, f.prefix, f.suffix, f.occurrence, (olo, ohi))
            if then.match:
                os, oe = old_norm.norm_offset(then.match.start), old_norm.norm_offset(then.match.end)
                if now_span and _same_place(old_norm.text, os, oe, norm.text, *now_span) and not (
                        (edit := self.line_edit(blob)) and edit.copy_of_rewritten(os, now_span[0])):
                    return None  # the same words between the same words: nothing moved under it (but in a copy of
                    # its paragraph, while the original was rewritten: either may be it)
                old_line = old_flow.line_at(then.match.start)
                commit = self.history.commits.get(sha)
                origin = f" of the article as it was at {sha[:7]}" + (f" ({commit.date.isoformat()})" if commit else "")
                align = self.alignment(blob, old_norm.text)
                res = align.carry(os, oe)
                if (res.status == "orphaned" and not res.final) or (res.status != "orphaned" and not (lo <= res.start and res.end <= hi)):
                    span = align.word_range(os, oe, True)
                    res = search(norm, lo, hi, f.quote, old_norm.text[max(0, os - CONTEXT) : os],
                                 old_norm.text[oe : oe + CONTEXT], os / max(len(old_norm.text), 1),
                                 foreign=(lambda s, e: align.foreign(s, e, *span)) if span else None)
        if res is None:  # the text alone
            if now.match:
                return None
            repeated = f.occurrence is not None or now.problem == "ambiguous"  # it had repeats when written
            res = search(norm, lo, hi, f.quote, f.prefix, f.suffix, was_repeated=repeated)
        flipped, carried = frozenset(), (res.start, res.end)
        if res.status != "orphaned" and past is not None and then.match:
            flipped = _flipped(align, (old_flow.text, old_norm, os, oe), (self.flow.text, norm, res.start, res.end))
            if flipped:  # "would ask the court" -> "would not ask the court", "said that" -> "denied that",
                # "… died." -> "reports that … died were wrong": the quote is the same, its sense is not
                res = Resolution("orphaned", kept=res.kept, how=res.how, final=True, runner_up=(
                    f"a negation or denial was added or removed beside it ({', '.join(sorted(flipped))}): the passage may "
                    "now say the opposite of what the note was written for; re-read it and set the quote by hand"))
        if res.status != "orphaned" and now_span and (now_span == (res.start, res.end) or
                                                        res.status == "moved" and _same(now_span, (res.start, res.end))):
            return None  # (edited where it stands: the quote still matches, inside words that changed, which is a finding)
        if now_span and past is not None and then.match and not flipped and self._trust_now(now_span, res, old_norm.text, os, oe, align):
            return None
        if now_span and past is not None and then.match and res.status == "orphaned" and not res.final \
                and self._moved_whole(f.quote, old_flow, old_norm, then.match, now.match):
            return None
        sense = bool(flipped) and now_span is not None and carried is not None and _same(now_span, carried)
        return self._finding(target, res, now_span, old_line, origin, (lo, hi), sense)

    def misordered(self, found: list[Target]) -> Finding | None:
        """body.end, orphaned, when both body bounds anchor but the end comes before the start: no
        place is certain for either, and check fails on it."""
        bounds = {t.id: t for t in found if t.body}
        start, end = bounds.get("body.start"), bounds.get("body.end")
        if start is None or end is None:
            return None
        a, b = anchor(self.norm, start.fields.quote), anchor(self.norm, end.fields.quote)
        if not (a.match and b.match) or b.match.end > a.match.start:
            return None
        a_line, b_line = self.flow.line_at(a.match.start), self.flow.line_at(b.match.start)
        return Finding(self.layer_rel, end.line, end.col, end.id, "orphaned", end.fields, None, None, None,
                       f"orphaned: body.end (line {b_line}) comes before body.start (line {a_line}); "
                       "set the bounds by hand so the end follows the start")

    def _trust_now(self, now_span, res: Resolution, old: str, os: int, oe: int, align: Alignment) -> bool:
        """Whether the place the fields anchor on now is as much the passage as the one carried:
        its surroundings agree with the old ones as well (drift is said only on clear evidence).
        Never when the words it lands on now were in the old text already, elsewhere: that is another
        passage for certain (in a list of look-alike lines, its surroundings agree all the same); nor when
        the edit wrote them, while the passage is found elsewhere (a repeat added beside it)."""
        span = align.word_range(os, oe, True)
        if span is not None and align.foreign(*now_span, *span):
            return False
        if res.status != "orphaned" and align.added(*now_span):
            return False
        if res.status == "edited" and _same(now_span, (res.start, res.end)):
            return False  # the passage itself, edited: the quote still matches there, inside changed words
        before, after = old[max(0, os - CONTEXT) : os], old[oe : oe + CONTEXT]
        here = context_score(self.norm.text, *now_span, before, after) or 0.0
        if res.status == "orphaned":  # (the history could not place it: look-alikes, say)
            return not res.final and here >= CONTEXT_MIN
        there = context_score(self.norm.text, res.start, res.end, before, after) or 0.0
        return there - here < MARGIN

    def _moved_whole(self, quote: str, old_flow, old_norm: NormText, then, now) -> bool:
        """Whether a quote found once then and once now stands in the same paragraph (a list item, say), moved
        whole: most of the paragraph's words came along with it (list items re-ordered). Then it is the passage."""
        needle = normal(quote)
        if len(find_all(old_norm, needle, 0, len(old_norm.text))) != 1 or len(find_all(self.norm, needle, 0, len(self.norm.text))) != 1:
            return False
        was, there = _paragraph(old_flow.text, then.start, then.end), _paragraph(self.flow.text, now.start, now.end)
        return similarity(was, there) >= WHOLE

    def _finding(self, target: Target, res: Resolution, now_span, old_line, origin, bounds, sense: bool = False) -> Finding:
        f = target.fields
        drift = now_span is not None
        now_line = self.line(now_span[0]) if now_span else None
        new = None
        status = res.status
        why = ""
        passage = _plain(self.flow.text[self.norm.start(res.start) : self.norm.end(res.end)]) if status != "orphaned" else ""
        if status == "edited" and not target.body:
            gained = _negations(passage) ^ _negations(f.quote)
            if gained:  # "did approve" -> "did not approve": the note may now contradict its passage
                status = "orphaned"
                why = (f"a negation or denial was added or removed ({', '.join(sorted(gained))}): the passage may now say the "
                       "opposite of what the note was written for; re-read it and set the quote by hand; ")
        if status != "orphaned":
            if target.body:
                quote = f.quote if status == "moved" else passage
                out = anchor(self.norm, quote)
                new = Fields(quote) if out.match and self.norm.norm_offset(out.match.start) == res.start else None
            else:
                new = propose(self.norm, res.start, res.end, f, bounds, status == "moved")
                if new is not None and status == "edited":
                    new = Fields(passage, new.prefix, new.suffix, new.occurrence)
                    out = anchor(self.norm, new.quote, new.prefix, new.suffix, new.occurrence, bounds)
                    new = new if out.match and self.norm.norm_offset(out.match.start) == res.start else None
            if new is None:
                status, why = "orphaned", ("its place is known, but its words now occur more than once in the text, and a "
                                           "body bound must occur once: quote more of it, or remove the copy; " if target.body
                                           else "its place is known, but no prefix, suffix or occurrence picks it out; ")
        new_line = self.line(res.start) if status != "orphaned" else None
        was = f"line {old_line}{origin}" if old_line else ("line " + str(now_line) if now_line else "nowhere now")
        if status == "moved":
            reason = f"moved: the same words (the quote is unchanged), from {was} to line {new_line}"
        elif status == "edited":
            reason = f"edited: at line {new_line} (was {was}), {word_changes(normal(f.quote), normalise(passage))}; check the note"
        else:
            reason = f"orphaned: {why}{res.runner_up}" if res.runner_up else f"orphaned: {why.rstrip('; ') or 'its words are gone'}"
            reason += f" (was {was})"
        if drift and (sense or status != "orphaned" and _same(now_span, (res.start, res.end))):
            reason += f"; the quote as written still matches on line {now_line}, inside words that changed"
        elif drift:
            reason += f"; the quote as written now anchors on line {now_line}, another passage"
        if res.how:
            runner = res.runner_up or ("no runner-up: the alignment with the old text points to this place alone" if res.how == "history" else "")
            reason += f"; found by {res.how}" + (f", {res.scores}" if res.scores else "") + (f"; {runner}" if runner and status != "orphaned" else "")
        return Finding(self.layer_rel, target.line, target.col, target.id, status, f, new, old_line, new_line, reason, drift,
                       now_line, sense)


_BLANK_LINE = re.compile(r"\n\s*\n")
WHOLE = 0.8  # a paragraph moved whole keeps at least this likeness
_ANCHOR_KEY = re.compile(r" *(?:- +)?(quote|prefix|suffix|occurrence) *:")
_NEGATION = re.compile(r"\b(not|no|never|nor|neither|none|nobody|nothing|nowhere|cannot|\w+n't"
                       r"|den(?:y|ies|ied|ying|ial)|false(?:ly|hood)?|untrue|wrong(?:ly)?|incorrect(?:ly)?|inaccurate"
                       r"|erroneous(?:ly)?|mistaken(?:ly)?|disput(?:e|es|ed|ing)|refut(?:e|es|ed|ing)"
                       r"|retract(?:s|ed|ing)?|debunk(?:s|ed|ing)?|baseless|unfounded|rumou?r(?:s|ed)?|hoax(?:es)?"
                       r"|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|fake|fabricat(?:ed|ion)|bogus|misleading"
                       r"|lie[sd]?|lying|liars?)\b",
                       re.IGNORECASE)
_NEGATES = frozenset("not no never nor neither none nobody nothing nowhere cannot".split())  # each counted as "not"
# before these, a negation denies nothing ("there was no doubt …", "not only … but", "never before matched")
_NOT_AFTER = {"no": ("doubt", "matter", "small", "sooner"), "not": ("only", "far", "least"), "never": ("before",)}
# in Chinese, a character that negates or denies what follows it (but not in these words: "however", "very",
# "future", …); in Japanese, verb endings that negate
_DENIAL_UNSPACED = frozenset("不没沒未否无無非谣謠驳駁假错錯")
_NOT_A_DENIAL = frozenset("不过 不過 不久 不断 不斷 不仅 不僅 不但 不少 不同 非常 未来 未來 无论 無論 无疑 無疑 假期 假如 错过 錯過".split())
_NOT_AN_ENDING = ("少なくない",)  # "not a few": many
_DENIAL_ENDINGS = ("ない", "なかっ", "ません", "否定", "否認")


def _as_read(values: tuple) -> tuple:
    """Anchoring values (quote, prefix, suffix, occurrence) as anchoring compares them (SPEC 4: curly or
    straight quotes, white space): restyling them is no sign the passage was looked at again."""
    return tuple(normal(v) if isinstance(v, str) else v for v in values)


def _negations(text: str) -> frozenset:
    """The words of a text that deny what it says (negations, "denied", "wrong"...), each counted
    ('not' twice is not 'not' once); every negation ("didn't", "nobody", "never") counts as "not"."""
    found = _denials(text)
    return frozenset(f"{w}" if n == 1 else f"{w} ×{n}" for w, n in found.items())


def _denials(text: str) -> Counter:
    """The denials of a whole text (a quote, a passage), counted as `_denied` counts them."""
    text = normalise(text)
    ws = words(text)
    return _denied(ws, text, list(range(len(ws))))


def _as_denial(word: str) -> str:
    return "not" if word in _NEGATES or word.endswith("n't") else word


def _unspaced_denials(text: str) -> Counter:
    """The negating characters and endings of Chinese or Japanese text."""
    found: Counter = Counter()
    for i, c in enumerate(text):
        if c in _DENIAL_UNSPACED and text[i : i + 2] not in _NOT_A_DENIAL:
            found[c] += 1
    for ending in _DENIAL_ENDINGS:
        found[ending] += text.count(ending) - sum(text.count(idiom) for idiom in _NOT_AN_ENDING if ending in idiom)
    return found


DENIAL_NEAR = 6  # words beside a passage, in its sentence, where a denial written or removed changes its sense
UNSPACED_WORD = 0.4  # a character of a script written without spaces, in words
_SENTENCE_END = re.compile(r"[.!?:;…。！？；：][\"'”’)\]」』]*$")
_CLAUSE_END = re.compile(r"[,;:—–(][\"'”’)\]」』]*$")
_ABBREVIATION = frozenset("mr mrs ms dr prof st mt jr sr gen sen rep gov lt col capt sgt no vs etc inc ltd co corp "
                          "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split())
_QUOTES = _PUNCT + "“”‘’«»"
_UNSPACED = re.compile(f"[{UNSPACED}]")


def _flipped(align, old: tuple, new: tuple) -> frozenset:
    """The denials (negations, "denied", "wrong"…) the edit put beside a passage, or took away: up to
    DENIAL_NEAR words before or after it, in its sentence and paragraph, that are new words, or old words
    that were not in its sentence before (two sentences merged); or, in the old text, words the edit
    removed. The two are counted against each other ("didn't" removed for "did not" added is no change).
    A denial that only moved out of the sentence, or further along it, was not written. A clause
    ", which …" right after the passage is about what it says: its denials count ("…, which was a lie"),
    its negations do not ("…, which is no longer standing": of a thing named in it), but those of the truth
    do (", which was not true", see `_of_truth`)."""
    (o_flow, o_norm, os, oe), (n_flow, n_norm, ns, ne) = old, new
    o_span, n_span = _word_span(align.ow, os, oe), _word_span(align.nw, ns, ne)
    if o_span is None or n_span is None:
        return frozenset()

    def denials(ws, norm, flow, span, keep) -> Counter:
        claimed = _claimed(ws, norm, flow, *span)
        beside = _denied(ws, norm.text, [k for k in _beside(ws, norm, flow, *span) if keep(k)], span, claimed)
        which = _denied(ws, norm.text, [k for k in _which(ws, norm.text, span[1]) if keep(k)], span, True, negations=False)
        return beside + which

    was_beside = set(_beside(align.ow, o_norm, o_flow, *o_span, limit=None)) | set(_which(align.ow, o_norm.text, o_span[1]))
    removed = denials(align.ow, o_norm, o_flow, o_span, lambda k: k not in align.forward)
    added = denials(align.nw, n_norm, n_flow, n_span, lambda k: align.backward.get(k) not in was_beside)
    return frozenset({w for w in added if added[w] > removed[w]} | {w for w in removed if removed[w] > added[w]})


def _which(ws: list, text: str, j: int) -> list[int]:
    """The words of a clause ", which …" right after word j (the passage's last), to its end, at most
    DENIAL_NEAR words; [] when none follows."""
    if j + 1 >= len(ws) or _word(ws, text, j + 1) != "which" or not _CLAUSE_END.search(text[ws[j][0] : ws[j][1]]):
        return []
    out = []
    for k in range(j + 1, min(len(ws), j + 1 + DENIAL_NEAR)):
        out.append(k)
        word = text[ws[k][0] : ws[k][1]]
        if _CLAUSE_END.search(word) or _SENTENCE_END.search(word):
            break
    return out


def _word(ws: list, text: str, k: int) -> str:
    """Word k, lower-cased, without the punctuation around it; "" past either end."""
    return text[ws[k][0] : ws[k][1]].strip(_QUOTES).lower() if 0 <= k < len(ws) else ""


def _claimed(ws: list, norm: NormText, flow: str, i: int, j: int) -> bool:
    """Whether a claim noun ("reports", "claims"…) stands in the passage (words i..j) or before it in its
    sentence ("Reports that [the plan was approved] were dismissed")."""
    before = [k for k in _beside(ws, norm, flow, i, j, limit=None) if k < i]
    return any(_word(ws, norm.text, k) in _CLAIM_NOUNS for k in [*before, *range(i, j + 1)])


def _word_span(ws: list, s: int, e: int) -> tuple[int, int] | None:
    """First and last index of the words touching [s, e)."""
    i = bisect.bisect_right([b for _, b in ws], s)
    j = bisect.bisect_left([a for a, _ in ws], e) - 1
    return (i, j) if i <= j else None


def _beside(ws: list, norm: NormText, flow: str, i: int, j: int, limit: float | None = DENIAL_NEAR):
    """The indexes of the words before word i and after word j, in their sentence and paragraph, up to
    `limit` words on each side (a character of a script without spaces counts as UNSPACED_WORD)."""
    text = norm.text

    def clause(k: int) -> bool:  # word k ends a clause, or is a dash
        word = text[ws[k][0] : ws[k][1]]
        return bool(_CLAUSE_END.search(word)) or word in ("—", "–", "-")

    def apart(a: int, b: int, after: bool) -> bool:  # a sentence ends with word a, or a blank line stands between
        word = text[ws[a][0] : ws[a][1]]  # a and b; after the passage, a clause too ("…, which is no longer standing")
        if after and (clause(a) or clause(b) and len(text[ws[b][0] : ws[b][1]]) == 1):
            return True
        if _SENTENCE_END.search(word):
            core = word.rstrip("\"'”’)]")
            bare = core[:-1].lower() if core.endswith(".") else None  # "Dr.", "a.m.", "U.S." end no sentence
            if bare is None or not (bare in _ABBREVIATION or "." in bare or len(bare) == 1):
                return True
        return "\n\n" in flow[norm.end(ws[a][1]) : norm.start(ws[b][0])]

    for step, at in ((-1, i), (1, j)):
        k, taken = at + step, 0.0
        if step < 0 and k >= 0 and clause(k):  # right after an aside ("The mill, which is no longer standing, [Q]"):
            k -= 1  # its words say nothing of the passage; the words before it do
            while k >= 0 and not clause(k) and not apart(k, k + 1, False):
                k -= 1
        while 0 <= k < len(ws) and not (apart(k, k + 1, False) if step < 0 else apart(k - 1, k, True)):
            taken += UNSPACED_WORD if ws[k][1] - ws[k][0] == 1 and _UNSPACED.match(text, ws[k][0]) else 1
            if limit is not None and taken > limit:
                break
            yield k
            k += step


def _denied(ws: list, text: str, ks: list[int], passage: tuple[int, int] | None = None, claimed: bool = False,
            negations: bool = True) -> Counter:
    """The denials among these words, as counted (every negation as "not"; "No 10" is a number; "lie" only
    as a noun, see `_a_lie`; in Chinese and Japanese, the negating characters and endings of the run of
    these words). `passage`: its first and last word, when these are the words beside it: after it,
    "dismiss", "reject" and "deny" count only as a denial of a claim (see `_denies_a_claim`; `claimed`: a
    claim noun stands before it). `negations`: whether negations ("not", "never"…) count, or only denials."""
    found: Counter = Counter()
    run = []
    for k in sorted(ks):
        word = text[ws[k][0] : ws[k][1]].strip(_QUOTES)
        run.append(word if not run or k == prev + 1 else "|" + word)
        prev = k
        if not _NEGATION.fullmatch(word):
            continue
        w = word.lower()
        following = text[ws[k + 1][0] : ws[k + 1][1]].lower() if k + 1 < len(ws) else ""
        if (w == "no" and following[:1].isdigit()) or following.strip(_QUOTES) in _NOT_AFTER.get(w, ()):
            continue
        if w == "disputed" and _word(ws, text, k - 1) in _DETERMINERS and following.strip(_QUOTES) not in _CLAIM_NOUNS:
            continue  # "a disputed election": which election, not a denial ("the disputed claims that …" is one)
        if (not negations and _as_denial(w) == "not" and not _of_truth(ws, text, k)) or (w in ("lie", "lies", "lying") and not _a_lie(ws, text, k)):
            continue
        if passage is not None and k > passage[1] and _REFUSALS.fullmatch(w) and not _denies_a_claim(ws, text, k, claimed):
            continue
        found[_as_denial(w)] += 1
    return +(found + _unspaced_denials("".join(run)) if negations else found)


# "dismiss", "reject", "deny" also tell of events ("workers were dismissed", "he was denied bail"): see `_denies_a_claim`
_REFUSALS = re.compile(r"dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|den(?:y|ies|ied|ying)")
_CLAIM_NOUNS = frozenset("report reports claim claims allegation allegations accusation accusations suggestion "
                         "suggestions rumour rumours rumor rumors story statement statements assertion assertions idea "
                         "ideas notion notions theory theories speculation version versions finding findings".split())
_DETERMINERS = frozenset("a an the this that its their his her our".split())  # before an adjective
_CLAIM_POINTERS = frozenset("it this that these those such as".split())  # right after the verb: what was said
_BE = frozenset("am is are was were be been being get gets got gotten getting".split())
# before "lie" or "lies", these make it the noun ("a lie", "were lies", "a pack of lies"); not "The town lies on …"
_LIE_AFTER = frozenset("a an the of such is are was were be been being".split())
_LIE_ADJECTIVES = frozenset("all complete total outright blatant big barefaced bald-faced downright utter pure white "
                            "damned deliberate".split())


# after a negation, what says it is of the truth of what came before (", which was not true"); the adverbs between
_TRUTH = frozenset("true correct accurate right factual so".split())
_HEDGES = frozenset("entirely quite really wholly completely strictly altogether at all".split())


def _of_truth(ws: list, text: str, k: int) -> bool:
    """Whether negation k denies the truth of what came before: "not true", "not entirely accurate", "not the case",
    "never true" (", which was not true"); not "no longer standing", "not far from"."""
    n = k + 1
    while _word(ws, text, n) in _HEDGES:
        n += 1
    return _word(ws, text, n) in _TRUTH or (_word(ws, text, n) == "the" and _word(ws, text, n + 1) == "case")


def _a_lie(ws: list, text: str, k: int) -> bool:
    """Whether "lie", "lies" or "lying" (word k) says that something is untrue: "lie" and "lies" as a noun, after
    an article, "of" or a form of "be" ("It is a lie that …", "…, which was a complete lie", "were all lies"); any
    of them before "about" what is not a distance ("The minister lies about the cost"; not "The town lies about
    5 km from …"); "lying" that ends its clause ("…, but he was lying."). The verb of place is none ("The town
    lies on the river", "was lying in the valley"). ("lied" and "liar" always are.)"""
    word = _word(ws, text, k)
    if word == "lying":
        raw = text[ws[k][0] : ws[k][1]]
        if k + 1 >= len(ws) or _SENTENCE_END.search(raw) or _CLAUSE_END.search(raw):
            return True
    else:
        before = _word(ws, text, k - 1)
        if before in _LIE_ADJECTIVES:
            before = _word(ws, text, k - 2)
        if before in _LIE_AFTER or before.endswith(("'s", "’s")):
            return True
    if _word(ws, text, k + 1) != "about":
        return False
    what = _word(ws, text, k + 2)
    return not (what[:1].isdigit() or what in _NUMBER_WORDS or what in ("a", "an", "half", "halfway", "midway"))


def _denies_a_claim(ws: list, text: str, k: int, claimed: bool) -> bool:
    """Whether "dismiss", "reject" or "deny" (word k), written after the passage, denies a claim, not tells of an
    event. Before the passage it always counts: the passage is, or is inside, its object ("dismissed claims
    [the plan was approved]"). After it, it counts when its object is the claim: a claim noun stands before the
    passage in its sentence, or in it (`claimed`: "Reports that [Q] were dismissed"); or, in the active, the
    next word is "it", "this", "that", "as"… ("denied it", "dismissed as rumour"), a claim noun is among the
    next three ("rejected the ministry's claims"), or nothing follows ("…, but officials denied."). In the
    passive after a form of "be" with no claim before, it tells of something done to someone: "…until workers
    were dismissed in 1950", "…until the appeal was rejected", "…and he was denied bail"; so does an active
    verb with another object ("…until the owner dismissed the workers")."""
    if claimed:
        return True
    before = _word(ws, text, k - 1)
    if before.endswith("ly"):  # "were quickly dismissed"
        before = _word(ws, text, k - 2)
    if before in _BE:
        return False
    word = text[ws[k][0] : ws[k][1]]
    if k + 1 >= len(ws) or _SENTENCE_END.search(word) or _CLAUSE_END.search(word):
        return True
    following = [_word(ws, text, k + d) for d in (1, 2, 3)]
    return following[0] in _CLAIM_POINTERS or any(w in _CLAIM_NOUNS for w in following)


def anchor_lines(lines: list[str], first: int, last: int) -> list[int]:
    """The lines (1-based) of an annotation item, `first`..`last`, that say where it anchors: its
    quote, prefix, suffix and occurrence, each with the lines that continue it (indented deeper).
    A change to its note, flags or tags is no sign the passage was looked at again. The whole item
    when no such key starts a line (a flow mapping on one line, say)."""
    out: list[int] = []
    k = first
    while k <= last:
        m = _ANCHOR_KEY.match(lines[k - 1]) if 0 < k <= len(lines) else None
        if not m:
            k += 1
            continue
        column = m.start(1)
        out.append(k)
        k += 1
        while k <= last and k <= len(lines) and (not lines[k - 1].strip() or len(lines[k - 1]) - len(lines[k - 1].lstrip(" ")) > column):
            out.append(k)
            k += 1
    return out or list(range(first, last + 1))


def _paragraph(text: str, s: int, e: int) -> str:
    """The paragraph of a flow's text (between blank lines: a list item, a heading) around [s, e), normalised."""
    breaks = [m.end() for m in _BLANK_LINE.finditer(text, 0, s)]
    after = _BLANK_LINE.search(text, e)
    return normal(text[breaks[-1] if breaks else 0 : after.start() if after else len(text)])


def _same_place(old: str, os: int, oe: int, new: str, ns: int, ne: int, width: int = 2 * CONTEXT) -> bool:
    """The same words, with the same text on either side (as far as `width` characters or the ends)."""
    return (old[os:oe] == new[ns:ne] and old[max(0, os - width) : os] == new[max(0, ns - width) : ns]
            and old[oe : oe + width] == new[ne : ne + width])


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter * 2 >= max(a[1] - a[0], b[1] - b[0])


def quote_of(q: Quote) -> Fields:
    return Fields(q.text, q.prefix, q.suffix, q.occurrence)


def normal(text: str | None) -> str | None:
    return normalise(text).strip(" ") if text is not None else None
