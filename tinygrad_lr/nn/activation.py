"""Activations as modules: `ReLU`, `Tanh`, `Sigmoid`, `LeakyReLU`, `GELU`, `Softmax`,
`LogSoftmax` (each calls the function of the same name in `functional`)."""

from __future__ import annotations

from ..core.tensor import Tensor
from . import functional as F
from .module import Module


class ReLU(Module):
    """max(x, 0), elementwise.

    Args:
        inplace: write the result into the input.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.ReLU()(tinygrad_lr.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """max(x, 0), elementwise.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        out = F.relu(input)
        return input.copy_(out) if self.inplace else out

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `inplace=True`.
        """
        return "inplace=True" if self.inplace else ""


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """tanh(x), elementwise.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.tanh(input)


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise: turns a score into a probability."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """1 / (1 + exp(-x)), elementwise.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.sigmoid(input)


class LeakyReLU(Module):
    """x where x > 0, else negative_slope·x (see F.leaky_relu).

    Args:
        negative_slope: the slope for negative x.
        inplace: write the result into the input.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.LeakyReLU(0.1)(tinygrad_lr.tensor([-1.0, 2.0]))
        tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """x where x > 0, else negative_slope·x.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        out = F.leaky_relu(input, self.negative_slope)
        return input.copy_(out) if self.inplace else out

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `negative_slope=0.01`.
        """
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x·Φ(x), exact (approximate='none') or with tanh (approximate='tanh'); see F.gelu.

    Args:
        approximate: 'none' for the exact Φ (with erf), 'tanh' for the tanh approximation.
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise RuntimeError(f"approximate argument must be either none or tanh, got "
                               f"{approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """x·Φ(x), elementwise.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `approximate='none'`.
        """
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """exp(x) / Σ exp(x) along `dim`: each slice along dim becomes probabilities.

    Args:
        dim: the dimension the values of one distribution run along (usually -1).

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.Softmax(dim=-1)(tinygrad_lr.tensor([[1.0, 1.0]]))
        tensor([[0.5000, 0.5000]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """softmax along `dim`.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `dim=-1`.
        """
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """x − log Σ exp(x) along `dim`: log-probabilities (for NLLLoss).

    Args:
        dim: the dimension the values of one distribution run along (usually -1).
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """log_softmax along `dim`.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `dim=-1`.
        """
        return f"dim={self.dim}"


__all__ = ["GELU", "LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh"]
