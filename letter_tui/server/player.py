"""One player's process: the app on its own pseudo-terminal, in its own session."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import signal
import struct
import termios
import tty
from collections.abc import Callable, Sequence
from pathlib import Path

from letter_tui.server.config import Limits
from letter_tui.server.spawn import ForkServer, Started, exec_spawn

MAX_COLS, MAX_ROWS = 1000, 500
INPUT_HIGH_WATER = 64 * 1024


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A size the app can draw: `ssh -tt` from a pipe reports 0x0, which means 80x24;
    an absurd size from a hostile client is capped so the app cannot be made to allocate
    gigabytes of screen."""
    if cols <= 0 or rows <= 0:
        return 80, 24
    return min(cols, MAX_COLS), min(rows, MAX_ROWS)


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _quiet_terminal(fd: int) -> None:
    """Raw input before the app starts: without it the line discipline echoes keys and
    terminal replies typed during start-up back to the player as garbage. Output keeps
    newline translation so anything printed after the app exits still reads well."""
    tty.setraw(fd)
    mode = termios.tcgetattr(fd)
    mode[1] |= termios.OPOST | termios.ONLCR
    termios.tcsetattr(fd, termios.TCSANOW, mode)


class PlayerProcess:
    """A player's app on its own pty, pumping bytes between it and the caller.

    `on_output(bytes)` receives the app's output; `on_exit(returncode)` is called once,
    after the whole process group is gone. Start one with `await PlayerProcess.start(...)`.
    """

    def __init__(
        self,
        master: int,
        started: Started,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
        on_drained: Callable[[], None] | None = None,
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._on_output = on_output
        self._on_exit = on_exit
        self._on_drained = on_drained
        self._pending = bytearray()
        self._reading = True
        self._kill_timer: asyncio.TimerHandle | None = None
        self.returncode: int | None = None
        self._exiting = False
        self.pid, self._status = started
        self._master = master
        os.set_blocking(master, False)
        try:
            self._pidfd = os.pidfd_open(self.pid)
        except ProcessLookupError:  # gone already: the exit path below still runs
            self._pidfd = -1
        self._loop.add_reader(master, self._read)
        if self._pidfd >= 0:
            self._loop.add_reader(self._pidfd, self._leader_exited)
        else:
            self._loop.call_soon(self._leader_exited)

    @classmethod
    async def start(
        cls,
        argv: Sequence[str],
        env: dict[str, str],
        cols: int,
        rows: int,
        limits: Limits,
        cwd: Path,
        fork_server: ForkServer | None,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
        on_drained: Callable[[], None] | None = None,
    ) -> PlayerProcess:
        master, slave = os.openpty()
        try:
            _quiet_terminal(slave)
            _set_size(master, *clamp_size(cols, rows))
            if fork_server is not None and fork_server.can_spawn(argv):
                started = await fork_server.spawn(argv, env, slave, cwd, limits)
            else:
                started = exec_spawn(argv, env, slave, cwd, limits)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return cls(master, started, on_output, on_exit, on_drained)

    @property
    def running(self) -> bool:
        return self.returncode is None

    def resize(self, cols: int, rows: int) -> None:
        """The kernel sends SIGWINCH to the app: the pty is its controlling terminal."""
        if self.running:
            with contextlib.suppress(OSError):
                _set_size(self._master, *clamp_size(cols, rows))

    def write(self, data: bytes) -> bool:
        """Queue keys for the app; False when the caller should pause its input."""
        if not self.running:
            return True
        if self._pending:
            self._pending += data
        else:
            self._pending = bytearray(data)
            self._flush()
        return len(self._pending) < INPUT_HIGH_WATER

    def _flush(self) -> None:
        try:
            written = os.write(self._master, self._pending)
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending.clear()
            self._loop.remove_writer(self._master)
            return
        was_full = len(self._pending) >= INPUT_HIGH_WATER
        del self._pending[:written]
        if self._pending:
            self._loop.add_writer(self._master, self._flush)
        else:
            self._loop.remove_writer(self._master)
        if was_full and len(self._pending) < INPUT_HIGH_WATER and self._on_drained:
            self._on_drained()

    def pause_output(self) -> None:
        if self._reading and self.running:
            self._loop.remove_reader(self._master)
            self._reading = False

    def resume_output(self) -> None:
        if not self._reading and self.running:
            self._loop.add_reader(self._master, self._read)
            self._reading = True

    def _read(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except BlockingIOError:
            return
        except OSError as error:
            # EIO: every copy of the slave is closed; the exit callback finishes up.
            if error.errno == errno.EIO:
                self._loop.remove_reader(self._master)
                self._reading = False
                return
            raise
        if data:
            self._on_output(data)

    def terminate(self, grace: float) -> None:
        """SIGHUP to the whole group (what a closed terminal sends), SIGKILL after `grace`."""
        if not self.running:
            return
        self._signal_group(signal.SIGHUP)
        if self._kill_timer is None:
            self._kill_timer = self._loop.call_later(grace, self._signal_group, signal.SIGKILL)

    def _signal_group(self, signum: int) -> None:
        # The leader is not reaped before this runs, so its id still names the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)

    def _leader_exited(self) -> None:
        if self._exiting:
            return
        self._exiting = True
        if self._pidfd >= 0:
            self._loop.remove_reader(self._pidfd)
        # Output written just before exiting is still in the pty: pass it on.
        if self._reading:
            for _ in range(64):
                try:
                    data = os.read(self._master, 65536)
                except OSError:
                    break
                if not data:
                    break
                self._on_output(data)
        # Anything the app left behind in its group goes with it (the leader is not yet
        # reaped, so its id still names the group); then collect its status.
        self._signal_group(signal.SIGKILL)
        self._loop.create_task(self._reap())

    async def _reap(self) -> None:
        try:
            self.returncode = await self._status()
        except Exception:
            self.returncode = 1
        if self._kill_timer is not None:
            self._kill_timer.cancel()
        self._close()
        self._on_exit(self.returncode)

    def _close(self) -> None:
        if self._reading:
            self._loop.remove_reader(self._master)
            self._reading = False
        self._loop.remove_writer(self._master)
        os.close(self._master)
        if self._pidfd >= 0:
            os.close(self._pidfd)
