"""Slugs: the one rule for names in URLs and files (article slugs, ids, flag names), and how to make them."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")  # lowercase ASCII letters, digits, "-" and "_", starting with a letter or digit

# Latin letters that Unicode does not write as a plain letter and an accent, which a reader types as plain letters all
# the same: "Strasse" for "Straße" (as Switzerland writes it), "Aydin" for "Aydın", "Lodz" for "Łódź", "Kobenhavn" for
# "København", "Caesar" for "Cæsar". Search folds them so (heldout61: "Aydin" found nothing in a report quoting Dilek
# Aydın; search.js's PLAIN is the same), and slugs spell them so (heldout62: the tag "Iğdır" had the page "igdır/",
# its "ğ" made plain and its "ı" not; the id "artı-eksi" was proposed as "art-eksi"). And the apostrophe Ukrainian
# writes, ʼ (a letter to Unicode, so "здоровʼя" was one word), as the "'" a keyboard types (heldout63: "здоров'я" did
# not find "здоровʼя", and the tags "Здоровʼя" and "Здоров'я" had a page each)
PLAIN = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "\u02bc": "'"})


def is_slug(text: str) -> bool:
    return SLUG.match(text) is not None


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def slug_like(text: str) -> str | None:
    """The slug a name that is not one was meant to be (`Paid Content` -> `paid-content`, `été` -> `ete`, `artı` ->
    `arti`); None when nothing of it is an ASCII letter or digit."""
    return re.sub(r"[^a-z0-9_-]+", "-", _ascii_lower(text.lower().translate(PLAIN))).strip("-_") or None


def accents_written(name: str) -> str:
    """How a name's accented letters are written, in words, to tell apart two names that look alike: "é" as one
    character (NFC, as most systems write it) or as "e" and an accent (NFD, as macOS did)."""
    return "as one character" if unicodedata.is_normalized("NFC", name) else "as a letter and an accent"


def propose_slug(stem: str, taken: set[str] = frozenset(), tried: dict[str, int] | None = None) -> str:
    """A slug to propose for a file whose stem is not one, none of `taken` (base, base-2, base-3…). `tried`, kept
    by a caller that proposes many: the last number each base took, to go on from (10,000 names that differ only
    in case, each proposed from base-2 on, took 15 s)."""
    base = slug_like(stem) or "article"
    n = (tried or {}).get(base, 1)
    slug = base if n == 1 else f"{base}-{n}"
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    if tried is not None:
        tried[base] = n
    return slug


def _folded(tag: str) -> str:
    """A tag as its slug compares it: case folded (`Straße` as `STRASSE`); Latin and Greek letters without
    their accents (`Ärzte` as `arzte`, `Υγεία` as `ΥΓΕΙΑ`), Arabic and Hebrew without their vowel marks,
    which writers leave out; in other scripts (Devanagari, say) marks are parts of letters, and stay."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", tag).casefold())
    out, plain = [], False
    for c in text:
        if unicodedata.combining(c):
            if plain:
                continue
        else:
            plain = c.isascii() or unicodedata.name(c, "").startswith(("LATIN", "GREEK", "ARABIC", "HEBREW"))
        out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


# letters of Cyrillic alphabets that are letters of their own, each after the one it looks like (Ukrainian г ґ, е є,
# и і ї й; Russian е ё, и й; Belarusian у ў): a code point's order puts "і" after "я", and taking "й" apart puts it in "и"
_OWN_LETTERS = str.maketrans({"ґ": "г\U0010fffd", "ё": "е\U0010fffd", "є": "е\U0010fffe", "і": "и\U0010fffc",
                              "ї": "и\U0010fffd", "й": "и\U0010fffe", "ў": "у\U0010fffd"})


@lru_cache(maxsize=4096)
def alphabetical(name: str) -> tuple[str, str, str]:
    """A key that lists names as a reader looks for them: case aside, a Latin letter's accents aside ("École" among
    the "e"), and Cyrillic letters in their alphabet's order (heldout63: the Ukrainian tags "Історія" and "Вітаміни"
    were listed after "Якість води" and "Водоканал", by their code points). (Cached: a tag is sorted once per passage
    it is on, for search's filters.)"""
    if name.isascii():  # (nothing to fold but case: the same key, faster)
        lowered = name.lower()
        return lowered, lowered, name
    folded = unicodedata.normalize("NFC", name).casefold().translate(_OWN_LETTERS).translate(PLAIN)
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return plain, name.casefold(), name


_SPELT = re.compile(r"(?<=\w)(?:\++|#+(?!\w))")  # "+" after a letter or digit; "#" closing a word
_SPELT_AS = {"+": "-plus-", "#": "-sharp-"}
MAX_TAG_SLUG = 120  # bytes of UTF-8: a tag's slug names a folder, and file systems allow 255


