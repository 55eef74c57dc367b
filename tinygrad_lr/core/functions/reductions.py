"""Reductions over a dimension or the whole tensor: sums, means, variances, norms and `dist`,
softmax, max and min, `amax` and `amin`, and the logical `all` and `any`.
"""

from __future__ import annotations

from typing import Any

from ..args import input_arg
from ..tensor import Tensor
from .pointwise import maximum, minimum


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A001, A002
    """The sum over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "sum").sum(dim, keepdim, **aliases)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A002
    """The mean over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "mean").mean(dim, keepdim, **aliases)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A002
    """The product over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "prod").prod(dim, keepdim, **aliases)


def cumsum(input: Tensor, dim: int, **options: Any) -> Tensor:  # noqa: A002
    """Running sums along `dim`.

    Args:
        input: a tensor.
        dim: the dimension to run along.
        **options: `dtype=`, the dtype to compute in.

    Returns:
        A new tensor of input's shape.
    """
    return input_arg(input, "cumsum").cumsum(dim, **options)


def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False,
        **options: Any) -> Tensor:  # noqa: A002
    """The variance over `dim` (correction 1 by default).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        unbiased: PyTorch's older flag: False is `correction=0`.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `correction=`, subtracted from the number of elements.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "var").var(dim, unbiased, keepdim, **options)


def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False,
        **options: Any) -> Tensor:  # noqa: A002
    """The standard deviation over `dim` (correction 1 by default).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        unbiased: PyTorch's older flag: False is `correction=0`.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `correction=`, subtracted from the number of elements.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "std").std(dim, unbiased, keepdim, **options)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The p-norm over `dim` (all elements when None).

    Args:
        input: a tensor.
        p: the order of the norm: a number, `inf`, `-inf`, or 'fro'.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "norm").norm(p, dim, keepdim)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm of input - other, over all elements (`input.dist(other, p)`).

    Args:
        input: a tensor.
        other: a tensor that broadcasts with it.
        p: the order of the norm, as for `norm`.

    Returns:
        A 0-d tensor.
    """
    return input_arg(input, "dist").dist(other, p)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """The largest element over `dim`, the gradient split evenly among ties (`input.amax`).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; () for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.

    Examples:
        >>> tinygrad_lr.amax(tinygrad_lr.tensor([[1, 5], [7, 2]]), dim=0)
        tensor([7, 5])
    """
    return input_arg(input, "amax").amax(dim, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """The smallest element over `dim`, the gradient split evenly among ties (`input.amin`).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; () for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "amin").amin(dim, keepdim)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    """log Σ exp(input) over `dim`, without overflow.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "logsumexp").logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(input) / Σ exp(input) along `dim`.

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of input's shape.
    """
    return input_arg(input, "softmax").softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """input - logsumexp(input) along `dim`.

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of input's shape.
    """
    return input_arg(input, "log_softmax").log_softmax(dim, dtype)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The largest element, or `(values, indices)` along an int `dim`; with a tensor as `dim`,
    the elementwise maximum (PyTorch's torch.max(a, b)).

    Args:
        input: a tensor.
        dim: the dimension to reduce, None for all, or a tensor (the elementwise maximum).
        keepdim: keep the reduced dimension, with size 1.

    Returns:
        A 0-d tensor; `(values, indices)` with a `dim`; a tensor for a tensor `dim`.

    Examples:
        >>> tinygrad_lr.max(tinygrad_lr.tensor([1.0, 5.0]), tinygrad_lr.tensor([3.0, 4.0]))
        tensor([3., 5.])
    """
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    return input_arg(input, "max").max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The smallest element, or `(values, indices)` along an int `dim`; with a tensor as `dim`,
    the elementwise minimum.

    Args:
        input: a tensor.
        dim: the dimension to reduce, None for all, or a tensor (the elementwise minimum).
        keepdim: keep the reduced dimension, with size 1.

    Returns:
        A 0-d tensor; `(values, indices)` with a `dim`; a tensor for a tensor `dim`.
    """
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    return input_arg(input, "min").min(dim, keepdim)


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The index of the largest element, int64.

    Args:
        input: a tensor.
        dim: the dimension to reduce, or None for the flattened tensor.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        An int64 tensor of indices.
    """
    return input_arg(input, "argmax").argmax(dim, keepdim)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The index of the smallest element, int64.

    Args:
        input: a tensor.
        dim: the dimension to reduce, or None for the flattened tensor.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        An int64 tensor of indices.
    """
    return input_arg(input, "argmin").argmin(dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """Whether every element is nonzero, bool.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A bool tensor.
    """
    return input_arg(input, "all").all(dim, keepdim)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """Whether some element is nonzero, bool.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A bool tensor.
    """
    return input_arg(input, "any").any(dim, keepdim)


__all__ = [
    "all", "amax", "amin", "any", "argmax", "argmin", "cumsum", "dist", "log_softmax",
    "logsumexp", "max", "mean", "min", "norm", "prod", "softmax", "std", "sum", "var",
]  # fmt: skip
