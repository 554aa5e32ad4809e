"""The names-and-numbers rule: whether a passage found without context changed a name or a number of its quote
(then it may be another event told in the same words), words compared in a canonical form ("forty-one" is
"41", "Jan" is "January", "United States" is "US"), a name only respelt ("Jon", "John") no change; and the house-style
rule (`house_style`): whether a passage is its quote, its figures, units, dates or acronyms written otherwise."""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel, Levenshtein

from .likeness import LIGHT, PUNCT, UNSPACED_CHAR, seen

NAME_RESPELT = 85  # a name changed this little (rapidfuzz's ratio, 0..100), by one letter, is respelt, not another name
# (two letters next to each other swapped, the same letters, is respelt too: see `_respelt`)
SWAPPED = 5  # a name shorter than this with two letters swapped is another name ("Said", "Siad")
_TOKEN = re.compile(r"[$£€¥%]|(?:(?<![\w.,])[-−](?=\d))?\w+(?:[.,'’-]\w+)*")  # (with a minus glued to a figure: "-5")
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy "
                                                                                "eighty ninety".split(), 2)}
_ORDINALS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                                         "twelfth".split(), 1)}
_TITLES_IN_FULL = "governor senator representative professor general lieutenant colonel captain sergeant detective " \
                  "inspector superintendent councillor"  # (in the order of their abbreviations in `_SAME`)
_SAME = ({m[:3]: m for m in "january february march april may june july august september october november december".split()}
         | {d[:3]: d for d in "monday tuesday wednesday thursday friday saturday sunday".split()}
         | {"sept": "september", "tues": "tuesday", "thur": "thursday", "thurs": "thursday", "st": "saint", "mt": "mount",
            "million": "e6", "m": "e6", "mn": "e6", "billion": "e9", "bn": "e9", "b": "e9", "thousand": "e3", "k": "e3",
            "trillion": "e12", "tn": "e12", "percent": "%", "cent": "%"}
         | dict(zip("gov sen rep prof gen lt col capt sgt det insp supt cllr".split(), _TITLES_IN_FULL.split())))
# a title is its abbreviation ("Gov." is "Governor"), and a name's title is no name: "Mr Smith" is "Smith"
_TITLES = frozenset(("mr mrs ms mx miss dr prof sir dame rev gen sen rep gov lt col capt sgt " + _TITLES_IN_FULL).split())
# a number written with "hundred" or "thousand" ("a hundred", "two thousand") is that figure ("100", "2000"); "a
# million" is "1 million" (as "5 million" is "5", "million"); country names in full are their initials
_MULTIPLE = re.compile(r"(?<![\w'’-])(a|an|%s|\d+)[ -](hundred|thousand|million|billion|trillion)\b" % "|".join(
    w for w in NUMBER_WORDS if w != "zero"), re.IGNORECASE)
_INITIALS = re.compile(r"\bUnited (States|Kingdom|Nations)\b")
_SPACED_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3})((?:[ \u00a0\u202f\u2009]\d{3})+)(?!\w|[.,]\d)")  # "1 500" (a space, no-break or narrow,
# between groups of three: French and SI house style) is "1500", as "1,500" is
_PER_CENT = re.compile(r"(\d) ?(?:per ?cent|percent)\b")  # "5 per cent", "5 percent": "5%"
_SCALE_SHORT = re.compile(r"(\d)(m|bn)\b")  # "£2.5m", "$3bn": a million, a billion
_SCALES = {"m": "million", "bn": "billion"}
# a sum with its currency named after it ("40 million euros", "5 billion pounds") is the sum with its sign ("€40m")
_NAMED_CURRENCY = re.compile(r"(?<![\w.,])(\d[\d,.]*(?: (?:million|billion|trillion))?) (euros?|pounds(?: sterling)?|dollars|yen)\b",
                             re.IGNORECASE)
_CURRENCY_SIGNS = {"euro": "€", "euros": "€", "pounds": "£", "dollars": "$", "yen": "¥"}
_NUMERALS = "〇零一二三四五六七八九十百千万萬两兩"
_NUMERAL_RUN = re.compile(f"[{_NUMERALS}]+")
_UNIT = re.compile(r"(\d[\d,.]*)([a-z]+)$")
_DECIMAL_COMMA = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")


