"""The `letter-tui` command line. The headless commands never import Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from letter_tui import __version__
from letter_tui.core.errors import LetterTuiError, UsageError
from letter_tui.core.scores import LEVEL_ORDER

# The choices only: importing letter_tui.core.network would import NumPy before it is needed.
OUTPUTS = ("sigmoid", "softmax")
INITS = ("tutorial", "scaled")
# The defaults for abc (the tutorial's) and az (the recipe), as --help shows them; a test
# checks them against training.default_settings, which this module must not import.
DEFAULTS = {
    "hidden": " (abc: 5, az: 64)",
    "learning_rate": " (abc: 0.1, az: 0.5)",
    "epochs": " (abc: 10000, az: 300)",
    "seed": " (42)",
    "noise": " (abc: 0, az: 0.1)",
    "copies": " (abc: 20, az: 50)",
    "fresh_noise": " (abc: off, az: on)",
    "batch_size": " (abc: 0, az: 64)",
    "output": " (abc: sigmoid, az: softmax)",
    "init": " (abc: tutorial, az: scaled)",
    "log_every": " (abc: 1000, az: 30)",
}

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
# training.MIN_SPEED and MAX_SPEED (a test checks); 0 (max) is the default, not an option.
SPEED = _number(float, 0.1, 1e6, "a number of epochs a second from 0.1 to 1000000")
# letter_tui.core.quiz's MIN/MAX_TIME_LIMIT_S and MAX_ROUNDS (a test checks): kept here so
# that parsing options needs no NumPy.
TIME_LIMIT = _number(float, 0.5, 3600.0, "a number of seconds from 0.5 to 3600")
QUIZ_MAX_ROUNDS = 1000


def player_name(text: str) -> str:
    from letter_tui.core.quiz import clean_name

    name = clean_name(text, fallback="")
    if not name:
        raise argparse.ArgumentTypeError("expected a name with at least one visible character")
    return name


player_name.__name__ = "name"


def add_level_options(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--noise",
        type=PROBABILITY,
        metavar="P",
        help=f"{what} a fixed flip probability P from 0 to 0.5",
    )
    group.add_argument(
        "--level",
        choices=LEVEL_ORDER,
        metavar="|".join(LEVEL_ORDER),
        help=f"{what} a level: easy (p=0.10), medium (0.20), hard (0.30) or adaptive "
        "(a staircase that finds your own threshold)",
    )


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
        description="Train the network on an alphabet. Defaults: the tutorial's settings for "
        "abc; for az and your own alphabets a recipe that reads noisy letters almost as well "
        "as the ideal observer (softmax, scaled weights, batches of 64, fresh noise 0.1). "
        "Options override them.",
    )
    add_common(train)
    train.add_argument("--headless", action="store_true", help="train in the terminal, no app")
    train.add_argument(
        "--hidden", type=positive_int(1024), metavar="N", help="hidden units" + DEFAULTS["hidden"]
    )
    train.add_argument(
        "--lr", type=LEARNING_RATE, metavar="F", help="learning rate" + DEFAULTS["learning_rate"]
    )
    train.add_argument(
        "--epochs", type=positive_int(), metavar="N", help="epochs" + DEFAULTS["epochs"]
    )
    train.add_argument("--seed", type=SEED, metavar="N", help="random seed" + DEFAULTS["seed"])
    train.add_argument(
        "--noise",
        type=PROBABILITY,
        metavar="P",
        help="also train on noisy copies of each letter, pixels flipped with probability P"
        + DEFAULTS["noise"],
    )
    train.add_argument(
        "--copies",
        type=positive_int(10_000),
        metavar="N",
        help="noisy copies of each letter" + DEFAULTS["copies"],
    )
    train.add_argument(
        "--fresh-noise",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw new noisy copies every epoch (--no-fresh-noise: once, before training)"
        + DEFAULTS["fresh_noise"],
    )
    train.add_argument(
        "--batch-size",
        type=_number(int, 0, 100_000, "a whole number from 0 (full batch) to 100000"),
        metavar="N",
        help="update after every N letters, reshuffled each epoch; 0 is the full batch"
        + DEFAULTS["batch_size"],
    )
    train.add_argument(
        "--output",
        choices=OUTPUTS,
        help="sigmoid, or softmax outputs trained with cross-entropy" + DEFAULTS["output"],
    )
    train.add_argument(
        "--init",
        choices=INITS,
        help="initial weights: tutorial (x 0.01) or scaled (/ sqrt of the layer's inputs)"
        + DEFAULTS["init"],
    )
    train.add_argument(
        "--log-every",
        type=positive_int(),
        metavar="N",
        help="log every N epochs" + DEFAULTS["log_every"],
    )
    train.add_argument(
        "--speed",
        type=SPEED,
        metavar="N",
        help="train at most N epochs a second, to watch the network learn (in the app: + and "
        "- change it); with --headless the log lines come at that pace (default: as fast as "
        "it goes)",
    )
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
        "Defaults: 10 rounds, level medium, no time limit.",
    )
    add_common(quiz)
    quiz.add_argument(
        "--rounds", type=positive_int(QUIZ_MAX_ROUNDS), metavar="N", help="rounds to play (10)"
    )
    add_level_options(quiz, "play at")
    quiz.add_argument(
        "--time-limit",
        type=TIME_LIMIT,
        metavar="S",
        help="seconds per answer; running out counts as wrong (no limit)",
    )
    quiz.add_argument(
        "--seed", type=SEED, metavar="N", help="replay the same letters and noise (random)"
    )
    quiz.add_argument(
        "--name",
        type=player_name,
        metavar="NAME",
        help="your name on the leaderboard (without it the game asks, your login name filled in)",
    )
    # For the SSH server: the player's name is fixed by the server, not asked or guessed.
    quiz.add_argument("--remote", action="store_true", help=argparse.SUPPRESS)
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
        "--login-timeout",
        type=_number(int, 1, 3600, "seconds from 1 to 3600"),
        default=30,
        metavar="S",
        help="close a connection that has not started a game S seconds after connecting (30)",
    )
    serve.add_argument(
        "--max-session",
        type=_number(int, 0, 7 * 86_400, "seconds from 0 to 604800"),
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


def _data_root(args: argparse.Namespace) -> Path:
    from letter_tui.core.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def _alphabet(args: argparse.Namespace, default: str = "abc"):
    from letter_tui.core import paths
    from letter_tui.core.alphabet import load_bundled, resolve_alphabet

    spec = getattr(args, "alphabet", None) or default
    alphabet, path = resolve_alphabet(spec, _data_root(args))
    if spec in paths.bundled_alphabet_names() and alphabet != load_bundled(spec):
        # Otherwise a learner who drew in the app wonders why the numbers left the tutorial's.
        print(
            f"Note: using your edited copy of '{spec}' ({path}), not the bundled one.",
            file=sys.stderr,
        )
    return alphabet


TRAIN_OPTIONS = (
    ("hidden", "--hidden"),
    ("lr", "--lr"),
    ("epochs", "--epochs"),
    ("seed", "--seed"),
    ("noise", "--noise"),
    ("copies", "--copies"),
    ("fresh_noise", "--fresh-noise"),
    ("batch_size", "--batch-size"),
    ("output", "--output"),
    ("init", "--init"),
    ("log_every", "--log-every"),
    ("speed", "--speed"),
    ("replace", "--replace"),
)
APP_TRAIN_OPTIONS = ("--speed",)  # the app's form starts with these too


def cmd_train(args: argparse.Namespace) -> int:
    if not args.headless:
        given = [
            opt
            for name, opt in TRAIN_OPTIONS
            if getattr(args, name, None) is not None and opt not in APP_TRAIN_OPTIONS
        ]
        if given:
            # The app's form holds the settings; silently ignoring these would mislead.
            if given[0] == "--replace":
                raise UsageError(
                    "--replace applies to --headless training; in the app, Train asks "
                    "before a stopped run replaces the saved model"
                )
            raise UsageError(
                f"{given[0]} applies to --headless training; in the app, press e on Train "
                "and set it in the form"
            )
        return cmd_app(args, mode="train")
    import threading
    from dataclasses import replace

    from letter_tui.core import model_io
    from letter_tui.core.evaluate import format_noise_table, noise_curve
    from letter_tui.core.training import (
        FIELD_BY_NAME,
        TUTORIAL,
        TrainingRun,
        accuracy,
        default_settings,
        format_log_line,
        with_overrides,
    )

    root = _data_root(args)
    alphabet = _alphabet(args)
    fresh = args.fresh_noise
    if fresh is None and args.noise == 0:
        fresh = False  # no noise to redraw: --noise 0 alone turns the recipe's noise off
    defaults = default_settings(alphabet)
    if args.epochs and args.log_every is None and defaults != TUTORIAL:
        # The recipe logs ten lines whatever its length; the tutorial logs every 1000.
        defaults = replace(defaults, log_every=max(1, args.epochs // 10))
    settings = with_overrides(
        defaults,
        hidden=args.hidden,
        learning_rate=args.lr,
        epochs=args.epochs,
        seed=args.seed,
        noise=args.noise,
        copies=args.copies,
        fresh_noise=fresh,
        batch_size=args.batch_size,
        output=args.output,
        init=args.init,
        log_every=args.log_every,
        speed=args.speed,
    )
    for name, problem in settings.problems().items():
        raise UsageError(f"argument {FIELD_BY_NAME[name].option}: {problem}")
    run = TrainingRun(alphabet, settings)
    out = sys.stdout
    try:
        if settings.speed:
            # Paced: the same log lines, each printed as the run gets to it.
            for update in run.updates(stop=threading.Event()):
                for epoch, loss in update.log:
                    print(format_log_line(epoch, loss), file=out, flush=True)
        else:
            for progress in run.run():
                print(format_log_line(progress.epoch, progress.loss), file=out, flush=True)
    except KeyboardInterrupt:
        print(f"\nInterrupted after {run.epochs_done} epochs; no model was saved.", file=sys.stderr)
        return 130
    net = run.network
    n = len(alphabet)
    clean = accuracy(net, alphabet.matrix(), alphabet.targets().argmax(axis=1))
    print(f"Accuracy on the clean letters: {round(clean * n)}/{n} ({clean:.1%})")
    for line in format_noise_table(noise_curve(net, alphabet, seed=settings.seed)):
        print(line)
    path = model_io.model_path(root, alphabet.name)
    model = run.model()
    read = model_io.clean_letters_read(model.network, alphabet)
    saved = model_io.saved_clean_letters_read(path, alphabet)
    if saved is not None and read < saved and not args.replace:
        # A worse run (a learning rate far too large, too few epochs) must not silently
        # take the place of a good model: not an error, the user chose to try.
        print(
            f"Kept the saved model: it reads {saved} of {n} clean letters, this run {read} "
            f"of {n}. --replace saves this run anyway."
        )
        return 0
    replacing = path.exists()
    note = model_io.save_model(model, path)
    if note:
        print(f"Note: {note}", file=sys.stderr)
    previous = model_io.previous_path(path)
    kept = f" (the model it replaced is kept as {previous})" if replacing and not note else ""
    print(f"Model saved to {path}{kept}")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from letter_tui.core import model_io
    from letter_tui.core.alphabet import UNKNOWN

    root = _data_root(args)
    alphabet = _alphabet(args)
    model = model_io.load_for(root, alphabet)
    grids = read_grids(args.file, alphabet)
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


def read_grids(file: str, alphabet) -> list:
    """The grids in `file` (or standard input for "-"), in the alphabet format with labels
    that may repeat and '?' for unknown, checked to be the alphabet's size."""
    from letter_tui.core.alphabet import decode, parse_grids, read_text_file

    if file == "-":
        where = "<stdin>"
        text = decode(sys.stdin.buffer.read(), where)
    else:
        where = file
        text = read_text_file(Path(file))
    rows, cols, grids = parse_grids(text, path=where, repeats=True, unknown=True)
    if (rows, cols) != (alphabet.rows, alphabet.cols):
        raise UsageError(
            f"{where}: grids are {rows}x{cols} but alphabet '{alphabet.name}' is "
            f"{alphabet.rows}x{alphabet.cols}; draw them in the alphabet's size"
        )
    return grids


