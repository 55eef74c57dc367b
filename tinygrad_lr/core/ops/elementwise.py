"""Elementwise ops: each output element depends on the input elements at the same place.
"""

from __future__ import annotations

import numpy as np

from ..engine import Function
from .common import constant, power, quiet, zeros_like


class Add(Function):
    name = "add"
    formula = "z = a + b;   da = g,   db = g"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    name = "sub"
    formula = "z = a - b;   da = g,   db = -g"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        need_a, need_b = ctx.needs_input_grad
        return (g if need_a else None), (-g if need_b else None)


class Mul(Function):
    name = "mul"
    formula = "z = a * b;   da = g * b,   db = g * a"

    @staticmethod
    def forward(ctx, a, b):
        # da reads b and db reads a: keep only those, so that in `0.5 * h` the array h is not
        # kept alive when only h needs a gradient.
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (g * b if need_a else None), (g * a if need_b else None)


class Div(Function):
    name = "div"
    formula = "z = a / b;   da = g / b,   db = -g * a / b²"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with quiet():
            return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with quiet():  # b = 0: inf
            # -(g·a/b)/b rather than -g·a/b²: b² underflows to 0 for |b| < 1e-23 in float32.
            return (g / b if need_a else None), (-(g * a / b) / b if need_b else None)


# =============================================================================================
# Elementwise, one input
# =============================================================================================


class Neg(Function):
    name = "neg"
    formula = "z = -a;   da = -g"

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Pow(Function):
    name = "pow"
    formula = "z = a ** p  (p a number);   da = g * p * a ** (p - 1)"

    @staticmethod
    def forward(ctx, a, exponent):
        ctx.exponent = exponent
        ctx.save_for_backward(a)
        return power(a, exponent)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:  # a ** 0 is constant; p * a ** -1 would give 0 * inf = nan at a = 0
            return zeros_like(g)
        return g * (p * power(a, p - 1))


class Exp(Function):
    name = "exp"
    formula = "z = exp(a);   da = g * z"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.exp(a)
        ctx.save_for_backward(z)  # exp is its own derivative: keep the output, not the input
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * z


class Log(Function):
    name = "log"
    formula = "z = log(a);   da = g / a"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():  # a = 0: inf
            return g / a


class Sqrt(Function):
    name = "sqrt"
    formula = "z = √a;   da = g / (2 z)"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.sqrt(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        with quiet():  # z = 0: inf
            return g / (2 * z)


class Tanh(Function):
    name = "tanh"
    formula = "z = tanh(a);   da = g * (1 - z²), computed as g * (1 - z) * (1 + z)"

    @staticmethod
    def forward(ctx, a):
        z = np.tanh(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        # Near saturation z ≈ ±1 and z·z rounds to 1, so 1 - z·z would lose every digit;
        # 1 - z is exact there (the two are within a factor 2), and (1 - z)(1 + z) keeps them.
        (z,) = ctx.saved_tensors
        return g * ((1 - z) * (1 + z))


class Sigmoid(Function):
    name = "sigmoid"
    formula = "z = 1 / (1 + exp(-a));   da = g * z * (1 - z)"

    @staticmethod
    def forward(ctx, a):
        # 1/(1 + e^-a) = exp(-log(1 + e^-a)); logaddexp never overflows, even for a = -1000.
        with quiet():
            z = np.exp(-np.logaddexp(0, -a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * z * (1 - z)


class Relu(Function):
    name = "relu"
    formula = "z = max(a, 0);   da = g where z > 0 (or z is nan), else 0"

    @staticmethod
    def forward(ctx, a):
        z = np.maximum(a, 0)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        # "not z <= 0" rather than "z > 0": a nan input passes g on, as in PyTorch.
        (z,) = ctx.saved_tensors
        return g * ~(constant(z) <= 0)


class Abs(Function):
    name = "abs"
    formula = "z = |a|;   da = g * sign(a)   (0 at a = 0, as in PyTorch)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        a = constant(a)
        # |a| has no derivative at 0; sign(0) = 0 takes the middle of the slopes -1 and 1.
        # PyTorch's sign(nan) is 0 too (numpy's is nan): a nan input passes no gradient.
        return g * np.sign(a, out=np.zeros_like(a), where=~np.isnan(a))


class Clamp(Function):
    name = "clamp"
    formula = "z = min(max(a, lo), hi);   da = g where lo ≤ a ≤ hi, else 0"

    @staticmethod
    def forward(ctx, a, min, max):  # noqa: A002 - PyTorch's names
        if ctx.needs_input_grad[0]:
            # Inclusive at both bounds, as in PyTorch: an `a` exactly on a bound passes its
            # gradient. A nan compares false, so it passes none.
            inside = np.ones(a.shape, dtype=bool)
            if min is not None:
                inside &= a >= min
            if max is not None:
                inside &= a <= max
            ctx.save_for_backward(inside)
        # Lower bound first, then upper: with min > max every element becomes max (PyTorch).
        z = a if min is None else np.maximum(a, np.asarray(min, a.dtype))
        return z if max is None else np.minimum(z, np.asarray(max, a.dtype))

    @staticmethod
    def backward(ctx, g):
        (inside,) = ctx.saved_tensors
        return g * constant(inside)
