"""Asks the player's name before a game, the login name filled in; the name is cleaned here,
where it comes in (core.names), and nowhere after."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.core.names import NAME_MAX, PlayerName, clean_name


class NamePrompt(ModalScreen[PlayerName | None]):
    """Dismissed with a cleaned name, or None when cancelled with escape."""

    CSS_PATH = "name_prompt.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    HELP_TOPIC = "quiz"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.default = name

    def compose(self) -> ComposeResult:
        with Vertical(id="name-dialog"):
            yield Static(Text("Your name for the leaderboard", style="bold"))
            yield Static(f"Up to {NAME_MAX} characters; enter starts the game, escape goes back.")
            yield Input(self.default, max_length=NAME_MAX, id="name-input", select_on_focus=False)
            yield Static("", id="name-problem")
        yield KeyFooter()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_name(event.value, fallback="")
        if not name:
            self.query_one("#name-problem", Static).update(
                Text("Type a name with at least one visible character.")
            )
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
