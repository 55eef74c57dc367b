"""The pictures in docs/images/: `python -m tinygrad_lr.docs_images`, from the repository root.

Each maker writes its pictures into the output folder and returns their paths; add a maker to
`MAKERS` to add pictures. Needs Graphviz's `dot`.

* flagship_graph.svg / .png: one training step of the flagship (`tinygrad-lr graph`), after
  backward(), with the values and the gradients of w and b;
* backward_step_*.png and backward.gif: the backward pass of that step, frame by frame.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .graph_cli import flagship_step
from .viz import GraphvizNotFoundError, backward_frames, draw_graph

#: The walk-through frames kept for the docs: the start (g = 1 at the loss), the expand that
#: sums b's gradient over the batch, and the mm that gives w's gradient (dw = xᵀ @ g).
WALKTHROUGH_STEPS = (1, 6, 7)


def flagship_graph(out_dir: Path) -> list[Path]:
    """The flagship's graph after backward(), with values and gradients, as SVG and PNG."""
    loss, _named = flagship_step()
    loss.backward()
    graph = draw_graph(loss, show_grad=True, show_data=True)
    paths = []
    for fmt in ("svg", "png"):
        path = out_dir / f"flagship_graph.{fmt}"
        path.write_bytes(graph.pipe(format=fmt))
        paths.append(path)
    return paths


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


MAKERS: list[Callable[[Path], list[Path]]] = [flagship_graph, walkthrough]


def main(argv: list[str] | None = None) -> int:
    """Write every picture of the docs; the exit status is 1 if Graphviz's `dot` is missing."""
    parser = argparse.ArgumentParser(prog="python -m tinygrad_lr.docs_images",
                                     description="Make the pictures in docs/images/.")  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("docs") / "images",
                        help="folder to write into (default: docs/images)")  # fmt: skip
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        for make in MAKERS:
            for path in make(args.out):
                print(f"wrote {path}")
    except GraphvizNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
