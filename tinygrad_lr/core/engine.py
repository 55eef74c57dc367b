"""The autograd engine: grad mode, the graph node, the topological order and the backward walk.

Read it top to bottom:

1. **Grad mode.** One switch, `is_grad_enabled()`, says whether ops record a graph. `no_grad`,
   `enable_grad`, `set_grad_enabled` and `inference_mode` flip it for a block or a function.
2. **The node.** Every op is a subclass of `Function` with a `forward` and a `backward`, written as
   PyTorch's public `torch.autograd.Function` is written. `Op.apply(*tensors)` runs `forward` on the
   tensors' arrays and, when a gradient will be needed, keeps the `Function` object as the result's
   `grad_fn`: a node that knows its inputs and what its `backward` will need.
3. **The order.** `topological_order(roots)` lists the nodes behind the roots so that every node
   comes after all the nodes that consume its output: reverse mode must have the whole gradient of
   a value before it passes the gradient on.
4. **The walk.** `run_backward` visits the nodes in that order. Each receives g = dL/d(output), the
   sum of what its consumers sent it, and its `backward` turns g into one gradient per input
   (the chain rule). What reaches a leaf is added into its `.grad`.

Hooks, `retain_grad` and anomaly mode's switches are small separate pieces at the end of the file
(anomaly mode's report is in anomaly.py); the walk calls them at two named points, and pays one
test per node for them when none is in use. While `tinygrad_lr.compile` traces a step, its
recorder (`_Mode.recorder`) is shown each op, the walk's beginning, each node's backward and the
walk's end; otherwise that too costs one test.

Everything is iterative: a chain of 100,000 ops is walked like a chain of 3, without recursion.
"""

from __future__ import annotations

import functools
import operator
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from .anomaly import add_forward_location, check_finite, creation_stack

F = TypeVar("F", bound=Callable[..., Any])

# The Tensor class. tensor.py defines it and fills this name in: tensor.py imports this module,
# so this module cannot import it back.
Tensor: Any = None

# =============================================================================================
# 1. Grad mode
# =============================================================================================


class _Mode:
    """The engine's process-wide switches (one place, read by every op)."""

    grad_enabled = True  # ops record a graph
    anomaly = False  # nodes remember where they were created; see detect_anomaly
    anomaly_check_nan = True
    # True while a backward with create_graph=True runs: `saved_tensors` hands backward formulas
    # Tensors instead of arrays, so that the formulas record a graph of their own; the nodes
    # they record are marked with the node whose backward made them (`backward_of`).
    saved_as_tensors = False
    backward_of: Any = None
    # While tinygrad_lr.compile traces a step: the recorder that is shown every op, the backward
    # walk and every in-place write, at the named points below (None otherwise: one test each).
    recorder: Any = None


def is_grad_enabled() -> bool:
    """True when operations record the graph that `backward()` needs.

    Returns:
        The grad mode, a bool.
    """
    return _Mode.grad_enabled


class set_grad_enabled:
    """Turn graph recording on or off: as a plain call, a context manager, or a decorator.

    set_grad_enabled(False)              # off from here on
    with set_grad_enabled(False): ...    # off inside the block, restored after
    @set_grad_enabled(False)             # off while the function runs

    Args:
        mode: True to record, False not to.
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled() expects a bool, got {type(mode).__name__}")
        self.prev, self.mode = _Mode.grad_enabled, mode
        _Mode.grad_enabled = mode  # a plain call switches at once, as in PyTorch

    def __enter__(self) -> None:
        _Mode.grad_enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _Mode.grad_enabled = self.prev

    def __call__(self, fn: F) -> F:
        _Mode.grad_enabled = self.prev  # as a decorator, the call to __init__ must not stick
        return _decorate(fn, lambda: set_grad_enabled(self.mode))


def _decorate(fn: F, make_context: Callable[[], Any]) -> F:
    """`fn`, run inside a fresh `make_context()` on each call."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with make_context():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _GradModeBlock:
    mode = True

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        # `@no_grad` without parentheses (PyTorch 2 allows it) passes the function straight in.
        self = object.__new__(cls)
        return self if fn is None else self(fn)

    def __enter__(self) -> None:
        self.prev = _Mode.grad_enabled
        _Mode.grad_enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _Mode.grad_enabled = self.prev

    def __call__(self, fn: F) -> F:
        return _decorate(fn, type(self))


