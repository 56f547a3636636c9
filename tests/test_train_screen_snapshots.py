"""SVG snapshots of Train after a finished seeded run, and of the inside view, at 80x24.

The data dir is a fixed path, since the status line names the saved file; timings are
hidden (`show_timing = False`), so the pictures depend on nothing but the seeded run.
Regenerate on purpose with --snapshot-update.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.train_support import SIZE, make_app, press_while_training, settle, train_screen


@pytest.fixture
def fixed_root() -> Path:
    root = Path(tempfile.gettempdir()) / "letter-tui-train-snapshots"
    shutil.rmtree(root, ignore_errors=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


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
