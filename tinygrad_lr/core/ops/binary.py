"""More functions of two or three tensors: powers with a tensor exponent, remainders, elementwise
maximum and minimum, where, lerp, clamp between tensor bounds, and the angle and length of a
point (atan2, hypot).

As with + - * /, the operands arrive here with one shape: the front-end broadcasts an operand that
needs a gradient with an explicit expand node.
"""

from __future__ import annotations

import numpy as np

from ..engine import Function
from .common import constant, log, quiet, where, zeros_like


class PowTensor(Function):
    """a ** b with b a tensor (and `2 ** x`: a number base, made a constant tensor)."""

    name = "pow_tensor"
    formula = "z = a ** b;   da = g * b * a ** (b - 1),   db = g * z * log(a)   (0 where a = 0)"

    @staticmethod
    def forward(ctx, a, b):
        with quiet():
            z = np.power(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, b, z = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with quiet():
            da = g * b * a ** (b - 1) if need_a else None
            # d(aᵇ)/db = aᵇ·log a: -inf·0 = nan at a = 0, where PyTorch (and the limit for
            # b > 0) gives 0.
            db = g * where(constant(a) == 0, 0.0, z * log(a)) if need_b else None
        return da, db


class Remainder(Function):
    """`a % b`, the remainder with the sign of b (Python's and PyTorch's %)."""

    name = "remainder"
    formula = "z = a - b · floor(a / b);   da = g,   db = -g · floor(a / b)"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with quiet():
            return np.remainder(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with quiet():
            quotient = np.floor(constant(a) / constant(b))  # flat between jumps: a constant
        return g, (-g * quotient if ctx.needs_input_grad[1] else None)


class Fmod(Function):
    """`fmod(a, b)`, the remainder with the sign of a (C's fmod)."""

    name = "fmod"
    formula = "z = a - b · trunc(a / b);   da = g,   db = -g · trunc(a / b)"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with quiet():
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with quiet():
            quotient = np.trunc(constant(a) / constant(b))
        return g, (-g * quotient if ctx.needs_input_grad[1] else None)


class FloorDivide(Function):
    """`a // b`. Like PyTorch, it records a node, and its derivative is an error."""

    name = "floor_divide"
    formula = "z = floor(a / b);   no derivative (PyTorch: not implemented)"

    @staticmethod
    def forward(ctx, a, b):
        with quiet():
            return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for floor_divide is not implemented: a // b is flat "
                           "between its jumps; use torch.floor(a / b) for a zero gradient")


class Maximum(Function):
    name = "maximum"
    formula = "z = max(a, b);   da = g where a > b,   db = g where b > a   (g/2 each at ties)"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(_share(a, b, np.greater))
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        (share_a,) = ctx.saved_tensors
        share_a = constant(share_a)
        return g * share_a, g * (1 - share_a)


class Minimum(Function):
    name = "minimum"
    formula = "z = min(a, b);   da = g where a < b,   db = g where b < a   (g/2 each at ties)"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(_share(a, b, np.less))
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        (share_a,) = ctx.saved_tensors
        share_a = constant(share_a)
        return g * share_a, g * (1 - share_a)


def _share(a: np.ndarray, b: np.ndarray, wins: np.ufunc) -> np.ndarray:
    # The part of g that goes to a: 1 where a is the chosen one, ½ at a tie (PyTorch's rule), 0
    # where b is; a nan is chosen (numpy's maximum and minimum propagate it).
    share = np.where(np.isnan(a), 1.0, wins(a, b) + (a == b) * 0.5)
    return share.astype(np.result_type(a, b))


class Where(Function):
    """`where(condition, a, b)`: a where the condition holds, else b."""

    name = "where"
    formula = "z = a where c, else b;   da = g where c (else 0),   db = g where not c"

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, g):
        (condition,) = ctx.saved_tensors
        condition = constant(condition).astype(bool)
        _, need_a, need_b = ctx.needs_input_grad
        zero = zeros_like(g)
        return (None, where(condition, g, zero) if need_a else None,
                where(condition, zero, g) if need_b else None)  # fmt: skip


class Lerp(Function):
    """`lerp(start, end, weight)`: the point the fraction `weight` of the way from start to end."""

    name = "lerp"
    formula = "z = a + w·(b - a);   da = g·(1 - w),   db = g·w,   dw = g·(b - a)"

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        return a + w * (b - a)

    @staticmethod
    def backward(ctx, g):
        a, b, w = ctx.saved_tensors
        need_a, need_b, need_w = ctx.needs_input_grad
        return ((g * (1 - w) if need_a else None), (g * w if need_b else None),
                (g * (b - a) if need_w else None))  # fmt: skip


class ClampTensor(Function):
    """`clamp(a, lo, hi)` with tensor bounds: each bound receives the gradient where it won."""

    name = "clamp_tensor"
    formula = ("z = min(max(a, lo), hi);   da = g where lo ≤ a ≤ hi,   dlo = g where a < lo,   "
               "dhi = g where a > hi")

    @staticmethod
    def forward(ctx, a, lo, hi):
        below, above = a < lo, a > hi
        # With lo > hi every element becomes hi, as in PyTorch: hi is applied last.
        z = np.minimum(np.maximum(a, lo), hi)
        ctx.save_for_backward(~below & ~above, below & ~above, above)
        return z

    @staticmethod
    def backward(ctx, g):
        inside, at_lo, at_hi = (constant(m) for m in ctx.saved_tensors)
        need_a, need_lo, need_hi = ctx.needs_input_grad
        return ((g * inside if need_a else None), (g * at_lo if need_lo else None),
                (g * at_hi if need_hi else None))  # fmt: skip


class Atan2(Function):
    """`atan2(a, b)`: the angle of the point (b, a) from the x axis, in [-π, π]."""

    name = "atan2"
    formula = "z = atan2(a, b);   da = g · b / (a² + b²),   db = -g · a / (a² + b²)   (0 at 0, 0)"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        # At the origin both numerators are 0: dividing by 1 there gives PyTorch's 0 instead of
        # 0 / 0 = nan.
        r2 = a * a + b * b
        r2 = where(constant(r2) == 0, 1.0, r2)
        need_a, need_b = ctx.needs_input_grad
        return (g * b / r2 if need_a else None), (-g * a / r2 if need_b else None)


class Hypot(Function):
    """`hypot(a, b)`: √(a² + b²), the length of the point (a, b), without overflow."""

    name = "hypot"
    formula = "z = √(a² + b²);   da = g · a / z,   db = g · b / z   (nan at 0, 0, as in PyTorch)"

    @staticmethod
    def forward(ctx, a, b):
        z = np.hypot(a, b)  # (a² itself would overflow for |a| > 1.8e19 in float32)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, b, z = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with quiet():
            return (g * a / z if need_a else None), (g * b / z if need_b else None)