@lru_cache(maxsize=4096)  # a site has a few hundred tags, each met on every note that carries it
def tag_slug(tag: str) -> str:
    """The slug of a tag, its page's folder name: letters and digits of any script, case folded, and
    "-" for every run of anything else (so never "/", "." or a control character). Latin and Greek
    letters lose their accents (`Café` -> `cafe`, `Iğdır` -> `igdir`: PLAIN); other scripts stay as they are (`Лос Сетас` ->
    `лос-сетас`). "+" after a letter or digit, and "#" ending a word, are spelt out (`C++` -> `c-plus-plus`,
    `C#` -> `c-sharp`), so that `C`, `C++` and `C#` keep pages of their own; a "#" that opens a word is a
    hashtag's, and dropped (`#MeToo` -> `metoo`). A slug longer than MAX_TAG_SLUG is cut and ends with a hash
    of the whole, so that long tags stay apart. "" when the tag has no letter or digit."""
    out = []
    for char in _SPELT.sub(lambda m: "".join(_SPELT_AS[c] for c in m.group()), _folded(tag).translate(PLAIN)):
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base.isascii() and base.isalnum():
            out.append(base.lower())
        elif unicodedata.category(char)[0] in "LMN":
            out.append(char)
        else:
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    if not any(c.isalnum() for c in slug):
        return ""
    if len(slug.encode()) > MAX_TAG_SLUG:
        cut = slug.encode()[: MAX_TAG_SLUG - 10].decode("utf-8", "ignore").rstrip("-")
        slug = f"{cut}-{hashlib.blake2b(slug.encode(), digest_size=4).hexdigest()}"
    return slug


PAGE_IDS = {  # the ids an article page has whatever its annotations (templates, and serve's problems box)
    "main": "the page's main content", "article-title": "the article's title",
    "changes-title": "the history of the page", "glossator-problems": "the problems box of glossator serve",
}
NOTE_PARTS = {"note-": "the note", "ref-": "the reference to the note"}  # `note-<id>`, `ref-<id>` of each annotation


def page_ids(ann_id: str) -> tuple[str, ...]:
    """The ids an annotation gives its article page that a slug could equal: its passage's, its note's and
    its reference's (templates/_note.html, render/weave.py; the note's other parts have ids with a dot)."""
    return (ann_id, *(prefix + ann_id for prefix in NOTE_PARTS))


def page_clash(ann_id: str, ids) -> str | None:
    """What on the article page already has the id `ann_id`, beside annotations of `ids`: a part of every
    page, or the note or reference of another annotation; None when nothing."""
    if ann_id in PAGE_IDS:
        return PAGE_IDS[ann_id]
    for prefix, part in NOTE_PARTS.items():
        if ann_id.startswith(prefix) and ann_id[len(prefix):] in ids:
            return f'{part} of the annotation "{ann_id[len(prefix):]}"'
    return None


def free_id(base: str, used: set[str], reached: dict[str, int] | None = None) -> str:
    """`base`, else `base-2`, `base-3`…: the first that gives the page no id in `used`. `reached`: over calls
    whose `used` only grows, the number each base got to, where the next call starts (10,000 quotes that
    begin alike were each numbered from 2 again: 2 minutes)."""
    n = reached.get(base, 1) if reached is not None else 1
    candidate = base if n == 1 else f"{base}-{n}"
    while not used.isdisjoint(page_ids(candidate)):
        n += 1
        candidate = f"{base}-{n}"
    if reached is not None:
        reached[base] = n
    return candidate


def _latin_script(quote: str) -> bool:
    """Whether the quote's letters are Latin more than any other script's ("38 ± 4 µg/m³" is, "«лише 9 %»" is not)."""
    if quote.isascii():
        return True
    latin = other = 0
    for c in quote:
        if c.isalpha():
            if c.isascii() or unicodedata.name(c, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return latin >= other


def id_base(quote: str) -> str:
    """What an id derived from `quote` starts from: its first words, or a hash of a quote not written in Latin
    letters, whose ASCII digits and stray Latin letters would name it alone (heldout63: the Ukrainian quotes
    «лише 9 %», "9 %" and "9 % — це порівняно…" were ids "9", "9-2", "9-3", numbered by their order in the file)."""
    words = re.findall(r"[a-z0-9]+", _ascii_lower(unicodedata.normalize("NFKD", quote).replace("\u2044", " ")))  # "¾" is "3⁄4": "3-4", not "34"
    base = "-".join(words[:6])[:40].strip("-") if _latin_script(quote) else ""
    if not base:  # no Latin letter or digit in it, or few (Arabic, Chinese, Greek, Ukrainian): named by its hash
        digest = hashlib.blake2b(" ".join(unicodedata.normalize("NFC", quote).split()).encode(), digest_size=4).hexdigest()
        base = f"passage-{digest}"
    return base


def derive_id(quote: str, used: set[str], reached: dict[str, int] | None = None) -> str:
    """A readable id from the quote's first words: stable while the quote is unchanged. `used`: the ids
    already on the page (PAGE_IDS, and the `page_ids` of the other annotations), which it avoids (`reached`:
    free_id's)."""
    return free_id(id_base(quote), used, reached)
