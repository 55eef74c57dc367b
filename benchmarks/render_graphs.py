"""How long drawing and rendering graphs takes: the flagship, and graphs of 1,000 ops.

    python benchmarks/render_graphs.py              # about 30 s, most of it building big graphs

For each graph: the time to build the DOT source (`draw_graph`, pure Python) and to render it
with Graphviz's `dot` to SVG and to PNG (`.pipe`), best of 3 runs. `max_nodes` is left at its
default (50 op nodes) unless the row says otherwise. Needs `dot` for the render columns.

Not in the table because it takes minutes: the 1,000-op sum of terms with nothing folded (every
term reads the same w, and dot's crossing minimisation struggles with hundreds of such edges).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

import tinygrad_lr as t
from tinygrad_lr.apps.graph_cli import flagship_step
from tinygrad_lr.viz import draw_graph, graph_text
from tinygrad_lr.viz.model import build_model


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def chain(n_ops: int) -> t.Tensor:
    """h = h * 1.00001, n_ops - 1 times, then a sum: a chain of n_ops ops."""
    h = t.ones(3, requires_grad=True)
    for _ in range(n_ops - 1):
        h = h * 1.00001
    return h.sum()


def unrolled_rnn(steps: int) -> t.Tensor:
    """h = tanh(h @ W + b) with shared W and b: 4 ops a step (mm, expand, add, tanh), + a sum."""
    t.manual_seed(0)
    w = t.randn(4, 4, requires_grad=True)
    b = t.zeros(1, 4, requires_grad=True)
    h = t.randn(2, 4)
    for _ in range(steps):
        h = (h.mm(w) + b).tanh()
    return h.sum()


def many_terms(n_terms: int) -> t.Tensor:
    """Σ_i sum(w * i), added one term at a time: no chain to fold (each add has two inputs)."""
    w = t.ones(2, requires_grad=True)
    total = (w * 0.0).sum()
    for i in range(1, n_terms):
        total = total + (w * float(i)).sum()
    return total


def report(label: str, root: t.Tensor, max_nodes: int | None, render: bool) -> None:
    n_ops = len(build_model(root).ops)
    build = best_of(lambda: draw_graph(root, show_grad=True, max_nodes=max_nodes))
    graph = draw_graph(root, show_grad=True, max_nodes=max_nodes)
    limit = "default" if max_nodes is None else str(max_nodes)
    line = f"{label:<40} ops {n_ops:>5}  max_nodes {limit:>7}  draw {build * 1000:7.1f} ms"
    if render:
        repeats = 1 if max_nodes is not None and max_nodes >= n_ops > 200 else 3
        svg = best_of(lambda: graph.pipe(format="svg"), repeats)
        png = best_of(lambda: graph.pipe(format="png", quiet=True), repeats)
        line += f"  svg {svg * 1000:8.1f} ms  png {png * 1000:8.1f} ms"
    print(line, flush=True)


def main() -> None:
    render = shutil.which("dot") is not None
    if not render:
        print("Graphviz's dot was not found: only the drawing (DOT source) is timed")
    loss, _ = flagship_step()
    loss.backward()
    report("flagship (one training step)", loss, None, render)
    report("chain of 50 muls (nothing folded)", chain(50), None, render)
    report("chain of 1,000 muls", chain(1000), None, render)
    report("unrolled RNN, 250 steps", unrolled_rnn(250), None, render)
    report("sum of 334 terms (cut, not folded)", many_terms(334), None, render)
    report("chain of 1,000 muls, nothing folded", chain(1000), 10**6, render)

    big = chain(100_000)
    start = time.perf_counter()
    draw_graph(big)
    print(f"chain of 100,000 muls: draw_graph {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    text = graph_text(big)
    print(f"chain of 100,000 muls: graph_text {time.perf_counter() - start:.2f} s "
          f"({text.count(chr(10))} lines)")  # fmt: skip


if __name__ == "__main__":
    main()
