"""Asks for a letter's label, checking it as it is typed (one character, not already used)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from letter_tui.core.alphabet import label_problem


class LabelPrompt(ModalScreen[str | None]):
    """Dismissed with a valid label, or None when cancelled with escape."""

    CSS_PATH = "label_prompt.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    HELP_TOPIC = "draw"

    def __init__(self, title: str, existing: Iterable[str], value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.existing = tuple(existing)
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="label-dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static("Type one character, then enter (escape cancels).")
            yield Input(self.value, max_length=1, id="label-input", select_on_focus=True)
            yield Static("", id="label-problem")

    def _problem(self, value: str) -> str | None:
        if not value:
            return "type the letter's label"
        return label_problem(value, self.existing)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        problem = self._problem(event.value) if event.value else None
        self.query_one("#label-problem", Static).update(Text(problem or ""))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self._problem(event.value)
        if problem:
            self.query_one("#label-problem", Static).update(Text(problem))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
