"""What to say when a quote does not anchor: the passage of the text most like it ("did you mean"), and, in
Markdown, the quote as a reader sees it when it was copied with its markup."""
from __future__ import annotations

import difflib
import html
import re
import unicodedata

from .anchoring import UNSPACED, Match, NormText, anchor, clip, find_all, norm_text, normalise, runs_on, seen


def closest(norm: NormText, quote: str, lo: int, hi: int, threshold: float = 70.0) -> Match | None:
    """The passage of the text most like the quote, if one is close: for "did you mean"."""
    needle = normalise(quote).strip(" ")
    if not needle or hi <= lo:
        return None
    try:
        from rapidfuzz import fuzz
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency
        return None
    hay = norm.text[lo:hi]
    at = _in_other_capitals(needle, hay)
    if at >= 0:  # (the fuzzy alignment below weighs each capital as another letter: "COST WAS ONE…" found nothing)
        return Match(norm.start(lo + at), norm.end(lo + at + len(needle)))
    if (span := _seen_at(needle, hay)) is not None:  # (the fuzzy alignment weighs a soft hyphen as a letter: a
        # look-alike sentence without them came closer)
        return Match(norm.start(lo + span[0]), norm.end(lo + span[1]))
    result = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=threshold)
    if result is None:
        return None
    s, e = lo + result.dest_start, lo + result.dest_end
    while s < e and norm.text[s] == " ":  # an alignment may begin or end on the space between words
        s += 1
    while e > s and norm.text[e - 1] == " ":
        e -= 1
    while s > lo and not _word_starts(norm.text, s) and e - s < len(needle) + 20:  # widen to word ends
        s -= 1
    while e < hi and not _word_ends(norm.text, e) and e - s < len(needle) + 40:
        e += 1
    s, e = _best_words(norm.text, needle, s, e, lo, hi, fuzz.ratio)
    if not norm.text[s:e].strip():  # white space alone (a text of blank lines) is like no quote
        return None
    if fuzz.ratio(needle, norm.text[s:e]) < threshold:  # the whole words found must be close too: a few letters
        return None  # of the quote inside other words ("the re" in "says the reply" for "nothere") are not
    return Match(norm.start(s), norm.end(e))


def _seen_at(needle: str, hay: str) -> tuple[int, int] | None:
    """Where the text has the quote's very words as a reader sees them (`seen`), once, written with characters the
    quote has not or without some it has; None otherwise."""
    want = seen(needle)
    if not want or want == needle and seen(hay) == hay:
        return None
    flat, where = [], []
    for i, c in enumerate(hay):
        for d in seen(c):
            flat.append(d)
            where.append(i)
    text = "".join(flat)
    at = text.find(want)
    if at < 0 or text.find(want, at + 1) >= 0:
        return None
    return where[at], where[at + len(want) - 1] + 1


def _in_other_capitals(needle: str, hay: str) -> int:
    """Where the text has the quote's very words in other capitals (a quote typed in lower case, or copied from
    a headline in capitals), not inside a longer word, nor a hyphenated one ("violent" in "non-violent" says the
    opposite), or -1. Only where lower-casing keeps every length, so that places stay places."""
    low, folded = needle.lower(), hay.lower()
    if not any(c.isalpha() for c in needle) or len(low) != len(needle) or len(folded) != len(hay):
        return -1
    found = re.search(("(?<!\\w)(?<!\\w-)" if needle[0].isalnum() else "") + re.escape(low)
                      + ("(?!\\w)(?!-\\w)" if needle[-1].isalnum() else ""), folded)
    return found.start() if found else -1


