"""`Tensor`: a numpy array that remembers how it was computed.

This file is the front-end a user touches: it checks arguments and dtypes, then hands the arrays
to an op of `ops.py` through `_apply`, which records the op in the graph when a gradient will be
needed. The calculus itself is in `ops.py`; the graph walk is in `autograd.py`.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from . import ops
from .autograd import (
    Function,
    RemovableHandle,
    _GradMode,
    creation_stack,
    next_sequence_nr,
    no_grad,
    run_backward,
    run_hooks,
)
from .dtypes import CPU, device, is_floating, promote, promote_scalar, to_dtype

Number = bool | int | float
_NUMBER_TYPES = (bool, int, float, np.bool_, np.integer, np.floating)


# ---------------------------------------------------------------------------------------------
# Turning user data into arrays
# ---------------------------------------------------------------------------------------------


def _to_array(data: Any, dtype: Any = None, copy: bool = True, where: str = "tensor()"
              ) -> np.ndarray:  # fmt: skip
    """Make a numeric ndarray from numbers, nested lists, numpy arrays or Tensors."""
    if isinstance(data, Tensor):
        data = data.data
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    if data is None or isinstance(data, (str, bytes)):
        raise TypeError(f"{where}: expected a number, a (nested) list of numbers or an array, "
                        f"got {type(data).__name__}")
    try:
        arr = np.array(data, copy=copy) if from_numpy else np.array(data)
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"{where}: the nested lists must form a rectangular array ({e})") from None
    if arr.dtype.kind not in "biuf":
        too_big = [v for v in arr.flat if isinstance(v, int)] if arr.dtype.kind == "O" else []
        if too_big and len(too_big) == arr.size:  # numpy keeps ints beyond 64 bits as objects
            raise OverflowError(f"{where}: the integer {max(too_big, key=abs)} does not fit in "
                                "int64; pass it as a float (1e30) for a float tensor")
        kind = "complex numbers" if arr.dtype.kind == "c" else f"values of type {arr.dtype}"
        raise TypeError(f"{where}: expected numbers, got {kind} from {_describe(data)}; "
                        "a tensor holds bool, int or float values only")
    if dtype is not None:
        dt = to_dtype(dtype)
        if arr.dtype != dt:
            arr = arr.astype(dt)
    elif not from_numpy and arr.dtype.kind == "f" and arr.dtype != np.float32:
        arr = arr.astype(np.float32)  # Python floats make float32 tensors, as in PyTorch
    return arr


def _describe(data: Any) -> str:
    if isinstance(data, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in data})
        return f"a {type(data).__name__} of {', '.join(kinds)}"
    return f"a {type(data).__name__}"


def _check_number(value: Any, op: str, arg: str = "other") -> None:
    if not isinstance(value, _NUMBER_TYPES) or isinstance(value, complex):
        raise TypeError(f"{op}(): argument '{arg}' must be a number, not {type(value).__name__}")


def _broadcast_shape(a: tuple[int, ...], b: tuple[int, ...], op: str) -> tuple[int, ...]:
    """numpy's broadcast rule, failing with PyTorch's message that names both shapes."""
    if a == b or not b:  # (a 0-d operand, such as the number in `x * 2`, fits any shape)
        return a
    if not a:
        return b
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    out = []
    for i, (sa, sb) in enumerate(zip(pa, pb)):
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(
                f"{op}: the size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                f"non-singleton dimension {i}: shapes {_fmt(a)} and {_fmt(b)} cannot be broadcast"
            )
        out.append(sa if sb == 1 else sb)
    return tuple(out)


def _fmt(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _dim(d: Any, ndim: int, op: str) -> int:
    """Normalise one dim index (negatives count from the end), with PyTorch's range error."""
    if not isinstance(d, (int, np.integer)) or isinstance(d, bool):
        raise TypeError(f"{op}(): dim must be an int, not {type(d).__name__}")
    lo, hi = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    if not lo <= d <= hi:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})"
        )
    return int(d) % ndim if ndim > 0 else 0


def _dims(dim: Any, ndim: int, op: str) -> tuple[int, ...]:
    # An empty list of dims means all of them, as in PyTorch (x.sum(dim=()) is the total).
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    ds = dim if isinstance(dim, (tuple, list)) else (dim,)
    out = tuple(_dim(d, ndim, op) for d in ds)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}(): dim {dim} names a dimension more than once")
    return out if ndim > 0 else ()


def _flag(value: Any, op: str, arg: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{arg}' must be bool, not {type(value).__name__}")
    return bool(value)


def _shape_args(shape: tuple[Any, ...], op: str) -> tuple[int, ...]:
    # Accept f(2, 3) and f((2, 3)) alike, as PyTorch does.
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"{op}(): sizes must be ints, got {s!r} of type {type(s).__name__}")
    return tuple(map(int, shape))


# ---------------------------------------------------------------------------------------------
# Recording an op
# ---------------------------------------------------------------------------------------------


