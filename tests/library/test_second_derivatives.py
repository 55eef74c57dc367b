"""Second derivatives: `autograd.grad` with `create_graph`, `Tensor.backward(create_graph=True)`,
`autograd.backward`, and the functional API (jacobian, hessian, vjp, jvp, hvp, vhp), with
PyTorch's semantics and errors. The flagship's Hessian and Newton's step are checked against the
closed form."""

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.autograd import functional as F
from tinygrad_lr.autograd import grad


def f64(values, requires_grad=True):
    return t.tensor(values, dtype=t.float64, requires_grad=requires_grad)


# --- autograd.grad --------------------------------------------------------------------------


def test_grad_returns_the_gradients_and_touches_no_grad():
    x, w = f64([1.0, 2.0]), f64([3.0, 4.0])
    gx, gw = grad((x * w).sum(), [x, w])
    assert gx.tolist() == [3.0, 4.0] and gw.tolist() == [1.0, 2.0]
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad and gx.grad_fn is None


def test_create_graph_gives_gradients_with_a_graph_and_keeps_the_graph():
    x = f64([1.0, 2.0])
    y = (x**3).sum()
    (g,) = grad(y, x, create_graph=True)
    assert g.requires_grad and g.grad_fn is not None
    assert g.tolist() == [3.0, 12.0]  # 3x²
    (h,) = grad(g.sum(), x)  # d/dx Σ 3x² = 6x
    assert h.tolist() == [6.0, 12.0]
    (again,) = grad(y, x)  # retain_graph defaulted to create_graph: the graph is still there
    assert again.tolist() == [3.0, 12.0]


def test_third_derivatives_too():
    x = f64(2.0)
    (d1,) = grad(x**4, x, create_graph=True)
    (d2,) = grad(d1, x, create_graph=True)
    (d3,) = grad(d2, x)
    assert (d1.item(), d2.item(), d3.item()) == (32.0, 48.0, 48.0)  # 4x³, 12x², 24x


def test_without_create_graph_the_graph_is_freed_with_pytorchs_message():
    x = f64([1.0, 2.0])
    y = (x * x).sum()
    grad(y, x)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        grad(y, x)


def test_grad_outputs_weigh_the_outputs():
    x = f64([1.0, 2.0])
    (g,) = grad(x * x, x, grad_outputs=f64([10.0, 100.0], requires_grad=False))
    assert g.tolist() == [20.0, 400.0]
    ga, gb = grad([x.sum(), (x * 3).sum()], [x, x])  # two outputs sum; the same input twice
    assert ga.tolist() == gb.tolist() == [4.0, 4.0]


def test_non_scalar_output_without_grad_outputs_is_pytorchs_error():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):  # fmt: skip
        grad(x * 2, x)


def test_grad_outputs_of_the_wrong_shape_is_pytorchs_error():
    x = f64([1.0, 2.0])
    expected = r"Mismatch in shape: grad_output\[0\] has a shape of \(2,\) and output\[0\] has"
    with pytest.raises(RuntimeError, match=expected + r" a shape of \(\)"):
        grad(x.sum(), x, grad_outputs=f64([1.0, 1.0]))


def test_an_input_that_does_not_require_grad_is_pytorchs_error():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require "
                                           "grad"):  # fmt: skip
        grad((x * 2).sum(), f64([1.0], requires_grad=False))


def test_an_output_that_does_not_require_grad_is_pytorchs_error():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        grad(f64(1.0, requires_grad=False), x)


def test_an_unused_input_needs_allow_unused():
    x, z = f64([1.0, 2.0]), f64([5.0])
    y = (x * x).sum()
    with pytest.raises(RuntimeError, match=r"The differentiated Tensor at index 1 appears to not "
                                           r"have been used in the graph\. Set allow_unused=True"):
        grad(y, [x, z], retain_graph=True)
    gx, gz = grad(y, [x, z], retain_graph=True, allow_unused=True)
    assert gx.tolist() == [2.0, 4.0] and gz is None
    _, gz = grad(y, [x, z], materialize_grads=True)
    assert gz.tolist() == [0.0]


def test_grad_with_respect_to_an_intermediate_tensor():
    x = f64([1.0, 2.0])
    h = x * 3
    y = (h * h).sum()
    gh, gx = grad(y, [h, x])
    assert gh.tolist() == [6.0, 12.0] and gx.tolist() == [18.0, 36.0]


