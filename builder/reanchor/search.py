"""Where a passage went, found in the new text alone: each candidate scored apart on the quote, the text
before, the text after and (with history) the position. A candidate wins only with context that agrees and a
clear margin over the runner-up; short quotes must match exactly (or in another house style, names.house_style);
without context, a name or number changed orphans it (see names.py)."""
from __future__ import annotations

import functools
import re

from ..anchoring import NormText, clip, cut_word, find_all, joined, normalise, runs_on
from ..anchorhints import cut_opening, in_a_correction
from .align import LABEL as _LABEL, Resolution
from .denials import DENIAL_NEAR, denial_words
from .likeness import bare, change_runs, gained, kept_words, repunctuated, seen, short, similarity, tokens, words
from .names import house_style, kept_in_every_style, names_changed, restyled, slip_fixed, unaccented, words_replaced

CONTEXT = 40  # characters of context compared on each side of a passage
QUOTE_MIN = 0.8  # a fuzzy candidate's quote similarity, at least
CONTEXT_MIN = 0.6  # the context of a winner agrees at least this much (where context is known)
CARRIED = 0.9  # a passage found only in new text moved there when the text on one side of it came along this much
MARGIN = 0.15  # the winner's score over the runner-up's, at least
LOOKALIKE = 0.75  # without context, no other place may be this close to the quote
PLAIN_WORDS = 0.8  # and keep at least this share of the quote's words (a near twin changes more)
PLAIN_MIN = 0.85  # a fuzzy candidate's quote similarity when no context can confirm it
TOLD_AFTER = 2  # words before a sentence's opening words, now lower case inside another sentence, that took them in


def _side_scores(text: str, s: int, e: int, before: str | None, after: str | None,
                 edges: tuple[bool, bool] = (False, False)) -> tuple[float | None, float | None]:
    """How much the text before and after [s, e) agrees with the known context (None: unknown). `edges`: the context
    on that side is short because the old text began (ended) there, so the place must be as near the edge: its side is
    read CONTEXT characters long (". Diet matters too [4]." is not "." that ended the text)."""
    pre = suf = None
    if before and before.strip(" "):  # no text at all on a side (the start or end): that side is unknown
        want = before.strip(" ")
        n = max(len(want), CONTEXT) if edges[0] else len(want)
        got = text[max(0, s - n - 1) : s].rstrip(" ")[-n:]
        pre = similarity(want, got) if got else None
    if after and after.strip(" "):
        want = after.strip(" ")
        n = max(len(want), CONTEXT) if edges[1] else len(want)
        got = text[e : e + n + 1].lstrip(" ")[:n]
        suf = similarity(want, got) if got else None
    return pre, suf


def context_score(text: str, s: int, e: int, before: str | None, after: str | None,
                  edges: tuple[bool, bool] = (False, False)) -> float | None:
    """How well the text around [s, e) agrees with the context known (None: no context known)."""
    return _context(*_side_scores(text, s, e, before, after, edges))


def _context(pre: float | None, suf: float | None) -> float | None:
    known = [x for x in (pre, suf) if x is not None]
    return sum(known) / len(known) if known else None


