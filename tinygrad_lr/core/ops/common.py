"""Helpers of the op table: the few operations that numpy arrays and Tensors spell differently,
written once here so that every backward formula can run on either (see ops/__init__.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = Any  # a numpy array, or, in a create_graph backward, a Tensor
Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


def is_tensor(x: Any) -> bool:
    """Whether a backward formula was handed tensors (a create_graph backward) or arrays."""
    return isinstance(x, Tensor)


def sum_to_shape(g: Array, shape: tuple[int, ...]) -> Array:
    """Sum `g` down to `shape`: undo broadcasting (the adjoint of expand).

    Broadcasting prepends dimensions and stretches size-1 ones; every copy of an element got its
    own gradient, and the element's gradient is their sum.
    """
    if g.shape == shape:
        return g
    lead = len(g.shape) - len(shape)
    axes = list(range(lead))  # the prepended dimensions, and the stretched ones
    for i, n in enumerate(shape):
        if n == 1 and g.shape[lead + i] != 1:
            axes.append(lead + i)
    if isinstance(g, Tensor):
        return g.sum(tuple(axes), keepdim=True).reshape(shape)
    return np.add.reduce(g, tuple(axes), keepdims=True).reshape(shape)


def expand_to(g: Array, shape: tuple[int, ...]) -> Array:
    """`g` copied along its size-1 dimensions up to `shape` (the adjoint of summing)."""
    if isinstance(g, Tensor):
        return g.expand(shape)
    # (np.empty_like rather than np.empty: a value traced by tinygrad_lr.compile then makes a
    # traced array, and the copy into it is recorded too)
    spread = np.empty_like(g, shape=shape, order="C")
    spread[...] = g
    return spread


def broadcast_view(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`a` broadcast to `shape` as a read-only view: stride 0 along every repeated dimension, so
    that each copy is the same memory (what np.broadcast_to returns, built directly)."""
    if type(a) is not np.ndarray:  # a number, or a value traced by tinygrad_lr.compile
        return np.broadcast_to(a, shape)
    lead = len(shape) - a.ndim
    strides = (0,) * lead + tuple([0 if n == 1 else s for n, s in zip(a.shape, a.strides)])
    try:
        view = np.ndarray(shape, a.dtype, a, 0, strides)
    except (ValueError, TypeError):  # memory that is not one block: numpy's general way
        return np.broadcast_to(a, shape)
    view.flags.writeable = False  # a write through one copy would change them all
    return view


def mm(a: Array, b: Array) -> Array:
    """The matrix product of two matrices (ndarray.dot: for matrices, the same product as `@`)."""
    return a.mm(b) if isinstance(a, Tensor) else a.dot(b)


def permute(g: Array, dims: tuple[int, ...]) -> Array:
    return g.permute(dims) if isinstance(g, Tensor) else g.transpose(dims)


def cast(g: Array, dtype: np.dtype) -> Array:
    return g.to(dtype) if isinstance(g, Tensor) else g.astype(dtype)


def zeros_like(g: Array) -> Array:
    return Tensor._wrap(np.zeros(g.shape, g.dtype)) if isinstance(g, Tensor) else np.zeros_like(g)


# Elementwise functions for the backward formulas: numpy's on arrays, the tensor's own op (which
# records itself) on tensors.


def exp(a: Array) -> Array:
    return a.exp() if isinstance(a, Tensor) else np.exp(a)


def log(a: Array) -> Array:
    return a.log() if isinstance(a, Tensor) else np.log(a)


def sqrt(a: Array) -> Array:
    return a.sqrt() if isinstance(a, Tensor) else np.sqrt(a)


def sin(a: Array) -> Array:
    return a.sin() if isinstance(a, Tensor) else np.sin(a)


def cos(a: Array) -> Array:
    return a.cos() if isinstance(a, Tensor) else np.cos(a)


def sinh(a: Array) -> Array:
    return a.sinh() if isinstance(a, Tensor) else np.sinh(a)


def cosh(a: Array) -> Array:
    return a.cosh() if isinstance(a, Tensor) else np.cosh(a)


def where(condition: np.ndarray, a: Array, b: Array) -> Array:
    """a where `condition` (a constant mask) holds, else b; a or b may be a number."""
    if isinstance(a, Tensor):
        return a.where(Tensor._wrap(np.asarray(condition)), b)
    if isinstance(b, Tensor):
        return b.where(Tensor._wrap(~np.asarray(condition)), a)
    return np.where(condition, a, b)


def cumsum(a: Array, dim: int) -> Array:
    return a.cumsum(dim) if isinstance(a, Tensor) else np.cumsum(a, axis=dim)


def flip(a: Array, dims: tuple[int, ...]) -> Array:
    return a.flip(dims) if isinstance(a, Tensor) else np.flip(a, dims)


def roll(a: Array, shifts: tuple[int, ...], dims: tuple[int, ...]) -> Array:
    return a.roll(shifts, dims) if isinstance(a, Tensor) else np.roll(a, shifts, dims)


def constant(a: Array) -> np.ndarray:
    """The values of `a` as a plain array: for masks and signs, which have no derivative."""
    return a._data if isinstance(a, Tensor) else a


# Domains: outside their domain, division, pow, exp, log and sqrt give inf or nan (1/0, log 0,
# √-1), as in PyTorch, and silently: a numpy warning pointing into this file would tell the user
# nothing about their own code. detect_anomaly() finds the first nan or inf gradient instead.
def quiet() -> np.errstate:
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


def power(a: Array, p: float) -> Array:
    """a ** p, quietly where that leaves the domain (0 ** -1 = inf, (-1) ** 0.5 = nan)."""
    if p == 1:
        return a
    if p >= 0 and p % 1 == 0:
        return a**p  # a², a³, ...: repeated products, defined everywhere
    with quiet():
        return a**p
