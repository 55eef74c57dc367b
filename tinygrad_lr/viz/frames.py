"""`backward_frames`: the backward pass drawn one step at a time, as PNG frames and a GIF.

Reverse mode visits the ops from the output back to the inputs. At each op it takes g, the
gradient of the loss with respect to the op's output, and applies the op's rule (its `formula`)
to get the gradient for each input. Each frame shows one such step: the op in red, the rule and
the numbers above the graph, the gradients flowing back along the op's input arrows, the ops
already done in green with a check mark, and on every tensor the gradient it has received so far.

The frames are recorded from the engine itself (`run_backward(..., watch=...)`), so what they
show is what `backward()` computes, not a re-enactment.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.engine import run_backward
from ..core.tensor import Tensor, initial_gradient
from .draw import (
    DEFAULT_MAX_NODES,
    GRAD,
    MONO,
    MUTED,
    Decorations,
    GraphvizNotFoundError,
    escape,
    font,
    input_roles,
    render_plan,
    tensor_title,
)
from .format import describe_array
from .model import CONSTANT, OUTPUT, TensorNode, build_model, plan_drawing


@dataclass
class BackwardFrames:
    """What `backward_frames` wrote: the PNG frames in order, the GIF, and each step in words."""

    frames: list[Path]
    gif: Path
    steps: list[str]  # "Backward step 1 of 7: sum   (the rule)   g = ...;  da = ...   (sent to …)"
    ops: list[str]  # the op of each step: "sum", "mul", ...


def _seed_gradient(root: Tensor, gradient: Any) -> np.ndarray:
    # The same rules as Tensor.backward: a one-element output starts from 1, anything else needs
    # the caller's dL/d(output).
    if not isinstance(root, Tensor):
        raise TypeError(f"backward_frames() expects a Tensor, got {type(root).__name__}")
    if root.grad_fn is None:
        raise RuntimeError(
            "backward_frames(): this tensor was not computed by recorded ops (it has no grad_fn), "
            "so there is no backward pass to show. Make a parameter with requires_grad=True and "
            "compute the output from it."
        )
    return initial_gradient(root, gradient, False, "backward_frames()")


def backward_frames(root: Tensor, out_dir: str | Path, gradient: Any = None,
                    retain_graph: bool = False, params: Any = None, rankdir: str = "TB",
                    max_nodes: int | None = None, show_data: bool = True, frame_ms: int = 1600,
                    gif_name: str = "backward.gif", max_frames: int = 100,
                    on_frame: Callable[[int, int], None] | None = None,
                    ) -> BackwardFrames:  # fmt: skip
    """Run the backward pass from `root` and draw each of its steps.

    Writes `step_01.png`, `step_02.png`, ... (one per op, in the order the engine runs them, all
    the same pixel size) and the animated `gif_name` into `out_dir` (created if needed). The
    tensors' values are shown too (`show_data`), so that each rule can be checked by hand;
    `max_nodes` folds big graphs as in `draw_graph`; each frame lasts `frame_ms` in the GIF.
    A graph of more than `max_frames` ops is refused (a ValueError, before anything runs): one
    picture per op is for graphs small enough to follow step by step. `on_frame(k, n)`, if
    given, is called before frame k of n is drawn (drawing is the slow part: a progress report).

    This IS the backward pass, not a replay: like `root.backward(gradient, retain_graph)`, it
    adds each parameter's gradient into its `.grad` (accumulating onto what is there) and frees
    the graph unless `retain_graph=True`. Call it instead of `backward()`, not after it. The
    frames show the gradients of this pass alone.

    Needs Graphviz's `dot`; it is checked for first, so a missing `dot` raises
    `GraphvizNotFoundError` before any gradient is touched.
    """
    seed = _seed_gradient(root, gradient)
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError("backward_frames() renders every frame with `dot`")
    model = build_model(root, params)
    if len(model.ops) > max_frames:
        raise ValueError(
            f"backward_frames(): this graph has {len(model.ops)} ops, and the walk-through draws "
            f"one picture per op; pass max_frames={len(model.ops)} if you really want them all, "
            "or draw the graph once with draw_graph()"
        )
    plan = plan_drawing(model, DEFAULT_MAX_NODES if max_nodes is None else max_nodes)

    events: list[tuple[Any, np.ndarray, tuple]] = []

    def record(node: Any, grad_out: np.ndarray, input_grads: tuple) -> None:
        # Copies: the engine may hand the same array on, and frames are drawn after it is done.
        # (A non-tensor argument of a Function you wrote has no place in the drawing: skipped.)
        events.append((node, np.array(grad_out),
                       tuple(None if g is None else np.array(g)
                             for inp, g in zip(node.inputs, input_grads) if inp is not None)))

    run_backward([root], [seed], retain_graph=retain_graph, watch=record)

    walk = _Walk(model, plan, events, seed)
    decorations, steps = zip(*(walk.frame(k) for k in range(len(events)))) if events else ((), ())
    pngs = _render(plan, list(decorations), rankdir, show_data, on_frame)
    frames, gif = _write(pngs, Path(out_dir), gif_name, frame_ms)
    return BackwardFrames(frames, gif, list(steps), [fn.name for fn, _g, _ig in events])


class _Walk:
    """The backward pass as recorded, turned into one frame's marks and words per step."""

    def __init__(self, model: Any, plan: Any, events: list[tuple[Any, np.ndarray, tuple]],
                 seed: np.ndarray) -> None:  # fmt: skip
        self.model, self.events = model, events
        self.group_of = {op: group for group in plan.groups for op in group.ops}
        self.edge_source = {(dst, pos): src for src, dst, pos, _t in plan.edges
                            if pos is not None}  # fmt: skip
        # Which tensors will receive a gradient in this pass, and from how many steps: a
        # tensor's gradient is final once every op that reads it has run.
        self.pending: dict[str, int] = {}
        for fn, _g, input_grads in events:
            for t, g in zip(model.op_of[fn].inputs, input_grads):
                if g is not None:
                    self.pending[t.key] = self.pending.get(t.key, 0) + 1
        self.received: dict[str, np.ndarray] = {model.root.key: seed}

    def _key(self, op: Any) -> str:
        return self.group_of[op].key if op in self.group_of else op.key

    def frame(self, k: int) -> tuple[Decorations, str]:
        """Step k (0-based; steps must be asked for in order): its marks, and it in words."""
        fn, grad_out, input_grads = self.events[k]
        op = self.model.op_of[fn]
        self.received[op.output.key] = grad_out
        roles = input_roles(op.name, len(op.inputs))
        deco = Decorations()
        for done_fn, _g, _ig in self.events[:k]:
            deco.op_state[self._key(self.model.op_of[done_fn])] = "done"
        deco.op_state[self._key(op)] = "current"
        lines = [f"g = dL/d(output) = {describe_array(grad_out)}"]
        for pos, (t, g) in enumerate(zip(op.inputs, input_grads)):
            role, name = roles[pos], f"d{roles[pos]}"
            if g is None:
                lines.append(f"{name}: not computed ({role} is {_what(t)}, which needs no "
                             "gradient)")  # fmt: skip
                continue
            self.received[t.key] = self.received[t.key] + g if t.key in self.received else g
            self.pending[t.key] -= 1
            lines.append(f"{name} = {describe_array(g)}   (sent to {_what(t)})")
            src = self.edge_source.get((op.key, pos))
            if src is not None:
                deco.edge_grads[(src, op.key, pos)] = name
        for t in self.model.tensors:
            if t.key in self.received:
                final = self.pending.get(t.key, 0) == 0 or t.kind == OUTPUT
                deco.grads[t.key] = (self.received[t.key], "grad" if final else "grad so far")
            elif t.key in self.pending:
                deco.grads[t.key] = (None, "grad: not yet")  # a placeholder keeps sizes steady
        title = f"Backward step {k + 1} of {len(self.events)}: {op.name}"
        deco.caption = [
            font(f"<B>{escape(title)}</B>", 16),
            font(escape(f"rule: {fn.formula}"), 13, face=MONO),
            *(font(escape(line), 13, GRAD, MONO) for line in lines),
            font(escape("red: the op being differentiated · green ✓: done · red arrows: the "
                       "gradient flowing back to each input"), 11, MUTED),  # fmt: skip
        ]
        return deco, f"{title}   ({fn.formula})   " + ";  ".join(lines)


