"""`tinygrad-lr train`: the flagship. Linear regression with autograd, beside the original
program's hand math (the training itself is in `regression.py`, its pictures in `plots.py`).

Pictures (in --out, default out/; see `plots.py` for sizes): fit_grid.png, fit_animation.gif,
loss_curve.png, loss_surface.png, graph.svg and graph.png (the computation graph of the first
step, when Graphviz's `dot` exists), explain.html (that step in the backward explorer, also when
`dot` exists), params.npz (the trained w and b, for `tinygrad_lr.load_state`), and with --compile
step.py (the training step as the numpy code `tinygrad_lr.compile` generated for it). They are
written into a temporary folder inside --out and moved into place at the end, so a run that
fails or is stopped leaves no half-written set.

`--optimizer newton` fits the same samples by Newton's method, all at once, with the Hessian
from autograd (`newton.py`): its first step lands on the closed form.

Exit codes: 0 done, 1 training did not finish (it diverged, memory ran out, or Newton's step was
undefined), 2 bad arguments, 130 stopped by Ctrl-C. After a bad argument or Ctrl-C nothing is
written.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ..serialization import save_state
from . import newton
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
a browser; also where dot exists), params.npz (load with tinygrad_lr.load_state), and with
--compile step.py (the step as plain numpy code: step(x, y, model_w, model_b, lr, ...) updates
the arrays model_w and model_b in place).

--optimizer newton: Newton's method on all the samples that --steps batches of --batch-size
hold (those SGD would see), at once. Each step is (w, b) ← (w, b) − H⁻¹·∇L, with the gradient
∇L and the Hessian H (the second derivatives, [[Σx², Σx], [Σx, n]] for one feature) from
autograd, both checked against the hand formulas. The loss is a quadratic, so the first step
lands on the closed-form least squares; the second removes what float32 rounding left. It
takes no --lr, and cannot be compiled. Its pictures show those two steps: the loss surface has
the jump from the start to the closed form.

Ctrl-C stops the run at once and writes nothing (files already in --out stay as they were).
exit codes: 0 done, 1 training did not finish (it diverged, or Newton's step was undefined), 2
bad arguments, 130 Ctrl-C."""


def _add_arguments(p: argparse.ArgumentParser) -> None:
    d = DEFAULTS
    p.add_argument("--steps", type=int, default=d["steps"],
                   help="training steps (default 500); with --optimizer newton, the batches "
                        "whose samples it fits")  # fmt: skip
    p.add_argument("--batch-size", type=int, default=d["batch_size"],
                   help="samples per step (default 4)")
    # No default here: given with --optimizer newton, it is refused (see _validate).
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate of sgd and adam (default 0.02); newton takes none")
    p.add_argument("--seed", type=int, default=d["seed"],
                   help="random seed (default 1000, the original program's)")
    p.add_argument("--optimizer", choices=("sgd", "adam", "newton"), default=d["optimizer"],
                   help="sgd (the original program's update, default), adam, or newton: "
                        "Newton's method with the Hessian from autograd, on all the samples at "
                        "once, which lands on the closed form in one step (see below)")
    p.add_argument("--compile", action="store_true",
                   help="run each step's forward, backward and update as the numpy code "
                        "tinygrad_lr.compile writes for it, and write that code to --out as "
                        "step.py: the same numbers, bit for bit (sgd and adam)")
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
    if args.optimizer == "newton":
        return _validate_newton(args)
    if args.lr is None:
        args.lr = DEFAULTS["lr"]
    if not math.isfinite(args.lr) or args.lr <= 0:
        why = " (at lr 0 nothing moves: nothing can be learned)" if args.lr == 0 else ""
        raise UsageError(f"--lr must be a finite number > 0, got {args.lr:g}{why}")
    notes = _memory_notes(args)
    if args.optimizer == "sgd" and args.lr > 2 * stable_lr(args.batch_size, args.features,
                                                           args.loss):  # fmt: skip
        notes.append("note: expect this run to diverge. " + divergence_hint(
            args.optimizer, args.lr, args.batch_size, args.features, args.loss))
    return notes


