"""The autograd engine: grad mode, the graph node (`Function`), and reverse-mode `backward`.

Every differentiable operation is a subclass of `Function` (see `ops.py`). When a Tensor op runs
while gradients are being recorded, one `Function` object is created for it and becomes the
result's `grad_fn`. It remembers

* `inputs`: for each input, the input's own `grad_fn` if the input came out of another op, or the
  input Tensor itself if it is a leaf (a tensor the user made). Following `inputs` from a result
  walks the whole graph back to the leaves.
* `needs_input_grad`: for each input, whether a gradient must flow to it;
* `saved`: the arrays its backward formula needs (released after backward).

`backward(root)` runs each node's `backward` once, and only after every node that consumed its
output has handed it a gradient. Every node gets a sequence number when it is created, and a node
is always created after the nodes it reads from; so running nodes from the newest to the oldest
is such an order (the one PyTorch's engine uses too). The walk is a loop over a heap, never
recursion, so a chain of 100,000 ops is no harder than a chain of 3.
"""

from __future__ import annotations

import functools
import itertools
import os
import traceback
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

# ---------------------------------------------------------------------------------------------
# Grad mode
# ---------------------------------------------------------------------------------------------


class _GradMode:
    # Process-wide switches read by every op. `enabled`: when False, ops compute values and record
    # nothing. `anomaly`: when True, nodes remember where they were created, and backward checks
    # every gradient for nan/inf (see detect_anomaly). `recorder`: set while a jit.TrainStep
    # records its first call; every op reports itself to it.
    enabled: bool = True
    anomaly: bool = False
    recorder: Any = None


def is_grad_enabled() -> bool:
    """True when operations record the graph that `backward()` needs."""
    return _GradMode.enabled


class set_grad_enabled:
    """Turn graph recording on or off: as a context manager, a decorator, or a plain call.

    >>> with set_grad_enabled(False): ...
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled() expects a bool, got {type(mode).__name__}")
        self.prev = _GradMode.enabled
        self.mode = mode
        # A plain call `set_grad_enabled(False)` switches at once, as in PyTorch.
        _GradMode.enabled = mode

    def __enter__(self) -> None:
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self.prev

    def __call__(self, fn: F) -> F:
        # Used as a decorator the switch must not stay flipped by the call to __init__.
        _GradMode.enabled = self.prev
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _GradModeContext:
    mode: bool = True

    def __enter__(self) -> None:
        self.prev = _GradMode.enabled
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self.prev

    def __call__(self, fn: F) -> F:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Record nothing inside: results have `requires_grad=False` and no `grad_fn`.

    Use it for parameter updates and evaluation. Works as `with no_grad():` and as `@no_grad()`.
    """

    mode = False


class enable_grad(_GradModeContext):
    """Record the graph again inside a `no_grad` block (context manager or decorator)."""

    mode = True


