"""The alphabets one can switch to: the bundled ones and the user's own, with what each holds.

Textual-free: the app's alphabet picker lists `choices(root)` and opens one with `open_choice`
or `open_spec` (a name or a path typed in); the reading is core's, so a bad file gives the
same one-line error as `letter-tui --alphabet FILE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from letter_tui.core import paths
from letter_tui.core.alphabet import (
    Alphabet,
    load_alphabet_file,
    load_bundled,
    resolve_alphabet,
    user_alphabet_path,
)
from letter_tui.core.errors import LetterTuiError
from letter_tui.services.workspace import model_file


@dataclass(frozen=True)
class AlphabetChoice:
    """One alphabet on offer. `alphabet` is None when its file cannot be read (`problem`)."""

    name: str
    bundled: bool  # a bundled name (the user's own copy is read when there is one)
    path: Path  # the user's file (for a bundled one: where its copy is or will be)
    alphabet: Alphabet | None
    problem: str | None  # the file's one-line error
    has_model: bool  # a model is saved for it (models/<name>.npz)


def _choice(root: Path, name: str, path: Path, bundled: bool) -> AlphabetChoice:
    try:
        # A bundled name reads the user's copy once there is one, as `resolve_alphabet` does.
        alphabet = load_alphabet_file(path, name) if path.exists() else load_bundled(name)
        problem = None
    except LetterTuiError as error:
        alphabet, problem = None, str(error)
    return AlphabetChoice(name, bundled, path, alphabet, problem, model_file(root, name).exists())


def choices(root: Path) -> list[AlphabetChoice]:
    """The bundled alphabets, then the user's own files in `<root>/alphabets/` by name."""
    bundled = paths.bundled_alphabet_names()
    found = [_choice(root, name, user_alphabet_path(root, name), True) for name in bundled]
    try:
        own = sorted(paths.alphabets_dir(root).glob("*.txt"))
    except OSError:
        own = []
    found.extend(
        _choice(root, path.stem, path, False)
        for path in own
        if path.stem not in bundled and not path.name.startswith(".")
    )
    return found


def open_choice(root: Path, choice: AlphabetChoice) -> tuple[Alphabet, Path]:
    """Read `choice` afresh (it may have changed since it was listed), as the CLI would: a
    bundled name gets its own copy in the data folder on first use. Raises LetterTuiError."""
    if choice.bundled:
        return resolve_alphabet(choice.name, root)
    return load_alphabet_file(choice.path, choice.name), choice.path


def open_spec(root: Path, spec: str) -> tuple[Alphabet, Path]:
    """A name or a path typed in, read as `--alphabet` reads it. Raises LetterTuiError."""
    return resolve_alphabet(spec.strip(), root)
