"""The letter grows with the room: its size read off the exported screen in Draw and in the
quiz's round and reveal pages, at 80x24 (as before) and 120x40, and after a resize."""

from __future__ import annotations

import re
from pathlib import Path

from textual.geometry import Region

from letter_tui.core.quiz import QuizSettings

from . import app_support, quiz_helpers

# Textual's SVG export draws each run of cells with one background as a rect on a fixed
# cell pitch; these are its constants in 8.x.
CELL_W, CELL_H, TOP = 12.2, 24.4, 1.5
RECT = re.compile(
    r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+"'
)


def cell_fills(svg: str) -> dict[tuple[int, int], str]:
    """Each cell's background colour, keyed by (x, y) in cells."""
    cells: dict[tuple[int, int], str] = {}
    for fill, x, y, width in RECT.findall(svg):
        col, row = round(float(x) / CELL_W), round((float(y) - TOP) / CELL_H)
        for c in range(col, col + round(float(width) / CELL_W)):
            cells[(c, row)] = fill
    return cells


def letter_box(svg: str, region: Region) -> tuple[int, int]:
    """Width and height, in cells, of what is painted inside `region` on another background
    than its own (the letter's pixels, lit or not)."""
    cells = cell_fills(svg)
    inside = [(x, y) for x in range(region.x, region.right) for y in range(region.y, region.bottom)]
    background = cells[(region.x, region.y)]  # a corner is blank: the letter is centred
    painted = [(x, y) for x, y in inside if cells.get((x, y), background) != background]
    assert painted, "no letter drawn"
    xs, ys = [x for x, _ in painted], [y for _, y in painted]
    return max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def size_of(app, selector: str) -> tuple[int, int]:
    return letter_box(app.export_screenshot(), app.screen.query_one(selector).region)


def width_of(app, selector: str) -> int:
    return app.screen.query_one(selector).region.width


# A 6x5 letter at scale s is 12s columns by 5s rows.
SCALE = {s: (12 * s, 5 * s) for s in (1, 2, 3, 4)}


async def test_draw_letter_grows_at_120x40(tmp_path: Path) -> None:
    app = app_support.make_app(tmp_path, model=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert size_of(app, "#grid") == SCALE[3]  # as before
        assert (width_of(app, "#grid-panel"), width_of(app, "#guess-box")) == (38, 42)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert size_of(app, "#grid") == SCALE[4]
        assert width_of(app, "#guess-box") >= 42
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert size_of(app, "#grid") == SCALE[3]


async def test_quiz_letters_grow_at_120x40(tmp_path: Path) -> None:
    app = quiz_helpers.make_app(tmp_path, alphabet="az", settings=QuizSettings(rounds=3, seed=5))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert size_of(app, "#noisy-grid") == SCALE[4]
        assert width_of(app, "#ask-box") >= 40
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.phase == "reveal"
        assert size_of(app, "#seen-grid") == SCALE[3]
        assert size_of(app, "#truth-grid") == SCALE[3]
        assert width_of(app, "#net-box") >= 28
        # Resized mid-game to 80x24: the sizes of before, and the next round too.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert size_of(app, "#seen-grid") == SCALE[2]
        assert size_of(app, "#truth-grid") == SCALE[2]
        assert (width_of(app, "#seen-box"), width_of(app, "#net-box")) == (26, 28)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.phase == "round"
        assert size_of(app, "#noisy-grid") == SCALE[3]
        assert (width_of(app, "#noisy-box"), width_of(app, "#ask-box")) == (40, 40)
