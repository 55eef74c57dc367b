"""Reductions: each output element depends on many inputs, so the gradient is spread back.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import Function
from .common import Array, constant, cumsum, exp, expand_to, flip, is_tensor, quiet, where


def _spread(g: Array, in_shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> Array:
    # Put the reduced dimensions back as size 1, then copy: every input element that went into an
    # output element receives that element's gradient.
    if not keepdim and g.ndim:
        g = g.reshape([1 if i in dims else n for i, n in enumerate(in_shape)])
    return expand_to(g, in_shape)


class Sum(Function):
    name = "sum"
    formula = "z = Σ a over dims;   da = g copied to every summed element"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        return a.sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)


class Mean(Function):
    name = "mean"
    formula = "z = (1/n) Σ a over dims;   da = g / n copied to every averaged element"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        ctx.n = math.prod(a.shape[d] for d in dims)
        total = a.sum(axis=dims, keepdims=keepdim, dtype=_accumulation_dtype(a))
        if ctx.n == 0:  # the mean of nothing is nan, as in PyTorch
            return np.full_like(total, np.nan, dtype=a.dtype)
        return (total / ctx.n).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        if ctx.n == 0:  # nothing was averaged: the gradient is empty
            return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)
        if not is_tensor(g) and g.dtype == np.float16:
            return _spread((g / np.float32(ctx.n)).astype(g.dtype), ctx.in_shape, ctx.dims,
                           ctx.keepdim)  # fmt: skip
        return _spread(g / ctx.n, ctx.in_shape, ctx.dims, ctx.keepdim)


def _accumulation_dtype(a: np.ndarray) -> type | None:
    # float16 holds 3 digits and counts up to 65504: its sums and counts are taken in float32,
    # as PyTorch does, and only the mean is rounded back to float16.
    return np.float32 if a.dtype == np.float16 else None


class Max(Function):
    """The largest element (dim=None), or the largest along one dim (`max(dim)`'s values)."""

    name = "max"
    formula = ("z = max of a (over dim);   da = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.in_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        a1 = a.reshape(-1) if dim is None else a.reshape(1) if a.ndim == 0 else a
        axis = 0 if dim is None else dim
        # The first extreme element (a nan counts as the extreme, as in PyTorch and numpy).
        index = type(ctx).pick(a1, axis=axis, keepdims=True)
        z = np.take_along_axis(a1, index, axis=axis)
        if ctx.needs_input_grad[0]:
            if dim is None:  # every element equal to z is "the" extreme: g is shared evenly
                chosen = np.isnan(a) if np.isnan(z).any() else a == z.reshape(())
            else:  # the chosen element along dim, as a mask of a's shape
                chosen = np.zeros(a1.shape, bool)
                np.put_along_axis(chosen, index, True, axis=axis)
                chosen = chosen.reshape(a.shape)
            ctx.save_for_backward(chosen)
        if dim is None or a.ndim == 0:
            return z.reshape(())
        return z if keepdim else np.squeeze(z, axis=dim)

    @staticmethod
    def backward(ctx, g):
        (chosen,) = ctx.saved_tensors
        chosen = constant(chosen)
        if ctx.dim is None:
            return chosen * (g / np.count_nonzero(chosen))
        dims = () if not ctx.in_shape else (ctx.dim,)
        return chosen * _spread(g, ctx.in_shape, dims, ctx.keepdim)


class Min(Max):
    """The smallest element (dim=None), or the smallest along one dim (`min(dim)`'s values)."""

    name = "min"
    formula = ("z = min of a (over dim);   da = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick = staticmethod(np.argmin)


class Amax(Function):
    """The largest elements over dims (`amax`): unlike `max(dim)`, several dims at once, and the
    gradient shared evenly among the tied elements of each slice."""

    name = "amax"
    formula = ("z = max of a over dims;   da = g split evenly among the elements of each slice "
               "equal to its z")
    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        z = type(ctx).reduce(a, axis=dims, keepdims=True)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a == z)  # the tied elements: a mask, which has no derivative
        return z if keepdim else z.reshape([n for i, n in enumerate(a.shape) if i not in dims])

    @staticmethod
    def backward(ctx, g):
        (tied,) = ctx.saved_tensors
        tied = constant(tied)
        count = tied.sum(axis=ctx.dims, keepdims=True).astype(g.dtype)
        # A slice whose maximum is nan ties with nothing: 0 / 0, a nan gradient, as in PyTorch.
        with quiet():
            return tied * _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim) / count


class Amin(Amax):
    """The smallest elements over dims (`amin`), the gradient shared as for `amax`."""

    name = "amin"
    formula = ("z = min of a over dims;   da = g split evenly among the elements of each slice "
               "equal to its z")
    reduce = staticmethod(np.min)


class Prod(Function):
    name = "prod"
    formula = "z = Π a over dims;   da = g · (the product of the other elements)"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        ctx.save_for_backward(a)
        return np.multiply.reduce(a, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim) * _product_of_others(a, ctx.dims)


def _product_of_others(a: Array, dims: tuple[int, ...]) -> Array:
    """For each element, the product of the other elements of its slice: ∂(Π a)/∂aᵢ."""
    values = constant(a)
    zero = values == 0
    if not zero.any():  # z / aᵢ: exact, and smooth, so its own derivative is right too
        z = a.prod(dims, keepdim=True) if is_tensor(a) else np.multiply.reduce(a, dims,
                                                                              keepdims=True)
        return z / a
    if is_tensor(a):
        return _product_of_others_by_exclusion(a, dims)
    # Zeros, on arrays: the product of the others is the product of the nonzero elements for an
    # element that is the only zero of its slice, and 0 for every other element of a slice that
    # holds a zero.
    zeros_per_slice = zero.sum(axis=dims, keepdims=True)
    nonzero_product = np.multiply.reduce(np.where(zero, 1, values), dims, keepdims=True)
    with quiet():
        others = np.where(zeros_per_slice == 0, nonzero_product / values, 0)
    return np.where(zero & (zeros_per_slice == 1), nonzero_product, others).astype(values.dtype)


def _product_of_others_by_exclusion(a: Array, dims: tuple[int, ...]) -> Array:
    # On tensors (a create_graph backward) with zeros: Π_{j≠i} a_j as an actual product over an
    # n×n matrix whose diagonal is 1, so that it can be differentiated again at the zeros too.
    kept = [d for d in range(a.ndim) if d not in dims]
    order = kept + list(dims)
    moved = a.permute(order)
    n = 1
    for d in dims:
        n *= a.shape[d]
    flat = moved.reshape(*moved.shape[: len(kept)], n)
    grid = flat.unsqueeze(-2).expand(*flat.shape[:-1], n, n)
    others = grid.where(~np.eye(n, dtype=bool), 1.0).prod(-1)
    back = others.reshape(moved.shape).permute(tuple(np.argsort(order)))
    return back


class Cumsum(Function):
    name = "cumsum"
    formula = "zᵢ = Σ_{j ≤ i} aⱼ along dim;   daⱼ = Σ_{i ≥ j} gᵢ (a cumulative sum from the end)"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.cumsum(a, axis=dim)

    @staticmethod
    def backward(ctx, g):
        # aⱼ went into every zᵢ with i ≥ j: its gradient adds up g from j to the end.
        return flip(cumsum(flip(g, (ctx.dim,)), ctx.dim), (ctx.dim,))


class Cumprod(Function):
    name = "cumprod"
    formula = "zᵢ = Π_{j ≤ i} aⱼ along dim;   daⱼ = Σ_{i ≥ j} gᵢ · Π_{m ≤ i, m ≠ j} aₘ"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        z = np.cumprod(a, axis=dim)
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, z = ctx.saved_tensors
        if is_tensor(a):
            return _cumprod_grad_by_products(a, g, ctx.dim)
        return _cumprod_grad(a, z, g, ctx.dim)


def _reverse_cumsum(x: np.ndarray, dim: int) -> np.ndarray:
    """Element j: the sum of elements j, j + 1, ... to the end of dim."""
    return np.flip(np.cumsum(np.flip(x, dim), axis=dim), dim)


def _cumprod_grad(a: np.ndarray, z: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    # Before the first zero of a slice, Π_{m ≤ i, m ≠ j} aₘ = zᵢ / aⱼ (aⱼ ≠ 0 there, and zᵢ = 0
    # from the first zero on). At the first zero, it is the running product with that zero
    # taken out. After it, every such product holds the first zero: 0.
    zero = a == 0
    zeros_so_far = np.cumsum(zero, axis=dim)
    before, first = zeros_so_far == 0, zero & (zeros_so_far == 1)
    spread = _reverse_cumsum(g * z, dim) / np.where(before, a, 1)
    without_zero = np.cumprod(np.where(first, 1, a), axis=dim)
    at_first = _reverse_cumsum(g * without_zero, dim)
    return np.where(before, spread, np.where(first, at_first, 0)).astype(a.dtype, copy=False)


def _cumprod_grad_by_products(a: Array, g: Array, dim: int) -> Array:
    # On tensors (a create_graph backward): Π_{m ≤ i, m ≠ j} aₘ as an actual running product of
    # the slice with aⱼ replaced by 1, one row of an n×n grid for each j, so that it can be
    # differentiated again, at zeros too.
    n = a.shape[dim]
    a_last, g_last = a.transpose(dim, -1), g.transpose(dim, -1)
    grid = a_last.unsqueeze(-2).expand(*a_last.shape[:-1], n, n)  # grid[..., j, m] = aₘ
    others = grid.where(~np.eye(n, dtype=bool), 1.0).cumprod(-1)  # [..., j, i]
    later = np.triu(np.ones((n, n), dtype=bool))  # i ≥ j
    return (others * g_last.unsqueeze(-2)).where(later, 0.0).sum(-1).transpose(dim, -1)


class Norm(Function):
    """The p-norm (p = 2 by default) over dims."""

    name = "norm"
    formula = "z = (Σ |a|ᵖ)^(1/p);   da = g · a·|a|^(p-2) / z^(p-1)   (0 where z = 0)"

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        ctx.p, ctx.in_shape, ctx.dims, ctx.keepdim = p, a.shape, dims, keepdim
        magnitude = np.abs(a)
        if p == np.inf:
            z = np.max(magnitude, axis=dims, keepdims=keepdim) if magnitude.size else (
                np.zeros_like(np.sum(magnitude, axis=dims, keepdims=keepdim)))  # fmt: skip
        else:
            with quiet():  # p < 0 and a zero element: 0⁻¹ = inf, and the norm is 1/inf = 0
                z = np.sum(magnitude**p, axis=dims, keepdims=keepdim) ** (1 / p)
        z = np.asarray(z, a.dtype)
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, z = ctx.saved_tensors
        p = ctx.p
        z_full = _spread(z, ctx.in_shape, ctx.dims, ctx.keepdim)
        g_full = _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)
        if p == np.inf:  # the gradient goes to the elements of the largest magnitude
            top = constant(abs(a)) == constant(z_full)
            share = top / top.sum(axis=ctx.dims, keepdims=True)
            return g_full * sign_of(a) * share
        with quiet():
            slope = sign_of(a) * abs(a) ** (p - 1) / z_full ** (p - 1)
        # At a zero element (|a|^(p-1) is infinite for p < 1) and a zero norm, 0, as in PyTorch.
        return g_full * where((constant(z_full) == 0) | (constant(a) == 0), 0.0, slope)


def sign_of(a: Array) -> np.ndarray:
    return np.sign(constant(a))


class LogSumExp(Function):
    name = "logsumexp"
    formula = "z = log Σ exp(a) over dims;   da = g · exp(a - z)   (the softmax)"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.kept = dims, tuple(1 if i in dims else n for i, n in enumerate(a.shape))
        # Shifted by the largest element, so that exp cannot overflow.
        top = np.max(a, axis=dims, keepdims=True) if a.size else np.zeros(ctx.kept, a.dtype)
        top = np.where(np.isfinite(top), top, 0)
        with quiet():
            z = np.log(np.sum(np.exp(a - top), axis=dims, keepdims=True)) + top
        z = z if keepdim else z.reshape([n for i, n in enumerate(z.shape) if i not in dims])
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, z = ctx.saved_tensors
        return g.reshape(ctx.kept) * exp(a - z.reshape(ctx.kept))


class Softmax(Function):
    name = "softmax"
    formula = "z = exp(a) / Σ exp(a) along dim;   da = z · (g - Σ g·z)"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        shifted = a - np.max(a, axis=dim, keepdims=True) if a.size else a
        e = np.exp(shifted)
        z = e / np.sum(e, axis=dim, keepdims=True)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return z * (g - (g * z).sum(axis=ctx.dim, keepdims=True))


class LogSoftmax(Function):
    name = "log_softmax"
    formula = "z = a - log Σ exp(a) along dim;   da = g - exp(z) · Σ g"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        shifted = a - np.max(a, axis=dim, keepdims=True) if a.size else a
        with quiet():  # a row of -inf: log 0
            z = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g - exp(z) * g.sum(axis=ctx.dim, keepdims=True)
