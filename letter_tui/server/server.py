"""The SSH side: who may connect, how often, and what they may ask for."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import asyncssh

from letter_tui.server import terminal
from letter_tui.server.admission import PER_SOURCE, RATE, Admission, StartQueue
from letter_tui.server.config import DEFAULT_TERM, Player, ServeConfig, child_environment
from letter_tui.server.session import GameSession
from letter_tui.server.spawn import ForkServer

LOG = logging.getLogger("letter_tui.server")
PER_ADDRESS = (PER_SOURCE, RATE)


def _say_before_banner(conn: asyncssh.SSHServerConnection, message: str) -> None:
    """One line before the SSH version, as sshd's "Not allowed at this time": the protocol
    lets a server send text lines first, and OpenSSH's client shows them when it gives up.
    The socket was just accepted, so its buffer has room for the line."""
    sock = conn.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError, ValueError):
            os.write(sock.fileno(), f"{message}\r\n".encode())


class Connection(asyncssh.SSHServer):
    """One client connection: at most one session, no forwarding of any kind."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.number = next(hub.counter)
        self.label = f"#{self.number}"
        self.address = "?"
        self.username = ""
        self.session: GameSession | None = None
        self.playing = False
        self._conn: asyncssh.SSHServerConnection | None = None
        self._counted = False  # holds a start-up place in the hub's admission
        self._refused = False
        self._timers: list[asyncio.TimerHandle] = []

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:  # type: ignore[override]
        self._conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address = str(peer[0])
        self.label = f"#{self.number} {peer[0]}:{peer[1]}"
        hub = self.hub
        reason = "server stopping" if hub.stopping else hub.admission.admit(self.address)
        if reason is not None:
            # Refused before the server sends its version: no key exchange work at all.
            self._refused = True
            hub.count("refused at accept")
            hub.log(f"refuse {self.label}: {reason} ({hub.counts['refused at accept']} so far)")
            message = terminal.RATE_LIMITED if reason in PER_ADDRESS else terminal.SERVER_FULL
            _say_before_banner(conn, message)
            conn.abort()
            return
        self._counted = True
        hub.connections.add(self)
        hub.log(f"connect {self.label}")
        loop = asyncio.get_running_loop()
        c = hub.config
        self._timers = [
            loop.call_later(c.kex_timeout, self._check_kex),
            loop.call_later(c.login_timeout, self._check_login),
        ]

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self.hub.connections.discard(self)
        self._release()
        for timer in self._timers:
            timer.cancel()
        how = "" if exc is None else f" ({type(exc).__name__})"
        self.hub.log(f"disconnect {self.label}{how}")

    def game_started(self) -> None:
        """A pty and a shell were granted: from now on only the session's own limits apply."""
        self.playing = True
        self._release()
        for timer in self._timers:
            timer.cancel()

    def _release(self) -> None:
        if self._counted:
            self._counted = False
            self.hub.admission.release(self.address)

    def _check_kex(self) -> None:
        # asyncssh records the negotiated cipher once the key exchange has finished.
        if self._conn is not None and self._conn.get_extra_info("recv_cipher") is None:
            self.hub.count("key exchange time-out")
            self.hub.log(
                f"timeout {self.label}: no key exchange within {self.hub.config.kex_timeout:g} s "
                f"({self.hub.counts['key exchange time-out']} so far)"
            )
            self._conn.abort()

    def _check_login(self) -> None:
        if not self.playing and self._conn is not None:
            self.hub.count("login time-out")
            self.hub.log(
                f"timeout {self.label}: no game started within "
                f"{self.hub.config.login_timeout:g} s "
                f"({self.hub.counts['login time-out']} so far)"
            )
            self._conn.close()

    def begin_auth(self, username: str) -> bool:
        self.username = username
        # No authorized keys file: anyone may play, as with SSH games.
        return self.hub.config.authorized_keys is not None

    def public_key_auth_supported(self) -> bool:
        return self.hub.config.authorized_keys is not None

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def auth_completed(self) -> None:
        self.label = f"{self.label} user={self.username!r}"
        self.hub.log(f"login {self.label}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def session_requested(self) -> GameSession:
        if self.session is not None:
            self.hub.log(f"refuse {self.label}: second session")
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, terminal.ONE_SESSION
            )
        self.session = GameSession(self)
        return self.session

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int):  # type: ignore[override]
        return self._no_forwarding("port forwarding")

    def unix_connection_requested(self, dest_path: str):  # type: ignore[override]
        return self._no_forwarding("socket forwarding")

    def tun_requested(self, unit: int | None):  # type: ignore[override]
        return self._no_forwarding("tunnel")

    def tap_requested(self, unit: int | None):  # type: ignore[override]
        return self._no_forwarding("tunnel")

    def server_requested(self, listen_host: str, listen_port: int) -> bool:  # type: ignore[override]
        self.hub.log(f"refuse {self.label}: remote port forwarding")
        return False

    def unix_server_requested(self, listen_path: str) -> bool:  # type: ignore[override]
        self.hub.log(f"refuse {self.label}: remote socket forwarding")
        return False

    def _no_forwarding(self, what: str):
        self.hub.log(f"refuse {self.label}: {what}")
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, terminal.NO_FORWARDING
        )


