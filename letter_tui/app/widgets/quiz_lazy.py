"""Quiz pages composed on first use: a player sees the round first, so the reveal and the
summary are mounted only when a game first reaches them (less to compose, style and lay out
before a player's first frame; 30 players start at once on a class's server).

Such a view may be told what to show before its children exist: `when_ready(fill)` runs
`fill` now, or once the view is mounted (Textual mounts composed children before the
parent's Mount), in the order given.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget


class FillOnMount(Widget):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._ready = False
        self._pending: list[Callable[[], None]] = []

    def when_ready(self, fill: Callable[[], None]) -> None:
        if self._ready:
            fill()
        else:
            self._pending.append(fill)

    def on_mount(self) -> None:
        self._ready = True
        pending, self._pending = self._pending, []
        for fill in pending:
            fill()
