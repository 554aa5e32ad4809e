"""Annotations whose passage is not where they were written to point, and where it went.

For each annotation (and `body` bound) of an article: with git, the article as it was when the
annotation's anchoring values last changed (see versions.py) is compared with the text now, and the
passage carried across (align.py); without git, only annotations that no longer anchor (or anchor only on a pull
quote's or a correction's copy of their words) are looked at, in the text alone (search.py). A passage that kept its words but gained or lost a denial beside it is
orphaned (denials.py). `check` and `build` report drift (it anchors, but on another passage) as an error;
`glossator reanchor` reports every finding with a proposal (propose.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..anchoring import NormText, anchor, cut_word, find_all, normalise
from ..anchorhints import corrected_copy, in_a_correction
from .align import Alignment, Resolution
from .denials import denial_words, flipped_denials, turned
from .changed import normal
from .likeness import MARKS, QUOTE_MARKS, bare, left_its_neighbours, short, similarity, word_changes, words
from .propose import Fields, propose
from .search import CONTEXT, CONTEXT_MIN, MARGIN, context_score, look_alike, search
from .versions import ArticleVersions, Target


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
    reversal: bool = False  # orphaned because its passage's sense was reversed (a negation or denial added or removed,
    # a word replaced by its opposite): its place is known
    withdrawn: bool = False  # and those words are a correction's, that quote it as an earlier version's ("An earlier
    # version of this article said …")
    waits: bool = False  # it does not anchor, and waits on a body bound that has no certain place (reanchor says so;
    # check says the bound, and the annotation's own error)


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


def _edges(old: str, os: int, oe: int) -> tuple[bool, bool]:
    """Whether the old text began (ended) within CONTEXT characters before (after) the passage [os, oe): the context
    known on that side is cut short by the edge, and a short quote's place must be as near the edge now."""
    return os < CONTEXT, oe + CONTEXT > len(old)


def _plain(text: str) -> str:
    return " ".join(text.split())


