"""The quiz's page before a round: no game yet, the saved model loading, or a model training."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

READY_TITLE = "Getting the network ready"


class WaitingPage(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("", id="training-text")
        yield ProgressBar(id="training-bar", show_eta=False)

    def on_mount(self) -> None:
        self.border_title = READY_TITLE

    def say(self, text: str, *, title: str = READY_TITLE, training: bool = False) -> None:
        """`text` (plain, never markup) under `title`; the bar only while `training`."""
        self.border_title = title
        self.query_one("#training-text", Static).update(Text(text))
        bar = self.query_one("#training-bar", ProgressBar)
        bar.display = training
        if training:
            bar.update(total=None, progress=0)

    def progress(self, done: int, total: int) -> None:
        self.query_one("#training-bar", ProgressBar).update(total=total, progress=done)
