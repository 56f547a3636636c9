"""A letter's bitmap drawn as a grid of square-looking pixels, with a cursor."""

from __future__ import annotations

from rich.segment import Segment
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget


class LetterGrid(Widget):
    """Draws `bitmap` (row-major 0/1) of `shape` (rows, cols) centred in its region.

    A pixel is two cells wide and one high (terminal cells are about twice as tall as wide),
    or a multiple of that when there is room. Clicking a pixel posts `PixelClicked`.
    """

    DEFAULT_CSS = """
    LetterGrid {
        width: 1fr;
        height: 1fr;
        min-height: 3;
    }

    LetterGrid > .letter-grid--on {
        background: $foreground;
        color: $foreground;
    }

    LetterGrid > .letter-grid--off {
        background: $surface-lighten-1;
    }

    LetterGrid > .letter-grid--off-alt {
        background: $surface-lighten-2;
    }

    LetterGrid > .letter-grid--cursor-on {
        background: $accent;
        color: $foreground;
        text-style: bold;
    }

    LetterGrid > .letter-grid--cursor-off {
        background: $accent-darken-3;
        color: $text;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {
        "letter-grid--on",
        "letter-grid--off",
        "letter-grid--off-alt",
        "letter-grid--cursor-on",
        "letter-grid--cursor-off",
    }

    # Every change repaints the whole grid. A refresh of only the rows that changed was tried
    # and painted stale rows: a grid changed while its page was hidden (the quiz swaps its round
    # and reveal pages) computed those rows from its hidden size and kept the old lines cached.
    # A whole repaint of at most 24 short lines stays well inside a frame (benchmarks/app_keys.py).
    shape: reactive[tuple[int, int]] = reactive((5, 6))
    bitmap: reactive[tuple[int, ...]] = reactive((0,) * 30)
    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    class PixelClicked(Message):
        def __init__(self, row: int, col: int) -> None:
            super().__init__()
            self.row = row
            self.col = col

    @property
    def scale(self) -> int:
        rows, cols = self.shape
        width, height = self.size
        # As big as fits, up to four rows per pixel: small letters are hard to read.
        return max(1, min(4, width // (2 * cols), height // rows))

    @property
    def origin(self) -> tuple[int, int]:
        """Where pixel (0, 0) starts, (x, y) in the widget's cells: the grid is centred."""
        return self._origin()

    def _origin(self) -> tuple[int, int]:
        rows, cols = self.shape
        s = self.scale
        width, height = self.size
        return max(0, (width - 2 * s * cols) // 2), max(0, (height - s * rows) // 2)

    def pixel_at(self, x: int, y: int) -> tuple[int, int] | None:
        rows, cols = self.shape
        s = self.scale
        left, top = self._origin()
        col, row = (x - left) // (2 * s), (y - top) // s
        if x < left or y < top or not (0 <= row < rows and 0 <= col < cols):
            return None
        return row, col

    def render_line(self, y: int) -> Strip:
        rows, cols = self.shape
        s = self.scale
        width = self.size.width
        left, top = self._origin()
        row = (y - top) // s
        base = self.rich_style
        if y < top or row >= rows or len(self.bitmap) != rows * cols:
            return Strip.blank(width, base)
        style = self.get_component_rich_style
        on = style("letter-grid--on")
        off = (style("letter-grid--off"), style("letter-grid--off-alt"))
        cursor_on, cursor_off = style("letter-grid--cursor-on"), style("letter-grid--cursor-off")
        blank = " " * (2 * s)
        # A lit pixel is also drawn in full blocks (its colour on its colour, so it looks the
        # same): on a terminal without colours, or read as text, the letter is still there.
        filled = "█" * (2 * s)
        # Brackets mark the cursor by shape as well as colour, and a filled inside says the
        # pixel under it is on, so neither depends on telling two colours apart.
        marked_off = "[" + " " * (2 * s - 2) + "]"
        marked_on = "[" + "█" * (2 * s - 2) + "]"
        segments = [Segment(" " * left, base)]
        start = row * cols
        for col in range(cols):
            lit = self.bitmap[start + col]
            if (row, col) == self.cursor:
                segments.append(
                    Segment(marked_on, cursor_on) if lit else Segment(marked_off, cursor_off)
                )
            else:
                segments.append(
                    Segment(filled, on) if lit else Segment(blank, off[(row + col) % 2])
                )
        segments.append(Segment(" " * max(0, width - left - 2 * s * cols), base))
        return Strip(segments, width).crop(0, width)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        pixel = self.pixel_at(offset.x, offset.y)
        if pixel is not None:
            event.stop()
            self.post_message(self.PixelClicked(*pixel))