def quiz_settings(args: argparse.Namespace):
    """The QuizSettings the `quiz` options ask for (defaults for the ones not given)."""
    from letter_tui.core.quiz import DEFAULT_LEVEL, DEFAULT_ROUNDS, QuizSettings

    return QuizSettings(
        rounds=getattr(args, "rounds", None) or DEFAULT_ROUNDS,
        level=getattr(args, "level", None) or DEFAULT_LEVEL,
        noise=getattr(args, "noise", None),
        time_limit=getattr(args, "time_limit", None),
        seed=getattr(args, "seed", None),
    )


def cmd_quiz(args: argparse.Namespace) -> int:
    if args.remote and not args.name:
        raise UsageError("--remote needs --name NAME (the server names its players)")
    return cmd_app(args, mode="quiz")


def _fit(text: str, width: int) -> str:
    """`text` made terminal-safe, cut and padded to exactly `width` cells."""
    from letter_tui.core.scores import display_width, safe_text

    text = safe_text(text)
    if display_width(text) > width:
        while display_width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - display_width(text))


BOARD_HEADER = f"  #  {'Name':<20}  Score  Acc.  Avg time  Network  Noise  Played (UTC)"


def format_board(entries: Sequence, games: int) -> list[str]:
    """A leaderboard as lines of at most 80 columns; every stored text is made safe."""
    lines = [BOARD_HEADER]
    for e in entries:
        seconds = e.mean_answer_ms / 1000
        speed = "-" if seconds != seconds else f"{seconds:.1f} s"
        lines.append(
            f"{e.rank:>3}  {_fit(e.name, 20)}  {e.user_correct:>2}/{e.rounds:<2} "
            f"{e.accuracy:>5.0%}  {speed:>8}  {e.network_correct:>3}/{e.rounds:<3} "
            f"{e.mean_noise:>6.2f}  {_fit(e.played_at[:10], 10)}"
        )
    if games > len(entries):
        lines.append(f"     ... and {games - len(entries)} more")
    return lines


