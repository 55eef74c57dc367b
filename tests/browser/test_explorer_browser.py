"""The backward explorer in a real browser: Debian's Chromium, driven by Playwright.

Each page is opened from disk (file://) and stepped through to the end with the `next` button and
the arrow keys; the gradients it shows must be those `loss.backward()` gives, stepping back must
take them away again, a click on a node must show that node, and the page must make no request
and log no error. One browser serves the whole module.

Playwright's own browser download does not work everywhere, so the system's Chromium is used
(`executable_path`). Without Chromium or Playwright the tests are skipped, saying which is
missing; .ci/run installs Chromium where it can.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tinygrad_lr.apps.explain_cli import flagship_first_step, mlp_step
from tinygrad_lr.viz import explain

pytestmark = pytest.mark.browser

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
NUMBER = r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)"
ALLOWED_SCHEMES = ("file:", "data:", "about:")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright; it "
                                      "comes with the dev extra)")  # fmt: skip
    if CHROMIUM is None:
        pytest.skip("no Chromium on the PATH (Debian/Ubuntu: apt-get install chromium)")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is missing: the page's graph cannot be drawn")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


class Visit:
    """One page open in the browser, with every request it made and every error it logged."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
        else:  # anything else would leave the machine: refused, and the test fails
            self.requests.append(url)
            route.abort()

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)

    def step(self) -> tuple[int, int]:
        k, n = self.text("#step").split(" / ")
        return int(k), int(n)

    def grads_shown(self) -> dict[str, str]:
        cells = self.page.query_selector_all("[data-grad-of]")
        return {c.get_attribute("data-grad-of"): c.inner_text() for c in cells}

    def close(self) -> None:
        assert self.requests == [], f"the page asked for {self.requests}"
        assert self.errors == [], f"the page logged errors: {self.errors}"
        self.page.close()


def save_page(loss: Any, params: Any, folder: Path) -> Path:
    return explain(loss, params).save(folder / "page.html")


def step_to_the_end(visit: Visit, clicks: int) -> int:
    """`clicks` presses of the next button, then the → key until the end; the steps taken."""
    taken = 0
    for _ in range(clicks):
        visit.page.click("#next")
        taken += 1
    visit.page.locator("body").click(position={"x": 5, "y": 5})  # the keys go to the page
    while not visit.page.is_disabled("#next"):
        visit.page.keyboard.press("ArrowRight")
        taken += 1
    return taken


def assert_shows(text: str, grad: np.ndarray) -> None:
    """The gradient as the page writes it agrees with `grad` to its 4 significant digits:
    every value of a small array, the summary and the end entries of a big one."""
    values = [float(x) for x in re.findall(NUMBER, text)]
    flat = grad.ravel().astype(np.float64)
    if text.startswith("shape"):
        shape = tuple(int(s) for s in re.findall(r"\d+", text.split(";")[0]))
        assert shape == grad.shape
        lo, mean, hi, *entries = values[len(shape):]
        expected = [flat.min(), flat.mean(), flat.max(), *flat[:3], *flat[-3:]]
        values = [lo, mean, hi, *entries]
    else:
        expected = list(flat)
    assert len(values) == len(expected), (text, grad)
    # 4 significant digits: off by at most half a unit in the 4th digit
    np.testing.assert_allclose(values, expected, rtol=5.0001e-4, atol=1e-30)


def node(visit: Visit, key: str) -> Any:
    return visit.page.locator("#graph g.node", has=visit.page.locator(f"title:text-is('{key}')"))


def rows_shown(visit: Visit, key: str) -> list[str]:
    """The rows of text the node of `key` shows now (rows of later steps are hidden)."""
    return node(visit, key).locator("text:not(.hidden)").all_text_contents()


