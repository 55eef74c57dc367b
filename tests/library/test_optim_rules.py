"""Every optimizer's update rule over 20 steps: against a plain numpy transcription of the rule
its docstring states (always), and against PyTorch's optimizer (where PyTorch is installed), in
float64 and float32. Then parameter groups, add_param_group, state_dict and the settings'
errors."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn, optim

RNG = np.random.default_rng(20)
START = RNG.standard_normal((3, 4))
GRADS = [RNG.standard_normal((3, 4)) for _ in range(20)]


# --- the documented rules, transcribed into numpy (float64), one step at a time ---------------


def sgd_rule(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    state = {}

    def step(p, g, t_):
        g = -g if maximize else g
        g = g + weight_decay * p
        if momentum:
            state["b"] = g.copy() if t_ == 1 else momentum * state["b"] + (1 - dampening) * g
            g = g + momentum * state["b"] if nesterov else state["b"]
        return p - lr * g

    return step


def adam_rule(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
              maximize=False, decoupled=False):  # fmt: skip
    (b1, b2), state = betas, {"m": 0.0, "v": 0.0, "vmax": 0.0}

    def step(p, g, t_):
        g = -g if maximize else g
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        state["m"] = b1 * state["m"] + (1 - b1) * g
        state["v"] = b2 * state["v"] + (1 - b2) * g**2
        state["vmax"] = np.maximum(state["vmax"], state["v"])
        v = state["vmax"] if amsgrad else state["v"]
        m_hat, v_hat = state["m"] / (1 - b1**t_), v / (1 - b2**t_)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps)

    return step


def rmsprop_rule(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 maximize=False):  # fmt: skip
    state = {"s": 0.0, "gbar": 0.0, "b": 0.0}

    def step(p, g, t_):
        g = -g if maximize else g
        g = g + weight_decay * p
        state["s"] = alpha * state["s"] + (1 - alpha) * g**2
        state["gbar"] = alpha * state["gbar"] + (1 - alpha) * g
        d = np.sqrt(state["s"] - state["gbar"] ** 2 if centered else state["s"]) + eps
        if momentum > 0:
            state["b"] = momentum * state["b"] + g / d
            return p - lr * state["b"]
        return p - lr * g / d

    return step


def adagrad_rule(lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 maximize=False):  # fmt: skip
    state = {"s": initial_accumulator_value}

    def step(p, g, t_):
        g = -g if maximize else g
        g = g + weight_decay * p
        eta = lr / (1 + (t_ - 1) * lr_decay)
        state["s"] = state["s"] + g**2
        return p - eta * g / (np.sqrt(state["s"]) + eps)

    return step


CASES = [
    ("SGD", dict(lr=0.1), sgd_rule),
    ("SGD", dict(lr=0.1, momentum=0.9), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True), sgd_rule),
    ("Adam", dict(lr=0.01), adam_rule),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), amsgrad=True, weight_decay=0.1), adam_rule),
    ("Adam", dict(lr=0.01, maximize=True, eps=1e-3), adam_rule),
    ("AdamW", dict(lr=0.01), lambda **kw: adam_rule(weight_decay=1e-2, decoupled=True, **kw)),
    ("AdamW", dict(lr=0.01, weight_decay=0.3, amsgrad=True),
     lambda **kw: adam_rule(decoupled=True, **kw)),
    ("RMSprop", dict(), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1), rmsprop_rule),
    ("RMSprop", dict(alpha=0.9, centered=True, maximize=True), rmsprop_rule),
    ("Adagrad", dict(), adagrad_rule),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5,
                     eps=1e-6), adagrad_rule),
]  # fmt: skip
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]


def run_ours(name, options, dtype):
    p = t.tensor(START, dtype=dtype, requires_grad=True)
    opt = getattr(optim, name)([p], **options)
    path = []
    for g in GRADS:
        p.grad = t.tensor(g, dtype=dtype)
        opt.step()
        path.append(p.detach().numpy().astype(np.float64).copy())
    return path


@pytest.mark.parametrize("name, options, rule", CASES, ids=IDS)
def test_twenty_steps_follow_the_documented_rule(name, options, rule):
    step = rule(**options)
    p, expected = START.copy(), []
    for i, g in enumerate(GRADS, start=1):
        p = step(p, g, i)
        expected.append(p)
    np.testing.assert_allclose(run_ours(name, options, t.float64), expected, rtol=1e-12,
                               atol=1e-12)  # fmt: skip
    # float32 parameters follow the float64 rule to float32 precision
    np.testing.assert_allclose(run_ours(name, options, t.float32), expected, rtol=1e-5,
                               atol=1e-5)  # fmt: skip


@pytest.mark.parametrize("name, options, rule", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_twenty_steps_agree_with_pytorch(name, options, rule, dtype):
    torch = pytest.importorskip("torch")
    q = torch.tensor(START.astype(dtype), requires_grad=True)
    opt = getattr(torch.optim, name)([q], **options)
    theirs = []
    for g in GRADS:
        q.grad = torch.tensor(g.astype(dtype))
        opt.step()
        theirs.append(q.detach().numpy().astype(np.float64).copy())
    ours = run_ours(name, options, getattr(t, dtype))
    # Each step in PyTorch's order of operations: apart from rounding, the same numbers.
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


# --- parameter groups, state, settings --------------------------------------------------------


def test_parameter_groups_get_their_own_settings_and_the_defaults_for_the_rest():
    body, head = t.ones(2, requires_grad=True), t.ones(2, requires_grad=True)
    opt = optim.SGD([{"params": [body]}, {"params": [head], "lr": 0.5}], lr=0.1, momentum=0.0)
    body.grad, head.grad = t.ones(2), t.ones(2)
    opt.step()
    assert body.tolist() == pytest.approx([0.9, 0.9]) and head.tolist() == [0.5, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.0 and opt.defaults["lr"] == 0.1


def test_add_param_group_adds_parameters_and_refuses_duplicates():
    a, b = t.ones(1, requires_grad=True), t.ones(1, requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.01})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    with pytest.raises(ValueError, match="in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(KeyError, match="'params'"):
        opt.add_param_group({"lr": 1.0})
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        opt.add_param_group({"params": [t.ones(1, requires_grad=True)], "lr": -1})
    adagrad = optim.Adagrad([a])
    adagrad.add_param_group({"params": [b]})
    b.grad = t.ones(1)
    adagrad.step()  # a later group's state is made at its first step
    assert b.item() < 1.0


def test_state_dict_round_trip_continues_the_same_trajectory():
    def make():
        t.manual_seed(0)
        model = nn.Linear(3, 2)
        return model, optim.Adam(model.parameters(), lr=0.1, amsgrad=True)

    x = t.randn(8, 3)
    model, opt = make()
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).sum().backward()
        opt.step()
    saved_model, saved_opt = model.state_dict(), opt.state_dict()
    assert list(saved_opt["state"]) == [0, 1] and saved_opt["param_groups"][0]["params"] == [0, 1]
    assert saved_opt["state"][0]["step"] == 3
    model2, opt2 = make()
    model2.load_state_dict(saved_model)
    opt2.load_state_dict(saved_opt)
    for m, o in ((model, opt), (model2, opt2)):
        o.zero_grad()
        m(x).pow(2).sum().backward()
        o.step()
    assert np.array_equal(model.weight.detach().numpy(), model2.weight.detach().numpy())
    assert opt2.state[model2.weight]["exp_avg"] is not opt.state[model.weight]["exp_avg"]


def test_load_state_dict_checks_the_groups():
    a = t.ones(2, requires_grad=True)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0, 1], "lr": 1}]})
    with pytest.raises(ValueError, match="keys 'state' and 'param_groups'"):
        opt.load_state_dict({"lr": 1})
    opt.load_state_dict({"state": {"0": {"momentum_buffer": t.ones(2, dtype=t.float64)}},
                         "param_groups": [{"params": [0], "lr": 0.5, "momentum": 0.9}]})
    assert opt.param_groups[0]["lr"] == 0.5
    assert opt.state[a]["momentum_buffer"].dtype == t.float32  # the parameter's dtype


def test_repr_lists_each_group_as_pytorch():
    opt = optim.SGD([{"params": [t.ones(1, requires_grad=True)]},
                     {"params": [t.ones(1, requires_grad=True)], "lr": 0.1}], lr=0.01)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n    dampening: 0\n")
    assert "\nParameter Group 1\n" in text and "    lr: 0.1\n" in text and text.endswith("\n)")


@pytest.mark.parametrize("make, message", [
    (lambda ps: optim.SGD(ps, lr=0.1, nesterov=True), "Nesterov momentum requires a momentum"),
    (lambda ps: optim.SGD(ps, momentum=0.9, dampening=0.1, nesterov=True), "zero dampening"),
    (lambda ps: optim.RMSprop(ps, alpha=-1), "Invalid alpha value: -1"),
    (lambda ps: optim.RMSprop(ps, momentum=-1), "Invalid momentum value: -1"),
    (lambda ps: optim.Adagrad(ps, lr_decay=-1), "Invalid lr_decay value: -1"),
    (lambda ps: optim.Adagrad(ps, initial_accumulator_value=-1),
     "Invalid initial_accumulator_value value: -1"),
    (lambda ps: optim.AdamW(ps, weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda ps: optim.SGD([{"params": ps}, {"params": ps}]), "more than one parameter group"),
])  # fmt: skip
def test_new_settings_are_checked_as_pytorch(make, message):
    with pytest.raises(ValueError, match=message):
        make([t.ones(1, requires_grad=True)])


def test_adamw_defaults_and_adam_defaults_differ_only_in_weight_decay():
    p = t.ones(1, requires_grad=True)
    adamw, adam = optim.AdamW([p]).defaults, optim.Adam([p]).defaults
    assert adamw["weight_decay"] == 1e-2 and adamw["decoupled_weight_decay"]
    assert {k: v for k, v in adamw.items() if k not in ("weight_decay", "decoupled_weight_decay")} \
        == {k: v for k, v in adam.items() if k not in ("weight_decay", "decoupled_weight_decay")}