def cmd_scores(args: argparse.Namespace) -> int:
    from letter_tui.core.alphabet import is_path_like
    from letter_tui.core.paths import scores_path
    from letter_tui.core.quiz import level_label
    from letter_tui.core.scores import ScoreStore, safe_text

    path = scores_path(_data_root(args))
    where = safe_text(str(path))
    store = ScoreStore(path)
    if not store.exists():
        print(f"No scores yet: {where} does not exist. Play a game with 'letter-tui quiz'.")
        return 0
    spec = getattr(args, "alphabet", None)
    # Scores are kept by the alphabet's name: a path needs no file to find its games.
    alphabet = (Path(spec).stem if is_path_like(spec) else spec) if spec else None
    level = (
        level_label(args.level or "", args.noise)
        if (args.level or args.noise is not None)
        else None
    )
    boards = [
        (a, lv, n)
        for a, lv, n in store.boards()
        if (alphabet is None or a == alphabet) and (level is None or lv == level)
    ]
    if not boards:
        asked = " ".join(
            part
            for part in (
                f"of alphabet '{safe_text(alphabet)}'" if alphabet else "",
                f"at level '{level}'" if level else "",
            )
            if part
        )
        print(
            f"No games {asked + ' ' if asked else ''}in {where} yet. Play with 'letter-tui quiz'."
        )
        return 0
    for i, (name, lv, games) in enumerate(boards):
        if i:
            print()
        plural = "game" if games == 1 else "games"
        print(f"Alphabet {safe_text(name)}, level {safe_text(lv)}: {games} {plural}")
        for line in format_board(store.leaderboard(name, lv), games):
            print(line)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Imported here: the app and the headless commands never load the server.
    from letter_tui.server.main import run_serve

    return run_serve(args)


