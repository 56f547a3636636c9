"""Training you can watch: the speed setting (epochs a second), in the core, the CLI and Train.

The core's pacing is tested with a fake clock whose only way forward is the stop event's
`wait`: what a paced run does in a second is then counted in epochs, not timed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import threading
import time

import pytest

from letter_tui.app.app import LetterTuiApp
from letter_tui.cli import main
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.training import (
    MAX_SPEED,
    MIN_SPEED,
    SPEEDS,
    TrainingRun,
    TrainSettings,
    next_speed,
    settings_from_text,
    speed_text,
)
from letter_tui.services.settings import SPEED
from tests.conftest import MakeApp
from tests.train_support import SIZE, press_while_training, screen_lines, train_screen

ABC = load_bundled("abc")


class FakeTime:
    """A clock that moves only when the run waits on its stop event: `stop` and `clock`."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self.flag = False

    def clock(self) -> float:
        return self.now

    def is_set(self) -> bool:
        return self.flag

    def set(self) -> None:
        self.flag = True

    def wait(self, timeout: float | None = None) -> bool:
        assert timeout is not None and timeout > 0, "a paced run never waits without a limit"
        self.waits.append(timeout)
        self.now += timeout
        return self.flag


def paced(run: TrainingRun, fake: FakeTime, **kw):  # type: ignore[no-untyped-def]
    return run.updates(stop=fake, clock=fake.clock, **kw)  # type: ignore[arg-type]


# --- the core --------------------------------------------------------------------------------


def test_a_slowed_run_is_far_from_done_after_its_first_second() -> None:
    fake = FakeTime()
    run = TrainingRun(ABC, TrainSettings(speed=5))
    updates = paced(run, fake)
    first = next(updates)
    # The first epoch trains at once and is shown at once.
    assert first.epochs_done == 1 and not first.finished and first.speed == 5
    while fake.now < 1.0:
        update = next(updates)
        assert not update.finished
    # About 5 epochs a second: nowhere near the 10000.
    assert 5 <= run.epochs_done <= 7
    assert run.epochs_done < run.settings.epochs // 100
    # It waited, in pieces no longer than PACE_WAIT, never for nothing.
    assert fake.waits and max(fake.waits) <= 0.1 + 1e-9


def test_every_epoch_is_shown_with_its_loss_at_slow_speeds() -> None:
    fake = FakeTime()
    run = TrainingRun(ABC, TrainSettings(speed=10))
    shown = []
    for update in paced(run, fake):
        shown.append(update)
        if len(shown) == 8:
            fake.set()
    done = [u.epochs_done for u in shown[:7]]
    assert done == list(range(1, 8))
    # Each epoch's loss was measured, for the status line (curve points are 0-based epochs).
    assert [epoch for epoch, _ in run.curve[:7]] == list(range(7))
    assert run.curve_every == TrainSettings().epochs // 500  # restored for the chart


def test_pacing_changes_no_trained_number_and_is_not_saved() -> None:
    settings = TrainSettings(epochs=60, log_every=10)
    plain = TrainingRun(ABC, settings)
    list(plain.updates())
    fake = FakeTime()
    slow = TrainingRun(ABC, dataclasses.replace(settings, speed=50))
    list(paced(slow, fake))
    assert slow.finished and fake.now > 1.0  # it took over a (fake) second
    assert slow.history == plain.history
    for name in ("W1", "b1", "W2", "b2"):
        assert (getattr(slow.network, name) == getattr(plain.network, name)).all()
    # The model's meta is the unpaced run's, field by field: no speed in it.
    assert slow.model().meta == plain.model().meta
    assert "speed" not in {f.name for f in dataclasses.fields(slow.model().meta)}


