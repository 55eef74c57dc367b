"""`compile(fn)`: the compiled step, with its signatures, guards, checks and eager fallbacks.

A call looks up the code for its signature (the arguments' shapes and dtypes, whether they
require grad, Python values passed as arguments, and the grad mode), then checks that code's
guards (the parameters' storage, which gradients exist, the optimizers' options and state). A new
signature, or failed guards, trace the step again, up to `max_traces` times. A trace the code
could not repeat makes its signature run eagerly, with a warning that says why.

The first call of each trace runs the eager step; so does its second, once more, with the
generated code run beside it on copies of the inputs: both must agree bit for bit, or the
signature runs eagerly from then on (with a warning). Only then do calls run the generated code
alone.
"""

from __future__ import annotations

import contextlib
import dis
import functools
import inspect
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..core.anomaly import creation_stack
from ..core.args import operand
from ..core.creation import default_generator
from ..core.engine import _Mode, is_grad_enabled
from ..core.tensor import Tensor
from . import optimizers, recorder
from .recorder import CompileError, Recorder
from .trace import MISS, Trace, differences, resolve_captured, run_beside

# The Tensor methods that read a tensor's values into Python: inside a trace, the value read is
# that of the first call, so the trace is given up (the step runs eagerly).
VALUE_READS = ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__",
               "__array__", "__format__", "__repr__")  # fmt: skip


