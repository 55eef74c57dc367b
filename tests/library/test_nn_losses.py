"""The losses of nn and nn.functional: values against the formulas written out in numpy,
gradients against finite differences (gradcheck, float64), PyTorch's errors, and, where PyTorch
is installed, values and gradients against PyTorch's."""

import warnings

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn
from tinygrad_lr.nn import functional as F

RNG = np.random.default_rng(13)
SCORES = RNG.standard_normal((6, 5))
SCORES[0, 0] = 0.0  # a score exactly 0: where |x| has a kink that the losses must not feel
LABELS = np.array([0, 4, 2, 1, 1, 3])
PROBS = RNG.random((6, 5))
PROBS /= PROBS.sum(1, keepdims=True)
WEIGHTS = RNG.random(5) + 0.5
OTHER = RNG.standard_normal((6, 5))


def f64(a, requires_grad=False):
    return t.tensor(a, dtype=t.float64, requires_grad=requires_grad)


def log_softmax(x, axis=-1):
    shifted = x - x.max(axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis, keepdims=True))


# ---------------------------------------------------------------------------------------------
# Values, by the formulas
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_indices_is_minus_the_log_softmax_at_the_label(reduction):
    per_sample = -log_softmax(SCORES)[np.arange(6), LABELS]
    expected = {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}
    got = F.cross_entropy(f64(SCORES), t.tensor(LABELS), reduction=reduction)
    np.testing.assert_allclose(got.numpy(), expected[reduction], rtol=1e-12)
    assert nn.CrossEntropyLoss(reduction=reduction)(f64(SCORES), t.tensor(LABELS)).shape == \
        got.shape  # fmt: skip


def test_cross_entropy_weights_make_mean_a_weighted_average_and_ignore_index_drops_samples():
    labels = LABELS.copy()
    labels[2] = -100
    kept = labels != -100
    w = WEIGHTS[labels[kept]]
    per_sample = -log_softmax(SCORES)[np.arange(6)[kept], labels[kept]]
    got = F.cross_entropy(f64(SCORES), t.tensor(labels), weight=f64(WEIGHTS))
    np.testing.assert_allclose(got.item(), (w * per_sample).sum() / w.sum(), rtol=1e-12)
    none = F.cross_entropy(f64(SCORES), t.tensor(labels), reduction="none")
    assert none[2].item() == 0.0
    everything_ignored = F.cross_entropy(f64(SCORES), t.full((6,), -100, dtype=t.int64))
    assert np.isnan(everything_ignored.item())  # 0/0, as in PyTorch


def test_label_smoothing_mixes_the_target_with_the_uniform_distribution():
    eps = 0.2
    smoothed = np.full((6, 5), eps / 5)
    smoothed[np.arange(6), LABELS] += 1 - eps
    expected = -(smoothed * log_softmax(SCORES)).sum(1).mean()
    got = F.cross_entropy(f64(SCORES), t.tensor(LABELS), label_smoothing=eps)
    np.testing.assert_allclose(got.item(), expected, rtol=1e-12)
    # The same target given as probabilities gives the same loss.
    as_probs = F.cross_entropy(f64(SCORES), f64(smoothed))
    np.testing.assert_allclose(as_probs.item(), expected, rtol=1e-12)


def test_cross_entropy_with_probabilities_and_k_dimensional_inputs():
    expected = -(PROBS * log_softmax(SCORES)).sum(1).mean()
    np.testing.assert_allclose(F.cross_entropy(f64(SCORES), f64(PROBS)).item(), expected,
                               rtol=1e-12)  # fmt: skip
    # (N, C, d): one distribution per position, classes along dim 1.
    scores = SCORES.reshape(2, 3, 5).transpose(0, 2, 1)  # (2, 5, 3)
    labels = LABELS.reshape(2, 3)
    got = F.cross_entropy(f64(scores), t.tensor(labels), reduction="none")
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got.numpy().ravel(),
                               -log_softmax(SCORES)[np.arange(6), LABELS], rtol=1e-12)
    one = F.cross_entropy(f64(SCORES[1]), t.tensor(4))  # one sample: (C,) and a 0-d target
    np.testing.assert_allclose(one.item(), -log_softmax(SCORES[1])[4], rtol=1e-12)


