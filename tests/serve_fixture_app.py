"""A small real Textual app standing in for the quiz in the server's tests.

It shows what a player's process sees (argv, environment, terminal, limits), echoes keys,
and can be told to crash ('!'), to be killed ('^') or to quit (ctrl+q). It starts a
grandchild in its process group so tests can check that nothing is left behind.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys

import numpy as np
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import Static

MIN_COLS, MIN_ROWS = 40, 10


class FixtureApp(App[None]):
    CSS = "Static { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.keys = ""
        # Random draws from both global generators: players forked from one parent must
        # not all see the same letters.
        self.draws = f"{random.random():.9f},{np.random.random():.9f}"
        self.grandchild = subprocess.Popen(["sleep", "600"])

    def compose(self) -> ComposeResult:
        yield Static(id="info")
        yield Static(id="keys")

    def on_mount(self) -> None:
        self.refresh_info()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_info(event.size)

    def refresh_info(self, size: Size | None = None) -> None:
        cols, rows = size or self.size
        if cols < MIN_COLS or rows < MIN_ROWS:
            text = f"ENLARGE the terminal to {MIN_COLS}x{MIN_ROWS}"
        else:
            env = os.environ
            core = resource.getrlimit(resource.RLIMIT_CORE)[0]
            nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            memory = resource.getrlimit(resource.RLIMIT_AS)[0]
            memory_mb = memory // 2**20 if memory != resource.RLIM_INFINITY else "unlimited"
            try:
                ctty = os.tcgetpgrp(0) == os.getpgrp()
            except OSError:
                ctty = False
            names, env_lines = sorted(env), []
            while names:  # a few per line: the screen may be only 40 columns wide
                env_lines.append("env=" + ",".join(names[:3]))
                names = names[3:]
            text = "\n".join(
                [
                    f"size={cols}x{rows}",
                    f"pid={os.getpid()} grandchild={self.grandchild.pid}",
                    f"TERM={env.get('TERM', '')}",
                    *env_lines,
                    f"core={core} nofile={nofile} as={memory_mb} ctty={ctty}",
                    f"nice={os.getpriority(os.PRIO_PROCESS, 0)}",
                    f"rng={self.draws}",
                    "args=" + " ".join(sys.argv[1:]),
                    "FIXTURE READY",  # last: once it shows, the lines above are drawn
                ]
            )
        self.query_one("#info", Static).update(Text(text))

    def on_key(self, event) -> None:
        if event.character == "!":
            raise RuntimeError("the fixture was told to crash")
        if event.character == "^":
            os.kill(os.getpid(), signal.SIGKILL)
        if event.character and event.character.isprintable():
            self.keys = (self.keys + event.character)[-30:]
            self.query_one("#keys", Static).update(Text(f"keys={self.keys}"))


def load_model_like_the_quiz(argv: list[str]) -> None:
    """With --load-model DIR, import NumPy and load the saved model as the quiz will, so
    that the benchmark's memory figures are those of a real player's process."""
    if "--load-model" in argv:
        from pathlib import Path

        from letter_tui.core import model_io
        from letter_tui.core.alphabet import load_bundled

        model_io.load_for(Path(argv[argv.index("--load-model") + 1]), load_bundled("abc"))


if __name__ == "__main__":
    if any(arg.startswith("--name=stuck") for arg in sys.argv):
        # A player whose app never draws: the server's start queue must not wait on it.
        signal.pause()
    load_model_like_the_quiz(sys.argv)
    app = FixtureApp()
    app.run()
    sys.exit(app.return_code or 0)
