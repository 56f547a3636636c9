"""Train: settings, then watch the network learn: progress bar, loss log and loss curve.

Training runs in a thread worker that drives the core's `TrainingRun.updates` generator
with a stop event; the generator coalesces progress to a few updates a second and the
`Progressed` message coalesces again in the queue (`can_replace`), so the UI never falls
behind however fast the epochs go. Pause and stop set the event; resume and single steps
start the worker again on the same run, so a paused run continues with exactly the numbers
of an uninterrupted one. When the run finishes the model is saved in the worker
(atomically, `save_model`, which keeps the model it replaces as `<name>.previous.npz`) and
installed with `app.set_model`. A run that does not finish (x, or leaving Train while it
is paused) never replaces the saved model unasked: the worker measures both models
(`keep_run.judge`) and `KeepRunScreen` asks Keep or Discard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar
from textual.worker import Worker, WorkerState

from letter_tui.app.screens.inside_subject import Subject, from_model
from letter_tui.app.screens.keep_run import KeepRunScreen, Verdict, judge, result_lines
from letter_tui.app.widgets.loss_curve import LossCurve
from letter_tui.app.widgets.loss_log import LossLog
from letter_tui.app.widgets.run_text import TextLine, epochs, stats_choices, step_loss
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.widgets.train_footer import TrainFooter
from letter_tui.app.widgets.train_form import TrainForm
from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.training import (
    FIELD_BY_NAME,
    SLOW_SPEED,
    SPEEDS,
    TUTORIAL,
    TrainingRun,
    TrainSettings,
    Update,
    default_settings,
    format_log_line,
    next_speed,
)

UPDATE_INTERVAL = 0.25  # seconds between progress updates: four a second at most
# A run shows its keys (pause, stop) in the footer with its first progress update: a run that
# ends sooner (the tutorial's takes a tenth of a second) leaves the footer alone instead of
# flashing it, and changing the footer lays the screen out again, which would take a third
# as long as such a run from the training thread. The hint line says the keys at once, and
# they work at once.
FOOTER_DELAY = UPDATE_INTERVAL
HINT_DELAY = 0.05  # seconds: after the frame that shows a run starting or ending (see `say`)
RUNNING = (
    "Training. space pauses, x stops and asks whether to keep this run; + and - change the speed."
)


class TrainingFailed(Exception):
    """Training ended in a state that must not be saved (the weights blew up)."""


@dataclass
class Control:
    """What the worker should do once its stop event is set; written only by the UI."""

    ask: bool = False  # stop and ask whether to keep the run (otherwise: pause)
    abandoned: bool = False  # the app is quitting: stop and save nothing


class Progressed(Message):
    """A training update. The newest one supersedes a queued older one: it carries the whole
    log and curve so far, so dropping the older one loses nothing."""

    def __init__(
        self,
        run: TrainingRun,
        update: Update,
        history: tuple[tuple[int, float], ...],
        curve: tuple[tuple[int, float], ...],
    ) -> None:
        super().__init__()
        self.run = run
        self.update = update
        self.history = history
        self.curve = curve

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progressed) and message.run is self.run


class Ended(Message):
    """The worker stopped: paused or stepped (`model` None), finished and saved (`path`
    set), or stopped to ask whether to keep the run (`model` set, `path` None)."""

    def __init__(
        self,
        run: TrainingRun,
        model: Model | None = None,
        path: Path | None = None,
        note: str | None = None,
        verdict: Verdict | None = None,
        replaced: bool = False,
    ) -> None:
        super().__init__()
        self.run = run
        self.model = model
        self.path = path
        self.note = note
        self.verdict = verdict
        self.replaced = replaced  # a model was saved there before: it is .previous.npz now


class Judged(Message):
    """How well a finished run's model reads, measured once it is saved."""

    def __init__(self, run: TrainingRun, verdict: Verdict) -> None:
        super().__init__()
        self.run = run
        self.verdict = verdict


