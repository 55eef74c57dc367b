"""Deep and wide graphs: 100,000-op chains and 10,000-way fan-outs give exact gradients.

The engine walks graphs with explicit stacks, never recursion, so depth costs only time. The ops
are chosen so that the exact gradient is known in float64: adding x n times gives n, doubling n
times gives 2ⁿ, multiplying by 1.0001 n times gives 1.0001ⁿ (to rounding), and shape ops move
values without changing them.
"""

import gc
import weakref

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core.engine import topological_order

DEPTH = 100_000
WIDTH = 10_000


def leaf(values) -> t.Tensor:
    return t.tensor(values, dtype=t.float64, requires_grad=True)


def test_chain_of_100k_adds_gives_exactly_n():
    x = leaf([1.5, -2.0])
    y = x
    for _ in range(DEPTH):
        y = y + x
    assert len(topological_order(y.grad_fn)) == DEPTH
    y.sum().backward()
    # y = (n + 1)·x; integers below 2⁵³ are exact in float64, so every partial sum is too.
    np.testing.assert_array_equal(x.grad.numpy(), [DEPTH + 1.0, DEPTH + 1.0])
    np.testing.assert_array_equal(y.detach().numpy(), [1.5 * (DEPTH + 1), -2.0 * (DEPTH + 1)])


def test_chain_of_100k_multiplications_matches_the_closed_form():
    x = leaf([2.0])
    y = x
    for _ in range(DEPTH):
        y = y * 1.0001
    y.backward(t.tensor([1.0], dtype=t.float64))
    exact = 1.0001**DEPTH  # ≈ 2.2e4: dy/dx of x·1.0001ⁿ
    assert x.grad.item() == pytest.approx(exact, rel=1e-12, abs=0)
    assert y.item() == pytest.approx(2.0 * exact, rel=1e-12, abs=0)


def test_chain_of_1000_doublings_gives_exactly_two_to_the_1000():
    # Each node uses its input twice (y + y): a wrong count of consumers would be off by a power.
    x = leaf([1.0])
    y = x
    for _ in range(1000):
        y = y + y
    y.backward(t.tensor([1.0], dtype=t.float64))
    assert x.grad.item() == 2.0**1000  # 1.07e301, exact: a power of two


def test_chain_of_100k_mixed_shape_and_sign_ops_is_exact():
    # 10 ops per round, 10,000 rounds. Each round maps y to y exactly: negation twice, a reshape
    # and its inverse, a transpose and back, unsqueeze/squeeze, +3 then -3 on integers, ×2 then
    # /2 (powers of two). So dL/dx is exactly the upstream gradient.
    x = leaf(np.arange(6.0).reshape(2, 3))
    y = x
    for _ in range(DEPTH // 10):
        y = -y
        y = y.reshape(3, 2)
        y = y.t()
        y = y.unsqueeze(0)
        y = y + 3.0
        y = y * 2.0
        y = y.squeeze(0)
        y = y - 3.0 * 2.0
        y = y / 2.0
        y = -y
    assert len(topological_order(y.grad_fn)) == DEPTH
    np.testing.assert_array_equal(y.detach().numpy(), x.detach().numpy())
    weights = np.arange(1.0, 7.0).reshape(2, 3)
    (y * t.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), weights)


def test_fan_out_of_10k_uses_of_a_leaf():
    x = leaf([3.0])
    terms = [x * float(i) for i in range(WIDTH)]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    total.backward(t.tensor([1.0], dtype=t.float64))
    assert x.grad.item() == WIDTH * (WIDTH - 1) / 2  # Σ i for i < n, exact


def test_fan_out_of_10k_uses_of_a_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 2.0  # one node feeding 10,000 consumers
    total = h
    for _ in range(WIDTH):
        total = total + h
    total.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0 * (WIDTH + 1)] * 2)


def test_fan_out_of_10k_index_reads_of_one_tensor():
    # Each element of a 100-vector is read 100 times through indexing: its gradient counts them.
    x = leaf(np.zeros(100))
    total = x[0]
    for i in range(1, WIDTH):
        total = total + x[i % 100] * float(i % 7)
    total.backward()
    expected = np.zeros(100)
    expected[0] = 1.0
    for i in range(1, WIDTH):
        expected[i % 100] += i % 7
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_hook_on_a_leaf_used_10k_times_runs_once_with_the_total():
    x = leaf([1.0])
    calls = []
    x.register_hook(lambda g: calls.append(g.item()))
    total = x
    for _ in range(WIDTH):
        total = total + x
    total.backward()
    assert calls == [WIDTH + 1.0]


def test_deep_graph_backward_twice_with_retain_graph():
    x = leaf([1.0])
    y = x
    for _ in range(DEPTH // 10):
        y = y * 1.0 + 0.0
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 2.0


def test_a_100k_node_graph_is_freed_without_recursion_or_gc():
    x = leaf([1.0])
    y = x
    for _ in range(DEPTH):
        y = y * 1.0
    deepest = weakref.ref(topological_order(y.grad_fn)[-1])  # the node nearest the leaf
    gc.collect()
    gc.disable()
    try:
        del y  # frees 100,000 nodes through reference counting alone
        assert deepest() is None
    finally:
        gc.enable()
