"""Module-level forms of the Tensor methods (`tinygrad_lr.exp(x)` is `x.exp()`), as in PyTorch,
with PyTorch's argument names (`input`, `other`, `dim`, `keepdim`), and the functions that take
several tensors (`cat`, `stack`, `where`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import ops
from .args import dim_arg, fmt, tensor_arg
from .dtypes import promote
from .tensor import Tensor


def _t(x: Any, op: str) -> Tensor:
    return tensor_arg(x, op, "input")


def exp(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """e to the power of each element (`input.exp()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "exp").exp()


def log(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The natural logarithm of each element (`input.log()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "log").log()


def sqrt(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The square root of each element (`input.sqrt()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "sqrt").sqrt()


def tanh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic tangent of each element (`input.tanh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "tanh").tanh()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / (1 + e⁻ˣ) of each element (`input.sigmoid()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "sigmoid").sigmoid()


def relu(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """max(x, 0) of each element (`input.relu()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "relu").relu()


def abs(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """|x| of each element (`input.abs()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "abs").abs()


def neg(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """-x (`input.neg()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "neg").neg()


def sin(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The sine of each element (`input.sin()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "sin").sin()


def cos(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The cosine of each element (`input.cos()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "cos").cos()


def tan(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The tangent of each element (`input.tan()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "tan").tan()


def atan(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arctangent of each element (`input.atan()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "atan").atan()


def asin(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arcsine of each element (`input.asin()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "asin").asin()


def acos(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The arccosine of each element (`input.acos()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "acos").acos()


def sinh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic sine of each element (`input.sinh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "sinh").sinh()


def cosh(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The hyperbolic cosine of each element (`input.cosh()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "cosh").cosh()


def log1p(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """log(1 + x), accurate for tiny x (`input.log1p()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "log1p").log1p()


def expm1(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """exp(x) - 1, accurate for tiny x (`input.expm1()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "expm1").expm1()


def log2(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The base-2 logarithm (`input.log2()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "log2").log2()


def log10(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The base-10 logarithm (`input.log10()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "log10").log10()


def exp2(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """2 to the power of each element (`input.exp2()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "exp2").exp2()


def rsqrt(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / √x of each element (`input.rsqrt()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "rsqrt").rsqrt()


def reciprocal(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """1 / x of each element (`input.reciprocal()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "reciprocal").reciprocal()


def square(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """x² of each element (`input.square()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "square").square()


def sign(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """-1, 0 or 1: the sign of each element (`input.sign()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "sign").sign()


def floor(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The largest integer ≤ each element (`input.floor()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "floor").floor()


def ceil(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The smallest integer ≥ each element (`input.ceil()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "ceil").ceil()


def trunc(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """Each element with its fraction dropped (`input.trunc()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "trunc").trunc()


def frac(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """x - trunc(x) (`input.frac()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "frac").frac()


def erf(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument name
    """The error function of each element (`input.erf()`).

    Args:
        input: a tensor.

    Returns:
        A new tensor of input's shape; an integer tensor gives the default float dtype.
    """
    return _t(input, "erf").erf()


arctan, arcsin, arccos, fix, negative, absolute = atan, asin, acos, trunc, neg, abs


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """Each element rounded to `decimals` places, halves to even (`input.round()`).

    Args:
        input: a tensor.
        decimals: the number of decimal places.

    Returns:
        A new tensor of input's shape and dtype.
    """
    return _t(input, "round").round(decimals)


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001, A002
    """input ** exponent: either may be a number or a tensor (`input.pow(exponent)`).

    Args:
        input: a tensor, or a number (then `exponent` is a tensor).
        exponent: a number or a tensor.

    Returns:
        A new tensor of the broadcast shape.
    """
    return input**exponent if isinstance(input, Tensor) else _t(exponent, "pow").__rpow__(input)


def add(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """input + alpha * other.

    Args:
        input: a tensor.
        other: a tensor or a number.
        alpha: the multiplier of `other`.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "add").add(other, alpha=alpha)


def sub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """input - alpha * other.

    Args:
        input: a tensor.
        other: a tensor or a number.
        alpha: the multiplier of `other`.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "sub").sub(other, alpha=alpha)


def mul(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input * other, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "mul") * other


def div(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input / other, elementwise true division.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new floating tensor of the broadcast shape.
    """
    return _t(input, "div") / other


multiply, divide, subtract, true_divide = mul, div, sub, div


def floor_divide(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input // other (not differentiable, as in PyTorch).

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "floor_divide") // other


def remainder(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input % other, with the sign of other.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "remainder") % other


def fmod(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """The remainder with the sign of input (C's fmod).

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "fmod").fmod(other)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The larger of the two, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "maximum").maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The smaller of the two, elementwise.

    Args:
        input: a tensor.
        other: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.
    """
    return _t(input, "minimum").minimum(other)


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002
    """input where `condition` holds, else other; either may be a number.

    Args:
        condition: a bool tensor.
        input: the values where `condition` holds: a tensor or a number.
        other: the values elsewhere: a tensor or a number.

    Returns:
        A new tensor of the broadcast shape.

    Examples:
        >>> y = tinygrad_lr.tensor([-1.0, 2.0])
        >>> tinygrad_lr.where(y > 0, y, 0.0)
        tensor([0., 2.])
    """
    condition = tensor_arg(condition, "where", "condition")
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            raise TypeError("where(): at least one of input and other must be a Tensor")
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
    return _t(input, "lerp").lerp(end, weight)


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Matrix product of two 2-D tensors (`input.mm(mat2)`).

    Args:
        input: a 2-D tensor (n, k).
        mat2: a 2-D tensor (k, m).

    Returns:
        A new tensor of shape (n, m).
    """
    return _t(input, "mm").mm(mat2)


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """numpy's matmul of two tensors (`input @ other`).

    Args:
        input: a tensor, at least 1-D.
        other: a tensor, at least 1-D.

    Returns:
        A new tensor, as numpy's matmul shapes it.
    """
    return _t(input, "matmul").matmul(other)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A001, A002
    """Each element limited to [min, max]; the bounds may be numbers or tensors.

    Args:
        input: a tensor.
        min: the lower bound: a number, a tensor, or None.
        max: the upper bound: a number, a tensor, or None.

    Returns:
        A new tensor.
    """
    return _t(input, "clamp").clamp(min, max)


clip = clamp


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """clamp(input, min=min).

    Args:
        input: a tensor.
        min: the lower bound: a number or a tensor.

    Returns:
        A new tensor.
    """
    return _t(input, "clamp_min").clamp(min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """clamp(input, max=max).

    Args:
        input: a tensor.
        max: the upper bound: a number or a tensor.

    Returns:
        A new tensor.
    """
    return _t(input, "clamp_max").clamp(max=max)


# --- reductions ---------------------------------------------------------------------------------


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A001, A002
    """The sum over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "sum").sum(dim, keepdim, **aliases)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A002
    """The mean over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "mean").mean(dim, keepdim, **aliases)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A002
    """The product over `dim` (all dimensions when None).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.
        **aliases: numpy's `axis=` and `keepdims=` (and `dtype=`, for sum and prod).

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "prod").prod(dim, keepdim, **aliases)


def cumsum(input: Tensor, dim: int, **options: Any) -> Tensor:  # noqa: A002
    """Running sums along `dim`.

    Args:
        input: a tensor.
        dim: the dimension to run along.
        **options: `dtype=`, the dtype to compute in.

    Returns:
        A new tensor of input's shape.
    """
    return _t(input, "cumsum").cumsum(dim, **options)


def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False,
        **options: Any) -> Tensor:  # noqa: A002
    """The variance over `dim` (correction 1 by default).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        unbiased: PyTorch's older flag: False is `correction=0`.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `correction=`, subtracted from the number of elements.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "var").var(dim, unbiased, keepdim, **options)


def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False,
        **options: Any) -> Tensor:  # noqa: A002
    """The standard deviation over `dim` (correction 1 by default).

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        unbiased: PyTorch's older flag: False is `correction=0`.
        keepdim: keep the reduced dimensions, with size 1.
        **options: `correction=`, subtracted from the number of elements.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "std").std(dim, unbiased, keepdim, **options)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The p-norm over `dim` (all elements when None).

    Args:
        input: a tensor.
        p: the order of the norm: a number, `inf`, or 'fro'.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "norm").norm(p, dim, keepdim)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    """log Σ exp(input) over `dim`, without overflow.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A new tensor without the reduced dimensions.
    """
    return _t(input, "logsumexp").logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(input) / Σ exp(input) along `dim`.

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of input's shape.
    """
    return _t(input, "softmax").softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """input - logsumexp(input) along `dim`.

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of input's shape.
    """
    return _t(input, "log_softmax").log_softmax(dim, dtype)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The largest element, or `(values, indices)` along an int `dim`; with a tensor as `dim`,
    the elementwise maximum (PyTorch's torch.max(a, b)).

    Args:
        input: a tensor.
        dim: the dimension to reduce, None for all, or a tensor (the elementwise maximum).
        keepdim: keep the reduced dimension, with size 1.

    Returns:
        A 0-d tensor; `(values, indices)` with a `dim`; a tensor for a tensor `dim`.

    Examples:
        >>> tinygrad_lr.max(tinygrad_lr.tensor([1.0, 5.0]), tinygrad_lr.tensor([3.0, 4.0]))
        tensor([3., 5.])
    """
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    return _t(input, "max").max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """The smallest element, or `(values, indices)` along an int `dim`; with a tensor as `dim`,
    the elementwise minimum.

    Args:
        input: a tensor.
        dim: the dimension to reduce, None for all, or a tensor (the elementwise minimum).
        keepdim: keep the reduced dimension, with size 1.

    Returns:
        A 0-d tensor; `(values, indices)` with a `dim`; a tensor for a tensor `dim`.
    """
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    return _t(input, "min").min(dim, keepdim)


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The index of the largest element, int64.

    Args:
        input: a tensor.
        dim: the dimension to reduce, or None for the flattened tensor.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        An int64 tensor of indices.
    """
    return _t(input, "argmax").argmax(dim, keepdim)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The index of the smallest element, int64.

    Args:
        input: a tensor.
        dim: the dimension to reduce, or None for the flattened tensor.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        An int64 tensor of indices.
    """
    return _t(input, "argmin").argmin(dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """Whether every element is nonzero, bool.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A bool tensor.
    """
    return _t(input, "all").all(dim, keepdim)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """Whether some element is nonzero, bool.

    Args:
        input: a tensor.
        dim: the dimension or dimensions to reduce; None for all.
        keepdim: keep the reduced dimensions, with size 1.

    Returns:
        A bool tensor.
    """
    return _t(input, "any").any(dim, keepdim)


# --- shapes -------------------------------------------------------------------------------------


def reshape(input: Tensor, shape: Any) -> Tensor:  # noqa: A002
    """The same elements in a new shape.

    Args:
        input: a tensor.
        shape: the new shape, a tuple of ints (one may be -1).

    Returns:
        The input's elements in that shape.
    """
    return _t(input, "reshape").reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Dimensions start_dim..end_dim merged into one.

    Args:
        input: a tensor.
        start_dim: the first dimension to merge.
        end_dim: the last dimension to merge (included).

    Returns:
        The input's elements, those dimensions merged.
    """
    return _t(input, "flatten").flatten(start_dim, end_dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """Swap two dimensions.

    Args:
        input: a tensor.
        dim0: one dimension.
        dim1: the other.

    Returns:
        A view of the input.
    """
    return _t(input, "transpose").transpose(dim0, dim1)


swapaxes = swapdims = transpose


def permute(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """Reorder the dimensions.

    Args:
        input: a tensor.
        dims: a permutation of the input's dimensions.

    Returns:
        A view of the input.
    """
    return _t(input, "permute").permute(dims)


def t(input: Tensor) -> Tensor:  # noqa: A002
    """Transpose a tensor of at most 2 dimensions.

    Args:
        input: a tensor.

    Returns:
        A view of the input.
    """
    return _t(input, "t").t()


def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """Drop dimensions of size 1.

    Args:
        input: a tensor.
        dim: the one dimension to drop; None for every dimension of size 1.

    Returns:
        A view of the input.
    """
    return _t(input, "squeeze").squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """Insert a dimension of size 1 at `dim`.

    Args:
        input: a tensor.
        dim: where the new dimension goes.

    Returns:
        A view of the input.
    """
    return _t(input, "unsqueeze").unsqueeze(dim)


def flip(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """The elements in reverse order along `dims`.

    Args:
        input: a tensor.
        dims: the dimensions to reverse.

    Returns:
        A new tensor of input's shape.
    """
    return _t(input, "flip").flip(dims)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    """The elements shifted cyclically along `dims`.

    Args:
        input: a tensor.
        shifts: the shift, or one per dimension of `dims`.
        dims: the dimension(s) to roll along; None for the flattened tensor.

    Returns:
        A new tensor of input's shape.
    """
    return _t(input, "roll").roll(shifts, dims)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Consecutive pieces along `dim`, of one size or of the sizes listed.

    Args:
        tensor: a tensor.
        split_size_or_sections: the size of each piece, or the list of their sizes.
        dim: the dimension to cut along.

    Returns:
        A tuple of views of the tensor.
    """
    return tensor_arg(tensor, "split", "tensor").split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:  # noqa: A002
    """At most `chunks` pieces of equal size along `dim`.

    Args:
        input: a tensor.
        chunks: how many pieces to make, at most.
        dim: the dimension to cut along.

    Returns:
        A tuple of views of the input.
    """
    return _t(input, "chunk").chunk(chunks, dim)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension `dim`.

    Args:
        tensors: a non-empty list (or tuple) of tensors.
        dim: where the new dimension goes.

    Returns:
        A new tensor with one more dimension.

    Examples:
        >>> tinygrad_lr.stack([tinygrad_lr.tensor([1, 2]), tinygrad_lr.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
    """
    tensors = _tensor_list(tensors, "stack")
    first = tensors[0]
    for i, x in enumerate(tensors):
        if x.shape != first.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(first.shape)} at entry 0 and {list(x.shape)} at entry {i}")
    d = dim_arg(dim, first.ndim + 1, "stack")
    return cat([x.unsqueeze(d) for x in tensors], d)


def _tensor_list(tensors: Any, op: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}(): argument 'tensors' must be a list or tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{op}(): expected a non-empty list of Tensors")
    return [tensor_arg(x, op, f"tensors[{i}]") for i, x in enumerate(tensors)]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension `dim`; all other sizes must agree.

    `cat([x, x**2, x**3], dim=1)` turns a column x into the polynomial features (x, x², x³).

    Args:
        tensors: a non-empty list (or tuple) of tensors.
        dim: the dimension to join along.

    Returns:
        A new tensor.

    Examples:
        >>> x = tinygrad_lr.tensor([[1.0], [2.0]])
        >>> tinygrad_lr.cat([x, x ** 2, x ** 3], dim=1)
        tensor([[1., 1., 1.],
                [2., 4., 8.]])
    """
    tensors = _tensor_list(tensors, "cat")
    first = tensors[0]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat(): zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
        if t.ndim != first.ndim:
            raise RuntimeError(f"cat(): Tensors must have same number of dimensions: got "
                               f"{first.ndim} and {t.ndim} (shapes {fmt(first.shape)} and "
                               f"{fmt(t.shape)}, tensor number {i} in the list)")
    d = dim_arg(dim, first.ndim, "cat")
    for i, t in enumerate(tensors):
        for axis, (a, b) in enumerate(zip(first.shape, t.shape)):
            if axis != d and a != b:
                raise RuntimeError(
                    f"cat(): Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{a} but got size {b} for tensor number {i} in the list (shapes "
                    f"{fmt(first.shape)} and {fmt(t.shape)})"
                )
    dtype = first.dtype
    for t in tensors[1:]:
        dtype = promote(dtype, 1, t.dtype, 1)  # as for a binary op between them
    return ops.Cat.apply(*[t.to(dtype) for t in tensors], dim=d)


concat = concatenate = cat

# --- picking, comparing, counting -------------------------------------------------------------


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:  # noqa: A002
    """The elements `index` names along `dim` (`input.gather(dim, index)`).

    Args:
        input: a tensor.
        dim: the dimension to pick along.
        index: an integer tensor with the input's number of dimensions.
        sparse_grad: accepted for PyTorch's signature; the gradient is always dense.

    Returns:
        A new tensor of index's shape.
    """
    return _t(input, "gather").gather(dim, index)


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:  # noqa: A002
    """(values, indices) sorted along `dim` (`input.sort(...)`).

    Args:
        input: a tensor.
        dim: the dimension to sort along.
        descending: largest first.
        stable: accepted for PyTorch's signature: the sort is always stable.

    Returns:
        A named tuple `(values, indices)`.
    """
    return _t(input, "sort").sort(dim, descending)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:  # noqa: A002
    """The indices that sort `input` along `dim`.

    Args:
        input: a tensor.
        dim: the dimension to sort along.
        descending: largest first.
        stable: accepted for PyTorch's signature: the sort is always stable.

    Returns:
        An int64 tensor of input's shape.
    """
    return _t(input, "argsort").argsort(dim, descending)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A001, A002
    """The k largest (or smallest) elements along `dim`, and their indices.

    Args:
        input: a tensor.
        k: how many elements to take.
        dim: the dimension to take them along.
        largest: the largest (else the smallest) first.
        sorted: accepted for PyTorch's signature: the elements always come in order.

    Returns:
        A named tuple `(values, indices)`.
    """
    return _t(input, "topk").topk(k, dim, largest)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    """`value` where the bool `mask` is True, `input` elsewhere.

    Args:
        input: a tensor.
        mask: a bool tensor that broadcasts to the input's shape.
        value: a number, or a 0-d tensor.

    Returns:
        A new tensor of input's shape.
    """
    return _t(input, "masked_fill").masked_fill(mask, value)


def bincount(input: Tensor, weights: Any = None, minlength: int = 0) -> Tensor:  # noqa: A002
    """How often each value 0, 1, 2, … occurs in a 1-D tensor of non-negative integers.

    Args:
        input: a 1-D tensor of non-negative integers.
        weights: the weight of each element; None counts each as 1.
        minlength: the least length of the result.

    Returns:
        A 1-D tensor of counts (or sums of weights).
    """
    return _t(input, "bincount").bincount(weights, minlength)


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is nan.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return _t(input, "isnan").isnan()


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is infinite.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return _t(input, "isinf").isinf()


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    """True where an element is finite.

    Args:
        input: a tensor.

    Returns:
        A bool tensor of input's shape.
    """
    return _t(input, "isfinite").isfinite()


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:  # fmt: skip
    """|input - other| <= atol + rtol·|other|, elementwise.

    Args:
        input: a tensor.
        other: the tensor to compare with.
        rtol: the tolerance relative to |other|.
        atol: the absolute tolerance.
        equal_nan: count two nans as close.

    Returns:
        A bool tensor of the broadcast shape.
    """
    return _t(input, "isclose").isclose(other, rtol, atol, equal_nan)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:  # fmt: skip
    """True if `isclose` holds everywhere.

    Args:
        input: a tensor.
        other: the tensor to compare with.
        rtol: the tolerance relative to |other|.
        atol: the absolute tolerance.
        equal_nan: count two nans as close.

    Returns:
        A Python bool.
    """
    return _t(input, "allclose").allclose(other, rtol, atol, equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True if both have the same shape and values.

    Args:
        input: a tensor.
        other: the tensor to compare with.

    Returns:
        A Python bool.
    """
    return _t(input, "equal").equal(other)


def is_tensor(obj: Any) -> bool:
    """True if `obj` is a Tensor.

    Args:
        obj: anything.

    Returns:
        A Python bool.
    """
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements.

    Args:
        input: a tensor.

    Returns:
        An int.
    """
    return _t(input, "numel").numel()


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Batched matrix product of two 3-D tensors.

    Args:
        input: a 3-D tensor (b, n, k).
        mat2: a 3-D tensor (b, k, m).

    Returns:
        A new tensor of shape (b, n, m).
    """
    return _t(input, "bmm").bmm(mat2)


def dot(input: Tensor, tensor: Tensor) -> Tensor:  # noqa: A002
    """The dot product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        tensor: a 1-D tensor of the input's size.

    Returns:
        A 0-d tensor.
    """
    return _t(input, "dot").dot(tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """The outer product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        vec2: a 1-D tensor.

    Returns:
        A new 2-D tensor.
    """
    return _t(input, "outer").outer(vec2)


__all__ = [
    "abs", "absolute", "acos", "add", "all", "allclose", "any", "arccos", "arcsin", "arctan",
    "argmax", "argmin", "argsort", "asin", "atan", "bincount", "bmm", "cat", "ceil", "chunk",
    "clamp", "clamp_max", "clamp_min", "clip", "concat", "cos", "cosh", "cumsum", "div",
    "divide", "dot", "equal", "erf", "exp", "exp2", "expm1", "fix", "flatten", "flip", "floor",
    "floor_divide", "fmod", "frac", "gather", "is_tensor", "isclose", "isfinite", "isinf",
    "isnan", "lerp", "log", "log10", "log1p", "log2", "log_softmax", "logsumexp", "masked_fill",
    "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mul", "multiply", "neg",
    "negative", "norm", "numel", "outer", "permute", "pow", "prod", "reciprocal", "relu",
    "remainder", "reshape", "roll", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh",
    "softmax", "sort", "split", "sqrt", "square", "squeeze", "stack", "std", "sub", "subtract",
    "sum", "swapaxes", "t", "tan", "tanh", "topk", "transpose", "true_divide", "trunc",
    "unsqueeze", "var", "where",
]  # fmt: skip
