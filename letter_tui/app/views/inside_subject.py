"""What the inside view looks at: a network, its letters and grid, and where it comes from.

The Train screen publishes one of these as it trains (a copy of the weights a few times a
second) and, when idle, the app's current model; the inside view only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.network import Network


@dataclass(frozen=True, eq=False)
class Subject:
    """eq=False: compared by identity, so a reactive holding one never compares arrays."""

    network: Network
    labels: tuple[str, ...]
    rows: int
    cols: int
    alphabet: Alphabet | None
    """The letters to test it on (noise chart, confusion, forward pass); None when the
    network was trained on other letters than the alphabet has now."""
    seed: int
    title: str
    """Where it comes from, for the view's header: "saved model", "training: epoch 400"."""
    training: bool = False


def from_model(model: Model | None, alphabet: Alphabet) -> Subject | None:
    if model is None:
        return None
    meta = model.meta
    fits = model.mismatch(alphabet) is None
    return Subject(
        network=model.network,
        labels=tuple(meta.letters),
        rows=meta.rows,
        cols=meta.cols,
        alphabet=alphabet if fits else None,
        seed=meta.seed,
        title=f"saved model, {meta.epochs} epochs",
    )
