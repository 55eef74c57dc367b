"""The docstrings are the API reference (the site renders them with mkdocstrings), so every public
name has one, written in the Google style the site is configured for:

    def grad(outputs, inputs, ...):
        \"\"\"One line that says what it is.

        More prose where it helps.

        Args:
            outputs: what it is, its shape and dtype where they matter.
            inputs: ...

        Returns:
            What comes back.

        Examples:
            >>> ...
        \"\"\"

The public names are those of `tinygrad_lr.__all__` and of the modules a reader reaches from it
(`nn` with `nn.functional`, `nn.init` and `nn.utils`, `optim` with `optim.lr_scheduler`,
`autograd` with its `functional`, `dtypes`, `cuda`, `backends`, `utils.data`, `data`, `linalg`),
of `tinygrad_lr.viz`, `tinygrad_lr.serialization` and `tinygrad_lr.compile`, of the applications
the site documents (`apps.train`, `apps.regression`, `apps.graph_cli`), and the public methods
and properties of their classes. Every one must have a docstring; in the modules already
written in the Google style, every argument must be described under `Args:` and every returned
value under `Returns:` (or `Yields:`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import importlib
import inspect
import io
import re
import types
from collections.abc import Iterator
from typing import Any

import pytest

import tinygrad_lr
from tinygrad_lr import autograd, cuda, data, dtypes, linalg, nn, optim, serialization, viz
from tinygrad_lr.apps import graph_cli, regression, train
from tinygrad_lr.autograd import functional
from tinygrad_lr.backends import cudnn, mps
from tinygrad_lr.nn import functional as nn_functional
from tinygrad_lr.nn import init
from tinygrad_lr.nn import utils as nn_utils
from tinygrad_lr.optim import lr_scheduler
from tinygrad_lr.utils import data as utils_data

# (`tinygrad_lr.compile` is the function, as `torch.compile` is: the package is imported by name.)
compile_package = importlib.import_module("tinygrad_lr.compile")

# The applications the site documents (api/apps.md) are checked as the library is.
MODULES = (tinygrad_lr, nn, nn_functional, init, nn_utils, optim, lr_scheduler, autograd,
           functional, viz, data, utils_data, serialization, dtypes, cuda, cudnn, mps,
           compile_package, train, regression, graph_cli, linalg)

# Modules whose docstrings are written in the Google style, with every argument and return value
# described; test_google_style_docstrings checks the public names defined there.
GOOGLE_STYLE = ("tinygrad_lr.autograd", "tinygrad_lr.viz", "tinygrad_lr.data",
                "tinygrad_lr.core.arithmetic", "tinygrad_lr.core.pointwise",
                "tinygrad_lr.core.shaping", "tinygrad_lr.core.reductions",
                "tinygrad_lr.core.selection", "tinygrad_lr.core.creation", "tinygrad_lr.nn",
                "tinygrad_lr.optim", "tinygrad_lr.utils.data", "tinygrad_lr.serialization",
                "tinygrad_lr.compile", "tinygrad_lr.core.dtypes", "tinygrad_lr.core.size",
                "tinygrad_lr.core.legacy", "tinygrad_lr.devices", "tinygrad_lr.cuda",
                "tinygrad_lr.backends", "tinygrad_lr.apps", "tinygrad_lr.core.tensor",
                "tinygrad_lr.core.engine", "tinygrad_lr.core.functions",
                "tinygrad_lr.core.conversion", "tinygrad_lr.core.matrices",
                "tinygrad_lr.core.printing", "tinygrad_lr.linalg", "tinygrad_lr.core.comparison",
                "tinygrad_lr.core.inplace", "tinygrad_lr.core.statistics",
                "tinygrad_lr.core.sampling", "tinygrad_lr.core.linear_algebra",
                "tinygrad_lr.core.scattering", "tinygrad_lr.core.generator")

# Every public module is written in the Google style.

# Public names that still have no docstring of their own, in modules whose pass is still to do.
# A name written here that has one fails the test below, so the list can only shrink.
NO_DOCSTRING_YET: set[str] = set()

# The modules whose docstrings' examples (`>>>` lines) run in test_the_examples_run.
EXAMPLES = ("tinygrad_lr.autograd", "tinygrad_lr.autograd.functional",
            "tinygrad_lr.autograd.checks", "tinygrad_lr.viz.draw", "tinygrad_lr.viz.text",
            "tinygrad_lr.data", "tinygrad_lr.core.arithmetic", "tinygrad_lr.core.pointwise",
            "tinygrad_lr.core.shaping", "tinygrad_lr.core.reductions",
            "tinygrad_lr.core.selection", "tinygrad_lr.core.creation", "tinygrad_lr.nn.module",
            "tinygrad_lr.nn.parameter", "tinygrad_lr.nn.containers", "tinygrad_lr.nn.layers",
            "tinygrad_lr.nn.activation", "tinygrad_lr.nn.loss", "tinygrad_lr.nn.loss_functions",
            "tinygrad_lr.nn.functional", "tinygrad_lr.nn.init", "tinygrad_lr.nn.normalization",
            "tinygrad_lr.nn.layer_functions", "tinygrad_lr.nn.utils", "tinygrad_lr.optim.optimizer",
            "tinygrad_lr.optim.sgd", "tinygrad_lr.optim.adam", "tinygrad_lr.optim.lr_scheduler",
            "tinygrad_lr.utils.data", "tinygrad_lr.serialization", "tinygrad_lr.compile.step",
            "tinygrad_lr.core.dtypes", "tinygrad_lr.core.size", "tinygrad_lr.core.tensor",
            "tinygrad_lr.core.conversion", "tinygrad_lr.core.functions.pointwise",
            "tinygrad_lr.core.functions.products", "tinygrad_lr.core.functions.reductions",
            "tinygrad_lr.core.functions.shapes", "tinygrad_lr.core.functions.selection",
            "tinygrad_lr.core.matrices", "tinygrad_lr.core.functions.matrices",
            "tinygrad_lr.core.printing", "tinygrad_lr.linalg", "tinygrad_lr.core.comparison",
            "tinygrad_lr.core.inplace", "tinygrad_lr.core.statistics", "tinygrad_lr.core.sampling",
            "tinygrad_lr.core.functions.comparison", "tinygrad_lr.core.functions.sampling",
            "tinygrad_lr.core.linear_algebra", "tinygrad_lr.nn.padding",
            "tinygrad_lr.core.scattering", "tinygrad_lr.core.generator")


def public_names(module: types.ModuleType) -> list[str]:
    """A module's `__all__`, or the public classes and functions it defines itself."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [n for n, v in vars(module).items() if not n.startswith("_")
            and (inspect.isfunction(v) or inspect.isclass(v))
            and v.__module__ == module.__name__]  # fmt: skip


