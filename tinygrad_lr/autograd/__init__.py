"""`tinygrad_lr.autograd`: PyTorch's `torch.autograd` names.

* `grad(outputs, inputs)`: the gradients of outputs with respect to inputs, returned rather than
  added into `.grad`; with `create_graph=True` they carry a graph of their own, so that they can
  be differentiated again (second derivatives, Hessians, Newton's method).
* `backward(tensors)`: `Tensor.backward` for several outputs at once.
* `functional`: `jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp`.
* `gradcheck`, `gradgradcheck`: autograd's first and second derivatives against finite
  differences.
* `Variable`: PyTorch's legacy wrapper; `Variable(t)` is a new leaf sharing `t`'s memory.
* `Function`: an op you write, forward and backward on tensors, as in PyTorch.
* grad mode and anomaly mode.

The engine itself is `tinygrad_lr/core/engine.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.engine import (
    detect_anomaly,
    enable_grad,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    run_backward,
    set_detect_anomaly,
    set_grad_enabled,
)
from ..core.tensor import Tensor, initial_gradient
from . import functional
from .checks import GradcheckError, gradcheck, gradgradcheck
from .function import Function
from .variable import Variable

Tensors = Tensor | Sequence[Tensor]


def grad(outputs: Tensors, inputs: Tensors, grad_outputs: Any = None,
         retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool | None = None, materialize_grads: bool = False
         ) -> tuple[Tensor | None, ...]:  # fmt: skip
    """The gradients of `outputs` with respect to each of `inputs`, returned as a tuple.

    Unlike `Tensor.backward`, nothing is added into any `.grad`: the gradients are returned.
    With `create_graph=True` they carry a graph of their own and require grad, so that they can
    be differentiated again (second derivatives, Hessians, Newton's method).

    Args:
        outputs: the tensor (or tensors) to differentiate.
        inputs: the tensor (or tensors) to differentiate with respect to; each must require
            grad.
        grad_outputs: dL/d(output) for each output, of its shape; it may be left out (or None)
            for an output of one element, which then starts from 1.
        retain_graph: keep the graph for another backward pass; defaults to `create_graph`.
        create_graph: record the backward pass, so that the gradients can be differentiated.
        allow_unused: allow an input that the outputs do not depend on (its gradient is None);
            without it that is an error.
        materialize_grads: give such an input zeros instead of None.

    Returns:
        One gradient per input, with the input's shape (None for an unused input).

    Raises:
        RuntimeError: when an input does not require grad, or is not used and `allow_unused`
            is not set.

    Examples:
        >>> x = tinygrad_lr.tensor(3.0, requires_grad=True)
        >>> (dy,) = grad(x ** 3, x, create_graph=True)     # 3x² = 27, with a graph
        >>> grad(dy, x)                                    # 6x = 18
        (tensor(18.),)
    """
    outputs, inputs = _tensors(outputs, "outputs"), _tensors(inputs, "inputs")
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads "
                         "is True, but got allow_unused=False")
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _starting_gradients(outputs, grad_outputs, create_graph, "grad_outputs")
    keep = create_graph if retain_graph is None else retain_graph
    found = run_backward(outputs, grads, retain_graph=keep, create_graph=create_graph,
                         inputs=inputs)  # fmt: skip
    result = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")  # fmt: skip
            result.append(Tensor._wrap(_zeros_like(t)) if materialize_grads else None)
        else:
            result.append(g if isinstance(g, Tensor) else Tensor._wrap(g.astype(t.dtype)))
    return tuple(result)


def backward(tensors: Tensors, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:  # fmt: skip
    """`Tensor.backward` for several outputs at once: their gradients add up in the leaves.

    Args:
        tensors: the output tensor (or tensors) to start from.
        grad_tensors: dL/d(output) for each of them, of its shape; it may be left out for an
            output of one element, which then starts from 1.
        retain_graph: keep the graph for another backward pass; defaults to `create_graph`.
        create_graph: record the backward pass, so that the gradients can be differentiated.

    Examples:
        >>> w = tinygrad_lr.tensor(2.0, requires_grad=True)
        >>> backward([w * 3, w ** 2])                     # 3 + 2w
        >>> w.grad
        tensor(7.)
    """
    tensors = _tensors(tensors, "tensors")
    grads = _starting_gradients(tensors, grad_tensors, create_graph, "grad_tensors")
    keep = create_graph if retain_graph is None else retain_graph
    run_backward(tensors, grads, retain_graph=keep, create_graph=create_graph)


def _tensors(value: Any, what: str) -> tuple[Tensor, ...]:
    items = (value,) if isinstance(value, Tensor) else value
    try:
        items = tuple(items)
    except TypeError:
        raise TypeError(f"{what} must be a Tensor or a sequence of Tensors, not "
                        f"{type(value).__name__}") from None
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"{what}[{i}] must be a Tensor, not {type(t).__name__}")
    if not items:
        raise RuntimeError(f"{what} must not be empty")
    return items


def _starting_gradients(outputs: tuple[Tensor, ...], given: Any, create_graph: bool,
                        what: str) -> list[Any]:  # fmt: skip
    """dL/d(output) for each output: 1 for a one-element output left out, else the given one."""
    if given is None or isinstance(given, Tensor):
        given = [given] * len(outputs) if given is None else [given]
    given = list(given)
    if len(given) != len(outputs):
        raise RuntimeError(f"{what} should be a sequence of length {len(outputs)} (one per "
                           f"output), but got {len(given)}")
    grads = []
    for i, (out, g) in enumerate(zip(outputs, given)):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have "
                               "a grad_fn")
        grads.append(initial_gradient(out, g, create_graph, f"grad({what}=...)",
                                      f"{what[:-1]}[{i}]", f"output[{i}]"))
    return grads


def _zeros_like(t: Tensor) -> Any:
    import numpy as np

    return np.zeros(t.shape, t.dtype)


__all__ = [
    "Function", "GradcheckError", "backward", "detect_anomaly", "enable_grad", "functional",
    "grad", "gradcheck", "gradgradcheck", "is_anomaly_check_nan_enabled", "is_anomaly_enabled",
    "is_grad_enabled", "no_grad", "set_detect_anomaly", "set_grad_enabled", "Variable",
]  # fmt: skip
