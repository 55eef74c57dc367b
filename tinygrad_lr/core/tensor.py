"""`Tensor`: a numpy array that remembers how it was computed.

PyTorch's data model. A Tensor holds its array privately (`_data`); `x.data` is another Tensor on
the same memory that records nothing, `x.numpy()` the array itself. A tensor made by a recorded op
has a `grad_fn`: the node of the graph that made it (engine.py). A leaf (made by the user) that
has `requires_grad=True` receives `.grad` from `backward()`.

This file holds what every tensor is: construction, the autograd state, and the one path of
every in-place change. How a tensor describes and converts itself (shape, dtype, strides, item,
printing, `to`) is in conversion.py. The operations come in from more mixins, each of which
checks its arguments and calls the ops of the op table (ops/): arithmetic.py (operators,
matmul, atan2, ...), comparison.py (== < ..., logical_and, & | ~), pointwise.py (exp, tanh,
clamp, ...), inplace.py (exp_, pow_, lerp_, ...), shaping.py (reshape, expand, indexing, ...),
reductions.py (sum, mean, max, cumprod, ...), statistics.py (median, quantile), selection.py
(gather, sort, topk, masked_fill, ...), scattering.py (scatter, scatter_add, index_add, ...),
matrices.py (tril, triu, diag, trace), linear_algebra.py
(inverse, det, slogdet, logdet) and sampling.py (uniform_, bernoulli, multinomial).
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import (
    args,
    arithmetic,
    comparison,
    conversion,
    engine,
    inplace,
    linear_algebra,
    matrices,
    ops,
    pointwise,
    reductions,
    sampling,
    scattering,
    selection,
    shaping,
    statistics,
)
from .args import broadcast_shape, fmt, to_array
from .arithmetic import Arithmetic
from .comparison import Comparison
from .conversion import Conversion
from .engine import RemovableHandle, RetainGrad, _Mode, no_grad, run_backward
from .inplace import InPlace
from .linear_algebra import LinearAlgebra
from .matrices import Matrices
from .pointwise import Pointwise
from .reductions import Reductions
from .sampling import Sampling
from .scattering import Scattering
from .selection import Selection
from .shaping import Shaping
from .statistics import Statistics


class Tensor(Conversion, Arithmetic, Comparison, Pointwise, InPlace, Shaping, Reductions,
             Statistics, Selection, Scattering, Matrices, LinearAlgebra, Sampling):
    """An n-dimensional array of numbers that records the operations made with it.

    `Tensor(data, dtype=None, requires_grad=False, name=None)` copies `data` (numbers, nested
    lists, a numpy array or a Tensor); `tinygrad_lr.tensor(...)` is the usual spelling. Python
    floats become float32, Python ints int64; numpy arrays keep their dtype. Set
    `requires_grad=True` on the tensors to learn (the parameters): after `loss.backward()` their
    `.grad` holds dL/d(tensor). `name` labels the tensor in drawings of the graph.

    Args:
        data: numbers, nested lists of them, a numpy array or a Tensor (copied).
        dtype: the dtype; None to infer it from `data`.
        requires_grad: make it a leaf whose gradient `backward()` computes (floating dtypes
            only).
        name: a label for drawings of the graph.

    Examples:
        >>> w = tinygrad_lr.tensor(3.0, requires_grad=True)
        >>> y = w ** 2
        >>> y.backward()                    # dy/dw = 2w
        >>> w.grad
        tensor(6.)
    """

    # Every tensor stores _data, _requires_grad and grad_fn; the rest are stored only by the
    # tensors that use them, and read from these class defaults otherwise.
    _grad: Tensor | None = None
    _base: Tensor | None = None  # for a view: the tensor whose memory it looks at
    _version_count = 0  # in-place changes of this memory (kept by the tensor that owns it)
    _views: list | None = None  # weak references to the views of this memory (see _share_...)
    _hooks: list[Callable[..., Any]] | None = None  # a leaf's hooks
    _retains_grad = False
    _name: str | None = None

    def __init__(self, data: Any, dtype: Any = None, requires_grad: bool = False,
                 name: str | None = None) -> None:  # fmt: skip
        self._data = to_array(data, dtype)
        self._requires_grad = False
        self.grad_fn = None
        if name is not None:
            self.name = name
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _wrap(data: np.ndarray) -> Tensor:
        """A leaf Tensor around `data`, without a copy or a check (for the package's own use)."""
        t = object.__new__(Tensor)
        t._data, t._requires_grad, t.grad_fn = data, False, None
        return t

    @property
    def name(self) -> str | None:
        """A label for drawings of the graph (not a PyTorch attribute)."""
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value
        if self.grad_fn is not None:  # so that a drawing of the graph finds the named result
            self.grad_fn.named_output = weakref.ref(self)

    def _set_grad_fn(self, node: engine.Function) -> None:
        """Make this tensor the output of `node` (called by Function.apply when it records)."""
        self.grad_fn, self._requires_grad = node, True

    # --- the data ------------------------------------------------------------------------------

    @property
    def data(self) -> Tensor:
        """The same values, on the same memory, as a tensor that records nothing.

        As in PyTorch, changes made through it are not seen by autograd: `w.data.sub_(lr * g)`
        updates w without a graph and without bumping w's version.
        """
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        array = value._data if isinstance(value, Tensor) else value
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
            raise TypeError(f"data must be set to a Tensor (or a numeric numpy array), not "
                            f"{type(value).__name__}")
        if self._requires_grad and array.dtype.kind != "f":
            raise RuntimeError(f"data set to a tensor of dtype {array.dtype}, but this tensor "
                               "requires grad, which only floating point tensors can")
        self._data = array  # another shape or dtype is allowed, as in PyTorch

    def numpy(self) -> np.ndarray:
        """The underlying array, sharing memory (refused on a tensor that requires grad).

        Returns:
            The numpy array that holds the values (changes to one show in the other).

        Raises:
            RuntimeError: for a tensor that requires grad (take `.detach().numpy()`).
        """
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy's functions on tensors (NEP 13).

        `ndarray ⊗ tensor` runs the tensor's own reflected operator, so that a gradient flows
        (numpy would otherwise loop over the tensor's elements and build an object array). Any
        other numpy function (np.exp(t), np.isinf(t)) computes on the arrays and gives a Tensor,
        as in PyTorch, which also refuses a tensor that requires grad there.
        """
        reflected = _REFLECTED.get(ufunc)
        if method == "__call__" and reflected and len(inputs) == 2 and inputs[1] is self:
            return getattr(self, reflected)(inputs[0])
        arrays = [x.numpy() if isinstance(x, Tensor) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.numpy() if isinstance(o, Tensor) else o for o in kwargs["out"])
        result = getattr(ufunc, method)(*arrays, **kwargs)
        if isinstance(result, tuple):
            return tuple(Tensor._wrap(np.asarray(r)) for r in result)
        return Tensor._wrap(np.asarray(result)) if result is not None else None

    # --- the autograd state --------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded, so that gradients can flow to it."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            if not value:
                raise RuntimeError("you can only change requires_grad flags of leaf variables. "
                                   "To use a value without its graph, take .detach()")
            return
        if value and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients (this one is "
                f"{self._data.dtype}); make it with dtype=float32, or call .float() first"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set `requires_grad` in place and return self.

        Args:
            requires_grad: the new flag.

        Returns:
            self.
        """
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
            if value._data.shape != self._data.shape:
                raise RuntimeError(f"attempting to assign a gradient of size "
                                   f"'{list(value.shape)}' to a tensor of size "
                                   f"'{list(self.shape)}'. Please ensure that the gradient and the "
                                   "tensor are the same size")  # fmt: skip
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(f"attempting to assign a gradient with dtype '{value.dtype}' to "
                                   f"a tensor with dtype '{self.dtype}': a gradient has its "
                                   f"tensor's dtype (convert it: .to({self.dtype}))")
        self._grad = value

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (PyTorch's `_version`)."""
        return (self if self._base is None else self._base)._version_count

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:  # fmt: skip
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding it into `leaf.grad`.

        `gradient` is dL/d(self): it may be left out only when self holds one element (then it is
        1). The values the graph saved are freed afterwards unless `retain_graph=True`. With
        `create_graph=True` the gradients get a graph of their own (second derivatives);
        `retain_graph` then defaults to True.

        Args:
            gradient: dL/d(self), of self's shape; None for a one-element tensor.
            retain_graph: keep the values the graph saved, for another backward pass; defaults
                to `create_graph`.
            create_graph: record the backward pass, so that the gradients can be differentiated.

        Raises:
            RuntimeError: for a tensor that does not require grad, or a `gradient` left out for one
                of several elements.
        """
        if not self._requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn: nothing "
                "that led to this tensor has requires_grad=True (or it was computed under no_grad)"
            )
        g = initial_gradient(self, gradient, create_graph, "backward()")
        keep = create_graph if retain_graph is None else retain_graph
        run_backward([self], [g], retain_graph=keep, create_graph=create_graph)

    def _accumulate_grad(self, g: Any) -> None:
        """Add a gradient the engine computed into this leaf's `.grad` (they add up, as in
        PyTorch, over several backward() calls)."""
        if self._hooks:
            g = engine._run_hooks(self._hooks, g)
        if isinstance(g, Tensor):  # create_graph: the gradient carries a graph of its own
            # (a clone: the engine may have handed the same tensor to another input)
            self._grad = g.clone() if self._grad is None else self._grad + g
        elif self._grad is None:  # a copy: the engine may have handed the array elsewhere too
            self._grad = Tensor._wrap(np.array(g, dtype=self._data.dtype))
        elif self._grad._requires_grad:  # a .grad with a graph (create_graph) is not changed
            self._grad = self._grad + Tensor._wrap(g)
        else:
            np.add(self._grad._data, g, out=self._grad._data, casting="unsafe")
            self._grad._version_count += 1

    def _store_retained_grad(self, g: Tensor) -> None:
        # g is a hook's argument: a copy of its own. Retained gradients add up too.
        self._grad = g if self._grad is None else self._grad + g

    def retain_grad(self) -> None:
        """Keep `.grad` for this non-leaf tensor too, during the backward() calls to come."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False: no "
                               "gradient will ever be computed for it")
        if self.grad_fn is not None and not self._retains_grad:
            self._retains_grad = True
            _node_hooks(self.grad_fn).append(RetainGrad(self))

    @property
    def retains_grad(self) -> bool:
        """Whether `retain_grad()` was called on this non-leaf tensor."""
        return self._retains_grad

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call `hook(grad)` each time the gradient of this tensor is computed.

        The hook sees dL/d(self) as a Tensor and may return a replacement of the same shape: for a
        leaf, what is added into `.grad`; for a non-leaf, what flows further back. Returns a
        handle whose `remove()` unregisters it.

        Args:
            hook: a function of the gradient that returns None or a replacement.

        Returns:
            A handle whose `remove()` unregisters the hook.

        Examples:
            >>> w = tinygrad_lr.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = w.register_hook(lambda g: g * 10)
            >>> (w * w).sum().backward()        # 2w, times 10
            >>> w.grad
            tensor([20., 40.])
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
            hooks = _node_hooks(self.grad_fn)
        # Before a retain_grad hook: the retained gradient is the one after every hook, as in
        # PyTorch.
        at = next((i for i, h in enumerate(hooks) if isinstance(h, RetainGrad)), len(hooks))
        hooks.insert(at, hook)
        return RemovableHandle(hooks, hook)

    def detach(self) -> Tensor:
        """The same values, on the same memory, as a new leaf that records nothing.

        Unlike `.data`, it shares the version count: an in-place change through it is caught if
        the graph saved these values.

        Returns:
            A new leaf tensor on self's memory, that does not require grad.
        """
        out = Tensor._wrap(self._data)
        out._share_memory_of(self)
        return out

    def detach_(self) -> Tensor:
        """Cut this tensor from its graph in place: it becomes a leaf that requires no grad.

        Returns:
            self.
        """
        self.grad_fn, self._requires_grad = None, False
        return self

    def _share_memory_of(self, source: Tensor) -> None:
        """Record that this tensor is a view of `source`'s memory, if numpy made it one.

        A view and its base share one version count (kept by the base), so that an in-place
        change through either is seen by whatever saved the other. The base also keeps weak
        references to its views, so that an in-place change recorded for autograd can refuse
        to change values that a live view (with a graph of its own) would see change.
        """
        base = source if source._base is None else source._base
        data, memory = self._data, base._data
        if not (data is memory or data.base is (memory if memory.base is None else memory.base)
                or np.may_share_memory(data, memory)):  # fmt: skip
            return  # numpy made a copy
        self._base = base
        if not _Mode.grad_enabled or (base.grad_fn is None and base._requires_grad):
            return  # nothing will record an in-place change of a parameter (see _check_inplace)
        if base._views is None:
            base._views = []
        views = base._views
        if len(views) >= 16 and len(views) & (len(views) - 1) == 0:  # now and then, at powers
            views[:] = [v for v in views if v() is not None]  # of two: forget the dead views
        views.append(weakref.ref(self))

    # --- in place: the one path of every change to a tensor's values ---------------------------

    def _inplace(self, name: str, write: Callable[..., Any], compute: Callable[..., Tensor],
                 other: Tensor | None = None) -> Tensor:  # fmt: skip
        """Change self's values in place and return self.

        `write(array[, other_array])` writes the new values into self's memory with numpy;
        `compute(tensor[, other])` is the same change as an out-of-place tensor operation. When
        the change must be recorded (a gradient flows through self or `other`), the graph gets
        `compute` applied to self's value *before* the change, and self's grad_fn moves to that
        new node, as in PyTorch. Otherwise numpy simply writes.
        """
        args = () if other is None else (other,)
        if args:
            _check_overlap(self, other, name)
        recording = _Mode.grad_enabled and (self._requires_grad or bool(args)
                                            and other._requires_grad)  # fmt: skip
        try:
            if _Mode.recorder is not None:  # named point: a step being compiled records the write
                _Mode.recorder.inplace(self, name, write, args, recording)
            if recording:
                self._check_inplace(name)
                before = Tensor._wrap(self._data.copy())  # the old value, in memory of its own
                before.grad_fn, before._requires_grad = self.grad_fn, self._requires_grad
                result = compute(before, *args)
                np.copyto(self._data, result._data, casting="same_kind")
            else:
                write(self._data, *[a._data for a in args])
        except (ValueError, TypeError) as e:  # numpy's refusals, in PyTorch's words
            raise _inplace_error(self, name, e) from None
        root = self if self._base is None else self._base
        root._version_count += 1
        if root.grad_fn is not None:  # a node that saved its output sees the change
            root.grad_fn.output_version = root._version_count
        if recording:
            self._move_grad_fn(result.grad_fn, before)
        return self

    def _check_fits(self, other: Tensor, name: str) -> None:
        """An in-place operand must broadcast to self's shape: the result is written into self."""
        if other._data.shape != self._data.shape:
            shape = broadcast_shape(self._data.shape, other._data.shape, name)
            if shape != self._data.shape:
                raise RuntimeError(f"{name}: output with shape {fmt(self.shape)} doesn't match "
                                   f"the broadcast shape {fmt(shape)}")

    def _check_inplace(self, name: str) -> None:
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation "
                f"({name}). Update parameters inside `with tinygrad_lr.no_grad():`"
            )
        base = self._base
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError(f"a view of a leaf Variable that requires grad is being used in an "
                               f"in-place operation ({name})")
        views = (self if base is None else base)._views or []
        if base is not None or any(v() is not None for v in views):
            raise RuntimeError(
                f"{name}: in-place change of a tensor that shares memory with another live "
                "tensor (a view, an expand, a detach) while recording gradients is not supported: "
                "the other tensor's gradient would be wrong. Use the out-of-place form "
                "(x = x + y instead of x += y), or .clone() first"
            )

    def _move_grad_fn(self, node: engine.Function, before: Tensor) -> None:
        # The old node made the value before the change: a retained grad stays with the tensor,
        # so its hook moves to the new node.
        old = self.grad_fn
        if self._retains_grad and old is not None:
            old.hooks = [h for h in old.hooks if not (isinstance(h, RetainGrad)
                                                      and h.tensor() is self)]  # fmt: skip
            _node_hooks(node).append(RetainGrad(self))
        self._set_grad_fn(node)


