"""`tinygrad_lr.compile`: the generated code, and compiled runs equal to eager runs bit for bit.

Each training loop here runs twice from the same start, once eagerly and once compiled, and must
end on the same parameters and the same losses, every bit. The guards (when the compiled step
must not reuse its code) are tested in test_compile_guards.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn, optim
from tinygrad_lr.core.ops import OPS

ROOT = Path(__file__).resolve().parents[2]


def batches(n: int, batch: int = 4, features: int = 1, seed: int = 0) -> list:
    """The seed's data: x ~ U(0, 5), y = 2x + 3 + N(0, 1), float32."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        x = (rng.random((batch, features)) * 5).astype(np.float32)
        y = (x.sum(1, keepdims=True) * 2 + 3 + rng.standard_normal((batch, 1))).astype(np.float32)
        out.append((t.tensor(x), t.tensor(y)))
    return out


def run_both(make_step, data, check=None):
    """Run the loop `make_step()` builds (it returns the step and the tensors to compare) eagerly
    and compiled, and return both runs' (losses, final values, compiled step)."""
    runs = []
    for compiled in (False, True):
        step, watched = make_step()
        run = t.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a compiled step that falls back fails the test
            losses = [run(x, y).detach().numpy().copy() for x, y in data]
        runs.append((losses, [w.detach().numpy().copy() for w in watched], run))
    return runs


def assert_same_bits(eager, compiled):
    (losses_a, values_a, _), (losses_b, values_b, step) = eager, compiled
    assert len(losses_a) == len(losses_b)
    for a, b in zip(losses_a + values_a, losses_b + values_b):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    assert step.count >= 1 and not step.eager


def seed_step_factory(reduction: str = "sum"):
    def make():
        t.manual_seed(1000)
        w = t.rand(1, 1, requires_grad=True)
        b = t.zeros(1, 1, requires_grad=True)

        def step(x, y):
            y_pred = x.mm(w) + b.expand_as(y)
            loss = 0.5 * (y_pred - y) ** 2
            loss = loss.sum() if reduction == "sum" else loss.mean()
            loss.backward()
            with t.no_grad():
                w.sub_(0.02 * w.grad)
                b.sub_(0.02 * b.grad)
            w.grad = None
            b.grad = None
            return loss

        return step, [w, b]

    return make


# --- the seed's step, and the code it becomes -------------------------------------------------

SEED_SOURCE = """\
import numpy as np

def step(x, y, w, b):
    # forward
    t1 = x.dot(w)                           # mm
    y_pred = t1 + b                         # add
    t2 = y_pred - y                         # sub
    t3 = t2 ** 2                            # pow
    t4 = 0.5 * t3                           # mul
    loss = t4.sum()                         # sum
    # backward
    t5 = 2 * t2                             # backward of pow
    t6 = 0.5 * t5                           # backward of pow
    b_grad = t6.sum(axis=0, keepdims=True)  # backward of expand, into b.grad
    w_grad = x.T.dot(t6)                    # backward of mm, into w.grad
    # update
    t7 = 0.02 * w_grad                      # mul
    w -= t7                                 # sub_
    t8 = 0.02 * b_grad                      # mul
    b -= t8                                 # sub_
    return loss
"""


def test_the_seed_step_becomes_the_seeds_kernels_line_by_line():
    step, (w, b) = seed_step_factory()()
    compiled = t.compile(step)
    x, y = batches(1)[0]
    compiled(x, y)
    assert compiled.source.splitlines() == SEED_SOURCE.splitlines()
    # The source is a module of its own: run on the arrays, it takes the step the eager code
    # takes from the same values.
    namespace: dict = {}
    exec(compile(compiled.source, "step.py", "exec"), namespace)
    w0, b0 = w.detach().numpy().copy(), b.detach().numpy().copy()
    loss = namespace["step"](x.numpy(), y.numpy(), w0, b0)
    assert loss.tobytes() == step(x, y).detach().numpy().tobytes()
    assert w0.tobytes() == w.detach().numpy().tobytes()
    assert b0.tobytes() == b.detach().numpy().tobytes()


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_the_seed_step_compiled_equals_eager_bit_for_bit(reduction):
    eager, compiled = run_both(seed_step_factory(reduction), batches(30))
    assert_same_bits(eager, compiled)


