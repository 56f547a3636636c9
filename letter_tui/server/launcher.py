"""Started as `python -I -S launcher.py MEM_MB NOFILE CPU_S NICE -- ARGV...` in a new session
whose standard streams are the player's pseudo-terminal.

It makes that terminal the controlling one (so window resizes reach the app as SIGWINCH),
applies the per-session limits, then becomes the app. Doing this in a launcher rather than
in `preexec_fn` keeps the forking server safe while it has threads. Standard library only.
"""

import fcntl
import os
import resource
import sys
import termios


def apply_limits(memory_mb: int, open_files: int, cpu_seconds: int, nice: int = 0) -> None:
    """A player's per-session limits: no core dumps, open files, (0: none) memory and CPU,
    and a lower CPU priority. Shared with the fork server, which applies them in a forked
    player."""
    if nice:
        os.nice(nice)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def main(argv: list[str]) -> None:
    memory_mb, open_files, cpu_seconds, nice = (int(x) for x in argv[1:5])
    command = argv[6:]
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    apply_limits(memory_mb, open_files, cpu_seconds, nice)
    try:
        os.execve(command[0], command, os.environ)
    except OSError as error:
        os.write(2, f"letter-tui: cannot start the game: {error.strerror}\r\n".encode())
        os._exit(127)


if __name__ == "__main__":
    main(sys.argv)
