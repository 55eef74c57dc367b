"""nn layers, activations, containers, Module's methods and nn.init: values by their formulas,
gradients against finite differences (float64), errors, and PyTorch's numbers where installed."""

import math
from collections import OrderedDict

import numpy as np
import pytest
from pytorch_programs import assert_elementwise_same_as_pytorch

import tinygrad_lr as t
from tinygrad_lr import nn, optim
from tinygrad_lr.nn import functional as F

X = np.random.default_rng(5).standard_normal((4, 6)) * 2
X[0, 0] = 0.0


def f64(a, requires_grad=False):
    return t.tensor(a, dtype=t.float64, requires_grad=requires_grad)


def erf(a):
    return np.vectorize(math.erf)(a)


# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------

ACTIVATIONS = {
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda a: np.where(a > 0, a, 0.1 * a)),
    "gelu": (F.gelu, lambda a: 0.5 * a * (1 + erf(a / np.sqrt(2)))),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda a: 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a**3)))),
    "softmax": (lambda x: F.softmax(x, dim=1),
                lambda a: np.exp(a) / np.exp(a).sum(1, keepdims=True)),
    "log_softmax": (lambda x: F.log_softmax(x, dim=0),
                    lambda a: a - np.log(np.exp(a).sum(0, keepdims=True))),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_and_gradients(name):
    ours, formula = ACTIVATIONS[name]
    np.testing.assert_allclose(ours(f64(X)).numpy(), formula(X), rtol=1e-12, atol=1e-15)
    # gradcheck away from leaky_relu's kink at 0
    assert t.gradcheck(ours, (f64(X + 0.01, requires_grad=True),))


def test_leaky_relu_slope_at_zero_is_the_negative_slope_as_in_pytorch():
    x = f64([0.0, -1.0, 2.0], requires_grad=True)
    nn.LeakyReLU(0.2)(x).sum().backward()
    assert x.grad.tolist() == [0.2, 0.2, 1.0]


def test_activation_modules_call_their_functions_and_print_their_settings():
    x = f64(X)
    assert np.array_equal(nn.GELU("tanh")(x).numpy(), F.gelu(x, approximate="tanh").numpy())
    assert np.array_equal(nn.Softmax(dim=0)(x).numpy(), F.softmax(x, 0).numpy())
    assert np.array_equal(nn.LogSoftmax(dim=1)(x).numpy(), F.log_softmax(x, 1).numpy())
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.GELU()) == "GELU(approximate='none')"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        nn.GELU("fast")


def test_softmax_without_dim_warns_and_picks_pytorchs_legacy_dim():
    x = f64(X)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = nn.Softmax()(x)
    np.testing.assert_allclose(out.sum(1).numpy(), np.ones(4))  # dim 1 for a 2-d input