def test_the_flagship_model_with_sgd_and_with_adam():
    from tinygrad_lr.apps.train import LinearRegression

    for make_optimizer in (lambda p: optim.SGD(p, lr=0.02), lambda p: optim.Adam(p, lr=0.05)):
        def make(make_optimizer=make_optimizer):
            t.manual_seed(1000)
            model = LinearRegression(3)
            opt = make_optimizer(model.parameters())

            def step(x, y):
                opt.zero_grad()
                loss = 0.5 * nn.functional.mse_loss(model(x), y, reduction="sum")
                loss.backward()
                opt.step()
                return loss

            return step, list(model.parameters())

        eager, compiled = run_both(make, batches(25, features=3))
        assert_same_bits(eager, compiled)


def mlp_factory(make_optimizer, schedule=None):
    def make():
        t.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
        opt = make_optimizer(model.parameters())
        loss_fn = nn.BCELoss()
        calls = [0]

        def step(x, y):
            if schedule is not None:  # (outside the traced computation: a setting changed)
                opt.param_groups[0]["lr"] = schedule(calls[0])
            calls[0] += 1
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss

        return step, list(model.parameters())

    return make


def moons(n: int) -> list:
    rng = np.random.default_rng(1)
    out = []
    for _ in range(n):
        x = rng.standard_normal((32, 2)).astype(np.float32)
        y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
        out.append((t.tensor(x), t.tensor(y)))
    return out


@pytest.mark.parametrize("make_optimizer", [
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-3),
    lambda p: optim.Adam(p, lr=0.05),
    lambda p: optim.Adam(p, lr=0.05, betas=(0.8, 0.99), weight_decay=1e-2),
], ids=["sgd-momentum", "sgd-momentum-decay", "adam", "adam-decay"])  # fmt: skip
def test_an_mlp_step_with_the_optimizers(make_optimizer):
    eager, compiled = run_both(mlp_factory(make_optimizer), moons(20))
    assert_same_bits(eager, compiled)


def test_the_manual_data_and_grad_loop():
    # The form of much PyTorch teaching material: updates through .data, gradients zeroed in
    # place (they then add up in place at the next backward).
    def make():
        t.manual_seed(1000)
        w = t.rand(1, 1, requires_grad=True)
        b = t.zeros(1, 1, requires_grad=True)

        def step(x, y):
            y_pred = x.mm(w) + b.expand_as(y)
            loss = (0.5 * (y_pred - y) ** 2).sum()
            loss.backward()
            w.data.sub_(0.02 * w.grad.data)
            b.data.sub_(0.02 * b.grad.data)
            w.grad.data.zero_()
            b.grad.data.zero_()
            return loss

        return step, [w, b]

    eager, compiled = run_both(make, batches(20))
    assert_same_bits(eager, compiled)
    assert "w_grad += " in compiled[2].source and "w_grad[...] = 0" in compiled[2].source


def test_the_seeds_hand_gradients_without_autograd():
    def make():
        t.manual_seed(1000)
        w, b = t.rand(1, 1), t.zeros(1, 1)

        def step(x, y):
            y_pred = x.mm(w) + b.expand_as(y)
            loss = (0.5 * (y_pred - y) ** 2).mean()
            dy_pred = y_pred - y
            w.sub_(0.02 * x.t().mm(dy_pred))
            b.sub_(0.02 * dy_pred.sum())
            return loss

        return step, [w, b]

    eager, compiled = run_both(make, batches(20))
    assert_same_bits(eager, compiled)


