"""Weights as heatmaps in the letter's grid shape, in diverging colours.

Positive weights are drawn in one hue and negative in another, stronger the further from
zero, on a zero colour taken from the theme's surface, so a map reads on light and dark
themes alike. Five steps each way stay distinct when the terminal has only 256 colours.
The colours come from the widget's component classes `heatmap--positive`, `--negative`
and `--zero`, blended at render time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.widget import Widget

STEPS = 5  # colour steps each side of zero


def ramp(zero: Color, target: Color, steps: int = STEPS) -> list[Color]:
    """`steps` + 1 colours from `zero` to `target`, keeping the target's hue and saturation
    and moving only the lightness. A plain blend passes through greyish colours, which a
    256-colour terminal (SSH, tmux) rounds to grey: a real weight would read as none."""
    hue, saturation, lightness = target.hsl
    start = zero.hsl.l
    return [zero] + [
        Color.from_hsl(hue, saturation, start + (lightness - start) * i / steps)
        for i in range(1, steps + 1)
    ]


class Palette:
    """Styles for `STEPS` levels of negative and positive values around a zero colour."""

    def __init__(self, zero: Color, negative: Color, positive: Color, text: Color) -> None:
        self.zero = zero
        self._neg = ramp(zero, negative)
        self._pos = ramp(zero, positive)
        self._text = text

    @classmethod
    def of(cls, widget: Widget) -> Palette:
        def background(name: str) -> Color:
            return widget.get_component_styles(name).background

        zero = background("heatmap--zero")
        if zero.a == 0:
            zero = widget.background_colors[1]
        return cls(
            zero,
            background("heatmap--negative"),
            background("heatmap--positive"),
            widget.get_component_styles("heatmap--zero").color,
        )

    def level(self, value: float, limit: float) -> int:
        """-STEPS..STEPS: value against limit, rounded to a step. The square root spreads the
        steps where weights are small, so a faint stroke still shows beside a strong one."""
        if limit <= 0 or not np.isfinite(value):
            return 0
        t = np.sqrt(min(1.0, abs(value) / limit))
        return int(np.copysign(np.rint(t * STEPS), value))

    def color(self, value: float, limit: float) -> Color:
        step = self.level(value, limit)
        return self._pos[step] if step >= 0 else self._neg[-step]

    def cell(self, value: float, limit: float) -> Style:
        background = self.color(value, limit)
        # Numbers drawn on a cell take whichever of black and white reads better on it.
        return Style(bgcolor=background.rich_color, color=background.get_contrast_text().rich_color)

    def half(self, upper: float, lower: float | None, limit: float) -> Style:
        """A "▀" cell showing two values: the upper one as foreground, the lower as background."""
        bottom = self.zero if lower is None else self.color(lower, limit)
        return Style(color=self.color(upper, limit).rich_color, bgcolor=bottom.rich_color)


def number(value: float, width: int) -> str:
    """A weight in `width` cells: +1.2, -0.3, +12."""
    text = f"{value:+.1f}"
    if len(text) > width:
        text = f"{value:+.0f}"
    return text.rjust(width)[:width] if len(text) <= width else ("+" if value > 0 else "-") * width


def grid_rows(
    values: Sequence[float],
    rows: int,
    cols: int,
    limit: float,
    palette: Palette,
    *,
    cell_width: int = 2,
    cell_height: int = 1,
    numbers: bool = False,
) -> list[list[Segment]]:
    """A heatmap of `values` (row-major) as lines of segments, `cell_width` cells per pixel.

    With `cell_width` 1 it packs two pixel rows in each line with half blocks ("▀"), so a
    letter keeps its shape at half the size. With `numbers`, each pixel shows its value.
    """
    lines: list[list[Segment]] = []
    if cell_width == 1 and not numbers:
        for r in range(0, rows, 2):
            line = []
            for c in range(cols):
                upper = values[r * cols + c]
                lower = values[(r + 1) * cols + c] if r + 1 < rows else None
                line.append(Segment("▀", palette.half(upper, lower, limit)))
            lines.append(line)
        return lines
    for r in range(rows):
        for sub in range(cell_height):
            line = []
            for c in range(cols):
                value = values[r * cols + c]
                text = number(value, cell_width) if numbers and sub == 0 else " " * cell_width
                line.append(Segment(text, palette.cell(value, limit)))
            lines.append(line)
    return lines


def grid_size(rows: int, cols: int, cell_width: int, cell_height: int = 1) -> tuple[int, int]:
    """(width, height) in cells of a heatmap drawn by `grid_rows`."""
    if cell_width == 1:
        return cols, (rows + 1) // 2
    return cols * cell_width, rows * cell_height


def legend(palette: Palette, limit: float, base: Style) -> list[Segment]:
    """A key to the colours in words: the end that pushes the unit off, the end that pushes
    it on (the values at the ends are said beside the bias, see `UnitDetail`)."""
    segments = [Segment("off ", base)]
    for step in range(-STEPS, STEPS + 1):
        value = np.copysign((abs(step) / STEPS) ** 2, step) * limit
        segments.append(Segment("  ", palette.cell(value, limit)))
    segments.append(Segment(" on", base))
    return segments
