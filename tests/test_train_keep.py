"""Never lose a good model in the app: a run that does not finish asks Keep / Discard (also
when leaving Train with it paused), a finished run keeps the model it replaced as
.previous.npz, a single step says its loss, and a run's end says how well it reads.

Every assertion on text reads the terminal as drawn (Textual's screenshot export); numbers
are compared with what the test computes itself, never with a float loss's last digits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from letter_tui.app.views.keep_run import NOISE_P, judge
from letter_tui.core import model_io
from tests.test_train_screen import LONG, start_long_run, wait_for
from tests.train_support import (
    SIZE,
    answer_keep,
    make_app,
    press_while_training,
    screen_text,
    settle,
    train_screen,
)


def status(app) -> str:  # type: ignore[no-untyped-def]
    """The status line's three rows as shown, joined into one text."""
    lines = screen_text(app).splitlines()
    return " ".join(line.strip() for line in lines[-4:-1] if line.strip())


def row(text: str, name: str) -> tuple[str, str]:
    """(clean, noisy) of one reader in the question's table, as shown."""
    match = re.search(rf"{name}\s+(\d+(?:\.\d+)? of \d+)\s+(\d+\.\d%)", text)
    assert match, f"no row {name!r} in:\n{text}"
    return match[1], match[2]


async def finish_a_run(pilot) -> None:  # type: ignore[no-untyped-def]
    await press_while_training(pilot, "s")
    await settle(pilot)


