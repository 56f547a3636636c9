"""`letter-tui serve` driven by the OpenSSH client, the screen read through pyte."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import threading
import time

import asyncssh
import pyte
import pytest
from ptyprocess import PtyProcess

from letter_tui.server import terminal
from letter_tui.server.config import child_environment
from tests.serve_support import (
    ServerProcess,
    alive,
    first_line,
    modes_left_on,
    silent_socket,
    wait_gone,
)

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="no OpenSSH client")

FIXED_ENV = ",".join(sorted(child_environment("xterm")))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("openssh")
    srv = ServerProcess(root).start()
    key = asyncssh.read_private_key(str(root / "ssh_host_ed25519_key"))
    public = key.export_public_key("openssh").decode().split()[:2]
    srv.known_hosts = root / "known_hosts"
    srv.known_hosts.write_text(f"[127.0.0.1]:{srv.port} {' '.join(public)}\n")
    yield srv
    assert srv.stop() == 0


def ssh_argv(server, *args: str, program: str = "ssh") -> list[str]:
    port_flag = "-P" if program in ("sftp", "scp") else "-p"
    # Strict host key checking against the key the server printed: a changed key fails.
    return [
        program,
        "-F",
        "/dev/null",
        port_flag,
        str(server.port),
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        f"UserKnownHostsFile={server.known_hosts}",
        "-o",
        "LogLevel=ERROR",
        *args,
    ]


CLIENT_ENV = {**os.environ, "TERM": "xterm-256color", "LD_PRELOAD": ""}


def run_ssh(server, *args: str, program: str = "ssh") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ssh_argv(server, *args, program=program),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
    )


def test_the_printed_fingerprint_is_the_served_key(server):
    out = subprocess.run(
        ["ssh-keygen", "-lf", str(server.known_hosts)], capture_output=True, text=True
    )
    assert server.fingerprint in out.stdout


class Screen:
    """Feeds a byte source into pyte from a thread; keeps the raw bytes too."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.lock = threading.Lock()

    def feed(self, data: bytes) -> None:
        with self.lock:
            self.raw += data
            self.stream.feed(data)

    def text(self) -> str:
        with self.lock:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, needle: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in (text := self.text()):
                return text
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} not on screen after {timeout} s:\n{self.text()}")

    def value(self, key: str) -> str:
        for line in self.text().splitlines():
            for word in line.split():
                if word.startswith(f"{key}="):
                    return word.split("=", 1)[1]
        raise AssertionError(f"no {key}= on screen:\n{self.text()}")

    def values(self, key: str) -> list[str]:
        return [
            w.split("=", 1)[1]
            for line in self.text().splitlines()
            for w in line.split()
            if w.startswith(f"{key}=")
        ]


def spawn_piped(server, *args: str) -> tuple[subprocess.Popen, Screen]:
    """`ssh -tt` with pipes, not a terminal: the client reports a 0x0 window."""
    proc = subprocess.Popen(
        ssh_argv(server, "-tt", *args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=CLIENT_ENV,
    )
    screen = Screen()

    def pump() -> None:
        while data := os.read(proc.stdout.fileno(), 65536):
            screen.feed(data)

    threading.Thread(target=pump, daemon=True).start()
    return proc, screen


def test_ssh_tt_plays_at_80x24_with_a_fixed_environment(server):
    proc, screen = spawn_piped(server, "-o", "SetEnv=LD_PRELOAD=/tmp/evil.so", "alice@127.0.0.1")
    try:
        screen.wait_for("FIXTURE READY")
        assert screen.value("size") == "80x24"
        assert screen.value("TERM") == "xterm-256color"
        assert ",".join(screen.values("env")) == FIXED_ENV
        assert "--name=alice" in screen.value("args")
        proc.stdin.write(b"hey")
        proc.stdin.flush()
        screen.wait_for("keys=hey")
        proc.stdin.write(b"\x11")  # ctrl+q
        proc.stdin.flush()
        assert proc.wait(10) == 0
        time.sleep(0.1)
        assert modes_left_on(bytes(screen.raw)) == set()
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_ssh_client_leaves_no_process(server):
    proc, screen = spawn_piped(server, "bob@127.0.0.1")
    try:
        screen.wait_for("FIXTURE READY")
        pids = [int(screen.value("pid")), int(screen.value("grandchild"))]
        assert all(alive(pid) for pid in pids)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert asyncio.run(wait_gone(pids, timeout=1.0)) < 1.0
    finally:
        proc.kill()
        proc.wait()


def test_window_resizes_from_a_real_terminal_reach_the_app(server):
    proc = PtyProcess.spawn(
        ssh_argv(server, "-t", "carol@127.0.0.1"), env=CLIENT_ENV, dimensions=(24, 80)
    )
    screen = Screen(120, 40)

    def pump() -> None:
        while True:
            try:
                screen.feed(proc.read(65536))
            except EOFError:
                return

    threading.Thread(target=pump, daemon=True).start()
    try:
        screen.wait_for("FIXTURE READY")
        assert screen.value("size") == "80x24"
        proc.setwinsize(30, 100)
        screen.wait_for("size=100x30")
        proc.setwinsize(8, 30)
        screen.wait_for("ENLARGE the terminal")
    finally:
        proc.terminate(force=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alice@127.0.0.1", "id"], terminal.NO_COMMANDS),
        (["-t", "alice@127.0.0.1", "sh"], terminal.NO_COMMANDS),
        (["-T", "alice@127.0.0.1"], terminal.NEEDS_TERMINAL),
        (["-s", "alice@127.0.0.1", "sftp"], terminal.NO_SUBSYSTEMS),
    ],
)
def test_ssh_refusals_are_one_line_and_non_zero(server, args, message):
    result = run_ssh(server, *args)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [message]
    assert "FIXTURE" not in result.stdout


def test_sftp_and_scp_are_refused(server):
    sftp = run_ssh(server, "alice@127.0.0.1", program="sftp")
    assert sftp.returncode != 0 and terminal.NO_SUBSYSTEMS in sftp.stderr
    scp = subprocess.run(
        ["scp", "-O", *ssh_argv(server, program="scp")[1:], "/etc/hostname", "a@127.0.0.1:/tmp/x"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert scp.returncode != 0 and terminal.NO_COMMANDS in scp.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-N", "-R", "127.0.0.1:0:127.0.0.1:22"], "remote port forwarding failed"),
        (["-W", "127.0.0.1:22"], "forwarding failed"),
    ],
)
def test_port_forwarding_is_refused(server, args, needle):
    result = run_ssh(server, "-o", "ExitOnForwardFailure=yes", *args, "alice@127.0.0.1")
    assert result.returncode == 255
    assert needle in result.stderr


def test_a_refusal_at_accept_ends_ssh_at_once(tmp_path):
    """Over the per-address limit, OpenSSH's client is refused before any key exchange
    (it does not print the server's line before the banner at its default log level)."""
    srv = ServerProcess(tmp_path, args=["--per-source-max-startups", "1"]).start()
    try:
        with silent_socket(srv.port) as held:
            assert first_line(held).startswith(b"SSH-2.0-")
            srv.known_hosts = tmp_path / "known_hosts"
            srv.known_hosts.write_text("")
            result = run_ssh(srv, "-tt", "alice@127.0.0.1")
        assert result.returncode == 255
        assert "kex_exchange_identification" in result.stderr
        srv.wait_log("too many connections from this address")
    finally:
        assert srv.stop() == 0