def members(cls: type) -> Iterator[tuple[str, Any]]:
    """A class's public methods and properties, defined in the package (in it or a base)."""
    seen = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("tinygrad_lr"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isfunction(value) or isinstance(value, property):
                yield name, value


def public_objects() -> dict[str, Any]:
    """Every public name, by the path a reader writes, and the object it names."""
    found: dict[str, Any] = {}
    for module in MODULES:
        for name in public_names(module):
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismodule(obj)):
                continue  # a value, such as a dtype: it has no docstring of its own
            if any(obj is seen for seen in found.values()):
                continue
            found[f"{module.__name__}.{name}"] = obj
            if inspect.isclass(obj):
                for member, value in members(obj):
                    if not any(value is seen for seen in found.values()):  # a shared base's
                        found[f"{module.__name__}.{name}.{member}"] = value
    return found


def own_docstring(obj: Any) -> str:
    """The docstring written on `obj` itself: not one inherited from a base class or from the
    method it overrides (the site, like `help()`, shows a method's own)."""
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    return inspect.cleandoc(doc) if doc else ""


def test_every_public_name_has_a_docstring() -> None:
    missing = {path for path, obj in public_objects().items() if not own_docstring(obj).strip()}
    assert not missing - NO_DOCSTRING_YET, (
        f"public names without a docstring: {sorted(missing - NO_DOCSTRING_YET)}")
    assert not NO_DOCSTRING_YET - missing, (
        f"{sorted(NO_DOCSTRING_YET - missing)} have a docstring now: remove them from "
        "NO_DOCSTRING_YET in this file")


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_run(name: str) -> None:
    # Each docstring's `>>>` lines run as a session would, and must print what they show.
    module = importlib.import_module(name)
    tinygrad_lr.manual_seed(0)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = doctest.testmod(module, extraglobs={"tinygrad_lr": tinygrad_lr},
                                 optionflags=doctest.NORMALIZE_WHITESPACE, report=True)
    assert result.attempted > 0, f"{name} has no examples: drop it from EXAMPLES"
    assert result.failed == 0, out.getvalue()


