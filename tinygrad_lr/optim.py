"""Optimizers: `SGD` (with momentum and weight decay) and `Adam`, with PyTorch's update rules.

An optimizer holds the parameters and, after `loss.backward()` has filled their `.grad`, moves
each one against its gradient in `step()`. The updates run under `no_grad` (an update is not part
of the model's computation) and change each parameter in place: the model keeps the same Tensor
objects, which is why the optimizer can hold them.

    opt = SGD(model.parameters(), lr=0.02)
    for x, y in batches:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .core.engine import no_grad
from .core.tensor import Tensor


def _check_number(name: str, value: Any, low: float, high: float | None = None,
                  high_open: bool = False) -> None:  # fmt: skip
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            isinstance(value, complex):  # fmt: skip
        raise TypeError(f"Invalid {name}: expected a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < low or (
            high is not None and (value >= high if high_open else value > high)):  # fmt: skip
        upper = "" if high is None else f" and {'<' if high_open else '<='} {high}"
        raise ValueError(f"Invalid {name}: {value} (it must be finite, >= {low}{upper})")


class Optimizer:
    """The common part: the parameter list, `zero_grad()`, and per-parameter `state`.

    `param_groups` is a list with one dict holding the parameters and the settings, as in
    PyTorch, so that `opt.param_groups[0]["lr"] = 0.01` changes the learning rate mid-training.
    """

    def __init__(self, params: Iterable[Tensor], defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors, but got a Tensor (wrap it in a list: [w])")
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        seen: set[int] = set()
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but parameter {i} is a "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"can't optimize a non-leaf Tensor (parameter {i}, made by "
                                 f"{p.grad_fn.name}); optimize the tensors you created instead")
            if not p.requires_grad:
                raise ValueError(f"parameter {i} (shape {tuple(p.shape)}) does not require "
                                 "grad, so it would never get a gradient to follow")
            if id(p) in seen:
                raise ValueError(f"parameter {i} appears more than once in the parameter list")
            seen.add(id(p))
        self.param_groups: list[dict[str, Any]] = [{"params": params, **defaults}]
        self.state: dict[Tensor, dict[str, Any]] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of the last backward() (they accumulate otherwise)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.zero_()

    def step(self) -> None:
        """Update the parameters from their `.grad` (each optimizer defines the rule)."""
        raise NotImplementedError

    def _gradients(self) -> Iterator[tuple[dict[str, Any], Tensor, Tensor]]:
        # Each parameter that has a gradient (those without one are left alone), with its group
        # and its gradient plus weight decay, g + λ·p: where every update rule here begins.
        for group in self.param_groups:
            wd = group["weight_decay"]
            for p in group["params"]:
                if p.grad is not None:
                    yield group, p, (p.grad if wd == 0 else p.grad.add(p, alpha=wd))

    def __repr__(self) -> str:
        group = self.param_groups[0]
        settings = "".join(f"\n    {k}: {v}" for k, v in group.items() if k != "params")
        return f"{type(self).__name__} ({settings}\n)"


class SGD(Optimizer):
    r"""Stochastic gradient descent, PyTorch's rule (dampening 0, no Nesterov).

    For each parameter p with gradient g, at step t = 1, 2, …:

        g ← g + λ·p                         (weight decay λ: the gradient of λ/2·‖p‖²)
        b ← g                  if t = 1     (momentum μ ≠ 0 only: a running sum of gradients)
        b ← μ·b + g            if t > 1
        g ← b
        p ← p − lr·g

    With μ = 0 and λ = 0 this is p ← p − lr·∂L/∂p, the seed program's update.
    """

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3, momentum: float = 0,
                 weight_decay: float = 0) -> None:  # fmt: skip
        _check_number("learning rate", lr, 0)
        _check_number("momentum value", momentum, 0)
        _check_number("weight_decay value", weight_decay, 0)
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            mu = group["momentum"]
            if mu != 0:
                state = self.state.setdefault(p, {})
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = g.clone()
                else:
                    state["momentum_buffer"].mul_(mu).add_(g)
                g = state["momentum_buffer"]
            p.add_(g, alpha=-group["lr"])


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), PyTorch's rule (without amsgrad).

    For each parameter p with gradient g, at step t = 1, 2, …, with m = v = 0 before step 1:

        g ← g + λ·p                         (weight decay λ, added to the gradient as in PyTorch;
                                             AdamW would decay p directly instead)
        m ← β₁·m + (1 − β₁)·g               (running mean of the gradient)
        v ← β₂·v + (1 − β₂)·g²              (running mean of its square)
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (undo the bias towards the zeros they start at)
        p ← p − lr · m̂ / (√v̂ + ε)

    Each parameter element gets its own step size, about lr in size whatever the gradient's
    scale: the ratio m̂/√v̂ is near ±1 when the gradient's sign is steady.
    """

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0) -> None:  # fmt: skip
        _check_number("learning rate", lr, 0)
        _check_number("epsilon value", eps, 0)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"Invalid betas: expected a pair (beta1, beta2), got {betas!r}")
        _check_number("beta parameter at index 0", betas[0], 0, 1, high_open=True)
        _check_number("beta parameter at index 1", betas[1], 0, 1, high_open=True)
        _check_number("weight_decay value", weight_decay, 0)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay})  # fmt: skip

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0
                state["exp_avg"] = Tensor._wrap(np.zeros_like(p._data))
                state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._data))
            state["step"] += 1
            t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
            # In PyTorch's order of operations, so that float32 results agree closely:
            # m moves a fraction (1 - β₁) of the way to g (a lerp), v likewise to g².
            m.add_((g - m) * (1 - beta1))
            v.mul_(beta2).add_(g * (1 - beta2) * g)
            step_size = lr / (1 - beta1**t)
            denom = v.sqrt() / math.sqrt(1 - beta2**t) + eps
            p.sub_(m / denom * step_size)
