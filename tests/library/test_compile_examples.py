"""The examples' training loops, compiled: the same parameters and losses as eager, bit for bit.

Each problem below is set up as its example sets it up (examples/*.py: the same data, model,
loss and optimizer, from the same seed); the step is the example's loop body.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import data, nn, optim

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from polynomial_regression import TRUE_B, TRUE_W, features  # noqa: E402


def polynomial():
    x = t.rand(100, 1) * 4 - 2
    features_x = features(x)
    y = features_x.mm(t.tensor([TRUE_W]).t()) + TRUE_B + t.randn(100, 1) * 0.5
    model = nn.Linear(3, 1)
    return features_x, y, model, optim.Adam(model.parameters(), lr=0.05), nn.MSELoss()


def logistic():
    x, y = data.make_blobs(200)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    return x, y, model, optim.SGD(model.parameters(), lr=0.5), nn.BCELoss()


def two_moons():
    x, y = data.make_moons(200, noise=0.1)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    return x, y, model, optim.Adam(model.parameters(), lr=0.05), nn.BCELoss()


def train(problem, compiled: bool, steps: int = 25) -> tuple[list[float], list[np.ndarray]]:
    t.manual_seed(0)
    x, y, model, opt, loss_fn = problem()

    def step(x, y):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    run = t.compile(step) if compiled else step
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a compiled step that falls back to eager would warn
        losses = [run(x, y).item() for _ in range(steps)]
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("problem", [polynomial, logistic, two_moons],
                         ids=["polynomial_regression", "logistic_regression", "mlp_two_moons"])
def test_the_examples_compiled_end_on_the_eager_bits(problem) -> None:
    eager_losses, eager_params = train(problem, compiled=False)
    compiled_losses, compiled_params = train(problem, compiled=True)
    assert compiled_losses == eager_losses
    for a, b in zip(eager_params, compiled_params):
        assert a.tobytes() == b.tobytes()
