"""A layer's activations as labelled bars from 0 to 1, numbers on demand."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.widgets.guess_panel import MARKER, bar


class ActivationBars(Widget):
    """`labels[i]` with a bar for `values[i]` (0 to 1). When they do not all fit, the
    strongest are listed, strongest first, and a line says how many are left out."""

    DEFAULT_CSS = f"""
    ActivationBars {{
        padding: 0 1;
    }}

    ActivationBars > .activation-bars--bar {{
        color: {palette.NETWORK};
        background: $surface-lighten-1;
    }}

    ActivationBars > .activation-bars--top {{
        color: $foreground;
        text-style: bold;
    }}

    ActivationBars > .activation-bars--dim {{
        color: $text-muted;
    }}
    """

    COMPONENT_CLASSES = {"activation-bars--bar", "activation-bars--top", "activation-bars--dim"}

    labels: reactive[tuple[str, ...]] = reactive(())
    values: reactive[tuple[float, ...]] = reactive(())
    numbers: reactive[bool] = reactive(False)
    highlight_best: reactive[bool] = reactive(False)
    note: reactive[str] = reactive("")
    """A line under the bars (say, what the values mean)."""

    def render(self) -> Text:
        width, height = self.size
        style = self.get_component_rich_style
        out = Text(no_wrap=True, overflow="crop")
        values, labels = self.values, self.labels
        if not values:
            out.append(self.note, style=style("activation-bars--dim"))
            return out
        label_w = max(len(label) for label in labels) + 1
        # The best is marked by shape (a marker before its bar, bold), not by a colour swap.
        mark_w = len(MARKER) if self.highlight_best else 0
        number_w = 5 if self.numbers else 0
        bar_w = max(3, width - label_w - mark_w - number_w)
        room = max(1, height - (1 if self.note else 0))
        order = list(range(len(values)))
        best = max(order, key=lambda i: values[i])
        hidden = 0
        if len(order) > room:
            order.sort(key=lambda i: -values[i])
            hidden = len(order) - (room - 1)
            order = order[: room - 1]
        for i in order:
            top = self.highlight_best and i == best
            line_style = style("activation-bars--top") if top else None
            out.append(labels[i].ljust(label_w), style=line_style)
            if mark_w:
                out.append(MARKER if top else " " * mark_w, style=line_style)
            out.append(bar(values[i], bar_w), style=style("activation-bars--bar"))
            if self.numbers:
                out.append(f" {values[i]:.2f}"[:number_w].rjust(number_w), style=line_style)
            out.append("\n")
        if hidden:
            weakest = max(values[i] for i in range(len(values)) if i not in order)
            out.append(f"{hidden} more, all at most {weakest:.2f}\n", style("activation-bars--dim"))
        if self.note:
            out.append(self.note, style=style("activation-bars--dim"))
        return out
