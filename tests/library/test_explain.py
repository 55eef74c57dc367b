"""The backward explorer's content, checked without a browser: the steps written in Python
(`explorer_data`), the values recomputed for the forward pass, the page's self-containedness, and
bad input. tests/browser/test_explorer_browser.py drives the page itself in Chromium.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import tinygrad_lr as t
from tinygrad_lr.apps.explain_cli import flagship_first_step, mlp_step
from tinygrad_lr.core import ops
from tinygrad_lr.core.engine import topological_order
from tinygrad_lr.viz import GraphvizNotFoundError, explain, explain_html, explorer_data
from tinygrad_lr.viz.explain_steps import PANEL_FULL, array_text, forward_values
from tinygrad_lr.viz.format import format_number
from tinygrad_lr.viz.model import build_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))  # the op table's cases
from test_ops_gradcheck import CASES  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")

NUMBER = r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)"


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(NUMBER, text)]


def chain(n_ops: int) -> tuple[t.Tensor, t.Tensor]:
    """h ← tanh(w·h + 1)... : a chain of `n_ops` ops, all reading the one parameter w."""
    w = t.tensor(0.5, requires_grad=True, name="w")
    h = t.tensor(1.0, name="h0")
    for i in range(n_ops):
        h = h * w if i % 2 == 0 else h.tanh()
    h.name = "h"
    return h, w


# ---------------------------------------------------------------------------------------------
# The steps of the flagship
# ---------------------------------------------------------------------------------------------


def test_the_flagship_steps_forward_then_backward_in_the_engines_order():
    loss, params = flagship_first_step()
    data = explorer_data(loss, params)
    model = build_model(loss, params)
    phases = [s["phase"] for s in data["steps"]]
    n = len(model.ops)
    assert phases == ["start"] + ["forward"] * n + ["backward"] * (n + 1) + ["done"]
    forward_ops = [s["op"] for s in data["steps"] if s["phase"] == "forward"]
    assert forward_ops == [op.key for op in model.ops]  # the order the forward pass ran
    backward_ops = [s["op"] for s in data["steps"] if s["phase"] == "backward"][1:]
    engine = [model.op_of[fn].key for fn in topological_order(loss.grad_fn)]
    assert backward_ops == engine  # newest first, as run_backward visits them
    assert [data["ops"][k]["name"] for k in backward_ops] == [
        "sum", "mul", "pow", "sub", "add", "expand", "mm"]  # fmt: skip


def test_each_backward_step_shows_the_rule_g_and_what_each_input_receives():
    loss, params = flagship_first_step()
    steps = explorer_data(loss, params)["steps"]
    mm = steps[-2]
    assert mm["title"] == "Backward 7 of 7: mm #1"
    assert mm["rule"] == "z = a @ b;   da = g @ bᵀ,   db = aᵀ @ g"
    texts = [text for _kind, text in mm["lines"]]
    assert texts[0].startswith("g = dL/d(the output of mm #1) = [[")
    assert "da: not computed: a is x, which needs no gradient" in texts
    assert any(text.startswith("db = [[") and text.endswith("→ sent to w") for text in texts)
    expand = steps[-3]
    assert expand["rule"].startswith("z = a broadcast to a shape;")
    assert expand["edges"] == ["t3->op1"]  # the arrow from b, along which its gradient flows


def test_the_result_equals_what_backward_gives_and_no_grad_is_touched():
    loss, params = flagship_first_step()
    data = explorer_data(loss, params)
    assert params["w"].grad is None and params["b"].grad is None  # the explorer runs its own
    loss.backward()  # the graph was kept: the learner's backward still works
    done = [text for _kind, text in data["steps"][-1]["lines"]]
    assert [e["name"] for e in data["params"]] == ["w", "b"]  # y_pred is named, not a parameter
    for name in ("w", "b"):
        p = params[name]
        (entry,) = [e for e in data["params"] if e["name"] == name]
        final = data["tensors"][entry["key"]]["grads"][-1]
        assert final[3] is True and final[2] == array_text(p.grad.numpy())
        assert f"{name}.grad = {array_text(p.grad.numpy())}" in done
        np.testing.assert_allclose(numbers(final[2]), p.grad.numpy().ravel(), rtol=5e-4)


def test_the_forward_values_are_the_values_the_forward_pass_computed():
    x = t.tensor([[1.0, 2.0], [3.0, -4.0]], name="x")
    w = t.tensor([[0.5], [-1.5]], requires_grad=True, name="w")
    hidden = x.mm(w).tanh()
    loss = (hidden * hidden).sum(dim=0).mean()
    model = build_model(loss)
    values = forward_values(model)
    expected_hidden = np.tanh(x.numpy() @ w.detach().numpy())
    (tanh,) = [op for op in model.ops if op.name == "tanh"]
    np.testing.assert_array_equal(values[tanh.output.key], expected_hidden)
    assert values[model.root.key] == loss.item()
    steps = explorer_data(loss)["steps"]
    assert ["value", f"z = {array_text(expected_hidden)}"] in steps[2]["lines"]


@pytest.mark.parametrize("name", sorted(ops.OPS))
def test_running_an_op_again_gives_its_output(name: str):
    # Every op of the table, with its options (dims, shapes, keys, exponents, dtypes): its
    # forward, run again on its inputs' values with Function.options, gives what it gave.
    @settings(max_examples=3, deadline=None)
    @given(CASES[name])
    def check(case) -> None:
        out = case.fn(*case.inputs)
        model = build_model(out)
        model.root.tensor = None  # recompute the output too, instead of reading it
        np.testing.assert_array_equal(forward_values(model)[model.root.key],
                                      out.detach().numpy())  # fmt: skip

    check()


def test_a_function_you_wrote_with_a_number_argument_is_stepped_through():
    class Scale(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None  # no gradient for the number k

    w = t.tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = Scale.apply(w, 3.0).tanh().sum()
    data = explorer_data(loss)
    scale = data["steps"][-2]
    assert scale["title"] == "Backward 3 of 3: Scale #1"
    assert scale["edges"] == ["t0->op0"]  # one input in the drawing: w (3.0 is no tensor)
    # its forward takes arguments the graph does not keep: its value is not recomputed
    assert ["note", "z: its value is not kept by the graph"] in data["steps"][1]["lines"]
    loss.backward()
    assert data["steps"][-1]["lines"][0] == ["done", f"w.grad = {array_text(w.grad.numpy())}"]


# ---------------------------------------------------------------------------------------------
# Sums where a value fans out, big arrays, non-finite values, big graphs
# ---------------------------------------------------------------------------------------------


def test_a_value_used_twice_gets_the_sum_of_both_gradients_written_as_a_sum():
    w = t.tensor([2.0, 3.0], requires_grad=True, name="w")
    h = w * 3.0
    h.name = "h"
    loss = (h * h + h).sum()  # h fans out to mul (twice) and to add
    data = explorer_data(loss)
    model = build_model(loss)
    (mul_h,) = [op for op in model.ops if op.name == "mul" and op.output.name == "h"]
    step = data["steps"][data["ops"][mul_h.key]["backward_step"]]
    kinds = [kind for kind, _text in step["lines"]]
    assert kinds[:4] == ["sum"] * 4  # "h was used by 3 ops, ..." and its three parts
    assert step["lines"][0][1] == "h was used by 3 ops, so g is the sum of what each of them " \
        "sent back:"  # fmt: skip
    g = 2 * h.detach().numpy() + 1
    assert step["lines"][4] == ["grad", f"g = dL/d(h) = {array_text(g)}"]
    # while the parts arrive, the tensor's timeline says "so far", then gives the sum
    timeline = data["tensors"][mul_h.output.key]["grads"]
    assert [e[3] for e in timeline] == [False, False, True]
    assert timeline[-1][1] == f"grad {array_text(g)}"
    loss.backward()
    np.testing.assert_allclose(numbers(data["tensors"][model.tensors[0].key]["grads"][-1][2]),
                               w.grad.numpy())  # fmt: skip


def test_a_parameter_used_twice_shows_its_gradient_as_the_sum_of_its_parts():
    w = t.tensor(3.0, requires_grad=True, name="w")
    loss = w * w
    data = explorer_data(loss)
    done = data["steps"][-1]["lines"]
    assert done[0] == ["done", "w.grad = 6"]
    assert done[1] == ["sum", "   the sum of the 2 gradients sent to it (it is used 2 times): "
                              "3 + 3"]  # fmt: skip


def test_a_big_array_is_shown_by_shape_summary_and_a_few_entries():
    a = np.arange(100, dtype=np.float32).reshape(20, 5) / 8
    text = array_text(a)
    assert text == ("shape (20, 5); min 0, mean 6.188, max 12.38; entries 0, 0.125, 0.25, …, "
                    "12.12, 12.25, 12.38")  # fmt: skip
    assert array_text(a[:1]) == "[[0, 0.125, 0.25, 0.375, 0.5]]"  # small: every value
    assert PANEL_FULL < a.size
    with_nan = a.copy()
    with_nan[0, 0] = np.nan
    assert "1 not finite" in array_text(with_nan)


def test_non_finite_values_are_shown_and_marked():
    w = t.tensor([1.0, -1.0], requires_grad=True, name="w")
    loss = w.log().sum()  # log(-1) = nan
    data = explorer_data(loss)
    (log_out,) = [v for v in data["tensors"].values() if v["producer"] == "op0"]
    assert log_out["finite"] is False and "nan" in log_out["value"]
    assert ["warn", "⚠ the output of log #1 holds nan or inf"] in data["steps"][1]["lines"]
    loss.backward()
    assert w.grad.tolist() == [1.0, -1.0]  # the gradient itself is finite here


def test_a_200_op_chain_is_folded_and_every_op_still_has_its_steps():
    h, w = chain(200)
    data = explorer_data(h, {"w": w})
    assert len(data["steps"]) == 1 + 200 + 201 + 1
    assert data["groups"] and any("drawn as one node" in n for n in data["notes"])
    boxes = {op["box"] for op in data["ops"].values()}
    assert len(boxes) <= 50  # draw_graph's default max_nodes
    folded = [op for key, op in data["ops"].items() if op["box"] != key]
    assert folded and all(op["box"] in data["groups"] for op in folded)
    h.backward()
    final = data["tensors"][data["params"][0]["key"]]["grads"][-1]
    assert final[3] and final[2] == array_text(w.grad.numpy())


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_a_loss_that_does_not_require_grad_is_refused():
    with pytest.raises(RuntimeError, match="does not require grad.*requires_grad=True"):
        explorer_data(t.tensor([1.0, 2.0]).sum())
    with pytest.raises(TypeError, match="expects the Tensor to explain .*got float"):
        explorer_data(1.5)


def test_a_loss_with_more_than_one_element_is_refused():
    w = t.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"only for scalar outputs.*shape \(2,\).*\.sum\(\)"):
        explorer_data(w * 2)


def test_params_that_are_not_in_the_graph_are_named():
    w = t.tensor(1.0, requires_grad=True)
    other = t.zeros(3, requires_grad=True)
    with pytest.raises(ValueError, match=r"params not in the graph of this loss: 'other' "
                                         r"\(shape \(3,\)\)"):  # fmt: skip
        explorer_data(w * 2, {"w": w, "other": other})
    with pytest.raises(TypeError, match="params must be a dict"):
        explorer_data(w * 2, [w])


def test_a_graph_freed_by_backward_is_refused_with_what_to_do():
    loss, params = flagship_first_step()
    loss.backward()
    with pytest.raises(RuntimeError, match="freed.*before loss.backward\\(\\).*retain_graph=True"):
        explorer_data(loss, params)
    again, params = flagship_first_step()
    again.backward(retain_graph=True)
    assert explorer_data(again, params)["steps"][-1]["phase"] == "done"


def test_bad_max_nodes_are_refused():
    loss, _ = flagship_first_step()
    with pytest.raises(TypeError, match="max_nodes must be an int or None, not str"):
        explorer_data(loss, max_nodes="10")
    with pytest.raises(ValueError, match="max_nodes must be at least 1, got 0"):
        explorer_data(loss, max_nodes=0)


def test_without_dot_the_page_says_how_to_install_it(monkeypatch):
    loss, params = flagship_first_step()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GraphvizNotFoundError,
                       match="(?s)sudo apt-get install graphviz.*explain_html"):
        explain_html(loss, params)


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page,
                      re.DOTALL)  # fmt: skip
    assert match is not None
    return json.loads(match.group(1))


@needs_dot
def test_the_flagship_page_is_one_small_self_contained_file():
    loss, params = flagship_first_step()
    page = explain_html(loss, params)
    assert len(page.encode("utf-8")) < 1_000_000
    assert "default-src 'none'" in page  # the browser itself refuses any request
    # No reference to anything outside the page: no src or href attribute, no url(), no
    # @import; the only addresses are the SVG namespaces, which are names, not requests.
    assert not re.search(r"\b(src|href)\s*=", page, re.IGNORECASE)
    assert "url(" not in page and "@import" not in page
    addresses = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert page_data(page) == explorer_data(*flagship_first_step())
    for element in ('id="prev"', 'id="next"', 'id="slider"', 'id="step"', 'id="explain"',
                    'data-grad-of="w"', 'data-grad-of="b"'):  # fmt: skip
        assert element in page


@needs_dot
def test_every_row_the_script_rewrites_is_in_the_drawing():
    # The script finds each tensor's value and gradient rows by their text: Python must have
    # drawn exactly that text into the node of that tensor.
    loss, model = mlp_step()
    page = explain_html(loss, model)
    data = page_data(page)
    svg = ET.fromstring(page[page.index("<svg"):page.index("</svg>") + 6])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    rows: dict[str, set[str]] = {}
    for g in svg.iterfind(".//svg:g[@class='node']", ns):
        title = g.find("svg:title", ns).text
        rows[title] = {"".join(x.itertext()).replace("\xa0", " ").strip()
                       for x in g.iterfind("svg:text", ns)}  # fmt: skip
    checked = 0
    for key, tensor in data["tensors"].items():
        for text in (tensor["value_node"], tensor["grad_node"]):
            if text is not None:
                assert text in rows[key], (key, text)
                checked += 1
    assert checked >= 20


@needs_dot
def test_the_page_saves_and_displays_in_jupyter(tmp_path):
    loss, params = flagship_first_step()
    page = explain(loss, params)
    path = page.save(tmp_path / "page.html")
    assert path.read_text(encoding="utf-8") == page.html
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=\"")
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    assert html.unescape(srcdoc) == page.html
    assert "17 steps" in repr(page) and format_number(loss.item()) in page.html


def test_the_mlp_step_is_the_examples_first_step(capsys):
    import runpy

    example = runpy.run_path(str(Path(__file__).resolve().parents[2] / "examples"
                                 / "mlp_two_moons.py"))  # fmt: skip
    assert example["main"](["--steps", "1", "--no-plots"]) == 0
    printed = capsys.readouterr().out
    loss, model = mlp_step()
    assert f"cross-entropy {loss.item():.4f}" in printed
    assert [name for name, _p in model.named_parameters()] == [
        "0.weight", "0.bias", "2.weight", "2.bias"]  # fmt: skip


@needs_dot
def test_a_notebook_shows_the_page_in_a_frame_of_its_own():
    formatters = pytest.importorskip("IPython.core.formatters",
                                     reason="IPython comes with the dev extra (ipykernel)")
    loss, params = flagship_first_step()
    page = explain(loss, params)
    bundle, _metadata = formatters.DisplayFormatter().format(page)
    assert bundle["text/html"] == page._repr_html_()
    assert bundle["text/plain"] == repr(page)
