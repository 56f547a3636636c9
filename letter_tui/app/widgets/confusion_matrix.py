"""A confusion matrix: how often each letter (row) was read as each letter (column).

Each cell is shaded by its share of the row: the diagonal (read right) in one hue, the
mix-ups in another, so the mistakes stand out. Numbers (percent of the row) on demand.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.core.evaluate import Confusion

STEPS = 5


class ConfusionMatrix(Widget):
    COMPONENT_CLASSES = {
        "confusion-matrix--right",
        "confusion-matrix--wrong",
        "confusion-matrix--zero",
        "confusion-matrix--label",
    }

    confusion: reactive[Confusion | None] = reactive(None, layout=True)
    numbers: reactive[bool] = reactive(False, layout=True)
    waiting: reactive[str] = reactive("")

    def _style(self, share: float, right: bool) -> Style:
        zero = self.get_component_styles("confusion-matrix--zero").background
        if zero.a == 0:
            zero = self.background_colors[1]
        name = "confusion-matrix--right" if right else "confusion-matrix--wrong"
        hue = self.get_component_styles(name).background
        # Any mistake at all gets at least the first step: rare ones must stay visible.
        step = 0 if share <= 0 else max(1, math.ceil(math.sqrt(share) * STEPS))
        color: Color = zero.blend(hue, step / STEPS)
        return Style(bgcolor=color.rich_color, color=color.get_contrast_text().rich_color)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        c = self.confusion
        if c is None:
            text = self.waiting if y == 0 else ""
            return Strip([Segment(text, base)]).adjust_cell_length(width, base)
        label = self.get_component_rich_style("confusion-matrix--label")
        cell = self.cell_width(width)
        if y == 0:
            segments = [Segment("   ", label)]
            segments += [Segment(lab[:1].center(cell), label) for lab in c.labels]
            return Strip(segments).adjust_cell_length(width, base)
        row = y - 1
        if row >= len(c.labels):
            return Strip.blank(width, base)
        counts = c.counts[row]
        total = sum(counts) or 1
        segments = [Segment(f"{c.labels[row][:1]:>2} ", label)]
        for col, count in enumerate(counts):
            share = count / total
            text = " " * cell
            if self.numbers and count:
                # A mix-up under half a percent still happened: "<1", never a bare "0".
                percent = round(share * 100)
                text = f"{percent:>{cell}d}" if percent else "<1".rjust(cell)
            segments.append(Segment(text, self._style(share, col == row)))
        return Strip(segments).adjust_cell_length(width, base)

    def cell_width(self, room: int) -> int:
        """3 cells with numbers (up to "100"); else 2, or 1 when 2 would not fit."""
        n = len(self.confusion.labels) if self.confusion else 0
        if self.numbers:
            return 3
        return 2 if 3 + 2 * n <= room else 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        c = self.confusion
        if c is None:
            return max(container.width, len(self.waiting))
        return 3 + self.cell_width(container.width) * len(c.labels)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + (len(self.confusion.labels) if self.confusion else 0)


def mix_ups_text(c: Confusion, limit: int = 12) -> Text:
    """The most frequent mistakes, as `O read as Q  4.1%` lines (share of that letter)."""
    out = Text()
    out.append(f"At flip p = {c.p:.2f} the network reads {c.accuracy:.1%} right.\n\n")
    mistakes = c.mix_ups(limit)
    if not mistakes:
        out.append("No mix-ups at all.")
        return out
    out.append("Most mixed up:\n", style="bold")
    index = {label: i for i, label in enumerate(c.labels)}
    for truth, guess, count in mistakes:
        share = count / (sum(c.counts[index[truth]]) or 1)
        out.append(f" {truth} read as {guess}  {share:5.1%}\n")
    return out
