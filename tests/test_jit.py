"""jit.TrainStep replays its recorded kernels with exactly the results of the ordinary step."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.jit import TrainStep


def seed_loss(x, y, w, b):
    return (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()


def shared_loss(x, y, w, b):
    # h is used three times (the engine adds its gradients), w twice more (w * w: the leaf
    # receives several gradients), and a no-grad op on the data feeds the graph.
    h = x.mm(w)
    target = y * 2 - 1
    return (h * h + h * b.expand_as(h) - target).tanh().sum() + (w * w).sum() * 0.1


def ordinary_step(loss_fn, x, y, w, b, lr):
    loss = loss_fn(x, y, w, b)
    loss.backward()
    with t.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad = None
    b.grad = None
    return loss


def batches(n, rows, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        x = (rng.random((rows, 1)) * 5).astype(dtype)
        y = (x * 2 + 3 + rng.standard_normal((rows, 1))).astype(dtype)
        yield t.from_numpy(x), t.from_numpy(y)


@pytest.mark.parametrize("loss_fn", [seed_loss, shared_loss])
def test_replays_agree_bit_for_bit_with_the_ordinary_step(loss_fn):
    w, b = t.tensor([[0.3]], requires_grad=True), t.zeros(1, 1, requires_grad=True)
    w2, b2 = t.tensor([[0.3]], requires_grad=True), t.zeros(1, 1, requires_grad=True)
    step = TrainStep(lambda x, y: loss_fn(x, y, w, b), [w, b], lr=0.01)
    for x, y in batches(30, 4):
        loss = step(x, y)
        expected = ordinary_step(loss_fn, x, y, w2, b2, 0.01)
        assert loss.data.tobytes() == expected.data.tobytes()
        assert w.data.tobytes() == w2.data.tobytes() and b.data.tobytes() == b2.data.tobytes()
    assert len(step.traces) == 1  # recorded once, replayed 29 times
    assert w.grad is None and b.grad is None and w.is_leaf and w.requires_grad
    assert not loss.requires_grad and w._version == w2._version
    w.grad = t.ones(1, 1)  # the ordinary step would add to it: a replay refuses
    with pytest.raises(RuntimeError, match="set between steps"):
        step(x, y)


def test_new_shapes_or_dtypes_record_a_trace_of_their_own():
    w, b = t.tensor([[0.3]], requires_grad=True), t.zeros(1, 1, requires_grad=True)
    w2, b2 = t.tensor([[0.3]], requires_grad=True), t.zeros(1, 1, requires_grad=True)
    step = TrainStep(lambda x, y: seed_loss(x, y, w, b), [w, b], lr=0.01)
    for rows in (4, 7, 4, 7):
        for x, y in batches(3, rows, seed=rows):
            step(x, y)
            ordinary_step(seed_loss, x, y, w2, b2, 0.01)
    assert len(step.traces) == 2
    assert w.data.tobytes() == w2.data.tobytes() and b.data.tobytes() == b2.data.tobytes()


def test_what_a_replay_could_not_repeat_is_refused_when_recording():
    w = t.tensor([[0.3]], requires_grad=True)
    x, y = next(batches(1, 4))

    def in_place(x, y):
        h = x.mm(w)
        h += 1
        return h.sum()

    with pytest.raises(RuntimeError, match="in place"):
        TrainStep(in_place, [w], lr=0.1)(x, y)

    kept = []

    def retains(x, y):
        h = x.mm(w)
        h.retain_grad()
        kept.append(h)  # alive during backward, so its .grad would be filled
        return h.sum()

    with pytest.raises(RuntimeError, match="retains its grad"):
        TrainStep(retains, [w], lr=0.1)(x, y)

    other = t.ones(1, 1, requires_grad=True)
    with pytest.raises(RuntimeError, match="not one of its params"):
        TrainStep(lambda x, y: (x.mm(w) * other).sum(), [w], lr=0.1)(x, y)

    w.grad = t.ones(1, 1)
    with pytest.raises(RuntimeError, match="must be None"):
        TrainStep(lambda x, y: x.mm(w).sum(), [w], lr=0.1)(x, y)
    w.grad = None

    with t.detect_anomaly(), pytest.raises(RuntimeError, match="anomaly"):
        TrainStep(lambda x, y: x.mm(w).sum(), [w], lr=0.1)(x, y)
    with pytest.raises(TypeError, match="leaf tensors"):
        TrainStep(lambda x, y: x.sum(), [x.mm(w)], lr=0.1)
