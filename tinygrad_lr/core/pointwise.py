"""Elementwise functions of one tensor: exp, log, the trigonometric functions, activations,
rounding, abs and clamp, and the in-place forms exp_, sqrt_, abs_, neg_ and clamp_."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import ops
from .args import check_fits, check_number
from .dtypes import get_default_dtype, promote_scalar

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Pointwise:
    """The elementwise methods of Tensor."""

    def _float_op(self: Tensor, op: type[ops.Function]) -> Tensor:
        # exp, log, sin, ... of an integer tensor compute in the default float dtype (PyTorch).
        return op.apply(self if self._data.dtype.kind == "f" else self.to(get_default_dtype()))

    def exp(self) -> Tensor:
        """e to the power of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.

        Examples:
            >>> tinygrad_lr.tensor([0.0, 1.0]).exp()
            tensor([1.0000, 2.7183])
        """
        return self._float_op(ops.Exp)

    def log(self) -> Tensor:
        """The natural logarithm of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Log)

    def sqrt(self) -> Tensor:
        """The square root of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 4.0]).sqrt()
            tensor([1., 2.])
        """
        return self._float_op(ops.Sqrt)

    def tanh(self) -> Tensor:
        """The hyperbolic tangent of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Tanh)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e⁻ˣ) of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.

        Examples:
            >>> tinygrad_lr.tensor([0.0]).sigmoid()
            tensor([0.5000])
        """
        return self._float_op(ops.Sigmoid)

    def sin(self) -> Tensor:
        """The sine of each element (radians).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Sin)

    def cos(self) -> Tensor:
        """The cosine of each element (radians).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Cos)

    def tan(self) -> Tensor:
        """The tangent of each element (radians).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Tan)

    def atan(self) -> Tensor:
        """The arctangent of each element, in (-π/2, π/2).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Atan)

    def asin(self) -> Tensor:
        """The arcsine of each element, in [-π/2, π/2] (nan outside [-1, 1]).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Asin)

    def acos(self) -> Tensor:
        """The arccosine of each element, in [0, π] (nan outside [-1, 1]).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Acos)

    arctan, arcsin, arccos = atan, asin, acos  # PyTorch's numpy-style aliases

    def sinh(self) -> Tensor:
        """The hyperbolic sine of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Sinh)

    def cosh(self) -> Tensor:
        """The hyperbolic cosine of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Cosh)

    def log1p(self) -> Tensor:
        """log(1 + x), accurate for tiny x.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Log1p)

    def expm1(self) -> Tensor:
        """exp(x) - 1, accurate for tiny x.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Expm1)

    def log2(self) -> Tensor:
        """The base-2 logarithm of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Log2)

    def log10(self) -> Tensor:
        """The base-10 logarithm of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Log10)

    def exp2(self) -> Tensor:
        """2 to the power of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Exp2)

    def rsqrt(self) -> Tensor:
        """1 / √x of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Rsqrt)

    def reciprocal(self) -> Tensor:
        """1 / x of each element.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Reciprocal)

    def erf(self) -> Tensor:
        """The error function of each element, 2/√π ∫₀ˣ exp(-t²) dt.

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.
        """
        return self._float_op(ops.Erf)

    def square(self) -> Tensor:
        """x² of each element (recorded as pow, as in PyTorch).

        Returns:
            A new tensor of self's shape and dtype.
        """
        return self**2

    def relu(self: Tensor) -> Tensor:
        """max(x, 0) of each element.

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> tinygrad_lr.tensor([-1.0, 0.0, 2.0]).relu()
            tensor([0., 0., 2.])
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("relu: not implemented for bool tensors; call .float() first")
        return ops.Relu.apply(self)

    def abs(self: Tensor) -> Tensor:
        """|x| of each element; its gradient is sign(x), 0 at x = 0 (as in PyTorch).

        Returns:
            A new tensor of self's shape and dtype.
        """
        if self._data.dtype.kind == "b":
            raise NotImplementedError("abs(): not implemented for bool tensors; call .long() first")
        return ops.Abs.apply(self)

    def __abs__(self) -> Tensor:
        return self.abs()

    # --- flat between their jumps: a zero gradient ------------------------------------------

    def _flat(self: Tensor, op: type[ops.Function], **options: Any) -> Tensor:
        if self._data.dtype.kind in "iub" and op is not ops.Sign:
            return Tensor._wrap(self._data.copy())  # integers are already whole
        return op.apply(self, **options)

    def sign(self) -> Tensor:
        """-1, 0 or 1: the sign of each element (gradient 0).

        Returns:
            A new tensor of self's shape and dtype.
        """
        return self._flat(ops.Sign)

    def floor(self) -> Tensor:
        """The largest integer ≤ each element (gradient 0).

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> tinygrad_lr.tensor([-1.5, 1.5]).floor()
            tensor([-2.,  1.])
        """
        return self._flat(ops.Floor)

    def ceil(self) -> Tensor:
        """The smallest integer ≥ each element (gradient 0).

        Returns:
            A new tensor of self's shape and dtype.
        """
        return self._flat(ops.Ceil)

    def trunc(self) -> Tensor:
        """Each element with its fraction dropped, towards 0 (gradient 0).

        Returns:
            A new tensor of self's shape and dtype.
        """
        return self._flat(ops.Trunc)

    fix = trunc

    def round(self, decimals: int = 0) -> Tensor:  # noqa: A003 - PyTorch's name
        """Each element rounded to `decimals` places, halves to even (gradient 0).

        Args:
            decimals: the number of decimal places (negative: to tens, hundreds, ...).

        Returns:
            A new tensor of self's shape and dtype.

        Examples:
            >>> tinygrad_lr.tensor([-1.5, 0.5, 2.5]).round()
            tensor([-2.,  0.,  2.])
        """
        if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
            raise TypeError(f"round(): argument 'decimals' must be int, not "
                            f"{type(decimals).__name__}")
        return self._flat(ops.Round, decimals=int(decimals))

    def frac(self: Tensor) -> Tensor:
        """x - trunc(x): the fractional part, with x's sign (gradient 1).

        Returns:
            A new tensor of self's shape and dtype (floating tensors only).
        """
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"frac(): not implemented for {self._data.dtype} tensors")
        return ops.Frac.apply(self)

    # --- clamp --------------------------------------------------------------------------------

    def clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Each element limited to [min, max]; either bound may be None, a number or a tensor.

        The gradient passes where min <= x <= max, bounds included, as in PyTorch; tensor bounds
        receive it where they won. With min > max, every element becomes max.

        Args:
            min: the lower bound, or None for none.
            max: the upper bound, or None for none.

        Returns:
            A new tensor (of the broadcast shape, for tensor bounds); an integer tensor with a float
                bound gives a float one.

        Raises:
            RuntimeError: when both bounds are None.

        Examples:
            >>> tinygrad_lr.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1)
            tensor([-1.0000,  0.5000,  1.0000])
        """
        if min is None and max is None:
            raise RuntimeError("clamp(): At least one of 'min' or 'max' must not be None")
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            return self._clamp_between_tensors(min, max)
        x = self
        for arg, bound in (("min", min), ("max", max)):
            if bound is not None:
                check_number(bound, "clamp", arg)
                x = x.to(promote_scalar(x._data.dtype, bound))  # int tensor, float bound: float
                check_fits(bound, x._data.dtype, "clamp")
        return ops.Clamp.apply(x, min=min, max=max)

    def _clamp_between_tensors(self: Tensor, lo: Any, hi: Any) -> Tensor:
        inf = np.inf if self._data.dtype.kind == "f" else np.iinfo(self._data.dtype).max
        lo = -inf if lo is None else lo
        hi = inf if hi is None else hi
        return ops.ClampTensor.apply(*self._operands_with((lo, hi), "clamp"))

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Another name for `clamp`.

        Args:
            min: the lower bound, or None for none.
            max: the upper bound, or None for none.

        Returns:
            The clamped tensor, as `clamp` gives it.
        """
        return self.clamp(min, max)

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        """clamp(min=min).

        Args:
            min: the lower bound: a number or a tensor.

        Returns:
            The clamped tensor, as `clamp` gives it.
        """
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        """clamp(max=max).

        Args:
            max: the upper bound: a number or a tensor.

        Returns:
            The clamped tensor, as `clamp` gives it.
        """
        return self.clamp(max=max)

    # --- in place (the one path is Tensor._inplace) -------------------------------------------

    def exp_(self: Tensor) -> Tensor:
        """In place: e to the power of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).

        Raises:
            RuntimeError: for a leaf that requires grad (change it under `no_grad()`), or for an
                integer tensor.
        """
        return self._float_inplace("exp_", np.exp, Tensor.exp)

    def sqrt_(self: Tensor) -> Tensor:
        """In place: the square root of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).

        Examples:
            >>> tinygrad_lr.tensor([4.0, 9.0]).sqrt_()
            tensor([2., 3.])
        """
        return self._float_inplace("sqrt_", np.sqrt, Tensor.sqrt)

    def _float_inplace(self: Tensor, name: str, ufunc: np.ufunc, method: Callable) -> Tensor:
        # The out-of-place form of an integer tensor is float: its values cannot be written back.
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"{name}: result type {get_default_dtype()} can't be cast to the "
                               f"desired output type {self._data.dtype}")
        return self._inplace(name, _written(ufunc), method)

    def abs_(self: Tensor) -> Tensor:
        """In place: |x| of each element; returns self.

        Returns:
            self, changed.
        """
        if self._data.dtype.kind == "b":
            raise NotImplementedError("abs_(): not implemented for bool tensors")
        return self._inplace("abs_", _written(np.abs), Tensor.abs)

    def neg_(self: Tensor) -> Tensor:
        """In place: -x of each element; returns self.

        Returns:
            self, changed.
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("neg_: Negation, the `-` operator, on a bool tensor is not "
                               "supported. To invert a mask, use mask == False, or .long() first")
        return self._inplace("neg_", _written(np.negative), Tensor.neg)

    def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """In place: each element limited to [min, max] (see `clamp`); returns self.

        Args:
            min: the lower bound (a number or a tensor that broadcasts to self), or None.
            max: the upper bound, or None.

        Returns:
            self, changed.

        Raises:
            RuntimeError: when both bounds are None, or a bound's dtype does not fit self's (a
                float bound for an integer tensor).

        Examples:
            >>> tinygrad_lr.tensor([-2.0, 0.5, 3.0]).clamp_(-1, 1)
            tensor([-1.0000,  0.5000,  1.0000])
        """
        if min is None and max is None:
            raise RuntimeError("clamp_(): At least one of 'min' or 'max' must not be None")
        lo, hi = (None if b is None else self._inplace_operand(b, 1, "clamp_") for b in (min, max))

        def write(a: np.ndarray, *_: Any) -> None:
            if lo is not None:
                np.maximum(a, lo._data, out=a)
            if hi is not None:
                np.minimum(a, hi._data, out=a)

        # A bound that requires grad is handed to _inplace too, so that the change is recorded.
        bound = next((b for b in (lo, hi) if b is not None and b._requires_grad), None)
        return self._inplace("clamp_", write, lambda t, *_: t.clamp(min, max), bound)


def _written(ufunc: np.ufunc) -> Callable[[np.ndarray], None]:
    """The numpy write of an in-place form: `ufunc` of the array, into the array itself, quietly
    outside its domain (√-1 is nan, as the out-of-place form gives it)."""

    def write(a: np.ndarray) -> None:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ufunc(a, out=a)

    return write
