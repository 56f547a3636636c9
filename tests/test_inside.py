"""Pilot tests of the inside view: units, forward pass, noise chart and confusion matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from letter_tui.app.screens.inside import InsideScreen
from letter_tui.app.views.braille import BrailleCanvas, distinct_dots, scale, scale_all
from letter_tui.app.views.inside_data import forward_pass
from letter_tui.app.widgets.accuracy_chart import AccuracyChart, noise_table
from letter_tui.app.widgets.activation_bars import ActivationBars
from letter_tui.app.widgets.confusion_matrix import ConfusionMatrix
from letter_tui.app.widgets.loss_curve import tick
from letter_tui.app.widgets.unit_maps import UnitDetail, UnitTiles
from letter_tui.core.evaluate import confusion, noise_curve
from tests.train_support import SIZE, make_app, quick_model, screen_lines, settle


async def test_inside_shows_the_model_and_evaluates_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)
    model = quick_model()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        inside = app.screen
        assert isinstance(inside, InsideScreen)
        tiles, detail = inside.query_one(UnitTiles), inside.query_one(UnitDetail)
        assert tiles.data is not None and tiles.data.hidden == model.meta.hidden
        await pilot.press("right", "right")
        assert tiles.selected == detail.selected == 2
        assert detail.data.weights(2) == tuple(model.network.W1[:, 2])
        # Forward pass: letter B, numbers shown on demand.
        await pilot.press("2", "right_square_bracket", "v")
        outputs = inside.query_one("#outputs", ActivationBars)
        expected = forward_pass(model.network, app.alphabet.bitmaps[1])
        assert outputs.values == expected.outputs and outputs.numbers
        assert "reads it as B" in outputs.note
        grid = inside.query_one("#input")
        await pilot.press("plus", "plus")  # noise in the subtitle: the title box is narrow
        assert (grid.border_title, grid.border_subtitle) == ("Input B", "noise 0.10")
        # Noise chart: the core's numbers, with the model's seed (as the headless CLI).
        await pilot.press("3")
        await settle(pilot)
        curve = inside.query_one(AccuracyChart).curve
        assert curve == noise_curve(model.network, app.alphabet, seed=model.meta.seed)
        # Confusion at p = 0.10, then 0.15 after "+".
        await pilot.press("4")
        await settle(pilot)
        assert inside.query_one(ConfusionMatrix).confusion.p == 0.1
        await pilot.press("plus")
        await settle(pilot)
        got = inside.query_one(ConfusionMatrix).confusion
        assert got == confusion(model.network, app.alphabet, 0.15, seed=model.meta.seed)
        box = inside.query_one("#matrix-box")
        assert box.border_title == "% of letter (row) read as (column)"
        assert box.border_subtitle == "noise 0.15"
        await pilot.press("escape")
        assert not isinstance(app.screen, InsideScreen)


async def test_inside_follows_training_live(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        inside = app.screen
        assert inside.query_one(UnitTiles).data is None
        assert "No model yet" in str(inside.query_one("#inside-status").render())
        await pilot.press("escape", "n")  # one epoch: the inside view shows those weights
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        run = app.screen_stack[-2].run
        data = app.screen.query_one(UnitTiles).data
        assert data is not None and np.array_equal(data.W1, run.network.W1)
        # One epoch leaves the run paused: not "training, epoch 1 (live)".
        shown = "\n".join(screen_lines(app))
        assert "paused at epoch 1" in shown and "(live)" not in shown


def test_braille_line_and_ticks() -> None:
    canvas = BrailleCanvas(2, 1)
    canvas.line(0, 0, 3, 3)
    assert canvas.text() == "⠑⢄"
    assert tick(0.25) == "0.25" and tick(0.0312345) == "0.0312"
    assert tick(4.8213e-05) == "4.82e-05"  # 3 significant figures, as every loss on screen


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=60),
    st.floats(-10, 10),
    st.one_of(st.just(0.0), st.floats(1e-6, 20)),  # log_range keeps ends 0.1 apart
    st.integers(0, 90),
)
def test_array_scaling_and_deduped_dots_draw_the_same_curve(
    values: list[float], low: float, span: float, size: int
) -> None:
    """The loss curve's NumPy path draws exactly what the dot-by-dot one did."""
    high = low + span
    xs = scale_all(np.asarray(values, dtype=np.float64), low, high, size)
    assert xs.tolist() == [scale(v, low, high, size) for v in values]
    ys = xs[::-1].copy()
    slow, fast = BrailleCanvas(46, 23), BrailleCanvas(46, 23)
    slow.polyline(list(zip(xs.tolist(), ys.tolist(), strict=True)))
    fast.polyline(distinct_dots(xs, ys))
    assert fast.text() == slow.text()


def test_noise_table_names_the_widest_gap() -> None:
    model = quick_model()
    from letter_tui.core.alphabet import load_bundled

    curve = noise_curve(model.network, load_bundled("abc"), samples=2000)
    worst = max(curve.points, key=lambda pt: pt.ideal - pt.network)
    text = noise_table(curve).plain
    if (worst.ideal - worst.network) * 100 > 0.5:
        assert f"worst against the best possible reader at noise {worst.p:.2f}" in text
    assert "chance 33.3%" in text


