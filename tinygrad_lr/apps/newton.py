"""Newton's method on the flagship's data: `tinygrad-lr train --optimizer newton`.

The flagship's loss, L(w, b) = ½·Σ(x·w + b − y)² over the samples, is a quadratic in (w, b).
Its gradient is the original program's pair, ∇L = (xᵀr, Σr) with r = ŷ − y, and its Hessian, the
matrix of second derivatives, is H = AᵀA with A = [x, 1] (one row per sample): for one feature

    H = [[Σx², Σx],
         [Σx,  n ]],

the same at every (w, b). Newton's step (w, b) ← (w, b) − H⁻¹·∇L jumps to where the gradient of
that quadratic is zero, which is the least-squares solution itself: from any start, in one step.

Autograd gives both. `autograd.grad(loss, (w, b), create_graph=True)` returns ∇L as tensors that
carry a graph of their own, and differentiating each entry of ∇L once more gives a row of H. Both
are checked against the hand formulas, as SGD's gradients are at each of its steps.

The data are the samples an SGD run with the same --steps, --batch-size and random seed sees,
drawn in the same order (the model's w, then each batch, and 100 picture samples every 50
batches), so the closed form printed at the end is the same. Newton's method uses them all at
once, and takes two steps. The first lands on the minimum up to the float32 rounding of the
gradient it was computed from (about 10⁻⁶ here). The second, taken from there, has that rounding
for its whole gradient, and removes it: it lands on the float32 numbers nearest to the closed
form. A third would change nothing.

The mean loss, ½·mean((ŷ − y)²), divides ∇L and H by the number of samples alike: H⁻¹·∇L, and so
every step, is the same as for the sum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..autograd import grad
from ..core import creation
from ..core.engine import no_grad
from ..core.functions import cat
from ..core.tensor import Tensor
from ..data import get_fake_data
from .progress import Progress
from .progress import memory_needed as step_memory_needed
from .regression import (
    PICTURE_SAMPLES,
    SAMPLES_EVERY,
    TRUE_B,
    TRUE_W,
    FitResult,
    LeastSquaresSums,
    LinearRegression,
    TrainingInterrupted,
    _fmt_w,
    _max_abs_diff,
    _num,
    flagship_loss,
    hand_gradients,
)

#: The Newton steps a run takes: the first lands on the minimum, the second removes the float32
#: rounding the first was computed with (see the module's docstring).
NEWTON_STEPS = 2


class SingularHessianError(ArithmeticError):
    """Newton's step cannot be taken: the Hessian has no inverse (the samples do not determine
    the line, e.g. all of them have the same x)."""


@dataclass
class NewtonResult(FitResult):
    """A Newton run: what any run produced (`FitResult`), and the Hessian with its check."""

    hessian: np.ndarray | None = None  # autograd's H at the first step, in float64
    hessian_diff: float = 0.0  # its largest |autograd − hand| difference, over H's largest entry
    x: np.ndarray | None = None  # every sample, (n, features) float32: the graph of step 0
    y: np.ndarray | None = None  # and their targets, (n, 1)


def samples_needed(features: int) -> int:
    """The fewest samples that determine the fit: one per unknown, the K weights and the bias.
    With fewer, H = AᵀA has no inverse (A has more columns than rows)."""
    return features + 1


def memory_needed(steps: int, batch_size: int, features: int) -> int:
    """The memory a Newton run needs beyond the interpreter's own, in bytes (an estimate).

    It keeps every sample, and each of its steps is one training step on all of them at once:
    the forward, the gradient with its graph, and the Hessian's backward passes through it. So
    it is estimated as one step on a batch of steps × batch_size samples (`memory_needed` of
    progress.py). Measured at 10⁷ samples: 33 bytes a sample for one feature, 40 for three;
    that estimate says 48 and 80.
    """
    return step_memory_needed(NEWTON_STEPS, steps * batch_size, features)


def gradient_and_hessian(loss: Tensor, params: list[Tensor]) -> tuple[Tensor, np.ndarray]:
    """∇L as one vector (a tensor, over all the parameters' entries in order), and the Hessian H
    (float64), both by autograd.

    `create_graph=True` makes the backward pass record what it computes, so the gradient is a
    tensor with a graph: differentiating its i-th entry gives the i-th row of H. That is one more
    backward pass per entry of ∇L, through the graph of the first one.
    """
    grads = grad(loss, params, create_graph=True)
    gradient = cat([g.reshape(-1) for g in grads])
    rows = []
    for i in range(gradient.shape[0]):
        row = grad(gradient[i], params, retain_graph=True)
        rows.append(np.concatenate([r.detach().numpy().ravel() for r in row]))
    return gradient.detach(), np.array(rows, dtype=np.float64)


def hand_hessian(sums: LeastSquaresSums, loss: str) -> np.ndarray:
    """The Hessian by hand: AᵀA, the matrix the closed form's sums hold (the mean divides it by
    the number of samples, as it divides the loss)."""
    return sums.ata if loss == "sum" else sums.ata / sums.n


def newton_step(theta: np.ndarray, gradient: np.ndarray, hessian: np.ndarray) -> np.ndarray:
    """θ − H⁻¹·∇L, in float64; `np.linalg.solve` solves H·s = ∇L without forming H⁻¹."""
    try:
        return theta - np.linalg.solve(hessian, gradient)
    except np.linalg.LinAlgError:
        raise SingularHessianError(
            "Newton's step is undefined: the Hessian AᵀA has no inverse, so the samples do not "
            "determine one line (are all their x the same?)") from None


def _draw_samples(steps: int, batch_size: int, features: int, progress: Progress,
                  result: NewtonResult) -> dict[str, np.ndarray]:  # fmt: skip
    """Every sample of the run into result.x and result.y, in SGD's order; returns the last 100
    picture samples (drawn, as SGD draws them, every 50 batches)."""
    n = steps * batch_size
    progress.phase(f"  drawing the {n:,} samples of {steps:,} batches of {batch_size:,}…")
    result.x = np.empty((n, features), dtype=np.float32)
    result.y = np.empty((n, 1), dtype=np.float32)
    picture = {}
    for k in range(steps):
        x, y = get_fake_data(batch_size, w=TRUE_W, b=TRUE_B, features=features)
        rows = slice(k * batch_size, (k + 1) * batch_size)
        result.x[rows], result.y[rows] = x.numpy(), y.numpy()
        result.seen.add(x.numpy(), y.numpy())  # batch by batch: the same sums as SGD's run
        if k % SAMPLES_EVERY == 0:
            xs, ys = get_fake_data(PICTURE_SAMPLES, w=TRUE_W, b=TRUE_B, features=features)
            picture = {"x": xs.numpy()[:, 0].copy(), "y": ys.numpy()[:, 0].copy()}
    return picture


def fit_newton(steps: int = 500, batch_size: int = 4, features: int = 1, loss: str = "sum",
               seed: int = 1000, progress: Progress | None = None) -> NewtonResult:  # fmt: skip
    """Fit ŷ = x·w + b by Newton's method on all the samples an SGD run of `steps` batches of
    `batch_size` sees, with the gradient and the Hessian from autograd, checked by hand.

    Args:
        steps: the number of batches whose samples are fitted (SGD's steps).
        batch_size: the samples per batch.
        features: the number of inputs per sample.
        loss: "sum" (½·Σ(ŷ − y)²) or "mean" (½·mean); the steps are the same for both.
        seed: the random seed; 1000 draws the original program's numbers.
        progress: receives the progress lines, one per Newton step.

    Returns:
        A `NewtonResult`: the model after `NEWTON_STEPS` steps, the loss before each, the path,
        the closed form's sums, the gradient and Hessian checks, and the data.

    Raises:
        ValueError: with fewer samples than `samples_needed(features)`.
        SingularHessianError: when the samples do not determine the line.
        TrainingInterrupted: on Ctrl-C, a KeyboardInterrupt that knows the step.
    """
    if steps * batch_size < samples_needed(features):
        raise ValueError(f"Newton's method needs at least {samples_needed(features)} samples for "
                         f"{features} feature(s), got {steps * batch_size}")  # fmt: skip
    progress = progress or Progress(NEWTON_STEPS, print)
    creation.manual_seed(seed)
    model = LinearRegression(features)
    path = np.empty((NEWTON_STEPS + 1, features + 1))
    path[0] = _flat(model)
    result = NewtonResult(model, np.empty(NEWTON_STEPS), path, LeastSquaresSums(features))
    done = 0
    try:
        picture = _draw_samples(steps, batch_size, features, progress, result)
        x, y = creation.from_numpy(result.x), creation.from_numpy(result.y)
        for done in range(NEWTON_STEPS):
            _newton_iteration(done, model, x, y, loss, result, progress)
    except KeyboardInterrupt:
        raise TrainingInterrupted(done, NEWTON_STEPS) from None
    result.snapshots = [{"step": k, "w": float(row[0]), "b": float(row[-1]), **picture}
                        for k, row in enumerate(path)]  # fmt: skip
    return result


def _flat(model: LinearRegression) -> np.ndarray:
    return np.concatenate([model.w.detach().numpy()[:, 0],
                           model.b.detach().numpy()[0]]).astype(np.float64)


def _newton_iteration(k: int, model: LinearRegression, x: Tensor, y: Tensor, loss: str,
                      result: NewtonResult, progress: Progress) -> None:  # fmt: skip
    """One Newton step from the model's (w, b), recorded in `result` as step k."""
    progress.start_step()
    progress.phase(f"  step {k}: the loss, its gradient and its Hessian, by autograd…")
    y_pred = model(x)
    full_loss = flagship_loss(y_pred, y, loss)
    gradient, hessian = gradient_and_hessian(full_loss, [model.w, model.b])
    result.losses[k] = full_loss.item()

    progress.phase(f"  step {k}: the hand-derived gradient and Hessian…")
    features = model.w.shape[0]
    dw, db = hand_gradients(x, y_pred, y, loss)
    diff = max(_max_abs_diff(gradient[:features].reshape(-1, 1), dw),
               _max_abs_diff(gradient[features:].reshape(1, 1), db))  # fmt: skip
    result.max_grad_diff = max(result.max_grad_diff, diff)
    if k == 0:  # H is the same at every (w, b): checked once
        by_hand = hand_hessian(result.seen, loss)
        result.hessian = hessian
        result.hessian_diff = float(np.max(np.abs(hessian - by_hand)) / np.max(np.abs(by_hand)))

    progress.phase(f"  step {k}: solving H·s = ∇L…")
    theta = newton_step(result.path[k], gradient.numpy().astype(np.float64), hessian)
    with no_grad():  # the new (w, b), rounded to float32 once
        model.w.copy_(Tensor(theta[:-1].reshape(-1, 1).astype(np.float32)))
        model.b.copy_(Tensor(theta[-1:].reshape(1, 1).astype(np.float32)))
    result.path[k + 1] = _flat(model)
    w, b = result.path[k + 1, :-1], result.path[k + 1, -1]
    size = float(np.linalg.norm(gradient.numpy().astype(np.float64)))
    progress.line(f"step {k}/{NEWTON_STEPS}   loss {_num(result.losses[k], 10)}   w {_fmt_w(w)}   "
                  f"b {_num(b, 8)}   |∇L| {size:.1e}   max |autograd − hand| so far "
                  f"{result.max_grad_diff:.1e}")  # fmt: skip


def first_step(result: NewtonResult, loss: str) -> tuple[Tensor, dict[str, Tensor]]:
    """The first Newton step's loss again, on the run's data at its start: (loss, named
    tensors), for the pictures of its graph (graph.svg, explain.html)."""
    model = LinearRegression(result.x.shape[1])  # (its random w: numbers no one uses after the run)
    with no_grad():  # the run's start, in place of that w
        model.w.copy_(Tensor(result.path[0, :-1].reshape(-1, 1).astype(np.float32)))
        model.b.copy_(Tensor(result.path[0, -1:].reshape(1, 1).astype(np.float32)))
    x, y = Tensor(result.x), Tensor(result.y)
    x.name, y.name = "x", "y"
    y_pred = model(x)
    full_loss = flagship_loss(y_pred, y, loss)
    y_pred.name, full_loss.name = "y_pred", "loss"
    return full_loss, {**dict(model.named_parameters()), "y_pred": y_pred}


def float32_spacing(values: np.ndarray) -> np.ndarray:
    """The gap between each value and the next float32: rounding to float32 is off by up to
    half of it."""
    return np.spacing(np.abs(np.asarray(values, dtype=np.float32))).astype(np.float64)


def condition_number(hessian: np.ndarray) -> float:
    """λ_max / λ_min of H: how much slower gradient descent is along the valley's floor than
    across it (docs/second_derivatives.md)."""
    eigenvalues = np.linalg.eigvalsh((hessian + hessian.T) / 2)  # float32 left H a hair lopsided
    return math.inf if eigenvalues[0] <= 0 else float(eigenvalues[-1] / eigenvalues[0])
