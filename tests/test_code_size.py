"""The code stays readable in one sitting: size limits on functions and modules, and the graph
engine keeps few objects per op.

Lines of code are counted without blank lines, comment lines and docstrings: what a reader has
to read as code.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import tinygrad_lr as t

PACKAGE = Path(t.__file__).parent
CORE = PACKAGE / "core"

MAX_MODULE_LINES = 700
MAX_CORE_FUNCTION = 40  # the Tensor, the engine and the op table
MAX_FUNCTION = 60  # anywhere in the package


def lines_of_code(source: list[str], node: ast.FunctionDef) -> int:
    docstring: set[int] = set()
    first = node.body[0] if node.body else None
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):  # fmt: skip
        docstring = set(range(first.lineno, first.end_lineno + 1))
    return sum(1 for i in range(node.lineno, node.end_lineno + 1)
               if i not in docstring and source[i - 1].strip()
               and not source[i - 1].strip().startswith("#"))  # fmt: skip


def functions() -> list[tuple[Path, str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((path, node.name, lines_of_code(source, node)))
    return found


def test_the_counter_counts_code_only():
    source = ['def f():', '    """Doc', '    string."""', '', '    # a comment', '    x = 1',
              '    return x']  # fmt: skip
    (node,) = ast.parse("\n".join(source)).body
    assert lines_of_code(source, node) == 3


def test_no_module_is_longer_than_700_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_core_function_is_longer_than_40_lines_of_code():
    long = [f"{p.relative_to(PACKAGE)}:{name} ({n})" for p, name, n in functions()
            if CORE in p.parents and n > MAX_CORE_FUNCTION]  # fmt: skip
    assert not long, f"core functions over {MAX_CORE_FUNCTION} lines of code: {long}"


def test_no_function_in_the_package_is_longer_than_60_lines_of_code():
    long = [f"{p.relative_to(PACKAGE)}:{name} ({n})" for p, name, n in functions()
            if n > MAX_FUNCTION]  # fmt: skip
    assert not long, f"functions over {MAX_FUNCTION} lines of code: {long}"


@pytest.mark.parametrize("name, limit", [("apply", 30), ("run_backward", 40)])
def test_the_engine_reads_in_one_sitting(name, limit):
    sizes = {fn: n for p, fn, n in functions() if p == CORE / "engine.py"}
    assert sizes[name] <= limit


def tracked_objects_per_op(n: int) -> float:
    # In a fresh interpreter: CPython stores an object's attributes without a dict of their own
    # only while every instance of its class sets them in one order, so what other tests did
    # to the op classes would change the count.
    code = f"""
import gc
import tinygrad_lr as t
gc.collect()
before = len(gc.get_objects())
h = t.tensor([1.0, 2.0], requires_grad=True)
for _ in range({n}):
    h = h * 1.0001
gc.collect()
print((len(gc.get_objects()) - before) / {n})
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PACKAGE.parent, check=True)  # fmt: skip
    return float(done.stdout)


def test_a_recorded_op_keeps_at_most_three_objects_the_collector_walks():
    # The node, the tuple of its inputs, and what it saved (here the shared constant 1.0001):
    # the arrays, shapes and numbers it keeps are not objects that the collector tracks.
    assert tracked_objects_per_op(2_000) <= 3.01
