"""The seed step of two (or more) git revisions of tinygrad_lr, alternated in one process.

    python benchmarks/compare_revisions.py 0116040 HEAD            # 11 rounds
    python benchmarks/compare_revisions.py 0116040 HEAD --rounds 21

Timings on a shared machine drift by tens of percent from one minute to the next, so two versions
timed one after the other cannot be compared. Here each revision's package is copied out of git
under a name of its own (tinygrad_lr_<rev>, its imports rewritten to match) and all of them are
imported into this process; each round times every revision once (2,000 seed steps, as in
`python -m benchmarks`), and the ratio of each to the first is taken within the round. The median
of those per-round ratios is what a change bought; the spread shows how far to trust it.

(Several copies of the package in one process run a little slower than one alone, the
interpreter's caches being shared, so the absolute times here are not those of the benchmark.)
"""

from __future__ import annotations

import argparse
import importlib
import io
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import seed_step  # noqa: E402
from benchmarks.seed_step import SeedData, make_data  # noqa: E402


def export(rev: str, into: Path) -> str:
    """Copy `rev`'s tinygrad_lr into `into` as its own package; return the package's name."""
    name = "tinygrad_lr_" + re.sub(r"\W", "_", rev)
    archive = subprocess.run(["git", "archive", rev, "tinygrad_lr"], cwd=ROOT, check=True,
                             capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into / "src", filter="data")
    package = into / name
    (into / "src" / "tinygrad_lr").rename(package)
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\btinygrad_lr\b", name, text), encoding="utf-8")
    return name


def seed_steps(package: str, data: SeedData) -> Callable[[], float]:
    """One run of the benchmark's seed step with `package`: µs per step."""
    tg = importlib.import_module(package)
    return lambda: seed_step.autograd_steps(tg, data)[0] / len(data.xs) * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="+", help="git revisions; the first is the baseline")
    parser.add_argument("--rounds", type=int, default=11, help="rounds (default 11)")
    args = parser.parse_args(argv)
    if len(args.revisions) < 2:
        parser.error("give at least two revisions to compare")
    data = make_data(2000)
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, tmp)
        runs = {rev: seed_steps(export(rev, Path(tmp)), data) for rev in args.revisions}
        for run in runs.values():
            run()  # warm-up
        times: dict[str, list[float]] = {rev: [] for rev in runs}
        for _ in range(args.rounds):
            for rev, run in runs.items():
                times[rev].append(run())
    base = args.revisions[0]
    print(f"seed step, µs per step over {args.rounds} alternated rounds; ratio to {base} taken "
          "within each round")
    for rev, samples in times.items():
        ratios = sorted(t / b for t, b in zip(samples, times[base]))
        print(f"{rev:>12}  best {min(samples):6.1f}  median {statistics.median(samples):6.1f}  "
              f"ratio median {statistics.median(ratios):.3f} "
              f"(from {ratios[0]:.3f} to {ratios[-1]:.3f})")


if __name__ == "__main__":
    main()
