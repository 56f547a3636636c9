"""Limits of `letter-tui serve`: idle, login and key-exchange time-outs, the session cap,
the session length, and the limits on connections not yet playing (per address and in
total, refused at accept). Every wait is on the event itself, with a deadline."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from pathlib import Path

import asyncssh
import pytest

from letter_tui import __version__
from letter_tui.server import terminal
from tests.serve_support import (
    Player,
    ServerProcess,
    alive,
    bare_session,
    connect,
    first_line,
    modes_left_on,
    silent_socket,
)

SSH_VERSION = b"SSH-2.0-letter-tui"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ServerProcess(
        tmp_path_factory.mktemp("limits"),
        args=["--max-sessions", "2", "--idle-timeout", "2", "--login-timeout", "2"],
        # Keep-alives every 0.3 s, two missed: a frozen peer is dropped within a second.
        overrides={"kex_timeout": 1.0, "keepalive_interval": 0.3, "keepalive_count_max": 2},
    ).start()
    yield srv
    assert srv.stop() == 0


async def test_idle_players_are_told_goodbye(server):
    p = await Player().open(server.port)
    try:
        await p.wait_for("FIXTURE READY")
        # Keys keep the game going past the idle time-out: each is sent once the one
        # before shows on screen, for 1.5 times the time-out.
        started = time.monotonic()
        typed = ""
        while time.monotonic() - started < 3.0:
            typed += "abcdefghij"[len(typed) % 10]
            p.send(typed[-1].encode())
            await p.wait_for(f"keys={typed[-30:]}")
        assert p.process.exit_status is None and not p.process.stdout.at_eof()
        last_key = time.monotonic()
        assert await p.exit_status() == 0
        assert time.monotonic() - last_key >= 1.5
        assert terminal.idle_goodbye(2) in bytes(p.raw).decode(errors="replace")
        assert modes_left_on(bytes(p.raw)) == set()
        await server.log_line("no key for 2 s")
        await server.log_line("idle time-out")
    finally:
        await p.close()


async def test_past_the_cap_the_server_is_full(open_server):
    # Its own server: the shared one's 2 s idle time-out could free a slot on a slow day.
    server = open_server("--max-sessions", "2")
    players = [await Player().open(server.port, username=f"p{i}") for i in range(2)]
    try:
        for p in players:
            await p.wait_for("FIXTURE READY")
        third = await Player().open(server.port, username="late")
        assert await third.exit_status() == 1
        assert third.stderr.decode().strip() == terminal.SERVER_FULL
        await third.close()
        await server.log_line("server full")
        players[0].send(b"\x11")
        await players[0].exit_status()
        fourth = await Player().open(server.port, username="later")
        await fourth.wait_for("FIXTURE READY")
        players.append(fourth)
    finally:
        for p in players:
            await p.close()


async def test_a_silent_socket_is_dropped_at_the_key_exchange_deadline(server):
    loop = asyncio.get_running_loop()

    def silent() -> float:
        with silent_socket(server.port) as sock:
            start = time.monotonic()
            while sock.recv(4096):  # the server's version line, then the close
                pass
            return time.monotonic() - start

    # The key-exchange deadline (1 s here), well before the login time-out (2 s).
    assert await loop.run_in_executor(None, silent) < 1.9
    await server.log_line("no key exchange within 1 s")


async def test_a_connection_without_a_session_is_closed(server):
    async with connect(server.port) as conn:
        await asyncio.wait_for(conn.wait_closed(), 10)
    await server.log_line("no game started within 2 s")


@pytest.mark.parametrize("requests", ["none", "pty only", "refused command"])
async def test_a_session_that_never_starts_a_game_is_closed(server, requests):
    """Opening a channel is not starting a game: whatever it asked for, the connection
    goes at the login time-out."""
    started = time.monotonic()
    async with connect(server.port, username=requests.replace(" ", "-")) as conn:
        if requests == "none":
            await bare_session(conn)
        elif requests == "pty only":
            chan = await bare_session(conn)
            assert await chan._make_request(
                b"pty-req",
                *_pty_request(),
            )
        else:
            result = await conn.run("id", term_type="xterm")
            assert result.exit_status == 1
        await asyncio.wait_for(conn.wait_closed(), 10)
    assert time.monotonic() - started >= 1.9
    line = await server.log_line(f"user={requests.replace(' ', '-')!r}: no game started")
    assert "so far" in line


def _pty_request() -> tuple[bytes, ...]:
    from asyncssh.packet import String, UInt32

    return (String(b"xterm"), UInt32(80), UInt32(24), UInt32(0), UInt32(0), String(b"\0"))


async def test_a_game_is_ended_at_the_session_limit(tmp_path):
    srv = ServerProcess(tmp_path, args=["--max-session", "2", "--login-timeout", "1"]).start()
    try:
        p = await Player().open(srv.port)
        await p.wait_for("FIXTURE READY")
        pid = int(p.value("pid"))
        started = time.monotonic()
        assert await p.exit_status() == 0
        assert time.monotonic() - started < 30
        text = bytes(p.raw).decode(errors="replace")
        assert terminal.session_goodbye(2) in text
        assert modes_left_on(bytes(p.raw)) == set()
        assert "session limit" in await srv.log_line(f"pid={pid} after")
        assert not alive(pid)
        await p.close()
    finally:
        assert srv.stop() == 0


@pytest.fixture
def open_server(tmp_path):
    """The default limits (as a teacher starts it), players forked."""
    servers: list[ServerProcess] = []

    def start(*args: str, **overrides) -> ServerProcess:
        srv = ServerProcess(tmp_path / f"s{len(servers)}", args=list(args), overrides=overrides)
        servers.append(srv.start())
        return srv

    yield start
    for srv in servers:
        assert srv.stop() == 0


async def test_silent_sockets_from_one_address_never_stop_another(open_server):
    """150 silent sockets from 127.0.0.2: 50 held (its per-address limit), 100 refused at
    accept before any key exchange, and neither a player already playing from there nor
    new players from 127.0.0.1 notice."""
    srv = open_server()
    resident = await Player().open(srv.port, username="resident", local_addr=("127.0.0.2", 0))
    await resident.wait_for("FIXTURE READY")
    loop = asyncio.get_running_loop()

    def flood() -> tuple[list[socket.socket], list[bytes]]:
        socks = [silent_socket(srv.port, "127.0.0.2") for _ in range(150)]
        return socks, [first_line(s) for s in socks]

    socks, lines = await loop.run_in_executor(None, flood)
    try:
        held = [line for line in lines if line.startswith(SSH_VERSION)]
        refused = [line for line in lines if not line.startswith(SSH_VERSION)]
        assert len(held) == 50
        assert set(refused) == {terminal.RATE_LIMITED.encode()}
        # Not by chance: several in a row, while all 50 are held.
        for i in range(3):
            p = await Player().open(srv.port, username=f"other{i}")
            await p.wait_for("FIXTURE READY")
            await p.close()
        resident.send(b"ok")
        await resident.wait_for("keys=ok")
        line = await srv.log_line("too many connections from this address", count=100)
        assert "127.0.0.2" in line
    finally:
        for s in socks:
            s.close()
        await resident.close()


async def test_a_class_behind_one_address_all_gets_in(open_server):
    """40 connecting at once from 127.0.0.1, then more at one a second: no refusals."""
    srv = open_server(module_args=["letter_tui", "--version"])

    async def play(name: str) -> None:
        p = await Player().open(srv.port, username=name)
        assert await p.exit_status(timeout=60) == 0, p.stderr
        assert f"letter-tui {__version__}" in p.text()
        await p.close()

    await asyncio.gather(*(play(f"kid{i}") for i in range(40)))
    for i in range(3):
        # One a second is the arrival rate under test, not a wait for anything.
        next_one = time.monotonic() + 1.0
        await play(f"late{i}")
        await asyncio.sleep(max(0.0, next_one - time.monotonic()))
    assert not [line for line in srv.log if "refuse" in line]


async def test_past_max_startups_new_connections_are_refused_at_accept(open_server):
    srv = open_server("--max-startups", "3", "--per-source-max-startups", "10")
    loop = asyncio.get_running_loop()

    def four() -> tuple[list[socket.socket], list[bytes]]:
        socks = [silent_socket(srv.port) for _ in range(4)]
        return socks, [first_line(s) for s in socks]

    socks, lines = await loop.run_in_executor(None, four)
    try:
        assert [line.startswith(SSH_VERSION) for line in lines] == [True, True, True, False]
        assert lines[3] == terminal.SERVER_FULL.encode()
        await srv.log_line("too many connections logging in")
        # A place frees as soon as one goes.
        socks[0].close()
        await srv.log_line("disconnect")
        sock = await loop.run_in_executor(None, silent_socket, srv.port)
        socks.append(sock)
        assert (await loop.run_in_executor(None, first_line, sock)).startswith(SSH_VERSION)
    finally:
        for s in socks:
            s.close()


async def test_too_many_new_connections_from_one_address_are_refused(open_server):
    srv = open_server("--per-source-rate", "3:1", prefork=False)
    conns = [await connect(srv.port) for _ in range(3)]
    with pytest.raises((asyncssh.Error, OSError)):
        await connect(srv.port)
    assert "rate limit" in await srv.log_line("refuse")
    # Another address has its own bucket.
    other = await connect(srv.port, local_addr=("127.0.0.2", 0))
    for conn in [*conns, other]:
        conn.close()


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
        line = await srv.log_line(f"pid={pids[0]} after")
        assert "connection lost" in line
        assert not any(alive(pid) for pid in pids)
    finally:
        proxy.close()


def test_by_default_a_vanished_client_goes_within_a_minute():
    from letter_tui.server.config import ServeConfig

    c = ServeConfig("127.0.0.1", 0, Path("."), Path("k"), command=lambda p: [])
    assert (c.keepalive_count_max + 1) * c.keepalive_interval <= 60


def _gone_entirely(pid: int) -> bool:
    """Not running and reaped: no zombie left in the process table."""
    return not Path(f"/proc/{pid}").exists()


async def test_players_are_exec_d_when_the_fork_server_dies(tmp_path):
    # Restarted only after 60 s here, so the next player is certainly exec'd.
    srv = ServerProcess(tmp_path, overrides={"fork_restart_delay": 60.0}).start()
    try:
        fork_server = int(srv.wait_log("fork server ready").rsplit("pid=", 1)[1])
        os.kill(fork_server, signal.SIGKILL)
        await srv.log_line(f"fork server pid={fork_server} stopped")
        p = await Player().open(srv.port)
        await p.wait_for("FIXTURE READY", timeout=60)
        assert "(exec)" in await srv.log_line("session start")
        await p.close()
    finally:
        assert srv.stop() == 0


async def test_a_dead_fork_server_is_reaped_and_restarted(tmp_path):
    srv = ServerProcess(tmp_path, overrides={"fork_restart_delay": 0.0}).start()
    try:
        fork_server = int(srv.wait_log("fork server ready").rsplit("pid=", 1)[1])
        os.kill(fork_server, signal.SIGKILL)
        again = await srv.log_line("fork server ready", timeout=60, count=2)
        assert int(again.rsplit("pid=", 1)[1]) != fork_server
        assert _gone_entirely(fork_server)
        p = await Player().open(srv.port)
        await p.wait_for("FIXTURE READY", timeout=60)
        assert "(forked)" in await srv.log_line("session start")
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
        assert "(forked)" in await srv.log_line("session start")
    finally:
        assert srv.stop() == 0
