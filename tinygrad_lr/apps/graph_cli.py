"""`tinygrad-lr graph`: draw the computation graph of one training step of the flagship.

    tinygrad-lr graph -o graph.svg --grad        # the graph, with the gradients of w and b
    tinygrad-lr graph --frames walkthrough/      # the backward pass, one PNG per step, and a GIF
    tinygrad-lr graph                            # the graph as text in the terminal

The step is the original program's: y_pred = x.mm(w) + b.expand_as(y) on a batch of 4 points of
y = 2x + 3 + noise, and loss = ½·Σ(y_pred − y)², built by the same function as `tinygrad-lr
train`'s (`--loss mean` for ½·mean, whose gradients are the sum's divided by the batch size 4).

Without Graphviz's `dot` program nothing can be rendered to svg/png/pdf; the command then says
how to install it, writes the DOT source next to the file asked for, and exits with status 1.
Bad paths exit with status 2 and Ctrl-C with 130, and then nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import creation
from ..core.tensor import Tensor
from ..viz import GraphvizNotFoundError, backward_frames, draw_graph, graph_text
from .common import (
    EXIT_INTERRUPTED,
    OutputFile,
    OutputFolder,
    UsageError,
    interrupted_by_dot,
    one_line_errors,
)
from .regression import flagship_loss

RENDER_FORMATS = ("svg", "png", "pdf")
SOURCE_SUFFIXES = (".dot", ".gv")
PROG = "tinygrad-lr graph"


def flagship_step(seed: int = 1000, loss: str = "sum") -> tuple[Tensor, dict[str, Tensor]]:
    """One training step of the flagship, up to the loss, on a batch of 4 samples.

    Made in the original program's order (w and b first, then a batch of data), so the numbers
    are those of its first step. Every tensor is named, and the names show in the pictures.

    Args:
        seed: the random seed; 1000 draws the original program's numbers.
        loss: "sum" or "mean", as in `flagship_loss`.

    Returns:
        `(loss, named)`: the loss, and the tensors x, y, w, b, y_pred and loss by name.

    Raises:
        ValueError: for a `loss` that is neither "sum" nor "mean".
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
    result = flagship_loss(y_pred, y, loss)
    result.name = "loss"
    return result, {"x": x, "y": y, "w": w, "b": b, "y_pred": y_pred, "loss": result}


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the `graph` options to `parser` and make it run `run`.

    Args:
        parser: the parser to add the options to.

    Returns:
        `parser`, configured.
    """
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the picture here (missing folders are created); the suffix "
                             "picks the format: .svg, .png, .pdf, or .dot for the Graphviz source "
                             "(no `dot` needed). Without -o (and without --frames) the graph is "
                             "printed as text")  # fmt: skip
    parser.add_argument("--grad", action="store_true",
                        help="run backward() first and show the gradients of w and b")  # fmt: skip
    parser.add_argument("--data", action="store_true", help="show the tensors' values too")
    parser.add_argument("--rankdir", choices=("TB", "LR"), default="TB",
                        help="TB: inputs at the top, loss at the bottom (default); LR: left to "
                             "right")  # fmt: skip
    parser.add_argument("--loss", choices=("sum", "mean"), default="sum",
                        help="½·Σ(y_pred − y)², whose gradients are the original program's "
                             "(default), or ½·mean")  # fmt: skip
    parser.add_argument("--frames", type=Path, metavar="DIR",
                        help="also draw the backward pass step by step: DIR/step_01.png, ... "
                             "and DIR/backward.gif (DIR is created if needed)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1000,
                        help="random seed of the data and of w (default 1000, the original "
                             "program's)")  # fmt: skip
    parser.set_defaults(run=run)
    return one_line_errors(parser)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `graph` subcommand to the `tinygrad-lr` command.

    Args:
        subparsers: what `ArgumentParser.add_subparsers()` returned.

    Returns:
        The `graph` parser.
    """
    parser = subparsers.add_parser(
        "graph", help="draw the computation graph of one training step",
        description=__doc__.split("\n\n")[0], epilog=EPILOG,
    )
    return configure(parser)


EPILOG = ("exit codes: 0 done, 1 Graphviz's dot is missing (the DOT source is written instead), "
          "2 bad arguments or paths, 130 Ctrl-C; after 2 or 130 nothing is written.")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


class _Stage:
    """What the command is doing, in words, for the line that Ctrl-C prints."""

    text = "while building the graph"


