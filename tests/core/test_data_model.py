"""PyTorch's data model: `.data` is a Tensor on the same memory that records nothing, `.numpy()`
the array itself, and the lines of PyTorch teaching material that use them run unchanged."""

import numpy as np
import pytest

import tinygrad_lr as t


def step(w: t.Tensor, b: t.Tensor, x: t.Tensor, y: t.Tensor) -> t.Tensor:
    loss = (0.5 * (x.mm(w) + b - y) ** 2).sum()
    loss.backward()
    return loss


def data():
    x = t.tensor([[1.0], [2.0], [3.0]])
    return x, x * 2 + 3


def test_data_is_a_tensor_on_the_same_memory_without_grad_or_history():
    w = t.tensor([[1.0, 2.0]], requires_grad=True)
    h = w * 3
    for source in (w, h):
        d = source.data
        assert isinstance(d, t.Tensor) and not d.requires_grad and d.grad_fn is None and d.is_leaf
        assert np.shares_memory(d.numpy(), source.detach().numpy())
        assert d.shape == source.shape and d.dtype == source.dtype


def test_changes_through_data_are_not_seen_by_autograd():
    # As in PyTorch: the version count does not move, so a saved value changed through .data
    # is not caught (that is the documented price of .data; detach() shares the count).
    w = t.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    version = w._version
    w.data.mul_(10)
    assert w._version == version
    loss.backward()
    assert w.grad.tolist() == [20.0, 40.0]  # 2 * (the changed w): autograd did not notice
    v = t.tensor([1.0, 2.0], requires_grad=True)
    loss = (v * v).sum()
    with t.no_grad():
        v.detach().mul_(10)  # a change through detach() is seen
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@pytest.mark.parametrize("form", ["data.sub_", "data = data -", "data -=", "add_ alpha"])
def test_the_classic_update_lines_run_and_train(form):
    x, y = data()
    w = t.zeros(1, 1, requires_grad=True)
    b = t.zeros(1, 1, requires_grad=True)
    lr = 0.05
    losses = []
    for _ in range(500):
        losses.append(step(w, b, x, y).item())
        if form == "data.sub_":
            w.data.sub_(lr * w.grad.data)
            b.data.sub_(lr * b.grad.data)
        elif form == "data = data -":
            w.data = w.data - lr * w.grad.data
            b.data = b.data - lr * b.grad.data
        elif form == "data -=":
            w.data -= lr * w.grad.data
            b.data -= lr * b.grad.data
        else:
            w.data.add_(w.grad.data, alpha=-lr)
            b.data.add_(b.grad.data, alpha=-lr)
        w.grad.data.zero_()
        b.grad.data.zero_()
    assert losses[-1] < 1e-3 * losses[0]
    assert w.item() == pytest.approx(2.0, abs=0.05) and b.item() == pytest.approx(3.0, abs=0.1)
    assert w.is_leaf and w.requires_grad and w.grad.tolist() == [[0.0]]


def test_the_data_forms_give_bit_for_bit_the_no_grad_update():
    x, y = data()
    results = []
    for form in ("no_grad", "data"):
        w = t.tensor([[0.5]], requires_grad=True)
        for _ in range(5):
            step(w, t.zeros(1, 1), x, y)
            if form == "no_grad":
                with t.no_grad():
                    w -= 0.01 * w.grad
            else:
                w.data.sub_(0.01 * w.grad.data)
            w.grad = None
        results.append(w.item())
    assert results[0] == results[1]


def test_data_setter_rebinds_the_storage_shape_and_dtype_included():
    w = t.zeros(2, requires_grad=True)
    w.data = t.ones(3, dtype=t.float64)
    assert w.shape == (3,) and w.dtype == t.float64 and w.requires_grad and w.is_leaf
    w.data = np.full((2, 2), 5.0, np.float32)  # a numpy array too
    assert w.tolist() == [[5.0, 5.0], [5.0, 5.0]]
    (w * 2).sum().backward()
    assert w.grad.shape == (2, 2)


@pytest.mark.parametrize("value", [[1.0, 2.0], 3.0, None, "x"])
def test_data_setter_refuses_what_is_not_a_tensor_or_array(value):
    w = t.zeros(2)
    with pytest.raises(TypeError, match="data must be set to a Tensor"):
        w.data = value


def test_data_setter_refuses_an_integer_array_for_a_tensor_that_requires_grad():
    w = t.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        w.data = t.tensor([1, 2])


def test_numpy_and_data_numpy_share_memory():
    prediction = t.tensor([1.0, 2.0], requires_grad=True) * 2
    arr = prediction.data.numpy()
    assert isinstance(arr, np.ndarray) and arr.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        prediction.numpy()
    x = t.tensor([1.0, 2.0])
    x.numpy()[0] = 7.0  # the same memory
    assert x.tolist() == [7.0, 2.0]


def test_grad_data_works_like_the_grad():
    w = t.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert isinstance(w.grad.data, t.Tensor) and w.grad.data.tolist() == [2.0, 4.0]
    w.grad.data.zero_()
    assert w.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("spec, expected", [(".4f", "2.5000"), (".2e", "2.50e+00"), ("", None),
                                            ("8.3f", "   2.500"), ("g", "2.5")])  # fmt: skip
def test_format_specs_on_one_element_tensors(spec, expected):
    loss = t.tensor([[2.5]], requires_grad=True) * 1
    text = format(loss, spec)
    assert text == (repr(loss) if expected is None else expected)
    assert f"{t.tensor(3):d}" == "3"


def test_format_spec_on_a_tensor_of_many_elements_is_refused_as_in_python():
    with pytest.raises(TypeError):
        f"{t.tensor([1.0, 2.0]):.4f}"


def test_shape_and_size_are_a_size_a_tuple_that_prints_like_pytorchs() -> None:
    x = t.ones(2, 3)
    assert isinstance(x.shape, t.Size) and isinstance(x.shape, tuple)
    assert x.shape == (2, 3) and x.size() == x.shape and x.size(1) == 3
    assert repr(x.shape) == "Size([2, 3])" and str(t.zeros(0).shape) == "Size([0])"
    assert x.shape.numel() == 6 and t.Size([]).numel() == 1
    assert isinstance(x.shape[1:], t.Size) and x.shape[-1] == 3
    assert x.shape + (4,) == t.Size([2, 3, 4]) and isinstance(x.shape + (4,), t.Size)
    rows, cols = x.shape
    assert (rows, cols) == (2, 3)