# numpy's ufunc for `ndarray ⊗ tensor` -> the tensor's method that computes it.
_REFLECTED = {
    np.add: "__radd__", np.subtract: "__rsub__", np.multiply: "__rmul__",
    np.true_divide: "__rtruediv__", np.matmul: "__rmatmul__", np.power: "__rpow__",
    np.less: "__gt__", np.less_equal: "__ge__", np.greater: "__lt__", np.greater_equal: "__le__",
    np.equal: "__eq__", np.not_equal: "__ne__",
}  # fmt: skip


def _node_hooks(node: engine.Function) -> list[Callable[..., Any]]:
    if node.hooks is None:
        node.hooks = []
    return node.hooks


def _check_overlap(t: Tensor, other: Tensor, name: str) -> None:
    """Refuse, as PyTorch does, to write into memory that the operand reads in another layout
    (`x.add_(x.t())`): the result would depend on the order numpy visits the elements. The same
    tensor (`x.add_(x)`) is fine: each element reads itself before it is written."""
    a, b = t._data, other._data
    if a is b or not np.may_share_memory(a, b):
        return
    same_layout = (a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
                   and a.strides == b.strides and a.shape == b.shape)  # fmt: skip
    dense = all(x.flags.c_contiguous or x.flags.f_contiguous for x in (a, b))
    if dense and not same_layout:  # (PyTorch checks only dense memory too)
        raise RuntimeError(f"{name}: unsupported operation: some elements of the input tensor and "
                           "the written-to tensor refer to a single memory location. Please "
                           "clone() the tensor before performing the operation.")


