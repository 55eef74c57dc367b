"""The op table: every differentiable operation, its forward and its backward side by side.

Each op is a `Function` (see engine.py). `forward(ctx, …)` computes the value from numpy arrays
and saves what the derivative needs; `backward(ctx, g)` receives g = dL/d(output) and returns
dL/d(input) for each input, by the chain rule dL/dx = g · ∂output/∂x. The one-line `formula` of
each op is the same rule in math; read together they are the whole calculus of this package.
Inputs are called a and b (PyTorch's `input` and `other`), so that they cannot be mistaken for
tensors of the user's named x or y.

**One formula, two uses.** A backward formula is written only with what numpy arrays and Tensors
share: the operators (+ - * / @ **), `.T`, `.reshape`, `.sum(axis=…, keepdims=…)`, `.swapaxes`,
indexing, and the few helpers in the first section below, which take either. A plain backward
hands the formulas arrays, and they run as numpy code. A backward with `create_graph=True` hands
them Tensors (the saved values come back as the tensors they were), and the same lines then record
a graph of their own: the gradient of the gradient.

Shapes: an elementwise op sees operands whose shapes already agree, except for operands that need
no gradient (numpy broadcasts those). Broadcasting an operand that needs a gradient is recorded as
an explicit `Expand` node, and `Expand.backward` (a sum) is where a gradient is summed back to a
smaller shape: the adjoint of copying a value n times is adding up the n gradients.

Only the maths lives here; argument checks and dtype rules are in the Tensor front-end.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .engine import Function

Array = Any  # a numpy array, or, in a create_graph backward, a Tensor
Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)

# =============================================================================================
# Helpers that take arrays and tensors alike (the few spellings the two do not share)
# =============================================================================================


def sum_to_shape(g: Array, shape: tuple[int, ...]) -> Array:
    """Sum `g` down to `shape`: undo broadcasting (the adjoint of expand).

    Broadcasting prepends dimensions and stretches size-1 ones; every copy of an element got its
    own gradient, and the element's gradient is their sum.
    """
    if g.shape == shape:
        return g
    lead = len(g.shape) - len(shape)
    axes = list(range(lead))  # the prepended dimensions, and the stretched ones
    for i, n in enumerate(shape):
        if n == 1 and g.shape[lead + i] != 1:
            axes.append(lead + i)
    if isinstance(g, Tensor):
        return g.sum(tuple(axes), keepdim=True).reshape(shape)
    return np.add.reduce(g, tuple(axes), keepdims=True).reshape(shape)


def expand_to(g: Array, shape: tuple[int, ...]) -> Array:
    """`g` copied along its size-1 dimensions up to `shape` (the adjoint of summing)."""
    if isinstance(g, Tensor):
        return g.expand(shape)
    spread = np.empty(shape, g.dtype)
    spread[...] = g
    return spread


def broadcast_view(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`a` broadcast to `shape` as a read-only view: stride 0 along every repeated dimension, so
    that each copy is the same memory (what np.broadcast_to returns, built directly)."""
    a = np.asarray(a)
    lead = len(shape) - a.ndim
    strides = (0,) * lead + tuple([0 if n == 1 else s for n, s in zip(a.shape, a.strides)])
    try:
        view = np.ndarray(shape, a.dtype, a, 0, strides)
    except (ValueError, TypeError):  # memory that is not one block: numpy's general way
        return np.broadcast_to(a, shape)
    view.flags.writeable = False  # a write through one copy would change them all
    return view


def permute(g: Array, dims: tuple[int, ...]) -> Array:
    return g.permute(dims) if isinstance(g, Tensor) else g.transpose(dims)


def cast(g: Array, dtype: np.dtype) -> Array:
    return g.to(dtype) if isinstance(g, Tensor) else g.astype(dtype)


def zeros_like(g: Array) -> Array:
    return Tensor._wrap(np.zeros(g.shape, g.dtype)) if isinstance(g, Tensor) else np.zeros_like(g)


