"""Saving and loading named arrays as numpy `.npz` files: no pickles, and clear errors.

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

import os
import uuid
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from .core.tensor import Tensor

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
    """
    if not isinstance(arrays, Mapping):
        raise TypeError(f"save_arrays() expects a mapping of names to arrays, got "
                        f"{type(arrays).__name__}")
    checked = {name: _array_to_save(name, value) for name, value in arrays.items()}
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    # A unique name beside the target (same file system, so the rename is atomic), opened with
    # mode "xb" so that the file gets the usual permissions, which a mkstemp file (0600) would not.
    tmp = os.path.join(folder, f".saving-{os.getpid()}-{uuid.uuid4().hex}.npz")
    try:
        f = open(tmp, "xb")
    except OSError as e:
        raise OSError(e.errno, f"save_arrays(): cannot write into {folder!r}: {e.strerror}") \
            from None
    try:
        with f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as archive:
            for name, arr in checked.items():
                with archive.open(name + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, arr, allow_pickle=False)
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
    """
    state = module_or_state.state_dict() if hasattr(module_or_state, "state_dict") \
        else module_or_state
    if not isinstance(state, Mapping):
        raise TypeError(f"save_state() expects a Module or a mapping of names to tensors, got "
                        f"{type(module_or_state).__name__}")
    save_arrays(path, state)


def load_state(path: PathLike) -> dict[str, Tensor]:
    """Read a .npz written by `save_state` (or `np.savez`) into {name: Tensor}, for
    `Module.load_state_dict`, which checks the names and shapes against the module."""
    return {name: Tensor._wrap(arr) for name, arr in load_arrays(path).items()}
