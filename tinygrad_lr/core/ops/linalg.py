"""Matrix products; einsum, the sum of products that names its axes with letters; and the
square-matrix ops (inverse, determinant, log-determinant, solve), computed by numpy's LAPACK.

The backward formulas of the square-matrix ops call `inv` and `solve` below, which are numpy's on
arrays and these ops themselves on tensors: in a create_graph backward the gradient is then
recorded through them and can be differentiated again (one formula, two uses).
"""

from __future__ import annotations

import string

import numpy as np

from ..engine import Function
from . import common
from .common import Array, is_tensor, mm, sum_to_shape


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
        return mm(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (mm(g, b.T) if need_a else None), (mm(a.T, g) if need_b else None)


class Einsum(Function):
    """`einsum` with an explicit equation ("ij,jk->ik"): the front-end has written out the output
    and any `...`, and expanded the operands so that each letter has one size."""

    name = "einsum"
    formula = ("z = Σ over the letters not in the output of Π aᵢ;   daᵢ = einsum of g and the "
               "other operands, written to aᵢ's letters")

    @staticmethod
    def forward(ctx, *operands, equation):
        ctx.equation, ctx.shapes = equation, [a.shape for a in operands]
        needs = ctx.needs_input_grad
        # z is linear in each operand: the gradient of one reads only the others.
        ctx.save_for_backward(*(a if any(needs[:i] + needs[i + 1:]) else None
                                for i, a in enumerate(operands)))  # fmt: skip
        z = np.einsum(equation, *operands)
        # With one operand numpy may hand back a view of it (a transpose, a diagonal): the result
        # gets memory of its own, so that an in-place change of it cannot reach the operand.
        return z.copy() if len(operands) == 1 else z

    @staticmethod
    def backward(ctx, g):
        operands = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        terms = inputs.split(",")
        return tuple(_einsum_gradient(i, g, output, terms, operands, ctx.shapes) if need else None
                     for i, need in enumerate(ctx.needs_input_grad))  # fmt: skip


def _einsum_gradient(i: int, g: Array, output: str, terms: list[str], operands: tuple,
                     shapes: list[tuple[int, ...]]) -> Array:  # fmt: skip
    """dL/d(operand i): the einsum of g (with the output's letters) and every other operand,
    written to operand i's letters.

    Each element of z is a sum of products, one factor from each operand; the derivative of a
    product by one factor is the product of the others, and g weighs each element of z. Two
    cases numpy cannot write as an output: a letter found only in operand i (summed away in the
    forward: its gradient is the same all along it, so an einsum with a vector of ones copies it),
    and a letter repeated in operand i ("ii", a diagonal: only the diagonal received a gradient,
    so the repeat is renamed and tied to the first by the identity matrix).
    """
    letters = [output] + [s for j, s in enumerate(terms) if j != i]
    values = [g] + [a for j, a in enumerate(operands) if j != i]
    unused = [c for c in string.ascii_letters if c not in ",".join(terms) + output]
    target = ""
    for letter, size in zip(terms[i], shapes[i]):
        if letter in target:
            fresh = unused.pop()
            letters.append(letter + fresh)
            values.append(np.eye(size, dtype=g.dtype))
            letter = fresh
        target += letter
    for letter, size in zip(target, shapes[i]):
        if letter not in "".join(letters):
            letters.append(letter)
            values.append(np.ones(size, dtype=g.dtype))
    return einsum(",".join(letters) + "->" + target, *values)


def einsum(equation: str, *values: Array) -> Array:
    """numpy's einsum on arrays; on tensors (a create_graph backward) the op itself, so that the
    gradient is recorded and can be differentiated again."""
    if any(map(is_tensor, values)):
        return Einsum.apply(*[v if is_tensor(v) else common.Tensor._wrap(v) for v in values],
                            equation=equation)  # fmt: skip
    return np.einsum(equation, *values)


# ---------------------------------------------------------------------------------------------
# Square matrices: (..., n, n), the last two dimensions of each; the front-end has checked the
# shapes and dtypes, and broadcast the batch dimensions of solve's two operands to one shape.
# ---------------------------------------------------------------------------------------------


class LinAlgError(RuntimeError):
    """PyTorch's `torch.linalg.LinAlgError` (a RuntimeError): a matrix the factorization cannot
    handle, such as a singular matrix given to `inv` or `solve`."""


class Inv(Function):
    name = "inv"
    formula = "z = a⁻¹;   da = -zᵀ @ g @ zᵀ"

    @staticmethod
    def forward(ctx, a, singular=None):
        z = _inverse(a, singular)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, g):
        # a z = I, so da z + a dz = 0 and dz = -z da z; then Σ g · dz = Σ (-zᵀ g zᵀ) · da.
        (z,) = ctx.saved_tensors
        zt = z.swapaxes(-1, -2)
        return -(zt @ g @ zt)


