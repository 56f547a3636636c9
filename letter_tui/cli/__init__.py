"""The `letter-tui` command line. The headless commands never import Textual.

parser.py    every command's arguments (training and quiz options: services.settings)
commands.py  train, predict, quiz, lesson, serve, and opening the app (LaunchOptions)
scores.py    the leaderboard as text
explain.py   explain and fool
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from letter_tui.core.errors import LetterTuiError

if TYPE_CHECKING:
    from letter_tui.cli.parser import Parser
    from letter_tui.services.launch_options import LaunchOptions

__all__ = ["PROG", "build_parser", "main", "plain_start", "single_threaded_blas"]

PROG = "letter-tui"
# The options `letter-tui` takes before any command (parser.add_common(top=True)), by flag.
_GLOBAL_OPTIONS = {"--alphabet": "alphabet", "--data-dir": "data_dir"}


def build_parser() -> Parser:
    """Every command's parser (imported only when a command line needs it)."""
    from letter_tui.cli.parser import build_parser

    return build_parser()


def single_threaded_blas() -> None:
    """One BLAS thread, unless the user chose otherwise. Read when NumPy loads, so this must
    run before anything imports it.

    letter-tui's matrices are small and skinny: a second BLAS thread gains little even on an
    idle machine, and when the other core is busy (the app drawing while a worker trains, or
    a class training at once on one SSH server) OpenBLAS's spinning threads made training
    five times slower here (benchmarks/train_large.py shows both).
    """
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def plain_start(argv: Sequence[str]) -> LaunchOptions | None:
    """The LaunchOptions of the commonest start, `letter-tui` alone or with only
    `--alphabet NAME` / `--data-dir DIR` (either spelling, `--opt VALUE` or `--opt=VALUE`),
    read without argparse; None for any other command line, which the parser reads.

    Why: importing argparse and every command's module and building the whole parser cost
    Home's first frame about 20 ms. Anything unusual (an abbreviated flag, a value starting
    with '-', `--help`, a command) is left to the parser, so errors and help are its own;
    tests/test_cli_plain_start.py checks that both give the same LaunchOptions.
    """
    given: dict[str, str | None] = {"alphabet": None, "data_dir": None}
    rest = list(argv)
    while rest:
        flag, _, value = rest.pop(0).partition("=")
        dest = _GLOBAL_OPTIONS.get(flag)
        if dest is None:
            return None
        if not _:  # --opt VALUE: a value that looks like an option is the parser's to judge
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        given[dest] = value
    from letter_tui.services.launch_options import from_args

    return from_args(SimpleNamespace(**given), "home")  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    single_threaded_blas()
    argv = sys.argv[1:] if argv is None else argv
    options = plain_start(argv)
    if options is not None:
        from letter_tui.app.launch import run_app

        return _run(run_app, options)
    args = build_parser().parse_args(argv)
    return _run(args.handler, args)


def _run(handler: Callable[[Any], int], args: Any) -> int:
    """`handler(args)`, with a user's error as one line and its exit status, never a
    traceback."""
    try:
        return handler(args)
    except LetterTuiError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # `letter-tui train --headless | head`: the reader left. Point stdout at nothing so
        # the interpreter's final flush does not complain about the closed pipe.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"{PROG}: error:{where}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
