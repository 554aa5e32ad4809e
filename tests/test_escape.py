"""Templates escape through builder.render.templates.escape: the same text as markupsafe.escape."""
import datetime as dt
from pathlib import Path

import markupsafe
import pytest
from markupsafe import Markup

from builder.render.templates import environment, escape


class Html:
    def __html__(self):
        return "<i>safe</i>"


class Text(str):
    pass


VALUES = ["", "plain", "<a href=\"x\">&amp; 'q'</a>", "“curly” — ünïcode <>", Markup("<b>&amp;</b>"), 0, 42, -7,
          True, False, None, 3.5, dt.date(2026, 11, 30), Html(), Text("<sub>"), ["<", 1], {"k": "<v>"}]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_as_markupsafe(value):
    ours, theirs = escape(value), markupsafe.escape(value)
    assert type(ours) is Markup and ours == theirs


def test_templates_escape_what_they_show(tmp_path: Path):
    env = environment(tmp_path)
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}")
    assert template.render(a="<x & \"y\">", b=Markup("<b>"), c=3, d=Html()) == \
        "&lt;x &amp; &#34;y&#34;&gt;|<b>|3|<i>safe</i>"
