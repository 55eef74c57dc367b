"""`draw_graph`: the computation graph as a Graphviz picture.

Tensors are boxes and operations are ovals; arrows go the way data flows, from the inputs to the
loss, so the picture reads like the forward code. Each kind of tensor has its own colour and
outline (parameters blue and bold, data grey with a folded corner, constants dashed, the output
green and bold) and a legend names them. Labels are Graphviz HTML-like labels, and every piece of
text that comes from the user (names) or from values goes through `html.escape` first.

Building the picture (the DOT source) needs only Python; rendering it (`.pipe()`, `.render()`,
display in Jupyter) needs Graphviz's `dot` program, and without it raises one clear error,
`GraphvizNotFoundError`, that says how to install it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import graphviz
import numpy as np

from ..core.tensor import Tensor
from .format import describe_array, format_number, format_shape, op_detail
from .model import (
    CONSTANT,
    DATA,
    INTERMEDIATE,
    KINDS,
    OUTPUT,
    PARAMETER,
    DrawingPlan,
    Group,
    OpNode,
    TensorNode,
    build_model,
    plan_drawing,
)

INSTALL_HELP = (
    "Graphviz's `dot` program is needed to render graphs, and it was not found on the PATH. "
    "Install it with:\n"
    "    Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "    macOS:          brew install graphviz\n"
    "    conda:          conda install -c conda-forge graphviz\n"
    "(The `graphviz` Python package is only the interface to it.) Without `dot` you can still "
    "read the graph's DOT source (`.source`, or save it with `.save('graph.dot')`) and print "
    "it as text with tinygrad_lr.viz.graph_text(loss)."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's `dot` program, and it is not installed (or not on the PATH).

    A subclass of `graphviz.ExecutableNotFound` (itself a RuntimeError), so code that already
    catches graphviz's own error catches this one too. Its message says how to install `dot`.

    Args:
        detail: what needed `dot`, added to the message in parentheses.
    """

    def __init__(self, detail: str = "") -> None:
        RuntimeError.__init__(self, INSTALL_HELP + (f"\n({detail})" if detail else ""))


