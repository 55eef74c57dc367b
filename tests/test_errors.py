"""Errors a learner can act on: the right exception type, and a message naming what is wrong
(the shapes, the op, the argument), in PyTorch's words where PyTorch has some."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core import ops
from tinygrad_lr.nn import functional as F

# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


def test_mm_names_both_shapes():
    with pytest.raises(RuntimeError) as err:
        t.ones(4, 2).mm(t.ones(3, 1))
    assert str(err.value) == "mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)"


@pytest.mark.parametrize("left, right, which", [((4,), (4, 1), "self"), ((4, 2), (2,), "mat2"),
                                                ((2, 2, 2), (2, 2), "self")])  # fmt: skip
def test_mm_needs_matrices(left, right, which):
    with pytest.raises(RuntimeError, match=f"{which} must be a matrix") as err:
        t.ones(*left).mm(t.ones(*right))
    assert str(left if which == "self" else right) in str(err.value)  # the offending shape


def test_matmul_names_both_shapes():
    with pytest.raises(RuntimeError, match=re.escape("shapes (2, 3) and (4, 5) cannot be mult")):
        t.ones(2, 3) @ t.ones(4, 5)


@pytest.mark.parametrize("name, op", [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b),
                                      ("mul", lambda a, b: a * b), ("div", lambda a, b: a / b)])
def test_broadcasting_names_both_shapes_and_the_op(name, op):
    a, b = t.ones(4, 2, requires_grad=True), t.ones(3)
    with pytest.raises(RuntimeError) as err:
        op(a, b)
    message = str(err.value)
    assert message.startswith(f"{name}: ")
    assert "(4, 2)" in message and "(3,)" in message
    assert "size of tensor a (2) must match the size of tensor b (3)" in message


def test_expand_names_both_shapes():
    with pytest.raises(RuntimeError) as err:
        t.ones(2, 3).expand(4, 3)
    message = str(err.value)
    assert "expanded size of the tensor (4) must match the existing size (2)" in message
    assert "[4, 3]" in message and "[2, 3]" in message


def test_expand_to_fewer_dimensions():
    with pytest.raises(RuntimeError, match=r"number of sizes provided \(1\).*\(2, 3\)"):
        t.ones(2, 3).expand(3)


def test_reshape_names_the_shape_and_the_size():
    with pytest.raises(RuntimeError, match=re.escape("shape '[4, -1]' is invalid for input of "
                                                     "size 6")):  # fmt: skip
        t.ones(2, 3).reshape(4, -1)


def test_a_dim_out_of_range():
    with pytest.raises(IndexError, match=re.escape("sum(): Dimension out of range (expected to be "
                                                   "in range of [-2, 1], but got 2)")):  # fmt: skip
        t.ones(2, 3).sum(2)


def test_an_index_out_of_range_names_the_shape():
    with pytest.raises(IndexError, match=r"\(3,\).*out of bounds"):
        t.ones(3)[[0, 0, 5]]


def test_item_of_several_elements():
    with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted to Scal"):
        t.ones(3).item()


# ---------------------------------------------------------------------------------------------
# backward
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: t.ones(1), lambda: t.ones(1) * 2],
                         ids=["a leaf", "a result of ops on constants"])
def test_backward_on_what_does_not_require_grad(make):
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        make().backward()


def test_backward_on_a_result_made_under_no_grad():
    w = t.ones(1, requires_grad=True)
    with t.no_grad():
        y = w * 2
    with pytest.raises(RuntimeError, match="does not require grad.*no_grad"):
        y.backward()


def test_non_scalar_backward_without_gradient():
    y = t.ones(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError) as err:
        y.backward()
    message = str(err.value)
    assert "grad can be implicitly created only for scalar outputs" in message
    assert "(2, 3)" in message


def test_backward_with_a_gradient_of_the_wrong_shape():
    y = t.ones(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=re.escape("gradient has a shape of (3,) and the tensor "
                                                     "has a shape of (2, 3)")):  # fmt: skip
        y.backward(t.ones(3))


def test_gradcheck_refuses_float32_inputs():
    with pytest.raises(ValueError, match="input 0 requires grad but is float32.*float64"):
        t.gradcheck(lambda a: a * 2, [t.ones(2, requires_grad=True)])


# ---------------------------------------------------------------------------------------------
# Every op rejects non-numeric input, naming the op
# ---------------------------------------------------------------------------------------------

BAD_VALUES: dict[str, Any] = {
    "a string": "a",
    "None": None,
    "a mixed list": [1.0, "a"],
    "an object array": np.array([1.0, None], dtype=object),
}

X = t.ones(2, 2)


def _non_leaf() -> t.Tensor:
    return t.ones(2, 2, requires_grad=True) * 1


# For each op: the ways a non-numeric value can reach it (as an operand, or as the op's other
# argument: exponent, shape, dim, key, dtype, value), and the name the message must give.
# `skip` lists the bad values that are valid there (x[None] adds a dimension; sum(dim=None)
# sums everything; squeeze(None) drops every size-1 dimension; to(None) changes nothing).
REJECTING_CALLS: dict[str, list[tuple[str, Callable[[Any], Any], str, set[str]]]] = {
    "add": [("x + bad", lambda b: X + b, "add", set()), ("bad + x", lambda b: b + X, "add", set()),
            ("x.add(bad)", lambda b: X.add(b), "add", set()),
            ("h.add_(bad)", lambda b: _non_leaf().add_(b), "add", set())],
    "sub": [("x - bad", lambda b: X - b, "sub", set()), ("bad - x", lambda b: b - X, "sub", set()),
            ("h -= bad", lambda b: _non_leaf().__isub__(b), "sub", set())],
    "mul": [("x * bad", lambda b: X * b, "mul", set()), ("bad * x", lambda b: b * X, "mul", set()),
            ("h.mul_(bad)", lambda b: _non_leaf().mul_(b), "mul", set())],
    "div": [("x / bad", lambda b: X / b, "div", set()), ("bad / x", lambda b: b / X, "div", set()),
            ("h.div_(bad)", lambda b: _non_leaf().div_(b), "div", set())],
    # neg and clone take nothing but the tensor, and a Tensor cannot hold non-numeric values:
    # the only door is the constructor, which names itself.
    "neg": [("-tensor(bad)", lambda b: -t.tensor(b), "tensor()", set())],
    "clone": [("tensor(bad).clone()", lambda b: t.tensor(b).clone(), "tensor()", set())],
    "pow": [("x ** bad", lambda b: X**b, "pow", set()), ("x.pow(bad)", lambda b: X.pow(b), "pow",
            set()), ("t.pow(bad, 2)", lambda b: t.pow(b, 2), "pow", set())],  # fmt: skip
    **{name: [(f"t.{name}(bad)", getattr(t, name), name, set())]
       for name in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "tan", "atan",
                    "asin", "acos", "sinh", "cosh", "log1p", "expm1", "log2", "log10", "exp2",
                    "rsqrt", "reciprocal", "frac", "erf", "sign", "floor", "ceil", "trunc",
                    "round")},  # fmt: skip
    "pow_tensor": [("x ** tensor(bad)", lambda b: X ** t.tensor(b), "tensor()", set()),
                   ("bad ** x", lambda b: b ** X, "pow", set())],
    **{name: [(f"x.{method}(bad)", lambda b, m=method: getattr(X, m)(b), name, set()),
              (f"t.{method}(bad, x)", lambda b, m=method: getattr(t, m)(b, X), method, set())]
       for name, method in (("remainder", "remainder"), ("fmod", "fmod"),
                            ("floor_divide", "floor_divide"), ("maximum", "maximum"),
                            ("minimum", "minimum"))},  # fmt: skip
    "where": [("t.where(bad, x, x)", lambda b: t.where(b, X, X), "where", set()),
              ("x.where(x > 0, bad)", lambda b: X.where(X > 0, b), "where", set())],
    "lerp": [("x.lerp(bad, 0.5)", lambda b: X.lerp(b, 0.5), "lerp", set()),
             ("x.lerp(x, bad)", lambda b: X.lerp(X, b), "lerp", set())],
    "clamp_tensor": [("x.clamp(x, tensor(bad))", lambda b: X.clamp(X, t.tensor(b)), "tensor()",
                      set())],
    **{name: [(f"x.{name}(bad)", lambda b, n=name: getattr(X, n)(b), name,
               {"None"} if name == "logsumexp" else set()),
              (f"t.{name}(bad, 0)", lambda b, n=name: getattr(t, n)(b, 0), name, set())]
       for name in ("cumsum", "logsumexp", "softmax", "log_softmax")},  # fmt: skip
    "prod": [("x.prod(bad)", lambda b: X.prod(b), "prod", {"None"}),
             ("t.prod(bad)", lambda b: t.prod(b), "prod", set())],
    "norm": [("x.norm(bad)", lambda b: X.norm(b), "norm", {"None"}),
             ("x.norm(2, bad)", lambda b: X.norm(2, b), "norm", {"None"})],
    "flip": [("x.flip(bad)", lambda b: X.flip(b), "flip", set()),
             ("t.flip(bad, 0)", lambda b: t.flip(b, 0), "flip", set())],
    "roll": [("x.roll(1, bad)", lambda b: X.roll(1, b), "roll", {"None"}),
             ("t.roll(bad, 1)", lambda b: t.roll(b, 1), "roll", set())],
    "matmul": [("x @ bad", lambda b: X @ b, "matmul", set()),
               ("bad @ x", lambda b: b @ X, "matmul", set()),
               ("t.matmul(bad, x)", lambda b: t.matmul(b, X), "matmul", set())],
    "mm": [("x.mm(bad)", lambda b: X.mm(b), "mm", set()),
           ("t.mm(bad, x)", lambda b: t.mm(b, X), "mm", set())],
    "expand": [("x.expand(bad)", lambda b: X.expand(b), "expand", set()),
               ("x.expand_as(bad)", lambda b: X.expand_as(b), "expand_as", set())],
    "reshape": [("x.reshape(bad)", lambda b: X.reshape(b), "reshape", set()),
                ("t.reshape(bad, 4)", lambda b: t.reshape(b, 4), "reshape", set())],
    "view": [("x.view(bad)", lambda b: X.view(b), "view", set())],
    "squeeze": [("x.squeeze(bad)", lambda b: X.squeeze(b), "squeeze", {"None"}),
                ("t.squeeze(bad)", lambda b: t.squeeze(b), "squeeze", set())],
    "unsqueeze": [("x.unsqueeze(bad)", lambda b: X.unsqueeze(b), "unsqueeze", set())],
    "permute": [("x.permute(bad)", lambda b: X.permute(b), "permute", set())],
    "transpose": [("x.transpose(bad, 0)", lambda b: X.transpose(b, 0), "transpose", set()),
                  ("t.transpose(bad, 0, 1)", lambda b: t.transpose(b, 0, 1), "transpose", set())],
    "index": [("x[bad]", lambda b: X[b], "index", {"None"})],
    "gather": [("x.gather(0, bad)", lambda b: X.gather(0, b), "gather", set()),
               ("t.gather(bad, 0, index)", lambda b: t.gather(b, 0, t.zeros(1, 1, dtype=t.int64)),
                "gather", set())],
    "sum": [("x.sum(bad)", lambda b: X.sum(b), "sum", {"None"}),
            ("x.sum(0, keepdim=bad)", lambda b: X.sum(0, keepdim=b), "sum", set()),
            ("t.sum(bad)", lambda b: t.sum(b), "sum", set())],
    "mean": [("x.mean(bad)", lambda b: X.mean(b), "mean", {"None"}),
             ("x.mean(0, keepdim=bad)", lambda b: X.mean(0, keepdim=b), "mean", set()),
             ("t.mean(bad)", lambda b: t.mean(b), "mean", set())],
    "to": [("x.to(bad)", lambda b: X.to(b), "to()", {"None"}),
           ("x.to(dtype=bad)", lambda b: X.to(dtype=b), "to()", {"None"})],
    "fill": [("h.fill_(bad)", lambda b: _non_leaf().fill_(b), "fill_", set())],
    "copy": [("h.copy_(bad)", lambda b: _non_leaf().copy_(b), "copy_", set())],
    "cat": [("t.cat([x, bad])", lambda b: t.cat([X, b]), "cat", set()),
            ("t.cat(bad)", lambda b: t.cat(b), "cat", set())],
    "binary_cross_entropy": [
        ("F.binary_cross_entropy(bad, x)", lambda b: F.binary_cross_entropy(b, X),
         "binary_cross_entropy", set()),
        ("F.binary_cross_entropy(x, bad)", lambda b: F.binary_cross_entropy(X, b),
         "binary_cross_entropy", set())],
    "abs": [("t.abs(bad)", t.abs, "abs", set()), ("abs(tensor(bad))",
            lambda b: abs(t.tensor(b)), "tensor()", set())],
    # None is a valid bound (no bound on that side); x.clamp(None, None) is a RuntimeError.
    "clamp": [("x.clamp(bad)", lambda b: X.clamp(b), "clamp", {"None"}),
              ("x.clip(0, bad)", lambda b: X.clip(0, b), "clamp", {"None"}),
              ("t.clamp(bad, 0)", lambda b: t.clamp(b, 0), "clamp", set())],
    **{name: [(f"x.{name}(bad)", lambda b, n=name: getattr(X, n)(b), name, {"None"}),
              (f"x.{name}(0, keepdim=bad)", lambda b, n=name: getattr(X, n)(0, keepdim=b), name,
               set()),
              (f"t.{name}(bad)", getattr(t, name), name, set())]
       for name in ("max", "min")},
}  # fmt: skip


def test_every_op_has_rejecting_calls():
    assert set(ops.OPS) == set(REJECTING_CALLS)


_PARAMS = [(op, label, value) for op, calls in REJECTING_CALLS.items()
           for label, _, _, skip in calls for value in BAD_VALUES if value not in skip]  # fmt: skip


@pytest.mark.parametrize("op, call, value", _PARAMS)
def test_non_numeric_input_is_rejected_naming_the_op(op, call, value):
    fn, name = next((f, n) for label, f, n, _ in REJECTING_CALLS[op] if label == call)
    expected_type = IndexError if op == "index" else TypeError
    if value == "None" and "tensor(bad)" in call:  # tensor(None) is PyTorch's RuntimeError
        expected_type, name = RuntimeError, "tensor()"
    with pytest.raises(expected_type) as err:
        fn(BAD_VALUES[value])
    message = str(err.value)
    # The op's name as a word: "add(): ...", "sum: ...", "index 'a' is invalid", "to(): ..."
    assert re.search(rf"(^|\W){re.escape(name)}(\W|$)", message), message


def test_bool_tensors_refuse_subtraction_and_negation_by_name():
    mask = t.tensor([True, False])
    with pytest.raises(RuntimeError, match="^sub: Subtraction, the `-` operator, with two bool"):
        _ = mask - mask
    with pytest.raises(RuntimeError, match="^neg: Negation, the `-` operator, on a bool tensor"):
        _ = -mask


def test_a_tensor_exponent_and_a_number_base_work_as_in_pytorch():
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x**x + 2**x
    y.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), [3.0, 8.0])
    # d(xˣ)/dx = xˣ(log x + 1), d(2ˣ)/dx = 2ˣ log 2
    np.testing.assert_allclose(x.grad.numpy(), [1 + 2 * np.log(2), 4 * (np.log(2) + 1)
                                                + 4 * np.log(2)], rtol=1e-6)  # fmt: skip
