"""Logistic regression: a straight line that separates two clouds of points.

    python examples/logistic_regression.py [--steps 300] [--out out] [--no-plots] [--seed 0]

The model scores each point with a line, s = w₁x₁ + w₂x₂ + b, and `sigmoid` turns the score into
a probability p = 1 / (1 + e⁻ˢ) of class 1. The loss is the binary cross-entropy
−(y·log p + (1 − y)·log(1 − p)): small when p is near the label y. Its gradient with respect to
the score is simply p − y, which is why this pair (sigmoid + cross-entropy) is the classic one.
The decision boundary p = ½ is where s = 0: the straight line w₁x₁ + w₂x₂ + b = 0.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

import tinygrad_lr as t
from tinygrad_lr import data, nn, optim


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--out", default="out", help="folder for the picture")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.steps <= 0:
        parser.error(f"--steps must be a positive integer, got {args.steps}")

    t.manual_seed(args.seed)
    x, y = data.make_blobs(200)  # x: (200, 2), y: (200, 1) of 0.0 and 1.0
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    opt = optim.SGD(model.parameters(), lr=0.5)
    loss_fn = nn.BCELoss()
    for step in range(args.steps):
        p = model(x)
        loss = loss_fn(p, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0 or step == args.steps - 1:
            accuracy = ((p.detach() > 0.5).float() == y).float().mean().item()
            print(f"step {step:4d}   cross-entropy {loss.item():.4f}   accuracy {accuracy:.1%}")

    (w1, w2), b = model[0].weight.detach().numpy()[0], model[0].bias.item()
    print(f"decision boundary: {w1:.3f}·x₁ {'−' if w2 < 0 else '+'} {abs(w2):.3f}·x₂ "
          f"{'−' if b < 0 else '+'} {abs(b):.3f} = 0")

    if not args.no_plots:
        from tinygrad_lr.apps import plots

        def predict(points: np.ndarray) -> np.ndarray:
            with t.no_grad():
                return model(t.tensor(points, dtype=t.float32)).numpy().ravel()

        Path(args.out).mkdir(parents=True, exist_ok=True)
        path = plots.decision_boundary(predict, x.numpy(), y.numpy(),
                                       Path(args.out) / "logistic_regression.png",
                                       "Logistic regression on two Gaussian blobs",
                                       line=(float(w1), float(w2), b))  # fmt: skip
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
