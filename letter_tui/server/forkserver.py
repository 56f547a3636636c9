"""The fork server: a process that imports Python, NumPy and Textual once and forks a
player's process from itself for each session, so a class connecting at once does not
pay the imports thirty times over (on 2 cores: ~7 s for 30 players become under 2).
Given a player's command (the remote quiz), it first runs that app once, headless, to its
first frame (letter_tui.app.warm), so that players inherit what that leaves behind.

Run by the server as `python -m letter_tui.server.forkserver FD [COMMAND-JSON]`, with
the fixed player environment and nothing else. It is single-threaded, so forking it is
safe. Requests come over a SOCK_SEQPACKET socket with the player's pty slave attached
(SCM_RIGHTS):

    {"id": N, "argv": [...], "env": {...}, "cwd": "...", "limits": [mb, files, cpu_s, nice]}

and it answers {"id": N, "pid": P} (or "error"), later {"exit": P, "status": S} with
the status as `subprocess` gives it (negative: killed by that signal).

Only commands `[sys.executable, "-m", MODULE, ...]` and `[sys.executable, SCRIPT, ...]`
are forked; anything else is the caller's to exec.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import importlib
import io
import json
import os
import resource
import runpy
import selectors
import signal
import socket
import sys
import termios
import threading
import traceback

from letter_tui.server.launcher import apply_limits

PRELOAD = (
    "numpy",
    "numpy.random",
    "rich.text",
    "textual.app",
    "textual.widgets",
    "textual.drivers.linux_driver",
    "textual.layouts.horizontal",
    "letter_tui.core.network",
    "letter_tui.core.model_io",
    "letter_tui.core.training",
    "letter_tui.cli",
    # What `python -m letter_tui quiz` imports to read its command line: imported after the
    # fork, each player paid their CPU and kept their own copy (about 0.4 MB).
    "letter_tui.cli.parser",
    "letter_tui.cli.commands",
    "letter_tui.cli.explain",
    "letter_tui.cli.scores",
    # The app, once merged: its screens are what a player's process imports.
    "letter_tui.app.app",
    "letter_tui.app.launch",
    "letter_tui.app.screens.quiz",
)
# Widgets `textual.widgets` loads only on first use, by their public names: the quiz's own.
PRELOAD_WIDGETS = ("ContentSwitcher", "Label", "OptionList", "ProgressBar")
MAX_MESSAGE = 1 << 20


def can_fork(argv: list[str]) -> bool:
    if len(argv) < 2 or argv[0] != sys.executable:
        return False
    if argv[1] == "-m":
        return len(argv) >= 3
    return not argv[1].startswith("-")


def preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        widgets = importlib.import_module("textual.widgets")
        for name in PRELOAD_WIDGETS:
            getattr(widgets, name)


def warm(argv: list[str]) -> str | None:
    """Run the player's app once, headless (see letter_tui.app.warm); a sentence saying
    why not when it failed (players are still forked, only slower to their first frame)."""
    # The one place the server reaches into the app: the fork server's whole job is to hold
    # the player's app preloaded, and this is its single entry point for that.
    import letter_tui.app.warm as warming

    if not warming.is_quiz(argv):
        return None
    try:
        warming.warm_up(argv)
    except BaseException as error:  # a warm-up never stops the fork server
        return f"warm-up failed: {type(error).__name__}: {error}"
    return None


def _stdio() -> None:
    """Fresh standard streams on the pty, as Python makes them at start-up for a terminal."""

    def text(fd: int, mode: str, errors: str) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        buffered = io.BufferedWriter(raw) if mode == "w" else io.BufferedReader(raw)
        return io.TextIOWrapper(buffered, encoding="utf-8", errors=errors, line_buffering=True)

    sys.stdin = sys.__stdin__ = text(0, "r", "strict")
    sys.stdout = sys.__stdout__ = text(1, "w", "strict")
    sys.stderr = sys.__stderr__ = text(2, "w", "backslashreplace")


def _become_player(request: dict, slave: int, keep: int) -> None:
    """In the forked child: the session, terminal, limits and environment the exec path
    gives, then the command's module or script as __main__. Never returns."""
    status = 1
    try:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.closerange(3, keep)  # the control socket, the selector, the pty slave copy
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.set_wakeup_fd(-1)
        apply_limits(*request["limits"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        # Each player draws their own random letters and noise.
        if "numpy.random" in sys.modules:
            sys.modules["numpy.random"].seed()
        _stdio()
        argv = request["argv"]
        if argv[1] == "-m":
            sys.argv = [argv[2], *argv[3:]]
            runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        else:
            sys.argv = argv[1:]
            runpy.run_path(argv[1], run_name="__main__")
        status = 0
    except SystemExit as stop:
        if stop.code is None:
            status = 0
        elif isinstance(stop.code, int):
            status = stop.code
        else:
            print(stop.code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status & 0xFF)


def _status(wait_status: int) -> int:
    if os.WIFSIGNALED(wait_status):
        return -os.WTERMSIG(wait_status)
    return os.waitstatus_to_exitcode(wait_status)


def serve(control: socket.socket) -> None:
    keep = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    keep = min(keep, 65536) if keep != resource.RLIM_INFINITY else 65536
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    # The server decides when this ends: by closing the socket.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, "request")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    children: set[int] = set()

    def send(message: dict) -> None:
        control.sendall(json.dumps(message).encode())

    while True:
        for key, _ in selector.select():
            if key.data == "child":
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
                while children:
                    try:
                        pid, wait_status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    children.discard(pid)
                    send({"exit": pid, "status": _status(wait_status)})
                continue
            message, fds, _flags, _addr = socket.recv_fds(control, MAX_MESSAGE, 1)
            if not message:
                return
            request = json.loads(message)
            slave = fds[0] if fds else -1
            try:
                pid = os.fork()
            except OSError as error:
                send({"id": request["id"], "error": str(error)})
                os.close(slave)
                continue
            if pid == 0:
                _become_player(request, slave, keep)
            os.close(slave)
            children.add(pid)
            send({"id": request["id"], "pid": pid})


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    preload()
    problem = warm(json.loads(sys.argv[2])) if len(sys.argv) > 2 else None
    if threading.active_count() > 1:
        # Forking a process with threads can deadlock the child: let the server exec.
        control.sendall(b'{"ready": false, "error": "a preloaded module started a thread"}')
        return
    # Keep the garbage collector off the preloaded objects so forked players share them.
    gc.collect()
    gc.freeze()
    control.sendall(json.dumps({"ready": True, "warning": problem}).encode())
    serve(control)


if __name__ == "__main__":
    main()
