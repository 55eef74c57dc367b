"""The computation graph as something to draw: tensors and ops, named and classified.

`build_model(root, params)` walks the recorded graph back from `root.grad_fn` (with an explicit
stack: a chain of 100,000 ops is walked like a chain of 3) and returns a `GraphModel`:

* one `TensorNode` per tensor: every leaf (parameters, data, constants such as the 0.5 in
  `0.5 * x`), every intermediate result, and the root output;
* one `OpNode` per recorded operation, knowing its input tensors (in argument order) and its
  output tensor.

Data flows tensor -> op -> tensor. The autograd graph itself only links an op to its inputs' ops
(`Function.inputs`), in the order the engine's `topological_order` gives; the tensor in between
is recreated here from the op's `out_shape`/`out_dtype`. Where the result tensor itself can be
found (the root, a tensor in `params`, one that was given a `.name` or called `retain_grad()`),
its name, values and retained gradient are shown too.

`plan_drawing(model, max_ops)` decides what is drawn when a graph is too big: long chains are
folded into one node each, and if that is not enough, the ops farthest from the output are left
out (`Group`). The renderers (`draw.py`, `frames.py`) draw a plan; `text.py` walks the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.engine import Function, RetainGrad, topological_order
from ..core.tensor import Tensor

# Tensor kinds, in the order the legend lists them.
PARAMETER = "parameter"  # a leaf with requires_grad=True: what training changes
DATA = "data"  # a leaf without requires_grad: inputs and targets
CONSTANT = "constant"  # an unnamed one-element leaf without grad: the 0.5 in 0.5 * x
INTERMEDIATE = "intermediate"  # the result of an op, on the way to the output
OUTPUT = "output"  # the tensor the graph was drawn from (the loss)
KINDS = (PARAMETER, DATA, CONSTANT, INTERMEDIATE, OUTPUT)


@dataclass(eq=False)
class TensorNode:
    """One tensor of the drawing."""

    key: str  # the node's id in the DOT source ("t0", "t1", ...)
    kind: str  # one of KINDS
    name: str | None  # from `params`, or the tensor's own `.name`
    shape: tuple[int, ...]
    dtype: np.dtype
    tensor: Tensor | None  # a leaf, or the op's output while it is alive
    producer: OpNode | None = None  # the op that made it (None for leaves)
    consumers: list[OpNode] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.producer is None

    @property
    def grad(self) -> np.ndarray | None:
        """The gradient `.grad` holds, where there is one to show: leaves, and retained non-leaves.

        Read through `_grad` so that reading a non-leaf's gradient does not warn: the drawing
        only asks for it where `retain_grad()` was called.
        """
        t = self.tensor
        if t is None or (not self.is_leaf and not t._retains_grad):
            return None
        return None if t._grad is None else t._grad._data

    @property
    def grad_expected(self) -> bool:
        """Whether backward() fills this tensor's `.grad`: parameters, and retained non-leaves."""
        if self.is_leaf:
            return self.tensor is not None and self.tensor.requires_grad
        return self.tensor is not None and self.tensor._retains_grad


@dataclass(eq=False)
class OpNode:
    """One recorded operation of the drawing."""

    key: str  # "op0", "op1", ...
    fn: Function
    inputs: list[TensorNode]
    output: TensorNode

    @property
    def name(self) -> str:
        return self.fn.name

    @property
    def backward_of(self) -> str | None:
        """For an op recorded by a backward pass (create_graph=True): the op whose backward
        formula made it; None for an op of the forward pass."""
        node = getattr(self.fn, "made_by_backward_of", None)
        return None if node is None else node.name


@dataclass
class GraphModel:
    tensors: list[TensorNode]  # leaves first, in the order the forward pass used them
    ops: list[OpNode]  # in forward (execution) order: an op comes after the ops it reads
    root: TensorNode
    op_of: dict[Function, OpNode]


