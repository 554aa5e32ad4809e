"""Which way a text reads: a site's language, and an article's own letters (an Arabic article on an English site)."""
from __future__ import annotations

import re

# languages written right to left (their primary subtag): on such a site, the interface's parts say so
RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"})

# letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
# presentation forms (the Unicode bidirectional classes R and AL), and the historic ones past the BMP
_RTL = "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
_RTL_CHAR = re.compile(_RTL)  # (a letter or not: four times quicker to look for than _RTL_LETTER)
_RTL_LETTER = re.compile(r"(?=[^\W\d_])" + _RTL)
_LETTER = re.compile(r"[^\W\d_]")


def direction(language: str) -> str:
    """A site's direction, from its language: "rtl" or "ltr"."""
    return "rtl" if language.split("-")[0].lower() in RTL else "ltr"


def text_direction(text: str, default: str) -> str:
    """The direction of a text, from its letters: "rtl" when most of them are of a right-to-left script,
    "ltr" when most are of another, `default` (the site's) when it has none or as many of each. Whole
    text, not its first letter (dir="auto"): an Arabic paragraph that starts "BBC" still reads right to left,
    and the article's layout (its notes' order under a line) follows one direction."""
    if text.isascii() or _RTL_CHAR.search(text) is None or _RTL_LETTER.search(text) is None:  # (most: no counting)
        return "ltr" if _LETTER.search(text) else default
    rtl = sum(1 for _ in _RTL_LETTER.finditer(text))
    other = sum(1 for _ in _LETTER.finditer(text)) - rtl
    return "rtl" if rtl > other else "ltr" if other > rtl else default
