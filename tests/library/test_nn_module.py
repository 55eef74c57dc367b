"""nn: Parameter, Module registration, Linear, Sequential, the losses, cat, and saving/loading."""

import warnings
import zipfile

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn
from tinygrad_lr.core import ops as ops_module
from tinygrad_lr.nn import functional as F

# ---------------------------------------------------------------------------------------------
# Parameter
# ---------------------------------------------------------------------------------------------


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter([[1.0, 2.0]])
    assert isinstance(p, t.Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == t.float32 and p.shape == (1, 2)
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert set(vars(p)) == set(vars(t.ones(1, requires_grad=True)))  # a Tensor, relabelled
    out = p * 2
    assert type(out) is t.Tensor and out.grad_fn is not None


def test_parameter_shares_memory_with_a_source_tensor():
    source = t.zeros(3)
    p = nn.Parameter(source)
    with t.no_grad():
        p.add_(1.0)
    assert source.tolist() == [1.0, 1.0, 1.0]
    assert nn.Parameter(source, requires_grad=False).requires_grad is False


def test_parameter_of_integers_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(t.tensor([1, 2]))


# ---------------------------------------------------------------------------------------------
# Module
# ---------------------------------------------------------------------------------------------


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.scale = nn.Parameter(t.ones(1))
        self.plain = t.ones(2, requires_grad=True)  # a plain Tensor: not a parameter
        self.fc2 = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc2(self.fc1(x).tanh()) * self.scale


def test_children_and_parameters_are_registered_by_assignment_in_order():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert [type(m).__name__ for m in net.children()] == ["Linear", "Linear"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "fc2"]
    assert all(isinstance(p, nn.Parameter) for p in net.parameters())
    assert net.fc1.weight is dict(net.named_parameters())["fc1.weight"]


def test_a_shared_parameter_is_one_parameter_but_two_state_dict_entries():
    net = Net()
    net.fc3 = net.fc1  # the same module twice
    assert len(list(net.parameters())) == 5
    assert {"fc3.weight", "fc3.bias", "fc1.weight"} <= set(net.state_dict())


def test_call_runs_forward_and_backward_reaches_every_parameter():
    net = Net()
    net(t.randn(4, 2)).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in net.parameters())


def test_zero_grad_sets_to_none_or_to_zero():
    net = Net()
    net(t.randn(4, 2)).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_train_and_eval_set_the_flag_everywhere():
    net = Net()
    assert net.eval() is net
    assert not net.training and not net.fc1.training and not net.fc2.training
    net.train()
    assert net.training and net.fc2.training
    with pytest.raises(ValueError, match="boolean"):
        net.train("no")


def test_registration_errors_are_clear():
    class Forgot(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)  # before super().__init__()

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call"):
        Forgot()
    net = Net()
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'"):
        net.scale = t.ones(1)
    net.scale = None
    assert "scale" not in dict(net.named_parameters())
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        net.nope  # noqa: B018
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_module_repr_nests_like_pytorch():
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 1), nn.Sigmoid()))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=4, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=4, out_features=1, bias=True)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        ")"
    )


# ---------------------------------------------------------------------------------------------
# Linear and Sequential
# ---------------------------------------------------------------------------------------------


def test_linear_computes_x_times_weight_transposed_plus_bias():
    layer = nn.Linear(3, 2)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    x = t.randn(5, 3)
    expected = x.detach().numpy() @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-6)
    no_bias = nn.Linear(3, 2, bias=False)
    assert no_bias.bias is None and len(list(no_bias.parameters())) == 1
    np.testing.assert_allclose(no_bias(x).detach().numpy(),
                               x.numpy() @ no_bias.weight.detach().numpy().T, rtol=1e-6)


