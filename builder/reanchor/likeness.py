"""Words and likeness, as re-anchoring compares texts: a text split into words (a character of a script written
without spaces is one), short quotes, how alike two texts are, how many words they share."""
from __future__ import annotations

import bisect
import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..anchoring import UNSPACED, normalise, seen

SHORT = 20  # a quote shorter than this (characters), or of fewer than 4 words, is matched strictly
_WORD = re.compile(f"[{UNSPACED}]|[^\\s{UNSPACED}]+")  # a run of non-space characters; in a script written
# without spaces (Chinese, Japanese, Thai…) each character is one (a character there carries about a word)
PUNCT = ".,;:!?\"'()[]{}…—–-"  # what may stand around a word without changing it
QUOTE_MARKS = "“”‘’«»‹›„"  # quotation marks beside a word, of any language (« » for " " is punctuation changed)
_QUOTATION = "'\"" + QUOTE_MARKS
_STRAIGHT = str.maketrans(dict.fromkeys(QUOTE_MARKS, '"'))
MARKS = PUNCT + QUOTE_MARKS
UNSPACED_CHAR = re.compile(f"[{UNSPACED}]")
# words that tell no sentence from another ("the union says" is "according to the union")
LIGHT = frozenset("a an the this that these those it its he she they we i you his her their our who whom whose "
                  "which of in on at to for by with from as and or but so is are was were be been has have had will "
                  "would can could may might said say says told tells according added adding stated claimed claims "
                  "reported noted also".split())


