"""Training runs: the training set and the loop shared by the CLI and the app.

Their settings, form fields and paces are in `train_settings`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import LetterTuiError
from letter_tui.core.model_io import Model, ModelMeta
from letter_tui.core.network import Network, Progress, Trainer
from letter_tui.core.noise import flip, noisy_copies

# The settings live in train_settings (no run there); some twenty callers import them from
# here, beside the run they configure, so they are named here too.
from letter_tui.core.train_settings import (
    FIELD_BY_NAME,
    FIELDS,
    MAX_SPEED,
    MIN_SPEED,
    SPEEDS,
    TUTORIAL,
    Field,
    TrainSettings,
    default_settings,
    next_speed,
    settings_from_text,
    speed_text,
    with_overrides,
)

__all__ = [
    "FIELDS",
    "FIELD_BY_NAME",
    "MAX_SPEED",
    "MIN_SPEED",
    "PACE_MIN_WAIT",
    "PACE_WAIT",
    "SLOW_SPEED",
    "SPEEDS",
    "TUTORIAL",
    "Field",
    "TrainSettings",
    "TrainingDiverged",
    "TrainingRun",
    "Update",
    "accuracy",
    "default_settings",
    "format_log_line",
    "next_speed",
    "noisy_accuracy",
    "settings_from_text",
    "speed_text",
    "with_overrides",
]

SLOW_SPEED = 10  # at most this many epochs a second, every epoch's loss is measured
PACE_WAIT = 0.1  # seconds a paced run waits at most before it looks at its speed again
PACE_MIN_WAIT = 0.02  # at high paces, epochs are trained in batches this far apart at least


class TrainingDiverged(LetterTuiError):
    """The loss stopped being a number: the weights blew up, usually from too large a rate."""


@dataclass(frozen=True)
class Update:
    """What the UI draws, at most a few times a second: plain values plus a weights copy."""

    epochs_done: int
    epochs_total: int
    log: tuple[tuple[int, float], ...]  # log lines (epoch, loss) new since the last update
    curve: tuple[tuple[int, float], ...]  # loss curve points new since the last update
    seconds: float  # training time so far
    network: Network  # a copy of the weights now (for heatmaps); not shared with training
    finished: bool  # all epochs done (False when stopped early)
    speed: float = 0.0  # the pace in epochs a second when this was sent; 0: as fast as it goes

    @property
    def epochs_per_second(self) -> float:
        return self.epochs_done / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        # A paced run goes at its pace from now on, whatever it went at before.
        rate = self.speed or self.epochs_per_second
        return max(0, self.epochs_total - self.epochs_done) / rate if rate > 0 else None


class TrainingRun:
    """One training run: the network, its data and its loss history, stepped by the caller.

    All state lives here, so a run can be trained in pieces (pause and resume, single steps)
    with exactly the numbers of one uninterrupted run. `history` holds the log lines (every
    `log_every` epochs); `curve` the loss every `curve_every` epochs (and at each log line),
    for a chart: about 500 points over the whole run by default.

    `speed` (epochs a second, 0: as fast as it goes) paces `updates`; it starts as the
    settings' and may be changed from another thread while a run trains, taking effect within
    PACE_WAIT seconds. Pacing only waits between epochs: the numbers are those of an unpaced
    run. `seconds` is the time spent training, and for a paced run the waits too.

    From a thread worker (pause = set `stop`, resume = call `updates` again, step =
    `updates(epochs=1)`; all three continue the same run)::

        run = TrainingRun(alphabet, settings)
        for update in run.updates(stop=stop):  # a few times a second at most
            post_message(update)  # plain values and a copy of the weights
        model_io.save_model(run.model(), path)
    """

    def __init__(
        self, alphabet: Alphabet, settings: TrainSettings, *, curve_every: int | None = None
    ) -> None:
        problems = settings.problems()
        if problems:
            raise ValueError("; ".join(problems.values()))
        self.alphabet = alphabet
        self.settings = s = settings
        X, Y = alphabet.matrix(), alphabet.targets()
        rng = np.random.default_rng(s.seed)
        noisy_from, noise = None, 0.0
        if s.noise > 0 and s.fresh_noise:
            # Clean rows to be redrawn with noise by the trainer at every epoch.
            noisy_from, noise = len(X), s.noise
            X, Y = (
                np.vstack([X, np.repeat(X, s.copies, 0)]),
                np.vstack([Y, np.repeat(Y, s.copies, 0)]),
            )
        elif s.noise > 0:
            noisy_x, noisy_y = noisy_copies(X, Y, s.copies, s.noise, rng)
            X, Y = np.vstack([X, noisy_x]), np.vstack([Y, noisy_y])
        self.network = Network.create(
            alphabet.size, s.hidden, len(alphabet), s.seed, init=s.init, output=s.output
        )
        self.trainer = Trainer(
            self.network,
            X,
            Y,
            s.learning_rate,
            batch_size=s.batch_size,
            noise=noise,
            noisy_from=noisy_from,
            rng=rng,
        )
        self.curve_every = curve_every or max(1, s.epochs // 500)
        self.history: list[tuple[int, float]] = []
        self.curve: list[tuple[int, float]] = []
        self.seconds = 0.0
        self.speed = s.speed

    @property
    def epochs_done(self) -> int:
        return self.trainer.epochs_done

    @property
    def finished(self) -> bool:
        return self.epochs_done >= self.settings.epochs

    def _left(self, epochs: int | None) -> int:
        return max(0, self.settings.epochs - self.epochs_done if epochs is None else epochs)

    def _train(self, epochs: int, stop: threading.Event | None) -> Iterator[Progress]:
        """Train, recording history and curve, counting only time spent training."""
        steps = self.trainer.run(epochs, self.settings.log_every, stop, self.curve_every)
        start = time.perf_counter()
        try:
            for progress in steps:
                self.seconds += time.perf_counter() - start
                if not math.isfinite(progress.loss):
                    raise TrainingDiverged(
                        f"training diverged at epoch {progress.epoch} (the loss is "
                        f"{progress.loss}); try a smaller learning rate than "
                        f"{self.settings.learning_rate:g}"
                    )
                self.curve.append((progress.epoch, progress.loss))
                if progress.logged:
                    self.history.append((progress.epoch, progress.loss))
                yield progress
                start = time.perf_counter()
        finally:
            self.seconds += time.perf_counter() - start

    def run(
        self, epochs: int | None = None, stop: threading.Event | None = None
    ) -> Iterator[Progress]:
        """Train `epochs` more epochs (default: what is left), yielding each log line."""
        for progress in self._train(self._left(epochs), stop):
            if progress.logged:
                yield progress

    def updates(
        self,
        epochs: int | None = None,
        stop: threading.Event | None = None,
        interval: float = 0.25,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> Iterator[Update]:
        """Train like `run`, but yield an Update at most every `interval` seconds, whatever
        the epoch rate, and always once at the end (finished, stopped or out of epochs).

        Made for a worker thread: pause by setting `stop` (training stops between epochs),
        resume by calling this again; one step is `updates(epochs=1)`. While `self.speed` is
        above 0 the run is paced (see `_paced`): it waits on `stop`, so pausing is as quick.
        `clock` times the pace and the updates (a test passes a fake one, with a `stop` whose
        `wait` moves it on).
        """
        target = self.epochs_done + self._left(epochs)
        seen_log, seen_curve = len(self.history), len(self.curve)
        chunk = 1
        last = clock()
        while self.epochs_done < target and not (stop is not None and stop.is_set()):
            if self.speed:
                # Until the speed goes back to max (0): then this loop goes on, unpaced.
                for update in self._paced(target, stop, interval, clock, seen_log, seen_curve):
                    seen_log, seen_curve = len(self.history), len(self.curve)
                    yield update
                chunk, last = 1, clock()
                continue
            began = clock()
            for _ in self._train(min(chunk, target - self.epochs_done), stop):
                pass
            took = clock() - began
            # Chunks of about interval / 4 keep the Python overhead per chunk negligible.
            if took < interval / 8:
                chunk *= 2
            elif took > interval / 2 and chunk > 1:
                chunk //= 2
            now = clock()
            if now - last >= interval and self.epochs_done < target:
                yield self._update(seen_log, seen_curve)
                seen_log, seen_curve, last = len(self.history), len(self.curve), now
        yield self._update(seen_log, seen_curve)

    def _paced(
        self,
        target: int,
        stop: threading.Event | None,
        interval: float,
        clock: Callable[[], float],
        seen_log: int,
        seen_curve: int,
    ) -> Iterator[Update]:
        """Train towards `target` at `self.speed` epochs a second until it is reached, the
        run is stopped or the speed goes back to max (0); yield an Update after every epoch at
        up to SLOW_SPEED epochs a second (each with its loss measured, for the status line),
        and every min(interval, PACE_WAIT) seconds above it.

        The first epoch trains at once, epoch k at (k - 1) / speed seconds after it. Waits
        are `stop.wait(timeout)`: a pause ends them at once, and a speed change is seen within
        PACE_WAIT seconds; then the next epoch is due 1 / (new speed) after the last one.
        """
        stop = stop if stop is not None else threading.Event()
        speed = 0.0
        start = done_at_start = 0  # the pace's origin: time, and epochs done by then
        trained_at: float | None = None  # when the last epoch was trained
        last = -math.inf  # the first epoch is shown at once
        while self.epochs_done < target and not stop.is_set():
            now = clock()
            if self.speed != speed:
                if not self.speed:
                    break
                speed = self.speed
                due = now if trained_at is None else max(now, trained_at + 1 / speed)
                start, done_at_start = due, self.epochs_done
            # Epochs due by now; more than one when the pace is faster than waking up.
            due_epochs = done_at_start + math.floor((now - start) * speed) + 1
            if now < start:
                due_epochs = done_at_start
            count = min(due_epochs, target) - self.epochs_done
            if count <= 0:
                wait_until = start + (self.epochs_done - done_at_start) / speed
                timeout = min(PACE_WAIT, max(PACE_MIN_WAIT, wait_until - now))
                stop.wait(timeout)
                self.seconds += clock() - now
                continue
            every = self.curve_every
            if speed <= SLOW_SPEED:
                self.curve_every = 1  # every epoch's loss, for the status line to show
            try:
                for _ in self._train(count, stop):
                    pass
            finally:
                self.curve_every = every
            trained_at = clock()
            show = speed <= SLOW_SPEED or trained_at - last >= min(interval, PACE_WAIT)
            if show and self.epochs_done < target:
                yield self._update(seen_log, seen_curve)
                seen_log, seen_curve, last = len(self.history), len(self.curve), trained_at

    def _update(self, seen_log: int, seen_curve: int) -> Update:
        return Update(
            epochs_done=self.epochs_done,
            epochs_total=self.settings.epochs,
            log=tuple(self.history[seen_log:]),
            curve=tuple(self.curve[seen_curve:]),
            seconds=self.seconds,
            network=self.network.copy(),
            finished=self.finished,
            speed=self.speed,
        )

    def model(self) -> Model:
        """The trained model, to save. Refuses weights that are not finite numbers."""
        s = self.settings
        net = self.network
        if not all(np.all(np.isfinite(a)) for a in (net.W1, net.b1, net.W2, net.b2)):
            raise TrainingDiverged(
                f"training diverged (the weights overflowed); try a smaller learning rate "
                f"than {s.learning_rate:g}"
            )
        meta = ModelMeta(
            alphabet=self.alphabet.name,
            letters=self.alphabet.labels,
            rows=self.alphabet.rows,
            cols=self.alphabet.cols,
            hidden=s.hidden,
            seed=s.seed,
            learning_rate=s.learning_rate,
            epochs=self.epochs_done,
            noise=s.noise,
            copies=s.copies if s.noise > 0 else 0,
            batch_size=s.batch_size,
            output=s.output,
            init=s.init,
            fresh_noise=s.fresh_noise,
            loss_history=tuple(self.history),
            pixels_digest=self.alphabet.pixels_digest(),
        )
        return Model(self.network.copy(), meta)


def format_log_line(epoch: int, loss: float) -> str:
    """The tutorial's log line, with the loss as Python prints a float."""
    return f"Epoch {epoch}, Loss: {loss}"


def accuracy(network: Network, X: np.ndarray, labels: np.ndarray) -> float:
    if len(X) == 0:
        return 0.0
    return float(np.mean(network.predict(X) == labels))


def noisy_accuracy(
    network: Network, alphabet: Alphabet, p: float, per_letter: int, seed: int
) -> float:
    """Accuracy on `per_letter` fresh noisy copies of every letter at flip probability p."""
    rng = np.random.default_rng(seed)
    X = flip(np.repeat(alphabet.matrix(), per_letter, axis=0), p, rng)
    labels = np.repeat(np.arange(len(alphabet)), per_letter)
    return accuracy(network, X, labels)
