"""utils.data: datasets, random_split, default_collate and the DataLoader (batching, shuffling
from the package's generator, drop_last, len, iterating twice), and a minibatch training loop."""

import collections
import warnings

import numpy as np
import pytest

import tinygrad_lr as t
import tinygrad_lr.utils.data
from tinygrad_lr import nn, optim
from tinygrad_lr.utils.data import (
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


def rows(n=10):
    x = t.arange(n).float().reshape(n, 1)
    return TensorDataset(x, 2 * x)


def test_the_module_is_where_pytorch_has_it():
    assert t.utils.data is tinygrad_lr.utils.data
    assert t.utils.data.DataLoader is DataLoader


def test_tensor_dataset_samples_are_rows_of_each_tensor():
    ds = rows()
    assert len(ds) == 10
    x, y = ds[3]
    assert x.tolist() == [3.0] and y.tolist() == [6.0]
    with pytest.raises(ValueError, match=r"Size mismatch between tensors.*\(3, 2\), \(4,\)"):
        TensorDataset(t.ones(3, 2), t.ones(4))
    with pytest.raises(TypeError, match="argument 1 is a list, not a Tensor"):
        TensorDataset(t.ones(3), [1, 2, 3])


def test_subset_and_a_dataset_subclass():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return float(i), i * i

    sub = Subset(Squares(), [4, 0])
    assert len(sub) == 2 and sub[0] == (4.0, 16) and sub[[1, 0]] == [(0.0, 0), (4.0, 16)]
    with pytest.raises(NotImplementedError, match="must define __getitem__"):
        Dataset()[0]


def test_batches_in_order_with_a_short_last_batch_or_dropped():
    loader = DataLoader(rows(), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [xb.shape for xb, _ in batches] == [(4, 1), (4, 1), (2, 1)]
    assert batches[0][0].tolist() == [[0.0], [1.0], [2.0], [3.0]]
    assert isinstance(batches[0], list)  # PyTorch's default_collate: a list of fields
    dropped = DataLoader(rows(), batch_size=4, drop_last=True)
    assert len(dropped) == 2 and len(list(dropped)) == 2


def test_shuffle_draws_a_new_order_each_pass_from_the_package_generator():
    loader = DataLoader(rows(), batch_size=10, shuffle=True)
    t.manual_seed(3)
    first, second = [next(iter(loader))[0].numpy().ravel() for _ in range(2)]
    assert sorted(first) == list(range(10)) and not np.array_equal(first, second)
    t.manual_seed(3)
    assert np.array_equal(next(iter(loader))[0].numpy().ravel(), first)  # repeatable


def test_a_given_generator_and_a_sampler():
    a = DataLoader(rows(), batch_size=10, shuffle=True, generator=np.random.default_rng(1))
    b = DataLoader(rows(), batch_size=10, shuffle=True, generator=np.random.default_rng(1))
    assert np.array_equal(next(iter(a))[0].numpy(), next(iter(b))[0].numpy())
    picked = DataLoader(rows(), batch_size=2, sampler=[9, 8, 0])
    assert [xb.numpy().ravel().tolist() for xb, _ in picked] == [[9.0, 8.0], [0.0]]
    assert len(picked) == 2


def test_batch_size_none_yields_samples_unbatched():
    loader = DataLoader(rows(3), batch_size=None)
    assert len(loader) == 3 and [x.tolist() for x, _ in loader] == [[0.0], [1.0], [2.0]]


def test_loader_settings_are_checked():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but "
                                         "got batch_size=0"):
        DataLoader(rows(), batch_size=0)
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(rows(), sampler=[0], shuffle=True)
    with pytest.raises(TypeError, match="generator must be a tinygrad_lr.Generator or a "
                                        "numpy.random.Generator"):
        DataLoader(rows(), shuffle=True, generator=42)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(rows(), num_workers=-1)
    # Accepted as in PyTorch; the batches are the same whatever their value.
    assert len(list(DataLoader(rows(), batch_size=5, num_workers=2, pin_memory=True))) == 2


def test_default_collate_keeps_the_structure_of_samples():
    Point = collections.namedtuple("Point", "x y")
    batch = default_collate([
        {"image": np.ones((2, 2), np.float32), "label": 1, "score": 0.5, "name": "a",
         "point": Point(t.tensor(1.0), 2)},
        {"image": np.zeros((2, 2), np.float32), "label": 0, "score": 1.5, "name": "b",
         "point": Point(t.tensor(3.0), 4)},
    ])  # fmt: skip
    assert batch["image"].shape == (2, 2, 2) and batch["image"].dtype == t.float32
    assert batch["label"].dtype == t.int64 and batch["label"].tolist() == [1, 0]
    assert batch["score"].dtype == t.float64  # Python floats: float64, as in PyTorch
    assert batch["name"] == ["a", "b"]
    assert isinstance(batch["point"], Point) and batch["point"].x.tolist() == [1.0, 3.0]
    assert default_collate([[True, 1], [False, 2]])[0].dtype == t.bool_
    assert default_collate([np.float32(1.5), np.float32(2.5)]).dtype == t.float32


def test_default_collate_errors():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal "
                                           "size"):
        default_collate([(1, 2), (3,)])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        default_collate([t.ones(2), t.ones(3)])
    with pytest.raises(TypeError, match="found object"):
        default_collate([object()])


def test_random_split_by_counts_and_by_fractions():
    t.manual_seed(0)
    train, test = random_split(rows(), [7, 3])
    assert (len(train), len(test)) == (7, 3)
    together = sorted(int(train[i][0].item()) for i in range(7)) + \
        sorted(int(test[i][0].item()) for i in range(3))  # fmt: skip
    assert sorted(together) == list(range(10))
    parts = random_split(range(10), [0.34, 0.33, 0.33], generator=np.random.default_rng(2))
    assert [len(p) for p in parts] == [4, 3, 3]  # ⌊3.4⌋, ⌊3.3⌋, ⌊3.3⌋ and the 1 left over
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [0.9, 0.1])
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length"):
        random_split(range(10), [5, 4])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        random_split(range(10), [1.5, -0.5])


def test_a_minibatch_training_loop_fits_a_line():
    t.manual_seed(0)
    x = t.rand(64, 1) * 4
    y = 3 * x - 1
    model = nn.Linear(1, 1)
    opt = optim.SGD(model.parameters(), lr=0.05)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the shapes match: no broadcasting warning
        for _ in range(60):
            for xb, yb in loader:
                opt.zero_grad()
                nn.MSELoss()(model(xb), yb).backward()
                opt.step()
    assert model.weight.item() == pytest.approx(3.0, abs=0.05)
    assert model.bias.item() == pytest.approx(-1.0, abs=0.1)
