"""The loss functions of `nn.functional`: regression losses (mse, l1, smooth l1, huber) and
classification losses (binary cross-entropy, with probabilities or with logits; negative
log-likelihood and cross-entropy over classes).

Each returns the loss per element reduced by `reduction`: 'mean' (the default), 'sum', or
'none' (one loss per element, unreduced). All are built from the Tensor's differentiable ops, so
their gradients come from the chain rule, except binary_cross_entropy, whose op has its own
backward (see `ops.BinaryCrossEntropy`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..core import ops
from ..core.args import fmt as _fmt
from ..core.args import tensor_arg as _tensor_arg
from ..core.creation import zeros_like
from ..core.functions import stack
from ..core.legacy import TYPE_NAMES
from ..core.tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def scalar_type(dtype: np.dtype) -> str:
    """PyTorch's name of a dtype in its messages: Float, Double, Long, ..."""
    return TYPE_NAMES[np.dtype(dtype)].removeprefix("torch.").removesuffix("Tensor")


def check_reduction(reduction: str) -> None:
    """Refuse any reduction but 'mean', 'sum' and 'none', as PyTorch does."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction!r} is not a valid value for reduction: use one of "
                         f"{', '.join(repr(r) for r in _REDUCTIONS)}")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _operands(input: Any, target: Any, op: str, reduction: str) -> tuple[Tensor, Tensor]:  # noqa: A002
    check_reduction(reduction)
    return _tensor_arg(input, op, "input"), _tensor_arg(target, op, "target")


def _warn_if_broadcast(input: Tensor, target: Tensor) -> None:
    # The classic silent bug: ŷ of shape (n, 1) minus y of shape (n,) broadcasts to (n, n).
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size {_fmt(target.shape)} that is different to the input size "
            f"{_fmt(input.shape)}. This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


# --- regression --------------------------------------------------------------------------------


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    """(input − target)², averaged ('mean'), added up ('sum') or kept elementwise ('none').

    'sum' and 'mean' differ by the factor n = number of elements, and so do their gradients:
    d/dŷ Σ(ŷ − y)² = 2(ŷ − y), d/dŷ mean((ŷ − y)²) = 2(ŷ − y)/n. With the mean, a learning rate
    n times larger takes the same step.

    Args:
        input: the predictions.
        target: the targets, of the input's shape (another shape warns: it would broadcast).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> y_hat, y = tinygrad_lr.tensor([1.0, 2.0]), tinygrad_lr.tensor([0.0, 4.0])
        >>> F.mse_loss(y_hat, y, reduction="none")
        tensor([1., 4.])
    """
    input, target = _operands(input, target, "mse_loss", reduction)
    _warn_if_broadcast(input, target)
    return _reduce((input - target) ** 2, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    """|input − target|: the gradient is ±1 whatever the error's size (0 where it is 0), so
    outliers pull no harder than small errors; the minimiser of a mean of |ŷ − y| is a median.

    Args:
        input: the predictions.
        target: the targets, of the input's shape (another shape warns: it would broadcast).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
    """
    input, target = _operands(input, target, "l1_loss", reduction)
    _warn_if_broadcast(input, target)
    return _reduce((input - target).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str = "mean",  # noqa: A002
                   beta: float = 1.0) -> Tensor:  # fmt: skip
    """With d = |input − target|: d²/(2β) where d < β, else d − β/2.

    Quadratic near zero (smooth, a gradient that shrinks as the error does) and linear beyond β
    (gradient ±1, as l1). The two pieces meet with equal value and slope at d = β; β = 0 is the
    l1 loss.

    Args:
        input: the predictions.
        target: the targets, of the input's shape (another shape warns: it would broadcast).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        beta: where the loss turns from quadratic to linear, ≥ 0.

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
    """
    input, target = _operands(input, target, "smooth_l1_loss", reduction)
    _check_positive("smooth_l1_loss", "beta", beta, allow_zero=True)
    _warn_if_broadcast(input, target)
    diff = input - target
    if beta == 0:
        return _reduce(diff.abs(), reduction)
    quadratic = diff**2 * (0.5 / beta)
    linear = diff.abs() - 0.5 * beta
    return _reduce(quadratic.where(diff.abs() < beta, linear), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean",  # noqa: A002
               delta: float = 1.0) -> Tensor:  # fmt: skip
    """With d = |input − target|: d²/2 where d < δ, else δ·(d − δ/2).

    smooth_l1 multiplied by δ: the quadratic part is the squared error itself, and beyond δ the
    gradient is ±δ rather than ±1.

    Args:
        input: the predictions.
        target: the targets, of the input's shape (another shape warns: it would broadcast).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        delta: where the loss turns from quadratic to linear, > 0.

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
    """
    input, target = _operands(input, target, "huber_loss", reduction)
    _check_positive("huber_loss", "delta", delta, allow_zero=False)
    _warn_if_broadcast(input, target)
    diff = input - target
    quadratic = 0.5 * diff**2
    linear = delta * (diff.abs() - 0.5 * delta)
    return _reduce(quadratic.where(diff.abs() < delta, linear), reduction)


def _check_positive(op: str, name: str, value: Any, allow_zero: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{op}(): {name} must be a number, got {type(value).__name__}")
    if value < 0 or (value == 0 and not allow_zero):
        which = "negative" if allow_zero else "non-positive"
        raise RuntimeError(f"{op} does not support {which} values for {name} (got {value}).")


# --- binary classification ---------------------------------------------------------------------


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                         reduction: str = "mean") -> Tensor:  # fmt: skip
    """−(y·log p + (1 − y)·log(1 − p)) for probabilities p = input and labels y = target.

    Both must lie in [0, 1] and have the same dtype and shape, as in PyTorch. Each log is
    clamped to ≥ −100, so one confident mistake costs at most 100 instead of infinity; the op
    (`ops.BinaryCrossEntropy`) has its own backward, finite even where p is exactly 0 or 1.
    `weight` multiplies each element's loss (it broadcasts to the input's shape).

    Args:
        input: probabilities p, floating point, in [0, 1].
        target: labels (or probabilities) y in [0, 1], of the input's shape and dtype.
        weight: multiplies each element's loss.
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.

    Raises:
        ValueError: when target's shape differs from input's.
        RuntimeError: for a value outside [0, 1], or a target of another dtype.
    """
    input, target = _operands(input, target, "binary_cross_entropy", reduction)
    if input.shape != target.shape:
        raise ValueError(f"Using a target size {_fmt(target.shape)} that is different to the "
                         f"input size {_fmt(input.shape)} is deprecated. Please ensure they have "
                         "the same size.")
    if input.dtype.kind != "f":
        raise TypeError(f"binary_cross_entropy(): input must be floating point (probabilities), "
                        f"got {input.dtype}")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {scalar_type(target.dtype)} but expected "
                           f"{scalar_type(input.dtype)} (binary_cross_entropy wants a target of "
                           f"the input's dtype: convert it with .to({input.dtype}))")
    for name, t, hint in (("input", input, "; apply sigmoid() to scores first"),
                          ("target", target, "")):  # fmt: skip
        inside = (t._data >= 0) & (t._data <= 1)
        if not inside.all():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1 (found "
                               f"{t._data[~inside].flat[0]}){hint}")
    loss = ops.BinaryCrossEntropy.apply(input, target)
    return _reduce(loss if weight is None else loss * weight, reduction)


def _softplus(x: Tensor) -> Tensor:
    # log(1 + eˣ) = log(e⁰ + eˣ): the log-sum-exp of 0 and x, which never overflows and whose
    # gradient, a softmax weight, is exactly σ(x), even at x = 0 where |x| has a kink.
    return stack([zeros_like(x), x]).logsumexp(0)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,  # noqa: A002
                                     weight: Tensor | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:  # fmt: skip
    """Binary cross-entropy of σ(input) against target, computed from the scores (logits).

    With y = target and p = σ(x), −(y·log p + (1 − y)·log(1 − p)) simplifies, using
    −log σ(x) = softplus(−x) and −log(1 − σ(x)) = x + softplus(−x), to

        ℓ = (1 − y)·x + softplus(−x)

    which never takes the log of a rounded-off 0 and has the gradient dℓ/dx = σ(x) − y.
    `pos_weight` w multiplies the positive term: ℓ = (1 − y)·x + (1 + (w − 1)·y)·softplus(−x),
    for unbalanced classes (w = negatives / positives). `weight` multiplies each element's loss.

    Args:
        input: scores x (logits), floating point.
        target: labels (or probabilities) y in [0, 1], floating point, of the input's shape.
        weight: multiplies each element's loss.
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        pos_weight: w, the weight of the positive term (it broadcasts, e.g. one per class).

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.binary_cross_entropy_with_logits(tinygrad_lr.tensor([2.0, -1.0]),
        ...                                    tinygrad_lr.tensor([1.0, 0.0]))
        tensor(0.2201)
    """
    input, target = _operands(input, target, "binary_cross_entropy_with_logits", reduction)
    if input.shape != target.shape:
        raise ValueError(f"Target size {_fmt(target.shape)} must be the same as input size "
                         f"{_fmt(input.shape)}")
    if input.dtype.kind != "f" or target.dtype.kind != "f":
        raise RuntimeError(f"binary_cross_entropy_with_logits: input and target must be floating "
                           f"point (scores, and labels or probabilities), got {input.dtype} and "
                           f"{target.dtype}")
    log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    loss = (1 - target) * input + log_weight * _softplus(-input)
    return _reduce(loss if weight is None else loss * weight, reduction)


# --- classes: negative log-likelihood and cross-entropy -------------------------------------


def _check_float(input: Tensor, op: str) -> None:
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point input (scores or log-probabilities), "
                           f"got {input.dtype}")


def _class_rows(input: Tensor, target: Tensor, op: str) -> tuple[Tensor, np.ndarray]:
    """The input as rows of class scores (M, C) and the target as M class indices.

    Inputs are (C,) with a 0-d target, (N, C) with target (N,), or (N, C, d1, …) with target
    (N, d1, …): one class distribution per position, the classes along dim 1.
    """
    if target.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{scalar_type(target.dtype)} ({op} takes class indices as an int64 "
                           "tensor, e.g. t.tensor([2, 0, 1]))")
    if input.ndim == 0:
        raise ValueError(f"Expected 1 or more dimensions (got 0) for the input of {op}")
    if input.ndim == 1:
        if target.ndim != 0:
            raise RuntimeError(f"{op}: a 1-d input of shape {_fmt(input.shape)} (one sample's "
                               f"class scores) takes a 0-d target, got shape "
                               f"{_fmt(target.shape)}")
        return input.unsqueeze(0), target._data.reshape(1)
    if input.ndim == 2 and target.ndim != 1:
        raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported (got "
                           f"target shape {_fmt(target.shape)} for input shape "
                           f"{_fmt(input.shape)})")
    if target.ndim == 0 or input.shape[0] != target.shape[0]:
        n = target.shape[0] if target.ndim else 0
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({n}).")
    expected = (input.shape[0], *input.shape[2:])
    if target.shape != expected:
        raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    # Classes last, then one row per position: (N, C, d1, …) → (N, d1, …, C) → (M, C).
    last = input.permute(0, *range(2, input.ndim), 1) if input.ndim > 2 else input
    return last.reshape(-1, input.shape[1]), target._data.reshape(-1)


def _class_weights(weight: Any, input: Tensor, n_classes: int) -> np.ndarray | None:
    if weight is None:
        return None
    weight = _tensor_arg(weight, "cross_entropy", "weight")
    if weight.shape != (n_classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: {list(weight.shape)}")
    if weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type(input.dtype)} but found "
                           f"{scalar_type(weight.dtype)} (the class weights must have the "
                           "input's dtype)")
    return weight._data


def _picked_log_probs(rows: Tensor, labels: np.ndarray, weights: np.ndarray | None,
                      ignore_index: int) -> tuple[Tensor, np.ndarray]:  # fmt: skip
    """−w[y]·rows[i, y] for each row i and its label y, and the weights w[y] counted.

    A label equal to `ignore_index` counts 0 (it adds nothing, and is not in the mean); any
    other label outside [0, C) is an error.
    """
    n_classes = rows.shape[1]
    counted = labels != ignore_index
    wrong = labels[counted & ((labels < 0) | (labels >= n_classes))]
    if wrong.size:
        raise IndexError(f"Target {wrong[0]} is out of bounds. (there are {n_classes} classes, "
                         f"so targets must lie in [0, {n_classes - 1}])")
    safe = np.where(counted, labels, 0)  # an index to read, even for an ignored position
    picked = rows[Tensor._wrap(np.arange(len(labels))), Tensor._wrap(safe)]
    w = counted if weights is None else np.where(counted, weights[safe], 0)
    w = w.astype(rows.dtype)
    if weights is not None or not counted.all():
        picked = picked * Tensor._wrap(w)
    return -picked, w


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
             ignore_index: int = -100, reduction: str = "mean") -> Tensor:  # fmt: skip
    """The negative log-likelihood of the target classes, −w[y]·input[y] per sample, for
    `input` holding log-probabilities (log_softmax of scores; cross_entropy does both).

    With class weights w, 'mean' divides by Σ w[y] over the samples rather than by their count,
    so that the result is a weighted average; targets equal to `ignore_index` are left out.

    Args:
        input: log-probabilities, classes along dim 1: (N, C), (C,) for one sample, or
            (N, C, d1, …).
        target: class indices, int64: (N,), 0-d, or (N, d1, …).
        weight: one weight per class, of the input's dtype.
        ignore_index: a target class that is left out of the loss and of the mean.
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.

    Raises:
        RuntimeError: for a target that is not int64 (or uint8), or of the wrong shape.
        IndexError: for a target class outside [0, C).
    """
    input, target = _operands(input, target, "nll_loss", reduction)
    _check_float(input, "nll_loss")
    rows, labels = _class_rows(input, target, "nll_loss")
    weights = _class_weights(weight, input, rows.shape[1])
    losses, counted = _picked_log_probs(rows, labels, weights, ignore_index)
    return _reduce_counted(losses, counted, reduction, target.shape)


def _reduce_counted(losses: Tensor, counted: np.ndarray, reduction: str,
                    shape: tuple[int, ...]) -> Tensor:  # fmt: skip
    if reduction == "none":
        return losses.reshape(shape)
    total = losses.sum()
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: 0/0 = nan, as PyTorch
        return total / Tensor._wrap(np.asarray(counted.sum(), losses.dtype))


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:  # fmt: skip
    """−log softmax(input)[y]: the loss of a classifier that outputs scores (logits).

    `input` holds scores, classes along dim 1 ((N, C), or (C,) for one sample). `target` is
    either class indices (int64, shape (N,)) or class probabilities (float, the input's shape):

        indices:        ℓᵢ = −w[yᵢ]·log pᵢ[yᵢ]
        probabilities:  ℓᵢ = −Σ_c w[c]·yᵢ_c·log pᵢ_c          with p = softmax(input)

    The gradient with respect to the scores is p − onehot(y): the softmax's probabilities minus
    the target. `label_smoothing` ε moves the target towards uniform: ε/C on every class plus
    (1 − ε) on the true one. Weights, ignore_index and 'mean' are as in `nll_loss`; with
    probabilities, 'mean' divides by the number of samples.

    Args:
        input: scores, classes along dim 1.
        target: class indices (int64) or class probabilities (float, the input's shape).
        weight: one weight per class, of the input's dtype.
        ignore_index: a target class that is left out of the loss and of the mean (indices only).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        label_smoothing: ε in [0, 1].

    Returns:
        A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> scores = tinygrad_lr.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 0.0]])
        >>> F.cross_entropy(scores, tinygrad_lr.tensor([0, 1]), reduction="none")
        tensor([0.2413, 0.5514])
    """
    input, target = _operands(input, target, "cross_entropy", reduction)
    _check_float(input, "cross_entropy")
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float)) \
            or not 0 <= label_smoothing <= 1:  # fmt: skip
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    log_p = input.log_softmax(class_dim)
    if target.dtype.kind == "f":
        return _cross_entropy_with_probabilities(log_p, target, weight, reduction,
                                                 label_smoothing, class_dim)  # fmt: skip
    rows, labels = _class_rows(log_p, target, "cross_entropy")
    weights = _class_weights(weight, input, rows.shape[1])
    losses, counted = _picked_log_probs(rows, labels, weights, ignore_index)
    if label_smoothing:
        # The uniform part of the target, ε/C on every class: −Σ_c w[c]·log p_c per sample.
        spread = rows if weights is None else rows * Tensor._wrap(weights)
        uniform = -spread.sum(1) * Tensor._wrap((labels != ignore_index).astype(rows.dtype))
        n_classes = rows.shape[1]
        losses = (1 - label_smoothing) * losses + (label_smoothing / n_classes) * uniform
    return _reduce_counted(losses, counted, reduction, target.shape)


def _cross_entropy_with_probabilities(log_p: Tensor, target: Tensor, weight: Any,
                                      reduction: str, smoothing: float,
                                      class_dim: int) -> Tensor:  # fmt: skip
    if target.shape != log_p.shape:
        raise RuntimeError(f"cross_entropy: class probabilities (a float target) must have the "
                           f"input's shape {_fmt(log_p.shape)}, got {_fmt(target.shape)}; class "
                           "indices must be an int64 tensor")
    n_classes = log_p.shape[class_dim]
    if smoothing:
        target = target * (1 - smoothing) + smoothing / n_classes
    terms = log_p * target
    weights = _class_weights(weight, log_p, n_classes)
    if weights is not None:  # along the class dim: (C, 1, …, 1) for inputs (N, C, d1, …)
        terms = terms * Tensor._wrap(weights.reshape((-1,) + (1,) * (log_p.ndim - class_dim - 1)))
    # One loss per sample (the class dim summed away): 'mean' averages over the samples.
    return _reduce(-terms.sum(class_dim), reduction)
