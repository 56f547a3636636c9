"""A player's name: cleaned once, where it comes into the program, and only checked after.

A name arrives as untrusted text in a few places: the SSH login name (the server), `--name`
on the command line (its argparse type), the name prompt and the quiz's setup form (the app),
and the login name of whoever runs the app (`login_name`). Each of them calls `clean_name`,
which returns a `PlayerName`: the type says "cleaned already". The layers inside (the quiz
controller, the game's record, the score store) take a PlayerName and refuse anything else
with `checked_name` (a ValueError: a programming error, some entry forgot to clean), so a
name is never cleaned twice and the scores file never receives one that was not cleaned.

PlayerName is a `str` subclass, so everything that shows or stores a name (Rich's Text,
SQLite, f-strings) takes it as it is, and the check is one isinstance. Only `clean_name`
makes one (tests/test_name_once.py checks that no other module calls the class).
"""

from __future__ import annotations

import unicodedata

NAME_MAX = 20
FALLBACK_NAME = "player"


class PlayerName(str):
    """A name as `clean_name` left it: printable, single-spaced, NFC, at most NAME_MAX
    characters (empty only when a caller asked for an empty fallback)."""

    __slots__ = ()


def clean_name(text: str | None, fallback: str = FALLBACK_NAME) -> PlayerName:
    """A player name fit to store and show: printable characters only, at most NAME_MAX.

    Whitespace runs become one space; control, format (bidi overrides, zero-width) and
    unassigned characters are dropped; the rest is NFC-normalised. Empty -> `fallback`
    (a constant of the caller's; "" lets the caller refuse a name with nothing visible).
    """
    text = text or ""
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or ch.isprintable())
    # Normalised after the dropping: a dropped character between a letter and its accent
    # ("A<ESC><grave>") would otherwise leave the pair uncomposed, and a second cleaning
    # (the remote player's, of the server's clean name) would change the name.
    name = unicodedata.normalize("NFC", " ".join(kept.split()))[:NAME_MAX].strip()
    return PlayerName(name or fallback)


def login_name() -> PlayerName:
    """The default name: the login name, cleaned (or the fallback when there is none)."""
    import getpass  # here: only a local quiz without --name needs it

    try:
        return clean_name(getpass.getuser())
    except (OSError, KeyError, ImportError):
        return clean_name(None)


def checked_name(name: object) -> PlayerName:
    """`name` itself when `clean_name` made it (and it is not empty); otherwise ValueError.

    The inner layers call this instead of cleaning again: a plain string here means an
    entry point passed untrusted text straight through, which is a bug to fix there."""
    if isinstance(name, PlayerName) and name:
        return name
    raise ValueError(f"a player's name must be cleaned where it comes in (clean_name): {name!r}")
