"""`linalg.inv`, `det`, `slogdet`, `logdet` and `solve` against PyTorch's: values, first and
second derivatives, what happens at singular matrices, and the errors (runs only where PyTorch
is installed: `pip install torch==2.13.0`)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.autograd import functional as AF

torch = pytest.importorskip("torch")


def matrices(*shape: int, seed: int = 0) -> np.ndarray:
    n = shape[-1]
    return np.random.default_rng(seed).uniform(-1, 1, shape) + 2 * np.eye(n)


# Each function written once, for either library (`lib` is tinygrad_lr or torch).
FUNCTIONS = {
    "inv": lambda lib, a: lib.linalg.inv(a),
    "inverse": lambda lib, a: lib.inverse(a),
    "det": lambda lib, a: lib.linalg.det(a),
    "det method": lambda lib, a: a.det(),
    "sign and logabsdet": lambda lib, a: lib.linalg.slogdet(a)[0] * 3 + lib.linalg.slogdet(a)[1],
    "logdet": lambda lib, a: lib.logdet(a @ a.mT),  # a positive determinant
    "inverse method": lambda lib, a: a.inverse() * a.det()[..., None, None],
}


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (2, 1, 2, 2)])
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_values_and_gradients_agree_with_pytorch(name, shape):
    fn = FUNCTIONS[name]
    a = matrices(*shape, seed=len(name))
    g = np.random.default_rng(1).standard_normal(tuple(fn(torch, torch.tensor(a)).shape))
    ours_in, theirs_in = t.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = fn(t, ours_in), fn(torch, theirs_in)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12,
                               atol=1e-13)  # fmt: skip
    ours.backward(t.tensor(g))
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(ours_in.grad.numpy(), theirs_in.grad.numpy(), rtol=1e-10,
                               atol=1e-12)  # fmt: skip


@pytest.mark.parametrize("name", ["inv", "det", "sign and logabsdet", "logdet"])
def test_second_derivatives_agree_with_pytorch(name):
    fn = FUNCTIONS[name]
    a = matrices(2, 2, seed=7).ravel()
    ours = AF.hessian(lambda v: fn(t, v.reshape(2, 2)).sum(), t.tensor(a))
    theirs = torch.autograd.functional.hessian(lambda v: fn(torch, v.reshape(2, 2)).sum(),
                                               torch.tensor(a))  # fmt: skip
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


SOLVES = [((3, 3), (3,), True), ((3, 3), (3, 2), True), ((4, 3, 3), (4, 3), True),
          ((4, 3, 3), (3,), True), ((2, 1, 3, 3), (5, 3, 2), True), ((3, 3), (2, 3, 3), True),
          ((2, 2, 2), (2, 2), True), ((2, 3, 3), (2, 4, 3), False), ((3, 3), (1, 3), False)]


@pytest.mark.parametrize("a_shape, b_shape, left", SOLVES)
def test_solve_agrees_with_pytorch(a_shape, b_shape, left):
    a, b = matrices(*a_shape), np.random.default_rng(2).standard_normal(b_shape)
    ours_a, ours_b = t.tensor(a, requires_grad=True), t.tensor(b, requires_grad=True)
    theirs_a, theirs_b = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours = t.linalg.solve(ours_a, ours_b, left=left)
    theirs = torch.linalg.solve(theirs_a, theirs_b, left=left)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    g = np.random.default_rng(3).standard_normal(tuple(theirs.shape))
    ours.backward(t.tensor(g))
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(ours_a.grad.numpy(), theirs_a.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours_b.grad.numpy(), theirs_b.grad.numpy(), rtol=1e-10)


def test_float32_values_agree_with_pytorch():
    a = matrices(2, 4, 4).astype(np.float32)
    for name in ("inv", "det", "sign and logabsdet"):
        ours, theirs = FUNCTIONS[name](t, t.tensor(a)), FUNCTIONS[name](torch, torch.tensor(a))
        assert ours.dtype == t.float32 and theirs.dtype == torch.float32
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("a", [[[1.0, 2.0], [2.0, 4.0]], [[0.0, 1.0], [0.0, 0.0]],
                               [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]])
def test_at_singular_matrices_det_and_slogdet_agree_with_pytorch(a):  # fmt: skip
    ours_in, theirs_in = t.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = t.linalg.det(ours_in), torch.linalg.det(theirs_in)
    assert ours.item() == theirs.item() == 0.0
    ours.backward()
    theirs.backward()
    np.testing.assert_array_equal(ours_in.grad.numpy(), theirs_in.grad.numpy())  # zeros
    assert tuple(map(float, t.linalg.slogdet(t.tensor(a)))) == tuple(
        map(float, torch.linalg.slogdet(torch.tensor(a))))  # fmt: skip


def test_logdet_of_a_negative_determinant_agrees_with_pytorch():
    a = [[1.0, 2.0], [3.0, 4.0]]
    ours_in, theirs_in = t.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = t.logdet(ours_in), torch.logdet(theirs_in)
    assert np.isnan(ours.item()) and np.isnan(theirs.item())
    ours.backward()
    theirs.backward()
    np.testing.assert_array_equal(ours_in.grad.numpy(), theirs_in.grad.numpy())


# What each library is given, and which of our messages must begin with PyTorch's (without its
# final period): ours go on to name the shapes.
ERRORS = [
    ("inv", lambda lib: lib.linalg.inv(lib.ones(3))),
    ("inv", lambda lib: lib.linalg.inv(lib.ones(2, 3))),
    ("inv", lambda lib: lib.inverse(lib.ones(2, 2, dtype=lib.int64))),
    ("inv", lambda lib: lib.linalg.inv(lib.ones(2, 2, dtype=lib.float16))),
    ("det", lambda lib: lib.det(lib.ones(4, 2, 3))),
    ("det", lambda lib: lib.linalg.det(lib.ones(2, 2, dtype=lib.int64))),
    ("det", lambda lib: lib.linalg.det(lib.ones(2, 2, dtype=lib.float16))),
    ("slogdet", lambda lib: lib.linalg.slogdet(lib.ones(3))),
    ("slogdet", lambda lib: lib.linalg.slogdet(lib.ones(2, 2, dtype=lib.float16))),
    ("logdet", lambda lib: lib.logdet(lib.ones(2, 3))),
    ("logdet", lambda lib: lib.logdet(lib.ones(2, 2, dtype=lib.int64))),
    ("solve", lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(4))),
    ("solve", lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(2, 3))),
    ("solve", lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3), left=False)),
    ("solve", lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3, dtype=lib.float64))),
    ("solve", lambda lib: lib.linalg.solve(lib.ones(3, dtype=lib.int64), lib.ones(3))),
    ("solve", lambda lib: lib.linalg.solve(lib.eye(3), lib.tensor(1.0))),
    ("solve", lambda lib: lib.linalg.solve(lib.ones(2, 3), lib.ones(2))),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_agree_with_pytorch(index):
    _, call = ERRORS[index]
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as ours:
        call(t)
    assert ours.type is theirs.type  # RuntimeError, or NotImplementedError for float16's LU
    assert str(ours.value).startswith(str(theirs.value).rstrip(".")), (ours.value, theirs.value)


@pytest.mark.parametrize("call", [lambda lib, a: lib.linalg.inv(a),
                                  lambda lib, a: lib.linalg.solve(a, lib.ones(2))])
def test_a_singular_matrix_raises_a_linalg_error_as_in_pytorch(call):  # fmt: skip
    a = [[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 4.0]]]
    with pytest.raises(torch.linalg.LinAlgError) as theirs:
        call(torch, torch.tensor(a))
    with pytest.raises(t.linalg.LinAlgError) as ours:
        call(t, t.tensor(a))
    assert isinstance(ours.value, RuntimeError) and isinstance(theirs.value, RuntimeError)
    for message in (str(ours.value), str(theirs.value)):
        assert "(Batch element 1)" in message and "singular" in message
