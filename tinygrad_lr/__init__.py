"""tinygrad_lr: a small reverse-mode autograd on numpy, with PyTorch's names.

    import tinygrad_lr as t
    w = t.rand(1, 1, requires_grad=True)
    loss = (t.tensor([[2.0]]).mm(w) - 4).pow(2).sum()
    loss.backward()          # w.grad == 2·(2w - 4)·2

Where things live: `core/` (the engine, the op table, the Tensor), the library (`nn/`, `optim`,
`autograd/`, `data`, `serialization`, `viz/`) and the applications (`apps/`: the `tinygrad-lr`
command and the flagship's training and pictures).
"""

from . import autograd, data, nn, optim  # noqa: I001 - the library, after the core it builds on
from .autograd import GradcheckError, gradcheck, gradgradcheck
from .core import dtypes
from .core.creation import (
    arange,
    default_generator,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from .core.dtypes import (
    bool_,
    device,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from .core.engine import (
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
from .core.functions import (
    abs,
    all,
    any,
    argmax,
    argmin,
    cat,
    clamp,
    clip,
    exp,
    log,
    matmul,
    max,
    mean,
    min,
    mm,
    pow,
    relu,
    reshape,
    sigmoid,
    sqrt,
    squeeze,
    sum,
    tanh,
    transpose,
    unsqueeze,
)
from .core.tensor import Tensor
from .serialization import load_state, save_state

__version__ = "0.1.0"

# PyTorch's short dtype names that shadow Python builtins: set here, after every import, so that
# no module of the package sees `float` or `int` rebound.
globals().update({"float": dtypes.float32, "int": dtypes.int32, "bool": dtypes.bool_})

__all__ = [
    "Function", "GradcheckError", "Tensor", "arange", "bool_", "default_generator",
    "detect_anomaly", "device", "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled", "set_detect_anomaly",
    "double", "dtypes", "enable_grad", "exp", "eye", "float16", "float32", "float64",
    "from_numpy", "full", "full_like", "gradcheck", "half", "int8", "int16", "int32", "int64",
    "is_grad_enabled", "linspace", "log", "long", "manual_seed", "matmul", "mean", "mm",
    "no_grad", "ones", "ones_like", "pow", "rand", "rand_like", "randint", "randn", "randn_like",
    "relu", "reshape", "set_grad_enabled", "short", "sigmoid", "sqrt", "squeeze", "sum", "tanh",
    "tensor", "transpose", "uint8", "unsqueeze", "zeros", "zeros_like",
]  # fmt: skip
__all__ += ["gradgradcheck", "autograd", "cat", "data", "load_state", "nn", "optim", "save_state"]
__all__ += ["abs", "all", "any", "argmax", "argmin", "clamp", "clip", "max", "min"]