# --- lesson: the tutorial's seven steps on a live network ---------------------------------

MAX_LESSON_EPOCHS = 1_000_000


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
        type=_number(int, 0, MAX_LESSON_EPOCHS, f"a whole number from 0 to {MAX_LESSON_EPOCHS}"),
        metavar="N",
        help="with --headless: show the network after N epochs of training (0)",
    )
    lesson.set_defaults(handler=cmd_lesson)


def cmd_lesson(args: argparse.Namespace) -> int:
    if not args.headless:
        if args.epoch is not None:
            raise UsageError(
                "--epoch applies to --headless; in the app, space, c and k run 1, 100 and "
                "1000 epochs"
            )
        return cmd_app(args, mode="lesson")
    from letter_tui.core.lesson import Lesson, headless_text

    lesson = Lesson.for_alphabet(_alphabet(args))
    try:
        lesson.run(args.epoch or 0)
    except KeyboardInterrupt:
        print(f"\nInterrupted after {lesson.epoch} epochs.", file=sys.stderr)
        return 130
    print(headless_text(lesson))
    return 0


# --- explain and fool: why the network reads a grid so, and how few flips change it ------


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
# (--numbers gives the sizes).
EFFECT_STEPS = (0.1, 1 / 3, 2 / 3)
EFFECT_LEGEND = (
    "; each pixel: how the guess's output changes if that pixel alone is flipped, against "
    "the grid's largest change: + / ++ / +++ up by 1/10 / 1/3 / 2/3 of it or more, "
    "- / -- / --- down as much, . less (the sizes: --numbers)"
)


