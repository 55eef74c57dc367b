"""The built site in a real browser, opened from disk (file://) as a reader without a network
would: headless Chromium (Debian's, /usr/bin/chromium), driven by Playwright.

Every request the pages make is routed through the test: a file of the site goes through, and
anything else (any http or https address, even on this machine) is refused and fails the test. On
each page the math must be typeset by KaTeX (no TeX left raw), every picture must load, and
nothing may be written to the console as an error.

Skipped, saying why, only when Playwright or the browser is not installed.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright comes with the dev extra")
if not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)",
                allow_module_level=True)
BROWSER = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")

# Pages with math: from the docs, the notebook's page, and the home page.
PAGES_WITH_MATH = ["index.html", "linear_regression.html", "notebook.html", "explorer.html"]


class Visit:
    """What a page did while it was open: its console errors and the requests it tried."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.refused: list[str] = []
        self.failed: list[str] = []


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # The flags keep Chromium's own background traffic (updates, sync, field trials) off.
        launched = playwright.chromium.launch(
            executable_path=BROWSER, headless=True,
            args=["--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])  # fmt: skip
        yield launched
        launched.close()


def open_page(browser, url: str) -> tuple[object, Visit]:
    visit = Visit()
    context = browser.new_context()

    def route(request_route) -> None:
        if request_route.request.url.startswith("file://"):
            request_route.continue_()
        else:
            visit.refused.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}"))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, visit


@pytest.mark.parametrize("name", PAGES_WITH_MATH)
def test_the_math_is_typeset_offline_without_errors(
        browser, built_site: Path, name: str, capsys: pytest.CaptureFixture) -> None:  # fmt: skip
    start = time.perf_counter()
    page, visit = open_page(browser, (built_site / name).as_uri())
    formulas = page.locator(".arithmatex").count()
    typeset = page.locator(".arithmatex .katex").count()
    assert formulas > 0, f"{name} has no math to check"
    assert typeset == formulas, f"{name}: {formulas - typeset} of {formulas} formulas not typeset"
    text = page.locator("article").inner_text()
    for raw in ("$$", "\\(", "\\[", "\\frac"):
        assert raw not in text, f"{name} still shows the TeX {raw!r}"
    broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth == 0)"
                           ".map(i => i.src)")
    assert not broken, f"{name}: pictures that did not load: {broken}"
    assert not visit.refused, f"{name} tried to reach the network: {visit.refused}"
    assert not visit.failed, f"{name}: requests that failed: {visit.failed}"
    assert not visit.errors, f"{name}: console errors: {visit.errors}"
    page.context.close()
    with capsys.disabled():
        print(f"\n{name}: {formulas} formulas typeset in {time.perf_counter() - start:.1f} s")


def test_search_works_from_disk(browser, built_site: Path) -> None:
    # Material's search runs in a worker, which Chromium will not start from file://; the
    # vendored iframe-worker shim runs it in an iframe instead, with the index inlined.
    page, visit = open_page(browser, (built_site / "index.html").as_uri())
    page.locator(".md-search__input").first.click(force=True)  # the box opens on a click
    page.keyboard.type("backward", delay=20)  # Material searches on key presses
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert not visit.refused and not visit.errors, (visit.refused, visit.errors)
    page.context.close()


def test_the_explorer_page_is_embedded_and_steps(browser, built_site: Path) -> None:
    if not (built_site / "explorer" / "flagship.html").is_file():
        pytest.skip("the site was built without the explorer page (no Graphviz dot)")
    page, visit = open_page(browser, (built_site / "explorer.html").as_uri())
    frame = page.frame_locator("iframe[src='explorer/flagship.html']")
    step = frame.locator("#step")
    first = step.inner_text()
    frame.locator("#next").click()
    assert step.inner_text() != first and "/" in first
    assert not visit.refused and not visit.errors, (visit.refused, visit.errors)
    page.context.close()
