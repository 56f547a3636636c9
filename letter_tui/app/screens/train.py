"""Train: settings, then watch the network learn: progress bar, loss log and loss curve.

The run's states and their transitions live in `services.train_controller` (no Textual);
this screen draws them and turns keys into the controller's calls. Each piece of a run
(to the end, one step, or nothing but measuring before the Keep / Discard question) trains in
a thread worker (`train_tasks.train_piece`, through the services' `train_and_save`), whose
`Progressed` messages carry only what is new and coalesce in the queue, so the UI never falls
behind however fast the epochs go. A paused run continues with exactly the numbers of an
uninterrupted one. A finished run is saved in the worker (atomically, the model it replaces
kept as `<name>.previous.npz`) and installed with `app.set_model`. A run that does not
finish (x, or leaving Train while it is paused) never replaces the saved model unasked: the
worker measures both models (`keep_run.judge`) and `KeepRunScreen` asks Keep or Discard.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar
from textual.worker import Worker, WorkerState

from letter_tui.app.screens.inside_subject import Subject, from_model
from letter_tui.app.screens.keep_run import KeepRunScreen, Verdict, result_lines
from letter_tui.app.screens.train_tasks import (
    UPDATE_INTERVAL,
    Ended,
    Judged,
    Progressed,
    paused_message,
    saved_message,
    speed_message,
    train_piece,
)
from letter_tui.app.widgets.loss_curve import LossCurve
from letter_tui.app.widgets.loss_log import LossLog
from letter_tui.app.widgets.run_text import TextLine, epochs, stats_choices, step_loss
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.widgets.train_footer import TrainFooter
from letter_tui.app.widgets.train_form import TrainForm
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import LetterTuiError
from letter_tui.core.model_io import Model
from letter_tui.core.training import (
    FIELD_BY_NAME,
    SLOW_SPEED,
    TUTORIAL,
    TrainingRun,
    TrainSettings,
    Update,
    default_settings,
    format_log_line,
    next_speed,
)
from letter_tui.services.train_controller import (
    TRAINING,
    Launch,
    TrainController,
    TrainState,
)
from letter_tui.services.workspace import model_file, previous_path_of, save_trained

__all__ = ["Progressed", "TrainScreen", "speed_message"]

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
    state: reactive[TrainState] = reactive(TrainState.IDLE, init=False, repaint=False)
    """The controller's state, mirrored for watchers (the footer, the form's lock)."""
    subject: reactive[Subject | None] = reactive(
        None, init=False, always_update=True, repaint=False
    )
    """The network the inside view shows: the live weights while training, else the model."""

    def __init__(self) -> None:
        super().__init__()
        self.controller = TrainController(self._launch, self._state_changed)
        self._curve: list[tuple[int, float]] = []  # the run's loss curve as shown so far
        self._defaults: TrainSettings = TUTORIAL
        self._status: Text = Text()
        self._refused: str | None = None
        self._footer_timer: Timer | None = None
        self._last_update: Update | None = None
        self._last_phase: str | None = None
        self._finished_run: TrainingRun | None = None  # the run whose reading is to come
        self.show_timing = True  # off in screenshots, which must not depend on the clock

    @property
    def run(self) -> TrainingRun | None:
        """The run under way (paused or not); None when there is none."""
        return self.controller.run

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
        self.controller.abandon()

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
        self.app.set_leave_check("train", self.controller.before_leaving)  # type: ignore[attr-defined]
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
        self._model_changed()

    def _model_changed(self) -> None:
        if self.state == TrainState.IDLE:
            self.subject = from_model(self.app.model, self.alphabet)  # type: ignore[attr-defined]

    def _state_changed(self, state: TrainState) -> None:
        self.state = state

    def watch_state(self, state: TrainState) -> None:
        run = self.run
        if self.controller.under_way and run is not None:
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
        run = self.run if self.controller.under_way else None
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

    def _new_run(self) -> TrainingRun | None:
        settings = self._settings()
        if settings is None:
            return None
        self._curve = []
        self.query_one(LossLog).clear()
        self.query_one(LossCurve).show((), settings.epochs)
        self.query_one(ProgressBar).update(total=settings.epochs, progress=0)
        self.query_one("#stats", TextLine).text = Text()
        self._last_update = None
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
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit_form()

    def action_submit_form(self) -> None:
        """Enter in the form: leave it and start, unless a run is going already."""
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
            hint = Text.assemble(self._status, " ", hint)
            self._refused = None
        self._hint(hint)
        self.refresh_bindings()

    @on(TrainForm.Edited)
    def _edited(self, event: TrainForm.Edited) -> None:
        self.refresh_bindings()

    # --- the worker -----------------------------------------------------------------------

    def _launch(self, launch: Launch) -> None:
        # After the refresh: the frame that shows the new state is drawn first, instead of
        # fighting the training thread for the GIL.
        path = model_file(self.app.data_root, launch.run.alphabet.name)  # type: ignore[attr-defined]
        self.call_after_refresh(self._train, launch, path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="train", name="training")
    def _train(self, launch: Launch, path: Path) -> None:
        train_piece(launch, path, self.post_message)

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if message.run is not self.run:
            return
        update = message.update
        phase = self.controller.shown_phase
        self.query_one(ProgressBar).update(total=update.epochs_total, progress=update.epochs_done)
        if message.log:
            log = self.query_one(LossLog)
            log.write_lines(format_log_line(epoch, loss) for epoch, loss in message.log)
        self._curve.extend(message.curve)
        self.query_one(LossCurve).show(self._curve, update.epochs_total)
        self._show_stats(update, phase)
        if phase is None and 0 < update.speed <= SLOW_SPEED:
            # Slow enough to read: every epoch's loss and its change, as a step says them.
            said = step_loss(self._curve, update.epochs_done - 1)
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

    def _show_paused(self) -> None:
        if self._last_update is not None:
            self._show_stats(self._last_update, "paused")

    @on(Ended)
    def _ended(self, message: Ended) -> None:
        run, controller = message.run, self.controller
        if run is not self.run:
            return
        if message.model is None:
            stepped = controller.state == TrainState.STEPPING
            controller.worker_stopped()
            if controller.state == TrainState.PAUSED:
                self._show_paused()
                said = step_loss(run.curve, run.epochs_done - 1) if stepped else ""
                self.say(f"{said} {paused_message(run)}".lstrip())
            return
        if message.path is None:
            # Stopped before the end: the run waits, paused, for the answer.
            controller.measured()
            self._show_paused()
            assert message.verdict is not None
            self._ask_keep(run, message.model, message.verdict)
            return
        controller.saved()
        self.app.set_model(message.model)  # type: ignore[attr-defined]
        self._finished_run = run
        self.subject = from_model(message.model, self.alphabet)
        status = saved_message(run, message.path, message.note, message.replaced)
        self.say(status, own_frame=True)

    @on(Judged)
    def _judged(self, message: Judged) -> None:
        # Only while its run is the last one shown: a new run clears the log.
        if message.run is self._finished_run and self.run is None:
            self.query_one(LossLog).write_lines(result_lines(message.verdict))

    def _path(self, run: TrainingRun) -> Path:
        return model_file(self.app.data_root, run.alphabet.name)  # type: ignore[attr-defined]

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
        if answer == "keep":
            path = self._path(run)
            try:
                # On the UI thread: a file of a few kilobytes, once, after a key press.
                saved = save_trained(model, path)
            except OSError as error:
                controller.answered(done=False)
                message = f"Not saved: {error.strerror or error} ({path}); the run is paused."
                self.say(Text(message, style="bold"))
                self.notify(message, severity="error", timeout=10, markup=False)
                return
            self.app.set_model(model)  # type: ignore[attr-defined]
            status = saved_message(run, path, saved.note, saved.replaced)
        else:
            status = Text(
                f"Discarded this run after {epochs(run.epochs_done)}; "
                + ("the saved model stays." if self.app.model else "no model is saved.")  # type: ignore[attr-defined]
            )
        then = controller.answered(done=True)
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
        self.controller.failed()
        self._model_changed()
        reason = str(error) if isinstance(error, LetterTuiError | OSError) else repr(error)
        kept = "the previous model is kept" if self.app.model else "no model was saved"  # type: ignore[attr-defined]
        message = f"Training failed: {reason}; {kept}."
        self.say(Text(message, style="bold"))
        self.notify(message, severity="error", timeout=10, markup=False)