def effect_cells(effects: Sequence[float]) -> list[str]:
    """The map's cells for one grid: sign by the character, strength by how many, 3 wide."""
    largest = max((abs(e) for e in effects), default=0.0)
    cells = []
    for effect in effects:
        strength = sum(abs(effect) >= step * largest for step in EFFECT_STEPS) if largest else 0
        sign = "+" if effect > 0 else "-"
        cells.append(sign * strength + " " * (3 - strength) if strength else ".  ")
    return cells


def cmd_explain(args: argparse.Namespace) -> int:
    from letter_tui.core import model_io
    from letter_tui.core.effects import explain

    root = _data_root(args)
    alphabet = _alphabet(args)
    model = model_io.load_for(root, alphabet)
    grids = read_grids(args.file, alphabet)
    if not args.numbers:
        print(EFFECT_LEGEND)
    for grid in grids:
        why = explain(model.network, grid.bitmap)
        print(f"{grid.label}\t{alphabet.labels[why.guess]}\t{why.output:.6f}")
        cells = effect_cells(why.effects)
        for r in range(alphabet.rows):
            row = slice(r * alphabet.cols, (r + 1) * alphabet.cols)
            if args.numbers:
                print("\t".join(f"{e:.6f}" for e in why.effects[row]))
            else:
                print(" ".join(cells[row]).rstrip())
    return 0


def cmd_fool(args: argparse.Namespace) -> int:
    from letter_tui.app.launch import find_letter  # a plain function: no Textual

    # `letter-tui fool A | ...` and scripts get the text: the app needs a terminal to draw on.
    if not args.headless and args.letter and not sys.stdout.isatty():
        args.headless = True
    if not args.headless:
        if args.letter:
            find_letter(_alphabet(args), args.letter)
        return cmd_app(args, mode="fool")
    if not args.letter:
        raise UsageError("fool --headless needs a LETTER, e.g. letter-tui fool --headless A")
    from letter_tui.core import model_io
    from letter_tui.core.effects import flipped_grid, ideal_minimum, ideal_reading, minimum_flips

    root = _data_root(args)
    alphabet = _alphabet(args)
    index = alphabet.index(find_letter(alphabet, args.letter))
    model = model_io.load_for(root, alphabet)
    bitmap = alphabet.bitmaps[index]
    result = minimum_flips(model.network, bitmap, index, alphabet)
    cols = alphabet.cols
    ideal = ideal_reading(flipped_grid(bitmap, result.pixels), alphabet)
    names = [alphabet.labels[i] for i in ideal]
    print(f"flips: {result.flips}")
    print("pixels: " + " ".join(f"{p // cols + 1},{p % cols + 1}" for p in result.pixels))
    print(f"network reads: {alphabet.labels[result.reads]}")
    print(
        "ideal observer reads: "
        + (names[0] if len(names) == 1 else " or ".join(names) + " (a tie)")
    )
    print(f"ideal observer needs: {ideal_minimum(alphabet, index)}")
    if not result.found:
        print("proven: no (no flips found that change the network's reading)")
    elif result.proven:
        print(f"proven: yes (every set of up to {result.flips} flips was tried)")
    else:
        print(
            f"proven: no (every set of up to {result.searched_up_to} flips was tried; "
            f"these {result.flips} were found by a search)"
        )
    return 0


def cmd_app(args: argparse.Namespace, mode: str | None = None) -> int:
    from letter_tui.app.launch import run_app

    return run_app(args, mode or args.mode)


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
