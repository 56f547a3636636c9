"""Train's status line: the news (started, paused, saved...), or a field's help meanwhile.

Labels and paths in the news come from files, so it is plain Text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from letter_tui.app.widgets.text_line import TextLine

HINT_DELAY = 0.05  # seconds: after the frame that shows a run starting or ending (see `say`)


class StatusLine(TextLine):
    def __init__(self, covered: Callable[[], bool], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._covered = covered  # True while something else is shown here (a field's help)
        self.status: Text = Text()

    def say(self, message: str | Text, *, own_frame: bool = False) -> None:
        """The news, shown unless covered (then it comes back with `show_status`).

        `own_frame`: show it a moment later, in a frame of its own. A frame redraws the
        bounding box of everything that changed, so this full-width line in the same frame as
        the run's column takes the whole form along: as a run starts and ends, two small
        frames cost half of one big one (and of the GIL it takes from the training thread).
        `call_after_refresh` is too soon: it can run before the frame it waits for.
        """
        self.status = message if isinstance(message, Text) else Text(message)
        if self._covered():
            return
        if own_frame:
            self.set_timer(HINT_DELAY, self._show_if_uncovered)
        else:
            self.text = self.status

    def _show_if_uncovered(self) -> None:
        if not self._covered():
            self.text = self.status

    def show_status(self) -> None:
        self.text = self.status
