"""The workspace: one alphabet and its model on disk, and the one way to train and save.

`Workspace` is what the app holds (Textual-free, so the CLI and the server can hold one too):
the alphabet as edited and where it is saved, the model in use and the model file, watched for
a change made by another process (`letter-tui train --headless` in another terminal).

`train_and_save` is the one place a model is trained and saved: Train, the quiz's own
training, the server's first model and headless training all go through it, so they cannot
drift apart (finiteness checked once, the previous model kept by `model_io.save_model`, a
worse model refused unless asked). NumPy is imported only when a model is touched: the app
builds its Workspace before its first frame, which must not wait for NumPy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet, save_alphabet, user_alphabet_path

if TYPE_CHECKING:
    from letter_tui.core.model_io import Model
    from letter_tui.core.training import TrainingRun, Update

UPDATE_INTERVAL = 0.25  # seconds between progress updates: four a second at most


def read_saved_model(root: Path, alphabet_name: str) -> tuple[Model | None, str | None]:
    """The saved model for alphabet `alphabet_name` (fitting or not: the app says when it is
    out of date), and a sentence when a model file exists but cannot be read."""
    # Imported here, in the app's loading thread: NumPy is not needed for the first frame.
    from letter_tui.core import model_io
    from letter_tui.core.errors import ModelError

    path = model_file(root, alphabet_name)
    if not path.exists():
        return None, None
    try:
        return model_io.load_model(path), None
    except ModelError as error:
        return None, str(error)


def model_file(root: Path, alphabet_name: str) -> Path:
    """Where the model for `alphabet_name` is saved (`model_io.model_path`, without NumPy)."""
    return paths.models_dir(root) / f"{alphabet_name}.npz"


def previous_path_of(path: Path) -> Path:
    """Where `model_io.save_model` keeps the model it replaces (without NumPy)."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


@dataclass(frozen=True)
class Saved:
    """What `save_trained` did at `path`."""

    path: Path
    saved: bool  # False: the saved model reads more clean letters and was kept
    replaced: bool  # a readable model was there before: it is `previous` now
    note: str | None  # `model_io.save_model`'s note (a corrupt file kept aside)
    read: int | None = None  # clean letters the new model reads (when compared)
    saved_read: int | None = None  # clean letters the saved one reads (when compared)

    @property
    def previous(self) -> Path:
        return previous_path_of(self.path)


@dataclass(frozen=True)
class Trained:
    """What `train_and_save` ended with."""

    run: TrainingRun
    model: Model | None  # the finished run's model; None: it stopped before its end
    saved: Saved | None  # None: nothing written (unfinished, no path, or told not to)


def save_trained(
    model: Model, path: Path, *, replace: bool = True, alphabet: Alphabet | None = None
) -> Saved:
    """Save `model` at `path` atomically, keeping the model it replaces as
    `<name>.previous.npz` (`model_io.save_model`).

    `replace=False` is headless training's contract: a model that reads fewer of the
    alphabet's clean letters than the saved one does not take its place (`saved` False; the
    caller says so and offers `--replace`); it needs the model's `alphabet`. Raises OSError
    when the disk refuses."""
    from letter_tui.core import model_io

    read = saved_read = None
    if not replace:
        if alphabet is None:
            raise ValueError("save_trained(replace=False) compares on the alphabet: pass it")
        read = model_io.clean_letters_read(model.network, alphabet)
        saved_read = model_io.saved_clean_letters_read(path, alphabet)
        if saved_read is not None and read < saved_read:
            return Saved(path, False, False, None, read, saved_read)
    existed = path.exists()
    note = model_io.save_model(model, path)
    return Saved(path, True, existed and note is None, note, read, saved_read)


def check_finite(run: TrainingRun) -> None:
    """Raise TrainingDiverged when the run's weights are no longer all finite numbers."""
    import numpy as np

    from letter_tui.core.training import TrainingDiverged

    net = run.network
    if not all(np.isfinite(w).all() for w in (net.W1, net.b1, net.W2, net.b2)):
        raise TrainingDiverged(
            f"the weights stopped being numbers after {run.epochs_done} epochs (the "
            "learning rate is too large for these settings)"
        )


