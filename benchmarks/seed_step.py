"""The seed's training step: batch 4, one feature, float32, timed per step.

Every variant runs the same computation as the seed program (examples/seed_manual_gradients.py):

    y_pred = x.mm(w) + b.expand_as(y)
    loss   = ½·Σ (y_pred − y)²          (the summed loss, whose gradients the seed's update uses)
    w -= lr·dL/dw;  b -= lr·dL/db        (lr = 0.02; gradients then set to None / zeroed)

Batch generation is excluded from every variant's time: the batches (x ~ U(0, 5),
y = 2x + 3 + N(0, 1)) are drawn once with numpy and converted to each library's own type before
its clock starts. What is timed is forward, backward and update.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from .common import Timing, interleaved, optional_module

LR = 0.02
FLOOR = "numpy by hand (floor: the faster of the two below, in each round)"
BY_HAND_MATMUL = "numpy by hand, `@`"
BY_HAND_DOT = "numpy by hand, `.dot`"
OURS = "tinygrad_lr autograd"
OURS_DATA = "tinygrad_lr autograd, `.data.sub_` form"
COMPILED = "tinygrad_lr.compile (generated numpy)"


@dataclass
class SeedData:
    xs: list[np.ndarray]  # each (4, 1) float32
    ys: list[np.ndarray]
    w0: np.ndarray  # (1, 1) float32: the initial weight; the bias starts at 0


def make_data(steps: int, seed: int = 1000) -> SeedData:
    rng = np.random.default_rng(seed)
    xs = [(rng.random((4, 1)) * 5).astype(np.float32) for _ in range(steps)]
    ys = [(x * 2 + 3 + rng.standard_normal((4, 1))).astype(np.float32) for x in xs]
    return SeedData(xs, ys, rng.random((1, 1)).astype(np.float32))


# Each variant returns (seconds for all steps, final w, final b).
Result = tuple[float, float, float]


def numpy_by_hand(data: SeedData) -> Result:
    """The seed's hand-derived gradients, written directly in numpy."""
    w, b = data.w0.copy(), np.zeros((1, 1), np.float32)
    start = time.perf_counter()
    for x, y in zip(data.xs, data.ys):
        y_pred = x @ w + b
        diff = y_pred - y
        loss = 0.5 * (diff**2).sum()  # noqa: F841 - computed, as the autograd variants must
        dw = x.T @ diff
        db = diff.sum()
        w -= LR * dw
        b -= LR * db
    return time.perf_counter() - start, float(w[0, 0]), float(b[0, 0])


def numpy_by_hand_dot(data: SeedData) -> Result:
    """The same, with ndarray.dot for the two matrix products (faster than `@` on tiny matrices
    on some machines: the floor takes whichever wins)."""
    w, b = data.w0.copy(), np.zeros((1, 1), np.float32)
    start = time.perf_counter()
    for x, y in zip(data.xs, data.ys):
        y_pred = x.dot(w) + b
        diff = y_pred - y
        loss = 0.5 * (diff**2).sum()  # noqa: F841 - computed, as the autograd variants must
        dw = x.T.dot(diff)
        db = diff.sum()
        w -= LR * dw
        b -= LR * db
    return time.perf_counter() - start, float(w[0, 0]), float(b[0, 0])


def autograd_steps(lib: ModuleType, data: SeedData) -> Result:
    """The step, written once for any library with PyTorch's names: tinygrad_lr, a copy of another
    revision of it (compare_revisions.py), or torch itself."""
    xs = [lib.from_numpy(x) for x in data.xs]
    ys = [lib.from_numpy(y) for y in data.ys]
    w = lib.tensor(data.w0, requires_grad=True)
    b = lib.zeros(1, 1, requires_grad=True)
    step = seed_step(lib, w, b)
    start = time.perf_counter()
    for x, y in zip(xs, ys):
        step(x, y)
    return time.perf_counter() - start, w.item(), b.item()


def seed_step(lib: ModuleType, w: Any, b: Any) -> Callable[[Any, Any], Any]:
    """One step of the seed on the parameters w and b."""

    def step(x: Any, y: Any) -> Any:
        y_pred = x.mm(w) + b.expand_as(y)
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        with lib.no_grad():
            w.sub_(LR * w.grad)
            b.sub_(LR * b.grad)
        w.grad = None
        b.grad = None
        return loss

    return step


# The compiled step's first two calls, timed apart from its steps: (trace, check) in seconds.
compile_costs: list[tuple[float, float]] = []