def named_tensors(params: Any) -> list[tuple[str, Tensor]]:
    """[(name, tensor)] from a dict {name: tensor}, or from anything with `named_parameters()`.

    (A Module is recognised by its method, not its class, so that this works for any object that
    follows PyTorch's convention.)
    """
    if params is None:
        return {}
    named = getattr(params, "named_parameters", None)
    if callable(named):
        items = list(named())
    elif isinstance(params, Mapping):
        items = list(params.items())
    else:
        raise TypeError(
            "params must be a dict {name: tensor} or an object with named_parameters() "
            f"(a Module), not {type(params).__name__}"
        )
    for name, t in items:
        if not isinstance(t, Tensor):
            raise TypeError(f"params[{name!r}] is a {type(t).__name__}, not a Tensor")
    return [(str(name), t) for name, t in items]


def parameter_names(params: Any) -> dict[int, str]:
    """{id(tensor): name} for the tensors named in `params` (see named_tensors)."""
    return {id(t): name for name, t in named_tensors(params)}


def forward_order(root_fn: Function) -> list[Function]:
    """Every op behind `root_fn`, each after the ops that made its inputs: the engine's
    topological order, read forwards."""
    return topological_order(root_fn)[::-1]


def output_tensor(fn: Function, known: dict[Function, Tensor]) -> Tensor | None:
    """The tensor `fn` made, where it can still be found (the graph itself does not keep it)."""
    if fn in known:
        return known[fn]
    for ref in [getattr(fn, "named_output", None)] + [h.tensor for h in fn.hooks or ()
                                                      if isinstance(h, RetainGrad)]:
        t = ref() if ref is not None else None
        if t is not None and t.grad_fn is fn:
            return t
    return None


def _leaf_kind(t: Tensor, name: str | None) -> str:
    if t.requires_grad:
        return PARAMETER
    if name is None and t._data.size == 1:
        return CONSTANT
    return DATA


def build_model(root: Tensor, params: Any = None) -> GraphModel:
    """The graph that produced `root`, as tensors and ops (see the module docstring)."""
    if not isinstance(root, Tensor):
        raise TypeError(f"expected the Tensor to draw the graph of, got {type(root).__name__}")
    named = named_tensors(params)
    names = {id(t): name for name, t in named}
    known = {t.grad_fn: t for _, t in named if t.grad_fn is not None}
    known[root.grad_fn] = root

    def name_of(t: Tensor | None) -> str | None:
        if t is None:
            return None
        return names.get(id(t), t.name)

    tensors: list[TensorNode] = []
    leaves: dict[int, TensorNode] = {}

    def new_tensor(kind: str, name: str | None, shape: tuple, dtype: np.dtype,
                   tensor: Tensor | None) -> TensorNode:  # fmt: skip
        node = TensorNode(f"t{len(tensors)}", kind, name, tuple(shape), np.dtype(dtype), tensor)
        tensors.append(node)
        return node

    if root.grad_fn is None:  # nothing was recorded: the graph is the tensor alone
        node = new_tensor(OUTPUT, name_of(root), root.shape, root.dtype, root)
        return GraphModel(tensors, [], node, {})

    ops: list[OpNode] = []
    op_of: dict[Function, OpNode] = {}
    for fn in forward_order(root.grad_fn):
        inputs = []
        for inp in fn.inputs:
            if inp is None:  # a non-tensor argument of a Function you wrote: not in the graph
                continue
            if isinstance(inp, Function):
                inputs.append(op_of[inp].output)
                continue
            leaf = leaves.get(id(inp))  # the graph holds its leaves, so ids stay unique
            if leaf is None:
                name = name_of(inp)
                kind = _leaf_kind(inp, name)
                leaf = new_tensor(kind, name, inp.shape, inp.dtype, inp)
                if kind != CONSTANT:  # a number is drawn at each use, even where one is shared
                    leaves[id(inp)] = leaf
            inputs.append(leaf)
        out_tensor = output_tensor(fn, known)
        kind = OUTPUT if fn is root.grad_fn else INTERMEDIATE
        out = new_tensor(kind, name_of(out_tensor), fn.out_shape, fn.out_dtype, out_tensor)
        op = OpNode(f"op{len(ops)}", fn, inputs, out)
        out.producer = op
        for t in inputs:
            t.consumers.append(op)
        ops.append(op)
        op_of[fn] = op
    return GraphModel(tensors, ops, op_of[root.grad_fn].output, op_of)


# ---------------------------------------------------------------------------------------------
# Big graphs: what to draw
# ---------------------------------------------------------------------------------------------

