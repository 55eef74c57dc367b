"""Optimizers with PyTorch's names and update rules: `SGD`, `Adam`, `AdamW`, `RMSprop`,
`Adagrad`, and `lr_scheduler` (learning rates that change with the epoch).

Where things live: `optimizer.py` (the common part: parameter groups, `zero_grad`, state and
its saving), one file per rule (`sgd.py`, `adam.py` with AdamW, `rmsprop.py`, `adagrad.py`), and
`lr_scheduler.py`. Each rule's docstring gives its update in formulas.
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
