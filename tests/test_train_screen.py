"""Pilot tests of the Train screen: start, finish, pause, step, stop, the form, failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from letter_tui.app.screens.train import Progressed
from letter_tui.app.views.guess import guess_view
from letter_tui.app.widgets.guess_panel import GuessPanel
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.train_form import TrainForm
from letter_tui.cli import main
from letter_tui.core import model_io
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.training import TUTORIAL, TrainingRun, Update, default_settings
from tests.footer_support import footer_keys
from tests.train_support import (
    SIZE,
    answer_keep,
    make_app,
    press_while_training,
    settle,
    status_line,
    train_screen,
)
from tests.waiting import DEADLINE_S, wait_until

# Long enough that a pause lands long before the end, whatever the machine.
LONG = "3000000"


def headless_log(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["train", "--headless", "--data-dir", str(root), *args]) == 0
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("Epoch ")]


async def type_into(pilot, screen, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    editor = screen.query_one(TrainForm).editor(field)
    editor.focus()
    await pilot.pause()
    editor.value = text
    await pilot.pause()


async def test_start_finishes_saves_and_draw_uses_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path / "app")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await press_while_training(pilot, "s")
        await settle(pilot)
        assert screen.state == "idle"
        model = app.model
        assert model is not None and model.meta.epochs == TUTORIAL.epochs
        assert model.fits(app.alphabet)
        path = model_io.model_path(tmp_path / "app", "abc")
        saved = model_io.load_model(path)
        assert np.array_equal(saved.network.W1, model.network.W1)
        await wait_until(pilot, lambda: "saved as" in status_line(screen))
        said = status_line(screen)
        assert "saved as abc.npz" in said and said.endswith(f"Folder: {path.parent}")
        log = [line for line in screen.log_lines() if line.startswith("Epoch ")]
        # The log box follows the newest line; l and home scroll back to the first.
        box = screen.query_one("#log")
        assert box.render_line(0).text.strip() != log[0]
        await pilot.press("l", "home")
        assert box.render_line(0).text.strip() == log[0]
        await pilot.press("escape")
        # Draw shows the new model's guess at once.
        await pilot.press("f3")
        await pilot.pause()
        panel = app.screen.query_one(GuessPanel)
        assert panel.view.has_model and panel.view.outputs
        expected = guess_view(saved, app.alphabet, app.alphabet.bitmaps[0])
        assert panel.view.outputs == pytest.approx(expected.outputs)
    # The same ten lines as the headless command, character for character.
    assert log == headless_log(tmp_path / "cli", capsys)
    assert len(log) == 10


async def test_az_with_edited_settings_logs_like_the_headless_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path / "app", "az")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await type_into(pilot, screen, "epochs", "12")
        await type_into(pilot, screen, "log_every", "3")
        await pilot.press("enter")  # enter in the form starts training
        await settle(pilot)
        log = [line for line in screen.log_lines() if line.startswith("Epoch ")]
        assert app.model is not None and app.model.meta.epochs == 12
        assert app.model.meta.output == default_settings(app.alphabet).output
    expected = headless_log(tmp_path / "cli", capsys, "--alphabet", "az", "--epochs", "12",
                            "--log-every", "3")  # fmt: skip
    assert log == expected and len(log) == 4


async def wait_for(pilot, condition, timeout: float = DEADLINE_S) -> None:  # type: ignore[no-untyped-def]
    # The deadline ends a hung test; on a loaded machine a run can take seconds to start.
    await wait_until(pilot, condition, timeout=timeout)


async def start_long_run(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    """Start a run far too long to finish during a test, and wait until it is training."""
    await type_into(pilot, screen, "epochs", LONG)
    screen.set_focus(None)
    await press_while_training(pilot, "s")
    await wait_for(pilot, lambda: screen.run is not None and screen.run.epochs_done > 0)


def footer(screen) -> list[str]:  # type: ignore[no-untyped-def]
    """The footer's keys as drawn, "key description", dimmed ones in brackets."""
    return footer_keys(screen)


IDLE_KEYS = [
    "s Start",
    "n One epoch",
    "e Settings",
    "T Tutorial",
    "i Inside",
    "^q Quit",
    "? Help",
]


