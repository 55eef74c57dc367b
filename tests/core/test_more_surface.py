"""PyTorch names added together: the Tensor's mT, is_contiguous, element_size, nbytes, repeat,
amax/amin, unbind, narrow, index_select and the in-place clamp_, sqrt_, abs_, exp_, neg_; the
functions dist, tril, triu, diag, trace, nonzero, argwhere, count_nonzero, unique, meshgrid,
einsum, inference_mode and set_printoptions; and tinygrad_lr.linalg's norms.

First their values, shapes, dtypes and gradients, written out; then each against PyTorch itself
(skipped without it): the same program on the same numbers, values and gradients compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from pytorch_programs import assert_same_as_pytorch

import tinygrad_lr as t

M = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]


@pytest.fixture(autouse=True)
def default_printing() -> Iterator[None]:
    yield
    t.set_printoptions(profile="default")


# ---------------------------------------------------------------------------------------------
# The Tensor's new properties and methods
# ---------------------------------------------------------------------------------------------


def test_mT_transposes_the_last_two_dimensions_of_a_batch() -> None:
    x = t.arange(24.0).reshape(2, 3, 4).requires_grad_()
    y = x.mT
    assert y.shape == (2, 4, 3) and y[1, 3, 2].item() == x[1, 2, 3].item()
    assert t.tensor(M).mT.tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    (y * t.arange(24.0).reshape(2, 4, 3)).sum().backward()
    assert x.grad.tolist() == t.arange(24.0).reshape(2, 4, 3).mT.tolist()


def test_is_contiguous_element_size_and_nbytes() -> None:
    x = t.zeros(2, 3)
    assert x.is_contiguous() and not x.t().is_contiguous()
    assert not t.zeros(1, 3).expand(4, 3).is_contiguous()
    c = x.t().contiguous()
    assert c.is_contiguous() and c.tolist() == x.t().tolist()
    assert x.contiguous() is x  # already contiguous: itself, as in PyTorch
    w = t.ones(2, 3, requires_grad=True)
    assert w.t().contiguous().grad_fn.name == "clone"
    assert x.element_size() == 4 and x.nbytes == 24
    assert t.zeros(5, dtype=t.float64).element_size() == 8
    assert t.zeros(3, dtype=t.bool).nbytes == 3 and t.zeros(3, dtype=t.int16).nbytes == 6


def test_repeat_tiles_and_adds_the_gradients_of_the_copies() -> None:
    x = t.tensor([[1.0, 2.0]], requires_grad=True)
    y = x.repeat(2, 3)
    assert y.tolist() == [[1.0, 2.0] * 3] * 2
    assert x.repeat(2, 1, 1).shape == (2, 1, 2) and x.repeat((3, 1)).shape == (3, 2)
    assert t.tensor(5).repeat(3).tolist() == [5, 5, 5]
    assert t.ones(2, 3).repeat(0, 2).shape == (0, 6)
    (y * t.arange(12.0).reshape(2, 6)).sum().backward()
    # x[0] is at columns 0, 2, 4 of both rows: 0 + 2 + 4 + 6 + 8 + 10
    assert x.grad.tolist() == [[30.0, 36.0]]
    plain = t.tensor([1, 2])
    tiled = plain.repeat(2)
    tiled[0] = 9  # a copy: the tensor repeated is unchanged
    assert plain.tolist() == [1, 2] and tiled.tolist() == [9, 2, 1, 2]


def test_amax_and_amin_reduce_several_dims_and_split_ties_evenly() -> None:
    x = t.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    assert x.amax().item() == 3.0 and x.amin().item() == 0.0
    assert x.amax(1).tolist() == [3.0, 2.0] and x.amin(0).tolist() == [1.0, 2.0, 0.0]
    assert x.amax((0, 1), keepdim=True).shape == (1, 1) and t.amax(x, dim=-1).shape == (2,)
    x.amax(1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]]
    x.grad = None
    t.amin(x, 1).sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert x.amax(1).grad_fn.name == "amax"
    assert t.tensor([1, 5, 3]).amax().dtype == t.int64  # integers stay integers
    assert t.tensor([True, False]).amin().item() is False
    assert np.isnan(t.tensor([1.0, float("nan")]).amax().item())


def test_unbind_and_narrow_are_views_with_gradients() -> None:
    x = t.tensor(M, requires_grad=True)
    columns = x.unbind(1)
    assert [c.tolist() for c in columns] == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert len(t.unbind(x)) == 2 and t.ones(0, 2).unbind(0) == ()
    middle = x.narrow(1, 1, 2)
    assert middle.tolist() == [[2.0, 3.0], [5.0, 6.0]]
    assert t.narrow(x, 1, -1, 1).tolist() == [[3.0], [6.0]]
    assert x.narrow(1, 3, 0).shape == (2, 0) and x.narrow(0, t.tensor(1), 1).tolist() == [M[1]]
    (columns[0].sum() + middle.sum() * 10).backward()
    assert x.grad.tolist() == [[1.0, 10.0, 10.0], [1.0, 10.0, 10.0]]
    plain = t.zeros(2, 3)
    plain.narrow(1, 0, 1).fill_(7.0)  # a view: the write reaches the tensor
    assert plain.tolist() == [[7.0, 0.0, 0.0], [7.0, 0.0, 0.0]]


def test_index_select_picks_slices_in_order_and_adds_repeated_gradients() -> None:
    x = t.tensor(M, requires_grad=True)
    y = x.index_select(1, t.tensor([2, 0, 2]))
    assert y.tolist() == [[3.0, 1.0, 3.0], [6.0, 4.0, 6.0]]
    assert t.index_select(x, 0, t.tensor([1], dtype=t.int32)).tolist() == [M[1]]
    assert x.index_select(1, t.tensor(1)).shape == (2, 1)  # a 0-d index keeps the dim
    assert t.tensor(5.0).index_select(0, t.tensor([0])).tolist() == 5.0
    y.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 2.0], [1.0, 0.0, 2.0]]


@pytest.mark.parametrize("name, values, expected, slope", [
    ("exp_", [0.0, 1.0], [1.0, np.e], [1.0, np.e]),
    ("sqrt_", [4.0, 9.0], [2.0, 3.0], [0.25, 1 / 6]),
    ("abs_", [-2.0, 3.0], [2.0, 3.0], [-1.0, 1.0]),
    ("neg_", [-2.0, 3.0], [2.0, -3.0], [-1.0, -1.0]),
])  # fmt: skip
def test_in_place_functions_change_values_and_record_the_change(name, values, expected, slope):
    x = t.tensor(values)
    assert getattr(x, name)() is x and np.allclose(x.tolist(), expected)
    w = t.tensor(values, requires_grad=True)
    h = w * 1.0
    getattr(h, name)()
    assert h.grad_fn.name == name.rstrip("_") and h._version == 1
    h.sum().backward()
    assert np.allclose(w.grad.tolist(), slope)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(t.tensor(values, requires_grad=True), name)()


def test_clamp_in_place() -> None:
    x = t.tensor([-2.0, 0.5, 3.0])
    assert x.clamp_(-1, 1) is x and x.tolist() == [-1.0, 0.5, 1.0]
    assert t.tensor([1, 2, 3]).clamp_(min=2).tolist() == [2, 2, 3]
    assert t.tensor([1.0, 5.0]).clamp_(max=t.tensor([0.0, 9.0])).tolist() == [0.0, 5.0]
    w = t.tensor([1.0, 2.0], requires_grad=True)
    h = w * 1.0
    h.clamp_(1.5, 3.0)
    h.sum().backward()
    assert h.tolist() == [1.5, 2.0] and w.grad.tolist() == [0.0, 1.0]
    lo = t.tensor([1.5, 0.0], requires_grad=True)
    y = t.tensor([1.0, 2.0])
    y.clamp_(lo)  # the bound requires grad: recorded, its gradient where it won
    y.sum().backward()
    assert y.tolist() == [1.5, 2.0] and lo.grad.tolist() == [1.0, 0.0]
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        t.ones(2).clamp_()


# ---------------------------------------------------------------------------------------------
# The new functions
# ---------------------------------------------------------------------------------------------


def test_dist_is_the_norm_of_the_difference() -> None:
    a = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = t.tensor([1.0, 0.0, 5.0])
    assert abs(t.dist(a, b).item() - 8**0.5) < 1e-6
    assert a.dist(b, 1).item() == 4.0 and t.dist(a, b, float("inf")).item() == 2.0
    assert t.dist(a, b, 0).item() == 2.0 and t.dist(a, b, float("-inf")).item() == 0.0
    assert t.dist(t.ones(2, 3), t.zeros(3), 1).item() == 6.0  # the two broadcast
    a.dist(b).backward()
    assert np.allclose(a.grad.tolist(), [0.0, 2 / 8**0.5, -2 / 8**0.5])


def test_tril_and_triu_keep_a_triangle_and_its_gradient() -> None:
    x = t.arange(1.0, 10.0).reshape(3, 3).requires_grad_()
    assert t.tril(x).tolist() == [[1.0, 0.0, 0.0], [4.0, 5.0, 0.0], [7.0, 8.0, 9.0]]
    assert x.triu(1).tolist() == [[0.0, 2.0, 3.0], [0.0, 0.0, 6.0], [0.0, 0.0, 0.0]]
    assert t.tril(t.ones(2, 2, 3, dtype=t.int64), -1).tolist() == [[[0, 0, 0], [1, 0, 0]]] * 2
    inf = t.tensor([[1.0, float("inf")], [2.0, 3.0]])
    assert inf.tril().tolist() == [[1.0, 0.0], [2.0, 3.0]]  # not inf · 0 = nan
    x.triu().sum().backward()
    assert x.grad.tolist() == [[1.0, 1.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]


def test_diag_both_ways_and_trace() -> None:
    v = t.tensor([1.0, 2.0], requires_grad=True)
    assert t.diag(v).tolist() == [[1.0, 0.0], [0.0, 2.0]]
    assert v.diag(-1).tolist() == [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    m = t.arange(6.0).reshape(2, 3).requires_grad_()
    assert m.diag().tolist() == [0.0, 4.0] and t.diag(m, 1).tolist() == [1.0, 5.0]
    assert m.diag(-1).tolist() == [3.0] and m.diag(5).shape == (0,)
    assert t.trace(m).item() == 4.0 and t.trace(t.arange(9).reshape(3, 3)).dtype == t.int64
    (t.diag(v, 1) * t.arange(9.0).reshape(3, 3)).sum().backward()
    assert v.grad.tolist() == [1.0, 5.0]  # v went to (0, 1) and (1, 2)
    m.trace().backward()
    assert m.grad.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_nonzero_argwhere_and_count_nonzero() -> None:
    x = t.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])
    assert t.nonzero(x).tolist() == [[0, 1], [0, 2], [1, 0]] and x.nonzero().dtype == t.int64
    rows, cols = t.nonzero(x, as_tuple=True)
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [1, 2, 0]
    assert x[rows, cols].tolist() == [1.0, 2.0, 3.0]  # the tuple form indexes
    assert t.argwhere(x).tolist() == x.nonzero().tolist()
    assert t.nonzero(t.tensor(3.0)).shape == (1, 0) and t.nonzero(t.zeros(2, 0)).shape == (0, 2)
    assert t.count_nonzero(x).item() == 3 and t.count_nonzero(x).dtype == t.int64
    assert x.count_nonzero(dim=0).tolist() == [1, 1, 1] and t.count_nonzero(x, (0, 1)).item() == 3


def test_unique_values_inverse_and_counts() -> None:
    u = t.tensor([3, 1, 2, 3, 1, 1])
    assert t.unique(u).tolist() == [1, 2, 3]
    values, inverse, counts = t.unique(u, return_inverse=True, return_counts=True)
    assert inverse.tolist() == [2, 0, 1, 2, 0, 0] and counts.tolist() == [3, 1, 2]
    assert values[inverse].tolist() == u.tolist()
    grid = t.tensor([[2.0, 1.0], [1.0, 3.0]])
    assert grid.unique(return_inverse=True)[1].tolist() == [[1, 0], [0, 2]]
    rows, inverse = t.unique(t.tensor([[2, 1], [1, 3], [2, 1]]), dim=0, return_inverse=True)
    assert rows.tolist() == [[1, 3], [2, 1]] and inverse.tolist() == [1, 0, 1]
    assert len(t.unique(t.tensor([float("nan"), 1.0, float("nan")]))) == 3  # nans are distinct


def test_meshgrid_ij_and_xy_with_gradients() -> None:
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = t.tensor([4.0, 5.0])
    gx, gy = t.meshgrid(x, y, indexing="ij")
    assert gx.tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    assert gy.tolist() == [[4.0, 5.0]] * 3
    xs, ys = t.meshgrid([x, y], indexing="xy")
    assert xs.shape == ys.shape == (2, 3) and xs.tolist() == [[1.0, 2.0, 3.0]] * 2
    assert [g.shape for g in t.meshgrid(x, y, t.ones(4), indexing="xy")] == [(2, 3, 4)] * 3
    (xs * ys).sum().backward()
    assert x.grad.tolist() == [9.0, 9.0, 9.0]
    with pytest.warns(UserWarning, match="indexing argument"):
        assert t.meshgrid(x, y)[0].shape == (3, 2)  # 'ij', with PyTorch's warning


def test_einsum_equations() -> None:
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = t.tensor([[0.5, -1.0], [2.0, 1.0]])
    assert t.einsum("ij,jk->ik", a, b).tolist() == (a @ b).tolist()
    assert t.einsum("ij,jk", [a, b]).tolist() == (a @ b).tolist()  # implicit, list form
    assert t.einsum("ii", a).item() == 5.0 and t.einsum("ii->i", a).tolist() == [1.0, 4.0]
    assert t.einsum("ij->ji", a).tolist() == a.t().tolist()
    assert t.einsum("i,j->ij", t.ones(2), t.ones(3)).shape == (2, 3)
    assert t.einsum("...ij,...jk->...ik", t.ones(5, 2, 3), t.ones(3, 4)).shape == (5, 2, 4)
    assert t.einsum("ba", t.ones(2, 3)).shape == (3, 2)  # implicit: letters sorted
    assert t.einsum("i,i->", t.tensor([1, 2]), t.tensor([3, 4])).item() == 11  # integers too
    assert t.einsum("ij,jk->ik", a, t.ones(1, 3)).tolist() == [[3.0] * 3, [7.0] * 3]  # 1 → 2
    t.einsum("ii->", a).backward()
    assert a.grad.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    a.grad = None
    t.einsum("ij,jk->ik", a, b).sum().backward()
    assert a.grad.tolist() == (t.ones(2, 2) @ b.t()).tolist()
    z = t.einsum("ij->ji", a)  # one operand: its own memory, never a view of a
    assert not np.shares_memory(z.detach().numpy(), a.detach().numpy())


def test_einsum_second_derivatives() -> None:
    # z = Σ x_i x_j A_ij = xᵀAx: the gradient (A + Aᵀ)x, the Hessian A + Aᵀ, both einsums.
    A = t.tensor([[1.0, 2.0], [0.0, 3.0]], dtype=t.float64)
    x = t.tensor([1.0, -1.0], dtype=t.float64, requires_grad=True)
    (g,) = t.autograd.grad(t.einsum("i,j,ij->", x, x, A), x, create_graph=True)
    assert g.tolist() == ((A + A.t()) @ x).tolist()
    hessian = [t.autograd.grad(g[i], x, retain_graph=True)[0].tolist() for i in range(2)]
    assert hessian == (A + A.t()).tolist()


def test_inference_mode_records_nothing_as_a_block_or_a_decorator() -> None:
    w = t.ones(2, requires_grad=True)
    with t.inference_mode():
        y = w * 2
        assert not t.is_grad_enabled()
    assert t.is_grad_enabled() and y.grad_fn is None and not y.requires_grad

    @t.inference_mode()
    def called() -> bool:
        return t.is_grad_enabled()

    @t.inference_mode
    def bare() -> bool:
        return t.is_grad_enabled()

    assert called() is False and bare() is False and t.is_grad_enabled()
    with t.no_grad(), t.inference_mode(False):  # inference_mode(False) records, as in PyTorch
        assert (w * 2).requires_grad
    assert t.is_grad_enabled()


def test_set_printoptions_and_its_profiles() -> None:
    third = t.tensor([1.0 / 3.0, 2.0])
    assert repr(third) == "tensor([0.3333, 2.0000])"
    t.set_printoptions(precision=2)
    assert repr(third) == "tensor([0.33, 2.00])"
    t.set_printoptions(sci_mode=True)  # (precision stays: only sci_mode resets when not given)
    assert repr(third) == "tensor([3.33e-01, 2.00e+00])"
    t.set_printoptions(profile="default")
    t.set_printoptions(threshold=5, edgeitems=2)
    assert repr(t.arange(10)) == "tensor([0, 1,  ..., 8, 9])"
    t.set_printoptions(profile="full")
    assert "..." not in repr(t.arange(2000))
    # (30 - len("tensor(")) // len("0., "): 5 numbers a line
    t.set_printoptions(profile="default", linewidth=30)
    assert repr(t.arange(8.0)) == "tensor([0., 1., 2., 3., 4.,\n        5., 6., 7.])"
    t.set_printoptions(profile="default")
    assert repr(t.arange(1100)).startswith("tensor([   0,    1,    2,  ..., 1097")


def test_linalg_norms() -> None:
    m = t.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], requires_grad=True)
    assert abs(t.linalg.norm(m).item() - 91**0.5) < 1e-5  # every element: Frobenius
    assert t.linalg.norm(m, ord=1).item() == 9.0 and t.linalg.norm(m, float("inf")).item() == 15.0
    assert t.linalg.norm(m, -1).item() == 5.0 and t.linalg.norm(m, float("-inf")).item() == 6.0
    assert np.allclose(t.linalg.norm(m, dim=1).tolist(), [14**0.5, 77**0.5])
    assert t.linalg.norm(m, keepdim=True).shape == (1, 1)
    assert t.linalg.norm(m, ord=1, dim=(1, 0)).item() == 15.0
    v = t.tensor([3.0, -4.0, 0.0])
    assert t.linalg.vector_norm(v).item() == 5.0 and t.linalg.vector_norm(v, 1).item() == 7.0
    assert t.linalg.vector_norm(v, 0).item() == 2.0 and t.linalg.vector_norm(v, -np.inf) == 0.0
    assert t.linalg.vector_norm(m, dtype=t.float64).dtype == t.float64
    t.linalg.norm(m, ord=1).backward()  # the largest column sum: column 2, its signs
    assert m.grad.tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]]


# ---------------------------------------------------------------------------------------------
# Against PyTorch: the same programs, the same numbers
# ---------------------------------------------------------------------------------------------

RNG = np.random.default_rng(0)


def _floats(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def _distinct(*shape: int) -> np.ndarray:
    return RNG.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) / 4


TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
INDEX = np.array([2, 0, 2])
WITH_ZEROS = np.array([[0.0, 1.5, -2.0], [3.0, 0.0, 0.0]])

# name -> (program of the library `lib` and the inputs, the inputs as arrays). Float arrays
# become float64 leaves that require grad; integer arrays are constants.
PROGRAMS: dict[str, tuple[Callable[..., Any], list[np.ndarray]]] = {
    "mT": (lambda lib, x: x.mT, [_floats(2, 3, 4)]),
    "repeat": (lambda lib, x: x.repeat(2, 1, 3), [_floats(2, 3)]),
    "amax-dim": (lambda lib, x: x.amax(1), [_distinct(3, 4)]),
    "amax-dims-keepdim": (lambda lib, x: lib.amax(x, (0, 2), keepdim=True), [_distinct(2, 3, 2)]),
    "amax-ties": (lambda lib, x: x.amax(1), [TIES]),
    "amax-all-ties": (lambda lib, x: x.amax(), [TIES]),
    "amin-ties": (lambda lib, x: lib.amin(x, 0), [TIES]),
    "unbind": (lambda lib, x: x.unbind(1), [_floats(2, 3)]),
    "narrow": (lambda lib, x: lib.narrow(x, 1, -3, 2), [_floats(2, 4)]),
    "index_select": (lambda lib, x, i: x.index_select(1, i), [_floats(2, 3), INDEX]),
    "clamp_": (lambda lib, x: (x * 1).clamp_(-0.5, 0.5), [_floats(3, 3)]),
    "sqrt_": (lambda lib, x: (x * x + 0.5).sqrt_(), [_floats(3)]),
    "abs_": (lambda lib, x: (x * 2).abs_(), [_floats(4)]),
    "exp_": (lambda lib, x: (x * 1).exp_(), [_floats(4)]),
    "neg_": (lambda lib, x: (x * 3).neg_(), [_floats(4)]),
    "dist": (lambda lib, a, b: lib.dist(a, b), [_floats(2, 3), _floats(3)]),
    "dist-p": (lambda lib, a, b: (a.dist(b, 1), a.dist(b, 3), lib.dist(a, b, float("inf"))),
               [_distinct(4), _distinct(4)]),
    "tril": (lambda lib, x: lib.tril(x, 1), [_floats(2, 3, 4)]),
    "triu": (lambda lib, x: x.triu(-1), [_floats(4, 3)]),
    "diag-vector": (lambda lib, v: (lib.diag(v), lib.diag(v, 2), v.diag(-1)), [_floats(3)]),
    "diag-matrix": (lambda lib, m: (lib.diag(m), m.diag(1), lib.diag(m, -2)), [_floats(3, 4)]),
    "trace": (lambda lib, m: lib.trace(m), [_floats(3, 4)]),
    "trace-int": (lambda lib, m: lib.trace(m), [np.arange(9).reshape(3, 3)]),
    "nonzero": (lambda lib, x: (lib.nonzero(x), *lib.nonzero(x, as_tuple=True)), [WITH_ZEROS]),
    "argwhere": (lambda lib, x: lib.argwhere(x), [WITH_ZEROS]),
    "count_nonzero": (lambda lib, x: (lib.count_nonzero(x), x.count_nonzero(1)), [WITH_ZEROS]),
    "unique": (lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True),
               [np.array([[3, 1], [2, 3], [1, 1]])]),
    "unique-dim": (lambda lib, x: lib.unique(x, dim=0, return_counts=True),
                   [np.array([[2, 1], [1, 3], [2, 1]])]),
    "meshgrid-ij": (lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"), [_floats(3), _floats(2)]),
    "meshgrid-xy": (lambda lib, a, b, c: lib.meshgrid(a, b, c, indexing="xy"),
                    [_floats(3), _floats(2), _floats(4)]),
    "einsum-matmul": (lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), [_floats(2, 3),
                                                                         _floats(3, 4)]),
    "einsum-batch-ellipsis": (lambda lib, a, b: lib.einsum("...ij,...jk", a, b),
                              [_floats(2, 2, 3), _floats(3, 2)]),
    "einsum-trace-diag": (lambda lib, a: (lib.einsum("ii", a), lib.einsum("ii->i", a)),
                          [_floats(3, 3)]),
    "einsum-outer-sum": (lambda lib, a, b: lib.einsum("i,j->", a, b), [_floats(3), _floats(2)]),
    "einsum-three": (lambda lib, a, b, c: lib.einsum("ij,jk,kl->li", a, b, c),
                     [_floats(2, 3), _floats(3, 2), _floats(2, 2)]),
    "einsum-broadcast": (lambda lib, a, b: lib.einsum("ij,ij->ij", a, b), [_floats(2, 1),
                                                                            _floats(2, 3)]),
    "einsum-implicit": (lambda lib, a: lib.einsum("Bab", a), [_floats(2, 3, 3)]),
    "linalg.norm": (lambda lib, m: (lib.linalg.norm(m), lib.linalg.norm(m, "fro"),
                                    lib.linalg.norm(m, dim=1)), [_floats(2, 3)]),
    "linalg.norm-matrix-orders": (lambda lib, m: tuple(lib.linalg.norm(m, o) for o in
                                                       (1, -1, float("inf"), float("-inf"))),
                                  [_distinct(3, 3) - 1]),
    "linalg.vector_norm": (lambda lib, v: tuple(lib.linalg.vector_norm(v, o, dim=-1) for o in
                                                (2, 1, 3, 0.5, float("inf"), float("-inf"))),
                           [_distinct(2, 4) + 0.25]),
    "linalg.matrix_norm": (lambda lib, m: lib.linalg.matrix_norm(m, dim=(0, 2), keepdim=True),
                           [_floats(2, 3, 2)]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_values_and_gradients_match_pytorch(name: str) -> None:
    torch = pytest.importorskip("torch")
    assert_same_as_pytorch(t, torch, PROGRAMS[name], name)


def test_layout_queries_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    for lib in (t, torch):
        x = lib.zeros(2, 3)
        found = [x.is_contiguous(), x.t().is_contiguous(), x.t().contiguous().is_contiguous(),
                 lib.zeros(1, 3).expand(4, 3).is_contiguous(), x.element_size(), x.nbytes,
                 lib.zeros(3, dtype=lib.float16).nbytes, lib.zeros(2, dtype=lib.bool).nbytes]
        if lib is t:
            ours = found
    assert ours == found


def test_grad_mode_under_inference_mode_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")
    for lib in (t, torch):
        w = lib.ones(2, requires_grad=True)
        with lib.inference_mode():
            inside = (lib.is_grad_enabled(), (w * 2).requires_grad)
        with lib.no_grad(), lib.inference_mode(False):
            off = lib.is_grad_enabled()
        seen = (inside, off, lib.is_grad_enabled())
        if lib is t:
            ours = seen
    assert ours == seen


@pytest.mark.parametrize("options", [
    {}, {"precision": 2}, {"precision": 6}, {"sci_mode": True}, {"sci_mode": False},
    {"threshold": 5, "edgeitems": 1}, {"linewidth": 40}, {"profile": "short"},
    {"profile": "full"}, {"profile": "short", "precision": 5},
])  # fmt: skip
def test_printing_matches_pytorch(options: dict) -> None:
    torch = pytest.importorskip("torch")
    examples = [
        lambda lib: lib.tensor([1.123456789, 2.5, 300.25]),
        lambda lib: lib.arange(2000.0) / 7,
        lambda lib: lib.arange(60.0).reshape(3, 20) / 3,
        lambda lib: lib.tensor([1e-5, 1.0]),
        lambda lib: lib.tensor([-1.5, float("nan"), float("inf"), -0.0, 2.0]),
        lambda lib: lib.arange(1100),
        lambda lib: lib.arange(3000.0).reshape(30, 100),
        lambda lib: lib.arange(24).reshape(2, 3, 4) - 12,
        lambda lib: lib.tensor([[True, False], [True, True]]),
        lambda lib: lib.tensor(3.5),
    ]
    try:
        for lib in (t, torch):
            lib.set_printoptions(**options)
            printed = [repr(make(lib)) for make in examples]
            lib.set_printoptions(profile="default")
            if lib is t:
                ours = printed
    finally:
        torch.set_printoptions(profile="default")
    for mine, reference in zip(ours, printed):
        assert mine == reference
