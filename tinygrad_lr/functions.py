"""Module-level forms of the Tensor methods (`tinygrad_lr.exp(x)` = `x.exp()`), as in PyTorch."""

from __future__ import annotations

from typing import Any

from .tensor import Tensor, _tensor_arg


def _t(x: Any, op: str) -> Tensor:
    return _tensor_arg(x, op, "input")


def exp(x: Tensor) -> Tensor:
    return _t(x, "exp").exp()


def log(x: Tensor) -> Tensor:
    return _t(x, "log").log()


def sqrt(x: Tensor) -> Tensor:
    return _t(x, "sqrt").sqrt()


def tanh(x: Tensor) -> Tensor:
    return _t(x, "tanh").tanh()


def sigmoid(x: Tensor) -> Tensor:
    return _t(x, "sigmoid").sigmoid()


def relu(x: Tensor) -> Tensor:
    return _t(x, "relu").relu()


def pow(x: Tensor, exponent: float) -> Tensor:  # noqa: A001 - PyTorch's name
    return _t(x, "pow").pow(exponent)


def mm(x: Tensor, mat2: Tensor) -> Tensor:
    return _t(x, "mm").mm(mat2)


def matmul(x: Tensor, other: Tensor) -> Tensor:
    return _t(x, "matmul").matmul(other)


def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _t(x, "sum").sum(dim, keepdim)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return _t(x, "mean").mean(dim, keepdim)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    return _t(x, "reshape").reshape(*shape)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    return _t(x, "transpose").transpose(dim0, dim1)


def squeeze(x: Tensor, dim: int | None = None) -> Tensor:
    return _t(x, "squeeze").squeeze(dim)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    return _t(x, "unsqueeze").unsqueeze(dim)
