"""From the recorded nodes to Python source: the passes of a small compiler, then the writing.

The recorder hands over the statements of one run (kernels, views and writes, in the order they
ran), the inputs and the outputs. Four passes make the code short, then it is written out:

1. **Constants are folded.** A kernel whose arrays are all constants has the same result at every
   call: that result, computed once while tracing, becomes a constant itself. (The gradient of a
   loss with respect to itself is 1; so is everything the backward computes from it alone.)
2. **Copies are dropped where nothing can tell.** The engine hands a parameter a copy of the
   gradient it computed, in case the same array went elsewhere too; when it did not, the copy is
   not needed and the kernel that computed the gradient is named after it (`w_grad`).
3. **Views that change nothing are dropped**: a reshape to the same shape, a cast to the same
   dtype, and a broadcast that the elementwise kernel using it would do anyway (`y_pred = t1 + b`
   for the seed's `x.mm(w) + b.expand_as(y)`). A constant that holds one number everywhere, used
   by an elementwise kernel, is written as that number (`0.5 * t3`).
4. **Dead code is removed**: a statement is kept only if an output or a change to an input
   (a parameter's update) depends on it. A write changes an array that views may share, so
   dependence is followed through views to the arrays they look at.

Every change keeps the numbers bit for bit: each kernel that remains is the call the eager step
made, on the same values. (The compiled step checks this on its first calls: see step.py.)
"""

from __future__ import annotations

import keyword
import math
from typing import Any

import numpy as np

from .traced import CONSTANT, EXPRESSION, INPUT, KERNEL, VIEW, WRITE, Node, literal

RESERVED = {"np", "math", "step", "CONSTANTS"}
# Arrays of this many bytes or more are deleted after their last use (`del t3`), so that a step
# on large data holds no more memory than it needs; smaller ones stay, for the code's sake.
FREE_FROM = 1 << 18
COMMENT_COLUMN = 44  # where the comments of the generated code start, when the line allows
SMALL = 16  # constants with at most this many elements are written out in the source


def base(node: Node) -> Node:
    """The node whose memory `node` looks at: itself, or what its views are views of."""
    while node.kind == VIEW and node.args:
        node = node.args[0]
    return node


