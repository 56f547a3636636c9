"""SVG snapshots of the screens the other snapshot files leave out, at 80x24 and 120x40
(issue 15, point 7): the quiz setup form, the summary and Help at 120x40, Scores, and the
lesson at 120x40. Seeded, fake clock, fixed dates (the scores' `played_at`); regenerate on
purpose with --snapshot-update and read the SVG's text before committing."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import make_app as make_draw_app
from textual.widgets import Input

from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.core import lesson as lesson_module
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.paths import scores_path
from letter_tui.core.quiz import QuizSettings, make_round
from letter_tui.core.scores import ScoreStore

from .quiz_helpers import FakeClock, make_app, trained
from .test_leaderboard import game

ABC = load_bundled("abc")
SEED = 5
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", fake)
    return fake


async def settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_quiz_setup(snap_compare, tmp_path: Path, clock: FakeClock, size) -> None:
    app = make_app(tmp_path, mode="home", name="tester")

    async def open_form(pilot) -> None:
        await settled(pilot)
        await pilot.press("q")
        await settled(pilot)
        # The focused field's cursor blinks every 0.5 s: on a busy machine the picture
        # could be taken in either half. Held on, it is the same picture every time.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_form)


def test_summary_at_120x40(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED))

    def label(number: int, right: bool) -> str:
        rnd = make_round(ABC, trained(ABC).network, SEED, number, 0.2)
        return ABC.labels[rnd.letter if right else (rnd.letter + 1) % len(ABC)]

    async def play(pilot) -> None:
        for number, right in ((1, False), (2, True), (3, True)):
            clock.advance(0.8 * number)
            await pilot.press(label(number, right), "enter")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=play)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", ["board", "chart"])
def test_scores(snap_compare, tmp_path: Path, size, page: str) -> None:
    store = ScoreStore(scores_path(tmp_path))
    store.save(game("slow", 3, ms=2000))
    store.save(game("fast", 3, ms=500))
    mine = store.save(game("best", 4))
    app = make_app(tmp_path, mode="home")
    app.last_game = ("abc", "medium", mine)

    async def open_scores(pilot) -> None:
        await settled(pilot)
        await pilot.press("s")
        await settled(pilot)
        if page == "chart":
            await pilot.press("c")
            await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_scores)


def test_help_at_120x40(tmp_path: Path, snap_compare) -> None:
    app = make_draw_app(tmp_path, mode="draw", model=True)
    assert snap_compare(app, press=["question_mark"], terminal_size=(120, 40))


@pytest.mark.parametrize("step", [1, 3])
def test_lesson_at_120x40(tmp_path: Path, snap_compare, monkeypatch, step: int) -> None:
    # Six digits of the loss, as test_lesson_screen's snapshots: the last ones depend on BLAS.
    monkeypatch.setattr(
        lesson_module, "tutorial_line", lambda epoch, loss: f"Epoch {epoch}, Loss: {loss:.6f}"
    )
    app = make_draw_app(tmp_path, mode="lesson")
    assert snap_compare(app, press=["right"] * (step - 1), terminal_size=(120, 40))