class CompiledStep:
    """A training step traced on its first call and run as generated numpy code afterwards.

    `step(*args)` returns what the step returns (the loss, detached: a Tensor without a graph),
    and leaves parameters, gradients and optimizer state as the eager step would. `step.source`
    is the generated code of the latest trace; `step.explain()` prints it with the graph.

    Args:
        fn: the step: a function of tensors (and Python values) that may compute a loss, call
            `backward()` and update parameters.
        max_traces: how many traces a step may make (new signatures, or failed guards) before
            its new signatures run eagerly.
    """

    def __init__(self, fn: Callable[..., Any], max_traces: int = 8) -> None:
        if not callable(fn):
            raise TypeError(f"compile() expects a function, got {type(fn).__name__}")
        if not isinstance(max_traces, int) or isinstance(max_traces, bool) or max_traces < 1:
            raise ValueError(f"max_traces must be a positive int, got {max_traces!r}")
        functools.update_wrapper(self, fn)
        self.fn, self.max_traces = fn, max_traces
        self.traces: dict[Any, list[Trace]] = {}  # signature -> its traces, newest first
        self.eager: dict[Any, str] = {}  # signature -> why it runs eagerly
        self.count = 0
        self.latest: Trace | None = None
        self.rejected = ""  # the code of a trace that disagreed with the eager step
        self.graph = ""  # the text of the latest trace's graph (for explain)
        self._fast: Callable[[tuple], Any] | None = None  # the last trace's call, tried first
        self._warned: set[str] = set()

    # --- the call ---

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and self._fast is not None:  # the code of the last call, if it still fits
            result = self._fast(args)
            if result is not MISS:
                return result
        if _Mode.recorder is not None:  # inside another compiled step's trace: traced through
            return self.fn(*args, **kwargs)
        everything = args + tuple(kwargs.values())
        key = signature(everything, tuple(kwargs))
        for trace in self.traces.get(key, ()):
            if trace.matches(everything):
                if not trace.checked:
                    return self._check(key, trace, args, kwargs)
                self._fast = trace.call if not kwargs else None
                return trace.call(everything)
        if key in self.eager:
            return self.fn(*args, **kwargs)
        if self.count >= self.max_traces:
            self._warn(f"reached max_traces={self.max_traces} traces; calls with a new signature "
                       "(shapes, dtypes, storage of the parameters) run eagerly from now on. "
                       "Raise max_traces, or keep the step's inputs alike from call to call")
            return self.fn(*args, **kwargs)
        return self._trace(key, args, kwargs)

    def _trace(self, key: Any, args: tuple, kwargs: dict) -> Any:
        everything = args + tuple(kwargs.values())
        names = argument_names(self.fn, len(args), tuple(kwargs))
        outside = tensors_in_scope(self.fn)
        for name, value in zip(names, everything):  # a model or an optimizer passed in
            if not isinstance(value, Tensor):
                _add_tensors(outside, name, value)
        rec = Recorder(everything, names, outside)
        random_state = default_generator().bit_generator.state
        local_names: dict[str, Any] = {}
        with _recording(rec, local_names, self.fn):
            result = self.fn(*args, **kwargs)
        returned, single = _returned(result, rec)
        if rec.failed is None and default_generator().bit_generator.state != random_state:
            rec.fail("the step draws random numbers (rand, randn, ...), which would be the same "
                     "at every call; draw them outside and pass them in")
        if rec.failed is not None:
            self.eager[key] = rec.failed
            self._warn(f"this call signature runs eagerly: {rec.failed}")
            return result
        self.graph = _graph_text(returned[0], rec) if returned else ""
        returned = [Tensor._wrap(t._data) for t in returned]  # without their graph, which holds
        detached = returned[0] if single and returned else (  # the tensors the step made
            None if single else tuple(returned))  # fmt: skip
        del result
        trace = self._build(rec, returned, single, local_names, key)
        if trace is None:
            self.eager[key] = "the generated code disagreed with the eager step"
            return detached
        self.traces.setdefault(key, []).insert(0, trace)
        self.count += 1
        self.latest = trace
        return detached

    def _build(self, rec: Recorder, returned: list[Tensor], single: bool,
               local_names: dict[str, Any], key: Any) -> Trace | None:  # fmt: skip
        _name_results(rec, local_names)
        rec.shadows.clear()  # the last references to the tensors the step made for itself
        local_names.clear()
        resolve_captured(rec)
        trace = Trace(rec, returned, single, key, getattr(self.fn, "__name__", "step"),
                      numbers_in_scope(self.fn))  # fmt: skip
        copies, values = run_beside(trace, [rec.initial[n] for n in trace.inputs])
        after = [n.value for n in trace.inputs]
        wrong = differences(trace, rec.args, copies, values, after, returned)
        if wrong:
            self.rejected = trace.source
            self._warn(f"the generated code disagrees with the eager step on {', '.join(wrong)}; "
                       "this call signature runs eagerly (please report this, with the code in "
                       "`.rejected`)")
            return None
        return trace

    def _check(self, key: Any, trace: Trace, args: tuple, kwargs: dict) -> Any:
        """The first call of a trace: the eager step, and the generated code beside it."""
        everything = args + tuple(kwargs.values())
        inputs = trace.fetch(everything)
        copies, values = run_beside(trace, inputs)  # first: the inputs are as the step finds them
        result = self.fn(*args, **kwargs)
        returned, single = _returned(result, None)
        wrong = differences(trace, everything, copies, values, inputs, returned)
        if wrong:
            self.traces[key].remove(trace)
            self.eager[key] = f"the generated code disagreed with the eager step on {wrong}"
            self._warn(f"the generated code gave other values than the eager step on "
                       f"{', '.join(wrong)} at its second call: the step depends on something the "
                       "trace did not see (a value computed outside tinygrad_lr's ops, or read "
                       "from Python); this call signature runs eagerly")
        trace.checked = True
        return _detached(returned, single)

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            name = getattr(self.fn, "__qualname__", "step")
            warnings.warn(f"compile({name}): {message}", RuntimeWarning, stacklevel=4)

    # --- reading the result ---

    @property
    def source(self) -> str:
        """The generated code of the latest trace (Python source over numpy)."""
        if self.latest is None:
            reasons = "; ".join(sorted(set(self.eager.values())))
            raise RuntimeError("no compiled code yet: the step has not been traced" + (
                f" (it runs eagerly: {reasons})" if reasons else " (call it once first)"))
        return self.latest.source

    def explain(self) -> None:
        """Print the graph autograd recorded for the latest trace, then the code it became."""
        source = self.source
        print("The graph of the step, as autograd recorded it:\n")
        print(self.graph.rstrip() + "\n")
        print("The code it became (forward, backward and update, one kernel a line):\n")
        print(source.rstrip())

    def write(self, path: Any) -> None:
        """Write the generated code of the latest trace to a file (`step.py`, say).

        Args:
            path: the file to write.

        Raises:
            RuntimeError: when nothing has been traced yet.
        """
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.source)

    def __repr__(self) -> str:
        return (f"<compiled step {getattr(self.fn, '__qualname__', '?')}: {self.count} "
                f"trace{'s' if self.count != 1 else ''}>")


