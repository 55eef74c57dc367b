"""The flagship's training: linear regression with autograd, beside the original program's hand
math. (`train.py` is the command around it; `plots.py` draws what it records.)

The original program (`examples/seed_manual_gradients.py`, a classic PyTorch example with
hand-written gradients) fits y = w·x + b to y = 2x + 3 + noise. Its update uses

    dw = xᵀ(ŷ − y),   db = Σ(ŷ − y),

which are the gradients of the *summed* loss L = ½·Σ(ŷ − y)² over the batch. So by default
(`loss="sum"`) we minimise exactly that, and SGD with lr = 0.02 takes the original program's
steps. With `loss="mean"`, L = ½·mean((ŷ − y)²) = (1/n)·½·Σ(ŷ − y)², and every gradient is
divided by the batch size n: at the same lr each step is n times smaller, and the original
program's lr × n takes its steps. Adam hardly notices the difference: its steps are about lr in
size whatever the gradient's scale.

With the default random seed (1000), the random numbers are drawn in the original program's order
(w, then each batch, then 100 fresh samples every 50 steps for its picture), so the final w and b
are those `examples/seed_manual_gradients.py` prints on this package.

Memory does not grow with the data seen: the closed form keeps running sums (AᵀA and Aᵀy), and
each step keeps only its loss and (w, b).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import nn, optim
from ..compile import compile as tinygrad_compile
from ..core import creation
from ..core.engine import no_grad
from ..core.tensor import Tensor
from ..data import get_fake_data
from .progress import Progress

#: The original program's settings, and the line its data come from.
DEFAULTS = {"steps": 500, "batch_size": 4, "lr": 0.02, "seed": 1000, "optimizer": "sgd",
            "features": 1, "loss": "sum", "out": "out"}  # fmt: skip
TRUE_W, TRUE_B = 2.0, 3.0
X_HIGH = 5.0  # get_fake_data draws x ~ U(0, 5)
SAMPLES_EVERY = 50  # the original program draws 100 fresh samples for its picture every 50 steps
PICTURE_SAMPLES = 100
GRID_INTERVALS = 10  # fit_grid.png: at most this many intervals between its panels


class LinearRegression(nn.Module):
    """ŷ = x·w + b, with w of shape (features, 1) and b of shape (1, 1), as in the original.

    Initialised as the original program does: w ~ U(0, 1), b = 0. The forward pass is its line,
    `x.mm(w) + b.expand_as(ŷ)`: the expand is what the gradient of b sums back over the batch.

    Args:
        features: the number of inputs per sample (the original program has 1).
    """

    def __init__(self, features: int = 1) -> None:
        super().__init__()
        self.w = nn.Parameter(creation.rand(features, 1))
        self.b = nn.Parameter(creation.zeros(1, 1))

    def forward(self, x: Tensor) -> Tensor:
        """ŷ = x·w + b, written as the original writes it: x.mm(w) + b expanded to the batch.

        Args:
            x: the inputs, of shape (n, features).

        Returns:
            ŷ, of shape (n, 1).
        """
        return x.mm(self.w) + self.b.expand(x.shape[0], 1)


def flagship_loss(y_pred: Tensor, y: Tensor, loss: str = "sum") -> Tensor:
    """The flagship's loss, ½·Σ(ŷ − y)² (or ½·mean), as the original program writes it.

    That is `0.5 * (y_pred - y) ** 2`, then the sum (or the mean). `tinygrad-lr train` and
    `tinygrad-lr graph` both build the loss here, so that they draw the same graph.

    Args:
        y_pred: the predictions ŷ, of shape (n, 1).
        y: the targets, of the same shape.
        loss: "sum" or "mean".

    Returns:
        The loss, a tensor of one element.

    Raises:
        ValueError: for a `loss` that is neither "sum" nor "mean".
    """
    if loss not in ("sum", "mean"):
        raise ValueError(f"loss must be 'sum' or 'mean', got {loss!r}")
    squared = 0.5 * (y_pred - y) ** 2  # ½ so that the gradient has no factor 2
    return squared.sum() if loss == "sum" else squared.mean()


def hand_gradients(x: Tensor, y_pred: Tensor, y: Tensor, loss: str) -> tuple[Tensor, Tensor]:
    """The original program's gradients, derived by hand, of L = ½·Σ(ŷ − y)² (or ½·mean).

    With ŷ = x·w + b, ∂L/∂ŷ = ŷ − y, so by the chain rule dw = xᵀ·(ŷ − y) (each sample's
    error, weighted by its input) and db = Σ(ŷ − y) (b is added to every sample, so its
    gradient is the sum). The mean divides L by n, so it divides both gradients by n.

    Args:
        x: the inputs, of shape (n, features).
        y_pred: the predictions ŷ, of shape (n, 1).
        y: the targets, of shape (n, 1).
        loss: "sum" or "mean".

    Returns:
        `(dw, db)`, of shapes (features, 1) and (1, 1).
    """
    with no_grad():
        dy_pred = y_pred - y
        dw = x.t().mm(dy_pred)
        db = dy_pred.sum().reshape(1, 1)
        if loss == "mean":
            n = y.shape[0]
            dw, db = dw / n, db / n
    return dw, db


def training_step(model: LinearRegression, optimizer: optim.Optimizer,
                  kind: str) -> Callable[[Tensor, Tensor], tuple[Tensor, Tensor]]:  # fmt: skip
    """The flagship's training step on a batch (x, y): forward, backward and the update.

    This is the part of each step that is arithmetic on tensors, and so the part that
    `tinygrad_lr.compile` can turn into code (`tinygrad-lr train --compile`). What reads values
    into Python (the loss's `.item()`, the comparison with the hand gradients) stays outside:
    inside a compiled step it would be fixed at the first call's values.

    Args:
        model: the line, a `LinearRegression`.
        optimizer: the optimizer of its parameters (SGD or Adam).
        kind: the loss, "sum" or "mean" (see `flagship_loss`).

    Returns:
        `step(x, y) -> (loss, y_pred)`. It leaves each parameter's gradient in `.grad` (the
            gradient of this batch: `zero_grad()` comes first) and its updated value in place.
    """

    def step(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
        optimizer.zero_grad()
        y_pred = model(x)
        loss = flagship_loss(y_pred, y, kind)
        loss.backward()  # autograd fills model.w.grad and model.b.grad
        optimizer.step()  # for SGD: w ← w − lr·w.grad, b ← b − lr·b.grad (under no_grad)
        return loss, y_pred

    return step


class LeastSquaresSums:
    """Running sums over every sample seen, for the least-squares line through all of them.

    With A = [x, 1] (one row per sample) and θ = (w, b), Σ(A·θ − y)² is smallest where
    AᵀA·θ = Aᵀy (the normal equations). AᵀA, Aᵀy and yᵀy are sums over samples, so they are
    added up batch by batch, in float64: memory stays (K + 1)² numbers however long the run.

    Args:
        features: K, the number of inputs per sample.
    """

    def __init__(self, features: int) -> None:
        self.n = 0
        self.ata = np.zeros((features + 1, features + 1))
        self.aty = np.zeros(features + 1)
        self.yty = 0.0

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """Add a batch: x of shape (n, K), y of shape (n, 1).

        Args:
            x: the inputs.
            y: the targets.
        """
        x64 = np.asarray(x, dtype=np.float64)
        y64 = np.asarray(y, dtype=np.float64)[:, 0]
        k = x64.shape[1]
        sx = x64.sum(axis=0)
        # AᵀA = [[xᵀx, Σx], [Σxᵀ, n]] and Aᵀy = [xᵀy, Σy], block by block
        self.ata[:k, :k] += x64.T @ x64
        self.ata[:k, k] += sx
        self.ata[k, :k] += sx
        self.ata[k, k] += len(x64)
        self.aty[:k] += x64.T @ y64
        self.aty[k] += y64.sum()
        self.yty += float(y64 @ y64)
        self.n += len(x64)

    def solve(self) -> tuple[np.ndarray, float]:
        """The least-squares (w, b) on every sample added (lstsq: fine with too few samples).

        Returns:
            `(w, b)`: w of shape (K,), b a float.
        """
        theta, *_ = np.linalg.lstsq(self.ata, self.aty, rcond=None)
        return theta[:-1], float(theta[-1])

    def mean_loss(self, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        """½·mean((x·w + b − y)²) over the samples, at grids of w and b (one feature only).

        Expanded into the sums: ½·(w²Σx² + 2wbΣx − 2wΣxy + b²n − 2bΣy + Σy²)/n, so a grid of
        200 × 200 points costs nothing, whatever the number of samples.

        Args:
            w: the weights, an array (a grid) of any shape.
            b: the biases, of w's shape (or one that broadcasts with it).

        Returns:
            The loss at each point, of the broadcast shape.
        """
        (sxx, sx), (_, n) = self.ata
        sxy, sy = self.aty
        return 0.5 * (w**2 * sxx + 2 * w * b * sx - 2 * w * sxy + b**2 * n - 2 * b * sy
                      + self.yty) / max(n, 1)  # fmt: skip


def closed_form(sums: LeastSquaresSums) -> tuple[np.ndarray, float]:
    """The least-squares w, b on all the data seen: the answer gradient descent is heading for.

    Args:
        sums: the running sums of the samples seen.

    Returns:
        `(w, b)`: w of shape (K,), b a float.
    """
    return sums.solve()


def expected_curvature(features: int) -> float:
    """The largest eigenvalue λ of E[a·aᵀ], a = (x₁, …, x_K, 1) with each x ~ U(0, 5): the
    steepest curvature of one sample's ½·(a·θ − y)², on average over the data.

    E[a·aᵀ] = [[v·I + m²·11ᵀ, m·1], [m·1ᵀ, 1]] (m, v: the mean and variance of U(0, 5)). Its
    eigenvectors are the directions along the x's that sum to zero (eigenvalue v), and two in
    the plane of (1, …, 1, 0) and (0, …, 0, 1), where it is [[v + K·m², √K·m], [√K·m, 1]]:
    the larger eigenvalue of that 2 × 2 block, with no K × K matrix to build.

    Args:
        features: K, the number of inputs per sample.

    Returns:
        λ, a float.
    """
    mean, var = X_HIGH / 2, X_HIGH**2 / 12  # of U(0, 5)
    a, c = var + features * mean**2, 1.0
    off = math.sqrt(features) * mean
    return (a + c + math.sqrt((a - c) ** 2 + 4 * off**2)) / 2


def stable_lr(batch_size: int, features: int, loss: str) -> float:
    """About the largest lr at which plain SGD does not diverge: 2/λ, λ the loss's steepest
    curvature (its Hessian's largest eigenvalue).

    Along that direction one step multiplies the distance to the minimum by (1 − lr·λ), which
    grows once lr·λ > 2. The summed loss adds n samples' curvatures, so its λ (and its limit)
    scales with the batch size; the mean's does not. This is the average batch's limit: a small
    batch's own curvature varies, so the real limit is only near it.

    Args:
        batch_size: n, the samples per batch.
        features: K, the number of inputs per sample.
        loss: "sum" or "mean".

    Returns:
        2/λ, a float.
    """
    return 2.0 / (expected_curvature(features) * (batch_size if loss == "sum" else 1))


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during `fit_linear_regression`, knowing the step it stopped at. A KeyboardInterrupt
    still, so that whoever does not care sees the usual one.

    Args:
        step: the step the run stopped at.
        steps: the steps the run was asked for.
    """

    def __init__(self, step: int, steps: int) -> None:
        super().__init__(f"stopped at step {step} of {steps}")
        self.step, self.steps = step, steps


@dataclass
class FitResult:
    """What a training run produced, for the report and the pictures.

    Attributes:
        model: the trained model.
        losses: the batch loss of each step done, in order.
        path: (w…, b) per row: row 0 the start, row k after k steps.
        seen: running sums over every training sample: the closed form.
        snapshots: the panels of fit_grid.png.
        max_grad_diff: the largest |autograd − hand| over all steps and elements.
        diverged_at: the step whose loss was not finite (None if none).
        kept_step: after a divergence, the step whose parameters were kept.
        compiled: with compile_step=True, the CompiledStep: its `.source` is the step's code.
    """

    model: LinearRegression
    losses: np.ndarray  # the batch loss of each step done, in order
    path: np.ndarray  # (w…, b) per row: row 0 the start, row k after k steps
    seen: LeastSquaresSums  # running sums over every training sample: the closed form
    snapshots: list[dict[str, Any]] = field(default_factory=list)  # the panels of fit_grid.png
    max_grad_diff: float = 0.0  # the largest |autograd − hand| over all steps and elements
    diverged_at: int | None = None  # the step whose loss was not finite
    kept_step: int | None = None  # after a divergence: the step whose parameters were kept
    compiled: Any = None  # with compile_step=True, the CompiledStep: its .source is the step's code

    @property
    def w(self) -> np.ndarray:
        """The fitted weights, one per feature."""
        return self.model.w.detach().numpy()[:, 0].copy()

    @property
    def b(self) -> float:
        """The fitted bias."""
        return float(self.model.b.detach().numpy()[0, 0])

    @property
    def samples_seen(self) -> int:
        """How many training samples the run used."""
        return self.seen.n


def grid_every(steps: int) -> int:
    """Steps between the panels of fit_grid.png: a multiple of 50 (where the original program
    draws its fresh samples), with at most 10 intervals over the run.

    Args:
        steps: the number of steps of the run.

    Returns:
        The number of steps between two panels.
    """
    return SAMPLES_EVERY * max(1, math.ceil(steps / (SAMPLES_EVERY * GRID_INTERVALS)))


def animation_steps(done: int, frames: int = 40) -> list[int]:
    """Which states of the line the GIF shows, as numbers of steps done: each of the first 10
    (the line moves most at first), then geometrically spaced to the end: about 40 frames.

    Args:
        done: the number of steps done.
        frames: about how many frames to show.

    Returns:
        The numbers of steps done, sorted, from 0 to `done`.
    """
    later = np.geomspace(10, done, frames - 10).round().astype(int) if done > 10 else []
    return sorted({*range(min(done, 10) + 1), *map(int, later), done})


def divergence_hint(optimizer: str, lr: float, batch_size: int, features: int,
                    loss: str) -> str:  # fmt: skip
    """What to change after a diverged run, with the reason (see `stable_lr`).

    Args:
        optimizer: "sgd" or "adam".
        lr: the learning rate that diverged.
        batch_size: the samples per batch.
        features: the number of inputs per sample.
        loss: "sum" or "mean".

    Returns:
        One or two sentences for the report.
    """
    if optimizer != "sgd":
        return "Try a smaller --lr."
    limit = stable_lr(batch_size, features, loss)
    if loss == "mean":
        return (f"SGD on this loss is stable only for lr below about 2/λ ≈ {limit:.2g} (λ: the "
                f"loss's steepest curvature): try a --lr below that.")
    mean_limit = stable_lr(batch_size, features, "mean")
    why = (f"SGD on the summed loss is stable only for lr below about 2/λ ≈ {limit:.2g}, and λ, "
           f"the loss's steepest curvature, grows with the batch size (n = {batch_size})")
    if batch_size > DEFAULTS["batch_size"]:
        return (f"{why}. The fix for a big batch is --loss mean, whose gradients are divided by n "
                f"(it is stable up to about lr {mean_limit:.2g}); or a --lr below {limit:.2g}.")
    return (f"{why}. Try a --lr below {limit:.2g}, or --loss mean (stable up to about lr "
            f"{mean_limit:.2g}).")


def _num(v: float, width: int = 0, sign: str = "") -> str:
    # Four decimals, unless the number is huge (a diverging run): then four significant digits.
    return f"{v:{sign}{width}.4f}" if abs(v) < 1e6 else f"{v:{sign}{width}.4g}"


def _fmt_w(w: np.ndarray, sign: str = "") -> str:
    if len(w) == 1:
        return _num(float(w[0]), 8, sign)
    return "[" + ", ".join(_num(float(v), 0, sign) for v in w) + "]"


def _max_abs_diff(autograd: Tensor | None, hand: Tensor) -> float:
    if autograd is None:
        return math.inf  # no gradient at all: certainly not the hand one
    return float(np.max(np.abs(autograd.numpy().astype(np.float64) - hand.numpy())))


class _Run:
    """One training run, step by step: the model, its optimizer, and what is recorded."""

    def __init__(self, steps: int, batch_size: int, lr: float, optimizer: str, features: int,
                 loss: str, seed: int, compile_step: bool, progress: Progress) -> None:  # fmt: skip
        creation.manual_seed(seed)
        self.model = LinearRegression(features)
        params = list(self.model.parameters())
        self.opt = optim.SGD(params, lr=lr) if optimizer == "sgd" else optim.Adam(params, lr=lr)
        self.steps, self.batch_size, self.features, self.loss = steps, batch_size, features, loss
        self.hint = lambda: divergence_hint(optimizer, lr, batch_size, features, loss)
        self.progress = progress
        # The same step either way. Compiled, its first calls run it eagerly, to record it and
        # to check the code written from the record against it; the later ones run that numpy
        # code alone, with the same numbers, bit for bit.
        step = training_step(self.model, self.opt, loss)
        self.train_step = tinygrad_compile(step) if compile_step else step
        # Allocated whole at once; the system hands out pages as they are written.
        self.losses = np.empty(steps)
        self.path = np.empty((steps + 1, features + 1))
        self.path[0] = self._flat()
        self.result = FitResult(self.model, self.losses[:0], self.path[:1],
                                LeastSquaresSums(features))  # fmt: skip
        self.result.compiled = self.train_step if compile_step else None
        self.grid_every = grid_every(steps)
        self.samples: tuple[np.ndarray, np.ndarray] | None = None  # the last picture samples

    def _flat(self) -> np.ndarray:
        return np.concatenate([self.model.w.detach().numpy()[:, 0],
                               self.model.b.detach().numpy()[0]]).astype(np.float64)

    def step(self, k: int) -> bool:
        """Train on one batch; False when the loss is no longer finite (the run stops)."""
        self.progress.start_step()
        say = self.progress.phase
        say(f"  step {k}: drawing a batch of {self.batch_size:,} samples…")
        x, y = get_fake_data(self.batch_size, w=TRUE_W, b=TRUE_B, features=self.features)
        say(f"  step {k}: forward, backward and update…")
        batch_loss, y_pred = self.train_step(x, y)
        # Everything that reads values into Python comes after the step, outside it. A loss that
        # is not finite stops the run; its update, made of it, is undone by _diverged.
        value = batch_loss.item()
        if not math.isfinite(value):
            self._diverged(k, value)
            return False
        self.losses[k] = value
        say(f"  step {k}: adding the batch to the closed form's sums…")
        self.result.seen.add(x.numpy(), y.numpy())

        # autograd's gradients, which the step left in .grad, against the hand-derived ones
        say(f"  step {k}: the hand-derived gradients…")
        dw, db = hand_gradients(x, y_pred, y, self.loss)
        diff = max(_max_abs_diff(self.model.w.grad, dw), _max_abs_diff(self.model.b.grad, db))
        self.result.max_grad_diff = max(self.result.max_grad_diff, diff)
        self.path[k + 1] = self._flat()
        if k % SAMPLES_EVERY == 0:
            self._draw_samples(k)
        if self.progress.due(k):
            w, b = self.path[k + 1, :-1], self.path[k + 1, -1]
            self.progress.line(f"step {k:>{len(str(self.steps))}}/{self.steps}   batch loss "
                               f"{_num(value, 10)}   w {_fmt_w(w)}   b {_num(b, 8)}   max "
                               f"|autograd − hand| so far {self.result.max_grad_diff:.1e}")
        return True

    def _draw_samples(self, k: int) -> None:
        # The original program's picture samples: drawn even when no picture is made, so that
        # the random stream (and so the result) never depends on --no-plots.
        xs, ys = get_fake_data(PICTURE_SAMPLES, w=TRUE_W, b=TRUE_B, features=self.features)
        self.samples = (xs.numpy()[:, 0].copy(), ys.numpy()[:, 0].copy())
        if k % self.grid_every == 0:
            self._snapshot(k)

    def _snapshot(self, done: int) -> None:
        # A panel of fit_grid.png: the line after `done` steps (0: the start, before any
        # update), over the latest fresh samples.
        row = self.path[done]
        self.result.snapshots.append({"step": done, "w": float(row[0]), "b": float(row[-1]),
                                      "x": self.samples[0], "y": self.samples[1]})  # fmt: skip

    def _diverged(self, k: int, value: float) -> None:
        # path[k] holds the parameters this loss came from: keep the last finite ones.
        j = k
        while j > 0 and not np.isfinite(self.path[j]).all():
            j -= 1
        with no_grad():
            self.model.w.copy_(Tensor(self.path[j, :-1].reshape(-1, 1).astype(np.float32)))
            self.model.b.copy_(Tensor(self.path[j, -1:].reshape(1, 1).astype(np.float32)))
        self.result.diverged_at, self.result.kept_step = k, j - 1
        kept = "the initial ones" if j == 0 else f"those after step {j - 1}"
        self.progress.line(f"training diverged: the loss is {value} at step {k}; stopping there "
                           f"and keeping the last finite parameters ({kept}).")  # fmt: skip
        self.progress.line(self.hint())

    def finish(self, done: int) -> FitResult:
        """The result after `done` steps (fewer than asked if the run diverged)."""
        result = self.result
        result.losses = self.losses[:done]
        last = done if result.diverged_at is None else result.kept_step + 1
        result.path = self.path[:last + 1]
        if self.samples is not None and (not result.snapshots
                                         or result.snapshots[-1]["step"] != last):
            self._snapshot(last)  # the end is always a panel
        return result


def fit_linear_regression(steps: int = 500, batch_size: int = 4, lr: float = 0.02,
                          optimizer: str = "sgd", features: int = 1, loss: str = "sum",
                          seed: int = 1000, compile_step: bool = False,
                          log: Callable[[str], None] = print,
                          progress: Progress | None = None) -> FitResult:  # fmt: skip
    """Train ŷ = x·w + b on the original program's data with autograd, checking its hand
    gradients at every step.

    Args:
        steps: the number of training steps, one batch each.
        batch_size: the samples per batch.
        lr: the learning rate.
        optimizer: "sgd" or "adam".
        features: the number of inputs per sample (the original program has 1).
        loss: "sum" (the original program's ½·Σ(ŷ − y)²) or "mean" (½·mean).
        seed: the random seed; 1000 draws the original program's numbers.
        compile_step: run each step's forward, backward and update (`training_step`) through
            `tinygrad_lr.compile`: the same numbers, bit for bit; the result's `compiled` is the
            compiled step, whose `.source` is its code.
        log: receives the progress lines (see `progress.Progress` for when).
        progress: a `Progress` of your own, to decide when lines are printed.

    Returns:
        The trained parameters, the loss and the gradient checks of each step, and the closed
            form's answer on the same data.

    Raises:
        TrainingInterrupted: on Ctrl-C, a KeyboardInterrupt that knows the step.
    """
    run = _Run(steps, batch_size, lr, optimizer, features, loss, seed, compile_step,
               progress or Progress(steps, log))  # fmt: skip
    done = 0
    # A diverging run overflows float32. That is detected (a non-finite loss) and reported, so
    # numpy's overflow warnings would only repeat it.
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            for done in range(steps):
                if not run.step(done):
                    break
            else:
                done = steps
        except KeyboardInterrupt:
            raise TrainingInterrupted(done, steps) from None
    return run.finish(done)
