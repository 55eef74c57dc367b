"""examples/newton_linear_regression.py: Newton's one step lands on the closed form, SGD's 500
steps end near it, and the picture of both paths is written."""

import re

import pytest
from test_examples import check_png, run_example


def numbers(line_start: str, output: str) -> tuple[float, float]:
    line = next(line for line in output.splitlines() if line.startswith(line_start))
    w, b = re.findall(r"w: (-?[\d.]+)\s+b: (-?[\d.]+)", line)[0]
    return float(w), float(b)


def test_newton_is_exact_and_sgd_is_close_and_the_picture_is_written(tmp_path):
    code, out = run_example("newton_linear_regression", ["--out", str(tmp_path)])
    assert code == 0, out
    closed, newton = numbers("closed-form", out), numbers("Newton, 1 step", out)
    sgd = numbers("SGD, 500 steps", out)
    assert newton == closed  # to the 6 digits printed; the script asserts 1e-10 itself
    off = float(re.search(r"Newton, 1 step: .*\(off by ([\d.e+-]+)\)", out).group(1))
    assert off < 1e-10
    # SGD with the original's lr jitters around the minimum by about 0.1 per parameter
    assert abs(sgd[0] - closed[0]) < 0.4 and abs(sgd[1] - closed[1]) < 0.4
    hessian = r"Hessian \[\[Σx², Σx\], \[Σx, n\]\] = \[\[[\d.]+, [\d.]+\], \[[\d.]+, 2000\]\]"
    assert re.search(hessian, out)
    check_png(tmp_path / "newton_vs_sgd.png", (770, 605))


def test_few_steps_and_no_plots(tmp_path):
    code, out = run_example("newton_linear_regression",
                            ["--steps", "5", "--no-plots", "--out", str(tmp_path)])  # fmt: skip
    assert code == 0 and "data: 20 samples" in out and not list(tmp_path.iterdir())


def test_bad_steps_exit_2():
    with pytest.raises(SystemExit) as exit_info:
        run_example("newton_linear_regression", ["--steps", "0"])
    assert exit_info.value.code == 2
