"""A seeded quiz over SSH with the real OpenSSH client, every grid read back off its terminal.

`letter-tui serve` runs as the command line does (tests/serve_fixture_server.py), with the
player's program the real quiz plus `--seed` (so the test knows the rounds); `ssh -tt` runs in a
pseudo-terminal read by pyte (screen_reading.py), and the terminal is resized mid-game.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from screen_reading import ENTER, Terminal, pty_env, with_model

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.model_io import load_model
from letter_tui.core.quiz import make_round
from tests.serve_support import ServerProcess

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="no OpenSSH client")

ALPHABET, SEED, NOISE, ROUNDS = "az", 7, 0.0, 6


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    with_model(tmp_path, ALPHABET)  # the server would train one before listening
    quiz = ["letter_tui", "quiz", "--remote", "--name=reader", "--alphabet", ALPHABET]
    quiz += ["--data-dir", str(tmp_path), "--rounds", str(ROUNDS)]
    quiz += ["--noise", str(NOISE), "--seed", str(SEED)]
    srv = ServerProcess(tmp_path, args=["--alphabet", ALPHABET], overrides={"module_args": quiz})
    srv.start()
    try:
        yield srv
    finally:
        assert srv.stop() == 0


def ssh_argv(server: ServerProcess) -> list[str]:
    """`ssh -tt` checking the host key the server created, and nothing from ~/.ssh."""
    key = asyncssh.read_private_key(str(server.data_dir / "ssh_host_ed25519_key"))
    public = " ".join(key.export_public_key("openssh").decode().split()[:2])
    known_hosts = server.data_dir / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{server.port} {public}\n")
    options = ["BatchMode=yes", "StrictHostKeyChecking=yes", "LogLevel=ERROR"]
    options.append(f"UserKnownHostsFile={known_hosts}")
    argv = ["ssh", "-F", "/dev/null", "-p", str(server.port), "-tt"]
    for option in options:
        argv += ["-o", option]
    return [*argv, "reader@127.0.0.1"]


def test_every_round_over_openssh_shows_its_letter(server: ServerProcess) -> None:
    alphabet = load_bundled(ALPHABET)
    shape, labels = (alphabet.rows, alphabet.cols), alphabet.labels
    network = load_model(server.data_dir / "models" / f"{ALPHABET}.npz").network
    sizes = [(80, 24), (80, 24), (120, 40), (120, 40), (80, 24), (80, 24)]
    cols, rows = sizes[0]
    term = Terminal(ssh_argv(server), pty_env(), cols, rows)
    try:
        for n in range(1, ROUNDS + 1):
            term.wait_for(f"Round {n} of {ROUNDS}")
            if sizes[n - 1] != (cols, rows):  # the client sends the new size to the server
                cols, rows = sizes[n - 1]
                term.resize(cols, rows)
            rnd = make_round(alphabet, network, SEED, n, NOISE)
            what = f"round {n} at {cols}x{rows}"
            term.wait_grid("Which letter is this?", rnd.bitmap, shape, what)
            term.send(labels[0].lower())
            term.wait_for(f"after {n} of {ROUNDS}")
            term.wait_grid("You saw", rnd.bitmap, shape, what)
            term.wait_grid(f"It was {labels[rnd.letter]}", rnd.clean, shape, what)
            flipped = sum(a != b for a, b in zip(rnd.bitmap, rnd.clean, strict=True))
            assert f"{flipped} pixel{'s' * (flipped != 1)} flipped" in term.text(), what
            term.send(ENTER)
        term.wait_for("Score saved")
        assert term.quit() == 0  # ssh's own status: the session ended cleanly
    finally:
        term.close()
