"""Helpers for the Train and Inside tests: an app on a temporary data dir, waiting for runs."""

from __future__ import annotations

from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core.model_io import Model
from tests.conftest import build_app, trained_model

SIZE = (80, 24)


def quick_model(name: str = "abc") -> Model:
    """A small seeded model (300 epochs), trained once per session: "the previous model"."""
    return trained_model(name, epochs=300)


def make_app(root: Path, name: str = "abc", *, mode: str = "train", model: bool = False):  # type: ignore[no-untyped-def]
    """conftest's `build_app` with Train's defaults (new tests: the `make_app` fixture)."""
    return build_app(root, alphabet=name, mode=mode, model=quick_model(name) if model else None)


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


def status_line(screen) -> str:  # type: ignore[no-untyped-def]
    """What the Train screen's status line shows (its #hint line): the latest message, or
    the focused field's help. A run's start and end show theirs a frame later: wait for it."""
    from letter_tui.app.widgets.text_line import TextLine

    return str(screen.query_one("#hint", TextLine).text)


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The terminal's text as shown, row by row, read from Textual's public screenshot
    export (the SVG of the frame), not from any widget's attributes."""
    import html
    import re

    svg = app.export_screenshot()
    cell = 12.2  # Rich's SVG export: 0.61 x its 20 px font per terminal column
    rows: dict[int, dict[int, str]] = {}
    for x, row, text in re.findall(
        r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
        r'clip-path="url\(#terminal-(?:\w+-)?line-(\d+)\)">(.*?)</text>',
        svg,
    ):
        cells = rows.setdefault(int(row), {})
        for i, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            cells[round(float(x) / cell) + i] = char
    height = max(rows, default=-1) + 1
    return [
        "".join(
            rows.get(y, {}).get(x, " ") for x in range(max(rows.get(y, {0: ""}), default=0) + 1)
        ).rstrip()
        for y in range(height)
    ]


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """`screen_lines` joined, and the status line's two rows as one: words wrap there."""
    return "\n".join(screen_lines(app))


async def answer_keep(pilot, key: str = "k", timeout: float = 10.0) -> str:  # type: ignore[no-untyped-def]
    """Wait (with a deadline) for the Keep / Discard question, then answer it with `key`
    (k keep, d discard, escape stay); returns the question's text as shown on screen."""
    import asyncio

    from letter_tui.app.screens.keep_run import KeepRunScreen

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not isinstance(pilot.app.screen, KeepRunScreen):
        assert loop.time() < end, "timed out waiting for the Keep / Discard question"
        await pilot.pause(0.02)
    await pilot.pause()
    shown = screen_text(pilot.app)
    await pilot.press(key)
    await settle(pilot)
    return shown
