"""The seed program runs unchanged on the package and fits y = 2x + 3."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed_manual_gradients.py"


def test_seed_differs_from_the_original_only_in_its_import():
    original = ROOT.parent / "shared" / "seed" / "seed_linear_regression.py"
    ours = SEED.read_text().splitlines()
    assert "import tinygrad_lr as t" in ours
    if original.exists():  # the shared folder sits beside the checkout in development and CI
        theirs = original.read_text().splitlines()
        diff = [(a, b) for a, b in zip(theirs, ours) if a != b]
        assert len(theirs) == len(ours)
        assert diff == [("import torch as t", "import tinygrad_lr as t")]


def test_seed_runs_and_fits(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SEED)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"w:\s+(\S+) b:\s+(\S+)", last)
    assert m, last
    w, b = float(m.group(1)), float(m.group(2))
    assert abs(w - 2) < 0.5 and abs(b - 3) < 0.5
    assert (tmp_path / "seed_fit.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
