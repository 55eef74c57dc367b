"""`graph_text`: the computation graph as an indented tree, for a terminal (no Graphviz needed).

The tree starts at the output; under each op's result come the op's inputs, in argument order,
each marked with the name the op's rule gives it, (a) and (b), where there are several:

    loss = sum(all dims) -> () float32
    └── mul -> (4, 1) float32
        ├── (a) 0.5: constant () float32
        └── (b) pow(p = 2) -> (4, 1) float32
            ...

A tensor used in two places (a diamond in the graph) is printed in full once, tagged `[#1]`; the
other places say `see [#1]`, so shared subgraphs do not multiply. A very deep graph (a chain of
10,000 ops) would indent itself off the screen: past `max_depth` levels the subtree gets a tag
and is printed as its own section further down, starting again at the left margin. The walk uses
an explicit stack.
"""

from __future__ import annotations

from typing import Any

from ..core.tensor import Tensor
from .draw import input_roles, tensor_title
from .format import describe_array, format_shape, op_detail
from .model import TensorNode, build_model


def _line(t: TensorNode, show_grad: bool) -> str:
    what = f"{format_shape(t.shape)} {t.dtype}"
    if t.is_leaf:
        title = tensor_title(t)
        head = f"{title}: {t.kind}" if title and title != t.kind else t.kind
        text = f"{head} {what}"
    else:
        op = t.producer
        detail = op_detail(op.fn)
        call = f"{op.name}({detail})" if detail else op.name
        if op.backward_of is not None:
            call += f" [backward of {op.backward_of}]"
        text = f"{t.name} = {call} -> {what}" if t.name else f"{call} -> {what}"
    if show_grad and t.grad_expected:
        grad = t.grad
        text += "   grad: not computed yet" if grad is None else f"   grad {describe_array(grad)}"
    return text


def graph_text(root: Tensor, params: Any = None, show_grad: bool = False,
               max_depth: int = 24) -> str:  # fmt: skip
    """The graph that produced `root` as an indented tree of its ops and their inputs.

    Each line is a tensor: its name and role, or the op that made it, with its shape and dtype;
    the inputs of an op are marked (a), (b), ... in the order the op takes them. A result used
    twice is printed once and referred to by a tag.

    Args:
        root: the tensor whose graph is printed, usually the loss.
        params: the names of the tensors: a dict {name: tensor} or a Module, as in
            `draw_graph`; a tensor not named there shows its `.name`, if any.
        show_grad: add the parameters' gradients ("not computed yet" before backward()).
        max_depth: how deep the tree goes before a subtree is printed as a section of its own.

    Returns:
        The tree, one line per tensor.

    Examples:
        >>> w = tinygrad_lr.tensor(3.0, requires_grad=True)
        >>> loss = (w * 2.0 - 5.0) ** 2
        >>> print(graph_text(loss, params={"w": w}))
        pow(p = 2) -> () float32
        └── sub -> () float32
            ├── (a) mul -> () float32
            │   ├── (a) w: parameter () float32
            │   └── (b) 2: constant () float32
            └── (b) 5: constant () float32
    """
    if max_depth < 1:
        raise ValueError(f"max_depth must be at least 1, got {max_depth}")
    model = build_model(root, params)

    # An op result used more than once (a diamond's top) is shown in full only once, so it needs
    # a tag to be referred to. Leaves are one line each: they are simply repeated.
    tags: dict[TensorNode, str] = {}
    done: set[TensorNode] = set()  # printed, or waiting to be printed as its own section
    lines: list[str] = []

    def tag_of(t: TensorNode) -> str:
        if t not in tags:
            tags[t] = f"[#{len(tags) + 1}]"
        return tags[t]

    sections: list[TensorNode] = [model.root]  # subtrees printed from the left margin
    next_section = 0
    while next_section < len(sections):
        section_root = sections[next_section]
        next_section += 1
        if next_section > 1:
            lines.append("")
            lines.append(f"{tags[section_root]} continued:")
        # Stack entries: (tensor, prefix for its own line, prefix for its children, depth).
        stack: list[tuple[TensorNode, str, str, int]] = [(section_root, "", "", 0)]
        while stack:
            t, own_prefix, child_prefix, depth = stack.pop()
            if t.is_leaf:
                lines.append(own_prefix + _line(t, show_grad))
                continue
            if t in done and t is not section_root:
                lines.append(f"{own_prefix}see {tags[t]} ({t.name or t.producer.name})")
                continue
            done.add(t)
            if depth >= max_depth and t is not section_root:
                lines.append(f"{own_prefix}{_line(t, show_grad)}   ... continued in "
                             f"{tag_of(t)} below")  # fmt: skip
                sections.append(t)
                continue
            tag = f"   {tag_of(t)}" if len(t.consumers) > 1 or t in tags else ""
            lines.append(f"{own_prefix}{_line(t, show_grad)}{tag}")
            inputs = t.producer.inputs
            roles = input_roles(t.producer.name, len(inputs))
            children = []
            for i, child in enumerate(inputs):
                last = i == len(inputs) - 1
                branch, below = ("└── ", "    ") if last else ("├── ", "│   ")
                # The op's rule names its inputs (z = a * b; da = g * b): the same names here.
                role = f"({roles[i]}) " if len(inputs) > 1 else ""
                children.append((child, child_prefix + branch + role, child_prefix + below,
                                 depth + 1))  # fmt: skip
            stack.extend(reversed(children))
    return "\n".join(lines) + "\n"

