"""A confusion matrix: how often each letter (row) was read as each letter (column).

Each cell is shaded by its share of the row: the diagonal (read right) in one hue, the
mix-ups in another on a brighter scale (a mix-up is rare, and the interesting cells must not
be the faintest), so the mistakes stand out. A small alphabet gets wide cells with the
percentage inside; a large one shows numbers (percent of the row) on demand.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from letter_tui.core.evaluate import Confusion

STEPS = 5
WIDE = 6  # a cell that holds " 100% " and reads as a box, for small alphabets
MIX_UP_FULL = 0.2  # a mix-up of a fifth of the row (or more) takes the full hue
MIX_UP_LEAST = 2  # any mix-up at all: at least two of the five steps


class ConfusionMatrix(ScrollView):
    """The matrix scrolls under a pinned header (the columns' letters) and a pinned column of
    row letters, so a scrolled cell still says which letters it is about. When the matrix
    does not fit (26 letters at 80x24), a pinned last line says which rows and columns are
    shown and which keys scroll: nothing past the edge is cut without a word."""

    DEFAULT_CSS = """
    /* The diagonal (read right) in a calm hue, mix-ups in a loud one. */
    ConfusionMatrix > .confusion-matrix--right {
        background: #4393c3;
    }

    ConfusionMatrix > .confusion-matrix--wrong {
        background: #d6604d;
    }

    ConfusionMatrix > .confusion-matrix--zero {
        background: $surface;
    }

    ConfusionMatrix > .confusion-matrix--label {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES = {
        "confusion-matrix--right",
        "confusion-matrix--wrong",
        "confusion-matrix--zero",
        "confusion-matrix--label",
    }

    confusion: reactive[Confusion | None] = reactive(None)
    numbers: reactive[bool] = reactive(False)
    waiting: reactive[str] = reactive("")

    GUTTER = 3  # the row letters' column

    def on_mount(self) -> None:
        self._update_size()

    def on_resize(self) -> None:
        self._update_size()

    def watch_confusion(self) -> None:
        self._update_size()

    def watch_numbers(self) -> None:
        self._update_size()

    def watch_waiting(self) -> None:
        self.refresh()

    @property
    def _view(self) -> Size:
        return self.scrollable_content_region.size

    def _cut(self) -> tuple[bool, bool]:
        """Whether some rows, and some columns, lie outside the view."""
        c = self.confusion
        if c is None:
            return False, False
        n, (width, height) = len(c.labels), self._view
        return 1 + n > height, self.GUTTER + self.cell_width(width) * n > width

    def _update_size(self) -> None:
        c = self.confusion
        if c is None:
            self.virtual_size = Size(0, 0)
        else:
            n = len(c.labels)
            rows_cut, _ = self._cut()
            # One line more when cut: the pinned line that says what is shown.
            height = 1 + n + (1 if rows_cut else 0)
            self.virtual_size = Size(self.GUTTER + self.cell_width(self._view.width) * n, height)
        self.refresh()

    def shown_text(self) -> str:
        """Which rows and columns are in view, and the keys that scroll; "" when all are."""
        c = self.confusion
        rows_cut, cols_cut = self._cut()
        if c is None or not (rows_cut or cols_cut):
            return ""
        n, labels = len(c.labels), [lab[:1] for lab in c.labels]
        width, height = self._view
        scroll_x, scroll_y = self.scroll_offset
        parts = []
        if rows_cut:
            first = min(scroll_y, n - 1)
            last = max(first, min(n, scroll_y + height - 2) - 1)
            parts.append(f"rows {labels[first]}-{labels[last]}")
        if cols_cut:
            cell = self.cell_width(width)
            first = min(n - 1, -(-scroll_x // cell))
            last = max(first, min(n, (scroll_x + width - self.GUTTER) // cell) - 1)
            parts.append(f"columns {labels[first]}-{labels[last]}")
        keys = "arrows" if rows_cut and cols_cut else ("↑ ↓" if rows_cut else "← →")
        text = f"{', '.join(parts)} of {n} shown; {keys} scroll"
        return " " + text[0].upper() + text[1:]

    def _style(self, share: float, right: bool) -> Style:
        zero = self.get_component_styles("confusion-matrix--zero").background
        if zero.a == 0:
            zero = self.background_colors[1]
        name = "confusion-matrix--right" if right else "confusion-matrix--wrong"
        hue = self.get_component_styles(name).background
        if share <= 0:
            step = 0
        elif right:
            step = max(1, math.ceil(math.sqrt(share) * STEPS))
        else:
            # Mix-ups on their own, brighter scale: full at a fifth of the row, and any
            # mistake at all at least two steps, so a rare one stays visible.
            fraction = min(1.0, math.sqrt(share / MIX_UP_FULL))
            step = max(MIX_UP_LEAST, math.ceil(fraction * STEPS))
        color: Color = zero.blend(hue, step / STEPS)
        return Style(bgcolor=color.rich_color, color=color.get_contrast_text().rich_color)

    def render_line(self, y: int) -> Strip:
        width, height = self._view
        base = self.rich_style
        c = self.confusion
        if c is None:
            text = self.waiting if y == 0 else ""
            return Strip([Segment(text, base)]).adjust_cell_length(width, base)
        label = self.get_component_rich_style("confusion-matrix--label")
        cell = self.cell_width(width)
        scroll_x, scroll_y = self.scroll_offset
        body = max(0, width - self.GUTTER)
        rows_cut, _ = self._cut()
        if rows_cut and y == height - 1:
            return (
                Strip([Segment(self.shown_text(), label)])
                .crop(0, width)
                .extend_cell_length(width, base)
            )
        if y == 0:
            head = Strip([Segment(lab[:1].center(cell), label) for lab in c.labels])
            line = [Segment(" " * self.GUTTER, label), *head.crop(scroll_x, scroll_x + body)]
            return Strip(line).adjust_cell_length(width, base)
        row = scroll_y + y - 1
        if row >= len(c.labels):
            return Strip.blank(width, base)
        counts = c.counts[row]
        total = sum(counts) or 1
        cells = []
        for col, count in enumerate(counts):
            share = count / total
            text = " " * cell
            if cell >= WIDE and count:
                percent = round(share * 100)
                text = (f"{percent}%" if percent else "<1%").center(cell)
            elif self.numbers and count:
                # A mix-up under half a percent still happened: "<1", never a bare "0".
                percent = round(share * 100)
                text = f"{percent:>{cell}d}" if percent else "<1".rjust(cell)
            cells.append(Segment(text, self._style(share, col == row)))
        line = [
            Segment(f"{c.labels[row][:1]:>2} ", label),
            *Strip(cells).crop(scroll_x, scroll_x + body),
        ]
        return Strip(line).adjust_cell_length(width, base)

    def cell_width(self, room: int) -> int:
        """WIDE cells with the percentage inside when they all fit (a small alphabet);
        else 3 with numbers (up to "100"), 2, or 1 when 2 would not fit."""
        n = len(self.confusion.labels) if self.confusion else 0
        if n and self.GUTTER + WIDE * n <= room:
            return WIDE
        if self.numbers:
            return 3
        return 2 if self.GUTTER + 2 * n <= room else 1


def mix_ups_text(c: Confusion, limit: int = 12) -> Text:
    """The most frequent mistakes, as `O read as Q  4.1%` lines (share of that letter)."""
    out = Text()
    mistakes = c.mix_ups(limit)
    # With mistakes, never "100.0%": a rounded-up score would contradict the list below.
    right = ">99.9%" if mistakes and c.accuracy >= 0.9995 else f"{c.accuracy:.1%}"
    out.append(f"At noise {c.p:.2f} the network reads {right} right.\n\n")
    if not mistakes:
        out.append("No mix-ups at all.")
        return out
    out.append("Most mixed up:\n", style="bold")
    index = {label: i for i, label in enumerate(c.labels)}
    for truth, guess, count in mistakes:
        share = count / (sum(c.counts[index[truth]]) or 1)
        # A mix-up that happened is never "0.0%": under a twentieth of a percent says "<0.1%".
        shown = f"{share:5.1%}" if share >= 0.0005 else "<0.1%"
        out.append(f" {truth} read as {guess}  {shown}\n")
    return out
