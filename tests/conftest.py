"""Fixtures shared by the test files (helper modules such as app_support stay importable).

- `make_app`: a fixture that builds the app on the test's own data folder (`tmp_path`), or
  on another one; every option of `LetterTuiApp` by keyword. `build_app` is the same for
  helper modules, which cannot take fixtures.
- `trained_model(alphabet, epochs)`: a model trained once per test session (seeded, dated), the
  one helper the app, train, inside and quiz tests share.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from letter_tui.core import training
from tests.recorded_run import ReplayTrainer

if TYPE_CHECKING:
    # Textual and NumPy only when a test asks for an app or a model, not for every test.
    from letter_tui.app.app import LetterTuiApp
    from letter_tui.core.alphabet import Alphabet
    from letter_tui.core.model_io import Model
    from letter_tui.core.quiz import QuizSettings

TRAINED_AT = "2026-01-01T12:00:00+00:00"  # a fixed date keeps screenshots of Home stable


@functools.cache
def trained_model(alphabet: str | Alphabet = "abc", epochs: int | None = None) -> Model:
    """A model trained with the alphabet's default settings (seed 42: deterministic), once per
    test session; `epochs` fewer for speed. `alphabet`: a bundled one's name, or an Alphabet."""
    from letter_tui.core.alphabet import load_bundled
    from letter_tui.core.model_io import Model
    from letter_tui.core.training import TrainingRun, default_settings, with_overrides

    found = load_bundled(alphabet) if isinstance(alphabet, str) else alphabet
    settings = default_settings(found)
    if epochs is not None:
        settings = with_overrides(settings, epochs=epochs)
    run = TrainingRun(found, settings)
    for _ in run.run():
        pass
    model = run.model()
    return Model(model.network, dataclasses.replace(model.meta, trained_at=TRAINED_AT))


def build_app(
    root: Path,
    *,
    alphabet: str = "abc",
    mode: str = "draw",
    model: Model | None = None,
    save_model: bool = False,
    remote: bool = False,
    start_letter: str | None = None,
    load_saved_model: bool = False,
    quiz_settings: QuizSettings | None = None,
    player_name: str | None = None,
    train_speed: float | None = None,
) -> LetterTuiApp:
    """The app on data folder `root`, the alphabet resolved there as the CLI does; `model`
    installed (and with `save_model` also written to `root`, as a saved model would be)."""
    from letter_tui.app.app import LetterTuiApp
    from letter_tui.core import model_io
    from letter_tui.core.alphabet import resolve_alphabet
    from letter_tui.core.names import clean_name

    found, path = resolve_alphabet(alphabet, root)
    if model is not None and save_model:
        model_io.save_model(model, model_io.model_path(root, found.name))
    return LetterTuiApp(
        found,
        path,
        root,
        model=model,
        mode=mode,
        remote=remote,
        start_letter=start_letter,
        load_saved_model=load_saved_model,
        quiz_settings=quiz_settings,
        # As the CLI hands it over: cleaned where it came in (--name's parser).
        player_name=None if player_name is None else clean_name(player_name),
        train_speed=train_speed,
    )


MakeApp = Callable[..., "LetterTuiApp"]


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    """`make_app(root=None, **options)`: `build_app` on `root`, by default the test's tmp_path."""

    def make(root: Path | None = None, **options: Any) -> LetterTuiApp:
        return build_app(tmp_path if root is None else root, **options)

    return make


@pytest.fixture
def recorded_tutorial_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every `TrainingRun` built during the test replays the recorded tutorial run instead
    of computing it, so what the screen shows holds no machine's last digits (see
    tests/recorded_run.py). A run of other settings fails with `NotRecorded`. The test fails
    too if no run used the recording: a picture that silently computed its numbers again
    would pass here and fail elsewhere."""
    monkeypatch.setattr(training, "Trainer", ReplayTrainer)
    before = ReplayTrainer.built
    yield
    assert ReplayTrainer.built > before, "no training run replayed the recording"
