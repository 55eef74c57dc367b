"""Fuzzing: random small programs of ops, checked against numpy and finite differences.

Hypothesis draws an input shape (size-0 and size-1 dimensions included) and a program of 1-5 ops
from the whole op set: unary ops, binary ops against a second input whose shape broadcasts with
the current value's (either way round) or against a number, sum/mean over random dims with or
without keepdim, max/min (of all elements, or the values along one dim), reshape, transpose,
permute, expand, squeeze/unsqueeze, indexing, and matmul where the shapes allow it. Each op is
also run on the same arrays with numpy: the shape must be numpy's and the values must agree.
Then every input's gradient is checked with `gradcheck` (skipped when a tensor has no elements,
where only the gradients' shapes are checked).

log, sqrt, division and fractional powers act on y² + 0.5 (their domain guard), exp on tanh(y)
(so that chained exps cannot overflow), and examples where relu or abs would be evaluated at
their kink, clamp at a bound, or max/min at a tie are discarded: finite differences cannot agree
with either one-sided derivative there.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinygrad_lr as t
from tinygrad_lr.core.engine import topological_order
from tinygrad_lr.core.ops import OPS

MAX_DIMS = 3
SIZES = st.integers(0, 3)


@dataclass
class Step:
    """One op of a program: its name, its parameters, and its partner input (if any)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    partner: int | None = None  # index of the second input, for binary ops and matmul


def _guard(v: Any) -> Any:
    return v * v + 0.5  # > 0: inside the domain of log, sqrt, 1/y and y ** 0.5