def _best_words(text: str, needle: str, s: int, e: int, lo: int, hi: int, ratio) -> tuple[int, int]:
    """The stretch of whole words, around [s, e), most like the needle. The alignment above is as long
    as the needle, so where the text says more ("the negotiations" for "the talks") it cuts off words at
    one end: a suggestion must be a quote to paste, whole."""
    from .reanchor.names import as_figures  # (here: a build whose articles anchor never loads rapidfuzz, 35 ms)

    figures = as_figures(needle) if any(c.isdigit() for c in needle) else None
    reach = max(10, len(needle) // 3) + (FIGURE_REACH if figures else 0)
    starts = [i for i in range(max(lo, s - reach), min(e, s + reach) + 1) if i == lo or _word_starts(text, i)]
    ends = [j for j in range(max(s, e - reach), min(hi, e + reach) + 1) if j == hi or _word_ends(text, j)]
    # the nearest cuts only: where every character is a word (Chinese), all of them would be thousands of pairs
    starts, ends = sorted(starts, key=lambda i: abs(i - s))[:_CUTS], sorted(ends, key=lambda j: abs(j - e))[:_CUTS]
    words = len(needle.split())

    def score_of(i: int, j: int) -> float:  # (a stretch of fewer words, cut short inside a phrase, left out what changed;
        # a figure spelt otherwise, "8%" as "eight per cent", is as like as the figure)
        alike = ratio(needle, text[i:j]) if figures is None else max(ratio(needle, text[i:j]), ratio(figures, as_figures(text[i:j])))
        return alike - 5 * (len(text[i:j].split()) < words and runs_on(text, i, j))

    best = (score_of(s, e), s, e)
    for i in starts:
        for j in ends:
            score = score_of(i, j) if j > i else 0
            if score > best[0]:
                best = (score, i, j)
    return best[1], best[2]


_CUTS = 30  # word starts (and ends) tried on each side of an alignment
FIGURE_REACH = 12  # characters further a stretch may reach for a quote with a figure in it ("8%", "eight per cent")


def _word_starts(text: str, i: int) -> bool:
    """Whether a word starts at text[i]: after a space, or at or after a character of a script written without
    spaces (Chinese, Japanese, Thai…), each of which is a word."""
    return i < len(text) and text[i] != " " and (text[i - 1] == " " or bool(_UNSPACED.match(text[i - 1] + text[i])))


def _word_ends(text: str, j: int) -> bool:
    """Whether a word ends right before text[j] (the same cuts as _word_starts)."""
    return j > 0 and text[j - 1] != " " and (text[j] == " " or bool(_UNSPACED.match(text[j - 1] + text[j])))


def as_seen(article, norm: NormText, q, bounds: tuple[int, int]) -> str:
    """In Markdown the text compared is what a reader sees (SPEC 4): the quote to write instead of one copied
    from the source with its markup, or of one with a picture's alt text in it; or ""."""
    if article.kind != "md":
        return ""
    return _without_markup(article, norm, q, bounds) or _without_pictures(article, norm, q, bounds)


def _without_markup(article, norm: NormText, q, bounds: tuple[int, int]) -> str:
    """A quote copied from the source, markup and all (`[a link](https://…)`, `**bold**`), is found once its
    markup is read as Markdown."""
    if not re.search(r"[*_`\[\]<>#~\\&]", q.text):
        return ""
    from .read.text import markdown_flow

    seen = " ".join(markdown_flow(q.text).text.split())
    found = anchor(norm, seen, q.prefix, q.suffix, q.occurrence, bounds) if seen and seen != " ".join(q.text.split()) else None
    if found is None or not found.match:
        return ""
    return (f'; in Markdown, quote the words as a reader sees them, without the markup (line '
            f'{article.flow.line_at(found.match.start)}): "{clip(seen, 120)}"')


def _without_pictures(article, norm: NormText, q, bounds: tuple[int, int]) -> str:
    """A picture of the site is shown, not its alt text, and a browser copies none with the words around it: a
    quote with an alt text in it (typed from the page with pictures off, or as a screen reader reads it) is
    found without it; a quote of some words of an alt text is told where they are."""
    quote = normalise(q.text).strip(" ")
    for alt, at in _pictures(article.flow):
        said = normalise(alt).strip(" ")
        if quote and quote in said and quote != said:  # words of an alt text ("St Aidan's primary school marked")
            return (f'; it is in the alt text of a picture, "{clip(alt, 60)}", shown in its place, not text of the '
                    f"article: a passage is words of the article (line {article.flow.line_at(at)})")
        if not said or said not in quote:
            continue
        rest = " ".join(quote.replace(said, " ").split())
        head = f'; "{clip(alt, 60)}" is the alt text of a picture, shown in its place, not text of the article: '
        if not rest:
            return head + f"a passage is words of the article (line {article.flow.line_at(at)})"
        found = anchor(norm, rest, q.prefix, q.suffix, q.occurrence, bounds)
        if found.match:
            return head + f'quote the words around it (line {article.flow.line_at(found.match.start)}): "{clip(rest, 120)}"'
    return ""


def in_the_title(article, norm: NormText, q, bounds: tuple[int, int]) -> str:
    """A quote copied from the page's title (set by `title:`, not a line of the text), alone or on into the
    text: the title is shown above the text, but quotes are matched against the text (SPEC 2, 4)."""
    # (article.title is the slug until the title is settled: a quote that begins with the slug's word
    # is no copy of the title)
    title, quote = normalise(article.meta.title or "").strip(" "), normalise(q.text).strip(" ")
    said = ", which the page shows above the text but is not text of the article: "
    if not title or not quote:
        return ""
    if quote in title:
        return "; it is in the article's title" + said + "a passage is words of the article"
    for cut in range(len(title)):  # the longest end of the title the quote starts with, then the text
        if (cut == 0 or title[cut - 1] == " ") and quote.startswith(title[cut:]):
            rest = quote[len(title) - cut:].strip(" ")
            found = anchor(norm, rest, q.prefix, q.suffix, q.occurrence, bounds) if rest else None
            if found is not None and found.match:
                return (f"; it starts in the article's title{said}quote from the text "
                        f'(line {article.flow.line_at(found.match.start)}): "{clip(rest, 120)}"')
    return ""


_NOTE_NUMBER = re.compile(r"(?:(?<= )|\A)(?:Note )?[0-9]{1,3}(?= \S)")  # (render/weave's note reference: "Note 1")


def copied_from_the_page(article, norm: NormText, q, bounds: tuple[int, int]) -> str:
    """A quote copied from the published page with what the page shows before each passage, the note's number and
    flag words ("1 Anonymous sourcing", "Note 2 Rebutted"), where a copy keeps them (a text browser, a reader mode):
    the quote without them, where it anchors; or ""."""
    quote = normalise(q.text).strip(" ")
    for said, rest in _without_note_numbers(quote, 2):
        found = anchor(norm, rest, q.prefix, q.suffix, q.occurrence, bounds)
        if found.match:
            return (f'; did you mean (line {article.flow.line_at(found.match.start)}): "{clip(rest, 120)}"? The quote has '
                    f'{" and ".join(f"{_shown(s)}" for s in said)} in it, the number and flag words the page shows before '
                    "a passage: quote only the article's words")
    return ""


def _without_note_numbers(quote: str, depth: int):
    """(what was left out, the quote without it) for each note number with one to six words after it, the first
    a capitalised word or "+3" (a flag word, or a count of more), left out of the quote; again, `depth` times."""
    for m in _NOTE_NUMBER.finditer(quote):
        words = quote[m.end():].split(" ")[1:7]
        if not words or not (words[0][:1].isupper() or re.fullmatch(r"\+[0-9]+", words[0])):
            continue
        for k in range(1, len(words)):  # (at least one word of the article's after them)
            said = " ".join([m.group(), *words[:k]])
            rest = (quote[:m.start()] + quote[m.end() + 1 + len(" ".join(words[:k])):]).strip(" ")
            rest = re.sub(r" +", " ", rest)
            yield (said,), rest
            if depth > 1:
                for more, fewer in _without_note_numbers(rest, depth - 1):
                    yield (said, *more), fewer


_PICTURE = re.compile(r'<img src="[^"]*" alt="([^"]+)">')  # (markdown.image_html)


def overlapping_context(norm: NormText, q, bounds: tuple[int, int]) -> str:
    """When a prefix ends with the quote's first words ("The mayor said cost" before "cost mattered"), or a
    suffix starts with its last words, and the quote anchors with them left out: the fix, as
    `; the prefix ends with the quote's own words ("cost"), …: write prefix: "The mayor said"`. Else ""."""
    quote = normalise(q.text).strip(" ")
    cut = {name: _overlap(name, normalise(context).strip(" "), quote) if context else None
           for name, context in (("prefix", q.prefix), ("suffix", q.suffix))}
    for names in (("prefix", "suffix"), ("prefix",), ("suffix",)):
        if not all(cut[name] for name in names):
            continue
        fields = {"prefix": q.prefix, "suffix": q.suffix} | {name: cut[name][1] for name in names}
        if anchor(norm, q.text, fields["prefix"], fields["suffix"], q.occurrence, bounds).match:
            said = [f'the {name} {"ends" if name == "prefix" else "starts"} with the quote\'s own words ("{clip(cut[name][0], 40)}")'
                    for name in names]
            fixes = [f'{name}: "{clip(cut[name][1], 60)}"' if cut[name][1] else f"no {name}" for name in names]
            rule = {("prefix",): "a prefix is the text just before the quote", ("suffix",): "a suffix is the text just "
                    "after the quote"}.get(names, "a prefix and a suffix are the text just before and after the quote")
            return f'; {" and ".join(said)}, but {rule}: write {" and ".join(fixes)}'

    return ""


def _overlap(name: str, given: str, quote: str) -> tuple[str, str | None] | None:
    """(the quote's words a prefix ends with, or a suffix starts with; the prefix or suffix without them), or None."""
    for k in range(min(len(given), len(quote)), 0, -1):
        part = quote[:k] if name == "prefix" else quote[-k:]
        if not (given.endswith(part) if name == "prefix" else given.startswith(part)):
            continue
        if k < len(quote) and (quote[k] if name == "prefix" else quote[-k - 1]) != " ":
            continue  # only whole words of the quote
        return part, (given[: len(given) - k] if name == "prefix" else given[k:]).strip(" ") or None
    return None


def _pictures(flow) -> list[tuple[str, int]]:
    """Each picture of the site in a Markdown article, as its alt text and where it stands in the text."""
    at, found = 0, []
    for block in flow.blocks:
        for piece in block:
            if piece[0] == "text":
                at = piece[2]
            else:
                found.extend((html.unescape(m.group(1)), at) for m in _PICTURE.finditer(piece[1]))
    return found


def suggest(article, norm: NormText, quote: str, lo: int, hi: int) -> str:
    near = closest(norm, quote, lo, hi)
    if near is None:
        return ""
    start, end = near.start, near.end
    # a stretch that crosses a paragraph break only for a word or two the quote does not have (the end
    # of a heading before it) is shown without them, at the line of the paragraph it is in
    text, needle = article.text[start:end], normalise(quote).strip(" ")
    pieces = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n[ \t]*\n|\s*$)", text, re.S)]
    stray = lambda a, b: len(text[a:b].split()) <= 2 and normalise(text[a:b]) not in needle
    while len(pieces) > 1 and stray(*pieces[0]):
        pieces.pop(0)
    while len(pieces) > 1 and stray(*pieces[-1]):
        pieces.pop()
    if pieces:
        start, end = near.start + pieces[0][0], near.start + pieces[-1][1]
    # punctuation the quote does not start or end with (the article's own quotation marks, a comma)
    # is left out: the suggestion is meant to be pasted as the quote ("..." stays for a quote's "…")
    ends = (needle, unicodedata.normalize("NFKC", needle))
    while end - start > 1 and _EDGE.match(article.text[start]) and not any(e.startswith(normalise(article.text[start])) for e in ends):
        start += 1
    while end - start > 1 and _EDGE.match(article.text[end - 1]) and not any(e.endswith(normalise(article.text[end - 1])) for e in ends):
        end -= 1
    shown = clip(article.text[start:end], 120)
    hidden = sorted(set(INVISIBLE.findall(shown)) - set(quote))
    if hidden:  # it reads as the quote: say what cannot be seen
        shown = INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)
        what = ", ".join(f"{unicodedata.name(c, 'format character').lower()} (U+{ord(c):04X})" for c in hidden)
        return (f'; did you mean (line {article.flow.line_at(start)}): "{shown}"? The article has an invisible {what} '
                'there: write it in the quote as shown, inside double quotes (the article itself stays as published)')
    withdrawn = (" It stands in a correction that quotes an earlier version of the article: if the passage was corrected, "
                 "quote it as it reads now") if in_a_correction(article.text, start) is not None else ""
    # (in a correction, what differs in look is beside the point: the words there are the ones withdrawn)
    return f'; did you mean (line {article.flow.line_at(start)}): "{shown}"?' + (withdrawn or look_alike(needle, article.text[start:end]))


