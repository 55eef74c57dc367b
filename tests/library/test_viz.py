"""Graph pictures: the exact DOT graph of the flagship's loss, real renders, the text tree, the
backward walk-through, big graphs, escaping, and what happens without Graphviz's `dot`."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter

import graphviz
import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.apps.graph_cli import flagship_step
from tinygrad_lr.viz import (
    GraphvizNotFoundError,
    backward_frames,
    draw_graph,
    graph_text,
)
from tinygrad_lr.viz.draw import OP_STYLE, TENSOR_STYLE
from tinygrad_lr.viz.format import describe_array, format_values

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------------
# Reading the DOT source back
# ---------------------------------------------------------------------------------------------

_NODE = re.compile(r"^\t(\w+) \[(.*)\]$")
_EDGE = re.compile(r"^\t(\w+) -> (\w+)(?: \[(.*)\])?$")


def _label_text(attrs: str) -> str:
    # The rows of an HTML-like label, tags removed, entities decoded, one row per line.
    m = re.search(r"label=<(<TABLE.*</TABLE>)>", attrs)
    if m is None:
        m = re.search(r'label="([^"]*)"', attrs)
        return m.group(1).strip() if m else ""
    rows = re.findall(r"<TD[^>]*>(.*?)</TD>", m.group(1))
    texts = [html.unescape(re.sub(r"<[^>]+>", "", r)).strip() for r in rows]
    return "\n".join(x for x in texts if x)


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'(?:^|\s|>){name}=("[^"]*"|[^\s\]]+)', attrs)
    return m.group(1).strip('"') if m else None


def parse_dot(source: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """{node id: (label text, node attrs)}, [(source id, target id, edge label)] (legend left out).

    Every statement graphviz writes is one line, so a line-by-line reading is exact.
    """
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str, str]] = []
    for line in source.splitlines():
        e = _EDGE.match(line)
        if e:
            edges.append((e.group(1), e.group(2), (_attr(e.group(3) or "", "label") or "").strip()))
            continue
        n = _NODE.match(line)
        if n and n.group(1) not in ("graph", "node", "edge", "legend"):
            nodes[n.group(1)] = (_label_text(n.group(2)), n.group(2))
    return nodes, edges


def named_graph(source: str) -> tuple[Counter, Counter]:
    """Nodes and edges by their text; an unnamed result is called "<its op> out"."""
    nodes, edges = parse_dot(source)
    text = {key: label for key, (label, _attrs) in nodes.items()}
    for src, dst, _label in edges:
        if src.startswith("op") and dst.startswith("t") and "\n" not in text[dst]:
            text[dst] = f"{text[src].splitlines()[0]} out: {text[dst]}"
    return Counter(text.values()), Counter((text[s], text[d], lab) for s, d, lab in edges)


FLAGSHIP_NODES = {
    "x\n(4, 1) float32", "w\n(1, 1) float32", "b\n(1, 1) float32", "y\n(4, 1) float32",
    "0.5\n() float32", "mm", "expand", "add", "sub", "pow\np = 2", "mul", "sum\nall dims",
    "mm out: (4, 1) float32", "expand out: (4, 1) float32", "y_pred\n(4, 1) float32",
    "sub out: (4, 1) float32", "pow out: (4, 1) float32", "mul out: (4, 1) float32",
    "loss\n() float32",
}  # fmt: skip

FLAGSHIP_EDGES = {
    ("x\n(4, 1) float32", "mm", "a"), ("w\n(1, 1) float32", "mm", "b"),
    ("mm", "mm out: (4, 1) float32", ""),
    ("b\n(1, 1) float32", "expand", ""), ("expand", "expand out: (4, 1) float32", ""),
    ("mm out: (4, 1) float32", "add", "a"), ("expand out: (4, 1) float32", "add", "b"),
    ("add", "y_pred\n(4, 1) float32", ""),
    ("y_pred\n(4, 1) float32", "sub", "a"), ("y\n(4, 1) float32", "sub", "b"),
    ("sub", "sub out: (4, 1) float32", ""),
    ("sub out: (4, 1) float32", "pow\np = 2", ""), ("pow\np = 2", "pow out: (4, 1) float32", ""),
    ("0.5\n() float32", "mul", "a"), ("pow out: (4, 1) float32", "mul", "b"),
    ("mul", "mul out: (4, 1) float32", ""),
    ("mul out: (4, 1) float32", "sum\nall dims", ""), ("sum\nall dims", "loss\n() float32", ""),
}  # fmt: skip


def test_flagship_dot_has_exactly_the_expected_nodes_and_edges():
    loss, _ = flagship_step()
    nodes, edges = named_graph(draw_graph(loss).source)
    assert nodes == Counter(FLAGSHIP_NODES)  # each exactly once
    assert edges == Counter(FLAGSHIP_EDGES)


def test_mean_loss_graph_ends_in_mean():
    loss, _ = flagship_step(loss="mean")
    nodes, edges = named_graph(draw_graph(loss).source)
    expected = {n.replace("sum\nall dims", "mean\nall dims") for n in FLAGSHIP_NODES}
    assert nodes == Counter(expected)
    assert ("mean\nall dims", "loss\n() float32", "") in edges


def test_each_kind_of_tensor_has_its_own_style():
    loss, _ = flagship_step()
    nodes, _ = parse_dot(draw_graph(loss).source)
    fill = {label.splitlines()[0]: _attr(attrs, "fillcolor") for label, attrs in nodes.values()}
    style = TENSOR_STYLE
    assert fill["w"] == fill["b"] == style["parameter"]["fillcolor"]
    assert fill["x"] == fill["y"] == style["data"]["fillcolor"]
    assert fill["loss"] == style["output"]["fillcolor"]
    assert fill["mm"] == fill["sum"] == OP_STYLE["fillcolor"]
    const_attrs = next(a for label, a in nodes.values() if label.startswith("0.5"))
    assert "dashed" in _attr(const_attrs, "style")
    assert len({style[k]["fillcolor"] for k in ("parameter", "data", "output")}) == 3
    assert "Legend" in draw_graph(loss).source and "Legend" not in draw_graph(
        loss, legend=False).source  # fmt: skip


def test_names_come_from_params_dict_or_a_module():
    w = t.ones(2, 2, requires_grad=True)
    x = t.ones(3, 2)
    out = x.mm(w).sum()
    nodes, _ = named_graph(draw_graph(out, params={"weight": w}).source)
    assert "weight\n(2, 2) float32" in nodes

    class Layer:  # a Module is recognised by named_parameters(), whatever its class
        def named_parameters(self):
            return iter([("layer.weight", w)])

    nodes, _ = named_graph(draw_graph(out, params=Layer()).source)
    assert "layer.weight\n(2, 2) float32" in nodes
    with pytest.raises(TypeError, match="params must be a dict"):
        draw_graph(out, params=[w])


# ---------------------------------------------------------------------------------------------
# Gradients and values on the nodes
# ---------------------------------------------------------------------------------------------


def _expected_grads(named):
    # dL/dw = xᵀ (ŷ − y) and dL/db = Σ (ŷ − y) for L = ½ Σ (ŷ − y)², computed with numpy alone.
    x, y, w, b = (named[k].detach().numpy().astype(np.float64) for k in "xywb")
    r = x @ w + b - y
    return x.T @ r, r.sum(keepdims=True)


def test_grads_are_not_computed_yet_before_backward_and_real_after():
    loss, named = flagship_step()
    before = draw_graph(loss, show_grad=True).source
    nodes, _ = parse_dot(before)
    w_label = next(label for label, _ in nodes.values() if label.startswith("w\n"))
    assert w_label == "w\n(1, 1) float32\ngrad: not computed yet"
    assert before.count("grad: not computed yet") == 2  # w and b only: data have no gradient
    assert "grad [[0" not in before

    loss.backward()
    dw, db = _expected_grads(named)
    after = draw_graph(loss, show_grad=True).source
    nodes, _ = parse_dot(after)
    labels = {label.splitlines()[0]: label for label, _ in nodes.values()}
    assert labels["w"] == f"w\n(1, 1) float32\ngrad [[{dw.item():.4g}]]"
    assert labels["b"] == f"b\n(1, 1) float32\ngrad [[{db.item():.4g}]]"
    assert "not computed yet" not in after
    assert labels["x"] == "x\n(4, 1) float32"  # data: no gradient row at all


def test_retained_intermediate_grad_is_shown_and_others_are_not():
    loss, named = flagship_step()
    named["y_pred"].retain_grad()
    src = draw_graph(loss, show_grad=True).source
    assert "y_pred" in src and src.count("not computed yet") == 3  # w, b and y_pred
    loss.backward()
    nodes, _ = parse_dot(draw_graph(loss, show_grad=True).source)
    labels = [label for label, _ in nodes.values()]
    r = (named["y_pred"].detach().numpy() - named["y"].detach().numpy()).astype(np.float64)
    assert f"y_pred\n(4, 1) float32\ngrad {format_values(r)}" in labels
    assert sum("grad" in label for label in labels) == 3


def test_show_data_and_large_tensors_show_shape_and_norm():
    loss, named = flagship_step()
    nodes, _ = parse_dot(draw_graph(loss, show_data=True).source)
    labels = {label.splitlines()[0]: label for label, _ in nodes.values()}
    assert labels["x"] == f"x\n(4, 1) float32\n= {format_values(named['x'].detach().numpy())}"
    big = t.ones(10, 3, requires_grad=True)
    (big * 2).sum().backward()
    src = draw_graph((big * 2).sum(), show_grad=True).source
    norm = np.linalg.norm(np.full(30, 2.0))
    assert f"grad shape (10, 3), norm {norm:.4g}" in src


def test_describe_array_rules():
    assert describe_array(np.array(0.5)) == "0.5"
    assert describe_array(np.array([[1.23456], [-2.0]])) == "[[1.235], [-2]]"
    assert describe_array(np.arange(6.0)) == "[0, 1, 2, 3, 4, 5]"
    assert describe_array(np.ones((7,))) == f"shape (7,), norm {np.sqrt(7):.4g}"
    assert describe_array(np.array([True, False])) == "[True, False]"


# ---------------------------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------------------------

NASTY = 'w<1>|{a}&"b"\\n'


def test_names_with_graphviz_special_characters_are_escaped():
    w = t.ones(1, requires_grad=True)
    w.name = NASTY
    out = (w * 3).sum()
    src = draw_graph(out, show_grad=True).source
    assert html.escape(NASTY, quote=True) in src
    assert "<1>" not in src
    nodes, _ = parse_dot(src)
    assert any(label.startswith(NASTY + "\n") for label, _ in nodes.values())


@needs_dot
def test_names_with_special_characters_render():
    w = t.ones(1, requires_grad=True)
    w.name = NASTY
    svg = draw_graph((w * 3).sum()).pipe(format="svg", encoding="utf-8")
    texts = [el.text for el in ET.fromstring(svg).iter() if el.tag.endswith("text")]
    assert NASTY in texts


# ---------------------------------------------------------------------------------------------
# Real renders
# ---------------------------------------------------------------------------------------------


@needs_dot
def test_svg_render_parses_and_has_the_labels():
    loss, named = flagship_step()
    loss.backward()
    svg = draw_graph(loss, show_grad=True).pipe(format="svg", encoding="utf-8")
    root = ET.fromstring(svg)
    texts = {el.text for el in root.iter() if el.tag.endswith("text") and el.text}
    dw, _ = _expected_grads(named)
    expected = {"mm", "expand", "add", "sub", "pow", "mul", "sum", "x", "w", "b", "y", "y_pred",
                "loss", "0.5", "(4, 1) float32", "(1, 1) float32", "() float32", "p = 2",
                f"grad [[{dw.item():.4g}]]", "Legend"}  # fmt: skip
    assert expected <= texts
    # the Jupyter display path: graphviz pipes the same SVG
    assert "image/svg+xml" in draw_graph(loss)._repr_mimebundle_()


@needs_dot
def test_png_render_and_render_to_file(tmp_path):
    loss, _ = flagship_step()
    assert draw_graph(loss, rankdir="LR").pipe(format="png")[:8] == PNG_MAGIC
    path = draw_graph(loss).render(tmp_path / "graph", format="svg")
    ET.parse(path)


def test_bad_rankdir_is_refused():
    loss, _ = flagship_step()
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(loss, rankdir="sideways")


# ---------------------------------------------------------------------------------------------
# graph_text
# ---------------------------------------------------------------------------------------------

# The inputs of an op with several are marked with the names its rule gives them, as the arrows
# of the picture are: mul's rule is "z = a * b;   da = g * b,   db = g * a".
FLAGSHIP_TEXT = """\
loss = sum(all dims) -> () float32
└── mul -> (4, 1) float32
    ├── (a) 0.5: constant () float32
    └── (b) pow(p = 2) -> (4, 1) float32
        └── sub -> (4, 1) float32
            ├── (a) y_pred = add -> (4, 1) float32
            │   ├── (a) mm -> (4, 1) float32
            │   │   ├── (a) x: data (4, 1) float32
            │   │   └── (b) w: parameter (1, 1) float32
            │   └── (b) expand -> (4, 1) float32
            │       └── b: parameter (1, 1) float32
            └── (b) y: data (4, 1) float32
