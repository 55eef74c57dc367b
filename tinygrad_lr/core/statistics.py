"""Order statistics: the median and the quantiles, read off the sorted values.

Both are composed of ops that already exist, so their gradients are theirs: `sort` (a `gather`)
sends each value's gradient back to the element it came from, and the linear interpolation
between two neighbours of a quantile is a `lerp`, which shares it between them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .args import check_flag, dim_arg, fmt, numpy_names

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)

INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class MedianResult(NamedTuple):
    """What `median(dim)` returns, as PyTorch's `torch.return_types.median`: `values` and
    `indices`."""

    values: Any
    indices: Any


class Statistics:
    """The median and quantile methods of Tensor."""

    @numpy_names
    def median(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
        """The median: of all the elements (0-d), or `(values, indices)` along an int `dim`.

        For an even number of elements it is the lower of the two middle ones, as in PyTorch
        (not their mean: see `quantile(0.5)` for that). A nan anywhere in a slice makes its
        median nan. Gradient: without `dim`, split evenly among the elements equal to the
        median; with `dim`, to the element at `indices`.

        Args:
            dim: the dimension to reduce, or None for the median of all elements.
            keepdim: keep the reduced dimension, with size 1 (with a `dim` only).

        Returns:
            A 0-d tensor without `dim`; with it, a named tuple `(values, indices)`, the indices
                int64.

        Examples:
            >>> x = tinygrad_lr.tensor([[3.0, 1.0, 2.0, 4.0], [0.0, 5.0, 5.0, 1.0]])
            >>> x.median()
            tensor(2.)
            >>> x.median(1)
            MedianResult(values=tensor([2., 1.]), indices=tensor([2, 3]))
        """
        if self._data.dtype.kind == "b":
            raise NotImplementedError('"median_cpu" not implemented for \'bool\'')
        keepdim = check_flag(keepdim, "median", "keepdim")
        if dim is None:
            if keepdim:
                raise TypeError("median(): keepdim=True needs a dim; median() without a dim gives "
                                "a 0-d tensor")
            return self._median_of_all()
        d = self._reduced_dim("median", dim)
        if self.ndim == 0:
            return MedianResult(self.clone(), Tensor._wrap(np.zeros((), np.int64)))
        order = np.argsort(self._data, axis=d, kind="stable")  # nan last
        kept = tuple(1 if i == d else n for i, n in enumerate(self.shape))
        middle = np.take_along_axis(order, np.full(kept, (self.shape[d] - 1) // 2), d)
        nan = np.isnan(self._data) if self._data.dtype.kind == "f" else None
        if nan is not None:  # a slice with a nan: the first nan
            has_nan = nan.any(axis=d, keepdims=True)
            middle = np.where(has_nan, np.argmax(nan, axis=d, keepdims=True), middle)
        values = self.gather(d, Tensor._wrap(middle))
        indices = Tensor._wrap(middle)
        if not keepdim:
            values, indices = values.squeeze(d), indices.squeeze(d)
        return MedianResult(values, indices)

    def _median_of_all(self: Tensor) -> Tensor:
        flat = self._data.reshape(-1)
        if flat.size == 0:
            if flat.dtype.kind != "f":
                raise RuntimeError(f"median() of an empty {flat.dtype} tensor (shape "
                                   f"{fmt(self.shape)}): there is no value to give")
            return Tensor._wrap(np.array(np.nan, flat.dtype))
        value = np.sort(flat)[(flat.size - 1) // 2]  # nan sorts last: a nan means nan
        if flat.dtype.kind == "f" and np.isnan(flat).any():
            value = flat.dtype.type(np.nan)
        # max() of the elements equal to the median is the median, and shares its gradient
        # evenly among them (nans count as equal to a nan).
        same = self._data == value
        if flat.dtype.kind == "f" and np.isnan(value):
            same = np.isnan(self._data)
        return self[same].max()

    @numpy_names
    def quantile(self: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear") -> Tensor:  # fmt: skip
        """The q-th quantiles over `dim` (of all the elements when None).

        Along each slice, the values are sorted, and quantile q sits at position q·(n - 1):
        between two of them, `interpolation` says what to take: 'linear' (the point that far
        between the two), 'lower', 'higher', 'midpoint' (their mean), or 'nearest' (halves to
        the even position). A slice with a nan gives nan. Gradient: to the one or two values
        used, shared as the interpolation weighs them.

        Args:
            q: a number in [0, 1], or a 0-d or 1-D tensor of them, of self's dtype.
            dim: the dimension to reduce, or None for all the elements.
            keepdim: keep the reduced dimensions, with size 1.
            interpolation: 'linear', 'lower', 'higher', 'midpoint' or 'nearest'.

        Returns:
            A new tensor of self's dtype without the reduced dimension; for a 1-D q, with a
                first dimension more, one entry per q.

        Raises:
            RuntimeError: for an input that is not float32 or float64, or empty; for q outside
                [0, 1], of another dtype, or of more than one dimension; for an unknown
                interpolation.

        Examples:
            >>> x = tinygrad_lr.tensor([0.0, 1.0, 2.0, 3.0, 4.0])
            >>> x.quantile(0.3), x.quantile(0.3, interpolation="lower")
            (tensor(1.2000), tensor(1.))
            >>> x.quantile(tinygrad_lr.tensor([0.25, 0.5]))
            tensor([1., 2.])
        """
        qs = self._quantile_q(q)
        keepdim = check_flag(keepdim, "quantile", "keepdim")
        if interpolation not in INTERPOLATIONS:
            raise RuntimeError(f"quantile() interpolation must be one of linear, lower, higher, "
                               f"midpoint or nearest, but got {interpolation}")
        if self._data.size == 0:
            raise RuntimeError(f"quantile() input tensor must be non-empty (shape "
                               f"{fmt(self.shape)})")
        if dim is None:
            x, d = self.reshape(-1), 0
        else:
            d = dim_arg(dim, max(self.ndim, 1), "quantile")
            x, d = (self, d) if self.ndim else (self.reshape(1), 0)
        rest = [i for i in range(x.ndim) if i != d]
        picked = _interpolated(x.permute(rest + [d]).sort(-1).values, qs, interpolation)
        out = picked.permute([picked.ndim - 1] + list(range(picked.ndim - 1)))  # q first
        if keepdim:
            out = (out.reshape((len(qs),) + (1,) * self.ndim) if dim is None
                   else out.unsqueeze(1 + d) if self.ndim else out)  # fmt: skip
        return out.squeeze(0) if np.ndim(_q_values(q)) == 0 else out

    def _quantile_q(self: Tensor, q: Any) -> np.ndarray:
        """q as a 1-D array of self's dtype, checked as PyTorch checks it."""
        if self._data.dtype not in (np.float32, np.float64):
            raise RuntimeError(f"quantile() input tensor must be either float or double dtype, "
                               f"got {self._data.dtype}")
        if isinstance(q, Tensor):
            if q._data.dtype != self._data.dtype:
                raise RuntimeError(f"quantile() q tensor must be same dtype as the input tensor "
                                   f"({q.dtype} and {self.dtype})")
            if q.ndim > 1:
                raise RuntimeError(f"quantile() q must be a scalar or 1D tensor, got shape "
                                   f"{fmt(q.shape)}")
            if np.any((q._data < 0) | (q._data > 1)):
                raise RuntimeError(f"quantile() q values must be in the range [0, 1], got "
                                   f"{q.tolist()}")
        elif not isinstance(q, (int, float, np.integer, np.floating)) or isinstance(q, bool):
            raise TypeError(f"quantile(): argument 'q' must be a number or a Tensor, not "
                            f"{type(q).__name__}")
        elif not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
        return np.asarray(_q_values(q), self._data.dtype).reshape(-1)


