"""The alphabet's labels in a row, the one being drawn highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class LetterStrip(Widget):
    DEFAULT_CSS = """
    LetterStrip {
        height: auto;
        padding: 0 1;
    }

    LetterStrip > .letter-strip--current {
        color: $text-accent;
        text-style: bold reverse;
    }
    """

    COMPONENT_CLASSES = {"letter-strip--current"}

    labels: reactive[tuple[str, ...]] = reactive(())
    current: reactive[int] = reactive(0)

    def render(self) -> Text:
        style = self.get_component_rich_style
        # Labels come from a user's file: Text, never markup.
        out = Text()
        current = style("letter-strip--current")
        # Three cells a label, no caption: 26 letters fit in 80 columns.
        for i, label in enumerate(self.labels):
            if i == self.current:
                out.append(f"[{label}]", style=current)
            else:
                out.append(f" {label} ")
        return out