def test_the_flagship_step_to_the_end_back_and_a_click(browser, tmp_path):
    loss, params = flagship_first_step()
    visit = Visit(browser, save_page(loss, params, tmp_path))
    loss.backward()
    assert visit.step() == (0, 16)
    assert visit.page.is_disabled("#prev")
    assert visit.grads_shown() == {"w": "not computed yet", "b": "not computed yet"}
    assert visit.text("#explain").startswith("Before the forward pass")
    assert step_to_the_end(visit, clicks=3) == 16
    assert visit.step() == (16, 16) and visit.page.is_disabled("#next")
    assert visit.text("#explain").startswith("Done: every parameter has its gradient")
    shown = visit.grads_shown()
    for name in ("w", "b"):
        assert_shows(shown[name], params[name].grad.numpy())
    assert rows_shown(visit, "t1") == ["w", "(1, 1) float32", "= [[0.2037]]", "grad [[-139.5]]"]
    # back one step: mm, the op that sends w its gradient, is the current one again
    visit.page.keyboard.press("ArrowLeft")
    assert visit.step() == (15, 16) and not visit.page.is_disabled("#next")
    assert visit.text("#explain").startswith("Backward 7 of 7: mm #1")
    assert "backward" in node(visit, "op0").get_attribute("class")
    # back to the start of the backward pass: no parameter has its gradient yet
    for _ in range(2):
        visit.page.click("#prev")
    for _ in range(5):
        visit.page.keyboard.press("ArrowLeft")
    assert visit.step() == (8, 16)
    assert visit.grads_shown() == {"w": "not computed yet", "b": "not computed yet"}
    assert rows_shown(visit, "t1") == ["w", "(1, 1) float32", "= [[0.2037]]"]
    pow_output = ["(4, 1) float32", "= [[67.28], [127.2], [77.17], [114.3]]"]
    assert rows_shown(visit, "t8") == pow_output
    # a click on y_pred's node shows its value, its gradient (so far) and the rule that made it
    node(visit, "t5").click()
    info = visit.text("#node-info")
    assert "y_pred: intermediate, shape (4, 1), float32" in info
    assert "value = [[0.5311], [0.8642], [0.6151], [0.8338]]" in info
    assert "gradient: not yet" in info and "made by add #3: z = a + b" in info
    visit.page.eval_on_selector("#slider", "s => { s.value = 13; s.dispatchEvent(new Event("
                                           "'input')); }")  # fmt: skip
    assert visit.step() == (13, 16)
    assert "gradient = [[-8.202], [-11.28], [-8.784], [-10.69]]" in visit.text("#node-info")
    assert rows_shown(visit, "t8") == pow_output + ["grad [[0.5], [0.5], [0.5], [0.5]]"]
    visit.close()


def test_the_mlp_step(browser, tmp_path):
    loss, model = mlp_step()
    visit = Visit(browser, save_page(loss, model, tmp_path))
    loss.backward()
    n = visit.step()[1]
    assert step_to_the_end(visit, clicks=2) == n
    shown = visit.grads_shown()
    assert sorted(shown) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    for name, p in model.named_parameters():
        assert_shows(shown[name], p.grad.numpy())
    # the big intermediate values are summarised on the nodes and in the panel
    assert "shape (200, 16), norm" in visit.text("#graph")
    visit.page.keyboard.press("Home")
    assert visit.step() == (0, n)
    visit.close()


def test_a_200_op_chain_folded(browser, tmp_path):
    import tinygrad_lr as t

    w = t.tensor(0.5, requires_grad=True, name="w")
    h = t.tensor(1.0, name="h0")
    for i in range(200):
        h = h * w if i % 2 == 0 else h.tanh()
    visit = Visit(browser, save_page(h, {"w": w}, tmp_path))
    h.backward()
    assert visit.step() == (0, 402)
    visit.page.click("#next")
    for _ in range(2):
        visit.page.keyboard.press("ArrowRight")
    # The other 399 steps by the → key, sent inside the page (a round trip per key from here
    # would take seconds): the step counter must go up by one each time, to the end.
    counters = visit.page.evaluate("""() => {
        const seen = [];
        while (!document.getElementById("next").disabled) {
            document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
            seen.push(document.getElementById("step").textContent);
        }
        return seen;
    }""")
    assert counters == [f"{k} / 402" for k in range(4, 403)]
    assert_shows(visit.grads_shown()["w"], w.grad.numpy())
    # in the middle of the backward pass, the folded node holding the current op is lit
    visit.page.eval_on_selector("#slider", "s => { s.value = 300; s.dispatchEvent(new Event("
                                           "'input')); }")  # fmt: skip
    assert visit.step() == (300, 402)
    assert "is inside a folded node" in visit.text("#explain")
    lit = visit.page.locator("#graph g.node.backward")
    assert lit.count() == 1 and "more ops" in lit.text_content()
    visit.close()
