"""`tinygrad_lr.cuda`: what PyTorch's `torch.cuda` answers on a machine without a GPU.

tinygrad_lr computes with numpy on the CPU, so no GPU is ever available. Device-agnostic code
runs unchanged and picks the CPU:

    device = t.device("cuda" if t.cuda.is_available() else "cpu")
"""

from __future__ import annotations


def is_available() -> bool:
    """False: tinygrad_lr has no GPU backend.

    Returns:
        False.
    """
    return False


def device_count() -> int:
    """0: there are no GPUs to count.

    Returns:
        0.
    """
    return 0


def manual_seed(seed: int) -> None:
    """Does nothing, as in PyTorch without a GPU: there is no GPU generator to seed.

    The package's own generator is seeded by `tinygrad_lr.manual_seed`.

    Args:
        seed: an int, checked and ignored.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"manual_seed() expects an int, got {type(seed).__name__}")


def manual_seed_all(seed: int) -> None:
    """Does nothing, as `manual_seed`: there are no GPUs.

    Args:
        seed: an int, checked and ignored.
    """
    manual_seed(seed)


__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]