class ArticleCheck(ArticleVersions):
    """The findings of one article, with or without its history."""

    def line(self, s: int) -> int:
        return self.flow.line_at(self.norm.start(s))

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
                origin = self.origin(sha)
                align = self.alignment(blob, old_norm.text)
                res = align.carry(os, oe)
                if res.status == "orphaned" and not res.final:
                    res = self._step_by_step(sha, blob, os, oe) or res
                if (res.status == "orphaned" and not res.final) or (res.status != "orphaned" and not (lo <= res.start and res.end <= hi)):
                    span = align.word_range(os, oe, True)
                    was, needle = _paragraph(old_flow.text, then.match.start, then.match.end), normal(f.quote)
                    causes = (  # why a place [s, e) the search may take is another passage: the first that holds
                        ("text that was there before", lambda s, e: align.foreign(s, e, *span)),
                        ("a copy of its old words while its own sentence was reworded where it stood",
                         lambda s, e: align.copy_of_reworded(s, e, old_norm.text[os:oe], span[0])),
                        ("a sentence whose words beside it traded places with another sentence's",
                         lambda s, e: align.sentence_traded(os, oe, s, e)),
                        ("words that traded places with the words beside it (under a question, a speaker, a row's name)",
                         lambda s, e: align.traded(os, oe, s, e)),
                        ("a copy of its words under another heading", lambda s, e: align.under_another_heading(os, oe, s)),
                        ("a row of a table its sentence was made into, its names and figures traded between the rows",
                         lambda s, e: align.rows_traded(os, oe, s, e)),
                        ("a copy of its words, while the word that stood before it stands before other words now",
                         lambda s, e: align.left_its_neighbour(os, oe, s)),
                        ("the same words further along its own paragraph, while another word of it took their place "
                         "(figures traded within it)",
                         lambda s, e: _traded_inside(old_flow.text, then.match.start, then.match.end, self.flow.text,
                                                     norm.start(s), norm.end(e), needle)))
                    res = search(norm, lo, hi, f.quote, old_norm.text[max(0, os - CONTEXT) : os],
                                 old_norm.text[oe : oe + CONTEXT], os / max(len(old_norm.text), 1),
                                 foreign=(lambda s, e: next((why for why, holds in causes if holds(s, e)), None)) if span else None,
                                 edges=_edges(old_norm.text, os, oe) if short(f.quote) else (False, False))
                if res.status != "orphaned" and not (now_span == (res.start, res.end) and _one_side_kept(
                        old_norm.text, os, oe, norm.text, *now_span)):
                    res = self._through_versions(sha, blob, os, oe, res)  # (the same words with the same words on one
                    # side: put back where they stood, whatever the commits between did)
            elif now_span and (missed := self._missed_then(f, old_norm, (olo, ohi), blob, now_span)):
                res, near = missed
                old_line = old_flow.line_at(old_norm.start(near))
                origin = self.origin(sha)
        if res is None:  # the text alone
            if now.match and not (res := self._only_in_a_pull_quote(f, now_span, lo, hi) or self._only_in_a_correction(now_span)
                                  or self._count_corrected(f)):
                return None
            if res is None:
                copies = self._copies(f, lo, hi) if now.problem == "ambiguous" else None
                repeated = f.occurrence is not None or (now.problem == "ambiguous" and not copies)  # it had repeats when written
                res = search(norm, lo, hi, f.quote, f.prefix, f.suffix, was_repeated=repeated, written=True, copies=copies)
        flipped, carried = frozenset(), (res.start, res.end)
        if res.status != "orphaned" and past is not None and then.match:
            flipped = flipped_denials(align, (old_flow.text, old_norm, os, oe), (self.flow.text, norm, res.start, res.end))
            if not flipped and in_a_correction(norm.text, res.start) is not None and in_a_correction(old_norm.text, os) is None:
                flipped = frozenset({"earlier version"})  # (a correction whose opening words its sentence's own
                # reading leaves out: "This article was originally headlined: [Q]")
            if flipped:  # "would ask the court" -> "would not ask the court", "said that" -> "denied that",
                # "… died." -> "reports that … died were wrong": the quote is the same, its sense is not
                res = Resolution("orphaned", kept=res.kept, how=res.how, final=True, runner_up=(
                    "its words now stand in a correction that quotes them from an earlier version of the article "
                    "(\"An earlier version … said\"): they are the words withdrawn, and the passage itself may be gone or "
                    "reworded; re-read it and set the quote by hand" if "earlier version" in flipped else
                    "a word written right before it now gives it as a former value or wording (\"(was …\", "
                    "\"previously\", \"down from\"): the passage may be what was, not what is; re-read it and set the "
                    "quote by hand" if flipped == {"former value"} else
                    f"a negation or denial was added or removed beside it ({', '.join(sorted(flipped))}): the passage may "
                    "now say the opposite of what the note was written for; re-read it and set the quote by hand"))
        if res.status != "orphaned" and now_span and (now_span == (res.start, res.end) or
                                                        res.status == "moved" and _same(now_span, (res.start, res.end))):
            return None  # (edited where it stands: the quote still matches, inside words that changed, which is a finding)
        # (never where the quote now matches inside a longer word or number: "14" of "140" is no longer the passage; nor
        # where the words beside it in its sentence traded places with another sentence's)
        known = now_span and past is not None and then.match and not self._cut_since(now_span, old_norm.text, os, oe) \
            and not align.sentence_traded(os, oe, *now_span) and not _traded_inside(
                old_flow.text, then.match.start, then.match.end, self.flow.text, now.match.start, now.match.end, normal(f.quote))
        if known and not flipped and self._trust_now(now_span, res, old_norm.text, os, oe, align):
            return None
        if known and res.status == "orphaned" and not res.final and self._moved_whole(f.quote, old_flow, old_norm, then.match, now.match):
            return None
        sense = bool(flipped) and now_span is not None and carried is not None and _same(now_span, carried)
        return self._finding(target, res, now_span, old_line, origin, (lo, hi), sense, "earlier version" in flipped,
                             bool(flipped) and "earlier version" not in flipped)

    def _only_in_a_pull_quote(self, f: Fields, now_span: tuple[int, int], lo: int, hi: int) -> Resolution | None:
        """Without git: orphaned, when a quote written without prefix, suffix or occurrence (it stood once) now matches
        only a paragraph of its own in quotation marks, all of it (a pull quote: "“… shortly before the fire.”"), while a passage
        elsewhere reads almost the same. A correction that kept the old words in a pull quote and changed them in the
        text leaves the note on the copy; nothing in the text alone tells which one it was written for. None otherwise."""
        if self.history is not None or f.prefix or f.suffix or f.occurrence is not None:
            return None
        s, e = now_span
        marks = " \"'«»"  # (normalised: curly quotes are straight)
        alone = _paragraph(self.flow.text, self.norm.start(s), self.norm.end(e))
        if len(alone) < 2 or alone[0] not in marks or alone[-1] not in marks or alone.strip(marks) != normal(f.quote).strip(marks):
            return None
        other = look_alike(self.norm, lo, hi, f.quote, s, e)
        if other is None:
            return None
        return Resolution("orphaned", kept=other[0], how="text", final=True, runner_up=(
            f"its words stand only in a paragraph of their own (a pull quote, line {self.line(s)}), while line "
            f"{self.line(other[1])} reads almost the same (quote {other[0]:.0%}): the passage may have been corrected and "
            "its old words kept in the pull quote; nothing in the text alone tells which one the note was written for, "
            "so set the quote by hand"))

    def _count_corrected(self, f: Fields) -> Resolution | None:
        """Without git: orphaned, when a quote told from its copies by `occurrence` alone has its words in a correction
        quoting an earlier version (anchorhints.correction_errors says why). None otherwise."""
        if self.history is not None or f.occurrence is None or f.prefix or f.suffix:
            return None
        copy = corrected_copy(self.flow.text, self.norm, f.quote)
        if copy is None:
            return None
        return Resolution("orphaned", how="text", final=True, runner_up=(
            f"occurrence {f.occurrence} is given, and its words stand in a correction that quotes an earlier version of "
            f"the article (line {self.flow.line_at(copy[0])}): the copy corrected may be the one the occurrence counted; "
            "nothing in the text alone tells which passage the note was written for, so set the quote by hand"))

    def _copies(self, f: Fields, lo: int, hi: int) -> dict[int, str] | None:
        """Without git: for a quote written without prefix, suffix or occurrence (it stood once) that now matches more
        than once, the matches that are copies of it put in since, when every match but one is: words a correction
        quotes from an earlier version ("An earlier version of this article said that [Q]. We regret the error.").
        {start: what copy it is}; None otherwise. The one left, in the article's own prose, is the passage the note was
        written for. (A pull quote is not taken for a copy: without history it stays orphaned, tests/reanchor's
        pull-quote cases.)"""
        if self.history is not None or f.prefix or f.suffix or f.occurrence is not None:
            return None
        needle = normalise(f.quote).strip(" ")
        starts = find_all(self.norm, needle, lo, hi)
        copies = {s: f"a correction quoting an earlier version (line {self.line(s)})" for s in starts
                  if in_a_correction(self.norm.text, s) is not None}
        return copies if copies and len(starts) - len(copies) == 1 else None

    def _only_in_a_correction(self, now_span: tuple[int, int]) -> Resolution | None:
        """With the text alone: orphaned, when the quote now matches only words that a correction quotes from an earlier
        version ("An earlier version of this obituary said she was born in Derby"). A correction keeps the old words
        while the passage itself was reworded, so the note would follow the withdrawn words to the correction (with
        git, flipped_denials finds the same). None otherwise."""
        if in_a_correction(self.norm.text, now_span[0]) is None:
            return None
        return Resolution("orphaned", how="text", final=True, runner_up=(
            f"its words now stand only in a correction that quotes them from an earlier version of the article (line "
            f"{self.line(now_span[0])}): they are the words withdrawn, and the passage itself may be reworded or gone; "
            "re-read the article and set the quote by hand"))

    def _bound_widened(self, s: int, e: int, forward: bool) -> str | None:
        """A body bound's passage [s, e) with up to WIDEN more words of the text (after body.start's, before body.end's:
        the bound's own edge stays where it is), as few as make it occur once in the text; None when none do."""
        ws = words(self.norm.text)
        more = [w for w in ws if w[0] >= e][:WIDEN] if forward else [w for w in ws if w[1] <= s][::-1][:WIDEN]
        for w in more:
            a, b = (s, w[1]) if forward else (w[0], e)
            quote = _plain(self.flow.text[self.norm.start(a) : self.norm.end(b)])
            out = anchor(self.norm, quote)
            if out.match and (self.norm.norm_offset(out.match.start), self.norm.norm_offset(out.match.end)) == (a, b):
                return quote
        return None

    def waiting(self, target: Target, bounds: tuple[int, int], lost: list[str]) -> Finding | None:
        """An annotation that does not anchor in the text now (as check reads it, inside `bounds`), while the body
        bounds `lost` have no certain place: orphaned, waiting on them (where the body is, is where its occurrences are
        counted and its quote must stand, so nothing is proposed for it until they are set). None when it anchors."""
        f = target.fields
        now = anchor(self.norm, f.quote, f.prefix, f.suffix, f.occurrence, bounds)
        if now.match:
            return None
        why = {"ambiguous": f"its quote matches {now.count} places", "occurrence": f"occurrence {f.occurrence} is beyond "
               f"the {now.count} match(es) of its quote", "empty": "its quote is empty"}.get(now.problem, "its quote is not found")
        bound = " and ".join(lost)
        return Finding(self.layer_rel, target.line, target.col, target.id, "orphaned", f, None, None, None,
                       f"orphaned: it no longer anchors ({why} in the text now), and it waits on {bound}, which has no "
                       f"certain place: the body is where its occurrences are counted and its passage must stand; set "
                       f"{bound} first, then run reanchor again", waits=True)

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

    def _missed_then(self, f: Fields, old_norm: NormText, bounds: tuple[int, int], blob, now_span) -> tuple[Resolution, int] | None:
        """For a quote that did not anchor in the text it was written against (a letter's case, a typo) but matches now,
        on words the edit wrote (a correction quoting the old wording): the passage it nearly read there, found as the
        text alone would find it, carried to the text now, and where that passage began in the old text. None when it
        read nowhere near then (an article updated after it was annotated, say), or the words it matches now are not
        new, or are that passage."""
        near = search(old_norm, *bounds, f.quote, f.prefix, f.suffix, written=True)
        if near.status == "orphaned":
            return None
        align = self.alignment(blob, old_norm.text)
        if not align.added(*now_span):
            return None
        res = align.carry(near.start, near.end)
        if res.status != "orphaned" and _same(now_span, (res.start, res.end)):
            return None
        return res, near.start

    def _step_by_step(self, sha: str, key, os: int, oe: int) -> Resolution | None:
        """The passage carried through each version since it was written, in turn, when every step carries it: a
        paragraph moved in one commit and corrected in the next, which the two texts aligned at once cannot follow.
        None when there is no version between, or a step loses it."""
        stepped = self.step_by_step(sha, key, os, oe)
        if stepped is None or stepped[1] is not None:
            return None
        res = stepped[0]
        return Resolution(res.status, res.start, res.end, res.kept, how="history",
                          scores="carried through each version since, one by one")

    def _through_versions(self, sha: str, key, os: int, oe: int, res: Resolution) -> Resolution:
        """`res` (the passage carried from the version it was written against straight to the text now) when the
        versions between agree: carried through each in turn, it lands on the same place. Orphaned when a commit
        between lost it (deleted: the words found now are another passage's, a look-alike) or the steps lead
        elsewhere."""
        stepped = self.step_by_step(sha, key, os, oe)
        if stepped is None:
            return res
        got, lost_at = stepped
        if lost_at is None and _same((got.start, got.end), (res.start, res.end)):
            return res
        if lost_at is None:
            said = (f"the commits since it was written, read one by one, lead to line {self.line(got.start)}, not to "
                    f"line {self.line(res.start)}: no place is certain")
        else:
            commit = self.history.commits.get(lost_at)
            when = f"commit {lost_at[:7]}" + (f" ({commit.date.isoformat()})" if commit else "") if lost_at else "the changes not yet committed"
            said = (f"the commits since it was written, read one by one, lose the passage at {when}: the words at line "
                    f"{self.line(res.start)} may be another passage that reads alike")
        return Resolution("orphaned", kept=res.kept, how=res.how, final=True, runner_up=said)

    def _cut_since(self, now_span, old: str, os: int, oe: int) -> bool:
        """Whether the place the fields anchor on now falls inside a word or a number ("14" of "140") where the passage
        the annotation was written for did not: the edit made it part of another word or figure."""
        return bool(cut_word(self.norm.text, *now_span)) and not cut_word(old, os, oe)

    def _trust_now(self, now_span, res: Resolution, old: str, os: int, oe: int, align: Alignment) -> bool:
        """Whether the place the fields anchor on now is as much the passage as the one carried:
        its surroundings agree with the old ones as well (drift is said only on clear evidence).
        Never when the words it lands on now were in the old text already, elsewhere: that is another
        passage for certain (in a list of look-alike lines, its surroundings agree all the same); nor when
        the edit wrote them, while the passage is found elsewhere (a repeat added beside it); nor when its whole
        sentence, once in either text, says where it went; nor when they are a copy of its old words while its own
        sentence was reworded where it stood (a pull quote), or a copy under another heading, or a row of a table its
        sentence was made into, whose figures traded rows; nor when they stand in a correction that quotes an earlier
        version's words, the passage not ("An earlier version … said that [its old sentence]", its context and all)."""
        span = align.word_range(os, oe, True)
        if in_a_correction(self.norm.text, now_span[0]) is not None and in_a_correction(old, os) is None:
            return False
        if res.sure or span is not None and (align.foreign(*now_span, *span) or align.copy_of_reworded(*now_span, old[os:oe], span[0])
                                             or align.under_another_heading(os, oe, now_span[0])
                                             or align.rows_traded(os, oe, *now_span)):
            return False
        if res.status != "orphaned" and align.added(*now_span):
            return False
        if res.status == "edited" and _same(now_span, (res.start, res.end)):
            return False  # the passage itself, edited: the quote still matches there, inside changed words
        before, after = old[max(0, os - CONTEXT) : os], old[oe : oe + CONTEXT]
        here = context_score(self.norm.text, *now_span, before, after) or 0.0
        if res.status == "orphaned" and not res.final and align.laid_out(os, oe, *now_span):
            return True  # (its sentence made a list or a table in its place, the quote standing in it)
        if res.status == "orphaned":  # (the history could not place it: look-alikes, say)
            if short(old[os:oe]):  # (a short quote has but its context: a side the text's edge cut short is one here too)
                here = context_score(self.norm.text, *now_span, before, after, _edges(old, os, oe)) or 0.0
            return not res.final and here >= CONTEXT_MIN
        there = context_score(self.norm.text, res.start, res.end, before, after) or 0.0
        return there - here < MARGIN

    def _moved_whole(self, quote: str, old_flow, old_norm: NormText, then, now) -> bool:
        """Whether a quote found once then and once now stands in the same paragraph (a list item, say), moved
        whole: most of the paragraph's words came along with it (list items re-ordered), and it reads more like
        that one than like any other old paragraph. Then it is the passage."""
        needle = normal(quote)
        if len(find_all(old_norm, needle, 0, len(old_norm.text))) != 1 or len(find_all(self.norm, needle, 0, len(self.norm.text))) != 1:
            return False
        was, there = _paragraph(old_flow.text, then.start, then.end), _paragraph(self.flow.text, now.start, now.end)
        olds = [normal(p) for p in _BLANK_LINE.split(old_flow.text)]
        news = [normal(p) for p in _BLANK_LINE.split(self.flow.text)]  # (see left_its_neighbours)
        if olds.count(was) == 1 and news.count(there) == 1 and left_its_neighbours(olds, olds.index(was), news, news.index(there)):
            return False
        was_line, line = _line(old_flow.text, then.start, then.end), _line(self.flow.text, now.start, now.end)
        if was_line != was and any(similarity(other, line) > similarity(was_line, line)
                                   for other in (normal(x) for x in old_flow.text.splitlines()) if other != was_line):
            return False  # a paragraph of lines (a results table, a list without blank lines): the quote left its own
            # line for one that reads more like another old line ("Rovers 2-1 United" corrected to 3-1, the old score
            # now written in "Town 2-1 City"): it moved within the block, not with it
        i, j = was.find(needle), there.find(needle)
        if i >= 0 and j >= 0 and not _line_whole(was_line, line, was, needle) and was[:i].split()[-2:] != there[:j].split()[-2:] and \
                was[i + len(needle):].split()[:2] != there[j + len(needle):].split()[:2]:
            return False  # its paragraph stayed, but it stands among other words in it: the edit wrote it there, while
            # its own words were rewritten ("Exercise improves it [4]." -> "Diet matters too [4]. Exercise improves it
            # [5]."): a copy, not the passage moved with its paragraph
        alike = similarity(was, there)
        if _line_whole(was_line, line, was, needle):  # (its block's lines re-sorted: compare them in any order)
            alike = max(alike, similarity(*(" ".join(sorted(_block(t, a, b).splitlines())) for t, a, b in (
                (old_flow.text, then.start, then.end), (self.flow.text, now.start, now.end)))))
        # (not when another old paragraph reads as much like it: a paragraph of a template, one per region, whose
        # figures were swapped with another's, is that other paragraph edited)
        return alike >= WHOLE and all(similarity(p, there) < alike for p in olds if p != was)

    def _finding(self, target: Target, res: Resolution, now_span, old_line, origin, bounds, sense: bool = False,
                 withdrawn: bool = False, reversal: bool = False) -> Finding:
        f = target.fields
        drift = now_span is not None
        now_line = self.line(now_span[0]) if now_span else None
        new = None
        status = res.status
        why = ""
        passage = _plain(self.flow.text[self.norm.start(res.start) : self.norm.end(res.end)]) if status != "orphaned" else ""
        if status == "edited" and not target.body:
            gained = denial_words(passage) ^ denial_words(f.quote) if not _clause_cut(f.quote, passage) else frozenset()
            opposite = turned(f.quote, passage)
            reversal = reversal or bool(gained or opposite)
            if gained:  # "did approve" -> "did not approve": the note may now contradict its passage
                status = "orphaned"
                why = (f"a negation or denial was added or removed ({', '.join(sorted(gained))}): the passage may now say the "
                       "opposite of what the note was written for; re-read it and set the quote by hand; ")
            elif opposite:  # "up to 40% lower" -> "up to 40% higher": as much a reversal
                status = "orphaned"
                said, now = (("a comparison was made an equality", "may no longer say") if all(" than -> " in o for o in opposite)
                             else ("a word was replaced by its opposite", "may now say the opposite of"))
                why = (f"{said} ({', '.join(sorted(opposite))}): the passage {now} what the note was written for; re-read "
                       "it and set the quote by hand; ")
        if status != "orphaned":
            if target.body:
                quote = f.quote if status == "moved" else passage
                out = anchor(self.norm, quote)
                new = Fields(quote) if out.match and self.norm.norm_offset(out.match.start) == res.start else None
                if new is None and (wider := self._bound_widened(res.start, res.end, target.id == "body.start")):
                    new, status, passage = Fields(wider), "edited", wider  # (quoted further: a bound occurs once)
                    why = "quoted further, so that it occurs once, as a body bound must: "
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
        was = f"line {old_line}{origin}" if old_line else (f"line {now_line}" if now_line else None)  # None: not known
        if status == "moved":
            reason = f"moved: the same words (the quote is unchanged), {f'from {was} ' if was else ''}to line {new_line}"
        elif status == "edited":
            reason = (f"edited: {why}at line {new_line}{f' (was {was})' if was else ''}, "
                      f"{word_changes(normal(f.quote), normalise(passage))}; " + (  # a body bound has no note
                          f"check that the body still {'starts' if target.id == 'body.start' else 'ends'} there"
                          if target.body else "check the note"))
        else:
            reason = f"orphaned: {why}{res.runner_up}" if res.runner_up else f"orphaned: {why.rstrip('; ') or 'its words are gone'}"
            reason += f" (was {was})" if was else ""
        if drift and sense and withdrawn:
            reason += f"; the quote as written now matches on line {now_line}, in that correction"
        elif drift and (sense or status != "orphaned" and _same(now_span, (res.start, res.end))):
            reason += f"; the quote as written still matches on line {now_line}, inside words that changed"
        elif drift and status == "orphaned":  # (the history cannot place it: nor can it say the place now is another)
            reason += (f"; the quote as written now anchors on line {now_line}, which the "
                       f"{'history' if res.how == 'history' else 'text alone'} cannot confirm is its passage")
        elif drift:
            reason += f"; the quote as written now anchors on line {now_line}, another passage"
        if res.how:
            runner = res.runner_up or ("no runner-up: the alignment with the old text points to this place alone" if res.how == "history" else "")
            reason += f"; found by {res.how}" + (f", {res.scores}" if res.scores and res.scores not in reason else "") + (f"; {runner}" if runner and status != "orphaned" else "")
        return Finding(self.layer_rel, target.line, target.col, target.id, status, f, new, old_line, new_line, reason, drift,
                       now_line, sense, reversal and status == "orphaned", sense and withdrawn)


