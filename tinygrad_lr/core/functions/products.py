"""Matrix products: `mm`, `matmul`, `bmm`, `dot` and `outer`."""

from __future__ import annotations

from ..args import input_arg
from ..tensor import Tensor


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Matrix product of two 2-D tensors (`input.mm(mat2)`).

    Args:
        input: a 2-D tensor (n, k).
        mat2: a 2-D tensor (k, m).

    Returns:
        A new tensor of shape (n, m).
    """
    return input_arg(input, "mm").mm(mat2)


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """numpy's matmul of two tensors (`input @ other`).

    Args:
        input: a tensor, at least 1-D.
        other: a tensor, at least 1-D.

    Returns:
        A new tensor, as numpy's matmul shapes it.
    """
    return input_arg(input, "matmul").matmul(other)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Batched matrix product of two 3-D tensors.

    Args:
        input: a 3-D tensor (b, n, k).
        mat2: a 3-D tensor (b, k, m).

    Returns:
        A new tensor of shape (b, n, m).
    """
    return input_arg(input, "bmm").bmm(mat2)


def dot(input: Tensor, tensor: Tensor) -> Tensor:  # noqa: A002
    """The dot product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        tensor: a 1-D tensor of the input's size.

    Returns:
        A 0-d tensor.
    """
    return input_arg(input, "dot").dot(tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """The outer product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        vec2: a 1-D tensor.

    Returns:
        A new 2-D tensor.

    Examples:
        >>> tinygrad_lr.outer(tinygrad_lr.tensor([1.0, 2.0]), tinygrad_lr.tensor([1.0, 10.0]))
        tensor([[ 1., 10.],
                [ 2., 20.]])
    """
    return input_arg(input, "outer").outer(vec2)


__all__ = [
    "bmm", "dot", "matmul", "mm", "outer",
]  # fmt: skip
