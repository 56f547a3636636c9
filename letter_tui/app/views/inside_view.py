"""What the Inside screen shows and which keys work in which view, without Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from letter_tui.core.noise import flip

if TYPE_CHECKING:
    from letter_tui.app.views.inside_subject import Subject

VIEWS = ("units", "forward", "noise", "confusion")
NOISE_STEP = 0.05
MAX_NOISE = 0.5
NO_MODEL = "No model yet: go back (escape) and press s to train one."
OUT_OF_DATE = (
    "This model was trained on other letters than the alphabet has now: train it "
    "again to test it on them."
)

# The views in which each key does something; every other action works in all of them.
ACTION_VIEWS: dict[str, tuple[str, ...]] = {
    "unit": ("units",),
    "letter": ("forward",),
    "reroll": ("forward",),
    "noise": ("forward", "confusion"),
    "scroll": ("noise", "confusion"),
    "numbers": ("units", "forward", "confusion"),
    "why": ("forward",),
}


def allowed(action: str, view: str) -> bool:
    """Whether `action`'s key does something in `view` (the footer hides it otherwise)."""
    views = ACTION_VIEWS.get(action)
    return views is None or view in views


def stepped_noise(p: float, step: int) -> float:
    """The flip probability one + (1) or - (-1) from `p`, within 0 and MAX_NOISE."""
    return round(min(MAX_NOISE, max(0.0, p + step * NOISE_STEP)), 2)


def noisy_input(bitmap: tuple[int, ...], p: float, seed: int, letter: int) -> tuple[int, ...]:
    """The forward pass's input: `bitmap` with pixels flipped at `p`, the same flips for the
    same (seed, letter) until r draws new ones; `bitmap` itself when `p` is 0."""
    if p <= 0:
        return bitmap
    rng = np.random.default_rng((seed, letter))
    noisy = flip(np.asarray([bitmap], dtype=np.float64), p, rng)[0]
    return tuple(int(v) for v in noisy)


def status_text(subject: Subject, legend: str = "") -> str:
    """The status line: where the network comes from, after the why legend while shown."""
    live = " (live)" if subject.training else ""
    # The legend first: on a narrow terminal the model's title is what gets cut.
    text = f"{legend} · " if legend else ""
    return text + f"{subject.title}{live}"
