"""Functions behind the layers and losses (`tinygrad_lr.nn.functional`, usually imported as F).

The layers: `linear`, `dropout`, and the activations (`relu`, `tanh`, `sigmoid`, `leaky_relu`,
`gelu`, `silu`, `mish`, `softplus`, `elu`, `hardtanh`, `relu6`, `softmax`, `log_softmax`). They
are built from the Tensor's differentiable ops, so their gradients (and second derivatives) come
from the chain rule through those ops, and their graphs show the ops.

The losses live in `loss_functions.py`, the normalisations, the embedding lookup, `one_hot` and
`normalize` in `layer_functions.py`, and `pad` in `padding.py`; they are imported here, so that
`F.cross_entropy`, `F.layer_norm` and `F.pad` are where PyTorch has them.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..core import creation
from ..core.args import fmt as _fmt
from ..core.args import tensor_arg as _tensor_arg
from ..core.functions.pointwise import relu, sigmoid, tanh  # the same functions as t.relu & co
from ..core.tensor import Tensor
from .layer_functions import batch_norm, embedding, layer_norm, normalize, one_hot
from .loss_functions import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    scalar_type,
    smooth_l1_loss,
)
from .padding import pad


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """input @ weightᵀ + bias: one output per row of `weight`, for input of shape (..., in).

    As in PyTorch, the input must have the weight's dtype (a float64 batch into a float32 layer
    is refused rather than silently computed in one precision or the other), and the error for
    a wrong width names the matrix product that cannot be done.

    Args:
        input: a tensor of shape (..., in).
        weight: the matrix, of shape (out, in).
        bias: added to each output, of shape (out,); None for none.

    Returns:
        A tensor of shape (..., out).

    Raises:
        RuntimeError: when the dtypes differ, or the input does not end in `in` features.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> w = tinygrad_lr.tensor([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
        >>> F.linear(tinygrad_lr.tensor([[1.0, 2.0]]), w, tinygrad_lr.tensor([0.0, 0.0, 10.0]))
        tensor([[ 3.,  2., 11.]])
    """
    input = _tensor_arg(input, "linear", "input")
    weight = _tensor_arg(weight, "linear", "weight")
    if input.dtype != weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{scalar_type(input.dtype)} and {scalar_type(weight.dtype)}")
    out_features, in_features = weight.shape
    if input.ndim == 0 or input.shape[-1] != in_features:
        rows = math.prod(input.shape[:-1]) if input.ndim else 1
        width = input.shape[-1] if input.ndim else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{width} and "
                           f"{in_features}x{out_features}): the input of shape "
                           f"{_fmt(input.shape)} must end in {in_features} features")
    out = input.matmul(weight.t())
    return out if bias is None else out + bias


# --- activations -------------------------------------------------------------------------------


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:  # noqa: A002
    """x where x > 0, else negative_slope·x: a relu whose negative side still has a gradient.

    The derivative is 1 for x > 0 and negative_slope for x ≤ 0 (at 0 as in PyTorch), so a unit
    pushed below zero can still learn its way back, where a relu's gradient there is 0.

    Args:
        input: a tensor.
        negative_slope: the slope for x ≤ 0.

    Returns:
        A new tensor of the input's shape.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.leaky_relu(tinygrad_lr.tensor([-2.0, 3.0]), 0.1)
        tensor([-0.2000,  3.0000])
    """
    x = _tensor_arg(input, "leaky_relu", "input")
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)):
        raise TypeError(f"leaky_relu(): negative_slope must be a number, got "
                        f"{type(negative_slope).__name__}")
    return x.where(x > 0, x * negative_slope)


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """x·Φ(x), Φ the standard normal's distribution function: x weighted by how likely a
    standard normal variable is to be below it.

    approximate='none' (exact):  Φ(x) = (1 + erf(x / √2)) / 2
    approximate='tanh':          Φ(x) ≈ (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2

    Args:
        input: a tensor.
        approximate: 'none' or 'tanh', as above.

    Returns:
        A new tensor of the input's shape.
    """
    x = _tensor_arg(input, "gelu", "input")
    if approximate == "none":
        return 0.5 * x * (1 + (x * (1 / math.sqrt(2))).erf())
    if approximate == "tanh":
        return 0.5 * x * (1 + ((x + 0.044715 * x**3) * _SQRT_2_OVER_PI).tanh())
    raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")


def _floating(input: Any, op: str) -> Tensor:  # noqa: A002
    # PyTorch has these activations for floating point tensors only: an integer one is refused,
    # by name, rather than silently promoted.
    x = _tensor_arg(input, op, "input")
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"{op}" not implemented for \'{scalar_type(x.dtype)}\': its '
                                  f"input must be floating point, got {x.dtype}")
    return x


def _maybe_inplace(x: Tensor, fn: Any, inplace: bool) -> Tensor:
    # In place, the result is computed from a copy and then written into x: the ops of fn may
    # save x for their backward (silu's product does), and copy_ is about to overwrite it.
    return x.copy_(fn(x.clone())) if inplace else fn(x)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x·σ(x), the sigmoid-weighted linear unit (also called swish).

    Smooth and non-monotonic: slightly negative for x < 0 (its minimum, about -0.28, is at
    x ≈ -1.28), close to x for large x. Its derivative is σ(x)·(1 + x·(1 − σ(x))).

    Args:
        input: a floating point tensor.
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape (the input itself when `inplace`).

    Raises:
        NotImplementedError: for an integer or bool tensor, as in PyTorch.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.silu(tinygrad_lr.tensor([-1.0, 0.0, 2.0]))
        tensor([-0.2689,  0.0000,  1.7616])
    """
    x = _floating(input, "silu")
    return _maybe_inplace(x, lambda v: v * v.sigmoid(), inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """log(1 + exp(β·x)) / β, a smooth relu; x itself where β·x > threshold.

    Its derivative is σ(β·x). Past the threshold, log(1 + e^z) and z agree to float32's
    precision (they differ by about e^-z), and the exponential would overflow soon after, so
    the line is used there, as PyTorch does.

    Args:
        input: a floating point tensor.
        beta: the sharpness β: larger values bend closer to relu.
        threshold: where (in β·x) to switch to the line.

    Returns:
        A new tensor of the input's shape.

    Raises:
        NotImplementedError: for an integer or bool tensor, as in PyTorch.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.softplus(tinygrad_lr.tensor([-2.0, 0.0, 30.0]))
        tensor([ 0.1269,  0.6931, 30.0000])
    """
    x = _floating(input, "softplus")
    z = x * beta
    # The clamp keeps exp finite on the branch that where() discards: its gradient there is
    # multiplied by 0, and 0 · inf would be nan.
    soft = z.clamp(max=threshold).exp().log1p() / beta
    return x.where(z > threshold, soft)


def mish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x·tanh(softplus(x)): smooth and non-monotonic, like silu.

    Args:
        input: a floating point tensor.
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape (the input itself when `inplace`).

    Raises:
        NotImplementedError: for an integer or bool tensor, as in PyTorch.
    """
    x = _floating(input, "mish")
    return _maybe_inplace(x, lambda v: v * softplus(v).tanh(), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x where x > 0, else α·(exp(x) − 1): an exponential linear unit.

    The negative side saturates at −α instead of being cut at 0, so the mean output is nearer
    zero and a negative unit keeps a gradient, α·exp(x) (α at x = 0, as in PyTorch).

    Args:
        input: a floating point tensor.
        alpha: the value approached as x → −∞ (negated).
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape (the input itself when `inplace`).

    Raises:
        NotImplementedError: for an integer or bool tensor, as in PyTorch.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.elu(tinygrad_lr.tensor([-1.0, 0.0, 2.0]))
        tensor([-0.6321,  0.0000,  2.0000])
    """
    x = _floating(input, "elu")
    return _maybe_inplace(x, lambda v: v.where(v > 0, alpha * v.expm1()), inplace)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:  # fmt: skip
    """x clipped to [min_val, max_val].

    The gradient is 1 strictly inside the interval, and 0 outside it and at its two ends:
    PyTorch's rule for hardtanh (`clamp`, by contrast, passes the gradient at the ends).

    Args:
        input: a tensor (an integer one keeps its dtype).
        min_val: the lower end.
        max_val: the upper end.
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape (the input itself when `inplace`).

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.hardtanh(tinygrad_lr.tensor([-3.0, 0.5, 3.0]))
        tensor([-1.0000,  0.5000,  1.0000])
    """
    x = _tensor_arg(input, "hardtanh", "input")
    if x.dtype.kind != "f":  # no gradient to shape: the clipped integers
        clipped = x.clamp(min_val, max_val).to(x.dtype)
        return x.copy_(clipped) if inplace else clipped

    def clip(v: Tensor) -> Tensor:
        inside = (v > min_val).logical_and(v < max_val)
        return v.where(inside, v.detach().clamp(min_val, max_val))

    return _maybe_inplace(x, clip, inplace)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """min(max(x, 0), 6): `hardtanh(x, 0, 6)`, a relu capped at 6.

    Args:
        input: a tensor.
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape (the input itself when `inplace`).

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.relu6(tinygrad_lr.tensor([-1.0, 3.0, 8.0]))
        tensor([0., 3., 6.])
    """
    return hardtanh(_tensor_arg(input, "relu6", "input"), 0.0, 6.0, inplace)


def legacy_softmax_dim(ndim: int, name: str) -> int:
    """The dim PyTorch picks, with a warning, when softmax is given none: 0 for 0-, 1- and 3-d
    inputs, else 1 (the class dimension of a batch)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(x) / Σ exp(x) along `dim`: positive numbers that sum to 1 (probabilities).

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along; None picks one as
            PyTorch's old rule did (0 for 0-, 1- and 3-d inputs, else 1), with a warning.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of the input's shape.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.softmax(tinygrad_lr.tensor([0.0, 0.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    x = _tensor_arg(input, "softmax", "input")
    dim = legacy_softmax_dim(x.ndim, "softmax") if dim is None else dim
    return x.softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """x − log Σ exp(x) along `dim`: the log of softmax, computed without its underflow.

    Args:
        input: a tensor.
        dim: the dimension the values of one distribution run along; None picks one as
            `softmax` does, with a warning.
        dtype: the dtype to convert the input to first.

    Returns:
        A new floating tensor of the input's shape.
    """
    x = _tensor_arg(input, "log_softmax", "input")
    dim = legacy_softmax_dim(x.ndim, "log_softmax") if dim is None else dim
    return x.log_softmax(dim, dtype)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
            inplace: bool = False) -> Tensor:  # fmt: skip
    """In training, zero each element with probability p and multiply the rest by 1/(1 − p).

    The scaling keeps each element's expected value: E[mask·x/(1−p)] = (1−p)·x/(1−p) = x, so
    the next layer sees inputs of the same size in training and in evaluation, where dropout
    does nothing. The mask is drawn from the package's generator (`manual_seed` repeats it).

    Args:
        input: a tensor.
        p: the probability of zeroing an element, in [0, 1].
        training: apply dropout (False gives the input back, unchanged).
        inplace: write the result into the input.

    Returns:
        A tensor of the input's shape: the input itself when not training.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> F.dropout(tinygrad_lr.ones(4), 0.5)
        tensor([2., 0., 0., 0.])
    """
    x = _tensor_arg(input, "dropout", "input")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return x
    if p == 1:  # every element dropped; 1/(1-p) would be 1/0
        keep = np.zeros(x.shape, x.dtype)
    else:
        draws = creation.default_generator().random(x.shape)
        keep = ((draws >= p) / (1 - p)).astype(x.dtype)
    mask = Tensor._wrap(keep)
    return x.mul_(mask) if inplace else x * mask


__all__ = [
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
    "dropout", "elu", "embedding", "gelu", "hardtanh", "huber_loss", "l1_loss", "layer_norm",
    "leaky_relu", "linear", "log_softmax", "mish", "mse_loss", "nll_loss", "normalize", "one_hot",
    "pad", "relu", "relu6", "sigmoid", "silu", "smooth_l1_loss", "softmax", "softplus", "tanh",
]  # fmt: skip
