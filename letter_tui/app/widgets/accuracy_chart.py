"""Accuracy against noise: the network, the best possible reader (the ideal observer) and
chance, as a braille chart, and the same numbers as a table that says where the network
does worse. Each series keeps its colour and line style from `palette`."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.views.braille import BrailleCanvas, scale
from letter_tui.core.evaluate import NoiseCurve

AXIS = 5  # "100%" and the axis line
NETWORK, IDEAL, CHANCE = 0, 1, 2
SERIES_CLASS = {
    NETWORK: "accuracy-chart--network",
    IDEAL: "accuracy-chart--ideal",
    CHANCE: "accuracy-chart--chance",
}


class AccuracyChart(Widget):
    DEFAULT_CSS = f"""
    AccuracyChart {{
        width: 1fr;
    }}

    AccuracyChart > .accuracy-chart--network {{
        color: {palette.NETWORK};
        text-style: bold;
    }}

    AccuracyChart > .accuracy-chart--ideal {{
        color: {palette.BEST_READER};
        text-style: bold;
    }}

    AccuracyChart > .accuracy-chart--chance {{
        color: {palette.CHANCE};
    }}

    AccuracyChart > .accuracy-chart--axis {{
        color: $text-muted;
    }}
    """

    COMPONENT_CLASSES = set(SERIES_CLASS.values()) | {"accuracy-chart--axis"}

    curve: reactive[NoiseCurve | None] = reactive(None)
    waiting: reactive[str] = reactive("")

    def _draw(self, width: int, height: int) -> list[Strip]:
        base = self.rich_style
        axis = self.get_component_rich_style("accuracy-chart--axis")
        curve = self.curve
        legend = self._legend(width)
        plot_w, plot_h = width - AXIS - 1, height - 1 - len(legend)
        if curve is None or plot_w < 6 or plot_h < 3:
            lines = [Strip.blank(width, base) for _ in range(height)]
            if height:
                lines[0] = Strip([Segment(self.waiting[:width], axis)])
            return lines
        canvas = BrailleCanvas(plot_w, plot_h)
        top_p = max(pt.p for pt in curve.points) or 1.0

        def dots(values: list[float]) -> list[tuple[int, int]]:
            return [
                (
                    scale(pt.p, 0, top_p, canvas.dots_wide),
                    canvas.dots_high - 1 - scale(v, 0, 1, canvas.dots_high),
                )
                for pt, v in zip(curve.points, values, strict=True)
            ]

        chance = curve.points[0].chance
        y = canvas.dots_high - 1 - scale(chance, 0, 1, canvas.dots_high)
        for x in range(0, canvas.dots_wide, 3):
            canvas.set(x, y, CHANCE)
        # The network solid, the best possible reader dashed on top of it: where the two
        # lines meet, the dashes still show between the network's dots.
        canvas.polyline(dots([pt.network for pt in curve.points]), NETWORK)
        canvas.polyline(dots([pt.ideal for pt in curve.points]), IDEAL, dash=3)
        styles = {k: self.get_component_rich_style(v) for k, v in SERIES_CLASS.items()}
        labels = {0: "100%", plot_h // 2: " 50%", plot_h - 1: "  0%"}
        strips = []
        for row in range(plot_h):
            segments = [Segment(labels.get(row, "").rjust(AXIS - 1) + " ", axis)]
            segments.append(Segment("│", axis))
            segments += [Segment(c, styles.get(s, base)) for c, s in canvas.row(row)]
            strips.append(Strip(segments))
        right = f"{top_p:.2f} noise"
        bottom = " " * AXIS + "└0" + "─" * max(1, plot_w - 1 - len(right)) + right
        strips.append(Strip([Segment(bottom[:width], axis)]))
        for items in legend:
            segments = [Segment(" " * AXIS + " ", base)]
            for i, (series, text) in enumerate(items):
                if i:
                    segments.append(Segment("  ", base))
                segments.append(Segment(text, styles[series]))
            strips.append(Strip(segments))
        return [s.adjust_cell_length(width, base) for s in strips]

    @staticmethod
    def _legend(width: int) -> list[list[tuple[int, str]]]:
        """The legend's items (line style and name), on as many rows as the width needs."""
        items = [
            (NETWORK, f"{palette.LINE['network']} network"),
            (IDEAL, f"{palette.LINE['best']} best possible reader"),
            (CHANCE, f"{palette.LINE['chance']} chance"),
        ]
        rows: list[list[tuple[int, str]]] = [[]]
        used = AXIS + 1
        for item in items:
            need = len(item[1]) + (2 if rows[-1] else 0)
            if rows[-1] and used + need > width:
                rows.append([])
                used, need = AXIS + 1, len(item[1])
            rows[-1].append(item)
            used += need
        return rows

    def render_line(self, y: int) -> Strip:
        # The chart is a handful of points: drawing it per line costs less than caching.
        width, height = self.size
        lines = self._draw(width, height)
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)


def noise_table(curve: NoiseCurve) -> Text:
    """The numbers behind the chart, with how many points the network is worse than the best
    possible reader at each noise level, and a sentence saying where the gap is largest."""
    out = Text()
    out.append(" noise network best reader worse\n", style="bold")
    worst = max(curve.points, key=lambda pt: pt.ideal - pt.network)
    for pt in curve.points:
        gap = round((pt.ideal - pt.network) * 100, 1)
        # No sign: "+0.3" read as ahead. A network level with or above the best reader's
        # average (by the luck of these samples) is worse by "none".
        worse = f"{gap:.1f}" if gap > 0 else "none"
        line = f" {pt.p:5.2f} {pt.network:7.1%} {pt.ideal:11.1%} {worse:>5}\n"
        out.append(line, style="bold" if pt is worst and gap > 0.5 else "")
    out.append(f" chance {curve.points[0].chance:.1%}\n")
    # What the best possible reader is, Help says (and the legend names it on the chart).
    out.append("worse: points of accuracy below the best possible reader.\n\n")
    gap = (worst.ideal - worst.network) * 100
    if gap > 0.5:
        out.append(
            f"The network does worst against the best possible reader at noise {worst.p:.2f}: "
            f"{gap:.1f} points worse.",
        )
    else:
        out.append("The network reads noisy letters as well as the best possible reader, "
                   "within half a point at every noise level.")  # fmt: skip
    out.append(f"\n({curve.samples} noisy letters per level)")
    return out
