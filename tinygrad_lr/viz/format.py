"""How numbers, shapes and op details are written on graph nodes, in pictures and in text alike.

One rule for every value shown (data or gradient): a tensor of at most `SMALL` elements is shown
in full, each number to 4 significant digits; a bigger one by its shape and its norm, because a
wall of numbers teaches nothing and the norm still says "how big is this gradient".
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Tensors with at most this many elements have their values printed on the node.
SMALL = 6


def format_shape(shape: tuple[int, ...]) -> str:
    """(4, 1) -> "(4, 1)", () -> "()", (3,) -> "(3,)": Python's own tuple notation."""
    return str(tuple(int(s) for s in shape))


def format_number(value: Any) -> str:
    """A number to 4 significant digits ("0.5", "-12.35", "1e-08", "nan"); bools, ints whole."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return f"{float(value):.4g}"


def format_values(array: np.ndarray) -> str:
    """The values of a small array as nested brackets, e.g. "[[1.5], [-2]]"; "0.5" for a 0-d one.

    Written with an explicit stack of pending pieces rather than recursion, like every walk here.
    """
    array = np.asarray(array)
    if array.ndim == 0:
        return format_number(array.item())
    pieces: list[str] = []
    # Each entry: either ("text", s) to emit, or ("array", a) to expand into "[" items "]".
    stack: list[tuple[str, Any]] = [("array", array)]
    while stack:
        kind, item = stack.pop()
        if kind == "text":
            pieces.append(item)
        elif item.ndim == 0:
            pieces.append(format_number(item.item()))
        else:
            todo: list[tuple[str, Any]] = [("text", "[")]
            for i in range(item.shape[0]):
                if i:
                    todo.append(("text", ", "))
                todo.append(("array", item[i]))
            todo.append(("text", "]"))
            stack.extend(reversed(todo))
    return "".join(pieces)


def describe_array(array: np.ndarray) -> str:
    """Values for a small array, else "shape (100, 3), norm 12.35" (the 2-norm of all elements)."""
    array = np.asarray(array)
    if array.size <= SMALL:
        return format_values(array)
    if array.dtype.kind in "fc":
        norm = format_number(float(np.linalg.norm(array.ravel())))
    else:
        norm = format_number(float(np.linalg.norm(array.ravel().astype(np.float64))))
    return f"shape {format_shape(array.shape)}, norm {norm}"


def op_detail(fn: Any) -> str:
    """What an op node needs besides its name to be read: pow's exponent, the summed dims, ...

    Shapes are not repeated here: the tensors on either side of the op show them.
    """
    name = fn.name
    attrs = getattr(fn, "__dict__", {})
    if name == "pow" and "exponent" in attrs:
        return f"p = {format_number(attrs['exponent'])}"
    if name in ("sum", "mean") and "dims" in attrs:
        dims, in_shape = attrs["dims"], attrs.get("in_shape", ())
        keep = ", keepdim" if attrs.get("keepdim") else ""
        if len(dims) == len(in_shape):
            return f"all dims{keep}"
        shown = dims[0] if len(dims) == 1 else tuple(dims)
        return f"dim = {shown}{keep}"
    if name in ("permute", "transpose") and "dims" in attrs:
        return f"dims = {tuple(int(d) for d in attrs['dims'])}"
    if name == "index" and "key" in attrs:
        return f"[{_format_key(attrs['key'])}]"
    return ""


def _format_key(key: Any) -> str:
    # x[0, 1:3] is recorded with key (0, slice(1, 3)); write it back the way it was typed.
    parts = key if isinstance(key, tuple) else (key,)
    out = []
    for k in parts:
        if isinstance(k, slice):
            start = "" if k.start is None else str(k.start)
            stop = "" if k.stop is None else str(k.stop)
            out.append(f"{start}:{stop}" + ("" if k.step is None else f":{k.step}"))
        elif k is None:
            out.append("None")
        elif k is Ellipsis:
            out.append("...")
        elif isinstance(k, np.ndarray):
            out.append(format_values(k) if k.size <= SMALL else f"<array {format_shape(k.shape)}>")
        else:
            out.append(str(k))
    return ", ".join(out)
