"""The flagship's step, compiled: autograd writes the seed's hand-derived gradients as code.

    python examples/compiled_step.py [--steps 500]

The seed fits y = 2x + 3 with gradients derived by hand: dy_pred = ŷ − y, dw = xᵀ·dy_pred,
db = Σ dy_pred. Here the same step is written with autograd (`loss.backward()`) and given to
`tinygrad_lr.compile`, which runs it once, records every numpy kernel it ran (forward, backward
and update), and writes them out as a Python function. The example prints that function beside
the seed's lines, then trains with both for the seed's 500 steps, on the same batches: they end
on the same w and b, bit for bit. (Autograd's backward multiplies ŷ − y by 2, then by ½: both
exact in floating point, so its gradients are the seed's, to the last bit.)
"""

import argparse
import sys
from typing import Any

import numpy as np

import tinygrad_lr as t

LR = 0.02  # the seed's learning rate, on the summed loss ½·Σ(ŷ − y)²

# The seed's backward and update, as it writes them (seed_manual_gradients.py).
SEED = ["dy_pred = y_pred - y", "dw = x.t().mm(dy_pred)", "db = dy_pred.sum()",
        "w.sub_(lr * dw)", "b.sub_(lr * db)"]  # fmt: skip


def fake_batches(steps: int, batch: int = 4) -> list[tuple[t.Tensor, t.Tensor]]:
    """The seed's data: x ~ U(0, 5), y = 2x + 3 + N(0, 1), drawn in advance (a compiled step
    must not draw random numbers: the draw would be made once, when it is traced)."""
    t.manual_seed(1000)
    out = []
    for _ in range(steps):
        x = t.rand(batch, 1) * 5
        out.append((x, x * 2 + 3 + t.randn(batch, 1)))
    return out


def train_compiled(batches: list) -> tuple[t.Tensor, t.Tensor, Any]:
    t.manual_seed(1000)
    w = t.rand(1, 1, requires_grad=True)
    b = t.zeros(1, 1, requires_grad=True)

    @t.compile
    def step(x, y):
        y_pred = x.mm(w) + b.expand_as(y)
        loss = 0.5 * (y_pred - y) ** 2
        loss = loss.sum()
        loss.backward()
        with t.no_grad():
            w.sub_(LR * w.grad)
            b.sub_(LR * b.grad)
        w.grad = None
        b.grad = None
        return loss

    for x, y in batches:
        step(x, y)
    return w, b, step


def train_by_hand(batches: list) -> tuple[t.Tensor, t.Tensor]:
    t.manual_seed(1000)
    w, b = t.rand(1, 1), t.zeros(1, 1)
    for x, y in batches:
        y_pred = x.mm(w) + b.expand_as(y)
        dy_pred = y_pred - y
        dw = x.t().mm(dy_pred)
        db = dy_pred.sum()
        w.sub_(LR * dw)
        b.sub_(LR * db)
    return w, b


def generated_lines(source: str) -> tuple[list[str], list[str]]:
    """The generated function's forward lines and its backward-and-update lines, without
    their comments."""
    forward, backward = source.split("    # backward\n", 1)
    return [_code(line) for line in forward.split("    # forward\n", 1)[1].splitlines()], [
        _code(line) for line in backward.splitlines() if line.startswith("    ")
        and not line.strip().startswith(("#", "return"))]  # fmt: skip


def _code(line: str) -> str:
    return line.split("#")[0].strip()


def beside_the_seed(source: str) -> list[tuple[str, list[str]]]:
    """Each line of the seed's backward and update, with the generated lines that do its work."""
    forward, backward = generated_lines(source)
    grads = [i for i, line in enumerate(backward) if line.startswith(("w_grad", "b_grad"))]
    dy_pred = [line for line in forward if line.endswith("= y_pred - y")] + backward[:grads[0]]
    return [
        (SEED[0], dy_pred),  # autograd multiplies by 2, then by ½: both exact
        (SEED[1], [line for line in backward if line.startswith("w_grad")]),
        (SEED[2], [line for line in backward if line.startswith("b_grad")]),
        (SEED[3], [line for line in backward if "* w_grad" in line or line.startswith("w -=")]),
        (SEED[4], [line for line in backward if "* b_grad" in line or line.startswith("b -=")]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args(argv)
    if args.steps < 2:
        parser.error(f"--steps must be at least 2, got {args.steps}")
    batches = fake_batches(args.steps)
    w, b, step = train_compiled(batches)
    print("The step autograd ran, as the code tinygrad_lr.compile wrote for it:\n")
    print(step.source)
    print("Its backward and update beside the seed's, derived by hand:\n")
    print(f"{'the seed, by hand':<26}compiled from autograd")
    print(f"{'-' * 17:<26}{'-' * 22}")
    for seed_line, lines in beside_the_seed(step.source):
        for i, line in enumerate(lines):
            print(f"{seed_line if i == 0 else '':<26}{line}")
    w_hand, b_hand = train_by_hand(batches)
    same = all(np.array_equal(a.detach().numpy(), h.numpy())
               for a, h in ((w, w_hand), (b, b_hand)))  # fmt: skip
    print(f"\nAfter {args.steps} steps on the same batches:")
    print(f"  compiled autograd: w = {w.item():.6f}, b = {b.item():.6f}")
    print(f"  the seed's formulas: w = {w_hand.item():.6f}, b = {b_hand.item():.6f}")
    print(f"  bit for bit the same: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
