"""`Adagrad`: steps scaled by the root of all past squared gradients, by PyTorch's rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..core.engine import no_grad
from ..core.tensor import Tensor
from .optimizer import Optimizer, check_number


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011), PyTorch's rule.

    For each parameter p with gradient g, at step t = 1, 2, …, with the sum s = s₀
    (initial_accumulator_value) before step 1:

        g ← −g                              (maximize=True only)
        g ← g + λ·p                         (weight decay λ)
        η = lr / (1 + (t − 1)·lr_decay)
        s ← s + g²                          (every squared gradient so far)
        p ← p − η · g / (√s + ε)

    An element that has had large gradients takes small steps and one that has had small ones
    takes large steps. Since s only grows, the steps shrink for good: fine for convex problems,
    often too soon for deep networks (what RMSprop's running mean fixes).

    Args:
        params: the tensors to update, or a list of parameter groups (dicts with "params").
        lr: the learning rate.
        lr_decay: how fast η decreases with the step count.
        weight_decay: λ.
        initial_accumulator_value: s₀, what the sum of squares starts from.
        eps: ε, added to the denominator so that it is never 0.
        maximize: climb the objective instead of descending it.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay, "eps": eps,
                                  "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value,
                                  "maximize": maximize})  # fmt: skip
        for group in self.param_groups:  # PyTorch fills the sums at construction
            for p in group["params"]:
                self._start(p, group)

    def _start(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p] = {"step": 0, "sum": Tensor._wrap(
            np.full(p.shape, group["initial_accumulator_value"], p.dtype))}
        return state

    def check_settings(self, settings: dict[str, Any]) -> None:
        """Refuse negative lr, lr_decay, weight decay, initial accumulator or eps.

        Args:
            settings: a group's settings (or the defaults), by name.

        Raises:
            ValueError: for a setting out of range.
        """
        check_number("learning rate", settings["lr"], 0)
        check_number("lr_decay value", settings["lr_decay"], 0)
        check_number("weight_decay value", settings["weight_decay"], 0)
        check_number("initial_accumulator_value value", settings["initial_accumulator_value"], 0)
        check_number("epsilon value", settings["eps"], 0)

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient (those without one are left alone)."""
        for group, p, g in self._gradients():
            state = self.state.get(p) or self._start(p, group)  # (a group added later)
            state["step"] += 1
            lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
            total = state["sum"].add_(g * g)
            p.add_((g * -lr) / (total.sqrt() + group["eps"]))
