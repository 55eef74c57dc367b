"""`Generator`: PyTorch's random generator object, over a numpy `Generator` of its own.

Every `generator=` argument of the package takes one (or a numpy Generator itself): the draws
then come from it instead of the package's generator, so that `manual_seed` does not move them.
A seeded Generator repeats its numbers on every run, but they are not PyTorch's numbers: the
generators differ.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from .dtypes import device as _device

_MASK = 0xFFFF_FFFF_FFFF_FFFF  # seeds are taken modulo 2⁶⁴, as PyTorch takes them


class Generator:
    """A random number generator to pass as `generator=`, seeded on its own.

    A new Generator starts from a fresh random seed; `manual_seed(n)` makes it repeatable. It
    never touches the package's generator, nor does `tinygrad_lr.manual_seed` touch it. The
    numbers are numpy's (PCG64), not PyTorch's.

    Args:
        device: 'cpu' (or a device): the only device.

    Examples:
        >>> g = tinygrad_lr.Generator().manual_seed(42)
        >>> a = tinygrad_lr.rand(3, generator=g)
        >>> _ = g.manual_seed(42)
        >>> tinygrad_lr.rand(3, generator=g).equal(a)
        True
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = _device(device)
        self.seed()

    def manual_seed(self, seed: int) -> Generator:
        """Restart the generator from `seed`.

        Args:
            seed: an int (taken modulo 2⁶⁴).

        Returns:
            The generator itself, so that `Generator().manual_seed(0)` can be passed on.
        """
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed() expects an int, got {type(seed).__name__}")
        self._seed = int(seed) & _MASK
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Restart the generator from a fresh, non-repeatable seed.

        Returns:
            The new seed.
        """
        return self.manual_seed(int(np.random.SeedSequence().entropy) & _MASK).initial_seed()

    def initial_seed(self) -> int:
        """The seed the generator last started from.

        Returns:
            An int in [0, 2⁶⁴).
        """
        return self._seed

    def get_state(self) -> Any:
        """The generator's state, to resume its draws later with `set_state`.

        Returns:
            A 1-D uint8 tensor (as PyTorch's ByteTensor state): numpy's bit generator state,
                written as JSON text. It fits only a tinygrad_lr Generator, not PyTorch's.
        """
        from .tensor import Tensor  # (tensor.py is not imported when this module loads)

        text = json.dumps(self._rng.bit_generator.state)
        return Tensor._wrap(np.frombuffer(text.encode(), np.uint8).copy())

    def set_state(self, new_state: Any) -> Generator:
        """Resume from a state that `get_state` gave.

        Args:
            new_state: the uint8 tensor `get_state` returned.

        Returns:
            The generator itself.

        Raises:
            TypeError: for anything but a uint8 tensor.
            RuntimeError: for a uint8 tensor that is not such a state.
        """
        data = getattr(new_state, "_data", None)
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
            raise TypeError(f"set_state() expects the uint8 tensor get_state() returned, got "
                            f"{type(new_state).__name__}")
        try:
            self._rng.bit_generator.state = json.loads(data.tobytes().decode())
        except (ValueError, TypeError, KeyError) as e:
            raise RuntimeError(f"set_state(): not the state of a tinygrad_lr Generator "
                               f"({e})") from None
        return self

    def __repr__(self) -> str:
        return f"<tinygrad_lr.Generator seed={self._seed}>"


def numpy_generator(generator: Any) -> np.random.Generator:
    """The numpy Generator to draw from for a `generator=` argument: the package's for None, a
    Generator's own, or a numpy Generator itself."""
    if generator is None:
        from .creation import default_generator  # looked up now: manual_seed replaces it

        return default_generator()
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be a tinygrad_lr.Generator or a numpy.random.Generator, got "
                    f"{type(generator).__name__}")


__all__ = ["Generator"]
