"""The optimizers' updates, as the compiled step writes them: SGD and Adam.

`optimizer.step()` inside a compiled step is not traced op by op like the rest: its settings (the
learning rate, momentum, betas, weight decay, eps) and Adam's step count are Python numbers that
change between calls (a schedule changes the learning rate; Adam's bias correction changes at
every step), and a trace would fold them into constants. Instead, each supported optimizer class
has a rule here that writes its update with those numbers as inputs of the generated function,
read from `param_groups` and `state` at every call, and with the arrays of `state` (momentum
buffers, Adam's running means) as inputs and outputs.

Each rule repeats its class's `step()` operation by operation, in the same order and with the
same numpy kernels, so that the compiled update is bit for bit the eager one. The compiled step
checks that on its first calls: should the optimizer's code change, the check fails with a
warning and the step runs eagerly until the rule here is brought up to date.

Only the options a rule knows are accepted; anything else (nesterov, amsgrad, maximize, a
dampening, options of later versions) makes the step run eagerly, with a warning saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .recorder import Recorder
from .traced import Node, Traced, TracedNumber


class Setting:
    """One number of a parameter group (`lr`), or of a pair (`betas`, `index`), at each call."""

    def __init__(self, group: dict, key: str, index: int | None = None) -> None:
        self.group, self.key, self.index = group, key, index
        self.name = key if index is None else f"{key[:-1]}{index + 1}"  # betas -> beta1, beta2

    def fetch(self, args: tuple) -> Any:
        value = self.group[self.key]
        return value if self.index is None else value[self.index]


class StateArray:
    """An array the optimizer keeps for a parameter (`state[p]["momentum_buffer"]`)."""

    def __init__(self, optimizer: Any, param: Tensor, key: str, name: str) -> None:
        self.optimizer, self.param, self.key, self.name = optimizer, param, key, name

    def fetch(self, args: tuple) -> Any:
        return self.optimizer.state[self.param][self.key]._data


class StepNumber:
    """Adam's step count for a parameter, as the step about to be taken sees it (one more)."""

    def __init__(self, optimizer: Any, param: Tensor) -> None:
        self.optimizer, self.param, self.name = optimizer, param, "step"

    def fetch(self, args: tuple) -> Any:
        return self.optimizer.state.get(self.param, {}).get("step", 0) + 1


class Update:
    """What one recorded `optimizer.step()` adds to the compiled step.

    `outputs`: the arrays the optimizer keeps from now on (param, state key, node); `steps`:
    Adam's step counts (param, its StepNumber input), stored after each call; `structure()`
    describes what the update's code depends on (which options are on, which state exists),
    checked at each call against its value when traced.
    """

    def __init__(self, optimizer: Any, structure: Callable[[], Any]) -> None:
        self.optimizer, self.structure = optimizer, structure
        self.traced_structure = structure()
        self.outputs: list[tuple[Tensor, str, Node]] = []
        self.steps: list[tuple[Tensor, Node]] = []


def refusal(optimizer: Any) -> str | None:
    """Why this optimizer's step cannot be compiled, or None if it can."""
    rule = rules().get(type(optimizer))
    if rule is None:
        return f"{type(optimizer).__name__}.step() is not supported by compile (SGD and Adam are)"
    allowed = rule[1]
    for group in optimizer.param_groups:
        for key, value in group.items():
            if key in ("params", "lr", "momentum", "weight_decay", "betas", "eps"):
                if key == "lr" and not isinstance(value, (int, float)):
                    return f"a learning rate that is a {type(value).__name__} is not supported"
                continue
            if key not in allowed:
                return f"{type(optimizer).__name__}'s option {key}={value!r} is not supported"
            if value not in allowed[key]:
                return (f"{type(optimizer).__name__}({key}={value!r}) is not supported by compile "
                        f"(only {key}={allowed[key][0]!r})")
    return None


def record_step(recorder: Recorder, optimizer: Any) -> Update:
    """Write `optimizer.step()` into the trace (before the eager step runs it)."""
    return rules()[type(optimizer)][0](recorder, optimizer)


class Settings:
    """The numbers of the parameter groups, each an input of the generated function once."""

    def __init__(self, recorder: Recorder, optimizer: Any) -> None:
        self.recorder, self.several = recorder, len(optimizer.param_groups) > 1
        self.found: dict[tuple[int, str, int | None], TracedNumber] = {}

    def __call__(self, i: int, group: dict, key: str, index: int | None = None) -> TracedNumber:
        if (i, key, index) not in self.found:
            source = Setting(group, key, index)
            name = source.name + (f"_{i}" if self.several else "")
            self.found[i, key, index] = self.recorder.number(source.fetch(()), name, source)
        return self.found[i, key, index]


def _with_grads(optimizer: Any) -> list[tuple[int, dict, Tensor]]:
    return [(i, group, p) for i, group in enumerate(optimizer.param_groups)
            for p in group["params"] if p._grad is not None]  # fmt: skip