def _sigmoid_np(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


# name -> (tensor version, numpy version): each takes (value, params, partner).
UNARY = {
    "neg": (lambda v, p, o: -v, lambda a, p, o: -a),
    "exp": (lambda v, p, o: v.tanh().exp(), lambda a, p, o: np.exp(np.tanh(a))),
    "log": (lambda v, p, o: _guard(v).log(), lambda a, p, o: np.log(_guard(a))),
    "sqrt": (lambda v, p, o: t.sqrt(_guard(v)), lambda a, p, o: np.sqrt(_guard(a))),
    "tanh": (lambda v, p, o: v.tanh(), lambda a, p, o: np.tanh(a)),
    "sigmoid": (lambda v, p, o: v.sigmoid(), lambda a, p, o: _sigmoid_np(a)),
    "relu": (lambda v, p, o: v.relu(), lambda a, p, o: np.maximum(a, 0)),
    "square": (lambda v, p, o: v**2, lambda a, p, o: a**2),
    "cube": (lambda v, p, o: v.pow(3), lambda a, p, o: a**3),
    "rsqrt": (lambda v, p, o: _guard(v) ** -0.5, lambda a, p, o: _guard(a) ** -0.5),
    "abs": (lambda v, p, o: v.abs(), lambda a, p, o: np.abs(a)),
    "clamp": (lambda v, p, o: v.clamp(-CLAMP, CLAMP), lambda a, p, o: np.clip(a, -CLAMP, CLAMP)),
    "sin": (lambda v, p, o: v.sin(), lambda a, p, o: np.sin(a)),
    "cos": (lambda v, p, o: t.cos(v), lambda a, p, o: np.cos(a)),
    "tan": (lambda v, p, o: v.tanh().tan(), lambda a, p, o: np.tan(np.tanh(a))),
    "atan": (lambda v, p, o: v.atan(), lambda a, p, o: np.arctan(a)),
    "asin": (lambda v, p, o: (v.tanh() * 0.9).asin(), lambda a, p, o: np.arcsin(np.tanh(a) * 0.9)),
    "acos": (lambda v, p, o: (v.tanh() * 0.9).acos(), lambda a, p, o: np.arccos(np.tanh(a) * 0.9)),
    "sinh": (lambda v, p, o: v.sinh(), lambda a, p, o: np.sinh(a)),
    "cosh": (lambda v, p, o: v.cosh(), lambda a, p, o: np.cosh(a)),
    "log1p": (lambda v, p, o: _guard(v).log1p(), lambda a, p, o: np.log1p(_guard(a))),
    "expm1": (lambda v, p, o: v.tanh().expm1(), lambda a, p, o: np.expm1(np.tanh(a))),
    "log2": (lambda v, p, o: _guard(v).log2(), lambda a, p, o: np.log2(_guard(a))),
    "log10": (lambda v, p, o: t.log10(_guard(v)), lambda a, p, o: np.log10(_guard(a))),
    "exp2": (lambda v, p, o: v.tanh().exp2(), lambda a, p, o: np.exp2(np.tanh(a))),
    "reciprocal": (lambda v, p, o: _guard(v).reciprocal(), lambda a, p, o: 1 / _guard(a)),
    "rsqrt_op": (lambda v, p, o: _guard(v).rsqrt(), lambda a, p, o: _guard(a) ** -0.5),
    "erf": (lambda v, p, o: v.erf(),
            lambda a, p, o: np.vectorize(math.erf, otypes=[np.float64])(a)),
    "frac": (lambda v, p, o: (v.tanh() * 0.9).frac(), lambda a, p, o: np.tanh(a) * 0.9),
    **{name: (lambda v, p, o, n=name: getattr(v, n)(), lambda a, p, o, n=name: getattr(np, n)(a))
       for name in ("sign", "floor", "ceil", "trunc")},  # fmt: skip
    "round": (lambda v, p, o: v.round(), lambda a, p, o: np.round(a)),
    # logit on (0.05, 0.95): inside its domain, away from its infinite slopes at 0 and 1
    "logit": (lambda v, p, o: (v.tanh() * 0.45 + 0.5).logit(),
              lambda a, p, o: np.log((np.tanh(a) * 0.45 + 0.5) / (0.5 - np.tanh(a) * 0.45))),
}

#: The ops that jump (flat between integers, or half-integers for round): drawn only where the
#: values keep away from the jumps, where finite differences see the jump and not the derivative.
JUMPY = {"sign", "floor", "ceil", "trunc", "round"}

CLAMP = 0.8  # the bound of the clamp step: inside the values' range [0.3, 1.5], so it bites

BINARY = {
    "add": (lambda x, y: x + y, lambda x, y: x + y),
    "sub": (lambda x, y: x - y, lambda x, y: x - y),
    "mul": (lambda x, y: x * y, lambda x, y: x * y),
    "div": (lambda x, y: x / _guard(y), lambda x, y: x / _guard(y)),
    "pow_tensor": (lambda x, y: _guard(_tensors(x)[0]) ** _tensors(y)[0],
                   lambda x, y: _guard(x) ** y),
    "maximum": (lambda x, y: t.maximum(*_tensors(x, y)), lambda x, y: np.maximum(x, y)),
    "minimum": (lambda x, y: t.minimum(*_tensors(x, y)), lambda x, y: np.minimum(x, y)),
    "where": (lambda x, y: t.where(_tensors(x)[0] > 0, x, y), lambda x, y: np.where(x > 0, x, y)),
    "lerp": (lambda x, y: _tensors(x)[0].lerp(y, 0.3), lambda x, y: x + 0.3 * (y - x)),
    # the x coordinate kept positive: away from atan2's jump across the negative x axis, and
    # from the origin, where neither is smooth
    "atan2": (lambda x, y: t.atan2(*_tensors(x, _guard(y))), lambda x, y: np.arctan2(x, _guard(y))),
    "hypot": (lambda x, y: t.hypot(*_tensors(x, _guard(y))), lambda x, y: np.hypot(x, _guard(y))),
    # the elementwise product as an equation: "..." broadcast, size-1 dimensions expanded
    "einsum": (lambda x, y: t.einsum("...,...->...", *_tensors(x, y)), lambda x, y: x * y),
}


def _tensors(*values: Any) -> list[t.Tensor]:
    # A number operand (drawn for binary steps) as a float64 tensor, for the functions that take
    # tensors only.
    return [v if isinstance(v, t.Tensor) else t.tensor(v, dtype=t.float64) for v in values]


# Functions along one dim: name -> (tensor version, numpy version), both taking (value, dim).
ALONG = {
    "cumsum": (lambda v, d: v.cumsum(d), lambda a, d: np.cumsum(a, axis=d)),
    "cumprod": (lambda v, d: v.cumprod(d), lambda a, d: np.cumprod(a, axis=d)),
    "softmax": (lambda v, d: v.softmax(d),
                lambda a, d: np.exp(a) / np.exp(a).sum(axis=d, keepdims=True)),
    "log_softmax": (lambda v, d: t.log_softmax(v, d),
                    lambda a, d: a - np.log(np.exp(a).sum(axis=d, keepdims=True))),
    "logsumexp": (lambda v, d: v.logsumexp(d), lambda a, d: np.log(np.exp(a).sum(axis=d))),
    "prod": (lambda v, d: v.prod(d), lambda a, d: np.prod(a, axis=d)),
    "norm": (lambda v, d: v.norm(dim=d), lambda a, d: np.sqrt((a * a).sum(axis=d))),
    "flip": (lambda v, d: v.flip(d), lambda a, d: np.flip(a, d)),
    "roll": (lambda v, d: v.roll(1, d), lambda a, d: np.roll(a, 1, d)),
}


def _apply_tensor(step: Step, v: t.Tensor, inputs: tuple) -> t.Tensor:
    p, other = step.params, (inputs[step.partner] if step.partner is not None else None)
    name = step.name
    if name in UNARY:
        return UNARY[name][0](v, p, other)
    if name in BINARY:
        operand = other if other is not None else p["number"]
        x, y = (operand, v) if p["reverse"] else (v, operand)
        return BINARY[name][0](x, y)
    if name in ("sum", "mean"):
        return getattr(v, name)(dim=p["dims"], keepdim=p["keepdim"])
    if name in ALONG:
        return ALONG[name][0](v, p["dim"])
    if name in ("max", "min"):
        if p["dim"] is None:
            return getattr(v, name)()
        return getattr(v, name)(p["dim"], keepdim=p["keepdim"]).values
    if name in ("amax", "amin"):
        return getattr(v, name)(() if p["dim"] is None else p["dim"], keepdim=p["keepdim"])
    if name == "reshape":
        return v.reshape(p["shape"])
    if name == "transpose":
        return v.transpose(p["d0"], p["d1"])
    if name == "permute":
        return v.permute(*p["dims"])
    if name == "expand":
        return v.expand(*p["shape"])
    if name == "unsqueeze":
        return v.unsqueeze(p["dim"])
    if name == "squeeze":
        return v.squeeze(p["dim"]) if p["dim"] is not None else v.squeeze()
    if name == "index":
        return v[p["key"]]
    if name == "matmul":
        return v.mm(other) if p["mm"] else v @ other
    raise AssertionError(name)


def _apply_numpy(step: Step, a: np.ndarray, arrays: list) -> np.ndarray:
    p, other = step.params, (arrays[step.partner] if step.partner is not None else None)
    name = step.name
    if name in UNARY:
        return UNARY[name][1](a, p, other)
    if name in BINARY:
        operand = other if other is not None else p["number"]
        x, y = (operand, a) if p["reverse"] else (a, operand)
        return np.asarray(BINARY[name][1](x, y))
    if name in ("sum", "mean"):
        dims = p["dims"] if p["dims"] != () else None  # an empty dim list means all dims
        return np.asarray(getattr(np, name)(a, axis=dims, keepdims=p["keepdim"]))
    if name in ALONG:
        return np.asarray(ALONG[name][1](a, p["dim"]))
    if name in ("max", "min", "amax", "amin"):
        reduce = np.max if name.endswith("max") else np.min
        if p["dim"] is None:
            return np.asarray(reduce(a, keepdims=p["keepdim"]))
        if a.ndim == 0:  # a 0-d tensor reduced along dim 0 is itself
            return a
        return np.asarray(reduce(a, axis=p["dim"], keepdims=p["keepdim"]))
    if name == "reshape":
        return a.reshape(p["shape"])
    if name == "transpose":
        return np.swapaxes(a, p["d0"], p["d1"]) if a.ndim >= 2 else a
    if name == "permute":
        return np.transpose(a, p["dims"])
    if name == "expand":
        return np.broadcast_to(a, p["shape"])
    if name == "unsqueeze":
        return np.expand_dims(a, p["dim"])
    if name == "squeeze":
        if p["dim"] is None:
            return np.squeeze(a)
        return np.squeeze(a, axis=p["dim"]) if a.shape[p["dim"]] == 1 else a
    if name == "index":
        return np.asarray(a[p["key"]])
    if name == "matmul":
        return np.matmul(a, other)
    raise AssertionError(name)


# ---------------------------------------------------------------------------------------------
# Drawing a program
# ---------------------------------------------------------------------------------------------


def _near_tie(a: np.ndarray, dim: int | None, name: str) -> bool:
    # Whether the extreme of some reduced row has a rival within 1e-3: max and min have a kink
    # at a tie, where finite differences agree with neither rule (an expand makes exact ties).
    rows = a.reshape(-1) if dim is None else np.moveaxis(a.reshape(a.shape or (1,)), dim, -1)
    if rows.shape[-1] < 2:
        return False
    ordered = np.sort(rows, axis=-1)
    if name.endswith("max"):
        gap = ordered[..., -1] - ordered[..., -2]
    else:
        gap = ordered[..., 1] - ordered[..., 0]
    return bool(np.any(gap < 1e-3))


def _partner_shape(draw: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    # A shape that broadcasts with `shape`: drop some leading dims, set some dims to 1, and
    # sometimes put a bigger size where `shape` has 1 (so that the current value is the one
    # broadcast) or add a new leading dim.
    keep = draw(st.integers(0, len(shape)))
    out = []
    for size in shape[len(shape) - keep:]:
        choice = draw(st.sampled_from(["same", "one", "grow"]))
        if choice == "one":
            out.append(1)
        elif choice == "grow" and size == 1:
            out.append(draw(SIZES))
        else:
            out.append(size)
    if keep == len(shape) < MAX_DIMS and draw(st.booleans()):  # a dim `shape` does not have
        out.insert(0, draw(st.integers(1, 2)))
    return tuple(out)


def _draw_index(draw: Any, shape: tuple[int, ...]) -> Any:
    n = shape[0]
    kind = draw(st.sampled_from(["int", "slice", "list", "ellipsis-int", "tuple", "none"]))
    if kind == "int" and n > 0:
        return draw(st.integers(-n, n - 1))
    if kind == "list" and n > 0:
        return draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3))  # repeats allowed
    if kind == "ellipsis-int" and shape[-1] > 0:
        return (Ellipsis, draw(st.integers(-shape[-1], shape[-1] - 1)))
    if kind == "tuple" and len(shape) >= 2 and shape[1] > 0:
        return (slice(None, None, draw(st.sampled_from([1, 2, 3]))),
                draw(st.integers(-shape[1], shape[1] - 1)))
    if kind == "none":
        return (None, slice(None))
    bound = st.none() | st.integers(-4, 4)
    return slice(draw(bound), draw(bound), draw(st.sampled_from([None, 1, 2, 3])))