def _canonical(word: str) -> list[str]:
    """A word as the names-and-numbers rule compares it, in one piece or two: lower-cased, numbers as digits
    without separators ("forty-one", "41"; "1,400", "1400"), ordinals alike ("third", "3rd"), a number and
    its unit apart ("5km": "5", "km"), short names in full ("Jan", "january"; "St", "saint"; "m", "million")."""
    w = word.casefold()  # (as case does, "ß" and "ss" differ only in how a copy desk writes: "Straße", "Strasse")
    if w[:1] in "-−" and w[1:2].isdigit():  # a negative figure ("-5" is not "5")
        first, *rest = _canonical(w[1:])
        return ["-" + first, *rest]
    if not w[:1].isdigit():
        w = w.replace(".", "")  # "U.S." is "US"
    else:
        w = w.replace("'", "").replace("’", "")  # "1990's" is "1990s"
    parts = w.split("-")
    if all(p in NUMBER_WORDS for p in parts) and len(parts) <= 2:
        return [str(sum(NUMBER_WORDS[p] for p in parts))]
    if len(parts) > 1:  # "Saint-Denis" is "Saint Denis", "2019-20" is "2019–20"
        return [c for p in parts if p for c in _canonical(p)]
    if w in _ORDINALS:
        return [str(_ORDINALS[w])]  # "third", "3rd" and "3" are one figure ("3rd May", "3 May")
    ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    if ordinal:
        return [str(int(ordinal.group(1)))]
    if re.fullmatch(r"\d*0s", w):  # a decade ("90s", "1990s"), not a number and its unit
        return [w]
    unit = _UNIT.match(w)
    if unit:
        return [_figure(unit.group(1)), _SAME.get(unit.group(2), unit.group(2))]
    if w[:1].isdigit():
        return [_figure(w)]
    return [_SAME.get(w, w)]


def _figure(digits: str) -> str:
    """A figure without its thousands separators, its decimal comma a point: "1,500" is "1500"; "1,5" is "1.5" and
    "1.234,5" is "1234.5" (a comma with other than three digits after it, or with thousands set apart by points
    before it, is a decimal one: Europe's house style for "1.5")."""
    decimal = _DECIMAL_COMMA.fullmatch(digits)
    if decimal and (len(decimal.group(2)) != 3 or "." in decimal.group(1)):
        return decimal.group(1).replace(".", "") + "." + decimal.group(2)
    return digits.replace(",", "")


def figure_word(word: str) -> bool:
    """Whether a word is part of how a figure is said: digits, a sign, a scale or a percent ("1", "-", "million",
    "bn", "%", "hundred", "dozen", "twenty"), so that written beside a figure it changes the number."""
    w = word.strip(PUNCT.replace("%", "").replace("-", "")).lower()
    if not w or w in ("-", "−", "+", "hundred", "hundreds", "dozen", "dozens", "thousands", "millions", "billions"):
        return bool(w)
    return any(c[:1].isdigit() or c[:1] == "-" or c == "%" or c[:1] == "e" and c[1:].isdigit() for c in _canonical(w))


def _spelled(text: str) -> str:
    """Figures said with "hundred" or "thousand" as digits ("a hundred": "100"), "a million" as "1 million", groups of
    three digits set apart by spaces as one figure ("1 500": "1500"), "5 per cent" as "5%", "£2.5m" as "£2.5 million",
    "40 million euros" as "€40 million";
    "United States", "United Kingdom", "United Nations" as "US", "UK", "UN" (as "U.S." reads)."""
    def figure(m: re.Match) -> str:
        count, scale = m.group(1).lower(), m.group(2).lower()
        n = 1 if count in ("a", "an") else NUMBER_WORDS.get(count) or int(count)
        return str(n * (100 if scale == "hundred" else 1000)) if scale in ("hundred", "thousand") else f"{n} {scale}"

    text = _SPACED_THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\s", "", m.group(2)), text)
    text = _PER_CENT.sub(r"\1%", _SCALE_SHORT.sub(lambda m: f"{m.group(1)} {_SCALES[m.group(2)]}", text))
    text = _MULTIPLE.sub(figure, text)
    text = _NAMED_CURRENCY.sub(lambda m: _CURRENCY_SIGNS[m.group(2).split()[0].lower()] + m.group(1), text)
    return _INITIALS.sub(lambda m: "U" + m.group(1)[0].upper(), text)


