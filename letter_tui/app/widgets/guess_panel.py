"""The network's live guess: one labelled bar per output, the top guess highlighted."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.events import Resize
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from letter_tui.app.guess import GuessView

EIGHTHS = " ▏▎▍▌▋▊▉"
FOOTNOTE = (
    "Each output is a separate sigmoid from 0 to 1, not a probability: they need not add to 1."
)


def bar(value: float, width: int) -> str:
    """`value` in [0, 1] as a bar of `width` cells, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


class GuessPanel(Widget):
    """Drawn line by line, and only the lines whose text changed are repainted: an edit
    usually moves a few bars, not the notes under them."""

    COMPONENT_CLASSES = {
        "guess-panel--bar",
        "guess-panel--top-bar",
        "guess-panel--top",
        "guess-panel--notice",
        "guess-panel--dim",
    }

    view: var[GuessView] = var(GuessView)
    offer: var[str] = var("")
    """What to do about a missing or out-of-date model (e.g. "Press t to train one.")."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Text] = []

    def watch_view(self) -> None:
        self._update()

    def watch_offer(self) -> None:
        self._update()

    def on_resize(self, event: Resize) -> None:
        self._lines = self.lines(event.size.width, event.size.height)
        self.refresh()

    def notify_style_update(self) -> None:
        # A new theme changes every line's colours.
        super().notify_style_update()
        if self.is_mounted:
            self._lines = self.lines(*self.size)
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
        return "\n".join(line.plain for line in self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        segments = list(self._lines[y].render(self.app.console))
        return Strip(Segment.apply_style(segments, base)).adjust_cell_length(width, base)

    def lines(self, width: int, height: int) -> list[Text]:
        """The panel's text, one Text per screen line, wrapped to `width`."""
        width = max(width, 12)
        view = self.view
        style = self.get_component_rich_style
        console = self.app.console

        def wrapped(text: Text) -> list[Text]:
            return list(text.wrap(console, width)) if text.plain else [Text()]

        if not view.outputs:
            out = wrapped(Text(view.notice, style=style("guess-panel--notice")))
            if self.offer:
                out += [Text(), *wrapped(Text(self.offer))]
            return out
        best = view.best
        assert best is not None
        head = Text.assemble(
            ("Top guess: ", style("guess-panel--dim")),
            (f"{view.labels[best]}  {view.outputs[best]:.2f}", style("guess-panel--top")),
        )
        tail: list[Text] = []
        if view.notice:
            notice = Text(view.notice, style=style("guess-panel--notice"))
            if self.offer:
                notice.append(" " + self.offer, style="")
            tail += [Text(), *wrapped(notice)]
        tail += [Text(), *wrapped(Text(FOOTNOTE, style=style("guess-panel--dim")))]
        budget = max(1, height - 2 - len(tail))
        order = list(range(len(view.outputs)))
        more: list[Text] = []
        if len(order) > budget:
            # Too many letters to list: the strongest outputs, strongest first.
            order.sort(key=lambda i: -view.outputs[i])
            order, hidden = order[: budget - 1], order[budget - 1 :]
            rest = max(view.outputs[i] for i in hidden)
            more = [Text(f"{len(hidden)} more, all at most {rest:.2f}", style("guess-panel--dim"))]
        bar_width = max(4, width - 8)
        bars = []
        for i in order:
            value = view.outputs[i]
            top = i == best
            line_style = style("guess-panel--top") if top else ""
            bars.append(
                Text.assemble(
                    (f"{view.labels[i]} ", line_style),
                    (
                        bar(value, bar_width),
                        style("guess-panel--top-bar" if top else "guess-panel--bar"),
                    ),
                    (f" {value:.2f}", line_style),
                )
            )
        return [head, Text(), *bars, *more, *tail]