_BRACKETED = re.compile(r"\[[^\[\]]{1,40}\]")


def _editors_brackets(quote: str, passage: str) -> str | None:
    """The first "[…]" of a quote that the passage reads without: the words put in ("said [that] cost") or only
    bracketed ("[The council] met"), as a quotation in a note is edited. None where the quote differs otherwise."""
    first = _BRACKETED.search(quote)
    if first is None or "[" in passage:
        return None
    dropped = " ".join(_BRACKETED.sub(" ", quote).split())
    unbracketed = _BRACKETED.sub(lambda m: m.group()[1:-1], quote)
    return first.group() if passage in (dropped, unbracketed) else None


def _shown(text: str) -> str:
    """A few characters quoted for a message: in single quotes when they hold a double one ('"', not \"\"\")."""
    return f"'{text}'" if '"' in text else f'"{text}"'


def look_alike(quote: str, passage: str) -> str:
    """Where the closest passage differs from the quote only in a few characters that look alike or nearly
    (a hyphen typed for an en dash, three dots for "…", a ligature, a capital), what they are: the passage
    is shown, but the difference is hard to see. "" when they differ in more (a word, say)."""
    a, b = normalise(quote).strip(" "), normalise(passage).strip(" ")
    if (insertion := _editors_brackets(a, b)) is not None:
        return (f' The quote has "{insertion}" in brackets, as an editor marks words put in or changed, and the article has '
                "no brackets there: quote the article's own words")
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if a.lower() == b.lower() and (len(ops) > 3 or any(op[2] - op[1] > 3 or op[4] - op[3] > 3 for op in ops)):
        return " The article writes these words in other capitals (case matters)"  # (a word or more in capitals)
    if not ops or len(ops) > 3 or any(op[2] - op[1] > 3 or op[4] - op[3] > 3 for op in ops):
        return ""
    said = []
    for kind, i1, i2, j1, j2 in ops:
        ours, theirs = a[i1:i2], b[j1:j2]
        if kind != "replace":  # punctuation one side has and the other not (a period typed at the end)
            if not _PUNCTUATION.fullmatch(ours or theirs):
                return ""
            if ours and all(INVISIBLE.match(c) for c in ours):  # copied from a web page: it cannot be seen
                what = ", ".join(f"{unicodedata.name(c, 'format character').lower()} (U+{ord(c):04X})" for c in ours)
                said.append(f"nothing where the quote has an invisible {what}: remove it from the quote")
                continue
            said.append(f"no {_shown(ours)} where the quote has one" if ours else f"{_shown(theirs)} where the quote has none"
                        + (": put it in the quote, and the quote between single quotes ('…') so that YAML keeps it"
                           if '"' in theirs else ""))
        elif ours.lower() == theirs.lower():
            said.append(f'"{theirs}" where the quote has "{ours}" (case matters)')
        elif unicodedata.normalize("NFKC", theirs).replace("\u2026", "...") == unicodedata.normalize("NFKC", ours) or (
                _mark(theirs) and _mark(ours)) or _letter_for_letter(ours, theirs):
            name = unicodedata.name(theirs, "").lower() if len(theirs) == 1 else ""
            named = f" ({name + ', ' if name else ''}U+{ord(theirs):04X})" if len(theirs) == 1 and not theirs.isascii() else ""
            said.append(f"{_shown(theirs)}{named} where the quote has {_shown(ours)}")
        else:
            return ""
    return " The article has " + "; and ".join(dict.fromkeys(said))  # (a difference made twice, said once)


