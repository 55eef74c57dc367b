"""Write docs/api.md: every public name, its signature and the first line of its docstring.

    python -m tools.apidoc            # rewrite docs/api.md
    python -m tools.apidoc --check    # exit 1 if docs/api.md is stale

The page is built from the code alone (names, signatures, docstrings, the op table's formulas), so
it cannot drift from it: tests/test_docs.py regenerates it in memory and fails when the file on
disk differs. Modules listed in MODULES that do not exist yet are skipped, so a new module appears
on the page as soon as it is importable.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from tinygrad_lr.core.engine import Function

# The modules whose public names make up the API, in the order the page shows them. The package
# namespace comes first; a submodule lists only what the package namespace does not already show.
MODULES = [
    "tinygrad_lr",
    "tinygrad_lr.nn",
    "tinygrad_lr.nn.functional",
    "tinygrad_lr.nn.init",
    "tinygrad_lr.optim",
    "tinygrad_lr.optim.lr_scheduler",
    "tinygrad_lr.utils.data",
    "tinygrad_lr.data",
    "tinygrad_lr.autograd",
    "tinygrad_lr.serialization",
    "tinygrad_lr.cuda",
    "tinygrad_lr.backends.mps",
    "tinygrad_lr.backends.cudnn",
    "tinygrad_lr.viz",
    "tinygrad_lr.core.engine",
    "tinygrad_lr.core.ops",
    "tinygrad_lr.apps.train",
]

# Instance attributes cannot carry docstrings, so their one line lives here.
SLOT_DOCS = {
    ("Tensor", "grad_fn"): "The node (a `Function`) that made this tensor; None for a leaf.",
    ("Function", "inputs"): "Per input: its `grad_fn` if it came out of an op, else the input "
    "Tensor itself (a leaf).",
    ("Function", "needs_input_grad"): "Per input: whether a gradient must flow to it.",
    ("Function", "saved"): "The arrays kept by `save_for_backward`; None once backward freed them.",
    ("Function", "saved_owners"): "The tensor each saved array belongs to (None: the op's own).",
    ("Function", "saved_versions"): "The version counts of the saved arrays' owners when saved, "
    "checked at backward.",
    ("Function", "out_shape"): "The shape of the output this node produced.",
    ("Function", "out_dtype"): "The dtype of the output this node produced.",
    ("device", "type"): "The device type: always 'cpu'.",
}

# Operators a Tensor supports, and the method each one calls.
OPERATORS = [
    ("a + b", "__add__", "add"), ("a - b", "__sub__", "sub"), ("a * b", "__mul__", "mul"),
    ("a / b", "__truediv__", "div"), ("a @ b", "__matmul__", "matmul"),
    ("a ** p", "__pow__", "pow"), ("-a", "__neg__", "neg"), ("a[key]", "__getitem__", "index"),
    ("a[key] = v", "__setitem__", "(no graph)"), ("a += b", "__iadd__", "add_"),
    ("a -= b", "__isub__", "sub_"), ("a *= b", "__imul__", "mul_"),
    ("a /= b", "__itruediv__", "div_"),
    ("a < b, <=, >, >=, ==, !=", "__lt__", "comparisons: bool tensors, no graph"),
]  # fmt: skip

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def first_line(obj: Any) -> str:
    """The first line of an object's own docstring ('' if it has none)."""
    doc = obj.__doc__ if isinstance(obj, types.ModuleType) else inspect.getdoc(obj)
    if isinstance(obj, type) and obj.__doc__ is None:
        doc = None  # inspect.getdoc would return a base class's docstring
    return inspect.cleandoc(doc).split("\n", 1)[0].strip() if doc else ""


class _Ann(str):
    # An annotation shown as written (`Tensor`, not `'Tensor'`).
    def __repr__(self) -> str:
        return str(self)


def _annotation(ann: Any) -> Any:
    if ann is inspect.Parameter.empty:
        return ann
    text = ann if isinstance(ann, str) else inspect.formatannotation(ann)
    text = re.sub(r"\b(?:tinygrad_lr\.)(?:\w+\.)*", "", text).replace("numpy.", "np.")
    return inspect.Parameter.empty if text == "Any" else _Ann(text)


