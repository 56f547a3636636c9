"""Training runs: settings, the training set, and the loop shared by the CLI and the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model, ModelMeta
from letter_tui.core.network import Network, Progress, Trainer
from letter_tui.core.noise import flip, training_set


@dataclass(frozen=True)
class TrainSettings:
    """Everything a training run depends on. The defaults are the tutorial's."""

    hidden: int = 5
    learning_rate: float = 0.1
    epochs: int = 10000
    seed: int = 42
    noise: float = 0.0
    copies: int = 20  # noisy copies of each letter when noise > 0
    log_every: int = 1000

    def problems(self) -> dict[str, str]:
        """Field name -> why its value is refused (empty when all are fine)."""
        bad: dict[str, str] = {}
        if not 1 <= self.hidden <= 1024:
            bad["hidden"] = "hidden units must be between 1 and 1024"
        if not (self.learning_rate > 0 and np.isfinite(self.learning_rate)):
            bad["learning_rate"] = "the learning rate must be a positive number"
        if not 1 <= self.epochs <= 10_000_000:
            bad["epochs"] = "epochs must be between 1 and 10,000,000"
        if not 0 <= self.seed < 2**32:
            bad["seed"] = "the seed must be between 0 and 4294967295"
        if not 0.0 <= self.noise <= 0.5:
            bad["noise"] = "training noise is a flip probability between 0 and 0.5"
        if not 1 <= self.copies <= 10_000:
            bad["copies"] = "noisy copies per letter must be between 1 and 10000"
        if not 1 <= self.log_every <= 10_000_000:
            bad["log_every"] = "log every must be at least 1"
        return bad


TUTORIAL = TrainSettings()


def default_settings(alphabet: Alphabet) -> TrainSettings:
    """The settings the app proposes for `alphabet`: the tutorial's for its own abc."""
    return TUTORIAL


class TrainingRun:
    """One training run: the network, its data and its loss history, stepped by the caller."""

    def __init__(self, alphabet: Alphabet, settings: TrainSettings) -> None:
        self.alphabet = alphabet
        self.settings = settings
        X, Y = training_set(
            alphabet.matrix(), alphabet.targets(), settings.noise, settings.copies, settings.seed
        )
        self.network = Network.create(alphabet.size, settings.hidden, len(alphabet), settings.seed)
        self.trainer = Trainer(self.network, X, Y, settings.learning_rate)
        self.history: list[tuple[int, float]] = []

    @property
    def epochs_done(self) -> int:
        return self.trainer.epochs_done

    def run(
        self, epochs: int | None = None, stop: threading.Event | None = None
    ) -> Iterator[Progress]:
        """Train `epochs` more epochs (default: what is left), yielding every `log_every`."""
        left = self.settings.epochs - self.epochs_done if epochs is None else epochs
        for progress in self.trainer.run(max(0, left), self.settings.log_every, stop):
            self.history.append((progress.epoch, progress.loss))
            yield progress

    def model(self) -> Model:
        s = self.settings
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


def with_overrides(settings: TrainSettings, **changes: object) -> TrainSettings:
    """`settings` with the given fields replaced, skipping the ones left as None."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})
