"""The Train screen's footer: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer removes and mounts all its keys again on every `refresh_bindings`, and the
new keys lay the whole screen out again, twice: ten to thirty milliseconds of the event loop,
taken from the training thread's GIL when it happens during a run. The Train screen refreshes
its bindings on every keystroke in the settings form and on every change of the run's state,
and most of those refreshes leave the footer exactly as it was.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class TrainFooter(Footer):
    """A Footer that skips the rebuild when the keys, their labels and which of them are
    enabled are all the same as in the last one it composed."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Hashable | None = None

    def _signature(self) -> Hashable:
        """Everything `Footer.compose` reads from the bindings, in its order."""
        app = self.app
        return (
            self.show_command_palette and app.ENABLE_COMMAND_PALETTE,
            tuple(
                (key, b.action, b.description, app.get_key_display(b), b.group, enabled, tip)
                for key, (_, b, enabled, tip) in self.screen.active_bindings.items()
                if b.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> ComposeResult:
        self._shown = self._signature() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._signature() == self._shown
        ):
            return
        super().bindings_changed(screen)