def test_relu_inplace_writes_into_its_input_and_gradients_still_flow():
    x = f64([-1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    y = nn.ReLU(inplace=True)(h)
    assert y is h and h.tolist() == [0.0, 4.0, 6.0]
    (y * y).sum().backward()
    assert x.grad.tolist() == [0.0, 16.0, 24.0]  # 2·y·2 where y > 0


# ---------------------------------------------------------------------------------------------
# Dropout, Flatten, Unflatten, Identity
# ---------------------------------------------------------------------------------------------


def test_dropout_zeroes_a_fraction_p_and_scales_the_rest_in_training_only():
    t.manual_seed(0)
    layer = nn.Dropout(p=0.25)
    x = t.ones(200, 100)
    out = layer(x).numpy()
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01  # 20,000 draws: within 4 standard deviations
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)
    t.manual_seed(0)
    assert np.array_equal(layer(x).numpy(), out)  # the package's generator: repeatable
    layer.eval()
    assert layer(x) is x
    assert F.dropout(x, 1.0).sum().item() == 0.0 and F.dropout(x, 0.0) is x


def test_dropout_gradient_is_the_same_mask():
    t.manual_seed(1)
    x = t.ones(50, requires_grad=True)
    out = F.dropout(x, 0.5)
    out.sum().backward()
    assert np.array_equal(x.grad.numpy(), out.detach().numpy())  # each element: mask/(1-p)


def test_dropout_refuses_probabilities_outside_0_1():
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1, but got -0.1"):
        F.dropout(t.ones(2), -0.1)


def test_flatten_unflatten_identity():
    x = t.randn(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Unflatten(1, (3, 20))(nn.Flatten()(x)).shape == (2, 3, 20)
    assert nn.Unflatten(-1, (5, -1))(t.randn(2, 10)).shape == (2, 5, 2)
    assert nn.Identity(54, unused="anything")(x) is x
    with pytest.raises(RuntimeError, match=r"sizes \[3, 7\] don't multiply up to the size of "
                                           r"dim 1 \(60\)"):
        nn.Unflatten(1, (3, 7))(nn.Flatten()(x))
    with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints"):
        nn.Unflatten(1, 60)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


# ---------------------------------------------------------------------------------------------
# Linear: PyTorch's init, Linear(0, n), dtypes
# ---------------------------------------------------------------------------------------------


def test_linear_init_is_kaiming_uniform_with_a_sqrt5_and_the_bias_uniform_in_1_over_sqrt_fan_in():
    t.manual_seed(7)
    layer = nn.Linear(300, 40)
    w = t.empty(40, 300)
    t.manual_seed(7)
    nn.init.kaiming_uniform_(w, a=math.sqrt(5))
    assert np.array_equal(layer.weight.detach().numpy(), w.numpy())  # the same draws
    bound = 1 / math.sqrt(300)  # gain √(2/(1+5)) times √(3/300)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.95 * bound
    assert np.abs(layer.bias.detach().numpy()).max() <= bound


def test_linear_with_no_inputs_outputs_its_bias_and_warns_as_pytorch():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        layer = nn.Linear(0, 3)
    assert layer.bias.tolist() == [0.0, 0.0, 0.0]  # U(±0)
    assert layer(t.ones(2, 0)).tolist() == [[0.0] * 3] * 2
    with pytest.warns(UserWarning, match="zero-element"):
        no_outputs = nn.Linear(3, 0)
    assert no_outputs(t.ones(2, 3)).shape == (2, 0)


def test_linear_refuses_a_different_dtype_as_pytorch():
    layer = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match="mat1 and mat2 must have the same dtype, but got "
                                           "Double and Float"):
        layer(t.rand(4, 3, dtype=t.float64))
    with pytest.raises(RuntimeError, match="but got Long and Float"):
        layer(t.ones(4, 3, dtype=t.int64))
    assert layer.double()(t.rand(4, 3, dtype=t.float64)).dtype == t.float64
    assert nn.Linear(3, 2, dtype=t.float64).weight.dtype == t.float64


# ---------------------------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------------------------


class Tower(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(depth)])
        self.heads = nn.ModuleDict({"a": nn.Linear(3, 1), "b": nn.Linear(3, 2)})

    def forward(self, x, head):
        for layer in self.layers:
            x = layer(x).tanh()
        return self.heads[head](x)


def test_module_list_and_dict_register_their_modules():
    model = Tower(2)
    names = [n for n, _ in model.named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                     "heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias"]
    assert model(t.randn(5, 3), "b").shape == (5, 2)
    loss = model(t.randn(5, 3), "a").sum()
    loss.backward()
    assert model.layers[0].weight.grad is not None and model.heads["b"].weight.grad is None


def test_module_list_behaves_as_a_list():
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    layers.append(nn.Sigmoid())
    layers.insert(0, nn.Identity())
    layers += [nn.GELU()]
    assert [type(m).__name__ for m in layers] == ["Identity", "ReLU", "Tanh", "Sigmoid", "GELU"]
    assert len(layers) == 5 and isinstance(layers[-1], nn.GELU) and len(layers[1:3]) == 2
    del layers[0]
    assert list(layers._modules) == ["0", "1", "2", "3"]  # renumbered, as PyTorch
    layers[0] = nn.Identity()
    assert isinstance(layers[0], nn.Identity)
    with pytest.raises(IndexError, match="index 9 is out of range for a ModuleList of 4"):
        layers[9]
    with pytest.raises(TypeError, match="is a type, not a Module.*ReLU\\(\\)"):
        layers.append(nn.ReLU)
    with pytest.raises(NotImplementedError, match="loop over its modules"):
        layers(t.ones(1))


