"""The forward pass's hidden layer drawn as a network: each hidden unit as the small heatmap
of its input weights (what it looks for), beside how strongly it fires on this letter, and
its strongest connections on to the outputs.

With more units than fit (az has 64), the ones that matter most for this letter are shown
(largest push on the guess, either way) and a line says how many are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.views.inside_data import UnitsData
from letter_tui.app.widgets.guess_panel import bar
from letter_tui.app.widgets.heatmap import Palette, grid_rows, grid_size

LINES_PER_UNIT = 3  # the heatmap in half blocks: a 6-row letter in 3 lines


@dataclass(frozen=True, eq=False)
class LayerView:
    """One letter through the hidden layer. eq=False: compared by identity (arrays inside)."""

    data: UnitsData
    hidden: tuple[float, ...]  # each unit's activation on this letter, 0 to 1
    guess: int  # the output the network reads


def ranked_units(view: LayerView, room: int) -> tuple[tuple[int, ...], int]:
    """The units to draw in `room` slots and how many are left out: all of them in their
    own order when they fit, else those whose push on the guess (activation times weight)
    is largest either way, strongest first."""
    n = len(view.hidden)
    if n <= room:
        return tuple(range(n)), 0
    push = [abs(view.hidden[u] * float(view.data.W2[u, view.guess])) for u in range(n)]
    order = sorted(range(n), key=lambda u: -push[u])
    return tuple(order[:room]), n - room


class NetworkUnits(Widget):
    """Hidden units as rows: heatmap | unit, activation bar | connections to the outputs."""

    DEFAULT_CSS = (
        palette.heatmap_css("NetworkUnits")
        + """
    NetworkUnits { padding: 0 1; }
    NetworkUnits > .heatmap--zero { background: $surface; color: $foreground; }
    NetworkUnits > .network-units--bar { color: $primary; background: $surface-lighten-1; }
    NetworkUnits > .network-units--title { text-style: bold; }
    NetworkUnits > .network-units--dim { color: $text-muted; }
    """
    )
    COMPONENT_CLASSES = {
        "heatmap--positive",
        "heatmap--negative",
        "heatmap--zero",
        "network-units--bar",
        "network-units--title",
        "network-units--dim",
    }

    view: reactive[LayerView | None] = reactive(None)

    def lines(self, width: int, height: int) -> list[list[Segment]]:
        view = self.view
        if view is None:
            return []
        data = view.data
        style = self.get_component_rich_style
        base, dim, title = (
            self.rich_style,
            style("network-units--dim"),
            style("network-units--title"),
        )
        palette = Palette.of(self)
        map_w, map_h = grid_size(data.rows, data.cols, 1)
        per_unit = max(map_h, LINES_PER_UNIT)
        # One line for the header, one for "N more" when some are left out.
        room = max(1, (height - 1) // per_unit)
        units, left_out = ranked_units(view, room)
        if left_out:
            units, left_out = ranked_units(view, max(1, (height - 2) // per_unit))
        guess = data.labels[view.guess]
        out: list[list[Segment]] = [[Segment("looks for  fires  → weight", title)]]
        text_w = max(8, width - map_w - 1)
        bar_w = max(3, min(12, text_w - 13))
        for u in units:
            maps = grid_rows(data.weights(u), data.rows, data.cols, data.limit, palette,
                             cell_width=1)  # fmt: skip
            votes = data.votes(u)
            others = [i for i in range(len(votes)) if i != view.guess]
            strongest = max(others, key=lambda i: abs(votes[i])) if others else None
            text = [
                [
                    Segment(f"{u + 1:>2} ", title),
                    Segment(bar(view.hidden[u], bar_w), style("network-units--bar")),
                    Segment(f" {view.hidden[u]:.2f}", base),
                ],
                [Segment(f"   → {guess} {votes[view.guess]:+.1f}", base)],
                (
                    [Segment(f"   → {data.labels[strongest]} {votes[strongest]:+.1f}", dim)]
                    if strongest is not None
                    else []
                ),
            ]
            for k in range(per_unit):
                line = list(maps[k]) if k < len(maps) else [Segment(" " * map_w, base)]
                line.append(Segment(" ", base))
                line.extend(text[k] if k < len(text) else [])
                out.append(line)
        if left_out:
            out.append([Segment(f"{left_out} more, pushing {guess} less", dim)])
        return out

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        lines = self.lines(width, height)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return Strip(lines[y]).crop(0, width).adjust_cell_length(width, self.rich_style)