def _mark(text: str) -> bool:
    """Punctuation or a sign, or a modifier letter that stands for one (an apostrophe written "ʼ", U+02BC)."""
    return not text.isspace() and (not text.isalnum() or all(unicodedata.category(c) == "Lm" for c in text))


def _letter_for_letter(ours: str, theirs: str) -> bool:
    """One letter of the article for one of the quote's where they differ, either not ASCII: a Cyrillic "о" in a
    Latin word reads as the "o" typed; a Persian keyboard's "ی" (U+06CC) and "ک" look like the Arabic "ي" (U+064A)
    and "ك" inside a word (heldout59: "48 ملیون یورو" was shown "48 مليون يورو", nothing said); an accent left out
    ("Eloi" for "Éloi") is one letter in a sentence. The passage shown looks like the quote: the letters are named."""
    return len(ours) == len(theirs) == 1 and ours.isalpha() and theirs.isalpha() and not (ours.isascii() and theirs.isascii())


# characters that take no room (a soft hyphen, zero-width spaces and joiners, direction marks): a quote without them
# reads as the text, and does not match it
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")

_UNSPACED = re.compile(f".?[{UNSPACED}]")  # two characters, either of a script written without spaces
_PUNCTUATION = re.compile(r"[^\w\s]+")
_EDGE = re.compile(r"[\"'“”‘’«»„‹›,;:.!?،؛؟。，、：；！？「」『』]")