_BLANK_LINE = re.compile(r"\n\s*\n")
WHOLE = 0.8  # a paragraph moved whole keeps at least this likeness
WIDEN = 12  # words a body bound may be quoted further by, to occur once


_CONJUNCTIONS = frozenset("and but or while although though whereas".split())


def _clause_cut(quote: str, passage: str) -> bool:
    """Whether the passage is the quote with a clause of three words or more cut off its end, after a comma or before
    a conjunction ("I did not read every page, and I did not read that one." -> "I did not read every page."): the
    words kept say what they said, and a negation in the clause cut went with it (no reversal of what is left)."""
    qa = [t for t in normalise(quote).split() if t.strip(MARKS)]
    pb = [bare(t).casefold() for t in normalise(passage).split() if t.strip(MARKS)]
    if len(qa) - len(pb) < 3 or not pb or [bare(t).casefold() for t in qa[: len(pb)]] != pb:
        return False
    return qa[len(pb) - 1].rstrip(QUOTE_MARKS + "\"')").endswith((",", ";", ":", "—", "–")) or bare(qa[len(pb)]).casefold() in _CONJUNCTIONS


def _block(text: str, s: int, e: int) -> str:
    """The paragraph of a flow's text (between blank lines: a list item, a heading) around [s, e), as written."""
    breaks = [m.end() for m in _BLANK_LINE.finditer(text, 0, s)]
    after = _BLANK_LINE.search(text, e)
    return text[breaks[-1] if breaks else 0 : after.start() if after else len(text)]


