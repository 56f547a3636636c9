"""Keep or discard a run that did not finish: how well it reads, beside the saved model.

A run stopped early (x), or single-stepped after a finished run and then stopped, must never
replace a better model without a word. `judge` measures both models the same way (the clean
letters, then the same noisy letters at p = 0.1 as the inside view's noise chart and the
headless table, with the best possible reader beside them); `screens.keep_run.KeepRunScreen`
asks. `judge` is plain NumPy, run in the training thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import ModelError
from letter_tui.core.evaluate import SAMPLES, ideal_credit, level_seed, noisy_letters
from letter_tui.core.network import Network

NOISE_P = 0.1  # the quiz's easy level: where a reader that only knows clean letters fails


@dataclass(frozen=True)
class Reading:
    """How well one reader does: clean letters read right, and accuracy at p = NOISE_P."""

    clean: float  # letters read right (the ideal observer's is an expectation)
    noisy: float  # fraction right at p = NOISE_P


@dataclass(frozen=True)
class Verdict:
    letters: int
    run: Reading
    ideal: Reading  # the best possible reader (the ideal observer) on the same letters
    saved: Reading | None  # None: no saved model to compare (see `saved_problem`)
    saved_problem: str | None  # "none saved yet", or why the saved file was not judged
    samples: int  # noisy letters at p = NOISE_P


def judge(
    network: Network, alphabet: Alphabet, seed: int, saved_path: Path | None = None
) -> Verdict:
    """The run's network, the ideal observer and (with `saved_path`) the saved model on the
    very same letters; `seed` is the run's, so the noisy ones are those of its noise chart
    (`noise_curve` at p = NOISE_P gives the same numbers). About 0.1 s for az: call it in a
    thread."""
    X, truth = noisy_letters(alphabet, NOISE_P, SAMPLES, level_seed(seed, NOISE_P))
    n = len(alphabet)

    def reading(net: Network) -> Reading:
        right = np.asarray(net.predict(X)) == truth
        return Reading(model_io.clean_letters_read(net, alphabet), float(np.mean(right)))

    ideal = Reading(
        float(np.sum(ideal_credit(alphabet.matrix(), alphabet, np.arange(n)))),
        float(np.mean(ideal_credit(X, alphabet, truth))),
    )
    saved, problem = None, None
    if saved_path is not None:
        try:
            model = model_io.load_model(saved_path)
        except ModelError:
            problem = "none saved yet" if not saved_path.exists() else "cannot be read"
        else:
            if model.mismatch(alphabet):
                problem = "trained on other letters"
            else:
                saved = reading(model.network)
    return Verdict(n, reading(network), ideal, saved, problem, SAMPLES)


def table(verdict: Verdict) -> list[str]:
    """The comparison as aligned plain lines, at most 52 columns (az)."""
    n = verdict.letters

    def row(name: str, reading: Reading | None, missing: str = "") -> str:
        if reading is None:
            return f"  {name:<22}{missing}"
        clean = f"{reading.clean:g} of {n}"
        return f"  {name:<22}{clean:<10}{reading.noisy:.1%}"

    return [
        f"  {'reads':<22}{'clean':<10}noisy (p = {NOISE_P:g})",
        row("saved model", verdict.saved, verdict.saved_problem or ""),
        row("this run", verdict.run),
        row("best possible reader", verdict.ideal),
    ]


def result_lines(verdict: Verdict) -> list[str]:
    """What the loss log adds when a run ends, as `train --headless` prints its accuracy
    after the log; at most 28 columns, the log's width in the smallest window."""
    n = verdict.letters
    return [
        f"Clean letters read: {verdict.run.clean:g} of {n}",
        f"Read at noise p = {NOISE_P:g}:",
        f"{'this network':<21}{verdict.run.noisy:>6.1%}",
        f"{'best possible reader':<21}{verdict.ideal.noisy:>6.1%}",
    ]
