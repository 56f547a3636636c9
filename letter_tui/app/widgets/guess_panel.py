"""The network's live guess: one labelled bar per output, the top guess highlighted."""

from __future__ import annotations

import math

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from letter_tui.app.guess import GuessView

EIGHTHS = " ▏▎▍▌▋▊▉"
FOOTNOTE = (
    "Each output is a separate sigmoid from 0 to 1, not a probability: they need not add to 1."
)


def bar(value: float, width: int) -> str:
    """`value` in [0, 1] as a bar of `width` cells, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


class GuessPanel(Widget):
    COMPONENT_CLASSES = {
        "guess-panel--bar",
        "guess-panel--top-bar",
        "guess-panel--top",
        "guess-panel--notice",
        "guess-panel--dim",
    }

    view: reactive[GuessView] = reactive(GuessView, layout=False)
    offer: reactive[str] = reactive("")
    """What to do about a missing or out-of-date model (e.g. "Press t to train one.")."""

    def render(self) -> Text:
        width, height = self.size
        width = max(width, 12)
        view = self.view
        style = self.get_component_rich_style
        out = Text(no_wrap=False, overflow="fold")
        if not view.outputs:
            out.append(view.notice + "\n\n", style=style("guess-panel--notice"))
            out.append(self.offer)
            return out
        best = view.best
        assert best is not None
        out.append("Top guess: ", style=style("guess-panel--dim"))
        out.append(
            f"{view.labels[best]}  {view.outputs[best]:.2f}\n\n", style=style("guess-panel--top")
        )
        tail = Text()
        if view.notice:
            tail.append("\n" + view.notice, style=style("guess-panel--notice"))
            if self.offer:
                tail.append(" " + self.offer)
        tail.append("\n" + FOOTNOTE, style=style("guess-panel--dim"))
        tail_lines = sum(max(1, math.ceil(len(line) / width)) for line in tail.plain.split("\n"))
        budget = max(1, height - 2 - tail_lines)
        order = list(range(len(view.outputs)))
        more = ""
        if len(order) > budget:
            # Too many letters to list: the strongest outputs, strongest first.
            order.sort(key=lambda i: -view.outputs[i])
            shown, hidden = order[: budget - 1], order[budget - 1 :]
            order = shown
            more = f"{len(hidden)} more, all at most {max(view.outputs[i] for i in hidden):.2f}\n"
        bar_width = max(4, width - 8)
        for i in order:
            value = view.outputs[i]
            line_style = style("guess-panel--top") if i == best else None
            out.append(f"{view.labels[i]} ", style=line_style)
            bar_style = "guess-panel--top-bar" if i == best else "guess-panel--bar"
            out.append(bar(value, bar_width), style=style(bar_style))
            out.append(f" {value:.2f}\n", style=line_style)
        if more:
            out.append(more, style=style("guess-panel--dim"))
        out.append_text(tail)
        return out
