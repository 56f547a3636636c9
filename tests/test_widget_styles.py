"""Reusable widgets carry their own styles (DEFAULT_CSS): each looks right on whichever
screen shows it first, and in a bare App with no stylesheet of ours at all."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from letter_tui.app.screens.inside import InsideScreen
from letter_tui.app.widgets.letter_grid import LetterGrid
from tests.train_support import SIZE, make_app, settle


def cells_with_background(svg: str, grid: LetterGrid) -> int:
    """How many background rects on screen have the grid's lit-pixel colour."""
    lit = grid.get_component_rich_style("letter-grid--on").bgcolor
    assert lit is not None and lit.triplet is not None, "no lit-pixel style"
    return svg.lower().count(f'<rect fill="{lit.triplet.hex.lower()}"')


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield LetterGrid()


async def test_a_letter_grid_in_a_bare_app_draws_lit_and_unlit_pixels() -> None:
    app = Bare()
    async with app.run_test(size=(40, 10)) as pilot:
        grid = app.query_one(LetterGrid)
        grid.shape = (2, 2)
        grid.bitmap = (1, 0, 0, 1)
        await pilot.pause()
        on = grid.get_component_rich_style("letter-grid--on").bgcolor
        off = grid.get_component_rich_style("letter-grid--off").bgcolor
        assert on != off
        assert cells_with_background(app.export_screenshot(), grid) > 0


async def test_inside_opened_first_shows_its_letters(tmp_path: Path) -> None:
    """Train then Inside, Draw never opened: the forward pass's input letter is drawn with
    lit pixels on screen (app.py once documented it blank until Draw had been opened)."""
    app = make_app(tmp_path, model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InsideScreen)
        await pilot.press("2")
        await settle(pilot)
        grid = app.screen.query_one("#input", LetterGrid)
        assert cells_with_background(app.export_screenshot(), grid) > 0
