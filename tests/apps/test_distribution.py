"""The package as a user gets it: `python -m build` makes an sdist and a wheel, and the wheel,
installed into a fresh virtual environment with no checkout on its path, runs the flagship.

How the install test stays honest and fast enough (one test, marked `dist`, about 30 s):
- The build is the real one, `python -m build`: an isolated build environment with the
  `build-system.requires` of pyproject.toml, first the sdist, then the wheel built *from the
  sdist*, so a file the sdist forgot would break the wheel here.
- The fresh environment is a plain `python -m venv` (not `--system-site-packages`, which would
  let it see this test run's packages and the checkout's editable install). `pip install` of the
  wheel fetches numpy, graphviz and matplotlib as a user's pip would: from PyPI, or from pip's
  cache, which the set-up of the test environment has just filled with the same wheels.
- The commands run from an empty temporary folder with PYTHONPATH unset, and the test checks
  that `tinygrad_lr` is imported from the fresh environment's site-packages.
- With no network and nothing in pip's cache the test is skipped, saying so; any other failure
  (a bad build, a missing dependency, a command that fails) fails it.
Leave it out with `pytest -m "not dist"`.
"""

import contextlib
import io
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import tinygrad_lr
from tinygrad_lr.apps import cli

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest brings tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tinygrad_lr"
VERSION = tinygrad_lr.__version__
STEP_TIMEOUT = 600  # seconds for one command; a hang fails the test instead of the whole run
OFFLINE_SIGNS = (
    "NewConnectionError", "Failed to establish a new connection", "Temporary failure in name "
    "resolution", "Name or service not known", "nodename nor servname", "Network is unreachable",
    "No route to host", "ConnectTimeoutError", "ReadTimeoutError", "ProxyError",
)  # fmt: skip


def package_files() -> set[str]:
    """The files the package is made of, as paths inside a wheel: every module, py.typed, and
    the explorer page's template, style and script (viz/explorer/)."""
    files = {p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    return {p.relative_to(ROOT).as_posix() for p in files
            if p.suffix in (".py", ".typed", ".html", ".css", ".js")}  # fmt: skip


def test_the_version_comes_from_one_place_and_the_command_prints_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "tinygrad_lr.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert out.getvalue() == f"tinygrad-lr {VERSION}\n"


def test_py_typed_is_declared_as_package_data():
    # Type checkers read a package's hints only when it ships this marker file.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["tinygrad_lr"]
    assert (PACKAGE / "py.typed").is_file()


def run(cmd: list, what: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a command; skip when it failed for want of a network, fail on any other failure."""
    try:
        proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                              timeout=STEP_TIMEOUT, **kwargs)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} did not finish in {STEP_TIMEOUT} s: {' '.join(map(str, cmd))}")
    if proc.returncode != 0:
        output = proc.stdout + proc.stderr
        evidence = [line.strip() for line in output.splitlines()
                    if any(sign in line for sign in OFFLINE_SIGNS)]  # fmt: skip
        if evidence:
            pytest.skip(f"{what} needs PyPI or pip's cache, and neither could supply the "
                        f"packages (no network?): {evidence[-1][:300]}")  # fmt: skip
        pytest.fail(f"{what} failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n"
                    f"{output[-6000:]}")  # fmt: skip
    return proc


def check_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        dist_info = f"tinygrad_lr-{VERSION}.dist-info"
        metadata = zf.read(f"{dist_info}/METADATA").decode()
        entry_points = zf.read(f"{dist_info}/entry_points.txt").decode()
    package = {n for n in names if not n.startswith(dist_info + "/")}
    # Exactly the package: every module of every subpackage, py.typed, and nothing else (no
    # tests, examples or docs, no caches).
    assert package == package_files()
    assert {"tinygrad_lr/py.typed", "tinygrad_lr/nn/__init__.py",
            "tinygrad_lr/viz/__init__.py"} <= package  # fmt: skip
    assert f"\nVersion: {VERSION}\n" in metadata
    assert "Requires-Python: >=3.10" in metadata
    for dependency in ("numpy", "graphviz", "matplotlib"):
        assert re.search(rf"^Requires-Dist: {dependency}\b[^;]*$", metadata, re.M), dependency
    assert re.search(r"^tinygrad-lr = tinygrad_lr\.apps\.cli:main$", entry_points, re.M)
    assert f"{dist_info}/licenses/LICENSE" in names  # the licence text travels with the wheel


def check_sdist(sdist: Path) -> None:
    top = f"tinygrad_lr-{VERSION}"
    with tarfile.open(sdist) as tf:
        names = {m.name.removeprefix(top + "/") for m in tf.getmembers() if m.isfile()}
    assert {"PKG-INFO", "README.md", "pyproject.toml", "LICENSE"} <= names
    assert package_files() <= names
    strays = [n for n in names if n.split("/")[0] in ("tests", "examples", "docs", ".venv")
              or "__pycache__" in n or n.endswith(".pyc")]  # fmt: skip
    assert not strays


@pytest.mark.dist
def test_the_wheel_installs_into_a_fresh_venv_and_runs_the_flagship(tmp_path):
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, ROOT], "python -m build")
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    assert wheel.name == f"tinygrad_lr-{VERSION}-py3-none-any.whl"
    assert sdist.name == f"tinygrad_lr-{VERSION}.tar.gz"
    check_wheel(wheel)
    check_sdist(sdist)
    print(f"\nwheel: {wheel.name}, {wheel.stat().st_size / 1024:.1f} KiB; "
          f"sdist: {sdist.stat().st_size / 1024:.1f} KiB")

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], "creating a virtual environment")
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel],
        "pip install of the wheel and its dependencies")

    # From an empty folder, with nothing on PYTHONPATH: only the installed wheel can answer.
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"

    def command(*args: object, what: str) -> str:
        return run(list(args), what, cwd=workdir, env=env).stdout

    where = command(python, "-c", "import tinygrad_lr; print(tinygrad_lr.__file__)",
                    what="import tinygrad_lr").strip()  # fmt: skip
    assert Path(where).resolve().is_relative_to(venv.resolve())
    assert not Path(where).resolve().is_relative_to(ROOT)

    tool = bin_dir / "tinygrad-lr"
    assert command(tool, "--version", what="tinygrad-lr --version") == f"tinygrad-lr {VERSION}\n"

    out = workdir / "out"
    report = command(tool, "train", "--steps", "50", "--out", out, what="tinygrad-lr train")
    assert "largest |autograd − hand| gradient difference" in report
    assert re.search(r"^w:  \S+ b:  \S+$", report.strip().splitlines()[-1])
    written = {p.name for p in out.iterdir()}
    expected = {"fit_grid.png", "fit_animation.gif", "loss_curve.png", "loss_surface.png",
                "params.npz"}  # fmt: skip
    if "computation graph: not drawn" not in report:  # drawn only where Graphviz's dot exists
        expected |= {"graph.svg", "graph.png", "explain.html"}
    assert written == expected
    assert (out / "fit_grid.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    dot_file = workdir / "graph.dot"
    command(tool, "graph", "-o", dot_file, what="tinygrad-lr graph")
    source = dot_file.read_text(encoding="utf-8")
    assert source.startswith("digraph")
    for label in ("mm", "expand", "y_pred", "loss"):
        assert f"<B>{label}</B>" in source, label
