"""`tinygrad_lr.backends.mps`: Apple's Metal GPU backend, which tinygrad_lr does not have."""

from __future__ import annotations


def is_available() -> bool:
    """False: tinygrad_lr computes on the CPU only.

    Returns:
        False.
    """
    return False


def is_built() -> bool:
    """False: no Metal backend is built into tinygrad_lr.

    Returns:
        False.
    """
    return False


__all__ = ["is_available", "is_built"]
