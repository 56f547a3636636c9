"""Shared helpers for the app's tests: an app on a temporary data dir, a small trained model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from letter_tui.app.app import LetterTuiApp
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from tests.conftest import build_app, trained_model

SIZE = (80, 24)


def trained(name: str = "abc") -> Model:
    """A model for a bundled alphabet (3000 epochs of its defaults), trained once per session."""
    return trained_model(name, epochs=3000)


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
    """conftest's `build_app` with Draw's defaults (new tests: the `make_app` fixture)."""
    return build_app(
        root,
        alphabet=name,
        mode=mode,
        model=trained(name) if model else None,
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


def record_notifications(app: LetterTuiApp) -> list[str]:
    """Every message `app` shows as a notification from now on, caught on its way through
    the public `App.notify` (call before `run_test`: the app notifies as it starts)."""
    said: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return said
