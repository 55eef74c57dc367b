"""Module-level forms of the Tensor methods (`tinygrad_lr.exp(x)` = `x.exp()`), as in PyTorch."""

from __future__ import annotations

from typing import Any

from .tensor import Tensor, _tensor_arg


def _t(x: Any, op: str) -> Tensor:
    return _tensor_arg(x, op, "input")


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
