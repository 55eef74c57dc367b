"""Loss functions as modules: `MSELoss` and `BCELoss` (each calls the function in `functional`)."""

from __future__ import annotations

from ..core.tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        F._check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error, (ŷ - y)² reduced by 'mean' (default), 'sum' or 'none'."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The squared error between input and target, reduced as set at construction."""
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy between probabilities and 0/1 labels (see F.binary_cross_entropy)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The binary cross-entropy of probabilities `input` against `target`, reduced."""
        return F.binary_cross_entropy(input, target, reduction=self.reduction)
