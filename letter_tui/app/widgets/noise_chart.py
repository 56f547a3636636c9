"""Accuracy against noise: every stored answer, all players together, beside the network and
the best possible reader (the ideal observer) on the very same letters; one row per noise
bin, three bars each, in the players', the network's and the best reader's colours."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.widgets.guess_panel import bar
from letter_tui.core.scores import NoiseBin

SERIES = (("Players", "noise-chart--player"), ("Network", "noise-chart--network"))
SERIES += (("Best reader", "noise-chart--ideal"),)


class NoiseChart(Widget):
    DEFAULT_CSS = f"""
    NoiseChart {{
        height: auto;
        padding: 0 1;
    }}

    NoiseChart > .noise-chart--player {{
        color: {palette.YOU};
        background: $surface-lighten-1;
    }}

    NoiseChart > .noise-chart--network {{
        color: {palette.NETWORK};
        background: $surface-lighten-1;
    }}

    NoiseChart > .noise-chart--ideal {{
        color: {palette.BEST_READER};
        background: $surface-lighten-1;
    }}

    NoiseChart > .noise-chart--dim {{
        color: $text-muted;
    }}
    """

    COMPONENT_CLASSES = {
        "noise-chart--player",
        "noise-chart--network",
        "noise-chart--ideal",
        "noise-chart--dim",
    }

    bins: reactive[tuple[NoiseBin, ...]] = reactive(())
    empty: reactive[str] = reactive("No answers stored yet: play a game first.")

    def render(self) -> Text:
        style = self.get_component_rich_style
        if not self.bins:
            return Text(self.empty, style=style("noise-chart--dim"))
        # Each series: a bar and "100%"; the bin's label and count take 18 cells.
        bar_width = max(4, (self.size.width - 18) // 3 - 6)
        out = Text()
        out.append(f"{'Noise':<9} {'Answers':>7} ", style="bold")
        for name, _ in SERIES:
            out.append(f" {name:<{bar_width + 5}}", style="bold")
        out.append("\n")
        for b in self.bins:
            out.append(f"{b.low:.2f}-{b.high:.2f} {b.count:>7} ")
            for (_, cls), value in zip(
                SERIES, (b.player_accuracy, b.network_accuracy, b.ideal_accuracy), strict=True
            ):
                out.append(" ")
                out.append(bar(value, bar_width), style=style(cls))
                out.append(f"{value:>5.0%}")
            out.append("\n")
        out.append(
            "\nEach row: how many answers were given at that noise, the share the players got "
            "right, and the network and the best possible reader (the nearest letter) on the "
            "same letters.",
            style=style("noise-chart--dim"),
        )
        return out
