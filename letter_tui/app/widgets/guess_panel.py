"""The network's live guess: one labelled bar per output, the top guess marked by shape (a
▶ before its bar, bold label and value), every bar in the network's colour."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app import palette
from letter_tui.app.views.guess import GuessView

EIGHTHS = " ▏▎▍▌▋▊▉"


BAR, TOP_BAR, TOP = "guess-panel--bar", "guess-panel--top-bar", "guess-panel--top"
NOTICE, DIM = "guess-panel--notice", "guess-panel--dim"

MARKER = "▶ "
"""Before the top guess's bar: it is told by shape, not by a colour of its own."""

Line = tuple[tuple[str, str], ...]
"""One screen line: (text, component class or "") pieces."""


def bar(value: float, width: int) -> str:
    """`value` in [0, 1] as a bar of `width` cells, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


class GuessPanel(Widget):
    """Drawn line by line, and only the lines whose text changed are repainted: an edit
    usually moves a few bars, not the notes under them."""

    DEFAULT_CSS = f"""
    GuessPanel {{
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }}

    GuessPanel > .guess-panel--bar {{
        color: {palette.NETWORK};
        background: $surface-lighten-1;
    }}

    GuessPanel > .guess-panel--top-bar {{
        color: {palette.NETWORK};
        background: $surface-lighten-1;
    }}

    GuessPanel > .guess-panel--top {{
        color: $foreground;
        text-style: bold;
    }}

    GuessPanel > .guess-panel--notice {{
        color: $text-warning;
    }}

    GuessPanel > .guess-panel--dim {{
        color: $text-muted;
    }}
    """

    COMPONENT_CLASSES = {BAR, TOP_BAR, TOP, NOTICE, DIM}

    view: var[GuessView] = var(GuessView)
    offer: var[str] = var("")
    """What to do about a missing or out-of-date model (e.g. "Press t to train one.")."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Line] = []

    def watch_view(self) -> None:
        self._update()

    def watch_offer(self) -> None:
        self._update()

    def on_resize(self) -> None:
        # The event's size includes padding; the lines must fit the content area that
        # render_line draws into.
        self._lines = self.lines(self.size.width, self.size.height)
        self.refresh()

    def _update(self) -> None:
        if not self.is_mounted:
            return
        width, height = self.size
        old, new = self._lines, self.lines(width, height)
        self._lines = new
        changed = [
            y
            for y in range(max(len(old), len(new)))
            if y >= len(old) or y >= len(new) or old[y] != new[y]
        ]
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    @property
    def plain(self) -> str:
        """What the panel shows, as plain text (for tests and screen readers' logs)."""
        return "\n".join("".join(text for text, _ in line) for line in self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        # Styles are looked up here, not stored in the lines: a new theme only repaints.
        segments = [
            Segment(text, base + self.get_component_rich_style(name) if name else base)
            for text, name in self._lines[y]
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def lines(self, width: int, height: int) -> list[Line]:
        """The panel's content, one Line per screen line, wrapped to `width`."""
        width = max(width, 12)
        view = self.view

        def wrapped(text: str, name: str = "") -> list[Line]:
            if not text:
                return [()]
            rows = Text(text).wrap(self.app.console, width)
            return [((row.plain.rstrip(), name),) for row in rows]

        if not view.outputs:
            out = wrapped(view.notice, NOTICE)
            if self.offer:
                out += [(), *wrapped(self.offer)]
            return out
        best = view.best
        assert best is not None
        head = (("Top guess: ", DIM), (f"{view.labels[best]}  {view.outputs[best]:.2f}", TOP))
        tail: list[Line] = []
        if view.notice:
            tail += [(), *wrapped(view.notice, NOTICE)]
            if self.offer:
                tail += wrapped(self.offer)
        # What the numbers mean (sigmoid or softmax) is in Help (the Draw page), not under
        # every panel: Draw, the quiz's reveal and Fool keep the room for the bars.
        budget = max(1, height - 2 - len(tail))
        order = list(range(len(view.outputs)))
        more: list[Line] = []
        if len(order) > budget:
            # Too many letters to list: the strongest outputs, strongest first.
            order.sort(key=lambda i: -view.outputs[i])
            order, hidden = order[: budget - 1], order[budget - 1 :]
            rest = max(view.outputs[i] for i in hidden)
            # "at most 0.00" read as "exactly nothing"; a bound that is never 0 says it.
            bound = "under 0.01" if rest < 0.005 else f"{rest:.2f} or less"
            more = [((f"{len(hidden)} more, all {bound}", DIM),)]
        bar_width = max(4, width - 10)
        bars: list[Line] = []
        for i in order:
            value = view.outputs[i]
            top = i == best
            bars.append(
                (
                    (f"{view.labels[i]} ", TOP if top else ""),
                    (MARKER if top else "  ", TOP if top else ""),
                    (bar(value, bar_width), TOP_BAR if top else BAR),
                    (f" {value:.2f}", TOP if top else ""),
                )
            )
        return [head, (), *bars, *more, *tail]
