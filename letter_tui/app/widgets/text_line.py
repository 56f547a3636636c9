"""The fixed-size text widget the Train screen's stats line and status line are drawn in."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextLine(Widget):
    """Text in a box of fixed size (set in CSS). Not a Static: `Static.update` lays the whole
    screen out again, which these lines would do several times a second while training."""

    text: reactive[Text] = reactive(Text, layout=False)

    def render(self) -> Text:
        return self.text
