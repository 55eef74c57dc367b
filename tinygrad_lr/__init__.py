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
    as_tensor,
    empty,
    empty_like,
    logspace,
    normal,
    randperm,
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
    get_default_dtype,
    set_default_dtype,
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
    inference_mode,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .core import functions as _functions
from .core.functions import *  # noqa: F403 - the module-level forms of the Tensor methods
from .core.printing import set_printoptions
from .core.generator import Generator
from .core.legacy import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .core.tensor import Tensor
from .core.size import Size
from .serialization import load_state, save_state
from . import backends, cuda, utils  # noqa: I001 - PyTorch's utils.data and device queries
from .devices import get_default_device, set_default_device
from .serialization import load, save
from .compile import compile as compile  # tinygrad_lr.compile(step), as torch.compile
from . import linalg  # noqa: I001 - torch.linalg's norms, built on the Tensor's reductions
from .linalg import det, slogdet  # PyTorch's aliases of torch.linalg.det and slogdet
from .linalg import inv as inverse  # and of torch.linalg.inv
from .core.linear_algebra import logdet

__version__ = "0.1.0"

# PyTorch's short dtype names that shadow Python builtins: set here, after every import, so that
# no module of the package sees `float` or `int` rebound.
globals().update({"float": dtypes.float32, "int": dtypes.int32, "bool": dtypes.bool_})

__all__ = [
    "Function", "GradcheckError", "Size", "Tensor", "arange", "as_tensor", "autograd", "bool_",
    "data", "default_generator", "detect_anomaly", "device", "double", "dtypes", "empty",
    "empty_like", "enable_grad", "eye", "float16", "float32", "float64", "from_numpy", "full",
    "full_like", "get_default_dtype", "gradcheck", "gradgradcheck", "half", "int8", "int16",
    "int32", "int64", "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_grad_enabled",
    "linspace", "load_state", "logspace", "long", "manual_seed", "nn", "no_grad", "normal",
    "ones", "ones_like", "optim", "rand", "rand_like", "randint", "randn", "randn_like",
    "randperm", "save_state", "set_default_dtype", "set_detect_anomaly", "set_grad_enabled",
    "short", "tensor", "uint8", "zeros", "zeros_like", "BoolTensor", "ByteTensor", "CharTensor",
    "DoubleTensor", "FloatTensor", "HalfTensor", "IntTensor", "LongTensor", "ShortTensor",
]  # fmt: skip
__all__ += _functions.__all__
__all__ += ["backends", "cuda", "get_default_device", "load", "save", "set_default_device", "utils"]
__all__ += ["inference_mode", "linalg", "set_printoptions"]
__all__ += ["Generator"]
__all__ += ["det", "inverse", "logdet", "slogdet"]
