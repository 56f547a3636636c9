"""The Train screen's smaller promises: held-down single steps, the stats line beside the
bar (never cut, never stale), and the form dimming what training noise alone controls."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from letter_tui.app.views.run_text import stats_choices
from letter_tui.app.widgets.loss_log import fit_line
from letter_tui.app.widgets.text_line import TextLine
from letter_tui.app.widgets.train_form import NOISE_ONLY, TrainForm
from letter_tui.core.training import Update, format_log_line
from tests.test_train_screen import start_long_run, type_into, wait_for
from tests.train_support import (
    SIZE,
    answer_keep,
    make_app,
    press_while_training,
    screen_lines,
    settle,
    status_line,
    train_screen,
)


def update(done: int, total: int, seconds: float, *, finished: bool = False) -> Update:
    return Update(
        epochs_done=done,
        epochs_total=total,
        log=(),
        curve=(),
        seconds=seconds,
        network=None,  # type: ignore[arg-type]
        finished=finished,
    )


def test_stats_choices_go_from_most_to_least_said() -> None:
    running = stats_choices(update(2500, 10000, 1.0), None)
    assert running[0] == "2500/10000 epochs, 3.0 s left, 2,500/s"
    assert running[-1] == "2500/10000"
    assert all(len(a) > len(b) for a, b in itertools.pairwise(running))
    done = stats_choices(update(10000, 10000, 0.1, finished=True), None)
    assert done[1:3] == ["10000/10000 epochs in 0.1 s", "10000/10000 in 0.1 s"]
    # An unfinished run that is not moving says why, and never a time left.
    assert stats_choices(update(30, 100, 1.0), "paused")[0] == "30/100 epochs, paused"
    assert stats_choices(update(30, 100, 1.0), "stopped")[0] == "30/100 epochs, stopped"
    # Screenshots leave out the clock.
    assert stats_choices(update(10, 10, 0.5, finished=True), None, timing=False) == [
        "10/10 epochs",
        "10/10",
    ]


def stats(screen) -> str:  # type: ignore[no-untyped-def]
    return screen.query_one("#stats", TextLine).text.plain


async def test_the_stats_line_fits_and_says_paused_then_stopped(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        width = screen.query_one("#stats").size.width
        await press_while_training(pilot, "s")
        await settle(pilot)
        text = stats(screen)
        # The tutorial's run at 80 columns: the time it took is shown whole.
        assert text.startswith("10000/10000") and text.endswith(" s") and len(text) <= width
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused"
        assert stats(screen).endswith("paused") and "left" not in stats(screen)
        await press_while_training(pilot, "x")
        await answer_keep(pilot, "k")
        assert screen.state == "idle" and stats(screen).endswith("stopped")


async def test_single_steps_pressed_faster_than_they_run_all_happen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        await pilot.press("n")
        await settle(pilot)
        run = screen.run
        assert screen.state == "paused" and run is not None and run.epochs_done == 1
        # Three presses inside one step (a held key): the first steps, the others queue.
        screen.action_step()
        assert screen.state == "stepping" and screen.check_action("step", ()) is True
        screen.action_step()
        screen.action_step()
        await wait_for(pilot, lambda: screen.state == "paused")
        await settle(pilot)
        assert run.epochs_done == 4 and screen.run is run
        # A pause while steps are queued drops them.
        screen.action_step()
        screen.action_step()
        screen.action_pause()
        await wait_for(pilot, lambda: screen.state == "paused")
        await settle(pilot)
        assert run.epochs_done <= 5 and app.model is None


async def test_fields_that_only_noise_uses_are_dimmed_without_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)  # abc: the tutorial's settings, no training noise
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        form = screen.query_one(TrainForm)

        def dimmed() -> set[str]:
            return {
                name
                for name in (*NOISE_ONLY, "hidden", "noise")
                if form.editor(name).parent.has_class("-unused")  # type: ignore[union-attr]
            }

        assert dimmed() == set(NOISE_ONLY)
        await type_into(pilot, screen, "noise", "0.1")
        assert dimmed() == set()
        await type_into(pilot, screen, "noise", "lots")  # refused: nothing to say of them
        assert dimmed() == set()
        await type_into(pilot, screen, "noise", "0")
        assert dimmed() == set(NOISE_ONLY)


async def test_a_log_line_too_wide_for_its_box_is_marked_and_scrolls_sideways(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(64, 20)) as pilot:  # the smallest size the app accepts
        screen = train_screen(app)
        await press_while_training(pilot, "s")
        await settle(pilot)
        # The footer overflows at 64 columns; nothing of the hidden keys shows beside the
        # palette key at the right edge (Textual's compact margin used to leave a column).
        bottom = screen_lines(app)[-1]
        assert bottom.rstrip().endswith("^p palette")
        # The bar gives up room, so the epochs beside it are shown whole.
        width = screen.query_one("#stats").size.width
        assert stats(screen).startswith("10000/10000") and len(stats(screen)) <= width
        box = screen.query_one("#log")
        losses = dict(run_losses(screen))
        # Read off the screen: every loss line shows its loss whole, exponent and all, with
        # fewer digits (7.47e-06, never a cut 7.474481…); never a number that reads as another.
        shown = log_rows(app)
        epoch_rows = [row for row in shown if row.startswith("Epoch ")]
        assert epoch_rows and len(epoch_rows) + 4 == len(shown)
        for row in epoch_rows:
            assert "…" not in row, row
            epoch, loss = parse_loss(row)
            assert loss == pytest.approx(losses[epoch], rel=1e-3)
            assert ("e-" in row) == ("e-" in format_log_line(epoch, losses[epoch]))
        whole = [format_log_line(e, losses[e]) for e, _ in map(parse_loss, epoch_rows)]
        assert any(len(row) < len(line) for row, line in zip(epoch_rows, whole, strict=True))
        # The whole line is a scroll away, and the border says so.
        assert box.border_subtitle.endswith("→")
        await pilot.press("l", *["right"] * 8)
        last = [line for line in screen.log_lines() if line.startswith("Epoch ")][-1]
        assert any(row.startswith("…") and last.endswith(row[1:]) for row in log_rows(app))
        assert box.border_subtitle.endswith("←")
        await pilot.resize_terminal(100, 24)  # wide enough again: whole lines, no marks
        await pilot.pause()
        assert last in log_rows(app) and "←" not in box.border_subtitle
        await pilot.press("escape")


def run_losses(screen) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    return [parse_loss(line) for line in screen.log_lines() if line.startswith("Epoch ")]


def parse_loss(text: str) -> tuple[int, float]:
    match = re.fullmatch(r"Epoch (\d+), Loss: (\S+)", text)
    assert match, text
    return int(match[1]), float(match[2])


def log_rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The log box's rows as the terminal shows them."""
    lines = screen_lines(app)
    top = next(i for i, line in enumerate(lines) if "─ Log ─" in line)
    left = lines[top].index("╭─ Log")
    rows = []
    for line in lines[top + 1 :]:
        if line[left:].startswith("╰"):
            break
        rows.append(line[left + 1 :].split("│")[0].strip())
    return rows