def test_changing_the_speed_mid_run_takes_effect_at_once() -> None:
    fake = FakeTime()
    run = TrainingRun(ABC, TrainSettings(speed=1))
    updates = paced(run, fake)
    next(updates)
    while fake.now < 3.0:
        next(updates)
    assert run.epochs_done <= 4
    run.speed = 100  # as the UI thread does
    at, before = fake.now, run.epochs_done
    while fake.now < at + 1.0:
        next(updates)
    # Seen within one wait (0.1 s), then 100 a second: not the 1 a second of before.
    assert 80 <= run.epochs_done - before <= 110
    run.speed = 0  # max: the rest unpaced, with no more waiting
    waits = len(fake.waits)
    last = list(updates)[-1]
    assert last.finished and run.epochs_done == 10000
    assert len(fake.waits) - waits <= 1


def test_a_pause_ends_a_long_wait_at_once() -> None:
    """Speed 0.1: ten seconds to the second epoch. Setting the stop event ends the run
    within one wait, with a deadline far under those ten seconds."""
    run = TrainingRun(ABC, TrainSettings(speed=0.1))
    stop = threading.Event()
    first = threading.Event()
    updates: list[int] = []

    def work() -> None:
        for update in run.updates(stop=stop):
            updates.append(update.epochs_done)
            first.set()

    thread = threading.Thread(target=work)
    thread.start()
    assert first.wait(10)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert run.epochs_done == 1 and updates[-1] == 1


def test_speed_settings_and_the_keys_ladder() -> None:
    assert TrainSettings().speed == 0 and speed_text(0) == "max" and speed_text(400.0) == "400"
    assert settings_from_text({"speed": "max"})[0].speed == 0
    assert settings_from_text({"speed": " 400 "})[0].speed == 400
    assert settings_from_text({"speed": "0.5"})[0].speed == 0.5
    assert settings_from_text({"speed": "fast"})[1] == {
        "speed": "Epochs a second: expected a number or max, got 'fast'"
    }
    for bad in ("-1", "0.01", "2000000", "nan"):
        assert "speed" in settings_from_text({"speed": bad})[1], bad
    assert next_speed(0, -1) == SPEEDS[-1] and next_speed(SPEEDS[-1], 1) == 0
    assert next_speed(0, 1) == 0 and next_speed(1, -1) == 1
    assert next_speed(400, 1) == 500 and next_speed(400, -1) == 200
    # The CLI's bounds are the core's (the CLI must not import NumPy to know them).
    assert SPEED(str(MIN_SPEED)) == MIN_SPEED and SPEED(str(int(MAX_SPEED))) == MAX_SPEED


# --- the CLI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-5", "fast", "nan", "inf", "0.01"])
def test_a_bad_speed_is_one_line_naming_the_option(capsys, tmp_path, value: str) -> None:
    for headless in (["--headless"], []):
        with pytest.raises(SystemExit) as exit:
            main(["train", *headless, "--data-dir", str(tmp_path), "--speed", value])
        err = capsys.readouterr().err
        assert exit.value.code == 2
        assert err.count("\n") == 1 and "argument --speed" in err and repr(value) in err


def test_a_headless_paced_run_prints_the_same_lines_at_its_pace(capsys, tmp_path) -> None:
    options = ["train", "--headless", "--data-dir", str(tmp_path), "--epochs", "300"]
    assert main([*options, "--log-every", "100"]) == 0
    plain = capsys.readouterr().out.splitlines()
    assert main([*options, "--log-every", "100", "--speed", "1000000", "--replace"]) == 0
    fast = capsys.readouterr().out.splitlines()
    assert fast[:3] == plain[:3] == [line for line in plain if line.startswith("Epoch")]
    assert fast[3:-1] == plain[3:-1]  # the accuracy lines; the last names the saved file
    # A pace slows it: 3 epochs at 4 a second cannot take under half a second (a lower
    # bound, which a busy machine only makes safer).
    began = time.perf_counter()
    assert main([*options[:-1], "3", "--log-every", "1", "--speed", "4", "--replace"]) == 0
    assert time.perf_counter() - began >= 0.5
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines[:3]] == ["Epoch 0", "Epoch 1", "Epoch 2"]