def test_linear_init_is_uniform_in_plus_minus_one_over_sqrt_in_from_the_package_rng():
    t.manual_seed(3)
    layer = nn.Linear(400, 50)
    w = layer.weight.detach().numpy()
    bound = 1 / np.sqrt(400)
    assert np.abs(w).max() <= bound and np.abs(layer.bias.detach().numpy()).max() <= bound
    # U(-a, a) has mean 0 and standard deviation a/√3 (20,000 draws: both well within 2 %).
    assert abs(w.mean()) < 0.02 * bound and abs(w.std() - bound / np.sqrt(3)) < 0.02 * bound
    t.manual_seed(3)
    assert np.array_equal(nn.Linear(400, 50).weight.detach().numpy(), w)


def test_linear_gradients_match_finite_differences():
    x = t.randn(4, 3, dtype=t.float64, requires_grad=True)
    w = t.randn(2, 3, dtype=t.float64, requires_grad=True)
    b = t.randn(2, dtype=t.float64, requires_grad=True)
    assert t.gradcheck(F.linear, (x, w, b))


def test_linear_rejects_inputs_of_the_wrong_width_naming_the_shapes():
    # PyTorch's words for the product that cannot be done, then the input's shape.
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(4x2 and 3x1\).*"
                                           r"shape \(4, 2\) must end in 3 features"):
        nn.Linear(3, 1)(t.randn(4, 2))
    with pytest.raises(RuntimeError, match=r"\(8x5 and 3x2\)"):
        nn.Linear(3, 2)(t.randn(2, 4, 5))
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        nn.Linear(-1, 3)
    with pytest.raises(TypeError, match="in_features must be an int"):
        nn.Linear(2.0, 3)


def test_sequential_chains_indexes_and_slices():
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    x = t.randn(3, 2)
    np.testing.assert_allclose(model(x).detach().numpy(),
                               model[2](model[1](model[0](x))).detach().numpy())
    assert len(model) == 3 and isinstance(model[-1], nn.Linear)
    assert len(model[:2]) == 2
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    with pytest.raises(TypeError, match=r"argument 1 is a type, not a Module.*ReLU\(\)"):
        nn.Sequential(nn.Linear(2, 2), nn.ReLU)
    with pytest.raises(IndexError, match="out of range"):
        model[3]


@pytest.mark.parametrize("module, fn", [(nn.ReLU(), np.maximum), (nn.Tanh(), np.tanh),
                                        (nn.Sigmoid(), None)])  # fmt: skip
