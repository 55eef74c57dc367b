"""Module-level forms of the Tensor methods (`tinygrad_lr.exp(x)` is `x.exp()`), as in PyTorch,
with PyTorch's argument names (`input`, `other`, `dim`, `keepdim`), and the functions that take
several tensors (`cat`, `stack`, `hstack`, `where`).

Each function checks that its `input` is a Tensor and calls the method, where the op is defined.
They are grouped as the Tensor's methods are: elementwise, comparisons, products, reductions,
shapes, selection, matrices, and random draws.
"""

from .comparison import *  # noqa: F403
from .comparison import __all__ as _comparison
from .matrices import *  # noqa: F403
from .matrices import __all__ as _matrices
from .pointwise import *  # noqa: F403
from .pointwise import __all__ as _pointwise
from .products import *  # noqa: F403
from .products import __all__ as _products
from .reductions import *  # noqa: F403
from .reductions import __all__ as _reductions
from .sampling import *  # noqa: F403
from .sampling import __all__ as _sampling
from .selection import *  # noqa: F403
from .selection import __all__ as _selection
from .shapes import *  # noqa: F403
from .shapes import __all__ as _shapes

__all__ = sorted(_comparison + _matrices + _pointwise + _products + _reductions + _sampling
                 + _selection + _shapes)  # fmt: skip
