"""The tutorial's training run, recorded once and replayed: pictures that no machine changes.

A real run's losses differ in their last digits from one BLAS kernel to another (the sums
are done in another order): this machine prints epoch 4000's loss as
`4.8174040788080985e-05`, another `4.8174040788081e-05`. A snapshot or exact-text
assertion on what Train shows after a real run therefore passes only where it was made.

`ReplayTrainer` stands in for `letter_tui.core.network.Trainer`: built for the very run
that was recorded (abc, the tutorial's settings: the same letters, starting weights, rate
and batch), it trains nothing. It yields the recorded loss at each epoch the caller asks
to measure and writes the recorded weights into the network, so the log, the curve, the
status line, the saved model and every inside view come from fixed numbers. Everything
above the trainer (`TrainingRun`, the Train screen, its worker) runs for real. The
`recorded_tutorial_run` fixture (tests/conftest.py) swaps it in.

The numbers were recorded on one machine; `test_the_recording_is_the_tutorials_run` checks
that a live run still gives them to a relative 1e-9, so the recording cannot drift from
what the trainer does. Re-record on purpose (then regenerate the snapshots that use it):

    python -m tests.recorded_run
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Progress, Trainer
from letter_tui.core.training import TUTORIAL, TrainingRun

RECORDING = Path(__file__).parent / "data" / "tutorial_run.json"
WEIGHTS = ("W1", "b1", "W2", "b2")


class NotRecorded(LookupError):
    """The replay was asked for something the recording does not hold."""


def _weights(net: Network) -> dict[str, list[list[float]]]:
    return {name: getattr(net, name).tolist() for name in WEIGHTS}


def record() -> dict[str, Any]:
    """Run the tutorial's training for real, as `TrainingRun` drives it, and record it:
    every loss measured (log lines and curve samples) and the weights at each log line
    and at the end, keyed by epochs done."""
    alphabet = load_bundled("abc")
    run = TrainingRun(alphabet, TUTORIAL)
    trainer, s = run.trainer, run.settings
    start = _weights(run.network)
    losses: dict[str, float] = {}
    weights: dict[str, dict[str, list[list[float]]]] = {}
    for p in trainer.run(s.epochs, s.log_every, None, run.curve_every):
        losses[str(p.epoch)] = p.loss
        if p.logged:  # the trainer has just written its weights back to the network
            weights[str(p.epochs_done)] = _weights(run.network)
    weights[str(trainer.epochs_done)] = _weights(run.network)
    return {
        "about": "The tutorial's run (abc, tutorial settings), recorded by "
        "`python -m tests.recorded_run`; replayed by tests/recorded_run.py.",
        "learning_rate": s.learning_rate,
        "batch_size": trainer.batch_size,
        "epochs": s.epochs,
        "X": alphabet.matrix().tolist(),
        "start": start,
        "losses": losses,
        "weights": weights,
    }


@functools.cache
def recording() -> dict[str, Any]:
    return json.loads(RECORDING.read_text())


class ReplayTrainer(Trainer):
    """A `Trainer` for the recorded run that replays it instead of computing it."""

    built = 0  # how many were made: the fixture checks the replay was really used

    def __init__(self, network: Network, X: np.ndarray, Y: np.ndarray, *args, **kwargs) -> None:
        super().__init__(network, X, Y, *args, **kwargs)
        rec = recording()
        # Exact comparisons: the letters and the seeded starting weights involve no sums.
        same = (
            np.array_equal(np.asarray(X, dtype=np.float64), np.array(rec["X"]))
            and self.learning_rate == rec["learning_rate"]
            and self.batch_size == rec["batch_size"]
            and all(np.array_equal(getattr(network, k), np.array(rec["start"][k])) for k in WEIGHTS)
        )
        if not same:
            raise NotRecorded(
                "only the tutorial's run (abc, tutorial settings) is recorded; "
                "this run has other letters, starting weights, rate or batch size"
            )
        self._losses = {int(k): v for k, v in rec["losses"].items()}
        self._saved = sorted((int(k), v) for k, v in rec["weights"].items())
        type(self).built += 1

    def run(
        self,
        epochs: int,
        report_every: int = 1000,
        stop: threading.Event | None = None,
        sample_every: int = 0,
    ) -> Iterator[Progress]:
        every, sample = max(1, int(report_every)), max(0, int(sample_every))
        try:
            for epoch in range(self.epochs_done, self.epochs_done + epochs):
                if stop is not None and stop.is_set():
                    return
                self.epochs_done = epoch + 1
                if epoch % every == 0 or (sample and epoch % sample == 0):
                    if epoch not in self._losses:
                        raise NotRecorded(
                            f"epoch {epoch}'s loss is not recorded (log every {every}, "
                            f"sample every {sample}); re-record: python -m tests.recorded_run"
                        )
                    logged = epoch % every == 0
                    if logged:
                        self.sync()
                    yield Progress(epoch, self._losses[epoch], self.epochs_done, logged)
        finally:
            self.sync()

    def sync(self) -> None:
        """The recorded weights of the latest recorded point at or before `epochs_done`
        (exact at log lines and at the end; the starting weights before the first)."""
        found = [w for done, w in self._saved if done <= self.epochs_done]
        if not found:
            return
        for name in WEIGHTS:
            getattr(self.network, name)[...] = np.array(found[-1][name])


if __name__ == "__main__":
    RECORDING.parent.mkdir(exist_ok=True)
    RECORDING.write_text(json.dumps(record(), indent=1) + "\n")
    print(f"recorded {RECORDING}")