class ComputationGraph(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering explains a missing `dot` (`GraphvizNotFoundError`).

    Everything else is graphviz's: `.source`, `.save()`, `.pipe(format='svg')`, `.render()`, and
    inline display in Jupyter (an SVG picture, from `.pipe`). Without `dot`, Jupyter shows the
    same explanation as text instead of a traceback.
    """

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:  # fmt: skip
        # Jupyter displays a cell's value through this method. A missing `dot` would otherwise
        # show a formatter traceback and then the bare `<ComputationGraph object at 0x...>`;
        # the learner needs to read what is missing and how to get it.
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotFoundError as err:
            return {"text/plain": f"The computation graph cannot be drawn here. {err}"}

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The rendered picture, as graphviz's `Digraph.pipe` returns it.

        Args:
            *args: graphviz's `pipe` arguments (`format="svg"`, ...).
            **kwargs: graphviz's `pipe` keyword arguments.

        Returns:
            The picture's bytes (or text, with `encoding=`).

        Raises:
            GraphvizNotFoundError: when `dot` is not installed.
        """
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            if isinstance(err, GraphvizNotFoundError):
                raise
            raise GraphvizNotFoundError() from err

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Write the picture to a file, as graphviz's `Digraph.render` does.

        Args:
            *args: graphviz's `render` arguments (`"graph"`, `format="png"`, ...).
            **kwargs: graphviz's `render` keyword arguments.

        Returns:
            The path of the file written.

        Raises:
            GraphvizNotFoundError: when `dot` is not installed.
        """
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            if isinstance(err, GraphvizNotFoundError):
                raise
            raise GraphvizNotFoundError() from err


#: The most operation nodes drawn when `max_nodes` is not given. 50 ops lay out in well under a
#: second; 1,000 ops take dot about a second as a plain chain but minutes when many ops share an
#: input (every step reading the same weight), and no picture of 1,000 ops is readable anyway.
DEFAULT_MAX_NODES = 50

# ---------------------------------------------------------------------------------------------
# Colours and shapes
# ---------------------------------------------------------------------------------------------

FONT = "Helvetica,Arial,sans-serif"
MONO = "DejaVu Sans Mono,Menlo,Consolas,monospace"
TEXT = "#1f2937"
MUTED = "#4b5563"
GRAD = "#b91c1c"  # gradients in red: they flow against the arrows

# fill, outline, Graphviz style, shape: colour is never the only cue (the outline differs too).
TENSOR_STYLE: dict[str, dict[str, str]] = {
    PARAMETER: {"fillcolor": "#bfdbfe", "color": "#1d4ed8", "style": "rounded,filled",
                "penwidth": "2.2", "shape": "box"},
    DATA: {"fillcolor": "#e5e7eb", "color": "#4b5563", "style": "filled", "penwidth": "1.2",
           "shape": "note"},
    CONSTANT: {"fillcolor": "#ffffff", "color": "#6b7280", "style": "rounded,filled,dashed",
               "penwidth": "1.2", "shape": "box"},
    INTERMEDIATE: {"fillcolor": "#ffffff", "color": "#374151", "style": "rounded,filled",
                   "penwidth": "1.0", "shape": "box"},
    OUTPUT: {"fillcolor": "#bbf7d0", "color": "#15803d", "style": "rounded,filled",
             "penwidth": "2.6", "shape": "box"},
}  # fmt: skip
OP_STYLE = {"fillcolor": "#fde68a", "color": "#b45309", "style": "filled", "penwidth": "1.2",
            "shape": "ellipse"}  # fmt: skip
# An op that a backward pass recorded (a graph drawn from a gradient made with create_graph=True).
BACKWARD_OP_STYLE = {**OP_STYLE, "fillcolor": "#e9d5ff", "color": "#7e22ce",
                     "style": "filled,dashed"}  # fmt: skip
GROUP_STYLE = {"fillcolor": "#f3f4f6", "color": "#6b7280", "style": "rounded,filled,dashed",
               "penwidth": "1.2", "shape": "box"}  # fmt: skip

KIND_DESCRIPTION = {
    PARAMETER: "parameter (requires_grad=True)",
    DATA: "data (no gradient)",
    CONSTANT: "constant (a number in the code)",
    INTERMEDIATE: "intermediate result",
    OUTPUT: "output (what backward() starts from)",
}


def input_roles(op_name: str, n_inputs: int) -> tuple[str, ...]:
    """The names the op's `formula` gives its inputs, to label the arrows: a and b (PyTorch's
    `input` and `other`), or a₁, a₂, … for the tensors that `cat` joins."""
    if op_name == "cat":
        return tuple("a" + str(i + 1).translate(_SUBSCRIPTS) for i in range(n_inputs))
    return ("a", "b")[:n_inputs] + tuple(f"in{i}" for i in range(2, n_inputs))


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text made safe for an HTML-like label (<, >, & and quotes; Graphviz reads the rest)."""
    return html.escape(text, quote=True)


def _row(text_html: str) -> str:
    return f'<TR><TD ALIGN="CENTER">{text_html}</TD></TR>'


def font(text_html: str, size: int, color: str = TEXT, face: str | None = None) -> str:
    face_attr = f' FACE="{face}"' if face else ""
    return f'<FONT POINT-SIZE="{size}" COLOR="{color}"{face_attr}>{text_html}</FONT>'


def html_label(rows: list[str]) -> str:
    """Rows of HTML-like label text as one Graphviz label (the `<...>` form marks it as HTML)."""
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(_row(r) for r in rows) + "</TABLE>>")  # fmt: skip


