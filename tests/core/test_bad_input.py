"""The catalogue of bad input: each mistake raises the right error type, naming what is wrong
(the shapes, the op, the argument), in PyTorch's words where PyTorch has some.

Every case below asserts the exception type, that the message contains the shapes, op, dtype or
value involved, and that the error was raised by the package's own checks (the innermost frame of
the traceback is in tinygrad_lr/), never by numpy from deep inside. Also here: what *works* on
0-d and empty tensors and on nan/inf data, and the `.npz` loader's refusals.
"""

import decimal
import os
import pickle
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core import ops
from tinygrad_lr.nn import functional as F
from tinygrad_lr.serialization import SerializationError, load_arrays, save_arrays

PACKAGE_DIR = os.path.dirname(os.path.abspath(t.__file__)) + os.sep


class Case(NamedTuple):
    id: str
    make: Any  # a function that must raise
    error: type
    needles: tuple  # substrings the message must contain


def check_raises(make, error, needles) -> None:
    with pytest.raises(error) as info:
        make()
    assert type(info.value) is error  # exactly this type, not merely a subclass of it
    msg = str(info.value)
    missing = [n for n in needles if n not in msg]
    assert not missing, f"message lacks {missing}: {msg}"
    innermost = str(info.traceback[-1].path)
    assert innermost.startswith(PACKAGE_DIR), f"raised from {innermost}, not by tinygrad_lr"


def A():  # a (2, 3) tensor
    return t.ones(2, 3)


def B():  # a (4, 5) tensor: broadcasts with nothing of shape (2, 3)
    return t.ones(4, 5)


def leaf(*shape):
    return t.ones(*shape, requires_grad=True)


def _backward_twice(forward):
    def run():
        x = leaf(3, 1)
        y = forward(x).sum()
        y.backward()
        y.backward()

    return run


def _changed_saved_tensor(forward, change):
    def run():
        h = leaf(3) * 1.0
        y = forward(h)
        change(h, y)
        y.sum().backward()

    return run


def _anomaly(forward, values):
    def run():
        x = t.tensor(values, requires_grad=True)
        with t.detect_anomaly():
            forward(x).sum().backward()

    return run


def _setitem(x, key, value):
    x[key] = value


def _hook_returning(value):
    def run():
        x = leaf(2)
        x.register_hook(lambda g: value)
        (x * 2).sum().backward()

    return run


def _made_under_no_grad():
    w = t.ones(1, requires_grad=True)
    with t.no_grad():
        return w * 2


BINARY_OPS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "lt": "<", "le": "<=", "gt": ">",
              "ge": ">=", "eq": "==", "ne": "!="}  # fmt: skip