def _q_values(q: Any) -> Any:
    return q._data if isinstance(q, Tensor) else q


def _interpolated(ordered: Tensor, qs: np.ndarray, interpolation: str) -> Tensor:
    """The quantiles qs of each row of `ordered` (sorted along its last dimension), as the
    last dimension of the result."""
    n = ordered.shape[-1]
    # Position q·(n - 1), in the input's dtype as in PyTorch; a row with a nan (sorted last)
    # takes its last position, so that its quantiles are nan.
    ranks = qs * np.asarray(n - 1, qs.dtype)
    has_nan = np.isnan(ordered._data[..., -1:])
    ranks = np.where(has_nan, np.asarray(n - 1, qs.dtype), ranks)  # (..., len(qs))
    rounded = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}.get(interpolation)
    if rounded is not None:
        return ordered.gather(-1, Tensor._wrap(rounded(ranks).astype(np.int64)))
    below = ranks.astype(np.int64)  # (ranks are not negative: truncation is the floor)
    above = np.ceil(ranks).astype(np.int64)
    weight = ranks - below if interpolation == "linear" else np.full_like(ranks, 0.5)
    low, high = (ordered.gather(-1, Tensor._wrap(i)) for i in (below, above))
    return low.lerp(high, Tensor._wrap(weight.astype(qs.dtype)))
