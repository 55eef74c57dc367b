"""`tinygrad_lr.autograd`: PyTorch's `torch.autograd` names.

`Function` (write your own op with a forward and a backward), grad mode, anomaly mode, and
`gradcheck`, which compares autograd's gradients with finite differences. The engine itself is in
`tinygrad_lr/core/engine.py`.
"""

from ..core.engine import (
    Function,
    detect_anomaly,
    enable_grad,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .checks import GradcheckError, gradcheck

__all__ = [
    "Function", "GradcheckError", "detect_anomaly", "enable_grad", "gradcheck",
    "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_grad_enabled", "no_grad",
    "set_detect_anomaly", "set_grad_enabled",
]  # fmt: skip
