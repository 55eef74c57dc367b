"""`RMSprop`: steps scaled by a running root-mean-square of the gradient, by PyTorch's rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.engine import no_grad
from .optimizer import Optimizer, check_number, zeros_like


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012), PyTorch's rule.

    For each parameter p with gradient g, with s = ḡ = b = 0 before the first step:

        g ← −g                              (maximize=True only)
        g ← g + λ·p                         (weight decay λ)
        s ← α·s + (1 − α)·g²                (running mean of the squared gradient)
        ḡ ← α·ḡ + (1 − α)·g                 (centered only: running mean of the gradient)
        d = √(s − ḡ²) + ε   if centered     (a running standard deviation of g)
        d = √s + ε          otherwise       (a running root-mean-square of g)
        b ← μ·b + g / d,  p ← p − lr·b      if momentum μ > 0
        p ← p − lr·g / d                    otherwise

    Dividing by the gradient's typical size gives each element a step of about lr, like Adam
    without Adam's running mean of g (and without bias correction: early steps are larger,
    since s starts at 0).

    Args:
        params: the tensors to update, or a list of parameter groups (dicts with "params").
        lr: the learning rate.
        alpha: α, the decay rate of the running means.
        eps: ε, added to the denominator so that it is never 0.
        weight_decay: λ.
        momentum: μ (0: none).
        centered: divide by the running standard deviation rather than the root-mean-square.
        maximize: climb the objective instead of descending it.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, *, maximize: bool = False) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps,
                                  "weight_decay": weight_decay, "momentum": momentum,
                                  "centered": centered, "maximize": maximize})  # fmt: skip

    def check_settings(self, settings: dict[str, Any]) -> None:
        """Refuse negative lr, alpha, eps, momentum or weight decay.

        Args:
            settings: a group's settings (or the defaults), by name.

        Raises:
            ValueError: for a setting out of range.
        """
        check_number("learning rate", settings["lr"], 0)
        check_number("alpha value", settings["alpha"], 0)
        check_number("epsilon value", settings["eps"], 0)
        check_number("momentum value", settings["momentum"], 0)
        check_number("weight_decay value", settings["weight_decay"], 0)

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            alpha, momentum = group["alpha"], group["momentum"]
            state = self.state.setdefault(p, {})
            if not state:
                state["step"], state["square_avg"] = 0, zeros_like(p)
                if momentum > 0:
                    state["momentum_buffer"] = zeros_like(p)
                if group["centered"]:
                    state["grad_avg"] = zeros_like(p)
            state["step"] += 1
            square_avg = state["square_avg"].mul_(alpha).add_(g * (1 - alpha) * g)
            if group["centered"]:
                grad_avg = state["grad_avg"]
                grad_avg.add_((g - grad_avg) * (1 - alpha))
                denom = (square_avg - grad_avg * grad_avg).sqrt() + group["eps"]
            else:
                denom = square_avg.sqrt() + group["eps"]
            if momentum > 0:
                buf = state["momentum_buffer"].mul_(momentum).add_(g / denom)
                p.add_(buf, alpha=-group["lr"])
            else:
                p.add_((g * -group["lr"]) / denom)
