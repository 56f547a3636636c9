"""Start-to-first-frame of `letter-tui` against a bare Textual app with a Header and a Footer.

Both run in a real pseudo-terminal at 80x24, alternately, in the same run; the first frame is
when the Footer's "palette" is on the screen (read with pyte). Target (issue 12): Home within 1.2x.

    python benchmarks/app_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

BARE = """
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()

Bare().run()
"""


def first_frame(argv: list[str], env: dict[str, str], needle: str = "^p palette") -> float:
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    proc = PtyProcess.spawn(argv, env=env, dimensions=(24, 80))
    try:
        while time.perf_counter() - start < 30:
            if select.select([proc.fd], [], [], 0.05)[0]:
                stream.feed(proc.read(65536))
                if any(needle in line for line in screen.display):
                    return time.perf_counter() - start
        raise RuntimeError(f"no first frame from {argv}")
    finally:
        proc.terminate(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    data = tempfile.mkdtemp(prefix="letter-tui-bench-")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", LETTER_TUI_DATA_DIR=data)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as bare:
        bare.write(BARE)
    commands = {
        "bare Textual app (Header+Footer)": [sys.executable, bare.name],
        "letter-tui (home)": [str(bindir / "letter-tui")],
        "letter-tui draw": [str(bindir / "letter-tui"), "draw"],
    }
    for argv in commands.values():  # warm the file cache and the data dir
        first_frame(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            times[name].append(first_frame(argv, env))
    base = statistics.median(times["bare Textual app (Header+Footer)"])
    print(f"start to first frame, median of {args.runs} runs each, 80x24 pty")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:34} {median * 1000:7.1f} ms   {median / base:4.2f}x")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    os.unlink(bare.name)


if __name__ == "__main__":
    main()
