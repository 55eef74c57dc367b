"""The default device: PyTorch's `set_default_device` and `get_default_device`.

Tensors always live on the CPU (they are numpy arrays), so the CPU is the only default there can
be: setting it is accepted, so that programs written for PyTorch run unchanged, and asking for
any other device fails at once, with the reason.
"""

from __future__ import annotations

from typing import Any

from .core.dtypes import device as _device


def set_default_device(device: Any) -> None:
    """Accept 'cpu' (or `device('cpu')`, or None, which means the CPU too); anything else
    raises RuntimeError, since there is no GPU backend.

    Args:
        device: 'cpu', a device, or None.
    """
    if device is not None:
        _device(device)


def get_default_device() -> _device:
    """`device('cpu')`: where new tensors are made.

    Returns:
        `device('cpu')`.
    """
    return _device("cpu")


__all__ = ["get_default_device", "set_default_device"]
