"""Train's run column: the progress bar, the stats line beside it, the loss curve and log.

Everything that changes while training sits in this column: a frame redraws the bounding box
of what changed, and a full-width row would take the settings form beside it along. It shows
what a run's `Update`s bring (only what is new each time) and keeps the curve so far.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar

from letter_tui.app.views.run_text import stats_choices
from letter_tui.app.widgets.loss_curve import LossCurve
from letter_tui.app.widgets.loss_log import LossLog
from letter_tui.app.widgets.text_line import TextLine
from letter_tui.core.training import Update, format_log_line


class RunPanel(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.curve: list[tuple[int, float]] = []  # the loss curve so far
        self.last_update: Update | None = None
        self._phase: str | None = None
        self.show_timing = True  # off in screenshots, which must not depend on the clock

    def compose(self) -> ComposeResult:
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=None, show_eta=False, id="bar")
            yield TextLine(id="stats")
        yield LossCurve(id="curve", classes="panel")
        yield LossLog(id="log", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#curve").border_title = "Loss (log scale)"
        self.query_one("#log").border_title = "Log"

    def clear(self, epochs: int) -> None:
        """Empty, for a new run of `epochs` epochs."""
        self.curve = []
        self.last_update = None
        self.query_one(LossLog).clear()
        self.query_one(LossCurve).show((), epochs)
        self.query_one(ProgressBar).update(total=epochs, progress=0)
        self.query_one("#stats", TextLine).text = Text()

    def show(
        self,
        update: Update,
        log: Iterable[tuple[int, float]],
        curve: Iterable[tuple[int, float]],
        phase: str | None,
    ) -> None:
        """An update: the log lines and curve points new since the last one."""
        self.query_one(ProgressBar).update(total=update.epochs_total, progress=update.epochs_done)
        lines = [format_log_line(epoch, loss) for epoch, loss in log]
        if lines:
            self.query_one(LossLog).write_lines(lines)
        self.curve.extend(curve)
        self.query_one(LossCurve).show(self.curve, update.epochs_total)
        self.show_stats(update, phase)

    def show_phase(self, phase: str) -> RunPanel:
        """Say why the last update's run is not moving (paused, stopped)."""
        if self.last_update is not None:
            self.show_stats(self.last_update, phase)
        return self

    def show_stats(self, update: Update, phase: str | None = None) -> None:
        """The line beside the bar: epochs done and, as room allows, time left and speed.
        `phase` (paused, stopped) says why an unfinished run is not moving."""
        self.last_update, self._phase = update, phase
        width = self.query_one("#stats").size.width
        choices = stats_choices(update, phase, timing=self.show_timing)
        text = next((c for c in choices if len(c) <= width), choices[-1]) if width else choices[0]
        self.query_one("#stats", TextLine).text = Text(text, no_wrap=True, overflow="ellipsis")

    def on_resize(self) -> None:
        # After the layout: the stats line's new width decides how much it says.
        if self.last_update is not None:
            self.call_after_refresh(self.show_stats, self.last_update, self._phase)

    def write_lines(self, lines: Iterable[str]) -> None:
        self.query_one(LossLog).write_lines(lines)

    @property
    def log_lines(self) -> list[str]:
        return self.query_one(LossLog).lines
