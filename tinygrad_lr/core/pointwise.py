"""Elementwise functions of one tensor: exp, log, sqrt, tanh, sigmoid, relu, abs, clamp."""

from __future__ import annotations

from typing import Any

from . import ops
from .args import Number, check_number
from .dtypes import promote_scalar

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Pointwise:
    """The elementwise methods of Tensor."""

    def _float_op(self: Tensor, op: type[ops.Function]) -> Tensor:
        # exp, log, ... of an integer tensor compute in float32, as in PyTorch.
        return op.apply(self if self._data.dtype.kind == "f" else self.float())

    def exp(self) -> Tensor:
        """e to the power of each element."""
        return self._float_op(ops.Exp)

    def log(self) -> Tensor:
        """The natural logarithm of each element."""
        return self._float_op(ops.Log)

    def sqrt(self) -> Tensor:
        """The square root of each element."""
        return self._float_op(ops.Sqrt)

    def tanh(self) -> Tensor:
        """The hyperbolic tangent of each element."""
        return self._float_op(ops.Tanh)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e⁻ˣ) of each element."""
        return self._float_op(ops.Sigmoid)

    def relu(self: Tensor) -> Tensor:
        """max(x, 0) of each element."""
        return ops.Relu.apply(self)

    def abs(self: Tensor) -> Tensor:
        """|x| of each element; its gradient is sign(x), 0 at x = 0 (as in PyTorch)."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("abs(): not implemented for bool tensors; call .long() first")
        return ops.Abs.apply(self)

    def __abs__(self) -> Tensor:
        return self.abs()

    def clamp(self: Tensor, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        """Each element limited to [min, max]; either bound may be None.

        The gradient passes where min <= x <= max, bounds included, as in PyTorch. With
        min > max, every element becomes max."""
        if min is None and max is None:
            raise RuntimeError("clamp(): At least one of 'min' or 'max' must not be None")
        x = self
        for arg, bound in (("min", min), ("max", max)):
            if bound is None:
                continue
            if isinstance(bound, Tensor):
                raise TypeError(f"clamp(): argument '{arg}' must be a number, not a Tensor "
                                "(tensor bounds are not supported; use .item() for a constant)")
            check_number(bound, "clamp", arg)
            x = x.to(promote_scalar(x._data.dtype, bound))  # int tensor, float bound: float
        return ops.Clamp.apply(x, min=min, max=max)

    def clip(self, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        """Another name for `clamp`."""
        return self.clamp(min, max)

