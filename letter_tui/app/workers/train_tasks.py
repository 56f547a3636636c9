"""Train's worker and its messages, and the sentences its status line says.

The worker (`train_piece`) trains one `Launch` of a run through the services'
`train_and_save` and reports with messages posted by `post` (thread-safe); it never touches a
widget. `Progressed` carries only what is new since the last update (core's `Update`); the
screen appends it to what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual.message import Message

from letter_tui.app.views.inside_subject import Subject
from letter_tui.app.views.keep_run import Verdict, judge
from letter_tui.app.views.run_text import epochs
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import LetterTuiError
from letter_tui.core.model_io import Model
from letter_tui.core.training import SPEEDS, TUTORIAL, TrainingRun, TrainSettings, Update
from letter_tui.services.train_controller import Launch
from letter_tui.services.workspace import previous_path_of, save_trained, train_and_save

UPDATE_INTERVAL = 0.25  # seconds between progress updates: four a second at most


class Progressed(Message):
    """A training update: the log lines and curve points new since the one before. A newer
    one supersedes a queued older one (the queue drops the older): it takes over the older
    one's new lines and points first, so dropping it loses nothing."""

    def __init__(self, run: TrainingRun, update: Update) -> None:
        super().__init__()
        self.run = run
        self.update = update
        self.log = update.log
        self.curve = update.curve

    def can_replace(self, message: Message) -> bool:
        # Textual asks the older message whether the queued `message` may replace it, and
        # drops the older one when so: hand its news on before it goes.
        if isinstance(message, Progressed) and message.run is self.run:
            message.log = self.log + message.log
            message.curve = self.curve + message.curve
            return True
        return False


class Ended(Message):
    """The worker stopped: paused or stepped (`model` None), finished and saved (`path`
    set), or stopped to ask whether to keep the run (`model` and `verdict` set)."""

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


def train_piece(launch: Launch, path: Path, post: Callable[[Message], object]) -> None:
    """Train `launch` in a worker thread, then post `Ended` (and `Judged` for a saved run).
    Raises what `train_and_save` raises (nothing saved then)."""
    run, control = launch.run, launch.control
    last: list[Progressed] = []  # a finished run's last update, shown after the save

    def progressed(update: Update) -> None:
        if update.finished:
            last.append(Progressed(run, update))
        else:
            post(Progressed(run, update))

    try:
        trained = train_and_save(
            run,
            path,
            epochs=launch.epochs,
            stop=launch.stop,
            interval=UPDATE_INTERVAL,
            on_update=progressed,
            save_if=lambda: not control.abandoned,
        )
    finally:
        # Posted once the model is saved, not before: drawing it would take the GIL from
        # the save, and a few milliseconds later nobody can tell.
        for message in last:
            post(message)
    seed = run.settings.seed
    if trained.saved is not None and trained.model is not None:
        saved = trained.saved
        post(Ended(run, trained.model, path, saved.note, None, saved.replaced))
        # After the model is saved and shown: how well it reads takes a tenth of a second
        # for az, which a finished run should not wait for.
        post(Judged(run, judge(trained.model.network, run.alphabet, seed)))
    elif control.ask and not control.abandoned:
        model = run.model()
        post(Ended(run, model, None, None, judge(model.network, run.alphabet, seed, path)))
    else:
        post(Ended(run))


def live_subject(run: TrainingRun, update: Update, alphabet: Alphabet) -> Subject:
    """What the inside view shows while `run` trains: the weights of `update`. Its letters
    only while the run's alphabet is still the app's (`alphabet`)."""
    return Subject(
        network=update.network,
        labels=run.alphabet.labels,
        rows=run.alphabet.rows,
        cols=run.alphabet.cols,
        alphabet=run.alphabet if run.alphabet == alphabet else None,
        seed=run.settings.seed,
        title=f"training, epoch {update.epochs_done}",
        training=not update.finished,
    )


def paused_subject(subject: Subject, run: TrainingRun) -> Subject:
    """The inside view's subject while `run` waits: "training, epoch N (live)" stood there
    for as long as a run was paused. The next update after resuming says training again."""
    return replace(subject, title=f"paused at epoch {run.epochs_done}", training=False)


def ready_message(alphabet: Alphabet, defaults: TrainSettings) -> str:
    kind = "the tutorial's" if defaults == TUTORIAL else "recommended"
    return (
        f"Alphabet {alphabet.name}: {len(alphabet)} letters. The settings are {kind} for it. "
        "Press s to start, e to change a setting."
    )


def keep_or_discard(keep: bool, run: TrainingRun, model: Model, path: Path, had: bool) -> Text:
    """The Keep / Discard answer carried out: kept, the model is saved at `path` (on the UI
    thread: a file of a few kilobytes, once, after a key press; OSError when the disk
    refuses). What the status line says then; `had`: a model was in use before."""
    if keep:
        saved = save_trained(model, path)
        return saved_message(run, path, saved.note, saved.replaced)
    return Text(
        f"Discarded this run after {epochs(run.epochs_done)}; "
        + ("the saved model stays." if had else "no model is saved.")
    )


def failed_message(error: BaseException | None, had_model: bool) -> str:
    reason = str(error) if isinstance(error, LetterTuiError | OSError) else repr(error)
    kept = "the previous model is kept" if had_model else "no model was saved"
    return f"Training failed: {reason}; {kept}."


def paused_message(run: TrainingRun) -> str:
    return (
        f"Paused after {epochs(run.epochs_done)} of {run.settings.epochs}. space resumes, "
        "n trains one more epoch, x stops and asks whether to keep this run."
    )


def saved_message(run: TrainingRun, path: Path, note: str | None, replaced: bool) -> Text:
    # The folder last: a long data dir wraps out of the two rows, not the news.
    done = "Finished" if run.finished else "Stopped after"
    text = Text(f"{done} {epochs(run.epochs_done)}; saved as {path.name}")
    if replaced:
        text.append(f" (the model it replaced is now {previous_path_of(path).name})")
    text.append(f". Draw and Quiz use it now. Folder: {path.parent}")
    if note:
        text.append(f" Note: {note}")
    return text


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
