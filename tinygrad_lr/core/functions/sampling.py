"""Random draws made from a tensor of probabilities or weights: `bernoulli` and `multinomial`.

The distributions are PyTorch's; the numbers come from the package's one numpy generator
(`manual_seed` seeds it), so a seeded program repeats itself, but does not give PyTorch's numbers.
"""

from __future__ import annotations

import numpy as np

from ..args import input_arg
from ..tensor import Tensor


def bernoulli(input: Tensor, p: float | None = None, *,  # noqa: A002
              generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """1 with the probability each element of `input` gives (or with p for all), else 0
    (`input.bernoulli(p)`).

    Args:
        input: the probabilities, in [0, 1]; with `p`, only its shape and dtype are used.
        p: one probability for every element, or None.
        generator: a numpy Generator to draw from instead of the package's.

    Returns:
        A new tensor of the input's shape and dtype, of 0s and 1s.

    Examples:
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> draws = tinygrad_lr.bernoulli(tinygrad_lr.full((10000,), 0.3))
        >>> round(draws.mean().item(), 2)
        0.3
    """
    return input_arg(input, "bernoulli").bernoulli(p, generator=generator)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: np.random.Generator | None = None) -> Tensor:  # fmt: skip
    """Category indices drawn with the probabilities of input's weights, per row
    (`input.multinomial(...)`).

    Args:
        input: non-negative weights: a 1-D tensor, or a matrix of one distribution per row.
        num_samples: how many indices to draw (per row).
        replacement: draw with replacement (an index may come again).
        generator: a numpy Generator to draw from instead of the package's.

    Returns:
        An int64 tensor of shape (num_samples,), or (rows, num_samples).
    """
    return input_arg(input, "multinomial").multinomial(num_samples, replacement,
                                                       generator=generator)  # fmt: skip


__all__ = ["bernoulli", "multinomial"]
