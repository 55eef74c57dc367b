"""Embedding, LayerNorm, BatchNorm1d and their functions, one_hot and normalize, and Module's
buffers: values by their formulas, gradients against finite differences (float64), train and
eval behaviour, state_dict and files, the bad-input catalogue, and PyTorch's numbers where it is
installed."""

import math
import os
from typing import Any, NamedTuple

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn
from tinygrad_lr.nn import functional as F

PACKAGE_DIR = os.path.dirname(os.path.abspath(t.__file__)) + os.sep
RNG = np.random.default_rng(11)
X = RNG.standard_normal((6, 4)) * 2 + 1  # six samples of four features, float64


def f64(a, requires_grad=False):
    return t.tensor(a, dtype=t.float64, requires_grad=requires_grad)


# ---------------------------------------------------------------------------------------------
# Embedding
# ---------------------------------------------------------------------------------------------


def test_embedding_picks_rows_for_an_index_tensor_of_any_shape():
    emb = nn.Embedding(5, 3)
    idx = t.tensor([[4, 0, 4], [1, 2, 3]])
    out = emb(idx)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.detach().numpy(), emb.weight.detach().numpy()[idx.numpy()])
    assert emb(t.tensor(2)).shape == (3,)  # a 0-d index gives one row
    assert emb(t.tensor([1, 2], dtype=t.int32)).shape == (2, 3)


def test_embedding_gradient_sums_the_gradients_of_the_lookups_of_each_row():
    emb = nn.Embedding(4, 2)
    idx = t.tensor([[1, 3], [1, 1]])
    g = RNG.standard_normal((2, 2, 2)).astype(np.float32)
    (emb(idx) * t.tensor(g)).sum().backward()
    expected = np.zeros((4, 2), np.float32)
    np.add.at(expected, idx.numpy(), g)  # row 1 picked three times: three gradients added
    np.testing.assert_allclose(emb.weight.grad.numpy(), expected, rtol=1e-6)


def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient():
    t.manual_seed(0)
    emb = nn.Embedding(6, 3, padding_idx=-2)  # the row from the end: 4
    assert emb.padding_idx == 4 and repr(emb) == "Embedding(6, 3, padding_idx=4)"
    assert emb.weight[4].tolist() == [0.0, 0.0, 0.0]
    with t.no_grad():
        emb.weight[4] = 7.0  # changed by hand, it is still looked up as it is
    idx = t.tensor([4, 1, 4])
    out = emb(idx)
    assert out[0].tolist() == [7.0, 7.0, 7.0]
    (out**2).sum().backward()
    assert emb.weight.grad[4].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(emb.weight.grad[1].numpy(), 2 * emb.weight[1].detach().numpy())


def test_embedding_weight_is_standard_normal_from_the_package_generator():
    t.manual_seed(3)
    w = nn.Embedding(200, 100).weight.detach().numpy()
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01  # 20,000 draws
    t.manual_seed(3)
    assert np.array_equal(nn.Embedding(200, 100).weight.detach().numpy(), w)
    assert [n for n, _ in nn.Embedding(2, 2).named_parameters()] == ["weight"]


def test_embedding_from_pretrained_shares_the_table_and_freezes_it():
    table = t.tensor([[1.0, 2.0], [3.0, 4.0]])
    emb = nn.Embedding.from_pretrained(table)
    assert not emb.weight.requires_grad and emb(t.tensor([1])).tolist() == [[3.0, 4.0]]
    table.add_(1.0)
    assert emb.weight.tolist() == [[2.0, 3.0], [4.0, 5.0]]  # the same memory
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad


def test_embedding_gradients_match_finite_differences_in_float64():
    idx = t.tensor([[0, 2], [2, 1]])
    assert t.gradcheck(lambda w: F.embedding(idx, w) ** 2,
                       (f64(RNG.standard_normal((3, 2)), requires_grad=True),))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# LayerNorm
# ---------------------------------------------------------------------------------------------


