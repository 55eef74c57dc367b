"""Saving and loading without pickle: `save`/`load` (PyTorch's names, for tensors, state dicts
and checkpoints), and named arrays as numpy `.npz` files (`save_state`/`load_state`).

`save(obj, f)` writes a zip archive: a JSON description of `obj` (its lists, dicts, numbers and
strings) and one `.npy` file per tensor; `load(f)` reads it back.

A checkpoint (a model's parameters, say) is a mapping from names to arrays. `save_arrays` writes
it as an `.npz` archive (a zip file holding one `.npy` file per name); `load_arrays` reads it back
and, given the names and shapes it expects, checks that the file holds exactly those.

Nothing is ever unpickled: a pickle can run arbitrary code when it is loaded, so a file holding
one (a Python object array, or a file written by `pickle.dump`) is refused with the reason. Every
problem raises `SerializationError` (a `RuntimeError`, as PyTorch's loading errors are) naming the
file and what is wrong with it: truncated, not an archive, a missing or unexpected name, a wrong
shape, a non-numeric dtype. A missing file raises the usual `FileNotFoundError`.
"""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, BinaryIO

import numpy as np

from .core.dtypes import device
from .core.tensor import Tensor
from .nn.parameter import Parameter

PathLike = str | os.PathLike

_NUMERIC_KINDS = "biuf"  # bool, int, unsigned int, float: what a tensor can hold
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip's directory
_NPY_MAGIC = b"\x93NUMPY"
_PICKLE_MAGIC = b"\x80"  # pickle protocols 2 and above start with the PROTO opcode


class SerializationError(RuntimeError, ValueError):
    """A file of arrays could not be saved or loaded as asked; the message says why.

    A RuntimeError, as PyTorch's loading errors are, and a ValueError: the file's content is bad.
    """


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


def save_arrays(path: PathLike, arrays: Mapping[str, Any]) -> None:
    """Write `arrays` ({name: Tensor or ndarray}) to `path` as an uncompressed `.npz` archive.

    The file is written to a temporary name beside `path` and then renamed, so an interrupted save
    never leaves a truncated file where a good one was. `path` is used as given (no `.npz` is
    appended). Tensors are saved by value, without their graph.

    Args:
        path: the file to write.
        arrays: {name: Tensor or ndarray}, of bool, integer or float dtype.

    Raises:
        TypeError: for a name that is not a non-empty string, or a value that is not a numeric
            array or tensor.
    """
    if not isinstance(arrays, Mapping):
        raise TypeError(f"save_arrays() expects a mapping of names to arrays, got "
                        f"{type(arrays).__name__}")
    checked = {name: _array_to_save(name, value) for name, value in arrays.items()}

    def write(archive: zipfile.ZipFile) -> None:
        for name, arr in checked.items():
            _write_array(archive, name + ".npy", arr)

    _write_zip(os.fspath(path), write, "save_arrays")


def _write_array(archive: zipfile.ZipFile, member_name: str, arr: np.ndarray) -> None:
    with archive.open(member_name, "w", force_zip64=True) as member:
        np.lib.format.write_array(member, arr, allow_pickle=False)


