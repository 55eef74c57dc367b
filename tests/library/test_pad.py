"""`nn.functional.pad`: the four modes against numpy's `np.pad`, negative sizes that crop, the
gradients (first and second order), PyTorch's errors, and the same numbers as PyTorch's (those
tests run only where PyTorch is installed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_lr as t
from tinygrad_lr.nn import functional as F

NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def reference(x: np.ndarray, pad: tuple[int, ...], mode: str = "constant",
              value: float = 0.0) -> np.ndarray:  # fmt: skip
    """np.pad with PyTorch's argument order (last dimension first) and negative sizes cropping:
    after padding for reflect and replicate, before it for circular and constant (the same for
    constant)."""
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(widths, x.shape))
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
    if mode in ("constant", "circular"):
        cropped = x[crop]
        kwargs = {"constant_values": value} if mode == "constant" else {}
        return np.pad(cropped, grow, mode="constant" if mode == "constant" else "wrap", **kwargs)
    padded = np.pad(x, grow, mode=NUMPY_MODES[mode])
    return padded[tuple(slice(max(-lo, 0), n - max(-hi, 0))
                        for (lo, hi), n in zip(widths, padded.shape))]


@st.composite
def constant_cases(draw: st.DrawFn) -> tuple[np.ndarray, tuple[int, ...]]:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    pairs = draw(st.integers(0, len(shape)))
    pad: list[int] = []
    for i in range(pairs):
        n = shape[-1 - i]
        left = draw(st.integers(-n, 3))
        pad += [left, draw(st.integers(-(n + min(left, 0)), 3))]  # never more cropped than n
    x = np.random.default_rng(len(pad)).standard_normal(shape)
    return x, tuple(pad)


@settings(max_examples=60, deadline=None)
@given(constant_cases(), st.sampled_from([0.0, -1.5, np.nan]))
def test_constant_padding_and_cropping_agree_with_numpy(case, value):
    x, pad = case
    out = F.pad(t.tensor(x), pad, value=value)
    np.testing.assert_array_equal(out.numpy(), reference(x, pad, value=value))


@pytest.mark.parametrize("mode", sorted(NUMPY_MODES))
@pytest.mark.parametrize("shape, pad", [
    ((2, 5), (2, 1)), ((1, 2, 4), (3, 0)), ((2, 3, 4), (1, 2, 2, 1)), ((1, 3, 4), (0, 2, 1, 1)),
    ((1, 2, 3, 4, 3), (1, 2, 0, 2, 1, 1)), ((2, 3, 4, 3), (2, 1, -1, 2, 1, 0)),
    ((1, 2, 5), (-1, 3)), ((1, 5), (2, -2))])  # fmt: skip
def test_reflect_replicate_circular_agree_with_numpy(mode, shape, pad):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    np.testing.assert_array_equal(F.pad(t.tensor(x), pad, mode=mode).numpy(),
                                  reference(x, pad, mode))  # fmt: skip


def test_the_modes_on_one_row():
    x = t.tensor([[1.0, 2.0, 3.0]])
    assert F.pad(x, (2, 2)).tolist() == [[0, 0, 1, 2, 3, 0, 0]]
    assert F.pad(x, (2, 2), mode="reflect").tolist() == [[3, 2, 1, 2, 3, 2, 1]]
    assert F.pad(x, (2, 2), mode="replicate").tolist() == [[1, 1, 1, 2, 3, 3, 3]]
    assert F.pad(x, (2, 2), mode="circular").tolist() == [[2, 3, 1, 2, 3, 1, 2]]
    assert F.pad(x, [1, 0], "constant", 7).tolist() == [[7, 1, 2, 3]]  # a list, positionally


def test_the_value_takes_the_inputs_dtype():
    x = t.tensor([[1, 2]])
    out = F.pad(x, (1, 1), value=2.7)
    assert out.dtype == t.int64 and out.tolist() == [[2, 1, 2, 2]]  # cast as PyTorch: 2.7 -> 2
    mask = F.pad(t.tensor([False]), (1, 0), value=1)
    assert mask.dtype == t.bool and mask.tolist() == [True, False]


def test_no_padding_gives_a_new_tensor():
    x = t.ones(2, 2)
    out = F.pad(x, (0, 0))
    out.add_(1)
    assert x.tolist() == [[1, 1], [1, 1]]
    assert F.pad(t.tensor(3.0), ()).item() == 3.0


# ---------------------------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------------------------


def test_the_constant_modes_gradient_is_g_sliced_back():
    x = t.randn(2, 3, 4, dtype=t.float64, requires_grad=True)
    out = F.pad(x, (1, -1, 2, 0), value=5.0)  # last dim: one more before, one cropped after
    g = np.random.default_rng(0).standard_normal(tuple(out.shape))
    out.backward(t.tensor(g))
    expected = np.zeros((2, 3, 4))
    expected[:, :, :3] = g[:, 2:, 1:]
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_replicated_edges_collect_the_gradient_of_their_copies():
    x = t.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    F.pad(x, (2, 3), mode="replicate").sum().backward()
    assert x.grad.tolist() == [[3.0, 1.0, 4.0]]


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pad", [(1, 2), (2, 1, 1, 0), (-1, 2, 1, 1)])
def test_gradients_of_every_mode_agree_with_finite_differences(mode, pad):
    x = t.randn(1, 3, 4, dtype=t.float64, requires_grad=True)
    fn = lambda a: F.pad(a, pad, mode=mode) ** 2  # noqa: E731 - squared: a second derivative
    assert t.gradcheck(fn, (x,))
    assert t.gradgradcheck(fn, (x,))


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

# Each call takes the library (tinygrad_lr or torch) and its functional module.
ERRORS = [
    (lambda lib, F: F.pad(lib.ones(2, 3), (1,)), RuntimeError,
     "^Padding length must be divisible by 2"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (1, 1) * 3), RuntimeError,
     "^Padding length should be less than or equal to two times the input dimension but got "
     "padding length 6 and input of dimension 2"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (1.0, 1)), TypeError,
     "must be tuple of ints, but found element of type float at pos 0"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (True, 1)), TypeError,
     "found element of type bool at pos 0"),
    (lambda lib, F: F.pad(lib.ones(2, 3), 1), TypeError, "must be tuple of ints, not int"),
    (lambda lib, F: F.pad([1.0, 2.0], (1, 1)), TypeError,
     "^pad\\(\\): argument 'input' must be a Tensor, not list"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (1, 1), value="a"), TypeError, "argument 'value'"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (-2, -2)), RuntimeError,
     "^narrow\\(\\): length must be non-negative"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (1, 1), mode="bogus"), NotImplementedError,
     "^Unrecognised padding mode bogus"),
    (lambda lib, F: F.pad(lib.ones(1, 2, 3), (1, 1), mode="reflect", value=3.0), RuntimeError,
     '^Padding mode "reflect" doesn\'t take in value argument'),
    (lambda lib, F: F.pad(lib.ones(1, 2, 3), (3, 3), mode="reflect"), RuntimeError,
     "^Argument #4: Padding size should be less than the corresponding input dimension, but "
     "got: padding \\(3, 3\\) at dimension 2 of input \\[1, 2, 3\\]"),
    (lambda lib, F: F.pad(lib.ones(1, 1, 2, 3), (1, 1, 2, 2), mode="reflect"), RuntimeError,
     "^Argument #6: .* padding \\(2, 2\\) at dimension 2 of input \\[1, 1, 2, 3\\]"),
    (lambda lib, F: F.pad(lib.ones(1, 1, 2, 3), (1, 1), mode="replicate"), NotImplementedError,
     "^Padding size 2 is not supported for 4D input tensor"),
    (lambda lib, F: F.pad(lib.ones(2, 3), (1, 1, 1, 1), mode="circular"), NotImplementedError,
     "^Padding size 4 is not supported for 2D input tensor"),
    (lambda lib, F: F.pad(lib.ones(1, 0, 3), (1, 1), mode="replicate"), RuntimeError,
     "^Expected 2D or 3D \\(batch mode\\) tensor with possibly 0 batch size and other non-zero "
     "dimensions for input, but got: \\[1, 0, 3\\]"),
    (lambda lib, F: F.pad(lib.ones(1, 2, 3), (4, 0), mode="circular"), RuntimeError,
     "^Padding value causes wrapping around more than once"),
    (lambda lib, F: F.pad(lib.ones(1, 2, 3), (-3, 0), mode="replicate"), RuntimeError,
     "^input \\(W: 3\\) is too small. Calculated output W: 0"),
]  # fmt: skip


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_bad_padding_is_refused_as_in_pytorch(index):
    call, error, message = ERRORS[index]
    with pytest.raises(error, match=message):
        call(t, F)


def test_an_empty_batch_is_padded():
    assert F.pad(t.ones(0, 2, 3), (1, 1), mode="reflect").shape == (0, 2, 5)


# ---------------------------------------------------------------------------------------------
# Against PyTorch
# ---------------------------------------------------------------------------------------------

TORCH_CASES = [
    ("constant", (2, 3, 4), (1, 2)), ("constant", (2, 3, 4), (-1, 2, 0, 3, 1, 1)),
    ("reflect", (3, 5), (2, 3)), ("reflect", (2, 3, 4), (-1, 2)), ("reflect", (1, 2, 3, 4),
    (1, 2, 2, 0)), ("reflect", (1, 2, 3, 4, 3), (1, 1, 2, 1, 2, 0)),
    ("replicate", (3, 5), (4, 1)), ("replicate", (2, 3, 4), (1, 0, -1, 3)),
    ("replicate", (2, 2, 3, 4), (2, 2, 2, 2, 2, 2)),
    ("circular", (3, 5), (2, 5)), ("circular", (2, 3, 4), (-1, 3)),
    ("circular", (2, 3, 4), (1, 2, 3, 1)), ("circular", (1, 2, 2, 3, 4), (1, 1, 1, 1, 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize("mode, shape, pad", TORCH_CASES)
def test_values_and_gradients_agree_with_pytorch(mode, shape, pad):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal(shape)
    ours_in, theirs_in = t.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    value = 1.5 if mode == "constant" else None
    ours = F.pad(ours_in, pad, mode=mode, value=value)
    theirs = torch.nn.functional.pad(theirs_in, pad, mode=mode, value=value)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    g = np.random.default_rng(1).standard_normal(tuple(theirs.shape))
    ours.backward(t.tensor(g))
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(ours_in.grad.numpy(), theirs_in.grad.numpy(), rtol=1e-12,
                               atol=1e-14)  # fmt: skip


@pytest.mark.parametrize("index", [i for i, (_, _, m) in enumerate(ERRORS) if "^" in m
                                   and "narrow" not in m and "input'" not in m])
def test_errors_agree_with_pytorch(index):  # fmt: skip
    torch = pytest.importorskip("torch")
    call, error, _ = ERRORS[index]
    with pytest.raises(error) as ours:
        call(t, F)
    with pytest.raises(error) as theirs:
        call(torch, torch.nn.functional)
    first_line = str(theirs.value).split("\n")[0]
    assert str(ours.value).startswith(first_line), (ours.value, theirs.value)