class Program:
    """The straight-line numpy function of one traced step."""

    def __init__(self, statements: list[Node], inputs: list[Node], outputs: list[Node]) -> None:
        self.statements, self.inputs, self.outputs = statements, inputs, outputs
        self.written = {base(w.args[0]) for w in statements if w.kind == WRITE}
        self.replaced: dict[Node, Node] = {}  # a node dropped by a pass -> the one in its place
        for make_shorter in (self.fold_constants, self.drop_idle_views, self.drop_repeats,
                             self.drop_copies):  # fmt: skip
            make_shorter()
            self._settle()
        self.own_outputs()
        self.remove_dead_code()
        self.names = Names(self)

    # --- the passes ---

    def fold_constants(self) -> None:
        for node in self.statements:
            if node.kind in (KERNEL, VIEW) and base(node) not in self.written and all(
                    a.kind == CONSTANT and base(a) not in self.written for a in node.args):
                node.kind = CONSTANT  # its value is the one computed while tracing
        self.statements = [n for n in self.statements if n.kind != CONSTANT]

    def drop_copies(self) -> None:
        merged: set[Node] = set()
        outputs = set(self.outputs)
        for node in self.statements:
            self._resolve(node)
            if node.template not in ("{0}.copy()", "np.array({0})"):
                continue
            source = node.args[0]
            if (source.kind == KERNEL and source not in merged and source not in outputs
                    and not {source, node} & self.written
                    and same_layout(np.array(source.value), source.value)):  # fmt: skip
                merged.add(source)
                source.hint = node.hint or source.hint
                source.comment = f"{source.comment}, {node.comment}"
                self._replace(node, source)

    def drop_idle_views(self) -> None:
        for node in self.statements:
            self._resolve(node)
            if node.kind == VIEW and _changes_nothing(node):
                self._replace(node, node.args[0])
        self._settle()
        for node in self.statements:
            if node.kind == KERNEL and _elementwise(node):
                for i in range(len(node.args)):
                    node.args = node.args[:i] + (self._operand(node, i),) + node.args[i + 1:]

    def drop_repeats(self) -> None:
        """A kernel that repeats an earlier one on the same arrays computes the same values (the
        backward often recomputes what the forward had: 1 - z of a sigmoid): it is dropped. So
        is a multiplication by 1, which changes no bit."""
        seen: dict[tuple, Node] = {}
        for node in self.statements:
            self._resolve(node)
            if node.kind == WRITE:
                changed = base(node.args[0])
                seen = {k: n for k, n in seen.items()
                        if changed not in {base(a) for a in k[1]}}  # fmt: skip
            if node.kind not in (KERNEL, VIEW) or base(node) in self.written:
                continue
            same = self._times_one(node)
            key = (node.template, node.args)
            if same is None and key in seen:
                same = seen[key]
            if same is not None:
                self._replace(node, same)
            elif all(a.kind != VIEW or a.args for a in node.args):  # (literals are new nodes)
                seen[key] = node

    def _times_one(self, node: Node) -> Node | None:
        if node.kind != KERNEL or node.template != "{0} * {1}":
            return None
        for one, other in ((0, 1), (1, 0)):
            a, b = node.args[one], node.args[other]
            if (a.kind == VIEW and not a.args and a.template in ("1.0", "1")
                    and base(b) not in self.written and same_layout(b.value, node.value)):
                return b
        return None

    def _operand(self, node: Node, index: int) -> Node:
        # An operand written more simply, where the kernel's result is the same: the same
        # values (by numpy's broadcasting rules), and the same dtype and memory order.
        arg, ufunc = node.args[index], node.op[0]
        simpler = None
        if arg.kind == VIEW and arg.op is np.broadcast_to:  # the kernel would broadcast anyway
            simpler = arg.args[0]
        elif len(node.args) == 2 and arg not in self.written and node.args[1 - index].kind != (
                CONSTANT):  # fmt: skip
            number = _one_number(arg)
            if number is not None:  # the number, written in the code (a scalar: it broadcasts)
                simpler = Node(VIEW, number, value=np.asarray(arg.value).reshape(-1)[0])
        if simpler is None:
            return arg
        values = [simpler.value if i == index else a.value for i, a in enumerate(node.args)]
        if isinstance(simpler.value, np.generic):  # a number in the code is a Python number
            values[index] = simpler.value.item()
        with np.errstate(all="ignore"):
            again = ufunc(*values)
        return simpler if same_layout(again, node.value) else arg

    def _replace(self, old: Node, new: Node) -> None:
        # Recorded here, done by _resolve as the pass goes on and by _settle after it.
        new.hint = new.hint or old.hint
        self.replaced[old] = new

    def _final(self, node: Node) -> Node:
        while node in self.replaced:
            node = self.replaced[node]
        return node

    def _resolve(self, node: Node) -> None:
        node.args = tuple(self._final(a) for a in node.args)

    def _settle(self) -> None:
        self.statements = [n for n in self.statements if n not in self.replaced]
        for node in self.statements:
            self._resolve(node)
        self.outputs = [self._final(o) for o in self.outputs]

    def own_outputs(self) -> None:
        # What the function returns becomes the caller's (a tensor's .grad, say): it must be an
        # array of its own, not a constant shared by every call, an input, or another output.
        seen: set[Node] = set()
        for i, node in enumerate(self.outputs):
            if node.op == "asarray":  # (the code that calls the function makes arrays itself)
                node.args[0].hint = node.args[0].hint or node.hint
                self.outputs[i] = node = node.args[0]
            if node.kind != KERNEL or node in seen:
                copy = Node(KERNEL, "np.array({0})", (node,), node.value,
                            comment="a copy to return", hint=node.hint)  # fmt: skip
                copy.section = self.statements[-1].section if self.statements else "forward"
                self.statements.append(copy)
                self.outputs[i] = copy
            seen.add(self.outputs[i])

    def remove_dead_code(self) -> None:
        needed = set(self.outputs)
        needed_memory = {base(o) for o in self.outputs}
        live = []
        for node in reversed(self.statements):
            if node.kind == WRITE:
                memory = base(node.args[0])
                keep = memory.kind == INPUT or memory in needed_memory
            else:
                keep = node in needed
            if keep:
                live.append(node)
                needed.update(node.args)
                needed_memory.update(base(a) for a in node.args)
        self.statements = live[::-1]
        used = {a for n in self.statements for a in n.args} | set(self.outputs)
        self.inputs = [n for n in self.inputs if n.kind == INPUT and n in used]

    # --- writing ---

    def source(self, name: str = "step") -> str:
        """The Python source of the module: its constants, then the function."""
        names = self.names
        lines = ["import numpy as np", ""]
        for node in names.module_constants:
            code, note = constant_source(node.value, names.index[node])
            lines.append(_with_comment(f"{names[node]} = {code}", note))
        if names.module_constants:
            lines.append("")
        lines.append(f"def {name}({', '.join(names[n] for n in self.inputs)}):")
        section, made, quiet = None, set(names.module_constants), None
        freed = self.frees()
        for node in self.statements:
            if node.kind == VIEW and node not in names:  # written inline where it is used
                continue
            if node.section != section:
                section, quiet = node.section, None
                lines.append(f"    # {section}")
            if node.errstate != quiet:
                quiet = node.errstate
                if quiet is not None:  # numpy's error handling as the op's formula set it
                    lines.append(f"    with np.errstate({_keywords(quiet)}):")
            indent = "    " if quiet is None else "        "
            for arg in node.args:
                if arg.kind == CONSTANT and arg not in made:  # changed in place: made afresh
                    made.add(arg)
                    code = fresh_source(arg, node, names.index[arg])
                    lines.append(_with_comment(f"{indent}{names[arg]} = {code}",
                                               "a new array, written into below"))
            code = self.filled(node)
            code = code if node.kind == WRITE else f"{names[node]} = {code}"
            lines.append(_with_comment(indent + code, node.comment))
            if freed.get(node):
                lines.append(f"{indent}del {', '.join(names[n] for n in freed[node])}")
        if self.outputs:
            lines.append(f"    return {', '.join(self.reference(o) for o in self.outputs)}")
        if any("math." in line for line in lines):
            lines[:0] = ["import math", ""]
        return "\n".join(lines) + "\n"

    def frees(self) -> dict[Node, list[Node]]:
        """For each statement, the large arrays it uses for the last time (see FREE_FROM)."""
        last: dict[Node, Node] = {}
        for node in self.statements:
            todo = list(node.args)
            while todo:  # the arrays it reads, views followed to what they look at
                arg = todo.pop()
                if arg.kind == VIEW:
                    todo += arg.args
                elif arg.kind == KERNEL:
                    last[arg] = node
        freed: dict[Node, list[Node]] = {}
        for array, node in last.items():
            if np.asarray(array.value).nbytes >= FREE_FROM and array not in self.outputs:
                freed.setdefault(node, []).append(array)
        return freed

    def reference(self, node: Node) -> str:
        """How the code refers to `node`: its name; an unnamed view is written out where it is
        used."""
        return self.names[node] if node in self.names else self.filled(node)

    def filled(self, node: Node) -> str:
        """The node's template with its arguments filled in (in parentheses where Python's
        precedence asks for them: (1 - beta1) * g, (-x).T)."""
        parts = []
        for i, arg in enumerate(node.args):
            text = self.reference(arg)
            before, after = node.template.split(f"{{{i}}}", 1)
            if arg not in self.names and _binds_looser(text, arg, before, after):
                text = f"({text})"
            parts.append(text)
        return node.template.format(*parts)


