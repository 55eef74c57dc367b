"""One compiled signature: the generated step, and the generated code that calls it.

A call of the compiled step must check that the step's code is still the right one (its guards:
the arguments' shapes and dtypes, the parameters' storage, which gradients exist, the optimizers'
options and state), read the step's inputs (the arguments' arrays, the parameters' arrays and
gradients, the optimizers' settings and state), run the step, and leave behind what the eager
step would have: new gradients in `.grad` (or None), new optimizer state, version counts bumped
for the tensors changed in place, and the loss as a Tensor. That too is written as Python source,
`call(args)`, so that a call costs a few attribute reads beside the kernels; for the seed's step:

    def call(args):
        if len(args) != 2 or _Mode.grad_enabled is not True or _Mode.recorder is not None:
            return MISS
        x, y = args
        if type(x) is not Tensor or x._data.shape != (4, 1) or ...:
            return MISS
        if w._data is not w_storage:
            return MISS
        ...
        o0 = step(x._data, y._data, w._data, b._data)
        w._version_count += 1
        b._version_count += 1
        return Tensor._wrap(np.asarray(o0))
"""

from __future__ import annotations

import builtins
import linecache
import math
from typing import Any

import numpy as np

from ..core.engine import _Mode
from ..core.tensor import Tensor
from .program import Program, base
from .recorder import Arg, Captured, Grad, Recorder, same_bits
from .traced import CONSTANT, INPUT, WRITE, Node

MISS = object()  # what `call` returns when its guards do not hold: the step must be traced again


class Trace:
    """The generated step for one signature of the arguments, and the code around it."""

    def __init__(self, recorder: Recorder, returned: list[Tensor], single: bool, key: Any,
                 fn_name: str, numbers: list[tuple[str, Any, Any]]) -> None:  # fmt: skip
        self.single, self.key, self.numbers = single, key, numbers
        outputs: list[Node] = [recorder.traced(t).node for t in returned]
        if single and outputs and not outputs[0].hint:
            outputs[0].hint = "loss"
        self.returned = len(outputs)
        self.grad_sinks: list[Arg | Captured] = []  # whose .grad is an output
        self.grad_resets: list[Arg | Captured] = []  # whose .grad the step sets to None
        self.grad_guards: list[tuple[Arg | Captured, bool]] = []  # and whose .grad is None
        # Whether a tensor has a .grad when the step begins matters when the step reads it, or
        # relies on it having none (the gradient of a backward is then the new .grad).
        read = {n.source.owner for n in recorder.inputs if isinstance(n.source, Grad)}
        for source, before in recorder.grads_at_start.items():
            outputs += self._grad_effect(recorder, source, before,
                                         read | recorder.none_at_start)  # fmt: skip
        self.updates = recorder.updates
        self.state_sinks = [(u.optimizer, param, key) for u in self.updates
                            for param, key, _ in u.outputs]  # fmt: skip
        outputs += [node for u in self.updates for _, _, node in u.outputs]
        self.steps = [(u.optimizer, param, node) for u in self.updates for param, node in u.steps]
        self.program = Program(recorder.statements, recorder.inputs, outputs)
        self.inputs = self.program.inputs
        self.source = self.program.source()
        self.written_inputs = _write_counts(self.program)
        constants = {"CONSTANTS": self.program.names.constant_values()}
        self.function = _load(self.source, constants, f"<compiled step {fn_name} {id(self):x}>")[
            "step"]  # fmt: skip
        self.call_source, namespace = Glue(self, recorder.arg_names).write()
        glue = _load(self.call_source, namespace, f"<call of compiled step {fn_name} {id(self):x}>")
        self.call, self.matches, self.fetch = glue["call"], glue["matches"], glue["fetch"]
        self.checked = False

    def _grad_effect(self, recorder: Recorder, source: Any, before: Any,
                     used: set[Any]) -> list[Node]:  # fmt: skip
        # What the step did to this tensor's .grad: nothing, set it to None, or gave it a new one.
        # Whether it had one matters if the step read it, changed it, or added a gradient to it.
        tensor = source.tensor(recorder.args)
        if tensor is None:  # a tensor the step made for itself: nobody will see its .grad
            return []
        now = tensor._grad
        if source in used:
            self.grad_guards.append((source, before is None))
        if now is before:
            return []
        if now is None:
            self.grad_resets.append(source)
            return []
        self.grad_sinks.append(source)
        node = recorder.traced(now).node
        node.hint = node.hint or f"{source.name}_grad"
        return [node]


