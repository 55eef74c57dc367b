"""`tinygrad-lr train`: the flagship. Linear regression with autograd, beside the original
program's hand math (the training itself is in `regression.py`, its pictures in `plots.py`).

Pictures (in --out, default out/; see `plots.py` for sizes): fit_grid.png, fit_animation.gif,
loss_curve.png, loss_surface.png, graph.svg and graph.png (the computation graph of the first
step, when Graphviz's `dot` exists), explain.html (that step in the backward explorer, also when
`dot` exists), and params.npz (the trained w and b, for
`tinygrad_lr.load_state`). They are written into a temporary folder inside --out and moved into
place at the end, so a run that fails or is stopped leaves no half-written set.

Exit codes: 0 done, 1 training did not finish (it diverged, or memory ran out), 2 bad arguments,
130 stopped by Ctrl-C. After a bad argument or Ctrl-C nothing is written.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..serialization import save_state
from .common import EXIT_INTERRUPTED, OutputFolder, UsageError, interrupted_by_dot, one_line_errors
from .progress import Progress, flushed_print, format_bytes, memory_available, memory_needed
from .regression import (  # noqa: F401  (re-exported: the flagship's API lives here too)
    DEFAULTS,
    TRUE_B,
    TRUE_W,
    FitResult,
    LeastSquaresSums,
    LinearRegression,
    TrainingInterrupted,
    _fmt_w,
    _num,
    animation_steps,
    closed_form,
    divergence_hint,
    fit_linear_regression,
    flagship_loss,
    grid_every,
    hand_gradients,
    stable_lr,
)

#: Warn about memory from this size on (bytes).
LARGE_MEMORY = 10**9

DESCRIPTION = """\
Fit y = w·x + b to y = 2x + 3 + noise with autograd, checking the hand-derived gradients of the
original program (the PyTorch example this project grew from) at every step:
dw = xᵀ(ŷ − y), db = Σ(ŷ − y). The defaults are the original program's: batches of 4, 500 steps,
SGD with lr 0.02 on the summed loss ½·Σ(ŷ − y)², random seed 1000."""

EPILOG = """\
progress: a line every 50 steps (in runs over 1000 steps, about 20 lines: every 1, 2 or 5 × 10ᵏ
steps), and one whenever 2 seconds pass without one; inside a slow step (a huge batch), a word
on what it is doing. memory: estimated before anything is allocated; a run that cannot fit is
refused, and one that needs over 1 GB gets a note.

writes to --out: fit_grid.png (the line at evenly spaced steps, from the start to the end: every
50 steps in a run of up to 500), fit_animation.gif, loss_curve.png, loss_surface.png ((w, b)
over the contours of the loss training used), graph.svg/.png (the first step's computation
graph, where Graphviz's dot exists), explain.html (that step in the backward explorer: open it in
a browser; also where dot exists), params.npz (load with tinygrad_lr.load_state).

