"""The `letter-tui` commands and their arguments. The training and quiz options come from the
table in letter_tui.services.settings; `quiz`'s are letter_tui.services.launch_options's, which
the SSH server writes a player's command line for."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any

from letter_tui import __version__
from letter_tui.cli import PROG
from letter_tui.cli.commands import (
    cmd_app,
    cmd_lesson,
    cmd_predict,
    cmd_quiz,
    cmd_serve,
    cmd_train,
)
from letter_tui.cli.explain import cmd_explain, cmd_fool
from letter_tui.cli.scores import cmd_scores
from letter_tui.services.launch_options import add_common, add_quiz_arguments
from letter_tui.services.settings import (
    DEFAULT_LEVEL,
    DEFAULT_ROUNDS,
    LEVEL_NAMES,
    ROUNDS,
    add_level_options,
    add_train_options,
    positive_int,
    whole,
)

MAX_LESSON_EPOCHS = 1_000_000


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the option (and the nearest real one),
    and exit status 2. No abbreviations: `--headles` trained silently as `--headless`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    commands: dict[str, Parser] = {}  # noqa: RUF012 (set on the top parser by build_parser)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        args = sys.argv[1:] if args is None else list(args)
        own = flags(self)
        # An unknown option before the command: argparse took its value for the command
        # ("invalid choice: 'abc'" for `--alphabte abc`), never naming the option.
        takes_value = False
        for token in args:
            if takes_value:
                takes_value = False
                continue
            if token in self.commands:
                break
            if token.startswith("-") and token != "-":
                flag, has_value, _ = token.partition("=")
                if flag not in own:
                    owners = [name for name, sub in self.commands.items() if flag in flags(sub)]
                    if owners:
                        self.error(f"{flag} goes after its command: {self.prog} {owners[0]} {flag}")
                    self._unknown(self, flag)
                takes_value = own[flag] and not has_value
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self.commands.get(getattr(parsed, "command", None) or "", self)
            flag = next((e for e in extras if e.startswith("-")), extras[0])
            self._unknown(command, flag.partition("=")[0])
        return parsed

    @staticmethod
    def _unknown(parser: argparse.ArgumentParser, flag: str) -> None:
        if not flag.startswith("-"):
            parser.error(f"unexpected argument {flag!r}")
        near = difflib.get_close_matches(flag, list(flags(parser)), n=1, cutoff=0.75)
        parser.error(f"unknown option {flag}" + (f"; did you mean {near[0]}?" if near else ""))


def flags(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Each option `parser` shows in its usage line, and whether a value follows it (read
    from the usage: argparse's own tables are private)."""
    usage = parser.format_usage()
    found = {
        m.group(1): bool(m.group(2))
        for m in re.finditer(r"(?<![\w-])(--?[A-Za-z][\w-]*)( [A-Z][\w|.-]*)?", usage)
    }
    return {"--help": False, **found}  # the usage shows only -h


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Watch a from-scratch NumPy network learn to read letters, in your terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    train = commands.add_parser(
        "train",
        help="train the network (in the app, or --headless in the terminal)",
        description="Train the network on an alphabet. Defaults: the tutorial's settings for "
        "abc; for az and your own alphabets a recipe that reads noisy letters almost as well "
        "as the ideal observer (softmax, scaled weights, batches of 64, fresh noise 0.1). "
        "Options override them.",
    )
    add_common(train)
    train.add_argument("--headless", action="store_true", help="train in the terminal, no app")
    add_train_options(train)
    train.add_argument(
        "--replace",
        action="store_true",
        default=None,
        help="save this run even if the saved model reads more of the clean letters "
        "(without it, such a run is not saved); the replaced model is always kept as "
        "models/NAME.previous.npz",
    )
    train.set_defaults(handler=cmd_train)

    predict = commands.add_parser(
        "predict",
        help="classify the grids in a file with the saved model",
        description="Classify grids written in the alphabet format (labels may repeat; '?' "
        "means unknown). Prints label, guess and the guess's output, then the accuracy.",
    )
    add_common(predict)
    predict.add_argument("file", metavar="FILE|-", help="a file of grids, or - for standard input")
    predict.set_defaults(handler=cmd_predict)

    draw = commands.add_parser("draw", help="open the app on Draw")
    add_common(draw)
    draw.add_argument("letter", nargs="?", metavar="LETTER", help="the letter to start on")
    draw.set_defaults(handler=cmd_app, mode="draw")

    quiz = commands.add_parser(
        "quiz",
        help="play against the network: guess noisy letters",
        description="Guess noisy letters against the network and the ideal observer. "
        f"Defaults: {DEFAULT_ROUNDS} rounds, level {DEFAULT_LEVEL}, no time limit.",
    )
    add_quiz_arguments(quiz)
    quiz.set_defaults(handler=cmd_quiz)

    scores = commands.add_parser(
        "scores",
        help="print the quiz leaderboard",
        description="Print the top 10 games by accuracy, then speed, for each alphabet and "
        "level (or only those asked for).",
    )
    add_common(scores)
    add_level_options(scores, "only games at")
    scores.set_defaults(handler=cmd_scores)

    add_serve(commands)
    add_lesson(commands)
    add_explain_fool(commands)

    parser.set_defaults(handler=cmd_app, mode="home")
    parser.commands = dict(commands.choices)  # the public `choices` of the action
    return parser


