"""Issue 4 Quality: the whole `letter-tui train --headless --alphabet az` run, timed, and its
model's accuracy at flip probability 0.1 on 10,000 fresh noisy letters against the ideal
observer's (the bar: at least 98% of it, in under 5 s). Then what each option of the recipe
is worth: the recipe with one option put back to the tutorial's, trained in this process.

    python benchmarks/train_quality.py [--repeats N] [--no-ablation]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from letter_tui.cli import single_threaded_blas

# As letter-tui itself runs: one BLAS thread, set before NumPy loads.
single_threaded_blas()

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_common import machine  # noqa: E402

from letter_tui.core import model_io  # noqa: E402
from letter_tui.core.alphabet import load_bundled  # noqa: E402
from letter_tui.core.evaluate import noise_curve  # noqa: E402
from letter_tui.core.training import TUTORIAL, TrainingRun, default_settings  # noqa: E402

AZ = load_bundled("az")
SEED = 2024  # the measuring letters' seed: not the CLI's table's, not the training noise's


def measure(network) -> tuple[float, float]:
    point = noise_curve(network, AZ, levels=(0.1,), samples=10_000, seed=SEED).points[0]
    return point.network, point.ideal


def cli_run(repeats: int) -> None:
    exe = Path(sys.executable).with_name("letter-tui")
    times = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "LETTER_TUI_DATA_DIR": data}
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(
                [str(exe), "train", "--headless", "--alphabet", "az"],
                env=env,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
        model = model_io.load_model(Path(data) / "models" / "az.npz")
    acc, ideal = measure(model.network)
    print("letter-tui train --headless --alphabet az (the defaults: " + describe(model.meta) + ")")
    print(
        f"  wall time {statistics.median(times):.2f} s (median of {repeats}; bar 5 s)\n"
        f"  at p=0.1 on 10,000 fresh noisy letters: network {acc:.2%}, ideal observer "
        f"{ideal:.2%}, ratio {acc / ideal:.4f} (bar 0.98), {100 * (ideal - acc):.2f} points behind"
    )


def describe(meta) -> str:
    return (
        f"hidden {meta.hidden}, lr {meta.learning_rate}, {meta.epochs} epochs, "
        f"noise {meta.noise} x {meta.copies}{' fresh' if meta.fresh_noise else ''}, "
        f"batch {meta.batch_size or 'full'}, {meta.output}, init {meta.init}"
    )


def ablation() -> None:
    recipe = default_settings(AZ)
    variants = {
        "the recipe": recipe,
        "sigmoid output": replace(recipe, output="sigmoid"),
        "tutorial init (x 0.01)": replace(recipe, init="tutorial"),
        "full batch": replace(recipe, batch_size=0),
        "full batch, 10x epochs": replace(recipe, batch_size=0, epochs=3000, log_every=300),
        "noise drawn once": replace(recipe, fresh_noise=False),
        "no training noise": replace(recipe, noise=0.0, fresh_noise=False),
        "tutorial's settings": TUTORIAL,
        "tutorial's rule, fresh noise": replace(
            TUTORIAL, hidden=32, learning_rate=2.0, epochs=2000, noise=0.1, fresh_noise=True
        ),
    }
    print("What each option is worth (one change from the recipe; in-process training time):")
    print(f"  {'variant':<30}{'network':>9}{'ideal':>9}{'ratio':>8}{'train s':>9}")
    for name, settings in variants.items():
        run = TrainingRun(AZ, settings)
        start = time.perf_counter()
        for _ in run.run():
            pass
        took = time.perf_counter() - start
        acc, ideal = measure(run.network)
        print(f"  {name:<30}{acc:>9.2%}{ideal:>9.2%}{acc / ideal:>8.4f}{took:>9.2f}")
    print("  (tutorial's rule, fresh noise: sigmoid, full batch, tutorial init, hidden 32, lr 2,")
    print("   2000 epochs, noise 0.1 fresh)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-ablation", action="store_true")
    args = parser.parse_args()
    print(f"# {machine()}")
    cli_run(args.repeats)
    if not args.no_ablation:
        ablation()


if __name__ == "__main__":
    main()
