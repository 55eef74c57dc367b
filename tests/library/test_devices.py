"""Devices in a CPU-only package: the queries PyTorch programs make answer "no GPU", the CPU is
accepted everywhere, and asking for a GPU fails with one clear error."""

import pytest

import tinygrad_lr as t
from tinygrad_lr import nn


def test_gpu_queries_answer_no_gpu():
    assert t.cuda.is_available() is False and t.cuda.device_count() == 0
    assert t.backends.mps.is_available() is False and t.backends.mps.is_built() is False
    assert t.backends.cudnn.is_available() is False
    t.cuda.manual_seed(0)  # seeding code for GPUs runs, and does nothing, as without a GPU
    t.cuda.manual_seed_all(0)
    t.backends.cudnn.deterministic, t.backends.cudnn.benchmark = True, False


def test_device_agnostic_code_picks_the_cpu():
    device = t.device("cuda" if t.cuda.is_available() else "cpu")
    model = nn.Linear(2, 1).to(device)
    x = t.ones(3, 2).to(device)
    assert model(x).device == device and str(device) == "cpu"


def test_default_device():
    t.set_default_device("cpu")
    t.set_default_device(t.device("cpu"))
    t.set_default_device(None)
    assert t.get_default_device() == t.device("cpu")
    with pytest.raises(RuntimeError, match="'cuda' is not available: tinygrad_lr computes with "
                                           "numpy on the CPU"):
        t.set_default_device("cuda")


@pytest.mark.parametrize("move", [
    lambda x: x.cuda(), lambda x: x.to("cuda"), lambda x: x.to("cuda:0"),
    lambda x: x.to(device="mps"), lambda x: nn.Linear(1, 1).cuda(),
    lambda x: nn.Linear(1, 1).to("cuda"), lambda x: t.ones(1, device="cuda"),
])  # fmt: skip
def test_every_way_to_a_gpu_raises_the_same_clear_error(move):
    with pytest.raises(RuntimeError, match="is not available: tinygrad_lr computes with numpy on "
                                           "the CPU and has no GPU backend"):
        move(t.ones(1))
