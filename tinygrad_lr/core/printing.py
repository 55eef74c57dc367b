"""How a tensor prints, in PyTorch's style: `tensor([[2.0361]], requires_grad=True)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .args import fmt

_DEFAULT_DTYPES = (np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.bool_))


def node_name(node: Any) -> str:
    """A node's class name as PyTorch prints it: MulBackward0 (the 0 is PyTorch's formula count)."""
    return node.node_name()


def format_tensor(t: Any) -> str:
    """repr(t): the values, then what differs from the defaults (dtype, grad_fn, requires_grad)."""
    arr = t._data
    extras = []
    if arr.size == 0 and arr.ndim != 1:
        extras.append(f"size={fmt(arr.shape)}")
    if arr.dtype not in _DEFAULT_DTYPES:
        extras.append(f"dtype={arr.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{node_name(t.grad_fn)}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    if t.name:
        extras.append(f"name={t.name!r}")
    return "tensor(" + format_array(arr) + "".join(", " + e for e in extras) + ")"


def format_array(arr: np.ndarray) -> str:
    """The values as PyTorch prints them: 4 decimals, integral floats as "2.", wide ranges in
    scientific notation, long arrays shortened with "..."."""
    if arr.dtype.kind != "f":
        return np.array2string(arr, separator=", ", prefix="tensor(", threshold=1000, edgeitems=3)
    number = _float_format(arr)
    # The column width comes from the nonzero finite values only (as in PyTorch): a nan or -0.
    # among integral values does not widen the others.
    shown = arr[np.isfinite(arr) & (arr != 0)]
    width = max((len(number(float(v))) for v in shown), default=1) if arr.size <= 1000 else 10
    return np.array2string(
        arr, separator=", ", prefix="tensor(", threshold=1000, edgeitems=3,
        formatter={"float_kind": lambda v: number(float(v)).rjust(width)},
    )  # fmt: skip


def _float_format(arr: np.ndarray) -> Callable[[float], str]:
    finite = arr[np.isfinite(arr)]
    nonzero = np.abs(finite[finite != 0])
    big = float(nonzero.max()) if nonzero.size else 0.0
    small = float(nonzero.min()) if nonzero.size else 1.0
    # PyTorch's rule: scientific notation when the values span more than three decades or one
    # exceeds 1e8, or (for non-integral values) one is below 1e-4.
    wide = big > 1e8 or big > 1000 * small
    if np.all(finite == np.round(finite)) and not wide:
        spec = "{:.0f}."  # integral floats print as "2."
    elif wide or small < 1e-4:
        spec = "{:.4e}"
    else:
        spec = "{:.4f}"
    return lambda v: _special(v) or spec.format(v)


def _special(v: float) -> str | None:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None
