"""Screenshots of an article page, wide and narrow (see screenshots.py).

Taken on every run into a temporary folder; written to docs/screenshots, for the README, only
with GLOSSATOR_SCREENSHOTS=1, so that a test run leaves the tree as it was.
"""
from __future__ import annotations

import os
import struct

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from .browserkit import REPO  # noqa: E402
from .screenshots import SHOTS, take  # noqa: E402


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_an_article_page(browser, site_url, tmp_path):
    target = REPO / "docs" / "screenshots" if os.environ.get("GLOSSATOR_SCREENSHOTS") == "1" else tmp_path
    written = take(browser, site_url, target)
    assert [p.name for p in written] == list(SHOTS)
    for path in written:
        viewport, scale, _ = SHOTS[path.name]
        assert png_size(path) == (viewport["width"] * scale, viewport["height"] * scale)
        assert path.stat().st_size > 20_000, f"{path} looks empty"
