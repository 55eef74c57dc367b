"""abs, clamp, max/min, argmax/argmin, all/any where gradcheck cannot look: at kinks and ties.

Finite differences are meaningless where a derivative jumps, so there the rule is a convention,
and ours is PyTorch's. Every expected number below was read off PyTorch 2.13 for the same input.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t

NAN = float("nan")


def grad_of(fn, values):
    x = t.tensor(values, requires_grad=True)
    fn(x).sum().backward()
    return x.grad.tolist()


def test_abs_gradient_is_sign_and_zero_at_zero_and_nan():
    assert grad_of(lambda x: x.abs(), [-1.0, 0.0, 2.0, NAN]) == [-1.0, 0.0, 1.0, 0.0]
    assert abs(t.tensor([-3, 2])).tolist() == [3, 2]
    assert abs(t.tensor([-3, 2])).dtype == t.int64


@pytest.mark.parametrize("low, high, expected", [
    (0, 1, [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]),       # both bounds inclusive
    (0, None, [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]),
    (None, 1, [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]),
    (2, 1, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),       # min > max: every element is max, no gradient
])  # fmt: skip
def test_clamp_passes_the_gradient_on_the_bounds_too(low, high, expected):
    assert grad_of(lambda x: x.clamp(low, high), [-1.0, 0.0, 0.5, 1.0, 2.0, NAN]) == expected


def test_clamp_values_and_dtypes():
    y = t.tensor([-1.0, 0.0, 0.5, 1.0, 2.0, NAN]).clamp(2, 1)
    assert y.tolist()[:5] == [1.0] * 5 and np.isnan(y.tolist()[5])
    assert t.tensor([1, 5]).clamp(0.5, 2.5).tolist() == [1.0, 2.5]
    assert t.tensor([1, 5]).clamp(0.5, 2.5).dtype == t.float32  # int tensor, float bound
    assert t.tensor([1, 5]).clamp(0, 2).dtype == t.int64
    assert t.clip(t.tensor([-2.0, 3.0]), -1, 1).tolist() == [-1.0, 1.0]


def test_max_of_all_splits_the_gradient_evenly_among_ties():
    assert grad_of(lambda x: x.max(), [1.0, 3.0, 3.0, -2.0]) == [0.0, 0.5, 0.5, 0.0]
    assert grad_of(lambda x: x.min(), [1.0, 3.0, 3.0, -2.0]) == [0.0, 0.0, 0.0, 1.0]
    np.testing.assert_allclose(grad_of(lambda x: x.max(), [[2.0, 2.0], [1.0, 2.0]]),
                               [[1 / 3, 1 / 3], [0.0, 1 / 3]], rtol=1e-6)
    # A nan is the maximum; the gradient is shared by the nans.
    x = t.tensor([1.0, NAN, NAN, 2.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]
    assert x.detach().argmax().item() == 1


def test_max_along_a_dim_gives_values_and_the_first_index():
    x = t.tensor([[1.0, 3.0, 3.0], [0.0, 0.0, -1.0]], requires_grad=True)
    result = x.max(dim=1)
    values, indices = result
    assert result.values is values and result.indices is indices and len(result) == 2
    assert values.tolist() == [3.0, 0.0] and indices.tolist() == [1, 0]
    assert indices.dtype == t.int64 and not indices.requires_grad
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]  # only the chosen element


def test_min_along_a_dim_with_keepdim():
    x = t.tensor([[1.0, 3.0, 3.0], [0.0, 0.0, -1.0]], requires_grad=True)
    values, indices = t.min(x, dim=1, keepdim=True)
    assert values.shape == (2, 1) and indices.tolist() == [[0], [2]]
    values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]


def test_max_of_a_0d_tensor_along_dim_0_and_of_bools():
    s = t.tensor(3.0, requires_grad=True)
    values, indices = s.max(0)
    values.backward()
    assert values.item() == 3.0 and indices.item() == 0 and s.grad.item() == 1.0
    assert t.tensor([True, False]).max().item() is True
    assert t.tensor([True, False]).min(0).indices.item() == 1
    assert t.zeros(0, 3).max(1).values.shape == (0,)


def test_argmax_and_argmin():
    a = t.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert a.argmax().item() == 2 and a.argmax().shape == ()
    assert a.argmax(keepdim=True).tolist() == [[2]]
    assert a.argmax(1, keepdim=True).tolist() == [[1], [0]]
    assert t.argmin(a, 0).tolist() == [0, 1]
    assert a.argmin().dtype == t.int64
    assert t.tensor([4, 1, 4]).argmax().item() == 0  # the first of equal maxima
    assert t.tensor(3.0).argmax().item() == 0


def test_all_and_any():
    a = t.tensor([[1.0, 5.0], [7.0, 0.0]])
    assert a.all().item() is False and a.any().item() is True
    assert a.all().dtype == t.bool_
    assert a.all(1).tolist() == [True, False]
    assert t.any(a > 6, dim=0, keepdim=True).tolist() == [[True, False]]
    assert a.all(keepdim=True).tolist() == [[False]]
    assert a.bool().any(dim=(0, 1)).item() is True
    assert t.zeros(0).all().item() is True and t.zeros(0).any().item() is False
    assert t.tensor([0, 2], dtype=t.uint8).all().dtype == t.uint8  # PyTorch keeps uint8


@pytest.mark.parametrize("call, error, message", [
    (lambda: t.zeros(0).max(), RuntimeError, r"max\(\): Expected reduction dim to be specified"),
    (lambda: t.zeros(0, 3).min(0), IndexError, r"min\(\): Expected reduction dim 0 to have non"),
    (lambda: t.zeros(0).argmax(), IndexError, r"argmax\(\): Expected reduction dim to be spec"),
    (lambda: t.ones(2).max(keepdim=True), TypeError, r"max\(\): keepdim=True needs a dim"),
    (lambda: t.ones(2).max(2), IndexError, r"max\(\): Dimension out of range .*\[-1, 0\].* 2"),
    (lambda: t.ones(2).argmax(keepdim=1), TypeError, r"argmax\(\): argument 'keepdim' must be"),
    (lambda: t.tensor([True]).argmin(), RuntimeError, r"argmin\(\): does not support bool"),
    (lambda: t.tensor([True]).abs(), NotImplementedError, r"abs\(\): not implemented for bool"),
    (lambda: t.ones(2).clamp(), RuntimeError, r"clamp\(\): At least one of 'min' or 'max'"),
    (lambda: t.ones(2).clamp(min="a"), TypeError, r"clamp\(\): argument 'min' must be a num"),
    (lambda: t.ones(2).clamp(min=t.ones(3)), RuntimeError, r"clamp: the size of tensor a \(2\)"),
    (lambda: t.ones(2).any(dim="a"), TypeError, r"any\(\): dim must be an int"),
])  # fmt: skip
def test_errors_name_the_op(call, error, message):
    with pytest.raises(error, match=message):
        call()
