"""Comparisons and logic: the operators < <= > >= == != and their named forms (`eq`, `gt`, ...,
and PyTorch's aliases `greater`, `less_equal`, `not_equal`, ...), the logical functions
(`logical_and`, ...), and the bitwise operators & | ^ ~.

None of them is differentiable: each gives a bool (or, bitwise, an integer) tensor, which has no
gradient, so they compute on the arrays directly and record nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .args import broadcast_shape, operand, tensor_arg

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Comparison:
    """The comparison, logical and bitwise methods of Tensor."""

    def _compare(self: Tensor, other: Any, compare: Callable[..., Any], name: str) -> Tensor:
        b = operand(other, self, name)
        broadcast_shape(self._data.shape, b._data.shape, name)
        return Tensor._wrap(np.asarray(compare(self._data, b._data)))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less, "lt")

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal, "le")

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater, "gt")

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal, "ge")

    def __eq__(self, other: Any) -> Any:
        if other is None:  # `x == None` is a question about the object, as in PyTorch
            return False
        return self._compare(other, np.equal, "eq")

    def __ne__(self, other: Any) -> Any:
        if other is None:
            return True
        return self._compare(other, np.not_equal, "ne")

    def eq(self: Tensor, other: Any) -> Tensor:
        """self == other, elementwise (numbers and tensors broadcast).

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([1.0, 2.0, 3.0]).eq(2)
            tensor([False,  True, False])
        """
        return self._compare(other, np.equal, "eq")

    def ne(self: Tensor, other: Any) -> Tensor:
        """self != other, elementwise.

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._compare(other, np.not_equal, "ne")

    def lt(self: Tensor, other: Any) -> Tensor:
        """self < other, elementwise.

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._compare(other, np.less, "lt")

    def le(self: Tensor, other: Any) -> Tensor:
        """self <= other, elementwise.

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._compare(other, np.less_equal, "le")

    def gt(self: Tensor, other: Any) -> Tensor:
        """self > other, elementwise.

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([1, 2, 3]).gt(tinygrad_lr.tensor([2, 2, 2]))
            tensor([False, False,  True])
        """
        return self._compare(other, np.greater, "gt")

    def ge(self: Tensor, other: Any) -> Tensor:
        """self >= other, elementwise.

        Args:
            other: a tensor or a number.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._compare(other, np.greater_equal, "ge")

    # PyTorch's longer names (numpy's too)
    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # --- logical: any dtype, nonzero is True; the result is bool ------------------------------

    def logical_not(self: Tensor) -> Tensor:
        """True where the element is zero (bool).

        Returns:
            A bool tensor of self's shape.
        """
        return Tensor._wrap(np.asarray(np.logical_not(self._data)))

    def _logical(self: Tensor, other: Any, ufunc: np.ufunc, name: str) -> Tensor:
        other = tensor_arg(other, name, "other")  # a tensor only, as in PyTorch
        broadcast_shape(self._data.shape, other._data.shape, name)
        return Tensor._wrap(np.asarray(ufunc(self._data, other._data)))

    def logical_and(self: Tensor, other: Any) -> Tensor:
        """True where both are nonzero (bool).

        Args:
            other: a tensor that broadcasts with self.

        Returns:
            A bool tensor of the broadcast shape.

        Examples:
            >>> tinygrad_lr.tensor([0, 1, 2]).logical_and(tinygrad_lr.tensor([1.0, 0.0, 3.0]))
            tensor([False, False,  True])
        """
        return self._logical(other, np.logical_and, "logical_and")

    def logical_or(self: Tensor, other: Any) -> Tensor:
        """True where either is nonzero (bool).

        Args:
            other: a tensor that broadcasts with self.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._logical(other, np.logical_or, "logical_or")

    def logical_xor(self: Tensor, other: Any) -> Tensor:
        """True where exactly one of the two is nonzero (bool).

        Args:
            other: a tensor that broadcasts with self.

        Returns:
            A bool tensor of the broadcast shape.
        """
        return self._logical(other, np.logical_xor, "logical_xor")

    # --- bitwise (bool and integer tensors) ----------------------------------------------------

    def _bitwise(self: Tensor, other: Any, ufunc: np.ufunc, name: str) -> Tensor:
        b = operand(other, self, name)
        for x in (self, b):
            if x._data.dtype.kind not in "biu":
                raise RuntimeError(f"{name}: \"{name}_cpu\" not implemented for "
                                   f"'{x._data.dtype}' (bool and integer tensors only)")
        broadcast_shape(self._data.shape, b._data.shape, name)
        return Tensor._wrap(np.asarray(ufunc(self._data, b._data)))

    def __and__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_and, "bitwise_and")

    def __or__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_or, "bitwise_or")

    def __xor__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_xor, "bitwise_xor")

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self: Tensor) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(f"~ (bitwise_not) is only for bool and integer tensors, not "
                            f"{self._data.dtype}")
        return Tensor._wrap(np.asarray(np.invert(self._data)))
