"""Changing a tensor's shape: reshape, view, squeeze, expand, permute, transpose, repeat,
repeat_interleave, rot90, narrow, unbind, indexing.

These ops move elements around without computing new values, so most of them return views (the
same memory, seen with another shape), and their backward moves the gradient back the same way.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import ops
from .args import dim_arg, dims_arg, fmt, numpy_names, shape_arg, to_array

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Shaping:
    """The shape methods of Tensor."""

    def reshape(self: Tensor, *shape: Any) -> Tensor:
        """The same elements in a new shape; one size may be -1 (inferred).

        Args:
            *shape: the new sizes, as separate ints or one tuple; their product is self's number of
                elements.

        Returns:
            A tensor of that shape (a view of self's memory when numpy can make one).

        Raises:
            RuntimeError: when the sizes do not hold self's elements.

        Examples:
            >>> tinygrad_lr.arange(6).reshape(2, -1)
            tensor([[0, 1, 2],
                    [3, 4, 5]])
        """
        return ops.Reshape.apply(self, shape=self._infer_shape(shape, "reshape"))

    def view(self: Tensor, *shape: Any) -> Tensor:
        """As `reshape` (arrays here are never non-contiguous in a way that matters).

        Args:
            *shape: the new sizes, as separate ints or one tuple; one may be -1.

        Returns:
            A view of self's memory with that shape.
        """
        return ops.View.apply(self, shape=self._infer_shape(shape, "view"))

    def _infer_shape(self: Tensor, shape: tuple[Any, ...], op: str) -> tuple[int, ...]:
        shape = shape_arg(shape, op)
        size = self._data.size
        if shape.count(-1) > 1:
            raise RuntimeError(f"{op}(): only one dimension can be inferred (-1): {list(shape)}")
        if any(s < -1 for s in shape):
            raise RuntimeError(f"{op}(): invalid shape dimension in {list(shape)}")
        known = math.prod(s for s in shape if s != -1)
        if -1 in shape:
            if known == 0 or size % known:
                raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
            shape = tuple(size // known if s == -1 else s for s in shape)
        elif known != size:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        return shape

    @numpy_names
    def squeeze(self: Tensor, dim: int | None = None) -> Tensor:
        """Drop dimensions of size 1 (all of them, or `dim` if it has size 1).

        Args:
            dim: the one dimension to drop, or None for every dimension of size 1.

        Returns:
            A view of self without those dimensions.

        Examples:
            >>> tinygrad_lr.zeros(1, 3, 1).squeeze().shape
            Size([3])
        """
        if dim is None:
            shape = tuple(s for s in self.shape if s != 1)
        else:
            d = dim_arg(dim, self.ndim, "squeeze")
            shape = self.shape if self.ndim == 0 or self.shape[d] != 1 else (
                self.shape[:d] + self.shape[d + 1:])  # fmt: skip
        return ops.Squeeze.apply(self, shape=shape)

    @numpy_names
    def unsqueeze(self: Tensor, dim: int) -> Tensor:
        """Insert a dimension of size 1 at `dim`.

        Args:
            dim: where the new dimension goes, in -(ndim + 1)..ndim.

        Returns:
            A view of self with one more dimension.

        Examples:
            >>> tinygrad_lr.zeros(3).unsqueeze(0).shape
            Size([1, 3])
        """
        d = dim_arg(dim, self.ndim + 1, "unsqueeze")
        return ops.Unsqueeze.apply(self, shape=self.shape[:d] + (1,) + self.shape[d:])

    def expand(self: Tensor, *sizes: Any) -> Tensor:
        """A view with size-1 dimensions repeated (no copy); -1 keeps a dimension's size.

        New leading dimensions may be added too. Its backward sums the gradient over the repeated
        dimensions.

        Args:
            *sizes: the new sizes, as separate ints or one tuple.

        Returns:
            A read-only view of self's memory with those sizes.

        Raises:
            RuntimeError: when a dimension of size other than 1 would change.

        Examples:
            >>> tinygrad_lr.tensor([[1.0], [2.0]]).expand(2, 3)
            tensor([[1., 1., 1.],
                    [2., 2., 2.]])
        """
        return self._expand_to(shape_arg(sizes, "expand"))

    def _expand_to(self: Tensor, sizes: tuple[int, ...]) -> Tensor:
        shape = self._data.shape
        if len(sizes) < len(shape):
            raise RuntimeError(
                f"expand(): the number of sizes provided ({len(sizes)}) must be greater or equal "
                f"to the number of dimensions in the tensor ({len(shape)}); tensor shape "
                f"{fmt(shape)}, sizes {list(sizes)}"
            )
        lead = len(sizes) - len(shape)
        target = list(sizes[:lead])
        if any(s < 0 for s in target):
            raise RuntimeError(f"expand(): the expanded size of the tensor ({min(target)}) isn't "
                               "allowed in a leading, non-existing dimension")
        for i, (s, old) in enumerate(zip(sizes[lead:], shape)):
            s = old if s == -1 else s
            if old != s and old != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) must match the existing size ({old}) "
                    f"at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  "
                    f"Tensor sizes: {list(shape)}"
                )
            target.append(s)
        return ops.Expand.apply(self, shape=tuple(target))  # a new view, even of the same shape

    def expand_as(self: Tensor, other: Tensor) -> Tensor:
        """`expand` to other's shape.

        Args:
            other: the tensor whose shape to take.

        Returns:
            A view of self with other's shape.
        """
        if not isinstance(other, Tensor):
            raise TypeError(f"expand_as(): argument 'other' must be a Tensor, not "
                            f"{type(other).__name__}")
        return self._expand_to(other._data.shape)

    def permute(self: Tensor, *dims: Any) -> Tensor:
        """Reorder the dimensions: result dim i is self's dim dims[i].

        Args:
            *dims: a permutation of self's dimensions, as separate ints or one tuple.

        Returns:
            A view of self with its dimensions reordered.

        Examples:
            >>> tinygrad_lr.zeros(2, 3, 4).permute(2, 0, 1).shape
            Size([4, 2, 3])
        """
        dims = shape_arg(dims, "permute")
        if len(dims) != self.ndim:
            raise RuntimeError(f"permute(): number of dims don't match: the tensor has {self.ndim} "
                               f"dimensions (shape {fmt(self.shape)}) but {len(dims)} were given")
        return ops.Permute.apply(self, dims=dims_arg(dims, self.ndim, "permute"))

    def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions.

        Args:
            dim0: one dimension.
            dim1: the other.

        Returns:
            A view of self with the two dimensions swapped.
        """
        d0, d1 = dim_arg(dim0, self.ndim, "transpose"), dim_arg(dim1, self.ndim, "transpose")
        dims = list(range(self.ndim))
        if self.ndim >= 2:
            dims[d0], dims[d1] = dims[d1], dims[d0]
        return ops.Transpose.apply(self, dims=tuple(dims))

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """Another name for `transpose` (as in numpy and PyTorch).

        Args:
            axis0: one dimension.
            axis1: the other.

        Returns:
            A view of self with the two dimensions swapped.
        """
        return self.transpose(axis0, axis1)

    def t(self: Tensor) -> Tensor:
        """Transpose a tensor of at most 2 dimensions (vectors and scalars are returned as is).

        Returns:
            A view of self: the transposed matrix, or the same vector or scalar.

        Examples:
            >>> tinygrad_lr.arange(6).reshape(2, 3).t()
            tensor([[0, 3],
                    [1, 4],
                    [2, 5]])
        """
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.ndim}-D (shape {fmt(self.shape)}); use transpose(d0, d1)")
        return self.transpose(0, 1) if self.ndim == 2 else self.transpose(0, 0)

    @property
    def T(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's name
        """All dimensions reversed (for a matrix, its transpose)."""
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's name
        """The last two dimensions swapped: each matrix of a batch transposed."""
        if self.ndim == 1:
            raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got 1-D tensor (shape {fmt(self.shape)})")
        return self.transpose(-2, -1) if self.ndim else self.transpose(0, 0)

    def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions start_dim..end_dim merged into one.

        Args:
            start_dim: the first dimension to merge.
            end_dim: the last dimension to merge (included).

        Returns:
            A tensor with those dimensions merged (a 0-d tensor becomes 1-D).

        Examples:
            >>> tinygrad_lr.zeros(2, 3, 4).flatten(1).shape
            Size([2, 12])
        """
        if self.ndim == 0:
            return self.reshape(1)
        start = dim_arg(start_dim, self.ndim, "flatten")
        end = dim_arg(end_dim, self.ndim, "flatten")
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.shape
        return self.reshape(*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])

    def view_as(self, other: Tensor) -> Tensor:
        """`view` to other's shape.

        Args:
            other: the tensor whose shape to take.

        Returns:
            A view of self with other's shape.
        """
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """`reshape` to other's shape.

        Args:
            other: the tensor whose shape to take.

        Returns:
            self's elements in other's shape.
        """
        return self.reshape(other.shape)

    def flip(self: Tensor, *dims: Any) -> Tensor:
        """The elements in reverse order along each of `dims` (a copy, as in PyTorch).

        Args:
            *dims: the dimensions to reverse, as separate ints or one tuple.

        Returns:
            A new tensor of self's shape.

        Examples:
            >>> tinygrad_lr.arange(6).flip(0)
            tensor([5, 4, 3, 2, 1, 0])
        """
        dims = dims_arg(shape_arg(dims, "flip"), self.ndim, "flip")
        return ops.Flip.apply(self, dims=dims)

    def roll(self: Tensor, shifts: Any, dims: Any = None) -> Tensor:
        """The elements shifted cyclically by `shifts` along `dims` (flattened if dims is None).

        Args:
            shifts: the shift (an int), or one per dimension of `dims` (a tuple); elements
                pushed off the end come back at the start.
            dims: the dimension (or tuple of dimensions) to roll along, or None for the flattened
                tensor.

        Returns:
            A new tensor of self's shape.

        Examples:
            >>> tinygrad_lr.arange(6).roll(2)
            tensor([4, 5, 0, 1, 2, 3])
        """
        if dims is None:
            return self.flatten().roll(shifts, 0).view(self.shape)
        shifts = shape_arg((shifts,) if isinstance(shifts, int) else tuple(shifts), "roll")
        dims = tuple(dim_arg(d, self.ndim, "roll")
                     for d in ((dims,) if isinstance(dims, int) else tuple(dims)))  # fmt: skip
        if len(shifts) != len(dims):
            raise RuntimeError(f"roll(): shifts and dimensions must align. shifts: "
                               f"{len(shifts)}, dims: {len(dims)}")
        return ops.Roll.apply(self, shifts=shifts, dims=dims)

    def repeat(self: Tensor, *sizes: Any) -> Tensor:
        """self tiled: repeated `sizes[i]` times along dimension i (a copy).

        More sizes than dimensions add leading dimensions, as if self's shape began with 1s.

        Args:
            *sizes: how many times to repeat along each dimension, as separate ints or one tuple;
                at least as many as self has dimensions.

        Returns:
            A new tensor of shape (sizes[i] · shape[i], ...).

        Raises:
            RuntimeError: for fewer sizes than dimensions, or a negative size.

        Examples:
            >>> tinygrad_lr.tensor([[1, 2]]).repeat(2, 3)
            tensor([[1, 2, 1, 2, 1, 2],
                    [1, 2, 1, 2, 1, 2]])
        """
        sizes = shape_arg(sizes, "repeat")
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        if len(sizes) < self.ndim:
            raise RuntimeError(f"repeat(): Number of dimensions of repeat dims ({len(sizes)}) can "
                               f"not be smaller than number of dimensions of tensor ({self.ndim}, "
                               f"shape {fmt(self.shape)})")
        shape = (1,) * (len(sizes) - self.ndim) + self.shape
        if min(sizes) < 0:
            raise RuntimeError(f"repeat(): Trying to create tensor with negative dimension: "
                               f"repeats {list(sizes)} of a tensor of shape {fmt(self.shape)}")
        # Along a dimension of size n repeated r times, the result picks the indices 0..n-1, r
        # times over: one pick of every dimension at once, whose gradient adds up the copies.
        picks = np.ix_(*[np.tile(np.arange(n), r) for n, r in zip(shape, sizes)])
        return self.reshape(shape)[picks]

    @numpy_names
    def repeat_interleave(self: Tensor, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:  # fmt: skip
        """Each slice along `dim` repeated in place: [a, b] with 2 repeats is [a, a, b, b] (where
        `repeat` tiles: [a, b, a, b]).

        Args:
            repeats: how many times each slice comes: an int for all, or a 1-D integer tensor
                with one count per slice.
            dim: the dimension to repeat along; None repeats the flattened elements.
            output_size: the size of the result along `dim`, if known (checked).

        Returns:
            A new tensor (of self's dtype); the gradient of each slice adds up over its copies.

        Raises:
            RuntimeError: for a negative count, or a repeats tensor of the wrong length, or of
                more than one dimension.

        Examples:
            >>> x = tinygrad_lr.tensor([[1, 2], [3, 4]])
            >>> x.repeat_interleave(2)
            tensor([1, 1, 2, 2, 3, 3, 4, 4])
            >>> x.repeat_interleave(tinygrad_lr.tensor([1, 2]), dim=0)
            tensor([[1, 2],
                    [3, 4],
                    [3, 4]])
        """
        x = self.reshape(-1) if dim is None or self.ndim == 0 else self
        d = 0 if dim is None else dim_arg(dim, max(self.ndim, 1), "repeat_interleave")
        counts = _repeat_counts(repeats, x.shape[d] if x.ndim else 1)
        if output_size is not None and output_size != counts.sum():
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected "
                               f"{counts.sum()} but got {output_size}")
        # Slice i is picked counts[i] times, in order; the pick's gradient adds up the copies.
        picks = np.repeat(np.arange(counts.size), counts)
        return x.index_select(d, Tensor._wrap(picks))

    def rot90(self: Tensor, k: int = 1, dims: Any = (0, 1)) -> Tensor:
        """The tensor turned by k quarter turns in the plane of `dims`, from the first dimension
        towards the second (counterclockwise for a matrix as printed).

        Args:
            k: how many quarter turns (negative: the other way).
            dims: the two dimensions of the plane.

        Returns:
            A new tensor (a turn moves elements, so it is a copy: a flip, then a transpose).

        Raises:
            RuntimeError: for dims that are not two different dimensions, or a tensor of fewer
                than 2 dimensions.

        Examples:
            >>> tinygrad_lr.arange(6).reshape(2, 3).rot90()
            tensor([[2, 5],
                    [1, 4],
                    [0, 3]])
        """
        dims = shape_arg((tuple(dims),), "rot90")
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if self.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {self.ndim} "
                               f"(shape {fmt(self.shape)})")
        d0, d1 = (dim_arg(d, self.ndim, "rot90") for d in dims)
        if d0 == d1:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = "
                               f"{dims[0]} and dim1 = {dims[1]}")
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise TypeError(f"rot90(): argument 'k' must be int, not {type(k).__name__}")
        # A quarter turn takes (i, j) to (n - 1 - j, i): reverse along d1, then swap the two.
        turns = {0: lambda: self.clone(), 1: lambda: self.flip(d1).transpose(d0, d1),
                 2: lambda: self.flip(d0, d1), 3: lambda: self.flip(d0).transpose(d0, d1)}
        return turns[int(k) % 4]()

    @numpy_names
    def unbind(self: Tensor, dim: int = 0) -> tuple:
        """The slices along `dim`, each without that dimension (views of self).

        Args:
            dim: the dimension to take apart.

        Returns:
            A tuple of self.shape[dim] tensors.

        Examples:
            >>> tinygrad_lr.tensor([[1, 2], [3, 4]]).unbind(1)
            (tensor([1, 3]), tensor([2, 4]))
        """
        if self.ndim == 0:
            raise IndexError(f"unbind(): Dimension specified as {dim} but tensor has no dimensions")
        d = dim_arg(dim, self.ndim, "unbind")
        return tuple(self[(slice(None),) * d + (i,)] for i in range(self.shape[d]))

    @numpy_names
    def narrow(self: Tensor, dim: int, start: Any, length: int) -> Tensor:
        """The `length` elements from `start` along `dim` (a view of self).

        Args:
            dim: the dimension to cut along.
            start: the first index kept (negative counts from the end); an int, or a 0-d integer
                tensor.
            length: how many elements to keep.

        Returns:
            A view of self, of size `length` along `dim`.

        Raises:
            IndexError: when `start` is outside the dimension.
            RuntimeError: for a negative length, or one that runs past the end.

        Examples:
            >>> tinygrad_lr.arange(6).narrow(0, 1, 3)
            tensor([1, 2, 3])
        """
        if self.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        d = dim_arg(dim, self.ndim, "narrow")
        n = self.shape[d]
        start = start.__index__() if isinstance(start, Tensor) else start
        shape_arg((start, length), "narrow")  # ints only
        if not -n <= start <= n:
            raise IndexError(f"narrow(): start out of range (expected to be in range of [{-n}, "
                             f"{n}], but got {start}) for dimension {d} of shape {fmt(self.shape)}")
        start = start + n if start < 0 else start
        if length < 0:
            raise RuntimeError(f"narrow(): length must be non-negative, got {length}")
        if start + length > n:
            raise RuntimeError(f"narrow(): start ({start}) + length ({length}) exceeds dimension "
                               f"size ({n}) of dimension {d}, shape {fmt(self.shape)}")
        return self[(slice(None),) * d + (slice(start, start + length),)]

    def split(self: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
        """Views of consecutive pieces along `dim`: of one size (the last may be smaller), or of
        the sizes listed.

        Args:
            split_size_or_sections: the size of each piece (an int), or the list of their sizes,
                which must add up to the size of `dim`.
            dim: the dimension to cut along.

        Returns:
            A tuple of views of self.

        Examples:
            >>> tinygrad_lr.arange(6).split(4)
            (tensor([0, 1, 2, 3]), tensor([4, 5]))
        """
        d = dim_arg(dim, self.ndim, "split")
        n = self.shape[d]
        if isinstance(split_size_or_sections, int):
            size = split_size_or_sections
            if size <= 0 and n:
                raise RuntimeError(f"split(): split_size must be positive, got {size}")
            sizes = [min(size, n - start) for start in range(0, n, size)] if n else [0]
        else:
            sizes = [int(s) for s in split_size_or_sections]
            if sum(sizes) != n:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                                   f"(input tensor's size at dimension {d}), but got split_sizes="
                                   f"{sizes}")
        pieces, start = [], 0
        for size in sizes:
            pieces.append(self[(slice(None),) * d + (slice(start, start + size),)])
            start += size
        return tuple(pieces)

    @numpy_names
    def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple:
        """At most `chunks` pieces of equal size along `dim` (the last may be smaller).

        Args:
            chunks: how many pieces to make, at most.
            dim: the dimension to cut along.

        Returns:
            A tuple of views of self.
        """
        if not isinstance(chunks, int) or chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        n = self.shape[dim_arg(dim, self.ndim, "chunk")]
        return self.split(max(-(-n // chunks), 1), dim)

    def __getitem__(self: Tensor, key: Any) -> Tensor:
        out = self
        for step in _index_steps(key, self.ndim):
            try:
                out._data[step]  # numpy validates the key; Index.forward repeats it cheaply
            except (IndexError, TypeError, ValueError) as e:
                raise IndexError(f"index {key!r} is invalid for a tensor of shape "
                                 f"{fmt(self.shape)}: {e}") from None
            out = ops.Index.apply(out, key=step)
        return out

    def __setitem__(self: Tensor, key: Any, value: Any) -> None:
        *select, key = _index_steps(key, self.ndim)
        target = self[select[0]] if select else self  # a view: writing into it writes into self
        if not isinstance(value, Tensor):
            value = Tensor._wrap(to_array(value, where="__setitem__"))

        def write(array: np.ndarray, values: np.ndarray) -> None:
            # Leading size-1 dims of the value are dropped, as in PyTorch (`x[0] = t.tensor([5.])`
            # for a 1-D x): broadcasting would add them back anyway.
            ones = next((i for i, n in enumerate(values.shape) if n != 1), values.ndim)
            array[key] = values.reshape(values.shape[ones:])

        def recorded(*_: Any) -> Tensor:
            raise RuntimeError("assigning into part of a tensor while recording gradients is not "
                               "supported; build the tensor from pieces, or assign under no_grad()")

        target._inplace("__setitem__", write, recorded, value)


def _repeat_counts(repeats: Any, n: int) -> np.ndarray:
    """repeat_interleave's counts: one per slice, checked as PyTorch checks them."""
    if isinstance(repeats, Tensor):
        if repeats._data.dtype.kind not in "iu":
            raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                      f"'{repeats.dtype}' (repeats must be integers)")
        if repeats.ndim > 1:
            raise RuntimeError(f"repeats must be 0-dim or 1-dim tensor, got shape "
                               f"{fmt(repeats.shape)}")
        counts = repeats._data.reshape(-1)
        if counts.size not in (1, n):
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.size} and input.size(0) = {n}")
        if (counts < 0).any():
            raise RuntimeError(f"repeats can not be negative, got {counts.tolist()}")
        return np.broadcast_to(counts, (n,))
    if not isinstance(repeats, (int, np.integer)) or isinstance(repeats, bool):
        raise TypeError(f"repeat_interleave(): argument 'repeats' must be an int or a Tensor, "
                        f"not {type(repeats).__name__}")
    if repeats < 0:
        raise RuntimeError(f"Repeats must be non-negative, got {repeats}")
    return np.full(n, repeats)


