"""`autograd.Variable`, the wrapper of PyTorch before 0.4, kept so that old programs run.

Then a Variable wrapped a tensor and added the graph: `.data`, `.grad`, `.grad_fn`. Since 0.4
every Tensor does all of that, and `Variable(t)` just returns a tensor.
"""

from __future__ import annotations

from typing import Any

from ..core.tensor import Tensor


class _EveryTensor(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)  # any tensor is a Variable, as in PyTorch


class Variable(metaclass=_EveryTensor):
    """`Variable(t, requires_grad=False)`: a new leaf tensor sharing `t`'s memory (t.detach()).

    `isinstance(x, Variable)` holds for every tensor, as in PyTorch.
    """

    def __new__(cls, data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
        """Make the tensor.

        Args:
            data: the tensor to wrap.
            requires_grad: whether the new leaf records operations for backward.
            volatile: ignored (PyTorch 0.3's inference mode; use `no_grad` instead).

        Returns:
            A Tensor, not a Variable object.
        """
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