def test_activation_modules(module, fn):
    x = t.tensor([-2.0, 0.5, 3.0])
    expected = 1 / (1 + np.exp(-x.detach().numpy())) if fn is None else (
        np.maximum(x.numpy(), 0) if fn is np.maximum else fn(x.numpy()))  # fmt: skip
    np.testing.assert_allclose(module(x).detach().numpy(), expected, rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------


def test_mse_loss_reductions_and_gradient():
    pred = t.tensor([[1.0], [2.0], [4.0]], requires_grad=True)
    target = t.tensor([[0.0], [2.0], [1.0]])
    assert F.mse_loss(pred, target).item() == pytest.approx((1 + 0 + 9) / 3)
    assert nn.MSELoss(reduction="sum")(pred, target).item() == pytest.approx(10.0)
    assert F.mse_loss(pred, target, reduction="none").tolist() == [[1.0], [0.0], [9.0]]
    F.mse_loss(pred, target).backward()  # d/dŷ mean((ŷ - y)²) = 2(ŷ - y)/n
    expected = 2 * (pred.detach().numpy() - target.numpy()) / 3
    np.testing.assert_allclose(pred.grad.numpy(), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="'avg' is not a valid value for reduction"):
        nn.MSELoss(reduction="avg")


def test_mse_loss_warns_when_shapes_differ_and_would_broadcast():
    with pytest.warns(UserWarning, match=r"target size \(3,\) that is different to the input "
                                         r"size \(3, 1\)"):  # fmt: skip
        F.mse_loss(t.zeros(3, 1), t.zeros(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(t.zeros(3, 1), t.zeros(3, 1))


def _bce_numpy(p, y):
    return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))


def test_binary_cross_entropy_values_and_reductions():
    p = np.array([[0.1], [0.6], [0.95]], dtype=np.float32)
    y = np.array([[0.0], [1.0], [1.0]], dtype=np.float32)
    expected = _bce_numpy(p.astype(np.float64), y)
    out = F.binary_cross_entropy(t.tensor(p), t.tensor(y), reduction="none")
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
    assert nn.BCELoss()(t.tensor(p), t.tensor(y)).item() == pytest.approx(expected.mean(), 1e-6)
    assert nn.BCELoss(reduction="sum")(t.tensor(p), t.tensor(y)).item() == pytest.approx(
        expected.sum(), 1e-6)


def test_binary_cross_entropy_clamps_the_logs_and_keeps_gradients_finite_at_0_and_1():
    # A sigmoid saturates to exactly 1.0 in float32 for scores above ~17: the loss of a wrong
    # label is then capped at 100 (log clamped at -100), and the gradient stays finite.
    p = t.tensor([0.0, 1.0, 1.0, 0.0], requires_grad=True)
    y = t.tensor([1.0, 0.0, 1.0, 0.0], requires_grad=True)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    assert loss.tolist() == [100.0, 100.0, 0.0, 0.0]
    loss.sum().backward()
    assert np.isfinite(p.grad.numpy()).all() and np.isfinite(y.grad.numpy()).all()
    # dp = (p - y) / max(p(1 - p), 1e-12), as in PyTorch
    np.testing.assert_allclose(p.grad.numpy(), [-1e12, 1e12, 0.0, 0.0], rtol=1e-6)


def test_binary_cross_entropy_gradcheck_both_inputs():
    t.manual_seed(0)
    p = (t.rand(3, 2, dtype=t.float64) * 0.8 + 0.1).requires_grad_()
    y = t.rand(3, 2, dtype=t.float64).requires_grad_()
    assert t.gradcheck(lambda p, y: F.binary_cross_entropy(p, y, reduction="none"), (p, y))


def test_binary_cross_entropy_input_errors():
    with pytest.raises(RuntimeError, match="between 0 and 1.*found 1.5"):
        F.binary_cross_entropy(t.tensor([0.5, 1.5]), t.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"target size \(2,\) that is different to the input "
                                         r"size \(2, 1\)"):  # fmt: skip
        F.binary_cross_entropy(t.tensor([[0.5], [0.5]]), t.tensor([0.0, 1.0]))


def test_new_ops_are_in_the_op_table_with_formulas():
    for name in ("cat", "binary_cross_entropy"):
        op = ops_module.OPS[name]
        assert op.name == name and "d" in op.formula


def test_cat_joins_and_splits_the_gradient_back():
    x = t.randn(3, 1, dtype=t.float64, requires_grad=True)
    y = t.randn(3, 2, dtype=t.float64, requires_grad=True)
    assert t.gradcheck(lambda x, y: t.cat([x, x**2, y], dim=1), (x, y))
    assert t.gradcheck(lambda y: t.cat([y, y * 3], dim=0), (y,))
    z = t.cat([t.zeros(2, 1, dtype=t.int64), t.ones(2, 1)], dim=-1)
    assert z.shape == (2, 2) and z.dtype == t.float32  # int and float promote to float


def test_cat_errors_name_the_shapes():
    with pytest.raises(RuntimeError, match=r"Sizes of tensors must match except in dimension 1.*"
                                           r"Expected size 3 but got size 2"):  # fmt: skip
        t.cat([t.zeros(3, 1), t.zeros(2, 1)], dim=1)
    with pytest.raises(RuntimeError, match="non-empty list"):
        t.cat([])
    with pytest.raises(RuntimeError, match="same number of dimensions: got 2 and 1"):
        t.cat([t.zeros(3, 1), t.zeros(3)])
    with pytest.raises(TypeError, match="list or tuple of Tensors"):
        t.cat(t.zeros(3))


# ---------------------------------------------------------------------------------------------
# state_dict, save_state, load_state
# ---------------------------------------------------------------------------------------------


def _model():
    return nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))


