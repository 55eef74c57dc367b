"""The scatter family (scatter, scatter_add, index_add, index_fill, index_copy and their in-place
forms) and `tinygrad_lr.Generator` with every `generator=` argument."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.utils.data import DataLoader, TensorDataset, random_split


def leaf(values) -> t.Tensor:
    return t.tensor(np.asarray(values, np.float64), requires_grad=True)


IDX = t.tensor([[2, 0, 1], [1, 2, 0]])  # no place named twice along dim 1 of a (2, 3)


# --- values ------------------------------------------------------------------------------------


def test_scatter_writes_src_where_the_index_points_and_keeps_the_rest():
    x = t.arange(8.0).reshape(2, 4)
    out = x.scatter(1, t.tensor([[3], [0]]), t.tensor([[10.0, 99.0], [20.0, 99.0]]))
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 2, 10], [20, 5, 6, 7]])
    np.testing.assert_array_equal(x.numpy(), np.arange(8.0).reshape(2, 4))  # a copy


def test_scatter_of_a_number_and_the_value_keyword():
    x = t.zeros(2, 3)
    a = x.scatter(0, t.tensor([[1, 0, 1]]), 1.5)
    b = t.scatter(x, 0, t.tensor([[1, 0, 1]]), value=1.5)
    np.testing.assert_array_equal(a.numpy(), [[0, 1.5, 0], [1.5, 0, 1.5]])
    assert a.equal(b)


def test_scatter_keeps_the_last_of_repeated_places_and_scatter_add_sums_them():
    idx = t.tensor([0, 2, 0, 0])
    src = t.tensor([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(t.zeros(3).scatter(0, idx, src).numpy(), [4, 0, 2])
    np.testing.assert_array_equal(t.zeros(3).scatter_add(0, idx, src).numpy(), [8, 0, 2])
    np.testing.assert_array_equal(t.zeros(3).scatter(0, idx, src, reduce="add").numpy(),
                                  [8, 0, 2])  # fmt: skip


def test_index_add_fill_and_copy():
    x = t.ones(3, 2)
    src = t.tensor([[1.0, 2.0], [3.0, 4.0]])
    i = t.tensor([2, 0])
    np.testing.assert_array_equal(x.index_add(0, i, src, alpha=2).numpy(),
                                  [[7, 9], [1, 1], [3, 5]])  # fmt: skip
    np.testing.assert_array_equal(t.index_fill(x, 1, t.tensor([1]), -1.0).numpy(),
                                  [[1, -1]] * 3)  # fmt: skip
    np.testing.assert_array_equal(t.index_copy(x, 0, i, src).numpy(), [[3, 4], [1, 1], [1, 2]])
    np.testing.assert_array_equal(t.index_add(t.zeros(2), 0, t.tensor([1, 1]), t.ones(2)).numpy(),
                                  [0, 2])  # fmt: skip
    np.testing.assert_array_equal(t.zeros(2).index_copy(0, t.tensor([1, 1]),
                                                        t.tensor([5.0, 6.0])).numpy(), [0, 6])


def test_integer_tensors_scatter_without_a_graph():
    out = t.zeros(3, dtype=t.int64).scatter_add(0, t.tensor([1, 1]), t.tensor([2, 3]))
    assert out.dtype == t.int64 and out.tolist() == [0, 5, 0]


def test_in_place_forms_change_self_and_return_it():
    x = t.zeros(2, 3)
    assert x.scatter_(1, IDX, t.ones(2, 3)) is x and x.sum().item() == 6
    x.scatter_add_(1, IDX, t.ones(2, 3))
    x.index_add_(0, t.tensor([0]), t.ones(1, 3), alpha=3)
    x.index_fill_(1, t.tensor([0]), 0.0)
    np.testing.assert_array_equal(x.numpy(), [[0, 5, 5], [0, 2, 2]])
    x.index_copy_(0, t.tensor([1]), t.full((1, 3), 7.0))
    x.scatter_(0, t.tensor([[0]]), value=-1.0)
    np.testing.assert_array_equal(x.numpy(), [[-1, 5, 5], [7, 7, 7]])


# --- gradients ---------------------------------------------------------------------------------


def test_scatter_gradients_follow_pytorchs_rule():
    x, src = leaf(np.ones((2, 3))), leaf(np.arange(6.0).reshape(2, 3))
    g = t.tensor(np.arange(1.0, 7.0).reshape(2, 3))
    x.scatter(1, IDX[:, :2], src).backward(g)
    # self: g, but 0 at the overwritten places; src: g at the place each element went
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 2, 0], [4, 0, 0]])
    np.testing.assert_array_equal(src.grad.numpy(), [[3, 1, 0], [5, 6, 0]])


def test_scatter_gives_the_gradient_to_the_element_that_won():
    src = leaf([1.0, 2.0, 3.0])
    t.zeros(2, dtype=t.float64).scatter(0, t.tensor([1, 1, 0]), src).backward(t.tensor([5.0, 7.0]))
    np.testing.assert_array_equal(src.grad.numpy(), [0, 7, 5])


@pytest.mark.parametrize("fn", [
    lambda x, s: x.scatter(1, IDX, s),
    lambda x, s: x.scatter_add(0, t.tensor([[1, 1, 0]]), s[:1]),
    lambda x, s: x.index_add(1, t.tensor([2, 2, 0]), s, alpha=-0.5),
    lambda x, s: x.index_copy(1, t.tensor([2, 0, 1]), s),
    lambda x, s: x.index_fill(1, t.tensor([0]), s[0, 0]) * s,
    lambda x, s: (x * 1).scatter_(1, IDX, s),
    lambda x, s: (x * 1).index_add_(0, t.tensor([1]), s[1:]),
], ids=["scatter", "scatter_add", "index_add", "index_copy", "index_fill", "scatter_",
        "index_add_"])  # fmt: skip
def test_gradcheck_and_gradgradcheck(fn):
    rng = np.random.default_rng(0)
    x, s = leaf(rng.normal(size=(2, 3))), leaf(rng.normal(size=(2, 3)))
    assert t.gradcheck(fn, [x, s])
    assert t.gradgradcheck(fn, [x, s])


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, error, words", [
    (lambda: t.zeros(2, 3).scatter(1, t.tensor([[0]], dtype=t.int32), 1.0), RuntimeError,
     "Expected dtype int64 for index"),
    (lambda: t.zeros(2, 3).scatter(2, IDX, 1.0), IndexError, "Dimension out of range"),
    (lambda: t.zeros(2, 3).scatter(1, t.tensor([0, 1]), 1.0), RuntimeError,
     "same number of dimensions as self"),
    (lambda: t.zeros(2, 3).scatter_add(1, IDX, t.ones(2, 2)), RuntimeError,
     "Expected index [2, 3] to be no larger than self [2, 3] apart from dimension 1 and to be "
     "no larger than src [2, 2]"),
    (lambda: t.zeros(2, 3).scatter_add(1, IDX + 1, t.ones(2, 3)), RuntimeError,
     "index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: t.zeros(2, 3).scatter_add(1, IDX, t.ones(2, 3, dtype=t.float64)), RuntimeError,
     "self.dtype to be equal to src.dtype"),
    (lambda: t.zeros(2, 3).index_add(0, t.tensor([0]), t.ones(1, 2)), RuntimeError,
     "self.shape = [2, 3] source.shape = [1, 2]"),
    (lambda: t.zeros(2, 3).index_fill(0, t.tensor([[0]]), 1.0), IndexError,
     "Index is supposed to be a vector"),
    (lambda: t.zeros(2, 3).index_copy(0, t.tensor([0.0]), t.ones(1, 3)), RuntimeError,
     "Expected dtype int32 or int64 for index"),
    (lambda: t.zeros(2, 3, requires_grad=True).scatter_(1, IDX, 1.0), RuntimeError,
     "leaf Variable that requires grad"),
])  # fmt: skip
def test_errors_name_the_problem(call, error, words):
    with pytest.raises(error) as err:
        call()
    assert words in str(err.value)


# --- against PyTorch ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scatter", "scatter_add", "index_add", "index_copy"])
def test_values_and_gradients_match_pytorch(name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x, src, g = (rng.normal(size=(3, 4)) for _ in range(3))
    scatter_index = np.stack([rng.permutation(4)[:3] for _ in range(2)])  # no repeats
    args = {"scatter": (1, scatter_index), "scatter_add": (1, rng.integers(0, 4, (2, 3))),
            "index_add": (0, np.array([2, 0, 2])), "index_copy": (0, np.array([2, 0, 1]))}[name]
    src = src[:2, :3] if name.startswith("scatter") else src
    results = []
    for lib in (t, torch):
        a, b = (lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in (x, src))
        out = getattr(a, name)(args[0], lib.tensor(args[1]), b)
        out.backward(lib.tensor(g))
        results.append([v.detach().numpy() for v in (out, a.grad, b.grad)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs)


# --- Generator ---------------------------------------------------------------------------------


def draws(g) -> list:
    return [t.rand(3, generator=g), t.randn(2, generator=g), t.randint(0, 100, (3,), generator=g),
            t.randperm(5, generator=g), t.normal(0.0, 1.0, (2,), generator=g),
            t.bernoulli(t.full((4,), 0.5), generator=g),
            t.multinomial(t.ones(4), 2, generator=g), t.zeros(3).uniform_(generator=g),
            t.zeros(2).normal_(generator=g), t.zeros(3).bernoulli_(0.5, generator=g)]


def same(a: list, b: list) -> bool:
    return all(x.equal(y) for x, y in zip(a, b))


def test_the_same_seed_gives_the_same_numbers_whatever_manual_seed_does():
    t.manual_seed(0)
    first = draws(t.Generator().manual_seed(7))
    t.manual_seed(1)
    t.rand(10)  # the package's generator moves; the Generator does not see it
    assert same(draws(t.Generator().manual_seed(7)), first)
    assert not same(draws(t.Generator().manual_seed(8)), first)


def test_a_generator_leaves_the_package_generator_alone():
    t.manual_seed(3)
    expected = t.rand(4)
    t.manual_seed(3)
    draws(t.Generator().manual_seed(0))
    assert t.rand(4).equal(expected)


def test_seed_initial_seed_state_and_device():
    g = t.Generator(device="cpu")
    assert str(g.device) == "cpu"
    assert g.manual_seed(2**64 + 5).initial_seed() == 5
    s = g.seed()
    assert g.initial_seed() == s and isinstance(s, int)
    state = g.get_state()
    assert state.dtype == t.uint8 and state.ndim == 1
    a = t.rand(5, generator=g)
    assert g.set_state(state) is g
    assert t.rand(5, generator=g).equal(a)
    with pytest.raises(TypeError, match="uint8 tensor"):
        g.set_state("state")
    with pytest.raises(RuntimeError, match="not the state"):
        g.set_state(t.zeros(3, dtype=t.uint8))
    with pytest.raises(TypeError, match="tinygrad_lr.Generator or a numpy"):
        t.rand(2, generator=42)
    with pytest.raises(RuntimeError, match="cuda"):
        t.Generator("cuda")


def test_random_split_and_dataloader_take_a_generator():
    ds = TensorDataset(t.arange(10))
    parts = [random_split(ds, [8, 2], generator=t.Generator().manual_seed(42)) for _ in range(2)]
    assert parts[0][0].indices == parts[1][0].indices and len(parts[0][1]) == 2
    assert sorted(parts[0][0].indices + parts[0][1].indices) == list(range(10))
    loaders = [DataLoader(ds, batch_size=4, shuffle=True, generator=t.Generator().manual_seed(5))
               for _ in range(2)]  # fmt: skip
    orders = [[b[0].tolist() for b in loader] for loader in loaders]
    assert orders[0] == orders[1] and sorted(sum(orders[0], [])) == list(range(10))
    # a numpy Generator is still taken
    a = random_split(ds, [5, 5], generator=np.random.default_rng(0))[0].indices
    assert a == random_split(ds, [5, 5], generator=np.random.default_rng(0))[0].indices


def test_nn_init_takes_a_generator():
    w = [t.nn.init.normal_(t.empty(3), generator=t.Generator().manual_seed(1)) for _ in range(2)]
    assert w[0].equal(w[1])
