"""Neural-network building blocks with PyTorch's names: `Module`, `Parameter`, layers, losses.

    from tinygrad_lr import nn
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    loss = nn.BCELoss()(model(x), y)

Where things live: `parameter.py`, `module.py` (Module), `containers.py` (Sequential, ModuleList,
ModuleDict), `layers.py` (Linear, Identity, Flatten, Unflatten, Dropout), `activation.py`,
`loss.py` (the losses as modules), `functional.py` and `loss_functions.py` (the same as plain
functions, `nn.functional`), `init.py` (the initialisers, `nn.init`).
"""

from . import functional, init
from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .containers import ModuleDict, ModuleList, Sequential
from .layers import Dropout, Flatten, Identity, Linear, Unflatten
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import IncompatibleKeys, Module
from .parameter import Parameter

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "Dropout", "Flatten", "GELU",
    "HuberLoss", "Identity", "IncompatibleKeys", "L1Loss", "LeakyReLU", "Linear", "LogSoftmax",
    "MSELoss", "Module", "ModuleDict", "ModuleList", "NLLLoss", "Parameter", "ReLU",
    "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax", "Tanh", "Unflatten", "functional",
    "init",
]  # fmt: skip
