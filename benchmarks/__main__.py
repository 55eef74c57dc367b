"""`python -m benchmarks`: run every benchmark in one process and print the tables.

    python -m benchmarks             # full run (a few minutes)
    python -m benchmarks --write     # full run, and update the results in docs/performance.md
    python -m benchmarks --quick     # smoke run: small sizes, few repeats, a few seconds
    python -m benchmarks --out PATH  # also write the results as markdown to PATH
    python -m benchmarks --threads 1 # numpy's BLAS and PyTorch limited to one thread each
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import fmt_number, fmt_ratio, machine_facts, markdown_table

# The benchmark modules import numpy, which reads its BLAS thread count once, when first imported;
# they are imported inside the functions below, after main() has applied --threads.

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


@dataclass
class Settings:
    seed_steps: int
    seed_repeats: int
    full_sizes: list[tuple[int, int]]
    full_repeats: int
    graph_sizes: list[int]
    graph_repeats: int
    render_nodes: int
    render_repeats: int


FULL = Settings(2000, 9, [(1_000_000, 1), (100_000, 100)], 11, [1_000, 10_000, 100_000], 5,
                1_000, 3)  # fmt: skip
QUICK = Settings(200, 2, [(100_000, 1), (10_000, 100)], 2, [100, 1_000], 2, 100, 1)


def seed_section(s: Settings) -> tuple[str, dict[str, float]]:
    from . import seed_step

    rows = seed_step.run(s.seed_steps, s.seed_repeats)
    floor = next(r for r in rows if r.name == seed_step.FLOOR).per_step.best
    table = markdown_table(
        ["variant", "best µs/step", "median µs/step", "× floor", "final w", "final b"],
        [[r.name, fmt_number(r.per_step.best * 1e6), fmt_number(r.per_step.median * 1e6),
          fmt_ratio(r.per_step.best / floor), f"{r.w:.4f}", f"{r.b:.4f}"] for r in rows],
    )  # fmt: skip
    wrong = seed_step.disagreements(rows)
    check = ("All variants end with the same w and b." if not wrong else
             f"WARNING: these variants end with other parameters than the floor: {wrong}")
    trace, first = (min(c) * 1e3 for c in zip(*seed_step.compile_costs))
    compiled = (f"The compiled step's time is that of its generated code: its first call, "
                f"which runs the step eagerly and traces it ({fmt_number(trace)} ms, best of "
                f"{s.seed_repeats}), and its second, which runs it eagerly again with the "
                f"generated code beside it as a check ({fmt_number(first)} ms), are made before "
                "the clock starts.")  # fmt: skip
    text = (f"### 1. The seed step (batch 4, one feature, float32, {s.seed_steps:,} steps, "
            f"best and median of {s.seed_repeats} runs)\n\n{table}\n\n{check}\n\n"
            f"{compiled}\n")  # fmt: skip
    return text, {r.name: r.per_step.best for r in rows}


def full_batch_section(s: Settings) -> tuple[str, dict[str, dict[str, float | None]]]:
    from . import full_batch

    table_rows, found = [], {}
    for n, k in s.full_sizes:
        data, rows = full_batch.run(n, k, s.full_repeats)
        label = f"{n:,}×{k} ({data.nbytes / 2**20:.0f} MiB)"
        floor = next(r for r in rows if r.name == full_batch.FLOOR).per_step.best
        found[label] = {}
        for r in rows:
            found[label][r.name] = r.per_step.best
            found[label][r.name + " peak"] = r.peak_ratio
            table_rows.append([
                label, r.name,
                fmt_number(r.per_step.best * 1e3), fmt_number(r.per_step.median * 1e3),
                fmt_ratio(r.per_step.best / floor),
                fmt_ratio(r.peak_ratio) if r.peak_ratio is not None else "n/a",
                "yes" if r.agrees else "NO",
            ])  # fmt: skip
    headers = ["data (float64)", "variant", "best ms", "median ms", "× floor",
               "peak memory × data", "same update as floor"]  # fmt: skip
    table = markdown_table(headers, table_rows, names=2)
    text = (f"### 2. Full batch: one step (best and median of {s.full_repeats} runs)\n\n{table}\n\n"
            "Peak memory: the most numpy memory held at once during the step (tracemalloc), as a "
            "multiple of the data's own bytes (x and y).\n")  # fmt: skip
    return text, found


def graph_section(s: Settings) -> tuple[str, dict[str, list[float]]]:
    from . import graph_size

    rows = graph_size.run(s.graph_sizes, s.graph_repeats)
    first: dict[str, tuple[float, float]] = {}
    table_rows, found = [], {}
    for r in rows:
        base, base_no_gc = first.setdefault(r.shape, (r.per_node.best, r.per_node_no_gc.best))
        found.setdefault(r.shape, []).append(r.per_node.best)
        found.setdefault(r.shape + " (collector paused)", []).append(r.per_node_no_gc.best)
        table_rows.append([
            r.shape, f"{r.nodes:,}", fmt_number(r.per_node.best * 1e6),
            fmt_number(r.per_node.median * 1e6), fmt_ratio(r.per_node.best / base),
            fmt_number(r.per_node_no_gc.best * 1e6), fmt_ratio(r.per_node_no_gc.best / base_no_gc),
        ])  # fmt: skip
    headers = ["graph", "nodes", "best µs/node", "median µs/node", "× smallest",
               "best µs/node, collector paused", "× smallest"]  # fmt: skip
    table = markdown_table(headers, table_rows)
    render, why = graph_size.render_time(s.render_nodes, s.render_repeats)
    render_text = (f"{fmt_number(render.best * 1e3)} ms best, {fmt_number(render.median * 1e3)} ms "
                   f"median of {s.render_repeats}" if render is not None else why)  # fmt: skip
    text = (f"### 3. Graph size: forward + backward time per node (best and median of "
            f"{s.graph_repeats} runs)\n\n{table}\n\nRender a {s.render_nodes:,}-node graph "
            f"(`tinygrad_lr.viz.draw_graph(root).pipe(format='svg')`): {render_text}\n")
    return text + "\n" + build_section(s), found


def build_section(s: Settings) -> str:
    """The collector's share in building a graph, in tinygrad_lr and in micrograd (if there)."""
    from . import graph_size

    rows = graph_size.build_rows(s.graph_sizes, s.graph_repeats)
    first: dict[str, tuple[float, float]] = {}
    table_rows = []
    for r in rows:
        base, base_no_gc = first.setdefault(r.library, (r.per_node.best, r.per_node_no_gc.best))
        table_rows.append([
            r.library, f"{r.nodes:,}", fmt_number(r.per_node.best * 1e6),
            fmt_ratio(r.per_node.best / base), fmt_number(r.per_node_no_gc.best * 1e6),
            fmt_ratio(r.per_node_no_gc.best / base_no_gc),
        ])  # fmt: skip
    headers = ["library", "nodes", "best µs/node", "× smallest",
               "best µs/node, collector paused", "× smallest"]  # fmt: skip
    return (f"Building a chain `h = h * {graph_size.PEER_FACTOR}` (forward only: micrograd's "
            f"backward recurses), best of {s.graph_repeats}: what the collector adds as a graph "
            f"of Python objects grows, here and in micrograd when it is installed.\n\n"
            f"{markdown_table(headers, table_rows)}\n")


