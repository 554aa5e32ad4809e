"""The browser tests' shared builds (browserkit.build_once): a site asked for again is not built again, and a site
whose files changed is, so that no test is served the pages of a site as it stood before."""
from __future__ import annotations

from .browserkit import build_once

NEEDS_BROWSER = False  # (builds only: see conftest.py)


def _site(root):
    (root / "content").mkdir(parents=True)
    (root / "annotations").mkdir()
    (root / "site.toml").write_text('title = "T"\nsearch = false\n', encoding="utf-8")
    (root / "content" / "a.txt").write_text("A\n\nThe mayor said the bridge would open in May.\n", encoding="utf-8")
    (root / "annotations" / "a.yaml").write_text("annotations:\n  - quote: open in May\n    note: It opened in June.\n",
                                                 encoding="utf-8")
    return root


def test_a_site_is_built_again_only_when_its_files_change(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    site = _site(tmp_path / "site")
    first = build_once(site, store)
    page = first / "articles" / "a" / "index.html"
    assert "It opened in June." in page.read_text(encoding="utf-8")
    page.write_text("seen", encoding="utf-8")  # (had it been built again, this would be gone)
    assert build_once(site, store) == first and page.read_text(encoding="utf-8") == "seen"

    (site / "annotations" / "a.yaml").write_text("annotations:\n  - quote: open in May\n    note: It opened in July.\n",
                                                 encoding="utf-8")
    second = build_once(site, store)
    assert second != first
    assert "It opened in July." in (second / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in store.iterdir()) == sorted([first.name, second.name])  # (nothing left aside)