def compile(fn: Callable[..., Any] | None = None, *, max_traces: int = 8) -> Any:  # noqa: A001
    """Trace a training step once and run it as generated numpy code from then on.

    Use it as `step = compile(fn)`, `@compile` or `@compile(max_traces=4)`. The step may use any
    op, `loss.backward()`, `optimizer.zero_grad()` and `optimizer.step()` (SGD, Adam), and the
    manual update under `no_grad` (`w.sub_(lr * w.grad)`, `w.grad = None`). Python values it
    reads (numbers, decisions) are fixed at the trace; see docs/compile.md.

    Args:
        fn: the step to compile; None when called as `@compile(max_traces=...)`.
        max_traces: how many traces a step may make before its new signatures run eagerly.

    Returns:
        A `CompiledStep` wrapping `fn`; without `fn`, a decorator that makes one.

    Examples:
        >>> w = tinygrad_lr.tensor([1.0, -2.0], requires_grad=True)
        >>> @tinygrad_lr.compile
        ... def step(x):
        ...     loss = ((x * w) ** 2).sum()
        ...     loss.backward()
        ...     with tinygrad_lr.no_grad():
        ...         w.sub_(0.1 * w.grad)
        ...     w.grad = None
        ...     return loss
        >>> x = tinygrad_lr.ones(2)
        >>> [round(step(x).item(), 4) for _ in range(4)]    # traced, checked, then compiled
        [5.0, 3.2, 2.048, 1.3107]
        >>> step, w
        (<compiled step step: 1 trace>, tensor([ 0.4096, -0.8192], requires_grad=True))

    `print(step.source)` then shows the step as numpy code: `t1 = x * w`, ..., `w -= t4`.
    """
    if fn is None:
        return lambda f: CompiledStep(f, max_traces)
    return CompiledStep(fn, max_traces)


# --- what a call is keyed on ---


def signature(args: tuple, keywords: tuple) -> Any:
    """What a call's code depends on from its arguments: tensors' shapes, dtypes and
    requires_grad, the other values themselves, and the grad mode."""
    parts = []
    for a in args:
        if isinstance(a, Tensor):
            parts.append(("tensor", a._data.shape, a._data.dtype, a._requires_grad))
        else:
            try:
                hash(a)
            except TypeError:
                raise TypeError(f"a compiled step's arguments must be tensors or hashable "
                                f"values (numbers, strings, tuples), got a {type(a).__name__}"
                                ) from None
            parts.append(("value", type(a), a))
    return tuple(parts), keywords, is_grad_enabled()


