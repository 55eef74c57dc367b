"""Shape ops: they move or copy elements, so their backward moves the gradient back the same way.
"""

from __future__ import annotations

import numpy as np

from ..engine import Function
from .common import Array, broadcast_view, flip, is_tensor, permute, roll, sum_to_shape


class Expand(Function):
    name = "expand"
    formula = "z = a broadcast to a shape;   da = g summed over the copied dimensions"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return broadcast_view(a, shape)  # a read-only view: no copy is made

    @staticmethod
    def backward(ctx, g):
        return sum_to_shape(g, ctx.in_shape)


class Reshape(Function):
    name = "reshape"
    formula = "z = a with a new shape;   da = g with a's shape"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.in_shape)


class View(Reshape):
    name = "view"


class Squeeze(Reshape):
    name = "squeeze"


class Unsqueeze(Reshape):
    name = "unsqueeze"


class Permute(Function):
    name = "permute"
    formula = "z = a with its axes reordered;   da = g with the axes put back"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return permute(g, tuple(np.argsort(ctx.dims)))


class Transpose(Permute):
    name = "transpose"
    formula = "z = a with two axes swapped;   da = g with them swapped back"


class Index(Function):
    name = "index"
    formula = "z = a[key];   da = zeros like a, with g added at a[key]"
    is_view = True

    @staticmethod
    def forward(ctx, a, key):
        ctx.key, ctx.in_shape = key, a.shape
        out = a[key]
        if isinstance(out, np.generic):
            # One element picked by ints alone comes back from numpy as a scalar copy; with `...`
            # added it is the same element as a 0-d view, so that x[0] shares x's memory as in
            # PyTorch (`x[0].sub_(1)` under no_grad changes x).
            out = a[(*key, Ellipsis) if isinstance(key, tuple) else (key, Ellipsis)]
        return out

    @staticmethod
    def backward(ctx, g):
        if is_tensor(g):
            return IndexBackward.apply(g, key=ctx.key, shape=ctx.in_shape)
        return IndexBackward.forward(ctx, g, ctx.key, ctx.in_shape)


class IndexBackward(Function):
    """Index's backward as an op of its own: recorded in a create_graph backward."""

    name = "index_backward"
    formula = "z = zeros of a shape, with a added at [key];   da = g[key]"

    @staticmethod
    def forward(ctx, a, key, shape):
        ctx.key = key
        z = np.zeros(shape, dtype=a.dtype)
        np.add.at(z, key, a)  # not z[key] += a: an element picked twice gets both gradients
        return z

    @staticmethod
    def backward(ctx, g):
        return g[ctx.key]


class Gather(Function):
    name = "gather"
    formula = ("z[…, j, …] = a[…, index[…, j, …], …] along dim;   da = zeros like a, with g "
               "added where each element was picked")

    @staticmethod
    def forward(ctx, a, index, dim):
        ctx.picked, ctx.in_shape = _along(index, dim), a.shape
        return a[ctx.picked]

    @staticmethod
    def backward(ctx, g):
        if is_tensor(g):
            return IndexBackward.apply(g, key=ctx.picked, shape=ctx.in_shape)
        return IndexBackward.forward(ctx, g, ctx.picked, ctx.in_shape)


class ScatterAdd(Function):
    name = "scatter_add"
    formula = "z = a, with each src element added at a[key];   da = g,   dsrc = g[key]"

    @staticmethod
    def forward(ctx, a, src, key):
        ctx.key = key
        z = np.zeros(a.shape, dtype=a.dtype)
        np.add.at(z, key, src)  # not z[key] += src: a place named twice gets both elements
        return a + z

    @staticmethod
    def backward(ctx, g):
        need_a, need_src = ctx.needs_input_grad
        return (g if need_a else None), (g[ctx.key] if need_src else None)


def _along(index: Array, dim: int) -> tuple:
    """The numpy key that picks a[..., index[i, j, ...], ...] at position (i, j, ...): index on
    axis `dim`, and the position itself on every other axis (an open grid, broadcast)."""
    key = list(np.indices(index.shape, sparse=True))
    key[dim] = index
    return tuple(key)


class Cat(Function):
    name = "cat"
    formula = "z = [a₁, a₂, …] joined along dim;   daᵢ = the slice of g where aᵢ went"

    @staticmethod
    def forward(ctx, *arrays, dim):
        ctx.dim, ctx.sizes = dim, [a.shape[dim] for a in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, g):
        # Joining only places values side by side: each input's gradient is its slice of g.
        ends = np.cumsum(ctx.sizes)
        before = (slice(None),) * ctx.dim
        return tuple(g[before + (slice(end - size, end),)] if need else None
                     for end, size, need in zip(ends, ctx.sizes, ctx.needs_input_grad))  # fmt: skip


class Flip(Function):
    name = "flip"
    formula = "z = a reversed along dims;   da = g reversed back"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.flip(a, dims).copy()  # a copy, as PyTorch's flip (numpy's is a view)

    @staticmethod
    def backward(ctx, g):
        return flip(g, ctx.dims)


class Roll(Function):
    name = "roll"
    formula = "z = a shifted cyclically along dims;   da = g shifted back"

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        return roll(g, tuple(-s for s in ctx.shifts), ctx.dims)
