"""Picking, comparing and counting: `gather`, `index_select`, their inverses `scatter`,
`scatter_add`, `index_add`, `index_fill` and `index_copy`, `sort`, `topk`, `masked_fill`,
`nonzero` and `argwhere`, `count_nonzero`, `unique`, `bincount`, the `isnan` family, `allclose`
and `equal`.
"""

from __future__ import annotations

from typing import Any

from ..args import input_arg, numpy_names
from ..tensor import Tensor


@numpy_names
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:  # noqa: A002
    """The elements `index` names along `dim` (`input.gather(dim, index)`).

    Args:
        input: a tensor.
        dim: the dimension to pick along.
        index: an integer tensor with the input's number of dimensions.
        sparse_grad: accepted for PyTorch's signature; the gradient is always dense.

    Returns:
        A new tensor of index's shape.
    """
    return input_arg(input, "gather").gather(dim, index)


@numpy_names
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:  # noqa: A002
    """The slices along `dim` that a 1-D integer `index` names (`input.index_select`).

    Args:
        input: a tensor.
        dim: the dimension to pick along.
        index: a 1-D int64 or int32 tensor of positions.

    Returns:
        A new tensor whose size along `dim` is len(index).
    """
    return input_arg(input, "index_select").index_select(dim, index)


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *,  # noqa: A002
            value: Any = None, reduce: str | None = None) -> Tensor:  # fmt: skip
    """A copy of input with src (or a number) written at the places `index` names along `dim`
    (`input.scatter(dim, index, src)`).

    Args:
        input: a tensor.
        dim: the dimension the index points along.
        index: an int64 tensor with the input's number of dimensions.
        src: a tensor of the input's dtype, or a number.
        value: the number to write, the keyword form of a number `src`.
        reduce: 'add' for `scatter_add`; None to overwrite.

    Returns:
        A new tensor of the input's shape.

    Examples:
        >>> tinygrad_lr.scatter(tinygrad_lr.zeros(3), 0, tinygrad_lr.tensor([2]), 1.0)
        tensor([0., 0., 1.])
    """
    return input_arg(input, "scatter").scatter(dim, index, src, value=value, reduce=reduce)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:  # noqa: A002
    """A copy of input with src added at the places `index` names along `dim`
    (`input.scatter_add(dim, index, src)`).

    Args:
        input: a tensor.
        dim: the dimension the index points along.
        index: an int64 tensor with the input's number of dimensions.
        src: a tensor of the input's dtype.

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "scatter_add").scatter_add(dim, index, src)


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *,  # noqa: A002
              alpha: Any = 1) -> Tensor:  # fmt: skip
    """A copy of input with alpha·source's slices added at the positions a 1-D `index` names
    along `dim` (`input.index_add(dim, index, source)`).

    Args:
        input: a tensor.
        dim: the dimension the index points along.
        index: a 1-D int64 or int32 tensor of positions.
        source: a tensor of the input's dtype and shape, but for `dim`.
        alpha: the number source is multiplied by.

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "index_add").index_add(dim, index, source, alpha=alpha)


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:  # noqa: A002
    """A copy of input with `value` in the slices a 1-D `index` names along `dim`
    (`input.index_fill(dim, index, value)`).

    Args:
        input: a tensor.
        dim: the dimension the index points along.
        index: a 1-D int64 or int32 tensor of positions.
        value: a number, or a 0-d tensor.

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "index_fill").index_fill(dim, index, value)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:  # noqa: A002
    """A copy of input with source's slices written at the positions a 1-D `index` names along
    `dim` (`input.index_copy(dim, index, source)`).

    Args:
        input: a tensor.
        dim: the dimension the index points along.
        index: a 1-D int64 or int32 tensor of positions.
        source: a tensor of the input's dtype and shape, but for `dim`.

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "index_copy").index_copy(dim, index, source)


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """The positions of the nonzero elements (`input.nonzero()`).

    Args:
        input: a tensor.
        as_tuple: give one 1-D tensor per dimension instead of one matrix.

    Returns:
        An int64 tensor with one position per row, or a tuple of int64 vectors.
    """
    return input_arg(input, "nonzero").nonzero(as_tuple=as_tuple)


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    """The positions of the nonzero elements, one per row (`nonzero(input)`).

    Args:
        input: a tensor.

    Returns:
        An int64 tensor of shape (number of nonzero elements, input.ndim).

    Examples:
        >>> tinygrad_lr.argwhere(tinygrad_lr.tensor([0, 3, 0, 4]))
        tensor([[1],
                [3]])
    """
    return input_arg(input, "argwhere").argwhere()


