"""The live guess: what it computes (no Textual), how the panel draws it, model loading."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from app_support import SIZE, make_app, record_notifications, trained

from letter_tui.app.views.guess import guess_view
from letter_tui.app.widgets.guess_panel import GuessPanel, bar
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.core import model_io
from letter_tui.core.alphabet import load_bundled
from tests.waiting import wait_until


def test_bar_is_proportional_in_eighths() -> None:
    assert bar(0.0, 4) == "    "
    assert bar(1.0, 4) == "████"
    assert bar(0.5, 4) == "██  "
    assert bar(0.125, 4) == "▌   " and bar(1 / 16, 4) == "▎   "
    assert bar(1.7, 3) == "███" and bar(-1, 3) == "   "


def test_guess_view_states() -> None:
    abc = load_bundled("abc")
    model = trained("abc")
    assert "No model" in guess_view(None, abc, abc.bitmaps[0]).notice
    assert guess_view(None, abc, abc.bitmaps[0], loading=True).notice.startswith("Loading")
    view = guess_view(model, abc, abc.bitmaps[1])
    assert view.notice == "" and view.labels == abc.labels and view.best == 1
    # Outputs are independent sigmoids: each in (0, 1), not normalised.
    assert all(0 < v < 1 for v in view.outputs)
    added = abc.with_letter("Z")
    assert "added Z" in guess_view(model, added, added.bitmaps[0]).notice
    redrawn = abc.with_bitmap(0, (1,) * 30)
    assert "redrawn" in guess_view(model, redrawn, redrawn.bitmaps[0]).notice
    other = dataclasses.replace(abc, rows=6, cols=5)
    wrong = guess_view(model, other, other.bitmaps[0])
    assert wrong.outputs == () and "out of date" in wrong.notice and wrong.has_model


async def test_many_letters_show_the_strongest_first(tmp_path: Path) -> None:
    app = make_app(tmp_path, name="az", model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(GuessPanel)
        lines = panel.plain.splitlines()
        assert len(lines) <= panel.size.height
        bars = [line for line in lines if line[:2] in {f"{x} " for x in app.alphabet.labels}]
        values = [float(line.split()[-1]) for line in bars]
        assert values == sorted(values, reverse=True)
        assert bars[0].startswith(panel.view.labels[panel.view.best] + " ")
        # The letters left out: a bound that never reads as "exactly nothing" (0.00).
        more = [line for line in lines if " more, all " in line]
        assert more and "0.00" not in more[0]
        assert more[0].endswith(("under 0.01", "or less"))


async def test_saved_model_loads_after_the_first_frame(tmp_path: Path) -> None:
    model_io.save_model(trained("abc"), model_io.model_path(tmp_path, "abc"))
    app = make_app(tmp_path, load_saved_model=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(GuessPanel)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model is not None and not app.model_loading
        assert panel.view.labels == ("A", "B", "C")


async def test_a_corrupt_model_is_reported_not_fatal(tmp_path: Path) -> None:
    path = model_io.model_path(tmp_path, "abc")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a model")
    app = make_app(tmp_path, load_saved_model=True)
    said = record_notifications(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model is None and not app.model_loading
        assert any("not a readable model" in message for message in said)
        # Said as unreadable, not as missing: the user has a file there.
        assert "saved model cannot be read" in app.screen.query_one(GuessPanel).plain


async def test_train_is_offered_and_t_opens_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Press t to train one." in app.screen.query_one(GuessPanel).plain
        await pilot.press("t")
        assert app.current_mode == "train"


async def test_a_new_theme_recolours_the_panel_and_grid(tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(GuessPanel)
        grid = app.screen.query_one(LetterGrid)
        y = next(y for y in range(grid.size.height) if "[" in grid.render_line(y).text)

        def colours() -> tuple[object, ...]:
            top = panel.render_line(0)
            cells = grid.render_line(y)
            return tuple(seg.style.color for seg in top) + tuple(s.style.bgcolor for s in cells)

        dark = colours()
        app.theme = "textual-light"
        await pilot.pause()
        assert colours() != dark
        app.theme = "textual-dark"
        await pilot.pause()
        assert colours() == dark


async def test_the_panel_fits_its_width_from_the_first_frame(tmp_path: Path) -> None:
    app = make_app(tmp_path, name="abc", model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(GuessPanel)
        lines = panel.plain.splitlines()
        assert lines and max(len(line) for line in lines) <= panel.size.width
        assert any(line.rstrip().endswith(f"{max(panel.view.outputs):.2f}") for line in lines)


async def test_a_model_trained_in_another_terminal_is_picked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app looks at the file every MODEL_POLL_SECONDS: often, so the test need not wait.
    monkeypatch.setattr("letter_tui.app.app.MODEL_POLL_SECONDS", 0.05)
    app = make_app(tmp_path, load_saved_model=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(GuessPanel)
        assert app.model is None and "No model" in panel.plain
        # What `letter-tui train --headless` does meanwhile, in another process.
        model_io.save_model(trained("abc"), model_io.model_path(tmp_path, "abc"))
        await wait_until(pilot, lambda: app.model is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Top guess: A" in panel.plain