def _render(plan: Any, decorations: list[Decorations], rankdir: str, show_data: bool,
            on_frame: Callable[[int, int], None] | None) -> list[bytes]:  # fmt: skip
    # Every frame gives each box and the caption the size of its largest version over all
    # frames, so that the layout does not move while the gradients fill in.
    widest: dict[str, int] = {}
    for deco in decorations:
        for key, (array, caption) in deco.grads.items():
            chars = len(caption) + (0 if array is None else 1 + len(describe_array(array)))
            widest[key] = max(widest.get(key, 0), chars)
    caption_chars = max(len(step) for deco in decorations for step in _caption_texts(deco))
    caption_rows = max(len(deco.caption) for deco in decorations)
    pngs = []
    for k, deco in enumerate(decorations):
        if on_frame is not None:
            on_frame(k + 1, len(decorations))
        # About 0.1 inch per character of 11-point monospace, plus the box's margins.
        deco.min_widths = {key: round(0.095 * chars + 0.35, 2) for key, chars in widest.items()}
        deco.caption_width = 8 * caption_chars + 16  # points: ~8 per 13-point mono character
        # Blank rows (13-point, like the gradient lines) so every caption has the same height.
        deco.caption[-1:-1] = [font(" ", 13)] * (caption_rows - len(deco.caption))
        graph = render_plan(plan, rankdir=rankdir, show_data=show_data, deco=deco)
        pngs.append(graph.pipe(format="png"))
    return pngs


