"""Helpers for the Train and Inside tests: an app on a temporary data dir, waiting for runs."""

from __future__ import annotations

import functools
from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core.alphabet import load_bundled, resolve_alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.training import TrainingRun, default_settings, with_overrides

SIZE = (80, 24)


@functools.cache
def quick_model(name: str = "abc") -> Model:
    """A small seeded model, trained once per session, to stand for "the previous model"."""
    alphabet = load_bundled(name)
    run = TrainingRun(alphabet, with_overrides(default_settings(alphabet), epochs=300))
    for _ in run.run():
        pass
    return run.model()


def make_app(root: Path, name: str = "abc", *, mode: str = "train", model: bool = False):
    alphabet, path = resolve_alphabet(name, root)
    return LetterTuiApp(alphabet, path, root, model=quick_model(name) if model else None, mode=mode)


async def press_while_training(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """A key press, as `pilot.press` sends it, without `pilot.press`'s wait for the process
    to go idle: with a training thread busy that wait always runs to its 2 s limit."""
    from textual import events

    char = " " if key == "space" else (key if len(key) == 1 else None)
    pilot.app.post_message(events.Key(key, char))
    await pilot.pause()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until every worker is done and the messages they posted are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def train_screen(app: LetterTuiApp):  # type: ignore[no-untyped-def]
    from letter_tui.app.screens.train import TrainScreen

    screen = app.screen
    assert isinstance(screen, TrainScreen), screen
    return screen
