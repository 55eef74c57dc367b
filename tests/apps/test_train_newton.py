"""`tinygrad-lr train --optimizer newton`: Newton's method with autograd's Hessian, on the samples
an SGD run sees, lands on the closed form; its pictures, its report, and the inputs it refuses.

The data and the closed form are computed here independently, in numpy, from the random stream
`manual_seed` makes (as tests/test_flagship.py does for the SGD run)."""

import contextlib
import io
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from tinygrad_lr.apps import newton, plots, train
from tinygrad_lr.apps.progress import Progress

matplotlib.use("Agg")  # headless, whatever the machine has

LAST_LINE = re.compile(r"w:\s+(\S+) b:\s+(\S+)")


def QUIET():  # noqa: N802 - reads as a constant: progress that says nothing
    return Progress(newton.NEWTON_STEPS, lambda line: None)


def run_main(argv):
    """train.main(argv) → (exit code, stdout, stderr); argparse's exits count as exit codes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = train.main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


def last_w_b(out: str) -> tuple[float, float]:
    m = LAST_LINE.fullmatch(out.splitlines()[-1])
    assert m, out.splitlines()[-1]
    return float(m.group(1)), float(m.group(2))


def samples(seed=1000, steps=500, batch=4):
    """(w₀, x, y): the start and every training sample of the run, drawn from numpy's Generator
    in the run's order: w, then each batch, and 100 picture samples every 50 batches."""
    rng = np.random.default_rng(seed)
    w0 = rng.random((1, 1), dtype=np.float32)
    xs, ys = [], []
    for step in range(steps):
        x = rng.random((batch, 1), dtype=np.float32) * np.float32(5)
        xs.append(x)
        ys.append(x * np.float32(2) + np.float32(3) + rng.standard_normal((batch, 1),
                                                                          dtype=np.float32))
        if step % 50 == 0:
            rng.random((100, 1), dtype=np.float32)
            rng.standard_normal((100, 1), dtype=np.float32)
    return w0.item(), np.concatenate(xs).astype(np.float64), np.concatenate(ys).astype(np.float64)


def closed_form(x, y):
    design = np.hstack([x, np.ones_like(x)])
    (w,), (b,) = np.linalg.lstsq(design, y, rcond=None)[0]
    return w, b


@pytest.fixture(scope="module")
def default_newton():
    """`tinygrad-lr train --optimizer newton --no-plots` at the defaults, once."""
    code, out, err = run_main(["--optimizer", "newton", "--no-plots"])
    assert code == 0 and err == ""
    return out


def test_newton_lands_on_the_closed_form_up_to_float32_rounding(default_newton):
    _, x, y = samples()
    w_star, b_star = closed_form(x, y)
    w, b = last_w_b(default_newton)
    # The nearest float32 numbers are half a spacing away at most; allow one spacing.
    assert abs(w - w_star) <= np.spacing(np.float32(w_star))
    assert abs(b - b_star) <= np.spacing(np.float32(b_star))
    lines = default_newton.splitlines()
    difference = next(s for s in lines if s.startswith("difference, trained − closed-form"))
    assert re.fullmatch(r"difference, trained − closed-form:  w: [+-]\d\.\de-0\d  "
                        r"b: [+-]\d\.\de-0\d", difference), difference  # fmt: skip
    assert any(s.startswith("(Newton's method lands on the minimum of a quadratic: what is left "
                            "is rounding to float32") for s in lines)  # fmt: skip


def test_its_report_says_what_it_does_step_by_step(default_newton):
    lines = default_newton.splitlines()
    assert lines[0] == ("fitting y = w·x + b to y = 2·x + 3 + N(0, 1) noise: 2 steps of Newton's "
                        "method on all 2,000 samples at once (the 500 batches of 4 that SGD sees "
                        "in 500 steps), random seed 1000")  # fmt: skip
    assert "each step is (w, b) ← (w, b) − H⁻¹·∇L, with ∇L and H from autograd" in lines[1]
    progress = [s for s in lines if s.startswith("step ")]
    assert [s.split()[1] for s in progress] == ["0/2", "1/2"]
    # The gradient at the start is large; at the second step, taken from the minimum, it is
    # float32 rounding alone.
    sizes = [float(re.search(r"\|∇L\| (\S+)", s).group(1)) for s in progress]
    assert sizes[0] > 1e4 and sizes[1] < 1e-1
    assert all(float(s.split()[-1]) == 0 for s in progress)  # autograd's gradient is the hand one
    assert "largest |autograd − hand| gradient difference over all steps: 0" in lines


