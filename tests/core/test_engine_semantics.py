"""What the engine's fast paths must leave unchanged: values, dtypes, errors, hooks, anomaly mode,
version counters, and which arrays a graph keeps alive.

Each fast path (scalar operands, the no-grad in-place update, the backward loop, the arrays a node
saves) is checked against the slow, general rule it shortcuts.
"""

import gc
import weakref

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core.engine import run_backward, topological_order


def seed_batch(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = (rng.random((4, 1)) * 5).astype(np.float32)
    y = (x * 2 + 3 + rng.standard_normal((4, 1))).astype(np.float32)
    return x, y


# --- the seed step ------------------------------------------------------------------------------


def test_seed_step_gradients_are_the_hand_derived_ones():
    x, y = seed_batch()
    w = t.tensor([[0.7]], requires_grad=True)
    b = t.zeros(1, 1, requires_grad=True)
    xt, yt = t.from_numpy(x), t.from_numpy(y)
    loss = (0.5 * (xt.mm(w) + b.expand_as(yt) - yt) ** 2).sum()
    loss.backward()
    diff = x @ np.array([[0.7]], np.float32) - y
    np.testing.assert_allclose(loss.item(), 0.5 * (diff**2).sum(), rtol=1e-6)
    np.testing.assert_allclose(w.grad.numpy(), x.T @ diff, rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [[diff.sum()]], rtol=1e-6)
    assert w.grad.dtype == b.grad.dtype == np.float32
    with t.no_grad():
        w -= 0.02 * w.grad
        b -= 0.02 * b.grad
    np.testing.assert_allclose(w.detach().numpy(), 0.7 - 0.02 * (x.T @ diff), rtol=1e-6)
    assert w.is_leaf and w.requires_grad and w.dtype == np.float32


# --- scalar operands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, expected",
    [
        (lambda a: 0.5 * a, np.array([0.5, 1.0, 1.5])),
        (lambda a: a * 2, np.array([2.0, 4.0, 6.0])),
        (lambda a: 2 - a, np.array([1.0, 0.0, -1.0])),
        (lambda a: a - 2, np.array([-1.0, 0.0, 1.0])),
        (lambda a: 3 / a, np.array([3.0, 1.5, 1.0])),
        (lambda a: a / 2, np.array([0.5, 1.0, 1.5])),
        (lambda a: 1 + a, np.array([2.0, 3.0, 4.0])),
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_scalar_operands_keep_the_tensor_dtype_and_record_a_constant_leaf(expr, expected, dtype):
    a = t.tensor(np.array([1.0, 2.0, 3.0], dtype), requires_grad=True)
    out = expr(a)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
    constants = [i for i in out.grad_fn.inputs if i is not a]
    assert len(constants) == 1 and constants[0].is_leaf and not constants[0].requires_grad
    assert constants[0].dtype == dtype  # the number, in the tensor's dtype
    out.sum().backward()
    assert a.grad.dtype == dtype


def test_a_number_constant_is_made_once_and_cannot_be_changed_through_any_op_that_uses_it():
    a = t.tensor([1.0, 2.0], requires_grad=True)
    first, second = (0.5 * a).grad_fn.inputs[0], (a * 0.5).grad_fn.inputs[1]
    assert first is second  # shared: a training loop does not build it again at each step
    with pytest.raises(ValueError, match="read-only"):
        first.detach().numpy()[...] = 3.0
    with t.no_grad(), pytest.raises(RuntimeError):
        first.add_(1.0)
    np.testing.assert_array_equal((0.5 * a).detach().numpy(), [0.5, 1.0])  # still 0.5


def test_a_number_constant_keeps_the_sign_of_zero_and_nan():
    a = t.tensor([1.0, -2.0])
    assert list(np.signbit((a * 0.0).numpy())) == [False, True]
    assert list(np.signbit((a * -0.0).numpy())) == [True, False]  # not the cached +0.0
    assert np.isnan((a * float("nan")).numpy()).all()
    assert np.isinf((1.0 / (a * -0.0)).numpy()).all()


def test_the_implicit_gradient_of_a_loss_is_one_and_changing_a_grad_leaves_it_one():
    s = t.tensor(2.0, requires_grad=True)
    s.backward()  # a 0-d leaf: its .grad is dL/dL = 1, copied from the shared 1
    s.grad.data += 5
    (s * 3.0).backward()
    assert s.grad.item() == 9.0  # 6 + 3
    z = t.tensor(4.0, requires_grad=True)
    z.backward()
    (z * 1.0).sum().backward()
    assert z.grad.item() == 2.0  # still 1 each time


def test_scalar_operands_on_integer_tensors_follow_pytorch_promotion():
    i = t.tensor([1, 2, 3])
    assert (i * 2).dtype == np.int64
    assert (i * 2.5).dtype == np.float32
    assert (i / 2).dtype == np.float32
    np.testing.assert_allclose((i * 2.5).numpy(), [2.5, 5.0, 7.5])
    assert (t.tensor([True, False]) + 1).dtype == np.int64


def test_scalar_operand_errors_name_the_op():
    a = t.ones(2)
    with pytest.raises(TypeError, match="mul"):
        a * "2"
    with pytest.raises(TypeError, match="add"):
        a + [1, 2]


# --- the in-place update under no_grad ----------------------------------------------------------


def test_inplace_update_writes_into_the_same_memory_and_bumps_the_version():
    w = t.tensor([[1.0, 2.0]], requires_grad=True)
    memory, version = w.detach().numpy(), w._version
    with t.no_grad():
        w -= 0.5 * t.tensor([[2.0, 2.0]])
        w += 1
        w *= 2
        w /= 4
    assert w.detach().numpy() is memory and w._version == version + 4
    np.testing.assert_allclose(w.detach().numpy(), [[0.5, 1.0]])
    assert w.is_leaf and w.requires_grad and w.grad_fn is None


def test_inplace_update_casts_within_a_kind_and_broadcasts_the_other_operand():
    w = t.zeros(2, 3)  # float32
    with t.no_grad():
        w.add_(t.tensor(np.ones(3)))  # float64 row, broadcast over rows, cast to float32
        w.sub_(t.tensor([1.0, 1.0, 1.0]), alpha=0.5)
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.numpy(), np.full((2, 3), 0.5))


def test_inplace_update_errors_are_kept():
    w = t.zeros(1, 1)
    with pytest.raises(RuntimeError, match=r"output with shape \(1, 1\)"):
        w -= t.ones(4, 1)
    i = t.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        i -= t.tensor([0.5, 0.5])
    e = t.zeros(1, 1).expand(3, 1)
    with pytest.raises(RuntimeError, match="more than one element"):
        e += 1
    p = t.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        p -= 1


def test_inplace_change_of_a_saved_tensor_is_caught_at_backward():
    a = t.ones(3, requires_grad=True)
    h = a * 2
    out = (h * h).sum()  # mul saves h
    with t.no_grad():
        h += 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*version 1"):
        out.backward()


# --- the backward loop --------------------------------------------------------------------------


def test_a_value_used_twice_gets_both_gradients():
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [4.0, 4.0])
    a2, b2 = t.ones(2, requires_grad=True), t.ones(2, requires_grad=True)
    z = a2 + b2
    (z + a2).sum().backward()  # add hands one array to both inputs: neither may be changed
    np.testing.assert_allclose(a2.grad.numpy(), [2.0, 2.0])
    np.testing.assert_allclose(b2.grad.numpy(), [1.0, 1.0])