@dataclass
class Decorations:
    """Extra marks on a drawing, used by the backward walk-through (`frames.py`).

    grads: tensor key -> (gradient array, caption) shown instead of the tensors' `.grad` (array
    None: the caption alone, a placeholder); op_state: op or group key -> "done" | "current";
    edge_grads: (source key, op key, input position) -> the name of the gradient flowing back
    along that arrow ("dx"); caption: rows shown above the graph, at least `caption_width`
    points wide.
    """

    grads: dict[str, tuple[np.ndarray | None, str]] = field(default_factory=dict)
    op_state: dict[str, str] = field(default_factory=dict)
    edge_grads: dict[tuple[str, str, int | None], str] = field(default_factory=dict)
    caption: list[str] = field(default_factory=list)
    caption_width: int = 0
    min_widths: dict[str, float] = field(default_factory=dict)  # tensor key -> inches


def tensor_title(t: TensorNode) -> str:
    """The first line of a tensor's node, as plain text: its name, its value, or its kind."""
    if t.name is not None:
        return t.name
    if t.kind == CONSTANT and t.tensor is not None:
        return format_number(t.tensor._data.reshape(-1)[0].item())
    if t.kind in (OUTPUT, DATA, PARAMETER):
        return t.kind
    return ""


def _tensor_label(t: TensorNode, show_grad: bool, show_data: bool,
                  deco: Decorations | None) -> str:  # fmt: skip
    rows = []
    title = tensor_title(t)
    if title:
        rows.append(font(f"<B>{escape(title)}</B>", 14))
    rows.append(font(escape(f"{format_shape(t.shape)} {t.dtype}"), 11, MUTED))
    if show_data and t.kind != CONSTANT and t.tensor is not None:
        rows.append(font(escape("= " + describe_array(t.tensor._data)), 11, TEXT, MONO))
    if deco is not None and t.key in deco.grads:
        array, caption = deco.grads[t.key]
        if array is None:
            rows.append(font(f"<I>{escape(caption)}</I>", 11, MUTED))
        else:
            rows.append(font(escape(f"{caption} {describe_array(array)}"), 11, GRAD, MONO))
    elif show_grad and deco is None and t.grad_expected:
        grad = t.grad
        if grad is None:
            rows.append(font("<I>grad: not computed yet</I>", 11, MUTED))
        else:
            rows.append(font(escape("grad " + describe_array(grad)), 11, GRAD, MONO))
    return html_label(rows)


def _op_label(op: OpNode, state: str | None) -> str:
    mark = {"done": " ✓", "current": ""}.get(state or "", "")
    rows = [font(f"<B>{escape(op.name)}</B>{mark}", 13)]
    detail = op_detail(op.fn)
    if detail:
        rows.append(font(escape(detail), 10, MUTED))
    if op.backward_of is not None:
        rows.append(font(escape(f"backward of {op.backward_of}"), 10, "#7e22ce"))
    return html_label(rows)


def _group_label(group: Group) -> str:
    counts = group.op_counts()
    n = len(group.ops)
    if group.reason == "chain":
        if len(counts) == 1:
            head = f"… {n} more {counts[0][0]} ops …"
        else:
            head = f"… {n} more ops …"
    else:
        head = f"… {n} earlier ops not drawn …"
    rows = [font(f"<B>{escape(head)}</B>", 12)]
    if len(counts) > 1 or group.reason == "cut":
        shown = ", ".join(f"{c} × {name}" for name, c in counts[:4])
        if len(counts) > 4:
            shown += ", …"
        rows.append(font(escape(shown), 10, MUTED))
    return html_label(rows)


def _state_style(style: dict[str, str], state: str | None) -> dict[str, str]:
    # The walk-through's marks: green for ops already differentiated, red for the current one.
    style = dict(style)
    if state == "done":
        style.update(fillcolor="#bbf7d0", color="#047857", style="filled")
    elif state == "current":
        style.update(fillcolor="#fca5a5", color=GRAD, penwidth="3.5", style="filled")
    return style


