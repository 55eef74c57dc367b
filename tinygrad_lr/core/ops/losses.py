"""Losses with a node of their own.
"""

from __future__ import annotations

from ..engine import Function
from .common import Array, log, quiet


class BinaryCrossEntropy(Function):
    """PyTorch's binary_cross_entropy, elementwise: its own node, as in PyTorch, so that p = 0 or
    p = 1 (a saturated sigmoid) gives the clamped loss and a finite gradient, where log, then
    clamp, then mul would give 0/0 = nan in backward."""

    name = "binary_cross_entropy"
    formula = ("z = -(b·log a + (1-b)·log(1-a)), each log clamped to ≥ -100;   "
               "da = g·(a - b) / max(a·(1-a), 1e-12),   db = g·(log(1-a) - log a)")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return -(b * clamped_log(a) + (1 - b) * clamped_log(1 - a))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # d/da of -(b log a + (1-b) log(1-a)) = (a - b) / (a (1 - a)); the floor 1e-12 keeps it
        # finite where a sigmoid saturated to exactly 0 or 1 (PyTorch's EPSILON).
        da = g * (a - b) / (a * (1 - a)).clip(min=1e-12) if need_a else None
        # The clamped logs, as in the forward (PyTorch's are not clamped here: ±inf at 0 and 1).
        db = g * (clamped_log(1 - a) - clamped_log(a)) if need_b else None
        return da, db


def clamped_log(a: Array) -> Array:
    # log(0) = -inf would make one confident mistake cost infinitely much; PyTorch clamps each
    # log at -100, so one element's loss is at most 100.
    with quiet():
        return log(a).clip(min=-100)


#: Every op, by the name shown in graphs; the gradcheck tests are parametrized from this table.
