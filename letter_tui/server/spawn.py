"""Two ways to start a player's process on its pty: fork it from the fork server (fast,
shares the imports) or exec it through the launcher (the fallback, always available)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from letter_tui.server.config import Limits
from letter_tui.server.forkserver import MAX_MESSAGE, can_fork

LAUNCHER = str(Path(__file__).with_name("launcher.py"))
Started = tuple[int, Callable[[], Awaitable[int]]]  # pid, and how to get its exit status


def exec_spawn(
    argv: Sequence[str], env: dict[str, str], slave: int, cwd: Path, limits: Limits
) -> Started:
    launcher = [sys.executable, "-I", "-S", LAUNCHER]
    launcher += [str(x) for x in limit_values(limits)]
    proc = subprocess.Popen(
        [*launcher, "--", *argv],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )

    async def status() -> int:
        return proc.wait()  # called once the process has exited: does not block

    return proc.pid, status


class ForkServer:
    """The server's end of letter_tui.server.forkserver."""

    def __init__(self, on_lost: Callable[[], None] | None = None) -> None:
        self._on_lost = on_lost
        self._stopping = False
        self._sock: socket.socket | None = None
        self._proc: subprocess.Popen | None = None
        self._ids = 0
        self._pending: dict[int, asyncio.Future[int]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self.alive = False
        self.warning: str | None = None

    async def start(
        self, env: dict[str, str], warm_up: Sequence[str] = (), timeout: float = 60.0
    ) -> None:
        """Start it; with `warm_up` (a player's command) it runs that app once, headless,
        before it forks anyone. `warning` then says if that failed."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "letter_tui.server.forkserver",
                    str(theirs.fileno()),
                    json.dumps(list(warm_up)),
                ],
                pass_fds=[theirs.fileno()],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                cwd="/",
                start_new_session=True,  # ctrl+c in the teacher's terminal is the server's
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        self._sock = ours
        ready = await asyncio.wait_for(loop.sock_recv(ours, MAX_MESSAGE), timeout)
        if not ready:
            raise OSError("the fork server did not start")
        answer = json.loads(ready)
        if not answer.get("ready"):
            raise OSError(answer.get("error", "the fork server is not ready"))
        self.warning = answer.get("warning")
        self.alive = True
        loop.add_reader(ours, self._receive)

    def can_spawn(self, argv: Sequence[str]) -> bool:
        return self.alive and can_fork(list(argv))

    async def spawn(
        self, argv: Sequence[str], env: dict[str, str], slave: int, cwd: Path, limits: Limits
    ) -> Started:
        assert self._sock is not None
        loop = asyncio.get_running_loop()
        self._ids += 1
        request = {
            "id": self._ids,
            "argv": list(argv),
            "env": env,
            "cwd": str(cwd),
            "limits": limit_values(limits),
        }
        answer = self._pending[self._ids] = loop.create_future()
        socket.send_fds(self._sock, [json.dumps(request).encode()], [slave])
        pid = await asyncio.wait_for(answer, 10)
        exited = self._exits.setdefault(pid, loop.create_future())

        async def status() -> int:
            try:
                return await asyncio.wait_for(asyncio.shield(exited), 5)
            finally:
                self._exits.pop(pid, None)

        return pid, status

    def _receive(self) -> None:
        assert self._sock is not None
        try:
            data = self._sock.recv(MAX_MESSAGE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
            return
        message = json.loads(data)
        if "exit" in message:
            future = self._exits.setdefault(
                message["exit"], asyncio.get_running_loop().create_future()
            )
            if not future.done():
                future.set_result(message["status"])
        elif (future := self._pending.pop(message["id"], None)) is not None:
            if "pid" in message:
                future.set_result(message["pid"])
            else:
                future.set_exception(OSError(message.get("error", "fork failed")))

    def _lost(self) -> None:
        """The fork server is gone: new players are exec'd; running ones end as usual."""
        self.alive = False
        if self._sock is not None:
            asyncio.get_running_loop().remove_reader(self._sock)
        for future in [*self._pending.values(), *self._exits.values()]:
            if not future.done():
                if future in self._pending.values():
                    future.set_exception(OSError("the fork server stopped"))
                else:
                    future.set_result(1)
        self._pending.clear()
        if not self._stopping and self._on_lost is not None:
            self._on_lost()

    async def stop(self) -> None:
        """Close the control socket (the fork server exits) and reap the process."""
        self._stopping = True
        if self._sock is not None:
            self._lost()
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            for _ in range(100):
                if self._proc.poll() is not None:
                    return
                await asyncio.sleep(0.01)
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()
            self._proc.wait()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None


def limit_values(limits: Limits) -> list[int]:
    """The limits as the launcher's arguments and the fork server's request carry them."""
    return [limits.memory_mb, limits.open_files, limits.cpu_seconds, limits.nice]


def close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
