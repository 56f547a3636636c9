"""Switching alphabet in the app (issue 12, point 4), read from what the terminal shows.

From Home (a) and the command palette ("Switch alphabet..."): the picker lists the bundled
alphabets and the user's own with their letters and whether a model is saved; after a switch
the title names the new alphabet, Draw draws its letters and its saved model is the one in use.
A quiz under way is asked about first (cancel keeps it); a bad file is one line in the picker.
"""

from __future__ import annotations

import re
from pathlib import Path

from letter_tui.app.screens.alphabet_picker import AlphabetPicker
from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.draw import DrawScreen
from letter_tui.core import model_io, paths
from letter_tui.core.alphabet import load_alphabet_file
from letter_tui.core.quiz import QuizSettings
from tests.conftest import MakeApp, trained_model
from tests.quiz_helpers import screen_text
from tests.test_letter_sizes import cell_fills
from tests.waiting import wait_until

SIZE = (80, 24)

# The user's own alphabet: two letters unlike any bundled one, so the grid tells them apart.
MINE = """\
X:
#....#
.#..#.
..##..
.#..#.
#....#

O:
.####.
#....#
#....#
#....#
.####.
"""


def add_mine(root: Path, *, with_model: bool = True) -> Path:
    path = paths.alphabets_dir(root) / "mine.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINE, encoding="utf-8")
    if with_model:
        model = trained_model(load_alphabet_file(path), 200)
        model_io.save_model(model, model_io.model_path(root, "mine"))
    return path


def title_line(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).splitlines()[0]


def dialog_text(app) -> str:  # type: ignore[no-untyped-def]
    """The screen's words with the dialog's border cut and lines joined: a sentence the
    dialog wraps reads as one."""
    return " ".join(screen_text(app).replace("█", " ").split())


def read_grid(app) -> list[str | None]:  # type: ignore[no-untyped-def]
    """The background colour of each of Draw's pixels (its centre cell) as the exported
    screen shows it, row by row."""
    grid = app.screen.query_one("#grid")
    rows, cols = grid.shape
    s, (left, top), region = grid.scale, grid.origin, grid.region
    fills = cell_fills(app.export_screenshot())
    colours = [
        fills.get((region.x + left + c * 2 * s + s, region.y + top + r * s + s // 2))
        for r in range(rows)
        for c in range(cols)
    ]
    return colours


def lit_pattern(app) -> str:  # type: ignore[no-untyped-def]
    """Draw's letter read off the screen as rows of '#' and '.', the cursor's pixel (0, 0)
    left out ('?'): its colour marks the cursor. Lit pixels share a colour that no unlit
    one has, and unlit ones alternate between two (a checkerboard)."""
    grid = app.screen.query_one("#grid")
    rows, cols = grid.shape
    colours = read_grid(app)
    # The colour of the pixels the alphabet says are lit, as the screen shows them.
    bitmap = app.alphabet.bitmaps[app.screen.index]
    lit = {colours[i] for i in range(1, rows * cols) if bitmap[i]}
    assert len(lit) == 1, f"lit pixels in {len(lit)} colours"
    out = []
    for r in range(rows):
        out.append(
            "".join(
                "?" if (r, c) == (0, 0) else "#" if colours[r * cols + c] in lit else "."
                for c in range(cols)
            )
        )
    return "\n".join(out)


def picture(letter: str) -> str:
    """`letter`'s rows in MINE, the cursor's pixel as '?'."""
    block = MINE.split(f"{letter}:\n")[1].split("\n\n")[0].splitlines()
    return "\n".join(["?" + block[0][1:], *block[1:]])


async def test_switch_from_home_to_own_alphabet(make_app: MakeApp, tmp_path: Path) -> None:
    add_mine(tmp_path)
    app = make_app(mode="home", model=trained_model("abc", 200))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "letter-tui — alphabet abc" in title_line(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AlphabetPicker))
        await pilot.pause()
        text = screen_text(app)
        assert "Switch alphabet" in text
        assert "abc          3 letters, 5x6, bundled, no model yet  (in use)" in text
        assert "az          26 letters, 5x6, bundled, no model yet" in text
        assert "mine         2 letters, 5x6, yours, model saved" in text
        await pilot.press("down", "down", "enter")  # abc, az, mine
        await wait_until(pilot, lambda: not app.model_loading and app.alphabet.name == "mine")
        await pilot.pause()
        assert "letter-tui — alphabet mine" in title_line(app)
        assert app.model is not None and app.model.meta.alphabet == "mine"
        assert app.model_problem() is None
        text = screen_text(app)
        assert "mine: 2 letters (X O), 5x6 pixels" in text
        assert "none trained yet" not in text
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DrawScreen))
        await pilot.pause()
        assert "letter-tui — alphabet mine" in title_line(app)
        assert "Letter X (1/2)" in screen_text(app)
        assert lit_pattern(app) == picture("X")
        await pilot.press("tab")  # the next letter
        await pilot.pause()
        assert "Letter O (2/2)" in screen_text(app)
        assert lit_pattern(app) == picture("O")


async def test_switch_from_the_palette_asks_about_draws_edits(
    make_app: MakeApp, tmp_path: Path
) -> None:
    add_mine(tmp_path, with_model=False)
    app = make_app(mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")  # an edit: unsaved, and one step of undo history
        await pilot.pause()
        assert app.dirty
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"switch alph")
        await wait_until(pilot, lambda: "Switch alphabet..." in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AlphabetPicker))
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()
        text = dialog_text(app)
        assert "Switch to alphabet 'mine'?" in text
        assert "Alphabet 'abc' has unsaved changes" in text
        assert "Draw's undo history (1 step) goes." in text
        await pilot.press("y")
        await wait_until(pilot, lambda: app.alphabet.name == "mine" and not app.model_loading)
        await wait_until(pilot, lambda: isinstance(app.screen, DrawScreen))
        await pilot.pause()
        # Back in Draw, afresh: the new letters, no model, nothing to undo, nothing unsaved.
        assert "letter-tui — alphabet mine" in title_line(app)
        assert "unsaved" not in title_line(app)
        assert lit_pattern(app) == picture("X")
        assert app.model is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Nothing to undo." in screen_text(app)
        # The old alphabet's edit was discarded, as the question said: its file is untouched.
        assert app.workspace.saved_alphabet.name == "mine"


