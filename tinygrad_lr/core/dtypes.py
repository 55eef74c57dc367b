"""dtypes and devices: PyTorch's names and promotion rules, on top of numpy dtypes.

A dtype here *is* a numpy dtype (`tinygrad_lr.float32 is np.dtype('float32')`). What differs
from numpy is the promotion rule, which follows PyTorch so that code ported from it computes in the
same precision:

* Python floats make float32 tensors (numpy would make float64);
* int ⊗ float gives the float operand's dtype (numpy: int64 + float32 → float64; PyTorch: float32);
* a Python number never widens a tensor (float32 * 0.5 stays float32), and neither does a 0-d
  tensor of the same kind (float32 (4,) + float64 0-d → float32);
* true division of integers gives float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
int16 = short = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
bool_ = np.dtype(np.bool_)

DEFAULT_INT = int64


class _Defaults:
    float = float32  # what Python floats, random floats and int → float ops make


def get_default_dtype() -> np.dtype:
    """The floating dtype of tensors made from Python floats (float32 unless changed).

    Returns:
        A numpy floating dtype.
    """
    return _Defaults.float


def set_default_dtype(dtype: Any) -> None:
    """Change the floating dtype tensors are made in: float16, float32 or float64.

    Args:
        dtype: a floating dtype (or its name).

    Raises:
        TypeError: for a dtype that is not floating point.
    """
    dt = to_dtype(dtype)
    if dt.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, not {dt}")
    _Defaults.float = dt

_BY_NAME = {
    "float16": float16, "half": float16, "float32": float32, "float": float32,
    "float64": float64, "double": float64, "int8": int8, "uint8": uint8, "int16": int16,
    "short": int16, "int32": int32, "int": int32, "int64": int64, "long": int64, "bool": bool_,
}  # fmt: skip

# Kinds in promotion order: a higher kind wins whatever the sizes (PyTorch's "category").
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def to_dtype(dtype: Any) -> np.dtype:
    """Read a dtype: a numpy dtype or type, a name ('float32', 'long'), or float/int/bool.

    Args:
        dtype: what to read, as above (Python's float is float64 and int int64, as in
            PyTorch).

    Returns:
        The numpy dtype.

    Raises:
        TypeError: for anything that is not one of the dtypes a tensor can hold.

    Examples:
        >>> from tinygrad_lr.core.dtypes import to_dtype
        >>> to_dtype("long"), to_dtype(float)
        (dtype('int64'), dtype('float64'))
    """
    if dtype is float:  # as in PyTorch, the Python type float means float64
        return float64
    if dtype is int:
        return int64
    if dtype is bool:
        return bool_
    if isinstance(dtype, str):
        name = dtype.removeprefix("torch.").removeprefix("tinygrad_lr.")
        if name in _BY_NAME:
            return _BY_NAME[name]
    else:
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
        if dt is not None and dt.kind in _KIND_RANK:
            return dt
    raise TypeError(
        f"unsupported dtype {dtype!r}: use one of {', '.join(sorted(_BY_NAME))} "
        "(or the numpy dtype of the same name)"
    )


def is_floating(dtype: np.dtype) -> bool:
    """Whether `dtype` is a floating point dtype (float16, float32 or float64).

    Args:
        dtype: a numpy dtype.

    Returns:
        True for a floating dtype.
    """
    return dtype.kind == "f"


def promote(a: np.dtype, a_ndim: int, b: np.dtype, b_ndim: int) -> np.dtype:
    """The result dtype of a binary op on two tensors, by PyTorch's rule (see module doc).

    Args:
        a: the first tensor's dtype.
        a_ndim: its number of dimensions (a 0-d tensor does not widen one with dimensions).
        b: the second tensor's dtype.
        b_ndim: its number of dimensions.

    Returns:
        The dtype both are converted to.

    Examples:
        >>> from tinygrad_lr.core.dtypes import promote
        >>> promote(tinygrad_lr.int64, 1, tinygrad_lr.float32, 1)       # numpy would say float64
        dtype('float32')
    """
    if a == b:
        return a
    ka, kb = _KIND_RANK[a.kind], _KIND_RANK[b.kind]
    if ka != kb:
        return a if ka > kb else b
    # Same kind: a 0-d tensor does not widen a tensor with dimensions.
    if a_ndim == 0 and b_ndim > 0:
        return b
    if b_ndim == 0 and a_ndim > 0:
        return a
    return np.promote_types(a, b)


def promote_scalar(a: np.dtype, scalar: Any) -> np.dtype:
    """The result dtype of a tensor ⊗ Python number: the number only lifts the kind, if needed.

    Args:
        a: the tensor's dtype.
        scalar: the Python (or numpy) number.

    Returns:
        a, or the default float dtype for a float number and an integer or bool tensor (int64
            for an int number and a bool tensor).
    """
    if type(scalar) is float:  # the common case (`0.5 * x`), decided before the slower checks
        return a if a.kind == "f" else _Defaults.float
    if isinstance(scalar, (bool, np.bool_)):
        return a
    if isinstance(scalar, (int, np.integer)):
        return DEFAULT_INT if a.kind == "b" else a
    return a if a.kind == "f" else _Defaults.float


class device:
    """Where a tensor lives. Only the CPU exists: tensors are numpy arrays.

    `device('cpu')` is accepted everywhere PyTorch takes a device, so that device-agnostic code
    runs unchanged; asking for a GPU fails at once, with the reason.

    Args:
        spec: 'cpu' (or 'cpu:0'), or a device.

    Raises:
        RuntimeError: for any other device, such as 'cuda'.
        TypeError: for something that is not a string or a device.
    """

    __slots__ = ("type",)

    def __init__(self, spec: Any = "cpu") -> None:
        if isinstance(spec, device):
            spec = spec.type
        if not isinstance(spec, str):
            raise TypeError(f"device() expects a string such as 'cpu', got {type(spec).__name__}")
        if spec not in ("cpu", "cpu:0"):
            raise RuntimeError(
                f"device {spec!r} is not available: tinygrad_lr computes with numpy on the CPU and "
                "has no GPU backend installed. Use device('cpu')."
            )
        self.type = "cpu"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other in ("cpu", "cpu:0")
        return isinstance(other, device)

    def __hash__(self) -> int:
        return hash("cpu")

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"


CPU = device("cpu")