class no_grad(_GradModeBlock):
    """Record nothing inside: results have `requires_grad=False` and no `grad_fn`.

    For parameter updates and evaluation. `with no_grad():`, `@no_grad()` or `@no_grad`.
    """

    mode = False


class enable_grad(_GradModeBlock):
    """Record the graph again inside a `no_grad` block (a context manager or a decorator)."""

    mode = True


class inference_mode(_GradModeBlock):
    """PyTorch's no_grad for inference: here `no_grad` itself (a context manager or a decorator,
    `@inference_mode()` or `@inference_mode`). `inference_mode(False)` records, as PyTorch's does.

    Args:
        mode: True to record nothing inside, False to record.
    """

    def __new__(cls, mode: Any = True) -> Any:
        # `@inference_mode` without parentheses passes the function itself as `mode`.
        return cls()(mode) if callable(mode) else object.__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode  # the grad mode inside

    def __call__(self, fn: F) -> F:
        return _decorate(fn, lambda: inference_mode(not self.mode))


# =============================================================================================
# 2. The node: Function
# =============================================================================================

# The mark, among what a node saved, of the node's own output (see Function.apply).
_OUTPUT = "output"


class Function:
    """One operation: its `forward` and its `backward`, and, once recorded, a node of the graph.

    A subclass writes the two rules as PyTorch's `torch.autograd.Function` does:

        class Mul(Function):
            @staticmethod
            def forward(ctx, a, b):           # numpy arrays in, a numpy array out
                ctx.save_for_backward(a, b)   # what backward will need
                return a * b

            @staticmethod
            def backward(ctx, g):             # g = dL/d(output)
                a, b = ctx.saved_tensors
                return g * b, g * a           # one dL/d(input) per input (None: not needed)

    `Mul.apply(x, y)` runs it on tensors. The `ctx` both rules receive is the node itself: what
    forward stores on it is there for backward. `ctx.needs_input_grad` says which inputs want a
    gradient, so that forward saves, and backward computes, only what is needed.

    A recorded node has `inputs`: for each input, the node that made it, or the input tensor
    itself if it is a leaf. Following `inputs` from the loss's `grad_fn` walks the whole graph.
    """

    name: str = "function"  # the op's name, as graphs and errors show it
    formula: str = ""  # the rule in one line of math, shown by docs and the graph explorer
    # The output is a view of input 0's memory (reshape, expand, ...): in-place changes through
    # either are seen by both, and their version counts are one.
    is_view: bool = False
    # The built-in ops compute on numpy arrays; a Function you write (`autograd.Function`) gets
    # Tensors in forward, in backward and from `saved_tensors`, as in PyTorch.
    works_on_tensors: bool = False

    # Defaults kept on the class, so that a node stores only what it uses.
    saved: tuple | None = ()  # what save_for_backward kept; None once backward freed it
    saved_owners: tuple = ()  # the tensor each saved array belongs to (see apply)
    saved_versions: tuple = ()  # each owner's version count when saved
    output_version = 0  # in-place changes of this node's output, for a node that saved it
    hooks: list[Callable[..., Any]] | None = None  # see "Hooks" below
    inputs: tuple = ()
    needs_input_grad: tuple[bool, ...] = ()
    # The keyword arguments forward was called with (dims, a shape, an exponent): with the
    # inputs' values, all it takes to run the forward again. The graph explorer does that to
    # show intermediate values, which the graph does not keep. Never changed in place.
    options: dict[str, Any] = {}

    @staticmethod
    def forward(ctx: Any, *args: Any, **options: Any) -> Any:
        """Compute the output from the inputs (arrays for the built-in ops).

        Args:
            ctx: the node: what forward stores on it (`save_for_backward`) is there for backward.
            *args: the inputs.
            **options: the op's settings, such as dims, a shape or an exponent.

        Returns:
            The output.
        """
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        """Given g = dL/d(output), return dL/d(input) for each input (None where not needed).

        Args:
            ctx: the node, as forward left it.
            grad: g = dL/d(output), of the output's shape.

        Returns:
            One gradient per input (a tuple, or one gradient bare for one input).
        """
        raise NotImplementedError("a Function subclass must define backward(ctx, grad)")

    def save_for_backward(self, *values: Any) -> None:
        """Keep values (the forward's arrays) for backward, which reads them as `saved_tensors`.

        Args:
            *values: the arrays (tensors, in a Function you write) backward will need.
        """
        self.saved = values

    @classmethod
    def apply(cls, *inputs: Any, **options: Any) -> Any:
        """Run the op on tensors; when a gradient will be needed, record it in the graph.

        Args:
            *inputs: the op's inputs: tensors, and any other value forward takes.
            **options: the op's settings, passed on to forward.

        Returns:
            The output tensor; its `grad_fn` is the node when it was recorded.
        """
        ctx = object.__new__(cls)
        ctx.needs_input_grad = tuple(map(_requires_grad, inputs))
        raw = cls.forward(ctx, *map(_array, inputs), **options)
        data = raw if type(raw) is np.ndarray else np.asarray(raw)  # numpy gives 0-d as scalars
        out = Tensor._wrap(data)
        if cls.is_view:
            out._share_memory_of(inputs[0])
        if _Mode.grad_enabled and True in ctx.needs_input_grad and data.dtype.kind == "f":
            ctx._record(inputs, raw, out)
            if options:
                ctx.options = options
        if _Mode.recorder is not None:  # named point: a step being compiled records the op
            _Mode.recorder.op(ctx, inputs, options, out)
        return out

    def _record(self, inputs: Sequence[Any], raw: Any, out: Any) -> None:
        """Make this node the maker of `out` in the graph: link it to its inputs' nodes and own
        what forward saved."""
        self.inputs = tuple(map(_graph_key, inputs))
        self.out_shape, self.out_dtype = out._data.shape, out._data.dtype
        if self.saved:
            self._own_saved(inputs, raw, out._data)
        if _Mode.anomaly:
            self.creation_stack = creation_stack()
        if _Mode.backward_of is not None:  # recorded by a backward formula (create_graph)
            self.made_by_backward_of = _Mode.backward_of
        out.grad_fn, out._requires_grad = self, True  # the result remembers its maker

    def _own_saved(self, inputs: Sequence[Any], raw: Any, output: np.ndarray) -> None:
        # For each saved array, note whose memory it is (an input tensor's, the output's, or the
        # op's own, such as a mask it made) and that owner's version count now: an in-place
        # change of the owner before backward means the array no longer holds what forward used.
        saved, owners, versions = [], [], []
        for array in self.saved:
            owner, version = None, 0
            if array is raw or array is output:  # (a 0-d output came from numpy as a scalar)
                owner, array = _OUTPUT, output
            elif array is not None:
                for t in inputs:
                    if t._data is array:
                        owner, version = t, t._version
            saved.append(array)
            owners.append(owner)
            versions.append(version)
        self.saved = tuple(saved)
        self.saved_owners, self.saved_versions = tuple(owners), tuple(versions)

    def _version_of(self, owner: Any) -> int:
        if owner is None:
            return 0  # an array the op made itself: nothing else can change it
        return self.output_version if owner is _OUTPUT else owner._version

    @property
    def saved_tensors(self) -> tuple:
        """What forward saved: its arrays, or, in a create_graph backward, tensors in the graph."""
        if self.saved is None:
            raise _freed_error(self)
        if not (_Mode.saved_as_tensors or self.works_on_tensors):
            return self.saved
        as_tensors = []
        for array, owner in zip(self.saved, self.saved_owners):
            if owner is _OUTPUT:  # the output, as the tensor this node made
                owner = Tensor._wrap(array)
                owner._set_grad_fn(self)
            elif owner is None and array is not None:  # a constant the op made (a mask)
                owner = Tensor._wrap(array)
            as_tensors.append(owner)
        return tuple(as_tensors)

    def _run_backward(self, grad: Any, retain_graph: bool) -> tuple:
        """Check what was saved, run `backward`, free the saved values: one step of the walk."""
        if self.saved is None:
            raise _freed_error(self)
        for owner, version in zip(self.saved_owners, self.saved_versions):
            if owner is not None and self._version_of(owner) != version:
                raise _modified_error(self, owner, version)
        grads = type(self).backward(self, grad)
        if not retain_graph and self.saved:
            self.saved, self.saved_owners = None, ()
        return grads if type(grads) is tuple else (grads,)

    # --- for readers of the graph (renderers, the docs) ---

    @property
    def next_functions(self) -> tuple:
        """The input nodes, or leaf tensors, as PyTorch's `grad_fn.next_functions` lists them."""
        return self.inputs

    @classmethod
    def node_name(cls) -> str:
        """The node's name as PyTorch prints it: MulBackward0 (0: PyTorch's formula count).

        Returns:
            The name, such as "MulBackward0".
        """
        return f"{cls.__name__}Backward0"

    def __repr__(self) -> str:
        return f"<{self.node_name()} object at {id(self):#x}>"