def _apply(op: type[Function], *inputs: Tensor, **attrs: Any) -> Tensor:
    """Run `op` on the inputs' arrays; when a gradient will be needed, record it in the graph."""
    node = op.__new__(op)
    node.saved = ()
    # `needs_input_grad` is known before the forward, so that `forward` can save only what the
    # wanted gradients read. (One and two inputs, every op's case, are spelled out here and below:
    # Python runs that much faster than a comprehension.)
    n_inputs = len(inputs)
    if n_inputs == 2:
        a, b = inputs
        node.needs_input_grad = needs = (a._requires_grad, b._requires_grad)
        # (`**attrs` only when there are any: unpacking even an empty dict costs ~0.1 µs)
        data = node.forward(a.data, b.data, **attrs) if attrs else node.forward(a.data, b.data)
    elif n_inputs == 1:
        a = inputs[0]
        node.needs_input_grad = needs = (a._requires_grad,)
        data = node.forward(a.data, **attrs) if attrs else node.forward(a.data)
    else:
        node.needs_input_grad = needs = tuple([t._requires_grad for t in inputs])
        data = node.forward(*[t.data for t in inputs], **attrs)
    if type(data) is not np.ndarray:  # numpy returns scalars from 0-d operations
        data = np.asarray(data)
    out = Tensor.__new__(Tensor)
    out.data = data
    out._grad = out.name = out._base = out._hooks = None
    out._retains_grad = False
    # (`base is`: the usual view of an array that owns its memory, told without numpy's wrapper)
    if op.is_view and (data.base is inputs[0].data or np.may_share_memory(data, inputs[0].data)):
        source = inputs[0]
        _share_memory(source, out)
        out._base = source._base if source._base is not None else source
    else:
        out._version_counter = [0, None]
    if _GradMode.enabled and True in needs and data.dtype.kind == "f":
        # Each input as the graph sees it: the node that made it, or the leaf tensor itself.
        if n_inputs == 2:
            node.inputs = (a if a.grad_fn is None else a.grad_fn,
                           b if b.grad_fn is None else b.grad_fn)  # fmt: skip
        elif n_inputs == 1:
            node.inputs = (a if a.grad_fn is None else a.grad_fn,)
        else:
            node.inputs = tuple([t if t.grad_fn is None else t.grad_fn for t in inputs])
        node.out_shape, node.out_dtype = data.shape, data.dtype
        node._output = weakref.ref(out)
        node.sequence_nr = next_sequence_nr()
        versions = ()
        for arr in node.saved:  # (most ops save one or two arrays, or none)
            # Each saved array that is some tensor's memory is kept with that tensor's version
            # counter and its count now (an array the op made itself belongs to no tensor: nothing
            # can change it in place). Written out here, not as a helper: this runs for every op.
            if arr is not None:
                for t in inputs:
                    if t.data is arr:
                        break
                else:
                    t = out if out.data is arr else None
                if t is not None:
                    counter = t._version_counter
                    versions += ((counter, counter[0], arr),)
        node.saved_versions = versions
        if _GradMode.anomaly:
            node.creation_stack = creation_stack()
        out._requires_grad, out.grad_fn = True, node
    else:
        out._requires_grad, out.grad_fn = False, None
    if _GradMode.recorder is not None:  # a jit.TrainStep is recording: it keeps this kernel
        _GradMode.recorder.record_op(node, inputs, attrs, data)
    return out


def _share_memory(source: Tensor, view: Tensor) -> None:
    """Record that `view` looks at `source`'s memory.

    They share one version counter ([count, lookers]): an in-place change through either is seen
    by whatever saved the other. `lookers` holds weak references to the tensors on that memory,
    so that an in-place change recorded for autograd can tell whether another live tensor would
    see its values change under a graph that does not know it.
    """
    counter = source._version_counter
    view._version_counter = counter
    lookers = counter[1]
    if lookers is None:
        counter[1] = [weakref.ref(source), weakref.ref(view)]
        return
    n = len(lookers)
    if n >= 16 and n & (n - 1) == 0:
        # Drop the dead now and then (a parameter is expanded at every step): at each power of
        # two, so that many live views cost amortised O(1) per new view, not a rescan each time.
        lookers[:] = [r for r in lookers if r() is not None]
    lookers.append(weakref.ref(view))


def _shares_memory_with_a_live_tensor(t: Tensor) -> bool:
    lookers = t._version_counter[1]
    if lookers is None:
        return False
    for ref in lookers:
        other = ref()
        if other is not None and other is not t:  # `is`: == on tensors is elementwise
            return True
    return False


# Number constants (the 0.5 in `0.5 * x`) as 0-d tensors, made once per value and dtype and then
# shared: a training loop would otherwise build the same constant at every step. Their memory is
# read-only, so that nothing can change a constant under the other ops that use it.
_CONSTANTS: dict[tuple[float, np.dtype], Tensor] = {}


def _constant(value: float, dtype: np.dtype) -> Tensor:
    const = _CONSTANTS.get((value, dtype))
    if const is None:
        data = np.array(value, dtype)
        data.flags.writeable = False
        const = Tensor._make(data, False, None)
        # 0.0 and -0.0 are equal as keys but not as numbers (1 / -0.0 = -inf): zeros are made
        # afresh. And the table stays small, whatever numbers a program uses.
        if value != 0 and len(_CONSTANTS) < 1024:
            _CONSTANTS[(value, dtype)] = const
    return const


def _binary_operator(op: type[Function], reverse: bool = False) -> Callable[..., Tensor]:
    """The method `self ⊗ other` (or `other ⊗ self` if `reverse`) for the two-input op ⊗: the body
    of +, -, *, / and their reflected forms. Built once per operator, so that `x + y` runs it
    directly (a Python call costs as much as a small array's arithmetic)."""

    is_div, is_sub = op is ops.Div, op is ops.Sub

    def operator(self: Tensor, other: Any) -> Tensor:
        if type(other) is float and self.data.dtype.kind == "f":
            # The common `0.5 * x` on a float tensor, short-cut: the number takes the tensor's
            # dtype (no promotion), needs no gradient (so no expand), and a 0-d operand
            # broadcasts against any shape. It stays a constant leaf input of the node, as the
            # graph pictures show it.
            const = _CONSTANTS.get((other, self.data.dtype))  # (what _constant looks up first)
            if const is None:
                const = _constant(other, self.data.dtype)
            return _apply(op, const, self) if reverse else _apply(op, self, const)
        b = other if type(other) is Tensor else _operand(other, self, op.name)
        x, y = (b, self) if reverse else (self, b)
        dt = x.data.dtype
        if dt != y.data.dtype or (is_div and dt.kind != "f"):
            if other is b or isinstance(other, np.ndarray):
                dt = promote(x.data.dtype, x.data.ndim, y.data.dtype, y.data.ndim)
            else:
                dt = promote_scalar(self.data.dtype, other)
            if is_div and dt.kind != "f":  # true division of integers is float
                dt = np.dtype(np.float32)
            x, y = x._cast(dt), y._cast(dt)
        if is_sub and dt.kind == "b":  # numpy refuses too, with a message about numpy
            raise RuntimeError("sub: Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use a != b (logical xor), or .long() first")
        if x.data.shape != y.data.shape:
            shape = _broadcast_shape(x.data.shape, y.data.shape, op.name)
            # A broadcast operand that needs a gradient gets an explicit `expand` node, whose
            # backward sums the gradient back to the operand's shape.
            if x._requires_grad and x.data.shape != shape:
                x = x.expand(shape)
            if y._requires_grad and y.data.shape != shape:
                y = y.expand(shape)
        return _apply(op, x, y)

    python_name = "truediv" if is_div else op.name
    operator.__name__ = f"__{'r' if reverse else ''}{python_name}__"
    operator.__qualname__ = f"Tensor.{operator.__name__}"
    return operator