class detect_anomaly:
    """Inside, backward() stops at the first gradient holding nan or inf.

    The error names the op whose backward produced it and shows where in your code that op was
    run in the forward pass. Costs a stack capture per recorded op: use it to debug, not to train.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.mode = bool(check_nan)

    def __enter__(self) -> None:
        self.prev = _GradMode.anomaly
        _GradMode.anomaly = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.anomaly = self.prev


def is_anomaly_enabled() -> bool:
    return _GradMode.anomaly


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def creation_stack() -> list[traceback.FrameSummary]:
    """The caller's stack without this package's own frames: where the user ran the op."""
    return [f for f in traceback.extract_stack() if not f.filename.startswith(_PACKAGE_DIR)]


def _check_finite(node: Function, input_grads: tuple) -> None:
    for i, g in enumerate(input_grads):
        if g is not None and not np.all(np.isfinite(g)):
            what = "nan" if np.isnan(g).any() else "inf"
            where = node.__dict__.get("creation_stack") or []
            raise RuntimeError(
                f"Function '{type(node).__name__}Backward' returned {what} values in its {i}th "
                f"output (the gradient for input {i} of `{node.name}`, rule: {node.formula}).\n"
                f"The forward `{node.name}` was run at (most recent call last):\n"
                + "".join(traceback.format_list(where[-4:]))
            )


class RemovableHandle:
    """Returned by `register_hook`; `remove()` unregisters the hook."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def run_hooks(hooks: list[Callable[..., Any]], grad: np.ndarray,
              make_tensor: Callable[[np.ndarray], Any]) -> np.ndarray:  # fmt: skip
    """Call each hook with the gradient (as a Tensor); a hook may return a replacement."""
    for hook in list(hooks):
        result = hook(make_tensor(grad))
        if result is None:
            continue
        new = getattr(result, "data", result)
        new = np.asarray(new)
        if new.shape != grad.shape:
            raise RuntimeError(
                f"hook {getattr(hook, '__name__', hook)!r} returned a gradient of shape "
                f"{tuple(new.shape)}, but the gradient it was given has shape {tuple(grad.shape)}"
            )
        grad = new.astype(grad.dtype, copy=False)
    return grad


# ---------------------------------------------------------------------------------------------
# The graph node
# ---------------------------------------------------------------------------------------------


class Function:
    """One recorded operation: a node of the computation graph.

    A subclass defines
      * `forward(self, *arrays, **attrs) -> ndarray`: the value, from numpy arrays;
      * `backward(self, grad) -> tuple`: given dL/d(output), one dL/d(input) per input
        (None where that input needs no gradient);
      * `formula`: the rule in one line, shown in docs and in the backward walk-through.
    Anything `backward` needs from the forward pass goes through `save_for_backward`, so that the
    engine can free it after backward and can check it was not changed in place meanwhile.
    """

    __slots__ = (
        "inputs",
        "needs_input_grad",
        "saved",
        "saved_versions",
        "out_shape",
        "out_dtype",
        "_output",
        "sequence_nr",
        "__dict__",
        "__weakref__",
    )

    name: str = "function"
    formula: str = ""
    is_view: bool = False  # True when the output may share memory with input 0 (a numpy view)
    # Set on the few nodes that have them (see Tensor.register_hook); a class default, so that the
    # engine can read `node.hooks` without giving every node an instance dict.
    hooks: list[Callable[..., Any]] | None = None

    def forward(self, *arrays: Any, **attrs: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        raise NotImplementedError

    def save_for_backward(self, *arrays: np.ndarray) -> None:
        self.saved = arrays

    # --- for readers of the graph (renderers, debuggers) ---

    @property
    def output(self) -> Any:
        """The Tensor this node produced, or None once nothing else keeps it alive.

        Held by a weak reference: the output points at its node, so a strong link back would make
        a reference cycle that only the garbage collector could free.
        """
        ref = self._output
        return ref() if ref is not None else None

    @property
    def next_functions(self) -> tuple[Any, ...]:
        """The input nodes (for non-leaf inputs) or leaf Tensors, as in PyTorch's grad_fn."""
        return self.inputs

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward>"


# What `saved` holds after the engine released it. Distinct from `()` (an op that saved nothing,
# which can be backpropagated through again, as in PyTorch).
_FREED = None

# ---------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------


def _check_saved_versions(node: Function) -> None:
    # Each saved array was recorded with its tensor's version counter and the count at save time.
    # An in-place op bumps the counter; a mismatch means the array no longer holds the value the
    # forward pass used, and the gradient would silently be wrong.
    for counter, expected, shape, dtype in node.saved_versions:
        if counter[0] != expected:
            shape_str = ", ".join(str(s) for s in shape)
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{dtype} tensor of shape [{shape_str}]], which was saved by "
                f"{type(node).__name__}Backward ({node.name}), is at version {counter[0]}; "
                f"expected version {expected} instead. Do the in-place change after backward(), "
                "or use an out-of-place op (x = x + y instead of x += y)."
            )


