"""`Traced`: a numpy value that writes down how it was computed.

While a step is traced, the recorder runs each op's `forward` and each backward formula a second
time, on `Traced` values instead of arrays. A `Traced` holds the real value and the `Node` that
will compute it in the generated code. numpy hands every operation on it back to it: its
operators and the ufuncs (`__array_ufunc__`, NEP 13), the functions of numpy's API such as
`np.where` (`__array_function__`, NEP 18), and the ndarray methods the formulas use are written
out here. Each computes the real result with numpy, then notes one line of code for it. So the op
table needs no code templates: the formulas written for arrays are the templates.

A node's `template` is Python source with `{0}`, `{1}`, ... standing for its array arguments, as
`str.format` reads it: `"{0}.dot({1})"`, `"{0} + {1}"`, `"np.where({0}, {1}, {2})"`. Other
arguments (shapes, axes, numbers, dtypes) are written into the template as literals.

What a trace cannot capture is refused here with `Untraceable`, and the recorder gives up that
trace (the step then runs eagerly):

- a decision on values: `bool()`, `.item()`, `float()` of a traced value (an op whose formula
  branches on its data, as `prod`'s on zeros, or `max`'s on nans);
- a value leaving numpy's dispatch: `np.asarray(traced)`, or any numpy call that does not hand
  the operation back;
- an ndarray method or numpy function the tracer does not know.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# The kinds of nodes. An INPUT is read from the caller's tensors (or an optimizer's settings) at
# every call; a CONSTANT is the same at every call; a KERNEL is one numpy computation, a statement
# of its own; a VIEW is a new look at memory (x.T, x.reshape(...)), written inline where it is
# used; a WRITE changes the array of its first argument in place.
INPUT, CONSTANT, KERNEL, VIEW, WRITE = "input", "constant", "kernel", "view", "write"
EXPRESSION = "expression"  # the `op` of a view that is an arithmetic expression (lr / (1 - b))


class Untraceable(Exception):
    """A computation the generated code could not repeat: the trace is given up."""


class Node:
    """One value of the traced step, and how the generated code computes it."""

    __slots__ = ("kind", "template", "args", "value", "comment", "hint", "section", "source",
                 "op", "errstate")  # fmt: skip

    def __init__(self, kind: str, template: str, args: tuple = (), value: Any = None,
                 comment: str = "", hint: str | None = None, op: Any = None) -> None:  # fmt: skip
        self.kind, self.template, self.args, self.value = kind, template, args, value
        self.comment, self.hint = comment, hint
        self.section = ""  # forward, backward, update: set by the recorder
        self.source: Any = None  # for an INPUT: where the value comes from at each call
        self.op = op  # the numpy ufunc, function or method name that computes it
        self.errstate: dict | None = None  # numpy's error handling it ran under, if not the
        # step's own (an op's formula keeps numpy quiet where it leaves its domain: 1/0, log 0)

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.template!r}, {len(self.args)} args)"


# The recorder of the trace in progress (recorder.py), which Traced values report to: `add(node)`
# notes a new node in program order; `constant(array)` and `written_array(array)` give the node of
# a plain array met inside a formula (an array the formula made for itself, or a constant).
current: Any = None


def operand_source(value: Any, args: list[Node]) -> str:
    """`value` as source text for a template; its array parts become `{i}` of `args`."""
    if isinstance(value, (Traced, TracedNumber)):
        args.append(value.node)
        return f"{{{len(args) - 1}}}"
    if isinstance(value, np.ndarray):
        args.append(current.constant(value))
        return f"{{{len(args) - 1}}}"
    if isinstance(value, tuple):  # (numpy's integers inside a shape or axes read as ints)
        items = [str(int(v)) if isinstance(v, np.integer) else operand_source(v, args)
                 for v in value]  # fmt: skip
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(operand_source(v, args) for v in value) + "]"
    return literal(value)


def literal(value: Any) -> str:
    """A Python value that is not an array, as source text (braces doubled for str.format)."""
    if value is None or value is Ellipsis or isinstance(value, (bool, int, str)):
        text = "..." if value is Ellipsis else repr(value)
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) else _special(value)
    elif isinstance(value, np.generic):
        text = repr(value)  # np.float32(0.5): numpy 2 writes its scalars as code
    elif isinstance(value, np.dtype):
        text = f"np.{value.name}"
    elif isinstance(value, type) and issubclass(value, (np.generic, bool, int, float)):
        text = f"np.{np.dtype(value).name}" if issubclass(value, np.generic) else value.__name__
    elif isinstance(value, slice):
        text = f"slice({literal(value.start)}, {literal(value.stop)}, {literal(value.step)})"
    elif isinstance(value, range):
        text = repr(value)
    else:
        raise Untraceable(f"a value of type {type(value).__name__} cannot be written as code")
    return text.replace("{", "{{").replace("}", "}}")


def _special(x: float) -> str:
    return "np.nan" if math.isnan(x) else ("np.inf" if x > 0 else "-np.inf")


def index_source(key: Any, args: list[Node]) -> str:
    """An index `key` as it is written between brackets: `:, 0`, `..., None`, `1:3`."""
    if isinstance(key, tuple):
        return ", ".join(index_source(k, args) for k in key) if key else "()"
    if isinstance(key, slice):
        parts = ["" if v is None else operand_source(v, args)
                 for v in (key.start, key.stop, key.step)]  # fmt: skip
        return ":".join(parts[:2]) + (f":{parts[2]}" if parts[2] else "")
    return operand_source(key, args)


def unwrap(value: Any) -> Any:
    """The real values inside `value` (Traced values replaced by what they hold)."""
    if isinstance(value, (Traced, TracedNumber)):
        return value.value
    if isinstance(value, (tuple, list)):
        return type(value)(unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    return value


def record(kind: str, template: str, args: list[Node], value: Any, op: Any = None) -> Traced:
    """Note a new node and hand back its Traced value."""
    return Traced(current.add(Node(kind, template, tuple(args), value, op=op)), value)


# ufuncs with an operator: `np.add(a, b)` is written `a + b` (the same kernel).
BINARY = {
    np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/", np.power: "**",
    np.matmul: "@", np.floor_divide: "//", np.remainder: "%", np.less: "<",
    np.less_equal: "<=", np.greater: ">", np.greater_equal: ">=", np.equal: "==",
    np.not_equal: "!=", np.bitwise_and: "&", np.bitwise_or: "|", np.bitwise_xor: "^",
}  # fmt: skip
UNARY = {np.negative: "-", np.invert: "~", np.positive: "+"}
# Reductions written as the ndarray method that runs the same reduction (`x.sum(axis=0)` runs
# np.add.reduce).
REDUCTIONS = {np.add: "sum", np.multiply: "prod", np.maximum: "max", np.minimum: "min",
              np.logical_or: "any", np.logical_and: "all"}  # fmt: skip
# numpy functions whose result looks at its argument's memory instead of copying it.
VIEW_FUNCTIONS = {np.broadcast_to, np.transpose, np.reshape, np.squeeze, np.expand_dims,
                  np.swapaxes, np.moveaxis, np.flip, np.ravel, np.atleast_1d, np.atleast_2d}
# numpy functions that write into their first argument.
WRITING_FUNCTIONS = {np.copyto, np.put_along_axis, np.putmask, np.place, np.put}


def ufunc_call(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """Run and note a ufunc: `np.add(a, b)`, `np.add.reduce(a, axis)`, `np.add.at(a, key, b)`."""
    out = kwargs.get("out")
    if method == "at":
        return write_call(f"np.{ufunc.__name__}.at", ufunc.at, inputs, {})
    if out is not None:
        return _ufunc_into(ufunc, method, inputs, kwargs, out)
    value = getattr(ufunc, method)(*unwrap(inputs), **unwrap(kwargs))
    args: list[Node] = []
    operands = [operand_source(x, args) for x in inputs]
    if method == "__call__" and not kwargs and ufunc in BINARY and len(operands) == 2:
        template = f"{operands[0]} {BINARY[ufunc]} {operands[1]}"
    elif method == "__call__" and not kwargs and ufunc in UNARY:
        template = f"{UNARY[ufunc]}{operands[0]}"
    elif method == "reduce" and ufunc in REDUCTIONS and isinstance(unwrap(inputs[0]), np.ndarray):
        options = _call_arguments([], _every_axis(kwargs, unwrap(inputs[0])), args)
        template = f"{operands[0]}.{REDUCTIONS[ufunc]}({options})"
    else:
        name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
        template = f"{name}({_call_arguments(operands, kwargs, args)})"
    return record(KERNEL, template, args, value, op=(ufunc, method))


def _ufunc_into(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict, out: tuple) -> Any:
    """A ufunc with `out=`: a write into its output array (`a -= b` is np.subtract(a, b, out=a))."""
    if method != "__call__" or len(out) != 1:
        raise Untraceable(f"np.{ufunc.__name__}.{method} with several outputs")
    rest = {k: v for k, v in kwargs.items() if k != "out"}
    target = out[0]
    args = [target_node(target)]
    if (ufunc in BINARY and len(inputs) == 2 and inputs[0] is target and args[0].kind != VIEW
            and rest in ({}, {"casting": "same_kind"})):  # fmt: skip
        template = "{0} " + BINARY[ufunc] + "= " + operand_source(inputs[1], args)
    else:
        operands = [operand_source(x, args) for x in inputs]
        template = f"np.{ufunc.__name__}({_call_arguments(operands, rest, args)}, out={{0}})"
    return write(target, lambda into: ufunc(*unwrap(inputs), out=into, **unwrap(rest)),
                 template, args)


def write_call(name: str, fn: Any, inputs: tuple, kwargs: dict) -> Any:
    """A numpy call that writes into its first argument: np.copyto(a, b), np.add.at(a, key, b)."""
    target, rest = inputs[0], inputs[1:]
    args = [target_node(target)]
    operands = ["{0}"] + [operand_source(x, args) for x in rest]
    template = f"{name}({_call_arguments(operands, kwargs, args)})"
    if fn is np.copyto and isinstance(unwrap(rest[0]), (int, float, bool, np.generic)) and (
            kwargs in ({}, {"casting": "unsafe"})):  # fill_ and zero_: an assignment  # fmt: skip
        template = f"{{0}}[...] = {operands[1]}"
    return write(target, lambda into: fn(into, *unwrap(rest), **unwrap(kwargs)), template, args)


def target_node(target: Any) -> Node:
    """The node of an array about to be written into."""
    if isinstance(target, Traced):
        return target.node
    if isinstance(target, np.ndarray):
        return current.written_array(target)
    raise Untraceable(f"a write into a {type(target).__name__}")


def write(target: Any, run: Any, template: str, args: list[Node]) -> Any:
    """Note that `run(array)` writes into `target`'s array (the node `args[0]`), and do it.

    A Traced target's value may be an array of the step being traced (a parameter): the write
    goes into a copy of it, so that the eager step, which writes for itself, is not changed
    twice. A plain array target is one a formula made for itself (np.zeros(...)): it is written
    directly, since the formula goes on to read it.
    """
    into = np.array(target.value, copy=True) if isinstance(target, Traced) else target
    result = run(into)
    current.add(Node(WRITE, template, tuple(args), into, op=run))
    if isinstance(target, Traced):
        target.value = into
        return target if result is into or result is None else result
    return result


# Keyword arguments are written in this order, and left out when they have these defaults.
ORDER = ("axis", "dtype", "out", "keepdims")
DEFAULTS = {"keepdims": False, "dtype": None, "out": None, "casting": "same_kind"}


def _call_arguments(operands: list[str], kwargs: dict, args: list[Node]) -> str:
    names = sorted(kwargs, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    if "axis" in kwargs:
        kwargs = {**kwargs, "axis": _axis(kwargs["axis"])}
    options = [f"{k}={operand_source(kwargs[k], args)}" for k in names
               if k != "out" and not (k in DEFAULTS and _is(kwargs[k], DEFAULTS[k]))]
    return ", ".join(operands + options)


def _axis(axis: Any) -> Any:
    """An axis argument as plainly as numpy reads it the same way: (0,) is 0. (The one reduced
    over every axis is written without one: see _reduction_call.)"""
    if isinstance(axis, tuple) and len(axis) == 1 and isinstance(axis[0], (int, np.integer)):
        return int(axis[0])
    return axis


def _every_axis(kwargs: dict, value: Any) -> dict:
    # numpy reads axis=None and a tuple of all the axes as the same reduction (the same flags,
    # the same loop), so the shorter and faster form gives the same bits.
    axis, ndim = kwargs.get("axis"), np.ndim(value)
    if isinstance(axis, tuple) and ndim and sorted(int(a) for a in axis) == list(range(ndim)):
        return {k: v for k, v in kwargs.items() if k != "axis"}
    return kwargs


def _is(value: Any, default: Any) -> bool:
    return type(value) is type(default) and value == default


def function_call(func: Any, call_args: tuple, kwargs: dict) -> Any:
    """Run and note a numpy function that handed the call to a Traced argument (NEP 18)."""
    name = getattr(func, "__name__", "?")
    if getattr(np, name, None) is not func:
        raise Untraceable(f"{getattr(func, '__module__', '')}.{name} is not in numpy's namespace")
    if func in WRITING_FUNCTIONS:
        return write_call(f"np.{name}", func, call_args, kwargs)
    value = func(*unwrap(call_args), **unwrap(kwargs))
    if isinstance(value, (tuple, list)):
        raise Untraceable(f"np.{name} returns several arrays")
    args: list[Node] = []
    operands = [operand_source(x, args) for x in call_args]
    kind = VIEW if func in VIEW_FUNCTIONS else KERNEL
    template = f"np.{name}({_call_arguments(operands, kwargs, args)})"
    return record(kind, template, args, value, op=func)


def method_call(self: Traced, name: str, call_args: tuple, kwargs: dict, kind: str) -> Traced:
    """Run and note `self.name(*call_args, **kwargs)`, an ndarray method."""
    value = getattr(self.value, name)(*unwrap(call_args), **unwrap(kwargs))
    args: list[Node] = [self.node]
    operands = [operand_source(x, args) for x in call_args]
    template = f"{{0}}.{name}({_call_arguments(operands, kwargs, args)})"
    return record(kind, template, args, value, op=name)


class Traced:
    """A value of the step being traced: `value` (real numbers) and `node` (how to compute it)."""

    __slots__ = ("node", "value")
    __array_priority__ = 1000  # ndarray ⊗ Traced hands the operation to the Traced

    def __init__(self, node: Node, value: Any) -> None:
        self.node, self.value = node, value

    # --- numpy's two dispatch protocols ---

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return ufunc_call(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        return function_call(func, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise Untraceable("a traced value was turned into a plain array (np.asarray, or an "
                          "assignment into an array), which the trace cannot follow")

    # --- what numpy code asks of an array ---

    shape = property(lambda self: np.shape(self.value))
    dtype = property(lambda self: np.result_type(self.value))
    ndim = property(lambda self: np.ndim(self.value))
    size = property(lambda self: np.size(self.value))
    strides = property(lambda self: self.value.strides)

    def __len__(self) -> int:
        return len(self.value)

    def _decides(self, what: str) -> Any:
        raise Untraceable(f"{what} of a traced value: a decision on the values of the arrays, "
                          "which would be fixed at the values of the first call")

    def __bool__(self) -> bool:
        return self._decides("bool()")

    def __float__(self) -> float:
        return self._decides("float()")

    def __int__(self) -> int:
        return self._decides("int()")

    def __index__(self) -> int:
        return self._decides("an index")

    def item(self, *args: Any) -> Any:
        """Refused: a Python number read from a traced value."""
        return self._decides(".item()")

    def tolist(self) -> Any:
        """Refused: Python numbers read from a traced value."""
        return self._decides(".tolist()")

    def __iter__(self) -> Any:
        raise Untraceable("iteration over a traced value")

    # --- operators: numpy's ufuncs, so that they are recorded as `__array_ufunc__` calls ---

    def __add__(self, o: Any) -> Any:
        return np.add(self, o)

    def __radd__(self, o: Any) -> Any:
        return np.add(o, self)

    def __sub__(self, o: Any) -> Any:
        return np.subtract(self, o)

    def __rsub__(self, o: Any) -> Any:
        return np.subtract(o, self)

    def __mul__(self, o: Any) -> Any:
        return np.multiply(self, o)

    def __rmul__(self, o: Any) -> Any:
        return np.multiply(o, self)

    def __truediv__(self, o: Any) -> Any:
        return np.true_divide(self, o)

    def __rtruediv__(self, o: Any) -> Any:
        return np.true_divide(o, self)

    def __pow__(self, o: Any) -> Any:
        return np.power(self, o)

    def __rpow__(self, o: Any) -> Any:
        return np.power(o, self)

    def __matmul__(self, o: Any) -> Any:
        return np.matmul(self, o)

    def __rmatmul__(self, o: Any) -> Any:
        return np.matmul(o, self)

    def __floordiv__(self, o: Any) -> Any:
        return np.floor_divide(self, o)

    def __mod__(self, o: Any) -> Any:
        return np.remainder(self, o)

    def __neg__(self) -> Any:
        return np.negative(self)

    def __abs__(self) -> Any:
        return np.absolute(self)

    def __invert__(self) -> Any:
        return np.invert(self)

    def __and__(self, o: Any) -> Any:
        return np.bitwise_and(self, o)

    def __or__(self, o: Any) -> Any:
        return np.bitwise_or(self, o)

    def __xor__(self, o: Any) -> Any:
        return np.bitwise_xor(self, o)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __lt__(self, o: Any) -> Any:
        return np.less(self, o)

    def __le__(self, o: Any) -> Any:
        return np.less_equal(self, o)

    def __gt__(self, o: Any) -> Any:
        return np.greater(self, o)

    def __ge__(self, o: Any) -> Any:
        return np.greater_equal(self, o)

    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return np.equal(self, o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return np.not_equal(self, o)

    __hash__ = None  # type: ignore[assignment]

    def __iadd__(self, o: Any) -> Any:
        return np.add(self, o, out=(self,))

    def __isub__(self, o: Any) -> Any:
        return np.subtract(self, o, out=(self,))

    def __imul__(self, o: Any) -> Any:
        return np.multiply(self, o, out=(self,))

    def __itruediv__(self, o: Any) -> Any:
        return np.true_divide(self, o, out=(self,))

    # --- indexing ---

    def __getitem__(self, key: Any) -> Traced:
        value = self.value[unwrap(key)]
        args: list[Node] = [self.node]
        text = index_source(key, args)
        basic = all(isinstance(k, (int, slice, type(None), type(Ellipsis)))
                    for k in (key if isinstance(key, tuple) else (key,)))  # fmt: skip
        return record(VIEW if basic else KERNEL, "{0}[" + text + "]", args, value)

    def __setitem__(self, key: Any, values: Any) -> None:
        real_key, real_values = unwrap(key), unwrap(values)

        def run(into: np.ndarray) -> None:
            into[real_key] = real_values

        args = [self.node]
        text = index_source(key, args)
        write(self, run, "{0}[" + text + "] = " + operand_source(values, args), args)

    # --- the ndarray methods the formulas use ---

    @property
    def T(self) -> Traced:  # noqa: N802 - numpy's name
        """The transpose, as a view."""
        return record(VIEW, "{0}.T", [self.node], self.value.T)

    def reshape(self, *shape: Any, **kwargs: Any) -> Traced:
        """A view with another shape."""
        return method_call(self, "reshape", shape, kwargs, VIEW)

    def transpose(self, *axes: Any) -> Traced:
        """A view with the axes reordered."""
        return method_call(self, "transpose", axes, {}, VIEW)

    def swapaxes(self, a: int, b: int) -> Traced:
        """A view with two axes swapped."""
        return method_call(self, "swapaxes", (a, b), {}, VIEW)

    def astype(self, dtype: Any, copy: bool = True) -> Traced:
        """The values in another dtype (a view when nothing changes and copy=False)."""
        same = np.dtype(dtype) == self.dtype
        kind = VIEW if same and not copy else KERNEL
        return method_call(self, "astype", (dtype,), {} if copy else {"copy": False}, kind)

    def copy(self) -> Traced:
        """A copy in memory of its own."""
        return method_call(self, "copy", (), {}, KERNEL)

    def dot(self, other: Any) -> Traced:
        """The matrix product (ndarray.dot)."""
        return method_call(self, "dot", (other,), {}, KERNEL)

    def clip(self, *args: Any, **kwargs: Any) -> Traced:
        """The values limited to a range."""
        return method_call(self, "clip", args, kwargs, KERNEL)

    def _reduction(self, name: str, args: tuple, kwargs: dict) -> Traced:
        if args:  # sum(axis, ...) given by position: by name, as numpy's own methods take it
            kwargs = {"axis": args[0], **kwargs}
            args = args[1:]
        kwargs = _every_axis(kwargs, self.value) if name in REDUCTIONS.values() else kwargs
        return method_call(self, name, args, kwargs, KERNEL)

    def sum(self, *args: Any, **kwargs: Any) -> Traced:
        """The sum (over axes)."""
        return self._reduction("sum", args, kwargs)

    def prod(self, *args: Any, **kwargs: Any) -> Traced:
        """The product (over axes)."""
        return self._reduction("prod", args, kwargs)

    def max(self, *args: Any, **kwargs: Any) -> Traced:
        """The largest element (over axes)."""
        return self._reduction("max", args, kwargs)

    def min(self, *args: Any, **kwargs: Any) -> Traced:
        """The smallest element (over axes)."""
        return self._reduction("min", args, kwargs)

    def mean(self, *args: Any, **kwargs: Any) -> Traced:
        """The mean (over axes)."""
        return self._reduction("mean", args, kwargs)

    def any(self, *args: Any, **kwargs: Any) -> Traced:
        """Whether any element is true (over axes)."""
        return self._reduction("any", args, kwargs)

    def all(self, *args: Any, **kwargs: Any) -> Traced:
        """Whether every element is true (over axes)."""
        return self._reduction("all", args, kwargs)

    def cumsum(self, *args: Any, **kwargs: Any) -> Traced:
        """The running sum (along an axis)."""
        return self._reduction("cumsum", args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # numpy asking what protocols it has: none but the above
            raise AttributeError(name)
        raise Untraceable(f"the tracer does not know the ndarray attribute .{name}")

    def __repr__(self) -> str:
        return f"Traced({self.node.kind} {self.node.template!r}: {self.value!r})"


class TracedNumber:
    """A Python number read at every call (an optimizer's learning rate, its step count), and the
    Python arithmetic done with it: `lr / (1 - beta1 ** step)` becomes lines of the code.

    Its value stays a Python number, so that numpy treats it as PyTorch's optimizers' numbers are
    treated: cast to the array's dtype (`float32_array * lr` is float32).
    """

    __slots__ = ("node", "value")

    def __init__(self, node: Node, value: Any) -> None:
        self.node, self.value = node, value

    def _math(self, template: str, other: Any, value: Any = None) -> Any:
        # Python arithmetic costs no kernel: it is written inline where it is used (in
        # parentheses: EXPRESSION), or as a line of its own when it has a name (step_size).
        if isinstance(other, Traced):
            return NotImplemented  # a number and an array: the array's operator records it
        args = [self.node]
        text = template.replace("{other}", "" if other is None else operand_source(other, args))
        op = None if template.startswith("math.") else EXPRESSION
        return TracedNumber(current.add(Node(VIEW, text, tuple(args), value, op=op)), value)

    def __neg__(self) -> TracedNumber:
        return self._math("-{0}", None, -self.value)

    def __add__(self, o: Any) -> TracedNumber:
        return self._math("{0} + {other}", o, self.value + unwrap(o))

    def __radd__(self, o: Any) -> TracedNumber:
        return self._math("{other} + {0}", o, unwrap(o) + self.value)

    def __sub__(self, o: Any) -> TracedNumber:
        return self._math("{0} - {other}", o, self.value - unwrap(o))

    def __rsub__(self, o: Any) -> TracedNumber:
        return self._math("{other} - {0}", o, unwrap(o) - self.value)

    def __mul__(self, o: Any) -> TracedNumber:
        return self._math("{0} * {other}", o, self.value * unwrap(o))

    def __rmul__(self, o: Any) -> TracedNumber:
        return self._math("{other} * {0}", o, unwrap(o) * self.value)

    def __truediv__(self, o: Any) -> TracedNumber:
        return self._math("{0} / {other}", o, self.value / unwrap(o))

    def __rtruediv__(self, o: Any) -> TracedNumber:
        return self._math("{other} / {0}", o, unwrap(o) / self.value)

    def __pow__(self, o: Any) -> TracedNumber:
        return self._math("{0} ** {other}", o, self.value ** unwrap(o))

    def __rpow__(self, o: Any) -> TracedNumber:
        return self._math("{other} ** {0}", o, unwrap(o) ** self.value)

    def sqrt(self) -> TracedNumber:
        """math.sqrt of the number."""
        return self._math("math.sqrt({0})", None, math.sqrt(self.value))

    def __repr__(self) -> str:
        return f"TracedNumber({self.node.template!r}: {self.value!r})"
