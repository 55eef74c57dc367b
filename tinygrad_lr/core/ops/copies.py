"""Copies and casts, and the recorded forms of fill_ and copy_.
"""

from __future__ import annotations

import numpy as np

from ..engine import Function
from .common import cast, zeros_like


class Cast(Function):
    name = "to"
    formula = "z = a in another dtype;   da = g in a's dtype"

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.in_dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        return cast(g, ctx.in_dtype)


class Clone(Function):
    name = "clone"
    formula = "z = a copy of a;   da = g"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class Fill(Function):
    """The recorded form of `fill_`/`zero_`: the new value does not depend on the old one."""

    name = "fill"
    formula = "z = a constant with a's shape;   da = 0"

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a, value)

    @staticmethod
    def backward(ctx, g):
        # A zero gradient, not None, as in PyTorch: a's old value was used, and contributes 0.
        return zeros_like(g)


class Copy(Function):
    """The recorded form of `copy_`: a's old value is replaced by b (already a's shape)."""

    name = "copy"
    formula = "z = b;   da = 0,   db = g"

    @staticmethod
    def forward(ctx, a, b):
        return b.copy()

    @staticmethod
    def backward(ctx, g):
        return (zeros_like(g) if ctx.needs_input_grad[0] else None), g