def _paragraph(text: str, s: int, e: int) -> str:
    """The paragraph of a flow's text around [s, e) (_block), normalised."""
    return normal(_block(text, s, e))


def _traded_within(was: str, there: str, needle: str) -> bool:
    """Whether a quote that stands once in its paragraph (normalised) left its place in it for another, while a word
    of the old paragraph took that place: "Tom, 34, and … Ann, 29." -> "Tom, 29, and … Ann, 34.", "Rovers 58%, United
    42%" -> "Rovers 42%, United 58%". The paragraph did not move whole: figures were traded inside it."""
    if was.count(needle) != 1 or there.count(needle) != 1:
        return False
    i, j = was.find(needle), there.find(needle)
    if i == j:
        return False
    head, tail = was[:i], was[i + len(needle):]
    if head.strip() and there.startswith(head):
        took = there[len(head):].split(" ", 1)[0]
    elif tail.strip() and there.endswith(tail):
        took = there[: len(there) - len(tail)].rsplit(" ", 1)[-1]
    else:
        return False
    took = took.strip(MARKS)
    return bool(took) and took != needle.strip(MARKS) and took in {w.strip(MARKS) for w in was.replace(needle, " ", 1).split()}


def _traded_inside(old: str, os: int, oe: int, new: str, ns: int, ne: int, needle: str) -> bool:
    """_traded_within for the paragraphs of two flows' texts around [os, oe) and [ns, ne): never when the quote's line
    (more than the quote, less than its paragraph) stands whole and unchanged there: lines re-sorted, not words traded."""
    line, was = _line(old, os, oe), _paragraph(old, os, oe)
    if _line_whole(line, _line(new, ns, ne), was, needle):
        return False
    return _traded_within(_paragraph(old, os, oe), _paragraph(new, ns, ne), needle)


