"""The pictures in docs/images/: `python -m tools.docs_images`, from the repository root.

Every picture that a page of the docs (docs/*.md) or the README shows is made here, by one
command, and nothing else is: `--check` makes them all again in a temporary folder and compares
the list of files (names, not bytes: PNG bytes differ between Graphviz and matplotlib versions)
with docs/images/ and with the pictures the pages reference. Needs Graphviz's `dot`.

* tutorial_graph.png: the first graph of docs/tutorial.md, L = (w·x + b − y)², with its values;
* graph_lr.png, graph_mlp.png, graph_folded.png: docs/graphs.md's examples of `draw_graph`'s
  options (rankdir="LR" with values and gradients; names from a Module; a 300-op loop folded);
* flagship_graph.svg / .png: one training step of the flagship (`tinygrad-lr graph`), after
  backward(), with the values and the gradients of w and b;
* backward_step_*.png and backward.gif: the backward pass of that step, frame by frame;
* flagship_fit_grid.png, flagship_fit_animation.gif, flagship_loss_curve.png,
  flagship_loss_surface.png: what `tinygrad-lr train` writes at its defaults (the seed's run);
* explorer.png: docs/explorer.md's backward explorer page in Chromium (tools/explorer_screenshot.py;
  needs Chromium and Playwright too).

The graphs drawn for a page are built by the same code the page shows; tests/docs/test_docs.py
checks that each one prints, with `graph_text`, what the page prints for it. Each maker writes its
pictures into the output folder and returns their paths; add a maker to `MAKERS` to add pictures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinygrad_lr import nn
from tinygrad_lr.apps.graph_cli import flagship_step
from tinygrad_lr.core import creation
from tinygrad_lr.core.tensor import Tensor
from tinygrad_lr.viz import GraphvizNotFoundError, backward_frames, draw_graph
from tools.explorer_screenshot import BrowserNotFoundError, screenshot

#: The walk-through frames kept for the docs: the start (g = 1 at the loss), the expand that
#: sums b's gradient over the batch, and the mm that gives w's gradient (dw = xᵀ @ g).
WALKTHROUGH_STEPS = (1, 6, 7)

#: What `tinygrad-lr train` writes, and the names the pictures get in docs/images/.
FLAGSHIP_PICTURES = {
    "fit_grid.png": "flagship_fit_grid.png",
    "fit_animation.gif": "flagship_fit_animation.gif",
    "loss_curve.png": "flagship_loss_curve.png",
    "loss_surface.png": "flagship_loss_surface.png",
}


# ---------------------------------------------------------------------------------------------
# The graphs the pages build (the same code as on the page)
# ---------------------------------------------------------------------------------------------


def tutorial_graph() -> tuple[Tensor, dict[str, Tensor]]:
    """docs/tutorial.md, section 1: L = (w·x + b − y)² at x = 2, y = 5, w = 3, b = 1.

    Returns (loss, the tensors the page keeps in variables): the intermediates must stay alive
    for their values to be drawn, as they are in the page's session.
    """
    x = creation.tensor(2.0, name="x")
    y = creation.tensor(5.0, name="y")
    w = creation.tensor(3.0, requires_grad=True, name="w")
    b = creation.tensor(1.0, requires_grad=True, name="b")
    y_hat = w * x + b
    err = y_hat - y
    loss = err ** 2
    return loss, {"x": x, "y": y, "w": w, "b": b, "y_hat": y_hat, "err": err}


class TwoLayer(nn.Module):
    """docs/graphs.md's small network: 2 inputs, 3 tanh units, 1 output."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.out = nn.Linear(3, 1)

    def forward(self, x: Tensor) -> Tensor:
        """out(tanh(hidden(x)))."""
        return self.out(self.hidden(x).tanh())


def mlp_graph() -> tuple[Tensor, TwoLayer]:
    """docs/graphs.md: the mean squared error of `TwoLayer` on 8 random points, after backward."""
    creation.manual_seed(0)
    model = TwoLayer()
    x = creation.randn(8, 2)
    y = creation.randn(8, 1)
    x.name, y.name = "x", "y"
    loss = ((model(x) - y) ** 2).mean()
    loss.name = "loss"
    loss.backward()
    return loss, model


