"""Run the remote quiz once, headless, in the fork server before it forks any player.

A forked player inherits what this leaves behind: modules Textual imports only when an
app starts, and the caches Textual and Rich fill while they parse the app's CSS and draw
its first frame (selectors, colours, styles, cell widths). Each player then spends less
CPU on its own first frame, and those objects sit in pages the players share.

It also leaves the app's parsed stylesheet (`App.stylesheet`, every CSS source the quiz's
first frame uses) in `LetterTuiApp.shared_stylesheet`, where each forked player's app
picks it up instead of parsing the same CSS again.

Only public API: the command line's own parser, the app's constructor as
`letter_tui.app.launch.build_app` makes it, `App.run(headless=True, auto_pilot=...)` and
`App.stylesheet`.
Nothing is written: a remote quiz saves a score only when a game ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Sequence

WARM_UP_NAME = "warm-up"


def is_quiz(argv: Sequence[str]) -> bool:
    """Whether `argv` is the server's player command: `python -m letter_tui quiz --remote ...`."""
    return list(argv[1:4]) == ["-m", "letter_tui", "quiz"] and "--remote" in argv


def warm_up(argv: Sequence[str], size: tuple[int, int] = (80, 24)) -> None:
    """Run the quiz `argv` would start, headless at `size`, until its first frame is drawn.

    Raises whatever the app raises: the caller decides that a failed warm-up only costs
    speed."""
    import argparse
    from dataclasses import replace

    from letter_tui.app.app import LetterTuiApp
    from letter_tui.app.launch import build_app
    from letter_tui.core.names import clean_name
    from letter_tui.services.launch_options import add_quiz_arguments, from_args

    # argv is [python, -m, letter_tui, quiz, ...]: read back by the parser that wrote it.
    parser = argparse.ArgumentParser(prog="letter-tui quiz", exit_on_error=False)
    add_quiz_arguments(parser)
    options = replace(
        from_args(parser.parse_args(list(argv[4:])), "quiz"),
        player_name=clean_name(WARM_UP_NAME),
    )

    async def first_frame_then_exit(pilot) -> None:
        await pilot.pause()
        pilot.app.exit()

    # The app's constructor touches asyncio outside a running loop, as it does in a player.
    app = build_app(options)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            app.run(headless=True, size=size, auto_pilot=first_frame_then_exit)
    finally:
        # asyncio.run left "no current loop" behind; a player's app, built before its loop
        # runs, needs the default policy's lazily created one, as in a fresh interpreter.
        asyncio.set_event_loop_policy(None)
    if app.return_code:  # the app failed (its error went to the discarded stderr)
        raise RuntimeError(f"the quiz exited with status {app.return_code}")
    # Every CSS source the quiz's first frame needs, parsed: the players start from it.
    LetterTuiApp.shared_stylesheet = app.stylesheet
