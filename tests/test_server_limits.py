"""Limits of `letter-tui serve`: idle and login time-outs, the session cap, the rate limit."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time

import asyncssh
import pytest

from letter_tui import __version__
from letter_tui.server import terminal
from tests.serve_support import Player, ServerProcess, alive, connect, modes_left_on


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ServerProcess(
        tmp_path_factory.mktemp("limits"),
        args=["--max-sessions", "2", "--idle-timeout", "2"],
        # Keep-alives every 0.3 s, two missed: a frozen peer is dropped within a second.
        overrides={"login_timeout": 1.0, "keepalive_interval": 0.3, "keepalive_count_max": 2},
    ).start()
    yield srv
    assert srv.stop() == 0


async def test_idle_players_are_told_goodbye(server):
    p = await Player().open(server.port)
    try:
        await p.wait_for("FIXTURE READY")
        started = time.monotonic()
        await asyncio.sleep(1.2)
        p.send(b"k")  # a key restarts the count
        assert await p.exit_status(timeout=6) == 0
        assert time.monotonic() - started >= 3.0
        assert terminal.idle_goodbye(2) in bytes(p.raw).decode(errors="replace")
        assert modes_left_on(bytes(p.raw)) == set()
        server.wait_log("timeout")
        server.wait_log("idle time-out")
    finally:
        await p.close()


async def test_past_the_cap_the_server_is_full(server):
    players = [await Player().open(server.port, username=f"p{i}") for i in range(2)]
    try:
        for p in players:
            await p.wait_for("FIXTURE READY")
        third = await Player().open(server.port, username="late")
        assert await third.exit_status() == 1
        assert third.stderr.decode().strip() == terminal.SERVER_FULL
        await third.close()
        server.wait_log("refuse")
        players[0].send(b"\x11")
        await players[0].exit_status()
        fourth = await Player().open(server.port, username="later")
        await fourth.wait_for("FIXTURE READY")
        players.append(fourth)
    finally:
        for p in players:
            await p.close()


async def test_a_silent_connection_is_dropped_at_the_login_time_out(server):
    loop = asyncio.get_running_loop()

    def silent() -> float:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            start = time.monotonic()
            while sock.recv(4096):  # the server's version line, then the close
                pass
            return time.monotonic() - start

    assert await loop.run_in_executor(None, silent) < 3.0


async def test_a_connection_without_a_session_is_closed(server):
    async with connect(server.port) as conn:
        await asyncio.wait_for(conn.wait_closed(), 4)
    server.wait_log("no session opened")


async def test_too_many_connections_from_one_address_are_refused(tmp_path):
    srv = ServerProcess(
        tmp_path, overrides={"rate_burst": 3, "rate_per_minute": 1, "prefork": False}
    ).start()
    try:
        conns = []
        for _ in range(3):
            conns.append(await connect(srv.port))
        with pytest.raises(asyncssh.DisconnectError, match="too many connections"):
            await connect(srv.port)
        srv.wait_log("rate limit")
        for conn in conns:
            conn.close()
    finally:
        assert srv.stop() == 0


async def test_authorized_keys_admit_only_those_keys(tmp_path):
    allowed = asyncssh.generate_private_key("ssh-ed25519")
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(allowed.export_public_key("openssh"))
    srv = ServerProcess(
        tmp_path, args=["--authorized-keys", str(keys)], overrides={"prefork": False}
    ).start()
    try:
        for client_keys in ([stranger], None):
            with pytest.raises(asyncssh.PermissionDenied):
                await connect(srv.port, client_keys=client_keys)
        p = await Player().open(srv.port, client_keys=[allowed])
        await p.wait_for("FIXTURE READY")
        await p.close()
    finally:
        assert srv.stop() == 0


class FreezingProxy:
    """A TCP relay that can stop relaying while keeping both sockets open: a dead peer."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.frozen = asyncio.Event()
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _client(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.writers += [writer, up_writer]

        async def relay(src, dst) -> None:
            while data := await src.read(65536):
                if self.frozen.is_set():
                    await asyncio.Event().wait()  # hold the socket, forward nothing
                dst.write(data)

        await asyncio.gather(relay(reader, up_writer), relay(up_reader, writer))

    def close(self) -> None:
        for w in self.writers:
            w.close()
        self.server.close()


async def test_keepalives_drop_a_dead_peer(server):
    srv = server
    proxy = FreezingProxy(srv.port)
    try:
        p = await Player().open(await proxy.start())
        await p.wait_for("FIXTURE READY")
        pids = [int(p.value("pid")), int(p.value("grandchild"))]
        proxy.frozen.set()
        line = await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_log, f"pid={pids[0]} after", 5.0
        )
        assert "connection lost" in line
        assert not any(alive(pid) for pid in pids)
    finally:
        proxy.close()


async def test_players_are_exec_d_when_the_fork_server_dies(tmp_path):
    srv = ServerProcess(tmp_path).start()
    try:
        fork_server = int(srv.wait_log("fork server ready").rsplit("pid=", 1)[1])
        os.kill(fork_server, signal.SIGKILL)
        p = await Player().open(srv.port)
        await p.wait_for("FIXTURE READY")
        assert "(exec)" in srv.wait_log("session start")
        await p.close()
    finally:
        assert srv.stop() == 0


async def test_a_python_dash_m_command_runs_as_main(tmp_path):
    # The quiz is `python -m letter_tui quiz ...`: the fork server runs it as __main__.
    overrides = {"module_args": ["letter_tui", "--version"]}
    srv = ServerProcess(tmp_path, overrides=overrides).start()
    try:
        p = await Player().open(srv.port)
        assert await p.exit_status() == 0
        assert f"letter-tui {__version__}" in p.text()
        assert "(forked)" in srv.wait_log("session start")
    finally:
        assert srv.stop() == 0


async def test_connections_past_the_cap_are_refused(tmp_path):
    srv = ServerProcess(tmp_path, overrides={"max_connections": 2, "prefork": False}).start()
    try:
        first, second = await connect(srv.port), await connect(srv.port)
        with pytest.raises(asyncssh.DisconnectError, match="server full"):
            await connect(srv.port)
        srv.wait_log("too many connections")
        first.close()
        await first.wait_closed()
        await asyncio.sleep(0.1)
        third = await connect(srv.port)
        third.close()
        second.close()
    finally:
        assert srv.stop() == 0
