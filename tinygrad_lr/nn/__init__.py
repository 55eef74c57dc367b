"""Neural-network building blocks with PyTorch's names: `Module`, `Parameter`, layers, losses.

    from tinygrad_lr import nn
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    loss = nn.BCELoss()(model(x), y)

Where things live: `parameter.py`, `module.py` (Module, Sequential), `layers.py` (Linear and the
activations), `loss.py`, `functional.py` (the same as plain functions, `nn.functional`).
"""

from . import functional
from .layers import Linear, ReLU, Sigmoid, Tanh
from .loss import BCELoss, MSELoss
from .module import IncompatibleKeys, Module, Sequential
from .parameter import Parameter

__all__ = [
    "BCELoss", "IncompatibleKeys", "Linear", "MSELoss", "Module", "Parameter", "ReLU",
    "Sequential", "Sigmoid", "Tanh", "functional",
]  # fmt: skip
