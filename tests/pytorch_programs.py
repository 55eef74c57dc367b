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


def assert_elementwise_same_as_pytorch(torch: Any, ours_fn: Callable[[Any], Any],
                                       theirs_fn: Callable[[Any], Any], x: np.ndarray,
                                       tolerance: dict[str, float]) -> None:  # fmt: skip
    """`ours_fn` on a tinygrad_lr tensor of `x` and `theirs_fn` on a PyTorch one give the same
    values and, through Σ out², the same gradients, in each dtype of `tolerance` to its bound."""
    from tinygrad_lr import tensor

    for dtype, tol in tolerance.items():
        ours_x = tensor(x.astype(dtype), requires_grad=True)
        theirs_x = torch.tensor(x.astype(dtype), requires_grad=True)
        ours, theirs = ours_fn(ours_x), theirs_fn(theirs_x)
        (ours * ours).sum().backward()
        (theirs * theirs).sum().backward()
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=tol,
                                   atol=tol)  # fmt: skip
        np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=tol,
                                   atol=tol)  # fmt: skip
