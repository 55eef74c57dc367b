"""`tinygrad_lr.backends.cudnn`: cuDNN's settings, kept as attributes that change nothing.

Seeding code for reproducible GPU runs sets them:

    t.backends.cudnn.deterministic = True
    t.backends.cudnn.benchmark = False

They change nothing here: without a GPU there is no cuDNN, and numpy on the CPU gives the same
numbers on every run anyway.
"""

from __future__ import annotations

enabled = True
deterministic = False
benchmark = False


def is_available() -> bool:
    """False: there is no cuDNN without a GPU.

    Returns:
        False.
    """
    return False


__all__ = ["is_available"]  # and the attributes enabled, deterministic, benchmark
