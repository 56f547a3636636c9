"""Shared helpers for the app's tests: an app on a temporary data dir, a small trained model."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core.alphabet import Alphabet, load_bundled, resolve_alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.training import TrainingRun, default_settings, with_overrides

SIZE = (80, 24)


@functools.cache
def trained(name: str = "abc") -> Model:
    """A model for a bundled alphabet, trained once per test session (seeded: deterministic)."""
    alphabet = load_bundled(name)
    settings = with_overrides(default_settings(alphabet), epochs=3000, seed=42)
    run = TrainingRun(alphabet, settings)
    for _ in run.run():
        pass
    model = run.model()
    # A fixed date keeps screenshots of the home screen stable.
    meta = dataclasses.replace(model.meta, trained_at="2026-01-01T12:00:00+00:00")
    return Model(model.network, meta)


def make_app(
    root: Path,
    *,
    name: str = "abc",
    mode: str = "draw",
    model: bool = False,
    remote: bool = False,
    start_letter: str | None = None,
    load_saved_model: bool = False,
) -> LetterTuiApp:
    alphabet, path = resolve_alphabet(name, root)
    return LetterTuiApp(
        alphabet,
        path,
        root,
        model=trained(name) if model else None,
        mode=mode,
        remote=remote,
        start_letter=start_letter,
        load_saved_model=load_saved_model,
    )


def bitmap_rows(alphabet: Alphabet, index: int) -> list[str]:
    bitmap = alphabet.bitmaps[index]
    cols = alphabet.cols
    return [
        "".join("#" if v else "." for v in bitmap[r * cols : (r + 1) * cols])
        for r in range(alphabet.rows)
    ]