def tinygrad_lr_compiled(data: SeedData) -> Result:
    """The same step given to tinygrad_lr.compile. Its first call runs the step eagerly and traces
    it; its second runs it eagerly again with the generated code beside it, as a check. Both are
    made before the clock starts (and timed apart, in `compile_costs`): the steps timed are the
    generated code's."""
    import tinygrad_lr

    xs = [tinygrad_lr.from_numpy(x) for x in data.xs]
    ys = [tinygrad_lr.from_numpy(y) for y in data.ys]
    w = tinygrad_lr.tensor(data.w0, requires_grad=True)
    b = tinygrad_lr.zeros(1, 1, requires_grad=True)
    step = tinygrad_lr.compile(seed_step(tinygrad_lr, w, b))
    costs = []
    for x, y in zip(xs[:2], ys[:2]):
        start = time.perf_counter()
        step(x, y)
        costs.append(time.perf_counter() - start)
    compile_costs.append((costs[0], costs[1]))
    start = time.perf_counter()
    for x, y in zip(xs[2:], ys[2:]):
        step(x, y)
    return time.perf_counter() - start, w.item(), b.item()


def data_form_steps(lib: ModuleType, data: SeedData) -> Result:
    """The step in the form of much PyTorch teaching material: the update through `.data`, the
    gradients zeroed in place (`w.grad.data.zero_()`) instead of set to None."""
    xs = [lib.from_numpy(x) for x in data.xs]
    ys = [lib.from_numpy(y) for y in data.ys]
    w = lib.tensor(data.w0, requires_grad=True)
    b = lib.zeros(1, 1, requires_grad=True)
    start = time.perf_counter()
    for x, y in zip(xs, ys):
        y_pred = x.mm(w) + b.expand_as(y)
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        w.data.sub_(LR * w.grad.data)
        b.data.sub_(LR * b.grad.data)
        w.grad.data.zero_()
        b.grad.data.zero_()
    return time.perf_counter() - start, w.item(), b.item()


def tinygrad_lr_autograd(data: SeedData) -> Result:
    import tinygrad_lr

    return autograd_steps(tinygrad_lr, data)


def tinygrad_lr_data_form(data: SeedData) -> Result:
    import tinygrad_lr

    return data_form_steps(tinygrad_lr, data)


def pytorch_autograd(data: SeedData) -> Result:
    import torch

    return autograd_steps(torch, data)


def micrograd_scalars(data: SeedData) -> Result:
    """micrograd has scalars only: the batch of 4 is four Values, as in micrograd's README."""
    from micrograd.engine import Value

    batches = [(x[:, 0].tolist(), y[:, 0].tolist()) for x, y in zip(data.xs, data.ys)]
    w, b = Value(float(data.w0[0, 0])), Value(0.0)
    start = time.perf_counter()
    for xb, yb in batches:
        loss = sum(0.5 * (w * xi + b - yi) ** 2 for xi, yi in zip(xb, yb))
        w.grad = b.grad = 0.0  # micrograd's zero_grad
        loss.backward()
        w.data -= LR * w.grad
        b.data -= LR * b.grad
    return time.perf_counter() - start, w.data, b.data


def variants() -> dict[str, Callable[[SeedData], Result]]:
    """The variants that can run here (peers only when installed), floor first."""
    found: dict[str, Callable[[SeedData], Result]] = {
        BY_HAND_MATMUL: numpy_by_hand,
        BY_HAND_DOT: numpy_by_hand_dot,
        OURS: tinygrad_lr_autograd,
        OURS_DATA: tinygrad_lr_data_form,
        COMPILED: tinygrad_lr_compiled,
    }
    if optional_module("torch") is not None:
        found["PyTorch autograd"] = pytorch_autograd
    if optional_module("micrograd.engine") is not None:
        found["micrograd (scalar Values)"] = micrograd_scalars
    return found


@dataclass
class SeedRow:
    name: str
    per_step: Timing  # seconds per step
    w: float
    b: float


def run(steps: int, repeats: int) -> list[SeedRow]:
    data = make_data(steps)
    finals: dict[str, tuple[float, float]] = {}

    def timed(name: str, fn: Callable[[SeedData], Result]) -> Callable[[], float]:
        timed_steps = steps - 2 if name == COMPILED else steps  # (see tinygrad_lr_compiled)

        def once() -> float:
            seconds, w, b = fn(data)
            finals[name] = (w, b)
            return seconds / timed_steps

        return once

    timings = interleaved({name: timed(name, fn) for name, fn in variants().items()}, repeats,
                          floor=(FLOOR, BY_HAND_MATMUL, BY_HAND_DOT))  # fmt: skip
    finals[FLOOR] = finals[BY_HAND_MATMUL]
    return [SeedRow(name, t, *finals[name]) for name, t in timings.items()]


def disagreements(rows: list[SeedRow]) -> list[str]:
    """Variants whose final parameters differ from the floor's: a benchmark of a wrong step is
    worthless. (micrograd computes in float64, the others in float32: hence the tolerance.)"""
    floor = next(r for r in rows if r.name == FLOOR)
    return [r.name for r in rows
            if not np.allclose((r.w, r.b), (floor.w, floor.b), rtol=1e-3, atol=1e-4)]  # fmt: skip