#: Ops kept on each side of a folded chain, so the repeating pattern stays visible.
KEEP_AT_CHAIN_ENDS = 2


@dataclass(eq=False)
class Group:
    """Several ops drawn as one node: a folded chain, or the ops left out beyond max_nodes."""

    key: str
    ops: list[OpNode]
    reason: str  # "chain" or "cut"

    def op_counts(self) -> list[tuple[str, int]]:
        return Counter(op.name for op in self.ops).most_common()


@dataclass
class DrawingPlan:
    """What to draw of a model: visible ops and tensors, groups, and every edge between them."""

    model: GraphModel
    ops: list[OpNode]
    tensors: list[TensorNode]
    groups: list[Group]
    # (source key, target key, input position for op targets or None, the tensor carried)
    edges: list[tuple[str, str, int | None, TensorNode]]
    hidden_leaves: Counter  # kind -> number of leaves used only inside groups
    notes: list[str]


def _chains(model: GraphModel) -> list[list[OpNode]]:
    """Maximal runs of ops in which each op feeds only the next (where folding loses nothing).

    A "twig" (an op reading only leaves, used once: the expand of a bias) belongs to the op that
    uses it, so `h.mm(W) + b` still continues a chain through the add.
    """
    uses = {op: len(op.output.consumers) for op in model.ops}
    uses[model.root.producer] += 1  # the caller holds the output

    def is_twig(op: OpNode) -> bool:
        return uses[op] == 1 and all(t.is_leaf for t in op.inputs)

    successor: dict[OpNode, OpNode] = {}
    has_predecessor: set[OpNode] = set()
    for op in model.ops:
        if is_twig(op):
            continue
        main = [t.producer for t in op.inputs if not t.is_leaf and not is_twig(t.producer)]
        if len(set(main)) == 1 and uses[main[0]] == 1:
            successor[main[0]] = op
            has_predecessor.add(op)
    chains = []
    for op in model.ops:
        if op in successor and op not in has_predecessor:
            chain = [op]
            while chain[-1] in successor:
                chain.append(successor[chain[-1]])
            chains.append(chain)
    return chains


def _twigs_of(op: OpNode) -> list[OpNode]:
    # The ops that feed only `op` and read only leaves: they go wherever `op` goes.
    return [t.producer for t in op.inputs if not t.is_leaf and len(t.consumers) == 1
            and all(u.is_leaf for u in t.producer.inputs)]  # fmt: skip


def plan_drawing(model: GraphModel, max_ops: int | None = None) -> DrawingPlan:
    """Decide what to draw so that at most `max_ops` op nodes appear (None: draw everything).

    First the longest chains are folded (the two ops at each end stay, the middle becomes one
    node), until the count fits. If it still does not, the ops nearest the output are kept (a
    breadth-first walk back from it) and the rest become one "not drawn" node. A group node
    counts as one op node.
    """
    if max_ops is not None and max_ops < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_ops}")
    group_of: dict[OpNode, Group] = {}
    groups: list[Group] = []
    notes: list[str] = []
    if max_ops is not None and len(model.ops) > max_ops:
        count = _fold_chains(model, max_ops, group_of, groups, notes)
        if count > max_ops:
            _cut_far_ops(model, max_ops, group_of, groups, notes)
    visible_ops = [op for op in model.ops if op not in group_of]
    edges, shown_leaves = _edges(visible_ops, groups, group_of)
    hidden: Counter = Counter()
    for t in model.tensors:
        if t.is_leaf and t.consumers and t not in shown_leaves:
            hidden[t.kind] += 1
    visible_tensors = [
        t for t in model.tensors
        if (t.is_leaf and (t in shown_leaves or not t.consumers))
        or (not t.is_leaf and t.producer not in group_of)
    ]  # fmt: skip
    if hidden:
        notes.append("not drawn: " + ", ".join(f"{n} {kind if n == 1 else kind + 's'}"
                                               for kind, n in hidden.items()) + " used only "
                     "inside folded nodes")  # fmt: skip
    return DrawingPlan(model, visible_ops, visible_tensors, groups, edges, hidden, notes)


