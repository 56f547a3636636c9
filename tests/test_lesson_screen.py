"""The Lesson screen as a person sees it (Textual's public SVG export), and a snapshot per step."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from app_support import SIZE, make_app
from lesson_support import screen_text
from test_draw_pty import CTRL_Q, RIGHT, Terminal, command
from test_tutorial import TUTORIAL_LOG
from waiting import wait_until

from letter_tui.core import lesson as lesson_module

CODE = ("prepare_dataset", "initial_weights", "sigmoid", "forward", "backward", "train", "predict")
VALUES = ("X (3, 30)", "W1 (30, 5)", "A1 (3, 5)", "Z1 (3, 5)", "dZ2 (3, 3)", "Epoch 0, Loss:", "A2")


def epoch_shown(text: str) -> int:
    found = re.search(r"^ Epoch (\d+): \d+ hidden units", text, re.M)
    assert found, text
    return int(found.group(1))


async def test_right_walks_step_1_to_7_with_code_and_values(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for number in range(1, 8):
            text = screen_text(app)
            assert f"Step {number} of 7:" in text
            assert f"def {CODE[number - 1]}(" in text, text
            assert VALUES[number - 1] in text, text
            assert epoch_shown(text) == 0
            await pilot.press("right")
            await pilot.pause()
        assert "Step 7 of 7:" in screen_text(app)  # no step 8
        for _ in range(8):
            await pilot.press("left")
        await pilot.pause()
        assert "Step 1 of 7:" in screen_text(app)


async def test_cut_code_says_how_to_reach_the_rest_and_tab_then_down_shows_it(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, mode="lesson")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "the rest of the code" not in screen_text(app)  # step 1's code fits
        await pilot.press("right")
        await wait_until(pilot, lambda: "tab, then ↓: the rest of the code" in screen_text(app))
        assert "return W1, b1, W2, b2" not in screen_text(app)
        await pilot.press("tab", *["down"] * 6)
        await wait_until(pilot, lambda: "return W1, b1, W2, b2" in screen_text(app))
        await pilot.resize_terminal(120, 40)  # all of it fits beside the values
        await wait_until(pilot, lambda: "the rest of the code" not in screen_text(app))


async def test_space_changes_every_steps_values(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = []
        for _ in range(7):
            before.append(screen_text(app))
            await pilot.press("right")
        await pilot.press("space")
        await pilot.pause()
        for number in range(7, 0, -1):
            await pilot.pause()
            text = screen_text(app)
            assert f"Step {number} of 7:" in text
            assert epoch_shown(text) == 1
            if number != 1:  # the dataset does not change; its epoch line does
                values = [line for line in text.splitlines() if "±" not in line]
                assert values != before[number - 1].splitlines(), number
            await pilot.press("left")


async def test_a_thousand_epochs_then_back_to_epoch_0(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(5):
            await pilot.press("right")
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Step 6 of 7:" in text and epoch_shown(text) == 1100
        lines = dict(re.findall(r"Epoch (\d+), Loss: (\S+)", text))
        assert set(lines) >= {"0", "1000", "1100"}
        assert float(lines["1000"]) == pytest.approx(TUTORIAL_LOG[1][1], rel=1e-9)
        await pilot.press("0")
        await pilot.pause()
        text = screen_text(app)
        assert epoch_shown(text) == 0 and "Epoch 1000, Loss" not in text


async def test_wide_terminal_puts_code_beside_values(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any(
            "Code (" in line and "Values now" in line for line in screen_text(app).splitlines()
        )
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert any("Code (" in line and "Values now" in line for line in rows)
        assert len(rows) == 40 and max(len(r) for r in rows) <= 120
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Step 1 of 7:" in screen_text(app)


async def test_az_shows_a_few_letters_and_units_at_a_time(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson", name="az")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Showing letters A B C of 26" in text and "hidden units 1-5 of 64" in text
        await pilot.press("n", "u")
        await pilot.pause()
        text = screen_text(app)
        assert "Showing letters D E F of 26" in text and "hidden units 6-10 of 64" in text


async def test_home_key_palette_and_help(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Lesson" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert "Step 1 of 7:" in screen_text(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to Lesson" not in titles  # already here
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Lesson" in text and "seven steps" in text
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert "Go to Lesson" in [c.title for c in app.get_system_commands(app.screen)]


async def test_the_trained_model_continues_where_it_stopped(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="lesson", model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        text = screen_text(app)
        assert epoch_shown(text) == 3000 and "started from the trained" in text


@pytest.mark.parametrize("step", range(1, 8))
def test_snapshot_of_each_step(tmp_path: Path, snap_compare, monkeypatch, step: int) -> None:
    # The printed loss has every digit Python gives, and its last ones depend on the order
    # of float sums (the BLAS build): the picture holds six; test_lesson checks them all.
    monkeypatch.setattr(
        lesson_module, "tutorial_line", lambda epoch, loss: f"Epoch {epoch}, Loss: {loss:.6f}"
    )
    app = make_app(tmp_path, mode="lesson")
    assert snap_compare(app, press=["right"] * (step - 1), terminal_size=SIZE)


@pytest.mark.skipif(not command(), reason="letter-tui is not installed")
def test_the_lesson_through_a_real_terminal(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER")
    }
    env.update(TERM="xterm-256color", LETTER_TUI_DATA_DIR=str(tmp_path))
    term = Terminal([command(), "lesson"], env)
    try:
        term.wait_for("Step 1 of 7: Preparing the dataset")
        term.wait_for("X (3, 30)")
        for number in range(2, 8):
            term.send(RIGHT)
            term.wait_for(f"Step {number} of 7:")
        term.wait_for("Predicted class for letter A")
        term.send(" ")
        term.wait_for("Epoch 1: 5 hidden units")
        term.send("k")
        term.wait_for("Epoch 1001: 5 hidden units")
        term.send(CTRL_Q)
        term.proc.wait()
    finally:
        term.close()