def _legend_label(kinds: list[str], has_group: bool, show_grad: bool, walkthrough: bool = False,
                  has_backward_ops: bool = False) -> str:  # fmt: skip
    cells = [f'<TR><TD COLSPAN="2" ALIGN="LEFT">{font("<B>Legend</B>", 12)}</TD></TR>']

    def entry(fill: str, border: str, text: str, dashed: bool = False, width: int = 1) -> None:
        cell_style = ' STYLE="dashed"' if dashed else ""
        cells.append(
            f'<TR><TD BGCOLOR="{fill}" BORDER="{width}" COLOR="{border}"{cell_style} WIDTH="22" '
            f'HEIGHT="14"></TD><TD ALIGN="LEFT">{font(escape(text), 11)}</TD></TR>'
        )

    for kind in kinds:
        style = TENSOR_STYLE[kind]
        entry(style["fillcolor"], style["color"], KIND_DESCRIPTION[kind],
              dashed="dashed" in style["style"], width=2 if kind in (PARAMETER, OUTPUT) else 1)
    entry(OP_STYLE["fillcolor"], OP_STYLE["color"], "operation (arrows: data flow)")
    if has_backward_ops:
        entry(BACKWARD_OP_STYLE["fillcolor"], BACKWARD_OP_STYLE["color"],
              "operation of a backward pass (create_graph=True)", dashed=True)
    if has_group:
        entry(GROUP_STYLE["fillcolor"], GROUP_STYLE["color"], "several ops folded into one",
              dashed=True)
    if walkthrough:
        entry("#fca5a5", GRAD, "op being differentiated now", width=2)
        entry("#bbf7d0", "#047857", "op done (its gradient is sent back)")
    if show_grad:
        text = font("grad = dL/d(tensor), in red", 11, GRAD)
        cells.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT">{text}</TD></TR>')
    return ('<<TABLE BORDER="1" COLOR="#9ca3af" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2" '
            'BGCOLOR="#ffffff">' + "".join(cells) + "</TABLE>>")  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The drawing
# ---------------------------------------------------------------------------------------------


def render_plan(plan: DrawingPlan, *, show_grad: bool = False, show_data: bool = False,
                rankdir: str = "TB", legend: bool = True, deco: Decorations | None = None,
                graph_attrs: dict[str, str] | None = None) -> ComputationGraph:  # fmt: skip
    """The Digraph of a drawing plan (see `draw_graph`); `deco` adds the walk-through's marks."""
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB', 'LR', 'BT' or 'RL', got {rankdir!r}")
    g = ComputationGraph("computation_graph")
    g.attr(rankdir=rankdir, bgcolor="white", fontname=FONT, fontsize="11", nodesep="0.3",
           ranksep="0.35", pad="0.25", newrank="true")  # fmt: skip
    if graph_attrs:
        g.attr(**graph_attrs)
    g.attr("node", fontname=FONT, fontsize="11", margin="0.12,0.05", height="0.3")
    g.attr("edge", color="#4b5563", arrowsize="0.7", fontname=FONT, fontsize="10",
           fontcolor="#6b7280")  # fmt: skip

    if deco is not None and deco.caption:
        rows = "".join(f'<TR><TD ALIGN="LEFT">{r}</TD></TR>' for r in deco.caption)
        width = f' WIDTH="{deco.caption_width}"' if deco.caption_width else ""
        g.attr(label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"{width}>'
                     f"{rows}</TABLE>>", labelloc="t", labeljust="l")  # fmt: skip
    elif plan.notes:
        notes = ["Folded to fit max_nodes:"] + [f"• {n}" for n in plan.notes]
        g.attr(label=html_label([font(escape(n), 11, MUTED) for n in notes]), labelloc="b")

    for t in plan.tensors:
        extra = {}
        if deco is not None and t.key in deco.min_widths:
            extra["width"] = str(deco.min_widths[t.key])
        g.node(t.key, label=_tensor_label(t, show_grad, show_data, deco), **TENSOR_STYLE[t.kind],
               **extra)
    for op in plan.ops:
        state = deco.op_state.get(op.key) if deco is not None else None
        style = OP_STYLE if op.backward_of is None else BACKWARD_OP_STYLE
        g.node(op.key, label=_op_label(op, state), **_state_style(style, state))
    for group in plan.groups:
        state = deco.op_state.get(group.key) if deco is not None else None
        g.node(group.key, label=_group_label(group), **_state_style(GROUP_STYLE, state))

    roles: dict[str, tuple[str, ...]] = {op.key: input_roles(op.name, len(op.inputs))
                                         for op in plan.model.ops}  # fmt: skip
    for src, dst, pos, tensor in plan.edges:
        attrs: dict[str, str] = {}
        if not tensor.is_leaf:
            # Keep the path of results straight (heavier edges are kept shorter and more
            # vertical by dot); leaves and constants then sit beside it, not the other way round.
            attrs["weight"] = "4"
        if pos is not None and len(roles[dst]) > 1:
            attrs["label"] = f" {roles[dst][pos]} "
        if deco is not None and (src, dst, pos) in deco.edge_grads:
            # The gradient goes against the data: draw the arrowhead at the input's end. An
            # xlabel is placed after the layout, so the graph does not move between frames.
            name = deco.edge_grads[(src, dst, pos)]
            attrs.update(dir="back", color=GRAD, penwidth="2.4", arrowsize="0.9",
                         xlabel=html_label([font(f"<B>{escape(name)}</B>", 12, GRAD)]))  # fmt: skip
        g.edge(src, dst, **attrs)

    if legend:
        kinds = [k for k in KINDS if any(t.kind == k for t in plan.tensors)]
        walkthrough = deco is not None
        label = _legend_label(kinds, bool(plan.groups), show_grad or walkthrough, walkthrough,
                              any(op.backward_of is not None for op in plan.ops))  # fmt: skip
        g.node("legend", label=label, shape="plain")
    return g


