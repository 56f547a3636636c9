"""The `letter-tui` command line. The headless commands never import Textual.

parser.py    every command's arguments (training and quiz options: services.settings)
commands.py  train, predict, quiz, lesson, serve, and opening the app (LaunchOptions)
scores.py    the leaderboard as text
explain.py   explain and fool
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from letter_tui.cli.parser import PROG, build_parser
from letter_tui.core.errors import LetterTuiError

__all__ = ["PROG", "build_parser", "main", "single_threaded_blas"]


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


def main(argv: Sequence[str] | None = None) -> int:
    single_threaded_blas()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
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
