"""Memory: backward frees what the graph saved, training does not leak, graphs form no cycles.

A graph is a chain of references from the loss back to the leaves: loss -> grad_fn -> inputs ->
... Nothing points the other way (a node refers to its output only by a weak reference), so when
the last reference to the loss goes, reference counting frees the whole graph at once, without
waiting for the cycle collector. These tests check that with weakrefs while `gc` is disabled, and
measure a training loop with tracemalloc.
"""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core.engine import Function, topological_order

# The flagship's training step: the seed's model y = x·w + b on batches of 4 from
# y = 2x + 3 + noise, with autograd's gradients and an SGD update under no_grad.
LR = 0.02


def make_params():
    t.manual_seed(1000)
    return t.rand(1, 1, requires_grad=True), t.zeros(1, 1, requires_grad=True)


def flagship_step(w, b):
    x = t.rand(4, 1) * 5
    y = x * 2 + 3 + t.randn(4, 1)
    y_pred = x.mm(w) + b.expand_as(y)
    loss = (0.5 * (y_pred - y) ** 2).mean()
    loss.backward()
    with t.no_grad():
        w.sub_(LR * w.grad)
        b.sub_(LR * b.grad)
    w.grad = None
    b.grad = None
    return loss.item()


def traced_now() -> int:
    return tracemalloc.get_traced_memory()[0]


# ---------------------------------------------------------------------------------------------
# backward frees the saved arrays
# ---------------------------------------------------------------------------------------------


def test_backward_frees_every_saved_array():
    w, b = make_params()
    x = t.rand(4, 1) * 5
    y_pred = x.mm(w) + b.expand_as(x)
    loss = (0.5 * (y_pred - x) ** 2).mean()
    nodes = topological_order(loss.grad_fn)
    saving = [n for n in nodes if n.saved]
    assert {n.name for n in saving} >= {"mm", "pow", "mul"}  # the graph did save arrays
    loss.backward()
    assert all(n.saved is None for n in saving)
    assert all(n.saved in (None, ()) for n in nodes)
    assert all(n.saved_owners == () for n in saving)  # nor are the tensors they belonged to kept


def test_intermediate_arrays_die_at_backward_while_the_loss_lives():
    w = t.rand(3, 1, requires_grad=True)
    x = t.rand(5, 3)
    loss = ((x.mm(w) - 1.0) ** 2).sum()
    # The residual x·w - 1 is held only by the pow node (saved for d(r²) = 2r).
    (pow_node,) = [n for n in topological_order(loss.grad_fn) if n.name == "pow"]
    (residual,) = pow_node.saved
    residual_ref = weakref.ref(residual)
    del residual
    assert residual_ref() is not None
    loss.backward()
    assert residual_ref() is None
    assert loss.item() > 0 and loss.grad_fn is not None  # the loss itself is untouched


