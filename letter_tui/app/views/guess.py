"""What the live guess panel shows, computed without Textual so it can be tested alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from letter_tui.core.alphabet import Alphabet

if TYPE_CHECKING:
    from letter_tui.core.model_io import Model


@dataclass(frozen=True)
class GuessView:
    """The network's outputs for one drawn bitmap, or why there are none.

    `labels` are the letters the model was trained on: when the alphabet changed since, they
    may differ from the alphabet's (and `notice` says the model is out of date).
    """

    labels: tuple[str, ...] = ()
    outputs: tuple[float, ...] = ()
    notice: str = ""
    has_model: bool = False
    output: str = "sigmoid"
    """The network's output layer: "sigmoid" (independent outputs) or "softmax" (sum to 1)."""

    @property
    def best(self) -> int | None:
        if not self.outputs:
            return None
        return max(range(len(self.outputs)), key=self.outputs.__getitem__)


def guess_view(
    model: Model | None, alphabet: Alphabet, bitmap: Sequence[int], *, loading: bool = False
) -> GuessView:
    if model is None:
        if loading:
            return GuessView(notice="Loading the model...")
        return GuessView(notice=f"No model is trained for alphabet '{alphabet.name}' yet.")
    meta = model.meta
    problem = model.mismatch(alphabet)
    if (meta.rows, meta.cols) != (alphabet.rows, alphabet.cols):
        # A network for another grid size cannot read this bitmap at all.
        return GuessView(notice=f"The model is out of date: {problem}.", has_model=True)
    import numpy as np

    outputs = model.network.predict_proba(np.asarray(bitmap, dtype=np.float64))
    notice = ""
    if problem:
        notice = f"The model is out of date: {problem}. It still guesses among its own letters."
    elif meta.pixels_digest and meta.pixels_digest != alphabet.pixels_digest():
        notice = "Letters were redrawn since the model was trained."
    return GuessView(
        labels=tuple(meta.letters),
        outputs=tuple(float(v) for v in outputs),
        notice=notice,
        has_model=True,
        output=model.network.output,
    )
