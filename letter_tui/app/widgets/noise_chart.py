"""Accuracy against noise: every stored answer, all players together, beside the network and
the ideal observer on the very same letters; one row per noise bin, three bars each."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from letter_tui.app.widgets.guess_panel import bar
from letter_tui.core.scores import NoiseBin

SERIES = (("Players", "noise-chart--player"), ("Network", "noise-chart--network"))
SERIES += (("Ideal", "noise-chart--ideal"),)


class NoiseChart(Widget):
    DEFAULT_CSS = """
    NoiseChart {
        height: auto;
        padding: 0 1;
    }

    NoiseChart > .noise-chart--player {
        color: $accent;
        background: $surface-lighten-1;
    }

    NoiseChart > .noise-chart--network {
        color: $primary;
        background: $surface-lighten-1;
    }

    NoiseChart > .noise-chart--ideal {
        color: $success;
        background: $surface-lighten-1;
    }

    NoiseChart > .noise-chart--dim {
        color: $text-muted;
    }
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
        # Each series: a bar and "100%"; the bin's label and count take 15 cells.
        bar_width = max(4, (self.size.width - 15) // 3 - 6)
        out = Text()
        out.append(f"{'Noise':<9} {'n':>4} ", style="bold")
        for name, _ in SERIES:
            out.append(f" {name:<{bar_width + 5}}", style="bold")
        out.append("\n")
        for b in self.bins:
            out.append(f"{b.low:.2f}-{b.high:.2f} {b.count:>4} ")
            for (_, cls), value in zip(
                SERIES, (b.player_accuracy, b.network_accuracy, b.ideal_accuracy), strict=True
            ):
                out.append(" ")
                out.append(bar(value, bar_width), style=style(cls))
                out.append(f"{value:>5.0%}")
            out.append("\n")
        out.append(
            "\nEach row: the answers given at that noise (n), the share the players got right, "
            "and the network and the ideal observer (nearest letter) on the same letters.",
            style=style("noise-chart--dim"),
        )
        return out