class Names:
    """The variable name of each input, constant and kernel of a program."""

    def __init__(self, program: Program) -> None:
        self.names: dict[Node, str] = {}
        self.taken: set[str] = set(RESERVED)
        self.counts: dict[str, int] = {}
        used = {a for n in program.statements for a in n.args} | set(program.outputs)
        for node in program.inputs:
            self._name(node, node.hint, "a")
        self.constants = [a for a in _in_order(program, used) if a.kind == CONSTANT]
        self.index = {c: i for i, c in enumerate(self.constants)}  # (CONSTANTS[i] in the code)
        self.module_constants = [c for c in self.constants if base(c) not in program.written]
        for c in self.constants:
            self._name(c, None, "c")
        depth: dict[Node, int] = {}  # how many views deep a view written inline is
        for node in program.statements:
            if node.kind == VIEW:
                depth[node] = 1 + max((depth.get(a, 0) for a in node.args), default=0)
            # A view with a name of its own gets a line (y_pred = x.T), and so does one nested
            # too deep to be read inline (which keeps the writing of the code shallow, too).
            if node.kind == KERNEL or node.kind == VIEW and (node.hint or depth[node] > 3):
                self._name(node, node.hint, "t")
                depth[node] = 0

    def _name(self, node: Node, hint: str | None, prefix: str) -> None:
        name = _identifier(hint) if hint else None
        if name is None:
            name = self._next(prefix, "")
        elif name in self.taken:
            name = self._next(name, "_")
        self.names[node] = name
        self.taken.add(name)

    def _next(self, stem: str, joint: str) -> str:
        k = self.counts.get(stem, 1 if joint else 0)
        while True:
            k += 1
            if f"{stem}{joint}{k}" not in self.taken:
                self.counts[stem] = k
                return f"{stem}{joint}{k}"

    def __getitem__(self, node: Node) -> str:
        return self.names[node]

    def constant_values(self) -> list[Any]:
        return [c.value for c in self.constants]

    def __contains__(self, node: Node) -> bool:
        return node in self.names