def test_only_the_nodes_leading_to_the_inputs_run():
    # a's branch is not needed for b's gradient: its saved values are not freed, as in PyTorch.
    a, b = f64([1.0]), f64([2.0])
    ya, yb = (a * a), (b * b)
    y = (ya + yb).sum()
    (gb,) = grad(y, b)
    assert gb.tolist() == [4.0]
    assert ya.grad_fn.saved is not None and yb.grad_fn.saved is None


@pytest.mark.parametrize("create_graph", [False, True])
def test_no_grad_around_grad_behaves_as_pytorch(create_graph):
    # The backward pass records a graph exactly when create_graph asks, whatever the mode around.
    x = f64([1.0, 2.0])
    y = (x**3).sum()
    with t.no_grad():
        (g,) = grad(y, x, create_graph=create_graph)
    assert g.requires_grad is create_graph and g.tolist() == [3.0, 12.0]
    with t.no_grad():
        z = x * 2
    with pytest.raises(RuntimeError, match="does not require grad"):
        grad(z.sum(), x)  # computed under no_grad: no graph to differentiate


# --- backward(create_graph=True) and autograd.backward ---------------------------------------


def test_backward_with_create_graph_fills_grad_with_a_graph():
    x = f64([1.0, 2.0])
    (x**3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.tolist() == [3.0, 12.0]
    g = x.grad
    x.grad = None
    g.sum().backward()
    assert x.grad.tolist() == [6.0, 12.0]


def test_autograd_backward_sums_several_outputs():
    x = f64([1.0, 2.0])
    t.autograd.backward([(x * x).sum(), x * 3], [None, f64([1.0, 1.0], requires_grad=False)])
    assert x.grad.tolist() == [5.0, 7.0]  # 2x + 3


def test_a_gradient_with_a_graph_is_not_changed_in_place_by_a_later_backward():
    x = f64([1.0, 2.0])
    (x * x).sum().backward(create_graph=True)
    first = x.grad
    (x * 3).sum().backward()
    assert first.tolist() == [2.0, 4.0] and x.grad.tolist() == [5.0, 7.0]


# --- the functional API -----------------------------------------------------------------------


def cube_sum(a):
    return (a**3).sum()


def test_jacobian_hessian_and_products_against_hand_derivatives():
    x = f64([1.0, 2.0])
    v = f64([1.0, -1.0], requires_grad=False)
    assert F.jacobian(lambda a: a**2, x).tolist() == [[2.0, 0.0], [0.0, 4.0]]
    assert F.hessian(cube_sum, x).tolist() == [[6.0, 0.0], [0.0, 12.0]]
    out, prod = F.vjp(lambda a: a**2, x, v)
    assert out.tolist() == [1.0, 4.0] and prod.tolist() == [2.0, -4.0]
    out, prod = F.jvp(lambda a: a**2, x, v)
    assert prod.tolist() == [2.0, -4.0]
    for fn in (F.hvp, F.vhp):
        out, prod = fn(cube_sum, x, v)
        assert out.item() == 9.0 and prod.tolist() == [6.0, -12.0]
    assert x.grad is None and not out.requires_grad  # the caller's tensors are untouched


def test_jacobian_of_several_inputs_and_outputs_is_nested_tuples():
    a, b = f64([1.0, 2.0]), f64([3.0])
    jac = F.jacobian(lambda a, b: (a * b, b * b), (a, b))
    (daa, dab), (dba, dbb) = jac
    assert daa.tolist() == [[3.0, 0.0], [0.0, 3.0]] and dab.tolist() == [[1.0], [2.0]]
    assert dba.tolist() == [[0.0, 0.0]] and dbb.tolist() == [[6.0]]


def test_independent_outputs_are_zeros_unless_strict():
    x = f64([1.0, 2.0])
    assert F.jacobian(lambda a: t.ones(2, dtype=t.float64), x).tolist() == [[0, 0], [0, 0]]
    with pytest.raises(RuntimeError, match="independent of input 0"):
        F.jacobian(lambda a: t.ones(2, dtype=t.float64), x, strict=True)


def test_create_graph_lets_a_hessian_be_differentiated():
    x = f64([1.0, 2.0])
    h = F.hessian(cube_sum, x, create_graph=True)
    assert h.requires_grad
    (g,) = grad(h.sum(), x)  # d/dx of 6x₁ + 6x₂
    assert g.tolist() == [6.0, 6.0]


def test_hessian_of_a_non_scalar_function_is_a_clear_error():
    with pytest.raises(RuntimeError, match="should contain a single element"):
        F.hessian(lambda a: a**3, f64([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="should return a single Tensor"):
        F.hessian(lambda a: (a.sum(), a.sum()), f64([1.0, 2.0]))


def test_vjp_needs_v_for_a_non_scalar_function():
    with pytest.raises(RuntimeError, match="The vector v can only be None"):
        F.vjp(lambda a: a**2, f64([1.0, 2.0]))


def test_vectorize_and_forward_mode_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="vectorize=False"):
        F.hessian(cube_sum, f64([1.0]), vectorize=True)
    with pytest.raises(NotImplementedError, match="reverse-mode"):
        F.jacobian(cube_sum, f64([1.0]), strategy="forward-mode")


def test_mixed_dtypes_give_each_block_its_input_dtype_as_pytorch():
    a = t.tensor([1.0, 2.0], requires_grad=True)  # float32
    b = f64([3.0])
    h = F.hessian(lambda a, b: (a**2).sum() * b.sum(), (a, b))
    assert [[blk.dtype for blk in row] for row in h] == [[t.float32, t.float64]] * 2
    assert h[0][0].tolist() == [[6.0, 0.0], [0.0, 6.0]] and h[1][0].tolist() == [[2.0, 4.0]]


def test_bad_inputs_name_what_is_wrong():
    with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
        F.jacobian(cube_sum, [1.0, 2.0])
    with pytest.raises(TypeError, match="only floating point"):
        F.jacobian(cube_sum, t.tensor([1, 2]))
    with pytest.raises(TypeError, match="outputs of the user-provided function"):
        F.jacobian(lambda a: 3.0, f64([1.0]))


# --- the flagship: its Hessian, and Newton's step ------------------------------------------------


def flagship_loss(x, y):
    def loss(w, b):
        return (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()

    return loss


def flagship_data(n=50):
    t.manual_seed(1000)
    x = t.rand(n, 1, dtype=t.float64) * 5
    return x, x * 2 + 3 + t.randn(n, 1, dtype=t.float64)


def test_the_flagship_hessian_is_the_sums_of_x():
    x, y = flagship_data()
    w, b = f64([[0.7]]), f64([[0.0]])
    (hww, hwb), (hbw, hbb) = F.hessian(flagship_loss(x, y), (w, b))
    sx, sxx, n = x.sum().item(), (x * x).sum().item(), x.shape[0]
    np.testing.assert_allclose([hww.item(), hwb.item(), hbw.item(), hbb.item()],
                               [sxx, sx, sx, n], rtol=1e-12)  # fmt: skip


def test_one_newton_step_lands_on_the_closed_form():
    x, y = flagship_data()
    loss = flagship_loss(x, y)
    w, b = f64([[0.7]]), f64([[-1.0]])
    gw, gb = grad(loss(w, b), (w, b))
    (hww, hwb), (hbw, hbb) = F.hessian(loss, (w, b))
    hess = np.array([[hww.item(), hwb.item()], [hbw.item(), hbb.item()]])
    step = np.linalg.solve(hess, [gw.item(), gb.item()])
    newton = np.array([w.item(), b.item()]) - step
    design = np.hstack([x.numpy(), np.ones((x.shape[0], 1))])
    closed = np.linalg.lstsq(design, y.numpy(), rcond=None)[0].ravel()
    np.testing.assert_allclose(newton, closed, rtol=0, atol=1e-10)


# --- drawing a double-backward graph -------------------------------------------------------------


def test_the_graph_of_a_gradient_marks_the_ops_of_the_backward_pass():
    from tinygrad_lr.viz import draw_graph, graph_text

    x = t.tensor(2.0, requires_grad=True, name="x")
    (g,) = grad(x.tanh() * x, x, create_graph=True)
    text = graph_text(g)
    assert "tanh -> () float32" in text  # the forward op the gradient reads
    assert "sub [backward of tanh]" in text and "mul [backward of mul]" in text
    source = draw_graph(g).source
    assert "backward of tanh" in source and "operation of a backward pass" in source
    assert source.count('fillcolor="#e9d5ff"') == len(
        [line for line in text.splitlines() if "[backward of" in line])  # fmt: skip
    plain = draw_graph((x * 3).sum()).source
    assert "backward of" not in plain and "operation of a backward pass" not in plain