def test_speed_without_headless_opens_the_app_with_it(monkeypatch, tmp_path) -> None:
    import letter_tui.app.launch as launch

    seen: dict[str, object] = {}

    class Recorder:
        def __init__(self, *args: object, **kw: object) -> None:
            seen.update(kw)
            self.return_code = 0

        def run(self) -> int:
            return 0

    monkeypatch.setattr("letter_tui.app.app.LetterTuiApp", Recorder)
    assert main(["train", "--data-dir", str(tmp_path), "--speed", "400"]) == 0
    assert seen["mode"] == "train" and seen["train_speed"] == 400
    assert launch  # the module the app is started from


# --- Train, read off the screen --------------------------------------------------------------


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "timed out"
        await pilot.pause(0.02)


def row_with(app: LetterTuiApp, text: str) -> str:
    return next((line for line in screen_lines(app) if text in line), "")


def progress(app: LetterTuiApp) -> int | None:
    """Epochs done, as the stats line beside the bar shows them ("1142/10000")."""
    found = re.search(r"(\d+)/10000", row_with(app, "/10000"))
    return int(found.group(1)) if found else None


async def test_train_at_a_speed_shows_it_and_moves_at_that_pace(make_app: MakeApp) -> None:
    app = make_app(mode="train", train_speed=400)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.pause()
        assert "Epochs a second 400" in row_with(app, "Epochs a second")
        await press_while_training(pilot, "s")
        await wait_for(pilot, lambda: (progress(app) or 0) > 0)
        # Under way, far from done: 10000 epochs at 400 a second take 25 s.
        assert progress(app) < 5000 and screen.state == "running"
        # The run's keys come with its first progress update (FOOTER_DELAY).
        await wait_for(pilot, lambda: "+/- Speed" in screen_lines(app)[-1])
        await press_while_training(pilot, "minus")
        await wait_for(pilot, lambda: "Speed: 200 epochs a second" in "".join(screen_lines(app)))
        assert "Epochs a second 200" in row_with(app, "Epochs a second")
        assert screen.run is not None and screen.run.speed == 200
        await press_while_training(pilot, "space")
        await wait_for(pilot, lambda: screen.state == "paused")
        assert "Paused after" in row_with(app, "Paused after")


async def test_slow_speeds_say_each_epochs_loss_and_max_finishes(make_app: MakeApp) -> None:
    app = make_app(mode="train", train_speed=5)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.pause()
        await press_while_training(pilot, "s")
        # The status line: the newest epoch's loss and its change from the one before.
        said = re.compile(r"Epoch (\d+): loss \S+, down \S+ from epoch (\d+)\.")

        def epoch_said() -> re.Match[str] | None:
            return said.search(row_with(app, "from epoch"))

        await wait_for(pilot, lambda: epoch_said() is not None)
        found = epoch_said()
        assert found is not None and int(found.group(1)) == int(found.group(2)) + 1
        assert (progress(app) or 0) < 100  # at 5 a second
        # Faster, all the way to max, mid-run: 10000 epochs at 5 a second would take over
        # half an hour; at max the run finishes and is saved within the deadline.
        for _ in range(len(SPEEDS)):
            await press_while_training(pilot, "plus")
        await wait_for(pilot, lambda: screen.state == "idle", timeout=30)
        assert "Epochs a second max" in row_with(app, "Epochs a second")
        assert (app.data_root / "models" / "abc.npz").exists()
        assert progress(app) == 10000


async def test_keys_set_the_forms_speed_before_a_run(make_app: MakeApp) -> None:
    app = make_app(mode="train")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Epochs a second max" in row_with(app, "Epochs a second")
        await pilot.press("minus", "minus")
        assert "Epochs a second 5000" in row_with(app, "Epochs a second")
        assert "Speed: 5000 epochs a second" in "".join(screen_lines(app))
        # The tutorial's settings keep the chosen speed: it is how to watch, not what to learn.
        await pilot.press("T")
        assert "Epochs a second 5000" in row_with(app, "Epochs a second")
        assert "+/- Speed" not in screen_lines(app)[-1]  # the idle footer has no room
