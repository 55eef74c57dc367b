"""`SGD`: stochastic gradient descent, with momentum (heavy-ball or Nesterov), dampening, weight
decay and maximize, by PyTorch's rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.engine import no_grad
from .optimizer import Optimizer, check_number


class SGD(Optimizer):
    r"""Stochastic gradient descent, PyTorch's rule.

    For each parameter p with gradient g, at step t = 1, 2, …:

        g ← −g                              (maximize=True only: climb instead of descend)
        g ← g + λ·p                         (weight decay λ: the gradient of λ/2·‖p‖²)
        b ← g                  if t = 1     (momentum μ ≠ 0 only: a running sum of gradients)
        b ← μ·b + (1 − τ)·g    if t > 1     (τ: dampening)
        g ← g + μ·b            if nesterov  (look one momentum step ahead)
        g ← b                  otherwise
        p ← p − lr·g

    With μ = 0 and λ = 0 this is p ← p − lr·∂L/∂p, the seed program's update. Momentum lets
    steps build up along directions where the gradient keeps its sign, to about lr/(1 − μ)·g,
    and cancel along directions where it flips.

    Args:
        params: the tensors to update, or a list of parameter groups (dicts with "params").
        lr: the learning rate.
        momentum: μ, the momentum factor (0: none).
        dampening: τ, how much less of each new gradient the momentum takes.
        weight_decay: λ, the weight of the penalty λ/2·‖p‖².
        nesterov: Nesterov's momentum (needs μ > 0 and τ = 0).
        maximize: climb the objective instead of descending it.

    Examples:
        >>> w = tinygrad_lr.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = tinygrad_lr.optim.SGD([w], lr=0.1)
        >>> (w ** 2).sum().backward()                   # g = 2w
        >>> opt.step()                                  # w - 0.1·2w
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "maximize": maximize})  # fmt: skip

    def check_settings(self, settings: dict[str, Any]) -> None:
        """Refuse a negative lr, momentum or weight decay, and Nesterov without momentum.

        Args:
            settings: a group's settings (or the defaults), by name.

        Raises:
            ValueError: for a setting out of range.
        """
        check_number("learning rate", settings["lr"], 0)
        check_number("momentum value", settings["momentum"], 0)
        check_number("dampening value", settings["dampening"], 0)
        check_number("weight_decay value", settings["weight_decay"], 0)
        if settings["nesterov"] and (settings["momentum"] <= 0 or settings["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            mu = group["momentum"]
            if mu != 0:
                state = self.state.setdefault(p, {})
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = g.clone()
                else:
                    buf.mul_(mu).add_(g, alpha=1 - group["dampening"])
                g = g.add(buf, alpha=mu) if group["nesterov"] else buf
            p.add_(g, alpha=-group["lr"])