def _write(pngs: list[bytes], out: Path, gif_name: str, frame_ms: int) -> tuple[list[Path], Path]:
    from PIL import Image  # Pillow comes with matplotlib, a dependency

    out.mkdir(parents=True, exist_ok=True)
    images = [Image.open(io.BytesIO(data)).convert("RGB") for data in pngs]
    size = (max(im.width for im in images), max(im.height for im in images))
    frames: list[Path] = []
    padded = []
    for k, im in enumerate(images):
        # Same size for every frame (a GIF must not jump): white margins right and below.
        canvas = Image.new("RGB", size, "white")
        canvas.paste(im, (0, 0))
        path = out / f"step_{k + 1:0{max(len(str(len(images))), 2)}d}.png"
        canvas.save(path)
        frames.append(path)
        padded.append(canvas.convert("P", palette=Image.Palette.ADAPTIVE, colors=255))
    gif = out / gif_name
    padded[0].save(gif, save_all=True, append_images=padded[1:], duration=frame_ms, loop=0)
    return frames, gif


def _what(t: TensorNode) -> str:
    # Which tensor a role letter stands for at this op. The rule says `db`, and in the flagship
    # `b` is also the bias: "db = ...   (sent to w)" leaves no doubt which tensor receives it.
    if t.name is not None:
        return t.name
    if t.kind == CONSTANT:
        return f"the constant {tensor_title(t)}"
    if t.is_leaf:
        return f"an unnamed {t.kind}"
    return "the output" if t.kind == OUTPUT else f"{t.producer.name}'s output"


def _caption_texts(deco: Decorations) -> list[str]:
    # The caption rows without their markup, to measure them.
    return [re.sub(r"<[^>]+>", "", row) for row in deco.caption]