def log(a: Array) -> Array:
    return a.log() if isinstance(a, Tensor) else np.log(a)


def constant(a: Array) -> np.ndarray:
    """The values of `a` as a plain array: for masks and signs, which have no derivative."""
    return a._data if isinstance(a, Tensor) else a


# Domains: outside their domain, division, pow, exp, log and sqrt give inf or nan (1/0, log 0,
# √-1), as in PyTorch, and silently: a numpy warning pointing into this file would tell the user
# nothing about their own code. detect_anomaly() finds the first nan or inf gradient instead.
def quiet() -> np.errstate:
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


def power(a: Array, p: float) -> Array:
    """a ** p, quietly where that leaves the domain (0 ** -1 = inf, (-1) ** 0.5 = nan)."""
    if p >= 0 and p % 1 == 0:
        return a**p  # a², a³, ...: repeated products, defined everywhere
    with quiet():
        return a**p

# =============================================================================================
# Elementwise, two inputs
# =============================================================================================


class Add(Function):
    name = "add"
    formula = "z = a + b;   da = g,   db = g"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    name = "sub"
    formula = "z = a - b;   da = g,   db = -g"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, -g


class Mul(Function):
    name = "mul"
    formula = "z = a * b;   da = g * b,   db = g * a"

    @staticmethod
    def forward(ctx, a, b):
        # da reads b and db reads a: keep only those, so that in `0.5 * h` the array h is not
        # kept alive when only h needs a gradient.
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (g * b if need_a else None), (g * a if need_b else None)


class Div(Function):
    name = "div"
    formula = "z = a / b;   da = g / b,   db = -g * a / b²"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with quiet():
            return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with quiet():  # b = 0: inf
            # -(g·a/b)/b rather than -g·a/b²: b² underflows to 0 for |b| < 1e-23 in float32.
            return (g / b if need_a else None), (-(g * a / b) / b if need_b else None)


# =============================================================================================
# Elementwise, one input
# =============================================================================================


class Neg(Function):
    name = "neg"
    formula = "z = -a;   da = -g"

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Pow(Function):
    name = "pow"
    formula = "z = a ** p  (p a number);   da = g * p * a ** (p - 1)"

    @staticmethod
    def forward(ctx, a, exponent):
        ctx.exponent = exponent
        ctx.save_for_backward(a)
        return power(a, exponent)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:  # a ** 0 is constant; p * a ** -1 would give 0 * inf = nan at a = 0
            return zeros_like(g)
        return g * (p * power(a, p - 1))


class Exp(Function):
    name = "exp"
    formula = "z = exp(a);   da = g * z"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.exp(a)
        ctx.save_for_backward(z)  # exp is its own derivative: keep the output, not the input
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * z


class Log(Function):
    name = "log"
    formula = "z = log(a);   da = g / a"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with quiet():
            return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with quiet():  # a = 0: inf
            return g / a


