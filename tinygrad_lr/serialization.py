"""Saving and loading parameters as `.npz` files: plain arrays, never pickled objects.

    t.save_state(model, "params.npz")            # or a {name: tensor} dict
    model.load_state_dict(t.load_state("params.npz"))

A `.npz` is a zip archive of `.npy` arrays, readable by numpy alone (`np.load(path)`). Loading
uses `allow_pickle=False`: a pickle can run code when it is read, and a file of parameters has no
reason to hold anything but numbers.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .tensor import Tensor


def save_state(module_or_state: Any, path: str | os.PathLike) -> None:
    """Write a module's `state_dict()` (or a {name: Tensor or array} mapping) to `path` as .npz.

    The file is written next to `path` under a temporary name, then renamed: an interrupted save
    never leaves a truncated file where a good one was.
    """
    state = module_or_state.state_dict() if hasattr(module_or_state, "state_dict") \
        else module_or_state
    if not isinstance(state, Mapping):
        raise TypeError(f"save_state() expects a Module or a mapping of names to tensors, got "
                        f"{type(module_or_state).__name__}")
    arrays = {}
    for name, value in state.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"save_state(): keys must be non-empty strings, got {name!r}")
        arr = value.data if isinstance(value, Tensor) else np.asarray(value)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f'save_state(): "{name}" is not numeric ({type(value).__name__} of '
                            f"dtype {arr.dtype}); only arrays of numbers are saved")
        arrays[name] = arr
    path = Path(path)
    # A unique name beside the target (same file system, so the rename is atomic); opened with
    # mode "xb" so it gets the usual permissions, which a mkstemp file (0600) would not.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(arrays):x}.tmp")
    try:
        f = open(tmp, "xb")
    except OSError as e:
        raise OSError(e.errno, f"save_state(): cannot write into '{path.parent}': "
                               f"{e.strerror}") from None
    try:
        with f, zipfile.ZipFile(f, "w") as archive:
            # What np.savez does, minus its keyword-argument interface (which cannot hold a key
            # named "file"): one .npy member per array.
            for name, arr in arrays.items():
                with archive.open(name + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.ascontiguousarray(arr),
                                              allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_state(path: str | os.PathLike) -> dict[str, Tensor]:
    """Read a .npz written by `save_state` (or `np.savez`) into {name: Tensor}.

    A missing file raises FileNotFoundError; anything that is not a readable .npz of numeric
    arrays (a truncated file, another format, pickled objects) raises ValueError naming the file
    and the reason.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"load_state(): no such file: '{path}'")
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"\x93NUMPY"):
        raise ValueError(f"load_state(): '{path}' is a single .npy array, not a .npz archive of "
                         "named arrays (write it with save_state)")
    if not magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip file, or an empty one
        raise ValueError(f"load_state(): '{path}' is not a .npz file (it does not start with "
                         "the zip header a .npz archive has)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {name: archive[name] for name in archive.files}
    except ValueError as e:
        reason = str(e)
        if "allow_pickle" in reason:
            reason = ("it holds pickled Python objects, which are never loaded (a pickle can run "
                      "code when read); save plain numeric arrays")
        raise ValueError(f"load_state(): cannot read '{path}': {reason}") from None
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(f"load_state(): cannot read '{path}': not a complete .npz file "
                         f"({type(e).__name__}: {e})") from None
    for name, arr in state.items():
        if not isinstance(arr, np.ndarray):  # numpy hands back raw bytes for a non-.npy member
            raise ValueError(f"load_state(): '{path}' holds \"{name}\", which is not a .npy array")
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"load_state(): '{path}' holds \"{name}\" of dtype {arr.dtype}; "
                             "only numeric arrays are parameters")
    return {name: Tensor._make(arr, False, None) for name, arr in state.items()}
