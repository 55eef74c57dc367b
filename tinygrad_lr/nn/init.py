"""Initialisers (`tinygrad_lr.nn.init`): fill a tensor in place with numbers suited to a layer.

    w = t.empty(16, 2)
    nn.init.kaiming_uniform_(w, nonlinearity="relu")

Why scale at all: an output of a linear layer is a sum of `fan_in` products w·x. If the weights
have variance σ² and the inputs variance 1, the output has variance fan_in·σ². Choosing
σ² ∝ 1/fan_in keeps every layer's outputs about as large as its inputs, so that a deep stack
neither blows up nor dies out. The `gain` corrects for what the activation does to the variance
(relu halves it: gain √2).

Every function changes its tensor in place without recording a graph (as in PyTorch) and returns
it. Random numbers come from the package's generator (`manual_seed` makes them repeatable), or
from the numpy Generator passed as `generator`; they are not PyTorch's numbers.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..core.engine import no_grad
from ..core.generator import numpy_generator
from ..core.tensor import Tensor

_LINEAR_LIKE = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                "conv_transpose2d", "conv_transpose3d", "sigmoid")  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor by which to scale the weights' standard deviation for this activation.

    linear, conv and sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu with slope a: √(2 / (1 + a²));
    selu: 3/4. relu keeps half of a symmetric input and so halves its second moment; √2 gives
    that variance back.

    Args:
        nonlinearity: the activation's name, as above.
        param: leaky_relu's negative slope (0.01 when None).

    Returns:
        The gain, a float.

    Raises:
        ValueError: for an activation not listed above.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.init.calculate_gain("tanh")
        1.6666666666666667
    """
    if nonlinearity in _LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    # A weight of shape (out, in, *kernel): each output sums in·kernel products (fan in), each
    # input feeds out·kernel products (fan out).
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         f"dimensions (got shape {tuple(tensor.shape)})")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values: Any, name: str) -> Tensor:
    """Write `values` into `tensor` in place, unrecorded, and return it."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name}(): expected a Tensor, got {type(tensor).__name__}")
    with no_grad():
        tensor.copy_(Tensor._wrap(np.asarray(values, dtype=tensor.dtype)))
    return tensor


def _rng(generator: Any) -> np.random.Generator:
    return numpy_generator(generator)


def _draws(tensor: Tensor, sample: str, generator: np.random.Generator | None) -> np.ndarray:
    """U[0, 1) or N(0, 1) draws in the tensor's dtype, made as `rand` and `randn` make them, so
    that a seeded program gets the same numbers from `nn.Linear` as from `rand`."""
    rng = _rng(generator)
    draw = rng.random if sample == "uniform" else rng.standard_normal
    native = tensor.dtype in (np.float32, np.float64)
    values = draw(tensor.shape, dtype=tensor.dtype if native else np.float64)
    return values.astype(tensor.dtype, copy=False)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Fill with numbers drawn from U(a, b).

    Args:
        tensor: the tensor to fill, in place.
        a: the lower bound.
        b: the upper bound.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    dtype = tensor.dtype.type
    return _fill(tensor, _draws(tensor, "uniform", generator) * dtype(b - a) + dtype(a),
                 "uniform_")  # fmt: skip


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Fill with numbers drawn from N(mean, std²).

    Args:
        tensor: the tensor to fill, in place.
        mean: the mean.
        std: the standard deviation.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    dtype = tensor.dtype.type
    return _fill(tensor, dtype(mean) + dtype(std) * _draws(tensor, "normal", generator),
                 "normal_")  # fmt: skip


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: np.random.Generator | None = None) -> Tensor:
    """Fill with N(mean, std²) restricted to [a, b]: draws outside the range are drawn again.

    Redrawing until a draw lands in [a, b] samples exactly the normal density cut to [a, b]
    and renormalised.

    Args:
        tensor: the tensor to fill, in place.
        mean: the mean of the normal before the cut.
        std: its standard deviation.
        a: the lower bound.
        b: the upper bound, above a.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    if not a < b:
        raise ValueError(f"trunc_normal_(): expected a < b, got a={a}, b={b}")
    rng = _rng(generator)
    values = mean + std * rng.standard_normal(tensor.shape)
    outside = (values < a) | (values > b)
    while outside.any():  # each round keeps at least the draws' share inside [a, b]
        values[outside] = mean + std * rng.standard_normal(int(outside.sum()))
        outside = (values < a) | (values > b)
    return _fill(tensor, values, "trunc_normal_")


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with the number `val`.

    Args:
        tensor: the tensor to fill, in place.
        val: the number.

    Returns:
        `tensor`, filled.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.init.constant_(tinygrad_lr.empty(2), 0.5)
        tensor([0.5000, 0.5000])
    """
    return _fill(tensor, np.full(tensor.shape, val), "constant_")


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones.

    Args:
        tensor: the tensor to fill, in place.

    Returns:
        `tensor`, filled.
    """
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros.

    Args:
        tensor: the tensor to fill, in place.

    Returns:
        `tensor`, filled.
    """
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a matrix with the identity (ones on the diagonal): a linear layer that starts as
    the identity map, for as many inputs as it keeps.

    Args:
        tensor: the 2-D tensor to fill, in place.

    Returns:
        `tensor`, filled.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.init.eye_(tinygrad_lr.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported, got shape "
                         f"{tuple(tensor.shape)}")
    return _fill(tensor, np.eye(*tensor.shape), "eye_")


def _std_of_uniform(std: float) -> float:
    # U(-a, a) has variance a²/3: the bound that gives standard deviation `std` is √3·std.
    return math.sqrt(3.0) * std


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Glorot: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)).

    The variance 2/(fan_in + fan_out) is a compromise between keeping the forward activations'
    scale (1/fan_in) and the backward gradients' scale (1/fan_out).

    Args:
        tensor: the weight to fill, in place: (fan_out, fan_in, *kernel), at least 2-D.
        gain: the activation's gain (see `calculate_gain`).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    bound = _std_of_uniform(gain * math.sqrt(2.0 / (fan_in + fan_out)))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Glorot: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).

    Args:
        tensor: the weight to fill, in place: (fan_out, fan_in, *kernel), at least 2-D.
        gain: the activation's gain (see `calculate_gain`).
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
        return None
    return calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """He: U(-b, b) with b = gain·√(3 / fan), fan = fan_in (default) or fan_out.

    `a` is the negative slope of a leaky relu (used only by that nonlinearity's gain).
    `nn.Linear` uses a = √5, which makes b = 1/√fan_in.

    Args:
        tensor: the weight to fill, in place: (fan_out, fan_in, *kernel), at least 2-D.
        a: the negative slope of a leaky relu.
        mode: 'fan_in' (keeps the forward pass's scale) or 'fan_out' (the backward pass's).
        nonlinearity: the activation that follows, for its gain.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = _std_of_uniform(std)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """He: N(0, σ²) with σ = gain / √fan, fan = fan_in (default) or fan_out.

    Args:
        tensor: the weight to fill, in place: (fan_out, fan_in, *kernel), at least 2-D.
        a: the negative slope of a leaky relu.
        mode: 'fan_in' (keeps the forward pass's scale) or 'fan_out' (the backward pass's).
        nonlinearity: the activation that follows, for its gain.
        generator: a Generator (or a numpy Generator) to draw from instead of the package's.

    Returns:
        `tensor`, filled.
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


__all__ = [
    "calculate_gain", "constant_", "eye_", "kaiming_normal_", "kaiming_uniform_", "normal_",
    "ones_", "trunc_normal_", "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_",
]  # fmt: skip
