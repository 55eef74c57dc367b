"""The recorder: what `compile` sees of a step while the step runs once, eagerly.

The engine shows the recorder every op (`op`), the backward walk (`walk_begins`, `backward_step`,
`walk_ends`) and every in-place write (`inplace`), at named points of engine.py and tensor.py.
The eager step runs as always; beside it the recorder runs each op's `forward` and each node's
`backward` again on `Traced` values (traced.py), which note the numpy kernels they run as
`Node`s. The real arrays of the step are tied to their nodes by identity (`known`), so that the
next op that reads a tensor finds the node that made its array.

Arrays that no node made are found out when first met: an argument of the step, a parameter (or
another tensor the step reads from outside), a parameter's gradient, or a constant. What the
generated code could not repeat gives the trace up (`fail`): the eager step still finishes, and
the compiled step then runs eagerly. What would make the eager step itself misbehave under a
trace (hooks, anomaly mode, retain_grad, a second-order backward) is refused with `CompileError`.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core.engine import Function, _graph_key, _Mode, topological_order
from ..core.tensor import Tensor
from . import traced
from .traced import CONSTANT, INPUT, KERNEL, VIEW, WRITE, Node, Traced, TracedNumber, Untraceable


class CompileError(RuntimeError):
    """What a compiled step refuses to trace, because it could not be repeated faithfully."""


# --- where an input comes from at each call -------------------------------------------------


class Arg:
    """Argument `index` of the step (a Tensor): its array."""

    def __init__(self, index: int, name: str) -> None:
        self.index, self.name = index, name

    def tensor(self, args: tuple) -> Any:
        return args[self.index]

    def fetch(self, args: tuple) -> Any:
        return args[self.index]._data


class Captured:
    """A tensor the step reads from outside (a parameter): its array, whatever it holds then."""

    def __init__(self, tensor: Tensor, name: str | None) -> None:
        self.ref: Any = weakref.ref(tensor)  # weak while tracing: see trace.resolve_captured
        self.name = name

    def tensor(self, args: tuple) -> Any:
        return self.ref()

    def fetch(self, args: tuple) -> Any:
        return self.ref()._data


class Grad:
    """The `.grad` of an argument or captured tensor, as it is when the step begins."""

    def __init__(self, owner: Arg | Captured) -> None:
        self.owner, self.name = owner, f"{owner.name}_grad" if owner.name else None

    def fetch(self, args: tuple) -> Any:
        return self.owner.tensor(args)._grad._data


def same_bits(a: Any, b: Any) -> bool:
    """Whether two values are equal bit for bit (dtype, shape and every bit of every element).

    Any two NaNs count as equal: a NaN's sign bit is not a number, and numpy's loops for arrays
    and for scalars do not agree on it.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.tobytes() == b.tobytes():
        return True
    if a.dtype.kind != "f":
        return False
    bits = f"u{a.dtype.itemsize}"
    return bool(np.all((a.view(bits) == b.view(bits)) | (np.isnan(a) & np.isnan(b))))


