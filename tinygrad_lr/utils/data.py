"""Datasets and minibatches (`tinygrad_lr.utils.data`), with PyTorch's names.

    dataset = TensorDataset(x, y)                       # sample i is (x[i], y[i])
    train, test = random_split(dataset, [0.8, 0.2])
    for xb, yb in DataLoader(train, batch_size=32, shuffle=True):
        ...                                             # xb: (32, ...) stacked samples

A dataset answers `len(ds)` and `ds[i]`. A DataLoader turns one into batches: it orders the
indices (shuffled anew at each pass over the data, from the package's random generator), cuts
them into groups of `batch_size`, and `collate_fn` stacks each group's samples into tensors.

Minibatches are why stochastic gradient descent is stochastic: each step follows the gradient
of one batch's loss, an unbiased but noisy estimate of the whole dataset's gradient; shuffling
each epoch keeps the batches from repeating and the estimates independent.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..core import creation
from ..core.functions import stack
from ..core.generator import Generator
from ..core.generator import numpy_generator as _generator
from ..core.tensor import Tensor


class Dataset:
    """The base of a map-style dataset: subclass it and define `__getitem__` and `__len__`.

        class Squares(Dataset):
            def __len__(self): return 100
            def __getitem__(self, i): return t.tensor([float(i)]), t.tensor([float(i * i)])
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__ (subclasses "
                                  "of Dataset return sample `index`)")


class TensorDataset(Dataset):
    """Samples are rows: `TensorDataset(x, y)[i]` is `(x[i], y[i])`; every tensor has the
    same size along dim 0.

    Args:
        *tensors: the tensors whose rows are the samples' fields.

    Raises:
        ValueError: when their sizes along dim 0 differ (or one is 0-d).

    Examples:
        >>> from tinygrad_lr.utils.data import TensorDataset
        >>> ds = TensorDataset(tinygrad_lr.arange(10).float().reshape(5, 2), tinygrad_lr.arange(5))
        >>> len(ds), ds[1]
        (5, (tensor([2., 3.]), tensor(1)))
    """

    def __init__(self, *tensors: Tensor) -> None:
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: argument {i} is a {type(t).__name__}, not a "
                                "Tensor")
        sizes = [t.shape[0] if t.ndim else None for t in tensors]
        if len(set(sizes)) > 1 or None in sizes:
            shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
            raise ValueError(f"Size mismatch between tensors: each needs the same size along "
                             f"dim 0, got shapes {shapes}")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0] if self.tensors else 0


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order: `Subset(ds, [4, 0])[1]` is ds[0].

    Args:
        dataset: the dataset to take samples from.
        indices: the positions in `dataset` of the subset's samples.
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[int | float],
                 generator: Generator | np.random.Generator | None = None
                 ) -> list[Subset]:  # fmt: skip
    """Split `dataset` at random into Subsets of the given lengths (without overlap).

    `lengths` are sample counts summing to len(dataset), or fractions summing to 1: then each
    part gets ⌊n·fraction⌋ samples, and the samples left over go one each to the first parts.

    Args:
        dataset: anything with `len` and indexing.
        lengths: sample counts, or fractions (such as `[0.8, 0.2]`).
        generator: a `tinygrad_lr.Generator` (or a numpy Generator) to draw the order from;
            the package's when None. A seeded one gives the same split on every run (not
            PyTorch's split: the generators differ).

    Returns:
        One Subset per length.

    Raises:
        ValueError: when the lengths do not add up to the dataset's length.

    Examples:
        >>> from tinygrad_lr.utils.data import TensorDataset, random_split
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> train, test = random_split(TensorDataset(tinygrad_lr.arange(5)), [0.8, 0.2])
        >>> len(train), len(test), train.indices
        (4, 1, [2, 4, 3, 0])
    """
    n = len(dataset)
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1 and not all(
            isinstance(x, int) for x in lengths):  # fmt: skip
        lengths = _counts_from_fractions(lengths, n)
    if sum(lengths) != n:
        raise ValueError(f"Sum of input lengths does not equal the length of the input dataset! "
                         f"(lengths {lengths} add up to {sum(lengths)}, the dataset has {n})")
    order = _generator(generator).permutation(n).tolist()
    ends = list(itertools.accumulate(lengths))
    return [Subset(dataset, order[end - length:end]) for end, length in zip(ends, lengths)]


def _counts_from_fractions(fractions: list[float], n: int) -> list[int]:
    for i, frac in enumerate(fractions):
        if not 0 <= frac <= 1:
            raise ValueError(f"Fraction at index {i} is not between 0 and 1 (got {frac})")
    counts = [math.floor(n * frac) for frac in fractions]
    for i in range(n - sum(counts)):  # round-robin, as PyTorch hands out the remainder
        counts[i % len(counts)] += 1
    for i, count in enumerate(counts):
        if count == 0:
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty "
                          "dataset.", UserWarning, stacklevel=3)
    return counts


