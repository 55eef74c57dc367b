"""`explain`: one loss's forward and backward pass as a web page that a learner steps through.

    from tinygrad_lr.viz import explain
    page = explain(loss, params=model)   # before or after loss.backward(retain_graph=True)
    page.save("explain.html")            # one file: it opens from disk, with no server or network
    page                                 # in Jupyter: shown inline

The page shows the graph as `draw_graph` draws it (the same colours, the same folding of big
graphs), with buttons, a slider and the arrow keys to move through it one step at a time:

1. **the forward pass**: op by op, in the order they ran, each result's value appears;
2. **the backward pass**: op by op, newest first, in the order the engine runs them. Each step
   shows the op's rule from the op table, the gradient g that reached its output, and the
   gradient it sends to each input. Where a value was used by several ops, its gradient is the
   sum of what each sent back (the multivariate chain rule), and the page writes it as that sum;
3. **the result**: every parameter with its gradient, the numbers `loss.backward()` gives.

Where the numbers come from. The backward is the engine's own walk (`run_backward` with a
`watch`), run as `autograd.grad` runs it: the graph is kept and no parameter's `.grad` is
touched, so the learner's `loss.backward()` can still follow. (Hooks on tensors run, as in any
backward, and so does `retain_grad()`'s, which adds this pass into that tensor's `.grad`.)
The graph does not keep intermediate values, so each recorded op's forward is run again on its
inputs' values (`Function.options` holds the rest of its arguments); values that are still
alive (the loss, named tensors) are read directly.

What the page holds is built here, in Python, as plain data (`explorer_data`: the tensors, the
ops and the list of steps, every number already written as text); the script in
`explorer/explorer.js` only shows step k of it. Arrays of more than `PANEL_FULL` elements are
written as their shape, a summary (min, mean, max) and a few entries.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.tensor import Tensor
from .draw import Decorations, GraphvizNotFoundError, render_plan
from .explain_steps import (
    _check_graph,
    _check_max_nodes,
    _seed,
    _Story,
    forward_values,
    record_backward,
)
from .format import describe_array
from .model import DrawingPlan, build_model, plan_drawing

#: The page's template, style sheet and script, read when a page is made.
EXPLORER_FILES = Path(__file__).with_name("explorer")

# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    plan: DrawingPlan
    story: _Story
    data: dict[str, Any]


def _prepare(loss: Any, params: Any, max_nodes: Any, where: str, need_dot: bool) -> _Prepared:
    """Check the input, run the backward, and write the steps (see the module docstring)."""
    seed = _seed(loss, where)
    limit = _check_max_nodes(max_nodes)
    model = build_model(loss, params)
    _check_graph(model, params, where)
    if need_dot and shutil.which("dot") is None:  # before anything is computed
        raise GraphvizNotFoundError(f"{where} draws the graph with `dot`")
    plan = plan_drawing(model, limit)
    walk, param_grads = record_backward(loss, seed, model)
    story = _Story(model, plan, forward_values(model), walk, param_grads)
    story.tell(seed)
    return _Prepared(plan, story, story.data())


def explorer_data(loss: Tensor, params: Any = None, max_nodes: int | None = None
                  ) -> dict[str, Any]:  # fmt: skip
    """What the explorer page of `loss` shows, as plain data (no Graphviz needed).

    Like `explain`, it runs the backward pass without touching `.grad`.

    Args:
        loss: a one-element tensor that requires grad.
        params: names for the parameters, as in `draw_graph` (a dict {name: tensor}, or a
            Module).
        max_nodes: fold graphs with more op nodes than this, as `draw_graph` does.

    Returns:
        A dict: `steps` (each with its phase, "start", "forward", "backward" or "done", a title,
            the op's rule, lines of text [kind, text], the op, its node in the drawing and the
            arrows to highlight), `tensors` and `ops` by their node key (values, and gradients as
            timelines [step, text on the node, text in the panel, final?, finite?]), `groups`
            (folded nodes), `params` and the folding `notes`. Every number is already text.
    """
    return _prepare(loss, params, max_nodes, "explorer_data()", need_dot=False).data


def _svg(prepared: _Prepared) -> str:
    """The graph, drawn by `render_plan` with every value and final gradient on its node: each
    box is as wide as the longest text it will show, and the page's script hides or rewrites the
    rows step by step."""
    story, deco = prepared.story, Decorations()
    for t in prepared.plan.tensors:
        value = story.values.get(t.key)
        if t.tensor is None and value is not None:
            t.tensor = Tensor._wrap(value)  # drawn as draw_graph draws a live tensor's value
        texts = [] if value is None else ["= " + describe_array(value)]
        if t.key in story.totals:  # drawn as "grad <final gradient>", as `grad_node` says
            deco.grads[t.key] = (story.totals[t.key], "grad")
            texts += [entry[1] for entry in story.timeline[t.key]]
        # About 0.1 inch per character of 11-point monospace, plus the box's margins.
        deco.min_widths[t.key] = round(0.095 * max(map(len, texts), default=0) + 0.35, 2)
    svg = render_plan(prepared.plan, show_data=True, deco=deco).pipe(format="svg")
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]  # without the XML prologue: it goes inside the HTML


def _read(name: str) -> str:
    return (EXPLORER_FILES / name).read_text(encoding="utf-8")


def _json_for_script(data: dict[str, Any]) -> str:
    # Inside <script>, "</script>" or "<!--" in a string would end or confuse the element: every
    # "<" is written as the JSON escape \u003c, which JSON.parse reads back as "<".
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def _param_rows(params: list[dict[str, Any]]) -> str:
    rows = []
    for p in params:
        name = p["name"]
        attr = "" if name is None else f' data-grad-of="{html.escape(name, quote=True)}"'
        label = html.escape(name if name is not None else "an unnamed parameter")
        rows.append(f'<tr><th>{label}</th><td class="shape">{p["shape"]}</td>'
                    f'<td class="param-grad" data-key="{p["key"]}"{attr}>not computed yet</td>'
                    "</tr>")  # fmt: skip
    return "\n".join(rows) or '<tr><td colspan="3">no parameters in this graph</td></tr>'


def page_html(data: dict[str, Any], svg: str) -> str:
    """The whole document: the template with the style, the drawing, the data and the script
    written into it. Nothing is fetched: the page makes no request of any kind."""
    parts = {
        "TITLE": html.escape(data["title"]),
        "STYLE": _read("explorer.css"),
        "GRAPH": svg,
        "PARAMS": _param_rows(data["params"]),
        "LAST": str(len(data["steps"]) - 1),
        "DATA": _json_for_script(data),
        "SCRIPT": _read("explorer.js"),
    }
    # One pass over the template, so that text written in cannot be taken for a placeholder.
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _read("page.html"))


class BackwardExplorer:
    """The explorer page of one loss, as `explain` returns it; Jupyter displays it inline.

    `.html` is the document, `.data` what it shows (see `explorer_data`), `.save(path)` writes it.
    """

    def __init__(self, data: dict[str, Any], svg: str) -> None:
        """Assemble the page.

        Args:
            data: the step list, as `explorer_data` returns it.
            svg: the drawing of the graph, as Graphviz wrote it.
        """
        self.data = data
        self.html = page_html(data, svg)

    def save(self, path: str | Path) -> Path:
        """Write the page to a file (UTF-8). Open it in any browser.

        Args:
            path: where to write it, e.g. "explain.html".

        Returns:
            The path written, as a Path.
        """
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # In a frame of its own: the page's script and style cannot touch the notebook's, nor
        # the notebook's the page's.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="backward explorer" '
                'style="width: 100%; height: 760px; border: 1px solid #d1d5db"></iframe>')

    def __repr__(self) -> str:
        return (f"<BackwardExplorer: {self.data['title']}, {len(self.data['steps'])} steps, "
                f"{len(self.html.encode('utf-8')):,} bytes>")


def explain(loss: Tensor, params: Any = None, max_nodes: int | None = None) -> BackwardExplorer:
    """A web page that steps through the forward and the backward pass of `loss`.

    The backward pass is run here, as `loss.backward()` would run it, but without touching any
    parameter's `.grad` and keeping the graph: call it before `loss.backward()` (or after
    `loss.backward(retain_graph=True)`). Hooks on tensors, and `retain_grad()`, see this pass
    too. Drawing needs Graphviz's `dot` (a `GraphvizNotFoundError` says how to install it).

    Args:
        loss: a one-element tensor that requires grad.
        params: names for the parameters, as in `draw_graph` (a dict {name: tensor}, or a
            Module); each must be in the graph. The page lists every parameter's gradient at
            the end.
        max_nodes: fold big graphs as `draw_graph` does (default 50 op nodes); the steps still
            go through every op, and an op inside a folded node lights that node up.

    Returns:
        A `BackwardExplorer`: `.save(path)` writes the page; Jupyter shows it inline.
    """
    prepared = _prepare(loss, params, max_nodes, "explain()", need_dot=True)
    return BackwardExplorer(prepared.data, _svg(prepared))


def explain_html(loss: Tensor, params: Any = None, max_nodes: int | None = None) -> str:
    """The explorer page of `loss` (see `explain`) as one self-contained HTML document.

    Args:
        loss: a one-element tensor that requires grad.
        params: names for the parameters, as in `draw_graph`.
        max_nodes: fold big graphs as `draw_graph` does.

    Returns:
        The document. The drawing (SVG), the style and the script are inline and the page makes
            no request of any kind, so that it opens from disk in any current browser.
    """
    prepared = _prepare(loss, params, max_nodes, "explain_html()", need_dot=True)
    return page_html(prepared.data, _svg(prepared))
