"""SVG snapshots of a quiz round, a reveal and the summary at 80x24, and of the round and
the reveal at 120x40, where the letters are larger (seeded, fake clock)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.quiz import QuizSettings, make_round

from .quiz_helpers import FakeClock, make_app, trained

ABC = load_bundled("abc")
SEED = 5


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", fake)
    return fake


def label(number: int, right: bool) -> str:
    rnd = make_round(ABC, trained(ABC).network, SEED, number, 0.2)
    return ABC.labels[rnd.letter if right else (rnd.letter + 1) % len(ABC)]


def test_round(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED, time_limit=10))
    assert snap_compare(app, terminal_size=(80, 24))


def test_reveal(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED))

    async def answer(pilot) -> None:
        clock.advance(1.2)
        await pilot.press(label(1, right=False))

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


def test_summary(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED))

    async def play(pilot) -> None:
        for number, right in ((1, False), (2, True), (3, True)):
            clock.advance(0.8 * number)
            await pilot.press(label(number, right), "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=play)


def test_round_at_120x40(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    # The letter grows with the room: four cells per pixel row here, three at 80x24.
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED, time_limit=10))
    assert snap_compare(app, terminal_size=(120, 40))


def test_reveal_at_120x40(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED))

    async def answer(pilot) -> None:
        clock.advance(1.2)
        await pilot.press(label(1, right=False))

    assert snap_compare(app, terminal_size=(120, 40), run_before=answer)