def sections(doc: str) -> dict[str, list[str]]:
    """A Google-style docstring's sections (`Args:`, `Returns:`, ...): their lines, dedented."""
    found: dict[str, list[str]] = {}
    current = None
    for line in doc.split("\n"):
        heading = re.fullmatch(r"([A-Z][a-z]+(?: [a-z]+)?):", line.strip())
        if heading and not line.startswith(" "):
            current = found.setdefault(heading.group(1), [])
        elif current is not None and (line.startswith("    ") or not line.strip()):
            current.append(line[4:])
        else:
            current = None
    return found


def described_arguments(doc: str, section: str = "Args") -> set[str]:
    # An entry is `name: text` or `name (type): text`, at the section's first indentation.
    lines = sections(doc).get(section, [])
    return {m.group(1) for line in lines
            if (m := re.match(r"(\*{0,2}\w+)(?: \([^)]*\))?:", line))}  # fmt: skip


def style_problems(path: str, obj: Any) -> list[str]:
    """What a Google-style docstring of `obj` lacks: arguments, or what it returns."""
    if isinstance(obj, property) or inspect.ismodule(obj):
        return []
    if dataclasses.is_dataclass(obj):  # its fields are its arguments, described as attributes
        have = described_arguments(own_docstring(obj), "Attributes")
        return [f"{path}: field {f.name!r} is not under Attributes:"
                for f in dataclasses.fields(obj) if f.name not in have]
    target = obj.__init__ if inspect.isclass(obj) else obj
    if not inspect.isfunction(target) or (inspect.isclass(obj)
                                          and not target.__module__.startswith("tinygrad_lr")):
        return []  # object's __init__, or one a base class from another library defines
    doc = own_docstring(obj) + "\n" + (own_docstring(target) if inspect.isclass(obj) else "")
    signature = inspect.signature(target)
    wanted = [("*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else "")
              + p.name for p in signature.parameters.values() if p.name not in ("self", "cls")]
    have = described_arguments(doc)
    problems = [f"{path}: argument {a!r} is not under Args:" for a in wanted
                if a not in have and a.lstrip("*") not in have]  # fmt: skip
    returns = signature.return_annotation
    gives_nothing = returns in (None, "None", inspect.Signature.empty) or inspect.isclass(obj)
    if not gives_nothing and not {"Returns", "Yields"} & set(sections(doc)):
        problems.append(f"{path}: no Returns: section")
    problems += [f"{path}: {line!r} carries on the line above in Returns: without the extra "
                 "indentation that says so" for line in unindented_continuations(doc)]
    if "Example" in sections(doc):  # the site reads `Examples:` as code, `Example:` as prose
        problems.append(f"{path}: its examples are under Example:, not Examples:")
    return problems


def unindented_continuations(doc: str) -> list[str]:
    """The lines of a `Returns:` or `Yields:` section that carry on the line above at its
    indentation: the site reads each of them as another returned value, in a row of its own (a
    line of its own there is `name: text`; a wrapped line is indented once more)."""
    found = []
    for section in ("Returns", "Yields"):
        lines = [line for line in sections(doc).get(section, []) if line.strip()]
        found += [line for line in lines[1:] if not line.startswith(" ")
                  and not re.match(r"\w+(?: \([^)]*\))?:", line)]  # fmt: skip
    return found


def test_google_style_docstrings() -> None:
    problems = []
    for path, obj in public_objects().items():
        function = obj.fget if isinstance(obj, property) else obj
        if getattr(function, "__module__", "").startswith(GOOGLE_STYLE):
            problems += style_problems(path, obj)
    assert not problems, "docstrings that do not describe everything:\n" + "\n".join(problems)


def test_the_style_check_finds_what_is_missing() -> None:
    def scale(x: float, factor: float = 2.0) -> float:
        """Scale a number.

        Args:
            x: the number.
        """
        return x * factor

    def shift(x: float, *offsets: float) -> float:
        """Shift a number.

        Args:
            x (float): the number.
            *offsets: added to it.

        Returns:
            The shifted number, a float (an int for int
                arguments).
        """
        return x + sum(offsets)

    def halve(x: float) -> tuple[float, float]:
        """Halve a number.

        Args:
            x: the number.

        Returns:
            Its two halves, which add up
            to it.

        Example:
            >>> halve(1.0)
            (0.5, 0.5)
        """
        return x / 2, x / 2

    assert style_problems("scale", scale) == [
        "scale: argument 'factor' is not under Args:", "scale: no Returns: section"]
    assert style_problems("shift", shift) == []
    assert style_problems("halve", halve) == [
        "halve: 'to it.' carries on the line above in Returns: without the extra indentation "
        "that says so", "halve: its examples are under Example:, not Examples:"]