def _freed_error(node: Function) -> RuntimeError:
    return RuntimeError(
        f"Trying to backward through the graph a second time (or directly access saved tensors "
        f"after they have already been freed): the values {node.node_name()} "
        f"({node.name}) saved were freed by the first backward(). Specify retain_graph=True the "
        "first time if you need to backward through the graph again, or run the forward again."
    )


def _modified_error(node: Function, owner: Any, version: int) -> RuntimeError:
    index = list(node.saved_owners).index(owner)
    array = node.saved[index]
    shape = ", ".join(str(s) for s in array.shape)
    what = "the output" if owner is _OUTPUT else "an input"
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{array.dtype} tensor of shape [{shape}]], which is {what} of "
        f"{node.node_name()} ({node.name}), is at version "
        f"{node._version_of(owner)}; expected version {version} instead. Do the in-place change "
        "after backward(), or use an out-of-place op (x = x + y instead of x += y)."
    )


# =============================================================================================
# 3. The order
# =============================================================================================


def topological_order(*roots: Function) -> list[Function]:
    """The nodes behind `roots`, each after every node that consumes its output.

    A depth-first walk with an explicit stack lists each node once all of its inputs are listed
    (a post-order); reversed, that puts consumers first. Each stack entry is a node and an
    iterator over its inputs, so that the walk resumes where it left off; inputs are visited in
    argument order, and the post-order reads as the forward pass ran.
    """
    order: list[Function] = []
    visited: set[Function] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root.inputs))]
        while stack:
            node, inputs = stack[-1]
            for parent in inputs:
                if isinstance(parent, Function) and parent not in visited:
                    visited.add(parent)
                    stack.append((parent, iter(parent.inputs)))
                    break
            else:  # every input of `node` is listed: `node` can follow them
                stack.pop()
                order.append(node)
    order.reverse()
    return order


