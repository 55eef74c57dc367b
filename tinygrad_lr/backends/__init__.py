"""`tinygrad_lr.backends`: PyTorch's switches for its GPU backends, answered for a CPU-only
package (`backends.mps.is_available()` is False; `backends.cudnn`'s settings are kept but
change nothing, as in PyTorch on a machine without CUDA)."""

from . import cudnn, mps

__all__ = ["cudnn", "mps"]
