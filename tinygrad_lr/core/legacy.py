"""PyTorch's legacy typed constructors: `FloatTensor([1, 2])`, `LongTensor(3)`, and the type names
`x.type()` returns ('torch.FloatTensor'), which older tutorials still use.

`FloatTensor(data)` makes a float32 tensor of `data`; `FloatTensor(2, 3)` a 2×3 one (of zeros:
PyTorch leaves it uninitialised). `isinstance(x, FloatTensor)` asks for a float32 tensor, and
`x.type(FloatTensor)` casts to float32, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .args import to_array
from .dtypes import to_dtype
from .tensor import Tensor

# dtype -> PyTorch's name for the tensor type of that dtype
TYPE_NAMES = {
    np.dtype(np.float32): "torch.FloatTensor", np.dtype(np.float64): "torch.DoubleTensor",
    np.dtype(np.float16): "torch.HalfTensor", np.dtype(np.int64): "torch.LongTensor",
    np.dtype(np.int32): "torch.IntTensor", np.dtype(np.int16): "torch.ShortTensor",
    np.dtype(np.int8): "torch.CharTensor", np.dtype(np.uint8): "torch.ByteTensor",
    np.dtype(np.bool_): "torch.BoolTensor",
}  # fmt: skip


class _TensorType(type):
    """The class of FloatTensor and friends: calling one makes a tensor of its dtype."""

    dtype: np.dtype

    def __call__(cls, *args: Any) -> Tensor:
        if len(args) == 1 and not isinstance(args[0], int):  # FloatTensor(data)
            return Tensor._wrap(to_array(args[0], cls.dtype, where=cls.__name__ + "()"))
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args):  # (2, 3): a shape
            return Tensor._wrap(np.zeros(args, cls.dtype))
        raise TypeError(f"{cls.__name__}(): expected data (a list, an array or a tensor) or "
                        f"sizes (ints), got {args!r}")

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class '{TYPE_NAMES[cls.dtype]}'>"


def _tensor_type(name: str, dtype: Any) -> type:
    return _TensorType(name, (), {"dtype": np.dtype(dtype), "__doc__": f"A {np.dtype(dtype)} "
                                  f"tensor, as PyTorch's legacy torch.{name}."})  # fmt: skip


FloatTensor = _tensor_type("FloatTensor", np.float32)
DoubleTensor = _tensor_type("DoubleTensor", np.float64)
HalfTensor = _tensor_type("HalfTensor", np.float16)
LongTensor = _tensor_type("LongTensor", np.int64)
IntTensor = _tensor_type("IntTensor", np.int32)
ShortTensor = _tensor_type("ShortTensor", np.int16)
CharTensor = _tensor_type("CharTensor", np.int8)
ByteTensor = _tensor_type("ByteTensor", np.uint8)
BoolTensor = _tensor_type("BoolTensor", np.bool_)


def type_of(t: Tensor, dtype: Any = None) -> Any:
    """`Tensor.type`: the type's name with no argument, else the tensor cast to the type (a
    FloatTensor-like class, its name 'torch.FloatTensor', or a dtype)."""
    if dtype is None:
        return TYPE_NAMES[t.dtype]
    if isinstance(dtype, _TensorType):
        return t.to(dtype.dtype)
    if isinstance(dtype, str) and dtype in TYPE_NAMES.values():
        return t.to(next(d for d, name in TYPE_NAMES.items() if name == dtype))
    return t.to(to_dtype(dtype))
