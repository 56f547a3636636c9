"""The quiz's rules: the player and the network guess the same noisy letters.

Pure and deterministic: no clock (the caller passes how long an answer took), no Textual.

Levels are flip probabilities (each pixel flipped independently with probability p):

    easy 0.10    medium 0.20    hard 0.30

On the tutorial's 5x6 A, B, C the trained network is ~99% right at 0.10, ~94% at 0.20 and
~79% at 0.30 (the ideal observer 99%, 96%, 84%): 0.30 flips 9 of 30 pixels on average.

`adaptive` is a weighted up-down staircase (Kaernbach 1991): it starts at 0.20, raises p by
`STAIRCASE_UP` (0.03) after a right answer and lowers it by `up * t / (1 - t)` after a wrong
one, clamped to [0, 0.45], where t is halfway between guessing and perfect, (1 + 1/n) / 2 for
n letters. Up and down balance where the player is right with chance t, so p drifts to the
player's own threshold: for A, B, C (t = 2/3) a wrong answer lowers p by 0.06.

Every round draws from its own generator, seeded with (game seed, round number): the letter
and one uniform number per pixel (a pixel flips when its number is below p), then the ideal
observer's tie-break. So one seed gives the same letters and the same noise whatever the
player answers; under `adaptive` only p depends on the answers.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.evaluate import hamming_distances

# The settings live in quiz_settings and the name in names (no NumPy there); many callers
# import them from here, beside the game they configure, so they are named here too.
from letter_tui.core.names import (
    FALLBACK_NAME,
    NAME_MAX,
    PlayerName,
    checked_name,
    clean_name,
    login_name,
)
from letter_tui.core.network import Network
from letter_tui.core.quiz_settings import (
    ADAPTIVE,
    DEFAULT_LEVEL,
    DEFAULT_ROUNDS,
    LEVEL_NAMES,
    LEVELS,
    MAX_NOISE,
    MAX_ROUNDS,
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    STAIRCASE_HIGH,
    STAIRCASE_LOW,
    STAIRCASE_START,
    STAIRCASE_UP,
    QuizSettings,
    level_label,
)
from letter_tui.core.scores import (
    AnswerRecord,
    GameRecord,
    NoiseBin,
    bin_noise,
    utc_now,
)

__all__ = [
    "ADAPTIVE",
    "DEFAULT_LEVEL",
    "DEFAULT_ROUNDS",
    "FALLBACK_NAME",
    "LEVELS",
    "LEVEL_NAMES",
    "MAX_NOISE",
    "MAX_ROUNDS",
    "MAX_TIME_LIMIT_S",
    "MIN_TIME_LIMIT_S",
    "NAME_MAX",
    "STAIRCASE_HIGH",
    "STAIRCASE_LOW",
    "STAIRCASE_START",
    "STAIRCASE_UP",
    "NotAnAnswer",
    "PlayerName",
    "Quiz",
    "QuizSettings",
    "Result",
    "Round",
    "Staircase",
    "Summary",
    "answer_hint",
    "checked_name",
    "clean_name",
    "level_label",
    "login_name",
    "make_round",
    "match_label",
]


class Staircase:
    """A weighted up-down staircase on the flip probability (see the module's docstring)."""

    def __init__(
        self,
        letters: int,
        start: float = STAIRCASE_START,
        up: float = STAIRCASE_UP,
        low: float = STAIRCASE_LOW,
        high: float = STAIRCASE_HIGH,
    ) -> None:
        self.target = (1 + 1 / max(letters, 1)) / 2
        self.up = up
        self.down = up * self.target / (1 - self.target)
        self.low, self.high = low, high
        self.p = min(max(start, low), high)

    def update(self, right: bool) -> float:
        """Move after an answer; returns the next round's p."""
        step = self.up if right else -self.down
        # Rounded so that a run of steps prints and stores as the numbers a person expects.
        self.p = round(min(max(self.p + step, self.low), self.high), 6)
        return self.p


# --- Rounds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """One noisy letter, with the network's and the ideal observer's guesses already made."""

    number: int  # 1-based
    letter: int  # index of the true letter
    p: float
    clean: tuple[int, ...]
    bitmap: tuple[int, ...]  # what the player sees
    outputs: tuple[float, ...]  # the network's outputs, one per letter (sigmoids, or a softmax)
    network_guess: int
    ideal_nearest: tuple[int, ...]  # the letters nearest by Hamming distance (ties)
    ideal_guess: int  # one of them, picked by the round's generator
    distance: int  # Hamming distance from the bitmap to the nearest letters

    @property
    def flipped(self) -> int:
        return sum(a != b for a, b in zip(self.clean, self.bitmap, strict=True))

    @property
    def network_right(self) -> bool:
        return self.network_guess == self.letter

    @property
    def ideal_right(self) -> bool:
        return self.ideal_guess == self.letter

    @property
    def ideal_credit(self) -> float:
        """The ideal observer's expected score: 1/k when the truth is among k nearest."""
        return 1 / len(self.ideal_nearest) if self.letter in self.ideal_nearest else 0.0


def make_round(alphabet: Alphabet, network: Network, seed: int, number: int, p: float) -> Round:
    """Round `number` of the game seeded `seed`, at flip probability p (reproducible)."""
    rng = np.random.default_rng([seed, number])
    letter = int(rng.integers(len(alphabet)))
    uniforms = rng.random(alphabet.size)
    clean = np.array(alphabet.bitmaps[letter], dtype=np.int64)
    noisy = np.where(uniforms < p, 1 - clean, clean)
    outputs = network.predict_proba(noisy.astype(np.float64))
    d = hamming_distances(noisy, alphabet)[0]
    nearest = np.flatnonzero(d == d.min())
    return Round(
        number=number,
        letter=letter,
        p=float(p),
        clean=tuple(int(v) for v in clean),
        bitmap=tuple(int(v) for v in noisy),
        outputs=tuple(float(v) for v in outputs),
        network_guess=int(np.argmax(outputs)),
        ideal_nearest=tuple(int(i) for i in nearest),
        ideal_guess=int(rng.choice(nearest)),
        distance=int(d.min()),
    )


@dataclass(frozen=True)
class Result:
    """A round answered: the player's guess (None when the time ran out) and how fast."""

    round: Round
    guess: int | None
    answer_ms: int

    @property
    def timed_out(self) -> bool:
        return self.guess is None

    @property
    def player_right(self) -> bool:
        return self.guess == self.round.letter

    @property
    def only_player(self) -> bool:
        return self.player_right and not self.round.network_right

    @property
    def only_network(self) -> bool:
        return self.round.network_right and not self.player_right


@dataclass(frozen=True)
class NotAnAnswer:
    """A key that names no letter of the alphabet: show `hint`, the round goes on."""

    key: str
    hint: str


def match_label(key: str | None, labels: Sequence[str]) -> int | None:
    """Index of the label `key` names, ignoring case; None when it names none."""
    if not key or len(key) != 1:
        return None
    folded = key.casefold()
    for i, label in enumerate(labels):
        if label.casefold() == folded:
            return i
    return None


def answer_hint(labels: Sequence[str]) -> str:
    if len(labels) <= 12:
        return "Press one of " + " ".join(labels)
    return f"Press one of the {len(labels)} letters' keys, {labels[0]} to {labels[-1]}"


# --- The game -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    rounds: int
    player_correct: int
    network_correct: int
    ideal_correct: int  # the ideal observer's guesses, as shown in the reveals
    ideal_expected: float  # its expected score, ties split evenly: the fairer number
    timeouts: int
    mean_noise: float
    mean_answer_ms: float
    by_noise: tuple[NoiseBin, ...]  # bins of width NOISE_BIN_WIDTH, as in the store's chart
    only_player: tuple[Result, ...]  # player right, network wrong
    only_network: tuple[Result, ...]  # network right, player wrong

    def _of(self, count: float) -> float:
        return count / self.rounds if self.rounds else 0.0

    @property
    def player_accuracy(self) -> float:
        return self._of(self.player_correct)

    @property
    def network_accuracy(self) -> float:
        return self._of(self.network_correct)

    @property
    def ideal_accuracy(self) -> float:
        return self._of(self.ideal_expected)


class Quiz:
    """One game. Call `next_round()`, then `answer(key, seconds)` or `time_out()`, until
    `finished`; then `summary()`, and `record(name)` for the store.

    `seed` overrides `settings.seed`; with neither, a fresh seed is drawn and kept in
    `.seed`, so any game can be replayed.
    """

    def __init__(
        self,
        alphabet: Alphabet,
        network: Network,
        settings: QuizSettings | None = None,
        *,
        seed: int | None = None,
    ) -> None:
        settings = settings or QuizSettings()
        problems = settings.problems()
        if problems:
            raise ValueError("; ".join(problems.values()))
        if len(alphabet) == 0:
            raise ValueError(f"alphabet '{alphabet.name}' has no letters")
        if network.n_inputs != alphabet.size or network.n_outputs != len(alphabet):
            raise ValueError(f"the network does not fit alphabet '{alphabet.name}'")
        self.alphabet = alphabet
        self.network = network
        self.settings = settings
        if seed is None:
            seed = settings.seed if settings.seed is not None else secrets.randbits(32)
        self.seed: int = seed
        self.results: list[Result] = []
        self.current: Round | None = None
        self.noise: float = settings.start_noise()  # the next round's flip probability
        self.staircase = Staircase(len(alphabet), self.noise) if settings.adaptive else None

    @property
    def rounds(self) -> int:
        return self.settings.rounds

    @property
    def finished(self) -> bool:
        return len(self.results) >= self.rounds

    @property
    def awaiting_answer(self) -> bool:
        return self.current is not None

    @property
    def player_score(self) -> int:
        return sum(r.player_right for r in self.results)

    @property
    def network_score(self) -> int:
        return sum(r.round.network_right for r in self.results)

    def next_round(self) -> Round:
        if self.current is not None:
            raise RuntimeError("the current round has not been answered")
        if self.finished:
            raise RuntimeError("the game is over")
        self.current = make_round(
            self.alphabet, self.network, self.seed, len(self.results) + 1, self.noise
        )
        return self.current

    def answer(self, key: str | None, seconds: float) -> Result | NotAnAnswer:
        """The player pressed `key` after `seconds`. A key past the time limit is a time-out."""
        if self.current is None:
            raise RuntimeError("no round is waiting for an answer")
        limit = self.settings.time_limit
        if limit is not None and seconds >= limit:
            return self.time_out(seconds)
        guess = match_label(key, self.alphabet.labels)
        if guess is None:
            return NotAnAnswer(key or "", answer_hint(self.alphabet.labels))
        return self._record(guess, seconds)

    def time_out(self, seconds: float | None = None) -> Result:
        """The time ran out: the round counts as wrong."""
        if self.current is None:
            raise RuntimeError("no round is waiting for an answer")
        limit = self.settings.time_limit
        spent = seconds if seconds is not None else (limit or 0.0)
        if limit is not None:
            spent = min(spent, limit)
        return self._record(None, spent)

    def _record(self, guess: int | None, seconds: float) -> Result:
        assert self.current is not None
        result = Result(self.current, guess, max(0, round(seconds * 1000)))
        self.results.append(result)
        self.current = None
        if self.staircase is not None:
            self.noise = self.staircase.update(result.player_right)
        return result

    def summary(self) -> Summary:
        results = self.results
        n = len(results)
        return Summary(
            rounds=n,
            player_correct=self.player_score,
            network_correct=self.network_score,
            ideal_correct=sum(r.round.ideal_right for r in results),
            ideal_expected=sum(r.round.ideal_credit for r in results),
            timeouts=sum(r.timed_out for r in results),
            mean_noise=round(sum(r.round.p for r in results) / n, 6) if n else 0.0,
            mean_answer_ms=sum(r.answer_ms for r in results) / n if n else 0.0,
            by_noise=tuple(
                bin_noise(
                    [
                        (r.round.p, r.player_right, r.round.network_right, r.round.ideal_credit)
                        for r in results
                    ]
                )
            ),
            only_player=tuple(r for r in results if r.only_player),
            only_network=tuple(r for r in results if r.only_network),
        )

    def record(
        self, name: PlayerName, *, duration_s: float | None = None, played_at: str | None = None
    ) -> GameRecord:
        """What the store saves. `duration_s` defaults to the time spent answering.

        Only a finished game has a record: a game quit early saves nothing. `name` was
        cleaned where it came in (`clean_name`); anything else is refused, not cleaned.
        """
        if not self.finished:
            raise RuntimeError("only a finished game can be saved")
        labels = self.alphabet.labels
        summary = self.summary()
        answers = tuple(
            AnswerRecord(
                round_no=r.round.number,
                letter=labels[r.round.letter],
                p=r.round.p,
                flipped=r.round.flipped,
                guess=None if r.guess is None else labels[r.guess],
                network_guess=labels[r.round.network_guess],
                ideal_credit=r.round.ideal_credit,
                answer_ms=r.answer_ms,
                bitmap="".join(str(v) for v in r.round.bitmap),
            )
            for r in self.results
        )
        return GameRecord(
            name=checked_name(name),
            alphabet=self.alphabet.name,
            level=self.settings.label,
            rounds=summary.rounds,
            user_correct=summary.player_correct,
            network_correct=summary.network_correct,
            mean_noise=summary.mean_noise,
            duration_s=(
                duration_s if duration_s is not None else sum(a.answer_ms for a in answers) / 1000
            ),
            played_at=played_at or utc_now(),
            seed=self.seed,
            time_limit_s=self.settings.time_limit,
            answers=answers,
        )