def _freed_error(node: Function) -> RuntimeError:
    return RuntimeError(
        f"Trying to backward through the graph a second time (the arrays {type(node).__name__}"
        f"Backward ({node.name}) saved were freed by the first backward()). Call backward("
        "retain_graph=True) the first time if you need to backward through the graph again, or "
        "run the forward pass again."
    )


# Sequence numbers of nodes, in creation order (see the module docstring).
next_sequence_nr = itertools.count().__next__


def topological_order(root: Function) -> list[Function]:
    """The nodes reachable from `root`, in the order backward runs them: root first, then every
    node after all the nodes that consume its output (newest first, by `sequence_nr`)."""
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent, needed in zip(node.inputs, node.needs_input_grad):
            if needed and isinstance(parent, Function) and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return sorted(seen, key=lambda node: -node.sequence_nr)


def run_backward(root: Function, grad: np.ndarray, retain_graph: bool = False,
                 trace: Callable[[Function, np.ndarray, tuple], None] | None = None) -> None:
    """Reverse mode: push dL/d(root) back through the graph, accumulating into leaf `.grad`s.

    Each node receives the sum of the gradients of all its consumers (the multivariate chain rule:
    a value used twice gets both contributions), then hands one gradient to each input.
    Gradient arrays are never modified in place: a node may return the same array for two inputs
    (add does), and changing it for one would corrupt the other.

    `trace(node, grad_out, input_grads)`, if given, is called for each node as it runs (the
    backward walk-through pictures are drawn from it).
    """
    grads: dict[Function, np.ndarray] = {root: grad}
    # The nodes that have received a gradient and wait for their turn, newest first. When the
    # newest of them is taken, every consumer of it has already run: a consumer is newer still, so
    # it was either taken before or is itself waiting in the heap (ahead of this one). A node that
    # receives no gradient at all (every consumer returned None for it) is never run.
    waiting = [(-root.sequence_nr, root)]
    anomaly = _GradMode.anomaly
    # Hooks and accumulation must not record a graph of their own. A gradient may legitimately
    # become inf or nan (d√x at 0): that is reported by detect_anomaly, not by numpy warnings.
    with no_grad(), np.errstate(all="ignore"):
        while waiting:
            node = heappop(waiting)[1]
            node_grad = grads.pop(node)
            if node.saved is _FREED:
                raise _freed_error(node)
            if node.saved_versions:
                _check_saved_versions(node)
            if node.hooks:  # registered with register_hook on the tensor this node produced
                node_grad = run_hooks(node.hooks, node_grad, _grad_tensor)
            output = node._output()
            if output is not None and output._retains_grad:  # see Tensor.retain_grad
                output._accumulate_grad(node_grad, run_leaf_hooks=False)
            input_grads = node.backward(node_grad)
            if anomaly:
                _check_finite(node, input_grads)
            if trace is not None:
                trace(node, node_grad, input_grads)
            if not retain_graph and node.saved:  # free the saved arrays as soon as they are used
                node.saved, node.saved_versions = _FREED, ()
            for parent, needed, g in zip(node.inputs, node.needs_input_grad, input_grads):
                if not needed or g is None:
                    continue
                if isinstance(parent, Function):
                    if parent in grads:
                        grads[parent] = grads[parent] + g
                    else:
                        grads[parent] = g
                        heappush(waiting, (-parent.sequence_nr, parent))
                else:
                    parent._accumulate_grad(g)


def release(node: Function) -> None:
    """Free what a node saved for backward (keeps `()`: nothing saved, nothing to free)."""
    if node.saved:
        node.saved = _FREED
        node.saved_versions = ()


def _grad_tensor(grad: np.ndarray) -> Any:
    from .tensor import Tensor  # here, not at the top: tensor.py imports this module

    return Tensor._make(grad, False, None)