def as_figures(text: str) -> str:
    """A text's words as this rule reads them, joined by spaces: figures as digits however spelt ("down eight per cent"
    and "down 8%" are both "down 8 %")."""
    return " ".join(c for t in _TOKEN.findall(_spelled(text)) for c in _canonical(t)).replace(" per %", " %")


ROMANISED = 5  # letters of a name, at least, for another romanisation of it to be the same name ("Jan" is not "Yan")


def _respelt(a: str, b: str) -> bool:
    """Whether name b is name a respelt, not another name: its accents alone changed; romanised otherwise (`_romanised`);
    one letter added, dropped or changed in a name long
    enough that it is still most of it ("Jon", "John"; not "Iraq", "Iran"), or two letters next to each other
    swapped in a name of SWAPPED letters or more ("Kowlaski", "Kowalski": the same letters, a slip of the fingers;
    not "Austria", "Australia"; nor "Said", "Siad", "Amir", "Amri": in a short name the swap moves half its letters,
    and both spellings are names). Never a figure ("1950", "1905")."""
    if any(c.isdigit() for c in a + b):
        return False
    if unaccented(a) == unaccented(b):  # "Núñez", "Nuñez"; "Zoë", "Zoe": the name's accents, not another name
        return True
    if min(len(a), len(b)) >= ROMANISED and _romanised(a) == _romanised(b):  # "Alexei", "Aleksei"; "Qadhafi", "Qaddafi"
        return True
    if Levenshtein.distance(a, b) <= 1:
        return fuzz.ratio(a, b) >= NAME_RESPELT
    return len(a) >= SWAPPED and sorted(a) == sorted(b) and OSA.distance(a, b) == 1


def slip_fixed(quote: str, passage: str) -> bool:
    """Whether the passage is the quote with a slip put right, its words otherwise as they were, letter case too: a
    word written twice now once ("for the the strike"), or two letters side by side swapped back in one word of SWAPPED
    letters or more ("verdcit", "verdict"). Never another word ("rose", "fell"; "now", "not"), nor a figure, nor a
    letter's case (a twin list item "Northern line", "northern line" may be another passage)."""
    a, b = quote.split(" "), passage.split(" ")
    if a == b or any(c.isdigit() for c in quote + passage):
        return False
    if len(a) == len(b) + 1:
        return any(a[i] == a[i + 1] and a[:i] + a[i + 1 :] == b for i in range(len(a) - 1))
    changed = [(x, y) for x, y in zip(a, b) if x != y]
    if len(a) != len(b) or len(changed) != 1:
        return False
    x, y = changed[0]
    return len(x) == len(y) >= SWAPPED and sorted(x) == sorted(y) and OSA.distance(x, y) == 1


_ROMANISATIONS = (("ks", "x"), ("kh", "h"), ("dh", "d"), ("ph", "f"), ("q", "k"), ("y", "i"), ("w", "v"))
_DOUBLED = re.compile(r"(\w)\1")


def _romanised(name: str) -> str:
    """A name as the ways of writing it in Latin letters agree on: no accents, no doubled letter, "ks" as "x", "kh" as
    "h", "y" as "i" ("Aleksei" and "Alexei", "Zelenskyy" and "Zelenskiy" are one name)."""
    out = unaccented(name)
    for was, now in _ROMANISATIONS:
        out = out.replace(was, now)
    return _DOUBLED.sub(r"\1", out)


def unaccented(word: str) -> str:
    """A word without the marks on its letters (in either of Unicode's forms)."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _regrouped(a: str, b: str) -> bool:
    """Whether one figure is the other with its thousands set apart by points ("1.500" for "1500", as "1,500"
    reads): a German or Italian copy's house style, not another figure."""
    return any(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", x) is not None and x.replace(".", "") == y for x, y in ((a, b), (b, a)))


def _written_otherwise(a: str, b: str) -> bool:
    """Whether two canonical words are one name or figure written otherwise: respelt, a decade written short, thousands
    set apart by points."""
    return _respelt(a, b) or _decade(a, b) or _decade(b, a) or _regrouped(a, b)


def _decade(short: str, full: str) -> bool:
    """Whether a decade written short is the one written in full ("'90s", "1990s"): house style, not another figure."""
    return re.fullmatch(r"\d0s", short) is not None and re.fullmatch(r"1\d\d0s|20\d0s", full) is not None and full[2:] == short


def _arabic(text: str) -> str:
    """Chinese numerals written as digits (十四: 14, 二十: 20), full-width digits as plain ones."""
    def value(run: str) -> str:
        digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "兩": 2}
        if all(c in digits for c in run):  # 二〇二四: 2024
            return "".join(str(digits[c]) for c in run)
        total, current = 0, 0
        for c in run:
            if c in digits:
                current = digits[c]
            else:
                unit = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}[c]
                total += (current or 1) * unit
                current = 0
        return str(total + current)
    return _NUMERAL_RUN.sub(lambda m: value(m.group()), unicodedata.normalize("NFKC", text))


