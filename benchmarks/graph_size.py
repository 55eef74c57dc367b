"""Cost per graph node as graphs grow from 10³ to 10⁵ nodes, and the time to render 1,000 nodes.

Two shapes of graph, both on a (4, 1) float32 leaf (the seed's batch):

* chain: x → tanh → tanh → … (n tanh nodes): the deepest graph there is, one node after another;
* tree: h = x·1, then n/2 branches tanh(h), added up pairwise into one value (a balanced binary
  tree of adds): every branch hands a gradient back to h, which the engine must sum.

Each graph ends in a sum, and its forward + backward time is divided by its number of nodes.
A flat cost per node means the engine's work grows linearly with the graph.

Each size is timed twice: as a program runs (Python's cyclic garbage collector on), and with the
collector paused. The collector's full passes visit every live container object, and a big graph
is made of many; how often they run grows with the heap, so for large graphs they add a cost per
node that small graphs never pay. The second column shows the engine's own cost.
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .common import Timing

Build = Callable[[object, int], object]  # (leaf tensor, size) -> root tensor


def chain(x, n: int):  # noqa: ANN001, ANN201 - tinygrad_lr tensors
    h = x
    for _ in range(n - 1):
        h = h.tanh()
    return h.sum()


def tree(x, n: int):  # noqa: ANN001, ANN201
    h = x * 1.0
    level = [h.tanh() for _ in range(max(1, (n - 1) // 2))]
    while len(level) > 1:
        pairs = [a + b for a, b in zip(level[::2], level[1::2])]
        level = pairs + level[len(pairs) * 2:]  # an odd one out waits for the next level
    return level[0].sum()


SHAPES: dict[str, Build] = {"chain": chain, "tree": tree}


def count_nodes(root) -> int:  # noqa: ANN001
    from tinygrad_lr.core.engine import topological_order

    return len(topological_order(root.grad_fn))


@dataclass
class GraphRow:
    shape: str
    nodes: int
    per_node: Timing  # seconds per node, forward + backward, garbage collector on
    per_node_no_gc: Timing  # the same with the collector paused


@contextmanager
def _collector(on: bool) -> Iterator[None]:
    """Run the block from a freshly collected heap (every run starts from the same one), with the
    cyclic garbage collector on or paused."""
    gc.collect()
    if not on:
        gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _time_once(build: Build, x, n: int, nodes: int, collector: bool) -> float:  # noqa: ANN001
    x.grad = None
    with _collector(collector):
        start = time.perf_counter()
        build(x, n).backward()
        return (time.perf_counter() - start) / nodes


def run(sizes: list[int], repeats: int) -> list[GraphRow]:
    import tinygrad_lr as tg

    rows = []
    for shape, build in SHAPES.items():
        for n in sizes:
            x = tg.from_numpy(np.linspace(-1, 1, 4, dtype=np.float32).reshape(4, 1))
            x.requires_grad_()
            nodes = count_nodes(build(x, n))
            with_gc, without_gc = [], []
            for _ in range(repeats):
                with_gc.append(_time_once(build, x, n, nodes, collector=True))
                without_gc.append(_time_once(build, x, n, nodes, collector=False))
            rows.append(GraphRow(shape, nodes, Timing.of(with_gc), Timing.of(without_gc)))
    return rows


def render_time(nodes: int, repeats: int) -> tuple[Timing | None, str]:
    """Time `draw_graph(root).pipe(format='svg')` on a chain of `nodes` nodes, when the viz module
    and Graphviz's dot are both installed; otherwise say which is missing."""
    try:
        from tinygrad_lr.viz import draw_graph
    except ImportError:
        return None, "n/a (viz not installed)"
    if shutil.which("dot") is None:
        return None, "n/a (Graphviz's dot not installed)"
    import tinygrad_lr as tg

    x = tg.ones(4, 1, requires_grad=True)
    root = chain(x, nodes)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        draw_graph(root).pipe(format="svg")
        samples.append(time.perf_counter() - start)
    return Timing.of(samples), ""


# ---------------------------------------------------------------------------------------------
# The collector's share, next to a peer's: building the same chain in micrograd
# ---------------------------------------------------------------------------------------------

#: The chain both libraries can build: h → h·1.0001 → … (micrograd has no tanh). Forward only:
#: micrograd's backward recurses, and a chain of 10⁵ would overflow Python's stack.
PEER_FACTOR = 1.0001


@dataclass
class BuildRow:
    library: str
    nodes: int
    per_node: Timing  # seconds per node to build the chain, collector on
    per_node_no_gc: Timing


def _build_once(start: Callable[[], object], n: int, collector: bool) -> float:
    with _collector(collector):
        h = start()
        t0 = time.perf_counter()
        for _ in range(n):
            h = h * PEER_FACTOR
        seconds = time.perf_counter() - t0
    del h
    return seconds / n


def build_rows(sizes: list[int], repeats: int) -> list[BuildRow]:
    """Per-node cost of building a chain of multiplications, in tinygrad_lr and, if installed,
    micrograd: how much the collector adds as each graph grows."""
    import tinygrad_lr as tg

    from .common import optional_module

    starts: dict[str, Callable[[], object]] = {
        "tinygrad_lr": lambda: tg.ones(4, 1, requires_grad=True)}
    engine = optional_module("micrograd.engine")
    if engine is not None:
        starts["micrograd"] = lambda: engine.Value(0.5)
    rows = []
    for library, start in starts.items():
        for n in sizes:
            on = [_build_once(start, n, collector=True) for _ in range(repeats)]
            off = [_build_once(start, n, collector=False) for _ in range(repeats)]
            rows.append(BuildRow(library, n, Timing.of(on), Timing.of(off)))
    return rows
