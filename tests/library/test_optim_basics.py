"""SGD and Adam against their update rules computed by hand in numpy (float64), step by step."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn, optim

START = np.array([[0.5, -1.0], [2.0, 0.25]])
GRADS = [np.array([[0.1, -0.2], [0.3, 0.05]]), np.array([[-0.4, 0.1], [0.2, -0.3]]),
         np.array([[0.05, 0.5], [-0.1, 0.2]]), np.array([[0.3, -0.1], [0.0, 0.4]])]  # fmt: skip


def _run(make_optimizer, dtype=t.float64):
    """Apply the fixed gradients GRADS one step at a time; the parameter after each step."""
    p = t.tensor(START, dtype=dtype, requires_grad=True)
    opt = make_optimizer([p])
    seen = []
    for g in GRADS:
        p.grad = t.tensor(g, dtype=dtype)
        opt.step()
        seen.append(p.detach().numpy().astype(np.float64).copy())
    return p, seen


def test_sgd_is_p_minus_lr_times_grad():
    _, seen = _run(lambda ps: optim.SGD(ps, lr=0.1))
    p = START.copy()
    for g, got in zip(GRADS, seen):
        p = p - 0.1 * g
        np.testing.assert_allclose(got, p, rtol=0, atol=1e-12)


def test_sgd_with_momentum_and_weight_decay_follows_pytorchs_rule():
    lr, mu, wd = 0.1, 0.9, 0.01
    _, seen = _run(lambda ps: optim.SGD(ps, lr=lr, momentum=mu, weight_decay=wd))
    p, buf = START.copy(), None
    for g, got in zip(GRADS, seen):
        d = g + wd * p  # weight decay adds λ·p to the gradient
        buf = d if buf is None else mu * buf + d  # the first step starts the buffer at d
        p = p - lr * buf
        np.testing.assert_allclose(got, p, rtol=0, atol=1e-12)


def test_adam_follows_the_bias_corrected_rule():
    lr, b1, b2, eps, wd = 0.01, 0.8, 0.99, 1e-6, 0.1
    _, seen = _run(lambda ps: optim.Adam(ps, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd))
    p, m, v = START.copy(), np.zeros_like(START), np.zeros_like(START)
    for step, (g, got) in enumerate(zip(GRADS, seen), start=1):
        d = g + wd * p
        m = b1 * m + (1 - b1) * d
        v = b2 * v + (1 - b2) * d * d
        m_hat, v_hat = m / (1 - b1**step), v / (1 - b2**step)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(got, p, rtol=0, atol=1e-12)


def test_adam_first_step_moves_every_element_by_about_lr():
    # At step 1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε): lr in size, whatever g's scale.
    p, seen = _run(lambda ps: optim.Adam(ps, lr=0.01))
    np.testing.assert_allclose(np.abs(seen[0] - START), 0.01, rtol=1e-5)


def test_float32_parameters_match_the_float64_rule_to_float32_precision():
    _, seen = _run(lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1), dtype=t.float32)
    _, exact = _run(lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1))
    np.testing.assert_allclose(seen[-1], exact[-1], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.5),
                                  lambda ps: optim.Adam(ps, lr=0.1)])  # fmt: skip
def test_step_updates_in_place_under_no_grad_and_skips_params_without_grad(make):
    a = nn.Parameter(t.ones(2))
    b = nn.Parameter(t.ones(2))
    opt = make([a, b])
    array, version = a.detach().numpy(), a._version
    (a * 3).sum().backward()
    opt.step()
    assert a.detach().numpy() is array and a._version > version  # the same memory, changed in place
    assert a.is_leaf and a.grad_fn is None and a.requires_grad
    assert a.tolist() != [1.0, 1.0] and b.tolist() == [1.0, 1.0]  # b had no grad


def test_zero_grad_sets_to_none_or_zero():
    p = t.ones(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * 2).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert p.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_learning_rate_can_be_changed_through_param_groups():
    p = t.zeros(1, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    opt.param_groups[0]["lr"] = 1.0
    p.grad = t.ones(1)
    opt.step()
    assert p.item() == -1.0


@pytest.mark.parametrize("make, message", [
    (lambda ps: optim.SGD(ps, lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda ps: optim.SGD(ps, lr=float("nan")), "Invalid learning rate: nan"),
    (lambda ps: optim.Adam(ps, lr=float("inf")), "Invalid learning rate: inf"),
    (lambda ps: optim.SGD(ps, lr=0.1, momentum=-1), "Invalid momentum value: -1"),
    (lambda ps: optim.SGD(ps, lr=0.1, weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda ps: optim.Adam(ps, betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    (lambda ps: optim.Adam(ps, betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    (lambda ps: optim.Adam(ps, eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda ps: optim.SGD([], lr=0.1), "empty parameter list"),
    (lambda ps: optim.SGD(ps + ps, lr=0.1), "appears more than once"),
    (lambda ps: optim.SGD([ps[0] * 2], lr=0.1), "can't optimize a non-leaf Tensor"),
])  # fmt: skip
def test_invalid_settings_raise_value_errors_naming_the_value(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("+", r"\+")):
        make([t.ones(1, requires_grad=True)])


def test_a_frozen_parameter_is_accepted_and_left_alone_as_in_pytorch():
    # Fine-tuning freezes some layers and still hands model.parameters() to the optimizer.
    frozen, trained = t.ones(2), t.ones(2, requires_grad=True)
    opt = optim.SGD([frozen, trained], lr=0.5)
    (trained * 2).sum().backward()
    opt.step()
    assert frozen.tolist() == [1.0, 1.0] and trained.tolist() == [0.0, 0.0]


def test_wrong_types_raise_type_errors():
    p = t.ones(1, requires_grad=True)
    with pytest.raises(TypeError, match="wrap it in a list"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 is a list"):
        optim.SGD([[p]], lr=0.1)
    with pytest.raises(TypeError, match="expected a number, got str"):
        optim.SGD([p], lr="0.1")
    with pytest.raises(TypeError, match="Invalid betas"):
        optim.Adam([p], betas=0.9)


def test_an_optimizer_trains_a_model():
    t.manual_seed(0)
    x = t.randn(64, 3)
    y = x.mm(t.tensor([[1.0], [-2.0], [0.5]])) + 0.3
    model = nn.Linear(3, 1)
    opt = optim.Adam(model.parameters(), lr=0.1)
    for _ in range(200):
        loss = nn.MSELoss()(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(model.weight.detach().numpy(), [[1.0, -2.0, 0.5]], atol=1e-2)
    assert abs(model.bias.item() - 0.3) < 1e-2
