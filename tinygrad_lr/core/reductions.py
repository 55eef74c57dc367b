"""Reductions: sum, mean, prod, the running sums and products (cumsum, cumprod), var and std,
max, min and their arg-forms, amax and amin, norms and distances, softmax, all and any.

Each output element of a reduction depends on many input elements, so its backward spreads the
gradient back over them (see ops/reduce.py). As in PyTorch, each also takes numpy's names
`axis=` and `keepdims=` (`numpy_names`); so do the backward formulas of the op table, which are
written to run on numpy arrays and on tensors alike (`g.sum(axis=..., keepdims=True)`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from .args import check_flag, dim_arg, dims_arg, fmt, numpy_names, tensor_arg

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class MaxResult(NamedTuple):
    """What `max(dim)` returns, as PyTorch's `torch.return_types.max`: `values`, `indices`.

    The values are differentiable; the indices are int64."""

    values: Tensor
    indices: Tensor


class MinResult(NamedTuple):
    """What `min(dim)` returns, as PyTorch's `torch.return_types.min`: `values` and `indices`."""

    values: Tensor
    indices: Tensor


def _softmax_dim(dim: Any, ndim: int, name: str) -> int:
    if dim is None:
        raise TypeError(f"{name}() missing the argument 'dim' (the dimension the values of one "
                        "distribution run along, usually -1)")
    return dim_arg(dim, max(ndim, 1), name) if ndim else 0


