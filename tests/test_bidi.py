"""Which way a text reads and which language its script names (builder/render/bidi.py): the quick test that most
texts pass through (`_none_of`, on the bytes of their UTF-8) never hides a character the regular expressions would
have found, so an article's direction and language are what its letters say."""
from __future__ import annotations

import pytest

from builder.render import bidi


def test_no_character_of_a_right_to_left_script_or_of_a_named_script_is_passed_over_by_the_quick_test():
    missed = [hex(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF
              and ((bidi._compiled(bidi._RTL).match(chr(cp)) and bidi._none_of(chr(cp), bidi._RTL_LEADS))
                   or (bidi._compiled(bidi._ANY_SCRIPT).match(chr(cp)) and bidi._none_of(chr(cp), bidi._SCRIPT_LEADS)))]
    assert missed == []


def test_no_letter_of_vietnamese_nor_an_accent_it_decomposes_to_is_passed_over_by_the_quick_test():
    """heldout58: Vietnamese is told by its own Latin letters (ă, đ, ơ, ư, the stacked accents), in NFC or saved
    decomposed (combining accents): the quick test never passes over one."""
    import unicodedata

    letters = [chr(cp) for cp in range(0x110000) if bidi._compiled(bidi._VIETNAMESE).match(chr(cp))]
    pieces = {c for letter in letters for c in unicodedata.normalize("NFD", letter)} | set(letters)
    assert [hex(ord(c)) for c in pieces if not c.isascii() and bidi._none_of(c, bidi._VIETNAMESE_LEADS)] == []


QUOTED = "“Officials said,” the report — which ran on Monday — found. "


@pytest.mark.parametrize("text,direction,language", [
    (QUOTED * 20, "ltr", None),                                     # typographic quotes and dashes: not ASCII
    (QUOTED + "قالت الشرطة إن العصابات تحالفت " * 5, "rtl", "ar"),  # mostly Arabic, after English quotes
    ("BBC " + "הממשלה הודיעה היום " * 4, "rtl", "he"),
    (QUOTED + "Ο υπουργός δήλωσε σήμερα " * 6, "ltr", "el"),
    ("Résumé naïve café " * 10, "ltr", None),                        # Latin with accents (their lead bytes: C3)
    ("“…” 1234 — 5678", "rtl", None),                                 # no letter: the site's direction (given as rtl)
    (QUOTED + "Theo một nguồn tin giấu tên tại Sở, phà sẽ ngừng hoạt động " * 3, "ltr", "vi"),  # Vietnamese (heldout58)
    (QUOTED * 4 + "Nguyễn Thị Hương and Trần Văn Đức", "ltr", None),     # two Vietnamese names in English
    (QUOTED + "\ud800", "ltr", None),                                 # a lone surrogate read from a file: no crash
])
def test_a_texts_direction_and_language_come_from_its_letters(text, direction, language):
    default = "ltr" if any(c.isalpha() for c in text) else "rtl"
    assert bidi.text_direction(text, default) == direction
    assert bidi.text_language(text, "en") == language