def test_nll_loss_after_log_softmax_is_cross_entropy():
    log_p = f64(SCORES).log_softmax(1)
    np.testing.assert_allclose(nn.NLLLoss()(log_p, t.tensor(LABELS)).item(),
                               F.cross_entropy(f64(SCORES), t.tensor(LABELS)).item(), rtol=1e-14)
    model = nn.Sequential(nn.Linear(5, 5), nn.LogSoftmax(dim=1))
    np.testing.assert_allclose(model(f64(SCORES).float()).exp().sum(1).detach().numpy(),
                               np.ones(6), rtol=1e-6)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_by_their_formulas(reduction):
    d = np.abs(SCORES - OTHER)
    beta, delta = 0.7, 1.3
    cases = {
        F.l1_loss: d,
        F.mse_loss: d**2,
        lambda a, b, reduction: F.smooth_l1_loss(a, b, reduction, beta=beta):
            np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta),
        lambda a, b, reduction: F.huber_loss(a, b, reduction, delta=delta):
            np.where(d < delta, 0.5 * d**2, delta * (d - 0.5 * delta)),
    }  # fmt: skip
    for fn, per_element in cases.items():
        expected = {"mean": per_element.mean(), "sum": per_element.sum(), "none": per_element}
        got = fn(f64(SCORES), f64(OTHER), reduction=reduction)
        np.testing.assert_allclose(got.numpy(), expected[reduction], rtol=1e-12)


def test_smooth_l1_with_beta_zero_is_l1_and_huber_is_smooth_l1_times_delta():
    a, b = f64(SCORES), f64(OTHER)
    assert F.smooth_l1_loss(a, b, beta=0.0).item() == pytest.approx(F.l1_loss(a, b).item())
    np.testing.assert_allclose(nn.HuberLoss(delta=2.0)(a, b).item(),
                               2.0 * nn.SmoothL1Loss(beta=2.0)(a, b).item(), rtol=1e-12)


def test_bce_with_logits_is_bce_of_the_sigmoid_and_stays_finite_for_huge_scores():
    labels = (PROBS > 0.2).astype(float)
    x = f64(SCORES)
    np.testing.assert_allclose(nn.BCEWithLogitsLoss()(x, f64(labels)).item(),
                               nn.BCELoss()(x.sigmoid(), f64(labels)).item(), rtol=1e-12)
    big = f64([[800.0, -800.0]], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(big, f64([[0.0, 1.0]]), reduction="sum")
    assert loss.item() == pytest.approx(1600.0)  # where BCELoss would stop at 2·100
    loss.backward()
    assert big.grad.tolist() == [[1.0, -1.0]]  # σ(x) − y


def test_bce_with_logits_pos_weight_and_weight():
    labels = (PROBS > 0.2).astype(float)
    pos_weight, weight = RNG.random(5) * 3, RNG.random(5)
    p = 1 / (1 + np.exp(-SCORES))
    expected = -weight * (pos_weight * labels * np.log(p) + (1 - labels) * np.log(1 - p))
    got = F.binary_cross_entropy_with_logits(f64(SCORES), f64(labels), weight=f64(weight),
                                             pos_weight=f64(pos_weight), reduction="none")
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10)


def test_bce_with_logits_gradient_at_zero_is_one_half_minus_the_label():
    # A model whose last layer starts at zero outputs scores of exactly 0: the derivative of
    # softplus there is σ(0) = ½, which a formula built on |x| or max(x, 0) would get wrong.
    x = f64([0.0, 0.0], requires_grad=True)
    F.binary_cross_entropy_with_logits(x, f64([0.0, 1.0]), reduction="sum").backward()
    assert x.grad.tolist() == [0.5, -0.5]