def add_serve(commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the quiz to a class over SSH",
        description="Serve the quiz over SSH: each player connects with 'ssh -p PORT "
        "NAME@HOST' and plays in their own session; NAME goes on the shared leaderboard. "
        "Players get the quiz, its summary, the leaderboard and help: no shell, no files.",
    )
    add_common(serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on (127.0.0.1: this machine only; 0.0.0.0: the network)",
    )
    serve.add_argument(
        "--port",
        type=whole(0, 65535, "a port from 0 to 65535"),
        default=2222,
        metavar="N",
        help="port to listen on (2222)",
    )
    serve.add_argument(
        "--rounds",
        type=ROUNDS,
        default=DEFAULT_ROUNDS,
        metavar="N",
        help=f"rounds per game ({DEFAULT_ROUNDS})",
    )
    serve.add_argument(
        "--level",
        choices=LEVEL_NAMES,
        default=DEFAULT_LEVEL,
        help=f"noise level ({DEFAULT_LEVEL})",
    )
    serve.add_argument(
        "--max-sessions",
        type=positive_int(10_000),
        default=50,
        metavar="N",
        help="players at once (50); more are told the server is full",
    )
    serve.add_argument(
        "--idle-timeout",
        type=whole(0, 86_400, "seconds from 0 to 86400"),
        default=600,
        metavar="S",
        help="end a session after S seconds without a key (600; 0: never)",
    )
    serve.add_argument(
        "--login-timeout",
        type=whole(1, 3600, "seconds from 1 to 3600"),
        default=30,
        metavar="S",
        help="close a connection that has not started a game S seconds after connecting (30)",
    )
    serve.add_argument(
        "--max-session",
        type=whole(0, 7 * 86_400, "seconds from 0 to 604800"),
        default=3600,
        metavar="S",
        help="end a game after S seconds, saying so (3600; 0: no limit)",
    )
    serve.add_argument(
        "--max-startups",
        type=_startups,
        default=(60, 30, 120),
        metavar="START:RATE:FULL",
        help="connections not yet playing, as sshd's MaxStartups: from START on, RATE %% of "
        "new ones are refused at random, all of them at FULL (60:30:120)",
    )
    serve.add_argument(
        "--per-source-max-startups",
        type=positive_int(10_000),
        default=50,
        metavar="N",
        help="connections not yet playing from one address; more are refused (50)",
    )
    serve.add_argument(
        "--per-source-rate",
        type=_burst_rate,
        default=(60, 120),
        metavar="BURST:PER_MINUTE",
        help="new connections from one address: BURST at once, then PER_MINUTE (60:120)",
    )
    serve.add_argument(
        "--start-limit",
        type=whole(0, 1000, "a number from 0 to 1000"),
        default=0,
        metavar="N",
        help="players starting at once (0: one per core); more wait their turn in order, "
        "so a class connecting together gets its first screens sooner (0)",
    )
    serve.add_argument(
        "--host-key",
        metavar="FILE",
        help="the server's ed25519 key, created with mode 0600 if missing "
        "(default: DATA_DIR/ssh_host_ed25519_key)",
    )
    serve.add_argument(
        "--authorized-keys",
        metavar="FILE",
        help="admit only these public keys (default: anyone may play)",
    )
    serve.set_defaults(handler=cmd_serve)


