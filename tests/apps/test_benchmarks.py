"""`python -m benchmarks --quick` runs and prints its tables with finite numbers.

Only the benchmark's working is checked here, never a speed: timings belong to the benchmark
itself (docs/performance.md), not to tests.
"""

import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rows(output: str, title: str) -> list[list[str]]:
    """The body rows of the first markdown table after the heading containing `title`."""
    lines = output.split(title, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:  # after the header and the rule
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _number(cell: str) -> float:
    return float(cell.rstrip("×").replace(",", ""))


def test_quick_benchmark_prints_every_table_with_finite_numbers(tmp_path):
    out_file = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out_file.read_text().startswith("(quick run")

    seed = _rows(out, "### 1. The seed step")
    names = [r[0] for r in seed]
    assert names[:5] == ["numpy by hand (floor: the faster of the two below, in each round)",
                         "numpy by hand, `@`", "numpy by hand, `.dot`", "tinygrad_lr autograd",
                         "tinygrad_lr autograd, `.data.sub_` form"]  # fmt: skip
    for row in seed:
        best, median, ratio = (_number(c) for c in row[1:4])
        assert all(math.isfinite(v) and v > 0 for v in (best, median, ratio))
        assert best <= median
    assert "All variants end with the same w and b." in out

    full = _rows(out, "### 2. Full batch")
    assert {r[1] for r in full} >= {"numpy by hand, `@`", "numpy by hand, `.dot`",
                                    "tinygrad_lr autograd"}  # fmt: skip
    assert len({r[0] for r in full}) == 2  # two data sets
    for row in full:
        assert math.isfinite(_number(row[2])) and row[6] == "yes"
        if row[1] != "PyTorch autograd":
            assert 0 < _number(row[5]) < 100  # peak memory as a multiple of the data

    graph = _rows(out, "### 3. Graph size")
    assert sorted({r[0] for r in graph}) == ["chain", "tree"]
    for row in graph:
        assert _number(row[1]) > 0 and math.isfinite(_number(row[2])) and _number(row[2]) > 0
        assert math.isfinite(_number(row[5]))
    assert re.search(r"Render a [\d,]+-node graph .*: (n/a \(.*\)|[\d.]+ ms best)", out)

    build = _rows(out, "Building a chain")
    assert "tinygrad_lr" in {r[0] for r in build}
    for row in build:
        assert all(math.isfinite(_number(c)) and _number(c) > 0 for c in row[1:])

    targets = _rows(out, "### Targets")
    assert any(r[0].startswith("seed step: tinygrad_lr / floor") for r in targets)
    assert all(r[3] in ("met", "NOT met", "n/a") for r in targets)


def test_quick_run_refuses_to_rewrite_the_documented_results():
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--write"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode != 0 and "--write" in proc.stderr


def test_compare_revisions_times_two_revisions_side_by_side():
    # The same code under two names: both run, and the ratio is reported per revision.
    proc = subprocess.run(
        [sys.executable, "benchmarks/compare_revisions.py", "HEAD", "HEAD~0", "--rounds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3 and lines[1].split()[0] == "HEAD" and lines[2].split()[0] == "HEAD~0"
    ratio = float(re.search(r"ratio median ([\d.]+)", lines[2]).group(1))
    assert 0 < ratio < 10
