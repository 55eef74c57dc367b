"""PyTorch names added together (second round): the comparisons `eq` ... `ge` and their long
names, `logical_xor` (and the logical functions at module level), `is_floating_point`,
`is_cuda`, `stride`, `storage_offset`, `data_ptr`; numpy's `axis=`/`keepdims=` everywhere PyTorch
takes them, `size=` for the creation functions, `where` with two numbers; `hstack`, `vstack`,
`column_stack`, `dstack`, `atleast_1d/2d/3d`, `rot90`, `repeat_interleave`, `cumprod`, `logit`,
`atan2`, `hypot`, `mv`, `median`, `quantile`, `bernoulli`, `multinomial`, and the in-place forms
`log_`, `sin_`, ..., `pow_`, `fmod_`, `remainder_`, `lerp_`.

First their values, shapes, dtypes and gradients, written out; then each against PyTorch itself
(skipped without it): the same program on the same numbers, values and gradients compared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pytorch_programs import assert_same_as_pytorch

import tinygrad_lr as t

# ---------------------------------------------------------------------------------------------
# Comparisons, logic, and what a tensor says about itself
# ---------------------------------------------------------------------------------------------


def test_comparison_methods_functions_and_long_names() -> None:
    x = t.tensor([1.0, 2.0, 3.0])
    y = t.tensor([3.0, 2.0, 1.0])
    T, F = True, False
    assert x.eq(2).tolist() == [F, T, F] and t.eq(x, y).tolist() == [F, T, F]
    assert x.ne(y).tolist() == [T, F, T] and t.not_equal(x, 2).tolist() == [T, F, T]
    assert x.lt(y).tolist() == [T, F, F] and t.less(x, 3).tolist() == [T, T, F]
    assert x.le(2).tolist() == [T, T, F] and x.less_equal(y).tolist() == [T, T, F]
    assert t.gt(x, y).tolist() == [F, F, T] and x.greater(1).tolist() == [F, T, T]
    assert t.ge(x, 2).tolist() == [F, T, T] and t.greater_equal(x, y).tolist() == [F, T, T]
    assert x.eq(y).dtype == t.bool and t.eq(t.tensor([1, 2]), 2.0).tolist() == [False, True]
    assert t.lt(t.ones(2, 1), t.tensor([0.0, 2.0])).shape == (2, 2)  # they broadcast
    w = t.tensor([1.0, 2.0], requires_grad=True)
    assert not w.gt(1).requires_grad  # a comparison has no gradient


def test_logical_functions_take_any_dtype_and_give_bool() -> None:
    a = t.tensor([0, 1, 2, 0])
    b = t.tensor([0.0, 0.0, 3.5, -1.0])
    assert t.logical_and(a, b).tolist() == [False, False, True, False]
    assert t.logical_or(a, b).tolist() == [False, True, True, True]
    assert t.logical_xor(a, b).tolist() == [False, True, False, True]
    assert a.logical_xor(b).dtype == t.bool
    assert t.logical_not(b).tolist() == [True, True, False, False]
    assert t.logical_xor(t.tensor([[True], [False]]), t.tensor([True, False])).shape == (2, 2)
    with pytest.raises(TypeError, match="logical_xor.*'other'.*Tensor"):
        a.logical_xor(1)  # a tensor only, as in PyTorch


def test_is_floating_point_and_is_cuda() -> None:
    assert t.ones(2).is_floating_point() and t.is_floating_point(t.ones(2, dtype=t.float16))
    assert not t.tensor([1]).is_floating_point() and not t.is_floating_point(t.tensor([True]))
    assert t.ones(2).is_cuda is False


def test_stride_counts_elements_and_storage_offset_counts_from_the_base() -> None:
    x = t.zeros(2, 3, 4)
    assert x.stride() == (12, 4, 1) and x.stride(1) == 4 and x.stride(-1) == 1
    assert x.transpose(0, 2).stride() == (1, 4, 12) and x[:, ::2].stride() == (12, 8, 1)
    assert t.zeros(3, 1).expand(3, 4).stride() == (1, 0)  # an expanded dimension: stride 0
    assert t.zeros(2, 3)[:, None].stride() == (3, 3, 1)  # as unsqueeze(1) gives it
    assert t.zeros(6)[None].stride() == (6, 1) and t.zeros(0, 3).stride() == (3, 1)
    assert t.zeros(()).stride() == ()
    with pytest.raises(IndexError, match="stride"):
        x.stride(3)
    assert x.storage_offset() == 0 and x[1].storage_offset() == 12
    assert x[1, 1:].storage_offset() == 16 and x[1, 1:].detach().storage_offset() == 16
    assert x[1].data_ptr() - x.data_ptr() == 12 * 4  # float32: 4 bytes an element
    assert (x + 1).storage_offset() == 0  # a result owns its memory


# ---------------------------------------------------------------------------------------------
# Arguments PyTorch accepts: axis=, keepdims=, size=, where with numbers
# ---------------------------------------------------------------------------------------------

X = [[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]]


@pytest.mark.parametrize("call", [
    lambda x, **kw: x.max(**kw).values, lambda x, **kw: x.min(**kw).values,
    lambda x, **kw: x.amax(**kw), lambda x, **kw: x.amin(**kw), lambda x, **kw: x.argmax(**kw),
    lambda x, **kw: x.argmin(**kw), lambda x, **kw: x.sum(**kw), lambda x, **kw: x.mean(**kw),
    lambda x, **kw: x.prod(**kw), lambda x, **kw: x.std(**kw), lambda x, **kw: x.var(**kw),
    lambda x, **kw: x.logsumexp(**kw), lambda x, **kw: (x > 1).all(**kw),
    lambda x, **kw: (x > 1).any(**kw), lambda x, **kw: x.median(**kw).values,
    lambda x, **kw: x.quantile(0.5, **kw),
    lambda x, **kw: t.max(x, **kw).values, lambda x, **kw: t.argmax(x, **kw),
    lambda x, **kw: t.sum(x, **kw), lambda x, **kw: t.mean(x, **kw), lambda x, **kw: t.std(x, **kw),
    lambda x, **kw: t.amin(x, **kw), lambda x, **kw: t.median(x, **kw).values,
])  # fmt: skip
def test_axis_and_keepdims_are_dim_and_keepdim(call: Callable[..., t.Tensor]) -> None:
    x = t.tensor(X)
    assert call(x, axis=1).tolist() == call(x, dim=1).tolist()
    assert call(x, axis=0, keepdims=True).tolist() == call(x, dim=0, keepdim=True).tolist()


def test_axis_along_one_dimension() -> None:
    x = t.tensor(X)
    assert x.cumsum(axis=1).tolist() == x.cumsum(1).tolist()
    assert t.cumprod(x, axis=0).tolist() == x.cumprod(0).tolist()
    assert x.softmax(axis=0).tolist() == x.softmax(0).tolist()
    assert t.log_softmax(x, axis=1).tolist() == x.log_softmax(1).tolist()
    assert x.sort(axis=0).values.tolist() == x.sort(0).values.tolist()
    assert t.argsort(x, axis=1).tolist() == x.argsort(1).tolist()
    assert x.topk(1, axis=0).values.tolist() == x.topk(1, dim=0).values.tolist()
    assert t.cat([x, x], axis=1).shape == (2, 6) and t.stack([x, x], axis=2).shape == (2, 3, 2)
    assert x.unsqueeze(axis=0).shape == (1, 2, 3) and t.squeeze(x[:1], axis=0).shape == (3,)
    assert len(x.unbind(axis=1)) == 3 and x.narrow(axis=1, start=1, length=2).shape == (2, 2)
    assert x.gather(axis=1, index=t.tensor([[0], [1]])).tolist() == [[3.0], [4.0]]
    assert x.index_select(axis=0, index=t.tensor([1])).tolist() == [X[1]]
    assert t.count_nonzero(x, axis=0).tolist() == [2, 2, 2]
    assert x.repeat_interleave(2, axis=0).shape == (4, 3)
    with pytest.raises(TypeError, match="'axis'.*'dim'"):
        x.sum(dim=0, axis=1)


def test_size_keyword_for_the_creation_functions() -> None:
    assert t.randn(size=(2, 3)).shape == (2, 3) and t.randn(size=()).shape == ()
    assert t.rand(size=[4]).shape == (4,) and t.zeros(size=(2,)).tolist() == [0.0, 0.0]
    assert t.ones(size=(1, 2), dtype=t.int64).tolist() == [[1, 1]]
    assert t.empty(size=(0, 2)).shape == (0, 2) and t.randint(5, size=(3,)).shape == (3,)
    assert t.randint(1, 5, size=(2, 2)).dtype == t.int64
    with pytest.raises(TypeError, match="multiple values for argument 'size'"):
        t.zeros(2, size=(2,))
    with pytest.raises(TypeError, match="'size' must be tuple of ints"):
        t.randn(size=2)


def test_where_with_two_numbers_and_with_the_condition_alone() -> None:
    c = t.tensor([[True, False], [False, True]])
    floats = t.where(c, 1.0, 0.0)
    assert floats.tolist() == [[1.0, 0.0], [0.0, 1.0]] and floats.dtype == t.float32
    assert t.where(c, 1, 0).dtype == t.int64 and t.where(c, 1, 0.5).dtype == t.float32
    assert t.where(c, True, False).dtype == t.bool
    t.set_default_dtype(t.float64)
    try:
        assert t.where(c, 1.0, 0.0).dtype == t.float64  # the default float dtype
    finally:
        t.set_default_dtype(t.float32)
    rows, cols = t.where(c)
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1]
    with pytest.raises(TypeError, match="where.*'input'.*number"):
        t.where(c, "a", 0.0)


# ---------------------------------------------------------------------------------------------
# Joining, turning and repeating
# ---------------------------------------------------------------------------------------------


def test_hstack_vstack_dstack_column_stack_and_atleast() -> None:
    a, b, s = t.tensor([1, 2]), t.tensor([3, 4]), t.tensor(5)
    m = t.ones(2, 2, dtype=t.int64)
    assert t.hstack([a, b]).tolist() == [1, 2, 3, 4] and t.hstack([s, a]).tolist() == [5, 1, 2]
    assert t.hstack((m, m)).shape == (2, 4)
    assert t.vstack([a, b]).tolist() == [[1, 2], [3, 4]] and t.vstack([m, a]).shape == (3, 2)
    assert t.row_stack([s, s]).shape == (2, 1)
    assert t.dstack([a, b]).shape == (1, 2, 2) and t.dstack([m, m]).shape == (2, 2, 2)
    assert t.column_stack([a, b]).tolist() == [[1, 3], [2, 4]]
    assert t.column_stack([m, a]).shape == (2, 3) and t.column_stack([s, s]).shape == (1, 2)
    assert t.hstack([a, b.float()]).dtype == t.float32  # promoted, as by cat
    assert t.atleast_1d(s).shape == (1,) and t.atleast_2d(a).shape == (1, 2)
    assert t.atleast_3d(a).shape == (1, 2, 1) and t.atleast_3d(m).shape == (2, 2, 1)
    assert [x.shape for x in t.atleast_2d(a, s)] == [(1, 2), (1, 1)]
    assert [x.shape for x in t.atleast_1d([a, s])] == [(2,), (1,)]
    w = t.tensor([1.0, 2.0], requires_grad=True)
    (t.vstack([w, w * 2]) * t.tensor([[1.0, 1.0], [10.0, 10.0]])).sum().backward()
    assert w.grad.tolist() == [21.0, 21.0]


def test_rot90_turns_counterclockwise_and_back() -> None:
    x = t.arange(6).reshape(2, 3)
    assert x.rot90().tolist() == [[2, 5], [1, 4], [0, 3]]
    assert t.rot90(x, 2).tolist() == [[5, 4, 3], [2, 1, 0]]
    assert t.rot90(x, -1).tolist() == t.rot90(x, 3).tolist() == [[3, 0], [4, 1], [5, 2]]
    assert t.rot90(x, 1, (1, 0)).tolist() == t.rot90(x, 3).tolist()
    assert t.rot90(x, 4).tolist() == x.tolist() and t.rot90(x, 0).data_ptr() != x.data_ptr()
    assert t.rot90(t.zeros(2, 3, 4), 1, (0, 2)).shape == (4, 3, 2)
    w = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (w.rot90() * t.tensor([[1.0, 0.0], [0.0, 0.0]])).sum().backward()
    assert w.grad.tolist() == [[0.0, 1.0], [0.0, 0.0]]  # the top-left of the turn was w[0, 1]


def test_repeat_interleave_with_counts_and_gradients() -> None:
    x = t.tensor([[1, 2], [3, 4]])
    assert x.repeat_interleave(2).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    assert t.repeat_interleave(x, 2, dim=0).tolist() == [[1, 2], [1, 2], [3, 4], [3, 4]]
    assert x.repeat_interleave(t.tensor([1, 2]), dim=0).tolist() == [[1, 2], [3, 4], [3, 4]]
    assert x.repeat_interleave(t.tensor([2]), dim=1).tolist() == [[1, 1, 2, 2], [3, 3, 4, 4]]
    assert t.repeat_interleave(t.tensor([1, 0, 2])).tolist() == [0, 2, 2]
    assert t.tensor(5).repeat_interleave(3).tolist() == [5, 5, 5]
    assert x.repeat_interleave(0, dim=1).shape == (2, 0)
    assert x.repeat_interleave(2, dim=0, output_size=4).shape == (4, 2)
    w = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w.repeat_interleave(t.tensor([3, 0]), dim=1).sum().backward()
    assert w.grad.tolist() == [[3.0, 0.0], [3.0, 0.0]]


# ---------------------------------------------------------------------------------------------
# New differentiable functions
# ---------------------------------------------------------------------------------------------


def test_cumprod_values_dtypes_and_gradient_at_zeros() -> None:
    assert t.tensor([1, 2, 3]).cumprod(0).tolist() == [1, 2, 6]
    assert t.tensor([1, 2], dtype=t.int32).cumprod(0).dtype == t.int64  # as a product
    assert t.tensor([1, 2, 3]).cumprod(0, dtype=t.float32).tolist() == [1.0, 2.0, 6.0]
    assert t.tensor(3.0).cumprod(0).shape == () and t.tensor(3.0).cumsum(0).shape == ()
    x = t.tensor([[2.0, 0.0, 3.0, 0.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0]], dtype=t.float64,
                 requires_grad=True)  # fmt: skip
    y = x.cumprod(1)
    assert y.tolist() == [[2.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 6.0, 24.0, 120.0]]
    y.sum().backward()
    # Row 0: d/dx₀ = 1 + x₁(...) = 1; d/dx₁ = x₀ + x₀x₂ + x₀x₂x₃ + ... = 2 + 6 = 8; after the
    # first zero, every product holds it: 0.
    assert x.grad.tolist() == [[1.0, 8.0, 0.0, 0.0, 0.0], [153.0, 76.0, 50.0, 36.0, 24.0]]
    assert t.autograd.gradgradcheck(lambda a: a.cumprod(1), [x])  # at the zeros too


def test_logit_atan2_hypot_and_mv() -> None:
    p = t.tensor([0.0, 0.25, 0.5, 1.0, 1.5], requires_grad=True)
    z = p.logit()
    assert np.allclose(z.tolist()[1:3], [np.log(1 / 3), 0.0]) and z[0].item() == -np.inf
    assert z[3].item() == np.inf and np.isnan(z[4].item())
    z[1:3].sum().backward()
    assert np.allclose(p.grad.tolist()[1:3], [1 / (0.25 * 0.75), 4.0])
    p.grad = None
    p.logit(eps=0.25).sum().backward()  # clamped to [0.25, 0.75]: no gradient where it bit
    assert np.allclose(p.grad.tolist(), [0.0, 1 / (0.25 * 0.75), 4.0, 0.0, 0.0])
    assert t.logit(t.tensor([0, 1])).tolist() == [-np.inf, np.inf]

    y = t.tensor([1.0, -1.0, 0.0], requires_grad=True)
    x = t.tensor([1.0, -1.0, 0.0], requires_grad=True)
    angle = t.atan2(y, x)
    assert np.allclose(angle.tolist(), [np.pi / 4, -3 * np.pi / 4, 0.0])
    angle.sum().backward()
    assert y.grad.tolist() == [0.5, -0.5, 0.0] and x.grad.tolist() == [-0.5, 0.5, 0.0]
    assert t.arctan2(t.tensor([1, 2]), t.tensor([1, 0])).dtype == t.float32

    a = t.tensor([3.0, 1e20], requires_grad=True)
    b = t.tensor([4.0, 1e20])
    h = t.hypot(a, b)
    assert h[0].item() == 5.0 and np.isclose(h[1].item(), 2**0.5 * 1e20)  # no overflow
    h.sum().backward()
    assert np.allclose(a.grad.tolist(), [0.6, 2**-0.5])

    m = t.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    v = t.tensor([1.0, -1.0], requires_grad=True)
    out = t.mv(m, v)
    assert out.tolist() == [-1.0, -1.0, -1.0]
    out.sum().backward()
    assert m.grad.tolist() == [[1.0, -1.0]] * 3 and v.grad.tolist() == [9.0, 12.0]


def test_median_is_the_lower_middle_value_and_shares_ties() -> None:
    x = t.tensor([3.0, 1.0, 2.0, 2.0], requires_grad=True)
    m = x.median()
    assert m.item() == 2.0
    m.backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.5, 0.5]  # two elements equal the median
    grid = t.tensor([[3.0, 1.0, 2.0, 4.0], [0.0, 5.0, 5.0, 1.0]], requires_grad=True)
    values, indices = grid.median(1)
    assert values.tolist() == [2.0, 1.0] and indices.tolist() == [2, 3]
    values.sum().backward()
    assert grid.grad.tolist() == [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    assert t.median(grid, 0, keepdim=True).values.shape == (1, 4)
    nan = float("nan")
    assert np.isnan(t.tensor([1.0, nan, 3.0]).median().item())
    with_nan = t.tensor([[3.0, nan, 2.0, nan], [1.0, 1.0, 1.0, 0.0]]).median(1)
    assert np.isnan(with_nan.values[0].item()) and with_nan.indices.tolist() == [1, 0]
    assert t.tensor([1, 5, 2]).median().dtype == t.int64
    assert np.isnan(t.zeros(0).median().item())
    assert t.tensor(3.0).median(0).indices.item() == 0


def test_quantile_interpolations_shapes_and_gradients() -> None:
    x = t.tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    q = t.tensor([0.1, 0.25, 0.5, 0.7, 0.3])
    expected = {"linear": [0.5, 1.25, 2.5, 3.5, 1.5], "lower": [0.0, 1.0, 2.0, 3.0, 1.0],
                "higher": [1.0, 2.0, 3.0, 4.0, 2.0], "midpoint": [0.5, 1.5, 2.5, 3.5, 1.5],
                "nearest": [0.0, 1.0, 2.0, 4.0, 2.0]}  # fmt: skip
    for interpolation, values in expected.items():
        assert np.allclose(x.quantile(q, interpolation=interpolation).tolist(), values)
    m = t.tensor([[3.0, 1.0, 2.0, 5.0], [0.0, 4.0, 1.0, 1.0]], requires_grad=True)
    assert m.quantile(0.5).shape == () and m.quantile(0.5, dim=1).shape == (2,)
    assert t.quantile(m, t.tensor([0.25, 0.5, 1.0]), dim=1, keepdim=True).shape == (3, 2, 1)
    assert m.quantile(t.tensor([0.1, 0.2]), dim=0).shape == (2, 4)
    assert m.quantile(0.3, keepdim=True).shape == (1, 1)
    assert m.quantile(t.tensor([0.3]), keepdim=True).shape == (1, 1, 1)
    assert np.isnan(t.tensor([[1.0, float("nan")], [1.0, 2.0]]).quantile(0.5, dim=1)[0].item())
    q = m.quantile(0.4)  # sorted: 0 1 1 1 2 3 4 5; position 0.4 · 7 = 2.8, between two 1s
    assert q.item() == 1.0
    q.backward()  # 0.2 to the third smallest, 0.8 to the fourth (equal values keep their order)
    assert np.allclose(m.grad.tolist(), [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.2, 0.8]])


# ---------------------------------------------------------------------------------------------
# Random draws
# ---------------------------------------------------------------------------------------------


def test_bernoulli_draws_zeros_and_ones_with_a_zero_gradient() -> None:
    t.manual_seed(3)
    p = t.tensor([0.0, 1.0, 0.3] * 2000, requires_grad=True)
    draws = t.bernoulli(p)
    assert draws.dtype == t.float32 and set(draws.tolist()) == {0.0, 1.0}
    assert draws[0::3].sum().item() == 0 and draws[1::3].sum().item() == 2000
    assert abs(draws[2::3].mean().item() - 0.3) < 0.05
    assert draws.requires_grad
    draws.sum().backward()
    assert p.grad.abs().sum().item() == 0.0  # PyTorch's rule: a draw has gradient 0
    t.manual_seed(3)
    assert t.bernoulli(p).equal(draws)  # the package's generator: seeded, repeatable
    assert t.zeros(3, dtype=t.float64).bernoulli(1.0).tolist() == [1.0, 1.0, 1.0]
    assert t.bernoulli(t.zeros(2), 0.0, generator=np.random.default_rng(0)).tolist() == [0, 0]
    x = t.zeros(4, dtype=t.int64)
    assert x.bernoulli_(t.tensor([0.0, 1.0, 0.0, 1.0])) is x and x.tolist() == [0, 1, 0, 1]
    assert t.zeros(3, dtype=t.bool).bernoulli_(1.0).tolist() == [True] * 3
    with pytest.raises(RuntimeError, match="leaf Variable"):
        t.zeros(2, requires_grad=True).bernoulli_()


def test_multinomial_draws_indices_with_the_weights() -> None:
    t.manual_seed(0)
    w = t.tensor([0.0, 1.0, 3.0, 0.5])
    drawn = t.multinomial(w, 3)
    assert drawn.dtype == t.int64 and drawn.shape == (3,)
    assert sorted(drawn.tolist()) == [1, 2, 3]  # without replacement: each once, never index 0
    many = w.multinomial(20000, replacement=True)
    counts = np.bincount(many.numpy(), minlength=4) / 20000
    assert counts[0] == 0 and np.allclose(counts, [0, 1 / 4.5, 3 / 4.5, 0.5 / 4.5], atol=0.02)
    rows = t.multinomial(t.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), 2, replacement=True)
    assert rows.tolist() == [[0, 0], [2, 2]]
    # Without replacement, the first draw follows the weights, the second the weights left.
    firsts = [t.multinomial(t.tensor([1.0, 3.0]), 2).tolist() for _ in range(2000)]
    assert abs(sum(f == [1, 0] for f in firsts) / 2000 - 0.75) < 0.05
    assert all(sorted(f) == [0, 1] for f in firsts)


# ---------------------------------------------------------------------------------------------
# In-place forms
# ---------------------------------------------------------------------------------------------

IN_PLACE = [
    ("log_", (), [1.0, 2.0], [0.0, np.log(2.0)], [1.0, 0.5]),
    ("sin_", (), [0.0, 1.0], [0.0, np.sin(1.0)], [1.0, np.cos(1.0)]),
    ("cos_", (), [0.0, 1.0], [1.0, np.cos(1.0)], [0.0, -np.sin(1.0)]),
    ("tanh_", (), [0.0, 1.0], [0.0, np.tanh(1.0)], [1.0, 1 - np.tanh(1.0) ** 2]),
    ("sigmoid_", (), [0.0], [0.5], [0.25]),
    ("relu_", (), [-1.0, 2.0], [0.0, 2.0], [0.0, 1.0]),
    ("floor_", (), [-1.5, 1.5], [-2.0, 1.0], [0.0, 0.0]),
    ("ceil_", (), [-1.5, 1.5], [-1.0, 2.0], [0.0, 0.0]),
    ("round_", (), [0.5, 1.5, 2.7], [0.0, 2.0, 3.0], [0.0, 0.0, 0.0]),
    ("trunc_", (), [-1.5, 1.5], [-1.0, 1.0], [0.0, 0.0]),
    ("sign_", (), [-2.0, 0.0, 3.0], [-1.0, 0.0, 1.0], [0.0, 0.0, 0.0]),
    ("square_", (), [-2.0, 3.0], [4.0, 9.0], [-4.0, 6.0]),
    ("reciprocal_", (), [2.0, -4.0], [0.5, -0.25], [-0.25, -1 / 16]),
    ("pow_", (3,), [2.0, -1.0], [8.0, -1.0], [12.0, 3.0]),
    ("fmod_", (1.5,), [4.0, -4.0], [1.0, -1.0], [1.0, 1.0]),
    ("remainder_", (1.5,), [4.0, -4.0], [1.0, 0.5], [1.0, 1.0]),
    ("lerp_", (10.0, 0.25), [2.0, 6.0], [4.0, 7.0], [0.75, 0.75]),
]  # fmt: skip


@pytest.mark.parametrize("name, args, values, expected, slope", IN_PLACE,
                         ids=[case[0] for case in IN_PLACE])  # fmt: skip
def test_in_place_forms_change_values_and_record_the_change(name, args, values, expected, slope):
    x = t.tensor(values)
    assert getattr(x, name)(*args) is x and np.allclose(x.tolist(), expected)
    w = t.tensor(values, requires_grad=True)
    h = w * 1.0
    getattr(h, name)(*args)
    assert h._version == 1 and np.allclose(h.tolist(), expected)
    assert h.grad_fn.name in (name.rstrip("_"), "pow", "clamp")
    h.sum().backward()
    assert np.allclose(w.grad.tolist(), slope)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(t.tensor(values, requires_grad=True), name)(*args)


def test_in_place_forms_with_tensor_operands_and_integer_tensors() -> None:
    w = t.tensor([2.0, 3.0], requires_grad=True)
    e = t.tensor([2.0, 0.5], requires_grad=True)
    h = w * 1.0
    h.pow_(e)  # the exponent requires grad: recorded as pow_tensor
    h.sum().backward()
    assert np.allclose(w.grad.tolist(), [4.0, 0.5 * 3**-0.5])
    assert np.allclose(e.grad.tolist(), [4 * np.log(2), 3**0.5 * np.log(3)])
    end = t.tensor([10.0, 10.0], requires_grad=True)
    g = t.zeros(2)
    g.lerp_(end, t.tensor([0.5, 1.0]))
    g.sum().backward()
    assert g.tolist() == [5.0, 10.0] and end.grad.tolist() == [0.5, 1.0]
    n = t.tensor([-3, 2, 7])
    assert n.floor_().tolist() == [-3, 2, 7] and n.sign_().tolist() == [-1, 1, 1]
    assert t.tensor([-3, 2]).relu_().tolist() == [0, 2] and t.tensor([3]).pow_(2).tolist() == [9]
    assert t.tensor([7, -7]).fmod_(3).tolist() == [1, -1]
    assert t.tensor([True, False]).sign_().tolist() == [True, False]
    assert np.allclose(t.tensor([1.25, 2.5]).round_(decimals=1).tolist(), [1.2, 2.5])
    with pytest.raises(RuntimeError, match="log_.*can't be cast.*int64"):
        t.tensor([1, 2]).log_()
    with pytest.raises(RuntimeError, match="pow_.*float32.*can't be cast.*int64"):
        t.tensor([1, 2]).pow_(0.5)
    with pytest.raises(RuntimeError, match="remainder_.*can't be cast"):
        t.tensor([1, 2]).remainder_(1.5)


# ---------------------------------------------------------------------------------------------
# Against PyTorch: the same programs, the same numbers
# ---------------------------------------------------------------------------------------------

RNG = np.random.default_rng(1)


def _floats(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def _distinct(*shape: int) -> np.ndarray:
    return RNG.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) / 4


def _probabilities(*shape: int) -> np.ndarray:
    return RNG.uniform(0.05, 0.95, shape)


WITH_ZEROS = np.array([[2.0, 0.0, 3.0, 0.0, 5.0], [1.5, -2.0, 0.5, 4.0, 0.0],
                       [0.0, 1.0, 2.0, 3.0, 4.0]])  # fmt: skip
TIES = np.array([[3.0, 1.0, 2.0, 2.0, 1.0, 2.0, 2.0], [1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]])
NAN = float("nan")


def _inplace(name: str, *args: Any, **kwargs: Any) -> Callable[..., Any]:
    return lambda lib, x: getattr(x * 1, name)(*args, **kwargs)


# name -> (program of the library `lib` and the inputs, the inputs as arrays). Float arrays
# become float64 leaves that require grad; integer arrays are constants.
PROGRAMS: dict[str, tuple[Callable[..., Any], list[np.ndarray]]] = {
    "cumprod": (lambda lib, x: (x.cumprod(1), lib.cumprod(x, 0)), [_floats(3, 4)]),
    "cumprod-zeros": (lambda lib, x: (x.cumprod(1), x.cumprod(0), x.cumprod(-1).cumprod(0)),
                      [WITH_ZEROS]),
    "logit": (lambda lib, p: (p.logit(), lib.logit(p, 0.2)), [_probabilities(2, 3)]),
    "logit-edges": (lambda lib, p: lib.logit(p, 1e-6), [np.array([0.0, 1e-7, 0.5, 1.0])]),
    "atan2": (lambda lib, y, x: lib.atan2(y, x), [_floats(2, 3), _floats(3)]),
    "arctan2-quadrants": (lambda lib, y, x: y.arctan2(x), [np.array([1.0, 1.0, -1.0, -1.0]),
                                                          np.array([1.0, -1.0, -1.0, 1.0])]),
    "hypot": (lambda lib, a, b: (lib.hypot(a, b), a.hypot(b * 3)), [_floats(3, 1), _floats(4)]),
    "mv": (lambda lib, m, v: (lib.mv(m, v), m.mv(v)), [_floats(3, 4), _floats(4)]),
    "median": (lambda lib, x: (x.median(), *lib.median(x, 1), *x.median(0, keepdim=True)),
               [_distinct(3, 4)]),
    "median-ties": (lambda lib, x: (x.median(), *x.median(1)), [TIES]),
    "median-int": (lambda lib, x: (x.median(), *x.median(1)), [np.array([[3, 1, 2], [7, 7, 0]])]),
    "median-nan": (lambda lib, x: (x.median(), *x.median(1)), [np.array([[3.0, NAN, 2.0, NAN],
                                                                        [1.0, 1.0, 1.0, 0.0]])]),
    "quantile": (lambda lib, x: (x.quantile(0.4), lib.quantile(x, 0.75, dim=1, keepdim=True),
                                 x.quantile(lib.tensor([0.0, 0.3, 1.0], dtype=lib.float64), 0)),
                 [_floats(3, 5)]),
    "quantile-ties": (lambda lib, x: x.quantile(0.4), [np.array([[3.0, 1.0, 2.0, 5.0],
                                                                 [0.0, 4.0, 1.0, 1.0]])]),
    "quantile-interpolations": (lambda lib, x: tuple(
        x.quantile(lib.tensor([0.1, 0.25, 0.5, 0.7, 0.3], dtype=lib.float64), dim=-1,
                   interpolation=i) for i in ("linear", "lower", "higher", "midpoint", "nearest")),
        [_floats(2, 6)]),
    "quantile-nan": (lambda lib, x: x.quantile(0.5, dim=1), [np.array([[1.0, NAN, 3.0],
                                                                      [1.0, 2.0, 3.0]])]),
    "rot90": (lambda lib, x: (x.rot90(), lib.rot90(x, 2, (1, 2)), x.rot90(-1, (2, 0)),
                              lib.rot90(x, 4)), [_floats(2, 3, 4)]),
    "repeat_interleave": (lambda lib, x: (x.repeat_interleave(2), lib.repeat_interleave(x, 3, 1),
                                          x.repeat_interleave(lib.tensor([1, 0, 2]), dim=0)),
                          [_floats(3, 2)]),
    "repeat_interleave-counts": (lambda lib, r: lib.repeat_interleave(r), [np.array([2, 0, 1])]),
    "stacks": (lambda lib, a, b, s: (lib.hstack([a, b]), lib.vstack([a, b]), lib.dstack([a, b]),
                                     lib.column_stack([a, b]), lib.hstack([s, a]),
                                     lib.column_stack([s, s])),
               [_floats(3), _floats(3), _floats()]),
    "stacks-matrices": (lambda lib, a, b: (lib.hstack([a, b]), lib.vstack([a, b.T.T]),
                                           lib.dstack([a, b]), lib.column_stack([a, b[:, 0]])),
                        [_floats(2, 2), _floats(2, 2)]),
    "atleast": (lambda lib, a, s: (*lib.atleast_1d(s, a), *lib.atleast_2d([s, a]),
                                   lib.atleast_3d(a), lib.atleast_3d(a.reshape(3, 1))),
                [_floats(3), _floats()]),
    "where-numbers": (lambda lib, x: (lib.where(x > 0, 1.0, 0.0), lib.where(x > 0, 2, -1),
                                      lib.where(x > 0, x, 0.5)), [_floats(2, 3)]),
    "bernoulli-certain": (lambda lib, p: lib.bernoulli(p.clamp(0, 1).round()), [_floats(4)]),
    **{f"in-place {name}": (_inplace(name, *args), [data]) for name, args, data in [
        ("log_", (), np.abs(_floats(4)) + 0.1), ("sin_", (), _floats(4)), ("cos_", (), _floats(4)),
        ("tanh_", (), _floats(4)), ("sigmoid_", (), _floats(4)), ("relu_", (), _floats(4)),
        ("floor_", (), _floats(4)), ("ceil_", (), _floats(4)), ("round_", (), _floats(4) * 3),
        ("trunc_", (), _floats(4)), ("sign_", (), _floats(4)), ("square_", (), _floats(4)),
        ("reciprocal_", (), _floats(4)), ("pow_", (3,), _floats(4)),
        ("pow_", (0.5,), np.abs(_floats(4))), ("fmod_", (0.7,), _floats(4) * 3),
        ("remainder_", (0.7,), _floats(4) * 3),
    ]},  # fmt: skip
    "in-place round_(decimals=1)": (_inplace("round_", decimals=1), [_floats(4) * 3]),
    "in-place lerp_": (lambda lib, x: (x * 1).lerp_(lib.tensor(2.0, dtype=lib.float64), 0.3),
                       [_floats(4)]),
    "in-place with tensors": (lambda lib, x, y, w: ((x * 1).pow_(y.abs()), (x * 1).fmod_(y),
                                                    (x * 1).remainder_(y), (x * 1).lerp_(y, w)),
                              [np.abs(_floats(3)) + 0.5, _floats(3), _floats(3)]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_values_and_gradients_match_pytorch(name: str) -> None:
    torch = pytest.importorskip("torch")
    assert_same_as_pytorch(t, torch, PROGRAMS[name], name)


def _layouts(lib: Any) -> list[Any]:
    x = lib.zeros(2, 3, 4)
    views = [x, x.transpose(0, 2), x[:, ::2], x[1], x[1, 1:], x[:, None], x[None], x.unsqueeze(3),
             lib.zeros(3, 1).expand(3, 4), lib.zeros(0, 3), lib.zeros(2, 0), lib.zeros(()),
             x.permute(2, 0, 1), x.narrow(2, 1, 2), x.reshape(6, 4), x[..., 0]]  # fmt: skip
    return [(v.stride(), v.storage_offset(), v.data_ptr() - x.data_ptr() if v.numel() and
             v.storage_offset() else 0) for v in views]  # fmt: skip


def test_strides_and_offsets_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    assert _layouts(t) == _layouts(torch)


def _descriptions(lib: Any) -> list[Any]:
    x, i = lib.tensor([1.0, -2.0, 3.0]), lib.tensor([1, 0, 2])
    results = [x.eq(1.0), lib.ne(i, 0), x.greater(i), lib.less_equal(i, 1.5),
               lib.logical_xor(x, i), lib.where(x > 0, 1.0, 0.0), lib.where(x > 0, 1, 0),
               lib.where(x > 0, True, 0), lib.logit(i), lib.atan2(i, i), lib.cumprod(i, 0),
               i.median(), lib.multinomial(x.abs(), 2), lib.bernoulli(x.abs() / 4),
               lib.hstack([i, x]), lib.tensor([1, 2], dtype=lib.int32).cumprod(0)]  # fmt: skip
    return ([str(r.dtype).split(".")[-1] for r in results] + [x.is_floating_point(),
            i.is_floating_point(), lib.is_floating_point(x), x.is_cuda])  # fmt: skip


def test_dtypes_and_flags_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    assert _descriptions(t) == _descriptions(torch)


BAD = {
    "hstack-empty": lambda lib: lib.hstack([]),
    "vstack-empty": lambda lib: lib.vstack([]),
    "column_stack-sizes": lambda lib: lib.column_stack([lib.ones(3), lib.ones(2)]),
    "rot90-equal-dims": lambda lib: lib.rot90(lib.ones(2, 2), 1, (0, -2)),
    "rot90-three-dims": lambda lib: lib.rot90(lib.ones(2, 2), 1, (0, 1, 2)),
    "rot90-vector": lambda lib: lib.rot90(lib.ones(2)),
    "rot90-float-k": lambda lib: lib.rot90(lib.ones(2, 2), 1.0),
    "repeat_interleave-length": lambda lib: lib.ones(2).repeat_interleave(lib.tensor([1, 2, 3])),
    "repeat_interleave-negative": lambda lib: lib.ones(2).repeat_interleave(-1),
    "repeat_interleave-float": lambda lib: lib.ones(2).repeat_interleave(lib.tensor([1.0, 2.0])),
    "quantile-q": lambda lib: lib.ones(3).quantile(1.5),
    "quantile-q-tensor": lambda lib: lib.ones(3).quantile(lib.tensor([0.5, 2.0])),
    "quantile-int": lambda lib: lib.tensor([1, 2]).quantile(0.5),
    "quantile-empty": lambda lib: lib.ones(0).quantile(0.5),
    "quantile-interpolation": lambda lib: lib.ones(3).quantile(0.5, interpolation="cubic"),
    "median-bool": lambda lib: lib.tensor([True]).median(),
    "median-empty-dim": lambda lib: lib.ones(0, 3).median(0),
    "multinomial-too-many": lambda lib: lib.multinomial(lib.tensor([1.0, 2.0]), 3),
    "multinomial-negative": lambda lib: lib.multinomial(lib.tensor([-1.0, 2.0]), 1),
    "multinomial-zero-sum": lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
    "multinomial-int": lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
    "multinomial-3d": lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    "multinomial-no-samples": lambda lib: lib.multinomial(lib.ones(2), 0),
    "bernoulli-p": lambda lib: lib.bernoulli(lib.tensor([1.5])),
    "bernoulli_-p": lambda lib: lib.zeros(2).bernoulli_(-0.5),
    "bernoulli-int": lambda lib: lib.bernoulli(lib.tensor([1, 0])),
    "hypot-int": lambda lib: lib.hypot(lib.tensor([3]), lib.tensor([4])),
    "hypot-number": lambda lib: lib.hypot(lib.tensor([3.0]), 4.0),
    "atan2-number": lambda lib: lib.tensor([1.0]).atan2(2.0),
    "logical_and-number": lambda lib: lib.logical_and(lib.ones(2), 1),
    "mv-sizes": lambda lib: lib.ones(2, 3).mv(lib.ones(2)),
    "mv-vector": lambda lib: lib.ones(3).mv(lib.ones(3)),
    "log_-int": lambda lib: lib.tensor([1, 2]).log_(),
    "pow_-int-float": lambda lib: lib.tensor([1, 2]).pow_(0.5),
    "pow_-bool": lambda lib: lib.tensor([True]).pow_(2),
    "sigmoid_-int": lambda lib: lib.tensor([1]).sigmoid_(),
    "relu_-bool": lambda lib: lib.tensor([True]).relu_(),
    "lerp_-int": lambda lib: lib.tensor([1]).lerp_(lib.tensor([2]), 0.5),
    "remainder_-broadcast": lambda lib: lib.ones(2).remainder_(lib.ones(2, 2)),
    "eq-none": lambda lib: lib.ones(2).eq(None),
    "median-keepdim-without-dim": lambda lib: lib.ones(3).median(keepdim=True),
    "stride-dim": lambda lib: lib.ones(2, 2).stride(2),
    "randn-size-int": lambda lib: lib.randn(size=2),
    "zeros-size-twice": lambda lib: lib.zeros(2, size=(2,)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_raises_pytorchs_error_type(name: str) -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as theirs:
        BAD[name](torch)
    with pytest.raises(Exception) as ours:
        BAD[name](t)
    assert type(ours.value) is type(theirs.value), (ours.value, theirs.value)
