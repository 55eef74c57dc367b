"""Where numpy and PyTorch differ, PyTorch's answer: one test per rule, each with the numbers.

The expected values are PyTorch 2.13's (CPU), as printed by the same expressions with
`import torch as t`; `test_the_same_answers_as_pytorch` re-checks them when torch is installed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.autograd import Variable

# --- indexing -----------------------------------------------------------------------------------


def test_integers_select_before_lists_index() -> None:
    x = t.arange(24.0).reshape(2, 3, 4)
    assert x[0, :, [1, 2]].tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]  # numpy: transposed
    assert x[1, [0, 2], 3].tolist() == [15.0, 23.0]
    w = t.arange(24.0).reshape(2, 3, 4).requires_grad_()
    w[0, :, [1, 2]].sum().backward()
    assert w.grad[0].tolist() == [[0, 1, 1, 0]] * 3 and w.grad[1].sum().item() == 0


def test_assigning_a_one_element_tensor_into_a_row() -> None:
    y = t.zeros(3)
    y[0] = t.tensor([5.0])
    assert y.tolist() == [5.0, 0.0, 0.0]
    z = t.zeros(2, 3, 4)
    z[0, :, [1, 2]] = t.ones(3, 2)
    assert z.sum().item() == 6 and z[0, :, 1].tolist() == [1.0, 1.0, 1.0]


def test_a_negative_step_raises_and_extra_ellipses_follow_pytorch() -> None:
    with pytest.raises(ValueError, match="step must be greater than zero"):
        t.arange(5.0)[::-1]
    x = t.arange(24.0).reshape(2, 3, 4)
    assert x[..., 0, ...].tolist() == x[:, :, 0].tolist()  # a trailing second ... adds nothing
    assert x[..., None, ...].shape == (2, 3, 4, 1)
    with pytest.raises(IndexError, match="single ellipsis"):
        x[..., ..., 0]


def test_a_uint8_index_is_a_mask_and_a_nested_list_is_a_tuple() -> None:
    mask = t.tensor([1, 0, 1], dtype=t.uint8)
    assert t.arange(3.0)[mask].tolist() == [0.0, 2.0]
    assert t.arange(9.0).reshape(3, 3)[[[0, 1], [1, 2]]].tolist() == [1.0, 5.0]


# --- dtypes -------------------------------------------------------------------------------------


def test_sums_of_small_integers_and_bools_are_int64() -> None:
    assert t.tensor([200, 100], dtype=t.uint8).sum().item() == 300
    assert t.tensor([100, 100], dtype=t.int8).sum().dtype == t.int64
    assert t.tensor([True, True, False]).sum().item() == 2
    assert t.ones(3).sum(dtype=t.float64).dtype == t.float64


def test_matrix_products_refuse_mixed_dtypes() -> None:
    with pytest.raises(RuntimeError, match="same dtype, but got: float != double"):
        t.ones(2, 2).mm(t.ones(2, 2, dtype=t.float64))
    with pytest.raises(RuntimeError, match="same dtype, but got: double != float"):
        t.ones(2, 2, dtype=t.float64) @ t.ones(2)


def test_numpy_scalars_keep_their_dtype_in_tensor_but_not_in_operators() -> None:
    assert t.tensor([np.float64(1.5)]).dtype == t.float64
    assert t.tensor(np.float64(1.5)).dtype == t.float64
    assert t.tensor([np.float16(1.0), 2.5]).dtype == t.float32  # promoted with the default
    assert t.tensor([1.5, 2.0]).dtype == t.float32
    assert (t.ones(2) ** np.float64(0.5)).dtype == t.float32
    assert (t.ones(2) * np.float64(2)).dtype == t.float32


def test_integers_too_big_for_the_dtype_wrap_in_arithmetic_and_raise_when_stored() -> None:
    assert (t.tensor([1], dtype=t.int8) + 300).tolist() == [45]
    assert (t.tensor([1, 44], dtype=t.int8) == 300).tolist() == [False, True]
    assert (t.tensor([1], dtype=t.int32) + 2**40).tolist() == [1]
    with pytest.raises(OverflowError, match="too big"):
        t.tensor([1]) + 2**70
    for make in (lambda: t.tensor([300], dtype=t.int8), lambda: t.full((2,), 300, dtype=t.int8),
                 lambda: t.zeros(2, dtype=t.int8).fill_(300)):  # fmt: skip
        with pytest.raises(RuntimeError, match="cannot be converted to type int8 without overflow"):
            make()


def test_minus_and_relu_refuse_bools() -> None:
    with pytest.raises(RuntimeError, match="Negation"):
        -t.tensor([True])
    with pytest.raises(RuntimeError, match="relu"):
        t.relu(t.tensor([True]))


def test_float16_means_are_taken_in_float32() -> None:
    values = np.random.default_rng(0).random(100_000).astype(np.float16)
    x = t.from_numpy(values).requires_grad_()
    mean = x.mean()
    assert mean.dtype == t.float16 and abs(mean.item() - values.astype(np.float64).mean()) < 1e-3
    mean.backward()
    assert x.grad[0].item() == pytest.approx(1e-5, rel=2e-3)  # 1/n, not 0


@pytest.mark.parametrize("spread", ["var", "std"])
def test_float16_variances_are_taken_in_float32(spread: str) -> None:
    # Σ(x - mean)² of 100,000 values of spread 3 is 900,000, and the count 99,999: both pass
    # float16's largest number (65504), so in float16 the answer was nan
    values = np.random.default_rng(0).normal(100, 3, 100_000).astype(np.float16)
    x = t.from_numpy(values).requires_grad_()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no overflow warning on the way
        result = getattr(x, spread)()
        result.backward()
    exact = getattr(values.astype(np.float64), spread)(ddof=1)
    assert result.dtype == t.float16 and result.item() == pytest.approx(exact, rel=1e-3)
    assert x.grad.dtype == t.float16 and np.isfinite(x.grad.numpy()).all()


def test_comparing_with_none_is_a_question_about_the_object() -> None:
    x = t.ones(2)
    assert (x == None) is False and (x != None) is True  # noqa: E711


# --- autograd -----------------------------------------------------------------------------------


def test_a_gradient_of_another_dtype_or_shape_cannot_be_assigned() -> None:
    x = t.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="gradient with dtype 'float64' to a tensor with dtype"):
        x.grad = t.zeros(3, dtype=t.float64)
    with pytest.raises(RuntimeError, match=r"gradient of size '\[2\]' to a tensor of size '\[3\]'"):
        x.grad = t.zeros(2)


def test_expand_to_the_same_shape_is_a_new_view() -> None:
    x = t.ones(2, 3)
    y = x.expand(2, 3)
    assert y is not x and y._base is x
    x.fill_(2.0)
    assert y.tolist() == [[2.0] * 3] * 2


def test_overlapping_in_place_operands_raise_but_the_same_tensor_does_not() -> None:
    x = t.ones(2, 2)
    with pytest.raises(RuntimeError, match="refer to a single memory location"):
        x.add_(x.t())
    with pytest.raises(RuntimeError, match="refer to a single memory location"):
        x.add_(x[0])
    assert x.add_(x).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    x[0].add_(x[1])  # different rows: no overlap
    assert x.tolist() == [[4.0, 4.0], [2.0, 2.0]]


def test_an_integer_add_takes_an_integer_alpha_only() -> None:
    a, b = t.tensor([1, 2]), t.tensor([1, 1])
    with pytest.raises(RuntimeError, match="alpha must not be a floating point number"):
        a.add(b, alpha=0.5)
    with pytest.raises(RuntimeError, match="alpha must not be a floating point number"):
        a.clone().sub_(b, alpha=2.0)
    assert a.add(b, alpha=3).tolist() == [4, 5]
    assert a.add(t.tensor([1.0, 1.0]), alpha=0.5).tolist() == [1.5, 2.5]  # a float result: fine


def test_variable_is_a_new_leaf_sharing_memory() -> None:
    a = t.ones(2)
    v = Variable(a, requires_grad=True)
    assert v is not a and v.is_leaf and v.requires_grad and not a.requires_grad
    assert isinstance(a, Variable)
    with t.no_grad():
        v.mul_(3)
    assert a.tolist() == [3.0, 3.0]
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        Variable([1.0])


# --- numerics -----------------------------------------------------------------------------------


def test_relu_passes_the_gradient_at_nan() -> None:
    x = t.tensor([float("nan"), 1.0, -1.0, 0.0], requires_grad=True)
    t.relu(x).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0, 0.0]


def test_tanh_keeps_the_digits_of_its_gradient_near_saturation() -> None:
    x = t.tensor([8.0, 5.0, -7.0], requires_grad=True)
    t.tanh(x).sum().backward()
    z = np.tanh(np.array([8.0, 5.0, -7.0], np.float32))  # the float32 output backward uses
    exact = (1 - z.astype(np.float64)) * (1 + z.astype(np.float64))
    np.testing.assert_allclose(x.grad.numpy(), exact, rtol=2 ** -22)


def test_division_gradients_do_not_underflow() -> None:
    x = t.tensor([1e-30])
    y = t.tensor([1e-25], requires_grad=True)
    (x / y).sum().backward()
    assert y.grad.item() == pytest.approx(-1e20, rel=1e-6)  # -x/y², with y² far below float32


def test_tensor_of_none_is_a_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="NoneType"):
        t.tensor(None)


# --- the same, checked against PyTorch itself -----------------------------------------------------

SAME_AS_PYTORCH = [
    "x[0, :, [1, 2]].tolist()", "x[[[0, 1], [1, 2]]].tolist()",
    "x[t.tensor([1, 0], dtype=t.uint8)].tolist()", "x[..., 0, ...].tolist()",
    "str(t.tensor([200, 100], dtype=t.uint8).sum().dtype)",
    "str(t.tensor([np.float64(1.5)]).dtype)",
    "str((t.ones(2) ** np.float64(0.5)).dtype)", "(t.tensor([1], dtype=t.int8) + 300).tolist()",
    "(t.tensor([1, 44], dtype=t.int8) < 300).tolist()", "x.expand(2, 3, 4) is x",
    "t.ones(2) == None", "round(t.full((70000,), 1.1, dtype=t.float16).mean().item(), 3)",
    "round((t.arange(70000.0) % 100).half().var().item(), 1)",
]  # fmt: skip


def test_the_same_answers_as_pytorch() -> None:
    torch = pytest.importorskip("torch")

    def answers(lib):
        x = lib.arange(24.0).reshape(2, 3, 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [str(eval(e, {"t": lib, "np": np, "x": x})).replace("torch.", "")
                    for e in SAME_AS_PYTORCH]  # fmt: skip

    assert answers(t) == answers(torch)
