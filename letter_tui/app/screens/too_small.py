"""Shown instead of a broken layout when the terminal is smaller than the app needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static


class TooSmallScreen(ModalScreen[None]):
    """Covers the whole terminal; the app dismisses it once the terminal is big enough."""

    CSS_PATH = "too_small.tcss"

    def __init__(self, need: Size, have: Size) -> None:
        super().__init__()
        self.need = need
        self.have = have

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small-message")

    def _text(self) -> str:
        return (
            f"Please enlarge the terminal to at least {self.need.width}x{self.need.height}.\n"
            f"It is {self.have.width}x{self.have.height} now. (ctrl+q quits)"
        )

    def show(self, need: Size, have: Size) -> None:
        self.need, self.have = need, have
        if self.is_mounted:
            self.query_one("#too-small-message", Static).update(self._text())

    def on_screen_resume(self) -> None:
        size = self.app.size
        if size.width >= self.need.width and size.height >= self.need.height:
            self.dismiss()