def names_changed(quote: str, passage: str) -> str:
    """The names and numbers that one of the two has and the other lacks, or has in another order, said
    "41 for 14"; "" when none, or when each changed one is only respelt ("Jon" for "John"). Names are
    words with a capital that does not start a sentence ("Leeds", "Friday", "iPod"; not "Mr"), numbers
    those with a digit, a currency or written in words ("fourteen" is "14", so "five" for "5" is no
    change). In a script written without spaces, where nothing is capitalised, any character changed
    (but numerals written otherwise). A fuzzy match without context that changed one of those may be
    another event told in the same words."""
    if UNSPACED_CHAR.search(quote):
        a, b = _arabic(quote), _arabic(passage)
        ops = [op for op in Indel.opcodes(a, b) if op.tag != "equal"]
        gone = "".join(a[op.src_start : op.src_end] for op in ops)
        came = "".join(b[op.dest_start : op.dest_end] for op in ops)
        return f"{came or 'nothing'} for {gone or 'nothing'}" if gone.strip() or came.strip() else ""

    def keys(text: str) -> tuple[list, list, set]:  # (names, names starting a sentence, every word), canonical
        names, firsts, words = [], [], set()
        for m in _TOKEN.finditer(text):
            word = m.group()
            starts = text[: m.start()].rstrip(" \"'“‘(").rstrip()[-1:] in ("", ".", "!", "?", ":")
            for canon in _canonical(word):
                words.add(canon)
                if canon[:1].isdigit() or canon[:1] in "$£€¥" or canon[:1] == "e" and canon[1:].isdigit() or canon == "%" or canon[:2].lstrip("-")[:1].isdigit():
                    names.append((canon, word))
                elif any(c.isupper() for c in word) and canon not in _TITLES:
                    (firsts if starts and word[0].isupper() else names).append((canon, word))
        return names, firsts, words

    names_a, firsts_a, words_a = keys(_spelled(quote))
    names_b, firsts_b, words_b = keys(_spelled(passage))
    set_a, set_b = {k for k, _ in names_a}, {k for k, _ in names_b}
    gone = {k: w for k, w in names_a if k not in set_b}
    new = {k: w for k, w in names_b if k not in set_a}
    if not (gone and new):  # a name that became a plain word ("the Government", "the government") is no change,
        gone = {k: w for k, w in gone.items() if k not in words_b}  # unless another name took its place
        new = {k: w for k, w in new.items() if k not in words_a}  # ("may" does not hide "March" for "May")
    # a capital that starts a sentence may be no name ("Some officials" for "Officials"); one put for
    # another there is ("Iraq said" for "Iran said")
    gone_first = {k: w for k, w in firsts_a if k not in words_b}
    new_first = {k: w for k, w in firsts_b if k not in words_a}
    if gone_first and new_first:
        gone |= gone_first
        new |= new_first
    respelt = {(g, n) for g in gone for n in new if _written_otherwise(g, n)}
    for g, n in respelt:
        gone.pop(g, None)
        new.pop(n, None)
    if gone or new:
        return f"{', '.join(sorted(new.values())) or 'nothing'} for {', '.join(sorted(gone.values())) or 'nothing'}"
    order_a, order_b = [k for k, _ in names_a if k in set_b], [k for k, _ in names_b if k in set_a]
    if order_a != order_b:  # the same figures, swapped ("14 injured and 41 arrested")
        return f"{', '.join(w for k, w in names_b if k in set_a)} for {', '.join(w for k, w in names_a if k in set_b)}"
    return ""


def inflected(a: str, b: str) -> bool:
    """Whether two words are one word with another ending ("approve", "approved"; "council", "councils"): all but
    their last three letters at most alike, and four at least."""
    same = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return same >= 4 and same >= max(len(a), len(b)) - 3


