"""The Tensor's public face: construction, dtypes, repr, conversions, devices, creation, seeding.

Expected dtypes and repr strings were read from PyTorch 2.13 for the same expressions (PyTorch
prints `dtype=torch.float64` where this package prints `dtype=float64`, and `MulBackward0`
where it prints `MulBackward`).
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

import tinygrad_lr as t

# ---------------------------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------------------------


def test_tensor_and_Tensor_build_the_same_thing():
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = t.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    for x in (a, b):
        assert isinstance(x, t.Tensor)
        assert x.shape == (2, 2) and x.ndim == 2 and x.numel() == 4 and x.dim() == 2
        assert x.dtype == t.float32 and x.requires_grad and x.is_leaf and x.grad_fn is None
        assert x.grad is None
        assert isinstance(x.data, t.Tensor) and x.data.tolist() == [[1, 2], [3, 4]]
        assert not x.data.requires_grad and x.data.grad_fn is None
        assert np.shares_memory(x.data.numpy(), x.detach().numpy())


def test_tensor_copies_its_data_and_from_numpy_shares_it():
    source = np.array([1.0, 2.0])
    copied, shared = t.tensor(source), t.from_numpy(source)
    source[0] = 100.0
    assert copied.tolist() == [1.0, 2.0]
    assert shared.tolist() == [100.0, 2.0]
    assert not np.shares_memory(t.tensor(copied).numpy(), copied.numpy())


def test_name_label_and_results_of_ops():
    w = t.tensor([1.0], requires_grad=True, name="w")
    y = w * 2
    assert w.name == "w" and y.name is None
    assert not y.is_leaf and y.grad_fn.name == "mul" and y.requires_grad
    assert y.grad_fn.inputs[0] is w  # a leaf input is the tensor itself
    assert (y + 1).grad_fn.inputs[0] is y.grad_fn  # a non-leaf input is its node


def test_grad_is_settable_to_none():
    w = t.tensor([1.0], requires_grad=True)
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0]
    w.grad = None
    assert w.grad is None


def test_detach_shares_values_and_records_nothing():
    w = t.tensor([1.0, 2.0], requires_grad=True)
    d = (w * 2).detach()
    assert d.is_leaf and not d.requires_grad and d.tolist() == [2.0, 4.0]


# ---------------------------------------------------------------------------------------------
# dtypes, as in PyTorch
# ---------------------------------------------------------------------------------------------

_DTYPES = {
    "tensor(1.5)": (lambda: t.tensor(1.5), t.float32),
    "tensor([1.0, 2.0])": (lambda: t.tensor([1.0, 2.0]), t.float32),
    "tensor([1, 2.5])": (lambda: t.tensor([1, 2.5]), t.float32),
    "tensor([1, 2])": (lambda: t.tensor([1, 2]), t.int64),
    "tensor([True])": (lambda: t.tensor([True]), t.bool_),
    "tensor(float64 array)": (lambda: t.tensor(np.zeros(2)), t.float64),
    "tensor(float32 array)": (lambda: t.tensor(np.zeros(2, np.float32)), t.float32),
    "tensor(int32 array)": (lambda: t.tensor(np.zeros(2, np.int32)), t.int32),
    "arange(3)": (lambda: t.arange(3), t.int64),
    "arange(0, 1, 0.5)": (lambda: t.arange(0, 1, 0.5), t.float32),
    "zeros(2)": (lambda: t.zeros(2), t.float32),
    "ones(2)": (lambda: t.ones(2), t.float32),
    "rand(2)": (lambda: t.rand(2), t.float32),
    "randn(2)": (lambda: t.randn(2), t.float32),
    "eye(2)": (lambda: t.eye(2), t.float32),
    "full((2,), 7)": (lambda: t.full((2,), 7), t.int64),
    "full((2,), 7.0)": (lambda: t.full((2,), 7.0), t.float32),
    "linspace(0, 1, 3)": (lambda: t.linspace(0, 1, 3), t.float32),
    "randint(0, 5, (2,))": (lambda: t.randint(0, 5, (2,)), t.int64),
    "int64 * float32": (lambda: t.tensor([1, 2]) * t.tensor([1.5, 2.5]), t.float32),
    "int64 + 1.5": (lambda: t.tensor([1, 2]) + 1.5, t.float32),
    "1.5 * int64": (lambda: 1.5 * t.tensor([1, 2]), t.float32),
    "int64 / int64": (lambda: t.tensor([1, 2]) / t.tensor([2, 2]), t.float32),
    "int64 / 2": (lambda: t.tensor([1, 2]) / 2, t.float32),
    "2 / int64": (lambda: 2 / t.tensor([1, 2]), t.float32),
    "int64 * 2": (lambda: t.tensor([1, 2]) * 2, t.int64),
    "float32 * 0.5": (lambda: t.tensor([1.0]) * 0.5, t.float32),
    "float32 + float64": (lambda: t.tensor([1.0]) + t.tensor([1.0], dtype=t.float64), t.float64),
    "float32 + 0-d float64": (lambda: t.tensor([1.0]) + t.tensor(1.0, dtype=t.float64),
                              t.float32),  # fmt: skip
    "int64 + 0-d float64": (lambda: t.tensor([1]) + t.tensor(1.0, dtype=t.float64), t.float64),
    "int32 + int64": (lambda: t.tensor([1], dtype=t.int32) + t.tensor([1]), t.int64),
    "bool * 2": (lambda: t.tensor([True]) * 2, t.int64),
    "int32 sum": (lambda: t.tensor([1], dtype=t.int32).sum(), t.int64),
    "int64 exp": (lambda: t.tensor([1]).exp(), t.float32),
    "int64 ** 2": (lambda: t.tensor([2]) ** 2, t.int64),
    "int64 ** 0.5": (lambda: t.tensor([2]) ** 0.5, t.float32),
    "float64 .float()": (lambda: t.tensor([1.0], dtype=t.float64).float(), t.float32),
    "float32 .double()": (lambda: t.tensor([1.0]).double(), t.float64),
    "float32 .to(float64)": (lambda: t.tensor([1.0]).to(t.float64), t.float64),
    "zeros_like(int64)": (lambda: t.zeros_like(t.tensor([1, 2])), t.int64),
    "rand_like(float64)": (lambda: t.rand_like(t.tensor([1.0], dtype=t.float64)), t.float64),
    "ones_like(float32, dtype=float64)": (lambda: t.ones_like(t.tensor([1.0]), dtype=t.float64),
                                          t.float64),  # fmt: skip
}


@pytest.mark.parametrize("expr", list(_DTYPES))
def test_dtype_as_in_pytorch(expr):
    make, expected = _DTYPES[expr]
    assert make().dtype == expected


def test_dtypes_are_numpy_dtypes():
    assert t.float32 is np.dtype("float32") and t.float64 == np.float64 and t.int64 == np.int64


def test_int_true_division_values():
    assert (t.tensor([1, 3]) / t.tensor([2, 2])).tolist() == [0.5, 1.5]


# ---------------------------------------------------------------------------------------------
# repr
# ---------------------------------------------------------------------------------------------

_REPRS = [
    (lambda: t.tensor([[2.0361]], requires_grad=True), "tensor([[2.0361]], requires_grad=True)"),
    (lambda: t.tensor(2.0361, requires_grad=True), "tensor(2.0361, requires_grad=True)"),
    (lambda: t.tensor([1.0, -2.5, 3.25]), "tensor([ 1.0000, -2.5000,  3.2500])"),
    (lambda: t.tensor([1.0, 2.0]), "tensor([1., 2.])"),
    (lambda: t.tensor([[1.5, -2.25], [3.0, 4.0]]),
     "tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])"),
    (lambda: t.tensor([0.001, 10.0]), "tensor([1.0000e-03, 1.0000e+01])"),
    (lambda: t.tensor([1.0, 2000.0]), "tensor([1.0000e+00, 2.0000e+03])"),
    (lambda: t.tensor([1.0, 1000.0]), "tensor([   1., 1000.])"),
    (lambda: t.tensor([1e-5]), "tensor([1.0000e-05])"),
    (lambda: t.tensor([1e8]), "tensor([100000000.])"),
    (lambda: t.tensor([1e10, 1.0]), "tensor([1.0000e+10, 1.0000e+00])"),
    (lambda: t.tensor([1.0, float("nan")]), "tensor([1., nan])"),
    (lambda: t.tensor([float("inf"), 1.5]), "tensor([   inf, 1.5000])"),
    (lambda: t.tensor([-0.0]), "tensor([-0.])"),
    (lambda: t.tensor([1.5, 2.5], dtype=t.float64), "tensor([1.5000, 2.5000], dtype=float64)"),
    (lambda: t.tensor([1, 2, 3]), "tensor([1, 2, 3])"),
    (lambda: t.tensor([1, -20]), "tensor([  1, -20])"),
    (lambda: t.tensor([True, False]), "tensor([ True, False])"),
    (lambda: t.zeros(2, 0), "tensor([], size=(2, 0))"),
    (lambda: t.zeros(0), "tensor([])"),
    (lambda: t.tensor([1.0], requires_grad=True) * 2, "tensor([2.], grad_fn=<MulBackward0>)"),
]


@pytest.mark.parametrize("make, expected", _REPRS, ids=[e for _, e in _REPRS])
def test_repr(make, expected):
    assert repr(make()) == expected


# ---------------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------------


def test_item():
    x = t.tensor([[2.5]], requires_grad=True)
    assert x.item() == 2.5 and type(x.item()) is float
    assert type(t.tensor(3).item()) is int


def test_numpy_shares_memory_and_needs_detach_when_requiring_grad():
    x = t.tensor([1.0, 2.0])
    arr = x.numpy()
    assert isinstance(arr, np.ndarray) and np.shares_memory(arr, x.detach().numpy())
    assert x.numpy() is arr  # the array itself, every time
    w = t.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        w.numpy()
    assert w.detach().numpy().tolist() == [1.0, 2.0]


def test_tolist_array_len_and_iteration():
    x = t.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert len(x) == 3
    assert np.asarray(x).tolist() == x.tolist()
    assert np.array(x, dtype=np.float64).dtype == np.float64
    assert [row.tolist() for row in x] == x.tolist()
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(t.tensor(1.0))


_OPERATORS = {"*": operator.mul, "+": operator.add, "-": operator.sub, "/": operator.truediv,
              "@": operator.matmul}  # fmt: skip


@pytest.mark.parametrize("op", list(_OPERATORS))
def test_numpy_on_the_left_gives_a_tensor(op):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    left = np.ones((2, 2), np.float32) if op == "@" else np.ones(2)  # @ refuses mixed dtypes
    y = _OPERATORS[op](left, x)
    assert isinstance(y, t.Tensor) and y.requires_grad
    expected = _OPERATORS[op](left, np.array([1.0, 2.0]))
    np.testing.assert_allclose(y.detach().numpy(), expected)
    y.sum().backward()
    assert x.grad is not None and x.grad.shape == (2,)


def test_a_numpy_scalar_on_the_left_gives_a_tensor():
    y = np.float64(2.0) * t.tensor([1.0, 2.0])
    assert isinstance(y, t.Tensor) and y.tolist() == [2.0, 4.0] and y.dtype == t.float32


# ---------------------------------------------------------------------------------------------
# Devices: only the CPU
# ---------------------------------------------------------------------------------------------

_CPU = t.device("cpu")

_WITH_DEVICE = {
    "tensor": lambda d: t.tensor([1.0], device=d),
    "zeros": lambda d: t.zeros(2, device=d),
    "ones": lambda d: t.ones(2, device=d),
    "full": lambda d: t.full((2,), 1.5, device=d),
    "eye": lambda d: t.eye(2, device=d),
    "arange": lambda d: t.arange(3, device=d),
    "linspace": lambda d: t.linspace(0, 1, 3, device=d),
    "rand": lambda d: t.rand(2, device=d),
    "randn": lambda d: t.randn(2, device=d),
    "randint": lambda d: t.randint(0, 3, (2,), device=d),
    "zeros_like": lambda d: t.zeros_like(t.ones(2), device=d),
    "ones_like": lambda d: t.ones_like(t.ones(2), device=d),
    "full_like": lambda d: t.full_like(t.ones(2), 3.0, device=d),
    "rand_like": lambda d: t.rand_like(t.ones(2), device=d),
    "randn_like": lambda d: t.randn_like(t.ones(2), device=d),
    ".to": lambda d: t.ones(2).to(d),
    ".to(device=)": lambda d: t.ones(2).to(device=d),
    ".to(device, dtype)": lambda d: t.ones(2).to(d, t.float64),
}  # fmt: skip


@pytest.mark.parametrize("device", ["cpu", _CPU], ids=["'cpu'", "device('cpu')"])
@pytest.mark.parametrize("where", list(_WITH_DEVICE))
def test_the_cpu_is_accepted_everywhere(where, device):
    x = _WITH_DEVICE[where](device)
    assert isinstance(x, t.Tensor) and x.device == _CPU and x.device == "cpu"


@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "mps"])
@pytest.mark.parametrize("where", list(_WITH_DEVICE) + ["device()"])
def test_a_gpu_is_refused_with_the_reason(where, spec):
    with pytest.raises(RuntimeError, match=f"'{spec}' is not available.*no GPU backend"):
        t.device(spec) if where == "device()" else _WITH_DEVICE[where](spec)


def test_cuda_method_is_refused_and_cpu_is_a_no_op():
    x = t.ones(2)
    with pytest.raises(RuntimeError, match="no GPU backend"):
        x.cuda()
    assert x.cpu() is x
    assert repr(_CPU) == "device(type='cpu')" and str(_CPU) == "cpu"


# ---------------------------------------------------------------------------------------------
# Creation and randomness
# ---------------------------------------------------------------------------------------------


def test_manual_seed_makes_random_numbers_reproducible():
    def draw() -> list:
        return [t.rand(3).tolist(), t.randn(2, 2).tolist(), t.randint(0, 100, (4,)).tolist(),
                t.rand_like(t.zeros(2)).tolist(), t.randn_like(t.zeros(2)).tolist()]  # fmt: skip

    t.manual_seed(1234)
    first = draw()
    t.manual_seed(1234)
    assert draw() == first
    t.manual_seed(4321)
    assert draw() != first


@pytest.mark.parametrize("make", [
    lambda **kw: t.zeros(2, 3, **kw), lambda **kw: t.ones((2, 3), **kw),
    lambda **kw: t.full((2, 3), 0.5, **kw), lambda **kw: t.rand(2, 3, **kw),
    lambda **kw: t.randn(2, 3, **kw), lambda **kw: t.tensor(np.zeros((2, 3)), **kw),
    lambda **kw: t.zeros_like(t.ones(2, 3), **kw), lambda **kw: t.ones_like(t.ones(2, 3), **kw),
    lambda **kw: t.rand_like(t.ones(2, 3), **kw), lambda **kw: t.randn_like(t.ones(2, 3), **kw),
    lambda **kw: t.full_like(t.ones(2, 3), 4.0, **kw),
], ids=["zeros", "ones", "full", "rand", "randn", "tensor", "zeros_like", "ones_like", "rand_like",
        "randn_like", "full_like"])  # fmt: skip
def test_creation_keywords(make):
    x = make(dtype=t.float64, device="cpu", requires_grad=True)
    assert x.shape == (2, 3) and x.dtype == t.float64 and x.requires_grad and x.is_leaf
    assert not make().requires_grad


def test_creation_values():
    assert t.zeros(2).tolist() == [0.0, 0.0] and t.ones(1, 2).tolist() == [[1.0, 1.0]]
    assert t.full((2,), 7).tolist() == [7, 7]
    assert t.eye(2, 3).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert t.arange(1, 7, 2).tolist() == [1, 3, 5] and t.arange(3).tolist() == [0, 1, 2]
    assert t.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    r = t.rand(1000)
    assert 0 <= r.numpy().min() and r.numpy().max() < 1
    n = t.randn(10_000, dtype=t.float64)
    assert abs(n.numpy().mean()) < 0.1 and abs(n.numpy().std() - 1) < 0.1


def test_like_functions_follow_their_model():
    model = t.tensor([[1, 2, 3]])  # int64
    for like in (t.zeros_like(model), t.ones_like(model), t.full_like(model, 5)):
        assert like.shape == (1, 3) and like.dtype == t.int64
    assert t.rand_like(t.ones(2, 2, dtype=t.float64)).dtype == t.float64
    assert t.ones_like(model, dtype=t.float32).dtype == t.float32


def test_requires_grad_needs_a_floating_dtype():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require"):
        t.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        t.zeros(2, dtype=t.int64, requires_grad=True)
