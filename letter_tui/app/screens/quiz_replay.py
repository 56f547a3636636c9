"""A round of the game just played, shown again from the summary."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from letter_tui.app.widgets.quiz_reveal import RevealView
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.quiz import Result


class ReplayScreen(Screen[None]):
    CSS_PATH = ["../widgets/quiz_reveal.tcss"]
    HELP_TOPIC = "quiz"
    BINDINGS = [Binding("escape,enter", "close", "Back to the summary")]

    def __init__(self, result: Result, alphabet: Alphabet) -> None:
        super().__init__()
        self.result = result
        self.alphabet = alphabet

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield RevealView()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Round {self.result.round.number} again"
        view = self.query_one(RevealView)
        view.show(self.result, self.alphabet)
        view.set_footer(Text("escape or enter: back to the summary", style="dim"))

    def action_close(self) -> None:
        self.dismiss()
