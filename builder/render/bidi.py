"""Which way a text reads: a site's language, and an article's own letters (an Arabic article on an English site)."""
from __future__ import annotations

import functools
import re
import unicodedata

# languages written right to left (their primary subtag): on such a site, the interface's parts say so
RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"})

# letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
# presentation forms (the Unicode bidirectional classes R and AL), and the historic ones past the BMP
_RTL = "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
_RTL_LETTER = r"(?=[^\W\d_])" + _RTL
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    """A pattern of this module that lists thousands of characters, compiled when a text first needs it: most
    sites' texts are told apart by their first bytes (`_none_of`), and compiling them all took 7 ms of every run."""
    return re.compile(pattern)


# The first bytes, in UTF-8, of the characters _RTL matches (U+0590-U+0FFF: D6-E0; U+FB1D-U+FEFC: EF; past the BMP: F0),
# and of those _SCRIPTS match (and of some others besides): a text whose UTF-8 holds none holds none of those characters.
# Most texts are told so by `_none_of` at 1 ns a byte, where the regular expressions take 5 to 15 (an article's text:
# 0.1 ms), since typographic quotes and dashes (E2 80 ..) keep them from being ASCII.
_RTL_LEADS = bytes(range(256)).translate(None, bytes([*range(0xD6, 0xE1), 0xEF, 0xF0]))
_SCRIPT_LEADS = bytes(range(256)).translate(None, bytes([*range(0xCD, 0xD0), *range(0xD6, 0xE2), *range(0xE3, 0xEE), 0xEF, 0xF0]))


def _none_of(text: str, others: bytes) -> bool:
    """Whether the UTF-8 of a text holds only the bytes of `others` (the complement of some first bytes, above)."""
    return not text.encode("utf-8", "surrogatepass").translate(None, others)


def direction(language: str) -> str:
    """A site's direction, from its language: "rtl" or "ltr"."""
    return "rtl" if language.split("-")[0].lower() in RTL else "ltr"


def english(language: str) -> bool:
    """Whether a site's language is English ("en", "en-GB"): its pages need no lang="en" on the interface's words."""
    return language.split("-")[0].lower() == "en"


def text_direction(text: str, default: str) -> str:
    """The direction of a text, from its letters: "rtl" when most of them are of a right-to-left script,
    "ltr" when most are of another, `default` (the site's) when it has none or as many of each. Whole
    text, not its first letter (dir="auto"): an Arabic paragraph that starts "BBC" still reads right to left,
    and the article's layout (its notes' order under a line) follows one direction."""
    if (text.isascii() or _none_of(text, _RTL_LEADS) or _compiled(_RTL).search(text) is None  # (a letter or not: four
            or _compiled(_RTL_LETTER).search(text) is None):  # times quicker to look for than a letter)
        return "ltr" if _LETTER.search(text) else default
    rtl = sum(1 for _ in _compiled(_RTL_LETTER).finditer(text))
    other = sum(1 for _ in _LETTER.finditer(text)) - rtl
    return "rtl" if rtl > other else "ltr" if other > rtl else default


# scripts that name their language well enough for a reader's tools (a screen reader's voice, the browser's choice of
# font and line breaking): the letters of each, and the language tag a text mostly in them gets
_SCRIPTS = (
    ("he", "[\u0590-\u05ff\ufb1d-\ufb4f]"),
    ("ar", "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"),
    ("ja", "[\u3040-\u30ff\u31f0-\u31ff]"),  # kana (Japanese text mixes them with Han)
    ("zh", "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"),  # Han
    ("ko", "[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    ("el", "[\u0370-\u03ff\u1f00-\u1fff]"),
    ("th", "[\u0e00-\u0e7f]"),
)
_ANY_SCRIPT = "|".join(letters for _, letters in _SCRIPTS)
# the script a site's language is written in, by the tag above that stands for it
_WRITTEN_IN = {"he": "he", "iw": "he", "yi": "he", "ar": "ar", "fa": "ar", "ur": "ar", "ps": "ar", "ckb": "ar", "sd": "ar",
               "ug": "ar", "ks": "ar", "ku": "ar", "ja": "ja", "zh": "zh", "yue": "zh", "ko": "ko", "el": "el", "th": "th"}


# Vietnamese is written in Latin letters, with letters that no other language uses much: ă, đ, ơ, ư and the stacked
# accents of Latin Extended Additional (ầ, ệ, ữ…), a fifth of a Vietnamese text's letters. At least VIETNAMESE of them,
# and a twentieth of the letters: a name or two in an English text ("Nguyễn Thị Hương") is not enough
_VIETNAMESE = "[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
VIETNAMESE = 10
# the first bytes, in UTF-8, of those letters (C4, C6, E1) and of the combining accents they decompose to (CC, CD): most
# Latin texts hold none, and are told so as quickly as above
_VIETNAMESE_LEADS = bytes(range(256)).translate(None, bytes([0xC4, 0xC6, 0xCC, 0xCD, 0xE1]))


def text_language(text: str, site_language: str) -> str | None:
    """The language tag of a text written in another script than its site's language ("he" for a Hebrew article on an
    English site; "ja" for Han with kana, else "zh"), from its letters (the first 4,000 characters); None when it is
    in the site's script, or in a script shared by many languages (Latin, Cyrillic): the page's own lang stands.
    Vietnamese, in Latin letters of its own, is "vi" (a screen reader read heldout58's Vietnamese brief in English)."""
    sample = text[:4000]
    if sample.isascii():
        return None
    if _none_of(sample, _SCRIPT_LEADS) or _compiled(_ANY_SCRIPT).search(sample) is None:
        return _latin_language(sample, site_language)
    counts = {tag: len(_compiled(letters).findall(sample)) for tag, letters in _SCRIPTS}
    if counts["ja"]:
        counts["ja"] += counts.pop("zh")  # Japanese: kana among Han
    tag, most = max(counts.items(), key=lambda kv: kv[1])
    if most * 2 <= sum(1 for _ in _LETTER.finditer(sample)):  # not most of its letters
        return None
    site = _WRITTEN_IN.get(site_language.split("-")[0].lower())
    return None if tag == site else tag


def _latin_language(sample: str, site_language: str) -> str | None:
    """"vi" for a text in Latin letters that is Vietnamese by _VIETNAMESE (in NFC: an article saved decomposed too),
    on a site in another language; else None."""
    if _none_of(sample, _VIETNAMESE_LEADS) or site_language.split("-")[0].lower() == "vi":
        return None
    sample = unicodedata.normalize("NFC", sample)
    own = len(_compiled(_VIETNAMESE).findall(sample))
    return "vi" if own >= VIETNAMESE and own * 20 >= sum(1 for _ in _LETTER.finditer(sample)) else None
