"""The whole alphabet at a glance: every letter drawn small in half blocks (two pixel rows a
line), its label under it, as many as fit in the room; the rest counted in words."""

from __future__ import annotations

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

GAP = 2  # columns between two letters


def half_blocks(bitmap: tuple[int, ...], rows: int, cols: int) -> list[str]:
    """A bitmap as lines of ▀ ▄ █ and spaces: each line two pixel rows, each column one."""
    glyph = {(0, 0): " ", (1, 0): "▀", (0, 1): "▄", (1, 1): "█"}
    lines = []
    for top in range(0, rows, 2):
        line = ""
        for c in range(cols):
            upper = bitmap[top * cols + c]
            lower = bitmap[(top + 1) * cols + c] if top + 1 < rows else 0
            line += glyph[int(bool(upper)), int(bool(lower))]
        lines.append(line)
    return lines


class AlphabetView(Widget):
    DEFAULT_CSS = """
    AlphabetView {
        height: 1fr;
    }

    AlphabetView > .alphabet-view--letter {
        color: $foreground;
    }

    AlphabetView > .alphabet-view--label {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES = {"alphabet-view--letter", "alphabet-view--label"}

    labels: reactive[tuple[str, ...]] = reactive(())
    bitmaps: reactive[tuple[tuple[int, ...], ...]] = reactive(())
    shape: reactive[tuple[int, int]] = reactive((6, 5))

    def lines(self, width: int, height: int) -> list[list[tuple[str, str]]]:
        """The view as lines of (text, component class) pieces: whole letter rows only."""
        rows, cols = self.shape
        glyph_h = (rows + 1) // 2
        cell = max(cols, 1) + GAP
        per_row = max(1, (width + GAP) // cell)
        band = glyph_h + 1  # the letters, then their labels
        n = len(self.bitmaps)
        fit = min(-(-n // per_row), height // band)
        if fit * per_row < n and fit:
            # Keep one line for the words that count what is left out.
            fit = min(fit, (height - 1) // band)
        out: list[list[tuple[str, str]]] = []
        for band_index in range(fit):
            first = band_index * per_row
            chunk = range(first, min(n, first + per_row))
            glyphs = [half_blocks(self.bitmaps[i], rows, cols) for i in chunk]
            for line in range(glyph_h):
                out.append([(g[line].ljust(cell), "alphabet-view--letter") for g in glyphs])
            out.append(
                [
                    (self.labels[i][:cols].center(cols).ljust(cell), "alphabet-view--label")
                    for i in chunk
                ]
            )
        shown = min(n, fit * per_row)
        # With no room for even one letter, nothing: "and 3 more" under no letters read wrong,
        # and Home's state line above already names them.
        if 0 < shown < n and height > len(out):
            out.append([(f"and {n - shown} more letters", "alphabet-view--label")])
        return out

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        base = self.rich_style
        lines = self.lines(width, height)
        if y >= len(lines):
            return Strip.blank(width, base)
        segments = [
            Segment(text, base + self.get_component_rich_style(name)) for text, name in lines[y]
        ]
        return Strip(segments).crop(0, width).extend_cell_length(width, base)
