"""The commands that train, classify, play, teach and serve, and the one that opens the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from letter_tui.core.errors import UsageError
from letter_tui.services.launch_options import from_args
from letter_tui.services.settings import APP_TRAIN_OPTIONS, TRAIN_OPTION, TRAIN_OPTIONS

if TYPE_CHECKING:
    from letter_tui.server.config import ServeOptions


def data_root(args: argparse.Namespace) -> Path:
    from letter_tui.core.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def alphabet_for(args: argparse.Namespace, default: str = "abc"):
    from letter_tui.core import paths
    from letter_tui.core.alphabet import load_bundled, resolve_alphabet

    spec = getattr(args, "alphabet", None) or default
    alphabet, path = resolve_alphabet(spec, data_root(args))
    if spec in paths.bundled_alphabet_names() and alphabet != load_bundled(spec):
        # Otherwise a learner who drew in the app wonders why the numbers left the tutorial's.
        print(
            f"Note: using your edited copy of '{spec}' ({path}), not the bundled one.",
            file=sys.stderr,
        )
    return alphabet


def cmd_app(args: argparse.Namespace, mode: str | None = None) -> int:
    """Open the app: the options are read from `args` once, here."""
    from letter_tui.app.launch import run_app

    return run_app(from_args(args, mode or args.mode))


def cmd_train(args: argparse.Namespace) -> int:
    if not args.headless:
        given = [
            option.flag
            for option in TRAIN_OPTIONS
            if vars(args)[option.dest] is not None and option.name not in APP_TRAIN_OPTIONS
        ]
        if given:
            # The app's form holds the settings; silently ignoring these would mislead.
            raise UsageError(
                f"{given[0]} applies to --headless training; in the app, press e on Train "
                "and set it in the form"
            )
        if args.replace:
            raise UsageError(
                "--replace applies to --headless training; in the app, Train asks "
                "before a stopped run replaces the saved model"
            )
        return cmd_app(args, mode="train")
    import threading
    from dataclasses import replace

    from letter_tui.core import model_io
    from letter_tui.core.evaluate import format_noise_table, noise_curve
    from letter_tui.core.training import (
        TUTORIAL,
        TrainingRun,
        Update,
        accuracy,
        default_settings,
        format_log_line,
        with_overrides,
    )
    from letter_tui.services.workspace import train_and_save

    root = data_root(args)
    alphabet = alphabet_for(args)
    fresh = args.fresh_noise
    if fresh is None and args.noise == 0:
        fresh = False  # no noise to redraw: --noise 0 alone turns the recipe's noise off
    defaults = default_settings(alphabet)
    if args.epochs and args.log_every is None and defaults != TUTORIAL:
        # The recipe logs ten lines whatever its length; the tutorial logs every 1000.
        defaults = replace(defaults, log_every=max(1, args.epochs // 10))
    given = {option.name: vars(args)[option.dest] for option in TRAIN_OPTIONS}
    settings = with_overrides(defaults, **{**given, "fresh_noise": fresh})
    for name, problem in settings.problems().items():
        raise UsageError(f"argument {TRAIN_OPTION[name].flag}: {problem}")
    run = TrainingRun(alphabet, settings)
    out = sys.stdout

    def show(update: Update) -> None:
        for epoch, loss in update.log:
            print(format_log_line(epoch, loss), file=out, flush=True)

    path = model_io.model_path(root, alphabet.name)
    try:
        # The same path as the app's and the server's: train, check the weights, then save
        # (a worse run keeps the saved model unless --replace; the replaced one is kept).
        trained = train_and_save(
            run, path, stop=threading.Event(), on_update=show, replace=args.replace
        )
    except KeyboardInterrupt:
        print(f"\nInterrupted after {run.epochs_done} epochs; no model was saved.", file=sys.stderr)
        return 130
    net = run.network
    n = len(alphabet)
    clean = accuracy(net, alphabet.matrix(), alphabet.targets().argmax(axis=1))
    print(f"Accuracy on the clean letters: {round(clean * n)}/{n} ({clean:.1%})")
    for line in format_noise_table(noise_curve(net, alphabet, seed=settings.seed)):
        print(line)
    saved = trained.saved
    assert saved is not None  # a finished run with a path is always judged
    if not saved.saved:
        # A worse run (a learning rate far too large, too few epochs) must not silently
        # take the place of a good model: not an error, the user chose to try.
        print(
            f"Kept the saved model: it reads {saved.saved_read} of {n} clean letters, this "
            f"run {saved.read} of {n}. --replace saves this run anyway."
        )
        return 0
    if saved.note:
        print(f"Note: {saved.note}", file=sys.stderr)
    kept = f" (the model it replaced is kept as {saved.previous})" if saved.replaced else ""
    print(f"Model saved to {path}{kept}")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from letter_tui.core import model_io
    from letter_tui.core.alphabet import UNKNOWN

    root = data_root(args)
    alphabet = alphabet_for(args)
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


def cmd_quiz(args: argparse.Namespace) -> int:
    if args.remote and not args.name:
        raise UsageError("--remote needs --name NAME (the server names its players)")
    return cmd_app(args, mode="quiz")


def cmd_serve(args: argparse.Namespace) -> int:
    # Imported here: the app and the headless commands never load the server.
    from letter_tui.server.main import run_serve

    return run_serve(serve_options(args))


def serve_options(args: argparse.Namespace) -> ServeOptions:
    """What `serve`'s command line asks for, as the server takes it (it never sees argparse).
    --alphabet and --data-dir may also come before the command, on the top level."""
    from letter_tui.server.config import ServeOptions

    given = vars(args)
    return ServeOptions(
        alphabet=given.get("alphabet") or "abc",
        data_dir=given.get("data_dir"),
        host_key=args.host_key,
        authorized_keys=args.authorized_keys,
        host=args.host,
        port=args.port,
        rounds=args.rounds,
        level=args.level,
        max_sessions=args.max_sessions,
        idle_timeout=float(args.idle_timeout),
        login_timeout=float(args.login_timeout),
        max_session=float(args.max_session),
        max_startups=args.max_startups,
        per_source_max_startups=args.per_source_max_startups,
        per_source_rate=args.per_source_rate,
        start_limit=args.start_limit,
    )


def cmd_lesson(args: argparse.Namespace) -> int:
    if not args.headless:
        if args.epoch is not None:
            raise UsageError(
                "--epoch applies to --headless; in the app, space, c and k run 1, 100 and "
                "1000 epochs"
            )
        return cmd_app(args, mode="lesson")
    from letter_tui.core.lesson import Lesson, headless_text

    lesson = Lesson.for_alphabet(alphabet_for(args))
    try:
        lesson.run(args.epoch or 0)
    except KeyboardInterrupt:
        print(f"\nInterrupted after {lesson.epoch} epochs.", file=sys.stderr)
        return 130
    print(headless_text(lesson))
    return 0
