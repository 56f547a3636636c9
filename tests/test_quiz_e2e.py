"""The installed `letter-tui quiz` played through a real pseudo-terminal, read with pyte."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

pyte = pytest.importorskip("pyte")
ptyprocess = pytest.importorskip("ptyprocess")

from letter_tui.core.alphabet import load_bundled  # noqa: E402
from letter_tui.core.model_io import load_model  # noqa: E402
from letter_tui.core.quiz import make_round  # noqa: E402

EXE = Path(sys.executable).with_name("letter-tui")
# Ends a hung test. It paces nothing: on a machine whose cores are busy elsewhere starting the
# app alone can take over 10 s.
DEADLINE_S = 60.0


class Terminal:
    """A pseudo-terminal running a command, its screen kept up to date by a reader thread."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        # The reader thread notifies it after each chunk: waits wake on new output, not a clock.
        self.changed = threading.Condition()
        self.closed = False  # the program closed the terminal: no more output will come
        self.proc = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(24, 80))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.proc.read(65536)
            except EOFError:
                with self.changed:
                    self.closed = True
                    self.changed.notify_all()
                return
            with self.changed:
                self.stream.feed(data)
                self.changed.notify_all()

    def text(self) -> str:
        with self.changed:
            return "\n".join(self.screen.display)

    def wait_for(self, wanted: str, timeout: float = DEADLINE_S) -> str:
        """The screen once it shows `wanted`, woken by each chunk of output."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while wanted not in (text := "\n".join(self.screen.display)):
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise AssertionError(f"{wanted!r} never appeared; the screen:\n{text}")
                self.changed.wait(left)
        return text

    def wait_exit(self, timeout: float = DEADLINE_S) -> int:
        """The exit status, once the program has closed the terminal (the reader's EOF)."""
        self.reader.join(timeout)
        assert not self.reader.is_alive(), f"still running after {timeout:g} s"
        return self.proc.wait()

    def send(self, keys: str) -> None:
        self.proc.write(keys.encode())


@pytest.mark.skipif(not EXE.exists(), reason="letter-tui is not installed in this venv")
def test_a_three_round_game_lands_in_scores(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "LETTER_TUI_DATA_DIR": str(data),
    }
    argv = [str(EXE), "quiz", "--rounds", "3", "--seed", "5", "--name", "tester"]
    term = Terminal(argv, env)
    try:
        # No model yet: the quiz trains one (0.1 s for abc), saves it, then plays.
        term.wait_for("Round 1 of 3")
        alphabet = load_bundled("abc")
        network = load_model(data / "models" / "abc.npz").network
        rounds = [make_round(alphabet, network, 5, n, 0.2) for n in (1, 2, 3)]
        labels = alphabet.labels
        right = [labels[r.letter] for r in rounds]
        wrong = labels[(rounds[1].letter + 1) % len(labels)]

        term.send(right[0].lower())
        term.wait_for("after 1 of 3")
        term.send("\r")
        term.wait_for("Round 2 of 3")
        term.send("x")
        term.wait_for("'x' is no letter here")
        term.send(wrong)
        term.wait_for("after 2 of 3")
        term.send("\r")
        term.wait_for("Round 3 of 3")
        term.send(right[2])
        term.wait_for("after 3 of 3")
        term.send("\r")
        term.wait_for("Score saved")
        term.send("\x11")  # ctrl+q: the game is saved, so no question
        assert term.wait_exit() == 0
    finally:
        if term.proc.isalive():
            term.proc.terminate(force=True)

    with sqlite3.connect(data / "scores.sqlite3") as conn:
        games = conn.execute("SELECT id, name, rounds, user_correct, level, seed FROM scores")
        ((game_id, *row),) = games.fetchall()
        answers = conn.execute(
            "SELECT round_no, letter, guess FROM answers WHERE game_id = ? ORDER BY round_no",
            (game_id,),
        ).fetchall()
    assert row == ["tester", 3, 2, "medium", 5]
    assert answers == [(1, right[0], right[0]), (2, right[1], wrong), (3, right[2], right[2])]