def _inplace_operator(name: str, ufunc: np.ufunc, compute: Callable[..., Tensor]
                      ) -> Callable[..., Tensor]:  # fmt: skip
    """The method `self ⊗= other` (`sub_` for -=, ...): numpy's `ufunc` straight into self's memory
    when that is all there is to do, else `Tensor._inplace(name, compute, other)`."""

    def operator(self: Tensor, other: Any) -> Tensor:
        # Nothing to record and nothing to check (the update `w -= lr * w.grad` under no_grad, at
        # every training step; or tensors that need no gradient and are no view): numpy can write
        # the result into self's memory and get exactly what the general path would, for a float
        # self, and other a number (in self's dtype, as _operand makes it) or a tensor of self's
        # dtype with self's shape or none (0-d).
        other_is_tensor = isinstance(other, Tensor)
        if _GradMode.recorder is None and (not _GradMode.enabled or not (
                self._requires_grad or self._base is not None
                or (other_is_tensor and other._requires_grad))):  # fmt: skip
            data = self.data
            operand = None
            if data.dtype.kind == "f":
                if other_is_tensor:
                    o = other.data
                    if o.dtype == data.dtype and (o.shape == data.shape or not o.ndim):
                        operand = o
                elif type(other) in (int, float):
                    operand = np.asarray(other, data.dtype)
            if operand is not None:
                try:
                    ufunc(data, operand, data)  # out=data
                except ValueError:  # read-only memory (an expand()ed view): the general path says
                    pass
                else:
                    self._version_counter[0] += 1
                    return self
        return self._inplace(name, compute, other)

    operator.__name__ = name
    operator.__qualname__ = f"Tensor.{name}"
    return operator


# ---------------------------------------------------------------------------------------------
# The Tensor
# ---------------------------------------------------------------------------------------------