def targets_section(seed: dict[str, float], full: dict[str, dict[str, float | None]],
                    graph: dict[str, list[float]]) -> str:  # fmt: skip
    from .seed_step import COMPILED as compiled
    from .seed_step import FLOOR as floor
    from .seed_step import OURS as ours
    from .seed_step import OURS_DATA as ours_data

    torch = "PyTorch autograd"
    rows = []

    def add(what: str, value: float | None, limit: str, ok: bool | None) -> None:
        verdict = "n/a" if ok is None else ("met" if ok else "NOT met")
        rows.append([what, fmt_ratio(value), limit, verdict])

    ratio = seed[ours] / seed[floor]
    add("seed step: tinygrad_lr / floor", ratio, "≤ 4×", ratio <= 4)
    speedup = seed[torch] / seed[ours] if torch in seed else None
    add("seed step: PyTorch / tinygrad_lr", speedup, "≥ 2×",
        None if speedup is None else speedup >= 2)
    ratio = seed[ours_data] / seed[ours]
    add("seed step: `.data.sub_` form / `-=` form", ratio, "≤ 1.15×", ratio <= 1.15)
    ratio = seed[compiled] / seed[floor]
    add("seed step: tinygrad_lr.compile / floor", ratio, "≤ 1.8×", ratio <= 1.8)
    speedup = seed[torch] / seed[compiled] if torch in seed else None
    add("seed step: PyTorch / tinygrad_lr.compile", speedup, "≥ 4×",
        None if speedup is None else speedup >= 4)
    for (label, times), limit in zip(full.items(), (1.5, 1.2)):
        ratio = times[ours] / times[floor]
        add(f"full batch {label}: tinygrad_lr / floor", ratio, f"≤ {limit}×", ratio <= limit)
        speedup = times[torch] / times[ours] if torch in times else None
        add(f"full batch {label}: PyTorch / tinygrad_lr", speedup, "> 1×",
            None if speedup is None else speedup > 1)
    for shape, per_node in graph.items():
        growth = max(per_node) / per_node[0]
        limit = 2 if "collector paused" not in shape else 1.5
        add(f"{shape}: worst cost per node / smallest graph's", growth, f"≤ {limit}×",
            growth <= limit)
    table = markdown_table(["target", "measured", "limit", "verdict"], rows)
    return f"### Targets\n\n{table}\n"


