"""Screenshots of an article page of the repo's own site, wide and narrow, for the README.

    python tests/browser/screenshots.py [OUT] [--dark]   # build, serve, write docs/screenshots/*.png

test_screenshots.py runs the same code on every test run, into a temporary folder; it rewrites
docs/screenshots only when GLOSSATOR_SCREENSHOTS=1 is set, so CI leaves the tree clean.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__:
    from .browserkit import CHROMIUM, CHROMIUM_ARGS, REPO, build, serve
else:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from browserkit import CHROMIUM, CHROMIUM_ARGS, REPO, build, serve

ARTICLE = "/articles/zetas-ms13-allies/"
SHOTS = {
    # name: (viewport, device scale factor, what to scroll to the top: None for the top of the page)
    "article-wide.png": ({"width": 1280, "height": 1200}, 1, None),
    "article-narrow.png": ({"width": 375, "height": 812}, 2, None),  # the first screen: the text starts on it
}


def take(browser, site_url: str, out_dir: Path, scheme: str = "light") -> list[Path]:
    """Write the screenshots into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (viewport, scale, scroll_to) in SHOTS.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=scale, color_scheme=scheme,
                                      reduced_motion="reduce")
        page = context.new_page()
        page.goto(site_url + ARTICLE)
        page.evaluate("document.fonts.ready")
        if scroll_to:
            page.evaluate("sel => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + scrollY - 16)",
                          scroll_to)
        path = out_dir / (name if scheme == "light" else name.replace(".png", f"-{scheme}.png"))
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        written.append(path)
        context.close()
    return written


def main() -> int:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also take the dark-mode screenshots")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = build(REPO, Path(tmp) / "out")
        server, url = serve(out)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in take(browser, url, args.out) + (take(browser, url, args.out, "dark") if args.dark else []):
                print(path)
        finally:
            browser.close()
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
