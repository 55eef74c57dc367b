"""`nn.utils`: clipping gradients, and parameters to and from one flat vector.

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    opt.step()

Clipping by norm rescales all the gradients together, by one factor, when their joint norm is
above `max_norm`: the step keeps its direction and only gets shorter. It guards against the rare
huge gradient (a steep wall of the loss surface) that would throw the weights far away.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..core import creation
from ..core.engine import no_grad
from ..core.functions.shapes import cat, stack
from ..core.tensor import Tensor


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _vector_norm(g: Tensor, p: float) -> Tensor:
    # ‖g‖_p over all elements: (Σ|g|^p)^(1/p); its limits are max |g| (p = ∞) and min |g|
    # (p = −∞), and p = 0 counts the non-zero elements, as torch.linalg.vector_norm does.
    if p == math.inf:
        return g.abs().max()
    if p == -math.inf:
        return g.abs().min()
    if p == 0:
        return (g != 0).sum().to(g.dtype)
    return g.norm(p)


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The p-norm of all the tensors together, as if they were one long vector.

    It is the norm of their norms: for p = 2, √(Σ_i ‖t_i‖²) = √(Σ over every element of x²).

    Args:
        tensors: a tensor or an iterable of tensors (usually gradients).
        norm_type: p: a number, `float('inf')` or 'inf' for the largest |x|.
        error_if_nonfinite: raise when the norm is nan or inf.
        foreach: ignored (PyTorch picks a faster kernel with it).

    Returns:
        The norm, a 0-d tensor (0 when there are no tensors).

    Raises:
        RuntimeError: when `error_if_nonfinite` and the norm is nan or inf.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.utils.get_total_norm([tinygrad_lr.tensor([3.0]), tinygrad_lr.tensor([4.0])])
        tensor(5.)
    """
    found = _as_list(tensors)
    p = float(norm_type)
    if not found:
        return creation.tensor(0.0)
    with no_grad():
        total = _vector_norm(stack([_vector_norm(t.detach(), p) for t in found]), p)
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise RuntimeError(f"The total norm of order {p} for gradients from `parameters` is "
                           f"non-finite, so it cannot be clipped. To disable this error and "
                           f"scale the gradients by the non-finite norm anyway, set "
                           f"`error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                          total_norm: Tensor, foreach: bool | None = None) -> None:
    """Scale the gradients in place by min(1, max_norm / (total_norm + 1e-6)).

    The 1e-6 keeps the factor finite for zero gradients; a factor of 1 leaves them as they are.

    Args:
        parameters: a tensor or an iterable of tensors whose `.grad` to scale (those without
            a gradient are skipped).
        max_norm: the largest norm allowed.
        total_norm: the gradients' norm, as `get_total_norm` gives it.
        foreach: ignored (PyTorch picks a faster kernel with it).
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    with no_grad():
        factor = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(factor.to(g.dtype))


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:
    """Rescale the gradients, in place, so that their joint norm is at most `max_norm`.

    All gradients are multiplied by the same factor, min(1, max_norm / (norm + 1e-6)), so the
    update keeps its direction. Call it between `backward()` and the optimizer's `step()`.

    Args:
        parameters: a tensor or an iterable of tensors (usually `model.parameters()`); those
            without a gradient are skipped.
        max_norm: the largest norm allowed.
        norm_type: p of the p-norm: a number, `float('inf')` or 'inf'.
        error_if_nonfinite: raise, and change nothing, when the norm is nan or inf (otherwise
            the gradients are scaled by it, and become nan or 0).
        foreach: ignored (PyTorch picks a faster kernel with it).

    Returns:
        The gradients' norm before clipping, a 0-d tensor: worth logging, as a spike shows a
            step that clipping saved.

    Raises:
        RuntimeError: when `error_if_nonfinite` and the norm is nan or inf.

    Examples:
        >>> w = tinygrad_lr.zeros(2, requires_grad=True)
        >>> w.grad = tinygrad_lr.tensor([3.0, 4.0])
        >>> tinygrad_lr.nn.utils.clip_grad_norm_([w], max_norm=1.0)
        tensor(5.)
        >>> w.grad
        tensor([0.6000, 0.8000])
    """
    params = _as_list(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total)
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clip every gradient element to [-clip_value, clip_value], in place.

    Unlike `clip_grad_norm_`, each element is cut on its own, which can turn the step's
    direction.

    Args:
        parameters: a tensor or an iterable of tensors; those without a gradient are skipped.
        clip_value: the largest |element| allowed.
        foreach: ignored (PyTorch picks a faster kernel with it).

    Examples:
        >>> w = tinygrad_lr.zeros(3, requires_grad=True)
        >>> w.grad = tinygrad_lr.tensor([-5.0, 0.5, 2.0])
        >>> tinygrad_lr.nn.utils.clip_grad_value_(w, 1.0)
        >>> w.grad
        tensor([-1.0000,  0.5000,  1.0000])
    """
    limit = float(clip_value)
    with no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.copy_(p.grad.clamp(-limit, limit))


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All the parameters, flattened and joined into one vector (differentiable).

    Args:
        parameters: an iterable of tensors (usually `model.parameters()`).

    Returns:
        A 1-d tensor of their total number of elements, in their order.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.utils.parameters_to_vector([tinygrad_lr.ones(2, 2), tinygrad_lr.zeros(1)])
        tensor([1., 1., 1., 1., 0.])
    """
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Put consecutive pieces of `vec` into the parameters' data, the inverse of
    `parameters_to_vector` (no graph is recorded; the parameters share `vec`'s memory).

    Args:
        vec: a 1-d tensor with at least as many elements as the parameters together.
        parameters: an iterable of tensors whose data to replace, in order.

    Raises:
        TypeError: when `vec` is not a tensor.
        RuntimeError: when `vec` is too short for the parameters.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    start = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[start:start + n].view_as(p).data
        start += n


__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters"]  # fmt: skip
