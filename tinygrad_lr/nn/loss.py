"""Loss functions as modules (each calls the function of the same name in `functional`):
regression (`MSELoss`, `L1Loss`, `SmoothL1Loss`, `HuberLoss`) and classification (`BCELoss`,
`BCEWithLogitsLoss`, `NLLLoss`, `CrossEntropyLoss`)."""

from __future__ import annotations

from ..core.tensor import Tensor
from . import functional as F
from .loss_functions import check_reduction
from .module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text: `reduction='sum'`, or empty for the default 'mean'.
        """
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = weight


class MSELoss(_Loss):
    """Mean squared error, (ŷ − y)² reduced by 'mean' (default), 'sum' or 'none'.

    Args:
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Examples:
        >>> from tinygrad_lr import nn
        >>> loss = nn.MSELoss()
        >>> loss(tinygrad_lr.tensor([1.0, 2.0]), tinygrad_lr.tensor([0.0, 4.0]))   # (1 + 4) / 2
        tensor(2.5000)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The squared error between input and target, reduced as set at construction.

        Args:
            input: the predictions.
            target: the targets, of the input's shape.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error, |ŷ − y| reduced by 'mean' (default), 'sum' or 'none'.

    Args:
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The absolute error between input and target, reduced.

        Args:
            input: the predictions.
            target: the targets, of the input's shape.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Squared error below β, absolute error beyond (see F.smooth_l1_loss).

    Args:
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        beta: where the loss turns from squared to absolute, ≥ 0.
    """

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The smooth l1 loss between input and target, reduced.

        Args:
            input: the predictions.
            target: the targets, of the input's shape.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Half the squared error below δ, δ·(|error| − δ/2) beyond (see F.huber_loss).

    Args:
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        delta: where the loss turns from squared to linear, > 0.
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The Huber loss between input and target, reduced.

        Args:
            input: the predictions.
            target: the targets, of the input's shape.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy between probabilities and 0/1 labels (see F.binary_cross_entropy).

    Args:
        weight: multiplies each element's loss (it broadcasts to the input's shape).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).

    Examples:
        >>> from tinygrad_lr import nn
        >>> loss = nn.BCELoss()
        >>> loss(tinygrad_lr.tensor([0.9, 0.2]), tinygrad_lr.tensor([1.0, 0.0]))
        tensor(0.1643)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The binary cross-entropy of probabilities `input` against `target`, reduced.

        Args:
            input: probabilities, in [0, 1].
            target: labels (or probabilities) in [0, 1], of the input's shape and dtype.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)  # fmt: skip


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy of σ(scores) against labels, computed stably from the scores (see
    F.binary_cross_entropy_with_logits).

    Args:
        weight: multiplies each element's loss (it broadcasts to the input's shape).
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        pos_weight: multiplies the loss of the positive labels (negatives / positives, for
            unbalanced classes).
    """

    def __init__(self, weight: Tensor | None = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:  # fmt: skip
        super().__init__(weight, reduction)
        self.pos_weight = pos_weight

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The binary cross-entropy of σ(input) against `target`, reduced.

        Args:
            input: scores (logits), any real numbers.
            target: labels (or probabilities) in [0, 1], of the input's shape.

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)  # fmt: skip


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of the target classes, for log-probabilities (see F.nll_loss).

    Args:
        weight: one weight per class, of the input's dtype.
        ignore_index: a target class that is left out of the loss and of the mean.
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
    """

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100,
                 reduction: str = "mean") -> None:  # fmt: skip
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The negative log-likelihood of `target` under log-probabilities `input`, reduced.

        Args:
            input: log-probabilities, classes along dim 1: (N, C), or (C,).
            target: class indices, int64, of shape (N,) (0-d for one sample).

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)  # fmt: skip


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of softmax(scores) against class indices or probabilities (see
    F.cross_entropy): the loss of a classifier that outputs one score per class.

    Args:
        weight: one weight per class, of the input's dtype.
        ignore_index: a target class that is left out of the loss and of the mean.
        reduction: 'mean' (the default), 'sum', or 'none' (one loss per element).
        label_smoothing: ε in [0, 1]: the target moves towards uniform, ε/C on every class.

    Examples:
        >>> from tinygrad_lr import nn
        >>> scores = tinygrad_lr.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 0.0]])
        >>> nn.CrossEntropyLoss()(scores, tinygrad_lr.tensor([0, 1]))
        tensor(0.3964)
    """

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:  # fmt: skip
        super().__init__(weight, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        """The cross-entropy of scores `input` against `target`, reduced.

        Args:
            input: scores (logits), classes along dim 1: (N, C), or (C,).
            target: class indices (int64, shape (N,)), or class probabilities
                (float, the input's shape).

        Returns:
            A 0-d tensor for 'mean' and 'sum'; the losses, unreduced, for 'none'.
        """
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


__all__ = ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "HuberLoss", "L1Loss", "MSELoss",
           "NLLLoss", "SmoothL1Loss"]  # fmt: skip