class Glue:
    """Writes `call(args)`, `matches(args)` and `fetch(args)` for a trace (see the docstring)."""

    def __init__(self, trace: Trace, arg_names: list[str]) -> None:
        self.trace, self.program = trace, trace.program
        self.namespace: dict[str, Any] = {"np": np, "Tensor": Tensor, "_Mode": _Mode,
                                          "MISS": MISS, "step": trace.function,
                                          "bump": bump, "tensor_of": tensor_of}  # fmt: skip
        self.taken = set(self.namespace) | {"args", "outputs"} | set(dir(builtins))
        self.args = [self._fresh(n) for n in arg_names]
        self.captured: dict[Any, str] = {}
        self.bound: dict[int, str] = {}  # id(object) -> its name

    def _fresh(self, stem: str) -> str:
        name, k = stem, 1
        while name in self.taken:
            k += 1
            name = f"{stem}_{k}"
        self.taken.add(name)
        return name

    def bind(self, value: Any, stem: str) -> str:
        """A name in the glue's namespace for an object it reads (a parameter, an array)."""
        if id(value) in self.bound and self.namespace[self.bound[id(value)]] is value:
            return self.bound[id(value)]
        name = self._fresh(stem)
        self.namespace[name] = value
        self.bound[id(value)] = name
        return name

    def tensor(self, source: Any) -> str:
        """How the glue refers to the tensor of an argument or a tensor from outside."""
        if isinstance(source, Arg):
            return self.args[source.index]
        if source not in self.captured:
            self.captured[source] = self.bind(source.strong, source.name or "tensor")
        return self.captured[source]

    def input(self, node: Node) -> str:
        source = node.source
        if isinstance(source, (Arg, Captured)):
            return f"{self.tensor(source)}._data"
        if isinstance(source, Grad):
            return f"{self.tensor(source.owner)}._grad._data"
        return f"{self.bind(source, 'source')}.fetch(args)"  # an optimizer's number or array

    def guards(self) -> list[str]:
        trace = self.trace
        specs, keywords, grad_mode = trace.key
        lines = [f"len(args) != {len(specs)} or _Mode.grad_enabled is not {grad_mode} "
                 "or _Mode.recorder is not None"]  # fmt: skip
        for name, (kind, *spec) in zip(self.args, specs):
            if kind == "tensor":
                shape, dtype, requires_grad = spec
                lines.append(f"type({name}) is not Tensor or {name}._data.shape != {shape!r} or "
                             f"{name}._data.dtype is not {self.bind(dtype, 'dtype')} or "
                             f"{name}._requires_grad is not {requires_grad}")  # fmt: skip
            else:
                value = self.bind(spec[1], "value")
                lines.append(f"type({name}) is not {self.bind(spec[0], 'type')} or "
                             f"{name} != {value}")  # fmt: skip
        for node in self.program.inputs:
            if isinstance(node.source, Captured):
                storage = self.bind(node.value, f"{self.tensor(node.source)}_storage")
                lines.append(f"{self.tensor(node.source)}._data is not {storage}")
            if isinstance(node.source, Grad):
                grad = f"{self.tensor(node.source.owner)}._grad._data"
                lines.append(f"{grad}.shape != {node.value.shape!r} or {grad}.dtype is not "
                             f"{self.bind(node.value.dtype, 'dtype')}")  # fmt: skip
        for source, was_none in trace.grad_guards:
            lines.append(f"{self.tensor(source)}._grad is {'not ' if was_none else ''}None")
        for update in trace.updates:
            lines.append(f"{self.bind(update.structure, 'structure')}() != "
                         f"{self.bind(update.traced_structure, 'structure_traced')}")
        for name, where, value in trace.numbers:  # a global or closure number the step read
            if isinstance(where, dict):
                now = f"{self.bind(where, 'module_globals')}.get({name!r})"
            else:
                now = f"{self.bind(where, 'cell')}.cell_contents"
            lines.append(f"type({now}) is not {type(value).__name__} or {now} != "
                         f"{self.bind(value, name)}")  # fmt: skip
        return lines

    def write(self) -> tuple[str, dict[str, Any]]:
        """The glue's source, and the namespace it runs in."""
        unpack = f"    {', '.join(self.args)}{',' if len(self.args) == 1 else ''} = args"
        unpack = unpack if self.args else "    pass"
        guards = [f"    if {g}:\n        return MISS" for g in self.guards()]
        inputs = [self.input(n) for n in self.program.inputs]
        outputs = [f"o{i}" for i in range(len(self.program.outputs))]
        call = (["def call(args):", guards[0], unpack] + guards[1:]
                + [f"    {', '.join(outputs) or '_'} = step({', '.join(inputs)})"]
                + self.after(outputs))  # fmt: skip
        refusals = [g.replace("return MISS", "return False") for g in guards]
        matches = ["def matches(args):", refusals[0], unpack] + refusals[1:] + ["    return True"]
        fetch = ["def fetch(args):", unpack, f"    return [{', '.join(inputs)}]"]
        text = "\n".join(call + [""] + matches + [""] + fetch) + "\n"
        return text, self.namespace

    def after(self, outputs: list[str]) -> list[str]:
        """What the call leaves behind: gradients, optimizer state, versions, the result."""
        trace, lines = self.trace, []
        k, m = trace.returned, trace.returned + len(trace.grad_sinks)
        for source in trace.grad_resets:
            lines.append(f"    {self.tensor(source)}._grad = None")
        for source, out, node in zip(trace.grad_sinks, outputs[k:m], self.program.outputs[k:m]):
            lines.append(f"    {self.tensor(source)}._grad = {_as_tensor(out, node)}")
        for (optimizer, param, key), out in zip(trace.state_sinks, outputs[m:]):
            state = f"{self.bind(optimizer, 'optimizer')}.state"
            lines.append(f"    {state}.setdefault({self.bind(param, 'param')}, {{}})[{key!r}] = "
                         f"Tensor._wrap({out})")  # fmt: skip
        for optimizer, param, node in trace.steps:
            state = f"{self.bind(optimizer, 'optimizer')}.state"
            number = self.input(node)
            lines.append(f"    {state}.setdefault({self.bind(param, 'param')}, {{}})['step'] = "
                         f"{number}")  # fmt: skip
        lines += self.versions()
        results = [_as_tensor(o, n) for o, n in zip(outputs[:k], self.program.outputs[:k])]
        if trace.single:
            lines.append(f"    return {results[0] if results else 'None'}")
        else:
            lines.append(f"    return ({', '.join(results)}{',' if len(results) == 1 else ''})")
        return lines

    def versions(self) -> list[str]:
        # As Tensor._inplace does for each in-place change: a graph that saved the old values
        # (kept from before the step) will refuse them.
        lines = []
        for node, count in self.trace.written_inputs:
            source = node.source
            if isinstance(source, Captured) and source.strong._base is None and (
                    source.strong.grad_fn is None):  # a parameter: the simple case  # fmt: skip
                lines.append(f"    {self.tensor(source)}._version_count += {count}")
            elif isinstance(source, (Arg, Captured, Grad)) or hasattr(source, "key"):
                lines.append(f"    bump(tensor_of({self.bind(source, 'source')}, args), {count})")
        return lines