@pytest.mark.parametrize(
    ("line", "width", "shown"),
    [
        ("Epoch 1461000, Loss: 2.3517432345e-10", 29, "Epoch 1461000, Loss: 2.35e-10"),
        ("Epoch 1461000, Loss: 2.3517432345e-10", 28, "Epoch 1461000, Loss: 2.4e-10"),
        ("Epoch 10000000, Loss: 2.3517432345e-10", 28, "Epoch 10000000, Loss: 2e-10"),
        ("Epoch 1000, Loss: 0.004769725097954064", 24, "Epoch 1000, Loss: 0.0048"),
        ("Epoch 0, Loss: 0.25", 28, "Epoch 0, Loss: 0.25"),
        ("Clean letters read: 26 of 26", 20, "Clean letters read:…"),
    ],
)
def test_a_loss_gives_up_digits_never_its_exponent(line: str, width: int, shown: str) -> None:
    assert fit_line(line, width) == shown


async def test_the_settings_stay_those_of_the_run_until_it_is_saved(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = train_screen(app)
        form = screen.query_one(TrainForm)
        await start_long_run(pilot, screen)
        await press_while_training(pilot, "space")
        await settle(pilot)
        assert screen.state == "paused" and form.fields_locked
        before = form.read()
        for action in ("tutorial", "defaults", "edit"):
            assert screen.check_action(action, ()) is False
        await pilot.press("T", "e", "tab")
        assert form.read() == before and not form.has_focus_within
        assert "x stops and asks whether to keep this run" in status_line(screen)
        await press_while_training(pilot, "x")
        await answer_keep(pilot, "d")
        assert screen.state == "idle" and not form.fields_locked
        await pilot.press("n")  # a new run, one epoch: said in the singular
        await settle(pilot)
        await wait_for(pilot, lambda: "Paused after" in status_line(screen))
        assert "Paused after 1 epoch of 3000000." in status_line(screen)
