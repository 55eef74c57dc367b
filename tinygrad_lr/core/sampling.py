"""Random numbers made from a tensor: the in-place fills `uniform_`, `normal_` and `bernoulli_`,
and the draws `bernoulli` (a 0 or 1 for each probability) and `multinomial` (category indices
drawn with the probabilities of a row).

Every draw comes from the package's one numpy generator (`manual_seed` seeds it), or from the
`generator` given: the distributions are PyTorch's, the numbers are not (the generators differ).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from .args import check_number, fmt
from .generator import numpy_generator as _generator

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)




class Sampling:
    """The random fills and draws of Tensor."""

    def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None
                 ) -> Tensor:  # fmt: skip
        """In place: random numbers from U(a, b) (the package's generator); returns self.

        Args:
            a: the lower bound.
            b: the upper bound.
            generator: a Generator (or a numpy Generator) to draw from instead of the package's.

        Returns:
            self, filled.
        """
        values = _generator(generator).uniform(a, b, self.shape).astype(self.dtype)
        return self._filled("uniform_", values)

    def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None
                ) -> Tensor:  # fmt: skip
        """In place: random numbers from N(mean, std²) (the package's generator); returns self.

        Args:
            mean: the mean.
            std: the standard deviation.
            generator: a Generator (or a numpy Generator) to draw from instead of the package's.

        Returns:
            self, filled.
        """
        values = (mean + std * _generator(generator).standard_normal(self.shape)).astype(self.dtype)
        return self._filled("normal_", values)

    def _filled(self: Tensor, name: str, values: np.ndarray) -> Tensor:
        # Recorded as a copy: the old values have no say in the new ones (a zero gradient).
        return self._inplace(name, lambda array: np.copyto(array, values, casting="unsafe"),
                             lambda t: ops.Copy.apply(t, Tensor._wrap(values)))  # fmt: skip

    def bernoulli_(self: Tensor, p: Any = 0.5, *,
                   generator: Any = None) -> Tensor:  # fmt: skip
        """In place: each element becomes 1 with probability p, else 0; returns self.

        Args:
            p: the probability, in [0, 1]: a number, or a tensor that broadcasts to self's shape.
            generator: a Generator (or a numpy Generator) to draw from instead of the package's.

        Returns:
            self, filled with 0s and 1s (of its own dtype: int and bool tensors too).

        Raises:
            RuntimeError: for a p outside [0, 1], or a tensor p that does not broadcast.

        Examples:
            >>> tinygrad_lr.zeros(4).bernoulli_(tinygrad_lr.tensor([0.0, 1.0, 0.0, 1.0]))
            tensor([0., 1., 0., 1.])
        """
        if isinstance(p, Tensor):
            self._check_fits(p, "bernoulli_")
            probability = _probabilities(p._data, "bernoulli_")
        else:
            check_number(p, "bernoulli_", "p")
            if not 0 <= p <= 1:
                raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
            probability = p
        draws = _generator(generator).random(self.shape) < probability
        return self._filled("bernoulli_", draws.astype(self.dtype))

    def bernoulli(self: Tensor, p: float | None = None, *,
                  generator: Any = None) -> Tensor:  # fmt: skip
        """1 with the probability each element gives (or with p for all), else 0.

        The result is recorded with a gradient of 0 for self, as in PyTorch: a draw does not
        move when its probability moves a little.

        Args:
            p: one probability for every element, in [0, 1]; None to read each element of self
                as its own probability.
            generator: a Generator (or a numpy Generator) to draw from instead of the package's.

        Returns:
            A new tensor of self's shape and dtype, of 0s and 1s.

        Raises:
            RuntimeError: for a probability outside [0, 1].
            NotImplementedError: for an integer self without p.

        Examples:
            >>> tinygrad_lr.bernoulli(tinygrad_lr.tensor([0.0, 1.0, 1.0]))
            tensor([0., 1., 1.])
        """
        if p is None:
            if self._data.dtype.kind != "f":
                raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                          f"'{self._data.dtype}' (probabilities are floats)")
            probability = _probabilities(self._data, "bernoulli")
        else:
            check_number(p, "bernoulli", "p")
            if not 0 <= p <= 1:
                raise RuntimeError(f"bernoulli expects p to be in [0, 1], but got p={p}")
            probability = p
        draws = Tensor._wrap((_generator(generator).random(self.shape) < probability)
                             .astype(self._data.dtype))  # fmt: skip
        # `where` with a condition true everywhere: the draws' values, and a node that sends
        # self a gradient of 0, as PyTorch records a draw.
        return draws.where(Tensor._wrap(np.ones((), bool)), self)

    def multinomial(self: Tensor, num_samples: int, replacement: bool = False, *,
                    generator: Any = None) -> Tensor:  # fmt: skip
        """Category indices drawn with the probabilities of self's weights (each row, for a
        matrix): index i comes with probability wᵢ / Σw.

        Without replacement each index comes at most once: each draw is made among the indices
        not drawn yet, with their weights. The distribution is PyTorch's; the numbers come from
        the package's generator, so they are not PyTorch's.

        Args:
            num_samples: how many indices to draw (per row).
            replacement: draw with replacement (an index may come again).
            generator: a Generator (or a numpy Generator) to draw from instead of the package's.

        Returns:
            An int64 tensor of shape (num_samples,), or (rows, num_samples) for a matrix.

        Raises:
            RuntimeError: for weights that are not floats, not 1-D or 2-D, negative, inf or nan,
                or of sum 0; for num_samples < 1; without replacement, for more samples than
                categories of nonzero weight.

        Examples:
            >>> w = tinygrad_lr.tensor([0.0, 10.0, 0.0])
            >>> tinygrad_lr.multinomial(w, 2, replacement=True)
            tensor([1, 1])
        """
        rows = _weight_rows(self, num_samples, replacement)
        gen = _generator(generator)
        drawn = [gen.choice(row.size, size=num_samples, replace=replacement, p=row / row.sum())
                 for row in rows]  # fmt: skip
        out = np.array(drawn, np.int64).reshape(rows.shape[0], num_samples)
        return Tensor._wrap(out if self.ndim == 2 else out[0])


def _probabilities(p: np.ndarray, name: str) -> np.ndarray:
    """p, checked to hold probabilities (a nan is not one)."""
    outside = ~((p >= 0) & (p <= 1))
    if outside.any():
        raise RuntimeError(f"{name}: Expected p_in >= 0 && p_in <= 1 to be true, but got false "
                           f"(p = {p[outside].reshape(-1)[0]})")
    return p


def _weight_rows(weights: Tensor, num_samples: Any, replacement: bool) -> np.ndarray:
    """The weights of multinomial as float64 rows, checked as PyTorch checks them."""
    w = weights._data
    if w.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{w.dtype}")
    if w.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim (got shape {fmt(weights.shape)})")
    if not isinstance(num_samples, (int, np.integer)) or isinstance(num_samples, bool):
        raise TypeError(f"multinomial(): argument 'num_samples' must be int, not "
                        f"{type(num_samples).__name__}")
    if num_samples <= 0:
        raise RuntimeError(f"cannot sample n_sample <= 0 samples (num_samples = {num_samples})")
    rows = w.reshape(-1, w.shape[-1]).astype(np.float64)
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without "
                           f"replacement ({num_samples} samples, {rows.shape[1]} categories)")
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    nonzero = np.count_nonzero(rows, axis=1).min()
    if not replacement and num_samples > nonzero:
        raise RuntimeError(f"invalid multinomial distribution (with replacement=False, not "
                           f"enough non-negative category to sample): {num_samples} samples "
                           f"without replacement, but a row has only {nonzero} categories of "
                           "nonzero weight")
    return rows
