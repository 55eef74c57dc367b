"""Anomaly mode, gradient hooks and retain_grad, checked against what PyTorch does.

Anomaly mode must name the op whose backward produced the first nan/inf and the line of *this*
file where that op ran forward, whether the op was called as a method, an operator or a module
function. Hooks must see (and may replace) a tensor's whole gradient, once per backward.
"""

import inspect
import os
import sys
import warnings

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.core.engine import _Mode as _GradMode

THIS_FILE = os.path.basename(__file__)


def next_line() -> int:
    """The line number just after the caller's line: put the op under test there."""
    return inspect.currentframe().f_back.f_lineno + 1


def leaf(values, dtype=t.float64) -> t.Tensor:
    return t.tensor(values, dtype=dtype, requires_grad=True)


@pytest.fixture(autouse=True)
def _anomaly_mode_is_restored():
    # Every test must leave anomaly mode as it found it (off), whatever it raised.
    yield
    assert not t.is_anomaly_enabled()
    assert t.is_anomaly_check_nan_enabled()


# ---------------------------------------------------------------------------------------------
# Anomaly mode: the op and the user's line
# ---------------------------------------------------------------------------------------------


def _forward_sqrt_method(x):
    line = next_line()
    y = x.sqrt()
    return y.sum(), line


def _forward_pow_operator(x):
    line = next_line()
    y = x**0.5
    return y.sum(), line


def _forward_log_function(x):
    line = next_line()
    y = t.log(x)
    return y.sum(), line


def _forward_div_operator(x):
    line = next_line()
    y = 1.0 / x
    return y.sum(), line


def _forward_mul_of_nan(x):
    # nan in the data: x * x has the gradient 2x, nan where x is nan.
    line = next_line()
    y = x * x
    return y.sum(), line


def _forward_zero_times_inf(x):
    # √0 = 0 forward, but its backward is g / (2·0) = 0 / 0 = nan once g is 0.
    line = next_line()
    y = x.sqrt()
    return (y * 0.0).sum(), line


ANOMALIES = [
    # (forward, input values, Backward name, op name, "nan" or "inf", which input's gradient)
    (_forward_sqrt_method, [0.0, 1.0], "SqrtBackward0", "sqrt", "inf", 0),
    (_forward_pow_operator, [0.0, 4.0], "PowBackward0", "pow", "inf", 0),
    (_forward_log_function, [0.0, 2.0], "LogBackward0", "log", "inf", 0),
    (_forward_div_operator, [0.0, 2.0], "DivBackward0", "div", "inf", 1),  # x is the divisor
    (_forward_mul_of_nan, [float("nan"), 1.0], "MulBackward0", "mul", "nan", 0),
    (_forward_zero_times_inf, [0.0, 1.0], "SqrtBackward0", "sqrt", "nan", 0),
]


@pytest.mark.parametrize(("forward", "values", "backward_name", "op", "what", "index"),
                         ANOMALIES,
                         ids=[a[0].__name__.removeprefix("_forward_") for a in ANOMALIES])
def test_anomaly_names_the_op_and_the_forward_line(forward, values, backward_name, op, what,
                                                   index):
    x = leaf(values)
    with t.detect_anomaly():
        loss, line = forward(x)
        with pytest.raises(RuntimeError) as info:
            loss.backward()
    msg = str(info.value)
    assert f"Function '{backward_name}' returned {what} values in its {index}th output" in msg
    assert f"`{op}`" in msg
    # The innermost frame shown is this file at the forward op's line, not the package's code.
    assert f'File "{__file__}", line {line}' in msg
    assert f"{THIS_FILE}" in msg and f"line {line}" in msg
    assert "tinygrad_lr" + os.sep not in msg.split("was run at")[1]
    assert x.grad is None  # nothing was accumulated from a failed backward