def _windows(norm: NormText, lo: int, hi: int, needle: str, wide: bool = False) -> list[tuple[float, int, int, float]]:
    """(similarity, start, end, rank) of the best word-bounded window at each word start (rank: the
    similarity, and a little more for ending and starting as the quote does). `wide` (with history): a long quote's
    window may hold an eighth more words, its sentence updated ("At least 12 … officials said" -> "At least 17 …,
    regional officials said"), the window not cut short of its last word."""
    text = norm.text
    toks = words(text, lo, hi)
    parts = tokens(needle)
    n, first, last = len(parts), parts[0], parts[-1]
    closed_up = sum(1 for p in parts if p in ("-", "–", "—", "--"))  # a spaced dash the text may close up, three words
    # made one ("tunnel - which" is "tunnel—which"): the window may be that many words shorter
    out = []
    for i in range(len(toks)):
        best, rank = None, -1.0
        for size in range(max(1, n - 2 - 2 * closed_up), n + 3 + (n // 8 if wide else 0)):
            j = i + size - 1
            if j >= len(toks):
                break
            s, e = toks[i][0], toks[j][1]
            while e > s + 1 and needle[-1].isalnum() and not text[e - 1].isalnum():
                e -= 1  # punctuation the quote does not end with
            while s < e - 1 and needle[0].isalnum() and not text[s].isalnum():
                s += 1
            if not needle[-1].isalnum() and e > toks[j][0]:  # punctuation it gained past the quote's own: 'see."' for
                e -= gained(last, text[toks[j][0] : e], 0)  # 'see.', a closing quotation mark the quote stood inside
            if _bracket_cut(needle, text[s:e]):
                continue
            score = similarity(needle, text[s:e])
            # among near-equal windows, the one that ends (starts) on the quote's own last (first) word:
            # "summer, officials said." is "summer, a department spokesperson said.", not "summer, a"
            edges = 0.04 * (text[s:e].endswith(last)) + 0.04 * (text[s:e].startswith(first)) + \
                0.1 * (needle[-1] in ".!?" and text[e - 1] == needle[-1]) - \
                0.05 * (size < n and runs_on(text, s, e, norm))  # a quoted sentence ends as one; a window with fewer
            # words than the quote, its phrase running on past it, left out the word that changed ("… close the" of
            # "… close the pool", for "… close the library")
            if score + edges > rank:
                best, rank = (score, s, e, score + edges), score + edges
        if best and best[0] >= QUOTE_MIN - 0.2:
            out.append(best)
    return out


def _bracket_cut(needle: str, place: str) -> bool:
    """Whether the place cuts a pair of brackets the quote has not: it begins after a "(" whose ")" is inside it, or ends
    before the ")" of a "(" inside it ("WHO) said …" of "The World Health Organization (WHO) said …"). A passage's edge
    is not there: the quote's words go on past it."""
    depth = 0
    for ch in place:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return needle.count(")") <= needle.count("(")
    return depth > 0 and needle.count("(") <= needle.count(")")


RESTYLED = 0.99  # the likeness of a place that is the quote in another house style (names.house_style): no word changed
REACH = 5  # words an edge of a place may move to find the quote in another house style ("The World Health Organization (WHO)" for "The WHO")
_EDGE_MOVES = sorted(((a, b) for a in range(-REACH, REACH + 1) for b in range(-REACH, REACH + 1)),
                     key=lambda d: (abs(d[0]) + abs(d[1]), d))  # (start, end) word moves, the smallest first


def _restyled_places(text: str, lo: int, hi: int, needle: str, places: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """The places, each that is the quote in another house style once its edges move by up to REACH words ("The vote was
    held on March" of a window, "… on March 3" the quote's "… on 3 March") taken with those edges, its likeness
    RESTYLED; the others as they were."""
    out, kept = [], kept_in_every_style(needle)
    for q, s, e in places:
        near = text[max(lo, s - 80) : min(hi, e + 80)]
        if any(w not in near for w in kept):  # (a word no house style changes is missing: no edge move can find it)
            out.append((q, s, e))
            continue
        toks = words(text, max(lo, s - 80), min(hi, e + 80))
        i = next((k for k, t in enumerate(toks) if t[1] > s), 0)
        j = next((k for k in range(len(toks) - 1, -1, -1) if toks[k][0] < e), len(toks) - 1)
        found = None
        for di, dj in _EDGE_MOVES:
            a, b = i + di, j + dj
            if 0 <= a <= b < len(toks):
                ps, pe = toks[a][0], toks[b][1]
                while pe > ps + 1 and needle[-1].isalnum() and not text[pe - 1].isalnum():
                    pe -= 1
                while ps < pe - 1 and needle[0].isalnum() and not text[ps].isalnum():
                    ps += 1
                if house_style(needle, text[ps:pe]):
                    found = (RESTYLED, ps, pe)
                    break
        out.append(found or (q, s, e))
    return list(dict.fromkeys(out))


def _places(windows: list[tuple[float, int, int, float]]) -> list[tuple[float, int, int]]:
    """One window per place: the most quote-like of those that overlap (its ends are the quote's
    ends; the context then scores the place, never the choice of its ends)."""
    out: list[tuple[float, int, int]] = []
    for w in sorted(windows, key=lambda w: (-w[3], w[1])):
        if all(w[2] <= o[1] or w[1] >= o[2] for o in out):
            out.append(w[:3])
    return out


def _recased_as_written(needle: str, text: str, s: int, e: int, prefix: str | None, suffix: str | None) -> bool:
    """Whether text[s:e] is the quote but for letter case ("the council said", "the Council said"), and the annotator's own
    prefix and suffix, each given, stand right beside it as written (case aside): they confirm a short quote recased,
    which alone might be a twin that differs in a capital."""
    if text[s:e] == needle or text[s:e].casefold() != needle.casefold() or not (prefix or "").strip(" ") and not (suffix or "").strip(" "):
        return False
    pre, suf = normalise(prefix or "").strip(" ").casefold(), normalise(suffix or "").strip(" ").casefold()
    return ((not pre or text[max(0, s - len(pre) - 2) : s].rstrip(" ").casefold().endswith(pre))
            and (not suf or text[e : e + len(suf) + 2].lstrip(" ").casefold().startswith(suf)))


def _not_as_written(text: str, s: int, e: int, prefix: str | None, suffix: str | None) -> str | None:
    """The annotator's own prefix or suffix, said with what stands there instead, where its words (case and
    punctuation aside) are not all beside [s, e), in order, among as many words and two more: "In the north," written,
    "In the south," there (but "In March," written, "In early March," there, is it). They were written to tell the
    passage from others: one that no longer stands beside it tells nothing, or points at another place."""
    for side, written in (("prefix", prefix), ("suffix", suffix)):
        want = [w.strip(_EDGE).casefold() for w in tokens(normalise(written or ""))]
        want = [w for w in want if w]
        if not want:
            continue
        near = tokens(text[max(0, s - 4 * len(written) - 8) : s]) if side == "prefix" else tokens(text[e : e + 4 * len(written) + 8])
        near = [w for w in (w.strip(_EDGE).casefold() for w in near) if w]
        got = near[-len(want) - 2 :] if side == "prefix" else near[: len(want) + 2]
        rest = iter(got)
        if not all(w in rest for w in want):  # (a subsequence: words added among them, none changed or lost)
            shown = got[-len(want):] if side == "prefix" else got[: len(want)]
            return f'its {side} as written ("{" ".join(want)}") is not beside it: "{" ".join(shown)}" stands there'
    return None


_EDGE = ".,;:!?\"'“”‘’()[]«»—–-…*_|#"  # (what a word's edges may carry that the prefix may not: Markdown's marks too)


def search(norm: NormText, lo: int, hi: int, quote: str, before: str | None, after: str | None,
           where: float | None = None, foreign=None, was_repeated: bool = False, written: bool = False,
           edges: tuple[bool, bool] = (False, False), copies: dict[int, str] | None = None) -> Resolution:
    """The one place in [lo, hi) that is clearly the passage, or orphaned.

    `before`/`after`: the context known (the old text around the passage, or prefix/suffix);
    `where`: the passage's old relative position (0..1), a tie-breaker only; `foreign(s, e)`: with
    history, why a place is another passage that was already there (never a candidate), or None;
    `was_repeated`: the quote had repeats when written (then, without context, nothing is certain); `written`:
    before/after are the annotation's own prefix and suffix, which must stand beside the place word for word; `edges`:
    the context known is short on that side because the old text began (ended) there (see _side_scores); `copies`: the
    text alone's exact matches that are copies of the passage put in since (a correction quoting it, a pull quote),
    {start: what copy}, never candidates."""
    text = norm.text
    needle = normalise(quote).strip(" ")
    if not needle:
        return Resolution("orphaned", how="text")
    how = "text" if foreign is None else "history"
    exact = [(1.0, s, s + len(needle)) for s in find_all(norm, needle, lo, hi) if s not in (copies or ())]
    candidates = (exact or _requoted(text, lo, hi, needle) or _rejoined(norm, lo, hi, needle) or _with_an_aside(text, lo, hi, needle)
                  or _turned(text, lo, hi, needle))
    if not candidates:
        candidates = _restyled_places(text, lo, hi, needle, _places(_windows(norm, lo, hi, needle, foreign is not None)))
        if short(needle):  # (a short quote's words in another house style are its words, as written; with history, a
            # list item's but for its label, "b) Repair the pool." now "2. Repair the pool.", where no passage stood before)
            relabelled = [(q, at, e) for q, s, e in candidates if foreign is not None and (at := _label_before(needle, text, s, e)) is not None]
            candidates = [c for c in candidates if c[0] == RESTYLED or slip_fixed(needle, text[c[1] : c[2]])
                          or written and _recased_as_written(needle, text, c[1], c[2], before, after)] + relabelled
            if not candidates:
                return Resolution("orphaned", how=how, runner_up="the quote is not in the text, and a short quote is only matched exactly")
    found = len(candidates)
    # a place whose edge falls inside a word or a number is not the passage: "14" in "140" is another figure
    cuts = [cut_word(text, s, e) for _, s, e in candidates]
    inside = [said for said in cuts if said]
    candidates = [c for c, said in zip(candidates, cuts) if not said]
    others = []  # (why each place left out is another passage)
    if foreign is not None:
        others = [foreign(s, e) for _, s, e in candidates]
        candidates = [c for c, why in zip(candidates, others) if not why]
    scored = []
    span = max(hi - lo, 1)
    for q, s, e in candidates:
        pre, suf = _side_scores(text, s, e, before, after, edges)
        ctx = _context(pre, suf)
        pos = None if where is None else 1.0 - min(1.0, abs((s - lo) / span - where))
        total = (q if ctx is None else 0.5 * q + 0.5 * ctx) + 0.02 * (pos or 0.0)
        scored.append((total, q, pre, suf, pos, s, e))
    scored.sort(key=lambda t: (-t[0], t[5]))
    if not scored and len(inside) == found > 0:
        return Resolution("orphaned", how=how, runner_up=f"its words now stand only inside {inside[0]}, another word or figure")
    if not scored:
        said = list(dict.fromkeys(why for why in others if why))
        return Resolution("orphaned", how=how, runner_up="no place in the text is close to the quote" if not found else
                          ("the place in the text that reads like it is another passage: " if len(others) == 1 else
                           "the places in the text that read like it are other passages: ") + "; ".join(said))
    best = scored[0]
    rivals = [t for t in scored[1:] if t[6] <= best[5] or t[5] >= best[6]]  # places apart from the winner
    second = rivals[0] if rivals else None
    total, q, pre, suf, pos, s, e = best
    runner = f"runner-up: {_say(second)}" if second else "no runner-up"
    ctx = _context(pre, suf)
    # the same words, once, in text that is new: the passage moved there, when the text that stood on one
    # side of it came along (a copy in a new sentence, a correction quoting the old words, is not it)
    identity = (foreign is not None and q == 1.0 and len(exact) == 1 and second is None and not short(needle)
                and max(pre or 0.0, suf or 0.0) >= CARRIED)
    # the same words but for characters no reader sees (a soft hyphen, a zero-width space, a PDF's "\ufb01" for "fi"):
    # no word changed, so nothing need confirm one; it is edited all the same, its quote now as the text writes it
    unseen = q < 1.0 and (seen(needle) == seen(text[s:e]) or _typeset(needle) == _typeset(text[s:e])
                          or tuple(bare(w).casefold() for w in text[s:e].split(" ")) in _rotations(needle)
                          or _aside_put_in(needle, text[s:e]) or house_style(needle, text[s:e])
                          or short(needle) and slip_fixed(needle, text[s:e]))
    if unseen and seen(text[lo:hi]).count(seen(needle)) == 1:
        second = None  # (once, as a reader sees the text: a place whose words differ is no rival to the same words, no
        # more than to an exact match)
    reason = None
    if q < QUOTE_MIN:
        reason = "nothing in the text is close enough to the quote"
    elif q < 1.0 and short(needle) and not unseen and not (foreign is not None and _relabelled(needle, text[s:e])) and not (
            written and _recased_as_written(needle, text, s, e, before, after)):
        reason = "a short quote is only matched exactly"
    elif identity:
        reason = None  # the same words, once, and not a passage that was there before: this one, moved
    elif ctx is None and (was_repeated or len(exact) > 1):
        reason = "nothing tells the repeats apart (no prefix, suffix or history)"
    elif ctx is None and second is not None and second[1] >= LOOKALIKE:
        reason = "another place reads almost the same, and nothing around them tells them apart"
    elif ctx is None and not unseen and (q < PLAIN_MIN or kept_words(needle, text[s:e]) < PLAIN_WORDS) and not (
            repunctuated(needle, text[s:e]) or _headline_recased(needle, text, s, e) or restyled(needle, text[s:e])):
        reason = "the words changed, and nothing around them confirms the place (no prefix, suffix or history)"
    # (the annotator's own prefix and suffix were written to choose among repeats, not to vouch for words that changed:
    # "Officials said " stands before another town's toll as well)
    elif (ctx is None or written) and not unseen and (runs := change_runs(needle, text[s:e]) + _recased_head(needle, text[s])) > 1:
        reason = (f"its words changed in {runs} places, and nothing around them confirms the place ({_unconfirmed(written)}): "
                  "it may be another sentence that reads alike")
    elif (ctx is None or written) and not unseen and (told := _told_inside(needle, text, s)):
        reason = (f"its words opened a sentence and now stand only inside another, after \"{told}\" "
                  f"({_unconfirmed(written)}): it may be other words repeating the passage (a letter, a report of it), "
                  "its own sentence gone")
    elif (ctx is None or written) and q < 1.0 and not unseen and (edge := _edge_replaced(needle, norm, s, e)):
        reason = (f"its {edge} word is left out, and the text there runs on into another word ({_unconfirmed(written)}): "
                  "a word at its edge changed (a name, a speaker), which the place would hide")
    elif (ctx is None or written) and not unseen and (changed := names_changed(needle, text[s:e])):
        reason = (f"a name or number differs ({changed}), and nothing around it confirms the place ({_unconfirmed(written)}): "
                  "it may be another event told in the same words")
    elif (ctx is None or written and ctx < 1.0) and not unseen and (replaced := words_replaced(needle, text[s:e])):
        # (a prefix or suffix as written, standing beside it word for word, confirms a word corrected)
        differ = "a word differs" if replaced.count('" for "') == 1 else "words differ"
        reason = (f"{differ} ({replaced}: \"{clip(text[s:e], 80)}\"), and nothing around it confirms the place "
                  f"({_unconfirmed(written)}): it may be a sentence that reads alike, its own passage deleted; if it is "
                  "the passage, set the quote by hand")
    elif ctx is not None and ctx < CONTEXT_MIN and not (
            foreign is not None and q < 1.0 and second is None and not short(needle)
            and (change_runs(needle, text[s:e]) == 0 or _relabelled(needle, text[s:e]))):
        # (with history, the words alone, recased or repunctuated, or but a list item's label changed, once in the text,
        # in no passage that was there before: its sentence moved and joined another, the words around it there new,
        # or list items re-ordered; the text alone takes the first too.
        # The quote as it was, word for word, is left to the rules above: a copy, or a bound's drift to say)
        reason = "the text around it is not the text around the passage"
    elif written and (contrary := _not_as_written(text, s, e, before, after)):
        reason = contrary
    elif foreign is None and (framed := _framed(text, s)):
        reason = framed
    elif second is not None and total - second[0] < MARGIN:
        reason = "two places fit almost equally well"
    if reason:
        return Resolution("orphaned", kept=q, runner_up=f"{reason}; best: {_say(best)}; {runner}", how=how, scores=_say(best))
    status = "moved" if q == 1.0 else "edited"
    if copies:
        runner = "the other places its words stand are copies of it: " + "; ".join(copies.values())
    return Resolution(status, s, e, kept_words(needle, text[s:e]), runner, how, _say(best))


_DOUBLE_MARKS = "\"«»„‟"  # double quotation marks of any language (curly ones are straight in normalised text)
_MARK_SPACED = re.compile(f" ?[{_DOUBLE_MARKS}] ?")


_PRIMES = str.maketrans({"\u2032": "'", "\u2033": '"'})  # a prime and a double prime (feet and inches, minutes)
_DASH_SPACED = re.compile(r" (?:--|[-–—]) |[–—]")  # a dash between words (a hyphen only spaced: "self-funded" is a word)
_BROKEN = re.compile(r"(?<=\w)- (?=\w)")  # a word hyphenated at a line's end ("recom-\nmended", normalised)


def _typeset(text: str) -> str:
    """A text as typesetting leaves its words: its double quotation marks all alike, without a space inside them
    ("« réforme »" is "\"réforme\""), a word hyphenated at a line's end joined ("recom- mended" is "recommended"), and
    no marks on its letters ("decision" is "decisión": a text typed without them, its accents put in), an apostrophe
    typed as a modifier letter ("wonʼt") as the apostrophe it looks like, and primes as the typewriter's marks for them
    ("6′4″" is "6'4\""), and a dash between words as one mark, spaced or not ("tunnel - which", "tunnel—which")."""
    text = _DASH_SPACED.sub("—", _MARK_SPACED.sub('"', text.translate(_PRIMES)))
    return unaccented(_BROKEN.sub("", text)).replace("\u02bc", "'")


_ASIDE = " (?:\\([^()]{1,80}\\) )?"  # an aside in brackets put in between two words ("Mary (née Walsh) in 1961")


def _aside_put_in(needle: str, place: str) -> bool:
    """Whether the place is the quote, word for word, with asides in brackets put in between its words ("2-1 (1-0 at
    half-time) with"), and the quote had none (an aside that denies it is left to the denials' rule)."""
    if "(" in needle or place == needle:
        return False
    asides = re.findall(r" (\([^()]{1,80}\))(?= )", place)
    return bool(asides) and re.sub(r" \([^()]{1,80}\)(?= )", "", place) == needle


def _with_an_aside(text: str, lo: int, hi: int, needle: str) -> list[tuple[float, int, int]]:
    """(0.99, start, end) of each place in [lo, hi) that is the quote with asides put in (_aside_put_in)."""
    if "(" in needle or " " not in needle:
        return []
    return [(0.99, m.start(), m.end()) for m in _aside_pattern(needle).finditer(text, lo, hi) if _aside_put_in(needle, m.group())]


@functools.lru_cache(maxsize=256)
def _aside_pattern(needle: str) -> re.Pattern:
    """The quote's words with an aside allowed between each two (_ASIDE), compiled once per quote."""
    return re.compile(_ASIDE.join(re.escape(w) for w in needle.split(" ")))


def _rejoined(norm: NormText, lo: int, hi: int, needle: str) -> list[tuple[float, int, int]]:
    """(0.99, start, end) of each place in [lo, hi) with the quote's words, a word it had hyphenated at a line's end now
    whole ("recom- mended" quoted from a text re-wrapped to "recommended"): no word changed."""
    joined = _BROKEN.sub("", needle)
    return [] if joined == needle else [(0.99, s, s + len(joined)) for s in find_all(norm, joined, lo, hi)]


SAYING = frozenset("said says told added stated insisted claimed warned wrote according confirmed".split())  # verbs of an
# attribution that a sentence may be turned round ("Police said X." -> "X, police said.")
TURNED = 4  # words of an attribution, at most, moved from one end of a sentence to the other


def _rotations(needle: str) -> set[tuple[str, ...]]:
    """The quote's words, bare and lower-cased, with up to TURNED words at one end that hold a verb of saying (its
    attribution) put at the other end: how a sentence reads turned round who said it."""
    ws = [bare(w).casefold() for w in needle.split(" ")]
    out = set()
    if len(ws) < 5:
        return out
    for k in range(1, TURNED + 1):
        for moved, rest in ((ws[:k], ws[k:]), (ws[-k:], ws[:-k])):
            if SAYING & set(moved):
                out.add(tuple(rest + moved) if moved == ws[:k] else tuple(moved + rest))
    return out


def _turned(text: str, lo: int, hi: int, needle: str) -> list[tuple[float, int, int]]:
    """(0.99, start, end) of each place in [lo, hi) that is the quote turned round its attribution (_rotations): its
    very words, recased and repunctuated at the turn ("Police said the driver fell asleep." -> "The driver fell asleep,
    police said."). No word changed; a sentence turned round any other words ("Smith beat Jones") is not this."""
    turns = _rotations(needle)
    if not turns:
        return []
    toks, n, out = words(text, lo, hi), len(needle.split(" ")), []
    for i in range(len(toks) - n + 1):
        s, e = toks[i][0], toks[i + n - 1][1]
        if tuple(bare(w).casefold() for w in text[s:e].split(" ")) in turns:
            while e > s + 1 and needle[-1].isalnum() and not text[e - 1].isalnum():
                e -= 1
            out.append((0.99, s, e))
    return out


def _requoted(text: str, lo: int, hi: int, needle: str) -> list[tuple[float, int, int]]:
    """(0.99, start, end) of each place in [lo, hi) with the quote's very words between other double quotation marks
    (guillemets, German low-high marks, a space inside them or not): SPEC 4 does not take those for its own, but no
    word changed, so re-anchoring may propose the text as it now stands."""
    if '"' not in needle:
        return []
    parts = needle.split('"')
    pattern = re.escape(parts[0])
    for k, part in enumerate(parts[1:], 1):
        opens = k == 1 and not parts[0] or parts[k - 1].endswith(" ")
        pattern += (f"[{_DOUBLE_MARKS}] ?" if opens else f" ?[{_DOUBLE_MARKS}]") + re.escape(part)
    return [(0.99, m.start(), m.end()) for m in re.compile(pattern).finditer(text, lo, hi) if m.group() != needle]


def _edge_replaced(needle: str, norm: NormText, s: int, e: int) -> str | None:
    """"first" or "last" when the place text[s:e] leaves out the quote's first (last) word, the text running on there
    into a word right before (after) it with no punctuation between: that word replaced the quote's ("Reyes said: …"
    found as "said: …" in "Ortiz said: …"). A stretch cut short so would hide the change (not across a paragraph
    break: a heading before it); or its first word a label ("AK:") left out after another. None otherwise."""
    text = norm.text
    qt, wt = ([bare(t).casefold() for t in tokens(x)] for x in (needle, text[s:e]))
    if not qt or not wt or len(wt) >= len(qt):  # (a word respelt in place, "claimed" -> "claim", is no word left out)
        return None
    if qt[0] != wt[0] and qt[0] not in wt and (joined(text, s - 1, norm) or tokens(needle)[0].endswith(":") and
                                                text[max(0, s - 40) : s].rstrip(" ").endswith(":")):
        return "first"  # (or a speaker's label left out where another label stands: "AK: I read …" in "WITNESS: I read …")
    if qt[-1] != wt[-1] and qt[-1] not in wt and joined(text, e, norm):
        return "last"
    return None


def _headline_recased(needle: str, text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is the quote recased ("Council votes to close three libraries" for "Council Votes To Close
    Three Libraries": a headline put in sentence case), starting with the quote's own first letter, and standing alone as
    a headline does: nothing but the end of a sentence, or the text's start, before it; no punctuation after it, and the
    text's end or a capital next. The same words recased inside a sentence ("… as the Council votes to close three
    libraries, …"), or starting one that runs on, may be another passage: not this."""
    if text[s:e] == needle or text[s] != needle[0]:
        return False
    if [bare(t).casefold() for t in tokens(needle)] != [bare(t).casefold() for t in tokens(text[s:e])]:
        return False
    head = text[max(0, s - 8) : s].rstrip(" ").rstrip("\"'”’)")  # (one space at most, and a closing quote)
    tail = text[e:]
    return (not head or head[-1] in ".!?") and (not tail.strip(" ") or tail[:1] == " " and tail[1:2].isupper())


def _recased_head(needle: str, first: str) -> int:
    """1 when the place's first letter is the quote's in the other case: a sentence's start now inside another
    sentence ("The ward …" found in "Last winter the ward …"), or the other way: words before it changed, one more
    place where its words changed (case aside, `change_runs` does not count it). 0 otherwise."""
    head = needle[:1]
    return int(head.isalpha() and head != first and head.casefold() == first.casefold())


_JOINING = frozenset("and but or nor so yet though although while whereas as because since when after before then".split())


def _told_inside(needle: str, text: str, s: int) -> str | None:
    """The words before the place at `s` in its sentence (TOLD_AFTER of them at least), when the quote opened a sentence
    and its first letter is now lower case there, right after a word (no punctuation, no word that joins sentences): its
    words taken into another's clause ("A reader writes: I hear [the council will …]"). None otherwise."""
    if not _recased_head(needle, text[s]) or not needle[0].isupper():
        return None
    head = text[max(0, s - 200) : s]
    head = head[max(head.rfind(". "), head.rfind("? "), head.rfind("! "), head.rfind(": ")) + 1 :].split()
    if len(head) < TOLD_AFTER or not head[-1][-1:].isalnum() or head[-1].casefold() in _JOINING:
        return None  # (sentences joined: "… on Friday, and [the roads …]", "Of 2,140 patients randomised, [most …]")
    return " ".join(head)


def _relabelled(quote: str, there: str) -> bool:
    """Whether `there` is the quote with only its first word, a list item's label, changed ("2. An end to …" now
    "1. An end to …": the items re-ordered or renumbered)."""
    a, b = tokens(quote), tokens(there)
    return (len(a) == len(b) > 1 and a[0] != b[0] and bool(_LABEL.fullmatch(a[0])) and bool(_LABEL.fullmatch(b[0]))
            and a[1:] == b[1:])


def _label_before(needle: str, text: str, s: int, e: int) -> int | None:
    """Where the place [s, e) starts when it is the quote relabelled ("3. Stir well." for "2. Stir well."), or when the word
    before it is a list item's label that makes it so ("Repair the pool." found for "b) Repair the pool.", "2. " before
    it); None otherwise."""
    if _relabelled(needle, text[s:e]):
        return s
    label = text[max(0, s - 8) : s].rsplit(" ", 2)
    at = s - len(label[-2]) - 1 if len(label) > 1 and label[-1] == "" else None
    return at if at is not None and at >= 0 and _relabelled(needle, text[at:e]) else None


def _framed(text: str, s: int) -> str | None:
    """For the text alone, which cannot tell what stood beside a passage before: what, before the words found at `s`
    in their sentence, says they are withdrawn or denied (a correction quoting the old wording, "An earlier version
    said that …"; a denial, "denied reports that …"), said; None when nothing does. The words the quote was written
    for may stand there as an earlier version, or as what is denied, the passage itself gone."""
    said = in_a_correction(text, s)
    if said is not None:
        return (f"it stands in a correction that quotes an earlier version of the article ({cut_opening(said)}): "
                "those may be the words withdrawn, the passage gone")
    head = text[max(0, s - 200) : s]
    head = head[max(head.rfind(". "), head.rfind("? "), head.rfind("! "), head.rfind(": ")) + 1 :]
    denied = denial_words(" ".join(head.split()[-DENIAL_NEAR:]))
    if denied:
        return (f"a denial or negation stands before it in its sentence ({', '.join(sorted(denied))}), and nothing tells "
                "whether it stood there before (no history): the place may say the opposite of the passage")
    return None


def _unconfirmed(written: bool) -> str:
    return "no history, and a prefix or suffix only tells repeats apart" if written else "no prefix, suffix or history"


def _say(t) -> str:
    """Scores of a candidate, in words: quote, before, after, position."""
    parts = [f"quote {t[1]:.0%}"]
    parts += [f"{name} {v:.0%}" for name, v in (("before", t[2]), ("after", t[3]), ("position", t[4])) if v is not None]
    return ", ".join(parts)


def look_alike(norm: NormText, lo: int, hi: int, quote: str, s: int, e: int) -> tuple[float, int, int] | None:
    """(similarity, start, end) of the place in [lo, hi), apart from [s, e), that reads most like the quote without
    being it, when it reads almost the same (at least PLAIN_MIN, most of its words kept); None otherwise."""
    needle = normalise(quote).strip(" ")
    if not needle or short(needle):
        return None
    apart = [w for w in _places(_windows(norm, lo, hi, needle)) if w[2] <= s or w[1] >= e]
    best = max(apart, default=None)
    if best is None or best[0] < PLAIN_MIN or best[0] == 1.0 or kept_words(needle, norm.text[best[1] : best[2]]) < PLAIN_WORDS:
        return None
    return best

