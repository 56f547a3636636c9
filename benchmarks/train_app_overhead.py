"""Training inside the app (progress bar, log and loss curve live) against headless training.

For the same settings, times (a) the headless path, `TrainingRun.run()` consumed as
`letter-tui train --headless` does, then the model saved, and (b) the Train screen: from
pressing start to the model installed with `app.set_model`, in a headless Textual app at 80x24
that draws every update. Runs alternate, and the medians are compared: the issue asks for at
most 1.15x. Both arms end with the model saved; the app's last frame (the finished bar, log
and curve) follows the install, and is not counted: about 5 ms at 80x24 here.

    python benchmarks/train_app_overhead.py [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from letter_tui.cli import single_threaded_blas

# As `letter-tui` runs: one BLAS thread (set before NumPy loads). Both arms share it.
single_threaded_blas()

from letter_tui.app.app import LetterTuiApp  # noqa: E402
from letter_tui.app.widgets.train_form import TrainForm  # noqa: E402
from letter_tui.core import model_io  # noqa: E402
from letter_tui.core.alphabet import resolve_alphabet  # noqa: E402
from letter_tui.core.training import TrainingRun, TrainSettings, default_settings  # noqa: E402

LIMIT = 1.15


def settings_for(name: str, root: Path, scale: int) -> TrainSettings:
    """The app's defaults for the alphabet, with `scale` times the epochs (same log lines)."""
    defaults = default_settings(resolve_alphabet(name, root)[0])
    epochs = defaults.epochs * scale
    return replace(defaults, epochs=epochs, log_every=defaults.log_every * scale)


def headless(name: str, root: Path, scale: int = 1) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process)."""
    alphabet, _ = resolve_alphabet(name, root)
    start, cpu = time.perf_counter(), time.process_time()
    run = TrainingRun(alphabet, settings_for(name, root, scale))
    for _ in run.run():
        pass
    model_io.save_model(run.model(), model_io.model_path(root, name))
    return time.perf_counter() - start, time.process_time() - cpu


async def in_app(name: str, root: Path, scale: int = 1) -> tuple[float, float, int]:
    alphabet, path = resolve_alphabet(name, root)
    app = LetterTuiApp(alphabet, path, root, mode="train")
    done: list[tuple[float, float]] = []
    finished = asyncio.Event()
    install = app.set_model

    def set_model(model) -> None:  # type: ignore[no-untyped-def]
        done.append((time.perf_counter(), time.process_time()))
        finished.set()
        install(model)

    app.set_model = set_model  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(TrainForm).fill(settings_for(name, root, scale))
        await pilot.pause()
        start, cpu = time.perf_counter(), time.process_time()
        screen.action_start()  # type: ignore[attr-defined]
        # An event, not a polling loop: waking the event loop often would take the GIL
        # from the training thread and measure the benchmark instead of the app.
        await finished.wait()
        await app.workers.wait_for_complete()
        lines = len(screen.log_lines())  # type: ignore[attr-defined]
    return done[0][0] - start, done[0][1] - cpu, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="letter-tui-bench-"))
    worst = 0.0
    # The defaults of abc (the tutorial) and az, then az trained ten times longer: the app's
    # cost per run (a frame or two at start and end) against its cost per second of training.
    for name, scale, repeats in (("abc", 1, args.repeats), ("az", 1, args.repeats),
                                 ("az", 10, max(3, args.repeats // 3))):  # fmt: skip
        settings = settings_for(name, root, scale)
        bare, app, bare_cpu, app_cpu = [], [], [], []
        for _ in range(repeats):
            wall, cpu = headless(name, root, scale)
            bare.append(wall)
            bare_cpu.append(cpu)
            wall, cpu, lines = asyncio.run(in_app(name, root, scale))
            app.append(wall)
            app_cpu.append(cpu)
        b, a = statistics.median(bare), statistics.median(app)
        bc, ac = statistics.median(bare_cpu), statistics.median(app_cpu)
        worst = max(worst, a / b)
        print(
            f"{name}: {settings.epochs} epochs, {settings.hidden} hidden, batch "
            f"{settings.batch_size or 'full'}, {lines} log lines; medians of {repeats}:\n"
            f"  wall: headless {b:.3f} s, in the app {a:.3f} s, ratio {a / b:.3f}\n"
            # CPU time of the process (both threads, BLAS's too): what the UI adds, less
            # sensitive than wall time to other programs sharing the machine.
            f"  CPU:  headless {bc:.3f} s, in the app {ac:.3f} s, ratio {ac / bc:.3f}"
        )
    verdict = "ok" if worst <= LIMIT else "TOO SLOW"
    print(f"worst wall ratio {worst:.3f} (limit {LIMIT}): {verdict}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall "
              "times are shared with other programs and noisy")  # fmt: skip


if __name__ == "__main__":
    main()
