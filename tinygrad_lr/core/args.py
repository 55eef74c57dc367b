"""Reading the arguments of tensor operations (numbers, shapes, dims, operands), with PyTorch's
errors.

Every front-end method checks what it was given here before it hands arrays to an op, so that
bad input fails with a message naming the op, the shapes or the values, never with a numpy
traceback from deep inside.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from .dtypes import get_default_dtype, promote_scalar, to_dtype

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)
Number = bool | int | float
NUMBER_TYPES = (bool, int, float, np.bool_, np.integer, np.floating)


def fmt(shape: tuple[int, ...]) -> str:
    """A shape as PyTorch prints it in messages: (2, 3), (4,), ()."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def to_array(data: Any, dtype: Any = None, copy: bool = True, where: str = "tensor()"
             ) -> np.ndarray:  # fmt: skip
    """A numeric ndarray from numbers, nested lists, numpy arrays or Tensors."""
    if isinstance(data, Tensor):
        data = data._data
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    if data is None:  # (RuntimeError, as PyTorch raises for it)
        raise RuntimeError(f"{where}: could not infer dtype of NoneType: expected a number, a "
                           "(nested) list of numbers or an array")
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{where}: expected a number, a (nested) list of numbers or an array, "
                        f"got {type(data).__name__}")
    try:
        arr = np.array(data, copy=copy) if from_numpy else np.array(data)
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"{where}: the nested lists must form a rectangular array ({e})") from None
    if arr.dtype.kind not in "biuf":
        too_big = [v for v in arr.flat if isinstance(v, int)] if arr.dtype.kind == "O" else []
        if too_big and len(too_big) == arr.size:  # numpy keeps ints beyond 64 bits as objects
            raise OverflowError(f"{where}: the integer {max(too_big, key=abs)} does not fit in "
                                "int64; pass it as a float (1e30) for a float tensor")
        kind = "complex numbers" if arr.dtype.kind == "c" else f"values of type {arr.dtype}"
        raise TypeError(f"{where}: expected numbers, got {kind} from {_describe(data)}; "
                        "a tensor holds bool, int or float values only")
    if dtype is not None:
        dt = to_dtype(dtype)
        if arr.dtype != dt:
            if dt.kind in "iu" and arr.size and arr.dtype.kind in "iuf":
                check_fits(arr.min(), dt, where)
                check_fits(arr.max(), dt, where)
            arr = arr.astype(dt)
    elif not from_numpy and arr.dtype.kind == "f" and arr.dtype != get_default_dtype():
        arr = arr.astype(_float_dtype_of(data), copy=False)
    return arr


def _float_dtype_of(data: Any) -> np.dtype:
    """The float dtype PyTorch gives a tensor made from these numbers: Python numbers count as
    the default dtype (float32), numpy scalars as their own dtype, and the widest one wins. So
    [1.5, 2.0] is float32, but [np.float64(1.5)] is float64."""
    dtype = None
    has_python_number = False
    stack = [data]
    while stack:  # the leaves of the nested lists, without recursion
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, np.generic):
            dtype = item.dtype if dtype is None else np.promote_types(dtype, item.dtype)
        else:
            has_python_number = True
    if dtype is None or dtype.kind != "f":
        return get_default_dtype() if dtype is None or has_python_number else dtype
    return np.promote_types(dtype, get_default_dtype()) if has_python_number else dtype


def _describe(data: Any) -> str:
    if isinstance(data, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in data})
        return f"a {type(data).__name__} of {', '.join(kinds)}"
    return f"a {type(data).__name__}"


def check_number(value: Any, op: str, arg: str = "other") -> None:
    if not isinstance(value, NUMBER_TYPES):
        raise TypeError(f"{op}(): argument '{arg}' must be a number, not {type(value).__name__}")


def check_fits(value: Any, dt: np.dtype, op: str) -> None:
    """Refuse, as PyTorch does, to store a number in an integer dtype that cannot hold it."""
    if dt.kind in "iu" and isinstance(value, (int, float, np.integer, np.floating)):
        info = np.iinfo(dt)
        if not info.min <= value <= info.max:
            raise RuntimeError(f"{op}: value cannot be converted to type {dt} without overflow "
                               f"({value} is outside [{info.min}, {info.max}])")


def check_flag(value: Any, op: str, arg: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{arg}' must be bool, not {type(value).__name__}")
    return bool(value)


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...], op: str) -> tuple[int, ...]:
    """numpy's broadcasting rule, failing with PyTorch's message that names both shapes."""
    if a == b or not b:  # (a 0-d operand, such as the number in `x * 2`, fits any shape)
        return tuple(a)
    if not a:
        return tuple(b)
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out = []
    for i, (sa, sb) in enumerate(zip(pa, pb)):
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(
                f"{op}: the size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                f"non-singleton dimension {i}: shapes {fmt(a)} and {fmt(b)} cannot be broadcast"
            )
        out.append(sa if sb == 1 else sb)
    return tuple(out)


def dim_arg(d: Any, ndim: int, op: str) -> int:
    """One dim index, negatives counting from the end, with PyTorch's range error."""
    if not isinstance(d, (int, np.integer)) or isinstance(d, bool):
        raise TypeError(f"{op}(): dim must be an int, not {type(d).__name__}")
    lo, hi = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    if not lo <= d <= hi:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})"
        )
    return int(d) % ndim if ndim > 0 else 0