def test_module_dict_behaves_as_a_dict():
    heads = nn.ModuleDict([("x", nn.ReLU()), ("y", nn.Tanh())])
    heads["z"] = nn.Sigmoid()
    heads.update({"w": nn.Identity()})
    assert list(heads) == ["x", "y", "z", "w"] and "z" in heads and len(heads) == 4
    assert list(heads.keys()) == ["x", "y", "z", "w"]
    assert isinstance(heads.pop("y"), nn.Tanh) and "y" not in heads
    assert [type(m).__name__ for m in heads.values()] == ["ReLU", "Sigmoid", "Identity"]
    with pytest.raises(KeyError, match="'q'.*holds \\['x', 'z', 'w'\\]"):
        heads["q"]
    with pytest.raises(TypeError, match="not a Module"):
        heads["bad"] = 3


def test_sequential_from_an_ordered_dict_keeps_the_names_and_appends():
    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())]))
    model.append(nn.Linear(3, 1))
    assert [n for n, _ in model.named_parameters()] == ["fc.weight", "fc.bias", "2.weight",
                                                        "2.bias"]
    assert list(model[:2]._modules) == ["fc", "act"]
    assert model(t.randn(4, 2)).shape == (4, 1)


# ---------------------------------------------------------------------------------------------
# Module's methods
# ---------------------------------------------------------------------------------------------


def test_apply_calls_children_before_parents_each_module_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.Sequential(nn.Tanh(), shared))
    seen = []
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["Linear", "Tanh", "Sequential", "Sequential"]


def test_apply_initialises_as_tutorials_do():
    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)).apply(init_weights)
    assert model[0].bias.tolist() == [0.0] * 8 and model[2].weight.abs().max().item() <= \
        math.sqrt(6 / 10)  # fmt: skip


def test_train_eval_reach_every_module_and_switch_dropout():
    model = nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.Dropout(0.5)))
    model.eval()
    assert [m.training for m in model.modules()] == [False] * 4
    x = t.ones(2, 3)
    assert np.array_equal(model(x).detach().numpy(), model(x).detach().numpy())
    assert model.train() is model and model[1][0].training


def test_to_casts_floating_parameters_in_place_and_checks_the_device():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    weight = model[0].weight
    opt = optim.SGD(model.parameters(), lr=0.1)
    assert model.to("cpu") is model and model.cpu() is model
    model.to(t.float64)
    assert weight.dtype == t.float64 and model[0].weight is weight  # the optimizer's tensor
    model(t.ones(1, 2, dtype=t.float64)).sum().backward()
    opt.step()
    model.to(t.device("cpu"), dtype=t.float32)
    assert weight.dtype == t.float32 and weight.grad.dtype == t.float32
    with pytest.raises(RuntimeError, match="'cuda' is not available.*CPU"):
        model.to("cuda")
    with pytest.raises(RuntimeError, match="not available"):
        model.cuda()
    with pytest.raises(TypeError, match="only accepts floating point dtypes.*int64"):
        model.to(t.int64)


def test_named_children_named_parameters_options_and_requires_grad():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1)))
    assert [n for n, _ in model.named_children()] == ["0", "1"]
    assert [n for n, _ in model.named_parameters(prefix="net")][:2] == ["net.0.weight",
                                                                       "net.0.bias"]
    assert list(model[1].named_parameters(recurse=False)) == []
    model[0].requires_grad_(False)
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    shared = nn.Linear(1, 1)
    twice = nn.Sequential(shared, shared)
    assert len(list(twice.named_modules())) == 2
    assert len(list(twice.named_modules(remove_duplicate=False))) == 3


def test_zero_grad_set_to_none_false_keeps_zero_tensors():
    model = nn.Linear(2, 1)
    model(t.ones(1, 2)).sum().backward()
    model.zero_grad(set_to_none=False)
    assert model.weight.grad.tolist() == [[0.0, 0.0]]
    model.zero_grad()
    assert model.weight.grad is None


# ---------------------------------------------------------------------------------------------
# nn.init
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nonlinearity, param, gain", [
    ("linear", None, 1.0), ("sigmoid", None, 1.0), ("conv2d", None, 1.0), ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("selu", None, 0.75),
])  # fmt: skip
def test_calculate_gain(nonlinearity, param, gain):
    assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(gain)


