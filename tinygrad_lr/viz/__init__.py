"""Pictures of computation graphs: `draw_graph` (Graphviz), `graph_text` (a terminal tree) and
`backward_frames` (the backward pass, one picture per step, plus an animated GIF).

    from tinygrad_lr.viz import draw_graph
    draw_graph(loss, show_grad=True).render("loss_graph", format="svg")

Where things live: `model.py` walks the graph and decides what to draw, `draw.py` makes the
Graphviz picture, `text.py` the text tree, `frames.py` the walk-through, `format.py` writes values.
"""

from .draw import ComputationGraph, GraphvizNotFoundError, draw_graph
from .frames import BackwardFrames, backward_frames
from .text import graph_text

__all__ = [
    "BackwardFrames", "ComputationGraph", "GraphvizNotFoundError", "backward_frames", "draw_graph",
    "graph_text",
]
