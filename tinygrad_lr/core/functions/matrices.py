"""The parts of a matrix: `tril` and `triu` (its triangles), `diag` (its diagonal, or a vector
made one) and `trace`."""

from __future__ import annotations

from ..args import input_arg
from ..tensor import Tensor


def tril(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """The lower triangle of each matrix: zeros where j - i > diagonal (`input.tril`).

    Args:
        input: a tensor of at least 2 dimensions.
        diagonal: which diagonal is the last one kept (0 the main one).

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "tril").tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """The upper triangle of each matrix: zeros where j - i < diagonal (`input.triu`).

    Args:
        input: a tensor of at least 2 dimensions.
        diagonal: which diagonal is the first one kept (0 the main one).

    Returns:
        A new tensor of the input's shape.
    """
    return input_arg(input, "triu").triu(diagonal)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """A vector made the diagonal of a square matrix, or a matrix's diagonal (`input.diag`).

    Args:
        input: a 1-D or 2-D tensor.
        diagonal: which diagonal: 0 the main one, k > 0 above it, k < 0 below it.

    Returns:
        A new 2-D tensor for a vector, a new 1-D tensor for a matrix.

    Examples:
        >>> tinygrad_lr.diag(tinygrad_lr.tensor([1.0, 2.0]), 1)
        tensor([[0., 1., 0.],
                [0., 0., 2.],
                [0., 0., 0.]])
    """
    return input_arg(input, "diag").diag(diagonal)


def trace(input: Tensor) -> Tensor:  # noqa: A002
    """The sum of a matrix's main diagonal (`input.trace()`).

    Args:
        input: a 2-D tensor.

    Returns:
        A 0-d tensor.
    """
    return input_arg(input, "trace").trace()


__all__ = ["diag", "trace", "tril", "triu"]
