"""The why overlay's parts shared by the quiz reveal and Inside's forward pass: which hidden
units pushed the guess most, and the pixel marks with the noise's flips kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from letter_tui.app.widgets.marked_grid import Mark, why_marks

if TYPE_CHECKING:  # effects imports NumPy: not before Draw's first frame
    from letter_tui.core.effects import Explanation


def top_units(explanation: Explanation, count: int = 3) -> tuple[int, ...]:
    """The hidden units that pushed the guess most (largest contribution first)."""
    contributions = explanation.contributions
    ranked = sorted(range(len(contributions)), key=lambda u: -contributions[u])
    return tuple(ranked[:count])


def unit_label(explanation: Explanation, unit: int) -> str:
    """`unit 4 +3.2`: the unit (1-based, as Inside numbers them) and what it adds to the guess."""
    return f"unit {unit + 1} {explanation.contributions[unit]:+.1f}"


def why_marks_with_flips(
    effects: tuple[float, ...], shown: tuple[int, ...], clean: tuple[int, ...]
) -> tuple[Mark, ...]:
    """The why marks, with an `x` before the sign on each pixel the noise flipped, so the
    reveal still shows what the noise did while it shows why."""
    return tuple(
        mark._replace(text="x" + mark.text) if shown[mark.index] != clean[mark.index] else mark
        for mark in why_marks(effects)
    )