PRECEDENCE = {"**": 4, "*": 3, "/": 3, "//": 3, "%": 3, "@": 3, "+": 2, "-": 2}


def _binds_looser(text: str, arg: Node, before: str, after: str) -> bool:
    """Whether `text`, put between `before` and `after`, needs parentheses to stay one operand."""
    if arg.op == EXPRESSION and arg.template.startswith("-"):
        own = 3.5  # unary minus: tighter than *, looser than ** and than .attribute
    elif arg.op == EXPRESSION:
        own = PRECEDENCE[arg.template.split()[1]]
    elif text.startswith("-"):
        own = 3.5  # a negative number
    else:
        return False  # a name, a call, an attribute, an index: an atom
    if after[:1] in (".", "["):
        return True
    left = before.split()[-1] if before.strip() else ""
    right = after.split()[0] if after.strip() else ""
    outer = max(PRECEDENCE.get(left, 0), PRECEDENCE.get(right, 0))
    if right == "**" or left == "**" and own < 4:
        return True
    return own < outer or own == outer and left in ("-", "/", "//", "%")


def same_layout(a: Any, b: Any) -> bool:
    """The same kind of value, shape, dtype and memory order: where the values are equal too,
    interchangeable in any kernel that follows (a sum adds up in memory order). (Numpy scalars
    have no memory order; dimensions of size 1 have no order to keep.)"""
    if type(a) is not type(b) or np.shape(a) != np.shape(b):
        return False
    if np.asarray(a).dtype != np.asarray(b).dtype:
        return False
    return not isinstance(a, np.ndarray) or all(
        sa == sb for n, sa, sb in zip(a.shape, a.strides, b.strides) if n > 1)  # fmt: skip


def _in_order(program: Program, used: set[Node]) -> list[Node]:
    seen: dict[Node, None] = {}  # (a dict keeps the order in which they come)
    for node in program.statements:
        for a in node.args:
            if a in used:
                seen.setdefault(a)
    for o in program.outputs:
        seen.setdefault(o)
    return list(seen)


def _identifier(hint: str) -> str | None:
    text = "".join(c if c.isalnum() or c == "_" else "_" for c in hint).strip("_")
    if not text:
        return None
    if text[0].isdigit():
        text = "p" + text
    return text + "_" if keyword.iskeyword(text) or text in RESERVED else text


