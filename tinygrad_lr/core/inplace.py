"""In-place forms of the elementwise functions: `x.exp_()`, `x.log_()`, `x.sigmoid_()`,
`x.floor_()`, `x.pow_(2)`, `x.fmod_(y)`, `x.lerp_(end, weight)`, `x.clamp_(lo, hi)`, ...

Each hands `Tensor._inplace`, the one path of every in-place change, two forms of one change: a
numpy write into self's memory (what runs when no gradient is recorded), and the out-of-place
method (what the graph records when one is). The write runs the op's own `forward`, so that both
forms give the same values to the last bit. The result must fit self's dtype: an integer tensor
cannot take the float result of `log_` or of `pow_(0.5)`, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import ops
from .args import check_number
from .dtypes import get_default_dtype, promote, promote_scalar
from .ops.common import quiet
from .pointwise import changes_values

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class InPlace:
    """The in-place elementwise methods of Tensor."""

    def _float_inplace(self: Tensor, name: str, op: type[ops.Function],
                       method: Callable[..., Tensor]) -> Tensor:  # fmt: skip
        # The out-of-place form of an integer tensor is float: its values cannot be written back.
        if self._data.dtype.kind != "f":
            raise RuntimeError(f"{name}: result type {get_default_dtype()} can't be cast to the "
                               f"desired output type {self._data.dtype}")
        return self._inplace(name, _forward_of(op), method)

    def exp_(self: Tensor) -> Tensor:
        """In place: e to the power of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).

        Raises:
            RuntimeError: for a leaf that requires grad (change it under `no_grad()`), or for an
                integer tensor.
        """
        return self._float_inplace("exp_", ops.Exp, Tensor.exp)

    def log_(self: Tensor) -> Tensor:
        """In place: the natural logarithm of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).log_()
            tensor([0.0000, 0.6931])
        """
        return self._float_inplace("log_", ops.Log, Tensor.log)

    def sqrt_(self: Tensor) -> Tensor:
        """In place: the square root of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).

        Examples:
            >>> tinygrad_lr.tensor([4.0, 9.0]).sqrt_()
            tensor([2., 3.])
        """
        return self._float_inplace("sqrt_", ops.Sqrt, Tensor.sqrt)

    def sin_(self: Tensor) -> Tensor:
        """In place: the sine of each element (radians); returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).
        """
        return self._float_inplace("sin_", ops.Sin, Tensor.sin)

    def cos_(self: Tensor) -> Tensor:
        """In place: the cosine of each element (radians); returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).
        """
        return self._float_inplace("cos_", ops.Cos, Tensor.cos)

    def tanh_(self: Tensor) -> Tensor:
        """In place: the hyperbolic tangent of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).
        """
        return self._float_inplace("tanh_", ops.Tanh, Tensor.tanh)

    def sigmoid_(self: Tensor) -> Tensor:
        """In place: 1 / (1 + e⁻ˣ) of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).
        """
        return self._float_inplace("sigmoid_", ops.Sigmoid, Tensor.sigmoid)

    def reciprocal_(self: Tensor) -> Tensor:
        """In place: 1 / x of each element; returns self.

        Returns:
            self, changed (a floating tensor: an integer one cannot hold the result).
        """
        return self._float_inplace("reciprocal_", ops.Reciprocal, Tensor.reciprocal)

    def relu_(self: Tensor) -> Tensor:
        """In place: max(x, 0) of each element; returns self.

        Returns:
            self, changed.

        Raises:
            RuntimeError: for a bool tensor.
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("relu_: not implemented for bool tensors; call .float() first")
        return self._inplace("relu_", _forward_of(ops.Relu), Tensor.relu)

    def abs_(self: Tensor) -> Tensor:
        """In place: |x| of each element; returns self.

        Returns:
            self, changed.
        """
        if self._data.dtype.kind == "b":
            raise NotImplementedError("abs_(): not implemented for bool tensors")
        return self._inplace("abs_", _forward_of(ops.Abs), Tensor.abs)

    def neg_(self: Tensor) -> Tensor:
        """In place: -x of each element; returns self.

        Returns:
            self, changed.
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("neg_: Negation, the `-` operator, on a bool tensor is not "
                               "supported. To invert a mask, use mask == False, or .long() first")
        return self._inplace("neg_", _forward_of(ops.Neg), Tensor.neg)

    # --- flat between their jumps (gradient 0); integers are whole already --------------------

    def _flat_inplace(self: Tensor, name: str, op: type[ops.Function],
                      method: Callable[..., Tensor], **options: Any) -> Tensor:  # fmt: skip
        write = _forward_of(op, **options) if changes_values(op, self._data.dtype) else _kept
        return self._inplace(name, write, lambda t: method(t, **options))

    def sign_(self: Tensor) -> Tensor:
        """In place: -1, 0 or 1, the sign of each element; returns self.

        Returns:
            self, changed.
        """
        return self._flat_inplace("sign_", ops.Sign, Tensor.sign)

    def floor_(self: Tensor) -> Tensor:
        """In place: the largest integer ≤ each element; returns self.

        Returns:
            self, changed.

        Examples:
            >>> tinygrad_lr.tensor([-1.5, 1.5]).floor_()
            tensor([-2.,  1.])
        """
        return self._flat_inplace("floor_", ops.Floor, Tensor.floor)

    def ceil_(self: Tensor) -> Tensor:
        """In place: the smallest integer ≥ each element; returns self.

        Returns:
            self, changed.
        """
        return self._flat_inplace("ceil_", ops.Ceil, Tensor.ceil)

    def trunc_(self: Tensor) -> Tensor:
        """In place: each element with its fraction dropped, towards 0; returns self.

        Returns:
            self, changed.
        """
        return self._flat_inplace("trunc_", ops.Trunc, Tensor.trunc)

    def round_(self: Tensor, decimals: int = 0) -> Tensor:
        """In place: each element rounded to `decimals` places, halves to even; returns self.

        Args:
            decimals: the number of decimal places (negative: to tens, hundreds, ...).

        Returns:
            self, changed.
        """
        if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
            raise TypeError(f"round_(): argument 'decimals' must be int, not "
                            f"{type(decimals).__name__}")
        return self._flat_inplace("round_", ops.Round, Tensor.round, decimals=int(decimals))

    # --- with another operand ------------------------------------------------------------------

    def _operand_of(self: Tensor, other: Any, name: str) -> Tensor:
        """A tensor operand of an in-place op, in the dtype self and it promote to (refused, as
        in PyTorch, when that dtype cannot be written back into self)."""
        other = self._inplace_operand(other, 1, name)
        dt = promote(self._data.dtype, self._data.ndim, other._data.dtype, other._data.ndim)
        return other if other._data.dtype == dt else other.to(dt)

    def pow_(self: Tensor, exponent: Any) -> Tensor:
        """In place: self ** exponent, for a number or a tensor exponent; returns self.

        Args:
            exponent: a number, or a tensor that broadcasts to self's shape.

        Returns:
            self, changed.

        Raises:
            RuntimeError: when the result does not fit self's dtype (an integer tensor to a
                float or a negative power).

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0, 3.0]).pow_(2)
            tensor([1., 4., 9.])
        """
        if isinstance(exponent, (Tensor, np.ndarray)):
            other = self._operand_of(exponent, "pow_")
            return self._inplace("pow_", _forward_of(ops.PowTensor), Tensor.pow, other)
        check_number(exponent, "pow_", "exponent")
        dt = promote_scalar(self._data.dtype, exponent)
        if not np.can_cast(dt, self._data.dtype, casting="same_kind"):
            raise RuntimeError(f"pow_: result type {dt} can't be cast to the desired output type "
                               f"{self._data.dtype}")
        if self._data.dtype.kind in "iu" and exponent < 0:
            raise RuntimeError(f"pow_(): integers to negative integer powers are not allowed "
                               f"({self._data.dtype} tensor ** {exponent})")
        value = exponent.item() if isinstance(exponent, np.generic) else exponent
        return self._inplace("pow_", _forward_of(ops.Pow, exponent=value),
                             lambda t: t.pow(value))  # fmt: skip

    def square_(self: Tensor) -> Tensor:
        """In place: x² of each element (`pow_(2)`); returns self.

        Returns:
            self, changed.
        """
        return self.pow_(2)

    def fmod_(self: Tensor, other: Any) -> Tensor:
        """In place: the remainder of self / other with the sign of self (C's fmod); returns
        self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.

        Returns:
            self, changed.
        """
        other = self._operand_of(other, "fmod_")
        return self._inplace("fmod_", _forward_of(ops.Fmod), Tensor.fmod, other)

    def remainder_(self: Tensor, other: Any) -> Tensor:
        """In place: self % other, the remainder with the sign of other; returns self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.

        Returns:
            self, changed.

        Examples:
            >>> tinygrad_lr.tensor([7, -7]).remainder_(3)
            tensor([1, 2])
        """
        other = self._operand_of(other, "remainder_")
        return self._inplace("remainder_", _forward_of(ops.Remainder), Tensor.remainder, other)

    def lerp_(self: Tensor, end: Any, weight: Any) -> Tensor:
        """In place: self + weight·(end - self); returns self.

        Args:
            end: a tensor or a number that broadcasts to self's shape.
            weight: a tensor or a number (0 keeps self, 1 gives end).

        Returns:
            self, changed.

        Raises:
            NotImplementedError: for an integer or bool tensor, as in PyTorch.
        """
        if self._data.dtype.kind != "f":
            raise NotImplementedError(f'lerp_: "lerp_kernel_scalar" not implemented for '
                                      f"'{self._data.dtype}' (floating point tensors only)")
        end, weight = self._operand_of(end, "lerp_"), self._operand_of(weight, "lerp_")

        def write(a: np.ndarray, *_: Any) -> None:
            _write_forward(a, ops.Lerp, end._data, weight._data)

        # An operand that requires grad is handed to _inplace too, so that the change is recorded.
        given = next((x for x in (end, weight) if x._requires_grad), None)
        return self._inplace("lerp_", write, lambda t, *_: t.lerp(end, weight), given)

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


def _write_forward(a: np.ndarray, op: type[ops.Function], *others: Any, **options: Any) -> None:
    """Write op's forward of (a, *others) into a itself: a scratch op object as its ctx, which
    records nothing; quietly outside the function's domain (√-1 is nan, as out of place)."""
    ctx = object.__new__(op)
    ctx.needs_input_grad = (False,) * (1 + len(others))
    with quiet():
        np.copyto(a, op.forward(ctx, a, *others, **options), casting="same_kind")


def _forward_of(op: type[ops.Function], **options: Any) -> Callable[..., None]:
    """The numpy write of an in-place form: `_write_forward` with the operands _inplace gives."""
    return lambda a, *others: _write_forward(a, op, *others, **options)


def _kept(a: np.ndarray) -> None:
    """The numpy write of an in-place form that changes nothing (floor_ of an integer tensor)."""