def _draw_reshape(draw: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    size = int(np.prod(shape))
    kind = draw(st.sampled_from(["flat", "shuffle", "ones", "infer"]))
    if kind == "flat":
        return (size,)
    if kind == "shuffle":
        return tuple(draw(st.permutations(list(shape))))
    if kind == "ones":
        return (1, *shape, 1)
    return (-1,) if size == 0 else (-1, 1)


@st.composite
def programs(draw: Any) -> tuple[list[np.ndarray], list[Step]]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def values(shape: tuple[int, ...]) -> np.ndarray:
        # Magnitudes in [0.3, 1.5] with random signs: away from 0, where relu has its kink.
        return rng.uniform(0.3, 1.5, shape) * rng.choice([-1.0, 1.0], shape)

    shape = tuple(draw(st.lists(SIZES, max_size=MAX_DIMS)))
    arrays = [values(shape)]
    steps = []
    current = arrays[0]
    for _ in range(draw(st.integers(1, 5))):
        ndim = current.ndim
        # A family first, then an op in it: each family is drawn about as often as the others.
        families = [list(UNARY), list(BINARY), ["sum", "mean"],
                    ["reshape", "unsqueeze", "squeeze", "expand"]]
        if ndim >= 1:
            families += [["index"], ["matmul"], ["permute", "transpose"] if ndim >= 2 else
                         ["permute"], list(ALONG)]
        if current.size > 0:  # the max of nothing is an error, as in PyTorch
            families += [["max", "min", "amax", "amin"]]
        name = draw(st.sampled_from(draw(st.sampled_from(families))))
        step = Step(name)
        if name in BINARY:
            step.params["reverse"] = draw(st.booleans())
            if draw(st.integers(0, 3)) == 0:
                step.params["number"] = draw(st.sampled_from([0.5, 2.0, -3.0, 1]))
            else:
                arrays.append(values(_partner_shape(draw, current.shape)))
                step.partner = len(arrays) - 1
        elif name in ("sum", "mean"):
            dims = None  # None: all dims; a list (possibly empty, also meaning all) otherwise
            if ndim and draw(st.booleans()):
                picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
                dims = tuple(d - ndim if draw(st.booleans()) else d for d in picked)  # d or -d
            step.params.update(dims=dims, keepdim=draw(st.booleans()))
        elif name in ALONG:
            step.params["dim"] = draw(st.integers(-ndim, ndim - 1))
            if name == "norm":  # √Σa² has a kink where the whole row is 0
                assume(np.all(np.abs(current).sum(axis=step.params["dim"]) > 1e-3))
        elif name in ("max", "min", "amax", "amin"):
            dim = draw(st.none() | st.integers(-max(ndim, 1), max(ndim, 1) - 1))
            # (max without a dim takes no keepdim; amax over every dim does)
            keepdim = (dim is not None or name.startswith("a")) and draw(st.booleans())
            step.params.update(dim=dim, keepdim=keepdim)
            assume(not _near_tie(current, dim, name))
        elif name == "reshape":
            step.params["shape"] = _draw_reshape(draw, current.shape)
        elif name == "transpose":
            step.params.update(d0=draw(st.integers(-ndim, ndim - 1)),
                               d1=draw(st.integers(-ndim, ndim - 1)))
        elif name == "permute":
            step.params["dims"] = tuple(draw(st.permutations(list(range(ndim)))))
        elif name == "expand":
            new = [draw(SIZES) if s == 1 else s for s in current.shape]
            if ndim < MAX_DIMS and draw(st.booleans()):
                new.insert(0, draw(SIZES))
            step.params["shape"] = tuple(new)
        elif name == "unsqueeze":
            step.params["dim"] = draw(st.integers(-ndim - 1, ndim))
        elif name == "squeeze":
            step.params["dim"] = draw(st.none() | st.integers(-ndim, ndim - 1)) if ndim else None
        elif name == "index":
            step.params["key"] = _draw_index(draw, current.shape)
        elif name == "matmul":
            k = current.shape[-1]
            partner_shape = (k, draw(SIZES)) if draw(st.booleans()) else (k,)
            step.params["mm"] = ndim == 2 and len(partner_shape) == 2 and draw(st.booleans())
            arrays.append(values(partner_shape))
            step.partner = len(arrays) - 1
        if name in ("relu", "abs") or name in JUMPY:
            assume(np.all(np.abs(current) > 1e-3))  # not at the kink
        if name in JUMPY:  # nor at a jump (integers, and the halves where round jumps)
            assume(np.all(np.abs(current * 2 - np.round(current * 2)) > 1e-3))
        if name in ("maximum", "minimum", "where"):
            partner = arrays[step.partner] if step.partner is not None else step.params["number"]
            assume(np.all(np.abs(np.asarray(current) - np.asarray(partner)) > 1e-3))
            assume(np.all(np.abs(current) > 1e-3))  # where's condition is x > 0
        if name == "clamp":
            assume(np.all(np.abs(np.abs(current) - CLAMP) > 1e-3))  # not at either bound
        current = _quiet(_apply_numpy, step, current, arrays)
        steps.append(step)
    return arrays, steps


def _quiet(fn: Any, *args: Any) -> Any:
    # numpy warns about the mean of nothing ("Mean of empty slice"); ours is quietly nan.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


def run(steps: list[Step], inputs: tuple) -> t.Tensor:
    v = inputs[0]
    for step in steps:
        v = _apply_tensor(step, v, inputs)
    return v


# ---------------------------------------------------------------------------------------------
# The properties
# ---------------------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(programs())
def test_random_programs_match_numpy_and_finite_differences(program):
    arrays, steps = program
    inputs = tuple(t.tensor(a, dtype=t.float64, requires_grad=True) for a in arrays)

    # Every op's shape (and values) is numpy's on the same arrays.
    v, ref = inputs[0], arrays[0]
    for step in steps:
        v = _apply_tensor(step, v, inputs)
        ref = _quiet(_apply_numpy, step, ref, arrays)
        assert v.shape == ref.shape, f"{step.name} {step.params}: {v.shape} != numpy {ref.shape}"
        assert v.dtype == t.float64
        np.testing.assert_allclose(v.detach().numpy(), ref, rtol=1e-12, atol=1e-12, equal_nan=True,
                                   err_msg=f"{step.name} {step.params}")

    # Gradients land on every input with the input's shape (size-0 included).
    if v.requires_grad:
        v.sum().backward()
        for x in inputs:
            assert x.grad is None or x.grad.shape == x.shape
            assert x.grad is None or x.grad.dtype == t.float64

    # And they are right: analytical Jacobians match central finite differences.
    if v.requires_grad and v.numel() > 0 and all(x.numel() > 0 for x in inputs):
        assume(np.all(np.isfinite(v.detach().numpy())))
        assert t.gradcheck(lambda *xs: run(steps, xs), inputs)


# Ops of the table that the programs do not draw, and why.
NOT_FUZZED = {
    "to": "casts change the dtype; gradcheck needs float64 throughout",
    "floor_divide": "has no derivative (as in PyTorch): its backward raises",
    "remainder": "jumps wherever a / b is an integer (test_ops_gradcheck keeps away from them)",
    "fmod": "jumps wherever a / b is an integer (test_ops_gradcheck keeps away from them)",
    "clamp_tensor": "three operands (test_ops_gradcheck)",
    "clone": "an identity on values (covered by the op tests)",
    "view": "the same op as reshape",
    "fill": "recorded only by the in-place fill_/zero_",
    "copy": "recorded only by the in-place copy_",
    "cat": "joins a list of inputs, which a one-partner step cannot express (test_ops_gradcheck)",
    "binary_cross_entropy": "needs probabilities in (0, 1) and targets (test_ops_gradcheck)",
    "gather": "needs an integer index tensor as a second input (test_ops_gradcheck)",
    "scatter_add": "needs an integer index tensor (test_ops_gradcheck, test_scatter_generator)",
    **dict.fromkeys(("inv", "det", "slogdet", "solve"), "needs well-conditioned square matrices "
                    "(test_ops_gradcheck, test_linalg)"),
}  # fmt: skip


def test_the_programs_cover_every_op_in_the_table():
    # One step of each kind, on (2, 2) inputs; the graph nodes they record must cover ops.OPS, so
    # that an op added to the table without being added here is noticed.
    steps = [Step(name) for name in UNARY]
    steps += [Step(name, {"reverse": False}, partner=1) for name in BINARY]
    steps += [Step(name, {"dim": -1}) for name in ALONG]
    steps += [
        Step("sum", {"dims": (0,), "keepdim": False}),
        Step("mean", {"dims": None, "keepdim": True}),
        Step("max", {"dim": None, "keepdim": False}),
        Step("min", {"dim": 1, "keepdim": True}),
        Step("amax", {"dim": None, "keepdim": True}),
        Step("amin", {"dim": 0, "keepdim": False}),
        Step("reshape", {"shape": (4,)}),
        Step("transpose", {"d0": 0, "d1": -1}),
        Step("permute", {"dims": (1, 0)}),
        Step("expand", {"shape": (3, 2, 2)}),
        Step("unsqueeze", {"dim": 0}),
        Step("squeeze", {"dim": None}),
        Step("index", {"key": 0}),
        Step("matmul", {"mm": True}, partner=1),
        Step("matmul", {"mm": False}, partner=1),
    ]
    seen = set()
    for step in steps:
        inputs = (t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True),
                  t.tensor([[0.5, 1.5], [2.5, 3.5]], requires_grad=True))
        out = _apply_tensor(step, inputs[0], inputs)
        seen |= {node.name for node in topological_order(out.grad_fn)}
    assert set(OPS) - set(NOT_FUZZED) - seen == set()
