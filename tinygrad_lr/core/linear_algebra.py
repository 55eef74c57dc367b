"""Square matrices: the inverse, the determinant and its logarithm (Tensor methods), `logdet`
as a function, and `solve`'s shape rules, which `tinygrad_lr.linalg` builds on.

Each method checks its matrices as PyTorch does (at least 2 dimensions, square, floating) and
calls one op of the op table (`Inv`, `Det`, `Slogdet`, `Solve`): the batch dimensions come along
for free, since numpy's LAPACK routines work on stacks of matrices.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from .args import broadcast_shape, fmt, input_arg

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class SlogdetResult(NamedTuple):
    """What `slogdet` returns, as PyTorch's `torch.return_types.linalg_slogdet`: `sign` (1, -1,
    or 0 for a singular matrix) and `logabsdet` (log |det|, -inf for a singular matrix).

    Attributes:
        sign: the sign of each determinant.
        logabsdet: the log of each determinant's absolute value.
    """

    sign: Tensor
    logabsdet: Tensor


class LinearAlgebra:
    """The square-matrix methods of Tensor: inverse, det, slogdet, logdet."""

    def inverse(self: Tensor) -> Tensor:
        """The inverse of each square matrix (the last two dimensions): `torch.linalg.inv`.

        Returns:
            A new tensor of self's shape and dtype.

        Raises:
            RuntimeError: for fewer than 2 dimensions, matrices that are not square, or a dtype
                that is not float32 or float64; `tinygrad_lr.linalg.LinAlgError` (a
                RuntimeError) for a singular matrix.

        Examples:
            >>> tinygrad_lr.tensor([[2.0, 0.0], [0.0, 4.0]]).inverse()
            tensor([[0.5000, 0.0000],
                    [0.0000, 0.2500]])
        """
        return ops.Inv.apply(square_matrices(self, "linalg.inv"))

    def det(self: Tensor) -> Tensor:
        """The determinant of each square matrix (the last two dimensions).

        Its gradient is det · A⁻ᵀ (Jacobi's formula); at a singular matrix it is 0, as
        PyTorch's first derivative is there.

        Returns:
            A new tensor of the batch shape (0-d for one matrix); 1 for a 0 × 0 matrix.

        Raises:
            RuntimeError: for fewer than 2 dimensions, matrices that are not square, or an
                integer dtype.
            NotImplementedError: for float16, which PyTorch's LU factorization refuses.

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).det()
            tensor(-2.)
        """
        return ops.Det.apply(square_matrices(self, "linalg.det", NotImplementedError))

    def slogdet(self: Tensor) -> SlogdetResult:
        """The sign and the log of the absolute value of each determinant.

        log |det| stays finite where the determinant itself would overflow or underflow (the
        determinant of 0.1 · I of size 400 is 1e-400, below float64's range).

        Returns:
            A named tuple (sign, logabsdet) of tensors of the batch shape; a singular matrix
                gives sign 0 and logabsdet -inf.

        Raises:
            RuntimeError: for fewer than 2 dimensions, matrices that are not square, or a dtype
                that is not float32 or float64.

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).slogdet()
            SlogdetResult(sign=tensor(-1.), logabsdet=tensor(0.6931))
        """
        return _slogdet(self, "linalg.slogdet")

    def logdet(self: Tensor) -> Tensor:
        """The log of each determinant: nan where the determinant is negative, -inf where it is 0.

        Returns:
            A new tensor of the batch shape.

        Raises:
            RuntimeError: for fewer than 2 dimensions, matrices that are not square, or a dtype
                that is not float32 or float64.

        Examples:
            >>> tinygrad_lr.tensor([[2.0, 0.0], [0.0, 3.0]]).logdet()
            tensor(1.7918)
        """
        sign, logabsdet = _slogdet(self, "logdet")
        # log det = log |det| where det > 0; the log of a negative number is nan, and PyTorch's
        # gradient there is 0, as masked_fill's is.
        return logabsdet.masked_fill(sign < 0, np.nan)


def _slogdet(A: Tensor, op: str) -> SlogdetResult:
    both = ops.Slogdet.apply(square_matrices(A, op))
    return SlogdetResult(both[0], both[1])


def logdet(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's name
    """The log of the determinant of each square matrix: `input.logdet()`.

    Args:
        input: a float tensor of shape (..., n, n).

    Returns:
        A new tensor of the batch shape: nan where the determinant is negative, -inf where it
            is 0.

    Examples:
        >>> tinygrad_lr.logdet(tinygrad_lr.eye(3) * 2)
        tensor(2.0794)
    """
    return input_arg(input, "logdet").logdet()


def square_matrices(A: Tensor, op: str, half: type[Exception] = RuntimeError) -> Tensor:
    """A, checked as PyTorch checks the matrices of `op`: at least 2 dimensions, square, and
    floating (float16 raises `half`, as PyTorch's CPU kernels do)."""
    if A.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions (A has "
                           f"shape {fmt(A.shape)}).")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices (A has shape "
                           f"{fmt(A.shape)}).")
    return floating(A, op, half)


def floating(A: Tensor, op: str, half: type[Exception] = RuntimeError) -> Tensor:
    """A, if it is float32 or float64: numpy's LAPACK has no integer or float16 routines."""
    if A.dtype.kind != "f":
        raise RuntimeError(f"{op}: Expected a floating point or complex tensor as input. Got "
                           f"{_type_name(A.dtype)}")
    if A.dtype == np.float16:
        if half is NotImplementedError:  # PyTorch's message, from its LU factorization
            raise NotImplementedError(f"\"lu_cpu\" not implemented for 'Half' ({op}: convert "
                                      "the float16 matrices to float32 first)")
        raise RuntimeError(f"{op}: Low precision dtypes not supported. Got Half")
    return A


def solve(A: Tensor, B: Tensor, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B when not `left`), by PyTorch's shape rules: B is a batch of
    vectors when it is 1-D or has A's shape without the last dimension, else a batch of
    matrices; the batch dimensions of A and B broadcast."""
    op = "linalg.solve"
    floating(A, op, NotImplementedError)
    if A.dtype != B.dtype:
        raise RuntimeError(f"{op}: Expected A and B to have the same dtype, but found A of type "
                           f"{_type_name(A.dtype)} and B of type {_type_name(B.dtype)} instead")
    square_matrices(A, op, NotImplementedError)
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    columns = B.unsqueeze(-1) if vector else B
    if columns.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor B must have at least 2 dimensions (B has "
                           f"shape {fmt(B.shape)}).")
    n, (rows, cols) = A.shape[-1], columns.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError(f"{op}: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {rows}x{cols}): A has "
                           f"shape {fmt(A.shape)} and B {fmt(B.shape)}")
    batch = broadcast_shape(A.shape[:-2], columns.shape[:-2], op)
    if not left:  # X A = B is Aᵀ Xᵀ = Bᵀ
        A, columns = A.mT, columns.mT
    A = A.expand(*batch, n, n)
    X = ops.Solve.apply(A, columns.expand(*batch, *columns.shape[-2:]))
    X = X if left else X.mT
    return X.squeeze(-1) if vector else X


def _type_name(dtype: np.dtype) -> str:
    from .legacy import TYPE_NAMES  # (legacy.py imports the Tensor class, which imports this)

    return TYPE_NAMES[np.dtype(dtype)].removeprefix("torch.").removesuffix("Tensor")


__all__ = ["LinearAlgebra", "SlogdetResult", "logdet"]