def dims_arg(dim: Any, ndim: int, op: str) -> tuple[int, ...]:
    """None (all dims), an int, or a tuple/list of ints, as a tuple of distinct dims."""
    # An empty list of dims means all of them, as in PyTorch (x.sum(dim=()) is the total).
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    ds = dim if isinstance(dim, (tuple, list)) else (dim,)
    out = tuple(dim_arg(d, ndim, op) for d in ds)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}(): dim {dim} names a dimension more than once")
    return out if ndim > 0 else ()


F = TypeVar("F", bound=Callable[..., Any])

# PyTorch's argument parser accepts numpy's names for two arguments of every native function:
# `axis` for `dim` and `keepdims` for `keepdim` (x.max(axis=1), t.cumsum(x, axis=0)).
NUMPY_NAMES = {"axis": "dim", "keepdims": "keepdim"}


def numpy_names(function: F) -> F:
    """`function`, also accepting `axis=` for `dim=` and `keepdims=` for `keepdim=`, as PyTorch's
    functions and methods do."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        for numpy_name, name in NUMPY_NAMES.items():
            if numpy_name in kwargs:
                if name in kwargs:
                    raise TypeError(f"{function.__name__}() got an unexpected keyword argument "
                                    f"'{numpy_name}': it is numpy's name for '{name}', given too")
                kwargs[name] = kwargs.pop(numpy_name)
        return function(*args, **kwargs)

    return call  # type: ignore[return-value]


def shape_arg(shape: tuple[Any, ...], op: str) -> tuple[int, ...]:
    """Sizes given as f(2, 3) or f((2, 3)), as PyTorch accepts both."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"{op}(): sizes must be ints, got {s!r} of type {type(s).__name__}")
    return tuple(map(int, shape))


def tensor_arg(value: Any, op: str, arg: str) -> Any:
    """A Tensor argument (a numeric ndarray is taken as a constant tensor)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return Tensor._wrap(value)
    raise TypeError(f"{op}(): argument '{arg}' must be a Tensor, not {type(value).__name__}")


def input_arg(value: Any, op: str) -> Any:
    """The `input` argument of a module-level function (`t.exp(input)`): a Tensor."""
    return tensor_arg(value, op, "input")


# Number constants (the 0.5 in `0.5 * x`) as 0-d tensors, made once per value and dtype and then
# shared: a training loop would otherwise build the same constant at every step. Their memory is
# read-only, so that nothing can change a constant under the other ops that use it.
_CONSTANTS: dict[tuple[float, np.dtype], Any] = {}


def constant(value: Number, dtype: np.dtype) -> Any:
    """The number `value` as a shared, read-only 0-d tensor of `dtype`."""
    const = _CONSTANTS.get((value, dtype))
    if const is None:
        data = np.array(value, dtype)
        data.flags.writeable = False
        const = Tensor._wrap(data)
        # 0.0 and -0.0 are equal as keys but not as numbers (1 / -0.0 = -inf): zeros are made
        # afresh each time; and the table stays small, whatever numbers a program uses.
        if value != 0 and len(_CONSTANTS) < 1024:
            _CONSTANTS[(value, dtype)] = const
    return const


def operand(other: Any, like: Any, op: str) -> Any:
    """The other operand of a binary op as a Tensor; numbers and arrays become constants."""
    if isinstance(other, Tensor):
        return other
    if isinstance(other, NUMBER_TYPES):
        dt = promote_scalar(like._data.dtype, other)
        if isinstance(other, float):
            return constant(other, dt)
        try:
            return Tensor._wrap(np.asarray(other, dt))
        except OverflowError:
            return Tensor._wrap(_wrapped(other, dt, op))
    if isinstance(other, np.ndarray) and other.dtype.kind in "biuf":
        return Tensor._wrap(other)
    raise TypeError(f"{op}(): argument 'other' must be a Tensor or a number, not "
                    f"{type(other).__name__}" + (f" (dtype {other.dtype})"
                                                  if isinstance(other, np.ndarray) else ""))


def _wrapped(n: int, dt: np.dtype, op: str) -> np.ndarray:
    """An int too big for an integer tensor's dtype, wrapped around as the hardware would (as
    PyTorch does: int8 tensor + 300 adds 300 - 256 = 44)."""
    if not -(2**63) <= n < 2**63:
        raise OverflowError(f"{op}(): int too big to convert: {n} does not fit in 64 bits")
    bits = 8 * dt.itemsize
    n %= 1 << bits
    if dt.kind == "i" and n >= 1 << (bits - 1):
        n -= 1 << bits
    return np.asarray(n, dt)


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}  # fmt: skip


def same_dtype(a: Any, b: Any, op: str) -> tuple[Any, Any]:
    """The two operands of a matrix product, which PyTorch refuses to promote: mixing float32
    and float64 there is usually a mistake (data loaded as float64), so it is an error."""
    da, db = a._data.dtype, b._data.dtype
    if da != db:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_C_NAMES.get(da.name, da.name)} != {_C_NAMES.get(db.name, db.name)} "
                           f"({op} of {da} and {db}: convert one of them, e.g. with .to({da}))")
    return a, b