def draw_graph(root: Tensor, params: Any = None, show_grad: bool = False,
               show_data: bool = False, rankdir: str = "TB", max_nodes: int | None = None,
               legend: bool = True) -> ComputationGraph:  # fmt: skip
    """Draw the computation graph that produced `root` (usually the loss).

    One box per tensor (leaves, constants, intermediates, the output) and one oval per operation,
    with arrows in the direction data flows. Each tensor shows its name, shape and dtype.
    Parameters, data, constants, intermediates and the output each have their own colour and
    outline, named in a legend. Making the drawing needs no `dot`; rendering it does.

    Args:
        root: the tensor whose graph is drawn, usually the loss.
        params: the names of the tensors: a dict {name: tensor}, or a Module (anything with
            `named_parameters()`); a tensor not named there shows its `.name`, if any.
        show_grad: add each parameter's `.grad` (and that of non-leaves that called
            `retain_grad()`): the values for tensors of up to 6 elements, else the shape and
            norm; "not computed yet" before backward().
        show_data: add each tensor's values the same way (intermediates only while they are
            alive).
        rankdir: "TB" (inputs at the top, loss at the bottom) or "LR" (left to right).
        max_nodes: draw at most this many operation nodes (None: `DEFAULT_MAX_NODES`, 50).
            Past that, long chains of ops are folded into one node each, then the ops farthest
            from the output are left out, and a note under the graph says what was folded.
            (Unfolded, a graph of 1,000 ops can take Graphviz minutes, and is unreadable.) To
            draw every op, pass a number at least the size of the graph.
        legend: add the legend of colours.

    Returns:
        A `graphviz.Digraph` (a subclass that explains a missing `dot`): `.source` is the DOT
            text, `.pipe(format='svg')` the picture, `.render('graph', format='png')` a file; in
            Jupyter it displays itself.

    Examples:
        >>> w = tinygrad_lr.tensor(3.0, requires_grad=True)
        >>> loss = (w * 2.0 - 5.0) ** 2
        >>> graph = draw_graph(loss, params={"w": w})
        >>> graph.source.startswith("digraph")
        True
    """
    if max_nodes is not None and (not isinstance(max_nodes, int) or isinstance(max_nodes, bool)):
        raise TypeError(f"max_nodes must be an int or None, not {type(max_nodes).__name__}")
    model = build_model(root, params)
    plan = plan_drawing(model, DEFAULT_MAX_NODES if max_nodes is None else max_nodes)
    return render_plan(plan, show_grad=show_grad, show_data=show_data, rankdir=rankdir,
                       legend=legend)  # fmt: skip