class Hub:
    """The running server: its listener, sessions and the slots they hold."""

    def __init__(
        self,
        config: ServeConfig,
        host_key: asyncssh.SSHKey,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.host_key = host_key
        self.counter = itertools.count(1)
        c = config
        self.admission = Admission(
            c.per_source_startups,
            c.startups_start,
            c.startups_rate,
            c.startups_full,
            c.rate_burst,
            c.rate_per_minute,
        )
        # Cores this process may use (taskset counts): that many players start at once.
        self.starts = StartQueue(c.start_limit or len(os.sched_getaffinity(0)))
        self.counts: Counter[str] = Counter()
        self.sessions: set[GameSession] = set()
        self.connections: set[Connection] = set()
        self.slots_taken = 0
        self.stopping = False
        self._log = log or LOG.info
        self._server: asyncssh.SSHAcceptor | None = None
        self.fork_server: ForkServer | None = None
        self._fork_restart: asyncio.Task[None] | None = None
        self._fork_delay = config.fork_restart_delay
        self._fork_started_at = 0.0
        self.port = 0

    def log(self, line: str) -> None:
        self._log(line)

    def count(self, what: str) -> None:
        self.counts[what] += 1

    def take_slot(self) -> bool:
        if self.slots_taken >= self.config.max_sessions:
            return False
        self.slots_taken += 1
        return True

    def free_slot(self) -> None:
        self.slots_taken -= 1

    async def _start_fork_server(self) -> bool:
        c = self.config
        fork_server = ForkServer(on_lost=self._fork_server_lost)
        try:
            # A player's command, so that the fork server can run that app once first.
            warm_up = c.command(Player(name="warm-up", term=DEFAULT_TERM, cols=80, rows=24))
            await fork_server.start(child_environment(DEFAULT_TERM), warm_up)
        except (OSError, TimeoutError) as error:
            self.log(f"fork server unavailable ({error}); starting each player with exec")
            await fork_server.stop()
            return False
        if self.stopping:
            await fork_server.stop()
            return False
        self.fork_server = fork_server
        self._fork_started_at = time.monotonic()
        if fork_server.warning:
            self.log(f"fork server: {fork_server.warning}")
        self.log(f"fork server ready, pid={fork_server.pid}")
        return True

    def _fork_server_lost(self) -> None:
        if not self.stopping and self._fork_restart is None:
            self._fork_restart = asyncio.ensure_future(self._restart_fork_server())

    async def _restart_fork_server(self) -> None:
        """Reap the dead fork server (no zombie), then start another; until it is ready,
        players are exec'd. One that keeps dying is restarted less and less often."""
        try:
            old = self.fork_server
            if old is not None:
                self.log(f"fork server pid={old.pid} stopped; players are exec'd meanwhile")
                await old.stop()
            if time.monotonic() - self._fork_started_at < 60:
                self._fork_delay = min(60.0, max(self._fork_delay * 2, 1.0))
            else:
                self._fork_delay = self.config.fork_restart_delay
            await asyncio.sleep(self._fork_delay)
            if not self.stopping:
                await self._start_fork_server()
        finally:
            self._fork_restart = None

    async def start(self) -> int:
        c = self.config
        if c.prefork:
            await self._start_fork_server()
            self._fork_delay = c.fork_restart_delay
        authorized = str(c.authorized_keys) if c.authorized_keys else None
        self._server = await asyncssh.create_server(
            lambda: Connection(self),
            c.host,
            c.port,
            server_host_keys=[self.host_key],
            authorized_client_keys=authorized,
            login_timeout=c.login_timeout,
            keepalive_interval=c.keepalive_interval,
            keepalive_count_max=c.keepalive_count_max,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_pty=True,
            line_editor=False,
            encoding=None,
            allow_scp=False,
            # asyncssh's own banner would say which library serves; clients need nothing.
            server_version="letter-tui",
            # Room in the kernel's queue for a class connecting at once.
            backlog=max(128, c.startups_full),
        )
        sockets = self._server.sockets
        self.port = sockets[0].getsockname()[1] if sockets else c.port
        return self.port

    async def stop(self) -> None:
        """Drain: every player gets their terminal restored, a goodbye line and an exit
        status, and those reach the client (the channel is closed by both ends) before the
        connections close; all within `stop_timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.stop_timeout
        self.stopping = True
        if self._server is not None:
            self._server.close()
        if self._fork_restart is not None:
            self._fork_restart.cancel()
        # Nobody is playing on these: nothing to restore.
        for connection in list(self.connections):
            if connection.session is None or not connection.playing:
                connection.close()
        sessions = list(self.sessions)
        for session in sessions:
            session.end("server stopping", goodbye=terminal.SHUTTING_DOWN)
        if sessions:
            # Each game first (it may still be saving a score), then each channel.
            await _until(deadline - 1.0, *(s.wait_closed() for s in sessions))
        # No player will be forked any more; it exits once its socket closes.
        fork_server = None
        if self.fork_server is not None:
            fork_server = asyncio.ensure_future(self.fork_server.stop())
        if sessions:
            await _until(deadline - 0.3, *(s.wait_channel_closed() for s in sessions))
        for connection in list(self.connections):
            connection.close()
        if self._server is not None:
            await _until(deadline, self._server.wait_closed())
        if fork_server is not None:
            await _until(deadline, fork_server)
        self.log(f"stopped; counts: {dict(self.counts) or 'none'}")


async def _until(deadline: float, *waits: Awaitable[None]) -> None:
    """Wait for all of `waits`, or until the loop's clock reaches `deadline`."""
    timeout = max(0.0, deadline - asyncio.get_running_loop().time())
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*waits, return_exceptions=True), timeout)