def elided(article, quote: str, hint: str = "") -> str:
    """A quote shortened with an ellipsis, as in print, is not a stretch of the text: say so, unless the
    `hint` already said that the article has that ellipsis, written the other way ("…" for "...")."""
    marks = [m for m in ("…", "...", "[…]", "[...]") if m in quote and m not in article.text
             and f'where the quote has "{m}"' not in hint]
    return (f'; a quote cannot leave words out ("{marks[-1]}"): quote one stretch of the text as it reads, '
            'or give each part its own annotation') if marks else ""


# the words that open a correction quoting what an article said before ("An earlier version of this article said
# that …", "This story originally stated …", "This article was originally headlined: …", "Una versión anterior de este artículo decía que …", "In einer früheren
# Fassung hieß es …"), up to where the quoted words begin, in one sentence: an earlier version named, or a word of
# error beside a verb of saying, in English, Spanish, Portuguese, French, German and Italian
_AN_EARLIER_VERSION = (
    r"(?:an?|the) (?:earlier|previous|original|prior|older) (?:version|post|edition)\b",  # (a live blog's "post")
    r"(?:una|uma) (?:versi[oó]n|vers[aã]o|versione) (?:anterior|previa|original|precedente|originale)\b",
    r"(?:una|uma) (?:primera|primeira|prima) (?:versi[oó]n|vers[aã]o|versione)\b",
    r"une (?:pr[eé]c[eé]dente|ancienne|premi[eè]re) version\b|une version (?:pr[eé]c[eé]dente|ant[eé]rieure|initiale)\b",
    r"(?:einer|eine|der) (?:fr[uü]heren|vorherigen|[aä]lteren|ersten|urspr[uü]nglichen) (?:Version|Fassung)\b",
)
_IN_ERROR = (r"(?:incorrectly|wrongly|mistakenly|erroneously|err[oó]neamente|incorrectamente|equivocadamente|por error|"
             r"erroneamente|incorretamente|por engano|par erreur|[eé]rron[eé]ment|f[aä]lschlicherweise|irrt[uü]mlich(?:erweise)?)")
