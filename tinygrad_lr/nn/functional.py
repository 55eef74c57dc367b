"""Functions behind the layers and losses (`tinygrad_lr.nn.functional`, usually imported as F)."""

from __future__ import annotations

import warnings

from ..core import ops
from ..core.args import fmt as _fmt
from ..core.args import same_dtype as _same_dtype
from ..core.args import tensor_arg as _tensor_arg
from ..core.tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weightᵀ + bias: one output per row of `weight`."""
    out = x.matmul(weight.t())
    return out if bias is None else out + bias


def relu(x: Tensor) -> Tensor:
    return _tensor_arg(x, "relu", "input").relu()


def tanh(x: Tensor) -> Tensor:
    return _tensor_arg(x, "tanh", "input").tanh()


def sigmoid(x: Tensor) -> Tensor:
    return _tensor_arg(x, "sigmoid", "input").sigmoid()


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction!r} is not a valid value for reduction: use one of "
                         f"{', '.join(repr(r) for r in _REDUCTIONS)}")


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """(input - target)², averaged ('mean'), added up ('sum') or kept elementwise ('none').

    'sum' and 'mean' differ by the factor n = number of elements, and so do their gradients:
    d/dŷ Σ(ŷ - y)² = 2(ŷ - y), d/dŷ mean((ŷ - y)²) = 2(ŷ - y)/n. With the mean, a learning rate
    n times larger takes the same step.
    """
    _check_reduction(reduction)
    input = _tensor_arg(input, "mse_loss", "input")
    target = _tensor_arg(target, "mse_loss", "target")
    if input.shape != target.shape:
        # The classic silent bug: ŷ of shape (n, 1) minus y of shape (n,) broadcasts to (n, n).
        warnings.warn(
            f"Using a target size {_fmt(target.shape)} that is different to the input size "
            f"{_fmt(input.shape)}. This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    return _reduce((input - target) ** 2, reduction)


def binary_cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """-(y·log p + (1-y)·log(1-p)) for probabilities p = input and labels y = target in [0, 1].

    Each log is clamped to ≥ -100, as in PyTorch, so one confident mistake costs at most 100
    instead of infinity; the op (`ops.BinaryCrossEntropy`) has its own backward, finite even where
    p is exactly 0 or 1.
    """
    _check_reduction(reduction)
    input = _tensor_arg(input, "binary_cross_entropy", "input")
    target = _tensor_arg(target, "binary_cross_entropy", "target")
    if input.shape != target.shape:
        raise ValueError(f"Using a target size {_fmt(target.shape)} that is different to the "
                         f"input size {_fmt(input.shape)} is deprecated. Please ensure they have "
                         "the same size.")
    if input.dtype.kind != "f":
        raise TypeError(f"binary_cross_entropy(): input must be floating point (probabilities), "
                        f"got {input.dtype}")
    data = input._data
    if data.size and not ((data >= 0) & (data <= 1)).all():
        bad = data[~((data >= 0) & (data <= 1))].flat[0]
        raise RuntimeError(f"all elements of input should be between 0 and 1 (found {bad}); "
                           "apply sigmoid() to scores first")
    target = target if target.dtype.kind == "f" else target.float()
    p, y = _same_dtype(input, target, "binary_cross_entropy")
    return _reduce(ops.BinaryCrossEntropy.apply(p, y), reduction)
