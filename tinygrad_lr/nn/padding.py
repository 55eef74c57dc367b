"""`pad` (`nn.functional.pad`): widen or crop the last dimensions of a tensor.

Every mode is composed of ops that already exist: slicing (`narrow`, which crops and picks the
edges), `flip`, `expand` and `cat` with constant blocks. So the gradient is theirs: each output
element sends its gradient back to the element it copies (several copies add up), and the
constant border sends nothing back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.args import fmt
from ..core.args import tensor_arg as _tensor_arg
from ..core.functions import cat
from ..core.tensor import Tensor

_MODES = ("constant", "reflect", "replicate", "circular")
_SIDES = "WHD"  # PyTorch's names of the last three dimensions in its messages


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:  # noqa: A002
    """Pad (or, with negative sizes, crop) the last dimensions of `input`.

    `pad` lists (left, right) pairs starting from the last dimension: (1, 2) adds one element
    before and two after along the last dimension; (1, 1, 2, 0) also adds two rows on top. The
    modes, for a row [a, b, c] padded by (2, 2):

        constant   v v a b c v v     (value v, 0 by default)
        reflect    c b a b c b a     (mirrored at the edges, the edge not repeated)
        replicate  a a a b c c c     (the edge element repeated)
        circular   b c a b c a b     (wrapped around)

    The constant mode pads any number of dimensions; the others pad the last 1, 2 or 3, of a
    tensor with one or two more dimensions (a batch), as in PyTorch.

    Args:
        input: the tensor.
        pad: a tuple of ints, (left, right) for the last dimension, then for the one before,
            ...; negative sizes crop.
        mode: 'constant', 'reflect', 'replicate' or 'circular'.
        value: the constant mode's fill value (0 when None), cast to the input's dtype.

    Returns:
        A new tensor, of input's dtype; its gradient flows back to the elements it copies.

    Raises:
        RuntimeError: for an odd number of pad sizes, more pairs than dimensions, a reflection
            as wide as its dimension, or a value with a mode other than 'constant'.
        NotImplementedError: for an unknown mode, or a number of padded dimensions the mode
            does not support for the input's dimensions.
        TypeError: for sizes that are not ints.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> x = tinygrad_lr.tensor([[1.0, 2.0, 3.0]])
        >>> F.pad(x, (1, 2))
        tensor([[0., 1., 2., 3., 0., 0.]])
        >>> F.pad(x, (2, 2), mode="reflect")
        tensor([[3., 2., 1., 2., 3., 2., 1.]])
        >>> F.pad(x, (-1, 1, 1, 0), value=9.0)
        tensor([[9., 9., 9.],
                [2., 3., 9.]])
    """
    x = _tensor_arg(input, "pad", "input")
    sizes = _sizes(pad)
    if len(sizes) % 2:
        raise RuntimeError(f"Padding length must be divisible by 2 (got {len(sizes)} sizes: "
                           f"{sizes})")
    if len(sizes) // 2 > x.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(sizes)} and input of "
                           f"dimension {x.ndim}")
    # (dim, left, right) for each padded dimension, the last one first.
    pairs = [(x.ndim - 1 - i, sizes[2 * i], sizes[2 * i + 1]) for i in range(len(sizes) // 2)]
    if mode == "constant":
        if value is not None and not isinstance(value, (int, float, np.number, np.bool_)):
            raise TypeError(f"pad(): argument 'value' (position 4) must be float, not "
                            f"{type(value).__name__}")
        out = _constant(x, pairs, 0 if value is None else value)
    else:
        _check_mode(x, pairs, mode, value)
        out = x
        for d, left, right in pairs:
            out = _PADDERS[mode](out, d, left, right)
    return x.clone() if out is x else out  # a new tensor, as PyTorch's, even for no padding


def _sizes(pad: Any) -> tuple[int, ...]:
    if not isinstance(pad, (tuple, list)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad).__name__}")
    for i, size in enumerate(pad):
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but "
                            f"found element of type {type(size).__name__} at pos {i}")
    return tuple(int(size) for size in pad)


def _constant(x: Tensor, pairs: list[tuple[int, int, int]], value: Any) -> Tensor:
    # Negative sizes crop: one slice of what is kept. Then each dimension gets its blocks of
    # the value, which need no gradient: cat sends the gradient of x's part back to x.
    key = [slice(None)] * x.ndim
    for d, left, right in pairs:
        n = x.shape[d]
        start, stop = max(-left, 0), n - max(-right, 0)
        if stop < start:
            raise RuntimeError(f"narrow(): length must be non-negative: padding ({left}, "
                               f"{right}) crops {start + n - stop} elements from dimension {d} "
                               f"of size {n} (input of shape {fmt(x.shape)})")
        key[d] = slice(start, stop)
    out = x[tuple(key)] if any(left < 0 or right < 0 for _, left, right in pairs) else x
    for d, left, right in pairs:
        blocks = [out]
        for side, size in ((0, left), (1, right)):
            if size > 0:
                shape = list(out.shape)
                shape[d] = size
                fill = Tensor._wrap(np.full(shape, value, dtype=out.dtype))
                blocks.insert(side * len(blocks), fill)
        out = cat(blocks, d) if len(blocks) > 1 else out
    return out


def _check_mode(x: Tensor, pairs: list[tuple[int, int, int]], mode: str, value: Any) -> None:
    """PyTorch's rules for the modes that copy the input's own elements."""
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode} (the modes are "
                                  f"{', '.join(_MODES)})")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pairs)
    if not 1 <= k <= 3 or x.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {2 * k} is not supported for {x.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    if mode != "circular" and 0 in x.shape[x.ndim - k - 1:]:  # only a batch may be empty
        raise RuntimeError(f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 "
                           f"batch size and other non-zero dimensions for input, but got: "
                           f"{list(x.shape)}")
    for i, (d, left, right) in enumerate(pairs):
        n = x.shape[d]
        if mode == "reflect" and (left >= n or right >= n):
            raise RuntimeError(f"Argument #{4 + 2 * i}: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({left}, "
                               f"{right}) at dimension {d} of input {list(x.shape)}")
        if mode == "circular" and (left > n or right > n):
            raise RuntimeError(f"Padding value causes wrapping around more than once. (padding "
                               f"({left}, {right}) at dimension {d} of size {n})")
        if mode != "circular" and n + left + right < 1:
            raise RuntimeError(f"input ({_SIDES[i]}: {n}) is too small. Calculated output "
                               f"{_SIDES[i]}: {n + left + right}")


def _join(x: Tensor, d: int, before: Tensor | None, after: Tensor | None) -> Tensor:
    blocks = [b for b in (before, x, after) if b is not None]
    return cat(blocks, d) if len(blocks) > 1 else x


def _crop(x: Tensor, d: int, left: int, right: int) -> Tensor:
    """x without its first -left and last -right elements along d, where those are negative."""
    start, stop = max(-left, 0), x.shape[d] - max(-right, 0)
    return x.narrow(d, start, stop - start) if (start, stop) != (0, x.shape[d]) else x


def _reflect(x: Tensor, d: int, left: int, right: int) -> Tensor:
    # The mirror image of the elements next to each edge, the edge element itself not repeated:
    # for [a, b, c, d], left 2 is [c, b] and right 2 is [c, b].
    n = x.shape[d]
    before = x.narrow(d, 1, left).flip(d) if left > 0 else None
    after = x.narrow(d, n - 1 - right, right).flip(d) if right > 0 else None
    return _crop(_join(x, d, before, after), d, left, right)


def _replicate(x: Tensor, d: int, left: int, right: int) -> Tensor:
    # The edge element, copied (expand: its gradient is the sum over its copies).
    n = x.shape[d]

    def edge(start: int, size: int) -> Tensor | None:
        if size <= 0:
            return None
        sizes = list(x.shape)
        sizes[d] = size
        return x.narrow(d, start, 1).expand(*sizes)

    return _crop(_join(x, d, edge(0, left), edge(n - 1, right)), d, left, right)


def _circular(x: Tensor, d: int, left: int, right: int) -> Tensor:
    # Crop first (PyTorch's order), then wrap: the left border is the end of what is left, and
    # the right border its start.
    x = _crop(x, d, left, right)
    n = x.shape[d]
    before = x.narrow(d, n - left, left) if left > 0 else None
    after = x.narrow(d, 0, right) if right > 0 else None
    return _join(x, d, before, after)


_PADDERS = {"reflect": _reflect, "replicate": _replicate, "circular": _circular}

__all__ = ["pad"]
