"""`Size`: a tensor's shape, PyTorch's `torch.Size`.

A tuple of ints in every way (it compares equal to the plain tuple, unpacks, indexes), which
prints as `Size([2, 3])` and counts its elements with `numel()`.
"""

from __future__ import annotations

import math
from typing import Any


class Size(tuple):
    """The size of each dimension of a tensor: `x.shape` and `x.size()`."""

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape has: the product of the sizes.

        Returns:
            An int.

        Examples:
            >>> tinygrad_lr.zeros(2, 3).shape.numel()
            6
        """
        return math.prod(self)

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item  # x.shape[1:] is a Size too

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))
