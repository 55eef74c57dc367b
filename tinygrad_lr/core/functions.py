"""Module-level forms of the Tensor methods (`tinygrad_lr.exp(x)` = `x.exp()`), as in PyTorch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import ops
from .args import dim_arg, fmt, tensor_arg
from .dtypes import promote
from .tensor import Tensor


def _t(x: Any, op: str) -> Tensor:
    return tensor_arg(x, op, "input")


def exp(x: Tensor) -> Tensor:
    """e to the power of each element (`x.exp()`)."""
    return _t(x, "exp").exp()


def log(x: Tensor) -> Tensor:
    """The natural logarithm of each element (`x.log()`)."""
    return _t(x, "log").log()


def sqrt(x: Tensor) -> Tensor:
    """The square root of each element (`x.sqrt()`)."""
    return _t(x, "sqrt").sqrt()


def tanh(x: Tensor) -> Tensor:
    """The hyperbolic tangent of each element (`x.tanh()`)."""
    return _t(x, "tanh").tanh()


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ) of each element (`x.sigmoid()`)."""
    return _t(x, "sigmoid").sigmoid()


def relu(x: Tensor) -> Tensor:
    """max(x, 0) of each element (`x.relu()`)."""
    return _t(x, "relu").relu()


def pow(x: Tensor, exponent: float) -> Tensor:  # noqa: A001 - PyTorch's name
    """Each element to the power `exponent`, a number (`x.pow(exponent)`)."""
    return _t(x, "pow").pow(exponent)


def mm(x: Tensor, mat2: Tensor) -> Tensor:
    """Matrix product of two 2-D tensors (`x.mm(mat2)`)."""
    return _t(x, "mm").mm(mat2)


def matmul(x: Tensor, other: Tensor) -> Tensor:
    """numpy's matmul of two tensors (`x.matmul(other)`, `x @ other`)."""
    return _t(x, "matmul").matmul(other)


def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """Sum over `dim` (all dimensions when None) (`x.sum(dim, keepdim)`)."""
    return _t(x, "sum").sum(dim, keepdim)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Mean over `dim` (all dimensions when None) (`x.mean(dim, keepdim)`)."""
    return _t(x, "mean").mean(dim, keepdim)


def abs(x: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    """|x| of each element (`x.abs()`)."""
    return _t(x, "abs").abs()


def clamp(x: Tensor, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
    """Each element limited to [min, max] (`x.clamp(min, max)`)."""
    return _t(x, "clamp").clamp(min, max)


def clip(x: Tensor, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
    """Another name for `clamp` (`x.clip(min, max)`)."""
    return _t(x, "clip").clamp(min, max)


def max(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The largest element, or `(values, indices)` along an int `dim` (`x.max(dim, keepdim)`)."""
    return _t(x, "max").max(dim, keepdim)


def min(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The smallest element, or `(values, indices)` along an int `dim` (`x.min(dim, keepdim)`)."""
    return _t(x, "min").min(dim, keepdim)


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The index of the largest element, int64 (`x.argmax(dim, keepdim)`)."""
    return _t(x, "argmax").argmax(dim, keepdim)


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The index of the smallest element, int64 (`x.argmin(dim, keepdim)`)."""
    return _t(x, "argmin").argmin(dim, keepdim)


def all(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """Whether every element is nonzero, bool (`x.all(dim, keepdim)`)."""
    return _t(x, "all").all(dim, keepdim)


def any(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """Whether some element is nonzero, bool (`x.any(dim, keepdim)`)."""
    return _t(x, "any").any(dim, keepdim)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """The same elements in a new shape (`x.reshape(*shape)`)."""
    return _t(x, "reshape").reshape(*shape)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions (`x.transpose(dim0, dim1)`)."""
    return _t(x, "transpose").transpose(dim0, dim1)


def squeeze(x: Tensor, dim: int | None = None) -> Tensor:
    """Drop dimensions of size 1 (`x.squeeze(dim)`)."""
    return _t(x, "squeeze").squeeze(dim)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at `dim` (`x.unsqueeze(dim)`)."""
    return _t(x, "unsqueeze").unsqueeze(dim)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension `dim`; all other sizes must agree.

    `cat([x, x**2, x**3], dim=1)` turns a column x into the polynomial features (x, x², x³).
    """
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"cat(): argument 'tensors' must be a list or tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    tensors = [tensor_arg(t, "cat", f"tensors[{i}]") for i, t in enumerate(tensors)]
    first = tensors[0]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat(): zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
        if t.ndim != first.ndim:
            raise RuntimeError(f"cat(): Tensors must have same number of dimensions: got "
                               f"{first.ndim} and {t.ndim} (shapes {fmt(first.shape)} and "
                               f"{fmt(t.shape)}, tensor number {i} in the list)")
    d = dim_arg(dim, first.ndim, "cat")
    for i, t in enumerate(tensors):
        for axis, (a, b) in enumerate(zip(first.shape, t.shape)):
            if axis != d and a != b:
                raise RuntimeError(
                    f"cat(): Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{a} but got size {b} for tensor number {i} in the list (shapes "
                    f"{fmt(first.shape)} and {fmt(t.shape)})"
                )
    dtype = first.dtype
    for t in tensors[1:]:
        dtype = promote(dtype, 1, t.dtype, 1)  # as for a binary op between them
    return ops.Cat.apply(*[t.to(dtype) for t in tensors], dim=d)
