"""Second derivatives against PyTorch's, on the same functions (runs only where PyTorch is
installed: `pip install torch==2.13.0`)."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.autograd import functional as F

torch = pytest.importorskip("torch")
TF = torch.autograd.functional

FUNCTIONS = {
    "cubic": lambda m, a, b: ((a**3) * b).sum(),
    "tanh of a product": lambda m, a, b: (a * b).tanh().sum(),
    "log-sum-exp by hand": lambda m, a, b: (a.exp() + b.exp()).log().sum(),
    "sigmoid over a quotient": lambda m, a, b: (a / (b * b + 1)).sigmoid().sum(),
    "matrix product, relu, mean": lambda m, a, b: (m.matmul(a).relu() * b).mean(),
    "sqrt, abs, clamp, max": lambda m, a, b: ((a * a + 1).sqrt() + b.abs().clamp(0.2, 2)).max(),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_hessian_and_jacobian_of_the_gradient_agree_with_pytorch(name):
    fn = FUNCTIONS[name]
    rng = np.random.default_rng(len(name))
    m_np, a_np, b_np = rng.standard_normal((3, 3)), rng.standard_normal(3), rng.standard_normal(3)
    ours = F.hessian(lambda a, b: fn(t.tensor(m_np), a, b), (t.tensor(a_np), t.tensor(b_np)))
    theirs = TF.hessian(lambda a, b: fn(torch.tensor(m_np), a, b),
                        (torch.tensor(a_np), torch.tensor(b_np)))  # fmt: skip
    for row_ours, row_theirs in zip(ours, theirs):
        for ours_block, theirs_block in zip(row_ours, row_theirs):
            np.testing.assert_allclose(ours_block.numpy(), theirs_block.numpy(), rtol=1e-10,
                                       atol=1e-12)  # fmt: skip
    v = rng.standard_normal(3)
    _, ours_hvp = F.hvp(lambda a: fn(t.tensor(m_np), a, t.tensor(b_np)), t.tensor(a_np),
                        t.tensor(v))  # fmt: skip
    _, theirs_hvp = TF.hvp(lambda a: fn(torch.tensor(m_np), a, torch.tensor(b_np)),
                           torch.tensor(a_np), torch.tensor(v))  # fmt: skip
    np.testing.assert_allclose(ours_hvp.numpy(), theirs_hvp.numpy(), rtol=1e-10, atol=1e-12)
