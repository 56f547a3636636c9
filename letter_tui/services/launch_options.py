"""What the app is started with: `LaunchOptions`, built once from the command line.

The CLI reads its arguments into a LaunchOptions (`from_args`) and hands it to
`app.launch.run_app`; the SSH server writes a player's command line from one
(`player_argv`), and the player's process reads it back with the same parser
(`add_quiz_arguments`, right below). tests/test_launch_options.py proves the round trip.

A player's name is cleaned once at each place it comes into a program, by
`core.names.clean_name`, which returns a `PlayerName`; the quiz controller, the game's record
and the score store take that type and refuse a plain string (ValueError) instead of
cleaning again:

- a local player: `--name`'s argparse type (`player_name`, below) cleans what was typed, and
  refuses a name with nothing visible in it (a usage error);
- a remote player: the server's session cleans the SSH login name, once, where it arrives
  (a name with nothing visible becomes "player"), logs it and writes it into the player's
  command line with `player_argv`. The player is another program: its argv is text again,
  and `--name`'s type is where that text comes in, so it is cleaned there, once. Cleaning
  is idempotent (tests/test_quiz_names.py): the name the player's app shows and saves is
  exactly the one the server logged.

The session does not hand the login name over raw for the player to clean alone: the server
logs the name before any player runs, and a login name with nothing visible must still
play (as "player"), where a typed `--name` like it is a usage error. tests/test_name_once.py
follows one name from the login, and one from `--name`, to the scores file.

NumPy-free and Textual-free: `letter-tui --help` imports this.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from letter_tui.core.errors import UsageError
from letter_tui.core.names import PlayerName, clean_name
from letter_tui.services import settings

if TYPE_CHECKING:
    import argparse

    from letter_tui.core.alphabet import Alphabet
    from letter_tui.core.quiz import QuizSettings

MODES = ("home", "draw", "train", "quiz", "lesson", "fool")
DEFAULT_ALPHABET = "abc"


@dataclass(frozen=True)
class QuizOptions:
    """The `quiz` command's game settings: core's QuizSettings, without importing NumPy."""

    rounds: int = settings.DEFAULT_ROUNDS
    level: str = settings.DEFAULT_LEVEL
    noise: float | None = None  # a fixed flip probability; then `level` is not used
    time_limit: float | None = None  # seconds per answer; None: no limit
    seed: int | None = None  # None: a random game

    def settings(self) -> QuizSettings:
        from letter_tui.core.quiz import QuizSettings

        return QuizSettings(
            rounds=self.rounds,
            level=self.level,
            noise=self.noise,
            time_limit=self.time_limit,
            seed=self.seed,
        )


@dataclass(frozen=True)
class LaunchOptions:
    """Everything the app starts with, as the command line gave it."""

    mode: str = "home"  # one of MODES
    alphabet: str = DEFAULT_ALPHABET  # a bundled name, your own alphabet's name, or a path
    data_dir: str | None = None  # None: $LETTER_TUI_DATA_DIR or the platform's folder
    letter: str | None = None  # the letter Draw or Fool starts on
    # A remote player (the SSH server's): writes no files, is named by the server.
    remote: bool = False
    # Cleaned where it came in; None: the quiz asks. Not checked here: a remote player's
    # options only become its command line, which the player's parser reads (and cleans)
    # again; the quiz controller refuses a name that skipped the cleaning.
    player_name: PlayerName | None = None
    quiz: QuizOptions = field(default_factory=QuizOptions)
    train_speed: float | None = None  # Train's pace in epochs a second; None: its default

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode is one of {', '.join(MODES)}, not {self.mode!r}")


def from_args(args: argparse.Namespace, mode: str) -> LaunchOptions:
    """The LaunchOptions the parsed command line asks for (defaults for what it omits).

    The one place a Namespace is read: each subcommand has only some of the options."""
    given = vars(args)
    return LaunchOptions(
        mode=mode,
        alphabet=given.get("alphabet") or DEFAULT_ALPHABET,
        data_dir=given.get("data_dir") or None,
        letter=given.get("letter"),
        remote=bool(given.get("remote")),
        player_name=given.get("name"),
        quiz=QuizOptions(
            rounds=given.get("rounds") or settings.DEFAULT_ROUNDS,
            level=given.get("level") or settings.DEFAULT_LEVEL,
            noise=given.get("noise"),
            time_limit=given.get("time_limit"),
            seed=given.get("seed"),
        )
        if mode == "quiz"
        else QuizOptions(),
        train_speed=given.get("speed") if mode == "train" else None,
    )


# --- The command line a player's process is started with, and the parser that reads it -------


def player_name(text: str) -> PlayerName:
    """`--name`'s type: the name cleaned (printable, at most 20 characters), or refused.
    Where a name on the command line comes in, so the one place it is cleaned."""
    name = clean_name(text, fallback="")
    if not name:
        import argparse

        raise argparse.ArgumentTypeError("expected a name with at least one visible character")
    return name


player_name.__name__ = "name"


def add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--alphabet and --data-dir, which every command takes."""
    import argparse  # here: `letter-tui` alone starts without building a parser

    # On subcommands the defaults are suppressed so that values given before the
    # subcommand (letter-tui --data-dir D train) are not overwritten by its defaults.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--alphabet",
        metavar="NAME|FILE",
        default=default,
        help="a bundled alphabet name (abc, az), your own alphabet's name, or a path to a file",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where your alphabets, models and scores live (default: $LETTER_TUI_DATA_DIR "
        "or the platform's user data folder)",
    )