# =============================================================================================
# 4. The walk
# =============================================================================================


Watch = Callable[[Function, Any, tuple], None]


def run_backward(roots: Sequence[Any], grads: Sequence[Any], retain_graph: bool = False,
                 create_graph: bool = False, inputs: Sequence[Any] | None = None,
                 watch: Watch | None = None) -> list | None:  # fmt: skip
    """Reverse mode: push dL/d(root) back through the graph to the leaves.

    Each node receives the sum of the gradients its consumers sent it (a value used twice gets
    both contributions: the multivariate chain rule), then sends one gradient to each input.
    Gradients are never changed in place: a node may send the same array to two inputs.

    With `inputs` (tensors), only the nodes that lead to them run, their gradients are returned,
    and no `.grad` is touched (this is `autograd.grad`); else every leaf's gradient is added into
    its `.grad`. With `create_graph` the backward formulas run on tensors and record a graph of
    their own, so that the gradients can be differentiated again. `watch(node, g, input_grads)`
    sees every step (the backward pictures).
    """
    if _Mode.recorder is not None:  # named point 0: a step being compiled sees the walk begin
        _Mode.recorder.walk_begins(roots, grads, create_graph, inputs)
    pending: dict[Any, Any] = {}  # node or leaf -> the sum of the gradients it received so far
    for root, g in zip(roots, grads):
        key = _graph_key(root)
        pending[key] = pending[key] + g if key in pending else g
    order = topological_order(*[key for key in pending if isinstance(key, Function)])
    wanted = {}
    if inputs is not None:  # autograd.grad: the tensors asked for, and the nodes that reach them
        wanted = dict.fromkeys(map(_graph_key, inputs))
        order = _leading_to(order, wanted)
    check_nan = _Mode.anomaly and _Mode.anomaly_check_nan
    with _walk_mode(create_graph):  # the walk records a graph only for create_graph
        for node in order:
            g = pending.pop(node, None)
            if g is None:  # no consumer sent a gradient (all returned None for it)
                continue
            if node.hooks:  # named point 1: hooks on the tensor this node made
                g = _run_hooks(node.hooks, g)
            if node in wanted:
                wanted[node] = g
            input_grads = _backward_step(node, g, retain_graph)
            if check_nan:  # named point 2: anomaly mode, and the backward pictures
                check_finite(node, g, input_grads)
            if watch is not None:
                watch(node, g, input_grads)
            for parent, needed, g_in in zip(node.inputs, node.needs_input_grad, input_grads):
                if needed and g_in is not None:  # a sum, never in place: see the docstring
                    pending[parent] = pending[parent] + g_in if parent in pending else g_in
        if inputs is not None:  # the gradients asked for; no .grad is touched
            return [_arrived(_graph_key(t), wanted, pending) for t in inputs]
        for leaf, g in pending.items():  # what is left are the leaves' gradients
            leaf._accumulate_grad(g)
        if _Mode.recorder is not None:  # named point 3: ... and end
            _Mode.recorder.walk_ends()
    return None


