"""Helpers for the server tests: a real `letter-tui serve` process, clients, a screen."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
import pyte

HERE = Path(__file__).parent
SERVER_SCRIPT = str(HERE / "serve_fixture_server.py")
LISTEN = re.compile(r"Listening on 127\.0\.0\.1:(\d+)")
FINGERPRINT = re.compile(r"Host key .* \((created|loaded)\): (SHA256:\S+)")
DEC_MODE = re.compile(rb"\x1b\[\?([\d;]+)([hl])")


@dataclass
class ServerProcess:
    """`letter-tui serve` in its own process, with the fixture app for players."""

    data_dir: Path
    args: list[str] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)
    port: int = 0
    fingerprint: str = ""
    created: bool = False
    out: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> ServerProcess:
        """Start it and wait for its "Listening" line (on a loaded machine the model's
        training and the fork server's imports can take a while: the deadline is wide)."""
        argv = [sys.executable, SERVER_SCRIPT, json.dumps(self.overrides), "serve"]
        argv += ["--port", "0", "--data-dir", str(self.data_dir), *self.args]
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
        )
        threading.Thread(target=self._drain, args=(self.proc.stderr, self.log), daemon=True).start()
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited: {''.join(self.out)}{''.join(self.log)}")
            self.out.append(line)
            if m := FINGERPRINT.search(line):
                self.created, self.fingerprint = m.group(1) == "created", m.group(2)
            if m := LISTEN.search(line):
                self.port = int(m.group(1))
                break
        if not self.port:
            self.proc.kill()
            raise RuntimeError(f"server not listening after {timeout} s: {''.join(self.out)}")
        threading.Thread(target=self._drain, args=(self.proc.stdout, self.out), daemon=True).start()
        return self

    @staticmethod
    def _drain(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def wait_log(self, text: str, timeout: float = 15.0, count: int = 1) -> str:
        """The `count`-th log line holding `text`, waiting for it up to `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in list(self.log) if text in line]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.02)
        raise AssertionError(f"no log line {count} with {text!r} in:\n{''.join(self.log)}")

    async def log_line(self, text: str, timeout: float = 15.0, count: int = 1) -> str:
        """`wait_log` without blocking the event loop (clients keep being served)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.wait_log, text, timeout, count)


def connect(
    port: int, username: str = "alice", host: str = "127.0.0.1", **options
) -> asyncssh.SSHClientConnection:
    options.setdefault("known_hosts", None)
    options.setdefault("client_keys", None)
    options.setdefault("agent_path", None)
    return asyncssh.connect(host, port, username=username, **options)


async def bare_session(conn: asyncssh.SSHClientConnection) -> asyncssh.SSHClientChannel:
    """A session channel opened with no request at all (no pty, shell or command): what a
    misbehaving client can hold open. asyncssh's public API always sends a request."""
    chan = asyncssh.SSHClientChannel(
        conn, asyncio.get_running_loop(), "strict", None, "strict", 2**21, 32768
    )
    await chan._open(b"session")
    return chan


def silent_socket(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A TCP connection that never says anything, from a loopback `source` address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


def first_line(sock: socket.socket) -> bytes:
    """The server's first line: its SSH version if admitted, else the refusal."""
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\n", 1)[0].rstrip(b"\r")


class Player:
    """An asyncssh terminal session whose output is kept raw and drawn on a pyte screen."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.stderr = bytearray()
        self.conn: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess | None = None
        # Set whenever output is drawn: a waiter can read the screen once per arrival
        # (benchmarks/serve_bench.py) instead of polling it.
        self.arrived = asyncio.Event()

    async def open(
        self,
        port: int,
        username: str = "alice",
        term_type: str | None = "xterm-256color",
        size: tuple[int, int] = (80, 24),
        env: dict[str, str] | None = None,
        command: str | None = None,
        subsystem: str | None = None,
        early: bytes = b"",
        window: int = 2 * 1024 * 1024,  # asyncssh's default receive window
        **options,
    ) -> Player:
        self.conn = await connect(port, username, **options)
        self.process = await self.conn.create_process(
            command,
            subsystem=subsystem,
            term_type=term_type,
            term_size=size if term_type else None,
            env=env or {},
            encoding=None,
            window=window,
        )
        if early:
            self.process.stdin.write(early)
        self._pumps = [
            asyncio.ensure_future(self._pump(self.process.stdout, self.raw, True)),
            asyncio.ensure_future(self._pump(self.process.stderr, self.stderr, False)),
        ]
        return self

    async def _pump(self, reader, into: bytearray, draw: bool) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                into += data
                if draw:
                    self.stream.feed(data)
                    self.arrived.set()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return self.text()
            await asyncio.sleep(0.02)
        raise AssertionError(f"{needle!r} not on screen after {timeout} s:\n{self.text()}")

    def send(self, keys: bytes) -> None:
        assert self.process is not None
        self.process.stdin.write(keys)

    async def exit_status(self, timeout: float = 30.0) -> int | None:
        assert self.process is not None
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        await asyncio.gather(*self._pumps)
        return self.process.exit_status

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.conn.wait_closed(), 5)

    def values(self, key: str) -> list[str]:
        return re.findall(rf"\b{re.escape(key)}=(\S+)", self.text())

    def value(self, key: str) -> str:
        """`key=value` from the fixture's screen (values run to the end of a word)."""
        m = re.search(rf"\b{re.escape(key)}=(\S+)", self.text())
        assert m, f"no {key}= on screen:\n{self.text()}"
        return m.group(1)


NORMALLY_ON = {7, 25}  # autowrap, visible cursor


def modes_left_on(raw: bytes) -> set[int]:
    """DEC private modes left away from a terminal's normal state after `raw`: N when a
    mode such as the alternate screen (1049) or mouse reporting (1000...) is still on,
    -N when a normally-on mode (cursor 25, autowrap 7) is still off."""
    changed: set[int] = set()
    for m in DEC_MODE.finditer(raw):
        for mode in (int(x) for x in m.group(1).split(b";") if x):
            now_on = m.group(2) == b"h"
            if now_on == (mode in NORMALLY_ON):
                changed.discard(mode)
            else:
                changed.add(mode)
    return {-m if m in NORMALLY_ON else m for m in changed}


def alive(pid: int) -> bool:
    """True while `pid` runs; a zombie waiting for a reaper counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


async def wait_gone(pids: list[int], timeout: float) -> float:
    start = time.monotonic()
    while any(alive(p) for p in pids):
        if time.monotonic() - start > timeout:
            raise AssertionError(
                f"still running after {timeout} s: {[p for p in pids if alive(p)]}"
            )
        await asyncio.sleep(0.02)
    return time.monotonic() - start


def kill_quietly(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
