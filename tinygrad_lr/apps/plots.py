"""The pictures of the flagship and the examples, drawn with matplotlib.

Every picture is saved at 100 dpi, so a figure of W × H inches is a W·100 × H·100 pixel image:

| picture                          | function            | inches            | pixels      |
|----------------------------------|---------------------|-------------------|-------------|
| the fitted line at even steps    | `fit_grid`          | 18 × 6 (11 panels)| 1800 × 600  |
| the line converging, animated    | `fit_animation`     | 6.4 × 4.8         | 640 × 480   |
| the loss curve                   | `loss_curve`        | 8 × 4.5           | 800 × 450   |
| the (w, b) path over the surface | `loss_surface`      | 7 × 5.5           | 700 × 550   |
| a 1-D curve fit (polynomial)     | `curve_fit`         | 7 × 5             | 700 × 500   |
| a decision boundary (2-D data)   | `decision_boundary` | 6.5 × 5.5         | 650 × 550   |

The grid has at most 6 panels a row, each 3 × 2.6 inches, plus 0.8 inch for the titles (and
0.25 inch per extra line when the title must wrap, in grids of fewer than 5 panels).

Figures are made with `matplotlib.figure.Figure`, not pyplot, so that drawing never needs a
display and never opens a window; `new_figure(show=True)` makes a pyplot figure instead, for
`--show`. The original program's colours are kept: the fitted line in blue, the samples in red.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

DPI = 100
LINE = "tab:blue"
SAMPLES = "tab:red"
TRUE = "0.35"  # the true line: dark grey, dashed

#: Backends that draw into files only: with one of these, `--show` has nothing to open.
NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def display_available() -> tuple[bool, str]:
    """Whether pyplot can open windows here, and matplotlib's backend name (to say why not)."""
    backend = str(matplotlib.get_backend())
    return backend.lower() not in NON_INTERACTIVE, backend


def new_figure(figsize: tuple[float, float], show: bool = False) -> Figure:
    """A figure that draws without a display; with `show`, a pyplot figure (a window later)."""
    if show:
        from matplotlib import pyplot as plt  # only when a window is wanted

        return plt.figure(figsize=figsize, dpi=DPI)
    return Figure(figsize=figsize, dpi=DPI)


def save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI)
    return path


# ---------------------------------------------------------------------------------------------
# The flagship: a line through the plane
# ---------------------------------------------------------------------------------------------


def fit_grid(snapshots: Sequence[dict[str, Any]], path: Path, true_w: float, true_b: float,
             every: int, diverged: tuple[int, int] | None = None, show: bool = False) -> Path:
    """The original program's picture at evenly spaced steps, side by side: the line after k
    steps (blue; k = 0 is the start, before any update) over 100 fresh samples (red), x in 0..5,
    y in 0..15. A snapshot is a dict with step (k), w, b, x, y; the panels are `every` steps
    apart, and the last one is the end of the run. `diverged` = (the step whose loss was not
    finite, the step whose parameters were kept) marks a diverged run in the title."""
    chosen = list(snapshots)
    cols = min(6, len(chosen))
    rows = math.ceil(len(chosen) / cols)
    uneven_end = len(chosen) > 1 and chosen[-1]["step"] % every != 0
    if diverged is None:
        every_text = "every step" if every == 1 else f"every {every} steps"
        when = f"after {every_text}" if len(chosen) > 1 else "at the start"
        end = ", and at the end" if uneven_end else ""
        title = (f"The fitted line (blue) at the start and {when}{end}, over 100 fresh samples "
                 f"(red); dashed: the true line y = {true_w:g}x + {true_b:g}")
    else:
        title = (f"TRAINING DIVERGED at step {diverged[0]}: the fitted line (blue) every {every} "
                 f"steps until then, and the last finite one; red: 100 fresh samples, dashed: "
                 f"the true line y = {true_w:g}x + {true_b:g}")
    # About 10 characters of 12-point text per inch: wrap the title to the figure's width.
    title_lines = textwrap.wrap(title, width=10 * 3 * cols)
    fig = new_figure((3 * cols, 2.6 * rows + 0.8 + 0.25 * (len(title_lines) - 1)), show)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    line_x = np.array([0.0, 5.0])
    for i, (ax, snap) in enumerate(zip(axes, chosen)):
        ax.scatter(snap["x"], snap["y"], s=9, color=SAMPLES, alpha=0.7, linewidths=0)
        ax.plot(line_x, true_w * line_x + true_b, color=TRUE, lw=1, ls="--")
        ax.plot(line_x, snap["w"] * line_x + snap["b"], color=LINE, lw=2)
        last = i == len(chosen) - 1 and i > 0
        note = " (last finite)" if last and diverged else " (the end)" if last and uneven_end \
            else ""  # fmt: skip
        ax.set_title(f"{_after(snap['step'])}{note}\nw = {_short(snap['w'])},  "
                     f"b = {_short(snap['b'])}", fontsize=10)
        ax.set_xlim(0, 5)
        ax.set_ylim(0, 15)
        ax.grid(alpha=0.25)
    for ax in axes[len(chosen):]:
        ax.set_visible(False)
    for ax in axes[(rows - 1) * cols:]:
        ax.set_xlabel("x")
    for ax in axes[::cols]:
        ax.set_ylabel("y")
    fig.suptitle("\n".join(title_lines), fontsize=12,
                 color="tab:red" if diverged else "black")  # fmt: skip
    fig.tight_layout()
    return save(fig, path)


