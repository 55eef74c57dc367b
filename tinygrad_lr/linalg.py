"""`tinygrad_lr.linalg`: PyTorch's `torch.linalg` norms, `vector_norm`, `matrix_norm` and `norm`.

Each is composed of the Tensor's own reductions (`norm`, `abs`, `sum`, `amax`, `amin`), so its
gradient is theirs. The matrix norms that need the singular values (ord 2, -2 and 'nuc') are not
here: they would need an SVD.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .core.args import dims_arg, input_arg
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


__all__ = ["matrix_norm", "norm", "vector_norm"]
