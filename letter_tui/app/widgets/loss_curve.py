"""The loss against epochs on a log scale, drawn in braille dots; it grows as training runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app.views.braille import BrailleCanvas, distinct_dots, scale_all

AXIS_WIDTH = 8  # "4.82e-05" fits; the y labels sit left of the plot
EMPTY = "The loss curve grows here as it trains."


def tick(value: float) -> str:
    """A loss as an axis label, to 3 significant figures as every loss on screen: 0.25,
    0.0312, 4.82e-05 (the log keeps the full value)."""
    return f"{value:.3g}"


def log_range(values: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """log10 of the smallest and largest loss, a little apart when they are equal."""
    logs = np.log10(np.maximum(np.asarray(values, dtype=np.float64), 1e-300))
    low, high = float(logs.min()), float(logs.max())
    if high - low < 0.1:
        mid = (high + low) / 2
        low, high = mid - 0.05, mid + 0.05
    return low, high


class LossCurve(Widget):
    """`points` are (epoch, loss); the x axis runs from 0 to `total` epochs, so the curve
    grows from the left as training goes on."""

    DEFAULT_CSS = """
    LossCurve > .loss-curve--line {
        color: $text-accent;
    }

    LossCurve > .loss-curve--axis {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES = {"loss-curve--line", "loss-curve--axis"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.points: tuple[tuple[int, float], ...] = ()
        self.total = 0
        self._rows: list[Strip] = []
        self._rows_for: tuple[object, ...] = ()

    def show(self, points: Sequence[tuple[int, float]], total: int) -> None:
        self.points = tuple(points)
        self.total = total
        self.refresh()

    def _plot(self) -> list[Strip]:
        width, height = self.size
        key = (width, height, len(self.points), self.total, self.points[-1:])
        if key == self._rows_for:
            return self._rows
        self._rows_for = key
        self._rows = self._draw(width, height)
        return self._rows

    def _draw(self, width: int, height: int) -> list[Strip]:
        base = self.rich_style
        axis = self.get_component_rich_style("loss-curve--axis")
        line = self.get_component_rich_style("loss-curve--line")
        plot_w, plot_h = width - AXIS_WIDTH - 1, height - 1
        if not self.points or plot_w < 4 or plot_h < 2:
            text = EMPTY[:width].center(width)
            blank = [Strip.blank(width, base)] * max(0, height)
            if height:
                blank[height // 2] = Strip([Segment(text, axis)], width)
            return blank
        # NumPy: up to 500 points redrawn a few times a second, on the training thread's GIL.
        epochs, losses = np.asarray(self.points, dtype=np.float64).T
        low, high = log_range(losses)
        x_max = max(self.total, self.points[-1][0], 1)
        canvas = BrailleCanvas(plot_w, plot_h)
        top = canvas.dots_high - 1
        xs = scale_all(epochs, 0, x_max, canvas.dots_wide)
        ys = top - scale_all(np.log10(np.maximum(losses, 1e-300)), low, high, canvas.dots_high)
        canvas.polyline(distinct_dots(xs, ys))
        labels = {0: tick(10**high), plot_h - 1: tick(10**low)}
        if plot_h >= 5:
            mid = (plot_h - 1) // 2
            labels[mid] = tick(10 ** (high - (high - low) * mid / (plot_h - 1)))
        strips = []
        for y in range(plot_h):
            label = labels.get(y, "").rjust(AXIS_WIDTH)
            segments = [Segment(label, axis), Segment("│", axis)]
            segments += [Segment(c, line if s >= 0 else base) for c, s in canvas.row(y)]
            strips.append(Strip(segments, width))
        left, right = "0", f"{x_max} epochs"
        gap = max(1, plot_w - len(left) - len(right))
        bottom = " " * AXIS_WIDTH + "└" + left + "─" * gap + right
        strips.append(Strip([Segment(bottom[:width], axis)], width))
        return strips

    def render_line(self, y: int) -> Strip:
        rows = self._plot()
        if y < len(rows):
            return rows[y].adjust_cell_length(self.size.width, self.rich_style)
        return Strip.blank(self.size.width, self.rich_style)

    def notify_style_update(self) -> None:
        # A theme change recolours the cached rows.
        self._rows_for = ()
        super().notify_style_update()