def words_replaced(quote: str, passage: str) -> str:
    """The words of the quote that the passage has another word in place of, said '"southern" for "northern"'; "" when
    none, or when each is only respelt ("colour", "color"), given another ending ("approves", "approved"), one light
    word for another ("said", "told") or the same name or figure written otherwise (as `names_changed` compares
    them). Words added or left out are no such change (a quote shortened, a word put in). Found without context, a
    place with a word replaced may be a look-alike sentence ("the new budget for the northern district", "… for the
    southern district"), the passage itself deleted: nothing in the text alone tells the two apart."""
    if UNSPACED_CHAR.search(quote):  # (there, `names_changed` already counts any character changed)
        return ""
    a, b = ([c for m in _TOKEN.finditer(_spelled(seen(text))) for c in _canonical(m.group())] for text in (quote, passage))
    said = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag != "replace":
            continue
        for was, now in zip(a[op.src_start : op.src_end], b[op.dest_start : op.dest_end]):
            if not (_written_otherwise(was, now) or inflected(was, now) or was in LIGHT and now in LIGHT):
                said.append((now, was))
    return ", ".join(f'"{n}" for "{w}"' for n, w in said + _compounded(quote, passage))


def _compounded(quote: str, passage: str) -> list[tuple[str, str]]:
    """(compound, word) for each word of the quote that the passage has made one part of a hyphenated compound whose
    other parts are new ("north-east" for "north": another ward), not the quote's own words joined ("long-term" for
    "long term", "email" as "e-mail")."""
    was = [w.casefold() for w in _TOKEN.findall(quote)]
    out = []
    for w in _TOKEN.findall(passage):
        parts = w.casefold().split("-")
        if len(parts) < 2 or not all(p.isalpha() for p in parts) or w.casefold() in was or "".join(parts) in was:
            continue
        joined = any(was[i : i + len(parts)] == parts for i in range(len(was)))
        if not joined and (hits := [p for p in parts if p in was]) and len(hits) < len(parts):
            out.append((w, hits[0]))
    return out


def restyled(quote: str, passage: str) -> bool:
    """Whether the passage is the quote with only its figures written in another house style: the same words, but
    figures that `names_changed` reads as the same ("1.5 millones" for "1,5 millones", "1.500" for "1,500", "1990s"
    for "90s", "5%" for "5 per cent", "£2.5 million" for "£2.5m")."""
    if _TOKEN.findall(quote) == _TOKEN.findall(passage):
        return False
    a, b = (_TOKEN.findall(_spelled(text)) for text in (quote, passage))  # ("5 per cent" for "5%", "2.5m" for "2.5 million")
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        cx, cy = _canonical(x), _canonical(y)
        if not (x[:1].isdigit() and y[:1].isdigit() and len(cx) == len(cy)
                and all(p == q or _written_otherwise(p, q) for p, q in zip(cx, cy))):
            return False
    return True


_UNITS = {"km": r"km|kilomet(?:re|er)s?", "kg": r"kg|kilogram(?:me)?s?", "cm": r"cm|centimet(?:re|er)s?",
          "mm": r"mm|millimet(?:re|er)s?"}
_UNIT_STYLED = re.compile(r"(\d) ?(" + "|".join(_UNITS.values()) + r")\b")  # (not _UNIT, `_canonical`'s)
_MONTH = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\b")  # "3 March", "3rd of March"
_MONTH_DAY = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]?\d)")  # "March 3", "March 3rd"
_DATE_WORD = re.compile(rf"(?:{_MONTH}|\d{{1,2}}(?:st|nd|rd|th)?)")  # a date's month or day, alone
_YEAR = r"(?:1[6-9]|20)\d\d"
_CLOCK = re.compile(r"\b(1[0-2]|0?[1-9])(?:[.:]([0-5]\d))? ?([ap])\.?m\b\.?", re.I)  # "3pm", "3.30 p.m.", "11am"
_DATE_COMMA = re.compile(rf"\b(\d{{1,2}} (?:{_MONTH})), ({_YEAR})\b")  # the comma a US date sets before its year
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_LONG_ACRONYM = re.compile(r"\b([A-Z])([A-Z]{3,6})\b")  # four letters or more: "COVID", "NATO" ("WHO", "IT" are words too)
_DATED = re.compile(rf"\b(\d{{1,2}} (?:{_MONTH})),? (?:1[6-9]|20)\d\d\b")  # a day and month (as styled: "3 March") and its year


def _on_the_clock(m: re.Match) -> str:
    """A 12-hour time ("3pm", "3.30 p.m.") as the 24-hour clock writes it ("15:00", "15:30")."""
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}"


