"""What the server itself writes to a player's terminal."""

from __future__ import annotations

# Undo everything a full-screen Textual app turns on, in case it could not do it itself
# (killed, crashed, timed out). Each is harmless when already off.
RESET = (
    b"\x1b[?2026l"  # synchronized output off
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # mouse reporting off
    b"\x1b[?1004l"  # focus events off
    b"\x1b[?2004l"  # bracketed paste off
    b"\x1b[<u"  # pop the kitty keyboard mode
    b"\x1b[0m"  # plain attributes
    b"\x1b[?1049l"  # back to the normal screen
    b"\x1b[?7h"  # line wrapping back on
    b"\x1b[?25h"  # cursor visible
)

NEEDS_TERMINAL = "letter-tui needs a terminal: connect with ssh -t"
NO_COMMANDS = "letter-tui: commands are not allowed here; connect with ssh -t to play the quiz"
NO_SUBSYSTEMS = "letter-tui: no file transfer or subsystems here; connect with ssh -t to play"
SERVER_FULL = "letter-tui: server full, try again later"
ONE_SESSION = "letter-tui: one session per connection"
NO_FORWARDING = "letter-tui: port forwarding is disabled"
RATE_LIMITED = "letter-tui: too many connections from your address, try again in a minute"
SHUTTING_DOWN = "letter-tui: the server is shutting down; goodbye."
CRASHED = "letter-tui: the game stopped unexpectedly; reconnect to play again."


def idle_goodbye(seconds: float) -> str:
    minutes = seconds / 60
    span = f"{minutes:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"
    return f"letter-tui: no key pressed for {span}; goodbye."


def session_goodbye(seconds: float) -> str:
    minutes = seconds / 60
    span = f"{minutes:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"
    return f"letter-tui: sessions last at most {span}; reconnect to play again. Goodbye."


def line(message: str) -> bytes:
    return f"\r\n{message}\r\n".encode()