CASES = [
    # --- wrong shapes for every binary op: both shapes and the op are named ------------------
    *[Case(f"shapes-{name}", (lambda s=sym: eval(f"A() {s} B()")), RuntimeError,
           (name, "(2, 3)", "(4, 5)", "non-singleton dimension 0")) for name, sym in
      BINARY_OPS.items()],
    Case("shapes-add-requires-grad", lambda: leaf(2, 3) + B(), RuntimeError,
         ("add", "(2, 3)", "(4, 5)")),
    Case("shapes-mul-trailing-dim", lambda: A() * t.ones(2, 4), RuntimeError,
         ("mul", "(2, 3)", "(2, 4)", "dimension 1", "size of tensor a (3)")),
    Case("shapes-vectors-sub", lambda: t.ones(3) - t.ones(4), RuntimeError,
         ("sub", "(3,)", "(4,)")),
    Case("shapes-numpy-on-the-left", lambda: np.ones((4, 5)) + A(), RuntimeError,
         ("add", "(4, 5)", "(2, 3)")),
    Case("shapes-inplace-add_", lambda: A().add_(B()), RuntimeError, ("add", "(2, 3)", "(4, 5)")),
    Case("shapes-inplace-would-grow", lambda: t.ones(3).add_(A()), RuntimeError,
         ("add_", "(3,)", "(2, 3)")),
    # --- mm and matmul -----------------------------------------------------------------------
    Case("mm-inner-mismatch", lambda: A().mm(A()), RuntimeError,
         ("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",)),
    Case("mm-vector", lambda: t.ones(3).mm(A()), RuntimeError, ("self must be a matrix", "(3,)")),
    Case("mm-3d", lambda: t.ones(2, 2, 2).mm(A()), RuntimeError, ("self", "(2, 2, 2)")),
    Case("mm-0d-self", lambda: t.tensor(2.0).mm(A()), RuntimeError,
         ("self must be a matrix", "()")),
    Case("mm-0d-mat2", lambda: A().mm(t.tensor(2.0)), RuntimeError,
         ("mat2 must be a matrix", "()")),
    Case("mm-list", lambda: A().mm([[1.0]]), TypeError, ("mm()", "mat2", "list")),
    Case("matmul-inner-mismatch", lambda: A() @ A(), RuntimeError,
         ("(2, 3)", "3 columns on the left, 2 rows on the right")),
    Case("matmul-vectors", lambda: t.ones(3) @ t.ones(4), RuntimeError, ("(3,)", "(4,)")),
    Case("matmul-0d", lambda: t.tensor(1.0) @ t.ones(3), RuntimeError, ("at least 1-D", "0-D")),
    Case("matmul-batch", lambda: t.ones(2, 2, 3) @ t.ones(3, 3, 2), RuntimeError,
         ("(2, 2, 3)", "(3, 3, 2)", "batch")),
    Case("matmul-none", lambda: A() @ None, TypeError, ("matmul()", "NoneType")),
    # --- expand ------------------------------------------------------------------------------
    Case("expand-non-singleton", lambda: A().expand(4, 3), RuntimeError,
         ("expanded size of the tensor (4)", "existing size (2)", "[4, 3]", "[2, 3]")),
    Case("expand-too-few-sizes", lambda: A().expand(3), RuntimeError, ("(2, 3)", "[3]")),
    Case("expand-leading-minus-one", lambda: t.ones(3).expand(-1, 3), RuntimeError,
         ("(-1)", "leading")),
    Case("expand-str-size", lambda: A().expand("a"), TypeError, ("expand()", "'a'", "str")),
    Case("expand_as-mismatch", lambda: A().expand_as(t.ones(4, 3)), RuntimeError,
         ("[4, 3]", "[2, 3]")),
    # --- 0-d and empty tensors ---------------------------------------------------------------
    Case("item-of-empty", lambda: t.zeros(0).item(), RuntimeError, ("0 elements", "(0,)")),
    Case("item-of-two", lambda: t.ones(2).item(), RuntimeError, ("2 elements", "(2,)")),
    Case("len-of-0d", lambda: len(t.tensor(1.0)), TypeError, ("0-d",)),
    Case("iterate-0d", lambda: list(t.tensor(1.0)), TypeError, ("0-d",)),
    Case("index-0d", lambda: t.tensor(1.0)[0], IndexError, ("shape ()",)),
    Case("bool-of-two", lambda: bool(t.ones(2)), RuntimeError, ("2 values", "ambiguous")),
    Case("backward-empty-non-scalar", lambda: (leaf(0) * 2).backward(), RuntimeError,
         ("scalar outputs", "(0,)")),
    Case("mean-of-int", lambda: t.arange(3).mean(), RuntimeError, ("mean()", "int64")),
    # --- integer tensors asked to require grad -----------------------------------------------
    Case("int-list-requires-grad", lambda: t.tensor([1, 2], requires_grad=True), RuntimeError,
         ("floating point", "int64")),
    Case("int32-ones-requires-grad", lambda: t.ones(2, dtype=t.int32, requires_grad=True),
         RuntimeError, ("floating point", "int32")),
    Case("arange-requires_grad_", lambda: t.arange(3).requires_grad_(), RuntimeError,
         ("floating point", "int64")),
    Case("bool-requires-grad", lambda: t.tensor([True], requires_grad=True), RuntimeError,
         ("floating point", "bool")),
    Case("randint-set-requires-grad", lambda: setattr(t.randint(0, 5, (2,)), "requires_grad", True),
         RuntimeError, ("floating point", "int64")),
    # --- backward misuse ---------------------------------------------------------------------
    Case("backward-twice-mul", _backward_twice(lambda x: x * x), RuntimeError,
         ("second time", "MulBackward", "retain_graph=True")),
    Case("backward-twice-exp", _backward_twice(lambda x: x.exp()), RuntimeError,
         ("second time", "ExpBackward")),
    Case("backward-twice-mm", _backward_twice(lambda x: A().mm(x)), RuntimeError,
         ("second time", "MMBackward")),
    Case("backward-non-scalar", lambda: (leaf(2) * 2).backward(), RuntimeError,
         ("grad can be implicitly created only for scalar outputs", "(2,)")),
    Case("backward-needs-no-grad", lambda: A().sum().backward(), RuntimeError,
         ("does not require grad",)),
    Case("backward-after-no_grad", lambda: t.no_grad()(lambda: leaf(2).sum())().backward(),
         RuntimeError, ("does not require grad", "no_grad")),
    Case("backward-gradient-shape", lambda: (leaf(2) * 2).backward(t.ones(3)), RuntimeError,
         ("(3,)", "(2,)")),
    Case("backward-gradient-str", lambda: (leaf(2) * 2).backward("a"), TypeError,
         ("backward()", "str")),
    # --- in-place ops on leaves and on saved tensors -----------------------------------------
    *[Case(f"inplace-leaf-{op}", make, RuntimeError, ("leaf Variable that requires grad", op))
      for op, make in [
          ("add_", lambda: leaf(3).add_(1.0)),
          ("sub_", lambda: leaf(3).sub_(1.0)),
          ("mul_", lambda: leaf(3).mul_(2.0)),
          ("div_", lambda: leaf(3).div_(2.0)),
          ("zero_", lambda: leaf(3).zero_()),
          ("fill_", lambda: leaf(3).fill_(7.0)),
          ("copy_", lambda: leaf(3).copy_(t.zeros(3))),
          ("__setitem__", lambda: _setitem(leaf(3), 0, 5.0)),
      ]],
    Case("inplace-leaf-augmented", lambda: leaf(3).__iadd__(1.0), RuntimeError,
         ("leaf Variable", "add_")),
    Case("inplace-view-of-leaf-element", lambda: leaf(3)[0].add_(1.0), RuntimeError,
         ("view of a leaf Variable", "add_")),
    Case("inplace-view-of-leaf", lambda: leaf(3).view(3).mul_(2.0), RuntimeError,
         ("view of a leaf Variable", "mul_")),
    Case("inplace-saved-input", _changed_saved_tensor(lambda h: h * h, lambda h, y: h.add_(1.0)),
         RuntimeError, ("modified by an inplace operation", "MulBackward", "shape [3]",
                        "version 1; expected version 0")),
    Case("inplace-saved-output", _changed_saved_tensor(lambda h: h.exp(), lambda h, y: y.mul_(2.0)),
         RuntimeError, ("modified by an inplace operation", "ExpBackward", "version 1")),
    Case("inplace-saved-by-pow", _changed_saved_tensor(lambda h: h**3, lambda h, y: h.sub_(1.0)),
         RuntimeError, ("PowBackward", "version 1; expected version 0")),
    Case("inplace-shared-memory",
         _changed_saved_tensor(lambda h: h * 2, lambda h, y: h[0:2].add_(1)),
         RuntimeError, ("add_", "shares memory")),
    Case("inplace-int-gets-float", lambda: t.tensor([1, 2]).add_(0.5), RuntimeError,
         ("add_", "float32", "int64")),
    # --- bad data: strings, None, mixed and ragged lists, complex, objects --------------------
    Case("data-str", lambda: t.tensor("abc"), TypeError, ("tensor()", "str")),
    Case("data-none", lambda: t.tensor(None), RuntimeError, ("NoneType",)),
    Case("data-bytes", lambda: t.tensor(b"ab"), TypeError, ("bytes",)),
    Case("data-mixed-str", lambda: t.tensor([1, "a"]), TypeError, ("a list of int, str",)),
    Case("data-mixed-none", lambda: t.tensor([1.0, None]), TypeError,
         ("a list of NoneType, float",)),
    Case("data-ragged", lambda: t.tensor([[1, 2], [3]]), ValueError, ("rectangular",)),
    Case("data-ragged-deeper", lambda: t.tensor([[[1], [2, 3]]]), ValueError, ("rectangular",)),
    Case("data-complex", lambda: t.tensor([1 + 2j]), TypeError, ("complex numbers",)),
    Case("data-complex-array", lambda: t.tensor(np.array([1j])), TypeError, ("complex",)),
    Case("data-object-array", lambda: t.tensor(np.array([1, "a"], dtype=object)), TypeError,
         ("object",)),
    Case("data-dict", lambda: t.tensor({"a": 1}), TypeError, ("dict",)),
    Case("data-set", lambda: t.tensor({1, 2}), TypeError, ("set",)),
    Case("data-huge-int", lambda: t.tensor([1, 10**30]), OverflowError,
         ("1000000000000000000000000000000", "int64")),
    Case("from_numpy-object", lambda: t.from_numpy(np.array([None])), TypeError, ("object",)),
    Case("dtype-complex", lambda: t.tensor([1.0], dtype="complex64"), TypeError,
         ("complex64", "float32")),
    # --- bad operands ------------------------------------------------------------------------
    Case("operand-str", lambda: A() + "abc", TypeError, ("add()", "str")),
    Case("operand-none", lambda: A() * None, TypeError, ("mul()", "NoneType")),
    Case("operand-list", lambda: A() - [1, 2], TypeError, ("sub()", "list")),
    Case("operand-complex", lambda: A() / 1j, TypeError, ("div()", "complex")),
    Case("operand-object-array", lambda: A() < np.array([None]), TypeError,
         ("lt()", "dtype object")),
    Case("operand-complex-array", lambda: A() == np.ones(3, complex), TypeError,
         ("eq()", "complex128")),
    Case("operand-str-on-the-left", lambda: "abc" + A(), TypeError, ("add()", "str")),
    Case("operand-decimal", lambda: decimal.Decimal(1) * A(), TypeError, ("mul()", "Decimal")),
    Case("operand-huge-int", lambda: t.tensor([1]) + 10**30, OverflowError,
         ("add()", "1000000000000000000000000000000", "64 bits")),
    Case("pow-str", lambda: A() ** "a", TypeError, ("pow()", "exponent", "str")),
    Case("pow-list-exponent", lambda: A() ** [1, 2], TypeError, ("pow()", "exponent", "list")),
    Case("list-pow-tensor", lambda: [1, 2] ** A(), TypeError, ("pow", "list")),
    Case("bool-minus-bool", lambda: t.tensor([True]) - t.tensor([False]), RuntimeError,
         ("Subtraction", "bool")),
    Case("negate-bool", lambda: -t.tensor([True]), RuntimeError, ("Negation", "bool")),
    # --- nan/inf data reaching a gradient: caught by anomaly mode ----------------------------
    Case("anomaly-nan-data", _anomaly(lambda x: x * x, [float("nan"), 1.0]), RuntimeError,
         ("MulBackward", "nan", "`mul`")),
    Case("anomaly-inf-gradient", _anomaly(lambda x: x.sqrt(), [0.0, 1.0]), RuntimeError,
         ("SqrtBackward", "inf", "`sqrt`")),
    # --- dimensions, indices, sizes, devices -------------------------------------------------
    Case("sum-dim-out-of-range", lambda: A().sum(5), IndexError, ("sum()", "[-2, 1]", "5")),
    Case("transpose-dim-out-of-range", lambda: t.ones(3).transpose(0, 1), IndexError,
         ("transpose()", "[-1, 0]", "1")),
    Case("reshape-wrong-size", lambda: A().reshape(4, 2), RuntimeError, ("[4, 2]", "size 6")),
    Case("view-two-minus-ones", lambda: A().view(-1, -1), RuntimeError, ("only one", "[-1, -1]")),
    Case("permute-repeated-dim", lambda: A().permute(0, 0), RuntimeError, ("permute()", "(0, 0)")),
    Case("index-out-of-bounds", lambda: A()[5], IndexError, ("5", "(2, 3)")),
    Case("index-float", lambda: A()[1.5], IndexError, ("1.5", "(2, 3)")),
    Case("index-float-tensor", lambda: A()[t.tensor([0.5])], IndexError, ("float32",)),
    Case("device-cuda", lambda: A().to("cuda"), RuntimeError, ("'cuda'", "cpu")),
    Case("zeros-negative", lambda: t.zeros(-1), RuntimeError, ("negative dimension", "[-1]")),
    Case("zeros-float-size", lambda: t.zeros(1.5), TypeError, ("1.5", "float")),
    # --- hooks and gradcheck -----------------------------------------------------------------
    Case("hook-wrong-shape", _hook_returning(t.ones(3)), RuntimeError, ("(3,)", "(2,)")),
    Case("hook-returns-number", _hook_returning(3), TypeError, ("int",)),
    Case("hook-on-tensor-without-grad", lambda: A().register_hook(print), RuntimeError,
         ("doesn't require gradient",)),
    Case("retain_grad-without-grad", lambda: (A() * 2).retain_grad(), RuntimeError,
         ("requires_grad=False",)),
    Case("gradcheck-float32", lambda: t.gradcheck(lambda a: a * 2, (leaf(2),)), ValueError,
         ("float32", "float64")),
    # --- exact messages: mm, matmul, expand, reshape, dims, item, backward ---------------------
    Case("mm-shapes-exact", lambda: t.ones(4, 2).mm(t.ones(3, 1)), RuntimeError,
         ("mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)",)),
    Case("mm-self-not-a-matrix", lambda: t.ones(4).mm(t.ones(4, 1)), RuntimeError,
         ("self must be a matrix", "(4,)")),
    Case("mm-mat2-not-a-matrix", lambda: t.ones(4, 2).mm(t.ones(2)), RuntimeError,
         ("mat2 must be a matrix", "(2,)")),
    Case("mm-3d-self", lambda: t.ones(2, 2, 2).mm(t.ones(2, 2)), RuntimeError,
         ("self must be a matrix", "(2, 2, 2)")),
    Case("matmul-shapes", lambda: t.ones(2, 3) @ t.ones(4, 5), RuntimeError,
         ("shapes (2, 3) and (4, 5) cannot be mult",)),
    *[Case(f"broadcast-recorded-{name}", (lambda s=sym: eval(f"leaf(4, 2) {s} t.ones(3)")),
           RuntimeError, (f"{name}: ", "(4, 2)", "(3,)",
                          "size of tensor a (2) must match the size of tensor b (3)"))
      for name, sym in (("add", "+"), ("sub", "-"), ("mul", "*"), ("div", "/"))],
    Case("expand-both-shapes", lambda: t.ones(2, 3).expand(4, 3), RuntimeError,
         ("expanded size of the tensor (4) must match the existing size (2)", "[4, 3]", "[2, 3]")),
    Case("expand-fewer-dims", lambda: t.ones(2, 3).expand(3), RuntimeError,
         ("number of sizes provided (1)", "(2, 3)")),
    Case("reshape-size", lambda: t.ones(2, 3).reshape(4, -1), RuntimeError,
         ("shape '[4, -1]' is invalid for input of size 6",)),
    Case("sum-dim-range", lambda: t.ones(2, 3).sum(2), IndexError,
         ("sum(): Dimension out of range (expected to be in range of [-2, 1], but got 2)",)),
    Case("index-list-out-of-range", lambda: t.ones(3)[[0, 0, 5]], IndexError,
         ("(3,)", "out of bounds")),
    Case("item-of-three", lambda: t.ones(3).item(), RuntimeError,
         ("a Tensor with 3 elements cannot be converted to Scal",)),
    Case("backward-leaf-without-grad", lambda: t.ones(1).backward(), RuntimeError,
         ("does not require grad and does not have a grad_fn",)),
    Case("backward-constants-only", lambda: (t.ones(1) * 2).backward(), RuntimeError,
         ("does not require grad and does not have a grad_fn",)),
    Case("backward-made-under-no_grad", lambda: _made_under_no_grad().backward(), RuntimeError,
         ("does not require grad", "no_grad")),
    # --- einsum, narrow, index_select, repeat, the triangles and the norms ------------------
    Case("einsum-fewer-operands", lambda: t.einsum("ij,jk->ik", A()), RuntimeError,
         ("fewer operands", "1 operands", "2 groups", "'ij,jk->ik'")),
    Case("einsum-more-operands", lambda: t.einsum("ij->ij", A(), B()), RuntimeError,
         ("more operands", "'ij->ij'")),
    Case("einsum-subscripts-vs-dims", lambda: t.einsum("ijk,jk->ik", A(), B()), RuntimeError,
         ("number of subscripts in the equation (3)", "number of dimensions (2) for operand 0")),
    Case("einsum-letter-sizes", lambda: t.einsum("ij,jk->ik", A(), t.ones(4, 4)), RuntimeError,
         ("subscript j has size 4 for operand 1", "size 3", "(2, 3)", "(4, 4)")),
    Case("einsum-repeated-letter-sizes", lambda: t.einsum("ii->i", A()), RuntimeError,
         ("subscript i is repeated for operand 0", "(2, 3)")),
    Case("einsum-unknown-output-letter", lambda: t.einsum("ij->ik", A()), RuntimeError,
         ("output subscript k does not appear", "'ij->ik'")),
    Case("einsum-mixed-dtypes", lambda: t.einsum("i,i->", t.ones(3), t.ones(3, dtype=t.float64)),
         RuntimeError, ("same dtype", "float32", "float64")),
    Case("einsum-stray-dot", lambda: t.einsum("..i->i", t.ones(3)), RuntimeError,
         ("'.'", "ellipsis", "'..i->i'")),
    Case("einsum-bad-letter", lambda: t.einsum("i1->i", A()), RuntimeError,
         ("invalid subscript '1'", "[a-zA-Z]")),
    Case("narrow-start-out-of-range", lambda: A().narrow(1, 5, 1), IndexError,
         ("start out of range", "[-3, 3]", "got 5", "(2, 3)")),
    Case("narrow-past-the-end", lambda: A().narrow(1, 1, 5), RuntimeError,
         ("start (1) + length (5) exceeds dimension size (3)",)),
    Case("narrow-negative-length", lambda: A().narrow(0, 0, -1), RuntimeError,
         ("length must be non-negative", "-1")),
    Case("index_select-float-index", lambda: A().index_select(1, t.tensor([0.0, 1.0])),
         RuntimeError, ("index_select()", "int32 or int64", "float32")),
    Case("index_select-out-of-range", lambda: A().index_select(1, t.tensor([0, 3])), RuntimeError,
         ("index 3", "dimension 1", "size 3")),
    Case("index_select-matrix-index", lambda: A().index_select(1, t.tensor([[0, 1]])),
         IndexError, ("vector", "(1, 2)")),
    Case("repeat-fewer-sizes", lambda: A().repeat(2), RuntimeError,
         ("repeat dims (1)", "dimensions of tensor (2", "(2, 3)")),
    Case("repeat-negative", lambda: A().repeat(2, -1), RuntimeError,
         ("negative dimension", "[2, -1]", "(2, 3)")),
    Case("repeat-float", lambda: A().repeat(2.0, 1), TypeError, ("repeat()", "2.0", "float")),
    Case("mT-of-a-vector", lambda: t.ones(3).mT, RuntimeError, ("mT", "1-D", "(3,)")),
    Case("tril-of-a-vector", lambda: t.tril(t.ones(3)), RuntimeError,
         ("tril", "at least 2 dimensions", "(3,)")),
    Case("triu-float-diagonal", lambda: A().triu(1.0), TypeError, ("triu()", "diagonal", "float")),
    Case("diag-of-3d", lambda: t.diag(t.ones(2, 2, 2)), RuntimeError, ("diag()", "3D")),
    Case("trace-of-a-vector", lambda: t.trace(t.ones(3)), RuntimeError,
         ("trace", "matrix", "dim 1")),
    Case("amax-over-an-empty-dim", lambda: t.ones(0, 3).amax(0), IndexError,
         ("amax()", "dim 0", "non-zero size", "(0, 3)")),
    Case("amin-of-nothing", lambda: t.ones(0, 3).amin(), RuntimeError,
         ("amin()", "numel() == 0", "(0, 3)")),
    Case("meshgrid-matrix", lambda: t.meshgrid(A(), t.ones(2), indexing="ij"), RuntimeError,
         ("0D or 1D", "(2, 3)")),
    Case("meshgrid-indexing", lambda: t.meshgrid(t.ones(2), indexing="ji"), RuntimeError,
         ('"xy" or "ij"', "ji")),
    Case("unique-dim-out-of-range", lambda: t.unique(A(), dim=2), IndexError,
         ("unique()", "[-2, 1]", "2")),
    Case("clamp_-float-bound-on-int", lambda: t.tensor([1, 2]).clamp_(0.5), RuntimeError,
         ("clamp_", "float32", "int64")),
    Case("sqrt_-of-int", lambda: t.tensor([1, 4]).sqrt_(), RuntimeError, ("sqrt_", "int64")),
    Case("exp_-on-a-leaf", lambda: leaf(2).exp_(), RuntimeError, ("leaf Variable", "exp_")),
    Case("linalg-norm-ord-of-3d", lambda: t.linalg.norm(t.ones(2, 2, 2), ord=1), RuntimeError,
         ("1D or 2D", "3D")),
    Case("linalg-matrix-norm-2", lambda: t.linalg.matrix_norm(A(), ord=2), NotImplementedError,
         ("ord=2", "SVD", "'fro'")),
    Case("linalg-vector-norm-int", lambda: t.linalg.vector_norm(t.tensor([3, 4])), RuntimeError,
         ("floating point", "int64")),
    Case("set_printoptions-profile", lambda: t.set_printoptions(profile="wide"), ValueError,
         ("'wide'", "'default'")),
    # --- stacks, rot90, repeat_interleave, the statistics, the draws, atan2/hypot/mv ----------
    Case("hstack-empty", lambda: t.hstack([]), RuntimeError, ("hstack", "non-empty")),
    Case("column_stack-sizes", lambda: t.column_stack([t.ones(3), t.ones(2)]), RuntimeError,
         ("dimension 1", "Expected size 3 but got size 2")),
    Case("rot90-equal-dims", lambda: t.rot90(A(), 1, (0, -2)), RuntimeError,
         ("rotation dims to be different", "dim0 = 0", "dim1 = -2")),
    Case("rot90-three-dims", lambda: t.rot90(A(), 1, (0, 1, 2)), RuntimeError,
         ("rotation dims == 2", "dims = 3")),
    Case("rot90-of-a-vector", lambda: t.ones(3).rot90(), RuntimeError,
         ("total dims >= 2", "(3,)")),
    Case("repeat_interleave-length", lambda: A().repeat_interleave(t.tensor([1, 2, 3]), dim=0),
         RuntimeError, ("repeats.size(0) = 3", "input.size(0) = 2")),
    Case("repeat_interleave-negative", lambda: A().repeat_interleave(-1), RuntimeError,
         ("non-negative", "-1")),
    Case("repeat_interleave-matrix", lambda: A().repeat_interleave(t.ones(1, 2, dtype=t.int64)),
         RuntimeError, ("0-dim or 1-dim", "(1, 2)")),
    Case("quantile-q-outside", lambda: A().quantile(1.5), RuntimeError,
         ("q must be in the range [0, 1]", "1.5")),
    Case("quantile-q-tensor-outside", lambda: A().quantile(t.tensor([0.5, 2.0])), RuntimeError,
         ("q values must be in the range [0, 1]", "2.0")),
    Case("quantile-q-dtype", lambda: A().quantile(t.tensor(0.5, dtype=t.float64)), RuntimeError,
         ("same dtype", "float64", "float32")),
    Case("quantile-int", lambda: t.tensor([1, 2]).quantile(0.5), RuntimeError,
         ("float or double", "int64")),
    Case("quantile-empty", lambda: t.ones(2, 0).quantile(0.5, dim=0), RuntimeError,
         ("non-empty", "(2, 0)")),
    Case("median-over-an-empty-dim", lambda: t.ones(0, 3).median(0), IndexError,
         ("median()", "dim 0", "non-zero size", "(0, 3)")),
    Case("multinomial-not-enough-nonzero", lambda: t.tensor([0.0, 1.0, 3.0]).multinomial(3),
         RuntimeError, ("replacement=False", "3 samples", "only 2 categories of nonzero")),
    Case("multinomial-more-than-categories", lambda: t.multinomial(t.ones(2), 3), RuntimeError,
         ("without replacement", "3 samples, 2 categories")),
    Case("multinomial-negative", lambda: t.multinomial(t.tensor([-1.0, 2.0]), 1), RuntimeError,
         ("element < 0",)),
    Case("multinomial-int", lambda: t.multinomial(t.tensor([1, 2]), 1), RuntimeError,
         ("floating-point", "int64")),
    Case("bernoulli-p-outside", lambda: t.bernoulli(t.tensor([0.5, 1.5])), RuntimeError,
         ("p_in >= 0 && p_in <= 1", "1.5")),
    Case("bernoulli_-p-outside", lambda: t.zeros(2).bernoulli_(-0.5), RuntimeError,
         ("bernoulli_", "[0, 1]", "p=-0.5")),
    Case("hypot-int", lambda: t.hypot(t.tensor([3]), t.tensor([4])), NotImplementedError,
         ("hypot_cpu", "int64")),
    Case("atan2-number", lambda: t.ones(2).atan2(2.0), TypeError, ("atan2()", "'other'", "float")),
    Case("mv-sizes", lambda: A().mv(t.ones(2)), RuntimeError,
         ("size mismatch", "mat (2x3)", "vec (2)")),
    Case("logical_and-number", lambda: t.logical_and(A(), 1), TypeError,
         ("logical_and()", "'other'", "int")),
    Case("stride-dim-range", lambda: A().stride(2), IndexError, ("stride()", "[-2, 1]", "got 2")),
    Case("zeros-size-twice", lambda: t.zeros(2, size=(2,)), TypeError, ("zeros()", "'size'")),
    Case("sum-axis-and-dim", lambda: A().sum(dim=0, axis=1), TypeError,
         ("sum()", "'axis'", "'dim'")),
    Case("pow_-int-to-float", lambda: t.tensor([1, 2]).pow_(0.5), RuntimeError,
         ("pow_", "float32", "int64")),
    Case("log_-of-int", lambda: t.tensor([1, 2]).log_(), RuntimeError, ("log_", "int64")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_raises_a_clear_error(case):
    check_raises(case.make, case.error, case.needles)


# ---------------------------------------------------------------------------------------------
# .npz files: truncated, extra or missing keys, wrong shapes, pickled objects
# ---------------------------------------------------------------------------------------------


def _good_file(folder) -> str:
    path = os.path.join(folder, "model.npz")
    save_arrays(path, {"w": t.ones(2, 3), "b": np.zeros(3, np.float32)})
    return path


def _truncated(keep):
    def build(folder):
        path = _good_file(folder)
        data = open(path, "rb").read()
        n = keep(len(data))
        open(path, "wb").write(data[:n])
        return path

    return build


def _corrupted(folder):
    path = _good_file(folder)
    data = bytearray(open(path, "rb").read())
    data[len(data) // 4] ^= 0xFF  # inside the first member's array bytes: its CRC fails
    open(path, "wb").write(bytes(data))
    return path


def _written(write):
    def build(folder):
        path = os.path.join(folder, "file.npz")
        write(path)
        return path

    return build


def _npz_with_object_array(path):
    with open(path, "wb") as f:  # np.savez's own allow_pickle=True lets the object array in
        np.savez(f, w=np.ones(3), names=np.array(["w", None], dtype=object), allow_pickle=True)


def _pickle_file(path):
    with open(path, "wb") as f:
        pickle.dump({"w": np.ones(3)}, f)


def _npy_file(path):
    with open(path, "wb") as f:
        np.save(f, np.ones(3))


def _string_array(path):
    with open(path, "wb") as f:
        np.savez(f, w=np.array(["a", "b"]))


SHAPES = {"w": (2, 3), "b": (3,)}

NPZ_CASES = [
    # (id, build the file in a folder, expected, error, needles)
    ("truncated-to-nothing", _truncated(lambda n: 0), None, SerializationError,
     ("empty", "0 bytes")),
    ("truncated-to-3-bytes", _truncated(lambda n: 3), None, SerializationError,
     ("truncated", "3 bytes")),
    ("truncated-to-half", _truncated(lambda n: n // 2), None, SerializationError,
     ("truncated", "directory")),
    ("truncated-by-one-byte", _truncated(lambda n: n - 1), None, SerializationError,
     ("truncated",)),
    ("corrupted-byte", _corrupted, None, SerializationError, ("corrupt", "'w'", "CRC")),
    ("extra-key", _written(lambda p: save_arrays(p, {"w": t.ones(2, 3), "b": t.zeros(3),
                                                    "extra": t.ones(1)})),
     SHAPES, SerializationError, ("unexpected key(s): 'extra'",)),
    ("missing-key", _written(lambda p: save_arrays(p, {"w": t.ones(2, 3)})), SHAPES,
     SerializationError, ("missing key(s): 'b'",)),
    ("wrong-shape", _written(lambda p: save_arrays(p, {"w": t.ones(3, 2), "b": t.zeros(3)})),
     SHAPES, SerializationError, ("size mismatch for 'w'", "(3, 2)", "expected (2, 3)")),
    ("all-problems-at-once", _written(lambda p: save_arrays(p, {"w": t.ones(1), "x": t.ones(1)})),
     SHAPES, SerializationError, ("missing key(s): 'b'", "unexpected key(s): 'x'",
                                  "size mismatch for 'w'")),
    ("pickled-object-array", _written(_npz_with_object_array), None, SerializationError,
     ("'names'", "pickled", "dtype object")),
    ("pickle-file", _written(_pickle_file), None, SerializationError,
     ("pickled Python objects", "arbitrary code")),
    ("npy-not-npz", _written(_npy_file), None, SerializationError, (".npy", "not an .npz")),
    ("text-file", _written(lambda p: open(p, "w").write("hello")), None, SerializationError,
     ("not an .npz archive", "b'hello'")),
    ("string-array", _written(_string_array), None, SerializationError, ("'w'", "<U1")),
    ("missing-file", lambda folder: os.path.join(folder, "nope.npz"), None, FileNotFoundError,
     ("nope.npz",)),
]


@pytest.mark.parametrize(("build", "expected", "error", "needles"),
                         [c[1:] for c in NPZ_CASES], ids=[c[0] for c in NPZ_CASES])
def test_bad_npz_file_raises_a_clear_error(tmp_path, build, expected, error, needles):
    path = build(str(tmp_path))
    check_raises(lambda: load_arrays(path, expected), error, needles)


SAVE_CASES = [
    ("object-array", {"a": np.array([None])}, TypeError, ("'a'", "object", "pickling")),
    ("list-value", {"a": [1, 2]}, TypeError, ("'a'", "list")),
    ("non-string-name", {3: np.ones(1)}, TypeError, ("names", "3")),
    ("not-a-mapping", [np.ones(1)], TypeError, ("mapping", "list")),
]


@pytest.mark.parametrize(("arrays", "error", "needles"), [c[1:] for c in SAVE_CASES],
                         ids=[c[0] for c in SAVE_CASES])
def test_bad_arrays_to_save_raise_a_clear_error(tmp_path, arrays, error, needles):
    path = str(tmp_path / "out.npz")
    check_raises(lambda: save_arrays(path, arrays), error, needles)
    assert not os.path.exists(path) and os.listdir(tmp_path) == []  # nothing half-written


def test_the_catalogue_has_at_least_40_distinct_cases():
    ids = [c.id for c in CASES] + [c[0] for c in NPZ_CASES] + [c[0] for c in SAVE_CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 40


# ---------------------------------------------------------------------------------------------
# What works: 0-d and empty tensors, nan/inf data, a good .npz file
# ---------------------------------------------------------------------------------------------


def test_sum_of_empty_is_zero_and_mean_of_empty_is_nan(recwarn):
    assert t.zeros(0).sum().item() == 0.0
    assert t.zeros(0, 3).sum(0).tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(t.zeros(0).mean().item())
    assert np.isnan(t.zeros(0, 3).mean(0).detach().numpy()).all()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_gradients_through_empty_tensors_are_empty():
    x = leaf(0, 3)
    x.sum().backward()
    assert x.grad.shape == (0, 3)
    w = leaf(0, 4)
    y = t.ones(2, 0).mm(w)  # (2, 0) @ (0, 4): a (2, 4) matrix of zeros
    assert y.shape == (2, 4) and y.sum().item() == 0.0
    y.sum().backward()
    assert w.grad.shape == (0, 4)


def test_0d_tensors_compute_and_backpropagate():
    x = t.tensor(3.0, requires_grad=True)
    y = x * x + 2 * x
    assert y.shape == () and y.item() == 15.0
    y.backward()
    assert x.grad.item() == 8.0
    assert (t.tensor(2.0) * t.ones(2, 2)).shape == (2, 2)
    assert t.tensor(5).item() == 5


def test_nan_and_inf_data_are_accepted_and_propagate():
    x = t.tensor([float("nan"), float("inf"), 1.0], requires_grad=True)
    y = x * 2 + 1
    values = y.detach().numpy()
    assert np.isnan(values[0]) and values[1] == np.inf and values[2] == 3.0
    y.sum().backward()  # the gradient of 2x + 1 is 2, whatever x is
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_a_good_npz_round_trips_for_the_nn_loader(tmp_path):
    path = tmp_path / "model.npz"
    w = t.rand(2, 3, requires_grad=True)
    save_arrays(path, {"layer.weight": w, "layer.bias": t.zeros(3), "steps": np.int64(7)})
    # `expected` may give shapes, or the tensors the arrays will be copied into.
    loaded = load_arrays(path, {"layer.weight": w, "layer.bias": (3,), "steps": ()})
    assert list(loaded) == ["layer.weight", "layer.bias", "steps"]
    np.testing.assert_array_equal(loaded["layer.weight"], w.detach().numpy())
    assert loaded["layer.weight"].dtype == np.float32 and loaded["steps"].dtype == np.int64
    # Plain numpy reads it too (no pickles), and a non-strict load ignores extra names.
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["layer.bias", "layer.weight", "steps"]
    assert list(load_arrays(path, {"layer.bias": (3,)}, strict=False)) == list(loaded)


def test_saving_replaces_a_file_whole(tmp_path):
    path = tmp_path / "model.npz"
    save_arrays(path, {"w": t.ones(2)})
    save_arrays(path, {"w": t.zeros(5)})
    assert load_arrays(path)["w"].shape == (5,)
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file left behind


def test_an_empty_dim_list_reduces_over_all_dims_as_in_pytorch():
    x = t.ones(2, 3)
    assert x.sum(dim=()).item() == 6.0 and x.mean(dim=[]).item() == 1.0
    assert x.sum(dim=(), keepdim=True).shape == (1, 1)


def test_an_element_picked_by_index_is_a_view_of_its_tensor():
    # w[0].sub_(...) under no_grad must change w (a copy would silently change nothing).
    w = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with t.no_grad():
        w[1].sub_(5.0)
        w[2].mul_(2.0)
    assert w.tolist() == [1.0, -3.0, 6.0]
    m = t.ones(2, 2)
    m[1, 1].add_(1.0)
    assert m.tolist() == [[1.0, 1.0], [1.0, 2.0]]


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
    "scatter_add": [("x.scatter_add(0, bad, x)", lambda b: X.scatter_add(0, b, X), "scatter_add",
                     set()),
                    ("t.scatter_add(x, 0, index, bad)",
                     lambda b: t.scatter_add(X, 0, t.zeros(1, 1, dtype=t.int64), b), "scatter_add",
                     set()),
                    ("x.index_add(0, index, bad)",
                     lambda b: X.index_add(0, t.tensor([0]), b), "index_add", set())],
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
    **{name: [(f"x.{name}(bad)", lambda b, n=name: getattr(X, n)(b), name, {"None"}),
              (f"x.{name}(0, keepdim=bad)", lambda b, n=name: getattr(X, n)(0, keepdim=b), name,
               set()),
              (f"t.{name}(bad)", getattr(t, name), name, set())]
       for name in ("amax", "amin")},
    "einsum": [("t.einsum('ij->i', bad)", lambda b: t.einsum("ij->i", b), "einsum", set()),
               ("t.einsum(bad, x)", lambda b: t.einsum(b, X), "einsum", {"a string"})],
    "inv": [("t.linalg.inv(bad)", t.linalg.inv, "inv", set()),
            ("t.inverse(bad)", t.inverse, "inv", set())],
    "det": [("t.linalg.det(bad)", t.linalg.det, "det", set()),
            ("t.det(bad)", t.det, "det", set())],
    "slogdet": [("t.linalg.slogdet(bad)", t.linalg.slogdet, "slogdet", set()),
                ("t.logdet(bad)", t.logdet, "logdet", set())],
    "solve": [("t.linalg.solve(bad, x)", lambda b: t.linalg.solve(b, X), "solve", set()),
              ("t.linalg.solve(x, bad)", lambda b: t.linalg.solve(X, b), "solve", set())],
    **{name: [(f"x.{name}(bad)", lambda b, n=name: getattr(X, n)(b), name, set()),
              (f"t.{name}(bad, x)", lambda b, n=name: getattr(t, n)(b, X), name, set())]
       for name in ("atan2", "hypot")},
    "logit": [("t.logit(bad)", t.logit, "logit", set()),
              ("x.logit(bad)", lambda b: X.logit(b), "logit", {"None"})],
    "cumprod": [("x.cumprod(bad)", lambda b: X.cumprod(b), "cumprod", set()),
                ("t.cumprod(bad, 0)", lambda b: t.cumprod(b, 0), "cumprod", set())],
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