def default_collate(batch: list[Any]) -> Any:
    """Stack a list of samples into a batch, keeping the samples' structure.

    Tensors (and numpy arrays) are stacked along a new dim 0; Python floats become a float64
    tensor, ints an int64 one (bools a bool one); strings stay a list. A tuple or list of
    fields gives a list with each field collated (so `x, y = batch` works), a dict a dict, a
    named tuple the same named tuple.

    Args:
        batch: the samples of one batch, all with the same structure.

    Returns:
        The batch: a tensor, or the samples' structure (list, dict, named tuple) with a tensor
            (or a list of strings) for each field.

    Examples:
        >>> from tinygrad_lr.utils.data import default_collate
        >>> default_collate([(tinygrad_lr.tensor([1.0]), 0), (tinygrad_lr.tensor([2.0]), 1)])
        [tensor([[1.],
                [2.]]), tensor([0, 1])]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch)
    if isinstance(elem, np.ndarray) and elem.dtype.kind in "biuf":
        return stack([creation.as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):
        return creation.as_tensor(np.array(batch))
    if isinstance(elem, float):
        return creation.tensor(batch, dtype=np.float64)
    if isinstance(elem, int):  # (bool is an int: a list of bools makes a bool tensor)
        return creation.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size (got "
                               f"sizes {[len(sample) for sample in batch]})")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                    f"or lists; found {type(elem).__name__}")


class DataLoader:
    """Batches of a dataset: `for xb, yb in DataLoader(ds, batch_size=32, shuffle=True)`.

    Each pass (each `iter`) orders the indices — shuffled afresh from `generator` (the
    package's generator unless a Generator or numpy Generator is given) when `shuffle`, taken
    from `sampler` (any iterable of indices) if one is given, else in order — cuts them into
    batches of `batch_size`, the last one shorter unless `drop_last`, and builds each batch with
    `collate_fn` (default: `default_collate`). `len(loader)` is the number of batches.
    `batch_size=None` yields the samples one by one, unbatched.

    `num_workers` and `pin_memory` are accepted so that PyTorch programs run unchanged; the
    batches are always loaded in this process (they are the same batches) and memory is the
    CPU's.

    Args:
        dataset: the samples: anything with `len` and indexing.
        batch_size: the number of samples in a batch; None for the samples one by one.
        shuffle: a new random order at each pass.
        sampler: the indices to visit, in order (not with `shuffle`).
        num_workers: accepted (0 or more); batches are loaded in this process.
        collate_fn: makes a batch from a list of samples.
        pin_memory: accepted; memory is the CPU's.
        drop_last: leave out a last batch smaller than `batch_size`.
        generator: a Generator (or a numpy Generator) for the shuffles; the package's when
            None.

    Examples:
        >>> from tinygrad_lr.utils.data import DataLoader, TensorDataset
        >>> ds = TensorDataset(tinygrad_lr.zeros(5, 2), tinygrad_lr.arange(5))
        >>> for xb, yb in DataLoader(ds, batch_size=2):
        ...     print(xb.shape, yb)
        Size([2, 2]) tensor([0, 1])
        Size([2, 2]) tensor([2, 3])
        Size([1, 2]) tensor([4])
    """

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool = False,
                 sampler: Iterable[int] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False,
                 generator: Generator | np.random.Generator | None = None) -> None:  # fmt: skip
        if batch_size is not None and (not isinstance(batch_size, int) or
                                       isinstance(batch_size, bool) or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")  # fmt: skip
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if generator is not None:
            _generator(generator)
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle
        self.sampler, self.num_workers, self.pin_memory = sampler, num_workers, pin_memory
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        self.drop_last, self.generator = drop_last, generator

    def _indices(self) -> list[int]:
        if self.sampler is not None:
            return [int(i) for i in self.sampler]
        if self.shuffle:
            return _generator(self.generator).permutation(len(self.dataset)).tolist()
        return list(range(len(self.dataset)))

    def __iter__(self) -> Iterator[Any]:
        indices = self._indices()
        if self.batch_size is None:
            return (self.dataset[i] for i in indices)
        return self._batches(indices, self.batch_size)

    def _batches(self, indices: list[int], size: int) -> Iterator[Any]:
        for start in range(0, len(indices), size):
            chunk = indices[start:start + size]
            if len(chunk) < size and self.drop_last:
                return
            yield self.collate_fn([self.dataset[i] for i in chunk])

    def __len__(self) -> int:
        n = len(self.sampler if self.sampler is not None else self.dataset)  # type: ignore
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
