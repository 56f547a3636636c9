"""A small modal question with a few one-key answers: confirmations and the quit prompt."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str | None]):
    """Dismissed with the chosen value, or None for escape / the cancel button."""

    CSS_PATH = "choice.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    HELP_TOPIC = "index"

    def __init__(
        self,
        title: str,
        message: str,
        choices: list[tuple[str, str, str]],
        *,
        cancel: str = "Cancel",
    ) -> None:
        """`choices` are (key, button label, value); the message is shown as plain text."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.cancel_label = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(Text(self.title_text, style="bold"), id="choice-title")
            yield Static(Text(self.message), id="choice-message")
            with Horizontal(id="choice-buttons"):
                for key, label, value in self.choices:
                    yield Button(f"{label} ({key})", id=f"choice-{value}", variant="primary")
                yield Button(f"{self.cancel_label} (esc)", id="choice-cancel")

    def on_mount(self) -> None:
        # Escape is the safe answer, so the cursor starts there.
        self.query_one("#choice-cancel", Button).focus()

    def on_key(self, event: Key) -> None:
        for key, _label, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id == "choice-cancel":
            self.dismiss(None)
        else:
            self.dismiss(button_id.removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)