def signature(obj: Any, name: str) -> str:
    """`name(params) -> return`, annotations as written in the source, `Any` left out."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return f"{name}(…)"
    params = [p.replace(annotation=_annotation(p.annotation)) for p in sig.parameters.values()]
    ret = _annotation(sig.return_annotation)
    if ret == "None" or isinstance(obj, type):
        ret = inspect.Signature.empty
    return name + str(sig.replace(parameters=params, return_annotation=ret))


def _public(names: Iterable[str]) -> list[str]:
    return [n for n in names if not n.startswith("_")]


def module_names(mod: types.ModuleType) -> list[str]:
    """The module's public names: its `__all__`, or what it defines itself."""
    if hasattr(mod, "__all__"):
        return list(mod.__all__)
    return sorted(
        n for n in _public(vars(mod))
        if (inspect.isfunction(vars(mod)[n]) or inspect.isclass(vars(mod)[n]))
        and getattr(vars(mod)[n], "__module__", None) == mod.__name__
    )  # fmt: skip


def _group_of(obj: Any) -> str:
    if isinstance(obj, np.dtype) or obj is np.dtype:
        return "tinygrad_lr.dtypes"
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    return getattr(obj, "__module__", "") or ""


class ApiPage:
    """Builds the page; `missing` collects public names that have no docstring."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.missing: list[str] = []
        self.seen: set[int] = set()

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def doc(self, obj: Any, qualname: str) -> str:
        line = first_line(obj)
        if not line:
            self.missing.append(qualname)
        return line

    def entry(self, obj: Any, name: str, qualname: str) -> None:
        line = self.doc(obj, qualname)
        self.out(f"- `{signature(obj, name)}` — {line}" if line else f"- `{signature(obj, name)}`")

    def render_names(self, mod: types.ModuleType, names: list[str]) -> None:
        objs = [(n, getattr(mod, n)) for n in names]
        objs = [(n, o) for n, o in objs if id(o) not in self.seen or isinstance(o, np.dtype)]
        groups: dict[str, list[tuple[str, Any]]] = {}
        for n, o in objs:
            groups.setdefault(_group_of(o), []).append((n, o))
        for group in sorted(groups, key=lambda g: (g != mod.__name__, g)):
            members = sorted(groups[group], key=lambda item: item[0].lower())
            if group != mod.__name__ and len(groups) > 1:
                source = sys.modules.get(group)
                head = first_line(source) if source is not None else ""
                self.out("", f"### From `{group}`", "")
                if head:
                    self.out(head, "")
            else:
                self.out("")
            self.render_group(mod.__name__, members)

    def render_group(self, modname: str, members: list[tuple[str, Any]]) -> None:
        dtypes: dict[str, list[str]] = {}
        ops, classes = [], []
        for name, obj in members:
            qual = f"{modname}.{name}"
            if isinstance(obj, np.dtype):
                dtypes.setdefault(str(obj), []).append(name)
            elif isinstance(obj, types.ModuleType):
                self.seen.add(id(obj))
                what = "this module" if obj.__name__ == _group_of(obj) and len(members) > 1 else (
                    self.doc(obj, qual))  # fmt: skip
                self.out(f"- `{name}` (module `{obj.__name__}`) — {what}")
            elif inspect.isclass(obj) and issubclass(obj, Function) and obj is not Function:
                ops.append(obj)
            elif inspect.isclass(obj):
                classes.append((name, obj))
            elif callable(obj):
                self.seen.add(id(obj))
                self.entry(obj, name, qual)
        for dtype, names in dtypes.items():
            shown = ", ".join(f"`{n}`" for n in names)
            self.out(f"- {shown} — the numpy dtype `np.dtype('{dtype}')`")
        for name, cls in classes:
            self.render_class(modname, name, cls)
        if ops:
            self.render_ops(ops)

    def render_class(self, modname: str, name: str, cls: type) -> None:
        self.seen.add(id(cls))
        kind = "exception" if issubclass(cls, BaseException) else "class"
        self.out("", f"#### {kind} `{name}`", "", f"`{signature(cls, name)}`", "")
        line = self.doc(cls, f"{modname}.{name}")
        if line:
            self.out(line, "")
        if name == "Tensor":
            self.render_operators(cls)
        members = []
        for attr, value in vars(cls).items():
            if attr.startswith("_"):
                continue
            qual = f"{modname}.{name}.{attr}"
            if isinstance(value, property):
                members.append(f"- `{attr}` (property) — {self.doc(value, qual)}")
            elif isinstance(value, types.MemberDescriptorType):
                members.append(f"- `{attr}` (attribute) — {SLOT_DOCS.get((name, attr), '')}")
                if (name, attr) not in SLOT_DOCS:
                    self.missing.append(qual)
            elif isinstance(value, (staticmethod, classmethod)) or inspect.isfunction(value):
                fn = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
                line = self.doc(fn, qual)
                sig = signature(getattr(cls, attr) if isinstance(value, classmethod) else fn, attr)
                members.append(f"- `{sig}` — {line}" if line else f"- `{sig}`")
            elif isinstance(value, (str, bool, int, float)) and issubclass(cls, Function):
                # An op's class attributes (name, formula, is_view) are part of its protocol.
                members.append(f"- `{attr} = {value!r}` (class attribute)")
        self.out(*sorted(members, key=lambda m: m.split("`")[1].lower()))

    def render_operators(self, cls: type) -> None:
        rows = [(sym, meth) for sym, dunder, meth in OPERATORS if dunder in vars(cls)]
        self.out("Operators:", "", "| operator | same as |", "|---|---|")
        self.out(*(f"| `{sym}` | {meth if meth.startswith('(') or ' ' in meth else f'`{meth}`'} |"
                   for sym, meth in rows))  # fmt: skip
        self.out("", "Methods, properties and attributes:", "")

    def render_ops(self, ops: list[type]) -> None:
        self.out("", "The op table (`ops.OPS`): each op's name in graphs, its class, and its rule "
                 "(g is the gradient arriving from the output):", "")
        self.out("| name | class | forward; backward |", "|---|---|---|")
        # In the order the ops are defined: related ops stay together, as in ops.py.
        for op in sorted(ops, key=lambda op: (op.__module__, inspect.getsourcelines(op)[1])):
            self.seen.add(id(op))
            formula = op.formula.replace("|", "\\|")
            self.out(f"| `{op.name}` | `{op.__name__}` | {formula} |")


def render() -> tuple[str, list[str]]:
    """The page's text, and the public names that have no docstring."""
    page = ApiPage()
    page.out(
        "# API reference",
        "",
        "Every public name of `tinygrad_lr`, with its signature and the first line of its "
        "docstring. This page is written by `python -m tools.apidoc` from the code itself; "
        "a test fails when it is out of date, so edit the docstrings, not this file.",
    )
    for modname in MODULES:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:  # the module exists but something it imports is missing
                raise
            continue
        names = module_names(mod)
        if modname != MODULES[0]:
            names = [n for n in names if id(getattr(mod, n)) not in page.seen]
            if not names:
                continue
        page.out("", f"## `{modname}`", "")
        page.out(page.doc(mod, modname) or "")
        page.render_names(mod, names)
    text = "\n".join(page.lines).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text), page.missing


def main(argv: list[str] | None = None) -> int:
    """Write docs/api.md (or, with --check, report whether it is up to date); the exit code."""
    parser = argparse.ArgumentParser(prog="python -m tools.apidoc", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_PATH, help="the page to write")
    parser.add_argument("--check", action="store_true", help="only check the page is up to date")
    args = parser.parse_args(argv)
    text, missing = render()
    if missing:
        print("public names without a docstring: " + ", ".join(missing), file=sys.stderr)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python -m tools.apidoc",
                  file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
