"""Reductions: sum, mean, max, min and their arg-forms, all and any.

Each output element of a reduction depends on many input elements, so its backward spreads the
gradient back over them (see the reductions in ops.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from .args import check_flag, dim_arg, dims_arg, fmt

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class MaxResult(NamedTuple):
    """What `max(dim)` returns, as PyTorch's `torch.return_types.max`: `values`, `indices`.

    The values are differentiable; the indices are int64."""

    values: Tensor
    indices: Tensor


class MinResult(NamedTuple):
    """What `min(dim)` returns, as PyTorch's `torch.return_types.min`: `values` and `indices`."""

    values: Tensor
    indices: Tensor


def _numpy_aliases(name: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple:
    # PyTorch accepts numpy's names too (axis=, keepdims=); so do the backward formulas of
    # ops.py, which are written to run on numpy arrays and on tensors alike.
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    return dim, check_flag(keepdim, name, "keepdim")


class Reductions:
    """The reduction methods of Tensor."""

    def sum(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:  # fmt: skip
        """Sum over `dim` (an int, a tuple of ints, or None for all)."""
        dim, keepdim = _numpy_aliases("sum", dim, keepdim, axis, keepdims)
        return ops.Sum.apply(self, dims=dims_arg(dim, self.ndim, "sum"), keepdim=keepdim)

    def mean(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
             keepdims: bool | None = None) -> Tensor:  # fmt: skip
        """Mean over `dim` (an int, a tuple of ints, or None for all). Floating tensors only."""
        dim, keepdim = _numpy_aliases("mean", dim, keepdim, axis, keepdims)
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be a floating point "
                f"dtype, got {self._data.dtype}; call .float() first"
            )
        return ops.Mean.apply(self, dims=dims_arg(dim, self.ndim, "mean"), keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest element (0-d), or `(values, indices)` of the largest along an int `dim`.

        Along a dim, `indices` is int64 and gives the first of equal maxima. Gradient: with
        `dim`, to the element at `indices`; without, split evenly among all the elements equal
        to the maximum (PyTorch's rule for ties).
        """
        return self._extreme(ops.Max, MaxResult, dim, keepdim)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest element (0-d), or `(values, indices)` of the smallest along an int `dim`.

        Indices and gradients as for `max`."""
        return self._extreme(ops.Min, MinResult, dim, keepdim)

    def _extreme(self: Tensor, op: type[ops.Max], result: type, dim: Any, keepdim: bool) -> Any:
        name = op.name
        keepdim = check_flag(keepdim, name, "keepdim")
        if dim is None:
            if keepdim:
                raise TypeError(f"{name}(): keepdim=True needs a dim; {name}() without a dim "
                                f"gives a 0-d tensor")
            if self._data.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                   f"input.numel() == 0. Specify the reduction dim with the "
                                   f"'dim' argument (shape {fmt(self.shape)})")
            return op.apply(self, dim=None, keepdim=False)
        d = self._reduced_dim(name, dim)
        values = op.apply(self, dim=d, keepdim=keepdim)
        return result(values, self._arg_extreme(op.pick, d, keepdim))

    def _reduced_dim(self: Tensor, name: str, dim: Any) -> int:
        d = dim_arg(dim, self.ndim, name)
        if self.ndim and self.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size "
                             f"(shape {fmt(self.shape)})")
        return d

    def _arg_extreme(self: Tensor, pick: Any, dim: int | None, keepdim: bool) -> Tensor:
        # The position of the first extreme element, a nan counting as the extreme (numpy and
        # PyTorch agree); int64 and never differentiable: an index has no gradient.
        data = self._data
        if data.ndim == 0:
            index = np.zeros((), np.int64)
        elif dim is None:
            index = np.asarray(pick(data), np.int64)
            if keepdim:
                index = index.reshape((1,) * data.ndim)
        else:
            index = pick(data, axis=dim, keepdims=keepdim).astype(np.int64, copy=False)
        return Tensor._wrap(index)

    def _arg(self: Tensor, name: str, pick: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = check_flag(keepdim, name, "keepdim")
        if self._data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input; call .long() first")
        if dim is None:
            if self._data.size == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 f"input.numel() == 0 (shape {fmt(self.shape)})")
            return self._arg_extreme(pick, None, keepdim)
        return self._arg_extreme(pick, self._reduced_dim(name, dim), keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the largest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable."""
        return self._arg("argmax", np.argmax, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the smallest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable."""
        return self._arg("argmin", np.argmin, dim, keepdim)

    def _logical_reduce(self: Tensor, name: str, reduce: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = check_flag(keepdim, name, "keepdim")
        axes = None if dim is None else dims_arg(dim, self.ndim, name)
        out = np.asarray(reduce(self._data, axis=axes, keepdims=keepdim))
        # bool, as in PyTorch, except that a uint8 tensor gives uint8 (also as in PyTorch).
        return Tensor._wrap(out.astype(self._data.dtype if self._data.dtype == np.uint8 else bool))

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether every element is nonzero (over all, or over `dim`): bool, not differentiable."""
        return self._logical_reduce("all", np.all, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether some element is nonzero (over all, or over `dim`): bool, not differentiable."""
        return self._logical_reduce("any", np.any, dim, keepdim)
