"""The op table: every differentiable operation, its forward and its backward side by side.

Each op is a `Function` (see engine.py). `forward(ctx, …)` computes the value from numpy arrays
and saves what the derivative needs; `backward(ctx, g)` receives g = dL/d(output) and returns
dL/d(input) for each input, by the chain rule dL/dx = g · ∂output/∂x. The one-line `formula` of
each op is the same rule in math; read together they are the whole calculus of this package.
Inputs are called a and b (PyTorch's `input` and `other`), so that they cannot be mistaken for
tensors of the user's named x or y.

**One formula, two uses.** A backward formula is written only with what numpy arrays and Tensors
share: the operators (+ - * / @ **), `.T`, `.reshape`, `.sum(axis=…, keepdims=…)`, `.swapaxes`,
indexing, and the few helpers of `common.py`, which take either. A plain backward
hands the formulas arrays, and they run as numpy code. A backward with `create_graph=True` hands
them Tensors (the saved values come back as the tensors they were), and the same lines then record
a graph of their own: the gradient of the gradient.

Shapes: an elementwise op sees operands whose shapes already agree, except for operands that need
no gradient (numpy broadcasts those). Broadcasting an operand that needs a gradient is recorded as
an explicit `Expand` node, and `Expand.backward` (a sum) is where a gradient is summed back to a
smaller shape: the adjoint of copying a value n times is adding up the n gradients.

The ops, by kind: `elementwise.py` (add, mul, exp, tanh, clamp, ...), `unary.py` (sin, log2,
logit, floor, ...), `binary.py` (pow with a tensor exponent, where, lerp, atan2, hypot, ...),
`linalg.py` (matmul, mm, einsum, inv, det, slogdet,
solve), `shape.py` (expand, reshape, permute, index, gather, scatter_add, cat), `reduce.py`
(sum, mean, max, min, amax, cumsum, cumprod, ...), `copies.py` (casts and copies) and
`losses.py`. Only the maths lives here; argument checks and dtype rules are in the Tensor
front-end.
"""

from __future__ import annotations

from ..engine import Function
from .binary import (
    Atan2,
    ClampTensor,
    FloorDivide,
    Fmod,
    Hypot,
    Lerp,
    Maximum,
    Minimum,
    PowTensor,
    Remainder,
    Where,
)
from .common import broadcast_view, expand_to, sum_to_shape
from .copies import Cast, Clone, Copy, Fill
from .elementwise import (
    Abs,
    Add,
    Clamp,
    Div,
    Exp,
    Log,
    Mul,
    Neg,
    Pow,
    Relu,
    Sigmoid,
    Sqrt,
    Sub,
    Tanh,
)
from .linalg import MM, Det, Einsum, Inv, LinAlgError, MatMul, Slogdet, Solve
from .losses import BinaryCrossEntropy
from .reduce import (
    Amax,
    Amin,
    Cumprod,
    Cumsum,
    LogSoftmax,
    LogSumExp,
    Max,
    Mean,
    Min,
    Norm,
    Prod,
    Softmax,
    Sum,
)
from .shape import (
    Cat,
    Expand,
    Flip,
    Gather,
    Index,
    IndexBackward,
    Permute,
    Reshape,
    Roll,
    ScatterAdd,
    Squeeze,
    Transpose,
    Unsqueeze,
    View,
)
from .unary import (
    Acos,
    Asin,
    Atan,
    Ceil,
    Cos,
    Cosh,
    Erf,
    Exp2,
    Expm1,
    Floor,
    Frac,
    Log1p,
    Log2,
    Log10,
    Logit,
    Reciprocal,
    Round,
    Rsqrt,
    Sign,
    Sin,
    Sinh,
    Tan,
    Trunc,
)

__all__ = [
    "OPS", "broadcast_view", "expand_to", "sum_to_shape", "Abs", "Acos", "Add", "Amax", "Amin",
    "Asin", "Atan", "Atan2", "BinaryCrossEntropy", "Cast", "Cat", "Ceil", "Clamp", "ClampTensor",
    "Clone", "Copy", "Cos", "Cosh", "Cumprod", "Cumsum", "Div", "Einsum", "Erf", "Exp", "Exp2",
    "Expand", "Expm1", "Fill", "Flip", "Floor", "FloorDivide", "Fmod", "Frac", "Gather", "Hypot",
    "Index", "IndexBackward", "Lerp", "Log", "Log10", "Log1p", "Log2", "LogSoftmax", "LogSumExp",
    "Logit", "MM", "MatMul", "Max",
    "Maximum", "Mean", "Min", "Minimum", "Mul", "Neg", "Norm", "Permute", "Pow", "PowTensor",
    "Prod", "Reciprocal", "Relu", "Remainder", "Reshape", "Roll", "Round", "Rsqrt", "ScatterAdd",
    "Sigmoid", "Sign", "Sin", "Sinh", "Softmax", "Sqrt", "Squeeze", "Sub", "Sum", "Tan", "Tanh",
    "Transpose", "Trunc", "Unsqueeze", "View", "Where", "Inv", "Det", "Slogdet", "Solve",
    "LinAlgError",
]  # fmt: skip

#: Every op, by the name shown in graphs; the gradcheck tests are parametrized from this table.
OPS: dict[str, type[Function]] = {
    op.name: op
    for op in (
        Add, Sub, Mul, Div, Neg, Pow, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Abs, Clamp,
        Sin, Cos, Tan, Atan, Asin, Acos, Sinh, Cosh, Log1p, Expm1, Log2, Log10, Exp2, Rsqrt,
        Reciprocal, Frac, Erf, Logit, Sign, Floor, Ceil, Trunc, Round,
        PowTensor, Remainder, Fmod, FloorDivide, Maximum, Minimum, Where, Lerp, ClampTensor,
        Atan2, Hypot,
        MatMul, MM, Einsum, Inv, Det, Slogdet, Solve,
        Expand, Reshape, View, Squeeze, Unsqueeze, Permute, Transpose, Index, Gather, Cat, Flip,
        Roll, ScatterAdd,
        Sum, Mean, Max, Min, Amax, Amin, Prod, Cumsum, Cumprod, Norm, LogSumExp, Softmax,
        LogSoftmax,
        Cast, Clone, Fill, Copy,
        BinaryCrossEntropy,
    )
}  # fmt: skip