def _validate_newton(args: argparse.Namespace) -> list[str]:
    if args.lr is not None:
        raise UsageError(f"--lr {args.lr:g}: --optimizer newton takes no learning rate (its step "
                         "H⁻¹·∇L has its own length: on this quadratic loss, exactly the way to "
                         "the minimum); leave --lr out")  # fmt: skip
    if args.compile:
        raise UsageError("--compile works with --optimizer sgd and adam: Newton's step takes "
                         "second derivatives (autograd.grad with create_graph=True), which "
                         "tinygrad_lr.compile does not compile")  # fmt: skip
    samples, needed = args.steps * args.batch_size, newton.samples_needed(args.features)
    if samples < needed:
        raise UsageError(f"--optimizer newton needs at least {needed} samples to determine "
                         f"{args.features} weight(s) and the bias, and --steps × --batch-size "
                         f"gives {samples}")  # fmt: skip
    need = newton.memory_needed(args.steps, args.batch_size, args.features)
    available = memory_available()
    if available is not None and need > available:
        raise UsageError(f"--optimizer newton on all {samples:,} samples at once (--steps × "
                         f"--batch-size) needs about {format_bytes(need)} of memory, and about "
                         f"{format_bytes(available)} is available; use fewer --steps or a "
                         "smaller --batch-size")  # fmt: skip
    if need >= LARGE_MEMORY:
        free = "" if available is None else f" (about {format_bytes(available)} is available)"
        return [f"note: this run needs about {format_bytes(need)} of memory{free}"]
    return []


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
    except newton.SingularHessianError as e:
        if folder is not None:
            folder.discard()
        print(f"tinygrad-lr train: error: {e}; nothing was written", file=sys.stderr)
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
    if args.optimizer == "newton":
        return _newton_header(args, model, target)
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


def _newton_header(args: argparse.Namespace, model: str, target: str) -> list[str]:
    n, batches = args.batch_size, args.steps
    lines = [f"fitting {model} to {target} + N(0, 1) noise: {newton.NEWTON_STEPS} steps of "
             f"Newton's method on all {batches * n:,} samples at once (the {batches:,} batches "
             f"of {n:,} that SGD sees in {batches:,} steps), random seed {args.seed}"]
    hessian = ("[[Σx², Σx], [Σx, n]]" if args.features == 1
               else "AᵀA, with A = [x, 1] one row per sample")  # fmt: skip
    if args.loss == "sum":
        lines.append(f"loss ½·Σ(ŷ − y)² over all the samples: its gradient ∇L is the original "
                     f"program's dw = xᵀ(ŷ − y), db = Σ(ŷ − y), and its Hessian H (its second "
                     f"derivatives) is {hessian}; each step is (w, b) ← (w, b) − H⁻¹·∇L, with ∇L "
                     "and H from autograd")  # fmt: skip
    else:
        lines.append("loss ½·mean((ŷ − y)²) over all the samples: its gradient ∇L and its "
                     "Hessian H are those of ½·Σ(ŷ − y)² divided by the number of samples, so "
                     "each step (w, b) ← (w, b) − H⁻¹·∇L is the same as the sum's")  # fmt: skip
    return lines


def _train_and_report(args: argparse.Namespace, folder: OutputFolder | None, notes: list[str],
                      stage: _Stage) -> int:  # fmt: skip
    for line in _header(args) + notes:
        flushed_print(line)
    if args.compile:
        flushed_print("compiled: each step's forward, backward and update run as the numpy code "
                      "tinygrad_lr.compile writes for it, once its first calls have recorded "
                      "the step and checked the code against it")  # fmt: skip
    steps = newton.NEWTON_STEPS if args.optimizer == "newton" else args.steps
    with Progress(steps, flushed_print, watch=True) as progress:
        if args.optimizer == "newton":
            result = newton.fit_newton(steps=args.steps, batch_size=args.batch_size,
                                       features=args.features, loss=args.loss, seed=args.seed,
                                       progress=progress)  # fmt: skip
        else:
            result = fit_linear_regression(
                steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                optimizer=args.optimizer, features=args.features, loss=args.loss,
                seed=args.seed, compile_step=args.compile, progress=progress,
            )  # fmt: skip
        progress.phase(None)
        print(f"largest |autograd − hand| gradient difference over all steps: "
              f"{result.max_grad_diff:.3g}")
        if isinstance(result, newton.NewtonResult):
            print(_hessian_line(result))
        if folder is not None and shutil.which("dot") is None:
            print("computation graph: not drawn (Graphviz's dot program is not installed "
                  "(apt-get install graphviz, brew install graphviz, or conda install -c "
                  "conda-forge graphviz))")  # fmt: skip
        _report(args, result, folder, progress, stage)
    return 1 if result.diverged_at is not None else 0


def _hessian_line(result: newton.NewtonResult) -> str:
    """Autograd's Hessian, its check against AᵀA, and its condition number."""
    h = result.hessian
    shown = ("[" + ", ".join("[" + ", ".join(f"{v:.2f}" for v in row) + "]" for row in h) + "]"
             if len(h) <= 3 else f"a {len(h)} × {len(h)} matrix")  # fmt: skip
    rounding = " (float32 rounding)" if result.hessian_diff < 1e-5 else ""
    return (f"Hessian by autograd (each entry of ∇L differentiated again): {shown}; by hand, "
            f"AᵀA: the same to {result.hessian_diff:.1e} of its largest entry{rounding}; "
            f"condition number {newton.condition_number(h):.0f}: how much slower gradient "
            "descent moves along the loss's valley than across it")


