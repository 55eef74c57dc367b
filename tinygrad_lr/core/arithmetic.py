"""Tensor arithmetic: + - * / ** @, their named forms and their in-place forms, the functions of two
tensors (fmod, maximum, where, lerp, ...), and the matrix products. The comparisons are in
comparison.py.

A binary op first makes its operands agree, as PyTorch does: a number becomes a constant tensor,
both operands get one dtype (PyTorch's promotion rule, see dtypes.py), and an operand that needs
a gradient and must be broadcast gets an explicit `expand` node, whose backward sums the gradient
back to the operand's shape. Then the op of the op table (ops/) runs on the two arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from .args import (
    Number,
    broadcast_shape,
    check_fits,
    check_number,
    fmt,
    operand,
    same_dtype,
    tensor_arg,
)
from .dtypes import get_default_dtype, promote, promote_scalar

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Arithmetic:
    """The arithmetic methods of Tensor."""

    def _operands(self: Tensor, other: Any, op: str, reverse: bool = False) -> tuple:
        """(self, other), or (other, self) if `reverse`, ready for an elementwise op of two."""
        b = operand(other, self, op)
        a, b = (b, self) if reverse else (self, b)
        if a._data.dtype != b._data.dtype:
            dt = promote(a._data.dtype, a._data.ndim, b._data.dtype, b._data.ndim)
            a, b = a.to(dt), b.to(dt)
        if a._data.shape != b._data.shape:
            shape = broadcast_shape(a._data.shape, b._data.shape, op)
            if a._requires_grad and a._data.shape != shape:
                a = a.expand(shape)
            if b._requires_grad and b._data.shape != shape:
                b = b.expand(shape)
        return a, b

    def _operands_with(self: Tensor, others: tuple, op: str) -> list:
        """self and several other operands (numbers or tensors) ready for an elementwise op:
        one dtype for all, and an explicit expand for each that needs a gradient."""
        tensors = [self] + [operand(o, self, op) for o in others]
        dt, ndim, shape = self._data.dtype, self._data.ndim, self._data.shape
        for t in tensors[1:]:
            if t._data.dtype != dt:
                dt = promote(dt, ndim, t._data.dtype, t._data.ndim)
            ndim = max(ndim, t._data.ndim)
            shape = broadcast_shape(shape, t._data.shape, op)
        tensors = [t.to(dt) for t in tensors]
        return [t._expand_to(shape) if t._requires_grad else t for t in tensors]

    def __add__(self, other: Any) -> Tensor:
        return ops.Add.apply(*self._operands(other, "add"))

    def __radd__(self, other: Any) -> Tensor:
        return ops.Add.apply(*self._operands(other, "add", reverse=True))

    def __sub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(*_no_bool(self._operands(other, "sub"), "sub"))

    def __rsub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(*_no_bool(self._operands(other, "sub", reverse=True), "sub"))

    def __mul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(*self._operands(other, "mul"))

    def __rmul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(*self._operands(other, "mul", reverse=True))

    def __truediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(*_floats(self._operands(other, "div")))

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(*_floats(self._operands(other, "div", reverse=True)))

    def __neg__(self: Tensor) -> Tensor:
        if self._data.dtype.kind == "b":
            raise RuntimeError("neg: Negation, the `-` operator, on a bool tensor is not "
                               "supported. To invert a mask, use mask == False, or .long() first")
        return ops.Neg.apply(self)

    def __pos__(self: Tensor) -> Tensor:
        return self

    def __pow__(self: Tensor, exponent: Any) -> Tensor:
        if isinstance(exponent, (Tensor, np.ndarray)):
            return ops.PowTensor.apply(*_floats(self._operands(exponent, "pow")))
        check_number(exponent, "pow", "exponent")
        x = self
        dt = promote_scalar(x._data.dtype, exponent)  # int tensor ** 0.5 is float
        if dt != x._data.dtype:
            x = x.to(dt)
        if x._data.dtype.kind in "iu" and exponent < 0:
            raise RuntimeError(f"pow(): integers to negative integer powers are not allowed "
                               f"({x._data.dtype} tensor ** {exponent}); use .float() first")
        # A numpy scalar exponent counts as the Python number it holds (numpy would make
        # float32 ** np.float64(0.5) a float64, PyTorch keeps float32).
        return ops.Pow.apply(x, exponent=exponent.item() if isinstance(exponent, np.generic)
                             else exponent)  # fmt: skip

    def __rpow__(self: Tensor, base: Any) -> Tensor:
        # base ** x for a number base: the base becomes a constant tensor.
        return ops.PowTensor.apply(*_floats(self._operands(base, "pow", reverse=True)))

    def __floordiv__(self: Tensor, other: Any) -> Tensor:
        return ops.FloorDivide.apply(*self._operands(other, "floor_divide"))

    def __rfloordiv__(self: Tensor, other: Any) -> Tensor:
        return ops.FloorDivide.apply(*self._operands(other, "floor_divide", reverse=True))

    def __mod__(self: Tensor, other: Any) -> Tensor:
        return ops.Remainder.apply(*self._operands(other, "remainder"))

    def __rmod__(self: Tensor, other: Any) -> Tensor:
        return ops.Remainder.apply(*self._operands(other, "remainder", reverse=True))

    def __matmul__(self, other: Any) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return tensor_arg(other, "matmul", "self").matmul(self)

    # --- the named forms ----------------------------------------------------------------------

    def add(self: Tensor, other: Any, alpha: Number = 1) -> Tensor:
        """self + alpha * other (numbers and tensors broadcast).

        Args:
            other: a tensor or a number.
            alpha: the multiplier of `other` (an integer for integer tensors).

        Returns:
            A new tensor of the broadcast shape, in the promoted dtype.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).add(1, alpha=2)
            tensor([3., 4.])
        """
        return self + (other if alpha == 1 else self._scaled(other, alpha, "add"))

    def sub(self: Tensor, other: Any, alpha: Number = 1) -> Tensor:
        """self - alpha * other (numbers and tensors broadcast).

        Args:
            other: a tensor or a number.
            alpha: the multiplier of `other` (an integer for integer tensors).

        Returns:
            A new tensor of the broadcast shape, in the promoted dtype.
        """
        return self - (other if alpha == 1 else self._scaled(other, alpha, "sub"))

    def _scaled(self: Tensor, other: Any, alpha: Any, op: str) -> Tensor:
        """alpha * other for add/sub: an integer result takes an integer alpha only, as in
        PyTorch (x.add(y, alpha=0.5) on int tensors would otherwise turn float)."""
        check_number(alpha, op, "alpha")
        b = operand(other, self, op)
        integral = self._data.dtype.kind in "iub" and b._data.dtype.kind in "iub"
        if integral and isinstance(alpha, (float, np.floating)):
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                               "point number.")
        return b * alpha

    def mul(self, other: Any) -> Tensor:
        """self * other, elementwise (numbers and tensors broadcast).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape, in the promoted dtype.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).mul(3)
            tensor([3., 6.])
        """
        return self * other

    def div(self, other: Any) -> Tensor:
        """self / other, elementwise true division (integers give float32).

        Args:
            other: a tensor or a number.

        Returns:
            A new floating tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([1, 2]).div(2)
            tensor([0.5000, 1.0000])
        """
        return self / other

    def neg(self) -> Tensor:
        """-self.

        Returns:
            A new tensor of self's shape and dtype (bool tensors are refused).
        """
        return -self

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent, for a number or a tensor exponent.

        Args:
            exponent: a number, or a tensor that broadcasts with self.

        Returns:
            A new tensor (an integer tensor to a float power gives a float one).

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).pow(2)
            tensor([1., 4.])
        """
        return self**exponent

    def floor_divide(self, other: Any) -> Tensor:
        """self // other, rounded down (not differentiable, as in PyTorch).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape.
        """
        return self // other

    def remainder(self, other: Any) -> Tensor:
        """self % other: the remainder with the sign of other (Python's %).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([7, -7]).remainder(3)
            tensor([1, 2])
        """
        return self % other

    def fmod(self: Tensor, other: Any) -> Tensor:
        """The remainder with the sign of self (C's fmod).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([7, -7]).fmod(3)
            tensor([ 1, -1])
        """
        return ops.Fmod.apply(*self._operands(other, "fmod"))

    def maximum(self: Tensor, other: Any) -> Tensor:
        """The larger of the two, elementwise (ties share the gradient).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape.
        """
        return ops.Maximum.apply(*self._operands(other, "maximum"))

    def minimum(self: Tensor, other: Any) -> Tensor:
        """The smaller of the two, elementwise (ties share the gradient).

        Args:
            other: a tensor or a number.

        Returns:
            A new tensor of the broadcast shape.
        """
        return ops.Minimum.apply(*self._operands(other, "minimum"))

    def where(self: Tensor, condition: Any, other: Any) -> Tensor:
        """self where `condition` holds, else other (PyTorch's x.where(condition, y)).

        Args:
            condition: a bool tensor that broadcasts with self and other.
            other: the values taken where `condition` is False: a tensor or a number.

        Returns:
            A new tensor of the shape the three broadcast to; the gradient flows to self where the
                condition holds and to other elsewhere.

        Raises:
            RuntimeError: when `condition` is not a bool tensor.

        Examples:
            >>> x = tinygrad_lr.tensor([1.0, 2.0])
            >>> x.where(x > 1, 0.0)
            tensor([0., 2.])
        """
        condition = tensor_arg(condition, "where", "condition")
        if condition._data.dtype != np.bool_:
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a "
                               f"tensor with dtype {condition._data.dtype}")
        a, b = self._operands(other, "where")
        shape = broadcast_shape(broadcast_shape(a._data.shape, b._data.shape, "where"),
                                condition._data.shape, "where")  # fmt: skip
        a, b = (t.expand(shape) if t._requires_grad and t._data.shape != shape else t
                for t in (a, b))  # fmt: skip
        return ops.Where.apply(condition, a, b)

    def lerp(self: Tensor, end: Any, weight: Any) -> Tensor:
        """self + weight·(end - self): the point the fraction `weight` of the way to end.

        Args:
            end: a tensor or a number.
            weight: a tensor or a number (0 gives self, 1 gives end).

        Returns:
            A new tensor of the broadcast shape.
        """
        return ops.Lerp.apply(*self._operands_with((end, weight), "lerp"))

    def mm(self: Tensor, mat2: Any) -> Tensor:
        """Matrix product of two 2-D tensors: (n, k) @ (k, m) -> (n, m).

        Args:
            mat2: the right-hand matrix, of shape (k, m).

        Returns:
            A new tensor of shape (n, m).

        Raises:
            RuntimeError: when either is not 2-D, or the inner sizes differ.

        Examples:
            >>> m = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> m.mm(m)
            tensor([[ 7., 10.],
                    [15., 22.]])
        """
        mat2 = tensor_arg(mat2, "mm", "mat2")
        a, b = self._data, mat2._data
        if a.ndim != 2 or b.ndim != 2:
            which, t = ("self", self) if a.ndim != 2 else ("mat2", mat2)
            raise RuntimeError(f"mm(): {which} must be a matrix (2-D), but got a tensor of "
                               f"shape {fmt(t.shape)}")
        if a.shape[1] != b.shape[0]:
            (n, k), (k2, m) = a.shape, b.shape
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
        return ops.MM.apply(*same_dtype(self, mat2, "mm"))

    def bmm(self: Tensor, mat2: Any) -> Tensor:
        """Batched matrix product: (b, n, k) @ (b, k, m) -> (b, n, m), without broadcasting.

        Args:
            mat2: a 3-D tensor of shape (b, k, m), with self's batch size b.

        Returns:
            A new tensor of shape (b, n, m).
        """
        mat2 = tensor_arg(mat2, "bmm", "mat2")
        if self.ndim != 3 or mat2.ndim != 3 or self.shape[0] != mat2.shape[0]:
            raise RuntimeError(f"bmm(): expected two 3-D tensors with the same batch size, but "
                               f"got shapes {fmt(self.shape)} and {fmt(mat2.shape)}")
        return self.matmul(mat2)

    def mv(self: Tensor, vec: Any) -> Tensor:
        """The product of a matrix and a vector: (n, m) @ (m,) -> (n,).

        Args:
            vec: a 1-D tensor of self's number of columns.

        Returns:
            A new 1-D tensor of len(self) elements.

        Raises:
            RuntimeError: when self is not 2-D, vec not 1-D, or the sizes differ.

        Examples:
            >>> tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]]).mv(tinygrad_lr.tensor([1.0, 1.0]))
            tensor([3., 7.])
        """
        vec = tensor_arg(vec, "mv", "vec")
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(f"mv(): vector + matrix @ vector expected, got a matrix of shape "
                               f"{fmt(self.shape)} and a vector of shape {fmt(vec.shape)}")
        if self.shape[1] != vec.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({self.shape[0]}), mat "
                               f"({self.shape[0]}x{self.shape[1]}), vec ({vec.shape[0]})")
        return self.matmul(vec)

    def dot(self: Tensor, other: Any) -> Tensor:
        """The dot product Σ aᵢ·bᵢ of two 1-D tensors of the same size.

        Args:
            other: a 1-D tensor of self's size.

        Returns:
            A 0-d tensor.
        """
        other = tensor_arg(other, "dot", "tensor")
        if self.ndim != 1 or other.ndim != 1 or self.shape != other.shape:
            raise RuntimeError(f"dot(): expected two 1-D tensors of the same size, but got "
                               f"shapes {fmt(self.shape)} and {fmt(other.shape)}")
        return self.matmul(other)

    def outer(self: Tensor, vec2: Any) -> Tensor:
        """The outer product of two 1-D tensors: out[i, j] = a[i]·b[j].

        Args:
            vec2: a 1-D tensor b.

        Returns:
            A new tensor of shape (len(self), len(vec2)).

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0]).outer(tinygrad_lr.tensor([1.0, 10.0]))
            tensor([[ 1., 10.],
                    [ 2., 20.]])
        """
        vec2 = tensor_arg(vec2, "outer", "vec2")
        if self.ndim != 1 or vec2.ndim != 1:
            raise RuntimeError(f"outer(): expected two 1-D tensors, but got shapes "
                               f"{fmt(self.shape)} and {fmt(vec2.shape)}")
        return self.unsqueeze(1) * vec2.unsqueeze(0)

    def matmul(self: Tensor, other: Any) -> Tensor:
        """numpy's matmul: vectors, matrices, and stacks of matrices (batch dims broadcast).

        Args:
            other: the right-hand tensor, at least 1-D.

        Returns:
            A new tensor: a 1-D operand loses its dimension in the result, as in numpy.

        Raises:
            RuntimeError: when an operand is 0-d, or the inner sizes differ.

        Examples:
            >>> m = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> m.matmul(tinygrad_lr.tensor([1.0, 2.0]))
            tensor([ 5., 11.])
        """
        other = tensor_arg(other, "matmul", "other")
        sa, sb = self.shape, other.shape
        if not sa or not sb:
            raise RuntimeError(f"matmul(): both arguments need to be at least 1-D, but they are "
                               f"{len(sa)}-D and {len(sb)}-D")
        k1, k2 = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
        if k1 != k2:
            raise RuntimeError(f"matmul(): shapes {fmt(sa)} and {fmt(sb)} cannot be multiplied "
                               f"({k1} columns on the left, {k2} rows on the right)")
        if len(sa) > 2 or len(sb) > 2:
            broadcast_shape(sa[:-2], sb[:-2] if len(sb) > 1 else (),
                            f"matmul() of shapes {fmt(sa)} and {fmt(sb)}, batch dimensions")
        return ops.MatMul.apply(*same_dtype(self, other, "matmul"))

    # --- in place (the one path is Tensor._inplace) -------------------------------------------

    def add_(self: Tensor, other: Any, alpha: Number = 1) -> Tensor:
        """In place: self += alpha * other; returns self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.
            alpha: the multiplier of `other`.

        Returns:
            self, changed.

        Raises:
            RuntimeError: for a leaf that requires grad (update it under `no_grad()`), or when the
                result does not fit self's shape or dtype.

        Examples:
            >>> x = tinygrad_lr.zeros(3)
            >>> x.add_(tinygrad_lr.tensor([1.0, 2.0, 3.0]), alpha=2)
            tensor([2., 4., 6.])
        """
        other = self._inplace_operand(other, alpha, "add_")
        return self._inplace("add_", lambda a, b: np.add(a, b, out=a, casting="same_kind"),
                             Tensor.__add__, other)  # fmt: skip

    def sub_(self: Tensor, other: Any, alpha: Number = 1) -> Tensor:
        """In place: self -= alpha * other; returns self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.
            alpha: the multiplier of `other`.

        Returns:
            self, changed.
        """
        other = self._inplace_operand(other, alpha, "sub_")
        return self._inplace("sub_", lambda a, b: np.subtract(a, b, out=a, casting="same_kind"),
                             Tensor.__sub__, other)  # fmt: skip

    def mul_(self: Tensor, other: Any) -> Tensor:
        """In place: self *= other; returns self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.

        Returns:
            self, changed.
        """
        other = self._inplace_operand(other, 1, "mul_")
        return self._inplace("mul_", lambda a, b: np.multiply(a, b, out=a, casting="same_kind"),
                             Tensor.__mul__, other)  # fmt: skip

    def div_(self: Tensor, other: Any) -> Tensor:
        """In place: self /= other; returns self.

        Args:
            other: a tensor or a number that broadcasts to self's shape.

        Returns:
            self, changed (an integer tensor cannot take the float result).
        """
        other = self._inplace_operand(other, 1, "div_")
        return self._inplace("div_", lambda a, b: np.divide(a, b, out=a, casting="same_kind"),
                             Tensor.__truediv__, other)  # fmt: skip

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def _inplace_operand(self: Tensor, other: Any, alpha: Number, name: str) -> Tensor:
        """The operand of an in-place arithmetic op, as a tensor (times alpha), once it is sure
        that the result fits self's dtype: an int tensor cannot take a float result."""
        other = operand(other, self, name[:-1])  # (a bad operand is named as the op: "add")
        if alpha != 1:
            other = self._scaled(other, alpha, name)
        self._check_fits(other, name)
        dt = other._data.dtype
        if dt != self._data.dtype:
            dt = promote(self._data.dtype, self._data.ndim, dt, other._data.ndim)
            if name == "div_" and dt.kind != "f":
                dt = get_default_dtype()  # true division of integers is float
            if not np.can_cast(dt, self._data.dtype, casting="same_kind"):
                raise RuntimeError(f"{name}: result type {dt} can't be cast to the desired "
                                   f"output type {self._data.dtype}")
        return other

    def fill_(self: Tensor, value: Number, name: str = "fill_") -> Tensor:
        """In place: set every element to `value`; returns self.

        Args:
            value: a number (or a one-element tensor) that fits self's dtype.
            name: the op's name in error messages (`zero_` passes its own).

        Returns:
            self, changed.
        """
        if isinstance(value, Tensor):
            value = value.item()
        check_number(value, name, "value")
        check_fits(value, self._data.dtype, name)
        return self._inplace(name, lambda a: np.copyto(a, value, casting="unsafe"),
                             lambda t: ops.Fill.apply(t, value=value))  # fmt: skip

    def zero_(self: Tensor) -> Tensor:
        """In place: set every element to 0; returns self.

        Returns:
            self, changed.
        """
        return self.fill_(0, name="zero_")

    def copy_(self: Tensor, src: Any) -> Tensor:
        """Write src's values (broadcast to self's shape, cast to self's dtype) into self.

        Args:
            src: a tensor or a number that broadcasts to self's shape.

        Returns:
            self, changed.

        Examples:
            >>> tinygrad_lr.zeros(3).copy_(tinygrad_lr.tensor([1.0]))
            tensor([1., 1., 1.])
        """
        src = operand(src, self, "copy_")
        self._check_fits(src, "copy_")

        def recorded(t: Tensor, s: Tensor) -> Tensor:
            return ops.Copy.apply(t, s.expand(t.shape).to(t.dtype))

        return self._inplace("copy_", lambda a, s: np.copyto(a, s, casting="unsafe"), recorded,
                             src)  # fmt: skip


def _no_bool(operands: tuple, op: str) -> tuple:
    if operands[0]._data.dtype.kind == "b":  # numpy refuses too, with a message about numpy
        raise RuntimeError(f"{op}: Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use a != b (logical xor), or .long() first")
    return operands


def _floats(operands: tuple) -> tuple:
    # True division of integers (or bools) gives the default float dtype, as in PyTorch.
    a, b = operands
    if a._data.dtype.kind != "f":
        a, b = a.to(get_default_dtype()), b.to(get_default_dtype())
    return a, b