@numpy_names
def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """How many elements are nonzero, over all or over `dim` (`input.count_nonzero`).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to count over; None for all.

    Returns:
        An int64 tensor without the counted dimensions.
    """
    return input_arg(input, "count_nonzero").count_nonzero(dim)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:  # fmt: skip
    """The distinct values, smallest first (`input.unique(...)`).

    Args:
        input: a tensor.
        sorted: accepted for PyTorch's signature: the values always come sorted.
        return_inverse: also give each element's position among the distinct values.
        return_counts: also give how many times each distinct value occurs.
        dim: the distinct slices along this dimension instead of the distinct elements.

    Returns:
        The distinct values, or a tuple of them with the inverse and the counts asked for.
    """
    return input_arg(input, "unique").unique(sorted, return_inverse, return_counts, dim)


@numpy_names
def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:  # noqa: A002
    """(values, indices) sorted along `dim` (`input.sort(...)`).

    Args:
        input: a tensor.
        dim: the dimension to sort along.
        descending: largest first.
        stable: accepted for PyTorch's signature: the sort is always stable.

    Returns:
        A named tuple `(values, indices)`.
    """
    return input_arg(input, "sort").sort(dim, descending)


@numpy_names
def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:  # noqa: A002
    """The indices that sort `input` along `dim`.

    Args:
        input: a tensor.
        dim: the dimension to sort along.
        descending: largest first.
        stable: accepted for PyTorch's signature: the sort is always stable.

    Returns:
        An int64 tensor of input's shape.
    """
    return input_arg(input, "argsort").argsort(dim, descending)


@numpy_names
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A001, A002
    """The k largest (or smallest) elements along `dim`, and their indices.

    Args:
        input: a tensor.
        k: how many elements to take.
        dim: the dimension to take them along.
        largest: the largest (else the smallest) first.
        sorted: accepted for PyTorch's signature: the elements always come in order.

    Returns:
        A named tuple `(values, indices)`.

    Examples:
        >>> tinygrad_lr.topk(tinygrad_lr.tensor([3.0, 1.0, 4.0, 1.5]), 2)
        TopkResult(values=tensor([4., 3.]), indices=tensor([2, 0]))
    """
    return input_arg(input, "topk").topk(k, dim, largest)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    """`value` where the bool `mask` is True, `input` elsewhere.

    Args:
        input: a tensor.
        mask: a bool tensor that broadcasts to the input's shape.
        value: a number, or a 0-d tensor.

    Returns:
        A new tensor of input's shape.
    """
    return input_arg(input, "masked_fill").masked_fill(mask, value)


def bincount(input: Tensor, weights: Any = None, minlength: int = 0) -> Tensor:  # noqa: A002
    """How often each value 0, 1, 2, … occurs in a 1-D tensor of non-negative integers.

    Args:
        input: a 1-D tensor of non-negative integers.
        weights: the weight of each element; None counts each as 1.
        minlength: the least length of the result.

    Returns:
        A 1-D tensor of counts (or sums of weights).
    """
    return input_arg(input, "bincount").bincount(weights, minlength)


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is nan.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return input_arg(input, "isnan").isnan()


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is infinite.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return input_arg(input, "isinf").isinf()


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is finite.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return input_arg(input, "isfinite").isfinite()


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:  # fmt: skip
    """|input - other| <= atol + rtol·|other|, elementwise.

    Args:
        input: a tensor.
        other: the tensor to compare with.
        rtol: the tolerance relative to |other|.
        atol: the absolute tolerance.
        equal_nan: count two nans as close.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "isclose").isclose(other, rtol, atol, equal_nan)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:  # fmt: skip
    """True if `isclose` holds everywhere.

    Args:
        input: a tensor.
        other: the tensor to compare with.
        rtol: the tolerance relative to |other|.
        atol: the absolute tolerance.
        equal_nan: count two nans as close.

    Returns:
        A Python bool.
    """
    return input_arg(input, "allclose").allclose(other, rtol, atol, equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True if both have the same shape and values.

    Args:
        input: a tensor.
        other: the tensor to compare with.

    Returns:
        A Python bool.
    """
    return input_arg(input, "equal").equal(other)


def is_tensor(obj: Any) -> bool:
    """True if `obj` is a Tensor.

    Args:
        obj: anything.

    Returns:
        A Python bool.
    """
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements.

    Args:
        input: a tensor.

    Returns:
        An int.
    """
    return input_arg(input, "numel").numel()


__all__ = [
    "allclose", "argsort", "argwhere", "bincount", "count_nonzero", "equal", "gather",
    "index_add", "index_copy", "index_fill", "index_select", "is_tensor", "isclose", "isfinite",
    "isinf", "isnan", "masked_fill", "nonzero", "numel", "scatter", "scatter_add", "sort", "topk",
    "unique",
]  # fmt: skip
