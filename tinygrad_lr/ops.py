"""The op table: every differentiable operation, its forward and its backward side by side.

Each op is a `Function` subclass working on plain numpy arrays. `forward` computes the value and
saves what the derivative needs; `backward(g)` receives g = dL/d(output) and returns dL/d(input)
for each input, by the chain rule: dL/dx = g · ∂output/∂x. The one-line `formula` of each op is
the same rule in math; read together they are the whole calculus of this package.

Shapes: binary ops here see operands whose shapes already agree, except for operands that need no
gradient (numpy broadcasts those). Broadcasting an operand that needs a gradient is recorded as an
explicit `Expand` node by the Tensor front-end, and `Expand.backward` (a sum) is where an
elementwise op's gradient is summed back to a smaller shape: the adjoint of copying a value n times
is adding the n gradients. One function does every such sum, `sum_to_shape`; besides `Expand`,
only `MatMul` calls it, for batch dimensions that numpy's matmul broadcasts.

Only the ops' maths lives here; argument checking and dtype rules are in `tensor.py`.
"""

from __future__ import annotations

import math

import numpy as np

from .autograd import Function


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`: undo numpy broadcasting (the adjoint of `np.broadcast_to`).

    Broadcasting prepends dimensions and stretches size-1 ones; each copy received its own
    gradient, and the total gradient of the original element is their sum.
    """
    grad_shape = grad.shape
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    if math.prod(shape) == 1:  # broadcast from one element (a bias, a number): sum everything
        axes = None
    else:
        axes = tuple(range(lead)) + tuple(
            [i + lead for i, size in enumerate(shape) if size == 1 and grad_shape[i + lead] != 1]
        )
    # np.add.reduce is what ndarray.sum runs, without numpy's Python layer in between.
    total = np.add.reduce(grad, axes, None, None, True)  # (keepdims=True)
    return total.reshape(shape) if lead else total


def broadcast_view(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`x` repeated along its size-1 dimensions (and new leading ones) as a read-only view.

    What `np.broadcast_to` returns, built directly: a view whose stride is 0 along every repeated
    dimension, so that each copy is the same memory. (np.broadcast_to gets there through numpy's
    general iterator, which costs several times more for the small arrays of a training step.)
    Read-only, because a write through one copy would change them all.
    """
    lead = len(shape) - x.ndim
    if x.size == 1:  # one element (a bias, a number): every step along every dimension is 0
        strides = (0,) * len(shape)
    else:
        strides = (0,) * lead + tuple([0 if n == 1 else s for n, s in zip(x.shape, x.strides)])
    try:
        view = np.ndarray(shape, x.dtype, x, 0, strides)
    except (ValueError, TypeError):  # x's memory is not one contiguous block: the general way
        return np.broadcast_to(x, shape)
    view.setflags(write=False)
    return view


# Domains: outside their domain, division, pow, exp, log and sqrt give inf or nan (1/0,
# log 0, √-1, exp(1000)), as in PyTorch, and silently: a numpy RuntimeWarning pointing into this
# file would tell the user nothing about their own code. The same goes for their gradients
# (d√x = 1/(2√x) is inf at 0), so their backward is silenced too. detect_anomaly() reports where
# the first nan/inf gradient appears. Arithmetic that overflows, or makes a new nan out of
# infinities (inf - inf, 0 · inf), keeps numpy's warning, forward and backward alike: it is the
# first sign of a run diverging, and silencing it in add, sub, mul and matmul would cost about
# 1 µs at every op (entering numpy's error state is slow next to a small array's arithmetic).

# ---------------------------------------------------------------------------------------------
# Elementwise, two inputs
# ---------------------------------------------------------------------------------------------


class Add(Function):
    name = "add"
    formula = "z = x + y;   dx = g,   dy = g"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x + y

    def backward(self, g: np.ndarray) -> tuple:
        return g, g


class Sub(Function):
    name = "sub"
    formula = "z = x - y;   dx = g,   dy = -g"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x - y

    def backward(self, g: np.ndarray) -> tuple:
        return g, (-g if self.needs_input_grad[1] else None)


class Mul(Function):
    name = "mul"
    formula = "z = x * y;   dx = g * y,   dy = g * x"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        # dx reads y and dy reads x: keep only those, so that in `0.5 * h` the array h is not kept
        # alive by this node when only h needs a gradient.
        dx, dy = self.needs_input_grad
        self.saved = (x if dy else None, y if dx else None)
        return x * y

    def backward(self, g: np.ndarray) -> tuple:
        x, y = self.saved
        dx, dy = self.needs_input_grad
        return (g * y if dx else None), (g * x if dy else None)


class Div(Function):
    name = "div"
    formula = "z = x / y;   dx = g / y,   dy = -g * x / y²"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.saved = (x if self.needs_input_grad[1] else None, y)  # dx needs only y
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see "Domains" above
            return x / y

    def backward(self, g: np.ndarray) -> tuple:
        x, y = self.saved
        dx, dy = self.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see "Domains" above
            return (g / y if dx else None), (-g * x / (y * y) if dy else None)


# ---------------------------------------------------------------------------------------------
# Elementwise, one input
# ---------------------------------------------------------------------------------------------


class Neg(Function):
    name = "neg"
    formula = "z = -x;   dx = -g"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return -x

    def backward(self, g: np.ndarray) -> tuple:
        return (-g,)


class Pow(Function):
    name = "pow"
    formula = "z = x ** p  (p a number);   dx = g * p * x ** (p - 1)"

    def forward(self, x: np.ndarray, exponent: float) -> np.ndarray:
        self.exponent = exponent
        self.saved = (x,)
        if exponent >= 0 and exponent % 1 == 0:
            # x², x³, ...: repeated multiplication, defined everywhere, so it warns only where mul
            # would (overflow); no need to enter numpy's error state (about 1 µs).
            return x**exponent
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see "Domains" above
            return x**exponent

    def backward(self, g: np.ndarray) -> tuple:
        (x,) = self.saved
        p = self.exponent
        if p == 0:  # x ** 0 is constant; p * x ** -1 would give 0 * inf = nan at x = 0
            return (np.zeros_like(g),)
        if p == 2:  # the common square: 2x, without a second power
            dx = x + x
            dx *= g  # in place: dx is a new array of our own, and one temporary fewer
            return (dx,)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see "Domains" above
            return (g * (p * x ** (p - 1)),)


class Exp(Function):
    name = "exp"
    formula = "z = exp(x);   dx = g * z"

    def forward(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # see "Domains" above
            z = np.exp(x)
        self.saved = (z,)  # exp is its own derivative: keep the output, not the input
        return z

    def backward(self, g: np.ndarray) -> tuple:
        (z,) = self.saved
        return (g * z,)


class Log(Function):
    name = "log"
    formula = "z = log(x);   dx = g / x"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.saved = (x,)
        with np.errstate(divide="ignore", invalid="ignore"):  # see "Domains" above
            return np.log(x)

    def backward(self, g: np.ndarray) -> tuple:
        (x,) = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):  # see "Domains" above
            return (g / x,)


class Sqrt(Function):
    name = "sqrt"
    formula = "z = √x;   dx = g / (2 z)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # see "Domains" above
            z = np.sqrt(x)
        self.saved = (z,)
        return z

    def backward(self, g: np.ndarray) -> tuple:
        (z,) = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):  # see "Domains" above
            return (g / (2 * z),)


class Tanh(Function):
    name = "tanh"
    formula = "z = tanh(x);   dx = g * (1 - z²)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        z = np.tanh(x)
        self.saved = (z,)
        return z

    def backward(self, g: np.ndarray) -> tuple:
        (z,) = self.saved
        return (g * (1 - z * z),)


class Sigmoid(Function):
    name = "sigmoid"
    formula = "z = 1 / (1 + exp(-x));   dx = g * z * (1 - z)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        # 1/(1+e^-x) = exp(-log(1 + e^-x)); logaddexp never overflows, even for x = -1000.
        with np.errstate(invalid="ignore"):  # nan in, nan out, quietly (see "Domains" above)
            z = np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)
        self.saved = (z,)
        return z

    def backward(self, g: np.ndarray) -> tuple:
        (z,) = self.saved
        return (g * z * (1 - z),)


class Relu(Function):
    name = "relu"
    formula = "z = max(x, 0);   dx = g where x > 0, else 0"

    def forward(self, x: np.ndarray) -> np.ndarray:
        z = np.maximum(x, 0)
        self.saved = (z,)
        return z

    def backward(self, g: np.ndarray) -> tuple:
        (z,) = self.saved
        return (g * (z > 0),)


class Abs(Function):
    name = "abs"
    formula = "z = |x|;   dx = g * sign(x)   (0 at x = 0, as in PyTorch)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.saved = (x,)
        return np.abs(x)

    def backward(self, g: np.ndarray) -> tuple:
        (x,) = self.saved
        # |x| has no derivative at 0; sign(0) = 0 picks the middle of the two slopes -1 and 1.
        # PyTorch's sign(nan) is 0 too (numpy's is nan), so a nan input passes no gradient.
        sign = np.sign(x, out=np.zeros_like(x), where=~np.isnan(x))
        return (g * sign,)


class Clamp(Function):
    name = "clamp"
    formula = "z = min(max(x, lo), hi);   dx = g where lo ≤ x ≤ hi, else 0"

    def forward(self, x: np.ndarray, min: float | None, max: float | None) -> np.ndarray:
        if self.needs_input_grad[0]:
            # Inclusive at both bounds, as PyTorch's clamp backward: an x sitting exactly on a
            # bound passes its gradient. A nan compares false, so it passes none.
            inside = np.ones(x.shape, dtype=bool)
            if min is not None:
                inside &= x >= min
            if max is not None:
                inside &= x <= max
            self.saved = (inside,)
        # Lower bound first, then upper: with min > max every element becomes max (PyTorch's rule).
        z = x if min is None else np.maximum(x, np.asarray(min, x.dtype))
        return z if max is None else np.minimum(z, np.asarray(max, x.dtype))

    def backward(self, g: np.ndarray) -> tuple:
        (inside,) = self.saved
        return (g * inside,)


# ---------------------------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------------------------


class MatMul(Function):
    name = "matmul"
    formula = "z = x @ w;   dx = g @ wᵀ,   dw = xᵀ @ g"

    def forward(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        self.saved = (x, w)
        return np.matmul(x, w)

    def backward(self, g: np.ndarray) -> tuple:
        x, w = self.saved
        # np.matmul reads a vector as a one-row matrix on the left and a one-column matrix on the
        # right; do the same, apply the matrix rule, then drop those dimensions again.
        x2 = x[None, :] if x.ndim == 1 else x
        w2 = w[:, None] if w.ndim == 1 else w
        batch = np.broadcast_shapes(x2.shape[:-2], w2.shape[:-2])
        g2 = g.reshape(batch + (x2.shape[-2], w2.shape[-1]))
        dx = dw = None
        if self.needs_input_grad[0]:
            dx = sum_to_shape(np.matmul(g2, np.swapaxes(w2, -1, -2)), x2.shape).reshape(x.shape)
        if self.needs_input_grad[1]:
            dw = sum_to_shape(np.matmul(np.swapaxes(x2, -1, -2), g2), w2.shape).reshape(w.shape)
        return dx, dw


class MM(MatMul):
    """`mm`: the 2-D-only matrix product (the front-end checks both are matrices)."""

    name = "mm"

    # Matrices only: the rule as the formula writes it, without matmul's vector and batch cases.
    # For two matrices ndarray.dot is the same product as np.matmul (both hand it to BLAS), and
    # reaches it in about half the time on small arrays.
    def forward(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        self.saved = (x, w)
        return x.dot(w)

    def backward(self, g: np.ndarray) -> tuple:
        x, w = self.saved
        dx, dw = self.needs_input_grad
        return (g.dot(w.T) if dx else None), (x.T.dot(g) if dw else None)


# ---------------------------------------------------------------------------------------------
# Shape: these move or copy elements, so their backward moves the gradient back the same way
# ---------------------------------------------------------------------------------------------


class Expand(Function):
    name = "expand"
    formula = "z = x broadcast to a shape;   dx = g summed over the copied dimensions"
    is_view = True

    def forward(self, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        self.in_shape = x.shape
        return broadcast_view(x, shape)  # a read-only view: no copy is made

    def backward(self, g: np.ndarray) -> tuple:
        return (sum_to_shape(g, self.in_shape),)


class Reshape(Function):
    name = "reshape"
    formula = "z = x with a new shape;   dx = g with x's shape"
    is_view = True

    def forward(self, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, g: np.ndarray) -> tuple:
        return (g.reshape(self.in_shape),)


class View(Reshape):
    name = "view"


class Squeeze(Reshape):
    name = "squeeze"


class Unsqueeze(Reshape):
    name = "unsqueeze"


class Permute(Function):
    name = "permute"
    formula = "z = x with its axes reordered;   dx = g with the axes put back"
    is_view = True

    def forward(self, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        self.dims = dims
        return np.transpose(x, dims)

    def backward(self, g: np.ndarray) -> tuple:
        return (np.transpose(g, np.argsort(self.dims)),)


class Transpose(Permute):
    name = "transpose"
    formula = "z = x with two axes swapped;   dx = g with them swapped back"


class Index(Function):
    name = "index"
    formula = "z = x[key];   dx = zeros like x, with g added at x[key]"
    is_view = True

    def forward(self, x: np.ndarray, key: object) -> np.ndarray:
        self.key, self.in_shape = key, x.shape
        out = x[key]
        if isinstance(out, np.generic):
            # One element picked by ints alone comes back from numpy as a scalar copy; with `...`
            # added it is the same element as a 0-d view, so that x[0] shares x's memory as in
            # PyTorch (`x[0].sub_(1)` under no_grad changes x, instead of silently nothing).
            out = x[(*key, Ellipsis) if isinstance(key, tuple) else (key, Ellipsis)]
        return out

    def backward(self, g: np.ndarray) -> tuple:
        dx = np.zeros(self.in_shape, dtype=g.dtype)
        # add.at, not `dx[key] += g`: an element picked twice (x[[0, 0]]) gets both gradients.
        np.add.at(dx, self.key, g)
        return (dx,)


# ---------------------------------------------------------------------------------------------
# Reductions: each output element depends on many inputs, so the gradient is spread back
# ---------------------------------------------------------------------------------------------


# Up to this many elements, a broadcast gradient is made as a real array rather than as a view.
_SMALL = 4096


def _spread(g: np.ndarray, in_shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool):
    # Put back the reduced dimensions as size 1, then broadcast: every input that was added into
    # an output element receives that element's gradient. (A 0-d g, from summing everything,
    # broadcasts as it is.)
    if not keepdim and g.ndim:
        g = np.expand_dims(g, dims)
    if math.prod(in_shape) <= _SMALL:  # a small copy: numpy fills it faster than it builds a view
        spread = np.empty(in_shape, g.dtype)
        spread[...] = g
        return spread
    return broadcast_view(g, in_shape)  # a read-only view: no memory, however big


class Sum(Function):
    name = "sum"
    formula = "z = Σ x over dims;   dx = g copied to every summed element"

    def forward(self, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        self.in_shape, self.dims, self.keepdim = x.shape, dims, keepdim
        return np.add.reduce(x, dims, None, None, keepdim)  # ndarray.sum, without its wrapper

    def backward(self, g: np.ndarray) -> tuple:
        return (_spread(g, self.in_shape, self.dims, self.keepdim),)


class Mean(Function):
    name = "mean"
    formula = "z = (1/n) Σ x over dims;   dx = g / n copied to every averaged element"

    def forward(self, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        self.in_shape, self.dims, self.keepdim = x.shape, dims, keepdim
        self.n = int(np.prod([x.shape[d] for d in dims]))
        with np.errstate(invalid="ignore", divide="ignore"):  # mean of nothing is nan, silently
            total = np.sum(x, axis=dims, keepdims=keepdim)
            return (total / self.n).astype(x.dtype, copy=False) if self.n else total * np.nan

    def backward(self, g: np.ndarray) -> tuple:
        with np.errstate(divide="ignore", invalid="ignore"):  # nothing averaged: n = 0
            return (_spread(g / self.n, self.in_shape, self.dims, self.keepdim),)


class Max(Function):
    """The largest element (dim=None), or the largest along one dim (`max(dim)`'s values)."""

    name = "max"
    formula = ("z = max of x (over dim);   dx = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick, arg_pick = staticmethod(np.max), staticmethod(np.argmax)

    def forward(self, x: np.ndarray, dim: int | None, keepdim: bool) -> np.ndarray:
        self.in_shape, self.dim, self.keepdim = x.shape, dim, keepdim
        if dim is None:
            z = self.pick(x)
            if self.needs_input_grad[0]:
                # Every element equal to the result is "the" maximum: PyTorch shares g evenly
                # among them (a nan result: among the nans, which are what made it).
                ties = np.isnan(x) if np.isnan(z) else x == z
                self.saved = (ties,)
            return z
        # The first extreme element along dim, as PyTorch (and numpy) choose it; a nan counts as
        # the extreme. The front-end asks numpy for the same indices to return them: computing
        # them here as well keeps this forward self-contained (a jit replay runs it alone).
        xd = x.reshape(1) if x.ndim == 0 else x
        self.indices = self.arg_pick(xd, axis=dim, keepdims=True)
        z = np.take_along_axis(xd, self.indices, axis=dim)
        return z.reshape(()) if x.ndim == 0 else (z if keepdim else np.squeeze(z, axis=dim))

    def backward(self, g: np.ndarray) -> tuple:
        if self.dim is None:
            (ties,) = self.saved
            return (ties * (g / np.count_nonzero(ties)),)
        if not self.in_shape:  # a 0-d input is its own maximum
            return (g,)
        dx = np.zeros(self.in_shape, dtype=g.dtype)
        g = g if self.keepdim else np.expand_dims(g, self.dim)
        np.put_along_axis(dx, self.indices, g, axis=self.dim)  # only the chosen element gets g
        return (dx,)


class Min(Max):
    """The smallest element (dim=None), or the smallest along one dim (`min(dim)`'s values)."""

    name = "min"
    formula = ("z = min of x (over dim);   dx = g at the chosen element along dim, or, over all "
               "elements, g split evenly among the elements equal to z")
    pick, arg_pick = staticmethod(np.min), staticmethod(np.argmin)


# ---------------------------------------------------------------------------------------------
# Copies and casts
# ---------------------------------------------------------------------------------------------


class Cast(Function):
    name = "to"
    formula = "z = x in another dtype;   dx = g in x's dtype"

    def forward(self, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        self.in_dtype = x.dtype
        return x.astype(dtype)

    def backward(self, g: np.ndarray) -> tuple:
        return (g.astype(self.in_dtype),)


class Clone(Function):
    name = "clone"
    formula = "z = a copy of x;   dx = g"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x.copy()

    def backward(self, g: np.ndarray) -> tuple:
        return (g,)


class Fill(Function):
    """The recorded form of `fill_`/`zero_`: the new value does not depend on the old one."""

    name = "fill"
    formula = "z = a constant with x's shape;   dx = 0"

    def forward(self, x: np.ndarray, value: float) -> np.ndarray:
        return np.full_like(x, value)

    def backward(self, g: np.ndarray) -> tuple:
        # A zero gradient, not None, as in PyTorch: x's old value was used, and contributes 0.
        return (np.zeros_like(g),)


class Copy(Function):
    """The recorded form of `copy_`: x's old value is replaced by src (already x's shape)."""

    name = "copy"
    formula = "z = src;   dx = 0,   dsrc = g"

    def forward(self, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        return src.copy()

    def backward(self, g: np.ndarray) -> tuple:
        return (np.zeros_like(g) if self.needs_input_grad[0] else None), g


# ---------------------------------------------------------------------------------------------
# Joining tensors, and the binary cross-entropy loss
# ---------------------------------------------------------------------------------------------


class Cat(Function):
    name = "cat"
    formula = "z = [x₁, x₂, …] joined along dim;   dxᵢ = the slice of g where xᵢ went"

    def forward(self, *xs: np.ndarray, dim: int) -> np.ndarray:
        self.dim, self.sizes = dim, [x.shape[dim] for x in xs]
        return np.concatenate(xs, axis=dim)

    def backward(self, g: np.ndarray) -> tuple:
        # Joining only places values side by side, so each input's gradient is its own slice of g.
        parts = np.split(g, np.cumsum(self.sizes)[:-1], axis=self.dim)
        return tuple(part if need else None for part, need in zip(parts, self.needs_input_grad))


class BinaryCrossEntropy(Function):
    """PyTorch's binary_cross_entropy, elementwise: its own node, as in PyTorch, so that p = 0 or
    p = 1 (a saturated sigmoid) gives the clamped loss and a finite gradient, where log then
    clamp then mul would give 0/0 = nan in backward."""

    name = "binary_cross_entropy"
    formula = ("z = -(y·log p + (1-y)·log(1-p)), each log clamped to ≥ -100;   "
               "dp = g·(p - y) / max(p·(1-p), 1e-12),   dy = g·(log(1-p) - log p)")

    @staticmethod
    def clamped_logs(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # log(0) = -inf would make the loss infinite for one confident mistake; PyTorch clamps
        # each log at -100, so the loss of one element is at most 100.
        with np.errstate(divide="ignore"):
            return np.maximum(np.log(p), -100), np.maximum(np.log1p(-p), -100)

    def forward(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.saved = (p, y)
        log_p, log_1mp = self.clamped_logs(p)
        return -(y * log_p + (1 - y) * log_1mp)

    def backward(self, g: np.ndarray) -> tuple:
        p, y = self.saved
        dp = dy = None
        if self.needs_input_grad[0]:
            # d/dp of -(y log p + (1-y) log(1-p)) = (p - y) / (p (1 - p)); the floor 1e-12 keeps
            # it finite where the sigmoid saturated to exactly 0 or 1 (PyTorch's EPSILON).
            dp = g * (p - y) / np.maximum(p * (1 - p), p.dtype.type(1e-12))
        if self.needs_input_grad[1]:
            # The clamped logs, as in the forward pass (PyTorch leaves them unclamped here, which
            # gives ±inf where p is exactly 0 or 1).
            log_p, log_1mp = self.clamped_logs(p)
            dy = g * (log_1mp - log_p)
        return dp, dy


#: Every op, by the name shown in graphs; tests are parametrized from this table.
OPS: dict[str, type[Function]] = {
    op.name: op
    for op in (
        Add, Sub, Mul, Div, Neg, Pow, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, MatMul, MM, Expand,
        Reshape, View, Squeeze, Unsqueeze, Permute, Transpose, Index, Sum, Mean, Cast, Clone,
        Fill, Copy,
        Cat, BinaryCrossEntropy,
        Abs, Clamp, Max, Min,
    )
}  # fmt: skip
