"""QuizController without Pilot: every phase change, the game clock, the illegal moves."""

from __future__ import annotations

import functools

import pytest

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.names import clean_name
from letter_tui.core.network import Network
from letter_tui.core.quiz import NotAnAnswer, QuizSettings, Result, Round
from letter_tui.core.training import TrainingRun, default_settings
from letter_tui.services.quiz_controller import (
    ALLOWED,
    IllegalTransition,
    QuizController,
    QuizPhase,
)

P = QuizPhase
ABC = load_bundled("abc")


@functools.cache
def network() -> Network:
    run = TrainingRun(ABC, default_settings(ABC))
    list(run.run())
    return run.network


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(**settings: object) -> tuple[QuizController, Clock, list[QuizPhase]]:
    clock, changes = Clock(), []
    game = QuizController(clock, changes.append)
    # The name as its entry point (--name, the prompt, the form, the SSH login) cleaned it.
    name = clean_name("  ada\x1b[31m ")
    game.start(QuizSettings(rounds=2, seed=3, **settings), name)  # type: ignore[arg-type]
    return game, clock, changes


def to(phase: QuizPhase) -> QuizController:
    game, _, _ = make()
    if phase == P.TRAINING:
        game.train()
    elif phase in (P.ROUND, P.REVEAL, P.SUMMARY):
        game.begin(ABC, network())
        if phase != P.ROUND:
            game.answer("A")
        if phase == P.SUMMARY:
            game.next()
            game.answer("B")
            game.next()
    assert game.phase == phase
    return game


def test_phases_compare_as_the_words_the_screen_always_used() -> None:
    assert P.ROUND == "round" and P.SUMMARY == "summary"


def test_a_whole_game_with_its_clock() -> None:
    game, clock, changes = make()
    assert game.player == "ada[31m" and game.phase == P.IDLE  # as it came: cleaned already
    first = game.begin(ABC, network())
    assert isinstance(first, Round) and game.phase == P.ROUND and game.unfinished is not None
    clock.now += 1.5
    assert isinstance(game.answer("?"), NotAnAnswer) and game.phase == P.ROUND
    result = game.answer("a")
    assert isinstance(result, Result) and result.answer_ms == 1500 and game.phase == P.REVEAL
    assert game.unfinished == "This game is unfinished (1 of 2 rounds played)."
    assert isinstance(game.next(), Round)
    # Hidden for 10 s (help, another activity): the round's clock stops meanwhile.
    clock.now += 0.5
    game.suspend()
    clock.now += 10
    assert game.time_left() is None
    game.resume()
    clock.now += 0.25
    result = game.answer("B")
    assert isinstance(result, Result) and result.answer_ms == 750
    record = game.next()
    assert game.phase == P.SUMMARY and record is game.record and not game.unfinished
    assert record.name == "ada[31m" and record.duration_s == 12.25
    assert changes == [P.ROUND, P.REVEAL, P.ROUND, P.REVEAL, P.SUMMARY]


def test_time_runs_out() -> None:
    game, clock, _ = make(time_limit=2.0)
    game.begin(ABC, network())
    clock.now += 0.5
    assert game.time_left() == 1.5
    clock.now += 2
    left = game.time_left()
    assert left is not None and left <= 0
    result = game.time_out()
    assert result.timed_out and game.phase == P.REVEAL and game.time_left() is None


def test_training_first_then_the_game_unless_the_player_left() -> None:
    game, _, _ = make()
    stop = game.train()
    assert game.phase == P.TRAINING and not stop.is_set() and game.unfinished is None
    assert game.trained()
    game.leave()
    assert stop.is_set() and game.phase == P.IDLE and not game.trained()
    again = game.train()
    assert again is not stop and not again.is_set()  # a fresh event per run
    game.training_failed()
    assert game.phase == P.IDLE


def test_leaving_mid_game_forgets_it() -> None:
    game = to(P.REVEAL)
    game.leave()
    assert game.phase == P.IDLE and game.quiz is None and game.unfinished is None


EXPECTED = {
    P.IDLE: {"new_game", "board"},
    P.TRAINING: set(),
    P.ROUND: {"answer_keys"},
    P.REVEAL: {"next", "why"},
    P.SUMMARY: {"new_game", "board"},
}


@pytest.mark.parametrize("phase", list(QuizPhase))
def test_what_each_phase_allows(phase: QuizPhase) -> None:
    game = to(phase)
    assert {a for a in ALLOWED if game.allows(a)} == EXPECTED[phase]
    assert game.allows("leave")


MOVES = {
    "answer": (lambda g: g.answer("A"), {P.ROUND}),
    "time_out": (lambda g: g.time_out(), {P.ROUND}),
    "next": (lambda g: g.next(), {P.REVEAL}),
    "begin": (lambda g: g.begin(ABC, network()), {P.IDLE, P.TRAINING, P.SUMMARY}),
    "train": (lambda g: g.train(), {P.IDLE, P.TRAINING, P.SUMMARY}),
    "start": (lambda g: g.start(QuizSettings(), clean_name("x")), {P.IDLE, P.TRAINING, P.SUMMARY}),
    "training_failed": (lambda g: g.training_failed(), {P.TRAINING}),
}


@pytest.mark.parametrize("phase", list(QuizPhase))
@pytest.mark.parametrize("move", list(MOVES))
def test_moves_a_phase_does_not_allow_are_refused(phase: QuizPhase, move: str) -> None:
    do, legal = MOVES[move]
    game = to(phase)
    if phase in legal:
        do(game)  # legal: no error
        return
    before = (game.phase, game.quiz, None if game.quiz is None else len(game.quiz.results))
    with pytest.raises(IllegalTransition):
        do(game)
    assert (game.phase, game.quiz, None if game.quiz is None else len(game.quiz.results)) == before


def test_begin_needs_a_start() -> None:
    with pytest.raises(IllegalTransition):
        QuizController().begin(ABC, network())


def test_a_name_that_was_not_cleaned_is_refused_not_cleaned_again() -> None:
    game = QuizController(lambda: 0.0)
    for raw in ("  ada\x1b[31m ", "ada", ""):
        with pytest.raises(ValueError, match="cleaned where it comes in"):
            game.start(QuizSettings(), raw)  # type: ignore[arg-type]
    assert game.phase == P.IDLE and game.settings is None and game.player == ""
