"""`letter-tui scores` and the `quiz` options: output, safety, bad values, no Textual."""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from letter_tui.app import launch
from letter_tui.cli import main
from letter_tui.core import quiz
from letter_tui.core.paths import scores_path
from letter_tui.core.scores import ScoreStore
from letter_tui.services import settings
from letter_tui.services.launch_options import LaunchOptions
from tests.test_scores_store import game


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("LETTER_TUI_DATA_DIR", str(tmp_path))
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_database_says_so_and_creates_nothing(data: Path, capsys) -> None:
    code, out, err = run(capsys, "scores")
    assert code == 0 and err == ""
    path = scores_path(data)
    assert out == f"No scores yet: {path} does not exist. Play a game with 'letter-tui quiz'.\n"
    assert not path.exists()


def test_an_empty_database_says_so(data: Path, capsys) -> None:
    ScoreStore(scores_path(data)).migrate()
    code, out, _ = run(capsys, "scores")
    assert code == 0
    assert out == f"No games in {scores_path(data)} yet. Play with 'letter-tui quiz'.\n"


def test_boards_for_each_alphabet_and_level(data: Path, capsys) -> None:
    store = ScoreStore(scores_path(data))
    store.save(game(name="ann", correct=4, ms=1500))
    store.save(game(name="bob", correct=3, ms=800))
    store.save(game(name="cy", correct=1, level="adaptive"))
    store.save(game(name="dee", correct=2, alphabet="az", level="noise 0.15", p=0.15))
    code, out, _ = run(capsys, "scores")
    assert code == 0
    assert out == (
        "Alphabet abc, level medium: 2 games\n"
        "  #  Name                  Score  Acc.  Avg time  Network  Noise  Played (UTC)\n"
        "  1  ann                    4/4   100%     1.5 s    2/4     0.20  2026-11-25\n"
        "  2  bob                    3/4    75%     0.8 s    2/4     0.20  2026-11-25\n"
        "\n"
        "Alphabet abc, level adaptive: 1 game\n"
        "  #  Name                  Score  Acc.  Avg time  Network  Noise  Played (UTC)\n"
        "  1  cy                     1/4    25%     1.0 s    2/4     0.20  2026-11-25\n"
        "\n"
        "Alphabet az, level noise 0.15: 1 game\n"
        "  #  Name                  Score  Acc.  Avg time  Network  Noise  Played (UTC)\n"
        "  1  dee                    2/4    50%     1.0 s    2/4     0.15  2026-11-25\n"
    )
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("argv", "first"),
    [
        (["--level", "adaptive"], "Alphabet abc, level adaptive: 1 game"),
        (["--alphabet", "az"], "Alphabet az, level noise 0.15: 1 game"),
        (["--alphabet", "some/where/az.txt"], "Alphabet az, level noise 0.15: 1 game"),
        (["--noise", "0.15"], "Alphabet az, level noise 0.15: 1 game"),
        (["--alphabet", "abc", "--level", "hard"], "No games of alphabet 'abc' at level 'hard'"),
        (["--alphabet", "xyz"], "No games of alphabet 'xyz' in "),
    ],
)
def test_filters(argv: list[str], first: str, data: Path, capsys) -> None:
    store = ScoreStore(scores_path(data))
    store.save(game(name="cy", level="adaptive"))
    store.save(game(name="dee", alphabet="az", level="noise 0.15", p=0.15))
    code, out, _ = run(capsys, "scores", *argv)
    assert code == 0
    assert out.startswith(first)
    assert out.count("Alphabet ") <= 1


def test_only_the_top_ten_and_how_many_more(data: Path, capsys) -> None:
    store = ScoreStore(scores_path(data))
    for i in range(12):
        store.save(game(name=f"p{i:02}", correct=i % 5))
    _, out, _ = run(capsys, "scores")
    lines = out.splitlines()
    assert lines[0] == "Alphabet abc, level medium: 12 games"
    assert len(lines) == 2 + 10 + 1
    assert lines[-1] == "     ... and 2 more"


def test_stored_names_never_reach_the_terminal_raw(data: Path, capsys) -> None:
    path = scores_path(data)
    ScoreStore(path).save(game(name="x"))
    # Written by something else than letter-tui: names are cleaned when saved, not here.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE scores SET name = ?, alphabet = ?", ("\x1b]0;pwned\x07\x1b[2J", "a\rb")
        )
    _, out, _ = run(capsys, "scores")
    assert all(ch.isprintable() for ch in out.replace("\n", ""))
    assert "\ufffd]0;pwned\ufffd\ufffd[2J" in out
    assert "Alphabet a\ufffdb, level medium: 1 game" in out


