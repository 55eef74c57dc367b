"""Matrix products, and einsum, the sum of products that names its axes with letters.
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