def train_and_save(
    run: TrainingRun,
    path: Path | None,
    *,
    epochs: int | None = None,
    stop: threading.Event | None = None,
    interval: float = UPDATE_INTERVAL,
    on_update: Callable[[Update], object] | None = None,
    replace: bool = True,
    save_if: Callable[[], bool] | None = None,
) -> Trained:
    """Train `run` `epochs` more epochs (None: to its end), calling `on_update` with each
    of core's `Update`s (only what is new since the last), then, if the run is finished,
    save its model at `path` (`save_trained`; None: keep it in memory).

    Stopped (`stop` set) or stepped short of the end, nothing is saved and `model` is None:
    the run can go on later with the same numbers. `save_if`, asked once training stops,
    can still refuse the save (the app is quitting). `replace=False`: see `save_trained`.
    One epoch (`epochs=1`) measures its loss, a point on the curve, for a step to show.
    Raises TrainingDiverged when the weights stopped being numbers (nothing saved), OSError
    when the disk refuses the save (the model is still `run.model()`)."""
    import numpy as np

    every = run.curve_every
    if epochs == 1:
        run.curve_every = 1  # measuring changes nothing the run learns
    try:
        # Overflow in a diverging run is reported once, below, not as warnings on stderr.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for update in run.updates(epochs, stop, interval):
                if on_update is not None:
                    on_update(update)
    finally:
        run.curve_every = every
    check_finite(run)
    if not run.finished or (save_if is not None and not save_if()):
        return Trained(run, None, None)
    model = run.model()
    if path is None:
        return Trained(run, model, None)
    return Trained(run, model, save_trained(model, path, replace=replace, alphabet=run.alphabet))


class Workspace:
    """The alphabet being worked on and its model: what the app holds, without Textual.

    Not thread-safe: change it from one thread (the app's); `read_model` and the module's
    functions are safe to call from a worker thread.
    """

    def __init__(
        self,
        root: Path,
        alphabet: Alphabet,
        alphabet_path: Path,
        *,
        model: Model | None = None,
        remote: bool = False,
    ) -> None:
        self.root = root
        self.alphabet = alphabet  # as edited, saved or not
        self.alphabet_path = alphabet_path
        self.saved_alphabet = alphabet  # as on disk
        self.remote = remote
        self.model = model
        self._stamp = self._model_stamp()

    # --- the alphabet ---------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """The alphabet differs from its file on disk."""
        return self.alphabet != self.saved_alphabet

    @property
    def save_path(self) -> Path:
        """Where `save_alphabet` writes: the alphabet's own file, unless that is bundled."""
        path = self.alphabet_path
        try:
            bundled = Path(str(paths.assets())).resolve()
            if path.resolve().is_relative_to(bundled):
                return user_alphabet_path(self.root, self.alphabet.name)
        except OSError:
            pass
        return path

    def save_alphabet(self) -> Path:
        """Write the alphabet atomically; raises OSError when the disk refuses (and
        PermissionError for a remote player, who may write nothing but a score)."""
        if self.remote:
            raise PermissionError("saving is not offered to remote players")
        path = self.save_path
        save_alphabet(self.alphabet, path)
        self.alphabet_path = path
        self.saved_alphabet = self.alphabet
        return path

    def switch_alphabet(self, alphabet: Alphabet, path: Path) -> None:
        """Work on another alphabet (saved at `path`); its model is to be read again."""
        self.alphabet = alphabet
        self.saved_alphabet = alphabet
        self.alphabet_path = path
        self.model = None
        self._stamp = self._model_stamp()

    # --- the model ------------------------------------------------------------------------

    @property
    def model_path(self) -> Path:
        return model_file(self.root, self.alphabet.name)

    def model_path_for(self, alphabet: Alphabet) -> Path:
        return model_file(self.root, alphabet.name)

    def model_problem(self) -> str | None:
        """Why the model does not fit the alphabet; None when it fits or there is none."""
        return self.model.mismatch(self.alphabet) if self.model is not None else None

    def read_model(self, name: str | None = None) -> tuple[Model | None, str | None]:
        """The saved model for alphabet `name` (default: the workspace's), fitting or not,
        and a sentence when a file is there but cannot be read. Safe in a worker thread."""
        return read_saved_model(self.root, name or self.alphabet.name)

    def set_model(self, model: Model | None) -> None:
        """Use `model` from now on (trained here, or read from disk)."""
        self.model = model
        # Whatever is on disk now is this model (or older): not a change to pick up.
        self._stamp = self._model_stamp()

    def model_file_changed(self) -> bool:
        """True, once per change, when the model file changed since this workspace last
        saw it (written by another process); then `read_model` picks it up."""
        stamp = self._model_stamp()
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        return True

    def _model_stamp(self) -> tuple[int, int] | None:
        try:
            info = self.model_path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size