def words(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every run of non-space characters in text[lo:hi]."""
    return [m.span() for m in _WORD.finditer(text, lo, len(text) if hi is None else hi)]


def _beside(items: list[str], k: int, step: int) -> str | None:
    """The first item before (step -1) or after (step 1) item k that is not blank, or None."""
    k += step
    while 0 <= k < len(items) and not items[k].strip():
        k += step
    return items[k] if 0 <= k < len(items) else None


def answers_another_question(olds: list[str], i: int, news: list[str], j: int) -> str | None:
    """The question that item i of the old text (a line, a paragraph), now item j of the new, follows now, when it
    followed another question before and this one was already there ("A: No, not until the audit." moved from "Did
    you know?" to "Did the chairman know?"), or its own question still stands, elsewhere, while it follows a new one
    ("A. Yes." under a question put in after "Will you stand again?", which was answered otherwise): an answer says what
    it says of its question. None otherwise (a question reworded over its answer is the same question)."""
    was, now = _beside(olds, i, -1), _beside(news, j, -1)
    if was is None or now is None or was == now or now not in olds and was not in news:
        return None
    return now if all(q.rstrip(" \"')»”’*_").endswith("?") for q in (was, now)) else None  # (**bold** in Markdown)


def left_its_neighbours(olds: list[str], i: int, news: list[str], j: int) -> bool:
    """Whether item i of the old text (a line, a paragraph), now item j of the new, has lost what it said with its
    neighbours: an answer now under another question (answers_another_question), or a line of a few words with
    neither of its old neighbours beside it now ("MR POOLE: Yes.", which may have traded places with another, or each
    been rewritten where it stood; the history cannot tell which)."""
    if answers_another_question(olds, i, news, j) is not None:
        return True
    return short(olds[i]) and all(_beside(olds, i, step) != _beside(news, j, step) for step in (-1, 1))


def short(quote: str) -> bool:
    """Whether a quote is too short to be matched but exactly (a character of a script written without
    spaces counts as two and a half: about a word's worth)."""
    q = normalise(quote).strip(" ")
    tokens = _WORD.findall(q)
    unspaced = sum(len(t) == 1 and UNSPACED_CHAR.match(t) is not None for t in tokens)
    return len(q) + 1.5 * unspaced < SHORT or len(tokens) < 4


def word_span(ws: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    """The first and last index of the words (`words`' spans) touching the character span [s, e), or None."""
    i = bisect.bisect_right([b for _, b in ws], s)
    j = bisect.bisect_left([a for a, _ in ws], e) - 1
    return (i, j) if i <= j else None


def tokens(text: str) -> list[str]:
    """The words of a text as `words` splits it."""
    return _WORD.findall(text)


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _same_words(ta: list[str], tb: list[str]) -> int:
    return sum(op.src_end - op.src_start for op in Indel.opcodes(ta, tb) if op.tag == "equal")


def bare(word: str) -> str:
    """A word without the punctuation around it, but a minus glued to a figure ("-5" is not "5")."""
    core = word.strip(PUNCT)
    if not core:
        return word
    return "-" + core if core[0].isdigit() and word[: word.index(core)].endswith(("-", "−")) else core


def kept_words(a: str, b: str) -> float:
    ta = [_dash(t) for t in tokens(a)]
    return _same_words(ta, [_dash(t) for t in tokens(b)]) / max(len(ta), 1)


SAY_CHANGED = 3  # words changed in a passage that its reason names, at most


def word_changes(quote: str, passage: str) -> str:
    """How a passage's words compare with the quote's: "80% of the quote's words are unchanged, 1 word changed,
    2 added" (words added are said too: all of the quote kept can still be a longer, other sentence). A word
    whose punctuation alone changed ("2025." and "2025,"), or a dash standing alone made a comma, is unchanged;
    one whose case alone changed is unchanged and said apart ("5 recased": a headline put in sentence case). Up to
    SAY_CHANGED words changed are named: '1 word changed ("7" -> "8")'. Characters no reader sees (`seen`) are named."""
    if quote != passage and seen(quote) == seen(passage):
        hidden = sorted({c for c in quote + passage if c not in seen(c)})
        return "the same words, written with other characters no reader tells apart (" + ", ".join(
            f"{unicodedata.name(c, 'a format character').lower()}, U+{ord(c):04X}" for c in hidden) + ")"
    ta, tb = ([bare(t.translate(_STRAIGHT)) for t in tokens(text) if t.strip(PUNCT)] for text in (quote, passage))
    same = added = removed = recased = 0
    pairs = []  # (was, now) of each word changed
    for op in Levenshtein.opcodes([t.casefold() for t in ta], [t.casefold() for t in tb]):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "equal":
            same += n
            recased += sum(ta[op.src_start + k] != tb[op.dest_start + k] for k in range(n))
        else:
            pairs += zip(ta[op.src_start : op.src_end], tb[op.dest_start : op.dest_end])
            added += max(m - n, 0)
            removed += max(n - m, 0)
    changed = len(pairs)
    named = " (" + ", ".join(f'"{a}" -> "{b}"' for a, b in pairs) + ")" if 0 < changed <= SAY_CHANGED else ""
    said = [f"{count} {what}" for count, what in ((changed, "changed" + named), (added, "added"), (removed, "removed"),
                                                    (recased, "recased")) if count]
    if said:
        said[0] = said[0].replace(" ", " word " if said[0].split()[0] == "1" else " words ", 1)
    elif quote != passage:
        said = ["only its punctuation or spacing changed"]
    return ", ".join([f"{same / max(len(ta), 1):.0%} of the quote's words are unchanged", *said])


_DASH = re.compile("-{2,}|[–—]")


def _dash(word: str) -> str:
    """A word with its dashes, of whatever kind ("-", "–", "—", "--"), as one mark: house style, not a change
    ("trust--which" and "trust—which"; a dash standing alone)."""
    return _DASH.sub("-", word)


def change_runs(quote: str, passage: str) -> int:
    """In how many places a passage's words differ from the quote's (runs of words changed, added or removed; case
    and the punctuation around a word aside): a correction changes one place, a sentence that only reads alike
    ("the library … a long debate", "the swimming pool … a short debate") several."""
    ta, tb = ([_dash(bare(t.translate(_STRAIGHT))).casefold() for t in tokens(text) if t.strip(PUNCT)]
              for text in (quote, passage))  # (a dash standing alone, made a comma, is punctuation too: "The plan —
    # approved in May — will", "The plan, approved …"; and quotation marks of any language on a word)
    tags = [op.tag != "equal" for op in Levenshtein.opcodes(ta, tb)]
    return sum(1 for k, changed in enumerate(tags) if changed and (k == 0 or not tags[k - 1]))  # (a word replaced, then
    # one added beside it, is one place: "a hundred" for "100")


def repunctuated(a: str, b: str) -> bool:
    """Whether b is a with only its punctuation changed: the same words, case and all, in the same order, each with
    the punctuation around it aside, and a dash or other mark standing alone left out ("The plan — approved in May —
    will" and "The plan, approved in May, will")."""
    ta, tb = ([bare(t.translate(_STRAIGHT)) for t in tokens(text) if t.strip(PUNCT)] for text in (a, b))
    return ta == tb  # (quotation marks of any language on a word are punctuation too: «a betrayal» is "a betrayal";
    # standing alone, « and » are not: the edges of a quote that held them are not known)


def gained(quoted: str, now: str, cut: int) -> int:
    """How much to leave off the end of `now`, a passage's edge word, where `quoted` (as much of the old word as
    the quote took) and `now` differ in their punctuation at the end only: what `now` gained beyond what it shares
    with `quoted` ("work" and "work;": 1; "2025." and "2025,": 1; a quotation mark restyled, "'We" and "\"We", shares
    it: 0; so does an ellipsis, "now..." and "now…"). Otherwise `cut`, as it was. (The head edge: both reversed.)"""
    core = quoted.rstrip(PUNCT)
    if not core or not now.startswith(core) or now[len(core):].strip(PUNCT):
        return cut
    was, tail = quoted[len(core):], now[len(core):]
    i = j = 0
    while i < len(was) and j < len(tail):
        if was.startswith("...", i) and tail[j] == "…" or tail.startswith("...", j) and was[i] == "…":
            i, j = i + (3 if was[i] == "." else 1), j + (3 if tail[j] == "." else 1)  # (three dots typeset as one)
        elif was[i] == tail[j] or was[i] in _QUOTATION and tail[j] in _QUOTATION:
            i, j = i + 1, j + 1
        else:
            break
    return len(tail) - j


def elsewhere(old: str, text: str, os: int, oe: int) -> bool:
    """Whether `text` stands in the old text outside the passage [os, oe)."""
    return any(not (os <= at and at + len(text) <= oe) for at in occurrences(old, text))
