"""The quiz's phases and the game clock, without Textual.

QuizScreen draws; this decides. Phases: IDLE (no game), TRAINING (a model is trained first,
when none fits the alphabet), ROUND (a noisy letter waits for its key), REVEAL (who was
right; enter goes on) and SUMMARY (the game is over and saved). The rules of a game live in
`core.quiz.Quiz`; this keeps the one under way, its player, and the clock that times the
answers (paused while the screen is hidden). An action a phase does not allow raises
`IllegalTransition`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from letter_tui.core.quiz import (
    NotAnAnswer,
    PlayerName,
    Quiz,
    QuizSettings,
    Result,
    Round,
    checked_name,
)

if TYPE_CHECKING:
    from letter_tui.core.alphabet import Alphabet
    from letter_tui.core.network import Network
    from letter_tui.core.scores import GameRecord


class QuizPhase(StrEnum):
    IDLE = "idle"
    TRAINING = "training"
    ROUND = "round"
    REVEAL = "reveal"
    SUMMARY = "summary"


# The phases in which a game (or the training before it) is under way.
PLAYING = frozenset({QuizPhase.TRAINING, QuizPhase.ROUND, QuizPhase.REVEAL})

ALLOWED: dict[str, frozenset[QuizPhase]] = {
    "answer_keys": frozenset({QuizPhase.ROUND}),
    "next": frozenset({QuizPhase.REVEAL}),
    "why": frozenset({QuizPhase.REVEAL}),
    "new_game": frozenset({QuizPhase.SUMMARY, QuizPhase.IDLE}),
    "board": frozenset({QuizPhase.SUMMARY, QuizPhase.IDLE}),
}


class IllegalTransition(RuntimeError):
    """An action asked for in a phase that does not allow it (a bug in the caller)."""


class QuizController:
    """One player's games, one after another; `changed` hears every change of phase."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        changed: Callable[[QuizPhase], object] | None = None,
    ) -> None:
        self.clock = clock
        self._changed = changed
        self.phase = QuizPhase.IDLE
        self.settings: QuizSettings | None = None
        self.player: PlayerName | str = ""  # "": no game started yet
        self.quiz: Quiz | None = None
        self.record: GameRecord | None = None
        self.stop = threading.Event()  # the training worker's: set when the player leaves
        self._shown_at = 0.0
        self._game_started = 0.0
        self._paused_elapsed: float | None = None

    # --- queries --------------------------------------------------------------------------

    def allows(self, action: str) -> bool:
        phases = ALLOWED.get(action)
        return phases is None or self.phase in phases

    @property
    def unfinished(self) -> str | None:
        """What quitting now would lose (a game with rounds shown), or None."""
        if self.phase in (QuizPhase.ROUND, QuizPhase.REVEAL) and self.quiz is not None:
            done = len(self.quiz.results)
            return f"This game is unfinished ({done} of {self.quiz.rounds} rounds played)."
        return None

    @property
    def playing(self) -> bool:
        return self.phase in PLAYING and self.quiz is not None

    def time_left(self) -> float | None:
        """Seconds left to answer this round (None: no limit, not a round, or paused)."""
        limit = self.settings.time_limit if self.settings else None
        if limit is None or self.phase != QuizPhase.ROUND or self._paused_elapsed is not None:
            return None
        return limit - (self.clock() - self._shown_at)

    # --- transitions ----------------------------------------------------------------------

    def _require(self, action: str, *phases: QuizPhase) -> None:
        if self.phase not in phases:
            raise IllegalTransition(f"{action} while {self.phase}")

    def _set(self, phase: QuizPhase) -> None:
        if phase != self.phase:
            self.phase = phase
            if self._changed is not None:
                self._changed(phase)

    def start(self, settings: QuizSettings, name: PlayerName) -> None:
        """A new game for `name`, cleaned where it came in (ValueError for a plain string:
        nothing is cleaned twice); it begins with `begin` once a model is ready, or after
        `train`."""
        self._require("start", QuizPhase.IDLE, QuizPhase.TRAINING, QuizPhase.SUMMARY)
        name = checked_name(name)
        self.settings = settings
        self.player = name
        self.quiz = None
        self.record = None

    def train(self) -> threading.Event:
        """No model fits: one is trained first. Returns the worker's stop event, a fresh
        one per run: a run stopped by leaving stays stopped even if the next game starts
        training before its thread has noticed."""
        self._require("train", QuizPhase.IDLE, QuizPhase.TRAINING, QuizPhase.SUMMARY)
        self.stop = threading.Event()
        self._set(QuizPhase.TRAINING)
        return self.stop

    def trained(self) -> bool:
        """The model is ready: True when the game should begin (the player is still here)."""
        return self.phase == QuizPhase.TRAINING

    def begin(self, alphabet: Alphabet, network: Network) -> Round:
        """The game begins with its first round."""
        self._require("begin", QuizPhase.IDLE, QuizPhase.TRAINING, QuizPhase.SUMMARY)
        if self.settings is None:
            raise IllegalTransition("begin before start")
        self.quiz = Quiz(alphabet, network, self.settings)
        self._game_started = self.clock()
        return self._next_round()

    def _next_round(self) -> Round:
        assert self.quiz is not None
        rnd = self.quiz.next_round()
        self._shown_at = self.clock()
        self._paused_elapsed = None
        self._set(QuizPhase.ROUND)
        return rnd

    def answer(self, key: str) -> Result | NotAnAnswer:
        """A key in a round: a Result (the reveal follows) or why it is no answer."""
        self._require("answer", QuizPhase.ROUND)
        assert self.quiz is not None
        outcome = self.quiz.answer(key, self.clock() - self._shown_at)
        if isinstance(outcome, Result):
            self._set(QuizPhase.REVEAL)
        return outcome

    def time_out(self) -> Result:
        """The round's time ran out: it counts as wrong."""
        self._require("time_out", QuizPhase.ROUND)
        assert self.quiz is not None
        result = self.quiz.time_out()
        self._set(QuizPhase.REVEAL)
        return result

    def next(self) -> Round | GameRecord:
        """Enter on a reveal: the next round, or, after the last, the game's record (the
        summary follows; it is to be saved)."""
        self._require("next", QuizPhase.REVEAL)
        quiz = self.quiz
        assert quiz is not None
        if not quiz.finished:
            return self._next_round()
        duration = round(self.clock() - self._game_started, 3)
        self.record = quiz.record(self.player, duration_s=duration)
        self._set(QuizPhase.SUMMARY)
        return self.record

    def leave(self) -> None:
        """No game any more (abandoned, or never set up); a training run stops."""
        self.stop.set()
        self.quiz = None
        self._set(QuizPhase.IDLE)

    def training_failed(self) -> None:
        self._require("training_failed", QuizPhase.TRAINING)
        self._set(QuizPhase.IDLE)

    # --- the clock ------------------------------------------------------------------------

    def suspend(self) -> None:
        """The screen is hidden (help, another activity): the round's clock stops."""
        if self.phase == QuizPhase.ROUND and self._paused_elapsed is None:
            self._paused_elapsed = self.clock() - self._shown_at

    def resume(self) -> None:
        """The screen is back: the round's clock goes on from where it stopped."""
        if self._paused_elapsed is not None and self.phase == QuizPhase.ROUND:
            self._shown_at = self.clock() - self._paused_elapsed
        self._paused_elapsed = None
