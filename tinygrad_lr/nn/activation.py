"""Activations as modules: `ReLU`, `Tanh`, `Sigmoid`, `LeakyReLU`, `GELU`, `SiLU`, `Mish`,
`Softplus`, `ELU`, `Hardtanh`, `ReLU6`, `Softmax`, `LogSoftmax` (each calls the function of the
same name in `functional`)."""

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


def _inplace_repr(inplace: bool) -> str:
    return "inplace=True" if inplace else ""


class SiLU(Module):
    """x·σ(x), elementwise (see F.silu).

    Args:
        inplace: write the result into the input.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.SiLU()(tinygrad_lr.tensor([-1.0, 2.0]))
        tensor([-0.2689,  1.7616])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """x·σ(x), elementwise.

        Args:
            input: a floating point tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.silu(input, self.inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text: `inplace=True`, or nothing.
        """
        return _inplace_repr(self.inplace)


class Mish(Module):
    """x·tanh(softplus(x)), elementwise (see F.mish).

    Args:
        inplace: write the result into the input.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """x·tanh(softplus(x)), elementwise.

        Args:
            input: a floating point tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.mish(input, self.inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text: `inplace=True`, or nothing.
        """
        return _inplace_repr(self.inplace)


class Softplus(Module):
    """log(1 + exp(β·x)) / β, a smooth relu; x itself where β·x > threshold (see F.softplus).

    Args:
        beta: the sharpness β.
        threshold: where (in β·x) to switch to the line.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.Softplus()
        Softplus(beta=1.0, threshold=20.0)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """softplus, elementwise.

        Args:
            input: a floating point tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `beta=1.0, threshold=20.0`.
        """
        return f"beta={self.beta}, threshold={self.threshold}"


class ELU(Module):
    """x where x > 0, else α·(exp(x) − 1) (see F.elu).

    Args:
        alpha: the value approached as x → −∞ (negated).
        inplace: write the result into the input.
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """elu, elementwise.

        Args:
            input: a floating point tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `alpha=1.0`.
        """
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Hardtanh(Module):
    """x clipped to [min_val, max_val] (see F.hardtanh).

    Args:
        min_val: the lower end.
        max_val: the upper end, greater than min_val.
        inplace: write the result into the input.

    Raises:
        AssertionError: when max_val ≤ min_val, as in PyTorch.

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.Hardtanh(-2.0, 2.0)(tinygrad_lr.tensor([-3.0, 1.0, 3.0]))
        tensor([-2.,  1.,  2.])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0,
                 inplace: bool = False) -> None:  # fmt: skip
        super().__init__()
        if not max_val > min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """hardtanh, elementwise.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `min_val=-1.0, max_val=1.0`.
        """
        return (f"min_val={self.min_val}, max_val={self.max_val}"
                + (", inplace=True" if self.inplace else ""))  # fmt: skip


class ReLU6(Hardtanh):
    """min(max(x, 0), 6): a Hardtanh from 0 to 6, as in PyTorch.

    Args:
        inplace: write the result into the input.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text: `inplace=True`, or nothing.
        """
        return _inplace_repr(self.inplace)


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


__all__ = ["ELU", "GELU", "Hardtanh", "LeakyReLU", "LogSoftmax", "Mish", "ReLU", "ReLU6", "SiLU",
           "Sigmoid", "Softmax", "Softplus", "Tanh"]
