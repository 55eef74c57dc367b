"""Layers: `Linear`, and the activations `ReLU`, `Tanh`, `Sigmoid` as modules."""

from __future__ import annotations

import math

from ..core import creation
from ..core.args import fmt as _fmt
from ..core.engine import no_grad
from ..core.tensor import Tensor
from . import functional as F
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x @ weightᵀ + bias, with weight of shape (out_features, in_features).

    Initialised as in PyTorch: every weight and bias element is drawn from U(-1/√in, 1/√in), from
    the package's random generator (so `manual_seed` makes it repeatable). That range keeps each
    output's variance about the same as its inputs', whatever `in_features` is.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        for name, v in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"Linear: {name} must be a positive int, got {v!r}")
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features)
        with no_grad():
            self.weight = Parameter(creation.rand(out_features, in_features) * (2 * bound) - bound)
            if bias:
                self.bias = Parameter(creation.rand(out_features) * (2 * bound) - bound)
            else:
                self.register_parameter("bias", None)

    def forward(self, x: Tensor) -> Tensor:
        """x @ weightᵀ + bias, for x of shape (..., in_features)."""
        if not isinstance(x, Tensor):
            raise TypeError(f"Linear.forward() expects a Tensor, got {type(x).__name__}")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise RuntimeError(
                f"{self!r}: the input's last dimension must have {self.in_features} features, but "
                f"the input has shape {_fmt(x.shape)}"
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        """max(x, 0), elementwise."""
        return F.relu(x)


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        """tanh(x), elementwise."""
        return F.tanh(x)


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise: turns a score into a probability."""

    def forward(self, x: Tensor) -> Tensor:
        """1 / (1 + exp(-x)), elementwise."""
        return F.sigmoid(x)