def _fold_chains(model: GraphModel, max_ops: int, group_of: dict[OpNode, Group],
                 groups: list[Group], notes: list[str]) -> int:  # fmt: skip
    """Fold the longest chains (their middles become one node each) until the ops fit; return
    the number of op nodes left."""
    count = len(model.ops)
    for chain in sorted(_chains(model), key=len, reverse=True):
        if count <= max_ops:
            break
        middle = chain[KEEP_AT_CHAIN_ENDS:-KEEP_AT_CHAIN_ENDS]
        if len(middle) < 2:
            break
        folded = [twig for op in middle for twig in _twigs_of(op)] + middle
        group = Group(f"group{len(groups)}", folded, "chain")
        groups.append(group)
        for op in folded:
            group_of[op] = group
        count -= len(folded) - 1
        notes.append(f"a chain of {len(folded)} ops ({_counts_text(group)}) is drawn as one "
                     "node")  # fmt: skip
    return count


Edge = tuple[str, str, int | None, TensorNode]  # (source key, target key, input position, tensor)


def _edges(visible_ops: list[OpNode], groups: list[Group], group_of: dict[OpNode, Group]
           ) -> tuple[list[Edge], set[TensorNode]]:  # fmt: skip
    """Every edge of the drawing, and the leaves drawn as their own nodes."""
    edges: list[Edge] = []
    shown_leaves: set[TensorNode] = set()
    for op in visible_ops:
        for pos, t in enumerate(op.inputs):
            if t.producer is not None and t.producer in group_of:
                edges.append((group_of[t.producer].key, op.key, pos, t))
            else:
                edges.append((t.key, op.key, pos, t))
                if t.is_leaf:
                    shown_leaves.add(t)
        edges.append((op.key, op.output.key, None, op.output))
    for group in groups:
        members = set(group.ops)
        sources: dict[str, TensorNode] = {}
        for op in group.ops:
            for t in op.inputs:
                if t.producer in members or (t.is_leaf and t not in shown_leaves):
                    continue  # inside the group, or a leaf used only inside folded nodes
                if t.is_leaf:
                    sources.setdefault(t.key, t)
                elif t.producer in group_of:
                    sources.setdefault(group_of[t.producer].key, t)
                else:
                    sources.setdefault(t.key, t)
        edges.extend((src, group.key, None, t) for src, t in sources.items())
    return edges, shown_leaves


def _counts_text(group: Group) -> str:
    return ", ".join(f"{n} × {name}" for name, n in group.op_counts())


def _cut_far_ops(model: GraphModel, max_ops: int, group_of: dict[OpNode, Group],
                 groups: list[Group], notes: list[str]) -> int:  # fmt: skip
    # Walk back from the output breadth-first over drawn units (an op, or a folded chain) and keep
    # the first max_ops - 1 of them; everything farther away goes into one "not drawn" node.
    def unit(op: OpNode) -> Any:
        return group_of.get(op, op)

    def unit_inputs(u: Any) -> list[OpNode]:
        ops = u.ops if isinstance(u, Group) else [u]
        return [t.producer for op in ops for t in op.inputs if t.producer is not None]

    start = unit(model.root.producer)
    kept = {start}
    queue = [start]
    budget = max_ops - 1  # one node is left for "the rest"
    head = 0
    while head < len(queue) and len(kept) < budget:
        u = queue[head]
        head += 1
        for producer in unit_inputs(u):
            nu = unit(producer)
            if nu not in kept and len(kept) < budget:
                kept.add(nu)
                queue.append(nu)
    cut_ops = [op for op in model.ops if unit(op) not in kept]
    dropped_groups = {group_of[op] for op in cut_ops if op in group_of}
    groups[:] = [g for g in groups if g not in dropped_groups]
    if dropped_groups:  # their notes now describe ops inside the "not drawn" node
        notes.clear()
        notes.extend(f"a chain of {len(g.ops)} ops ({_counts_text(g)}) is drawn as one node"
                     for g in groups)  # fmt: skip
    cut = Group("group_rest", cut_ops, "cut")
    groups.append(cut)
    for op in cut_ops:
        group_of[op] = cut
    notes.append(f"{len(cut_ops)} ops farthest from the output ({_counts_text(cut)}) are not "
                 f"drawn, to keep to max_nodes={max_ops}")  # fmt: skip
    return len(kept) + 1
