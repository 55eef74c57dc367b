"""Each example runs headless, learns what it claims, and writes a valid picture of its size."""

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_example(name: str, argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = load(name).main(argv)
    return code, out.getvalue()


def check_png(path: Path, size: tuple[int, int]) -> None:
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size == size


def accuracy(output: str) -> float:
    return float(re.findall(r"accuracy ([\d.]+)%", output)[-1]) / 100


def test_polynomial_regression_reaches_the_least_squares_cubic(tmp_path):
    code, out = run_example("polynomial_regression", ["--steps", "400", "--out", str(tmp_path)])
    assert code == 0
    learned = re.search(r"learned: +y = (.*)", out).group(1)
    exact = re.search(r"least squares: +y = (.*)", out).group(1)
    def coefficients(cubic: str) -> list[float]:  # "0.508x³ − 0.939x² − 2.004x + 0.953"
        terms = re.findall(r"(−|\+)? ?(\d+\.\d+)", cubic)
        return [float(number) * (-1 if sign == "−" else 1) for sign, number in terms]

    assert len(coefficients(learned)) == 4
    np.testing.assert_allclose(coefficients(learned), coefficients(exact), atol=0.01)
    np.testing.assert_allclose(coefficients(learned), [0.5, -1, -2, 1], atol=0.1)  # the truth
    check_png(tmp_path / "polynomial_regression.png", (700, 500))


def test_logistic_regression_separates_the_blobs(tmp_path):
    code, out = run_example("logistic_regression", ["--steps", "100", "--out", str(tmp_path)])
    assert code == 0 and accuracy(out) >= 0.95
    assert re.search(r"decision boundary: [-\d.]+·x₁ [−+] [\d.]+·x₂ [−+] [\d.]+ = 0", out)
    check_png(tmp_path / "logistic_regression.png", (650, 550))


def test_mlp_separates_the_moons_which_no_line_can(tmp_path):
    code, out = run_example("mlp_two_moons", ["--steps", "300", "--out", str(tmp_path)])
    assert code == 0 and accuracy(out) >= 0.97
    check_png(tmp_path / "mlp_two_moons.png", (650, 550))
    # The same data, a linear model: well below what the MLP reached.
    import tinygrad_lr as t
    from tinygrad_lr import data, nn, optim

    t.manual_seed(0)
    x, y = data.make_moons(200, noise=0.1)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    opt = optim.Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        opt.zero_grad()
        nn.BCELoss()(model(x), y).backward()
        opt.step()
    linear_accuracy = ((model(x).detach().numpy() > 0.5) == (y.detach().numpy() > 0.5)).mean()
    assert linear_accuracy < 0.92 < accuracy(out)


@pytest.mark.parametrize("name", ["polynomial_regression", "logistic_regression",
                                  "mlp_two_moons"])  # fmt: skip
def test_no_plots_writes_nothing_and_bad_steps_exit_2(name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _ = run_example(name, ["--steps", "3", "--no-plots"])
    assert code == 0 and list(tmp_path.iterdir()) == []
    with pytest.raises(SystemExit) as e:
        load(name).main(["--steps", "0"])
    assert e.value.code == 2 and "--steps must be a positive integer" in capsys.readouterr().err


def test_the_flagship_script_runs_as_a_file_headless_with_show(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "linear_regression.py"), "--steps", "60", "--show",
         "--out", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"w:\s+\S+ b:\s+\S+", lines[-1])
    assert any(s.startswith("--show: no display here") for s in lines)
    assert (tmp_path / "out" / "fit_grid.png").exists()
    with Image.open(tmp_path / "out" / "fit_grid.png") as im:
        # 3 panels (the start, after 50 steps, the end after 60) of 3 × 2.6 in, a title wrapped
        # to two lines
        assert im.size == (900, 365)
