"""save and load: tensors, state dicts and checkpoints round trip without pickle, through paths
and file objects; files that are not ours raise one clear error naming the file."""

import io
import json
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_lr as t
from tinygrad_lr import nn, optim
from tinygrad_lr.serialization import SerializationError


def trained():
    t.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        model(t.randn(5, 3)).pow(2).sum().backward()
        opt.step()
    return model, opt


def test_a_tensor_round_trips_with_dtype_shape_and_requires_grad(tmp_path):
    for value in (t.randn(2, 3), t.arange(4), t.tensor(True), t.randn(3, dtype=t.float64),
                  t.ones(2, requires_grad=True), t.empty(0, 3)):  # fmt: skip
        t.save(value, tmp_path / "x.pt")
        back = t.load(tmp_path / "x.pt")
        assert type(back) is t.Tensor and back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back.numpy() if not back.requires_grad else back.detach().numpy(),
                              value.detach().numpy())  # fmt: skip
        assert back.requires_grad == value.requires_grad and back.is_leaf


def test_a_checkpoint_of_model_and_optimizer_round_trips(tmp_path):
    model, opt = trained()
    checkpoint = {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
                  "loss": 0.25, "note": "after 2 steps", "best": None, "sizes": (3, 4, 1)}
    t.save(checkpoint, str(tmp_path / "ckpt.pt"))  # a str path, and below a Path
    back = t.load(tmp_path / "ckpt.pt", weights_only=True)
    assert {k: back[k] for k in ("epoch", "loss", "note", "best", "sizes")} == \
        {"epoch": 7, "loss": 0.25, "note": "after 2 steps", "best": None, "sizes": (3, 4, 1)}
    assert isinstance(back["model"], OrderedDict) and list(back["model"]) == list(
        model.state_dict())  # fmt: skip
    fresh, fresh_opt = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)), None
    fresh.load_state_dict(back["model"])
    fresh_opt = optim.SGD(fresh.parameters(), lr=1.0)
    fresh_opt.load_state_dict(back["optimizer"])
    assert fresh_opt.param_groups[0]["momentum"] == 0.9
    for p, q in zip(model.parameters(), fresh.parameters()):
        assert np.array_equal(p.detach().numpy(), q.detach().numpy())
        assert np.array_equal(opt.state[p]["momentum_buffer"].numpy(),
                              fresh_opt.state[q]["momentum_buffer"].numpy())  # fmt: skip


def test_parameters_and_shared_tensors_keep_what_they_are():
    w = nn.Parameter(t.randn(2))
    buffer = io.BytesIO()
    t.save({"a": w, "b": w, "frozen": nn.Parameter(t.ones(1), requires_grad=False),
            "array": np.arange(3)}, buffer)  # fmt: skip
    buffer.seek(0)
    back = t.load(buffer)
    assert type(back["a"]) is nn.Parameter and back["a"] is back["b"] and back["a"].requires_grad
    assert not back["frozen"].requires_grad
    assert isinstance(back["array"], np.ndarray) and back["array"].tolist() == [0, 1, 2]


def test_the_file_is_a_zip_of_json_and_npy_with_nothing_pickled(tmp_path):
    t.save({"w": t.ones(2), 1: [2.5, "x"]}, tmp_path / "f.pt")
    with zipfile.ZipFile(tmp_path / "f.pt") as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("tinygrad_lr/object.json"))
    assert names == ["tinygrad_lr/object.json", "tinygrad_lr/arrays/0.npy"]
    assert manifest["format"] == "tinygrad_lr.save"
    assert t.load(tmp_path / "f.pt")[1] == [2.5, "x"]  # an int key stays an int


def test_load_reads_the_npz_files_of_save_state(tmp_path):
    model, _ = trained()
    t.save_state(model, tmp_path / "params.npz")
    back = t.load(tmp_path / "params.npz")
    assert list(back) == list(model.state_dict())
    nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)).load_state_dict(back)


def test_save_refuses_what_would_need_pickle():
    with pytest.raises(TypeError, match="cannot save an object of type object without pickling"):
        t.save({"x": object()}, io.BytesIO())
    looped = []
    looped.append(looped)
    with pytest.raises(ValueError, match="contains itself"):
        t.save(looped, io.BytesIO())
    with pytest.raises(TypeError, match="f must be a path or a binary file object, got int"):
        t.save(t.ones(1), 3)


def test_files_that_are_not_ours_raise_one_clear_error_naming_the_file(tmp_path):
    t.save({"w": t.ones(3)}, tmp_path / "good.pt")
    data = (tmp_path / "good.pt").read_bytes()
    (tmp_path / "truncated.pt").write_bytes(data[: len(data) // 2])
    (tmp_path / "text.txt").write_text("epoch,loss\n1,0.5\n")
    (tmp_path / "pickled.pt").write_bytes(pickle.dumps({"w": [1.0]}, protocol=2))
    (tmp_path / "empty.pt").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    cases = {
        "truncated.pt": "truncated or corrupt.*directory.*missing",
        "text.txt": "not a file written by tinygrad_lr.save.*b'epoch,'",
        "pickled.pt": "pickled Python objects.*never unpickles",
        "empty.pt": "empty \\(0 bytes\\)",
        "other.zip": "zip archive, but not one written by tinygrad_lr.save",
    }
    for name, message in cases.items():
        with pytest.raises(SerializationError, match=f"{name}.*{message}"):
            t.load(tmp_path / name)
    with pytest.raises(RuntimeError):  # a SerializationError is a RuntimeError, as in PyTorch
        t.load(tmp_path / "text.txt")
    with pytest.raises(FileNotFoundError):
        t.load(tmp_path / "missing.pt")


def test_a_pytorch_checkpoint_is_refused_with_the_way_round(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.ones(2)}, tmp_path / "torch.pt")
    with pytest.raises(SerializationError, match="torch.pt' was written by torch.save.*np.savez"):
        t.load(tmp_path / "torch.pt")
    # The way round the message suggests: numpy arrays in an .npz, which load reads.
    state = torch.nn.Linear(2, 1).state_dict()
    np.savez(tmp_path / "from_torch.npz", **{k: v.numpy() for k, v in state.items()})
    nn.Linear(2, 1).load_state_dict(t.load(tmp_path / "from_torch.npz"))


def test_map_location_names_the_cpu():
    buffer = io.BytesIO()
    t.save(t.ones(1), buffer)
    for location in ("cpu", t.device("cpu"), None, {"cuda:0": "cpu"}):
        buffer.seek(0)
        assert t.load(buffer, map_location=location).tolist() == [1.0]
    with pytest.raises(RuntimeError, match="'cuda' is not available"):
        t.load(buffer, map_location="cuda")
