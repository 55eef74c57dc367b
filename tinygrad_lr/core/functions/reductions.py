"""Reductions over a dimension or the whole tensor: sums, means, running sums and products,
variances, norms and `dist`, softmax, max and min, `amax` and `amin`, the median and the
quantiles, and the logical `all` and `any`. As in PyTorch, each takes numpy's `axis=` and
`keepdims=` too.
"""

from __future__ import annotations

from typing import Any

from ..args import input_arg, numpy_names
from ..tensor import Tensor
from .pointwise import maximum, minimum


@numpy_names
def sum(input: Tensor, dim: Any = None, keepdim: bool = False, **options: Any) -> Tensor:  # noqa: A001, A002
    """The sum over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `dtype=`, the dtype to compute and return in.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "sum").sum(dim, keepdim, **options)


@numpy_names
def mean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The mean over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "mean").mean(dim, keepdim)


@numpy_names
def prod(input: Tensor, dim: Any = None, keepdim: bool = False, **options: Any) -> Tensor:  # noqa: A002
    """The product over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `dtype=`, the dtype to compute and return in.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return input_arg(input, "prod").prod(dim, keepdim, **options)


@numpy_names
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


@numpy_names
def cumprod(input: Tensor, dim: int, **options: Any) -> Tensor:  # noqa: A002
    """Running products along `dim` (`input.cumprod(dim)`), differentiable at zeros too.

    Args:
        input: a tensor.
        dim: the dimension to run along.
        **options: `dtype=`, the dtype to compute in.

    Returns:
        A new tensor of input's shape.

    Examples:
        >>> tinygrad_lr.cumprod(tinygrad_lr.tensor([1, 2, 3, 4]), 0)
        tensor([ 1,  2,  6, 24])
    """
    return input_arg(input, "cumprod").cumprod(dim, **options)


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The median (the lower of the two middle values for an even count), of all elements or
    along `dim` (`input.median(dim)`).

    Args:
        input: a tensor.
        dim: the dimension to reduce, or None for all the elements.
        keepdim: keep the reduced dimension, with size 1 (with a `dim` only).

    Returns:
        A 0-d tensor without `dim`; with it, a named tuple `(values, indices)`.

    Examples:
        >>> tinygrad_lr.median(tinygrad_lr.tensor([4.0, 1.0, 3.0, 2.0]))
        tensor(2.)
    """
    return input_arg(input, "median").median(dim, keepdim)


@numpy_names
def quantile(input: Tensor, q: Any, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
             interpolation: str = "linear") -> Tensor:  # fmt: skip
    """The q-th quantiles over `dim` (`input.quantile(q, dim, keepdim)`).

    Args:
        input: a float32 or float64 tensor.
        q: a number in [0, 1], or a 0-d or 1-D tensor of them, of the input's dtype.
        dim: the dimension to reduce, or None for all the elements.
        keepdim: keep the reduced dimensions, with size 1.
        interpolation: 'linear', 'lower', 'higher', 'midpoint' or 'nearest'.

    Returns:
        A new tensor; for a 1-D q, with a first dimension more, one entry per q.
    """
    return input_arg(input, "quantile").quantile(q, dim, keepdim, interpolation=interpolation)


@numpy_names
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


@numpy_names
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


@numpy_names
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


@numpy_names
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
    "all", "amax", "amin", "any", "argmax", "argmin", "cumprod", "cumsum", "dist", "log_softmax",
    "logsumexp", "max", "mean", "median", "min", "norm", "prod", "quantile", "softmax", "std",
    "sum", "var",
]  # fmt: skip
