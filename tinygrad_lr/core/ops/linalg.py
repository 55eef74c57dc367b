"""Matrix products.
"""

from __future__ import annotations

import numpy as np

from ..engine import Function
from .common import mm, sum_to_shape


class MatMul(Function):
    name = "matmul"
    formula = "z = a @ b;   da = g @ bᵀ,   db = aᵀ @ g"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        # matmul reads a vector as a one-row matrix on the left and a one-column matrix on the
        # right: do the same, apply the matrix rule, then sum away the broadcast batch dimensions
        # and drop those added ones again.
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        need_a, need_b = ctx.needs_input_grad
        da = sum_to_shape(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape) if need_a else None
        db = sum_to_shape(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape) if need_b else None
        return da, db


class MM(Function):
    """`mm`: the product of two matrices (the front-end checks that both are 2-D)."""

    name = "mm"
    formula = "z = a @ b;   da = g @ bᵀ,   db = aᵀ @ g"

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return mm(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (mm(g, b.T) if need_a else None), (mm(a.T, g) if need_b else None)