def machine_section(argv: list[str]) -> str:
    facts = {"command": " ".join(["python -m benchmarks", *argv]), **machine_facts()}
    return "### Machine\n\n" + "\n".join(f"- {k}: {v}" for k, v in facts.items()) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run of a few seconds: small sizes and few repeats")
    parser.add_argument("--write", action="store_true",
                        help=f"put the results into {DOC.relative_to(DOC.parents[1])}")
    parser.add_argument("--out", type=Path, help="also write the results as markdown to this file")
    parser.add_argument("--threads", type=int, metavar="N",
                        help="limit numpy's BLAS and PyTorch to N threads each (default: their own "
                             "defaults); on a machine shared with other work, 1 gives steadier "
                             "numbers")  # fmt: skip
    args = parser.parse_args(argv)
    if args.threads is not None:
        if "numpy" in sys.modules:
            parser.error("--threads must be applied before numpy is imported")
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
        torch = _optional_torch()
        if torch is not None:
            torch.set_num_threads(args.threads)
    if args.quick and args.write:
        parser.error("--write records a full run; a --quick run's numbers are not worth keeping")
    s = QUICK if args.quick else FULL

    parts = [machine_section(sys.argv[1:] if argv is None else argv)]
    print(parts[0], flush=True)
    seed_text, seed = seed_section(s)
    print(seed_text, flush=True)
    full_text, full = full_batch_section(s)
    print(full_text, flush=True)
    graph_text, graph = graph_section(s)
    print(graph_text, flush=True)
    targets = targets_section(seed, full, graph)
    print(targets, flush=True)
    results = "\n".join([parts[0], seed_text, full_text, graph_text, targets])
    if args.quick:
        results = ("(quick run: small sizes, few repeats; not comparable with a full run)\n\n"
                   + results)
    if args.out:
        args.out.write_text(results)
    if args.write:
        write_doc(results)
        print(f"updated {DOC}")
    return 0


def _optional_torch():  # noqa: ANN202 - the torch module or None
    try:
        import torch
    except ImportError:
        return None
    return torch


def write_doc(results: str) -> None:
    """Replace the generated block of docs/performance.md, keeping the prose around it."""
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{DOC} lacks the markers {BEGIN} ... {END}")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(f"{head}{BEGIN}\n{results}{END}{tail}")


if __name__ == "__main__":
    sys.exit(main())
