"""Picking and comparing elements: gather, index_select, sort, topk, masked_fill, nonzero, unique,
bincount, isnan, allclose, and the `new_*` constructors that make a tensor like another.

What is picked is differentiable through one op, `gather` (its backward adds g back where each
element was taken from); the indices that say what to pick, and every comparison, are integers or
bools, with no gradient.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import dtypes, ops
from .args import check_number, dim_arg, dims_arg, fmt, numpy_names, tensor_arg, to_array
from .dtypes import to_dtype

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class SortResult(NamedTuple):
    """What `sort` returns, as PyTorch's `torch.return_types.sort`: `values`, `indices`."""

    values: Any
    indices: Any


class TopkResult(NamedTuple):
    """What `topk` returns, as PyTorch's `torch.return_types.topk`: `values`, `indices`."""

    values: Any
    indices: Any


class Selection:
    """The picking, comparing and `new_*` methods of Tensor."""

    @numpy_names
    def gather(self: Tensor, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """`out[i][j] = self[index[i][j]][j]` for dim 0, `self[i][index[i][j]]` for dim 1, …:
        along `dim`, the elements `index` names; elsewhere, the same position.

        Args:
            dim: the dimension to pick along.
            index: an integer tensor with self's number of dimensions, no larger than self apart
                from `dim`.
            sparse_grad: accepted for PyTorch's signature; the gradient is always dense.

        Returns:
            A new tensor of index's shape; the gradient is added back where each element was taken
                from.

        Raises:
            RuntimeError: when `index` is not an integer tensor, has another number of dimensions,
                or names an element out of range.

        Examples:
            >>> x = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.gather(1, tinygrad_lr.tensor([[0], [1]]))
            tensor([[1.],
                    [4.]])
        """
        index = tensor_arg(index, "gather", "index")
        d = dim_arg(dim, max(self.ndim, 1), "gather")
        if index._data.dtype.kind not in "iu":
            raise RuntimeError(f"gather(): Expected dtype int64 for index, got {index.dtype}")
        if index.ndim != self.ndim:
            raise RuntimeError(f"Index tensor must have the same number of dimensions as input "
                               f"tensor (gather of shape {fmt(self.shape)} by an index of shape "
                               f"{fmt(index.shape)})")
        for axis, (n, m) in enumerate(zip(self.shape, index.shape)):
            if axis != d and m > n:
                raise RuntimeError(f"Size does not match at dimension {axis} expected index "
                                   f"{list(index.shape)} to be no larger than self "
                                   f"{list(self.shape)} apart from dimension {d}")
        i = index._data
        if i.size and (i.min() < -self.shape[d] or i.max() >= self.shape[d]):
            bad = i.max() if i.max() >= self.shape[d] else i.min()
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size "
                               f"{self.shape[d]}")
        return ops.Gather.apply(self, index=i, dim=d)

    @numpy_names
    def index_select(self: Tensor, dim: int, index: Any) -> Tensor:
        """The slices along `dim` that a 1-D integer `index` names, in its order (a copy).

        Args:
            dim: the dimension to pick along.
            index: a 1-D (or 0-d) int64 or int32 tensor of positions in 0..size-1; a position may
                appear more than once.

        Returns:
            A new tensor of self's shape but for `dim`, whose size is len(index); the gradient of
                a slice picked twice adds up.

        Raises:
            RuntimeError: for an index that is not int64 or int32, or a position out of range.
            IndexError: for an index of more than one dimension.

        Examples:
            >>> x = tinygrad_lr.tensor([[1, 2, 3], [4, 5, 6]])
            >>> x.index_select(1, tinygrad_lr.tensor([2, 0, 2]))
            tensor([[3, 1, 3],
                    [6, 4, 6]])
        """
        index = tensor_arg(index, "index_select", "index")
        if index._data.dtype not in (np.int64, np.int32):
            raise RuntimeError(f"index_select(): Expected dtype int32 or int64 for index, got "
                               f"{index.dtype}")
        if index.ndim > 1:
            raise IndexError(f"index_select(): Index is supposed to be a vector, got shape "
                             f"{fmt(index.shape)}")
        i = index._data.reshape(-1)
        if self.ndim == 0:  # a 0-d tensor holds one slice, at position 0
            if i.size != 1:
                raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                                   f"{i.size} value(s)")
            return self.reshape(1).index_select(0, index).reshape(())
        d = dim_arg(dim, self.ndim, "index_select")
        bad = i[(i < 0) | (i >= self.shape[d])]
        if bad.size:
            raise RuntimeError(f"index_select(): index {bad[0]} is out of range for dimension "
                               f"{d} with size {self.shape[d]}")
        return self[(slice(None),) * d + (i,)]

    def nonzero(self: Tensor, *, as_tuple: bool = False) -> Any:
        """The positions of the nonzero elements, in row-major order (not differentiable).

        Args:
            as_tuple: give one 1-D tensor per dimension (numpy's form, usable as an index)
                instead of one matrix.

        Returns:
            An int64 tensor of shape (number of nonzero elements, self.ndim), one position per
                row; with `as_tuple`, a tuple of self.ndim int64 vectors (one for a 0-d tensor).

        Examples:
            >>> x = tinygrad_lr.tensor([[0.0, 1.0], [2.0, 0.0]])
            >>> x.nonzero()
            tensor([[0, 1],
                    [1, 0]])
            >>> x.nonzero(as_tuple=True)
            (tensor([0, 1]), tensor([1, 0]))
        """
        if as_tuple:
            found = np.nonzero(self._data.reshape(-1) if self.ndim == 0 else self._data)
            return tuple(Tensor._wrap(i.astype(np.int64, copy=False)) for i in found)
        return Tensor._wrap(np.argwhere(self._data).astype(np.int64, copy=False))

    def argwhere(self: Tensor) -> Tensor:
        """The positions of the nonzero elements, one per row (`nonzero()`).

        Returns:
            An int64 tensor of shape (number of nonzero elements, self.ndim).
        """
        return self.nonzero()

    @numpy_names
    def count_nonzero(self: Tensor, dim: Any = None) -> Tensor:
        """How many elements are nonzero, over all or over `dim` (an int or a tuple).

        Args:
            dim: the dimension or dimensions to count over; None counts every element.

        Returns:
            An int64 tensor without the counted dimensions.

        Examples:
            >>> tinygrad_lr.tensor([[0, 1, 2], [3, 0, 0]]).count_nonzero(dim=1)
            tensor([2, 1])
        """
        axes = dims_arg(dim, self.ndim, "count_nonzero")
        return Tensor._wrap(np.asarray(np.count_nonzero(self._data, axis=axes), np.int64))

    def unique(self: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
               return_counts: bool = False, dim: int | None = None) -> Any:  # fmt: skip
        """The distinct values, smallest first (not differentiable).

        Args:
            sorted: accepted for PyTorch's signature: the values always come sorted, as PyTorch
                gives them on the CPU.
            return_inverse: also give, for each element, the position of its value among the
                distinct ones.
            return_counts: also give how many times each distinct value occurs.
            dim: the distinct slices along this dimension instead of the distinct elements.

        Returns:
            The distinct values (1-D, of self's dtype; with `dim`, the distinct slices); with
                either flag, a tuple of them, then the int64 inverse (of self's shape, or the
                size of `dim`), then the int64 counts, as asked. Each nan is distinct, as in
                PyTorch.

        Examples:
            >>> tinygrad_lr.tensor([3, 1, 3, 1, 1]).unique(return_counts=True)
            (tensor([1, 3]), tensor([3, 2]))
        """
        a = self._data
        axis = None if dim is None else dim_arg(dim, self.ndim, "unique")
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=axis,
                                            equal_nan=False)  # fmt: skip
        inverse = inverse.reshape(a.shape if axis is None else -1)
        wanted = [values] + [inverse] * return_inverse + [counts] * return_counts
        out = tuple(Tensor._wrap(np.asarray(x, x.dtype if x is values else np.int64))
                    for x in wanted)  # fmt: skip
        return out if len(out) > 1 else out[0]

    @numpy_names
    def sort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False
             ) -> SortResult:  # fmt: skip
        """(values, indices) along `dim`, smallest first (largest first if `descending`); equal
        elements keep their order, and nan counts as the largest, as in PyTorch.

        Args:
            dim: the dimension to sort along.
            descending: largest first.
            stable: accepted for PyTorch's signature: the sort is always stable.

        Returns:
            A named tuple `(values, indices)`: the sorted values (differentiable, through `gather`)
                and their int64 positions in self.

        Examples:
            >>> tinygrad_lr.tensor([3.0, 1.0, 2.0]).sort()
            SortResult(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
        """
        indices = self.argsort(dim, descending)
        return SortResult(self.gather(dim, indices) if self.ndim else self.clone(), indices)

    @numpy_names
    def argsort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False
                ) -> Tensor:  # fmt: skip
        """The indices that sort `self` along `dim` (see `sort`).

        Args:
            dim: the dimension to sort along.
            descending: largest first.
            stable: accepted for PyTorch's signature: the sort is always stable.

        Returns:
            An int64 tensor of self's shape.
        """
        if self.ndim == 0:
            return Tensor._wrap(np.zeros((), np.int64))
        d = dim_arg(dim, self.ndim, "argsort")
        a = self._data
        if not descending:
            return Tensor._wrap(np.argsort(a, axis=d, kind="stable"))
        # Largest first, equal ones still in their order: sort the reversed array, read it back.
        n = a.shape[d]
        order = np.argsort(np.flip(a, d), axis=d, kind="stable")
        return Tensor._wrap(np.flip(n - 1 - order, d).copy())

    @numpy_names
    def topk(self: Tensor, k: int, dim: int = -1, largest: bool = True,
             sorted: bool = True) -> TopkResult:  # noqa: A002 - PyTorch's name
        """The k largest (or smallest) elements along `dim`, and their indices, in order.

        Args:
            k: how many elements to take.
            dim: the dimension to take them along.
            largest: the largest (else the smallest) first.
            sorted: accepted for PyTorch's signature: the elements always come in order.

        Returns:
            A named tuple `(values, indices)`, each with size k along `dim`.

        Examples:
            >>> tinygrad_lr.tensor([3.0, 1.0, 2.0]).topk(2)
            TopkResult(values=tensor([3., 2.]), indices=tensor([0, 2]))
        """
        d = dim_arg(dim, max(self.ndim, 1), "topk")
        n = self.shape[d] if self.ndim else 1
        if not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
            raise RuntimeError(f"topk(): selected index k out of range (k = {k}, and the "
                               f"dimension {d} has size {n})")
        indices = self.argsort(d, descending=largest)
        if self.ndim:
            indices = indices[(slice(None),) * d + (slice(0, k),)]
        return TopkResult(self.gather(d, indices) if self.ndim else self.clone(), indices)

    def masked_fill(self: Tensor, mask: Any, value: Any) -> Tensor:
        """`value` where the bool `mask` is True, self elsewhere (the mask broadcasts).

        Args:
            mask: a bool tensor that broadcasts to self's shape.
            value: a number, or a 0-d tensor (which receives the gradient of the filled places).

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> x = tinygrad_lr.tensor([1.0, 2.0, 3.0])
            >>> x.masked_fill(tinygrad_lr.tensor([True, False, True]), 0.0)
            tensor([0., 2., 0.])
        """
        return self.where(~_bool_mask(mask, "masked_fill"), _fill_value(value, self))

    def masked_fill_(self: Tensor, mask: Any, value: Any) -> Tensor:
        """In place: write `value` where the bool `mask` is True; returns self.

        Args:
            mask: a bool tensor that broadcasts to self's shape.
            value: a number, or a 0-d tensor.

        Returns:
            self, changed.
        """
        mask = _bool_mask(mask, "masked_fill_")
        value = _fill_value(value, self)
        return self._inplace("masked_fill_",
                             lambda a: np.copyto(a, value._data, where=mask._data),
                             lambda t: t.where(~mask, value))  # fmt: skip

    def bincount(self: Tensor, weights: Any = None, minlength: int = 0) -> Tensor:
        """How many times each value 0, 1, 2, … occurs in a 1-D tensor of non-negative integers
        (with `weights`: their sum for each value).

        Args:
            weights: a tensor of self's shape, the weight of each element; None counts each as 1.
            minlength: the least length of the result.

        Returns:
            A 1-D tensor of length max(self) + 1 (at least `minlength`): int64 counts, or sums in
                the weights' dtype.

        Examples:
            >>> tinygrad_lr.tensor([0, 1, 1, 3]).bincount()
            tensor([1, 2, 0, 1])
        """
        a = self._data
        if a.ndim != 1 or a.dtype.kind not in "iub" or (a.size and a.min() < 0):
            raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got a "
                               f"{a.dtype} tensor of shape {fmt(self.shape)})")
        w = None if weights is None else tensor_arg(weights, "bincount", "weights")._data
        counts = np.bincount(a, weights=w, minlength=minlength)
        return Tensor._wrap(counts.astype(np.int64 if w is None else w.dtype, copy=False))

    # --- comparing whole tensors (no gradient) -------------------------------------------------

    def isnan(self: Tensor) -> Tensor:
        """True where an element is nan.

        Returns:
            A bool tensor of self's shape.
        """
        return Tensor._wrap(np.isnan(self._data))

    def isinf(self: Tensor) -> Tensor:
        """True where an element is +inf or -inf.

        Returns:
            A bool tensor of self's shape.
        """
        return Tensor._wrap(np.isinf(self._data))

    def isfinite(self: Tensor) -> Tensor:
        """True where an element is neither nan nor infinite.

        Returns:
            A bool tensor of self's shape.
        """
        return Tensor._wrap(np.isfinite(self._data))

    def isclose(self: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
                equal_nan: bool = False) -> Tensor:  # fmt: skip
        """|self - other| <= atol + rtol·|other|, elementwise.

        Args:
            other: the tensor to compare with.
            rtol: the tolerance relative to |other|.
            atol: the absolute tolerance.
            equal_nan: count two nans as close.

        Returns:
            A bool tensor of the broadcast shape.
        """
        other = tensor_arg(other, "isclose", "other")
        return Tensor._wrap(np.isclose(self._data, other._data, rtol, atol, equal_nan))

    def allclose(self: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
                 equal_nan: bool = False) -> bool:  # fmt: skip
        """True if `isclose` holds for every element.

        Args:
            other: the tensor to compare with.
            rtol: the tolerance relative to |other|.
            atol: the absolute tolerance.
            equal_nan: count two nans as close.

        Returns:
            A Python bool.

        Examples:
            >>> tinygrad_lr.tensor([1.0]).allclose(tinygrad_lr.tensor([1.0 + 1e-7]))
            True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def equal(self: Tensor, other: Any) -> bool:
        """True if the two have the same shape and the same values.

        Args:
            other: the tensor to compare with.

        Returns:
            A Python bool.
        """
        other = tensor_arg(other, "equal", "other")
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    # --- new tensors like this one ---------------------------------------------------------------

    def new_tensor(self: Tensor, data: Any, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A tensor of `data`, with self's dtype unless told otherwise.

        Args:
            data: numbers, nested lists, an array or a tensor, copied.
            dtype: the dtype, self's when None.
            device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
            requires_grad: whether the new tensor is a leaf that requires grad.

        Returns:
            A new leaf tensor.
        """
        if device is not None:
            dtypes.device(device)  # raises for anything but the CPU, as tensor() does
        out = Tensor._wrap(to_array(data, dtype or self.dtype, where="new_tensor()"))
        return out.requires_grad_(requires_grad)

    def new_full(self: Tensor, size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A tensor of the given size filled with `fill_value`, with self's dtype by default.

        Args:
            size: the shape, a tuple of ints.
            fill_value: the number every element holds.
            dtype: the dtype, self's when None.
            device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
            requires_grad: whether the new tensor is a leaf that requires grad.

        Returns:
            A new leaf tensor.
        """
        from .creation import full

        return full(size, fill_value, dtype=dtype or self.dtype, device=device,
                    requires_grad=requires_grad)

    def new_zeros(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:  # fmt: skip
        """Zeros of the given size, with self's dtype by default.

        Args:
            *size: the shape, as separate ints or one tuple.
            dtype: the dtype, self's when None.
            device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
            requires_grad: whether the new tensor is a leaf that requires grad.

        Returns:
            A new leaf tensor.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).new_zeros(2)
            tensor([0., 0.])
        """
        return self.new_full(_sizes(size), 0, dtype, device, requires_grad)

    def new_ones(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:  # fmt: skip
        """Ones of the given size, with self's dtype by default.

        Args:
            *size: the shape, as separate ints or one tuple.
            dtype: the dtype, self's when None.
            device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
            requires_grad: whether the new tensor is a leaf that requires grad.

        Returns:
            A new leaf tensor.
        """
        return self.new_full(_sizes(size), 1, dtype, device, requires_grad)

    def new_empty(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A tensor of the given size (zeros here), with self's dtype by default.

        Args:
            *size: the shape, as separate ints or one tuple.
            dtype: the dtype, self's when None.
            device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
            requires_grad: whether the new tensor is a leaf that requires grad.

        Returns:
            A new leaf tensor.
        """
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    def type_as(self: Tensor, other: Any) -> Tensor:
        """self converted to other's dtype.

        Args:
            other: the tensor whose dtype to take.

        Returns:
            self if the dtype is the same, else a converted copy (gradients flow through it).
        """
        return self.to(tensor_arg(other, "type_as", "other").dtype)


def _sizes(size: tuple) -> Any:
    return size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size


def _bool_mask(mask: Any, op: str) -> Tensor:
    mask = tensor_arg(mask, op, "mask")
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"{op} only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype}")
    return mask


def _fill_value(value: Any, like: Tensor) -> Any:
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"masked_fill only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s)")
        return value.to(like.dtype)
    check_number(value, "masked_fill", "value")
    return Tensor._wrap(np.asarray(value).astype(to_dtype(like.dtype)))
