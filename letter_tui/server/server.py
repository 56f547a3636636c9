"""The SSH side: who may connect, how often, and what they may ask for."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable

import asyncssh

from letter_tui.server import terminal
from letter_tui.server.config import DEFAULT_TERM, ServeConfig, child_environment
from letter_tui.server.session import GameSession
from letter_tui.server.spawn import ForkServer

LOG = logging.getLogger("letter_tui.server")


class RateLimiter:
    """A token bucket per address: `burst` new connections at once, then `per_minute`."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic):
        self.burst, self.rate, self.clock = burst, per_minute / 60.0, clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, address: str) -> bool:
        now = self.clock()
        tokens, then = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[address] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 10_000:  # forget full buckets: they behave as new ones
            full = [a for a, (t, _) in self._buckets.items() if t >= self.burst - 1]
            for a in full:
                del self._buckets[a]
        return allowed


class Connection(asyncssh.SSHServer):
    """One client connection: at most one session, no forwarding of any kind."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.number = next(hub.counter)
        self.label = f"#{self.number}"
        self.username = ""
        self.session: GameSession | None = None
        self._conn: asyncssh.SSHServerConnection | None = None
        self._limited = False
        self._crowded = False
        self._session_timer: asyncio.TimerHandle | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:  # type: ignore[override]
        self._conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.label = f"#{self.number} {peer[0]}:{peer[1]}"
        self._limited = not self.hub.limiter.allow(str(peer[0]))
        self._crowded = len(self.hub.connections) >= self.hub.config.connection_cap
        self.hub.connections.add(self)
        self.hub.log(f"connect {self.label}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.hub.connections.discard(self)
        if self._session_timer is not None:
            self._session_timer.cancel()
        how = "" if exc is None else f" ({type(exc).__name__})"
        self.hub.log(f"disconnect {self.label}{how}")

    def begin_auth(self, username: str) -> bool:
        self.username = username
        if self._limited and self._conn is not None:
            self.hub.log(f"refuse {self.label}: rate limit")
            self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, terminal.RATE_LIMITED)
            return True
        if self._crowded and self._conn is not None:
            self.hub.log(f"refuse {self.label}: too many connections")
            self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, terminal.SERVER_FULL)
            return True
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
        # A connection that never opens a session should not hold a socket forever.
        self._session_timer = asyncio.get_running_loop().call_later(
            self.hub.config.login_timeout, self._no_session
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _no_session(self) -> None:
        if self.session is None and self._conn is not None:
            self.hub.log(f"timeout {self.label}: no session opened")
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
        self.limiter = RateLimiter(config.rate_burst, config.rate_per_minute)
        self.sessions: set[GameSession] = set()
        self.connections: set[Connection] = set()
        self.slots_taken = 0
        self.stopping = False
        self._log = log or LOG.info
        self._server: asyncssh.SSHAcceptor | None = None
        self.fork_server: ForkServer | None = None
        self.port = 0

    def log(self, line: str) -> None:
        self._log(line)

    def take_slot(self) -> bool:
        if self.slots_taken >= self.config.max_sessions:
            return False
        self.slots_taken += 1
        return True

    def free_slot(self) -> None:
        self.slots_taken -= 1

    async def start(self) -> int:
        c = self.config
        if c.prefork:
            fork_server = ForkServer()
            try:
                await fork_server.start(child_environment(DEFAULT_TERM))
            except (OSError, TimeoutError) as error:
                self.log(f"fork server unavailable ({error}); starting each player with exec")
                await fork_server.stop()
            else:
                self.fork_server = fork_server
                self.log(f"fork server ready, pid={fork_server.pid}")
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
        )
        sockets = self._server.sockets
        self.port = sockets[0].getsockname()[1] if sockets else c.port
        return self.port

    async def stop(self, timeout: float = 3.0) -> None:
        """End every session (restoring each player's terminal), then every connection."""
        self.stopping = True
        if self._server is not None:
            self._server.close()
        sessions = list(self.sessions)
        for session in sessions:
            session.end("server stopping", goodbye=terminal.SHUTTING_DOWN)
        if sessions:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(s.wait_closed() for s in sessions)), timeout
                )
        # Let the goodbye lines and exit statuses leave before the sockets close.
        await asyncio.sleep(0.05)
        for connection in list(self.connections):
            connection.close()
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), timeout)
        if self.fork_server is not None:
            await self.fork_server.stop()
