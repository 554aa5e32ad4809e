"""An article and its annotation file, now and as they were in git: which commit last set each annotation's
anchoring values (from the history of its own lines, renames followed, the values compared as read), the
article's text then, and its alignment with the text now. What `drift.ArticleCheck` compares."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..anchoring import NormText, anchor, norm_text
from ..errors import Problems
from ..history import UNCOMMITTED, History, blob_id
from ..read.content import decode
from ..read.layer import anchors_in
from ..read.text import markdown_flow, text_flow
from .align import Alignment, Resolution
from .changed import article_names, normal
from .lines import LineEdit, source_lines
from .propose import Fields
from .record import Record, text_digest

RECORDED = "record"  # in place of a commit: the version the site's record kept (record.py), without git

_ANCHOR_KEY = re.compile(r" *(?:- +)?(quote|prefix|suffix|occurrence) *:")


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


class ArticleVersions:
    """An article's text and annotation file now, and their versions in git (None: no history); without git, the
    version the site's record kept (`record`, None: the text alone)."""

    def __init__(self, flow, content_rel: str, kind: str, layer_rel: str, history: History | None,
                 content_bytes: bytes, layer_bytes: bytes, record: Record | None = None):
        self.flow, self.content_rel, self.kind, self.layer_rel = flow, content_rel, kind, layer_rel
        self.history, self.content_bytes, self.layer_bytes = history, content_bytes, layer_bytes
        self.record = record if history is None else None  # (with git, git wins)
        self.norm = norm_text(flow.text)
        self.blob = blob_id(content_bytes)
        self.layer_lines = layer_bytes.decode("utf-8", "replace").splitlines()
        self._old: dict = {}  # (blob, kind) -> (flow, normalised text) of an old version
        self._aligned: dict = {}  # (blob, kind) -> Alignment of that version with the text now; (version, version) ->
        # Alignment of one version with a later one
        self._old_lines: dict = {}  # (blob, kind) -> source Lines of that version
        self._line_edits: dict = {}  # (blob, kind) -> LineEdit from that version to the lines now
        self._lines_now = None  # the source Lines now, when first needed
        self._set_in: dict = {}  # target -> the commit that last set its anchoring values
        self._anchors: dict = {}  # blob of an old annotation file -> its anchoring values by id
        self._ids_now: dict[str, tuple] | None = None
        self.unread = False  # git could not read the old versions examining it needs (see site._read_first)

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
        """(commit, file) of the annotation file versions each target's values are compared with first, to read
        them in one batch (`_values_set`): the one that last changed its lines, and the one before it."""
        if self.history is None:
            return []
        steps = []
        for t in found:
            last = self._lines_changed(t)
            steps += [self.layer_version(sha) for sha in ([last] if last not in (None, UNCOMMITTED) else []) + self._older(last)[:1]]
        return steps

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
            return self._recorded(target)
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
        return (last, *self._old[key], key) if self._load(key) else None

    def _recorded(self, target: Target):
        """`written_against` without git: the version the record kept, when the target's anchoring values are still
        those it had then, and the text (or the body bounds) changed since; None otherwise (the text alone)."""
        r = self.record
        if r is None or not r.written_against(target.id, target.fields):
            return None
        if r.digest == text_digest(self.flow.text) and r.body == self.body_at(None):
            return None
        key = (RECORDED, r.kind)
        return (RECORDED, *self._old[key], key) if self._load(key) else None

    def origin(self, sha: str) -> str:
        """The version an annotation was written against, in words."""
        if sha == RECORDED:
            return " of the article as it was when last built (the record kept in .glossator-cache)"
        commit = self.history.commits.get(sha)
        return f" of the article as it was at {sha[:7]}" + (f" ({commit.date.isoformat()})" if commit else "")

    def _load(self, key: tuple[str, str]):
        """(flow, normalised text) of the article version `key` (blob, kind), read once; None when unreadable."""
        if key not in self._old:
            data = self.record.data if key[0] == RECORDED else self.history.read_blobs([key[0]]).get(key[0])
            flow = visible_text(data, key[1]) if data is not None else None
            self._old[key] = (flow, norm_text(flow.text)) if flow is not None else None
            self._old_lines[key] = source_lines(data, flow, self._old[key][1]) if flow is not None else None
        return self._old[key]

    def versions_since(self, sha: str, key: tuple[str, str]) -> list[tuple[str | None, tuple[str, str]]]:
        """(commit, (blob, kind)) of the article in each commit after `sha` that changed it, oldest first, the last
        one the text now (its commit None when it is not committed): the steps from the version `key` it had at
        `sha` to the text now. Empty when there is no version between the two (their alignment is all the history
        says)."""
        h = self.history
        if h is None or sha == UNCOMMITTED or sha not in h.order:
            return []
        now = (self.blob, self.kind)
        later = [c for c in reversed(h.touched.get(self.content_rel, [])) if h.order.get(c, -1) < h.order[sha]]
        h.blobs_at([(c, rel) for c in later for rel, _ in self.article_paths(c)])  # (in one batch; remembered)
        steps, last, committed = [], key, None
        for c in later:
            got = self._article_at(c)
            if got == now:
                committed = committed or c
            elif got[0] is not None and got != last:
                steps.append((c, got))
                last = got
        return steps + [(committed, now)] if steps else []

    def step_by_step(self, sha: str, key: tuple[str, str], os: int, oe: int):
        """The passage [os, oe) of the version `key` (at commit `sha`), carried through each later version of the
        article in turn to the text now: (its Resolution in the text now, None), or (the orphaned step's Resolution,
        the step's commit, or "" for changes not committed) when a step lost it: a passage one commit deleted is not
        the look-alike another wrote. None when there is no version between (or one does not read)."""
        steps = self.versions_since(sha, key)
        if not steps:
            return None
        self.history.read_blobs([step[0] for _, step in steps[:-1] if step not in self._old])  # (in one call)
        s, e, prev = os, oe, key
        for n, (commit, step) in enumerate(steps):
            old = self._load(prev)
            if old is None:
                return None
            if n == len(steps) - 1:  # the text now
                align = self.alignment(prev, old[1].text)
            else:
                align = self._step(prev, step)
                if align is None:
                    return None
            res = align.carry(s, e)
            if res.status == "orphaned":
                return res, commit or ""
            s, e, prev = res.start, res.end, step
        return Resolution(res.status, s, e, res.kept, res.runner_up, res.how), None

    def _step(self, prev: tuple[str, str], step: tuple[str, str]) -> Alignment | None:
        """The alignment of two versions of the article, made once (None when one does not read)."""
        if (prev, step) not in self._aligned:
            old, new = self._load(prev), self._load(step)
            before, after = self._old_lines.get(prev), self._old_lines.get(step)
            self._aligned[prev, step] = Alignment(old[1].text, new[1].text, LineEdit(before, after) if before and after
                                                  else None) if old and new else None
        return self._aligned[prev, step]

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
        if sha == RECORDED:
            return bounds_of(old_norm, *self.record.body)
        then = self.anchors_at(sha) if sha != UNCOMMITTED else None
        if then:
            body = tuple(then[name][0] if name in then else None for name in ("body.start", "body.end"))
        return bounds_of(old_norm, *body)


def _as_read(values: tuple) -> tuple:
    """Anchoring values (quote, prefix, suffix, occurrence) as anchoring compares them (SPEC 4: curly or
    straight quotes, white space): restyling them is no sign the passage was looked at again."""
    return tuple(normal(v) if isinstance(v, str) else v for v in values)


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
