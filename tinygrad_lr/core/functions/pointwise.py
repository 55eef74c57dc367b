"""Elementwise functions, unary and binary: `t.exp(x)` is `x.exp()`, `t.add(x, y, alpha=2)` is
`x.add(y, alpha=2)`, `atan2` and `hypot`, and `where` and `lerp`, which take three tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..args import check_number, input_arg, tensor_arg
from ..dtypes import promote_scalar
from ..tensor import Tensor


def exp(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """e to the power of each element (`input.exp()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "exp").exp()


def log(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The natural logarithm of each element (`input.log()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "log").log()


def sqrt(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The square root of each element (`input.sqrt()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "sqrt").sqrt()


def tanh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic tangent of each element (`input.tanh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "tanh").tanh()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / (1 + e⁻ˣ) of each element (`input.sigmoid()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "sigmoid").sigmoid()


def relu(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """max(x, 0) of each element (`input.relu()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "relu").relu()


def abs(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """|x| of each element (`input.abs()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "abs").abs()


def neg(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """-x (`input.neg()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "neg").neg()


def sin(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The sine of each element (`input.sin()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "sin").sin()


def cos(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The cosine of each element (`input.cos()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "cos").cos()


def tan(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The tangent of each element (`input.tan()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "tan").tan()


def atan(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arctangent of each element (`input.atan()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "atan").atan()


def asin(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arcsine of each element (`input.asin()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "asin").asin()


def acos(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arccosine of each element (`input.acos()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "acos").acos()


def sinh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic sine of each element (`input.sinh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "sinh").sinh()


def cosh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic cosine of each element (`input.cosh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "cosh").cosh()


def log1p(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """log(1 + x), accurate for tiny x (`input.log1p()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "log1p").log1p()


def expm1(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """exp(x) - 1, accurate for tiny x (`input.expm1()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "expm1").expm1()


def log2(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The base-2 logarithm (`input.log2()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "log2").log2()


def log10(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The base-10 logarithm (`input.log10()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "log10").log10()


def exp2(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """2 to the power of each element (`input.exp2()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "exp2").exp2()


def rsqrt(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / √x of each element (`input.rsqrt()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "rsqrt").rsqrt()


def reciprocal(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / x of each element (`input.reciprocal()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "reciprocal").reciprocal()


def square(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """x² of each element (`input.square()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "square").square()


def sign(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """-1, 0 or 1: the sign of each element (`input.sign()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "sign").sign()


def floor(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The largest integer ≤ each element (`input.floor()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "floor").floor()


def ceil(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The smallest integer ≥ each element (`input.ceil()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "ceil").ceil()


def trunc(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """Each element with its fraction dropped (`input.trunc()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "trunc").trunc()


def frac(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """x - trunc(x) (`input.frac()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "frac").frac()


def erf(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The error function of each element (`input.erf()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "erf").erf()


def logit(input: Tensor, eps: float | None = None) -> Tensor:  # noqa: A002
    """log(p / (1 - p)) of each element p, clamped to [eps, 1 - eps] first if eps is given
    (`input.logit(eps)`).

    Args:
        input: a tensor of probabilities.
        eps: the clamp's margin, or None for no clamp.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return input_arg(input, "logit").logit(eps)


def atan2(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The angle of the point (other, input), in [-π, π] (`input.atan2(other)`).

    Args:
        input: the y coordinates.
        other: the x coordinates, a tensor that broadcasts with input.

    Returns:
        A new floating tensor of the broadcast shape.
    """
    return input_arg(input, "atan2").atan2(other)


def hypot(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """√(input² + other²), elementwise, without overflow (`input.hypot(other)`).

    Args:
        input: a floating tensor.
        other: a tensor that broadcasts with it.

    Returns:
        A new floating tensor of the broadcast shape.
    """
    return input_arg(input, "hypot").hypot(other)


arctan, arcsin, arccos, fix, negative, absolute = atan, asin, acos, trunc, neg, abs
arctan2 = atan2


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """Each element rounded to `decimals` places, halves to even (`input.round()`).

    Args:
        input: a tensor.
        decimals: the number of decimal places.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return input_arg(input, "round").round(decimals)


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001, A002
    """input ** exponent: either may be a number or a tensor (`input.pow(exponent)`).

    Args:
        input: a tensor, or a number (then `exponent` is a tensor).
        exponent: a number or a tensor.

    Returns:
        A new tensor of the broadcast shape.
    """
    if isinstance(input, Tensor):
        return input**exponent
    return input_arg(exponent, "pow").__rpow__(input)


def add(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """input + alpha * other.

    Args:
        input: a tensor.
        other: a tensor or a number.
        alpha: the multiplier of `other`.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "add").add(other, alpha=alpha)


def sub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """input - alpha * other.

    Args:
        input: a tensor.
        other: a tensor or a number.
        alpha: the multiplier of `other`.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "sub").sub(other, alpha=alpha)


def mul(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input * other, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "mul") * other


def div(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input / other, elementwise true division.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new floating tensor of the broadcast shape.
    """
    return input_arg(input, "div") / other


multiply, divide, subtract, true_divide = mul, div, sub, div


def floor_divide(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input // other (not differentiable, as in PyTorch).

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "floor_divide") // other


def remainder(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input % other, with the sign of other.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "remainder") % other


def fmod(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """The remainder with the sign of input (C's fmod).

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "fmod").fmod(other)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The larger of the two, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "maximum").maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The smaller of the two, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "minimum").minimum(other)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """input where `condition` holds, else other; either (or both) may be a number. With the
    condition alone, the positions where it holds (`condition.nonzero(as_tuple=True)`).

    Args:
        condition: a bool tensor.
        input: the values where `condition` holds: a tensor or a number.
        other: the values elsewhere: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape; for two numbers, of the condition's shape and the
            dtype they promote to (two floats give the default float dtype). With the condition
            alone, a tuple of int64 index tensors, one per dimension.

    Examples:
        >>> y = tinygrad_lr.tensor([-1.0, 2.0])
        >>> tinygrad_lr.where(y > 0, y, 0.0)
        tensor([0., 2.])
        >>> tinygrad_lr.where(y > 0, 1.0, 0.0)
        tensor([0., 1.])
    """
    condition = tensor_arg(condition, "where", "condition")
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):  # two numbers: the first becomes a 0-d tensor
            for name, value in (("input", input), ("other", other)):
                check_number(value, "where", name)
            dt = promote_scalar(promote_scalar(np.dtype(np.bool_), input), other)
            return Tensor._wrap(np.asarray(input, dt)).where(condition, other)
        return other.where(~condition if condition.dtype.kind == "b" else condition == 0, input)
    return input.where(condition, other)


def lerp(input: Tensor, end: Any, weight: Any) -> Tensor:  # noqa: A002
    """input + weight·(end - input).

    Args:
        input: a tensor.
        end: the end point: a tensor or a number.
        weight: the fraction of the way to `end`: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input_arg(input, "lerp").lerp(end, weight)



def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A001, A002
    """Each element limited to [min, max]; the bounds may be numbers or tensors.

    Args:
        input: a tensor.
        min: the lower bound: a number, a tensor, or None.
        max: the upper bound: a number, a tensor, or None.

    Returns:
        A new tensor.
    """
    return input_arg(input, "clamp").clamp(min, max)


clip = clamp


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """clamp(input, min=min).

    Args:
        input: a tensor.
        min: the lower bound: a number or a tensor.

    Returns:
        A new tensor.
    """
    return input_arg(input, "clamp_min").clamp(min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """clamp(input, max=max).

    Args:
        input: a tensor.
        max: the upper bound: a number or a tensor.

    Returns:
        A new tensor.
    """
    return input_arg(input, "clamp_max").clamp(max=max)


__all__ = [
    "abs", "absolute", "acos", "add", "arccos", "arcsin", "arctan", "arctan2", "asin", "atan",
    "atan2", "ceil", "clamp", "clamp_max", "clamp_min", "clip", "cos", "cosh", "div", "divide",
    "erf", "exp", "exp2", "expm1", "fix", "floor", "floor_divide", "fmod", "frac", "hypot", "lerp",
    "log", "log10", "log1p", "log2", "logit", "maximum", "minimum", "mul", "multiply", "neg",
    "negative", "pow", "reciprocal", "relu", "remainder", "round", "rsqrt", "sigmoid", "sign",
    "sin", "sinh", "sqrt", "square", "sub", "subtract", "tan", "tanh", "true_divide", "trunc",
    "where",
]  # fmt: skip
