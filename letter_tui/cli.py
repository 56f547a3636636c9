"""The `letter-tui` command line. The headless commands never import Textual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from letter_tui import __version__
from letter_tui.core.errors import LetterTuiError, UsageError

PROG = "letter-tui"


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the option, and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _number(kind: Callable[[str], float], low: float, high: float, what: str):
    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not (low <= value <= high) or value != value:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    convert.__name__ = what
    return convert


def positive_int(high: int = 10_000_000) -> Callable[[str], float]:
    return _number(int, 1, high, f"a whole number from 1 to {high}")


SEED = _number(int, 0, 2**32 - 1, "a whole number from 0 to 4294967295")
PROBABILITY = _number(float, 0.0, 0.5, "a flip probability from 0 to 0.5")
LEARNING_RATE = _number(float, 1e-12, 1e6, "a positive number")


def add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
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
        description="Train the network on an alphabet. Defaults are the tutorial's.",
    )
    add_common(train)
    train.add_argument("--headless", action="store_true", help="train in the terminal, no app")
    train.add_argument("--hidden", type=positive_int(1024), metavar="N", help="hidden units (5)")
    train.add_argument("--lr", type=LEARNING_RATE, metavar="F", help="learning rate (0.1)")
    train.add_argument("--epochs", type=positive_int(), metavar="N", help="epochs (10000)")
    train.add_argument("--seed", type=SEED, metavar="N", help="random seed (42)")
    train.add_argument(
        "--noise",
        type=PROBABILITY,
        metavar="P",
        help="also train on noisy copies of each letter, pixels flipped with probability P (0)",
    )
    train.add_argument(
        "--log-every", type=positive_int(), metavar="N", help="log every N epochs (1000)"
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

    add_serve(commands)

    parser.set_defaults(handler=cmd_app, mode="home")
    return parser


LEVELS = ("easy", "medium", "hard", "adaptive")


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
        type=_number(int, 0, 65535, "a port from 0 to 65535"),
        default=2222,
        metavar="N",
        help="port to listen on (2222)",
    )
    serve.add_argument(
        "--rounds", type=positive_int(1000), default=10, metavar="N", help="rounds per game (10)"
    )
    serve.add_argument("--level", choices=LEVELS, default="medium", help="noise level (medium)")
    serve.add_argument(
        "--max-sessions",
        type=positive_int(10_000),
        default=50,
        metavar="N",
        help="players at once (50); more are told the server is full",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_number(int, 0, 86_400, "seconds from 0 to 86400"),
        default=600,
        metavar="S",
        help="end a session after S seconds without a key (600; 0: never)",
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


def _data_root(args: argparse.Namespace) -> Path:
    from letter_tui.core.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def _alphabet(args: argparse.Namespace, default: str = "abc"):
    from letter_tui.core.alphabet import resolve_alphabet

    spec = getattr(args, "alphabet", None) or default
    alphabet, _path = resolve_alphabet(spec, _data_root(args))
    return alphabet


def cmd_train(args: argparse.Namespace) -> int:
    if not args.headless:
        return cmd_app(args, mode="train")
    from letter_tui.core import model_io
    from letter_tui.core.training import (
        TrainingRun,
        accuracy,
        default_settings,
        format_log_line,
        noisy_accuracy,
        with_overrides,
    )

    root = _data_root(args)
    alphabet = _alphabet(args)
    settings = with_overrides(
        default_settings(alphabet),
        hidden=args.hidden,
        learning_rate=args.lr,
        epochs=args.epochs,
        seed=args.seed,
        noise=args.noise,
        log_every=args.log_every,
    )
    run = TrainingRun(alphabet, settings)
    out = sys.stdout
    try:
        for progress in run.run():
            if progress.epoch % settings.log_every == 0:
                print(format_log_line(progress.epoch, progress.loss), file=out, flush=True)
    except KeyboardInterrupt:
        print(f"\nInterrupted after {run.epochs_done} epochs; no model was saved.", file=sys.stderr)
        return 130
    net = run.network
    n = len(alphabet)
    clean = accuracy(net, alphabet.matrix(), alphabet.targets().argmax(axis=1))
    print(f"Accuracy on the clean letters: {round(clean * n)}/{n} ({clean:.1%})")
    p = settings.noise if settings.noise > 0 else 0.1
    per_letter = 1000
    noisy = noisy_accuracy(net, alphabet, p, per_letter, seed=settings.seed + 1)
    print(
        f"Accuracy on noisy copies (each pixel flipped with probability {p:g}, "
        f"{per_letter} per letter): {noisy:.1%}"
    )
    path = model_io.model_path(root, alphabet.name)
    note = model_io.save_model(run.model(), path)
    if note:
        print(f"Note: {note}", file=sys.stderr)
    print(f"Model saved to {path}")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from letter_tui.core import model_io
    from letter_tui.core.alphabet import UNKNOWN, decode, parse_grids, read_text_file

    root = _data_root(args)
    alphabet = _alphabet(args)
    model = model_io.load_for(root, alphabet)
    if args.file == "-":
        where = "<stdin>"
        text = decode(sys.stdin.buffer.read(), where)
    else:
        where = args.file
        text = read_text_file(Path(args.file))
    rows, cols, grids = parse_grids(text, path=where, repeats=True, unknown=True)
    if (rows, cols) != (alphabet.rows, alphabet.cols):
        raise UsageError(
            f"{where}: grids are {rows}x{cols} but alphabet '{alphabet.name}' is "
            f"{alphabet.rows}x{alphabet.cols}; draw them in the alphabet's size"
        )
    import numpy as np

    X = np.array([g.bitmap for g in grids], dtype=np.float64)
    outputs = model.network.predict_proba(X)
    right = known = 0
    for grid, row in zip(grids, outputs, strict=True):
        best = int(np.argmax(row))
        guess = alphabet.labels[best]
        print(f"{grid.label}\t{guess}\t{row[best]:.6f}")
        if grid.label != UNKNOWN:
            known += 1
            right += grid.label == guess
    if known:
        print(f"accuracy: {right}/{known}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Imported here: the app and the headless commands never load the server.
    from letter_tui.server.main import run_serve

    return run_serve(args)


def cmd_app(args: argparse.Namespace, mode: str | None = None) -> int:
    from letter_tui.app.launch import run_app

    return run_app(args, mode or args.mode)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except LetterTuiError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"{PROG}: error:{where}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
