"""The loss log: plain lines in a fixed-height box that follows the newest line.

Not Textual's `Log`: a `Log` grows its virtual size with every line, and each growth lays
the whole screen out again, while training, on the thread's GIL. This widget only repaints.
Focused (tab), up/down/page keys/home/end scroll it; scrolled to the end, it follows again.
A loss line wider than the box shows its loss with fewer digits (`2.35e-10`, never a cut
exponent: `2.3517…` reads as another number); any other line too wide ends in "…". Left and
right scroll sideways to the whole line; the border says where more is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

MAX_LINES = 100_000
_LOSS_LINE = re.compile(r"(Epoch \d+, Loss: )(\S+)")


def fit_line(text: str, width: int) -> str:
    """`text` in at most `width` cells. A loss line gives up digits of its loss (down to
    one significant digit: 10000000 epochs and a tiny loss fit the narrowest box the app
    allows), never its exponent; anything else too wide is cut and ends in "…"."""
    if len(text) <= width or width <= 0:
        return text
    match = _LOSS_LINE.fullmatch(text)
    if match:
        try:
            loss = float(match[2])
        except ValueError:
            loss = None
        if loss is not None:
            for digits in range(len(match[2]), 0, -1):
                short = f"{match[1]}{loss:.{digits}g}"
                if len(short) <= width:
                    return short
    return text[: width - 1] + "…"


class LossLog(Widget, can_focus=True):
    BINDINGS = [
        Binding("up", "scroll_by(-1)", "Scroll up", show=False),
        Binding("down", "scroll_by(1)", "Scroll down", show=False),
        Binding("pageup", "scroll_by(-5)", "Page up", show=False),
        Binding("pagedown", "scroll_by(5)", "Page down", show=False),
        Binding("home", "scroll_by(-1000000000)", "First line", show=False),
        Binding("end", "scroll_by(1000000000)", "Last line", show=False),
        Binding("left", "scroll_sideways(-8)", "Scroll left", show=False),
        Binding("right", "scroll_sideways(8)", "Scroll right", show=False),
        Binding("escape", "blur", "Done scrolling"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[str] = []
        self._top: int | None = None  # first line shown; None: follow the newest
        self._left = 0  # first column shown
        self._widest = 0

    @property
    def lines(self) -> list[str]:
        return list(self._lines)

    def clear(self) -> None:
        self._lines.clear()
        self._top = None
        self._left = self._widest = 0
        self._changed()

    def write_lines(self, lines: Iterable[str]) -> None:
        start = len(self._lines)
        self._lines.extend(lines)
        self._widest = max(self._widest, max(map(len, self._lines[start:]), default=0))
        del self._lines[:-MAX_LINES]
        self._changed()

    def _first(self) -> int:
        room = self.content_size.height
        last = max(0, len(self._lines) - room)
        return last if self._top is None else min(self._top, last)

    def _changed(self) -> None:
        first, room = self._first(), self.content_size.height
        above, below = first, max(0, len(self._lines) - first - room)
        parts = [f"↑{above}" if above else "", f"↓{below}" if below else ""]
        sideways = ("←" if self._left else "") + ("→" if self._left < self._most_left() else "")
        parts.append(sideways)
        self.border_subtitle = " ".join(p for p in parts if p)
        self.refresh()

    def action_scroll_by(self, step: int) -> None:
        room = self.content_size.height
        last = max(0, len(self._lines) - room)
        top = max(0, min(last, self._first() + step))
        self._top = None if top >= last else top
        self._changed()

    def _most_left(self) -> int:
        width = self.content_size.width
        return max(0, self._widest - width + 1) if self._widest > width > 0 else 0

    def action_scroll_sideways(self, step: int) -> None:
        self._left = max(0, min(self._most_left(), self._left + step))
        self._changed()

    def action_blur(self) -> None:
        self.screen.set_focus(None)

    def on_resize(self) -> None:
        # Wider now: lines that were scrolled sideways may fit whole again.
        self._left = min(self._left, self._most_left())
        self._changed()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        i = self._first() + y
        text = self._lines[i] if i < len(self._lines) else ""
        if self._left:
            text = text[self._left :]
            if text:
                text = "…" + text[1:]
        text = fit_line(text, width)
        return Strip([Segment(text, self.rich_style)]).adjust_cell_length(width, self.rich_style)
