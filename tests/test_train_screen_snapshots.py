"""SVG snapshots of Train after a finished run, and of the inside view, at 80x24.

The run is the tutorial's, replayed from a recording (`recorded_tutorial_run`, see
tests/recorded_run.py): a live run's losses end in digits that differ between machines'
BLAS kernels, and the log shows them in full. The data dir is a relative path inside the
test's own temporary directory, since the status line names the saved file: the same text
on every machine, and no folder shared with another test process. Timings are hidden
(`show_timing = False`). Regenerate on purpose with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.recorded_run import record, recording
from tests.train_support import SIZE, make_app, press_while_training, settle, train_screen


@pytest.fixture
def fixed_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded_tutorial_run) -> Path:
    """`data`, relative to the test's temporary directory (made the working directory)."""
    monkeypatch.chdir(tmp_path)
    return Path("data")


async def train(pilot) -> None:  # type: ignore[no-untyped-def]
    train_screen(pilot.app).show_timing = False
    await press_while_training(pilot, "s")
    await settle(pilot)


def test_train_after_a_finished_run(fixed_root: Path, snap_compare) -> None:
    assert snap_compare(make_app(fixed_root), run_before=train, terminal_size=SIZE)


def test_inside_units(fixed_root: Path, snap_compare) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await train(pilot)
        await pilot.press("i", "right", "right")
        await settle(pilot)

    assert snap_compare(make_app(fixed_root), run_before=run_before, terminal_size=SIZE)


def test_inside_noise_chart(fixed_root: Path, snap_compare) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await train(pilot)
        await pilot.press("i", "3")
        await settle(pilot)

    assert snap_compare(make_app(fixed_root), run_before=run_before, terminal_size=SIZE)


def test_the_recording_is_the_tutorials_run() -> None:
    """The replayed numbers are what the trainer computes today, to a relative 1e-9 (the
    last digits differ between machines; the pictures must not)."""
    live, recorded = record(), recording()
    assert live["X"] == recorded["X"] and live["start"] == recorded["start"]
    assert live["losses"].keys() == recorded["losses"].keys()
    for epoch, loss in live["losses"].items():
        assert loss == pytest.approx(recorded["losses"][epoch], rel=1e-9), epoch
    assert live["weights"].keys() == recorded["weights"].keys()
    for done, weights in live["weights"].items():
        for name, values in weights.items():
            want = np.array(recorded["weights"][done][name])
            np.testing.assert_allclose(np.array(values), want, rtol=1e-9, atol=1e-12)


# The same screens at 120x40, and the two Inside views above leave out (issue 15, point 7).
WIDE = (120, 40)


def inside(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await train(pilot)
        await pilot.press("i", *keys)
        await settle(pilot)

    return run_before


def test_train_after_a_finished_run_at_120x40(fixed_root: Path, snap_compare) -> None:
    assert snap_compare(make_app(fixed_root), run_before=train, terminal_size=WIDE)


def test_inside_units_at_120x40(fixed_root: Path, snap_compare) -> None:
    run_before = inside("right", "right")
    assert snap_compare(make_app(fixed_root), run_before=run_before, terminal_size=WIDE)


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
def test_inside_forward_pass(fixed_root: Path, snap_compare, size) -> None:
    assert snap_compare(make_app(fixed_root), run_before=inside("2"), terminal_size=size)


def test_inside_noise_chart_at_120x40(fixed_root: Path, snap_compare) -> None:
    assert snap_compare(make_app(fixed_root), run_before=inside("3"), terminal_size=WIDE)


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
def test_inside_confusion(fixed_root: Path, snap_compare, size) -> None:
    assert snap_compare(make_app(fixed_root), run_before=inside("4"), terminal_size=size)