_SAID = (r"(?:said|stated|reported|wrote|described|referred|headlined|titled|dijo|dec[ií]a|inform[oó]|afirm[oó]|indic[oó]|public[oó]|"
         r"escribi[oó]|se[ñn]al[oó]|disse|dizia|informou|afirmou|publicou|escreveu|indiquait|indiqu[eé]|[eé]crit|"
         r"affirm[eé]|affirmait|rapport[eé]|hie(?:ß|ss) es|berichtet|geschrieben|gemeldet|scritto|riportato|indicato|detto)")
# a part of a word that each opening below holds, in either of Unicode's forms ("versión", "versio\u0301n"): a
# sentence with none of them is no correction, found at once
_STEMS = ("versi", "post", "edition", "versã", "versa\u0303", "fassung", "originally", "previously", "incorre", "wrongly", "mistaken",
          "erron", "erró", "erro\u0301", "equivocad", "por error", "por engano", "par erreur", "lschlich", "irrt")
# (a word of time says so only before the verb: "originally reported …", not "said previously that …")
_WITHDRAWN = re.compile(r"\b(?:" + "|".join(_AN_EARLIER_VERSION) + rf"|(?:originally|previously) {_SAID}|{_IN_ERROR} (?:\S+ )??{_SAID}"
                        rf"|{_SAID} (?:\S+ )??{_IN_ERROR})[^.!?\n]*$", re.IGNORECASE)


