"""Comparisons and logic: `eq`, `ne`, `lt`, `le`, `gt`, `ge` (with PyTorch's longer names
`greater`, `less_equal`, `not_equal`, ...), `logical_and`, `logical_or`, `logical_xor`,
`logical_not`, and `is_floating_point`. Each gives a bool tensor (a bool, for the last), with
no gradient.
"""

from __future__ import annotations

from typing import Any

from ..args import input_arg
from ..tensor import Tensor


def eq(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input == other, elementwise (`input.eq(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.

    Examples:
        >>> tinygrad_lr.eq(tinygrad_lr.tensor([1, 2, 3]), 2)
        tensor([False,  True, False])
    """
    return input_arg(input, "eq").eq(other)


def ne(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input != other, elementwise (`input.ne(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "ne").ne(other)


def lt(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input < other, elementwise (`input.lt(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "lt").lt(other)


def le(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input <= other, elementwise (`input.le(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "le").le(other)


def gt(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input > other, elementwise (`input.gt(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "gt").gt(other)


def ge(input: Tensor, other: Any) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """input >= other, elementwise (`input.ge(other)`).

    Args:
        input: a tensor.
        other: a tensor or a number that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "ge").ge(other)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def logical_and(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """True where both are nonzero (`input.logical_and(other)`).

    Args:
        input: a tensor.
        other: a tensor that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "logical_and").logical_and(other)


def logical_or(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """True where either is nonzero (`input.logical_or(other)`).

    Args:
        input: a tensor.
        other: a tensor that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return input_arg(input, "logical_or").logical_or(other)


def logical_xor(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """True where exactly one of the two is nonzero (`input.logical_xor(other)`).

    Args:
        input: a tensor.
        other: a tensor that broadcasts with it.

    Returns:
        A bool tensor of the broadcast shape.

    Examples:
        >>> tinygrad_lr.logical_xor(tinygrad_lr.tensor([0, 1, 2]), tinygrad_lr.tensor([0, 0, 5]))
        tensor([False,  True, False])
    """
    return input_arg(input, "logical_xor").logical_xor(other)


def logical_not(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is zero (`input.logical_not()`).

    Args:
        input: a tensor.

    Returns:
        A bool tensor of the input's shape.
    """
    return input_arg(input, "logical_not").logical_not()


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    """Whether the input's dtype is a floating point one (`input.is_floating_point()`).

    Args:
        input: a tensor.

    Returns:
        A Python bool.
    """
    return input_arg(input, "is_floating_point").is_floating_point()


__all__ = [
    "eq", "ge", "greater", "greater_equal", "gt", "is_floating_point", "le", "less", "less_equal",
    "logical_and", "logical_not", "logical_or", "logical_xor", "lt", "ne", "not_equal",
]  # fmt: skip
