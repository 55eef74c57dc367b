"""How Jupyter shows our objects: a Tensor as its repr() text and nothing else, a drawn graph as
an SVG picture (or, without Graphviz's `dot`, as a note saying how to install it, not a
traceback).

IPython's `DisplayFormatter` is what a kernel calls on a cell's value; its `format(obj)` returns
the mime bundle the notebook receives, so these tests see exactly what a notebook would.
"""

import shutil
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("IPython", reason="IPython comes with the dev extra (ipykernel)")
from IPython.core.formatters import DisplayFormatter  # noqa: E402
from IPython.lib.pretty import pretty  # noqa: E402

import tinygrad_lr as t  # noqa: E402
from tinygrad_lr.apps.graph_cli import flagship_step  # noqa: E402
from tinygrad_lr.viz import draw_graph  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def shown(obj) -> dict:
    data, _metadata = DisplayFormatter().format(obj)
    return data


def tensors() -> dict:
    t.manual_seed(0)
    w = t.rand(2, 3, requires_grad=True)
    named = t.tensor([1.5, -2.0])
    named.name = "x"
    return {
        "scalar": t.tensor(3.25),
        "leaf that requires grad": w,
        "result with a grad_fn": (w * 2).sum(dim=0),
        "int64": t.arange(5),
        "bool": t.tensor([True, False]),
        "float64": t.zeros(2, 2, dtype=t.float64),
        "empty": t.zeros(0, 3),
        "named": named,
        "parameter": t.nn.Parameter(t.ones(2, 1)),
        "large (summarised)": t.arange(5000).reshape(50, 100).float(),
    }


@pytest.mark.parametrize("name", list(tensors()))
def test_a_tensor_is_shown_as_its_repr_text_and_nothing_else(name):
    x = tensors()[name]
    data = shown(x)
    assert data == {"text/plain": repr(x)}  # no HTML, no picture: only the values, as text
    assert pretty(x) == repr(x)


def test_a_tensor_in_a_container_is_indented_under_its_bracket():
    w = tensors()["leaf that requires grad"]
    lines = repr(w).splitlines()
    assert len(lines) == 2
    text = shown([w, 1])["text/plain"]
    # IPython's layout for multi-line reprs: continuation lines line up after the "[".
    assert text == "[" + lines[0] + "\n " + lines[1] + ",\n 1]"


@needs_dot
def test_draw_graph_is_shown_inline_as_svg():
    loss, named = flagship_step()
    loss.backward()
    data = shown(draw_graph(loss, show_grad=True))
    assert "image/svg+xml" in data  # (with the usual text/plain fallback beside it)
    root = ET.fromstring(data["image/svg+xml"])
    texts = {el.text for el in root.iter() if el.tag.endswith("text") and el.text}
    assert {"mm", "expand", "loss", "w", "b", "Legend"} <= texts
    assert any(text.startswith("grad [[") for text in texts)  # show_grad reached the picture


def test_without_dot_jupyter_shows_how_to_install_it_not_a_traceback(monkeypatch, tmp_path,
                                                                     capsys):  # fmt: skip
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    loss, _ = flagship_step()
    data = shown(draw_graph(loss))
    assert set(data) == {"text/plain"}
    note = data["text/plain"]
    assert note.startswith("The computation graph cannot be drawn here.")
    for hint in ("apt-get install graphviz", "brew install graphviz",
                 "conda install -c conda-forge graphviz", ".source", "graph_text"):  # fmt: skip
        assert hint in note
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err  # IPython prints formatter errors