def _leading_to(order: list[Function], wanted: dict[Any, Any]) -> list[Function]:
    """The nodes of `order` whose backward sends a gradient on towards a wanted tensor: the
    others need not run (their saved values stay, as in PyTorch)."""
    leads: set[Function] = set()
    for node in reversed(order):  # every node after the nodes it reads from
        if any(parent in wanted or parent in leads for parent in node.inputs):
            leads.add(node)
    return [node for node in order if node in leads]


def _arrived(key: Any, wanted: dict[Any, Any], pending: dict[Any, Any]) -> Any:
    """The gradient that reached a wanted tensor: taken as its node ran, or, for a leaf or a
    node that did not need to run, the sum waiting for it (after its hooks)."""
    if wanted[key] is not None:
        return wanted[key]
    g = pending.get(key)
    hooks = key._hooks if isinstance(key, Tensor) else key.hooks
    return _run_hooks(hooks, g) if g is not None and hooks else g


def _backward_step(node: Function, g: Any, retain_graph: bool) -> tuple:
    """node._run_backward, with what the walk's modes add: in a create_graph backward, the ops
    recorded from here on (the formula's, and the sums of what it sends) are marked as made by
    this node's backward; in anomaly mode, an error says where the node's op ran; while a step is
    being compiled, the recorder runs it and notes the kernels of its formula."""
    if _Mode.saved_as_tensors:
        _Mode.backward_of = node
    try:
        if _Mode.recorder is not None:  # a step being compiled records the formula's kernels
            return _Mode.recorder.backward_step(node, g, retain_graph)
        return node._run_backward(g, retain_graph)
    except Exception as err:
        if _Mode.anomaly:
            add_forward_location(err, node)
        raise


def _graph_key(t: Any) -> Any:
    """Where a tensor sits in the graph: its node, or the tensor itself for a leaf."""
    return t if t.grad_fn is None else t.grad_fn


_requires_grad = operator.attrgetter("_requires_grad")
_array = operator.attrgetter("_data")


class _walk_mode:
    """While the walk runs, ops record a graph only for a create_graph backward, and saved values
    reach the backward formulas as tensors then, as arrays otherwise."""

    def __init__(self, create_graph: bool) -> None:
        self.create_graph = create_graph

    def __enter__(self) -> None:
        self.prev = _Mode.grad_enabled, _Mode.saved_as_tensors, _Mode.backward_of
        _Mode.grad_enabled = _Mode.saved_as_tensors = self.create_graph

    def __exit__(self, *exc: object) -> None:
        _Mode.grad_enabled, _Mode.saved_as_tensors, _Mode.backward_of = self.prev


# =============================================================================================
# Hooks and retain_grad
# =============================================================================================


