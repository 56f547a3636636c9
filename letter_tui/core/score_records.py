"""What the score store saves and answers: plain records, and the noise binning they share.

No SQLite here: the quiz builds these records, the screens and the CLI read them, and only
`scores.ScoreStore` turns them into rows and back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from letter_tui.core.names import PlayerName

NOISE_BIN_WIDTH = 0.05


# --- What a game saves ------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRecord:
    """One round as stored: what was shown, who guessed what, how long the player took."""

    round_no: int  # 1-based
    letter: str  # the true label
    p: float  # flip probability of the round
    flipped: int  # pixels actually flipped
    guess: str | None  # the player's label; None when the time ran out
    network_guess: str
    ideal_credit: float  # the ideal observer's expected score: 1/k if among k nearest, else 0
    answer_ms: int
    bitmap: str = ""  # the noisy bitmap shown, row-major '0'/'1'

    @property
    def player_right(self) -> bool:
        return self.guess == self.letter

    @property
    def network_right(self) -> bool:
        return self.network_guess == self.letter


@dataclass(frozen=True)
class GameRecord:
    name: PlayerName  # cleaned where it came in; the store refuses any other
    alphabet: str
    level: str  # easy | medium | hard | adaptive | "noise 0.15" for a fixed --noise
    rounds: int
    user_correct: int
    network_correct: int
    mean_noise: float
    duration_s: float
    played_at: str  # UTC, ISO 8601
    seed: int | None = None
    time_limit_s: float | None = None
    answers: tuple[AnswerRecord, ...] = ()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- What the store answers ---------------------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    game_id: int
    name: str
    alphabet: str
    level: str
    rounds: int
    user_correct: int
    network_correct: int
    mean_noise: float
    mean_answer_ms: float
    played_at: str

    @property
    def accuracy(self) -> float:
        return self.user_correct / self.rounds if self.rounds else 0.0


@dataclass(frozen=True)
class FoolBest:
    """The fewest flips that won the fool game on one letter, and who first did it."""

    alphabet: str
    letter: str
    flips: int
    name: str
    played_at: str


@dataclass(frozen=True)
class NoiseBin:
    """Accuracy of the player(s), the network and the ideal observer on the same items.

    `low`..`high` are the bin's edges (`high` excluded), `mean_p` the mean flip probability
    of its items (where to plot it); `ideal` is an expected count (ties split evenly).
    """

    low: float
    high: float
    mean_p: float
    count: int
    player: int
    network: int
    ideal: float

    @property
    def player_accuracy(self) -> float:
        return self.player / self.count if self.count else 0.0

    @property
    def network_accuracy(self) -> float:
        return self.network / self.count if self.count else 0.0

    @property
    def ideal_accuracy(self) -> float:
        return self.ideal / self.count if self.count else 0.0


def bin_index(p: float, width: float = NOISE_BIN_WIDTH) -> int:
    # The epsilon keeps 0.15 (stored as 0.1499999...) in the bin that starts at 0.15.
    return math.floor(p / width + 1e-9)


def bin_noise(
    items: Sequence[tuple[float, bool, bool, float]], width: float = NOISE_BIN_WIDTH
) -> list[NoiseBin]:
    """Group (p, player right, network right, ideal credit) items into bins of `width`."""
    groups: dict[int, list[tuple[float, bool, bool, float]]] = {}
    for item in items:
        groups.setdefault(bin_index(item[0], width), []).append(item)
    bins = []
    for k in sorted(groups):
        group = groups[k]
        bins.append(
            NoiseBin(
                low=round(k * width, 6),
                high=round((k + 1) * width, 6),
                mean_p=sum(g[0] for g in group) / len(group),
                count=len(group),
                player=sum(1 for g in group if g[1]),
                network=sum(1 for g in group if g[2]),
                ideal=sum(g[3] for g in group),
            )
        )
    return bins
