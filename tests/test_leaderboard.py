"""The leaderboard screen: boards per alphabet and level, the game just played highlighted,
stored names shown as plain text, the accuracy-against-noise chart, store errors."""

from __future__ import annotations

from pathlib import Path

from letter_tui.app.widgets.noise_chart import NoiseChart
from letter_tui.core.names import clean_name
from letter_tui.core.paths import scores_path
from letter_tui.core.scores import AnswerRecord, GameRecord, ScoreStore

from .footer_support import footer_keys
from .quiz_helpers import make_app, screen_text
from .waiting import wait_until


def game(name: str, right: int, level: str = "medium", alphabet: str = "abc", ms: int = 900):
    answers = tuple(
        AnswerRecord(
            round_no=i + 1,
            letter="A",
            p=0.1 if i < 2 else 0.3,
            flipped=3,
            guess="A" if i < right else "B",
            network_guess="A" if i % 2 == 0 else "C",
            ideal_credit=1.0,
            answer_ms=ms,
        )
        for i in range(4)
    )
    return GameRecord(
        name=clean_name(name),  # as the quiz records it: cleaned where it came in
        alphabet=alphabet,
        level=level,
        rounds=4,
        user_correct=right,
        network_correct=2,
        mean_noise=0.2,
        duration_s=4.0,
        played_at="2026-11-25T03:00:00+00:00",
        answers=answers,
    )


async def test_boards_ranks_and_the_chart(tmp_path: Path) -> None:
    store = ScoreStore(scores_path(tmp_path))
    store.save(game("slow", 3, ms=2000))
    store.save(game("[red]fast[/red]", 3, ms=500))
    mine = store.save(game("best", 4))
    store.save(game("easy one", 1, level="easy"))
    app = make_app(tmp_path, mode="home")
    app.last_game = ("abc", "medium", mine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Alphabet abc, level medium: top 3 of 3 games" in text
        lines = [line for line in text.splitlines() if "/4" in line]
        assert ["best" in lines[0], "[red]fast[/red]" in lines[1], "slow" in lines[2]] == [
            True,
            True,
            True,
        ]
        assert "Your game is marked ▶" in text
        # Marked by a sign, not only by the cursor's colour: the row of `mine` (the best).
        assert "▶ 1" in lines[0] and not any("▶" in line for line in lines[1:])
        table = app.screen.query_one("#board-table")
        assert table.cursor_row == 0

        assert "b Next board" in footer_keys(app.screen)
        await pilot.press("b")  # the next board: abc easy
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Alphabet abc, level easy: top 1 of 1 game" in screen_text(app)

        await pilot.press("c")
        await pilot.pause()
        assert "c Board" in screen_text(app).splitlines()[-1]
        chart = app.screen.query_one(NoiseChart)
        # 4 games x 2 answers per bin.
        assert [(b.low, b.count) for b in chart.bins] == [(0.1, 8), (0.3, 8)]
        assert chart.bins[0].player == 7  # the first two answers are right, but in "easy one"
        text = screen_text(app)
        assert "Players" in text and "Network" in text and "Best reader" in text
        assert "0.10-0.15       8" in text
        assert "Time is the mean answer time" not in text  # the table's note, not the chart's
        await pilot.press("c")
        await pilot.pause()
        assert "c Chart" in screen_text(app).splitlines()[-1]
        assert "Time is the mean answer time" in screen_text(app)
        assert "Alphabet abc, level easy" in screen_text(app)


async def test_next_board_is_offered_only_when_there_is_another(tmp_path: Path) -> None:
    ScoreStore(scores_path(tmp_path)).save(game("solo", 3))
    app = make_app(tmp_path, mode="leaderboard")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: "top 1 of 1 game" in screen_text(app))
        await wait_until(pilot, lambda: "c Chart" in footer_keys(app.screen))
        assert not any("Next board" in key for key in footer_keys(app.screen))


async def test_no_scores_yet_and_a_damaged_file(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="leaderboard")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No games yet: press p to play one." in screen_text(app)
    assert not scores_path(tmp_path).exists()  # looking creates nothing

    scores_path(tmp_path).write_bytes(b"this is not a database" * 100)
    app = make_app(tmp_path, mode="leaderboard")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Cannot read the scores:" in screen_text(app)
