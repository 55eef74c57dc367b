"""`tinygrad_lr.linalg`: PyTorch's `torch.linalg`: the norms (`vector_norm`, `matrix_norm`,
`norm`), and the inverse, determinant and linear solve of square matrices (`inv`, `det`,
`slogdet`, `solve`), with `LinAlgError`, the error of a singular matrix.

The norms are composed of the Tensor's own reductions (`norm`, `abs`, `sum`, `amax`, `amin`), so
their gradients are theirs. The square-matrix functions are ops of the op table (`inv`, `det`,
`slogdet`, `solve`), computed by numpy's LAPACK, with their derivatives written out:

    d(A⁻¹) = -A⁻¹ dA A⁻¹          d det A = det A · tr(A⁻¹ dA)          d(A⁻¹B) = A⁻¹ (dB - dA A⁻¹B)

What needs the singular values or another factorization is not here: the matrix norms of ord 2,
-2 and 'nuc', `svd`, `eig`, `qr`, `cholesky`, `lstsq`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .core.args import check_flag, dims_arg, input_arg, tensor_arg
from .core.linear_algebra import SlogdetResult
from .core.linear_algebra import solve as _solve
from .core.ops.linalg import LinAlgError
from .core.tensor import Tensor


def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:  # fmt: skip
    """The vector norm of the elements over `dim`, all of them (flattened) when None.

    (Σ |x|^ord)^(1/ord) for a number ord; inf is max |x|, -inf is min |x|, 0 counts the nonzero
    elements.

    Args:
        x: a floating tensor.
        ord: the order: a number, inf or -inf (2 by default, the Euclidean length).
        dim: the dimension or dimensions to reduce; None for every element.
        keepdim: keep the reduced dimensions, with size 1.
        dtype: the dtype to convert x to first.

    Returns:
        A new tensor without the reduced dimensions; its gradient is 0 at a zero vector, as in
            PyTorch (and there is none for ord = 0, a count).

    Raises:
        RuntimeError: for an integer tensor.
        TypeError: for an ord that is not a number.

    Examples:
        >>> v = tinygrad_lr.tensor([3.0, -4.0])
        >>> tinygrad_lr.linalg.vector_norm(v), tinygrad_lr.linalg.vector_norm(v, ord=1)
        (tensor(5.), tensor(7.))
    """
    x = _floating(x, "vector_norm", dtype)
    if isinstance(ord, str) or not isinstance(ord, (int, float, np.integer, np.floating)):
        raise TypeError(f"linalg.vector_norm(): argument 'ord' must be a number, not "
                        f"{type(ord).__name__} ({ord!r})")
    if abs(ord) == np.inf and any(x.shape[d] == 0 for d in dims_arg(dim, x.ndim, "vector_norm")):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor "
                           f"(shape {tuple(x.shape)}) because the operation does not have an "
                           "identity")
    return x.norm(float(ord), dim, keepdim)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1),  # noqa: N803, A002
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # fmt: skip
    """The matrix norm of each matrix, whose rows and columns are the dimensions `dim`.

    'fro' is √Σ x² (the Frobenius norm); 1 is the largest sum of |x| down a column, -1 the
    smallest; inf the largest sum of |x| along a row, -inf the smallest.

    Args:
        A: a floating tensor of at least 2 dimensions.
        ord: 'fro', 1, -1, inf or -inf.
        dim: the two dimensions of each matrix: (rows, columns).
        keepdim: keep the two reduced dimensions, with size 1.
        dtype: the dtype to convert A to first.

    Returns:
        A new tensor without the two dimensions.

    Raises:
        RuntimeError: for fewer than 2 dimensions, a `dim` that is not two dimensions, or an
            unknown ord.
        NotImplementedError: for ord 2, -2 and 'nuc', which need the singular values.

    Examples:
        >>> m = tinygrad_lr.tensor([[1.0, -2.0], [3.0, 4.0]])
        >>> tinygrad_lr.linalg.matrix_norm(m, ord=1)
        tensor(6.)
    """
    A = _floating(A, "matrix_norm", dtype)
    if A.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: The input tensor A must have at least 2 "
                           f"dimensions (got shape {tuple(A.shape)})")
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {len(dims)} "
                           f"({dim!r})")
    rows, cols = dims_arg(dims, A.ndim, "linalg.matrix_norm")
    if isinstance(ord, str) and ord == "fro":
        return A.norm(2, (rows, cols), keepdim)
    if (isinstance(ord, str) and ord == "nuc") or ord in (2, -2):
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} needs the singular values "
                                  "(an SVD), which tinygrad_lr does not compute; ord='fro', 1, "
                                  "-1, inf and -inf are available")
    if ord not in (1, -1, np.inf, -np.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    # ord ±1 adds |x| down each column (over the rows), ±inf along each row (over the columns);
    # then the largest (+) or smallest (-) of those sums.
    summed = A.abs().sum(rows if abs(ord) == 1 else cols, keepdim=True)
    extreme = summed.amax if ord > 0 else summed.amin
    return extreme((rows, cols), keepdim=keepdim)


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: N803, A002
         dtype: Any = None) -> Tensor:  # fmt: skip
    """A vector or a matrix norm, as `torch.linalg.norm` chooses.

    With `dim` an int (or a 1-tuple), the vector norm over it; with `dim` a 2-tuple, the matrix
    norm of those dimensions. Without `dim`: with ord None, the 2-norm of every element
    (flattened, whatever the shape); with an ord, A must be 1-D (a vector norm) or 2-D (a matrix
    norm).

    Args:
        A: a floating tensor.
        ord: the order: see `vector_norm` and `matrix_norm`; None is 2 for vectors and 'fro' for
            matrices.
        dim: None, an int, or a tuple of one or two ints.
        keepdim: keep the reduced dimensions, with size 1.
        dtype: the dtype to convert A to first.

    Returns:
        A new tensor without the reduced dimensions.

    Raises:
        RuntimeError: for a `dim` of more than two dimensions, or an ord with neither `dim` nor a
            1-D or 2-D tensor.

    Examples:
        >>> m = tinygrad_lr.tensor([[3.0, 0.0], [0.0, 4.0]])
        >>> tinygrad_lr.linalg.norm(m), tinygrad_lr.linalg.norm(m, dim=1)
        (tensor(5.), tensor([3., 4.]))
    """
    A = _floating(A, "norm", dtype)
    if isinstance(ord, str):  # 'fro' and 'nuc' name matrix norms
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim)
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 1:
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim)
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                           f"{list(dims)}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim)
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim)
    raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or "
                       f"2D. Got {A.ndim}D.")


def _floating(x: Any, name: str, dtype: Any) -> Tensor:
    x = input_arg(x, f"linalg.{name}")
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise RuntimeError(f"linalg.{name}: Expected a floating point tensor as input. Got "
                           f"{x.dtype}")
    return x


def inv(A: Tensor) -> Tensor:  # noqa: N803 - PyTorch's name
    """The inverse of each square matrix (the last two dimensions of A).

    `tinygrad_lr.inverse(A)` and `A.inverse()` are the same. The gradient is -A⁻ᵀ g A⁻ᵀ; to
    solve A X = B, `solve` is faster and more accurate than `inv(A) @ B`.

    Args:
        A: a float32 or float64 tensor of shape (..., n, n).

    Returns:
        A new tensor of A's shape and dtype.

    Raises:
        LinAlgError: for a singular matrix (a RuntimeError, as PyTorch's), naming the first
            singular matrix of a batch.
        RuntimeError: for fewer than 2 dimensions, matrices that are not square, or another
            dtype.

    Examples:
        >>> A = tinygrad_lr.tensor([[4.0, 2.0], [2.0, 2.0]])
        >>> tinygrad_lr.linalg.inv(A)
        tensor([[ 0.5000, -0.5000],
                [-0.5000,  1.0000]])
        >>> tinygrad_lr.linalg.inv(A) @ A
        tensor([[1., 0.],
                [0., 1.]])
    """
    return tensor_arg(A, "linalg.inv", "A").inverse()


def det(A: Tensor) -> Tensor:  # noqa: N803 - PyTorch's name
    """The determinant of each square matrix (the last two dimensions of A).

    `tinygrad_lr.det(A)` and `A.det()` are the same. The gradient is g · det A · A⁻ᵀ (Jacobi's
    formula). At a singular matrix it is 0, as PyTorch's first derivative is (the true
    derivative there is the transposed adjugate, which PyTorch computes only in a backward with
    `create_graph=True`).

    Args:
        A: a float32 or float64 tensor of shape (..., n, n).

    Returns:
        A new tensor of the batch shape A.shape[:-2] (0-d for one matrix).

    Raises:
        RuntimeError: for fewer than 2 dimensions, matrices that are not square, or an
            integer dtype.
        NotImplementedError: for float16, as PyTorch's LU factorization on the CPU.

    Examples:
        >>> tinygrad_lr.linalg.det(tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]))
        tensor(-2.)
        >>> tinygrad_lr.linalg.det(tinygrad_lr.eye(2).expand(3, 2, 2) * 3)
        tensor([9., 9., 9.])
    """
    return tensor_arg(A, "linalg.det", "A").det()


def slogdet(A: Tensor) -> SlogdetResult:  # noqa: N803 - PyTorch's name
    """The sign and the log of the absolute value of the determinant of each square matrix.

    det A = sign · exp(logabsdet), without the determinant's overflow and underflow. The
    gradient of logabsdet is A⁻ᵀ; the sign's is 0. `tinygrad_lr.slogdet(A)` and `A.slogdet()`
    are the same.

    Args:
        A: a float32 or float64 tensor of shape (..., n, n).

    Returns:
        A named tuple (sign, logabsdet) of tensors of the batch shape; a singular matrix gives
            sign 0 and logabsdet -inf.

    Raises:
        RuntimeError: for fewer than 2 dimensions, matrices that are not square, or another
            dtype.

    Examples:
        >>> sign, logabsdet = tinygrad_lr.linalg.slogdet(tinygrad_lr.eye(400) * 0.1)
        >>> sign, logabsdet
        (tensor(1.), tensor(-921.0341))
    """
    return tensor_arg(A, "linalg.slogdet", "A").slogdet()


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:  # noqa: N803 - PyTorch's names
    """The solution X of A X = B (or X A = B with `left=False`), for square matrices A.

    B is a batch of vectors when it is 1-D or has A's shape without its last dimension, (..., n);
    else a batch of matrices, (..., n, k). The batch dimensions of A and B broadcast. The
    gradients: gB = A⁻ᵀ g (another solve) and gA = -gB Xᵀ.

    Args:
        A: a float32 or float64 tensor of shape (..., n, n).
        B: a tensor of A's dtype, of shape (..., n) or (..., n, k) (with `left=False`,
            (..., k, n)).
        left: solve A X = B (True) or X A = B (False).

    Returns:
        X, of the broadcast batch shape and B's last one or two dimensions.

    Raises:
        LinAlgError: for a singular matrix A (a RuntimeError), naming the first singular
            matrix of a batch.
        RuntimeError: for shapes that do not fit (naming both), dtypes that differ, or an
            integer A.

    Examples:
        >>> A = tinygrad_lr.tensor([[3.0, 1.0], [1.0, 2.0]])
        >>> tinygrad_lr.linalg.solve(A, tinygrad_lr.tensor([9.0, 8.0]))
        tensor([2., 3.])
    """
    A = tensor_arg(A, "linalg.solve", "A")
    B = tensor_arg(B, "linalg.solve", "B")
    return _solve(A, B, check_flag(left, "linalg.solve", "left"))


__all__ = ["LinAlgError", "det", "inv", "matrix_norm", "norm", "slogdet", "solve", "vector_norm"]
