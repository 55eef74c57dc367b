"""`gradcheck`: compare autograd's gradients with finite differences.

For f: inputs -> outputs, the analytical Jacobian comes from one backward pass per output element
(with a one-hot output gradient); the numerical one from central differences,
∂f/∂x ≈ (f(x + ε) - f(x - ε)) / 2ε, whose error is O(ε²). Both need float64: in float32 the
difference quotient is dominated by rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.engine import no_grad
from ..core.tensor import Tensor


class GradcheckError(RuntimeError):
    """Autograd and finite differences disagree."""


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def gradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True) -> bool:  # fmt: skip
    """True when fn's autograd gradients match central finite differences for every input.

    `inputs` is a Tensor or a sequence of them (other values are passed through); those with
    `requires_grad=True` are checked and must be float64. A mismatch raises `GradcheckError`
    naming the output, the input, the element and both values (or returns False when
    `raise_exception=False`).
    """
    inputs = _as_tuple(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck(): none of the inputs is a Tensor with requires_grad=True")
    for i in checked:
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"gradcheck(): input {i} requires grad but is {inputs[i].dtype}; finite "
                "differences need float64 (make it with dtype=float64 or call .double())"
            )
    outputs = _as_tuple(fn(*inputs))
    saved_grads = [inputs[i]._grad for i in checked]
    try:
        for j, out in enumerate(outputs):
            if not isinstance(out, Tensor) or not out.requires_grad:
                continue
            analytical = _analytical(out, [inputs[i] for i in checked])
            for a_jac, i in zip(analytical, checked):
                n_jac = _numerical(fn, inputs, i, j, out.shape, eps)
                bad = np.abs(a_jac - n_jac) > atol + rtol * np.abs(n_jac)
                if bad.any():
                    k, m = np.argwhere(bad)[0]
                    in_idx = np.unravel_index(k, inputs[i].shape) if inputs[i].ndim else ()
                    out_idx = np.unravel_index(m, out.shape) if out.ndim else ()
                    if not raise_exception:
                        return False
                    raise GradcheckError(
                        f"Jacobian mismatch for output {j} with respect to input {i}, at input "
                        f"index {tuple(int(v) for v in in_idx)} and output index "
                        f"{tuple(int(v) for v in out_idx)}: numerical: {float(n_jac[k, m])!r} "
                        f"analytical: {float(a_jac[k, m])!r}"
                    )
    finally:
        for i, g in zip(checked, saved_grads):
            inputs[i]._grad = g
    return True


def _analytical(out: Tensor, xs: Sequence[Tensor]) -> list[np.ndarray]:
    # Column m of the Jacobian of input x: d out[m] / d x, from a backward with a one-hot gradient.
    jacs = [np.zeros((x.numel(), out.numel())) for x in xs]
    for m in range(out.numel()):
        for x in xs:
            x._grad = None
        onehot = np.zeros(out.numel(), dtype=out.dtype)
        onehot[m] = 1
        out.backward(onehot.reshape(out.shape), retain_graph=True)
        for jac, x in zip(jacs, xs):
            if x._grad is not None:
                jac[:, m] = x._grad._data.reshape(-1)
    return jacs


def _numerical(fn: Callable[..., Any], inputs: tuple, i: int, j: int,
               out_shape: tuple[int, ...], eps: float) -> np.ndarray:  # fmt: skip
    x = inputs[i]
    jac = np.zeros((x._data.size, int(np.prod(out_shape))))
    with no_grad():
        # Perturb x's array itself, element by element in row-major order (the order of the
        # analytical Jacobian's rows). reshape(-1) would be a copy, not a view, for a
        # non-contiguous input (a transpose), and the perturbation would be lost.
        array = x._data
        for k, idx in enumerate(np.ndindex(array.shape)):
            orig = array[idx]
            array[idx] = orig + eps
            plus = _as_tuple(fn(*inputs))[j]._data.astype(np.float64)
            array[idx] = orig - eps
            minus = _as_tuple(fn(*inputs))[j]._data.astype(np.float64)
            array[idx] = orig
            jac[k] = ((plus - minus) / (2 * eps)).reshape(-1)
    return jac