def _index_steps(key: Any, ndim: int) -> list[Any]:
    """PyTorch's indexing as one or two numpy keys, applied one after the other.

    numpy and PyTorch agree but for a few points, settled here:
    * a list that holds lists, slices, `...` or None is read as a tuple (`x[[[0, 1], [1, 2]]]`
      is `x[[0, 1], [1, 2]]`); a uint8 tensor is a mask, as a bool one;
    * a negative step (`x[::-1]`) is an error: use `flip`;
    * a second `...` is allowed when only `...` and None follow it;
    * integers select first, as `x[0]` does, and the lists and tensors index what is left: so
      `x[0, :, [1, 2]]` is `x[0][:, [1, 2]]`, of shape (3, 2) for x of shape (2, 3, 4) (numpy would
      treat the 0 as a list too, and move the pair's axis to the front: (2, 3)).
    """
    if isinstance(key, list) and any(isinstance(k, (list, tuple, slice)) or k is None
                                     or k is Ellipsis for k in key):  # fmt: skip
        key = tuple(key)
    items = tuple(_index_item(k) for k in (key if isinstance(key, tuple) else (key,)))
    ellipses = [i for i, k in enumerate(items) if k is Ellipsis]
    if len(ellipses) > 1:
        if any(k is not None and k is not Ellipsis for k in items[ellipses[1]:]):
            raise IndexError("an index can only have a single ellipsis ('...'), unless only "
                             "'...' and None follow the second one")
        items = tuple(k for i, k in enumerate(items) if k is not Ellipsis or i == ellipses[0])
    ints = [isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in items]
    arrays = [isinstance(k, (list, np.ndarray)) for k in items]
    if not (any(ints) and any(arrays)):
        return [items if isinstance(key, tuple) or len(ellipses) > 1 else items[0]]
    # Integers first, every other entry kept whole (a mask of n dims spans n axes); then the
    # lists and tensors on the axes that remain.
    select: list[Any] = []
    for k, is_array in zip(items, arrays):
        select += [slice(None)] * _axes_spanned(k) if is_array else [k]
    rest = tuple(k if is_array or k is Ellipsis else slice(None)
                 for k, is_array, is_int in zip(items, arrays, ints) if not is_int)  # fmt: skip
    return [tuple(select), rest]


def _axes_spanned(index: Any) -> int:
    array = np.asarray(index)
    return array.ndim if array.dtype == bool else 1


def _index_item(k: Any) -> Any:
    # Tensors inside an index become their arrays: integer tensors pick, bool and uint8 ones mask.
    if isinstance(k, Tensor):
        if k._data.dtype.kind not in "iub":
            raise IndexError(f"tensors used as indices must be long, int, byte or bool tensors, "
                             f"got {k._data.dtype}")
        return k._data.astype(bool) if k._data.dtype == np.uint8 else k._data
    if isinstance(k, slice) and k.step is not None and k.step < 0:
        raise ValueError("step must be greater than zero (for a reversed view, use flip)")
    return k
