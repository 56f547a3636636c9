"""End to end: the installed `letter-tui draw` in a real pseudo-terminal, read with pyte."""

from __future__ import annotations

import os
import select
import shutil
import sys
import time
from pathlib import Path

import pyte
import pytest
from ptyprocess import PtyProcess

from letter_tui.core.alphabet import load_alphabet_file, load_bundled

COLS, ROWS = 80, 24
RIGHT, CTRL_S, CTRL_Q = "\x1b[C", "\x13", "\x11"
# Ends a hung test. It paces nothing: on a machine whose cores are busy elsewhere starting the
# app alone can take over 10 s.
DEADLINE_S = 60.0


def command() -> str:
    found = Path(sys.executable).with_name("letter-tui")
    return str(found) if found.exists() else (shutil.which("letter-tui") or "")


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.proc = PtyProcess.spawn(argv, env=env, dimensions=(ROWS, COLS))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = DEADLINE_S) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return self.text()
            # select() keeps the deadline even when the app has nothing more to draw.
            ready, _, _ = select.select([self.proc.fd], [], [], 0.2)
            if not ready:
                continue
            try:
                data = self.proc.read(65536)
            except EOFError:
                break
            self.stream.feed(data)
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.proc.write(keys.encode())

    def close(self) -> None:
        if self.proc.isalive():
            self.proc.terminate(force=True)


@pytest.mark.skipif(not command(), reason="letter-tui is not installed")
def test_draw_toggle_and_save_through_a_real_terminal(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        # Textual takes the size from these first; the pty's own size must win.
        if key not in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER")
    }
    env.update(TERM="xterm-256color", LETTER_TUI_DATA_DIR=str(tmp_path))
    term = Terminal([command(), "draw"], env)
    try:
        term.wait_for("Letter A (1/3)")
        term.wait_for("^s Save")
        term.send(RIGHT)
        term.send(RIGHT)
        term.send(" ")
        term.wait_for("unsaved changes")
        term.send(CTRL_S)
        term.wait_for("Saved 3 letters")
        saved = load_alphabet_file(tmp_path / "alphabets" / "abc.txt")
        assert saved.bitmaps[0][:6] == (0, 0, 0, 1, 0, 0)  # ..##.. with column 3 off
        assert saved.bitmaps[1:] == load_bundled("abc").bitmaps[1:]
        term.send(CTRL_Q)
        # Read until the app closes the terminal (EOF), then its exit status; the deadline
        # only ends a hang (wait() alone has none).
        deadline, closed = time.monotonic() + DEADLINE_S, False
        while not closed and time.monotonic() < deadline:
            if select.select([term.proc.fd], [], [], 0.2)[0]:
                try:
                    term.proc.read(65536)
                except EOFError:
                    closed = True
        assert closed, f"still running {DEADLINE_S:g} s after ctrl+q"
        assert term.proc.wait() == 0
    finally:
        term.close()
