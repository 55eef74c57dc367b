"""The `tinygrad-lr` command: `train` runs the flagship, `graph` renders its computation graph,
`explain` writes the page that steps through its backward pass."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from .common import EXIT_INTERRUPTED, one_line_errors

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program stopped by a closed pipe


def _parser() -> argparse.ArgumentParser:
    from . import explain_cli, graph_cli, train  # here: `--version` must not pay for matplotlib

    parser = one_line_errors(argparse.ArgumentParser(
        prog="tinygrad-lr", description="Linear regression with a small autograd, and its graphs."
    ))  # fmt: skip
    parser.add_argument("--version", action="version", version=f"tinygrad-lr {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in (train, graph_cli, explain_cli):
        # Each sets `run=` on its parser (run(args) -> exit code); `parser=` is kept so that an
        # unknown option is reported by the command it was given to, with that command's help.
        sub = command.add_parser(commands)
        sub.set_defaults(parser=sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tinygrad-lr` console script; returns the exit code."""
    try:
        parser = _parser()
        argv = sys.argv[1:] if argv is None else list(argv)
        # argparse hands options a subcommand does not know back to the top-level parser,
        # which would report them with its own usage: `train --bogus` must blame train.
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            before = argv[:argv.index(args.command)] if args.command in argv else []
            blamed = parser if any(u in before for u in unknown) else args.parser
            blamed.error(f"unrecognized arguments: {' '.join(unknown)}")
        return int(args.run(args) or 0)
    except KeyboardInterrupt:  # while starting up: the commands report their own
        print("tinygrad-lr: stopped by Ctrl-C before it started; nothing was written",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`tinygrad-lr train | head`): stop quietly, as `cat` would. Python
        # would still try to flush stdout at exit and complain, so it is pointed at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
