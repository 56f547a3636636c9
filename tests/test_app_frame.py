"""The app frame: activities, help, quitting, remote mode, the size guard, the launcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import SIZE, make_app

from letter_tui import cli
from letter_tui.app.activities import ACTIVITIES, available
from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.draw import DrawScreen
from letter_tui.app.screens.help import HelpScreen, help_text
from letter_tui.app.screens.home import HomeScreen
from letter_tui.app.screens.too_small import TooSmallScreen
from letter_tui.core.alphabet import load_alphabet_file, load_bundled


async def test_home_menu_keys_and_arrows(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        state = str(app.screen.query_one("#state").render())
        assert "abc: 3 letters (A B C)" in state and "none trained yet" in state
        assert "Another alphabet: press a (bundled: abc, az;" in state  # how to switch
        await pilot.press("d")
        assert isinstance(app.screen, DrawScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        menu = [a.mode for a in app.activities if a.in_menu]
        await pilot.press(*["down"] * menu.index("help"), "enter")  # arrows reach Help too
        assert isinstance(app.screen, HelpScreen) and app.current_mode == "help"
        await pilot.press("escape")
        assert app.current_mode == "home"
        await pilot.press("h")
        assert app.current_mode == "help"


async def test_function_keys_switch_from_anywhere_and_keep_state(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "space")
        await pilot.press("f2")
        assert app.current_mode == "home"
        assert "unsaved changes" in str(app.screen.query_one("#state").render())
        await pilot.press("f3")
        assert app.current_mode == "draw" and app.screen.index == 1


def help_shown(app) -> str:  # type: ignore[no-untyped-def]
    """The Markdown the help screen shows (its widget's source)."""
    from textual.widgets import Markdown

    return app.screen.query_one("#help-text", Markdown).source


async def test_help_for_the_current_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen) and app.screen.topic == "draw"
            markdown = help_shown(app)
            assert markdown.startswith(help_text("draw"))
            # The keys table comes from Draw's live bindings.
            assert "| space | Toggle |" in markdown and "ctrl+s" in markdown
            await pilot.press("escape")
            assert isinstance(app.screen, DrawScreen)
        await pilot.press("escape", "question_mark")
        assert app.screen.topic == "home" and "| d | Draw |" in help_shown(app)


def test_every_screen_has_its_help_page() -> None:
    for activity in ACTIVITIES:
        topic = activity.screen_class().HELP_TOPIC
        assert help_text(topic).startswith("# ")


async def test_quit_without_changes_does_not_ask(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_quit_with_changes_asks_and_can_stay(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DrawScreen) and app.is_running
        await pilot.press("ctrl+q", "d")
    assert app.return_code == 0
    assert load_alphabet_file(tmp_path / "alphabets" / "abc.txt") == load_bundled("abc")


async def test_quit_can_save_first(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "f2", "ctrl+q", "s")
    edited = app.alphabet
    assert load_alphabet_file(tmp_path / "alphabets" / "abc.txt") == edited
    assert edited != load_bundled("abc")


def test_remote_offers_only_remote_activities() -> None:
    offered = {a.mode for a in available(remote=True)}
    assert "draw" not in offered and {"home", "help"} <= offered
    assert all(a.remote for a in available(remote=True))


async def test_remote_app_cannot_reach_draw_or_write_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no activity 'draw'"):
        make_app(tmp_path, mode="draw", remote=True)
    app = make_app(tmp_path, mode="home", remote=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "f3")
        assert app.current_mode == "home"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to Help" in titles and "Go to Draw" not in titles
        # A player over SSH cannot restart the app: no word of --alphabet for them.
        assert "--alphabet" not in str(app.screen.query_one("#state").render())
        assert "Look inside the network" not in titles  # it lives on Train, not offered
        assert not any("screenshot" in t.lower() for t in titles)
        with pytest.raises(PermissionError):
            app.save_alphabet()


async def test_command_palette_offers_the_activities(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="home")
    async with app.run_test(size=SIZE) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Go to Draw", "Go to Help"} <= set(commands)
        commands["Go to Draw"].callback()
        await pilot.pause()
        assert app.current_mode == "draw"
        # From anywhere, the palette opens the inside view (on top of Train, whose live
        # network it shows); from the inside view itself it is not offered again.
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        await commands["Look inside the network"].callback()
        await pilot.pause()
        assert app.current_mode == "train" and type(app.screen).__name__ == "InsideScreen"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Look inside the network" not in titles


async def test_too_small_then_big_enough_again(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="draw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small-message").render())
        assert "Please enlarge the terminal to at least 64x20" in text and "50x15" in text
        await pilot.press("space", "f2")  # keys do not reach the hidden screens
        assert app.current_mode == "draw" and not app.dirty
        await pilot.resize_terminal(70, 18)
        await pilot.pause()
        assert "70x18" in str(app.screen.query_one("#too-small-message").render())
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)
        await pilot.press("space")
        assert app.dirty


async def test_starting_in_a_small_terminal(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="home")
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_bad_alphabet_file_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("A:\n#.#\n#x#\n#.#\n")
    code = cli.main(["--data-dir", str(tmp_path), "draw", "--alphabet", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and f"{bad}:3: unexpected character 'x'" in err


def test_unknown_start_letter_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code = cli.main(["--data-dir", str(tmp_path), "draw", "Q"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("letter-tui: error: alphabet 'abc' has no letter 'Q'")
