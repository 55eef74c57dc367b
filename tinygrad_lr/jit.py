"""`TrainStep`: a training step recorded once, then replayed as a list of numpy kernels.

Every ordinary step pays Python work per op: a Tensor and a graph node are built, and the engine
orders and routes the gradients. A training loop runs the same computation on new data each
step, so a TrainStep runs its first call the ordinary way and records every kernel it ran: each
op's `forward`, each node's `backward`, each sum of two gradients, each gradient handed to a
parameter, and the SGD update. Later calls run that list on the new arrays. No Tensor, node or
graph is built, and the kernels are the ops' own methods, called in the same order on arrays of
the same shapes: a replay computes bit for bit what the ordinary step computes.

    step = TrainStep(loss_fn, [w, b], lr=0.02)   # loss_fn(x, y) -> a one-element loss Tensor
    for x, y in batches:
        loss = step(x, y)                         # the loss; w and b are updated in place

Each call is the ordinary step

    loss = loss_fn(x, y); loss.backward()
    with no_grad(): p -= lr * p.grad   (for each parameter p that got a gradient)
    p.grad = None

What a replay assumes, as tinygrad's TinyJit does: every call does the same computation. A call
with other shapes or dtypes records a trace of its own; but Python decisions on values
(`if loss.item() > 1:`) are fixed when recording, tensors made inside the step (`t.rand(...)`,
`t.tensor(...)`) are made once and reused, and the loss must be computed with tinygrad_lr ops
from the arguments and the parameters (arrays taken out with `.numpy()` and computed on
elsewhere are not seen). Hooks, retain_grad, anomaly mode and in-place ops inside the loss are
refused when recording rather than replayed wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .autograd import Function, _GradMode, run_backward
from .tensor import Tensor

Kernel = Callable[[list], None]  # reads and writes the replay's list of arrays ("slots")


class TrainStep:
    """An SGD training step on `params`, recorded on its first call and replayed afterwards.

    `loss_fn(*args)` returns a one-element loss Tensor computed from the argument tensors and
    `params` (leaf tensors with requires_grad=True). Calling the step returns the loss (a Tensor
    that records nothing) and updates each parameter in place, p -= lr * dloss/dp.
    """

    def __init__(self, loss_fn: Callable[..., Tensor], params: Sequence[Tensor],
                 lr: float) -> None:  # fmt: skip
        for p in params:
            if not isinstance(p, Tensor) or not p.is_leaf or not p.requires_grad:
                raise TypeError("TrainStep: params must be leaf tensors with requires_grad=True")
        self.loss_fn = loss_fn
        self.params = list(params)
        self.lr = lr
        self.traces: dict[tuple, _Trace] = {}  # one per shape-and-dtype signature of the args

    def __call__(self, *args: Tensor) -> Tensor:
        for a in args:
            if not isinstance(a, Tensor):
                raise TypeError(f"TrainStep: arguments must be Tensors, got {type(a).__name__}")
        signature = tuple((a.data.shape, a.data.dtype) for a in args)
        trace = self.traces.get(signature)
        if trace is None:
            trace, loss = self._record(args)
            self.traces[signature] = trace
            return loss
        for p in self.params:  # the ordinary step would add to a gradient set in between
            if p._grad is not None:
                raise RuntimeError("TrainStep: a parameter's .grad was set between steps; a "
                                   "replay computes from fresh gradients (set it to None)")
        return trace.replay(args)

    def _record(self, args: Sequence[Tensor]) -> tuple[_Trace, Tensor]:
        """Run the step the ordinary way, keeping every kernel it runs."""
        if _GradMode.recorder is not None:
            raise RuntimeError("TrainStep: a step cannot be recorded inside another recording")
        if _GradMode.anomaly:
            raise RuntimeError("TrainStep: anomaly mode checks each backward; it is not replayed")
        if not _GradMode.enabled:
            raise RuntimeError("TrainStep: gradients are disabled (called inside no_grad())")
        for p in self.params:
            if p._grad is not None or p._hooks:
                raise RuntimeError("TrainStep: the parameters' .grad must be None and without "
                                   "hooks when the step starts (each step starts from fresh "
                                   "gradients)")
        recorder = _Recorder([a.data for a in args])
        _GradMode.recorder = recorder
        try:
            loss = self.loss_fn(*args)
        finally:
            _GradMode.recorder = None
        if any(p._grad is not None for p in self.params):
            raise RuntimeError("TrainStep: loss_fn must not call backward(); the step does")
        if not isinstance(loss, Tensor) or loss.data.size != 1 or loss.grad_fn is None:
            raise RuntimeError("TrainStep: loss_fn must return a one-element Tensor computed from "
                               "the parameters")
        ones = np.ones(loss.data.shape, loss.data.dtype)  # d loss / d loss, as Tensor.backward
        recorder.start_backward(loss.grad_fn, ones, self.params)
        run_backward(loss.grad_fn, ones, trace=recorder.record_backward)
        loss_value = Tensor._make(loss.data, False, None)
        for p in self.params:
            if p._grad is None:
                continue  # no gradient reached it: left as it is, as an optimizer does
            recorder.record_update(p, self.lr)
            lr = np.asarray(self.lr, p.data.dtype)  # the number in p's dtype, as `lr * p.grad`
            np.subtract(p.data, lr * p._grad.data, out=p.data)
            p._version_counter[0] += 1
            p._grad = None
        return recorder.finish(loss.data), loss_value


class _Trace:
    """The recorded kernels, and where each replay finds its arguments and its loss."""

    def __init__(self, template: list, arg_slots: list[int], loss_slot: int,
                 kernels: list[Kernel], updated: list[Tensor]) -> None:  # fmt: skip
        self.template = template  # the constants in their slots; None where a replay fills in
        self.arg_slots = arg_slots
        self.loss_slot = loss_slot
        self.kernels = kernels
        self.updated = updated  # the parameters each replay changes in place

    def replay(self, args: Sequence[Tensor]) -> Tensor:
        slots = self.template.copy()
        for slot, a in zip(self.arg_slots, args):
            slots[slot] = a.data
        for kernel in self.kernels:
            kernel(slots)
        for p in self.updated:
            p._version_counter[0] += 1  # as the in-place update of the ordinary step does
        return Tensor._make(slots[self.loss_slot], False, None)


class _Recorder:
    """Turns the ops of one ordinary step into kernels over numbered slots.

    Each array the step uses gets a slot: an argument's array, a kernel's result, or a constant
    (a parameter's memory, a number from the code) kept in the template. Arrays are told apart
    by identity, so every array seen is kept alive until the recording ends (a freed array's id
    could be taken by a new one).
    """

    def __init__(self, arg_arrays: list[np.ndarray]) -> None:
        self.template: list = []
        self.slot_of: dict[int, int] = {}
        self.seen: list[np.ndarray] = []
        self.kernels: list[Kernel] = []
        self.arg_slots = [self._new_slot(a, None) for a in arg_arrays]
        self.grad_slot: dict[Function, int] = {}  # the engine's `grads`, as slots
        self.leaf_slot: dict[int, int] = {}  # id(param) -> slot of its gradient so far
        self.params: dict[int, Tensor] = {}
        self.updated: list[Tensor] = []

    def _new_slot(self, array: np.ndarray | None, constant: Any) -> int:
        slot = len(self.template)
        self.template.append(constant)
        if array is not None:
            self.slot_of[id(array)] = slot
            self.seen.append(array)
        return slot

    def _slot(self, array: np.ndarray) -> int:
        """The slot holding `array`; an array no kernel made is a constant of the trace."""
        slot = self.slot_of.get(id(array))
        return slot if slot is not None else self._new_slot(array, array)

    def _check_attrs(self, node: Function, attrs: dict) -> None:
        # An op's attributes are fixed in the trace. One holding an array made in the step (an
        # index computed from the data) would be the recorded array again in every replay.
        for value in attrs.values():
            for v in value if isinstance(value, tuple) else (value,):
                slot = self.slot_of.get(id(v)) if isinstance(v, np.ndarray) else None
                if slot is not None and self.template[slot] is None:
                    raise RuntimeError(f"TrainStep: `{node.name}` takes an index computed in the "
                                       "step; a replay would reuse the recorded one")

    # --- the forward pass: called by _apply for every op ----------------------------------------

    def record_op(self, node: Function, inputs: tuple, attrs: dict, data: np.ndarray) -> None:
        self._check_attrs(node, attrs)
        sources = [self._slot(t.data) for t in inputs]
        out = self._new_slot(data, None)
        self.kernels.append(_forward_kernel(node, sources, attrs, out))

    # --- the backward pass: mirrors the engine's routing of gradients ---------------------------

    def start_backward(self, root: Function, grad: np.ndarray, params: list[Tensor]) -> None:
        self.grad_slot[root] = self._new_slot(grad, grad)
        self.params = {id(p): p for p in params}

    def record_backward(self, node: Function, node_grad: np.ndarray, input_grads: tuple) -> None:
        output = node._output()
        if node.hooks or (output is not None and output._retains_grad):
            raise RuntimeError(f"TrainStep: the tensor made by `{node.name}` has a hook or "
                               "retains its grad; a replay would not call or fill them")
        g_slot = self.grad_slot.pop(node)
        outs = [None if not needed or g is None else self._new_slot(g, None)
                for needed, g in zip(node.needs_input_grad, input_grads)]  # fmt: skip
        self.kernels.append(_backward_kernel(node, g_slot, outs))
        # Then hand each gradient on, in the engine's order (which fixes the order of sums).
        for parent, slot in zip(node.inputs, outs):
            if slot is None:
                continue
            if isinstance(parent, Function):
                if parent in self.grad_slot:  # a second consumer: the engine adds the two
                    total = self._new_slot(None, None)
                    self.kernels.append(_add_kernel(self.grad_slot[parent], slot, total))
                    self.grad_slot[parent] = total
                else:
                    self.grad_slot[parent] = slot
            else:
                self._record_leaf(parent, slot)

    def _record_leaf(self, leaf: Tensor, g_slot: int) -> None:
        if id(leaf) not in self.params:
            raise RuntimeError("TrainStep: a tensor that is not one of its params receives a "
                               "gradient; pass it in params, or make it with requires_grad=False")
        acc = self.leaf_slot.get(id(leaf))
        if acc is None:  # as Tensor._accumulate_grad: the first gradient is copied in leaf dtype
            acc = self._new_slot(None, None)
            self.leaf_slot[id(leaf)] = acc
            self.kernels.append(_leaf_first_kernel(g_slot, acc, leaf.data.dtype))
        else:
            self.kernels.append(_leaf_add_kernel(acc, g_slot))

    # --- the update ---------------------------------------------------------------------------

    def record_update(self, p: Tensor, lr: float) -> None:
        grad_slot = self.leaf_slot[id(p)]
        self.kernels.append(_sgd_kernel(p.data, np.asarray(lr, p.data.dtype), grad_slot))
        self.updated.append(p)

    def finish(self, loss: np.ndarray) -> _Trace:
        trace = _Trace(self.template, self.arg_slots, self.slot_of[id(loss)], self.kernels,
                       self.updated)  # fmt: skip
        self.seen.clear()
        return trace


# Each kernel is a closure over its op and its slots. One- and two-input forms are spelled out:
# a replay is nothing but these calls, so they are kept as short as Python allows.


def _forward_kernel(node: Function, sources: list[int], attrs: dict, out: int) -> Kernel:
    forward = node.forward
    if len(sources) == 1:
        (a,) = sources

        def kernel(slots: list) -> None:
            node.saved = ()
            value = forward(slots[a], **attrs)
            slots[out] = value if type(value) is np.ndarray else np.asarray(value)
    elif len(sources) == 2:
        a, b = sources

        def kernel(slots: list) -> None:
            node.saved = ()
            value = forward(slots[a], slots[b], **attrs)
            slots[out] = value if type(value) is np.ndarray else np.asarray(value)
    else:

        def kernel(slots: list) -> None:
            node.saved = ()
            value = forward(*[slots[s] for s in sources], **attrs)
            slots[out] = value if type(value) is np.ndarray else np.asarray(value)

    return kernel


def _backward_kernel(node: Function, g: int, outs: list[int | None]) -> Kernel:
    backward = node.backward
    targets = [(i, slot) for i, slot in enumerate(outs) if slot is not None]

    def kernel(slots: list) -> None:
        grads = backward(slots[g])
        node.saved = ()  # what the forward saved is not needed any more
        for i, slot in targets:
            slots[slot] = grads[i]

    return kernel


def _add_kernel(a: int, b: int, out: int) -> Kernel:
    def kernel(slots: list) -> None:
        slots[out] = slots[a] + slots[b]

    return kernel


def _leaf_first_kernel(g: int, out: int, dtype: np.dtype) -> Kernel:
    def kernel(slots: list) -> None:
        slots[out] = slots[g].astype(dtype, copy=True)

    return kernel


def _leaf_add_kernel(acc: int, g: int) -> Kernel:
    def kernel(slots: list) -> None:
        np.add(slots[acc], slots[g], out=slots[acc], casting="unsafe")

    return kernel


def _sgd_kernel(param: np.ndarray, lr: np.ndarray, grad: int) -> Kernel:
    def kernel(slots: list) -> None:
        np.subtract(param, lr * slots[grad], out=param)

    return kernel
