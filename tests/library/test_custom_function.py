"""`autograd.Function` written as PyTorch's tutorials write it: tensors in, tensors out, checked."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr.viz import backward_frames, draw_graph, graph_text


class LegendreP3(t.autograd.Function):
    """P3(x) = (5x³ − 3x) / 2, with P3'(x) = (15x² − 3) / 2 written by hand."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)


class Scale(t.autograd.Function):
    """x·k for a Python number k: a non-tensor argument, whose gradient must be None."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


def test_the_hand_written_backward_is_what_the_walk_uses() -> None:
    x = t.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    LegendreP3.apply(x).sum().backward()
    xs = np.array([-1.0, 0.5, 2.0], np.float32)
    np.testing.assert_allclose(x.grad.numpy(), 1.5 * (5 * xs**2 - 1), rtol=1e-6)


def test_forward_and_backward_see_tensors_with_grad_mode_off() -> None:
    seen = {}

    class Spy(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen["forward"] = (type(x), t.is_grad_enabled(), x.requires_grad)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen["backward"] = (type(g), t.is_grad_enabled(), ctx.needs_input_grad)
            return g * 2

    x = t.ones(2, requires_grad=True)
    Spy.apply(x).sum().backward()
    assert seen == {"forward": (t.Tensor, False, True), "backward": (t.Tensor, False, (True,))}


def test_non_tensor_arguments_get_none_and_a_place_in_needs_input_grad() -> None:
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = Scale.apply(x, 3.0)
    assert y.grad_fn.needs_input_grad == (True, False)
    assert y.grad_fn.next_functions == (x, None)
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    assert Scale.apply(x, k=4.0).tolist() == [4.0, 8.0]  # by keyword, as PyTorch allows


def test_the_pytorch_2_form_with_setup_context() -> None:
    class Cube(t.autograd.Function):
        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * g * x**2

    x = t.tensor(2.0, requires_grad=True)
    Cube.apply(x).backward()
    assert x.grad.item() == 12.0


def test_gradcheck_and_second_derivatives_through_a_tensor_backward() -> None:
    x = t.tensor([0.3, -0.7, 1.1], dtype=t.float64, requires_grad=True)
    assert t.autograd.gradcheck(LegendreP3.apply, (x,))
    assert t.autograd.gradgradcheck(LegendreP3.apply, (x,))
    (d,) = t.autograd.grad(LegendreP3.apply(x).sum(), x, create_graph=True)
    (dd,) = t.autograd.grad(d.sum(), x)
    np.testing.assert_allclose(dd.numpy(), 15 * x.detach().numpy())  # P3'' = 15x


def test_a_gradient_of_the_broadcast_shape_is_summed_and_cast_to_the_argument() -> None:
    class SumToScalar(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, g):
            return g.expand(3, 2).double()  # 3 copies of [g, g], in float64

    x = t.ones(2, requires_grad=True)
    SumToScalar.apply(x).backward()
    assert x.grad.tolist() == [3.0, 3.0] and x.grad.dtype == t.float32


@pytest.mark.parametrize("backward, message", [
    (lambda ctx, g: (t.ones(3), None), "Function BadBackward returned an invalid gradient at "
                                       "index 0 - got [3] but expected shape compatible with [2]"),
    (lambda ctx, g: (g, g, g), "function BadBackward returned an incorrect number of gradients "
                               "(expected 2, got 3)"),
    (lambda ctx, g: (g, g), "function BadBackward returned a gradient different than None at "
                            "position 2, but the corresponding forward input was not a Tensor"),
    (lambda ctx, g: (3.0, None), "function BadBackward returned a float as the gradient at index "
                                 "0: expected a Tensor or None"),
])  # fmt: skip
def test_what_backward_returns_is_checked(backward, message) -> None:
    class Bad(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

    Bad.backward = staticmethod(backward)
    x = t.ones(2, requires_grad=True)
    with pytest.raises((RuntimeError, TypeError)) as info:
        Bad.apply(x, 2.0).sum().backward()
    assert str(info.value) == message
    assert x.grad is None


def test_a_missing_backward_or_several_outputs_are_clear_errors() -> None:
    class NoBackward(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class TwoOutputs(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

    x = t.ones(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="implement the backward method .* NoBackward"):
        NoBackward.apply(x).sum().backward()
    with pytest.raises(TypeError, match="TwoOutputs.forward returned a tuple"):
        TwoOutputs.apply(x)


def test_saved_tensors_changed_in_place_are_detected() -> None:
    x = t.ones(2, requires_grad=True)
    y = LegendreP3.apply(x)
    with t.no_grad():
        x.mul_(3)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*LegendreP3Backward"):
        y.sum().backward()


def test_outputs_without_a_gradient() -> None:
    class Argmax(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            index = x.argmax()
            ctx.mark_non_differentiable(index)
            return index

    class Count(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.numel()  # not a tensor: passed through, as PyTorch does

    x = t.tensor([1.0, 3.0, 2.0], requires_grad=True)
    assert Argmax.apply(x).item() == 1 and not Argmax.apply(x).requires_grad
    assert Count.apply(x) == 3
    with t.no_grad():
        assert LegendreP3.apply(x).grad_fn is None
    assert LegendreP3.apply(t.ones(2)).requires_grad is False


def test_returning_an_input_gives_a_new_tensor_and_leaves_the_input_a_leaf() -> None:
    class Identity(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = t.ones(2, requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf and y.grad_fn is not None


def test_it_prints_and_draws_like_a_built_in_op(tmp_path) -> None:
    w = t.tensor([1.0, 2.0], requires_grad=True)
    y = Scale.apply(w, 3.0)
    assert repr(y) == "tensor([3., 6.], grad_fn=<ScaleBackward>)"
    assert repr(y.grad_fn).startswith("<ScaleBackward object at 0x")
    loss = y.pow(2).sum()
    assert "Scale -> (2,) float32" in graph_text(loss)
    assert "Scale" in draw_graph(loss).source
    frames = backward_frames(loss, tmp_path)
    assert frames.steps[-1].startswith("Backward step 3 of 3: Scale   (z = Scale.forward(a, …);")
    assert "da = [18, 36]" in frames.steps[-1]


def test_the_same_numbers_as_pytorch() -> None:
    torch = pytest.importorskip("torch")

    def run(lib):
        class P3(lib.autograd.Function):
            forward, backward = LegendreP3.forward, LegendreP3.backward

        x = lib.tensor([-0.9, 0.1, 0.8], requires_grad=True)
        loss = (P3.apply(x) * lib.tensor([1.0, -2.0, 3.0])).sum()
        loss.backward()
        return loss.item(), x.grad.tolist()

    mine, theirs = run(t), run(torch)
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-6)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-6)