def test_bce_loss_weight_multiplies_each_element():
    p, y, w = f64([0.2, 0.9]), f64([0.0, 1.0]), f64([2.0, 3.0])
    expected = -(np.array([2.0, 3.0]) * np.log([0.8, 0.9]))
    np.testing.assert_allclose(nn.BCELoss(weight=w, reduction="none")(p, y).numpy(), expected)


# ---------------------------------------------------------------------------------------------
# Gradients against finite differences
# ---------------------------------------------------------------------------------------------

GRADCHECKED = {
    "cross_entropy": lambda x: F.cross_entropy(x, t.tensor(LABELS)),
    "cross_entropy_weighted_smoothed_ignored": lambda x: F.cross_entropy(
        x, t.tensor([0, 4, -100, 1, 1, 3]), weight=f64(WEIGHTS), label_smoothing=0.1),
    "cross_entropy_probabilities": lambda x: F.cross_entropy(x, f64(PROBS), weight=f64(WEIGHTS),
                                                             label_smoothing=0.3),
    "nll_loss_3d_none": lambda x: F.nll_loss(x.reshape(2, 5, 3), t.tensor([[0, 1, 2], [4, 3, 0]]),
                                             reduction="none"),
    "bce_with_logits": lambda x: F.binary_cross_entropy_with_logits(
        x, f64(PROBS), pos_weight=f64(WEIGHTS)),
    "l1": lambda x: F.l1_loss(x, f64(OTHER)),
    "smooth_l1": lambda x: F.smooth_l1_loss(x, f64(OTHER), beta=0.5),
    "huber": lambda x: F.huber_loss(x, f64(OTHER), delta=0.8, reduction="sum"),
    "mse": lambda x: F.mse_loss(x, f64(OTHER)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKED))
def test_loss_gradients_match_finite_differences(name):
    # Away from the kinks of |x| (the regression losses), which finite differences straddle.
    x = f64(SCORES + (0.05 if name in ("l1", "smooth_l1", "huber") else 0), requires_grad=True)
    assert t.gradcheck(GRADCHECKED[name], (x,))


def test_bce_with_logits_gradient_with_respect_to_the_target():
    x = f64(SCORES)
    y = f64(PROBS, requires_grad=True)
    assert t.gradcheck(lambda y: F.binary_cross_entropy_with_logits(x, y, pos_weight=f64(WEIGHTS)),
                       (y,))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Errors, as PyTorch raises them
# ---------------------------------------------------------------------------------------------


