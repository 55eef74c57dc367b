"""Newton's method fits the flagship's line in one step; SGD takes 500 and still jitters.

    python examples/newton_linear_regression.py                 # prints, and writes the picture
    python examples/newton_linear_regression.py --no-plots      # prints only

The loss is the original program's, summed over the data: L(w, b) = ½·Σ(x·w + b − y)². Its
gradient is ∇L = (Σx·r, Σr) with r = ŷ − y, and its Hessian, the matrix of second derivatives,

    H = [[Σx², Σx],
         [Σx,  n ]],

does not depend on (w, b) at all: L is a quadratic. Newton's step (w, b) ← (w, b) − H⁻¹·∇L jumps
to the point where the gradient of that quadratic is zero, which is the least-squares solution
itself, from any start, in one step. Autograd gives both ∇L and H (`autograd.grad` and
`autograd.functional.hessian`, which differentiates the gradient again); this script checks them
against the formulas above and the jump against numpy's least squares.

SGD with the original program's learning rate (0.02, batches of 4) needs hundreds of steps: each
step only moves along −∇L, and the valley of L is long and narrow (H's eigenvalues differ by a
factor of about 40, its condition number), so the steps zig-zag across it. It then keeps
jittering around the minimum by about √(lr·σ²/2), because each batch's gradient is noisy. The
picture draws both paths on the contours of the loss.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import tinygrad_lr as t
from tinygrad_lr.autograd import functional, grad
from tinygrad_lr.data import get_fake_data

LR = 0.02  # the original program's learning rate
BATCH = 4


def summed_loss(x: t.Tensor, y: t.Tensor):  # noqa: ANN201 - a function of (w, b)
    """L(w, b) = ½·Σ(x·w + b − y)² on the data x, y."""

    def loss(w: t.Tensor, b: t.Tensor) -> t.Tensor:
        return (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()

    return loss


def newton_step(loss, w: t.Tensor, b: t.Tensor  # noqa: ANN001 - a function of (w, b)
                ) -> tuple[t.Tensor, t.Tensor, np.ndarray]:  # fmt: skip
    """One Newton step from (w, b): the new (w, b), and the Hessian used."""
    gw, gb = grad(loss(w, b), (w, b))
    (hww, hwb), (hbw, hbb) = functional.hessian(loss, (w, b))
    hessian = np.array([[hww.item(), hwb.item()], [hbw.item(), hbb.item()]])
    step = np.linalg.solve(hessian, [gw.item(), gb.item()])  # H⁻¹·∇L, without inverting H
    with t.no_grad():
        return w - step[0], b - step[1], hessian


def sgd(batches: list[tuple[t.Tensor, t.Tensor]], w: t.Tensor, b: t.Tensor) -> np.ndarray:
    """The original program's loop, with autograd's gradients: the path of (w, b)."""
    path = [(w.item(), b.item())]
    for x, y in batches:
        summed_loss(x, y)(w, b).backward()
        with t.no_grad():
            w -= LR * w.grad
            b -= LR * b.grad
        w.grad = b.grad = None
        path.append((w.item(), b.item()))
    return np.array(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500, help="SGD steps (batches of 4)")
    parser.add_argument("--seed", type=int, default=1000, help="the random seed")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the picture")
    parser.add_argument("--no-plots", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")

    t.manual_seed(args.seed)
    w0 = t.rand(1, 1, dtype=t.float64)
    batches = [tuple(a.double() for a in get_fake_data(BATCH)) for _ in range(args.steps)]
    x = t.cat([bx for bx, _ in batches])
    y = t.cat([by for _, by in batches])
    design = np.hstack([x.numpy(), np.ones((len(x), 1))])
    closed = np.linalg.lstsq(design, y.numpy(), rcond=None)[0].ravel()

    w = w0.clone().requires_grad_()
    b = t.zeros(1, 1, dtype=t.float64, requires_grad=True)
    w_newton, b_newton, hessian = newton_step(summed_loss(x, y), w, b)
    expected = np.array([[(x * x).sum().item(), x.sum().item()], [x.sum().item(), len(x)]])
    assert np.allclose(hessian, expected, rtol=1e-12), (hessian, expected)
    newton = np.array([w_newton.item(), b_newton.item()])
    assert np.allclose(newton, closed, rtol=0, atol=1e-10), (newton, closed)
    path = sgd(batches, w0.clone().requires_grad_(), t.zeros(1, 1, dtype=t.float64,
                                                             requires_grad=True))  # fmt: skip

    print(f"data: {len(x)} samples, the {args.steps} batches of {BATCH} that SGD sees")
    print(f"Hessian [[Σx², Σx], [Σx, n]] = [[{hessian[0, 0]:.2f}, {hessian[0, 1]:.2f}], "
          f"[{hessian[1, 0]:.2f}, {hessian[1, 1]:.0f}]]  (condition number "
          f"{np.linalg.cond(hessian):.0f})")
    print(f"closed-form least squares:  w: {closed[0]:.6f}  b: {closed[1]:.6f}")
    print(f"Newton, 1 step:             w: {newton[0]:.6f}  b: {newton[1]:.6f}  "
          f"(off by {np.abs(newton - closed).max():.1e})")
    print(f"SGD, {args.steps} steps:           w: {path[-1, 0]:.6f}  b: {path[-1, 1]:.6f}  "
          f"(off by {np.abs(path[-1] - closed).max():.2f})")
    if not args.no_plots:
        picture = draw(x.numpy(), y.numpy(), path, newton, closed, args.out)
        print(f"picture: {picture}")
    return 0


def draw(x: np.ndarray, y: np.ndarray, sgd_path: np.ndarray, newton: np.ndarray,
         closed: np.ndarray, out: Path) -> Path:  # fmt: skip
    """Both paths over the contours of ½·mean((w·x + b − y)²) (the mean: the same contours as the
    sum, on a readable scale)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    start = sgd_path[0]
    ws = np.concatenate([sgd_path[:, 0], [newton[0]]])
    bs = np.concatenate([sgd_path[:, 1], [newton[1]]])
    grid_w, grid_b = np.meshgrid(np.linspace(ws.min() - 0.3, ws.max() + 0.3, 200),
                                 np.linspace(bs.min() - 0.5, bs.max() + 0.5, 200))  # fmt: skip
    x, y = x.ravel(), y.ravel()
    surface = 0.5 * ((grid_w[..., None] * x + grid_b[..., None] - y) ** 2).mean(axis=-1)
    fig, ax = plt.subplots(figsize=(7, 5.5))
    levels = np.geomspace(surface.min() * 1.01, surface.max(), 25)
    filled = ax.contourf(grid_w, grid_b, surface, levels=levels, cmap="viridis",
                         norm=matplotlib.colors.LogNorm(), extend="min")  # fmt: skip
    bar = fig.colorbar(filled, ax=ax, label="½·mean((w·x + b − y)²) on the data")
    bar.locator = matplotlib.ticker.LogLocator(subs=(1, 2, 5))
    bar.formatter = matplotlib.ticker.FormatStrFormatter("%g")
    bar.update_ticks()
    ax.plot(sgd_path[:, 0], sgd_path[:, 1], color="tab:orange", lw=1,
            label=f"SGD, lr {LR}, {len(sgd_path) - 1} steps")  # fmt: skip
    ax.annotate("", xy=newton, xytext=start, arrowprops={"arrowstyle": "->", "color": "red",
                                                         "lw": 2})  # fmt: skip
    ax.plot([], [], color="red", lw=2, label="Newton: one step, −H⁻¹·∇L")
    ax.plot(*start, "o", color="white", ms=8, mec="black", label="start", zorder=5)
    ax.plot(*closed, "*", color="yellow", ms=16, mec="black", label="closed-form least squares",
            zorder=6)  # fmt: skip
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.set_title("Newton lands on the minimum in one step; SGD zig-zags down the valley")
    ax.legend(loc="lower right", fontsize=9, framealpha=0.9)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "newton_vs_sgd.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":
    sys.exit(main())