class Det(Function):
    name = "det"
    formula = "z = det(a);   da = g · z · a⁻ᵀ  (0 where a is singular, as PyTorch gives)"

    @staticmethod
    def forward(ctx, a):
        z = np.linalg.det(a)
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx, g):
        # Jacobi's formula: d det(a) = det(a) · tr(a⁻¹ da), so the gradient is det(a) · a⁻ᵀ, the
        # cofactor matrix. At a singular matrix det(a) = 0 and PyTorch's first derivative is 0
        # (the true one is the adjugate's transpose, which needs an SVD): the inverse of a
        # singular matrix is taken as zeros here, which gives the same 0.
        a, z = ctx.saved_tensors
        scale = (g * z)[..., None, None]
        return scale * inv(a, singular=0.0).swapaxes(-1, -2)


class Slogdet(Function):
    """`slogdet`: the sign and the log of the absolute value of the determinant, stacked on a
    new first dimension (the front-end hands out the two halves)."""

    name = "slogdet"
    formula = "z = (sign det a, log|det a|);   da = g_log · a⁻ᵀ  (the sign is piecewise constant)"

    @staticmethod
    def forward(ctx, a):
        sign, logabsdet = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return np.stack([sign, logabsdet])

    @staticmethod
    def backward(ctx, g):
        # d log|det a| = tr(a⁻¹ da) (Jacobi's formula divided by det a). The sign's derivative is
        # 0 wherever it is defined, so g[0] does not count. A singular matrix has log|det| = -inf
        # and no finite derivative: its inverse is taken as nan.
        (a,) = ctx.saved_tensors
        return g[1][..., None, None] * inv(a, singular=np.nan).swapaxes(-1, -2)


class Solve(Function):
    name = "solve"
    formula = "z = a⁻¹ b  (a z = b);   db = solve(aᵀ, g),   da = -db @ zᵀ"

    @staticmethod
    def forward(ctx, a, b):
        z = _solve(a, b)
        ctx.save_for_backward(a, z if ctx.needs_input_grad[0] else None)
        return z

    @staticmethod
    def backward(ctx, g):
        # z = a⁻¹ b: db = a⁻ᵀ g (the adjoint of applying a⁻¹), and from d(a⁻¹) = -a⁻¹ da a⁻¹,
        # Σ g · dz = Σ (-a⁻ᵀ g zᵀ) · da = Σ (-db zᵀ) · da.
        a, z = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        db = solve(a.swapaxes(-1, -2), g)
        return (-(db @ z.swapaxes(-1, -2)) if need_a else None), (db if need_b else None)


def inv(a: Array, singular: float | None = None) -> Array:
    """a⁻¹ (numpy's on arrays, the op on tensors, so that the gradient is recorded); with
    `singular` a number, a singular matrix's inverse is filled with it instead of raising."""
    if is_tensor(a):
        return Inv.apply(a, singular=singular)
    return _inverse(a, singular)


def solve(a: Array, b: Array) -> Array:
    """a⁻¹ b without forming a⁻¹ (numpy's on arrays, the op on tensors)."""
    if is_tensor(a) or is_tensor(b):
        return Solve.apply(*[v if is_tensor(v) else common.Tensor._wrap(v) for v in (a, b)])
    return _solve(a, b)


def _inverse(a: np.ndarray, singular: float | None) -> np.ndarray:
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        if singular is None:
            raise _singular("linalg.inv", a, "The inversion could not be completed") from None
    out = np.full(a.shape, singular, a.dtype)
    for i in np.ndindex(a.shape[:-2]):  # each matrix of the batch on its own
        if not _is_singular(a[i]):
            out[i] = np.linalg.inv(a[i])
    return out


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        raise _singular("linalg.solve", a, "The solver failed") from None


def _is_singular(m: np.ndarray) -> bool:
    # numpy's LU factorization (LAPACK's getrf) fails exactly when a pivot is zero.
    try:
        np.linalg.inv(m)
    except np.linalg.LinAlgError:
        return True
    return False


def _singular(op: str, a: np.ndarray, failure: str) -> LinAlgError:
    """PyTorch's error for a singular matrix, naming the first singular matrix of a batch."""
    where = ""
    if a.ndim > 2:
        first = next(k for k, i in enumerate(np.ndindex(a.shape[:-2])) if _is_singular(a[i]))
        where = f"(Batch element {first}): "
    return LinAlgError(f"{op}: {where}{failure} because the input matrix is singular (A of "
                       f"shape {tuple(a.shape)}: its LU factorization has a zero pivot).")
