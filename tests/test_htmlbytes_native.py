"""The compiled `encode` (builder/_htmlbytes.c) against its rule, plan.html_bytes: the same bytes for every page
of a built site, and for texts made to hold each kind of character at each place of the four characters it reads
at once; None (the page left to the rule) exactly where a page holds a character HTML forbids or a lone
surrogate. The tests that need the module skip where it is not built, except the one that asks why it is missing
where a C compiler is at hand."""
from __future__ import annotations

import importlib
import random
import re

import pytest

from builder import native

plan = importlib.import_module("builder.render.plan")  # (builder.render's `plan` is the function)
NATIVE = native.load("_htmlbytes")
needs_native = pytest.mark.skipif(NATIVE is None, reason="builder/_htmlbytes.c is not built here (pip install -e . "
                                                          "builds it where a C compiler is)")


def test_the_compiled_encoder_is_built_and_used_wherever_a_c_compiler_is():
    if native.compiler() is None:
        pytest.skip("no C compiler here: str.encode and the rule's look at the bytes are used")
    assert NATIVE is not None, ("builder._htmlbytes is not importable, or was built from another builder/_htmlbytes.c: "
                                "`pip install -e .` builds it (`pip install -v -e .` says why it could not)")
    assert plan._NATIVE is NATIVE


def rule(page: str) -> bytes:
    """html_bytes without the compiled encoder."""
    data = page.encode("utf-8", "replace")
    if data.translate(None, plan._BUT_ASCII_CONTROLS) or plan._c1(data) or (b"\xef" in data and plan._NONCHARACTER_UTF8.search(data)):
        return plan._NOT_HTML.sub("\ufffd", page).encode("utf-8", "replace")
    return data


# one character of each kind: ASCII printable, the allowed controls, every forbidden range's ends, two and three
# bytes of UTF-8, surrogates, past the BMP (which makes the text UCS-4)
KINDS = ["a", "~", " ", "\t", "\n", "\f", "\r", "\x00", "\x08", "\x0b", "\x0e", "\x1f", "\x7f", "\x80", "\x9f", "\xa0", "é",
         "\u07ff", "\u0800", "“", "\ud7ff", "\ud800", "\udfff", "\ue000", "\ufdcf", "\ufdd0", "\ufdef", "\ufdf0", "\ufffd",
         "\ufffe", "\uffff", "\U0001f642", "\U0010ffff"]


def texts():
    rng = random.Random(58)
    for kind in KINDS:
        for at in range(9):  # each place of two words of four characters, and after them
            for base in ("abcdefghij", "“abcdefghij"):  # Latin-1 or ASCII, and UCS-2
                yield base[:at] + kind + base[at:]
    for _ in range(3000):
        yield "".join(rng.choice(KINDS + ["x"] * 20) for _ in range(rng.randint(0, 40)))


@needs_native
def test_the_compiled_encoder_gives_the_rules_bytes_or_leaves_the_page_to_it():
    forbidden = re.compile(plan._NOT_HTML.pattern[:-1] + "\ud800-\udfff]")
    for text in texts():
        got = NATIVE.encode(text)
        if forbidden.search(text):
            assert got is None, repr(text)
        else:
            assert got == rule(text), repr(text)
        assert plan.html_bytes(text) == rule(text), repr(text)


@needs_native
def test_every_page_of_a_built_site_is_the_same_with_and_without_it(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from builder.cli import main

    site = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_bytes().decode()
        assert NATIVE.encode(text) == rule(text) == page.read_bytes()


@needs_native
def test_the_search_index_reads_the_text_of_the_page_just_made_and_decodes_any_other():
    from builder.search import page_text

    made = plan.html_bytes("<p>“Officials” said</p>\r\n")
    assert plan.text_of(made) == "<p>“Officials” said</p>\r\n" and page_text(made, plan.text_of(made)) == page_text(made)
    assert plan.text_of(bytes(bytearray(made))) is None  # equal bytes, another object: not known to be that text
    odd = plan.html_bytes("<p>a\x07b</p>")  # a control: written as the rule says, not remembered
    assert odd == "<p>a\ufffdb</p>".encode() and plan.text_of(odd) is None