async def test_a_finished_run_saves_keeps_the_previous_and_says_how_well_it_reads(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    path = model_io.model_path(tmp_path, "abc")
    previous = model_io.previous_path(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await finish_a_run(pilot)
        assert path.exists() and not previous.exists()
        first = path.read_bytes()
        await pilot.pause(0.2)  # the status line has a frame of its own
        assert status(app).startswith("Finished 10000 epochs; saved as abc.npz. Draw and Quiz")
        # The end of the run, in the log as the terminal shows it: beside the best reader.
        expected = judge(app.model.network, app.alphabet, 42)
        shown = screen_text(app)
        assert "Clean letters read: 3 of 3" in shown
        assert f"Read at noise p = {NOISE_P:g}:" in shown
        assert re.search(rf"this network\s+{expected.run.noisy:.1%}", shown)
        assert re.search(rf"best possible reader\s+{expected.ideal.noisy:.1%}", shown)
        # A second clean finish replaces it without a question, keeping the first.
        await finish_a_run(pilot)
        assert previous.read_bytes() == first
        await pilot.pause(0.2)
        assert "(the model it replaced is now abc.previous.npz)" in status(app)
        assert screen.state == "idle"


async def test_stopping_early_asks_and_discard_keeps_the_saved_model(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    path = model_io.model_path(tmp_path, "abc")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await finish_a_run(pilot)
        good, saved = path.read_bytes(), app.model
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "x")
        shown = await answer_keep(pilot, "d")
        # The question, as drawn: both models and the best possible reader, on one table.
        assert "Keep this run's model?" in shown and "This run stopped after" in shown
        assert "(kept as abc.previous.npz)" in shown
        assert "Keep (k)" in shown and "Discard (d)" in shown and "Stay paused (esc)" in shown
        verdict = judge(saved.network, app.alphabet, 42)
        assert row(shown, "saved model") == ("3 of 3", f"{verdict.run.noisy:.1%}")
        assert row(shown, "best possible reader")[1] == f"{verdict.ideal.noisy:.1%}"
        assert row(shown, "this run")[0].endswith("of 3")
        # Discarded: the saved model, its file and the app's model are untouched.
        assert screen.state == "idle" and screen.run is None
        assert path.read_bytes() == good and app.model is saved
        assert not model_io.previous_path(path).exists()
        await pilot.pause(0.2)
        assert status(app).startswith("Discarded this run after")
        assert "the saved model stays" in status(app)


async def test_a_step_after_a_finished_run_then_x_asks_and_keep_replaces(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    path = model_io.model_path(tmp_path, "abc")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await finish_a_run(pilot)
        good = path.read_bytes()
        await pilot.press("n")  # a new run, one epoch
        await settle(pilot)
        assert screen.state == "paused"
        await pilot.press("x")
        shown = await answer_keep(pilot, "escape")
        # Escape: nothing happens, the run waits.
        assert row(shown, "this run")[0] in ("0 of 3", "1 of 3", "2 of 3", "3 of 3")
        assert screen.state == "paused" and screen.run is not None
        assert path.read_bytes() == good
        await pilot.press("x")
        await answer_keep(pilot, "k")
        assert screen.state == "idle" and app.model is not None and app.model.meta.epochs == 1
        assert model_io.load_model(path).meta.epochs == 1
        assert model_io.previous_path(path).read_bytes() == good
        await pilot.pause(0.2)
        assert status(app).startswith(
            "Stopped after 1 epoch; saved as abc.npz (the model it replaced is now "
            "abc.previous.npz). Draw and Quiz use it now."
        )


async def test_without_a_saved_model_the_question_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(64, 20)) as pilot:  # the smallest size: all of it shows
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("x")
        shown = await answer_keep(pilot, "k")
        assert "Keep saves it for Draw and Quiz; Discard drops it." in " ".join(
            line.strip(" █") for line in shown.splitlines()
        )
        assert re.search(r"saved model\s+none saved yet", shown)
        assert "Keep (k)" in shown and "Stay paused (esc)" in shown
        assert model_io.model_path(tmp_path, "abc").exists()


@pytest.mark.parametrize("key", ["escape", "f3"])
async def test_leaving_train_with_a_paused_run_asks_first(tmp_path: Path, key: str) -> None:
    app = make_app(tmp_path)
    path = model_io.model_path(tmp_path, "abc")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused"
        await pilot.press(key)
        shown = await answer_keep(pilot, "escape")
        assert "You are leaving Train with a run paused after" in shown
        assert "Stay on Train (esc)" in shown
        # Stayed: still on Train, the run still paused.
        assert app.current_mode == "train" and screen.state == "paused"
        await pilot.press(key)
        if key == "escape":
            await answer_keep(pilot, "d")
            assert app.current_mode == "home" and not path.exists()
        else:
            await answer_keep(pilot, "k")
            assert app.current_mode == "draw"
            assert 0 < model_io.load_model(path).meta.epochs < int(LONG)
        assert screen.run is None and screen.state == "idle"


async def test_leaving_while_it_trains_asks_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "f3")
        await wait_for(pilot, lambda: app.current_mode == "draw")
        assert screen.state == "running"
        screen.action_pause()
        await settle(pilot)


async def test_quitting_with_a_paused_run_asks_keep_or_discard(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    path = model_io.model_path(tmp_path, "abc")
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "space")
        await settle(pilot)
        await pilot.press("ctrl+q")
        shown = await answer_keep(pilot, "k")
        assert "You are leaving Train with a run paused" in shown
    # Kept, then quit: the app ended by itself after the answer.
    assert app.return_code == 0
    assert 0 < model_io.load_model(path).meta.epochs < int(LONG)


async def test_a_single_step_says_its_loss_and_how_it_changed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.press("n")
        await settle(pilot)
        run = screen.run
        assert run is not None
        first = dict(run.curve)[0]
        said = status(app)
        match = re.match(r"Epoch 0: loss (\S+)\. Paused after 1 epoch of 10000\.", said)
        assert match, said
        # Three significant figures on screen: within half a unit of the third digit.
        assert float(match[1]) == pytest.approx(first, rel=5e-3)
        for epoch in (1, 2):
            await pilot.press("n")
            await settle(pilot)
            losses = dict(run.curve)
            said = status(app)
            match = re.match(
                rf"Epoch {epoch}: loss (\S+), (down|up) (\S+) from epoch {epoch - 1}\. "
                rf"Paused after {epoch + 1} epochs of 10000\.",
                said,
            )
            assert match, said
            change = losses[epoch] - losses[epoch - 1]
            assert float(match[2 - 1]) == pytest.approx(losses[epoch], rel=5e-3)
            assert match[2] == ("down" if change < 0 else "up")
            assert float(match[3]) == pytest.approx(abs(change), rel=0.05)