def test_anomaly_shows_the_call_chain_through_user_functions():
    # The op runs in a helper; the report shows the helper's line and the line that called it.
    x = leaf([0.0])
    with t.detect_anomaly():
        call_line = next_line()
        loss, op_line = _forward_sqrt_method(x)
        with pytest.raises(RuntimeError) as info:
            loss.backward()
    msg = str(info.value)
    assert f"line {op_line}, in _forward_sqrt_method" in msg
    assert f"line {call_line}, in test_anomaly_shows_the_call_chain" in msg
    assert msg.index(f"line {call_line}") < msg.index(f"line {op_line}")  # most recent call last


def test_anomaly_reports_the_first_bad_gradient_in_backward_order():
    # Two bad ops: backward meets log (later in the forward pass) first.
    x = leaf([0.0, 1.0])
    with t.detect_anomaly():
        y = x.sqrt()
        log_line = next_line()
        z = (y + 0.0).log()
        with pytest.raises(RuntimeError, match="LogBackward") as info:
            z.sum().backward()
    assert f"line {log_line}" in str(info.value)


def test_without_anomaly_mode_inf_gradients_pass_silently():
    # As in PyTorch: nan/inf gradients are not errors unless anomaly mode is on.
    x = leaf([0.0, 4.0])
    x.sqrt().sum().backward()
    assert np.isinf(x.grad.numpy()[0]) and x.grad.numpy()[1] == pytest.approx(0.25)


def test_anomaly_on_only_during_backward_still_catches_and_says_how_to_locate():
    x = leaf([0.0])
    y = x.sqrt().sum()  # recorded without anomaly mode: no location is known
    with t.detect_anomaly(), pytest.raises(RuntimeError) as info:
        y.backward()
    msg = str(info.value)
    assert "SqrtBackward" in msg and "inf" in msg
    assert "run the forward pass inside detect_anomaly()" in msg


def test_anomaly_check_nan_false_records_places_but_lets_nan_through():
    x = leaf([0.0])
    with t.detect_anomaly(check_nan=False):
        assert t.is_anomaly_enabled() and not t.is_anomaly_check_nan_enabled()
        x.sqrt().sum().backward()
    assert np.isinf(x.grad.numpy()[0])


def test_anomaly_as_a_decorator():
    @t.detect_anomaly()
    def train_step(x):
        assert t.is_anomaly_enabled()
        x.sqrt().sum().backward()

    assert not t.is_anomaly_enabled()  # decorating switches nothing on
    with pytest.raises(RuntimeError, match="SqrtBackward"):
        train_step(leaf([0.0]))
    assert not t.is_anomaly_enabled()


def test_set_detect_anomaly_plain_call_context_and_decorator():
    t.set_detect_anomaly(True)
    try:
        assert t.is_anomaly_enabled()
        with t.set_detect_anomaly(False):
            assert not t.is_anomaly_enabled()
            x = leaf([0.0])
            x.sqrt().sum().backward()  # off here: no error
        assert t.is_anomaly_enabled()  # restored
        with pytest.raises(RuntimeError, match="SqrtBackward"):
            leaf([0.0]).sqrt().sum().backward()
    finally:
        t.set_detect_anomaly(False)
    assert not t.is_anomaly_enabled()

    @t.set_detect_anomaly(True)
    def step():
        return t.is_anomaly_enabled()

    assert not t.is_anomaly_enabled() and step() and not t.is_anomaly_enabled()
    with pytest.raises(TypeError, match="expects a bool"):
        t.set_detect_anomaly("yes")


def test_detect_anomaly_nests_and_restores_after_an_error():
    with t.detect_anomaly():
        with t.detect_anomaly(check_nan=False):
            assert not t.is_anomaly_check_nan_enabled()
        assert t.is_anomaly_enabled() and t.is_anomaly_check_nan_enabled()
        with pytest.raises(ValueError), t.detect_anomaly(check_nan=False):
            raise ValueError("boom")
        assert t.is_anomaly_check_nan_enabled()
    assert not t.is_anomaly_enabled()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes need Python 3.11")