async def test_a_quiz_under_way_is_asked_about_first(make_app: MakeApp, tmp_path: Path) -> None:
    add_mine(tmp_path)
    app = make_app(
        mode="quiz",
        model=trained_model("abc", 200),
        quiz_settings=QuizSettings(rounds=3, seed=5),
        player_name="tester",
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.screen.phase == "round", what=lambda: screen_text(app))
        quiz = app.screen
        assert app.game_in_progress
        for answer in ("escape", "y"):
            app.action_switch_alphabet()
            await wait_until(pilot, lambda: isinstance(app.screen, AlphabetPicker))
            await pilot.press("down", "down", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
            await pilot.pause()
            text = dialog_text(app)
            assert "Switch to alphabet 'mine'?" in text
            assert app.game_in_progress in text
            await pilot.press(answer)
            await pilot.pause()
            if answer == "escape":
                # Cancel keeps everything: the same quiz, the same round, the same alphabet.
                assert app.screen is quiz and quiz.phase == "round"
                assert "letter-tui — alphabet abc" in title_line(app)
                assert app.game_in_progress
        await wait_until(pilot, lambda: app.alphabet.name == "mine" and not app.model_loading)
        # A new quiz, on the new alphabet and its model.
        await wait_until(
            pilot,
            lambda: app.screen is not quiz and getattr(app.screen, "phase", "") == "round",
            what=lambda: screen_text(app),
        )
        assert "letter-tui — alphabet mine" in title_line(app)
        assert app.model is not None and app.model.meta.alphabet == "mine"
        assert app.screen.alphabet.name == "mine"


async def test_a_bad_file_is_one_line_in_the_picker(make_app: MakeApp, tmp_path: Path) -> None:
    bad = paths.alphabets_dir(tmp_path) / "[bold]bad.txt"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("A:\n##\n#\n", encoding="utf-8")
    app = make_app(mode="home")
    before = app.alphabet
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AlphabetPicker))
        await pilot.pause()
        # The name is shown as it is, not read as markup.
        assert "[bold]bad  cannot be read (enter shows why)" in screen_text(app)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, AlphabetPicker)
        assert picker.error.startswith(f"Not switched: {bad}:")
        assert "\n" not in picker.error
        shown = " ".join(screen_text(app).split())
        assert "Not switched:" in shown
        # A path typed in that is not there: one line too.
        await pilot.press("tab", *"nowhere/x.txt", "enter")
        await pilot.pause()
        assert picker.error == "Not switched: nowhere/x.txt: no such file (check the path)"
        await pilot.press("escape")
        await pilot.pause()
        assert app.alphabet == before and app.alphabet.name == "abc"
        assert "letter-tui — alphabet abc" in title_line(app)


def test_picker_snapshot(make_app: MakeApp, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(mode="home"), press=["a"], terminal_size=SIZE)


async def test_help_on_home_names_the_key(make_app: MakeApp) -> None:
    app = make_app(mode="home")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "Switch alphabet" in screen_text(app))
        text = " ".join(screen_text(app).split())
        assert 'Press a (or pick "Switch alphabet..." in the command palette' in text
        # The keys table, built from Home's live bindings, lists it too (at the page's end).
        await pilot.press("end")
        await wait_until(pilot, lambda: "│ a " in screen_text(app), what=lambda: screen_text(app))
        row = next(line for line in screen_text(app).splitlines() if "│ a " in line)
        assert "Switch alphabet" in row


async def test_remote_players_are_not_offered_a_switch(make_app: MakeApp) -> None:
    app = make_app(mode="home", remote=True, model=trained_model("abc", 200))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AlphabetPicker)
        assert "Another alphabet" not in screen_text(app)
        assert not any("Switch alphabet" in c.title for c in app.get_system_commands(app.screen))


async def test_a_run_under_way_is_asked_about_and_train_takes_the_new_defaults(
    make_app: MakeApp,
) -> None:
    app = make_app(mode="train")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        train = app.screen
        await pilot.press("n")  # one epoch: a run under way, paused after it
        await wait_until(pilot, lambda: "train" in app.unfinished, what=lambda: screen_text(app))
        app.action_switch_alphabet()
        await wait_until(pilot, lambda: isinstance(app.screen, AlphabetPicker))
        await pilot.press("down", "enter")  # abc, az
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()
        text = dialog_text(app)
        assert "Switch to alphabet 'az'?" in text
        assert "A training run is unfinished (1 of 10000 epochs;" in text
        await pilot.press("y")
        await wait_until(pilot, lambda: app.alphabet.name == "az" and not app.model_loading)
        await wait_until(pilot, lambda: app.screen is not train and app.current_mode == "train")
        await wait_until(
            pilot,
            lambda: "Alphabet az: 26 letters. The settings are recommended" in screen_text(app),
            what=lambda: screen_text(app),
        )
        assert "letter-tui — alphabet az" in title_line(app)
        assert not app.unfinished
        # The form holds az's recommended settings (64 hidden units), not the tutorial's 5.
        assert re.search(r"Hidden units\s+64\b", screen_text(app)), screen_text(app)
