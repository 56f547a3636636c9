"""Errors a user can cause and fix: each renders as one clear line, never a traceback."""

from __future__ import annotations

from pathlib import Path


class LetterTuiError(Exception):
    """Something the user can fix (a bad file, a missing model, a bad option).

    `exit_code` is what the command line exits with: 2 for a usage error, 1 otherwise.
    """

    exit_code = 1


class UsageError(LetterTuiError):
    """A bad command-line option or value."""

    exit_code = 2


class AlphabetError(LetterTuiError):
    """An alphabet file that cannot be read; names the file, the line and what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
        exit_code: int = 1,
    ) -> None:
        self.exit_code = exit_code
        self.path = str(path) if path is not None else "<text>"
        self.line = line
        self.reason = message
        self.hint = hint
        where = self.path if line is None else f"{self.path}:{line}"
        text = f"{where}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class ModelError(LetterTuiError):
    """A model file that is missing, corrupt or does not fit the alphabet."""
