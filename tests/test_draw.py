"""Draw, driven through Pilot at 80x24: every key, undo/redo, letters, saving, live guesses."""

from __future__ import annotations

from pathlib import Path

from app_support import SIZE, bitmap_rows, make_app

from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.draw import DrawScreen
from letter_tui.app.screens.label_prompt import LabelPrompt
from letter_tui.app.widgets.guess_panel import GuessPanel
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core import paths
from letter_tui.core.alphabet import load_alphabet_file, load_bundled

A = [
    "..##..",
    ".#..#.",
    "######",
    "#....#",
    "#....#",
]


def title(app) -> str:
    return app.screen.query_one(TitleBar).render().plain


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_starts_on_first_letter_top_left(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrawScreen)
        assert (screen.index, screen.cursor) == (0, (0, 0))
        grid = screen.query_one(LetterGrid)
        assert grid.bitmap == app.alphabet.bitmaps[0]
        # The cursor's brackets are drawn on the first pixel row, left of every other pixel.
        top = next(y for y in range(grid.size.height) if "[" in grid.render_line(y).text)
        line = grid.render_line(top).text
        assert line.strip().startswith("[") and line.index("[") == len(line) - len(line.lstrip())
        assert str(screen.query_one("#grid-panel").border_title) == "Letter A (1/3)"


async def test_start_letter_from_the_command_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_letter="C")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.index == 2