def argument_names(fn: Callable[..., Any], positional: int, keywords: tuple) -> list[str]:
    """The names of the step's arguments, from its signature (x, y), for the generated code."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]  # fmt: skip
    except (TypeError, ValueError):
        params = []
    names = [params[i].name if i < len(params) else f"arg{i}" for i in range(positional)]
    return names + list(keywords)


def scope_of(fn: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    """The global and closure variables the step's code names: (name, where it is kept (the
    module's globals, or the closure's cell), its value now)."""
    fn = inspect.unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return []
    found = [(name, cell, cell.cell_contents) for name, cell in
             zip(code.co_freevars, fn.__closure__ or ()) if _filled(cell)]  # fmt: skip
    # The names the code reads as globals (not co_names, which holds attribute names too: the
    # `step` of `opt.step()` is not a global `step`).
    read = {i.argval for i in dis.get_instructions(code)
            if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}  # fmt: skip
    found += [(n, fn.__globals__, fn.__globals__[n]) for n in sorted(read)
              if n in fn.__globals__]  # fmt: skip
    owner = getattr(fn, "__self__", None)  # a method: the attributes of its object too
    if owner is not None and hasattr(owner, "__dict__"):
        found += [(n, None, v) for n, v in vars(owner).items()]
    return found


def tensors_in_scope(fn: Callable[..., Any]) -> dict[int, tuple[Tensor, str]]:
    """The tensors the step's code names (tensors, modules' and optimizers' parameters), by the
    ids of their arrays, with the names the generated code gives them."""
    found: dict[int, tuple[Tensor, str]] = {}
    scope = scope_of(fn)
    for name, _, value in scope:  # (an optimizer's parameters are named last: by their own
        if not hasattr(value, "param_groups"):  # names if the step names them too)
            _add_tensors(found, name, value)
    for name, _, value in scope:
        if hasattr(value, "param_groups"):
            _add_tensors(found, name, value)
    return found


def numbers_in_scope(fn: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    """The Python numbers (and strings) the step's code names as globals or closure variables:
    the trace fixes them, so a call checks they still hold (`lr` changed: traced again)."""
    return [(name, where, value) for name, where, value in scope_of(fn)
            if where is not None and type(value) in (int, float, bool, str)]  # fmt: skip


def _filled(cell: Any) -> bool:
    try:
        return cell.cell_contents is not cell  # (always true: reading it is the test)
    except ValueError:  # a closure variable not assigned yet
        return False


def _add_tensors(found: dict, name: str, value: Any) -> None:
    if isinstance(value, CompiledStep):  # a compiled step called by this one: its names too
        found.update({k: v for k, v in tensors_in_scope(value.fn).items() if k not in found})
    elif isinstance(value, Tensor):
        found.setdefault(id(value._data), (value, name))
    elif hasattr(value, "named_parameters") and callable(value.named_parameters):
        for pname, p in value.named_parameters():
            found.setdefault(id(p._data), (p, f"{name}_{pname}".replace(".", "_")))
    elif hasattr(value, "param_groups"):
        for group in value.param_groups:
            for k, p in enumerate(group["params"]):
                found.setdefault(id(p._data), (p, f"p{k}"))
    elif isinstance(value, (list, tuple)) and len(value) < 64:
        for k, v in enumerate(value):
            if isinstance(v, Tensor):
                found.setdefault(id(v._data), (v, f"{name}{k}"))


# --- the trace's surroundings ---


@contextlib.contextmanager
def _recording(rec: Recorder, local_names: dict[str, Any], fn: Callable[..., Any]) -> Iterator:
    """Everything that watches the step while it runs once: the recorder, the reads of values
    into Python, the optimizers' steps, and the names of the step's local variables."""
    if _Mode.anomaly:
        raise CompileError("anomaly mode is on: a compiled step cannot be traced under "
                           "detect_anomaly() (debug the step uncompiled)")
    with _value_reads_watched(rec), _masks_recorded(rec), _optimizer_steps_recorded(rec), \
            _locals_of(fn, local_names):  # fmt: skip
        recorder.start(rec)
        try:
            yield
        finally:
            recorder.stop()


@contextlib.contextmanager
def _tensor_methods_replaced(replacements: dict[str, Callable[..., Any]]) -> Iterator[None]:
    """Tensor's methods replaced inside the block, and put back after (a method that a mixin
    defined is removed again, so that the mixin's shows through)."""
    saved = {name: Tensor.__dict__.get(name) for name in replacements}
    for name, method in replacements.items():
        setattr(Tensor, name, method)
    try:
        yield
    finally:
        for name, method in saved.items():
            if method is None:
                delattr(Tensor, name)
            else:
                setattr(Tensor, name, method)


def _value_reads_watched(rec: Recorder) -> contextlib.AbstractContextManager[None]:
    return _tensor_methods_replaced({name: _watched(rec, name, getattr(Tensor, name))
                                     for name in VALUE_READS})  # fmt: skip


