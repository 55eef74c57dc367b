"""The backward engine: shared subgraphs, deep graphs, accumulation, freed graphs, grad mode, and
in-place operations with their version counters."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t


@pytest.fixture(autouse=True)
def _grad_mode_back_on():
    # A failing grad-mode test must not leave recording off for the tests after it.
    yield
    t.set_grad_enabled(True)


def f64(values, requires_grad: bool = True) -> t.Tensor:
    return t.tensor(np.array(values, dtype=np.float64), requires_grad=requires_grad)


# ---------------------------------------------------------------------------------------------
# Graphs where one value reaches the output along several paths
# ---------------------------------------------------------------------------------------------


def test_a_tensor_used_twice():
    # b = 2a, c = 2b = 4a: both uses of a (and of b) must be added, not the last one kept.
    a = f64([1.0, -2.0])
    b = a + a
    c = b + b
    c.sum().backward()
    assert a.grad.tolist() == [4.0, 4.0]


def test_a_tensor_multiplied_by_itself():
    a = f64([3.0, -0.5])
    (a * a).sum().backward()
    assert a.grad.tolist() == [6.0, -1.0]  # d(a²)/da = 2a


def test_a_diamond():
    # a feeds b and c, which meet again in d = b * c = 6a²: dd/da = 12a.
    a = f64([1.0, 2.0])
    b = a * 2
    c = a * 3
    d = b * c
    d.sum().backward()
    assert a.grad.tolist() == [12.0, 24.0]


def test_diamonds_stacked():
    # x -> y = exp(x) -> (y * 2, y * y) -> sum: d/dx = (2 + 2y) * y, with y used by three ops.
    x = f64([0.3, -1.2])
    y = x.exp()
    out = (y * 2 + y * y).sum()
    out.backward()
    ey = np.exp(np.array([0.3, -1.2]))
    np.testing.assert_allclose(x.grad.numpy(), (2 + 2 * ey) * ey, rtol=1e-12)


def test_z_is_a_plus_b_then_y_is_z_plus_a():
    # add hands the same gradient array to both its inputs; if the engine accumulated in place
    # into that shared array, b.grad would become 2.
    a, b = f64(1.0), f64(2.0)
    z = a + b
    y = z + a
    y.backward()
    assert a.grad.item() == 2.0
    assert b.grad.item() == 1.0


def test_gradients_of_different_leaves_never_share_memory():
    a, b = f64([1.0, 2.0]), f64([3.0, 4.0])
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    with t.no_grad():
        a.grad += 10  # changing one gradient in place leaves the other alone
    assert b.grad.tolist() == [1.0, 1.0]


def test_100000_op_chain_backprops_without_recursion_and_exactly():
    # Each (+1, negate) pair multiplies the gradient by -1, exactly: 50,000 pairs give +1.
    x = f64(0.5)
    h = x
    for _ in range(50_000):
        h = -(h + 1.0)
    assert h.item() == 0.5  # -(-(0.5 + 1) + 1) = 0.5, exactly, after every pair
    h.backward()
    assert x.grad.item() == 1.0


# ---------------------------------------------------------------------------------------------
# Accumulation and freeing
# ---------------------------------------------------------------------------------------------


def test_gradients_accumulate_over_two_backwards():
    x = f64([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [3.0 + 2.0, 3.0 + 4.0]


def test_grad_can_be_reset_to_none_or_zeroed():
    x = f64([1.0])
    (x * 3).sum().backward()
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0]
    x.grad.zero_()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0]


def test_a_second_backward_through_a_freed_graph_raises():
    x = f64([1.0, 2.0])
    y = (x * x).sum()  # mul saved x (twice): the first backward frees it
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time") as err:
        y.backward()
    assert "retain_graph=True" in str(err.value)
    assert x.grad.tolist() == [2.0, 4.0]  # the failed call added nothing


def test_retain_graph_allows_a_second_backward_that_accumulates():
    x = f64([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()  # the second call did not retain


def test_a_graph_that_saved_nothing_can_be_backpropagated_again():
    # As in PyTorch: add and sum keep no arrays, so there is nothing to free.
    x = f64([1.0, 2.0])
    y = (x + 1).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_backward_releases_saved_arrays():
    x = f64([1.0, 2.0])
    m = x * x
    m.sum().backward()
    assert m.grad_fn.saved is None


def test_backward_with_an_explicit_gradient():
    x = f64([1.0, 2.0])
    y = x * 3
    y.backward(gradient=t.tensor([1.0, 10.0]))
    assert x.grad.tolist() == [3.0, 30.0]


def test_retain_grad_on_a_non_leaf():
    x = f64([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]  # 2h
    assert x.grad.tolist() == [8.0, 16.0]


def test_retain_grad_survives_an_in_place_op():
    x = f64([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    h += 1
    h.sum().backward()
    assert h.grad.tolist() == [1.0, 1.0]  # once, from the node that now produces h


# ---------------------------------------------------------------------------------------------
# Grad mode
# ---------------------------------------------------------------------------------------------


def _records_nothing(out: t.Tensor) -> bool:
    return out.requires_grad is False and out.grad_fn is None and out.is_leaf


def test_no_grad_as_a_context_manager():
    x = f64([1.0, 2.0])
    with t.no_grad():
        y = x * 2 + 1
        assert not t.is_grad_enabled()
    assert t.is_grad_enabled()
    assert _records_nothing(y)
    assert y.tolist() == [3.0, 5.0]


# The decorators are made inside the tests: set_grad_enabled(mode) switches the mode as soon as it
# is made (as in PyTorch), so making it at import time would leave the mode switched meanwhile.
_OFF = {"no_grad()": lambda: t.no_grad(), "no_grad": lambda: t.no_grad,
        "set_grad_enabled(False)": lambda: t.set_grad_enabled(False)}  # fmt: skip
_ON = {"enable_grad()": lambda: t.enable_grad(), "enable_grad": lambda: t.enable_grad,
       "set_grad_enabled(True)": lambda: t.set_grad_enabled(True)}  # fmt: skip


@pytest.mark.parametrize("form", list(_OFF))
def test_grad_off_as_a_decorator(form):
    decorator = _OFF[form]()

    @decorator
    def double(v: t.Tensor) -> t.Tensor:
        """Doc kept."""
        assert not t.is_grad_enabled()
        return v * 2

    assert t.is_grad_enabled()  # once decorating is done, the mode is switched only in calls

    x = f64([1.0])
    assert _records_nothing(double(x))
    assert t.is_grad_enabled()
    assert double.__name__ == "double" and double.__doc__ == "Doc kept."


@pytest.mark.parametrize("form", list(_ON))
def test_grad_on_as_a_decorator_inside_no_grad(form):
    decorator = _ON[form]()

    @decorator
    def double(v: t.Tensor) -> t.Tensor:
        return v * 2

    x = f64([1.0])
    with t.no_grad():
        y = double(x)
        z = x * 2
        assert not t.is_grad_enabled()
    assert y.requires_grad and y.grad_fn is not None
    assert _records_nothing(z)
    assert t.is_grad_enabled()


def test_enable_grad_and_set_grad_enabled_as_context_managers():
    x = f64([1.0])
    with t.no_grad():
        with t.enable_grad():
            y = x * 2
        with t.set_grad_enabled(True):
            z = x * 2
        w = x * 2
    with t.set_grad_enabled(False):
        v = x * 2
    assert y.grad_fn is not None and z.grad_fn is not None
    assert _records_nothing(w) and _records_nothing(v)
    assert t.is_grad_enabled()


def test_set_grad_enabled_as_a_plain_call():
    try:
        t.set_grad_enabled(False)
        assert _records_nothing(f64([1.0]) * 2)
    finally:
        t.set_grad_enabled(True)
    assert (f64([1.0]) * 2).grad_fn is not None


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError), t.no_grad():
        raise ValueError
    assert t.is_grad_enabled()


# ---------------------------------------------------------------------------------------------
# In-place operations
# ---------------------------------------------------------------------------------------------

_INPLACE_ON_LEAF = {
    "add_": lambda w: w.add_(1), "sub_": lambda w: w.sub_(1), "mul_": lambda w: w.mul_(2),
    "div_": lambda w: w.div_(2), "zero_": lambda w: w.zero_(), "fill_": lambda w: w.fill_(3),
    "copy_": lambda w: w.copy_(t.ones(2)), "+=": lambda w: w.__iadd__(1),
    "-=": lambda w: w.__isub__(1),
}  # fmt: skip


@pytest.mark.parametrize("op", list(_INPLACE_ON_LEAF))
def test_in_place_on_a_leaf_that_requires_grad_raises(op):
    w = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad .* in-place"):
        _INPLACE_ON_LEAF[op](w)
    assert w.tolist() == [1.0, 2.0] and w._version == 0


@pytest.mark.parametrize("op", list(_INPLACE_ON_LEAF))
def test_in_place_on_a_leaf_under_no_grad_works(op):
    w = f64([1.0, 2.0])
    with t.no_grad():
        out = _INPLACE_ON_LEAF[op](w)
    assert out is w and w.is_leaf and w.requires_grad and w._version == 1


def test_a_saved_input_changed_in_place_raises_at_backward():
    x = f64([1.0, 2.0])
    h = x * 1
    m = h * h  # mul saves its inputs
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation") as err:
        m.sum().backward()
    message = str(err.value)
    assert "version 1; expected version 0" in message and "mul" in message


def test_a_saved_output_changed_in_place_raises_at_backward():
    x = f64([1.0, 2.0])
    e = (x * 1).exp()  # exp saves its output
    e.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*exp"):
        e.sum().backward()


def test_a_change_under_no_grad_is_detected_too():
    x = f64([1.0, 2.0])
    h = x * 1
    m = h * h
    with t.no_grad():
        h += 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        m.sum().backward()


def test_a_change_through_a_view_is_detected():
    # A view shares its base's memory and version counter.
    x = f64([[1.0, 2.0], [3.0, 4.0]])
    h = x * 1
    m = h * h
    with t.no_grad():
        h.reshape(4)[0] = 100.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        m.sum().backward()


def test_an_input_exp_did_not_save_may_change():
    # exp keeps its output (d exp = exp), not its input: changing the input is harmless.
    x = f64([0.0, 1.0])
    h = x * 1
    e = h.exp()
    h.add_(5)
    e.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.0, 1.0]), rtol=1e-12)


def test_an_output_mul_did_not_save_may_change():
    # mul keeps its inputs, not its output.
    x = f64([1.0, 2.0])
    m = x * 3
    m.add_(1)
    m.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_recorded_in_place_on_a_non_leaf():
    x = f64([1.0, 2.0])
    h = x * 2
    h += 1
    assert h.grad_fn.name == "add" and not h.is_leaf
    h.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    assert h.tolist() == [3.0, 5.0]


def test_a_chain_of_recorded_in_place_ops():
    x = f64([1.0, 2.0])
    h = x * 2
    h += x  # 3x
    h *= x  # 3x²
    h -= 1
    h /= 3  # x² - 1/3
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0], rtol=1e-12)


def test_in_place_on_a_constant_with_an_operand_that_requires_grad():
    x = f64([1.0, 2.0])
    c = t.zeros(2, dtype=t.float64)
    c.add_(x * 3)
    assert c.requires_grad and c.grad_fn is not None
    c.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


@pytest.mark.parametrize("overwrite", ["fill_", "zero_", "copy_"])
def test_overwriting_a_non_leaf_stops_its_old_gradient(overwrite):
    x = f64([1.0, 2.0])
    h = x * 2
    {"fill_": lambda: h.fill_(7), "zero_": lambda: h.zero_(),
     "copy_": lambda: h.copy_(t.ones(2))}[overwrite]()  # fmt: skip
    h.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]  # as in PyTorch: zeros, not None and not an error


def test_seed_style_update_under_no_grad():
    t.manual_seed(0)
    x = t.rand(20, 1)
    y = 2 * x + 3
    w = t.randn(1, 1, requires_grad=True)
    b = t.randn(1, 1, requires_grad=True)
    lr = 0.5
    first = None
    for _ in range(50):
        loss = ((x.mm(w) + b.expand_as(y) - y) ** 2).mean()
        loss.backward()
        first = first if first is not None else loss.item()
        with t.no_grad():
            grad_w = w.grad.clone()
            before = w.clone()
            w -= lr * w.grad
            b.sub_(lr * b.grad)
            w.grad.zero_()
            b.grad.zero_()
        np.testing.assert_allclose(w.detach().numpy(), (before - lr * grad_w).numpy())
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert loss.item() < first / 10


def test_augmented_assignment_keeps_the_tensor():
    w = f64([1.0, 2.0])
    ident = id(w)
    with t.no_grad():
        w -= 0.5
        w += t.tensor([1.0, 1.0], dtype=t.float64)
        w *= 2
    assert id(w) == ident and w.tolist() == [3.0, 5.0]


def test_in_place_must_keep_the_shape():
    h = t.zeros(2)
    with pytest.raises(RuntimeError, match=r"output with shape \(2,\) doesn't match .* \(3, 2\)"):
        h.add_(t.ones(3, 2))


def test_recorded_inplace_is_refused_only_while_another_tensor_shares_the_memory():
    x = t.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    view = h[0]
    with pytest.raises(RuntimeError, match=r"add_: in-place change of a tensor that shares "
                                           r"memory with another live tensor"):
        h.add_(1)
    del view  # nothing else looks at h's memory now: the change is safe, as in PyTorch
    h.add_(1)
    detached = h.detach()
    with pytest.raises(RuntimeError, match="shares memory with another live tensor"):
        h.mul_(2)
    del detached
    h.mul_(2)  # h = (3x + 1) * 2
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])
    # A broadcast partner's expand view dies right after the op: the in-place op is allowed.
    g = x * 1
    _ = g.reshape(2, 1) + t.ones(2, 3)
    g.sub_(1)
    assert g.grad_fn.name == "sub"
