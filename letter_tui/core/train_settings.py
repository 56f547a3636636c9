"""What a training run depends on: its settings, their form fields and the paces.

NumPy-light and run-free: the form, the CLI's options and the server read these without a
run; `training.TrainingRun` is what trains with them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.network import INITS, OUTPUTS

MIN_SPEED, MAX_SPEED = 0.1, 1_000_000.0  # epochs per second a run can be paced at
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
"""The paces the + and - keys step through; above the last comes max (0)."""


def speed_text(speed: float) -> str:
    """A pace as the form shows it: "max" for as fast as it goes, else "400" or "0.5"."""
    return "max" if speed == 0 else f"{speed:g}"


def next_speed(speed: float, step: int) -> float:
    """The pace one step (+1 faster, -1 slower) from `speed` along SPEEDS, max (0) above it."""
    if step > 0:
        return next((s for s in SPEEDS if s > speed), 0.0) if speed else 0.0
    if speed == 0:
        return float(SPEEDS[-1])
    return float(next((s for s in reversed(SPEEDS) if s < speed), min(speed, SPEEDS[0])))


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
    batch_size: int = 0  # 0: full batch, the tutorial's
    output: str = "sigmoid"
    init: str = "tutorial"
    fresh_noise: bool = False
    # Epochs per second, to watch a run learn; 0: as fast as it goes. A run setting, not the
    # network's: it changes no trained number and is not saved with the model.
    speed: float = 0.0

    def problems(self) -> dict[str, str]:
        """Field name -> why its value is refused (empty when all are fine)."""
        bad: dict[str, str] = {}
        if not 1 <= self.hidden <= 1024:
            bad["hidden"] = "hidden units must be between 1 and 1024"
        if not (self.learning_rate > 0 and math.isfinite(self.learning_rate)):
            bad["learning_rate"] = "the learning rate must be a positive number"
        elif self.learning_rate > 1e6:
            bad["learning_rate"] = "the learning rate must be at most 1000000"
        if not 1 <= self.epochs <= 10_000_000:
            bad["epochs"] = "epochs must be between 1 and 10,000,000"
        if not 0 <= self.seed < 2**32:
            bad["seed"] = "the seed must be between 0 and 4294967295"
        if not 0.0 <= self.noise <= 0.5:
            bad["noise"] = "training noise is a flip probability between 0 and 0.5"
        if not 1 <= self.copies <= 10_000:
            bad["copies"] = "noisy copies per letter must be between 1 and 10000"
        if not 1 <= self.log_every <= 10_000_000:
            bad["log_every"] = "log every must be between 1 and 10,000,000"
        if not 0 <= self.batch_size <= 100_000:
            bad["batch_size"] = "batch size must be between 0 (full batch) and 100000"
        if self.output not in OUTPUTS:
            bad["output"] = f"output must be one of: {', '.join(OUTPUTS)}"
        if self.init not in INITS:
            bad["init"] = f"initial weights must be one of: {', '.join(INITS)}"
        if self.fresh_noise and self.noise == 0:
            bad["fresh_noise"] = "fresh noise needs training noise above 0"
        if not (self.speed == 0 or MIN_SPEED <= self.speed <= MAX_SPEED):
            bad["speed"] = (
                f"epochs a second must be from {MIN_SPEED:g} to {MAX_SPEED:,.0f}, or max "
                "(as fast as it goes)"
            )
        return bad


@dataclass(frozen=True)
class Field:
    name: str  # the TrainSettings field
    label: str  # what a form calls it
    option: str  # the `letter-tui train` option
    help: str  # one or two sentences a learner can read beside the field


FIELDS: tuple[Field, ...] = (
    Field("hidden", "Hidden units", "--hidden", "How many units the hidden layer has. More "
          "units can tell more letters apart; each one learns to look for some strokes."),
    Field("learning_rate", "Learning rate", "--lr", "How big a step each update takes. Too "
          "small learns slowly; too large overshoots and the loss jumps around."),
    Field("epochs", "Epochs", "--epochs", "How many passes over the training letters."),
    Field("seed", "Seed", "--seed", "Picks the random starting weights (and noise): the same "
          "seed gives the same run."),
    Field("noise", "Training noise", "--noise", "Also train on copies of each letter with "
          "pixels flipped with this probability, so the network copes with messy drawings."),
    Field("copies", "Noisy copies", "--copies", "How many noisy copies of each letter are "
          "trained on, beside the clean letters (when training noise is above 0)."),
    Field("log_every", "Log every", "--log-every", "Print the loss every this many epochs."),
    Field("batch_size", "Batch size", "--batch-size", "0: one update per pass over all "
          "letters (the tutorial). N: one after every N letters, reshuffled each pass: far "
          "faster on many letters."),
    Field("output", "Output", "--output", "sigmoid: an independent yes/no score per letter "
          "(the tutorial). softmax: scores that compete and sum to 1; learns many letters "
          "faster."),
    Field("init", "Initial weights", "--init", "tutorial: tiny random weights (x 0.01). "
          "scaled: divided by the root of the layer's inputs, so a wide network starts "
          "learning at once."),
    Field("fresh_noise", "Fresh noise", "--fresh-noise", "New noisy copies every epoch, not "
          "once: the network never sees the same noise twice, so it learns the letters, not "
          "the noise."),
    Field("speed", "Epochs a second", "--speed", "Slows the run down to watch it learn: 400 "
          "makes the tutorial's 10000 epochs take 25 s; 1 to 10 shows every epoch's loss. "
          "max: as fast as it goes. + and - change it, also while it trains."),
)  # fmt: skip
FIELD_BY_NAME = {f.name: f for f in FIELDS}

TUTORIAL = TrainSettings()


def default_settings(alphabet: Alphabet) -> TrainSettings:
    """The settings the app proposes for `alphabet`: the tutorial's for its own abc, and
    otherwise a recipe that gets close to the ideal observer on noisy letters in about a
    second: softmax, scaled weights, mini-batches of 64 and fresh noise each epoch.

    It scales with the alphabet: about two hidden units per letter (16 to 128, a multiple of
    16), enough noisy copies for about 1300 noisy letters per epoch, and fewer epochs (not
    under 100) when the grid and the letters make each epoch dearer than az's.
    """
    if alphabet.name == "abc":
        return TUTORIAL
    n = len(alphabet)
    hidden = min(128, max(16, 16 * math.ceil(2 * n / 16)))
    copies = max(10, math.ceil(1300 / n))
    work = n * (copies + 1) * (alphabet.size + 1 + n) * hidden
    az_work = 26 * 51 * (30 + 1 + 26) * 64
    epochs = max(100, min(300, round(300 * az_work / work / 10) * 10))
    return TrainSettings(
        hidden=hidden,
        learning_rate=0.5,
        epochs=epochs,
        seed=42,
        noise=0.1,
        copies=copies,
        log_every=max(1, epochs // 10),
        batch_size=64,
        output="softmax",
        init="scaled",
        fresh_noise=True,
    )


def settings_from_text(
    values: Mapping[str, str], base: TrainSettings = TUTORIAL
) -> tuple[TrainSettings, dict[str, str]]:
    """Settings from a form's text fields (field name -> text), and field -> problem.

    Fields not given keep `base`'s values. Text that is not a number of the right kind is a
    problem for its field; so is every problem of the resulting settings.
    """
    changes: dict[str, object] = {}
    bad: dict[str, str] = {}
    kinds = {f.name: f.type for f in fields(TrainSettings)}
    for name, text in values.items():
        kind = kinds.get(name)
        if kind is None:
            raise KeyError(name)
        text = text.strip()
        try:
            if name == "speed" and text.lower() in ("max", ""):
                changes[name] = 0.0
            elif kind == "int":
                changes[name] = int(text.replace("_", "").replace(",", ""))
            elif kind == "float":
                changes[name] = float(text)
            elif kind == "bool":
                if text.lower() not in ("yes", "no", "true", "false", "on", "off", "1", "0"):
                    raise ValueError
                changes[name] = text.lower() in ("yes", "true", "on", "1")
            else:
                changes[name] = text.lower()
        except ValueError:
            what = {"int": "a whole number", "float": "a number", "bool": "yes or no"}[kind]
            if name == "speed":
                what = "a number or max"
            bad[name] = f"{FIELD_BY_NAME[name].label}: expected {what}, got {text!r}"
    settings = replace(base, **changes)
    for name, message in settings.problems().items():
        bad.setdefault(name, message)
    return settings, bad


def with_overrides(settings: TrainSettings, **changes: object) -> TrainSettings:
    """`settings` with the given fields replaced, skipping the ones left as None."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})
