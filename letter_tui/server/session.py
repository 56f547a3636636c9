"""One SSH session: a player's terminal joined to their own process, or a refusal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from typing import TYPE_CHECKING

import asyncssh

from letter_tui.core.quiz import clean_name
from letter_tui.server import terminal
from letter_tui.server.config import Player, child_environment, term_for
from letter_tui.server.player import PlayerProcess, clamp_size

if TYPE_CHECKING:
    from letter_tui.server.server import Connection

EARLY_KEYS_MAX = 4096
# Textual's switch to the alternate screen: what follows it is the first frame.
ALT_SCREEN = b"\x1b[?1049h"
START_CHECK = 0.25  # seconds between looks at a starting player's CPU
START_JUDGED_AFTER = 0.5  # seconds of a start before its CPU share counts
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class GameSession(asyncssh.SSHServerSession[bytes]):
    """Accepts a terminal and a shell request; anything else is answered with one line and
    exit status 1. Ends once: the player quits, the app fails, the player leaves, the idle
    time-out fires or the server stops; the terminal is reset each time."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.hub = connection.hub
        self.label = connection.label
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term: str | None = None
        self._size = (80, 24)
        self._refusal: str | None = None
        self._refusal_log = ""
        self.process: PlayerProcess | None = None
        self._starting: asyncio.Future[None] | None = None
        self._early = bytearray()
        self._queued = False  # waiting for its turn to start (the hub's StartQueue)
        self._in_start = False  # holds one of the StartQueue's places
        self._start_timer: asyncio.TimerHandle | None = None
        self._turn_at = 0.0
        self._start_cpu: tuple[float, float] | None = None  # its CPU seconds, and when
        self._frame_bytes = -1  # output after the alternate-screen switch; -1 before it
        self._has_slot = False
        self._ending: str | None = None
        self._goodbye = ""
        self._status = 0
        self._started_at = 0.0
        self._last_key = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None
        self._max_timer: asyncio.TimerHandle | None = None
        self._resize_timer: asyncio.TimerHandle | None = None
        self._resized_at = 0.0
        self._resizes = [0, 0]  # asked for, applied
        loop = asyncio.get_running_loop()
        self._done = loop.create_future()
        self._chan_closed = loop.create_future()

    # asyncssh callbacks, in the order a client makes its requests

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:  # type: ignore[override]
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes
    ) -> bool:  # type: ignore[override]
        self._term = term_type
        self._size = clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to answer with a readable line and an exit status; the command is
        # not logged (it may hold anything) and never run.
        self._refusal, self._refusal_log = terminal.NO_COMMANDS, "command request"
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self._refusal, self._refusal_log = terminal.NO_SUBSYSTEMS, "subsystem request"
        return True

    def session_started(self) -> None:
        if self._refusal is None and self._term is None:
            self._refusal, self._refusal_log = terminal.NEEDS_TERMINAL, "no terminal"
        if self._refusal is None and self.hub.stopping:
            self._refusal, self._refusal_log = terminal.SHUTTING_DOWN, "server stopping"
        if self._refusal is None and not self.hub.take_slot():
            self._refusal, self._refusal_log = terminal.SERVER_FULL, "server full"
        if self._refusal is not None:
            self.hub.log(f"refuse {self.label}: {self._refusal_log}")
            self._refuse(self._refusal)
            return
        self._has_slot = True
        self.connection.game_started()
        # Counted at once: a stop signal from now on must find this player.
        self.hub.sessions.add(self)
        self._start()

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        self._last_key = time.monotonic()
        if self.process is None:
            # Typed (or a terminal's replies) while the process is being started: kept
            # for it, within reason.
            if len(self._early) < EARLY_KEYS_MAX:
                self._early += data[: EARLY_KEYS_MAX - len(self._early)]
            return
        if not self.process.write(data) and self._chan:
            # The app is not reading: stop reading the client until its keys drain.
            self._chan.pause_reading()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        # Coalesced: a client sending sizes as fast as it can would make the app redraw
        # as fast as it can. At most one a `resize_interval`; the last one always lands.
        self._size = clamp_size(width, height)
        self._resizes[0] += 1
        if self.process is None or self._resize_timer is not None:
            return
        wait = self._resized_at + self.hub.config.resize_interval - time.monotonic()
        if wait <= 0:
            self._apply_size()
        else:
            self._resize_timer = asyncio.get_running_loop().call_later(wait, self._apply_size)

    def _apply_size(self) -> None:
        self._resize_timer = None
        self._resized_at = time.monotonic()
        if self.process is not None:
            self._resizes[1] += 1
            self.process.resize(*self._size)

    def eof_received(self) -> bool:
        # `ssh -tt < file` sends EOF at once; the game goes on until the player quits.
        return True

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        """Clients may not signal the player's process."""

    def pause_writing(self) -> None:
        if self.process is not None:
            self.process.pause_output()

    def resume_writing(self) -> None:
        if self.process is not None:
            self.process.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        # Covers a clean close, ConnectionLost, ConnectionResetError and any other OSError.
        self._chan = None
        if not self._chan_closed.done():
            self._chan_closed.set_result(None)
        reason = "client disconnected" if exc is None else f"connection lost ({_brief(exc)})"
        self.end(reason)

    # the player's process

    def _start(self) -> None:
        self._starting = asyncio.ensure_future(self._start_process())

    async def _start_process(self) -> None:
        # A class connecting at once starts a few at a time (see StartQueue); keys typed
        # meanwhile wait in `_early`, a resize in `_size`.
        self._queued = True
        starts = self.hub.starts
        if starts.starting >= starts.limit or starts.waiting:
            self.hub.log(
                f"session waits {self.label}: {starts.starting} starting, "
                f"{starts.waiting} waiting before it"
            )
        try:
            waited = await starts.enter()
        except asyncio.CancelledError:  # the player left or the server stopped meanwhile
            self._queued = False
            self._starting = None
            self._finish()
            return
        self._queued = False
        self._in_start = True
        if waited:
            self.hub.count("waited to start")
        self._turn_at = time.monotonic()
        self._start_timer = asyncio.get_running_loop().call_later(START_CHECK, self._check_start)
        player = Player(
            name=clean_name(self.connection.username),
            term=term_for(self._term),
            cols=self._size[0],
            rows=self._size[1],
        )
        config = self.hub.config
        try:
            self.process = await PlayerProcess.start(
                list(config.command(player)),
                child_environment(player.term),
                player.cols,
                player.rows,
                config.limits,
                config.cwd or config.data_dir,
                self.hub.fork_server,
                on_output=self._output,
                on_exit=self._exited,
                on_drained=self._resume_input,
            )
        except Exception as error:
            self.hub.log(f"session fail {self.label}: cannot start the game: {error}")
            self._leave_start()
            self._release()
            self._refuse(terminal.CRASHED, status=1)
            return
        self._started_at = self._last_key = time.monotonic()
        self._start_cpu = (0.0, self._started_at)  # a forked or exec'd process starts at 0
        if self._size != (player.cols, player.rows):  # resized while it started
            self.process.resize(*self._size)
        if self._early:
            self.process.write(bytes(self._early))
            self._early.clear()
        how = "forked" if self.hub.fork_server and self.hub.fork_server.alive else "exec"
        self.hub.log(
            f"session start {self.label} name={player.name!r} {player.cols}x{player.rows} "
            f"TERM={player.term} pid={self.process.pid} ({how})"
        )
        if self._ending is not None:  # the player left or the server stopped meanwhile
            self.process.terminate(self.hub.config.kill_grace)
            return
        loop = asyncio.get_running_loop()
        if config.idle_timeout > 0:
            self._idle_timer = loop.call_later(config.idle_timeout, self._check_idle)
        if config.max_session > 0:
            self._max_timer = loop.call_later(config.max_session, self._too_long)

    def _output(self, data: bytes) -> None:
        if self._in_start:
            self._watch_first_frame(data)
        if self._chan is not None:
            try:
                self._chan.write(data)
            except (OSError, asyncssh.Error) as error:  # the channel is closing under us
                self._chan = None
                self.end(f"connection lost ({_brief(error)})")

    def _watch_first_frame(self, data: bytes) -> None:
        """The start is over once a screenful follows the alternate-screen switch (half
        the cells in bytes: a Textual frame is several times that, its set-up ~140 bytes)."""
        if self._frame_bytes < 0:
            at = data.find(ALT_SCREEN)
            if at < 0:
                return
            data = data[at + len(ALT_SCREEN) :]
            self._frame_bytes = 0
        self._frame_bytes += len(data)
        if self._frame_bytes >= self._size[0] * self._size[1] // 2:
            elapsed = time.monotonic() - self._started_at
            self.hub.log(f"first frame {self.label} after {elapsed:.2f} s")
            self._leave_start()

    def _check_start(self) -> None:
        """A start gives way to the next one when it is not using its place: past its
        deadline, or getting less than `start_min_cpu` of a core (the machine is busy with
        other work, or the app waits). Without this the queue would hold players back
        while the cores serve others (measured once under other engineers' load, with a
        deadline only: 30 players' median first frame 30 s, against 10 s unqueued)."""
        self._start_timer = None
        if not self._in_start:
            return
        config = self.hub.config
        now = time.monotonic()
        if now - self._turn_at >= config.start_deadline:
            self.hub.count("start past its deadline")
            self.hub.log(
                f"session slow {self.label}: no first frame within "
                f"{config.start_deadline:g} s; the next player starts"
            )
            self._leave_start()
            return
        cpu = _cpu_seconds(self.process.pid) if self.process is not None else None
        if cpu is not None and self._start_cpu is not None and config.start_min_cpu > 0:
            used, since = self._start_cpu
            # Over its whole start, and not before half a second: a burst's own SSH
            # handshakes take a core for a moment, and the clock ticks of /proc are 10 ms.
            if now - since >= START_JUDGED_AFTER and cpu - used < config.start_min_cpu * (
                now - since
            ):
                self.hub.count("start gave way")
                self._leave_start()
                return
        wait = min(START_CHECK, self._turn_at + config.start_deadline - now)
        self._start_timer = asyncio.get_running_loop().call_later(wait, self._check_start)

    def _leave_start(self) -> None:
        """First frame out, deadline passed, start failed or session over: next one's turn."""
        if self._start_timer is not None:
            self._start_timer.cancel()
            self._start_timer = None
        if self._in_start:
            self._in_start = False
            self.hub.starts.leave()

    def _check_idle(self) -> None:
        timeout = self.hub.config.idle_timeout
        quiet = time.monotonic() - self._last_key
        if quiet < timeout:
            self._idle_timer = asyncio.get_running_loop().call_later(
                timeout - quiet, self._check_idle
            )
            return
        self.hub.log(f"timeout {self.label}: no key for {timeout:g} s")
        self.end("idle time-out", goodbye=terminal.idle_goodbye(timeout))

    def _too_long(self) -> None:
        limit = self.hub.config.max_session
        self.hub.count("session limit")
        self.hub.log(f"timeout {self.label}: session limit of {limit:g} s")
        self.end("session limit", goodbye=terminal.session_goodbye(limit))

    def end(self, reason: str, goodbye: str = "", status: int = 0) -> None:
        """Stop the player's process; the channel closes once it is gone."""
        if self._ending is not None:
            if self._chan is None and self.process is not None:
                self.process.terminate(self.hub.config.kill_grace)
            return
        self._ending, self._goodbye, self._status = reason, goodbye, status
        self._cancel_timers()
        if self.process is not None and self.process.running:
            self.process.terminate(self.hub.config.kill_grace)
        elif self.process is None and self._starting is None:
            self._finish()
        elif self._queued and self._starting is not None:
            self._starting.cancel()  # not started yet: give up its place in the queue

    def _exited(self, returncode: int) -> None:
        if self._ending is None:
            if returncode == 0:
                self._ending = "quit (status 0)"
            elif returncode < 0:
                self._ending = f"game killed by signal {-returncode}"
                self._goodbye, self._status = terminal.CRASHED, 1
            else:
                self._ending = f"game exited with status {returncode}"
                self._goodbye, self._status = terminal.CRASHED, returncode
        self._finish()

    def _cancel_timers(self) -> None:
        for timer in (self._idle_timer, self._max_timer, self._resize_timer):
            if timer is not None:
                timer.cancel()

    def _finish(self) -> None:
        self._cancel_timers()
        self._leave_start()
        if self.process is not None:
            elapsed = time.monotonic() - self._started_at
            self.hub.log(
                f"session end {self.label} pid={self.process.pid} after {elapsed:.1f} s: "
                f"{self._ending}; resizes {self._resizes[1]} applied of {self._resizes[0]}"
            )
        self._release()
        if self._chan is not None:
            chan, self._chan = self._chan, None
            with contextlib.suppress(Exception):
                chan.write(terminal.RESET)
                if self._goodbye:
                    chan.write(terminal.line(self._goodbye))
                chan.exit(self._status)
        if not self._done.done():
            self._done.set_result(None)

    async def wait_closed(self) -> None:
        """Until the game is over and its goodbye is queued on the channel."""
        await self._done

    async def wait_channel_closed(self) -> None:
        """Until the client has the goodbye and exit status: both ends closed the channel."""
        await self._chan_closed

    def _release(self) -> None:
        self.hub.sessions.discard(self)
        if self._has_slot:
            self._has_slot = False
            self.hub.free_slot()

    def _refuse(self, message: str, status: int = 1) -> None:
        if self._chan is not None:
            chan, self._chan = self._chan, None
            end = "\r\n" if self._term is not None else "\n"
            with contextlib.suppress(Exception):
                chan.write_stderr(f"{message}{end}".encode())
                chan.exit(status)
        if not self._done.done():
            self._done.set_result(None)

    def _resume_input(self) -> None:
        if self._chan is not None:
            self._chan.resume_reading()


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far, from /proc (None where there is none)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


def _brief(error: BaseException) -> str:
    return type(error).__name__ + (f": {error}" if str(error) else "")
