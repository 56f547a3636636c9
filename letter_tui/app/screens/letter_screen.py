"""LetterScreen: the base of letter-tui's activity screens, whose `app` is a LetterTuiApp.

Textual types `Screen.app` as a plain `App`, so reading the shared state (`self.app.alphabet`,
`self.app.model`, ...) would need a cast or a `type: ignore` at every use. Textual's demo does
the same for its pages (`PageScreen`). Only the type changes: at run time `app` is Textual's
own property, untouched, so this costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen, ScreenResultType

if TYPE_CHECKING:
    # Only for the type checker: app.py imports the screens, so a run-time import would cycle.
    from textual import getters

    from letter_tui.app.app import LetterTuiApp


class LetterScreen(Screen[ScreenResultType]):
    """A screen of the letter-tui app; `self.app` is typed as `LetterTuiApp`."""

    if TYPE_CHECKING:
        # Textual types its own `app` this way (`MessagePump.app = getters.app(App)`).
        app = getters.app(LetterTuiApp)
