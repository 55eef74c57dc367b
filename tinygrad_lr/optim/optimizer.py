"""`Optimizer`, the common part of every update rule: parameter groups, `zero_grad()`, the
per-parameter `state`, and saving that state (`state_dict()` / `load_state_dict()`).

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

import copy
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor


def check_number(name: str, value: Any, low: float, high: float | None = None,
                 high_open: bool = False) -> None:  # fmt: skip
    """Refuse a setting that is not a finite number in [low, high] (or [low, high))."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"Invalid {name}: expected a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < low or (
            high is not None and (value >= high if high_open else value > high)):  # fmt: skip
        upper = "" if high is None else f" and {'<' if high_open else '<='} {high}"
        raise ValueError(f"Invalid {name}: {value} (it must be finite, >= {low}{upper})")


def check_betas(betas: Any) -> None:
    """Two decay rates, each in [0, 1)."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"Invalid betas: expected a pair (beta1, beta2), got {betas!r}")
    check_number("beta parameter at index 0", betas[0], 0, 1, high_open=True)
    check_number("beta parameter at index 1", betas[1], 0, 1, high_open=True)


def zeros_like(p: Tensor) -> Tensor:
    """A new tensor of zeros shaped like `p`: the starting value of a running average."""
    return Tensor._wrap(np.zeros_like(p._data))


class Optimizer:
    """The common part of the optimizers: parameter groups, `zero_grad()` and `state`.

    `param_groups` is a list of dicts, each holding parameters and the settings for them, as in
    PyTorch: `opt.param_groups[0]["lr"] = 0.01` changes the learning rate mid-training, and
    `SGD([{"params": body}, {"params": head, "lr": 0.1}], lr=0.01)` gives the head its own.
    A group's missing settings are taken from the constructor's (`defaults`).

    Args:
        params: the tensors to update (an iterable, such as `model.parameters()`), or a list of
            parameter groups: dicts with a "params" key and settings of their own.
        defaults: the settings of a group that does not give its own (the subclass's
            constructor arguments).

    Raises:
        ValueError: for an empty parameter list, or a parameter listed twice.
        TypeError: for a lone Tensor (wrap it in a list) or anything but a tensor in it.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors, but got a Tensor (wrap it in a list: [w])")
        self.check_settings(defaults)
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], Mapping):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def check_settings(self, settings: Mapping[str, Any]) -> None:
        """Raise if a setting is out of range (each optimizer checks its own).

        Args:
            settings: a group's settings (or the defaults), by name.
        """

    def add_param_group(self, param_group: Mapping[str, Any]) -> None:
        """Add a group of parameters with its own settings (the others from `defaults`).

        Useful to train layers unfrozen later in training: `opt.add_param_group({"params":
        layer.parameters(), "lr": 1e-4})`.

        Args:
            param_group: a dict with a "params" key (a tensor or an iterable of them) and, if it
                wants, its own settings.

        Raises:
            ValueError: for a parameter that is already in a group.
        """
        if not isinstance(param_group, Mapping):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise KeyError("'params' (a parameter group is a dict with a 'params' key holding "
                           "its tensors)")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        for i, p in enumerate(params):
            _check_parameter(p, i)
            if id(p) in taken:
                where = "more than once in the parameter list" if any(
                    q is p for q in params[:i]) else "in more than one parameter group"
                raise ValueError(f"parameter {i} appears {where} (some parameters appear in "
                                 "more than one parameter group)")  # fmt: skip
            taken.add(id(p))
        group = {**self.defaults, **param_group, "params": params}
        self.check_settings(group)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of the last backward() (they accumulate otherwise).

        `set_to_none=True` (the default, as in PyTorch) drops the `.grad` tensors; False fills
        them with zeros instead.

        Args:
            set_to_none: drop the `.grad` tensors, rather than fill them with zeros.
        """
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.zero_()

    def step(self) -> None:
        """Update the parameters from their `.grad` (each optimizer defines the rule)."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    def _gradients(self) -> Iterator[tuple[dict[str, Any], Tensor, Tensor]]:
        """Each parameter that has a gradient (those without one are left alone), with its group
        and the gradient its rule starts from: g, or −g with maximize=True (climbing instead of
        descending), plus λ·p with weight decay λ, the gradient of the penalty λ/2·‖p‖²."""
        for group in self.param_groups:
            maximize = group.get("maximize", False)
            # Decoupled weight decay (AdamW) shrinks p directly, in the rule, instead.
            wd = 0 if group.get("decoupled_weight_decay") else group.get("weight_decay", 0)
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if maximize:
                    g = -g
                yield group, p, (g if wd == 0 else g.add(p, alpha=wd))

    # --- saving and loading -------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The settings and the per-parameter state, as PyTorch lays them out: parameters are
        numbered in group order, so that the dict can be loaded into a new optimizer over the
        same model (`{"state": {0: {...}, ...}, "param_groups": [{..., "params": [0, 1]}]}`).

        The state's tensors are the optimizer's own (not copies), as in PyTorch.

        Returns:
            A dict with the keys "state" ({parameter number: {name: value}}) and "param_groups"
                (the groups' settings, with their parameters' numbers under "params").

        Examples:
            >>> w = tinygrad_lr.tensor([1.0, -2.0], requires_grad=True)
            >>> opt = tinygrad_lr.optim.SGD([w], lr=0.1, momentum=0.9)
            >>> (w ** 2).sum().backward()
            >>> opt.step()
            >>> opt.state_dict()["state"]
            {0: {'momentum_buffer': tensor([ 2., -4.])}}
        """
        number: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            numbers = [number.setdefault(id(p), len(number)) for p in group["params"]]
            groups.append({**{k: v for k, v in group.items() if k != "params"},
                           "params": numbers})  # fmt: skip
        state = {number[id(p)]: dict(s) for p, s in self.state.items() if id(p) in number}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Take the settings and state saved by `state_dict()` (of an optimizer of the same
        kind, over parameters of the same shapes, in the same order).

        Args:
            state_dict: what `state_dict()` returned (or the same read back from a file).

        Raises:
            ValueError: when the groups, their sizes or the state's shapes do not match this
                optimizer's.
        """
        if not isinstance(state_dict, Mapping) or not {"state", "param_groups"} <= set(
                state_dict):  # fmt: skip
            raise ValueError("an optimizer state_dict is a dict with the keys 'state' and "
                             "'param_groups' (what Optimizer.state_dict() returns)")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"loaded state dict has a different number of parameter groups "
                             f"({len(saved_groups)}) than this optimizer "
                             f"({len(self.param_groups)})")
        by_number: dict[Any, Tensor] = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"loaded state dict contains a parameter group that doesn't "
                                 f"match the size of optimizer's group (group {i}: "
                                 f"{len(saved['params'])} saved, {len(group['params'])} here)")
            by_number.update(zip(saved["params"], group["params"]))
        state: dict[Tensor, dict[str, Any]] = {}
        for key, values in state_dict["state"].items():
            p = by_number[int(key)]  # (a state dict read back from JSON may have "0" for 0)
            state[p] = {name: _state_value(value, p, name) for name, value in values.items()}
        for saved, group in zip(saved_groups, self.param_groups):
            group.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})
            if isinstance(group.get("betas"), list):
                group["betas"] = tuple(group["betas"])
        self.state = state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines += ([""] if i else []) + [f"Parameter Group {i}"]
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


def _check_parameter(p: Any, i: int) -> None:
    if not isinstance(p, Tensor):
        raise TypeError(f"optimizer can only optimize Tensors, but parameter {i} is a "
                        f"{type(p).__name__}")
    if not p.is_leaf:
        raise ValueError(f"can't optimize a non-leaf Tensor (parameter {i}, made by "
                         f"{p.grad_fn.name}); optimize the tensors you created instead")


def _state_value(value: Any, p: Tensor, name: str) -> Any:
    """A saved state entry, made the optimizer's own: tensors copied, with the parameter's
    dtype (a running average of a float32 parameter is float32); the step count as a number
    (PyTorch keeps it in a tensor)."""
    if name == "step" and isinstance(value, Tensor):
        return value.item()
    if isinstance(value, Tensor):
        if value.shape != p.shape:
            raise ValueError(f"loaded state {name!r} has shape {tuple(value.shape)}, but its "
                             f"parameter has shape {tuple(p.shape)}")
        dtype = p.dtype if value.dtype.kind == "f" else value.dtype
        return Tensor._wrap(np.array(value._data, dtype=dtype))
    return copy.deepcopy(value)
