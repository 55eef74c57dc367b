"""`tinygrad-lr train --compile`: the training step run as the code tinygrad_lr.compile writes for
it. The same numbers as the eager run, bit for bit; step.py in the output folder, importable, and
its `step` reproduces an update; what it cannot be combined with is refused."""

import contextlib
import importlib.util
import inspect
import io
import warnings

import numpy as np
import pytest

from tinygrad_lr import optim
from tinygrad_lr.apps import regression, train
from tinygrad_lr.core import creation
from tinygrad_lr.data import get_fake_data

COMPILED_LINES = ("compiled:",)  # what only a compiled run prints


def run_main(argv):
    """train.main(argv) → (exit code, stdout, stderr), with RuntimeWarnings turned into errors: a
    step that fell back to running eagerly would say so with one."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():  # fmt: skip
        warnings.simplefilter("error", RuntimeWarning)
        try:
            code = train.main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [
    [],
    ["--optimizer", "adam", "--lr", "0.1"],
    ["--loss", "mean", "--lr", "0.08", "--batch-size", "6"],
    ["--features", "3", "--lr", "0.005"],
    ["--lr", "0.2"],  # diverges at step 25: the stop, and the parameters kept, are the same too
])  # fmt: skip
def test_compiled_and_eager_runs_print_the_same_numbers(argv):
    argv = ["--steps", "60", "--no-plots", *argv]
    code, eager, _ = run_main(argv)
    code_compiled, compiled, err = run_main([*argv, "--compile"])
    assert code == code_compiled and err == ""
    assert "compiled: each step's forward, backward and update run as the numpy code" in compiled
    assert "compiled: step.py not written (--no-plots writes nothing)" in compiled
    # Every other line is the same: the progress (batch losses, w and b), the gradient check,
    # the closed form, and the last line's w and b at full precision.
    rest = [line for line in compiled.splitlines() if not line.startswith(COMPILED_LINES)]
    assert rest == eager.splitlines()


@pytest.mark.parametrize("optimizer, lr", [("sgd", 0.02), ("adam", 0.1)])
def test_every_loss_and_every_step_of_the_path_are_equal_bit_for_bit(optimizer, lr):
    runs = {}
    for compiled in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            runs[compiled] = regression.fit_linear_regression(
                steps=40, lr=lr, optimizer=optimizer, compile_step=compiled,
                log=lambda line: None)  # fmt: skip
    eager, compiled = runs[False], runs[True]
    assert eager.compiled is None and compiled.compiled is not None
    assert np.array_equal(eager.losses, compiled.losses)
    assert np.array_equal(eager.path, compiled.path)
    assert eager.max_grad_diff == compiled.max_grad_diff == 0.0
    # The generated code did the training: after the first calls (eager, to record the step and
    # to check the code), every call ran it.
    assert "def step(x, y, model_w, model_b, lr" in compiled.compiled.source


def test_step_py_is_written_beside_the_pictures_and_the_run_says_so(tmp_path):
    code, out, _ = run_main(["--steps", "10", "--compile", "--out", str(tmp_path)])
    assert code == 0
    wrote = next(line for line in out.splitlines() if line.startswith("wrote "))
    assert "step.py" in wrote and "params.npz" in wrote
    source = (tmp_path / "step.py").read_text(encoding="utf-8")
    assert source.startswith("# The training step of `tinygrad-lr train --compile`")
    compile(source, "step.py", "exec")  # valid Python
    # The backward is the original program's hand formulas: xᵀ·g and Σ g.
    assert "model_w_grad = x.T.dot(" in source and "model_b_grad = t6.sum(axis=0" in source


def load_step(path):
    spec = importlib.util.spec_from_file_location("generated_step", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.step


def test_the_written_step_reproduces_one_update_of_the_eager_step(tmp_path):
    assert run_main(["--steps", "3", "--compile", "--out", str(tmp_path)])[0] == 0
    step = load_step(tmp_path / "step.py")
    assert list(inspect.signature(step).parameters) == ["x", "y", "model_w", "model_b", "lr"]

    # One update by the eager step, from a start of our own, on a batch of our own
    creation.manual_seed(5)
    model = regression.LinearRegression(1)
    x, y = get_fake_data(4, w=2.0, b=3.0)
    w0, b0 = model.w.detach().numpy().copy(), model.b.detach().numpy().copy()
    opt = optim.SGD(list(model.parameters()), lr=0.02)
    loss, y_pred = regression.training_step(model, opt, "sum")(x, y)

    # The same update by the generated code, on plain numpy arrays
    w, b = w0.copy(), b0.copy()
    loss_np, y_pred_np, w_grad, b_grad = step(x.numpy(), y.numpy(), w, b, 0.02)
    assert np.array_equal(w, model.w.detach().numpy())
    assert np.array_equal(b, model.b.detach().numpy())
    assert loss_np == loss.item() and np.array_equal(y_pred_np, y_pred.detach().numpy())
    assert np.array_equal(w_grad, model.w.grad.numpy())
    assert np.array_equal(b_grad, model.b.grad.numpy())
    assert not np.array_equal(w, w0)  # it did move


def test_adams_step_py_takes_its_settings_and_state(tmp_path):
    assert run_main(["--steps", "5", "--optimizer", "adam", "--compile", "--out",
                     str(tmp_path)])[0] == 0  # fmt: skip
    step = load_step(tmp_path / "step.py")
    names = list(inspect.signature(step).parameters)
    assert names[:4] == ["x", "y", "model_w", "model_b"]
    assert {"lr", "beta1", "beta2", "eps", "model_w_m", "model_w_v", "model_b_m",
            "model_b_v"} <= set(names)  # fmt: skip


def test_compile_with_newton_is_refused_on_one_line(tmp_path):
    code, out, err = run_main(["--optimizer", "newton", "--compile", "--out", str(tmp_path / "o")])
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("tinygrad-lr train: error: --compile works with --optimizer sgd and "
                          "adam: Newton's step takes second derivatives")  # fmt: skip
    assert not (tmp_path / "o").exists()


def test_help_explains_compile():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        train.main(["--help"])
    text = " ".join(out.getvalue().split())
    assert "--compile run each step's forward, backward and update as the numpy code" in text
    assert "write that code to --out as step.py: the same numbers, bit for bit" in text