def test_the_step_returns_the_loss_without_a_graph_and_leaves_what_eager_leaves():
    make = mlp_factory(lambda p: optim.Adam(p, lr=0.05))
    step, params = make()
    compiled = t.compile(step)
    data = moons(4)
    for x, y in data:
        loss = compiled(x, y)
        assert isinstance(loss, t.Tensor) and loss.grad_fn is None and not loss.requires_grad
    opt = step.__closure__[[c for c in step.__code__.co_freevars].index("opt")].cell_contents
    assert all(opt.state[p]["step"] == 4 for p in params)
    assert all(p.grad is not None and p.grad.shape == p.shape for p in params)


def test_the_example_prints_the_code_beside_the_seeds_formulas_and_they_agree():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "compiled_step.py"), "--steps", "60"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # (no warning: the step was compiled)
    out = proc.stdout
    assert "def step(x, y, w, b):" in out and "w_grad = x.T.dot(t6)" in out
    assert "dw = x.t().mm(dy_pred)    w_grad = x.T.dot(t6)" in out
    assert "bit for bit the same: yes" in out


# --- every op ---------------------------------------------------------------------------------


def positive(a):
    return a * a + 0.5


# One call of each op of the op table, on inputs of these shapes.
OP_CALLS = {
    "add": (lambda a, b: a + b, [(3, 4), (4,)]), "sub": (lambda a, b: a - b, [(3, 4), (3, 4)]),
    "mul": (lambda a, b: a * b, [(3, 4), (1, 4)]),
    "div": (lambda a, b: a / positive(b), [(3,), (3,)]),
    "neg": (lambda a: -a, [(3,)]), "pow": (lambda a: positive(a) ** 1.5, [(3,)]),
    "exp": (lambda a: a.exp(), [(3,)]), "log": (lambda a: positive(a).log(), [(3,)]),
    "sqrt": (lambda a: positive(a).sqrt(), [(3,)]), "tanh": (lambda a: a.tanh(), [(3,)]),
    "sigmoid": (lambda a: a.sigmoid(), [(3,)]), "relu": (lambda a: a.relu(), [(3, 2)]),
    "abs": (lambda a: a.abs(), [(3,)]), "clamp": (lambda a: a.clamp(-0.5, 0.5), [(5,)]),
    "sin": (lambda a: a.sin(), [(3,)]), "cos": (lambda a: a.cos(), [(3,)]),
    "tan": (lambda a: a.tan(), [(3,)]), "atan": (lambda a: a.atan(), [(3,)]),
    "asin": (lambda a: (a * 0.3).asin(), [(3,)]), "acos": (lambda a: (a * 0.3).acos(), [(3,)]),
    "sinh": (lambda a: a.sinh(), [(3,)]), "cosh": (lambda a: a.cosh(), [(3,)]),
    "log1p": (lambda a: positive(a).log1p(), [(3,)]), "expm1": (lambda a: a.expm1(), [(3,)]),
    "log2": (lambda a: positive(a).log2(), [(3,)]),
    "log10": (lambda a: positive(a).log10(), [(3,)]),
    "exp2": (lambda a: a.exp2(), [(3,)]), "rsqrt": (lambda a: positive(a).rsqrt(), [(3,)]),
    "reciprocal": (lambda a: positive(a).reciprocal(), [(3,)]),
    "frac": (lambda a: (a * 3).frac(), [(3,)]), "erf": (lambda a: a.erf(), [(3,)]),
    "sign": (lambda a: a.sign() * a, [(3,)]), "floor": (lambda a: a.floor() + a, [(3,)]),
    "ceil": (lambda a: a.ceil() + a, [(3,)]), "trunc": (lambda a: a.trunc() + a, [(3,)]),
    "round": (lambda a: a.round() + a, [(3,)]),
    "pow_tensor": (lambda a, b: positive(a) ** b, [(3,), (3,)]),
    "remainder": (lambda a, b: a % positive(b), [(3,), (3,)]),
    "fmod": (lambda a, b: a.fmod(positive(b)), [(3,), (3,)]),
    "floor_divide": (lambda a, b: a.detach() // positive(b).detach() + a + b, [(3,), (3,)]),
    "maximum": (lambda a, b: a.maximum(b), [(3,), (3,)]),
    "minimum": (lambda a, b: a.minimum(b), [(3,), (3,)]),
    "where": (lambda a, b: a.where(a > 0, b), [(3,), (3,)]),
    "lerp": (lambda a, b, c: a.lerp(b, c), [(3,), (3,), (3,)]),
    "clamp_tensor": (lambda a, b, c: a.clamp(b - 1, c + 1), [(3,), (3,), (3,)]),
    "matmul": (lambda a, b: a @ b, [(2, 3, 4), (4, 5)]),
    "mm": (lambda a, b: a.mm(b), [(3, 4), (4, 2)]),
    "expand": (lambda a: a.expand(3, 4), [(1, 4)]), "reshape": (lambda a: a.reshape(6), [(2, 3)]),
    "view": (lambda a: a.view(6), [(2, 3)]), "squeeze": (lambda a: a.squeeze(0), [(1, 3)]),
    "unsqueeze": (lambda a: a.unsqueeze(1), [(3,)]),
    "permute": (lambda a: a.permute(2, 0, 1), [(2, 3, 4)]),
    "transpose": (lambda a: a.transpose(0, 1), [(2, 3)]),
    "index": (lambda a: a[1:, 0], [(3, 4)]),
    "gather": (lambda a: a.gather(1, t.tensor([[0, 0], [3, 1], [2, 2]])), [(3, 4)]),
    "scatter_add": (lambda a, b: a.scatter_add(1, t.tensor([[0, 0], [3, 1], [2, 2]]), b),
                    [(3, 4), (3, 2)]),
    "cat": (lambda a, b: t.cat([a, b], 0), [(2, 3), (1, 3)]),
    "flip": (lambda a: a.flip(0), [(3, 2)]),
    "roll": (lambda a: a.roll(1, 0), [(3, 2)]), "sum": (lambda a: a.sum(1), [(3, 4)]),
    "mean": (lambda a: a.mean(0, keepdim=True), [(3, 4)]),
    "max": (lambda a: a.max(1)[0], [(3, 4)]), "min": (lambda a: a.min(), [(3, 4)]),
    "amax": (lambda a: a.amax(1), [(3, 4)]), "amin": (lambda a: a.amin((0, 1), keepdim=True),
                                                       [(3, 4)]),
    "einsum": (lambda a, b: t.einsum("bij,jk->bik", a, b) * t.einsum("ii", b[:, :4]),
               [(2, 3, 4), (4, 5)]),
    "prod": (lambda a: a.prod(1), [(3, 4)]), "cumsum": (lambda a: a.cumsum(1), [(3, 4)]),
    "cumprod": (lambda a: a.cumprod(1), [(3, 4)]),
    "atan2": (lambda a, b: a.atan2(b), [(3,), (3,)]),
    "hypot": (lambda a, b: a.hypot(b), [(3,), (3,)]),
    "logit": (lambda a: a.sigmoid().logit(), [(3,)]),
    "norm": (lambda a: a.norm(), [(3, 4)]), "logsumexp": (lambda a: a.logsumexp(1), [(3, 4)]),
    "softmax": (lambda a: a.softmax(1), [(3, 4)]),
    "log_softmax": (lambda a: a.log_softmax(1), [(3, 4)]),
    "to": (lambda a: a.double() * 2, [(3,)]), "clone": (lambda a: a.clone(), [(3,)]),
    "fill": (lambda a: (a * 1).fill_(2.0) * a, [(3,)]),
    "copy": (lambda a, b: (a * 1).copy_(b) * a, [(3,), (3,)]),
    "binary_cross_entropy": (lambda a, b: nn.functional.binary_cross_entropy(a.sigmoid(),
                                                                            b.sigmoid()),
                             [(3,), (3,)]),
    "inv": (lambda a: (a + 4 * t.eye(3)).inverse(), [(2, 3, 3)]),
    "det": (lambda a: (a + 4 * t.eye(3)).det(), [(3, 3)]),
    "slogdet": (lambda a: t.linalg.slogdet(a + 4 * t.eye(3)).logabsdet, [(2, 3, 3)]),
    "solve": (lambda a, b: t.linalg.solve(a + 4 * t.eye(3), b), [(3, 3), (3, 2)]),
}  # fmt: skip

# The ops whose formulas decide on the values of their arrays (prod's backward on zeros, the
# max of all elements on nans), or step outside numpy's dispatch (erf's np.vectorize, norm's
# np.asarray; np.linalg's inv, det, slogdet and solve, which the tracer does not write as code,
# being outside numpy's top-level namespace): their steps run eagerly, with a warning naming them.
EAGER_OPS = {"erf", "min", "prod", "norm", "fill", "copy", "inv", "det", "slogdet", "solve"}


def test_every_op_of_the_table_has_a_call_here():
    assert set(OP_CALLS) == set(OPS)


@pytest.mark.parametrize("name", sorted(OP_CALLS))
def test_every_op_compiles_or_says_why_not(name):
    fn, shapes = OP_CALLS[name]
    def make_step(leaves):
        def step():
            for leaf in leaves:
                leaf.grad = None
            out = fn(*leaves)
            loss = (out * out).sum()
            loss.backward()
            return loss

        return step

    results = []
    for compiled in (False, True):
        rng = np.random.default_rng(1)
        leaves = [t.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
                  for s in shapes]  # fmt: skip
        step = make_step(leaves)
        run = t.compile(step) if compiled else step
        seen = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(3):  # new values at each call: the trace, its check, a plain call
                with t.no_grad():
                    for leaf in leaves:
                        leaf.copy_(t.tensor(rng.standard_normal(leaf.shape).astype(np.float32)))
                seen.append(run().detach().numpy().tobytes())
                seen += [leaf.grad.numpy().tobytes() for leaf in leaves]
        results.append((seen, [str(w.message) for w in caught]))
    (eager, _), (compiled, messages) = results
    assert eager == compiled
    if name in EAGER_OPS:
        assert len(messages) == 1 and "runs eagerly" in messages[0]
    else:
        assert messages == []


# --- random programs ----------------------------------------------------------------------------

sys.path.insert(0, str(ROOT / "tests" / "core"))  # the random programs of the fuzz test, reused
from hypothesis import given, settings  # noqa: E402
from test_fuzz import programs  # noqa: E402
from test_fuzz import run as run_program  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(programs())
def test_random_programs_compile_to_the_eager_bits(program):
    # Each program runs three times on new values (the trace, its check, the generated code
    # alone), eagerly and compiled: the same values and gradients, or, for the ops that decide
    # on their data, an eager run with a warning saying so.
    arrays, steps = program

    def make_step(leaves):
        def step():
            for leaf in leaves:
                leaf.grad = None
            out = run_program(steps, leaves)
            if not out.requires_grad:
                return out
            loss = (out * out).sum()
            loss.backward()
            return loss

        return step

    results = []
    for compiled in (False, True):
        leaves = [t.tensor(a, dtype=t.float64, requires_grad=True) for a in arrays]
        step = make_step(leaves)
        run = t.compile(step) if compiled else step
        seen = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for k in range(3):
                with t.no_grad():
                    for leaf, a in zip(leaves, arrays):
                        leaf.copy_(t.tensor(a * (1 + 0.25 * k), dtype=t.float64))
                seen.append(run().detach().numpy().tobytes())
                seen += [b"" if x.grad is None else x.grad.numpy().tobytes() for x in leaves]
        results.append((seen, [str(w.message) for w in caught]))
    (eager, eager_messages), (compiled, messages) = results
    assert eager == compiled
    ours = [m for m in messages if m.startswith("compile(")]
    assert all("runs eagerly" in m and ("decision on the values" in m or "plain array" in m)
               for m in ours), ours  # fmt: skip
    # numpy's own warnings (nan made from inf): the same as the eager step's
    assert {m for m in messages if m not in ours} == set(eager_messages)
