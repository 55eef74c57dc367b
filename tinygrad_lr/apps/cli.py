"""The `tinygrad-lr` command: `train` runs the flagship, `graph` renders its computation graph."""

from __future__ import annotations

import argparse
import sys

from .. import __version__


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tinygrad-lr` console script; returns the exit code."""
    from . import graph_cli, train  # imported here: `--version` must not pay for matplotlib

    parser = argparse.ArgumentParser(
        prog="tinygrad-lr", description="Linear regression with a small autograd, and its graphs."
    )
    parser.add_argument("--version", action="version", version=f"tinygrad-lr {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train.add_parser(commands)  # each sets `run=` on its parser: run(args) -> exit code
    graph_cli.add_parser(commands)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