def _line_whole(was_line: str, line: str, was: str, needle: str) -> bool:
    """Whether the quote's line (normalised; more than the quote, less than its old paragraph `was`) stands whole and
    unchanged: the lines of its block were re-sorted (a list, a table without blank lines), no words moved in them."""
    return was_line == line and was_line not in (was, needle)


def _line(text: str, s: int, e: int) -> str:
    """The line of a flow's text around [s, e), normalised."""
    end = text.find("\n", e)
    return normal(text[text.rfind("\n", 0, s) + 1 : end if end != -1 else len(text)])


def _same_place(old: str, os: int, oe: int, new: str, ns: int, ne: int, width: int = 2 * CONTEXT) -> bool:
    """The same words, with the same text on either side (as far as `width` characters or the ends); or with the
    same words on either side, only the punctuation and quotation marks between them changed (« » for " ", a comma
    for a dash: the quoted words still stand between the same words)."""
    if old[os:oe] != new[ns:ne]:
        return False
    if old[max(0, os - width) : os] == new[max(0, ns - width) : ns] and old[oe : oe + width] == new[ne : ne + width]:
        return True
    if any(a != b and not (a in _OPEN_EDGE and b in _OPEN_EDGE) for a, b in ((old[os - 1 : os], new[ns - 1 : ns]), (old[oe : oe + 1], new[ne : ne + 1]))):
        return False  # (a sign or a letter now glued to it: "5 degrees" of "-5 degrees" is another figure)
    return (_bare_alike(_bare_words(old, max(0, os - width), os, True), _bare_words(new, max(0, ns - width), ns, True), True)
            and _bare_alike(_bare_words(old, oe, oe + width, False), _bare_words(new, ne, ne + width, False), False))


