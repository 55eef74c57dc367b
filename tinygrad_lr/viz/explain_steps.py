"""The explorer's step list: each value of the forward pass and each step of the backward pass,
as the page shows them, built in Python as plain data (every number already text).

`explain_page.py` turns this into the page; see its docstring for what the page shows and where the
numbers come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.engine import Function, run_backward
from ..core.ops.common import quiet
from ..core.tensor import Tensor
from .draw import DEFAULT_MAX_NODES, input_roles, tensor_title
from .format import describe_array, format_number, format_shape, format_values, op_detail
from .model import (
    CONSTANT,
    OUTPUT,
    PARAMETER,
    DrawingPlan,
    GraphModel,
    OpNode,
    TensorNode,
    named_tensors,
)

#: Arrays with at most this many elements are printed whole in the page's panels.
PANEL_FULL = 32
#: How many entries a bigger array shows from each end.
ENDS = 3

# ---------------------------------------------------------------------------------------------
# Numbers as text
# ---------------------------------------------------------------------------------------------


def array_text(array: Any) -> str:
    """All values of a small array ("[[1.5], [-2]]", 4 significant digits each); for a bigger one
    its shape, min, mean and max over the finite entries, how many are not finite, and the first
    and last `ENDS` entries in memory order."""
    a = np.asarray(array)
    if a.size <= PANEL_FULL:
        return format_values(a)
    flat = a.reshape(-1)
    finite = flat[np.isfinite(flat)] if a.dtype.kind in "fc" else flat
    parts = [f"shape {format_shape(a.shape)}"]
    if finite.size:
        mean = finite.mean(dtype=np.float64)
        parts.append(f"min {format_number(finite.min())}, mean {format_number(mean)}, "
                     f"max {format_number(finite.max())}")  # fmt: skip
    if finite.size < flat.size:
        parts.append(f"{flat.size - finite.size} not finite")
    first = ", ".join(format_number(v) for v in flat[:ENDS].tolist())
    last = ", ".join(format_number(v) for v in flat[-ENDS:].tolist())
    return "; ".join(parts) + f"; entries {first}, …, {last}"


def all_finite(array: Any) -> bool:
    a = np.asarray(array)
    return a.dtype.kind not in "fc" or bool(np.isfinite(a).all())


def what(t: TensorNode) -> str:
    """The tensor in words, for sentences: its name, "the constant 0.5", "the output of mul #4"
    (ops are numbered in the order the forward pass ran them)."""
    if t.name is not None:
        return t.name
    if t.kind == CONSTANT:
        return f"the constant {tensor_title(t)}"
    if t.is_leaf:
        return f"an unnamed {t.kind}"
    return "the output" if t.kind == OUTPUT else f"the output of {op_label(t.producer)}"


def forward_number(op: OpNode) -> int:
    """1 for the first op the forward pass ran, 2 for the next, ...: also the op's step on the
    page (step 0 is the start). The model names ops "op0", "op1", ... in that order."""
    return int(op.key[2:]) + 1


def op_label(op: OpNode) -> str:
    return f"{op.name} #{forward_number(op)}"


# ---------------------------------------------------------------------------------------------
# Checks of the input
# ---------------------------------------------------------------------------------------------


def _seed(loss: Any, where: str) -> np.ndarray:
    """dL/dL = 1, once the loss is known to be something a backward pass can start from."""
    if not isinstance(loss, Tensor):
        raise TypeError(f"{where} expects the Tensor to explain (the loss), got "
                        f"{type(loss).__name__}")  # fmt: skip
    if not loss.requires_grad:
        raise RuntimeError(
            f"element 0 of tensors does not require grad and does not have a grad_fn: {where} "
            "shows the backward pass from this tensor, but it was computed from no tensor that "
            "requires grad (or under no_grad()). Make the parameters with requires_grad=True and "
            "compute the loss from them."
        )
    if loss._data.size != 1:
        raise RuntimeError(
            f"grad can be implicitly created only for scalar outputs: {where} starts the backward "
            f"pass from dL/dL = 1, and this tensor has shape {format_shape(loss.shape)}. Reduce "
            "it to one number first (.sum() or .mean())."
        )
    return np.ones(loss._data.shape, loss._data.dtype)


def _check_graph(model: GraphModel, params: Any, where: str) -> None:
    """Every named parameter is in the graph, and the graph's saved values are still there."""
    leaves = {id(t.tensor) for t in model.tensors if t.is_leaf}
    missing = [f"{name!r} (shape {format_shape(t.shape)})" for name, t in named_tensors(params)
               if id(t) not in leaves and t.grad_fn not in model.op_of]  # fmt: skip
    if missing:
        raise ValueError(
            f"{where}: params not in the graph of this loss: {', '.join(missing)}. The loss was "
            "not computed from them, so no gradient reaches them; leave them out of params."
        )
    if any(op.fn.saved is None for op in model.ops):
        raise RuntimeError(
            f"{where} runs the backward pass itself, and an earlier backward() has freed the "
            "values this graph saved for it. Call it before loss.backward(), or call "
            "loss.backward(retain_graph=True) first, or run the forward pass again."
        )


