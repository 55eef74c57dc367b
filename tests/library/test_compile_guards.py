"""A compiled step is never silently stale: each guard of `tinygrad_lr.compile`, tested.

Whatever the generated code cannot know (a learning rate changed later, a parameter's storage
rebound, the grad mode, a value read into Python, a custom backward that writes into its
gradient) must either reach it at every call, make the step be traced again, run the step
eagerly with a warning, or be refused with an error. Each test compares with the eager step.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn, optim
from tinygrad_lr.compile import CompileError


def batches(n: int, batch: int = 4, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        x = (rng.random((batch, 1)) * 5).astype(np.float32)
        y = (x * 2 + 3 + rng.standard_normal((batch, 1))).astype(np.float32)
        out.append((t.tensor(x), t.tensor(y)))
    return out


def bits(*tensors) -> list[bytes]:
    return [x.detach().numpy().tobytes() for x in tensors]


class Seed:
    """The seed's model and step, with the learning rate as a closure variable or an
    optimizer's setting. `inside(loss)` runs in the step after the loss is computed; `loss_of`
    replaces the loss."""

    def __init__(self, optimizer: bool = False, inside=None, loss_of=None) -> None:
        t.manual_seed(1000)
        self.w = t.rand(1, 1, requires_grad=True)
        self.b = t.zeros(1, 1, requires_grad=True)
        self.inside = inside or (lambda loss: None)
        self.loss_of = loss_of or (lambda pred, y: (0.5 * (pred - y) ** 2).sum())
        self.opt = optim.SGD([self.w, self.b], lr=0.02) if optimizer else None
        self.step = self.optimizer_step() if optimizer else self.manual_step()

    def manual_step(self):
        w, b, inside, loss_of = self.w, self.b, self.inside, self.loss_of
        lr = 0.02

        def step(x, y):
            loss = loss_of(x.mm(w) + b.expand_as(y), y)
            inside(loss)
            loss.backward()
            with t.no_grad():
                w.sub_(lr * w.grad)
                b.sub_(lr * b.grad)
            w.grad = b.grad = None
            return loss

        def set_lr(value: float) -> None:
            nonlocal lr
            lr = value

        self.set_lr = set_lr
        return step

    def optimizer_step(self):
        w, b, opt = self.w, self.b, self.opt

        def step(x, y):
            opt.zero_grad()
            loss = (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()
            loss.backward()
            opt.step()
            return loss

        return step


def compare(drive, n: int = 12, expect_warning: str | None = None, max_traces: int = 8,
            **model_options):  # fmt: skip
    """Run `drive(model, run, x, y, i)` for each batch eagerly and compiled: the same bits at
    every call. Returns the compiled step and its warnings."""
    outcomes, caught = [], []
    for compiled in (False, True):
        model = Seed(**model_options)
        run = t.compile(model.step, max_traces=max_traces) if compiled else model.step
        seen = []
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            for i, (x, y) in enumerate(batches(n)):
                seen.append(bits(drive(model, run, x, y, i), model.w, model.b))
        outcomes.append(seen)
        caught = [str(w.message) for w in got]
    assert outcomes[0] == outcomes[1]
    if expect_warning is None:
        assert caught == []
    else:
        assert len(caught) == 1 and expect_warning in caught[0], caught
    return run, caught


def plain(model, run, x, y, i):
    return run(x, y)


# --- settings read at every call ------------------------------------------------------------


def test_an_optimizers_learning_rate_changed_after_the_trace_is_used():
    def drive(model, run, x, y, i):
        model.opt.param_groups[0]["lr"] = 0.02 / (1 + i)  # a schedule
        return run(x, y)

    run, _ = compare(drive, optimizer=True)
    # The learning rate is an input of the code, not a constant of it: twelve learning rates,
    # two traces (the second as the parameters have a .grad when the step begins).
    assert run.count == 2 and "def step(x, y, w, b, lr):" in run.source


def test_momentum_and_weight_decay_changed_after_the_trace_are_used():
    def make():
        t.manual_seed(0)
        model = nn.Linear(2, 1)
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.5, weight_decay=0.1)

        def step(x, y):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            opt.step()
            return loss

        return step, opt, model

    rng = np.random.default_rng(0)
    data = [(t.tensor(rng.standard_normal((8, 2)).astype(np.float32)),
             t.tensor(rng.standard_normal((8, 1)).astype(np.float32))) for _ in range(8)]
    results = []
    for compiled in (False, True):
        step, opt, model = make()
        run = t.compile(step) if compiled else step
        for i, (x, y) in enumerate(data):
            opt.param_groups[0]["momentum"] = 0.5 + 0.05 * i
            opt.param_groups[0]["weight_decay"] = 0.1 / (1 + i)
            run(x, y)
        results.append(bits(*model.parameters()))
    assert results[0] == results[1]


def test_a_python_number_the_step_reads_is_checked_and_a_change_traces_again():
    def drive(model, run, x, y, i):
        if i == 5:
            model.set_lr(0.01)  # the closure's lr: fixed in the code, so the step is traced anew
        return run(x, y)

    run, _ = compare(drive)
    assert run.count == 2 and "0.01 * w_grad" in run.source


def test_adams_step_count_and_settings_are_read_at_every_call():
    def make():
        t.manual_seed(0)
        model = nn.Linear(3, 1)
        opt = optim.Adam(model.parameters(), lr=0.1)

        def step(x, y):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).sum()
            loss.backward()
            opt.step()
            return loss

        return step, opt, model

    rng = np.random.default_rng(0)
    data = [(t.tensor(rng.standard_normal((5, 3)).astype(np.float32)),
             t.tensor(rng.standard_normal((5, 1)).astype(np.float32))) for _ in range(10)]
    results = []
    for compiled in (False, True):
        step, opt, model = make()
        run = t.compile(step) if compiled else step
        for i, (x, y) in enumerate(data):
            opt.param_groups[0]["betas"] = (0.9 - 0.01 * i, 0.999)
            run(x, y)
        results.append(bits(*model.parameters()) + [str(opt.state[p]["step"]).encode()
                                                    for p in model.parameters()])  # fmt: skip
    assert results[0] == results[1]


# --- storage, shapes, grad mode -----------------------------------------------------------------


def test_rebinding_a_parameters_data_traces_again():
    def drive(model, run, x, y, i):
        if i in (3, 7):  # w.data = ...: w now holds another array, which the step must train
            model.w.data = t.tensor([[0.5 * i]])
        return run(x, y)

    run, _ = compare(drive)
    assert run.count == 3


def test_other_shapes_trace_again_up_to_max_traces_then_run_eagerly_with_a_warning():
    shapes = [4, 8, 4, 2, 8, 3, 3]

    def drive(model, run, x, y, i):
        n = shapes[i % len(shapes)]
        xs = t.tensor(np.repeat(x.numpy(), 2, axis=0)[:n])
        ys = t.tensor(np.repeat(y.numpy(), 2, axis=0)[:n])
        return run(xs, ys)

    run, _ = compare(drive)
    assert run.count == 4  # batches of 4, 8, 2 and 3
    run, caught = compare(drive, max_traces=3, expect_warning="reached max_traces=3")
    assert run.count == 3


def test_a_call_under_no_grad_behaves_as_the_eager_step():
    outcomes = []
    for compiled in (False, True):
        model = Seed()
        run = t.compile(model.step) if compiled else model.step
        x, y = batches(1)[0]
        run(x, y)
        before = bits(model.w, model.b)
        with t.no_grad(), pytest.raises(RuntimeError, match="does not require grad") as err:
            run(x, y)
        outcomes.append(str(err.value))
        assert bits(model.w, model.b) == before  # nothing was trained
        assert bits(run(x, y)) != [b""]  # and with grad enabled again, it trains
    assert outcomes[0] == outcomes[1]


def test_arguments_that_are_python_values_are_part_of_the_signature():
    model = Seed()
    w, b = model.w, model.b

    def step(x, y, lr):
        loss = (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()
        loss.backward()
        with t.no_grad():
            w.sub_(lr * w.grad)
            b.sub_(lr * b.grad)
        w.grad = b.grad = None
        return loss

    run = t.compile(step)
    for lr in (0.02, 0.01, 0.02):
        run(*batches(1)[0], lr)
    assert run.count == 2 and "0.01 * w_grad" in run.source
    with pytest.raises(TypeError, match="hashable"):
        run(*batches(1)[0], [0.02])


# --- what the code cannot repeat runs eagerly, with a warning -----------------------------------


@pytest.mark.parametrize("read", [
    lambda loss: loss.item(),
    lambda loss: bool(loss > 100),
    lambda loss: float(loss),
    lambda loss: loss.tolist(),
    lambda loss: f"{loss:.3f}",
], ids=["item", "bool", "float", "tolist", "format"])  # fmt: skip
def test_a_value_read_into_python_makes_the_step_run_eagerly(read):
    run, caught = compare(plain, inside=read, expect_warning="reads a tensor's value into Python")
    assert run.count == 0 and "test_compile_guards.py" in caught[0]  # where it was read


def test_random_numbers_drawn_inside_the_step_make_it_run_eagerly():
    model = Seed()
    w = model.w

    def step(x):
        noise = t.randn(*x.shape)  # a new draw at every call: a trace would fix it
        loss = ((x + noise).mm(w) ** 2).sum()
        loss.backward()
        return loss

    run = t.compile(step)
    with pytest.warns(RuntimeWarning, match="draws random numbers"):
        run(t.ones(4, 1))
    assert run.count == 0


def test_unsupported_optimizer_options_run_eagerly_with_a_warning():
    def drive(model, run, x, y, i):
        model.opt.param_groups[0]["nesterov"] = True  # an option the compiled update lacks
        return run(x, y)

    run, caught = compare(drive, optimizer=True, expect_warning="nesterov=True")
    assert run.count == 0


def test_an_optimizer_class_without_a_rule_runs_eagerly_with_a_warning():
    class Halving(optim.SGD):
        def step(self):
            for group in self.param_groups:
                group["lr"] /= 2
            super().step()

    def make_run(compiled):
        model = Seed()
        opt = Halving([model.w, model.b], lr=0.04)

        def step(x, y):
            opt.zero_grad()
            loss = (0.5 * (x.mm(model.w) + model.b.expand_as(y) - y) ** 2).sum()
            loss.backward()
            opt.step()
            return loss

        return model, t.compile(step) if compiled else step

    results = []
    for compiled in (False, True):
        model, run = make_run(compiled)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for x, y in batches(5):
                run(x, y)
        results.append(bits(model.w, model.b))
    assert results[0] == results[1]
    assert any("Halving.step() is not supported" in str(w.message) for w in caught)


# --- refused with an error -------------------------------------------------------------------


@pytest.mark.parametrize("inside", ["hook", "retain_grad", "anomaly", "create_graph", "grad"])
def test_hooks_anomaly_retain_grad_and_second_derivatives_are_refused(inside):
    model = Seed()
    w = model.w

    def step(x):
        h = x.mm(w)
        if inside == "hook":
            h.register_hook(lambda g: g * 2)
        if inside == "retain_grad":
            h.retain_grad()
        loss = (h**2).sum()
        if inside == "anomaly":
            with t.detect_anomaly():
                loss.backward()
        elif inside == "create_graph":
            loss.backward(create_graph=True)
        elif inside == "grad":
            t.autograd.grad(loss, [w])
        else:
            loss.backward()
        return loss

    with pytest.raises(CompileError, match="not supported"):
        t.compile(step)(t.ones(4, 1))


def test_a_hook_on_a_parameter_and_a_step_called_under_anomaly_mode_are_refused():
    model = Seed()
    handle = model.w.register_hook(lambda g: g)
    with pytest.raises(CompileError, match="hook on a parameter"):
        t.compile(model.step)(*batches(1)[0])
    handle.remove()
    with t.detect_anomaly(), pytest.raises(CompileError, match="anomaly mode"):
        t.compile(Seed().step)(*batches(1)[0])


# --- the generated code never writes into what it shares ------------------------------------------


class DoubledInPlace(t.Function):
    """z = 2a, whose backward doubles the gradient it is handed in place (and returns it)."""

    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, g):
        g *= 2
        return g


@pytest.mark.parametrize("where", ["root", "inner"])
def test_a_custom_backward_that_writes_into_its_gradient(where):
    def loss_of(pred, y):
        if where == "root":  # its backward is handed the root gradient, dloss/dloss = 1
            return DoubledInPlace.apply((0.5 * (pred - y) ** 2).sum())
        return DoubledInPlace.apply(0.5 * (pred - y) ** 2).sum()

    run, _ = compare(plain, loss_of=loss_of)
    trace = run.latest
    constants = {name: np.array(value, copy=True) for name, value in
                 trace.function.__globals__.items() if isinstance(value, np.ndarray)}  # fmt: skip
    for x, y in batches(3, seed=5):
        run(x, y)
    for name, value in constants.items():  # the code's constants are as the trace left them
        assert trace.function.__globals__[name].tobytes() == value.tobytes()


# --- reading the result --------------------------------------------------------------------------


def test_source_explain_and_write(tmp_path, capsys):
    run = t.compile(Seed().step)
    with pytest.raises(RuntimeError, match="call it once first"):
        run.source  # noqa: B018 - the property raises
    run(*batches(1)[0])
    run.explain()
    shown = capsys.readouterr().out
    assert "The graph of the step" in shown and "sum" in shown and run.source.strip() in shown
    run.write(tmp_path / "step.py")
    assert (tmp_path / "step.py").read_text() == run.source


def test_a_compiled_step_inside_another_is_traced_through():
    model = Seed()
    inner = t.compile(model.step)
    outer = t.compile(lambda x, y: inner(x, y))
    for x, y in batches(3):
        outer(x, y)
    assert outer.count == 1 and "w -= " in outer.source  # the inner step's code, in the outer's


def test_a_model_and_an_optimizer_passed_as_arguments():
    # Their parameters are found through the arguments: named in the code, and their .grad
    # reset by zero_grad() is seen as such (two traces, not one per call).
    def make():
        t.manual_seed(0)
        model = nn.Linear(2, 1)
        return model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def step(model, opt, x, y):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    rng = np.random.default_rng(0)
    data = [(t.tensor(rng.standard_normal((8, 2)).astype(np.float32)),
             t.tensor(rng.standard_normal((8, 1)).astype(np.float32))) for _ in range(8)]
    results = []
    for compiled in (False, True):
        model, opt = make()
        run = t.compile(step) if compiled else step
        losses = [run(model, opt, x, y) for x, y in data]
        results.append(bits(*losses, *model.parameters()))
    assert results[0] == results[1]
    # The second trace is made with the momentum buffers and the .grad that the first call left.
    assert run.count == 2 and "model_weight_momentum" in run.source


def test_a_global_step_named_like_an_optimizers_method_is_not_mistaken_for_a_global() -> None:
    # `opt.step()` names `step` as an attribute; the compiled step kept in a global `step` must
    # not be taken for a global the step reads (it once recursed into itself).
    namespace: dict = {"t": t}
    exec(
        "w = t.zeros(1, 1, requires_grad=True)\n"
        "opt = t.optim.SGD([w], lr=0.1)\n"
        "def train(x, y):\n"
        "    opt.zero_grad()\n"
        "    loss = ((x.mm(w) - y) ** 2).sum()\n"
        "    loss.backward()\n"
        "    opt.step()\n"
        "    return loss\n"
        "step = t.compile(train)\n", namespace)
    x, y = t.ones(4, 1), t.ones(4, 1)
    losses = [namespace["step"](x, y).item() for _ in range(3)]
    assert losses == pytest.approx([4.0, 0.16, 0.0064], rel=1e-5)  # (float32)
