"""Picking and comparing: gather, sort, topk, masked_fill, bincount, the comparisons, new_*,
and the small products bmm, dot, outer."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t

X = [[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]


def test_gather_picks_along_a_dim_and_adds_gradients_back_where_it_picked() -> None:
    x = t.tensor(X, requires_grad=True)
    picked = x.gather(1, t.tensor([[2, 2], [0, 1]]))
    assert picked.tolist() == [[2.0, 2.0], [0.0, 5.0]]
    picked.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 2.0], [1.0, 1.0, 0.0]]  # element (0, 2) picked twice
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 1 with size 3"):
        x.gather(1, t.tensor([[3], [0]]))
    with pytest.raises(RuntimeError, match="Expected dtype int64 for index"):
        x.gather(1, t.tensor([[0.0], [1.0]]))
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        x.gather(1, t.tensor([0, 1]))


def test_sort_argsort_and_topk() -> None:
    x = t.tensor(X, requires_grad=True)
    values, indices = x.sort(dim=1, descending=True)
    assert values.tolist() == [[3.0, 2.0, 1.0], [5.0, 4.0, 0.0]]
    assert indices.tolist() == [[0, 2, 1], [1, 2, 0]] and indices.dtype == t.int64
    assert x.argsort(dim=0).tolist() == [[1, 0, 0], [0, 1, 1]]
    top = x.topk(2, dim=1)
    assert top.values.tolist() == [[3.0, 2.0], [5.0, 4.0]]
    assert top.indices.tolist() == [[0, 2], [1, 2]]
    assert t.topk(x, 1, largest=False).values.tolist() == [[1.0], [0.0]]
    top.values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]
    ties = t.tensor([1.0, float("nan"), 3.0, 3.0, 1.0])
    assert ties.sort(descending=True).indices.tolist() == [1, 2, 3, 0, 4]  # nan largest, ties kept
    assert ties.sort().indices.tolist() == [0, 4, 2, 3, 1]
    with pytest.raises(RuntimeError, match="k out of range"):
        x.topk(4)


def test_masked_fill_out_of_place_and_in_place() -> None:
    x = t.tensor(X, requires_grad=True)
    mask = t.tensor([True, False, True])
    filled = x.masked_fill(mask, -1.0)
    assert filled.tolist() == [[-1.0, 1.0, -1.0], [-1.0, 5.0, -1.0]]
    filled.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]
    y = t.zeros(3)
    assert y.masked_fill_(mask, 7).tolist() == [7.0, 0.0, 7.0]
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        y.masked_fill(t.tensor([1, 0, 1]), 0.0)


def test_bincount_counts_and_sums_weights() -> None:
    assert t.bincount(t.tensor([0, 2, 2]), minlength=4).tolist() == [1, 0, 2, 0]
    weighted = t.tensor([0, 2, 2]).bincount(weights=t.tensor([1.0, 2.0, 3.0]))
    assert weighted.tolist() == [1.0, 0.0, 5.0] and weighted.dtype == t.float32
    with pytest.raises(RuntimeError, match="1-d non-negative integral"):
        t.bincount(t.tensor([-1, 2]))


def test_comparing_whole_tensors() -> None:
    a = t.tensor([1.0, float("nan"), float("inf")])
    assert a.isnan().tolist() == [False, True, False]
    assert t.isinf(a).tolist() == [False, False, True]
    assert t.isfinite(a).tolist() == [True, False, False]
    assert t.allclose(t.ones(2), t.ones(2) + 1e-7) and not t.allclose(t.ones(2), t.zeros(2))
    assert t.isclose(t.ones(2), t.tensor([1.0, 2.0])).tolist() == [True, False]
    assert t.equal(t.ones(2), t.ones(2, dtype=t.float64)) and not t.equal(t.ones(2), t.ones(3))
    assert t.is_tensor(a) and not t.is_tensor(np.ones(2)) and t.numel(t.ones(2, 3)) == 6


def test_new_tensors_take_self_s_dtype() -> None:
    x = t.ones(2, dtype=t.float64)
    assert x.new_zeros(2, 3).dtype == t.float64 and x.new_zeros((2, 3)).shape == (2, 3)
    assert x.new_ones(1).tolist() == [1.0] and x.new_full((2,), 3).tolist() == [3.0, 3.0]
    assert x.new_tensor([1, 2]).dtype == t.float64 and x.new_empty(0).shape == (0,)
    assert t.ones(2).type_as(t.ones(1, dtype=t.int64)).dtype == t.int64


@pytest.mark.parametrize("make", ["new_tensor", "new_zeros", "new_ones", "new_full", "new_empty"])
def test_new_tensors_refuse_a_device_other_than_the_cpu(make: str) -> None:
    x = t.ones(2)
    args = {"new_tensor": ([1.0],), "new_full": ((2,), 1.0)}.get(make, (2,))
    assert getattr(x, make)(*args, device="cpu").device == t.device("cpu")
    with pytest.raises(RuntimeError, match="'cuda' is not available"):
        getattr(x, make)(*args, device="cuda")


def test_bmm_dot_and_outer() -> None:
    a, b = t.ones(2, 3, 4), t.ones(2, 4, 5)
    assert t.bmm(a, b).shape == (2, 3, 5) and t.bmm(a, b)[0, 0, 0].item() == 4.0
    with pytest.raises(RuntimeError, match="3-D tensors with the same batch size"):
        t.bmm(a, t.ones(3, 4, 5))
    u = t.tensor([1.0, 2.0], requires_grad=True)
    v = t.tensor([3.0, 4.0])
    assert t.dot(u, v).item() == 11.0 and t.outer(u, v).tolist() == [[3.0, 4.0], [6.0, 8.0]]
    t.outer(u, v).sum().backward()
    assert u.grad.tolist() == [7.0, 7.0]
    with pytest.raises(RuntimeError, match="1-D tensors of the same size"):
        t.dot(u, t.ones(3))


def test_the_same_answers_as_pytorch() -> None:
    torch = pytest.importorskip("torch")

    def answers(lib):
        x = lib.tensor([[3.0, 1.0, 2.0, 2.0], [0.0, 5.0, 4.0, 5.0]])
        return [x.sort(1).values.tolist(), x.sort(1).indices.tolist(),
                x.sort(0, descending=True).indices.tolist(), x.topk(3, 1).values.tolist(),
                x.gather(0, lib.tensor([[1, 0, 1, 1]])).tolist(),
                x.masked_fill(x > 2, 0.5).tolist(),
                lib.bincount(lib.tensor([1, 1, 3]), minlength=2).tolist()]  # fmt: skip

    assert answers(t) == answers(torch)
