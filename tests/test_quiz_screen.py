"""The quiz screen driven by Pilot: a whole seeded game, answers right and wrong, a key that
names no letter, a time-out, the summary's numbers and the rows saved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.quiz_replay import ReplayScreen
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.paths import scores_path
from letter_tui.core.quiz import QuizSettings, make_round

from .conftest import build_app
from .quiz_helpers import FakeClock, make_app, screen_text, trained
from .waiting import wait_until

ABC = load_bundled("abc")


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", fake)
    return fake


def rounds(seed: int, count: int, p: float = 0.2):
    network = trained(ABC).network
    return [make_round(ABC, network, seed, n, p) for n in range(1, count + 1)]


def wrong_label(letter: int) -> str:
    return ABC.labels[(letter + 1) % len(ABC)]


def rows(root: Path, query: str) -> list[tuple]:
    with sqlite3.connect(scores_path(root)) as conn:
        return conn.execute(query).fetchall()


async def test_a_whole_seeded_game(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=4, seed=5))
    expected = rounds(5, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.phase == "round"
        assert "Round 1 of 4" in screen_text(app)

        # Round 1: right, in lower case, after 1.5 s.
        clock.advance(1.5)
        await pilot.press(ABC.labels[expected[0].letter].lower())
        assert screen.phase == "reveal"
        text = screen_text(app)
        assert f"It was {ABC.labels[expected[0].letter]}" in text
        assert "You: " + ABC.labels[expected[0].letter] + " ✓ right" in text
        assert f"{expected[0].flipped} pixels flipped" in text or expected[0].flipped == 1

        # Round 2: a key that names no letter is a hint, not an answer; then a wrong one.
        await pilot.press("enter")
        assert screen.phase == "round"
        await pilot.press("x")
        assert screen.phase == "round"
        assert len(screen.quiz.results) == 1
        hint = str(screen.query_one("#hint").content)
        assert hint == "'x' is no letter here. Press one of A B C."
        assert "'x' is no letter here" in screen_text(app)
        clock.advance(2.0)
        await pilot.press(wrong_label(expected[1].letter))
        assert "✗ wrong" in screen_text(app)

        # Round 3 right, round 4 wrong.
        await pilot.press("enter")
        clock.advance(0.5)
        await pilot.press(ABC.labels[expected[2].letter])
        await pilot.press("enter")
        clock.advance(1.0)
        await pilot.press(wrong_label(expected[3].letter))
        assert "enter: the summary" in screen_text(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.phase == "summary"
        text = screen_text(app)

    network_right = sum(r.network_right for r in expected)
    ideal = sum(r.ideal_credit for r in expected)
    assert "tester: 2 of 4" in text
    assert "You                   2/4   50%" in text
    assert f"Network               {network_right}/4" in text
    assert f"Best possible reader  {ideal:.3g}/4" in text
    assert "1.2 s per answer" in text  # (1.5 + 2.0 + 0.5 + 1.0) / 4 = 1.25
    assert "Score saved: place 1 of 1 on the abc medium board." in text

    games = rows(
        tmp_path,
        "SELECT name, alphabet, level, rounds, user_correct, network_correct,"
        " seed, mean_noise FROM scores",
    )
    assert games == [("tester", "abc", "medium", 4, 2, network_right, 5, 0.2)]
    answers = rows(
        tmp_path,
        "SELECT round_no, letter, guess, network_guess, answer_ms, p"
        " FROM answers ORDER BY round_no",
    )
    labels = ABC.labels
    guesses = [
        labels[expected[0].letter],
        wrong_label(expected[1].letter),
        labels[expected[2].letter],
        wrong_label(expected[3].letter),
    ]
    assert answers == [
        (i + 1, labels[r.letter], guesses[i], labels[r.network_guess], ms, 0.2)
        for i, (r, ms) in enumerate(zip(expected, (1500, 2000, 500, 1000), strict=True))
    ]


async def test_running_out_of_time_counts_as_wrong(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=3, time_limit=2.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "Time left" in screen_text(app)
        clock.advance(1.0)
        # The countdown ticks on a real-time timer: wait for the tick that shows 1.0 s left.
        await wait_until(pilot, lambda: " 1.0 s" in screen_text(app), what=lambda: screen_text(app))
        assert screen.phase == "round" and "Time left" in screen_text(app)
        clock.advance(1.5)
        await wait_until(
            pilot,
            lambda: "time ran out ✗ wrong" in screen_text(app),
            what=lambda: screen_text(app),
        )
        assert screen.phase == "reveal"
        result = screen.quiz.results[0]
        assert result.timed_out and result.answer_ms == 2000
        # A key pressed during the reveal is no answer to anything.
        await pilot.press(ABC.labels[0])
        assert len(screen.quiz.results) == 1


async def test_a_quit_before_the_summary_asks_and_saves_nothing(
    tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        assert "1 of 3 rounds played" in screen_text(app)
        assert app.screen.message.endswith("Quitting now saves nothing.")
        await pilot.press("escape")  # stay
        assert app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert not scores_path(tmp_path).exists()


async def test_escape_mid_game_asks_then_abandons(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert "leaving now saves nothing" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.current_mode == "home"
        assert app.game_in_progress is None
    assert not scores_path(tmp_path).exists()


async def test_a_store_error_says_score_not_saved(tmp_path: Path, clock: FakeClock) -> None:
    scores_path(tmp_path).mkdir(parents=True)  # a folder where the database should be
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "score not saved:" in text
        assert app.screen.phase == "summary"
        # The game still works: another one starts from the summary.
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizSetup"


async def test_rounds_only_one_was_right_can_be_seen_again(
    tmp_path: Path, clock: FakeClock
) -> None:
    expected = rounds(5, 2)
    app = make_app(tmp_path, settings=QuizSettings(rounds=2, seed=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Wrong where the network is right, so both rounds are "only the network".
        for r in expected:
            await pilot.press(wrong_label(r.letter), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        split = [r for r in expected if r.network_right]
        assert split, "seed 5 has the network right on round 1"
        assert f"only the network: {len(split)}" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen)
        assert f"It was {ABC.labels[split[0].letter]}" in screen_text(app)
        await pilot.press("escape")
        assert app.screen.phase == "summary"


async def test_the_name_prompt_is_filled_with_the_login_name_and_cleaned(
    tmp_path: Path, clock: FakeClock, monkeypatch
) -> None:
    monkeypatch.setattr(quiz_screen, "login_name", lambda: "loginname")
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=2), name=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "NamePrompt"
        assert app.screen.query_one("#name-input").value == "loginname"
        app.screen.query_one("#name-input").value = ""
        await pilot.press("enter")
        assert "at least one visible character" in screen_text(app)
        app.screen.query_one("#name-input").value = "[b]bold[/b]\x1b[31m  me"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.player == "[b]bold[/b][31m me"
        assert "([b]bold[/b][31m me)" in screen_text(app)  # shown as typed, not as markup


async def test_a_missing_model_is_trained_saved_and_installed(
    tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=2), with_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model is not None and app.model_problem() is None
        assert app.screen.phase == "round"
        assert (tmp_path / "models" / "abc.npz").is_file()


async def test_remote_players_train_in_memory_and_get_only_safe_activities(
    tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=2), with_model=False, remote=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.phase == "round"
        assert not (tmp_path / "models").exists()
        assert {a.mode for a in app.activities} == {"home", "quiz", "leaderboard", "help"}
        await pilot.press("a", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")  # another game, the same settings, no form
        await pilot.pause()
        assert app.screen.phase == "round"


async def test_from_home_the_form_sets_up_the_game(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, mode="home", name=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "QuizSetup"
        form.query_one("#name").value = "ada"
        form.query_one("#rounds").value = "0"
        await pilot.press("enter")
        assert "Rounds: rounds must be between 1 and 1000" in screen_text(app)
        form.query_one("#rounds").value = "2"
        form.query_one("#level").value = "adaptive"
        form.query_one("#time_limit").value = "abc"
        await pilot.press("enter")
        assert "Time limit: expected a number, got 'abc'" in screen_text(app)
        form.query_one("#time_limit").value = ""
        form.query_one("#seed").value = "9"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.phase == "round"
        assert screen.quiz.settings == QuizSettings(rounds=2, level="adaptive", seed=9)
        assert screen.player == "ada"


async def test_the_form_opens_on_name_and_enter_starts_from_every_field(
    tmp_path: Path, clock: FakeClock
) -> None:
    app = make_app(tmp_path, mode="home", name="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        # Typing straight away replaces the name, and Rounds keeps its 10.
        await pilot.press(*"ada")
        text = screen_text(app)
        assert "Name            ada " in text
        assert "Rounds          10 " in text
        assert "enter starts from any field" in text
        assert "Space or ↑ ↓ opens the Level list" in text
        # The Level list is still changed by keyboard: down opens it, down and enter pick.
        await pilot.press("tab", "tab")
        assert app.screen.focused is app.screen.query_one("#level")
        await pilot.press("down")
        await pilot.pause()
        assert "adaptive (finds your threshold)" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Level           hard (noise 0.30)" in screen_text(app)
        # Enter on the closed Level list starts the game rather than opening the list.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.phase == "round"
        assert app.screen.quiz.settings == QuizSettings(rounds=10, level="hard")
        assert app.screen.player == "ada"


async def test_level_and_noise_are_one_control(tmp_path: Path, clock: FakeClock) -> None:
    """The Level list sets how noisy the letters are; its last choice, fixed noise, reveals the
    Noise field (as --noise replaces --level on the command line)."""
    app = make_app(tmp_path, mode="home", name="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        text = screen_text(app)
        assert "Level           medium (noise 0.20)" in text
        assert "Noise" not in text.replace("(noise", "")
        await pilot.press("tab", "tab", "down")  # open the Level list on Level
        await pilot.pause()
        assert "fixed noise (you choose it)" in screen_text(app)
        await pilot.press("end", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Level           fixed noise (you choose it)" in text
        assert "Noise           " in text
        await pilot.press("tab", *"0.15", "enter")
        await pilot.pause()
        assert app.screen.phase == "round"
        assert app.screen.quiz.settings.noise == 0.15


@pytest.mark.parametrize("field", ["name", "rounds", "level", "noise", "time_limit", "seed"])
async def test_enter_starts_the_game_from_each_field(
    tmp_path: Path, clock: FakeClock, field: str
) -> None:
    app = make_app(tmp_path, mode="home", name="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        form = app.screen
        form.query_one("#level").value = "fixed"  # so that Noise can take focus too
        form.query_one("#noise").value = "0.1"
        await pilot.pause()
        form.query_one(f"#{field}").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.phase == "round"
        assert app.screen.quiz.settings.noise == 0.1


async def test_an_out_of_date_model_is_retrained_first(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape", "y")  # leave, change the alphabet, come back
        grown = ABC.with_letter("D")
        app.alphabet = grown
        assert app.model_problem() is not None
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizSetup"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model_problem() is None
        assert app.model.meta.letters == grown.labels
        assert app.screen.phase == "round"
        assert "A B C D" in screen_text(app)


async def test_help_pauses_the_countdown(tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=3, time_limit=2.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        clock.advance(1.0)
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        clock.advance(30.0)  # reading the help takes no time off the round
        await pilot.pause(quiz_screen.TICK_S * 2)
        await pilot.press("escape")
        await pilot.pause(quiz_screen.TICK_S * 2)
        assert screen.phase == "round"
        clock.advance(0.5)
        await pilot.press(ABC.labels[0])
        assert screen.quiz.results[0].answer_ms == 1500


async def test_a_saved_model_is_waited_for_never_retrained_over(tmp_path: Path) -> None:
    """`letter-tui quiz --name x` starts at once, while the saved model is still loading: the
    quiz must play with that model, not train (and save over it) one of its own."""
    from letter_tui.core import model_io
    from letter_tui.core.training import TrainingRun, TrainSettings

    # A model of its own (9 hidden units), unlike any the other tests share: the one saved.
    run = TrainingRun(load_bundled("abc"), TrainSettings(hidden=9, epochs=500, log_every=500))
    for _ in run.run():
        pass
    saved = model_io.model_path(tmp_path, "abc")
    model_io.save_model(run.model(), saved)
    before = saved.read_bytes()
    app = build_app(
        tmp_path,
        mode="quiz",
        load_saved_model=True,
        quiz_settings=QuizSettings(rounds=1, seed=5),
        player_name="x",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Round 1 of 1" in screen_text(app)
        assert app.model is not None and app.model.meta.hidden == 9
    assert saved.read_bytes() == before


async def test_play_on_the_leaderboard_after_a_game_starts_the_next(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Summary, l (the leaderboard), p (Play): a new game is set up, not the old summary."""
    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=5))
    expected = rounds(5, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quiz = app.screen
        await pilot.press(ABC.labels[expected[0].letter])
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: quiz.phase == "summary")
        await pilot.press("l")
        await wait_until(pilot, lambda: app.current_mode == "leaderboard")
        await pilot.press("p")
        await wait_until(pilot, lambda: app.current_mode == "quiz" and app.screen is not quiz)
        text = screen_text(app)
        assert "Time limit" in text and "Game over" not in text, text
