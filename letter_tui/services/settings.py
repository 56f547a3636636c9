"""The training and quiz options, in one table: the CLI's options and their help are made
from it, and its values are core's (tests/test_settings.py compares them field by field).

NumPy-free, so that `letter-tui --help` and the parser stay fast: core's TrainSettings and
QuizSettings cannot be imported without NumPy, and core, the lowest layer, cannot import
this, so the values live here and in core, and a test keeps the two the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# --- The quiz ---------------------------------------------------------------------------------

# Flip probabilities; core.quiz.LEVELS.
LEVELS: dict[str, float] = {"easy": 0.10, "medium": 0.20, "hard": 0.30}
ADAPTIVE = "adaptive"
LEVEL_NAMES: tuple[str, ...] = (*LEVELS, ADAPTIVE)
DEFAULT_LEVEL = "medium"
DEFAULT_ROUNDS = 10
MAX_ROUNDS = 1000
MAX_NOISE = 0.5
MIN_TIME_LIMIT_S = 0.5
MAX_TIME_LIMIT_S = 3600.0

# --- Training ---------------------------------------------------------------------------------

OUTPUTS = ("sigmoid", "softmax")  # core.network.OUTPUTS
INITS = ("tutorial", "scaled")  # core.network.INITS
MIN_SPEED, MAX_SPEED = 0.1, 1_000_000.0  # core.training.MIN_SPEED, MAX_SPEED


Convert = Callable[[str], object]


def number(kind: Callable[[str], float], low: float, high: float, what: str) -> Convert:
    """An argparse `type` for a number from `low` to `high`; `what` names it in the error."""

    def convert(text: str) -> float:
        import argparse  # here: `letter-tui` alone starts without argparse

        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not (low <= value <= high) or value != value:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    convert.__name__ = what
    return convert


def whole(low: int, high: int, what: str = "") -> Convert:
    return number(int, low, high, what or f"a whole number from {low} to {high}")


def positive_int(high: int = 10_000_000) -> Convert:
    return whole(1, high)


SEED = whole(0, 2**32 - 1)
PROBABILITY = number(float, 0.0, MAX_NOISE, f"a flip probability from 0 to {MAX_NOISE:g}")
LEARNING_RATE = number(float, 1e-12, 1e6, "a positive number")
# 0 (as fast as it goes) is the default, not an option.
SPEED = number(
    float,
    MIN_SPEED,
    MAX_SPEED,
    f"a number of epochs a second from {MIN_SPEED:g} to {MAX_SPEED:.0f}",
)
TIME_LIMIT = number(
    float,
    MIN_TIME_LIMIT_S,
    MAX_TIME_LIMIT_S,
    f"a number of seconds from {MIN_TIME_LIMIT_S:g} to {MAX_TIME_LIMIT_S:g}",
)
ROUNDS = positive_int(MAX_ROUNDS)


@dataclass(frozen=True)
class TrainOption:
    """One `letter-tui train` option and the TrainSettings field it sets."""

    name: str  # the TrainSettings field
    flag: str  # the option
    kind: type  # the field's type: int, float, str or bool
    help: str  # what --help says, before the defaults
    abc: object  # the default for abc (the tutorial's)
    az: object  # the default for az (the recipe's); other alphabets scale it
    convert: Convert | None = None  # argparse `type` (None: choices or on/off)
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    low: float = -math.inf  # the range `convert` accepts
    high: float = math.inf
    shows_defaults: bool = True  # False: `help` says the default itself

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")

    def defaults_text(self) -> str:
        """ " (abc: 5, az: 64)", or " (42)" when both are the same."""
        a, z = show(self.abc), show(self.az)
        return f" ({a})" if a == z else f" (abc: {a}, az: {z})"

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        import argparse

        text = self.help + (self.defaults_text() if self.shows_defaults else "")
        if self.kind is bool:
            parser.add_argument(
                self.flag, action=argparse.BooleanOptionalAction, default=None, help=text
            )
        elif self.choices:
            parser.add_argument(self.flag, choices=self.choices, help=text)
        else:
            parser.add_argument(self.flag, type=self.convert, metavar=self.metavar, help=text)


def show(value: object) -> str:
    """A default as --help shows it: on/off, 0.1, 64, softmax."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _ranged(kind: type, low: float, high: float, what: str = "") -> dict[str, object]:
    convert = whole(int(low), int(high), what) if kind is int else number(kind, low, high, what)
    return {"convert": convert, "low": low, "high": high}


