"""Autograd agrees with the hand-derived gradients of linear regression (the seed's model).

For ŷ = x w + b (b broadcast over the n rows) and L = ½ Σ (ŷ - y)², the chain rule gives
dL/dŷ = ŷ - y, hence dL/dw = xᵀ (ŷ - y) and dL/db = Σ (ŷ - y). With L = ½ mean(...) every term
is divided by n. In float64 both computations round only at the last bit, so they agree to 1e-10.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import FEW, float64_arrays, leaf

import tinygrad_lr as t


@st.composite
def regression_problems(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(1, 20))
    k = draw(st.integers(1, 5))
    x = draw(float64_arrays((n, k)))
    w = draw(float64_arrays((k, 1)))
    b = draw(float64_arrays((1, 1)))
    y = draw(float64_arrays((n, 1)))
    return x, w, b, y


def _autograd(x: np.ndarray, w: np.ndarray, b: np.ndarray, y: np.ndarray, reduce: str):
    xt, yt = leaf(x, requires_grad=False), leaf(y, requires_grad=False)
    wt, bt = leaf(w), leaf(b)
    y_hat = xt.mm(wt) + bt.expand_as(yt)
    squares = (y_hat - yt) ** 2
    loss = 0.5 * (squares.sum() if reduce == "sum" else squares.mean())
    assert loss.dtype == t.float64 and loss.shape == ()
    loss.backward()
    return wt.grad.numpy(), bt.grad.numpy()


def _by_hand(x: np.ndarray, w: np.ndarray, b: np.ndarray, y: np.ndarray):
    residual = x @ w + b - y
    return x.T @ residual, residual.sum(keepdims=True)


@settings(FEW, max_examples=60)  # each example takes well under a millisecond
@given(regression_problems())
def test_sum_loss_gradients_equal_the_hand_formulas(problem):
    dw, db = _autograd(*problem, reduce="sum")
    dw_hand, db_hand = _by_hand(*problem)
    assert dw.shape == dw_hand.shape and db.shape == (1, 1)
    np.testing.assert_allclose(dw, dw_hand, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(db, db_hand, rtol=1e-10, atol=1e-10)


@settings(FEW, max_examples=60)  # each example takes well under a millisecond
@given(regression_problems())
def test_mean_loss_gradients_are_the_hand_formulas_over_n(problem):
    n = problem[0].shape[0]
    dw, db = _autograd(*problem, reduce="mean")
    dw_hand, db_hand = _by_hand(*problem)
    np.testing.assert_allclose(dw, dw_hand / n, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(db, db_hand / n, rtol=1e-10, atol=1e-10)


def test_a_known_case_by_hand():
    # x = [[1], [2]], w = 2, b = 1, y = [[2], [7]]: ŷ = [[3], [5]], residual = [[1], [-2]],
    # dw = 1*1 + 2*(-2) = -3, db = 1 - 2 = -1.
    dw, db = _autograd(np.array([[1.0], [2.0]]), np.array([[2.0]]), np.array([[1.0]]),
                       np.array([[2.0], [7.0]]), reduce="sum")  # fmt: skip
    assert dw.tolist() == [[-3.0]] and db.tolist() == [[-1.0]]
