"""Small programs run under tinygrad_lr and under PyTorch, compared value by value and gradient
by gradient. A program is `fn(lib, *tensors)` with its input arrays: floating inputs require grad.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Program = tuple[Callable[..., Any], list[np.ndarray]]


def run(lib: Any, program: Program) -> tuple[list[np.ndarray], list[Any]]:
    """The program's outputs as arrays, and each input's gradient (None where it got none)."""
    fn, arrays = program
    inputs = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    out = fn(lib, *inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    values = [o.detach().numpy().copy() for o in outs]
    wanted = [o for o in outs if o.requires_grad]
    if wanted:
        # L = Σ w·out with fixed weights, so that each output element gets its own gradient.
        total = sum((o * lib.tensor(np.cos(np.arange(o.numel())).reshape(tuple(o.shape)))).sum()
                    for o in wanted)  # fmt: skip
        total.backward()
    return values, [None if x.grad is None else x.grad.numpy() for x in inputs]


def assert_same_as_pytorch(ours_lib: Any, torch: Any, program: Program, name: str) -> None:
    """The same outputs (shape, dtype, values) and the same gradients, to 1e-10."""
    ours, our_grads = run(ours_lib, program)
    theirs, their_grads = run(torch, program)
    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs):
        assert mine.shape == reference.shape and mine.dtype == reference.dtype, name
        np.testing.assert_allclose(mine, reference, rtol=1e-10, atol=1e-12, err_msg=name)
    for mine, reference in zip(our_grads, their_grads):
        assert (mine is None) == (reference is None), name
        if mine is not None:
            np.testing.assert_allclose(mine, reference, rtol=1e-10, atol=1e-12, err_msg=name)