async def test_the_footer_shows_the_keys_that_work_now(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        assert footer(screen) == IDLE_KEYS
        shown = screen.query_one(KeyFooter).shown
        screen.refresh_bindings()  # nothing changed: the keys are not drawn again
        await pilot.pause()
        assert screen.query_one(KeyFooter).shown is shown
        await type_into(pilot, screen, "epochs", LONG)
        assert footer(screen)[:2] == ["⏎ Start", "esc Done editing"]
        screen.set_focus(None)
        await pilot.pause()
        assert footer(screen) == IDLE_KEYS
        await press_while_training(pilot, "s")
        await wait_for(pilot, lambda: "space Pause" in footer(screen))
        assert footer(screen)[:2] == ["space Pause", "x Stop"]
        assert "s Start" not in footer(screen) and "n One epoch" not in footer(screen)
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused"
        assert footer(screen)[:3] == ["space Resume", "n One epoch", "x Stop"]
        await press_while_training(pilot, "x")
        await answer_keep(pilot, "k")
        assert screen.state == "idle" and footer(screen) == IDLE_KEYS


async def test_a_short_run_leaves_the_footer_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes: list[object] = []
    update = KeyFooter.update_keys
    monkeypatch.setattr(
        KeyFooter, "update_keys", lambda self: update(self) and changes.append(self.shown)
    )
    # A cold first run (imports compiled afresh in CI) can outlast the real delay; what is
    # tested is that a run ending before the delay leaves the footer alone.
    monkeypatch.setattr("letter_tui.app.screens.train.FOOTER_DELAY", 30.0)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await type_into(pilot, screen, "epochs", "5")
        screen.set_focus(None)
        await pilot.pause()
        changes.clear()
        await press_while_training(pilot, "s")
        await settle(pilot)
        assert screen.state == "idle" and app.model is not None
        # Over within FOOTER_DELAY: the footer never showed pause and stop, then start again.
        assert changes == [] and footer(screen) == IDLE_KEYS


async def test_pause_step_resume_and_stop(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await type_into(pilot, screen, "epochs", LONG)
        await type_into(pilot, screen, "log_every", "1000")
        screen.set_focus(None)
        await press_while_training(pilot, "s")
        await wait_for(pilot, lambda: screen.run is not None and screen.run.epochs_done > 0)
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused"
        run = screen.run
        assert run is not None
        done = run.epochs_done
        assert 0 < done < int(LONG)
        assert app.model is None  # a pause saves nothing
        await pilot.press("n")
        await settle(pilot)
        assert screen.state == "paused" and run.epochs_done == done + 1
        await press_while_training(pilot, "space")
        await wait_for(pilot, lambda: run.epochs_done > done + 1)
        assert screen.state == "running"
        await press_while_training(pilot, "x")
        await answer_keep(pilot, "k")
        assert screen.state == "idle" and screen.run is None
        model = app.model
        assert model is not None and model.meta.epochs == run.epochs_done < int(LONG)
        assert model_io.load_model(model_io.model_path(tmp_path, "abc")).meta.epochs == (
            run.epochs_done
        )
        # The log holds every line up to where it stopped.
        epoch_lines = [line for line in screen.log_lines() if line.startswith("Epoch ")]
        assert epoch_lines[-1].startswith(f"Epoch {(run.epochs_done - 1) // 1000 * 1000},")


async def test_single_step_from_idle_then_stop_while_paused(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.press("n")
        await settle(pilot)
        assert screen.state == "paused"
        assert screen.run is not None and screen.run.epochs_done == 1
        assert screen.log_lines() == [screen.log_lines()[0]]
        assert screen.log_lines()[0].startswith("Epoch 0, Loss: 0.25")
        await pilot.press("x")
        await answer_keep(pilot, "k")
        assert screen.state == "idle"
        assert app.model is not None and app.model.meta.epochs == 1


async def test_bad_values_are_refused_in_place(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        form = screen.query_one(TrainForm)
        await type_into(pilot, screen, "hidden", "five")
        await type_into(pilot, screen, "learning_rate", "-1")
        problem = form.query_one("#problem-hidden")
        assert problem.display
        assert "Hidden units: expected a whole number, got 'five'" in str(problem.render())
        assert "positive" in str(form.query_one("#problem-learning_rate").render())
        assert form.editor("hidden").has_class("-invalid")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.state == "idle" and screen.run is None and app.model is None
        assert status_line(screen).startswith("Not started: fix Hidden units first")
        assert "Not started" in str(screen.query_one("#hint").render())
        assert app.focused is form.editor("hidden")  # sent back to the first bad field
        await type_into(pilot, screen, "hidden", "5")
        await type_into(pilot, screen, "learning_rate", "0.1")
        assert not form.query_one("#problem-hidden").display
        assert not form.problems


async def test_tutorial_reset_and_alphabet_defaults(tmp_path: Path) -> None:
    app = make_app(tmp_path, "az")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        form = screen.query_one(TrainForm)
        assert form.read() == (default_settings(app.alphabet), {})
        await pilot.press("T")
        assert form.read() == (TUTORIAL, {})
        await pilot.press("D")
        assert form.read() == (default_settings(app.alphabet), {})


async def test_a_failure_is_shown_and_the_previous_model_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        yield from ()
        raise MemoryError("no room for the training set")

    monkeypatch.setattr(TrainingRun, "updates", broken)
    app = make_app(tmp_path, model=True)
    before = app.model
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.press("s")
        await settle(pilot)
        assert screen.state == "idle"
        assert app.model is before
        await wait_until(pilot, lambda: status_line(screen).startswith("Training failed:"))
        status = status_line(screen)
        assert status.startswith("Training failed:") and "no room" in status
        assert "the previous model is kept" in status
        assert not model_io.model_path(tmp_path, "abc").exists()


async def test_draw_offers_train_and_t_opens_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one(GuessPanel).offer == "Press t to train one."
        await pilot.press("t")
        await pilot.pause()
        assert app.current_mode == "train"
        train_screen(app)


def test_progress_messages_replace_only_their_own_run_and_lose_nothing() -> None:
    run = TrainingRun(load_bundled("abc"), TUTORIAL)
    update = Update(0, 1, ((0, 0.5),), ((0, 0.5), (1, 0.4)), 0.0, run.network, False)
    later = Update(2, 3, ((2, 0.3),), ((2, 0.3),), 0.0, run.network, False)
    other = TrainingRun(run.alphabet, TUTORIAL)
    older, newer = Progressed(run, update), Progressed(run, later)
    assert not older.can_replace(Progressed(other, later))
    # Only what is new travels; the queue drops the older one, which hands its news on.
    assert older.can_replace(newer)
    assert newer.log == ((0, 0.5), (2, 0.3))
    assert newer.curve == ((0, 0.5), (1, 0.4), (2, 0.3))


async def test_training_goes_on_while_drawing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await type_into(pilot, screen, "epochs", LONG)
        screen.set_focus(None)
        await press_while_training(pilot, "s")
        await press_while_training(pilot, "f3")
        assert app.current_mode == "draw"
        await wait_for(pilot, lambda: screen.run is not None and screen.run.epochs_done > 1000)
        assert screen.state == "running"
        screen.action_stop()  # x on Train; here x would delete a letter
        await answer_keep(pilot, "k")
        assert app.model is not None and 1000 < app.model.meta.epochs < int(LONG)
        # Draw, on screen all along, shows the model the moment it was installed.
        assert app.screen.query_one(GuessPanel).view.has_model


def test_letter_tui_train_opens_the_app_on_train(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import letter_tui.app.launch as launch

    seen: list[str] = []
    monkeypatch.setattr(launch, "run_app", lambda options: seen.append(options.mode) or 0)
    assert main(["train", "--alphabet", "az", "--data-dir", str(tmp_path)]) == 0
    assert seen == ["train"]
    # Training options belong to --headless: the app's form holds them, so say so.
    assert main(["train", "--lr", "0.3", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "letter-tui: error: --lr applies to --headless training; in the app, press e on "
        "Train and set it in the form\n"
    )
    assert seen == ["train"]


async def test_run_app_accepts_the_train_mode(tmp_path: Path) -> None:
    app = make_app(tmp_path, "az", mode="train")
    async with app.run_test(size=SIZE):
        assert app.current_mode == "train"
        assert train_screen(app).query_one(TrainForm).read()[0] == default_settings(app.alphabet)


async def test_quitting_mid_run_asks_then_stops_at_once_and_saves_nothing(tmp_path: Path) -> None:
    from letter_tui.app.screens.choice import ChoiceScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await start_long_run(pilot, screen)
        # While paused, s would throw the run away: it is not offered; space and x are.
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused" and app.game_in_progress
        assert screen.check_action("start", ()) is False
        await press_while_training(pilot, "space")
        await wait_for(pilot, lambda: screen.state == "running")
        await press_while_training(pilot, "ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "training run is unfinished" in str(app.game_in_progress)
        await press_while_training(pilot, "y")
    # The training thread saw the stop: the worker is done, no model was written.
    await asyncio.wait_for(asyncio.to_thread(lambda: None), timeout=DEADLINE_S)
    assert not model_io.model_path(tmp_path, "abc").exists()
    assert screen.run is None or screen.run.epochs_done < int(LONG)