def _inplace_error(t: Tensor, name: str, e: Exception) -> RuntimeError:
    if "read-only" in str(e):
        return RuntimeError(
            f"{name}: unsupported operation: more than one element of the written-to tensor "
            "refers to a single memory location (it is an expand()ed view, or a constant). Call "
            ".clone() before the in-place operation."
        )
    if isinstance(e, TypeError):  # numpy's UFuncTypeError: a float result into an int tensor
        return RuntimeError(f"{name}: result type can't be cast to the desired output type "
                            f"{t.dtype} ({e})")
    return RuntimeError(f"{name}: {e}")


def initial_gradient(t: Tensor, gradient: Any, create_graph: bool, where: str,
                     what: str = "gradient", output: str = "this tensor") -> Any:  # fmt: skip
    """dL/dt to start backward from: 1 for a one-element t, else the caller's `gradient`, as an
    array (or as a tensor, for a backward that records a graph)."""
    if gradient is None:
        if t._data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; {output} has shape "
                f"{fmt(t.shape)}. Reduce it first (.sum() or .mean()), or pass {where} a "
                f"{what}= tensor of that shape"
            )
        g = np.array(1, t._data.dtype).reshape(t._data.shape)  # dL/dL = 1
        return Tensor._wrap(g) if create_graph else g
    if not isinstance(gradient, Tensor):
        raise TypeError(f"{where}: {what} must be a Tensor, not {type(gradient).__name__}")
    if gradient.shape != t.shape:
        raise RuntimeError(f"Mismatch in shape: {what} has a shape of {fmt(gradient.shape)} "
                           f"and {output.replace('this', 'the')} has a shape of {fmt(t.shape)}")
    if create_graph:
        return gradient if gradient.dtype == t.dtype else gradient.to(t.dtype)
    return gradient._data.astype(t._data.dtype, copy=False)


# The modules this one imports refer to the class too (to wrap results, to tell tensors from
# numbers); they could not import it back, so it is handed to them here.
for _module in (engine, args, ops.common, arithmetic, comparison, conversion, pointwise, inplace,
                shaping, reductions, statistics, selection, scattering, matrices, linear_algebra,
                sampling):
    _module.Tensor = Tensor

# `no_grad` is used by code that imports it from here.
__all__ = ["Tensor", "no_grad"]