def test_the_hessian_is_the_hand_formula_and_the_report_shows_it(default_newton):
    _, x, _ = samples()
    by_hand = np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])
    result = newton.fit_newton(progress=QUIET())
    np.testing.assert_allclose(result.hessian, by_hand, rtol=1e-6)
    assert result.hessian_diff < 1e-6
    line = next(s for s in default_newton.splitlines() if s.startswith("Hessian by autograd"))
    shown = [float(v) for v in re.findall(r"\d+\.\d\d", line.split(";")[0])]
    np.testing.assert_allclose(shown, by_hand.ravel(), atol=0.006)  # printed to 2 decimals
    eigenvalues = np.linalg.eigvalsh(by_hand)
    assert f"condition number {eigenvalues[1] / eigenvalues[0]:.0f}" in line


def test_the_first_step_lands_and_the_second_only_removes_rounding():
    w0, x, y = samples()
    w_star, b_star = closed_form(x, y)
    result = newton.fit_newton(progress=QUIET())
    start, first, second = result.path
    assert tuple(start) == (w0, 0.0)
    assert np.max(np.abs(first - (w_star, b_star))) < 1e-5  # float32's gradient, rounded
    assert np.max(np.abs(second - (w_star, b_star))) < 2.5e-7  # float32's own spacing
    # The loss before the second step is the least-squares minimum, ½·Σ of its residuals².
    minimum = 0.5 * np.sum((x * w_star + b_star - y) ** 2)
    assert result.losses[1] == pytest.approx(minimum, rel=1e-5)
    assert result.losses[0] == pytest.approx(0.5 * np.sum((x * w0 - y) ** 2), rel=1e-5)


def test_newton_fits_the_samples_sgd_sees_so_both_print_the_same_closed_form():
    argv = ["--steps", "70", "--batch-size", "3", "--seed", "7", "--no-plots"]
    outputs = [run_main(argv + extra)[1] for extra in ([], ["--optimizer", "newton"])]
    sgd, by_newton = ([s for s in out.splitlines() if s.startswith("closed-form")]
                      for out in outputs)  # fmt: skip
    assert sgd == by_newton and "on the 210 samples seen" in sgd[0]


def test_the_mean_loss_takes_the_same_steps():
    quiet = QUIET()
    by_sum = newton.fit_newton(steps=100, loss="sum", progress=quiet)
    by_mean = newton.fit_newton(steps=100, loss="mean", progress=quiet)
    # The first steps differ by their gradients' float32 rounding; the second removes it.
    np.testing.assert_allclose(by_mean.path[1], by_sum.path[1], rtol=0, atol=2e-5)
    np.testing.assert_allclose(by_mean.path[2], by_sum.path[2], rtol=0, atol=5e-7)
    np.testing.assert_allclose(by_mean.hessian * 400, by_sum.hessian, rtol=1e-6)
    code, out, _ = run_main(["--optimizer", "newton", "--loss", "mean", "--no-plots"])
    assert code == 0 and "so each step (w, b) ← (w, b) − H⁻¹·∇L is the same as the sum's" in out


def test_several_features():
    code, out, _ = run_main(["--optimizer", "newton", "--features", "3", "--no-plots"])
    lines = out.splitlines()
    assert code == 0 and "AᵀA, with A = [x, 1] one row per sample" in lines[1]
    assert "Hessian by autograd (each entry of ∇L differentiated again): a 4 × 4 matrix" in out
    result = newton.fit_newton(features=3, progress=QUIET())
    w_star, b_star = result.seen.solve()
    np.testing.assert_allclose(result.w, w_star, rtol=0, atol=2e-6)
    assert result.b == pytest.approx(b_star, abs=2e-6)


# ---------------------------------------------------------------------------------------------
# The pictures
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def figures(monkeypatch):
    """Every figure the pictures save, by file name."""
    saved = {}
    real_save = plots.save

    def keep(fig, path):
        saved[Path(path).name] = fig
        return real_save(fig, path)

    monkeypatch.setattr(plots, "save", keep)
    return saved


