"""LaunchOptions: built once from the command line, handed to the app whole, and written
by the server as a player's command line that the same parser reads back unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as run_settings
from hypothesis import strategies as st

from letter_tui.app import launch
from letter_tui.cli import build_parser, main
from letter_tui.core.names import clean_name
from letter_tui.server.config import Player, quiz_command
from letter_tui.services import settings
from letter_tui.services.launch_options import (
    LaunchOptions,
    QuizOptions,
    from_args,
    player_argv,
)

PARSER = build_parser()


def read_back(argv: list[str]) -> LaunchOptions:
    """What the player's process makes of `argv`: `python -m letter_tui ARGS` runs the CLI."""
    assert argv[:3] == [sys.executable, "-m", "letter_tui"]
    args = PARSER.parse_args(argv[3:])
    return from_args(args, args.command)


# Anything a command line can carry (no NUL), at least one character.
argv_text = st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=40)
names = st.text(min_size=1, max_size=40).map(lambda t: clean_name(t, fallback="")).filter(bool)


@st.composite
def games(draw: st.DrawFn) -> QuizOptions:
    noise = draw(st.none() | st.floats(0.0, settings.MAX_NOISE))
    return QuizOptions(
        rounds=draw(st.integers(1, settings.MAX_ROUNDS)),
        # A fixed noise stands for the level: the parser refuses both at once.
        level=settings.DEFAULT_LEVEL
        if noise is not None
        else draw(st.sampled_from(settings.LEVEL_NAMES)),
        noise=noise,
        time_limit=draw(
            st.none() | st.floats(settings.MIN_TIME_LIMIT_S, settings.MAX_TIME_LIMIT_S)
        ),
        seed=draw(st.none() | st.integers(0, 2**32 - 1)),
    )


players = st.builds(
    LaunchOptions,
    mode=st.just("quiz"),
    alphabet=argv_text,
    data_dir=st.none() | argv_text,
    remote=st.just(True),
    player_name=names,
    quiz=games(),
)


# No deadline: a busy machine must not fail a test that is only slow.
@run_settings(deadline=None)
@given(players)
def test_the_parser_reads_back_what_the_server_writes(options: LaunchOptions) -> None:
    assert read_back(player_argv(options)) == options


@run_settings(deadline=None)
@given(names)
def test_a_clean_name_goes_through_unchanged(name: str) -> None:
    command = quiz_command("abc", Path("/d"), 3, "easy")
    options = read_back(command(Player(name=name, term="xterm", cols=80, rows=24)))
    assert options.player_name == name
    assert options.quiz == QuizOptions(rounds=3, level="easy") and options.remote


def test_a_name_or_alphabet_that_looks_like_an_option_stays_a_value() -> None:
    options = LaunchOptions(
        mode="quiz",
        alphabet="--help",
        data_dir="-d",
        remote=True,
        player_name=clean_name("--version"),
    )
    argv = player_argv(options)
    assert "--name=--version" in argv and "--alphabet=--help" in argv
    assert read_back(argv) == options


def test_the_app_starts_only_on_a_mode_it_has() -> None:
    with pytest.raises(ValueError, match="mode is one of home, draw"):
        LaunchOptions(mode="scores")


def test_only_a_named_remote_quiz_is_a_players_command() -> None:
    for options in (
        LaunchOptions(mode="quiz", remote=True),
        LaunchOptions(mode="quiz", player_name=clean_name("ann")),
        LaunchOptions(mode="draw", remote=True, player_name=clean_name("ann")),
    ):
        with pytest.raises(ValueError):
            player_argv(options)


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[LaunchOptions]:
    calls: list[LaunchOptions] = []
    monkeypatch.setattr(launch, "run_app", lambda options: calls.append(options) or 0)
    return calls


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], LaunchOptions()),
        (["--alphabet", "az"], LaunchOptions(alphabet="az")),
        (["--data-dir", "D", "draw", "b"], LaunchOptions(mode="draw", data_dir="D", letter="b")),
        (["draw", "--alphabet", "az"], LaunchOptions(mode="draw", alphabet="az")),
        (["train", "--speed", "400"], LaunchOptions(mode="train", train_speed=400.0)),
        (["lesson"], LaunchOptions(mode="lesson")),
        (
            ["quiz", "--rounds", "4", "--noise", "0.25", "--name", " ann\tb "],
            LaunchOptions(
                mode="quiz", player_name=clean_name("ann b"), quiz=QuizOptions(4, noise=0.25)
            ),
        ),
    ],
)
def test_each_command_hands_the_app_its_options(
    handed: list[LaunchOptions], argv: list[str], expected: LaunchOptions
) -> None:
    assert main(argv) == 0
    assert handed == [expected]


def test_run_app_starts_the_app_from_the_options_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, object] = {}

    class Recorder:
        def __init__(self, *args: object, **kw: object) -> None:
            seen.update(kw, args=args)
            self.return_code = 0

        def run(self) -> int:
            return 0

    monkeypatch.setattr("letter_tui.app.app.LetterTuiApp", Recorder)
    options = LaunchOptions(
        mode="quiz",
        data_dir=str(tmp_path),
        player_name=clean_name("ann"),
        quiz=QuizOptions(rounds=2),
    )
    assert launch.run_app(options) == 0
    assert seen["mode"] == "quiz" and seen["player_name"] == "ann" and seen["remote"] is False
    assert seen["quiz_settings"] == QuizOptions(rounds=2).settings()
    assert seen["args"][2] == tmp_path  # the data root  # type: ignore[index]
    seen.clear()
    assert launch.run_app(LaunchOptions(mode="draw", letter="b", data_dir=str(tmp_path))) == 0
    assert seen["start_letter"] == "B" and seen["quiz_settings"] is None
