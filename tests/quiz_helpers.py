"""Shared by the quiz and leaderboard UI tests: a data folder, a trained model, the app."""

from __future__ import annotations

from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet, resolve_alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.quiz import QuizSettings
from letter_tui.core.training import TrainingRun, default_settings

_MODELS: dict[str, Model] = {}


def trained(alphabet: Alphabet) -> Model:
    """The alphabet's default model, trained once per test session (abc takes 0.1 s)."""
    if alphabet.name not in _MODELS:
        run = TrainingRun(alphabet, default_settings(alphabet))
        for _ in run.run():
            pass
        _MODELS[alphabet.name] = run.model()
    return _MODELS[alphabet.name]


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
    found, path = resolve_alphabet(alphabet, root)
    model = trained(found) if with_model else None
    if model is not None and save_model:
        model_io.save_model(model, model_io.model_path(root, found.name))
    return LetterTuiApp(
        found,
        path,
        root,
        model=model,
        mode=mode,
        remote=remote,
        quiz_settings=settings,
        player_name=name,
    )


def screen_text(app: LetterTuiApp) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    # The compositor's strips are exactly what is drawn; no public API returns them as text.
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
