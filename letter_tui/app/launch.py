"""Start the app from LaunchOptions: `letter-tui`, `letter-tui draw [LETTER]`, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING

from letter_tui.core import paths
from letter_tui.core.alphabet import resolve_alphabet
from letter_tui.services.launch_options import LaunchOptions, find_letter
from letter_tui.services.workspace import read_saved_model

if TYPE_CHECKING:
    from letter_tui.app.app import LetterTuiApp


def run_app(options: LaunchOptions) -> int:
    """Run the app on `options.mode`; returns the exit status. User errors raise
    LetterTuiError."""
    app = build_app(options)
    result = app.run()
    if app.return_code:
        return app.return_code
    return result or 0


def build_app(options: LaunchOptions) -> LetterTuiApp:
    """The app `options` ask for, not yet running.

    The saved model is loaded by the app in a thread right after its first frame (for a remote
    player, before the app starts).
    """
    root = paths.data_dir(options.data_dir)
    # A remote player's session must not write files, not even the first copy of a bundled
    # alphabet.
    alphabet, path = resolve_alphabet(options.alphabet, root, create=not options.remote)
    start_letter = find_letter(alphabet, options.letter) if options.letter else None

    from letter_tui.app.app import LetterTuiApp

    # A remote player's process is forked from a server that has NumPy loaded and the model
    # trained already: reading it now (a millisecond) spares the player a "loading" frame.
    # Locally the first frame comes first, and NumPy is imported in a thread after it.
    model, notice = read_saved_model(root, alphabet.name) if options.remote else (None, None)
    app = LetterTuiApp(
        alphabet,
        path,
        root,
        model=model,
        notice=notice,
        mode=options.mode,
        remote=options.remote,
        start_letter=start_letter,
        load_saved_model=not options.remote,
        quiz_settings=options.quiz.settings() if options.mode == "quiz" else None,
        player_name=options.player_name,
        train_speed=options.train_speed,
    )
    return app