def _unit(m: re.Match) -> str:
    return m.group(1) + " " + next(k for k, v in _UNITS.items() if re.fullmatch(v, m.group(2)))


def _contracted(text: str, acronyms: set[str]) -> str:
    """The text with each of `acronyms` spelt out in capitalised words ("National Health Service" for "NHS") written as
    it, and the acronym put in brackets after it dropped ("World Health Organization (WHO)": "WHO")."""
    for short_form in acronyms:
        spelt = r"\s+".join(rf"{c}[a-z]+" for c in short_form)
        text = re.sub(rf"\b{spelt}\b(?: \({short_form}\))?", short_form, text)
    return text


_STYLED_WORDS = frozenset("hundred thousand million billion trillion per cent percent".split())


def kept_in_every_style(quote: str) -> list[str]:
    """The quote's lower-case words of three letters or more that house_style never writes otherwise (no figure, scale
    or unit: "council", not "million" or "kilometres"): a stretch of text that lacks one of them is not the quote in
    another house style."""
    return [w for w in re.findall(r"[^\W\d_]{3,}", quote) if w.islower() and w not in NUMBER_WORDS
            and w not in _STYLED_WORDS and not any(re.fullmatch(unit, w) for unit in _UNITS.values())]


_NUMERIC_DATE = re.compile(rf"\b(\d{{1,2}})[/.](\d{{1,2}})[/.]({_YEAR})\b")  # "05/03/2023", "5.3.2023"
_MONTHS = "January February March April May June July August September October November December".split()


def _numeric_dates(text: str, other: str) -> str:
    """`text` with each date written in figures ("05/03/2023") written out as the day, month and year that `other`
    (dated: "5 March 2023") gives, when one of its two readings, day first or month first, is that date."""
    def out(m: re.Match) -> str:
        for day, month in ((m[1], m[2]), (m[2], m[1])):
            if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 and (said := f"{int(day)} {_MONTHS[int(month) - 1]} {m[3]}") in other:
                return said
        return m[0]
    return _NUMERIC_DATE.sub(out, text)


def house_style(quote: str, passage: str) -> bool:
    """Whether the passage is the quote in another house style, word for word: its figures written otherwise (as
    `_spelled` reads them), a unit spelt out or spaced ("12km", "12 kilometres"), a date's day and month in the other
    order ("3 March", "March 3rd"), a time of day on the 12- or 24-hour clock ("3pm", "3 p.m.", "15:00"), a date's year
    put in where the other gives none ("3 March", "March 3, 2026"), an acronym spelt out in the capitalised words it
    stands for ("NHS", "National Health Service", "World Health Organization (WHO)"), an acronym of four letters or
    more written as a name ("COVID", "Covid"; "NATO", "Nato"; never all in lower case). No word changed, nor a mark: another body's initials ("FA", "Football League") are not these,
    nor other quotation marks, nor a year for another ("3 March 2024", "3 March 2025")."""
    def dated(text: str) -> str:
        text = _CLOCK.sub(_on_the_clock, text)
        text = _DAY_MONTH.sub(r"\1 \2", _MONTH_DAY.sub(r"\2 \1", _UNIT_STYLED.sub(_unit, _spelled(text))))
        return " ".join(_DATE_COMMA.sub(r"\1 \2", text).split())  # ("March 5, 2024" is "5 March, 2024": "5 March 2024")

    def styled(text: str, other: str) -> str:
        text = dated(_numeric_dates(_contracted(text, set(_ACRONYM.findall(other))), dated(other)))
        text = _LONG_ACRONYM.sub(lambda m: m[1] + m[2].lower(), text)
        return text if _DATED.search(dated(_numeric_dates(other, text))) else _DATED.sub(r"\1", text)

    return quote != passage and styled(quote, passage) == styled(passage, quote)


def year_put_in(was: str, now: str, then: str) -> bool:
    """Whether `now` and `then`, two words side by side, are `was`, a date's day or month that closed with punctuation,
    and a year put in after it that carries that punctuation: "April." -> "April 2025.", "4." -> "4, 2024."."""
    core = was.rstrip(".,;:!?")
    mark = was[len(core) :]
    return bool(mark) and bool(_DATE_WORD.fullmatch(core)) and now.rstrip(",") == core and bool(
        re.fullmatch(_YEAR + re.escape(mark), then))
