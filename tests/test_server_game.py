"""The real game over SSH: a whole three-round quiz lands a row for the SSH user name."""

from __future__ import annotations

import asyncio
import contextlib
import io
import sqlite3
import subprocess
import sys
import time

import asyncssh
import pytest

from letter_tui.cli import build_parser
from tests.serve_support import LISTEN, Player, connect


def _has_quiz() -> bool:
    """Whether the command line knows the contract's `quiz --remote` (parsing only)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["quiz", "--remote", "--name=x", "--rounds", "3"])
    except SystemExit:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not _has_quiz(),
    reason="`letter-tui quiz` (issue 5) is not on this branch yet; runs once it is merged",
)


def rows_for(db, name: str) -> list[tuple]:
    if not db.exists():
        return []
    with contextlib.closing(sqlite3.connect(db, timeout=5)) as conn:
        try:
            return conn.execute(
                "SELECT name, rounds FROM scores WHERE name = ?", (name,)
            ).fetchall()
        except sqlite3.OperationalError:  # the schema is not there yet
            return []


async def test_a_whole_game_over_ssh_lands_a_row_for_the_user(tmp_path):
    argv = [sys.executable, "-m", "letter_tui", "serve", "--port", "0"]
    argv += ["--data-dir", str(tmp_path), "--rounds", "3", "--level", "easy"]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = 0
        for line in server.stdout:
            if m := LISTEN.search(line):
                port = int(m.group(1))
                break
        assert port, "the server did not start"
        p = await Player().open(port, username="alice")
        db = tmp_path / "scores.sqlite3"
        # Each round: wait for its question, answer (a label of the tutorial's alphabet),
        # wait for the reveal, go on with Enter. Every wait is on the screen itself.
        for number in (1, 2, 3):
            await p.wait_for(f"Round {number} of 3", timeout=60)
            await p.wait_for("Press the key of the letter you see", timeout=30)
            p.send(b"a")
            await p.wait_for("It was", timeout=30)
            p.send(b"\r")
        await p.wait_for("Game over after 3 rounds", timeout=30)
        deadline = time.monotonic() + 30
        while not rows_for(db, "alice"):  # the summary saves it as it appears
            assert time.monotonic() < deadline, f"no saved game; screen:\n{p.text()}"
            await asyncio.sleep(0.05)
        assert rows_for(db, "alice") == [("alice", 3)]
        # The scores are the teacher's alone, whatever umask the server was started with.
        assert db.stat().st_mode & 0o777 == 0o600
        with pytest.raises((asyncssh.Error, OSError)):
            async with connect(port) as conn:
                await conn.run("id", check=True)
        # A stop while the player looks at the summary: the finished game stays saved.
        server.terminate()
        assert await p.exit_status() is not None
        assert server.wait(10) == 0
        assert rows_for(db, "alice") == [("alice", 3)]
        await p.close()
    finally:
        server.terminate()
        assert server.wait(10) == 0