def _report(args: argparse.Namespace, result: FitResult, folder: OutputFolder | None,
            progress: Progress, stage: _Stage) -> None:  # fmt: skip
    """The pictures, then the closed form and the original program's last line."""
    done = len(result.losses)
    stage.text = f"after step {done - 1} of {_steps_of(args)}, while reporting"
    if folder is not None:
        _write_pictures(args, result, folder, progress, stage)
        if result.compiled is not None:
            _write_compiled_step(result.compiled, folder)
        progress.phase(None)
        written = folder.commit()
        stage.written = True
        stage.text = f"after step {done - 1} of {_steps_of(args)}, while reporting"
        print(f"wrote {len(written)} files to {folder.out}/: "
              + ", ".join(p.name for p in written))
        if args.show:
            _show()
    elif args.show:
        print("--show: nothing to show with --no-plots")
    if folder is None and result.compiled is not None:
        print("compiled: step.py not written (--no-plots writes nothing)")
    progress.start_step()
    progress.phase(f"  solving the closed form's {args.features + 1} equations…")
    w_cf, b_cf = closed_form(result.seen)
    progress.phase(None)
    print(f"closed-form least squares on the {result.samples_seen} samples seen:  w: "
          f"{_fmt_w(w_cf).strip()}  b: {_num(b_cf)}")
    difference = np.append(result.w - w_cf, result.b - b_cf)
    print(f"difference, trained − closed-form:  w: {_difference(difference[:-1])}  "
          f"b: {_difference(difference[-1:])}")
    if isinstance(result, newton.NewtonResult):
        print(_newton_gap_note(result, difference))
    elif result.diverged_at is None:
        print(_gap_note(args, float(np.max(np.abs(difference)))))
    w_out = result.model.w.detach().numpy()[:, 0]
    print("w: ", w_out[0].item() if len(w_out) == 1 else w_out.tolist(), "b: ",
          result.model.b.item())


def _difference(values: np.ndarray) -> str:
    # Four decimals, as the parameters; a difference too small to show in them (Newton's: float32
    # rounding) in two significant digits instead of as +0.0000.
    text = [f"{v:+.1e}" if 0 < abs(v) < 5e-5 else _num(float(v), 0, "+") for v in values]
    return text[0] if len(text) == 1 else "[" + ", ".join(text) + "]"


def _newton_gap_note(result: newton.NewtonResult, difference: np.ndarray) -> str:
    """What is left between Newton's answer and the closed form: float32 rounding."""
    spacing = newton.float32_spacing(np.append(result.w, result.b))
    ulps = float(np.max(np.abs(difference) / spacing))
    if ulps <= 1:
        return ("(Newton's method lands on the minimum of a quadratic: what is left is rounding "
                "to float32, whose numbers near these w and b are "
                f"{float(np.max(spacing)):.1e} apart)")  # fmt: skip
    return (f"(the gap is {ulps:.0f} times the spacing of float32 numbers here: the Hessian's "
            f"condition number, {newton.condition_number(result.hessian):.0f}, magnifies the "
            "float32 rounding of the gradient in each step)")


STEP_PY_HEADER = """\
# The training step of `tinygrad-lr train --compile`, as the code tinygrad_lr.compile generated
# for it: the forward, the backward and the optimizer's update, one numpy kernel a line. It needs
# numpy only: step(...) takes the batch and the parameters as arrays (and the optimizer's
# settings and state), updates the parameters in place, and returns the loss, y_pred and the
# gradients.

"""


def _write_compiled_step(compiled: Any, folder: OutputFolder) -> None:
    try:
        source = compiled.source
    except RuntimeError as e:  # it ran eagerly throughout (compile warned why): no code to write
        print(f"compiled: step.py not written ({e})")
        return
    folder.path("step.py").write_text(STEP_PY_HEADER + source, encoding="utf-8")


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
        stage.text = f"after step {done - 1} of {_steps_of(args)}, while drawing {name}"
        progress.phase(f"  drawing {name}…")

    show = args.show and plots.display_available()[0]
    say = _what_the_pictures_say(args, result)
    drawing("loss_curve.png")
    plots.loss_curve(result.losses, folder.path("loss_curve.png"), say["curve"],
                     result.diverged_at, show=show, each=say["each"], title=say["title"],
                     floor=(say["floor"], f"the true line's expected loss ({say['floor']:g}): "
                                          "the noise"))  # fmt: skip
    save_state(result.model, folder.path("params.npz"))
    if shutil.which("dot") is not None:
        _draw_first_step(args, result, folder, drawing)
    if args.features != 1:
        print("fit_grid.png, fit_animation.gif, loss_surface.png: not drawn (a line in the plane "
              "needs --features 1)")
        return
    diverged = (None if result.diverged_at is None
                else (result.diverged_at, result.kept_step))  # fmt: skip
    if result.snapshots:
        drawing("fit_grid.png")
        plots.fit_grid(result.snapshots, folder.path("fit_grid.png"), TRUE_W, TRUE_B,
                       every=say["every"], diverged=diverged, show=show)
        drawing("fit_animation.gif")
        first = result.snapshots[0]
        plots.fit_animation(_animation_frames(result), first["x"], first["y"],
                            folder.path("fit_animation.gif"), TRUE_W, TRUE_B, fps=say["fps"],
                            diverged=diverged, loss_label=say["frame"])  # fmt: skip
    if result.samples_seen:
        drawing("loss_surface.png")
        plots.loss_surface(result.seen, result.path, closed_form(result.seen),
                           folder.path("loss_surface.png"), scale=say["scale"],
                           label=say["surface"], diverged=diverged, show=show,
                           title=say["surface title"])  # fmt: skip