def _check_max_nodes(max_nodes: Any) -> int:
    if max_nodes is None:
        return DEFAULT_MAX_NODES
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes must be an int or None, not {type(max_nodes).__name__}")
    return max_nodes


# ---------------------------------------------------------------------------------------------
# The forward values, and the backward as the engine runs it
# ---------------------------------------------------------------------------------------------


def forward_values(model: GraphModel) -> dict[str, np.ndarray | None]:
    """The value of every tensor of the graph, by tensor key.

    Leaves and tensors still alive are read; every other result is recomputed by running its
    op's forward again on the values of the op's inputs, in the order the forward pass ran. None
    where that cannot be done (a Function you wrote, an op whose forward fails when run again).
    """
    values: dict[str, np.ndarray | None] = {}
    for t in model.tensors:
        if t.tensor is not None:
            values[t.key] = t.tensor._data
    for op in model.ops:
        if op.output.key not in values:
            arrays = [values[t.key] for t in op.inputs]
            values[op.output.key] = None if any(a is None for a in arrays) else \
                _rerun(op.fn, arrays)  # fmt: skip
    return values


def _rerun(fn: Function, arrays: list[np.ndarray]) -> np.ndarray | None:
    # A fresh node of the same op stands in for the context: what forward saves on it is
    # dropped, and the recorded node (whose backward is still to run) is left as it is. A
    # Function you wrote takes arguments the graph does not keep: it is not run again.
    if fn.works_on_tensors:
        return None
    scratch = object.__new__(type(fn))
    scratch.needs_input_grad = fn.needs_input_grad
    try:
        with quiet():
            out = np.asarray(type(fn).forward(scratch, *arrays, **fn.options))
    except Exception:  # a user's op whose forward cannot run twice: its value is not shown
        return None
    return out if out.shape == tuple(fn.out_shape) else None


@dataclass
class BackwardStep:
    """One step of the engine's walk: the op, g = dL/d(its output), and what it sent to each input
    (None where the input needs no gradient)."""

    op: OpNode
    g: np.ndarray
    input_grads: tuple[np.ndarray | None, ...]


def record_backward(loss: Tensor, seed: np.ndarray, model: GraphModel
                    ) -> tuple[list[BackwardStep], dict[str, np.ndarray]]:  # fmt: skip
    """Run the engine's backward from `loss`, watching every step; return the steps, and the
    gradient of each parameter (by tensor key) as `loss.backward()` would add it into `.grad`.

    Run as `autograd.grad` runs: `retain_graph=True`, and the parameters' gradients returned
    instead of added into `.grad`. Every recorded op reads some parameter, so every op runs, in
    the order `loss.backward()` runs them.
    """
    steps: list[BackwardStep] = []

    def watch(fn: Function, g: Any, input_grads: tuple) -> None:
        # One gradient per input of the drawing (a non-tensor argument of a Function you wrote
        # is not one); copies, because the engine may hand the same array on.
        sent = tuple(np.array(gi) if needed and gi is not None else None
                     for inp, gi, needed in zip(fn.inputs, input_grads, fn.needs_input_grad)
                     if inp is not None)  # fmt: skip
        steps.append(BackwardStep(model.op_of[fn], np.array(g), sent))

    params = [t for t in model.tensors if t.kind == PARAMETER]
    grads = run_backward([loss], [seed], retain_graph=True,
                         inputs=[t.tensor for t in params] or [loss], watch=watch)  # fmt: skip
    return steps, {t.key: np.asarray(g) for t, g in zip(params, grads) if g is not None}


# ---------------------------------------------------------------------------------------------
# The page's data: the tensors, the ops and the steps, as text
# ---------------------------------------------------------------------------------------------


#: The leaves the first step lists by value; the rest are counted.
LEAVES_LISTED = 12
#: A sum of gradients is written out term by term up to this many terms; a longer one shows
#: its first terms, and each new term is shown added to the total so far.
SUM_TERMS = 6