def _write_counts(program: Program) -> list[tuple[Node, int]]:
    """The inputs the step writes into (through views too), and how many writes each."""
    counts: dict[Node, int] = {}
    for node in program.statements:
        if node.kind == WRITE:
            memory = base(node.args[0])
            if memory.kind == INPUT:
                counts[memory] = counts.get(memory, 0) + 1
    return list(counts.items())


def _as_tensor(name: str, node: Node) -> str:
    # numpy gives a 0-d result as a scalar; a tensor holds an array.
    return f"Tensor._wrap({name})" if isinstance(node.value, np.ndarray) else (
        f"Tensor._wrap(np.asarray({name}))")  # fmt: skip


def tensor_of(source: Any, args: tuple) -> Any:
    """The tensor an input's array belongs to at this call (None for a number)."""
    if isinstance(source, (Arg, Captured)):
        return source.tensor(args)
    if isinstance(source, Grad):
        return source.owner.tensor(args)._grad
    return source.optimizer.state[source.param][source.key]


def bump(tensor: Any, count: int) -> None:
    """Count `count` in-place changes of the tensor's memory, as Tensor._inplace does."""
    root = tensor if tensor._base is None else tensor._base
    root._version_count += count
    if root.grad_fn is not None:
        root.grad_fn.output_version = root._version_count


