"""Hypothesis strategies shared by the tests: shapes, broadcastable shape pairs, float64 arrays.

Sizes stay small (at most 3 per dimension, 3 dimensions): gradcheck costs one backward pass per
output element and two forward passes per input element, and small shapes already reach every
code path (size-1 dimensions, broadcasting, 0-d tensors). Values stay moderate (|x| <= 3) so that
central differences with eps = 1e-6 are accurate to far better than gradcheck's tolerance.
"""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_lr as t

MAX_SIDE = 3
MAX_DIMS = 3

#: The settings of every property test: few examples (the suite must stay fast), no deadline
#: (a first call may be slow while numpy warms up).
FEW = settings(max_examples=20, deadline=None)


def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 1,
           max_side: int = MAX_SIDE) -> st.SearchStrategy[tuple[int, ...]]:  # fmt: skip
    """Array shapes, 0-d included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)  # fmt: skip


Shape = tuple[int, ...]


def broadcastable_pairs(min_dims: int = 0, max_dims: int = MAX_DIMS
                        ) -> st.SearchStrategy[tuple[Shape, Shape]]:  # fmt: skip
    """Two shapes that numpy broadcasts together (equal shapes, size-1 stretching, fewer dims)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=min_dims, max_dims=max_dims, max_side=MAX_SIDE
    ).map(lambda b: b.input_shapes)


def float64_arrays(shape: tuple[int, ...], low: float = -3.0, high: float = 3.0
                   ) -> st.SearchStrategy[np.ndarray]:  # fmt: skip
    """float64 arrays of `shape` with values in [low, high]."""
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, width=64))


def positive_arrays(shape: tuple[int, ...], low: float = 0.5, high: float = 3.0
                    ) -> st.SearchStrategy[np.ndarray]:  # fmt: skip
    """float64 arrays with values in [low, high] > 0: inputs for log, sqrt and fractional pow."""
    return float64_arrays(shape, low, high)


def nonzero_arrays(shape: tuple[int, ...], gap: float = 0.5, high: float = 3.0
                   ) -> st.SearchStrategy[np.ndarray]:  # fmt: skip
    """float64 arrays with gap <= |x| <= high, either sign: divisors, negative powers, and relu
    inputs (kept away from its kink at 0, where the finite difference straddles two slopes)."""
    magnitude = st.floats(gap, high, width=64)
    return hnp.arrays(np.float64, shape, elements=st.one_of(magnitude, magnitude.map(lambda v: -v)))


def leaf(array: np.ndarray, requires_grad: bool = True) -> t.Tensor:
    """A float64 leaf tensor holding a copy of `array`."""
    return t.tensor(np.array(array, dtype=np.float64), requires_grad=requires_grad)
