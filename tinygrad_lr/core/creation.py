"""Making tensors: from data, filled with constants, ranges, and random numbers.

All random numbers come from one module-level numpy `Generator`; `manual_seed(n)` replaces it, so
that a seeded program gives the same numbers on every run (not PyTorch's numbers: the generators
differ).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .args import check_fits, check_number, shape_arg
from .dtypes import device, get_default_dtype, to_dtype
from .tensor import Tensor

_rng = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the package's random number generator (and return it)."""
    global _rng
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed() expects an int, got {type(seed).__name__}")
    _rng = np.random.default_rng(int(seed) & 0xFFFF_FFFF_FFFF_FFFF)
    return _rng


def default_generator() -> np.random.Generator:
    """The numpy Generator behind `rand`, `randn` and friends."""
    return _rng


def _finish(arr: np.ndarray, dev: Any, requires_grad: bool, name: str | None = None) -> Tensor:
    if dev is not None:
        device(dev)  # raises for anything but the CPU
    t = Tensor._wrap(arr)
    if name is not None:
        t.name = name
    if requires_grad:
        t.requires_grad = True  # the setter refuses integer dtypes, with the reason
    return t


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           name: str | None = None) -> Tensor:  # fmt: skip
    """A new tensor holding a copy of `data` (numbers, nested lists, an array or a Tensor)."""
    t = Tensor(data, dtype=dtype, name=name)
    return _finish(t._data, device, requires_grad, name)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with `array` (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy() expects a numpy.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy(): arrays of dtype {array.dtype} are not supported")
    return Tensor._wrap(array)


def _dtype_or(dtype: Any, default: np.dtype) -> np.dtype:
    return default if dtype is None else to_dtype(dtype)


def _check_sizes(shape: tuple[int, ...], op: str) -> tuple[int, ...]:
    if any(s < 0 for s in shape):
        raise RuntimeError(
            f"{op}(): trying to create tensor with negative dimension: {list(shape)}"
        )
    return shape


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape (float32 unless `dtype` says otherwise)."""
    shape = _check_sizes(shape_arg(size, "zeros"), "zeros")
    return _finish(np.zeros(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape (float32 unless `dtype` says otherwise)."""
    shape = _check_sizes(shape_arg(size, "ones"), "ones")
    return _finish(np.ones(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor filled with `fill_value`; its dtype follows the value (float → float32)."""
    check_number(fill_value, "full", "fill_value")
    shape = _check_sizes(shape_arg((size,), "full"), "full")
    dt = Tensor(fill_value).dtype if dtype is None else to_dtype(dtype)
    check_fits(fill_value, dt, "full")
    return _finish(np.full(shape, fill_value, dt), device, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The n×m identity matrix (m defaults to n)."""
    shape = _check_sizes(shape_arg((n, n if m is None else m), "eye"), "eye")
    arr = np.eye(*shape, dtype=_dtype_or(dtype, get_default_dtype()))
    return _finish(arr, device, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Values from start (inclusive) to end (exclusive) by step; int64 for ints, else float32."""
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        check_number(v, "arange", name)
    if step == 0:
        raise RuntimeError("arange(): step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange(): upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    all_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
    default = np.dtype(np.int64) if all_int else get_default_dtype()
    arr = np.arange(start, end, step, dtype=np.float64 if not all_int else np.int64)
    return _finish(arr.astype(_dtype_or(dtype, default)), device, requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """`steps` evenly spaced values from start to end, both included."""
    if not isinstance(steps, int) or steps < 0:
        raise RuntimeError(f"linspace(): number of steps must be a non-negative int, got {steps!r}")
    arr = np.linspace(start, end, steps).astype(_dtype_or(dtype, get_default_dtype()))
    return _finish(arr, device, requires_grad)


def _float_dtype(dtype: Any, op: str) -> np.dtype:
    dt = _dtype_or(dtype, get_default_dtype())
    if dt.kind != "f":
        raise TypeError(f"{op}(): random floats need a floating dtype, got {dt}")
    return dt


def _random(sample: Any, dt: np.dtype) -> np.ndarray:
    # numpy's generator draws float32 and float64 natively; other floats are cast from float64.
    if dt in (np.float32, np.float64):
        return sample(dtype=dt)
    return sample(dtype=np.float64).astype(dt)


def rand(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
         generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Uniform random numbers in [0, 1) of the given shape."""
    shape = _check_sizes(shape_arg(size, "rand"), "rand")
    gen = generator or _rng
    arr = _random(lambda dtype: gen.random(shape, dtype=dtype), _float_dtype(dtype, "rand"))
    return _finish(arr, device, requires_grad)


def randn(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Standard normal random numbers (mean 0, variance 1) of the given shape."""
    shape = _check_sizes(shape_arg(size, "randn"), "randn")
    gen = generator or _rng
    arr = _random(lambda dtype: gen.standard_normal(shape, dtype=dtype),
                  _float_dtype(dtype, "randn"))  # fmt: skip
    return _finish(arr, device, requires_grad)


def randint(low: int, high: Any = None, size: Any = (), dtype: Any = None, device: Any = None,
            generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Random integers in [low, high) (int64); `randint(high, size)` starts at 0."""
    if isinstance(high, (tuple, list)):  # randint(high, size), as PyTorch reads two arguments
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    shape = _check_sizes(shape_arg((size,), "randint"), "randint")
    if high <= low:
        raise RuntimeError(f"randint(): expects low < high, got low={low}, high={high}")
    arr = (generator or _rng).integers(low, high, size=shape, dtype=np.int64)
    return _finish(arr.astype(_dtype_or(dtype, np.dtype(np.int64))), device, False)


def randperm(n: int, dtype: Any = None, device: Any = None, requires_grad: bool = False,
             generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """0, 1, ..., n-1 in random order (int64)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise RuntimeError(f"randperm(): n must be a non-negative int, got {n!r}")
    arr = (generator or _rng).permutation(int(n)).astype(_dtype_or(dtype, np.dtype(np.int64)))
    return _finish(arr, device, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *,
           generator: np.random.Generator | None = None, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Normal random numbers: mean + std·N(0, 1). PyTorch's overloads: mean and std may be
    tensors (broadcast together, giving the shape) or numbers (then `size` gives the shape)."""
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if tensors:
        if size is not None:
            raise RuntimeError("normal(): size may only be given with a number mean and std")
        shape = np.broadcast_shapes(*(v.shape for v in tensors))
        dt = np.result_type(*(v.dtype for v in tensors))
    else:
        if size is None:
            raise TypeError("normal(): with a number mean and std, give the shape as `size`")
        shape, dt = _check_sizes(shape_arg((size,), "normal"), "normal"), None
    dt = _float_dtype(dtype if dtype is not None else dt, "normal")
    mean_a = mean._data if isinstance(mean, Tensor) else mean
    std_a = std._data if isinstance(std, Tensor) else std
    if np.any(np.asarray(std_a) < 0):
        raise RuntimeError(f"normal expects std >= 0.0, but found std {np.min(std_a)}")
    noise = _random(lambda dtype: (generator or _rng).standard_normal(shape, dtype=dtype), dt)
    return _finish((mean_a + std_a * noise).astype(dt, copy=False), device, requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """base ** linspace(start, end, steps): `steps` values evenly spaced on a log scale."""
    if not isinstance(steps, int) or steps < 0:
        raise RuntimeError(f"logspace(): number of steps must be a non-negative int, got {steps!r}")
    arr = np.logspace(start, end, steps, base=base).astype(_dtype_or(dtype, get_default_dtype()))
    return _finish(arr, device, requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape whose values are not to be read before they are written (it
    holds zeros here: PyTorch leaves whatever was in the memory)."""
    shape = _check_sizes(shape_arg(size, "empty"), "empty")
    return _finish(np.zeros(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a tensor, without a copy when it already is one (a Tensor, or a numpy array of
    that dtype: then the memory is shared)."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or to_dtype(dtype) == data.dtype):
        return _finish(from_numpy(data)._data, device, False)
    return tensor(data, dtype=dtype, device=device)


def _like(t: Tensor, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    if not isinstance(t, Tensor):
        raise TypeError(f"expected a Tensor, got {type(t).__name__}")
    return t.shape, _dtype_or(dtype, t.dtype)


def zeros_like(t: Tensor, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Zeros with the shape (and, unless `dtype` is given, the dtype) of `t`."""
    shape, dt = _like(t, dtype)
    return zeros(shape, dtype=dt, device=device, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Ones with the shape (and, unless `dtype` is given, the dtype) of `t`."""
    shape, dt = _like(t, dtype)
    return ones(shape, dtype=dt, device=device, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """`fill_value` with the shape (and, unless `dtype` is given, the dtype) of `t`."""
    shape, dt = _like(t, dtype)
    return full(shape, fill_value, dtype=dt, device=device, requires_grad=requires_grad)


def empty_like(t: Tensor, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """`empty` with the shape (and, unless `dtype` is given, the dtype) of `t`."""
    shape, dt = _like(t, dtype)
    return empty(shape, dtype=dt, device=device, requires_grad=requires_grad)


def rand_like(t: Tensor, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Uniform random numbers in [0, 1) with the shape of `t`."""
    shape, dt = _like(t, dtype)
    return rand(shape, dtype=dt, device=device, requires_grad=requires_grad)


def randn_like(t: Tensor, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Standard normal random numbers with the shape of `t`."""
    shape, dt = _like(t, dtype)
    return randn(shape, dtype=dt, device=device, requires_grad=requires_grad)
