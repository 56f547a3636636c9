"""A player's name is cleaned once, where it comes in, and refused (not cleaned again) by
everything inside: the quiz controller, the game's record, the score store.

`clean_name` is the only maker of a `PlayerName`, so counting the PlayerNames made counts
the cleanings.
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from letter_tui.app.launch import build_app
from letter_tui.cli import build_parser
from letter_tui.core import model_io, names
from letter_tui.core.names import PlayerName, checked_name, clean_name
from letter_tui.core.paths import scores_path
from letter_tui.core.scores import GameRecord, ScoreStore
from letter_tui.server.config import Player, quiz_command
from letter_tui.services.launch_options import LaunchOptions, from_args
from tests.conftest import trained_model
from tests.waiting import wait_until

PACKAGE = Path(__file__).resolve().parent.parent / "letter_tui"


@pytest.fixture
def cleanings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The value of every PlayerName made from now on: only clean_name makes one, so this
    lists every cleaning."""
    made: list[str] = []
    new = str.__new__

    def counting(cls: type, value: str = "") -> str:
        made.append(value)
        return new(cls, value)

    monkeypatch.setattr(PlayerName, "__new__", staticmethod(counting))
    return made


def test_only_clean_name_makes_a_player_name() -> None:
    makers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("PlayerName"):
                makers.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert len(makers) == 1 and makers[0].startswith("core/names.py:"), makers


def test_only_a_cleaned_name_passes_the_check() -> None:
    name = clean_name("  ann\x1b[1m ")
    assert checked_name(name) is name and name == "ann[1m"
    for not_cleaned in ("ann", "  ann\x1b[1m ", clean_name("\x07", fallback=""), None, 3):
        with pytest.raises(ValueError, match="cleaned where it comes in"):
            checked_name(not_cleaned)


def game(name: str) -> GameRecord:
    return GameRecord(name, "abc", "medium", 1, 1, 1, 0.2, 1.0, "2026-12-01T00:00:00+00:00")  # type: ignore[arg-type]


def test_the_store_refuses_a_name_that_was_not_cleaned(tmp_path: Path) -> None:
    store = ScoreStore(tmp_path / "scores.sqlite3")
    for raw in ("\x1b]0;pwned\x07", "ann"):
        with pytest.raises(ValueError, match="cleaned where it comes in"):
            store.save(game(raw))
        with pytest.raises(ValueError, match="cleaned where it comes in"):
            store.record_fool("abc", "A", 3, raw)  # type: ignore[arg-type]
    assert not store.path.exists()  # refused before the file was even opened
    store.save(game(clean_name("ann")))
    assert [e.name for e in store.leaderboard("abc", "medium")] == ["ann"]


async def play_to_the_scores_file(options: LaunchOptions, root: Path) -> list[tuple]:
    """The app `options` start plays its game to the summary; the scores table's rows."""
    app = build_app(options)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        for number in range(1, options.quiz.rounds + 1):
            await wait_until(pilot, lambda: app.screen.phase == "round", what=f"round {number}")
            await pilot.press("a")
            await wait_until(pilot, lambda: app.screen.phase == "reveal")
            await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.saved_id is not None, what="the saved game")
    with sqlite3.connect(scores_path(root)) as conn:
        return conn.execute("SELECT name, rounds FROM scores").fetchall()


async def test_a_login_name_is_cleaned_once_by_the_server_and_once_by_the_player(
    tmp_path: Path, cleanings: list[str]
) -> None:
    """The SSH login name: the session cleans it where it arrives (the Player it makes);
    the player's process cleans the argv it is started with once, where that comes in;
    nothing between there and the scores file cleans it again."""
    model_io.save_model(trained_model("abc"), model_io.model_path(tmp_path, "abc"))
    login = "  [b]Zoë[/b]\t the-very-long-name "
    player = Player(name=clean_name(login), term="xterm-256color", cols=80, rows=24)
    assert cleanings == ["[b]Zoë[/b] the-very-"]  # the session's one cleaning
    argv = quiz_command("abc", tmp_path, 2, "easy")(player)

    cleanings.clear()
    args = build_parser().parse_args(argv[3:])  # `python -m letter_tui quiz --remote ...`
    options = from_args(args, args.command)
    rows = await play_to_the_scores_file(options, tmp_path)
    assert rows == [("[b]Zoë[/b] the-very-", 2)]
    assert cleanings == ["[b]Zoë[/b] the-very-"]  # the parser's, at the player's entry


async def test_a_local_name_is_cleaned_once_from_the_command_line_to_the_scores_file(
    tmp_path: Path, cleanings: list[str]
) -> None:
    model_io.save_model(trained_model("abc"), model_io.model_path(tmp_path, "abc"))
    argv = ["--data-dir", str(tmp_path), "quiz", "--rounds", "1", "--name", " ann\x1b[2J  b "]
    args = build_parser().parse_args(argv)
    options = from_args(args, args.command)
    # A local game reads its saved model in a thread after the first frame, as it does.
    rows = await play_to_the_scores_file(options, tmp_path)
    assert rows == [("ann[2J b", 1)]
    assert cleanings == ["ann[2J b"]  # the parser's, and no other


def test_names_module_is_what_the_quiz_exports() -> None:
    from letter_tui.core import quiz

    assert quiz.clean_name is names.clean_name and quiz.PlayerName is names.PlayerName