def test_state_dict_round_trips_exactly_through_an_npz_file(tmp_path):
    t.manual_seed(1)
    trained = _model()
    t.save_state(trained, tmp_path / "params.npz")
    t.manual_seed(2)
    fresh = _model()
    assert not np.array_equal(fresh[0].weight.detach().numpy(), trained[0].weight.detach().numpy())
    result = fresh.load_state_dict(t.load_state(tmp_path / "params.npz"))
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (name, a), (_, b) in zip(trained.state_dict().items(), fresh.state_dict().items()):
        assert a.dtype == b.dtype and np.array_equal(a.detach().numpy(), b.detach().numpy()), name
    with np.load(tmp_path / "params.npz", allow_pickle=False) as archive:  # plain numpy reads it
        assert sorted(archive.files) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert not [p for p in tmp_path.iterdir() if p.name != "params.npz"]  # no temporary left


def test_state_dict_tensors_are_detached_views_of_the_parameters():
    model = _model()
    state = model.state_dict()
    assert not state["0.weight"].requires_grad
    with t.no_grad():
        model[0].weight.add_(1.0)
    np.testing.assert_array_equal(state["0.weight"].numpy(), model[0].weight.detach().numpy())


def test_save_state_keeps_dtypes_and_any_key(tmp_path):
    state = {"file": t.zeros(2, dtype=t.float64), "allow_pickle": np.arange(3)}
    t.save_state(state, tmp_path / "s.npz")
    back = t.load_state(tmp_path / "s.npz")
    assert back["file"].dtype == t.float64 and back["allow_pickle"].tolist() == [0, 1, 2]


def test_load_state_dict_names_missing_unexpected_and_misshaped_keys_and_changes_nothing():
    model = _model()
    before = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    bad = {k: v.detach().numpy().copy() + 1 for k, v in model.state_dict().items()}
    del bad["2.bias"]
    bad["2.bais"] = np.zeros(1)
    bad["0.weight"] = np.zeros((2, 4))
    with pytest.raises(RuntimeError) as err:
        model.load_state_dict(bad)
    message = str(err.value)
    assert 'Missing key(s) in state_dict: "2.bias"' in message
    assert 'Unexpected key(s) in state_dict: "2.bais"' in message
    assert ("size mismatch for 0.weight: copying a param with shape (2, 4) from checkpoint, the "
            "shape in current model is (4, 2)") in message  # fmt: skip
    for k, v in model.state_dict().items():  # all checked before anything was copied
        np.testing.assert_array_equal(v.detach().numpy(), before[k])


def test_load_state_dict_non_strict_reports_what_it_skipped():
    model = _model()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items() if k != "2.bias"}
    state["extra"] = np.zeros(1)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["2.bias"] and result.unexpected_keys == ["extra"]


def test_load_state_refuses_pickles_and_broken_files_with_clear_errors(tmp_path):
    t.save_state(_model(), tmp_path / "good.npz")
    good = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "truncated.npz").write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match="truncated.npz' is truncated or corrupt"):
        t.load_state(tmp_path / "truncated.npz")
    np.savez(tmp_path / "pickled.npz", a=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ValueError, match="pickled.npz.*pickled Python objects"):
        t.load_state(tmp_path / "pickled.npz")
    (tmp_path / "text.npz").write_text("not an archive")
    with pytest.raises(ValueError, match="text.npz' is not an .npz archive"):
        t.load_state(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(2))
    with pytest.raises(ValueError, match="single .npy array"):
        t.load_state(tmp_path / "single.npy")
    with pytest.raises(FileNotFoundError, match="(?i)no such file"):
        t.load_state(tmp_path / "missing.npz")
    # A zip whose member is cut short (the archive's directory intact): still a clear error.
    import io

    npy = io.BytesIO()
    np.save(npy, np.arange(100.0))
    with zipfile.ZipFile(tmp_path / "short.npz", "w") as z:
        z.writestr("w.npy", npy.getvalue()[:200])
        z.writestr("raw.npy", b"not npy")
    with pytest.raises(ValueError, match="short.npz"):
        t.load_state(tmp_path / "short.npz")


def test_save_state_refuses_non_numeric_values(tmp_path):
    with pytest.raises(TypeError, match="'name' has dtype <U1; only bool, integer and float"):
        t.save_state({"name": np.array(["a"])}, tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())
