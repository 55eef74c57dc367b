"""`tinygrad-lr explain`: the backward explorer page of one training step, to open in a browser.

    tinygrad-lr explain -o page.html                  # the flagship's first training step
    tinygrad-lr explain --example mlp -o mlp.html     # the two-moons MLP's first step

The page (`tinygrad_lr.viz.explain`) steps through the forward pass and the backward pass of
that step one op at a time, with the rule, the numbers and the gradient sent to each input; at the
end it lists each parameter's gradient. It is one self-contained file: open it from disk, with no
server and no network.

The steps are the examples' own first steps: the flagship's is `tinygrad-lr train`'s at its
defaults (seed 1000, a batch of 4, w and b: the original program's first step), the MLP's is
`examples/mlp_two_moons.py`'s (seed 0, 200 points, 2 → 16 → 1 with tanh, the binary
cross-entropy). Exit codes: 0 done, 1 Graphviz's dot is missing, 2 bad arguments or paths, 130
Ctrl-C; after 1, 2 or 130 nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import creation
from ..core.tensor import Tensor
from ..data import get_fake_data
from .common import EXIT_INTERRUPTED, OutputFile, UsageError, interrupted_by_dot, one_line_errors
from .regression import DEFAULTS, TRUE_B, TRUE_W, LinearRegression, flagship_loss

PROG = "tinygrad-lr explain"
EXAMPLES = ("flagship", "mlp")
DEFAULT_SEEDS = {"flagship": 1000, "mlp": 0}


def flagship_first_step(seed: int = DEFAULTS["seed"], batch_size: int = DEFAULTS["batch_size"],
                        features: int = DEFAULTS["features"], loss: str = DEFAULTS["loss"]
                        ) -> tuple[Tensor, dict[str, Tensor]]:  # fmt: skip
    """The first step of `tinygrad-lr train` with these settings, up to the loss: (loss, the
    named tensors {"w", "b", "y_pred"}).

    Made as training makes it (the seed, the model, then the first batch), so the numbers are
    those of the run's step 0; at the defaults, those of the original program's first step.
    y_pred is among the names so that it stays alive: the graph finds a result's name only
    while the tensor exists.
    """
    creation.manual_seed(seed)
    model = LinearRegression(features)
    x, y = get_fake_data(batch_size, w=TRUE_W, b=TRUE_B, features=features)
    x.name, y.name = "x", "y"
    y_pred = model(x)
    result = flagship_loss(y_pred, y, loss)
    y_pred.name, result.name = "y_pred", "loss"
    return result, {**dict(model.named_parameters()), "y_pred": y_pred}


def mlp_step(seed: int = 0) -> tuple[Tensor, Any]:
    """The first training step of examples/mlp_two_moons.py, up to the loss: (loss, model).

    Made in the example's order (the seed, 200 noisy points of the two moons, then the model),
    so the numbers are those of the example's step 0.
    """
    from .. import data, nn  # the library, only for this example

    creation.manual_seed(seed)
    x, y = data.make_moons(200, noise=0.1)
    x.name, y.name = "x", "y"
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    loss = nn.BCELoss()(model(x), y)
    loss.name = "loss"
    return loss, model


def example_step(example: str, seed: int | None = None) -> tuple[Tensor, Any]:
    """(loss, params) of an example's first training step: "flagship" or "mlp"."""
    if example not in EXAMPLES:
        raise ValueError(f"example must be one of {', '.join(EXAMPLES)}, got {example!r}")
    seed = DEFAULT_SEEDS[example] if seed is None else seed
    return mlp_step(seed) if example == "mlp" else flagship_first_step(seed)


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the `explain` options to `parser` and make it run `run`."""
    parser.add_argument("-o", "--output", type=Path, default=Path("explain.html"), metavar="FILE",
                        help="write the page here (default explain.html; missing folders are "
                             "created)")  # fmt: skip
    parser.add_argument("--example", choices=EXAMPLES, default="flagship",
                        help="whose first training step: the flagship's linear regression "
                             "(default) or the two-moons MLP")  # fmt: skip
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (default: the example's own, 1000 for the flagship "
                             "and 0 for the MLP)")  # fmt: skip
    parser.add_argument("--max-nodes", type=int, default=None, metavar="N",
                        help="fold the drawing to at most N op nodes, as `tinygrad-lr graph` "
                             "does (default 50)")  # fmt: skip
    parser.set_defaults(run=run)
    return one_line_errors(parser)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `explain` subcommand to the `tinygrad-lr` command."""
    parser = subparsers.add_parser(
        "explain", help="write a web page that steps through one training step's backward pass",
        description=__doc__.split("\n\n")[0], epilog=EPILOG,
    )  # fmt: skip
    return configure(parser)


EPILOG = ("exit codes: 0 done, 1 Graphviz's dot is missing, 2 bad arguments or paths, 130 "
          "Ctrl-C; after 1, 2 or 130 nothing is written.")


def write_page(loss: Tensor, params: Any, path: Path, max_nodes: int | None = None) -> Path:
    """The explorer page of `loss`, written to `path`; returns it."""
    from ..viz import explain_html  # Graphviz and the page's files: only when a page is made

    path.write_text(explain_html(loss, params, max_nodes=max_nodes), encoding="utf-8")
    return path


def write_training_page(args: argparse.Namespace, path: Path) -> Path:
    """The page of the first step of the run `tinygrad-lr train` was given `args` for (its
    --seed, --batch-size, --features and --loss): what `train` writes as explain.html."""
    loss, params = flagship_first_step(args.seed, args.batch_size, args.features, args.loss)
    return write_page(loss, params, path)


def run(args: argparse.Namespace) -> int:
    """Write the page `args` asks for; the exit status (see the module docstring)."""
    from ..viz import GraphvizNotFoundError

    output = None
    try:
        if args.max_nodes is not None and args.max_nodes < 1:
            raise UsageError(f"--max-nodes must be at least 1, got {args.max_nodes}")
        if args.output.is_dir():
            raise UsageError(f"-o {args.output}: is a folder; give a file name, such as "
                             f"{args.output / 'explain.html'}")  # fmt: skip
        output = OutputFile(args.output, "-o")
        loss, params = example_step(args.example, args.seed)
        write_page(loss, params, output.temp, args.max_nodes)
        output.commit()
    except UsageError as e:
        return _fail(output, f"{PROG}: error: {e}", 2)
    except GraphvizNotFoundError as e:
        return _fail(output, f"{PROG}: error: {e}", 1)
    except KeyboardInterrupt:
        return _fail(output, f"{PROG}: stopped by Ctrl-C; nothing was written", EXIT_INTERRUPTED)
    except Exception as e:
        if interrupted_by_dot(e):  # `dot` killed by the Ctrl-C meant for us
            return _fail(output, f"{PROG}: stopped by Ctrl-C; nothing was written",
                         EXIT_INTERRUPTED)  # fmt: skip
        if output is not None:
            output.discard()
        raise
    steps = "the flagship's" if args.example == "flagship" else "the MLP's"
    print(f"wrote {args.output}: {steps} first training step, forward and backward, step by "
          "step (open it in a browser)")  # fmt: skip
    return 0


def _fail(output: OutputFile | None, message: str, code: int) -> int:
    if output is not None:
        output.discard()
    print(message, file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """`python -m tinygrad_lr.apps.explain_cli ...`: the same as `tinygrad-lr explain ...`."""
    parser = configure(argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                               epilog=EPILOG))  # fmt: skip
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