def test_nodes_run_in_an_order_where_every_consumer_comes_first():
    a = t.tensor(np.array([0.5, 1.5]), requires_grad=True)
    h = a.exp()
    branches = [h * float(k) for k in range(5)]
    total = branches[0]
    for br in branches[1:]:
        total = total + br.tanh()
    root = total.sum()
    ran = []
    run_backward([root], [np.ones_like(root.detach().numpy())], retain_graph=True,
                 watch=lambda node, g, gs: ran.append(node))  # fmt: skip
    assert ran == topological_order(root.grad_fn)
    position = {node: i for i, node in enumerate(ran)}
    for node in ran:
        for parent in node.inputs:
            if isinstance(parent, t.Function):
                assert position[parent] > position[node]
    h0 = np.exp([0.5, 1.5])
    expected = h0 * sum(k * (1 - np.tanh(k * h0) ** 2) for k in range(1, 5))
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-12)


def test_a_value_overwritten_by_zero_gets_a_zero_gradient():
    # zero_ replaces the value: what the tensor held before contributes 0, and the leaf behind it
    # gets a gradient of zeros, as in PyTorch (not None: it was used).
    a = t.ones(2, requires_grad=True)
    y = a * 2
    y.zero_()
    c = t.ones(2, requires_grad=True)
    (y * 3 + c).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(c.grad.numpy(), [1.0, 1.0])