def test_retain_graph_keeps_the_saved_arrays_until_the_last_backward():
    w = t.rand(3, requires_grad=True)
    loss = (w * w).sum()
    (mul_node,) = [n for n in topological_order(loss.grad_fn) if n.name == "mul"]
    loss.backward(retain_graph=True)
    assert mul_node.saved is not None and len(mul_node.saved) == 2
    loss.backward()
    assert mul_node.saved is None
    np.testing.assert_allclose(w.grad.numpy(), 4 * w.detach().numpy(), rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# A training loop holds memory flat
# ---------------------------------------------------------------------------------------------


def measure_growth(step, warmup: int, first: int, last: int) -> tuple[int, int]:
    """Traced memory after step `first` and after step `last` (both after `warmup` steps)."""
    # The warm-up runs traced too. CPython keeps freed small objects on free lists (up to 2,000
    # tuples of each size) and reuses them; blocks freed before tracing began are reused without
    # being traced, and are replaced on the lists by traced ones, so right after `start()` the
    # traced total creeps up to the lists' capacity. After the warm-up it has levelled off; a leak
    # does not level off.
    # (A full gc.collect() empties those lists, so it comes before, not after, the warm-up.)
    gc.collect()
    tracemalloc.start()
    for _ in range(warmup):
        step()
    try:
        at_first = None
        for i in range(1, last + 1):
            step()
            if i == first:
                at_first = traced_now()
        at_last = traced_now()
    finally:
        tracemalloc.stop()
    return at_first, at_last


# Traced memory may move by a few small objects between two points of a loop (free lists, the
# allocator's caches); a leak of one graph per step would be ~1,500 steps × several KB.
TOLERANCE_BYTES = 16 * 1024


def test_flagship_training_loop_holds_memory_flat():
    w, b = make_params()
    at_500, at_2000 = measure_growth(lambda: flagship_step(w, b), warmup=3000, first=500,
                                     last=2000)
    assert at_2000 - at_500 < TOLERANCE_BYTES, (at_500, at_2000)
    # And the loop did train: the fit is close to y = 2x + 3.
    assert abs(w.item() - 2) < 0.5 and abs(b.item() - 3) < 0.5


def test_the_memory_measure_does_detect_a_leak():
    # Keeping every loss keeps every graph alive: the same measure must see it grow.
    w, b = make_params()
    kept = []

    def leaky_step():
        x = t.rand(4, 1) * 5
        loss = ((x.mm(w) + b.expand_as(x) - x) ** 2).mean()
        loss.backward()
        kept.append(loss)

    at_100, at_400 = measure_growth(leaky_step, warmup=20, first=100, last=400)
    assert at_400 - at_100 > 3 * TOLERANCE_BYTES, (at_100, at_400)


# ---------------------------------------------------------------------------------------------
# No reference cycles: reference counting alone frees graphs
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def gc_disabled():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _graph_flagship():
    w, b = make_params()
    x = t.rand(4, 1) * 5
    y = x * 2 + 3
    loss = (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).mean()
    loss.backward()
    return loss, [w, b, x, y]


def _graph_views_and_indexing():
    a = t.rand(3, 4, requires_grad=True)
    v = a.reshape(4, 3).t().unsqueeze(0).squeeze(0)[1:, ::2]
    loss = (v.expand(2, 2, 2).sum(0) * a[0, :2]).sum()
    loss.backward()
    return loss, [a, v]


def _graph_inplace_and_retain_grad():
    a = t.rand(3, requires_grad=True)
    h = a * 2
    h.retain_grad()
    h.add_(1.0)  # in place on a non-leaf: h's grad_fn moves to the add node
    loss = (h * h).sum()
    loss.backward()
    return loss, [a, h, h.grad]


def _graph_retained_then_dropped():
    a = t.rand(3, requires_grad=True)
    loss = (a.exp() * a.sigmoid()).sum()
    loss.backward(retain_graph=True)  # its saved arrays stay until the graph is dropped
    return loss, [a]


def _graph_failed_backward():
    a = t.rand(3, requires_grad=True)
    h = a * 1.0
    loss = (h * h).sum()
    h.add_(1.0)  # invalidates what mul saved
    try:
        loss.backward()
    except RuntimeError:
        pass
    else:
        raise AssertionError("backward should have failed")
    return loss, [a, h]


def _graph_anomaly_mode():
    a = t.rand(3, requires_grad=True)
    with t.detect_anomaly():
        loss = (a.sqrt() * a).sum()
        loss.backward()
    return loss, [a]


GRAPHS = [_graph_flagship, _graph_views_and_indexing, _graph_inplace_and_retain_grad,
          _graph_retained_then_dropped, _graph_failed_backward, _graph_anomaly_mode]


@pytest.mark.parametrize("build", GRAPHS, ids=[g.__name__.removeprefix("_graph_") for g in GRAPHS])
def test_graph_is_freed_by_reference_counting_alone(build, gc_disabled):
    loss, tensors = build()
    nodes = topological_order(loss.grad_fn)
    assert len(nodes) >= 3
    node_refs = [weakref.ref(n) for n in nodes]
    tensor_refs = [weakref.ref(x) for x in tensors + [loss]]
    grad_refs = [weakref.ref(x.grad) for x in tensors if x.is_leaf and x.grad is not None]
    del loss, tensors, nodes
    alive = [r() for r in node_refs + tensor_refs + grad_refs if r() is not None]
    assert alive == [], f"kept alive without gc: {alive}"


def test_a_training_step_leaves_no_garbage_for_the_collector(gc_disabled):
    w, b = make_params()
    flagship_step(w, b)  # first-call caches outside the measured steps
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what a collection finds, to name it
    try:
        for _ in range(5):
            flagship_step(w, b)
        found = gc.collect()
        ours = [o for o in gc.garbage if isinstance(o, (t.Tensor, Function, np.ndarray))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []
    assert found == 0
