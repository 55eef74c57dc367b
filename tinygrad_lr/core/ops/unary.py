"""More functions of one tensor: trigonometric and hyperbolic functions, logarithms and exponentials
in other bases, reciprocals, the logit, and the rounding functions (flat between their jumps).

Each backward is the derivative of the function, times g: d sin a = cos a, d atan a = 1/(1 + a²),
d log₂ a = 1/(a ln 2), ...; where the function's output is cheaper to reuse than its input (tan,
exp2, rsqrt, reciprocal, expm1), the op saves the output.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import Function
from .common import constant, cos, cosh, exp, quiet, sin, sinh, sqrt, where, zeros_like


class Sin(Function):
    name = "sin"
    formula = "z = sin(a);   da = g * cos(a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * cos(a)


class Cos(Function):
    name = "cos"
    formula = "z = cos(a);   da = -g * sin(a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return -g * sin(a)


class Tan(Function):
    name = "tan"
    formula = "z = tan(a);   da = g * (1 + z²)"

    @staticmethod
    def forward(ctx, a):
        z = np.tan(a)
        ctx.save_for_backward(z)  # 1/cos² a = 1 + tan² a: the output is all backward needs
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * (1 + z * z)


class Atan(Function):
    name = "atan"
    formula = "z = atan(a);   da = g / (1 + a²)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (1 + a * a)


class Asin(Function):
    name = "asin"
    formula = "z = asin(a);   da = g / √(1 - a²)   (inf at a = ±1)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():  # |a| > 1: nan
            return np.arcsin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g / sqrt(1 - a * a)


class Acos(Function):
    name = "acos"
    formula = "z = acos(a);   da = -g / √(1 - a²)   (inf at a = ±1)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.arccos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return -g / sqrt(1 - a * a)


class Sinh(Function):
    name = "sinh"
    formula = "z = sinh(a);   da = g * cosh(a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.sinh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g * cosh(a)


class Cosh(Function):
    name = "cosh"
    formula = "z = cosh(a);   da = g * sinh(a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.cosh(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g * sinh(a)


class Log1p(Function):
    name = "log1p"
    formula = "z = log(1 + a), exact for tiny a;   da = g / (1 + a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g / (1 + a)


class Expm1(Function):
    name = "expm1"
    formula = "z = exp(a) - 1, exact for tiny a;   da = g * (z + 1)"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.expm1(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * (z + 1)


class Log2(Function):
    name = "log2"
    formula = "z = log₂(a);   da = g / (a · ln 2)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.log2(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g / (a * math.log(2))


class Log10(Function):
    name = "log10"
    formula = "z = log₁₀(a);   da = g / (a · ln 10)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.log10(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():
            return g / (a * math.log(10))


class Exp2(Function):
    name = "exp2"
    formula = "z = 2 ** a;   da = g * z · ln 2"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.exp2(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * z * math.log(2)


class Rsqrt(Function):
    name = "rsqrt"
    formula = "z = 1 / √a;   da = -g · z³ / 2"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = (1 / np.sqrt(a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return -0.5 * g * z * z * z


class Reciprocal(Function):
    name = "reciprocal"
    formula = "z = 1 / a;   da = -g · z²"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.reciprocal(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return -g * z * z


class Logit(Function):
    """`logit(a)`: log(a / (1 - a)), the inverse of the sigmoid."""

    name = "logit"
    formula = "z = log(a / (1 - a));   da = g / (a · (1 - a))   (nan outside [0, 1])"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():  # log 0 = -inf at a = 0, log(1/0) = inf at a = 1
            return np.log(a / (1 - a))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        # Outside [0, 1] the value is nan, and so is the slope (PyTorch's rule), rather than the
        # finite number the formula would give there.
        outside = (constant(a) < 0) | (constant(a) > 1)
        with quiet():
            return where(outside, np.nan, g / (a * (1 - a)))


class Frac(Function):
    name = "frac"
    formula = "z = a - trunc(a);   da = g"

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


class Erf(Function):
    name = "erf"
    formula = "z = erf(a);   da = g · 2/√π · exp(-a²)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        # numpy has no erf: Python's math.erf, element by element (exact to double precision).
        return np.vectorize(math.erf, otypes=[np.float64])(a).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (2 / math.sqrt(math.pi)) * exp(-(a * a))


class Flat(Function):
    """A function that is constant between its jumps (sign, floor, ...): its derivative is 0
    wherever it exists, and PyTorch gives 0 at the jumps too."""

    formula = "z = f(a), flat between its jumps;   da = 0"
    numpy_function = staticmethod(np.sign)

    @staticmethod
    def forward(ctx, a, **options):
        return type(ctx).numpy_function(a, **options)

    @staticmethod
    def backward(ctx, g):
        return zeros_like(g)


class Sign(Flat):
    name = "sign"
    formula = "z = sign(a) (-1, 0 or 1);   da = 0"
    numpy_function = staticmethod(np.sign)


class Floor(Flat):
    name = "floor"
    formula = "z = the integer ≤ a;   da = 0"
    numpy_function = staticmethod(np.floor)


class Ceil(Flat):
    name = "ceil"
    formula = "z = the integer ≥ a;   da = 0"
    numpy_function = staticmethod(np.ceil)


class Trunc(Flat):
    name = "trunc"
    formula = "z = a with its fraction dropped;   da = 0"
    numpy_function = staticmethod(np.trunc)


class Round(Flat):
    name = "round"
    formula = "z = a rounded (halves to even, as in PyTorch);   da = 0"
    numpy_function = staticmethod(np.round)