class Tensor:
    """An n-dimensional array of numbers that records the operations made with it.

    `Tensor(data, dtype=None, requires_grad=False, name=None)` copies `data` (numbers, nested lists,
    a numpy array or a Tensor). Python floats become float32, Python ints int64; numpy arrays keep
    their dtype. Set `requires_grad=True` on the tensors you want gradients for (the parameters);
    after `loss.backward()` their `.grad` holds dL/d(tensor).
    """

    __slots__ = ("data", "_grad", "_requires_grad", "grad_fn", "name", "_version_counter", "_base",
                 "_retains_grad", "_hooks", "__weakref__")  # fmt: skip

    # numpy must hand `ndarray ⊗ Tensor` to our reflected operators, not loop over our elements
    # and build an object array.
    __array_ufunc__ = None

    def __init__(self, data: Any, dtype: Any = None, requires_grad: bool = False,
                 name: str | None = None) -> None:  # fmt: skip
        self.data = _to_array(data, dtype)
        self._grad = None
        self._requires_grad = False
        self.grad_fn = None
        self.name = name
        self._version_counter = [0, None]
        self._base = None
        self._retains_grad = False
        self._hooks = None
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _make(data: np.ndarray, requires_grad: bool, grad_fn: Function | None) -> Tensor:
        """Wrap an ndarray without copying or checking (for the package's own use)."""
        t = Tensor.__new__(Tensor)
        t.data = data if type(data) is np.ndarray else np.asarray(data)
        t._requires_grad, t.grad_fn = requires_grad, grad_fn
        t._grad = t.name = t._base = t._hooks = None
        t._version_counter, t._retains_grad = [0, None], False
        return t

    # --- autograd state -----------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded so that gradients can flow to it."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. To use a value "
                    "without its graph, take .detach()"
                )
            return
        if value and not is_floating(self.data.dtype):
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients (this one is "
                f"{self.data.dtype}); make it with dtype=float32, or call .float() first"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set `requires_grad` in place and return self."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not made by a recorded op: the ones `.grad` is filled for."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """dL/d(self) after `backward()`, for leaves that require grad (None before)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during backward(). If you indeed want the "
                "gradient of a non-leaf Tensor, call .retain_grad() on it before backward().",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor or None, not "
                                f"{type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has shape {_fmt(value.shape)}, but the tensor "
                                   f"has shape {_fmt(self.shape)}")
        self._grad = value

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (PyTorch's `_version`)."""
        return self._version_counter[0]

    def _accumulate_grad(self, g: np.ndarray, run_leaf_hooks: bool = True) -> None:
        # Called by the engine for a leaf. Gradients from several backward() calls add up, as in
        # PyTorch; the first one is copied, so that no array the engine may hand to another input
        # is ever changed by a later accumulation.
        if run_leaf_hooks and self._hooks:
            g = run_hooks(self._hooks, g, lambda a: Tensor._make(a, False, None))
        if g.shape != self.data.shape:
            raise RuntimeError(f"internal error: gradient of shape {_fmt(g.shape)} for a leaf of "
                               f"shape {_fmt(self.data.shape)}")
        if self._grad is None:
            g = g.copy() if g.dtype == self.data.dtype else g.astype(self.data.dtype)
            self._grad = Tensor._make(g, False, None)
        else:
            np.add(self._grad.data, g, out=self._grad.data, casting="unsafe")
            self._grad._version_counter[0] += 1

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding it into `leaf.grad`.

        `gradient` is dL/d(self); it may be omitted only when self holds one element (then it is
        1). The graph's saved arrays are freed afterwards unless `retain_graph=True`.
        """
        if not self._requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn: nothing "
                "that led to this tensor has requires_grad=True (or it was computed under no_grad)"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs; this tensor has "
                    f"shape {_fmt(self.shape)}. Reduce it first (.sum() or .mean()), or pass "
                    "backward(gradient=...) with a tensor of that shape"
                )
            # dL/dL = 1. (The engine never writes into a gradient it is handed, so the shared
            # read-only 1 of `_constant` serves for the usual 0-d loss.)
            if self.data.ndim == 0:
                g = _constant(1.0, self.data.dtype).data
            else:
                g = np.ones(self.data.shape, self.data.dtype)
        else:
            g = _to_array(gradient, self.data.dtype, where="backward()")
            if g.shape != self.data.shape:
                raise RuntimeError(f"Mismatch in shape: gradient has a shape of {_fmt(g.shape)} "
                                   f"and the tensor has a shape of {_fmt(self.shape)}")
        if self.grad_fn is None:
            self._accumulate_grad(g)
        else:
            run_backward(self.grad_fn, g, retain_graph)

    def retain_grad(self) -> None:
        """Keep `.grad` for this non-leaf tensor too during the next backward()."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False: no "
                               "gradient will ever be computed for it")
        if self.grad_fn is None:
            return
        self._retains_grad = True
        _GradMode.retain_grad_calls += 1

    def register_hook(self, hook: Any) -> RemovableHandle:
        """Call `hook(grad)` each time the gradient of this tensor is computed.

        The hook sees dL/d(self) as a Tensor and may return a replacement (same shape) that is used
        from then on: for a leaf, what is added into `.grad`; for a non-leaf, what flows further
        back. Returns a handle whose `remove()` unregisters it.
        """
        if not callable(hook):
            raise TypeError(f"register_hook() expects a callable, got {type(hook).__name__}")
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            if self.grad_fn.hooks is None:
                self.grad_fn.hooks = []
                _GradMode.node_hook_calls += 1
            hooks = self.grad_fn.hooks
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def detach(self) -> Tensor:
        """The same values (shared memory) as a new leaf that records nothing."""
        out = Tensor._make(self.data, False, None)
        _share_memory(self, out)
        out._base = self._base if self._base is not None else self
        return out

    def detach_(self) -> Tensor:
        """Cut this tensor from its graph in place: it becomes a leaf that requires no grad."""
        self.grad_fn, self._requires_grad = None, False
        return self

    # --- describing ---------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """The size of each dimension, as a tuple of ints."""
        return self.data.shape

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the size of one dimension."""
        if dim is None:
            return self.data.shape
        return self.data.shape[_dim(dim, self.ndim, "size")]

    @property
    def dtype(self) -> np.dtype:
        """The element type: a numpy dtype (`np.dtype('float32')` by default for floats)."""
        return self.data.dtype

    @property
    def device(self) -> device:
        """Always the CPU: `device(type='cpu')`."""
        return CPU

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    def dim(self) -> int:
        """The number of dimensions (as `ndim`)."""
        return self.data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def item(self) -> Number:
        """The single value as a Python number."""
        if self.data.size != 1:
            raise RuntimeError(f"a Tensor with {self.data.size} elements cannot be converted to "
                               f"Scalar (item() needs exactly one; shape is {_fmt(self.shape)})")
        return self.data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers."""
        return self.data.tolist()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __repr__(self) -> str:
        return _format_tensor(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        # IPython and Jupyter show a tensor as its repr(), text and nothing else: the values are
        # the point, and a picture or an HTML table would hide them. Given line by line so that
        # a tensor inside a list or dict is indented under its bracket, as IPython does for any
        # multi-line repr. (A tensor holds no other objects, so `cycle` cannot happen.)
        lines = repr(self).splitlines()
        with p.group():
            for k, line in enumerate(lines):
                if k:
                    p.break_()
                p.text(line)

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self.data.size} values is ambiguous")
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.data.dtype.kind not in "iub" or self.data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.data.item())

    __hash__ = object.__hash__  # == is elementwise, so identity is the hash (as in PyTorch)

    def __iter__(self) -> Iterator[Tensor]:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    # --- elementwise arithmetic ---------------------------------------------------------------

    def _cast(self, dtype: np.dtype) -> Tensor:
        return self if self.data.dtype == dtype else _apply(ops.Cast, self, dtype=dtype)

    # +, -, *, / (and number ⊗ tensor): one shared body, made per operator above.
    __add__, __radd__ = _binary_operator(ops.Add), _binary_operator(ops.Add, reverse=True)
    __sub__, __rsub__ = _binary_operator(ops.Sub), _binary_operator(ops.Sub, reverse=True)
    __mul__, __rmul__ = _binary_operator(ops.Mul), _binary_operator(ops.Mul, reverse=True)
    __truediv__ = _binary_operator(ops.Div)
    __rtruediv__ = _binary_operator(ops.Div, reverse=True)

    def add(self, other: Any, alpha: Number = 1) -> Tensor:
        """self + alpha * other (numbers and tensors broadcast)."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, alpha: Number = 1) -> Tensor:
        """self - alpha * other (numbers and tensors broadcast)."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> Tensor:
        """self * other, elementwise (numbers and tensors broadcast)."""
        return self * other

    def div(self, other: Any) -> Tensor:
        """self / other, elementwise true division (integers give float32)."""
        return self / other

    def __neg__(self) -> Tensor:
        return self.neg()

    def neg(self) -> Tensor:
        """-self."""
        if self.data.dtype.kind == "b":
            raise RuntimeError("neg: Negation, the `-` operator, on a bool tensor is not "
                               "supported. To invert a mask, use mask == False, or .long() first")
        return _apply(ops.Neg, self)

    def __pos__(self) -> Tensor:
        return self

    def pow(self, exponent: Number) -> Tensor:
        """self ** exponent, for a number exponent."""
        if isinstance(exponent, Tensor):
            raise TypeError("pow(): the exponent must be a number, not a Tensor (a tensor exponent "
                            "would need log(self), undefined for self <= 0)")
        if type(exponent) in (int, float) and self.data.dtype.kind == "f":
            return _apply(ops.Pow, self, exponent=exponent)  # the common case: no cast, no check
        _check_number(exponent, "pow", "exponent")
        x = self._cast(promote_scalar(self.data.dtype, exponent))
        if x.data.dtype.kind in "iu" and exponent < 0:
            raise RuntimeError(f"pow(): integers to negative integer powers are not allowed "
                               f"({x.data.dtype} tensor ** {exponent}); use .float() first")
        return _apply(ops.Pow, x, exponent=exponent)

    __pow__ = pow

    def __rpow__(self, base: Any) -> Tensor:
        raise TypeError("number ** Tensor is not supported: the exponent must be a number; "
                        "write exp(x * log(base)) for base ** x")

    def _float_unary(self, op: type[Function]) -> Tensor:
        # exp, log, ... of an integer tensor compute in float32, as in PyTorch.
        x = self if self.data.dtype.kind == "f" else self._cast(np.dtype(np.float32))
        return _apply(op, x)

    def exp(self) -> Tensor:
        """e to the power of each element."""
        return self._float_unary(ops.Exp)

    def log(self) -> Tensor:
        """The natural logarithm of each element."""
        return self._float_unary(ops.Log)

    def sqrt(self) -> Tensor:
        """The square root of each element."""
        return self._float_unary(ops.Sqrt)

    def tanh(self) -> Tensor:
        """The hyperbolic tangent of each element."""
        return self._float_unary(ops.Tanh)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e⁻ˣ) of each element."""
        return self._float_unary(ops.Sigmoid)

    def relu(self) -> Tensor:
        """max(x, 0) of each element."""
        return _apply(ops.Relu, self)

    def abs(self) -> Tensor:
        """|x| of each element; its gradient is sign(x), 0 at x = 0 (as in PyTorch)."""
        if self.data.dtype.kind == "b":
            raise NotImplementedError("abs(): not implemented for bool tensors; call .long() first")
        return _apply(ops.Abs, self)

    def __abs__(self) -> Tensor:
        return self.abs()

    def clamp(self, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        """Each element limited to [min, max]; either bound may be None.

        The gradient passes where min <= x <= max, bounds included, as in PyTorch. With
        min > max, every element becomes max."""
        if min is None and max is None:
            raise RuntimeError("clamp(): At least one of 'min' or 'max' must not be None")
        x = self
        for arg, bound in (("min", min), ("max", max)):
            if bound is None:
                continue
            if isinstance(bound, Tensor):
                raise TypeError(f"clamp(): argument '{arg}' must be a number, not a Tensor "
                                "(tensor bounds are not supported; use .item() for a constant)")
            _check_number(bound, "clamp", arg)
            x = x._cast(promote_scalar(x.data.dtype, bound))  # int tensor, float bound: float
        return _apply(ops.Clamp, x, min=min, max=max)

    def clip(self, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        """Another name for `clamp`."""
        return self.clamp(min, max)

    # --- comparisons (not differentiable: they give bool tensors) -----------------------------

    def _compare(self, other: Any, fn: Any, name: str) -> Tensor:
        b = _operand(other, self, name)
        _broadcast_shape(self.data.shape, b.data.shape, name)
        return Tensor._make(fn(self.data, b.data), False, None)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less, "lt")

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal, "le")

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater, "gt")

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal, "ge")

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal, "eq")

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal, "ne")

    # --- linear algebra -----------------------------------------------------------------------

    def mm(self, mat2: Tensor) -> Tensor:
        """Matrix product of two 2-D tensors: (n, k) @ (k, m) -> (n, m)."""
        if type(mat2) is not Tensor:
            mat2 = _tensor_arg(mat2, "mm", "mat2")
        a, b = self.data, mat2.data
        if a.ndim != 2 or b.ndim != 2:
            which, t = ("self", self) if a.ndim != 2 else ("mat2", mat2)
            raise RuntimeError(f"mm(): {which} must be a matrix (2-D), but got a tensor of "
                               f"shape {_fmt(t.shape)}")
        (n, k), (k2, m) = a.shape, b.shape
        if k != k2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
        if a.dtype == b.dtype:
            return _apply(ops.MM, self, mat2)
        return _apply(ops.MM, *_same_dtype(self, mat2))

    def matmul(self, other: Tensor) -> Tensor:
        """numpy's matmul: vectors, matrices, and stacks of matrices (batch dims broadcast)."""
        other = _tensor_arg(other, "matmul", "other")
        sa, sb = self.shape, other.shape
        if not sa or not sb:
            raise RuntimeError(f"matmul(): both arguments need to be at least 1-D, but they are "
                               f"{len(sa)}-D and {len(sb)}-D")
        k1 = sa[-1]
        k2 = sb[0] if len(sb) == 1 else sb[-2]
        if k1 != k2:
            raise RuntimeError(f"matmul(): shapes {_fmt(sa)} and {_fmt(sb)} cannot be multiplied "
                               f"({k1} columns on the left, {k2} rows on the right)")
        if len(sa) > 2 or len(sb) > 2:
            _broadcast_shape(sa[:-2], sb[:-2] if len(sb) > 1 else (),
                             f"matmul() of shapes {_fmt(sa)} and {_fmt(sb)}, batch dimensions")
        a, b = _same_dtype(self, other)
        return _apply(ops.MatMul, a, b)

    def __matmul__(self, other: Tensor) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _tensor_arg(other, "matmul", "self").matmul(self)

    # --- shape --------------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape; one size may be -1 (inferred)."""
        return _apply(ops.Reshape, self, shape=self._infer_shape(shape, "reshape"))

    def view(self, *shape: Any) -> Tensor:
        """As `reshape` (arrays here are never non-contiguous in a way that matters)."""
        return _apply(ops.View, self, shape=self._infer_shape(shape, "view"))

    def _infer_shape(self, shape: tuple[Any, ...], op: str) -> tuple[int, ...]:
        shape = _shape_args(shape, op)
        size = self.data.size
        if shape.count(-1) > 1:
            raise RuntimeError(f"{op}(): only one dimension can be inferred (-1): {list(shape)}")
        if any(s < -1 for s in shape):
            raise RuntimeError(f"{op}(): invalid shape dimension in {list(shape)}")
        known = int(np.prod([s for s in shape if s != -1]))
        if -1 in shape:
            if known == 0 or size % known:
                raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
            shape = tuple(size // known if s == -1 else s for s in shape)
        elif known != size:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        return shape

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Drop dimensions of size 1 (all of them, or `dim` if it has size 1)."""
        if dim is None:
            shape = tuple(s for s in self.shape if s != 1)
        else:
            d = _dim(dim, self.ndim, "squeeze")
            shape = self.shape if self.ndim == 0 or self.shape[d] != 1 else (
                self.shape[:d] + self.shape[d + 1:])  # fmt: skip
        return _apply(ops.Squeeze, self, shape=shape)

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at `dim`."""
        d = _dim(dim, self.ndim + 1, "unsqueeze")
        return _apply(ops.Unsqueeze, self, shape=self.shape[:d] + (1,) + self.shape[d:])

    def expand(self, *sizes: Any) -> Tensor:
        """A view with size-1 dimensions repeated (no copy); -1 keeps a dimension's size."""
        return self._expand(_shape_args(sizes, "expand"))

    def _expand(self, sizes: tuple[int, ...]) -> Tensor:
        shape = self.data.shape
        if len(sizes) < len(shape):
            raise RuntimeError(
                f"expand(): the number of sizes provided ({len(sizes)}) must be greater or equal "
                f"to the number of dimensions in the tensor ({len(shape)}); tensor shape "
                f"{_fmt(shape)}, sizes {list(sizes)}"
            )
        lead = len(sizes) - len(shape)
        target = []
        for i, s in enumerate(sizes):
            if i < lead:
                if s < 0:
                    raise RuntimeError(f"expand(): the expanded size of the tensor ({s}) isn't "
                                       f"allowed in a leading, non-existing dimension {i}")
                target.append(s)
                continue
            old = shape[i - lead]
            if s == -1:
                s = old
            if old != s and old != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) must match the existing size ({old}) "
                    f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                    f"Tensor sizes: {list(shape)}"
                )
            target.append(s)
        target_t = tuple(target)
        if target_t == shape:
            return self
        return _apply(ops.Expand, self, shape=target_t)

    def expand_as(self, other: Tensor) -> Tensor:
        """`expand` to other's shape."""
        # other's shape is a tuple of ints already: no argument parsing needed
        if type(other) is not Tensor:
            other = _tensor_arg(other, "expand_as", "other")
        return self._expand(other.data.shape)

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dimensions: result dim i is self's dim dims[i]."""
        dims = _shape_args(dims, "permute")
        if len(dims) != self.ndim:
            raise RuntimeError(f"permute(): number of dims don't match: the tensor has {self.ndim} "
                               f"dimensions (shape {_fmt(self.shape)}) but {len(dims)} were given")
        norm = _dims(dims, self.ndim, "permute")
        return _apply(ops.Permute, self, dims=norm)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions."""
        d0, d1 = _dim(dim0, self.ndim, "transpose"), _dim(dim1, self.ndim, "transpose")
        if self.ndim < 2:
            return _apply(ops.Transpose, self, dims=tuple(range(self.ndim)))
        dims = list(range(self.ndim))
        dims[d0], dims[d1] = dims[d1], dims[d0]
        return _apply(ops.Transpose, self, dims=tuple(dims))

    def t(self) -> Tensor:
        """Transpose a tensor of at most 2 dimensions (vectors and scalars are returned as is)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.ndim}-D (shape {_fmt(self.shape)}); use transpose(d0, d1)")
        return self.transpose(0, 1) if self.ndim == 2 else self.transpose(0, 0)

    @property
    def T(self) -> Tensor:
        """All dimensions reversed (for a matrix, its transpose)."""
        return self.permute(*reversed(range(self.ndim)))

    def __getitem__(self, key: Any) -> Tensor:
        key = _index_key(key)
        try:
            self.data[key]  # let numpy validate the key; Index.forward repeats it cheaply
        except (IndexError, TypeError, ValueError) as e:
            raise IndexError(f"index {key!r} is invalid for a tensor of shape {_fmt(self.shape)}: "
                             f"{e}") from None
        return _apply(ops.Index, self, key=key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._check_inplace("__setitem__", value)
        if _GradMode.enabled and (self._requires_grad or getattr(value, "_requires_grad", False)):
            raise RuntimeError("assigning into part of a tensor while recording gradients is not "
                               "supported; build the tensor from pieces, or assign under no_grad()")
        val = value.data if isinstance(value, Tensor) else _to_array(value, where="__setitem__")
        self.data[_index_key(key)] = val
        self._version_counter[0] += 1

    # --- reductions ---------------------------------------------------------------------------

    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Sum over `dim` (an int, a tuple of ints, or None for all)."""
        if dim is None and keepdim is False:  # the loss's `.sum()`: nothing to check
            return _apply(ops.Sum, self, dims=tuple(range(self.data.ndim)), keepdim=False)
        return _apply(ops.Sum, self, dims=_dims(dim, self.ndim, "sum"),
                      keepdim=_flag(keepdim, "sum", "keepdim"))

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Mean over `dim` (an int, a tuple of ints, or None for all). Floating tensors only."""
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be a floating point "
                f"dtype, got {self.data.dtype}; call .float() first"
            )
        return _apply(ops.Mean, self, dims=_dims(dim, self.ndim, "mean"),
                      keepdim=_flag(keepdim, "mean", "keepdim"))

    def _extreme(self, op: type[Function], dim: Any, keepdim: bool) -> Any:
        name = op.name
        keepdim = _flag(keepdim, name, "keepdim")
        if dim is None:
            if keepdim:
                raise TypeError(f"{name}(): keepdim=True needs a dim; {name}() without a dim "
                                f"gives a 0-d tensor")
            if self.data.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                   f"input.numel() == 0. Specify the reduction dim with the "
                                   f"'dim' argument (shape {_fmt(self.shape)})")
            return _apply(op, self, dim=None, keepdim=False)
        d = _dim(dim, self.ndim, name)
        if self.ndim and self.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size "
                             f"(shape {_fmt(self.shape)})")
        values = _apply(op, self, dim=d, keepdim=keepdim)
        indices = self._arg_extreme(op.arg_pick, name, d, keepdim)
        return (MaxResult if op is ops.Max else MinResult)(values, indices)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest element (0-d), or `(values, indices)` of the largest along an int `dim`.

        Along a dim, `indices` is int64 and gives the first of equal maxima. Gradient: with
        `dim`, to the element at `indices`; without, split evenly among all the elements equal
        to the maximum (PyTorch's rule for ties).
        """
        return self._extreme(ops.Max, dim, keepdim)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest element (0-d), or `(values, indices)` of the smallest along an int `dim`.

        Indices and gradients as for `max`."""
        return self._extreme(ops.Min, dim, keepdim)

    def _arg_extreme(self, arg_pick: Any, name: str, dim: int | None, keepdim: bool) -> Tensor:
        # The position of the first extreme element, a nan counting as the extreme (numpy and
        # PyTorch agree); int64 and never differentiable: an index has no gradient.
        data = self.data
        if data.ndim == 0:
            idx = np.zeros((), np.int64)
        elif dim is None:
            idx = np.asarray(arg_pick(data), np.int64)
            if keepdim:
                idx = idx.reshape((1,) * data.ndim)
        else:
            idx = arg_pick(data, axis=dim, keepdims=keepdim).astype(np.int64, copy=False)
        return Tensor._make(idx, False, None)

    def _arg(self, name: str, arg_pick: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = _flag(keepdim, name, "keepdim")
        if self.data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input; call .long() first")
        if dim is None:
            if self.data.size == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 f"input.numel() == 0 (shape {_fmt(self.shape)})")
            return self._arg_extreme(arg_pick, name, None, keepdim)
        d = _dim(dim, self.ndim, name)
        if self.ndim and self.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size "
                             f"(shape {_fmt(self.shape)})")
        return self._arg_extreme(arg_pick, name, d, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the largest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable."""
        return self._arg("argmax", np.argmax, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the smallest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable."""
        return self._arg("argmin", np.argmin, dim, keepdim)

    def _logical_reduce(self, name: str, reduce: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = _flag(keepdim, name, "keepdim")
        axes = None if dim is None else _dims(dim, self.ndim, name)
        out = np.asarray(reduce(self.data, axis=axes, keepdims=keepdim))
        # bool, as in PyTorch, except that a uint8 tensor gives uint8 (also as in PyTorch).
        return Tensor._make(out.astype(self.data.dtype if self.data.dtype == np.uint8 else bool),
                            False, None)  # fmt: skip

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether every element is nonzero (over all, or over `dim`): bool, not differentiable."""
        return self._logical_reduce("all", np.all, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether some element is nonzero (over all, or over `dim`): bool, not differentiable."""
        return self._logical_reduce("any", np.any, dim, keepdim)

    # --- dtype, device, copies ----------------------------------------------------------------

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """`to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other)`; self if unchanged."""
        dtype = kwargs.pop("dtype", None)
        dev = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        kwargs.pop("copy", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, device) or (isinstance(a, str) and a.split(":")[0] in (
                    "cpu", "cuda", "mps", "xpu", "meta")):  # fmt: skip
                dev = a
            else:
                dtype = a
        if dev is not None:
            device(dev)  # validates: raises for anything but the CPU
        if dtype is None:
            return self
        try:
            dt = to_dtype(dtype)
        except TypeError as e:
            raise TypeError(f"to(): {e}") from None
        return self._cast(dt)

    def cpu(self) -> Tensor:
        """self: tensors always live on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Raises: there is no GPU backend (see `device`)."""
        device("cuda")  # raises the clear "no GPU backend" error
        return self

    def float(self) -> Tensor:
        """A float32 copy (self if already float32); gradients flow back through the cast."""
        return self._cast(np.dtype(np.float32))

    def double(self) -> Tensor:
        """A float64 copy (self if already float64); gradients flow back through the cast."""
        return self._cast(np.dtype(np.float64))

    def half(self) -> Tensor:
        """A float16 copy (self if already float16); gradients flow back through the cast."""
        return self._cast(np.dtype(np.float16))

    def long(self) -> Tensor:
        """An int64 copy (self if already int64)."""
        return self._cast(np.dtype(np.int64))

    def int(self) -> Tensor:
        """An int32 copy (self if already int32)."""
        return self._cast(np.dtype(np.int32))

    def bool(self) -> Tensor:
        """A bool copy (self if already bool)."""
        return self._cast(np.dtype(np.bool_))

    def type(self, dtype: Any = None) -> Any:
        """The dtype's name with no argument; with a dtype, a copy cast to it."""
        return str(self.dtype) if dtype is None else self._cast(to_dtype(dtype))

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow through it to self."""
        return _apply(ops.Clone, self)

    def contiguous(self) -> Tensor:
        """self: numpy handles memory layout, so there is nothing to do."""
        return self

    # --- in-place operations ------------------------------------------------------------------

    def _check_inplace(self, op: str, other: Any = None) -> None:
        if _GradMode.recorder is not None:
            raise RuntimeError(f"{op}: a step recorded by jit.TrainStep cannot change tensors in "
                               "place (a replay would not repeat the change); compute out of place")
        if not _GradMode.enabled:
            return
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation "
                f"({op}). Update parameters inside `with tinygrad_lr.no_grad():`"
            )
        base = self._base
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError(f"a view of a leaf Variable that requires grad is being used in an "
                               f"in-place operation ({op})")

    def _inplace(self, op: str, compute: Any, other: Any = None) -> Tensor:
        """Replace self's values by compute(self, other), keeping self's memory and identity.

        While recording, the graph gets the op as a node whose input is self *before* the change,
        and self's grad_fn moves to that node, as in PyTorch. (The arithmetic ones, +=, -=, *=
        and /=, first try a short path: see _inplace_operator.)
        """
        other_rg = isinstance(other, Tensor) and other._requires_grad
        recording = _GradMode.enabled and (self._requires_grad or other_rg)
        self._check_inplace(op, other)
        if recording:
            if _shares_memory_with_a_live_tensor(self):
                raise RuntimeError(
                    f"{op}: in-place change of a tensor that shares memory with another live "
                    "tensor (a view, an expand, a detach) while recording gradients is not "
                    "supported: the other tensor's gradient would be wrong. Use the out-of-place "
                    "form (x = x + y instead of x += y), or .clone() first"
                )
            # The old value keeps its place in the graph, in memory of its own (the write below
            # must not change what an op like mul_ saved for its backward).
            before = Tensor._make(self.data.copy(), self._requires_grad, self.grad_fn)
            result = compute(before, other)
        else:
            with no_grad():
                result = compute(self, other)
        if result.shape != self.shape:
            raise RuntimeError(f"{op}: output with shape {_fmt(self.shape)} doesn't match the "
                               f"broadcast shape {_fmt(result.shape)}")
        if not np.can_cast(result.dtype, self.dtype, casting="same_kind"):
            raise RuntimeError(f"{op}: result type {result.dtype} can't be cast to the desired "
                               f"output type {self.dtype}")
        try:
            np.copyto(self.data, result.data, casting="same_kind")
        except ValueError:
            raise RuntimeError(
                f"{op}: unsupported operation: more than one element of the written-to tensor "
                "refers to a single memory location (it is an expand()ed view). Call .clone() "
                "before the in-place operation."
            ) from None
        self._version_counter[0] += 1
        if recording:
            if self.grad_fn is not None:
                # The old node produced the value before the change, not self as it is now: point
                # it at `before`, or a retained grad would be filled by both nodes.
                self.grad_fn._output = weakref.ref(before)
            self.grad_fn, self._requires_grad = result.grad_fn, True
            self.grad_fn._output = weakref.ref(self)
        return self

    # x += y is x.add_(y), and so on.
    __iadd__ = _inplace_operator("add_", np.add, add)
    __isub__ = _inplace_operator("sub_", np.subtract, sub)
    __imul__ = _inplace_operator("mul_", np.multiply, mul)
    __itruediv__ = _inplace_operator("div_", np.true_divide, div)

    def add_(self, other: Any, alpha: Number = 1) -> Tensor:
        """In place: self += alpha * other; returns self."""
        if alpha == 1:
            return self.__iadd__(other)
        return self._inplace("add_", lambda s, o: s.add(o, alpha=alpha), other)

    def sub_(self, other: Any, alpha: Number = 1) -> Tensor:
        """In place: self -= alpha * other; returns self."""
        if alpha == 1:
            return self.__isub__(other)
        return self._inplace("sub_", lambda s, o: s.sub(o, alpha=alpha), other)

    def mul_(self, other: Any) -> Tensor:
        """In place: self *= other; returns self."""
        return self.__imul__(other)

    def div_(self, other: Any) -> Tensor:
        """In place: self /= other; returns self."""
        return self.__itruediv__(other)

    def fill_(self, value: Number) -> Tensor:
        """In place: set every element to `value`; returns self."""
        if isinstance(value, Tensor):
            value = value.item()
        _check_number(value, "fill_", "value")
        return self._inplace("fill_", lambda s, _: _apply(ops.Fill, s, value=value))

    def zero_(self) -> Tensor:
        """In place: set every element to 0; returns self."""
        return self._inplace("zero_", lambda s, _: _apply(ops.Fill, s, value=0))

    def copy_(self, src: Any) -> Tensor:
        """Write src's values (broadcast to self's shape, cast to self's dtype) into self."""
        src = _operand(src, self, "copy_")

        def compute(s: Tensor, o: Tensor) -> Tensor:
            o = o.expand(s.shape)._cast(s.dtype)
            return _apply(ops.Copy, s, o)

        return self._inplace("copy_", compute, src)



class MaxResult(NamedTuple):
    """What `max(dim)` returns, as PyTorch's `torch.return_types.max`: `values`, `indices`.

    The values are differentiable; the indices are int64."""

    values: Tensor
    indices: Tensor


class MinResult(NamedTuple):
    """What `min(dim)` returns, as PyTorch's `torch.return_types.min`: `values` and `indices`."""

    values: Tensor
    indices: Tensor


# ---------------------------------------------------------------------------------------------
# Argument helpers that need the Tensor class
# ---------------------------------------------------------------------------------------------


def _operand(other: Any, like: Tensor, op: str) -> Tensor:
    """The other operand of a binary op as a Tensor; numbers and arrays become constants."""
    if isinstance(other, Tensor):
        return other
    if isinstance(other, _NUMBER_TYPES) and not isinstance(other, complex):
        dt = promote_scalar(like.data.dtype, other)
        try:
            return Tensor._make(np.asarray(other, dtype=dt), False, None)
        except OverflowError:
            raise OverflowError(f"{op}(): the number {other} does not fit in the tensor's dtype "
                                f"{dt}; convert the tensor first (.double())") from None
    if isinstance(other, np.ndarray) and other.dtype.kind in "biuf":
        return Tensor._make(other, False, None)
    raise TypeError(f"{op}(): argument 'other' must be a Tensor or a number, not "
                    f"{type(other).__name__}" + (f" (dtype {other.dtype})"
                                                  if isinstance(other, np.ndarray) else ""))


def _tensor_arg(value: Any, op: str, arg: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return Tensor._make(value, False, None)
    raise TypeError(f"{op}(): argument '{arg}' must be a Tensor, not {type(value).__name__}")


def _same_dtype(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    if a.data.dtype == b.data.dtype:
        return a, b
    dt = promote(a.data.dtype, a.data.ndim, b.data.dtype, b.data.ndim)
    return a._cast(dt), b._cast(dt)


def _index_key(key: Any) -> Any:
    # Tensors inside an index become their arrays; integer or bool tensors only.
    if isinstance(key, Tensor):
        if key.data.dtype.kind not in "iub":
            raise IndexError(f"tensors used as indices must be integer or bool tensors, "
                             f"got {key.data.dtype}")
        return key.data
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    return key


# ---------------------------------------------------------------------------------------------
# repr, in PyTorch's style: tensor([[2.0361]], requires_grad=True)
# ---------------------------------------------------------------------------------------------

_DEFAULT_DTYPES = (np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.bool_))


def _format_tensor(t: Tensor) -> str:
    arr = t.data
    body = _format_array(arr)
    extras = []
    if arr.size == 0 and arr.ndim != 1:
        extras.append(f"size={_fmt(arr.shape)}")
    if arr.dtype not in _DEFAULT_DTYPES:
        extras.append(f"dtype={arr.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{type(t.grad_fn).__name__}Backward>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    if t.name:
        extras.append(f"name={t.name!r}")
    return "tensor(" + body + "".join(", " + e for e in extras) + ")"


def _format_array(arr: np.ndarray) -> str:
    if arr.dtype.kind != "f":
        fmt = None
    else:
        finite = arr[np.isfinite(arr)]
        nonzero = np.abs(finite[finite != 0])
        big = float(nonzero.max()) if nonzero.size else 0.0
        small = float(nonzero.min()) if nonzero.size else 1.0
        # PyTorch's rule: scientific notation when the values span more than three decades or
        # one exceeds 1e8, or (for non-integral values) one is below 1e-4.
        wide = big > 1e8 or big > 1000 * small
        if np.all(finite == np.round(finite)) and not wide:
            def fmt(v: float) -> str:  # integral floats print as "2."
                return _special(v) or f"{v:.0f}."
        elif wide or small < 1e-4:
            def fmt(v: float) -> str:
                return _special(v) or f"{v:.4e}"
        else:
            def fmt(v: float) -> str:
                return _special(v) or f"{v:.4f}"
    if fmt is None:
        return np.array2string(arr, separator=", ", prefix="tensor(", threshold=1000, edgeitems=3)
    # The column width comes from the nonzero finite values only (as in PyTorch): a nan or -0.
    # among integral values does not widen the others.
    shown = arr[np.isfinite(arr) & (arr != 0)]
    width = max((len(fmt(float(v))) for v in shown), default=1) if arr.size <= 1000 else 10
    return np.array2string(
        arr, separator=", ", prefix="tensor(", threshold=1000, edgeitems=3,
        formatter={"float_kind": lambda v: fmt(float(v)).rjust(width)},
    )  # fmt: skip


def _special(v: float) -> str | None:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None
