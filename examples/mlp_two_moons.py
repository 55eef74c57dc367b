"""A two-layer MLP on the two moons: a curved decision boundary from straight lines and a tanh.

    python examples/mlp_two_moons.py [--steps 500] [--out out] [--no-plots] [--seed 0]

No straight line separates the two moons, so logistic regression cannot. A hidden layer of 16
units computes 16 different lines, bends each through tanh, and the output layer adds them up:
the sum of bent lines can curve around the moons. Trained with Adam on the binary cross-entropy.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

import tinygrad_lr as t
from tinygrad_lr import data, nn, optim


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
    x, y = data.make_moons(200, noise=0.1)
    model = nn.Sequential(
        nn.Linear(2, 16), nn.Tanh(),      # hidden layer: 16 lines, each bent by tanh
        nn.Linear(16, 1), nn.Sigmoid(),   # output: their weighted sum, as a probability
    )  # fmt: skip
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.BCELoss()
    for step in range(args.steps):
        p = model(x)
        loss = loss_fn(p, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == args.steps - 1:
            accuracy = ((p.detach() > 0.5).float() == y).float().mean().item()
            print(f"step {step:4d}   cross-entropy {loss.item():.4f}   accuracy {accuracy:.1%}")

    if not args.no_plots:
        from tinygrad_lr.apps import plots

        def predict(points: np.ndarray) -> np.ndarray:
            with t.no_grad():
                return model(t.tensor(points, dtype=t.float32)).numpy().ravel()

        Path(args.out).mkdir(parents=True, exist_ok=True)
        path = plots.decision_boundary(predict, x.numpy(), y.numpy(),
                                       Path(args.out) / "mlp_two_moons.png",
                                       "A two-layer MLP (2 → 16 → 1, tanh) on the two moons")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
