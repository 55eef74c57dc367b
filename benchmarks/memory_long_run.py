"""Memory over a long training run of the flagship (not part of the test suite: ~1 minute).

    python benchmarks/memory_long_run.py [steps]     # default 100,000

Trains the seed's model y = x·w + b (batches of 4 from y = 2x + 3 + noise, SGD with lr 0.02 under
no_grad, gradients from autograd) and prints, at a few checkpoints, the memory traced by
tracemalloc (bytes held by Python allocations made since tracing started) and the process's
resident set size. A leak of one graph per step would add several KB per step; flat means the
figures at the last checkpoint match those at the first within a few KB.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc

import tinygrad_lr as t

LR = 0.02


def rss_kib() -> int:
    """Current resident set size of this process, from /proc (Linux); -1 elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except OSError:
        return -1
    import resource

    return pages * resource.getpagesize() // 1024


def main(steps: int) -> None:
    t.manual_seed(1000)
    w = t.rand(1, 1, requires_grad=True)
    b = t.zeros(1, 1, requires_grad=True)

    def step() -> float:
        x = t.rand(4, 1) * 5
        y = x * 2 + 3 + t.randn(4, 1)
        loss = (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).mean()
        loss.backward()
        with t.no_grad():
            w.sub_(LR * w.grad)
            b.sub_(LR * b.grad)
        w.grad = None
        b.grad = None
        return loss.item()

    for _ in range(1000):  # warm-up: numpy's and Python's caches fill once
        step()
    gc.collect()
    checkpoints = sorted({1000, steps // 10, steps // 2, steps} - {0})
    tracemalloc.start()
    start = time.perf_counter()
    print(f"{'step':>8} {'traced (bytes)':>15} {'peak traced':>12} {'RSS (KiB)':>10} "
          f"{'gc objects':>11}")
    for i in range(1, steps + 1):
        loss = step()
        if i in checkpoints:
            current, peak = tracemalloc.get_traced_memory()
            objects = len(gc.get_objects())
            print(f"{i:>8} {current:>15,} {peak:>12,} {rss_kib():>10,} {objects:>11,}")
    tracemalloc.stop()
    print(f"{steps} steps in {time.perf_counter() - start:.1f} s (traced); "
          f"w = {w.item():.4f}, b = {b.item():.4f}, last loss = {loss:.4f}; "
          f"gc.collect() found {gc.collect()} unreachable objects")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