def _watched(rec: Recorder, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def read(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if _Mode.recorder is rec:
            stack = creation_stack()
            where = f" at {stack[-1].filename}:{stack[-1].lineno}" if stack else ""
            rec.fail(f"the step reads a tensor's value into Python ({name}{where}), which would "
                     "be fixed at the value of the first call")
        return method(self, *args, **kwargs)

    return read


# The Tensor methods that compute without an op of the op table (their results have no
# gradient): comparisons, and the logical and bitwise operators. Inside a trace each is run, then
# run again on Traced values, so that a mask computed from the data is computed at every call.
MASKS = {"_compare": None, "_bitwise": None, "__invert__": np.invert,
         "logical_not": np.logical_not, "logical_and": np.logical_and,
         "logical_or": np.logical_or, "logical_xor": np.logical_xor}  # fmt: skip


def _masks_recorded(rec: Recorder) -> contextlib.AbstractContextManager[None]:
    return _tensor_methods_replaced({name: _recorded_mask(rec, getattr(Tensor, name), ufunc)
                                     for name, ufunc in MASKS.items()})  # fmt: skip


def _recorded_mask(rec: Recorder, method: Callable[..., Any], ufunc: Any) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: Tensor, *args: Any) -> Tensor:
        out = method(self, *args)
        if _Mode.recorder is rec and not rec.failed:
            # _compare(other, ufunc, name) and _bitwise(other, ufunc, name); the others take
            # their other operand, if any, alone. Numbers become tensors as the method made them.
            fn, name = (args[1], args[2]) if ufunc is None else (ufunc, method.__name__)
            others = [o if isinstance(o, Tensor) else operand(o, self, name) for o in args[:1]]
            with rec.attempt(name):
                result = fn(*[rec.traced(t) for t in [self, *others]])
                rec.bind(out._data, rec.node_of(result))
        return out

    return run


@contextlib.contextmanager
def _optimizer_steps_recorded(rec: Recorder) -> Iterator[None]:
    from .. import optim

    classes, todo = [], [optim.Optimizer]
    while todo:
        cls = todo.pop()
        classes.append(cls)
        todo += cls.__subclasses__()
    saved = {(cls, name): cls.__dict__[name] for cls in classes
             for name in ("step", "zero_grad") if name in cls.__dict__}  # fmt: skip
    for (cls, name), method in saved.items():
        wrap = _recorded_step if name == "step" else _recorded_zero_grad
        setattr(cls, name, wrap(rec, method))
    try:
        yield
    finally:
        for (cls, name), method in saved.items():
            setattr(cls, name, method)


def _recorded_zero_grad(rec: Recorder, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def zero_grad(optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        if _Mode.recorder is rec:  # the .grad of each parameter as the step found it, before
            for group in optimizer.param_groups:  # zero_grad forgets it
                for p in group["params"]:
                    rec.source_of(p, None)
        return method(optimizer, *args, **kwargs)

    return zero_grad


def _recorded_step(rec: Recorder, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def step(optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        if _Mode.recorder is not rec:
            return method(optimizer, *args, **kwargs)
        reason = optimizers.refusal(optimizer) or ("step(closure)" if args or kwargs else None)
        if reason is not None:
            rec.fail(reason)
        if not rec.failed:
            with rec.attempt(f"{type(optimizer).__name__}.step"), rec.section_of(
                    "update", type(optimizer).__name__):  # fmt: skip
                rec.updates.append(optimizers.record_step(rec, optimizer))
        _Mode.recorder = None  # the eager update runs the kernels just written down
        try:
            return method(optimizer, *args, **kwargs)
        finally:
            _Mode.recorder = rec
            for update in rec.updates:
                for param, key, node in update.outputs:
                    rec.bind(optimizer.state[param][key]._data, node)

    return step


@contextlib.contextmanager
def _locals_of(fn: Callable[..., Any], found: dict[str, Any]) -> Iterator[None]:
    """Collect the step's local variables as it returns: the generated code uses their names
    (y_pred, loss) for the values they held."""
    code = getattr(inspect.unwrap(fn), "__code__", None)

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "return" and frame.f_code is code:
            found.update(frame.f_locals)

    if sys.getprofile() is not None or code is None:  # a profiler is at work: leave it alone
        yield
        return
    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)


def _name_results(rec: Recorder, local_names: dict[str, Any]) -> None:
    for name, value in local_names.items():
        if isinstance(value, Tensor):
            hit = rec.known.get(id(value._data))
            if hit is not None and hit[1].hint is None and not name.startswith("_"):
                hit[1].hint = name
    for ref, node in rec.results:  # a name given with `t.name = ...` comes first
        tensor = ref()
        if tensor is not None and tensor._name:
            node.hint = tensor._name


def _returned(result: Any, rec: Recorder | None) -> tuple[list[Tensor], bool]:
    if result is None:
        return [], True
    if isinstance(result, Tensor):
        return [result], True
    if isinstance(result, (tuple, list)) and all(isinstance(r, Tensor) for r in result):
        return list(result), False
    if rec is not None:
        rec.fail(f"the step returns a {type(result).__name__}; a compiled step may return a "
                 "Tensor, a tuple of Tensors, or None")
    return [], True


def _detached(returned: list[Tensor], single: bool) -> Any:
    values = [Tensor._wrap(t._data) for t in returned]
    return (values[0] if values else None) if single else tuple(values)


def _graph_text(loss: Tensor, rec: Recorder) -> str:
    if loss.grad_fn is None:
        return "(the returned tensor has no graph)"
    from ..viz import graph_text

    named = {}  # the arguments and parameters, by the names the generated code gives them
    for node in rec.inputs:
        tensor = getattr(node.source, "tensor", lambda args: None)(rec.args)
        if node.hint and isinstance(tensor, Tensor):
            named.setdefault(node.hint, tensor)
    return graph_text(loss, params=named)


__all__ = ["CompiledStep", "compile", "signature"]
