"""The parts of a matrix: its lower and upper triangles (tril, triu), its diagonal (diag) and the
sum of the diagonal (trace).

Each is composed of ops that already exist (a mask and `where`, indexing, `cat`, `expand`), so
its gradient is theirs: a triangle passes the gradient through the elements it keeps and stops it
at the zeros it wrote; a diagonal sends each element's gradient back to where it was taken from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from .args import fmt

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Matrices:
    """The triangle and diagonal methods of Tensor."""

    def tril(self: Tensor, diagonal: int = 0) -> Tensor:
        """The lower triangle of each matrix (the last two dimensions): zeros above the diagonal.

        Element (i, j) is kept where j - i <= diagonal: 0 is the main diagonal, 1 the one above
        it, -1 the one below.

        Args:
            diagonal: which diagonal is the last one kept.

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> tinygrad_lr.ones(3, 3).tril()
            tensor([[1., 0., 0.],
                    [1., 1., 0.],
                    [1., 1., 1.]])
        """
        return self._triangle("tril", diagonal)

    def triu(self: Tensor, diagonal: int = 0) -> Tensor:
        """The upper triangle of each matrix (the last two dimensions): zeros below the diagonal.

        Element (i, j) is kept where j - i >= diagonal.

        Args:
            diagonal: which diagonal is the first one kept (0 the main one, 1 above it, -1 below).

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> tinygrad_lr.ones(2, 3).triu(1)
            tensor([[0., 1., 1.],
                    [0., 0., 1.]])
        """
        return self._triangle("triu", diagonal)

    def _triangle(self: Tensor, name: str, diagonal: int) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions (got shape "
                               f"{fmt(self.shape)})")
        k = _int_arg(diagonal, name, "diagonal")
        n, m = self.shape[-2:]
        lower = np.tri(n, m, k, dtype=bool)  # True where j - i <= k
        keep = lower if name == "tril" else ~np.tri(n, m, k - 1, dtype=bool)
        # masked_fill, not a product with the mask: inf · 0 would be nan
        return self.masked_fill(Tensor._wrap(~keep), 0)

    def diag(self: Tensor, diagonal: int = 0) -> Tensor:
        """A 1-D tensor made the diagonal of a square matrix, or a 2-D tensor's diagonal as 1-D.

        Args:
            diagonal: which diagonal: 0 the main one, k > 0 the k-th above it, k < 0 below it.

        Returns:
            For a vector of n elements, an (n + |k|, n + |k|) matrix of zeros with the vector on
                diagonal k; for a matrix, a new 1-D tensor of the elements on diagonal k.

        Raises:
            RuntimeError: for a tensor that is neither 1-D nor 2-D.

        Examples:
            >>> tinygrad_lr.tensor([1, 2]).diag()
            tensor([[1, 0],
                    [0, 2]])
            >>> tinygrad_lr.arange(6).reshape(2, 3).diag(1)
            tensor([1, 5])
        """
        k = _int_arg(diagonal, "diag", "diagonal")
        if self.ndim == 1:
            return self._diagonal_matrix(k)
        if self.ndim == 2:
            n, m = self.shape
            rows = np.arange(max(0, -k), max(0, min(n, m - k)))
            return self[rows, rows + k]  # element i is at (row i, column i + k)
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D (shape "
                           f"{fmt(self.shape)})")

    def _diagonal_matrix(self: Tensor, k: int) -> Tensor:
        # Element (i, j) lies on diagonal k where j - i = k. Above the main diagonal, row i holds
        # v[i]; below it, column j holds v[j]: copy the vector (padded with |k| zeros) along the
        # rows or the columns, and keep diagonal k.
        n = self.shape[0] + abs(k)
        padded = ops.Cat.apply(self, self.new_zeros(abs(k)), dim=0)
        copies = padded.unsqueeze(1 if k >= 0 else 0).expand(n, n)
        return copies.masked_fill(Tensor._wrap(~np.eye(n, k=k, dtype=bool)), 0)

    def trace(self: Tensor) -> Tensor:
        """The sum of a matrix's main diagonal.

        Returns:
            A 0-d tensor (int64 for an integer matrix, as a sum).

        Raises:
            RuntimeError: for a tensor that is not 2-D.

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).trace()
            tensor(5.)
        """
        if self.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.ndim} "
                               f"(shape {fmt(self.shape)})")
        if self._data.dtype.kind == "b":
            raise NotImplementedError("trace: not implemented for bool tensors; call .long() first")
        return self.diag().sum()


def _int_arg(value: Any, op: str, arg: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{op}(): argument '{arg}' must be int, not {type(value).__name__}")
    return int(value)
