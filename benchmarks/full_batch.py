"""One gradient step on a large float64 data set: time, and peak memory as a multiple of the data.

The step is the seed's (see seed_step.py): ½·Σ(x·w + b − y)², its gradient, an SGD update.
Peak memory is measured with tracemalloc in a separate, untimed run: numpy reports its array
allocations to tracemalloc, so the peak is the most memory the step's arrays held at once (the
data itself was allocated before tracing started and is not counted). PyTorch's allocations are
invisible to tracemalloc, so its memory is not reported.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from .common import Timing, interleaved, optional_module

LR = 1e-7
FLOOR = "numpy by hand (floor: the faster of the two below, in each round)"
BY_HAND_MATMUL = "numpy by hand, `@`"
BY_HAND_DOT = "numpy by hand, `.dot`"
COMPILED = "tinygrad_lr.compile (generated numpy)"


@dataclass
class Data:
    x: np.ndarray  # (n, k) float64
    y: np.ndarray  # (n, 1) float64

    @property
    def nbytes(self) -> int:
        return self.x.nbytes + self.y.nbytes


def make_data(n: int, k: int, seed: int = 0) -> Data:
    rng = np.random.default_rng(seed)
    x = rng.random((n, k)) * 5
    y = x @ np.full((k, 1), 2.0) + 3 + rng.standard_normal((n, 1))
    return Data(x, y)


# A step gets the data and returns a callable that runs one step, so that wrapping the arrays
# and making the parameters happen before the clock starts. The callable returns (w, b) after it.
Step = Callable[[], tuple[np.ndarray, np.ndarray]]


def numpy_by_hand(data: Data, dot: bool = False) -> Step:
    """The seed's hand-derived gradients in numpy; with `dot`, ndarray.dot in place of `@`."""
    w = np.zeros((data.x.shape[1], 1))
    b = np.zeros((1, 1))
    product = np.dot if dot else np.matmul

    def step() -> tuple[np.ndarray, np.ndarray]:
        x, y = data.x, data.y
        y_pred = product(x, w) + b
        diff = y_pred - y
        loss = 0.5 * (diff**2).sum()  # noqa: F841 - computed, as the autograd variants must
        dw = product(x.T, diff)
        db = diff.sum()
        w[...] -= LR * dw
        b[...] -= LR * db
        return w, b

    return step


def autograd_step(lib: ModuleType, data: Data) -> Step:
    """The step, written once for tinygrad_lr and torch (the same names)."""
    x, y = lib.from_numpy(data.x), lib.from_numpy(data.y)
    w = lib.zeros(data.x.shape[1], 1, dtype=lib.float64, requires_grad=True)
    b = lib.zeros(1, 1, dtype=lib.float64, requires_grad=True)

    def step() -> tuple[np.ndarray, np.ndarray]:
        y_pred = x.mm(w) + b.expand_as(y)
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        with lib.no_grad():
            w.sub_(LR * w.grad)
            b.sub_(LR * b.grad)
        w.grad = b.grad = None
        return w.detach().numpy(), b.detach().numpy()

    return step


def tinygrad_lr_autograd(data: Data) -> Step:
    import tinygrad_lr

    return autograd_step(tinygrad_lr, data)


def tinygrad_lr_compiled(data: Data) -> Step:
    """The same step given to tinygrad_lr.compile, its first two calls (the trace, and the check
    beside the eager step) made here, untimed; then the parameters are set back to zero in
    place, so that the step timed is the generated code's first step from zero."""
    import tinygrad_lr as lib

    x, y = lib.from_numpy(data.x), lib.from_numpy(data.y)
    w = lib.zeros(data.x.shape[1], 1, dtype=lib.float64, requires_grad=True)
    b = lib.zeros(1, 1, dtype=lib.float64, requires_grad=True)

    @lib.compile
    def train(x: Any, y: Any) -> Any:
        y_pred = x.mm(w) + b.expand_as(y)
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        with lib.no_grad():
            w.sub_(LR * w.grad)
            b.sub_(LR * b.grad)
        w.grad = b.grad = None
        return loss

    train(x, y)
    train(x, y)
    with lib.no_grad():
        w.zero_()
        b.zero_()

    def step() -> tuple[np.ndarray, np.ndarray]:
        train(x, y)
        return w.detach().numpy(), b.detach().numpy()

    return step


def pytorch_autograd(data: Data) -> Step:
    import torch

    return autograd_step(torch, data)


def variants() -> dict[str, Callable[[Data], Step]]:
    found: dict[str, Callable[[Data], Step]] = {
        BY_HAND_MATMUL: numpy_by_hand,
        BY_HAND_DOT: lambda data: numpy_by_hand(data, dot=True),
        "tinygrad_lr autograd": tinygrad_lr_autograd,
        COMPILED: tinygrad_lr_compiled,
    }
    if optional_module("torch") is not None:
        found["PyTorch autograd"] = pytorch_autograd
    return found


def peak_bytes(step: Step) -> int:
    """The most memory numpy held at once during one step (allocations made inside it)."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass
class FullBatchRow:
    name: str
    per_step: Timing  # seconds
    peak_ratio: float | None  # peak memory / the data's bytes (None: not measurable)
    agrees: bool  # same updated parameters as the floor


def run(n: int, k: int, repeats: int) -> tuple[Data, list[FullBatchRow]]:
    data = make_data(n, k)
    makers = variants()

    def timed(make: Callable[[Data], Step]) -> Callable[[], float]:
        def once() -> float:
            step = make(data)  # fresh parameters every repeat: every repeat does the same work
            start = time.perf_counter()
            step()
            return time.perf_counter() - start

        return once

    timings = interleaved({name: timed(make) for name, make in makers.items()}, repeats,
                          floor=(FLOOR, BY_HAND_MATMUL, BY_HAND_DOT))  # fmt: skip
    makers = {FLOOR: makers[BY_HAND_MATMUL], **makers}
    reference = makers[FLOOR](data)()
    rows = []
    for name, make in makers.items():
        w, b = make(data)()
        agrees = bool(np.allclose(w, reference[0], rtol=1e-7, atol=0)
                      and np.allclose(b, reference[1], rtol=1e-7, atol=0))  # fmt: skip
        peak = peak_bytes(make(data)) / data.nbytes if name != "PyTorch autograd" else None
        rows.append(FullBatchRow(name, timings[name], peak, agrees))
    return data, rows