def test_anomaly_adds_the_forward_line_to_other_backward_errors():
    # A saved tensor changed in place: the error also says where the op that saved it ran.
    x = leaf([1.0, 2.0])
    with t.detect_anomaly():
        h = x * 1.0
        line = next_line()
        y = h * h  # saves h
        h.add_(1.0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
            y.sum().backward()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "backward of `mul`" in notes and f"line {line}" in notes and THIS_FILE in notes


def test_anomaly_mode_does_not_change_gradients():
    x = leaf([0.5, 1.5, 2.5])
    (x.exp() * x.sqrt()).sum().backward()
    expected = x.grad.numpy().copy()
    x.grad = None
    with t.detect_anomaly():
        (x.exp() * x.sqrt()).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), expected)


# ---------------------------------------------------------------------------------------------
# NaN and inf in the data: allowed, propagated, caught by anomaly mode
# ---------------------------------------------------------------------------------------------


def test_nan_and_inf_in_data_are_allowed_and_propagate_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning either
        x = t.tensor([float("nan"), float("inf"), -float("inf"), 1.0])
        np.testing.assert_array_equal((x * 2 + 1).detach().numpy(), [np.nan, np.inf, -np.inf, 3.0])
        assert np.isnan(x.sum().item()) and np.isnan(x.mean().item())
        np.testing.assert_array_equal(x.exp().numpy(), np.exp(x.numpy()))  # [nan, inf, 0, e]
        np.testing.assert_array_equal((x > 0).detach().numpy(), [False, True, False, True])
        for op in ("neg", "exp", "tanh", "sigmoid", "relu", "sqrt", "log"):
            assert np.isnan(getattr(x, op)().numpy()[0]), op  # nan in, nan out, for every op
        np.testing.assert_array_equal(x.sigmoid().detach().numpy()[1:3], [1.0, 0.0])
        # Outside a function's domain the result is nan or inf, as in PyTorch, without warnings.
        y = t.tensor([-1.0, 0.0, 1000.0])
        assert np.isnan(y.log().detach().numpy()[0]) and y.log().detach().numpy()[1] == -np.inf
        assert np.isnan(y.sqrt().detach().numpy()[0]) and y.exp().detach().numpy()[2] == np.inf
        assert (1 / y).detach().numpy()[1] == np.inf and np.isnan((y**0.5).detach().numpy()[0])


def test_nan_in_data_gives_finite_gradients_where_the_rule_does_not_touch_it():
    # d(2x)/dx = 2 whatever x is: PyTorch gives 2 and no anomaly; so do we.
    x = leaf([float("nan"), 1.0])
    with t.detect_anomaly():
        (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


@pytest.mark.parametrize(
    ("name", "make_loss", "expected"),
    [
        ("sqrt at 0", lambda x: x.sqrt().sum(), [np.inf]),  # 1/(2√x)
        ("log at 0", lambda x: x.log().sum(), [np.inf]),  # 1/x
        ("1/x at 0", lambda x: (1 / x).sum(), [-np.inf]),  # -1/x²
        ("x ** 0.5 at 0", lambda x: (x**0.5).sum(), [np.inf]),  # 0.5·x^-0.5
        ("x ** -1 at 0", lambda x: (x**-1).sum(), [-np.inf]),  # -x^-2
        ("mean of nothing", lambda x: x[:0].mean(), [0.0]),  # g/0 spread over no element
    ],
)
def test_gradients_outside_a_domain_are_inf_or_nan_without_numpy_warnings(name, make_loss,
                                                                          expected):  # fmt: skip
    # As in PyTorch: the value is what the rule gives, and no RuntimeWarning points into ops.py.
    x = leaf([0.0])
    loss = make_loss(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), expected, err_msg=name)