"""


def test_graph_text_of_the_flagship():
    loss, _ = flagship_step()
    assert graph_text(loss) == FLAGSHIP_TEXT


def test_graph_text_with_grads():
    loss, named = flagship_step()
    text = graph_text(loss, show_grad=True)
    assert "w: parameter (1, 1) float32   grad: not computed yet" in text
    loss.backward()
    dw, _ = _expected_grads(named)
    assert f"w: parameter (1, 1) float32   grad [[{dw.item():.4g}]]" in graph_text(
        loss, show_grad=True)  # fmt: skip


def test_graph_text_prints_a_shared_subgraph_once():
    a = t.tensor([1.0, 2.0], requires_grad=True)
    a.name = "a"
    b = a * a
    c = b + b
    d = (c * c).sum()
    assert graph_text(d) == """\
sum(all dims) -> () float32
└── mul -> (2,) float32
    ├── (a) add -> (2,) float32   [#1]
    │   ├── (a) mul -> (2,) float32   [#2]
    │   │   ├── (a) a: parameter (2,) float32
    │   │   └── (b) a: parameter (2,) float32
    │   └── (b) see [#2] (mul)
    └── (b) see [#1] (add)
"""


def test_graph_text_continues_deep_graphs_in_sections():
    h = t.ones(1, requires_grad=True)
    for _ in range(3):
        h = h * 2
    assert graph_text(h, max_depth=2) == """\
mul -> (1,) float32
├── (a) mul -> (1,) float32
│   ├── (a) mul -> (1,) float32   ... continued in [#1] below
│   └── (b) 2: constant () float32
└── (b) 2: constant () float32

[#1] continued:
mul -> (1,) float32   [#1]
├── (a) parameter (1,) float32
└── (b) 2: constant () float32
"""


def test_leaf_graph():
    w = t.ones(2, requires_grad=True)
    w.name = "w"
    assert graph_text(w) == "w: output (2,) float32\n"
    nodes, edges = named_graph(draw_graph(w).source)
    assert nodes == Counter({"w\n(2,) float32": 1}) and not edges


# ---------------------------------------------------------------------------------------------
# Big graphs
# ---------------------------------------------------------------------------------------------


def test_a_30000_op_chain_is_walked_without_recursion():
    h = t.ones(2, requires_grad=True)
    for _ in range(29_999):
        h = h * 1.0
    out = h.sum()
    nodes, edges = named_graph(draw_graph(out, max_nodes=10).source)
    assert "… 29995 more mul ops …" in nodes
    text = graph_text(out)
    lines = text.splitlines()
    assert sum(line.endswith("1: constant () float32") for line in lines) == 29_999
    assert sum(line.endswith("parameter (2,) float32") for line in lines) == 1
    deferred = sum("continued in" in line for line in lines)
    assert deferred > 1000 and sum(line.endswith("continued:") for line in lines) == deferred
    assert max(len(line) for line in text.splitlines()) < 200  # sections, not a cliff of indent


def test_a_long_chain_folds_into_one_node_with_a_note():
    h = t.ones(3, requires_grad=True)
    for _ in range(999):
        h = h * 1.0
    src = draw_graph(h.sum(), max_nodes=20).source
    nodes, edges = named_graph(src)
    ops = [n for n in nodes.elements() if n.split("\n")[0] in ("mul", "sum")]
    assert len(ops) == 5  # two muls at each end of the chain, then the sum
    assert nodes["… 995 more mul ops …"] == 1
    assert "a chain of 995 ops (995 × mul) is drawn as one node" in src
    assert "not drawn: 995 constants used only inside folded nodes" in src
    # unfolded when the limit allows it
    assert "more mul ops" not in draw_graph(h.sum(), max_nodes=1000).source


def test_shared_parameters_stay_connected_to_a_folded_chain():
    w = t.ones(2, 2, requires_grad=True)
    w.name = "W"
    h = t.ones(1, 2)
    for _ in range(100):
        h = (h.mm(w)).tanh()
    nodes, edges = named_graph(draw_graph(h.sum(), max_nodes=12).source)
    fold = next(n for n in nodes if n.startswith("… "))
    assert ("W\n(2, 2) float32", fold, "") in edges


def test_graphs_without_chains_are_cut_to_max_nodes():
    w = t.ones(2, requires_grad=True)
    total = (w * 0.0).sum()
    for i in range(1, 200):
        total = total + (w * float(i)).sum()
    nodes, _ = parse_dot(draw_graph(total, max_nodes=15).source)
    op_like = [k for k in nodes if k.startswith("op") or k.startswith("group")]
    assert len(op_like) == 15
    assert any("earlier ops not drawn" in label for label, _ in nodes.values())
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(total, max_nodes=0)


# ---------------------------------------------------------------------------------------------
# The backward walk-through
# ---------------------------------------------------------------------------------------------


@needs_dot
def test_backward_frames_one_per_node_and_a_gif(tmp_path):
    from PIL import Image

    loss, named = flagship_step()
    walk = backward_frames(loss, tmp_path / "walk", retain_graph=True)
    assert walk.ops == ["sum", "mul", "pow", "sub", "add", "expand", "mm"]
    assert [p.name for p in walk.frames] == [f"step_0{i}.png" for i in range(1, 8)]
    sizes = set()
    for path in walk.frames:
        assert path.read_bytes()[:8] == PNG_MAGIC
        with Image.open(path) as im:
            sizes.add(im.size)
    assert len(sizes) == 1
    assert walk.gif.read_bytes()[:6] == b"GIF89a"
    with Image.open(walk.gif) as gif:
        assert gif.n_frames == 7 and gif.size == sizes.pop()
    # it is the backward pass: .grad now holds the gradients
    dw, db = _expected_grads(named)
    np.testing.assert_allclose(named["w"].grad.numpy(), dw, rtol=1e-5)
    np.testing.assert_allclose(named["b"].grad.numpy(), db, rtol=1e-5)
    # The rule's names, a and b, each said to stand for its tensor: in the flagship `b` is also
    # the bias, and mm's db is w's gradient.
    assert "db = aᵀ @ g" in walk.steps[6]
    assert f"db = [[{dw.item():.4g}]]   (sent to w)" in walk.steps[6]
    assert "da: not computed (a is x, which needs no gradient)" in walk.steps[6]
    assert "da: not computed (a is the constant 0.5, which needs no gradient)" in walk.steps[1]
    assert "db = [[0.5], [0.5], [0.5], [0.5]]   (sent to pow's output)" in walk.steps[1]
    assert f"da = [[{db.item():.4g}]]   (sent to b)" in walk.steps[5]
    assert not re.search(r"\bd[xy]\b", " ".join(walk.steps))  # the old names, x and y, are gone
    loss.backward()  # the graph was retained, and gradients accumulate as with backward()
    np.testing.assert_allclose(named["w"].grad.numpy(), 2 * dw, rtol=1e-5)


def test_backward_frames_refuses_what_has_no_backward(tmp_path):
    with pytest.raises(RuntimeError, match="no grad_fn"):
        backward_frames(t.ones(1), tmp_path)
    w = t.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        backward_frames(w * 2, tmp_path)
    if shutil.which("dot") is not None:  # the op count is checked after the check for dot
        h = w
        for _ in range(5):
            h = h * 2
        with pytest.raises(ValueError, match="this graph has 6 ops"):
            backward_frames(h.sum(), tmp_path, max_frames=5)
        assert w.grad is None


# ---------------------------------------------------------------------------------------------
# Without dot
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None


def test_without_dot_drawing_works_and_rendering_explains(no_dot, tmp_path):
    loss, named = flagship_step()
    graph = draw_graph(loss, show_grad=True)
    assert "mm" in graph.source  # drawing needs no dot
    for render in (lambda: graph.pipe(format="svg"),
                   lambda: graph.render(tmp_path / "g", format="png")):  # fmt: skip
        with pytest.raises(GraphvizNotFoundError) as info:
            render()
        assert isinstance(info.value, graphviz.ExecutableNotFound)
        message = str(info.value)
        for hint in ("apt-get install graphviz", "brew install graphviz",
                     "conda install -c conda-forge graphviz"):  # fmt: skip
            assert hint in message
    with pytest.raises(GraphvizNotFoundError):
        backward_frames(loss, tmp_path / "frames")
    assert named["w"].grad is None  # checked before any gradient was touched
    assert not (tmp_path / "frames").exists()


def test_a_number_constant_shared_by_two_ops_is_drawn_at_each_use():
    a = t.ones(1, requires_grad=True)
    out = 0.5 * a + 0.5 * a
    left, right = out.grad_fn.inputs
    assert left.inputs[0] is right.inputs[0]  # one shared constant tensor...
    assert graph_text(out).count("0.5: constant () float32") == 2  # ...shown next to each mul
    assert draw_graph(out).source.count(">0.5<") == 2
