"""Square matrices: `linalg.inv`, `det`, `slogdet`, `logdet` and `solve`, their aliases and
methods, against numpy and closed forms; their first and second derivatives against finite
differences; and PyTorch's errors for what they refuse."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.autograd import functional as AF


def matrices(*shape: int, seed: int = 0) -> np.ndarray:
    """Random well-conditioned float64 matrices: 3 on the diagonal plus values in (-1, 1)."""
    n = shape[-1]
    return np.random.default_rng(seed).uniform(-1, 1, shape) + 3 * np.eye(n)


def leaf(a: np.ndarray) -> t.Tensor:
    return t.tensor(a, dtype=t.float64, requires_grad=True)


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def test_the_inverse_of_a_2x2_matrix_is_its_adjugate_over_its_determinant():
    a, b, c, d = 4.0, 7.0, 2.0, 6.0
    A = t.tensor([[a, b], [c, d]], dtype=t.float64)
    expected = np.array([[d, -b], [-c, a]]) / (a * d - b * c)
    np.testing.assert_allclose(t.linalg.inv(A).numpy(), expected, rtol=1e-14)
    assert t.linalg.det(A).item() == pytest.approx(a * d - b * c, rel=1e-14)


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4), (2, 3, 2, 2), (0, 0), (0, 3, 3)])
def test_values_agree_with_numpy_for_one_matrix_and_batches(shape):
    a = matrices(*shape)
    A = t.tensor(a)
    np.testing.assert_allclose(t.linalg.inv(A).numpy(), np.linalg.inv(a), rtol=1e-12)
    np.testing.assert_allclose(t.linalg.det(A).numpy(), np.linalg.det(a), rtol=1e-12)
    sign, logabsdet = t.linalg.slogdet(A)
    ref_sign, ref_log = np.linalg.slogdet(a)
    np.testing.assert_array_equal(sign.numpy(), ref_sign)
    np.testing.assert_allclose(logabsdet.numpy(), ref_log, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(t.logdet(A).numpy(), ref_log, rtol=1e-12, atol=1e-14)
    assert t.linalg.det(A).shape == shape[:-2] and t.linalg.inv(A).shape == shape


def test_the_determinant_of_an_empty_matrix_is_one():
    assert t.linalg.det(t.ones(0, 0)).item() == 1.0
    assert t.linalg.slogdet(t.ones(0, 0)).logabsdet.item() == 0.0


def test_float32_stays_float32():
    A = t.tensor(matrices(2, 3, 3)).float()
    b = t.ones(3)
    for out in (A.inverse(), A.det(), A.slogdet().sign, A.slogdet().logabsdet, A.logdet(),
                t.linalg.solve(A, b)):  # fmt: skip
        assert out.dtype == t.float32
    np.testing.assert_allclose(A.inverse().numpy(), np.linalg.inv(A.numpy()), rtol=1e-6)


def test_aliases_and_methods_are_the_same_functions():
    assert t.det is t.linalg.det and t.slogdet is t.linalg.slogdet and t.inverse is t.linalg.inv
    A = t.tensor(matrices(3, 3))
    assert A.det().item() == t.det(A).item()
    np.testing.assert_array_equal(A.inverse().numpy(), t.inverse(A).numpy())
    assert A.logdet().item() == t.logdet(A).item() == A.slogdet().logabsdet.item()
    assert issubclass(t.linalg.LinAlgError, RuntimeError)


def test_slogdet_is_a_named_tuple_and_stays_finite_where_det_underflows():
    A = t.eye(400, dtype=t.float64) * 0.1
    assert t.linalg.det(A).item() == 0.0  # 1e-400 is below float64's range
    result = t.linalg.slogdet(A)
    assert result.sign.item() == 1.0
    assert result.logabsdet.item() == pytest.approx(400 * np.log(0.1), rel=1e-14)
    assert tuple(result) == (result.sign, result.logabsdet)


def test_the_sign_of_a_negative_determinant_and_logdet_is_nan_there():
    A = t.tensor([[1.0, 2.0], [3.0, 4.0]])  # det = -2
    sign, logabsdet = t.linalg.slogdet(A)
    assert sign.item() == -1.0 and logabsdet.item() == pytest.approx(np.log(2))
    assert np.isnan(t.logdet(A).item())


@pytest.mark.parametrize("b_shape, x_shape", [
    ((3,), (4, 3)), ((3, 2), (4, 3, 2)), ((4, 3), (4, 3)), ((4, 3, 1), (4, 3, 1)),
    ((5, 1, 3, 2), (5, 4, 3, 2)), ((3, 3), (4, 3, 3))])  # fmt: skip
def test_solve_reads_b_as_vectors_or_matrices_as_pytorch_does(b_shape, x_shape):
    # A is (4, 3, 3): B of shape (3,) or (4, 3) is a (batch of) vector(s); the rest matrices.
    a = matrices(4, 3, 3)
    b = np.random.default_rng(1).standard_normal(b_shape)
    X = t.linalg.solve(t.tensor(a), t.tensor(b))
    assert X.shape == x_shape
    vector = b.ndim == 1 or b.shape == a.shape[:-1]
    columns = b[..., None] if vector else b
    expected = np.linalg.solve(a, np.broadcast_to(columns, np.broadcast_shapes(
        a.shape[:-2], columns.shape[:-2]) + columns.shape[-2:]))  # fmt: skip
    np.testing.assert_allclose(X.numpy(), expected[..., 0] if vector else expected, rtol=1e-12)


def test_solve_from_the_right():
    a, b = matrices(2, 3, 3), np.random.default_rng(2).standard_normal((2, 4, 3))
    X = t.linalg.solve(t.tensor(a), t.tensor(b), left=False)  # X A = B
    np.testing.assert_allclose(X.numpy() @ a, b, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------------------------


def test_the_gradient_of_det_is_the_cofactor_matrix():
    a, b, c, d = 1.0, 2.0, 3.0, 5.0
    A = t.tensor([[a, b], [c, d]], requires_grad=True)
    (t.linalg.det(A) * 3).backward()
    np.testing.assert_allclose(A.grad.numpy(), 3 * np.array([[d, -c], [-b, a]]), rtol=1e-6)


def test_the_gradients_of_logdet_and_inv_are_the_formulas():
    a = matrices(3, 3)
    A = leaf(a)
    t.logdet(A).backward()
    np.testing.assert_allclose(A.grad.numpy(), np.linalg.inv(a).T, rtol=1e-12)
    A = leaf(a)
    g = np.random.default_rng(3).standard_normal((3, 3))
    t.linalg.inv(A).backward(t.tensor(g))
    z = np.linalg.inv(a)
    np.testing.assert_allclose(A.grad.numpy(), -z.T @ g @ z.T, rtol=1e-12)


def test_the_hessian_of_a_2x2_determinant_is_constant():
    # det = a d - b c: its only second derivatives are d²/da dd = 1 and d²/db dc = -1.
    hessian = AF.hessian(lambda v: t.linalg.det(v.reshape(2, 2)),
                         t.tensor([1.0, 2.0, 3.0, 5.0], dtype=t.float64))  # fmt: skip
    np.testing.assert_allclose(hessian.numpy(), [[0, 0, 0, 1], [0, 0, -1, 0], [0, -1, 0, 0],
                                                 [1, 0, 0, 0]], atol=1e-12)  # fmt: skip


FUNCTIONS = {
    "inv": lambda a: t.linalg.inv(a),
    "inv of a batch": lambda a: t.linalg.inv(a.reshape(2, 2, 2)),
    "det": lambda a: t.linalg.det(a),
    "det of a batch": lambda a: t.linalg.det(a.reshape(2, 2, 2)),
    "logabsdet": lambda a: t.linalg.slogdet(a).logabsdet,
    "logdet": lambda a: t.logdet(a),
    "det · inv": lambda a: t.linalg.det(a) * t.linalg.inv(a),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_first_and_second_derivatives_agree_with_finite_differences(name):
    shape = (4, 2) if "batch" in name else (3, 3)
    a = matrices(*shape, seed=len(name)) if shape == (3, 3) else matrices(2, 2, 2).reshape(4, 2)
    assert t.gradcheck(FUNCTIONS[name], (leaf(a),))
    assert t.gradgradcheck(FUNCTIONS[name], (leaf(a),))


@pytest.mark.parametrize("a_shape, b_shape, left", [
    ((3, 3), (3,), True), ((3, 3), (3, 2), True), ((2, 3, 3), (2, 3), True),
    ((2, 1, 3, 3), (4, 3, 2), True), ((3, 3), (2, 3, 1), True), ((2, 3, 3), (2, 4, 3), False)])
def test_solve_derivatives_agree_with_finite_differences(a_shape, b_shape, left):  # fmt: skip
    A = leaf(matrices(*a_shape))
    B = leaf(np.random.default_rng(4).standard_normal(b_shape))
    fn = lambda a, b: t.linalg.solve(a, b, left=left)  # noqa: E731
    assert t.gradcheck(fn, (A, B))
    assert t.gradgradcheck(fn, (A, B))
    # Broadcast batches send their gradients back summed to the inputs' own shapes.
    fn(A, B).sum().backward()
    assert A.grad.shape == A.shape and B.grad.shape == B.shape


def test_solve_gradients_are_the_formulas():
    a, b = matrices(3, 3), np.random.default_rng(5).standard_normal((3, 2))
    g = np.random.default_rng(6).standard_normal((3, 2))
    A, B = leaf(a), leaf(b)
    t.linalg.solve(A, B).backward(t.tensor(g))
    x = np.linalg.solve(a, b)
    gb = np.linalg.solve(a.T, g)
    np.testing.assert_allclose(B.grad.numpy(), gb, rtol=1e-12)
    np.testing.assert_allclose(A.grad.numpy(), -gb @ x.T, rtol=1e-12)


def test_at_a_singular_matrix_det_has_pytorchs_zero_gradient():
    # PyTorch's first derivative of det at an exactly singular matrix is 0 (the true derivative
    # is the cofactor matrix, [[4, -2], [-2, 1]] here): the same numbers.
    A = t.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    d = t.linalg.det(A)
    d.backward()
    assert d.item() == 0.0 and A.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    B = t.tensor([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]], requires_grad=True)
    t.linalg.det(B).sum().backward()  # only the singular matrix of the batch gets 0
    np.testing.assert_allclose(B.grad.numpy(), [[[0, 0], [0, 0]], [[4, -3], [-2, 1]]])


def test_at_a_singular_matrix_slogdet_gives_minus_inf_and_no_finite_gradient():
    A = t.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    sign, logabsdet = t.linalg.slogdet(A)
    assert sign.item() == 0.0 and logabsdet.item() == -np.inf
    logabsdet.backward()
    assert np.isnan(A.grad.numpy()).all()  # (PyTorch's are ±inf: 1/det with det = -0.0)


def test_logdet_of_a_negative_determinant_has_a_zero_gradient_as_in_pytorch():
    A = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    t.logdet(A).backward()
    assert A.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_the_ops_are_in_the_graph_with_their_formulas():
    A = t.tensor(matrices(2, 2), requires_grad=True)
    assert A.inverse().grad_fn.name == "inv" and A.det().grad_fn.name == "det"
    solved = t.linalg.solve(A, t.ones(2, dtype=t.float64))
    assert solved.grad_fn.inputs[0].name == "solve"  # then the squeeze of the column
    assert "a⁻ᵀ" in t.core.ops.OPS["det"].formula and "zᵀ" in t.core.ops.OPS["inv"].formula


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_a_singular_matrix_raises_linalg_error_naming_its_shape():
    singular = t.tensor([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(t.linalg.LinAlgError, match=r"^linalg.inv: The inversion could not be "
                       r"completed because the input matrix is singular \(A of shape \(2, 2\)"):
        t.linalg.inv(singular)  # fmt: skip
    batch = t.stack([t.eye(2), t.eye(2), singular])
    with pytest.raises(RuntimeError, match=r"^linalg.inv: \(Batch element 2\): .* singular "
                                           r"\(A of shape \(3, 2, 2\)"):  # fmt: skip
        batch.inverse()
    with pytest.raises(t.linalg.LinAlgError, match=r"^linalg.solve: \(Batch element 2\): The "
                                                   "solver failed because the input matrix is "
                                                   "singular"):  # fmt: skip
        t.linalg.solve(batch, t.ones(2))


SHAPE_ERRORS = [
    (t.linalg.inv, (3,), RuntimeError, r"^linalg.inv: The input tensor A must have at least 2 "
     r"dimensions \(A has shape \(3,\)\)"),
    (t.linalg.inv, (2, 3), RuntimeError, r"^linalg.inv: A must be batches of square matrices, "
     r"but they are 2 by 3 matrices \(A has shape \(2, 3\)\)"),
    (t.det, (4, 2, 3), RuntimeError, r"^linalg.det: A must be batches of square matrices, but "
     "they are 2 by 3"),
    (t.linalg.slogdet, (), RuntimeError, "^linalg.slogdet: The input tensor A must have at least "
     "2 dimensions"),
    (t.logdet, (3, 2), RuntimeError, "^logdet: A must be batches of square matrices"),
]  # fmt: skip


@pytest.mark.parametrize("fn, shape, error, message", SHAPE_ERRORS)
def test_matrices_that_are_not_square_are_refused(fn, shape, error, message):
    with pytest.raises(error, match=message):
        fn(t.ones(shape))


@pytest.mark.parametrize("name", ["linalg.inv", "linalg.det", "linalg.slogdet", "logdet"])
def test_integer_and_float16_matrices_are_refused_as_in_pytorch(name):
    fn = {"linalg.inv": t.linalg.inv, "linalg.det": t.linalg.det,
          "linalg.slogdet": t.linalg.slogdet, "logdet": t.logdet}[name]  # fmt: skip
    with pytest.raises(RuntimeError, match=f"^{name}: Expected a floating point or complex tensor "
                                           "as input. Got Long"):  # fmt: skip
        fn(t.ones(2, 2, dtype=t.int64))
    if name == "linalg.det":  # PyTorch's LU factorization has no float16 kernel
        with pytest.raises(NotImplementedError, match="^\"lu_cpu\" not implemented for 'Half'"):
            fn(t.ones(2, 2, dtype=t.float16))
    else:
        with pytest.raises(RuntimeError, match=f"^{name}: Low precision dtypes not supported. "
                                               "Got Half"):  # fmt: skip
            fn(t.ones(2, 2, dtype=t.float16))


SOLVE_ERRORS = [
    ((3, 3), (4,), "Incompatible shapes of A and B for the equation AX = B \\(3x3 and 4x1\\)"),
    ((3, 3), (4, 2), "Incompatible .* AX = B \\(3x3 and 4x2\\): A has shape \\(3, 3\\) and B "
     "\\(4, 2\\)"),
    ((3, 3), (3, 2, 2), "Incompatible .* AX = B \\(3x3 and 2x2\\)"),
    ((2, 3), (2,), "A must be batches of square matrices, but they are 2 by 3 matrices"),
    ((3,), (3,), "The input tensor A must have at least 2 dimensions"),
    ((3, 3), (), "The input tensor B must have at least 2 dimensions"),
    ((4, 3, 3), (5, 3, 2), "the size of tensor a \\(4\\) must match the size of tensor b \\(5\\)"),
]  # fmt: skip


@pytest.mark.parametrize("a_shape, b_shape, message", SOLVE_ERRORS)
def test_solve_refuses_shapes_that_do_not_fit_naming_them(a_shape, b_shape, message):
    with pytest.raises(RuntimeError, match="^linalg.solve: " + message):
        t.linalg.solve(t.ones(a_shape), t.ones(b_shape))


def test_solve_refuses_other_dtypes_a_bad_left_and_non_tensors():
    A = t.eye(3)
    with pytest.raises(RuntimeError, match="^linalg.solve: Expected A and B to have the same "
                                           "dtype, but found A of type Float and B of type "
                                           "Double instead"):  # fmt: skip
        t.linalg.solve(A, t.ones(3, dtype=t.float64))
    with pytest.raises(RuntimeError, match="Expected a floating point .* Got Long"):
        t.linalg.solve(A.long(), t.ones(3).long())
    with pytest.raises(RuntimeError, match=r"XA = B \(3x3 and 3x1\)"):  # a vector B is a column
        t.linalg.solve(A, t.ones(3), left=False)
    with pytest.raises(TypeError, match="^linalg.solve\\(\\): argument 'left' must be bool, not "
                                        "int"):  # fmt: skip
        t.linalg.solve(A, t.ones(3), left=1)
    with pytest.raises(TypeError, match="^linalg.solve\\(\\): argument 'B' must be a Tensor, not "
                                        "list"):  # fmt: skip
        t.linalg.solve(A, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="^linalg.inv\\(\\): argument 'A' must be a Tensor"):
        t.linalg.inv([[1.0, 0.0], [0.0, 1.0]])
