"""How a tensor prints, in PyTorch's style: `tensor([[2.0361]], requires_grad=True)`, and
`set_printoptions`, which changes it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .args import fmt
from .dtypes import get_default_dtype

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
    # With no values to tell an int64 from a float, an empty tensor's dtype is shown unless it is
    # the default float dtype (as in PyTorch).
    if arr.dtype not in ((get_default_dtype(),) if arr.size == 0 else _DEFAULT_DTYPES):
        extras.append(f"dtype={arr.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{node_name(t.grad_fn)}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    if t.name:
        extras.append(f"name={t.name!r}")
    return "tensor(" + format_array(arr) + "".join(", " + e for e in extras) + ")"


# How tensors print: PyTorch's `torch.set_printoptions` settings, and its three profiles.
_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}
OPTIONS: dict[str, Any] = {**_PROFILES["default"], "sci_mode": None}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:  # fmt: skip
    """Set how tensors print, as `torch.set_printoptions` does (for every tensor, from now on).

    Args:
        precision: the digits after the decimal point (4 by default).
        threshold: above this many elements a tensor prints summarized, with "..." (1000).
        edgeitems: how many elements a summarized dimension shows at each end (3).
        linewidth: the characters per line before a line wraps (80).
        profile: 'default', 'short' (2 digits, 2 edge items) or 'full' (never summarized):
            sets the four settings above at once, before any of them given with it.
        sci_mode: True for scientific notation always, False never, None (the default) to
            decide from the values. Set at every call: a call without it turns it back to None.

    Raises:
        ValueError: for a profile other than the three.

    Examples:
        >>> tinygrad_lr.set_printoptions(precision=2)
        >>> tinygrad_lr.tensor([1.0 / 3.0])
        tensor([0.33])
        >>> tinygrad_lr.set_printoptions(profile="default")
        >>> tinygrad_lr.tensor([1.0 / 3.0])
        tensor([0.3333])
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions(): profile must be one of {sorted(_PROFILES)}, "
                             f"got {profile!r}")
        OPTIONS.update(_PROFILES[profile])
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems,
             "linewidth": linewidth}  # fmt: skip
    OPTIONS.update({name: value for name, value in given.items() if value is not None})
    OPTIONS["sci_mode"] = sci_mode  # (as in PyTorch, reset to None when not given)


def format_array(arr: np.ndarray) -> str:
    """The values as PyTorch prints them: 4 decimals, integral floats as "2.", wide ranges in
    scientific notation, long arrays shortened with "..." (see `set_printoptions`)."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > OPTIONS["threshold"]
    # As in PyTorch, only the elements shown decide the format of a shortened tensor.
    shown = _edges(arr, OPTIONS["edgeitems"]) if summarize else arr
    if arr.dtype.kind == "f":
        number = _float_format(shown)
        # The column width comes from the nonzero finite values only (as in PyTorch): a nan or
        # -0. among integral values does not widen the others.
        shown = shown[np.isfinite(shown) & (shown != 0)]
    else:
        number = str
    width = max((len(number(v)) for v in shown.flat), default=1)
    return _nested(arr, len("tensor("), summarize, lambda v: number(v).rjust(width), width)


def _nested(arr: np.ndarray, indent: int, summarize: bool, number: Callable[[Any], str],
            width: int) -> str:  # fmt: skip
    """PyTorch's layout: nested brackets, as many numbers per line as `linewidth` holds, a row
    per line for a matrix, a blank line between the matrices of a 3-D tensor."""
    if arr.ndim == 0:
        return number(arr.item())
    n, edge = arr.shape[0], OPTIONS["edgeitems"]
    cut = summarize and n > 2 * edge  # the first and last `edgeitems`, with "..." between
    picked = [*range(edge), None, *range(n - edge, n)] if cut else list(range(n))
    if arr.ndim == 1:
        items = [" ..." if i is None else number(arr[i].item()) for i in picked]
        per_line = max(1, (OPTIONS["linewidth"] - indent) // (width + 2))
        lines = [", ".join(items[k:k + per_line]) for k in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = ["..." if i is None else _nested(arr[i], indent + 1, summarize, number, width)
            for i in picked]  # fmt: skip
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _edges(arr: np.ndarray, edgeitems: int) -> np.ndarray:
    """The elements a shortened tensor shows: along each long dimension, the first and the last
    `edgeitems`."""
    for axis, n in enumerate(arr.shape):
        if n > 2 * edgeitems:
            ends = np.r_[0:edgeitems, n - edgeitems:n]
            arr = arr.take(ends, axis=axis)
    return arr


def _float_format(arr: np.ndarray) -> Callable[[float], str]:
    finite = arr[np.isfinite(arr)]
    nonzero = np.abs(finite[finite != 0])
    big = float(nonzero.max()) if nonzero.size else 0.0
    small = float(nonzero.min()) if nonzero.size else 1.0
    # PyTorch's rule: scientific notation when the values span more than three decades or one
    # exceeds 1e8, or (for non-integral values) one is below 1e-4; sci_mode decides, when set.
    integral = bool(np.all(finite == np.round(finite)))
    scientific = big > 1e8 or big > 1000 * small or (not integral and small < 1e-4)
    if OPTIONS["sci_mode"] is not None:
        scientific = OPTIONS["sci_mode"]
    digits = OPTIONS["precision"]
    if scientific:
        spec = f"{{:.{digits}e}}"
    elif integral:
        spec = "{:.0f}."  # integral floats print as "2."
    else:
        spec = f"{{:.{digits}f}}"
    return lambda v: _special(float(v)) or spec.format(float(v))


def _special(v: float) -> str | None:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None
