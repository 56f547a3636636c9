"""Where a forked player's own memory goes, page by page.

Does what the fork server does (preload, warm up the remote quiz, `gc.freeze()`), forks one
player into a pseudo-terminal the way the server would, lets it draw and idle for a while,
then reads both processes' page tables (/proc/PID/pagemap; Linux, as root to see the
physical page numbers) and sorts each page the player has:

- shared: the same physical page as the fork server's (costs the player 1/N of a page);
- copied: a page the fork server has too, which the player wrote to, so it has its own copy;
- new: a page only the player has.

It also counts the functions the player ran and the pages their code objects lie on (writing
a reference count dirties a page). Used for the "How many players" figures in the README.

    sudo python benchmarks/fork_pages.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import os
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from collections import Counter
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def pages(pid: int) -> dict[int, tuple[int, str]]:
    """Address -> (physical page number, mapping name) of every present writable page."""
    found: dict[int, tuple[int, str]] = {}
    maps = [line.split() for line in Path(f"/proc/{pid}/maps").read_text().splitlines()]
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for fields in maps:
            if "w" not in fields[1]:
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else "[anonymous]"
            pagemap.seek(start // PAGE * 8)
            raw = pagemap.read((end - start) // PAGE * 8)
            for i in range(0, len(raw), 8):
                entry = int.from_bytes(raw[i : i + 8], "little")
                if entry >> 63:  # present
                    found[start + i // 8 * PAGE] = (entry & ((1 << 55) - 1), name)
    return found


def private_dirty_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the player runs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("fork_pages.py: run as root: /proc/PID/pagemap hides page numbers otherwise")

    from letter_tui.core import model_io
    from letter_tui.core.alphabet import load_bundled
    from letter_tui.core.training import TrainingRun, default_settings
    from letter_tui.server import forkserver

    data = tempfile.mkdtemp(prefix="letter-tui-bench-")
    abc = load_bundled("abc")
    run = TrainingRun(abc, default_settings(abc))
    for _ in run.run():
        pass
    model_io.save_model(run.model(), model_io.model_path(Path(data), "abc"))
    argv = [sys.executable, "-m", "letter_tui", "quiz", "--remote", "--name=bench"]
    argv += [f"--data-dir={data}"]

    forkserver.preload()
    problem = forkserver.warm(argv)
    if problem:
        sys.exit(f"fork_pages.py: {problem}")
    gc.collect()
    gc.freeze()
    report = tempfile.mktemp(suffix=".txt")
    pid, fd = os.forkpty()
    if pid == 0:  # the player
        import runpy

        ran: dict[int, object] = {}

        def count(frame, event, arg):
            if event == "call":
                ran[id(frame.f_code)] = frame.f_code

        def write_report(*_: object) -> None:
            sys.setprofile(None)
            codes = list(ran)
            lines = len({address // PAGE for address in codes})
            Path(report).write_text(f"{len(codes)} {lines}\n")

        signal.signal(signal.SIGUSR1, write_report)
        os.environ.update(TERM="xterm-256color")
        sys.setprofile(count)
        sys.argv = argv[2:]
        runpy.run_module("letter_tui", run_name="__main__", alter_sys=True)
        os._exit(0)

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    deadline = time.monotonic() + args.seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([fd], [], [], left)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                sys.exit("fork_pages.py: the player ended early")
    mine, theirs = pages(os.getpid()), pages(pid)
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + 5
    while not Path(report).exists() or not Path(report).read_text():
        if time.monotonic() > deadline:
            break
        if select.select([fd], [], [], 0.05)[0]:
            os.read(fd, 65536)
    kinds: Counter[str] = Counter()
    for address, (frame, name) in theirs.items():
        if address not in mine:
            kinds[f"new      {name}"] += 1
        elif mine[address][0] == frame:
            kinds["shared"] += 1
        else:
            kinds[f"copied   {name}"] += 1
    print(f"the player after {args.seconds:g} s: private dirty {private_dirty_mb(pid):.1f} MB")
    for what, count in kinds.most_common(8):
        print(f"  {count * PAGE / 2**20:6.1f} MB  {what}")
    text = Path(report).read_text().split() if Path(report).exists() else []
    if len(text) == 2:
        functions, code_pages = map(int, text)
        print(f"  it ran {functions} functions, whose code objects lie on {code_pages} pages "
              f"({code_pages * PAGE / 2**20:.1f} MB)")  # fmt: skip
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
