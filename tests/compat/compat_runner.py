"""Running the compatibility programs and comparing what they print.

Each program in `programs/` is a plain PyTorch script whose only PyTorch import is the line
`import torch`. It runs in two ways:

- as written, on PyTorch (only where PyTorch is installed): this is how `record.py` makes the
  expected outputs in `expected/`;
- with that one line changed to `import tinygrad_lr as torch` and nothing else changed: this is
  what a user of tinygrad_lr does, and what `test_programs.py` checks.

Either way the program runs in a fresh Python process, from a copy written to a scratch folder,
with this checkout first on the import path.

Two outputs agree when they have the same lines, the same text around the numbers, and numbers
that agree within `REL_TOL` relative or one unit in the expected number's last printed digit,
whichever is larger. Numbers printed without a decimal point or exponent (counts, shapes,
iteration numbers) must be equal.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
EXPECTED = HERE / "expected"
ROOT = HERE.parent.parent

RECORD_COMMAND = "python tests/compat/record.py"
TORCH_IMPORT = "import torch"
OUR_IMPORT = "import tinygrad_lr as torch"

# float32 carries about 7 significant digits; a program that runs a few thousand steps and
# adds up a few thousand terms at each step may move its printed results by some units in the
# sixth digit when the additions are done in another order. 1e-4 leaves room for that and still
# catches any difference in what was computed.
REL_TOL = 1e-4

TIMEOUT_S = 300

NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:nan|inf)(?![\w.])"
    r"|[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
)
HEADER = "# "


def program_names() -> list[str]:
    return sorted(path.stem for path in PROGRAMS.glob("*.py"))


def program_source(name: str) -> str:
    return (PROGRAMS / f"{name}.py").read_text(encoding="utf-8")


def with_our_import(source: str) -> str:
    """The program with its `import torch` line, and only that line, changed."""
    lines = source.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == TORCH_IMPORT]
    if len(found) != 1:
        raise ValueError(f"expected exactly one line {TORCH_IMPORT!r}, found {len(found)}")
    lines[found[0]] = OUR_IMPORT + lines[found[0]][len(TORCH_IMPORT) :]
    return "".join(lines)


def other_torch_imports(source: str) -> list[str]:
    """Lines that import something from PyTorch other than the one `import torch` line: the
    import change would not reach them."""
    pattern = re.compile(r"^\s*(?:from\s+torch\b|import\s+torch\b(?!\s*$))")
    return [line for line in source.splitlines() if pattern.match(line)]


def run_program(name: str, backend: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run one program on "torch" (as written) or "tinygrad_lr" (import line changed)."""
    if backend not in ("torch", "tinygrad_lr"):
        raise ValueError(f"backend must be 'torch' or 'tinygrad_lr', not {backend!r}")
    source = program_source(name)
    if backend == "tinygrad_lr":
        source = with_our_import(source)
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / f"{name}.py"  # same name and line numbers as the original
    script.write_text(source, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "0"
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


# PyTorch prints the names of its types with its own prefix (torch.Size([16, 2]), torch.float32);
# tinygrad_lr prints the same names without it (Size([16, 2]), float32). That prefix is not a
# number, so it is left out of the comparison.
LIBRARY_PREFIX = re.compile(r"\btorch\.(?=[A-Za-z])")


def read_expected(name: str) -> str:
    return (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")


def without_header(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(HEADER)]


def _last_digit_unit(token: str) -> float:
    """The value of one unit in the last printed digit: 1e-6 for "9.268664e+00" or "0.836733"."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def _is_integer(token: str) -> bool:
    return re.fullmatch(r"[-+]?\d+", token) is not None


def numbers_agree(expected: str, actual: str) -> bool:
    e, a = float(expected), float(actual)
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return e == a
    if _is_integer(expected):
        return _is_integer(actual) and e == a
    # (the factor absorbs the binary rounding of the decimal difference itself)
    return abs(a - e) <= max(REL_TOL * abs(e), _last_digit_unit(expected)) * (1 + 1e-9)


def compare_outputs(expected: str, actual: str) -> list[str]:
    """Every disagreement between an expected output and an actual one, one message each."""
    want, got = without_header(expected), actual.splitlines()
    problems = []
    if len(want) != len(got):
        problems.append(f"{len(got)} lines printed, {len(want)} expected")
    for number, (w, g) in enumerate(zip(want, got), start=1):
        w, g = LIBRARY_PREFIX.sub("", w), LIBRARY_PREFIX.sub("", g)
        if NUMBER.sub("#", w) != NUMBER.sub("#", g):
            problems.append(f"line {number}: printed {g!r}, expected {w!r}")
            continue
        for w_num, g_num in zip(NUMBER.findall(w), NUMBER.findall(g)):
            if not numbers_agree(w_num, g_num):
                problems.append(f"line {number}: {g_num} where {w_num} was expected: {g!r}")
    return problems


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    tail = "\n".join(result.stderr.strip().splitlines()[-12:])
    return f"exit status {result.returncode}\nstdout:\n{result.stdout}\nstderr (end):\n{tail}"