class Sqrt(Function):
    name = "sqrt"
    formula = "z = √a;   da = g / (2 z)"

    @staticmethod
    def forward(ctx, a):
        with quiet():
            z = np.sqrt(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        with quiet():  # z = 0: inf
            return g / (2 * z)


class Tanh(Function):
    name = "tanh"
    formula = "z = tanh(a);   da = g * (1 - z²)"

    @staticmethod
    def forward(ctx, a):
        z = np.tanh(a)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * (1 - z * z)


class Sigmoid(Function):
    name = "sigmoid"
    formula = "z = 1 / (1 + exp(-a));   da = g * z * (1 - z)"

    @staticmethod
    def forward(ctx, a):
        # 1/(1 + e^-a) = exp(-log(1 + e^-a)); logaddexp never overflows, even for a = -1000.
        with quiet():
            z = np.exp(-np.logaddexp(0, -a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * z * (1 - z)


class Relu(Function):
    name = "relu"
    formula = "z = max(a, 0);   da = g where z > 0, else 0"

    @staticmethod
    def forward(ctx, a):
        z = np.maximum(a, 0)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * (constant(z) > 0)


class Abs(Function):
    name = "abs"
    formula = "z = |a|;   da = g * sign(a)   (0 at a = 0, as in PyTorch)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        a = constant(a)
        # |a| has no derivative at 0; sign(0) = 0 takes the middle of the slopes -1 and 1.
        # PyTorch's sign(nan) is 0 too (numpy's is nan): a nan input passes no gradient.
        return g * np.sign(a, out=np.zeros_like(a), where=~np.isnan(a))


class Clamp(Function):
    name = "clamp"
    formula = "z = min(max(a, lo), hi);   da = g where lo ≤ a ≤ hi, else 0"

    @staticmethod
    def forward(ctx, a, min, max):  # noqa: A002 - PyTorch's names
        if ctx.needs_input_grad[0]:
            # Inclusive at both bounds, as in PyTorch: an `a` exactly on a bound passes its
            # gradient. A nan compares false, so it passes none.
            inside = np.ones(a.shape, dtype=bool)
            if min is not None:
                inside &= a >= min
            if max is not None:
                inside &= a <= max
            ctx.save_for_backward(inside)
        # Lower bound first, then upper: with min > max every element becomes max (PyTorch).
        z = a if min is None else np.maximum(a, np.asarray(min, a.dtype))
        return z if max is None else np.minimum(z, np.asarray(max, a.dtype))

    @staticmethod
    def backward(ctx, g):
        (inside,) = ctx.saved_tensors
        return g * constant(inside)


# =============================================================================================
# Linear algebra
# =============================================================================================


class MatMul(Function):
    name = "matmul"
    formula = "z = a @ b;   da = g @ bᵀ,   db = aᵀ @ g"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        # matmul reads a vector as a one-row matrix on the left and a one-column matrix on the
        # right: do the same, apply the matrix rule, then sum away the broadcast batch dimensions
        # and drop those added ones again.
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        need_a, need_b = ctx.needs_input_grad
        da = sum_to_shape(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape) if need_a else None
        db = sum_to_shape(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape) if need_b else None
        return da, db


class MM(Function):
    """`mm`: the product of two matrices (the front-end checks that both are 2-D)."""

    name = "mm"
    formula = "z = a @ b;   da = g @ bᵀ,   db = aᵀ @ g"

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (g @ b.T if need_a else None), (a.T @ g if need_b else None)


# =============================================================================================
# Shape: these move or copy elements, so their backward moves the gradient back the same way
# =============================================================================================


class Expand(Function):
    name = "expand"
    formula = "z = a broadcast to a shape;   da = g summed over the copied dimensions"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return broadcast_view(a, shape)  # a read-only view: no copy is made

    @staticmethod
    def backward(ctx, g):
        return sum_to_shape(g, ctx.in_shape)


class Reshape(Function):
    name = "reshape"
    formula = "z = a with a new shape;   da = g with a's shape"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.in_shape)


class View(Reshape):
    name = "view"


class Squeeze(Reshape):
    name = "squeeze"


class Unsqueeze(Reshape):
    name = "unsqueeze"


class Permute(Function):
    name = "permute"
    formula = "z = a with its axes reordered;   da = g with the axes put back"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return permute(g, tuple(np.argsort(ctx.dims)))


class Transpose(Permute):
    name = "transpose"
    formula = "z = a with two axes swapped;   da = g with them swapped back"


class Index(Function):
    name = "index"
    formula = "z = a[key];   da = zeros like a, with g added at a[key]"
    is_view = True

    @staticmethod
    def forward(ctx, a, key):
        ctx.key, ctx.in_shape = key, a.shape
        out = a[key]
        if isinstance(out, np.generic):
            # One element picked by ints alone comes back from numpy as a scalar copy; with `...`
            # added it is the same element as a 0-d view, so that x[0] shares x's memory as in
            # PyTorch (`x[0].sub_(1)` under no_grad changes x).
            out = a[(*key, Ellipsis) if isinstance(key, tuple) else (key, Ellipsis)]
        return out

    @staticmethod
    def backward(ctx, g):
        if isinstance(g, Tensor):
            return IndexBackward.apply(g, key=ctx.key, shape=ctx.in_shape)
        return IndexBackward.forward(ctx, g, ctx.key, ctx.in_shape)


class IndexBackward(Function):
    """Index's backward as an op of its own: recorded in a create_graph backward."""

    name = "index_backward"
    formula = "z = zeros of a shape, with a added at [key];   da = g[key]"

    @staticmethod
    def forward(ctx, a, key, shape):
        ctx.key = key
        z = np.zeros(shape, dtype=a.dtype)
        np.add.at(z, key, a)  # not z[key] += a: an element picked twice gets both gradients
        return z

    @staticmethod
    def backward(ctx, g):
        return g[ctx.key]


class Cat(Function):
    name = "cat"
    formula = "z = [a₁, a₂, …] joined along dim;   daᵢ = the slice of g where aᵢ went"

    @staticmethod
    def forward(ctx, *arrays, dim):
        ctx.dim, ctx.sizes = dim, [a.shape[dim] for a in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, g):
        # Joining only places values side by side: each input's gradient is its slice of g.
        ends = np.cumsum(ctx.sizes)
        before = (slice(None),) * ctx.dim
        return tuple(g[before + (slice(end - size, end),)] if need else None
                     for end, size, need in zip(ends, ctx.sizes, ctx.needs_input_grad))  # fmt: skip


# =============================================================================================
# Reductions: each output element depends on many inputs, so the gradient is spread back
# =============================================================================================


def _spread(g: Array, in_shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> Array:
    # Put the reduced dimensions back as size 1, then copy: every input element that went into an
    # output element receives that element's gradient.
    if not keepdim and g.ndim:
        g = g.reshape([1 if i in dims else n for i, n in enumerate(in_shape)])
    return expand_to(g, in_shape)


class Sum(Function):
    name = "sum"
    formula = "z = Σ a over dims;   da = g copied to every summed element"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        return a.sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)


class Mean(Function):
    name = "mean"
    formula = "z = (1/n) Σ a over dims;   da = g / n copied to every averaged element"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        ctx.n = math.prod(a.shape[d] for d in dims)
        total = a.sum(axis=dims, keepdims=keepdim)
        if ctx.n == 0:  # the mean of nothing is nan, as in PyTorch
            return np.full_like(total, np.nan, dtype=a.dtype)
        return (total / ctx.n).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        if ctx.n == 0:  # nothing was averaged: the gradient is empty
            return _spread(g, ctx.in_shape, ctx.dims, ctx.keepdim)
        return _spread(g / ctx.n, ctx.in_shape, ctx.dims, ctx.keepdim)


class Max(Function):
    """The largest element (dim=None), or the largest along one dim (`max(dim)`'s values)."""

    name = "max"
    formula = ("z = max of a (over dim);   da = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.in_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        a1 = a.reshape(-1) if dim is None else a.reshape(1) if a.ndim == 0 else a
        axis = 0 if dim is None else dim
        # The first extreme element (a nan counts as the extreme, as in PyTorch and numpy).
        index = type(ctx).pick(a1, axis=axis, keepdims=True)
        z = np.take_along_axis(a1, index, axis=axis)
        if ctx.needs_input_grad[0]:
            if dim is None:  # every element equal to z is "the" extreme: g is shared evenly
                chosen = np.isnan(a) if np.isnan(z).any() else a == z.reshape(())
            else:  # the chosen element along dim, as a mask of a's shape
                chosen = np.zeros(a1.shape, bool)
                np.put_along_axis(chosen, index, True, axis=axis)
                chosen = chosen.reshape(a.shape)
            ctx.save_for_backward(chosen)
        if dim is None or a.ndim == 0:
            return z.reshape(())
        return z if keepdim else np.squeeze(z, axis=dim)

    @staticmethod
    def backward(ctx, g):
        (chosen,) = ctx.saved_tensors
        chosen = constant(chosen)
        if ctx.dim is None:
            return chosen * (g / np.count_nonzero(chosen))
        dims = () if not ctx.in_shape else (ctx.dim,)
        return chosen * _spread(g, ctx.in_shape, dims, ctx.keepdim)


class Min(Max):
    """The smallest element (dim=None), or the smallest along one dim (`min(dim)`'s values)."""

    name = "min"
    formula = ("z = min of a (over dim);   da = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick = staticmethod(np.argmin)


# =============================================================================================
# Copies and casts
# =============================================================================================


class Cast(Function):
    name = "to"
    formula = "z = a in another dtype;   da = g in a's dtype"

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.in_dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        return cast(g, ctx.in_dtype)


class Clone(Function):
    name = "clone"
    formula = "z = a copy of a;   da = g"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class Fill(Function):
    """The recorded form of `fill_`/`zero_`: the new value does not depend on the old one."""

    name = "fill"
    formula = "z = a constant with a's shape;   da = 0"

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a, value)

    @staticmethod
    def backward(ctx, g):
        # A zero gradient, not None, as in PyTorch: a's old value was used, and contributes 0.
        return zeros_like(g)


class Copy(Function):
    """The recorded form of `copy_`: a's old value is replaced by b (already a's shape)."""

    name = "copy"
    formula = "z = b;   da = 0,   db = g"

    @staticmethod
    def forward(ctx, a, b):
        return b.copy()

    @staticmethod
    def backward(ctx, g):
        return (zeros_like(g) if ctx.needs_input_grad[0] else None), g


# =============================================================================================
# The binary cross-entropy loss
# =============================================================================================


class BinaryCrossEntropy(Function):
    """PyTorch's binary_cross_entropy, elementwise: its own node, as in PyTorch, so that p = 0 or
    p = 1 (a saturated sigmoid) gives the clamped loss and a finite gradient, where log, then
    clamp, then mul would give 0/0 = nan in backward."""

    name = "binary_cross_entropy"
    formula = ("z = -(b·log a + (1-b)·log(1-a)), each log clamped to ≥ -100;   "
               "da = g·(a - b) / max(a·(1-a), 1e-12),   db = g·(log(1-a) - log a)")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return -(b * clamped_log(a) + (1 - b) * clamped_log(1 - a))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # d/da of -(b log a + (1-b) log(1-a)) = (a - b) / (a (1 - a)); the floor 1e-12 keeps it
        # finite where a sigmoid saturated to exactly 0 or 1 (PyTorch's EPSILON).
        da = g * (a - b) / (a * (1 - a)).clip(min=1e-12) if need_a else None
        # The clamped logs, as in the forward (PyTorch's are not clamped here: ±inf at 0 and 1).
        db = g * (clamped_log(1 - a) - clamped_log(a)) if need_b else None
        return da, db


def clamped_log(a: Array) -> Array:
    # log(0) = -inf would make one confident mistake cost infinitely much; PyTorch clamps each
    # log at -100, so one element's loss is at most 100.
    with quiet():
        return log(a).clip(min=-100)


#: Every op, by the name shown in graphs; the gradcheck tests are parametrized from this table.
OPS: dict[str, type[Function]] = {
    op.name: op
    for op in (
        Add, Sub, Mul, Div, Neg, Pow, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Abs, Clamp,
        MatMul, MM,
        Expand, Reshape, View, Squeeze, Unsqueeze, Permute, Transpose, Index, Cat,
        Sum, Mean, Max, Min,
        Cast, Clone, Fill, Copy,
        BinaryCrossEntropy,
    )
}  # fmt: skip
