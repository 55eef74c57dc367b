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
from .generator import Generator, numpy_generator
from .tensor import Tensor

_rng = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the package's random number generator (and return it).

    A seeded program gives the same numbers on every run (not PyTorch's numbers: the generators
    differ).

    Args:
        seed: an int (taken modulo 2⁶⁴).

    Returns:
        The new numpy Generator.

    Examples:
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> a = tinygrad_lr.rand(2)
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> tinygrad_lr.rand(2).equal(a)
        True
    """
    global _rng
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed() expects an int, got {type(seed).__name__}")
    _rng = np.random.default_rng(int(seed) & 0xFFFF_FFFF_FFFF_FFFF)
    return _rng


def default_generator() -> np.random.Generator:
    """The numpy Generator behind `rand`, `randn` and friends.

    Returns:
        The package's numpy Generator, as the last `manual_seed` made it.
    """
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
    """A new tensor holding a copy of `data` (numbers, nested lists, an array or a Tensor).

    Python floats become float32, Python ints int64, bools bool; numpy arrays keep their dtype.

    Args:
        data: numbers, nested lists of them, a numpy array or a Tensor.
        dtype: the dtype; None to infer it from `data`.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).
        name: a label for drawings of the graph.

    Returns:
        A new leaf tensor.

    Examples:
        >>> tinygrad_lr.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> tinygrad_lr.tensor(2.5, requires_grad=True)
        tensor(2.5000, requires_grad=True)
    """
    t = Tensor(data, dtype=dtype, name=name)
    return _finish(t._data, device, requires_grad, name)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with `array` (changes to one show in the other).

    Args:
        array: a numpy array of bools, integers or floats; its dtype is kept.

    Returns:
        A new leaf tensor on the array's memory.

    Examples:
        >>> import numpy as np
        >>> a = np.zeros(2)
        >>> x = tinygrad_lr.from_numpy(a)
        >>> a[0] = 1
        >>> x
        tensor([1., 0.], dtype=float64)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy() expects a numpy.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy(): arrays of dtype {array.dtype} are not supported")
    return Tensor._wrap(array)


def _dtype_or(dtype: Any, default: np.dtype) -> np.dtype:
    return default if dtype is None else to_dtype(dtype)


def _shape_of(sizes: tuple, size: Any, op: str) -> tuple[int, ...]:
    """The shape of a new tensor, given as f(2, 3), f((2, 3)) or f(size=(2, 3)), as PyTorch takes
    it."""
    if size is not None:
        if sizes:
            raise TypeError(f"{op}() got multiple values for argument 'size'")
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"{op}(): argument 'size' must be tuple of ints, not "
                            f"{type(size).__name__}")
        sizes = (size,)
    return _check_sizes(shape_arg(sizes, op), op)


def _check_sizes(shape: tuple[int, ...], op: str) -> tuple[int, ...]:
    if any(s < 0 for s in shape):
        raise RuntimeError(
            f"{op}(): trying to create tensor with negative dimension: {list(shape)}"
        )
    return shape


def zeros(*sizes: Any, size: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor of zeros of the given shape (float32 unless `dtype` says otherwise).

    Args:
        *sizes: the shape, as separate ints or one tuple.
        size: the shape as a keyword, PyTorch's `size=(2, 3)`, instead of `*sizes`.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.

    Examples:
        >>> tinygrad_lr.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
    """
    shape = _shape_of(sizes, size, "zeros")
    return _finish(np.zeros(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def ones(*sizes: Any, size: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor of ones of the given shape (float32 unless `dtype` says otherwise).

    Args:
        *sizes: the shape, as separate ints or one tuple.
        size: the shape as a keyword, PyTorch's `size=(2, 3)`, instead of `*sizes`.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.

    Examples:
        >>> tinygrad_lr.ones(2, dtype=tinygrad_lr.int64)
        tensor([1, 1])
    """
    shape = _shape_of(sizes, size, "ones")
    return _finish(np.ones(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor filled with `fill_value`; its dtype follows the value (float → float32).

    Args:
        size: the shape, a tuple of ints.
        fill_value: the number every element holds.
        dtype: the dtype; None to take the value's (int64 for an int, float32 for a float).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.

    Examples:
        >>> tinygrad_lr.full((2,), 7)
        tensor([7, 7])
    """
    check_number(fill_value, "full", "fill_value")
    shape = _check_sizes(shape_arg((size,), "full"), "full")
    dt = Tensor(fill_value).dtype if dtype is None else to_dtype(dtype)
    check_fits(fill_value, dt, "full")
    return _finish(np.full(shape, fill_value, dt), device, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The n×m identity matrix (m defaults to n).

    Args:
        n: the number of rows.
        m: the number of columns; n when None.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor of shape (n, m), with ones on its diagonal.

    Examples:
        >>> tinygrad_lr.eye(2)
        tensor([[1., 0.],
                [0., 1.]])
    """
    shape = _check_sizes(shape_arg((n, n if m is None else m), "eye"), "eye")
    arr = np.eye(*shape, dtype=_dtype_or(dtype, get_default_dtype()))
    return _finish(arr, device, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Values from start (inclusive) to end (exclusive) by step; int64 for ints, else float32.

    `arange(end)` starts at 0.

    Args:
        start: the first value (or, alone, the end).
        end: the bound, not included.
        step: the difference between two values, not 0.
        dtype: the dtype; None for int64 if every argument is an int, else the default float
            dtype.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new 1-D leaf tensor.

    Examples:
        >>> tinygrad_lr.arange(5)
        tensor([0, 1, 2, 3, 4])
        >>> tinygrad_lr.arange(0, 1, 0.25)
        tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
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
    """`steps` evenly spaced values from start to end, both included.

    Args:
        start: the first value.
        end: the last value.
        steps: how many values.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new 1-D leaf tensor of `steps` elements.

    Examples:
        >>> tinygrad_lr.linspace(0, 1, 5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
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


def rand(*sizes: Any, size: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False,
         generator: Generator | np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Uniform random numbers in [0, 1) of the given shape.

    Args:
        *sizes: the shape, as separate ints or one tuple.
        size: the shape as a keyword, PyTorch's `size=(2, 3)`, instead of `*sizes`.
        dtype: a floating dtype; None for the default one.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        A new leaf tensor.

    Examples:
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> tinygrad_lr.rand(2)
        tensor([0.8506, 0.6370])
    """
    shape = _shape_of(sizes, size, "rand")
    gen = numpy_generator(generator)
    arr = _random(lambda dtype: gen.random(shape, dtype=dtype), _float_dtype(dtype, "rand"))
    return _finish(arr, device, requires_grad)


def randn(*sizes: Any, size: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False,
          generator: Generator | np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Standard normal random numbers (mean 0, variance 1) of the given shape.

    Args:
        *sizes: the shape, as separate ints or one tuple.
        size: the shape as a keyword, PyTorch's `size=(2, 3)`, instead of `*sizes`.
        dtype: a floating dtype; None for the default one.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        A new leaf tensor.
    """
    shape = _shape_of(sizes, size, "randn")
    gen = numpy_generator(generator)
    arr = _random(lambda dtype: gen.standard_normal(shape, dtype=dtype),
                  _float_dtype(dtype, "randn"))  # fmt: skip
    return _finish(arr, device, requires_grad)


def randint(low: int, high: Any = None, size: Any = (), dtype: Any = None, device: Any = None,
            generator: Generator | np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Random integers in [low, high) (int64); `randint(high, size)` starts at 0.

    Args:
        low: the smallest value (or, with `size` in second place, the bound high).
        high: the bound, not included.
        size: the shape, a tuple of ints.
        dtype: the dtype; int64 when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        A new leaf tensor.

    Examples:
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> tinygrad_lr.randint(0, 10, (3,))
        tensor([8, 6, 5])
    """
    if isinstance(high, (tuple, list)):  # randint(high, size), as PyTorch reads two arguments
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    shape = _check_sizes(shape_arg((size,), "randint"), "randint")
    if high <= low:
        raise RuntimeError(f"randint(): expects low < high, got low={low}, high={high}")
    arr = numpy_generator(generator).integers(low, high, size=shape, dtype=np.int64)
    return _finish(arr.astype(_dtype_or(dtype, np.dtype(np.int64))), device, False)


def randperm(n: int, dtype: Any = None, device: Any = None, requires_grad: bool = False,
             generator: Generator | np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """0, 1, ..., n-1 in random order (int64).

    Args:
        n: how many numbers.
        dtype: the dtype; int64 when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        A new 1-D leaf tensor of n elements.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise RuntimeError(f"randperm(): n must be a non-negative int, got {n!r}")
    order = numpy_generator(generator).permutation(int(n))
    arr = order.astype(_dtype_or(dtype, np.dtype(np.int64)))
    return _finish(arr, device, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *,
           generator: Generator | np.random.Generator | None = None, dtype: Any = None,
           device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Normal random numbers: mean + std·N(0, 1). PyTorch's overloads: mean and std may be
    tensors (broadcast together, giving the shape) or numbers (then `size` gives the shape).

    Args:
        mean: the mean: a number, or a tensor of means.
        std: the standard deviation, not negative: a number, or a tensor.
        size: the shape, a tuple of ints (with number mean and std only).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.
        dtype: a floating dtype; None for the tensors' dtype, or the default float dtype.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
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
    gen = numpy_generator(generator)
    noise = _random(lambda dtype: gen.standard_normal(shape, dtype=dtype), dt)
    return _finish((mean_a + std_a * noise).astype(dt, copy=False), device, requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """base ** linspace(start, end, steps): `steps` values evenly spaced on a log scale.

    Args:
        start: the first exponent.
        end: the last exponent.
        steps: how many values.
        base: the base of the powers.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new 1-D leaf tensor of `steps` elements.

    Examples:
        >>> tinygrad_lr.logspace(0, 2, 3)
        tensor([  1.,  10., 100.])
    """
    if not isinstance(steps, int) or steps < 0:
        raise RuntimeError(f"logspace(): number of steps must be a non-negative int, got {steps!r}")
    arr = np.logspace(start, end, steps, base=base).astype(_dtype_or(dtype, get_default_dtype()))
    return _finish(arr, device, requires_grad)


def empty(*sizes: Any, size: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor of the given shape whose values are not to be read before they are written (it
    holds zeros here: PyTorch leaves whatever was in the memory).

    Args:
        *sizes: the shape, as separate ints or one tuple.
        size: the shape as a keyword, PyTorch's `size=(2, 3)`, instead of `*sizes`.
        dtype: the dtype; None for the default float dtype (float32 unless changed).
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape = _shape_of(sizes, size, "empty")
    return _finish(np.zeros(shape, _dtype_or(dtype, get_default_dtype())), device, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a tensor, without a copy when it already is one (a Tensor, or a numpy array of
    that dtype: then the memory is shared).

    Args:
        data: a Tensor, a numpy array, numbers or nested lists.
        dtype: the dtype; None to keep (or infer) data's.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.

    Returns:
        `data` itself, a tensor sharing its memory, or a new tensor.
    """
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
    """Zeros with the shape (and, unless `dtype` is given, the dtype) of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.

    Examples:
        >>> tinygrad_lr.zeros_like(tinygrad_lr.tensor([1, 2]))
        tensor([0, 0])
    """
    shape, dt = _like(t, dtype)
    return zeros(shape, dtype=dt, device=device, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Ones with the shape (and, unless `dtype` is given, the dtype) of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape, dt = _like(t, dtype)
    return ones(shape, dtype=dt, device=device, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """`fill_value` with the shape (and, unless `dtype` is given, the dtype) of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        fill_value: the number every element holds.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape, dt = _like(t, dtype)
    return full(shape, fill_value, dtype=dt, device=device, requires_grad=requires_grad)


def empty_like(t: Tensor, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """`empty` with the shape (and, unless `dtype` is given, the dtype) of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape, dt = _like(t, dtype)
    return empty(shape, dtype=dt, device=device, requires_grad=requires_grad)


def rand_like(t: Tensor, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Uniform random numbers in [0, 1) with the shape of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape, dt = _like(t, dtype)
    return rand(shape, dtype=dt, device=device, requires_grad=requires_grad)


def randn_like(t: Tensor, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Standard normal random numbers with the shape of `t`.

    Args:
        t: the tensor whose shape (and dtype) to take.
        dtype: the dtype; t's when None.
        device: 'cpu' (or None): tensors live on the CPU, and any other device raises.
        requires_grad: make the result a leaf that requires grad (floating dtypes only).

    Returns:
        A new leaf tensor.
    """
    shape, dt = _like(t, dtype)
    return randn(shape, dtype=dt, device=device, requires_grad=requires_grad)
