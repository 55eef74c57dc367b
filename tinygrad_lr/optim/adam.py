"""`Adam` (with amsgrad, maximize, and weight decay added to the gradient or, with
`decoupled_weight_decay`, applied to the parameter) and `AdamW`, by PyTorch's rules."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..core.engine import no_grad
from .optimizer import Optimizer, check_betas, check_number, zeros_like


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), PyTorch's rule.

    For each parameter p with gradient g, at step t = 1, 2, …, with m = v = v_max = 0 before
    step 1:

        g ← −g                              (maximize=True only)
        g ← g + λ·p                         (weight decay λ, added to the gradient as in PyTorch;
                                             with decoupled_weight_decay, p ← p·(1 − lr·λ)
                                             instead: that is AdamW)
        m ← β₁·m + (1 − β₁)·g               (running mean of the gradient)
        v ← β₂·v + (1 − β₂)·g²              (running mean of its square)
        v_max ← max(v_max, v)               (amsgrad only; v_max replaces v below)
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (undo the bias towards the zeros they start at)
        p ← p − lr · m̂ / (√v̂ + ε)

    Each parameter element gets its own step size, about lr in size whatever the gradient's
    scale: the ratio m̂/√v̂ is near ±1 when the gradient's sign is steady. amsgrad never lets the
    denominator shrink, so that a step cannot grow when gradients become small.

    Args:
        params: the tensors to update, or a list of parameter groups (dicts with "params").
        lr: the learning rate.
        betas: (β₁, β₂), the decay rates of the two running means, each in [0, 1).
        eps: ε, added to the denominator so that it is never 0.
        weight_decay: λ.
        amsgrad: use the largest v so far.
        maximize: climb the objective instead of descending it.
        decoupled_weight_decay: shrink p directly instead of adding λ·p to g (AdamW).

    Examples:
        >>> w = tinygrad_lr.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = tinygrad_lr.optim.Adam([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()                                  # the first step: lr·sign(g)
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "betas": tuple(betas) if isinstance(betas, list)
                                  else betas, "eps": eps, "weight_decay": weight_decay,
                                  "amsgrad": amsgrad, "maximize": maximize,
                                  "decoupled_weight_decay": decoupled_weight_decay})  # fmt: skip

    def check_settings(self, settings: dict[str, Any]) -> None:
        """Refuse a negative lr, eps or weight decay, and betas outside [0, 1).

        Args:
            settings: a group's settings (or the defaults), by name.

        Raises:
            ValueError: for a setting out of range.
        """
        check_number("learning rate", settings["lr"], 0)
        check_number("epsilon value", settings["eps"], 0)
        check_betas(settings["betas"])
        check_number("weight_decay value", settings["weight_decay"], 0)

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            if group["decoupled_weight_decay"] and group["weight_decay"] != 0:
                p.mul_(1 - lr * group["weight_decay"])
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0
                state["exp_avg"], state["exp_avg_sq"] = zeros_like(p), zeros_like(p)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = zeros_like(p)
            state["step"] += 1
            t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
            # In PyTorch's order of operations, so that float32 results agree closely:
            # m moves a fraction (1 − β₁) of the way to g (a lerp), v likewise to g².
            m.add_((g - m) * (1 - beta1))
            v.mul_(beta2).add_(g * (1 - beta2) * g)
            if group["amsgrad"]:
                v = state["max_exp_avg_sq"].copy_(state["max_exp_avg_sq"].maximum(v))
            step_size = lr / (1 - beta1**t)
            denom = v.sqrt() / math.sqrt(1 - beta2**t) + eps
            p.add_((m * -step_size) / denom)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019), PyTorch's rule.

    The same steps as `Adam`, except that weight decay does not enter the gradient (where Adam's
    per-element scaling would weaken it for elements with large gradients); it shrinks every
    parameter directly, before the Adam step:

        p ← p·(1 − lr·λ)

    The default λ is 0.01.

    Args:
        params: the tensors to update, or a list of parameter groups (dicts with "params").
        lr: the learning rate.
        betas: (β₁, β₂), the decay rates of the two running means, each in [0, 1).
        eps: ε, added to the denominator so that it is never 0.
        weight_decay: λ.
        amsgrad: use the largest v so far.
        maximize: climb the objective instead of descending it.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:  # fmt: skip
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)  # fmt: skip
