"""Shared by the quiz and leaderboard UI tests: a data folder, a trained model, the app."""

from __future__ import annotations

from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core.alphabet import Alphabet, resolve_alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.quiz import QuizSettings
from tests.conftest import build_app, trained_model
from tests.train_support import screen_lines


def trained(alphabet: Alphabet) -> Model:
    """The alphabet's default model, trained once per test session (abc takes 0.1 s)."""
    return trained_model(alphabet)


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(
    root: Path,
    *,
    alphabet: str = "abc",
    settings: QuizSettings | None = None,
    name: str | None = "tester",
    with_model: bool = True,
    save_model: bool = False,
    mode: str = "quiz",
    remote: bool = False,
) -> LetterTuiApp:
    """conftest's `build_app` with the quiz's defaults (new tests: the `make_app` fixture)."""
    found, _ = resolve_alphabet(alphabet, root)  # the root's own letters, if it has them
    model = trained_model(found) if with_model else None
    return build_app(
        root,
        alphabet=alphabet,
        mode=mode,
        model=model,
        save_model=save_model,
        remote=remote,
        quiz_settings=settings,
        player_name=name,
    )


def screen_text(app: LetterTuiApp) -> str:
    """What the terminal shows now, as plain text (one line per row, trailing blanks cut),
    read from Textual's public screenshot export."""
    return "\n".join(screen_lines(app))
