"""SiLU, Mish, Softplus, ELU, Hardtanh and ReLU6 (modules and functions), and nn.utils: values by
their formulas, gradients and second derivatives against finite differences (float64), the
in-place forms, gradient clipping, and PyTorch's numbers where it is installed."""

import math

import numpy as np
import pytest
from pytorch_programs import assert_elementwise_same_as_pytorch

import tinygrad_lr as t
from tinygrad_lr import nn
from tinygrad_lr.nn import functional as F

X = np.random.default_rng(7).standard_normal((4, 5)) * 3
X[0, :4] = [0.0, 25.0, -1.0, 6.0]  # 0, past softplus's threshold, and the ends of relu6


def f64(a, requires_grad=False):
    return t.tensor(a, dtype=t.float64, requires_grad=requires_grad)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def softplus(a, beta=1.0, threshold=20.0):
    return np.where(beta * a > threshold, a, np.log1p(np.exp(np.minimum(beta * a, threshold)))
                    / beta)  # fmt: skip


ACTIVATIONS = {
    "silu": (F.silu, lambda a: a * sigmoid(a)),
    "mish": (F.mish, lambda a: a * np.tanh(softplus(a))),
    "softplus": (F.softplus, softplus),
    "softplus_beta": (lambda x: F.softplus(x, 2.0, 5.0), lambda a: softplus(a, 2.0, 5.0)),
    "elu": (lambda x: F.elu(x, 0.5), lambda a: np.where(a > 0, a, 0.5 * np.expm1(a))),
    "hardtanh": (lambda x: F.hardtanh(x, -2.0, 3.0), lambda a: np.clip(a, -2.0, 3.0)),
    "relu6": (F.relu6, lambda a: np.clip(a, 0.0, 6.0)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_gradients_and_second_derivatives(name):
    ours, formula = ACTIVATIONS[name]
    np.testing.assert_allclose(ours(f64(X)).numpy(), formula(X), rtol=1e-12, atol=1e-15)
    # away from the kinks (elu at 0, the ends of hardtanh and relu6, softplus's threshold)
    x = f64(np.where(np.abs(X) < 0.1, X + 0.3, X) + 0.01, requires_grad=True)
    assert t.gradcheck(ours, (x,))
    assert t.gradgradcheck(ours, (x,))


def test_gradients_at_the_kinks_follow_pytorch():
    x = f64([-1.0, 0.0, 6.0, 1.0, 3.0], requires_grad=True)
    F.relu6(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]  # 0 at both ends, not 1 as clamp gives
    x.grad = None
    F.hardtanh(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]
    x.grad = None
    F.elu(x, alpha=2.0).sum().backward()
    assert x.grad[1].item() == 2.0  # α·exp(0) at 0
    big = f64([30.0, 1000.0], requires_grad=True)
    y = F.softplus(big)
    y.sum().backward()
    assert y.tolist() == [30.0, 1000.0] and big.grad.tolist() == [1.0, 1.0]  # no overflow, no nan


INPLACE = {
    "silu": (lambda h: F.silu(h, inplace=True), F.silu),
    "mish": (lambda h: nn.Mish(inplace=True)(h), F.mish),
    "elu": (lambda h: nn.ELU(inplace=True)(h), F.elu),
    "relu6": (lambda h: nn.ReLU6(inplace=True)(h), F.relu6),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_forms_write_into_their_input_and_gradients_still_flow(name):
    inplace, plain = INPLACE[name]
    a, b = f64([-1.0, 0.5, 2.0, 4.0], True), f64([-1.0, 0.5, 2.0, 4.0], True)
    h = a * 2
    y = inplace(h)
    assert y is h  # silu's product saves its input: the result is computed from a copy
    (y * y).sum().backward()
    ref = plain(b * 2)
    (ref * ref).sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ref.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-15)


def test_activation_modules_and_their_reprs():
    x = f64(X)
    assert np.array_equal(nn.SiLU()(x).numpy(), F.silu(x).numpy())
    assert np.array_equal(nn.Softplus(2, 3)(x).numpy(), F.softplus(x, 2, 3).numpy())
    assert np.array_equal(nn.Hardtanh(-2, 2)(x).numpy(), F.hardtanh(x, -2, 2).numpy())
    assert repr(nn.Softplus()) == "Softplus(beta=1.0, threshold=20.0)"
    assert repr(nn.ELU(alpha=0.5, inplace=True)) == "ELU(alpha=0.5, inplace=True)"
    assert repr(nn.Hardtanh()) == "Hardtanh(min_val=-1.0, max_val=1.0)"
    assert repr(nn.ReLU6()) == "ReLU6()" and repr(nn.SiLU(inplace=True)) == "SiLU(inplace=True)"
    assert F.relu6(t.tensor([-3, 2, 9])).tolist() == [0, 2, 6]  # integers stay integers


# ---------------------------------------------------------------------------------------------
# nn.utils
# ---------------------------------------------------------------------------------------------


def _params(*grads):
    out = []
    for g in grads:
        p = nn.Parameter(t.zeros(len(g)))
        p.grad = t.tensor(g)
        out.append(p)
    return out


def test_clip_grad_norm_scales_every_gradient_by_one_factor_and_returns_the_norm():
    a, b = _params([3.0, 4.0], [12.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.ndim == 0 and total.item() == pytest.approx(13.0)
    factor = 1.0 / (13.0 + 1e-6)
    np.testing.assert_allclose(a.grad.numpy(), [3 * factor, 4 * factor], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [12 * factor], rtol=1e-6)
    (c,) = _params([0.3, 0.4])
    assert nn.utils.clip_grad_norm_(c, 1.0).item() == pytest.approx(0.5)
    np.testing.assert_allclose(c.grad.numpy(), [0.3, 0.4], rtol=1e-6)  # under the limit: as is


def test_clip_grad_norm_other_norms_no_gradients_and_nonfinite_norms():
    a, b = _params([3.0, -4.0], [1.0])
    assert nn.utils.clip_grad_norm_([a, b], 100.0, norm_type="inf").item() == 4.0
    assert nn.utils.clip_grad_norm_([a, b], 100.0, norm_type=1).item() == 8.0
    # p = 0 is the norm of the norms too: it counts the tensors with a non-zero element (2),
    # not the non-zero elements (3), as PyTorch does
    assert nn.utils.clip_grad_norm_([a, b], 100.0, norm_type=0).item() == 2.0
    assert nn.utils.clip_grad_norm_([a, b], 100.0, norm_type=-math.inf).item() == 1.0
    assert nn.utils.clip_grad_norm_([nn.Parameter(t.zeros(2))], 1.0).item() == 0.0
    (c,) = _params([1.0, math.inf])
    with np.errstate(invalid="ignore"):  # inf · 0 is nan, and numpy says so
        assert math.isinf(nn.utils.clip_grad_norm_([c], 1.0).item())
    assert c.grad[0].item() == 0.0  # scaled by 1/inf, as PyTorch does
    (d,) = _params([1.0, math.nan])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([d], 1.0, error_if_nonfinite=True)
    assert d.grad[0].item() == 1.0  # refused before anything changed


def test_clip_grad_norm_inside_a_training_step():
    t.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    (model(t.ones(2, 3) * 10).sum() * 100).backward()
    before = math.sqrt(sum((p.grad.numpy() ** 2).sum() for p in model.parameters()))
    total = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    after = math.sqrt(sum((p.grad.numpy() ** 2).sum() for p in model.parameters()))
    assert total.item() == pytest.approx(before, rel=1e-6) and after == pytest.approx(0.5, rel=1e-5)


def test_clip_grad_value_cuts_each_element():
    a, b = _params([-5.0, 0.5, 2.0], [-0.2])
    assert nn.utils.clip_grad_value_([a, b], 1.0) is None
    assert a.grad.tolist() == [-1.0, 0.5, 1.0] and b.grad.tolist() == pytest.approx([-0.2])


def test_parameters_to_vector_and_back():
    model = nn.Linear(3, 2)
    vec = nn.utils.parameters_to_vector(model.parameters())
    assert vec.shape == (8,)
    np.testing.assert_array_equal(vec.detach().numpy()[:6],
                                  model.weight.detach().numpy().reshape(-1))  # fmt: skip
    vec.sum().backward()  # differentiable: every parameter gets a gradient of ones
    assert model.bias.grad.tolist() == [1.0, 1.0]
    nn.utils.vector_to_parameters(t.arange(8.0), model.parameters())
    assert model.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert model.bias.tolist() == [6.0, 7.0] and model.weight.requires_grad
    with pytest.raises(RuntimeError):
        nn.utils.vector_to_parameters(t.arange(5.0), model.parameters())


def test_nn_utils_is_reached_as_in_pytorch():
    import tinygrad_lr as torch

    assert torch.nn.utils.clip_grad_norm_ is nn.utils.clip_grad_norm_


# ---------------------------------------------------------------------------------------------
# Against PyTorch (where installed)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_agree_with_pytorch(name):
    torch = pytest.importorskip("torch")
    TF = torch.nn.functional
    theirs_fn = {
        "silu": TF.silu, "mish": TF.mish, "softplus": TF.softplus,
        "softplus_beta": lambda x: TF.softplus(x, 2.0, 5.0), "elu": lambda x: TF.elu(x, 0.5),
        "hardtanh": lambda x: TF.hardtanh(x, -2.0, 3.0), "relu6": TF.relu6,
    }[name]  # fmt: skip
    assert_elementwise_same_as_pytorch(torch, ACTIVATIONS[name][0], theirs_fn, X,
                                       {"float32": 1e-5, "float64": 1e-12})


def test_activation_reprs_match_pytorchs():
    torch = pytest.importorskip("torch")
    for name, kwargs in [("SiLU", {}), ("SiLU", {"inplace": True}), ("Mish", {}),
                         ("Softplus", {}), ("Softplus", {"beta": 2, "threshold": 10.5}),
                         ("ELU", {}), ("ELU", {"alpha": 0.5, "inplace": True}), ("Hardtanh", {}),
                         ("Hardtanh", {"min_val": -2, "max_val": 3}), ("ReLU6", {}),
                         ("ReLU6", {"inplace": True})]:  # fmt: skip
        assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs))


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
def test_clip_grad_norm_agrees_with_pytorch(norm_type):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    grads = [rng.standard_normal(s).astype(np.float32) for s in ((3, 4), (4,), (2, 2))]
    ours, theirs = [], []
    for g in grads:
        p, q = nn.Parameter(t.zeros(*g.shape)), torch.nn.Parameter(torch.zeros(*g.shape))
        p.grad, q.grad = t.tensor(g), torch.tensor(g)
        ours.append(p), theirs.append(q)
    total_ours = nn.utils.clip_grad_norm_(ours, 0.7, norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, 0.7, norm_type)
    assert total_ours.item() == pytest.approx(total_theirs.item(), rel=1e-6)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-7)
