"""Reductions: each output element depends on many inputs, so the gradient is spread back.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import Function
from .common import Array, constant, expand_to


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
        total = a.sum(axis=dims, keepdims=keepdim)
        if ctx.n == 0:  # the mean of nothing is nan, as in PyTorch
            return np.full_like(total, np.nan, dtype=a.dtype)
        return (total / ctx.n).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        if ctx.n == 0:  # nothing was averaged: the gradient is empty
            return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)
        return _spread(g / ctx.n, ctx.in_shape, ctx.dims, ctx.keepdim)


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
