"""A quiz game's settings and its levels: no NumPy, no game (the player's name: core.names).

The quiz screen's form, the CLI's options and the server read these before any game starts;
`quiz.Quiz` plays a game with them (the levels are explained in quiz's docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

from letter_tui.core.scores import LEVEL_ORDER

LEVELS: dict[str, float] = {"easy": 0.10, "medium": 0.20, "hard": 0.30}
ADAPTIVE = "adaptive"
LEVEL_NAMES: tuple[str, ...] = LEVEL_ORDER  # easy, medium, hard, adaptive
DEFAULT_ROUNDS = 10
MAX_ROUNDS = 1000
DEFAULT_LEVEL = "medium"
MAX_NOISE = 0.5
MIN_TIME_LIMIT_S = 0.5
MAX_TIME_LIMIT_S = 3600.0
STAIRCASE_START = LEVELS["medium"]
STAIRCASE_UP = 0.03
STAIRCASE_LOW = 0.0
STAIRCASE_HIGH = 0.45

# --- Settings and levels --------------------------------------------------------------------


def level_label(level: str, noise: float | None = None) -> str:
    """What the scores table stores as the level: a level name, or 'noise P' for --noise."""
    if noise is not None:
        return f"noise {noise:g}"
    return level


@dataclass(frozen=True)
class QuizSettings:
    """A game's settings. `noise` set means a fixed flip probability (and `level` is ignored)."""

    rounds: int = DEFAULT_ROUNDS
    level: str = DEFAULT_LEVEL
    noise: float | None = None
    time_limit: float | None = None  # seconds per answer; None: no limit
    seed: int | None = None  # None: a fresh random seed, recorded so the game can be replayed

    def problems(self) -> dict[str, str]:
        """Field name -> why its value is refused (empty when all are fine)."""
        bad: dict[str, str] = {}
        if not 1 <= self.rounds <= MAX_ROUNDS:
            bad["rounds"] = f"rounds must be between 1 and {MAX_ROUNDS}"
        if self.noise is None and self.level not in LEVEL_NAMES:
            bad["level"] = "the level is one of " + ", ".join(LEVEL_NAMES)
        if self.noise is not None and not 0.0 <= self.noise <= MAX_NOISE:
            bad["noise"] = f"noise is a flip probability from 0 to {MAX_NOISE}"
        if self.time_limit is not None and not (
            MIN_TIME_LIMIT_S <= self.time_limit <= MAX_TIME_LIMIT_S
        ):
            bad["time_limit"] = (
                f"the time limit is from {MIN_TIME_LIMIT_S:g} to {MAX_TIME_LIMIT_S:g} seconds"
            )
        if self.seed is not None and not 0 <= self.seed < 2**32:
            bad["seed"] = "the seed must be between 0 and 4294967295"
        return bad

    @property
    def adaptive(self) -> bool:
        return self.noise is None and self.level == ADAPTIVE

    @property
    def label(self) -> str:
        return level_label(self.level, self.noise)

    def start_noise(self) -> float:
        if self.noise is not None:
            return float(self.noise)
        return STAIRCASE_START if self.adaptive else LEVELS[self.level]