def _terms(parts: list[np.ndarray]) -> str:
    shown = " + ".join(array_text(p) for p in parts[:SUM_TERMS])
    return shown if len(parts) <= SUM_TERMS else f"{shown} + … ({len(parts) - SUM_TERMS} more)"


def _sum_text(parts: list[np.ndarray], before: Any, total: np.ndarray) -> str:
    """The gradient received so far, as the sum it is: "a + b = c"; past SUM_TERMS terms, the
    total before the newest term plus that term."""
    if len(parts) <= SUM_TERMS:
        return f"{_terms(parts)} = {array_text(total)}"
    return (f"{array_text(before)} (the first {len(parts) - 1}) + {array_text(parts[-1])} = "
            f"{array_text(total)}")


Line = list[str]  # [kind, text]: kind is "value", "grad", "sum", "done", "note" or "warn"


class _Story:
    """The page's steps, written in order, and each tensor's gradient as it builds up.

    A tensor's gradient is a timeline, one entry per gradient it receives: [step, its text on
    the tensor's node, its text in the panel, final?, finite?]. It is final once every op that
    reads the tensor has sent its part (counted beforehand from the recorded walk).
    """

    def __init__(self, model: GraphModel, plan: DrawingPlan, values: dict[str, Any],
                 walk: list[BackwardStep], param_grads: dict[str, np.ndarray]) -> None:  # fmt: skip
        self.model, self.plan, self.values, self.walk = model, plan, values, walk
        self.param_grads = param_grads
        self.group_of = {op: g for g in plan.groups for op in g.ops}
        self.steps: list[dict[str, Any]] = []
        self.expected: dict[str, int] = {model.root.key: 1}
        for s in walk:
            for t, gi in zip(s.op.inputs, s.input_grads):
                if gi is not None:
                    self.expected[t.key] = self.expected.get(t.key, 0) + 1
        self.received: dict[str, list[tuple[str, np.ndarray]]] = {}
        self.totals: dict[str, np.ndarray] = {}
        self.timeline: dict[str, list[list[Any]]] = {}
        self.backward_step_of: dict[str, int] = {}

    def tell(self, seed: np.ndarray) -> None:
        """Write every step: the start, the forward pass, the backward pass, the result."""
        self.start()
        for op in self.model.ops:
            self.forward(op)
        self.begin_backward(seed)
        for j, s in enumerate(self.walk):
            self.backward(j + 1, s)
        self.done()

    def box(self, op: OpNode) -> str:
        """The node of the drawing that shows `op`: its own, or the folded node it is in."""
        group = self.group_of.get(op)
        return op.key if group is None else group.key

    def add_step(self, phase: str, title: str, rule: str | None, lines: list[Line],
                 op: OpNode | None = None, edges: tuple[str, ...] = ()) -> None:  # fmt: skip
        box = None if op is None else self.box(op)
        if op is not None and box != op.key:
            lines.append(["note", f"({op_label(op)} is inside a folded node of the drawing, "
                                  "which is highlighted)"])  # fmt: skip
        self.steps.append({"phase": phase, "title": title, "rule": rule, "lines": lines,
                           "op": None if op is None else op.key, "box": box,
                           "edges": list(edges)})  # fmt: skip

    def value_lines(self, label: str, t: TensorNode) -> list[Line]:
        value = self.values.get(t.key)
        if value is None:
            return [["note", f"{label}: its value is not kept by the graph"]]
        lines = [["value", f"{label} = {array_text(value)}"]]
        if not all_finite(value):
            lines.append(["warn", f"⚠ {what(t)} holds nan or inf"])
        return lines

    def edges_into(self, op: OpNode, positions: set[int]) -> tuple[str, ...]:
        return tuple(f"{src}->{dst}" for src, dst, pos, _t in self.plan.edges
                     if dst == op.key and pos in positions)  # fmt: skip

    # --- the steps -------------------------------------------------------------------------

    def start(self) -> None:
        leaves = [t for t in self.model.tensors if t.is_leaf and t.kind != CONSTANT]
        constants = list(dict.fromkeys(tensor_title(t) for t in self.model.tensors
                                       if t.kind == CONSTANT))  # fmt: skip
        n_ops = len(self.model.ops)
        lines = [["note", f"The graph of {what(self.model.root)}: {n_ops} ops. Boxes are "
                          "tensors, ovals are ops, and arrows point the way data flows."]]
        for t in leaves[:LEAVES_LISTED]:
            lines += self.value_lines(what(t), t)
        if len(leaves) > LEAVES_LISTED:
            lines.append(["note", f"… and {len(leaves) - LEAVES_LISTED} more leaves"])
        if constants:  # a number in the code: its value is its name
            lines.append(["value", f"constants: {', '.join(constants)}"])
        lines.append(["note", "Next (→): the forward pass, one op per step, in the order the "
                              "ops ran; then the backward pass, newest op first."])  # fmt: skip
        self.add_step("start", "Before the forward pass: only the leaves have values", None,
                      lines)  # fmt: skip

    def forward(self, op: OpNode) -> None:
        lines: list[Line] = []
        for role, t in zip(input_roles(op.name, len(op.inputs)), op.inputs):
            lines += self.value_lines(role if what(t) == role else f"{role} ({what(t)})", t)
        out = op.output
        lines += self.value_lines("z" if out.name is None else f"z ({out.name})", out)
        edges = self.edges_into(op, set(range(len(op.inputs))))
        if out.key in {t.key for t in self.plan.tensors}:
            edges += (f"{op.key}->{out.key}",)
        detail = op_detail(op.fn)
        title = f"Forward {forward_number(op)} of {len(self.model.ops)}: {op_label(op)}" + (
            f" ({detail})" if detail else "")
        self.add_step("forward", title, op.fn.formula.split(";")[0].strip(), lines, op, edges)

    def begin_backward(self, seed: np.ndarray) -> None:
        root = self.model.root
        lines = self.receive(root, len(self.steps), "the start", seed)
        lines.insert(0, ["grad", f"g = dL/d({what(root)}) = {array_text(seed)}: the loss "
                                 "changes one for one with itself"])  # fmt: skip
        lines.append(["note", "From here on each step takes one op, newest first, in the order "
                              "the engine runs them. The op receives g = dL/d(its output), and "
                              "its rule turns g into one gradient per input: the chain rule."])
        self.add_step("backward", "The backward pass starts at the output", "dL/dL = 1", lines)

    def backward(self, j: int, s: BackwardStep) -> None:
        op, step = s.op, len(self.steps)
        self.backward_step_of[op.key] = step
        lines = self.incoming(op.output, s.g)
        sent: set[int] = set()
        for pos, (role, t, gi) in enumerate(zip(input_roles(op.name, len(op.inputs)),
                                                op.inputs, s.input_grads)):  # fmt: skip
            if gi is None:
                lines.append(["note", f"d{role}: not computed: {role} is {what(t)}, which needs "
                                      "no gradient"])  # fmt: skip
                continue
            sent.add(pos)
            lines.append(["grad", f"d{role} = {array_text(gi)}   → sent to {what(t)}"])
            lines += self.receive(t, step, f"{op_label(op)}, as {role}", gi)
        title = f"Backward {j} of {len(self.walk)}: {op_label(op)}"
        self.add_step("backward", title, op.fn.formula, lines, op, self.edges_into(op, sent))

    def incoming(self, out: TensorNode, g: np.ndarray) -> list[Line]:
        """g at an op's output, written as the sum of its parts where the output fans out."""
        parts = self.received.get(out.key, [])
        lines: list[Line] = []
        if len(parts) > 1:
            lines.append(["sum", f"{what(out)} was used by {len(parts)} ops, so g is the sum of "
                                 "what each of them sent back:"])  # fmt: skip
            for i, (source, part) in enumerate(parts[:SUM_TERMS]):
                lines.append(["sum", f"{'+ ' if i else '  '}{array_text(part)}   (from "
                                     f"{source})"])  # fmt: skip
            if len(parts) > SUM_TERMS:
                lines.append(["sum", f"+ … {len(parts) - SUM_TERMS} more"])
        lines.append(["grad", f"g = dL/d({what(out)}) = {array_text(g)}"])
        if not all_finite(g):
            lines.append(["warn", "⚠ g holds nan or inf"])
        return lines

    def receive(self, t: TensorNode, step: int, source: str, g: np.ndarray) -> list[Line]:
        """Add a gradient sent to `t`; the lines that show the sum where it is not the first."""
        parts = self.received.setdefault(t.key, [])
        parts.append((source, g))
        # In the engine's order of addition, so that the sum is the engine's to the last bit.
        before = self.totals.get(t.key)
        total = g if before is None else before + g
        self.totals[t.key] = total
        final = len(parts) == self.expected[t.key]
        caption = "grad" if final else "grad so far"
        self.timeline.setdefault(t.key, []).append(
            [step, f"{caption} {describe_array(total)}", array_text(total), final,
             all_finite(total)])  # fmt: skip
        lines: list[Line] = []
        if len(parts) > 1:
            summed = _sum_text([part for _s, part in parts], before, total)
            lines.append(["sum", f"{what(t)} has now received {len(parts)} of "
                                 f"{self.expected[t.key]} gradients: {summed}"])  # fmt: skip
        if final and t.kind == PARAMETER:
            lines.append(["done", f"{what(t)}'s gradient is complete: {what(t)}.grad = "
                                  f"{array_text(total)}"])  # fmt: skip
        if not all_finite(total):
            lines.append(["warn", f"⚠ the gradient of {what(t)} holds nan or inf"])
        return lines

    def done(self) -> None:
        lines: list[Line] = []
        for t in self.model.tensors:
            if t.kind != PARAMETER:
                continue
            g = self.param_grads.get(t.key)
            if g is None:
                lines.append(["note", f"{what(t)}: no gradient reached it"])
                continue
            lines.append(["done", f"{what(t)}.grad = {array_text(g)}"])
            parts = self.received.get(t.key, [])
            if len(parts) > 1:
                lines.append(["sum", f"   the sum of the {len(parts)} gradients sent to it "
                                     f"(it is used {len(parts)} times): "
                                     f"{_terms([p for _s, p in parts])}"])  # fmt: skip
        skipped = [op_label(op) for op in self.model.ops if op.key not in self.backward_step_of]
        if skipped:
            lines.append(["note", f"No gradient reached {', '.join(skipped)}: every op that "
                                  "reads their output sent none back."])  # fmt: skip
        lines.append(["note", "These are the numbers loss.backward() adds into each parameter's "
                              ".grad."])  # fmt: skip
        self.add_step("done", "Done: every parameter has its gradient", None, lines)

    # --- everything the page needs, as plain data ------------------------------------------

    def data(self) -> dict[str, Any]:
        drawn = {t.key for t in self.plan.tensors}
        groups = {g.key: {"text": f"{len(g.ops)} ops drawn as one node: "
                                  + ", ".join(f"{n} × {name}" for name, n in g.op_counts()),
                          "ops": [op.key for op in g.ops],
                          "first_step": min(map(forward_number, g.ops)),
                          "done_step": self._done_step(g.ops)}
                  for g in self.plan.groups}  # fmt: skip
        params = [{"key": t.key, "name": t.name, "shape": format_shape(t.shape)}
                  for t in self.model.tensors if t.kind == PARAMETER]  # fmt: skip
        return {"title": f"The forward and backward pass of {what(self.model.root)}",
                "steps": self.steps, "tensors": {t.key: self._tensor(t, t.key in drawn)
                                                 for t in self.model.tensors},
                "ops": {op.key: self._op(op) for op in self.model.ops}, "groups": groups,
                "params": params, "notes": list(self.plan.notes)}  # fmt: skip

    def _done_step(self, ops: list[OpNode]) -> int | None:
        steps = [self.backward_step_of.get(op.key) for op in ops]
        return None if None in steps else max(steps, default=None)

    def _tensor(self, t: TensorNode, drawn: bool) -> dict[str, Any]:
        value = self.values.get(t.key)
        timeline = self.timeline.get(t.key, [])
        box = t.key if drawn else None if t.producer is None else self.box(t.producer)
        return {"label": what(t), "kind": t.kind, "shape": format_shape(t.shape),
                "dtype": str(t.dtype), "box": box,
                "producer": None if t.producer is None else t.producer.key,
                "value": None if value is None else array_text(value),
                "value_node": ("= " + describe_array(value) if drawn and value is not None
                               and t.kind != CONSTANT else None),
                "value_step": 0 if t.producer is None else forward_number(t.producer),
                "finite": value is None or all_finite(value),
                "grad_node": (f"grad {describe_array(self.totals[t.key])}"
                              if drawn and t.key in self.totals else None),
                "grads": timeline}  # fmt: skip

    def _op(self, op: OpNode) -> dict[str, Any]:
        return {"label": op_label(op), "name": op.name, "detail": op_detail(op.fn),
                "formula": op.fn.formula, "inputs": [t.key for t in op.inputs],
                "roles": list(input_roles(op.name, len(op.inputs))), "output": op.output.key,
                "box": self.box(op), "forward_step": forward_number(op),
                "backward_step": self.backward_step_of.get(op.key)}  # fmt: skip