def test_second_backward_through_a_freed_graph_fails_and_retain_graph_allows_it():
    a = t.ones(2, requires_grad=True)
    out = (a * a).sum()
    out.backward(retain_graph=True)
    out.backward()
    np.testing.assert_allclose(a.grad.numpy(), [4.0, 4.0])
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        out.backward()


def test_hooks_and_retain_grad_still_run():
    a = t.tensor([1.0, 2.0], requires_grad=True)
    h = a * 3
    h.retain_grad()
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    handle = a.register_hook(lambda g: g * 10)
    (h * h).sum().backward()
    np.testing.assert_allclose(seen[0], [6.0, 12.0])
    np.testing.assert_allclose(h.grad.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(a.grad.numpy(), [180.0, 360.0])
    handle.remove()
    a.grad = None
    (a * 1.0).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 1.0])


def test_detect_anomaly_names_the_op_and_the_users_line():
    a = t.tensor([0.0, 1.0], requires_grad=True)
    with t.detect_anomaly():
        out = a.sqrt().sum()
        with pytest.raises(RuntimeError, match=r"(?s)SqrtBackward.*inf.*test_engine_semantics\.py"):
            out.backward()


def test_a_100000_node_chain_backpropagates():
    a = t.tensor([0.3], requires_grad=True)
    h = a
    for _ in range(100_000):
        h = h * 1.0
    h.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [1.0])


# --- what a graph keeps alive -------------------------------------------------------------------


def test_an_intermediate_no_backward_needs_dies_after_the_forward():
    x = t.tensor(np.linspace(0, 1, 1000), requires_grad=True)
    h = x.tanh()  # tanh keeps its output: tanh's backward needs it
    square = h * h  # mul keeps both operands: each one's gradient needs the other
    scaled = 0.5 * square  # needs only 0.5 for square's gradient, not square itself
    loss = scaled.sum()
    watched = weakref.ref(square.detach().numpy())
    kept = weakref.ref(h.detach().numpy())
    del h, square, scaled
    gc.collect()
    assert watched() is None
    assert kept() is not None
    loss.backward()
    del loss
    gc.collect()
    assert kept() is None  # backward released what the graph saved
    tanh = np.tanh(np.linspace(0, 1, 1000))
    expected = 2 * 0.5 * tanh * (1 - tanh**2)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)


# --- the backward loop's own short paths ------------------------------------------------------


def test_backward_turns_recording_off_inside_and_restores_it_even_when_it_fails():
    a = t.tensor([1.0, 2.0], requires_grad=True)
    modes = []
    a.register_hook(lambda g: modes.append(t.is_grad_enabled()))
    out = (a * a).sum()
    out.backward()
    assert modes == [False] and t.is_grad_enabled()
    with pytest.raises(RuntimeError, match="second time"):
        out.backward()  # the graph was freed: the engine raises from inside its loop
    assert t.is_grad_enabled()
    b = t.tensor([1.0], requires_grad=True)
    with t.no_grad():
        with t.enable_grad():
            (b * 2).sum().backward()
        assert not t.is_grad_enabled()  # backward restored the mode it found, not True


def test_a_chain_that_branches_late_still_runs_every_consumer_first():
    # a -> exp -> (two consumers) -> ...: the engine keeps a lone waiting node outside its heap,
    # and must move it into the heap when a second node starts waiting.
    a = t.tensor([0.3, 0.7], requires_grad=True)
    h = a.exp().tanh()
    out = (h * 2.0 + h.sigmoid() * h).sum()
    out.backward()
    h0 = np.tanh(np.exp([0.3, 0.7]))
    s = 1 / (1 + np.exp(-h0))
    dh = 2 + s + h0 * s * (1 - s)
    expected = dh * (1 - h0**2) * np.exp([0.3, 0.7])
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-5)


def test_mm_and_sum_short_paths_keep_their_rules():
    x = t.tensor(np.ones((2, 3), np.float32))
    w = t.tensor(np.ones((3, 1), np.float64), requires_grad=True)
    with pytest.raises(RuntimeError, match="same dtype, but got: float != double"):
        x.mm(w)  # PyTorch refuses to promote in a matrix product
    with pytest.raises(RuntimeError, match="mat2 must be a matrix"):
        x.mm(t.ones(3))
    with pytest.raises(RuntimeError, match="self must be a matrix"):
        t.ones(3).mm(w)
    y = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    total = y.sum()
    assert total.shape == () and total.item() == 10.0 and total.grad_fn.dims == (0, 1)
    with pytest.raises(TypeError, match="keepdim"):
        y.sum(keepdim=0)
    assert y.sum(keepdim=True).shape == (1, 1)
