"""Training inside the app (progress bar, log and loss curve live) against headless training.

For the same settings, times (a) the headless path, `TrainingRun.run()` consumed as
`letter-tui train --headless` does, then the model saved, and (b) the Train screen: from
pressing start to the model installed with `app.set_model`, in a headless Textual app at 80x24
that draws every update. Runs alternate, and the medians are compared: the issue asks for at
most 1.15x.

    python benchmarks/train_app_overhead.py [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from letter_tui.app.app import LetterTuiApp
from letter_tui.core import model_io
from letter_tui.core.alphabet import resolve_alphabet
from letter_tui.core.training import TrainingRun, default_settings

LIMIT = 1.15


def headless(name: str, root: Path) -> float:
    alphabet, _ = resolve_alphabet(name, root)
    start = time.perf_counter()
    run = TrainingRun(alphabet, default_settings(alphabet))
    for _ in run.run():
        pass
    model_io.save_model(run.model(), model_io.model_path(root, name))
    return time.perf_counter() - start


async def in_app(name: str, root: Path) -> tuple[float, int]:
    alphabet, path = resolve_alphabet(name, root)
    app = LetterTuiApp(alphabet, path, root, mode="train")
    done: list[float] = []
    finished = asyncio.Event()
    install = app.set_model

    def set_model(model) -> None:  # type: ignore[no-untyped-def]
        done.append(time.perf_counter())
        finished.set()
        install(model)

    app.set_model = set_model  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = time.perf_counter()
        screen.action_start()  # type: ignore[attr-defined]
        # An event, not a polling loop: waking the event loop often would take the GIL
        # from the training thread and measure the benchmark instead of the app.
        await finished.wait()
        await app.workers.wait_for_complete()
        lines = len(screen.log_lines())  # type: ignore[attr-defined]
    return done[0] - start, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="letter-tui-bench-"))
    worst = 0.0
    for name in ("abc", "az"):
        settings = default_settings(resolve_alphabet(name, root)[0])
        bare, app = [], []
        for _ in range(args.repeats):
            bare.append(headless(name, root))
            seconds, lines = asyncio.run(in_app(name, root))
            app.append(seconds)
        b, a = statistics.median(bare), statistics.median(app)
        worst = max(worst, a / b)
        print(
            f"{name}: {settings.epochs} epochs, {settings.hidden} hidden, batch "
            f"{settings.batch_size or 'full'}: headless {b:.3f} s, in the app {a:.3f} s "
            f"({lines} log lines), ratio {a / b:.3f} (medians of {args.repeats})"
        )
    verdict = "ok" if worst <= LIMIT else "TOO SLOW"
    print(f"worst ratio {worst:.3f} (limit {LIMIT}): {verdict}")


if __name__ == "__main__":
    main()
