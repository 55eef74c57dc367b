"""`Parameter`: a Tensor that a `Module` registers as something to learn."""

from __future__ import annotations

from typing import Any

from ..core.tensor import Tensor


class Parameter(Tensor):
    """A leaf Tensor with `requires_grad=True` that a `Module` collects in `parameters()`.

    `Parameter(data)` takes numbers, nested lists, an array, or a Tensor. A Tensor's memory is
    shared, not copied, as in PyTorch: `Parameter(t.rand(2, 3))` learns in the same array. Only
    the type differs from a plain Tensor; every operation on a Parameter returns a plain Tensor.

    Args:
        data: numbers, nested lists, an array (copied), or a Tensor (shared); None for an empty
            parameter.
        requires_grad: False for a parameter that is registered but not learnt.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.Parameter(tinygrad_lr.zeros(2))
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """

    __slots__ = ()  # Tensor has slots; a subclass adds no per-instance dict

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = []
        if isinstance(data, Tensor):
            # Share the source's memory and its version count (Parameter(t) is t, relabelled),
            # without the copy the Tensor constructor would make.
            self._data, self._requires_grad, self.grad_fn = data._data, False, None
            self._share_memory_of(data)
        else:
            super().__init__(data, requires_grad=False)
        self.requires_grad = requires_grad  # the setter refuses integer dtypes, with the reason

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