def _steps_of(args: argparse.Namespace) -> int:
    return newton.NEWTON_STEPS if args.optimizer == "newton" else args.steps


def _what_the_pictures_say(args: argparse.Namespace, result: FitResult) -> dict[str, Any]:
    """The pictures' labels and titles, and the numbers they depend on, for this run."""
    n, seen, sum_loss = args.batch_size, result.samples_seen, args.loss == "sum"
    loss = "½·Σ(ŷ − y)²" if sum_loss else "½·mean((ŷ − y)²)"
    if args.optimizer == "newton":  # one loss, over every sample
        return {"curve": f"{loss} on all {seen:,} samples",
                "title": "Training loss: Newton's method", "each": "the loss before each step",
                "frame": "loss on all the samples",
                # The true line's expected loss: each residual is the noise, E[ε²] = σ² = 1.
                "floor": 0.5 * seen if sum_loss else 0.5, "scale": seen if sum_loss else 1,
                "surface": f"{loss} over all {seen:,} samples:\nthe loss Newton's method minimised",
                "surface title": "Newton's method on the loss surface: one step to the minimum",
                "every": 1, "fps": 1}  # fmt: skip
    # The surface is the loss training minimised, at the scale of the loss curve: the summed
    # loss of a batch of n is n times the mean, averaged over every sample seen.
    surface = (f"½·Σ(ŷ − y)² over a batch of {n}: the loss training used\n(its average over "
               f"the {seen} samples seen)" if sum_loss else
               f"½·mean((ŷ − y)²): the loss training used\n(over the {seen} samples seen)")
    return {"curve": f"{loss} on the batch", "title": "Training loss",
            "each": "loss of each step's batch", "frame": "loss of the next batch",
            "floor": 0.5 * n if sum_loss else 0.5, "scale": n if sum_loss else 1,
            "surface": surface, "surface title": "Gradient descent on the loss surface",
            "every": grid_every(args.steps), "fps": 8}  # fmt: skip


def _draw_first_step(args: argparse.Namespace, result: FitResult, folder: OutputFolder,
                     drawing: Callable[[str], None]) -> None:  # fmt: skip
    """explain.html and graph.svg/.png: the run's first step, made again (from the random seed,
    or from Newton's data), so that the pictures never depend on how the step ran (compiled
    code keeps no graph)."""
    from ..viz import draw_graph
    from .explain_cli import flagship_first_step, write_page, write_training_page

    def first_step() -> tuple[Any, dict[str, Any]]:  # (loss, named tensors), made anew
        if isinstance(result, newton.NewtonResult):
            return newton.first_step(result, args.loss)
        return flagship_first_step(args.seed, args.batch_size, args.features, args.loss)

    def page() -> None:
        path = folder.path("explain.html")
        if isinstance(result, newton.NewtonResult):
            write_page(*first_step(), path)
        else:
            write_training_page(args, path)

    def graph() -> None:
        loss, named = first_step()
        loss.backward()  # the gradients the drawing shows
        drawn = draw_graph(loss, params={"w": named["w"], "b": named["b"]}, show_grad=True)
        for fmt in ("svg", "png"):
            folder.path(f"graph.{fmt}").write_bytes(drawn.pipe(format=fmt))

    drawing("explain.html")
    _reporting("explain.html: not written", page)
    drawing("graph.svg")
    _reporting("computation graph: not drawn", graph)


def _reporting(failed: str, work: Callable[[], Any]) -> None:
    """Do `work`, another module's (the graph's drawing): a failure is reported, on one line
    starting with `failed`, and does not fail the run; Ctrl-C still stops it."""
    try:
        work()
    except Exception as e:
        if interrupted_by_dot(e):  # `dot` killed by the Ctrl-C meant for us
            raise KeyboardInterrupt from None
        print(f"{failed} ({type(e).__name__}: {e})")


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