class Reductions:
    """The reduction methods of Tensor."""

    @numpy_names
    def sum(self: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Sum over `dim` (an int, a tuple of ints, or None for all); bools and integers add up
        in int64, as in PyTorch.

        Args:
            dim: the dimension or dimensions to sum over; None sums every element.
            keepdim: keep the summed dimensions, with size 1 (so that the result broadcasts
                against self).
            dtype: the dtype to compute and return in.

        Returns:
            A new tensor without the summed dimensions (0-d for a sum of everything).

        Examples:
            >>> x = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.sum(), x.sum(0)
            (tensor(10.), tensor([4., 6.]))
            >>> x.sum(1, keepdim=True)
            tensor([[3.],
                    [7.]])
        """
        x = _accumulator(self, dtype)
        return ops.Sum.apply(x, dims=dims_arg(dim, x.ndim, "sum"),
                             keepdim=check_flag(keepdim, "sum", "keepdim"))  # fmt: skip

    @numpy_names
    def mean(self: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Mean over `dim` (an int, a tuple of ints, or None for all). Floating tensors only.

        Args:
            dim: the dimension or dimensions to average over; None averages every element.
            keepdim: keep the averaged dimensions, with size 1.

        Returns:
            A new tensor without the averaged dimensions.

        Raises:
            RuntimeError: for an integer or bool tensor (call `.float()` first).

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1)
            tensor([1.5000, 3.5000])
        """
        keepdim = check_flag(keepdim, "mean", "keepdim")
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be a floating point "
                f"dtype, got {self._data.dtype}; call .float() first"
            )
        return ops.Mean.apply(self, dims=dims_arg(dim, self.ndim, "mean"), keepdim=keepdim)

    @numpy_names
    def prod(self: Tensor, dim: Any = None, keepdim: bool = False, *,
             dtype: Any = None) -> Tensor:  # fmt: skip
        """The product over `dim` (all dimensions when None).

        Args:
            dim: the dimension or dimensions to multiply over; None multiplies every element.
            keepdim: keep the reduced dimensions, with size 1.
            dtype: the dtype to compute and return in (integers default to int64).

        Returns:
            A new tensor without the reduced dimensions.
        """
        x = _accumulator(self, dtype)
        return ops.Prod.apply(x, dims=dims_arg(dim, x.ndim, "prod"),
                              keepdim=check_flag(keepdim, "prod", "keepdim"))  # fmt: skip

    @numpy_names
    def cumsum(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sums along `dim`: element i is the sum of elements 0..i.

        Args:
            dim: the dimension to run along.
            dtype: the dtype to compute and return in (integers default to int64).

        Returns:
            A new tensor of self's shape.

        Examples:
            >>> tinygrad_lr.tensor([1, 2, 3]).cumsum(0)
            tensor([1, 3, 6])
        """
        return _running(_accumulator(self, dtype), ops.Cumsum, dim, "cumsum")

    @numpy_names
    def cumprod(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
        """Running products along `dim`: element i is the product of elements 0..i.

        Its gradient is right at zeros too (where zᵢ / aⱼ, the usual shortcut, would divide by
        0), as is its second derivative.

        Args:
            dim: the dimension to run along.
            dtype: the dtype to compute and return in (integers default to int64).

        Returns:
            A new tensor of self's shape.

        Examples:
            >>> x = tinygrad_lr.tensor([2.0, 0.0, 3.0], requires_grad=True)
            >>> x.cumprod(0)
            tensor([2., 0., 0.], grad_fn=<CumprodBackward0>)
            >>> x.cumprod(0).sum().backward()       # d(2 + 2·x₁ + 2·x₁·x₂)/dx₁ = 2 + 2·3
            >>> x.grad
            tensor([1., 8., 0.])
        """
        return _running(_accumulator(self, dtype), ops.Cumprod, dim, "cumprod")

    @numpy_names
    def var(self: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False,
            *, correction: float | None = None) -> Tensor:  # fmt: skip
        """The variance over `dim`: Σ(x - mean)² / (n - correction), correction 1 by default
        (Bessel's, for a sample; `unbiased=False` or `correction=0` divides by n).

        Args:
            dim: the dimension or dimensions to reduce; None uses every element.
            unbiased: PyTorch's older flag: False is `correction=0`.
            keepdim: keep the reduced dimensions, with size 1.
            correction: subtracted from the number of elements n in the division.

        Returns:
            A new tensor without the reduced dimensions (floating tensors only).

        Examples:
            >>> x = tinygrad_lr.tensor([1.0, 2.0, 3.0, 4.0])
            >>> x.var(), x.var(correction=0)
            (tensor(1.6667), tensor(1.2500))
        """
        return self._spread_of("var", dim, unbiased, keepdim, correction)

    @numpy_names
    def std(self: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False,
            *, correction: float | None = None) -> Tensor:  # fmt: skip
        """The standard deviation over `dim`: √var (see `var` for the correction).

        Args:
            dim: the dimension or dimensions to reduce; None uses every element.
            unbiased: PyTorch's older flag: False is `correction=0`.
            keepdim: keep the reduced dimensions, with size 1.
            correction: subtracted from the number of elements n in the division.

        Returns:
            A new tensor without the reduced dimensions.
        """
        return self._spread_of("std", dim, unbiased, keepdim, correction).sqrt()

    def _spread_of(self: Tensor, name: str, dim: Any, unbiased: Any, keepdim: bool,
                   correction: Any) -> Tensor:  # fmt: skip
        if isinstance(dim, bool):  # var(True) is PyTorch's old var(unbiased=True)
            dim, unbiased = None, dim
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"{name}(): input dtype should be floating point, got "
                               f"{self._data.dtype}")
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        dims = dims_arg(dim, self.ndim, name)
        n = 1
        for d in dims:
            n *= self.shape[d]
        # float16 holds 3 digits and counts only up to 65504: as PyTorch does, the squares are
        # summed in float32, and the result is given back in float16
        x = self.float() if self._data.dtype == np.float16 else self
        centred = x - x.mean(dims, keepdim=True)
        spread = (centred * centred).sum(dims, keepdim=keepdim) / max(n - correction, 0)
        return spread.to(self.dtype)

    def norm(self: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
        """The p-norm over `dim` (all elements when None): 'fro' and 2 are √Σx², 1 is Σ|x|,
        inf is max |x|, -inf is min |x|, 0 counts the nonzero elements. Its gradient at a zero
        vector is 0, as in PyTorch.

        Args:
            p: the order of the norm: a number, `inf`, `-inf`, or 'fro'.
            dim: the dimension or dimensions to reduce; None uses every element.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A new tensor without the reduced dimensions (floating tensors only); for p = 0 a
                count, which has no gradient.

        Examples:
            >>> tinygrad_lr.tensor([3.0, 4.0]).norm()
            tensor(5.)
        """
        if p is None or (isinstance(p, str) and p == "fro"):
            p = 2
        if not isinstance(p, (int, float)) or isinstance(p, bool):
            raise TypeError(f"norm(): p must be a number, inf or 'fro', got {p!r}")
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"norm(): input dtype should be floating point, got "
                               f"{self._data.dtype}")
        dims, keepdim = dims_arg(dim, self.ndim, "norm"), check_flag(keepdim, "norm", "keepdim")
        if p == 0:  # (Σ |x|⁰ would count the zeros too: 0⁰ = 1)
            return (self != 0).sum(dims, keepdim=keepdim).to(self.dtype)
        if p == -np.inf:  # the limit of (Σ |x|ᵖ)^(1/p) as p → -inf
            return self.abs().amin(dims, keepdim=keepdim)
        return ops.Norm.apply(self, p=float(p), dims=dims, keepdim=keepdim)

    def dist(self: Tensor, other: Any, p: float = 2) -> Tensor:
        """The p-norm of self - other, over all elements (the two broadcast).

        Args:
            other: the tensor to measure the distance to.
            p: the order of the norm, as for `norm`.

        Returns:
            A 0-d tensor.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).dist(tinygrad_lr.tensor([4.0, 6.0]))
            tensor(5.)
        """
        return (self - tensor_arg(other, "dist", "other")).norm(p)

    @numpy_names
    def logsumexp(self: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
        """log Σ exp(x) over `dim`, computed without overflow.

        Args:
            dim: the dimension or dimensions to reduce.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A new floating tensor without the reduced dimensions.
        """
        x = self if self._data.dtype.kind == "f" else self.float()
        return ops.LogSumExp.apply(x, dims=dims_arg(dim, x.ndim, "logsumexp"),
                                   keepdim=check_flag(keepdim, "logsumexp", "keepdim"))  # fmt: skip

    @numpy_names
    def softmax(self: Tensor, dim: int, dtype: Any = None) -> Tensor:
        """exp(x) / Σ exp(x) along `dim`: positive, summing to 1.

        Args:
            dim: the dimension the values of one distribution run along (usually -1).
            dtype: the dtype to convert self to first.

        Returns:
            A new floating tensor of self's shape.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0, 3.0]).softmax(0)
            tensor([0.0900, 0.2447, 0.6652])
        """
        x = self.to(dtype) if dtype is not None else self
        x = x if x._data.dtype.kind == "f" else x.float()
        return ops.Softmax.apply(x, dim=_softmax_dim(dim, x.ndim, "softmax"))

    @numpy_names
    def log_softmax(self: Tensor, dim: int, dtype: Any = None) -> Tensor:
        """x - log Σ exp(x) along `dim`: the log of softmax, without its underflow.

        Args:
            dim: the dimension the values of one distribution run along (usually -1).
            dtype: the dtype to convert self to first.

        Returns:
            A new floating tensor of self's shape.
        """
        x = self.to(dtype) if dtype is not None else self
        x = x if x._data.dtype.kind == "f" else x.float()
        return ops.LogSoftmax.apply(x, dim=_softmax_dim(dim, x.ndim, "log_softmax"))

    @numpy_names
    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest element (0-d), or `(values, indices)` of the largest along an int `dim`.

        Along a dim, `indices` is int64 and gives the first of equal maxima. Gradient: with
        `dim`, to the element at `indices`; without, split evenly among all the elements equal
        to the maximum (PyTorch's rule for ties).

        Args:
            dim: the dimension to reduce, or None for the largest of all.
            keepdim: keep the reduced dimension, with size 1 (with a `dim` only).

        Returns:
            A 0-d tensor without `dim`; with it, a named tuple `(values, indices)`.

        Examples:
            >>> x = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.max()
            tensor(4.)
            >>> x.max(1)
            MaxResult(values=tensor([2., 4.]), indices=tensor([1, 1]))
        """
        return self._extreme(ops.Max, MaxResult, dim, keepdim)

    @numpy_names
    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest element (0-d), or `(values, indices)` of the smallest along an int `dim`.

        Indices and gradients as for `max`.

        Args:
            dim: the dimension to reduce, or None for the smallest of all.
            keepdim: keep the reduced dimension, with size 1 (with a `dim` only).

        Returns:
            A 0-d tensor without `dim`; with it, a named tuple `(values, indices)`.
        """
        return self._extreme(ops.Min, MinResult, dim, keepdim)

    def _extreme(self: Tensor, op: type[ops.Max], result: type, dim: Any, keepdim: bool) -> Any:
        name = op.name
        keepdim = check_flag(keepdim, name, "keepdim")
        if dim is None:
            if keepdim:
                raise TypeError(f"{name}(): keepdim=True needs a dim; {name}() without a dim "
                                f"gives a 0-d tensor")
            if self._data.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                   f"input.numel() == 0. Specify the reduction dim with the "
                                   f"'dim' argument (shape {fmt(self.shape)})")
            return op.apply(self, dim=None, keepdim=False)
        d = self._reduced_dim(name, dim)
        values = op.apply(self, dim=d, keepdim=keepdim)
        return result(values, self._arg_extreme(op.pick, d, keepdim))

    @numpy_names
    def amax(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The largest element over `dim` (an int, a tuple, or () for all): unlike `max`, several
        dimensions at once and no indices; the gradient is split evenly among tied elements.

        Args:
            dim: the dimension or dimensions to reduce; () (or None) reduces every element.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A new tensor without the reduced dimensions, of self's dtype.

        Examples:
            >>> x = tinygrad_lr.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
            >>> x.amax(1).sum().backward()
            >>> x.grad
            tensor([[0.0000, 0.5000, 0.5000],
                    [0.5000, 0.5000, 0.0000]])
        """
        return self._amax_or_amin(ops.Amax, dim, keepdim)

    @numpy_names
    def amin(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The smallest element over `dim` (an int, a tuple, or () for all), the gradient split
        evenly among tied elements (see `amax`).

        Args:
            dim: the dimension or dimensions to reduce; () (or None) reduces every element.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A new tensor without the reduced dimensions, of self's dtype.
        """
        return self._amax_or_amin(ops.Amin, dim, keepdim)

    def _amax_or_amin(self: Tensor, op: type[ops.Amax], dim: Any, keepdim: bool) -> Tensor:
        name = op.name
        dims = dims_arg(dim, self.ndim, name)
        if self._data.size == 0 and len(dims) == self.ndim:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               f"input.numel() == 0 (shape {fmt(self.shape)})")
        for d in dims:
            if self.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size "
                                 f"(shape {fmt(self.shape)})")
        return op.apply(self, dims=dims, keepdim=check_flag(keepdim, name, "keepdim"))

    def _reduced_dim(self: Tensor, name: str, dim: Any) -> int:
        d = dim_arg(dim, self.ndim, name)
        if self.ndim and self.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size "
                             f"(shape {fmt(self.shape)})")
        return d

    def _arg_extreme(self: Tensor, pick: Any, dim: int | None, keepdim: bool) -> Tensor:
        # The position of the first extreme element, a nan counting as the extreme (numpy and
        # PyTorch agree); int64 and never differentiable: an index has no gradient.
        data = self._data
        if data.ndim == 0:
            index = np.zeros((), np.int64)
        elif dim is None:
            index = np.asarray(pick(data), np.int64)
            if keepdim:
                index = index.reshape((1,) * data.ndim)
        else:
            index = pick(data, axis=dim, keepdims=keepdim).astype(np.int64, copy=False)
        return Tensor._wrap(index)

    def _arg(self: Tensor, name: str, pick: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = check_flag(keepdim, name, "keepdim")
        if self._data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input; call .long() first")
        if dim is None:
            if self._data.size == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 f"input.numel() == 0 (shape {fmt(self.shape)})")
            return self._arg_extreme(pick, None, keepdim)
        return self._arg_extreme(pick, self._reduced_dim(name, dim), keepdim)

    @numpy_names
    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the largest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable.

        Args:
            dim: the dimension to reduce, or None for the flattened tensor.
            keepdim: keep the reduced dimension, with size 1.

        Returns:
            An int64 tensor of indices.

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).argmax(1)
            tensor([1, 1])
        """
        return self._arg("argmax", np.argmax, dim, keepdim)

    @numpy_names
    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The int64 index of the smallest element (of the flattened tensor, or along `dim`).

        The first one where several are equal; not differentiable.

        Args:
            dim: the dimension to reduce, or None for the flattened tensor.
            keepdim: keep the reduced dimension, with size 1.

        Returns:
            An int64 tensor of indices.
        """
        return self._arg("argmin", np.argmin, dim, keepdim)

    def _logical_reduce(self: Tensor, name: str, reduce: Any, dim: Any, keepdim: bool) -> Tensor:
        keepdim = check_flag(keepdim, name, "keepdim")
        axes = None if dim is None else dims_arg(dim, self.ndim, name)
        out = np.asarray(reduce(self._data, axis=axes, keepdims=keepdim))
        # bool, as in PyTorch, except that a uint8 tensor gives uint8 (also as in PyTorch).
        return Tensor._wrap(out.astype(self._data.dtype if self._data.dtype == np.uint8 else bool))

    @numpy_names
    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether every element is nonzero (over all, or over `dim`): bool, not differentiable.

        Args:
            dim: the dimension or dimensions to reduce, or None for all.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A bool tensor (uint8 for a uint8 tensor, as in PyTorch).
        """
        return self._logical_reduce("all", np.all, dim, keepdim)

    @numpy_names
    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether some element is nonzero (over all, or over `dim`): bool, not differentiable.

        Args:
            dim: the dimension or dimensions to reduce, or None for all.
            keepdim: keep the reduced dimensions, with size 1.

        Returns:
            A bool tensor (uint8 for a uint8 tensor, as in PyTorch).
        """
        return self._logical_reduce("any", np.any, dim, keepdim)


def _running(x: Tensor, op: type[ops.Function], dim: Any, name: str) -> Tensor:
    """cumsum or cumprod of x along dim; a 0-d tensor is its own running sum and product."""
    d = dim_arg(dim, max(x.ndim, 1), name)
    return op.apply(x, dim=d) if x.ndim else op.apply(x.reshape(1), dim=0).reshape(())


def _accumulator(x: Tensor, dtype: Any) -> Tensor:
    """x in the dtype its sum, product or running sum is computed in: the `dtype` asked for, else
    int64 for bools and integers (as in PyTorch: a sum of uint8 would wrap around at 256)."""
    if dtype is not None:
        return x.to(dtype)
    kind = x._data.dtype.kind
    return x.long() if kind in "bu" or (kind == "i" and x._data.itemsize < 8) else x