def sgd(recorder: Recorder, optimizer: Any) -> Update:
    """SGD.step: g ← g + λ·p;  b ← g (first step) or μ·b + g;  p ← p − lr·b."""

    def structure() -> Any:
        return tuple((id(p), group["momentum"] != 0, group["weight_decay"] != 0,
                      "momentum_buffer" in optimizer.state.get(p, {}))
                     for _, group, p in _with_grads(optimizer))  # fmt: skip

    update, setting = Update(optimizer, structure), Settings(recorder, optimizer)
    for i, group, p in _with_grads(optimizer):
        name = _param_name(recorder, p)
        g = recorder.traced(p._grad)
        if group["weight_decay"] != 0:  # p.grad.add(p, alpha=λ)
            g = g + recorder.traced(p) * setting(i, group, "weight_decay")
        if group["momentum"] != 0:
            if "momentum_buffer" not in optimizer.state.get(p, {}):  # b = g.clone()
                buffer = g.copy()
                buffer.node.hint = f"{name}_momentum"
                update.outputs.append((p, "momentum_buffer", buffer.node))
            else:  # b.mul_(μ).add_(g)
                buffer = _state(recorder, optimizer, p, "momentum_buffer", f"{name}_momentum")
                buffer *= setting(i, group, "momentum")
                buffer += g
            g = buffer
        target = recorder.traced(p)  # p.add_(g, alpha=-lr)
        target += g * -setting(i, group, "lr")
    return update


def adam(recorder: Recorder, optimizer: Any) -> Update:
    """Adam.step, in its order of operations: m and v move towards g and g², then
    p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)."""

    def structure() -> Any:
        return tuple((id(p), group["weight_decay"] != 0, group["decoupled_weight_decay"],
                      bool(optimizer.state.get(p)))
                     for _, group, p in _with_grads(optimizer))  # fmt: skip

    update, setting = Update(optimizer, structure), Settings(recorder, optimizer)
    for i, group, p in _with_grads(optimizer):
        name = _param_name(recorder, p)
        g = recorder.traced(p._grad)
        lr, eps = setting(i, group, "lr"), setting(i, group, "eps")
        if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:  # AdamW: p.mul_(…)
            shrunk = recorder.traced(p)
            shrunk *= 1 - lr * setting(i, group, "weight_decay")
        elif group["weight_decay"] != 0:
            g = g + recorder.traced(p) * setting(i, group, "weight_decay")
        beta1, beta2 = setting(i, group, "betas", 0), setting(i, group, "betas", 1)
        source = StepNumber(optimizer, p)
        t = recorder.number(source.fetch(()), f"{name}_step", source)
        update.steps.append((p, t.node))
        if optimizer.state.get(p):
            m = _state(recorder, optimizer, p, "exp_avg", f"{name}_m")
            v = _state(recorder, optimizer, p, "exp_avg_sq", f"{name}_v")
        else:  # the first step: the running means start at 0
            m, v = np.zeros_like(recorder.traced(p)), np.zeros_like(recorder.traced(p))
            m.node.hint, v.node.hint = f"{name}_m", f"{name}_v"
            update.outputs += [(p, "exp_avg", m.node), (p, "exp_avg_sq", v.node)]
        m += (g - m) * (1 - beta1)
        v *= beta2
        v += g * (1 - beta2) * g
        bias_correction1, bias_correction2 = 1 - beta1**t, 1 - beta2**t
        step_size = lr / bias_correction1
        denom = np.sqrt(v) / bias_correction2.sqrt() + eps
        step_size.node.hint, denom.node.hint = "step_size", "denom"  # (as Adam's code names them)
        target = recorder.traced(p)  # p.add_((m * -step_size) / denom)
        target += (m * -step_size) / denom
    return update


def _state(recorder: Recorder, optimizer: Any, p: Tensor, key: str, name: str) -> Traced:
    source = StateArray(optimizer, p, key, name)
    return recorder.state_input(optimizer.state[p][key]._data, name, source)


def _param_name(recorder: Recorder, p: Tensor) -> str:
    hit = recorder.known.get(id(p._data))
    return (hit[1].hint if hit is not None else None) or p._name or "p"


def rules() -> dict[type, tuple[Callable[[Recorder, Any], Update], dict[str, tuple]]]:
    """Each supported optimizer class: its rule, and the options it accepts beyond the numbers
    it reads, with the values it accepts (the first is the default)."""
    from .. import optim

    common = {"foreach": (None, False), "differentiable": (False,), "fused": (None, False),
              "maximize": (False,)}  # fmt: skip
    return {
        optim.SGD: (sgd, {"dampening": (0,), "nesterov": (False,), **common}),
        optim.Adam: (adam, {"amsgrad": (False,), "capturable": (False,),
                            "decoupled_weight_decay": (False, True), **common}),
        optim.AdamW: (adam, {"amsgrad": (False,), "capturable": (False,),
                             "decoupled_weight_decay": (True,), **common}),
    }
