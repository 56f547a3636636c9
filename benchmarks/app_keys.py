"""Key-to-screen-update latency of Draw and the quiz, measured inside the app, in a real
pseudo-terminal.

Each space press toggles a pixel: Draw redraws the grid and recomputes the live guess with a
trained model. In the remote quiz (as `letter-tui serve` runs it) each "k" is a key that names
no letter: the quiz writes its hint line. Its CPU is what each of a class typing at once
costs the server's cores.

The clock starts when Textual creates the key event (the moment the key reaches the app,
`Key.time`) and stops when the frame that follows has been written to the terminal
(`App._display` returns). Pilot is not used: its own waits say nothing about the app.
The same harness measures a bare Textual app that updates one Static per key, as a floor.
Target: median under 16 ms (one frame at 60 Hz).

    python benchmarks/app_keys.py [--presses 200] [--gap 0.03]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import sys
import tempfile
import time
from pathlib import Path
from time import monotonic, thread_time

CHILD = "--child"
KEYS = {"bare": "space", "letter-tui": "space", "quiz": "k"}
READY = {"bare": "presses: 0", "letter-tui": "Top guess", "quiz": "Press the key"}


def child(kind: str, out: str) -> None:
    from textual import events
    from textual.app import App

    samples: list[tuple[float, float]] = []

    class Timing:
        """Mixed into an app: time from each key event to the end of the next frame, and the
        CPU time the app's thread spent on it (wall time includes waiting for Textual's
        60 Hz frame tick and for other processes)."""

        _key_time: float | None = None
        _key_cpu = 0.0

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key) and not event.is_forwarded and event.key == KEYS[kind]:
                self._key_time = event.time
                self._key_cpu = thread_time()
            await super().on_event(event)  # type: ignore[misc]

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)  # type: ignore[misc]
            if renderable is not None and self._key_time is not None:
                samples.append((monotonic() - self._key_time, thread_time() - self._key_cpu))
                self._key_time = None

    if kind == "bare":
        from textual.widgets import Footer, Header, Static

        class Bare(Timing, App):
            BINDINGS = [("space", "bump", "Bump")]  # noqa: RUF012
            count = 0

            def compose(self):
                yield Header()
                yield Static("presses: 0", id="count")
                yield Footer()

            def action_bump(self) -> None:
                self.count += 1
                self.query_one("#count", Static).update(f"presses: {self.count}")

        app: App = Bare()
    else:
        from letter_tui.app.app import LetterTuiApp
        from letter_tui.core.alphabet import resolve_alphabet
        from letter_tui.core.names import clean_name
        from letter_tui.core.paths import data_dir

        class Bench(Timing, LetterTuiApp):
            pass

        root = data_dir()
        alphabet, path = resolve_alphabet("abc", root)
        if kind == "quiz":  # as a remote player's: the name given, the saved model loaded
            app = Bench(alphabet, path, root, mode="quiz", remote=True, load_saved_model=True,
                        player_name=clean_name("bench"))  # fmt: skip
        else:
            app = Bench(alphabet, path, root, mode="draw", load_saved_model=True)
    app.run()
    Path(out).write_text(json.dumps(samples))


def drive(kind: str, presses: int, gap: float, env: dict[str, str]) -> list[list[float]]:
    import pyte
    from ptyprocess import PtyProcess

    out = tempfile.mktemp(suffix=".json")
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    argv = [sys.executable, __file__, CHILD, kind, out]
    if os.environ.get("BENCH_PROFILE") and kind != "bare":
        argv[1:1] = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
    proc = PtyProcess.spawn(argv, env=env, dimensions=(24, 80))

    def pump(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([proc.fd], [], [], left)[0]:
                try:
                    stream.feed(proc.read(65536))
                except EOFError:
                    return

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 20
        while not any(text in line for line in screen.display):
            if time.monotonic() > deadline:
                shown = "\n".join(screen.display)
                raise RuntimeError(f"{kind}: {text!r} never appeared:\n{shown}")
            pump(0.05)

    wait_for(READY[kind])
    key = b"k" if kind == "quiz" else b" "
    for _ in range(presses):
        proc.write(key)
        pump(gap)
    proc.write(b"\x11")  # ctrl+q
    pump(0.3)
    proc.write(b"d" if kind == "letter-tui" else b"y")  # discard the edits / leave the game
    deadline = time.monotonic() + 10
    while proc.isalive():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{kind}: the app did not quit")
        pump(0.1)
    samples = json.loads(Path(out).read_text())
    os.unlink(out)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--gap", type=float, default=0.03, help="seconds between presses")
    args = parser.parse_args()

    from letter_tui.core import model_io
    from letter_tui.core.alphabet import load_bundled
    from letter_tui.core.training import TrainingRun, default_settings

    data = tempfile.mkdtemp(prefix="letter-tui-bench-")
    run = TrainingRun(load_bundled("abc"), default_settings(load_bundled("abc")))
    for _ in run.run():
        pass
    model_io.save_model(run.model(), model_io.model_path(Path(data), "abc"))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", LETTER_TUI_DATA_DIR=data)

    print(f"key to end of screen update, {args.presses} presses, 80x24 pty, ms")
    medians = {}
    labels = {
        "bare": "bare Textual app (one Static)",
        "letter-tui": "letter-tui draw (space)",
        "quiz": "remote quiz (k: its hint)",
    }
    for kind in labels:
        pairs = drive(kind, args.presses, args.gap, env)
        wall = sorted(w * 1000 for w, _ in pairs)
        cpu = sorted(c * 1000 for _, c in pairs)
        medians[kind] = statistics.median(wall)
        p90 = wall[int(0.9 * (len(wall) - 1))]
        print(
            f"  {labels[kind]:30} n={len(wall):3}  median {medians[kind]:5.2f}  p90 {p90:5.2f}  "
            f"max {wall[-1]:6.2f}   app CPU median {statistics.median(cpu):5.2f}"
        )
    ratio = medians["letter-tui"] / medians["bare"]
    print(f"  ratio draw / bare: {ratio:.2f}x; target: draw median < 16 ms")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == CHILD:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
