"""Start the app from the command line: `letter-tui`, `letter-tui draw [LETTER]`, ..."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet, resolve_alphabet
from letter_tui.core.errors import ModelError, UsageError

if TYPE_CHECKING:
    from letter_tui.core.model_io import Model


def load_model_if_any(root: Path, name: str) -> tuple[Model | None, str | None]:
    """The saved model for alphabet `name` (fitting or not: the app says when it is out of
    date), and a sentence when a model file exists but cannot be read."""
    # Imported here, in the app's loading thread: NumPy is not needed for the first frame.
    from letter_tui.core import model_io

    path = model_io.model_path(root, name)
    if not path.exists():
        return None, None
    try:
        return model_io.load_model(path), None
    except ModelError as error:
        return None, str(error)


def find_letter(alphabet: Alphabet, letter: str) -> str:
    """`letter` as the alphabet spells it (labels ignore case), or a usage error."""
    for label in alphabet.labels:
        if label == letter or label.casefold() == letter.casefold():
            return label
    raise UsageError(
        f"alphabet '{alphabet.name}' has no letter {letter!r} (it has "
        f"{' '.join(alphabet.labels)}); open Draw and press 'a' to add it"
    )


def run_app(args: argparse.Namespace, mode: str) -> int:
    """Run the app on `mode`; returns the exit status. User errors raise LetterTuiError.

    The saved model is loaded by the app in a thread right after its first frame (for a remote
    player, before the app starts).
    """
    root = paths.data_dir(getattr(args, "data_dir", None))
    remote = bool(getattr(args, "remote", False))
    # A remote player's session must not write files, not even the first copy of a bundled
    # alphabet.
    spec = getattr(args, "alphabet", None) or "abc"
    alphabet, path = resolve_alphabet(spec, root, create=not remote)
    letter = getattr(args, "letter", None)
    start_letter = find_letter(alphabet, letter) if letter else None

    from letter_tui.app.app import LetterTuiApp

    quiz_settings = None
    if mode == "quiz":
        from letter_tui.cli import quiz_settings as settings_from_args

        quiz_settings = settings_from_args(args)

    # A remote player's process is forked from a server that has NumPy loaded and the model
    # trained already: reading it now (a millisecond) spares the player a "loading" frame.
    # Locally the first frame comes first, and NumPy is imported in a thread after it.
    model, notice = load_model_if_any(root, alphabet.name) if remote else (None, None)
    app = LetterTuiApp(
        alphabet,
        path,
        root,
        model=model,
        notice=notice,
        mode=mode,
        remote=remote,
        start_letter=start_letter,
        load_saved_model=not remote,
        quiz_settings=quiz_settings,
        player_name=getattr(args, "name", None),
        train_speed=getattr(args, "speed", None),
    )
    result = app.run()
    if app.return_code:
        return app.return_code
    return result or 0