def cut_opening(said: str) -> str:
    """A correction's opening words (in_a_correction's), as a message quotes them: cut short, one ellipsis."""
    return f'"{clip(said, 60).rstrip("… ")} …"'


# words a period follows within a sentence: titles and the like ("said Dr. Smith was born …"), and initials
_ABBREVIATED = frozenset("mr mrs ms dr prof rev st gen sen rep gov lt col capt sgt jr sr no vs etc inc co corp".split())
_PERIOD = re.compile(r"\b(\w+)\. ")


def _no_abbreviations(text: str) -> str:
    """`text` with the period after a title or an initial left out ("Dr. Smith", "J. Smith"): what ". " is left ends
    a sentence."""
    return _PERIOD.sub(lambda m: m.group(0) if not (len(m[1]) == 1 and m[1].isupper() or m[1].lower() in _ABBREVIATED)
                       else f"{m[1]} ", text)


def in_a_correction(text: str, start: int) -> str | None:
    """The opening words of a correction that quotes an earlier version of the article, when the passage at `start`
    stands in one, after them in their sentence ("An earlier version of this article said that [the council
    approved …]"): there, the quoted words are the ones withdrawn. None otherwise."""
    head = text[max(0, start - 200) : start]
    low = head.lower()
    if not any(stem in low for stem in _STEMS):  # (most passages: none in the words before them)
        return None
    head = _no_abbreviations(head)
    head = head[max(head.rfind(". "), head.rfind("\n\n"), head.rfind("? "), head.rfind("! ")) + 1 :]
    low = head.lower()
    if not any(stem in low for stem in _STEMS):
        return None
    head = unicodedata.normalize("NFC", " ".join(head.split()))
    return None if _WITHDRAWN.search(head) is None else head


