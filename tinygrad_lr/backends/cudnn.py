"""`tinygrad_lr.backends.cudnn`: the settings that seeding code sets for reproducible GPU runs,

    t.backends.cudnn.deterministic = True
    t.backends.cudnn.benchmark = False

kept as plain attributes. They change nothing here: without a GPU there is no cuDNN, and numpy
on the CPU gives the same numbers on every run anyway.
"""

from __future__ import annotations

enabled = True
deterministic = False
benchmark = False


def is_available() -> bool:
    """False: there is no cuDNN without a GPU."""
    return False


__all__ = ["benchmark", "deterministic", "enabled", "is_available"]
