"""Train: settings, then watch the network learn: progress bar, loss log and loss curve.

The run's states and transitions live in `services.train_controller` (no Textual); this
screen turns keys into its calls and draws. Each piece of a run (to the end, one step, or
only measuring for the Keep / Discard question) trains in a thread worker
(`train_tasks.train_piece`, through the services' `train_and_save`): a finished run is saved
(the model it replaces kept as `<name>.previous.npz`); one that does not finish (x, or leaving
Train while it is paused) never replaces the saved model unasked: `KeepRunScreen` asks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, ProgressBar
from textual.worker import Worker, WorkerState

from letter_tui.app.screens.keep_run import KeepRunScreen
from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.views.inside_subject import Subject, from_model
from letter_tui.app.views.keep_run import Verdict, result_lines
from letter_tui.app.views.run_text import step_loss
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.run_panel import RunPanel
from letter_tui.app.widgets.status_line import StatusLine
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.widgets.train_form import TrainForm
from letter_tui.app.workers.train_tasks import (
    UPDATE_INTERVAL,
    Ended,
    Judged,
    Progressed,
    failed_message,
    keep_or_discard,
    live_subject,
    paused_message,
    paused_subject,
    ready_message,
    saved_message,
    speed_message,
    train_piece,
)
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.training import (
    FIELD_BY_NAME,
    SLOW_SPEED,
    TUTORIAL,
    TrainingRun,
    TrainSettings,
    default_settings,
    next_speed,
)
from letter_tui.services.train_controller import TRAINING, Launch, TrainController, TrainState
from letter_tui.services.workspace import model_file, previous_path_of

# A run shows its keys (pause, stop) in the footer with its first progress update: a run that
# ends sooner (the tutorial's takes a tenth of a second) leaves the footer alone instead of
# flashing keys too briefly to read, and spares the training thread two repaints. The hint
# line says the keys at once, and they work at once.
FOOTER_DELAY = UPDATE_INTERVAL
RUNNING = (
    "Training. space pauses, x stops and asks whether to keep this run; + and - change the speed."
)


class TrainScreen(LetterScreen[None]):
    CSS_PATH = "train.tcss"
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
    state: reactive[TrainState] = reactive(TrainState.IDLE, init=False, repaint=False)
    """The controller's state, mirrored for watchers (the footer, the form's lock)."""
    subject: reactive[Subject | None] = reactive(
        None, init=False, always_update=True, repaint=False
    )
    """The network the inside view shows: the live weights while training, else the model."""

    def __init__(self) -> None:
        super().__init__()
        self.controller = TrainController(self._launch, self._state_changed)
        self._defaults: TrainSettings = TUTORIAL
        self._refused: str | None = None
        self._footer_timer: Timer | None = None
        self._finished_run: TrainingRun | None = None  # the run whose reading is to come

    @property
    def show_timing(self) -> bool:
        """Off in screenshots, which must not depend on the clock."""
        return self.query_one(RunPanel).show_timing

    @show_timing.setter
    def show_timing(self, on: bool) -> None:
        self.query_one(RunPanel).show_timing = on

    @property
    def run(self) -> TrainingRun | None:
        """The run under way (paused or not); None when there is none."""
        return self.controller.run

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="train-body"):
            yield TrainForm(id="form")
            yield RunPanel(id="run-box")
        yield StatusLine(lambda: self.query_one(TrainForm).has_focus_within, id="hint")
        yield KeyFooter()

    def on_unmount(self) -> None:
        # Quitting (after ctrl+q asked): end the thread at once, so the process can exit,
        # and save nothing, as the question said.
        self.controller.abandon()

    def on_mount(self) -> None:
        form = self.query_one(TrainForm)
        form.border_title = "Settings"
        self._defaults = default_settings(self.alphabet)
        # `letter-tui train --speed N`: the form starts at that pace.
        speed = self.app.train_speed or 0.0
        form.fill(replace(self._defaults, speed=speed))
        self.query_one("#bar", ProgressBar).update(total=self._defaults.epochs, progress=0)
        self.watch(self.app, "alphabet", self._alphabet_changed, init=False)
        self.watch(self.app, "model", self._model_changed, init=False)
        self._model_changed()
        self.app.set_leave_check("train", self.controller.before_leaving)
        self.say(ready_message(self.alphabet, self._defaults))

    # --- state ----------------------------------------------------------------------------

    @property
    def alphabet(self) -> Alphabet:
        return self.app.alphabet

    def say(self, message: str | Text, *, own_frame: bool = False) -> None:
        """The status line (`StatusLine.say`): news, never markup."""
        self.query_one(StatusLine).say(message, own_frame=own_frame)

    @property
    def status(self) -> Text:
        """What the status line says (or will, once the form is left)."""
        return self.query_one(StatusLine).status

    def _alphabet_changed(self) -> None:
        new = default_settings(self.alphabet)
        self.query_one(TrainForm).follow_defaults(self._defaults, new)
        self._defaults = new
        self._model_changed()

    def _model_changed(self) -> None:
        if self.state == TrainState.IDLE:
            self.subject = from_model(self.app.model, self.alphabet)

    def _state_changed(self, state: TrainState) -> None:
        self.state = state

    def watch_state(self, state: TrainState) -> None:
        run = self.run
        if state == TrainState.PAUSED and run is not None and self.subject is not None:
            self.subject = paused_subject(self.subject, run)
        if self.controller.under_way and run is not None:
            self.app.set_unfinished(
                "train",
                f"A training run is unfinished ({run.epochs_done} of "
                f"{run.settings.epochs} epochs; x stops it and asks whether to keep it).",
            )
        else:
            self.app.set_unfinished("train", None)
        if self._footer_timer is not None:
            self._footer_timer.stop()
            self._footer_timer = None
        if state in TRAINING:
            self._footer_timer = self.set_timer(FOOTER_DELAY, self._show_running)
        else:
            self._lock_form(state != TrainState.IDLE)
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
        return self.controller.allows(action)

    # --- keys -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        form = self.query_one(TrainForm)
        name = form.first_problem() or "hidden"
        form.editor(name).focus()

    def action_focus_log(self) -> None:
        self.query_one("#log").focus()

    def action_leave_form(self) -> None:
        self.set_focus(None)
        self.query_one(StatusLine).show_status()

    def action_tutorial(self) -> None:
        self.query_one(TrainForm).fill_keeping_speed(TUTORIAL)
        self.say("Tutorial settings: 5 hidden units, learning rate 0.1, 10000 epochs, seed 42.")

    def action_defaults(self) -> None:
        self.query_one(TrainForm).fill_keeping_speed(self._defaults)
        self.say(f"Recommended settings for alphabet {self.alphabet.name}.")

    def action_form_speed(self, step: int) -> None:
        self.action_speed(step)

    def action_speed(self, step: int) -> None:
        """+ and -: the next pace along SPEEDS, for the run under way (at once) and the form."""
        run = self.run if self.controller.under_way else None
        now = run.speed if run is not None else self.query_one(TrainForm).speed
        new = next_speed(now, step)
        if run is not None:
            run.speed = new  # the training thread reads it before each wait
        self.query_one(TrainForm).set_value("speed", new)
        self.say(speed_message(new, now))

    def _new_run(self) -> TrainingRun | None:
        form = self.query_one(TrainForm)
        refused = form.refused()
        if refused is not None:
            self._refused, problem = refused
            self.say(f"Not started: fix {FIELD_BY_NAME[self._refused].label} first ({problem}).")
            return None
        settings, _ = form.read()
        self.query_one(RunPanel).clear(settings.epochs)
        return TrainingRun(self.alphabet, settings)

    def action_start(self) -> None:
        if not self.controller.allows("start"):
            return
        run = self._new_run()
        if run is None:
            return
        self.controller.start(run)
        self.say(RUNNING, own_frame=True)

    def action_pause(self) -> None:
        if self.controller.allows("pause"):
            self.controller.pause()

    def action_resume(self) -> None:
        if self.controller.allows("resume"):
            self.controller.resume()
            self.say(RUNNING)

    def action_step(self) -> None:
        controller = self.controller
        if not controller.allows("step"):
            return
        if controller.state == TrainState.IDLE:
            run = self._new_run()
            if run is None:
                return
            controller.step(run)
        else:
            controller.step()

    def action_stop(self) -> None:
        if self.controller.allows("stop"):
            self.controller.stop()

    def action_inside(self) -> None:
        from letter_tui.app.screens.inside import InsideScreen

        self.app.push_screen(InsideScreen(self))

    @on(Input.Submitted)
    def action_submit_form(self, event: Input.Submitted | None = None) -> None:
        """Enter in the form: leave it and start, unless a run is going already."""
        if event is not None:
            event.stop()
        self.action_leave_form()
        if self.state == TrainState.IDLE:
            self.action_start()
        elif self.state == TrainState.PAUSED:
            self.say("Paused: space resumes; x stops (keep or discard it), then s starts afresh.")

    @on(TrainForm.FieldFocused)
    def _field_focused(self, event: TrainForm.FieldFocused) -> None:
        f = event.field
        hint = Text.assemble((f"{f.label}: ", "bold"), f.help)
        if f.name == self._refused:
            # Sent here because the value was refused: say that first.
            hint = Text.assemble(self.status, " ", hint)
            self._refused = None
        self.query_one(StatusLine).text = hint
        self.refresh_bindings()

    @on(TrainForm.Edited)
    def _edited(self, event: TrainForm.Edited) -> None:
        self.refresh_bindings()

    # --- the worker -----------------------------------------------------------------------

    def _launch(self, launch: Launch) -> None:
        # After the refresh: the frame that shows the new state is drawn first, instead of
        # fighting the training thread for the GIL.
        self.call_after_refresh(self._train, launch, self._path(launch.run))

    @work(thread=True, exclusive=True, exit_on_error=False, group="train", name="training")
    def _train(self, launch: Launch, path: Path) -> None:
        train_piece(launch, path, self.post_message)

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if message.run is not self.run:
            return
        update = message.update
        phase = self.controller.shown_phase
        panel = self.query_one(RunPanel)
        panel.show(update, message.log, message.curve, phase)
        if phase is None and 0 < update.speed <= SLOW_SPEED:
            # Slow enough to read: every epoch's loss and its change, as a step says them.
            said = step_loss(panel.curve, update.epochs_done - 1)
            if said:
                self.say(f"{said} space pauses, x stops; + and - change the speed.")
        self.subject = live_subject(message.run, update, self.alphabet)

    def log_lines(self) -> list[str]:
        """The loss log as shown, line by line (the tutorial's format)."""
        return self.query_one(RunPanel).log_lines

    @on(Ended)
    def _ended(self, message: Ended) -> None:
        run, controller = message.run, self.controller
        if run is not self.run:
            return
        if message.model is None:
            stepped = controller.state == TrainState.STEPPING
            controller.worker_stopped()
            if controller.state == TrainState.PAUSED:
                self.query_one(RunPanel).show_phase("paused")
                said = step_loss(run.curve, run.epochs_done - 1) if stepped else ""
                self.say(f"{said} {paused_message(run)}".lstrip())
            return
        if message.path is None:
            # Stopped before the end: the run waits, paused, for the answer.
            controller.measured()
            self.query_one(RunPanel).show_phase("paused")
            assert message.verdict is not None
            self._ask_keep(run, message.model, message.verdict)
            return
        controller.saved()
        self.app.set_model(message.model)
        self._finished_run = run
        self.subject = from_model(message.model, self.alphabet)
        status = saved_message(run, message.path, message.note, message.replaced)
        self.say(status, own_frame=True)

    @on(Judged)
    def _judged(self, message: Judged) -> None:
        # Only while its run is the last one shown: a new run clears the log.
        if message.run is self._finished_run and self.run is None:
            self.query_one(RunPanel).write_lines(result_lines(message.verdict))

    def _path(self, run: TrainingRun) -> Path:
        return model_file(self.app.data_root, run.alphabet.name)

    def _ask_keep(self, run: TrainingRun, model: Model, verdict: Verdict) -> None:
        screen = KeepRunScreen(
            verdict,
            run.epochs_done,
            run.settings.epochs,
            previous_path_of(self._path(run)),
            leaving=self.controller.leaving,
        )
        self.app.push_screen(screen, lambda answer: self._answered(run, model, verdict, answer))

    def _answered(
        self, run: TrainingRun, model: Model, verdict: Verdict, answer: str | None
    ) -> None:
        controller = self.controller
        if run is not self.run or controller.state != TrainState.ASKING:
            return
        if answer is None:
            controller.answered(done=False)
            self.say(paused_message(run))
            return
        path, had_model = self._path(run), self.app.model is not None
        try:
            status = keep_or_discard(answer == "keep", run, model, path, had_model)
        except OSError as error:
            controller.answered(done=False)
            message = f"Not saved: {error.strerror or error} ({path}); the run is paused."
            self.say(Text(message, style="bold"))
            self.notify(message, severity="error", timeout=10, markup=False)
            return
        if answer == "keep":
            self.app.set_model(model)
        then = controller.answered(done=True)
        self.subject = from_model(self.app.model, self.alphabet)
        self.query_one(RunPanel).show_phase("stopped").write_lines(result_lines(verdict))
        self.say(status, own_frame=True)
        if then is not None:
            then()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "train" or event.state != WorkerState.ERROR:
            return
        self.controller.failed()
        self._model_changed()
        message = failed_message(event.worker.error, self.app.model is not None)
        self.say(Text(message, style="bold"))
        self.notify(message, severity="error", timeout=10, markup=False)