def occurrence_warnings(articles, problems) -> None:
    """Outside git: a warning for each annotation whose `occurrence` chose among copies of its quote that are no
    longer there, the quote now standing once (with its prefix and suffix): an update that deleted the copy annotated
    leaves the note on another passage that reads the same ("Carver had 14,218 votes", the recount's and the
    summary's; the recount's sentence deleted), and nothing else in the text can tell. (In git, drift says it.)"""
    for article in articles:
        chosen = [ann for ann in article.annotations if ann.start is not None and ann.quote.occurrence is not None]
        if not chosen:
            continue
        norm = norm_text(article.text)
        bounds = (norm.norm_offset(article.body[0]), norm.norm_offset(article.body[1])) if article.body[1] else None
        counts = {}  # a quote said many times is often annotated at several of its places, one `occurrence` each
        for ann in chosen:
            q = ann.quote
            key = (q.text, q.prefix, q.suffix)
            if key not in counts:
                counts[key] = anchor(norm, q.text, q.prefix, q.suffix, bounds=bounds).count
            if counts[key] == 1:
                told = " and ".join(name for name, text in (("prefix", q.prefix), ("suffix", q.suffix)) if text is not None)
                problems.warning(q.loc.file, q.loc.line, q.loc.col, (
                    f"occurrence {q.occurrence} is given, but the quote{f' with its {told}' if told else ''} stands once in {article.path} (line "
                    f"{article.flow.line_at(ann.start)}): if a copy of it was deleted from the article, this may not "
                    "be the passage the note was written for; once checked, drop occurrence"))


def corrected_copy(text: str, norm: NormText, quote: str) -> tuple[int, str] | None:
    """(start in `text`, the correction's opening words) of the first place the quote's words stand in a correction
    quoting an earlier version (its first letter in either case: "said that the pay …" quotes "The pay …"); None when
    there is none."""
    needle = normalise(quote).strip(" ")
    if not needle:
        return None
    low = norm.text.lower()
    if not any(stem in low for stem in _STEMS):
        return None
    recased = needle[0].swapcase() + needle[1:]
    for s in sorted(set(find_all(norm, needle, 0, len(norm.text)) + find_all(norm, recased, 0, len(norm.text)))):
        if (said := in_a_correction(text, norm.start(s))) is not None:
            return norm.start(s), said
    return None


def correction_errors(articles, problems) -> None:
    """Outside git, where nothing says what a quote was written against: an error for each passage that stands inside
    a correction quoting the article's earlier wording, not in the article's own words (a corrected article whose
    correction repeats the old words: the quote matches there alone, and the note would sit on what was withdrawn, a
    wrong attach, where an orphan is honest; it was a warning, and the page was published so). A quote that takes the
    correction's opening words in is the correction itself, and is not said. So is a quote told from its copies by
    `occurrence` alone, when a copy of its words stands in such a correction: the copy corrected may be the one it
    counted, the count now landing on another ("The pay of the board …" said twice, the first corrected)."""
    for article in articles:
        norm = None
        for ann in article.annotations:
            if ann.start is None:
                continue
            said = in_a_correction(article.text, ann.start)
            q = ann.quote
            if said is None and q.occurrence is not None and q.prefix is None and q.suffix is None:
                norm = norm or norm_text(article.text)
                copy = corrected_copy(article.text, norm, q.text)
                if copy is not None:
                    problems.error(q.loc.file, q.loc.line, q.loc.col, (
                        f"occurrence {q.occurrence} is given, and the quote's words stand in a correction that quotes an "
                        f"earlier version of {article.path} (line {article.flow.line_at(copy[0])}: "
                        f"{cut_opening(copy[1])}): if the copy corrected was one the occurrence counted, the note now sits "
                        "on another passage; quote the passage as it reads now (glossator reanchor says where it went), "
                        "or, once checked, give the quote a prefix or suffix that tells the copies apart"))
                continue
            if said is not None:
                problems.error(q.loc.file, q.loc.line, q.loc.col, (
                    f"the quote stands in a correction that quotes an earlier version of {article.path} (line "
                    f"{article.flow.line_at(ann.start)}: {cut_opening(said)}), not in the article's own words: if the "
                    "passage the note was written for was corrected, the note would sit on the withdrawn words; quote "
                    "the passage as it reads now (glossator reanchor says where it went), or, to annotate the correction "
                    "itself, quote its opening words too"))