class RemovableHandle:
    """Returned by `register_hook`; `remove()` unregisters the hook."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        """Unregister the hook (a second call does nothing)."""
        for i, h in enumerate(self.hooks):
            if h is self.hook:  # by identity: the same function registered twice is two hooks
                del self.hooks[i]
                break
        self.hook = None

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _run_hooks(hooks: list[Callable[..., Any]], grad: Any) -> Any:
    """Call each hook with the gradient as a Tensor; a hook may return a replacement."""
    for hook in list(hooks):
        given = _as_tensor(grad, copy=True)  # a hook may change it in place: a copy of its own
        result = hook(given)
        if result is None:
            grad = given if isinstance(grad, Tensor) else given._data  # in-place changes count
            continue
        if not isinstance(result, Tensor):
            raise TypeError(f"hook {getattr(hook, '__name__', hook)!r} returned an object of type "
                            f"{type(result).__name__}; a hook must return None or a Tensor")
        if result.shape != given.shape:
            raise RuntimeError(f"hook {getattr(hook, '__name__', hook)!r} returned a gradient of "
                               f"shape {tuple(result.shape)}, but the gradient it was given has "
                               f"shape {tuple(given.shape)}")
        grad = result if isinstance(grad, Tensor) else result._data.astype(grad.dtype, copy=False)
    return grad


def _as_tensor(grad: Any, copy: bool = False) -> Any:
    if isinstance(grad, Tensor):
        return grad
    return Tensor._wrap(np.array(grad, copy=True) if copy else grad)


class RetainGrad:
    """The hook `retain_grad()` puts on a node: it stores the gradient in the tensor's `.grad`.

    It refers to the tensor weakly: the tensor refers to the node, and a strong link back would
    make a cycle that only the garbage collector could free.
    """

    def __init__(self, tensor: Any) -> None:
        self.tensor = weakref.ref(tensor)

    def __call__(self, grad: Any) -> None:
        tensor = self.tensor()
        if tensor is not None:
            tensor._store_retained_grad(grad)


# =============================================================================================
# Anomaly mode
# =============================================================================================


class detect_anomaly:
    """Inside, backward() stops at the first gradient holding nan or inf.

    The error names the op whose backward produced it, and shows where in your code that op was
    run in the forward pass (any other error during backward, such as a saved tensor changed in
    place, shows that place too). `with detect_anomaly():` or `@detect_anomaly()`. With
    `check_nan=False` the places are recorded, gradients not checked. It costs a stack capture per
    recorded op: use it to debug, not to train.

    Args:
        check_nan: check every gradient for nan and inf (False: only record the places).
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = bool(check_nan)
        self.prev: list[tuple[bool, bool]] = []  # a stack: one object can be entered again

    def __enter__(self) -> None:
        self.prev.append((_Mode.anomaly, _Mode.anomaly_check_nan))
        _Mode.anomaly, _Mode.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc: object) -> None:
        _Mode.anomaly, _Mode.anomaly_check_nan = self.prev.pop()

    def __call__(self, fn: F) -> F:
        return _decorate(fn, lambda: detect_anomaly(self.check_nan))


class set_detect_anomaly:
    """Anomaly mode on or off: a plain call (stays switched), a context manager, a decorator.

    Args:
        mode: True to turn anomaly mode on, False to turn it off.
        check_nan: check every gradient for nan and inf.
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_detect_anomaly() expects a bool, got {type(mode).__name__}")
        self.prev = (_Mode.anomaly, _Mode.anomaly_check_nan)
        self.mode, self.check_nan = mode, bool(check_nan)
        _Mode.anomaly, _Mode.anomaly_check_nan = mode, self.check_nan

    def __enter__(self) -> None:
        _Mode.anomaly, _Mode.anomaly_check_nan = self.mode, self.check_nan

    def __exit__(self, *exc: object) -> None:
        _Mode.anomaly, _Mode.anomaly_check_nan = self.prev

    def __call__(self, fn: F) -> F:
        _Mode.anomaly, _Mode.anomaly_check_nan = self.prev  # as a decorator: restore at once
        return _decorate(fn, lambda: set_detect_anomaly(self.mode, self.check_nan))


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()`.

    Returns:
        Whether anomaly mode is on.
    """
    return _Mode.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly mode, when on, checks gradients for nan and inf.

    Returns:
        Whether anomaly mode checks the gradients.
    """
    return _Mode.anomaly_check_nan
