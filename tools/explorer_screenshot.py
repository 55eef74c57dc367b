"""The backward explorer as the docs show it: docs/images/explorer.png, taken in headless Chromium.

    python -m tools.explorer_screenshot [--out docs/images]

`python -m tools.docs_images` runs it too (it is one of that command's makers). The page is the
flagship's first training step (`tinygrad-lr explain`), opened from disk and stepped, with the
arrow key, to the backward step of the expand, where b's gradient is summed over the batch; b's
node is clicked, so that the panel shows it. Needs Graphviz's `dot`, Chromium and Playwright's
Python package (which drives the system's Chromium: it never downloads a browser of its own).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from tinygrad_lr.apps.explain_cli import flagship_first_step
from tinygrad_lr.viz import explain

NAME = "explorer.png"
#: The step shown: the backward step of the expand (b's gradient, summed over the batch).
STEP = 14
VIEWPORT = {"width": 1280, "height": 760}


class BrowserNotFoundError(RuntimeError):
    """The screenshot needs Chromium and Playwright's Python package, and one is missing."""


def _chromium() -> str:
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if found is None:
        raise BrowserNotFoundError("the explorer's screenshot needs Chromium on the PATH "
                                   "(Debian/Ubuntu: apt-get install chromium)")  # fmt: skip
    return found


def screenshot(out_dir: Path) -> list[Path]:
    """Write `NAME` into `out_dir`; returns its path in a list (the makers' convention)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserNotFoundError("the explorer's screenshot needs Playwright's Python package "
                                   "(pip install playwright; it comes with the dev extra)"
                                   ) from None  # fmt: skip
    chromium = _chromium()
    loss, params = flagship_first_step()
    target = out_dir / NAME
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        page_file = explain(loss, params).save(Path(tmp) / "explain.html")
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(page_file.as_uri())
            for _ in range(STEP):
                page.keyboard.press("ArrowRight")
            b_node = page.locator("#graph g.node", has=page.locator("title:text-is('t3')"))
            b_node.click()
            page.screenshot(path=str(target))
        finally:
            browser.close()
    return [target]


def main(argv: list[str] | None = None) -> int:
    """Write the screenshot; exit status 1 (with the reason) when something it needs is missing."""
    from tinygrad_lr.viz import GraphvizNotFoundError

    parser = argparse.ArgumentParser(prog="python -m tools.explorer_screenshot",
                                     description="Make docs/images/explorer.png.")  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("docs") / "images",
                        help="folder to write into (default docs/images)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for path in screenshot(args.out):
            print(f"wrote {path}")
    except (BrowserNotFoundError, GraphvizNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