class Recorder:
    """Notes the kernels of one run of a step (see the module's docstring)."""

    def __init__(self, args: tuple, arg_names: list[str],
                 outside: dict[int, tuple[Tensor, str]]) -> None:  # fmt: skip
        self.args, self.arg_names = args, arg_names
        self.statements: list[Node] = []  # kernels, views and writes, in the order they ran
        self.inputs: list[Node] = []
        self.known: dict[int, tuple[Any, Node]] = {}  # id(array) -> (the array, its node)
        self.initial: dict[Node, Any] = {}  # each input's value when the step began
        self.shadows: dict[Function, Function] = {}  # a graph node -> its traced twin
        self.pending: dict[Any, Traced] = {}  # the backward walk's sums, on Traced values
        self.grads_before: dict[Tensor, Any] = {}  # each leaf's .grad when backward() began
        self.outside = outside  # id(array) -> (tensor, name): tensors the step's code names
        self.sources: dict[int, Arg | Captured] = {}  # id(tensor) -> where it comes from
        self.grads_at_start: dict[Arg | Captured, Any] = {}  # their .grad when the step began
        self.none_at_start: set[Arg | Captured] = set()  # those whose new .grad relies on it
        self.written: set[Node] = set()  # constants a formula writes into
        self.results: list[tuple[Any, Node]] = []  # (weak reference to an op's result, its node)
        self.updates: list[Any] = []  # what each optimizer.step() added (optimizers.py)
        self.failed: str | None = None
        self.section, self.comment = "forward", ""
        self.errstate = np.geterr()  # numpy's error handling when the step began
        for a in args:
            if isinstance(a, Tensor):
                self._input(self.source_of(a, None), a._data)
        for t, name in outside.values():
            self.source_of(t, name)

    # --- nodes ---

    def add(self, node: Node) -> Node:
        """A new statement, labelled with what is being recorded now."""
        node.comment, node.section = node.comment or self.comment, self.section
        changed = {k: v for k, v in np.geterr().items() if self.errstate[k] != v}
        node.errstate = changed or None
        self.statements.append(node)
        if node.kind == WRITE:  # an input about to be changed: its value as the step found it
            memory = node.args[0]
            while memory.kind == VIEW and memory.args:
                memory = memory.args[0]
            if memory.kind == INPUT and self.initial[memory] is memory.value:
                self.initial[memory] = np.array(memory.value, copy=True)
        return node

    def bind(self, array: Any, node: Node) -> None:
        self.known[id(array)] = (array, node)  # the array is kept, so that its id stays its own

    def _input(self, source: Any, array: np.ndarray) -> Node:
        node = Node(INPUT, "", (), array, hint=source.name)
        node.source = source
        self.inputs.append(node)
        # Its value when the step began, to check the generated code against: the array itself
        # until a write into it is recorded (add() then copies it), so that data is not copied.
        self.initial[node] = array
        self.bind(array, node)
        return node

    def source_of(self, t: Tensor, name: str | None) -> Arg | Captured:
        """Where tensor `t` comes from: an argument of the step, or a tensor from outside."""
        source = self.sources.get(id(t))
        if source is None or source.tensor(self.args) is not t:
            index = next((i for i, a in enumerate(self.args) if a is t), None)
            if index is not None:
                source = Arg(index, self.arg_names[index])
            else:
                source = Captured(t, name or t._name)
            self.sources[id(t)] = source
            self.grads_at_start[source] = t._grad
        return source

    def constant(self, array: Any) -> Node:
        """The node of a plain array met inside a formula: known, a reshape of one known (as
        `chosen.reshape(shape)` of an array the formula wrote into), or a constant from now on."""
        hit = self.known.get(id(array))
        if hit is not None:
            return hit[1]
        base = getattr(array, "base", None)
        hit = self.known.get(id(base)) if base is not None else None
        if hit is not None and (hit[1].kind != CONSTANT or hit[1] in self.written):
            if not (array.flags.c_contiguous and base.flags.c_contiguous
                    and array.size == base.size):  # fmt: skip
                raise Untraceable("a view of an array the step computed, other than a reshape")
            node = self.add(Node(VIEW, f"{{0}}.reshape({array.shape!r})", (hit[1],), array,
                                 op="reshape"))  # fmt: skip
        else:
            node = Node(CONSTANT, "", (), np.array(array, copy=True))
        self.bind(array, node)
        return node

    def written_array(self, array: Any) -> Node:
        """The node of a plain array a formula made and now writes into (np.zeros(...))."""
        node = self.constant(array)
        self.written.add(node)
        return node

    def traced(self, t: Tensor) -> Traced:
        """A tensor of the step, as a Traced value over its real array."""
        array = t._data
        hit = self.known.get(id(array))
        return Traced(hit[1] if hit is not None else self._discover(t), array)

    def _discover(self, t: Tensor) -> Node:
        # A tensor no node made: named by the step's code, the gradient of a tensor met before,
        # a constant (read-only), or one read from elsewhere (a parameter met in the graph, or
        # a tensor the step made itself: trace.resolve_captured tells them apart).
        array = t._data
        if id(array) in self.outside:
            return self._input(self.source_of(*self.outside[id(array)]), array)
        for source in list(self.sources.values()):
            owner = source.tensor(self.args)
            if owner is not None and owner._grad is t:
                node = self._input(Grad(source), array)
                self.initial[node] = np.array(array, copy=True)  # (backward may add into it
                return node  # before the recorder writes that down)
        if not array.flags.writeable:
            return self.constant(array)
        return self._input(self.source_of(t, None), array)

    # --- the engine's named points ---

    @contextlib.contextmanager
    def attempt(self, what: str) -> Iterator[None]:
        """Record `what`; a computation the trace cannot follow gives the trace up."""
        saved, _Mode.recorder = _Mode.recorder, None  # the recorder's own work is not recorded
        previous, self.comment = self.comment, what
        try:
            yield
        except CompileError:
            raise
        except Exception as err:  # (Untraceable, or numpy refusing a Traced value)
            self.fail(f"{what}: {err}")
        finally:
            _Mode.recorder, self.comment = saved, previous

    def fail(self, reason: str) -> None:
        if self.failed is None:
            self.failed = reason
            self.shadows.clear()

    def op(self, ctx: Function, inputs: tuple, options: dict, out: Tensor) -> None:
        """An op ran: run its forward again on Traced values, and tie its result to the node."""
        self._refuse_modes()
        if self.failed:
            return
        with self.attempt(ctx.name):
            twin = object.__new__(type(ctx))
            twin.needs_input_grad = ctx.needs_input_grad
            values = [self.traced(t) if isinstance(t, Tensor) else t for t in inputs]
            result = type(ctx).forward(twin, *values, **self._traced_options(options))
            node = self.node_of(result)
            if isinstance(getattr(result, "value", result), np.generic):
                # numpy gave a 0-d result as a scalar; the op's output, as apply makes it, is a
                # 0-d array, and so is what forward saved of it (numpy's arithmetic on scalars
                # need not round as its arithmetic on arrays: `**`, for one).
                node = self.add(Node(VIEW, "np.asarray({0})", (node,), out._data, op="asarray"))
                twin.saved = tuple(Traced(node, out._data) if s is result else s
                                   for s in twin.saved or ())  # fmt: skip
            self.bind(out._data, node)
            self.results.append((weakref.ref(out), node))
            if ctx.inputs:  # recorded in the graph: its backward will run
                self.shadows[ctx] = twin

    def _traced_options(self, options: Any) -> Any:
        # Arrays inside an op's options (an index key holding a tensor's array) are found too.
        if isinstance(options, dict):
            return {k: self._traced_options(v) for k, v in options.items()}
        if isinstance(options, (tuple, list)):
            return type(options)(self._traced_options(v) for v in options)
        hit = self.known.get(id(options)) if isinstance(options, np.ndarray) else None
        return Traced(hit[1], options) if hit is not None else options

    def node_of(self, value: Any) -> Node:
        """The node of what a formula returned: a Traced value, a plain array, or a number."""
        if isinstance(value, Traced):
            return value.node
        if isinstance(value, (np.ndarray, np.generic)):
            return self.constant(value)
        raise Untraceable(f"a formula returned a {type(value).__name__}")

    def walk_begins(self, roots: Any, grads: Any, create_graph: bool, inputs: Any) -> None:
        """backward() begins: the root gradients start the walk's sums, as in the engine."""
        self._refuse_modes()
        if create_graph:
            raise CompileError("backward(create_graph=True) inside a compiled step is not "
                               "supported: compile the step that uses the first derivatives")
        if inputs is not None:
            raise CompileError("autograd.grad (or backward(inputs=...)) inside a compiled step is "
                               "not supported: use loss.backward() and read the .grad of the "
                               "parameters")
        self.section = "backward"
        if self.failed:
            return
        with self.attempt("backward"):
            for root, g in zip(roots, grads):
                key = _graph_key(root)
                value = Traced(self.constant(g), g)
                self.pending[key] = self.pending[key] + value if key in self.pending else value
            nodes = [k for k in self.pending if isinstance(k, Function)]
            for node in topological_order(*nodes):
                for parent in node.inputs:
                    if isinstance(parent, Tensor) and parent._requires_grad:
                        before = parent._grad  # found now, while it still holds its values
                        self.grads_before[parent] = before if before is None else (
                            self.traced(before))  # fmt: skip
                        source = self.source_of(parent, None)
                        if before is None and self.grads_at_start[source] is None:
                            self.none_at_start.add(source)  # a new .grad, as it had none

    def backward_step(self, node: Function, g: Any, retain_graph: bool) -> tuple:
        """One node of the walk: its formula on Traced values, then the real one."""
        if node.hooks:
            raise CompileError(f"a hook (or retain_grad) on the result of {node.name} inside a "
                               "compiled step is not supported: it would not run in the "
                               "generated code")
        if self.failed:
            return node._run_backward(g, retain_graph)
        sent = None
        with self.attempt(f"backward of {node.name}"):
            twin = self.shadows.get(node)
            if twin is None:
                raise Untraceable(f"the graph node {node.name} was made before the step began")
            received = self.pending.pop(node)
            if not same_bits(received.value, g):
                raise Untraceable("the traced gradient differs from the engine's")
            sent = self._formula(node, twin, received)
        real = node._run_backward(g, retain_graph)
        if sent is not None and not self.failed:
            with self.attempt("backward: gradients added up"):
                for parent, needed, value in zip(node.inputs, node.needs_input_grad, sent):
                    if needed and value is not None:
                        value = value if isinstance(value, Traced) else Traced(
                            self.node_of(value), value)  # fmt: skip
                        if parent in self.pending:  # the engine's sum, in the engine's order
                            value = self.pending[parent] + value
                        self.pending[parent] = value
        return real

    def _formula(self, node: Function, twin: Function, received: Traced) -> tuple:
        """The node's backward formula, on Traced values; when the gradient and what forward
        saved are all constants, on their values (the results are constants too: folded)."""
        saved = twin.saved or ()
        if self._fixed(received) and all(s is None or self._fixed(s) for s in saved):
            twin.saved = tuple(None if s is None else s.value for s in saved)
            try:
                sent = type(node).backward(twin, np.array(received.value, copy=True))
            finally:
                twin.saved = saved
            sent = sent if type(sent) is tuple else (sent,)
            return tuple(None if v is None else Traced(self.constant(v), v) for v in sent)
        sent = type(node).backward(twin, received)
        return sent if type(sent) is tuple else (sent,)

    def _fixed(self, value: Any) -> bool:
        # A constant no formula writes into: the same at every call.
        return isinstance(value, Traced) and value.node.kind == CONSTANT and (
            value.node not in self.written)  # fmt: skip

    def walk_ends(self) -> None:
        """backward() is done: each leaf's gradient went into its .grad, as the engine did it."""
        if not self.failed:
            with self.attempt("backward: into .grad"):
                for leaf, g in self.pending.items():
                    self._into_grad(leaf, g)
        self.pending.clear()
        self.grads_before.clear()
        self.section = "update"

    def _into_grad(self, leaf: Tensor, g: Traced) -> None:
        if leaf._hooks:
            raise CompileError("a hook on a parameter inside a compiled step is not supported: "
                               "it would not run in the generated code")
        name = self._name_of(leaf)
        before = self.grads_before.get(leaf)
        if before is None:  # a new .grad: a copy of the gradient, in the leaf's dtype
            dtype = leaf._data.dtype  # (np.array, as the engine: a copy in g's memory order)
            template = "np.array({0})" if g.dtype == dtype else f"np.array({{0}}, dtype=np.{dtype})"
            node = self.add(Node(KERNEL, template, (g.node,), leaf._grad._data,
                                 comment=f"into {name}.grad", hint=f"{name}_grad"))  # fmt: skip
            self.bind(leaf._grad._data, node)
        else:  # added in place into the .grad there was
            same = before.dtype == g.dtype
            template = "{0} += {1}" if same else "np.add({0}, {1}, out={0}, casting='unsafe')"
            self.add(Node(WRITE, template, (before.node, g.node), None,
                          comment=f"into {name}.grad"))  # fmt: skip

    def _name_of(self, t: Tensor) -> str:
        hit = self.known.get(id(t._data))
        hint = hit[1].hint if hit is not None else None
        return hint or t._name or f"p{len(self.inputs)}"

    def inplace(self, t: Tensor, name: str, write: Any, args: tuple, recording: bool) -> None:
        """An in-place change: run its numpy write again on Traced values."""
        self._refuse_modes()
        if recording:
            self.fail(f"{name} on a tensor in the graph: the in-place change of a tensor that "
                      "requires grad is not traced (write y = y + ... instead)")
        if self.failed:
            return
        with self.attempt(name.strip("_") if name.startswith("__") else name):
            target = self.traced(t)
            write(target, *[self.traced(a) for a in args])

    def _refuse_modes(self) -> None:
        if _Mode.anomaly:
            raise CompileError("anomaly mode inside a compiled step is not supported: it checks "
                               "each backward, which the generated code does not run; debug the "
                               "step uncompiled")

    # --- for the optimizers' updates (optimizers.py) ---

    def number(self, value: float, name: str, source: Any) -> TracedNumber:
        """An input that is a Python number read at every call (an optimizer's learning rate)."""
        node = Node(INPUT, "", (), value, hint=name)
        node.source = source
        self.inputs.append(node)
        self.initial[node] = value
        return TracedNumber(node, value)

    def state_input(self, array: np.ndarray, name: str, source: Any) -> Traced:
        """An input array that the optimizer keeps (a momentum buffer)."""
        node = self._input(source, array)
        node.hint = name
        return Traced(node, array)

    @contextlib.contextmanager
    def section_of(self, section: str, comment: str) -> Iterator[None]:
        """Record what runs inside as the given section, with the given comment."""
        previous = self.section, self.comment
        self.section, self.comment = section, comment
        try:
            yield
        finally:
            self.section, self.comment = previous


def start(recorder: Recorder) -> None:
    """Make `recorder` the one the engine and the Traced values report to."""
    if _Mode.recorder is not None:
        raise CompileError("a compiled step cannot be traced inside another one")
    _Mode.recorder = traced.current = recorder


def stop() -> None:
    _Mode.recorder = traced.current = None