def test_layer_norm_normalises_each_sample_over_its_last_dimensions():
    x = f64(X.reshape(3, 2, 4))
    out = F.layer_norm(x, (2, 4)).numpy()
    a = X.reshape(3, 2, 4)
    mean = a.mean((1, 2), keepdims=True)
    var = a.var((1, 2), keepdims=True)  # biased: divided by n
    np.testing.assert_allclose(out, (a - mean) / np.sqrt(var + 1e-5), rtol=1e-12)


def test_layer_norm_module_parameters_repr_and_formula():
    norm = nn.LayerNorm(4, eps=1e-3, dtype=t.float64)
    assert repr(norm) == "LayerNorm((4,), eps=0.001, elementwise_affine=True, bias=True)"
    assert norm.weight.tolist() == [1.0] * 4 and norm.bias.tolist() == [0.0] * 4
    with t.no_grad():
        norm.weight.copy_(f64([1.0, 2.0, 3.0, 4.0]))
        norm.bias.copy_(f64([0.0, 0.5, 0.0, -0.5]))
    mean, var = X.mean(1, keepdims=True), X.var(1, keepdims=True)
    expected = (X - mean) / np.sqrt(var + 1e-3) * [1, 2, 3, 4] + [0, 0.5, 0, -0.5]
    np.testing.assert_allclose(norm(f64(X)).detach().numpy(), expected, rtol=1e-12)
    no_bias = nn.LayerNorm([2, 3], bias=False)
    assert [n for n, _ in no_bias.named_parameters()] == ["weight"] and no_bias.bias is None
    plain = nn.LayerNorm(4, elementwise_affine=False)
    assert list(plain.parameters()) == [] and repr(plain).endswith("affine=False, bias=False)")


def test_layer_norm_gradients_and_second_derivatives_match_finite_differences():
    w, b = f64(RNG.standard_normal(4), True), f64(RNG.standard_normal(4), True)

    def fn(x, w, b):
        return F.layer_norm(x, (4,), w, b) ** 2

    x = f64(X, requires_grad=True)
    assert t.gradcheck(fn, (x, w, b))
    assert t.gradgradcheck(fn, (x, w, b))


# ---------------------------------------------------------------------------------------------
# BatchNorm1d
# ---------------------------------------------------------------------------------------------