def _write_zip(path: str, write: Any, who: str) -> None:
    """Make a zip archive at `path` with `write(archive)`, atomically: into a temporary file
    beside `path`, renamed over it only once complete."""
    folder = os.path.dirname(os.path.abspath(path))
    # A unique name beside the target (same file system, so the rename is atomic), opened with
    # mode "xb" so that the file gets the usual permissions, which a mkstemp file (0600) would not.
    tmp = os.path.join(folder, f".saving-{os.getpid()}-{uuid.uuid4().hex}.tmp")
    try:
        f = open(tmp, "xb")
    except OSError as e:
        raise OSError(e.errno, f"{who}(): cannot write into {folder!r}: {e.strerror}") from None
    try:
        with f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
            write(archive)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _array_to_save(name: Any, value: Any) -> np.ndarray:
    if not isinstance(name, str) or not name:
        raise TypeError(f"save_arrays(): names must be non-empty strings, got {name!r}")
    data = value._data if isinstance(value, Tensor) else value  # values only, not the graph
    if isinstance(data, np.generic):
        data = np.asarray(data)
    if not isinstance(data, np.ndarray):
        raise TypeError(f"save_arrays(): {name!r} must be a Tensor or a numpy array, not "
                        f"{type(value).__name__}")
    if data.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"save_arrays(): {name!r} has dtype {data.dtype}; only bool, integer "
                        "and float arrays can be saved (no Python objects: they would need "
                        "pickling)")
    return data


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def load_arrays(path: PathLike, expected: Mapping[str, Any] | None = None,
                strict: bool = True) -> dict[str, np.ndarray]:  # fmt: skip
    """Read the arrays of an `.npz` file, as {name: ndarray} in the file's order.

    `expected` maps each name to the shape it must have (a tuple, or anything with a `.shape`,
    such as the parameter it will be copied into). Then a name the file lacks, a name it has but
    `expected` does not (both only when `strict`), and a wrong shape are errors; all of them are
    listed in one `SerializationError`. With `expected=None` any names and shapes are accepted.

    Args:
        path: the `.npz` file to read.
        expected: {name: shape (or anything with a `.shape`)} to check the file against; None
            accepts any names and shapes.
        strict: also refuse a missing or an unexpected name.

    Returns:
        {name: ndarray}, in the file's order.

    Raises:
        SerializationError: for a file that is not an `.npz` archive, is truncated, holds a
            pickle, or does not match `expected`.
        FileNotFoundError: for a missing file.
    """
    path = os.fspath(path)
    _check_kind(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except zipfile.BadZipFile:
        # A zip archive ends with its directory of members: a file cut short has lost it.
        raise SerializationError(
            f"{path!r} is truncated or corrupt: it starts like an .npz (zip) archive, but the "
            f"archive's directory, written at its end, is missing (the file is "
            f"{os.path.getsize(path)} bytes); save it again"
        ) from None
    except (EOFError, ValueError) as e:
        raise _corrupt(path, e) from None
    arrays: dict[str, np.ndarray] = {}
    with archive:
        for name in archive.files:
            arrays[name] = _read_member(path, archive, name)
    if expected is not None:
        _check_expected(path, arrays, expected, strict)
    return arrays


def _check_kind(path: str) -> None:
    # numpy decides what a file is from its first bytes, and reads anything unknown as a pickle:
    # look first, so that each kind of wrong file gets its own message.
    with open(path, "rb") as f:
        head = f.read(len(_NPY_MAGIC))
    size = os.path.getsize(path)
    if not head:
        raise SerializationError(f"{path!r} is empty (0 bytes): the file was truncated, or "
                                 "never written")
    if head.startswith(_ZIP_MAGIC):
        return
    if len(head) < 4 and any(magic.startswith(head) for magic in _ZIP_MAGIC):
        raise SerializationError(f"{path!r} is truncated: it is {size} bytes, the first bytes of "
                                 "an .npz (zip) archive and nothing more")
    if head.startswith(_NPY_MAGIC):
        raise SerializationError(f"{path!r} is a single .npy array, not an .npz archive of named "
                                 "arrays; save it with save_arrays(path, {name: array})")
    if head.startswith(_PICKLE_MAGIC):
        raise SerializationError(f"{path!r} holds pickled Python objects, not an .npz archive; "
                                 "it will not be loaded, because unpickling can run arbitrary "
                                 "code. Save numeric arrays with save_arrays() instead")
    raise SerializationError(f"{path!r} is not an .npz archive (it is {size} bytes starting with "
                             f"{head!r}; an .npz file starts with b'PK')")


def _corrupt(path: str, cause: BaseException, name: str | None = None) -> SerializationError:
    size = os.path.getsize(path)
    where = f" (while reading {name!r})" if name is not None else ""
    return SerializationError(f"{path!r} is truncated or corrupt{where}: "
                              f"{type(cause).__name__}: {cause}. The file is {size} bytes; "
                              "save it again")


def _read_member(path: str, archive: Any, name: str) -> np.ndarray:
    try:
        arr = archive[name]
    except ValueError as e:
        if "allow_pickle" in str(e):  # numpy's refusal of an object array
            raise SerializationError(
                f"{path!r}: array {name!r} holds pickled Python objects (dtype object); it will "
                "not be loaded, because unpickling can run arbitrary code. Only bool, integer "
                "and float arrays can be loaded"
            ) from None
        raise _corrupt(path, e, name) from None
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise _corrupt(path, e, name) from None
    if not isinstance(arr, np.ndarray):  # a member that is not a .npy file comes back as bytes
        raise SerializationError(f"{path!r}: member {name!r} is not a numpy array")
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise SerializationError(f"{path!r}: array {name!r} has dtype {arr.dtype}; only bool, "
                                 "integer and float arrays can be loaded")
    return arr


def _check_expected(path: str, arrays: dict[str, np.ndarray], expected: Mapping[str, Any],
                    strict: bool) -> None:  # fmt: skip
    problems = []
    missing = [name for name in expected if name not in arrays]
    unexpected = [name for name in arrays if name not in expected]
    if strict and missing:
        problems.append("missing key(s): " + ", ".join(repr(n) for n in missing))
    if strict and unexpected:
        problems.append("unexpected key(s): " + ", ".join(repr(n) for n in unexpected))
    for name, want in expected.items():
        if name not in arrays:
            continue
        want_shape = tuple(getattr(want, "shape", want))
        got = arrays[name].shape
        if got != want_shape:
            problems.append(f"size mismatch for {name!r}: the file has shape {got}, expected "
                            f"{want_shape}")
    if problems:
        raise SerializationError(f"Error(s) in loading {path!r}:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------
# Modules' parameters
# ---------------------------------------------------------------------------------------------


def save_state(module_or_state: Any, path: PathLike) -> None:
    """Write a module's `state_dict()` (or a {name: Tensor or array} mapping) to `path` as .npz.

    t.save_state(model, "params.npz")
    model.load_state_dict(t.load_state("params.npz"))

    Args:
        module_or_state: a Module, or a mapping {name: Tensor or ndarray}.
        path: the file to write.
    """
    state = module_or_state.state_dict() if hasattr(module_or_state, "state_dict") \
        else module_or_state
    if not isinstance(state, Mapping):
        raise TypeError(f"save_state() expects a Module or a mapping of names to tensors, got "
                        f"{type(module_or_state).__name__}")
    save_arrays(path, state)


def load_state(path: PathLike) -> dict[str, Tensor]:
    """Read a .npz written by `save_state` (or `np.savez`) into {name: Tensor}, for
    `Module.load_state_dict`, which checks the names and shapes against the module.

    Args:
        path: the `.npz` file to read.

    Returns:
        {name: Tensor}, in the file's order.

    Raises:
        SerializationError: for a file that is not a good `.npz` archive.
    """
    return {name: Tensor._wrap(arr) for name, arr in load_arrays(path).items()}


# ---------------------------------------------------------------------------------------------
# save and load: PyTorch's names, for tensors, state dicts and containers of them
# ---------------------------------------------------------------------------------------------

_MANIFEST = "tinygrad_lr/object.json"  # what the file holds, as JSON
_ARRAYS = "tinygrad_lr/arrays/"  # the tensors' values, one .npy member each
_FORMAT = "tinygrad_lr.save"
_CONTAINERS = {"list": list, "tuple": tuple, "dict": dict, "OrderedDict": OrderedDict}


def save(obj: Any, f: PathLike | BinaryIO) -> None:
    """Write `obj` to `f` (a path or a binary file object), as `torch.save` does, without pickle.

        t.save(model.state_dict(), "model.pt")
        t.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, "ckpt.pt")

    `obj` may be a Tensor (or Parameter), a numpy array, a number, a string, None, and lists,
    tuples, dicts and OrderedDicts of these, nested: what state dicts and checkpoints are made
    of. The file is a zip archive holding a JSON description of `obj` and one `.npy` file per
    tensor; a tensor saved twice (or under two names) is stored once and loads as one tensor.
    Anything else raises TypeError: saving an arbitrary object would need pickle.

    Args:
        obj: what to save, as above.
        f: a path, or a binary file object open for writing.

    Raises:
        TypeError: for an object that would need pickle.

    Examples:
        >>> import io
        >>> buffer = io.BytesIO()
        >>> tinygrad_lr.save({"w": tinygrad_lr.tensor([1.0, 2.0]), "epoch": 3}, buffer)
        >>> _ = buffer.seek(0)
        >>> tinygrad_lr.load(buffer)
        {'w': tensor([1., 2.]), 'epoch': 3}
    """
    arrays: list[np.ndarray] = []
    tree = _encode(obj, arrays, {}, set())
    manifest = json.dumps({"format": _FORMAT, "version": 1, "object": tree})

    def write(archive: zipfile.ZipFile) -> None:
        archive.writestr(_MANIFEST, manifest)
        for i, arr in enumerate(arrays):
            _write_array(archive, f"{_ARRAYS}{i}.npy", arr)

    if isinstance(f, (str, os.PathLike)):
        _write_zip(os.fspath(f), write, "save")
    elif hasattr(f, "write"):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
            write(archive)
    else:
        raise TypeError(f"save(): f must be a path or a binary file object, got "
                        f"{type(f).__name__}")


def _encode(obj: Any, arrays: list[np.ndarray], memo: dict[int, Any], open_: set[int]) -> Any:
    """`obj` as JSON: numbers, strings and None as themselves, tensors and arrays as references
    to their .npy members, containers as {kind: items} (recursing into them: nested data of a
    few levels, not a graph)."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in _NUMERIC_KINDS:
        return obj.item()
    if isinstance(obj, (Tensor, np.ndarray)):
        if id(obj) not in memo:
            arrays.append(_array_to_save(f"tensor {len(arrays)}", obj))
            memo[id(obj)] = _describe_array(obj, len(arrays) - 1)
        return memo[id(obj)]
    kind = type(obj).__name__
    if type(obj) not in _CONTAINERS.values():
        raise TypeError(f"save(): cannot save an object of type {kind} without pickling it; "
                        "save tensors, numpy arrays, numbers, strings, None, and lists, tuples "
                        "and dicts of them (a model as model.state_dict())")
    if id(obj) in open_:
        raise ValueError(f"save(): the {kind} contains itself (a circular reference)")
    open_.add(id(obj))
    if isinstance(obj, dict):
        items = [[_encode(k, arrays, memo, open_), _encode(v, arrays, memo, open_)]
                 for k, v in obj.items()]  # fmt: skip
    else:
        items = [_encode(v, arrays, memo, open_) for v in obj]
    open_.discard(id(obj))
    return {kind: items}


def _describe_array(obj: Any, index: int) -> dict[str, Any]:
    if isinstance(obj, np.ndarray):
        return {"ndarray": index}
    return {"tensor": index, "requires_grad": obj.requires_grad,
            "parameter": isinstance(obj, Parameter)}  # fmt: skip


def load(f: PathLike | BinaryIO, map_location: Any = None, *, weights_only: bool | None = None,
         **ignored: Any) -> Any:
    """Read back what `save` wrote (a path or a binary file object), as `torch.load` does.

    Also reads the .npz files of `save_state` and `np.savez` (as a dict of tensors). Nothing is
    ever unpickled, so `weights_only` changes nothing: a file of ours can only hold data.
    `map_location` may name the CPU (or map to it); everything loads there. A file that is not
    ours — a text file, a PyTorch checkpoint (pickled), a truncated file — raises one
    `SerializationError` naming the file and what it is.

    Args:
        f: a path, or a binary file object open for reading.
        map_location: where to load: the CPU ('cpu' or a device; a GPU raises), or a dict or
            function that maps to it.
        weights_only: accepted; nothing is ever unpickled.
        **ignored: PyTorch's other keyword arguments (`mmap`, ...), accepted and ignored.

    Returns:
        The object saved: its tensors as tensors (Parameters as Parameters, with their
            requires_grad), its numpy arrays as arrays.

    Raises:
        SerializationError: for a file that `save` did not write (nor `save_state`).
    """
    if isinstance(map_location, (str, device)):
        device(map_location)  # the CPU only; a GPU raises
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as source:  # a missing file: the usual FileNotFoundError
            return _load_from(source, os.fspath(f))
    if not hasattr(f, "read"):
        raise TypeError(f"load(): f must be a path or a binary file object, got "
                        f"{type(f).__name__}")
    return _load_from(f, getattr(f, "name", repr(f)))


def _load_from(source: BinaryIO, name: str) -> Any:
    _check_head(source, name)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        # A zip archive ends with its directory of members: a file cut short has lost it.
        raise SerializationError(f"{name!r} is truncated or corrupt: it starts like a zip "
                                 "archive, but the archive's directory, written at its end, is "
                                 "missing; save it again") from None
    try:
        with archive:
            return _read_archive(archive, name)
    except SerializationError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, TypeError) as e:
        raise SerializationError(f"{name!r} is truncated or corrupt: {type(e).__name__}: {e}; "
                                 "save it again") from None


def _check_head(source: BinaryIO, name: str) -> None:
    start = source.tell()
    head = source.read(len(_NPY_MAGIC))
    source.seek(start)
    if not head:
        raise SerializationError(f"{name!r} is empty (0 bytes): the file was truncated, or never "
                                 "written")
    if head.startswith(_ZIP_MAGIC):
        return
    if head.startswith(_PICKLE_MAGIC):
        raise SerializationError(f"{name!r} holds pickled Python objects (a legacy torch.save "
                                 "file, or pickle.dump): tinygrad_lr never unpickles, because "
                                 "unpickling can run arbitrary code")
    raise SerializationError(f"{name!r} is not a file written by tinygrad_lr.save (it starts with "
                             f"{head!r}; ours are zip archives, starting with b'PK')")


def _read_archive(archive: zipfile.ZipFile, name: str) -> Any:
    members = archive.namelist()
    if _MANIFEST not in members:
        if any(m.endswith(".pkl") for m in members):
            raise SerializationError(
                f"{name!r} was written by torch.save: its data is pickled, and tinygrad_lr never "
                "unpickles (unpickling can run arbitrary code). In PyTorch, save the tensors "
                "with numpy instead: np.savez(path, **{k: v.numpy() for k, v in "
                "state_dict.items()}), then tinygrad_lr.load(path)")
        if members and all(m.endswith(".npy") for m in members):  # save_state's, np.savez's
            return {m.removesuffix(".npy"): Tensor._wrap(_read_npy(archive, m, name))
                    for m in members}  # fmt: skip
        raise SerializationError(f"{name!r} is a zip archive, but not one written by "
                                 f"tinygrad_lr.save (it has no {_MANIFEST!r})")
    manifest = json.loads(archive.read(_MANIFEST))
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise SerializationError(f"{name!r}: {_MANIFEST!r} does not describe a saved object")
    arrays = {m: _read_npy(archive, m, name) for m in members if m.startswith(_ARRAYS)}
    return _decode(manifest["object"], arrays, {}, name)


def _read_npy(archive: zipfile.ZipFile, member: str, name: str) -> np.ndarray:
    with archive.open(member) as f:
        try:
            arr = np.lib.format.read_array(f, allow_pickle=False)
        except ValueError as e:
            if "allow_pickle" in str(e):
                raise SerializationError(f"{name!r}: {member!r} holds pickled Python objects; it "
                                         "will not be loaded (unpickling can run arbitrary "
                                         "code)") from None
            raise
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise SerializationError(f"{name!r}: {member!r} has dtype {arr.dtype}; only bool, integer "
                                 "and float arrays can be loaded")
    return arr


def _decode(node: Any, arrays: dict[str, np.ndarray], memo: dict[int, Any], name: str) -> Any:
    """The object a manifest entry describes (the inverse of `_encode`)."""
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, dict) and len(node) >= 1:
        kind = next(iter(node))
        if kind in ("tensor", "ndarray"):
            index = node[kind]
            if index not in memo:
                member = f"{_ARRAYS}{index}.npy"
                if member not in arrays:
                    raise SerializationError(f"{name!r} refers to {member!r}, which it lacks")
                memo[index] = _restore(arrays[member], node)
            return memo[index]
        if kind in _CONTAINERS and len(node) == 1 and isinstance(node[kind], list):
            if kind in ("dict", "OrderedDict"):
                return _CONTAINERS[kind]((_decode(k, arrays, memo, name),
                                          _decode(v, arrays, memo, name)) for k, v in node[kind])
            return _CONTAINERS[kind](_decode(v, arrays, memo, name) for v in node[kind])
    raise SerializationError(f"{name!r}: unknown entry {str(node)[:80]} in {_MANIFEST!r}")


def _restore(array: np.ndarray, node: dict[str, Any]) -> Any:
    if "ndarray" in node:
        return array
    tensor = Tensor._wrap(array)
    requires_grad = bool(node.get("requires_grad")) and array.dtype.kind == "f"
    if node.get("parameter"):
        return Parameter(tensor, requires_grad=requires_grad)
    return tensor.requires_grad_(requires_grad) if requires_grad else tensor
