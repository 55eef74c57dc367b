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
    # nothing. `anomaly`: when True, nodes remember where they were created, and backward names
    # that place when it fails; with `anomaly_check_nan` too, backward checks every gradient for
    # nan/inf (see detect_anomaly). `recorder`: set while a jit.TrainStep records its first call;
    # every op reports itself to it.
    enabled: bool = True
    anomaly: bool = False
    anomaly_check_nan: bool = True
    recorder: Any = None
    # How many times Tensor.retain_grad() has asked for a non-leaf gradient in this process. While
    # it is 0 no output can want its gradient, and backward skips looking each node's output up.
    retain_grad_calls: int = 0
    # Likewise, how many times register_hook has put a hook on a node (a non-leaf's grad_fn):
    # while 0, backward does not look for hooks on each node.
    node_hook_calls: int = 0


def is_grad_enabled() -> bool:
    """True when operations record the graph that `backward()` needs."""
    return _GradMode.enabled


def _decorate(fn: F, context: Callable[[], Any]) -> F:
    """`fn` run inside a fresh `context()` on each call: how every mode switch here decorates."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with context():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
        return _decorate(fn, lambda: set_grad_enabled(mode))


class _GradModeContext:
    mode: bool = True

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        # `@no_grad` without parentheses (as PyTorch 2 allows) passes the function straight in.
        self = object.__new__(cls)
        return self if fn is None else self(fn)

    def __enter__(self) -> None:
        self.prev = _GradMode.enabled
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self.prev

    def __call__(self, fn: F) -> F:
        return _decorate(fn, type(self))


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
    run in the forward pass (any other error raised during backward, such as a saved tensor
    changed in place, also names that place). Works as `with detect_anomaly():` and as
    `@detect_anomaly()`. With `check_nan=False` the places are recorded but gradients are not
    checked. Costs a stack capture per recorded op: use it to debug, not to train.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = bool(check_nan)
        self.prev: list[tuple[bool, bool]] = []  # a stack, so that one object can be re-entered

    def __enter__(self) -> None:
        self.prev.append((_GradMode.anomaly, _GradMode.anomaly_check_nan))
        _GradMode.anomaly, _GradMode.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc: object) -> None:
        _GradMode.anomaly, _GradMode.anomaly_check_nan = self.prev.pop()

    def __call__(self, fn: F) -> F:
        check_nan = self.check_nan
        return _decorate(fn, lambda: detect_anomaly(check_nan))


class set_detect_anomaly:
    """Turn anomaly mode on or off: a plain call (stays switched), a context manager, a decorator.

    >>> set_detect_anomaly(True)             # from here on, as with detect_anomaly()
    >>> with set_detect_anomaly(False): ...  # off inside, restored after
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_detect_anomaly() expects a bool, got {type(mode).__name__}")
        self.prev = (_GradMode.anomaly, _GradMode.anomaly_check_nan)
        self.mode, self.check_nan = mode, bool(check_nan)
        _GradMode.anomaly, _GradMode.anomaly_check_nan = mode, self.check_nan

    def __enter__(self) -> None:
        _GradMode.anomaly, _GradMode.anomaly_check_nan = self.mode, self.check_nan

    def __exit__(self, *exc: object) -> None:
        _GradMode.anomaly, _GradMode.anomaly_check_nan = self.prev

    def __call__(self, fn: F) -> F:
        # Used as a decorator the switch must not stay flipped by the call to __init__.
        _GradMode.anomaly, _GradMode.anomaly_check_nan = self.prev
        mode, check_nan = self.mode, self.check_nan
        return _decorate(fn, lambda: set_detect_anomaly(mode, check_nan))


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()`: backward checks every gradient for nan/inf."""
    return _GradMode.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """The check_nan flag: whether anomaly mode, when on, checks gradients for nan and inf."""
    return _GradMode.anomaly_check_nan


# The trailing separator matters: a user's folder named like the package (".../tinygrad_lr_demo")
# must not be mistaken for the package itself.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

# How many of the user's innermost frames an anomaly report shows.
_FRAMES_SHOWN = 4


def creation_stack() -> list[traceback.FrameSummary]:
    """The caller's stack without this package's own frames: where the user ran the op.

    Innermost frame last. Source lines are read only if the stack is ever printed.
    """
    frames = traceback.StackSummary.extract(traceback.walk_stack(None), lookup_lines=False)
    user = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR)]
    user.reverse()
    return user


def _forward_location(node: Function) -> str:
    where = node.__dict__.get("creation_stack")
    if not where:
        return (f"No forward location was recorded for `{node.name}`: run the forward pass inside "
                "detect_anomaly() too, to see where in your code the op was created.")
    return (f"The forward `{node.name}` was run at (most recent call last):\n"
            + "".join(traceback.format_list(where[-_FRAMES_SHOWN:])).rstrip("\n"))


def _check_finite(node: Function, input_grads: tuple) -> None:
    for i, g in enumerate(input_grads):
        if g is not None and not np.all(np.isfinite(g)):
            what = "nan" if np.isnan(g).any() else "inf"
            err = RuntimeError(
                f"Function '{type(node).__name__}Backward' returned {what} values in its {i}th "
                f"output (the gradient for input {i} of `{node.name}`, rule: {node.formula}).\n"
                + _forward_location(node)
            )
            err._forward_location_shown = True  # type: ignore[attr-defined]
            raise err


def _add_forward_note(err: BaseException, node: Function) -> None:
    # Anomaly mode: any error raised while running a node's backward (a freed graph, a saved
    # tensor changed in place, a failing hook) also says where that node's forward op ran.
    if getattr(err, "_forward_location_shown", False) or not hasattr(err, "add_note"):
        return  # (add_note exists from Python 3.11 on)
    err.add_note(f"While running the backward of `{node.name}`. " + _forward_location(node))


class RemovableHandle:
    """Returned by `register_hook`; `remove()` unregisters the hook."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        """Unregister the hook (doing it twice is harmless)."""
        # By identity: the same function registered twice is two hooks, removed one at a time.
        for i, h in enumerate(self.hooks):
            if h is self.hook:
                del self.hooks[i]
                break
        self.hook = None  # a second remove() does nothing

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def run_hooks(hooks: list[Callable[..., Any]], grad: np.ndarray,
              make_tensor: Callable[[np.ndarray], Any]) -> np.ndarray:  # fmt: skip
    """Call each hook with the gradient (as a Tensor); a hook may return a replacement."""
    for hook in list(hooks):
        # Each hook gets a writable copy: the engine may hand one array to two inputs (add does),
        # so a hook that changes its argument in place (g.mul_(2)) must reach only this gradient.
        given = make_tensor(np.array(grad, copy=True))
        result = hook(given)
        if result is None:
            grad = given.data  # an in-place change made by the hook counts, as in PyTorch
            continue
        new = getattr(result, "data", result)
        if not isinstance(new, np.ndarray):
            raise TypeError(
                f"hook {getattr(hook, '__name__', hook)!r} returned an object of type "
                f"{type(result).__name__}; a hook must return None or a Tensor (the new gradient)"
            )
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
    Anything `backward` needs from the forward pass goes in `self.saved` (a tuple of arrays), so
    that the engine can free it after backward and can check it was not changed in place meanwhile.
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
        """Compute the output array from the input arrays (override in each op)."""
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        """Given g = dL/d(output), return one dL/d(input) per input (override in each op)."""
        raise NotImplementedError

    def save_for_backward(self, *arrays: np.ndarray) -> None:
        """Keep arrays that `backward` will need: the same as `self.saved = arrays` (PyTorch's
        name for it; the ops here assign `self.saved` directly, which is one call fewer)."""
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
    for counter, expected, array in node.saved_versions:
        if counter[0] != expected:
            shape_str, dtype = ", ".join(str(s) for s in array.shape), array.dtype
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
    grads: dict[Function, np.ndarray] = {}
    # The nodes that have received a gradient and wait for their turn, newest first. When the
    # newest of them is taken, every consumer of it has already run: a consumer is newer still, so
    # it was either taken before or is itself waiting in the heap (ahead of this one). A node that
    # receives no gradient at all (every consumer returned None for it) is never run.
    waiting: list[tuple[int, Function]] = []
    # While exactly one node waits, it is kept here instead, with its gradient, outside the heap
    # and `grads`: a chain of ops (each node's output consumed once) then runs without a heap or
    # dict operation. It moves into both as soon as a second node starts waiting.
    only_waiting: Function | None = root
    only_grad = grad
    # A leaf used by several ops gets its contributions summed here first, so that its hooks see
    # the leaf's whole gradient once per backward, as in PyTorch. (A Tensor hashes by identity, and
    # a dict compares keys by identity first, so its elementwise == is never called here.)
    leaf_grads: dict[Any, np.ndarray] = {}
    anomaly = _GradMode.anomaly
    check_nan = anomaly and _GradMode.anomaly_check_nan
    watch = check_nan or trace is not None  # (one test per node for the two rare cases)
    retain_grad_calls = _GradMode.retain_grad_calls
    node_hook_calls = _GradMode.node_hook_calls
    node = root
    # Hooks and accumulation must not record a graph of their own (no_grad, spelled out: this
    # runs at every step, and a context-manager object costs more than the flag). A gradient may
    # legitimately become inf or nan (d√x at 0): the ops whose rules can divide by zero silence
    # numpy's warning themselves (see "Domains" in ops.py), and detect_anomaly reports it.
    grad_enabled_before, _GradMode.enabled = _GradMode.enabled, False
    try:
        try:
            while True:
                if only_waiting is not None:
                    node, node_grad, only_waiting = only_waiting, only_grad, None
                elif waiting:
                    node = heappop(waiting)[1]
                    node_grad = grads.pop(node)
                else:
                    break
                saved = node.saved
                if saved is _FREED:
                    raise _freed_error(node)
                if saved:  # (versions are kept for saved arrays only)
                    for counter, expected, _ in node.saved_versions:
                        if counter[0] != expected:  # see _check_saved_versions
                            _check_saved_versions(node)
                if node_hook_calls and node.hooks:  # register_hook on the tensor it produced
                    node_grad = run_hooks(node.hooks, node_grad, _grad_tensor)
                if retain_grad_calls:
                    output = node._output()
                    if output is not None and output._retains_grad:  # see Tensor.retain_grad
                        output._accumulate_grad(node_grad, run_leaf_hooks=False)
                input_grads = node.backward(node_grad)
                if watch:
                    if check_nan:
                        _check_finite(node, input_grads)
                    if trace is not None:
                        trace(node, node_grad, input_grads)
                if saved and not retain_graph:  # free the saved arrays as soon as used
                    node.saved, node.saved_versions = _FREED, ()
                for parent, needed, g in zip(node.inputs, node.needs_input_grad, input_grads):
                    if not needed or g is None:
                        continue
                    if isinstance(parent, Function):
                        if parent is only_waiting:
                            only_grad = only_grad + g
                        elif parent in grads:
                            grads[parent] = grads[parent] + g
                        elif only_waiting is None and not waiting:
                            only_waiting, only_grad = parent, g
                        else:
                            if only_waiting is not None:
                                grads[only_waiting] = only_grad
                                heappush(waiting, (-only_waiting.sequence_nr, only_waiting))
                                only_waiting = None
                            grads[parent] = g
                            heappush(waiting, (-parent.sequence_nr, parent))
                    elif parent in leaf_grads:
                        leaf_grads[parent] = leaf_grads[parent] + g
                    else:
                        leaf_grads[parent] = g
        except Exception as err:
            if anomaly:
                _add_forward_note(err, node)
            raise
        for leaf, g in leaf_grads.items():
            leaf._accumulate_grad(g)
    finally:
        _GradMode.enabled = grad_enabled_before


def release(node: Function) -> None:
    """Free what a node saved for backward (keeps `()`: nothing saved, nothing to free)."""
    if node.saved:
        node.saved = _FREED
        node.saved_versions = ()


def _grad_tensor(grad: np.ndarray) -> Any:
    from .tensor import Tensor  # here, not at the top: tensor.py imports this module

    return Tensor._make(grad, False, None)
