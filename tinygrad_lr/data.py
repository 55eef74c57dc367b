"""Small synthetic data sets for the examples, drawn from the package's random generator.

Everything here draws through `tinygrad_lr.creation` (`rand`, `randn`, or its numpy Generator),
so `tinygrad_lr.manual_seed(n)` makes every data set repeatable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .core import creation
from .core.tensor import Tensor


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _finite(name: str, value: object, nonnegative: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or (nonnegative and value < 0):  # fmt: skip
        kind = "a finite number >= 0" if nonnegative else "a finite number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return float(value)


def get_fake_data(batch_size: int = 8, w: float | Sequence[float] = 2.0, b: float = 3.0,
                  noise: float = 1.0, features: int = 1) -> tuple[Tensor, Tensor]:
    """The original program's data: x ~ U(0, 5) and y = x·w + b + ε, with ε ~ N(0, noise²).

    The draws are `rand` then `randn`, as in the original program, so with the same seed and
    the default settings this gives its numbers on this package.

    Args:
        batch_size: the number of samples (rows).
        w: the true weight: one number (the same for every feature) or one per feature.
        b: the true bias.
        noise: the standard deviation of ε.
        features: the number of columns of x.

    Returns:
        `(x, y)`: x of shape (batch_size, features) and y of shape (batch_size, 1), float32.

    Raises:
        ValueError: for a size that is not a positive int, a value that is not finite, a
            negative noise, or a number of weights that is not `features`.

    Examples:
        >>> x, y = get_fake_data(batch_size=4)
        >>> x.shape, y.shape
        (Size([4, 1]), Size([4, 1]))
    """
    batch_size = _positive_int("batch_size", batch_size)
    features = _positive_int("features", features)
    weights = [w] * features if not isinstance(w, (Sequence, np.ndarray)) else list(w)
    if len(weights) != features:
        raise ValueError(f"w has {len(weights)} values but features={features}")
    weights = [_finite("w", v) for v in weights]
    b = _finite("b", b)
    noise = _finite("noise", noise, nonnegative=True)
    x = creation.rand(batch_size, features) * 5
    w_column = Tensor(np.array(weights, dtype=np.float32).reshape(features, 1))
    y = x.mm(w_column) + b + creation.randn(batch_size, 1) * noise
    return x, y


def make_blobs(n: int = 200, centers: Sequence[Sequence[float]] = ((-1.0, -1.0), (1.5, 1.0)),
               std: float = 0.8) -> tuple[Tensor, Tensor]:
    """Two Gaussian clouds in the plane, n points in all (half each, the first gets the odd one).

    Args:
        n: the number of points.
        centers: the two clouds' centres, as two (x, y) points.
        std: the standard deviation of each cloud, in both directions.

    Returns:
        `(x, y)`: the points, of shape (n, 2), and their labels, of shape (n, 1): 0.0 for the
            first cloud, 1.0 for the second (float32).

    Raises:
        ValueError: for an n that is not a positive int, a negative or infinite std, or
            centers that are not two points.
    """
    n = _positive_int("n", n)
    std = _finite("std", std, nonnegative=True)
    centers_arr = np.asarray(centers, dtype=np.float64)
    if centers_arr.shape != (2, 2):
        raise ValueError(f"centers must be two (x, y) points, got shape {centers_arr.shape}")
    rng = creation.default_generator()
    n1 = n - n // 2
    labels = np.concatenate([np.zeros(n1), np.ones(n // 2)])
    x = centers_arr[labels.astype(int)] + std * rng.standard_normal((n, 2))
    return _as_tensors(x, labels)


def make_moons(n: int = 200, noise: float = 0.1) -> tuple[Tensor, Tensor]:
    """Two interleaved half circles (the classic "two moons"), plus N(0, noise²) jitter.

    The upper moon (label 0) is the half circle of radius 1 around (0, 0); the lower one
    (label 1) is the same shape turned over and moved to (1, 0.5). No straight line separates
    them, which is the point: a linear model cannot, a small MLP can.

    Args:
        n: the number of points (half on each moon; the upper gets the odd one).
        noise: the standard deviation of the jitter, in both directions.

    Returns:
        `(x, y)`: the points, of shape (n, 2), and their labels, of shape (n, 1) (float32).

    Raises:
        ValueError: for an n that is not a positive int, or a negative or infinite noise.
    """
    n = _positive_int("n", n)
    noise = _finite("noise", noise, nonnegative=True)
    rng = creation.default_generator()
    n1 = n - n // 2
    angle_upper = rng.uniform(0, math.pi, n1)
    angle_lower = rng.uniform(0, math.pi, n // 2)
    upper = np.stack([np.cos(angle_upper), np.sin(angle_upper)], axis=1)
    lower = np.stack([1 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)], axis=1)
    x = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    labels = np.concatenate([np.zeros(n1), np.ones(n // 2)])
    return _as_tensors(x, labels)


def _as_tensors(x: np.ndarray, labels: np.ndarray) -> tuple[Tensor, Tensor]:
    return (Tensor(x.astype(np.float32)), Tensor(labels.astype(np.float32).reshape(-1, 1)))
