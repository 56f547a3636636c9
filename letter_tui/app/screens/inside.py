"""Inside the network: hidden units as heatmaps, a forward pass, accuracy against noise and
a confusion matrix, for the network the Train screen publishes (live while it trains).

Opened from Train with `i`; escape goes back. The noise chart and the confusion matrix are
computed by the core in a thread worker (10,000 noisy letters per level, seeded with the
model's seed, so the numbers are the ones `letter-tui train --headless` prints).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static, TabbedContent, TabPane, Tabs
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from letter_tui.app.views.inside_data import UnitsData, forward_pass
from letter_tui.app.views.inside_subject import Subject, from_model
from letter_tui.app.views.inside_view import (
    NO_MODEL,
    OUT_OF_DATE,
    VIEWS,
    allowed,
    noisy_input,
    status_text,
    stepped_noise,
)
from letter_tui.app.widgets.accuracy_chart import AccuracyChart, noise_table
from letter_tui.app.widgets.activation_bars import ActivationBars
from letter_tui.app.widgets.confusion_matrix import ConfusionMatrix, mix_ups_text
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.marked_grid import MarkedGrid, flip_marks
from letter_tui.app.widgets.network_units import LayerView, NetworkUnits
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.widgets.unit_maps import UnitDetail, UnitTiles
from letter_tui.app.widgets.why import top_units, unit_label, why_marks_with_flips
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.effects import explain
from letter_tui.core.evaluate import Confusion, NoiseCurve, confusion, noise_curve
from letter_tui.core.network import Network

if TYPE_CHECKING:
    from letter_tui.app.screens.train import TrainScreen

WIDE = 110  # terminal columns from which the forward pass's input letter is drawn larger
WHY_UNITS = 5  # units listed beside the forward pass's why overlay
EVAL_SPACING = 1.0  # seconds between re-evaluations while the network is still training


class InsideScreen(Screen[None]):
    CSS_PATH = "inside.tcss"
    HELP_TOPIC = "inside"
    # The forward pass's input column: the letter over the why overlay's list of units.
    DEFAULT_CSS = """
    InsideScreen #input-column { width: 18; }
    InsideScreen #input-column #input { height: 1fr; }
    InsideScreen #why-units { height: auto; max-height: 8; }
    """
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("tab", "view(1)", "Views"),
        Binding("shift+tab", "view(-1)", "Previous view", show=False),
        *(Binding(str(i + 1), f"show('{v}')", v.title(), show=False) for i, v in enumerate(VIEWS)),
        Binding("left", "unit(-1, 0)", "Unit", key_display="←↑↓→"),
        Binding("right", "unit(1, 0)", "Next unit", show=False),
        Binding("up", "unit(0, -1)", "Unit above", show=False),
        Binding("down", "unit(0, 1)", "Unit below", show=False),
        Binding("pagedown,right_square_bracket", "letter(1)", "Letter", key_display="]"),
        Binding("pageup,left_square_bracket", "letter(-1)", "Previous letter", show=False),
        Binding("plus,equals_sign", "noise(1)", "Noise", key_display="+/-"),
        Binding("minus", "noise(-1)", "Less noise", show=False),
        Binding("r", "reroll", "New noise"),
        Binding("up", "scroll(0, -1)", "Scroll up", show=False),
        Binding("down", "scroll(0, 1)", "Scroll down", show=False),
        Binding("left", "scroll(-1, 0)", "Scroll left", show=False),
        Binding("right", "scroll(1, 0)", "Scroll right", show=False),
        Binding("v", "numbers", "Numbers"),
        Binding("w", "why", "Why"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        train: TrainScreen | None = None,
        *,
        subject: Subject | None = None,
        unit: int = 0,
        view: str | None = None,
    ) -> None:
        """From Train, `train` publishes the network (live while it trains); from elsewhere
        (a quiz reveal, Draw) a fixed `subject`, opened on `view` with `unit` chosen."""
        super().__init__()
        self.train = train
        self._fixed = subject
        self._start_view = view
        self.why = False
        self.unit = unit
        self.letter = 0
        self.numbers = False
        self.forward_noise = 0.0
        self.confusion_noise = 0.1
        self._noise_seed = 0
        self._curve: tuple[Subject | None, NoiseCurve | None] = (None, None)
        self._confusion: tuple[Subject | None, float, Confusion | None] = (None, 0.0, None)
        self._last_eval = -EVAL_SPACING

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(id="views"):
            with TabPane("1 Units", id="units"), Horizontal():
                yield UnitTiles(id="tiles", classes="panel")
                yield UnitDetail(id="detail", classes="panel")
            with TabPane("2 Forward pass", id="forward"), Horizontal():
                with Vertical(id="input-column"):
                    yield MarkedGrid(id="input", classes="panel")
                    yield OptionList(id="why-units", classes="panel")
                yield NetworkUnits(id="hidden", classes="panel")
                yield ActivationBars(id="outputs", classes="panel")
            with TabPane("3 Noise", id="noise"), Horizontal():
                yield AccuracyChart(id="chart", classes="panel")
                # Scrollable: at 64x20 the table and its sentence are taller than the box.
                with VerticalScroll(id="noise-table-box", classes="panel"):
                    yield Static("", id="noise-table")
            with TabPane("4 Confusion", id="confusion"), Horizontal():
                with Vertical(id="matrix-box", classes="panel"):
                    yield ConfusionMatrix(id="matrix")
                with VerticalScroll(id="mix-ups-box", classes="panel"):
                    yield Static("", id="mix-ups")
        yield Static("", id="inside-status")
        yield KeyFooter()

    def on_resize(self) -> None:
        """The input letter takes more room on a wide terminal (a scale-2 grid from 110
        columns), so it reads as the letter the network is looking at."""
        width = 30 if self.size.width >= WIDE else 18
        for node in self.query("#input-column, #input"):
            node.styles.width = width

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        for box in self.query("#noise-table-box, #mix-ups-box, #matrix"):
            box.can_focus = False  # up and down stay the screen's (they scroll the box)
        self.query_one("#tiles").border_title = "Input weights of each hidden unit"
        self.query_one("#hidden").border_title = "Hidden units"
        self.query_one("#outputs").border_title = "Outputs"
        self.query_one("#chart").border_title = "Accuracy against noise"
        self.query_one("#noise-table-box").border_title = "Numbers"
        self.query_one("#mix-ups-box").border_title = "Mix-ups"
        self._title_matrix()
        grid = self.query_one("#input", MarkedGrid)
        grid.cursor = (-1, -1)  # no cursor: this grid is only looked at
        self.query_one("#why-units").display = False
        if self.train is not None:
            self.watch(self.train, "subject", self._subject_changed)
        else:
            self._subject_changed()
        if self._start_view is not None:
            self.action_show(self._start_view)

    # --- what is shown --------------------------------------------------------------------

    @property
    def subject(self) -> Subject | None:
        return self.train.subject if self.train is not None else self._fixed

    @property
    def view(self) -> str:
        return self.query_one(TabbedContent).active or "units"

    def _subject_changed(self, subject: Subject | None = None) -> None:
        subject = self.subject
        status = NO_MODEL if subject is None else status_text(subject)
        self.query_one("#inside-status", Static).update(Text(status))
        self._show_units()
        self._show_forward()
        self._refresh_eval()

    def _show_units(self) -> None:
        subject = self.subject
        tiles, detail = self.query_one(UnitTiles), self.query_one(UnitDetail)
        if subject is None:
            tiles.data = detail.data = None
            return
        data = UnitsData.of(subject.network, subject.labels, subject.rows, subject.cols)
        self.unit = min(self.unit, data.hidden - 1)
        tiles.data = detail.data = data
        tiles.selected = detail.selected = self.unit
        detail.numbers = self.numbers
        detail.border_title = f"Unit {self.unit + 1}"

    def _letters(self) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...], int, int] | None:
        subject = self.subject
        if subject is None or subject.alphabet is None:
            return None
        a = subject.alphabet
        return a.labels, a.bitmaps, a.rows, a.cols

    def _show_forward(self) -> None:
        subject = self.subject
        hidden, outputs = (
            self.query_one("#hidden", NetworkUnits),
            self.query_one("#outputs", ActivationBars),
        )
        grid = self.query_one("#input", MarkedGrid)
        units = self.query_one("#why-units", OptionList)
        letters = self._letters()
        if subject is None or letters is None:
            hidden.view = None
            outputs.values = ()
            outputs.note = NO_MODEL if subject is None else OUT_OF_DATE
            grid.marks = ()
            units.display = False
            return
        labels, bitmaps, rows, cols = letters
        self.letter %= len(labels)
        clean = bitmaps[self.letter]
        bitmap = noisy_input(clean, self.forward_noise, self._noise_seed, self.letter)
        fp = forward_pass(subject.network, bitmap)
        grid.shape = (rows, cols)
        grid.bitmap = fp.bitmap
        grid.border_title = f"Input {labels[self.letter]}"
        # Below the grid: the title's box is only as wide as the letter.
        grid.border_subtitle = f"noise {self.forward_noise:.2f}" if self.forward_noise else ""
        data = UnitsData.of(subject.network, subject.labels, subject.rows, subject.cols)
        hidden.view = LayerView(data, fp.hidden, fp.best)
        outputs.numbers = self.numbers
        outputs.labels = subject.labels
        outputs.values = fp.outputs
        outputs.highlight_best = True
        outputs.note = f"reads it as {subject.labels[fp.best]}"
        self._show_why(subject, fp.bitmap, clean)

    def _show_why(self, subject: Subject, bitmap: tuple[int, ...], clean: tuple[int, ...]) -> None:
        """The why overlay on the input, and the units that pushed the guess most as a list:
        enter (or a click) on one opens its heatmap in the Units view."""
        grid = self.query_one("#input", MarkedGrid)
        units = self.query_one("#why-units", OptionList)
        units.display = self.why
        self._set_legend("")
        if not self.why:
            grid.marks = flip_marks(bitmap, clean)  # what the noise flipped, marked x
            return
        explanation = explain(subject.network, bitmap)
        guess = subject.labels[explanation.guess]
        grid.marks = why_marks_with_flips(explanation.effects, bitmap, clean)
        # The input's box is too narrow for the legend: the status line carries it.
        self._set_legend(f"Why {guess}: ++ + push toward it (red), -- - against (blue), · little")
        shown = top_units(explanation, WHY_UNITS)
        highlighted = units.highlighted
        units.clear_options()
        units.add_options([Option(unit_label(explanation, u), id=f"unit-{u}") for u in shown])
        units.highlighted = min(highlighted or 0, len(shown) - 1)
        total = len(explanation.contributions)
        units.border_title = f"Push on {guess}"  # fires x weight: not the weight alone
        units.border_subtitle = (
            f"{total - len(shown)} more" if total > len(shown) else "enter: look"
        )
        if self.view == "forward":
            units.focus()

    def _set_legend(self, legend: str) -> None:
        """The status line: where the network comes from, and the why legend while shown."""
        subject = self.subject
        if subject is not None:
            self.query_one("#inside-status", Static).update(Text(status_text(subject, legend)))

    def action_why(self) -> None:
        self.why = not self.why
        self._show_forward()
        if not self.why:
            self.set_focus(None)

    @on(OptionList.OptionSelected, "#why-units")
    def _unit_chosen(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen unit's heatmap in the Units view."""
        event.stop()
        self.unit = int(str(event.option.id).removeprefix("unit-"))
        self.set_focus(None)
        self.action_show("units")
        self._show_units()

    # --- noise chart and confusion matrix, computed in a worker ---------------------------

    def _refresh_eval(self) -> None:
        subject, view = self.subject, self.view
        chart, table = self.query_one(AccuracyChart), self.query_one("#noise-table", Static)
        matrix, mix = self.query_one(ConfusionMatrix), self.query_one("#mix-ups", Static)
        if subject is None or subject.alphabet is None:
            reason = NO_MODEL if subject is None else OUT_OF_DATE
            chart.curve, matrix.confusion = None, None
            chart.waiting = matrix.waiting = reason
            table.update("")
            mix.update("")
            return
        if view == "noise" and self._curve[0] is not subject:
            if self._curve[1] is None:
                chart.waiting = "Reading 10,000 noisy letters per noise level..."
            self._evaluate("noise")
        if view == "confusion" and self._confusion[:2] != (subject, self.confusion_noise):
            if self._confusion[2] is None:
                matrix.waiting = "Reading 10,000 noisy letters..."
            self._evaluate("confusion")

    def _evaluate(self, what: str) -> None:
        if any(w.group == "eval" and w.is_running for w in self.workers):
            return  # the worker's end calls _refresh_eval again
        subject = self.subject
        assert subject is not None
        wait = self._last_eval + EVAL_SPACING - time.monotonic()
        if subject.training and wait > 0:
            self.set_timer(wait, self._refresh_eval)
            return
        self._last_eval = time.monotonic()
        self._run_eval(what, subject, self.confusion_noise)

    @work(thread=True, exclusive=True, exit_on_error=False, group="eval")
    def _run_eval(self, what: str, subject: Subject, p: float) -> tuple[str, Subject, object]:
        alphabet = subject.alphabet
        assert alphabet is not None
        if what == "noise":
            return what, subject, noise_curve(subject.network, alphabet, seed=subject.seed)
        return what, subject, confusion(subject.network, alphabet, p, seed=subject.seed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "eval":
            return
        if event.state == WorkerState.ERROR:
            self.notify(
                f"Could not evaluate the network: {event.worker.error}",
                severity="error",
                markup=False,
            )
            return
        if event.state != WorkerState.SUCCESS:
            return
        what, subject, result = event.worker.result
        if what == "noise":
            self._curve = (subject, result)
            self.query_one(AccuracyChart).curve = result
            self.query_one("#noise-table", Static).update(noise_table(result))
        else:
            self._confusion = (subject, result.p, result)
            self.query_one(ConfusionMatrix).confusion = result
            self.query_one("#mix-ups", Static).update(mix_ups_text(result))
        self._refresh_eval()

    # --- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(action, self.view)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        # The why list has the keys only in the forward view; elsewhere they are the view's.
        if self.view == "forward" and self.why:
            self.query_one("#why-units").focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()
        self._refresh_eval()

    def action_view(self, step: int) -> None:
        i = VIEWS.index(self.view)
        self.action_show(VIEWS[(i + step) % len(VIEWS)])

    def action_show(self, view: str) -> None:
        self.query_one(TabbedContent).active = view

    def action_unit(self, dx: int, dy: int) -> None:
        tiles = self.query_one(UnitTiles)
        if tiles.data is None:
            return
        self.unit = max(0, min(tiles.data.hidden - 1, self.unit + dx + dy * tiles.per_row))
        self._show_units()

    def action_letter(self, step: int) -> None:
        self.letter += step
        self._show_forward()

    def action_noise(self, step: int) -> None:
        if self.view == "forward":
            self.forward_noise = stepped_noise(self.forward_noise, step)
            self._show_forward()
        else:
            self.confusion_noise = stepped_noise(self.confusion_noise, step)
            self._title_matrix()
            self._refresh_eval()

    def _title_matrix(self) -> None:
        box = self.query_one("#matrix-box")
        # Cells are percentages of each row's letter (shown with v, else as shades).
        box.border_title = "% of letter (row) read as (column)"
        box.border_subtitle = f"noise {self.confusion_noise:.2f}"

    def action_reroll(self) -> None:
        self._noise_seed += 1
        self._show_forward()

    def action_scroll(self, dx: int, dy: int) -> None:
        # The boxes that can outgrow a small terminal; the keys stay with the screen.
        name = "#noise-table-box" if self.view == "noise" else "#matrix"
        self.query_one(name, ScrollableContainer).scroll_relative(x=dx * 6, y=dy * 3, animate=False)

    def action_numbers(self) -> None:
        self.numbers = not self.numbers
        self._show_units()
        self._show_forward()
        self.query_one(ConfusionMatrix).numbers = self.numbers

    def action_back(self) -> None:
        self.dismiss()


def open_unit(app, network: Network, alphabet: Alphabet, unit: int) -> None:  # type: ignore[no-untyped-def]
    """Open Inside on `unit`'s heatmap for `network` read on `alphabet` (the app's saved model
    when it is that network: its seed and title); escape comes back to the screen that asked."""
    model = getattr(app, "model", None)
    if model is not None and model.network is network:
        subject = from_model(model, alphabet)
    else:
        subject = Subject(
            network, alphabet.labels, alphabet.rows, alphabet.cols, alphabet, 0, "this network"
        )
    app.push_screen(InsideScreen(subject=subject, unit=unit, view="units"))
