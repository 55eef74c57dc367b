"""Anomaly mode's report (see `detect_anomaly` in engine.py): where in the user's code each op ran,
and the check that stops backward at the first gradient holding nan or inf.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import numpy as np


def check_finite(node: Any, grad: Any, input_grads: tuple) -> None:
    """Raise, naming the op and where it ran, if a gradient the node returned holds nan or inf."""
    for i, g in enumerate(input_grads):
        values = getattr(g, "_data", g)  # a Tensor (create_graph=True) or an array
        if values is not None and not np.all(np.isfinite(values)):
            what = "nan" if np.isnan(values).any() else "inf"
            err = RuntimeError(
                f"Function '{node.node_name()}' returned {what} values in its {i}th "
                f"output (the gradient for input {i} of `{node.name}`, rule: {node.formula}).\n"
                + _forward_location(node)
            )
            err._forward_location_shown = True  # type: ignore[attr-defined]
            raise err


# The trailing separator matters: a user's folder named like the package ("tinygrad_lr_demo")
# must not be mistaken for the package.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_FRAMES_SHOWN = 4  # how many of the user's innermost frames an anomaly report shows


def creation_stack() -> list[traceback.FrameSummary]:
    """The caller's stack without this package's frames: where the user ran the op."""
    frames = traceback.StackSummary.extract(traceback.walk_stack(None), lookup_lines=False)
    user = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR)]
    user.reverse()
    return user


def _forward_location(node: Any) -> str:
    where = getattr(node, "creation_stack", None)
    if not where:
        return (f"No forward location was recorded for `{node.name}`: run the forward pass inside "
                "detect_anomaly() too, to see where in your code the op was created.")
    return (f"The forward `{node.name}` was run at (most recent call last):\n"
            + "".join(traceback.format_list(where[-_FRAMES_SHOWN:])).rstrip("\n"))


def add_forward_location(err: BaseException, node: Any) -> None:
    if getattr(err, "_forward_location_shown", False) or not hasattr(err, "add_note"):
        return  # (add_note exists from Python 3.11 on)
    err.add_note(f"While running the backward of `{node.name}`. " + _forward_location(node))