def _startups(text: str) -> tuple[int, int, int]:
    """START:RATE:FULL, as sshd's MaxStartups (a lone N means N:100:N, refuse past N)."""
    what = "START:RATE:FULL with 1 <= START <= FULL <= 100000 and RATE from 0 to 100"
    parts = text.split(":")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if len(values) == 1:
        values = [values[0], 100, values[0]]
    if len(values) != 3:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    start, rate, full = values
    if not (1 <= start <= full <= 100_000 and 0 <= rate <= 100):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return start, rate, full


_startups.__name__ = "START:RATE:FULL"


def _burst_rate(text: str) -> tuple[int, int]:
    what = "BURST:PER_MINUTE, two whole numbers from 1 to 100000"
    try:
        burst, rate = (int(p) for p in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not (1 <= burst <= 100_000 and 1 <= rate <= 100_000):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return burst, rate


_burst_rate.__name__ = "BURST:PER_MINUTE"


def add_lesson(commands) -> None:
    lesson = commands.add_parser(
        "lesson",
        help="walk the tutorial's seven steps on a live network",
        description="The tutorial's seven steps, each with its code and the values it gives "
        "on the network now. In the app: Right/Left between steps, space runs one epoch. "
        "With --headless, print the steps as text.",
    )
    add_common(lesson)
    lesson.add_argument("--headless", action="store_true", help="print the steps, no app")
    lesson.add_argument(
        "--epoch",
        type=whole(0, MAX_LESSON_EPOCHS),
        metavar="N",
        help="with --headless: show the network after N epochs of training (0)",
    )
    lesson.set_defaults(handler=cmd_lesson)


def add_explain_fool(commands) -> None:
    explain = commands.add_parser(
        "explain",
        help="show which pixels pushed the saved model to its guess",
        description="For each grid in FILE (the alphabet format; labels may repeat, '?' "
        "means unknown): a line 'label TAB guess TAB output of the guess', then one line per "
        "pixel row giving each pixel's effect: how much the guess's output would change if "
        "that pixel alone were flipped.",
    )
    add_common(explain)
    explain.add_argument(
        "--numbers",
        action="store_true",
        help="print the effects as tab-separated numbers instead of a map",
    )
    explain.add_argument("file", metavar="FILE|-", help="a file of grids, or - for standard input")
    explain.set_defaults(handler=cmd_explain)

    fool = commands.add_parser(
        "fool",
        help="flip pixels until the network misreads a letter",
        description="Opens the app's Fool screen on LETTER. With --headless (or when the "
        "output is not a terminal), prints the "
        "fewest flips found that make the saved model read another letter, and what the "
        "ideal observer (the nearest letter by Hamming distance) makes of them.",
    )
    add_common(fool)
    fool.add_argument("--headless", action="store_true", help="print the answer, no app")
    fool.add_argument("letter", nargs="?", metavar="LETTER", help="the letter to start from")
    fool.set_defaults(handler=cmd_fool)


# A confident softmax guess moves by 1e-4 where an unsure one moves by 0.5: the map's
# strengths are fractions of the grid's own largest effect, so every map shows its pattern
