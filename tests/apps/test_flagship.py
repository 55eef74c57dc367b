"""The flagship, `tinygrad-lr train`: the original program's result, the gradient check, files,
bad input, Ctrl-C, huge sizes and the hints."""

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

import tinygrad_lr as t
from tinygrad_lr.apps import progress, regression, train

matplotlib.use("Agg")  # headless, whatever the machine has

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"w:\s+(\S+) b:\s+(\S+)")
PNG, GIF = b"\x89PNG\r\n\x1a\n", b"GIF89a"


def run_main(argv):
    """train.main(argv) → (exit code, stdout, stderr); argparse's exits count as exit codes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = train.main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


def check_image(path: Path, magic: bytes, size: tuple[int, int]) -> Image.Image:
    assert path.read_bytes()[: len(magic)] == magic, path
    with Image.open(path) as im:
        im.verify()  # a complete, undamaged file
    im = Image.open(path)
    assert im.size == size, (path.name, im.size)
    return im


def seed_data(seed=1000, steps=500, batch=4):
    """The data stream of the seed's program, drawn straight from numpy's Generator (what
    manual_seed(seed) makes): w, then each batch, then 100 fresh samples every 50 steps."""
    rng = np.random.default_rng(seed)
    w0 = rng.random((1, 1), dtype=np.float32)
    batches = []
    for step in range(steps):
        x = rng.random((batch, 1), dtype=np.float32) * np.float32(5)
        y = x * np.float32(2) + np.float32(3) + rng.standard_normal((batch, 1), dtype=np.float32)
        batches.append((x, y))
        if step % 50 == 0:
            rng.random((100, 1), dtype=np.float32)
            rng.standard_normal((100, 1), dtype=np.float32)
    return w0, batches


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """`tinygrad-lr train` at its defaults, once, with pictures (500 steps: a few seconds)."""
    out = tmp_path_factory.mktemp("flagship") / "out"
    code, stdout, stderr = run_main(["--out", str(out)])
    return code, stdout.splitlines(), stderr, out


def last_w_b(lines):
    m = LAST_LINE.fullmatch(lines[-1])
    assert m, lines[-1]
    return float(m.group(1)), float(m.group(2))


def test_defaults_end_near_2_3_with_the_seeds_format_as_the_last_line(default_run):
    code, lines, stderr, _ = default_run
    assert code == 0 and stderr == ""
    w, b = last_w_b(lines)
    assert abs(w - 2) < 0.5 and abs(b - 3) < 0.5


def test_defaults_follow_the_seeds_update_rule_exactly(default_run):
    # The seed's loop, in numpy: w ← w − lr·xᵀ(ŷ − y), b ← b − lr·Σ(ŷ − y), in float32.
    w0, batches = seed_data()
    w, b = w0.copy(), np.zeros((1, 1), np.float32)
    for x, y in batches:
        dy = x @ w + b - y
        w = w - np.float32(0.02) * (x.T @ dy)
        b = b - np.float32(0.02) * dy.sum(keepdims=True)
    trained = last_w_b(default_run[1])
    np.testing.assert_allclose(trained, (w.item(), b.item()), rtol=1e-6)


def test_defaults_print_what_the_original_program_prints_on_this_package(default_run, tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "seed_manual_gradients.py")], cwd=tmp_path,
        capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == default_run[1][-1]
    # It is kept as it was written, so its picture still goes into the folder it runs in: the
    # README says so.
    assert [p.name for p in tmp_path.iterdir()] == ["seed_fit.png"]
    readme = (ROOT / "README.md").read_text()
    assert "`seed_fit.png`" in readme and "into the folder it runs in" in readme


def test_closed_form_answer_is_printed_and_the_fit_is_close_to_it(default_run):
    _, batches = seed_data()
    x = np.concatenate([b[0] for b in batches]).astype(np.float64)
    y = np.concatenate([b[1] for b in batches]).astype(np.float64)
    design = np.hstack([x, np.ones_like(x)])
    (w_cf,), (b_cf,) = np.linalg.lstsq(design, y, rcond=None)[0]
    line = next(s for s in default_run[1] if s.startswith("closed-form least squares"))
    assert "on the 2000 samples seen" in line
    printed = [float(v) for v in re.findall(r"[wb]: (-?[\d.]+)", line)]
    np.testing.assert_allclose(printed, [w_cf, b_cf], atol=6e-5)  # printed to 4 decimals
    w, b = last_w_b(default_run[1])
    # The issue asks for 0.05. Constant-lr SGD cannot promise that: near the minimum it jitters
    # by about √(lr·σ²/2) = 0.1 per parameter (the run says so); at seed 1000 the gaps are
    # 0.021 (w) and 0.067 (b). So the bound tested is one jitter, 0.1.
    assert abs(w - w_cf) < 0.1 and abs(b - b_cf) < 0.1
    assert abs(w - w_cf) < 0.05
    assert any("√(η·σ²/2) ≈ 0.1" in s for s in default_run[1])


def test_hand_and_autograd_gradients_agree_at_every_step(default_run):
    line = next(s for s in default_run[1] if s.startswith("largest |autograd − hand|"))
    assert float(line.split(":")[-1]) <= 1e-5
    progress = [s for s in default_run[1] if s.startswith("step ")]
    assert [int(s.split()[1].split("/")[0]) for s in progress] == [*range(0, 500, 50), 499]
    assert all(float(s.split()[-1]) <= 1e-5 for s in progress)


def test_the_gradient_check_would_catch_a_wrong_hand_gradient(monkeypatch):
    real = regression.hand_gradients

    def off_by_a_tenth_of_a_percent(*args):
        dw, db = real(*args)
        return dw * 1.001, db

    monkeypatch.setattr(regression, "hand_gradients", off_by_a_tenth_of_a_percent)
    result = train.fit_linear_regression(steps=5, log=lambda s: None)
    assert result.max_grad_diff > 1e-3


def test_hand_gradients_are_the_seeds_formulas():
    t.manual_seed(0)
    x, y, y_pred = t.rand(4, 1) * 5, t.randn(4, 1), t.randn(4, 1)
    dw, db = train.hand_gradients(x, y_pred, y, "sum")
    residual = (y_pred.detach().numpy() - y.detach().numpy()).astype(np.float64)
    np.testing.assert_allclose(dw.detach().numpy(), x.detach().numpy().T @ residual, rtol=1e-6)
    np.testing.assert_allclose(db.detach().numpy(), [[residual.sum()]], rtol=1e-6)
    dw_mean, db_mean = train.hand_gradients(x, y_pred, y, "mean")
    np.testing.assert_allclose(dw_mean.detach().numpy(), dw.detach().numpy() / 4, rtol=1e-6)
    np.testing.assert_allclose(db_mean.detach().numpy(), db.detach().numpy() / 4, rtol=1e-6)


def test_default_run_writes_every_picture_at_its_size(default_run):
    out = default_run[3]
    names = sorted(p.name for p in out.iterdir())
    expected = ["fit_animation.gif", "fit_grid.png", "loss_curve.png", "loss_surface.png",
                "params.npz"]  # fmt: skip
    # graph.svg / graph.png / explain.html only where `dot` exists; no temporary folder left
    assert [n for n in names if not n.startswith(("graph.", "explain."))] == expected
    check_image(out / "fit_grid.png", PNG, (1800, 600))  # 11 panels: start, then every 50 steps
    check_image(out / "loss_curve.png", PNG, (800, 450))
    check_image(out / "loss_surface.png", PNG, (700, 550))
    gif = check_image(out / "fit_animation.gif", GIF, (640, 480))
    assert gif.n_frames > 30
    line = next(s for s in default_run[1] if s.startswith("wrote "))
    assert all(n in line for n in names)


def test_saved_parameters_are_the_final_ones(default_run):
    state = t.load_state(default_run[3] / "params.npz")
    assert sorted(state) == ["b", "w"]
    w, b = last_w_b(default_run[1])
    assert state["w"].item() == w and state["b"].item() == b


def test_mean_loss_is_the_sum_divided_by_n_so_lr_times_n_takes_the_seeds_steps():
    code, out_sum, _ = run_main(["--steps", "100", "--no-plots"])
    code_mean, out_mean, _ = run_main(["--steps", "100", "--no-plots", "--loss", "mean",
                                       "--lr", "0.08"])  # fmt: skip
    assert code == code_mean == 0
    assert "divided by n = 4" in out_mean and "4× smaller" in out_mean
    np.testing.assert_allclose(last_w_b(out_mean.splitlines()), last_w_b(out_sum.splitlines()),
                               rtol=1e-5)  # fmt: skip
    line = next(s for s in out_mean.splitlines() if s.startswith("largest |autograd"))
    assert float(line.split(":")[-1]) <= 1e-5


def test_adam_and_several_features_run():
    code, out, _ = run_main(["--optimizer", "adam", "--lr", "0.1", "--steps", "300",
                             "--no-plots"])  # fmt: skip
    assert code == 0 and "steps of Adam" in out
    w, b = last_w_b(out.splitlines())
    assert abs(w - 2) < 0.5 and abs(b - 3) < 0.5
    code, out, _ = run_main(["--features", "3", "--lr", "0.005", "--steps", "200", "--no-plots"])
    lines = out.splitlines()
    assert code == 0
    m = re.fullmatch(r"w:\s+\[(.*)\] b:\s+(\S+)", lines[-1])
    assert m and len(m.group(1).split(",")) == 3
    line = next(s for s in lines if s.startswith("largest |autograd"))
    assert float(line.split(":")[-1]) <= 1e-5


def test_features_other_than_one_skip_the_line_pictures_and_say_so(tmp_path):
    code, out, _ = run_main(["--features", "2", "--lr", "0.005", "--steps", "20", "--out",
                             str(tmp_path / "o")])  # fmt: skip
    assert code == 0 and "needs --features 1" in out
    assert sorted(p.name for p in (tmp_path / "o").iterdir()
                  if not p.name.startswith(("graph.", "explain."))
                  ) == ["loss_curve.png", "params.npz"]  # fmt: skip


def test_divergence_stops_at_the_first_non_finite_loss_keeping_finite_parameters():
    code, out, err = run_main(["--lr", "0.2", "--no-plots"])
    lines = out.splitlines()
    assert code == 1
    message = next(s for s in lines if s.startswith("training diverged"))
    step = int(re.search(r"at step (\d+)", message).group(1))
    assert 0 < step < 500 and f"those after step {step - 1}" in message
    assert f"on the {4 * step} samples seen" in out  # the batches before it, no more
    w, b = last_w_b(lines)
    assert np.isfinite(w) and np.isfinite(b)
    result = train.fit_linear_regression(lr=0.2, log=lambda s: None)
    assert result.diverged_at == step and len(result.losses) == step
    assert np.isfinite(result.losses).all()


@pytest.mark.parametrize("argv, message", [
    (["--steps", "0"], "--steps must be a positive integer, got 0"),
    (["--steps", "-3"], "--steps must be a positive integer, got -3"),
    (["--batch-size", "0"], "--batch-size must be a positive integer, got 0"),
    (["--features", "0"], "--features must be a positive integer, got 0"),
    (["--lr", "nan"], "--lr must be a finite number > 0, got nan"),
    (["--lr", "inf"], "--lr must be a finite number > 0, got inf"),
    (["--lr", "-0.1"], "--lr must be a finite number > 0, got -0.1"),
    (["--lr", "0"], "--lr must be a finite number > 0, got 0 (at lr 0 nothing moves"),
    (["--steps", "ten"], "argument --steps: invalid int value: 'ten'"),
    (["--bogus"], "unrecognized arguments: --bogus (see tinygrad-lr train --help)"),
    (["--out", "a_file"], "--out a_file: exists and is not a folder"),
    (["--out", "a_file/sub"], "--out a_file/sub: a_file is a file, not a folder"),
    (["--batch-size", str(10**13)], f"--batch-size {10**13}: one step on 10,000,000,000,000 "
                                    "samples needs about"),
    (["--steps", str(10**13)], f"--steps {10**13}: keeping each step's loss and (w, b) needs"),
    (["--features", str(10**7)], f"--features {10**7}: the closed form's 10,000,001 × 10,000,001 "
                                 "equations need about"),
])  # fmt: skip
def test_bad_input_is_one_line_exit_code_2_and_writes_nothing(argv, message, tmp_path,
                                                              monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("not a folder")
    code, out, err = run_main(argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # no out/, nothing else


def test_a_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    from tinygrad_lr.apps import plots

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The loss curve and params.npz are written before the grid fails.
    monkeypatch.setattr(plots, "fit_grid", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        train.main(["--steps", "10", "--out", str(tmp_path / "new" / "out")])
    assert list(tmp_path.iterdir()) == []  # the folders it made are gone too
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "old.txt").write_text("mine")
    with pytest.raises(RuntimeError, match="disk full"):
        train.main(["--steps", "10", "--out", str(tmp_path / "kept")])
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["old.txt"]


def test_without_dot_one_line_says_why_and_no_graph_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` on the PATH
    out_dir = tmp_path / "out"
    code, out, _ = run_main(["--steps", "10", "--out", str(out_dir)])
    notes = [s for s in out.splitlines() if s.startswith("computation graph")]
    assert code == 0 and len(notes) == 1 and "dot program is not installed" in notes[0]
    assert "apt-get install graphviz" in notes[0]
    assert not list(out_dir.glob("graph.*"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_the_first_step_is_drawn_to_svg_and_png_with_its_names(tmp_path):
    import xml.etree.ElementTree as ET

    code, out, _ = run_main(["--steps", "10", "--out", str(tmp_path)])
    assert code == 0
    svg = ET.fromstring((tmp_path / "graph.svg").read_bytes())
    texts = {el.text for el in svg.iter() if el.tag.endswith("text") and el.text}
    # The seed's step: its tensors by name, its ops, and the parameters' gradients.
    assert {"x", "y", "w", "b", "y_pred", "loss", "mm", "expand", "add", "sub", "pow",
            "sum", "mul"} <= texts  # fmt: skip
    assert any(s.startswith("grad") for s in texts)
    assert (tmp_path / "graph.png").read_bytes()[:8] == PNG


def test_show_without_a_display_does_not_block():
    code, out, _ = run_main(["--steps", "5", "--no-plots", "--show"])
    assert code == 0 and "--show: nothing to show with --no-plots" in out


# ---------------------------------------------------------------------------------------------
# The hints
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, hint", [
    (["--lr", "0.08"], "(--lr 0.08, the original program's lr 0.02 × n, takes its steps)"),
    (["--lr", "0.5"], "(--lr 0.08, the original program's lr 0.02 × n, takes its steps)"),
    (["--lr", "0.01", "--batch-size", "10"], "(--lr 0.2, the original program's lr 0.02 × n"),
])  # fmt: skip
def test_the_mean_loss_hint_is_the_original_lr_times_n_whatever_lr_is_given(argv, hint):
    code, out, _ = run_main(["--loss", "mean", "--steps", "1", "--no-plots", *argv])
    assert code == 0 and hint in out, out
    assert out.count("takes its steps") == 1


def test_several_features_name_the_target_they_are_fitted_to():
    code, out, _ = run_main(["--features", "3", "--lr", "0.005", "--steps", "2", "--no-plots"])
    assert code == 0
    assert "to y = 2·(x₁ + x₂ + x₃) + 3 + N(0, 1) noise" in out.splitlines()[0]
    code, out, _ = run_main(["--features", "7", "--lr", "0.001", "--steps", "2", "--no-plots"])
    assert "to y = 2·(x₁ + x₂ + … + x₇) + 3 + N(0, 1) noise" in out.splitlines()[0]
    code, out, _ = run_main(["--steps", "2", "--no-plots"])
    assert "to y = 2·x + 3 + N(0, 1) noise" in out.splitlines()[0]


def test_adam_says_why_it_ends_away_from_the_closed_form():
    code, out, _ = run_main(["--optimizer", "adam", "--lr", "0.1", "--no-plots"])
    assert code == 0
    assert "(Adam with a constant lr never settles either" in out
    assert "by up to about lr = 0.1 per step" in out
    code, out, _ = run_main(["--optimizer", "adam", "--lr", "0.02", "--no-plots"])
    assert "the gap is more than 3 × lr: Adam's steps are at most about lr = 0.02" in out


def test_a_summed_loss_diverging_on_a_big_batch_names_the_mean_loss_as_the_fix():
    code, out, _ = run_main(["--batch-size", "1000", "--steps", "50", "--no-plots"])
    lines = out.splitlines()
    assert code == 1
    # said before the run (it is certain), and again when it happens
    note = next(s for s in lines if s.startswith("note: expect this run to diverge"))
    assert "The fix for a big batch is --loss mean" in note and "2/λ ≈ 0.00022" in note
    after = lines[lines.index(next(s for s in lines if s.startswith("training diverged"))) + 1]
    assert "The fix for a big batch is --loss mean" in after
    code, out, _ = run_main(["--batch-size", "1000", "--steps", "50", "--no-plots", "--loss",
                             "mean"])  # fmt: skip
    assert code == 0 and "diverge" not in out


def test_a_small_batch_diverging_names_the_stable_lr():
    code, out, _ = run_main(["--lr", "0.2", "--no-plots"])
    hint = out.splitlines()[out.splitlines().index(
        next(s for s in out.splitlines() if s.startswith("training diverged"))) + 1]
    assert code == 1 and "Try a --lr below 0.055, or --loss mean" in hint
    assert "more --steps" not in out


def test_the_stable_lr_is_where_sgd_starts_to_diverge():
    # 2/λ with λ the steepest curvature of the summed loss over a batch of 100: just under it the
    # run converges, just over it it diverges (a batch of 100 varies little from the average).
    limit = train.stable_lr(100, 1, "sum")
    assert 0.0021 < limit < 0.0023
    assert fit(lr=0.95 * limit).diverged_at is None
    assert fit(lr=1.1 * limit).diverged_at is not None


@pytest.mark.parametrize("features", [1, 2, 3, 7])
def test_the_expected_curvature_is_the_largest_eigenvalue_of_the_second_moment(features):
    m, v = 2.5, 25 / 12  # x ~ U(0, 5); a = (x₁, …, x_K, 1)
    moment = np.full((features + 1, features + 1), m * m)
    moment[:features, :features] += v * np.eye(features)
    moment[-1, :] = moment[:, -1] = m
    moment[-1, -1] = 1
    largest = np.linalg.eigvalsh(moment)[-1]
    assert regression.expected_curvature(features) == pytest.approx(largest, rel=1e-12)
    # and the data agree: the average of a·aᵀ over many samples
    rng = np.random.default_rng(0)
    a = np.hstack([rng.uniform(0, 5, (200_000, features)), np.ones((200_000, 1))])
    assert np.linalg.eigvalsh(a.T @ a / len(a))[-1] == pytest.approx(largest, rel=0.01)


def fit(**kwargs):
    return train.fit_linear_regression(batch_size=100, log=lambda s: None, **kwargs)


# ---------------------------------------------------------------------------------------------
# Long runs and big batches
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("steps, every", [(500, 50), (1000, 50), (1001, 100), (3000, 200),
                                          (10**8, 5 * 10**6)])  # fmt: skip
def test_the_progress_interval_grows_with_the_run(steps, every):
    assert progress.progress_every(steps) == every
    assert steps / every <= 20 or steps <= 1000


def test_a_long_run_prints_about_20_progress_lines():
    code, out, _ = run_main(["--steps", "3000", "--no-plots"])
    steps = [int(s.split()[1].split("/")[0]) for s in out.splitlines() if s.startswith("step ")]
    assert code == 0 and steps == [*range(0, 3000, 200), 2999]


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_silence_of_two_seconds_is_broken_by_a_line_or_a_phase():
    clock, said = FakeClock(), []
    p = progress.Progress(10**6, said.append, clock=clock)
    p.start_step()
    assert not p.due(1)
    clock.now = 2.5  # fast steps, but 2.5 s since the last line: the next step's line is due
    p.start_step()
    p.phase("  step 2: forward…")  # a fresh step: no phase word, the progress line comes
    assert said == [] and p.due(2)
    p.line("step 2 ...")
    clock.now = 3.0
    p.start_step()  # a slow step: its phases speak once the silence reaches 2 s
    clock.now = 4.0
    p.phase("  step 3: forward…")
    clock.now = 5.1
    p.phase("  step 3: backward…")
    assert said == ["step 2 ...", "  step 3: backward…"]


def test_a_long_silent_phase_is_named_while_it_runs(monkeypatch):
    # One numpy call can take a minute on a huge batch: a watcher thread names it meanwhile.
    import time

    monkeypatch.setattr(progress, "HEARTBEAT", 0.2)
    said = []
    with progress.Progress(10, said.append, watch=True) as p:
        p.start_step()
        p.phase("  step 0: drawing a batch…")
        time.sleep(1.0)  # the long call
        p.phase(None)  # done: nothing more to say about it
        quiet_from = len(said)
        time.sleep(0.5)
    assert quiet_from >= 1 and len(said) == quiet_from
    assert all(re.fullmatch(r"  step 0: drawing a batch… \(\d\.\d s so far\)", s) for s in said)


def test_a_huge_batch_shows_its_phases_and_its_memory(monkeypatch):
    # A slow step seen through a clock that runs 1.5 s per reading.
    ticks = iter(range(0, 10**6))
    monkeypatch.setattr(progress.time, "monotonic", lambda: 3.0 * next(ticks))
    monkeypatch.setattr(train, "memory_available", lambda: 10**12)
    monkeypatch.setattr(train, "LARGE_MEMORY", 1)  # any run counts as large here
    code, out, _ = run_main(["--steps", "2", "--batch-size", "1000", "--loss", "mean",
                             "--no-plots"])  # fmt: skip
    lines = out.splitlines()
    assert code == 0
    assert any(re.fullmatch(r"note: this run needs about \d.* of memory \(about 1\.0 TB is "
                            r"available\)", s) for s in lines)  # fmt: skip
    for phase in ("drawing a batch of 1,000 samples…", "forward, backward and update…",
                  "adding the batch to the closed form's sums…", "the hand-derived gradients…"):
        assert any(s.startswith("  step 1: ") and s.endswith(phase) for s in lines), phase


def test_memory_is_estimated_before_anything_is_allocated(monkeypatch, tmp_path):
    monkeypatch.setattr(train, "memory_available", lambda: 10**9)
    code, out, err = run_main(["--batch-size", str(10**8), "--out", str(tmp_path / "o")])
    assert code == 2 and out == "" and not (tmp_path / "o").exists()
    assert err.strip() == ("tinygrad-lr train: error: --batch-size 100000000: one step on "
                           "100,000,000 samples needs about 4.8 GB of memory, and about 1.0 GB "
                           "is available; use a smaller --batch-size")  # fmt: skip
    code, _, err = run_main(["--steps", str(10**8), "--no-plots"])
    assert code == 2 and "use fewer --steps" in err and "4.8 GB" in err
    assert progress.memory_needed(500, 4, 1) < 10**6  # the default run: nothing to speak of


@pytest.mark.parametrize("n, text", [(0, "0 B"), (999, "999 B"), (1234, "1.2 kB"),
                                     (4.8e9, "4.8 GB"), (23e9, "23 GB"), (1e18, "1.0 EB")])
def test_format_bytes(n, text):
    assert progress.format_bytes(n) == text


def test_the_memory_estimate_holds_for_a_real_big_batch(tmp_path):
    # Peak resident memory of a run of 10⁷ samples a step, against the estimate plus what the
    # interpreter, numpy and the package take by themselves (a run of 4 samples). The estimate
    # must not be short (it decides what is refused), nor wildly long. The peak is VmHWM, the
    # high-water mark of this process's own memory (ru_maxrss would count the parent's: Linux
    # keeps it across fork and exec).
    if not Path("/proc/self/status").exists():
        pytest.skip("VmHWM is read from /proc (Linux)")

    def peak(batch: int) -> int:
        code = ("from tinygrad_lr.apps import train; "
                f"train.main(['--steps', '2', '--batch-size', '{batch}', '--lr', '1e-9', "
                "'--no-plots']); print(open('/proc/self/status').read())")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return int(re.search(r"^VmHWM:\s+(\d+) kB", proc.stdout, re.MULTILINE).group(1)) * 1024

    extra = peak(10**7) - peak(4)
    estimate = progress.memory_needed(2, 10**7, 1)
    assert estimate / 4 < extra <= estimate


# ---------------------------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------------------------


def test_ctrl_c_during_training_exits_130_with_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_lr.apps.cli", "train", "--steps", "1000000", "--out",
         str(out)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"},
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        while line and not line.startswith("step "):  # training has started
            line = proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert re.fullmatch(r"tinygrad-lr train: stopped by Ctrl-C at step \d+ of 1000000; nothing "
                        r"was written to \S+\n", err), err  # fmt: skip
    assert "Traceback" not in err and not out.exists()


def test_ctrl_c_names_the_step_and_keeps_what_was_in_out(tmp_path, monkeypatch):
    (tmp_path / "old.txt").write_text("mine")
    real, calls = regression.hand_gradients, []

    def interrupted_at_step_3(*args):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(regression, "hand_gradients", interrupted_at_step_3)
    code, out, err = run_main(["--steps", "10", "--out", str(tmp_path)])
    assert code == 130 and err == ("tinygrad-lr train: stopped by Ctrl-C at step 3 of 10; "
                                   f"nothing was written to {tmp_path}\n")  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_ctrl_c_while_drawing_the_pictures_says_so_and_writes_nothing(tmp_path, monkeypatch):
    from tinygrad_lr.apps import plots

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "fit_animation", interrupted)
    code, out, err = run_main(["--steps", "10", "--out", str(tmp_path / "o")])
    assert code == 130 and err == ("tinygrad-lr train: stopped by Ctrl-C after step 9 of 10, "
                                   "while drawing fit_animation.gif; nothing was written to "
                                   f"{tmp_path / 'o'}\n")  # fmt: skip
    assert not (tmp_path / "o").exists()
    assert train.TrainingInterrupted(3, 10).args == ("stopped at step 3 of 10",)
    assert issubclass(train.TrainingInterrupted, KeyboardInterrupt)


# ---------------------------------------------------------------------------------------------
# The pictures: the real start, even spacing, diverged runs, the loss surface
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("steps, panels", [
    (500, [*range(0, 501, 50)]), (2000, [*range(0, 2001, 200)]), (130, [0, 50, 100, 130]),
    (1, [0, 1]),
])  # fmt: skip
def test_the_grid_starts_at_the_real_start_and_its_panels_are_evenly_spaced(steps, panels):
    result = train.fit_linear_regression(steps=steps, log=lambda s: None)
    assert [s["step"] for s in result.snapshots] == panels
    for snap in result.snapshots:  # the line after `step` steps: row `step` of the path
        row = result.path[snap["step"]]
        assert (snap["w"], snap["b"]) == (row[0], row[1])
    w0, _ = seed_data(steps=1)
    assert result.snapshots[0]["w"] == pytest.approx(w0.item()) and result.snapshots[0]["b"] == 0
    assert result.snapshots[-1]["w"] == pytest.approx(result.w[0])


@pytest.fixture
def figures(monkeypatch):
    """Every figure train's pictures draw, by file name (the GIF, which Pillow writes from the
    frames, as "fit_animation.gif")."""
    from tinygrad_lr.apps import plots

    made = []

    class Figures(dict):
        def __missing__(self, name):
            assert name == "fit_animation.gif", name
            (gif,) = [fig for fig in made if all(fig is not f for f in self.values())]
            return gif

    saved = Figures()
    real_save, real_new = plots.save, plots.new_figure

    def keep(fig, path):
        saved[Path(path).name] = fig
        return real_save(fig, path)

    def new(*args, **kwargs):
        made.append(real_new(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(plots, "save", keep)
    monkeypatch.setattr(plots, "new_figure", new)
    return saved


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_the_pictures_say_what_they_show(tmp_path, figures):
    code, _, _ = run_main(["--steps", "130", "--out", str(tmp_path)])
    assert code == 0
    grid = texts(figures["fit_grid.png"])
    assert "at the start and after every 50 steps, and at the end" in grid
    assert "start\nw = 0.20,  b = 0.00" in grid and "after 130 steps (the end)" in grid
    assert "DIVERGED" not in grid
    ax = figures["loss_surface.png"].axes[0]
    label = figures["loss_surface.png"].axes[1].get_ylabel()
    assert "½·Σ(ŷ − y)² over a batch of 4: the loss training used" in label
    assert "average over the 520 samples seen" in label
    markers = {line.get_label(): line for line in ax.get_lines()}
    # the end square is drawn over the star (it is usually within the star's width)
    assert markers["end"].get_zorder() > markers["closed-form least squares"].get_zorder()
    assert markers["end"].get_markersize() < markers["closed-form least squares"].get_markersize()


def test_the_loss_surface_of_the_mean_loss_is_labelled_as_the_mean(tmp_path, figures):
    run_main(["--steps", "20", "--loss", "mean", "--lr", "0.08", "--out", str(tmp_path)])
    label = figures["loss_surface.png"].axes[1].get_ylabel()
    assert label.startswith("½·mean((ŷ − y)²): the loss training used")


def test_the_pictures_of_a_diverged_run_say_so_and_stay_readable(tmp_path, figures):
    code, _, _ = run_main(["--lr", "0.2", "--out", str(tmp_path)])
    assert code == 1
    grid = texts(figures["fit_grid.png"])
    assert "TRAINING DIVERGED at step 25" in grid and "(last finite)" in grid
    assert "e+19" in grid and "000000000" not in grid  # w = -2.2e+19, not 20 digits
    assert "DIVERGED at step 25" in figures["loss_curve.png"].axes[0].get_title()
    surface = figures["loss_surface.png"].axes[0]
    assert "DIVERGED at step 25" in surface.get_title()
    # framed around the start and the minimum, not zoomed out to 1e19
    assert all(abs(v) < 10 for v in (*surface.get_xlim(), *surface.get_ylim()))
    assert "end (outside the picture)" in [line.get_label() for line in surface.get_lines()]
    assert "training diverged at step 25" in texts(figures["fit_animation.gif"])


def test_the_animation_starts_at_the_start_and_ends_at_the_end():
    result = train.fit_linear_regression(steps=500, log=lambda s: None)
    frames = train._animation_frames(result)
    assert [f["step"] for f in frames][:12] == [*range(11), 11]
    assert frames[0]["w"] == result.path[0][0] and frames[-1]["step"] == 500
    assert frames[-1]["loss"] is None and frames[0]["loss"] == result.losses[0]
    assert 35 <= len(frames) <= 41
    assert len(train.animation_steps(10**8)) <= 41
