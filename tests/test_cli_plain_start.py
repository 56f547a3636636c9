"""`letter-tui`'s fast path for the commonest start (no command, at most --alphabet and
--data-dir) gives exactly the parser's LaunchOptions, and leaves everything else to it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from letter_tui.app import launch
from letter_tui.cli import build_parser, main, plain_start
from letter_tui.core import paths
from letter_tui.services.launch_options import LaunchOptions, from_args

PARSER = build_parser()


def parsed(argv: list[str]) -> LaunchOptions:
    args = PARSER.parse_args(argv)
    return from_args(args, args.mode)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--alphabet", "az"],
        ["--alphabet=az"],
        ["--data-dir", "D"],
        ["--data-dir=D", "--alphabet", "mine.txt"],
        ["--alphabet", "az", "--alphabet", "abc"],  # the last one given wins, as argparse
        ["--alphabet="],  # empty: the default alphabet
        ["--data-dir="],  # empty: no data dir given
        ["--alphabet=-odd"],
        ["--alphabet", "draw"],  # a value, not the command
        ["--data-dir", "with space/x=y"],
    ],
)
def test_the_plain_start_gives_the_parsers_options(argv: list[str]) -> None:
    assert plain_start(argv) == parsed(argv)


@pytest.mark.parametrize("with_env", [False, True])
def test_no_arguments_give_the_parsers_options_and_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, with_env: bool
) -> None:
    if with_env:
        monkeypatch.setenv("LETTER_TUI_DATA_DIR", str(tmp_path))
    else:
        monkeypatch.delenv("LETTER_TUI_DATA_DIR", raising=False)
    fast, slow = plain_start([]), parsed([])
    assert fast == slow == LaunchOptions()
    assert paths.data_dir(fast.data_dir) == paths.data_dir(slow.data_dir)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["draw"],
        ["--alphabet", "az", "draw"],
        ["--alph", "az"],  # an abbreviation: the parser's rules
        ["--alphabet"],  # no value: the parser's error
        ["--alphabet", "-x"],
        ["--alphabet", "--data-dir", "D"],
        ["--", "--alphabet", "az"],
        ["--data-dir"],
        ["nonsense"],
    ],
)
def test_anything_else_is_left_to_the_parser(argv: list[str]) -> None:
    assert plain_start(argv) is None


@given(st.lists(st.sampled_from(["--alphabet", "--data-dir", "az", "D", "-", "=", "x=y"])))
def test_whenever_the_plain_start_answers_the_parser_agrees(argv: list[str]) -> None:
    fast = plain_start(argv)
    if fast is not None:
        assert fast == parsed(argv)


def test_main_hands_the_app_the_plain_starts_options(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[LaunchOptions] = []
    monkeypatch.setattr(launch, "run_app", lambda options: calls.append(options) or 0)
    assert main(["--alphabet", "az"]) == 0
    assert calls == [LaunchOptions(alphabet="az")]


def test_a_bad_alphabet_is_one_line_and_status_2(tmp_path: Path) -> None:
    # The fast path's errors are the parser path's: one line, no traceback.
    run = subprocess.run(
        [sys.executable, "-m", "letter_tui", "--data-dir", str(tmp_path), "--alphabet", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("letter-tui: error:") and run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
