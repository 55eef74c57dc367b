"""Normalisation layers: `LayerNorm` and `BatchNorm1d` (see F.layer_norm and F.batch_norm).

Both rescale their input to mean 0 and variance 1 before a learnt scale (`weight`, starting at
1) and shift (`bias`, starting at 0). A layer norm takes the statistics of each sample on its
own; a batch norm those of each channel across the batch, and keeps running estimates of them,
as buffers, for evaluation, when there may be no batch to speak of.
"""

from __future__ import annotations

from typing import Any

from ..core import creation, dtypes
from ..core.tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


class LayerNorm(Module):
    """Normalise each sample over its last dimensions, then scale and shift (see F.layer_norm).

    Args:
        normalized_shape: the sizes of the last dimensions to normalise over: an int for the
            last one, or a tuple or list of ints.
        eps: added to the variance, so that a constant row does not divide by 0.
        elementwise_affine: learn a `weight` (starting at ones) and a `bias` (zeros) of shape
            `normalized_shape`.
        bias: learn the bias too (False: `self.bias` is None).
        device: 'cpu' (or None): parameters live on the CPU.
        dtype: the parameters' dtype; None for the default float dtype.

    Examples:
        >>> from tinygrad_lr import nn
        >>> norm = nn.LayerNorm(3)
        >>> norm
        LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
        >>> norm(tinygrad_lr.tensor([[1.0, 2.0, 3.0], [5.0, 5.0, 8.0]]))
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]], grad_fn=<AddBackward0>)
    """

    def __init__(self, normalized_shape: int | tuple[int, ...] | list[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(creation.empty(self.normalized_shape, dtype=dtype,
                                                   device=device))  # fmt: skip
            if bias:
                self.bias = Parameter(creation.empty(self.normalized_shape, dtype=dtype,
                                                     device=device))  # fmt: skip
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Set the weight to ones and the bias to zeros: at first, the layer only normalises."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input normalised over its last dimensions, scaled and shifted.

        Args:
            input: a floating point tensor of shape (*, *normalized_shape).

        Returns:
            A tensor of the input's shape.
        """
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `(3,), eps=1e-05, elementwise_affine=True, bias=True`.
        """
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


class BatchNorm1d(Module):
    """Normalise each channel over the batch, then scale and shift (see F.batch_norm).

    The input is (N, C) or (N, C, L). In training mode (`model.train()`) each channel is
    normalised with the batch's mean and (biased) variance, and the running estimates are moved
    towards them: running = (1 − momentum)·running + momentum·batch, with the unbiased variance.
    In evaluation mode (`model.eval()`) the running estimates are used, so that a sample's
    output does not depend on the rest of its batch.

    `running_mean` (starting at zeros), `running_var` (ones) and `num_batches_tracked` (an int64
    count of the training batches seen) are buffers: saved in `state_dict()`, not parameters.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance, so that a constant channel does not divide by 0.
        momentum: the weight of each batch in the running estimates; None for their plain
            average over all batches so far (the weight of batch k is then 1/k).
        affine: learn a per-channel `weight` (starting at ones) and `bias` (zeros).
        track_running_stats: keep running estimates (False: batch statistics in evaluation
            mode too, and no buffers).
        device: 'cpu' (or None): parameters and buffers live on the CPU.
        dtype: the dtype of the parameters and the running estimates; None for the default.
        bias: learn the bias, when `affine` (keyword only, as in PyTorch).

    Examples:
        >>> from tinygrad_lr import nn
        >>> norm = nn.BatchNorm1d(2)
        >>> norm(tinygrad_lr.tensor([[1.0, 10.0], [3.0, 30.0]]))
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]], grad_fn=<AddBackward0>)
        >>> norm.running_mean, norm.num_batches_tracked
        (tensor([0.2000, 2.0000]), tensor(1))
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(creation.empty(num_features, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(creation.empty(num_features, dtype=dtype, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", creation.zeros(num_features, dtype=dtype,
                                                                device=device))  # fmt: skip
            self.register_buffer("running_var", creation.ones(num_features, dtype=dtype,
                                                              device=device))  # fmt: skip
            self.register_buffer("num_batches_tracked", creation.tensor(0, dtype=dtypes.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Start the running estimates again: mean 0, variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Start the running estimates again, and set the weight to ones and the bias to
        zeros."""
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input normalised per channel, scaled and shifted; in training mode, the running
        estimates are updated too.

        Args:
            input: a floating point tensor of shape (N, C) or (N, C, L).

        Returns:
            A tensor of the input's shape.

        Raises:
            ValueError: for an input that is not 2-d or 3-d, or, in training, a batch with one
                value per channel.
            RuntimeError: when the input's C is not `num_features`.
        """
        if not isinstance(input, Tensor):
            raise TypeError(f"BatchNorm1d.forward() expects a Tensor, got {type(input).__name__}")
        if input.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input of shape "
                             f"{tuple(input.shape)})")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            # Counted before the batch is checked, as PyTorch does: a batch refused below has
            # still been counted.
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # the plain average: batch k weighs 1/k
                factor = 1.0 / self.num_batches_tracked.item()
        # Batch statistics in training, and in evaluation when no running ones are kept.
        use_batch = self.training or self.running_mean is None
        update = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if update else None,
                            self.running_var if update else None, self.weight, self.bias,
                            use_batch, factor, self.eps)  # fmt: skip

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `3, eps=1e-05, momentum=0.1, affine=True, bias=True,
                track_running_stats=True`.
        """
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine="
                f"{self.affine}, bias={self.bias is not None}, track_running_stats="
                f"{self.track_running_stats}")


__all__ = ["BatchNorm1d", "LayerNorm"]
