"""The passages' filters an article page gives search.js (SPEC 11) are written by orjson: the same text
as json.dumps(ensure_ascii=False, compact) gave, for any character a site's tags and labels hold."""
from __future__ import annotations

import json

from builder.render.search import compact_json


def test_the_filters_json_is_the_text_json_dumps_wrote_for_every_character():
    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF) + "\U0001F600\u2028\u2029\ufeff"
    data = {"p-1": {"flag": [every, 'a "quoted" \\ word'], "tag": ["Café", "\x00\x1f\x7f"]}, every: {}}
    assert compact_json(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_a_lone_surrogate_which_orjson_refuses_is_written_as_json_dumps_wrote_it():
    data = {"p-1": {"tag": ["broken \ud800 tag"]}}
    assert compact_json(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
