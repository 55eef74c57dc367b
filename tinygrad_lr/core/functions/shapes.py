"""Shapes: reshaping, transposing, flipping and turning one tensor (`rot90`), repeating it
(`repeat_interleave`), splitting it into several (`split`, `narrow`, `unbind`), joining several
into one (`stack`, `cat`, `hstack`, `vstack`, `dstack`, `column_stack`, with `atleast_1d`, ...),
and coordinate grids (`meshgrid`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import ops
from ..args import dim_arg, fmt, input_arg, numpy_names, tensor_arg
from ..dtypes import promote
from ..tensor import Tensor


def reshape(input: Tensor, shape: Any) -> Tensor:  # noqa: A002
    """The same elements in a new shape.

    Args:
        input: a tensor.
        shape: the new shape, a tuple of ints (one may be -1).

    Returns:
        The input's elements in that shape.
    """
    return input_arg(input, "reshape").reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Dimensions start_dim..end_dim merged into one.

    Args:
        input: a tensor.
        start_dim: the first dimension to merge.
        end_dim: the last dimension to merge (included).

    Returns:
        The input's elements, those dimensions merged.
    """
    return input_arg(input, "flatten").flatten(start_dim, end_dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """Swap two dimensions.

    Args:
        input: a tensor.
        dim0: one dimension.
        dim1: the other.

    Returns:
        A view of the input.
    """
    return input_arg(input, "transpose").transpose(dim0, dim1)


swapaxes = swapdims = transpose


def permute(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """Reorder the dimensions.

    Args:
        input: a tensor.
        dims: a permutation of the input's dimensions.

    Returns:
        A view of the input.
    """
    return input_arg(input, "permute").permute(dims)


def t(input: Tensor) -> Tensor:  # noqa: A002
    """Transpose a tensor of at most 2 dimensions.

    Args:
        input: a tensor.

    Returns:
        A view of the input.
    """
    return input_arg(input, "t").t()


@numpy_names
def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """Drop dimensions of size 1.

    Args:
        input: a tensor.
        dim: the one dimension to drop; None for every dimension of size 1.

    Returns:
        A view of the input.
    """
    return input_arg(input, "squeeze").squeeze(dim)


@numpy_names
def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """Insert a dimension of size 1 at `dim`.

    Args:
        input: a tensor.
        dim: where the new dimension goes.

    Returns:
        A view of the input.
    """
    return input_arg(input, "unsqueeze").unsqueeze(dim)


def flip(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """The elements in reverse order along `dims`.

    Args:
        input: a tensor.
        dims: the dimensions to reverse.

    Returns:
        A new tensor of input's shape.
    """
    return input_arg(input, "flip").flip(dims)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    """The elements shifted cyclically along `dims`.

    Args:
        input: a tensor.
        shifts: the shift, or one per dimension of `dims`.
        dims: the dimension(s) to roll along; None for the flattened tensor.

    Returns:
        A new tensor of input's shape.
    """
    return input_arg(input, "roll").roll(shifts, dims)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Consecutive pieces along `dim`, of one size or of the sizes listed.

    Args:
        tensor: a tensor.
        split_size_or_sections: the size of each piece, or the list of their sizes.
        dim: the dimension to cut along.

    Returns:
        A tuple of views of the tensor.
    """
    return tensor_arg(tensor, "split", "tensor").split(split_size_or_sections, dim)


@numpy_names
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:  # noqa: A002
    """At most `chunks` pieces of equal size along `dim`.

    Args:
        input: a tensor.
        chunks: how many pieces to make, at most.
        dim: the dimension to cut along.

    Returns:
        A tuple of views of the input.
    """
    return input_arg(input, "chunk").chunk(chunks, dim)


@numpy_names
def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:  # noqa: A002
    """The `length` elements from `start` along `dim` (`input.narrow(...)`, a view).

    Args:
        input: a tensor.
        dim: the dimension to cut along.
        start: the first index kept (an int or a 0-d integer tensor).
        length: how many elements to keep.

    Returns:
        A view of the input.
    """
    return input_arg(input, "narrow").narrow(dim, start, length)


@numpy_names
def unbind(input: Tensor, dim: int = 0) -> tuple:  # noqa: A002
    """The slices along `dim`, each without that dimension (`input.unbind(dim)`).

    Args:
        input: a tensor.
        dim: the dimension to take apart.

    Returns:
        A tuple of views of the input.
    """
    return input_arg(input, "unbind").unbind(dim)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple:
    """Coordinate grids: for n vectors, n tensors of one n-D shape, the i-th holding the i-th
    vector's values along its own dimension (copied along the others, as views).

    With indexing='ij', the grid's dimensions follow the vectors' order: (len(x), len(y)). With
    'xy' (matplotlib's and numpy's default) the first two are swapped: (len(y), len(x)), so that
    x varies along a row. Without `indexing`, 'ij' with PyTorch's warning that it will be needed.

    Args:
        *tensors: 0-d or 1-D tensors of one dtype, or one list of them.
        indexing: 'ij' or 'xy'.

    Returns:
        A tuple of len(tensors) tensors, one shape; gradients flow back to the vectors (summed
            over the copies).

    Examples:
        >>> xs, ys = tinygrad_lr.meshgrid(tinygrad_lr.tensor([1, 2, 3]), tinygrad_lr.tensor([4, 5]),
        ...                               indexing="xy")
        >>> xs
        tensor([[1, 2, 3],
                [1, 2, 3]])
        >>> ys
        tensor([[4, 4, 4],
                [5, 5, 5]])
    """
    vectors = _meshgrid_vectors(tensors, indexing)
    dims = list(range(len(vectors)))
    if indexing == "xy" and len(vectors) > 1:  # vector 0 runs along dim 1, vector 1 along dim 0
        dims[0], dims[1] = 1, 0
    shape = [0] * len(vectors)
    for v, d in zip(vectors, dims):
        shape[d] = v.shape[0]
    grids = []
    for v, d in zip(vectors, dims):
        along = [1] * len(vectors)
        along[d] = -1
        grids.append(v.reshape(along).expand(shape))
    return tuple(grids)


def _meshgrid_vectors(tensors: tuple, indexing: str | None) -> list[Tensor]:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=3)
    elif indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f"{indexing}")
    vectors = [tensor_arg(x, "meshgrid", f"tensors[{i}]") for i, x in enumerate(tensors)]
    for i, v in enumerate(vectors):
        if v.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got a tensor of shape {fmt(v.shape)} at position {i}")
        if v.dtype != vectors[0].dtype:
            raise RuntimeError(f"meshgrid expects all tensors to have the same dtype (tensor 0 is "
                               f"{vectors[0].dtype}, tensor {i} is {v.dtype})")
    return [v.reshape(-1) for v in vectors]


@numpy_names
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension `dim`.

    Args:
        tensors: a non-empty list (or tuple) of tensors.
        dim: where the new dimension goes.

    Returns:
        A new tensor with one more dimension.

    Examples:
        >>> tinygrad_lr.stack([tinygrad_lr.tensor([1, 2]), tinygrad_lr.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
    """
    tensors = _tensor_list(tensors, "stack")
    first = tensors[0]
    for i, x in enumerate(tensors):
        if x.shape != first.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(first.shape)} at entry 0 and {list(x.shape)} at entry {i}")
    d = dim_arg(dim, first.ndim + 1, "stack")
    return cat([x.unsqueeze(d) for x in tensors], d)


def _tensor_list(tensors: Any, op: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}(): argument 'tensors' must be a list or tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{op}(): expected a non-empty list of Tensors")
    return [tensor_arg(x, op, f"tensors[{i}]") for i, x in enumerate(tensors)]


@numpy_names
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension `dim`; all other sizes must agree.

    `cat([x, x**2, x**3], dim=1)` turns a column x into the polynomial features (x, x², x³).

    Args:
        tensors: a non-empty list (or tuple) of tensors.
        dim: the dimension to join along.

    Returns:
        A new tensor.

    Examples:
        >>> x = tinygrad_lr.tensor([[1.0], [2.0]])
        >>> tinygrad_lr.cat([x, x ** 2, x ** 3], dim=1)
        tensor([[1., 1., 1.],
                [2., 4., 8.]])
    """
    tensors = _tensor_list(tensors, "cat")
    first = tensors[0]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat(): zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
        if t.ndim != first.ndim:
            raise RuntimeError(f"cat(): Tensors must have same number of dimensions: got "
                               f"{first.ndim} and {t.ndim} (shapes {fmt(first.shape)} and "
                               f"{fmt(t.shape)}, tensor number {i} in the list)")
    d = dim_arg(dim, first.ndim, "cat")
    for i, t in enumerate(tensors):
        for axis, (a, b) in enumerate(zip(first.shape, t.shape)):
            if axis != d and a != b:
                raise RuntimeError(
                    f"cat(): Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{a} but got size {b} for tensor number {i} in the list (shapes "
                    f"{fmt(first.shape)} and {fmt(t.shape)})"
                )
    dtype = first.dtype
    for t in tensors[1:]:
        dtype = promote(dtype, 1, t.dtype, 1)  # as for a binary op between them
    return ops.Cat.apply(*[t.to(dtype) for t in tensors], dim=d)


concat = concatenate = cat


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dimension: a 0-d tensor becomes a 1-element vector.

    Args:
        *tensors: tensors, or one list or tuple of them.

    Returns:
        The tensor (a view of it), or a tuple of them for several.
    """
    return _at_least(tensors, "atleast_1d", lambda x: x.reshape(1))


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dimensions: a vector of n elements becomes a (1, n) row.

    Args:
        *tensors: tensors, or one list or tuple of them.

    Returns:
        The tensor (a view of it), or a tuple of them for several.
    """
    return _at_least(tensors, "atleast_2d", lambda x: x.reshape(1, -1))


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dimensions: a vector of n elements becomes (1, n, 1), a
    matrix (m, n) becomes (m, n, 1), as in numpy.

    Args:
        *tensors: tensors, or one list or tuple of them.

    Returns:
        The tensor (a view of it), or a tuple of them for several.
    """
    return _at_least(tensors, "atleast_3d", lambda x: (x.reshape(1, -1, 1) if x.ndim < 2
                                                        else x.unsqueeze(-1)))  # fmt: skip


def _at_least(tensors: tuple, op: str, grow: Any) -> Any:
    listed = len(tensors) == 1 and isinstance(tensors[0], (list, tuple))
    given = [tensor_arg(x, op, "tensors") for x in (tensors[0] if listed else tensors)]
    wanted = int(op[-2])  # atleast_Nd
    out = tuple(x if x.ndim >= wanted else grow(x) for x in given)
    return out if listed or len(out) != 1 else out[0]


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join tensors side by side: vectors end to end (along dim 0), anything else along its
    columns (dim 1). A 0-d tensor counts as a 1-element vector.

    Args:
        tensors: a non-empty list (or tuple) of tensors.

    Returns:
        A new tensor.

    Examples:
        >>> a, b = tinygrad_lr.tensor([1, 2]), tinygrad_lr.tensor([3])
        >>> tinygrad_lr.hstack([a, b])
        tensor([1, 2, 3])
    """
    tensors = atleast_1d(_tensor_list(tensors, "hstack"))
    return cat(tensors, 0 if all(x.ndim == 1 for x in tensors) else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join tensors one below the other (along dim 0), a vector of n elements counting as a
    (1, n) row.

    Args:
        tensors: a non-empty list (or tuple) of tensors.

    Returns:
        A new tensor of at least 2 dimensions.

    Examples:
        >>> tinygrad_lr.vstack([tinygrad_lr.tensor([1, 2]), tinygrad_lr.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
    """
    return cat(atleast_2d(_tensor_list(tensors, "vstack")), 0)


row_stack = vstack


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join tensors along their depth (dim 2), each made at least 3-D first (see
    `atleast_3d`).

    Args:
        tensors: a non-empty list (or tuple) of tensors.

    Returns:
        A new tensor of at least 3 dimensions.
    """
    return cat(atleast_3d(_tensor_list(tensors, "dstack")), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join tensors as the columns of a matrix: each vector (or 0-d tensor) becomes one column,
    and matrices add their columns.

    Args:
        tensors: a non-empty list (or tuple) of tensors.

    Returns:
        A new tensor of at least 2 dimensions.

    Examples:
        >>> tinygrad_lr.column_stack([tinygrad_lr.tensor([1, 2]), tinygrad_lr.tensor([3, 4])])
        tensor([[1, 3],
                [2, 4]])
    """
    tensors = _tensor_list(tensors, "column_stack")
    return cat([x.reshape(-1, 1) if x.ndim < 2 else x for x in tensors], 1)


def rot90(input: Tensor, k: int = 1, dims: Any = (0, 1)) -> Tensor:  # noqa: A002
    """The input turned by k quarter turns in the plane of `dims` (`input.rot90(k, dims)`).

    Args:
        input: a tensor of at least 2 dimensions.
        k: how many quarter turns, from the first dimension towards the second.
        dims: the two dimensions of the plane.

    Returns:
        A new tensor.
    """
    return input_arg(input, "rot90").rot90(k, dims)


@numpy_names
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,  # noqa: A002
                      output_size: int | None = None) -> Tensor:  # fmt: skip
    """Each slice along `dim` repeated in place (`input.repeat_interleave(repeats, dim)`). With
    a 1-D integer tensor alone, its positions, each repeated as often as it says:
    `repeat_interleave(tensor([1, 0, 2]))` is `tensor([0, 2, 2])`.

    Args:
        input: a tensor; or, alone, the counts.
        repeats: an int, or a 1-D integer tensor with one count per slice.
        dim: the dimension to repeat along; None for the flattened elements.
        output_size: the size of the result along `dim`, if known (checked).

    Returns:
        A new tensor.
    """
    input = input_arg(input, "repeat_interleave")
    if repeats is None:
        if input.ndim != 1:
            raise RuntimeError(f"repeat_interleave only accept 1D vector as repeat (got shape "
                               f"{fmt(input.shape)})")
        positions = Tensor._wrap(np.arange(input.shape[0], dtype=input.dtype))
        return positions.repeat_interleave(input, output_size=output_size)
    return input.repeat_interleave(repeats, dim, output_size=output_size)


__all__ = [
    "atleast_1d", "atleast_2d", "atleast_3d", "cat", "chunk", "column_stack", "concat",
    "concatenate", "dstack", "flatten", "flip", "hstack", "meshgrid", "narrow", "permute",
    "repeat_interleave", "reshape", "roll", "rot90", "row_stack", "split", "squeeze", "stack",
    "swapaxes", "swapdims", "t", "transpose", "unbind", "unsqueeze", "vstack",
]  # fmt: skip