def test_noise_table_says_worse_without_a_sign_that_reads_as_ahead() -> None:
    from letter_tui.core.evaluate import NoiseCurve, NoisePoint

    # Level, a hair better than the best reader's expectation (luck), and 0.3 worse.
    points = (
        NoisePoint(0.0, 1.0, 1.0, 0.5),
        NoisePoint(0.1, 0.9501, 0.95, 0.5),
        NoisePoint(0.2, 0.897, 0.9, 0.5),
    )
    lines = noise_table(NoiseCurve(points, 10, 0)).plain.splitlines()
    assert lines[0].split() == ["noise", "network", "best", "reader", "worse"]
    assert lines[1].split()[-1] == "none"
    assert lines[2].split()[-1] == "none"
    assert lines[3].split()[-1] == "0.3"
    text = "\n".join(lines)
    assert "+" not in text and "-0" not in text
    assert "worse: points of accuracy below the best possible reader" in " ".join(text.split())


def test_a_rare_mix_up_in_the_list_is_under_a_tenth_of_a_percent_not_zero() -> None:
    from letter_tui.app.widgets.confusion_matrix import mix_ups_text
    from letter_tui.core.evaluate import Confusion

    c = Confusion(("A", "B"), ((3331, 2), (1, 3332)), 0.1)
    text = mix_ups_text(c).plain
    assert " A read as B   0.1%" in text  # 2 of 3333
    assert " B read as A  <0.1%" in text  # 1 of 3333: not "0.0%"
    assert "the network reads >99.9% right" in text  # 3 wrong: not "100.0%"


async def test_a_rare_mix_up_shows_as_under_one_percent_not_zero() -> None:
    from textual.app import App, ComposeResult

    from letter_tui.core.evaluate import Confusion

    class Matrix(App[None]):
        def compose(self) -> ComposeResult:
            yield ConfusionMatrix()

    app = Matrix()
    async with app.run_test(size=(30, 6)) as pilot:
        matrix = app.query_one(ConfusionMatrix)
        matrix.confusion = Confusion(("A", "B"), ((999, 1), (0, 1000)), 0.1)
        matrix.numbers = True
        await pilot.pause()
        # Two letters: wide cells with the percentage inside, numbers on or off.
        assert matrix.render_line(1).text.rstrip() == " A  100%  <1%"
        assert matrix.render_line(2).text.rstrip() == " B        100%"
        matrix.numbers = False
        await pilot.pause()
        assert matrix.render_line(1).text.rstrip() == " A  100%  <1%"
    # Too many letters for wide cells in the room: narrow numbers, as before.
    app = Matrix()
    async with app.run_test(size=(12, 6)) as pilot:
        matrix = app.query_one(ConfusionMatrix)
        matrix.confusion = Confusion(("A", "B"), ((999, 1), (0, 1000)), 0.1)
        matrix.numbers = True
        await pilot.pause()
        assert matrix.render_line(1).text.rstrip() == " A 100 <1"
        assert matrix.render_line(2).text.rstrip() == " B    100"


async def test_all_26_letters_of_the_matrix_are_reachable_at_80x24(tmp_path: Path) -> None:
    from tests.quiz_helpers import screen_text

    app = make_app(tmp_path, "az", model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        text = screen_text(app)
        # Every column fits as shades; the rows past O say so, and how to reach them.
        assert "   ABCDEFGHIJKLMNOPQRSTUVWXYZ" in text
        assert "│ O " in text and "│ P " not in text
        assert "Rows A-O of 26 shown; ↑ ↓ scroll" in text
        for _ in range(5):
            await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "│ Z " in text and "│ A " not in text
        assert "   ABCDEFGHIJKLMNOPQRSTUVWXYZ" in text  # the column letters stay on screen
        assert "Rows L-Z of 26 shown" in text
        # With numbers the columns are 3 wide: they scroll sideways too, letters pinned.
        await pilot.press("v")
        await pilot.pause()
        assert "columns A-P of 26 shown; arrows scroll" in screen_text(app)
        for _ in range(6):
            await pilot.press("right")
        for _ in range(5):
            await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "    K  L  M  N  O  P  Q  R  S  T  U  V  W  X  Y  Z" in text
        assert "Rows M-Z, columns K-Z of 26 shown" in text
        matrix = app.screen.query_one(ConfusionMatrix)
        z = matrix.confusion.counts[25]
        assert f"{round(100 * z[25] / sum(z)):>3d} │" in text.splitlines()[-6]  # Z read as Z


async def test_the_whole_matrix_fits_at_120x40_without_a_scroll_note(tmp_path: Path) -> None:
    from tests.quiz_helpers import screen_text

    app = make_app(tmp_path, "az", model=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        text = screen_text(app)
        assert "   A B C D E F G H I J K L M N O P Q R S T U V W X Y Z" in text
        assert "│ A " in text and "│ Z " in text
        assert "shown;" not in text
