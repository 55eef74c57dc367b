"""Elementwise functions: of one tensor (exp, log, the trigonometric functions, activations,
logit, rounding, abs and clamp), and the angle and length of a point, atan2 and hypot. Their
in-place forms (`exp_`, `floor_`, ...) are in inplace.py."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from .args import check_fits, check_number, tensor_arg
from .arithmetic import _floats
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

    def logit(self: Tensor, eps: float | None = None) -> Tensor:
        """log(p / (1 - p)) of each element p: the inverse of the sigmoid.

        With `eps`, p is first clamped to [eps, 1 - eps], so that 0 and 1 give finite values;
        the gradient is then 0 where p was clamped (bounds included in the range, as in PyTorch).

        Args:
            eps: the clamp's margin, or None for no clamp (then 0 and 1 give -inf and inf, and
                values outside [0, 1] give nan, with a nan gradient).

        Returns:
            A new tensor of self's shape; an integer tensor gives the default float dtype.

        Examples:
            >>> tinygrad_lr.tensor([0.5, 0.75, 1.0]).logit()
            tensor([0.0000, 1.0986,    inf])
            >>> tinygrad_lr.tensor([0.0, 1.0]).logit(eps=0.25)
            tensor([-1.0986,  1.0986])
        """
        x = self if self._data.dtype.kind == "f" else self.to(get_default_dtype())
        if eps is not None:
            check_number(eps, "logit", "eps")
            x = x.clamp(eps, 1 - eps)
        return ops.Logit.apply(x)

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

    # --- of two tensors: the angle and length of the point (b, a) ------------------------------

    def atan2(self: Tensor, other: Any) -> Tensor:
        """The angle of the point (other, self) from the x axis, in radians in [-π, π]: atan(self /
        other), in the right quadrant.

        Args:
            other: a tensor (the x coordinates) that broadcasts with self (the y coordinates).

        Returns:
            A new floating tensor of the broadcast shape; the gradient at the origin is 0, as in
                PyTorch.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 1.0]).atan2(tinygrad_lr.tensor([1.0, -1.0]))
            tensor([0.7854, 2.3562])
        """
        other = tensor_arg(other, "atan2", "other")
        return ops.Atan2.apply(*_floats(self._operands(other, "atan2")))

    arctan2 = atan2

    def hypot(self: Tensor, other: Any) -> Tensor:
        """√(self² + other²), elementwise, without overflow for large values.

        Args:
            other: a tensor that broadcasts with self.

        Returns:
            A new floating tensor of the broadcast shape.

        Raises:
            NotImplementedError: for two integer tensors, as in PyTorch.

        Examples:
            >>> tinygrad_lr.tensor([3.0, 5.0]).hypot(tinygrad_lr.tensor([4.0, 12.0]))
            tensor([ 5., 13.])
        """
        a, b = self._operands(tensor_arg(other, "hypot", "other"), "hypot")
        if a._data.dtype.kind != "f":
            raise NotImplementedError(f'"hypot_cpu" not implemented for \'{a._data.dtype}\' '
                                      "(floating point tensors only)")
        return ops.Hypot.apply(a, b)

    # --- flat between their jumps: a zero gradient ------------------------------------------

    def _flat(self: Tensor, op: type[ops.Function], **options: Any) -> Tensor:
        if not changes_values(op, self._data.dtype):
            return Tensor._wrap(self._data.copy())
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


def changes_values(op: type[ops.Function], dtype: np.dtype) -> bool:
    """Whether a function flat between its jumps changes values of this dtype: integers are
    whole already, and a bool is its own sign."""
    return dtype.kind == "f" or (op is ops.Sign and dtype.kind in "iu")
