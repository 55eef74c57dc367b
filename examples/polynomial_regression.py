"""Polynomial regression: a cubic is a linear model of the features (x, x², x³).

    python examples/polynomial_regression.py [--steps 500] [--out out] [--no-plots] [--seed 0]

y = 0.5x³ − x² − 2x + 1 + noise is not a line in x, but it is linear in its coefficients: with
the features X = [x, x², x³], it is y = X·w + b, and `nn.Linear(3, 1)` learns it. The same
least-squares loss, the same autograd; only the inputs changed. Adam copes with features of
very different sizes (x³ reaches 8 where x reaches 2) better than plain SGD does.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

import tinygrad_lr as t
from tinygrad_lr import nn, optim

TRUE_W, TRUE_B = [-2.0, -1.0, 0.5], 1.0  # y = 0.5x³ − x² − 2x + 1


def features(x: t.Tensor) -> t.Tensor:
    """x of shape (n, 1) → [x, x², x³] of shape (n, 3)."""
    return t.cat([x, x**2, x**3], dim=1)


def cubic(w1: float, w2: float, w3: float, b: float) -> str:
    """'0.5x³ − 1x² − 2x + 1' from the coefficients."""
    text = f"{w3:.3f}x³"
    for c, power in ((w2, "x²"), (w1, "x"), (b, "")):
        text += f" {'−' if c < 0 else '+'} {abs(c):.3f}{power}"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--out", default="out", help="folder for the picture")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.steps <= 0:
        parser.error(f"--steps must be a positive integer, got {args.steps}")

    t.manual_seed(args.seed)
    x = t.rand(100, 1) * 4 - 2  # 100 points in [-2, 2)
    X = features(x)
    y = X.mm(t.tensor([TRUE_W]).t()) + TRUE_B + t.randn(100, 1) * 0.5

    model = nn.Linear(3, 1)
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.MSELoss()
    for step in range(args.steps):
        loss = loss_fn(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == args.steps - 1:
            print(f"step {step:4d}   mean squared error {loss.item():.4f}")

    w, b = model.weight.detach().numpy()[0], model.bias.item()
    # The least-squares answer, solved directly: where gradient descent should arrive.
    design = np.hstack([X.numpy(), np.ones((100, 1))]).astype(np.float64)
    exact = np.linalg.lstsq(design, y.numpy().astype(np.float64), rcond=None)[0].ravel()
    print(f"learned:       y = {cubic(*w, b)}")
    print(f"least squares: y = {cubic(*exact)}")
    print(f"true:          y = {cubic(*TRUE_W, TRUE_B)}")

    if not args.no_plots:
        from tinygrad_lr.apps import plots

        Path(args.out).mkdir(parents=True, exist_ok=True)
        grid = t.linspace(-2, 2, 200).reshape(-1, 1)
        with t.no_grad():
            learned = model(features(grid)).numpy().ravel()
        true = features(grid).numpy() @ np.array(TRUE_W) + TRUE_B
        path = plots.curve_fit(x.numpy(), y.numpy(), grid.numpy().ravel(),
                               {f"learned: {cubic(*w, b)}": learned,
                                f"true: {cubic(*TRUE_W, TRUE_B)}": true},
                               Path(args.out) / "polynomial_regression.png",
                               "Polynomial regression: nn.Linear on the features (x, x², x³)")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