def _after(steps: int) -> str:
    return "start" if steps == 0 else f"after {steps} step{'s' if steps != 1 else ''}"


def _short(v: float) -> str:
    # Two decimals; a diverged run's 1e+20 in two significant digits, not 21 of them.
    return f"{v:.2f}" if abs(v) < 1e4 else f"{v:.2g}"


def fit_animation(frames: Sequence[dict[str, Any]], x: np.ndarray, y: np.ndarray, path: Path,
                  true_w: float, true_b: float, fps: int = 8, hold_s: float = 1.5,
                  diverged: tuple[int, int] | None = None,
                  loss_label: str = "loss of the next batch") -> Path:  # fmt: skip
    """An animated GIF of the fitted line converging; each frame a dict with step (the steps
    done), w, b and loss (that of the batch those parameters met next, or None), shown under
    the title as `loss_label` and the value.

    The still parts (samples, axes, legend) are drawn once; each frame redraws only the line and
    the title over a copy of that background (matplotlib's blitting), and Pillow (which comes
    with matplotlib) writes the frames as a looping GIF. That is the work of matplotlib's
    PillowWriter without a full redraw per frame: about 20 times faster. The last frame is held
    for `hold_s` seconds so that the result can be read before the loop restarts.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig = new_figure((6.4, 4.8))
    canvas = FigureCanvasAgg(fig)
    ax = fig.subplots()
    line_x = np.array([0.0, 5.0])
    ax.scatter(x, y, s=12, color=SAMPLES, alpha=0.7, linewidths=0, label="samples")
    ax.plot(line_x, true_w * line_x + true_b, color=TRUE, lw=1, ls="--",
            label=f"true line y = {true_w:g}x + {true_b:g}")
    (fitted,) = ax.plot([], [], color=LINE, lw=2.5, label="fitted line", animated=True)
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 15)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(alpha=0.25)
    ax.legend(loc="upper left")
    if diverged is not None:
        ax.text(0.98, 0.03, f"training diverged at step {diverged[0]}", transform=ax.transAxes,
                ha="right", color="tab:red", fontsize=11, fontweight="bold")
    title = ax.set_title("step 0\n", animated=True)  # placeholder text: tight_layout makes room
    fig.tight_layout()
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    images = []
    for frame in frames:
        canvas.restore_region(background)
        fitted.set_data(line_x, frame["w"] * line_x + frame["b"])
        loss = "" if frame["loss"] is None else f"\n{loss_label} {frame['loss']:.3g}"
        title.set_text(f"{_after(frame['step'])}:  w = {_short(frame['w'])},  "
                       f"b = {_short(frame['b'])}{loss}")
        ax.draw_artist(fitted)
        ax.draw_artist(title)
        rgba = np.asarray(canvas.buffer_rgba())
        images.append(Image.fromarray(rgba[..., :3].copy()))
    # One palette for all frames (the colours never change, only where the line is): quantizing
    # each frame against it is ten times faster than a palette per frame, and does not flicker.
    palette = images[0].quantize(colors=255, method=Image.Quantize.FASTOCTREE)
    images = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    ms = round(1000 / fps)
    durations = [ms] * (len(images) - 1) + [round(1000 * hold_s) + ms]
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0)
    return path


#: Most points a curve is drawn with: a longer run is drawn from every k-th step (matplotlib
#: would take minutes over 10⁸ points, and the picture has 800 pixels across).
MAX_POINTS = 10_000


#: A path of at most this many steps is drawn as arrows over the loss surface, one per step.
ARROW_STEPS = 10
#: Running means are over this many steps at least; a run no longer than that is drawn point by
#: point instead (a mean over all of it would be one point, saying nothing).
RUNNING_MEAN = 25


def loss_curve(losses: Sequence[float], path: Path, ylabel: str, diverged_at: int | None = None,
               floor: tuple[float, str] | None = None, show: bool = False,
               each: str = "loss of each step's batch", title: str = "Training loss") -> Path:
    """The loss of each step (thin; `each` says what it is) and its running mean (thick: over 25
    steps, or 1/400 of a long run), on a log scale: a batch of 4 makes each step's loss noisy,
    the mean shows the trend. A run of at most 25 steps is drawn point by point, each step a
    dot. `floor`, (value, label), draws the loss the true line itself would have: the noise no
    line removes."""
    losses = np.asarray(losses, dtype=np.float64)
    stride = max(1, math.ceil(len(losses) / MAX_POINTS))
    steps = np.arange(len(losses))
    fig = new_figure((8, 4.5), show)
    ax = fig.subplots()
    thin = slice(None, None, stride)
    positive = losses[thin] > 0  # a log axis cannot show a loss of exactly 0
    every = "" if stride == 1 else f", every {stride}th step"
    short = len(losses) <= RUNNING_MEAN
    ax.plot(steps[thin][positive], losses[thin][positive], color=LINE, label=f"{each}{every}",
            **({"lw": 1.5, "marker": "o"} if short else {"lw": 0.7, "alpha": 0.35}))
    if short:
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # no step 0.5
    if not short:
        window = max(RUNNING_MEAN, len(losses) // 400)
        # A running mean by differences of the cumulative sum: one pass, any window.
        total = np.concatenate([[0.0], np.cumsum(losses)])
        running = (total[window:] - total[:-window]) / window
        ax.plot(steps[window - 1:][thin], running[thin], color=LINE, lw=2,
                label=f"running mean over {window} steps")
    if floor is not None:
        ax.axhline(floor[0], color=TRUE, lw=1.2, ls="--", label=floor[1])
    if diverged_at is not None:
        ax.axvline(diverged_at, color="tab:red", lw=1.5, ls="--",
                   label=f"diverged at step {diverged_at}")
        title = f"{title}: DIVERGED at step {diverged_at} (the loss overflowed)"
    if positive.any():
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.set_title(title, color="tab:red" if diverged_at is not None else "black")
    ax.grid(alpha=0.25, which="both")
    ax.legend()
    fig.tight_layout()
    return save(fig, path)


def loss_surface(sums: Any, path_wb: np.ndarray, closed_form: tuple[Any, float], path: Path,
                 scale: float = 1.0, label: str = "½·mean((w·x + b − y)²) on the data seen",
                 diverged: tuple[int, int] | None = None, show: bool = False,
                 title: str = "Gradient descent on the loss surface") -> Path:
    """The path of (w, b), step by step, over the contours of the loss on the data seen.

    `sums` gives the loss at any (w, b) (a `LeastSquaresSums`: ½·mean((w·x + b − y)²)); `scale`
    times that is what the colours show (the batch size n for the summed loss, so that the
    colours read like the loss curve), `label` says what it is. The valley is long and narrow
    because w and b trade off: a steeper line with a lower intercept fits almost as well. A
    path of a few steps (Newton's method) is drawn as arrows, one per step, so that a jump
    across the picture reads as one step.
    """
    pts = np.asarray(path_wb, dtype=np.float64)
    pts = pts[np.isfinite(pts).all(axis=1)][:, [0, -1]]
    if len(pts) > 2 * MAX_POINTS:  # every k-th point, and the last: a line the eye cannot tell
        pts = np.vstack([pts[:: math.ceil(len(pts) / MAX_POINTS)], pts[-1:]])
    w_star, b_star = float(np.ravel(closed_form[0])[0]), float(closed_form[1])
    # A diverged path runs off to 1e20: frame the start and the minimum instead, and let the
    # path leave the picture, so that the axes stay readable.
    framed = pts[:1] if diverged is not None else pts
    (w_lo, w_hi), (b_lo, b_hi) = (_padded(np.append(framed[:, i], star))
                                  for i, star in ((0, w_star), (1, b_star)))  # fmt: skip
    grid_w, grid_b = np.meshgrid(np.linspace(w_lo, w_hi, 200), np.linspace(b_lo, b_hi, 200))
    surface = scale * sums.mean_loss(grid_w, grid_b)
    fig = new_figure((7, 5.5), show)
    ax = fig.subplots()
    low, high = max(surface.min(), 1e-12), surface.max()
    levels = np.geomspace(low * 1.02, high, 25) if high > low * 1.02 else 10
    # extend="min": the grid's lowest values (just under the first level) are coloured too, not
    # left as a white hole at the minimum.
    filled = ax.contourf(grid_w, grid_b, surface, levels=levels, cmap="viridis", extend="min",
                         norm=matplotlib.colors.LogNorm() if high > low * 1.02 else None)
    ax.contour(grid_w, grid_b, surface, levels=levels, colors="white", linewidths=0.4, alpha=0.5)
    bar = fig.colorbar(filled, ax=ax, label=label)
    if isinstance(levels, np.ndarray):
        bar.set_ticks(_nice_log_ticks(levels[0], levels[-1]), labels=None)
        bar.ax.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        bar.ax.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    if len(pts) <= ARROW_STEPS + 1:
        for start, end in zip(pts[:-1], pts[1:]):  # each head stops short of the markers
            ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "lw": 2,
                        "color": "tab:orange", "shrinkA": 5, "shrinkB": 11})  # fmt: skip
        ax.plot([], [], color="tab:orange", lw=2, label="(w, b): one arrow per step")
    else:
        ax.plot(pts[:, 0], pts[:, 1], color="tab:orange", lw=1, label="(w, b) after each step")
    end_inside = w_lo <= pts[-1, 0] <= w_hi and b_lo <= pts[-1, 1] <= b_hi
    # The star under the markers, and bigger: the end is usually within its width of the star,
    # and must stay visible on top of it.
    ax.plot(w_star, b_star, "*", color="yellow", ms=18, mec="black", zorder=5,
            label="closed-form least squares")
    ax.plot(*pts[0], "o", color="white", ms=8, mec="black", label="start", zorder=6)
    ax.plot(*pts[-1], "s", color="tab:red", ms=7, mec="white", mew=1.2, zorder=7,
            label="end" if end_inside else "end (outside the picture)")
    ax.set_xlim(w_lo, w_hi)
    ax.set_ylim(b_lo, b_hi)
    ax.set_xlabel("w (slope)")
    ax.set_ylabel("b (intercept)")
    if diverged is None:
        ax.set_title(title)
    else:
        ax.set_title(f"{title}: DIVERGED at step {diverged[0]}\n(the path leaves the picture)",
                     color="tab:red")
    ax.legend(loc="best", fontsize=9, framealpha=0.85)
    fig.tight_layout()
    return save(fig, path)


def _nice_log_ticks(low: float, high: float) -> list[float]:
    # 1, 2, 5 × 10ᵏ between low and high: colorbar labels a reader can use.
    # Over a wide range (a diverged run), powers of ten only, and at most about 8 of them.
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    mantissas = (1, 2, 5) if len(decades) <= 4 else (1,)
    ticks = [t for t in (m * 10.0**k for k in decades for m in mantissas) if low <= t <= high]
    return ticks[:: max(1, math.ceil(len(ticks) / 8))]


def _padded(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = max(hi - lo, 1.0) * 0.15
    return lo - pad, hi + pad


# ---------------------------------------------------------------------------------------------
# The other examples
# ---------------------------------------------------------------------------------------------


def curve_fit(x: np.ndarray, y: np.ndarray, curve_x: np.ndarray,
              curves: dict[str, np.ndarray], path: Path, title: str) -> Path:  # fmt: skip
    """Samples (red) and named curves over them (the first in blue, the rest dashed)."""
    fig = new_figure((7, 5))
    ax = fig.subplots()
    ax.scatter(np.ravel(x), np.ravel(y), s=12, color=SAMPLES, alpha=0.7, linewidths=0,
               label="samples")
    for i, (label, values) in enumerate(curves.items()):
        style = {"color": LINE, "lw": 2.5} if i == 0 else {"color": TRUE, "lw": 1.2, "ls": "--"}
        ax.plot(curve_x, values, label=label, **style)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.grid(alpha=0.25)
    ax.legend()
    fig.tight_layout()
    return save(fig, path)


def decision_boundary(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, y: np.ndarray,
                      path: Path, title: str, line: tuple[float, float, float] | None = None
                      ) -> Path:  # fmt: skip
    """Two classes of points over the model's probability of class 1 (shading), with the
    decision boundary where that probability is ½. `predict` maps an (m, 2) array to m
    probabilities. For a linear model pass `line = (w1, w2, b)`: the boundary is then drawn as
    the straight line w1·x1 + w2·x2 + b = 0 itself, labelled with its equation."""
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(y).ravel()
    (x1_lo, x1_hi), (x2_lo, x2_hi) = (_padded(x[:, 0]), _padded(x[:, 1]))
    g1, g2 = np.meshgrid(np.linspace(x1_lo, x1_hi, 250), np.linspace(x2_lo, x2_hi, 250))
    prob = np.asarray(predict(np.stack([g1.ravel(), g2.ravel()], axis=1))).reshape(g1.shape)
    fig = new_figure((6.5, 5.5))
    ax = fig.subplots()
    shade = ax.contourf(g1, g2, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.4)
    fig.colorbar(shade, ax=ax, label="predicted probability of class 1")
    for cls, color, marker in ((0, "tab:blue", "o"), (1, "tab:red", "^")):
        pts = x[labels == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=22, color=color, marker=marker, edgecolors="black",
                   linewidths=0.4, label=f"class {cls}", zorder=3)
    if line is not None and abs(line[1]) > 1e-12:
        w1, w2, b = line
        xs = np.array([x1_lo, x1_hi])  # w1·x1 + w2·x2 + b = 0  ⇔  x2 = −(w1·x1 + b) / w2
        ax.plot(xs, -(w1 * xs + b) / w2, color="black", lw=2,
                label=f"decision boundary {w1:.2f}·x₁ {_signed(w2)}·x₂ {_signed(b)} = 0")
    else:
        ax.contour(g1, g2, prob, levels=[0.5], colors="black", linewidths=2)
        ax.plot([], [], color="black", lw=2, label="decision boundary (p = ½)")
    ax.set_xlim(x1_lo, x1_hi)
    ax.set_ylim(x2_lo, x2_hi)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(title)
    ax.legend(loc="best", fontsize=9, framealpha=0.9)
    fig.tight_layout()
    return save(fig, path)


def _signed(v: float) -> str:
    return f"{'−' if v < 0 else '+'} {abs(v):.2f}"
