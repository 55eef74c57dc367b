"""Learning-rate schedules: the closed forms their docstrings give, PyTorch's chainable
behaviour (a rate changed by hand carries on), and PyTorch's rates where it is installed."""

import math

import pytest

import tinygrad_lr as t
from tinygrad_lr import optim
from tinygrad_lr.optim import lr_scheduler

EPOCHS = 25
CLOSED_FORMS = {
    "StepLR": (dict(step_size=3, gamma=0.5), lambda e: 0.1 * 0.5 ** (e // 3)),
    "MultiStepLR": (dict(milestones=[2, 5, 5, 9], gamma=0.3),
                    lambda e: 0.1 * 0.3 ** sum(m <= e for m in [2, 5, 5, 9])),
    "ExponentialLR": (dict(gamma=0.9), lambda e: 0.1 * 0.9**e),
    "CosineAnnealingLR": (dict(T_max=5, eta_min=0.01),
                          lambda e: 0.01 + 0.09 * (1 + math.cos(math.pi * e / 5)) / 2),
    "LambdaLR": (dict(lr_lambda=lambda e: 1 / (1 + e)), lambda e: 0.1 / (1 + e)),
}  # fmt: skip


def rates(name, options, lib=t, optim_module=optim):
    p = lib.zeros(1, requires_grad=True)
    opt = optim_module.SGD([p], lr=0.1)
    scheduler = getattr(optim_module.lr_scheduler, name)(opt, **options)
    seen = [scheduler.get_last_lr()[0]]
    for _ in range(EPOCHS):
        opt.step()
        scheduler.step()
        seen.append(scheduler.get_last_lr()[0])
        assert opt.param_groups[0]["lr"] == seen[-1]
    return seen


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_rates_follow_the_closed_form(name):
    options, formula = CLOSED_FORMS[name]
    assert rates(name, options) == pytest.approx([formula(e) for e in range(EPOCHS + 1)],
                                                 rel=1e-12)  # fmt: skip


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_rates_agree_with_pytorch(name):
    torch = pytest.importorskip("torch")
    options = CLOSED_FORMS[name][0]
    assert rates(name, options) == rates(name, options, torch, torch.optim)


def test_a_rate_changed_by_hand_carries_on_as_in_pytorch():
    p = t.zeros(1, requires_grad=True)
    opt = optim.SGD([p], lr=1.0)
    scheduler = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    scheduler.step()
    opt.param_groups[0]["lr"] = 10.0  # each step multiplies the current rate
    scheduler.step()
    assert scheduler.get_last_lr() == [5.0]


def test_two_groups_each_keep_their_base_rate():
    a, b = t.zeros(1, requires_grad=True), t.zeros(1, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    scheduler = lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    assert scheduler.base_lrs == [0.1, 1.0]
    scheduler.step()
    assert scheduler.get_last_lr() == pytest.approx([0.01, 0.1])
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 1.0]


def test_step_with_an_epoch_warns_and_jumps_by_the_closed_form():
    p = t.zeros(1, requires_grad=True)
    scheduler = lr_scheduler.StepLR(optim.SGD([p], lr=1.0), step_size=2, gamma=0.1)
    with pytest.warns(UserWarning, match="epoch parameter in `scheduler.step\\(\\)`"):
        scheduler.step(5)
    assert scheduler.get_last_lr() == pytest.approx([0.01]) and scheduler.last_epoch == 5


def test_state_dict_restores_the_epoch_and_resuming_needs_initial_lr():
    p = t.zeros(1, requires_grad=True)
    opt = optim.SGD([p], lr=1.0)
    scheduler = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    for _ in range(4):
        scheduler.step()
    state = scheduler.state_dict()
    assert state["last_epoch"] == 4 and "optimizer" not in state
    other = lr_scheduler.CosineAnnealingLR(optim.SGD([p], lr=1.0), T_max=10)
    other.load_state_dict(state)
    assert other.last_epoch == 4 and other.get_last_lr() == scheduler.get_last_lr()
    with pytest.raises(KeyError, match="'initial_lr' is not specified in param_groups\\[0\\]"):
        lr_scheduler.StepLR(optim.SGD([p], lr=1.0), step_size=1, last_epoch=3)
    resumed = lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=4)
    assert resumed.get_last_lr() == pytest.approx([(1 + math.cos(math.pi * 5 / 10)) / 2])


def test_scheduler_settings_are_checked():
    p = t.zeros(1, requires_grad=True)
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([p], step_size=1)
    with pytest.raises(ValueError, match="step_size must be a positive int, got 0"):
        lr_scheduler.StepLR(optim.SGD([p]), step_size=0)
    with pytest.raises(ValueError, match="Expected 1 lr_lambdas, but got 2"):
        lr_scheduler.LambdaLR(optim.SGD([p]), [lambda e: 1, lambda e: 2])