def _keywords(options: dict[str, str]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in sorted(options.items()))


def _with_comment(code: str, comment: str) -> str:
    if not comment:
        return code
    return f"{code.ljust(COMMENT_COLUMN - 1)} # {comment}"


def _changes_nothing(node: Node) -> bool:
    """A reshape or broadcast to the shape it already had, a cast to the dtype it already had."""
    source = node.args[0].value
    same = np.shape(node.value) == np.shape(source) and (
        np.result_type(node.value) == np.result_type(source))  # fmt: skip
    return same and (node.op in ("reshape", "astype") or node.op is np.broadcast_to)


def _elementwise(node: Node) -> bool:
    """An elementwise ufunc whose operands are all nodes (`a + b`, `np.maximum(a, b)`)."""
    op = node.op
    return (isinstance(op, tuple) and isinstance(op[0], np.ufunc) and op[1] == "__call__"
            and op[0].signature is None and len(node.args) == op[0].nin
            and node.template.count("{") == op[0].nin and "=" not in node.template)  # fmt: skip


def _one_number(node: Node) -> str | None:
    """If `node` is a constant holding one number everywhere, that number as source text."""
    if node.kind != CONSTANT:
        return None
    values = np.asarray(node.value)
    if values.size == 0 or values.dtype.kind not in "biuf":
        return None
    first = values.reshape(-1)[0]
    if not np.all(values == first) or np.isnan(first):
        return None
    if values.dtype.kind == "f":
        return literal(float(str(first))) if math.isfinite(first) else literal(float(first))
    return literal(first.item())


def constant_source(value: Any, index: int) -> tuple[str, str]:
    """A constant as source, and a note: written out when small, else taken from CONSTANTS."""
    array = np.asarray(value)
    dtype = f"np.{array.dtype.name}"
    if isinstance(value, np.generic):
        return repr(value), ""
    if array.size == 0:
        return f"np.zeros({array.shape}, dtype={dtype})", ""
    if array.size <= SMALL and (array.flags.c_contiguous or array.flags.f_contiguous):
        order = "" if array.flags.c_contiguous else ', order="F"'  # (its memory order kept)
        return f"np.array({_elements(array)}, dtype={dtype}{order})", ""
    number = _one_number(Node(CONSTANT, "", (), array))
    if number is not None and (array.flags.c_contiguous or array.flags.f_contiguous):
        order = "" if array.flags.c_contiguous else ', order="F"'
        return f"np.full({array.shape}, {number}, dtype={dtype}{order})", ""
    return f"CONSTANTS[{index}]", f"{array.dtype} array of shape {array.shape}, from the trace"


def _elements(array: np.ndarray) -> str:
    if array.ndim == 0:
        return _element(array.item(), array.dtype)
    return "[" + ", ".join(_elements(a) for a in array) + "]"


def _element(x: Any, dtype: np.dtype) -> str:
    if dtype.kind == "f":
        x = dtype.type(x)
        return str(x) if np.isfinite(x) else ("np.nan" if np.isnan(x) else
                                               ("np.inf" if x > 0 else "-np.inf"))
    return repr(x)


def fresh_source(node: Node, first_use: Node, index: int) -> str:
    """A constant that the code writes into, made afresh at each call."""
    array = np.asarray(node.value)
    dtype = f"np.{array.dtype.name}"
    if (first_use.kind == WRITE and first_use.args[0] is node
            and first_use.template.startswith("np.copyto({0}, ") and "where=" not in
            first_use.template):  # fmt: skip
        return f"np.empty({array.shape}, dtype={dtype})"  # every element is written below
    number = _one_number(node)
    if number in ("0", "0.0", "False"):
        return f"np.zeros({array.shape}, dtype={dtype})"
    if number is not None:
        return f"np.full({array.shape}, {number}, dtype={dtype})"
    return f"np.array({constant_source(array, index)[0]})"  # (a copy in its memory order)
