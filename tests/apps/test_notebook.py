"""examples/linear_regression.ipynb: committed without outputs, and run top to bottom in a real
Jupyter kernel, as a learner would run it; any cell that raises fails the test.

The kernel is this test run's own Python (`sys.executable`, so the virtual environment with the
package and its dev extra): a kernelspec naming it is written into a temporary folder, so nothing
needs to be installed beforehand and no kernel of the machine's is used. Cells run in a temporary
working directory (the notebook writes `out/backward/` there).

The notebook checks its own numbers (autograd against the hand gradients, the closed form against
numpy's least squares, Newton's step against it, its result against `tinygrad-lr train`'s) with
asserts; these tests check what a learner sees: the pictures inline, the line redrawn in place,
the backward explorer's page, the Hessian's numbers, no warnings. The last tests
check the README's command that installs JupyterLab and opens the notebook, without a browser.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the dev extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient comes with the dev extra")
pytest.importorskip("ipykernel", reason="ipykernel comes with the dev extra")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "linear_regression.ipynb"
KERNEL_NAME = "tinygrad-lr-tests"
CELL_TIMEOUT = 60  # seconds; the whole notebook runs in a few


def read_notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_committed_notebook_has_no_outputs():
    # Outputs (pictures as base64) would make every diff unreadable; they are made by running it.
    nb = read_notebook()
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"cell {cell.id} has outputs: clear them before committing"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids)


def kernel_manager(tmp_path: Path) -> KernelManager:
    """A manager for a kernel that runs this very Python, from a kernelspec made for the test."""
    spec_dir = tmp_path / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "tinygrad-lr tests", "language": "python"}  # fmt: skip
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


def run_notebook(tmp_path: Path):
    nb = read_notebook()
    workdir = tmp_path / "work"
    workdir.mkdir()
    client = nbclient.NotebookClient(
        nb, km=kernel_manager(tmp_path), timeout=CELL_TIMEOUT, startup_timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(workdir)}},  # the kernel's working directory
    )  # fmt: skip
    client.execute()  # raises CellExecutionError, with the cell's traceback, if a cell raises
    return {cell.id: cell for cell in nb.cells}, workdir


def displayed(cell, mime: str) -> list:
    return [out["data"][mime] for out in cell.outputs
            if out["output_type"] in ("display_data", "execute_result") and mime in out["data"]]


def printed(cell) -> str:
    return "".join(out["text"] for out in cell.outputs
                   if out["output_type"] == "stream" and out["name"] == "stdout")  # fmt: skip


@pytest.fixture
def kernel_env(monkeypatch):
    # The kernel inherits this process's environment. An MPLBACKEND set for the headless tests
    # (Agg) would stop the kernel's inline backend from showing figures.
    monkeypatch.delenv("MPLBACKEND", raising=False)


def check_common_cells(cells) -> None:
    for cell in cells.values():
        if cell.cell_type == "code":
            assert all(out["output_type"] != "error" for out in cell.outputs)
            stderr = [out["text"] for out in cell.outputs
                      if out["output_type"] == "stream" and out["name"] == "stderr"]  # fmt: skip
            assert not stderr, f"cell {cell.id} wrote to stderr (a warning?): {stderr}"
    assert len(displayed(cells["data"], "image/png")) == 1
    # The hand loop drew its line 10 times, each clear_output(wait=True) removing the last one:
    # one picture is left, the line after step 450.
    hand = cells["hand"]
    assert len(displayed(hand, "image/png")) == 1
    assert "w: " in printed(hand) and "b: " in printed(hand)
    assert "largest |autograd − hand| over 500 steps" in printed(cells["autograd"])
    assert len(displayed(cells["lines"], "image/png")) == 1
    # A cell ending with tensors shows their repr, as text only.
    (result,) = [out for out in cells["repr"].outputs if out["output_type"] == "execute_result"]
    assert set(result["data"]) == {"text/plain"}
    assert result["data"]["text/plain"].startswith("(tensor([[")
    assert "requires_grad=True" in result["data"]["text/plain"]
    assert "closed form (2000 samples)" in printed(cells["closed"])
    check_newton(printed(cells["newton"]))
    assert "tinygrad-lr train:" in printed(cells["cli"])


def training_samples(seed=1000, steps=500, batch=4):
    """The notebook's 2,000 training samples, drawn from numpy's Generator as manual_seed(seed)
    makes it: w, then each batch, and 100 samples for the picture every 50 steps."""
    rng = np.random.default_rng(seed)
    rng.random((1, 1), dtype=np.float32)
    xs, ys = [], []
    for step in range(steps):
        x = rng.random((batch, 1), dtype=np.float32) * np.float32(5)
        noise = rng.standard_normal((batch, 1), dtype=np.float32)
        xs.append(x)
        ys.append(x * np.float32(2) + np.float32(3) + noise)
        if step % 50 == 0:
            rng.random((100, 1), dtype=np.float32)
            rng.standard_normal((100, 1), dtype=np.float32)
    return np.concatenate(xs).astype(np.float64), np.concatenate(ys).astype(np.float64)


def check_newton(text: str) -> None:
    # The Hessian printed twice, by autograd and by hand: [[Σx², Σx], [Σx, n]] of the samples.
    x, y = training_samples()
    expected = [np.sum(x * x), np.sum(x), np.sum(x), len(x)]
    lines = text.splitlines()
    for start in ("Hessian by autograd:", "by hand, [[Σx², Σx], [Σx, n]]:"):
        (line,) = [s for s in lines if s.startswith(start)]
        numbers = [float(v) for v in re.findall(r"\d+\.\d+", line[len(start):])]
        np.testing.assert_allclose(numbers, expected, atol=0.006)  # rounded to 2 decimals
    # One Newton step lands on numpy's least squares, to the 6 decimals printed.
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.hstack([x, np.ones_like(x)]), y[:, 0], rcond=None)
    assert f"one Newton step:  w = {w_ls:.6f}   b = {b_ls:.6f}" in lines
    assert f"least squares:    w = {w_ls:.6f}   b = {b_ls:.6f}" in lines
    assert re.search(r"condition number of H: (3\d|4\d)$", text, re.MULTILINE)  # "about 40"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
def test_the_notebook_runs_top_to_bottom_with_its_pictures_inline(tmp_path, kernel_env):
    cells, workdir = run_notebook(tmp_path)
    check_common_cells(cells)
    assert "Graphviz dot: found" in printed(cells["imports"])
    # The backward explorer, before backward(): its page inline, in a frame of its own.
    (page,) = displayed(cells["explorer"], "text/html")
    assert page.startswith("<iframe srcdoc=") and 'title="backward explorer"' in page
    assert "data-grad-of=&quot;w&quot;" in page and "data-grad-of=&quot;b&quot;" in page
    assert displayed(cells["explorer"], "text/plain")[0].startswith("<BackwardExplorer: ")
    # The computation graph is the cell's value, shown as an SVG picture.
    (svg,) = displayed(cells["graph"], "image/svg+xml")
    assert svg.lstrip().startswith("<?xml") and "expand" in svg and "y_pred" in svg
    # The walk-through: each step in words, three frames and the GIF inline, the files written.
    steps = printed(cells["frames"])
    assert steps.count("Backward step") == 7 and "Backward step 6 of 7: expand" in steps
    assert len(displayed(cells["frames-show"], "image/png")) == 3
    assert len(displayed(cells["frames-show"], "image/gif")) == 1
    frames = sorted((workdir / "out" / "backward").glob("step_*.png"))
    assert len(frames) == 7 and (workdir / "out" / "backward" / "backward.gif").is_file()


def test_without_dot_the_notebook_says_so_and_runs_on(tmp_path, kernel_env, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # the kernel starts from sys.executable's full path
    cells, workdir = run_notebook(tmp_path)
    check_common_cells(cells)
    assert "Graphviz dot: NOT FOUND" in printed(cells["imports"])
    assert "the explorer cannot be drawn here" in printed(cells["explorer"])
    assert not displayed(cells["explorer"], "text/html")
    (note,) = displayed(cells["graph"], "text/plain")
    assert note.startswith("The computation graph cannot be drawn here.")
    assert "apt-get install graphviz" in note
    assert not displayed(cells["graph"], "image/svg+xml")
    assert "cannot be drawn here" in printed(cells["frames"])
    assert cells["frames-show"].outputs == []
    assert not (workdir / "out").exists()


# ---------------------------------------------------------------------------------------------
# Opening it: the README's command on a fresh clone
# ---------------------------------------------------------------------------------------------

ROOT = NOTEBOOK.parents[1]
OFFLINE_SIGNS = (
    "NewConnectionError", "Failed to establish a new connection", "Temporary failure in name "
    "resolution", "Name or service not known", "nodename nor servname", "Network is unreachable",
    "No route to host", "ConnectTimeoutError", "ReadTimeoutError", "ProxyError",
    "No matching distribution found",
)  # fmt: skip


def test_the_readme_command_installs_the_notebook_extra_and_opens_the_notebook():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest brings tomli there
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = " ".join(project["project"]["optional-dependencies"]["notebook"])
    assert "jupyterlab" in extra and "ipykernel" in extra
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n    bash scripts/notebook.sh\n" in readme
    assert ".venv/bin/jupyter lab examples/" not in readme.replace("\n", " ").replace(
        "`.venv/bin/jupyter lab examples/linear_regression.ipynb`", "")  # the old, failing one
    script = (ROOT / "scripts" / "notebook.sh").read_text(encoding="utf-8")
    assert "install_package notebook" in script
    assert 'exec "$VENV/bin/jupyter" lab "$@" examples/linear_regression.ipynb' in script


@pytest.mark.notebook_install
def test_the_notebook_command_installs_a_working_jupyterlab_into_a_fresh_environment(tmp_path):
    # Everything `bash scripts/notebook.sh` does but open the browser: a fresh environment (a
    # temporary one, not .venv), the package with its notebook extra, then `jupyter lab
    # --version`.
    env = {**os.environ, "TINYGRAD_LR_VENV": str(tmp_path / "venv")}
    try:
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "notebook.sh"), "--check"],
                              capture_output=True, text=True, timeout=600, env=env)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("scripts/notebook.sh --check did not finish in 600 s")
    output = proc.stdout + proc.stderr
    offline = [line for line in output.splitlines() if any(s in line for s in OFFLINE_SIGNS)]
    if proc.returncode != 0 and offline:
        pytest.skip(f"installing JupyterLab needs PyPI or pip's cache: {offline[-1][:300]}")
    assert proc.returncode == 0, output[-6000:]
    version = proc.stdout.split("==> jupyter lab --version\n", 1)[1].splitlines()[0]
    assert re.fullmatch(r"4\.\d+\.\d+\S*", version), output[-3000:]
    assert (tmp_path / "venv" / "bin" / "jupyter-lab").exists()