def test_batch_norm_in_training_uses_the_batch_and_updates_the_running_estimates():
    norm = nn.BatchNorm1d(4, momentum=0.25, dtype=t.float64)
    out = norm(f64(X)).detach().numpy()
    mean, var = X.mean(0), X.var(0)
    np.testing.assert_allclose(out, (X - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(norm.running_mean.numpy(), 0.25 * mean, rtol=1e-12)
    # the running variance moves towards the unbiased variance (n - 1 = 5)
    np.testing.assert_allclose(norm.running_var.numpy(), 0.75 + 0.25 * X.var(0, ddof=1),
                               rtol=1e-12)  # fmt: skip
    assert norm.num_batches_tracked.item() == 1 and norm.num_batches_tracked.dtype == t.int64


def test_batch_norm_of_a_sequence_takes_statistics_over_batch_and_positions():
    a = RNG.standard_normal((3, 2, 5))
    norm = nn.BatchNorm1d(2, dtype=t.float64)
    out = norm(f64(a)).detach().numpy()
    mean, var = a.mean((0, 2), keepdims=True), a.var((0, 2), keepdims=True)
    np.testing.assert_allclose(out, (a - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(norm.running_var.numpy(), 0.9 + 0.1 * a.var((0, 2), ddof=1),
                               rtol=1e-12)  # fmt: skip


def test_batch_norm_in_eval_uses_the_running_estimates_and_changes_nothing():
    norm = nn.BatchNorm1d(4, dtype=t.float64)
    norm(f64(X))
    mean, var = norm.running_mean.numpy().copy(), norm.running_var.numpy().copy()
    norm.eval()
    one = f64(X[:1])  # a batch of one is fine out of training
    out = norm(one).detach().numpy()
    np.testing.assert_allclose(out, (X[:1] - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    assert np.array_equal(norm.running_mean.numpy(), mean) and norm.num_batches_tracked.item() == 1


def test_batch_norm_momentum_none_keeps_the_plain_average_of_the_batches():
    norm = nn.BatchNorm1d(4, momentum=None, dtype=t.float64)
    batches = [X[:3], X[3:], X[1:5]]
    for b in batches:
        norm(f64(b))
    np.testing.assert_allclose(norm.running_mean.numpy(), np.mean([b.mean(0) for b in batches], 0),
                               rtol=1e-12)  # fmt: skip


def test_batch_norm_without_running_stats_has_no_buffers_and_uses_the_batch_in_eval():
    norm = nn.BatchNorm1d(4, affine=False, track_running_stats=False, dtype=t.float64).eval()
    assert list(norm.buffers()) == [] and list(norm.state_dict()) == []
    np.testing.assert_allclose(norm(f64(X)).numpy(), (X - X.mean(0)) / np.sqrt(X.var(0) + 1e-5),
                               rtol=1e-12)  # fmt: skip


def test_batch_norm_parameters_buffers_state_dict_and_repr():
    norm = nn.BatchNorm1d(3)
    assert [n for n, _ in norm.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in norm.named_buffers()] == ["running_mean", "running_var",
                                                    "num_batches_tracked"]  # fmt: skip
    assert list(norm.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                       "num_batches_tracked"]  # fmt: skip
    assert norm.running_var.tolist() == [1.0] * 3 and not norm.running_mean.requires_grad
    assert repr(norm) == ("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                          "track_running_stats=True)")  # fmt: skip
    assert nn.BatchNorm1d(3, bias=False).bias is None


def test_batch_norm_gradients_run_through_the_batch_statistics():
    w, b = f64(RNG.standard_normal(4), True), f64(RNG.standard_normal(4), True)

    def fn(x, w, b):
        return F.batch_norm(x, None, None, w, b, training=True).tanh()

    x = f64(X, requires_grad=True)
    assert t.gradcheck(fn, (x, w, b))
    assert t.gradgradcheck(fn, (x, w, b))
    # the mean over the batch is removed, so the gradient of the summed output is 0
    y = f64(X, requires_grad=True)
    F.batch_norm(y, None, None, training=True).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), 0.0, atol=1e-12)


def test_batch_norm_state_round_trips_through_save_and_load(tmp_path):
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    for _ in range(3):
        model(t.tensor(X.astype(np.float32)))
    t.save(model.state_dict(), tmp_path / "model.pt")
    fresh = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    assert fresh.load_state_dict(t.load(tmp_path / "model.pt")) == ([], [])
    for (name, a), b in zip(model.state_dict().items(), fresh.state_dict().values()):
        assert a.dtype == b.dtype and np.array_equal(a.numpy(), b.numpy()), name
    assert fresh[1].num_batches_tracked.item() == 3
    model.eval(), fresh.eval()
    x = t.tensor(X[:2].astype(np.float32))
    assert np.array_equal(model(x).detach().numpy(), fresh(x).detach().numpy())
    t.save_state(model, tmp_path / "params.npz")  # the .npz format keeps them too
    assert t.load_state(tmp_path / "params.npz")["1.num_batches_tracked"].item() == 3


# ---------------------------------------------------------------------------------------------
# Module's buffers
# ---------------------------------------------------------------------------------------------


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.register_buffer("count", t.tensor(0))
        self.register_buffer("scratch", t.zeros(2), persistent=False)


def test_buffers_are_attributes_listed_saved_but_not_parameters():
    m = nn.Sequential(Counter(), Counter())
    assert [n for n, _ in m.named_buffers()] == ["0.count", "0.scratch", "1.count", "1.scratch"]
    # each module's own parameters and buffers, then its children's: PyTorch's order
    assert list(m.state_dict()) == ["0.count", "0.fc.weight", "0.fc.bias", "1.count",
                                    "1.fc.weight", "1.fc.bias"]  # fmt: skip
    assert len(list(m.parameters())) == 4
    assert [n for n, _ in m[0].named_buffers(prefix="c", recurse=False)] == ["c.count",
                                                                              "c.scratch"]
    m[0].count = t.tensor(5)  # assigning to a buffer's name replaces the buffer
    assert m.state_dict()["0.count"].item() == 5
    del m[0].count
    assert "0.count" not in m.state_dict()
    m[1].count = None
    assert [n for n, _ in m[1].named_buffers()] == ["scratch"]


def test_a_plain_tensor_attribute_is_not_a_buffer_and_to_casts_only_float_buffers():
    m = Counter()
    m.other = t.ones(2)
    assert [n for n, _ in m.named_buffers()] == ["count", "scratch"]
    m.double()
    assert m.scratch.dtype == t.float64 and m.count.dtype == t.int64
    assert m.other.dtype == t.float32


def test_load_state_dict_loads_buffers_and_checks_them():
    m = Counter()
    state = {k: v.clone() for k, v in m.state_dict().items()}
    state["count"] = t.tensor(7)
    m.load_state_dict(state)
    assert m.count.item() == 7
    state["count"] = t.tensor([7, 8])
    with pytest.raises(RuntimeError, match="size mismatch for count"):
        m.load_state_dict(state)
    del state["count"]
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "count"'):
        m.load_state_dict(state)


def test_register_buffer_errors_are_clear():
    m = Counter()
    with pytest.raises(TypeError, match="cannot assign 'list' object to buffer 'b'"):
        m.register_buffer("b", [1.0])
    with pytest.raises(KeyError, match="attribute 'fc' already exists"):
        m.register_buffer("fc", t.ones(1))
    with pytest.raises(KeyError, match="attribute 'count' already exists"):
        m.register_parameter("count", nn.Parameter(t.ones(1)))
    with pytest.raises(KeyError, match='without "."'):
        m.register_buffer("a.b", t.ones(1))
    with pytest.raises(TypeError, match="cannot assign 'int' as buffer 'count'"):
        m.count = 3
    m.count = nn.Parameter(t.ones(1))  # a Parameter takes the name over, as in PyTorch
    assert "count" in dict(m.named_parameters()) and "count" not in dict(m.named_buffers())

    class Early(nn.Module):
        def __init__(self):
            self.register_buffer("x", t.ones(1))

    with pytest.raises(AttributeError, match="cannot assign buffer before Module.__init__"):
        Early()


# ---------------------------------------------------------------------------------------------
# one_hot and normalize
# ---------------------------------------------------------------------------------------------


def test_one_hot_rows_and_shapes():
    out = F.one_hot(t.tensor([[0, 3], [1, 1]]))
    assert out.dtype == t.int64 and out.shape == (2, 2, 4)
    assert out.tolist() == [[[1, 0, 0, 0], [0, 0, 0, 1]], [[0, 1, 0, 0], [0, 1, 0, 0]]]
    assert F.one_hot(t.tensor([2]), 5).tolist() == [[0, 0, 1, 0, 0]]
    assert F.one_hot(t.tensor([], dtype=t.int64), 3).shape == (0, 3)


def test_normalize_scales_each_slice_to_norm_one_and_keeps_zero_slices():
    x = f64([[3.0, 4.0], [0.0, 0.0], [-1.0, 1.0]])
    np.testing.assert_allclose(F.normalize(x).numpy(),
                               [[0.6, 0.8], [0, 0], [-0.5**0.5, 0.5**0.5]], rtol=1e-12)  # fmt: skip
    np.testing.assert_allclose(F.normalize(x, p=1, dim=0).numpy()[:, 0], [0.75, 0, -0.25])
    np.testing.assert_allclose(F.normalize(x, p=math.inf).numpy()[0], [0.75, 1.0])
    assert t.gradcheck(lambda v: F.normalize(v, dim=1), (f64(X, requires_grad=True),))


# ---------------------------------------------------------------------------------------------
# The bad-input catalogue: PyTorch's error type, a message naming the shapes and values, and
# raised by the package's own checks (the innermost frame is in tinygrad_lr/)
# ---------------------------------------------------------------------------------------------


class Case(NamedTuple):
    id: str
    make: Any
    error: type
    needles: tuple


def _train_bn(shape, channels=3):
    return lambda: nn.BatchNorm1d(channels)(t.ones(*shape))


CASES = [
    Case("layer-norm-shape", lambda: nn.LayerNorm(5)(t.ones(2, 4)), RuntimeError,
         ("normalized_shape=[5]", "[*, 5]", "[2, 4]")),
    Case("layer-norm-shape-2d", lambda: nn.LayerNorm([2, 3])(t.ones(3, 2)), RuntimeError,
         ("normalized_shape=[2, 3]", "[3, 2]")),
    Case("layer-norm-weight", lambda: F.layer_norm(t.ones(2, 5), (5,), t.ones(4)), RuntimeError,
         ("weight of shape [4]", "normalized_shape = [5]")),
    Case("layer-norm-int-shape", lambda: F.layer_norm(t.ones(2, 5), 5), TypeError,
         ("normalized_shape", "tuple of ints", "int")),
    Case("layer-norm-empty-shape", lambda: F.layer_norm(t.ones(2, 5), ()), RuntimeError,
         ("at least 1-dimensional",)),
    Case("layer-norm-dtypes", lambda: nn.LayerNorm(3)(t.ones(2, 3, dtype=t.float64)),
         RuntimeError, ("mixed dtype", "float64", "float32")),
    Case("layer-norm-int", lambda: F.layer_norm(t.ones(2, 3, dtype=t.int64), (3,)),
         NotImplementedError, ("layer_norm", "Long")),
    Case("batch-norm-channels", _train_bn((2, 4)), RuntimeError,
         ("running_mean should contain 4 elements not 3", "(2, 4)")),
    Case("batch-norm-channels-eval", lambda: nn.BatchNorm1d(3).eval()(t.ones(5, 2, 7)),
         RuntimeError, ("running_mean should contain 2 elements not 3", "(5, 2, 7)")),
    Case("batch-norm-weight", lambda: nn.BatchNorm1d(3, track_running_stats=False)(t.ones(2, 4)),
         RuntimeError, ("weight should contain 4 elements not 3",)),
    Case("batch-norm-one-value", _train_bn((1, 3)), ValueError,
         ("Expected more than 1 value per channel when training", "[1, 3]")),
    Case("batch-norm-one-value-seq", _train_bn((1, 3, 1)), ValueError,
         ("more than 1 value per channel", "[1, 3, 1]")),
    Case("batch-norm-4d", _train_bn((2, 3, 4, 5)), ValueError, ("expected 2D or 3D input",
                                                                 "4D", "(2, 3, 4, 5)")),
    Case("batch-norm-1d", _train_bn((3,)), ValueError, ("expected 2D or 3D input", "1D")),
    Case("batch-norm-eval-without-stats", lambda: F.batch_norm(t.ones(2, 3), None, None),
         RuntimeError, ("running_mean must be defined in evaluation mode",)),
    Case("batch-norm-eps", lambda: F.batch_norm(t.ones(2, 3), None, None, training=True, eps=0),
         ValueError, ("eps must be positive", "0")),
    Case("batch-norm-dtypes",
         lambda: F.batch_norm(t.ones(2, 3), t.zeros(3, dtype=t.float64), t.ones(3), training=True),
         RuntimeError, ("mixed dtype", "float32", "running_mean is float64")),
    Case("embedding-float-index", lambda: nn.Embedding(4, 2)(t.tensor([1.0])), RuntimeError,
         ("'indices'", "Long, Int", "FloatTensor")),
    Case("embedding-bool-index", lambda: nn.Embedding(4, 2)(t.tensor([True])), RuntimeError,
         ("Long, Int", "BoolTensor")),
    Case("embedding-list", lambda: nn.Embedding(4, 2)([1]), TypeError, ("must be Tensor", "list")),
    Case("embedding-too-large", lambda: nn.Embedding(4, 2)(t.tensor([[0, 4]])), IndexError,
         ("index out of range in self", "index 4", "4 rows", "[0, 3]")),
    Case("embedding-negative", lambda: nn.Embedding(4, 2)(t.tensor([-1])), IndexError,
         ("index out of range", "-1")),
    Case("embedding-padding", lambda: nn.Embedding(3, 2, padding_idx=3), AssertionError,
         ("Padding_idx must be within num_embeddings", "3")),
    Case("embedding-weight-1d", lambda: F.embedding(t.tensor([0]), t.ones(3)), RuntimeError,
         ("'weight' must be 2-D", "(3,)")),
    Case("embedding-max-norm", lambda: nn.Embedding(3, 2, max_norm=1.0), NotImplementedError,
         ("max_norm",)),
    Case("embedding-negative-size", lambda: nn.Embedding(-1, 2), RuntimeError,
         ("negative dimension", "[-1, 2]")),
    Case("one-hot-float", lambda: F.one_hot(t.tensor([1.0])), RuntimeError,
         ("LongTensor", "float32")),
    Case("one-hot-negative", lambda: F.one_hot(t.tensor([-1, 2])), RuntimeError,
         ("non-negative", "-1")),
    Case("one-hot-too-large", lambda: F.one_hot(t.tensor([3]), 3), RuntimeError,
         ("smaller than num_classes", "num_classes=3")),
    Case("one-hot-empty", lambda: F.one_hot(t.tensor([], dtype=t.int64)), RuntimeError,
         ("empty tensor",)),
    Case("normalize-dim", lambda: F.normalize(t.ones(3)), IndexError,
         ("Dimension out of range", "[-1, 0]", "1")),
    Case("hardtanh-bounds", lambda: nn.Hardtanh(2.0, 1.0), AssertionError,
         ("max_val (1.0) must be greater than min_val (2.0)",)),
    Case("silu-int", lambda: F.silu(t.tensor([1])), NotImplementedError, ("silu", "Long")),
    Case("softplus-int", lambda: nn.Softplus()(t.tensor([1])), NotImplementedError,
         ("softplus", "Long")),
    Case("elu-bool", lambda: F.elu(t.tensor([True])), NotImplementedError, ("elu", "Bool")),
    Case("clip-nonfinite",
         lambda: nn.utils.clip_grad_norm_([_with_grad([1.0, math.inf])], 1.0,
                                          error_if_nonfinite=True),
         RuntimeError, ("total norm of order 2.0", "non-finite", "error_if_nonfinite=False")),
    Case("vector-to-parameters-list", lambda: nn.utils.vector_to_parameters([1.0], []),
         TypeError, ("expected torch.Tensor", "list")),
]  # fmt: skip


def _with_grad(grad):
    p = nn.Parameter(t.zeros(len(grad)))
    p.grad = t.tensor(grad)
    return p


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_raises_pytorchs_error_naming_what_is_wrong(case):
    with pytest.raises(case.error) as info:
        case.make()
    assert type(info.value) is case.error
    missing = [n for n in case.needles if n not in str(info.value)]
    assert not missing, f"message lacks {missing}: {info.value}"
    innermost = str(info.traceback[-1].path)
    assert innermost.startswith(PACKAGE_DIR), f"raised from {innermost}, not by tinygrad_lr"


def test_a_refused_training_batch_is_still_counted_as_pytorch_counts_it():
    norm = nn.BatchNorm1d(3)
    with pytest.raises(ValueError):
        norm(t.ones(1, 3))
    assert norm.num_batches_tracked.item() == 1


# ---------------------------------------------------------------------------------------------
# Against PyTorch (where installed): the same weights in both, outputs and gradients to 1e-5
# ---------------------------------------------------------------------------------------------


def _copy_state(theirs, ours):
    ours.load_state_dict({k: t.tensor(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})  # fmt: skip


def _assert_close(ours, theirs, name=""):
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5,
                               atol=1e-5, err_msg=name)  # fmt: skip


def _train_both(torch, make, data, steps):
    theirs, ours = make(torch), make(t)
    torch.manual_seed(0)
    for p in theirs.parameters():  # away from the initial ones and zeros
        torch.nn.init.normal_(p)
    _copy_state(theirs, ours)
    opt_theirs = torch.optim.SGD(theirs.parameters(), lr=0.1)
    opt_ours = t.optim.SGD(ours.parameters(), lr=0.1)
    for step in range(steps):
        x, y = data(step)
        for lib, model, opt in ((torch, theirs, opt_theirs), (t, ours, opt_ours)):
            opt.zero_grad()
            out = model(lib.tensor(x))
            lib.nn.functional.cross_entropy(out, lib.tensor(y)).backward()
            opt.step()
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
            _assert_close(p.grad, q.grad, f"step {step}: {name}.grad")
    return theirs, ours


def test_a_batch_norm_and_layer_norm_network_trains_as_in_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)

    def make(lib):
        return lib.nn.Sequential(lib.nn.Linear(4, 6), lib.nn.BatchNorm1d(6), lib.nn.Tanh(),
                                 lib.nn.LayerNorm(6), lib.nn.Linear(6, 3))  # fmt: skip

    def data(step):
        return (rng.standard_normal((8, 4)).astype(np.float32), rng.integers(0, 3, 8))

    theirs, ours = _train_both(torch, make, data, 5)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values()):
        _assert_close(a, b, name)
    theirs.eval(), ours.eval()
    x = rng.standard_normal((3, 4)).astype(np.float32)
    _assert_close(ours(t.tensor(x)), theirs(torch.tensor(x)), "eval output")


@pytest.mark.parametrize("momentum", [0.3, None])
def test_batch_norm_of_sequences_keeps_pytorchs_running_estimates(momentum):
    torch = pytest.importorskip("torch")
    theirs, ours = torch.nn.BatchNorm1d(3, momentum=momentum), nn.BatchNorm1d(3, momentum=momentum)
    rng = np.random.default_rng(1)
    for _ in range(4):
        x = rng.standard_normal((4, 3, 5)).astype(np.float32) * 3 + 1
        a, b = torch.tensor(x, requires_grad=True), t.tensor(x, requires_grad=True)
        theirs(a).pow(3).sum().backward()
        ours(b).pow(3).sum().backward()
        _assert_close(b.grad, a.grad, "input grad")
    for name, value in theirs.state_dict().items():
        _assert_close(ours.state_dict()[name], value, name)


def test_an_embedding_with_padding_gives_pytorchs_outputs_and_gradients():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Embedding(7, 3, padding_idx=2)
    ours = nn.Embedding(7, 3, padding_idx=2)
    _copy_state(theirs, ours)
    idx = np.array([[2, 0, 6], [2, 2, 1]])
    g = np.random.default_rng(2).standard_normal((2, 3, 3)).astype(np.float32)
    (theirs(torch.tensor(idx)) * torch.tensor(g)).sum().backward()
    (ours(t.tensor(idx)) * t.tensor(g)).sum().backward()
    _assert_close(ours.weight.grad, theirs.weight.grad)
    assert repr(ours) == repr(theirs)


def test_reprs_match_pytorchs():
    torch = pytest.importorskip("torch")
    pairs = [("LayerNorm", ([2, 3],), {"eps": 1e-3, "bias": False}),
             ("LayerNorm", (4,), {"elementwise_affine": False}),
             ("BatchNorm1d", (5,), {"momentum": None, "affine": False}),
             ("BatchNorm1d", (5,), {"bias": False, "track_running_stats": False}),
             ("Embedding", (9, 2), {"padding_idx": -1}), ("Embedding", (9, 2), {})]
    for name, args, kwargs in pairs:
        assert repr(getattr(nn, name)(*args, **kwargs)) == repr(
            getattr(torch.nn, name)(*args, **kwargs))


def test_one_hot_and_normalize_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    idx = np.array([[0, 4], [2, 2]])
    assert F.one_hot(t.tensor(idx)).tolist() == torch.nn.functional.one_hot(
        torch.tensor(idx)).tolist()
    x = np.array([[3.0, -4.0, 0.5], [0.0, 0.0, 0.0]], np.float32)
    for p in (1.0, 2.0, 3.0, math.inf):
        a, b = torch.tensor(x, requires_grad=True), t.tensor(x, requires_grad=True)
        ya, yb = torch.nn.functional.normalize(a, p=p), F.normalize(b, p=p)
        (ya * ya).sum().backward(), (yb * yb).sum().backward()
        _assert_close(yb, ya, f"p={p}")
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-5, err_msg=f"p={p}")
