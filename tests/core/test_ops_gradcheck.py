"""gradcheck on every op of `ops.OPS`: autograd agrees with finite differences.

The test is parametrized from the op table itself, so an op added to `ops.OPS` without a case
here fails `test_gradcheck[<its name>]`. Each case is a hypothesis strategy drawing shapes
(broadcasting included), values, and the form of the call (method, function, operator, reflected,
in-place on a non-leaf); every drawn case must also really record its op in the graph, so that a
case cannot silently test something else (a cast to the same dtype, an expand to the same shape,
both of which record nothing).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import (
    FEW,
    broadcastable_pairs,
    float64_arrays,
    leaf,
    nonzero_arrays,
    positive_arrays,
    shapes,
)

import tinygrad_lr as t
from tinygrad_lr.core import ops
from tinygrad_lr.core.engine import topological_order


@dataclass
class Case:
    """One gradcheck: `fn(*inputs)`, described by `label` (hypothesis prints it on failure)."""

    label: str
    fn: Callable[..., t.Tensor]
    inputs: list[t.Tensor]
    tolerances: dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        shapes_ = ", ".join(f"{tuple(x.shape)}{'' if x.requires_grad else ' const'}"
                            for x in self.inputs)  # fmt: skip
        return f"Case({self.label!r} on {shapes_})"


#: op name -> strategy of Cases for it
CASES: dict[str, st.SearchStrategy[Case]] = {}


def case_for(*names: str) -> Callable:
    """Register a composite strategy `draw_case(draw, name)` as the cases of the named ops."""

    def register(draw_case: Callable) -> Callable:
        for name in names:
            CASES[name] = st.composite(draw_case)(name)
        return draw_case

    return register


# ---------------------------------------------------------------------------------------------
# Elementwise
# ---------------------------------------------------------------------------------------------

_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
_INPLACE = {"add": "add_", "sub": "sub_", "mul": "mul_", "div": "div_"}


@case_for("add", "sub", "mul", "div")
def _binary(draw: st.DrawFn, name: str) -> Case:
    op = _BINARY[name]
    sx, sy = draw(broadcastable_pairs())
    # Divisors stay away from 0 (d(x/y)/dy = -x/y² grows fast); the same arrays serve every form.
    values = nonzero_arrays if name == "div" else float64_arrays
    x, y = draw(values(sx)), draw(values(sy))
    forms = ["x ⊗ y", "x ⊗ const y", "const x ⊗ y", "x ⊗ number", "number ⊗ y", "ndarray ⊗ y",
             "x.method(y)"]  # fmt: skip
    if np.broadcast_shapes(sx, sy) == sx:  # y can be written into a tensor of x's shape
        forms.append("h = x * 1; h ⊗= y")
    form = draw(st.sampled_from(forms))
    number = draw(st.sampled_from([2.5, -1.5, 3]))
    if form == "x ⊗ y":
        return Case(form, op, [leaf(x), leaf(y)])
    if form == "x ⊗ const y":
        return Case(form, op, [leaf(x), leaf(y, requires_grad=False)])
    if form == "const x ⊗ y":
        return Case(form, op, [leaf(x, requires_grad=False), leaf(y)])
    if form == "x ⊗ number":
        return Case(f"x ⊗ {number}", lambda a: op(a, number), [leaf(x)])
    if form == "number ⊗ y":  # the reflected operator: __radd__, __rsub__, ...
        return Case(f"{number} ⊗ y", lambda b: op(number, b), [leaf(y)])
    if form == "ndarray ⊗ y":  # numpy on the left must hand over to the Tensor's operator
        return Case(form, lambda b: op(x, b), [leaf(y)])
    if form == "x.method(y)":
        return Case(f"x.{name}(y)", lambda a, b: getattr(a, name)(b), [leaf(x), leaf(y)])

    def inplace(a: t.Tensor, b: t.Tensor) -> t.Tensor:
        h = a * 1.0
        return getattr(h, _INPLACE[name])(b)

    return Case(f"h = x * 1; h.{_INPLACE[name]}(y)", inplace, [leaf(x), leaf(y)])


def _inside_unit(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    # (-0.9, 0.9): inside the domain of asin and acos, away from their infinite slopes at ±1.
    return float64_arrays(shape, -0.9, 0.9)


def _off_the_jumps(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    # Values 0.2 away from every integer and half-integer: where floor, round, ... jump, finite
    # differences see the jump, not the (zero) derivative.
    return hnp.arrays(np.float64, shape, elements=st.integers(-12, 12).map(lambda k: k / 4 + 0.1))


_UNARY_VALUES = {"exp": float64_arrays, "neg": float64_arrays, "tanh": float64_arrays,
                 "sigmoid": float64_arrays, "log": positive_arrays, "sqrt": positive_arrays,
                 "relu": nonzero_arrays, "sin": float64_arrays, "cos": float64_arrays,
                 "tan": _inside_unit, "atan": float64_arrays, "asin": _inside_unit,
                 "acos": _inside_unit, "sinh": float64_arrays, "cosh": float64_arrays,
                 "log1p": positive_arrays, "expm1": float64_arrays, "log2": positive_arrays,
                 "log10": positive_arrays, "exp2": float64_arrays, "rsqrt": positive_arrays,
                 "reciprocal": nonzero_arrays, "frac": _off_the_jumps, "erf": float64_arrays,
                 "sign": nonzero_arrays, "floor": _off_the_jumps, "ceil": _off_the_jumps,
                 "trunc": _off_the_jumps, "round": _off_the_jumps}  # fmt: skip


@case_for(*_UNARY_VALUES)
def _unary(draw: st.DrawFn, name: str) -> Case:
    x = draw(_UNARY_VALUES[name](draw(shapes())))
    if name == "neg":
        form = draw(st.sampled_from(["-x", "x.neg()"]))
        return Case(form, operator.neg if form == "-x" else lambda a: a.neg(), [leaf(x)])
    if draw(st.booleans()):
        return Case(f"x.{name}()", lambda a: getattr(a, name)(), [leaf(x)])
    return Case(f"t.{name}(x)", getattr(t, name), [leaf(x)])


@case_for("pow")
def _pow(draw: st.DrawFn, name: str) -> Case:
    p = draw(st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 2.5]))
    shape = draw(shapes())
    if float(p).is_integer():
        # negative powers of values near 0 blow up; integer powers are defined for x < 0
        x = draw(nonzero_arrays(shape) if p < 0 else float64_arrays(shape))
    else:
        x = draw(positive_arrays(shape))  # fractional powers of x < 0 are nan
    form = draw(st.sampled_from(["x ** p", "x.pow(p)", "t.pow(x, p)"]))
    fn = {"x ** p": lambda a: a**p, "x.pow(p)": lambda a: a.pow(p),
          "t.pow(x, p)": lambda a: t.pow(a, p)}[form]  # fmt: skip
    return Case(form.replace("p", repr(p)), fn, [leaf(x)])


@case_for("pow_tensor")
def _pow_tensor(draw: st.DrawFn, name: str) -> Case:
    sx, sy = draw(broadcastable_pairs())
    base, exponent = draw(positive_arrays(sx)), draw(float64_arrays(sy, -2.0, 2.0))
    form = draw(st.sampled_from(["x ** y", "x.pow(y)", "t.pow(x, y)", "2.5 ** y", "const x ** y"]))
    if form == "2.5 ** y":
        return Case(form, lambda b: 2.5**b, [leaf(exponent)])
    if form == "const x ** y":
        return Case(form, operator.pow, [leaf(base, requires_grad=False), leaf(exponent)])
    fn = {"x ** y": operator.pow, "x.pow(y)": lambda a, b: a.pow(b), "t.pow(x, y)": t.pow}[form]
    return Case(form, fn, [leaf(base), leaf(exponent)])


@case_for("remainder", "fmod")
def _remainder(draw: st.DrawFn, name: str) -> Case:
    sx, sy = draw(broadcastable_pairs())
    y = draw(hnp.arrays(np.float64, sy, elements=st.sampled_from([0.7, -0.7, 1.3, -1.9])))
    # x away from the multiples of y, where the remainder jumps.
    x = draw(hnp.arrays(np.float64, sx, elements=st.integers(-20, 20).map(lambda k: k * 0.37)))
    x = np.where(np.abs(np.remainder(x, 0.7)) < 0.05, x + 0.1, x)
    fn = (lambda a, b: a % b) if name == "remainder" else (lambda a, b: a.fmod(b))
    if np.any(np.abs(np.fmod(np.broadcast_arrays(x, y)[0] / np.broadcast_arrays(x, y)[1], 1))
              < 0.05):  # fmt: skip
        return Case(f"{name}: x only", lambda a: fn(a, 2.3), [leaf(x + 0.05)])
    return Case(f"x {'%' if name == 'remainder' else 'fmod'} y", fn, [leaf(x), leaf(y)])


@case_for("maximum", "minimum")
def _maximum(draw: st.DrawFn, name: str) -> Case:
    sx, sy = draw(broadcastable_pairs())
    x, y = draw(_distinct_arrays(sx)), draw(_distinct_arrays(sy)) + 0.05  # never equal
    form = draw(st.sampled_from([f"x.{name}(y)", f"t.{name}(x, y)", f"t.{name[:3]}(x, y)"]))
    fn = {f"x.{name}(y)": lambda a, b: getattr(a, name)(b), f"t.{name}(x, y)": getattr(t, name),
          f"t.{name[:3]}(x, y)": getattr(t, name[:3])}[form]  # fmt: skip
    return Case(form, fn, [leaf(x), leaf(y)])


@case_for("where")
def _where(draw: st.DrawFn, name: str) -> Case:
    sc, sx = draw(broadcastable_pairs())
    condition = t.tensor(draw(hnp.arrays(np.bool_, sc)))
    x, y = draw(float64_arrays(sx)), draw(float64_arrays(sx[-1:] if draw(st.booleans()) else ()))
    if draw(st.booleans()):
        return Case("t.where(c, x, y)", lambda a, b: t.where(condition, a, b), [leaf(x), leaf(y)])
    return Case("x.where(c, 1.5)", lambda a: a.where(condition, 1.5), [leaf(x)])


@case_for("lerp")
def _lerp(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    a, b, w = (draw(float64_arrays(shape)) for _ in range(3))
    if draw(st.booleans()):
        return Case("x.lerp(y, w)", lambda x, y, z: x.lerp(y, z), [leaf(a), leaf(b), leaf(w)])
    return Case("t.lerp(x, y, 0.3)", lambda x, y: t.lerp(x, y, 0.3), [leaf(a), leaf(b)])


@case_for("clamp_tensor")
def _clamp_tensor(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    x = draw(_distinct_arrays(shape))
    lo = draw(_distinct_arrays(shape)) + 0.05  # never equal to x
    hi = lo + draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.3, 1.1, 2.0])))
    hi = np.where(np.abs(hi - x) < 0.05, hi + 0.1, hi)
    if draw(st.booleans()):
        return Case("x.clamp(lo, hi)", lambda a, b, c: a.clamp(b, c), [leaf(x), leaf(lo), leaf(hi)])
    return Case("t.clamp(x, min=lo)", lambda a, b: t.clamp(a, min=b), [leaf(x), leaf(lo)])


@case_for("atan2", "hypot")
def _atan2(draw: st.DrawFn, name: str) -> Case:
    # Both away from 0: atan2 jumps by 2π across the negative x axis, and neither is smooth at
    # the origin.
    sy, sx = draw(broadcastable_pairs())
    y, x = draw(nonzero_arrays(sy)), draw(nonzero_arrays(sx))
    alias = "arctan2" if name == "atan2" else name
    form = draw(st.sampled_from([f"a.{name}(b)", f"t.{name}(a, b)", f"t.{alias}(a, const b)"]))
    if form.endswith("const b)"):
        return Case(form, getattr(t, alias), [leaf(y), leaf(x, requires_grad=False)])
    fn = getattr(t, name) if form.startswith("t.") else (lambda a, b: getattr(a, name)(b))
    return Case(form, fn, [leaf(y), leaf(x)])


@case_for("logit")
def _logit(draw: st.DrawFn, name: str) -> Case:
    # Probabilities inside (0.05, 0.95), away from the infinite slopes at 0 and 1; eps=0.01 clamps
    # none of them (at a clamp's bound the gradient would jump).
    x = draw(float64_arrays(draw(shapes()), 0.05, 0.95))
    form = draw(st.sampled_from(["x.logit()", "t.logit(x)", "x.logit(eps=0.01)"]))
    fn = {"x.logit()": lambda a: a.logit(), "t.logit(x)": t.logit,
          "x.logit(eps=0.01)": lambda a: a.logit(eps=0.01)}[form]  # fmt: skip
    return Case(form, fn, [leaf(x)])


@case_for("floor_divide")
def _floor_divide(draw: st.DrawFn, name: str) -> Case:
    # Not differentiable, as in PyTorch: the case checks that it is recorded and its derivative
    # refused (test_floor_divide_has_no_derivative); gradcheck itself is skipped for it.
    x = draw(float64_arrays(draw(shapes())))
    return Case("x // 0.7", lambda a: a // 0.7, [leaf(x)])


# ---------------------------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------------------------

_MATMUL_KINDS = ["vec @ vec", "vec @ mat", "mat @ vec", "mat @ mat", "batch @ mat", "mat @ batch",
                 "batch @ batch", "vec @ batch", "batch @ vec", "broadcast batches"]  # fmt: skip


@case_for("matmul")
def _matmul(draw: st.DrawFn, name: str) -> Case:
    n, k, m, b, c = (draw(st.integers(1, 3)) for _ in range(5))
    kind = draw(st.sampled_from(_MATMUL_KINDS))
    sx, sw = {
        "vec @ vec": ((k,), (k,)), "vec @ mat": ((k,), (k, m)), "mat @ vec": ((n, k), (k,)),
        "mat @ mat": ((n, k), (k, m)), "batch @ mat": ((b, n, k), (k, m)),
        "mat @ batch": ((n, k), (b, k, m)), "batch @ batch": ((b, n, k), (b, k, m)),
        "vec @ batch": ((k,), (b, k, m)), "batch @ vec": ((b, n, k), (k,)),
        "broadcast batches": ((b, 1, n, k), (c, k, m)),
    }[kind]  # fmt: skip
    x, w = draw(float64_arrays(sx)), draw(float64_arrays(sw))
    form = draw(st.sampled_from(["x @ w", "x.matmul(w)", "t.matmul(x, w)"]))
    fn = {"x @ w": operator.matmul, "x.matmul(w)": lambda a, v: a.matmul(v),
          "t.matmul(x, w)": t.matmul}[form]  # fmt: skip
    constant = draw(st.sampled_from(["", "x", "w"]))
    inputs = [leaf(x, requires_grad=constant != "x"), leaf(w, requires_grad=constant != "w")]
    return Case(f"{form} ({kind}{', const ' + constant if constant else ''})", fn, inputs)


@case_for("mm")
def _mm(draw: st.DrawFn, name: str) -> Case:
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    x, w = draw(float64_arrays((n, k))), draw(float64_arrays((k, m)))
    form = draw(st.sampled_from(["x.mm(w)", "t.mm(x, w)"]))
    fn = (lambda a, v: a.mm(v)) if form == "x.mm(w)" else t.mm
    constant = draw(st.sampled_from(["", "x", "w"]))
    inputs = [leaf(x, requires_grad=constant != "x"), leaf(w, requires_grad=constant != "w")]
    return Case(form, fn, inputs)


# Equations and their operands' shapes: products, batches, outer products, a diagonal and a
# trace (a letter repeated in one operand), a sum, a transpose, "..." and the implicit output, and
# a size-1 dimension broadcast against its letter.
_EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 2)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 1)]),
    ("i,j->ij", [(3,), (2,)]), ("ii->", [(3, 3)]), ("ii->i", [(3, 3)]), ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]), ("ij,ij->i", [(2, 3), (2, 3)]), ("...ij,...jk", [(2, 2, 3), (3, 2)]),
    ("i,i", [(3,), (3,)]), ("ij,j->i", [(2, 3), (1,)]), ("bii->bi", [(2, 3, 3)]),
    ("ijk,ik->j", [(2, 3, 2), (2, 2)]), ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    (",i->i", [(), (3,)]),
]  # fmt: skip


@case_for("einsum")
def _einsum(draw: st.DrawFn, name: str) -> Case:
    equation, shapes_ = draw(st.sampled_from(_EINSUMS))
    arrays = [draw(float64_arrays(shape)) for shape in shapes_]
    constant = draw(st.sampled_from([None, *range(len(arrays))])) if len(arrays) > 1 else None
    inputs = [leaf(a, requires_grad=i != constant) for i, a in enumerate(arrays)]
    if draw(st.booleans()):
        return Case(f"t.einsum({equation!r}, *xs)", lambda *xs: t.einsum(equation, *xs), inputs)
    return Case(f"t.einsum({equation!r}, [xs])", lambda *xs: t.einsum(equation, list(xs)), inputs)


def _square_matrices(draw: st.DrawFn, batch: tuple[int, ...] | None = None) -> np.ndarray:
    """Well-conditioned matrices: 3 on the diagonal plus values in [-0.9, 0.9] (for n <= 3,
    strictly diagonally dominant with a positive diagonal, so the determinant is positive and
    the inverse's entries small); a batch of none, one or two dimensions."""
    n = draw(st.integers(1, 3))
    if batch is None:
        batch = tuple(draw(st.lists(st.integers(1, 2), max_size=2)))
    return draw(float64_arrays((*batch, n, n), -0.9, 0.9)) + 3 * np.eye(n)


_INVERSE_FORMS = {"t.linalg.inv(A)": t.linalg.inv, "t.inverse(A)": t.inverse,
                  "A.inverse()": lambda a: a.inverse()}  # fmt: skip
_DETERMINANT_FORMS = {
    "det": {"t.linalg.det(A)": t.linalg.det, "t.det(A)": t.det, "A.det()": lambda a: a.det()},
    "slogdet": {"t.linalg.slogdet(A).logabsdet": lambda a: t.linalg.slogdet(a).logabsdet,
                "A.slogdet()[1] * 2 + sign": lambda a: a.slogdet()[1] * 2 + a.slogdet()[0],
                "t.logdet(A)": t.logdet, "A.logdet()": lambda a: a.logdet()},
}  # fmt: skip


@case_for("inv", "det", "slogdet")
def _square(draw: st.DrawFn, name: str) -> Case:
    a = _square_matrices(draw)
    forms = _INVERSE_FORMS if name == "inv" else _DETERMINANT_FORMS[name]
    form = draw(st.sampled_from(sorted(forms)))
    if name == "slogdet" and "logdet" not in form and draw(st.booleans()):
        a = a[..., ::-1, :].copy()  # two rows swapped: a negative determinant, the same |det|
    return Case(form, forms[form], [leaf(a)])


@case_for("solve")
def _solve(draw: st.DrawFn, name: str) -> Case:
    a = _square_matrices(draw)
    n, batch = a.shape[-1], a.shape[:-2]
    kind = draw(st.sampled_from(["vector", "vectors", "matrix", "unbatched B", "left=False"]))
    shape = {"vector": (n,), "vectors": (*batch, n), "matrix": (*batch, n, 2),
             "unbatched B": (n, 2), "left=False": (*batch, 2, n)}[kind]  # fmt: skip
    b = draw(float64_arrays(shape))
    constant = draw(st.sampled_from(["", "A", "B"]))
    inputs = [leaf(a, requires_grad=constant != "A"), leaf(b, requires_grad=constant != "B")]
    label = f"t.linalg.solve(A, B) ({kind}{', const ' + constant if constant else ''})"
    if kind == "left=False":
        return Case(label, lambda x, y: t.linalg.solve(x, y, left=False), inputs)
    return Case(label, t.linalg.solve, inputs)


# ---------------------------------------------------------------------------------------------
# Shape
# ---------------------------------------------------------------------------------------------


@case_for("expand")
def _expand(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(max_dims=2))
    # Stretch some size-1 dimensions, write -1 for some kept ones, and prepend new dimensions.
    target: list[int] = []
    for size in shape:
        if size == 1 and draw(st.booleans()):
            target.append(draw(st.integers(2, 3)))
        else:
            target.append(-1 if draw(st.booleans()) else size)
    lead = draw(st.lists(st.integers(1, 3), max_size=2))
    if not lead and all(s in (-1, size) for s, size in zip(target, shape)):
        lead = [2]  # something must be copied, or expand returns x itself and records nothing
    target = lead + target
    x = draw(float64_arrays(shape))
    form = draw(st.sampled_from(["x.expand(*sizes)", "x.expand(sizes)", "x.expand_as(other)"]))
    if form == "x.expand(*sizes)":
        return Case(f"x.expand(*{target})", lambda a: a.expand(*target), [leaf(x)])
    if form == "x.expand(sizes)":
        return Case(f"x.expand({tuple(target)})", lambda a: a.expand(tuple(target)), [leaf(x)])
    full = tuple(size if s == -1 else s for s, size in zip(target, (None,) * len(lead) + shape))
    other = t.zeros(*full, dtype=t.float64)
    return Case(f"x.expand_as(zeros{full})", lambda a: a.expand_as(other), [leaf(x)])


def _factorizations(draw: st.DrawFn, size: int) -> list[int]:
    # A random shape with `size` elements: peel off random divisors.
    factors = []
    while size > 1 and len(factors) < 3:
        divisors = [d for d in range(2, size + 1) if size % d == 0]
        d = draw(st.sampled_from(divisors))
        factors.append(d)
        size //= d
    if size > 1:
        factors.append(size)
    factors += [1] * draw(st.integers(0, 1))  # a size-1 dimension now and then
    return draw(st.permutations(factors)) if factors else []


@case_for("reshape", "view")
def _reshape(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    target = _factorizations(draw, int(np.prod(shape)))
    if target and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1  # inferred from the others
    x = draw(float64_arrays(shape))
    forms = [f"x.{name}(*sizes)", f"x.{name}(sizes)"] + (["t.reshape(x, sizes)"]
                                                          if name == "reshape" else [])
    form = draw(st.sampled_from(forms))
    if form == "t.reshape(x, sizes)":
        fn = lambda a: t.reshape(a, tuple(target))
    elif form.endswith("(*sizes)"):
        fn = lambda a: getattr(a, name)(*target)
    else:
        fn = lambda a: getattr(a, name)(tuple(target))
    return Case(form.replace("sizes", str(tuple(target))), fn, [leaf(x)])


@case_for("squeeze")
def _squeeze(draw: st.DrawFn, name: str) -> Case:
    shape = list(draw(shapes()))
    for i in draw(st.lists(st.integers(0, max(len(shape) - 1, 0)), max_size=2)):
        if shape:
            shape[i] = 1
    x = draw(float64_arrays(tuple(shape)))
    ndim = len(shape)
    dim = draw(st.none() | st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    if dim is None:
        return Case("x.squeeze()", lambda a: a.squeeze(), [leaf(x)])
    if draw(st.booleans()):
        return Case(f"x.squeeze({dim})", lambda a: a.squeeze(dim), [leaf(x)])
    return Case(f"t.squeeze(x, {dim})", lambda a: t.squeeze(a, dim), [leaf(x)])


@case_for("unsqueeze")
def _unsqueeze(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    x = draw(float64_arrays(shape))
    dim = draw(st.integers(-len(shape) - 1, len(shape)))
    if draw(st.booleans()):
        return Case(f"x.unsqueeze({dim})", lambda a: a.unsqueeze(dim), [leaf(x)])
    return Case(f"t.unsqueeze(x, {dim})", lambda a: t.unsqueeze(a, dim), [leaf(x)])


@case_for("permute")
def _permute(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    ndim = len(shape)
    dims = [d - ndim if draw(st.booleans()) else d for d in draw(st.permutations(range(ndim)))]
    x = draw(float64_arrays(shape))
    form = draw(st.sampled_from(["x.permute(*dims)", "x.permute(dims)", "x.T"]))
    if form == "x.T":
        return Case("x.T", lambda a: a.T, [leaf(x)])
    if form == "x.permute(dims)":
        return Case(f"x.permute({tuple(dims)})", lambda a: a.permute(tuple(dims)), [leaf(x)])
    return Case(f"x.permute(*{dims})", lambda a: a.permute(*dims), [leaf(x)])


@case_for("transpose")
def _transpose(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    ndim = len(shape)
    d0, d1 = (draw(st.integers(-ndim, ndim - 1)) for _ in range(2))
    x = draw(float64_arrays(shape))
    forms = ["x.transpose(d0, d1)", "t.transpose(x, d0, d1)"] + (["x.t()"] if ndim <= 2 else [])
    form = draw(st.sampled_from(forms))
    if form == "x.t()":
        return Case("x.t()", lambda a: a.t(), [leaf(x)])
    fn = (lambda a: a.transpose(d0, d1)) if form.startswith("x.") else (
        lambda a: t.transpose(a, d0, d1))  # fmt: skip
    return Case(form.replace("d0", str(d0)).replace("d1", str(d1)), fn, [leaf(x)])


@case_for("index")
def _index(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1, max_side=4))
    n = shape[0]
    position = st.integers(-n, n - 1)
    kinds = ["int", "slice", "int array", "int tensor", "bool mask", "..., int", "None, slice"]
    kind = draw(st.sampled_from(kinds + (["slice, int array"] if len(shape) > 1 else [])))
    if kind == "int":
        key: Any = draw(position)
    elif kind == "slice":
        key = slice(draw(st.none() | position), draw(st.none() | position),
                    draw(st.sampled_from([None, 1, 2, 3])))  # fmt: skip
    elif kind == "int array":  # repeats: x[[0, 0]] must give element 0 both gradients
        key = draw(st.lists(position, min_size=1, max_size=5))
    elif kind == "int tensor":
        key = t.tensor(draw(st.lists(position, min_size=1, max_size=5)))
    elif kind == "bool mask":
        key = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    elif kind == "slice, int array":
        second = shape[1]
        key = (slice(None, None, draw(st.sampled_from([1, 2]))),
               draw(st.lists(st.integers(-second, second - 1), min_size=1, max_size=4)))
    elif kind == "..., int":
        key = (Ellipsis, draw(st.integers(-shape[-1], shape[-1] - 1)))
    else:
        key = (None, slice(draw(st.none() | position), None))
    x = draw(float64_arrays(shape))
    return Case(f"x[{key!r}]", lambda a: a[key], [leaf(x)])


@case_for("gather")
def _gather(draw: st.DrawFn, name: str) -> Case:
    # Repeated indices: an element picked twice gets both gradients.
    shape = draw(shapes(min_dims=1, max_side=4))
    d = draw(st.integers(-len(shape), len(shape) - 1))
    index_shape = list(shape)
    index_shape[d] = draw(st.integers(1, 5))
    index = t.tensor(draw(hnp.arrays(np.int64, tuple(index_shape),
                                     elements=st.integers(0, shape[d] - 1))))  # fmt: skip
    form = draw(st.sampled_from(["x.gather", "t.gather"]))
    fn = (lambda a: a.gather(d, index)) if form == "x.gather" else (
        lambda a: t.gather(a, d, index))  # fmt: skip
    x = draw(float64_arrays(shape))
    return Case(f"{form}({d}, {index.tolist()})", fn, [leaf(x)])


@case_for("scatter_add")
def _scatter_add(draw: st.DrawFn, name: str) -> Case:
    # Repeated indices: two elements of src added at one place, each getting its gradient.
    shape = draw(shapes(min_dims=1, max_side=4))
    d = draw(st.integers(-len(shape), len(shape) - 1))
    index_shape = [draw(st.integers(1, n)) for n in shape]
    index_shape[d] = draw(st.integers(1, 5))
    index = t.tensor(draw(hnp.arrays(np.int64, tuple(index_shape),
                                     elements=st.integers(0, shape[d] - 1))))  # fmt: skip
    x, src = draw(float64_arrays(shape)), draw(float64_arrays(tuple(index_shape)))
    form = draw(st.sampled_from(["x.scatter_add", "t.scatter_add", "x.index_add"]))
    if form == "x.index_add":
        i = t.tensor(index.numpy().reshape(-1)[:shape[d]].copy())
        src = draw(float64_arrays(tuple(len(i) if a == d % len(shape) else n
                                        for a, n in enumerate(shape))))  # fmt: skip
        return Case(f"x.index_add({d}, {i.tolist()}, src, alpha=2)",
                    lambda a, b: a.index_add(d, i, b, alpha=2), [leaf(x), leaf(src)])
    fn = (lambda a, b: a.scatter_add(d, index, b)) if form == "x.scatter_add" else (
        lambda a, b: t.scatter_add(a, d, index, b))  # fmt: skip
    return Case(f"{form}({d}, {index.tolist()}, src)", fn, [leaf(x), leaf(src)])


# ---------------------------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------------------------


@case_for("sum", "mean")
def _reduce(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    ndim = max(len(shape), 1)  # a 0-d tensor accepts dim 0 and -1, as in PyTorch
    one_dim = st.integers(-ndim, ndim - 1)
    dim = draw(st.none() | one_dim | st.lists(st.integers(0, ndim - 1), min_size=1,
                                              max_size=ndim, unique=True).map(tuple))
    if isinstance(dim, tuple) and len(shape) == 0:
        dim = dim[:1]
    keepdim = draw(st.booleans())
    x = draw(float64_arrays(shape))
    if draw(st.booleans()):
        label = f"x.{name}(dim={dim!r}, keepdim={keepdim})"
        return Case(label, lambda a: getattr(a, name)(dim=dim, keepdim=keepdim), [leaf(x)])
    label = f"t.{name}(x, {dim!r}, {keepdim})"
    return Case(label, lambda a: getattr(t, name)(a, dim, keepdim), [leaf(x)])


def _distinct_arrays(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    # Values at least 0.1 apart: max and min have a kink where two elements tie, and central
    # differences (eps = 1e-6) must not straddle it.
    return hnp.arrays(np.float64, shape, elements=st.integers(-30, 30).map(lambda k: k / 10),
                      unique=True)  # fmt: skip


@case_for("max", "min")
def _extreme(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    x = draw(_distinct_arrays(shape))
    ndim = max(len(shape), 1)  # a 0-d tensor accepts dim 0 and -1, as in PyTorch
    dim = draw(st.none() | st.integers(-ndim, ndim - 1))
    if dim is None:
        if draw(st.booleans()):
            return Case(f"x.{name}()", lambda a: getattr(a, name)(), [leaf(x)])
        return Case(f"t.{name}(x)", getattr(t, name), [leaf(x)])
    keepdim = draw(st.booleans())
    form = draw(st.sampled_from(["x.{}(dim, keepdim).values", "x.{}(dim, keepdim)[0]",
                                 "t.{}(x, dim=dim, keepdim=keepdim).values"]))  # fmt: skip
    fn = {"x.{}(dim, keepdim).values": lambda a: getattr(a, name)(dim, keepdim).values,
          "x.{}(dim, keepdim)[0]": lambda a: getattr(a, name)(dim, keepdim)[0],
          "t.{}(x, dim=dim, keepdim=keepdim).values":
              lambda a: getattr(t, name)(a, dim=dim, keepdim=keepdim).values}[form]  # fmt: skip
    label = form.format(name).replace("dim, keepdim", f"{dim}, {keepdim}")
    return Case(label.replace("dim=dim", f"dim={dim}"), fn, [leaf(x)])


@case_for("amax", "amin")
def _amax(draw: st.DrawFn, name: str) -> Case:
    # Distinct values: at a tie of two, the even split (1/2 each) is what central differences
    # see, but the gradient itself jumps there, which gradgradcheck would see
    # (test_more_surface checks ties against PyTorch instead).
    shape = draw(shapes())
    x = draw(_distinct_arrays(shape))
    ndim = len(shape)
    dim = draw(st.just(()) | st.integers(-max(ndim, 1), max(ndim, 1) - 1)
               | st.lists(st.integers(0, max(ndim - 1, 0)), max_size=ndim, unique=True).map(tuple))
    keepdim = draw(st.booleans())
    if draw(st.booleans()):
        return Case(f"x.{name}({dim!r}, keepdim={keepdim})",
                    lambda a: getattr(a, name)(dim, keepdim), [leaf(x)])  # fmt: skip
    return Case(f"t.{name}(x, dim={dim!r}, keepdim={keepdim})",
                lambda a: getattr(t, name)(a, dim=dim, keepdim=keepdim), [leaf(x)])  # fmt: skip


@case_for("abs")
def _abs(draw: st.DrawFn, name: str) -> Case:
    x = draw(nonzero_arrays(draw(shapes())))  # away from the kink at 0
    form = draw(st.sampled_from(["x.abs()", "abs(x)", "t.abs(x)"]))
    fn = {"x.abs()": lambda a: a.abs(), "abs(x)": abs, "t.abs(x)": t.abs}[form]
    return Case(form, fn, [leaf(x)])


@case_for("clamp")
def _clamp(draw: st.DrawFn, name: str) -> Case:
    low, high = draw(st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None), (0.0, 2.0)]))
    bounds = [b for b in (low, high) if b is not None]
    # Values at least 0.05 from either bound, where the gradient jumps between 1 and 0.
    values = st.floats(-3, 3, width=64).filter(lambda v: all(abs(v - b) > 0.05 for b in bounds))
    x = draw(hnp.arrays(np.float64, draw(shapes()), elements=values))
    form = draw(st.sampled_from(["x.clamp(lo, hi)", "x.clip(lo, hi)", "t.clamp(x, min=lo, max=hi)",
                                 "t.clip(x, lo, hi)"]))  # fmt: skip
    fn = {"x.clamp(lo, hi)": lambda a: a.clamp(low, high),
          "x.clip(lo, hi)": lambda a: a.clip(low, high),
          "t.clamp(x, min=lo, max=hi)": lambda a: t.clamp(a, min=low, max=high),
          "t.clip(x, lo, hi)": lambda a: t.clip(a, low, high)}[form]  # fmt: skip
    return Case(form.replace("lo", repr(low)).replace("hi", repr(high)), fn, [leaf(x)])


@case_for("prod")
def _prod(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    # Magnitudes near 1: a product of 27 elements up to 3 would reach 10¹², and the rounding of
    # its finite differences (10⁻¹⁶·|z|/ε) would drown the check.
    x = draw(nonzero_arrays(shape, gap=0.8, high=1.25))
    if x.size and draw(st.integers(0, 3)) == 0:
        x.flat[draw(st.integers(0, x.size - 1))] = 0.0  # a zero: the product of the others
    ndim = max(len(shape), 1)
    dim = draw(st.none() | st.integers(-ndim, ndim - 1))
    keepdim = draw(st.booleans())
    return Case(f"x.prod({dim}, keepdim={keepdim})", lambda a: a.prod(dim, keepdim), [leaf(x)])


@case_for("cumsum")
def _cumsum(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    x = draw(float64_arrays(shape))
    if draw(st.booleans()):
        return Case(f"x.cumsum({dim})", lambda a: a.cumsum(dim), [leaf(x)])
    return Case(f"t.cumsum(x, dim={dim})", lambda a: t.cumsum(a, dim=dim), [leaf(x)])


@case_for("cumprod")
def _cumprod(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    # Magnitudes near 1, as for prod; and now and then one zero or two, where z_i / a_j, the
    # usual shortcut, would divide by 0.
    x = draw(nonzero_arrays(shape, gap=0.8, high=1.25))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        x.flat[draw(st.integers(0, x.size - 1))] = 0.0
    if draw(st.booleans()):
        return Case(f"x.cumprod({dim})", lambda a: a.cumprod(dim), [leaf(x)])
    return Case(f"t.cumprod(x, dim={dim})", lambda a: t.cumprod(a, dim=dim), [leaf(x)])


@case_for("norm")
def _norm(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    x = draw(nonzero_arrays(shape))
    p = draw(st.sampled_from([2, 1, 3, float("inf"), "fro"]))
    if p == float("inf"):  # one largest magnitude: distinct |x|, random signs
        magnitudes = hnp.arrays(np.float64, shape, unique=True,
                                elements=st.integers(1, 30).map(lambda k: k / 10))  # fmt: skip
        x = draw(magnitudes) * np.where(draw(hnp.arrays(np.bool_, shape)), 1.0, -1.0)
    dim = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    keepdim = draw(st.booleans())
    return Case(f"x.norm({p!r}, {dim}, {keepdim})", lambda a: a.norm(p, dim, keepdim), [leaf(x)])


@case_for("logsumexp", "softmax", "log_softmax")
def _softmax(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    x = draw(float64_arrays(shape, -5.0, 5.0))
    if name == "logsumexp":
        keepdim = draw(st.booleans())
        return Case(f"x.logsumexp({dim}, {keepdim})", lambda a: a.logsumexp(dim, keepdim),
                    [leaf(x)])  # fmt: skip
    if draw(st.booleans()):
        return Case(f"x.{name}({dim})", lambda a: getattr(a, name)(dim), [leaf(x)])
    return Case(f"t.{name}(x, dim={dim})", lambda a: getattr(t, name)(a, dim=dim), [leaf(x)])


@case_for("flip", "roll")
def _flip(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    dims = tuple(draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True)))
    x = draw(float64_arrays(shape))
    if name == "flip":
        return Case(f"x.flip({dims})", lambda a: a.flip(dims), [leaf(x)])
    shifts = tuple(draw(st.integers(-3, 3)) for _ in dims)
    return Case(f"x.roll({shifts}, {dims})", lambda a: a.roll(shifts, dims), [leaf(x)])


# ---------------------------------------------------------------------------------------------
# Copies and casts
# ---------------------------------------------------------------------------------------------


@case_for("to")
def _cast(draw: st.DrawFn, name: str) -> Case:
    x = draw(float64_arrays(draw(shapes())))
    form = draw(st.sampled_from(["x.float().double()", "x.to(t.float32).to(t.float64)",
                                 "x.to(dtype='float32').to(dtype=t.double)"]))  # fmt: skip
    fn = {
        "x.float().double()": lambda a: a.float().double(),
        "x.to(t.float32).to(t.float64)": lambda a: a.to(t.float32).to(t.float64),
        "x.to(dtype='float32').to(dtype=t.double)":
            lambda a: a.to(dtype="float32").to(dtype=t.double),
    }[form]  # fmt: skip
    # The float32 leg rounds x ± eps to 7 digits: a larger eps keeps that rounding (|x| 6e-8,
    # divided by 2 eps) far below the tolerance.
    return Case(form, fn, [leaf(x)], {"eps": 1e-3, "atol": 1e-3})


@case_for("clone")
def _clone(draw: st.DrawFn, name: str) -> Case:
    x = draw(float64_arrays(draw(shapes())))
    if draw(st.booleans()):
        return Case("x.clone()", lambda a: a.clone(), [leaf(x)])
    return Case("(x * x).clone()", lambda a: (a * a).clone(), [leaf(x)])


@case_for("fill")
def _fill(draw: st.DrawFn, name: str) -> Case:
    x = draw(float64_arrays(draw(shapes())))
    value = draw(st.sampled_from([0.0, 1.5, -2]))
    zero = draw(st.booleans())

    def fill(a: t.Tensor) -> t.Tensor:
        h = a * 2
        h.zero_() if zero else h.fill_(value)
        # h no longer depends on a; multiplying by a gives h a nonzero gradient, which must stop
        # at the fill (d out/d a = h, not h + 2a).
        return h * a

    return Case("h = x * 2; " + ("h.zero_()" if zero else f"h.fill_({value})") + "; h * x",
                fill, [leaf(x)])  # fmt: skip


@case_for("copy")
def _copy(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes())
    # src broadcasts to shape: drop some leading dimensions, shrink some others to 1
    src_shape = tuple(1 if draw(st.booleans()) else s for s in shape)
    src_shape = src_shape[draw(st.integers(0, len(shape))):]
    x, y = draw(float64_arrays(shape)), draw(float64_arrays(src_shape))
    const_src = draw(st.booleans())

    def copy(a: t.Tensor, b: t.Tensor) -> t.Tensor:
        h = a * 2
        h.copy_(b * 3)
        return h * a  # d/da = h = 3b (the copy's old value contributes nothing), d/db = 3a

    return Case("h = x * 2; h.copy_(src * 3); h * x", copy,
                [leaf(x), leaf(y, requires_grad=not const_src)])  # fmt: skip


@case_for("cat")
def _cat(draw: st.DrawFn, name: str) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    # Two or three pieces that agree everywhere but along `dim`, some of them constants.
    pieces = []
    for _ in range(draw(st.integers(2, 3))):
        piece_shape = list(shape)
        piece_shape[dim] = draw(st.integers(1, 3))
        pieces.append(leaf(draw(float64_arrays(tuple(piece_shape))),
                           requires_grad=draw(st.booleans()) or not pieces))  # fmt: skip
    return Case(f"t.cat(xs, dim={dim})", lambda *xs: t.cat(list(xs), dim=dim), pieces)


@case_for("binary_cross_entropy")
def _binary_cross_entropy(draw: st.DrawFn, name: str) -> Case:
    from tinygrad_lr.nn import functional as F

    shape = draw(shapes())
    # Probabilities kept inside (0.05, 0.95): at the clamps the derivative is not smooth.
    p = 0.05 + 0.9 / (1 + np.exp(-draw(float64_arrays(shape))))
    y = draw(st.sampled_from(["labels", "soft"]))
    target = (draw(float64_arrays(shape)) > 0).astype(np.float64) if y == "labels" else (
        0.5 + 0.5 * np.tanh(draw(float64_arrays(shape))))  # fmt: skip
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return Case(f"F.binary_cross_entropy(p, y ({y}), reduction={reduction!r})",
                lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
                [leaf(p), leaf(target, requires_grad=y == "soft")])  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def recorded_op_names(out: t.Tensor) -> set[str]:
    """The names of the ops in the graph behind `out`."""
    return {node.name for node in topological_order(out.grad_fn)} if out.grad_fn else set()


def test_every_op_in_the_table_has_a_case():
    assert set(ops.OPS) - set(CASES) == set(), "ops without a gradcheck case"
    assert set(CASES) - set(ops.OPS) == set(), "cases for ops that are not in ops.OPS"


# Ops with many forms and shapes get more examples; the others the default few.
_MORE = {"add", "sub", "mul", "div", "matmul", "index", "expand", "sum", "mean", "pow", "max",
         "min", "amax", "amin", "einsum"}


@pytest.mark.parametrize("name", sorted(ops.OPS))
def test_gradcheck(name: str):
    if name == "floor_divide":
        pytest.skip("floor_divide has no derivative, as in PyTorch (tested below)")
    if name not in CASES:
        pytest.fail(f"op {name!r} is in ops.OPS but has no gradcheck case in this file")

    @settings(FEW, max_examples=50 if name in _MORE else FEW.max_examples)
    @given(CASES[name])
    def check(case: Case) -> None:
        out = case.fn(*case.inputs)
        assert name in recorded_op_names(out), f"{case} does not record {name!r}"
        assert out.dtype == t.float64
        assert t.gradcheck(case.fn, case.inputs, **case.tolerances)

    check()


@pytest.mark.parametrize("name", sorted(ops.OPS))
def test_gradgradcheck(name: str):
    """Second derivatives: the same backward formulas, run on tensors (create_graph=True), are
    differentiated again and checked against finite differences of the first derivatives."""
    if name == "floor_divide":
        pytest.skip("floor_divide has no derivative, as in PyTorch (tested below)")

    @settings(FEW, max_examples=10)
    @given(CASES[name])
    def check(case: Case) -> None:
        assert t.autograd.gradgradcheck(case.fn, case.inputs, **case.tolerances)

    check()


def test_gradgradcheck_catches_a_formula_right_only_to_first_order(monkeypatch):
    # tanh's rule with z read as a constant: the first derivative is right, and gradcheck
    # passes; the second misses d(1 - z²)/dx, and gradgradcheck must say so.
    from tinygrad_lr.core.ops.common import constant

    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * (1 - constant(z) ** 2)

    monkeypatch.setattr(ops.Tanh, "backward", staticmethod(backward))
    x = leaf(np.array([0.5, -1.0]))
    assert t.gradcheck(lambda a: a.tanh(), [x])
    with pytest.raises(t.GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                               "input 0"):  # fmt: skip
        t.autograd.gradgradcheck(lambda a: a.tanh(), [x])


def test_gradcheck_catches_a_wrong_backward(monkeypatch):
    # The checks above are worth something only if gradcheck fails on a wrong rule.
    monkeypatch.setattr(ops.Tanh, "backward", staticmethod(lambda ctx, g: g * ctx.saved[0]))
    x = leaf(np.array([0.5, -1.0]))
    with pytest.raises(t.GradcheckError, match=r"Jacobian mismatch .* numerical: .* analytical"
                       ) as err:  # fmt: skip
        t.gradcheck(lambda a: a.tanh(), [x])
    assert "np.float64" not in str(err.value)  # plain numbers, readable


def test_pow_zero_at_zero():
    # x ** 0 is the constant 1: its gradient is 0, also at x = 0 (not 0 * 0 ** -1 = nan)
    x = leaf(np.array([0.0, 2.0]))
    (x**0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_gradcheck_on_a_non_contiguous_input():
    # A transposed leaf: finite differences must perturb the array itself, not a copy of it.
    x = t.from_numpy(np.arange(6, dtype=np.float64).reshape(2, 3).T).requires_grad_()
    assert t.gradcheck(lambda a: (a * a).sum(dim=0), [x])


def test_floor_divide_has_no_derivative_as_in_pytorch():
    x = leaf(np.array([1.5, -2.5]))
    y = x // 0.7
    assert "floor_divide" in recorded_op_names(y) and y.tolist() == [2.0, -4.0]
    with pytest.raises(RuntimeError, match="derivative for floor_divide is not implemented"):
        y.sum().backward()