TRAIN_OPTIONS: tuple[TrainOption, ...] = (
    TrainOption("hidden", "--hidden", int, "hidden units", 5, 64, metavar="N",
                **_ranged(int, 1, 1024)),
    TrainOption("learning_rate", "--lr", float, "learning rate", 0.1, 0.5, metavar="F",
                **_ranged(float, 1e-12, 1e6, "a positive number")),
    TrainOption("epochs", "--epochs", int, "epochs", 10000, 300, metavar="N",
                **_ranged(int, 1, 10_000_000)),
    TrainOption("seed", "--seed", int, "random seed", 42, 42, metavar="N",
                **_ranged(int, 0, 2**32 - 1)),
    TrainOption("noise", "--noise", float, "also train on noisy copies of each letter, pixels "
                "flipped with probability P", 0.0, 0.1, metavar="P",
                **_ranged(float, 0.0, MAX_NOISE, f"a flip probability from 0 to {MAX_NOISE:g}")),
    TrainOption("copies", "--copies", int, "noisy copies of each letter", 20, 50, metavar="N",
                **_ranged(int, 1, 10_000)),
    TrainOption("fresh_noise", "--fresh-noise", bool, "draw new noisy copies every epoch "
                "(--no-fresh-noise: once, before training)", False, True),
    TrainOption("batch_size", "--batch-size", int, "update after every N letters, reshuffled "
                "each epoch; 0 is the full batch", 0, 64, metavar="N",
                **_ranged(int, 0, 100_000, "a whole number from 0 (full batch) to 100000")),
    TrainOption("output", "--output", str, "sigmoid, or softmax outputs trained with "
                "cross-entropy", "sigmoid", "softmax", choices=OUTPUTS),
    TrainOption("init", "--init", str, "initial weights: tutorial (x 0.01) or scaled (/ sqrt "
                "of the layer's inputs)", "tutorial", "scaled", choices=INITS),
    TrainOption("log_every", "--log-every", int, "log every N epochs", 1000, 30, metavar="N",
                **_ranged(int, 1, 10_000_000)),
    TrainOption("speed", "--speed", float, "train at most N epochs a second, to watch the "
                "network learn (in the app: + and - change it); with --headless the log lines "
                "come at that pace (default: as fast as it goes)", 0.0, 0.0, metavar="N",
                shows_defaults=False, convert=SPEED, low=MIN_SPEED, high=MAX_SPEED),
)  # fmt: skip
TRAIN_OPTION = {o.name: o for o in TRAIN_OPTIONS}
# The app's Train form starts with these too; the others belong to --headless training.
APP_TRAIN_OPTIONS = ("speed",)


def add_train_options(parser: argparse.ArgumentParser) -> None:
    """`letter-tui train`'s settings options, in the table's order."""
    for option in TRAIN_OPTIONS:
        option.add_to(parser)


def level_help() -> str:
    """easy (p=0.10), medium (0.20), hard (0.30): the fixed levels, from the table."""
    parts = [f"{name} ({'p=' * (i == 0)}{p:.2f})" for i, (name, p) in enumerate(LEVELS.items())]
    return ", ".join(parts)


def add_level_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--noise P or --level NAME (one of the two), as the quiz and the scores take them."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--noise",
        type=PROBABILITY,
        metavar="P",
        help=f"{what} a fixed flip probability P from 0 to {MAX_NOISE:g}",
    )
    group.add_argument(
        "--level",
        choices=LEVEL_NAMES,
        metavar="|".join(LEVEL_NAMES),
        help=f"{what} a level: {level_help()} or {ADAPTIVE} "
        "(a staircase that finds your own threshold)",
    )


def add_quiz_options(parser: argparse.ArgumentParser) -> None:
    """The game's settings: --rounds, --noise or --level, --time-limit, --seed."""
    parser.add_argument(
        "--rounds", type=ROUNDS, metavar="N", help=f"rounds to play ({DEFAULT_ROUNDS})"
    )
    add_level_options(parser, "play at")
    parser.add_argument(
        "--time-limit",
        type=TIME_LIMIT,
        metavar="S",
        help="seconds per answer; running out counts as wrong (no limit)",
    )
    parser.add_argument(
        "--seed", type=SEED, metavar="N", help="replay the same letters and noise (random)"
    )