def test_class_index_errors_name_the_target():
    x = t.randn(3, 4)
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Int"):
        F.cross_entropy(x, t.tensor([0, 1, 2], dtype=t.int32))
    with pytest.raises(RuntimeError, match="Long or Byte, but got Float"):
        F.nll_loss(x, t.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(IndexError, match="Target 5 is out of bounds.*4 classes"):
        F.cross_entropy(x, t.tensor([0, 1, 5]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.cross_entropy(x, t.tensor([0, 1, -1]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target "
                                         r"batch_size \(2\)"):
        F.cross_entropy(x, t.tensor([0, 1]))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 5\], got \[2, 4\]"):
        F.cross_entropy(t.randn(2, 3, 5), t.zeros(2, 4, dtype=t.int64))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        F.cross_entropy(x, t.zeros(3, 2, dtype=t.int64))
    with pytest.raises(RuntimeError, match="class probabilities.*shape \\(3, 4\\), got \\(3, 5\\)"):
        F.cross_entropy(x, t.rand(3, 5))


def test_class_weight_and_smoothing_errors():
    x = t.randn(3, 4)
    labels = t.tensor([0, 1, 2])
    with pytest.raises(RuntimeError, match="all 4 classes or no classes.*shape: \\[3\\]"):
        F.cross_entropy(x, labels, weight=t.ones(3))
    with pytest.raises(RuntimeError, match="expected scalar type Double but found Float"):
        F.cross_entropy(x.double(), labels, weight=t.ones(4))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, labels, label_smoothing=1.5)
    with pytest.raises(ValueError, match="'avg' is not a valid value for reduction"):
        nn.NLLLoss(reduction="avg")


def test_binary_cross_entropy_checks_range_dtype_and_shape_as_pytorch():
    p = t.tensor([0.2, 0.5, 0.9])
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        nn.BCELoss()(p, t.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        nn.BCELoss()(t.tensor([0.0, 1.5, 1.0]), t.tensor([0.0, 1.0, 1.0]))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        nn.BCELoss()(p, t.tensor([0.0, 1.0, 1.0], dtype=t.float64))
    with pytest.raises(RuntimeError, match="Found dtype Long but expected Float"):
        nn.BCELoss()(p, t.tensor([0, 1, 1]))
    with pytest.raises(ValueError, match="Target size \\(3, 1\\) must be the same as input size"):
        nn.BCEWithLogitsLoss()(p, t.zeros(3, 1))
    with pytest.raises(RuntimeError, match="must be floating point"):
        nn.BCEWithLogitsLoss()(p, t.tensor([0, 1, 1]))


def test_regression_loss_settings_and_broadcast_warning():
    a, b = t.randn(3, 4), t.randn(3, 4)
    with pytest.raises(RuntimeError, match="smooth_l1_loss does not support negative values"):
        F.smooth_l1_loss(a, b, beta=-1.0)
    with pytest.raises(RuntimeError, match="huber_loss does not support non-positive values"):
        nn.HuberLoss(delta=0.0)(a, b)
    with pytest.warns(UserWarning, match=r"target size \(4,\) that is different to the input"):
        nn.L1Loss()(a, t.randn(4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.SmoothL1Loss()(a, b)


def test_loss_modules_repr_like_pytorch():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert repr(nn.L1Loss(reduction="sum")) == "L1Loss(reduction='sum')"


# ---------------------------------------------------------------------------------------------
# Against PyTorch (where installed)
# ---------------------------------------------------------------------------------------------

TORCH_CASES = [
    ("cross_entropy", dict(reduction="mean"), "labels"),
    ("cross_entropy", dict(reduction="none", label_smoothing=0.2, ignore_index=1), "labels"),
    ("cross_entropy", dict(reduction="sum", label_smoothing=0.1, weight=WEIGHTS), "labels"),
    ("cross_entropy", dict(reduction="mean", label_smoothing=0.3, weight=WEIGHTS), "probs"),
    ("nll_loss", dict(reduction="mean", weight=WEIGHTS, ignore_index=4), "labels"),
    ("binary_cross_entropy_with_logits", dict(pos_weight=WEIGHTS, weight=WEIGHTS[::-1].copy()),
     "probs"),
    ("l1_loss", dict(reduction="sum"), "other"),
    ("smooth_l1_loss", dict(beta=0.4), "other"),
    ("huber_loss", dict(delta=0.6, reduction="none"), "other"),
]  # fmt: skip


@pytest.mark.parametrize("name, options, target", TORCH_CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_losses_agree_with_pytorch(name, options, target, dtype):
    torch = pytest.importorskip("torch")
    targets = {"labels": LABELS, "probs": PROBS, "other": OTHER}[target]
    targets = targets if target == "labels" else targets.astype(dtype)
    ours_x = t.tensor(SCORES.astype(dtype), requires_grad=True)
    theirs_x = torch.tensor(SCORES.astype(dtype), requires_grad=True)

    def run(lib, fn, x):
        opts = {k: (lib.tensor(v.astype(dtype)) if isinstance(v, np.ndarray) else v)
                for k, v in options.items()}  # fmt: skip
        out = getattr(fn, name)(x, lib.tensor(targets), **opts)
        out.sum().backward()
        return out.detach().numpy()

    ours = run(t, F, ours_x)
    theirs = run(torch, torch.nn.functional, theirs_x)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=tol, atol=tol)