def test_the_seed_step_backward_runs_without_warnings():
    x = t.tensor([[1.0], [2.0]])
    y = t.tensor([[3.0], [5.0]])
    w, b = leaf([[0.5]], t.float32), leaf([[0.0]], t.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum().backward()
    # ŷ - y = [0.5 - 3, 1 - 5] = [-2.5, -4]: dw = Σ x(ŷ - y) = -2.5 - 8, db = Σ (ŷ - y)
    np.testing.assert_allclose(w.grad.numpy(), [[-10.5]])
    np.testing.assert_allclose(b.grad.numpy(), [[-6.5]])


def test_nan_data_reaching_a_gradient_is_caught_by_anomaly_mode():
    x = leaf([1.0, float("inf")])
    w = leaf([2.0, 3.0])
    with t.detect_anomaly():
        line = next_line()
        loss = (x * w).sum()  # dL/dw = x holds inf
        with pytest.raises(RuntimeError, match="returned inf values in its 1th output") as info:
            loss.backward()
    assert f"line {line}" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def test_hook_on_a_leaf_sees_and_can_replace_its_gradient():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.detach().numpy().copy()))
    x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])  # the true gradient
    np.testing.assert_array_equal(x.grad.numpy(), [30.0, 30.0])  # the replacement


def test_hook_on_a_non_leaf_replaces_what_flows_back():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.register_hook(lambda g: g * 10)
    (h * h).sum().backward()
    # dL/dh = 2h = [4, 8], replaced by [40, 80]; dL/dx = 2 · that.
    np.testing.assert_array_equal(x.grad.numpy(), [80.0, 160.0])


def test_hooks_run_in_registration_order():
    x = leaf([1.0])
    x.register_hook(lambda g: g * 2)
    x.register_hook(lambda g: g + 1)
    (x * 3).sum().backward()
    assert x.grad.item() == 7.0  # (3 · 2) + 1, not (3 + 1) · 2


def test_hook_on_a_leaf_used_twice_sees_the_summed_gradient_once():
    x = leaf([1.0, 2.0])
    calls = []
    x.register_hook(lambda g: calls.append(g.detach().numpy().copy()))
    (x * 3 + x * 5).sum().backward()
    assert len(calls) == 1
    np.testing.assert_array_equal(calls[0], [8.0, 8.0])
    np.testing.assert_array_equal(x.grad.numpy(), [8.0, 8.0])


def test_replacing_hook_on_a_leaf_used_twice_applies_once():
    x = leaf([1.0])
    x.register_hook(lambda g: g + 100)
    (x * 3 + x * 5).sum().backward()
    assert x.grad.item() == 108.0  # (3 + 5) + 100: the hook ran once, on the total


def test_hook_on_a_non_leaf_used_twice_sees_the_summed_gradient_once():
    x = leaf([1.0])
    h = x * 1
    calls = []
    h.register_hook(lambda g: calls.append(g.item()))
    (h * 3 + h * 5).sum().backward()
    assert calls == [8.0] and x.grad.item() == 8.0


def test_hook_on_the_loss_scales_every_gradient():
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()
    loss.register_hook(lambda g: g * 3)
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 12.0])


def test_hook_on_a_leaf_runs_when_backward_starts_at_the_leaf():
    x = t.tensor(2.0, requires_grad=True)
    x.register_hook(lambda g: g * 5)
    x.backward()
    assert x.grad.item() == 5.0


def test_hook_runs_on_every_backward_and_gradients_still_accumulate():
    x = leaf([1.0])
    calls = []
    x.register_hook(lambda g: calls.append(g.item()) or g + 1)
    y = (x * 3).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert calls == [3.0, 3.0] and x.grad.item() == 8.0  # (3 + 1) + (3 + 1)


def test_removed_hook_is_not_called():
    x = leaf([1.0])
    calls = []
    handle = x.register_hook(lambda g: calls.append(1) or g * 2)
    handle.remove()
    handle.remove()  # a second remove does nothing
    (x * 3).sum().backward()
    assert calls == [] and x.grad.item() == 3.0


def test_removing_one_of_two_registrations_of_the_same_function_keeps_the_other():
    x = leaf([1.0])

    def double(g):
        return g * 2

    first = x.register_hook(double)
    x.register_hook(double)
    first.remove()
    (x * 3).sum().backward()
    assert x.grad.item() == 6.0  # doubled once, not twice, not zero times


