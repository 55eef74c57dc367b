"""`gradcheck` and `gradgradcheck`: autograd's derivatives against finite differences.

For f: inputs -> outputs, the analytical Jacobian comes from one backward pass per output element
(with a one-hot output gradient); the numerical one from central differences,
∂f/∂x ≈ (f(x + ε) - f(x - ε)) / 2ε, whose error is O(ε²). Both need float64: in float32 the
difference quotient is dominated by rounding.

`gradgradcheck` checks second derivatives the same way: it runs `gradcheck` on the function that
computes the gradient itself (with `create_graph=True`), so that autograd must differentiate its
own backward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.engine import enable_grad, no_grad
from ..core.tensor import Tensor


class GradcheckError(RuntimeError):
    """Autograd and finite differences disagree: raised by `gradcheck` and `gradgradcheck`.

    The message names the output, the input, the element and both values.
    """


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def gradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True) -> bool:  # fmt: skip
    """Check `fn`'s autograd gradients against central finite differences, for every input.

    Each element of the Jacobian is compared with (f(x + ε) - f(x - ε)) / 2ε. An output that
    does not require grad is taken to have a zero derivative, which the finite differences must
    confirm. No `.grad` is changed.

    Args:
        fn: the function to check, of the inputs; it returns a tensor or a tuple of tensors.
        inputs: a tensor or a sequence of them (other values are passed through to `fn`); the
            tensors with `requires_grad=True` are checked, and must be float64.
        eps: the finite-difference step ε.
        atol: the absolute tolerance: an element agrees when |analytical - numerical| is at
            most atol + rtol·|numerical|.
        rtol: the relative tolerance.
        raise_exception: raise `GradcheckError` on a mismatch (True), or return False.

    Returns:
        True when every element agrees (False on a mismatch, with `raise_exception=False`).

    Raises:
        GradcheckError: on a mismatch, naming the output, the input, the element and both
            values (unless `raise_exception=False`).
        ValueError: when no input requires grad, or one that does is not float64.

    Examples:
        >>> x = tinygrad_lr.rand(3, dtype=tinygrad_lr.float64, requires_grad=True)
        >>> gradcheck(lambda x: (x * x.exp()).sum(), x)
        True
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
    for j, out in enumerate(outputs):
        if not isinstance(out, Tensor) or out.dtype.kind != "f":
            continue
        analytical = _analytical(out, [inputs[i] for i in checked])
        for a_jac, i in zip(analytical, checked):
            n_jac = _numerical(fn, inputs, i, j, out.shape, eps)
            bad = np.abs(a_jac - n_jac) > atol + rtol * np.abs(n_jac)
            if bad.any():
                if not raise_exception:
                    return False
                raise _mismatch(j, i, inputs[i].shape, out.shape, bad, n_jac, a_jac)
    return True


def _mismatch(j: int, i: int, in_shape: tuple, out_shape: tuple, bad: np.ndarray,
              n_jac: np.ndarray, a_jac: np.ndarray) -> GradcheckError:  # fmt: skip
    k, m = np.argwhere(bad)[0]
    in_idx = tuple(int(v) for v in np.unravel_index(k, in_shape)) if in_shape else ()
    out_idx = tuple(int(v) for v in np.unravel_index(m, out_shape)) if out_shape else ()
    return GradcheckError(
        f"Jacobian mismatch for output {j} with respect to input {i}, at input index {in_idx} "
        f"and output index {out_idx}: numerical: {float(n_jac[k, m])!r} analytical: "
        f"{float(a_jac[k, m])!r}"
    )


def _analytical(out: Tensor, xs: Sequence[Tensor]) -> list[np.ndarray]:
    # Column m of the Jacobian of input x: d out[m] / d x, from a backward with a one-hot
    # gradient. (An output that does not require grad has a zero Jacobian.)
    from . import grad

    jacs = [np.zeros((x.numel(), out.numel())) for x in xs]
    if not out.requires_grad:
        return jacs
    for m in range(out.numel()):
        onehot = np.zeros(out.numel(), dtype=out.dtype)
        onehot[m] = 1
        found = grad(out, xs, Tensor._wrap(onehot.reshape(out.shape)), retain_graph=True,
                     allow_unused=True)  # fmt: skip
        for jac, g in zip(jacs, found):
            if g is not None:
                jac[:, m] = g.detach().numpy().reshape(-1)
    return jacs


def _numerical(fn: Callable[..., Any], inputs: tuple, i: int, j: int,
               out_shape: tuple[int, ...], eps: float) -> np.ndarray:  # fmt: skip
    x = inputs[i]
    jac = np.zeros((x.numel(), int(np.prod(out_shape))))
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


def gradgradcheck(fn: Callable[..., Any], inputs: Any, grad_outputs: Any = None,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True, seed: int = 0) -> bool:  # fmt: skip
    """Check `fn`'s second derivatives against finite differences of its first derivatives.

    The function checked is (inputs, v) -> vᵀ·∂fn/∂inputs, the gradient computed by autograd
    with `create_graph=True` for the output gradients v: differentiating it with respect to the
    inputs gives the second derivatives, and with respect to v the first ones again.

    Args:
        fn: the function to check, of the inputs; it returns a tensor or a tuple of tensors.
        inputs: a tensor or a sequence of them, as for `gradcheck` (float64 where they require
            grad).
        grad_outputs: the output gradients v, one per output that requires grad; random
            float64 ones by default.
        eps: the finite-difference step ε.
        atol: the absolute tolerance: an element agrees when |analytical - numerical| is at
            most atol + rtol·|numerical|.
        rtol: the relative tolerance.
        raise_exception: raise `GradcheckError` on a mismatch (True), or return False.
        seed: the seed of the random `grad_outputs`.

    Returns:
        True when every element agrees (False on a mismatch, with `raise_exception=False`).

    Raises:
        GradcheckError: on a mismatch (unless `raise_exception=False`).

    Examples:
        >>> x = tinygrad_lr.rand(3, dtype=tinygrad_lr.float64, requires_grad=True)
        >>> gradgradcheck(lambda x: (x ** 3).sum(), x)
        True
    """
    from . import grad

    inputs = _as_tuple(inputs)
    outputs = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor) and o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [Tensor(rng.standard_normal(o.shape), dtype=np.float64,
                               requires_grad=True) for o in outputs]  # fmt: skip
    grad_outputs = list(_as_tuple(grad_outputs))
    n = len(inputs)

    def first_derivatives(*args: Any) -> tuple:
        with enable_grad():  # (also while gradcheck evaluates it under no_grad)
            outs = [o for o in _as_tuple(fn(*args[:n]))
                    if isinstance(o, Tensor) and o.requires_grad]  # fmt: skip
            xs = [a for a in args[:n] if isinstance(a, Tensor) and a.requires_grad]
            found = grad(outs, xs, list(args[n:]), create_graph=True, allow_unused=True)
        return tuple(g for g in found if g is not None)

    return gradcheck(first_derivatives, (*inputs, *grad_outputs), eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception)  # fmt: skip