def loop_graph() -> Tensor:
    """docs/graphs.md: h ← tanh(w·h + 1), 100 times: 300 ops, folded when drawn."""
    w = creation.tensor(0.5, requires_grad=True, name="w")
    h = creation.tensor(0.0, name="h0")
    for _ in range(100):
        h = (w * h + 1.0).tanh()
    h.name = "h"
    return h


# ---------------------------------------------------------------------------------------------
# The makers
# ---------------------------------------------------------------------------------------------


def _write(graph: Any, path: Path) -> Path:
    path.write_bytes(graph.pipe(format=path.suffix[1:]))
    return path


def tutorial_pictures(out_dir: Path) -> list[Path]:
    """The tutorial's graph with its values (before backward), and docs/graphs.md's LR version
    of it (after backward, with the gradients)."""
    loss, _alive = tutorial_graph()
    paths = [_write(draw_graph(loss, show_data=True), out_dir / "tutorial_graph.png")]
    loss.backward()
    graph = draw_graph(loss, show_data=True, show_grad=True, rankdir="LR")
    paths.append(_write(graph, out_dir / "graph_lr.png"))
    return paths


def graphs_page_pictures(out_dir: Path) -> list[Path]:
    """docs/graphs.md: names from a Module with gradients, and a long loop folded."""
    loss, model = mlp_graph()
    paths = [_write(draw_graph(loss, params=model, show_grad=True), out_dir / "graph_mlp.png")]
    paths.append(_write(draw_graph(loop_graph()), out_dir / "graph_folded.png"))
    return paths


def flagship_graph(out_dir: Path) -> list[Path]:
    """The flagship's graph after backward(), with values and gradients, as SVG and PNG."""
    loss, _named = flagship_step()
    loss.backward()
    graph = draw_graph(loss, show_grad=True, show_data=True)
    return [_write(graph, out_dir / f"flagship_graph.{fmt}") for fmt in ("svg", "png")]


def walkthrough(out_dir: Path) -> list[Path]:
    """Three frames of the flagship's backward pass (see WALKTHROUGH_STEPS) and the whole GIF."""
    loss, _named = flagship_step()
    paths = []
    with tempfile.TemporaryDirectory() as tmp:
        walk = backward_frames(loss, tmp)
        for step in WALKTHROUGH_STEPS:
            path = out_dir / f"backward_step_{step}_{walk.ops[step - 1]}.png"
            shutil.copyfile(walk.frames[step - 1], path)
            paths.append(path)
        gif = out_dir / "backward.gif"
        shutil.copyfile(walk.gif, gif)
        paths.append(gif)
    return paths


def flagship_training(out_dir: Path) -> list[Path]:
    """The pictures `tinygrad-lr train` writes at its defaults (see FLAGSHIP_PICTURES)."""
    from tinygrad_lr.apps import train  # imports matplotlib: only when these pictures are made

    with tempfile.TemporaryDirectory() as tmp:
        report = io.StringIO()
        with contextlib.redirect_stdout(report):
            code = train.main(["--out", tmp])
        if code != 0:
            raise RuntimeError(f"tinygrad-lr train exited with {code}:\n{report.getvalue()}")
        paths = []
        for written, name in FLAGSHIP_PICTURES.items():
            path = out_dir / name
            shutil.copyfile(Path(tmp) / written, path)
            paths.append(path)
    return paths


def newton_picture(out_dir: Path) -> list[Path]:
    """docs/second_derivatives.md: Newton's one step and SGD's 500, from the example script."""
    import runpy

    example = runpy.run_path(str(Path(__file__).resolve().parents[1] / "examples"
                                 / "newton_linear_regression.py"))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        code = example["main"](["--out", tmp])
        if code != 0:
            raise RuntimeError(f"examples/newton_linear_regression.py exited with {code}")
        path = out_dir / "newton_vs_sgd.png"
        shutil.copyfile(Path(tmp) / "newton_vs_sgd.png", path)
    return [path]


MAKERS: list[Callable[[Path], list[Path]]] = [
    tutorial_pictures, graphs_page_pictures, flagship_graph, walkthrough, flagship_training,
    newton_picture, screenshot,
]  # fmt: skip