def add_quiz_arguments(quiz: argparse.ArgumentParser) -> None:
    """`letter-tui quiz`'s arguments: what `player_argv` writes, read back."""
    import argparse

    add_common(quiz)
    settings.add_quiz_options(quiz)
    quiz.add_argument(
        "--name",
        type=player_name,
        metavar="NAME",
        help="your name on the leaderboard (without it the game asks, your login name filled in)",
    )
    # For the SSH server: the player's name is fixed by the server, not asked or guessed.
    quiz.add_argument("--remote", action="store_true", help=argparse.SUPPRESS)


def player_argv(options: LaunchOptions) -> list[str]:
    """The command that starts a remote player's quiz with `options`, which the `quiz`
    parser above reads back into the same options. Every value is written as --opt=VALUE,
    so that a name or path starting with '-' is never read as an option."""
    if options.mode != "quiz" or not options.remote or options.player_name is None:
        raise ValueError("a player's process is a remote quiz with a name")
    quiz = options.quiz
    argv = [sys.executable, "-m", "letter_tui", "quiz", "--remote"]
    argv += [f"--name={options.player_name}", f"--alphabet={options.alphabet}"]
    if options.data_dir is not None:
        argv.append(f"--data-dir={options.data_dir}")
    argv.append(f"--rounds={quiz.rounds}")
    # --noise and --level exclude each other: a fixed noise stands for the level.
    argv.append(f"--noise={quiz.noise!r}" if quiz.noise is not None else f"--level={quiz.level}")
    if quiz.time_limit is not None:
        argv.append(f"--time-limit={quiz.time_limit!r}")
    if quiz.seed is not None:
        argv.append(f"--seed={quiz.seed}")
    return argv


# --- What the app starts on ---------------------------------------------------------------


def find_letter(alphabet: Alphabet, letter: str) -> str:
    """`letter` as the alphabet spells it (labels ignore case), or a usage error."""
    for label in alphabet.labels:
        if label == letter or label.casefold() == letter.casefold():
            return label
    raise UsageError(
        f"alphabet '{alphabet.name}' has no letter {letter!r} (it has "
        f"{' '.join(alphabet.labels)}); open Draw and press 'a' to add it"
    )
