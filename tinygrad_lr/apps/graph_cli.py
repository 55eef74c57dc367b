"""`tinygrad-lr graph`: draw the computation graph of one training step of the flagship.

    tinygrad-lr graph -o graph.svg --grad        # the graph, with the gradients of w and b
    tinygrad-lr graph --frames walkthrough/      # the backward pass, one PNG per step, and a GIF
    tinygrad-lr graph                            # the graph as text in the terminal

The step is the seed program's: y_pred = x.mm(w) + b.expand_as(y) on a batch of 4 points of
y = 2x + 3 + noise, and loss = ½·Σ(y_pred − y)² (`--loss mean` for ½·mean, whose gradients are
the sum's divided by the batch size 4).

Without Graphviz's `dot` program nothing can be rendered to svg/png/pdf; the command then says
how to install it, writes the DOT source next to the file asked for, and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import creation
from ..core.tensor import Tensor
from ..viz import GraphvizNotFoundError, backward_frames, draw_graph, graph_text

RENDER_FORMATS = ("svg", "png", "pdf")
SOURCE_SUFFIXES = (".dot", ".gv")


def flagship_step(seed: int = 1000, loss: str = "sum") -> tuple[Tensor, dict[str, Tensor]]:
    """One training step of the flagship, up to the loss: returns (loss, the named tensors).

    Made in the seed program's order (w and b first, then a batch of data), so the numbers are
    those of its first step. Every tensor is named, and the names show in the pictures.
    """
    if loss not in ("sum", "mean"):
        raise ValueError(f"loss must be 'sum' or 'mean', got {loss!r}")
    creation.manual_seed(seed)
    w = creation.rand(1, 1, requires_grad=True)
    b = creation.zeros(1, 1, requires_grad=True)
    x = creation.rand(4, 1) * 5
    y = x * 2 + 3 + creation.randn(4, 1)
    w.name, b.name, x.name, y.name = "w", "b", "x", "y"
    y_pred = x.mm(w) + b.expand_as(y)
    y_pred.name = "y_pred"
    squared = 0.5 * (y_pred - y) ** 2
    result = squared.sum() if loss == "sum" else squared.mean()
    result.name = "loss"
    return result, {"x": x, "y": y, "w": w, "b": b, "y_pred": y_pred, "loss": result}


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the `graph` options to `parser` and make it run `run`."""
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the picture here; the suffix picks the format: .svg, .png, "
                             ".pdf, or .dot for the Graphviz source (no `dot` needed). Without "
                             "-o (and without --frames) the graph is printed as text")  # fmt: skip
    parser.add_argument("--grad", action="store_true",
                        help="run backward() first and show the gradients of w and b")  # fmt: skip
    parser.add_argument("--data", action="store_true", help="show the tensors' values too")
    parser.add_argument("--rankdir", choices=("TB", "LR"), default="TB",
                        help="TB: inputs at the top, loss at the bottom (default); LR: left to "
                             "right")  # fmt: skip
    parser.add_argument("--loss", choices=("sum", "mean"), default="sum",
                        help="½·Σ(y_pred − y)², the seed's update rule (default), or ½·mean")
    parser.add_argument("--frames", type=Path, metavar="DIR",
                        help="also draw the backward pass step by step: DIR/step_01.png, ... "
                             "and DIR/backward.gif")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1000,
                        help="random seed of the data and of w (default 1000, the seed program's)")
    parser.set_defaults(run=run)
    return parser


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `graph` subcommand to the `tinygrad-lr` command."""
    parser = subparsers.add_parser(
        "graph", help="draw the computation graph of one training step",
        description=__doc__.split("\n\n")[0],
    )
    return configure(parser)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Draw what `args` asks for; the exit status (0 done, 1 `dot` was missing, 2 bad usage)."""
    output: Path | None = args.output
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in SOURCE_SUFFIXES and suffix[1:] not in RENDER_FORMATS:
            _say(f"error: cannot tell the format from {str(output)!r}: use a file ending in "
                 ".svg, .png, .pdf or .dot")  # fmt: skip
            return 2
    loss, _named = flagship_step(args.seed, args.loss)
    missing_dot: GraphvizNotFoundError | None = None
    not_done: list[str] = []

    backward_done = False
    if args.frames is not None:
        try:
            walk = backward_frames(loss, args.frames, rankdir=args.rankdir)
        except GraphvizNotFoundError as err:
            missing_dot = err
            not_done.append(f"The walk-through was not drawn into {args.frames}.")
        else:
            backward_done = True
            print(f"wrote {len(walk.frames)} frames ({walk.frames[0].name} to "
                  f"{walk.frames[-1].name}) and {walk.gif.name} to {args.frames}")  # fmt: skip
    if args.grad and not backward_done:
        loss.backward()

    graph = draw_graph(loss, show_grad=args.grad, show_data=args.data, rankdir=args.rankdir)
    if output is None:
        if args.frames is None:
            print(graph_text(loss, show_grad=args.grad), end="")
    elif output.suffix.lower() in SOURCE_SUFFIXES:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(graph.source, encoding="utf-8")
        print(f"wrote the graph's DOT source to {output} (render it with: dot -Tsvg {output} "
              f"-o {output.with_suffix('.svg')})")  # fmt: skip
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        fmt = output.suffix.lower()[1:]
        try:
            output.write_bytes(graph.pipe(format=fmt))
        except GraphvizNotFoundError as err:
            missing_dot = err
            source = output.with_suffix(".dot")
            source.write_text(graph.source, encoding="utf-8")
            not_done.append(f"{output} was not rendered; the graph's DOT source was written to "
                            f"{source} instead. Once Graphviz is installed, render it with: "
                            f"dot -T{fmt} {source} -o {output}")  # fmt: skip
        else:
            print(f"wrote {output}")
    if missing_dot is not None:
        _say(f"error: {missing_dot}")
        for line in not_done:
            _say(line)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m tinygrad_lr.apps.graph_cli ...`: the same as `tinygrad-lr graph ...`."""
    parser = configure(argparse.ArgumentParser(prog="tinygrad-lr graph",
                                               description=__doc__.split("\n\n")[0]))  # fmt: skip
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