def make_all(out_dir: Path) -> list[Path]:
    """Run every maker into `out_dir` (created if needed); the paths written, in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [path for make in MAKERS for path in make(out_dir)]


# ---------------------------------------------------------------------------------------------
# Which pictures the pages reference
# ---------------------------------------------------------------------------------------------

#: A Markdown image `![alt](path "title")`, an HTML `<img src="path">`, and a Markdown link
#: `[text](path)` (a link to a picture also counts as a reference to it).
IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_HTML = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
LINK_MD = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def prose(markdown: str) -> str:
    """The page without its code blocks and inline code: links and images in code are examples,
    not references."""
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def is_local(target: str) -> bool:
    """Whether a link target is a path in the repository (not a URL, not an #anchor)."""
    return not re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) and not target.startswith("#")


def doc_pages(root: Path) -> list[Path]:
    """The pages whose pictures live in docs/images/: docs/*.md and the README."""
    return sorted((root / "docs").glob("*.md")) + [root / "README.md"]


def referenced_images(root: Path) -> dict[str, list[str]]:
    """Each file of docs/images/ that a page shows or links to -> the pages that do."""
    images_dir = (root / "docs" / "images").resolve()
    found: dict[str, list[str]] = {}
    for page in doc_pages(root):
        text = prose(page.read_text(encoding="utf-8"))
        for target in IMAGE_MD.findall(text) + IMAGE_HTML.findall(text) + LINK_MD.findall(text):
            if not is_local(target):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            if path.parent == images_dir:
                pages = found.setdefault(path.name, [])
                name = page.relative_to(root).as_posix()
                if name not in pages:
                    pages.append(name)
    return found


def check(root: Path, made: list[str]) -> list[str]:
    """What is wrong with docs/images/ under `root`, given the file names the makers produce:
    one line per problem, none when the folder, the makers and the pages agree."""
    images_dir = root / "docs" / "images"
    on_disk: set[str] = set()
    if images_dir.is_dir():
        on_disk = {p.name for p in images_dir.iterdir() if p.is_file()}
    shown = referenced_images(root)
    made_set = set(made)
    problems = [f"{name}: made by more than one maker" for name in sorted(made_set)
                if made.count(name) > 1]
    for name in sorted(made_set - on_disk):
        problems.append(f"{name}: made by this command but not in docs/images/ (run the command "
                        "and commit the result)")  # fmt: skip
    for name in sorted(on_disk - made_set):
        problems.append(f"{name}: in docs/images/ but made by no maker (delete it, or add a maker "
                        "to tinygrad_lr/docs_images.py)")  # fmt: skip
    for name in sorted(set(shown) - made_set):
        problems.append(f"{name}: shown by {', '.join(shown[name])} but made by no maker")
    for name in sorted(made_set - set(shown)):
        problems.append(f"{name}: made by this command but shown by no page (an orphan: drop its "
                        "maker, or show it)")  # fmt: skip
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write every picture of the docs (or, with --check, compare the list of them); the exit
    status is 1 if Graphviz's `dot` is missing or the check finds a problem."""
    parser = argparse.ArgumentParser(prog="python -m tools.docs_images",
                                     description="Make the pictures in docs/images/.")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write into (default: ROOT/docs/images)")  # fmt: skip
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the repository root (default: the current folder)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing: make the pictures in a temporary folder and check "
                             "that their names are exactly the files in docs/images/ and the "
                             "pictures the pages show")  # fmt: skip
    args = parser.parse_args(argv)
    if args.check and args.out is not None:
        parser.error("--check writes nothing: it takes no --out")
    if (args.check or args.out is None) and not (args.root / "docs").is_dir():
        print(f"error: {args.root.resolve()} has no docs/ folder: run this from the repository "
              "root, or pass --root", file=sys.stderr)  # fmt: skip
        return 1
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                made = [p.name for p in make_all(Path(tmp))]
        else:
            for path in make_all(args.out or args.root / "docs" / "images"):
                print(f"wrote {path}")
            return 0
    except (GraphvizNotFoundError, BrowserNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    problems = check(args.root, made)
    if problems:
        print(f"docs/images/ is out of step with the docs ({len(problems)} problems):",
              file=sys.stderr)  # fmt: skip
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"docs/images/: {len(made)} pictures, each made by this command and shown by the docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
