"""Writing into the places an index names, the inverses of gather and index_select: `scatter`,
`scatter_add`, `index_add`, `index_fill`, `index_copy`, and their in-place forms.

Each is built from one op of the table, `scatter_add` (src added at the places a key names; its
backward gathers g back from them), and `masked_fill`, which clears the places an overwrite
replaces. So the gradients are PyTorch's: an overwritten element of self gets 0, every other one
g; an element of src gets g at the place it went to.

An index that names one place twice: scatter_add and index_add add both elements there; scatter
and index_copy keep the *last* one, in the index's row-major order (PyTorch leaves the choice
undefined), and only that one gets a gradient (PyTorch's formula gives the others g too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import ops
from .args import dim_arg, fmt, tensor_arg
from .engine import no_grad
from .ops.shape import _along

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Scattering:
    """The scatter and index_* methods of Tensor."""

    def scatter(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> Tensor:  # fmt: skip
        """A copy of self with `src[i][j]` written at `[index[i][j]][j]` for dim 0,
        `[i][index[i][j]]` for dim 1, …: the inverse of `gather`.

        Args:
            dim: the dimension the index points along.
            index: an int64 tensor with self's number of dimensions, no larger than src, nor
                than self apart from `dim`.
            src: a tensor of self's dtype (only its part of index's shape is used), or a number
                written at every named place.
            value: the number to write, PyTorch's keyword form of a number `src`.
            reduce: 'add' for `scatter_add` (PyTorch's older spelling); None to overwrite.

        Returns:
            A new tensor of self's shape. A place named twice keeps the last element in
                index's row-major order, and only that element gets a gradient.

        Raises:
            RuntimeError: for an index that is not int64, of another number of dimensions,
                larger than src or self, or out of range; for a src of another dtype.

        Examples:
            >>> x = tinygrad_lr.zeros(2, 3)
            >>> x.scatter(1, tinygrad_lr.tensor([[2], [0]]), tinygrad_lr.tensor([[5.0], [7.0]]))
            tensor([[0., 0., 5.],
                    [7., 0., 0.]])
            >>> x.scatter(0, tinygrad_lr.tensor([[1, 0, 1]]), 1.0)
            tensor([[0., 1., 0.],
                    [1., 0., 1.]])
        """
        if reduce == "add":
            return self.scatter_add(dim, index, src)
        if reduce is not None:
            raise NotImplementedError(f"scatter(): reduce={reduce!r} is not supported; use "
                                      f"scatter_add, or reduce='add'")
        src = value if src is None else src
        if src is None:
            raise TypeError("scatter(): give src, a tensor or a number, or value=")
        if not isinstance(src, Tensor):
            key = _scatter_key(self, dim, index, None, "scatter")[0]
            return self.masked_fill(Tensor._wrap(_hit(key, self.shape)), src)
        key, part = _scatter_key(self, dim, index, src, "scatter")
        cleared = self.masked_fill(Tensor._wrap(_hit(key, self.shape)), 0)
        keep = _last_of_each(key, self.shape)
        if keep is not None:
            key = tuple(k[keep] for k in np.broadcast_arrays(*key))
            part = part[Tensor._wrap(keep)]
        return ops.ScatterAdd.apply(cleared, part, key=key)

    def scatter_add(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
        """A copy of self with `src[i][j]` added at `[index[i][j]][j]` for dim 0,
        `[i][index[i][j]]` for dim 1, …; a place named twice gets both elements.

        Args:
            dim: the dimension the index points along.
            index: an int64 tensor with self's number of dimensions, no larger than src, nor
                than self apart from `dim`.
            src: a tensor of self's dtype; only its part of index's shape is used.

        Returns:
            A new tensor of self's shape; the gradient is g for self, and for src the gradient
                at the place each element went to (`g.gather(dim, index)`).

        Raises:
            RuntimeError: as `scatter`.

        Examples:
            >>> idx = tinygrad_lr.tensor([0, 1, 0, 2])
            >>> tinygrad_lr.zeros(3).scatter_add(0, idx, tinygrad_lr.tensor([1.0, 2.0, 3.0, 4.0]))
            tensor([4., 2., 4.])
        """
        src = tensor_arg(src, "scatter_add", "src")
        key, part = _scatter_key(self, dim, index, src, "scatter_add")
        return ops.ScatterAdd.apply(self, part, key=key)

    def index_add(self: Tensor, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """A copy of self with `alpha * source`'s slices along `dim` added at the positions a 1-D
        `index` names; a position named twice gets both slices.

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions in 0..size-1.
            source: a tensor of self's dtype and shape, but for `dim`, whose size is len(index).
            alpha: the number source is multiplied by.

        Returns:
            A new tensor of self's shape.

        Raises:
            RuntimeError: for a bad index, a source of another dtype or shape.

        Examples:
            >>> x, src = tinygrad_lr.ones(3, 2), tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.index_add(0, tinygrad_lr.tensor([0, 2]), src)
            tensor([[2., 3.],
                    [1., 1.],
                    [4., 5.]])
        """
        key, source = _index_key(self, dim, index, source, "index_add")
        return ops.ScatterAdd.apply(self, source if alpha == 1 else source * alpha, key=key)

    def index_fill(self: Tensor, dim: int, index: Any, value: Any) -> Tensor:
        """A copy of self with `value` in every slice along `dim` that a 1-D `index` names.

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions in 0..size-1.
            value: a number, or a 0-d tensor (which receives the gradient of the filled places).

        Returns:
            A new tensor of self's shape; the filled places get no gradient.

        Examples:
            >>> tinygrad_lr.zeros(2, 3).index_fill(1, tinygrad_lr.tensor([0, 2]), -1.0)
            tensor([[-1.,  0., -1.],
                    [-1.,  0., -1.]])
        """
        d, i = _positions(self, dim, index, "index_fill")
        mask = np.zeros(self.shape[d] if self.ndim else 1, bool)
        mask[i] = True
        shape = [1] * self.ndim
        if self.ndim:
            shape[d] = self.shape[d]
        return self.masked_fill(Tensor._wrap(mask.reshape(shape)), value)

    def index_copy(self: Tensor, dim: int, index: Any, source: Any) -> Tensor:
        """A copy of self with source's slices along `dim` written at the positions a 1-D
        `index` names (a position named twice keeps the last slice).

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions in 0..size-1.
            source: a tensor of self's dtype and shape, but for `dim`, whose size is len(index).

        Returns:
            A new tensor of self's shape; the overwritten places of self get no gradient.

        Examples:
            >>> x = tinygrad_lr.zeros(3)
            >>> x.index_copy(0, tinygrad_lr.tensor([2, 0]), tinygrad_lr.tensor([5.0, 6.0]))
            tensor([6., 0., 5.])
        """
        key, source = _index_key(self, dim, index, source, "index_copy")
        i, d = key[-1], len(key) - 1
        last = i.size - 1 - np.unique(i[::-1], return_index=True)[1]
        if last.size < i.size:  # repeated positions: keep the last slice of each
            key, source = key[:-1] + (i[last],), source.index_select(d, Tensor._wrap(last))
        return ops.ScatterAdd.apply(self.index_fill(d, Tensor._wrap(i), 0), source, key=key)

    # --- in place --------------------------------------------------------------------------------

    def scatter_(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> Tensor:  # fmt: skip
        """In place: `scatter`; returns self.

        Args:
            dim: the dimension the index points along.
            index: an int64 tensor, as for `scatter`.
            src: a tensor of self's dtype, or a number.
            value: the number to write, PyTorch's keyword form of a number `src`.
            reduce: 'add' for `scatter_add_`; None to overwrite.

        Returns:
            self, changed.
        """
        src = value if src is None else src
        return _written(self, "scatter_", src,
                        lambda t, s: t.scatter(dim, index, s, reduce=reduce))  # fmt: skip

    def scatter_add_(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
        """In place: `scatter_add`; returns self.

        Args:
            dim: the dimension the index points along.
            index: an int64 tensor, as for `scatter_add`.
            src: a tensor of self's dtype.

        Returns:
            self, changed.
        """
        return _written(self, "scatter_add_", src, lambda t, s: t.scatter_add(dim, index, s))

    def index_add_(self: Tensor, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """In place: `index_add`; returns self.

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions.
            source: a tensor of self's dtype and shape, but for `dim`.
            alpha: the number source is multiplied by.

        Returns:
            self, changed.
        """
        return _written(self, "index_add_", source,
                        lambda t, s: t.index_add(dim, index, s, alpha=alpha))  # fmt: skip

    def index_fill_(self: Tensor, dim: int, index: Any, value: Any) -> Tensor:
        """In place: `index_fill`; returns self.

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions.
            value: a number, or a 0-d tensor.

        Returns:
            self, changed.
        """
        return _written(self, "index_fill_", value, lambda t, v: t.index_fill(dim, index, v))

    def index_copy_(self: Tensor, dim: int, index: Any, source: Any) -> Tensor:
        """In place: `index_copy`; returns self.

        Args:
            dim: the dimension the index points along.
            index: a 1-D int64 or int32 tensor of positions.
            source: a tensor of self's dtype and shape, but for `dim`.

        Returns:
            self, changed.
        """
        return _written(self, "index_copy_", source, lambda t, s: t.index_copy(dim, index, s))


def _written(self: Tensor, name: str, src: Any, out_of_place: Callable[..., Tensor]) -> Tensor:
    """The in-place form of `out_of_place(self, src)`, through Tensor._inplace. The result is
    computed first, so that a bad argument fails before anything is written."""
    other = src if isinstance(src, Tensor) else None
    with no_grad():
        result = out_of_place(Tensor._wrap(self._data), src)._data
    return self._inplace(name, lambda a, *_: np.copyto(a, result),
                         lambda t, *o: out_of_place(t, o[0] if o else src), other)  # fmt: skip


def _scatter_key(self: Tensor, dim: int, index: Any, src: Any, op: str) -> tuple:
    """The numpy key of the places `index` names along `dim`, and src's part of index's shape,
    checked as PyTorch checks them."""
    index = tensor_arg(index, op, "index")
    if self.ndim == 0:
        raise RuntimeError(f"{op}(): a 0-d self is not supported here; reshape it to (1,) first")
    if index._data.dtype != np.int64:
        raise RuntimeError(f"{op}(): Expected dtype int64 for index, got {index.dtype}")
    d = dim_arg(dim, self.ndim, op)
    if src is not None:
        src = tensor_arg(src, op, "src")
        if src.dtype != self.dtype:
            raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype (self is "
                               f"{self.dtype}, src is {src.dtype})")
    for other, what in ((self, "self"), (src, "src")):
        if other is not None and index.ndim != other.ndim:
            raise RuntimeError(f"{op}(): Index tensor must have the same number of dimensions as "
                               f"{what} tensor (index of shape {fmt(index.shape)}, {what} of "
                               f"shape {fmt(other.shape)})")
    too_big = [a for a, m in enumerate(index.shape) if (a != d and m > self.shape[a])
               or (src is not None and m > src.shape[a])]  # fmt: skip
    if too_big:
        raise RuntimeError(f"{op}(): Expected index {list(index.shape)} to be no larger than self "
                           f"{list(self.shape)} apart from dimension {d}" + (
                               "" if src is None else f" and to be no larger than src "
                               f"{list(src.shape)}"))  # fmt: skip
    i = index._data
    _check_range(i, self.shape[d], d, op)
    key = _along(i, d)
    if src is None:
        return key, None
    part = src if src.shape == index.shape else src[tuple(slice(0, m) for m in index.shape)]
    return key, part


def _check_range(i: np.ndarray, size: int, d: int, op: str) -> None:
    bad = i[(i < 0) | (i >= size)]
    if bad.size:
        raise RuntimeError(f"{op}(): index {bad[0]} is out of bounds for dimension {d} with size "
                           f"{size}")


def _positions(self: Tensor, dim: int, index: Any, op: str) -> tuple[int, np.ndarray]:
    """dim, and the positions a 1-D index of index_* names, checked as PyTorch checks them."""
    index = tensor_arg(index, op, "index")
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index, got {index.dtype}")
    if index.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector, got shape "
                         f"{fmt(index.shape)}")
    d = dim_arg(dim, max(self.ndim, 1), op)
    i = index._data.reshape(-1).astype(np.int64)
    _check_range(i, self.shape[d] if self.ndim else 1, d, op)
    return d, i


def _index_key(self: Tensor, dim: int, index: Any, source: Any, op: str) -> tuple:
    """The numpy key of the slices index_add and index_copy write, and source, checked."""
    if self.ndim == 0:
        raise RuntimeError(f"{op}(): a 0-d self is not supported here; reshape it to (1,) first")
    d, i = _positions(self, dim, index, op)
    source = tensor_arg(source, op, "source")
    if source.dtype != self.dtype:
        raise RuntimeError(f"{op}(): self ({self.dtype}) and source ({source.dtype}) must have "
                           f"the same scalar type")
    want = tuple(len(i) if a == d else n for a, n in enumerate(self.shape))
    if source.shape != want:
        raise RuntimeError(f"{op}(): source tensor shape must match self tensor shape, "
                           f"excluding the specified dimension. Got self.shape = "
                           f"{list(self.shape)} source.shape = {list(source.shape)} (index of "
                           f"length {len(i)} along dimension {d})")
    return (slice(None),) * d + (i,), source


def _hit(key: tuple, shape: tuple[int, ...]) -> np.ndarray:
    """True at each place the key names."""
    hit = np.zeros(shape, bool)
    hit[key] = True
    return hit


def _last_of_each(key: tuple, shape: tuple[int, ...]) -> np.ndarray | None:
    """Where the key names a place twice, which of its entries is the last for that place (a
    bool mask of the key's shape); None when every place is named once."""
    places = np.ravel_multi_index(np.broadcast_arrays(*key), shape).reshape(-1)
    last = places.size - 1 - np.unique(places[::-1], return_index=True)[1]
    if last.size == places.size:
        return None
    keep = np.zeros(places.size, bool)
    keep[last] = True
    return keep.reshape(np.broadcast_shapes(*(k.shape for k in key)))