def run(args: argparse.Namespace) -> int:
    """Draw what `args` asks for; the exit status (0 done, 1 `dot` was missing, 2 bad usage or
    paths, 130 Ctrl-C). Everything is written to temporary files first and put in place at the
    end, so that a bad path or Ctrl-C leaves nothing behind.

    Args:
        args: the parsed arguments of `tinygrad-lr graph`.

    Returns:
        The exit status.
    """
    outputs: list[Any] = []
    stage = _Stage()
    try:
        output = None if args.output is None else _open_output(args.output)
        outputs.append(output)
        frames = None if args.frames is None else OutputFolder(args.frames, "--frames")
        outputs.append(frames)
        done = _draw(args, output, frames, stage)
    except UsageError as e:
        _discard(outputs)
        _say(f"{PROG}: error: {e}")
        return 2
    except KeyboardInterrupt:
        _discard(outputs)
        _say(f"{PROG}: stopped by Ctrl-C {stage.text}; nothing was written")
        return EXIT_INTERRUPTED
    except BaseException:
        _discard(outputs)
        raise
    said, errors = done
    for line in said:
        print(line)
    for line in errors:
        _say(line)
    return 1 if errors else 0


def _discard(outputs: list[Any]) -> None:
    for out in outputs:
        if out is not None:
            out.discard()


def _open_output(output: Path) -> OutputFile:
    suffix = output.suffix.lower()
    if output.is_dir():  # before the suffix: a folder's name says nothing about a format
        return OutputFile(output, "-o")  # which refuses it, naming the problem
    if suffix not in SOURCE_SUFFIXES and suffix[1:] not in RENDER_FORMATS:
        raise UsageError(f"-o {output}: cannot tell the format from the file name; use a file "
                         "ending in .svg, .png, .pdf or .dot")  # fmt: skip
    return OutputFile(output, "-o")


def _draw(args: argparse.Namespace, output: OutputFile | None, frames: OutputFolder | None,
          stage: _Stage) -> tuple[list[str], list[str]]:  # fmt: skip
    """Draw into the temporary outputs, then put them in place; returns what to print on
    stdout, and on stderr what could not be done (Graphviz's `dot` missing: exit status 1)."""
    loss, _named = flagship_step(args.seed, args.loss)
    missing_dot: GraphvizNotFoundError | None = None
    not_done: list[str] = []
    said: list[str] = []
    walk = None
    if frames is not None:
        def on_frame(k: int, n: int) -> None:
            stage.text = f"while drawing the frame of backward step {k} of {n}"

        try:
            walk = _rendering(lambda: backward_frames(loss, frames.staging, rankdir=args.rankdir,
                                                      on_frame=on_frame))  # fmt: skip
        except GraphvizNotFoundError as err:
            missing_dot = err
            not_done.append(f"The walk-through was not drawn into {args.frames}.")
    if args.grad and walk is None:
        loss.backward()

    graph = draw_graph(loss, show_grad=args.grad, show_data=args.data, rankdir=args.rankdir)
    if output is None:
        if frames is None:
            said.append(graph_text(loss, show_grad=args.grad).rstrip("\n"))
    elif output.target.suffix.lower() in SOURCE_SUFFIXES:
        output.write(graph.source)
        said.append(f"wrote the graph's DOT source to {output.target} (render it with: dot -Tsvg "
                    f"{output.target} -o {output.target.with_suffix('.svg')})")  # fmt: skip
    else:
        stage.text = f"while rendering {output.target}"
        fmt = output.target.suffix.lower()[1:]
        try:
            output.write(_rendering(lambda: graph.pipe(format=fmt)))
            said.append(f"wrote {output.target}")
        except GraphvizNotFoundError as err:
            missing_dot, picture = err, output.target
            output.redirect(picture.with_suffix(".dot"))
            output.write(graph.source)
            not_done.append(f"{picture} was not rendered; the graph's DOT source was written to "
                            f"{output.target} instead. Once Graphviz is installed, render it "
                            f"with: dot -T{fmt} {output.target} -o {picture}")  # fmt: skip
    stage.text = "while putting the files in place"
    if frames is not None:
        frames.commit()
        if walk is not None:
            said.insert(0, f"wrote {len(walk.frames)} frames ({walk.frames[0].name} to "
                           f"{walk.frames[-1].name}) and {walk.gif.name} to {args.frames}")
    if output is not None:
        output.commit()
    errors = [] if missing_dot is None else [f"error: {missing_dot}", *not_done]
    return said, errors


def _rendering(render: Any) -> Any:
    """render(), with a `dot` killed by Ctrl-C reported as the Ctrl-C it was."""
    try:
        return render()
    except GraphvizNotFoundError:
        raise
    except Exception as e:
        if interrupted_by_dot(e):
            raise KeyboardInterrupt from None
        raise


def main(argv: list[str] | None = None) -> int:
    """`python -m tinygrad_lr.apps.graph_cli ...`: the same as `tinygrad-lr graph ...`.

    Args:
        argv: the arguments, without the program's name; None for `sys.argv[1:]`.

    Returns:
        The exit status, as `run` gives it.
    """
    parser = configure(argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                               epilog=EPILOG))  # fmt: skip
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
