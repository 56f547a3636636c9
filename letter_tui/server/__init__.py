"""`letter-tui serve`: the quiz for a class over SSH, one process per player on its own
pseudo-terminal. Never imported by the app or the headless commands."""