def test_calculate_gain_refuses_unknown_nonlinearities():
    with pytest.raises(ValueError, match="Unsupported nonlinearity swish"):
        nn.init.calculate_gain("swish")


@pytest.mark.parametrize("name, kwargs, std", [
    ("uniform_", dict(a=-2.0, b=2.0), 4 / math.sqrt(12)),
    ("normal_", dict(mean=0.0, std=0.3), 0.3),
    ("xavier_uniform_", dict(gain=2.0), 2.0 * math.sqrt(2 / (200 + 100))),
    ("xavier_normal_", dict(), math.sqrt(2 / (200 + 100))),
    ("kaiming_uniform_", dict(nonlinearity="relu"), math.sqrt(2 / 100)),
    ("kaiming_normal_", dict(mode="fan_out", nonlinearity="relu"), math.sqrt(2 / 200)),
    ("kaiming_normal_", dict(a=0.1), math.sqrt(2 / 1.01 / 100)),
])  # fmt: skip
def test_random_initialisers_have_the_documented_spread(name, kwargs, std):
    t.manual_seed(2)
    w = t.empty(200, 100)  # fan_in 100, fan_out 200: 20,000 draws, spread within 2 %
    assert getattr(nn.init, name)(w, **kwargs) is w
    assert abs(w.numpy().std() - std) < 0.02 * std


def test_initialisers_work_in_place_on_parameters_without_recording():
    layer = nn.Linear(3, 2)
    weight = layer.weight
    nn.init.ones_(weight)
    nn.init.constant_(layer.bias, 0.5)
    assert weight.tolist() == [[1.0] * 3] * 2 and layer.bias.tolist() == [0.5, 0.5]
    assert weight.is_leaf and weight.grad_fn is None and weight.requires_grad
    assert nn.init.eye_(t.empty(2, 3)).tolist() == [[1, 0, 0], [0, 1, 0]]
    nn.init.zeros_(weight)
    assert weight.abs().sum().item() == 0


def test_trunc_normal_stays_in_bounds_and_a_given_generator_repeats():
    w = t.empty(5000)
    nn.init.trunc_normal_(w, mean=0.0, std=1.0, a=-0.5, b=1.0,
                          generator=np.random.default_rng(4))  # fmt: skip
    assert w.min().item() >= -0.5 and w.max().item() <= 1.0
    v = nn.init.trunc_normal_(t.empty(5000), a=-0.5, b=1.0, generator=np.random.default_rng(4))
    assert np.array_equal(v.numpy(), w.numpy())


def test_fan_errors_name_the_shape():
    with pytest.raises(ValueError, match="fewer than 2 dimensions \\(got shape \\(5,\\)\\)"):
        nn.init.xavier_uniform_(t.empty(5))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        nn.init.kaiming_uniform_(t.empty(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions"):
        nn.init.eye_(t.empty(2, 2, 2))


# ---------------------------------------------------------------------------------------------
# Against PyTorch (where installed)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["leaky_relu", "gelu", "gelu_tanh", "softmax", "log_softmax"])
def test_activations_agree_with_pytorch(name):
    torch = pytest.importorskip("torch")
    theirs_fn = {
        "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.1),
        "gelu": torch.nn.functional.gelu,
        "gelu_tanh": lambda x: torch.nn.functional.gelu(x, approximate="tanh"),
        "softmax": lambda x: torch.softmax(x, dim=1),
        "log_softmax": lambda x: torch.log_softmax(x, dim=0),
    }[name]  # fmt: skip
    assert_elementwise_same_as_pytorch(torch, ACTIVATIONS[name][0], theirs_fn, X,
                                       {"float32": 2e-6, "float64": 1e-13})


def test_linear_with_pytorchs_weights_gives_pytorchs_outputs_and_gradients():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.Linear(6, 3)
    ours = nn.Linear(6, 3)
    ours.load_state_dict({k: t.tensor(v.detach().numpy()) for k, v in
                          theirs.state_dict().items()})  # fmt: skip
    x = X.astype(np.float32)
    ours(t.tensor(x)).pow(2).sum().backward()
    theirs(torch.tensor(x)).pow(2).sum().backward()
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        scale = np.abs(q.grad.numpy()).max()  # float32 sums of 4 rows: relative to the largest
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6 * scale,
                                   err_msg=name)