_OPEN_EDGE = " \"'()[]" + QUOTE_MARKS  # what may stand right beside a passage, changed, and leave it whole
_BARE_LEAST = 4  # words on a side that must read the same (unless the text ends sooner)


def _bare_words(text: str, s: int, e: int, before: bool) -> tuple[list[str], bool]:
    """The whole words of text[s:e] (the one at the window's far edge may be cut: left out) without the punctuation
    around them, none that is punctuation alone; and whether the window reaches the text's end."""
    reaches = s == 0 if before else e >= len(text)
    ws = [text[a:b].strip(MARKS) for a, b in words(text, s, e)]
    if not reaches:
        ws = ws[1:] if before else ws[:-1]
    return [w for w in ws if w], reaches


def _bare_alike(old: tuple[list[str], bool], new: tuple[list[str], bool], before: bool) -> bool:
    """Whether two sides of a passage (`_bare_words`) hold the same words next to it, as many as both windows hold
    (punctuation of another length shifts the far edge by a word), at least _BARE_LEAST or all to the text's end."""
    (a, a_end), (b, b_end) = old, new
    n = min(len(a), len(b))
    if n < _BARE_LEAST and not (a_end and b_end and len(a) == len(b)):
        return False
    return (a[len(a) - n :] == b[len(b) - n :]) if before else a[:n] == b[:n]


def _one_side_kept(old: str, os: int, oe: int, new: str, ns: int, ne: int) -> bool:
    """The same words, with the same text on one side of them (CONTEXT characters, or as far as the text's end)."""
    return old[os:oe] == new[ns:ne] and (old[max(0, os - CONTEXT) : os] == new[max(0, ns - CONTEXT) : ns]
                                         or old[oe : oe + CONTEXT] == new[ne : ne + CONTEXT])


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter * 2 >= max(a[1] - a[0], b[1] - b[0])