class TrainScreen(Screen[None]):
    CSS_PATH = ["train.tcss", "../widgets/train_form.tcss", "../widgets/loss_curve.tcss"]
    HELP_TOPIC = "train"
    # Under 80 columns the bar gives up width to the epochs beside it (train.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-roomy")]
    AUTO_FOCUS = ""  # no focus: the letter keys are commands until e opens the form
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
        Binding("n", "step", "One epoch"),
        Binding("x", "stop", "Stop"),
        Binding("e", "edit", "Settings"),
        Binding("T", "tutorial", "Tutorial"),
        Binding("D", "defaults", "Defaults", show=False),
        Binding("i", "inside", "Inside"),
        # Shown while a run goes; before it, the same keys set the form's speed unshown (the
        # footer is full at 80 columns, and the form's field says the speed).
        Binding("plus,equals_sign", "speed(1)", "Speed", key_display="+/-"),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("plus,equals_sign", "form_speed(1)", "Faster", show=False),
        Binding("minus", "form_speed(-1)", "Slower", show=False),
        Binding("l", "focus_log", "Scroll the log", show=False),
        Binding("escape", "app.activity('home')", "Home", show=False),
    ]

    # repaint=False: neither changes how the screen itself looks, and a screen repaint
    # several times a second would take the GIL from the training thread.
    state: reactive[str] = reactive("idle", init=False, repaint=False)
    """idle (no run, or the last one ended), running, paused, pausing or stopping (to ask
    whether to keep it)."""
    subject: reactive[Subject | None] = reactive(
        None, init=False, always_update=True, repaint=False
    )
    """The network the inside view shows: the live weights while training, else the model."""

    def __init__(self) -> None:
        super().__init__()
        self.run: TrainingRun | None = None
        self._stop = threading.Event()
        self._control = Control()
        self._logged = 0
        self._defaults: TrainSettings = TUTORIAL
        self._status: Text = Text()
        self._refused: str | None = None
        self._footer_timer: Timer | None = None
        self._stepping = False  # the worker trains a single epoch (n)
        self._steps_queued = 0  # n pressed again while a step was in flight
        self._last_update: Update | None = None
        self._last_phase: str | None = None
        self._asking = False  # the Keep / Discard question is on its way or on screen
        self._leaving = False  # asked because the learner is leaving Train
        self._finished_run: TrainingRun | None = None  # the run whose reading is to come
        self._then: Callable[[], object] | None = None  # what to do once it is answered
        self.show_timing = True  # off in screenshots, which must not depend on the clock

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="train-body"):
            yield TrainForm(id="form")
            # Everything that changes while training sits in this column: a frame redraws the
            # bounding box of what changed, and a full-width row would take the form with it.
            with Vertical(id="run-box"):
                with Horizontal(id="progress-row"):
                    yield ProgressBar(total=None, show_eta=False, id="bar")
                    yield TextLine(id="stats")
                yield LossCurve(id="curve", classes="panel")
                yield LossLog(id="log", classes="panel")
        yield TextLine(id="hint")
        yield TrainFooter(compact=True)

    def on_unmount(self) -> None:
        # Quitting (after ctrl+q asked): end the thread at once, so the process can exit,
        # and save nothing, as the question said.
        self._control.abandoned = True
        self._stop.set()

    def on_mount(self) -> None:
        form = self.query_one(TrainForm)
        form.border_title = "Settings"
        self.query_one("#curve").border_title = "Loss (log scale)"
        self.query_one("#log").border_title = "Log"
        self._defaults = default_settings(self.alphabet)
        # `letter-tui train --speed N`: the form starts at that pace.
        speed = self.app.train_speed or 0.0  # type: ignore[attr-defined]
        form.fill(replace(self._defaults, speed=speed))
        self.query_one(ProgressBar).update(total=self._defaults.epochs, progress=0)
        self.watch(self.app, "alphabet", self._alphabet_changed, init=False)
        self.watch(self.app, "model", self._model_changed, init=False)
        self._model_changed()
        self.app.set_leave_check("train", self.before_leaving)  # type: ignore[attr-defined]
        self.say(self._ready_message())

    # --- state ----------------------------------------------------------------------------

    @property
    def alphabet(self) -> Alphabet:
        return self.app.alphabet  # type: ignore[attr-defined]

    def _ready_message(self) -> str:
        a = self.alphabet
        kind = "the tutorial's" if self._defaults == TUTORIAL else "recommended"
        return (
            f"Alphabet {a.name}: {len(a)} letters. The settings are {kind} for it. "
            "Press s to start, e to change a setting."
        )

    def say(self, message: str | Text, *, own_frame: bool = False) -> None:
        """The status line; labels and paths in it come from files, so it is plain Text.

        `own_frame`: show it a moment later, in a frame of its own. A frame redraws the
        bounding box of everything that changed, so this full-width line in the same frame as
        the run's column takes the whole form along: as a run starts and ends, two small
        frames cost half of one big one (and of the GIL it takes from the training thread).
        `call_after_refresh` is too soon: it can run before the frame it waits for.
        """
        self._status = message if isinstance(message, Text) else Text(message)
        if self.query_one(TrainForm).has_focus_within:
            return
        if own_frame:
            self.set_timer(HINT_DELAY, self._hint_status)
        else:
            self._hint(self._status)

    def _hint_status(self) -> None:
        if not self.query_one(TrainForm).has_focus_within:
            self._hint(self._status)

    def _hint(self, text: Text) -> None:
        self.query_one("#hint", TextLine).text = text

    def _alphabet_changed(self) -> None:
        form = self.query_one(TrainForm)
        settings, problems = form.read()
        new = default_settings(self.alphabet)
        # Only untouched settings follow the alphabet: the learner's own choices stay, and so
        # does the speed, which is how to watch a run, not what it learns.
        untouched = replace(settings, speed=0.0) == self._defaults
        if not problems and untouched and new != self._defaults:
            form.fill(replace(new, speed=settings.speed))
        self._defaults = new
        if self.state == "idle":
            self._model_changed()

    def _model_changed(self) -> None:
        if self.state == "idle":
            self.subject = from_model(self.app.model, self.alphabet)  # type: ignore[attr-defined]

    def watch_state(self, state: str) -> None:
        run = self.run
        if state in ("running", "pausing", "paused", "stopping") and run is not None:
            self.app.set_unfinished(  # type: ignore[attr-defined]
                "train",
                f"A training run is unfinished ({run.epochs_done} of "
                f"{run.settings.epochs} epochs; x stops it and asks whether to keep it).",
            )
        else:
            self.app.set_unfinished("train", None)  # type: ignore[attr-defined]
        if self._footer_timer is not None:
            self._footer_timer.stop()
            self._footer_timer = None
        if state == "running":
            self._footer_timer = self.set_timer(FOOTER_DELAY, self._show_running)
        else:
            self._lock_form(state != "idle")
            self.refresh_bindings()

    def _show_running(self) -> None:
        self._lock_form(True)
        self.refresh_bindings()

    def _lock_form(self, locked: bool) -> None:
        """The form shows the settings of the run under way, so it cannot change until the
        run is saved: e, T and D are refused (check_action) and its fields take no focus."""
        self.query_one(TrainForm).set_locked(locked)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit_form", "leave_form"):
            return True
        if self.query_one(TrainForm).has_focus_within:
            # Letters and space type into the form; its own keys (enter, escape) apply.
            return False
        state = self.state
        if action == "start":
            # Not while paused: starting afresh would throw the paused run away unasked.
            return state == "idle"
        if action == "pause":
            return state == "running"
        if action == "resume":
            return state == "paused"
        if action == "step":
            # While a step is in flight, more presses queue up: holding n steps steadily.
            return state in ("idle", "paused") or (state == "running" and self._stepping)
        if action == "stop":
            return state in ("running", "paused") and not self._asking
        if action == "speed":
            return state != "idle"
        if action == "form_speed":
            return state == "idle"
        if action in ("tutorial", "defaults", "edit"):
            # The form shows the run's settings until it ends (x stops and asks).
            return state == "idle"
        return True

    # --- keys -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        form = self.query_one(TrainForm)
        name = form.first_problem() or "hidden"
        form.editor(name).focus()

    def action_focus_log(self) -> None:
        self.query_one(LossLog).focus()

    def action_leave_form(self) -> None:
        self.set_focus(None)
        self._hint(self._status)

    def action_tutorial(self) -> None:
        self._fill_keeping_speed(TUTORIAL)
        self.say("Tutorial settings: 5 hidden units, learning rate 0.1, 10000 epochs, seed 42.")

    def action_defaults(self) -> None:
        self._fill_keeping_speed(self._defaults)
        self.say(f"Recommended settings for alphabet {self.alphabet.name}.")

    def _fill_keeping_speed(self, settings: TrainSettings) -> None:
        # The speed is how the learner watches, not part of the recipe: it stays.
        form = self.query_one(TrainForm)
        _, problems = form.read()
        speed = 0.0 if "speed" in problems else self._form_speed()
        form.fill(replace(settings, speed=speed))

    def _form_speed(self) -> float:
        """The form's speed (max, 0, when its text is refused)."""
        form = self.query_one(TrainForm)
        settings, problems = form.read()
        return 0.0 if "speed" in problems else settings.speed

    def action_form_speed(self, step: int) -> None:
        self.action_speed(step)

    def action_speed(self, step: int) -> None:
        """+ and -: the next pace along SPEEDS, for the run under way (at once) and the form."""
        run = self.run if self.state != "idle" else None
        now = run.speed if run is not None else self._form_speed()
        new = next_speed(now, step)
        if run is not None:
            run.speed = new  # the training thread reads it before each wait
        self.query_one(TrainForm).set_value("speed", new)
        self.say(speed_message(new, now))

    def _settings(self) -> TrainSettings | None:
        form = self.query_one(TrainForm)
        settings, problems = form.read()
        if problems:
            name = form.first_problem() or next(iter(problems))
            self._refused = name
            form.editor(name).focus()
            self.say(f"Not started: fix {FIELD_BY_NAME[name].label} first ({problems[name]}).")
            return None
        return settings

    def _new_run(self) -> TrainingRun | None:
        settings = self._settings()
        if settings is None:
            return None
        run = TrainingRun(self.alphabet, settings)
        self.run = run
        self._logged = 0
        self.query_one(LossLog).clear()
        self.query_one(LossCurve).show((), settings.epochs)
        self.query_one(ProgressBar).update(total=settings.epochs, progress=0)
        self.query_one("#stats", TextLine).text = Text()
        self._last_update = None
        return run

    def action_start(self) -> None:
        if self.state != "idle":
            return
        run = self._new_run()
        if run is None:
            return
        self._launch(run, None)
        self.say(RUNNING, own_frame=True)

    def action_pause(self) -> None:
        if self.state == "running":
            self._steps_queued = 0
            self._control.ask = False
            self.state = "pausing"
            self._stop.set()

    def action_resume(self) -> None:
        if self.state == "paused" and self.run is not None:
            self._launch(self.run, None)
            self.say(RUNNING)

    def action_step(self) -> None:
        if self.state == "running" and self._stepping:
            self._steps_queued += 1
            return
        if self.state == "idle":
            run = self._new_run()
            if run is None:
                return
        elif self.state == "paused" and self.run is not None:
            run = self.run
        else:
            return
        self._launch(run, 1)

    def action_stop(self) -> None:
        self._ask()

    def _ask(self, then: Callable[[], object] | None = None, *, leaving: bool = False) -> None:
        """Stop the run and ask Keep or Discard (the worker measures both models first);
        `then` runs once it is answered, unless the answer is to stay."""
        self._steps_queued = 0
        if self._asking:
            return
        self._then, self._leaving = then, leaving
        if self.state == "running":
            self._asking = True
            self._control.ask = True
            self.state = "stopping"
            self._stop.set()
        elif self.state == "paused" and self.run is not None:
            self._asking = True
            # Nothing to train: a zero-epoch pass through the worker measures the models.
            self._launch(self.run, 0, ask=True)

    def before_leaving(self, proceed: Callable[[], object]) -> bool:
        """The app asks this before leaving Train (escape, another activity, quitting):
        True when a paused run must be kept or discarded first (`proceed` follows the
        answer), False to leave now. A running run goes on training in the background."""
        if self._asking:
            return True  # the question is on its way: one at a time
        if self.state == "paused" and self.run is not None:
            self._ask(proceed, leaving=True)
            return True
        return False

    def action_inside(self) -> None:
        from letter_tui.app.screens.inside import InsideScreen

        self.app.push_screen(InsideScreen(self))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit_form()

    def action_submit_form(self) -> None:
        """Enter in the form: leave it and start, unless a run is going already."""
        self.action_leave_form()
        if self.state == "idle":
            self.action_start()
        elif self.state == "paused":
            self.say("Paused: space resumes; x stops (keep or discard it), then s starts afresh.")

    @on(TrainForm.FieldFocused)
    def _field_focused(self, event: TrainForm.FieldFocused) -> None:
        f = event.field
        hint = Text.assemble((f"{f.label}: ", "bold"), f.help)
        if f.name == self._refused:
            # Sent here because the value was refused: say that first.
            hint = Text.assemble(self._status, " ", hint)
            self._refused = None
        self._hint(hint)
        self.refresh_bindings()

    @on(TrainForm.Edited)
    def _edited(self, event: TrainForm.Edited) -> None:
        self.refresh_bindings()

    # --- the worker -----------------------------------------------------------------------

    def _launch(self, run: TrainingRun, epochs: int | None, *, ask: bool = False) -> None:
        self._stop = threading.Event()
        self._control = Control(ask=ask)
        self._stepping = epochs == 1
        self.state = "stopping" if ask else "running"
        # After the refresh: the frame that shows the new state is drawn first, instead of
        # fighting the training thread for the GIL.
        args = (run, epochs, self._stop, self._control, self._root())
        self.call_after_refresh(self._train, *args)

    def _root(self) -> Path:
        return self.app.data_root  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, exit_on_error=False, group="train", name="training")
    def _train(
        self,
        run: TrainingRun,
        epochs: int | None,
        stop: threading.Event,
        control: Control,
        root: Path,
    ) -> None:
        last: Progressed | None = None  # a finished run's last update, shown after the save
        every = run.curve_every
        if epochs == 1:
            # A single step measures the loss of its epoch (a point on the curve), for the
            # status line; measuring changes nothing the run learns.
            run.curve_every = 1
        # Overflow in a diverging run is reported once, below, not as warnings on stderr.
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for update in run.updates(epochs, stop, UPDATE_INTERVAL):
                    message = Progressed(run, update, tuple(run.history), tuple(run.curve))
                    if update.finished:
                        last = message
                    else:
                        self.post_message(message)
        finally:
            run.curve_every = every
        try:
            net = run.network
            if not all(np.isfinite(w).all() for w in (net.W1, net.b1, net.W2, net.b2)):
                raise TrainingFailed(
                    f"the weights stopped being numbers after {run.epochs_done} epochs (the "
                    "learning rate is too large for these settings)"
                )
            path = model_io.model_path(root, run.alphabet.name)
            seed = run.settings.seed
            if control.abandoned:
                ended = Ended(run)
            elif run.finished:
                model = run.model()
                replaced = path.exists()
                note = model_io.save_model(model, path)
                ended = Ended(run, model, path, note, None, replaced and not note)
            elif control.ask:
                model = run.model()
                verdict = judge(model.network, run.alphabet, seed, path)
                ended = Ended(run, model, None, None, verdict)
            else:
                ended = Ended(run)
        finally:
            # The last update is posted once the model is saved, not before: drawing it would
            # take the GIL from the save, and a few milliseconds later nobody can tell.
            if last is not None:
                self.post_message(last)
        self.post_message(ended)
        if ended.path is not None and ended.model is not None:
            # After the model is saved and shown: how well it reads takes a tenth of a second
            # for az, which a finished run should not wait for.
            self.post_message(Judged(run, judge(ended.model.network, run.alphabet, seed)))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if message.run is not self.run:
            return
        update = message.update
        phase = {"pausing": "paused", "stopping": "stopped"}.get(self.state)
        if self._stepping and phase is None:
            phase = "paused"  # a single step: no time left to speak of
        self.query_one(ProgressBar).update(total=update.epochs_total, progress=update.epochs_done)
        new = message.history[self._logged :]
        if new:
            log = self.query_one(LossLog)
            log.write_lines(format_log_line(epoch, loss) for epoch, loss in new)
            self._logged = len(message.history)
        self.query_one(LossCurve).show(message.curve, update.epochs_total)
        self._show_stats(update, phase)
        if phase is None and 0 < update.speed <= SLOW_SPEED:
            # Slow enough to read: every epoch's loss and its change, as a step says them.
            said = step_loss(message.curve, update.epochs_done - 1)
            if said:
                self.say(f"{said} space pauses, x stops; + and - change the speed.")
        run = message.run
        self.subject = Subject(
            network=update.network,
            labels=run.alphabet.labels,
            rows=run.alphabet.rows,
            cols=run.alphabet.cols,
            alphabet=run.alphabet if run.alphabet == self.alphabet else None,
            seed=run.settings.seed,
            title=f"training, epoch {update.epochs_done}",
            training=not update.finished,
        )

    def log_lines(self) -> list[str]:
        """The loss log as shown, line by line (the tutorial's format)."""
        return self.query_one(LossLog).lines

    def _show_stats(self, update: Update, phase: str | None = None) -> None:
        """The line beside the bar: epochs done and, as room allows, time left and speed.
        `phase` (paused, stopped) says why an unfinished run is not moving."""
        self._last_update, self._last_phase = update, phase
        width = self.query_one("#stats").size.width
        choices = stats_choices(update, phase, timing=self.show_timing)
        text = next((c for c in choices if len(c) <= width), choices[-1]) if width else choices[0]
        self.query_one("#stats", TextLine).text = Text(text, no_wrap=True, overflow="ellipsis")

    def on_resize(self) -> None:
        # After the layout: the stats line's new width decides how much it says.
        if self._last_update is not None:
            self.call_after_refresh(self._show_stats, self._last_update, self._last_phase)

    @on(Ended)
    def _ended(self, message: Ended) -> None:
        run = message.run
        if run is not self.run:
            return
        if message.model is None:
            if self._steps_queued and self._stepping and not run.finished:
                self._steps_queued -= 1
                self._launch(run, 1)
                return
            stepped = self._stepping
            self._steps_queued = 0
            self.state = "paused"
            if self._last_update is not None:
                self._show_stats(self._last_update, "paused")
            said = step_loss(run.curve, run.epochs_done - 1) if stepped else ""
            self.say(f"{said} {self._paused_message(run)}".lstrip())
            return
        if message.path is None:
            # Stopped before the end: the run waits, paused, for the answer.
            self.state = "paused"
            if self._last_update is not None:
                self._show_stats(self._last_update, "paused")
            assert message.verdict is not None
            self._ask_keep(run, message.model, message.verdict)
            return
        self.run = None
        self._steps_queued = 0
        self.state = "idle"
        self.app.set_model(message.model)  # type: ignore[attr-defined]
        self._finished_run = run
        self.subject = from_model(message.model, self.alphabet)
        status = self._saved_message(run, message.path, message.note, message.replaced)
        self.say(status, own_frame=True)

    @on(Judged)
    def _judged(self, message: Judged) -> None:
        # Only while its run is the last one shown: a new run clears the log.
        if message.run is self._finished_run and self.run is None:
            self.query_one(LossLog).write_lines(result_lines(message.verdict))

    def _paused_message(self, run: TrainingRun) -> str:
        return (
            f"Paused after {epochs(run.epochs_done)} of {run.settings.epochs}. space resumes, "
            "n trains one more epoch, x stops and asks whether to keep this run."
        )

    def _saved_message(
        self, run: TrainingRun, path: Path, note: str | None, replaced: bool
    ) -> Text:
        # The folder last: a long data dir wraps out of the two rows, not the news.
        done = "Finished" if run.finished else "Stopped after"
        text = Text(f"{done} {epochs(run.epochs_done)}; saved as {path.name}")
        if replaced:
            text.append(f" (the model it replaced is now {model_io.previous_path(path).name})")
        text.append(f". Draw and Quiz use it now. Folder: {path.parent}")
        if note:
            text.append(f" Note: {note}")
        return text

    def _ask_keep(self, run: TrainingRun, model: Model, verdict: Verdict) -> None:
        path = model_io.model_path(self._root(), run.alphabet.name)
        screen = KeepRunScreen(
            verdict,
            run.epochs_done,
            run.settings.epochs,
            model_io.previous_path(path),
            leaving=self._leaving,
        )
        self.app.push_screen(screen, lambda answer: self._answered(run, model, verdict, answer))

    def _answered(
        self, run: TrainingRun, model: Model, verdict: Verdict, answer: str | None
    ) -> None:
        self._asking = False
        then, self._then = self._then, None
        if run is not self.run:
            return
        if answer is None:
            self.say(self._paused_message(run))
            return
        if answer == "keep":
            path = model_io.model_path(self._root(), run.alphabet.name)
            replaced = path.exists()
            try:
                # On the UI thread: a file of a few kilobytes, once, after a key press.
                note = model_io.save_model(model, path)
            except OSError as error:
                message = f"Not saved: {error.strerror or error} ({path}); the run is paused."
                self.say(Text(message, style="bold"))
                self.notify(message, severity="error", timeout=10, markup=False)
                return
            self.app.set_model(model)  # type: ignore[attr-defined]
            status = self._saved_message(run, path, note, replaced and not note)
        else:
            status = Text(
                f"Discarded this run after {epochs(run.epochs_done)}; "
                + ("the saved model stays." if self.app.model else "no model is saved.")  # type: ignore[attr-defined]
            )
        self.run = None
        self.state = "idle"
        self.subject = from_model(self.app.model, self.alphabet)  # type: ignore[attr-defined]
        if self._last_update is not None:
            self._show_stats(self._last_update, "stopped")
        self.query_one(LossLog).write_lines(result_lines(verdict))
        self.say(status, own_frame=True)
        if then is not None:
            then()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "train" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.run = None
        self._asking, self._then = False, None
        self.state = "idle"
        self._model_changed()
        reason = str(error) if isinstance(error, TrainingFailed | OSError) else repr(error)
        kept = "the previous model is kept" if self.app.model else "no model was saved"  # type: ignore[attr-defined]
        message = f"Training failed: {reason}; {kept}."
        self.say(Text(message, style="bold"))
        self.notify(message, severity="error", timeout=10, markup=False)


def speed_message(new: float, before: float) -> str:
    """What the status line says after + or -."""
    if new == 0:
        if before == 0:
            return "Already as fast as it goes (speed max); - slows it down to watch."
        return "Speed: max, as fast as it goes. - slows it down to watch."
    pace = f"{new:g} epoch a second" if new == 1 else f"{new:g} epochs a second"
    if new == before and new <= SPEEDS[0]:
        return f"Speed: {pace}, the slowest - goes. + speeds it up."
    return f"Speed: {pace}. + is faster, - slower."