def test_hook_handle_as_a_context_manager_and_on_a_non_leaf():
    x = leaf([1.0])
    h = x * 1
    with h.register_hook(lambda g: g * 2):
        pass  # removed on leaving the block
    (h * 3).sum().backward()
    assert x.grad.item() == 3.0


def test_hook_that_changes_its_argument_in_place_changes_only_that_gradient():
    # add hands one array to both inputs. PyTorch gives b.grad = 10 here (the hook's in-place
    # change reaches the sibling); we hand each hook its own copy, so b keeps its true gradient.
    a, b = leaf([1.0]), leaf([1.0])
    a.register_hook(lambda g: g.mul_(10))
    (a + b).sum().backward()
    assert a.grad.item() == 10.0 and b.grad.item() == 1.0


def test_hook_on_a_non_leaf_changing_its_argument_in_place():
    x = leaf([1.0, 2.0])
    h = x * 1
    h.register_hook(lambda g: g.mul_(10))  # the gradient of a sum: a read-only broadcast view
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 10.0])


def test_hooks_run_without_recording_a_graph():
    x = leaf([1.0])
    modes = []
    x.register_hook(lambda g: modes.append(t.is_grad_enabled()))
    (x * 2).sum().backward()
    assert modes == [False]


def test_hook_returning_a_wrong_shape_names_both_shapes():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"shape \(\), but the gradient it was given has shape "
                                           r"\(2,\)"):
        (x * 2).sum().backward()


def test_hook_returning_a_non_tensor_is_a_type_error():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: 3)
    with pytest.raises(TypeError, match="returned an object of type int"):
        (x * 2).sum().backward()


def test_register_hook_refuses_bad_arguments():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        t.ones(2).register_hook(lambda g: g)
    with pytest.raises(TypeError, match="expects a callable, got int"):
        leaf([1.0]).register_hook(3)


# ---------------------------------------------------------------------------------------------
# retain_grad
# ---------------------------------------------------------------------------------------------


def test_non_leaf_grad_is_none_with_a_warning_unless_retained():
    x = leaf([1.0, 2.0])
    h = x * 2
    kept = x * 3
    kept.retain_grad()
    (h * h + kept).sum().backward()
    with pytest.warns(UserWarning, match="retain_grad"):
        assert h.grad is None
    np.testing.assert_array_equal(kept.grad.numpy(), [1.0, 1.0])


def test_retain_grad_on_a_non_leaf_used_twice_holds_the_total():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h * h + h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), 2 * h.detach().numpy() + 1)  # d(h² + h)/dh
    assert h.grad.requires_grad is False and h.grad.grad_fn is None


@pytest.mark.parametrize("retain_first", [True, False])
def test_retained_grad_is_the_one_hooks_returned_whatever_the_order(retain_first):
    # As in PyTorch 2: retain_grad stores the gradient after the tensor's own hooks ran.
    x = leaf([1.0, 2.0])
    h = x * 2
    if retain_first:
        h.retain_grad()
    h.register_hook(lambda g: g * 10)
    if not retain_first:
        h.retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [40.0, 80.0])
    np.testing.assert_array_equal(x.grad.numpy(), [80.0, 160.0])


def test_retained_grads_accumulate_across_backward_calls():
    x = leaf([1.0])
    h = x * 2
    h.retain_grad()
    y = (h * h).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert h.grad.item() == 8.0  # 4 + 4


def test_retain_grad_on_the_loss_and_on_a_leaf():
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()
    loss.retain_grad()
    x.retain_grad()  # a leaf keeps its grad anyway: no-op
    loss.backward()
    assert loss.grad.item() == 1.0
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_retain_grad_on_a_tensor_that_needs_no_grad_is_refused():
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has "
                                           "requires_grad=False"):
        (t.ones(2) * 2).retain_grad()


def test_nan_check_state_is_the_documented_default():
    assert _GradMode.anomaly is False and _GradMode.anomaly_check_nan is True
