"""Hidden units: every unit's input weights as a small heatmap, and one unit in detail.

A hidden unit adds up the pixels it sees, each times its weight: red pixels push it on,
blue ones push it off. So a unit's map is the stroke it looks for, in the letter's shape.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.views.inside_data import UnitsData
from letter_tui.app.widgets.heatmap import Palette, grid_rows, grid_size, legend

HEATMAP_CLASSES = {"heatmap--positive", "heatmap--negative", "heatmap--zero"}
GAP = 2


class UnitTiles(Widget):
    """All hidden units as tiles, the selected one marked; scrolls to keep it in view."""

    DEFAULT_CSS = (
        palette.heatmap_css("UnitTiles")
        + """
    /* Diverging weights: red (palette.FOR) pushes a unit on, blue (palette.AGAINST) pushes it
       off; zero is the surface. */

    UnitTiles > .heatmap--zero {
        background: $surface;
        color: $foreground;
    }

    UnitTiles {
        width: 1fr;
        padding: 0 1;
    }

    UnitTiles > .unit-tiles--label {
        color: $text-muted;
    }

    UnitTiles > .unit-tiles--selected {
        color: $text-accent;
        text-style: bold reverse;
    }
    """
    )

    COMPONENT_CLASSES = HEATMAP_CLASSES | {"unit-tiles--label", "unit-tiles--selected"}

    data: reactive[UnitsData | None] = reactive(None)
    selected: reactive[int] = reactive(0)

    def _layout(self) -> tuple[int, int, int, int]:
        """(cell width, tiles per row, tile width, tile height) for the current size."""
        data = self.data
        assert data is not None
        width, height = self.size
        for cell in (2, 1):
            map_w, map_h = grid_size(data.rows, data.cols, cell)
            tile_w, tile_h = max(map_w, 3) + GAP, map_h + 1
            per_row = max(1, (width + GAP) // tile_w)
            tile_rows = -(-data.hidden // per_row)
            if cell == 1 or tile_rows * tile_h <= height - 1:
                return cell, per_row, tile_w, tile_h
        raise AssertionError("unreachable")

    @property
    def per_row(self) -> int:
        """How many tiles one row holds at the current size (1 before the first layout or
        with no data): the Inside screen's up and down keys move by this many units."""
        if self.data is None or not self.size.width:
            return 1
        return self._layout()[1]

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        base = self.rich_style
        data = self.data
        if data is None:
            return Strip.blank(width, base)
        cell, per_row, tile_w, tile_h = self._layout()
        tile_rows = -(-data.hidden // per_row)
        window = max(1, (height - 1) // tile_h)
        first = min(max(0, self.selected // per_row - window + 1), max(0, tile_rows - window))
        if y == height - 1:
            shown = f"units {first * per_row + 1}-{min(data.hidden, (first + window) * per_row)}"
            note = f"{shown} of {data.hidden}" if tile_rows > window else f"{data.hidden} units"
            label = self.get_component_rich_style("unit-tiles--label")
            return Strip([Segment(note, label)]).adjust_cell_length(width, base)
        tile_row, line = divmod(y, tile_h)
        tile_row += first
        if tile_row >= tile_rows or tile_row >= first + window:
            return Strip.blank(width, base)
        palette = Palette.of(self)
        segments: list[Segment] = []
        for k in range(per_row):
            unit = tile_row * per_row + k
            if unit >= data.hidden:
                break
            if line == 0:
                chosen = unit == self.selected
                style = "unit-tiles--selected" if chosen else "unit-tiles--label"
                text = f"▶{unit + 1}" if chosen else f" {unit + 1}"
                segments.append(Segment(text.ljust(tile_w), self.get_component_rich_style(style)))
                continue
            rows = grid_rows(data.weights(unit), data.rows, data.cols, data.limit, palette,
                             cell_width=cell)  # fmt: skip
            row = rows[line - 1] if line - 1 < len(rows) else []
            used = sum(s.cell_length for s in row)
            segments.extend(row)
            segments.append(Segment(" " * (tile_w - used), base))
        return Strip(segments).adjust_cell_length(width, base)


class UnitDetail(Widget):
    """One unit: its input weights large (numbers on demand), its bias, and how it votes
    for each letter (its output weights)."""

    DEFAULT_CSS = (
        palette.heatmap_css("UnitDetail")
        + """
    /* Diverging weights: red (palette.FOR) pushes a unit on, blue (palette.AGAINST) pushes it
       off; zero is the surface. */

    UnitDetail > .heatmap--zero {
        background: $surface;
        color: $foreground;
    }

    UnitDetail {
        padding: 0 1;
    }

    UnitDetail > .unit-detail--title {
        text-style: bold;
    }

    UnitDetail > .unit-detail--dim {
        color: $text-muted;
    }
    """
    )

    COMPONENT_CLASSES = HEATMAP_CLASSES | {"unit-detail--title", "unit-detail--dim"}

    data: reactive[UnitsData | None] = reactive(None)
    selected: reactive[int] = reactive(0)
    numbers: reactive[bool] = reactive(False)

    def render_lines_for(self, width: int, height: int) -> list[list[Segment]]:
        data = self.data
        if data is None:
            return []
        unit = min(self.selected, data.hidden - 1)
        palette = Palette.of(self)
        title = self.get_component_rich_style("unit-detail--title")
        dim = self.get_component_rich_style("unit-detail--dim")
        out: list[list[Segment]] = [
            [
                Segment(
                    f"Hidden unit {unit + 1} of {data.hidden}, bias {data.bias(unit):+.2f}", title
                )
            ],
        ]
        # As large as fits, leaving room for the legend, bias and a few votes.
        cell_w, cell_h = 2, 1
        # Cells twice as wide as high keep the pixels square.
        for w, h in ((6, 3), (4, 2), (2, 1)):
            map_w, map_h = grid_size(data.rows, data.cols, w, h)
            if map_w <= width and map_h + 4 + min(len(data.labels), 3) <= height:
                cell_w, cell_h = w, h
                break
        if self.numbers:
            cell_w = max(cell_w, 5)
        out += grid_rows(data.weights(unit), data.rows, data.cols, data.limit, palette,
                         cell_width=cell_w, cell_height=cell_h, numbers=self.numbers)  # fmt: skip
        base = self.rich_style
        out.append(legend(palette, data.limit, base))
        # The legend's ends, which every unit's map shares so that the maps compare (read as
        # "weights -2.2 to +2.2" it looked like this unit's own range, the same for each).
        out.append([Segment(f"colour ends ±{data.limit:.1f}, as on all maps", dim)])
        out.append([Segment("Votes (output weights):", title)])
        votes = data.votes(unit)
        room = max(1, height - len(out))
        order = sorted(range(len(votes)), key=lambda i: -abs(votes[i]))
        shown = sorted(order[:room] if len(votes) > room else order)
        if len(votes) > room:
            shown = sorted(order[: room - 1])
        half = max(3, (width - 12) // 2)
        top = max(abs(v) for v in votes) or 1.0
        for i in shown:
            out.append(vote_bar(data.labels[i], votes[i], top, half, palette, base))
        if len(shown) < len(votes):
            out.append([Segment(f"{len(votes) - len(shown)} weaker votes not shown", dim)])
        return out

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        lines = self.render_lines_for(width, height)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return Strip(lines[y]).adjust_cell_length(width, self.rich_style)


def vote_bar(
    label: str, value: float, top: float, half: int, palette: Palette, base: Style
) -> list[Segment]:
    """`label  ███|      +1.23`: a weight as a bar left (negative) or right of a centre line."""
    cells = round(abs(value) / top * half * 2) / 2 if top else 0
    full = int(cells)
    part = "▌" if cells - full else ""
    neg_color = palette.color(-top, top).rich_color
    pos_color = palette.color(top, top).rich_color
    if value < 0:
        left = (("▐" if part else "") + "█" * full).rjust(half)
        right = " " * half
    else:
        left = " " * half
        right = ("█" * full + part).ljust(half)
    return [
        Segment(f"{label[:2]:<3}", base),
        Segment(left, base + Style(color=neg_color)),
        Segment("│", base),
        Segment(right, base + Style(color=pos_color)),
        Segment(f" {value:+.2f}", base),
    ]
