"""Neural-network building blocks with PyTorch's names: `Module`, `Parameter`, layers, losses.

    from tinygrad_lr import nn
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    loss = nn.BCELoss()(model(x), y)

Where things live: `parameter.py`, `module.py` (Module), `containers.py` (Sequential, ModuleList,
ModuleDict), `layers.py` (Linear, Embedding, Identity, Flatten, Unflatten, Dropout),
`normalization.py` (LayerNorm, BatchNorm1d), `activation.py`, `loss.py` (the losses as modules),
`functional.py`, `layer_functions.py`, `loss_functions.py` and `padding.py` (the same as plain
functions, and `pad`: `nn.functional`), `init.py` (the initialisers, `nn.init`) and `utils.py`
(gradient clipping, `nn.utils`).
"""

from . import functional, init, utils
from .activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .containers import ModuleDict, ModuleList, Sequential
from .layers import Dropout, Embedding, Flatten, Identity, Linear, Unflatten
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
from .normalization import BatchNorm1d, LayerNorm
from .parameter import Parameter

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout", "ELU",
    "Embedding", "Flatten", "GELU", "Hardtanh", "HuberLoss", "Identity", "IncompatibleKeys",
    "L1Loss", "LayerNorm", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "Mish", "Module",
    "ModuleDict", "ModuleList", "NLLLoss", "Parameter", "ReLU", "ReLU6", "SiLU", "Sequential",
    "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus", "Tanh", "Unflatten", "functional", "init",
    "utils",
]  # fmt: skip