Ctrl-C stops the run at once and writes nothing (files already in --out stay as they were).
exit codes: 0 done, 1 training did not finish (diverged), 2 bad arguments, 130 Ctrl-C."""


def _add_arguments(p: argparse.ArgumentParser) -> None:
    d = DEFAULTS
    p.add_argument("--steps", type=int, default=d["steps"], help="training steps (default 500)")
    p.add_argument("--batch-size", type=int, default=d["batch_size"],
                   help="samples per step (default 4)")
    p.add_argument("--lr", type=float, default=d["lr"], help="learning rate (default 0.02)")
    p.add_argument("--seed", type=int, default=d["seed"],
                   help="random seed (default 1000, the original program's)")
    p.add_argument("--optimizer", choices=("sgd", "adam"), default=d["optimizer"],
                   help="sgd (the original program's update, default) or adam")
    p.add_argument("--features", type=int, default=d["features"], metavar="K",
                   help="fit y = x·w + b with K input features to y = 2·(x₁ + … + x_K) + 3 + "
                        "noise (default 1; the pictures of the line need 1)")  # fmt: skip
    p.add_argument("--loss", choices=("sum", "mean"), default=d["loss"],
                   help="½·Σ(ŷ−y)², whose gradients are the original program's (default), or "
                        "½·mean(...): gradients n times smaller")  # fmt: skip
    p.add_argument("--out", default=d["out"], help="folder for the pictures (default out/)")
    p.add_argument("--no-plots", action="store_true", help="train and report only; write nothing")
    p.add_argument("--show", action="store_true",
                   help="also open the pictures in windows, when a display exists")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `train` on the `tinygrad-lr` command (see cli.py).

    Args:
        subparsers: what `ArgumentParser.add_subparsers()` returned.

    Returns:
        The `train` parser.
    """
    p = subparsers.add_parser(
        "train", help="fit y = 2x + 3 with autograd, checking the original program's hand "
                      "gradients",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    _add_arguments(p)
    one_line_errors(p)
    p.set_defaults(run=run)
    return p


def main(argv: list[str] | None = None) -> int:
    """`tinygrad-lr train` as a function: parse argv, run, return the exit code.

    Args:
        argv: the arguments, without the program's name; None for `sys.argv[1:]`.

    Returns:
        The exit code (see above).
    """
    p = argparse.ArgumentParser(prog="tinygrad-lr train", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_arguments(p)
    one_line_errors(p)
    return run(p.parse_args(argv))


def _validate(args: argparse.Namespace) -> list[str]:
    """Refuse bad arguments (UsageError); returns notes worth printing before the run."""
    for option, value in (("--steps", args.steps), ("--batch-size", args.batch_size),
                          ("--features", args.features)):  # fmt: skip
        if value <= 0:
            raise UsageError(f"{option} must be a positive integer, got {value}")
    if not math.isfinite(args.lr) or args.lr <= 0:
        why = " (at lr 0 nothing moves: nothing can be learned)" if args.lr == 0 else ""
        raise UsageError(f"--lr must be a finite number > 0, got {args.lr:g}{why}")
    notes = _memory_notes(args)
    if args.optimizer == "sgd" and args.lr > 2 * stable_lr(args.batch_size, args.features,
                                                           args.loss):  # fmt: skip
        notes.append("note: expect this run to diverge. " + divergence_hint(
            args.optimizer, args.lr, args.batch_size, args.features, args.loss))
    return notes


def _memory_notes(args: argparse.Namespace) -> list[str]:
    # Estimated before anything is allocated: refuse what cannot fit, warn about what is large.
    need = memory_needed(args.steps, args.batch_size, args.features)
    available = memory_available()
    if available is not None and need > available:
        # Name the option that asks for the most: the batch, the steps, or the features.
        parts = {"--batch-size": need - memory_needed(args.steps, 0, args.features),
                 "--steps": need - memory_needed(0, args.batch_size, args.features),
                 "--features": memory_needed(0, 0, args.features)}  # fmt: skip
        option = max(parts, key=parts.get)
        what = {"--batch-size": f"one step on {args.batch_size:,} samples needs",
                "--steps": "keeping each step's loss and (w, b) needs",
                "--features": f"the closed form's {args.features + 1:,} × {args.features + 1:,} "
                              "equations need"}[option]  # fmt: skip
        value = {"--batch-size": args.batch_size, "--steps": args.steps,
                 "--features": args.features}[option]  # fmt: skip
        smaller = "fewer --steps" if option == "--steps" else f"a smaller {option}"
        raise UsageError(f"{option} {value}: {what} about {format_bytes(parts[option])} of "
                         f"memory, and about {format_bytes(available)} is available; use "
                         f"{smaller}")  # fmt: skip
    if need >= LARGE_MEMORY:
        free = "" if available is None else f" (about {format_bytes(available)} is available)"
        return [f"note: this run needs about {format_bytes(need)} of memory{free}"]
    return []


class _Stage:
    """What the run is doing, in words, for the line that Ctrl-C prints; and whether the
    pictures are in place already (then Ctrl-C no longer takes them back)."""

    text = "before the first step"
    written = False


def run(args: argparse.Namespace) -> int:
    """Train, report, and write the pictures; returns the exit code.

    Args:
        args: the parsed arguments of `tinygrad-lr train`.

    Returns:
        The exit code: 0 done, 1 training did not finish, 2 bad arguments, 130 Ctrl-C.
    """
    try:
        notes = _validate(args)
        folder = None if args.no_plots else OutputFolder(args.out)
    except UsageError as e:
        print(f"tinygrad-lr train: error: {e}", file=sys.stderr)
        return 2
    stage = _Stage()
    try:
        return _train_and_report(args, folder, notes, stage)
    except KeyboardInterrupt as e:
        if folder is not None:
            folder.discard()
        where = f"at step {e.step} of {e.steps}" if isinstance(e, TrainingInterrupted) else \
            stage.text  # fmt: skip
        written = ("nothing was written" if folder is None
                   else f"the pictures are in {args.out}" if stage.written
                   else f"nothing was written to {args.out}")  # fmt: skip
        print(f"tinygrad-lr train: stopped by Ctrl-C {where}; {written}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        if folder is not None:
            folder.discard()
        print(f"tinygrad-lr train: error: out of memory {stage.text}; use a smaller "
              "--batch-size or fewer --steps", file=sys.stderr)  # fmt: skip
        return 1
    except BaseException:
        if folder is not None:
            folder.discard()
        raise


def _header(args: argparse.Namespace) -> list[str]:
    n, k = args.batch_size, args.features
    if k == 1:
        model, target = "y = w·x + b", f"y = {TRUE_W:g}·x + {TRUE_B:g}"
    else:
        sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
        names = [f"x{str(i).translate(sub)}" for i in range(1, k + 1)]
        xs = " + ".join(names) if k <= 4 else f"{names[0]} + {names[1]} + … + {names[-1]}"
        model, target = f"y = x·w + b with {k} features", f"y = {TRUE_W:g}·({xs}) + {TRUE_B:g}"
    optimizer = "SGD" if args.optimizer == "sgd" else "Adam"
    lines = [f"fitting {model} to {target} + N(0, 1) noise: {args.steps} steps of {optimizer} "
             f"(lr {args.lr:g}) on batches of {n}, random seed {args.seed}"]
    if args.loss == "sum":
        lines.append("loss ½·Σ(ŷ − y)² over each batch: its gradients are the original program's "
                     "hand-derived dw = xᵀ(ŷ − y), db = Σ(ŷ − y)")
    else:
        # The steps of SGD on the mean at lr·n are those on the sum at lr: the original program's
        # steps need its own lr times n, whatever --lr this run was given.
        tip = (f" (--lr {DEFAULTS['lr'] * n:g}, the original program's lr {DEFAULTS['lr']:g} × "
               f"n, takes its steps)" if args.optimizer == "sgd"
               else " (Adam's steps hardly depend on the gradient's scale)")  # fmt: skip
        lines.append(f"loss ½·mean((ŷ − y)²) over each batch: gradients are the original "
                     f"program's dw = xᵀ(ŷ − y), db = Σ(ŷ − y) divided by n = {n}, so each step "
                     f"is {n}× smaller at the same lr{tip}")
    return lines


def _graph_renderer() -> tuple[Callable[..., Any] | None, str]:
    """tinygrad_lr.viz.draw_graph when Graphviz's `dot` exists, else None and the reason."""
    if shutil.which("dot") is None:
        return None, ("Graphviz's dot program is not installed (apt-get install graphviz, brew "
                      "install graphviz, or conda install -c conda-forge graphviz)")
    from ..viz import draw_graph

    return draw_graph, ""


def _train_and_report(args: argparse.Namespace, folder: OutputFolder | None, notes: list[str],
                      stage: _Stage) -> int:  # fmt: skip
    for line in _header(args) + notes:
        flushed_print(line)
    with Progress(args.steps, flushed_print, watch=True) as progress:
        draw_graph, why_not = (None, "") if folder is None else _graph_renderer()

        def render_graph(loss: Tensor, model: LinearRegression) -> None:
            try:
                graph = draw_graph(loss, params=dict(model.named_parameters()), show_grad=True)
                for fmt in ("svg", "png"):
                    folder.path(f"graph.{fmt}").write_bytes(graph.pipe(format=fmt))
            except Exception as e:  # another module's work: report it, do not fail the fit
                if interrupted_by_dot(e):
                    raise KeyboardInterrupt from None
                print(f"computation graph: not drawn ({type(e).__name__}: {e})")

        result = fit_linear_regression(
            steps=args.steps, batch_size=args.batch_size, lr=args.lr, optimizer=args.optimizer,
            features=args.features, loss=args.loss, seed=args.seed, progress=progress,
            on_first_backward=render_graph if draw_graph is not None else None,
        )  # fmt: skip
        progress.phase(None)
        print(f"largest |autograd − hand| gradient difference over all steps: "
              f"{result.max_grad_diff:.3g}")
        if folder is not None and draw_graph is None:
            print(f"computation graph: not drawn ({why_not})")
        _report(args, result, folder, progress, stage)
    return 1 if result.diverged_at is not None else 0


def _report(args: argparse.Namespace, result: FitResult, folder: OutputFolder | None,
            progress: Progress, stage: _Stage) -> None:  # fmt: skip
    """The pictures, then the closed form and the original program's last line."""
    done = len(result.losses)
    stage.text = f"after step {done - 1} of {args.steps}, while reporting"
    if folder is not None:
        _write_pictures(args, result, folder, progress, stage)
        progress.phase(None)
        written = folder.commit()
        stage.written = True
        stage.text = f"after step {done - 1} of {args.steps}, while reporting"
        print(f"wrote {len(written)} files to {folder.out}/: "
              + ", ".join(p.name for p in written))
        if args.show:
            _show()
    elif args.show:
        print("--show: nothing to show with --no-plots")
    progress.start_step()
    progress.phase(f"  solving the closed form's {args.features + 1} equations…")
    w_cf, b_cf = closed_form(result.seen)
    progress.phase(None)
    print(f"closed-form least squares on the {result.samples_seen} samples seen:  w: "
          f"{_fmt_w(w_cf).strip()}  b: {_num(b_cf)}")
    print(f"difference, trained − closed-form:  w: {_fmt_w(result.w - w_cf, '+').strip()}  "
          f"b: {_num(result.b - b_cf, 0, '+')}")
    if result.diverged_at is None:
        gap = float(np.max(np.abs(np.append(result.w - w_cf, result.b - b_cf))))
        print(_gap_note(args, gap))
    w_out = result.model.w.detach().numpy()[:, 0]
    print("w: ", w_out[0].item() if len(w_out) == 1 else w_out.tolist(), "b: ",
          result.model.b.item())


def _gap_note(args: argparse.Namespace, gap: float) -> str:
    """Why the trained line is not the closed form, for this optimizer."""
    if args.optimizer == "adam":
        # Adam divides each gradient by its recent root mean square, so its steps are about lr
        # in size wherever it is: near the minimum the gradients are mostly the batches' noise,
        # and it keeps moving by up to about lr per step instead of settling.
        if gap <= 3 * args.lr:
            return (f"(Adam with a constant lr never settles either: it scales each gradient by "
                    f"its recent size, so near the minimum, where the gradients are mostly noise, "
                    f"it still moves by up to about lr = {args.lr:g} per step: a gap of a few × "
                    "lr is expected)")
        return (f"(the gap is more than 3 × lr: Adam's steps are at most about lr = {args.lr:g} "
                "each, and it has not converged yet; try more --steps or a larger --lr)")
    # SGD with a constant lr never settles: each batch's noise keeps kicking it. Near the minimum
    # its spread is about √(η·σ²/2) per parameter, η the step size on the summed loss (lr, or
    # lr/n for the mean) and σ = 1 the noise: gaps of that size are expected.
    n = args.batch_size
    eta = args.lr if args.loss == "sum" else args.lr / n
    jitter = math.sqrt(eta / 2)
    eta_text = "lr" if args.loss == "sum" else f"lr/{n}"
    if gap <= 3 * jitter:
        return (f"(constant-lr SGD never settles: near the minimum each batch moves it by about "
                f"√(η·σ²/2) ≈ {jitter:.2g} per parameter, η = {eta_text}: a gap of this size is "
                "expected)")
    if args.lr > stable_lr(n, args.features, args.loss):
        # Past the limit the distance to the minimum grows at every step: "more steps" would
        # only make it worse.
        return ("(the gap grows with every step: this run was on its way to diverge. "
                + divergence_hint(args.optimizer, args.lr, n, args.features, args.loss) + ")")
    return (f"(the gap is more than 3× the jitter of constant-lr SGD near the minimum, "
            f"√(η·σ²/2) ≈ {jitter:.2g} with η = {eta_text}: training has not converged yet; try "
            "more --steps or a larger --lr)")


def _write_pictures(args: argparse.Namespace, result: FitResult, folder: OutputFolder,
                    progress: Progress, stage: _Stage) -> None:  # fmt: skip
    from . import plots  # matplotlib is imported only when pictures are wanted

    done = len(result.losses)
    progress.start_step()  # the pictures, as one more slow step: a word if they take long

    def drawing(name: str) -> None:
        stage.text = f"after step {done - 1} of {args.steps}, while drawing {name}"
        progress.phase(f"  drawing {name}…")

    show = args.show and plots.display_available()[0]
    n, seen = args.batch_size, result.samples_seen
    sum_loss = args.loss == "sum"
    drawing("loss_curve.png")
    # The true line's expected loss: each of the n residuals is the noise, E[ε²] = σ² = 1.
    floor = 0.5 * n if sum_loss else 0.5
    plots.loss_curve(result.losses, folder.path("loss_curve.png"),
                     "½·Σ(ŷ − y)² on the batch" if sum_loss else "½·mean((ŷ − y)²) on the batch",
                     result.diverged_at, show=show,
                     floor=(floor, f"the true line's expected loss ({floor:g}): the noise"))
    save_state(result.model, folder.path("params.npz"))
    if shutil.which("dot") is not None:
        drawing("explain.html")
        from .explain_cli import write_training_page

        try:  # the first step again, as the backward explorer's page
            write_training_page(args, folder.path("explain.html"))
        except Exception as e:  # another module's work: report it, do not fail the fit
            if interrupted_by_dot(e):
                raise KeyboardInterrupt from None
            print(f"explain.html: not written ({type(e).__name__}: {e})")
    if args.features != 1:
        print("fit_grid.png, fit_animation.gif, loss_surface.png: not drawn (a line in the plane "
              "needs --features 1)")
        return
    diverged = (None if result.diverged_at is None
                else (result.diverged_at, result.kept_step))  # fmt: skip
    if result.snapshots:
        drawing("fit_grid.png")
        plots.fit_grid(result.snapshots, folder.path("fit_grid.png"), TRUE_W, TRUE_B,
                       every=grid_every(args.steps), diverged=diverged, show=show)
        drawing("fit_animation.gif")
        first = result.snapshots[0]
        plots.fit_animation(_animation_frames(result), first["x"], first["y"],
                            folder.path("fit_animation.gif"), TRUE_W, TRUE_B, diverged=diverged)
    if seen:
        drawing("loss_surface.png")
        # The surface is the loss training minimised, at the scale of the loss curve: the summed
        # loss of a batch of n is n times the mean, averaged over every sample seen.
        label = (f"½·Σ(ŷ − y)² over a batch of {n}: the loss training used\n(its average over "
                 f"the {seen} samples seen)" if sum_loss else
                 f"½·mean((ŷ − y)²): the loss training used\n(over the {seen} samples seen)")
        plots.loss_surface(result.seen, result.path, closed_form(result.seen),
                           folder.path("loss_surface.png"), scale=n if sum_loss else 1,
                           label=label, diverged=diverged, show=show)  # fmt: skip


def _animation_frames(result: FitResult) -> list[dict[str, Any]]:
    """The line after k steps, for the k of `animation_steps`; each frame with the loss of the
    batch those parameters met next (none after the last step)."""
    last = len(result.path) - 1
    return [{"step": k, "w": float(result.path[k][0]), "b": float(result.path[k][-1]),
             "loss": float(result.losses[k]) if k < len(result.losses) else None}
            for k in animation_steps(last)]  # fmt: skip


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
