"""`tinygrad-lr train`: the flagship. Linear regression with autograd, beside the seed's hand math.

The seed program fits y = w·x + b to y = 2x + 3 + noise with gradients derived by hand. Here the
same model learns with autograd (`loss.backward()`), and at every step the seed's hand-derived
gradients are computed as well and compared with autograd's.

The loss and the factor n. The seed's update uses

    dw = xᵀ(ŷ − y),   db = Σ(ŷ − y),

which are the gradients of the *summed* loss L = ½·Σ(ŷ − y)² over the batch. So by default
(`--loss sum`) we minimise exactly that, and SGD with lr = 0.02 takes the seed's steps. With
`--loss mean`, L = ½·mean((ŷ − y)²) = (1/n)·½·Σ(ŷ − y)², and every gradient is the seed's
divided by the batch size n: at the same lr each step is n times smaller (lr·n gives the seed's
steps back). Adam hardly notices the difference: its steps are about lr in size whatever the
gradient's scale.

With the default seed (1000), the random numbers are drawn in the seed program's order (w, then
each batch, then 100 fresh samples every 50 steps, drawn whether or not pictures are made), so the
final w and b are those `examples/seed_manual_gradients.py` prints on this package.

Pictures (in --out, default out/; see `plots.py` for sizes): fit_grid.png, fit_animation.gif,
loss_curve.png, loss_surface.png, graph.svg and graph.png (the computation graph of the first
step, when the graph renderer `tinygrad_lr.viz` and Graphviz's `dot` exist), and params.npz (the
trained w and b, for `tinygrad_lr.load_state`). They are written into a temporary folder inside
--out and moved into place at the end, so a failed run leaves no half-written set.

Exit codes: 0 done, 1 training diverged (the loss became inf or nan), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import nn, optim
from ..core import creation
from ..core.engine import no_grad
from ..core.tensor import Tensor
from ..data import get_fake_data
from ..nn import functional as F
from ..serialization import save_state

#: The seed's settings, and the line its data comes from.
DEFAULTS = {"steps": 500, "batch_size": 4, "lr": 0.02, "seed": 1000, "optimizer": "sgd",
            "features": 1, "loss": "sum", "out": "out"}  # fmt: skip
TRUE_W, TRUE_B = 2.0, 3.0
SNAPSHOT_EVERY = 50  # the seed draws its picture every 50 steps
PICTURE_SAMPLES = 100  # fresh samples drawn for each picture, as in the seed


class LinearRegression(nn.Module):
    """ŷ = x·w + b, with w of shape (features, 1) and b of shape (1, 1), as in the seed.

    Initialised as the seed does: w ~ U(0, 1), b = 0. The forward pass is the seed's line,
    `x.mm(w) + b.expand_as(ŷ)`: the expand is what the gradient of b sums back over the batch.
    """

    def __init__(self, features: int = 1) -> None:
        super().__init__()
        self.w = nn.Parameter(creation.rand(features, 1))
        self.b = nn.Parameter(creation.zeros(1, 1))

    def forward(self, x: Tensor) -> Tensor:
        """ŷ = x·w + b, written as the seed writes it: x.mm(w) + b expanded to the batch."""
        return x.mm(self.w) + self.b.expand(x.shape[0], 1)


def hand_gradients(x: Tensor, y_pred: Tensor, y: Tensor, loss: str) -> tuple[Tensor, Tensor]:
    """The seed's gradients, derived by hand, of L = ½·Σ(ŷ − y)² (or ½·mean with loss='mean').

    With ŷ = x·w + b:  ∂L/∂ŷ = ŷ − y,  so by the chain rule
        dw = xᵀ·(ŷ − y)      (each sample's error, weighted by its input)
        db = Σ (ŷ − y)       (b is added to every sample, so its gradient is the sum)
    The mean divides L by n, so it divides both gradients by n.
    """
    with no_grad():
        dy_pred = y_pred - y
        dw = x.t().mm(dy_pred)
        db = dy_pred.sum().reshape(1, 1)
        if loss == "mean":
            n = y.shape[0]
            dw, db = dw / n, db / n
    return dw, db


@dataclass
class FitResult:
    """What a training run produced, for the report and the pictures."""

    model: LinearRegression
    losses: list[float] = field(default_factory=list)  # the batch loss of each step
    path: list[np.ndarray] = field(default_factory=list)  # (w..., b) at the start, then per step
    snapshots: list[dict[str, Any]] = field(default_factory=list)  # every 50 steps, with samples
    x_seen: list[np.ndarray] = field(default_factory=list)  # every training batch, in order
    y_seen: list[np.ndarray] = field(default_factory=list)
    max_grad_diff: float = 0.0  # the largest |autograd − hand| over all steps and elements
    diverged_at: int | None = None  # the step whose loss was not finite
    kept_step: int | None = None  # after a divergence: the step whose parameters were kept

    @property
    def w(self) -> np.ndarray:
        """The fitted weights, one per feature."""
        return self.model.w.detach().numpy()[:, 0].copy()

    @property
    def b(self) -> float:
        """The fitted bias."""
        return float(self.model.b.detach().numpy()[0, 0])


def fit_linear_regression(steps: int = 500, batch_size: int = 4, lr: float = 0.02,
                          optimizer: str = "sgd", features: int = 1, loss: str = "sum",
                          seed: int = 1000, on_first_backward: Callable[[Tensor, Any], None]
                          | None = None, log: Callable[[str], None] = print) -> FitResult:
    """Train ŷ = x·w + b on the seed's data with autograd, checking the seed's hand gradients.

    `on_first_backward(loss, model)`, if given, is called once, right after the first
    backward() (the graph of that step is still there, with its gradients): the computation
    graph is drawn from it. `log` receives the progress lines.
    """
    creation.manual_seed(seed)
    model = LinearRegression(features)
    params = list(model.parameters())
    opt = optim.SGD(params, lr=lr) if optimizer == "sgd" else optim.Adam(params, lr=lr)
    result = FitResult(model)
    result.path.append(_flat(model))
    # A diverging run overflows float32. That is detected (a non-finite loss) and reported, so
    # numpy's overflow warnings would only repeat it.
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            x, y = get_fake_data(batch_size, w=TRUE_W, b=TRUE_B, features=features)
            x.name, y.name = "x", "y"  # labels for the drawing of the graph

            # forward: the prediction and the loss (½ so that the gradient has no factor 2)
            y_pred = model(x)
            batch_loss = 0.5 * F.mse_loss(y_pred, y, reduction=loss)
            y_pred.name, batch_loss.name = "y_pred", "loss"
            value = batch_loss.item()
            if not math.isfinite(value):
                result.diverged_at = step
                result.kept_step = _keep_last_finite(model, result.path)
                kept = ("the initial ones" if result.kept_step < 0
                        else f"those after step {result.kept_step}")  # fmt: skip
                log(f"training diverged: the loss is {value} at step {step}; stopping there and "
                    f"keeping the last finite parameters ({kept}). Try a smaller --lr.")
                break
            result.losses.append(value)
            result.x_seen.append(x.numpy().copy())
            result.y_seen.append(y.numpy().copy())

            # backward: autograd's gradients, then the seed's hand-derived ones, compared
            opt.zero_grad()
            batch_loss.backward()
            if on_first_backward is not None and step == 0:
                on_first_backward(batch_loss, model)
            dw, db = hand_gradients(x, y_pred, y, loss)
            diff = max(_max_abs_diff(model.w.grad, dw), _max_abs_diff(model.b.grad, db))
            result.max_grad_diff = max(result.max_grad_diff, diff)

            # update: w ← w − lr·w.grad, b ← b − lr·b.grad for SGD (under no_grad, in place)
            opt.step()
            result.path.append(_flat(model))

            if step % SNAPSHOT_EVERY == 0:
                # The seed's picture: the line now, over 100 fresh samples. They are drawn even
                # without pictures, so that the random stream (and so the result) never depends
                # on --no-plots.
                xs, ys = get_fake_data(PICTURE_SAMPLES, w=TRUE_W, b=TRUE_B, features=features)
                result.snapshots.append({"step": step, "w": float(result.w[0]), "b": result.b,
                                         "x": xs.numpy()[:, 0], "y": ys.numpy()[:, 0],
                                         "loss": value})  # fmt: skip
            if step % SNAPSHOT_EVERY == 0 or step == steps - 1:
                log(f"step {step:>{len(str(steps))}}/{steps}   batch loss {_num(value, 10)}   "
                    f"w {_fmt_w(result.w)}   b {_num(result.b, 8)}   max |autograd − hand| so "
                    f"far {result.max_grad_diff:.1e}")
    return result


def _flat(model: LinearRegression) -> np.ndarray:
    return np.concatenate([model.w.detach().numpy()[:, 0],
                           model.b.detach().numpy()[0]]).astype(np.float64)


def _keep_last_finite(model: LinearRegression, path: list[np.ndarray]) -> int:
    """Restore the most recent finite parameters; returns the step they came from (-1: start)."""
    k = len(path) - 1
    while k > 0 and not np.isfinite(path[k]).all():
        k -= 1
    with no_grad():
        model.w.copy_(Tensor(path[k][:-1].reshape(-1, 1)))
        model.b.copy_(Tensor(path[k][-1:].reshape(1, 1)))
    del path[k + 1:]
    return k - 1


def _max_abs_diff(autograd: Tensor | None, hand: Tensor) -> float:
    if autograd is None:
        return math.inf  # no gradient at all: certainly not the hand one
    return float(np.max(np.abs(autograd.numpy().astype(np.float64) - hand.numpy())))


def _num(v: float, width: int = 0, sign: str = "") -> str:
    # Four decimals, unless the number is huge (a diverging run): then four significant digits.
    return f"{v:{sign}{width}.4f}" if abs(v) < 1e6 else f"{v:{sign}{width}.4g}"


def _fmt_w(w: np.ndarray, sign: str = "") -> str:
    if len(w) == 1:
        return _num(float(w[0]), 8, sign)
    return "[" + ", ".join(_num(float(v), 0, sign) for v in w) + "]"


def closed_form(x_seen: list[np.ndarray], y_seen: list[np.ndarray]) -> tuple[np.ndarray, float]:
    """The least-squares w, b on all the data seen: argmin Σ(x·w + b − y)², solved directly
    (in float64, by numpy's lstsq on [x, 1]), the answer gradient descent is heading for."""
    x = np.concatenate(x_seen).astype(np.float64)
    y = np.concatenate(y_seen).astype(np.float64)
    design = np.hstack([x, np.ones((len(x), 1))])
    theta, *_ = np.linalg.lstsq(design, y, rcond=None)
    return theta[:-1, 0], float(theta[-1, 0])


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


DESCRIPTION = """\
Fit y = w·x + b to y = 2x + 3 + noise with autograd, checking the seed's hand-derived gradients
dw = xᵀ(ŷ − y), db = Σ(ŷ − y) against autograd's at every step. Defaults are the seed's: batches
of 4, 500 steps, SGD with lr 0.02 on the summed loss ½·Σ(ŷ − y)²."""

EPILOG = """\
writes to --out: fit_grid.png (the line every 50 steps), fit_animation.gif, loss_curve.png,
loss_surface.png ((w, b) over the loss contours), graph.svg/.png (the first step's computation
graph, where the renderer and Graphviz exist), params.npz (load with tinygrad_lr.load_state).
exit codes: 0 done, 1 training diverged, 2 bad arguments."""


class UsageError(Exception):
    """A bad argument: reported on one line, exit code 2, nothing written."""


def _add_arguments(p: argparse.ArgumentParser) -> None:
    d = DEFAULTS
    p.add_argument("--steps", type=int, default=d["steps"], help="training steps (default 500)")
    p.add_argument("--batch-size", type=int, default=d["batch_size"],
                   help="samples per step (default 4)")
    p.add_argument("--lr", type=float, default=d["lr"], help="learning rate (default 0.02)")
    p.add_argument("--seed", type=int, default=d["seed"],
                   help="random seed (default 1000, the seed program's)")
    p.add_argument("--optimizer", choices=("sgd", "adam"), default=d["optimizer"],
                   help="sgd (the seed's update, default) or adam")
    p.add_argument("--features", type=int, default=d["features"], metavar="K",
                   help="fit y = x·w + b with K input features (default 1; pictures of the "
                        "line need 1)")  # fmt: skip
    p.add_argument("--loss", choices=("sum", "mean"), default=d["loss"],
                   help="½·Σ(ŷ−y)², the seed's gradients (default), or ½·mean(...): gradients "
                        "n times smaller")  # fmt: skip
    p.add_argument("--out", default=d["out"], help="folder for the pictures (default out/)")
    p.add_argument("--no-plots", action="store_true", help="train and report only; write nothing")
    p.add_argument("--show", action="store_true",
                   help="also open the pictures in windows, when a display exists")


def _one_line_errors(p: argparse.ArgumentParser) -> None:
    # argparse prints the usage and then the error; the contract here is one line on stderr.
    def error(message: str) -> None:
        print(f"{p.prog}: error: {message} (see --help)", file=sys.stderr)
        sys.exit(2)

    p.error = error  # type: ignore[method-assign]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `train` on the `tinygrad-lr` command (see cli.py)."""
    p = subparsers.add_parser(
        "train", help="fit y = 2x + 3 with autograd, checking the seed's hand gradients",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    _add_arguments(p)
    _one_line_errors(p)
    p.set_defaults(run=run)
    return p


def main(argv: list[str] | None = None) -> int:
    """`tinygrad-lr train` as a function: parse argv, run, return the exit code."""
    p = argparse.ArgumentParser(prog="tinygrad-lr train", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_arguments(p)
    _one_line_errors(p)
    return run(p.parse_args(argv))


def _validate(args: argparse.Namespace) -> None:
    if args.steps <= 0:
        raise UsageError(f"--steps must be a positive integer, got {args.steps}")
    if args.batch_size <= 0:
        raise UsageError(f"--batch-size must be a positive integer, got {args.batch_size}")
    if args.features <= 0:
        raise UsageError(f"--features must be a positive integer, got {args.features}")
    if not math.isfinite(args.lr) or args.lr < 0:
        raise UsageError(f"--lr must be a finite number >= 0, got {args.lr}")


class _OutputFolder:
    """--out, written atomically: files go to a temporary folder inside it, moved in at the end.

    Opening it checks that --out can be written (creating it if needed); `discard()` removes
    everything this run made, including --out itself if the run created it.
    """

    def __init__(self, out: str) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"--out {out}: exists and is not a folder")
        missing = [p for p in (self.out, *self.out.parents) if not p.exists()]
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=".tinygrad-lr-", dir=self.out))
        except OSError as e:
            for p in missing:  # innermost first: remove only what this run created
                if p.exists():
                    p.rmdir()
            raise UsageError(f"--out {out}: cannot write there ({e.strerror})") from None
        self.created = missing

    def path(self, name: str) -> Path:
        return self.staging / name

    def commit(self) -> list[Path]:
        written = []
        for f in sorted(self.staging.iterdir()):
            target = self.out / f.name
            f.replace(target)
            written.append(target)
        self.staging.rmdir()
        return written

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        for p in self.created:
            if p.exists() and not any(p.iterdir()):
                p.rmdir()


def _graph_renderer() -> tuple[Callable[..., Any] | None, str]:
    """tinygrad_lr.viz.draw_graph when Graphviz's `dot` exists, else None and the reason."""
    if shutil.which("dot") is None:
        return None, ("Graphviz's dot program is not installed (apt-get install graphviz, brew "
                      "install graphviz, or conda install -c conda-forge graphviz)")
    from ..viz import draw_graph

    return draw_graph, ""


def run(args: argparse.Namespace) -> int:
    """Train, report, and write the pictures; returns the exit code."""
    try:
        _validate(args)
        folder = None if args.no_plots else _OutputFolder(args.out)
    except UsageError as e:
        print(f"tinygrad-lr train: error: {e}", file=sys.stderr)
        return 2
    try:
        code = _train_and_report(args, folder)
    except BaseException:
        if folder is not None:
            folder.discard()
        raise
    return code


def _train_and_report(args: argparse.Namespace, folder: _OutputFolder | None) -> int:
    n = args.batch_size
    k = args.features
    model_text = "y = w·x + b" if k == 1 else f"y = x·w + b with {k} features"
    print(f"fitting {model_text} to y = {TRUE_W:g}·x + {TRUE_B:g} + N(0, 1) noise: {args.steps} "
          f"steps of {args.optimizer.upper() if args.optimizer == 'sgd' else 'Adam'} (lr "
          f"{args.lr:g}) on batches of {n}, seed {args.seed}")
    if args.loss == "sum":
        print("loss ½·Σ(ŷ − y)² over each batch: its gradients are the seed's hand-derived "
              "dw = xᵀ(ŷ − y), db = Σ(ŷ − y)")
    else:
        print(f"loss ½·mean((ŷ − y)²) over each batch: gradients are the seed's dw = xᵀ(ŷ − y), "
              f"db = Σ(ŷ − y) divided by n = {n}, so each step is {n}× smaller at the same lr"
              + (f" (--lr {args.lr * n:g} takes the seed's steps)" if args.optimizer == "sgd"
                 else " (Adam's steps hardly depend on the gradient's scale)"))

    draw_graph, why_not = (None, "") if folder is None else _graph_renderer()
    graph_files: list[str] = []

    def render_graph(loss: Tensor, model: LinearRegression) -> None:
        try:
            graph = draw_graph(loss, params=dict(model.named_parameters()), show_grad=True)
            for fmt in ("svg", "png"):
                folder.path(f"graph.{fmt}").write_bytes(graph.pipe(format=fmt))
                graph_files.append(f"graph.{fmt}")
        except Exception as e:  # the renderer is another module's: report, do not fail the fit
            print(f"computation graph: not drawn ({type(e).__name__}: {e})")

    result = fit_linear_regression(
        steps=args.steps, batch_size=n, lr=args.lr, optimizer=args.optimizer,
        features=args.features, loss=args.loss, seed=args.seed,
        on_first_backward=render_graph if draw_graph is not None else None,
    )  # fmt: skip
    print(f"largest |autograd − hand| gradient difference over all steps: "
          f"{result.max_grad_diff:.3g}")

    written: list[Path] = []
    if folder is not None:
        if draw_graph is None:
            print(f"computation graph: not drawn ({why_not})")
        _write_pictures(args, result, folder)
        written = folder.commit()
        print(f"wrote {len(written)} files to {folder.out}/: "
              + ", ".join(p.name for p in written))
        if args.show:
            _show()
    elif args.show:
        print("--show: nothing to show with --no-plots")

    w_cf, b_cf = closed_form(result.x_seen, result.y_seen)
    samples = sum(len(x) for x in result.x_seen)
    print(f"closed-form least squares on the {samples} samples seen:  w: "
          f"{_fmt_w(w_cf).strip()}  b: {_num(b_cf)}")
    print(f"difference, trained − closed-form:  w: {_fmt_w(result.w - w_cf, '+').strip()}  "
          f"b: {_num(result.b - b_cf, 0, '+')}")
    if args.optimizer == "sgd" and result.diverged_at is None:
        # SGD with a constant lr never settles: each batch's noise keeps kicking it. Near the
        # minimum its spread is about √(η·σ²/2) per parameter, η the step size on the summed
        # loss (lr, or lr/n for the mean) and σ = 1 the noise: gaps of that size are expected.
        eta = args.lr if args.loss == "sum" else args.lr / n
        jitter = math.sqrt(eta / 2)
        gap = float(np.max(np.abs(np.append(result.w - w_cf, result.b - b_cf))))
        eta_text = "lr" if args.loss == "sum" else f"lr/{n}"
        if gap <= 3 * jitter:
            print(f"(constant-lr SGD never settles: near the minimum each batch moves it by about "
                  f"√(η·σ²/2) ≈ {jitter:.2g} per parameter, η = {eta_text}: a gap of this size is "
                  "expected)")
        else:
            print(f"(the gap is more than 3× the jitter of constant-lr SGD near the minimum, "
                  f"√(η·σ²/2) ≈ {jitter:.2g} with η = {eta_text}: training has not converged "
                  "yet; try more --steps or a larger --lr)")
    w_out = result.model.w.detach().numpy()[:, 0]
    print("w: ", w_out[0].item() if len(w_out) == 1 else w_out.tolist(), "b: ",
          result.model.b.item())
    return 1 if result.diverged_at is not None else 0


def _write_pictures(args: argparse.Namespace, result: FitResult, folder: _OutputFolder) -> None:
    from . import plots  # matplotlib is imported only when pictures are wanted

    show = args.show and plots.display_available()[0]
    loss_label = ("½·Σ(ŷ − y)² on the batch" if args.loss == "sum"
                  else "½·mean((ŷ − y)²) on the batch")  # fmt: skip
    # The true line's expected loss: each of the n residuals is the noise, E[ε²] = σ² = 1.
    floor = 0.5 * args.batch_size if args.loss == "sum" else 0.5
    plots.loss_curve(result.losses, folder.path("loss_curve.png"), loss_label,
                     result.diverged_at, show=show,
                     floor=(floor, f"the true line's expected loss ({floor:g}): the noise"))
    save_state(result.model, folder.path("params.npz"))
    if args.features != 1:
        print("fit_grid.png, fit_animation.gif, loss_surface.png: not drawn (a line in the plane "
              "needs --features 1)")
        return
    if result.snapshots:
        plots.fit_grid(result.snapshots, folder.path("fit_grid.png"), TRUE_W, TRUE_B, show=show)
        first = result.snapshots[0]
        plots.fit_animation(_animation_frames(result), first["x"], first["y"],
                            folder.path("fit_animation.gif"), TRUE_W, TRUE_B)  # fmt: skip
    w_cf, b_cf = closed_form(result.x_seen, result.y_seen)
    if result.x_seen:
        plots.loss_surface(np.concatenate(result.x_seen), np.concatenate(result.y_seen),
                           np.array(result.path), (float(w_cf[0]), b_cf),
                           folder.path("loss_surface.png"), show=show)  # fmt: skip


def _animation_frames(result: FitResult) -> list[dict[str, Any]]:
    """Dense frames early (where the line moves most), sparse later: about 40 in all."""
    last = len(result.losses) - 1
    steps = sorted({*range(0, min(10, last + 1)), *range(10, min(50, last + 1), 5),
                    *range(50, last + 1, 25), last})  # fmt: skip
    # path[0] holds the initial (w, b), path[k + 1] those after step k
    start = {"step": "start", "w": result.path[0][0], "b": result.path[0][-1],
             "loss": result.losses[0]}  # fmt: skip
    return [start] + [{"step": s, "w": result.path[s + 1][0], "b": result.path[s + 1][-1],
                       "loss": result.losses[s]} for s in steps]  # fmt: skip


def _show() -> None:
    from . import plots

    available, backend = plots.display_available()
    if not available:
        print(f"--show: no display here (matplotlib's backend is {backend}); the pictures are "
              "in the files above")
        return
    from matplotlib import pyplot as plt

    plt.show()


if __name__ == "__main__":
    sys.exit(main())