def _load(source: str, namespace: dict[str, Any], filename: str) -> dict[str, Any]:
    """Run generated source in `namespace`, with its lines shown in tracebacks."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np, "math": math, **namespace}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace


def resolve_captured(recorder: Recorder) -> None:
    """After the step ran: a tensor read from outside that still lives is an input of every call
    (held from now on); one that died was made by the step itself, and is a constant."""
    for source in recorder.sources.values():
        if isinstance(source, Captured):
            source.strong = source.ref()
    for node in recorder.inputs:
        source = node.source
        owner = source.owner if isinstance(source, Grad) else source
        if not isinstance(owner, Captured):
            continue
        tensor = owner.ref()
        if tensor is None:
            node.kind, node.value = CONSTANT, recorder.initial[node]
        else:
            owner.strong = tensor


def run_beside(trace: Trace, inputs: list[Any]) -> tuple[list[Any], tuple]:
    """Run the generated step on `inputs` (the inputs as the eager step finds them), on copies
    of those it writes into: the copies after the run, and the step's outputs."""
    written = {node for node, _ in trace.written_inputs}
    copies = [np.array(v, copy=True) if node in written else v
              for node, v in zip(trace.inputs, inputs)]  # fmt: skip
    values = trace.function(*copies)
    return copies, ((values,) if len(trace.program.outputs) == 1 else values)


def differences(trace: Trace, args: tuple, copies: list[Any], values: tuple, after: list[Any],
                result: list[Tensor]) -> list[str]:  # fmt: skip
    """Where the generated step (which left `copies` and `values`, see run_beside) disagrees with
    the eager step, which left the inputs' arrays as `after` and returned `result`."""
    found = []
    for node, copy, real in zip(trace.inputs, copies, after):
        if isinstance(real, np.ndarray) and not same_bits(copy, real):
            found.append(f"the input {trace.program.names[node]}")
    k, m = trace.returned, trace.returned + len(trace.grad_sinks)
    for i, (value, tensor) in enumerate(zip(values[:k], result)):
        if not same_bits(value, tensor._data):
            found.append(f"the returned value {i}")
    for source, value in zip(trace.grad_sinks, values[k:m]):
        grad = source.tensor(args)._grad
        if grad is None or not same_bits(value, grad._data):
            found.append(f"{source.name}.grad")
    for (optimizer, param, key), value in zip(trace.state_sinks, values[m:]):
        if not same_bits(value, optimizer.state[param][key]._data):
            found.append(f"the optimizer's {key}")
    return found


__all__ = ["MISS", "Trace", "differences", "resolve_captured", "run_beside"]
