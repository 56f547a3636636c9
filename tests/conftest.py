"""Fixtures shared by the test files (helper modules such as app_support stay importable)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from letter_tui.core import training
from tests.recorded_run import ReplayTrainer


@pytest.fixture
def recorded_tutorial_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every `TrainingRun` built during the test replays the recorded tutorial run instead
    of computing it, so what the screen shows holds no machine's last digits (see
    tests/recorded_run.py). A run of other settings fails with `NotRecorded`. The test fails
    too if no run used the recording: a picture that silently computed its numbers again
    would pass here and fail elsewhere."""
    monkeypatch.setattr(training, "Trainer", ReplayTrainer)
    before = ReplayTrainer.built
    yield
    assert ReplayTrainer.built > before, "no training run replayed the recording"