def test_the_pictures_show_the_two_steps(tmp_path, figures):
    code, out, _ = run_main(["--optimizer", "newton", "--out", str(tmp_path)])
    assert code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"fit_grid.png", "fit_animation.gif", "loss_curve.png", "loss_surface.png",
            "params.npz"} <= names and "step.py" not in names  # fmt: skip
    surface = figures["loss_surface.png"].axes[0]
    assert surface.get_title() == "Newton's method on the loss surface: one step to the minimum"
    arrows = [a for a in surface.texts if isinstance(a, matplotlib.text.Annotation)]
    assert len(arrows) == newton.NEWTON_STEPS  # one per step: the jump, then one in place
    _, x, y = samples()
    assert tuple(arrows[0].xy) == pytest.approx(closed_form(x, y), abs=1e-5)  # the jump
    label = figures["loss_surface.png"].axes[1].get_ylabel()
    assert label == "½·Σ(ŷ − y)² over all 2,000 samples:\nthe loss Newton's method minimised"
    curve = figures["loss_curve.png"].axes[0]
    (losses, *_) = curve.get_lines()
    assert list(losses.get_xdata()) == [0, 1] and losses.get_marker() == "o"
    assert curve.get_title() == "Training loss: Newton's method"
    grid = [ax.get_title() for ax in figures["fit_grid.png"].axes if ax.get_visible()]
    assert [t.split("\n")[0] for t in grid] == ["start", "after 1 step", "after 2 steps"]
    assert "after every step" in figures["fit_grid.png"].get_suptitle()
    if "graph.svg" in names:  # drawn where Graphviz's dot exists: the loss on all the samples
        svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
        assert "2000" in svg and "explain.html" in names


# ---------------------------------------------------------------------------------------------
# Bad input, and what cannot be done
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, message", [
    (["--lr", "0.1"], "--lr 0.1: --optimizer newton takes no learning rate (its step H⁻¹·∇L has "
                      "its own length"),
    (["--compile"], "--compile works with --optimizer sgd and adam"),
    (["--steps", "1", "--batch-size", "3", "--features", "3"],
     "--optimizer newton needs at least 4 samples to determine 3 weight(s) and the bias, and "
     "--steps × --batch-size gives 3"),
    (["--steps", "10", "--batch-size", str(10**12)], "--optimizer newton on all "
     "10,000,000,000,000 samples at once (--steps × --batch-size) needs about"),
])  # fmt: skip
def test_bad_input_is_one_line_exit_code_2_and_writes_nothing(argv, message, tmp_path,
                                                              monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(train, "memory_available", lambda: 10**9)
    code, out, err = run_main(["--optimizer", "newton", *argv])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_samples_that_do_not_determine_a_line_stop_the_run_with_one_line(tmp_path, monkeypatch):
    real = newton.get_fake_data

    def all_at_x_zero(*args, **kwargs):
        x, y = real(*args, **kwargs)
        return x * 0, y

    monkeypatch.setattr(newton, "get_fake_data", all_at_x_zero)
    code, out, err = run_main(["--optimizer", "newton", "--steps", "5", "--out",
                               str(tmp_path / "o")])  # fmt: skip
    assert code == 1 and err == ("tinygrad-lr train: error: Newton's step is undefined: the "
                                 "Hessian AᵀA has no inverse, so the samples do not determine "
                                 "one line (are all their x the same?); nothing was written\n")
    assert not (tmp_path / "o").exists()


def test_ctrl_c_names_the_newton_step_and_writes_nothing(tmp_path, monkeypatch):
    real, calls = newton.hand_gradients, []

    def interrupted_at_step_1(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(newton, "hand_gradients", interrupted_at_step_1)
    code, out, err = run_main(["--optimizer", "newton", "--out", str(tmp_path / "o")])
    assert code == 130 and err == ("tinygrad-lr train: stopped by Ctrl-C at step 1 of 2; nothing "
                                   f"was written to {tmp_path / 'o'}\n")  # fmt: skip
    assert not (tmp_path / "o").exists()


def test_help_explains_newton():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        train.main(["--help"])
    text = " ".join(out.getvalue().split())
    assert "{sgd,adam,newton}" in text
    assert "learning rate of sgd and adam (default 0.02); newton takes none" in text
    assert ("--optimizer newton: Newton's method on all the samples that --steps batches of "
            "--batch-size hold (those SGD would see), at once.") in text
    assert "the first step lands on the closed-form least squares" in text
