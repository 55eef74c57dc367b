"""What every benchmark shares: timing (best-of-N and median), machine facts, markdown tables."""

from __future__ import annotations

import datetime
import importlib
import math
import os
import platform
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# numpy is imported inside the functions that use it: `python -m benchmarks --threads N` must set
# the BLAS thread count before numpy is first imported.

@dataclass
class Timing:
    """Seconds per unit of work over several repeats: the best (least disturbed) and the median."""

    best: float
    median: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Timing:
        return cls(min(samples), statistics.median(samples))


def interleaved(runs: dict[str, Callable[[], float]], repeats: int,
                floor: tuple[str, str, str] | None = None) -> dict[str, Timing]:  # fmt: skip
    """Time each run `repeats` times, taking turns (a, b, c, a, b, c, ...).

    Taking turns spreads any slow spell of the machine over all variants alike, instead of
    penalising whichever happened to run during it. Each run returns its own elapsed seconds per
    unit, so that set-up outside its clock is not counted.

    `floor = (name, a, b)` adds the timing `name`: in each round, the faster of runs a and b (two
    hand-written numpy spellings of the same step, either of which may win on a given machine).
    """
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            samples[name].append(run())
    timings = {name: Timing.of(s) for name, s in samples.items()}
    if floor is not None:
        name, a, b = floor
        timings = {name: Timing.of([min(x, y) for x, y in zip(samples[a], samples[b])]),
                   **timings}  # fmt: skip
    return timings


def optional_module(name: str):  # noqa: ANN201 - a module or None
    """Import a peer library if it is installed; None otherwise (peers are never required)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas() -> str:
    import numpy as np

    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{deps.get('name', '?')} {deps.get('version', '')}".strip()
    except Exception:  # older numpy: no dict form of the build configuration
        return "unknown"


def machine_facts() -> dict[str, str]:
    """The facts a reader needs to compare these numbers with their own."""
    import numpy as np

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts = {
        "date": datetime.date.today().isoformat(),
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} ({usable} usable by this process)",
        "Python": platform.python_version(),
        "numpy": np.__version__,
        "numpy's BLAS": _blas(),
    }
    if hasattr(os, "getloadavg"):  # other work on the machine disturbs the timings
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        facts["load average (1, 5, 15 min) at start"] = load
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        facts[var] = os.environ.get(var, "unset")
    torch = optional_module("torch")
    if torch is not None:
        threads = torch.get_num_threads()
        facts["PyTorch"] = f"{torch.__version__}, {threads} thread{'s' if threads != 1 else ''}"
    else:
        facts["PyTorch"] = "not installed"
    micrograd = optional_module("micrograd")
    facts["micrograd"] = "installed" if micrograd else "not installed"
    return facts


def fmt_number(value: float | None, digits: int = 3) -> str:
    """A number for a table: about `digits` significant figures, or 'n/a'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    return f"{value:.{decimals}f}"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.2f}×"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], names: int = 1) -> str:
    """A pipe table, padded so that it also reads well in a terminal.

    The first `names` columns are left-aligned (labels), the others right-aligned (numbers).
    """
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    right = [i >= names for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2))
                          for w, r in zip(widths, right)) + "|"  # fmt: skip
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
