"""Learning-rate schedules (`tinygrad_lr.optim.lr_scheduler`): the learning rate as a function of
the epoch, written into the optimizer's parameter groups at each `scheduler.step()`.

    opt = SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(opt, step_size=30, gamma=0.1)   # 0.1 for 30 epochs, then 0.01, ...
    for epoch in range(100):
        train_one_epoch(model, opt)                    # opt.step() inside
        scheduler.step()                               # after the optimizer's steps

Large steps early cover ground; small steps late let the parameters settle where constant-lr
SGD would keep jittering around the minimum.

As in PyTorch, each schedule computes the next rate from the current one (the "chainable"
form: StepLR multiplies the group's lr by γ), so that two schedulers on one optimizer compose,
and a rate changed by hand carries on from its new value. Each docstring also gives the closed
form, the rate at epoch t when nothing else touches it.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from .optimizer import Optimizer


class LRScheduler:
    """The common part: the base rates, the epoch count, `step()` and `get_last_lr()`.

    Constructing a scheduler takes step 0 at once: each group's lr is set to its value at
    epoch 0 (its own starting lr, kept as the group's 'initial_lr').

    Args:
        optimizer: the optimizer whose groups' rates to set.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when "
                               "resuming an optimizer (last_epoch != -1)")
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self.step()

    def get_lr(self) -> list[float]:
        """The rates for the epoch `last_epoch`, from the groups' current rates.

        Returns:
            One rate per parameter group.

        Raises:
            NotImplementedError: here: each schedule defines it.
        """
        raise NotImplementedError(f"{type(self).__name__} does not define get_lr()")

    def _closed_form(self) -> list[float]:
        """The rates at `last_epoch` computed from the base rates alone."""
        return self.get_lr()

    def step(self, epoch: int | None = None) -> None:
        """Move on one epoch (or, deprecated, to `epoch`) and set each group's lr for it.

        Args:
            epoch: PyTorch's deprecated argument: jump to this epoch (the closed form gives its
                rate), with a warning.
        """
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            lrs = self.get_lr()
        else:
            warnings.warn("The epoch parameter in `scheduler.step()` was not necessary and is "
                          "being deprecated where possible. Please use `scheduler.step()` to "
                          "step the scheduler.", UserWarning, stacklevel=2)
            self.last_epoch = epoch
            lrs = self._closed_form()
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The rates the last `step()` set, one per parameter group.

        Returns:
            One rate per parameter group.
        """
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's own attributes (not the optimizer, nor functions such as LambdaLR's).

        Returns:
            A dict of the attributes, such as `base_lrs` and `last_epoch`.
        """
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the attributes saved by `state_dict()`.

        Args:
            state_dict: what `state_dict()` returned.
        """
        self.__dict__.update(state_dict)

    def _current(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


def _positive_int(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


class StepLR(LRScheduler):
    """Multiply the rate by γ every `step_size` epochs: lr_t = lr₀·γ^⌊t / step_size⌋.

    Args:
        optimizer: the optimizer whose groups' rates to set.
        step_size: the number of epochs between two multiplications, a positive int.
        gamma: γ, the factor.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').

    Examples:
        >>> from tinygrad_lr.optim import SGD, lr_scheduler
        >>> opt = SGD([tinygrad_lr.zeros(1, requires_grad=True)], lr=0.1)
        >>> scheduler = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(scheduler.get_last_lr()[0])    # opt.step() calls would go here
        ...     scheduler.step()
        >>> rates
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:  # fmt: skip
        self.step_size, self.gamma = _positive_int("step_size", step_size), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times γ on the epochs that are multiples of step_size.

        Returns:
            One rate per parameter group.
        """
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the rate by γ at each milestone epoch: lr_t = lr₀·γ^(milestones ≤ t).

    Args:
        optimizer: the optimizer whose groups' rates to set.
        milestones: the epochs at which to multiply (one listed twice multiplies twice).
        gamma: γ, the factor.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').
    """

    def __init__(self, optimizer: Optimizer, milestones: Sequence[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:  # fmt: skip
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times γ (once per repeat) on a milestone epoch.

        Returns:
            One rate per parameter group.
        """
        if self.last_epoch not in self.milestones:
            return self._current()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current()]

    def _closed_form(self) -> list[float]:
        passed = bisect.bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the rate by γ every epoch: lr_t = lr₀·γᵗ.

    Args:
        optimizer: the optimizer whose groups' rates to set.
        gamma: γ, the factor.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates times γ (unchanged at epoch 0).

        Returns:
            One rate per parameter group.
        """
        if self.last_epoch == 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from lr₀ down to η_min over T_max epochs:

        lr_t = η_min + (lr₀ − η_min)·(1 + cos(π·t / T_max)) / 2

    fast at first, slow at both ends. Past T_max the cosine goes on, back up to lr₀ at 2·T_max.
    Each step multiplies (lr − η_min) by the ratio of consecutive cosine factors, which gives
    the formula above when nothing else changes the rate (PyTorch's chainable form).

    Args:
        optimizer: the optimizer whose groups' rates to set.
        T_max: the number of epochs from lr₀ down to η_min, a positive int.
        eta_min: η_min, the lowest rate.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').

    Examples:
        >>> from tinygrad_lr.optim import SGD, lr_scheduler
        >>> opt = SGD([tinygrad_lr.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = lr_scheduler.CosineAnnealingLR(opt, T_max=4)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(round(scheduler.get_last_lr()[0], 4))
        ...     scheduler.step()
        >>> rates
        [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,  # noqa: N803
                 last_epoch: int = -1) -> None:  # fmt: skip
        self.T_max, self.eta_min = _positive_int("T_max", T_max), eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates for the next epoch, from the current ones.

        Returns:
            One rate per parameter group.
        """
        t, period, low = self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return self._current()
        if self._step_count == 1 and t > 0:  # resumed at a later epoch: the formula
            return self._closed_form()
        if (t - 1 - period) % (2 * period) == 0:
            # The rate was at η_min, where the ratio below would be 0/0: add the first step up.
            return [lr + (base - low) * (1 - math.cos(math.pi / period)) / 2
                    for lr, base in zip(self._current(), self.base_lrs)]  # fmt: skip
        ratio = (1 + math.cos(math.pi * t / period)) / (1 + math.cos(math.pi * (t - 1) / period))
        return [ratio * (lr - low) + low for lr in self._current()]

    def _closed_form(self) -> list[float]:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]


class LambdaLR(LRScheduler):
    """lr_t = lr₀·f(t), for a function f of the epoch (one per parameter group, or one for all).

    LambdaLR(opt, lambda epoch: 0.95 ** epoch)

    Args:
        optimizer: the optimizer whose groups' rates to set.
        lr_lambda: f, a function of the epoch; or a list of them, one per parameter group.
        last_epoch: the epoch to resume after (-1: start afresh; otherwise every group needs
            its 'initial_lr').
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
                 last_epoch: int = -1) -> None:  # fmt: skip
        n = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 0
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n:
                raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Each base rate times its function of the epoch.

        Returns:
            One rate per parameter group.
        """
        return [base * f(self.last_epoch) for f, base in zip(self.lr_lambdas, self.base_lrs)]


__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "MultiStepLR",
           "StepLR"]  # fmt: skip
