"""One colour language: each reader keeps one colour on every chart and bar, the top guess
is marked by shape rather than by a colour of its own, and the chart's lines differ in style
as well as colour (so nothing is told by colour alone)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color

from letter_tui.app import palette
from letter_tui.app.views.guess import GuessView
from letter_tui.app.widgets.accuracy_chart import AccuracyChart
from letter_tui.app.widgets.activation_bars import ActivationBars
from letter_tui.app.widgets.guess_panel import MARKER, GuessPanel
from letter_tui.app.widgets.noise_chart import NoiseChart


class Charts(App[None]):
    def compose(self) -> ComposeResult:
        yield GuessPanel()
        yield ActivationBars()
        yield NoiseChart()
        yield AccuracyChart()


def colour(widget, name: str) -> str:  # type: ignore[no-untyped-def]
    style = widget.get_component_rich_style(name)
    assert style.color is not None and style.color.triplet is not None, name
    return style.color.triplet.hex.upper()


async def test_each_reader_keeps_one_colour_on_every_chart() -> None:
    app = Charts()
    async with app.run_test(size=(80, 40)):
        guess, bars = app.query_one(GuessPanel), app.query_one(ActivationBars)
        scores, chart = app.query_one(NoiseChart), app.query_one(AccuracyChart)
        network = {
            colour(guess, "guess-panel--bar"),
            colour(guess, "guess-panel--top-bar"),  # the top guess: no colour swap
            colour(bars, "activation-bars--bar"),
            colour(scores, "noise-chart--network"),
            colour(chart, "accuracy-chart--network"),
        }
        assert network == {palette.NETWORK.upper()}
        best = {colour(scores, "noise-chart--ideal"), colour(chart, "accuracy-chart--ideal")}
        assert best == {palette.BEST_READER.upper()}
        assert colour(scores, "noise-chart--player") == palette.YOU.upper()
        assert colour(chart, "accuracy-chart--chance") == palette.CHANCE.upper()


class Guess(App[None]):
    def compose(self) -> ComposeResult:
        yield GuessPanel()


async def test_the_top_guess_is_marked_by_shape() -> None:
    app = Guess()
    async with app.run_test(size=(60, 16)) as pilot:
        panel = app.query_one(GuessPanel)
        view = GuessView(labels=("A", "B"), outputs=(0.2, 0.9), has_model=True)
        panel.view = view
        await pilot.pause()
        lines = [line for line in panel.plain.splitlines() if line[:2] in ("A ", "B ")]
        assert lines[1].startswith("B " + MARKER) and not lines[0].startswith("A " + MARKER)


def test_the_readers_differ_in_line_style_and_hue() -> None:
    assert len({palette.LINE["network"], palette.LINE["best"], palette.LINE["chance"]}) == 3
    # Red-green safe: no two series differ only along the red-green axis; in the Okabe-Ito
    # hues chosen, every pair differs in lightness or in blue-yellow.
    hues = [Color.parse(c) for c in (palette.YOU, palette.NETWORK, palette.BEST_READER)]
    for i, a in enumerate(hues):
        for b in hues[i + 1 :]:
            assert abs(a.b - b.b) > 40 or abs(a.brightness - b.brightness) > 0.15


class ForAgainst(App[None]):
    def compose(self) -> ComposeResult:
        from letter_tui.app.widgets.marked_grid import MarkedGrid
        from letter_tui.app.widgets.network_units import NetworkUnits
        from letter_tui.app.widgets.unit_maps import UnitDetail, UnitTiles

        yield MarkedGrid()
        yield UnitTiles()
        yield UnitDetail()
        yield NetworkUnits()


def background(widget, name: str) -> str:  # type: ignore[no-untyped-def]
    style = widget.get_component_rich_style(name)
    assert style.bgcolor is not None and style.bgcolor.triplet is not None, name
    return style.bgcolor.triplet.hex.upper()


async def test_for_and_against_keep_one_pair_in_the_heatmaps_and_the_why_overlay() -> None:
    """Red pushes toward, blue against, wherever a push is drawn; orange stays "you"."""
    from letter_tui.app.widgets.marked_grid import MarkedGrid
    from letter_tui.app.widgets.network_units import NetworkUnits
    from letter_tui.app.widgets.unit_maps import UnitDetail, UnitTiles

    app = ForAgainst()
    async with app.run_test(size=(80, 40)):
        heatmaps = [app.query_one(w) for w in (UnitTiles, UnitDetail, NetworkUnits)]
        assert {background(w, "heatmap--positive") for w in heatmaps} == {palette.FOR}
        assert {background(w, "heatmap--negative") for w in heatmaps} == {palette.AGAINST}
        grid = app.query_one(MarkedGrid)
        assert background(grid, "marked-grid--for-strong") == palette.FOR
        assert background(grid, "marked-grid--for") == palette.FOR_LIGHT
        assert background(grid, "marked-grid--against-strong") == palette.AGAINST
        assert background(grid, "marked-grid--against") == palette.AGAINST_LIGHT
        readers = {palette.YOU, palette.NETWORK, palette.BEST_READER, palette.CHANCE}
        for name in ("for-strong", "for", "against", "against-strong"):
            tint = background(grid, f"marked-grid--{name}")
            assert tint not in readers
            mark = Color.parse(colour(grid, f"marked-grid--{name}"))
            assert palette.contrast(mark, Color.parse(tint)) >= palette.AA, name
