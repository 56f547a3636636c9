"""The options table (letter_tui.services.settings) says what core says.

core cannot import the table (it is the lowest layer) and the table cannot import core (it
would bring NumPy into `letter-tui --help`), so the same facts live in both: these tests
keep them the same, name by name, default by default, bound by bound.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import pytest

from letter_tui.cli import main
from letter_tui.core import network, quiz, scores, training
from letter_tui.core.alphabet import load_bundled
from letter_tui.services import settings
from letter_tui.services.launch_options import QuizOptions
from letter_tui.services.settings import TRAIN_OPTIONS


def test_the_table_has_every_training_field_with_cores_option_and_type() -> None:
    kinds = {f.name: f.type for f in dataclasses.fields(training.TrainSettings)}
    assert {o.name: o.flag for o in TRAIN_OPTIONS} == {f.name: f.option for f in training.FIELDS}
    assert {o.name: o.kind.__name__ for o in TRAIN_OPTIONS} == kinds


def test_the_defaults_are_cores() -> None:
    abc = training.default_settings(load_bundled("abc"))
    az = training.default_settings(load_bundled("az"))
    for option in TRAIN_OPTIONS:
        assert option.abc == getattr(abc, option.name), option.name
        assert option.az == getattr(az, option.name), option.name
        assert type(option.abc) is option.kind and type(option.az) is option.kind


def test_the_choices_and_paces_are_cores() -> None:
    assert settings.OUTPUTS == network.OUTPUTS and settings.INITS == network.INITS
    assert settings.TRAIN_OPTION["output"].choices == network.OUTPUTS
    assert settings.TRAIN_OPTION["init"].choices == network.INITS
    assert (settings.MIN_SPEED, settings.MAX_SPEED) == (training.MIN_SPEED, training.MAX_SPEED)


# A value just outside the option's range that core must refuse too. The learning rate's
# lower bound only keeps 0 out (core takes any positive number); speed 0 is "max", not an
# option, so below its lower bound core refuses 0.05.
BELOW = {"learning_rate": 0.0, "speed": 0.05}


@pytest.mark.parametrize("option", [o for o in TRAIN_OPTIONS if o.convert], ids=lambda o: o.name)
def test_each_ranged_option_accepts_what_core_accepts(option: settings.TrainOption) -> None:
    base = training.TrainSettings(noise=0.1)  # so that fresh noise and copies make sense

    def core_refuses(value: float) -> bool:
        return option.name in dataclasses.replace(base, **{option.name: value}).problems()

    low, high = option.kind(option.low), option.kind(option.high)
    assert option.convert(str(low)) == low and option.convert(str(high)) == high
    assert not core_refuses(low) and not core_refuses(high)
    step = 1 if option.kind is int else high * 0.01
    below = BELOW.get(option.name, low - (1 if option.kind is int else 0.01))
    for outside in (below, high + step):
        assert core_refuses(outside), (option.name, outside)
        with pytest.raises(Exception, match="expected"):
            option.convert(str(outside))
    with pytest.raises(Exception, match="expected"):
        option.convert("nan" if option.kind is float else "x")


def test_the_help_shows_the_true_defaults(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    # argparse wraps lines: compare with the spaces run together.
    out = " ".join(capsys.readouterr().out.split())
    for option in TRAIN_OPTIONS:
        if option.shows_defaults:
            assert option.defaults_text().strip() in out, option.name
    assert "hidden units (abc: 5, az: 64)" in out and "random seed (42)" in out
    assert "(abc: off, az: on)" in out and "(abc: 0, az: 0.1)" in out


def test_the_quiz_rules_are_cores() -> None:
    assert settings.LEVELS == quiz.LEVELS
    assert settings.ADAPTIVE == quiz.ADAPTIVE
    assert settings.LEVEL_NAMES == quiz.LEVEL_NAMES == scores.LEVEL_ORDER
    assert settings.DEFAULT_LEVEL == quiz.DEFAULT_LEVEL
    assert (settings.DEFAULT_ROUNDS, settings.MAX_ROUNDS) == (quiz.DEFAULT_ROUNDS, quiz.MAX_ROUNDS)
    assert settings.MAX_NOISE == quiz.MAX_NOISE
    assert (settings.MIN_TIME_LIMIT_S, settings.MAX_TIME_LIMIT_S) == (
        quiz.MIN_TIME_LIMIT_S,
        quiz.MAX_TIME_LIMIT_S,
    )
    assert settings.ROUNDS(str(quiz.MAX_ROUNDS)) == quiz.MAX_ROUNDS
    assert settings.PROBABILITY(str(quiz.MAX_NOISE)) == quiz.MAX_NOISE
    assert settings.level_help() == "easy (p=0.10), medium (0.20), hard (0.30)"


def test_quiz_options_are_quiz_settings_without_numpy() -> None:
    mine = {f.name: f.default for f in dataclasses.fields(QuizOptions)}
    core = {f.name: f.default for f in dataclasses.fields(quiz.QuizSettings)}
    assert mine == core
    options = QuizOptions(rounds=3, level="hard", noise=None, time_limit=2.5, seed=7)
    assert options.settings() == quiz.QuizSettings(3, "hard", None, 2.5, 7)


def test_the_table_and_the_parser_import_neither_numpy_nor_textual() -> None:
    code = (
        "import sys, letter_tui.cli as c; c.build_parser().parse_args(['train', '--lr', '0.3']); "
        "import letter_tui.services.settings, letter_tui.services.launch_options; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'textual'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_not_a_number_learning_rate_is_refused_by_both() -> None:
    with pytest.raises(Exception, match="a positive number"):
        settings.LEARNING_RATE("nan")
    refused = dataclasses.replace(training.TrainSettings(), learning_rate=math.nan).problems()
    assert "learning_rate" in refused
