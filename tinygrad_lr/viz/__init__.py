"""Pictures of computation graphs: drawn, as text, frame by frame, and as a page to step through.

`draw_graph` (Graphviz), `graph_text` (a terminal tree), `backward_frames` (the backward pass,
one picture per step, plus an animated GIF) and `explain` (a web page that steps through the
forward and the backward pass).

    from tinygrad_lr.viz import draw_graph
    draw_graph(loss, show_grad=True).render("loss_graph", format="svg")

Where things live: `model.py` walks the graph and decides what to draw, `draw.py` makes the
Graphviz picture, `text.py` the text tree, `frames.py` the walk-through, `explain_page.py` the
explorer page, `format.py` writes values.
"""

from .draw import ComputationGraph, GraphvizNotFoundError, draw_graph
from .explain_page import BackwardExplorer, explain, explain_html, explorer_data
from .frames import BackwardFrames, backward_frames
from .text import graph_text

__all__ = [
    "BackwardExplorer", "BackwardFrames", "ComputationGraph", "GraphvizNotFoundError",
    "backward_frames", "draw_graph", "explain", "explain_html", "explorer_data", "graph_text",
]
