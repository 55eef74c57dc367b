"""The data makers: the seed's get_fake_data, two blobs, two moons; all on the package's RNG."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import data


def test_get_fake_data_draws_what_the_seed_draws_in_the_seeds_order():
    t.manual_seed(1000)
    x, y = data.get_fake_data(4)
    t.manual_seed(1000)
    x_seed = t.rand(4, 1) * 5  # the seed's get_fake_data, written out
    y_seed = x_seed * 2 + 3 + t.randn(4, 1)
    assert x.shape == (4, 1) and y.shape == (4, 1) and x.dtype == y.dtype == t.float32
    assert np.array_equal(x.numpy(), x_seed.numpy()) and np.array_equal(y.numpy(), y_seed.numpy())


def test_get_fake_data_draws_from_the_generator_manual_seed_sets():
    rng = np.random.default_rng(7)  # what manual_seed(7) makes
    t.manual_seed(7)
    x, y = data.get_fake_data(5, w=[1.0, -1.0], b=0.5, noise=2.0, features=2)
    x_np = rng.random((5, 2), dtype=np.float32) * 5
    noise = rng.standard_normal((5, 1), dtype=np.float32) * 2
    np.testing.assert_allclose(x.detach().numpy(), x_np)
    np.testing.assert_allclose(y.numpy(), x_np @ np.array([[1.0], [-1.0]]) + 0.5 + noise, rtol=1e-6)


def test_get_fake_data_statistics():
    t.manual_seed(0)
    x, y = data.get_fake_data(20000, features=3, noise=0.5)
    assert x.shape == (20000, 3) and y.shape == (20000, 1)
    assert x.detach().numpy().min() >= 0 and x.detach().numpy().max() < 5
    assert abs(x.detach().numpy().mean() - 2.5) < 0.05  # U(0, 5) has mean 2.5
    residual = y.detach().numpy()[:, 0] - (x.detach().numpy().sum(axis=1) * 2 + 3)
    assert abs(residual.mean()) < 0.02 and abs(residual.std() - 0.5) < 0.02


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_size": 0}, "batch_size must be a positive int, got 0"),
    ({"features": -1}, "features must be a positive int, got -1"),
    ({"noise": -1.0}, "noise must be a finite number >= 0"),
    ({"w": float("nan")}, "w must be a finite number"),
    ({"w": [1.0, 2.0]}, "w has 2 values but features=1"),
])  # fmt: skip
def test_get_fake_data_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        data.get_fake_data(**kwargs)


def test_blobs_are_two_labelled_clouds_around_their_centers():
    t.manual_seed(0)
    x, y = data.make_blobs(2001, centers=((-1.0, -1.0), (2.0, 1.0)), std=0.5)
    assert x.shape == (2001, 2) and y.shape == (2001, 1) and x.dtype == t.float32
    labels = y.detach().numpy()[:, 0]
    assert set(labels.tolist()) == {0.0, 1.0} and labels.sum() == 1000
    np.testing.assert_allclose(x.detach().numpy()[labels == 0].mean(axis=0), [-1, -1], atol=0.05)
    np.testing.assert_allclose(x.detach().numpy()[labels == 1].mean(axis=0), [2, 1], atol=0.05)
    np.testing.assert_allclose(x.detach().numpy()[labels == 1].std(axis=0), [0.5, 0.5], atol=0.05)


def test_moons_lie_on_their_half_circles():
    t.manual_seed(0)
    x, y = data.make_moons(300, noise=0.0)
    labels = y.detach().numpy()[:, 0]
    points = x.numpy().astype(np.float64)
    upper, lower = points[labels == 0], points[labels == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, atol=1e-6)
    assert (lower[:, 1] <= 0.5 + 1e-6).all()


def test_dataset_makers_repeat_under_the_same_seed():
    t.manual_seed(3)
    a = data.make_moons(50, noise=0.2)[0].detach().numpy()
    t.manual_seed(3)
    assert np.array_equal(a, data.make_moons(50, noise=0.2)[0].detach().numpy())
    with pytest.raises(ValueError, match="n must be a positive int"):
        data.make_blobs(0)