def test_wide_names_are_cut_to_the_column(data: Path, capsys) -> None:
    ScoreStore(scores_path(data)).save(game(name="漢字" * 10))
    _, out, _ = run(capsys, "scores")
    row = out.splitlines()[2]
    assert row.startswith("  1  漢字漢字漢字漢字漢… ") and row.endswith("2026-11-25")


def test_a_corrupt_database_is_one_line_and_exit_1(data: Path, capsys) -> None:
    path = scores_path(data)
    path.write_bytes(b"garbage" * 100)
    code, out, err = run(capsys, "scores")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"letter-tui: error: {path}: the score database is damaged")
    assert path.read_bytes() == b"garbage" * 100


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["scores", "--level", "expert"], "--level"),
        (["scores", "--level", "easy", "--noise", "0.1"], "--noise"),
        (["scores", "--noise", "2"], "--noise"),
        (["quiz", "--rounds", "0"], "--rounds"),
        (["quiz", "--rounds", "1001"], "--rounds"),
        (["quiz", "--rounds", "ten"], "--rounds"),
        (["quiz", "--noise", "0.7"], "--noise"),
        (["quiz", "--noise", "nan"], "--noise"),
        (["quiz", "--level", "expert"], "--level"),
        (["quiz", "--level", "hard", "--noise", "0.1"], "--noise"),
        (["quiz", "--time-limit", "0"], "--time-limit"),
        (["quiz", "--time-limit", "inf"], "--time-limit"),
        (["quiz", "--time-limit", "soon"], "--time-limit"),
        (["quiz", "--seed", "-1"], "--seed"),
        (["quiz", "--name", "\x1b\x07 \t"], "--name"),
        (["quiz", "--bogus"], "--bogus"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(argv, option, data: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and option in err, err
    assert "\x1b" not in err and "\x07" not in err


def test_remote_needs_a_name(data: Path, capsys) -> None:
    code, _, err = run(capsys, "quiz", "--remote")
    assert code == 2
    assert err == "letter-tui: error: --remote needs --name NAME (the server names its players)\n"


@pytest.fixture
def handed(monkeypatch) -> list[LaunchOptions]:
    """The LaunchOptions the CLI hands to the app, instead of running it."""
    calls: list[LaunchOptions] = []

    def fake_run_app(options: LaunchOptions) -> int:
        calls.append(options)
        return 0

    monkeypatch.setattr(launch, "run_app", fake_run_app)
    return calls


def test_quiz_hands_its_settings_to_the_app(handed, data: Path, capsys) -> None:
    argv = ["--data-dir", str(data), "quiz", "--rounds", "3", "--level", "adaptive"]
    argv += ["--time-limit", "7.5", "--seed", "5", "--name", " Zoë\x1b[1m ", "--remote"]
    assert main(argv) == 0
    (options,) = handed
    assert options.mode == "quiz"
    assert options.player_name == "Zoë[1m" and options.remote is True
    assert options.data_dir == str(data)
    assert options.quiz.settings() == quiz.QuizSettings(
        rounds=3, level="adaptive", noise=None, time_limit=7.5, seed=5
    )


def test_quiz_defaults(handed, data: Path) -> None:
    assert main(["quiz", "--alphabet", "az"]) == 0
    (options,) = handed
    assert options.player_name is None and options.remote is False and options.alphabet == "az"
    assert options.quiz.settings() == quiz.QuizSettings()
    assert main(["quiz", "--noise", "0.05"]) == 0
    assert handed[1].quiz.settings().label == "noise 0.05"


def test_the_parser_agrees_with_the_rules() -> None:
    assert settings.MAX_ROUNDS == quiz.MAX_ROUNDS
    assert settings.TIME_LIMIT(str(quiz.MIN_TIME_LIMIT_S)) == quiz.MIN_TIME_LIMIT_S
    assert settings.TIME_LIMIT(str(quiz.MAX_TIME_LIMIT_S)) == quiz.MAX_TIME_LIMIT_S
    for outside in (quiz.MIN_TIME_LIMIT_S * 0.99, quiz.MAX_TIME_LIMIT_S * 1.01):
        with pytest.raises(argparse.ArgumentTypeError):
            settings.TIME_LIMIT(str(outside))


def test_help_lists_the_quiz_options_but_not_the_servers(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["quiz", "--help"])
    out = capsys.readouterr().out
    for option in ("--rounds", "--noise", "--level", "--time-limit", "--seed", "--name"):
        assert option in out
    assert "--remote" not in out


def test_scores_runs_without_importing_textual(tmp_path: Path) -> None:
    ScoreStore(scores_path(tmp_path)).save(game(name="ann"))
    code = (
        "import sys; from letter_tui.cli import main; rc = main(['scores']);"
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(rc)"
    )
    env = {"LETTER_TUI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "  1  ann" in done.stdout