async def test_arrows_and_hjkl_move_and_stop_at_the_edges(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("up", "left", "k", "h")
        assert screen.cursor == (0, 0)
        await pilot.press("right", "l", "down", "j")
        assert screen.cursor == (2, 2)
        await pilot.press(*["l"] * 9, *["down"] * 9)
        assert screen.cursor == (4, 5)
        await pilot.press("left", "h", "up", "k")
        assert screen.cursor == (2, 3)
        assert not app.dirty


async def test_space_and_click_toggle_the_pixel(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "space")
        assert bitmap_rows(app.alphabet, 0)[0] == "...#.."
        assert app.dirty
        await pilot.press("space")
        assert bitmap_rows(app.alphabet, 0) == A
        assert not app.dirty  # back to what is on disk
        grid = app.screen.query_one(LetterGrid)
        left, top = grid.origin
        s = grid.scale
        # Click the middle of pixel (row 3, column 1).
        await pilot.click(LetterGrid, offset=(left + 2 * s * 1 + s, top + s * 3))
        assert app.screen.cursor == (3, 1)
        assert bitmap_rows(app.alphabet, 0)[3] == "##...#"
        # A click outside the pixels changes nothing.
        await pilot.click(LetterGrid, offset=(0, 0))
        assert bitmap_rows(app.alphabet, 0)[3] == "##...#"


async def test_clear_invert_and_shift(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert bitmap_rows(app.alphabet, 0) == [
            "##..##",
            "#.##.#",
            "......",
            ".####.",
            ".####.",
        ]
        await pilot.press("i", "c")
        assert bitmap_rows(app.alphabet, 0) == ["......"] * 5
        await pilot.press("ctrl+z")
        assert bitmap_rows(app.alphabet, 0) == A
        await pilot.press("tab", "tab")  # C: .####. / .#.... (three times) / .####.
        await pilot.press("shift+left")
        assert bitmap_rows(app.alphabet, 2)[:2] == ["####..", "#....."]
        await pilot.press("shift+left")  # touches the left edge: refused
        assert "touches that edge" in status(app)
        assert bitmap_rows(app.alphabet, 2)[0] == "####.."
        await pilot.press("L", "shift+right")
        assert bitmap_rows(app.alphabet, 2)[:2] == ["..####", "..#..."]
        shifted = app.alphabet
        # C fills every row, so up and down would push pixels off.
        for key in ("shift+up", "K", "shift+down", "J"):
            await pilot.press(key)
            assert app.alphabet == shifted
        await pilot.press("H")
        assert bitmap_rows(app.alphabet, 2)[:2] == [".####.", ".#...."]
        await pilot.press("c", "space", "J", "shift+down", "K")
        assert bitmap_rows(app.alphabet, 2)[:2] == ["......", "#....."]


async def test_undo_and_redo_over_every_edit(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    original = app.alphabet
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "right", "space", "i")
        after_edits = app.alphabet
        await pilot.press("ctrl+z")
        assert bitmap_rows(app.alphabet, 0)[0] == "####.."
        await pilot.press("ctrl+z", "ctrl+z")
        assert app.alphabet == original and not app.dirty
        await pilot.press("ctrl+z")
        assert "Nothing to undo" in status(app)
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        assert app.alphabet == after_edits
        await pilot.press("ctrl+y")
        assert "Nothing to redo" in status(app)
        # A new edit after undoing drops the redo history.
        await pilot.press("ctrl+z", "c", "ctrl+y")
        assert bitmap_rows(app.alphabet, 0) == ["......"] * 5
        # Letter edits undo too, and undo returns to the letter that was edited.
        await pilot.press("tab", "x", "y")
        assert app.alphabet.labels == ("A", "C")
        await pilot.press("ctrl+z")
        assert app.alphabet.labels == ("A", "B", "C") and app.screen.index == 1
        await pilot.press("ctrl+y")
        assert app.alphabet.labels == ("A", "C")


async def test_next_and_previous_letter_wrap(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        seen = []
        for key in ("tab", "tab", "tab", "shift+tab", "pagedown", "pageup", "pageup"):
            await pilot.press(key)
            seen.append(screen.index)
        assert seen == [1, 2, 0, 2, 0, 2, 1]
        assert screen.query_one(LetterGrid).bitmap == app.alphabet.bitmaps[1]
        assert str(screen.query_one("#grid-panel").border_title) == "Letter B (2/3)"


async def test_jump_to_a_letter_by_its_label(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        # 'c' is also "clear": after '/' it names the letter and clears nothing.
        await pilot.press("slash", "c")
        assert screen.index == 2 and not app.dirty
        await pilot.press("slash", "B")
        assert screen.index == 1
        await pilot.press("slash", "q")
        assert screen.index == 1 and "No letter 'q'" in status(app)
        await pilot.press("slash", "escape")
        assert "cancelled" in status(app) and isinstance(app.screen, DrawScreen)


async def test_add_refuses_duplicates_and_bad_labels(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, LabelPrompt)
        await pilot.press("a", "enter")  # 'a' is 'A' ignoring case
        assert isinstance(app.screen, LabelPrompt)
        assert "already used" in str(app.screen.query_one("#label-problem").render())
        await pilot.press("backspace", "question_mark", "enter")
        assert "reserved" in str(app.screen.query_one("#label-problem").render())
        await pilot.press("escape")
        assert isinstance(app.screen, DrawScreen) and app.alphabet.labels == ("A", "B", "C")
        await pilot.press("a", "Z", "enter")
        assert app.alphabet.labels == ("A", "B", "C", "Z")
        assert app.screen.index == 3 and app.alphabet.bitmaps[3] == (0,) * 30
        assert app.dirty


async def test_rename_and_delete(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, LabelPrompt)
        await pilot.press("backspace", "b", "enter")  # B exists
        assert isinstance(app.screen, LabelPrompt)
        await pilot.press("backspace", "D", "enter")
        assert app.alphabet.labels == ("D", "B", "C")
        await pilot.press("x")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert app.alphabet.labels == ("D", "B", "C")
        await pilot.press("delete", "y")
        assert app.alphabet.labels == ("B", "C")
        await pilot.press("x", "y", "x")
        assert app.alphabet.labels == ("C",)
        assert "at least one letter" in status(app)
        assert isinstance(app.screen, DrawScreen)


async def test_save_writes_the_file_read_back_by_the_core(tmp_path: Path) -> None:
    bundled = (paths.assets() / "alphabets" / "abc.txt").read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "Z", "enter", "space", "right", "space")
        assert "abc (unsaved changes)" in title(app)
        await pilot.press("ctrl+s")
        assert "unsaved" not in title(app) and not app.dirty
        path = tmp_path / "alphabets" / "abc.txt"
        assert "Saved 4 letters to" in status(app)
        saved = load_alphabet_file(path)
        assert saved == app.alphabet
        assert bitmap_rows(saved, 3)[0] == "##...."
    assert (paths.assets() / "alphabets" / "abc.txt").read_bytes() == bundled


async def test_a_failed_save_says_why_and_stays_unsaved(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        # A folder where the file should be: os.replace fails (even for root, unlike chmod).
        app.alphabet_path = tmp_path / "in-the-way"
        app.alphabet_path.mkdir()
        await pilot.press("ctrl+s")
        assert status(app).startswith("Not saved:") and app.dirty
        assert list(app.alphabet_path.iterdir()) == []  # no temporary file left behind


async def test_reset_to_bundled_asks_first(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab", "c", "R")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert app.alphabet.bitmaps[0] == (0,) * 30
        await pilot.press("R", "y")
        assert app.alphabet == load_bundled("abc")
        assert not app.dirty  # the user's file still holds the bundled letters
        await pilot.press("ctrl+z")
        assert app.alphabet.bitmaps[1] == (0,) * 30


async def test_reset_is_not_offered_for_own_alphabets(tmp_path: Path) -> None:
    own = tmp_path / "mine.txt"
    own.write_text("X:\n#.#\n.#.\n#.#\n")
    app = make_app(tmp_path, name=str(own))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        assert isinstance(app.screen, DrawScreen)
        await pilot.press("space", "ctrl+s")
        assert own.read_text().endswith("X:\n..#\n.#.\n#.#\n")


async def test_guess_panel_without_a_model_names_the_command(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The panel wraps at spaces; the words are what matters.
        text = " ".join(app.screen.query_one(GuessPanel).plain.split())
        assert "No model is trained for alphabet 'abc' yet." in text
        assert "Press t to train one." in text  # the Train activity is registered


async def test_guess_panel_follows_every_edit(tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(GuessPanel)
        assert panel.view.labels[panel.view.best] == "A"
        first = panel.view.outputs
        assert "Top guess: A" in panel.plain
        await pilot.press("space")
        assert panel.view.outputs != first
        await pilot.press("tab")
        assert panel.view.labels[panel.view.best] == "B"
        before = panel.view.outputs
        await pilot.press("c")
        assert panel.view.outputs != before


async def test_guess_panel_says_when_the_model_is_out_of_date(tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "Z", "enter")
        panel = app.screen.query_one(GuessPanel)
        assert "out of date" in panel.view.notice and "added Z" in panel.view.notice
        assert panel.view.labels == ("A", "B", "C")  # it still guesses its own letters
        assert "retrain it" in panel.plain
        await pilot.press("ctrl+z")
        assert panel.view.notice == ""
        # A new model installed by Train reaches the panel.
        app.set_model(None)
        await pilot.pause()
        assert "No model" in panel.plain
