"""A round of the game just played, shown again from the summary."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.quiz_reveal import RevealView
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.network import Network
from letter_tui.core.quiz import Result


class ReplayScreen(Screen[None]):
    HELP_TOPIC = "quiz"
    BINDINGS = [
        Binding("escape,enter", "close", "Back to the summary"),
        Binding("w", "why", "Why"),
        Binding("1", "look_inside(0)", "Look inside", key_display="1-3"),
        Binding("2", "look_inside(1)", "Look inside", show=False),
        Binding("3", "look_inside(2)", "Look inside", show=False),
    ]

    def __init__(self, result: Result, alphabet: Alphabet, network: Network | None = None) -> None:
        super().__init__()
        self.result = result
        self.alphabet = alphabet
        self.network = network

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield RevealView()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Round {self.result.round.number} again"
        view = self.query_one(RevealView)
        view.show(self.result, self.alphabet, network=self.network)
        view.set_footer(Text("escape or enter: back to the summary", style="dim"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "look_inside":
            return len(self.query_one(RevealView).units) > int(parameters[0])  # type: ignore[call-overload]
        return True

    def action_why(self) -> None:
        self.query_one(RevealView).toggle_why()
        self.refresh_bindings()

    def action_look_inside(self, index: int) -> None:
        from letter_tui.app.screens.inside import open_unit

        units = self.query_one(RevealView).units
        if self.network is not None and index < len(units):
            open_unit(self.app, self.network, self.alphabet, units[index])

    def action_close(self) -> None:
        self.dismiss()
